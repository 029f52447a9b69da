package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// entries lists the names in dir.
func entries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.json")
	if err := os.WriteFile(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		write   func(io.Writer) error
		want    string // the target's content afterwards
		wantErr bool
	}{
		// A complete write replaces the target.
		{"complete", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, "new", false},
		// A write that fails half-way leaves the previous content.
		{"fails", func(w io.Writer) error {
			io.WriteString(w, strings.Repeat("partial", 1<<20))
			return errors.New("renderer failed")
		}, "new", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := WriteFile(path, 0o644, c.write)
			if (err != nil) != c.wantErr {
				t.Fatalf("WriteFile: %v, want error %v", err, c.wantErr)
			}
			got, _ := os.ReadFile(path)
			if string(got) != c.want {
				t.Errorf("content %.20q, want %q", got, c.want)
			}
			if names := entries(t, dir); len(names) != 1 {
				t.Errorf("folder holds %v, want only out.json", names)
			}
		})
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("<html>"))
	f.Abort()
	f.Abort() // twice is fine
	if names := entries(t, dir); len(names) != 0 {
		t.Errorf("folder holds %v after Abort, want nothing", names)
	}
	if err := f.Commit(); err == nil {
		t.Error("Commit after Abort succeeded")
	}
}

func TestPermissions(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.tfstate")
	if err := WriteFile(path, 0o644, func(w io.Writer) error { return nil }); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	// Not private like a temporary file: at least the owner's read and
	// write, and nothing beyond what was asked.
	if m := st.Mode().Perm(); m&0o600 != 0o600 || m&^0o644 != 0 {
		t.Errorf("mode %v, want 0644 less the umask", m)
	}
}

func TestErrorsNameTheTarget(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "out.txt")
	_, err := Create(path, 0o644)
	if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), ".tmp") {
		t.Errorf("Create in a missing folder: %v; want an error naming %s and no temporary file", err, path)
	}
}

func TestRemovePending(t *testing.T) {
	t.Cleanup(func() {
		pending.Lock()
		pending.stopped = false
		pending.Unlock()
	})
	dir := t.TempDir()
	path := filepath.Join(dir, "out.csv")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Create(path, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("half of it"))
	RemovePending()
	// The interrupted writer goes on and tries to commit: it must not.
	if err := f.Commit(); err == nil {
		t.Error("Commit after RemovePending succeeded")
	}
	if _, err := Create(path, 0o644); err == nil {
		t.Error("Create after RemovePending succeeded")
	}
	if names := entries(t, dir); len(names) != 1 {
		t.Errorf("folder holds %v, want only out.csv", names)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("content %q, want the previous one", got)
	}
}

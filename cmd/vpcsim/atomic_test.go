package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMainProcess is not a test: startVpcsim re-executes the test binary
// with it to run vpcsim's main in a process of its own, which a test can
// interrupt.
func TestMainProcess(t *testing.T) {
	if os.Getenv("VPCSIM_TEST_MAIN") != "1" {
		t.Skip("runs only as vpcsim's main in a child process")
	}
	os.Args = append([]string{"vpcsim"}, flag.Args()...)
	main()
}

// startVpcsim starts vpcsim with args in a process of its own.
func startVpcsim(t *testing.T, args ...string) (*exec.Cmd, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"-test.run=^TestMainProcess$", "--"}, args...)...)
	cmd.Env = append(os.Environ(), "VPCSIM_TEST_MAIN=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &stdout, &stderr
}

// waitForTemp waits until dir holds a temporary file with some content,
// that is, until the command is writing its output.
func waitForTemp(t *testing.T, dir string, cmd *exec.Cmd) {
	t.Helper()
	for {
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".tmp") {
				if fi, err := e.Info(); err == nil && fi.Size() > 0 {
					return
				}
			}
		}
		if cmd.ProcessState != nil {
			t.Fatal("the command ended before writing")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestInterruptedRunLeavesOutputAsItWas interrupts `vpcsim gen --out` while
// it writes a large state: the output file keeps its previous content, and
// after SIGINT or SIGTERM no temporary file is left either.
func TestInterruptedRunLeavesOutputAsItWas(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large state")
	}
	cases := []struct {
		sig      syscall.Signal
		code     int  // the exit status a shell expects
		tmpGone  bool // whether the temporary file is removed
		killedBy bool // whether the process dies of the signal itself
	}{
		{syscall.SIGINT, 130, true, false},
		{syscall.SIGTERM, 143, true, false},
		// Nothing can clean up after SIGKILL: the target must still be
		// intact, and the temporary file is a hidden one beside it.
		{syscall.SIGKILL, -1, false, true},
	}
	for _, c := range cases {
		t.Run(c.sig.String(), func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "estate.tfstate")
			previous := []byte(`{"version": 4, "resources": []}` + "\n")
			if err := os.WriteFile(out, previous, 0o644); err != nil {
				t.Fatal(err)
			}
			// About 250 MB: far more than can be written before the
			// signal arrives.
			cmd, stdout, stderr := startVpcsim(t, "gen", "--vpcs", "400", "--out", out)
			waitForTemp(t, dir, cmd)
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			var ee *exec.ExitError
			if !errors.As(err, &ee) {
				t.Fatalf("the interrupted run did not fail: %v; stderr %s", err, stderr)
			}
			if c.killedBy {
				if ws, ok := ee.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
					t.Errorf("status %v, want killed by %v", ee, c.sig)
				}
			} else if ee.ExitCode() != c.code {
				t.Errorf("exit status %d, want %d; stderr %s", ee.ExitCode(), c.code, stderr)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			got, err := os.ReadFile(out)
			if err != nil || !bytes.Equal(got, previous) {
				t.Errorf("the output file changed: %d bytes (%v), want its previous %d", len(got), err, len(previous))
			}
			entries, _ := os.ReadDir(dir)
			if c.tmpGone && len(entries) != 1 {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("the folder holds %v, want only the output", names)
			}
		})
	}
}

// fileState is what a test checks has not changed about a file or folder.
type fileState struct {
	mode  fs.FileMode
	size  int64
	mtime time.Time
	sum   [32]byte
}

// snapshot records every file and folder under root.
func snapshot(t *testing.T, root string) map[string]fileState {
	t.Helper()
	m := map[string]fileState{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		s := fileState{mode: fi.Mode(), size: fi.Size(), mtime: fi.ModTime()}
		if !d.IsDir() {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			s.sum = sha256.Sum256(b)
		}
		m[p] = s
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// copyTree copies the folder src to dst, following links (the plan
// pre-check cases link the files they share).
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestInputsAreNeverModified runs every command that reads a network on
// each kind of input (and check's intent file, plan-check's baseline,
// verify-logs' logs) — a configuration folder (with a .terraform folder and
// variable files), a state, a plan, several merged — and checks that no
// file or folder under the inputs changed: contents, sizes, modes and
// modification times, and no file added or removed.
func TestInputsAreNeverModified(t *testing.T) {
	root := t.TempDir()
	cfg := filepath.Join(root, "hub-spoke")
	copyTree(t, filepath.Join("..", "..", "examples", "hub-spoke"), cfg)
	// Files Terraform reads besides the .tf files: variables, and the
	// folder terraform init writes.
	write := func(p, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(cfg, "terraform.tfvars"), "onprem_cidr = \"192.168.0.0/16\"\n")
	write(filepath.Join(cfg, ".terraform", "modules", "modules.json"), `{"Modules": []}`)
	varFile := filepath.Join(root, "extra.tfvars")
	write(varFile, "region = \"us-east-1\"\n")
	planDir := filepath.Join(root, "plan")
	copyTree(t, filepath.Join("..", "..", "hcl", "testdata", "loading", "ipv6-native-unknown"), planDir)
	plan := filepath.Join(planDir, "plan.json")
	// A read-only input must stay read-only.
	if err := os.Chmod(plan, 0o444); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(cfg, "terraform.tfstate")
	// What check, plan-check and verify-logs read besides a network.
	intentFile := filepath.Join(cfg, "intent.hcl")
	baseline := filepath.Join(root, "baseline.json")
	write(baseline, `{"version": 1, "tool": "vpcsim", "findings": []}`+"\n")
	logs := filepath.Join(root, "logs", "flow.log")
	write(logs, "2 123456789012 eni-1 10.1.0.23 10.100.10.10 49152 53 17 1 60 1 2 ACCEPT OK\n")
	// Outputs go elsewhere: only the inputs are watched.
	out := t.TempDir()
	// Timestamps in the past, so that a rewrite with the same content
	// would still show.
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		return os.Chtimes(p, old, old)
	})
	before := snapshot(t, root)

	inputs := [][]string{
		{"--in", cfg},
		{"--in", cfg, "--var-file", varFile, "--var", "region=us-east-1"},
		{"--in", planDir},
		{"--in", state},
		{"--in", plan},
		{"--in", state, "--in", plan},
	}
	commands := [][]string{
		{"inspect"},
		{"report"},
		{"report", "--format", "json"},
		{"matrix"},
		{"graph"},
		// prod-app-1 to ad-dc-1 (examples/hub-spoke/README.md, flow 1):
		// answered on the inputs that hold them, an error on the others.
		{"trace", "--from", "10.1.0.23", "--to", "10.100.10.10", "--protocol", "udp", "--port", "53"},
		{"check", "--intent", intentFile},
		{"verify-logs", "--logs", logs, "--records", filepath.Join(out, "records.csv")},
		{"export", "allowed", "--out", filepath.Join(out, "allowed.parquet")},
	}
	var runs [][]string
	for _, in := range inputs {
		for _, c := range commands {
			runs = append(runs, append(append([]string{}, c...), in...))
		}
	}
	// The comparisons take their inputs their own way.
	runs = append(runs,
		[]string{"diff", "--before", state, "--after", cfg},
		[]string{"diff", plan, "--config", planDir},
		[]string{"plan-check", plan, "--baseline", baseline},
		[]string{"plan-check", "--before", state, "--after", cfg, "--before-config", cfg, "--intent", intentFile, "--write-baseline", filepath.Join(out, "baseline.json")},
	)
	for _, args := range runs {
		code, _, stderr := runArgs(args...)
		// trace, check and verify-logs answer some inputs with an error
		// (the flow's ends or the log's interfaces are not in them).
		if code != exitOK && code != exitViolation && !(slices.Contains([]string{"trace", "check", "verify-logs"}, args[0]) && code == exitError) {
			t.Errorf("%v: exit %d: %s", args, code, stderr)
		}
	}
	after := snapshot(t, root)
	for p, s := range before {
		a, ok := after[p]
		switch {
		case !ok:
			t.Errorf("%s was removed", p)
		case a != s:
			t.Errorf("%s changed: %+v, was %+v", p, a, s)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s was created", p)
		}
	}
}

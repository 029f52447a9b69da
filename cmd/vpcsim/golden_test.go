package main

import (
	"os"
	"path/filepath"
	"testing"
)

// goldenFile compares got with the file at path, rewriting it under -update.
func goldenFile(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/vpcsim -update)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (run go test ./cmd/vpcsim -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// cliCase is one command line and what it must give.
type cliCase struct {
	name   string
	args   []string
	code   int
	golden string   // testdata/<dir>/<golden>, compared with stdout
	stdout []string // parts stdout must contain
	stderr []string // parts stderr must contain; none means empty, unless anyStderr
	// anyStderr accepts what stderr says (progress lines) beyond stderr.
	anyStderr bool
}

// runCases runs each case as a subtest: its exit code, its stdout (no
// results after an error) and stderr, and its golden file under
// testdata/dir.
func runCases(t *testing.T, dir string, cases []cliCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCmd("", tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errOut)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if len(tc.stderr) == 0 && !tc.anyStderr && errOut != "" {
				t.Errorf("unexpected stderr:\n%s", errOut)
			}
			if (tc.code == 1 || tc.code == 2) && out != "" {
				t.Errorf("an error printed results on stdout:\n%s", out)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if tc.golden != "" {
				goldenFile(t, filepath.Join("testdata", dir, tc.golden), out)
			}
		})
	}
}

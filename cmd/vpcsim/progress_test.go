package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// runTTY runs one command line with standard error taken for a terminal.
func runTTY(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	tty := true
	s := &streams{in: strings.NewReader(""), out: &out, err: &errb, errTTY: &tty}
	root := newRootCmd(s, &profiler{})
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	code = exitCode(cmd, err, &errb)
	return out.String(), errb.String(), code
}

// TestProgress: long work shows a bar with percentage and rate on a
// terminal, a line per phase elsewhere when asked (VPCSIM_PROGRESS=1, or a
// large input), nothing at all for a small input off a terminal — and
// never anything on standard output.
func TestProgress(t *testing.T) {
	for _, args := range [][]string{{"report"}, {"matrix", "--internet"}} {
		quiet, quietErr, code := runCmd("", args...)
		if code != 0 || withoutNotesLine(quietErr) != "" {
			t.Fatalf("%v: exit %d, stderr %q: a small input off a terminal shows no progress", args, code, quietErr)
		}
		out, errOut, code := runTTY(args...)
		if code != 0 || out != quiet {
			t.Errorf("%v on a terminal: exit %d, stdout differs", args, code)
		}
		// progressbar draws "phase  50% |█████     | (2/4, 20 walks/s)".
		if !regexp.MustCompile(`\d+% \|[^|]*\| \(\d+/\d+, \d+ (walks|classes)/s`).MatchString(errOut) {
			t.Errorf("%v on a terminal: no bar with percentage and rate on stderr:\n%q", args, errOut)
		}
		t.Setenv("VPCSIM_PROGRESS", "1")
		out, errOut, code = runCmd("", args...)
		t.Setenv("VPCSIM_PROGRESS", "")
		if code != 0 || out != quiet {
			t.Errorf("%v with VPCSIM_PROGRESS=1: exit %d, stdout differs", args, code)
		}
		lines := strings.Split(strings.TrimSpace(withoutNotesLine(errOut)), "\n")
		for _, l := range lines {
			if !regexp.MustCompile(`^vpcsim: \[ *\d+\.\ds\] `).MatchString(l) {
				t.Errorf("%v: progress line %q", args, l)
			}
		}
		if len(lines) < 3 || !strings.Contains(errOut, "loading examples/three-tier/terraform.tfstate (embedded)") {
			t.Errorf("%v: progress lines:\n%s", args, errOut)
		}
	}
	t.Setenv("VPCSIM_PROGRESS", "0")
	if _, errOut, _ := runTTY("report"); withoutNotesLine(errOut) != "" {
		t.Errorf("VPCSIM_PROGRESS=0 on a terminal: %q", errOut)
	}
}

// withoutNotesLine is stderr without the line that counts the notes about
// the input (the embedded example's load balancer has placeholder
// addresses): what is left is progress, warnings or errors.
func withoutNotesLine(stderr string) string {
	var keep []string
	for _, l := range strings.SplitAfter(stderr, "\n") {
		if !strings.Contains(l, " about the input; --verbose prints them\n") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "")
}

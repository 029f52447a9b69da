package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/internal/hostile"
)

// TestLargeElements loads the networks at the edge of AWS's limits — a
// network ACL with 32,766 rules, a route table with 1,000 routes, a prefix
// list of 10,000 entries — and checks that trace answers with the rule or
// route that decides, and that report, matrix and graph answer.
// BenchmarkLargeElements (internal/bench) measures them; docs/limits.md
// records the figures.
func TestLargeElements(t *testing.T) {
	for _, l := range hostile.LargeElements() {
		t.Run(l.Name, func(t *testing.T) {
			t.Parallel()
			in := filepath.Join(t.TempDir(), "terraform.tfstate")
			if err := os.WriteFile(in, l.State, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, f := range l.Flows {
				args := []string{"trace", "--in", in, "--from", f.From, "--to", f.To, "--protocol", "tcp", "--port", fmt.Sprint(f.Port)}
				start := time.Now()
				code, stdout, stderr := runArgs(args...)
				t.Logf("trace %s -> %s: %v", f.From, f.To, time.Since(start).Round(time.Millisecond))
				want := exitViolation
				if f.Reachable {
					want = exitOK
				}
				if code != want {
					t.Errorf("%s -> %s: exit %d, want %d; stderr %s\n%s", f.From, f.To, code, want, stderr, stdout)
					continue
				}
				if f.Rule != "" && !strings.Contains(stdout, "rule "+f.Rule+" ") && !strings.Contains(stdout, "route "+f.Rule+" ") {
					t.Errorf("%s -> %s: the trace does not name rule or route %s:\n%s", f.From, f.To, f.Rule, stdout)
				}
			}
			for _, c := range [][]string{{"report", "--format", "json"}, {"matrix"}, {"graph"}} {
				start := time.Now()
				code, stdout, stderr := runArgs(append(c, "--in", in)...)
				t.Logf("%s: %v", c[0], time.Since(start).Round(time.Millisecond))
				if (code != exitOK && code != exitViolation) || stdout == "" {
					t.Errorf("%v: exit %d, %d bytes of output; stderr %s", c, code, len(stdout), stderr)
				}
			}
		})
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckOutputs pins `vpcsim check` on the examples, with their intent
// files, in every format; the three-tier configuration too, whose findings
// point at .tf lines.
func TestCheckOutputs(t *testing.T) {
	ex := func(name string) string { return "../../examples/" + name }
	type run struct {
		golden string
		args   []string
	}
	var runs []run
	for _, name := range []string{"three-tier", "hub-spoke", "peering-endpoints"} {
		for _, f := range []struct{ format, ext string }{{"text", "txt"}, {"json", "json"}, {"markdown", "md"}, {"sarif", "sarif"}, {"github", "github"}} {
			runs = append(runs, run{name + "." + f.ext, []string{"check", "--in", ex(name) + "/terraform.tfstate", "--intent", ex(name) + "/intent.hcl", "--format", f.format}})
		}
	}
	runs = append(runs,
		run{"three-tier-config.txt", []string{"check", "--in", ex("three-tier")}},
		run{"three-tier-config.sarif", []string{"check", "--in", ex("three-tier"), "--format", "sarif"}},
	)
	for _, r := range runs {
		t.Run(r.golden, func(t *testing.T) {
			out, errOut, code := runCmd("", r.args...)
			if code != exitViolation {
				t.Fatalf("exit code %d, want 3; stderr:\n%s", code, errOut)
			}
			if !strings.Contains(errOut, "failing as --fail-on low asks") {
				t.Errorf("stderr does not say why it fails:\n%s", errOut)
			}
			if strings.HasSuffix(r.golden, ".json") || strings.HasSuffix(r.golden, ".sarif") {
				var v any
				if err := json.Unmarshal([]byte(out), &v); err != nil {
					t.Fatalf("not JSON: %v", err)
				}
			}
			goldenFile(t, filepath.Join("testdata", "check", r.golden), out)
		})
	}
}

func TestCheckExitCodes(t *testing.T) {
	state := "../../examples/three-tier/terraform.tfstate"
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	holds := write("holds.hcl", `deny "db-not-from-internet" {
  from = internet
  to   = subnet("module.network.aws_subnet.db")
}
`)
	bad := write("bad.hcl", `deny "x" {
  from = internet
  to   = subnet("module.network.aws_subnet.dbs")
}
`)
	broken := write("broken.hcl", `deny "x" {`)
	for _, c := range []struct {
		name   string
		args   []string
		code   int
		stderr string // a part stderr must contain
		stdout string // a part stdout must contain; "" means empty stdout
	}{
		{name: "clean for the checks run", args: []string{"check", "--in", state, "--check", "unused-*", "--check", "route-*"}, code: 0, stdout: "no findings"},
		{name: "an intent that holds", args: []string{"check", "--in", state, "--skip", "*", "--intent", holds}, code: 0, stdout: "1 hold, 0 violated"},
		{name: "only informational findings", args: []string{"check", "--in", "../../examples/hub-spoke/terraform.tfstate", "--check", "unused-*"}, code: 0, stdout: "2 info"},
		{name: "informational findings fail on info", args: []string{"check", "--in", "../../examples/hub-spoke/terraform.tfstate", "--check", "unused-*", "--fail-on", "info"}, code: 3, stdout: "2 info"},
		{name: "a high finding passes --fail-on critical", args: []string{"check", "--in", state, "--fail-on", "critical"}, code: 0, stdout: "internet-exposure"},
		{name: "never fail", args: []string{"check", "--in", state, "--fail-on", "none", "--format", "json"}, code: 0, stdout: `"findings"`},
		{name: "min severity hides", args: []string{"check", "--in", state, "--min-severity", "high"}, code: 3, stdout: "1 finding: 1 high"},
		{name: "unknown check", args: []string{"check", "--in", state, "--check", "route-blakhole"}, code: 2, stderr: `no check is called "route-blakhole" (did you mean route-blackhole?)`},
		{name: "unknown skipped check", args: []string{"check", "--in", state, "--skip", "nope-*"}, code: 2, stderr: `--skip: no check is called "nope-*"`},
		{name: "bad fail-on", args: []string{"check", "--in", state, "--fail-on", "bad"}, code: 2, stderr: "--fail-on"},
		{name: "skip what check names", args: []string{"check", "--in", state, "--check", "route-blackhole", "--skip", "route-*"}, code: 2, stderr: "nothing to run"},
		{name: "skip everything, no intent", args: []string{"check", "--in", state, "--skip", "*"}, code: 2, stderr: "nothing to check"},
		{name: "bad format", args: []string{"check", "--in", state, "--format", "xml"}, code: 2, stderr: "want one of text, json, markdown, sarif, github"},
		{name: "missing intent file", args: []string{"check", "--in", state, "--intent", filepath.Join(dir, "nope.hcl")}, code: 1, stderr: "nope.hcl: error: cannot read the intent file"},
		{name: "intent syntax error", args: []string{"check", "--in", state, "--intent", broken}, code: 1, stderr: "broken.hcl:1:10: error: unclosed configuration block"},
		{name: "intent naming nothing", args: []string{"check", "--in", state, "--intent", bad}, code: 1,
			stderr: `bad.hcl:3:10: error: deny "x": subnet("module.network.aws_subnet.dbs") matches nothing in the network (did you mean "module.network.aws_subnet.db`},
		{name: "unreadable input", args: []string{"check", "--in", filepath.Join(dir, "nope.tfstate")}, code: 1, stderr: "nope.tfstate"},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, errOut, code := runCmd("", c.args...)
			if code != c.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, c.code, errOut)
			}
			if c.stderr != "" && !strings.Contains(errOut, c.stderr) {
				t.Errorf("stderr does not contain %q:\n%s", c.stderr, errOut)
			}
			if c.stdout == "" && out != "" {
				t.Errorf("stdout not empty:\n%s", out)
			}
			if c.stdout != "" && !strings.Contains(out, c.stdout) {
				t.Errorf("stdout does not contain %q:\n%s", c.stdout, out)
			}
		})
	}
}

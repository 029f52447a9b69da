package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files with the current output")

const corpus = "../../hcl/testdata/corpus/"

// runCmd runs one command line as main would.
func runCmd(stdin string, args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

func TestInspect(t *testing.T) {
	state, err := os.ReadFile(corpus + "packt_vpc.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		args   []string
		stdin  string
		code   int
		golden string   // testdata/inspect/<golden>, compared with stdout
		stderr []string // parts stderr must contain; none means empty
	}{
		{name: "state", args: []string{"inspect", "--in", corpus + "leajd_networking.tfstate"}, golden: "leajd.txt"},
		{name: "state json", args: []string{"inspect", "--in", corpus + "leajd_networking.tfstate", "--format", "json"}, golden: "leajd.json"},
		{name: "plan", args: []string{"inspect", "--in", corpus + "nyaras_tfplan.json"}, golden: "nyaras.txt"},
		{name: "plan json", args: []string{"inspect", "--in", corpus + "nyaras_tfplan.json", "--format=json"}, golden: "nyaras.json"},
		{name: "stdin", args: []string{"inspect", "--in", "-"}, stdin: string(state), golden: "stdin.txt"},
		{name: "region and account", args: []string{"inspect", "--in", corpus + "ibarrola_network.tfstate", "--region", "eu-central-1", "--account", "111111111111"}, golden: "ibarrola-region.txt"},
		{name: "legacy state", args: []string{"inspect", "--in", corpus + "gseenu_v3.tfstate"}, code: 1,
			stderr: []string{corpus + "gseenu_v3.tfstate:2:16: error: this is a legacy Terraform state, format version 3"}},
		{name: "json lines", args: []string{"inspect", "--in", corpus + "bankole_plan_jsonlines.json", "--format", "json"}, code: 1,
			stderr: []string{corpus + "bankole_plan_jsonlines.json:1:1: error: this is the JSON-lines log"}},
		{name: "truncated stdin", args: []string{"inspect", "--in", "-"}, stdin: string(state[:300]), code: 1,
			stderr: []string{"<stdin>:", "error: invalid JSON: unexpected end of JSON input: the file is truncated"}},
		{name: "missing file", args: []string{"inspect", "--in", "nowhere.tfstate"}, code: 1,
			stderr: []string{"nowhere.tfstate: error: cannot read the input: no such file or directory"}},
		{name: "embedded default", args: []string{"inspect"}, golden: "default.txt"},
		{name: "bad format", args: []string{"inspect", "--in", corpus + "packt_vpc.tfstate", "--format", "xml"}, code: 2,
			stderr: []string{`invalid format "xml": want one of text, json`}},
		// A positional argument is an input path, like --in.
		{name: "positional path", args: []string{"inspect", corpus + "leajd_networking.tfstate"}, golden: "leajd.txt"},
		{name: "missing positional path", args: []string{"inspect", "extra"}, code: 1, stderr: []string{"extra: error: cannot read the input"}},
		{name: "empty --in", args: []string{"inspect", "--in", ""}, code: 2, stderr: []string{"an input path is empty"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCmd(tc.stdin, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errOut)
			}
			if len(tc.stderr) == 0 && errOut != "" {
				t.Errorf("stderr:\n%s", errOut)
			}
			for _, s := range tc.stderr {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr lacks %q:\n%s", s, errOut)
				}
			}
			if tc.golden == "" {
				if out != "" {
					t.Errorf("stdout is not empty after a failure:\n%s", out)
				}
				return
			}
			if strings.HasSuffix(tc.golden, ".json") && !json.Valid([]byte(out)) {
				t.Errorf("stdout is not JSON:\n%s", out)
			}
			golden(t, tc.golden, out)
		})
	}
}

// TestInspectJSONFields pins the documented top-level fields of the JSON
// summary (docs/cli.md).
func TestInspectJSONFields(t *testing.T) {
	out, _, code := runCmd("", "inspect", "--in", corpus+"nyaras_tfplan.json", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"source", "format", "terraform_version", "region", "counts", "before_counts", "changes", "unsupported_resources", "ignored_types", "diagnostics", "totals"} {
		if _, ok := got[k]; !ok {
			t.Errorf("no %q in the JSON summary", k)
		}
	}
	var counts []struct {
		Kind      string `json:"kind"`
		Count     int    `json:"count"`
		Synthetic int    `json:"synthetic"`
	}
	if err := json.Unmarshal(got["counts"], &counts); err != nil || len(counts) < 20 || counts[0].Kind != "vpc" || counts[0].Count != 1 {
		t.Errorf("counts %s (%v)", got["counts"], err)
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenFile(t, filepath.Join("testdata", "inspect", name), got)
}

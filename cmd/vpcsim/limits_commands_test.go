package main

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/intent"
	"github.com/vpcsim/vpcsim/internal/hostile"
	"github.com/vpcsim/vpcsim/suppress"
)

// commandShapes are the ways the commands that read a network besides
// report take one, with the output files they would write: a hostile
// network is refused by each within the limits, and no output appears. IN is the hostile input, OK a network that loads, OUT a folder
// for outputs, LOGS a flow log.
var commandShapes = []struct {
	name string
	args []string
}{
	{"check", []string{"check", "--in", "IN"}},
	{"diff --after", []string{"diff", "--before", "OK", "--after", "IN"}},
	{"diff --before", []string{"diff", "--before", "IN", "--after", "OK"}},
	{"plan-check", []string{"plan-check", "--before", "OK", "--after", "IN", "--write-baseline", "OUT/baseline.json"}},
	{"verify-logs", []string{"verify-logs", "--in", "IN", "--logs", "LOGS", "--records", "OUT/records.csv"}},
	{"export allowed", []string{"export", "allowed", "--in", "IN", "--out", "OUT/allowed.parquet"}},
}

// TestPathologicalInputsEveryCommand runs hostile networks of each kind (a
// configuration that evaluates for ever, one nested too deeply to parse, a
// module cycle, a state nested too deeply, a plan whose references go
// round) through every command that reads a network besides report, which
// TestPathologicalInputs runs them all through: the commands share the
// loading and its limits, and each refuses them the same way.
func TestPathologicalInputsEveryCommand(t *testing.T) {
	kinds := []string{
		"three nested for expressions over range(1000)",
		"a .tf file nested 100,000 levels",
		"a reference cycle through locals and modules",
		"a state nested 100,000 levels",
		"a plan whose references go round",
	}
	ok, err := filepath.Abs(filepath.Join("..", "..", "examples", "three-tier", "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var cases []hostile.Case
	for _, c := range hostile.Pathological() {
		if slices.Contains(kinds, c.Name) {
			cases = append(cases, c)
		}
	}
	if len(cases) != len(kinds) {
		t.Fatalf("found %d of the %d hostile inputs", len(cases), len(kinds))
	}
	for _, c := range cases {
		for _, shape := range commandShapes {
			t.Run(c.Name+"/"+shape.name, func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				in, err := c.Write(filepath.Join(dir, "in"))
				if err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "out")
				logs := filepath.Join(dir, "logs", "flow.log")
				for _, d := range []string{out, filepath.Dir(logs)} {
					if err := os.MkdirAll(d, 0o755); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.WriteFile(logs, []byte("2 123456789012 eni-1 10.0.1.10 10.0.2.10 443 49152 6 1 40 1 2 ACCEPT OK\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				r := strings.NewReplacer("IN", in, "OK", ok, "OUT", out, "LOGS", logs)
				var args []string
				for _, a := range shape.args {
					args = append(args, r.Replace(a))
				}
				code, stdout, stderr := runArgs(args...)
				wantRefusal(t, code, stdout, stderr, whereOf(filepath.Join(dir, "in"), c), c.Line, c.Want)
				entries, _ := os.ReadDir(out)
				for _, e := range entries {
					t.Errorf("%s written after a refusal", e.Name())
				}
			})
		}
	}
}

// TestHostileSideInputs gives the files the newer commands read besides a
// network — intent files, baselines, flow logs — in hostile forms: nested
// too deeply to parse, too large to read, expanding without end. Each is
// refused quickly, naming the file, with nothing on standard output and no
// output file written.
func TestHostileSideInputs(t *testing.T) {
	plan, err := filepath.Abs(filepath.Join("..", "..", "examples", "plancheck", "open-ssh-world", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	state, err := filepath.Abs(filepath.Join("..", "..", "examples", "three-tier", "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	deepIntent := "deny \"x\" {\n  from = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n  to = \"internet\"\n}\n"
	var bomb bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&bomb, gzip.BestCompression)
	zero := make([]byte, 1<<20)
	for range 256 { // 256 MiB of zero bytes, no newline, in 250 kB
		zw.Write(zero)
	}
	zw.Close()
	cases := []struct {
		name string
		file string
		data []byte
		size int64 // extended to, with zero bytes
		args []string
		line int
		want string
	}{
		{name: "an intent file nested 100,000 levels", file: "intent.hcl", data: []byte(deepIntent),
			args: []string{"check", "--in", state, "--intent", "FILE"}, line: 2, want: "nested more than 512 levels"},
		{name: "an intent file nested 100,000 levels to plan-check", file: "intent.hcl", data: []byte(deepIntent),
			args: []string{"plan-check", plan, "--intent", "FILE", "--write-baseline", "OUT/baseline.json"}, line: 2, want: "nested more than 512 levels"},
		{name: "an intent file of 17 MiB", file: "intent.hcl", data: []byte("# policy\n"), size: intent.MaxFileSize + 1<<20,
			args: []string{"check", "--in", state, "--intent", "FILE"}, want: "more than 16 MiB"},
		{name: "a baseline nested 100,000 levels", file: "baseline.json", data: []byte(`{"findings": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}"),
			args: []string{"plan-check", plan, "--baseline", "FILE"}, line: 1, want: "not a vpcsim baseline"},
		{name: "a baseline of 65 MiB", file: "baseline.json", data: []byte("{}"), size: suppress.MaxBaselineSize + 1<<20,
			args: []string{"plan-check", plan, "--baseline", "FILE"}, want: "more than a baseline can"},
		{name: "a flow log line of 3 MB", file: "flow.log", data: []byte(strings.Repeat("1", 3_000_000) + "\n"),
			args: []string{"verify-logs", "--in", state, "--logs", "FILE", "--records", "OUT/records.csv"}, want: "line 1: line longer than 1 MiB"},
		{name: "a gzipped flow log that expands to 256 MiB of one line", file: "flow.log.gz", data: bomb.Bytes(),
			args: []string{"verify-logs", "--in", state, "--logs", "FILE", "--records", "OUT/records.csv"}, want: "line 1: line longer than 1 MiB"},
		{name: "a damaged Parquet flow log", file: "flow.parquet", data: append(append([]byte("PAR1"), bytes.Repeat([]byte{0xff}, 1000)...), "PAR1"...),
			args: []string{"verify-logs", "--in", state, "--logs", "FILE", "--records", "OUT/records.csv"}, want: "flow log parquet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			file := filepath.Join(dir, c.file)
			if err := os.WriteFile(file, c.data, 0o644); err != nil {
				t.Fatal(err)
			}
			if c.size > 0 {
				if err := os.Truncate(file, c.size); err != nil {
					t.Fatal(err)
				}
			}
			out := filepath.Join(dir, "out")
			if err := os.Mkdir(out, 0o755); err != nil {
				t.Fatal(err)
			}
			r := strings.NewReplacer("FILE", file, "OUT", out)
			var args []string
			for _, a := range c.args {
				args = append(args, r.Replace(a))
			}
			code, stdout, stderr := runArgs(args...)
			wantRefusal(t, code, stdout, stderr, file, c.line, c.want)
			entries, _ := os.ReadDir(out)
			for _, e := range entries {
				t.Errorf("%s written after a refusal", e.Name())
			}
		})
	}
}

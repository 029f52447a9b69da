package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestVersionFlag: --version on the root command answers as `vpcsim
// version` does, as gh and terraform do.
func TestVersionFlag(t *testing.T) {
	out, errOut, code := runCmd("", "--version")
	want, _, _ := runCmd("", "version")
	if code != 0 || errOut != "" || out != want || !strings.HasPrefix(out, "vpcsim ") {
		t.Errorf("--version: exit %d, stdout %q (version says %q), stderr %q", code, out, want, errOut)
	}
}

// TestFormatIsCaseInsensitive: --format takes any case, like --fail-on,
// and the extensions people type (md).
func TestFormatIsCaseInsensitive(t *testing.T) {
	json0, _, _ := runCmd("", "report", "--format", "json")
	for _, args := range [][]string{{"report", "--format", "JSON"}, {"report", "--format", "Json"}} {
		out, errOut, code := runCmd("", args...)
		if code != 0 || out != json0 {
			t.Errorf("%v: exit %d, stderr %s", args, code, errOut)
		}
	}
	md, _, _ := runCmd("", "report", "--format", "markdown")
	if out, _, code := runCmd("", "report", "--format", "MD"); code != 0 || out != md {
		t.Errorf("--format MD: exit %d", code)
	}
	if _, errOut, code := runCmd("", "report", "--format", "xml"); code != 2 || !strings.Contains(errOut, `--format: invalid format "xml": want one of text, json, markdown, html, sarif`) {
		t.Errorf("--format xml: exit %d, stderr %q", code, errOut)
	}
}

// TestOutputFile: -o writes the answer to a file, the same bytes as
// standard output would get, says so on standard error, and leaves no
// temporary file.
func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"report", "--format", "sarif"},
		{"matrix", "--format", "csv"},
		{"graph", "--format", "mermaid"},
		{"inspect", "--format", "json"},
		{"trace", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22"},
	} {
		want, _, wantCode := runCmd("", args...)
		path := filepath.Join(dir, args[0]+".out")
		out, errOut, code := runCmd("", append(args, "-o", path)...)
		got, err := os.ReadFile(path)
		if code != wantCode || out != "" || err != nil || string(got) != want {
			t.Errorf("%v -o: exit %d (want %d), stdout %q, file %d bytes (%v), want %d", args, code, wantCode, out, len(got), err, len(want))
		}
		if !strings.Contains(errOut, "vpcsim: wrote "+path) {
			t.Errorf("%v -o: stderr %q", args, errOut)
		}
		// - is standard output.
		if out, _, _ := runCmd("", append(args, "--output", "-")...); out != want {
			t.Errorf("%v -o -: stdout differs", args)
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("the folder holds %d files, want the 5 outputs and no temporary file", len(entries))
	}
	if _, errOut, code := runCmd("", "report", "-o", filepath.Join(dir, "missing", "r.txt")); code != 1 || !strings.Contains(errOut, "vpcsim: error: writing "+filepath.Join(dir, "missing", "r.txt")+": no such file or directory") {
		t.Errorf("-o into a missing folder: exit %d, %q", code, errOut)
	}
}

// TestWriteFileAtomic: a write that fails half-way leaves the target as it
// was, and no temporary file.
func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.json")
	os.WriteFile(path, []byte("previous"), 0o644)
	boom := errors.New("interrupted")
	err := writeFileAtomic(path, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 3<<20))
		return boom
	})
	got, _ := os.ReadFile(path)
	entries, _ := os.ReadDir(dir)
	if !errors.Is(err, boom) || string(got) != "previous" || len(entries) != 1 {
		t.Errorf("err %v, target %q, %d files", err, got[:min(len(got), 20)], len(entries))
	}
	if err := writeFileAtomic(path, func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }); err != nil {
		t.Fatal(err)
	}
	got, _ = os.ReadFile(path)
	fi, _ := os.Stat(path)
	if string(got) != "new" || fi.Mode().Perm() != 0o644 {
		t.Errorf("target %q, mode %v", got, fi.Mode())
	}
}

// TestSeveralFormats: --format json,sarif --output-dir DIR writes one file
// per format in one run, each what the format alone would write.
func TestSeveralFormats(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "reports")
	for _, c := range []struct {
		args  []string
		files map[string][]string // file name: the single-format run
	}{
		{[]string{"report", "--format", "json,SARIF,md"}, map[string][]string{
			"report.json": {"report", "--format", "json"}, "report.sarif": {"report", "--format", "sarif"}, "report.md": {"report", "--format", "markdown"}}},
		{[]string{"matrix", "--format", "text,csv"}, map[string][]string{"matrix.txt": {"matrix"}, "matrix.csv": {"matrix", "--format", "csv"}}},
		{[]string{"trace", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22", "--format", "text,json"}, map[string][]string{
			"trace.txt":  {"trace", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22"},
			"trace.json": {"trace", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22", "--format", "json"}}},
	} {
		out, errOut, code := runCmd("", append(c.args, "--output-dir", dir)...)
		if code != 0 || out != "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %s", c.args, code, out, errOut)
		}
		for name, single := range c.files {
			want, _, _ := runCmd("", single...)
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || string(got) != want {
				t.Errorf("%v: %s: %d bytes (%v), want %d", c.args, name, len(got), err, len(want))
			}
		}
	}
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"report", "--format", "json,sarif"}, "--format json,sarif asks for 2 formats: name the folder to write them in with --output-dir"},
		{[]string{"report", "-o", "x.json", "--output-dir", dir}, "--output and --output-dir both name where to write"},
		{[]string{"report", "-o", ""}, "--output is empty"},
		{[]string{"version", "--format", "text,json"}, "--format: one format at a time"},
	} {
		out, errOut, code := runCmd("", c.args...)
		if code != 2 || out != "" || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want usage error %q", c.args, code, out, errOut, c.msg)
		}
	}
}

// TestErrorStyle: every error reads "vpcsim: error: …"; a usage error
// then points to the help of the command that failed.
func TestErrorStyle(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		msg  string
		help string
	}{
		{[]string{"report", "--bogus"}, 2, "vpcsim: error: unknown flag: --bogus\n", "vpcsim report"},
		{[]string{"trace", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tpc"}, 2, `vpcsim: error: --protocol: invalid protocol "tpc"`, "vpcsim trace"},
		{[]string{"export", "sql", "--format", "mysql"}, 2, `vpcsim: error: --format: invalid format "mysql"`, "vpcsim export sql"},
		{[]string{"frobnicate"}, 2, `vpcsim: error: unknown command "frobnicate"`, "vpcsim"},
		{[]string{"trace", "--from", "aws_instance.nope", "--to", "internet", "--protocol", "tcp"}, 1, `vpcsim: error: --from: unknown endpoint "aws_instance.nope"`, ""},
		{[]string{"report", "--in", "nowhere.tfstate"}, 1, "nowhere.tfstate: error: cannot read the input", ""},
		// Numbers out of range are echoed briefly.
		{[]string{"trace", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "icmp", "--icmp-type", strings.Repeat("9", 400)}, 2,
			`vpcsim: error: --icmp-type: "999999999999999999999999"… (400 characters) is not a number 0-255`, "vpcsim trace"},
		{[]string{"trace", "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "icmp", "--icmp-code", "256"}, 2, `--icmp-code: "256" is not a number 0-255`, "vpcsim trace"},
	} {
		out, errOut, code := runCmd("", c.args...)
		if code != c.code || out != "" || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and %q", c.args, code, out, errOut, c.code, c.msg)
		}
		if help := "Run '" + c.help + " --help' for usage."; c.help != "" && !strings.HasSuffix(errOut, help+"\n") {
			t.Errorf("%v: stderr %q does not end with %q", c.args, errOut, help)
		}
		if len(errOut) > 400 {
			t.Errorf("%v: %d characters of error", c.args, len(errOut))
		}
	}
}

// TestContradictingFlags: flags that cannot all hold are a usage error, not
// an answer that silently ignores one of them.
func TestContradictingFlags(t *testing.T) {
	// The embedded example has a high finding: with --min-severity critical
	// it is left out, and --fail-on low could never see it.
	if _, _, code := runCmd("", "report", "--fail-on", "low"); code != 3 {
		t.Fatalf("--fail-on low on the example: exit %d, want 3", code)
	}
	dv := filepath.Join(t.TempDir(), "data.json")
	os.WriteFile(dv, []byte("{\n  \"data.aws_vpc.shred\": {\"id\": \"vpc-1\"}\n}\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"report", "--min-severity", "critical", "--fail-on", "low"}, 2, "--fail-on low is below --min-severity critical"},
		{[]string{"report", "--min-severity", "HIGH", "--fail-on", "High"}, 3, ""},
		{[]string{"report", "--var", "x=1"}, 2, "--var set values of a Terraform configuration, but examples/three-tier/terraform.tfstate (embedded) is a terraform-state"},
		{[]string{"inspect", "--in", corpus + "packt_vpc.tfstate", "--var-file", "x.tfvars", "--data-values", "d.json"}, 2, "--var-file, --data-values set values of a Terraform configuration"},
		{[]string{"trace", "--from", "internet", "--from-addr", "private", "--to", "aws_instance.bastion", "--protocol", "tcp"}, 2, "--from-addr private chooses an address of a named element, but the end is the internet"},
		{[]string{"trace", "--from", "aws_instance.bastion", "--to", "Internet", "--to-addr", "1.2.3.4", "--protocol", "tcp"}, 2, "--to-addr 1.2.3.4 chooses an address"},
		{[]string{"inspect", "--in", "../../examples/three-tier", "--data-values", dv}, 1, dv + `:2:3: error: data values file: key "data.aws_vpc.shred": no data source of the configuration has this address`},
		{[]string{"inspect", "--in", "../../examples/peering-endpoints", "--data-values", dv}, 1, `key "data.aws_vpc.shred": no data source of the configuration has this address`},
	} {
		out, errOut, code := runCmd("", c.args...)
		if code != c.code || !strings.Contains(errOut, c.msg) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", c.args, code, errOut, c.code, c.msg)
		}
		if c.code != 3 && out != "" {
			t.Errorf("%v: stdout %q", c.args, out)
		}
	}
}

// TestDataValuesSuggest: a misspelt key of the data values file is named
// with the address meant.
func TestDataValuesSuggest(t *testing.T) {
	ex := "../../examples/peering-endpoints/"
	b, err := os.ReadFile(ex + "data-values.json")
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil || len(keys) == 0 {
		t.Fatalf("%v", err)
	}
	var key string
	for k := range keys {
		key = k
	}
	bad := strings.Replace(string(b), `"`+key+`"`, `"`+key+`x"`, 1)
	dv := filepath.Join(t.TempDir(), "data.json")
	os.WriteFile(dv, []byte(bad), 0o644)
	_, errOut, code := runCmd("", "inspect", "--in", ex, "--data-values", dv)
	if code != 1 || !strings.Contains(errOut, `key "`+key+`x": no data source of the configuration has this address; did you mean `+key+"?") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestHelpHasNoSentinels: no flag shows an internal value standing for
// "not set" (default -1).
func TestHelpHasNoSentinels(t *testing.T) {
	root := newRootCmd(&streams{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}}, &profiler{})
	sentinel := regexp.MustCompile(`\(default -\d|default: -1`)
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		out, _, _ := runCmd("", append(strings.Fields(strings.TrimPrefix(c.CommandPath(), "vpcsim")), "--help")...)
		if m := sentinel.FindString(out); m != "" {
			t.Errorf("%s --help shows %q", c.CommandPath(), m)
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// TestLongNumbersInInputAreBrief: a number of 401 digits in a configuration
// is quoted in scientific notation.
func TestLongNumbersInInputAreBrief(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "main.tf"), []byte(`
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_security_group" "s" {
  vpc_id = aws_vpc.v.id
  ingress {
    from_port   = 22
    to_port     = 1e400
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`), 0o644)
	_, errOut, code := runCmd("", "inspect", dir)
	if code != 1 || !strings.Contains(errOut, `to_port "1e+400" is not a port number`) || len(errOut) > 300 {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// TestEndpointNames: a name with an index resolves, or the error says
// precisely why not; "did you mean" never offers the name it rejects; a
// subnet or another element named as an end says what it is.
func TestEndpointNames(t *testing.T) {
	trace := func(to string) []string {
		return []string{"trace", "--from", "aws_instance.bastion", "--to", to, "--protocol", "tcp", "--port", "5432"}
	}
	if _, errOut, code := runCmd("", trace(`aws_instance.db["primary"]`)...); code != 0 && code != 3 {
		t.Errorf(`aws_instance.db["primary"]: exit %d, %s`, code, errOut)
	}
	for _, c := range []struct{ to, msg string }{
		{`module.network.aws_subnet.db["us-east-1a"]`, `module.network.aws_subnet.db["us-east-1a"] is a subnet, not one host: name one of its interfaces (aws_instance.db["primary"]), or give an address in 10.0.20.0/24`},
		{`module.network.aws_subnet.db[0]`, `(module.network.aws_subnet.db has instances module.network.aws_subnet.db["us-east-1a"], module.network.aws_subnet.db["us-east-1b"])`},
		{`aws_instance.app`, `(aws_instance.app has instances aws_instance.app[0], aws_instance.app[1])`},
		{`aws_instance.app[7]`, `(aws_instance.app has instances aws_instance.app[0], aws_instance.app[1])`},
		{`aws_security_group.app`, `aws_security_group.app is an element of the network but not an endpoint`},
		{`aws_instance.bastio`, `(did you mean aws_instance.bastion?)`},
	} {
		out, errOut, code := runCmd("", trace(c.to)...)
		if code != 1 || out != "" || !strings.Contains(errOut, c.msg) {
			t.Errorf("--to %s: exit %d, stderr %q; want %q", c.to, code, errOut, c.msg)
		}
		if strings.Contains(errOut, "did you mean "+c.to+"?") {
			t.Errorf("--to %s: suggests the name it rejects: %q", c.to, errOut)
		}
	}
}

// TestTraceToInternetIsBrief: "can this host reach the internet?" is
// answered in a line — yes, partly, and the few destinations excluded —
// under a code that says the addresses are partial; --verbose lists what
// passes.
func TestTraceToInternetIsBrief(t *testing.T) {
	args := []string{"trace", "--from", "aws_instance.app[0]", "--to", "internet", "--protocol", "tcp", "--port", "443"}
	out, _, code := runCmd("", args...)
	want := "REACHABLE (partly): tcp 10.0.10.71:1024-65535 -> internet:443 passes both ways, except for 3 destinations 3.215.77.141, 44.210.93.18, 52.4.188.27 (--verbose lists what passes)\n"
	if code != 0 || !strings.Contains(out, want) {
		t.Errorf("exit %d, output:\n%s\nwant the line %q", code, out, want)
	}
	if !strings.Contains(out, "PARTIAL_ADDRESSES: the flow passes both ways but for 3 destination ranges") || strings.Contains(out, "EPHEMERAL_RANGE_PARTIAL") {
		t.Errorf("the partial destinations are not explained as such:\n%s", out)
	}
	verbose, _, _ := runCmd("", append(args, "--verbose")...)
	if !strings.Contains(verbose, "REACHABLE (partly): tcp 10.0.10.71:1024-65535 -> 1.0.0.0-3.215.77.140,3.215.77.142-9.255.255.255,") {
		t.Errorf("--verbose does not list what passes:\n%s", verbose)
	}
}

// TestMatrixByMissingTag: --by tag:KEY for a tag nobody has warns, on
// standard error and in the answer, naming the tags there are.
func TestMatrixByMissingTag(t *testing.T) {
	out, errOut, code := runCmd("", "matrix", "--by", "tag:Tier")
	msg := "no interface or instance has the tag Tier: every interface is in one group; the tags there are: Environment, ManagedBy, Name, Project, Role"
	if code != 0 || !strings.Contains(errOut, "vpcsim: warning: "+msg) || !strings.Contains(out, "TAG_NOT_FOUND: "+msg) {
		t.Errorf("exit %d, stdout:\n%s\nstderr %q", code, out, errOut)
	}
	if _, errOut, _ := runCmd("", "matrix", "--by", "tag:Role"); withoutNotesLine(errOut) != "" {
		t.Errorf("--by tag:Role: stderr %q", errOut)
	}
}

// TestReportFromIncludesSelf: report --from a VPC answers "what can this
// VPC reach", its own interfaces included (the app tier from the bastion),
// unless --exclude-self.
func TestReportFromIncludesSelf(t *testing.T) {
	with, _, code := runCmd("", "report", "--from", "module.network.aws_vpc.this")
	without, _, code2 := runCmd("", "report", "--from", "module.network.aws_vpc.this", "--exclude-self")
	if code != 0 || code2 != 0 || !strings.Contains(with, "aws_instance.app[0]") || strings.Contains(without, "aws_instance.app[0]") {
		t.Errorf("exit %d and %d; with self:\n%s\nwithout:\n%s", code, code2, with, without)
	}
}

// TestLargeMarkdownIsCapped: the Markdown of a large report fits a GitHub
// comment, the most severe findings first, and counts what it leaves out.
func TestLargeMarkdownIsCapped(t *testing.T) {
	state := filepath.Join(t.TempDir(), "estate.tfstate")
	if _, errOut, code := runCmd("", "gen", "--vpcs", "10", "--subnets-per-vpc", "4", "--instances-per-subnet", "5", "-o", state); code != 0 {
		t.Fatalf("gen: exit %d, %s", code, errOut)
	}
	md, _, code := runCmd("", "report", "--in", state, "--format", "markdown")
	js, _, _ := runCmd("", "report", "--in", state, "--format", "json")
	var r struct {
		Summary struct{ Total int } `json:"summary"`
	}
	if err := json.Unmarshal([]byte(js), &r); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\| (\d+) more not shown: the JSON and SARIF outputs have every one \|`).FindStringSubmatch(md)
	if code != 0 || len(md) > 65536 || m == nil {
		t.Fatalf("exit %d, %d bytes, count row %v", code, len(md), m)
	}
	var left int
	fmt.Sscan(m[1], &left)
	if shown := strings.Count(md, " | **"); shown+left != r.Summary.Total {
		t.Errorf("%d rows shown and %d left out, of %d findings", shown, left, r.Summary.Total)
	}
	if !strings.Contains(md, "| 1 | **high** |") {
		t.Errorf("the most severe finding is not first")
	}
}

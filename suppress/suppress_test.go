package suppress

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Each SPEC accepts what docs/ci.md says: ports and ranges a finding's
// ports lie within, a protocol, a kind, a fingerprint, everything.
func TestParseSpec(t *testing.T) {
	tests := []struct {
		in   string
		want spec
		bad  bool
	}{
		{in: "22", want: spec{from: 22, to: 22}},
		{in: "8000-8080", want: spec{from: 8000, to: 8080}},
		{in: "tcp/22", want: spec{protocol: "tcp", from: 22, to: 22}},
		{in: "udp/1194", want: spec{protocol: "udp", from: 1194, to: 1194}},
		{in: "tcp", want: spec{protocol: "tcp", to: 65535}},
		{in: "high-risk-port", want: spec{kind: "high-risk-port"}},
		{in: "exposure/web", want: spec{kind: "web"}},
		{in: "0123456789abcdef", want: spec{fingerprint: "0123456789abcdef"}},
		{in: "*", want: spec{any: true}},
		{in: "gre/47", bad: true},
		{in: "70000", bad: true},
		{in: "90-80", bad: true},
		{in: "tcp/ssh", bad: true},
	}
	for _, tc := range tests {
		got, err := parseSpec(tc.in)
		if (err != nil) != tc.bad {
			t.Errorf("parseSpec(%q) error %v, want bad=%v", tc.in, err, tc.bad)
			continue
		}
		if !tc.bad && got != tc.want {
			t.Errorf("parseSpec(%q) = %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

// A directive's expiry can follow the SPEC (tfsec's form) or stand apart;
// the rest of the line is the reason.
func TestParseDirective(t *testing.T) {
	tests := []struct {
		head, rest      string
		specs           string
		expires, reason string
		bad             bool
	}{
		{"tcp/22:exp:2027-01-31", " reached through the VPN only", "tcp/22", "2027-01-31", "reached through the VPN only", false},
		{"tcp/22", " exp:2027-01-31 reason", "tcp/22", "2027-01-31", "reason", false},
		{"80,443", "", "80,443", "", "", false},
		{"22:exp:tomorrow", "", "", "", "", true},
		{"22:exp:2027-02-30", "", "", "", "", true},
		{"ssh", "", "", "", "", true},
	}
	for _, tc := range tests {
		d, err := parseDirective(tc.head, tc.rest)
		if (err != nil) != tc.bad {
			t.Errorf("parseDirective(%q, %q) error %v, want bad=%v", tc.head, tc.rest, err, tc.bad)
			continue
		}
		if tc.bad {
			continue
		}
		if got := strings.Join(d.specs, ","); got != tc.specs || d.expires != tc.expires || d.reason != tc.reason {
			t.Errorf("parseDirective(%q, %q) = %q %q %q, want %q %q %q", tc.head, tc.rest, got, d.expires, d.reason, tc.specs, tc.expires, tc.reason)
		}
	}
}

// Directives apply to a block from its first line and the run of comments
// directly above it; a string holding "#" is not a comment; a comment the
// scanner cannot read is reported, once.
func TestDirectives(t *testing.T) {
	src := `# vpcsim:ignore:80 not this block: a blank line separates it

# vpcsim:ignore:tcp/22 above
// vpcsim:ignore:443 slashes too
resource "aws_security_group_rule" "ssh" { # vpcsim:ignore:3389 trailing
  description = "# vpcsim:ignore:9999 in a string"
}

# vpcsim:ignore:ssh unreadable
resource "aws_security_group_rule" "other" {
}
`
	in := NewInline(func(string) ([]byte, error) { return []byte(src), nil }, time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC))
	var specs []string
	for _, d := range in.directives("main.tf", 5) {
		specs = append(specs, d.specs...)
	}
	if got := strings.Join(specs, " "); got != "3389 443 tcp/22" {
		t.Errorf("directives of the ssh block: %q, want 3389 443 tcp/22", got)
	}
	if name := in.blockName("main.tf", 5); name != "aws_security_group_rule.ssh" {
		t.Errorf("block name %q", name)
	}
	if ds := in.directives("main.tf", 10); len(ds) != 0 {
		t.Errorf("an unreadable comment applies: %+v", ds)
	}
	in.directives("main.tf", 10)
	if p := in.Problems(); len(p) != 1 || p[0].Line != 9 {
		t.Errorf("problems %+v, want one at line 9", p)
	}
}

func TestCovered(t *testing.T) {
	tests := []struct {
		sources, accepted []string
		want              bool
	}{
		{[]string{"0.0.0.0/0"}, []string{"0.0.0.0/0"}, true},
		{[]string{"198.51.100.0/24"}, []string{"198.51.100.0/23"}, true},
		{[]string{"198.51.100.0/24"}, []string{"198.51.100.0/25", "198.51.100.128/25"}, true},
		{[]string{"198.51.100.0/24"}, []string{"198.51.100.0/25"}, false},
		{[]string{"0.0.0.0/0"}, []string{"198.51.100.0/24"}, false},
		{[]string{"2001:db8::/32"}, []string{"0.0.0.0/0"}, false},
		{[]string{"10.0.0.1/32"}, nil, true},
	}
	for _, tc := range tests {
		if got := within(tc.sources, tc.accepted, "internet"); got != tc.want {
			t.Errorf("within(%v, %v) = %v, want %v", tc.sources, tc.accepted, got, tc.want)
		}
	}
}

// A baseline is written whole or not at all, and read back as written;
// anything else is refused with the file (and line) named.
func TestBaselineFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "baseline.json")
	b := &Baseline{Version: BaselineVersion, Tool: "vpcsim", Findings: []Entry{{Fingerprint: "0123456789abcdef", Source: "internet",
		Key: "aws_instance.web", Target: "aws_instance.web", Protocol: "tcp", FromPort: 443, ToPort: 443, Sources: []string{"0.0.0.0/0"}}}}
	if err := b.Write(path); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files after writing: a temporary file was left", len(entries))
	}
	got, err := ReadBaseline(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Findings) != 1 || got.Findings[0].Key != "aws_instance.web" {
		t.Errorf("read back %+v", got.Findings)
	}
	for name, content := range map[string]string{
		"truncated.json": "{\"version\": 1,\n \"tool\": \"vpcsim\",\n \"findings\": [",
		"other.json":     `{"version": 2, "tool": "vpcsim", "findings": []}`,
		"unknown.json":   `{"version": 1, "tool": "vpcsim", "findings": [], "extra": true}`,
		"expiry.json":    `{"version": 1, "tool": "vpcsim", "findings": [{"fingerprint": "x", "expires": "soon"}]}`,
		"sarif.json":     `{"version": "2.1.0", "runs": []}`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadBaseline(p); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v, want one naming the file", name, err)
		}
	}
}

func FuzzReadBaseline(f *testing.F) {
	f.Add([]byte(`{"version": 1, "tool": "vpcsim", "findings": [{"fingerprint": "0123456789abcdef", "source": "internet", "sources": ["0.0.0.0/0"], "expires": "2027-01-31"}]}`))
	f.Add([]byte(`{"version": 1`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "b.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		_, _ = ReadBaseline(path) // must not panic
	})
}

func FuzzDirective(f *testing.F) {
	for _, s := range []string{"# vpcsim:ignore:tcp/22:exp:2027-01-31 reason", `x = "#" // vpcsim:ignore:*`, "/* vpcsim:ignore:80-90 */"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		in := NewInline(func(string) ([]byte, error) { return []byte(line + "\nresource \"a\" \"b\" {}\n"), nil }, time.Now())
		_ = in.directives("f.tf", 2) // must not panic
		_ = in.blockName("f.tf", 2)
	})
}

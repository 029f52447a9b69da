package intent

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

func TestParse(t *testing.T) {
	src := `
# A comment.
deny "db" {
  description = "Nothing in the database subnets is reachable from the internet"
  from = internet
  to   = [subnet("aws_subnet.db"), tag("Tier", "db")]
}

allow "app-db" {
  from     = security_group("sg-0abc")
  to       = resource("module.db.aws_instance.*")
  services = ["tcp/5432", "udp/53", "icmp/8", "all", "47"]
  severity = "Medium"
}

only "ssh" {
  to      = all
  traffic = "tcp/22"
  from    = [cidr("10.8.0.0/16"), on_premises, vpc("vpc-1"), type("aws_instance"), anywhere]
}
`
	f, ds := Parse("t.hcl", []byte(src))
	if f == nil || ds.HasErrors() {
		t.Fatalf("parse: %v", ds)
	}
	if len(f.Expectations) != 3 {
		t.Fatalf("%d expectations", len(f.Expectations))
	}
	deny, allow, only := f.Expectations[0], f.Expectations[1], f.Expectations[2]
	if deny.Kind != reach.ExpectDeny || deny.Name != "db" || deny.Severity != "high" || deny.Pos != (model.Pos{File: "t.hcl", Line: 3, Col: 1}) {
		t.Errorf("deny: %+v", deny)
	}
	if got := deny.To.String(); got != `subnet("aws_subnet.db"), tag("Tier", "db")` {
		t.Errorf("to as written: %q", got)
	}
	if p := deny.To.Selectors[1].Pos; p.Line != 6 || p.Col != 36 {
		t.Errorf("second selector at %v", p)
	}
	if allow.Severity != "medium" || len(allow.Services) != 5 {
		t.Errorf("allow: %+v", allow)
	}
	if s := allow.Services[2]; s.String() != "icmp type 8" {
		t.Errorf("icmp/8 read as %s", s)
	}
	if only.Kind != reach.ExpectOnly || len(only.Traffic) != 1 || only.Traffic[0].String() != "tcp 22" || len(only.From.Selectors) != 5 {
		t.Errorf("only: %+v", only)
	}
}

// TestParseErrors checks that every problem is reported, each at its
// position, in words a reader can act on.
func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, src string
		// want are "line:col: substring" of the errors, in order.
		want []string
	}{
		{"syntax", `deny "a" {`, []string{"1:10: unclosed configuration block"}},
		{"unknown block", `permit "a" {
  from = all
  to = all
}`, []string{`1:1: unsupported block type: blocks of type "permit" are not expected here`}},
		{"missing name", `deny {
  from = all
  to = all
}`, []string{"1:6: missing name for deny"}},
		{"missing to", `deny "a" { from = internet }`, []string{`1:12: missing required argument: the argument "to" is required`}},
		{"misspelt attribute", `deny "a" {
  from = internet
  to = all
  servics = ["tcp/22"]
}`, []string{`4:3: unsupported argument: an argument named "servics" is not expected here. Did you mean "services"?`}},
		{"string instead of keyword", `deny "a" {
  from = "internet"
  to = all
}`, []string{`2:10: from lists selectors, not string (a string: write a keyword without quotes, such as internet`}},
		{"misspelt keyword", `deny "a" {
  from = internt
  to = all
}`, []string{`2:10: from: unknown variable: there is no variable named "internt". Did you mean "internet"?`}},
		{"misspelt function", `deny "a" {
  from = internet
  to = subnets("x")
}`, []string{`3:8: to: call to unknown function: there is no function named "subnets". Did you mean "subnet"?`}},
		{"bad cidr", `deny "a" {
  from = cidr("10.0.0.1/8")
  to = all
}`, []string{`2:10: from: error in function call: call to function "cidr" failed: 10.0.0.1/8 has host bits set; the block is 10.0.0.0/8`}},
		{"bad service", `allow "a" {
  from = all
  to = all
  services = ["tcp/22", "tpc/22", "icmp/300", "gre/1"]
}`, []string{`4:25: services: service "tpc/22": unknown protocol`, `4:35: services: service "icmp/300": an ICMP type is 0-255`, `4:47: services: service "gre/1": unknown protocol`}},
		{"traffic outside only", `deny "a" {
  from = all
  to = all
  traffic = ["tcp/22"]
}`, []string{`4:3: traffic applies to only blocks`}},
		{"bad severity", `deny "a" {
  from = all
  to = all
  severity = "urgent"
}`, []string{`4:14: severity "urgent" is not one of critical, high, medium, low, info`}},
		{"duplicate names", `deny "a" {
  from = all
  to = all
}
allow "a" {
  from = all
  to = all
}`, []string{`5:1: expectation "a" is declared twice (first at t.hcl:1:1)`}},
		{"empty list", `deny "a" {
  from = []
  to = all
}`, []string{`2:10: from is empty`}},
		{"no expectations", `# nothing`, []string{`1:1: the file declares no expectation`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, ds := Parse("t.hcl", []byte(c.src))
			if f != nil {
				t.Fatalf("parsed an invalid file: %+v", f)
			}
			errs := ds.Errors()
			if len(errs) != len(c.want) {
				t.Fatalf("%d errors, want %d:\n%v", len(errs), len(c.want), ds)
			}
			for i, w := range c.want {
				pos, msg, _ := strings.Cut(w, ": ")
				d := errs[i]
				if got := strings.TrimPrefix(d.Pos.String(), "t.hcl:"); got != pos || !strings.Contains(d.String(), msg) {
					t.Errorf("error %d: %s\nwant at %s: %s", i, d, pos, msg)
				}
			}
		})
	}
}

func TestParseService(t *testing.T) {
	for in, want := range map[string]string{
		"tcp/443": "tcp 443", "TCP/1024-65535": "tcp 1024-65535", "udp": "udp all", "icmp": "icmp", "icmpv6/128": "icmpv6 type 128",
		"all": "all", "-1": "all", "47": "protocol 47",
	} {
		s, err := ParseService(in)
		if err != nil || s.String() != want {
			t.Errorf("ParseService(%q) = %s, %v; want %s", in, s, err, want)
		}
	}
	for _, in := range []string{"", "tcp/", "tcp/70000", "tcp/20-10", "gre/22", "icmp/256", "ftp"} {
		if _, err := ParseService(in); err == nil {
			t.Errorf("ParseService(%q) accepted", in)
		}
	}
}

func TestAddressPatterns(t *testing.T) {
	cases := []struct {
		pattern, addr string
		want          bool
	}{
		{"aws_instance.app", "aws_instance.app", true},
		{"aws_instance.app", "aws_instance.app[1]", true},
		{"aws_instance.app", `aws_instance.app["x"]`, true},
		{"aws_instance.app[1]", "aws_instance.app[0]", false},
		{"aws_instance.app", "aws_instance.application", false},
		{"aws_instance.*", "aws_instance.web[3]", true},
		{"module.spoke.aws_instance.app", `module.spoke["dev"].aws_instance.app[1]`, true},
		{`module.spoke["dev"].aws_instance.app`, `module.spoke["prod"].aws_instance.app[1]`, false},
		{`module.spoke["dev"].*`, `module.spoke["dev"].aws_instance.app[1]`, true},
		{`module.spoke[*].aws_instance.app[*]`, `module.spoke["prod"].aws_instance.app[0]`, true},
		{"aws_instance.app", "module.x.aws_instance.app", false},
		{"*.aws_instance.app", "module.x.aws_instance.app[0]", true},
		{`module.a["k.v"].aws_subnet.s`, `module.a["k.v"].aws_subnet.s[0]`, true},
	}
	for _, c := range cases {
		if got := addressPattern(c.pattern).MatchString(c.addr); got != c.want {
			t.Errorf("%s matches %s: %v, want %v", c.pattern, c.addr, got, c.want)
		}
	}
	for addr, want := range map[string]string{
		"aws_instance.app[0]":                              "aws_instance",
		`module.spoke["dev"].aws_instance.app[1]`:          "aws_instance",
		"module.x.data.aws_network_interface.ssm[0]":       "aws_network_interface",
		`module.a.module.b.aws_security_group.this["web"]`: "aws_security_group",
	} {
		if got := resourceType(addr); got != want {
			t.Errorf("resourceType(%s) = %q, want %q", addr, got, want)
		}
	}
}

// TestExampleIntentsParse parses the examples' intent files and every
// testdata file.
func TestExampleIntentsParse(t *testing.T) {
	files, _ := filepath.Glob("../examples/*/intent.hcl")
	more, _ := filepath.Glob("testdata/*.hcl")
	files = append(files, more...)
	if len(files) < 3 {
		t.Fatalf("found %v", files)
	}
	for _, p := range files {
		f, ds := ParseFile(p)
		if f == nil || ds.HasErrors() {
			t.Errorf("%s: %v", p, ds)
		}
	}
}

func TestParseFileMissing(t *testing.T) {
	_, ds := ParseFile(filepath.Join(t.TempDir(), "nope.hcl"))
	if !ds.HasErrors() || !strings.Contains(ds.Error(), "nope.hcl: error: cannot read the intent file") {
		t.Errorf("got %v", ds)
	}
}

func TestSeverities(t *testing.T) {
	if !slices.Contains(Severities, DefaultSeverity) {
		t.Errorf("default %q not in %v", DefaultSeverity, Severities)
	}
}

// FuzzParse: the parser never panics, and what it accepts has every
// expectation named, with both ends.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("../examples/*/intent.hcl")
	more, _ := filepath.Glob("testdata/*.hcl")
	for _, p := range append(files, more...) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`deny "x" { from = [internet, cidr("::/0")] to = tag("a") }`))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, ds := Parse("fuzz.hcl", src)
		if file == nil {
			if !ds.HasErrors() {
				t.Fatalf("no file and no error: %v", ds)
			}
			return
		}
		for _, x := range file.Expectations {
			if x.Name == "" || len(x.To.Selectors) == 0 || x.Kind == 0 || !slices.Contains(Severities, x.Severity) {
				t.Fatalf("accepted %+v", x)
			}
		}
	})
}

// The HCL examples of docs/intent.md parse as they are shown, and use every
// kind of expectation.
func TestDocExamplesParse(t *testing.T) {
	b, err := os.ReadFile("../docs/intent.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := regexp.MustCompile("(?s)```hcl\n(.*?)```").FindAllStringSubmatch(string(b), -1)
	if len(blocks) == 0 {
		t.Fatal("docs/intent.md shows no HCL")
	}
	kinds := map[string]bool{}
	for i, m := range blocks {
		f, ds := Parse(fmt.Sprintf("docs/intent.md block %d", i+1), []byte(m[1]))
		if f == nil || ds.HasErrors() {
			t.Errorf("docs/intent.md's HCL block %d does not parse: %v", i+1, ds)
			continue
		}
		for _, x := range f.Expectations {
			kinds[x.Kind.String()] = true
		}
	}
	for _, k := range []string{"deny", "allow", "only"} {
		if !kinds[k] {
			t.Errorf("docs/intent.md shows no %s expectation", k)
		}
	}
}

// Package hostile generates the inputs vpcsim must survive: pathological
// configurations, states and plans that try to make it run for ever, exhaust
// memory or crash (a count of a million, for expressions nested over
// range(1000), modules a hundred deep, JSON nested 100,000 levels, strings
// of 100 MB), and legitimate networks at the edge of AWS's limits that must
// still load and be analysed quickly (a network ACL with 32,766 rules, a
// route table with 1,000 routes, a prefix list of 10,000 entries).
//
// The inputs are generated, never committed: some are hundreds of
// megabytes. Tests of cmd/vpcsim run each through the command line
// (docs/limits.md, docs/testing.md); internal/bench measures the large ones.
package hostile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Files is a folder of files, by slash-separated path relative to it.
type Files map[string]string

// Write writes the files under dir.
func (fs Files) Write(dir string) error {
	for name, content := range fs {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// vpcTF is a resource every configuration below holds, so that only what
// the case is about can go wrong.
const vpcTF = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}
`

// Case is one pathological input: what vpcsim is given, and where the error
// that refuses it must point.
type Case struct {
	Name string
	// Files is the input folder; the input is the folder, or Input inside
	// it when Input is set (a state or plan file).
	Files Files
	Input string
	// Args are extra command-line arguments, with "DIR" standing for the
	// folder the files are written to.
	Args []string
	// Where is the file (slash-separated, relative to the folder; a
	// folder ending in / stands for any file under it) and line the error
	// must name; Line 0 means any line.
	Where string
	Line  int
	// Want is what the error message must say (a limit's flag, the cause).
	Want string
	// Size, when set, is the size Input is extended to (with zero bytes,
	// which take no room on disk) after it is written.
	Size int64
}

// Write writes the case's files under dir and returns the path of its
// input.
func (c Case) Write(dir string) (string, error) {
	if err := c.Files.Write(dir); err != nil {
		return "", err
	}
	if c.Input == "" {
		return dir, nil
	}
	in := filepath.Join(dir, filepath.FromSlash(c.Input))
	if c.Size > 0 {
		if err := os.Truncate(in, c.Size); err != nil {
			return "", err
		}
	}
	return in, nil
}

// Pathological are the inputs vpcsim must refuse within seconds, with a
// clear error at the file and line that causes it. The large ones are
// built when called.
func Pathological() []Case {
	deep := Files{}
	dir := ""
	for i := range 100 {
		deep[dir+"main.tf"] = fmt.Sprintf("module \"m%d\" {\n  source = \"./m\"\n}\n", i)
		if i == 0 {
			deep[dir+"main.tf"] += vpcTF
		}
		dir += "m/"
	}
	deep[dir+"main.tf"] = vpcTF

	doubling := Files{}
	var b strings.Builder
	b.WriteString("locals {\n  s0 = \"" + strings.Repeat("x", 64) + "\"\n")
	for i := 1; i <= 40; i++ {
		fmt.Fprintf(&b, "  s%d = \"${local.s%d}${local.s%d}\"\n", i, i-1, i-1)
	}
	b.WriteString("}\n")
	doubling["main.tf"] = b.String() + vpcTF

	multiplied := Files{"main.tf": "module \"m\" {\n  source = \"./m\"\n  count  = 100\n}\n" + vpcTF}
	dir = "m/"
	for range 6 {
		multiplied[dir+"main.tf"] = "module \"m\" {\n  source = \"./m\"\n  count  = 100\n}\nresource \"aws_security_group\" \"g\" {\n  name = \"g\"\n}\n"
		dir += "m/"
	}
	multiplied[dir+"main.tf"] = "resource \"aws_security_group\" \"g\" {\n  name = \"g\"\n}\n"

	return []Case{
		{Name: "count of a million", Files: Files{"main.tf": vpcTF + `
resource "aws_subnet" "s" {
  count      = 1000000
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet("10.0.0.0/16", 8, count.index % 256)
}
`}, Where: "main.tf", Line: 6, Want: "--max-instances"},
		{Name: "for_each of a million", Files: Files{"main.tf": vpcTF + `
locals {
  keys = toset(flatten([for a in range(1000) : [for b in range(1000) : "${a}-${b}"]]))
}
resource "aws_subnet" "s" {
  for_each   = local.keys
  vpc_id     = aws_vpc.main.id
  cidr_block = "10.0.0.0/24"
}
`}, Where: "main.tf", Line: 6, Want: "--max-eval-steps"},
		{Name: "three nested for expressions over range(1000)", Files: Files{"main.tf": vpcTF + `
locals {
  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : a + b + c]]]
}
`}, Where: "main.tf", Line: 6, Want: "--max-eval-steps"},
		{Name: "setproduct of four sets of 100", Files: Files{"main.tf": vpcTF + `
locals {
  r = [for i in range(100) : tostring(i)]
  p = setproduct(local.r, local.r, local.r, local.r)
}
`}, Where: "main.tf", Line: 7, Want: "--max-eval-steps"},
		{Name: "a string doubled forty times", Files: doubling, Where: "main.tf", Line: 22, Want: "--max-string-size"},
		{Name: "modules called with count 100, six deep", Files: multiplied, Where: "m/", Want: "--max-eval-steps"},
		{Name: "modules nested a hundred deep", Files: deep, Where: strings.Repeat("m/", 31) + "main.tf", Line: 2, Want: "nested more than 32 levels"},
		{Name: "a module that calls itself", Files: Files{"main.tf": "module \"again\" {\n  source = \"./\"\n}\n" + vpcTF},
			Where: "main.tf", Line: 2, Want: "modules cannot call themselves"},
		{Name: "a reference cycle through locals and modules", Files: Files{
			"main.tf":     "locals {\n  a = module.m.out\n}\nmodule \"m\" {\n  source = \"./m\"\n  x      = local.a\n}\n" + vpcTF,
			"m/main.tf":   "variable \"x\" {}\noutput \"out\" {\n  value = var.x\n}\n",
			"m/README.md": "A module whose output is its input.\n",
		}, Where: "main.tf", Line: 2, Want: "dependency cycle: local.a -> module.m.output.out -> module.m.var.x -> local.a"},
		{Name: "a CIDR block of 10,000 characters", Files: Files{"main.tf": `resource "aws_vpc" "main" {
  cidr_block = "` + strings.Repeat("10.0.0.0/16,", 834) + `"
}
`}, Where: "main.tf", Line: 1, Want: "is not a valid CIDR block: it is 10,008 characters long"},
		{Name: "a CIDR list of 10,000 characters to a function", Files: Files{"main.tf": vpcTF + `
locals {
  subnets = cidrsubnets("` + strings.Repeat("10.0.0.0/8 ", 910) + `", 8, 8)
}
`}, Where: "main.tf", Line: 6, Want: "it is 10,010 characters long"},
		{Name: "a .tf file nested 100,000 levels", Files: Files{"main.tf": vpcTF + "locals {\n  x = " + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "\n}\n"},
			Where: "main.tf", Line: 5, Want: "nested more than 512 levels"},
		// The nesting scan cannot follow HCL's lexer past a byte that is
		// not UTF-8; lexing the rest took gigabytes.
		{Name: "a .tf file not UTF-8 before a million parentheses", Files: Files{"main.tf": vpcTF + "locals {\n  x = \"\xff\"\n  y = " + strings.Repeat("(", 1000000) + "\n}\n"},
			Where: "main.tf", Line: 5, Want: "invalid character encoding"},
		{Name: "an operator chain of 100,000", Files: Files{"main.tf": vpcTF + "locals {\n  x = 1" + strings.Repeat(" + 1", 100000) + "\n}\n"},
			Where: "main.tf", Line: 5, Want: "nested more than 512 levels"},
		{Name: "a .tf.json file nested 100,000 levels", Files: Files{"main.tf.json": `{"resource": {"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}}}, "locals": {"x": ` +
			strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}}"}, Where: "main.tf.json", Line: 1, Want: "JSON nested more than 512 levels"},
		{Name: "a .tfvars value nested 100,000 levels", Files: Files{"main.tf": vpcTF + "variable \"x\" {\n  type = any\n}\n",
			"terraform.tfvars": "x = " + strings.Repeat("{a = ", 100000) + "1" + strings.Repeat("}", 100000) + "\n"},
			Where: "terraform.tfvars", Line: 1, Want: "nested more than 512 levels"},
		{Name: "a data values file nested 100,000 levels", Files: Files{"main.tf": vpcTF,
			"values.json": `{"data.aws_vpc.x": {"a": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}}"},
			Args: []string{"--data-values", "DIR/values.json"}, Where: "values.json", Line: 1, Want: "JSON nested more than 512 levels"},
		{Name: "a for expression in a .tf.json template", Files: Files{"main.tf.json": `{"resource": {"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}}},
"locals": {"cube": "${[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : a + b + c]]]}"}}`},
			Where: "main.tf.json", Line: 2, Want: "--max-eval-steps"},
		{Name: "a state nested 100,000 levels", Files: Files{"terraform.tfstate": `{"version": 4, "resources": ` +
			strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + "}"}, Input: "terraform.tfstate",
			Where: "terraform.tfstate", Line: 1, Want: "JSON nested more than 512 levels"},
		{Name: "a state of 200 MB", Files: Files{"terraform.tfstate": bigState(1_000_000)}, Input: "terraform.tfstate", Size: 200_000_000,
			Where: "terraform.tfstate", Line: 1, Want: "--max-input-size"},
		{Name: "a string of 100 MB in a state", Files: Files{"terraform.tfstate": `{"version": 4, "resources": [{"mode": "managed",
"type": "aws_vpc", "name": "main", "instances": [{"attributes": {"id": "vpc-1", "cidr_block": "10.0.0.0/16",
"tags": {"Name": "` + strings.Repeat("x", 100_000_000) + `"}}}]}]}`}, Input: "terraform.tfstate",
			Where: "terraform.tfstate", Line: 3, Want: "--max-string-size"},
		{Name: "a string of 100 MB in a configuration", Files: Files{"main.tf": vpcTF + "locals {\n  s = \"" + strings.Repeat("x", 100_000_000) + "\"\n}\n"},
			Where: "main.tf", Line: 1, Want: "--max-config-size"},
		{Name: "a plan whose references go round", Files: Files{"plan.json": PlanCycle()}, Input: "plan.json",
			Where: "plan.json", Line: 1, Want: "refers in a circle (module.m.output.a -> module.m.var.x -> module.m.output.a)"},
	}
}

// bigState is a state of about size bytes, made of resources vpcsim
// ignores: what a hostile input would send to exhaust memory.
func bigState(size int) string {
	var b strings.Builder
	b.Grow(size + 200)
	b.WriteString(`{"version": 4, "terraform_version": "1.9.8", "resources": [`)
	for i := 0; b.Len() < size; i++ {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"mode": "managed", "type": "aws_s3_object", "name": "o%d", "instances": [{"attributes": {"id": "o%d", "content": "%s"}}]}`,
			i, i, strings.Repeat("x", 1000))
	}
	b.WriteString("]}\n")
	return b.String()
}

// PlanCycle is a plan whose unknown references go round: two subnets whose
// VPC each names the other, and a module whose outputs are its inputs, which
// are its outputs.
func PlanCycle() string {
	refs := func(r ...string) map[string]any { return map[string]any{"references": r} }
	res := func(addr, typ string, values map[string]any) map[string]any {
		name := addr[strings.LastIndex(addr, ".")+1:]
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name, "values": values}
	}
	change := func(addr, typ string, after map[string]any, unknown ...string) map[string]any {
		name := addr[strings.LastIndex(addr, ".")+1:]
		u := map[string]any{"id": true}
		for _, k := range unknown {
			u[k] = true
		}
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name,
			"change": map[string]any{"actions": []string{"create"}, "after": after, "after_unknown": u}}
	}
	cfg := func(addr, typ string, exprs map[string]any) map[string]any {
		name := addr[strings.LastIndex(addr, ".")+1:]
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name, "expressions": exprs}
	}
	vpc := map[string]any{"cidr_block": "10.0.0.0/16"}
	a := map[string]any{"cidr_block": "10.0.0.0/24"}
	b := map[string]any{"cidr_block": "10.0.1.0/24"}
	plan := map[string]any{
		"format_version": "1.2", "terraform_version": "1.11.0",
		"planned_values": map[string]any{"root_module": map[string]any{"resources": []any{
			res("aws_vpc.main", "aws_vpc", vpc), res("aws_subnet.a", "aws_subnet", a), res("aws_subnet.b", "aws_subnet", b)}}},
		"resource_changes": []any{change("aws_vpc.main", "aws_vpc", vpc), change("aws_subnet.a", "aws_subnet", a, "vpc_id"),
			change("aws_subnet.b", "aws_subnet", b, "vpc_id")},
		"configuration": map[string]any{"root_module": map[string]any{
			"resources": []any{cfg("aws_vpc.main", "aws_vpc", map[string]any{}),
				cfg("aws_subnet.a", "aws_subnet", map[string]any{"vpc_id": refs("module.m.a", "aws_subnet.b.id")}),
				cfg("aws_subnet.b", "aws_subnet", map[string]any{"vpc_id": refs("module.m.b", "aws_subnet.a.id")})},
			"module_calls": map[string]any{"m": map[string]any{
				"expressions": map[string]any{"x": refs("module.m.a", "module.m.b"), "y": refs("module.m.b", "module.m.a")},
				"module": map[string]any{"outputs": map[string]any{
					"a": map[string]any{"expression": refs("var.x", "var.y")},
					"b": map[string]any{"expression": refs("var.y", "var.x")}}}}}}},
	}
	out, err := json.Marshal(plan)
	if err != nil {
		panic(err)
	}
	return string(out)
}

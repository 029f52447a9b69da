package config

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/vpcsim/vpcsim/hcl/mapper"
	"github.com/vpcsim/vpcsim/model"
)

// wellFormed fails the test on a diagnostic without a severity or a message:
// every problem must be reported as one.
func wellFormed(t *testing.T, ds model.Diagnostics) {
	t.Helper()
	for _, d := range ds {
		if d.Severity == 0 || d.Message == "" {
			t.Fatalf("malformed diagnostic %+v", d)
		}
	}
}

// fuzzLimits keep each fuzz input cheap: what a limit refuses is refused
// fast, and the fuzzer moves on.
var fuzzLimits = Limits{MaxSteps: 20000, MaxStringSize: 1 << 16, MaxConfigSize: 1 << 20, MaxInstances: 50}

// variablesTF declares a variable of each kind of type, so that a value
// given for them goes through every conversion.
const variablesTF = `
variable "s" {
  type    = string
  default = "x"
}
variable "n" {
  type    = number
  default = 1
}
variable "l" {
  type    = list(string)
  default = []
}
variable "m" {
  type    = map(number)
  default = {}
}
variable "o" {
  type = object({
    cidr  = string
    zones = optional(list(string), ["a"])
  })
  default = { cidr = "10.0.0.0/16" }
}
variable "a" {
  type    = any
  default = null
}
resource "aws_vpc" "v" {
  cidr_block = var.o.cidr
  tags       = { S = var.s, N = tostring(var.n), L = join(",", var.l), M = jsonencode(var.m), A = jsonencode(var.a) }
}
`

// FuzzVariables gives arbitrary variable values the three ways a user can:
// a terraform.tfvars file, a terraform.tfvars.json file, and --var NAME=VALUE
// for each declared variable. Whatever they say, the evaluation reports
// problems as diagnostics and never panics or runs long.
func FuzzVariables(f *testing.F) {
	f.Add([]byte(`s = "y"`+"\n"+`l = ["a", "b"]`+"\n"+`o = { cidr = "10.1.0.0/16" }`), []byte(`{"n": 3, "m": {"a": 1}}`), "o={cidr=\"10.2.0.0/16\", zones=[\"b\"]}")
	f.Add([]byte(`a = [for x in range(3) : { k = x }]`), []byte(`{"a": {"b": [1, "2", null]}}`), "l=[\"x\"]")
	f.Add([]byte(`n = "not a number"`), []byte(`[1]`), "m={a=\"b\"}")
	f.Add([]byte(`undeclared = 1`), []byte(`{"s": ["list"]}`), "a=${1}")
	f.Fuzz(func(t *testing.T, tfvars, tfvarsJSON []byte, cli string) {
		fsys := fstest.MapFS{
			"main.tf":               {Data: []byte(variablesTF)},
			"terraform.tfvars":      {Data: tfvars},
			"terraform.tfvars.json": {Data: tfvarsJSON},
		}
		o := &Options{Env: []string{}, Limits: fuzzLimits}
		for _, name := range []string{"s", "n", "l", "m", "o", "a"} {
			o.Vars = append(o.Vars, Var{Name: name, Value: cli})
		}
		res := Evaluate(fsys, ".", o)
		wellFormed(t, res.Diagnostics)
	})
}

// dataTF reads data sources whose values the data values file gives.
const dataTF = `
data "aws_vpc" "shared" {
  id = "vpc-1"
}
data "aws_availability_zones" "available" {}
data "aws_ec2_managed_prefix_list" "s3" {
  name = "com.amazonaws.us-east-1.s3"
}
resource "aws_subnet" "a" {
  vpc_id            = data.aws_vpc.shared.id
  cidr_block        = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1)
  availability_zone = data.aws_availability_zones.available.names[0]
}
resource "aws_security_group_rule" "s3" {
  type              = "egress"
  security_group_id = "sg-1"
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  prefix_list_ids   = [data.aws_ec2_managed_prefix_list.s3.id]
}
`

// FuzzDataValues reads arbitrary data values files (--data-values) for a
// configuration that reads data sources: the file is refused or read, with
// its problems as diagnostics, and the result maps without a panic.
func FuzzDataValues(f *testing.F) {
	f.Add([]byte(`{"data.aws_vpc.shared": {"id": "vpc-0a1b", "cidr_block": "10.50.0.0/16"}, "data.aws_availability_zones.available": {"names": ["eu-west-1a"]}}`))
	f.Add([]byte(`{"data.aws_ec2_managed_prefix_list.s3": {"id": "pl-6ea54007", "entries": [{"cidr": "52.218.0.0/17"}]}}`))
	f.Add([]byte(`{"aws_vpc.x": {}}`))
	f.Add([]byte(`{"data.aws_vpc.shared": "not an object"}`))
	f.Add([]byte(`[[[[]]]]`))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(dir, "values.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		fsys := fstest.MapFS{"main.tf": {Data: []byte(dataTF)}}
		res := Evaluate(fsys, ".", &Options{Env: []string{}, DataValues: path, Limits: fuzzLimits})
		wellFormed(t, res.Diagnostics)
		b := mapper.Build("main.tf", res.Instances, mapper.Options{Region: "us-east-1"})
		wellFormed(t, b.Diagnostics)
	})
}

// FuzzEvaluateJSON evaluates arbitrary .tf.json files — JSON whose strings
// are templates — and maps what they give: neither the evaluator nor the
// mapper may panic, run long, or report a problem other than as a
// diagnostic.
func FuzzEvaluateJSON(f *testing.F) {
	f.Add([]byte(`{"resource": {"aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}}}`))
	f.Add([]byte(`{"locals": {"n": 3, "cidrs": "${[for i in range(local.n) : cidrsubnet(\"10.0.0.0/16\", 8, i)]}"},
"resource": {"aws_subnet": {"s": {"count": "${local.n}", "vpc_id": "vpc-1", "cidr_block": "${local.cidrs[count.index]}"}}}}`))
	f.Add([]byte(`{"variable": {"x": {"default": {"a": [1, 2]}}}, "output": {"o": {"value": "${var.x.a[0] + 1}"}}}`))
	f.Add([]byte(`{"resource": {"aws_security_group": {"g": {"ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp", "cidr_blocks": ["0.0.0.0/0"]}]}}}}`))
	f.Add([]byte(`{"module": {"m": {"source": "./m", "${x}": 1}}, "locals": {"${y}": "%{ for a in [1] }${a}%{ endfor }"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{"main.tf.json": {Data: data}}
		res := Evaluate(fsys, ".", &Options{Env: []string{}, Limits: fuzzLimits})
		wellFormed(t, res.Diagnostics)
		b := mapper.Build("main.tf.json", res.Instances, mapper.Options{Region: res.Region})
		if b.Network == nil {
			t.Fatal("no network")
		}
		wellFormed(t, b.Diagnostics)
	})
}

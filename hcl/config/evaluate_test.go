package config

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// tfFS turns a txtar archive into a file system; text without file
// markers is a lone main.tf.
func tfFS(t testing.TB, src string) fstest.MapFS {
	t.Helper()
	ar := txtar.Parse([]byte(src))
	fsys := fstest.MapFS{}
	if len(ar.Files) == 0 {
		fsys["main.tf"] = &fstest.MapFile{Data: []byte(src)}
		return fsys
	}
	for _, f := range ar.Files {
		fsys[f.Name] = &fstest.MapFile{Data: f.Data}
	}
	return fsys
}

func evalTF(t testing.TB, src string, opts ...opt) *Result {
	t.Helper()
	return Evaluate(tfFS(t, src), ".", testOptions(append([]opt{withEnv([]string{})}, opts...)...))
}

// opt sets one option of an evaluation, as the loader's options do.
type opt func(*Options)

func withEnv(env []string) opt       { return func(o *Options) { o.Env = env } }
func withRegion(r string) opt        { return func(o *Options) { o.Region = r } }
func withAccountID(a string) opt     { return func(o *Options) { o.AccountID = a } }
func withDataValues(path string) opt { return func(o *Options) { o.DataValues = path } }
func withVar(name, value string) opt {
	return func(o *Options) { o.Vars = append(o.Vars, Var{Name: name, Value: value}) }
}
func withVarFile(path string) opt {
	return func(o *Options) { o.Vars = append(o.Vars, Var{File: path}) }
}

func testOptions(opts ...opt) *Options {
	o := &Options{}
	for _, f := range opts {
		f(o)
	}
	return o
}

// show prints a state-shaped value compactly and deterministically.
func show(v any) string {
	switch v := v.(type) {
	case resource.UnknownValue:
		return "(unknown)"
	case nil:
		return "null"
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = show(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + ":" + show(v[k])
		}
		return "{" + strings.Join(parts, " ") + "}"
	case model.Pos:
		return v.String()
	}
	return fmt.Sprint(v)
}

// lookupAttr follows a dotted path (ingress.0.from_port) into attributes;
// @line and @file read the instance position.
func lookupAttr(in resource.Instance, p string) (any, bool) {
	switch p {
	case "@line":
		return strconv.Itoa(in.Pos.Line), true
	case "@file":
		return in.Pos.File, true
	case "@mode":
		return in.Mode, true
	}
	var cur any = in.Attrs
	for _, step := range strings.Split(p, ".") {
		switch c := cur.(type) {
		case map[string]any:
			v, ok := c[step]
			if !ok {
				return nil, false
			}
			cur = v
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i >= len(c) {
				return nil, false
			}
			cur = c[i]
		default:
			return nil, false
		}
	}
	return cur, true
}

// checkInstances checks lines of the form "address path = value".
func checkInstances(t *testing.T, res *Result, want []string) {
	t.Helper()
	byAddr := map[string]resource.Instance{}
	for _, in := range res.Instances {
		byAddr[in.Address] = in
	}
	for _, w := range want {
		lhs, value, _ := strings.Cut(w, " = ")
		addr, p, _ := strings.Cut(lhs, " ")
		in, ok := byAddr[addr]
		if !ok {
			var have []string
			for _, in := range res.Instances {
				have = append(have, in.Address)
			}
			t.Errorf("no instance %s; have %s", addr, strings.Join(have, ", "))
			continue
		}
		got, ok := lookupAttr(in, p)
		if !ok {
			t.Errorf("%s has no %s; attributes %s", addr, p, show(in.Attrs))
			continue
		}
		if show(got) != value {
			t.Errorf("%s %s = %s, want %s", addr, p, show(got), value)
		}
	}
}

func addresses(res *Result) []string {
	var out []string
	for _, in := range res.Instances {
		out = append(out, in.Address)
	}
	return out
}

func TestEvalConfig(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opts []opt
		// addrs, when set, is every instance address in order.
		addrs []string
		want  []string
	}{{
		name: "count with cidrsubnet and references by index",
		src: `
variable "cidr" { default = "10.0.0.0/16" }

resource "aws_vpc" "main" {
  cidr_block = var.cidr
}

resource "aws_subnet" "private" {
  count      = 2
  vpc_id     = aws_vpc.main.id
  cidr_block = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
}

resource "aws_route_table_association" "a" {
  subnet_id = aws_subnet.private[1].id
}
`,
		addrs: []string{"aws_vpc.main", "aws_subnet.private[0]", "aws_subnet.private[1]", "aws_route_table_association.a"},
		want: []string{
			"aws_vpc.main @line = 4",
			"aws_vpc.main id = (unknown)", // references see aws_vpc.main
			"aws_subnet.private[0] @line = 8",
			"aws_subnet.private[0] cidr_block = 10.0.10.0/24",
			"aws_subnet.private[1] cidr_block = 10.0.11.0/24",
			"aws_subnet.private[1] vpc_id = aws_vpc.main",
			"aws_route_table_association.a subnet_id = aws_subnet.private[1]",
		},
	}, {
		name: "for_each over a map and a set, references by key",
		src: `
locals {
  subnets = { a = "10.0.1.0/24", b = "10.0.2.0/24" }
}

resource "aws_subnet" "x" {
  for_each   = local.subnets
  cidr_block = each.value
  tags       = { Name = "sub-${each.key}" }
}

resource "aws_eip" "e" {
  for_each = toset(["b", "a"])
  tags     = { For = aws_subnet.x[each.key].id }
}

resource "aws_route_table_association" "b" {
  subnet_id = aws_subnet.x["b"].id
}
`,
		addrs: []string{`aws_subnet.x["a"]`, `aws_subnet.x["b"]`, `aws_eip.e["a"]`, `aws_eip.e["b"]`, "aws_route_table_association.b"},
		want: []string{
			`aws_subnet.x["b"] cidr_block = 10.0.2.0/24`,
			`aws_subnet.x["a"] tags.Name = sub-a`,
			`aws_eip.e["b"] tags.For = aws_subnet.x["b"]`,
			`aws_eip.e["a"] allocation_id = (unknown)`,
			`aws_route_table_association.b subnet_id = aws_subnet.x["b"]`,
		},
	}, {
		name: "inline and dynamic blocks keep their positions",
		src: `
variable "ports" {
  type    = list(number)
  default = [80, 443]
}

resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
  dynamic "ingress" {
    for_each = var.ports
    iterator = port
    content {
      from_port   = port.value
      to_port     = port.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
      description = "rule ${port.key}"
    }
  }
}
`,
		want: []string{
			"aws_security_group.web ingress.0.from_port = 22",
			"aws_security_group.web ingress.0.@pos = main.tf:9:3",
			"aws_security_group.web ingress.1.from_port = 80",
			"aws_security_group.web ingress.1.description = rule 0",
			"aws_security_group.web ingress.1.@pos = main.tf:18:5",
			"aws_security_group.web ingress.2.to_port = 443",
			// Terraform removes AWS's default egress rule.
			"aws_security_group.web egress = []",
		},
	}, {
		name: "conditionals, for expressions, splats and locals",
		src: `
variable "public" { default = true }

locals {
  azs   = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
  cidrs = { for i, az in local.azs : az => cidrsubnet("10.1.0.0/16", 4, i) }
}

resource "aws_subnet" "s" {
  count                   = length(local.azs)
  availability_zone       = local.azs[count.index]
  cidr_block              = local.cidrs[local.azs[count.index]]
  map_public_ip_on_launch = var.public ? true : false
}

resource "aws_network_acl" "n" {
  subnet_ids = aws_subnet.s[*].id
  tags = {
    Cidrs = join(",", [for s in aws_subnet.s : s.cidr_block if s.availability_zone != "eu-west-1b"])
    Last  = element(aws_subnet.s.*.availability_zone, length(aws_subnet.s) - 1)
    Upper = upper(aws_subnet.s[2].availability_zone)
  }
}
`,
		want: []string{
			"aws_subnet.s[2] cidr_block = 10.1.32.0/20",
			"aws_subnet.s[1] map_public_ip_on_launch = true",
			"aws_network_acl.n subnet_ids = [aws_subnet.s[0] aws_subnet.s[1] aws_subnet.s[2]]",
			"aws_network_acl.n tags.Cidrs = 10.1.0.0/20,10.1.32.0/20",
			"aws_network_acl.n tags.Last = eu-west-1c",
			"aws_network_acl.n tags.Upper = EU-WEST-1C",
			"aws_network_acl.n ingress = []",
		},
	}, {
		name: "default resources resolve to the VPC's default elements",
		src: `
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_default_route_table" "d" {
  default_route_table_id = aws_vpc.main.default_route_table_id
}

resource "aws_default_network_acl" "d" {
  default_network_acl_id = aws_vpc.main.default_network_acl_id
}

resource "aws_default_security_group" "d" {
  vpc_id = aws_vpc.main.id
}

resource "aws_route_table_association" "main" {
  route_table_id = aws_vpc.main.main_route_table_id
  subnet_id      = "subnet-1"
}

resource "aws_security_group_rule" "r" {
  security_group_id = aws_default_security_group.d.id
  type              = "ingress"
}

resource "aws_route" "r" {
  route_table_id = aws_default_route_table.d.id
}

resource "aws_network_acl_rule" "r" {
  network_acl_id = aws_default_network_acl.d.id
}
`,
		want: []string{
			// The resources' own computed IDs are unknown, as in a plan;
			// references see symbolic IDs that name the VPC's defaults.
			"aws_vpc.main main_route_table_id = (unknown)",
			"aws_default_route_table.d id = (unknown)",
			"aws_route.r route_table_id = aws_vpc.main.main_route_table_id",
			"aws_network_acl_rule.r network_acl_id = aws_vpc.main.default_network_acl_id",
			"aws_default_route_table.d vpc_id = aws_vpc.main",
			"aws_default_route_table.d route = []",
			"aws_default_network_acl.d vpc_id = aws_vpc.main",
			"aws_default_security_group.d ingress = []",
			"aws_route_table_association.main route_table_id = aws_vpc.main.main_route_table_id",
			"aws_security_group_rule.r security_group_id = aws_vpc.main.default_security_group_id",
		},
	}, {
		name: "values known only after apply stay unknown",
		src: `
resource "aws_instance" "app" {
  subnet_id = "subnet-1"
}

resource "aws_security_group_rule" "from_app" {
  cidr_blocks = ["${aws_instance.app.private_ip}/32"]
  description = timestamp()
}

resource "aws_route" "r" {
  network_interface_id = aws_instance.app.primary_network_interface_id
}
`,
		want: []string{
			"aws_instance.app private_ip = (unknown)",
			"aws_instance.app public_ip = (unknown)",
			"aws_instance.app source_dest_check = true",
			"aws_security_group_rule.from_app cidr_blocks = [(unknown)]",
			"aws_security_group_rule.from_app description = (unknown)",
			"aws_route.r network_interface_id = aws_instance.app.primary_network_interface_id",
		},
	}, {
		name: "local module with inputs, outputs, count and nested module",
		src: `
-- main.tf --
module "net" {
  source = "./modules/net"
  count  = 2
  cidr   = cidrsubnet("10.0.0.0/8", 8, count.index)
  name   = "net${count.index}"
}

resource "aws_vpc_peering_connection" "p" {
  vpc_id      = module.net[0].vpc_id
  peer_vpc_id = module.net[1].vpc_id
  tags        = { Subnets = join(",", module.net[1].subnet_cidrs) }
}
-- modules/net/main.tf --
variable "cidr" { type = string }
variable "name" { type = string }
variable "zones" {
  type    = list(string)
  default = ["a", "b"]
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = { Name = var.name, Module = path.module }
}

module "subnets" {
  source   = "../subnets"
  for_each = toset(var.zones)
  vpc_id   = aws_vpc.this.id
  cidr     = cidrsubnet(var.cidr, 8, index(var.zones, each.key))
}

output "vpc_id" { value = aws_vpc.this.id }
output "subnet_cidrs" { value = [for z in var.zones : module.subnets[z].cidr] }
-- modules/subnets/main.tf --
variable "vpc_id" {}
variable "cidr" {}

resource "aws_subnet" "this" {
  vpc_id     = var.vpc_id
  cidr_block = var.cidr
}

output "cidr" { value = aws_subnet.this.cidr_block }
`,
		addrs: []string{
			"module.net[0].aws_vpc.this", `module.net[0].module.subnets["a"].aws_subnet.this`, `module.net[0].module.subnets["b"].aws_subnet.this`,
			"module.net[1].aws_vpc.this", `module.net[1].module.subnets["a"].aws_subnet.this`, `module.net[1].module.subnets["b"].aws_subnet.this`,
			"aws_vpc_peering_connection.p",
		},
		want: []string{
			"module.net[1].aws_vpc.this cidr_block = 10.1.0.0/16",
			"module.net[1].aws_vpc.this tags.Module = modules/net",
			"module.net[1].aws_vpc.this @file = modules/net/main.tf",
			"module.net[1].aws_vpc.this @line = 8",
			`module.net[1].module.subnets["b"].aws_subnet.this cidr_block = 10.1.1.0/24`,
			`module.net[1].module.subnets["b"].aws_subnet.this vpc_id = module.net[1].aws_vpc.this`,
			`module.net[0].module.subnets["a"].aws_subnet.this @file = modules/subnets/main.tf`,
			"aws_vpc_peering_connection.p vpc_id = module.net[0].aws_vpc.this",
			"aws_vpc_peering_connection.p peer_vpc_id = module.net[1].aws_vpc.this",
			"aws_vpc_peering_connection.p tags.Subnets = 10.1.0.0/24,10.1.1.0/24",
		},
	}, {
		// Terraform follows a module's arguments and outputs one by one:
		// the peering needs the module's VPC, and the module's route needs
		// the peering, without a cycle.
		name: "module output feeding an argument of the same module",
		src: `
-- main.tf --
module "a" {
  source  = "./vpc"
  cidr    = "10.1.0.0/16"
  peering = aws_vpc_peering_connection.p.id
}
module "b" {
  source  = "./vpc"
  cidr    = "10.2.0.0/16"
  peering = aws_vpc_peering_connection.p.id
}
resource "aws_vpc_peering_connection" "p" {
  vpc_id      = module.a.vpc_id
  peer_vpc_id = module.b.vpc_id
}
-- vpc/main.tf --
variable "cidr" {}
variable "peering" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
resource "aws_route_table" "rt" {
  vpc_id = aws_vpc.this.id
  route {
    cidr_block                = "10.0.0.0/8"
    vpc_peering_connection_id = var.peering
  }
}
output "vpc_id" { value = aws_vpc.this.id }
`,
		want: []string{
			"aws_vpc_peering_connection.p vpc_id = module.a.aws_vpc.this",
			"aws_vpc_peering_connection.p peer_vpc_id = module.b.aws_vpc.this",
			"module.b.aws_route_table.rt route.0.vpc_peering_connection_id = aws_vpc_peering_connection.p",
		},
	}, {
		name: "registry module installed by terraform init",
		src: `
-- main.tf --
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
  cidr    = "10.9.0.0/16"
}
-- .terraform/modules/modules.json --
{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.8.1","Dir":".terraform/modules/vpc"}]}
-- .terraform/modules/vpc/main.tf --
variable "cidr" {}
resource "aws_vpc" "this" {
  count      = 1
  cidr_block = var.cidr
}
`,
		want: []string{
			"module.vpc.aws_vpc.this[0] cidr_block = 10.9.0.0/16",
			"module.vpc.aws_vpc.this[0] @file = .terraform/modules/vpc/main.tf",
		},
	}, {
		name: "workspace, path and file functions",
		src: `
-- main.tf --
resource "aws_security_group" "sg" {
  name        = "sg-${terraform.workspace}"
  description = trimspace(file("${path.module}/desc.txt"))
  tags = {
    Rendered = templatefile("tpl/t.tftpl", { who = "vpc", n = 2 })
    Exists   = fileexists("nope.txt")
    Root     = path.root
  }
}
-- desc.txt --
  web tier
-- tpl/t.tftpl --
%{ for i in range(n) }${who}${i};%{ endfor }
`,
		opts: []opt{withEnv([]string{"TF_WORKSPACE=prod"})},
		want: []string{
			"aws_security_group.sg name = sg-prod",
			"aws_security_group.sg description = web tier",
			"aws_security_group.sg tags.Rendered = vpc0;vpc1;\n",
			"aws_security_group.sg tags.Exists = false",
			"aws_security_group.sg tags.Root = .",
		},
	}, {
		name: "json configuration",
		src: `
-- main.tf.json --
{
  "variable": {"cidr": {"default": "10.5.0.0/16"}},
  "resource": {
    "aws_vpc": {"v": {"cidr_block": "${var.cidr}"}},
    "aws_security_group": {"sg": {
      "vpc_id": "${aws_vpc.v.id}",
      "ingress": {"from_port": 443, "to_port": 443, "protocol": "tcp", "cidr_blocks": ["${aws_vpc.v.cidr_block}"]}
    }}
  }
}
`,
		want: []string{
			"aws_vpc.v cidr_block = 10.5.0.0/16",
			"aws_security_group.sg vpc_id = aws_vpc.v",
			"aws_security_group.sg ingress.0.from_port = 443",
			"aws_security_group.sg ingress.0.cidr_blocks = [10.5.0.0/16]",
			"aws_security_group.sg @file = main.tf.json",
		},
	}, {
		name: "data sources from flags and the provider",
		src: `
provider "aws" {
  region = "us-east-2"
}

data "aws_region" "current" {}
data "aws_caller_identity" "me" {}
data "aws_partition" "p" {}
data "aws_availability_zones" "az" {
  exclude_names = ["us-east-2b"]
}

resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
  tags = {
    Region  = data.aws_region.current.name
    Account = data.aws_caller_identity.me.account_id
    Zones   = join(",", data.aws_availability_zones.az.names)
    Arn     = "arn:${data.aws_partition.p.partition}:ec2"
  }
}
`,
		opts: []opt{withAccountID("123456789012")},
		want: []string{
			"data.aws_region.current @mode = data",
			"aws_vpc.v tags.Region = us-east-2",
			"aws_vpc.v tags.Account = 123456789012",
			"aws_vpc.v tags.Zones = us-east-2a,us-east-2c",
			"aws_vpc.v tags.Arn = arn:aws:ec2",
			"aws_vpc.v owner_id = 123456789012",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := evalTF(t, tt.src, tt.opts...)
			if res.Diagnostics.HasErrors() {
				t.Fatalf("unexpected errors:\n%s", res.Diagnostics.Error())
			}
			if tt.addrs != nil && !slices.Equal(addresses(res), tt.addrs) {
				t.Errorf("instances\n  %s\nwant\n  %s", strings.Join(addresses(res), "\n  "), strings.Join(tt.addrs, "\n  "))
			}
			checkInstances(t, res, tt.want)
		})
	}
}

// TestConfigDiagnostics checks that each kind of problem is reported at its
// position, and that every problem of a configuration is reported, not the
// first one only.
func TestConfigDiagnostics(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opts []opt
		want []string
	}{{
		name: "syntax error",
		src: `resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16
}
`,
		want: []string{"main.tf:2:28: error: unterminated template string"},
	}, {
		name: "unknown references with suggestions",
		src: `variable "region" {}
resource "aws_subnet" "a" {}
resource "aws_route_table_association" "x" {
  subnet_id = aws_subnett.a.id
  route_table_id = var.regoin
  gateway_id = local.nothing
}
output "o" { value = data.aws_vpc.v.id }
resource "aws_eip" "e" {
  depends_on = [aws_internet_gateway.gw]
}
`,
		opts: []opt{withVar("region", "eu-west-1")},
		want: []string{
			`main.tf:4:15: error: reference to undeclared resource aws_subnett.a; did you mean aws_subnet.a?`,
			`main.tf:5:20: error: reference to undeclared input variable "regoin"; did you mean region?`,
			`main.tf:6:16: error: reference to undeclared local value local.nothing`,
			`main.tf:8:22: error: reference to undeclared data source data.aws_vpc.v`,
			`main.tf:10:17: error: reference to undeclared resource aws_internet_gateway.gw`,
		},
	}, {
		name: "cycles",
		src: `locals {
  a = local.b
  b = local.a
}
resource "aws_vpc" "v" {
  cidr_block = aws_vpc.v.cidr_block
}
resource "aws_subnet" "s" {
  vpc_id = aws_route_table.r.vpc_id
}
resource "aws_route_table" "r" {
  vpc_id = aws_subnet.s.vpc_id
}
`,
		want: []string{
			"main.tf:2:3: error: dependency cycle: local.a -> local.b -> local.a",
			"main.tf:5:1: error: aws_vpc.v refers to itself",
			"main.tf:8:1: error: dependency cycle: aws_subnet.s -> aws_route_table.r -> aws_subnet.s",
		},
	}, {
		name: "cycle through a module's argument and output",
		src: `
-- main.tf --
module "m" {
  source = "./m"
  in     = aws_vpc.v.id
}
resource "aws_vpc" "v" {
  cidr_block = module.m.out
}
-- m/main.tf --
variable "in" {}
output "out" { value = var.in }
`,
		want: []string{
			"main.tf:3:12: error: dependency cycle: module.m.var.in -> aws_vpc.v -> module.m.output.out -> module.m.var.in",
		},
	}, {
		name: "files and blocks that are not evaluated",
		src: `
-- main.tf --
moved {
  from = aws_vpc.a
  to   = aws_vpc.b
}
module "m" {
  source    = "./m"
  providers = { aws = aws.west }
}
-- override.tf --
resource "aws_vpc" "b" {}
-- .hidden.tf --
this is not HCL
-- m/main.tf --
module "again" {
  source = "../m"
}
-- x.tf.json --
{"resource": {"aws_security_group": {"sg": {"dynamic": {"ingress": {"for_each": [], "content": {}}}}}}}
`,
		want: []string{
			"main.tf:1:1: note: moved blocks do not change the network and are ignored",
			`main.tf:7:3: warning: module "m": provider mappings are ignored`,
			"override.tf: warning: override files are not supported: override.tf is ignored",
			`m/main.tf:2:12: error: module "again" calls m, which is already being loaded: modules cannot call themselves`,
			"x.tf.json:1:45: warning: dynamic blocks in .tf.json files are not expanded",
		},
	}, {
		name: "unsupported and unknown functions",
		src: `locals {
  a = yamlencode({})
  b = cidrsubnett("10.0.0.0/8", 8, 1)
  c = provider::aws::arn_parse("x")
}
`,
		want: []string{
			"main.tf:2:7: error: unsupported function yamlencode: vpcsim does not implement this Terraform function",
			"main.tf:3:7: error: unsupported function cidrsubnett: there is no function by that name; did you mean cidrsubnet?",
			"main.tf:4:7: error: unsupported function provider::aws::arn_parse",
		},
	}, {
		name: "missing modules",
		src: `module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}
module "local" {
  source = "./nowhere"
}
module "up" {
  source = "../../escape"
}
`,
		want: []string{
			`main.tf:2:12: error: module "vpc": source "terraform-aws-modules/vpc/aws" is not installed; run terraform init`,
			`main.tf:5:12: error: module "local": folder nowhere does not exist`,
			`main.tf:8:12: error: module "up": source "../../escape" is outside the loaded folder`,
		},
	}, {
		name: "module inputs and outputs",
		src: `
-- main.tf --
module "m" {
  source = "./m"
  cidr_blok = "10.0.0.0/16"
}
output "x" { value = module.m.vpc_idd }
-- m/main.tf --
variable "cidr_block" {}
output "vpc_id" { value = "v" }
`,
		want: []string{
			`main.tf:3:3: error: module "m" has no variable "cidr_blok"; did you mean cidr_block?`,
			`main.tf:1:1: error: module "m": the required variable "cidr_block" is not set`,
			`main.tf:5:22: error: module m declares no output "vpc_idd"; did you mean vpc_id?`,
		},
	}, {
		name: "variable values",
		src: `
-- main.tf --
variable "n" { type = number }
variable "required" {}
variable "list" { type = list(string) }
-- terraform.tfvars --
n = "many"
-- x.auto.tfvars --
nope = 1
`,
		opts: []opt{withVar("list", `[1, {}]`), withVar("undeclared", "1")},
		want: []string{
			`terraform.tfvars:1:5: error: invalid value for variable "n": a number is required`,
			`main.tf:2:1: error: no value for required variable "required"`,
			`error: --var list: invalid value for variable "list": element 1: string required, but have object`,
			`error: --var undeclared: the root module declares no variable "undeclared"`,
			`x.auto.tfvars:1:1: warning: value for undeclared variable "nope"`,
		},
	}, {
		name: "count and for_each",
		src: `resource "aws_instance" "i" {}
resource "aws_eip" "a" {
  count = length(aws_instance.i.private_ip)
}
resource "aws_eip" "b" {
  for_each = ["a", "b"]
}
resource "aws_eip" "c" {
  count = -1
}
`,
		want: []string{
			"main.tf:3:11: error: aws_eip.a: count is not known before apply (it depends on aws_instance.i.private_ip, known only after apply)",
			"main.tf:6:14: error: aws_eip.b: for_each takes a map or a set of strings, not a tuple",
			"main.tf:9:11: error: aws_eip.c: count must be a whole number, 0 or more",
		},
	}, {
		// Invalid references stop the load before evaluation, as they stop
		// terraform validate.
		name: "count and each outside their blocks",
		src: `resource "aws_eip" "d" {
  tags = { i = count.index, k = each.key }
}
`,
		want: []string{
			"main.tf:2:16: error: count can be used only in a resource, data or module block that sets count",
			"main.tf:2:33: error: each can be used only in a resource, data or module block that sets for_each",
		},
	}, {
		name: "evaluation errors",
		src: `resource "aws_subnet" "s" {
  cidr_block = cidrsubnet("10.0.0.0/24", 4, 16)
  tags = { x = "a" + 1 }
}
`,
		want: []string{
			"main.tf:2:16: error: error in function call: call to function \"cidrsubnet\" failed: prefix extension of 4 does not accommodate a subnet numbered 16",
			"main.tf:3:16: error: invalid operand",
		},
	}, {
		name: "unset attribute read",
		src: `resource "aws_subnet" "s" {}
resource "aws_route_table_association" "r" {
  subnet_id = aws_subnet.s.outpost_arn
}
data "aws_vpc" "shared" {
  id = "vpc-123"
}
resource "aws_subnet" "t" {
  vpc_id     = data.aws_vpc.shared.id
  cidr_block = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, 1)
}
`,
		want: []string{
			`main.tf:3:15: warning: aws_subnet.s: attribute "outpost_arn" is neither set in the configuration nor an attribute vpcsim knows the provider computes`,
			`main.tf:10:27: warning: data.aws_vpc.shared: cidr_block is unknown: vpcsim does not query AWS; give cidr_block in the data values file`,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := evalTF(t, tt.src, tt.opts...)
			var got []string
			for _, d := range res.Diagnostics {
				got = append(got, d.String())
			}
		want:
			for _, w := range tt.want {
				for _, g := range got {
					if strings.HasPrefix(g, w) || (!strings.Contains(w, ": error: ") && strings.Contains(g, w)) {
						continue want
					}
				}
				t.Errorf("missing diagnostic %q; got\n  %s", w, strings.Join(got, "\n  "))
			}
		})
	}
}

// TestVariablePrecedence checks Terraform's documented order: each source
// overrides the ones before it, and --var and --var-file count in
// command-line order.
func TestVariablePrecedence(t *testing.T) {
	dir := t.TempDir()
	varFile := filepath.Join(dir, "cli.tfvars")
	varFile2 := filepath.Join(dir, "cli2.tfvars.json")
	if err := os.WriteFile(varFile, []byte("v6 = \"varfile\"\nv7 = \"varfile\"\nv8 = \"varfile\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(varFile2, []byte(`{"v8": "varfile2"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	src := `
-- main.tf --
variable "v0" { default = "default" }
variable "v1" { default = "default" }
variable "v2" { default = "default" }
variable "v3" { default = "default" }
variable "v4" { default = "default" }
variable "v5" { default = "default" }
variable "v6" { default = "default" }
variable "v7" { default = "default" }
variable "v8" { default = "default" }
variable "m" { type = map(number) }
variable "l" { type = list(string) }
variable "a" { type = any }
variable "s" {}

resource "aws_vpc" "v" {
  tags = { v0 = var.v0, v1 = var.v1, v2 = var.v2, v3 = var.v3, v4 = var.v4, v5 = var.v5, v6 = var.v6, v7 = var.v7, v8 = var.v8 }
  cidr_block = "${var.m["a"] + 1} ${join("+", var.l)} ${var.a.k} ${var.s}"
}
-- terraform.tfvars --
v2 = "tfvars"
v3 = "tfvars"
v4 = "tfvars"
v5 = "tfvars"
v6 = "tfvars"
v7 = "tfvars"
v8 = "tfvars"
-- terraform.tfvars.json --
{"v3": "tfvars.json", "v4": "tfvars.json", "v5": "tfvars.json", "v6": "tfvars.json", "v7": "tfvars.json", "v8": "tfvars.json"}
-- b.auto.tfvars.json --
{"v5": "b.auto.json", "v6": "b.auto.json", "v7": "b.auto.json", "v8": "b.auto.json"}
-- a.auto.tfvars --
v4 = "a.auto"
v5 = "a.auto"
v6 = "a.auto"
`
	// A value from the environment or the command line is an HCL expression
	// for a variable of a complex type or of type any, a literal string for
	// one of a primitive type or without a type.
	env := []string{"TF_VAR_v1=env", "TF_VAR_v2=env", "TF_VAR_v3=env", "TF_VAR_m={a = 41}", "TF_VAR_l=[\"x\", \"y\"]", "TF_VAR_v0=",
		`TF_VAR_a={k = "obj"}`, `TF_VAR_s={k = "obj"}`}
	res := Evaluate(tfFS(t, src), ".", testOptions(withEnv(env), withVarFile(varFile), withVar("v7", "cli"), withVar("v8", "cli"), withVarFile(varFile2)))
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics.Error())
	}
	checkInstances(t, res, []string{
		"aws_vpc.v tags.v0 = ",
		"aws_vpc.v tags.v1 = env",
		"aws_vpc.v tags.v2 = tfvars",
		"aws_vpc.v tags.v3 = tfvars.json",
		"aws_vpc.v tags.v4 = a.auto",
		"aws_vpc.v tags.v5 = b.auto.json",
		"aws_vpc.v tags.v6 = varfile",
		"aws_vpc.v tags.v7 = cli",
		"aws_vpc.v tags.v8 = varfile2",
		`aws_vpc.v cidr_block = 42 x+y obj {k = "obj"}`,
	})
}

func TestDataValuesFile(t *testing.T) {
	values := filepath.Join(t.TempDir(), "data.json")
	err := os.WriteFile(values, []byte(`{
  "data.aws_vpc.shared": {"id": "vpc-0abc", "cidr_block": "10.50.0.0/16"},
  "data.aws_availability_zones.az": {"names": ["eu-central-1a", "eu-central-1b"]},
  "module.m.data.aws_ec2_managed_prefix_list.s3[\"x\"]": {"id": "pl-6ea54007"}
}`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	src := `
-- main.tf --
data "aws_vpc" "shared" {
  tags = { Name = "shared" }
}
data "aws_availability_zones" "az" {}

resource "aws_subnet" "s" {
  count             = length(data.aws_availability_zones.az.names)
  vpc_id            = data.aws_vpc.shared.id
  availability_zone = data.aws_availability_zones.az.names[count.index]
  cidr_block        = cidrsubnet(data.aws_vpc.shared.cidr_block, 8, count.index)
}
module "m" {
  source = "./m"
}
-- m/main.tf --
data "aws_ec2_managed_prefix_list" "s3" {
  for_each = toset(["x"])
  name     = "com.amazonaws.eu-central-1.s3"
}
resource "aws_security_group_rule" "r" {
  prefix_list_ids = [data.aws_ec2_managed_prefix_list.s3["x"].id]
}
`
	res := Evaluate(tfFS(t, src), ".", testOptions(withEnv(nil), withDataValues(values)))
	if res.Diagnostics.HasErrors() {
		t.Fatal(res.Diagnostics.Error())
	}
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Message, "assumed") {
			t.Errorf("zones came from the data values file, yet: %s", d)
		}
	}
	checkInstances(t, res, []string{
		"aws_subnet.s[1] availability_zone = eu-central-1b",
		"aws_subnet.s[1] cidr_block = 10.50.1.0/24",
		"aws_subnet.s[0] vpc_id = vpc-0abc",
		"data.aws_vpc.shared tags.Name = shared",
		"module.m.aws_security_group_rule.r prefix_list_ids = [pl-6ea54007]",
	})
}

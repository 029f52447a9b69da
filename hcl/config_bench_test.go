package hcl

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// genConfig writes a configuration of nVPC VPCs, one file each, with 50
// resources per VPC: the VPC, an internet gateway, a route table and its
// default route, 20 subnets (explicit blocks) and their 20 associations,
// three security groups with inline and dynamic rules, and a network ACL
// with its rules written as aws_network_acl_rule resources through count.
func genConfig(nVPC int) fstest.MapFS {
	fsys := fstest.MapFS{}
	fsys["variables.tf"] = &fstest.MapFile{Data: []byte(`
variable "ports" {
  type    = list(number)
  default = [22, 80, 443]
}
locals {
  base = "10.0.0.0/8"
}
`)}
	for v := range nVPC {
		var b strings.Builder
		fmt.Fprintf(&b, `
resource "aws_vpc" "v%[1]d" {
  cidr_block = cidrsubnet(local.base, 8, %[1]d)
  tags       = { Name = "vpc-%[1]d" }
}

resource "aws_internet_gateway" "v%[1]d" {
  vpc_id = aws_vpc.v%[1]d.id
}

resource "aws_route_table" "v%[1]d" {
  vpc_id = aws_vpc.v%[1]d.id
}

resource "aws_route" "v%[1]d_default" {
  route_table_id         = aws_route_table.v%[1]d.id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.v%[1]d.id
}

resource "aws_network_acl" "v%[1]d" {
  vpc_id     = aws_vpc.v%[1]d.id
  subnet_ids = [aws_subnet.v%[1]d_s0.id, aws_subnet.v%[1]d_s1.id]
}
`, v)
		for s := range 20 {
			fmt.Fprintf(&b, `
resource "aws_subnet" "v%[1]d_s%[2]d" {
  vpc_id            = aws_vpc.v%[1]d.id
  cidr_block        = cidrsubnet(aws_vpc.v%[1]d.cidr_block, 8, %[2]d)
  availability_zone = "eu-west-1${substr("abc", %[2]d %% 3, 1)}"
  tags              = { Name = "v%[1]d-s%[2]d", Tier = %[2]d < 10 ? "public" : "private" }
}

resource "aws_route_table_association" "v%[1]d_s%[2]d" {
  subnet_id      = aws_subnet.v%[1]d_s%[2]d.id
  route_table_id = aws_route_table.v%[1]d.id
}
`, v, s)
		}
		for g := range 3 {
			fmt.Fprintf(&b, `
resource "aws_security_group" "v%[1]d_g%[2]d" {
  name   = "g%[2]d"
  vpc_id = aws_vpc.v%[1]d.id
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [aws_vpc.v%[1]d.cidr_block]
  }
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`, v, g)
		}
		fmt.Fprintf(&b, `
resource "aws_network_acl_rule" "v%[1]d" {
  count          = 2
  network_acl_id = aws_network_acl.v%[1]d.id
  rule_number    = 100 + count.index
  egress         = count.index == 1
  protocol       = "-1"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}
`, v)
		fsys[fmt.Sprintf("vpc%03d.tf", v)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	return fsys
}

// BenchmarkLoadConfig loads a generated configuration of 5,000 resources
// (100 VPCs of 50 resources) into a validated network: parsing,
// evaluation, mapping, Synthesize and Validate.
func BenchmarkLoadConfig(b *testing.B) {
	fsys := genConfig(100)
	in, err := LoadConfig(fsys, ".", WithEnv([]string{}))
	if err != nil {
		b.Fatal(err)
	}
	if n := len(in.Network.Subnets); n != 2000 {
		b.Fatalf("generated %d subnets, want 2000", n)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := LoadConfig(fsys, ".", WithEnv([]string{})); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(5000, "resources/op")
}

package hcl_test

import (
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// publicHost is a VPC with a public subnet, a route to the internet and a
// host whose group admits everything; only the subnet's network ACL, which
// each case adds, decides.
const publicHost = implicitBase + publicRoute + `
resource "aws_security_group" "open" {
  vpc_id = aws_vpc.v.id
  ingress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    protocol    = "-1"
    from_port   = 0
    to_port     = 0
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_network_interface_sg_attachment" "open" {
  security_group_id    = aws_security_group.open.id
  network_interface_id = aws_instance.web.primary_network_interface_id
}
`

// TestProviderDefaults checks the arguments whose AWS provider default is
// not "any": an ICMP network ACL rule without icmp_type and icmp_code is
// created for type 0 code 0 (echo reply), inline or standalone
// (internal/service/ec2/vpc_network_acl.go and vpc_network_acl_rule.go of
// the provider send 0 for an unset integer); a standalone TCP rule without
// ports is created for port 0.
func TestProviderDefaults(t *testing.T) {
	ping := reach.Query{From: "internet", To: "aws_instance.web", Protocol: model.ProtocolICMP}
	https := reach.Query{From: "internet", To: "aws_instance.web", Protocol: model.ProtocolTCP, Port: portPtr(443)}
	egressAll := `
  egress {
    rule_no    = 100
    action     = "allow"
    protocol   = "-1"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }`
	for _, tt := range []struct {
		name string
		acl  string
		q    reach.Query
		want bool
	}{
		{"inline ICMP rule without type or code: echo replies only", `
resource "aws_network_acl" "pub" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.pub.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "icmp"
    from_port  = 0
    to_port    = 0
    cidr_block = "0.0.0.0/0"
  }` + egressAll + `
}`, ping, false},
		{"inline ICMP rule with type -1: every message", `
resource "aws_network_acl" "pub" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.pub.id]
  ingress {
    rule_no    = 100
    action     = "allow"
    protocol   = "icmp"
    from_port  = 0
    to_port    = 0
    icmp_type  = -1
    icmp_code  = -1
    cidr_block = "0.0.0.0/0"
  }` + egressAll + `
}`, ping, true},
		{"aws_network_acl_rule ICMP without type or code: echo replies only", `
resource "aws_network_acl" "pub" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.pub.id]` + egressAll + `
}
resource "aws_network_acl_rule" "icmp" {
  network_acl_id = aws_network_acl.pub.id
  rule_number    = 100
  protocol       = "icmp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}`, ping, false},
		{"aws_network_acl_rule TCP without ports: port 0 only", `
resource "aws_network_acl" "pub" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.pub.id]` + egressAll + `
}
resource "aws_network_acl_rule" "tcp" {
  network_acl_id = aws_network_acl.pub.id
  rule_number    = 100
  protocol       = "tcp"
  rule_action    = "allow"
  cidr_block     = "0.0.0.0/0"
}`, https, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := traceConfig(t, publicHost+tt.acl, tt.q)
			if res.Verdict.Passes() != tt.want {
				t.Errorf("reachable %v, want %v\n%s", res.Verdict.Passes(), tt.want, explain(res))
			}
			if !tt.want && !hasCode(res, reach.CodeSubnetACLRestriction) {
				t.Errorf("not refused by the network ACL:\n%s", explain(res))
			}
		})
	}
}

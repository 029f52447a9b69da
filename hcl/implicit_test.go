package hcl_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// implicitBase is a VPC with an internet gateway, a public subnet and an
// instance in it that names no security group (so it has the VPC's default
// group), and, for the transit gateway cases, nothing more.
const implicitBase = `
provider "aws" { region = "eu-west-1" }
resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }
resource "aws_internet_gateway" "igw" { vpc_id = aws_vpc.v.id }
resource "aws_subnet" "pub" {
  vpc_id                  = aws_vpc.v.id
  cidr_block              = "10.0.1.0/24"
  availability_zone       = "eu-west-1a"
  map_public_ip_on_launch = true
}
resource "aws_instance" "web" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.pub.id
}
`

// publicRoute is the main table's route to the internet, written against
// the main table AWS creates with the VPC.
const publicRoute = `
resource "aws_route" "internet" {
  route_table_id         = aws_vpc.v.main_route_table_id
  destination_cidr_block = "0.0.0.0/0"
  gateway_id             = aws_internet_gateway.igw.id
}
`

// httpsIn opens 443 from anywhere in the VPC's default security group.
const httpsIn = `
resource "aws_security_group_rule" "https" {
  security_group_id = aws_vpc.v.default_security_group_id
  type              = "ingress"
  protocol          = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_blocks       = ["0.0.0.0/0"]
}
`

// twoSpokes are two VPCs on a transit gateway that propagates nothing into
// its default route table by itself; each VPC routes the other's block to
// the gateway through its main table.
const twoSpokes = `
provider "aws" { region = "eu-west-1" }
resource "aws_ec2_transit_gateway" "hub" {
  default_route_table_propagation = "disable"
}
resource "aws_vpc" "a" { cidr_block = "10.1.0.0/16" }
resource "aws_vpc" "b" { cidr_block = "10.2.0.0/16" }
resource "aws_subnet" "a" {
  vpc_id            = aws_vpc.a.id
  cidr_block        = "10.1.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_subnet" "b" {
  vpc_id            = aws_vpc.b.id
  cidr_block        = "10.2.1.0/24"
  availability_zone = "eu-west-1a"
}
resource "aws_ec2_transit_gateway_vpc_attachment" "a" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.a.id
  subnet_ids         = [aws_subnet.a.id]
}
resource "aws_ec2_transit_gateway_vpc_attachment" "b" {
  transit_gateway_id = aws_ec2_transit_gateway.hub.id
  vpc_id             = aws_vpc.b.id
  subnet_ids         = [aws_subnet.b.id]
}
resource "aws_route" "a_to_b" {
  route_table_id         = aws_vpc.a.main_route_table_id
  destination_cidr_block = "10.2.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
resource "aws_route" "b_to_a" {
  route_table_id         = aws_vpc.b.main_route_table_id
  destination_cidr_block = "10.1.0.0/16"
  transit_gateway_id     = aws_ec2_transit_gateway.hub.id
}
resource "aws_security_group" "open" {
  vpc_id = aws_vpc.b.id
  ingress {
    protocol    = "tcp"
    from_port   = 5432
    to_port     = 5432
    cidr_blocks = ["10.0.0.0/8"]
  }
}
resource "aws_instance" "a" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.a.id
}
resource "aws_instance" "b" {
  ami                    = "ami-1"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.b.id
  vpc_security_group_ids = [aws_security_group.open.id]
}
`

// TestImplicitObjects checks each way a configuration attaches rules,
// routes and associations to the objects AWS creates implicitly (a VPC's
// main route table, default network ACL and default security group, a
// transit gateway's default route table): the resource binds to the
// synthesised object, and the trace verdict is the one AWS gives — and
// differs from the verdict without the resource, so the binding is what
// decides.
func TestImplicitObjects(t *testing.T) {
	internet443 := reach.Query{From: "internet", To: "aws_instance.web", Protocol: model.ProtocolTCP, Port: portPtr(443)}
	aToB := reach.Query{From: "aws_instance.a", To: "aws_instance.b", Protocol: model.ProtocolTCP, Port: portPtr(5432)}
	for _, tt := range []struct {
		name string
		// base and extra are the configuration without and with the
		// resource under test.
		base, extra string
		q           reach.Query
		// want is the verdict with the resource, without it the opposite
		// unless same is set.
		want, same bool
		// code is an explanation code the trace with the resource gives.
		code reach.Code
		// hop names an element the trace with the resource crosses.
		hop string
	}{
		{name: "aws_route into main_route_table_id", base: implicitBase + httpsIn, extra: publicRoute,
			q: internet443, want: true, hop: "aws_vpc.v.main_route_table_id"},
		{name: "aws_security_group_rule into default_security_group_id", base: implicitBase + publicRoute, extra: httpsIn,
			q: internet443, want: true, hop: "aws_vpc.v.default_security_group_id"},
		{name: "aws_vpc_security_group_ingress_rule into default_security_group_id", base: implicitBase + publicRoute, extra: `
resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_vpc.v.default_security_group_id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}`, q: internet443, want: true, hop: "aws_vpc.v.default_security_group_id"},
		{name: "aws_network_acl_rule into default_network_acl_id", base: implicitBase + publicRoute + httpsIn, extra: `
resource "aws_network_acl_rule" "no_https" {
  network_acl_id = aws_vpc.v.default_network_acl_id
  rule_number    = 50
  protocol       = "tcp"
  rule_action    = "deny"
  cidr_block     = "0.0.0.0/0"
  from_port      = 443
  to_port        = 443
}`, q: internet443, want: false, code: reach.CodeSubnetACLRestriction},
		{name: "aws_network_acl_association with default_network_acl_id", base: implicitBase + publicRoute + httpsIn + `
resource "aws_network_acl" "locked" {
  vpc_id     = aws_vpc.v.id
  subnet_ids = [aws_subnet.pub.id]
}`, extra: `
resource "aws_network_acl_association" "back" {
  network_acl_id = aws_vpc.v.default_network_acl_id
  subnet_id      = aws_subnet.pub.id
}`, q: internet443, want: true, hop: "aws_vpc.v.default_network_acl_id"},
		{name: "aws_route_table_association with main_route_table_id", base: implicitBase + publicRoute + httpsIn, extra: `
resource "aws_route_table_association" "pub" {
  route_table_id = aws_vpc.v.main_route_table_id
  subnet_id      = aws_subnet.pub.id
}`, q: internet443, want: true, same: true, hop: "aws_vpc.v.main_route_table_id"},
		{name: "aws_vpn_gateway_route_propagation into main_route_table_id", base: implicitBase + `
resource "aws_vpn_gateway" "vgw" { vpc_id = aws_vpc.v.id }
resource "aws_customer_gateway" "office" {
  bgp_asn    = 65000
  ip_address = "203.0.113.10"
  type       = "ipsec.1"
}
resource "aws_vpn_connection" "office" {
  vpn_gateway_id      = aws_vpn_gateway.vgw.id
  customer_gateway_id = aws_customer_gateway.office.id
  type                = "ipsec.1"
  static_routes_only  = true
}
resource "aws_vpn_connection_route" "office" {
  vpn_connection_id      = aws_vpn_connection.office.id
  destination_cidr_block = "192.168.0.0/16"
}`, extra: `
resource "aws_vpn_gateway_route_propagation" "main" {
  vpn_gateway_id = aws_vpn_gateway.vgw.id
  route_table_id = aws_vpc.v.main_route_table_id
}`, q: reach.Query{From: "aws_instance.web", To: "192.168.1.10", Protocol: model.ProtocolTCP, Port: portPtr(22)},
			want: true, hop: "aws_vpn_gateway.vgw"},
		{name: "aws_ec2_transit_gateway_route into association_default_route_table_id", base: twoSpokes, extra: `
resource "aws_ec2_transit_gateway_route" "to_a" {
  destination_cidr_block         = "10.1.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.hub.association_default_route_table_id
}
resource "aws_ec2_transit_gateway_route" "to_b" {
  destination_cidr_block         = "10.2.0.0/16"
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.b.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.hub.association_default_route_table_id
}`, q: aToB, want: true, hop: "aws_ec2_transit_gateway.hub"},
		{name: "aws_ec2_transit_gateway_route_table_propagation into association_default_route_table_id", base: twoSpokes, extra: `
resource "aws_ec2_transit_gateway_route_table_propagation" "a" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.a.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.hub.association_default_route_table_id
}
resource "aws_ec2_transit_gateway_route_table_propagation" "b" {
  transit_gateway_attachment_id  = aws_ec2_transit_gateway_vpc_attachment.b.id
  transit_gateway_route_table_id = aws_ec2_transit_gateway.hub.propagation_default_route_table_id
}`, q: aToB, want: true, hop: "aws_ec2_transit_gateway.hub"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			with := traceConfig(t, tt.base+tt.extra, tt.q)
			if with.Verdict.Passes() != tt.want {
				t.Errorf("with the resource: reachable %v, want %v\n%s", with.Verdict.Passes(), tt.want, explain(with))
			}
			if tt.code != "" && !hasCode(with, tt.code) {
				t.Errorf("with the resource: no %s in\n%s", tt.code, explain(with))
			}
			if tt.hop != "" && !crosses(with, tt.hop) {
				t.Errorf("with the resource: the path does not cross %s:\n%s", tt.hop, explain(with))
			}
			without := traceConfig(t, tt.base, tt.q)
			if wantWithout := tt.want == tt.same; without.Verdict.Passes() != wantWithout {
				t.Errorf("without the resource: reachable %v, want %v\n%s", without.Verdict.Passes(), wantWithout, explain(without))
			}
		})
	}
}

func portPtr(p uint16) *model.PortRange { r := model.Port(p); return &r }

// traceConfig loads a one-file configuration, which must load without
// error, and traces q on it.
func traceConfig(t *testing.T, src string, q reach.Query) *reach.Result {
	t.Helper()
	fsys := fstest.MapFS{"main.tf": &fstest.MapFile{Data: []byte(src)}}
	in, err := hcl.LoadConfig(fsys, ".", hcl.WithEnv([]string{}))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	res, err := e.Trace(q)
	if err != nil {
		t.Fatalf("trace: %v", err)
	}
	return res
}

func hasCode(res *reach.Result, c reach.Code) bool {
	for _, x := range res.Explanations {
		if x.Code == c {
			return true
		}
	}
	return false
}

// crosses reports whether a hop of the path, forward or back, or a decision
// on it, names the element.
func crosses(res *reach.Result, label string) bool {
	for _, h := range append(append([]reach.Hop{}, res.Forward...), res.Return...) {
		if strings.Contains(explainHop(h), label) {
			return true
		}
	}
	return false
}

func explainHop(h reach.Hop) string {
	var b strings.Builder
	b.WriteString(h.Component.Label() + " " + h.Component.ID)
	for _, s := range h.Steps {
		b.WriteString(" " + s.Component.Label() + " " + s.Component.ID)
		for _, g := range s.Groups {
			b.WriteString(" " + g.Label() + " " + g.ID)
		}
	}
	return b.String()
}

func explain(res *reach.Result) string {
	var b strings.Builder
	for _, h := range append(append([]reach.Hop{}, res.Forward...), res.Return...) {
		b.WriteString("  " + explainHop(h) + "\n")
	}
	for _, x := range res.Explanations {
		b.WriteString("  " + string(x.Code) + ": " + x.Message + "\n")
	}
	return b.String()
}

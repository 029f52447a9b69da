package report

import (
	"math/rand/v2"
	"net/netip"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// The sample estate every golden file renders: a shop's VPC as a
// configuration in a fake main.tf would declare it. Line numbers are those
// of that imagined file, so that outputs name rules by file:line.
//
//	public  10.0.1.0/24  igw route; web (80, 443, echo; 22 from the office),
//	                     bastion (22 from anywhere), a debug box (everything),
//	                     the NAT gateway; a custom ACL
//	private 10.0.2.0/24  NAT route; app and db, not reachable from outside
//	legacy  10.0.3.0/24  igw route; a bare interface with SNMP and 8080 open,
//	                     behind an ACL that returns only to ports 32768-65535

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

func pos(line int) model.Pos { return model.Pos{File: "main.tf", Line: line} }

func tfMeta(id, addr string, line int) model.Meta {
	return model.Meta{ID: id, Address: addr, Pos: pos(line)}
}

func sgRule(line int, dir model.Direction, proto model.Protocol, ports model.PortRange, peer model.SGPeer) model.SGRule {
	return model.SGRule{Meta: model.Meta{Address: "", Pos: pos(line)}, Direction: dir, Protocol: proto, Ports: ports, ICMP: model.AnyICMP, Peer: peer}
}

func cidrPeer(s string) model.SGPeer { return model.SGPeer{Kind: model.PeerCIDR, CIDR: pfx(s)} }
func sgPeer(id string) model.SGPeer  { return model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: id} }

func aclRule(line, num int, dir model.Direction, act model.Action, proto model.Protocol, ports model.PortRange, cidr string) model.ACLRule {
	return model.ACLRule{Meta: model.Meta{Pos: pos(line)}, Number: num, Direction: dir, Action: act, Protocol: proto,
		Ports: ports, ICMP: model.AnyICMP, CIDR: pfx(cidr)}
}

func sampleNetwork() *model.Network {
	tcp, udp, icmp, all := model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolAll
	in, out := model.Ingress, model.Egress
	anyOut := sgRule(0, out, all, model.AllPorts, cidrPeer("0.0.0.0/0"))
	n := &model.Network{Source: "examples/shop", Region: "us-east-1"}
	n.VPCs = []*model.VPC{{Meta: tfMeta("vpc-0shop", "aws_vpc.shop", 1), CIDRs: []netip.Prefix{pfx("10.0.0.0/16")}}}
	n.Subnets = []*model.Subnet{
		{Meta: tfMeta("subnet-0pub", "aws_subnet.public", 5), VPCID: "vpc-0shop", AvailabilityZone: "us-east-1a", CIDR: pfx("10.0.1.0/24")},
		{Meta: tfMeta("subnet-0priv", "aws_subnet.private", 11), VPCID: "vpc-0shop", AvailabilityZone: "us-east-1a", CIDR: pfx("10.0.2.0/24")},
		{Meta: tfMeta("subnet-0legacy", "aws_subnet.legacy", 17), VPCID: "vpc-0shop", AvailabilityZone: "us-east-1b", CIDR: pfx("10.0.3.0/24")},
	}
	n.InternetGateways = []*model.InternetGateway{{Meta: tfMeta("igw-0shop", "aws_internet_gateway.shop", 23), VPCID: "vpc-0shop"}}
	n.NATGateways = []*model.NATGateway{{Meta: tfMeta("nat-0shop", "aws_nat_gateway.shop", 27), SubnetID: "subnet-0pub",
		PrivateIP: ip("10.0.1.200"), PublicIP: ip("54.210.0.200")}}
	route := func(line int, dst string, kind model.TargetKind, id string) model.Route {
		return model.Route{Meta: model.Meta{Pos: pos(line)}, Destination: pfx(dst), Target: model.RouteTarget{Kind: kind, ID: id}}
	}
	n.RouteTables = []*model.RouteTable{
		{Meta: tfMeta("rtb-0pub", "aws_route_table.public", 33), VPCID: "vpc-0shop",
			Routes:       []model.Route{route(36, "0.0.0.0/0", model.TargetInternetGateway, "igw-0shop")},
			Associations: []model.RouteTableAssociation{{SubnetID: "subnet-0pub"}, {SubnetID: "subnet-0legacy"}}},
		{Meta: tfMeta("rtb-0priv", "aws_route_table.private", 41), VPCID: "vpc-0shop",
			Routes:       []model.Route{route(44, "0.0.0.0/0", model.TargetNATGateway, "nat-0shop")},
			Associations: []model.RouteTableAssociation{{SubnetID: "subnet-0priv"}}},
	}
	n.NetworkACLs = []*model.NetworkACL{
		{Meta: tfMeta("acl-0pub", "aws_network_acl.public", 50), VPCID: "vpc-0shop",
			Associations: []model.ACLAssociation{{SubnetID: "subnet-0pub"}},
			Ingress: []model.ACLRule{
				aclRule(53, 100, in, model.Allow, tcp, model.Port(80), "0.0.0.0/0"),
				aclRule(61, 110, in, model.Allow, tcp, model.Port(443), "0.0.0.0/0"),
				aclRule(69, 120, in, model.Allow, tcp, model.Port(22), "0.0.0.0/0"),
				aclRule(77, 130, in, model.Allow, icmp, model.AllPorts, "0.0.0.0/0"),
				aclRule(85, 140, in, model.Allow, tcp, model.PortRange{First: 1024, Last: 65535}, "0.0.0.0/0"),
				aclRule(93, 200, in, model.Allow, all, model.AllPorts, "0.0.0.0/0"),
			},
			Egress: []model.ACLRule{aclRule(101, 100, out, model.Allow, all, model.AllPorts, "0.0.0.0/0")}},
		{Meta: tfMeta("acl-0legacy", "aws_network_acl.legacy", 110), VPCID: "vpc-0shop",
			Associations: []model.ACLAssociation{{SubnetID: "subnet-0legacy"}},
			Ingress:      []model.ACLRule{aclRule(113, 100, in, model.Allow, all, model.AllPorts, "0.0.0.0/0")},
			Egress: []model.ACLRule{
				aclRule(121, 100, out, model.Allow, tcp, model.PortRange{First: 32768, Last: 65535}, "0.0.0.0/0"),
				aclRule(129, 110, out, model.Allow, udp, model.AllPorts, "0.0.0.0/0"),
			}},
	}
	n.SecurityGroups = []*model.SecurityGroup{
		{Meta: tfMeta("sg-0web", "aws_security_group.web", 140), VPCID: "vpc-0shop", GroupName: "web",
			Ingress: []model.SGRule{
				sgRule(143, in, tcp, model.Port(80), cidrPeer("0.0.0.0/0")),
				sgRule(149, in, tcp, model.Port(443), cidrPeer("0.0.0.0/0")),
				{Meta: model.Meta{Pos: pos(155)}, Direction: in, Protocol: icmp, ICMP: model.ICMPTypeCode(8, -1), Peer: cidrPeer("0.0.0.0/0")},
				sgRule(161, in, tcp, model.Port(22), cidrPeer("203.0.113.0/24")),
			},
			Egress: []model.SGRule{withLine(anyOut, 167)}},
		{Meta: tfMeta("sg-0bastion", "aws_security_group.bastion", 175), VPCID: "vpc-0shop", GroupName: "bastion",
			Ingress: []model.SGRule{sgRule(178, in, tcp, model.Port(22), cidrPeer("0.0.0.0/0"))},
			Egress:  []model.SGRule{withLine(anyOut, 184)}},
		{Meta: tfMeta("sg-0debug", "aws_security_group.debug", 190), VPCID: "vpc-0shop", GroupName: "debug",
			Ingress: []model.SGRule{sgRule(193, in, all, model.AllPorts, cidrPeer("0.0.0.0/0"))},
			Egress:  []model.SGRule{withLine(anyOut, 199)}},
		{Meta: tfMeta("sg-0app", "aws_security_group.app", 205), VPCID: "vpc-0shop", GroupName: "app",
			Ingress: []model.SGRule{sgRule(208, in, tcp, model.Port(8080), sgPeer("sg-0web"))},
			Egress:  []model.SGRule{withLine(anyOut, 214)}},
		{Meta: tfMeta("sg-0db", "aws_security_group.db", 220), VPCID: "vpc-0shop", GroupName: "db",
			Ingress: []model.SGRule{sgRule(223, in, tcp, model.Port(5432), sgPeer("sg-0app"))},
			Egress:  []model.SGRule{withLine(anyOut, 229)}},
		{Meta: tfMeta("sg-0legacy", "aws_security_group.legacy", 235), VPCID: "vpc-0shop", GroupName: "legacy",
			Ingress: []model.SGRule{
				sgRule(238, in, udp, model.Port(161), cidrPeer("198.51.100.0/24")),
				sgRule(244, in, tcp, model.Port(8080), cidrPeer("0.0.0.0/0")),
			},
			Egress: []model.SGRule{withLine(anyOut, 250)}},
	}
	instance := func(id, addr string, line int, subnet, private, public string, sgs ...string) {
		x := &model.NetworkInterface{Meta: model.Meta{ID: "eni-" + id[2:], Name: "primary network interface of " + addr},
			SubnetID: subnet, PrivateIPs: []netip.Addr{ip(private)}, SecurityGroupIDs: sgs, SourceDestCheck: true,
			OwnerKind: model.OwnerInstance, OwnerID: id}
		if public != "" {
			x.PublicIPs = []model.PublicIP{{Public: ip(public), Private: ip(private)}}
		}
		n.Interfaces = append(n.Interfaces, x)
		n.Instances = append(n.Instances, &model.Instance{Meta: tfMeta(id, addr, line), InterfaceIDs: []string{x.ID}})
	}
	instance("i-0web", "aws_instance.web", 260, "subnet-0pub", "10.0.1.10", "54.210.0.10", "sg-0web")
	instance("i-0bastion", "aws_instance.bastion", 270, "subnet-0pub", "10.0.1.20", "54.210.0.20", "sg-0bastion")
	instance("i-0debug", "aws_instance.debug", 280, "subnet-0pub", "10.0.1.30", "54.210.0.30", "sg-0debug")
	instance("i-0app", "aws_instance.app", 290, "subnet-0priv", "10.0.2.10", "", "sg-0app")
	instance("i-0db", "aws_instance.db", 300, "subnet-0priv", "10.0.2.20", "", "sg-0db")
	// An interface no instance owns, known only by its AWS ID.
	n.Interfaces = append(n.Interfaces, &model.NetworkInterface{Meta: model.Meta{ID: "eni-0legacy"}, SubnetID: "subnet-0legacy",
		PrivateIPs: []netip.Addr{ip("10.0.3.5")}, PublicIPs: []model.PublicIP{{Public: ip("54.210.0.50"), Private: ip("10.0.3.5")}},
		SecurityGroupIDs: []string{"sg-0legacy"}, SourceDestCheck: true})
	return n
}

func withLine(r model.SGRule, line int) model.SGRule {
	r.Pos = pos(line)
	return r
}

// sample builds the sample estate's engine.
func sample(tb testing.TB) *reach.Engine {
	tb.Helper()
	n := sampleNetwork()
	n.Synthesize()
	if ds := n.Validate(); ds.HasErrors() {
		tb.Fatalf("the sample network is invalid: %v", ds)
	}
	e, err := reach.New(n)
	if err != nil {
		tb.Fatalf("reach.New: %v", err)
	}
	return e
}

// sampleReport is the sample estate's internet-exposure report.
func sampleReport(tb testing.TB) *Report {
	tb.Helper()
	e := sample(tb)
	a, err := e.Analyze(reach.AnalyzeOptions{})
	if err != nil {
		tb.Fatalf("Analyze: %v", err)
	}
	return NewReport(a, e.Topology(), "examples/shop")
}

// randomNetwork is a small estate with random rules, for the property
// tests: one VPC, a public and a private subnet, a few instances with
// public addresses and random security group rules, and a random ACL on the
// public subnet.
func randomNetwork(rnd *rand.Rand) *model.Network {
	n := sampleNetwork()
	protos := []model.Protocol{model.ProtocolTCP, model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolAll, 47}
	cidrs := []string{"0.0.0.0/0", "0.0.0.0/1", "203.0.113.0/24", "198.51.100.7/32", "8.0.0.0/6", "10.0.0.0/8", "100.64.0.0/10"}
	ports := func() model.PortRange {
		switch rnd.IntN(4) {
		case 0:
			return model.AllPorts
		case 1:
			p := []uint16{22, 80, 443, 3306, 6379, 8080, 161}[rnd.IntN(7)]
			return model.Port(p)
		}
		lo := rnd.IntN(62000)
		return model.PortRange{First: uint16(lo), Last: uint16(lo + rnd.IntN(3000))}
	}
	rule := func(line int, dir model.Direction) model.SGRule {
		r := sgRule(line, dir, protos[rnd.IntN(len(protos))], ports(), cidrPeer(cidrs[rnd.IntN(len(cidrs))]))
		if r.Protocol == model.ProtocolICMP && rnd.IntN(2) == 0 {
			r.ICMP = model.ICMPTypeCode(rnd.IntN(20), -1)
		}
		return r
	}
	for i, g := range n.SecurityGroups {
		g.Ingress = nil
		for j := range 1 + rnd.IntN(4) {
			g.Ingress = append(g.Ingress, rule(1000+100*i+j, model.Ingress))
		}
	}
	acl := n.NetworkACLs[0]
	acl.Ingress = nil
	for j := range 1 + rnd.IntN(5) {
		r := aclRule(2000+j, 100+10*j, model.Ingress, model.Allow, protos[rnd.IntN(len(protos))], ports(), cidrs[rnd.IntN(len(cidrs))])
		if rnd.IntN(4) == 0 {
			r.Action = model.Deny
		}
		acl.Ingress = append(acl.Ingress, r)
	}
	return n
}

// reportOf analyses n from the internet.
func reportOf(tb testing.TB, n *model.Network) (*Report, *reach.Analysis) {
	tb.Helper()
	n.Synthesize()
	e, err := reach.New(n)
	if err != nil {
		tb.Fatalf("reach.New: %v", err)
	}
	a, err := e.Analyze(reach.AnalyzeOptions{})
	if err != nil {
		tb.Fatalf("Analyze: %v", err)
	}
	return NewReport(a, e.Topology(), "random"), a
}

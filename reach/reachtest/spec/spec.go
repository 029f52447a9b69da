// Package spec reads rules and routes written as the AWS console lists them
// ("tcp 22 0.0.0.0/0", "100 allow tcp 22 0.0.0.0/0", "0.0.0.0/0 igw-1"),
// for the networks tests build: reach's own test fixtures and reachtest's
// builder share it. It imports only model, so that package reach's
// internal tests can use it. A malformed spec panics: it is a bug in a test.
package spec

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// Target reads a route target from its ID's prefix (igw-, eigw-, nat-,
// pcx-, tgw-, vgw-, vpce-, eni-, i-, cagw-, local).
func Target(id string) model.RouteTarget {
	kinds := map[string]model.TargetKind{"igw": model.TargetInternetGateway, "eigw": model.TargetEgressOnlyGateway,
		"nat": model.TargetNATGateway, "pcx": model.TargetPeering, "tgw": model.TargetTransitGateway,
		"vgw": model.TargetVPNGateway, "vpce": model.TargetGatewayEndpoint, "eni": model.TargetNetworkInterface,
		"i": model.TargetInstance, "local": model.TargetLocal, "cagw": model.TargetCarrierGateway}
	pre, _, _ := strings.Cut(id, "-")
	return model.RouteTarget{Kind: kinds[pre], ID: id}
}

// SGRule reads security group group's rule "tcp 22 0.0.0.0/0",
// "all - sg-2", "icmp 8 10.0.0.0/8" (type 8), "udp 1000-2000 ::/0",
// "tcp 443 pl-1", "all - self", at line of sg.tf.
func SGRule(group string, addr string, dir model.Direction, line int, s string) model.SGRule {
	f := strings.Fields(s)
	r := model.SGRule{Meta: model.Meta{Address: addr, Pos: model.Pos{File: "sg.tf", Line: line}}, Direction: dir, ICMP: model.AnyICMP, Ports: model.AllPorts}
	r.Protocol = protocol(f[0])
	service(f[1], r.Protocol, &r.Ports, &r.ICMP)
	switch peer := f[2]; {
	case peer == "self":
		r.Peer = model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: group, Self: true}
	case strings.HasPrefix(peer, "sg-"):
		r.Peer = model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: peer}
	case strings.HasPrefix(peer, "pl-"):
		r.Peer = model.SGPeer{Kind: model.PeerPrefixList, PrefixListID: peer}
	default:
		r.Peer = model.SGPeer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix(peer)}
	}
	return r
}

// ACLRule reads a network ACL rule "100 allow tcp 22 0.0.0.0/0",
// "200 deny all - 10.0.0.0/8", "110 allow icmp 8 0.0.0.0/0" (type 8), at
// line of acl.tf.
func ACLRule(addr string, dir model.Direction, line int, s string) model.ACLRule {
	f := strings.Fields(s)
	num, err := strconv.Atoi(f[0])
	if err != nil {
		panic("spec: rule number " + f[0])
	}
	r := model.ACLRule{Meta: model.Meta{Address: addr, Pos: model.Pos{File: "acl.tf", Line: line}}, Number: num, Direction: dir,
		Action: model.Allow, ICMP: model.AnyICMP, Ports: model.AllPorts, CIDR: netip.MustParsePrefix(f[4])}
	if f[1] == "deny" {
		r.Action = model.Deny
	}
	r.Protocol = protocol(f[2])
	service(f[3], r.Protocol, &r.Ports, &r.ICMP)
	return r
}

func protocol(s string) model.Protocol {
	p, err := model.ParseProtocol(s)
	if err != nil {
		panic("spec: " + err.Error())
	}
	return p
}

// service reads a rule's ports or ICMP type ("-" for all).
func service(s string, p model.Protocol, ports *model.PortRange, icmp *model.ICMPMatch) {
	if s == "-" {
		return
	}
	if p.IsICMP() {
		ty, err := strconv.Atoi(s)
		if err != nil {
			panic("spec: icmp type " + s)
		}
		*icmp = model.ICMPTypeCode(ty, -1)
		return
	}
	r, err := model.ParsePortRange(s)
	if err != nil {
		panic("spec: " + err.Error())
	}
	*ports = r
}

// Meta is a test element's identity: its ID, with a Terraform-style
// address.
func Meta(id string) model.Meta { return model.Meta{ID: id, Address: "test." + id} }

// SG is security group id of vpc with rules as SGRule reads them.
func SG(id, vpc string, ingress, egress []string) *model.SecurityGroup {
	g := &model.SecurityGroup{Meta: Meta(id), VPCID: vpc}
	for i, s := range ingress {
		g.Ingress = append(g.Ingress, SGRule(id, g.Address, model.Ingress, i+1, s))
	}
	for i, s := range egress {
		g.Egress = append(g.Egress, SGRule(id, g.Address, model.Egress, 10+i+1, s))
	}
	return g
}

// ACL is network ACL id of vpc, associated with subnets, with rules as
// ACLRule reads them.
func ACL(id, vpc string, subnets []string, ingress, egress []string) *model.NetworkACL {
	a := &model.NetworkACL{Meta: Meta(id), VPCID: vpc}
	for _, s := range subnets {
		a.Associations = append(a.Associations, model.ACLAssociation{SubnetID: s})
	}
	for i, s := range ingress {
		a.Ingress = append(a.Ingress, ACLRule(a.Address, model.Ingress, i+1, s))
	}
	for i, s := range egress {
		a.Egress = append(a.Egress, ACLRule(a.Address, model.Egress, 100+i+1, s))
	}
	return a
}

// Instance is instance id with one interface "eni-<id>" in subnet; addrs
// are its private IPv4 and IPv6 addresses; public ("" for none) maps to
// the first.
func Instance(id, subnet string, sgs []string, public string, addrs ...string) (*model.NetworkInterface, *model.Instance) {
	x := &model.NetworkInterface{Meta: Meta("eni-" + id), SubnetID: subnet, SecurityGroupIDs: sgs, SourceDestCheck: true,
		OwnerKind: model.OwnerInstance, OwnerID: id}
	for _, a := range addrs {
		if p := netip.MustParseAddr(a); p.Is4() {
			x.PrivateIPs = append(x.PrivateIPs, p)
		} else {
			x.IPv6Addrs = append(x.IPv6Addrs, p)
		}
	}
	if public != "" {
		x.PublicIPs = []model.PublicIP{{Public: netip.MustParseAddr(public), Private: x.PrivateIPs[0]}}
	}
	return x, &model.Instance{Meta: Meta(id), InterfaceIDs: []string{x.ID}}
}

package reach

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/reachtest/spec"
)

// The helpers below build small networks for tests, in AWS's vocabulary.

func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

type tnet struct{ *model.Network }

func newNet() *tnet { return &tnet{&model.Network{Region: "us-east-1"}} }

func meta(id string) model.Meta { return model.Meta{ID: id, Address: "test." + id} }

func (t *tnet) vpc(id string, cidrs ...string) *model.VPC {
	v := &model.VPC{Meta: meta(id)}
	for _, c := range cidrs {
		p := pfx(c)
		if p.Addr().Is4() {
			v.CIDRs = append(v.CIDRs, p)
		} else {
			v.IPv6CIDRs = append(v.IPv6CIDRs, p)
		}
	}
	t.VPCs = append(t.VPCs, v)
	return v
}

// subnet adds a subnet; cidrs are an IPv4 block and optionally an IPv6 one.
func (t *tnet) subnet(id, vpc, az string, cidrs ...string) *model.Subnet {
	s := &model.Subnet{Meta: meta(id), VPCID: vpc, AvailabilityZone: az}
	for _, c := range cidrs {
		if p := pfx(c); p.Addr().Is4() {
			s.CIDR = p
		} else {
			s.IPv6CIDR = p
		}
	}
	t.Subnets = append(t.Subnets, s)
	return s
}

// rt adds a route table associated with subnets; routes are "dest target"
// pairs like "0.0.0.0/0 igw-1" or "pl-s3 vpce-1"; a target "blackhole"
// makes a blackhole route.
func (t *tnet) rt(id, vpc string, subnets []string, routes ...string) *model.RouteTable {
	r := &model.RouteTable{Meta: meta(id), VPCID: vpc}
	for _, s := range subnets {
		r.Associations = append(r.Associations, model.RouteTableAssociation{SubnetID: s})
	}
	for i, spec := range routes {
		f := strings.Fields(spec)
		rt := model.Route{Meta: model.Meta{Address: r.Address + ".route", Pos: model.Pos{File: "test.tf", Line: 100 + i}}}
		if strings.HasPrefix(f[0], "pl-") {
			rt.DestinationPrefixListID = f[0]
		} else {
			rt.Destination = pfx(f[0])
		}
		rt.Target = target(f[1])
		if f[1] == "blackhole" {
			rt.Blackhole = true
			rt.Target = model.RouteTarget{Kind: model.TargetNATGateway, ID: "nat-gone"}
		}
		r.Routes = append(r.Routes, rt)
	}
	t.RouteTables = append(t.RouteTables, r)
	return r
}

func (t *tnet) mainRT(id, vpc string, routes ...string) *model.RouteTable {
	r := t.rt(id, vpc, nil, routes...)
	r.Main = true
	return r
}

func target(id string) model.RouteTarget { return spec.Target(id) }

func (t *tnet) igw(id, vpc string) {
	t.InternetGateways = append(t.InternetGateways, &model.InternetGateway{Meta: meta(id), VPCID: vpc})
}

func (t *tnet) eigw(id, vpc string) {
	t.EgressOnlyGateways = append(t.EgressOnlyGateways, &model.EgressOnlyInternetGateway{Meta: meta(id), VPCID: vpc})
}

// nat adds a public NAT gateway (private when public is "").
func (t *tnet) nat(id, subnet, private, public string) *model.NATGateway {
	g := &model.NATGateway{Meta: meta(id), SubnetID: subnet, PrivateIP: ip(private)}
	if public != "" {
		g.PublicIP = ip(public)
	} else {
		g.Private = true
	}
	t.NATGateways = append(t.NATGateways, g)
	return g
}

// sgRule parses "tcp 22 0.0.0.0/0", "all - sg-2", "icmp 8 10.0.0.0/8",
// "udp 1000-2000 ::/0", "tcp 443 pl-1", "all - self".
type sgSpec string

func (t *tnet) sg(id, vpc string, ingress []sgSpec, egress []sgSpec) *model.SecurityGroup {
	str := func(xs []sgSpec) []string {
		out := make([]string, len(xs))
		for i, x := range xs {
			out[i] = string(x)
		}
		return out
	}
	g := spec.SG(id, vpc, str(ingress), str(egress))
	t.SecurityGroups = append(t.SecurityGroups, g)
	return g
}

// acl adds a network ACL associated with subnets; rules are
// "100 allow tcp 22 0.0.0.0/0", "200 deny all - 10.0.0.0/8",
// "110 allow icmp 8 0.0.0.0/0" (type 8, any code).
func (t *tnet) acl(id, vpc string, subnets []string, ingress, egress []string) *model.NetworkACL {
	a := spec.ACL(id, vpc, subnets, ingress, egress)
	t.NetworkACLs = append(t.NetworkACLs, a)
	return a
}

// instance adds an instance with one interface "eni-<id>"; addrs are its
// private IPv4 and optionally IPv6 addresses; public may be "".
func (t *tnet) instance(id, subnet string, sgs []string, public string, addrs ...string) *model.NetworkInterface {
	x, in := spec.Instance(id, subnet, sgs, public, addrs...)
	t.Interfaces = append(t.Interfaces, x)
	t.Instances = append(t.Instances, in)
	return x
}

// endpoint adds an interface or Gateway Load Balancer endpoint "id" with one
// interface "eni-<id>" at addr in subnet, with the given groups (none: the
// endpoint names none).
func (t *tnet) endpoint(id string, typ model.EndpointType, vpc, subnet, addr string, sgs ...string) *model.NetworkInterface {
	t.Endpoints = append(t.Endpoints, &model.VPCEndpoint{Meta: meta(id), VPCID: vpc, Type: typ, ServiceName: "com.amazonaws.vpce.test",
		SubnetIDs: []string{subnet}, SecurityGroupIDs: sgs, InterfaceIDs: []string{"eni-" + id}})
	x := &model.NetworkInterface{Meta: meta("eni-" + id), SubnetID: subnet, SecurityGroupIDs: sgs, SourceDestCheck: true,
		OwnerKind: model.OwnerEndpoint, OwnerID: id, PrivateIPs: []netip.Addr{ip(addr)}}
	t.Interfaces = append(t.Interfaces, x)
	return x
}

func (t *tnet) peering(id, a, b string, active bool) {
	t.PeeringConnections = append(t.PeeringConnections, &model.PeeringConnection{Meta: meta(id), RequesterVPCID: a, AccepterVPCID: b, Active: active})
}

func (t *tnet) engine(tb testing.TB) *Engine {
	tb.Helper()
	t.Synthesize()
	e, err := New(t.Network)
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return e
}

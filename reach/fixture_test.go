package reach

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
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

func target(id string) model.RouteTarget {
	kinds := map[string]model.TargetKind{"igw": model.TargetInternetGateway, "eigw": model.TargetEgressOnlyGateway,
		"nat": model.TargetNATGateway, "pcx": model.TargetPeering, "tgw": model.TargetTransitGateway,
		"vgw": model.TargetVPNGateway, "vpce": model.TargetGatewayEndpoint, "eni": model.TargetNetworkInterface,
		"i": model.TargetInstance, "local": model.TargetLocal, "cagw": model.TargetCarrierGateway}
	pre, _, _ := strings.Cut(id, "-")
	return model.RouteTarget{Kind: kinds[pre], ID: id}
}

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
	g := &model.SecurityGroup{Meta: meta(id), VPCID: vpc}
	for d, specs := range [][]sgSpec{ingress, egress} {
		dir := model.Ingress
		if d == 1 {
			dir = model.Egress
		}
		for i, s := range specs {
			f := strings.Fields(string(s))
			r := model.SGRule{Meta: model.Meta{Address: g.Address, Pos: model.Pos{File: "sg.tf", Line: 10*d + i + 1}}, Direction: dir, ICMP: model.AnyICMP}
			r.Protocol, _ = model.ParseProtocol(f[0])
			if f[1] != "-" {
				if r.Protocol.IsICMP() {
					var ty int
					_, _ = fmtSscan(f[1], &ty)
					r.ICMP = model.ICMPTypeCode(ty, -1)
				} else {
					r.Ports, _ = model.ParsePortRange(f[1])
				}
			} else {
				r.Ports = model.AllPorts
			}
			switch peer := f[2]; {
			case peer == "self":
				r.Peer = model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: id, Self: true}
			case strings.HasPrefix(peer, "sg-"):
				r.Peer = model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: peer}
			case strings.HasPrefix(peer, "pl-"):
				r.Peer = model.SGPeer{Kind: model.PeerPrefixList, PrefixListID: peer}
			default:
				r.Peer = model.SGPeer{Kind: model.PeerCIDR, CIDR: pfx(peer)}
			}
			if dir == model.Ingress {
				g.Ingress = append(g.Ingress, r)
			} else {
				g.Egress = append(g.Egress, r)
			}
		}
	}
	t.SecurityGroups = append(t.SecurityGroups, g)
	return g
}

// acl adds a network ACL associated with subnets; rules are
// "100 allow tcp 22 0.0.0.0/0", "200 deny all - 10.0.0.0/8",
// "110 allow icmp 8 0.0.0.0/0" (type 8, any code).
func (t *tnet) acl(id, vpc string, subnets []string, ingress, egress []string) *model.NetworkACL {
	a := &model.NetworkACL{Meta: meta(id), VPCID: vpc}
	for _, s := range subnets {
		a.Associations = append(a.Associations, model.ACLAssociation{SubnetID: s})
	}
	for d, specs := range [][]string{ingress, egress} {
		dir := model.Ingress
		if d == 1 {
			dir = model.Egress
		}
		for i, s := range specs {
			f := strings.Fields(s)
			var num int
			_, _ = fmtSscan(f[0], &num)
			r := model.ACLRule{Meta: model.Meta{Address: a.Address, Pos: model.Pos{File: "acl.tf", Line: 100*d + i + 1}}, Number: num, Direction: dir, ICMP: model.AnyICMP, Ports: model.AllPorts}
			r.Action = model.Allow
			if f[1] == "deny" {
				r.Action = model.Deny
			}
			r.Protocol, _ = model.ParseProtocol(f[2])
			if f[3] != "-" {
				if r.Protocol.IsICMP() {
					var ty int
					_, _ = fmtSscan(f[3], &ty)
					r.ICMP = model.ICMPTypeCode(ty, -1)
				} else {
					r.Ports, _ = model.ParsePortRange(f[3])
				}
			}
			r.CIDR = pfx(f[4])
			if dir == model.Ingress {
				a.Ingress = append(a.Ingress, r)
			} else {
				a.Egress = append(a.Egress, r)
			}
		}
	}
	t.NetworkACLs = append(t.NetworkACLs, a)
	return a
}

// instance adds an instance with one interface "eni-<id>"; addrs are its
// private IPv4 and optionally IPv6 addresses; public may be "".
func (t *tnet) instance(id, subnet string, sgs []string, public string, addrs ...string) *model.NetworkInterface {
	x := &model.NetworkInterface{Meta: meta("eni-" + id), SubnetID: subnet, SecurityGroupIDs: sgs, SourceDestCheck: true,
		OwnerKind: model.OwnerInstance, OwnerID: id}
	for _, a := range addrs {
		if p := ip(a); p.Is4() {
			x.PrivateIPs = append(x.PrivateIPs, p)
		} else {
			x.IPv6Addrs = append(x.IPv6Addrs, p)
		}
	}
	if public != "" {
		x.PublicIPs = []model.PublicIP{{Public: ip(public), Private: x.PrivateIPs[0]}}
	}
	t.Interfaces = append(t.Interfaces, x)
	t.Instances = append(t.Instances, &model.Instance{Meta: meta(id), InterfaceIDs: []string{x.ID}})
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

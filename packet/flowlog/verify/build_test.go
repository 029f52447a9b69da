package verify

import (
	"fmt"
	"io"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// The helpers below build the small networks of AWS's flow-log examples,
// with the IDs the examples' records name.

type net struct{ *model.Network }

func newNet() *net { return &net{&model.Network{Region: "us-east-1"}} }

func mt(id string) model.Meta { return model.Meta{ID: id, Address: "test." + id} }

func (n *net) vpc(id string, cidrs ...string) {
	v := &model.VPC{Meta: mt(id)}
	for _, c := range cidrs {
		if p := netip.MustParsePrefix(c); p.Addr().Is4() {
			v.CIDRs = append(v.CIDRs, p)
		} else {
			v.IPv6CIDRs = append(v.IPv6CIDRs, p)
		}
	}
	n.VPCs = append(n.VPCs, v)
}

func (n *net) subnet(id, vpc, az string, cidrs ...string) {
	s := &model.Subnet{Meta: mt(id), VPCID: vpc, AvailabilityZone: az}
	for _, c := range cidrs {
		if p := netip.MustParsePrefix(c); p.Addr().Is4() {
			s.CIDR = p
		} else {
			s.IPv6CIDR = p
		}
	}
	n.Subnets = append(n.Subnets, s)
}

// rt adds a route table; routes are "destination target".
func (n *net) rt(id, vpc string, subnets []string, routes ...string) {
	r := &model.RouteTable{Meta: mt(id), VPCID: vpc}
	for _, s := range subnets {
		r.Associations = append(r.Associations, model.RouteTableAssociation{SubnetID: s})
	}
	kinds := map[string]model.TargetKind{"igw": model.TargetInternetGateway, "nat": model.TargetNATGateway, "tgw": model.TargetTransitGateway}
	for _, spec := range routes {
		f := strings.Fields(spec)
		pre, _, _ := strings.Cut(f[1], "-")
		r.Routes = append(r.Routes, model.Route{Destination: netip.MustParsePrefix(f[0]), Target: model.RouteTarget{Kind: kinds[pre], ID: f[1]}})
	}
	n.RouteTables = append(n.RouteTables, r)
}

// rule parses "tcp 22 0.0.0.0/0", "icmp - 0.0.0.0/0", "all - ::/0".
func rule(spec string) (p model.Protocol, ports model.PortRange, cidr netip.Prefix) {
	f := strings.Fields(spec)
	p, err := model.ParseProtocol(f[0])
	if err != nil {
		panic(err)
	}
	ports = model.AllPorts
	if f[1] != "-" {
		if ports, err = model.ParsePortRange(f[1]); err != nil {
			panic(err)
		}
	}
	return p, ports, netip.MustParsePrefix(f[2])
}

func (n *net) sg(id, vpc string, in, out []string) {
	g := &model.SecurityGroup{Meta: mt(id), VPCID: vpc}
	for d, specs := range [][]string{in, out} {
		for i, s := range specs {
			p, ports, cidr := rule(s)
			r := model.SGRule{Meta: model.Meta{Address: g.Address, Pos: model.Pos{File: "sg.tf", Line: 10*d + i + 1}}, Direction: model.Ingress,
				Protocol: p, Ports: ports, ICMP: model.AnyICMP, Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: cidr}}
			if d == 1 {
				r.Direction = model.Egress
				g.Egress = append(g.Egress, r)
			} else {
				g.Ingress = append(g.Ingress, r)
			}
		}
	}
	n.SecurityGroups = append(n.SecurityGroups, g)
}

// acl rules are "100 allow tcp 22 0.0.0.0/0".
func (n *net) acl(id, vpc string, subnets []string, in, out []string) {
	a := &model.NetworkACL{Meta: mt(id), VPCID: vpc}
	for _, s := range subnets {
		a.Associations = append(a.Associations, model.ACLAssociation{SubnetID: s})
	}
	for d, specs := range [][]string{in, out} {
		for i, s := range specs {
			num, rest, _ := strings.Cut(s, " ")
			act, rest, _ := strings.Cut(rest, " ")
			p, ports, cidr := rule(rest)
			r := model.ACLRule{Meta: model.Meta{Address: a.Address, Pos: model.Pos{File: "acl.tf", Line: 100*d + i + 1}}, Direction: model.Ingress,
				Action: model.Allow, Protocol: p, Ports: ports, ICMP: model.AnyICMP, CIDR: cidr}
			fmt.Sscan(num, &r.Number)
			if act == "deny" {
				r.Action = model.Deny
			}
			if d == 1 {
				r.Direction = model.Egress
				a.Egress = append(a.Egress, r)
			} else {
				a.Ingress = append(a.Ingress, r)
			}
		}
	}
	n.NetworkACLs = append(n.NetworkACLs, a)
}

// eni adds an instance's interface with its addresses (IPv4 and IPv6).
func (n *net) eni(id, subnet string, sgs []string, public string, addrs ...string) {
	x := &model.NetworkInterface{Meta: mt(id), SubnetID: subnet, SecurityGroupIDs: sgs, SourceDestCheck: true, OwnerKind: model.OwnerInstance, OwnerID: "i-" + id}
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
	n.Interfaces = append(n.Interfaces, x)
}

func (n *net) igw(id, vpc string) {
	n.InternetGateways = append(n.InternetGateways, &model.InternetGateway{Meta: mt(id), VPCID: vpc})
}

// nat adds a public NAT gateway with its interface.
func (n *net) nat(id, eni, subnet, private, public string) {
	n.NATGateways = append(n.NATGateways, &model.NATGateway{Meta: mt(id), SubnetID: subnet, PrivateIP: netip.MustParseAddr(private),
		PublicIP: netip.MustParseAddr(public), InterfaceID: eni})
	n.Interfaces = append(n.Interfaces, &model.NetworkInterface{Meta: mt(eni), SubnetID: subnet, OwnerKind: model.OwnerNATGateway, OwnerID: id,
		PrivateIPs: []netip.Addr{netip.MustParseAddr(private)}})
}

func (n *net) engine(t testing.TB) *reach.Engine {
	t.Helper()
	if ds := n.Synthesize(); ds.HasErrors() {
		t.Fatal(ds)
	}
	e, err := reach.New(n.Network)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// classify reads text records of format f (nil: a header line) and
// classifies each.
func classify(t *testing.T, e *reach.Engine, f flowlog.Format, text string) []Verdict {
	t.Helper()
	r, err := flowlog.NewTextReader(strings.NewReader(text), f)
	if err != nil {
		t.Fatal(err)
	}
	c := NewClassifier(e, model.DefaultEphemeral)
	var out []Verdict
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c.Classify(rec))
	}
}

func mustFormat(s string) flowlog.Format {
	f, err := flowlog.ParseFormat(s)
	if err != nil {
		panic(err)
	}
	return f
}

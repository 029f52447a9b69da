package verifytest

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// Net builds small networks in AWS's vocabulary, with the IDs flow-log
// records name, for tests.
type Net struct{ *model.Network }

// NewNet returns an empty network in us-east-1.
func NewNet() *Net { return &Net{&model.Network{Region: "us-east-1"}} }

func mt(id string) model.Meta { return model.Meta{ID: id, Address: "test." + id} }

// VPC adds a VPC with IPv4 and IPv6 blocks.
func (n *Net) VPC(id string, cidrs ...string) {
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

// Subnet adds a subnet with an IPv4 and optionally an IPv6 block.
func (n *Net) Subnet(id, vpc, az string, cidrs ...string) {
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

// RT adds a route table; routes are "destination target" (igw-…, nat-…, tgw-…).
func (n *Net) RT(id, vpc string, subnets []string, routes ...string) {
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

// SG adds a security group; rules are "tcp 22 0.0.0.0/0", "icmp - 0.0.0.0/0", "all - ::/0".
func (n *Net) SG(id, vpc string, in, out []string) {
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

// ACL adds a network ACL; rules are "100 allow tcp 22 0.0.0.0/0".
func (n *Net) ACL(id, vpc string, subnets []string, in, out []string) {
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

// ENI adds an instance's interface with its addresses (IPv4 and IPv6).
func (n *Net) ENI(id, subnet string, sgs []string, public string, addrs ...string) {
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

// IGW adds an internet gateway.
func (n *Net) IGW(id, vpc string) {
	n.InternetGateways = append(n.InternetGateways, &model.InternetGateway{Meta: mt(id), VPCID: vpc})
}

// NAT adds a public NAT gateway with its interface.
func (n *Net) NAT(id, eni, subnet, private, public string) {
	n.NATGateways = append(n.NATGateways, &model.NATGateway{Meta: mt(id), SubnetID: subnet, PrivateIP: netip.MustParseAddr(private),
		PublicIP: netip.MustParseAddr(public), InterfaceID: eni})
	n.Interfaces = append(n.Interfaces, &model.NetworkInterface{Meta: mt(eni), SubnetID: subnet, OwnerKind: model.OwnerNATGateway, OwnerID: id,
		PrivateIPs: []netip.Addr{netip.MustParseAddr(private)}})
}

// Engine completes the network (model.Synthesize) and builds its engine.
func (n *Net) Engine() (*reach.Engine, error) {
	if ds := n.Synthesize(); ds.HasErrors() {
		return nil, ds
	}
	return reach.New(n.Network)
}

// TGW adds a transit gateway that associates its attachments with its
// default route table and propagates their routes there.
func (n *Net) TGW(id string) {
	n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: mt(id), DefaultAssociation: true, DefaultPropagation: true})
}

// Attach attaches a VPC to transit gateway tgw through one subnet per zone.
func (n *Net) Attach(id, tgw, vpc string, subnets ...string) {
	n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: mt(id), Kind: model.TGWAttachVPC, TransitGatewayID: tgw,
		VPCID: vpc, SubnetIDs: subnets, DefaultAssociation: true, DefaultPropagation: true})
}

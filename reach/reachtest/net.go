package reachtest

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/reachtest/spec"
)

// Net builds small networks in AWS's vocabulary, for tests outside package
// reach and for the random network generator. Rules and routes are written
// as the console lists them; a malformed spec panics (it is a bug in the
// test, not input).
type Net struct{ *model.Network }

// NewNet returns an empty network in region.
func NewNet(region string) *Net { return &Net{&model.Network{Region: region}} }

// Meta is an element's identity: its ID, with a Terraform-style address.
func Meta(id string) model.Meta { return spec.Meta(id) }

// VPC adds a VPC with IPv4 and IPv6 blocks.
func (n *Net) VPC(id string, cidrs ...string) *model.VPC {
	v := &model.VPC{Meta: Meta(id)}
	for _, c := range cidrs {
		p := netip.MustParsePrefix(c)
		if p.Addr().Is4() {
			v.CIDRs = append(v.CIDRs, p)
		} else {
			v.IPv6CIDRs = append(v.IPv6CIDRs, p)
		}
	}
	n.VPCs = append(n.VPCs, v)
	return v
}

// Subnet adds a subnet in zone az with an IPv4 block and optionally an IPv6
// one.
func (n *Net) Subnet(id, vpc, az string, cidrs ...string) *model.Subnet {
	s := &model.Subnet{Meta: Meta(id), VPCID: vpc, AvailabilityZone: az}
	for _, c := range cidrs {
		if p := netip.MustParsePrefix(c); p.Addr().Is4() {
			s.CIDR = p
		} else {
			s.IPv6CIDR = p
		}
	}
	n.Subnets = append(n.Subnets, s)
	return s
}

// Target reads a route target from its ID's prefix (igw-, eigw-, nat-,
// pcx-, tgw-, vgw-, vpce-, eni-, i-, local).
func Target(id string) model.RouteTarget { return spec.Target(id) }

// RouteTable adds a route table associated with subnets; routes are
// "destination target" pairs ("0.0.0.0/0 igw-1", "pl-s3 vpce-1",
// "10.9.0.0/16 blackhole").
func (n *Net) RouteTable(id, vpc string, subnets []string, routes ...string) *model.RouteTable {
	r := &model.RouteTable{Meta: Meta(id), VPCID: vpc}
	for _, s := range subnets {
		r.Associations = append(r.Associations, model.RouteTableAssociation{SubnetID: s})
	}
	for _, spec := range routes {
		n.AddRoute(r, spec)
	}
	n.RouteTables = append(n.RouteTables, r)
	return r
}

// MainRouteTable adds the VPC's main route table.
func (n *Net) MainRouteTable(id, vpc string, routes ...string) *model.RouteTable {
	r := n.RouteTable(id, vpc, nil, routes...)
	r.Main = true
	return r
}

// AddRoute adds a route "destination target" to r.
func (n *Net) AddRoute(r *model.RouteTable, spec string) {
	f := strings.Fields(spec)
	rt := model.Route{Meta: model.Meta{Address: r.Address + ".route", Pos: model.Pos{File: "routes.tf", Line: 100 + len(r.Routes)}}}
	if strings.HasPrefix(f[0], "pl-") {
		rt.DestinationPrefixListID = f[0]
	} else {
		rt.Destination = netip.MustParsePrefix(f[0])
	}
	if f[1] == "blackhole" {
		rt.Blackhole, rt.Target = true, model.RouteTarget{Kind: model.TargetNATGateway, ID: "nat-gone"}
	} else {
		rt.Target = Target(f[1])
	}
	r.Routes = append(r.Routes, rt)
}

// IGW adds an internet gateway attached to vpc.
func (n *Net) IGW(id, vpc string) {
	n.InternetGateways = append(n.InternetGateways, &model.InternetGateway{Meta: Meta(id), VPCID: vpc})
}

// EIGW adds an egress-only internet gateway.
func (n *Net) EIGW(id, vpc string) {
	n.EgressOnlyGateways = append(n.EgressOnlyGateways, &model.EgressOnlyInternetGateway{Meta: Meta(id), VPCID: vpc})
}

// NAT adds a NAT gateway in subnet whose interface (which Synthesize
// creates) is "eni-<id>": public with an Elastic IP, private when public is
// "".
func (n *Net) NAT(id, subnet, private, public string) *model.NATGateway {
	g := &model.NATGateway{Meta: Meta(id), SubnetID: subnet, PrivateIP: netip.MustParseAddr(private), InterfaceID: "eni-" + id}
	if public != "" {
		g.PublicIP = netip.MustParseAddr(public)
	} else {
		g.Private = true
	}
	n.NATGateways = append(n.NATGateways, g)
	return g
}

// SG adds a security group; rules read "tcp 22 0.0.0.0/0", "all - sg-2",
// "icmp 8 10.0.0.0/8" (type 8), "udp 1000-2000 ::/0", "tcp 443 pl-1",
// "all - self".
func (n *Net) SG(id, vpc string, ingress, egress []string) *model.SecurityGroup {
	g := spec.SG(id, vpc, ingress, egress)
	n.SecurityGroups = append(n.SecurityGroups, g)
	return g
}

// ACL adds a network ACL associated with subnets; rules read
// "100 allow tcp 22 0.0.0.0/0", "200 deny all - 10.0.0.0/8",
// "110 allow icmp 8 0.0.0.0/0" (type 8).
func (n *Net) ACL(id, vpc string, subnets []string, ingress, egress []string) *model.NetworkACL {
	a := spec.ACL(id, vpc, subnets, ingress, egress)
	n.NetworkACLs = append(n.NetworkACLs, a)
	return a
}

// Instance adds instance id with one interface "eni-<id>"; addrs are its
// private IPv4 and IPv6 addresses; public ("" for none) maps to the first.
func (n *Net) Instance(id, subnet string, sgs []string, public string, addrs ...string) *model.NetworkInterface {
	x, in := spec.Instance(id, subnet, sgs, public, addrs...)
	n.Interfaces = append(n.Interfaces, x)
	n.Instances = append(n.Instances, in)
	return x
}

// Peering adds an active peering connection between VPCs a and b.
func (n *Net) Peering(id, a, b string) *model.PeeringConnection {
	p := &model.PeeringConnection{Meta: Meta(id), RequesterVPCID: a, AccepterVPCID: b, Active: true}
	n.PeeringConnections = append(n.PeeringConnections, p)
	return p
}

// TGW adds a transit gateway whose attachments use its default route table.
func (n *Net) TGW(id string) *model.TransitGateway {
	t := &model.TransitGateway{Meta: Meta(id), DefaultAssociation: true, DefaultPropagation: true}
	n.TransitGateways = append(n.TransitGateways, t)
	return t
}

// TGWAttachment attaches vpc to transit gateway tgw through subnets (one per
// zone), associated with and propagating into its default table.
func (n *Net) TGWAttachment(id, tgw, vpc string, subnets ...string) *model.TGWAttachment {
	a := &model.TGWAttachment{Meta: Meta(id), Kind: model.TGWAttachVPC, TransitGatewayID: tgw, VPCID: vpc, SubnetIDs: subnets,
		DefaultAssociation: true, DefaultPropagation: true}
	n.TGWAttachments = append(n.TGWAttachments, a)
	return a
}

// GatewayEndpoint adds a gateway endpoint for service (s3, dynamodb) with its
// prefix list "pl-<service>" of entries, routed from route tables.
func (n *Net) GatewayEndpoint(id, vpc, svc string, entries []string, routeTables ...string) {
	var pl *model.PrefixList
	for _, x := range n.PrefixLists {
		if x.ID == "pl-"+svc {
			pl = x
		}
	}
	if pl == nil {
		pl = &model.PrefixList{Meta: Meta("pl-" + svc), AWSManaged: true}
		pl.Name = "com.amazonaws." + n.Region + "." + svc
		for _, e := range entries {
			pl.Entries = append(pl.Entries, netip.MustParsePrefix(e))
		}
		n.PrefixLists = append(n.PrefixLists, pl)
	}
	n.Endpoints = append(n.Endpoints, &model.VPCEndpoint{Meta: Meta(id), VPCID: vpc, Type: model.EndpointGateway,
		ServiceName: pl.Name, PrefixListID: pl.ID, RouteTableIDs: routeTables})
}

// VPN adds a virtual private gateway attached to vpc with a static VPN
// connection "vpn-<id>" to the on-premises blocks.
func (n *Net) VPN(id, vpc string, onPrem ...string) {
	n.VPNGateways = append(n.VPNGateways, &model.VPNGateway{Meta: Meta(id), VPCID: vpc})
	c := &model.VPNConnection{Meta: Meta("vpn-" + id), VPNGatewayID: id, StaticRoutesOnly: true}
	for _, p := range onPrem {
		c.OnPremCIDRs = append(c.OnPremCIDRs, netip.MustParsePrefix(p))
	}
	n.VPNConnections = append(n.VPNConnections, c)
}

// Engine synthesizes what AWS creates implicitly and compiles the network.
func (n *Net) Engine() (*reach.Engine, error) {
	n.Synthesize()
	if ds := n.Validate(); ds.HasErrors() {
		return nil, fmt.Errorf("reachtest: invalid network: %v", ds)
	}
	return reach.New(n.Network)
}

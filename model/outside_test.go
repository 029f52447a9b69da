package model

import (
	"slices"
	"strings"
	"testing"
)

// TestAddOutside builds a spoke that names, by ID, elements of other stacks
// of every kind a reference can ask for, and checks that each becomes an
// element outside the input of that kind, once, with a warning at what
// names it; and that the result validates.
func TestAddOutside(t *testing.T) {
	n := &Network{
		VPCs:    []*VPC{{Meta: Meta{ID: "vpc-1"}, CIDRs: pfxs("10.1.0.0/16")}},
		Subnets: []*Subnet{{Meta: Meta{ID: "subnet-1", Address: "aws_subnet.a"}, VPCID: "vpc-1", CIDR: pfx("10.1.1.0/24")}},
		RouteTables: []*RouteTable{{Meta: Meta{ID: "rtb-1", Address: "aws_route_table.rt"}, VPCID: "vpc-1",
			Routes: []Route{
				{Destination: pfx("10.2.0.0/16"), Target: RouteTarget{Kind: TargetTransitGateway, ID: "tgw-x"}},
				{Destination: pfx("10.3.0.0/16"), Target: RouteTarget{Kind: TargetPeering, ID: "pcx-x"}},
				{Destination: pfx("10.4.0.0/16"), Target: RouteTarget{Kind: TargetVPNGateway, ID: "vgw-x"}},
				{Destination: pfx("0.0.0.0/0"), Target: RouteTarget{Kind: TargetInternetGateway, ID: "igw-x"}},
				{DestinationPrefixListID: "pl-x", Target: RouteTarget{Kind: TargetTransitGateway, ID: "tgw-x"}},
			},
			Associations: []RouteTableAssociation{{SubnetID: "subnet-x"}}}},
		SecurityGroups: []*SecurityGroup{{Meta: Meta{ID: "sg-1"}, VPCID: "vpc-1",
			Ingress: []SGRule{{Direction: Ingress, Protocol: ProtocolTCP, Ports: Port(443), Peer: SGPeer{Kind: PeerSecurityGroup, GroupID: "sg-x"}}}}},
		Interfaces: []*NetworkInterface{{Meta: Meta{ID: "eni-1", Address: "aws_network_interface.e"}, SubnetID: "subnet-x",
			PrivateIPs: ips("10.9.1.10"), SecurityGroupIDs: []string{"sg-1", "sg-y"}}},
		TGWAttachments: []*TGWAttachment{{Meta: Meta{ID: "tgw-attach-1"}, Kind: TGWAttachVPC, TransitGatewayID: "tgw-x",
			VPCID: "vpc-1", SubnetIDs: []string{"subnet-1"}}},
	}
	ds := n.AddOutside()
	want := map[string]string{
		"tgw-x": "transit gateway", "pcx-x": "VPC peering connection", "vgw-x": "VPN gateway", "igw-x": "internet gateway",
		"pl-x": "prefix list", "subnet-x": "subnet", "sg-x": "security group", "sg-y": "security group",
	}
	if len(ds) != len(want) {
		t.Errorf("%d warnings, want %d:\n%v", len(ds), len(want), ds)
	}
	for id, kind := range want {
		found := false
		for _, d := range ds {
			found = found || (d.Severity == SeverityWarning && strings.HasPrefix(d.Message, kind+" "+id+" is not in the input"))
		}
		if !found {
			t.Errorf("no warning for %s %s in %v", kind, id, ds)
		}
	}
	ix := n.Index()
	if g := ix.TransitGateways["tgw-x"]; g == nil || !g.IsOutside() || !strings.Contains(g.Outside, "aws_route_table.rt") ||
		!strings.Contains(g.Outside, "and 2 more") || !strings.Contains(g.Describe(), OutsideNote) {
		t.Errorf("transit gateway %+v", g)
	}
	if g := ix.InternetGateways["igw-x"]; g == nil || g.VPCID != "vpc-1" {
		t.Errorf("an internet gateway a route targets is attached to the route's VPC: %+v", g)
	}
	if p := ix.Peerings["pcx-x"]; p == nil || p.RequesterVPCID != "vpc-1" || p.AccepterVPCID != "" {
		t.Errorf("peering %+v", p)
	}
	if pl := ix.PrefixLists["pl-x"]; pl == nil || !pl.EntriesUnknown {
		t.Errorf("prefix list %+v", pl)
	}
	if again := n.AddOutside(); len(again) != 0 {
		t.Errorf("second AddOutside added %v", again)
	}
	n.Synthesize()
	for _, d := range n.Validate() {
		if d.Severity == SeverityError {
			t.Errorf("Validate: %s", d)
		}
	}
}

// TestOutsideVPCDefaults checks that the implicit elements of a VPC outside
// the input are outside it too, with AWS's defaults.
func TestOutsideVPCDefaults(t *testing.T) {
	n := &Network{VPCs: []*VPC{{Meta: Meta{ID: "vpc-x", Outside: "read by data.aws_vpc.x"}, MainRouteTableID: "rtb-x"}}}
	n.Synthesize()
	ix := n.Index()
	if rt := ix.RouteTables["rtb-x"]; rt == nil || !rt.Main || !rt.IsOutside() {
		t.Errorf("main route table %+v", rt)
	}
	if len(n.NetworkACLs) != 1 || !n.NetworkACLs[0].IsOutside() || len(n.SecurityGroups) != 1 || !n.SecurityGroups[0].IsOutside() {
		t.Errorf("default ACL and group: %+v %+v", n.NetworkACLs, n.SecurityGroups)
	}
	for _, d := range n.Validate() {
		if d.Severity == SeverityError {
			t.Errorf("Validate: %s (a VPC outside the input has no known block)", d)
		}
	}
}

// TestMergeLeavesInputs merges two networks and completes the result: the
// inputs' elements do not change.
func TestMergeLeavesInputs(t *testing.T) {
	a := &Network{VPCs: []*VPC{{Meta: Meta{ID: "vpc-1"}, CIDRs: pfxs("10.1.0.0/16"), MainRouteTableID: "rtb-1"}},
		RouteTables: []*RouteTable{{Meta: Meta{ID: "rtb-1"}, VPCID: "vpc-1",
			Routes: []Route{{Destination: pfx("10.2.0.0/16"), Target: RouteTarget{Kind: TargetTransitGateway, ID: "tgw-1"}}}}}}
	b := &Network{TransitGateways: []*TransitGateway{{Meta: Meta{ID: "tgw-1"}, DefaultAssociation: true, DefaultPropagation: true}}}
	before := len(a.RouteTables[0].Routes)
	n, ds := Merge(a, b)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	n.Synthesize()
	n.AddOutside()
	if got := len(a.RouteTables[0].Routes); got != before || a.RouteTables[0].Main {
		t.Errorf("the input's route table changed: %d routes, main %v", got, a.RouteTables[0].Main)
	}
	if rt := n.Index().RouteTables["rtb-1"]; rt == nil || len(rt.Routes) != before+1 || !rt.Main {
		t.Errorf("merged route table %+v", rt)
	}
	if len(n.TGWRouteTables) != 1 || len(b.TGWRouteTables) != 0 {
		t.Errorf("transit gateway tables: merged %d, input %d", len(n.TGWRouteTables), len(b.TGWRouteTables))
	}
}

// TestMergeImplicitOfOutside merges a stack that reads another's VPC (an
// element outside it, with the main route table vpcsim gave it and a route
// the stack placed there) with the stack that holds the VPC: one main route
// table, the declared one, with the route; and a stack whose VPC stays
// outside keeps its table and route.
func TestMergeImplicitOfOutside(t *testing.T) {
	spoke := func() *Network {
		n := &Network{VPCs: []*VPC{{Meta: Meta{ID: "vpc-hub", Outside: "read by data.aws_vpc.hub"}, MainRouteTableID: "rtb-hubmain"}}}
		n.SynthesizeImplicit()
		n.RouteTables[0].Routes = append(n.RouteTables[0].Routes,
			Route{Meta: Meta{Address: "aws_route.back"}, Destination: pfx("10.9.0.0/16"), Target: RouteTarget{Kind: TargetTransitGateway, ID: "tgw-1"}})
		return n
	}
	hub := &Network{
		VPCs:            []*VPC{{Meta: Meta{ID: "vpc-hub"}, CIDRs: pfxs("10.0.0.0/16"), MainRouteTableID: "rtb-hubmain"}},
		RouteTables:     []*RouteTable{{Meta: Meta{ID: "rtb-hubmain", Address: "aws_default_route_table.hub"}, VPCID: "vpc-hub", Main: true}},
		TransitGateways: []*TransitGateway{{Meta: Meta{ID: "tgw-1"}}},
	}
	n, ds := Merge(spoke(), hub)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	n.Synthesize()
	var mains []*RouteTable
	for _, rt := range n.RouteTables {
		if rt.VPCID == "vpc-hub" && rt.Main {
			mains = append(mains, rt)
		}
	}
	if len(mains) != 1 || mains[0].IsOutside() || !slices.ContainsFunc(mains[0].Routes, func(r Route) bool { return r.Address == "aws_route.back" }) {
		t.Errorf("main tables of the hub VPC: %+v", mains)
	}
	for _, d := range n.Validate() {
		if d.Severity == SeverityError {
			t.Errorf("Validate: %s", d)
		}
	}
	alone, _ := Merge(spoke(), &Network{TransitGateways: []*TransitGateway{{Meta: Meta{ID: "tgw-1"}}}})
	if rt := alone.Index().RouteTables["rtb-hubmain"]; rt == nil || !rt.IsOutside() || len(rt.Routes) != 1 {
		t.Errorf("the table of a VPC still outside the input: %+v", rt)
	}
}

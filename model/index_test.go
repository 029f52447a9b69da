package model

import (
	"slices"
	"testing"
)

func TestIndex(t *testing.T) {
	f := sample()
	// A duplicate ID keeps the first element (Validate reports the second).
	dup := &SecurityGroup{Meta: Meta{ID: "aws_security_group.web", Address: "aws_security_group.web_copy"}, VPCID: "aws_vpc.main"}
	f.SecurityGroups = append(f.SecurityGroups, dup)
	// Elements without an ID are not indexed.
	f.Subnets = append(f.Subnets, &Subnet{Meta: Meta{Address: "aws_subnet.noid"}})
	ix := f.Index()
	if ix.VPCs["aws_vpc.main"] != f.vpc || ix.Subnets["aws_subnet.private_b"] != f.privB ||
		ix.RouteTables["aws_route_table.peer"] != f.peerRT || ix.NetworkACLs["aws_network_acl.private"] != f.privACL ||
		ix.Interfaces["aws_instance.db/eni"] != f.dbENI || ix.Instances["aws_instance.app"] != f.app ||
		ix.InternetGateways["aws_internet_gateway.main"] != f.igw || ix.EgressOnly["aws_egress_only_internet_gateway.main"] != f.eigw ||
		ix.NATGateways["aws_nat_gateway.a"] != f.nat || ix.VPNGateways["aws_vpn_gateway.main"] != f.vgw ||
		ix.CustomerGateways["aws_customer_gateway.office"] != f.cgw || ix.VPNConnections["aws_vpn_connection.dc"] != f.dc ||
		ix.TransitGateways["aws_ec2_transit_gateway.hub"] != f.tgw || ix.TGWAttachments["aws_vpn_connection.dc/attachment"] != f.tgwVPN ||
		ix.Peerings["aws_vpc_peering_connection.main_peer"] != f.pcx || ix.Endpoints["aws_vpc_endpoint.ssm"] != f.ssm ||
		ix.PrefixLists["aws_ec2_managed_prefix_list.corp"] != f.corp || ix.ElasticIPs["aws_eip.web"] != f.webEIP {
		t.Errorf("Index does not map IDs to their elements")
	}
	if ix.SecurityGroups["aws_security_group.web"] != f.webSG {
		t.Errorf("duplicate ID: the later element won")
	}
	if _, ok := ix.Subnets[""]; ok || len(ix.Subnets) != 6 {
		t.Errorf("subnets indexed: %d, with empty ID: %v; want 6 and no", len(ix.Subnets), ok)
	}
	// Addresses maps Terraform addresses to IDs, for elements of every kind.
	if got := ix.Addresses["aws_security_group.web_copy"]; got != "aws_security_group.web" {
		t.Errorf("Addresses[web_copy] = %q", got)
	}
	if got := ix.Addresses["aws_ec2_transit_gateway.hub"]; got != "aws_ec2_transit_gateway.hub" {
		t.Errorf("Addresses[hub] = %q", got)
	}
	if _, ok := ix.Addresses["aws_subnet.noid"]; ok {
		t.Errorf("an element without an ID has an address entry")
	}
}

func TestSubnetRouteTables(t *testing.T) {
	f := sample()
	f.Synthesize()
	main := f.Index().RouteTables["aws_vpc.main/main-route-table"]
	got := f.SubnetRouteTables()
	tests := []struct {
		subnet string
		want   *RouteTable
	}{
		// A subnet's explicit association decides its table...
		{"aws_subnet.public_a", f.pubRT},
		{"aws_subnet.private_b", f.privRT},
		{"aws_subnet.peer_a", f.peerRT},
		// ... else its VPC's main table does.
		{"aws_subnet.peer_b", f.peerRT},
	}
	for _, tt := range tests {
		if got[tt.subnet] != tt.want {
			t.Errorf("%s uses %v; want %s", tt.subnet, got[tt.subnet], tt.want.ID)
		}
	}
	// Without the explicit association, the main table.
	f.pubRT.Associations = f.pubRT.Associations[1:]
	if got := f.SubnetRouteTables()["aws_subnet.public_a"]; got != main {
		t.Errorf("unassociated public_a uses %v; want the main table", got)
	}
	// A subnet of a VPC without a main table (before Synthesize) is absent,
	// and edge associations name no subnet.
	g := sample()
	g.pubRT.Associations = append(g.pubRT.Associations, RouteTableAssociation{GatewayID: "aws_internet_gateway.main"})
	got = g.SubnetRouteTables()
	if _, ok := got["aws_subnet.public_a"]; !ok {
		t.Errorf("explicitly associated subnet missing before Synthesize")
	}
	if _, ok := got[""]; ok {
		t.Errorf("an edge association appears as a subnet")
	}
	// The peer VPC names its main table, but only Synthesize marks it Main:
	// before, peer_b has none.
	if _, ok := got["aws_subnet.peer_b"]; ok || len(got) != 5 {
		t.Errorf("before Synthesize, %d subnets have a table; want the 5 explicitly associated", len(got))
	}
}

func TestSubnetACLs(t *testing.T) {
	f := sample()
	f.privACL.Associations = append(f.privACL.Associations, ACLAssociation{}) // half-read association
	before := f.SubnetACLs()
	if len(before) != 2 || before["aws_subnet.private_a"] != f.privACL {
		t.Errorf("before Synthesize: %d subnets with an ACL; want the 2 explicit ones", len(before))
	}
	if _, ok := before[""]; ok {
		t.Errorf("an association without subnet appears under the empty ID")
	}
	f.Synthesize()
	ix := f.Index()
	got := f.SubnetACLs()
	tests := []struct {
		subnet string
		want   *NetworkACL
	}{
		// Explicitly associated subnets use their ACL...
		{"aws_subnet.private_a", f.privACL},
		{"aws_subnet.private_b", f.privACL},
		// ... the others their VPC's default ACL.
		{"aws_subnet.public_a", ix.NetworkACLs["aws_vpc.main/default-network-acl"]},
		{"aws_subnet.peer_b", ix.NetworkACLs["aws_vpc.peer/default-network-acl"]},
	}
	for _, tt := range tests {
		if got[tt.subnet] != tt.want || tt.want == nil {
			t.Errorf("%s uses %v; want %v", tt.subnet, got[tt.subnet], tt.want)
		}
	}
}

func TestCounts(t *testing.T) {
	f := sample()
	count := func(n *Network) map[string]KindCount {
		out := map[string]KindCount{}
		var kinds []string
		for _, c := range n.Counts() {
			out[c.Kind] = c
			kinds = append(kinds, c.Kind)
		}
		// The order is fixed, so summaries print the same way every time.
		want := []string{"vpc", "subnet", "route_table", "network_acl", "security_group", "network_interface", "instance",
			"internet_gateway", "egress_only_internet_gateway", "nat_gateway", "vpn_gateway", "customer_gateway",
			"vpn_connection", "transit_gateway", "transit_gateway_attachment", "transit_gateway_route_table",
			"vpc_peering_connection", "vpc_endpoint", "prefix_list", "elastic_ip", "load_balancer", "target_group",
			"autoscaling_group", "service", "route", "network_acl_rule",
			"security_group_rule"}
		if !slices.Equal(kinds, want) {
			t.Errorf("kinds = %q; want %q", kinds, want)
		}
		return out
	}
	c := count(f.Network)
	for kind, want := range map[string]KindCount{
		"vpc":                 {Kind: "vpc", Count: 2},
		"subnet":              {Kind: "subnet", Count: 6},
		"route_table":         {Kind: "route_table", Count: 3},
		"route":               {Kind: "route", Count: 7},
		"network_acl_rule":    {Kind: "network_acl_rule", Count: 6},
		"security_group_rule": {Kind: "security_group_rule", Count: 7},
		"elastic_ip":          {Kind: "elastic_ip", Count: 2},
	} {
		if c[kind] != want {
			t.Errorf("before Synthesize, %s = %+v; want %+v", kind, c[kind], want)
		}
	}
	f.Synthesize()
	c = count(f.Network)
	for kind, want := range map[string]KindCount{
		"vpc":                         {Kind: "vpc", Count: 2},
		"route_table":                 {Kind: "route_table", Count: 4, Synthetic: 1},
		"network_acl":                 {Kind: "network_acl", Count: 3, Synthetic: 2},
		"security_group":              {Kind: "security_group", Count: 5, Synthetic: 2},
		"network_interface":           {Kind: "network_interface", Count: 4, Synthetic: 1},
		"prefix_list":                 {Kind: "prefix_list", Count: 2, Synthetic: 1},
		"transit_gateway_route_table": {Kind: "transit_gateway_route_table", Count: 1, Synthetic: 1},
		// 7 declared; local routes: 2 in each of 3 main-VPC tables, 1 in
		// the peer table; 1 endpoint route; 2 propagated.
		"route": {Kind: "route", Count: 7 + 6 + 1 + 1 + 2, Synthetic: 10},
		// 6 declared; 4 star rules in each of 3 ACLs; 4 + 2 default rules.
		"network_acl_rule": {Kind: "network_acl_rule", Count: 6 + 12 + 6, Synthetic: 18},
		// 7 declared; 3 + 2 in the default groups.
		"security_group_rule": {Kind: "security_group_rule", Count: 7 + 5, Synthetic: 5},
	} {
		if c[kind] != want {
			t.Errorf("after Synthesize, %s = %+v; want %+v", kind, c[kind], want)
		}
	}
}

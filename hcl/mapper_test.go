package hcl

import (
	"net/netip"
	"slices"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// mapCase is one hand-written state and what the mapper must make of it.
type mapCase struct {
	name  string
	rs    []res
	opts  []Option
	check func(t *testing.T, n *model.Network)
	// diags are the expected diagnostics; any other error or warning
	// fails the case.
	diags []diagWant
}

func runMapCases(t *testing.T, cases []mapCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data, pos := stateJSON(tc.rs...)
			in, _ := LoadBytes("test.tfstate", data, tc.opts...)
			if in.Network == nil {
				t.Fatalf("no network: %v", in.Diagnostics)
			}
			checkDiags(t, in, pos, tc.diags)
			if tc.check != nil {
				tc.check(t, in.Network)
			}
		})
	}
}

func TestMapVPCs(t *testing.T) {
	runMapCases(t, []mapCase{{
		// Secondary blocks come from their association resources; the
		// region and account from the ARN.
		name: "vpc with secondary blocks",
		rs: []res{
			r("aws_vpc", "a", vpcA),
			r("aws_vpc_ipv4_cidr_block_association", "b", `{"id": "vpc-cidr-assoc-1", "vpc_id": "vpc-a", "cidr_block": "10.1.0.0/16"}`),
			r("aws_vpc_ipv6_cidr_block_association", "c", `{"id": "vpc-cidr-assoc-2", "vpc_id": "vpc-a", "ipv6_cidr_block": "2600:1f18:1:2300::/56"}`),
		},
		check: func(t *testing.T, n *model.Network) {
			v := findVPC(n, "vpc-a")
			if !slices.Equal(v.CIDRs, []netipPrefix{pfx("10.0.0.0/16"), pfx("10.1.0.0/16")}) || !slices.Equal(v.IPv6CIDRs, []netipPrefix{pfx("2600:1f18:1:2300::/56")}) {
				t.Errorf("blocks %v %v", v.CIDRs, v.IPv6CIDRs)
			}
			if v.Region != "us-east-1" || v.AccountID != "123456789012" || n.Region != "us-east-1" || n.AccountID != "123456789012" {
				t.Errorf("region/account %q %q %q %q", v.Region, v.AccountID, n.Region, n.AccountID)
			}
			if v.Name != "a" || v.Address != "aws_vpc.a" || v.Pos.Line != 3 {
				t.Errorf("meta %+v", v.Meta)
			}
		},
	}, {
		name: "default vpc and subnet",
		rs: []res{
			r("aws_default_vpc", "d", `{"id": "vpc-d", "cidr_block": "172.31.0.0/16", "main_route_table_id": "rtb-d", "default_network_acl_id": "acl-d", "default_security_group_id": "sg-d"}`),
			r("aws_default_subnet", "d", `{"id": "subnet-d", "vpc_id": "vpc-d", "cidr_block": "172.31.0.0/20", "availability_zone": "eu-west-1a", "map_public_ip_on_launch": true}`),
		},
		check: func(t *testing.T, n *model.Network) {
			s := findSubnet(n, "subnet-d")
			if s == nil || s.VPCID != "vpc-d" || !s.MapPublicIPOnLaunch || s.CIDR != pfx("172.31.0.0/20") {
				t.Errorf("default subnet %+v", s)
			}
			if n.Region != "eu-west-1" || findVPC(n, "vpc-d").Region != "eu-west-1" {
				t.Errorf("region from the zone: %q", n.Region)
			}
		},
	}, {
		name:  "association to a missing vpc",
		rs:    []res{r("aws_vpc_ipv4_cidr_block_association", "b", `{"id": "x", "vpc_id": "vpc-gone", "cidr_block": "10.1.0.0/16"}`)},
		diags: []diagWant{{model.SeverityWarning, "vpc_id vpc-gone names a VPC that is not in the input: it is kept as an element outside the input", 0, "aws_vpc_ipv4_cidr_block_association.b"}},
		check: func(t *testing.T, n *model.Network) {
			if v := n.Index().VPCs["vpc-gone"]; v == nil || !v.IsOutside() || len(v.CIDRs) != 1 || v.Pos.Line != 3 {
				t.Errorf("VPC of another stack %+v", v)
			}
		},
	}, {
		name: "subnet outside its vpc",
		rs: []res{
			r("aws_vpc", "a", vpcA),
			r("aws_subnet", "s", `{"id": "subnet-s", "vpc_id": "vpc-a", "cidr_block": "192.168.0.0/24"}`),
		},
		diags: []diagWant{{model.SeverityError, "CIDR block 192.168.0.0/24 is outside the CIDR blocks of aws_vpc.a", 1, ""}},
	}, {
		name: "ipv4 where ipv6 belongs",
		rs: []res{
			r("aws_vpc", "a", `{"id": "vpc-a", "cidr_block": "10.0.0.0/16", "ipv6_cidr_block": "10.9.0.0/16"}`),
		},
		diags: []diagWant{{model.SeverityError, `ipv6_cidr_block "10.9.0.0/16" is not an IPv6 CIDR block`, 0, "aws_vpc.a"}},
	}})
}

func TestMapRoutes(t *testing.T) {
	base := []res{
		r("aws_vpc", "a", `{"id": "vpc-a", "cidr_block": "10.0.0.0/16", "ipv6_cidr_block": "2600:1f18::/56", "main_route_table_id": "rtb-main", "default_security_group_id": "sg-def"}`),
		r("aws_subnet", "a", subnetA),
		r("aws_internet_gateway", "igw", `{"id": "igw-1", "vpc_id": "vpc-a"}`),
		r("aws_egress_only_internet_gateway", "eigw", `{"id": "eigw-1", "vpc_id": "vpc-a"}`),
		r("aws_vpn_gateway", "vgw", `{"id": "vgw-1", "vpc_id": "vpc-a"}`),
		r("aws_nat_gateway", "nat", `{"id": "nat-1", "subnet_id": "subnet-a", "connectivity_type": "private", "private_ip": "10.0.1.10"}`),
		r("aws_vpc_endpoint", "s3", `{"id": "vpce-s3", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.s3", "vpc_endpoint_type": "Gateway", "prefix_list_id": "pl-s3", "cidr_blocks": ["52.216.0.0/15"], "route_table_ids": []}`),
		r("aws_vpc_endpoint", "gwlb", `{"id": "vpce-gwlb", "vpc_id": "vpc-a", "service_name": "com.amazonaws.vpce.x", "vpc_endpoint_type": "GatewayLoadBalancer", "subnet_ids": ["subnet-a"]}`),
		r("aws_ec2_transit_gateway", "tgw", `{"id": "tgw-1", "default_route_table_association": "disable", "default_route_table_propagation": "disable"}`),
		r("aws_vpc_peering_connection", "p", `{"id": "pcx-1", "vpc_id": "vpc-a", "peer_vpc_id": "vpc-elsewhere", "accept_status": "active"}`),
		r("aws_network_interface", "app", `{"id": "eni-app", "subnet_id": "subnet-a", "private_ip": "10.0.1.20", "private_ips": ["10.0.1.20"], "security_groups": ["sg-def"], "source_dest_check": false}`),
	}
	route := func(cidr, attr, id string) string {
		return `{"cidr_block": "` + cidr + `", "ipv6_cidr_block": "", "destination_prefix_list_id": "", "gateway_id": "", "` + attr + `": "` + id + `"}`
	}
	rt := r("aws_route_table", "all", `{"id": "rtb-all", "vpc_id": "vpc-a", "propagating_vgws": [], "route": [`+
		route("0.0.0.0/0", "gateway_id", "igw-1")+`, `+
		route("192.168.0.0/16", "gateway_id", "vgw-1")+`, `+
		`{"cidr_block": "", "destination_prefix_list_id": "pl-s3", "gateway_id": "vpce-s3"}, `+
		route("10.50.0.0/16", "nat_gateway_id", "nat-1")+`, `+
		route("10.60.0.0/16", "transit_gateway_id", "tgw-1")+`, `+
		route("10.70.0.0/16", "vpc_peering_connection_id", "pcx-1")+`, `+
		`{"cidr_block": "", "ipv6_cidr_block": "::/0", "egress_only_gateway_id": "eigw-1"}, `+
		route("10.80.0.0/16", "network_interface_id", "eni-app")+`, `+
		route("10.90.0.0/16", "vpc_endpoint_id", "vpce-gwlb")+`, `+
		route("10.100.0.0/16", "carrier_gateway_id", "cagw-1")+`, `+
		route("10.110.0.0/16", "local_gateway_id", "lgw-1")+`, `+
		route("10.120.0.0/16", "core_network_arn", "arn:aws:networkmanager::123456789012:core-network/core-network-1")+
		`]}`)
	kinds := map[string]model.TargetKind{
		"0.0.0.0/0": model.TargetInternetGateway, "192.168.0.0/16": model.TargetVPNGateway, "pl-s3": model.TargetGatewayEndpoint,
		"10.50.0.0/16": model.TargetNATGateway, "10.60.0.0/16": model.TargetTransitGateway, "10.70.0.0/16": model.TargetPeering,
		"::/0": model.TargetEgressOnlyGateway, "10.80.0.0/16": model.TargetNetworkInterface, "10.90.0.0/16": model.TargetEndpoint,
		"10.100.0.0/16": model.TargetCarrierGateway, "10.110.0.0/16": model.TargetLocalGateway, "10.120.0.0/16": model.TargetCoreNetwork,
		"10.0.0.0/16": model.TargetLocal, "2600:1f18::/56": model.TargetLocal,
	}
	runMapCases(t, []mapCase{{
		name:  "inline routes of every target kind",
		rs:    append(slices.Clone(base), rt),
		diags: []diagWant{{model.SeverityWarning, "peer VPC vpc-elsewhere is not in the network", -1, ""}},
		check: func(t *testing.T, n *model.Network) {
			tab := findRT(n, "rtb-all")
			for _, r := range tab.Routes {
				dest := r.Destination.String()
				if r.DestinationPrefixListID != "" {
					dest = r.DestinationPrefixListID
				}
				if kinds[dest] != r.Target.Kind {
					t.Errorf("route to %s: kind %s, want %s", dest, r.Target.Kind, kinds[dest])
				}
				delete(kinds, dest)
				if r.Synthetic == "" && (r.Address != "aws_route_table.all" || r.Pos.Line != 3+len(base)) {
					t.Errorf("route to %s: meta %+v", dest, r.Meta)
				}
			}
			if len(kinds) != 0 {
				t.Errorf("routes missing: %v", kinds)
			}
		},
	}, {
		// The state of aws_route_table lists standalone routes too: the
		// aws_route resource keeps the route, once.
		name: "standalone route replaces its inline copy",
		rs: append(slices.Clone(base[:3]),
			r("aws_route_table", "t", `{"id": "rtb-t", "vpc_id": "vpc-a", "route": [`+route("0.0.0.0/0", "gateway_id", "igw-1")+`]}`),
			r("aws_route", "default", `{"id": "r-rtb-t1080289494", "route_table_id": "rtb-t", "destination_cidr_block": "0.0.0.0/0", "gateway_id": "igw-1", "state": "blackhole"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			tab := findRT(n, "rtb-t")
			var got []model.Route
			for _, r := range tab.Routes {
				if r.Destination == pfx("0.0.0.0/0") {
					got = append(got, r)
				}
			}
			if len(got) != 1 || got[0].Address != "aws_route.default" || !got[0].Blackhole || got[0].ID != "r-rtb-t1080289494" || got[0].Pos.Line != 7 {
				t.Errorf("default routes %+v", got)
			}
		},
	}, {
		// The provider stores a route to an instance with both
		// instance_id and the instance's interface.
		name: "route to an instance",
		rs: append(slices.Clone(base[:2]),
			r("aws_instance", "nat", `{"id": "i-nat", "subnet_id": "subnet-a", "private_ip": "10.0.1.30", "primary_network_interface_id": "eni-nat", "vpc_security_group_ids": ["sg-def"], "source_dest_check": false}`),
			r("aws_route_table", "t", `{"id": "rtb-t", "vpc_id": "vpc-a", "route": []}`),
			r("aws_route", "viainstance", `{"id": "r-1", "route_table_id": "rtb-t", "destination_cidr_block": "0.0.0.0/0", "instance_id": "i-nat", "network_interface_id": "eni-nat"}`),
			r("aws_route", "onlyinstance", `{"id": "r-2", "route_table_id": "rtb-t", "destination_cidr_block": "10.9.0.0/16", "instance_id": "i-nat"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			tab := findRT(n, "rtb-t")
			if r := routeTo(tab, "0.0.0.0/0"); r.Target != (model.RouteTarget{Kind: model.TargetNetworkInterface, ID: "eni-nat"}) {
				t.Errorf("route %+v", r.Target)
			}
			if r := routeTo(tab, "10.9.0.0/16"); r.Target != (model.RouteTarget{Kind: model.TargetInstance, ID: "i-nat"}) {
				t.Errorf("route %+v", r.Target)
			}
		},
	}, {
		name: "bad routes",
		rs: append(slices.Clone(base[:3]),
			r("aws_route_table", "t", `{"id": "rtb-t", "vpc_id": "vpc-a", "route": [{"cidr_block": "10.1.0.0/16", "destination_prefix_list_id": "pl-1", "gateway_id": "igw-1"}, {"cidr_block": "10.2.0.0/16"}]}`),
			r("aws_route", "two", `{"route_table_id": "rtb-t", "destination_cidr_block": "10.3.0.0/16", "gateway_id": "igw-1", "nat_gateway_id": "nat-1"}`),
			r("aws_route", "odd", `{"route_table_id": "rtb-t", "destination_cidr_block": "10.4.0.0/16", "gateway_id": "gw-what"}`),
			r("aws_route", "nodest", `{"route_table_id": "rtb-t", "gateway_id": "igw-1"}`),
			r("aws_route", "badcidr", `{"route_table_id": "rtb-t", "destination_cidr_block": "10.5.0.0/99", "gateway_id": "igw-1"}`),
		),
		diags: []diagWant{
			{model.SeverityError, "route has several destinations (cidr_block, destination_prefix_list_id)", 3, "aws_route_table.t"},
			{model.SeverityError, "route to 10.2.0.0/16 names no target", 3, "aws_route_table.t"},
			{model.SeverityError, "route to 10.3.0.0/16 has several targets (gateway_id, nat_gateway_id)", 4, "aws_route.two"},
			{model.SeverityError, "gateway_id gw-what is neither an internet gateway", 5, "aws_route.odd"},
			{model.SeverityError, "route has no destination", 6, "aws_route.nodest"},
			{model.SeverityError, `destination_cidr_block "10.5.0.0/99" is not a valid CIDR block`, 7, "aws_route.badcidr"},
		},
	}, {
		name: "associations and the main table",
		rs: append(slices.Clone(base[:3]),
			r("aws_subnet", "b", subnetB),
			r("aws_route_table", "t", `{"id": "rtb-t", "vpc_id": "vpc-a", "route": []}`),
			r("aws_route_table", "edge", `{"id": "rtb-edge", "vpc_id": "vpc-a", "route": []}`),
			r("aws_route_table_association", "a", `{"id": "rtbassoc-1", "route_table_id": "rtb-t", "subnet_id": "subnet-a", "gateway_id": ""}`),
			r("aws_route_table_association", "edge", `{"id": "rtbassoc-2", "route_table_id": "rtb-edge", "subnet_id": "", "gateway_id": "igw-1"}`),
			r("aws_main_route_table_association", "m", `{"id": "rtbassoc-3", "vpc_id": "vpc-a", "route_table_id": "rtb-t", "original_route_table_id": "rtb-main"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			tab := findRT(n, "rtb-t")
			if !tab.Main || findVPC(n, "vpc-a").MainRouteTableID != "rtb-t" {
				t.Errorf("main table: %v, VPC says %q", tab.Main, findVPC(n, "vpc-a").MainRouteTableID)
			}
			// The table AWS created with the VPC stays (the association's
			// original_route_table_id), no longer the main one.
			if orig := findRT(n, "rtb-main"); orig == nil || orig.Main || orig.Synthetic == "" {
				t.Errorf("original main table %+v", orig)
			}
			if len(tab.Associations) != 1 || tab.Associations[0].SubnetID != "subnet-a" || tab.Associations[0].ID != "rtbassoc-1" {
				t.Errorf("associations %+v", tab.Associations)
			}
			if e := findRT(n, "rtb-edge"); len(e.Associations) != 1 || e.Associations[0].GatewayID != "igw-1" {
				t.Errorf("edge association %+v", e.Associations)
			}
			// subnet-b has no association: it uses the main table.
			if got := n.SubnetRouteTables()["subnet-b"]; got != tab {
				t.Errorf("subnet-b uses %v", got)
			}
		},
	}, {
		// aws_default_route_table is the VPC's main table: no other is
		// synthesised.
		name: "default route table",
		rs: append(slices.Clone(base[:3]),
			r("aws_default_route_table", "d", `{"id": "rtb-main", "default_route_table_id": "rtb-main", "vpc_id": "vpc-a", "route": [`+route("0.0.0.0/0", "gateway_id", "igw-1")+`], "propagating_vgws": []}`),
		),
		check: func(t *testing.T, n *model.Network) {
			if len(n.RouteTables) != 1 || !n.RouteTables[0].Main || n.RouteTables[0].Address != "aws_default_route_table.d" {
				t.Errorf("route tables %+v", n.RouteTables)
			}
		},
	}, {
		name: "route propagation from a vpn gateway",
		rs: append(slices.Clone(base[:5]),
			r("aws_customer_gateway", "cgw", `{"id": "cgw-1", "bgp_asn": "65000", "ip_address": "203.0.113.10", "type": "ipsec.1"}`),
			r("aws_vpn_connection", "vpn", `{"id": "vpn-1", "vpn_gateway_id": "vgw-1", "customer_gateway_id": "cgw-1", "transit_gateway_id": "", "static_routes_only": true, "routes": [{"destination_cidr_block": "192.168.0.0/16", "source": "Static", "state": "available"}], "remote_ipv4_network_cidr": "0.0.0.0/0"}`),
			r("aws_vpn_connection_route", "r2", `{"id": "172.16.0.0/12:vpn-1", "vpn_connection_id": "vpn-1", "destination_cidr_block": "172.16.0.0/12"}`),
			r("aws_route_table", "t", `{"id": "rtb-t", "vpc_id": "vpc-a", "route": [], "propagating_vgws": ["vgw-1"]}`),
			r("aws_route_table", "u", `{"id": "rtb-u", "vpc_id": "vpc-a", "route": [], "propagating_vgws": []}`),
			r("aws_vpn_gateway_route_propagation", "u", `{"id": "rtb-u_vgw-1", "vpn_gateway_id": "vgw-1", "route_table_id": "rtb-u"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			for _, id := range []string{"rtb-t", "rtb-u"} {
				tab := findRT(n, id)
				for _, dest := range []string{"192.168.0.0/16", "172.16.0.0/12"} {
					r := routeTo(tab, dest)
					if r == nil || r.Origin != model.OriginPropagated || r.Target.ID != "vgw-1" {
						t.Errorf("%s: propagated route to %s: %+v", id, dest, r)
					}
				}
			}
			c := n.CustomerGateways[0]
			if c.ASN != 65000 || c.IP != ip("203.0.113.10") {
				t.Errorf("customer gateway %+v", c)
			}
		},
	}})
}

// netipPrefix lets the tables above spell slices of prefixes briefly.
type netipPrefix = netip.Prefix

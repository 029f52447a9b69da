package hcl

import (
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

func TestMapInterfaces(t *testing.T) {
	base := []res{
		r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA), r("aws_subnet", "b", subnetB),
		r("aws_security_group", "app", `{"id": "sg-app", "vpc_id": "vpc-a", "name": "app", "ingress": [], "egress": []}`),
	}
	runMapCases(t, []mapCase{{
		// The primary interface comes from the instance's own attributes.
		name: "instance",
		rs:   append(slices.Clone(base), r("aws_instance", "web", `{"id": "i-web", "subnet_id": "subnet-a", "private_ip": "10.0.1.10", "secondary_private_ips": ["10.0.1.11"], "ipv6_addresses": [], "public_ip": "54.1.2.3", "associate_public_ip_address": true, "vpc_security_group_ids": ["sg-app"], "security_groups": [], "source_dest_check": false, "primary_network_interface_id": "eni-web", "network_interface": [], "tags": {"Name": "web"}}`)),
		check: func(t *testing.T, n *model.Network) {
			in := findInstance(n, "i-web")
			if in == nil || in.Name != "web" || !slices.Equal(in.InterfaceIDs, []string{"eni-web"}) {
				t.Fatalf("instance %+v", in)
			}
			e := findENI(n, "eni-web")
			if e.SubnetID != "subnet-a" || !slices.Equal(e.PrivateIPs, []netipAddr{ip("10.0.1.10"), ip("10.0.1.11")}) || e.SourceDestCheck ||
				!slices.Equal(e.SecurityGroupIDs, []string{"sg-app"}) || e.OwnerKind != model.OwnerInstance || e.OwnerID != "i-web" || e.Pos.Line != 7 {
				t.Errorf("interface %+v", e)
			}
			if len(e.PublicIPs) != 1 || e.PublicIPs[0] != (model.PublicIP{Public: ip("54.1.2.3"), Private: ip("10.0.1.10")}) {
				t.Errorf("public %+v", e.PublicIPs)
			}
		},
	}, {
		// Extra interfaces attach by device index; groups by name resolve
		// in the subnet's VPC; an instance that names no group gets the
		// VPC's default.
		name: "interfaces and attachments",
		rs: append(slices.Clone(base),
			r("aws_network_interface", "a", `{"id": "eni-a", "subnet_id": "subnet-a", "private_ip": "10.0.1.50", "private_ips": ["10.0.1.50", "10.0.1.51"], "ipv6_addresses": [], "security_groups": ["sg-app"], "source_dest_check": true, "attachment": []}`),
			r("aws_network_interface", "b", `{"id": "eni-b", "subnet_id": "subnet-b", "private_ip": "10.0.2.50", "security_groups": [], "attachment": [{"instance": "i-1", "device_index": 2, "attachment_id": "eni-attach-1"}]}`),
			r("aws_network_interface", "p", `{"id": "eni-p", "subnet_id": "subnet-a", "private_ip": "10.0.1.60", "security_groups": ["sg-app"]}`),
			r("aws_instance", "one", `{"id": "i-1", "subnet_id": "subnet-a", "private_ip": "10.0.1.60", "primary_network_interface_id": "eni-p", "vpc_security_group_ids": [], "network_interface": [{"device_index": 0, "network_interface_id": "eni-p", "delete_on_termination": false}]}`),
			r("aws_network_interface_attachment", "a", `{"id": "eni-attach-2", "instance_id": "i-1", "network_interface_id": "eni-a", "device_index": 1}`),
			r("aws_network_interface_sg_attachment", "x", `{"id": "sg-x_eni-b", "security_group_id": "sg-app", "network_interface_id": "eni-b"}`),
			r("aws_instance", "named", `{"id": "i-2", "subnet_id": "subnet-b", "private_ip": "10.0.2.10", "primary_network_interface_id": "eni-n", "vpc_security_group_ids": [], "security_groups": ["app"], "public_ip": "", "associate_public_ip_address": false}`),
			r("aws_instance", "nogroup", `{"id": "i-3", "subnet_id": "subnet-b", "private_ip": "10.0.2.11", "primary_network_interface_id": "eni-g", "vpc_security_group_ids": [], "security_groups": [], "public_ip": ""}`),
		),
		check: func(t *testing.T, n *model.Network) {
			in := findInstance(n, "i-1")
			if !slices.Equal(in.InterfaceIDs, []string{"eni-p", "eni-a", "eni-b"}) {
				t.Errorf("interfaces %v, want by device index", in.InterfaceIDs)
			}
			for _, id := range in.InterfaceIDs {
				if e := findENI(n, id); e.OwnerKind != model.OwnerInstance || e.OwnerID != "i-1" {
					t.Errorf("%s owner %s %s", id, e.OwnerKind, e.OwnerID)
				}
			}
			if e := findENI(n, "eni-a"); !slices.Equal(e.PrivateIPs, []netipAddr{ip("10.0.1.50"), ip("10.0.1.51")}) {
				t.Errorf("eni-a addresses %v", e.PrivateIPs)
			}
			if e := findENI(n, "eni-b"); !slices.Equal(e.SecurityGroupIDs, []string{"sg-app"}) {
				t.Errorf("eni-b groups %v", e.SecurityGroupIDs)
			}
			if e := findENI(n, "eni-n"); !slices.Equal(e.SecurityGroupIDs, []string{"sg-app"}) || len(e.PublicIPs) != 0 {
				t.Errorf("group by name: %+v", e)
			}
			if e := findENI(n, "eni-g"); !slices.Equal(e.SecurityGroupIDs, []string{"sg-def"}) {
				t.Errorf("default group: %v", e.SecurityGroupIDs)
			}
			if len(n.Interfaces) != 5 {
				t.Errorf("%d interfaces, want 5", len(n.Interfaces))
			}
		},
	}, {
		// An Elastic IP maps to its instance's primary address, replacing
		// the instance's auto-assigned address.
		name: "elastic ips",
		rs: append(slices.Clone(base),
			r("aws_instance", "web", `{"id": "i-web", "subnet_id": "subnet-b", "private_ip": "10.0.2.10", "public_ip": "3.3.3.3", "associate_public_ip_address": true, "primary_network_interface_id": "eni-web", "vpc_security_group_ids": ["sg-app"]}`),
			r("aws_eip", "web", `{"id": "eipalloc-1", "allocation_id": "eipalloc-1", "public_ip": "3.3.3.3", "instance": "i-web", "network_interface": "eni-web", "private_ip": "10.0.2.10", "domain": "vpc"}`),
			r("aws_eip", "spare", `{"id": "eipalloc-2", "allocation_id": "eipalloc-2", "public_ip": "4.4.4.4", "instance": "", "network_interface": "", "private_ip": ""}`),
			r("aws_instance", "db", `{"id": "i-db", "subnet_id": "subnet-a", "private_ip": "10.0.1.10", "public_ip": "", "primary_network_interface_id": "eni-db", "vpc_security_group_ids": ["sg-app"]}`),
			r("aws_eip_association", "db", `{"id": "eipassoc-1", "allocation_id": "eipalloc-2", "instance_id": "i-db", "public_ip": "4.4.4.4"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			web := findENI(n, "eni-web")
			if len(web.PublicIPs) != 1 || web.PublicIPs[0].ElasticIPID != "eipalloc-1" || web.PublicIPs[0].Public != ip("3.3.3.3") {
				t.Errorf("web public %+v", web.PublicIPs)
			}
			db := findENI(n, "eni-db")
			if len(db.PublicIPs) != 1 || db.PublicIPs[0].Public != ip("4.4.4.4") || db.PublicIPs[0].Private != ip("10.0.1.10") || db.PublicIPs[0].ElasticIPID != "eipalloc-2" || db.PublicIPs[0].Synthetic == "" {
				t.Errorf("db public %+v", db.PublicIPs)
			}
		},
	}, {
		name: "nat gateways",
		rs: append(slices.Clone(base),
			r("aws_eip", "nat", `{"id": "eipalloc-n", "allocation_id": "eipalloc-n", "public_ip": "5.5.5.5", "network_interface": "", "instance": ""}`),
			r("aws_nat_gateway", "pub", `{"id": "nat-pub", "subnet_id": "subnet-b", "allocation_id": "eipalloc-n", "connectivity_type": "public", "private_ip": "10.0.2.100", "public_ip": "5.5.5.5", "network_interface_id": "eni-nat"}`),
			r("aws_nat_gateway", "priv", `{"id": "nat-priv", "subnet_id": "subnet-a", "connectivity_type": "private", "private_ip": "10.0.1.100", "public_ip": "", "allocation_id": ""}`),
		),
		check: func(t *testing.T, n *model.Network) {
			pub, priv := n.NATGateways[0], n.NATGateways[1]
			if pub.Private || pub.PublicIP != ip("5.5.5.5") || pub.InterfaceID != "eni-nat" {
				t.Errorf("public NAT %+v", pub)
			}
			if !priv.Private || priv.PublicIP.IsValid() || priv.Placeholder {
				t.Errorf("private NAT %+v", priv)
			}
			e := findENI(n, "eni-nat")
			if e == nil || e.OwnerKind != model.OwnerNATGateway || len(e.SecurityGroupIDs) != 0 || e.PrimaryIP() != ip("10.0.2.100") {
				t.Errorf("NAT interface %+v", e)
			}
		},
	}, {
		name: "bad interfaces",
		rs: append(slices.Clone(base),
			r("aws_network_interface", "x", `{"id": "eni-x", "subnet_id": "subnet-a", "private_ip": "10.0.1.999", "security_groups": ["sg-app"]}`),
			r("aws_network_interface", "y", `{"id": "eni-y", "subnet_id": "subnet-a", "private_ip": "10.0.9.9", "security_groups": ["sg-app"]}`),
			r("aws_network_interface_attachment", "z", `{"instance_id": "i-1", "network_interface_id": "eni-nowhere", "device_index": 1}`),
		),
		diags: []diagWant{
			{model.SeverityError, `private_ip "10.0.1.999" is not a valid IP address`, 4, "aws_network_interface.x"},
			{model.SeverityError, "network interface has no address", 4, ""},
			{model.SeverityError, "address 10.0.9.9 is outside subnet aws_subnet.a", 5, ""},
			{model.SeverityError, "network interface eni-nowhere is not in the input", 6, ""},
		},
	}})
}

// netipAddr lets the tables spell slices of addresses briefly.
type netipAddr = netip.Addr

func TestMapGateways(t *testing.T) {
	base := []res{r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA), r("aws_subnet", "b", subnetB)}
	runMapCases(t, []mapCase{{
		name: "attachments",
		rs: append(slices.Clone(base),
			r("aws_internet_gateway", "igw", `{"id": "igw-1", "vpc_id": ""}`),
			r("aws_internet_gateway_attachment", "igw", `{"id": "igw-1:vpc-a", "internet_gateway_id": "igw-1", "vpc_id": "vpc-a"}`),
			r("aws_vpn_gateway", "vgw", `{"id": "vgw-1", "vpc_id": "", "amazon_side_asn": "64512"}`),
			r("aws_vpn_gateway_attachment", "vgw", `{"id": "vpn-attachment-1", "vpn_gateway_id": "vgw-1", "vpc_id": "vpc-a"}`),
			r("aws_egress_only_internet_gateway", "e", `{"id": "eigw-1", "vpc_id": "vpc-a"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			if n.InternetGateways[0].VPCID != "vpc-a" || n.VPNGateways[0].VPCID != "vpc-a" || n.EgressOnlyGateways[0].VPCID != "vpc-a" {
				t.Errorf("gateways %+v %+v %+v", n.InternetGateways[0], n.VPNGateways[0], n.EgressOnlyGateways[0])
			}
		},
	}, {
		// A VPN connection to a transit gateway creates an attachment the
		// input does not declare.
		name: "vpn to a transit gateway",
		rs: append(slices.Clone(base),
			r("aws_ec2_transit_gateway", "hub", `{"id": "tgw-1", "arn": "arn:aws:ec2:us-east-1:123456789012:transit-gateway/tgw-1", "owner_id": "123456789012", "default_route_table_association": "enable", "default_route_table_propagation": "enable", "association_default_route_table_id": "tgw-rtb-def", "propagation_default_route_table_id": "tgw-rtb-def"}`),
			r("aws_customer_gateway", "dc", `{"id": "cgw-1", "bgp_asn": "65010", "ip_address": "198.51.100.7"}`),
			r("aws_vpn_connection", "dc", `{"id": "vpn-1", "transit_gateway_id": "tgw-1", "vpn_gateway_id": "", "customer_gateway_id": "cgw-1", "static_routes_only": false, "transit_gateway_attachment_id": "tgw-attach-vpn", "routes": [], "remote_ipv4_network_cidr": "192.168.0.0/16"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			a := findTGWAtt(n, "tgw-attach-vpn")
			if a == nil || a.Kind != model.TGWAttachVPN || a.VPNConnectionID != "vpn-1" || a.Synthetic == "" || a.TransitGatewayID != "tgw-1" {
				t.Fatalf("attachment %+v", a)
			}
			if c := n.VPNConnections[0]; len(c.OnPremCIDRs) != 1 || c.OnPremCIDRs[0] != pfx("192.168.0.0/16") {
				t.Errorf("on-premises blocks %v", c.OnPremCIDRs)
			}
			def := findTGWRT(n, "tgw-rtb-def")
			if def == nil || len(def.Associations) != 1 || len(def.Propagations) != 1 {
				t.Errorf("default table %+v", def)
			}
			if tgw := n.TransitGateways[0]; tgw.Region != "us-east-1" || tgw.AccountID != "123456789012" {
				t.Errorf("transit gateway %+v", tgw)
			}
		},
	}, {
		name: "transit gateway route tables",
		rs: append(slices.Clone(base),
			r("aws_ec2_transit_gateway", "hub", `{"id": "tgw-1", "default_route_table_association": "disable", "default_route_table_propagation": "disable", "association_default_route_table_id": "", "propagation_default_route_table_id": ""}`),
			r("aws_ec2_transit_gateway_vpc_attachment", "a", `{"id": "tgw-attach-a", "transit_gateway_id": "tgw-1", "vpc_id": "vpc-a", "subnet_ids": ["subnet-a", "subnet-b"], "appliance_mode_support": "enable", "transit_gateway_default_route_table_association": false, "transit_gateway_default_route_table_propagation": false}`),
			r("aws_ec2_transit_gateway_route_table", "spokes", `{"id": "tgw-rtb-s", "transit_gateway_id": "tgw-1", "default_association_route_table": false}`),
			r("aws_ec2_transit_gateway_route_table_association", "a", `{"id": "tgw-rtb-s_tgw-attach-a", "transit_gateway_attachment_id": "tgw-attach-a", "transit_gateway_route_table_id": "tgw-rtb-s"}`),
			r("aws_ec2_transit_gateway_route_table_propagation", "a", `{"id": "tgw-rtb-s_tgw-attach-a", "transit_gateway_attachment_id": "tgw-attach-a", "transit_gateway_route_table_id": "tgw-rtb-s"}`),
			r("aws_ec2_transit_gateway_route", "default", `{"id": "tgw-rtb-s_0.0.0.0/0", "destination_cidr_block": "0.0.0.0/0", "transit_gateway_attachment_id": "tgw-attach-a", "transit_gateway_route_table_id": "tgw-rtb-s", "blackhole": false}`),
			r("aws_ec2_transit_gateway_route", "drop", `{"id": "tgw-rtb-s_10.99.0.0/16", "destination_cidr_block": "10.99.0.0/16", "transit_gateway_attachment_id": "", "transit_gateway_route_table_id": "tgw-rtb-s", "blackhole": true}`),
			r("aws_ec2_transit_gateway_peering_attachment", "west", `{"id": "tgw-attach-p", "transit_gateway_id": "tgw-1", "peer_transit_gateway_id": "tgw-west", "peer_region": "us-west-2"}`),
			r("aws_ec2_transit_gateway_peering_attachment_accepter", "west", `{"id": "tgw-attach-p", "transit_gateway_attachment_id": "tgw-attach-p", "transit_gateway_id": "tgw-west", "peer_transit_gateway_id": "tgw-1"}`),
			r("aws_ec2_transit_gateway_vpc_attachment_accepter", "a", `{"id": "tgw-attach-a", "transit_gateway_attachment_id": "tgw-attach-a", "transit_gateway_default_route_table_association": false, "transit_gateway_default_route_table_propagation": false}`),
		),
		diags: []diagWant{{model.SeverityWarning, "peer transit gateway tgw-west is not in the network", -1, ""}},
		check: func(t *testing.T, n *model.Network) {
			rt := findTGWRT(n, "tgw-rtb-s")
			if len(rt.Associations) != 1 || len(rt.Propagations) != 1 || len(rt.Routes) != 2 || !rt.Routes[1].Blackhole || rt.Routes[0].AttachmentID != "tgw-attach-a" {
				t.Errorf("route table %+v", rt)
			}
			a := findTGWAtt(n, "tgw-attach-a")
			if !a.ApplianceMode || a.DefaultAssociation || !slices.Equal(a.SubnetIDs, []string{"subnet-a", "subnet-b"}) {
				t.Errorf("VPC attachment %+v", a)
			}
			if p := findTGWAtt(n, "tgw-attach-p"); p.Kind != model.TGWAttachPeering || p.PeerTransitGatewayID != "tgw-west" {
				t.Errorf("peering attachment %+v", p)
			}
			if len(n.TGWAttachments) != 2 || len(n.TGWRouteTables) != 1 {
				t.Errorf("%d attachments, %d tables", len(n.TGWAttachments), len(n.TGWRouteTables))
			}
		},
	}, {
		name: "peering",
		rs: append(slices.Clone(base),
			r("aws_vpc", "b", `{"id": "vpc-b", "cidr_block": "10.1.0.0/16"}`),
			r("aws_vpc", "c", `{"id": "vpc-c", "cidr_block": "10.2.0.0/16"}`),
			r("aws_vpc_peering_connection", "ab", `{"id": "pcx-ab", "vpc_id": "vpc-a", "peer_vpc_id": "vpc-b", "accept_status": "active", "peer_region": "us-east-1"}`),
			r("aws_vpc_peering_connection", "ac", `{"id": "pcx-ac", "vpc_id": "vpc-a", "peer_vpc_id": "vpc-c", "accept_status": "pending-acceptance", "peer_region": "us-west-2"}`),
			r("aws_vpc_peering_connection_accepter", "xb", `{"id": "pcx-xb", "vpc_peering_connection_id": "pcx-xb", "vpc_id": "vpc-b", "peer_vpc_id": "vpc-far", "accept_status": "active", "auto_accept": true}`),
		),
		diags: []diagWant{{model.SeverityWarning, "peer VPC vpc-far is not in the network", 7, ""}},
		check: func(t *testing.T, n *model.Network) {
			ab, ac, xb := n.PeeringConnections[0], n.PeeringConnections[1], n.PeeringConnections[2]
			if !ab.Active || ab.AccepterRegion != "" || ac.Active || ac.AccepterRegion != "us-west-2" {
				t.Errorf("peerings %+v %+v", ab, ac)
			}
			if !xb.Active || xb.RequesterVPCID != "vpc-far" || xb.AccepterVPCID != "vpc-b" {
				t.Errorf("accepter-only peering %+v", xb)
			}
		},
	}})
}

func TestMapEndpointsAndPrefixLists(t *testing.T) {
	base := []res{r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA), r("aws_subnet", "b", subnetB),
		r("aws_route_table", "t", `{"id": "rtb-t", "vpc_id": "vpc-a", "route": []}`),
		r("aws_security_group", "e", `{"id": "sg-e", "vpc_id": "vpc-a", "name": "e", "ingress": [], "egress": []}`)}
	runMapCases(t, []mapCase{{
		// A gateway endpoint adds a route to its service's prefix list,
		// whose blocks the state gives.
		name: "gateway endpoint",
		rs: append(slices.Clone(base),
			r("aws_vpc_endpoint", "s3", `{"id": "vpce-s3", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.s3", "vpc_endpoint_type": "Gateway", "route_table_ids": [], "prefix_list_id": "pl-63a5400a", "cidr_blocks": ["52.216.0.0/15", "3.5.0.0/19"]}`),
			r("aws_vpc_endpoint_route_table_association", "t", `{"id": "a-vpce-s3", "vpc_endpoint_id": "vpce-s3", "route_table_id": "rtb-t"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			pl := findPL(n, "pl-63a5400a")
			if pl == nil || !pl.AWSManaged || !slices.Equal(pl.Entries, []netipPrefix{pfx("52.216.0.0/15"), pfx("3.5.0.0/19")}) {
				t.Errorf("prefix list %+v", pl)
			}
			if r := routeTo(findRT(n, "rtb-t"), "pl-63a5400a"); r == nil || r.Target != (model.RouteTarget{Kind: model.TargetGatewayEndpoint, ID: "vpce-s3"}) || r.Origin != model.OriginEndpoint {
				t.Errorf("endpoint route %+v", r)
			}
		},
	}, {
		// An interface endpoint is one interface per subnet with the
		// endpoint's groups; addresses come from subnet_configuration,
		// else placeholders.
		name: "interface endpoint",
		rs: append(slices.Clone(base),
			r("aws_vpc_endpoint", "ssm", `{"id": "vpce-ssm", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.ssm", "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-a"], "security_group_ids": ["sg-e"], "network_interface_ids": ["eni-e1"], "subnet_configuration": [{"subnet_id": "subnet-a", "ipv4": "10.0.1.77", "ipv6": ""}]}`),
			r("aws_vpc_endpoint_subnet_association", "b", `{"id": "a-1", "vpc_endpoint_id": "vpce-ssm", "subnet_id": "subnet-b"}`),
			r("aws_vpc_endpoint", "nogroups", `{"id": "vpce-kms", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.kms", "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-a"], "security_group_ids": []}`),
		),
		check: func(t *testing.T, n *model.Network) {
			e := findEndpoint(n, "vpce-ssm")
			if !slices.Equal(e.SubnetIDs, []string{"subnet-a", "subnet-b"}) || len(e.InterfaceIDs) != 2 {
				t.Fatalf("endpoint %+v", e)
			}
			a := findENI(n, e.InterfaceIDs[0])
			if a.PrimaryIP() != ip("10.0.1.77") || a.IsPlaceholder(a.PrimaryIP()) || !slices.Equal(a.SecurityGroupIDs, []string{"sg-e"}) || a.OwnerKind != model.OwnerEndpoint {
				t.Errorf("interface in subnet-a %+v", a)
			}
			b := findENI(n, e.InterfaceIDs[1])
			if b.SubnetID != "subnet-b" || !pfx("10.0.2.0/24").Contains(b.PrimaryIP()) || !b.IsPlaceholder(b.PrimaryIP()) {
				t.Errorf("interface in subnet-b %+v", b)
			}
			k := findENI(n, findEndpoint(n, "vpce-kms").InterfaceIDs[0])
			if k.ID != "vpce-kms/subnet-a" || !slices.Equal(k.SecurityGroupIDs, []string{"sg-def"}) {
				t.Errorf("endpoint without groups %+v", k)
			}
		},
	}, {
		name: "managed prefix lists",
		rs: append(slices.Clone(base),
			r("aws_ec2_managed_prefix_list", "office", `{"id": "pl-office", "name": "office", "address_family": "IPv4", "max_entries": 5, "entry": [{"cidr": "198.51.100.0/24", "description": "hq"}]}`),
			r("aws_ec2_managed_prefix_list_entry", "branch", `{"id": "pl-office,203.0.113.0/24", "prefix_list_id": "pl-office", "cidr": "203.0.113.0/24"}`),
			r("aws_ec2_managed_prefix_list_entry", "dup", `{"id": "pl-office,198.51.100.0/24", "prefix_list_id": "pl-office", "cidr": "198.51.100.0/24"}`),
		),
		check: func(t *testing.T, n *model.Network) {
			pl := findPL(n, "pl-office")
			if pl.Name != "office" || pl.AWSManaged || !slices.Equal(pl.Entries, []netipPrefix{pfx("198.51.100.0/24"), pfx("203.0.113.0/24")}) {
				t.Errorf("prefix list %+v", pl)
			}
		},
	}, {
		// Data sources add what the input does not manage, under their
		// own address; what it manages is not duplicated.
		name: "data sources",
		rs: append(slices.Clone(base),
			data("aws_vpc", "shared", `{"id": "vpc-shared", "cidr_block": "10.100.0.0/16", "cidr_block_associations": [{"association_id": "x", "cidr_block": "10.100.0.0/16", "state": "associated"}, {"association_id": "y", "cidr_block": "10.101.0.0/16", "state": "associated"}], "main_route_table_id": "rtb-shared", "owner_id": "123456789012"}`),
			data("aws_vpc", "mine", `{"id": "vpc-a", "cidr_block": "10.0.0.0/16"}`),
			data("aws_subnet", "shared", `{"id": "subnet-shared", "vpc_id": "vpc-shared", "cidr_block": "10.100.1.0/24", "availability_zone": "us-east-1a"}`),
			data("aws_security_group", "shared", `{"id": "sg-shared", "vpc_id": "vpc-shared", "name": "shared"}`),
			data("aws_prefix_list", "s3", `{"id": "pl-63a5400a", "name": "com.amazonaws.us-east-1.s3", "cidr_blocks": ["52.216.0.0/15"]}`),
			data("aws_ec2_managed_prefix_list", "cf", `{"id": "pl-3b927c52", "name": "com.amazonaws.global.cloudfront.origin-facing", "owner_id": "AWS", "entries": [{"cidr": "120.52.22.96/27", "description": ""}]}`),
			r("aws_security_group_rule", "to_shared", `{"type": "egress", "security_group_id": "sg-e", "protocol": "tcp", "from_port": 443, "to_port": 443, "source_security_group_id": "sg-shared"}`),
			data("aws_region", "here", `{"id": "us-east-1", "name": "us-east-1"}`),
		),
		diags: []diagWant{{model.SeverityWarning, "the security group is read by a data source: it is outside the input and its rules are not known", 8, ""}},
		check: func(t *testing.T, n *model.Network) {
			v := findVPC(n, "vpc-shared")
			if v == nil || v.Address != "data.aws_vpc.shared" || !slices.Equal(v.CIDRs, []netipPrefix{pfx("10.100.0.0/16"), pfx("10.101.0.0/16")}) || v.Outside != "read by data.aws_vpc.shared" {
				t.Errorf("data VPC %+v", v)
			}
			// The implicit elements of a VPC outside the input are outside
			// it too.
			if rt := findRT(n, "rtb-shared"); rt == nil || !rt.Main || !rt.IsOutside() || rt.Synthetic == "" {
				t.Errorf("main table of the data VPC %+v", rt)
			}
			if len(n.VPCs) != 2 || findVPC(n, "vpc-a").Address != "aws_vpc.a" {
				t.Errorf("VPCs %d; vpc-a from %q", len(n.VPCs), findVPC(n, "vpc-a").Address)
			}
			if s := findSubnet(n, "subnet-shared"); s == nil || s.VPCID != "vpc-shared" {
				t.Errorf("data subnet %+v", s)
			}
			if sg := findSG(n, "sg-shared"); sg == nil || !sg.IsUnknown("ingress") || !sg.IsOutside() {
				t.Errorf("data group %+v", sg)
			}
			if pl := findPL(n, "pl-63a5400a"); !pl.AWSManaged || len(pl.Entries) != 1 {
				t.Errorf("data prefix list %+v", pl)
			}
			if pl := findPL(n, "pl-3b927c52"); !pl.AWSManaged || len(pl.Entries) != 1 {
				t.Errorf("data managed prefix list %+v", pl)
			}
			if e := findSG(n, "sg-e").Egress; len(e) != 1 || e[0].Peer.GroupID != "sg-shared" {
				t.Errorf("rule to a looked-up group %+v", e)
			}
		},
	}})
}

func TestMapUnsupportedAndIgnored(t *testing.T) {
	rs := []res{
		r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA),
		r("aws_globalaccelerator_accelerator", "web", `{"id": "arn:aws:globalaccelerator::123456789012:accelerator/1", "name": "web"}`),
		r("aws_networkfirewall_firewall", "fw", `{"id": "arn:fw", "name": "fw", "vpc_id": "vpc-a", "firewall_status": [{"sync_states": [{"availability_zone": "us-east-1a", "attachment": [{"endpoint_id": "vpce-fw1", "subnet_id": "subnet-a"}]}]}]}`),
		r("aws_route_table", "t", `{"id": "rtb-t", "vpc_id": "vpc-a", "route": [{"cidr_block": "0.0.0.0/0", "vpc_endpoint_id": "vpce-fw1"}]}`),
		r("aws_redshift_cluster", "dw", `{"id": "dw", "cluster_subnet_group_name": "dw", "vpc_security_group_ids": ["sg-def"], "network_interface_id": "eni-dw"}`),
		r("aws_mq_broker", "q", `{"id": "q", "subnet_ids": ["subnet-a"], "security_groups": ["sg-def"]}`),
		r("aws_iam_role", "r1", `{"id": "r1"}`),
		r("aws_iam_role", "r2", `{"id": "r2"}`),
		r("aws_iam_role", "r3", `{"id": "r3"}`),
		r("aws_iam_role", "r4", `{"id": "r4"}`),
		r("aws_flow_log", "fl", `{"id": "fl-1"}`),
		r("random_id", "x", `{"id": "abc"}`),
	}
	runMapCases(t, []mapCase{{
		name: "unsupported and ignored",
		rs:   rs,
		check: func(t *testing.T, n *model.Network) {
			var types []string
			for _, u := range n.UnsupportedResources {
				types = append(types, u.Type)
				if u.Reason == "" {
					t.Errorf("%s has no reason", u.Address)
				}
			}
			if !slices.Equal(types, []string{"aws_globalaccelerator_accelerator", "aws_networkfirewall_firewall", "aws_redshift_cluster", "aws_mq_broker"}) {
				t.Errorf("unsupported %v", types)
			}
			if u := n.UnsupportedResources[2]; !slices.Equal(u.InterfaceIDs, []string{"eni-dw"}) || !slices.Equal(u.SecurityGroupIDs, []string{"sg-def"}) {
				t.Errorf("cluster interfaces %v, groups %v", u.InterfaceIDs, u.SecurityGroupIDs)
			}
			// The groups and subnets an unsupported resource names are in
			// use.
			if u := n.UnsupportedResources[3]; !slices.Equal(u.SecurityGroupIDs, []string{"sg-def"}) || !slices.Equal(u.SubnetIDs, []string{"subnet-a"}) {
				t.Errorf("%s: groups %v, subnets %v", u.Address, u.SecurityGroupIDs, u.SubnetIDs)
			}
			// The firewall's endpoint is there for the route to target.
			if e := findEndpoint(n, "vpce-fw1"); e == nil || e.Type != model.EndpointGatewayLoadBalancer {
				t.Errorf("firewall endpoint %+v", e)
			}
			if r := routeTo(findRT(n, "rtb-t"), "0.0.0.0/0"); r.Target.Kind != model.TargetEndpoint {
				t.Errorf("route to the firewall %+v", r.Target)
			}
		},
	}})
	data, _ := stateJSON(rs...)
	in, err := LoadBytes("test.tfstate", data)
	if err != nil {
		t.Fatal(err)
	}
	want := []IgnoredType{
		{Type: "aws_flow_log", Count: 1, Addresses: []string{"aws_flow_log.fl"}, Reason: "flow logs record traffic; they do not change it"},
		{Type: "aws_iam_role", Count: 4, Addresses: []string{"aws_iam_role.r1", "aws_iam_role.r2", "aws_iam_role.r3"}, Reason: "not a networking resource"},
		{Type: "random_id", Count: 1, Addresses: []string{"random_id.x"}, Reason: "not a networking resource"},
	}
	if len(in.Ignored) != len(want) {
		t.Fatalf("ignored %+v", in.Ignored)
	}
	for i := range want {
		g := in.Ignored[i]
		if g.Type != want[i].Type || g.Count != want[i].Count || !slices.Equal(g.Addresses, want[i].Addresses) || g.Reason != want[i].Reason {
			t.Errorf("ignored %+v, want %+v", g, want[i])
		}
	}
}

func TestMapRegionOptions(t *testing.T) {
	runMapCases(t, []mapCase{{
		name: "options override",
		rs:   []res{r("aws_vpc", "a", vpcA)},
		opts: []Option{WithRegion("eu-west-1"), WithAccountID("999999999999")},
		diags: []diagWant{
			{model.SeverityWarning, "the given region eu-west-1 differs from us-east-1", -1, ""},
			{model.SeverityWarning, "the given account 999999999999 differs from 123456789012", -1, ""},
		},
		check: func(t *testing.T, n *model.Network) {
			if n.Region != "eu-west-1" || n.AccountID != "999999999999" || n.VPCs[0].Region != "us-east-1" {
				t.Errorf("region %q account %q; the VPC's ARN says %q", n.Region, n.AccountID, n.VPCs[0].Region)
			}
		},
	}, {
		name: "options fill in",
		rs:   []res{r("aws_vpc", "a", `{"id": "vpc-a", "cidr_block": "10.0.0.0/16"}`)},
		opts: []Option{WithRegion("ap-south-1"), WithAccountID("111111111111")},
		check: func(t *testing.T, n *model.Network) {
			if n.Region != "ap-south-1" || n.AccountID != "111111111111" {
				t.Errorf("region %q account %q", n.Region, n.AccountID)
			}
		},
	}})
}

// TestMapOrphans gives every kind of child resource a parent that is not in
// the input (another stack's, or one deleted since): none is an error. Each
// parent becomes an element outside the input holding what the child says
// of it, or, where the child cannot be placed without knowing the parent (a
// VPC endpoint's association, a gateway's attachment), the child is left
// out with a warning at it that says so; a child without its parent's ID
// is still an error.
func TestMapOrphans(t *testing.T) {
	rs := []res{
		r("aws_vpc", "a", vpcA),
		r("aws_route_table_association", "x", `{"route_table_id": "rtb-gone", "subnet_id": "subnet-a"}`),
		r("aws_main_route_table_association", "x", `{"vpc_id": "vpc-gone", "route_table_id": "rtb-gone"}`),
		r("aws_network_acl_association", "x", `{"network_acl_id": "acl-gone", "subnet_id": "subnet-a"}`),
		r("aws_vpn_connection_route", "x", `{"vpn_connection_id": "vpn-gone", "destination_cidr_block": "10.0.0.0/8"}`),
		r("aws_ec2_transit_gateway_route", "x", `{"transit_gateway_route_table_id": "tgw-rtb-gone", "destination_cidr_block": "10.0.0.0/8", "transit_gateway_attachment_id": "tgw-attach-1"}`),
		r("aws_ec2_transit_gateway_route_table_propagation", "x", `{"transit_gateway_route_table_id": "tgw-rtb-gone", "transit_gateway_attachment_id": "tgw-attach-1"}`),
		r("aws_vpc_endpoint_route_table_association", "x", `{"vpc_endpoint_id": "vpce-gone", "route_table_id": "rtb-1"}`),
		r("aws_vpc_endpoint_subnet_association", "x", `{"vpc_endpoint_id": "vpce-gone", "subnet_id": "subnet-1"}`),
		r("aws_ec2_managed_prefix_list_entry", "x", `{"prefix_list_id": "pl-gone", "cidr": "10.0.0.0/8"}`),
		r("aws_internet_gateway_attachment", "x", `{"internet_gateway_id": "igw-gone", "vpc_id": "vpc-a"}`),
		r("aws_vpn_gateway_attachment", "x", `{"vpn_gateway_id": "vgw-gone", "vpc_id": "vpc-a"}`),
		r("aws_vpn_gateway_route_propagation", "x", `{"vpn_gateway_id": "vgw-1", "route_table_id": "rtb-gone"}`),
		r("aws_network_interface_sg_attachment", "x", `{"security_group_id": "sg-def", "network_interface_id": "eni-gone"}`),
		r("aws_eip_association", "x", `{"allocation_id": "", "instance_id": "i-1"}`),
		r("aws_security_group_rule", "x", `{"type": "egress", "security_group_id": "", "protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}`),
	}
	// Route tables, network ACLs and transit gateway route tables of another
	// stack become elements outside the input, holding what the input
	// attaches to them; so do what they name (a subnet, a VPN gateway, an
	// attachment).
	outside := "that is not in the input: it is kept as an element outside the input, and traffic that reaches it leaves what vpcsim can see"
	runMapCases(t, []mapCase{{
		name: "orphans",
		rs:   rs,
		check: func(t *testing.T, n *model.Network) {
			rt := findRT(n, "rtb-gone")
			if rt == nil || !rt.IsOutside() || len(rt.Associations) != 1 || len(rt.PropagatingVGWs) != 1 || !strings.Contains(rt.Describe(), "(not in the input)") {
				t.Errorf("route table of another stack %+v", rt)
			}
			if acl := findACL(n, "acl-gone"); acl == nil || !acl.IsOutside() || len(acl.Associations) != 1 {
				t.Errorf("network ACL of another stack %+v", acl)
			}
			if tr := findTGWRT(n, "tgw-rtb-gone"); tr == nil || !tr.IsOutside() || len(tr.Routes) != 1 || len(tr.Propagations) != 1 {
				t.Errorf("transit gateway route table of another stack %+v", tr)
			}
			for _, id := range []string{"subnet-a"} {
				if s := findSubnet(n, id); s == nil || !s.IsOutside() {
					t.Errorf("subnet %s: %+v", id, s)
				}
			}
			ix := n.Index()
			if v := ix.VPCs["vpc-gone"]; v == nil || !v.IsOutside() || v.MainRouteTableID != "rtb-gone" {
				t.Errorf("VPC of another stack %+v", v)
			}
			if c := ix.VPNConnections["vpn-gone"]; c == nil || !c.IsOutside() || len(c.OnPremCIDRs) != 1 {
				t.Errorf("VPN connection of another stack %+v", c)
			}
			if pl := ix.PrefixLists["pl-gone"]; pl == nil || !pl.IsOutside() || len(pl.Entries) != 1 {
				t.Errorf("prefix list of another stack %+v", pl)
			}
			if x := ix.Interfaces["eni-gone"]; x == nil || !x.IsOutside() || len(x.SecurityGroupIDs) != 1 {
				t.Errorf("interface of another stack %+v", x)
			}
			if _, err := reach.New(n); err != nil {
				t.Errorf("engine on elements outside the input: %v", err)
			}
		},
		diags: []diagWant{
			{model.SeverityWarning, "route_table_id rtb-gone names a route table " + outside, 1, "aws_route_table_association.x"},
			{model.SeverityWarning, "subnet subnet-a is not in the input", 1, "aws_route_table_association.x"},
			{model.SeverityWarning, "VPN gateway vgw-1 is not in the input", 1, "rtb-gone"},
			{model.SeverityWarning, "vpc_id vpc-gone names a VPC " + outside, 2, ""},
			{model.SeverityWarning, "network_acl_id acl-gone names a network ACL " + outside, 3, ""},
			{model.SeverityWarning, "vpn_connection_id vpn-gone names a VPN connection " + outside, 4, ""},
			{model.SeverityWarning, "transit_gateway_route_table_id tgw-rtb-gone names a transit gateway route table " + outside, 5, ""},
			{model.SeverityWarning, "transit gateway attachment tgw-attach-1 is not in the input", 6, ""},
			{model.SeverityWarning, "vpc_endpoint_id vpce-gone names a VPC endpoint that is not in the input (another stack's, or deleted): it is outside the input, and the association cannot be placed: what the resource adds to it is not analysed", 7, ""},
			{model.SeverityWarning, "vpc_endpoint_id vpce-gone names a VPC endpoint that is not in the input (another stack's, or deleted)", 8, ""},
			{model.SeverityWarning, "prefix_list_id pl-gone names a prefix list " + outside, 9, ""},
			{model.SeverityWarning, "internet_gateway_id igw-gone names an internet gateway that is not in the input (another stack's, or deleted)", 10, ""},
			{model.SeverityWarning, "vpn_gateway_id vgw-gone names a VPN gateway that is not in the input (another stack's, or deleted)", 11, ""},
			{model.SeverityWarning, "network_interface_id eni-gone names a network interface " + outside, 13, ""},
			{model.SeverityError, "allocation_id is not set: the association cannot be placed", 14, ""},
			{model.SeverityError, "security_group_id is not set: the rule cannot be placed", 15, ""},
		},
	}})
}

func TestMapLesserTypes(t *testing.T) {
	base := []res{r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA),
		r("aws_security_group", "e", `{"id": "sg-e", "vpc_id": "vpc-a", "name": "e", "ingress": [], "egress": []}`)}
	runMapCases(t, []mapCase{{
		// An association adds a group beside the VPC's default one,
		// unless it replaces it.
		name: "endpoint security group associations",
		rs: append(slices.Clone(base),
			r("aws_vpc_endpoint", "keep", `{"id": "vpce-keep", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.sts", "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-a"], "security_group_ids": [], "subnet_configuration": [{"subnet_id": "subnet-a", "ipv4": "10.0.1.30"}]}`),
			r("aws_vpc_endpoint", "swap", `{"id": "vpce-swap", "vpc_id": "vpc-a", "service_name": "com.amazonaws.us-east-1.kms", "vpc_endpoint_type": "Interface", "subnet_ids": ["subnet-a"], "security_group_ids": [], "subnet_configuration": [{"subnet_id": "subnet-a", "ipv4": "10.0.1.31"}]}`),
			r("aws_vpc_endpoint_security_group_association", "keep", `{"id": "x", "vpc_endpoint_id": "vpce-keep", "security_group_id": "sg-e", "replace_default_association": false}`),
			r("aws_vpc_endpoint_security_group_association", "swap", `{"id": "y", "vpc_endpoint_id": "vpce-swap", "security_group_id": "sg-e", "replace_default_association": true}`),
		),
		check: func(t *testing.T, n *model.Network) {
			if e := findENI(n, findEndpoint(n, "vpce-keep").InterfaceIDs[0]); !slices.Equal(e.SecurityGroupIDs, []string{"sg-def", "sg-e"}) {
				t.Errorf("kept default: %v", e.SecurityGroupIDs)
			}
			if e := findENI(n, findEndpoint(n, "vpce-swap").InterfaceIDs[0]); !slices.Equal(e.SecurityGroupIDs, []string{"sg-e"}) {
				t.Errorf("replaced default: %v", e.SecurityGroupIDs)
			}
		},
	}, {
		name: "transit gateway default table resources",
		rs: append(slices.Clone(base),
			r("aws_ec2_transit_gateway", "hub", `{"id": "tgw-1", "default_route_table_association": "disable", "default_route_table_propagation": "disable"}`),
			r("aws_ec2_transit_gateway_route_table", "main", `{"id": "tgw-rtb-main", "transit_gateway_id": "tgw-1"}`),
			r("aws_ec2_transit_gateway_default_route_table_association", "a", `{"id": "tgw-1", "transit_gateway_id": "tgw-1", "transit_gateway_route_table_id": "tgw-rtb-main"}`),
			r("aws_ec2_transit_gateway_default_route_table_propagation", "p", `{"id": "tgw-1", "transit_gateway_id": "tgw-1", "transit_gateway_route_table_id": "tgw-rtb-main"}`),
			r("aws_ec2_transit_gateway_vpc_attachment", "a", `{"id": "tgw-attach-a", "transit_gateway_id": "tgw-1", "vpc_id": "vpc-a", "subnet_ids": ["subnet-a"]}`),
		),
		check: func(t *testing.T, n *model.Network) {
			rt := findTGWRT(n, "tgw-rtb-main")
			if !rt.Default || len(rt.Associations) != 1 || len(rt.Propagations) != 1 {
				t.Errorf("default table %+v", rt)
			}
		},
	}, {
		name: "spot instance request",
		rs: append(slices.Clone(base),
			r("aws_spot_instance_request", "worker", `{"id": "sir-1", "spot_instance_id": "i-spot", "subnet_id": "subnet-a", "private_ip": "10.0.1.40", "primary_network_interface_id": "eni-spot", "vpc_security_group_ids": ["sg-e"]}`),
		),
		check: func(t *testing.T, n *model.Network) {
			in := findInstance(n, "aws_spot_instance_request.worker")
			if in == nil || in.ID != "i-spot" || findENI(n, "eni-spot").PrimaryIP() != ip("10.0.1.40") {
				t.Errorf("spot instance %+v", in)
			}
		},
	}})
}

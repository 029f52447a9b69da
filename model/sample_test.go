package model

// fixture is a small but realistic estate, the kind the HCL loader produces
// from a two-VPC Terraform configuration: a dual-stack VPC with public and
// private subnets in two zones, an internet gateway, an egress-only gateway,
// a NAT gateway, a VPN gateway, a transit gateway hub, an S3 gateway
// endpoint, an interface endpoint, and a second VPC peered to the first.
// The fields name its elements so that test rows can break one thing each.
type fixture struct {
	*Network

	vpc, peerVPC                           *VPC
	pubA, pubB, privA, privB, peerA, peerB *Subnet
	pubRT, privRT, peerRT                  *RouteTable
	privACL                                *NetworkACL
	webSG, appSG, dbSG                     *SecurityGroup
	webENI, appENI, dbENI                  *NetworkInterface
	web, app, db                           *Instance
	igw                                    *InternetGateway
	eigw                                   *EgressOnlyInternetGateway
	nat                                    *NATGateway
	vgw                                    *VPNGateway
	cgw                                    *CustomerGateway
	office, dc                             *VPNConnection
	tgw                                    *TransitGateway
	tgwVPC, tgwVPN                         *TGWAttachment
	pcx                                    *PeeringConnection
	s3, ssm                                *VPCEndpoint
	corp                                   *PrefixList
	webEIP, natEIP                         *ElasticIP
}

// sample builds the fixture. Every call returns a fresh copy.
func sample() *fixture {
	f := &fixture{}
	f.vpc = &VPC{Meta: meta("aws_vpc.main"), CIDRs: pfxs("10.0.0.0/16"), IPv6CIDRs: pfxs("2001:db8:1000::/56")}
	f.peerVPC = &VPC{Meta: meta("aws_vpc.peer"), CIDRs: pfxs("10.1.0.0/16"), MainRouteTableID: "aws_route_table.peer"}

	subnet := func(addr, vpc, v4, v6, az string) *Subnet {
		s := &Subnet{Meta: meta(addr), VPCID: vpc, AvailabilityZone: az, CIDR: pfx(v4)}
		if v6 != "" {
			s.IPv6CIDR = pfx(v6)
		}
		return s
	}
	f.pubA = subnet("aws_subnet.public_a", "aws_vpc.main", "10.0.0.0/24", "2001:db8:1000::/64", "us-east-1a")
	f.pubA.MapPublicIPOnLaunch = true
	f.pubB = subnet("aws_subnet.public_b", "aws_vpc.main", "10.0.1.0/24", "2001:db8:1000:1::/64", "us-east-1b")
	f.pubB.MapPublicIPOnLaunch = true
	f.privA = subnet("aws_subnet.private_a", "aws_vpc.main", "10.0.10.0/24", "2001:db8:1000:10::/64", "us-east-1a")
	f.privB = subnet("aws_subnet.private_b", "aws_vpc.main", "10.0.11.0/24", "", "us-east-1b")
	f.peerA = subnet("aws_subnet.peer_a", "aws_vpc.peer", "10.1.0.0/24", "", "us-east-1a")
	f.peerB = subnet("aws_subnet.peer_b", "aws_vpc.peer", "10.1.1.0/24", "", "us-east-1b")

	f.igw = &InternetGateway{Meta: meta("aws_internet_gateway.main"), VPCID: "aws_vpc.main"}
	f.eigw = &EgressOnlyInternetGateway{Meta: meta("aws_egress_only_internet_gateway.main"), VPCID: "aws_vpc.main"}
	f.natEIP = &ElasticIP{Meta: meta("aws_eip.nat"), PublicIP: ip("203.0.113.10")}
	f.nat = &NATGateway{Meta: meta("aws_nat_gateway.a"), SubnetID: "aws_subnet.public_a",
		PrivateIP: ip("10.0.0.10"), PublicIP: ip("203.0.113.10"), AllocationID: "aws_eip.nat"}
	f.vgw = &VPNGateway{Meta: meta("aws_vpn_gateway.main"), VPCID: "aws_vpc.main"}
	f.cgw = &CustomerGateway{Meta: meta("aws_customer_gateway.office"), IP: ip("198.51.100.1"), ASN: 65000}
	f.office = &VPNConnection{Meta: meta("aws_vpn_connection.office"), VPNGatewayID: "aws_vpn_gateway.main",
		CustomerGatewayID: "aws_customer_gateway.office", StaticRoutesOnly: true, OnPremCIDRs: pfxs("172.16.0.0/16", "172.17.0.0/16")}
	f.dc = &VPNConnection{Meta: meta("aws_vpn_connection.dc"), TransitGatewayID: "aws_ec2_transit_gateway.hub",
		CustomerGatewayID: "aws_customer_gateway.office", OnPremCIDRs: pfxs("192.168.0.0/16")}
	f.tgw = &TransitGateway{Meta: meta("aws_ec2_transit_gateway.hub"), DefaultAssociation: true, DefaultPropagation: true}
	f.tgwVPC = &TGWAttachment{Meta: meta("aws_ec2_transit_gateway_vpc_attachment.main"), Kind: TGWAttachVPC,
		TransitGatewayID: "aws_ec2_transit_gateway.hub", VPCID: "aws_vpc.main",
		SubnetIDs: []string{"aws_subnet.private_a", "aws_subnet.private_b"}, DefaultAssociation: true, DefaultPropagation: true}
	f.tgwVPN = &TGWAttachment{Meta: meta("aws_vpn_connection.dc/attachment"), Kind: TGWAttachVPN,
		TransitGatewayID: "aws_ec2_transit_gateway.hub", VPNConnectionID: "aws_vpn_connection.dc",
		DefaultAssociation: true, DefaultPropagation: true}
	f.pcx = &PeeringConnection{Meta: meta("aws_vpc_peering_connection.main_peer"),
		RequesterVPCID: "aws_vpc.main", AccepterVPCID: "aws_vpc.peer", Active: true}

	route := func(dst string, kind TargetKind, id string) Route {
		return Route{Destination: pfx(dst), Target: RouteTarget{Kind: kind, ID: id}}
	}
	f.pubRT = &RouteTable{Meta: meta("aws_route_table.public"), VPCID: "aws_vpc.main",
		Routes: []Route{
			route("0.0.0.0/0", TargetInternetGateway, "aws_internet_gateway.main"),
			route("::/0", TargetInternetGateway, "aws_internet_gateway.main"),
		},
		Associations: []RouteTableAssociation{{SubnetID: "aws_subnet.public_a"}, {SubnetID: "aws_subnet.public_b"}}}
	f.privRT = &RouteTable{Meta: meta("aws_route_table.private"), VPCID: "aws_vpc.main",
		Routes: []Route{
			route("0.0.0.0/0", TargetNATGateway, "aws_nat_gateway.a"),
			route("::/0", TargetEgressOnlyGateway, "aws_egress_only_internet_gateway.main"),
			route("10.1.0.0/16", TargetPeering, "aws_vpc_peering_connection.main_peer"),
			route("192.168.0.0/16", TargetTransitGateway, "aws_ec2_transit_gateway.hub"),
		},
		Associations: []RouteTableAssociation{
			{Meta: meta("aws_route_table_association.private_a"), SubnetID: "aws_subnet.private_a"},
			{Meta: meta("aws_route_table_association.private_b"), SubnetID: "aws_subnet.private_b"},
		},
		PropagatingVGWs: []string{"aws_vpn_gateway.main"}}
	f.peerRT = &RouteTable{Meta: meta("aws_route_table.peer"), VPCID: "aws_vpc.peer",
		Routes:       []Route{route("10.0.0.0/16", TargetPeering, "aws_vpc_peering_connection.main_peer")},
		Associations: []RouteTableAssociation{{SubnetID: "aws_subnet.peer_a"}}}

	aclRule := func(num int, d Direction, a Action, p Protocol, ports PortRange, cidr string) ACLRule {
		return ACLRule{Number: num, Direction: d, Action: a, Protocol: p, Ports: ports, ICMP: AnyICMP, CIDR: pfx(cidr)}
	}
	f.privACL = &NetworkACL{Meta: meta("aws_network_acl.private"), VPCID: "aws_vpc.main",
		Associations: []ACLAssociation{{SubnetID: "aws_subnet.private_a"}, {SubnetID: "aws_subnet.private_b"}},
		Ingress: []ACLRule{
			aclRule(100, Ingress, Allow, ProtocolTCP, Port(443), "10.0.0.0/16"),
			aclRule(110, Ingress, Allow, ProtocolTCP, DefaultEphemeral, "0.0.0.0/0"),
			aclRule(120, Ingress, Allow, ProtocolTCP, DefaultEphemeral, "::/0"),
			aclRule(200, Ingress, Deny, ProtocolAll, AllPorts, "10.1.0.0/16"),
		},
		Egress: []ACLRule{
			aclRule(100, Egress, Allow, ProtocolAll, AllPorts, "0.0.0.0/0"),
			aclRule(101, Egress, Allow, ProtocolAll, AllPorts, "::/0"),
		}}

	sgRule := func(d Direction, p Protocol, ports PortRange, peer SGPeer) SGRule {
		return SGRule{Direction: d, Protocol: p, Ports: ports, ICMP: AnyICMP, Peer: peer}
	}
	cidr := func(s string) SGPeer { return SGPeer{Kind: PeerCIDR, CIDR: pfx(s)} }
	allOut := sgRule(Egress, ProtocolAll, AllPorts, cidr("0.0.0.0/0"))
	f.webSG = &SecurityGroup{Meta: meta("aws_security_group.web"), VPCID: "aws_vpc.main", GroupName: "web",
		Ingress: []SGRule{
			sgRule(Ingress, ProtocolTCP, Port(443), cidr("0.0.0.0/0")),
			sgRule(Ingress, ProtocolTCP, Port(443), cidr("::/0")),
		},
		Egress: []SGRule{allOut}}
	f.appSG = &SecurityGroup{Meta: meta("aws_security_group.app"), VPCID: "aws_vpc.main", GroupName: "app",
		Ingress: []SGRule{
			sgRule(Ingress, ProtocolTCP, Port(8080), SGPeer{Kind: PeerSecurityGroup, GroupID: "aws_security_group.web"}),
			{Direction: Ingress, Protocol: ProtocolICMP, ICMP: ICMPTypeCode(8, -1), Peer: SGPeer{Kind: PeerPrefixList, PrefixListID: "aws_ec2_managed_prefix_list.corp"}},
		},
		Egress: []SGRule{allOut}}
	f.dbSG = &SecurityGroup{Meta: meta("aws_security_group.db"), VPCID: "aws_vpc.peer", GroupName: "db",
		Ingress: []SGRule{sgRule(Ingress, ProtocolTCP, Port(5432), cidr("10.0.10.0/24"))}}
	f.corp = &PrefixList{Meta: meta("aws_ec2_managed_prefix_list.corp"), Entries: pfxs("172.16.0.0/16", "172.17.0.0/16")}

	f.webENI = &NetworkInterface{Meta: meta("aws_instance.web/eni"), SubnetID: "aws_subnet.public_a",
		PrivateIPs: ips("10.0.0.20"), IPv6Addrs: ips("2001:db8:1000::20"),
		PublicIPs:        []PublicIP{{Public: ip("198.18.0.1"), Private: ip("10.0.0.20"), Placeholder: true}},
		SecurityGroupIDs: []string{"aws_security_group.web"}, SourceDestCheck: true,
		OwnerKind: OwnerInstance, OwnerID: "aws_instance.web"}
	f.appENI = &NetworkInterface{Meta: meta("aws_instance.app/eni"), SubnetID: "aws_subnet.private_a",
		PrivateIPs: ips("10.0.10.20"), SecurityGroupIDs: []string{"aws_security_group.app"}, SourceDestCheck: true,
		OwnerKind: OwnerInstance, OwnerID: "aws_instance.app"}
	f.dbENI = &NetworkInterface{Meta: meta("aws_instance.db/eni"), SubnetID: "aws_subnet.peer_a",
		PrivateIPs: ips("10.1.0.20"), SecurityGroupIDs: []string{"aws_security_group.db"}, SourceDestCheck: true,
		OwnerKind: OwnerInstance, OwnerID: "aws_instance.db"}
	f.web = &Instance{Meta: meta("aws_instance.web"), InterfaceIDs: []string{"aws_instance.web/eni"}}
	f.app = &Instance{Meta: meta("aws_instance.app"), InterfaceIDs: []string{"aws_instance.app/eni"}}
	f.db = &Instance{Meta: meta("aws_instance.db"), InterfaceIDs: []string{"aws_instance.db/eni"}}
	f.webEIP = &ElasticIP{Meta: meta("aws_eip.web"), PublicIP: ip("203.0.113.20"), InstanceID: "aws_instance.web"}

	f.s3 = &VPCEndpoint{Meta: meta("aws_vpc_endpoint.s3"), VPCID: "aws_vpc.main", Type: EndpointGateway,
		ServiceName: "com.amazonaws.us-east-1.s3", RouteTableIDs: []string{"aws_route_table.private"}}
	f.ssm = &VPCEndpoint{Meta: meta("aws_vpc_endpoint.ssm"), VPCID: "aws_vpc.main", Type: EndpointInterface,
		ServiceName: "com.amazonaws.us-east-1.ssm", SubnetIDs: []string{"aws_subnet.private_a", "aws_subnet.private_b"},
		SecurityGroupIDs: []string{"aws_security_group.app"}}

	f.Network = &Network{
		Source: "testdata/sample", Region: "us-east-1", AccountID: "111122223333",
		VPCs:               []*VPC{f.vpc, f.peerVPC},
		Subnets:            []*Subnet{f.pubA, f.pubB, f.privA, f.privB, f.peerA, f.peerB},
		RouteTables:        []*RouteTable{f.pubRT, f.privRT, f.peerRT},
		NetworkACLs:        []*NetworkACL{f.privACL},
		SecurityGroups:     []*SecurityGroup{f.webSG, f.appSG, f.dbSG},
		Interfaces:         []*NetworkInterface{f.webENI, f.appENI, f.dbENI},
		Instances:          []*Instance{f.web, f.app, f.db},
		InternetGateways:   []*InternetGateway{f.igw},
		EgressOnlyGateways: []*EgressOnlyInternetGateway{f.eigw},
		NATGateways:        []*NATGateway{f.nat},
		VPNGateways:        []*VPNGateway{f.vgw},
		CustomerGateways:   []*CustomerGateway{f.cgw},
		VPNConnections:     []*VPNConnection{f.office, f.dc},
		TransitGateways:    []*TransitGateway{f.tgw},
		TGWAttachments:     []*TGWAttachment{f.tgwVPC, f.tgwVPN},
		PeeringConnections: []*PeeringConnection{f.pcx},
		Endpoints:          []*VPCEndpoint{f.s3, f.ssm},
		PrefixLists:        []*PrefixList{f.corp},
		ElasticIPs:         []*ElasticIP{f.natEIP, f.webEIP},
	}
	return f
}

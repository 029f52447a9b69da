package estate

import (
	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

// peeringEndpoints is three VPCs without a transit gateway: app and data
// peered, data and analytics peered (so app and analytics are not), app
// reaching AWS services through an S3 gateway endpoint and an SSM interface
// endpoint and the IPv6 internet through an egress-only internet gateway.
// See examples/peering-endpoints/README.md.
func peeringEndpoints() *builder {
	b := newBuilder("peering-endpoints", 73, tfstate.Tags{"Project": "orders", "ManagedBy": "terraform"})
	env := b.env
	zones := []az{azA, azB}

	// The S3 prefix list, read once in the root module and handed to the
	// modules that need it.
	b.data("", "aws_prefix_list", "s3", nil, &tfstate.PrefixList{CIDRBlocks: s3CIDRs(), Filter: []any{}, ID: s3PrefixList,
		Name: "com.amazonaws.us-east-1.s3"})

	// --- module.app: the application VPC, IPv4 and IPv6, no IPv4 internet
	// path at all.
	const app = "module.app"
	appIDs := b.vpcIDs("app")
	appDeps := in(app, "aws_vpc.this")
	const appV6 = "2600:1f18:6a3:e400::/56"
	appVPC := b.vpc(appIDs, "10.10.0.0/16", tfstate.Named("orders-app"))
	appVPC.AssignGeneratedIPv6CIDRBlock = true
	appVPC.IPv6AssociationID = b.id("vpc-cidr-assoc", "app/v6")
	appVPC.IPv6CIDRBlock = appV6
	appVPC.IPv6CIDRBlockNetworkBorderGroup = region
	appVPC.IPv6NetmaskLength = 56
	b.add(app, "aws_vpc", "this", nil, 1, appVPC, tfstate.PrivateVPC)
	appSubnetCIDRs := [2][2]string{{"10.10.0.0/24", "2600:1f18:6a3:e400::/64"}, {"10.10.1.0/24", "2600:1f18:6a3:e401::/64"}}
	var appSubnets []string
	for i, z := range zones {
		id := b.id("subnet", "app/private/"+z.name)
		appSubnets = append(appSubnets, id)
		s := env.Subnet(id, appIDs.vpc, appSubnetCIDRs[i][0], z.name, z.id, false, tfstate.Named("orders-app-private-"+z.name[len(z.name)-1:]))
		s.AssignIPv6AddressOnCreation = true
		s.IPv6CIDRBlock = appSubnetCIDRs[i][1]
		s.IPv6CIDRBlockAssociationID = b.id("subnet-cidr-assoc", "app/"+z.name)
		b.add(app, "aws_subnet", "private", i, 1, s, tfstate.PrivateSubnet, appDeps...)
	}
	eigw := b.id("eigw", "app")
	b.add(app, "aws_egress_only_internet_gateway", "this", nil, 0, &tfstate.EgressOnlyInternetGateway{ID: eigw,
		Tags: tfstate.Named("orders-app-eigw"), TagsAll: env.TagsAll(tfstate.Named("orders-app-eigw")), VPCID: appIDs.vpc},
		tfstate.PrivateNull, appDeps...)
	pcxAppData := b.id("pcx", "app-data")
	appRT := b.id("rtb", "app/private")
	b.add(app, "aws_route_table", "private", nil, 0, env.RouteTable(appRT, appIDs.vpc, routesSorted(
		rt{IPv6CIDRBlock: "::/0", EgressOnlyGatewayID: eigw},
		rt{CIDRBlock: "10.20.0.0/16", VPCPeeringConnectionID: pcxAppData},
	), tfstate.Named("orders-app-private")), tfstate.PrivateRouteTable, appDeps...)
	// The IPv6 default route is a standalone aws_route like the peering
	// routes: mixing inline routes with aws_route on one table makes
	// Terraform fight itself.
	toEIGW := rt{IPv6CIDRBlock: "::/0", EgressOnlyGatewayID: eigw}
	b.add(app, "aws_route", "ipv6_egress", nil, 0, env.Route(appRT, toEIGW), tfstate.PrivateRoute,
		cat(appDeps, in(app, "aws_egress_only_internet_gateway.this", "aws_route_table.private"))...)
	for i := range zones {
		b.add(app, "aws_route_table_association", "private", i, 0, &tfstate.RouteTableAssociation{
			ID: b.id("rtbassoc", "app/"+itoa(i)), RouteTableID: appRT, SubnetID: appSubnets[i],
		}, tfstate.PrivateRouteTable, cat(appDeps, in(app, "aws_egress_only_internet_gateway.this", "aws_route_table.private", "aws_subnet.private"))...)
	}
	sgApp, sgEndpoints := b.id("sg", "app/app"), b.id("sg", "app/endpoints")
	b.add(app, "aws_security_group", "app", nil, 1, env.SecurityGroup(sgApp, appIDs.vpc, "orders-app", "Order service",
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 8443, 8443, "Internal API", "10.10.0.0/16", "10.30.0.0/16"),
		},
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 443, 443, "HTTPS out (S3, SSM, IPv6 APIs)", "0.0.0.0/0", "::/0"),
			tfstate.SGRule("tcp", 5432, 5432, "Orders database over the peering", "10.20.0.0/16"),
			tfstate.SGRule("tcp", 8443, 8443, "Internal API", "10.10.0.0/16"),
		},
		tfstate.Named("orders-app")), tfstate.PrivateSecurityGroup, appDeps...)
	b.add(app, "aws_security_group", "endpoints", nil, 1, env.SecurityGroup(sgEndpoints, appIDs.vpc, "orders-app-endpoints", "Interface endpoints",
		[]tfstate.SecurityGroupRule{tfstate.SGRule("tcp", 443, 443, "HTTPS from the VPC", "10.10.0.0/16")}, nil,
		tfstate.Named("orders-app-endpoints")), tfstate.PrivateSecurityGroup, appDeps...)
	s3 := b.id("vpce", "app/s3")
	b.add(app, "aws_vpc_endpoint", "s3", nil, 0, &tfstate.VPCEndpoint{
		ARN: env.ARN("vpc-endpoint", s3), CIDRBlocks: s3CIDRs(), DNSEntry: []tfstate.DNSEntry{}, DNSOptions: []tfstate.DNSOptions{},
		ID: s3, NetworkInterfaceIDs: []string{}, OwnerID: account, Policy: fullAccessPolicy, PrefixListID: s3PrefixList,
		RouteTableIDs: []string{appRT}, SecurityGroupIDs: []string{}, ServiceName: "com.amazonaws.us-east-1.s3", State: "available",
		SubnetConfiguration: []tfstate.EndpointSubnet{}, SubnetIDs: []string{}, Tags: tfstate.Named("orders-app-s3"), TagsAll: env.TagsAll(tfstate.Named("orders-app-s3")),
		VPCEndpointType: "Gateway", VPCID: appIDs.vpc,
	}, tfstate.PrivateVPCEndpoint, cat(appDeps, in(app, "aws_egress_only_internet_gateway.this", "aws_route_table.private"))...)
	ssm := b.id("vpce", "app/ssm")
	ssmENIs := []string{b.id("eni", "app/ssm/0"), b.id("eni", "app/ssm/1")}
	ssmIPs := []string{"10.10.0.150", "10.10.1.22"}
	ssmDNS := ssm + "-" + b.hex("ssm-dns", 8)
	b.add(app, "aws_vpc_endpoint", "ssm", nil, 0, &tfstate.VPCEndpoint{
		ARN: env.ARN("vpc-endpoint", ssm), CIDRBlocks: []string{},
		DNSEntry: []tfstate.DNSEntry{
			{DNSName: ssmDNS + ".ssm.us-east-1.vpce.amazonaws.com", HostedZoneID: "Z7HUB22UULQXV"},
			{DNSName: ssmDNS + "-us-east-1a.ssm.us-east-1.vpce.amazonaws.com", HostedZoneID: "Z7HUB22UULQXV"},
			{DNSName: ssmDNS + "-us-east-1b.ssm.us-east-1.vpce.amazonaws.com", HostedZoneID: "Z7HUB22UULQXV"},
			{DNSName: "ssm.us-east-1.amazonaws.com", HostedZoneID: "Z0" + upper(b.hex("phz", 19))},
		},
		DNSOptions: []tfstate.DNSOptions{{DNSRecordIPType: "ipv4"}}, ID: ssm, IPAddressType: "ipv4",
		NetworkInterfaceIDs: ssmENIs, OwnerID: account, Policy: fullAccessPolicy, PrivateDNSEnabled: true,
		RouteTableIDs: []string{}, SecurityGroupIDs: []string{sgEndpoints}, ServiceName: "com.amazonaws.us-east-1.ssm",
		State: "available", SubnetConfiguration: []tfstate.EndpointSubnet{{IPv4: ssmIPs[0], SubnetID: appSubnets[0]}, {IPv4: ssmIPs[1], SubnetID: appSubnets[1]}},
		SubnetIDs: appSubnets, Tags: tfstate.Named("orders-app-ssm"),
		TagsAll: env.TagsAll(tfstate.Named("orders-app-ssm")), VPCEndpointType: "Interface", VPCID: appIDs.vpc,
	}, tfstate.PrivateVPCEndpoint, cat(appDeps, in(app, "aws_security_group.endpoints", "aws_subnet.private"))...)
	// The endpoint's interfaces, looked up so that their addresses can go
	// into an internal DNS zone: data sources, as AWS owns the interfaces.
	for i, eni := range ssmENIs {
		b.data(app, "aws_network_interface", "ssm", i, &tfstate.NetworkInterfaceData{
			ARN: env.ARN("network-interface", eni), Association: []any{}, Attachment: []any{},
			AvailabilityZone: zones[i].name, Description: "VPC Endpoint Interface " + ssm, ID: eni,
			InterfaceType: "vpc_endpoint", IPv6Addresses: []string{}, MACAddress: macAddress(b.hex("mac/"+eni, 10)),
			OwnerID: account, PrivateDNSName: env.PrivateDNS(ssmIPs[i]), PrivateIP: ssmIPs[i], PrivateIPs: []string{ssmIPs[i]},
			RequesterID: "727180483921", SecurityGroups: []string{sgEndpoints}, SubnetID: appSubnets[i], Tags: tfstate.Tags{}, VPCID: appIDs.vpc,
		})
	}
	appIPs := [2][2]string{{"10.10.0.36", "2600:1f18:6a3:e400:4c2e:91a7:3d05:8b1e"}, {"10.10.1.204", "2600:1f18:6a3:e401:9b73:2c48:e6d1:5a90"}}
	for i, z := range zones {
		inst := b.instance("app/"+itoa(i), "c6i.large", z, appSubnets[i], appIPs[i][0], "", []string{sgApp}, tfstate.Named("orders-app-"+itoa(i+1), "Role", "orders-api"))
		inst.IPv6AddressCount = 1
		inst.IPv6Addresses = []string{appIPs[i][1]}
		b.add(app, "aws_instance", "app", i, 1, inst, tfstate.PrivateInstance, cat(appDeps, in(app, "aws_security_group.app", "aws_subnet.private"))...)
	}

	// --- module.data: the orders database, reachable only over peerings.
	const data = "module.data"
	dataIDs := b.vpcIDs("data")
	dataDeps := in(data, "aws_vpc.this")
	b.add(data, "aws_vpc", "this", nil, 1, b.vpc(dataIDs, "10.20.0.0/16", tfstate.Named("orders-data")), tfstate.PrivateVPC)
	var dataSubnets []string
	for i, z := range zones {
		id := b.id("subnet", "data/db/"+z.name)
		dataSubnets = append(dataSubnets, id)
		b.add(data, "aws_subnet", "db", i, 1, env.Subnet(id, dataIDs.vpc, []string{"10.20.0.0/24", "10.20.1.0/24"}[i], z.name, z.id, false,
			tfstate.Named("orders-data-db-"+z.name[len(z.name)-1:])), tfstate.PrivateSubnet, dataDeps...)
	}
	pcxDataAnalytics := b.id("pcx", "data-analytics")
	dataRT := b.id("rtb", "data/db")
	b.add(data, "aws_route_table", "db", nil, 0, env.RouteTable(dataRT, dataIDs.vpc, routesSorted(
		rt{CIDRBlock: "10.10.0.0/24", VPCPeeringConnectionID: pcxAppData},
		rt{CIDRBlock: "10.30.0.0/16", VPCPeeringConnectionID: pcxDataAnalytics},
	), tfstate.Named("orders-data-db")), tfstate.PrivateRouteTable, dataDeps...)
	for i := range zones {
		b.add(data, "aws_route_table_association", "db", i, 0, &tfstate.RouteTableAssociation{
			ID: b.id("rtbassoc", "data/"+itoa(i)), RouteTableID: dataRT, SubnetID: dataSubnets[i],
		}, tfstate.PrivateRouteTable, cat(dataDeps, in(data, "aws_route_table.db", "aws_subnet.db"))...)
	}
	sgDB := b.id("sg", "data/db")
	b.add(data, "aws_security_group", "db", nil, 1, env.SecurityGroup(sgDB, dataIDs.vpc, "orders-data-db", "Orders PostgreSQL",
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 5432, 5432, "PostgreSQL from the order service (peered VPC)", sgApp),
			tfstate.SGRule("tcp", 5432, 5432, "PostgreSQL from analytics", "10.30.0.0/16"),
			tfstate.SGRule("tcp", 5432, 5432, "Replication", "self"),
		},
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 443, 443, "Backups to S3", s3PrefixList),
			tfstate.SGRule("tcp", 5432, 5432, "Replication", "self"),
		},
		tfstate.Named("orders-data-db")), tfstate.PrivateSecurityGroup, dataDeps...)
	vpcRule := func(module, name, dir, sg, peerKind, peer, desc string, port int, deps ...string) {
		id := b.id("sgr", module+"/"+name)
		r := &tfstate.VPCSGRule{ARN: env.ARN("security-group-rule", id), Description: desc, FromPort: port, ID: id,
			IPProtocol: "tcp", SecurityGroupID: sg, SecurityGroupRuleID: id, TagsAll: env.TagsAll(nil), ToPort: port}
		switch peerKind {
		case "cidr":
			r.CIDRIPv4 = peer
		case "sg":
			r.ReferencedSecurityGroupID = peer
		case "pl":
			r.PrefixListID = peer
		}
		b.add(module, "aws_vpc_security_group_"+dir+"_rule", name, nil, 0, r, "", deps...)
	}
	sgDeps := cat(dataDeps, in(data, "aws_security_group.db"))
	vpcRule(data, "analytics", "ingress", sgDB, "cidr", "10.30.0.0/16", "PostgreSQL from analytics", 5432, sgDeps...)
	vpcRule(data, "replication_in", "ingress", sgDB, "sg", sgDB, "Replication", 5432, sgDeps...)
	vpcRule(data, "replication_out", "egress", sgDB, "sg", sgDB, "Replication", 5432, sgDeps...)
	vpcRule(data, "backups", "egress", sgDB, "pl", s3PrefixList, "Backups to S3", 443, cat(sgDeps, []string{"data.aws_prefix_list.s3"})...)
	// The reference to the app group crosses the peering (same region, so
	// AWS accepts it); it lives in the root module, which knows both groups.
	vpcRule("", "data_from_app", "ingress", sgDB, "sg", sgApp, "PostgreSQL from the order service (peered VPC)", 5432,
		cat(in(app, "aws_security_group.app", "aws_vpc.this"), sgDeps, []string{"aws_vpc_peering_connection.app_data"})...)
	for i, z := range zones {
		inst := b.instance("data/db/"+itoa(i), "r6i.large", z, dataSubnets[i], []string{"10.20.0.55", "10.20.1.140"}[i], "", []string{sgDB},
			tfstate.Named("orders-db-"+itoa(i+1), "Role", "postgresql"))
		inst.RootBlockDevice[0].VolumeSize = 500
		b.add(data, "aws_instance", "db", i, 1, inst, tfstate.PrivateInstance, cat(dataDeps, in(data, "aws_security_group.db", "aws_subnet.db"))...)
	}

	// --- module.analytics: peered with data only.
	const an = "module.analytics"
	anIDs := b.vpcIDs("analytics")
	anDeps := in(an, "aws_vpc.this")
	b.add(an, "aws_vpc", "this", nil, 1, b.vpc(anIDs, "10.30.0.0/16", tfstate.Named("orders-analytics")), tfstate.PrivateVPC)
	anSubnet := b.id("subnet", "analytics/main")
	b.add(an, "aws_subnet", "main", nil, 1, env.Subnet(anSubnet, anIDs.vpc, "10.30.0.0/24", azA.name, azA.id, false,
		tfstate.Named("orders-analytics-a")), tfstate.PrivateSubnet, anDeps...)
	anRT := b.id("rtb", "analytics/main")
	b.add(an, "aws_route_table", "main", nil, 0, env.RouteTable(anRT, anIDs.vpc, routesSorted(
		rt{CIDRBlock: "10.20.0.0/16", VPCPeeringConnectionID: pcxDataAnalytics},
		rt{CIDRBlock: "10.10.0.0/16", VPCPeeringConnectionID: pcxDataAnalytics},
	), tfstate.Named("orders-analytics")), tfstate.PrivateRouteTable, anDeps...)
	b.add(an, "aws_route_table_association", "main", nil, 0, &tfstate.RouteTableAssociation{
		ID: b.id("rtbassoc", "analytics"), RouteTableID: anRT, SubnetID: anSubnet,
	}, tfstate.PrivateRouteTable, cat(anDeps, in(an, "aws_route_table.main", "aws_subnet.main"))...)
	sgAn := b.id("sg", "analytics/worker")
	b.add(an, "aws_security_group", "worker", nil, 1, env.SecurityGroup(sgAn, anIDs.vpc, "orders-analytics-worker", "Reporting workers", nil,
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 5432, 5432, "Orders database", "10.20.0.0/16"),
			tfstate.SGRule("tcp", 8443, 8443, "Order service API", "10.10.0.0/16"),
		}, tfstate.Named("orders-analytics-worker")), tfstate.PrivateSecurityGroup, anDeps...)
	worker := b.instance("analytics/worker", "m6i.xlarge", azA, anSubnet, "10.30.0.77", "", []string{sgAn}, tfstate.Named("orders-report-1", "Role", "reporting"))
	b.add(an, "aws_instance", "worker", nil, 1, worker, tfstate.PrivateInstance, cat(anDeps, in(an, "aws_security_group.worker", "aws_subnet.main"))...)

	// --- Peerings and their routes, in the root module.
	b.add("", "aws_vpc_peering_connection", "app_data", nil, 0, &tfstate.VPCPeeringConnection{
		AcceptStatus: "active", Accepter: []tfstate.PeeringOptions{{}}, AutoAccept: true, ID: pcxAppData,
		PeerOwnerID: account, PeerRegion: region, PeerVPCID: dataIDs.vpc, Requester: []tfstate.PeeringOptions{{}},
		Tags: tfstate.Named("orders-app-to-data"), TagsAll: env.TagsAll(tfstate.Named("orders-app-to-data")), VPCID: appIDs.vpc,
	}, tfstate.PrivateVPCPeeringConnection, cat(appDeps, dataDeps)...)
	// data → analytics is requested by data and accepted with a separate
	// resource, the way the analytics team's account would (here the same
	// account).
	b.add("", "aws_vpc_peering_connection", "data_analytics", nil, 0, &tfstate.VPCPeeringConnection{
		AcceptStatus: "active", Accepter: []tfstate.PeeringOptions{{}}, ID: pcxDataAnalytics,
		PeerOwnerID: account, PeerRegion: region, PeerVPCID: anIDs.vpc, Requester: []tfstate.PeeringOptions{{}},
		Tags: tfstate.Named("orders-data-to-analytics"), TagsAll: env.TagsAll(tfstate.Named("orders-data-to-analytics")), VPCID: dataIDs.vpc,
	}, tfstate.PrivateVPCPeeringConnection, cat(anDeps, dataDeps)...)
	b.add("", "aws_vpc_peering_connection_accepter", "data_analytics", nil, 0, &tfstate.VPCPeeringConnectionAccepter{
		AcceptStatus: "active", Accepter: []tfstate.PeeringOptions{{}}, AutoAccept: true, ID: pcxDataAnalytics,
		PeerOwnerID: account, PeerRegion: region, PeerVPCID: dataIDs.vpc, Requester: []tfstate.PeeringOptions{{}},
		Tags: tfstate.Named("orders-data-to-analytics", "Side", "accepter"), TagsAll: env.TagsAll(tfstate.Named("orders-data-to-analytics", "Side", "accepter")),
		VPCID: anIDs.vpc, VPCPeeringConnectionID: pcxDataAnalytics,
	}, tfstate.PrivateVPCPeeringConnection, cat(anDeps, dataDeps, []string{"aws_vpc_peering_connection.data_analytics"})...)

	route := func(name string, key any, table, dest, pcx string, deps ...string) {
		b.add("", "aws_route", name, key, 0, env.Route(table, rt{CIDRBlock: dest, VPCPeeringConnectionID: pcx}), tfstate.PrivateRoute, deps...)
	}
	appDataDeps := cat([]string{"aws_vpc_peering_connection.app_data"}, appDeps, dataDeps)
	anDataDeps := cat([]string{"aws_vpc_peering_connection.data_analytics", "aws_vpc_peering_connection_accepter.data_analytics"}, anDeps, dataDeps)
	route("app_to_data", nil, appRT, "10.20.0.0/16", pcxAppData, cat(appDataDeps, in(app, "aws_route_table.private"))...)
	// var.app_cidrs_for_data lists only the first app subnet: the zone-b
	// app server's replies have no way back (finding 1).
	route("data_to_app", "10.10.0.0/24", dataRT, "10.10.0.0/24", pcxAppData, cat(appDataDeps, in(data, "aws_route_table.db"))...)
	route("data_to_analytics", nil, dataRT, "10.30.0.0/16", pcxDataAnalytics, cat(anDataDeps, in(data, "aws_route_table.db"))...)
	route("analytics_to_data", nil, anRT, "10.20.0.0/16", pcxDataAnalytics, cat(anDataDeps, in(an, "aws_route_table.main"))...)
	// Someone hoped to reach the order service through data: peering is not
	// transitive, AWS drops it (finding 2).
	route("analytics_to_app", nil, anRT, "10.10.0.0/16", pcxDataAnalytics, cat(anDataDeps, in(an, "aws_route_table.main"))...)

	b.output("app_vpc_id", appIDs.vpc, "string")
	b.output("data_vpc_id", dataIDs.vpc, "string")
	b.output("analytics_vpc_id", anIDs.vpc, "string")
	b.output("ssm_endpoint_ips", ssmIPs, []any{"tuple", []any{"string", "string"}})
	return b
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c >= 'a' && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// macAddress formats 10 hex digits as an AWS interface MAC (AWS MACs start
// with 02 or 0e, locally administered).
func macAddress(h string) string {
	return "0e:" + h[0:2] + ":" + h[2:4] + ":" + h[4:6] + ":" + h[6:8] + ":" + h[8:10]
}

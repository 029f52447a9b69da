package estate

import (
	"strings"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

// hubSpoke is a transit gateway joining two spoke VPCs (prod, dev), a
// shared-services VPC that also gives the spokes their internet egress, and
// an on-premises network over a site-to-site VPN. Isolation between the
// spokes comes from the transit gateway's route tables. See
// examples/hub-spoke/README.md.
func hubSpoke() *builder {
	b := newBuilder("hub-spoke", 112, tfstate.Tags{"Owner": "platform-team", "ManagedBy": "terraform"})
	env := b.env
	zones := []az{azA, azB}
	zoneLetter := func(z az) string { return z.name[len(z.name)-1:] }

	// The hub, in the root module. Default association and propagation are
	// off: every attachment is placed explicitly, so AWS creates no default
	// route table.
	tgw := b.id("tgw", "hub")
	b.add("", "aws_ec2_transit_gateway", "hub", nil, 0, &tfstate.TransitGateway{
		AmazonSideASN: 64512, ARN: env.ARN("transit-gateway", tgw), AutoAcceptSharedAttachments: "disable",
		DefaultRouteTableAssociation: "disable", DefaultRouteTablePropagation: "disable",
		Description: "Regional hub: prod, dev, shared services, on-premises", DNSSupport: "enable", ID: tgw,
		MulticastSupport: "disable", OwnerID: account, SecurityGroupReferencingSupport: "disable",
		Tags: tfstate.Named("hub-use1"), TagsAll: env.TagsAll(tfstate.Named("hub-use1")),
		TransitGatewayCIDRBlocks: []string{}, VPNECMPSupport: "enable",
	}, tfstate.PrivateTransitGateway)
	tgwDep := []string{"aws_ec2_transit_gateway.hub"}

	// A spoke: app subnets and a /28 per zone for the attachment interfaces.
	type spokeVPC struct {
		key, cidr string
		app       [2]string // app subnet CIDRs per zone
		tgw       [2]string // attachment subnet CIDRs per zone
		ips       [2]string // one instance per app subnet
		attachAZs int       // zones the attachment covers
		vpc       string
		attach    string
	}
	spokes := []*spokeVPC{
		{key: "dev", cidr: "10.2.0.0/16", app: [2]string{"10.2.0.0/24", "10.2.1.0/24"}, tgw: [2]string{"10.2.255.0/28", "10.2.255.16/28"},
			ips: [2]string{"10.2.0.142", "10.2.1.66"}, attachAZs: 1},
		{key: "prod", cidr: "10.1.0.0/16", app: [2]string{"10.1.0.0/24", "10.1.1.0/24"}, tgw: [2]string{"10.1.255.0/28", "10.1.255.16/28"},
			ips: [2]string{"10.1.0.23", "10.1.1.87"}, attachAZs: 2},
	}
	for _, s := range spokes {
		mod := `module.spoke["` + s.key + `"]`
		ids := b.vpcIDs(s.key)
		s.vpc = ids.vpc
		vpcDeps := in(mod, "aws_vpc.this")
		name := s.key + "-use1"
		b.add(mod, "aws_vpc", "this", nil, 1, b.vpc(ids, s.cidr, tfstate.Named(name, "Environment", s.key)), tfstate.PrivateVPC)
		var appSubnets, tgwSubnets []string
		for i, z := range zones {
			app := b.id("subnet", s.key+"/app/"+z.name)
			appSubnets = append(appSubnets, app)
			b.add(mod, "aws_subnet", "app", i, 1, env.Subnet(app, ids.vpc, s.app[i], z.name, z.id, false,
				tfstate.Named(name+"-app-"+zoneLetter(z), "Environment", s.key, "Tier", "app")), tfstate.PrivateSubnet, vpcDeps...)
			t := b.id("subnet", s.key+"/tgw/"+z.name)
			tgwSubnets = append(tgwSubnets, t)
			b.add(mod, "aws_subnet", "tgw", i, 1, env.Subnet(t, ids.vpc, s.tgw[i], z.name, z.id, false,
				tfstate.Named(name+"-tgw-"+zoneLetter(z), "Environment", s.key, "Tier", "transit")), tfstate.PrivateSubnet, vpcDeps...)
		}
		// The attachment takes one subnet per zone it serves. dev's module
		// call passes attachment_az_count = 1 (a cost-saving leftover), so
		// its zone-b app subnet has no way into the hub.
		s.attach = b.id("tgw-attach", s.key)
		b.add(mod, "aws_ec2_transit_gateway_vpc_attachment", "this", nil, 0, &tfstate.TGWVPCAttachment{
			ApplianceModeSupport: "disable", ARN: env.ARN("transit-gateway-attachment", s.attach), DNSSupport: "enable",
			ID: s.attach, IPv6Support: "disable", SecurityGroupReferencingSupport: "disable", SubnetIDs: tgwSubnets[:s.attachAZs],
			Tags: tfstate.Named(name, "Environment", s.key), TagsAll: env.TagsAll(tfstate.Named(name, "Environment", s.key)),
			TransitGatewayID: tgw, VPCID: ids.vpc, VPCOwnerID: account,
		}, tfstate.PrivateTransitGateway, cat(tgwDep, vpcDeps, in(mod, "aws_subnet.tgw"))...)

		// Everything that is not local goes to the hub; its route tables
		// decide where it may go.
		appRT := b.id("rtb", s.key+"/app")
		toHub := rt{CIDRBlock: "0.0.0.0/0", TransitGatewayID: tgw}
		b.add(mod, "aws_route_table", "app", nil, 0, env.RouteTable(appRT, ids.vpc, routesSorted(toHub), tfstate.Named(name+"-app")),
			tfstate.PrivateRouteTable, vpcDeps...)
		b.add(mod, "aws_route", "default_to_hub", nil, 0, env.Route(appRT, toHub), tfstate.PrivateRoute,
			cat(tgwDep, vpcDeps, in(mod, "aws_ec2_transit_gateway_vpc_attachment.this", "aws_route_table.app", "aws_subnet.tgw"))...)
		tgwRT := b.id("rtb", s.key+"/tgw")
		b.add(mod, "aws_route_table", "tgw", nil, 0, env.RouteTable(tgwRT, ids.vpc, nil, tfstate.Named(name+"-tgw")),
			tfstate.PrivateRouteTable, vpcDeps...)
		for i := range zones {
			b.add(mod, "aws_route_table_association", "app", i, 0, &tfstate.RouteTableAssociation{
				ID: b.id("rtbassoc", s.key+"/app/"+itoa(i)), RouteTableID: appRT, SubnetID: appSubnets[i],
			}, tfstate.PrivateRouteTable, cat(vpcDeps, in(mod, "aws_route_table.app", "aws_subnet.app"))...)
			b.add(mod, "aws_route_table_association", "tgw", i, 0, &tfstate.RouteTableAssociation{
				ID: b.id("rtbassoc", s.key+"/tgw/"+itoa(i)), RouteTableID: tgwRT, SubnetID: tgwSubnets[i],
			}, tfstate.PrivateRouteTable, cat(vpcDeps, in(mod, "aws_route_table.tgw", "aws_subnet.tgw"))...)
		}

		sg := b.id("sg", s.key+"/app")
		b.add(mod, "aws_security_group", "app", nil, 1, env.SecurityGroup(sg, ids.vpc, name+"-app", "App servers of "+s.key,
			[]tfstate.SecurityGroupRule{
				tfstate.SGRule("tcp", 443, 443, "HTTPS from internal networks", "10.0.0.0/8", "192.168.0.0/16"),
				tfstate.SGRule("tcp", 22, 22, "SSH from shared-services jump hosts", "10.100.0.0/16"),
				tfstate.SGRule("icmp", -1, -1, "ICMP from internal networks", "10.0.0.0/8", "192.168.0.0/16"),
			},
			[]tfstate.SecurityGroupRule{tfstate.SGRule("-1", 0, 0, "", "0.0.0.0/0")},
			tfstate.Named(name+"-app")), tfstate.PrivateSecurityGroup, vpcDeps...)
		for i, z := range zones {
			inst := b.instance(s.key+"/app/"+itoa(i), "t3.medium", z, appSubnets[i], s.ips[i], "", []string{sg},
				tfstate.Named(s.key+"-app-"+itoa(i+1), "Environment", s.key))
			b.add(mod, "aws_instance", "app", i, 1, inst, tfstate.PrivateInstance, cat(vpcDeps, in(mod, "aws_security_group.app", "aws_subnet.app"))...)
		}
	}

	// Shared services: directory servers, and the egress path of the whole
	// estate (attachment subnets → NAT gateway → internet gateway).
	const sh = "module.shared"
	shIDs := b.vpcIDs("shared")
	shDeps := in(sh, "aws_vpc.this")
	b.add(sh, "aws_vpc", "this", nil, 1, b.vpc(shIDs, "10.100.0.0/16", tfstate.Named("shared-use1", "Environment", "shared")), tfstate.PrivateVPC)
	igw := b.id("igw", "shared")
	b.add(sh, "aws_internet_gateway", "this", nil, 0, env.InternetGateway(igw, shIDs.vpc, tfstate.Named("shared-use1-igw")),
		tfstate.PrivateInternetGateway, shDeps...)
	shSubnets := map[string][]string{}
	for _, t := range []struct {
		tier   string
		cidrs  [2]string
		public bool
	}{
		{"public", [2]string{"10.100.0.0/24", "10.100.1.0/24"}, true},
		{"services", [2]string{"10.100.10.0/24", "10.100.11.0/24"}, false},
		{"tgw", [2]string{"10.100.255.0/28", "10.100.255.16/28"}, false},
	} {
		for i, z := range zones {
			id := b.id("subnet", "shared/"+t.tier+"/"+z.name)
			shSubnets[t.tier] = append(shSubnets[t.tier], id)
			b.add(sh, "aws_subnet", t.tier, i, 1, env.Subnet(id, shIDs.vpc, t.cidrs[i], z.name, z.id, t.public,
				tfstate.Named("shared-use1-"+t.tier+"-"+zoneLetter(z), "Tier", t.tier)), tfstate.PrivateSubnet, shDeps...)
		}
	}
	natAlloc, natAssoc, natENI, nat := b.id("eipalloc", "shared/nat"), b.id("eipassoc", "shared/nat"), b.id("eni", "shared/nat"), b.id("nat", "shared")
	const natPrivate, natPublic = "10.100.0.87", "54.164.22.201"
	b.add(sh, "aws_eip", "nat", nil, 0, env.EIP(natAlloc, natAssoc, natPublic, natENI, "", natPrivate, tfstate.Named("shared-use1-nat")),
		tfstate.PrivateEIP, cat(shDeps, in(sh, "aws_internet_gateway.this"))...)
	b.add(sh, "aws_nat_gateway", "egress", nil, 0, env.NATGateway(nat, shSubnets["public"][0], natAlloc, natAssoc, natENI, natPrivate, natPublic,
		tfstate.Named("shared-use1-nat")), tfstate.PrivateNATGateway, cat(shDeps, in(sh, "aws_eip.nat", "aws_internet_gateway.this", "aws_subnet.public"))...)
	shAttach := b.id("tgw-attach", "shared")
	b.add(sh, "aws_ec2_transit_gateway_vpc_attachment", "this", nil, 0, &tfstate.TGWVPCAttachment{
		ApplianceModeSupport: "enable", ARN: env.ARN("transit-gateway-attachment", shAttach), DNSSupport: "enable",
		ID: shAttach, IPv6Support: "disable", SecurityGroupReferencingSupport: "disable", SubnetIDs: shSubnets["tgw"],
		Tags: tfstate.Named("shared-use1"), TagsAll: env.TagsAll(tfstate.Named("shared-use1")),
		TransitGatewayID: tgw, VPCID: shIDs.vpc, VPCOwnerID: account,
	}, tfstate.PrivateTransitGateway, cat(tgwDep, shDeps, in(sh, "aws_subnet.tgw"))...)

	internal := []rt{{CIDRBlock: "10.0.0.0/8", TransitGatewayID: tgw}, {CIDRBlock: "192.168.0.0/16", TransitGatewayID: tgw}}
	shRT := map[string]string{"public": b.id("rtb", "shared/public"), "services": b.id("rtb", "shared/services"), "tgw": b.id("rtb", "shared/tgw")}
	shRoutes := map[string][]rt{
		// Replies to the spokes' NATed connections leave the NAT gateway's
		// subnet through the hub.
		"public":   routesSorted(append([]rt{{CIDRBlock: "0.0.0.0/0", GatewayID: igw}}, internal...)...),
		"services": routesSorted(append([]rt{{CIDRBlock: "0.0.0.0/0", NATGatewayID: nat}}, internal...)...),
		// Spoke traffic for the internet arrives on the attachment
		// interfaces and is handed to the NAT gateway.
		"tgw": routesSorted(rt{CIDRBlock: "0.0.0.0/0", NATGatewayID: nat}),
	}
	for _, tier := range []string{"public", "services", "tgw"} {
		deps := map[string][]string{
			"public":   cat(tgwDep, shDeps, in(sh, "aws_internet_gateway.this")),
			"services": cat(tgwDep, shDeps, in(sh, "aws_eip.nat", "aws_internet_gateway.this", "aws_nat_gateway.egress", "aws_subnet.public")),
			"tgw":      cat(shDeps, in(sh, "aws_eip.nat", "aws_internet_gateway.this", "aws_nat_gateway.egress", "aws_subnet.public")),
		}[tier]
		b.add(sh, "aws_route_table", tier, nil, 0, env.RouteTable(shRT[tier], shIDs.vpc, shRoutes[tier], tfstate.Named("shared-use1-"+tier)),
			tfstate.PrivateRouteTable, deps...)
		for i := range zones {
			b.add(sh, "aws_route_table_association", tier, i, 0, &tfstate.RouteTableAssociation{
				ID: b.id("rtbassoc", "shared/"+tier+"/"+itoa(i)), RouteTableID: shRT[tier], SubnetID: shSubnets[tier][i],
			}, tfstate.PrivateRouteTable, cat(deps, in(sh, "aws_route_table."+tier, "aws_subnet."+tier))...)
		}
	}
	dirSG := b.id("sg", "shared/directory")
	internalPeers := []string{"10.0.0.0/8", "192.168.0.0/16"}
	b.add(sh, "aws_security_group", "directory", nil, 1, env.SecurityGroup(dirSG, shIDs.vpc, "shared-use1-directory", "Active Directory domain controllers",
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 53, 53, "DNS", internalPeers...),
			tfstate.SGRule("udp", 53, 53, "DNS", internalPeers...),
			tfstate.SGRule("tcp", 88, 88, "Kerberos", internalPeers...),
			tfstate.SGRule("udp", 88, 88, "Kerberos", internalPeers...),
			tfstate.SGRule("tcp", 389, 389, "LDAP", internalPeers...),
			tfstate.SGRule("udp", 389, 389, "LDAP", internalPeers...),
			tfstate.SGRule("tcp", 445, 445, "SMB", internalPeers...),
			tfstate.SGRule("tcp", 636, 636, "LDAPS", internalPeers...),
			tfstate.SGRule("tcp", 3268, 3269, "Global catalog", internalPeers...),
			tfstate.SGRule("tcp", 49152, 65535, "RPC dynamic ports", internalPeers...),
			tfstate.SGRule("icmp", -1, -1, "ICMP", internalPeers...),
		},
		[]tfstate.SecurityGroupRule{tfstate.SGRule("-1", 0, 0, "", "0.0.0.0/0")},
		tfstate.Named("shared-use1-directory")), tfstate.PrivateSecurityGroup, shDeps...)
	for i, ip := range []string{"10.100.10.10", "10.100.11.10"} {
		inst := b.instance("shared/dc/"+itoa(i), "m6i.large", zones[i], shSubnets["services"][i], ip, "", []string{dirSG},
			tfstate.Named("ad-dc-"+itoa(i+1), "Role", "domain-controller"))
		// Windows Server 2022, for Active Directory.
		inst.AMI = "ami-0c4e27b0c52857dd6"
		inst.RootBlockDevice[0].DeviceName = "/dev/sda1"
		inst.RootBlockDevice[0].VolumeSize = 100
		b.add(sh, "aws_instance", "directory", i, 1, inst, tfstate.PrivateInstance, cat(shDeps, in(sh, "aws_security_group.directory", "aws_subnet.services"))...)
	}

	// The site-to-site VPN, static routing, terminated on the hub.
	cgw := b.id("cgw", "onprem")
	b.add("", "aws_customer_gateway", "onprem", nil, 0, &tfstate.CustomerGateway{
		ARN: env.ARN("customer-gateway", cgw), BGPASN: "65010", DeviceName: "edge-fw-01", ID: cgw, IPAddress: "203.0.113.12",
		Tags: tfstate.Named("onprem-dc1"), TagsAll: env.TagsAll(tfstate.Named("onprem-dc1")), Type: "ipsec.1",
	}, tfstate.PrivateNull)
	vpn, vpnAttach := b.id("vpn", "onprem"), b.id("tgw-attach", "vpn")
	b.addInstance("managed", "", "aws_vpn_connection", "onprem", tfstate.Instance{
		SchemaVersion: 1, Attributes: vpnConnection(b, vpn, vpnAttach, tgw, cgw),
		SensitiveAttributes: []tfstate.Path{tfstate.AttrPath("customer_gateway_configuration"),
			tfstate.AttrPath("tunnel1_preshared_key"), tfstate.AttrPath("tunnel2_preshared_key")},
		Private: tfstate.PrivateVPNConnection, Dependencies: []string{"aws_customer_gateway.onprem", "aws_ec2_transit_gateway.hub"},
	})

	// Transit gateway route tables: "spokes" for prod and dev, "shared" for
	// shared services and the VPN.
	rtSpokes, rtShared := b.id("tgw-rtb", "spokes"), b.id("tgw-rtb", "shared")
	for _, t := range []struct{ name, id string }{{"shared", rtShared}, {"spokes", rtSpokes}} {
		b.add("", "aws_ec2_transit_gateway_route_table", t.name, nil, 0, &tfstate.TGWRouteTable{
			ARN: env.ARN("transit-gateway-route-table", t.id), ID: t.id, Tags: tfstate.Named("hub-use1-" + t.name),
			TagsAll: env.TagsAll(tfstate.Named("hub-use1-" + t.name)), TransitGatewayID: tgw,
		}, tfstate.PrivateNull, tgwDep...)
	}
	no := false
	link := func(kind, name string, key any, table, attach, resID, resType string, deps ...string) {
		l := &tfstate.TGWRouteTableLink{ID: table + "_" + attach, ResourceID: resID, ResourceType: resType,
			TransitGatewayAttachmentID: attach, TransitGatewayRouteTableID: table}
		if kind == "association" {
			l.ReplaceExistingAssociation = &no
		}
		b.add("", "aws_ec2_transit_gateway_route_table_"+kind, name, key, 0, l, tfstate.PrivateNull, cat(tgwDep, deps)...)
	}
	spokeDeps := in(`module.spoke`, "aws_ec2_transit_gateway_vpc_attachment.this", "aws_subnet.tgw", "aws_vpc.this")
	sharedDeps := in(sh, "aws_ec2_transit_gateway_vpc_attachment.this", "aws_subnet.tgw", "aws_vpc.this")
	vpnDeps := []string{"aws_customer_gateway.onprem", "aws_vpn_connection.onprem"}
	for _, s := range spokes {
		link("association", "spoke", s.key, rtSpokes, s.attach, s.vpc, "vpc", cat([]string{"aws_ec2_transit_gateway_route_table.spokes"}, spokeDeps)...)
		link("propagation", "spoke_to_shared", s.key, rtShared, s.attach, s.vpc, "vpc", cat([]string{"aws_ec2_transit_gateway_route_table.shared"}, spokeDeps)...)
	}
	link("association", "shared", nil, rtShared, shAttach, shIDs.vpc, "vpc", cat([]string{"aws_ec2_transit_gateway_route_table.shared"}, sharedDeps)...)
	link("association", "vpn", nil, rtShared, vpnAttach, vpn, "vpn", cat([]string{"aws_ec2_transit_gateway_route_table.shared"}, vpnDeps)...)
	link("propagation", "shared_to_spokes", nil, rtSpokes, shAttach, shIDs.vpc, "vpc", cat([]string{"aws_ec2_transit_gateway_route_table.spokes"}, sharedDeps)...)
	// Shared services propagate into their own table too, for the VPN
	// attachment associated with it.
	link("propagation", "shared_to_shared", nil, rtShared, shAttach, shIDs.vpc, "vpc", cat([]string{"aws_ec2_transit_gateway_route_table.shared"}, sharedDeps)...)

	route := func(name, table, dest, attach string, deps ...string) {
		r := &tfstate.TGWRoute{DestinationCIDRBlock: dest, ID: table + "_" + dest, TransitGatewayAttachmentID: attach, TransitGatewayRouteTableID: table}
		if attach == "" {
			r.Blackhole = true
		}
		b.add("", "aws_ec2_transit_gateway_route", name, nil, 0, r, tfstate.PrivateNull, cat(tgwDep, deps)...)
	}
	// The spokes' internet traffic goes to shared services; the aggregate
	// blackhole stops prod and dev from reaching each other through that
	// default route, while the propagated 10.100.0.0/16 (more specific)
	// still reaches shared services.
	route("spokes_default", rtSpokes, "0.0.0.0/0", shAttach, cat([]string{"aws_ec2_transit_gateway_route_table.spokes"}, sharedDeps)...)
	route("spokes_isolation", rtSpokes, "10.0.0.0/8", "", "aws_ec2_transit_gateway_route_table.spokes")
	route("spokes_onprem", rtSpokes, "192.168.0.0/16", vpnAttach, cat([]string{"aws_ec2_transit_gateway_route_table.spokes"}, vpnDeps)...)
	route("shared_onprem", rtShared, "192.168.0.0/16", vpnAttach, cat([]string{"aws_ec2_transit_gateway_route_table.shared"}, vpnDeps)...)

	b.output("transit_gateway_id", tgw, "string")
	b.output("vpn_tunnel_addresses", []string{"3.232.115.9", "34.199.41.150"}, []any{"tuple", []any{"string", "string"}})
	b.output("directory_dns_servers", []string{"10.100.10.10", "10.100.11.10"}, []any{"tuple", []any{"string", "string"}})
	return b
}

// vpnConnection returns the attributes of an aws_vpn_connection on a
// transit gateway with static routing. The type has over a hundred
// attributes; a map keeps them sorted by the encoder.
func vpnConnection(b *builder, id, attach, tgw, cgw string) map[string]any {
	tunnels := [2]struct{ outside, inside, cgwInside, vgwInside string }{
		{"3.232.115.9", "169.254.21.0/30", "169.254.21.2", "169.254.21.1"},
		{"34.199.41.150", "169.254.22.0/30", "169.254.22.2", "169.254.22.1"},
	}
	a := map[string]any{
		"arn": b.env.ARN("vpn-connection", id), "core_network_arn": "", "core_network_attachment_arn": "",
		"customer_gateway_configuration": customerGatewayConfig(id, cgw, tunnels[0].outside, tunnels[1].outside),
		"customer_gateway_id":            cgw, "enable_acceleration": false, "id": id,
		"local_ipv4_network_cidr": "10.0.0.0/8", "local_ipv6_network_cidr": "", "outside_ip_address_type": "PublicIpv4",
		"remote_ipv4_network_cidr": "192.168.0.0/16", "remote_ipv6_network_cidr": "", "routes": []any{},
		"static_routes_only": true, "tags": tfstate.Named("onprem-dc1"), "tags_all": b.env.TagsAll(tfstate.Named("onprem-dc1")),
		"transit_gateway_attachment_id": attach, "transit_gateway_id": tgw, "transport_transit_gateway_attachment_id": "",
		"tunnel_inside_ip_version": "ipv4", "type": "ipsec.1", "vpn_gateway_id": "",
	}
	var telemetry []any
	for i, t := range tunnels {
		p := "tunnel" + itoa(i+1) + "_"
		for k, v := range map[string]any{
			"address": t.outside, "bgp_asn": "", "bgp_holdtime": 0, "cgw_inside_address": t.cgwInside,
			"dpd_timeout_action": "clear", "dpd_timeout_seconds": 30, "enable_tunnel_lifecycle_control": false,
			"ike_versions": []string{"ikev2"}, "inside_cidr": t.inside, "inside_ipv6_cidr": "",
			"log_options":             []any{map[string]any{"cloudwatch_log_options": []any{map[string]any{"log_enabled": false, "log_group_arn": "", "log_output_format": ""}}}},
			"phase1_dh_group_numbers": []int{20, 21}, "phase1_encryption_algorithms": []string{"AES256", "AES256-GCM-16"},
			"phase1_integrity_algorithms": []string{"SHA2-384", "SHA2-512"}, "phase1_lifetime_seconds": 28800,
			"phase2_dh_group_numbers": []int{20, 21}, "phase2_encryption_algorithms": []string{"AES256", "AES256-GCM-16"},
			"phase2_integrity_algorithms": []string{"SHA2-384", "SHA2-512"}, "phase2_lifetime_seconds": 3600,
			"preshared_key": b.hex("psk"+itoa(i), 32), "rekey_fuzz_percentage": 100, "rekey_margin_time_seconds": 540,
			"replay_window_size": 1024, "startup_action": "add", "vgw_inside_address": t.vgwInside,
		} {
			a[p+k] = v
		}
		telemetry = append(telemetry, map[string]any{
			"accepted_route_count": 0, "certificate_arn": "", "last_status_change": "2024-09-18T07:41:12Z",
			"outside_ip_address": t.outside, "status": "UP", "status_message": "",
		})
	}
	a["vgw_telemetry"] = telemetry
	return a
}

// customerGatewayConfig is the (abridged) XML AWS returns for the
// on-premises side; Terraform stores it, marked sensitive.
func customerGatewayConfig(vpn, cgw, out1, out2 string) string {
	var s strings.Builder
	s.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	s.WriteString(`<vpn_connection id="` + vpn + `"><customer_gateway_id>` + cgw + `</customer_gateway_id>`)
	s.WriteString(`<vpn_connection_type>ipsec.1</vpn_connection_type><vpn_gateway_id></vpn_gateway_id>`)
	for i, out := range []string{out1, out2} {
		n := itoa(i + 1)
		s.WriteString(`<ipsec_tunnel><customer_gateway><tunnel_outside_address><ip_address>203.0.113.12</ip_address></tunnel_outside_address>`)
		s.WriteString(`<tunnel_inside_address><ip_address>169.254.2` + n + `.2</ip_address><network_mask>255.255.255.252</network_mask><network_cidr>30</network_cidr></tunnel_inside_address></customer_gateway>`)
		s.WriteString(`<vpn_gateway><tunnel_outside_address><ip_address>` + out + `</ip_address></tunnel_outside_address>`)
		s.WriteString(`<tunnel_inside_address><ip_address>169.254.2` + n + `.1</ip_address><network_mask>255.255.255.252</network_mask><network_cidr>30</network_cidr></tunnel_inside_address></vpn_gateway>`)
		s.WriteString(`<ike><authentication_protocol>sha2-384</authentication_protocol><encryption_protocol>aes-256</encryption_protocol><lifetime>28800</lifetime><perfect_forward_secrecy>group20</perfect_forward_secrecy><mode>main</mode></ike></ipsec_tunnel>`)
	}
	s.WriteString(`</vpn_connection>`)
	return s.String()
}

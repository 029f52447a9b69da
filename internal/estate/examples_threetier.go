package estate

import (
	"fmt"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

// threeTier is a web application in one VPC over two zones: an internet
// facing ALB and a bastion in public subnets, app servers in private subnets
// behind one NAT gateway per zone, databases in isolated subnets with their
// own network ACL. See examples/three-tier/README.md for the flows and the
// planted mistakes.
func threeTier() *builder {
	b := newBuilder("three-tier", 58, tfstate.Tags{"Project": "shop", "Environment": "prod", "ManagedBy": "terraform"})
	env := b.env
	const net = "module.network"
	ids := b.vpcIDs("shop")
	vpcDeps := in(net, "aws_vpc.this")

	b.availabilityZones(net)
	b.add(net, "aws_vpc", "this", nil, 1, b.vpc(ids, "10.0.0.0/16", tfstate.Named("shop-prod")), tfstate.PrivateVPC)

	igw := b.id("igw", "shop")
	b.add(net, "aws_internet_gateway", "this", nil, 0, env.InternetGateway(igw, ids.vpc, tfstate.Named("shop-prod-igw")),
		tfstate.PrivateInternetGateway, vpcDeps...)

	type tier struct {
		name   string
		cidrs  [2]string
		public bool
	}
	tiers := []tier{
		{"public", [2]string{"10.0.0.0/24", "10.0.1.0/24"}, true},
		{"app", [2]string{"10.0.10.0/24", "10.0.11.0/24"}, false},
		{"db", [2]string{"10.0.20.0/24", "10.0.21.0/24"}, false},
	}
	zones := []az{azA, azB}
	subnet := map[string]string{} // "public/us-east-1a" → subnet ID
	for _, t := range tiers {
		for i, z := range zones {
			id := b.id("subnet", t.name+"/"+z.name)
			subnet[t.name+"/"+z.name] = id
			b.add(net, "aws_subnet", t.name, z.name, 1,
				env.Subnet(id, ids.vpc, t.cidrs[i], z.name, z.id, t.public, tfstate.Named("shop-prod-"+t.name+"-"+z.name[len(z.name)-1:], "Tier", t.name)),
				tfstate.PrivateSubnet, cat(vpcDeps, in(net, "data.aws_availability_zones.available"))...)
		}
	}

	// One NAT gateway per zone, so that losing a zone does not cut the other
	// zone's app servers off the internet.
	natIP := map[string][2]string{ // private, public
		azA.name: {"10.0.0.124", "3.215.77.141"},
		azB.name: {"10.0.1.38", "52.4.188.27"},
	}
	nat := map[string]string{}
	for _, z := range zones {
		alloc, assoc, eni := b.id("eipalloc", "nat/"+z.name), b.id("eipassoc", "nat/"+z.name), b.id("eni", "nat/"+z.name)
		ip := natIP[z.name]
		b.add(net, "aws_eip", "nat", z.name, 0,
			env.EIP(alloc, assoc, ip[1], eni, "", ip[0], tfstate.Named("shop-prod-nat-"+z.name[len(z.name)-1:])),
			tfstate.PrivateEIP, cat(vpcDeps, in(net, "aws_internet_gateway.this"))...)
		nat[z.name] = b.id("nat", z.name)
		b.add(net, "aws_nat_gateway", "this", z.name, 0,
			env.NATGateway(nat[z.name], subnet["public/"+z.name], alloc, assoc, eni, ip[0], ip[1], tfstate.Named("shop-prod-nat-"+z.name[len(z.name)-1:])),
			tfstate.PrivateNATGateway, cat(vpcDeps, in(net, "aws_eip.nat", "aws_internet_gateway.this", "aws_subnet.public", "data.aws_availability_zones.available"))...)
	}

	// Route tables. The public table's default route is a standalone
	// aws_route; the provider reads it back into the table's route set too.
	publicRT := b.id("rtb", "public")
	toIGW := rt{CIDRBlock: "0.0.0.0/0", GatewayID: igw}
	b.add(net, "aws_route_table", "public", nil, 0, env.RouteTable(publicRT, ids.vpc, routesSorted(toIGW), tfstate.Named("shop-prod-public")),
		tfstate.PrivateRouteTable, vpcDeps...)
	b.add(net, "aws_route", "public_internet", nil, 0, env.Route(publicRT, toIGW), tfstate.PrivateRoute,
		cat(vpcDeps, in(net, "aws_internet_gateway.this", "aws_route_table.public"))...)
	appRT := map[string]string{}
	for _, z := range zones {
		appRT[z.name] = b.id("rtb", "app/"+z.name)
		b.add(net, "aws_route_table", "app", z.name, 0,
			env.RouteTable(appRT[z.name], ids.vpc, routesSorted(rt{CIDRBlock: "0.0.0.0/0", NATGatewayID: nat[z.name]}), tfstate.Named("shop-prod-app-"+z.name[len(z.name)-1:])),
			tfstate.PrivateRouteTable, cat(vpcDeps, in(net, "aws_eip.nat", "aws_internet_gateway.this", "aws_nat_gateway.this", "aws_subnet.public", "data.aws_availability_zones.available"))...)
	}
	dbRT := b.id("rtb", "db")
	b.add(net, "aws_route_table", "db", nil, 0, env.RouteTable(dbRT, ids.vpc, nil, tfstate.Named("shop-prod-db")),
		tfstate.PrivateRouteTable, vpcDeps...)
	for _, z := range zones {
		for _, a := range []struct{ tier, table string }{{"public", publicRT}, {"app", appRT[z.name]}, {"db", dbRT}} {
			tableAddr := "aws_route_table." + a.tier
			b.add(net, "aws_route_table_association", a.tier, z.name, 0, &tfstate.RouteTableAssociation{
				ID: b.id("rtbassoc", a.tier+"/"+z.name), RouteTableID: a.table, SubnetID: subnet[a.tier+"/"+z.name],
			}, tfstate.PrivateRouteTable, cat(vpcDeps, in(net, tableAddr, "aws_subnet."+a.tier, "data.aws_availability_zones.available"))...)
		}
	}

	// The database subnets' network ACL. Its return rules to the app subnets
	// stop at 32767: Linux clients pick source ports from 32768-60999, so
	// most replies from the databases are dropped (finding 3).
	dbACL := b.id("acl", "db")
	b.add(net, "aws_network_acl", "db", nil, 0, env.NetworkACL(dbACL, ids.vpc,
		[]string{subnet["db/"+azA.name], subnet["db/"+azB.name]},
		[]tfstate.NetworkACLEntry{
			tfstate.ACLEntry(100, "allow", "6", "10.0.10.0/24", 5432, 5432),
			tfstate.ACLEntry(110, "allow", "6", "10.0.11.0/24", 5432, 5432),
			tfstate.ACLEntry(120, "allow", "6", "10.0.0.0/24", 22, 22),
			tfstate.ACLEntry(130, "allow", "6", "10.0.20.0/23", 5432, 5432),
			tfstate.ACLEntry(140, "allow", "6", "10.0.20.0/23", 1024, 65535),
		},
		[]tfstate.NetworkACLEntry{
			tfstate.ACLEntry(100, "allow", "6", "10.0.10.0/24", 1024, 32767),
			tfstate.ACLEntry(110, "allow", "6", "10.0.11.0/24", 1024, 32767),
			tfstate.ACLEntry(120, "allow", "6", "10.0.0.0/24", 1024, 65535),
			tfstate.ACLEntry(130, "allow", "6", "10.0.20.0/23", 5432, 5432),
			tfstate.ACLEntry(140, "allow", "6", "10.0.20.0/23", 1024, 65535),
		},
		tfstate.Named("shop-prod-db")), tfstate.PrivateNull, cat(vpcDeps, in(net, "aws_subnet.db", "data.aws_availability_zones.available"))...)

	// S3 gateway endpoint on the app route tables: AWS adds a route to the S3
	// prefix list to each, which beats their 0.0.0.0/0 NAT route.
	s3 := b.id("vpce", "s3")
	b.add(net, "aws_vpc_endpoint", "s3", nil, 0, &tfstate.VPCEndpoint{
		ARN: env.ARN("vpc-endpoint", s3), CIDRBlocks: s3CIDRs(), DNSEntry: []tfstate.DNSEntry{}, DNSOptions: []tfstate.DNSOptions{},
		ID: s3, NetworkInterfaceIDs: []string{}, OwnerID: account, Policy: fullAccessPolicy, PrefixListID: s3PrefixList,
		RouteTableIDs: []string{appRT[azA.name], appRT[azB.name]}, SecurityGroupIDs: []string{},
		ServiceName: "com.amazonaws.us-east-1.s3", State: "available", SubnetConfiguration: []tfstate.EndpointSubnet{}, SubnetIDs: []string{},
		Tags: tfstate.Named("shop-prod-s3"), TagsAll: env.TagsAll(tfstate.Named("shop-prod-s3")), VPCEndpointType: "Gateway", VPCID: ids.vpc,
	}, tfstate.PrivateVPCEndpoint, cat(vpcDeps, in(net, "aws_eip.nat", "aws_internet_gateway.this", "aws_nat_gateway.this", "aws_route_table.app", "aws_subnet.public", "data.aws_availability_zones.available"))...)

	// Security groups, in the root module. ALB and bastion use inline rules;
	// app uses aws_vpc_security_group_*_rule, db aws_security_group_rule.
	// The provider reads every rule back into the group's ingress/egress.
	sgALB, sgBastion, sgApp, sgDB := b.id("sg", "alb"), b.id("sg", "bastion"), b.id("sg", "app"), b.id("sg", "db")
	netDeps := in(net, "aws_vpc.this")
	b.add("", "aws_security_group", "alb", nil, 1, env.SecurityGroup(sgALB, ids.vpc, "shop-prod-alb", "Public HTTP(S) to the load balancer",
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 443, 443, "HTTPS from anywhere", "0.0.0.0/0"),
			tfstate.SGRule("tcp", 80, 80, "HTTP from anywhere (redirected to HTTPS)", "0.0.0.0/0"),
		},
		[]tfstate.SecurityGroupRule{tfstate.SGRule("tcp", 8080, 8080, "To the app servers", sgApp)},
		tfstate.Named("shop-prod-alb")), tfstate.PrivateSecurityGroup, cat(netDeps, []string{"aws_security_group.app"})...)
	b.add("", "aws_security_group", "bastion", nil, 1, env.SecurityGroup(sgBastion, ids.vpc, "shop-prod-bastion", "SSH jump host",
		[]tfstate.SecurityGroupRule{tfstate.SGRule("tcp", 22, 22, "SSH from the office VPN (TODO restrict)", "0.0.0.0/0")},
		[]tfstate.SecurityGroupRule{tfstate.SGRule("-1", 0, 0, "", "0.0.0.0/0")},
		tfstate.Named("shop-prod-bastion")), tfstate.PrivateSecurityGroup, netDeps...)
	b.add("", "aws_security_group", "app", nil, 1, env.SecurityGroup(sgApp, ids.vpc, "shop-prod-app", "App servers",
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 8080, 8080, "From the load balancer", sgALB),
			tfstate.SGRule("tcp", 8080, 8080, "Temporary: health-check debugging", "0.0.0.0/0"),
			tfstate.SGRule("tcp", 22, 22, "SSH from the bastion", sgBastion),
		},
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 443, 443, "HTTPS out (package mirrors, S3, APIs)", "0.0.0.0/0"),
			tfstate.SGRule("tcp", 5432, 5432, "PostgreSQL", sgDB),
		},
		tfstate.Named("shop-prod-app")), tfstate.PrivateSecurityGroup, netDeps...)
	b.add("", "aws_security_group", "db", nil, 1, env.SecurityGroup(sgDB, ids.vpc, "shop-prod-db", "PostgreSQL servers",
		[]tfstate.SecurityGroupRule{
			tfstate.SGRule("tcp", 5432, 5432, "PostgreSQL from the app servers", sgApp),
			tfstate.SGRule("tcp", 5432, 5432, "Streaming replication", "self"),
			tfstate.SGRule("tcp", 22, 22, "SSH from the bastion", sgBastion),
		},
		[]tfstate.SecurityGroupRule{tfstate.SGRule("tcp", 5432, 5432, "Streaming replication", "self")},
		tfstate.Named("shop-prod-db")), tfstate.PrivateSecurityGroup, netDeps...)

	vpcRule := func(name, dir, sg, proto string, port int, desc, peerKind, peer string) {
		id := b.id("sgr", name)
		r := &tfstate.VPCSGRule{ARN: env.ARN("security-group-rule", id), Description: desc, FromPort: port, ID: id,
			IPProtocol: proto, SecurityGroupID: sg, SecurityGroupRuleID: id, TagsAll: env.TagsAll(nil), ToPort: port}
		deps := []string{"aws_security_group.app"}
		switch peerKind {
		case "cidr":
			r.CIDRIPv4 = peer
		case "sg":
			r.ReferencedSecurityGroupID = peer
			deps = append(deps, map[string]string{sgALB: "aws_security_group.alb", sgBastion: "aws_security_group.bastion", sgDB: "aws_security_group.db"}[peer])
		}
		b.add("", "aws_vpc_security_group_"+dir+"_rule", name, nil, 0, r, "", cat(netDeps, deps)...)
	}
	vpcRule("app_from_alb", "ingress", sgApp, "tcp", 8080, "From the load balancer", "sg", sgALB)
	vpcRule("app_debug", "ingress", sgApp, "tcp", 8080, "Temporary: health-check debugging", "cidr", "0.0.0.0/0")
	vpcRule("app_ssh_from_bastion", "ingress", sgApp, "tcp", 22, "SSH from the bastion", "sg", sgBastion)
	vpcRule("app_https_out", "egress", sgApp, "tcp", 443, "HTTPS out (package mirrors, S3, APIs)", "cidr", "0.0.0.0/0")
	vpcRule("app_to_db", "egress", sgApp, "tcp", 5432, "PostgreSQL", "sg", sgDB)

	sgRule := func(name, typ string, port int, desc, source string, self bool, deps ...string) {
		r := &tfstate.StandaloneSGRule{Description: desc, FromPort: port, ID: "sgrule-" + itoa(tfstate.Hashcode(b.name+name)),
			PrefixListIDs: []string{}, Protocol: "tcp", SecurityGroupID: sgDB, SecurityGroupRuleID: b.id("sgr", name),
			Self: self, SourceSecurityGroupID: source, ToPort: port, Type: typ}
		if self {
			r.SourceSecurityGroupID = sgDB
		}
		b.add("", "aws_security_group_rule", name, nil, 2, r, tfstate.PrivateSecurityGroupRule, cat(netDeps, []string{"aws_security_group.db"}, deps)...)
	}
	sgRule("db_from_app", "ingress", 5432, "PostgreSQL from the app servers", sgApp, false, "aws_security_group.app")
	sgRule("db_replication_in", "ingress", 5432, "Streaming replication", "", true)
	sgRule("db_replication_out", "egress", 5432, "Streaming replication", "", true)
	sgRule("db_ssh_from_bastion", "ingress", 22, "SSH from the bastion", sgBastion, false, "aws_security_group.bastion")

	// Instances.
	instDeps := func(sg string, tier string) []string {
		return cat(netDeps, []string{"aws_security_group." + sg}, in(net, "aws_subnet."+tier, "data.aws_availability_zones.available"))
	}
	bastion := b.instance("bastion", "t3.micro", azA, subnet["public/"+azA.name], "10.0.0.57", "44.210.93.18", []string{sgBastion},
		tfstate.Named("shop-prod-bastion", "Role", "bastion"))
	b.add("", "aws_instance", "bastion", nil, 1, bastion, tfstate.PrivateInstance, instDeps("bastion", "public")...)
	apps := []*tfstate.EC2Instance{
		b.instance("app/0", "m6i.large", azA, subnet["app/"+azA.name], "10.0.10.71", "", []string{sgApp}, tfstate.Named("shop-prod-app-1", "Role", "app")),
		b.instance("app/1", "m6i.large", azB, subnet["app/"+azB.name], "10.0.11.190", "", []string{sgApp}, tfstate.Named("shop-prod-app-2", "Role", "app")),
	}
	for i, a := range apps {
		b.add("", "aws_instance", "app", i, 1, a, tfstate.PrivateInstance, instDeps("app", "app")...)
	}
	for _, d := range []struct {
		key, ip string
		zone    az
	}{{"primary", "10.0.20.45", azA}, {"replica", "10.0.21.112", azB}} {
		inst := b.instance("db/"+d.key, "r6i.xlarge", d.zone, subnet["db/"+d.zone.name], d.ip, "", []string{sgDB}, tfstate.Named("db-"+d.key, "Role", "postgresql"))
		inst.RootBlockDevice[0].VolumeSize = 200
		b.add("", "aws_instance", "db", d.key, 1, inst, tfstate.PrivateInstance, instDeps("db", "db")...)
	}

	// The load balancer and its target group: not modelled by vpcsim, kept
	// because real estates have them.
	lbSuffix := "app/shop-prod-web/" + b.hex("alb", 16)
	lbARN := "arn:aws:elasticloadbalancing:" + region + ":" + account + ":loadbalancer/" + lbSuffix
	lbDNS := "shop-prod-web-" + itoa(tfstate.Hashcode(b.name+"alb")%2000000000) + "." + region + ".elb.amazonaws.com"
	b.add("", "aws_lb", "web", nil, 0, &tfstate.LB{
		AccessLogs: []tfstate.LogConfig{{}}, ARN: lbARN, ARNSuffix: lbSuffix, ClientKeepAlive: 3600,
		ConnectionLogs: []tfstate.LogConfig{{}}, DesyncMitigationMode: "defensive", DNSName: lbDNS,
		EnableCrossZoneLoadBalancing: true, EnableHTTP2: true, ID: lbARN, IdleTimeout: 60, IPAddressType: "ipv4",
		LoadBalancerType: "application", Name: "shop-prod-web", SecurityGroups: []string{sgALB},
		SubnetMapping: []tfstate.SubnetMapping{{SubnetID: subnet["public/"+azA.name]}, {SubnetID: subnet["public/"+azB.name]}},
		Subnets:       []string{subnet["public/"+azA.name], subnet["public/"+azB.name]},
		Tags:          tfstate.Named("shop-prod-web"), TagsAll: env.TagsAll(tfstate.Named("shop-prod-web")), VPCID: ids.vpc,
		XFFHeaderProcessingMode: "append", ZoneID: "Z35SXDOTRQ7X7K",
	}, tfstate.PrivateLB, cat(netDeps, []string{"aws_security_group.alb", "aws_security_group.app"}, in(net, "aws_subnet.public", "data.aws_availability_zones.available"))...)
	tgSuffix := "targetgroup/shop-prod-app/" + b.hex("tg", 16)
	tgARN := "arn:aws:elasticloadbalancing:" + region + ":" + account + ":" + tgSuffix
	b.add("", "aws_lb_target_group", "app", nil, 0, &tfstate.LBTargetGroup{
		ARN: tgARN, ARNSuffix: tgSuffix, DeregistrationDelay: "300",
		HealthCheck: []tfstate.HealthCheck{{Enabled: true, HealthyThreshold: 3, Interval: 15, Matcher: "200", Path: "/healthz",
			Port: "traffic-port", Protocol: "HTTP", Timeout: 5, UnhealthyThreshold: 2}},
		ID: tgARN, IPAddressType: "ipv4", LoadBalancerARNs: []string{lbARN}, LoadBalancingAlgorithmType: "round_robin",
		LoadBalancingAnomalyMitigation: "off", LoadBalancingCrossZoneEnabled: "use_load_balancer_configuration",
		Name: "shop-prod-app", Port: 8080, Protocol: "HTTP", ProtocolVersion: "HTTP1",
		Stickiness: []tfstate.Stickiness{{CookieDuration: 86400, Type: "lb_cookie"}},
		Tags:       tfstate.Named("shop-prod-app"), TagsAll: env.TagsAll(tfstate.Named("shop-prod-app")),
		TargetFailover: []tfstate.TargetFailover{{}},
		TargetGroupHealth: []tfstate.TargetGroupHealth{{
			DNSFailover:           []tfstate.HealthThreshold{{MinimumHealthyTargetsCount: "1", MinimumHealthyTargetsPercentage: "off"}},
			UnhealthyStateRouting: []tfstate.HealthThreshold{{MinimumHealthyTargetsCount: "1", MinimumHealthyTargetsPercentage: "off"}},
		}},
		TargetHealthState: []any{}, TargetType: "instance", VPCID: ids.vpc,
	}, tfstate.PrivateNull, netDeps...)
	listenerARN := "arn:aws:elasticloadbalancing:" + region + ":" + account + ":listener/" + lbSuffix + "/" + b.hex("listener", 16)
	b.add("", "aws_lb_listener", "http", nil, 0, &tfstate.LBListener{
		ARN: listenerARN, DefaultAction: []tfstate.ListenerAction{{AuthenticateCognito: []any{}, AuthenticateOIDC: []any{},
			FixedResponse: []any{}, Forward: []any{}, Order: 1, Redirect: []any{}, TargetGroupARN: tgARN, Type: "forward"}},
		ID: listenerARN, LoadBalancerARN: lbARN, MutualAuthentication: []any{}, Port: 80, Protocol: "HTTP",
		Tags: tfstate.Tags{}, TagsAll: env.TagsAll(nil),
	}, tfstate.PrivateLB, cat(netDeps, []string{"aws_lb.web", "aws_lb_target_group.app", "aws_security_group.alb", "aws_security_group.app"}, in(net, "aws_subnet.public", "data.aws_availability_zones.available"))...)
	for i, a := range apps {
		b.add("", "aws_lb_target_group_attachment", "app", i, 0, &tfstate.LBTargetGroupAttachment{
			ID: fmt.Sprintf("%s-20240314112031%04d%08d", tgARN, 5000+i, i+1), Port: 8080, TargetGroupARN: tgARN, TargetID: a.ID,
		}, tfstate.PrivateNull, cat(netDeps, []string{"aws_instance.app", "aws_lb_target_group.app", "aws_security_group.app"})...)
	}

	b.output("vpc_id", ids.vpc, "string")
	b.output("alb_dns_name", lbDNS, "string")
	b.output("bastion_public_ip", bastion.PublicIP, "string")
	b.output("app_private_ips", []string{apps[0].PrivateIP, apps[1].PrivateIP}, []any{"tuple", []any{"string", "string"}})
	return b
}

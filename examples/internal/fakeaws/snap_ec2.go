package main

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
)

// createTime is when the snapshot's resources were created (the first
// apply), in the AWS CLI's format.
const createTime = "2025-03-03T09:30:00+00:00"

// eni is a network interface of the account: an instance's, or one a
// service created (requester-managed).
type eni struct {
	id, subnet, vpc, az, ip, desc, ifType, requester string
	requesterManaged                                 bool
	groups                                           []string
	public, publicOwner, allocID, assocID            string
	attach                                           *eniAttach
	srcDest                                          bool
	tags                                             any
}

type eniAttach struct {
	instance, owner, id string
	index               int
	deleteOnTermination bool
}

// instance is an EC2 instance: one of the state's, or one an Auto Scaling
// group launched.
type instance struct {
	id, typ, ami, subnet, vpc, az, ip, public, eni, keyName string
	sgs                                                     []string
	tags                                                    map[string]any
	windows, srcDest                                        bool
	lt                                                      map[string]any // launch template, for launched instances
	asg                                                     string
	volume                                                  string
	cpu                                                     [2]int
}

func (s *snap) securityGroupNames() error {
	for _, sg := range s.all("aws_security_group") {
		s.sgNames[str(sg["id"])] = str(sg["name"])
	}
	for _, v := range s.all("aws_vpc") {
		s.sgNames[str(v["default_security_group_id"])] = "default"
	}
	return nil
}

func (s *snap) groupList(ids []string) []any {
	out := []any{}
	for _, id := range ids {
		out = append(out, obj{{"GroupId", id}, {"GroupName", s.sgNames[id]}})
	}
	return out
}

func (s *snap) subnet(id string) (map[string]any, error) { return s.get(id) }

// newENI adds a requester-managed interface for a service, with an address
// of its subnet.
func (s *snap) newENI(seed, subnet string, fill func(e *eni)) (*eni, error) {
	sn, err := s.subnet(subnet)
	if err != nil {
		return nil, err
	}
	seed = s.ns + "|" + seed
	ip, err := s.addrs.private(str(sn["cidr_block"]), "eni|"+seed)
	if err != nil {
		return nil, err
	}
	e := &eni{id: hexID("eni", seed), subnet: subnet, vpc: str(sn["vpc_id"]), az: str(sn["availability_zone"]), ip: ip, srcDest: true, requesterManaged: true, ifType: "interface"}
	fill(e)
	s.enis = append(s.enis, e)
	return e, nil
}

func (s *snap) instances() error {
	err := s.each("aws_instance", func(addr string, a map[string]any) error {
		sn, err := s.subnet(str(a["subnet_id"]))
		if err != nil {
			return err
		}
		cpu := objs(a["cpu_options"])
		in := &instance{
			id: str(a["id"]), typ: str(a["instance_type"]), ami: str(a["ami"]), subnet: str(a["subnet_id"]), vpc: str(sn["vpc_id"]),
			az: str(a["availability_zone"]), ip: str(a["private_ip"]), public: str(a["public_ip"]), eni: str(a["primary_network_interface_id"]),
			keyName: str(a["key_name"]), sgs: strs(a["vpc_security_group_ids"]), srcDest: a["source_dest_check"] == true,
		}
		in.tags, _ = a["tags_all"].(map[string]any)
		if len(cpu) > 0 {
			in.cpu = [2]int{intOf(cpu[0]["core_count"]), intOf(cpu[0]["threads_per_core"])}
		}
		if rbd := objs(a["root_block_device"]); len(rbd) > 0 {
			in.volume = str(rbd[0]["volume_id"])
		}
		s.insts = append(s.insts, in)
		return nil
	})
	if err != nil {
		return err
	}
	// The instances Auto Scaling launched: as many as the group's
	// desired capacity, spread over its subnets, configured by its launch
	// template.
	return s.each("aws_autoscaling_group", func(addr string, g map[string]any) error {
		lts := objs(g["launch_template"])
		if len(lts) == 0 {
			return fmt.Errorf("no launch template")
		}
		lt, err := s.get(str(lts[0]["id"]))
		if err != nil {
			return err
		}
		subnets := strs(g["vpc_zone_identifier"])
		for i := 0; i < intOf(g["desired_capacity"]); i++ {
			seed := fmt.Sprintf("%s|%s|%d", s.ns, addr, i)
			sn, err := s.subnet(subnets[i%len(subnets)])
			if err != nil {
				return err
			}
			in := &instance{
				id: hexID("i", seed), typ: str(lt["instance_type"]), ami: str(lt["image_id"]), subnet: str(sn["id"]), vpc: str(sn["vpc_id"]),
				az: str(sn["availability_zone"]), eni: hexID("eni", seed), sgs: strs(lt["vpc_security_group_ids"]), srcDest: true,
				lt: lt, asg: str(g["name"]), volume: hexID("vol", seed), cpu: instanceCPU[str(lt["instance_type"])],
			}
			in.windows = strings.Contains(str(lt["image_id"]), "0f496107db66676ff")
			public := sn["map_public_ip_on_launch"] == true
			if nis := objs(lt["network_interfaces"]); len(nis) > 0 {
				in.sgs = strs(nis[0]["security_groups"])
				if v := str(nis[0]["associate_public_ip_address"]); v != "" {
					public = v == "true"
				}
			}
			if in.ip, err = s.addrs.private(str(sn["cidr_block"]), "asg|"+seed); err != nil {
				return err
			}
			if public {
				in.public = s.addrs.public("asg|" + seed)
			}
			in.tags = map[string]any{
				"aws:autoscaling:groupName":     in.asg,
				"aws:ec2launchtemplate:id":      str(lt["id"]),
				"aws:ec2launchtemplate:version": str(lt["latest_version"]),
			}
			for _, ts := range objs(lt["tag_specifications"]) {
				if ts["resource_type"] == "instance" {
					if m, ok := ts["tags"].(map[string]any); ok {
						for k, v := range m {
							in.tags[k] = v
						}
					}
				}
			}
			s.insts = append(s.insts, in)
		}
		return nil
	})
}

func (s *snap) interfaces() error {
	for _, in := range s.insts {
		owner := ""
		if in.public != "" {
			owner = "amazon"
		}
		s.enis = append(s.enis, &eni{
			id: in.eni, subnet: in.subnet, vpc: in.vpc, az: in.az, ip: in.ip, ifType: "interface", requester: "",
			groups: in.sgs, public: in.public, publicOwner: owner, srcDest: in.srcDest, tags: []any{},
			attach: &eniAttach{instance: in.id, owner: account, id: hexID("eni-attach", in.id), index: 0, deleteOnTermination: true},
		})
	}
	// NAT gateways: AWS's interface, with the gateway's Elastic IP.
	if err := s.each("aws_nat_gateway", func(addr string, n map[string]any) error {
		sn, err := s.subnet(str(n["subnet_id"]))
		if err != nil {
			return err
		}
		s.enis = append(s.enis, &eni{
			id: str(n["network_interface_id"]), subnet: str(n["subnet_id"]), vpc: str(sn["vpc_id"]), az: str(sn["availability_zone"]),
			ip: str(n["private_ip"]), desc: "Interface for NAT Gateway " + str(n["id"]), ifType: "nat_gateway", requester: "",
			requesterManaged: true, groups: []string{}, public: str(n["public_ip"]), publicOwner: account,
			allocID: str(n["allocation_id"]), assocID: str(n["association_id"]), srcDest: false, tags: []any{},
			attach: &eniAttach{owner: "amazon-aws", id: hexID("ela-attach", str(n["id"])), index: 1},
		})
		return nil
	}); err != nil {
		return err
	}
	// Interface endpoints: one interface per subnet, as the state lists
	// them.
	if err := s.each("aws_vpc_endpoint", func(addr string, e map[string]any) error {
		ids := strs(e["network_interface_ids"])
		for i, cfg := range objs(e["subnet_configuration"]) {
			sn, err := s.subnet(str(cfg["subnet_id"]))
			if err != nil {
				return err
			}
			s.enis = append(s.enis, &eni{
				id: ids[i], subnet: str(cfg["subnet_id"]), vpc: str(sn["vpc_id"]), az: str(sn["availability_zone"]), ip: str(cfg["ipv4"]),
				desc: "VPC Endpoint Interface " + str(e["id"]), ifType: "vpc_endpoint", requester: "727180483921",
				requesterManaged: true, groups: strs(e["security_group_ids"]), srcDest: true, tags: []any{},
			})
		}
		return nil
	}); err != nil {
		return err
	}
	// Load balancers: one node interface per subnet. Internet-facing ones
	// have a public address that belongs to Elastic Load Balancing.
	for _, kind := range []string{"aws_lb", "aws_elb"} {
		if err := s.each(kind, func(addr string, lb map[string]any) error {
			desc, typ := "ELB "+str(lb["name"]), "interface"
			if kind == "aws_lb" {
				suffix, _ := lbParts(str(lb["arn"]))
				desc = "ELB " + suffix
				if lb["load_balancer_type"] == "network" {
					typ = "network_load_balancer"
				}
			}
			for _, subnet := range strs(lb["subnets"]) {
				seed := addr + "|" + subnet
				_, err := s.newENI(seed, subnet, func(e *eni) {
					seed := s.ns + "|" + seed
					e.desc, e.ifType, e.requester, e.groups, e.tags = desc, typ, "amazon-elb", strs(lb["security_groups"]), []any{}
					e.attach = &eniAttach{owner: "amazon-elb", id: hexID("ela-attach", seed), index: 1}
					if lb["internal"] != true {
						e.public, e.publicOwner = s.addrs.public("elb|"+seed), "amazon-elb"
					}
				})
				if err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
	}
	// RDS: one interface in the zone AWS placed the instance in (single
	// zone), public when the instance is publicly accessible.
	if err := s.each("aws_db_instance", func(addr string, db map[string]any) error {
		subnet, err := s.dbSubnet(db)
		if err != nil {
			return err
		}
		_, err = s.newENI(addr, subnet, func(e *eni) {
			e.desc, e.requester, e.groups, e.tags = "RDSNetworkInterface", "amazon-rds", strs(db["vpc_security_group_ids"]), []any{}
			if db["publicly_accessible"] == true {
				e.public, e.publicOwner = s.addrs.public("rds|"+s.ns+"|"+addr), "amazon-rds"
			}
		})
		return err
	}); err != nil {
		return err
	}
	// Lambda: one shared (Hyperplane) interface per subnet and security
	// group combination of the function's VPC configuration.
	return s.each("aws_lambda_function", func(addr string, f map[string]any) error {
		vcs := objs(f["vpc_config"])
		if len(vcs) == 0 {
			return nil
		}
		for _, subnet := range strs(vcs[0]["subnet_ids"]) {
			seed := addr + "|" + subnet
			_, err := s.newENI(seed, subnet, func(e *eni) {
				seed := s.ns + "|" + seed
				e.desc = "AWS Lambda VPC ENI-" + str(f["function_name"]) + "-" + uuid(seed)
				// The function's role, in the session that created
				// the interface.
				e.ifType, e.requester, e.groups, e.tags = "lambda", s.roleUniqueID(str(f["role"]))+":"+str(f["function_name"]), strs(vcs[0]["security_group_ids"]), []any{}
				e.attach = &eniAttach{owner: "amazon-aws", id: hexID("ela-attach", seed), index: 1}
			})
			if err != nil {
				return err
			}
		}
		return nil
	})
}

// roleUniqueID is the unique ID (AROA…) of the IAM role with this ARN.
func (s *snap) roleUniqueID(arn string) string {
	for _, r := range s.all("aws_iam_role") {
		if r["arn"] == arn {
			return str(r["unique_id"])
		}
	}
	return "AROA" + upperID(17, s.ns+"|"+arn)
}

// dbSubnet is the subnet of a database's interface: its subnet group's
// subnet in its zone.
func (s *snap) dbSubnet(db map[string]any) (string, error) {
	for _, g := range s.all("aws_db_subnet_group") {
		if g["name"] != db["db_subnet_group_name"] {
			continue
		}
		for _, id := range strs(g["subnet_ids"]) {
			sn, err := s.subnet(id)
			if err != nil {
				return "", err
			}
			if sn["availability_zone"] == db["availability_zone"] {
				return id, nil
			}
		}
	}
	return "", fmt.Errorf("no subnet of group %v in %v", db["db_subnet_group_name"], db["availability_zone"])
}

func (s *snap) vpcs() error {
	var out []any
	err := s.each("aws_vpc", func(addr string, v map[string]any) error {
		out = append(out, obj{
			{"CidrBlock", v["cidr_block"]},
			{"DhcpOptionsId", v["dhcp_options_id"]},
			{"State", "available"},
			{"VpcId", v["id"]},
			{"OwnerId", v["owner_id"]},
			{"InstanceTenancy", v["instance_tenancy"]},
			{"CidrBlockAssociationSet", []any{obj{
				{"AssociationId", hexID("vpc-cidr-assoc", str(v["id"]))},
				{"CidrBlock", v["cidr_block"]},
				{"CidrBlockState", obj{{"State", "associated"}}},
			}}},
			{"IsDefault", false},
			{"BlockPublicAccessStates", obj{{"InternetGatewayBlockMode", "off"}}},
			{"Tags", tags(v["tags_all"])},
		})
		return nil
	})
	s.put("ec2-describe-vpcs.json", obj{{"Vpcs", anyList(out)}})
	return err
}

func (s *snap) subnets() error {
	used := map[string]int{}
	for _, e := range s.enis {
		used[e.subnet]++
	}
	var out []any
	err := s.each("aws_subnet", func(addr string, sn map[string]any) error {
		p, err := netip.ParsePrefix(str(sn["cidr_block"]))
		if err != nil {
			return err
		}
		free := 1<<(32-p.Bits()) - 5 - used[str(sn["id"])]
		out = append(out, obj{
			{"AvailabilityZoneId", sn["availability_zone_id"]},
			{"MapCustomerOwnedIpOnLaunch", false},
			{"OwnerId", sn["owner_id"]},
			{"AssignIpv6AddressOnCreation", false},
			{"Ipv6CidrBlockAssociationSet", []any{}},
			{"Tags", tags(sn["tags_all"])},
			{"SubnetArn", sn["arn"]},
			{"EnableDns64", false},
			{"Ipv6Native", false},
			{"PrivateDnsNameOptionsOnLaunch", obj{{"HostnameType", "ip-name"}, {"EnableResourceNameDnsARecord", false}, {"EnableResourceNameDnsAAAARecord", false}}},
			{"BlockPublicAccessStates", obj{{"InternetGatewayBlockMode", "off"}}},
			{"SubnetId", sn["id"]},
			{"State", "available"},
			{"VpcId", sn["vpc_id"]},
			{"CidrBlock", sn["cidr_block"]},
			{"AvailableIpAddressCount", free},
			{"AvailabilityZone", sn["availability_zone"]},
			{"DefaultForAz", false},
			{"MapPublicIpOnLaunch", sn["map_public_ip_on_launch"] == true},
		})
		return nil
	})
	s.put("ec2-describe-subnets.json", obj{{"Subnets", anyList(out)}})
	return err
}

// route is one route of a route table as the API shows it.
func route(dest, destKey string, target obj, origin string) obj {
	o := obj{{destKey, dest}}
	o = append(o, target...)
	return append(o, kv{"Origin", origin}, kv{"State", "active"})
}

// routeTarget is the target of a route from state, as API members.
func routeTarget(r map[string]any) obj {
	for _, t := range []struct{ attr, member string }{
		{"gateway_id", "GatewayId"}, {"nat_gateway_id", "NatGatewayId"}, {"vpc_peering_connection_id", "VpcPeeringConnectionId"},
		{"transit_gateway_id", "TransitGatewayId"}, {"egress_only_gateway_id", "EgressOnlyInternetGatewayId"},
		{"network_interface_id", "NetworkInterfaceId"}, {"vpc_endpoint_id", "GatewayId"},
	} {
		if v := str(r[t.attr]); v != "" {
			return obj{{t.member, v}}
		}
	}
	return nil
}

func routeDest(r map[string]any, cidrKey string) (string, string) {
	if v := str(r[cidrKey]); v != "" {
		return v, "DestinationCidrBlock"
	}
	if v := str(r["destination_ipv6_cidr_block"]); v != "" {
		return v, "DestinationIpv6CidrBlock"
	}
	if v := str(r["ipv6_cidr_block"]); v != "" {
		return v, "DestinationIpv6CidrBlock"
	}
	if v := str(r["destination_prefix_list_id"]); v != "" {
		return v, "DestinationPrefixListId"
	}
	return str(r["destination_prefix_list_id"]), "DestinationPrefixListId"
}

func (s *snap) routeTables() error {
	type table struct {
		id, vpc string
		routes  []any
		assocs  []any
		tags    any
	}
	tables := map[string]*table{}
	var order []string
	addTable := func(id, vpc string, t any) *table {
		tb := &table{id: id, vpc: vpc, tags: t}
		tables[id] = tb
		order = append(order, id)
		v, _ := s.get(vpc)
		tb.routes = append(tb.routes, route(str(v["cidr_block"]), "DestinationCidrBlock", obj{{"GatewayId", "local"}}, "CreateRouteTable"))
		return tb
	}
	for _, v := range s.all("aws_vpc") {
		main := str(v["main_route_table_id"])
		tb := addTable(main, str(v["id"]), []any{})
		tb.assocs = append(tb.assocs, obj{
			{"Main", true}, {"RouteTableAssociationId", hexID("rtbassoc", main)}, {"RouteTableId", main},
			{"AssociationState", obj{{"State", "associated"}}},
		})
	}
	if err := s.each("aws_route_table", func(addr string, rt map[string]any) error {
		tb := addTable(str(rt["id"]), str(rt["vpc_id"]), tags(rt["tags_all"]))
		for _, r := range objs(rt["route"]) {
			dest, key := routeDest(r, "cidr_block")
			tb.routes = append(tb.routes, route(dest, key, routeTarget(r), "CreateRoute"))
		}
		return nil
	}); err != nil {
		return err
	}
	if err := s.each("aws_route", func(addr string, r map[string]any) error {
		tb, ok := tables[str(r["route_table_id"])]
		if !ok {
			return fmt.Errorf("no route table %v", r["route_table_id"])
		}
		dest, key := routeDest(r, "destination_cidr_block")
		tb.routes = append(tb.routes, route(dest, key, routeTarget(r), "CreateRoute"))
		return nil
	}); err != nil {
		return err
	}
	// A gateway endpoint adds a route to its service's prefix list in
	// each of its route tables.
	if err := s.each("aws_vpc_endpoint", func(addr string, e map[string]any) error {
		for _, id := range strs(e["route_table_ids"]) {
			tb, ok := tables[id]
			if !ok {
				return fmt.Errorf("no route table %s", id)
			}
			tb.routes = append(tb.routes, route(str(e["prefix_list_id"]), "DestinationPrefixListId", obj{{"GatewayId", e["id"]}}, "CreateRoute"))
		}
		return nil
	}); err != nil {
		return err
	}
	if err := s.each("aws_route_table_association", func(addr string, a map[string]any) error {
		tb, ok := tables[str(a["route_table_id"])]
		if !ok {
			return fmt.Errorf("no route table %v", a["route_table_id"])
		}
		tb.assocs = append(tb.assocs, obj{
			{"Main", false}, {"RouteTableAssociationId", a["id"]}, {"RouteTableId", a["route_table_id"]}, {"SubnetId", a["subnet_id"]},
			{"AssociationState", obj{{"State", "associated"}}},
		})
		return nil
	}); err != nil {
		return err
	}
	var out []any
	for _, id := range order {
		tb := tables[id]
		out = append(out, obj{
			{"Associations", anyList(tb.assocs)},
			{"PropagatingVgws", []any{}},
			{"RouteTableId", tb.id},
			{"Routes", anyList(tb.routes)},
			{"Tags", tb.tags},
			{"VpcId", tb.vpc},
			{"OwnerId", account},
		})
	}
	s.put("ec2-describe-route-tables.json", obj{{"RouteTables", out}})
	return nil
}

type aclEntry struct {
	egress   bool
	number   int
	protocol string
	action   string
	cidr     string
	from, to int
}

func (e aclEntry) api() obj {
	o := obj{{"CidrBlock", e.cidr}, {"Egress", e.egress}}
	if e.protocol != "-1" {
		o = append(o, kv{"PortRange", obj{{"From", e.from}, {"To", e.to}}})
	}
	return append(o, kv{"Protocol", e.protocol}, kv{"RuleAction", e.action}, kv{"RuleNumber", e.number})
}

func (s *snap) networkACLs() error {
	type acl struct {
		id, vpc   string
		isDefault bool
		entries   []aclEntry
		assocs    []any
		tags      any
	}
	acls := map[string]*acl{}
	var order []string
	associated := map[string]bool{}
	for _, v := range s.all("aws_vpc") {
		id := str(v["default_network_acl_id"])
		acls[id] = &acl{id: id, vpc: str(v["id"]), isDefault: true, tags: []any{}, entries: []aclEntry{
			{egress: true, number: 100, protocol: "-1", action: "allow", cidr: "0.0.0.0/0"},
			{egress: false, number: 100, protocol: "-1", action: "allow", cidr: "0.0.0.0/0"},
		}}
		order = append(order, id)
	}
	entry := func(m map[string]any, egress bool, numberKey, actionKey string) aclEntry {
		return aclEntry{egress: egress, number: intOf(m[numberKey]), protocol: naclProtocolNumber(str(m["protocol"])), action: str(m[actionKey]),
			cidr: str(m["cidr_block"]), from: intOf(m["from_port"]), to: intOf(m["to_port"])}
	}
	if err := s.each("aws_network_acl", func(addr string, n map[string]any) error {
		a := &acl{id: str(n["id"]), vpc: str(n["vpc_id"]), tags: tags(n["tags_all"])}
		for _, e := range objs(n["ingress"]) {
			a.entries = append(a.entries, entry(e, false, "rule_no", "action"))
		}
		for _, e := range objs(n["egress"]) {
			a.entries = append(a.entries, entry(e, true, "rule_no", "action"))
		}
		for _, sn := range strs(n["subnet_ids"]) {
			a.assocs = append(a.assocs, obj{{"NetworkAclAssociationId", hexID("aclassoc", a.id+"|"+sn)}, {"NetworkAclId", a.id}, {"SubnetId", sn}})
			associated[sn] = true
		}
		acls[a.id] = a
		order = append(order, a.id)
		return nil
	}); err != nil {
		return err
	}
	if err := s.each("aws_network_acl_rule", func(addr string, r map[string]any) error {
		a, ok := acls[str(r["network_acl_id"])]
		if !ok {
			return fmt.Errorf("no network ACL %v", r["network_acl_id"])
		}
		a.entries = append(a.entries, entry(r, r["egress"] == true, "rule_number", "rule_action"))
		return nil
	}); err != nil {
		return err
	}
	if err := s.each("aws_network_acl_association", func(addr string, r map[string]any) error {
		a, ok := acls[str(r["network_acl_id"])]
		if !ok {
			return fmt.Errorf("no network ACL %v", r["network_acl_id"])
		}
		a.assocs = append(a.assocs, obj{{"NetworkAclAssociationId", r["id"]}, {"NetworkAclId", a.id}, {"SubnetId", r["subnet_id"]}})
		associated[str(r["subnet_id"])] = true
		return nil
	}); err != nil {
		return err
	}
	// Every other subnet stays with its VPC's default ACL.
	for _, sn := range s.all("aws_subnet") {
		if associated[str(sn["id"])] {
			continue
		}
		v, err := s.get(str(sn["vpc_id"]))
		if err != nil {
			return err
		}
		a := acls[str(v["default_network_acl_id"])]
		a.assocs = append(a.assocs, obj{{"NetworkAclAssociationId", hexID("aclassoc", a.id+"|"+str(sn["id"]))}, {"NetworkAclId", a.id}, {"SubnetId", sn["id"]}})
	}
	var out []any
	for _, id := range order {
		a := acls[id]
		a.entries = append(a.entries,
			aclEntry{egress: true, number: 32767, protocol: "-1", action: "deny", cidr: "0.0.0.0/0"},
			aclEntry{egress: false, number: 32767, protocol: "-1", action: "deny", cidr: "0.0.0.0/0"})
		// The API lists the outbound entries first, each direction by
		// rule number.
		slices.SortStableFunc(a.entries, func(x, y aclEntry) int {
			if x.egress != y.egress {
				if x.egress {
					return -1
				}
				return 1
			}
			return x.number - y.number
		})
		var entries []any
		for _, e := range a.entries {
			entries = append(entries, e.api())
		}
		out = append(out, obj{
			{"Associations", anyList(a.assocs)},
			{"Entries", entries},
			{"IsDefault", a.isDefault},
			{"NetworkAclId", a.id},
			{"Tags", a.tags},
			{"VpcId", a.vpc},
			{"OwnerId", account},
		})
	}
	s.put("ec2-describe-network-acls.json", obj{{"NetworkAcls", out}})
	return nil
}

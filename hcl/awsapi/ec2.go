package awsapi

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// The converters below turn each answer of the EC2 API into the resource
// instances the AWS provider would write for what it describes, attribute
// by attribute, so that one mapper maps every AWS element whatever the
// input. What AWS creates implicitly (main route tables, default network
// ACLs and groups, local routes, the final "*" rules, gateway endpoint
// routes) is in a snapshot too; it is passed to the mapper as the elements
// it is (the VPC names them), or left out where the mapper synthesises it.

func (r *regionReader) ec2() {
	r.vpcs()
	r.subnets()
	r.routeTables()
	r.networkACLs()
	r.securityGroups()
	r.instances()
	r.gateways()
	r.endpoints()
	r.prefixLists()
	r.peerings()
	r.launchTemplates()
}

func (r *regionReader) vpcs() {
	main, acl, sg := map[string]string{}, map[string]string{}, map[string]string{}
	for _, rt := range r.list("ec2-describe-route-tables", "RouteTables") {
		for _, a := range objects(rt, "Associations") {
			if b, _ := boolean(a, "Main"); b {
				main[str(rt, "VpcId")] = str(rt, "RouteTableId")
			}
		}
	}
	for _, a := range r.list("ec2-describe-network-acls", "NetworkAcls") {
		if b, _ := boolean(a, "IsDefault"); b {
			acl[str(a, "VpcId")] = str(a, "NetworkAclId")
		}
	}
	for _, g := range r.list("ec2-describe-security-groups", "SecurityGroups") {
		if str(g, "GroupName") == "default" {
			sg[str(g, "VpcId")] = str(g, "GroupId")
		}
	}
	for _, v := range r.list("ec2-describe-vpcs", "Vpcs") {
		id := str(v, "VpcId")
		attrs := map[string]any{"id": id, "cidr_block": str(v, "CidrBlock"), "owner_id": str(v, "OwnerId"),
			"arn": r.arn("ec2", "vpc/"+id), "tags": tags(v),
			"main_route_table_id": main[id], "default_network_acl_id": acl[id], "default_security_group_id": sg[id]}
		for _, b := range objects(v, "Ipv6CidrBlockAssociationSet") {
			if associated(b, "Ipv6CidrBlockState") && attrs["ipv6_cidr_block"] == nil {
				attrs["ipv6_cidr_block"] = str(b, "Ipv6CidrBlock")
			} else if associated(b, "Ipv6CidrBlockState") {
				r.add("aws_vpc_ipv6_cidr_block_association", b, map[string]any{"id": str(b, "AssociationId"), "vpc_id": id, "ipv6_cidr_block": str(b, "Ipv6CidrBlock")})
			}
		}
		r.addOwned("aws_vpc", v, attrs, str(v, "OwnerId"))
		for _, b := range objects(v, "CidrBlockAssociationSet") {
			if c := str(b, "CidrBlock"); c != attrs["cidr_block"] && associated(b, "CidrBlockState") {
				r.add("aws_vpc_ipv4_cidr_block_association", b, map[string]any{"id": str(b, "AssociationId"), "vpc_id": id, "cidr_block": c})
			}
		}
	}
}

// associated reports whether a CIDR association is in effect (its state is
// associated, or the answer does not say).
func associated(b map[string]any, stateKey string) bool {
	s := str(object(b, stateKey), "State")
	return s == "" || s == "associated"
}

func (r *regionReader) subnets() {
	for _, s := range r.list("ec2-describe-subnets", "Subnets") {
		attrs := map[string]any{"id": str(s, "SubnetId"), "vpc_id": str(s, "VpcId"), "cidr_block": str(s, "CidrBlock"),
			"availability_zone": str(s, "AvailabilityZone"), "availability_zone_id": str(s, "AvailabilityZoneId"),
			"arn": str(s, "SubnetArn"), "owner_id": str(s, "OwnerId"), "tags": tags(s)}
		if b, ok := boolean(s, "MapPublicIpOnLaunch"); ok {
			attrs["map_public_ip_on_launch"] = b
		}
		for _, b := range objects(s, "Ipv6CidrBlockAssociationSet") {
			if associated(b, "Ipv6CidrBlockState") && attrs["ipv6_cidr_block"] == nil {
				attrs["ipv6_cidr_block"] = str(b, "Ipv6CidrBlock")
			}
		}
		r.addOwned("aws_subnet", s, attrs, str(s, "OwnerId"))
	}
}

// routeTargets map the target members of a route in the API to the
// attributes of a route in the provider.
var routeTargets = [][2]string{
	{"GatewayId", "gateway_id"}, {"NatGatewayId", "nat_gateway_id"}, {"TransitGatewayId", "transit_gateway_id"},
	{"VpcPeeringConnectionId", "vpc_peering_connection_id"}, {"NetworkInterfaceId", "network_interface_id"},
	{"EgressOnlyInternetGatewayId", "egress_only_gateway_id"}, {"CarrierGatewayId", "carrier_gateway_id"},
	{"LocalGatewayId", "local_gateway_id"}, {"CoreNetworkArn", "core_network_arn"},
}

func (r *regionReader) routeTables() {
	endpoints := map[string]string{} // by ID, its type
	for _, e := range r.list("ec2-describe-vpc-endpoints", "VpcEndpoints") {
		endpoints[str(e, "VpcEndpointId")] = str(e, "VpcEndpointType")
	}
	for _, rt := range r.list("ec2-describe-route-tables", "RouteTables") {
		id := str(rt, "RouteTableId")
		routes := []any{}
		for _, ro := range objects(rt, "Routes") {
			gw := str(ro, "GatewayId")
			switch {
			case str(ro, "Origin") == "CreateRouteTable" || gw == "local":
				continue // the local route: the mapper synthesises it
			case strings.HasPrefix(gw, "vpce-") && str(ro, "DestinationPrefixListId") != "" && endpoints[gw] != "GatewayLoadBalancer":
				continue // a gateway endpoint's route: its route_table_ids give it back
			}
			b := map[string]any{resource.PosKey: posOf(ro, posOf(rt, r.pos()))}
			for _, k := range [][2]string{{"DestinationCidrBlock", "cidr_block"}, {"DestinationIpv6CidrBlock", "ipv6_cidr_block"}, {"DestinationPrefixListId", "destination_prefix_list_id"}} {
				if v := str(ro, k[0]); v != "" {
					b[k[1]] = v
				}
			}
			for _, k := range routeTargets {
				if v := str(ro, k[0]); v != "" {
					b[k[1]] = v
				}
			}
			if strings.HasPrefix(gw, "vpce-") {
				delete(b, "gateway_id")
				b["vpc_endpoint_id"] = gw
			}
			if v := str(ro, "InstanceId"); v != "" && b["network_interface_id"] == nil {
				b["instance_id"] = v
			}
			if str(ro, "State") == "blackhole" {
				// A blackhole route is a standalone route with its state.
				a := map[string]any{"route_table_id": id, "state": "blackhole"}
				for k, v := range b {
					switch k {
					case resource.PosKey:
					case "cidr_block", "ipv6_cidr_block":
						a["destination_"+k] = v
					default:
						a[k] = v
					}
				}
				r.add("aws_route", ro, a)
				continue
			}
			routes = append(routes, b)
		}
		r.add("aws_route_table", rt, map[string]any{"id": id, "vpc_id": str(rt, "VpcId"), "owner_id": str(rt, "OwnerId"),
			"route": routes, "propagating_vgws": stringList(rt, "PropagatingVgws", "GatewayId"), "tags": tags(rt),
			"arn": r.arn("ec2", "route-table/"+id)})
		for _, a := range objects(rt, "Associations") {
			if m, _ := boolean(a, "Main"); m {
				continue // the VPC names its main table
			}
			attrs := map[string]any{"id": str(a, "RouteTableAssociationId"), "route_table_id": id}
			if s := str(a, "SubnetId"); s != "" {
				attrs["subnet_id"] = s
			} else if g := str(a, "GatewayId"); g != "" {
				attrs["gateway_id"] = g
			} else {
				continue
			}
			r.add("aws_route_table_association", a, attrs)
		}
	}
}

func (r *regionReader) networkACLs() {
	for _, a := range r.list("ec2-describe-network-acls", "NetworkAcls") {
		var in, out []any
		for _, e := range objects(a, "Entries") {
			n, _ := number(e, "RuleNumber")
			if n.String() == "32767" {
				continue // the final "*" rule: the mapper synthesises it
			}
			b := map[string]any{resource.PosKey: posOf(e, posOf(a, r.pos())), "rule_no": n, "action": str(e, "RuleAction"),
				"protocol": str(e, "Protocol"), "cidr_block": str(e, "CidrBlock"), "ipv6_cidr_block": str(e, "Ipv6CidrBlock"),
				"from_port": numberOr(object(e, "PortRange"), "From"), "to_port": numberOr(object(e, "PortRange"), "To"),
				"icmp_type": numberOr(object(e, "IcmpTypeCode"), "Type"), "icmp_code": numberOr(object(e, "IcmpTypeCode"), "Code")}
			if eg, _ := boolean(e, "Egress"); eg {
				out = append(out, b)
			} else {
				in = append(in, b)
			}
		}
		id := str(a, "NetworkAclId")
		r.add("aws_network_acl", a, map[string]any{"id": id, "vpc_id": str(a, "VpcId"), "owner_id": str(a, "OwnerId"),
			"subnet_ids": stringList(a, "Associations", "SubnetId"), "ingress": orEmpty(in), "egress": orEmpty(out),
			"tags": tags(a), "arn": r.arn("ec2", "network-acl/"+id)})
	}
}

func orEmpty(l []any) []any {
	if l == nil {
		return []any{}
	}
	return l
}

// numberOr reads a number, zero when absent (the provider's value for a
// port a rule does not set).
func numberOr(v map[string]any, key string) json.Number {
	if n, ok := number(v, key); ok {
		return n
	}
	return "0"
}

func (r *regionReader) securityGroups() {
	rules := r.docs["ec2-describe-security-group-rules"] != nil
	for _, g := range r.list("ec2-describe-security-groups", "SecurityGroups") {
		id := str(g, "GroupId")
		attrs := map[string]any{"id": id, "name": str(g, "GroupName"), "vpc_id": str(g, "VpcId"), "owner_id": str(g, "OwnerId"),
			"description": str(g, "Description"), "tags": tags(g), "arn": r.arn("ec2", "security-group/"+id),
			"ingress": []any{}, "egress": []any{}}
		if !rules {
			// Without the rules one by one, the groups' permissions.
			attrs["ingress"] = r.permissions(g, "IpPermissions", id)
			attrs["egress"] = r.permissions(g, "IpPermissionsEgress", id)
		}
		r.add("aws_security_group", g, attrs)
	}
	for _, s := range r.list("ec2-describe-security-group-rules", "SecurityGroupRules") {
		typ := "aws_vpc_security_group_ingress_rule"
		if eg, _ := boolean(s, "IsEgress"); eg {
			typ = "aws_vpc_security_group_egress_rule"
		}
		attrs := map[string]any{"id": str(s, "SecurityGroupRuleId"), "security_group_rule_id": str(s, "SecurityGroupRuleId"),
			"security_group_id": str(s, "GroupId"), "ip_protocol": str(s, "IpProtocol"), "description": str(s, "Description"),
			"cidr_ipv4": str(s, "CidrIpv4"), "cidr_ipv6": str(s, "CidrIpv6"), "prefix_list_id": str(s, "PrefixListId")}
		if p := str(s, "IpProtocol"); p != "-1" && p != "all" {
			attrs["from_port"], attrs["to_port"] = numberOr(s, "FromPort"), numberOr(s, "ToPort")
		}
		if ref := object(s, "ReferencedGroupInfo"); ref != nil {
			g := str(ref, "GroupId")
			if u := str(ref, "UserId"); u != "" && u != str(s, "GroupOwnerId") {
				g = u + "/" + g
			}
			attrs["referenced_security_group_id"] = g
		}
		r.add(typ, s, attrs)
	}
}

// permissions turns a group's permissions into the provider's inline rule
// blocks.
func (r *regionReader) permissions(g map[string]any, key, self string) []any {
	out := []any{}
	for _, p := range objects(g, key) {
		b := map[string]any{resource.PosKey: posOf(p, posOf(g, r.pos())), "protocol": str(p, "IpProtocol"),
			"from_port": numberOr(p, "FromPort"), "to_port": numberOr(p, "ToPort"),
			"cidr_blocks": stringList(p, "IpRanges", "CidrIp"), "ipv6_cidr_blocks": stringList(p, "Ipv6Ranges", "CidrIpv6"),
			"prefix_list_ids": stringList(p, "PrefixListIds", "PrefixListId"), "self": false}
		groups := []any{}
		for _, pair := range objects(p, "UserIdGroupPairs") {
			gid := str(pair, "GroupId")
			switch {
			case gid == self:
				b["self"] = true
			case str(pair, "UserId") != "" && str(pair, "UserId") != str(g, "OwnerId"):
				groups = append(groups, str(pair, "UserId")+"/"+gid)
			default:
				groups = append(groups, gid)
			}
		}
		b["security_groups"] = groups
		if str(p, "IpProtocol") == "-1" {
			b["from_port"], b["to_port"] = json.Number("0"), json.Number("0")
		}
		out = append(out, b)
	}
	return out
}

// instances turns describe-instances into aws_instance, and each instance's
// interfaces at other device indexes into aws_network_interface attached to
// it. Terminated instances are left out.
func (r *regionReader) instances() {
	d := r.docs["ec2-describe-instances"]
	if d == nil {
		return
	}
	for _, res := range objects(d.root, "Reservations") {
		for _, in := range objects(res, "Instances") {
			switch str(object(in, "State"), "Name") {
			case "terminated", "shutting-down":
				continue
			}
			id := str(in, "InstanceId")
			attrs := map[string]any{"id": id, "subnet_id": str(in, "SubnetId"), "private_ip": str(in, "PrivateIpAddress"),
				"public_ip": str(in, "PublicIpAddress"), "vpc_security_group_ids": stringList(in, "SecurityGroups", "GroupId"),
				"tags": tags(in), "arn": r.arn("ec2", "instance/"+id), "secondary_private_ips": []any{}, "ipv6_addresses": []any{}}
			if b, ok := boolean(in, "SourceDestCheck"); ok {
				attrs["source_dest_check"] = b
			}
			for _, ni := range objects(in, "NetworkInterfaces") {
				nid := str(ni, "NetworkInterfaceId")
				r.taken[nid] = true
				dev, _ := number(object(ni, "Attachment"), "DeviceIndex")
				if dev.String() == "0" || dev == "" && attrs["primary_network_interface_id"] == nil {
					attrs["primary_network_interface_id"] = nid
					for _, p := range objects(ni, "PrivateIpAddresses") {
						if pr, _ := boolean(p, "Primary"); !pr {
							attrs["secondary_private_ips"] = append(attrs["secondary_private_ips"].([]any), str(p, "PrivateIpAddress"))
						}
					}
					attrs["ipv6_addresses"] = stringList(ni, "Ipv6Addresses", "Ipv6Address")
					continue
				}
				eni := r.eni(nid)
				if eni == nil {
					eni = ni
				}
				a := r.eniAttrs(eni)
				a["attachment"] = []any{map[string]any{"instance": id, "device_index": dev}}
				r.add("aws_network_interface", eni, a)
			}
			r.add("aws_instance", in, attrs)
		}
	}
}

// eni returns the interface of describe-network-interfaces with the ID.
func (r *regionReader) eni(id string) map[string]any {
	for _, e := range r.enis {
		if str(e, "NetworkInterfaceId") == id {
			return e
		}
	}
	return nil
}

func (r *regionReader) eniAttrs(e map[string]any) map[string]any {
	attrs := map[string]any{"id": str(e, "NetworkInterfaceId"), "subnet_id": str(e, "SubnetId"),
		"private_ip": str(e, "PrivateIpAddress"), "private_ips": stringList(e, "PrivateIpAddresses", "PrivateIpAddress"),
		"ipv6_addresses": stringList(e, "Ipv6Addresses", "Ipv6Address"), "security_groups": stringList(e, "Groups", "GroupId"),
		"tags": tags(e), "attachment": []any{}}
	if b, ok := boolean(e, "SourceDestCheck"); ok {
		attrs["source_dest_check"] = b
	}
	return attrs
}

func (r *regionReader) gateways() {
	for _, g := range r.list("ec2-describe-internet-gateways", "InternetGateways") {
		attrs := map[string]any{"id": str(g, "InternetGatewayId"), "owner_id": str(g, "OwnerId"), "tags": tags(g)}
		for _, a := range objects(g, "Attachments") {
			attrs["vpc_id"] = str(a, "VpcId")
		}
		r.add("aws_internet_gateway", g, attrs)
	}
	for _, g := range r.list("ec2-describe-egress-only-internet-gateways", "EgressOnlyInternetGateways") {
		attrs := map[string]any{"id": str(g, "EgressOnlyInternetGatewayId"), "tags": tags(g)}
		for _, a := range objects(g, "Attachments") {
			attrs["vpc_id"] = str(a, "VpcId")
		}
		r.add("aws_egress_only_internet_gateway", g, attrs)
	}
	for _, g := range r.list("ec2-describe-nat-gateways", "NatGateways") {
		switch str(g, "State") {
		case "deleted", "deleting", "failed":
			continue
		}
		attrs := map[string]any{"id": str(g, "NatGatewayId"), "subnet_id": str(g, "SubnetId"),
			"connectivity_type": strings.ToLower(str(g, "ConnectivityType")), "tags": tags(g)}
		for _, a := range objects(g, "NatGatewayAddresses") {
			if p, ok := boolean(a, "IsPrimary"); ok && !p {
				continue
			}
			attrs["allocation_id"], attrs["network_interface_id"] = str(a, "AllocationId"), str(a, "NetworkInterfaceId")
			attrs["private_ip"], attrs["public_ip"] = str(a, "PrivateIp"), str(a, "PublicIp")
			r.taken[str(a, "NetworkInterfaceId")] = true
			break
		}
		r.add("aws_nat_gateway", g, attrs)
	}
	for _, a := range r.list("ec2-describe-addresses", "Addresses") {
		id := str(a, "AllocationId")
		if id == "" {
			continue // an EC2-Classic address has no allocation
		}
		r.add("aws_eip", a, map[string]any{"id": id, "allocation_id": id, "public_ip": str(a, "PublicIp"),
			"instance": str(a, "InstanceId"), "network_interface": str(a, "NetworkInterfaceId"),
			"private_ip": str(a, "PrivateIpAddress"), "tags": tags(a)})
	}
}

func (r *regionReader) endpoints() {
	for _, e := range r.list("ec2-describe-vpc-endpoints", "VpcEndpoints") {
		switch strings.ToLower(str(e, "State")) {
		case "deleted", "deleting", "failed", "rejected":
			continue
		}
		var cfg []any
		for _, id := range stringList(e, "NetworkInterfaceIds", "") {
			nid, _ := id.(string)
			r.taken[nid] = true
			if ni := r.eni(nid); ni != nil {
				cfg = append(cfg, map[string]any{"subnet_id": str(ni, "SubnetId"), "ipv4": str(ni, "PrivateIpAddress")})
			}
		}
		r.add("aws_vpc_endpoint", e, map[string]any{"id": str(e, "VpcEndpointId"), "vpc_id": str(e, "VpcId"),
			"vpc_endpoint_type": str(e, "VpcEndpointType"), "service_name": str(e, "ServiceName"),
			"route_table_ids": stringList(e, "RouteTableIds", ""), "subnet_ids": stringList(e, "SubnetIds", ""),
			"security_group_ids": stringList(e, "Groups", "GroupId"), "network_interface_ids": stringList(e, "NetworkInterfaceIds", ""),
			"subnet_configuration": orEmpty(cfg), "tags": tags(e)})
	}
}

// prefixLists reads every managed prefix list, AWS's and the account's,
// with its entries when the snapshot has them (else they are unknown), as
// the data source of the provider describes one.
func (r *regionReader) prefixLists() {
	for _, p := range r.list("ec2-describe-managed-prefix-lists", "PrefixLists") {
		id := str(p, "PrefixListId")
		attrs := map[string]any{"id": id, "name": str(p, "PrefixListName"), "owner_id": str(p, "OwnerId")}
		if d := r.keyed["ec2-get-managed-prefix-list-entries"][id]; d != nil {
			var es []any
			for _, e := range objects(d.root, "Entries") {
				es = append(es, map[string]any{"cidr": str(e, "Cidr"), "description": str(e, "Description"), resource.PosKey: posOf(e, d.pos(0))})
			}
			attrs["entries"] = orEmpty(es)
		} else {
			attrs["entries"] = resource.Unknown
		}
		r.addMode("data", "aws_ec2_managed_prefix_list", p, attrs)
	}
}

func (r *regionReader) peerings() {
	for _, p := range r.list("ec2-describe-vpc-peering-connections", "VpcPeeringConnections") {
		st := str(object(p, "Status"), "Code")
		switch st {
		case "deleted", "rejected", "failed", "expired":
			continue
		}
		req, acc := object(p, "RequesterVpcInfo"), object(p, "AccepterVpcInfo")
		attrs := map[string]any{"id": str(p, "VpcPeeringConnectionId"), "vpc_id": str(req, "VpcId"), "peer_vpc_id": str(acc, "VpcId"),
			"peer_owner_id": str(acc, "OwnerId"), "accept_status": st, "tags": tags(p)}
		if reg := str(acc, "Region"); reg != "" && reg != r.region {
			attrs["peer_region"] = reg
		}
		// The requester owns the connection (in Terraform, its
		// aws_vpc_peering_connection); the accepter sees it.
		r.addOwned("aws_vpc_peering_connection", p, attrs, str(req, "OwnerId"))
	}
}

// launchTemplates reads, of every template, the version Auto Scaling groups
// launch from: the default one (a group asking for $Latest gets the highest,
// which a snapshot of $Latest and $Default holds too).
func (r *regionReader) launchTemplates() {
	latest := map[string]map[string]any{}
	var order []string
	for _, v := range r.list("ec2-describe-launch-template-versions", "LaunchTemplateVersions") {
		id := str(v, "LaunchTemplateId")
		if latest[id] == nil {
			order = append(order, id)
		}
		if cur := latest[id]; cur == nil || versionOf(v) > versionOf(cur) {
			latest[id] = v
		}
	}
	for _, id := range order {
		v := latest[id]
		data := object(v, "LaunchTemplateData")
		attrs := map[string]any{"id": id, "name": str(v, "LaunchTemplateName"),
			"vpc_security_group_ids": stringList(data, "SecurityGroupIds", ""), "security_group_names": stringList(data, "SecurityGroups", "")}
		var nis []any
		for _, ni := range objects(data, "NetworkInterfaces") {
			b := map[string]any{"device_index": numberOr(ni, "DeviceIndex"), "security_groups": stringList(ni, "Groups", "")}
			if a, ok := boolean(ni, "AssociatePublicIpAddress"); ok {
				b["associate_public_ip_address"] = map[bool]string{true: "true", false: "false"}[a]
			}
			nis = append(nis, b)
		}
		attrs["network_interfaces"] = orEmpty(nis)
		r.add("aws_launch_template", v, attrs)
	}
}

func versionOf(v map[string]any) int64 {
	n, _ := number(v, "VersionNumber")
	i, _ := n.Int64()
	return i
}

// standaloneInterfaces are the interfaces no owner took: interfaces created
// on their own, not attached to an instance, not an AWS service's.
func (r *regionReader) standaloneInterfaces() {
	for _, e := range r.enis {
		id := str(e, "NetworkInterfaceId")
		if r.taken[id] {
			continue
		}
		managed, _ := boolean(e, "RequesterManaged")
		switch t := str(e, "InterfaceType"); {
		case t == "nat_gateway" || t == "transit_gateway" || t == "gateway_load_balancer_endpoint" || t == "vpc_endpoint":
			continue // their owners describe them
		case managed:
			r.diag(model.SeverityWarning, posOf(e, r.pos()), id, "an interface AWS manages for %s (%s) that vpcsim cannot attribute to an element of the snapshot: it is kept as a standalone interface with its groups",
				orWord(str(e, "RequesterId"), "a service"), orWord(str(e, "Description"), t))
		}
		if a := object(e, "Attachment"); a != nil && str(a, "InstanceId") != "" {
			continue // an instance's: describe-instances has it
		}
		attrs := r.eniAttrs(e)
		if pub := str(object(e, "Association"), "PublicIp"); pub != "" && str(object(e, "Association"), "AllocationId") == "" {
			r.diag(model.SeverityNote, posOf(e, r.pos()), id, "its public address %s is not an Elastic IP and the interface belongs to no instance: it is left out", pub)
		}
		r.add("aws_network_interface", e, attrs)
	}
}

func orWord(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// pos is the position of the region folder, for what has none of its own.
func (r *regionReader) pos() model.Pos { return model.Pos{File: r.display(r.dir)} }

// interfacesOf is the network_interfaces attribute the mapper reads for an
// element whose interfaces AWS describes apart (see the mapper's
// readInterfaces): every interface of describe-network-interfaces match
// selects, marked taken.
func (r *regionReader) interfacesOf(match func(map[string]any) bool) []any {
	out := []any{}
	for _, e := range r.enis {
		if r.taken[str(e, "NetworkInterfaceId")] || !match(e) {
			continue
		}
		r.taken[str(e, "NetworkInterfaceId")] = true
		b := map[string]any{"network_interface_id": str(e, "NetworkInterfaceId"), "subnet_id": str(e, "SubnetId"),
			"private_ip": str(e, "PrivateIpAddress"), resource.PosKey: posOf(e, r.pos())}
		if v6 := stringList(e, "Ipv6Addresses", "Ipv6Address"); len(v6) > 0 {
			b["ipv6_address"] = v6[0]
		}
		if pub := str(object(e, "Association"), "PublicIp"); pub != "" {
			b["public_ip"] = pub
		}
		out = append(out, b)
	}
	return out
}

// sameGroups reports whether an interface has exactly the groups.
func sameGroups(e map[string]any, groups []any) bool {
	have := stringList(e, "Groups", "GroupId")
	if len(have) != len(groups) {
		return false
	}
	for _, g := range groups {
		if !slices.Contains(have, g) {
			return false
		}
	}
	return true
}

package main

import (
	"fmt"
	"sort"
)

func (s *snap) gateways() error {
	var igws []any
	if err := s.each("aws_internet_gateway", func(addr string, g map[string]any) error {
		igws = append(igws, obj{
			{"Attachments", []any{obj{{"State", "available"}, {"VpcId", g["vpc_id"]}}}},
			{"InternetGatewayId", g["id"]},
			{"OwnerId", account},
			{"Tags", tags(g["tags_all"])},
		})
		return nil
	}); err != nil {
		return err
	}
	s.put("ec2-describe-internet-gateways.json", obj{{"InternetGateways", anyList(igws)}})

	var eigws []any
	if err := s.each("aws_egress_only_internet_gateway", func(addr string, g map[string]any) error {
		eigws = append(eigws, obj{
			{"Attachments", []any{obj{{"State", "attached"}, {"VpcId", g["vpc_id"]}}}},
			{"EgressOnlyInternetGatewayId", g["id"]},
			{"Tags", tags(g["tags_all"])},
		})
		return nil
	}); err != nil {
		return err
	}
	s.put("ec2-describe-egress-only-internet-gateways.json", obj{{"EgressOnlyInternetGateways", anyList(eigws)}})

	var nats []any
	natOf := map[string]map[string]any{} // allocation ID -> NAT gateway
	if err := s.each("aws_nat_gateway", func(addr string, n map[string]any) error {
		sn, err := s.subnet(str(n["subnet_id"]))
		if err != nil {
			return err
		}
		natOf[str(n["allocation_id"])] = n
		nats = append(nats, obj{
			{"CreateTime", createTime},
			{"NatGatewayAddresses", []any{obj{
				{"AllocationId", n["allocation_id"]},
				{"NetworkInterfaceId", n["network_interface_id"]},
				{"PrivateIp", n["private_ip"]},
				{"PublicIp", n["public_ip"]},
				{"AssociationId", n["association_id"]},
				{"IsPrimary", true},
				{"Status", "succeeded"},
			}}},
			{"NatGatewayId", n["id"]},
			{"State", "available"},
			{"SubnetId", n["subnet_id"]},
			{"VpcId", sn["vpc_id"]},
			{"Tags", tags(n["tags_all"])},
			{"ConnectivityType", n["connectivity_type"]},
		})
		return nil
	}); err != nil {
		return err
	}
	s.put("ec2-describe-nat-gateways.json", obj{{"NatGateways", anyList(nats)}})

	// Elastic IPs as AWS sees them now: the NAT gateway's is associated
	// with its interface (the state, written at the address's creation,
	// does not know it yet).
	var addrs []any
	if err := s.each("aws_eip", func(addr string, e map[string]any) error {
		o := obj{{"AllocationId", e["id"]}}
		if n, ok := natOf[str(e["id"])]; ok {
			o = append(o, kv{"AssociationId", n["association_id"]}, kv{"Domain", "vpc"}, kv{"NetworkInterfaceId", n["network_interface_id"]},
				kv{"NetworkInterfaceOwnerId", account}, kv{"PrivateIpAddress", n["private_ip"]})
		} else {
			o = append(o, kv{"Domain", "vpc"})
		}
		o = append(o, kv{"Tags", tags(e["tags_all"])}, kv{"PublicIpv4Pool", "amazon"}, kv{"NetworkBorderGroup", region}, kv{"PublicIp", e["public_ip"]})
		addrs = append(addrs, o)
		return nil
	}); err != nil {
		return err
	}
	s.put("ec2-describe-addresses.json", obj{{"Addresses", anyList(addrs)}})

	var pcxs []any
	if err := s.each("aws_vpc_peering_connection", func(addr string, p map[string]any) error {
		info := func(vpcID string) (obj, error) {
			v, err := s.get(vpcID)
			if err != nil {
				return nil, err
			}
			return obj{
				{"CidrBlock", v["cidr_block"]},
				{"CidrBlockSet", []any{obj{{"CidrBlock", v["cidr_block"]}}}},
				{"OwnerId", account},
				{"PeeringOptions", obj{{"AllowDnsResolutionFromRemoteVpc", false}, {"AllowEgressFromLocalClassicLinkToRemoteVpc", false}, {"AllowEgressFromLocalVpcToRemoteClassicLink", false}}},
				{"VpcId", vpcID},
				{"Region", region},
			}, nil
		}
		acc, err := info(str(p["peer_vpc_id"]))
		if err != nil {
			return err
		}
		req, err := info(str(p["vpc_id"]))
		if err != nil {
			return err
		}
		pcxs = append(pcxs, obj{
			{"AccepterVpcInfo", acc},
			{"RequesterVpcInfo", req},
			{"Status", obj{{"Code", "active"}, {"Message", "Active"}}},
			{"Tags", tags(p["tags_all"])},
			{"VpcPeeringConnectionId", p["id"]},
		})
		return nil
	}); err != nil {
		return err
	}
	s.put("ec2-describe-vpc-peering-connections.json", obj{{"VpcPeeringConnections", anyList(pcxs)}})
	return nil
}

func (s *snap) endpoints() error {
	var out []any
	err := s.each("aws_vpc_endpoint", func(addr string, e map[string]any) error {
		o := obj{
			{"VpcEndpointId", e["id"]},
			{"VpcEndpointType", e["vpc_endpoint_type"]},
			{"VpcId", e["vpc_id"]},
			{"ServiceName", e["service_name"]},
			{"State", "available"},
			{"PolicyDocument", e["policy"]},
			{"RouteTableIds", anyList(strs(e["route_table_ids"]))},
			{"SubnetIds", anyList(strs(e["subnet_ids"]))},
			{"Groups", s.groupList(strs(e["security_group_ids"]))},
		}
		if e["vpc_endpoint_type"] == "Interface" {
			o = append(o, kv{"IpAddressType", e["ip_address_type"]}, kv{"DnsOptions", obj{{"DnsRecordIpType", "ipv4"}}})
		}
		var dns []any
		for _, d := range objs(e["dns_entry"]) {
			dns = append(dns, obj{{"DnsName", d["dns_name"]}, {"HostedZoneId", d["hosted_zone_id"]}})
		}
		o = append(o,
			kv{"PrivateDnsEnabled", e["private_dns_enabled"] == true},
			kv{"RequesterManaged", false},
			kv{"NetworkInterfaceIds", anyList(strs(e["network_interface_ids"]))},
			kv{"DnsEntries", anyList(dns)},
			kv{"CreationTimestamp", "2025-03-03T09:31:02.118000+00:00"},
			kv{"Tags", tags(e["tags_all"])},
			kv{"OwnerId", account},
			kv{"ServiceRegion", region},
		)
		out = append(out, o)
		return nil
	})
	s.put("ec2-describe-vpc-endpoints.json", obj{{"VpcEndpoints", anyList(out)}})
	return err
}

// awsPrefixLists are AWS-managed prefix lists every us-east-1 account sees,
// with their entries (a snapshot; AWS changes them from time to time).
var awsPrefixLists = []struct {
	id, name string
	cidrs    []string
}{
	{s3PrefixList, "com.amazonaws.us-east-1.s3", s3CIDRs},
	{"pl-02cd2c6b", "com.amazonaws.us-east-1.dynamodb", []string{"3.218.176.0/22", "3.218.180.0/22", "35.71.64.0/22", "52.94.0.0/22", "52.119.224.0/20"}},
}

func (s *snap) prefixLists() error {
	var out []any
	for _, pl := range awsPrefixLists {
		out = append(out, obj{
			{"PrefixListId", pl.id},
			{"AddressFamily", "IPv4"},
			{"State", "create-complete"},
			{"PrefixListArn", "arn:aws:ec2:" + region + ":aws:prefix-list/" + pl.id},
			{"PrefixListName", pl.name},
			{"Tags", []any{}},
			{"OwnerId", "AWS"},
		})
		var entries []any
		for _, c := range pl.cidrs {
			entries = append(entries, obj{{"Cidr", c}})
		}
		s.put("ec2-get-managed-prefix-list-entries/"+pl.id+".json", obj{{"Entries", entries}})
	}
	err := s.each("aws_ec2_managed_prefix_list", func(addr string, pl map[string]any) error {
		out = append(out, obj{
			{"PrefixListId", pl["id"]},
			{"AddressFamily", pl["address_family"]},
			{"State", "create-complete"},
			{"PrefixListArn", pl["arn"]},
			{"PrefixListName", pl["name"]},
			{"MaxEntries", intOf(pl["max_entries"])},
			{"Version", intOf(pl["version"])},
			{"Tags", tags(pl["tags_all"])},
			{"OwnerId", account},
		})
		entries := objs(pl["entry"])
		sort.Slice(entries, func(i, j int) bool { return str(entries[i]["cidr"]) < str(entries[j]["cidr"]) })
		var list []any
		for _, e := range entries {
			o := obj{{"Cidr", e["cidr"]}}
			o.add("Description", str(e["description"]))
			list = append(list, o)
		}
		s.put("ec2-get-managed-prefix-list-entries/"+str(pl["id"])+".json", obj{{"Entries", anyList(list)}})
		return nil
	})
	s.put("ec2-describe-managed-prefix-lists.json", obj{{"PrefixLists", out}})
	return err
}

// transitGateways writes the (empty) answers of the transit gateway calls:
// the estate has none, and a snapshot says so rather than leaving the files
// out.
func (s *snap) transitGateways() error {
	for file, key := range map[string]string{
		"ec2-describe-transit-gateways.json":                    "TransitGateways",
		"ec2-describe-transit-gateway-attachments.json":         "TransitGatewayAttachments",
		"ec2-describe-transit-gateway-vpc-attachments.json":     "TransitGatewayVpcAttachments",
		"ec2-describe-transit-gateway-peering-attachments.json": "TransitGatewayPeeringAttachments",
		"ec2-describe-transit-gateway-route-tables.json":        "TransitGatewayRouteTables",
	} {
		s.put(file, obj{{key, []any{}}})
	}
	return nil
}

func (s *snap) describeInstances() error {
	var reservations []any
	for _, in := range s.insts {
		seed := in.id
		nic := obj{}
		if in.public != "" {
			nic = append(nic, kv{"Association", obj{{"IpOwnerId", "amazon"}, {"PublicDnsName", publicDNS(in.public)}, {"PublicIp", in.public}}})
		}
		nic = append(nic,
			kv{"Attachment", obj{{"AttachTime", createTime}, {"AttachmentId", hexID("eni-attach", in.id)}, {"DeleteOnTermination", true},
				{"DeviceIndex", 0}, {"Status", "attached"}, {"NetworkCardIndex", 0}}},
			kv{"Description", ""},
			kv{"Groups", s.groupList(in.sgs)},
			kv{"Ipv6Addresses", []any{}},
			kv{"MacAddress", macAddress(in.eni)},
			kv{"NetworkInterfaceId", in.eni},
			kv{"OwnerId", account},
			kv{"PrivateDnsName", privateDNS(in.ip)},
			kv{"PrivateIpAddress", in.ip},
		)
		pip := obj{}
		if in.public != "" {
			pip = append(pip, kv{"Association", obj{{"IpOwnerId", "amazon"}, {"PublicDnsName", publicDNS(in.public)}, {"PublicIp", in.public}}})
		}
		pip = append(pip, kv{"Primary", true}, kv{"PrivateDnsName", privateDNS(in.ip)}, kv{"PrivateIpAddress", in.ip})
		nic = append(nic,
			kv{"PrivateIpAddresses", []any{pip}},
			kv{"SourceDestCheck", in.srcDest},
			kv{"Status", "in-use"},
			kv{"SubnetId", in.subnet},
			kv{"VpcId", in.vpc},
			kv{"InterfaceType", "interface"},
		)
		o := obj{
			{"AmiLaunchIndex", 0},
			{"ImageId", in.ami},
			{"InstanceId", in.id},
			{"InstanceType", in.typ},
		}
		o.add("KeyName", in.keyName)
		o = append(o,
			kv{"LaunchTime", createTime},
			kv{"Monitoring", obj{{"State", "disabled"}}},
			kv{"Placement", obj{{"AvailabilityZone", in.az}, {"GroupName", ""}, {"Tenancy", "default"}}},
		)
		if in.windows {
			o = append(o, kv{"Platform", "windows"})
		}
		o = append(o,
			kv{"PrivateDnsName", privateDNS(in.ip)},
			kv{"PrivateIpAddress", in.ip},
			kv{"ProductCodes", []any{}},
			kv{"PublicDnsName", publicDNS(in.public)},
		)
		o.add("PublicIpAddress", in.public)
		o = append(o,
			kv{"State", obj{{"Code", 16}, {"Name", "running"}}},
			kv{"StateTransitionReason", ""},
			kv{"SubnetId", in.subnet},
			kv{"VpcId", in.vpc},
			kv{"Architecture", "x86_64"},
			kv{"BlockDeviceMappings", []any{obj{{"DeviceName", rootDevice(in)}, {"Ebs", obj{{"AttachTime", createTime}, {"DeleteOnTermination", true}, {"Status", "attached"}, {"VolumeId", in.volume}}}}}},
			kv{"ClientToken", "terraform-" + uniqueTime + fmt.Sprintf("%08d", hash64(seed)%100000000)},
			kv{"EbsOptimized", false},
			kv{"EnaSupport", true},
			kv{"Hypervisor", "xen"},
			kv{"NetworkInterfaces", []any{nic}},
			kv{"RootDeviceName", rootDevice(in)},
			kv{"RootDeviceType", "ebs"},
			kv{"SecurityGroups", s.groupList(in.sgs)},
			kv{"SourceDestCheck", in.srcDest},
			kv{"Tags", tags(in.tags)},
			kv{"VirtualizationType", "hvm"},
			kv{"CpuOptions", obj{{"CoreCount", in.cpu[0]}, {"ThreadsPerCore", in.cpu[1]}}},
			kv{"CapacityReservationSpecification", obj{{"CapacityReservationPreference", "open"}}},
			kv{"HibernationOptions", obj{{"Configured", false}}},
			kv{"MetadataOptions", obj{{"State", "applied"}, {"HttpTokens", "required"}, {"HttpPutResponseHopLimit", 2}, {"HttpEndpoint", "enabled"}, {"HttpProtocolIpv6", "disabled"}, {"InstanceMetadataTags", "disabled"}}},
			kv{"EnclaveOptions", obj{{"Enabled", false}}},
			kv{"PlatformDetails", platformDetails(in)},
			kv{"UsageOperation", usageOperation(in)},
			kv{"UsageOperationUpdateTime", createTime},
			kv{"PrivateDnsNameOptions", obj{{"HostnameType", "ip-name"}, {"EnableResourceNameDnsARecord", false}, {"EnableResourceNameDnsAAAARecord", false}}},
			kv{"MaintenanceOptions", obj{{"AutoRecovery", "default"}}},
			kv{"CurrentInstanceBootMode", "legacy-bios"},
		)
		reservations = append(reservations, obj{
			{"Groups", []any{}},
			{"Instances", []any{o}},
			{"OwnerId", account},
			{"ReservationId", hexID("r", in.id)},
		})
	}
	s.put("ec2-describe-instances.json", obj{{"Reservations", anyList(reservations)}})
	return nil
}

func rootDevice(in *instance) string {
	if in.windows {
		return "/dev/sda1"
	}
	return "/dev/xvda"
}

func platformDetails(in *instance) string {
	if in.windows {
		return "Windows"
	}
	return "Linux/UNIX"
}

func usageOperation(in *instance) string {
	if in.windows {
		return "RunInstances:0002"
	}
	return "RunInstances"
}

func (s *snap) describeInterfaces() error {
	var out []any
	for _, e := range s.enis {
		o := obj{}
		if e.public != "" {
			a := obj{}
			a.add("AllocationId", e.allocID)
			a.add("AssociationId", e.assocID)
			a = append(a, kv{"IpOwnerId", e.publicOwner}, kv{"PublicDnsName", publicDNS(e.public)}, kv{"PublicIp", e.public})
			o = append(o, kv{"Association", a})
		}
		if e.attach != nil {
			a := obj{{"AttachTime", createTime}, {"AttachmentId", e.attach.id}, {"DeleteOnTermination", e.attach.deleteOnTermination}, {"DeviceIndex", e.attach.index}, {"NetworkCardIndex", 0}}
			a.add("InstanceId", e.attach.instance)
			a = append(a, kv{"InstanceOwnerId", e.attach.owner}, kv{"Status", "attached"})
			o = append(o, kv{"Attachment", a})
		}
		o = append(o,
			kv{"AvailabilityZone", e.az},
			kv{"Description", e.desc},
			kv{"Groups", s.groupList(e.groups)},
			kv{"InterfaceType", e.ifType},
			kv{"Ipv6Addresses", []any{}},
			kv{"MacAddress", macAddress(e.id)},
			kv{"NetworkInterfaceId", e.id},
			kv{"OwnerId", account},
			kv{"PrivateDnsName", privateDNS(e.ip)},
			kv{"PrivateIpAddress", e.ip},
		)
		pip := obj{}
		if e.public != "" {
			a := obj{}
			a.add("AllocationId", e.allocID)
			a.add("AssociationId", e.assocID)
			a = append(a, kv{"IpOwnerId", e.publicOwner}, kv{"PublicDnsName", publicDNS(e.public)}, kv{"PublicIp", e.public})
			pip = append(pip, kv{"Association", a})
		}
		pip = append(pip, kv{"Primary", true}, kv{"PrivateDnsName", privateDNS(e.ip)}, kv{"PrivateIpAddress", e.ip})
		o = append(o, kv{"PrivateIpAddresses", []any{pip}}, kv{"Ipv4Prefixes", []any{}}, kv{"Ipv6Prefixes", []any{}})
		o.add("RequesterId", e.requester)
		o = append(o,
			kv{"RequesterManaged", e.requesterManaged},
			kv{"SourceDestCheck", e.srcDest},
			kv{"Status", "in-use"},
			kv{"SubnetId", e.subnet},
			kv{"TagSet", e.tags},
			kv{"VpcId", e.vpc},
		)
		out = append(out, o)
	}
	s.put("ec2-describe-network-interfaces.json", obj{{"NetworkInterfaces", anyList(out)}})
	return nil
}

func (s *snap) launchTemplates() error {
	var out []any
	err := s.each("aws_launch_template", func(addr string, lt map[string]any) error {
		data := obj{{"ImageId", lt["image_id"]}, {"InstanceType", lt["instance_type"]}}
		for _, ni := range objs(lt["network_interfaces"]) {
			n := obj{}
			if v := str(ni["associate_public_ip_address"]); v != "" {
				n = append(n, kv{"AssociatePublicIpAddress", v == "true"})
			}
			if v := str(ni["delete_on_termination"]); v != "" {
				n = append(n, kv{"DeleteOnTermination", v == "true"})
			}
			n = append(n, kv{"DeviceIndex", intOf(ni["device_index"])}, kv{"Groups", anyList(strs(ni["security_groups"]))})
			data = append(data, kv{"NetworkInterfaces", []any{n}})
		}
		if sgs := strs(lt["vpc_security_group_ids"]); len(sgs) > 0 {
			data = append(data, kv{"SecurityGroupIds", anyList(sgs)})
		}
		var specs []any
		for _, ts := range objs(lt["tag_specifications"]) {
			specs = append(specs, obj{{"ResourceType", ts["resource_type"]}, {"Tags", tags(ts["tags"])}})
		}
		if len(specs) > 0 {
			data = append(data, kv{"TagSpecifications", specs})
		}
		out = append(out, obj{
			{"LaunchTemplateId", lt["id"]},
			{"LaunchTemplateName", lt["name"]},
			{"VersionNumber", intOf(lt["latest_version"])},
			{"CreateTime", "2025-03-03T09:30:41+00:00"},
			{"CreatedBy", "arn:aws:iam::" + account + ":user/terraform"},
			{"DefaultVersion", true},
			{"LaunchTemplateData", data},
		})
		return nil
	})
	s.put("ec2-describe-launch-template-versions.json", obj{{"LaunchTemplateVersions", anyList(out)}})
	return err
}

package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

// The account and region of every fixture, as in examples/.
const (
	account = "123456789012"
	region  = "us-east-1"
)

// zoneIDs maps the account's zone names to zone IDs (the mapping differs
// between accounts; this is the one of the fixtures' account).
var zoneIDs = map[string]string{
	"us-east-1a": "use1-az4",
	"us-east-1b": "use1-az6",
	"us-east-1c": "use1-az1",
}

// dhcpOptions is the account's default DHCP option set, which every VPC
// created without one gets.
var dhcpOptions = hexID("dopt", "default")

func constant(v any) gen { return func(*fillCtx) (any, error) { return v, nil } }

func emptyList() gen { return func(*fillCtx) (any, error) { return []any{}, nil } }

func num(n int) json.Number { return json.Number(fmt.Sprint(n)) }

// idGen makes the resource's own ID with AWS's prefix for its kind.
func idGen(prefix string) gen {
	return func(c *fillCtx) (any, error) { return hexID(prefix, c.seed("id")), nil }
}

// arnGen is the ARN of an EC2 resource: arn:aws:ec2:REGION:ACCOUNT:KIND/ID.
func arnGen(kind string) gen {
	return func(c *fillCtx) (any, error) {
		id, err := c.str("id")
		if err != nil {
			return nil, err
		}
		return "arn:aws:ec2:" + region + ":" + account + ":" + kind + "/" + id, nil
	}
}

// same copies another attribute of the instance.
func same(name string) gen { return func(c *fillCtx) (any, error) { return c.get(name) } }

// commonGens apply to every type that has the attribute.
var commonGens = map[string]gen{
	"owner_id": constant(account),
	"tags_all": func(c *fillCtx) (any, error) {
		out := map[string]any{}
		maps.Copy(out, c.a.defaultTags)
		if t, ok := c.known["tags"].(map[string]any); ok {
			maps.Copy(out, t)
		}
		return out, nil
	},
}

// subnetOf returns the attributes of the instance's subnet.
func subnetOf(c *fillCtx) (map[string]any, error) {
	id, err := c.str("subnet_id")
	if err != nil {
		return nil, err
	}
	return c.other(id)
}

func privateIPGen(c *fillCtx) (any, error) {
	sn, err := subnetOf(c)
	if err != nil {
		return nil, err
	}
	cidr, _ := sn["cidr_block"].(string)
	return c.a.addrs.private(cidr, c.seed("private_ip"))
}

var generators = map[string]map[string]gen{
	"aws_vpc": {
		"id":                                   idGen("vpc"),
		"arn":                                  arnGen("vpc"),
		"default_network_acl_id":               func(c *fillCtx) (any, error) { return hexID("acl", c.seed("default")), nil },
		"default_route_table_id":               func(c *fillCtx) (any, error) { return hexID("rtb", c.seed("main")), nil },
		"main_route_table_id":                  same("default_route_table_id"),
		"default_security_group_id":            func(c *fillCtx) (any, error) { return hexID("sg", c.seed("default")), nil },
		"dhcp_options_id":                      constant(dhcpOptions),
		"enable_dns_hostnames":                 constant(false),
		"enable_network_address_usage_metrics": constant(false),
		"ipv6_association_id":                  constant(""),
		"ipv6_cidr_block":                      constant(""),
		"ipv6_cidr_block_network_border_group": constant(""),
	},
	"aws_subnet": {
		"id":  idGen("subnet"),
		"arn": arnGen("subnet"),
		"availability_zone_id": func(c *fillCtx) (any, error) {
			z, err := c.str("availability_zone")
			if err != nil {
				return nil, err
			}
			id, ok := zoneIDs[z]
			if !ok {
				return nil, fmt.Errorf("no zone ID for %q", z)
			}
			return id, nil
		},
		"ipv6_cidr_block_association_id":      constant(""),
		"private_dns_hostname_type_on_launch": constant("ip-name"),
	},
	"aws_internet_gateway": {
		"id":  idGen("igw"),
		"arn": arnGen("internet-gateway"),
	},
	"aws_eip": {
		"id":                   idGen("eipalloc"),
		"allocation_id":        same("id"),
		"arn":                  arnGen("elastic-ip"),
		"association_id":       eipAssociated,
		"carrier_ip":           constant(""),
		"customer_owned_ip":    constant(""),
		"instance":             eipAssociated,
		"ipam_pool_id":         constant(nil),
		"network_border_group": constant(region),
		"network_interface":    eipAssociated,
		"private_dns":          eipAssociated,
		"private_ip":           eipAssociated,
		"ptr_record":           constant(""),
		"public_ip":            func(c *fillCtx) (any, error) { return c.a.addrs.public(c.seed("public_ip")), nil },
		"public_dns": func(c *fillCtx) (any, error) {
			ip, err := c.str("public_ip")
			return publicDNS(ip), err
		},
		"public_ipv4_pool": constant("amazon"),
		"vpc":              constant(true),
	},
	"aws_nat_gateway": {
		"id": idGen("nat"),
		"association_id": func(c *fillCtx) (any, error) {
			return hexID("eipassoc", c.seed("association")), nil
		},
		"network_interface_id": func(c *fillCtx) (any, error) { return hexID("eni", c.seed("eni")), nil },
		"private_ip":           privateIPGen,
		"public_ip": func(c *fillCtx) (any, error) {
			alloc, err := c.str("allocation_id")
			if err != nil {
				return nil, err
			}
			eip, err := c.other(alloc)
			if err != nil {
				return nil, err
			}
			return eip["public_ip"], nil
		},
		"secondary_private_ip_address_count": constant(num(0)),
		"secondary_private_ip_addresses":     emptyList(),
	},
	"aws_route_table": {
		"id":               idGen("rtb"),
		"arn":              arnGen("route-table"),
		"propagating_vgws": emptyList(),
		// Routes declared as aws_route are created after the table: the
		// table's first read has none (the local route is never listed).
		"route": emptyList(),
	},
	"aws_route": {
		"id": func(c *fillCtx) (any, error) {
			rtb, err := c.str("route_table_id")
			if err != nil {
				return nil, err
			}
			dest, _ := c.known["destination_cidr_block"].(string)
			if dest == "" {
				dest, _ = c.known["destination_ipv6_cidr_block"].(string)
			}
			if dest == "" {
				dest, _ = c.known["destination_prefix_list_id"].(string)
			}
			return tfstate.RouteID(rtb, dest), nil
		},
		"instance_id":          constant(""),
		"instance_owner_id":    constant(""),
		"nat_gateway_id":       constant(""),
		"network_interface_id": constant(""),
		"origin":               constant("CreateRoute"),
		"state":                constant("active"),
	},
	"aws_route_table_association": {
		"id": idGen("rtbassoc"),
	},
	"aws_network_acl": {
		"id":  idGen("acl"),
		"arn": arnGen("network-acl"),
		// Rules and associations declared as their own resources come
		// after the ACL.
		"egress":     emptyList(),
		"ingress":    emptyList(),
		"subnet_ids": emptyList(),
	},
	"aws_network_acl_association": {
		"id": idGen("aclassoc"),
	},
	"aws_network_acl_rule": {
		"id": func(c *fillCtx) (any, error) {
			acl, err := c.str("network_acl_id")
			if err != nil {
				return nil, err
			}
			n, _ := c.known["rule_number"].(json.Number)
			egress, _ := c.known["egress"].(bool)
			proto, _ := c.known["protocol"].(string)
			// The provider hashes the protocol as configured ("tcp"),
			// though it stores the number.
			return fmt.Sprintf("nacl-%d", tfstate.Hashcode(fmt.Sprintf("%s-%s-%t-%s-", acl, n, egress, proto))), nil
		},
	},
	"aws_security_group": {
		"id":          idGen("sg"),
		"arn":         arnGen("security-group"),
		"egress":      emptyList(),
		"ingress":     emptyList(),
		"name_prefix": constant(""),
	},
	"aws_security_group_rule": {
		"id":                       sgRuleID,
		"security_group_rule_id":   idGen("sgr"),
		"source_security_group_id": constant(nil),
	},
	"aws_vpc_security_group_ingress_rule": vpcSGRuleGens,
	"aws_vpc_security_group_egress_rule":  vpcSGRuleGens,
	"aws_vpc_peering_connection": {
		"id":            idGen("pcx"),
		"accept_status": constant("active"),
		"accepter":      constant([]any{map[string]any{"allow_remote_vpc_dns_resolution": false}}),
		"requester":     constant([]any{map[string]any{"allow_remote_vpc_dns_resolution": false}}),
		"peer_owner_id": constant(account),
		"peer_region":   constant(region),
	},
	"aws_eip_association": {
		"id": idGen("eipassoc"),
	},
	"aws_instance": instanceGens,
}

var vpcSGRuleGens = map[string]gen{
	"id":                     idGen("sgr"),
	"security_group_rule_id": same("id"),
	"arn":                    arnGen("security-group-rule"),
}

// naclProtocolNumber is what the provider puts in a NACL rule's ID: the
// protocol as AWS stores it, a number.
func naclProtocolNumber(p string) string {
	switch strings.ToLower(p) {
	case "tcp":
		return "6"
	case "udp":
		return "17"
	case "icmp":
		return "1"
	case "all":
		return "-1"
	}
	return p
}

// sgRuleID is aws_security_group_rule's ID, a hash of the permission it
// created (the provider's securityGroupRuleCreateID).
func sgRuleID(c *fillCtx) (any, error) {
	sg, _ := c.known["security_group_id"].(string)
	typ, _ := c.known["type"].(string)
	proto, _ := c.known["protocol"].(string)
	var b strings.Builder
	fmt.Fprintf(&b, "%s-", sg)
	if proto != "-1" {
		for _, k := range []string{"from_port", "to_port"} {
			if n, ok := c.known[k].(json.Number); ok && n != "0" {
				fmt.Fprintf(&b, "%s-", n)
			}
		}
	}
	fmt.Fprintf(&b, "%s-%s-", proto, typ)
	for _, k := range []string{"cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids"} {
		var s []string
		if l, ok := c.known[k].([]any); ok {
			for _, x := range l {
				s = append(s, fmt.Sprint(x))
			}
		}
		slices.Sort(s)
		for _, x := range s {
			fmt.Fprintf(&b, "%s-", x)
		}
	}
	var groups []string
	if self, _ := c.known["self"].(bool); self {
		groups = append(groups, sg)
	}
	if src, ok := c.known["source_security_group_id"].(string); ok && src != "" && src != sg {
		groups = append(groups, src)
	}
	slices.Sort(groups)
	for _, g := range groups {
		fmt.Fprintf(&b, "%s--", g)
	}
	return fmt.Sprintf("sgrule-%d", tfstate.Hashcode(b.String())), nil
}

// eipAssociated fills what an Elastic IP reports about its association
// when it is created alone: nothing (a NAT gateway or an
// aws_eip_association takes it later). An aws_eip that names an instance
// itself is not handled.
func eipAssociated(c *fillCtx) (any, error) {
	if inst, _ := c.known["instance"].(string); inst != "" {
		return nil, fmt.Errorf("an aws_eip with instance set is not handled; use aws_eip_association")
	}
	return "", nil
}

// instanceCPU is the default CPU topology of the instance types the
// fixtures use.
var instanceCPU = map[string][2]int{
	"t3.micro": {1, 2}, "t3.small": {1, 2}, "t3.medium": {1, 2}, "t3.large": {1, 2},
	"m6i.large": {1, 2}, "m6i.xlarge": {2, 2}, "r6i.large": {1, 2}, "c6i.large": {1, 2},
}

func cpu(c *fillCtx) ([2]int, error) {
	t, _ := c.known["instance_type"].(string)
	v, ok := instanceCPU[t]
	if !ok {
		return v, fmt.Errorf("no CPU topology for instance type %q", t)
	}
	return v, nil
}

var instanceGens = map[string]gen{
	"id":  idGen("i"),
	"arn": arnGen("instance"),
	"associate_public_ip_address": func(c *fillCtx) (any, error) {
		sn, err := subnetOf(c)
		if err != nil {
			return nil, err
		}
		return sn["map_public_ip_on_launch"] == true, nil
	},
	"availability_zone": func(c *fillCtx) (any, error) {
		sn, err := subnetOf(c)
		if err != nil {
			return nil, err
		}
		return sn["availability_zone"], nil
	},
	"capacity_reservation_specification": constant([]any{map[string]any{"capacity_reservation_preference": "open", "capacity_reservation_target": []any{}}}),
	"cpu_core_count": func(c *fillCtx) (any, error) {
		v, err := cpu(c)
		return num(v[0]), err
	},
	"cpu_threads_per_core": func(c *fillCtx) (any, error) {
		v, err := cpu(c)
		return num(v[1]), err
	},
	"cpu_options": func(c *fillCtx) (any, error) {
		v, err := cpu(c)
		return []any{map[string]any{"amd_sev_snp": "", "core_count": num(v[0]), "threads_per_core": num(v[1])}}, err
	},
	"disable_api_stop":                     constant(false),
	"disable_api_termination":              constant(false),
	"ebs_block_device":                     emptyList(),
	"ebs_optimized":                        constant(false),
	"enable_primary_ipv6":                  constant(nil),
	"enclave_options":                      constant([]any{map[string]any{"enabled": false}}),
	"ephemeral_block_device":               emptyList(),
	"host_id":                              constant(""),
	"host_resource_group_arn":              constant(nil),
	"iam_instance_profile":                 constant(""),
	"instance_initiated_shutdown_behavior": constant("stop"),
	"instance_lifecycle":                   constant(""),
	"instance_market_options":              emptyList(),
	"instance_state":                       constant("running"),
	"ipv6_address_count":                   constant(num(0)),
	"ipv6_addresses":                       emptyList(),
	"key_name":                             constant(""),
	"maintenance_options":                  constant([]any{map[string]any{"auto_recovery": "default"}}),
	// Amazon Linux 2023 AMIs ask for IMDSv2 with a hop limit of 2.
	"metadata_options": constant([]any{map[string]any{
		"http_endpoint": "enabled", "http_protocol_ipv6": "disabled", "http_put_response_hop_limit": num(2),
		"http_tokens": "required", "instance_metadata_tags": "disabled",
	}}),
	"monitoring":                   constant(false),
	"network_interface":            emptyList(),
	"outpost_arn":                  constant(""),
	"password_data":                constant(""),
	"placement_group":              constant(""),
	"placement_partition_number":   constant(num(0)),
	"primary_network_interface_id": func(c *fillCtx) (any, error) { return hexID("eni", c.seed("eni")), nil },
	"private_ip":                   privateIPGen,
	"private_dns": func(c *fillCtx) (any, error) {
		ip, err := c.str("private_ip")
		return privateDNS(ip), err
	},
	"private_dns_name_options": constant([]any{map[string]any{
		"enable_resource_name_dns_a_record": false, "enable_resource_name_dns_aaaa_record": false, "hostname_type": "ip-name",
	}}),
	"public_ip": func(c *fillCtx) (any, error) {
		pub, err := c.boolean("associate_public_ip_address")
		if err != nil || !pub {
			return "", err
		}
		return c.a.addrs.public(c.seed("public_ip")), nil
	},
	"public_dns": func(c *fillCtx) (any, error) {
		ip, err := c.str("public_ip")
		return publicDNS(ip), err
	},
	"root_block_device": func(c *fillCtx) (any, error) {
		return []any{map[string]any{
			"delete_on_termination": true, "device_name": "/dev/xvda", "encrypted": false, "iops": num(3000),
			"kms_key_id": "", "tags": map[string]any{}, "tags_all": map[string]any{}, "throughput": num(125),
			"volume_id": hexID("vol", c.seed("root")), "volume_size": num(8), "volume_type": "gp3",
		}}, nil
	},
	"secondary_private_ips":    emptyList(),
	"security_groups":          emptyList(),
	"spot_instance_request_id": constant(""),
	"tenancy":                  constant("default"),
	"user_data":                constant(nil),
	"user_data_base64":         constant(nil),
}

// frameworkTypes are written with the plugin framework, which stores null
// for what the configuration leaves null.
var frameworkTypes = map[string]bool{
	"aws_vpc_security_group_ingress_rule": true,
	"aws_vpc_security_group_egress_rule":  true,
}

// keepNull are the attributes an SDKv2 resource's read never sets, so that
// they stay null in state as in the plan (seen in states real applies
// wrote).
var keepNull = map[string][]string{
	"aws_vpc":              {"ipv4_ipam_pool_id", "ipv4_netmask_length"},
	"aws_eip":              {"address", "associate_with_private_ip"},
	"aws_instance":         {"user_data", "user_data_base64", "host_resource_group_arn", "enable_primary_ipv6"},
	"aws_network_acl_rule": {"icmp_code", "icmp_type"},
	// Attributes of application load balancers, which a network load
	// balancer's read leaves alone.
	"aws_lb": {"client_keep_alive", "desync_mitigation_mode", "dns_record_client_routing_policy", "drop_invalid_header_fields",
		"enable_http2", "enable_tls_version_and_cipher_suite_headers", "enable_waf_fail_open", "enable_xff_client_port",
		"idle_timeout", "preserve_host_header", "xff_header_processing_mode"},
	"aws_lb_listener":                {"alpn_policy", "certificate_arn"},
	"aws_lb_target_group_attachment": {"availability_zone"},
	"aws_db_instance": {"allow_major_version_upgrade", "final_snapshot_identifier", "password", "password_wo",
		"password_wo_version", "upgrade_storage_config"},
	"aws_autoscaling_group": {"min_elb_capacity", "wait_for_elb_capacity"},
	"aws_launch_template":   {"update_default_version"},
	"aws_lambda_function":   {"filename", "replace_security_groups_on_destroy", "s3_object_version"},
	"aws_vpc_endpoint":      {"auto_accept", "resource_configuration_arn", "service_network_arn"},
}

// afterRead applies what the provider's read changes in values the plan
// knew: AWS's network ACL API speaks protocol numbers only, and the
// provider stores them so ("6" for "tcp").
var afterRead = map[string]func(attrs map[string]any){
	// An application load balancer always balances across zones.
	"aws_lb": func(attrs map[string]any) {
		if attrs["load_balancer_type"] == "application" {
			attrs["enable_cross_zone_load_balancing"] = true
		}
	},
	"aws_network_acl_rule": func(attrs map[string]any) {
		if p, ok := attrs["protocol"].(string); ok {
			attrs["protocol"] = naclProtocolNumber(p)
		}
	},
	"aws_network_acl": func(attrs map[string]any) {
		for _, dir := range []string{"ingress", "egress"} {
			l, _ := attrs[dir].([]any)
			for _, e := range l {
				if m, ok := e.(map[string]any); ok {
					if p, ok := m["protocol"].(string); ok {
						m["protocol"] = naclProtocolNumber(p)
					}
				}
			}
		}
	},
}

package config

import (
	"slices"
	"strings"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// computedAttrs lists, per resource type, the attributes the AWS provider
// computes and a configuration may read, with how vpcsim fills them when the
// configuration does not set them. Every managed resource also gets "id"
// (its symbolic ID, the address), "arn" (unknown) and, when the account is
// known, "owner_id". docs/loading-config.md reproduces this table.
var computedAttrs = map[string]map[string]fill{
	"aws_vpc": {
		"main_route_table_id": symbolic, "default_route_table_id": symbolic,
		"default_network_acl_id": symbolic, "default_security_group_id": symbolic,
		"dhcp_options_id": unknownFill, "ipv6_association_id": unknownFill, "ipv6_cidr_block_network_border_group": unknownFill,
		// Both blocks are optional and computed: AWS assigns the IPv6 one,
		// and an IPAM pool (ipv4_ipam_pool_id) the IPv4 one.
		"ipv6_cidr_block": unknownFill, "cidr_block": unknownFill,
	},
	"aws_default_vpc": {
		"main_route_table_id": symbolic, "default_route_table_id": symbolic,
		"default_network_acl_id": symbolic, "default_security_group_id": symbolic,
		"cidr_block": unknownFill, "dhcp_options_id": unknownFill,
	},
	"aws_subnet":                       {"availability_zone": unknownFill, "availability_zone_id": unknownFill, "ipv6_cidr_block_association_id": unknownFill},
	"aws_default_subnet":               {"cidr_block": unknownFill, "vpc_id": unknownFill, "availability_zone_id": unknownFill},
	"aws_internet_gateway":             {},
	"aws_egress_only_internet_gateway": {},
	"aws_eip": {
		"allocation_id": sameAsID, "public_ip": unknownFill, "private_ip": unknownFill, "association_id": unknownFill,
		"public_dns": unknownFill, "private_dns": unknownFill, "carrier_ip": unknownFill, "customer_owned_ip": unknownFill,
	},
	"aws_nat_gateway": {
		"network_interface_id": symbolic, "private_ip": unknownFill, "public_ip": unknownFill, "association_id": unknownFill,
	},
	"aws_instance": {
		"primary_network_interface_id": symbolic, "private_ip": unknownFill, "public_ip": unknownFill,
		"private_dns": unknownFill, "public_dns": unknownFill, "availability_zone": unknownFill, "subnet_id": unknownFill,
		"ipv6_addresses": unknownFill, "instance_state": unknownFill, "outpost_arn": unknownFill, "password_data": unknownFill,
		"vpc_security_group_ids": unknownFill, "security_groups": unknownFill,
	},
	"aws_network_interface": {
		"private_ip": unknownFill, "private_ips": unknownFill, "mac_address": unknownFill, "private_dns_name": unknownFill,
		"ipv6_addresses": unknownFill, "outpost_arn": unknownFill,
	},
	"aws_eip_association":                 {"allocation_id": unknownFill, "instance_id": unknownFill, "network_interface_id": unknownFill, "private_ip_address": unknownFill, "public_ip": unknownFill},
	"aws_security_group":                  {"name": unknownFill},
	"aws_default_security_group":          {"name": unknownFill, "description": unknownFill},
	"aws_security_group_rule":             {"security_group_rule_id": unknownFill},
	"aws_vpc_security_group_ingress_rule": {"security_group_rule_id": unknownFill},
	"aws_vpc_security_group_egress_rule":  {"security_group_rule_id": unknownFill},
	"aws_route_table":                     {},
	"aws_default_route_table":             {"vpc_id": unknownFill},
	"aws_route":                           {"instance_owner_id": unknownFill, "origin": unknownFill, "state": unknownFill},
	"aws_route_table_association":         {},
	"aws_main_route_table_association":    {"original_route_table_id": unknownFill},
	"aws_network_acl":                     {},
	"aws_default_network_acl":             {"vpc_id": unknownFill},
	"aws_network_acl_rule":                {},
	"aws_network_acl_association":         {},
	"aws_vpc_peering_connection":          {"accept_status": unknownFill, "peer_owner_id": unknownFill, "peer_region": unknownFill},
	"aws_vpc_peering_connection_accepter": {"accept_status": unknownFill, "vpc_id": unknownFill, "peer_vpc_id": unknownFill, "peer_owner_id": unknownFill, "peer_region": unknownFill},
	"aws_vpc_endpoint": {
		"prefix_list_id": symbolic, "network_interface_ids": unknownFill, "dns_entry": unknownFill, "cidr_blocks": unknownFill,
		"state": unknownFill, "requester_managed": unknownFill,
	},
	"aws_ec2_managed_prefix_list": {"version": unknownFill},
	"aws_ec2_transit_gateway": {
		"association_default_route_table_id": symbolic, "propagation_default_route_table_id": symbolic,
	},
	"aws_ec2_transit_gateway_vpc_attachment":     {"vpc_owner_id": unknownFill},
	"aws_ec2_transit_gateway_route_table":        {"default_association_route_table": unknownFill, "default_propagation_route_table": unknownFill},
	"aws_ec2_transit_gateway_peering_attachment": {},
	"aws_vpn_gateway":                            {},
	"aws_customer_gateway":                       {},
	"aws_vpn_connection": {
		"transit_gateway_attachment_id": symbolic, "tunnel1_address": unknownFill, "tunnel2_address": unknownFill,
		"customer_gateway_configuration": unknownFill, "vgw_telemetry": unknownFill,
	},
	"aws_vpc_ipv4_cidr_block_association": {"cidr_block": unknownFill},
	"aws_vpc_ipv6_cidr_block_association": {"ipv6_cidr_block": unknownFill},
	// A load balancer's, a listener's and a target group's ID is their ARN.
	"aws_lb":               {"arn": sameAsID, "dns_name": unknownFill, "zone_id": unknownFill, "arn_suffix": unknownFill, "vpc_id": unknownFill},
	"aws_alb":              {"arn": sameAsID, "dns_name": unknownFill, "zone_id": unknownFill, "arn_suffix": unknownFill, "vpc_id": unknownFill},
	"aws_lb_listener":      {"arn": sameAsID},
	"aws_alb_listener":     {"arn": sameAsID},
	"aws_lb_listener_rule": {"arn": sameAsID},
	"aws_lb_target_group":  {"arn": sameAsID, "arn_suffix": unknownFill, "preserve_client_ip": unknownFill},
	"aws_alb_target_group": {"arn": sameAsID, "arn_suffix": unknownFill, "preserve_client_ip": unknownFill},
	"aws_elb":              {"dns_name": unknownFill, "zone_id": unknownFill, "source_security_group_id": unknownFill},
	"aws_launch_template":  {"latest_version": unknownFill, "default_version": unknownFill},
	"aws_db_instance":      {"address": unknownFill, "endpoint": unknownFill, "resource_id": unknownFill, "availability_zone": unknownFill},
}

// fill says how a computed attribute is filled.
type fill uint8

const (
	// unknownFill: known only after apply.
	unknownFill fill = iota + 1
	// symbolic: a stable symbolic ID (symbolicID), so that references to it
	// resolve to one element.
	symbolic
	// sameAsID: AWS gives it the resource's own ID (an EIP's allocation).
	sameAsID
)

// providerDefaults are the values the AWS provider gives optional arguments
// that change the network, for when the configuration leaves them out; state
// always records them, so the mapper sees the same shape from both. An
// aws_security_group or aws_network_acl without rule blocks has no rules, and
// the aws_default_* resources remove every rule or route the configuration
// does not declare.
var providerDefaults = map[string]map[string]cty.Value{
	"aws_vpc": {"enable_dns_support": cty.True, "enable_dns_hostnames": cty.False, "instance_tenancy": cty.StringVal("default"),
		"assign_generated_ipv6_cidr_block": cty.False},
	"aws_subnet": {"map_public_ip_on_launch": cty.False, "assign_ipv6_address_on_creation": cty.False},
	// A default subnet gives its instances public addresses: the provider's
	// default is true (what a real plan of aws_default_subnet shows).
	"aws_default_subnet":         {"map_public_ip_on_launch": cty.True, "assign_ipv6_address_on_creation": cty.False},
	"aws_instance":               {"source_dest_check": cty.True},
	"aws_network_interface":      {"source_dest_check": cty.True},
	"aws_security_group":         {"ingress": cty.EmptyTupleVal, "egress": cty.EmptyTupleVal},
	"aws_default_security_group": {"ingress": cty.EmptyTupleVal, "egress": cty.EmptyTupleVal},
	"aws_network_acl":            {"ingress": cty.EmptyTupleVal, "egress": cty.EmptyTupleVal},
	"aws_default_network_acl":    {"ingress": cty.EmptyTupleVal, "egress": cty.EmptyTupleVal},
	"aws_default_route_table":    {"route": cty.EmptyTupleVal},
	"aws_network_acl_rule":       {"egress": cty.False},
	"aws_nat_gateway":            {"connectivity_type": cty.StringVal("public")},
	"aws_vpc_endpoint":           {"vpc_endpoint_type": cty.StringVal("Gateway")},
	"aws_vpn_connection":         {"static_routes_only": cty.False},
	"aws_ec2_transit_gateway": {"default_route_table_association": cty.StringVal("enable"),
		"default_route_table_propagation": cty.StringVal("enable")},
	"aws_ec2_transit_gateway_vpc_attachment": {"transit_gateway_default_route_table_association": cty.True,
		"transit_gateway_default_route_table_propagation": cty.True, "appliance_mode_support": cty.StringVal("disable")},
}

// jsonBlocks are the nested block types of the resources vpcsim models, by
// resource type: in a .tf.json file a single block may be written as one
// object, which state records as a list of one.
var jsonBlocks = map[string][]string{
	"aws_security_group":         {"ingress", "egress"},
	"aws_default_security_group": {"ingress", "egress"},
	"aws_network_acl":            {"ingress", "egress"},
	"aws_default_network_acl":    {"ingress", "egress"},
	"aws_route_table":            {"route"},
	"aws_default_route_table":    {"route"},
	"aws_instance":               {"network_interface", "root_block_device", "ebs_block_device"},
	"aws_vpn_connection":         {"tunnel1_log_options", "tunnel2_log_options"},
}

func jsonBlock(typ, name string) bool { return slices.Contains(jsonBlocks[typ], name) }

// fillComputed adds the computed attributes of a managed resource that the
// configuration does not set, and the provider's defaults. References see
// symbolic IDs, so that they link elements; the instance's own attributes
// record them as unknown, as a plan does, and the mapper gives the element
// the same symbolic ID and marks it unknown.
//
// An argument set to null counts as not set, as in Terraform: null given to
// an optional and computed argument (ipv6_cidr_block = var.x, where x
// defaults to null) leaves the value to the provider, known only after
// apply, and null given to an argument with a default takes the default.
func (l *loader) fillComputed(typ, addr string, obj map[string]cty.Value, attrs map[string]any) {
	unset := func(name string) bool {
		v, ok := obj[name]
		return !ok || v == cty.NilVal || (v.IsKnown() && v.IsNull())
	}
	set := func(name string, v cty.Value) {
		if unset(name) {
			obj[name], attrs[name] = v, toAny(v)
		}
	}
	sym := func(name, id string) {
		if unset(name) {
			obj[name], attrs[name] = cty.StringVal(id), resource.Unknown
		}
	}
	switch typ {
	case "aws_default_route_table", "aws_default_network_acl":
		// The default resources stand for the element AWS made with the
		// VPC, so their ID is the one the VPC's attribute resolves to, and
		// that symbolic ID names the VPC.
		arg, suffix := "default_route_table_id", ".main_route_table_id"
		if typ == "aws_default_network_acl" {
			arg, suffix = "default_network_acl_id", ".default_network_acl_id"
		}
		id := knownStringOr(obj[arg], cty.StringVal(resource.SymbolicID(addr, "id"))).AsString()
		sym("id", id)
		if strings.HasSuffix(id, suffix) {
			set("vpc_id", cty.StringVal(strings.TrimSuffix(id, suffix)))
		}
	case "aws_default_security_group":
		id := resource.SymbolicID(addr, "id")
		if v := obj["vpc_id"]; v != cty.NilVal && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			id = resource.SymbolicID(v.AsString(), "default_security_group_id")
		}
		sym("id", id)
	}
	sym("id", resource.SymbolicID(addr, "id"))
	if computedAttrs[typ]["arn"] != sameAsID {
		set("arn", cty.UnknownVal(cty.String))
	}
	if l.opts.AccountID != "" {
		set("owner_id", cty.StringVal(l.opts.AccountID))
	} else {
		set("owner_id", cty.UnknownVal(cty.String))
	}
	if tags, ok := obj["tags"]; ok || l.defaultTags != cty.NilVal {
		set("tags_all", l.tagsAll(tags))
	}
	for name, f := range computedAttrs[typ] {
		switch f {
		case symbolic:
			idName := name
			if typ == "aws_ec2_transit_gateway" && name == "propagation_default_route_table_id" {
				// One default table serves both, as in AWS.
				idName = "association_default_route_table_id"
			}
			sym(name, resource.SymbolicID(addr, idName))
		case sameAsID:
			if id := obj["id"]; id.IsKnown() && id.Type() == cty.String {
				sym(name, id.AsString())
			}
		default:
			set(name, cty.UnknownVal(cty.DynamicPseudoType))
		}
	}
	for name, v := range providerDefaults[typ] {
		set(name, v)
	}
}

// tagsAll is what the provider records as tags_all: the provider's default
// tags overridden by the resource's own.
func (l *loader) tagsAll(tags cty.Value) cty.Value {
	if l.defaultTags == cty.NilVal {
		return tags
	}
	if tags == cty.NilVal || tags.IsNull() {
		return l.defaultTags
	}
	if !tags.IsWhollyKnown() || !l.defaultTags.IsWhollyKnown() || !tags.CanIterateElements() || !l.defaultTags.CanIterateElements() {
		return cty.UnknownVal(cty.Map(cty.String))
	}
	m := map[string]cty.Value{}
	for _, v := range []cty.Value{l.defaultTags, tags} {
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			m[k.AsString()] = e
		}
	}
	return cty.ObjectVal(m)
}

func knownStringOr(v, or cty.Value) cty.Value {
	if v != cty.NilVal && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
		return v
	}
	return or
}

// fillWanted gives every attribute other declarations read from d, and that
// is still missing, an unknown value, and says so: the configuration neither
// sets it nor does vpcsim know the provider computes it.
func (l *loader) fillWanted(mi *modInst, d *decl, addr string, obj map[string]cty.Value, attrs map[string]any) {
	wanted := mi.mod.graph.wanted[d]
	names := make([]string, 0, len(wanted))
	for name := range wanted {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		rng := wanted[name]
		v, ok := obj[name]
		if d.kind == declData {
			if !ok || !v.IsWhollyKnown() {
				l.dataLacks(d, addr, name, rng)
			}
		} else if !ok {
			have := make([]string, 0, len(obj))
			for k := range obj {
				have = append(have, k)
			}
			slices.Sort(have)
			l.elemDiag(model.SeverityWarning, rng, addr, "attribute %q is neither set in the configuration nor an attribute vpcsim knows the provider computes; its value is treated as unknown%s",
				name, suggest(name, have))
		}
		if !ok {
			obj[name], attrs[name] = cty.DynamicVal, resource.Unknown
		} else if d.kind == declResource && !jsonBlock(d.typ, name) && hasBlock(d.body, name) {
			// The provider computes attributes inside nested blocks too
			// (aws_route53_resolver_endpoint's ip_address[*].ip) and
			// vpcsim knows no schema of them: what reads the blocks sees
			// them unknown, never an error. The instance's own attributes
			// keep the blocks as written.
			obj[name] = cty.DynamicVal
		}
	}
}

// hasBlock reports whether a body declares nested blocks of a type.
func hasBlock(b *rbody, typ string) bool {
	if b == nil {
		return false
	}
	for _, blk := range b.blocks {
		if blk.typ == typ {
			return true
		}
	}
	return false
}

// dataComputed lists, per data source type that describes the network,
// the attributes AWS would return; those neither given as arguments nor
// resolved are unknown, so that the mapper knows the difference between an
// empty list and one it was not told.
var dataComputed = map[string][]string{
	"aws_vpc": {"cidr_block", "cidr_block_associations", "ipv6_cidr_block", "main_route_table_id",
		"enable_dns_support", "enable_dns_hostnames", "owner_id", "arn", "state", "dhcp_options_id", "instance_tenancy"},
	"aws_subnet": {"cidr_block", "vpc_id", "availability_zone", "availability_zone_id", "ipv6_cidr_block",
		"map_public_ip_on_launch", "owner_id", "arn"},
	"aws_security_group":          {"name", "vpc_id", "description", "owner_id", "arn"},
	"aws_prefix_list":             {"cidr_blocks", "name"},
	"aws_ec2_managed_prefix_list": {"entries", "name", "owner_id", "arn", "address_family", "max_entries", "version"},
	"aws_availability_zones":      {"names", "zone_ids", "group_names"},
	"aws_network_interface": {"private_ip", "private_ips", "subnet_id", "vpc_id", "security_groups",
		"availability_zone", "ipv6_addresses", "interface_type", "owner_id"},
	"aws_caller_identity": {"account_id", "arn", "user_id"},
	"aws_region":          {"name", "region", "description", "endpoint"},
}

// networkData are the data sources whose values change the network; an
// unknown value read from them is a warning, from others a note.
var networkData = map[string]bool{
	"aws_availability_zones": true, "aws_availability_zone": true, "aws_region": true, "aws_caller_identity": true,
	"aws_vpc": true, "aws_vpcs": true, "aws_subnet": true, "aws_subnets": true, "aws_security_group": true,
	"aws_security_groups": true, "aws_ec2_managed_prefix_list": true, "aws_prefix_list": true, "aws_route_table": true,
	"aws_internet_gateway": true, "aws_nat_gateway": true, "aws_ec2_transit_gateway": true, "aws_vpc_endpoint": true,
	"aws_network_interface": true, "aws_vpc_peering_connection": true, "aws_vpn_gateway": true, "aws_eip": true,
}

func (l *loader) dataLacks(d *decl, addr, attr string, rng hhcl.Range) {
	sev := model.SeverityNote
	if networkData[d.typ] {
		sev = model.SeverityWarning
	}
	l.elemDiag(sev, rng, addr, "%s is unknown: vpcsim does not query AWS; give %s in the data values file (--data-values) so the analysis can use it", attr, attr)
}

// resolveData fills a data source's attributes: the data values file first,
// then what vpcsim can derive from its flags and the provider, and else
// unknown. Its arguments (a looked-up id, filters) stay as written.
func (l *loader) resolveData(mi *modInst, d *decl, addr string, obj map[string]cty.Value, attrs map[string]any) {
	set := func(name string, v cty.Value, force bool) {
		if _, ok := obj[name]; ok && !force {
			return
		}
		obj[name], attrs[name] = v, toAny(v)
	}
	if v, ok := l.dataValueFor(addr, mi.path+d.key); ok {
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			set(k.AsString(), ev, true)
		}
	}
	region := l.region()
	str := func(name string) (string, bool) {
		v, ok := obj[name]
		if !ok || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			return "", false
		}
		return v.AsString(), true
	}
	switch d.typ {
	case "aws_region":
		r, ok := str("name")
		if !ok {
			r, ok = str("region")
		}
		if !ok && region != "" {
			r, ok = region, true
		}
		if ok {
			set("name", cty.StringVal(r), false)
			set("region", cty.StringVal(r), false)
			set("id", cty.StringVal(r), false)
		}
	case "aws_availability_zones":
		if _, given := obj["names"]; given || region == "" {
			break
		}
		var exclude []string
		if v, ok := obj["exclude_names"]; ok && v.IsWhollyKnown() && !v.IsNull() && v.CanIterateElements() {
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				if e.Type() == cty.String {
					exclude = append(exclude, e.AsString())
				}
			}
		}
		var names []cty.Value
		var shown []string
		for _, z := range []string{"a", "b", "c"} {
			if n := region + z; !slices.Contains(exclude, n) {
				names = append(names, cty.StringVal(n))
				shown = append(shown, n)
			}
		}
		list := cty.ListValEmpty(cty.String)
		if len(names) > 0 {
			list = cty.ListVal(names)
		}
		set("names", list, false)
		set("id", cty.StringVal(region), false)
		l.elemDiag(model.SeverityNote, d.rng, addr, "assumed availability zones %s (region %s); give the real ones in the data values file",
			strings.Join(shown, ", "), region)
	case "aws_availability_zone":
		if n, ok := str("name"); ok {
			set("region", cty.StringVal(strings.TrimRight(n, "abcdefghijklmnopqrstuvwxyz")), false)
		}
	case "aws_caller_identity":
		if l.opts.AccountID != "" {
			set("account_id", cty.StringVal(l.opts.AccountID), false)
			set("id", cty.StringVal(l.opts.AccountID), false)
		}
	case "aws_partition":
		p, suffix := "aws", "amazonaws.com"
		switch {
		case strings.HasPrefix(region, "cn-"):
			p, suffix = "aws-cn", "amazonaws.com.cn"
		case strings.HasPrefix(region, "us-gov-"):
			p = "aws-us-gov"
		}
		set("partition", cty.StringVal(p), false)
		set("dns_suffix", cty.StringVal(suffix), false)
		set("id", cty.StringVal(p), false)
	}
	if _, ok := obj["id"]; !ok {
		obj["id"], attrs["id"] = cty.StringVal(resource.SymbolicID(addr, "id")), resource.Unknown
	}
	for _, name := range dataComputed[d.typ] {
		if _, ok := obj[name]; !ok {
			obj[name], attrs[name] = cty.DynamicVal, resource.Unknown
		}
	}
}

// dataValueFor looks a data source up in the data values file by instance
// address, then by resource address.
func (l *loader) dataValueFor(addr, resAddr string) (cty.Value, bool) {
	if l.dataValues != nil {
		l.dataAddrs[addr] = true
	}
	if v, ok := l.dataValues[addr]; ok {
		return v, true
	}
	v, ok := l.dataValues[resAddr]
	return v, ok
}

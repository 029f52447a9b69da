package mapper

import (
	"net/netip"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// endpointExtra is what finalize needs of an endpoint to make its
// interfaces and its prefix list.
type endpointExtra struct {
	v      view
	cidrs  []netip.Prefix          // a gateway endpoint's service blocks (cidr_blocks)
	addrs  map[string][]netip.Addr // by subnet, from subnet_configuration
	eniIDs []string
	// keepDefault says the VPC's default group stays beside groups added
	// by aws_vpc_endpoint_security_group_association.
	keepDefault bool
}

// endpoint maps aws_vpc_endpoint. A gateway endpoint's routes and prefix
// list are Synthesize's; an interface (or Gateway Load Balancer) endpoint's
// interfaces, one per subnet, are finalize's.
func (m *mapper) endpoint(v view) {
	e := &model.VPCEndpoint{Meta: v.meta()}
	v.regionAccount()
	e.VPCID = v.needIn(&e.Meta, "vpc_id", "the endpoint cannot be placed")
	e.ServiceName = v.str("service_name")
	switch t := strings.ToLower(v.str("vpc_endpoint_type")); t {
	case "", "gateway":
		e.Type = model.EndpointGateway
	case "interface":
		e.Type = model.EndpointInterface
	case "gatewayloadbalancer":
		e.Type = model.EndpointGatewayLoadBalancer
	default:
		v.errorf("vpc_endpoint_type %q is not Gateway, Interface or GatewayLoadBalancer", v.shown("vpc_endpoint_type"))
	}
	e.RouteTableIDs = v.refs("route_table_ids")
	e.PrefixListID = v.ref("prefix_list_id")
	e.SubnetIDs = v.refs("subnet_ids")
	for _, g := range v.refs("security_group_ids") {
		e.SecurityGroupIDs = addUnique(e.SecurityGroupIDs, groupID(g))
	}
	x := &endpointExtra{v: v, cidrs: v.prefixes("cidr_blocks", anyFamily), addrs: map[string][]netip.Addr{}, eniIDs: v.refs("network_interface_ids")}
	for _, b := range v.blocks("subnet_configuration") {
		s := b.ref("subnet_id")
		if a, ok := b.addr("ipv4", ipv4); ok && s != "" {
			x.addrs[s] = append(x.addrs[s], a)
		}
		if a, ok := b.addr("ipv6", ipv6); ok && s != "" {
			x.addrs[s] = append(x.addrs[s], a)
		}
	}
	switch e.Type {
	case model.EndpointGateway:
		if len(e.RouteTableIDs) == 0 && v.listUnknown("route_table_ids") {
			e.MarkUnknown("route_table_ids")
			v.unknownf("route_table_ids", "the routes the endpoint adds are missing")
		}
	default:
		if len(e.SubnetIDs) == 0 && v.listUnknown("subnet_ids") {
			e.MarkUnknown("subnet_ids")
			v.unknownf("subnet_ids", "the endpoint's interfaces cannot be placed")
		}
	}
	m.endpointCfg[e] = x
	m.endpoints[e.ID] = e
	m.n.Endpoints = append(m.n.Endpoints, e)
}

// endpointRouteTable maps aws_vpc_endpoint_route_table_association.
func (m *mapper) endpointRouteTable(v view) {
	id := v.ref("vpc_endpoint_id")
	e := m.endpoints[id]
	if e == nil {
		v.missing("vpc_endpoint_id", "VPC endpoint", id, "the association cannot be placed")
		return
	}
	e.RouteTableIDs = addUnique(e.RouteTableIDs, v.need("route_table_id", "the association cannot be placed"))
}

// endpointSubnet maps aws_vpc_endpoint_subnet_association.
func (m *mapper) endpointSubnet(v view) {
	id := v.ref("vpc_endpoint_id")
	e := m.endpoints[id]
	if e == nil {
		v.missing("vpc_endpoint_id", "VPC endpoint", id, "the association cannot be placed")
		return
	}
	e.SubnetIDs = addUnique(e.SubnetIDs, v.need("subnet_id", "the association cannot be placed"))
}

// endpointSecurityGroup maps aws_vpc_endpoint_security_group_association.
// An endpoint created without groups has the VPC's default group, which the
// association keeps unless replace_default_association is set.
func (m *mapper) endpointSecurityGroup(v view) {
	id := v.ref("vpc_endpoint_id")
	e := m.endpoints[id]
	if e == nil {
		v.missing("vpc_endpoint_id", "VPC endpoint", id, "the security group cannot be associated")
		return
	}
	g := groupID(v.need("security_group_id", "the security group cannot be associated"))
	if g == "" {
		return
	}
	if x := m.endpointCfg[e]; x != nil && len(e.SecurityGroupIDs) == 0 && !v.boolean("replace_default_association", false) {
		x.keepDefault = true
	}
	e.SecurityGroupIDs = addUnique(e.SecurityGroupIDs, g)
}

// prefixList maps aws_ec2_managed_prefix_list with its inline entries.
func (m *mapper) prefixList(v view) {
	pl := &model.PrefixList{Meta: v.meta()}
	v.regionAccount()
	if pl.Name == "" {
		pl.Name = v.str("name")
	}
	if v.unknown("entry") {
		pl.EntriesUnknown = true
		v.unknownf("entry", "the list's entries cannot be analysed")
	}
	// A list may hold thousands of entries: duplicates are found with a
	// set, not by scanning the list for each.
	seen := map[netip.Prefix]bool{}
	for _, b := range v.blocks("entry") {
		if p, ok := b.prefix("cidr", anyFamily); ok {
			if !seen[p] {
				seen[p] = true
				pl.Entries = append(pl.Entries, p)
			}
		} else if b.unknown("cidr") {
			pl.EntriesUnknown = true
			b.unknownf("cidr", "an entry of the list cannot be analysed")
		}
	}
	m.pls[pl.ID] = pl
	m.n.PrefixLists = append(m.n.PrefixLists, pl)
}

// prefixListEntry maps aws_ec2_managed_prefix_list_entry.
func (m *mapper) prefixListEntry(v view) {
	pl := m.prefixListRef(v, "prefix_list_id", "the entry cannot be placed")
	if pl == nil {
		return
	}
	if p, ok := v.prefix("cidr", anyFamily); ok {
		pl.Entries = addPrefix(pl.Entries, p)
	} else if v.unknown("cidr") {
		pl.EntriesUnknown = true
		v.unknownf("cidr", "an entry of %s cannot be analysed", pl.Label())
	}
}

// dataPrefixList adds a prefix list read by data.aws_prefix_list or
// data.aws_ec2_managed_prefix_list (typically an AWS service's list, which
// gateway endpoint routes and security group rules name).
func (m *mapper) dataPrefixList(v view) {
	md := v.meta()
	if m.pls[md.ID] != nil {
		return
	}
	pl := &model.PrefixList{Meta: md}
	if pl.Name == "" {
		pl.Name = v.str("name")
	}
	if v.in.Type == "aws_prefix_list" {
		pl.AWSManaged = true
		for _, p := range v.prefixes("cidr_blocks", anyFamily) {
			pl.Entries = addPrefix(pl.Entries, p)
		}
		pl.EntriesUnknown = v.listUnknown("cidr_blocks")
	} else {
		pl.AWSManaged = v.str("owner_id") == "AWS"
		for _, b := range v.blocks("entries") {
			if p, ok := b.prefix("cidr", anyFamily); ok {
				pl.Entries = addPrefix(pl.Entries, p)
			}
		}
		pl.EntriesUnknown = v.unknown("entries")
	}
	m.pls[pl.ID] = pl
	m.n.PrefixLists = append(m.n.PrefixLists, pl)
}

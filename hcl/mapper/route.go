package mapper

import (
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// routeTable maps aws_route_table and aws_default_route_table with their
// inline routes.
func (m *mapper) routeTable(v view) {
	rt := &model.RouteTable{Meta: v.meta()}
	v.regionAccount()
	rt.VPCID = v.ref("vpc_id")
	if v.in.Type == "aws_default_route_table" {
		// The VPC is computed; finalize finds it from the table ID when
		// the input does not say.
		m.defaultRTs = append(m.defaultRTs, rt)
	} else if rt.VPCID == "" {
		v.needIn(&rt.Meta, "vpc_id", "the route table cannot be placed in a VPC")
	}
	rt.PropagatingVGWs = v.refs("propagating_vgws")
	if v.listUnknown("propagating_vgws") && len(rt.PropagatingVGWs) == 0 {
		rt.MarkUnknown("propagating_vgws")
		v.unknownf("propagating_vgws", "routes propagated from VPN gateways are missing")
	}
	if v.unknown("route") {
		rt.MarkUnknown("route")
		v.unknownf("route", "the table's routes cannot be analysed")
	}
	for _, b := range v.blocks("route") {
		if r, ok := m.parseRoute(b, false); ok {
			r.Address, r.Pos = v.in.Address, b.pos
			rt.Routes = append(rt.Routes, r)
		}
	}
	m.rts[rt.ID] = rt
	m.n.RouteTables = append(m.n.RouteTables, rt)
}

// route maps aws_route into its table. A route also listed inline by the
// table (the state of aws_route_table lists every route of the table,
// standalone ones too) is kept once, as the standalone resource.
func (m *mapper) route(v view) {
	rt := m.routeTableRef(v, "route_table_id", "the route cannot be placed")
	if rt == nil {
		return
	}
	r, ok := m.parseRoute(v, true)
	if !ok {
		return
	}
	r.Meta = model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos}
	if v.unknown("id") {
		r.ID = ""
	}
	if v.str("state") == "blackhole" {
		r.Blackhole = true
	}
	for i := 0; i < len(rt.Routes); i++ {
		old := rt.Routes[i]
		if old.Address == rt.Address && old.Destination == r.Destination && old.DestinationPrefixListID == r.DestinationPrefixListID {
			rt.Routes = append(rt.Routes[:i], rt.Routes[i+1:]...)
			i--
		}
	}
	rt.Routes = append(rt.Routes, r)
}

// routeTargets are the attributes that name a route's target, in the order
// the kind is decided. network_interface_id comes after instance_id's
// companions so that a route to an instance, which the provider stores with
// both, targets the instance's interface.
var routeTargets = []struct {
	attr string
	kind model.TargetKind
}{
	{"gateway_id", 0}, // igw-, vgw-, vpce- or local: decided from the referenced element
	{"nat_gateway_id", model.TargetNATGateway},
	{"transit_gateway_id", model.TargetTransitGateway},
	{"vpc_peering_connection_id", model.TargetPeering},
	{"egress_only_gateway_id", model.TargetEgressOnlyGateway},
	{"vpc_endpoint_id", model.TargetEndpoint},
	{"carrier_gateway_id", model.TargetCarrierGateway},
	{"local_gateway_id", model.TargetLocalGateway},
	{"core_network_arn", model.TargetCoreNetwork},
	{"network_interface_id", model.TargetNetworkInterface},
	{"instance_id", model.TargetInstance},
}

// parseRoute reads one route: an inline route block (cidr_block…) or an
// aws_route (destination_cidr_block…). False when it cannot be placed; the
// problem has been reported.
func (m *mapper) parseRoute(v view, standalone bool) (model.Route, bool) {
	var r model.Route
	dst4, dst6, dstPL := "cidr_block", "ipv6_cidr_block", "destination_prefix_list_id"
	if standalone {
		dst4, dst6 = "destination_cidr_block", "destination_ipv6_cidr_block"
	}
	var dests []string
	if p, ok := v.prefix(dst4, ipv4); ok {
		r.Destination = p
		dests = append(dests, dst4)
	} else if v.str(dst4) != "" {
		return r, false
	}
	if p, ok := v.prefix(dst6, ipv6); ok {
		r.Destination = p
		dests = append(dests, dst6)
	} else if v.str(dst6) != "" {
		return r, false
	}
	if pl := v.ref(dstPL); pl != "" {
		r.DestinationPrefixListID = pl
		dests = append(dests, dstPL)
	}
	switch {
	case len(dests) > 1:
		v.errorf("route has several destinations (%s): AWS takes exactly one", strings.Join(dests, ", "))
		return r, false
	case len(dests) == 0:
		for _, a := range []string{dst4, dst6, dstPL} {
			if v.unknown(a) {
				v.unknownf(a, "the route cannot be placed")
				return r, false
			}
		}
		v.errorf("route has no destination (%s, %s or %s)", dst4, dst6, dstPL)
		return r, false
	}
	dest := dests[0]
	if r.DestinationPrefixListID == "" {
		dest = r.Destination.String()
	}

	var set, unknownAttrs []string
	for _, t := range routeTargets {
		if v.ref(t.attr) != "" {
			set = append(set, t.attr)
		} else if v.unknown(t.attr) {
			unknownAttrs = append(unknownAttrs, t.attr)
		}
	}
	// The provider stores a route to an instance with instance_id and the
	// instance's network_interface_id: one target, the interface.
	if len(set) == 2 && set[0] == "network_interface_id" && set[1] == "instance_id" {
		set = set[:1]
	}
	switch {
	case len(set) > 1:
		v.errorf("route to %s has several targets (%s): AWS takes exactly one", dest, strings.Join(set, ", "))
		return r, false
	case len(set) == 0 && len(unknownAttrs) > 0:
		v.unknownf(unknownAttrs[0], "the route to %s cannot be placed", dest)
		return r, false
	case len(set) == 0:
		v.errorf("route to %s names no target", dest)
		return r, false
	}
	attr := set[0]
	id := v.ref(attr)
	r.Target.ID = id
	for _, t := range routeTargets {
		if t.attr == attr {
			r.Target.Kind = t.kind
		}
	}
	switch attr {
	case "gateway_id":
		kind, ok := m.gatewayKind(id)
		if !ok {
			v.errorf("route to %s: gateway_id %s is neither an internet gateway, a virtual private gateway, a gateway endpoint nor \"local\"", dest, id)
			return r, false
		}
		r.Target.Kind = kind
	case "vpc_endpoint_id":
		if e := m.endpoints[id]; e != nil && e.Type == model.EndpointGateway {
			r.Target.Kind = model.TargetGatewayEndpoint
		}
	}
	return r, true
}

// gatewayKind decides what a route's gateway_id names: the element when it
// is in the network, else the ID's prefix, else the resource type inside a
// symbolic ID (aws_internet_gateway.main).
func (m *mapper) gatewayKind(id string) (model.TargetKind, bool) {
	switch {
	case id == "local":
		return model.TargetLocal, true
	case m.igws[id] != nil:
		return model.TargetInternetGateway, true
	case m.vgws[id] != nil:
		return model.TargetVPNGateway, true
	case m.endpoints[id] != nil:
		if m.endpoints[id].Type == model.EndpointGateway {
			return model.TargetGatewayEndpoint, true
		}
		return model.TargetEndpoint, true
	case m.eigws[id] != nil:
		return model.TargetEgressOnlyGateway, true
	}
	for prefix, kind := range map[string]model.TargetKind{
		"igw-": model.TargetInternetGateway, "vgw-": model.TargetVPNGateway,
		"vpce-": model.TargetGatewayEndpoint, "eigw-": model.TargetEgressOnlyGateway,
	} {
		if strings.HasPrefix(id, prefix) {
			return kind, true
		}
	}
	switch resource.TypeOf(unqualified(id)) {
	case "aws_internet_gateway":
		return model.TargetInternetGateway, true
	case "aws_vpn_gateway":
		return model.TargetVPNGateway, true
	case "aws_vpc_endpoint":
		return model.TargetGatewayEndpoint, true
	case "aws_egress_only_internet_gateway":
		return model.TargetEgressOnlyGateway, true
	}
	return 0, false
}

// routeTableAssociation maps aws_route_table_association: a subnet, or an
// internet or virtual private gateway (edge association).
func (m *mapper) routeTableAssociation(v view) {
	rt := m.routeTableRef(v, "route_table_id", "the association cannot be placed")
	if rt == nil {
		return
	}
	a := model.RouteTableAssociation{Meta: model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos},
		SubnetID: v.ref("subnet_id"), GatewayID: v.ref("gateway_id")}
	if v.unknown("id") {
		a.ID = ""
	}
	switch {
	case a.SubnetID != "" && a.GatewayID != "":
		v.errorf("association names both subnet_id and gateway_id: AWS takes one")
		return
	case a.SubnetID == "" && a.GatewayID == "":
		for _, attr := range []string{"subnet_id", "gateway_id"} {
			if v.unknown(attr) {
				v.unknownf(attr, "the association cannot be placed")
				return
			}
		}
		v.errorf("association names neither subnet_id nor gateway_id")
		return
	}
	rt.Associations = append(rt.Associations, a)
}

// mainRouteTableAssociation maps aws_main_route_table_association: the
// table replaces the VPC's main table, which stays, as a table no subnet uses
// implicitly.
func (m *mapper) mainRouteTableAssociation(v view) {
	vpc := m.vpcRef(v, "vpc_id", "the main route table cannot be changed")
	if vpc == nil {
		return
	}
	rt := m.routeTableRef(v, "route_table_id", "the main route table cannot be changed")
	if rt == nil {
		return
	}
	if rt.VPCID == "" && rt.IsOutside() {
		rt.VPCID = vpc.ID // AWS accepts only a table of the VPC
	}
	if old := m.rts[vpc.MainRouteTableID]; old != nil && old.VPCID == vpc.ID {
		old.Main = false
	}
	vpc.MainRouteTableID = rt.ID
	rt.Main = true
}

// vgwPropagation maps aws_vpn_gateway_route_propagation.
func (m *mapper) vgwPropagation(v view) {
	rt := m.routeTableRef(v, "route_table_id", "the propagation cannot be placed")
	if rt == nil {
		return
	}
	vgw := v.need("vpn_gateway_id", "the propagation cannot be placed")
	rt.PropagatingVGWs = addUnique(rt.PropagatingVGWs, vgw)
}

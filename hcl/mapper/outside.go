package mapper

import (
	"fmt"

	"github.com/vpcsim/vpcsim/model"
)

// Rules, routes and associations that the input attaches to an element it
// does not hold (aws_route into a route table of another stack,
// aws_security_group_rule into a group of another account) are kept: the
// element becomes one outside the input (model.Meta.Outside) that holds what
// the input declares of it. References to elements the input does not hold
// are made outside elements by model.AddOutside once the mapping is done;
// the functions here are for parents the mapper needs at once.

// outsideMeta is the Meta of an element outside the input that attribute
// attr of the instance names, and warns that it is one.
func (v view) outsideMeta(attr, kind, id string) model.Meta {
	v.aboutf(model.SeverityWarning, id, "%s %s names %s %s that is not in the input: it is kept as an element outside the input, and traffic that reaches it leaves what vpcsim can see", attr, id, article(kind), kind)
	return model.Meta{ID: id, Name: kind + " " + id + " " + model.OutsideNote, Pos: v.pos, Outside: fmt.Sprintf("named by %s (%s)", v.in.Address, attr)}
}

// parentRef returns the element of a table that attribute attr of the
// instance names (id, already read from it), an outside one, made by mk and
// kept in the table and the network's list, when the input does not hold it;
// nil, after a diagnostic, when attr names none.
func parentRef[T any](v view, attr, id, kind, consequence string, table map[string]*T, list *[]*T, mk func(model.Meta) *T) *T {
	if x := table[id]; x != nil {
		return x
	}
	if id == "" {
		v.missing(attr, kind, id, consequence)
		return nil
	}
	x := mk(v.outsideMeta(attr, kind, id))
	table[id] = x
	*list = append(*list, x)
	return x
}

func (m *mapper) routeTableRef(v view, attr, consequence string) *model.RouteTable {
	return parentRef(v, attr, v.ref(attr), "route table", consequence, m.rts, &m.n.RouteTables,
		func(md model.Meta) *model.RouteTable { return &model.RouteTable{Meta: md} })
}

func (m *mapper) networkACLRef(v view, attr, consequence string) *model.NetworkACL {
	return parentRef(v, attr, v.ref(attr), "network ACL", consequence, m.acls, &m.n.NetworkACLs,
		func(md model.Meta) *model.NetworkACL { return &model.NetworkACL{Meta: md} })
}

// securityGroupRef takes the group already read from attr: a rule may name
// it with an owner prefix (groupID).
func (m *mapper) securityGroupRef(v view, attr, id, consequence string) *model.SecurityGroup {
	return parentRef(v, attr, id, "security group", consequence, m.sgs, &m.n.SecurityGroups,
		func(md model.Meta) *model.SecurityGroup { return &model.SecurityGroup{Meta: md} })
}

func (m *mapper) prefixListRef(v view, attr, consequence string) *model.PrefixList {
	return parentRef(v, attr, v.ref(attr), "prefix list", consequence, m.pls, &m.n.PrefixLists,
		func(md model.Meta) *model.PrefixList { return &model.PrefixList{Meta: md} })
}

func (m *mapper) interfaceRef(v view, attr, consequence string) *model.NetworkInterface {
	return parentRef(v, attr, v.ref(attr), "network interface", consequence, m.enis, &m.n.Interfaces,
		func(md model.Meta) *model.NetworkInterface { return &model.NetworkInterface{Meta: md} })
}

func (m *mapper) vpnConnectionRef(v view, attr, consequence string) *model.VPNConnection {
	return parentRef(v, attr, v.ref(attr), "VPN connection", consequence, m.vpns, &m.n.VPNConnections,
		func(md model.Meta) *model.VPNConnection { return &model.VPNConnection{Meta: md} })
}

func (m *mapper) transitGatewayRef(v view, attr, consequence string) *model.TransitGateway {
	return parentRef(v, attr, v.ref(attr), "transit gateway", consequence, m.tgws, &m.n.TransitGateways,
		func(md model.Meta) *model.TransitGateway { return &model.TransitGateway{Meta: md} })
}

func (m *mapper) vpcRef(v view, attr, consequence string) *model.VPC {
	return parentRef(v, attr, v.ref(attr), "VPC", consequence, m.vpcs, &m.n.VPCs,
		func(md model.Meta) *model.VPC { return &model.VPC{Meta: md} })
}

func (m *mapper) tgwRouteTableRef(v view, attr, consequence string) *model.TGWRouteTable {
	return parentRef(v, attr, v.ref(attr), "transit gateway route table", consequence, m.tgwRTs, &m.n.TGWRouteTables,
		func(md model.Meta) *model.TGWRouteTable { return &model.TGWRouteTable{Meta: md} })
}

// aboutf records a diagnostic about the element outside the input with the
// given ID (see model.Diagnostic.About).
func (v view) aboutf(sev model.Severity, id, format string, args ...any) {
	v.m.ds = append(v.m.ds, model.Diagnostic{Severity: sev, Pos: v.pos, Element: v.in.Address, About: id, Message: fmt.Sprintf(format, args...)})
}

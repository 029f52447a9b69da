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

// routeTableRef returns the route table attr names, an outside one when the
// input does not hold it; nil, after a diagnostic, when attr names none.
func (m *mapper) routeTableRef(v view, attr, consequence string) *model.RouteTable {
	id := v.ref(attr)
	if rt := m.rts[id]; rt != nil {
		return rt
	}
	if id == "" {
		v.missing(attr, "route table", id, consequence)
		return nil
	}
	rt := &model.RouteTable{Meta: v.outsideMeta(attr, "route table", id)}
	m.rts[id] = rt
	m.n.RouteTables = append(m.n.RouteTables, rt)
	return rt
}

// networkACLRef is routeTableRef for network ACLs.
func (m *mapper) networkACLRef(v view, attr, consequence string) *model.NetworkACL {
	id := v.ref(attr)
	if acl := m.acls[id]; acl != nil {
		return acl
	}
	if id == "" {
		v.missing(attr, "network ACL", id, consequence)
		return nil
	}
	acl := &model.NetworkACL{Meta: v.outsideMeta(attr, "network ACL", id)}
	m.acls[id] = acl
	m.n.NetworkACLs = append(m.n.NetworkACLs, acl)
	return acl
}

// securityGroupRef is routeTableRef for security groups; id is the group
// already read from attr.
func (m *mapper) securityGroupRef(v view, attr, id, consequence string) *model.SecurityGroup {
	if sg := m.sgs[id]; sg != nil {
		return sg
	}
	if id == "" {
		v.missing(attr, "security group", id, consequence)
		return nil
	}
	sg := &model.SecurityGroup{Meta: v.outsideMeta(attr, "security group", id)}
	m.sgs[id] = sg
	m.n.SecurityGroups = append(m.n.SecurityGroups, sg)
	return sg
}

// tgwRouteTableRef is routeTableRef for transit gateway route tables.
func (m *mapper) tgwRouteTableRef(v view, attr, consequence string) *model.TGWRouteTable {
	id := v.ref(attr)
	if rt := m.tgwRTs[id]; rt != nil {
		return rt
	}
	if id == "" {
		v.missing(attr, "transit gateway route table", id, consequence)
		return nil
	}
	rt := &model.TGWRouteTable{Meta: v.outsideMeta(attr, "transit gateway route table", id)}
	m.tgwRTs[id] = rt
	m.n.TGWRouteTables = append(m.n.TGWRouteTables, rt)
	return rt
}

// aboutf records a diagnostic about the element outside the input with the
// given ID (see model.Diagnostic.About).
func (v view) aboutf(sev model.Severity, id, format string, args ...any) {
	v.m.ds = append(v.m.ds, model.Diagnostic{Severity: sev, Pos: v.pos, Element: v.in.Address, About: id, Message: fmt.Sprintf(format, args...)})
}

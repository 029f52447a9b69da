package mapper

import (
	"fmt"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// networkACL maps aws_network_acl and aws_default_network_acl with their
// inline rules and subnet_ids. Rules keep their numbers; the final "*" rule
// is Synthesize's.
func (m *mapper) networkACL(v view) {
	acl := &model.NetworkACL{Meta: v.meta()}
	v.regionAccount()
	acl.VPCID = v.ref("vpc_id")
	if v.in.Type == "aws_default_network_acl" {
		m.defaultACLs = append(m.defaultACLs, acl)
	} else if acl.VPCID == "" {
		v.needIn(&acl.Meta, "vpc_id", "the network ACL cannot be placed in a VPC")
	}
	for _, s := range v.refs("subnet_ids") {
		acl.Associations = append(acl.Associations, model.ACLAssociation{Meta: model.Meta{Address: v.in.Address, Pos: v.in.Pos}, SubnetID: s})
	}
	for _, dir := range []model.Direction{model.Ingress, model.Egress} {
		attr := dir.String()
		if v.unknown(attr) {
			acl.MarkUnknown(attr)
			v.unknownf(attr, "the network ACL's %s rules cannot be analysed", attr)
		}
		for _, b := range v.blocks(attr) {
			md := model.Meta{Address: v.in.Address, Pos: b.pos}
			if r, ok := m.aclRule(b, dir, md, false); ok {
				appendACLRule(acl, r)
			}
		}
	}
	m.acls[acl.ID] = acl
	m.n.NetworkACLs = append(m.n.NetworkACLs, acl)
}

// networkACLRule maps aws_network_acl_rule. The state of aws_network_acl
// lists standalone rules inline too: the standalone one replaces the inline
// rule with the same number.
func (m *mapper) networkACLRule(v view) {
	acl := m.networkACLRef(v, "network_acl_id", "the rule cannot be placed")
	if acl == nil {
		return
	}
	dir := model.Ingress
	if v.boolean("egress", false) {
		dir = model.Egress
	}
	md := model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos}
	if v.unknown("id") {
		md.ID = ""
	}
	r, ok := m.aclRule(v, dir, md, true)
	if !ok {
		return
	}
	rules := &acl.Ingress
	if dir == model.Egress {
		rules = &acl.Egress
	}
	for i := 0; i < len(*rules); i++ {
		if (*rules)[i].Number == r.Number && (*rules)[i].Address == acl.Address {
			*rules = append((*rules)[:i], (*rules)[i+1:]...)
			i--
		}
	}
	appendACLRule(acl, r)
}

func appendACLRule(acl *model.NetworkACL, r model.ACLRule) {
	if r.Direction == model.Egress {
		acl.Egress = append(acl.Egress, r)
	} else {
		acl.Ingress = append(acl.Ingress, r)
	}
}

// aclRule reads one rule: an inline ingress/egress block (rule_no, action)
// or an aws_network_acl_rule (rule_number, rule_action). False when it is
// invalid; the problem has been reported.
func (m *mapper) aclRule(v view, dir model.Direction, md model.Meta, standalone bool) (model.ACLRule, bool) {
	r := model.ACLRule{Meta: md, Direction: dir, Ports: model.AllPorts, ICMP: model.AnyICMP}
	numAttr, actAttr := "rule_no", "action"
	if standalone {
		numAttr, actAttr = "rule_number", "rule_action"
	}
	n, ok := v.integer(numAttr)
	switch {
	case !ok && v.unknown(numAttr):
		v.unknownf(numAttr, "the %s rule cannot be ordered", dir)
		return r, false
	case !ok:
		v.errorf("%s rule has no valid %s (%q)", dir, numAttr, v.shown(numAttr))
		return r, false
	case n < 1 || n > 32766:
		v.errorf("%s rule %s %d is outside 1-32766", dir, numAttr, n)
		return r, false
	}
	r.Number = int(n)
	switch a := strings.ToLower(v.str(actAttr)); a {
	case "allow":
		r.Action = model.Allow
	case "deny":
		r.Action = model.Deny
	default:
		if v.unknown(actAttr) {
			v.unknownf(actAttr, "%s rule %d cannot be evaluated", dir, r.Number)
		} else {
			v.errorf("%s rule %d has %s %q: want allow or deny", dir, r.Number, actAttr, v.shown(actAttr))
		}
		return r, false
	}
	what := fmt.Sprintf("%s rule %d", dir, r.Number)
	proto, ok := v.protocol("protocol", what)
	if !ok {
		return r, false
	}
	r.Protocol = proto
	switch {
	case proto.HasPorts():
		// The AWS provider sends the ports of aws_network_acl_rule as
		// they are, 0 when unset: a TCP or UDP rule without them is a
		// rule for port 0 alone (inline rules must set them).
		if standalone && !v.known("from_port") && !v.known("to_port") && !v.unknown("from_port") && !v.unknown("to_port") {
			r.Ports = model.Port(0)
			v.warnf("%s sets neither from_port nor to_port: the AWS provider creates it for port 0 only, which no connection uses", what)
			break
		}
		pr, ok := v.portRange("from_port", "to_port", what)
		if !ok {
			return r, false
		}
		r.Ports = pr
	case proto.IsICMP():
		// The AWS provider sends an unset icmp_type or icmp_code as 0,
		// both for aws_network_acl_rule and for inline rules: a rule
		// without them matches echo replies (type 0, code 0), not every
		// ICMP message.
		r.ICMP, ok = v.icmpOr("icmp_type", "icmp_code", what, 0)
		if !ok {
			return r, false
		}
	}
	p4, ok4 := v.prefix("cidr_block", ipv4)
	p6, ok6 := v.prefix("ipv6_cidr_block", ipv6)
	switch {
	case ok4 && ok6:
		v.errorf("%s rule %d has both cidr_block and ipv6_cidr_block: AWS takes one", dir, r.Number)
		return r, false
	case ok4:
		r.CIDR = p4
	case ok6:
		r.CIDR = p6
	case v.str("cidr_block") != "" || v.str("ipv6_cidr_block") != "":
		return r, false // invalid, reported
	case v.unknown("cidr_block") || v.unknown("ipv6_cidr_block"):
		attr := "cidr_block"
		if !v.unknown(attr) {
			attr = "ipv6_cidr_block"
		}
		v.unknownf(attr, "%s rule %d cannot be evaluated", dir, r.Number)
		return r, false
	default:
		v.errorf("%s rule %d has neither cidr_block nor ipv6_cidr_block", dir, r.Number)
		return r, false
	}
	return r, true
}

// networkACLAssociation maps aws_network_acl_association. A subnet has one
// network ACL: the association takes it away from any other ACL that lists
// it (the default ACL's subnet_ids in an older refresh).
func (m *mapper) networkACLAssociation(v view) {
	acl := m.networkACLRef(v, "network_acl_id", "the association cannot be placed")
	if acl == nil {
		return
	}
	subnet := v.need("subnet_id", "the association cannot be placed")
	if subnet == "" {
		return
	}
	for _, other := range m.n.NetworkACLs {
		for i := 0; i < len(other.Associations); i++ {
			if other.Associations[i].SubnetID == subnet && other.Associations[i].Address == other.Address {
				other.Associations = append(other.Associations[:i], other.Associations[i+1:]...)
				i--
			}
		}
	}
	md := model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos}
	if v.unknown("id") {
		md.ID = ""
	}
	acl.Associations = append(acl.Associations, model.ACLAssociation{Meta: md, SubnetID: subnet})
}

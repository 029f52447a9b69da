package mapper

import (
	"fmt"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// securityGroup maps aws_security_group and aws_default_security_group with
// their inline rules. Terraform's semantics hold: a group declared without
// egress blocks has no egress rule (the provider revokes AWS's default one),
// and an aws_default_security_group has exactly the rules it lists.
func (m *mapper) securityGroup(v view) {
	sg := &model.SecurityGroup{Meta: v.meta()}
	v.regionAccount()
	sg.VPCID = v.ref("vpc_id")
	sg.GroupName = v.str("name")
	if v.in.Type == "aws_default_security_group" {
		if sg.GroupName == "" {
			sg.GroupName = "default"
		}
		m.defaultSGs = append(m.defaultSGs, sg)
	}
	if sg.VPCID == "" {
		if v.unknown("vpc_id") {
			sg.MarkUnknown("vpc_id")
			v.unknownf("vpc_id", "the security group cannot be placed in a VPC")
		} else {
			v.errorf("vpc_id is not set: the group belongs to the region's default VPC, which is not in the input")
		}
	}
	if sg.Name == "" {
		sg.Name = sg.GroupName
	}
	for _, dir := range []model.Direction{model.Ingress, model.Egress} {
		attr := dir.String()
		if v.unknown(attr) {
			sg.MarkUnknown(attr)
			v.unknownf(attr, "the group's %s rules cannot be analysed", attr)
		}
		for _, b := range v.blocks(attr) {
			md := model.Meta{Address: v.in.Address, Pos: b.pos}
			rules := m.sgRules(b, sg, dir, md, "protocol", classicPeers)
			if dir == model.Ingress {
				sg.Ingress = append(sg.Ingress, rules...)
			} else {
				sg.Egress = append(sg.Egress, rules...)
			}
		}
	}
	m.inlineSG[sg] = true
	m.sgs[sg.ID] = sg
	m.n.SecurityGroups = append(m.n.SecurityGroups, sg)
}

// securityGroupRule maps aws_security_group_rule: one SGRule per source.
func (m *mapper) securityGroupRule(v view) {
	var dir model.Direction
	switch t := v.str("type"); t {
	case "ingress":
		dir = model.Ingress
	case "egress":
		dir = model.Egress
	default:
		if v.unknown("type") {
			v.unknownf("type", "the rule cannot be placed")
		} else {
			v.errorf("type is %q: want ingress or egress", t)
		}
		return
	}
	sg := m.ruleGroup(v)
	if sg == nil {
		return
	}
	md := model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos}
	if v.unknown("id") {
		md.ID = ""
	}
	m.addRules(sg, dir, m.sgRules(v, sg, dir, md, "protocol", rulePeers))
}

// vpcSecurityGroupRule maps aws_vpc_security_group_ingress_rule and
// aws_vpc_security_group_egress_rule, which name exactly one peer.
func (m *mapper) vpcSecurityGroupRule(v view) {
	dir := model.Ingress
	if v.in.Type == "aws_vpc_security_group_egress_rule" {
		dir = model.Egress
	}
	sg := m.ruleGroup(v)
	if sg == nil {
		return
	}
	md := model.Meta{ID: v.str("security_group_rule_id"), Address: v.in.Address, Pos: v.in.Pos}
	if md.ID == "" {
		md.ID = v.str("id")
	}
	m.addRules(sg, dir, m.sgRules(v, sg, dir, md, "ip_protocol", vpcRulePeers))
}

func (m *mapper) ruleGroup(v view) *model.SecurityGroup {
	return m.securityGroupRef(v, "security_group_id", groupID(v.ref("security_group_id")), "the rule cannot be placed")
}

func (m *mapper) addRules(sg *model.SecurityGroup, dir model.Direction, rules []model.SGRule) {
	if dir == model.Ingress {
		sg.Ingress = append(sg.Ingress, rules...)
	} else {
		sg.Egress = append(sg.Egress, rules...)
	}
}

// groupID drops the account of a cross-account group reference
// (123456789012/sg-0abc).
func groupID(s string) string {
	if i := strings.LastIndexByte(s, '/'); i >= 0 && isAccountID(s[:i]) {
		return s[i+1:]
	}
	return s
}

// peerAttrs name the attributes of one way of writing a rule's peers.
type peerAttrs struct {
	cidr4, cidr6, prefixLists, groups string
	lists                             bool // the attributes are lists (the classic forms) or single values
	self                              bool // the form has "self"
}

var (
	classicPeers = peerAttrs{"cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "security_groups", true, true}
	rulePeers    = peerAttrs{"cidr_blocks", "ipv6_cidr_blocks", "prefix_list_ids", "source_security_group_id", true, true}
	vpcRulePeers = peerAttrs{"cidr_ipv4", "cidr_ipv6", "prefix_list_id", "referenced_security_group_id", false, false}
)

// sgRules reads one rule as written in Terraform and returns one SGRule per
// peer, all sharing md. A rule whose protocol or ports are invalid yields
// nothing: the problem has been reported.
func (m *mapper) sgRules(v view, sg *model.SecurityGroup, dir model.Direction, md model.Meta, protoAttr string, pa peerAttrs) []model.SGRule {
	what := dir.String() + " rule"
	base := model.SGRule{Meta: md, Direction: dir, Ports: model.AllPorts, ICMP: model.AnyICMP, Description: v.str("description")}
	proto, ok := v.protocol(protoAttr, what)
	if !ok {
		return nil
	}
	base.Protocol = proto
	switch {
	case proto.HasPorts():
		pr, ok := v.portRange("from_port", "to_port", what)
		if !ok {
			return nil
		}
		base.Ports = pr
	case proto.IsICMP():
		// Security group rules carry the ICMP type in from_port and the
		// code in to_port.
		base.ICMP, ok = v.icmp("from_port", "to_port", what)
		if !ok {
			return nil
		}
	}
	what = fmt.Sprintf("%s rule (%s %s)", dir, proto, ruleWhat(base))

	var peers []model.SGPeer
	var unknownAttrs []string
	named := 0 // peers written, valid or not
	read := func(attr string) (out []string) {
		defer func() { named += len(out) }()
		if v.listUnknown(attr) {
			unknownAttrs = append(unknownAttrs, attr)
		}
		if pa.lists && attr != "source_security_group_id" {
			list, _ := v.obj[attr].([]any)
			var out []string
			for _, e := range list {
				if s, ok := e.(string); ok && strings.TrimSpace(s) != "" {
					out = append(out, strings.TrimSpace(s))
				}
			}
			return out
		}
		if s := strings.TrimSpace(v.str(attr)); s != "" {
			return []string{s}
		}
		return nil
	}
	for _, s := range read(pa.cidr4) {
		if p, ok := v.parsePrefix(pa.cidr4, s, ipv4); ok {
			peers = append(peers, model.SGPeer{Kind: model.PeerCIDR, CIDR: p})
		}
	}
	for _, s := range read(pa.cidr6) {
		if p, ok := v.parsePrefix(pa.cidr6, s, ipv6); ok {
			peers = append(peers, model.SGPeer{Kind: model.PeerCIDR, CIDR: p})
		}
	}
	for _, s := range read(pa.prefixLists) {
		peers = append(peers, model.SGPeer{Kind: model.PeerPrefixList, PrefixListID: m.resolve(s)})
	}
	for _, s := range read(pa.groups) {
		id := groupID(m.resolve(s))
		peers = append(peers, model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: id, Self: id == sg.ID})
	}
	if pa.self && v.boolean("self", false) {
		peers = append(peers, model.SGPeer{Kind: model.PeerSecurityGroup, GroupID: sg.ID, Self: true})
		named++
	}
	for _, a := range unknownAttrs {
		v.unknownf(a, "the %s's peers from it cannot be analysed", what)
	}
	if len(peers) == 0 {
		if len(unknownAttrs) == 0 && named == 0 {
			end := "source"
			if dir == model.Egress {
				end = "destination"
			}
			v.warnf("%s names no %s: it allows nothing", what, end)
		}
		return nil
	}
	out := make([]model.SGRule, 0, len(peers))
	for _, p := range dedupePeers(peers) {
		r := base
		r.Peer = p
		out = append(out, r)
	}
	return out
}

func dedupePeers(ps []model.SGPeer) []model.SGPeer {
	var out []model.SGPeer
	for _, p := range ps {
		dup := false
		for _, q := range out {
			if q.Kind == p.Kind && q.CIDR == p.CIDR && q.PrefixListID == p.PrefixListID && q.GroupID == p.GroupID {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, p)
		}
	}
	return out
}

func ruleWhat(r model.SGRule) string {
	switch {
	case r.Protocol.HasPorts():
		return "port " + r.Ports.String()
	case r.Protocol.IsICMP():
		return r.ICMP.String()
	}
	return "all"
}

// protocol reads a rule's protocol as AWS and the provider write it: "tcp",
// "6", "-1", "all"… (network ACL rules in state hold numbers).
func (v view) protocol(attr, what string) (model.Protocol, bool) {
	s := strings.TrimSpace(v.str(attr))
	if s == "" {
		if v.unknown(attr) {
			v.unknownf(attr, "the %s cannot be evaluated", what)
		} else {
			v.errorf("%s has no %s", what, attr)
		}
		return model.ProtocolInvalid, false
	}
	p, err := model.ParseProtocol(s)
	if err != nil {
		v.errorf("%s: %s %q is not a protocol (want tcp, udp, icmp, icmpv6, all, -1 or a number 0-255)", what, attr, s)
		return model.ProtocolInvalid, false
	}
	return p, true
}

// portRange reads a TCP or UDP port range.
func (v view) portRange(fromAttr, toAttr, what string) (model.PortRange, bool) {
	read := func(attr string) (int64, bool) {
		n, ok := v.integer(attr)
		switch {
		case !ok && v.unknown(attr):
			v.unknownf(attr, "the %s cannot be evaluated", what)
			return 0, false
		case !ok && v.known(attr):
			v.errorf("%s: %s %q is not a port number", what, attr, v.shown(attr))
			return 0, false
		case !ok:
			v.errorf("%s has no %s", what, attr)
			return 0, false
		case n < 0 || n > 65535:
			v.errorf("%s: %s %d is outside 0-65535", what, attr, n)
			return 0, false
		}
		return n, true
	}
	from, ok1 := read(fromAttr)
	to, ok2 := read(toAttr)
	if !ok1 || !ok2 {
		return model.PortRange{}, false
	}
	if from > to {
		v.errorf("%s: %s %d is above %s %d", what, fromAttr, from, toAttr, to)
		return model.PortRange{}, false
	}
	return model.PortRange{First: uint16(from), Last: uint16(to)}, true
}

// icmp reads an ICMP type and code; -1, or an absent attribute, means any.
func (v view) icmp(typeAttr, codeAttr, what string) (model.ICMPMatch, bool) {
	return v.icmpOr(typeAttr, codeAttr, what, -1)
}

// icmpOr reads an ICMP type and code; -1 means any, and an absent attribute
// is absent.
func (v view) icmpOr(typeAttr, codeAttr, what string, absent int16) (model.ICMPMatch, bool) {
	read := func(attr string) (int16, bool) {
		if !v.known(attr) {
			if v.unknown(attr) {
				v.unknownf(attr, "the %s cannot be evaluated", what)
				return 0, false
			}
			return absent, true
		}
		n, ok := v.integer(attr)
		switch {
		case !ok:
			v.errorf("%s: %s %q is not an ICMP type or code", what, attr, v.shown(attr))
			return 0, false
		case n < -1 || n > 255:
			v.errorf("%s: %s %d is outside -1-255", what, attr, n)
			return 0, false
		}
		return int16(n), true
	}
	t, ok1 := read(typeAttr)
	c, ok2 := read(codeAttr)
	if !ok1 || !ok2 {
		return model.ICMPMatch{}, false
	}
	if t < 0 {
		c = -1
	}
	return model.ICMPTypeCode(int(t), int(c)), true
}

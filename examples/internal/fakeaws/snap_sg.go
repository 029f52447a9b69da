package main

import (
	"fmt"
	"strings"
)

// sgRule is one rule of a security group as describe-security-group-rules
// lists it: one source each.
type sgRule struct {
	id       string
	group    string
	egress   bool
	protocol string
	from, to int
	kind     string // "cidr", "ipv6", "prefix-list", "group"
	source   string
	desc     string
	tags     any
}

// key identifies what the rule allows, to count a rule once when the
// state lists it both inline and as a resource.
func (r sgRule) key() string {
	return fmt.Sprint(r.group, r.egress, r.protocol, r.from, r.to, r.kind, r.source)
}

// apiProtocol is the protocol as the API reports it: names for TCP, UDP and
// ICMP, "-1" for all.
func apiProtocol(p string) string {
	switch p {
	case "6":
		return "tcp"
	case "17":
		return "udp"
	case "1":
		return "icmp"
	case "all", "-1":
		return "-1"
	}
	return p
}

func (s *snap) sgRules() ([]sgRule, error) {
	var rules []sgRule
	seen := map[string]bool{}
	add := func(r sgRule) {
		r.protocol = apiProtocol(r.protocol)
		if r.protocol == "-1" {
			r.from, r.to = -1, -1
		}
		if r.tags == nil {
			r.tags = []any{}
		}
		if seen[r.key()] {
			return
		}
		seen[r.key()] = true
		if r.id == "" {
			r.id = hexID("sgr", r.key()+"|"+r.desc)
		}
		rules = append(rules, r)
	}
	// sources expands one Terraform rule (inline or aws_security_group_rule)
	// into one API rule per source.
	sources := func(base sgRule, m map[string]any, groupKey string) {
		// An aws_security_group_rule records the ID of its first AWS
		// rule only.
		emit := func(r sgRule) {
			add(r)
			base.id = ""
		}
		for _, c := range strs(m["cidr_blocks"]) {
			r := base
			r.kind, r.source = "cidr", c
			emit(r)
		}
		for _, c := range strs(m["ipv6_cidr_blocks"]) {
			r := base
			r.kind, r.source = "ipv6", c
			emit(r)
		}
		for _, c := range strs(m["prefix_list_ids"]) {
			r := base
			r.kind, r.source = "prefix-list", c
			emit(r)
		}
		groups := strs(m[groupKey])
		if groupKey == "source_security_group_id" {
			groups = nil
			if v := str(m[groupKey]); v != "" {
				groups = []string{v}
			}
		}
		if m["self"] == true {
			groups = append(groups, base.group)
		}
		for _, g := range groups {
			r := base
			r.kind, r.source = "group", g
			emit(r)
		}
	}
	for _, v := range s.all("aws_vpc") {
		sg := str(v["default_security_group_id"])
		add(sgRule{group: sg, protocol: "-1", kind: "group", source: sg})
		add(sgRule{group: sg, egress: true, protocol: "-1", kind: "cidr", source: "0.0.0.0/0"})
	}
	if err := s.each("aws_security_group", func(addr string, sg map[string]any) error {
		for _, dir := range []string{"ingress", "egress"} {
			for _, b := range objs(sg[dir]) {
				base := sgRule{group: str(sg["id"]), egress: dir == "egress", protocol: str(b["protocol"]),
					from: intOf(b["from_port"]), to: intOf(b["to_port"]), desc: str(b["description"])}
				sources(base, b, "security_groups")
			}
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if err := s.each("aws_security_group_rule", func(addr string, r map[string]any) error {
		base := sgRule{id: str(r["security_group_rule_id"]), group: str(r["security_group_id"]), egress: r["type"] == "egress",
			protocol: str(r["protocol"]), from: intOf(r["from_port"]), to: intOf(r["to_port"]), desc: str(r["description"])}
		sources(base, r, "source_security_group_id")
		return nil
	}); err != nil {
		return nil, err
	}
	for _, typ := range []string{"aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule"} {
		if err := s.each(typ, func(addr string, r map[string]any) error {
			base := sgRule{id: str(r["id"]), group: str(r["security_group_id"]), egress: strings.HasSuffix(typ, "egress_rule"),
				protocol: str(r["ip_protocol"]), from: intOf(r["from_port"]), to: intOf(r["to_port"]), desc: str(r["description"]),
				tags: tags(r["tags_all"])}
			switch {
			case str(r["cidr_ipv4"]) != "":
				base.kind, base.source = "cidr", str(r["cidr_ipv4"])
			case str(r["cidr_ipv6"]) != "":
				base.kind, base.source = "ipv6", str(r["cidr_ipv6"])
			case str(r["prefix_list_id"]) != "":
				base.kind, base.source = "prefix-list", str(r["prefix_list_id"])
			case str(r["referenced_security_group_id"]) != "":
				base.kind, base.source = "group", str(r["referenced_security_group_id"])
			default:
				return fmt.Errorf("a rule without a source")
			}
			add(base)
			return nil
		}); err != nil {
			return nil, err
		}
	}
	return rules, nil
}

// permissions groups rules the way describe-security-groups does: one
// permission per protocol and port range, with all its sources.
func permissions(rules []sgRule, egress bool) []any {
	type perm struct {
		protocol                     string
		from, to                     int
		ipv4, ipv6, prefixes, groups []any
	}
	var order []string
	perms := map[string]*perm{}
	for _, r := range rules {
		if r.egress != egress {
			continue
		}
		k := fmt.Sprint(r.protocol, r.from, r.to)
		p, ok := perms[k]
		if !ok {
			p = &perm{protocol: r.protocol, from: r.from, to: r.to, ipv4: []any{}, ipv6: []any{}, prefixes: []any{}, groups: []any{}}
			perms[k] = p
			order = append(order, k)
		}
		switch r.kind {
		case "cidr":
			o := obj{{"CidrIp", r.source}}
			o.add("Description", r.desc)
			p.ipv4 = append(p.ipv4, o)
		case "ipv6":
			o := obj{{"CidrIpv6", r.source}}
			o.add("Description", r.desc)
			p.ipv6 = append(p.ipv6, o)
		case "prefix-list":
			o := obj{}
			o.add("Description", r.desc)
			o.set("PrefixListId", r.source)
			p.prefixes = append(p.prefixes, o)
		case "group":
			o := obj{}
			o.add("Description", r.desc)
			o.set("GroupId", r.source)
			o.set("UserId", account)
			p.groups = append(p.groups, o)
		}
	}
	out := []any{}
	for _, k := range order {
		p := perms[k]
		o := obj{}
		if p.protocol != "-1" {
			o.set("FromPort", p.from)
		}
		o.set("IpProtocol", p.protocol)
		o.set("IpRanges", p.ipv4)
		o.set("Ipv6Ranges", p.ipv6)
		o.set("PrefixListIds", p.prefixes)
		if p.protocol != "-1" {
			o.set("ToPort", p.to)
		}
		o.set("UserIdGroupPairs", p.groups)
		out = append(out, o)
	}
	return out
}

func (s *snap) securityGroups() error {
	rules, err := s.sgRules()
	if err != nil {
		return err
	}
	byGroup := map[string][]sgRule{}
	for _, r := range rules {
		byGroup[r.group] = append(byGroup[r.group], r)
	}
	var groups []any
	addGroup := func(id, name, desc, vpc string, t any) {
		groups = append(groups, obj{
			{"Description", desc},
			{"GroupName", name},
			{"IpPermissions", permissions(byGroup[id], false)},
			{"OwnerId", account},
			{"GroupId", id},
			{"IpPermissionsEgress", permissions(byGroup[id], true)},
			{"Tags", t},
			{"VpcId", vpc},
			{"SecurityGroupArn", "arn:aws:ec2:" + region + ":" + account + ":security-group/" + id},
		})
	}
	for _, v := range s.all("aws_vpc") {
		addGroup(str(v["default_security_group_id"]), "default", "default VPC security group", str(v["id"]), []any{})
	}
	for _, sg := range s.all("aws_security_group") {
		addGroup(str(sg["id"]), str(sg["name"]), str(sg["description"]), str(sg["vpc_id"]), tags(sg["tags_all"]))
	}
	s.put("ec2-describe-security-groups.json", obj{{"SecurityGroups", groups}})

	var out []any
	for _, r := range rules {
		o := obj{
			{"SecurityGroupRuleId", r.id},
			{"GroupId", r.group},
			{"GroupOwnerId", account},
			{"IsEgress", r.egress},
			{"IpProtocol", r.protocol},
			{"FromPort", r.from},
			{"ToPort", r.to},
		}
		switch r.kind {
		case "cidr":
			o.set("CidrIpv4", r.source)
		case "ipv6":
			o.set("CidrIpv6", r.source)
		case "prefix-list":
			o.set("PrefixListId", r.source)
		case "group":
			o.set("ReferencedGroupInfo", obj{{"GroupId", r.source}, {"UserId", account}})
		}
		o.add("Description", r.desc)
		o.set("Tags", r.tags)
		o.set("SecurityGroupRuleArn", "arn:aws:ec2:"+region+":"+account+":security-group-rule/"+r.id)
		out = append(out, o)
	}
	s.put("ec2-describe-security-group-rules.json", obj{{"SecurityGroupRules", out}})
	return nil
}

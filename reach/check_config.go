// The configuration checks: network ACL rules that are never reached,
// overlapping address space between connected VPCs, and elements nothing
// uses.

package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcsim/vpcsim/model"
)

// shadowedACLRules reports network ACL rules whose every header is matched
// by lower-numbered rules, read from the compiled programs of the ACLs
// subnets use (an ACL no subnet uses is unused-network-acl's).
func (c *checker) shadowedACLRules() {
	e := c.e
	seen := map[*aclProg]bool{}
	var progs []*aclProg
	for _, s := range e.net.Subnets {
		sn := e.subnet[s.ID]
		in, out := e.subnetACLs(sn)
		for _, p := range []*aclProg{in, out} {
			if p != nil && !seen[p] {
				seen[p] = true
				progs = append(progs, p)
			}
		}
	}
	for _, p := range progs {
		for i := range p.rules {
			r := &p.rules[i]
			if r.ref.Synthetic != "" {
				continue // the "*" rules and AWS's defaults
			}
			rest := r.set
			var by []*aclRule
			for j := 0; j < i && !rest.IsEmpty(); j++ {
				if p.rules[j].set.Overlaps(rest) {
					by = append(by, &p.rules[j])
				}
				rest = rest.Subtract(p.rules[j].set)
			}
			if !rest.IsEmpty() || len(by) == 0 {
				continue
			}
			conflict := slices.ContainsFunc(by, func(o *aclRule) bool { return o.allow != r.allow })
			ref := r.ref
			d := Defect{Check: CheckNACLRuleRedundant, Subject: p.owner, Rule: &ref, Traffic: headersOf(r.set)}
			if conflict {
				d.Check = CheckNACLRuleShadowed
			}
			d.Involved = append(d.Involved, Involved{Role: "rule", Component: p.owner, Rule: &ref})
			var ts []string
			for _, o := range by {
				ts = append(ts, o.ref.Text)
				oref := o.ref
				d.Involved = append(d.Involved, Involved{Role: "shadowing rule", Component: p.owner, Rule: &oref})
			}
			if conflict {
				d.Message = fmt.Sprintf("%s of network ACL %s never applies: %s, evaluated first, decide all of its traffic, and the opposite way", ref.Text, p.owner.Label(), listed(ts, 3))
				d.Fix = "renumber the rule below the ones that shadow it if it should win, or remove it"
			} else {
				d.Message = fmt.Sprintf("%s of network ACL %s is redundant: %s, evaluated first, already decide all of its traffic the same way", ref.Text, p.owner.Label(), listed(ts, 3))
				d.Fix = "remove the rule"
			}
			c.add(d)
		}
	}
}

// connected are the pairs of VPCs that exchange traffic directly: through a
// peering connection, or attached to one transit gateway (or to transit
// gateways peered with each other).
func (e *Engine) connected() [][2]*model.VPC {
	type pair struct{ a, b string }
	seen := map[pair]bool{}
	var out [][2]*model.VPC
	add := func(a, b string) {
		if a == b {
			return
		}
		if b < a {
			a, b = b, a
		}
		va, vb := e.ix.VPCs[a], e.ix.VPCs[b]
		if va == nil || vb == nil || seen[pair{a, b}] {
			return
		}
		seen[pair{a, b}] = true
		out = append(out, [2]*model.VPC{va, vb})
	}
	for _, p := range e.net.PeeringConnections {
		add(p.RequesterVPCID, p.AccepterVPCID)
	}
	// Transit gateways peered with each other form one group.
	group := map[string]string{}
	var find func(string) string
	find = func(t string) string {
		if g, ok := group[t]; ok && g != t {
			group[t] = find(g)
			return group[t]
		}
		return t
	}
	for _, a := range e.net.TGWAttachments {
		if a.Kind == model.TGWAttachPeering && a.PeerTransitGatewayID != "" {
			group[find(a.TransitGatewayID)] = find(a.PeerTransitGatewayID)
		}
	}
	byGroup := map[string][]string{}
	var groups []string
	for _, a := range e.net.TGWAttachments {
		if a.Kind != model.TGWAttachVPC || a.VPCID == "" {
			continue
		}
		g := find(a.TransitGatewayID)
		if _, ok := byGroup[g]; !ok {
			groups = append(groups, g)
		}
		if !slices.Contains(byGroup[g], a.VPCID) {
			byGroup[g] = append(byGroup[g], a.VPCID)
		}
	}
	for _, g := range groups {
		vs := byGroup[g]
		for i := range vs {
			for j := i + 1; j < len(vs); j++ {
				add(vs[i], vs[j])
			}
		}
	}
	return out
}

// overlaps reports connected VPCs whose blocks overlap.
func (c *checker) overlaps() {
	e := c.e
	for _, pr := range e.connected() {
		a, b := pr[0], pr[1]
		if a.IsOutside() || b.IsOutside() {
			continue // what their blocks are is another stack's to say
		}
		var both []string
		for _, p := range a.AllCIDRs() {
			for _, q := range b.AllCIDRs() {
				if p.Overlaps(q) {
					both = append(both, fmt.Sprintf("%s and %s", p, q))
				}
			}
		}
		if len(both) == 0 {
			continue
		}
		ra, rb := refOf("vpc", &a.Meta), refOf("vpc", &b.Meta)
		d := Defect{Check: CheckOverlappingCIDRs, Subject: ra}
		d.Involved = []Involved{{Role: "vpc", Component: ra}, {Role: "vpc", Component: rb}}
		d.Message = fmt.Sprintf("%s and %s are connected but their address space overlaps (%s): addresses in the overlap are ambiguous, and AWS refuses or ignores the routes between them",
			a.Label(), b.Label(), listed(both, 3))
		d.Fix = "re-address one of the VPCs (or the overlapping secondary block) so that connected networks do not overlap"
		c.add(d)
	}
}

// unused reports elements nothing uses: security groups no interface or
// resource has, subnets that hold nothing, route tables and network ACLs
// associated with nothing, gateways and peering connections no route of a
// table in use targets, and Elastic IPs associated with nothing. Elements
// vpcsim synthesised (AWS's defaults) are never reported.
func (c *checker) unused() {
	e := c.e
	n := e.net
	// What is in use.
	sgUsed := map[string]bool{}
	subnetUsed := map[string]bool{}
	for _, x := range n.Interfaces {
		subnetUsed[x.SubnetID] = true
		for _, id := range x.SecurityGroupIDs {
			sgUsed[id] = true
		}
	}
	for _, g := range n.NATGateways {
		subnetUsed[g.SubnetID] = true
	}
	for _, ep := range n.Endpoints {
		for _, id := range ep.SubnetIDs {
			subnetUsed[id] = true
		}
		for _, id := range ep.SecurityGroupIDs {
			sgUsed[id] = true
		}
	}
	for _, a := range n.TGWAttachments {
		for _, id := range a.SubnetIDs {
			subnetUsed[id] = true
		}
	}
	for _, u := range n.UnsupportedResources {
		for _, id := range u.SubnetIDs {
			subnetUsed[id] = true
		}
		for _, id := range u.SecurityGroupIDs {
			sgUsed[id] = true
		}
	}
	tables := e.tablesInUse()
	targeted := map[string]bool{}
	propagating := map[string]bool{}
	for _, u := range tables {
		for _, r := range u.rt.Routes {
			targeted[r.Target.ID] = true
		}
		for _, g := range u.rt.PropagatingVGWs {
			propagating[g] = true
		}
	}
	edge := map[string]bool{}
	for _, rt := range n.RouteTables {
		for _, a := range rt.Associations {
			if a.GatewayID != "" {
				edge[a.GatewayID] = true
			}
		}
	}
	if c.on(CheckUnusedSG) {
		referencing := e.referencingRules()
		for _, sg := range n.SecurityGroups {
			if sgUsed[sg.ID] || sg.Default || sg.Synthetic != "" || sg.IsOutside() {
				continue
			}
			ref := refOf("security-group", &sg.Meta)
			refs := referencing[sg.ID]
			d := Defect{Check: CheckUnusedSG, Subject: ref, Involved: []Involved{{Role: "security group", Component: ref}}}
			d.Message = fmt.Sprintf("%s is attached to no network interface or resource", sg.Label())
			if len(refs) > 0 {
				var ts []string
				for _, r := range refs {
					ts = append(ts, r.Text+" of "+r.Owner.Label())
					r := r
					d.Involved = append(d.Involved, Involved{Role: "referencing rule", Component: r.Owner, Rule: &r})
				}
				d.Message += fmt.Sprintf("; rules naming it match no address: %s", listed(ts, 3))
			}
			d.Fix = "remove the group (and the rules naming it), or attach it where it was meant to be"
			c.add(d)
		}
	}
	if c.on(CheckUnusedSubnet) {
		for _, s := range n.Subnets {
			if subnetUsed[s.ID] || s.Synthetic != "" || s.IsOutside() {
				continue
			}
			c.unusedDefect(CheckUnusedSubnet, "subnet", &s.Meta,
				fmt.Sprintf("%s (%s, %s) holds no interface, NAT gateway, endpoint, transit gateway attachment or other resource",
					s.Label(), cidrText(s), zoneName(s.AvailabilityZone)),
				"use it for what it was created for (a transit gateway attachment in its zone, say), or remove it")
		}
	}
	if c.on(CheckUnusedRouteTable) {
		for _, rt := range n.RouteTables {
			if rt.Main || len(rt.Associations) > 0 || rt.Synthetic != "" || rt.IsOutside() {
				continue
			}
			c.unusedDefect(CheckUnusedRouteTable, "route-table", &rt.Meta,
				fmt.Sprintf("%s is associated with no subnet or gateway and is not its VPC's main table: its %d routes route nothing", rt.Label(), len(rt.Routes)),
				"associate it with the subnets it was meant for, or remove it")
		}
	}
	if c.on(CheckUnusedNetworkACL) {
		for _, acl := range n.NetworkACLs {
			if acl.Default || len(acl.Associations) > 0 || acl.Synthetic != "" || acl.IsOutside() {
				continue
			}
			c.unusedDefect(CheckUnusedNetworkACL, "network-acl", &acl.Meta,
				fmt.Sprintf("%s is associated with no subnet: its rules filter nothing", acl.Label()),
				"associate it with the subnets it was meant for, or remove it")
		}
	}
	if c.on(CheckUnusedGateway) {
		gw := func(kind string, m *model.Meta, used bool, what string) {
			if used || m.Synthetic != "" || m.IsOutside() {
				return
			}
			c.unusedDefect(CheckUnusedGateway, kind, m, fmt.Sprintf("no route of a route table in use targets %s: %s", m.Label(), what),
				"add the routes it was meant for, or remove it")
		}
		for _, g := range n.InternetGateways {
			gw("internet-gateway", &g.Meta, targeted[g.ID] || edge[g.ID], "nothing in its VPC reaches the internet through it")
		}
		for _, g := range n.EgressOnlyGateways {
			gw("egress-only-internet-gateway", &g.Meta, targeted[g.ID], "no IPv6 traffic leaves through it")
		}
		for _, g := range n.NATGateways {
			gw("nat-gateway", &g.Meta, targeted[g.ID], "it translates nothing, and is billed by the hour")
		}
		for _, g := range n.VPNGateways {
			gw("vpn-gateway", &g.Meta, targeted[g.ID] || propagating[g.ID] || edge[g.ID] || !hasVPN(n, g.ID), "no traffic reaches its VPN connections")
		}
		for _, ep := range n.Endpoints {
			if ep.Type == model.EndpointGateway {
				gw("vpc-endpoint", &ep.Meta, len(ep.RouteTableIDs) > 0 && anyInUse(tables, ep.RouteTableIDs), "no subnet sends traffic to its service through it")
			}
		}
		for _, p := range n.PeeringConnections {
			gw("vpc-peering-connection", &p.Meta, targeted[p.ID], "no traffic crosses it")
		}
	}
	if c.on(CheckUnusedElasticIP) {
		for _, eip := range n.ElasticIPs {
			if eip.InterfaceID != "" || eip.InstanceID != "" || eip.Synthetic != "" || eip.IsOutside() || natUses(n, eip) {
				continue
			}
			c.unusedDefect(CheckUnusedElasticIP, "elastic-ip", &eip.Meta,
				fmt.Sprintf("Elastic IP %s (%s) is associated with no interface, instance or NAT gateway", eip.Label(), eip.PublicIP),
				"associate it, or release it")
		}
	}
}

// unusedDefect reports an element of kind nothing uses.
func (c *checker) unusedDefect(check CheckID, kind string, m *model.Meta, message, fix string) {
	ref := refOf(kind, m)
	c.add(Defect{Check: check, Subject: ref, Involved: []Involved{{Role: kind, Component: ref}}, Message: message, Fix: fix})
}

func cidrText(s *model.Subnet) string {
	var ps []netip.Prefix
	for _, p := range []netip.Prefix{s.CIDR, s.IPv6CIDR} {
		if p.IsValid() {
			ps = append(ps, p)
		}
	}
	return prefixesText(ps)
}

func hasVPN(n *model.Network, vgw string) bool {
	return slices.ContainsFunc(n.VPNConnections, func(c *model.VPNConnection) bool { return c.VPNGatewayID == vgw })
}

func anyInUse(tables []*tableUse, ids []string) bool {
	return slices.ContainsFunc(tables, func(u *tableUse) bool { return slices.Contains(ids, u.rt.ID) })
}

func natUses(n *model.Network, eip *model.ElasticIP) bool {
	return slices.ContainsFunc(n.NATGateways, func(g *model.NATGateway) bool {
		return g.AllocationID == eip.ID || eip.PublicIP.IsValid() && g.PublicIP == eip.PublicIP
	})
}

// referencingRules indexes, by the group they name, the rules that name a
// security group as their peer (other than their own group).
func (e *Engine) referencingRules() map[string][]RuleRef {
	out := map[string][]RuleRef{}
	for _, sg := range e.net.SecurityGroups {
		for _, rules := range [][]model.SGRule{sg.Ingress, sg.Egress} {
			for i := range rules {
				if p := rules[i].Peer; p.Kind == model.PeerSecurityGroup && p.GroupID != sg.ID {
					out[p.GroupID] = append(out[p.GroupID], sgRuleRef(sg, &rules[i]))
				}
			}
		}
	}
	for _, rs := range out {
		slices.SortStableFunc(rs, func(a, b RuleRef) int { return cmp.Compare(a.Owner.Label(), b.Owner.Label()) })
	}
	return out
}

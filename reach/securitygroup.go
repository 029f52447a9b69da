// Security groups (docs/semantics.md, "Security groups"): how New compiles
// them and how a walk crosses them.

package reach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

type sgKey struct {
	id  string
	dir model.Direction
}

// sgRule is one security group rule compiled to the headers it allows.
type sgRule struct {
	ref RuleRef
	id  int32 // see Engine.Rule
	set hset.Set
	// group is the group a rule naming one names; anySrc is then the
	// rule's headers from any source, which a load balancer in that group
	// forwarding a client's own address is admitted by (see lbExtra).
	group  string
	anySrc hset.Set
}

// sgProg is the union of the rules of one direction of a set of security
// groups: an interface's groups all apply, and a header passes when any
// rule of any group allows it.
type sgProg struct {
	dir    model.Direction
	groups []Ref
	rules  []sgRule
	union  hset.Set
	// empty is set when the groups have no rule at all in this direction.
	empty bool
}

// apply splits s into the allowed part, attributed to every rule that allows
// some of it, and the denied rest.
func (p *sgProg) apply(s hset.Set) (allowed piece, denied hset.Set) {
	allowed.set = s.Intersect(p.union)
	denied = s.Subtract(p.union)
	if !allowed.set.IsEmpty() {
		for i := range p.rules {
			if hit := allowed.set.Intersect(p.rules[i].set); !hit.IsEmpty() {
				allowed.rules = append(allowed.rules, p.rules[i].ref)
				allowed.sets = append(allowed.sets, hit)
			}
		}
	}
	return allowed, denied
}

// decide is apply for one header: the first rule that allows h, or nil
// when none does.
func (p *sgProg) decide(pt hset.Box) *sgRule {
	if !p.union.ContainsPoint(pt) {
		return nil
	}
	for i := range p.rules {
		if p.rules[i].set.ContainsPoint(pt) {
			return &p.rules[i]
		}
	}
	return nil
}

func sgRuleRef(sg *model.SecurityGroup, r *model.SGRule) RuleRef {
	peer := "from"
	if r.Direction == model.Egress {
		peer = "to"
	}
	text := fmt.Sprintf("%s allow %s %s %s", r.Direction, ruleService(r.Protocol, r.Ports, r.ICMP), peer, r.Peer)
	if r.Description != "" {
		text += fmt.Sprintf(" (%q)", r.Description)
	}
	return RuleRef{Kind: RuleSecurityGroup, Text: text, Owner: refOf("security-group", &sg.Meta),
		ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
}

func (e *Engine) compileSecurityGroups() {
	for _, sg := range e.net.SecurityGroups {
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			rules := sg.Ingress
			if d == model.Egress {
				rules = sg.Egress
			}
			var out []sgRule
			for i := range rules {
				r := &rules[i]
				var tmpl hset.Box
				if !protoBox(&tmpl, r.Protocol, r.Ports, r.ICMP) {
					continue
				}
				remote := e.peerRanges(sg, r)
				rule := sgRule{ref: sgRuleRef(sg, r), set: hset.Of(ruleBoxes(d, remote, tmpl)...)}
				if r.Peer.Kind == model.PeerSecurityGroup && d == model.Ingress && e.lbGroups[r.Peer.GroupID] {
					rule.group = r.Peer.GroupID
					rule.anySrc = hset.Of(ruleBoxes(d, []hset.AddrRange{full}, tmpl)...)
				}
				out = append(out, rule)
			}
			for i := range out {
				out[i].id = e.addRule(&out[i].ref)
			}
			e.sgRules[sgKey{sg.ID, d}] = out
		}
	}
}

// peerRanges resolves a rule's remote end to addresses. A group reference
// stands for the private (and IPv6) addresses of the group's members — in the
// same VPC or across a same-region peering connection — never their public
// addresses.
func (e *Engine) peerRanges(sg *model.SecurityGroup, r *model.SGRule) []hset.AddrRange {
	switch r.Peer.Kind {
	case model.PeerCIDR:
		return prefixRanges(r.Peer.CIDR)
	case model.PeerPrefixList:
		pl := e.ix.PrefixLists[r.Peer.PrefixListID]
		if pl == nil || pl.EntriesUnknown {
			e.note(CodePrefixListUnknown, refOf("security-group", &sg.Meta),
				"rule %s references prefix list %s whose entries are unknown: it is assumed to match nothing", r.Label(), r.Peer.PrefixListID)
			return nil
		}
		var out []hset.AddrRange
		for _, p := range pl.Entries {
			out = append(out, prefixRanges(p)...)
		}
		return out
	case model.PeerSecurityGroup:
		ref := e.ix.SecurityGroups[r.Peer.GroupID]
		if ref != nil && ref.VPCID != sg.VPCID && e.crossRegion(sg.VPCID, ref.VPCID) {
			e.note(CodeCrossRegionSGRef, refOf("security-group", &sg.Meta),
				"rule %s references group %s across an inter-region peering connection, which AWS does not support: it matches nothing", r.Label(), r.Peer.GroupID)
			return nil
		}
		return addrsRanges(e.sgMembers[r.Peer.GroupID])
	}
	return nil
}

func (e *Engine) crossRegion(a, b string) bool {
	va, vb := e.ix.VPCs[a], e.ix.VPCs[b]
	if va == nil || vb == nil {
		return false
	}
	ra, rb := cmp.Or(va.Region, e.net.Region), cmp.Or(vb.Region, e.net.Region)
	return ra != "" && rb != "" && ra != rb
}

// sgFilter is the filter of interface x's security groups in direction d
// (none when it has none), wherever traffic reaches x — addressed to it or
// routed to it as an appliance: it names the interface, whose flow log shows
// the decision, and the flows AWS does not track there.
func (e *Engine) sgFilter(x *model.NetworkInterface, d model.Direction) []filter {
	p := e.interfaceSG(x, d)
	if p == nil {
		return nil
	}
	en := e.eni[x.ID]
	untracked := e.untrackedFlows(e.interfaceSG(x, model.Ingress), e.interfaceSG(x, model.Egress))
	return []filter{{kind: filterSG, sg: p, eni: x, comp: en.ref, iid: en.iid, untracked: untracked}}
}

// interfaceSG is the combined program of an interface's security groups in
// one direction: exactly the groups the model lists (model.Synthesize has
// given the VPC's default group to the interfaces AWS gives it to); nil when
// it lists none, and no security group filters its traffic.
func (e *Engine) interfaceSG(x *model.NetworkInterface, d model.Direction) *sgProg {
	if len(x.SecurityGroupIDs) == 0 {
		return nil
	}
	ids := slices.Clone(x.SecurityGroupIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	key := d.String() + "|" + strings.Join(ids, ",")
	if p := e.sgProgs[key]; p != nil {
		return p
	}
	p := &sgProg{dir: d}
	var sets []hset.Set
	for _, id := range ids {
		if sg := e.ix.SecurityGroups[id]; sg != nil {
			p.groups = append(p.groups, refOf("security-group", &sg.Meta))
		}
		for _, r := range e.sgRules[sgKey{id, d}] {
			p.rules = append(p.rules, r)
			sets = append(sets, r.set)
		}
	}
	p.union = unionAll(sets)
	p.empty = len(p.rules) == 0
	e.sgProgs[key] = p
	return p
}

// unionAll unions sets pairwise, which keeps intermediate sets small.
func unionAll(sets []hset.Set) hset.Set {
	if len(sets) == 0 {
		return hset.Set{}
	}
	for len(sets) > 1 {
		var next []hset.Set
		for i := 0; i < len(sets); i += 2 {
			if i+1 < len(sets) {
				next = append(next, sets[i].Union(sets[i+1]))
			} else {
				next = append(next, sets[i])
			}
		}
		sets = next
	}
	return sets[0]
}

// indexGroupMembers indexes the private and IPv6 addresses of every group's
// members, which rules naming the group stand for.
func (e *Engine) indexGroupMembers() {
	for _, x := range e.net.Interfaces {
		if e.ix.Subnets[x.SubnetID] == nil {
			continue
		}
		for _, id := range x.SecurityGroupIDs {
			e.sgMembers[id] = append(e.sgMembers[id], slices.Concat(x.PrivateIPs, x.IPv6Addrs)...)
		}
	}
}

// crossSG applies an interface's security groups: new traffic passes when a
// rule allows it; replies of an allowed connection pass whatever the rules
// say (security groups are stateful).
func (w *walker) crossSG(ft *filter, f *flow) {
	comp := ft.comp
	if f.reply {
		w.step(f, Step{Kind: StepSecurityGroup, Direction: ft.sg.dir, Decision: DecisionAllow, Component: comp, Groups: ft.sg.groups,
			Detail: "return traffic of an allowed connection (security groups are stateful)"})
		return
	}
	allowed, denied := ft.sg.apply(f.set)
	if s := f.lbSession(); s != nil && s.lb.sgPass && ft.sg.dir == model.Ingress && !denied.IsEmpty() {
		extra := ft.sg.lbExtra(denied, s.lb.groups)
		if !extra.set.IsEmpty() {
			allowed.set = allowed.set.Union(extra.set)
			allowed.rules = append(allowed.rules, extra.rules...)
			allowed.sets = append(allowed.sets, extra.sets...)
			denied = denied.Subtract(extra.set)
		}
	}
	if !allowed.set.IsEmpty() {
		w.step(f, Step{Kind: StepSecurityGroup, Direction: ft.sg.dir, Decision: DecisionAllow, Component: comp, Groups: ft.sg.groups, Rules: allowed.rules, sets: allowed.sets})
	}
	if !denied.IsEmpty() {
		g := *f
		w.step(&g, Step{Kind: StepSecurityGroup, Direction: ft.sg.dir, Decision: DecisionDeny, Component: comp, Groups: ft.sg.groups})
		code, msg := CodeENISGRulesMismatch, fmt.Sprintf("no %s rule of the security groups of %s (%s) allows the traffic", ft.sg.dir, comp.Label(), groupList(ft.sg.groups))
		if ft.sg.empty {
			code, msg = CodeSGHasNoRules, fmt.Sprintf("the security groups of %s (%s) have no %s rule at all", comp.Label(), groupList(ft.sg.groups), ft.sg.dir)
		}
		w.drop(g, denied, &drop{code: code, comp: comp, message: msg}, nil)
	}
	f.set = allowed.set
}

func groupList(gs []Ref) string {
	var ls []string
	for _, g := range gs {
		ls = append(ls, g.Label())
	}
	if len(ls) == 0 {
		return "none"
	}
	return joinStrings(ls)
}

// stepSG is crossSG for one packet: the same program decides, the first
// rule (in group and rule order) that allows the packet is the one named. A
// deny is reported, not enforced: whether it stands is the walker's
// connection tracking's to say (see Engine.Step).
func (s *stepper) stepSG(ft *filter) bool {
	ev := PacketEvent{Kind: StepSecurityGroup, Iface: ft.iid, Direction: ft.sg.dir, Decision: DecisionAllow,
		Component: &ft.comp, Groups: ft.sg.groups, RuleID: -1}
	r := ft.sg.decide(s.pt)
	if lr := s.pos.lb; r == nil && lr != nil && lr.sgPass && ft.sg.dir == model.Ingress && !s.reply {
		r = ft.sg.lbDecide(s.pt, lr.groups)
	}
	if r != nil {
		ev.Rule, ev.RuleID = &r.ref, r.id
		ev.Untracked = ft.untracked.ContainsPoint(s.pt)
	} else {
		ev.Decision, ev.Code = DecisionDeny, CodeENISGRulesMismatch
		if ft.sg.empty {
			ev.Code = CodeSGHasNoRules
		}
	}
	s.event(ev)
	return true
}

// untrackedFlows are the headers whose connections AWS does not track at
// an interface with inbound program in and outbound program out: "If a
// security group rule permits TCP or UDP flows for all traffic (0.0.0.0/0
// or ::/0) and there is a corresponding rule in the other direction that
// permits all response traffic (0.0.0.0/0 or ::/0) for all ports
// (0-65535), then that flow of traffic is not tracked" (EC2 User Guide,
// "Untracked connections"); ICMP is always tracked.
func (e *Engine) untrackedFlows(in, out *sgProg) hset.Set {
	var s hset.Set
	if in == nil || out == nil {
		return s
	}
	// Interfaces share programs: compute each pair once.
	k := [2]*sgProg{in, out}
	if s, ok := e.untracked[k]; ok {
		return s
	}
	defer func() { e.untracked[k] = s }()
	for _, p := range []uint8{6, 17} {
		for _, is4 := range []bool{true, false} {
			var boxes []hset.Box
			for _, src := range familyRanges(is4) {
				for _, dst := range familyRanges(is4) {
					boxes = append(boxes, hset.Box{Src: src, Dst: dst, Proto: hset.Range8{Lo: p, Hi: p}, SrcPort: allPorts, DstPort: allPorts})
				}
			}
			flows := hset.Of(boxes...)
			if in.union.Covers(flows) && out.union.Covers(flows) {
				s = s.Union(flows)
			}
		}
	}
	return s
}

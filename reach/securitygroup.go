// Security groups (docs/semantics.md, "Security groups"): how New compiles
// them and how a walk crosses them.

package reach

import (
	"cmp"
	"fmt"
	"net/netip"
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
	// unknown are the headers the rule may allow or not: those from (to)
	// the members of a group outside the input that the input does not
	// name, wherever they are.
	unknown hset.Set
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
	// unknown is the union of the rules' unknown sets, and unknownRules
	// the rules that have one.
	unknown      hset.Set
	unknownRules []RuleRef
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
	nonMembers := map[string][]hset.AddrRange{} // by group, computed once
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
				if space := e.outsidePeer(sg, r); space != nil {
					known, ok := nonMembers[r.Peer.GroupID]
					if !ok {
						known = e.knownNonMembers(r.Peer.GroupID)
						nonMembers[r.Peer.GroupID] = known
					}
					rule.unknown = hset.Of(ruleBoxes(d, space, tmpl)...).Subtract(rule.set).Subtract(hset.Of(ruleBoxes(d, known, tmpl)...))
				}
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

// outsidePeer is, for a rule naming a group outside the input, the
// addresses its members may have that the input does not show (the
// estate's blocks and the private ranges, less the members the input
// holds), after a note; nil for every other rule. Such a rule is neither
// taken to match nothing nor to match everything: what it decides for those
// addresses is unknown, and answers say so.
func (e *Engine) outsidePeer(sg *model.SecurityGroup, r *model.SGRule) []hset.AddrRange {
	if r.Peer.Kind != model.PeerSecurityGroup {
		return nil
	}
	peer := e.ix.SecurityGroups[r.Peer.GroupID]
	if peer != nil && !peer.IsOutside() {
		return nil
	}
	why := "which is not in the input"
	if peer != nil {
		why += " (" + peer.Outside + ")"
	}
	e.note(CodeOutsideEstate, refOf("security-group", &sg.Meta),
		"rule %s names group %s, %s: whether it admits addresses of that group's members the input does not hold is not known, and answers that depend on it say so", r.Label(), r.Peer.GroupID, why)
	if e.outsideSpace == nil {
		space := e.privateSpace()
		for _, p := range privateBlocks {
			space = append(space, prefixRanges(p)...)
		}
		e.outsideSpace = mergeRanges(nil, space)
	}
	return e.outsideSpace
}

// knownNonMembers are the addresses of the input's interfaces whose groups
// are known and do not include group id: a rule naming id does not match
// them, wherever the group is.
func (e *Engine) knownNonMembers(id string) []hset.AddrRange {
	var out []hset.AddrRange
	for _, x := range e.net.Interfaces {
		if x.SecurityGroupsUnknown() || slices.Contains(x.SecurityGroupIDs, id) {
			continue
		}
		out = append(out, addrsRanges(slices.Concat(x.PrivateIPs, x.IPv6Addrs))...)
	}
	return mergeRanges(nil, out)
}

// privateBlocks are where members of a group outside the input may have
// their private addresses besides the estate's blocks: RFC 1918, the shared
// address space of RFC 6598 and IPv6 unique local addresses.
var privateBlocks = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"), netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("fc00::/7")}

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
	var sets, unknown []hset.Set
	for _, id := range ids {
		if sg := e.ix.SecurityGroups[id]; sg != nil {
			p.groups = append(p.groups, refOf("security-group", &sg.Meta))
		}
		for _, r := range e.sgRules[sgKey{id, d}] {
			p.rules = append(p.rules, r)
			sets = append(sets, r.set)
			if !r.unknown.IsEmpty() {
				unknown = append(unknown, r.unknown)
				p.unknownRules = append(p.unknownRules, r.ref)
			}
		}
	}
	p.union = unionAll(sets)
	if len(unknown) > 0 {
		p.unknown = unionAll(unknown).Subtract(p.union)
	}
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
	if ft.sg.unknown.IsEmpty() || denied.IsEmpty() {
		// the common case: no rule names a group outside the input
	} else if maybe := denied.Intersect(ft.sg.unknown); !maybe.IsEmpty() {
		// Not denied, not allowed: a rule naming a group outside the input
		// decides it, and who its members are is not known.
		denied = denied.Subtract(maybe)
		g := *f
		g.set = maybe
		w.step(&g, Step{Kind: StepSecurityGroup, Direction: ft.sg.dir, Decision: DecisionDeny, Component: comp, Groups: ft.sg.groups, Rules: ft.sg.unknownRules})
		w.drop(g, maybe, &drop{code: CodeOutsideEstate, comp: comp, message: fmt.Sprintf("whether the security groups of %s (%s) admit the traffic is not known: %s names a group outside the input, whose members the input does not give",
			comp.Label(), groupList(ft.sg.groups), ruleTexts(ft.sg.unknownRules))}, &ft.sg.unknownRules[0])
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

func ruleTexts(rs []RuleRef) string {
	var ls []string
	for _, r := range rs {
		ls = append(ls, fmt.Sprintf("%q", r.Text))
	}
	return joinStrings(ls)
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
		switch {
		case ft.sg.empty:
			ev.Code = CodeSGHasNoRules
		case ft.sg.unknown.ContainsPoint(s.pt):
			ev.Code = CodeOutsideEstate // a rule naming a group outside the input decides
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

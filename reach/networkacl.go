// Network ACLs (docs/semantics.md, "Network ACLs"): how New compiles them and
// how a walk crosses them.

package reach

import (
	"fmt"
	"slices"
	"sort"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

type aclKey struct {
	id  string
	dir model.Direction
}

// aclRule is one network ACL rule compiled to the headers it matches.
type aclRule struct {
	ref   RuleRef
	id    int32 // see Engine.Rule
	allow bool
	set   hset.Set
	// hulls are, by aclDims, the ranges set covers.
	hulls []hset.AddrRange
}

// aclProg is one direction of a network ACL: rules in ascending rule number.
// Evaluation order is AWS's: the first rule whose match covers the header
// decides; the final "*" rule denies the rest.
type aclProg struct {
	owner Ref
	dir   model.Direction
	rules []aclRule
}

// piece is a part of a header set together with the rules that decided it.
type piece struct {
	set   hset.Set
	rules []RuleRef
	// sets are, rule by rule, the part of set each rule matched.
	sets []hset.Set
}

// apply splits s into what the ACL allows and what it denies, each part
// attributed to the rules that decided it, in rule order. A header no rule
// matches (an ACL without its "*" rule) is denied, as AWS does.
func (p *aclProg) apply(s hset.Set) (allowed, denied []piece) {
	hits := make([][]hset.Box, len(p.rules))
	idx := make([]int, len(p.rules))
	for i := range idx {
		idx[i] = i
	}
	rest := p.split(s, idx, hits)
	for i, bs := range hits {
		if len(bs) == 0 {
			continue
		}
		pc := piece{set: hset.Of(bs...), rules: []RuleRef{p.rules[i].ref}}
		if p.rules[i].allow {
			allowed = append(allowed, pc)
		} else {
			denied = append(denied, pc)
		}
	}
	if !rest.IsEmpty() {
		denied = append(denied, piece{set: rest})
	}
	return allowed, denied
}

// aclLeaf is how many rules split decides in turn: below it, splitting
// the headers costs more than it saves.
const aclLeaf = 16

// split decides s against the rules idx (ascending): it appends to hits[i]
// the part of s rule i decides, and returns the part no rule matches.
//
// Deciding in turn — each rule takes its part of what the rules before it
// left — costs the product of the rules and of the pieces left, which grow
// with every rule: an ACL of 32,766 rules denying one block each took a
// minute. So the headers are first split, at the median of the rules'
// bounds in the remote address or the destination port, into halves that
// each only some rules reach; the first match within each half is the
// first match overall.
func (p *aclProg) split(s hset.Set, idx []int, hits [][]hset.Box) hset.Set {
	if s.IsEmpty() {
		return s
	}
	if len(idx) > aclLeaf {
		for d, dim := range aclDims {
			left, right, at, ok := p.partition(idx, d)
			if !ok {
				continue
			}
			lo, hi := s.SplitBox(dim.below(at))
			return p.split(lo, left, hits).Union(p.split(hi, right, hits))
		}
	}
	rest := s
	for _, i := range idx {
		if rest.IsEmpty() {
			break
		}
		r := &p.rules[i]
		hit := rest.Intersect(r.set)
		if hit.IsEmpty() {
			continue
		}
		rest = rest.Subtract(r.set)
		hits[i] = append(hits[i], hit.Boxes()...)
	}
	return rest
}

// aclDim is a dimension split can split headers along; ports are read as
// small addresses, so that one ordering serves every dimension.
type aclDim struct {
	// bounds is the range a box covers along the dimension.
	bounds func(b *hset.Box) hset.AddrRange
	// below is every header whose value along the dimension is less than
	// at.
	below func(at hset.Addr) hset.Box
}

var aclDims = []aclDim{
	{func(b *hset.Box) hset.AddrRange { return b.Src }, func(at hset.Addr) hset.Box {
		return hset.Box{Src: hset.AddrRange{Lo: full.Lo, Hi: at.Prev()}, Dst: full, Proto: allProto, SrcPort: allPorts, DstPort: allPorts}
	}},
	{func(b *hset.Box) hset.AddrRange { return b.Dst }, func(at hset.Addr) hset.Box {
		return hset.Box{Src: full, Dst: hset.AddrRange{Lo: full.Lo, Hi: at.Prev()}, Proto: allProto, SrcPort: allPorts, DstPort: allPorts}
	}},
	{func(b *hset.Box) hset.AddrRange {
		return hset.AddrRange{Lo: hset.Addr{Lo: uint64(b.DstPort.Lo)}, Hi: hset.Addr{Lo: uint64(b.DstPort.Hi)}}
	}, func(at hset.Addr) hset.Box {
		return hset.Box{Src: full, Dst: full, Proto: allProto, SrcPort: allPorts, DstPort: hset.Range16{Lo: 0, Hi: uint16(at.Lo - 1)}}
	}},
}

// hullsOf returns, by aclDims, the ranges set covers.
func hullsOf(set hset.Set) []hset.AddrRange {
	hulls := make([]hset.AddrRange, len(aclDims))
	for k, dim := range aclDims {
		first := true
		for b := range set.All() {
			h := dim.bounds(&b)
			if first || h.Lo.Less(hulls[k].Lo) {
				hulls[k].Lo = h.Lo
			}
			if first || hulls[k].Hi.Less(h.Hi) {
				hulls[k].Hi = h.Hi
			}
			first = false
		}
	}
	return hulls
}

// hull is the range rule i covers along dimension d.
func (p *aclProg) hull(i, d int) hset.AddrRange { return p.rules[i].hulls[d] }

// partition splits the rules idx at the median of their lower bounds along
// dimension d: left are the rules that reach below at, right those that
// reach at or above. ok is false when neither half would hold fewer rules.
func (p *aclProg) partition(idx []int, d int) (left, right []int, at hset.Addr, ok bool) {
	lows := make([]hset.Addr, len(idx))
	for k, i := range idx {
		lows[k] = p.hull(i, d).Lo
	}
	slices.SortFunc(lows, hset.Addr.Compare)
	at = lows[len(lows)/2]
	if at == lows[0] {
		return nil, nil, at, false
	}
	for _, i := range idx {
		h := p.hull(i, d)
		if h.Lo.Less(at) {
			left = append(left, i)
		}
		if !h.Hi.Less(at) {
			right = append(right, i)
		}
	}
	return left, right, at, len(left) < len(idx) && len(right) < len(idx)
}

// decide is apply for one header: the rule that decides h, the first that
// matches it; nil when no rule matches (an ACL without its "*" rule denies).
func (p *aclProg) decide(pt hset.Box) *aclRule {
	for i := range p.rules {
		if r := &p.rules[i]; r.set.ContainsPoint(pt) {
			return r
		}
	}
	return nil
}

func compileACL(acl *model.NetworkACL, d model.Direction) *aclProg {
	p := &aclProg{owner: refOf("network-acl", &acl.Meta), dir: d}
	rules := acl.Ingress
	if d == model.Egress {
		rules = acl.Egress
	}
	sorted := make([]*model.ACLRule, 0, len(rules))
	for i := range rules {
		sorted = append(sorted, &rules[i])
	}
	// Rule numbers decide the order; the "*" rules of both families share
	// the highest number, so the stable sort keeps their input order.
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Number < sorted[j].Number })
	for _, r := range sorted {
		var tmpl hset.Box
		if r.Action != model.Allow && r.Action != model.Deny {
			continue
		}
		if !protoBox(&tmpl, r.Protocol, r.Ports, r.ICMP) {
			continue
		}
		set := hset.Of(ruleBoxes(d, prefixRanges(r.CIDR), tmpl)...)
		p.rules = append(p.rules, aclRule{ref: aclRuleRef(acl, r), allow: r.Action == model.Allow, set: set, hulls: hullsOf(set)})
	}
	return p
}

func aclRuleRef(acl *model.NetworkACL, r *model.ACLRule) RuleRef {
	peer := "from"
	if r.Direction == model.Egress {
		peer = "to"
	}
	text := fmt.Sprintf("%s rule %s %s %s %s", r.Direction, r.NumberString(), r.Action, ruleService(r.Protocol, r.Ports, r.ICMP), peer+" "+r.CIDR.String())
	return RuleRef{Kind: RuleNetworkACL, Text: text, Owner: refOf("network-acl", &acl.Meta),
		ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
}

func (e *Engine) acl(acl *model.NetworkACL, d model.Direction) *aclProg {
	if acl == nil {
		return nil
	}
	k := aclKey{acl.ID, d}
	if p := e.aclProgs[k]; p != nil {
		return p
	}
	p := compileACL(acl, d)
	for i := range p.rules {
		p.rules[i].id = e.addRule(&p.rules[i].ref)
	}
	e.aclProgs[k] = p
	return p
}

// subnetFilter is the network ACL of subnet s in direction d, as a filter
// list (empty when the subnet has no ACL, which Synthesize prevents).
func (e *Engine) subnetFilter(s *model.Subnet, d model.Direction) []filter {
	if s == nil {
		return nil
	}
	if p := e.acl(e.subnetACL[s.ID], d); p != nil {
		return []filter{{kind: filterACL, acl: p}}
	}
	return nil
}

// crossACL applies one direction of a network ACL: each part of the traffic
// is decided by the first rule that matches it.
func (w *walker) crossACL(p *aclProg, f *flow) {
	allowed, denied := p.apply(f.set)
	var pass hset.Set
	var rules []RuleRef
	var sets []hset.Set
	for _, pc := range allowed {
		pass = pass.Union(pc.set)
		for _, r := range pc.rules {
			rules, sets = append(rules, r), append(sets, pc.set)
		}
	}
	if len(rules) > 0 {
		w.step(f, Step{Kind: StepNetworkACL, Direction: p.dir, Decision: DecisionAllow, Component: p.owner, Rules: rules, sets: sets})
	}
	for _, pc := range denied {
		var rule *RuleRef
		msg := fmt.Sprintf("network ACL %s denies the traffic", p.owner.Label())
		if len(pc.rules) > 0 {
			rule = &pc.rules[0]
			msg = fmt.Sprintf("network ACL %s %s denies the traffic", p.owner.Label(), rule.Text)
		}
		g := *f
		w.step(&g, Step{Kind: StepNetworkACL, Direction: p.dir, Decision: DecisionDeny, Component: p.owner, Rules: pc.rules})
		w.drop(g, pc.set, &drop{code: CodeSubnetACLRestriction, comp: p.owner, message: msg}, rule)
	}
	f.set = pass
}

// stepACL is crossACL for one packet, its record at interface iface.
func (s *stepper) stepACL(p *aclProg, iface int32) bool {
	r := p.decide(s.pt)
	ev := PacketEvent{Kind: StepNetworkACL, Iface: iface, Direction: p.dir, Decision: DecisionAllow, Component: &p.owner, RuleID: -1}
	if r != nil {
		ev.Rule, ev.RuleID = &r.ref, r.id
	}
	if r != nil && r.allow {
		s.event(ev)
		return true
	}
	ev.Decision, ev.Code = DecisionDeny, CodeSubnetACLRestriction
	s.event(ev)
	s.dropRule(CodeSubnetACLRestriction, &p.owner, ev.Rule, ev.RuleID)
	return false
}

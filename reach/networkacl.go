// Network ACLs (docs/semantics.md, "Network ACLs"): how New compiles them and
// how a walk crosses them.

package reach

import (
	"fmt"
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
	rest := s
	for i := range p.rules {
		if rest.IsEmpty() {
			break
		}
		r := &p.rules[i]
		hit := rest.Intersect(r.set)
		if hit.IsEmpty() {
			continue
		}
		rest = rest.Subtract(r.set)
		if r.allow {
			allowed = append(allowed, piece{set: hit, rules: []RuleRef{r.ref}})
		} else {
			denied = append(denied, piece{set: hit, rules: []RuleRef{r.ref}})
		}
	}
	if !rest.IsEmpty() {
		denied = append(denied, piece{set: rest})
	}
	return allowed, denied
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
		p.rules = append(p.rules, aclRule{ref: aclRuleRef(acl, r), allow: r.Action == model.Allow, set: set})
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

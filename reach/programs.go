package reach

import (
	"container/heap"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// aclRule is one network ACL rule compiled to the headers it matches.
type aclRule struct {
	ref   RuleRef
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
	return RuleRef{Kind: "network-acl-rule", Text: text, Owner: refOf("network-acl", &acl.Meta),
		ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
}

// ruleService prints a rule's protocol and ports: "tcp 443", "udp 1024-65535",
// "icmp type 8", "all traffic".
func ruleService(p model.Protocol, ports model.PortRange, icmp model.ICMPMatch) string {
	switch {
	case p == model.ProtocolAll:
		return "all traffic"
	case p.HasPorts():
		return p.String() + " " + ports.String()
	case p.IsICMP():
		if icmp.IsAny() {
			return p.String() + " all"
		}
		return p.String() + " " + icmp.String()
	}
	return "protocol " + p.String()
}

// sgRule is one security group rule compiled to the headers it allows.
type sgRule struct {
	ref RuleRef
	set hset.Set
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

func sgRuleRef(sg *model.SecurityGroup, r *model.SGRule) RuleRef {
	peer := "from"
	if r.Direction == model.Egress {
		peer = "to"
	}
	text := fmt.Sprintf("%s allow %s %s %s", r.Direction, ruleService(r.Protocol, r.Ports, r.ICMP), peer, r.Peer)
	if r.Description != "" {
		text += fmt.Sprintf(" (%q)", r.Description)
	}
	return RuleRef{Kind: "security-group-rule", Text: text, Owner: refOf("security-group", &sg.Meta),
		ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
}

// routeEntry is the decision for one range of destinations in a route
// table, after longest-prefix match and AWS's tie-breaking have been applied.
type routeEntry struct {
	rng   hset.AddrRange
	route RuleRef
	// to is where matching traffic goes; nil with drop set for blackholes
	// and unsupported targets.
	to   *edge
	drop *drop
	// exit marks destinations that leave the modelled network here (hosts
	// on the internet).
	exit bool
}

// routeProg is a route table compiled to disjoint destination ranges, sorted.
// Destinations that no entry covers have no route.
type routeProg struct {
	owner   Ref
	entries []routeEntry
	// noRoute explains destinations no entry covers; the zero value means
	// CodeNoRouteToDestination.
	noRoute Code
}

// candidate is a route before resolution.
type candidate struct {
	rng   hset.AddrRange
	bits  int // prefix length within its family
	prio  int // lower wins among equal prefixes: declared/local 0, prefix list 1, propagated 2
	route RuleRef
	to    *edge
	drop  *drop
	exit  bool
}

// resolve turns candidate routes into disjoint ranges, each decided by the
// most specific route that covers it and, among equally specific routes, by
// AWS's route priority: static routes, then prefix-list routes, then
// propagated routes (VPC User Guide, "Route priority"). Candidates need not
// be prefixes: a sweep over their boundaries keeps the best covering
// candidate in a heap.
func resolve(owner Ref, cands []candidate) *routeProg {
	p := &routeProg{owner: owner}
	if len(cands) == 0 {
		return p
	}
	type event struct {
		at    hset.Addr // the candidate starts at at, or ends just before it
		start bool
		end   bool // the candidate ends at the top of the address space
		i     int
	}
	evs := make([]event, 0, 2*len(cands))
	for i, c := range cands {
		evs = append(evs, event{at: c.rng.Lo, start: true, i: i})
		if c.rng.Hi == full.Hi {
			continue
		}
		evs = append(evs, event{at: c.rng.Hi.Next(), i: i})
	}
	slices.SortStableFunc(evs, func(a, b event) int {
		if c := cmpAddr(a.at, b.at); c != 0 {
			return c
		}
		// Ends before starts at the same address.
		switch {
		case a.start == b.start:
			return 0
		case !a.start:
			return -1
		}
		return 1
	})
	better := func(a, b int) bool { // a beats b
		ca, cb := &cands[a], &cands[b]
		if ca.bits != cb.bits {
			return ca.bits > cb.bits
		}
		if ca.prio != cb.prio {
			return ca.prio < cb.prio
		}
		return a < b
	}
	h := &candHeap{less: better}
	active := make([]bool, len(cands))
	best := func() int {
		for h.Len() > 0 && !active[h.idx[0]] {
			heap.Pop(h)
		}
		if h.Len() == 0 {
			return -1
		}
		return h.idx[0]
	}
	emit := func(lo, hi hset.Addr, i int) {
		if i < 0 {
			return
		}
		c := &cands[i]
		if n := len(p.entries); n > 0 {
			last := &p.entries[n-1]
			if last.rng.Hi != full.Hi && last.rng.Hi.Next() == lo && last.to == c.to && last.drop == c.drop && last.exit == c.exit && last.route == c.route {
				last.rng.Hi = hi
				return
			}
		}
		p.entries = append(p.entries, routeEntry{rng: hset.AddrRange{Lo: lo, Hi: hi}, route: c.route, to: c.to, drop: c.drop, exit: c.exit})
	}
	for k := 0; k < len(evs); {
		at := evs[k].at
		for ; k < len(evs) && evs[k].at == at; k++ {
			ev := evs[k]
			if ev.start {
				active[ev.i] = true
				heap.Push(h, ev.i)
			} else {
				active[ev.i] = false
			}
		}
		cur := best()
		if k < len(evs) {
			emit(at, evs[k].at.Prev(), cur)
		} else {
			emit(at, full.Hi, cur)
		}
	}
	return p
}

// candHeap is a heap of candidate indexes, best first.
type candHeap struct {
	idx  []int
	less func(a, b int) bool
}

func (h *candHeap) Len() int           { return len(h.idx) }
func (h *candHeap) Less(i, j int) bool { return h.less(h.idx[i], h.idx[j]) }
func (h *candHeap) Swap(i, j int)      { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }
func (h *candHeap) Push(x any)         { h.idx = append(h.idx, x.(int)) }
func (h *candHeap) Pop() any {
	n := len(h.idx)
	x := h.idx[n-1]
	h.idx = h.idx[:n-1]
	return x
}

// lookup returns the entry covering a, or nil.
func (p *routeProg) lookup(a hset.Addr) *routeEntry {
	i := sort.Search(len(p.entries), func(i int) bool { return !p.entries[i].rng.Hi.Less(a) })
	if i < len(p.entries) && !a.Less(p.entries[i].rng.Lo) {
		return &p.entries[i]
	}
	return nil
}

// routeRef describes a VPC route.
func routeRef(rt *model.RouteTable, r *model.Route, dest string) RuleRef {
	target := r.Target.ID
	if r.Blackhole {
		target += " (blackhole)"
	}
	text := fmt.Sprintf("route %s -> %s", dest, target)
	if r.Origin == model.OriginPropagated {
		text += " (propagated)"
	}
	return RuleRef{Kind: "route", Text: text, Owner: refOf("route-table", &rt.Meta),
		ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
}

// addrsRanges turns a list of addresses into sorted, merged ranges.
func addrsRanges(as []netip.Addr) []hset.AddrRange {
	xs := make([]hset.Addr, 0, len(as))
	for _, a := range as {
		if a.IsValid() {
			xs = append(xs, hset.AddrFrom(a))
		}
	}
	slices.SortFunc(xs, func(a, b hset.Addr) int {
		if a.Less(b) {
			return -1
		}
		if b.Less(a) {
			return 1
		}
		return 0
	})
	var out []hset.AddrRange
	for _, x := range xs {
		if n := len(out); n > 0 && (out[n-1].Hi == x || (out[n-1].Hi != full.Hi && out[n-1].Hi.Next() == x)) {
			out[n-1].Hi = x
			continue
		}
		out = append(out, hset.AddrRange{Lo: x, Hi: x})
	}
	return out
}

func joinStrings(xs []string) string { return strings.Join(xs, ", ") }

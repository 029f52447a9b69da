// How a trace answers for load balancers: the legs from a load balancer's
// listener to its targets, and the ways through load balancers to a target
// that clients do not address directly.

package reach

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// LoadBalancerLeg is one way through a load balancer: from its listener to
// one target, with the verdict of the flow the client sends and why.
type LoadBalancerLeg struct {
	LoadBalancing
	// Target is what the load balancer sends to: an instance, an Auto
	// Scaling group, an interface, or an IP address; TargetAddress is the
	// address it sends to.
	Target        Ref        `json:"target"`
	TargetAddress netip.Addr `json:"target_address"`
	// Flow is what the client sends to the listener.
	Flow *Headers `json:"flow,omitempty"`
	// Verdict says whether the client's connection through this target
	// works both ways.
	Verdict Verdict `json:"verdict"`
	// Passing is the part of Flow that does.
	Passing *Headers `json:"passing,omitempty"`
	// Explanations say why (part of) it does not.
	Explanations []Explanation `json:"explanations,omitempty"`

	route    *lbRoute
	passing  hset.Set
	flow     hset.Set
	fwd, ret []droppedFlow
	warns    []Explanation
	okFwd    *flow
	okRet    *flow
}

// legs gathers what a trace's walks say of each way through a load
// balancer: one leg per listener, target group and target, whichever of the
// load balancer's nodes the flow takes.
type legs struct {
	byKey map[string]*LoadBalancerLeg
	order []string
}

func (ls *legs) leg(r *lbRoute, sent hset.Set) *LoadBalancerLeg {
	if ls.byKey == nil {
		ls.byKey = map[string]*LoadBalancerLeg{}
	}
	k := r.via.key() + "|" + r.to.String()
	l := ls.byKey[k]
	if l == nil {
		l = &LoadBalancerLeg{LoadBalancing: r.via, route: r, Target: r.targetRef, TargetAddress: r.to.NetIP()}
		ls.byKey[k] = l
		ls.order = append(ls.order, k)
	}
	l.flow = l.flow.Union(sent)
	return l
}

// reached records a flow that arrived at the end of route r's leg, with
// its round trip.
func (ls *legs) reached(r *lbRoute, sent hset.Set, f *flow, rt *roundTrip) {
	l := ls.leg(r, sent)
	l.passing = l.passing.Union(rt.passing)
	l.ret = append(l.ret, rt.dropped...)
	l.warns = append(l.warns, rt.warnings...)
	if l.okRet == nil && len(rt.home) > 0 {
		l.okFwd, l.okRet = f, &rt.home[0]
	}
}

// dropped records a drop on route r's leg (nil r: a drop before the load
// balancer, which every leg of the walk shares).
func (ls *legs) dropped(r *lbRoute, sent hset.Set, d droppedFlow) {
	l := ls.leg(r, sent)
	l.fwd = append(l.fwd, d)
}

// result turns the legs into answers, in the order the walks met them.
func (ls *legs) result() []LoadBalancerLeg {
	var out []LoadBalancerLeg
	for _, k := range ls.order {
		l := ls.byKey[k]
		switch {
		case l.passing.IsEmpty():
			l.Verdict = Unreachable
		case !l.passing.Equal(l.flow) || len(l.warns) > 0:
			l.Verdict = PartlyReachable
		default:
			l.Verdict = Reachable
		}
		sev := SeverityBlocking
		if l.Verdict.Passes() {
			sev = SeverityWarning
		}
		l.Flow, l.Passing = headersOf(l.flow), headersOf(l.passing)
		if l.passing.IsEmpty() {
			l.Passing = nil
		}
		l.Explanations = append(explain(l.fwd, LegForward, sev), explain(l.ret, LegReturn, sev)...)
		l.Explanations = append(l.Explanations, dedupe(l.warns)...)
		out = append(out, *l)
	}
	return out
}

// lbLegs walks what the trace's flow makes of a load balancer destination
// beyond its listener: every route its nodes take for the flow, to each
// target and back (the walk fc has them: the onward flows of the nodes).
func (e *Engine) lbLegs(src, dst *Endpoint, fwd hset.Set, fc *collector) []LoadBalancerLeg {
	var ls legs
	ours := func(f *flow) *lbRoute {
		if s := f.lbSession(); s != nil && slices.Contains(dst.nodes, s.lb.n) {
			return s.lb
		}
		return nil
	}
	// What the client sends to the route's node.
	sent := func(r *lbRoute) hset.Set {
		var own []hset.AddrRange
		for _, p := range r.n.eni.PublicIPs {
			own = append(own, addrRange(p.Public))
		}
		own = append(own, addrsRanges(slices.Concat(r.n.eni.PrivateIPs, r.n.eni.IPv6Addrs))...)
		return fwd.Intersect(hset.Of(dstBoxes(own...)...))
	}
	for i := range fc.reached {
		rf := &fc.reached[i]
		if r := ours(&rf.f); r != nil {
			ls.reached(r, sent(r), &rf.f, e.roundTrip(rf.t, rf.f, fwd, src.matches, true))
		}
	}
	for _, d := range fc.dropped {
		if r := ours(&d.f); r != nil {
			ls.dropped(r, sent(r), d)
		}
	}
	return ls.result()
}

// onward reports whether a flow arrived through a load balancer of dst
// (a load balancer destination) without arriving at it: what a proxy sends
// on to its targets, which the trace reports as legs.
func (dst *Endpoint) onward(f *flow) bool {
	s := f.lbSession()
	return dst.Kind == EndpointLoadBalancer && s != nil && slices.Contains(dst.nodes, s.lb.n)
}

// forwards reports whether a listener of load balancer destination dst
// that takes some of flow set forwards it to a target group (rather than
// answering itself: a redirect, a fixed response).
func (dst *Endpoint) forwards(set hset.Set) bool {
	for _, n := range dst.nodes {
		if n.lb == nil {
			continue
		}
		for _, l := range n.lb.listeners {
			if len(l.forwards) > 0 && !set.Intersect(l.match).IsEmpty() {
				return true
			}
		}
	}
	return false
}

// arrives reports whether flow f, arriving at terminal t, has reached the
// destination: t is it, or — for a Network Load Balancer, which passes
// connections through — t is a target the load balancer sent f to.
func (dst *Endpoint) arrives(t *node, f *flow) bool {
	if dst.Kind == EndpointLoadBalancer && dst.lb != nil && !dst.lb.Type.Proxies() {
		return dst.onward(f)
	}
	return dst.matches(t)
}

// viaLegs traces the ways to a destination through the load balancers
// that have it as a target: for each node and listener forwarding to it, the
// flow the source would send to that listener, walked to the destination
// and back. Only a destination named as an element (not an IP address, nor
// one of its addresses by ToAddr) is looked for this way: an address is what
// the client sends to.
func (e *Engine) viaLegs(src, dst *Endpoint, q Query) []LoadBalancerLeg {
	if dst.Kind != EndpointInterface || dst.ip.IsValid() || q.ToAddr != "" {
		return nil
	}
	isTarget := func(r *lbRoute) bool {
		return slices.Contains(dst.nodes, r.target) && (q.Port == nil || q.Port.Contains(r.port))
	}
	var ls legs
	for _, n := range e.lbNodes {
		for _, l := range n.lb.listeners {
			var ours []*lbRoute
			for _, r := range l.routes {
				if isTarget(r) {
					ours = append(ours, r)
				}
			}
			for _, x := range l.excluded {
				if isTarget(x.route) {
					ours = append(ours, x.route)
				}
			}
			if len(ours) == 0 {
				continue
			}
			sent := e.viaFlow(src, n, l, q)
			if sent.IsEmpty() {
				continue
			}
			fc := e.walkEnds(src, sent)
			for i := range fc.reached {
				rf := &fc.reached[i]
				s := rf.f.lbSession()
				if s == nil || !slices.Contains(ours, s.lb) || !dst.matches(rf.t) {
					continue
				}
				ls.reached(s.lb, sent, &rf.f, e.roundTrip(rf.t, rf.f, sent, src.matches, true))
			}
			for _, d := range fc.dropped {
				s := d.f.lbSession()
				switch {
				case s == nil:
					for _, r := range ours {
						ls.dropped(r, sent, d)
					}
				case slices.Contains(ours, s.lb):
					ls.dropped(s.lb, sent, d)
				}
			}
			for _, r := range ours {
				ls.leg(r, sent)
			}
		}
	}
	return ls.result()
}

// viaFlow is what the source of q sends to listener l of node n: to the
// node's public address from the internet when it has one, else its
// private address; the listener's protocols and port.
func (e *Engine) viaFlow(src *Endpoint, n *node, l *lbListener, q Query) hset.Set {
	var dsts []hset.AddrRange
	if src.Kind == EndpointInternet {
		for _, p := range n.eni.PublicIPs {
			dsts = append(dsts, addrRange(p.Public))
		}
	}
	if len(dsts) == 0 {
		for _, a := range n.eni.PrivateIPs {
			dsts = append(dsts, addrRange(a))
		}
	}
	b := hset.Box{SrcPort: allPorts, DstPort: allPorts, Proto: allProto}
	eph := q.Ephemeral
	if eph == (model.PortRange{}) {
		eph = model.DefaultEphemeral
	}
	b.SrcPort = hset.Range16{Lo: eph.First, Hi: eph.Last}
	if q.SrcPort != nil {
		b.SrcPort = hset.Range16{Lo: q.SrcPort.First, Hi: q.SrcPort.Last}
	}
	if n, ok := q.Protocol.Number(); ok && q.Protocol.IsICMP() {
		return hset.Set{} // listeners take TCP and UDP only
	} else if ok {
		b.Proto = hset.Range8{Lo: n, Hi: n}
	}
	var boxes []hset.Box
	for _, s := range src.addrs {
		for _, d := range dsts {
			if v4Block.Contains(s.Lo) != v4Block.Contains(d.Lo) {
				continue
			}
			x := b
			x.Src, x.Dst = s, d
			boxes = append(boxes, x)
		}
	}
	return hset.Of(boxes...).Intersect(l.match)
}

// walkEnds walks a flow from the source's nodes, each sending from its own
// addresses when the source stands for several interfaces.
func (e *Engine) walkEnds(src *Endpoint, set hset.Set) *collector {
	if src.own == nil {
		return e.walkFrom(src.nodes, flow{set: set})
	}
	all := &collector{}
	for _, n := range src.nodes {
		c := e.walkFrom([]*node{n}, flow{set: set.Intersect(hset.Of(srcBoxes(src.own[n]...)...))})
		all.reached = append(all.reached, c.reached...)
		all.dropped = append(all.dropped, c.dropped...)
	}
	return all
}

// viaVerdict is the answer of a trace whose destination is reached only
// through load balancers: the best of the legs, a note naming them, and the
// path of the first that works.
func (res *Result) viaVerdict(ls []LoadBalancerLeg) {
	var names []string
	var pass hset.Set
	partial := false
	var shown *LoadBalancerLeg
	for i := range ls {
		l := &ls[i]
		if !l.Verdict.Passes() {
			continue
		}
		pass = pass.Union(l.passing)
		partial = partial || l.Verdict == PartlyReachable
		names = append(names, l.LoadBalancing.String())
		if shown == nil {
			shown = l
		}
	}
	if shown == nil {
		return
	}
	res.Verdict = Reachable
	if partial {
		res.Verdict = PartlyReachable
	}
	// What stops the direct flow no longer blocks the answer.
	for i := range res.Explanations {
		if res.Explanations[i].Severity == SeverityBlocking {
			res.Explanations[i].Severity = SeverityWarning
		}
	}
	res.Passing = headersOf(pass)
	res.Explanations = append(res.Explanations, Explanation{Code: CodeViaLoadBalancer, Severity: SeverityNote, Component: shown.LoadBalancer,
		Message: fmt.Sprintf("not reachable directly; reachable via %s", joinStrings(slices.Compact(names)))})
	res.Forward = hops(shown.okFwd.trail)
	if shown.okRet != nil {
		res.Return = hops(shown.okRet.trail)
	}
}

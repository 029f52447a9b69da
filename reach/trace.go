package reach

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Query is one flow to trace.
type Query struct {
	// From and To name the ends: a Terraform address, an AWS ID, an IP
	// address or "internet".
	From, To string
	// FromAddr and ToAddr force which address of a named element is used.
	FromAddr, ToAddr AddrChoice
	Protocol         model.Protocol
	// Port is the destination port (TCP, UDP); nil means every port.
	Port *model.PortRange
	// SrcPort is the client's source port; nil means the ephemeral range.
	SrcPort *model.PortRange
	// ICMP selects the ICMP message (ICMP, ICMPv6); the zero value means an
	// echo request.
	ICMP *model.ICMPMatch
	// Ephemeral is the client port range assumed for replies; the zero value
	// means model.DefaultEphemeral.
	Ephemeral model.PortRange
}

// Result is the answer to a Query.
type Result struct {
	From *Endpoint `json:"from"`
	To   *Endpoint `json:"to"`
	// Flow is the flow traced, as it leaves the source.
	Flow *Headers `json:"flow"`
	// Verdict says whether the flow reaches the destination and its replies
	// come back: all of it, part of it (some client ports, some sources, a
	// NAT gateway's ports), or none. JSON also carries it as the booleans
	// "reachable" (some passes) and "partial" (only part does).
	Verdict Verdict `json:"verdict"`
	// Passing is the part of the flow that passes both ways.
	Passing *Headers `json:"passing,omitempty"`
	// Forward and Return are the hops of the path shown: the first path that
	// got through, else the one that went furthest.
	Forward []Hop `json:"forward"`
	Return  []Hop `json:"return"`
	// Explanations say why (part of) the flow does not pass, and what the
	// answer assumes.
	Explanations []Explanation `json:"explanations"`
	// LoadBalancing are, when the destination is a load balancer, its
	// listeners' ways on to each target for this flow; when it is a
	// target of load balancers (named, not an address), the ways to it
	// through them. Each has its own verdict.
	LoadBalancing []LoadBalancerLeg `json:"load_balancing,omitempty"`
}

// MarshalJSON writes the result with the verdict also as the two booleans
// the JSON contract has always had, "reachable" and "partial".
func (r *Result) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	// Rule texts hold "->": whether to escape HTML is the caller's
	// encoder's choice, which it applies to what this returns.
	enc.SetEscapeHTML(false)
	err := enc.Encode(struct {
		From          *Endpoint         `json:"from"`
		To            *Endpoint         `json:"to"`
		Flow          *Headers          `json:"flow"`
		Reachable     bool              `json:"reachable"`
		Partial       bool              `json:"partial"`
		Verdict       Verdict           `json:"verdict"`
		Passing       *Headers          `json:"passing,omitempty"`
		Forward       []Hop             `json:"forward"`
		Return        []Hop             `json:"return"`
		Explanations  []Explanation     `json:"explanations"`
		LoadBalancing []LoadBalancerLeg `json:"load_balancing,omitempty"`
	}{r.From, r.To, r.Flow, r.Verdict.Passes(), r.Verdict == PartlyReachable, r.Verdict, r.Passing, r.Forward, r.Return, r.Explanations, r.LoadBalancing})
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

// reachedFlow is a flow that arrived at a terminal.
type reachedFlow struct {
	t *node
	f flow
}

type droppedFlow struct {
	f    flow
	d    *drop
	rule *RuleRef
}

// collector gathers what a walk produced.
type collector struct {
	reached []reachedFlow
	dropped []droppedFlow
}

func (e *Engine) walkFrom(starts []*node, f flow) *collector {
	return e.walk(starts, f, false)
}

// walk walks from starts; skipExits is the walker's.
func (e *Engine) walk(starts []*node, f flow, skipExits bool) *collector {
	c := &collector{}
	w := &walker{e: e, skipExits: skipExits,
		reached: func(t *node, f flow) { c.reached = append(c.reached, reachedFlow{t, f}) },
		dropped: func(f flow, d *drop, rule *RuleRef) { c.dropped = append(c.dropped, droppedFlow{f, d, rule}) },
	}
	for _, n := range starts {
		w.start(n, f)
	}
	return c
}

// Trace follows one flow from its source to its destination and back,
// recording every hop and the rule that decided it.
func (e *Engine) Trace(q Query) (*Result, error) {
	src, dst, err := e.resolvePair(q.From, q.To, q.FromAddr, q.ToAddr)
	if err != nil {
		return nil, err
	}
	fwd, err := flowSet(src, dst, q)
	if err != nil {
		return nil, err
	}
	res := &Result{From: src, To: dst, Flow: headersOf(fwd)}
	if src.Placeholder || dst.Placeholder {
		res.Explanations = append(res.Explanations, Explanation{Code: CodePlaceholderAddress, Severity: SeverityNote,
			Message: "an address of this flow is a placeholder: the real one is not known until apply"})
	}
	fc := e.walkEnds(src, fwd)

	var passing hset.Set
	var okFwd, okRet, elsewhere *flow
	var retDrops []droppedFlow
	var warns []Explanation
	var bestRet *flow
	for i := range fc.reached {
		r := &fc.reached[i]
		if !dst.arrives(r.t, &r.f) {
			if dst.onward(&r.f) {
				continue // a proxy's own connection to a target: a leg
			}
			res.Explanations = append(res.Explanations, Explanation{Code: CodeDestinationNotReached, Severity: SeverityBlocking, Direction: LegForward,
				Component: r.t.ref, Message: fmt.Sprintf("the traffic arrives at %s, not at the destination", r.t.ref.Label()), Headers: headersOf(r.f.set)})
			if elsewhere == nil {
				elsewhere = &r.f
			}
			continue
		}
		rt := e.roundTrip(r.t, r.f, fwd, src.matches, true)
		for _, a := range rt.strays {
			res.Explanations = append(res.Explanations, Explanation{Code: CodeReturnWrongPath, Severity: SeverityBlocking, Direction: LegReturn,
				Component: a.t.ref, Message: fmt.Sprintf("the reply arrives at %s instead of the source", a.t.ref.Label()), Headers: headersOf(a.f.set)})
		}
		for _, a := range rt.foreign {
			res.Explanations = append(res.Explanations, Explanation{Code: CodeReturnWrongPath, Severity: SeverityBlocking, Direction: LegReturn,
				Component: a.t.ref, Message: "the reply comes back from an address the client did not contact", Headers: headersOf(a.f.set)})
		}
		passing = passing.Union(rt.passing)
		warns = append(warns, rt.warnings...)
		if okRet == nil && len(rt.home) > 0 {
			okFwd, okRet = &r.f, &rt.home[0]
		}
		retDrops = append(retDrops, rt.dropped...)
		if bestRet == nil {
			for j := range rt.dropped {
				if bestRet == nil || depthOf(rt.dropped[j].f.trail) > depthOf(bestRet.trail) {
					bestRet = &rt.dropped[j].f
				}
			}
		}
		if okFwd == nil {
			okFwd = &r.f
		}
	}
	switch {
	case passing.IsEmpty():
		res.Verdict = Unreachable
	case !passing.Equal(fwd) || len(warns) > 0:
		res.Verdict = PartlyReachable
	default:
		res.Verdict = Reachable
	}
	res.Passing = headersOf(passing)
	sev := SeverityBlocking
	if res.Verdict.Passes() {
		sev = SeverityWarning
	}
	fwdDrops := fc.dropped
	if dst.Kind == EndpointLoadBalancer && dst.lb != nil && dst.lb.Type.Proxies() {
		// What stops beyond a proxy is its legs' to explain.
		fwdDrops = slices.DeleteFunc(slices.Clone(fwdDrops), func(d droppedFlow) bool { return dst.onward(&d.f) })
	}
	res.Explanations = append(res.Explanations, explain(fwdDrops, LegForward, sev)...)
	res.Explanations = append(res.Explanations, explain(retDrops, LegReturn, sev)...)
	res.Explanations = append(res.Explanations, dedupe(warns)...)
	if res.Verdict == PartlyReachable && !passing.Equal(fwd) {
		if ex := e.partialPorts(fwd, passing, q); ex != nil {
			res.Explanations = append(res.Explanations, *ex)
		}
	}
	// The path shown: the first that went through both ways, else the
	// forward path that went furthest, else the furthest reply.
	switch {
	case okFwd != nil:
		res.Forward = hops(okFwd.trail)
		if okRet != nil {
			res.Return = hops(okRet.trail)
		} else if bestRet != nil {
			res.Return = hops(bestRet.trail)
		}
	default:
		best := elsewhere
		for i := range fc.dropped {
			if best == nil || depthOf(fc.dropped[i].f.trail) > depthOf(best.trail) {
				best = &fc.dropped[i].f
			}
		}
		if best != nil {
			res.Forward = hops(best.trail)
		}
	}
	switch {
	case dst.Kind == EndpointLoadBalancer:
		res.LoadBalancing = e.lbLegs(src, dst, fwd, fc)
		if dst.lb != nil && dst.lb.Type.Proxies() && res.Verdict.Passes() && dst.forwards(fwd) &&
			!slices.ContainsFunc(res.LoadBalancing, func(l LoadBalancerLeg) bool { return l.Verdict.Passes() }) {
			res.Explanations = append(res.Explanations, Explanation{Code: CodeELBV2ListenerHasNoTG, Severity: SeverityWarning, Direction: LegForward,
				Component: refOf("load-balancer", &dst.lb.Meta),
				Message:   fmt.Sprintf("clients connect to %s, but it reaches none of its targets for this flow: they get an error from the load balancer", dst.lb.Label())})
		}
	case dst.Kind == EndpointInterface:
		res.LoadBalancing = e.viaLegs(src, dst, q)
		if !res.Verdict.Passes() {
			res.viaVerdict(res.LoadBalancing)
		}
	}
	if res.Return == nil {
		res.Return = []Hop{}
	}
	if res.Forward == nil {
		res.Forward = []Hop{}
	}
	if res.Explanations == nil {
		res.Explanations = []Explanation{}
	}
	res.Explanations = append(res.Explanations, dedupe(append(markCaveats(res.Forward), markCaveats(res.Return)...))...)
	e.labelInternet(res)
	return res, nil
}

// labelInternet names "the internet" in every header set of r whose sources
// or destinations are all of it, instead of listing dozens of ranges.
func (e *Engine) labelInternet(r *Result) {
	var fams [][]AddrRange
	for _, is4 := range []bool{true, false} {
		var bs []AddrRange
		for _, x := range e.internetSpace {
			if (!x.Lo.Less(v4Block.Lo) && !v4Block.Hi.Less(x.Hi)) == is4 {
				bs = append(bs, blocksOf(x)...)
			}
		}
		fams = append(fams, bs)
	}
	label := func(h *Headers) {
		if h == nil {
			return
		}
		for _, f := range fams {
			if len(f) > 0 && slices.Equal(h.Sources, f) {
				h.SourceLabel = "internet"
			}
			if len(f) > 0 && slices.Equal(h.Destinations, f) {
				h.DestinationLabel = "internet"
			}
		}
	}
	label(r.Flow)
	label(r.Passing)
	for _, hs := range [][]Hop{r.Forward, r.Return} {
		for i := range hs {
			label(hs[i].Headers)
		}
	}
	for i := range r.Explanations {
		label(r.Explanations[i].Headers)
	}
	for i := range r.LoadBalancing {
		l := &r.LoadBalancing[i]
		label(l.Flow)
		label(l.Passing)
		for j := range l.Explanations {
			label(l.Explanations[j].Headers)
		}
	}
}

// matches reports whether terminal t is this endpoint.
func (ep *Endpoint) matches(t *node) bool {
	switch ep.Kind {
	case EndpointInterface, EndpointLoadBalancer:
		if ep.own != nil || ep.Kind == EndpointLoadBalancer {
			return slices.Contains(ep.nodes, t)
		}
		return (t.kind == nodeENI || t.kind == nodeLB) && t.eni == ep.eni
	case EndpointInternet:
		// A public address can also be an AWS service reached through a
		// gateway endpoint.
		return t.kind == nodeInternet || t.kind == nodeService
	case EndpointOnPrem:
		return t.kind == nodeOnPrem && slices.Contains(ep.nodes, t)
	}
	return false
}

// flowSet builds the headers of the query as they leave the source.
func flowSet(src, dst *Endpoint, q Query) (hset.Set, error) {
	b := hset.Box{SrcPort: allPorts, DstPort: allPorts}
	p := q.Protocol
	if p == model.ProtocolAll {
		b.Proto = allProto
	} else if n, ok := p.Number(); ok {
		b.Proto = hset.Range8{Lo: n, Hi: n}
	} else {
		return hset.Set{}, fmt.Errorf("invalid protocol")
	}
	eph := q.Ephemeral
	if eph == (model.PortRange{}) {
		eph = model.DefaultEphemeral
	}
	switch {
	case p.HasPorts():
		b.SrcPort = hset.Range16{Lo: eph.First, Hi: eph.Last}
		if q.SrcPort != nil {
			b.SrcPort = hset.Range16{Lo: q.SrcPort.First, Hi: q.SrcPort.Last}
		}
		if q.Port != nil {
			b.DstPort = hset.Range16{Lo: q.Port.First, Hi: q.Port.Last}
		}
	case p.IsICMP():
		m := q.ICMP
		if m == nil {
			echo := model.ICMPTypeCode(8, 0)
			if p == model.ProtocolICMPv6 {
				echo = model.ICMPTypeCode(128, 0)
			}
			m = &echo
		}
		if t, ok := m.Type(); ok {
			b.DstPort = hset.Range16{Lo: uint16(t), Hi: uint16(t)}
		}
		if c, ok := m.Code(); ok {
			b.SrcPort = hset.Range16{Lo: uint16(c), Hi: uint16(c)}
		}
	}
	var boxes []hset.Box
	for _, s := range src.addrs {
		for _, d := range dst.addrs {
			if (s.Lo.Less(v4Block.Lo) || v4Block.Hi.Less(s.Hi)) != (d.Lo.Less(v4Block.Lo) || v4Block.Hi.Less(d.Hi)) {
				continue // families differ
			}
			x := b
			x.Src, x.Dst = s, d
			boxes = append(boxes, x)
		}
	}
	if len(boxes) == 0 {
		return hset.Set{}, fmt.Errorf("the ends have no addresses of the same family (%s and %s)", joinBlocks(src.Addresses), joinBlocks(dst.Addresses))
	}
	return hset.Of(boxes...), nil
}

// partialPorts explains a flow that passes for part of its client ports.
func (e *Engine) partialPorts(fwd, passing hset.Set, q Query) *Explanation {
	want := fwd.ProjectPorts(hset.DimSrcPort)
	got := passing.ProjectPorts(hset.DimSrcPort)
	if slices.Equal(want, got) {
		// Every client port passes for some addresses: what is partial is
		// the addresses, and what fails is named, not what passes (all of
		// the internet but a few addresses would be a page of ranges).
		failing := fwd.Subtract(passing)
		what, ranges := "destinations", failing.Project(hset.DimDst)
		if !slices.Equal(fwd.Project(hset.DimSrc), passing.Project(hset.DimSrc)) && slices.Equal(fwd.Project(hset.DimDst), passing.Project(hset.DimDst)) {
			what, ranges = "sources", failing.Project(hset.DimSrc)
		}
		return &Explanation{Code: CodePartialAddresses, Severity: SeverityWarning, Direction: LegReturn, Headers: headersOf(failing),
			Message: fmt.Sprintf("the flow passes both ways but for %s: %s", plural(len(ranges), what[:len(what)-1]+" range"), briefRanges(ranges, 3))}
	}
	return &Explanation{Code: CodeEphemeralPartial, Severity: SeverityWarning, Direction: LegReturn,
		Message: fmt.Sprintf("only client ports %s of %s get their replies back; connections from other ports fail", portList(got), portList(want))}
}

// briefRanges lists at most n address ranges, and how many more there are.
func briefRanges(rs []hset.AddrRange, n int) string {
	var ss []string
	for _, r := range rs[:min(n, len(rs))] {
		ss = append(ss, joinBlocks(blocksOf(r)))
	}
	s := strings.Join(ss, ", ")
	if len(rs) > n {
		s += fmt.Sprintf(" and %d more", len(rs)-n)
	}
	return s
}

func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

func depthOf(ev *event) int {
	n := 0
	for ; ev != nil; ev = ev.prev {
		n++
	}
	return n
}

// hops turns a flow's history into hops, oldest first.
func hops(trail *event) []Hop {
	var evs []*event
	for ev := trail; ev != nil; ev = ev.prev {
		evs = append(evs, ev)
	}
	slices.Reverse(evs)
	var out []Hop
	for _, ev := range evs {
		switch {
		case ev.node != nil:
			out = append(out, Hop{Component: ev.node.ref, Headers: headersOf(ev.set)})
		case ev.step != nil && len(out) > 0:
			out[len(out)-1].Steps = append(out[len(out)-1].Steps, *ev.step)
		}
	}
	return out
}

// explain turns drops into explanations, one per cause, with the headers
// each cause stopped.
func explain(ds []droppedFlow, dir Leg, sev Severity) []Explanation {
	type key struct {
		code Code
		comp string
		rule string
		msg  string
	}
	var order []key
	sets := map[key]hset.Set{}
	first := map[key]droppedFlow{}
	for _, d := range ds {
		k := key{d.d.code, d.d.comp.Label(), "", d.d.message}
		if d.rule != nil {
			k.rule = d.rule.Text + "@" + d.rule.Where()
		}
		if _, ok := sets[k]; !ok {
			order = append(order, k)
			first[k] = d
		}
		sets[k] = sets[k].Union(d.f.set)
	}
	var out []Explanation
	for _, k := range order {
		d := first[k]
		x := Explanation{Code: d.d.code, Severity: sev, Direction: dir, Component: d.d.comp, Message: d.d.message, Headers: headersOf(sets[k])}
		if d.rule != nil {
			r := *d.rule
			x.Rule = &r
		}
		out = append(out, x)
	}
	return out
}

func dedupe(xs []Explanation) []Explanation {
	var out []Explanation
	seen := map[string]bool{}
	for _, x := range xs {
		k := string(x.Code) + x.Component.Label() + x.Message
		if !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// Route tables and routing (docs/semantics.md, "Routes"): longest-prefix
// match, subnet and gateway route tables, and how a walk follows them.

package reach

import (
	"container/heap"
	"fmt"
	"net/netip"
	"slices"
	"sort"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// routeEntry is the decision for one range of destinations in a route
// table, after longest-prefix match and AWS's tie-breaking have been applied.
type routeEntry struct {
	rng   hset.AddrRange
	route RuleRef
	id    int32 // see Engine.Rule
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

func (h *candHeap) Len() int { return len(h.idx) }

func (h *candHeap) Less(i, j int) bool { return h.less(h.idx[i], h.idx[j]) }

func (h *candHeap) Swap(i, j int) { h.idx[i], h.idx[j] = h.idx[j], h.idx[i] }

func (h *candHeap) Push(x any) { h.idx = append(h.idx, x.(int)) }

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
	return RuleRef{Kind: RuleRoute, Text: text, Owner: refOf("route-table", &rt.Meta),
		ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
}

func routeDest(r *model.Route) string {
	if r.DestinationPrefixListID != "" {
		return r.DestinationPrefixListID
	}
	return r.Destination.String()
}

// routeCandidates expands a route into the destination ranges it covers.
func (e *Engine) routeCandidates(owner Ref, r *model.Route) []candidate {
	prio := 0
	switch {
	case r.DestinationPrefixListID != "":
		prio = 1
	case r.Origin == model.OriginPropagated:
		prio = 2
	}
	var prefixes []netip.Prefix
	if r.DestinationPrefixListID != "" {
		pl := e.ix.PrefixLists[r.DestinationPrefixListID]
		if pl == nil || pl.EntriesUnknown {
			e.note(CodePrefixListUnknown, owner, "the route to prefix list %s cannot be evaluated: the list's entries are not in the input (give them with a data source or a data-values file)", r.DestinationPrefixListID)
			return nil
		}
		prefixes = pl.Entries
	} else {
		prefixes = []netip.Prefix{r.Destination}
	}
	var out []candidate
	for _, p := range prefixes {
		for _, rng := range prefixRanges(p) {
			out = append(out, candidate{rng: rng, bits: familyBits(p), prio: prio})
		}
	}
	return out
}

// familyBits makes IPv4 and IPv6 prefix lengths comparable in the 128-bit
// space: an IPv4 /24 is as specific as a 120-bit prefix there.
func familyBits(p netip.Prefix) int {
	if p.Addr().Is4() {
		return p.Bits() + 96
	}
	return p.Bits()
}

func (e *Engine) buildSubnetRoutes(tables map[string]*model.RouteTable) {
	for _, s := range e.net.Subnets {
		sn := e.subnet[s.ID]
		rt := tables[s.ID]
		if rt == nil {
			sn.routes = &routeProg{owner: Ref{Kind: "route-table", Name: "none"}}
			continue
		}
		owner := refOf("route-table", &rt.Meta)
		var cands []candidate
		for i := range rt.Routes {
			r := &rt.Routes[i]
			to, dr := e.routeTargetEdge(sn, rt, r)
			ref := routeRef(rt, r, routeDest(r))
			for _, c := range e.routeCandidates(owner, r) {
				c.route, c.to, c.drop = ref, to, dr
				cands = append(cands, c)
			}
		}
		sn.routes = resolve(owner, cands)
		if rt.IsOutside() {
			// A table of another stack holds routes the input does not
			// show: what none of the known ones covers is not known.
			sn.routes.noRoute = CodeOutsideEstate
		}
	}
}

// outsideTarget is the drop of a route whose target is an element outside
// the input (model.Meta.Outside): the traffic leaves what vpcsim can see
// there. Nil when the target is in the input or not in the network at all.
func (e *Engine) outsideTarget(t model.RouteTarget) *drop {
	var kind string
	var m *model.Meta
	switch id := t.ID; t.Kind {
	case model.TargetTransitGateway:
		if x := e.ix.TransitGateways[id]; x != nil {
			kind, m = "transit-gateway", &x.Meta
		}
	case model.TargetPeering:
		if x := e.ix.Peerings[id]; x != nil {
			kind, m = "vpc-peering-connection", &x.Meta
		}
	case model.TargetVPNGateway:
		if x := e.ix.VPNGateways[id]; x != nil {
			kind, m = "vpn-gateway", &x.Meta
		}
	case model.TargetInternetGateway:
		if x := e.ix.InternetGateways[id]; x != nil {
			kind, m = "internet-gateway", &x.Meta
		}
	case model.TargetEgressOnlyGateway:
		if x := e.ix.EgressOnly[id]; x != nil {
			kind, m = "egress-only-internet-gateway", &x.Meta
		}
	case model.TargetNATGateway:
		if x := e.ix.NATGateways[id]; x != nil {
			kind, m = "nat-gateway", &x.Meta
		}
	case model.TargetGatewayEndpoint, model.TargetEndpoint:
		if x := e.ix.Endpoints[id]; x != nil {
			kind, m = "vpc-endpoint", &x.Meta
		}
	case model.TargetNetworkInterface:
		if x := e.ix.Interfaces[id]; x != nil {
			kind, m = "network-interface", &x.Meta
		}
	case model.TargetInstance:
		if x := e.ix.Instances[id]; x != nil {
			kind, m = "instance", &x.Meta
		}
	}
	if m == nil || !m.IsOutside() {
		return nil
	}
	return outsideDrop(kind, m)
}

// outsideDrop says that the traffic reaches an element outside the input.
func outsideDrop(kind string, m *model.Meta) *drop {
	ref := refOf(kind, m)
	return &drop{code: CodeOutsideEstate, comp: ref,
		message: fmt.Sprintf("the traffic reaches %s %s (%s): the path leaves what vpcsim can see", ref.Label(), model.OutsideNote, m.Outside)}
}

// routeTargetEdge returns where a route of subnet s sends traffic.
func (e *Engine) routeTargetEdge(sn *node, rt *model.RouteTable, r *model.Route) (*edge, *drop) {
	s := sn.subnet
	out := e.subnetFilter(s, model.Egress)
	rtRef := refOf("route-table", &rt.Meta)
	if r.Blackhole {
		return nil, &drop{code: CodeBadStateRoute, comp: rtRef, message: fmt.Sprintf("the route to %s is a blackhole: its target %s no longer exists", routeDest(r), r.Target.ID)}
	}
	id := r.Target.ID
	if d := e.outsideTarget(r.Target); d != nil {
		return nil, d
	}
	missing := &drop{code: CodeBadStateRoute, comp: rtRef, message: fmt.Sprintf("the route targets %s, which is not in the network (AWS marks such a route blackhole)", id)}
	switch r.Target.Kind {
	case model.TargetLocal:
		if vn := e.vpc[s.VPCID]; vn != nil {
			return e.link(sn, vn, edgeRoute, out, nil), nil
		}
	case model.TargetInternetGateway, model.TargetEgressOnlyGateway, model.TargetVPNGateway, model.TargetGatewayEndpoint:
		if g := e.gw[id]; g != nil {
			if g.vpc == nil || g.vpc.ID != s.VPCID {
				return nil, &drop{code: CodeBadState, comp: g.ref, message: fmt.Sprintf("%s is not attached to the subnet's VPC %s", g.ref.Label(), s.VPCID)}
			}
			return e.link(sn, g, edgeRoute, out, nil), nil
		}
		return nil, missing
	case model.TargetNATGateway:
		g := e.gw[id]
		if g == nil {
			return nil, missing
		}
		var leave, enter []filter
		if g.subnet == nil || g.subnet.ID != s.ID {
			leave, enter = out, e.subnetFilter(g.subnet, model.Ingress)
		}
		ed := e.link(sn, g, edgeRoute, leave, enter)
		if g.iface != nil {
			ed.crossings = e.ifaceCrossing(g.iface, model.Ingress)
		}
		return ed, nil
	case model.TargetPeering:
		p := e.ix.Peerings[id]
		if p == nil {
			return nil, missing
		}
		peer, ok := p.Peer(s.VPCID)
		if !ok {
			return nil, &drop{code: CodeBadState, comp: refOf("vpc-peering-connection", &p.Meta), message: fmt.Sprintf("peering connection %s does not involve VPC %s", p.Label(), s.VPCID)}
		}
		return e.link(sn, e.pcx[[2]string{p.ID, peer}], edgeRoute, out, nil), nil
	case model.TargetTransitGateway:
		return e.tgwEntry(sn, id, out)
	case model.TargetNetworkInterface, model.TargetInstance:
		x := e.ix.Interfaces[id]
		if r.Target.Kind == model.TargetInstance {
			if in := e.ix.Instances[id]; in != nil && len(in.InterfaceIDs) > 0 {
				x = e.ix.Interfaces[in.InterfaceIDs[0]]
			}
		}
		if x == nil || e.eni[x.ID] == nil {
			return nil, missing
		}
		var enter []filter
		if x.SubnetID != s.ID {
			enter = e.subnetFilter(e.ix.Subnets[x.SubnetID], model.Ingress)
		}
		enter = append(enter, e.sgFilter(x, model.Ingress)...)
		ed := e.link(sn, e.eni[x.ID], edgeRoute, out, enter)
		ed.crossings = e.ifaceCrossing(e.eni[x.ID], model.Ingress)
		return ed, nil
	}
	return nil, &drop{code: CodeUnsupportedComponent, comp: Ref{Kind: r.Target.Kind.String(), ID: id},
		message: fmt.Sprintf("the route sends traffic to %s %s, which vpcsim does not model", r.Target.Kind, id)}
}

// edgeRoutes compiles the route table associated with a gateway (ingress
// routing), if any: it decides where inbound traffic goes inside the VPC.
func (e *Engine) edgeRoutes(g *node, gatewayID string) *routeProg {
	for _, rt := range e.net.RouteTables {
		for _, a := range rt.Associations {
			if a.GatewayID != gatewayID {
				continue
			}
			owner := refOf("route-table", &rt.Meta)
			var cands []candidate
			for i := range rt.Routes {
				r := &rt.Routes[i]
				ref := routeRef(rt, r, routeDest(r))
				var to *edge
				var dr *drop
				switch {
				case r.Blackhole:
					dr = &drop{code: CodeBadStateRoute, comp: owner, message: "the route is a blackhole"}
				case r.Target.Kind == model.TargetLocal && g.vpcNode != nil:
					to = e.link(g, g.vpcNode, edgeRoute, nil, nil)
				case r.Target.Kind == model.TargetNetworkInterface && e.eni[r.Target.ID] != nil:
					x := e.ix.Interfaces[r.Target.ID]
					enter := e.subnetFilter(e.ix.Subnets[x.SubnetID], model.Ingress)
					enter = append(enter, e.sgFilter(x, model.Ingress)...)
					to = e.link(g, e.eni[x.ID], edgeRoute, nil, enter)
					to.crossings = e.ifaceCrossing(e.eni[x.ID], model.Ingress)
				default:
					dr = &drop{code: CodeUnsupportedComponent, comp: Ref{Kind: r.Target.Kind.String(), ID: r.Target.ID},
						message: fmt.Sprintf("the gateway route table sends traffic to %s %s, which vpcsim does not model", r.Target.Kind, r.Target.ID)}
				}
				for _, c := range e.routeCandidates(owner, r) {
					c.route, c.to, c.drop = ref, to, dr
					cands = append(cands, c)
				}
			}
			return resolve(owner, cands)
		}
	}
	return nil
}

// intoVPC is the default inbound routing of a gateway: the VPC's own blocks
// go to the VPC fabric; nothing else may enter (no edge-to-edge routing).
func (e *Engine) intoVPC(g *node) *routeProg {
	if g.vpcNode == nil || g.vpc == nil {
		return &routeProg{owner: g.ref, noRoute: CodeNoEdgeToEdge}
	}
	ed := e.link(g, g.vpcNode, edgeRoute, nil, nil)
	var cands []candidate
	for _, p := range g.vpc.AllCIDRs() {
		for _, rng := range prefixRanges(p) {
			cands = append(cands, candidate{rng: rng, bits: familyBits(p), to: ed,
				route: RuleRef{Kind: RuleRoute, Text: fmt.Sprintf("into %s (%s)", g.vpc.Label(), p), Owner: g.ref}})
		}
	}
	p := resolve(g.ref, cands)
	p.noRoute = CodeNoEdgeToEdge
	return p
}

// route sends each part of f where prog decides by destination.
func (w *walker) route(n *node, prog *routeProg, f flow) {
	if prog == nil {
		w.drop(f, f.set, &drop{code: CodeNoRouteToDestination, comp: n.ref, message: fmt.Sprintf("%s has no route for the traffic", n.ref.Label())}, nil)
		return
	}
	proj := f.set.Project(hset.DimDst)
	var covered []hset.AddrRange
	// Everything that leaves the network here arrives as one flow: public
	// space is many ranges, but one world.
	var exits []hset.AddrRange
	var exitRule RuleRef
	for _, r := range proj {
		i := sort.Search(len(prog.entries), func(i int) bool { return !prog.entries[i].rng.Hi.Less(r.Lo) })
		for ; i < len(prog.entries) && !r.Hi.Less(prog.entries[i].rng.Lo); i++ {
			en := &prog.entries[i]
			clip := hset.AddrRange{Lo: maxAddr(en.rng.Lo, r.Lo), Hi: minAddr(en.rng.Hi, r.Hi)}
			covered = append(covered, clip)
			if en.exit {
				exits, exitRule = append(exits, clip), en.route
				continue
			}
			g := f
			if w.dstOnly != nil && !f.reply {
				to := intersectRanges(w.dstOnly, clip)
				if len(to) == 0 {
					continue
				}
				g.set = intersectDst(f.set, to...)
			} else {
				g.set = intersectDst(f.set, clip)
			}
			if g.set.IsEmpty() {
				continue
			}
			route := en.route
			switch {
			case en.drop != nil:
				var rule *RuleRef
				if route.Text != "" {
					rule = &route
					w.step(&g, Step{Kind: StepRoute, Decision: DecisionDrop, Component: prog.owner, Rules: []RuleRef{route}})
				}
				w.drop(g, g.set, en.drop, rule)
			default:
				w.step(&g, Step{Kind: StepRoute, Decision: DecisionForward, Component: prog.owner, Rules: []RuleRef{route}, sets: []hset.Set{g.set}})
				w.traverse(en.to, g)
			}
		}
	}
	if len(exits) > 0 && !(w.skipExits && !f.reply) {
		g := f
		if g.set = intersectDst(f.set, exits...); !g.set.IsEmpty() {
			w.step(&g, Step{Kind: StepRoute, Decision: DecisionExit, Component: prog.owner, Rules: []RuleRef{exitRule}})
			w.reached(n, g)
		}
	}
	rest := intersectDst(f.set, subtractRanges(proj, covered)...)
	if !rest.IsEmpty() {
		code := prog.noRoute
		if code == "" {
			code = CodeNoRouteToDestination
		}
		msg := fmt.Sprintf("%s has no route to the destination", prog.owner.Label())
		switch code {
		case CodePCXRequiresAddressInVPC:
			msg = fmt.Sprintf("the destination is outside the CIDR blocks of the peer VPC behind %s; peering is not transitive", n.ref.Label())
		case CodeNoEdgeToEdge:
			msg = fmt.Sprintf("traffic that entered through %s may only go to addresses of its VPC (no edge-to-edge routing)", n.ref.Label())
		case CodeTGWRTBCannotRoute:
			msg = fmt.Sprintf("transit gateway route table %s has no route to the destination", prog.owner.Label())
		case CodeOutsideEstate:
			msg = fmt.Sprintf("%s is not in the input: no route it is known to hold covers the destination, and the routes it holds besides are not known", prog.owner.Label())
		}
		w.drop(f, rest, &drop{code: code, comp: prog.owner, message: msg}, nil)
	}
}

// route is walker.route for one packet: the entry covering its
// destination decides.
func (s *stepper) route(n *node, prog *routeProg) {
	if prog == nil {
		s.dropAt(CodeNoRouteToDestination, &n.ref)
		return
	}
	en := prog.lookup(s.pt.Dst.Lo)
	if en == nil {
		code := prog.noRoute
		if code == "" {
			code = CodeNoRouteToDestination
		}
		s.dropAt(code, &prog.owner)
		return
	}
	ev := PacketEvent{Kind: StepRoute, Component: &prog.owner, Rule: &en.route, RuleID: en.id, Iface: -1}
	switch {
	case en.exit:
		ev.Decision = DecisionExit
		s.event(ev)
		s.finish(OutcomeLeft)
	case en.drop != nil:
		if en.route.Text == "" {
			s.dropAt(en.drop.code, &en.drop.comp)
			return
		}
		ev.Decision = DecisionDrop
		s.event(ev)
		s.dropRule(en.drop.code, &en.drop.comp, ev.Rule, ev.RuleID)
	default:
		ev.Decision = DecisionForward
		s.event(ev)
		s.forward(en.to)
	}
}

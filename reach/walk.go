package reach

import (
	"fmt"
	"net/netip"
	"sort"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Severity says whether an explanation blocks traffic or qualifies an answer.
type Severity string

// Severities.
const (
	SeverityBlocking Severity = "blocking"
	SeverityWarning  Severity = "warning"
	SeverityNote     Severity = "note"
)

// Explanation says why (some of) a flow does not pass, or what an answer
// assumes.
type Explanation struct {
	Code     Code     `json:"code"`
	Severity Severity `json:"severity"`
	// Direction is "forward" or "return"; empty for notes about the network.
	Direction string `json:"direction,omitempty"`
	// Component is where it happened.
	Component Ref `json:"component"`
	// Rule is the rule or route that decided, when one did.
	Rule *RuleRef `json:"rule,omitempty"`
	// Message is a sentence for people.
	Message string `json:"message"`
	// Headers are the headers concerned, when only some of the flow is.
	Headers *Headers `json:"headers,omitempty"`
}

// flow is a set of headers moving through the graph, with its history.
type flow struct {
	set   hset.Set
	reply bool
	trail *event
	// sessions are the NAT translations the forward path made, newest
	// first; a reply undoes them in reverse.
	sessions *session
	depth    int
	// warnings qualify a flow that got through (a NAT gateway port range
	// only partly answered, say).
	warnings *warning
}

type warning struct {
	prev *warning
	x    Explanation
}

// event is one entry of a flow's history: arriving at a node, or a decision
// taken there.
type event struct {
	prev *event
	node *node
	set  hset.Set
	step *Step
}

// session is one NAT gateway translation on the forward path.
type session struct {
	prev *session
	nat  *node
	// orig are the headers as they arrived at the NAT gateway.
	orig hset.Set
}

// maxDepth bounds a path; AWS's own route analyzer gives up after 64 hops.
const maxDepth = 64

// walker pushes flows through the graph and reports what becomes of them.
type walker struct {
	e *Engine
	// reached is called when a forward flow arrives at a terminal (an
	// interface it is delivered to, a host on the internet, an on-premises
	// network, an AWS service), and when a reply arrives at one.
	reached func(t *node, f flow)
	// dropped is called for every part of a flow that stops, with why.
	dropped func(f flow, d *drop, rule *RuleRef)
	// byClass delivers to interface classes instead of interfaces, through
	// their representatives (see class): reached then names a class's first
	// member, and the headers carry the representative's addresses.
	byClass bool
	// skipExits drops, unexamined, forward traffic that leaves the network
	// for a host outside it: analyses looking for what the network's
	// interfaces expose have no use for it.
	skipExits bool
}

func (w *walker) push(f *flow, ev event) {
	ev.prev = f.trail
	f.trail = &ev
}

func (w *walker) step(f *flow, s Step) { w.push(f, event{step: &s}) }

func (w *walker) drop(f flow, set hset.Set, d *drop, rule *RuleRef) {
	if set.IsEmpty() {
		return
	}
	f.set = set
	w.dropped(f, d, rule)
}

// start begins a flow at n.
func (w *walker) start(n *node, f flow) {
	w.push(&f, event{node: n, set: f.set})
	w.handle(n, nil, f)
}

// traverse moves f along ed: the leaving filters, the arrival at the next
// node, the entering filters, then the node's own decision.
func (w *walker) traverse(ed *edge, f flow) {
	if f.set = w.filters(ed.leave, &f); f.set.IsEmpty() {
		return
	}
	if f.depth++; f.depth > maxDepth {
		w.drop(f, f.set, &drop{code: CodeRoutingLoop, comp: ed.to.ref, message: fmt.Sprintf("the path is longer than %d hops", maxDepth)}, nil)
		return
	}
	for ev := f.trail; ev != nil; ev = ev.prev {
		if ev.node == ed.to && ev.set.Equal(f.set) {
			w.drop(f, f.set, &drop{code: CodeRoutingLoop, comp: ed.to.ref, message: fmt.Sprintf("the traffic returns to %s with the same headers", ed.to.ref.Label())}, nil)
			return
		}
	}
	w.push(&f, event{node: ed.to, set: f.set})
	if f.set = w.filters(ed.enter, &f); f.set.IsEmpty() {
		return
	}
	w.handle(ed.to, ed, f)
}

// filters applies fs in order and returns what passes; what does not is
// reported as dropped.
func (w *walker) filters(fs []filter, f *flow) hset.Set {
	for i := range fs {
		if f.set.IsEmpty() {
			break
		}
		ft := &fs[i]
		switch ft.kind {
		case filterACL:
			allowed, denied := ft.acl.apply(f.set)
			var pass hset.Set
			var rules []RuleRef
			var sets []hset.Set
			for _, p := range allowed {
				pass = pass.Union(p.set)
				for _, r := range p.rules {
					rules, sets = append(rules, r), append(sets, p.set)
				}
			}
			if len(rules) > 0 {
				w.step(f, Step{Kind: "network-acl", Direction: ft.acl.dir.String(), Decision: "allow", Component: ft.acl.owner, Rules: rules, sets: sets})
			}
			for _, p := range denied {
				var rule *RuleRef
				msg := fmt.Sprintf("network ACL %s denies the traffic", ft.acl.owner.Label())
				if len(p.rules) > 0 {
					rule = &p.rules[0]
					msg = fmt.Sprintf("network ACL %s %s denies the traffic", ft.acl.owner.Label(), rule.Text)
				}
				g := *f
				w.step(&g, Step{Kind: "network-acl", Direction: ft.acl.dir.String(), Decision: "deny", Component: ft.acl.owner, Rules: p.rules})
				w.drop(g, p.set, &drop{code: CodeSubnetACLRestriction, comp: ft.acl.owner, message: msg}, rule)
			}
			f.set = pass
		case filterSG:
			comp := eniRef(ft.eni)
			if f.reply {
				// Security groups are stateful: a reply to an allowed
				// connection passes whatever the rules say.
				w.step(f, Step{Kind: "security-group", Direction: ft.sg.dir.String(), Decision: "allow", Component: comp, Groups: ft.sg.groups,
					Detail: "return traffic of an allowed connection (security groups are stateful)"})
				continue
			}
			allowed, denied := ft.sg.apply(f.set)
			if !allowed.set.IsEmpty() {
				w.step(f, Step{Kind: "security-group", Direction: ft.sg.dir.String(), Decision: "allow", Component: comp, Groups: ft.sg.groups, Rules: allowed.rules, sets: allowed.sets})
			}
			if !denied.IsEmpty() {
				g := *f
				w.step(&g, Step{Kind: "security-group", Direction: ft.sg.dir.String(), Decision: "deny", Component: comp, Groups: ft.sg.groups})
				code, msg := CodeENISGRulesMismatch, fmt.Sprintf("no %s rule of the security groups of %s (%s) allows the traffic", ft.sg.dir, comp.Label(), groupList(ft.sg.groups))
				if ft.sg.empty {
					code, msg = CodeSGHasNoRules, fmt.Sprintf("the security groups of %s (%s) have no %s rule at all", comp.Label(), groupList(ft.sg.groups), ft.sg.dir)
				}
				w.drop(g, denied, &drop{code: code, comp: comp, message: msg}, nil)
			}
			f.set = allowed.set
		case filterSourceCheck:
			pass := f.set.Intersect(ft.own)
			w.drop(*f, f.set.Subtract(ft.own), &drop{code: CodeSourceDestCheck, comp: eniRef(ft.eni),
				message: fmt.Sprintf("%s has source/destination check enabled and does not send traffic from addresses it does not own", eniRef(ft.eni).Label())}, nil)
			f.set = pass
		}
	}
	return f.set
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

func eniRef(x *model.NetworkInterface) Ref { return refOf("network-interface", &x.Meta) }

// handle is a node's own decision for traffic that arrived through via (nil
// where the flow starts).
func (w *walker) handle(n *node, via *edge, f flow) {
	switch n.kind {
	case nodeENI:
		w.handleENI(n, via, f)
	case nodeSubnet:
		w.handleSubnet(n, f)
	case nodeVPC, nodePCX, nodeTGWRT:
		w.route(n, n.routes, f)
	case nodeIGW:
		w.handleIGW(n, via, f)
	case nodeEIGW:
		w.handleEIGW(n, via, f)
	case nodeNAT:
		w.handleNAT(n, via, f)
	case nodeVGW:
		if via != nil && via.from.kind == nodeOnPrem {
			w.route(n, n.inbound, f)
		} else {
			w.route(n, n.routes, f)
		}
	case nodeVPCE:
		if via != nil && via.from.kind == nodeService {
			w.route(n, n.inbound, f)
		} else {
			w.traverse(n.out[0], f) // to the service
		}
	case nodeInternet:
		// A reply arriving from the estate goes to the internet host that
		// asked; a reply starting here (from a host the source contacted)
		// is routed like any traffic.
		if f.reply && via != nil {
			w.route(n, n.inbound, f)
		} else {
			w.route(n, n.routes, f)
		}
	case nodeOnPrem, nodeService:
		if via == nil {
			w.route(n, n.routes, f)
		} else {
			w.reached(n, f)
		}
	}
}

func (w *walker) handleENI(n *node, via *edge, f flow) {
	switch {
	case via == nil:
		if n.send == nil {
			w.drop(f, f.set, &drop{code: CodeOutsideEstate, comp: n.ref, message: fmt.Sprintf("%s is in no subnet of the network", n.ref.Label())}, nil)
			return
		}
		w.traverse(n.send, f)
	case via.kind == edgeDeliver:
		w.reached(n, f)
	default:
		// Routed here as a next hop: only traffic addressed to the
		// interface itself is delivered; anything else is either dropped by
		// the source/destination check or handed to software vpcsim does not
		// model.
		own := hset.Of(dstBoxes(addrsRanges(append(append([]netip.Addr{}, n.eni.PrivateIPs...), n.eni.IPv6Addrs...))...)...)
		if mine := f.set.Intersect(own); !mine.IsEmpty() {
			g := f
			g.set = mine
			w.reached(n, g)
		}
		rest := f.set.Subtract(own)
		if n.eni.SourceDestCheck {
			w.drop(f, rest, &drop{code: CodeSourceDestCheck, comp: n.ref, message: fmt.Sprintf("the route sends traffic to %s, which has source/destination check enabled and drops traffic not addressed to it", n.ref.Label())}, nil)
		} else {
			w.drop(f, rest, &drop{code: CodeUnsupportedComponent, comp: n.ref, message: fmt.Sprintf("the route sends traffic to %s, an appliance whose forwarding vpcsim does not model", n.ref.Label())}, nil)
		}
	}
}

// handleSubnet delivers traffic for the subnet's own addresses and routes the
// rest by the subnet's route table.
func (w *walker) handleSubnet(n *node, f flow) {
	own := hset.Of(dstBoxes(n.cidrs...)...)
	if here := f.set.Intersect(own); !here.IsEmpty() {
		w.deliverLocal(n, f, here)
	}
	if away := f.set.Subtract(own); !away.IsEmpty() {
		f.set = away
		w.route(n, n.routes, f)
	}
}

// deliverLocal delivers here, the part of f addressed inside subnet n, to
// the owners of its destinations; what no interface uses stops
// (ADDRESS_NOT_IN_USE).
func (w *walker) deliverLocal(n *node, f flow, here hset.Set) {
	proj := here.Project(hset.DimDst)
	var used []hset.AddrRange
	for d := range n.deliveries(proj, w.byClass) {
		to, via := d.to, d.via
		if d.altVia != nil && !here.Intersect(hset.Of(srcBoxes(d.to...)...)).IsEmpty() {
			to, via = d.alt, d.altVia
		}
		used = append(used, d.covers...)
		g := f
		if g.set = intersectDst(here, to...); len(to) > 0 && !g.set.IsEmpty() {
			w.traverse(via, g)
		}
	}
	rest := intersectDst(here, subtractRanges(proj, mergeRanges(nil, used))...)
	w.drop(f, rest, &drop{code: CodeAddressUnused, comp: n.ref, message: fmt.Sprintf("no network interface in %s uses the destination address", n.ref.Label())}, nil)
}

// deliveries yields the deliveries of subnet n that may concern the
// destinations proj (sorted, disjoint): by binary search among the
// interfaces' addresses, or every class of a class walk.
func (n *node) deliveries(proj []hset.AddrRange, byClass bool) func(yield func(*delivery) bool) {
	return func(yield func(*delivery) bool) {
		if byClass {
			for i := range n.classDeliver {
				if !yield(&n.classDeliver[i]) {
					return
				}
			}
			return
		}
		for _, r := range proj {
			i := sort.Search(len(n.deliver), func(i int) bool { return !n.deliver[i].to[0].Lo.Less(r.Lo) })
			for ; i < len(n.deliver) && !r.Hi.Less(n.deliver[i].to[0].Lo); i++ {
				if !yield(&n.deliver[i]) {
					return
				}
			}
		}
	}
}

// delivery returns the delivery of address a in subnet n, or nil.
func (n *node) delivery(a hset.Addr) *delivery {
	i := sort.Search(len(n.deliver), func(i int) bool { return !n.deliver[i].to[0].Lo.Less(a) })
	if i < len(n.deliver) && n.deliver[i].to[0].Lo == a {
		return &n.deliver[i]
	}
	return nil
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
			if g.set = intersectDst(f.set, clip); g.set.IsEmpty() {
				continue
			}
			route := en.route
			switch {
			case en.drop != nil:
				var rule *RuleRef
				if route.Text != "" {
					rule = &route
					w.step(&g, Step{Kind: "route", Decision: "drop", Component: prog.owner, Rules: []RuleRef{route}})
				}
				w.drop(g, g.set, en.drop, rule)
			default:
				w.step(&g, Step{Kind: "route", Decision: "forward", Component: prog.owner, Rules: []RuleRef{route}, sets: []hset.Set{g.set}})
				w.traverse(en.to, g)
			}
		}
	}
	if len(exits) > 0 && !(w.skipExits && !f.reply) {
		g := f
		if g.set = intersectDst(f.set, exits...); !g.set.IsEmpty() {
			w.step(&g, Step{Kind: "route", Decision: "exit", Component: prog.owner, Rules: []RuleRef{exitRule}})
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
		}
		w.drop(f, rest, &drop{code: code, comp: prog.owner, message: msg}, nil)
	}
}

func (w *walker) handleIGW(n *node, via *edge, f flow) {
	vpcID := ""
	if n.vpc != nil {
		vpcID = n.vpc.ID
	}
	v4 := f.set.Intersect(hset.All4())
	v6 := f.set.Subtract(hset.All4())
	if via != nil && via.from.kind == nodeInternet {
		// Inbound: a public IPv4 address becomes the private address it maps
		// to (one-to-one NAT); IPv6 passes unchanged.
		for _, r := range v4.Project(hset.DimDst) {
			for _, np := range w.e.pairsIn(w.e.pub[vpcID], r) {
				pt := hset.Of(dstBoxes(hset.AddrRange{Lo: np.public, Hi: np.public})...)
				g := f
				g.set = v4.Intersect(pt).WithDst(hset.AddrRange{Lo: np.private, Hi: np.private})
				v4 = v4.Subtract(pt)
				w.step(&g, Step{Kind: "translate", Decision: "destination-nat", Component: n.ref,
					Detail: fmt.Sprintf("destination %s -> %s (%s)", np.public.NetIP(), np.private.NetIP(), eniRef(np.eni).Label())})
				w.route(n, n.inbound, g)
			}
		}
		w.drop(f, v4, &drop{code: CodeIGWPrivateIPForIngress, comp: n.ref, message: fmt.Sprintf("%s admits only traffic to public addresses of its VPC's interfaces", n.ref.Label())}, nil)
		if !v6.IsEmpty() {
			f.set = v6
			w.route(n, n.inbound, f)
		}
		return
	}
	// Outbound: the private source becomes its public address; without one
	// the gateway drops the traffic. IPv6 sources must be the VPC's own.
	if !v6.IsEmpty() && n.vpc != nil {
		var own []hset.AddrRange
		for _, p := range n.vpc.IPv6CIDRs {
			own = append(own, prefixRanges(p)...)
		}
		ownSet := hset.Of(srcBoxes(own...)...)
		w.drop(f, v6.Subtract(ownSet), &drop{code: CodeSourceDestCheck, comp: n.ref, message: "the IPv6 source is not an address of the gateway's VPC"}, nil)
		if g := f; !v6.Intersect(ownSet).IsEmpty() {
			g.set = v6.Intersect(ownSet)
			w.traverse(n.out[0], g)
		}
	}
	for _, r := range v4.Project(hset.DimSrc) {
		for _, np := range w.e.pairsIn(w.e.priv[vpcID], r) {
			pt := hset.Of(srcBoxes(hset.AddrRange{Lo: np.private, Hi: np.private})...)
			g := f
			g.set = v4.Intersect(pt).WithSrc(hset.AddrRange{Lo: np.public, Hi: np.public})
			v4 = v4.Subtract(pt)
			w.step(&g, Step{Kind: "translate", Decision: "source-nat", Component: n.ref,
				Detail: fmt.Sprintf("source %s -> %s", np.private.NetIP(), np.public.NetIP())})
			w.traverse(n.out[0], g)
		}
	}
	if !v4.IsEmpty() {
		code, msg := CodeIGWPublicIPForEgress, fmt.Sprintf("the source has no public or Elastic IP address, so %s cannot carry its traffic to the internet", n.ref.Label())
		if nat := w.e.natOwning(v4); nat != nil {
			code, msg = CodeNGWPrivateToIGW, fmt.Sprintf("%s has no Elastic IP (a private NAT gateway cannot use an internet gateway)", nat.ref.Label())
		}
		w.drop(f, v4, &drop{code: code, comp: n.ref, message: msg}, nil)
	}
}

// pairsIn returns the translations whose key address lies in r, in address
// order.
func (e *Engine) pairsIn(m map[hset.Addr]natPair, r hset.AddrRange) []natPair {
	var out []natPair
	if r.Lo == r.Hi {
		if np, ok := m[r.Lo]; ok {
			out = append(out, np)
		}
		return out
	}
	for k, np := range m {
		if !k.Less(r.Lo) && !r.Hi.Less(k) {
			out = append(out, np)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].public.Less(out[j].public) || (out[i].public == out[j].public && out[i].private.Less(out[j].private))
	})
	return out
}

// natOwning returns the NAT gateway whose address is the source of s, if any.
func (e *Engine) natOwning(s hset.Set) *node {
	for _, g := range e.net.NATGateways {
		if g.PrivateIP.IsValid() && !s.Intersect(hset.Of(srcBoxes(addrRange(g.PrivateIP))...)).IsEmpty() {
			return e.gw[g.ID]
		}
	}
	return nil
}

func (w *walker) handleEIGW(n *node, via *edge, f flow) {
	if via != nil && via.from.kind == nodeInternet {
		if !f.reply {
			w.drop(f, f.set, &drop{code: CodeEIGWInboundDenied, comp: n.ref, message: fmt.Sprintf("%s lets replies in but refuses connections initiated from the internet", n.ref.Label())}, nil)
			return
		}
		w.route(n, n.inbound, f)
		return
	}
	v4 := f.set.Intersect(hset.All4())
	w.drop(f, v4, &drop{code: CodeEIGWIPv4, comp: n.ref, message: fmt.Sprintf("%s carries IPv6 only", n.ref.Label())}, nil)
	if f.set = f.set.Subtract(v4); !f.set.IsEmpty() {
		w.traverse(n.out[0], f)
	}
}

// natProtocols are what a NAT gateway translates: TCP, UDP and ICMP.
var natProtocols = hset.Of(
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 6, Hi: 6}, SrcPort: allPorts, DstPort: allPorts},
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 17, Hi: 17}, SrcPort: allPorts, DstPort: allPorts},
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 1, Hi: 1}, SrcPort: allPorts, DstPort: allPorts},
)

// natPorts are the source ports a NAT gateway translates TCP and UDP to.
var natPorts = hset.Range16{Lo: 1024, Hi: 65535}

var tcpUDP = hset.Of(
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 6, Hi: 6}, SrcPort: allPorts, DstPort: allPorts},
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 17, Hi: 17}, SrcPort: allPorts, DstPort: allPorts},
)

func (w *walker) handleNAT(n *node, via *edge, f flow) {
	g := n.nat
	if via != nil && via.kind == edgeDeliver {
		// Addressed to the gateway itself: the reply to a translation it
		// made, or nothing it answers.
		if !f.reply || f.sessions == nil || f.sessions.nat != n {
			code, msg := CodeNGWAddressNotHost, fmt.Sprintf("%s does not accept connections to its own address", n.ref.Label())
			if f.reply || via.from.kind == nodeSubnet && w.fromOutside(f) {
				code, msg = CodeNGWNoSession, fmt.Sprintf("%s drops traffic that matches no session it created", n.ref.Label())
			}
			w.drop(f, f.set, &drop{code: code, comp: n.ref, message: msg}, nil)
			return
		}
		s := f.sessions
		orig := s.orig
		if tu := f.set.Intersect(tcpUDP); !tu.IsEmpty() {
			got := tu.ProjectPorts(hset.DimDstPort)
			if len(got) != 1 || got[0] != natPorts {
				f.warnings = &warning{prev: f.warnings, x: Explanation{Code: CodeEphemeralPartial, Severity: SeverityWarning, Direction: "return", Component: n.ref,
					Message: fmt.Sprintf("replies reach %s only on translated ports %s; it picks ports from %d-%d, so connections whose translated port falls outside fail", n.ref.Label(), portsString(got), natPorts.Lo, natPorts.Hi)}}
			}
		}
		back := hset.Set{}
		// The reply goes back to the original source and port of the
		// translated connection.
		for _, src := range orig.Project(hset.DimSrc) {
			part := f.set.WithDst(src)
			if !f.set.Intersect(tcpUDP).IsEmpty() {
				for _, pr := range orig.ProjectPorts(hset.DimSrcPort) {
					back = back.Union(part.Intersect(tcpUDP).WithDstPort(pr))
				}
				part = part.Subtract(tcpUDP)
			}
			back = back.Union(part)
		}
		f.sessions = s.prev
		w.step(&f, Step{Kind: "translate", Decision: "reverse-nat", Component: n.ref,
			Detail: fmt.Sprintf("destination %s -> %s (the session's source)", g.PrivateIP, rangesString(orig.Project(hset.DimSrc)))})
		f.set = back
		w.traverse(n.send, f)
		return
	}
	if f.reply {
		w.drop(f, f.set, &drop{code: CodeNGWNoSession, comp: n.ref, message: fmt.Sprintf("the reply is routed to %s, which drops it: the request did not go through it, so it matches no session", n.ref.Label())}, nil)
		return
	}
	ok := f.set.Intersect(natProtocols)
	w.drop(f, f.set.Subtract(natProtocols), &drop{code: CodeProtocolRestriction, comp: n.ref, message: fmt.Sprintf("%s translates only TCP, UDP and ICMP", n.ref.Label())}, nil)
	if ok.IsEmpty() {
		return
	}
	if !g.PrivateIP.IsValid() {
		w.drop(f, ok, &drop{code: CodeBadState, comp: n.ref, message: fmt.Sprintf("%s has no address in the input", n.ref.Label())}, nil)
		return
	}
	if n.send == nil {
		w.drop(f, ok, &drop{code: CodeBadState, comp: n.ref, message: fmt.Sprintf("%s is in no subnet of the network", n.ref.Label())}, nil)
		return
	}
	out := ok.WithSrc(addrRange(g.PrivateIP))
	if tu := out.Intersect(tcpUDP); !tu.IsEmpty() {
		out = out.Subtract(tcpUDP).Union(tu.WithSrcPort(natPorts))
	}
	f.sessions = &session{prev: f.sessions, nat: n, orig: ok}
	w.step(&f, Step{Kind: "translate", Decision: "source-nat", Component: n.ref,
		Detail: fmt.Sprintf("source %s -> %s, ports %d-%d", rangesString(ok.Project(hset.DimSrc)), g.PrivateIP, natPorts.Lo, natPorts.Hi)})
	f.set = out
	w.traverse(n.send, f)
}

// fromOutside reports whether the flow entered the VPC from the internet:
// a connection attempt to a NAT gateway's public address.
func (w *walker) fromOutside(f flow) bool {
	for ev := f.trail; ev != nil; ev = ev.prev {
		if ev.node != nil && ev.node.kind == nodeInternet {
			return true
		}
	}
	return false
}

func rangesString(rs []hset.AddrRange) string {
	var ss []string
	for _, r := range rs {
		ss = append(ss, r.String())
	}
	return joinStrings(ss)
}

// intersectDst keeps the headers of s whose destination lies in rs.
func intersectDst(s hset.Set, rs ...hset.AddrRange) hset.Set {
	if len(rs) == 0 || s.IsEmpty() {
		return hset.Set{}
	}
	boxes := dstBoxes(rs...)
	if len(boxes) == 1 {
		return s.IntersectBox(boxes[0])
	}
	return s.Intersect(hset.Of(boxes...))
}

// subtractRanges returns the parts of the sorted disjoint ranges rs that the
// sorted disjoint ranges cut do not cover.
func subtractRanges(rs, cut []hset.AddrRange) []hset.AddrRange {
	var out []hset.AddrRange
	j := 0
	for _, r := range rs {
		lo := r.Lo
		done := false
		for ; j < len(cut) && cut[j].Hi.Less(lo); j++ {
		}
		for k := j; k < len(cut) && !r.Hi.Less(cut[k].Lo); k++ {
			c := cut[k]
			if lo.Less(c.Lo) {
				out = append(out, hset.AddrRange{Lo: lo, Hi: c.Lo.Prev()})
			}
			if !c.Hi.Less(r.Hi) {
				done = true
				break
			}
			lo = c.Hi.Next()
		}
		if !done {
			out = append(out, hset.AddrRange{Lo: lo, Hi: r.Hi})
		}
	}
	return out
}

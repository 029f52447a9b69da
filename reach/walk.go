// The set walker: how a set of headers moves along the graph's edges, and
// where walks stop (docs/semantics.md, "Loops and limits").

package reach

import (
	"fmt"

	"github.com/vpcsim/vpcsim/reach/hset"
)

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

// session is one translation on the forward path that the replies must
// undo: a NAT gateway's, or a load balancer node's (lb).
type session struct {
	prev *session
	nat  *node
	lb   *lbRoute
	// orig are the headers as they arrived at the NAT gateway or the load
	// balancer node.
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
	// routesOnly crosses edges without their filters: what it reaches is
	// what routing alone lets through, a superset of what the filters do.
	routesOnly bool
	// atSubnet, when set, is handed the traffic addressed inside a subnet
	// (here) instead of delivering it.
	atSubnet func(n *node, f flow, here hset.Set)
	// admit, when set, decides which deliveries a class walk makes.
	admit func(d *delivery) bool
	// dstOnly, when set (sorted, disjoint), routes forward traffic only
	// toward these destinations; the rest is dropped unexamined, as by
	// skipExits.
	dstOnly []hset.AddrRange
	// exitsOnly lets forward traffic that reaches the internet leave for a
	// host there whatever its address, the estate's own public addresses
	// included, instead of routing those back into the estate: walks that
	// ask only what reaches the internet (a comparison's egress flows, which
	// set the estate's addresses aside) stay one flow instead of one per
	// public address.
	exitsOnly bool
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
	if w.routesOnly {
		return f.set
	}
	for i := range fs {
		if f.set.IsEmpty() {
			break
		}
		ft := &fs[i]
		switch ft.kind {
		case filterACL:
			w.crossACL(ft.acl, f)
		case filterSG:
			w.crossSG(ft, f)
		case filterSourceCheck:
			w.crossSourceCheck(ft, f)
		}
	}
	return f.set
}

// handle is a node's own decision for traffic that arrived through via (nil
// where the flow starts): its element's.
func (w *walker) handle(n *node, via *edge, f flow) {
	elements[n.kind].cross(w, n, via, f)
}

// outsideElement is a world outside the network that is not the internet:
// the on-premises network behind a VPN connection, the AWS service behind a
// gateway endpoint. Traffic from it starts there and is routed by its
// routing; traffic to it ends there.
type outsideElement struct{}

func (outsideElement) cross(w *walker, n *node, via *edge, f flow) {
	if via == nil {
		w.route(n, n.routes, f)
	} else {
		w.reached(n, f)
	}
}

func (outsideElement) step(s *stepper, n *node, via *edge) {
	if via == nil {
		s.route(n, n.routes)
	} else {
		s.finish(OutcomeLeft)
	}
}

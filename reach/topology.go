package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/reach/hset"

	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"
)

// Topology is the data-plane graph as plain data, for drawing.
type Topology struct {
	Nodes []TopoNode `json:"nodes"`
	Edges []TopoEdge `json:"edges"`
}

// TopoNode is one node of the graph.
type TopoNode struct {
	// ID is stable across runs: the kind and the element's ID (and, for
	// transit gateway tables, the zone; for peering, the direction).
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Component Ref    `json:"component"`
	// Owner is, for a network interface, what owns it (an instance, a NAT
	// gateway, an endpoint), so that a drawing can name the interface the
	// way people know it; the zero Ref when nothing does.
	Owner Ref `json:"owner,omitzero"`
	// VPC and Subnet place the node for grouping in a drawing.
	VPC    string `json:"vpc,omitempty"`
	Subnet string `json:"subnet,omitempty"`
	Zone   string `json:"zone,omitempty"`
}

// TopoEdge is one edge: traffic can go from one node to the other.
type TopoEdge struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Kind is send (an interface into its subnet), deliver (to the owner of
	// an address) or route.
	Kind string `json:"kind"`
	// Routes are the destinations routed along the edge, when it is a route.
	Routes []string `json:"routes,omitempty"`
}

// NodeID returns the topology ID of a component, as Topology names it.
func NodeID(r Ref) string { return r.Kind + ":" + r.ID }

func (n *node) topoID() string {
	id := NodeID(n.ref)
	switch n.kind {
	case nodeTGWRT:
		if n.zone != "" {
			id += "@" + n.zone
		}
	case nodePCX:
		id += "->" + n.peer
	case nodeService:
		id = "aws-service:" + n.ref.ID
	}
	return id
}

// Topology returns the graph: every node, every edge, with the routes each
// route edge carries.
func (e *Engine) Topology() *Topology {
	t := &Topology{}
	for _, n := range e.nodes {
		tn := TopoNode{ID: n.topoID(), Kind: n.kind.String(), Component: n.ref, Zone: n.zone}
		if n.vpc != nil {
			tn.VPC = n.vpc.Label()
		}
		if n.eni != nil {
			if o := e.ownerRef(n.eni); o != nil {
				tn.Owner = *o
			}
		}
		if n.subnet != nil && n.kind != nodeSubnet {
			tn.Subnet = n.subnet.Label()
		}
		t.Nodes = append(t.Nodes, tn)
	}
	routes := map[*edge][]string{}
	for _, n := range e.nodes {
		for _, p := range []*routeProg{n.routes, n.inbound} {
			if p == nil {
				continue
			}
			for _, en := range p.entries {
				if en.to != nil && en.route.Text != "" {
					routes[en.to] = append(routes[en.to], routeLabel(en))
				}
			}
		}
	}
	for _, n := range e.nodes {
		for _, ed := range n.out {
			kind := "route"
			switch ed.kind {
			case edgeSend:
				kind = "send"
			case edgeDeliver:
				kind = "deliver"
			}
			t.Edges = append(t.Edges, TopoEdge{From: ed.from.topoID(), To: ed.to.topoID(), Kind: kind, Routes: slices.Compact(routes[ed])})
		}
	}
	return t
}

// routeLabel is the destination of a route entry as its rule names it
// ("route 0.0.0.0/0 -> igw-1" gives "0.0.0.0/0").
func routeLabel(en routeEntry) string {
	text := strings.TrimPrefix(en.route.Text, "route ")
	if dst, _, ok := strings.Cut(text, " -> "); ok {
		return dst
	}
	return text
}

// Loop is a routing loop: destinations that routing nodes pass around in a
// circle.
type Loop struct {
	// Nodes are the topology IDs of the routing nodes involved, sorted.
	Nodes []string `json:"nodes"`
	// Destinations are the blocks that loop.
	Destinations []netip.Prefix `json:"destinations"`
}

// Loops returns the routing loops of the network: destinations that transit
// gateway tables and peering connections route around a circle. Traffic to
// them never arrives; a trace says ROUTING_LOOP.
func (e *Engine) Loops() []Loop {
	// Only routing nodes: every flow also passes through subnets and back,
	// which is no loop.
	sub := simple.NewDirectedGraph()
	isRouting := func(n *node) bool { return n.kind == nodeTGWRT || n.kind == nodePCX }
	for _, n := range e.nodes {
		if isRouting(n) {
			sub.AddNode(n)
		}
	}
	for _, n := range e.nodes {
		if !isRouting(n) {
			continue
		}
		for _, ed := range n.out {
			if isRouting(ed.to) && ed.to != n && !sub.HasEdgeFromTo(n.id, ed.to.id) {
				sub.SetEdge(ed)
			}
		}
	}
	var out []Loop
	for _, comp := range topo.TarjanSCC(sub) {
		if len(comp) < 2 {
			continue
		}
		in := map[*node]bool{}
		for _, gn := range comp {
			in[e.nodes[gn.ID()]] = true
		}
		var looping []hset.AddrRange
		for start := range in {
			looping = mergeRanges(looping, loopingFrom(start, in))
		}
		if len(looping) == 0 {
			continue
		}
		l := Loop{}
		for n := range in {
			l.Nodes = append(l.Nodes, n.topoID())
		}
		slices.Sort(l.Nodes)
		l.Destinations = cidrs(looping)
		out = append(out, l)
	}
	slices.SortFunc(out, func(a, b Loop) int { return strings.Compare(a.Nodes[0], b.Nodes[0]) })
	return out
}

// loopingFrom follows destination ranges from start along route edges that
// stay inside the group and returns those that come back to start.
func loopingFrom(start *node, in map[*node]bool) []hset.AddrRange {
	frontier := map[*node][]hset.AddrRange{start: {full}}
	var back []hset.AddrRange
	for step := 0; step < len(in) && len(frontier) > 0; step++ {
		next := map[*node][]hset.AddrRange{}
		for m, rs := range frontier {
			if m.routes == nil {
				continue
			}
			for _, en := range m.routes.entries {
				if en.to == nil || !in[en.to.to] {
					continue
				}
				var hit []hset.AddrRange
				for _, r := range rs {
					hit = append(hit, intersectRanges([]hset.AddrRange{en.rng}, r)...)
				}
				if len(hit) == 0 {
					continue
				}
				if en.to.to == start {
					back = mergeRanges(back, hit)
				} else {
					next[en.to.to] = mergeRanges(next[en.to.to], hit)
				}
			}
		}
		frontier = next
	}
	return back
}

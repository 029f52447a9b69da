package reach

import (
	"slices"
	"strings"

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

// Cycles returns the cycles of the graph that no flow can break out of by
// itself: strongly connected groups of route edges between routing nodes
// (transit gateway tables, peering), which are routing loops waiting for
// traffic. Each cycle is a list of node IDs.
func (e *Engine) Cycles() [][]string {
	// Only routing nodes: every flow also cycles through subnets and back,
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
	var out [][]string
	for _, comp := range topo.TarjanSCC(sub) {
		if len(comp) < 2 {
			continue
		}
		var ids []string
		for _, gn := range comp {
			ids = append(ids, e.nodes[gn.ID()].topoID())
		}
		slices.Sort(ids)
		out = append(out, ids)
	}
	slices.SortFunc(out, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return out
}

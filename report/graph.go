package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/reach"
)

// GraphFormats are the formats of WriteGraph, the first the default.
var GraphFormats = []string{"dot", "mermaid"}

// WriteGraph writes the topology in format dot (Graphviz) or mermaid (a
// flowchart): VPCs and subnets as nested clusters, route edges labelled
// with the destinations they carry, and the routing loops in red. The
// output is sorted, so the same network always gives the same text.
//
// Notes (InputNotes: what the load said about the input) are comments:
// "// note" lines before the DOT graph, "%% note" lines ending the Mermaid
// flowchart.
func WriteGraph(w io.Writer, t *reach.Topology, loops []reach.Loop, format string, notes ...Note) error {
	if t == nil {
		return fmt.Errorf("no topology to draw")
	}
	g := layoutGraph(t, loops)
	comment := func(prefix string) error {
		tw := &errWriter{w: w}
		for _, n := range notes {
			tw.printf("%s note %s: %s\n", prefix, n.Code, strings.ReplaceAll(noteText(n), "\n", " "))
		}
		return tw.err
	}
	switch format {
	case "dot", "":
		if err := comment("//"); err != nil {
			return err
		}
		return writeDOT(w, g)
	case "mermaid":
		// Mermaid takes comments inside the diagram only.
		if err := writeMermaid(w, g); err != nil {
			return err
		}
		return comment("%%")
	}
	return fmt.Errorf("invalid graph format %q: want %s", format, strings.Join(GraphFormats, ", "))
}

// graphModel is the topology sorted and grouped for drawing.
type graphModel struct {
	outside []reach.TopoNode // not in any VPC
	vpcs    []vpcGroup
	edges   []graphEdge
	loopy   map[string]bool // nodes on a routing loop
}

type vpcGroup struct {
	label   string
	own     []reach.TopoNode // in the VPC, in no subnet
	subnets []subnetGroup
}

type subnetGroup struct {
	label string
	nodes []reach.TopoNode // the subnet's own node first
}

type graphEdge struct {
	reach.TopoEdge
	// loop lists the destinations that loop along the edge, when it is
	// part of a routing loop.
	loop []string
}

func layoutGraph(t *reach.Topology, loops []reach.Loop) *graphModel {
	g := &graphModel{loopy: map[string]bool{}}
	nodes := slices.Clone(t.Nodes)
	slices.SortFunc(nodes, func(a, b reach.TopoNode) int { return cmp.Compare(a.ID, b.ID) })
	vpcIdx := map[string]int{}
	vpcOf := func(label string) *vpcGroup {
		i, ok := vpcIdx[label]
		if !ok {
			i = len(g.vpcs)
			vpcIdx[label] = i
			g.vpcs = append(g.vpcs, vpcGroup{label: label})
		}
		return &g.vpcs[i]
	}
	subnetOf := func(v *vpcGroup, label string) *subnetGroup {
		for i := range v.subnets {
			if v.subnets[i].label == label {
				return &v.subnets[i]
			}
		}
		v.subnets = append(v.subnets, subnetGroup{label: label})
		return &v.subnets[len(v.subnets)-1]
	}
	for _, n := range nodes {
		switch {
		case n.VPC == "":
			g.outside = append(g.outside, n)
		case n.Kind == "subnet":
			s := subnetOf(vpcOf(n.VPC), n.Component.Label())
			s.nodes = append([]reach.TopoNode{n}, s.nodes...)
		case n.Subnet != "":
			s := subnetOf(vpcOf(n.VPC), n.Subnet)
			s.nodes = append(s.nodes, n)
		default:
			v := vpcOf(n.VPC)
			v.own = append(v.own, n)
		}
	}
	slices.SortFunc(g.vpcs, func(a, b vpcGroup) int { return cmp.Compare(a.label, b.label) })
	for i := range g.vpcs {
		slices.SortFunc(g.vpcs[i].subnets, func(a, b subnetGroup) int { return cmp.Compare(a.label, b.label) })
	}
	inLoop := map[string][]int{}
	for i, l := range loops {
		for _, id := range l.Nodes {
			g.loopy[id] = true
			inLoop[id] = append(inLoop[id], i)
		}
	}
	for _, e := range t.Edges {
		ge := graphEdge{TopoEdge: e}
		for _, i := range inLoop[e.From] {
			if slices.Contains(inLoop[e.To], i) {
				ge.loop = append(ge.loop, prefixStrings(loops[i].Destinations)...)
			}
		}
		g.edges = append(g.edges, ge)
	}
	slices.SortFunc(g.edges, func(a, b graphEdge) int {
		return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To), cmp.Compare(a.Kind, b.Kind))
	})
	return g
}

// nodeLabel names a node in a drawing: the element, and its kind when the
// name does not say it.
func nodeLabel(n reach.TopoNode) []string {
	switch n.Kind {
	case "internet", "on-premises":
		if n.Kind == "on-premises" && n.Component.Label() != n.Kind {
			return []string{n.Component.Label(), "on-premises"}
		}
		return []string{n.Kind}
	case "vpc":
		return []string{"VPC router"}
	case "subnet":
		return []string{n.Component.Label(), "subnet router"}
	}
	if n.Owner.Kind != "" {
		return []string{n.Owner.Label(), n.Kind + " " + n.Component.Label()}
	}
	lines := []string{n.Component.Label()}
	if n.Zone != "" {
		lines = append(lines, n.Kind+" @ "+n.Zone)
	} else {
		lines = append(lines, n.Kind)
	}
	return lines
}

// edgeLabel is the destinations a route edge carries, a few of them.
func edgeLabel(e graphEdge) []string {
	const most = 3
	var lines []string
	for i, r := range e.Routes {
		if i == most {
			lines = append(lines, fmt.Sprintf("+%d more", len(e.Routes)-most))
			break
		}
		lines = append(lines, r)
	}
	if len(e.loop) > 0 {
		lines = append(lines, "LOOP: "+strings.Join(e.loop, ", "))
	}
	return lines
}

func writeDOT(w io.Writer, g *graphModel) error {
	tw := &errWriter{w: w}
	tw.printf("digraph vpcsim {\n")
	tw.printf("  graph [rankdir=LR, compound=true, fontname=\"Helvetica\", fontsize=11];\n")
	tw.printf("  node [shape=box, style=\"rounded,filled\", fillcolor=white, fontname=\"Helvetica\", fontsize=10];\n")
	tw.printf("  edge [fontname=\"Helvetica\", fontsize=9, color=gray40];\n")
	node := func(indent string, n reach.TopoNode) {
		attrs := []string{"label=" + dotString(strings.Join(nodeLabel(n), "\n"))}
		switch n.Kind {
		case "internet", "on-premises", "aws-service":
			attrs = append(attrs, "shape=ellipse", "fillcolor=\"#eef3fb\"")
		case "internet-gateway", "egress-only-internet-gateway", "nat-gateway", "vpn-gateway", "vpc-endpoint":
			attrs = append(attrs, "shape=hexagon", "fillcolor=\"#fdf3e1\"")
		case "vpc", "subnet", "transit-gateway-route-table", "vpc-peering-connection":
			attrs = append(attrs, "shape=box", "style=filled", "fillcolor=\"#f2f2f2\"")
		}
		if g.loopy[n.ID] {
			attrs = append(attrs, "color=red", "penwidth=2")
		}
		tw.printf("%s%s [%s];\n", indent, dotString(n.ID), strings.Join(attrs, ", "))
	}
	for _, n := range g.outside {
		node("  ", n)
	}
	for _, v := range g.vpcs {
		tw.printf("  subgraph %s {\n", dotString("cluster_vpc_"+v.label))
		tw.printf("    label=%s; style=\"rounded\"; color=\"#3b6fb6\";\n", dotString(v.label))
		for _, n := range v.own {
			node("    ", n)
		}
		for _, s := range v.subnets {
			tw.printf("    subgraph %s {\n", dotString("cluster_subnet_"+s.label))
			tw.printf("      label=%s; style=\"rounded,dashed\"; color=\"#6a8f3a\";\n", dotString(s.label))
			for _, n := range s.nodes {
				node("      ", n)
			}
			tw.printf("    }\n")
		}
		tw.printf("  }\n")
	}
	for _, e := range g.edges {
		var attrs []string
		if lines := edgeLabel(e); len(lines) > 0 {
			attrs = append(attrs, "label="+dotString(strings.Join(lines, "\n")))
		}
		if e.Kind != "route" {
			attrs = append(attrs, "style=dashed", "color=gray60")
		}
		if len(e.loop) > 0 {
			attrs = append(attrs, "color=red", "fontcolor=red", "penwidth=2")
		}
		a := ""
		if len(attrs) > 0 {
			a = " [" + strings.Join(attrs, ", ") + "]"
		}
		tw.printf("  %s -> %s%s;\n", dotString(e.From), dotString(e.To), a)
	}
	tw.printf("}\n")
	return tw.err
}

// dotString quotes s as a DOT string; newlines become DOT's centred line
// breaks.
func dotString(s string) string { return `"` + dotEscaper.Replace(s) + `"` }

var dotEscaper = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "")

func writeMermaid(w io.Writer, g *graphModel) error {
	tw := &errWriter{w: w}
	tw.printf("flowchart LR\n")
	tw.printf("  classDef loop stroke:#d00,stroke-width:2px,color:#d00\n")
	ids := map[string]string{}
	idOf := func(topoID string) string {
		if id, ok := ids[topoID]; ok {
			return id
		}
		id := fmt.Sprintf("n%d", len(ids))
		ids[topoID] = id
		return id
	}
	node := func(indent string, n reach.TopoNode) {
		label := mermaidString(strings.Join(nodeLabel(n), "\n"))
		open, close := "[", "]"
		switch n.Kind {
		case "internet", "on-premises", "aws-service":
			open, close = "((", "))"
		case "internet-gateway", "egress-only-internet-gateway", "nat-gateway", "vpn-gateway", "vpc-endpoint":
			open, close = "{{", "}}"
		}
		tw.printf("%s%s%s%s%s\n", indent, idOf(n.ID), open, label, close)
		if g.loopy[n.ID] {
			tw.printf("%sclass %s loop\n", indent, idOf(n.ID))
		}
	}
	for _, n := range g.outside {
		node("  ", n)
	}
	for i, v := range g.vpcs {
		tw.printf("  subgraph v%d[%s]\n", i, mermaidString(v.label))
		for _, n := range v.own {
			node("    ", n)
		}
		for j, s := range v.subnets {
			tw.printf("    subgraph v%ds%d[%s]\n", i, j, mermaidString(s.label))
			for _, n := range s.nodes {
				node("      ", n)
			}
			tw.printf("    end\n")
		}
		tw.printf("  end\n")
	}
	var loopEdges []string
	for i, e := range g.edges {
		arrow := "-->"
		if e.Kind != "route" {
			arrow = "-.->"
		}
		label := ""
		if lines := edgeLabel(e); len(lines) > 0 {
			label = "|" + mermaidString(strings.Join(lines, "\n")) + "|"
		}
		tw.printf("  %s %s%s %s\n", idOf(e.From), arrow, label, idOf(e.To))
		if len(e.loop) > 0 {
			loopEdges = append(loopEdges, fmt.Sprint(i))
		}
	}
	if len(loopEdges) > 0 {
		tw.printf("  linkStyle %s stroke:#d00,stroke-width:2px,color:#d00\n", strings.Join(loopEdges, ","))
	}
	return tw.err
}

// mermaidString quotes s for a Mermaid label: quotes and angle brackets as
// entity codes, newlines as <br/>.
func mermaidString(s string) string { return `"` + mermaidEscaper.Replace(s) + `"` }

var mermaidEscaper = strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", "<br/>", "|", "#124;")

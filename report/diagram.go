package report

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vpcsim/vpcsim/reach"
)

// The HTML report's estate diagram: a plain box layout computed here, drawn
// as inline SVG. The internet and other outside worlds on top, one box per
// VPC holding its gateways and a grid of subnet boxes holding their
// interfaces, transit gateways and peerings below. Lines join the elements
// that route to each other; the paths of exposures are drawn over them in
// the colour of their most serious finding.

// Layout constants, in SVG user units (pixels at 100%).
const (
	dPad       = 14.0
	dNodeH     = 24.0
	dGap       = 10.0
	dTitleH    = 22.0
	dCharW     = 6.4 // average advance of the 11px sans-serif labels
	dMaxLabel  = 34  // characters shown; the full name is in the tooltip
	dMaxWidth  = 1320.0
	dSubnetMin = 190.0
	dSubnetCol = 3
	// Past these, the diagram keeps only what lies on an exposed path, so
	// that a large estate still gives a readable page.
	dMaxInterfaces = 120
	dMaxSubnets    = 60
)

type diagram struct {
	Width, Height float64
	Boxes         []dBox
	Edges         []dEdge
	Nodes         []dNode
	// Caption says what was left out.
	Caption string

	onPath map[string]Severity
}

// dBox is a container: a VPC or a subnet.
type dBox struct {
	X, Y, W, H float64
	Class      string // vpc or subnet
	Label      string
	Title      string // tooltip
	// OnPath is set when the box's title strip, which stands for the
	// subnet's router, lies on an exposed path.
	OnPath bool
}

type dNode struct {
	X, Y, W, H float64
	Class      string
	Label      string
	Title      string
	TextX      float64
	TextY      float64
}

type dEdge struct {
	X1, Y1, X2, Y2 float64
	Class          string
	// Arrow is set on exposed edges, which are drawn in the direction of
	// the traffic; Sev names their severity.
	Arrow bool
	Sev   string
}

type rect struct{ x, y, w, h float64 }

func (r rect) center() (float64, float64) { return r.x + r.w/2, r.y + r.h/2 }

// clip returns where the segment from r's centre towards (px, py) leaves r.
func (r rect) clip(px, py float64) (float64, float64) {
	cx, cy := r.center()
	dx, dy := px-cx, py-cy
	if dx == 0 && dy == 0 {
		return cx, cy
	}
	t := math.Inf(1)
	if dx != 0 {
		t = math.Min(t, (r.w/2)/math.Abs(dx))
	}
	if dy != 0 {
		t = math.Min(t, (r.h/2)/math.Abs(dy))
	}
	t = math.Min(t, 1)
	return cx + dx*t, cy + dy*t
}

func labelWidth(s string) float64 {
	n := min(utf8.RuneCountInString(s), dMaxLabel)
	return float64(n)*dCharW + 2*8
}

func shorten(s string) string {
	if utf8.RuneCountInString(s) <= dMaxLabel {
		return s
	}
	r := []rune(s)
	return "…" + string(r[len(r)-dMaxLabel+1:])
}

// exposure summarises, per topology node and edge, the most serious
// finding whose path crosses it.
type exposure struct {
	nodes   map[string]Severity
	edges   map[[2]string]Severity
	targets map[string]Severity // interface node IDs reached
}

func exposureOf(r *Report) *exposure {
	x := &exposure{nodes: map[string]Severity{}, edges: map[[2]string]Severity{}, targets: map[string]Severity{}}
	edges := map[[2]string]bool{}
	if r.topo != nil {
		for _, e := range r.topo.Edges {
			edges[[2]string{e.From, e.To}] = true
		}
	}
	for _, f := range r.Findings {
		for i, id := range f.pathNodes {
			x.nodes[id] = max(x.nodes[id], f.Severity)
			if i > 0 {
				k := [2]string{f.pathNodes[i-1], id}
				if edges[k] {
					x.edges[k] = max(x.edges[k], f.Severity)
				}
			}
		}
		x.targets[f.ifaceNode] = max(x.targets[f.ifaceNode], f.Severity)
	}
	return x
}

// buildDiagram lays the topology out; nil when there is nothing to draw.
func buildDiagram(r *Report) *diagram {
	t := r.topo
	if t == nil || len(t.Nodes) == 0 {
		return nil
	}
	ex := exposureOf(r)
	g := layoutGraph(t, nil)
	d := &diagram{onPath: ex.nodes}
	where := map[string]rect{}
	var omitted omissions

	countIf := func(kind string) int {
		n := 0
		for _, nd := range t.Nodes {
			if nd.Kind == kind {
				n++
			}
		}
		return n
	}
	pruneENIs := countIf("network-interface") > dMaxInterfaces
	pruneSubnets := countIf("subnet") > dMaxSubnets
	onPath := func(id string) bool { _, ok := ex.nodes[id]; return ok }

	nodeClass := func(n reach.TopoNode) string {
		c := "node k-" + n.Kind
		if s, ok := ex.targets[n.ID]; ok && n.Kind == "network-interface" {
			c += " target sev-" + s.String()
		} else if onPath(n.ID) {
			c += " on-path"
		}
		return c
	}
	// draw adds a node's pill and returns its index in d.Nodes.
	draw := func(n reach.TopoNode, x, y, w float64) int {
		lines := nodeLabel(n)
		d.Nodes = append(d.Nodes, dNode{X: x, Y: y, W: w, H: dNodeH, Class: nodeClass(n), Label: shorten(lines[0]),
			Title: strings.Join(append(lines, n.ID), "\n"), TextX: x + w/2, TextY: y + dNodeH/2 + 4})
		return len(d.Nodes) - 1
	}
	addNode := func(n reach.TopoNode, x, y, w float64) {
		draw(n, x, y, w)
		where[n.ID] = rect{x, y, w, dNodeH}
	}
	neighbours := map[string][]string{}
	for _, e := range g.edges {
		neighbours[e.From] = append(neighbours[e.From], e.To)
		neighbours[e.To] = append(neighbours[e.To], e.From)
	}

	// The outside worlds go in a band above each row of VPCs they connect
	// to (drawn once per row, so that no line crosses a VPC); the rest of
	// the outside (transit gateways, peerings) in a row below.
	var top, bottom []reach.TopoNode
	for _, n := range g.outside {
		switch n.Kind {
		case "internet", "on-premises", "aws-service":
			top = append(top, n)
		default:
			bottom = append(bottom, n)
		}
	}
	var rows [][]*vpcLayout
	x := dPad
	for _, v := range g.vpcs {
		vl := layoutVPC(v, pruneENIs, pruneSubnets, onPath, &omitted)
		if vl == nil {
			continue
		}
		if len(rows) == 0 || x+vl.w > dMaxWidth && x > dPad {
			rows, x = append(rows, nil), dPad
		}
		rows[len(rows)-1] = append(rows[len(rows)-1], vl)
		x += vl.w + 2*dGap
	}
	copies := map[string]map[int]rect{} // outside node -> row -> its copy
	rowOf := map[string]int{}           // node inside a VPC -> its row
	y := dPad
	for ri, row := range rows {
		in := map[string]bool{}
		for _, vl := range row {
			for _, id := range vl.ids() {
				in[id], rowOf[id] = true, ri
			}
		}
		var band []reach.TopoNode
		for _, n := range top {
			if ri == 0 || slices.ContainsFunc(neighbours[n.ID], func(id string) bool { return in[id] }) {
				band = append(band, n)
			}
		}
		bandY := y
		if len(band) > 0 {
			y += dNodeH + 3*dGap
		}
		x, rowH := dPad, 0.0
		for _, vl := range row {
			vl.place(x, y, d, where, addNode)
			x += vl.w + 2*dGap
			rowH = max(rowH, vl.h)
			d.Width = max(d.Width, x)
		}
		for _, p := range settle(band, neighbours, where, in) {
			p.r.y = bandY
			draw(p.n, p.r.x, p.r.y, p.r.w)
			if copies[p.n.ID] == nil {
				copies[p.n.ID] = map[int]rect{}
			}
			copies[p.n.ID][ri] = p.r
			d.Width = max(d.Width, p.r.x+p.r.w+dGap)
		}
		y += rowH + 2*dGap
	}
	if len(rows) == 0 {
		for _, p := range settle(top, neighbours, where, nil) {
			p.r.y = y
			addNode(p.n, p.r.x, p.r.y, p.r.w)
		}
		y += dNodeH + 2*dGap
	}
	if len(bottom) > 0 {
		y += dGap
		x := dPad
		for _, p := range settle(bottom, neighbours, where, nil) {
			if p.r.x+p.r.w > dMaxWidth && p.r.x > dPad {
				x, y = dPad, y+dNodeH+dGap // too many to settle: wrap
			}
			p.r.x = max(p.r.x, x)
			p.r.y = y
			addNode(p.n, p.r.x, p.r.y, p.r.w)
			x = p.r.x + p.r.w + dGap
			d.Width = max(d.Width, x)
		}
		y += dNodeH + dGap
	}
	d.Height = y - dGap + dPad
	d.Width = max(d.Width+dPad, 320)

	// Edges: one line per pair of drawn nodes, the exposed ones on top.
	// Delivery inside a subnet is shown by containment, routing inside a
	// VPC by the boxes; plain lines join what the boxes do not.
	subnetID := map[string]string{}
	for _, n := range t.Nodes {
		if n.Kind == "subnet" {
			subnetID[n.Component.Label()] = n.ID
		}
	}
	contained := map[[2]string]bool{}
	vpcOf := map[string]string{}
	for _, n := range t.Nodes {
		vpcOf[n.ID] = n.VPC
		if id, ok := subnetID[n.Subnet]; ok && n.Subnet != "" {
			contained[[2]string{id, n.ID}] = true
		}
	}
	rectOf := func(id, other string) (rect, bool) {
		if c, ok := copies[id]; ok {
			if r, ok := c[rowOf[other]]; ok {
				return r, true
			}
			return c[0], len(c) > 0
		}
		r, ok := where[id]
		return r, ok
	}
	type pair struct{ a, b string }
	seen := map[pair]bool{}
	var plain, hot []dEdge
	for _, e := range g.edges {
		a, aok := rectOf(e.From, e.To)
		b, bok := rectOf(e.To, e.From)
		if !aok || !bok || e.From == e.To || contained[[2]string{e.From, e.To}] || contained[[2]string{e.To, e.From}] {
			continue
		}
		sev := ex.edges[[2]string{e.From, e.To}]
		p := pair{min(e.From, e.To), max(e.From, e.To)}
		if sev == 0 && (e.Kind != "route" || seen[p] || vpcOf[e.From] != "" && vpcOf[e.From] == vpcOf[e.To]) {
			continue
		}
		seen[p] = true
		bx, by := b.center()
		ax, ay := a.center()
		x1, y1 := a.clip(bx, by)
		x2, y2 := b.clip(ax, ay)
		de := dEdge{X1: x1, Y1: y1, X2: x2, Y2: y2, Class: "edge"}
		if sev > 0 {
			de.Class, de.Arrow, de.Sev = "edge hot sev-"+sev.String(), true, sev.String()
			hot = append(hot, de)
		} else {
			plain = append(plain, de)
		}
	}
	// The most serious paths are drawn last, over the others.
	slices.SortStableFunc(hot, func(a, b dEdge) int { return cmp.Compare(severityRank(a.Sev), severityRank(b.Sev)) })
	d.Edges = append(plain, hot...)
	d.Caption = omitted.caption()
	return d
}

func severityRank(name string) int {
	s, _ := ParseSeverity(name)
	return int(s)
}

// omissions counts what the diagram leaves out of a large estate.
type omissions struct {
	vpcs, subnets, subnetVPCs, enis, eniVPCs int
}

func (o *omissions) caption() string {
	var parts []string
	if o.vpcs > 0 {
		parts = append(parts, plural(o.vpcs, "VPC")+" off the exposed paths")
	}
	if o.subnets > 0 {
		parts = append(parts, fmt.Sprintf("%s in %s off the exposed paths", plural(o.subnets, "subnet"), plural(o.subnetVPCs, "VPC")))
	}
	if o.enis > 0 {
		parts = append(parts, fmt.Sprintf("%s in %s that nothing reaches", plural(o.enis, "interface"), plural(o.eniVPCs, "VPC")))
	}
	if len(parts) == 0 {
		return ""
	}
	return "Not drawn, to keep the diagram readable: " + strings.Join(parts, "; ") + "."
}

// placed is a node given a position by settle.
type placed struct {
	n reach.TopoNode
	r rect
}

// settle places a row of outside nodes over the drawn elements they connect
// to (those in scope, or any when scope is nil), left to right without
// overlap, so that lines run short and straight.
func settle(row []reach.TopoNode, neighbours map[string][]string, where map[string]rect, scope map[string]bool) []placed {
	var out []placed
	want := map[string]float64{}
	for i, n := range row {
		w := labelWidth(nodeLabel(n)[0])
		sum, cnt := 0.0, 0.0
		for _, id := range neighbours[n.ID] {
			if r, ok := where[id]; ok && (scope == nil || scope[id]) {
				cx, _ := r.center()
				sum, cnt = sum+cx, cnt+1
			}
		}
		c := dPad + float64(i)*(w+dGap) + w/2
		if cnt > 0 {
			c = sum / cnt
		}
		want[n.ID] = c
		out = append(out, placed{n: n, r: rect{0, 0, w, dNodeH}})
	}
	slices.SortStableFunc(out, func(a, b placed) int { return cmp.Compare(want[a.n.ID], want[b.n.ID]) })
	x := dPad
	for i := range out {
		out[i].r.x = max(want[out[i].n.ID]-out[i].r.w/2, x)
		x = out[i].r.x + out[i].r.w + dGap
	}
	return out
}

// vpcLayout is a VPC box measured but not yet placed.
type vpcLayout struct {
	v       vpcGroup
	w, h    float64
	own     []reach.TopoNode
	subnets []subnetLayout
	cols    int
	colW    float64
	rowHs   []float64
	note    string
}

type subnetLayout struct {
	s     subnetGroup
	self  *reach.TopoNode
	nodes []reach.TopoNode
	more  int
	h     float64
}

func layoutVPC(v vpcGroup, pruneENIs, pruneSubnets bool, onPath func(string) bool, omitted *omissions) *vpcLayout {
	vl := &vpcLayout{v: v, own: v.own}
	hidden := 0
	for _, s := range v.subnets {
		sl := subnetLayout{s: s}
		anyOnPath := false
		for i := range s.nodes {
			n := s.nodes[i]
			if onPath(n.ID) {
				anyOnPath = true
			}
			if n.Kind == "subnet" && sl.self == nil {
				sl.self = &s.nodes[i]
				continue
			}
			if n.Kind == "network-interface" && n.Owner.Kind == "nat-gateway" && !onPath(n.ID) {
				continue // the NAT gateway's own node stands for it
			}
			if pruneENIs && n.Kind == "network-interface" && !onPath(n.ID) {
				sl.more++
				continue
			}
			sl.nodes = append(sl.nodes, n)
		}
		if pruneSubnets && !anyOnPath {
			hidden++
			continue
		}
		vl.subnets = append(vl.subnets, sl)
	}
	if pruneSubnets && len(vl.subnets) == 0 && !slices.ContainsFunc(v.own, func(n reach.TopoNode) bool { return onPath(n.ID) }) {
		omitted.vpcs++
		return nil
	}
	if hidden > 0 {
		vl.note = fmt.Sprintf("+%d subnets off the exposed paths", hidden)
		omitted.subnets += hidden
		omitted.subnetVPCs++
	}
	more := 0
	for _, s := range vl.subnets {
		more += s.more
	}
	if more > 0 {
		omitted.enis += more
		omitted.eniVPCs++
	}
	// Subnets in a grid of equal columns.
	vl.cols = max(1, min(dSubnetCol, len(vl.subnets)))
	vl.colW = dSubnetMin
	for i := range vl.subnets {
		s := &vl.subnets[i]
		vl.colW = max(vl.colW, labelWidth(s.s.label)+2*dPad)
		for _, n := range s.nodes {
			vl.colW = max(vl.colW, labelWidth(nodeLabel(n)[0])+2*dPad)
		}
		rows := len(s.nodes)
		if s.more > 0 {
			rows++
		}
		s.h = dTitleH + dGap + float64(rows)*(dNodeH+dGap)
		if rows == 0 {
			s.h = dTitleH + dGap
		}
	}
	for i := 0; i < len(vl.subnets); i += vl.cols {
		h := 0.0
		for _, s := range vl.subnets[i:min(i+vl.cols, len(vl.subnets))] {
			h = max(h, s.h)
		}
		vl.rowHs = append(vl.rowHs, h)
	}
	gridW := float64(vl.cols)*vl.colW + float64(vl.cols-1)*dGap
	ownW := labelWidth(v.label) + dGap
	for _, n := range vl.own {
		ownW += labelWidth(nodeLabel(n)[0]) + dGap
	}
	// The gateways share the title's row while they fit in the grid's
	// width; a wide grid of few subnets stays as wide as the title row.
	vl.w = max(gridW, min(ownW, max(gridW, 3*dSubnetMin)), labelWidth(v.label)) + 2*dPad
	_, vl.h = vl.header()
	vl.h += 2 * dGap
	for _, h := range vl.rowHs {
		vl.h += h + dGap
	}
	if vl.note != "" {
		vl.h += dNodeH
	}
	vl.h += dPad / 2
	return vl
}

// header places the VPC's title and gateways, relative to the box: the
// gateways follow the title on its row and wrap below it. It returns their
// positions and the height the header takes.
func (vl *vpcLayout) header() ([]rect, float64) {
	var out []rect
	x, y := dPad+labelWidth(vl.v.label), 8.0
	for _, n := range vl.own {
		w := labelWidth(nodeLabel(n)[0])
		if x+w > vl.w-dPad && x > dPad {
			x, y = dPad, y+dNodeH+dGap
		}
		out = append(out, rect{x, y, w, dNodeH})
		x += w + dGap
	}
	return out, max(y+dNodeH, dTitleH)
}

func (vl *vpcLayout) place(x0, y0 float64, d *diagram, where map[string]rect, addNode func(reach.TopoNode, float64, float64, float64)) {
	d.Boxes = append(d.Boxes, dBox{X: x0, Y: y0, W: vl.w, H: vl.h, Class: "vpc", Label: shorten(vl.v.label), Title: vl.v.label})
	pos, h := vl.header()
	for i, n := range vl.own {
		addNode(n, x0+pos[i].x, y0+pos[i].y, pos[i].w)
	}
	y := y0 + h + 2*dGap
	for i, s := range vl.subnets {
		row, col := i/vl.cols, i%vl.cols
		if col == 0 && row > 0 {
			y += vl.rowHs[row-1] + dGap
		}
		sx := x0 + dPad + float64(col)*(vl.colW+dGap)
		box := dBox{X: sx, Y: y, W: vl.colW, H: vl.rowHs[row], Class: "subnet", Label: shorten(s.s.label), Title: s.s.label}
		if s.self != nil {
			where[s.self.ID] = rect{sx, y, vl.colW, dTitleH}
			box.Title += "\n" + s.self.ID
			_, box.OnPath = d.onPath[s.self.ID]
		}
		d.Boxes = append(d.Boxes, box)
		ny := y + dTitleH + dGap
		for _, n := range s.nodes {
			addNode(n, sx+dPad, ny, vl.colW-2*dPad)
			ny += dNodeH + dGap
		}
		if s.more > 0 {
			d.Nodes = append(d.Nodes, dNode{X: sx + dPad, Y: ny, W: vl.colW - 2*dPad, H: dNodeH, Class: "node more",
				Label: fmt.Sprintf("+%d other interfaces", s.more), Title: "interfaces that nothing reaches",
				TextX: sx + vl.colW/2, TextY: ny + dNodeH/2 + 4})
		}
	}
	if len(vl.rowHs) > 0 {
		y += vl.rowHs[len(vl.rowHs)-1] + dGap
	}
	if vl.note != "" {
		d.Nodes = append(d.Nodes, dNode{X: x0 + dPad, Y: y, W: vl.w - 2*dPad, H: dNodeH - 6, Class: "node more",
			Label: vl.note, Title: vl.note, TextX: x0 + vl.w/2, TextY: y + dNodeH/2})
	}
}

// ids are the topology IDs of the nodes drawn in the VPC's box.
func (vl *vpcLayout) ids() []string {
	var out []string
	for _, n := range vl.own {
		out = append(out, n.ID)
	}
	for _, s := range vl.subnets {
		if s.self != nil {
			out = append(out, s.self.ID)
		}
		for _, n := range s.nodes {
			out = append(out, n.ID)
		}
	}
	return out
}

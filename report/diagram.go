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
		if n := len(f.pathNodes); n > 0 {
			last := f.pathNodes[n-1]
			x.targets[last] = max(x.targets[last], f.Severity)
		}
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
	index := map[string]int{} // into d.Nodes
	var omitted []string

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
	addNode := func(n reach.TopoNode, x, y, w float64) {
		lines := nodeLabel(n)
		d.Nodes = append(d.Nodes, dNode{X: x, Y: y, W: w, H: dNodeH, Class: nodeClass(n), Label: shorten(lines[0]),
			Title: strings.Join(append(lines, n.ID), "\n"), TextX: x + w/2, TextY: y + dNodeH/2 + 4})
		where[n.ID] = rect{x, y, w, dNodeH}
		index[n.ID] = len(d.Nodes) - 1
	}

	// Row of outside worlds on top; the rest of the outside below.
	var top, bottom []reach.TopoNode
	for _, n := range g.outside {
		switch n.Kind {
		case "internet", "on-premises", "aws-service":
			top = append(top, n)
		default:
			bottom = append(bottom, n)
		}
	}
	rowOf := func(nodes []reach.TopoNode, y float64) float64 {
		x := dPad
		for _, n := range nodes {
			w := labelWidth(nodeLabel(n)[0])
			if x+w > dMaxWidth && x > dPad {
				x, y = dPad, y+dNodeH+dGap
			}
			addNode(n, x, y, w)
			x += w + dGap
			d.Width = max(d.Width, x)
		}
		if len(nodes) == 0 {
			return y
		}
		return y + dNodeH
	}
	y := rowOf(top, dPad) + 3*dGap

	// VPC boxes, left to right, wrapping.
	x, rowH := dPad, 0.0
	for _, v := range g.vpcs {
		vb := layoutVPC(v, ex, pruneENIs, pruneSubnets, onPath, &omitted)
		if vb == nil {
			continue
		}
		if x+vb.w > dMaxWidth && x > dPad {
			x, y, rowH = dPad, y+rowH+2*dGap, 0
		}
		vb.place(x, y, d, where, addNode)
		x += vb.w + 2*dGap
		rowH = max(rowH, vb.h)
		d.Width = max(d.Width, x)
	}
	y += rowH
	if len(bottom) > 0 {
		y = rowOf(bottom, y+3*dGap)
	}
	d.Height = y + dPad
	settle(d, g, where, index, top)
	settle(d, g, where, index, bottom)
	d.Width = max(d.Width+dPad, 320)

	// Edges: one line per pair of drawn nodes, the exposed ones on top;
	// none between a subnet and what it holds.
	subnetID := map[string]string{}
	for _, n := range t.Nodes {
		if n.Kind == "subnet" {
			subnetID[n.Component.Label()] = n.ID
		}
	}
	contained := map[[2]string]bool{}
	for _, n := range t.Nodes {
		if id, ok := subnetID[n.Subnet]; ok && n.Subnet != "" {
			contained[[2]string{id, n.ID}] = true
		}
	}
	type pair struct{ a, b string }
	seen := map[pair]bool{}
	var plain, hot []dEdge
	for _, e := range g.edges {
		a, aok := where[e.From]
		b, bok := where[e.To]
		if !aok || !bok || e.From == e.To || contained[[2]string{e.From, e.To}] || contained[[2]string{e.To, e.From}] {
			continue // delivery inside a subnet is shown by containment
		}
		sev := ex.edges[[2]string{e.From, e.To}]
		p := pair{min(e.From, e.To), max(e.From, e.To)}
		if sev == 0 && (e.Kind != "route" || seen[p]) {
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
	slices.SortStableFunc(hot, func(a, b dEdge) int { return cmp.Compare(a.Class, b.Class) })
	d.Edges = append(plain, hot...)
	if len(omitted) > 0 {
		d.Caption = "Not drawn, to keep the diagram readable: " + strings.Join(omitted, "; ") + "."
	}
	return d
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

func layoutVPC(v vpcGroup, ex *exposure, pruneENIs, pruneSubnets bool, onPath func(string) bool, omitted *[]string) *vpcLayout {
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
	if hidden > 0 {
		vl.note = fmt.Sprintf("+%d subnets off the exposed paths", hidden)
		*omitted = append(*omitted, fmt.Sprintf("%d subnets of %s off the exposed paths", hidden, v.label))
	}
	if pruneSubnets && len(vl.subnets) == 0 && !slices.ContainsFunc(v.own, func(n reach.TopoNode) bool { return onPath(n.ID) }) {
		return nil
	}
	more := 0
	for _, s := range vl.subnets {
		more += s.more
	}
	if more > 0 {
		*omitted = append(*omitted, fmt.Sprintf("%d interfaces of %s that nothing reaches", more, v.label))
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

// settle moves a row of outside nodes (the internet on top, transit
// gateways below) over the elements they connect to, so that lines run
// short and straight; a row that had to wrap stays as it is.
func settle(d *diagram, g *graphModel, where map[string]rect, index map[string]int, row []reach.TopoNode) {
	if len(row) == 0 {
		return
	}
	in := map[string]bool{}
	y := where[row[0].ID].y
	for _, n := range row {
		if where[n.ID].y != y {
			return
		}
		in[n.ID] = true
	}
	sum, cnt := map[string]float64{}, map[string]float64{}
	for _, e := range g.edges {
		for _, end := range [][2]string{{e.From, e.To}, {e.To, e.From}} {
			other, ok := where[end[1]]
			if !in[end[0]] || in[end[1]] || !ok {
				continue
			}
			cx, _ := other.center()
			sum[end[0]] += cx
			cnt[end[0]]++
		}
	}
	type want struct {
		id string
		x  float64
	}
	var ws []want
	for _, n := range row {
		r := where[n.ID]
		c, _ := r.center()
		if cnt[n.ID] > 0 {
			c = sum[n.ID] / cnt[n.ID]
		}
		ws = append(ws, want{n.ID, c})
	}
	slices.SortStableFunc(ws, func(a, b want) int { return cmp.Compare(a.x, b.x) })
	x := dPad
	for _, w := range ws {
		r := where[w.id]
		r.x = max(w.x-r.w/2, x)
		x = r.x + r.w + dGap
		where[w.id] = r
		dn := &d.Nodes[index[w.id]]
		dn.X, dn.TextX = r.x, r.x+r.w/2
		d.Width = max(d.Width, x+dPad)
	}
}

package reach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// GroupBy says how a segmentation matrix groups interfaces.
type GroupBy string

// Groupings.
const (
	BySubnet        GroupBy = "subnet"
	BySecurityGroup GroupBy = "security-group"
	ByVPC           GroupBy = "vpc"
)

// ByTag groups interfaces by the value of a tag of their instance (or of the
// interface itself): "tag:Tier".
func ByTag(key string) GroupBy { return GroupBy("tag:" + key) }

// ParseGroupBy reads a grouping: subnet, security-group, vpc or tag:KEY.
func ParseGroupBy(s string) (GroupBy, error) {
	switch by := GroupBy(s); {
	case by == BySubnet, by == BySecurityGroup, by == ByVPC:
		return by, nil
	case strings.HasPrefix(s, "tag:") && len(s) > len("tag:"):
		return by, nil
	}
	return "", fmt.Errorf("invalid grouping %q: want subnet, security-group, vpc or tag:KEY", s)
}

// MatrixOptions configures Matrix.
type MatrixOptions struct {
	By GroupBy
	// Internet adds a row for traffic from the internet.
	Internet bool
	// Ephemeral is the client port range assumed for replies.
	Ephemeral model.PortRange

	// exhaustive walks every class everywhere, none restricted to the
	// classes that can reply (see repliers): for the tests that hold the
	// two ways equal.
	exhaustive bool
	// Progress, when set, is called as the matrix advances, from any
	// goroutine, with the classes of interfaces walked so far and their
	// total (the internet row's analysis is not counted).
	Progress func(done, total int)
}

// Matrix is the segmentation matrix: for every pair of groups, what passes
// from some interface of the first to some interface of the second, both
// ways.
type Matrix struct {
	By     GroupBy  `json:"by"`
	Groups []string `json:"groups"`
	// Rows are the sources: the groups, and "internet" first when asked.
	Rows  []string `json:"rows"`
	Cells []Cell   `json:"cells"`
}

// Cell is what passes from one group to another.
type Cell struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Services are the protocols and ports that pass, e.g. "tcp 443",
	// "udp 53", "icmp", "all".
	Services []Service `json:"services"`
	// Partial is set when some of them pass for part of the client ports
	// only.
	Partial bool `json:"partial,omitempty"`
	// Caveats say what the input does not tell of components the cell's
	// paths cross (Ref.Caveat): elements outside the input, values unknown
	// until apply.
	Caveats []string `json:"caveats,omitempty"`

	// set is what passes between representatives of the groups' classes:
	// exact in protocols and ports, which is what Services says.
	set hset.Set
}

// Matrix computes the segmentation matrix. Interfaces that share a subnet and
// security groups are one class and are computed once; each class's flows
// are followed to every class they reach and back.
func (e *Engine) Matrix(opts MatrixOptions) (*Matrix, error) {
	if opts.By == "" {
		opts.By = BySubnet
	}
	groupsOf, err := e.grouping(opts.By)
	if err != nil {
		return nil, err
	}
	eph := opts.Ephemeral
	if eph == (model.PortRange{}) {
		eph = model.DefaultEphemeral
	}
	er := hset.Range16{Lo: eph.First, Hi: eph.Last}
	m := &Matrix{By: opts.By}
	cells := map[[2]string]*Cell{}
	addCell := func(from, to string, set hset.Set, partial bool, caveats []string) {
		k := [2]string{from, to}
		c := cells[k]
		if c == nil {
			c = &Cell{From: from, To: to}
			cells[k] = c
		}
		c.set = c.set.Union(set)
		c.Partial = c.Partial || partial
		for _, cv := range caveats {
			if !slices.Contains(c.Caveats, cv) {
				c.Caveats = append(c.Caveats, cv)
			}
		}
	}
	add := func(from string, to *model.NetworkInterface, set hset.Set, partial bool, caveats []string) {
		for _, g := range groupsOf(to) {
			addCell(from, g, set, partial, caveats)
		}
	}
	// The private network's destinations are the estate's own blocks. What
	// public addresses expose is the internet row's.
	private := e.privateSet()
	// Each class is walked through its representative, on every processor;
	// what it reaches, every member reaches (see class), so every pair of
	// members of the two classes gets the services found.
	type found struct {
		dc      *class
		pass    hset.Set
		partial bool
		caveats []string
	}
	results := make([][]found, len(e.classes))
	useful := make([]replierSet, len(e.classes))
	// Load balancers forward to targets whose replies the pruning does not
	// follow yet: with any, every class is walked everywhere.
	if !opts.exhaustive && len(e.lbNodes) == 0 {
		useful = e.repliers(private)
	}
	var done atomic.Int64
	parallel(len(e.classes), func(i int) {
		if opts.Progress != nil {
			defer func() { opts.Progress(int(done.Add(1)), len(e.classes)) }()
		}
		src := e.classes[i]
		start := every(src.rep, er).Intersect(private)
		w, got := e.classWalker()
		if u := useful[i]; u.classes != nil {
			w.dstOnly = u.subnets
			w.admit = func(d *delivery) bool {
				c := e.classOf[d.via.to]
				return c == nil || u.classes[c.id/64]&(1<<(c.id%64)) != 0
			}
		}
		f := flow{set: start}
		w.push(&f, event{node: src.members[0], set: start})
		w.traverse(src.send, f)
		for _, r := range *got {
			dc := e.classOf[r.t]
			if s := r.f.lbSession(); s != nil {
				// Through a load balancer: a proxy's connection to its
				// targets is its own (the load balancer's row says what
				// it reaches); what a Network Load Balancer passes on is
				// what reaches its node.
				if s.lb.proxy {
					continue
				}
				dc = e.classOf[s.lb.n]
			}
			if dc == nil {
				continue
			}
			rt := e.roundTrip(r.t, r.f, start, func(t *node) bool { return e.classOf[t] == src }, false)
			if !rt.passing.IsEmpty() {
				seen := map[string]bool{}
				caveats := trailCaveats(r.f.trail, seen)
				for _, h := range rt.home {
					caveats = append(caveats, trailCaveats(h.trail, seen)...)
				}
				results[i] = append(results[i], found{dc, rt.passing, len(rt.warnings) > 0, caveats})
			}
		}
	})
	// Every member of the source class reaches every other member of the
	// destination class: each pair of their groups gets the services.
	groups := make([][]classGroup, len(e.classes))
	for i, c := range e.classes {
		groups[i] = groupsOfClass(c, groupsOf)
	}
	for i := range e.classes {
		for _, fd := range results[i] {
			for _, gs := range groups[i] {
				for _, gd := range groups[fd.dc.id] {
					// Within a class, a group pair whose groups are one
					// and the same member's only is no pair of members.
					if fd.dc.id == i && gs.only != nil && gs.only == gd.only {
						continue
					}
					addCell(gs.name, gd.name, fd.pass, fd.partial, fd.caveats)
				}
			}
		}
	}
	if opts.Internet {
		m.Rows = append(m.Rows, "internet")
		a, err := e.Analyze(AnalyzeOptions{Ephemeral: eph})
		if err != nil {
			return nil, err
		}
		for _, x := range a.Exposures {
			// What reaches a target only through a load balancer is in
			// the load balancer's cell.
			if n := e.eni[x.Interface.ID]; n != nil && !x.direct.IsEmpty() {
				var caveats []string
				for _, c := range caveatNotes(append([]Ref{x.Target, x.Interface, x.Subnet, x.VPC}, x.pathRefs()...)) {
					caveats = append(caveats, c.Component.Caveat())
				}
				add("internet", n.eni, x.direct, len(x.warnings) > 0, caveats)
			}
		}
	}
	seen := map[string]bool{}
	for _, x := range e.net.Interfaces {
		if c := e.classOf[e.eni[x.ID]]; c == nil {
			continue // NAT gateways and interfaces outside any subnet are no group's members
		}
		for _, g := range groupsOf(x) {
			if !seen[g] {
				seen[g] = true
				m.Groups = append(m.Groups, g)
			}
		}
	}
	slices.Sort(m.Groups)
	m.Rows = append(m.Rows, m.Groups...)
	for _, c := range cells {
		c.Services = services(clientPortsAsAny(c.set, er))
		if !c.Partial {
			c.Partial = partialPorts(c.set, er)
		}
		m.Cells = append(m.Cells, *c)
	}
	slices.SortFunc(m.Cells, func(a, b Cell) int { return cmp.Or(cmp.Compare(a.From, b.From), cmp.Compare(a.To, b.To)) })
	if m.Cells == nil {
		m.Cells = []Cell{}
	}
	return m, nil
}

// repliers returns, for each class (by id), the classes a flow from it can
// reach and get replies from, and their subnets (none set: every class): a
// class walk needs to go nowhere else. A flow to a class reaches it only if
// the class's inbound rules admit some header from the source's addresses,
// and gets replies only if routing alone (no filter can add a destination)
// takes some reply from the class's subnet to the source: each subnet's
// replies, from its addresses to every private one, are walked once without
// filters. Replies carry no translation back in; a walk that meets one
// restricts nothing. Nor is the restriction exact where a forward walk can
// pass a NAT gateway (whose replies depend on the forward path's
// translation): when some route sends private destinations to one, every
// class walk goes everywhere.
func (e *Engine) repliers(private hset.Set) []replierSet {
	if e.privateViaNAT(private) {
		return make([]replierSet, len(e.classes))
	}
	var subnets []*node
	subnetIdx := map[*node]int{}
	for _, n := range e.nodes {
		if n.kind == nodeSubnet && len(n.classes) > 0 {
			subnetIdx[n] = len(subnets)
			subnets = append(subnets, n)
		}
	}
	words := (len(e.classes) + 63) / 64
	replies := make([][]uint64, len(subnets))
	parallel(len(subnets), func(i int) {
		sn := subnets[i]
		var boxes []hset.Box
		for _, s := range sn.cidrs {
			for _, d := range private.Project(hset.DimDst) {
				boxes = append(boxes, hset.Box{Src: s, Dst: d, Proto: allProto, SrcPort: allPorts, DstPort: allPorts})
			}
		}
		bits := make([]uint64, words)
		known := true
		reach := func(c *class, f flow) {
			if f.sessions != nil || translated(f) {
				known = false
			}
			bits[c.id/64] |= 1 << (c.id % 64)
		}
		w := &walker{e: e, routesOnly: true,
			reached: func(t *node, f flow) {
				if c := e.classOf[t]; c != nil {
					reach(c, f)
				}
			},
			// Routing alone delivers whatever it brings into a subnet to
			// the owner of the destination.
			atSubnet: func(n *node, f flow, here hset.Set) {
				dst := here.Project(hset.DimDst)
				for _, c := range n.classes {
					if slices.ContainsFunc(c.addrs, func(r hset.AddrRange) bool { return overlapsAny(dst, r) }) {
						reach(c, f)
					}
				}
			},
			dropped: func(flow, *drop, *RuleRef) {},
		}
		w.start(sn, flow{set: hset.Of(boxes...), reply: true})
		if known {
			replies[i] = bits
		}
	})
	senders := make([][]*class, len(e.classes))
	parallel(len(e.classes), func(i int) {
		d := e.classes[i]
		bits := replies[subnetIdx[d.subnet]]
		srcs, filtered := admittedSources(d.deliver)
		for _, c := range e.classes {
			if bits != nil && bits[c.id/64]&(1<<(c.id%64)) == 0 {
				continue
			}
			if filtered && !slices.ContainsFunc(c.rep, func(r hset.AddrRange) bool { return overlapsAny(srcs, r) }) {
				continue
			}
			senders[i] = append(senders[i], c)
		}
	})
	out := make([]replierSet, len(e.classes))
	for i, d := range e.classes {
		for _, s := range senders[i] {
			u := &out[s.id]
			if u.classes == nil {
				u.classes = make([]uint64, words)
			}
			u.classes[d.id/64] |= 1 << (d.id % 64)
			u.subnets = append(u.subnets, d.subnet.cidrs...)
		}
	}
	for _, c := range e.classes {
		u := &out[c.id]
		if u.classes == nil {
			u.classes = make([]uint64, words)
		}
		u.classes[c.id/64] |= 1 << (c.id % 64)
		u.subnets = mergeRanges(c.subnet.cidrs, u.subnets)
	}
	return out
}

// replierSet is where a class walk needs to go: the classes that can reply
// to its source (a bit each, by id) and the subnets that hold them.
type replierSet struct {
	classes []uint64
	subnets []hset.AddrRange
}

// admittedSources returns the sources the filters entering along ed admit
// some header from, sorted: the union of their security group rules'; false
// when the edge has no such filter.
func admittedSources(ed *edge) ([]hset.AddrRange, bool) {
	var srcs []hset.AddrRange
	ok := false
	for i := range ed.enter {
		if ft := &ed.enter[i]; ft.kind == filterSG {
			s := ft.sg.union.Project(hset.DimSrc)
			if ok {
				srcs = intersectAll(srcs, s)
			} else {
				srcs, ok = s, true
			}
		}
	}
	return srcs, ok
}

// translated reports whether a translation is on the flow's path.
func translated(f flow) bool {
	for ev := f.trail; ev != nil; ev = ev.prev {
		if ev.step != nil && ev.step.Kind == StepTranslate {
			return true
		}
	}
	return false
}

// privateViaNAT reports whether some route sends traffic for a private
// destination to a NAT gateway. Any element that rewrites a forward flow's
// source on its way to a private destination (a load balancer, say) must
// likewise send every class walk everywhere: repliers judges a class by its
// own addresses, as security groups and replies would see them untranslated.
func (e *Engine) privateViaNAT(private hset.Set) bool {
	dst := private.Project(hset.DimDst)
	for _, n := range e.nodes {
		for _, p := range []*routeProg{n.routes, n.inbound} {
			if p == nil {
				continue
			}
			for _, en := range p.entries {
				if en.to == nil || len(intersectRanges(dst, en.rng)) == 0 {
					continue
				}
				if to := en.to.to; to.kind == nodeNAT || to.kind == nodeENI && to.eni.OwnerKind == model.OwnerNATGateway {
					return true
				}
			}
		}
	}
	return false
}

// classGroup is a group some members of a class belong to; only is the
// member when it is the only one.
type classGroup struct {
	name string
	only *node
}

// groupsOfClass returns the groups of a class's members, each once, in the
// members' order.
func groupsOfClass(c *class, groupsOf func(*model.NetworkInterface) []string) []classGroup {
	var out []classGroup
	at := map[string]int{}
	for _, m := range c.members {
		for _, g := range groupsOf(m.eni) {
			if i, ok := at[g]; ok {
				if out[i].only != m {
					out[i].only = nil
				}
				continue
			}
			at[g] = len(out)
			out = append(out, classGroup{name: g, only: m})
		}
	}
	return out
}

// classWalker is a walker that delivers to classes and collects the flows
// that reach interfaces.
func (e *Engine) classWalker() (*walker, *[]reachedFlow) {
	var got []reachedFlow
	w := &walker{e: e, byClass: true, skipExits: true,
		reached: func(t *node, f flow) {
			if t.kind == nodeENI || t.kind == nodeLB {
				got = append(got, reachedFlow{t, f})
			}
		},
		dropped: func(flow, *drop, *RuleRef) {},
	}
	return w, &got
}

// grouping returns the groups an interface belongs to.
func (e *Engine) grouping(by GroupBy) (func(*model.NetworkInterface) []string, error) {
	if _, err := ParseGroupBy(string(by)); err != nil {
		return nil, err
	}
	switch {
	case by == BySubnet:
		return func(x *model.NetworkInterface) []string {
			if s := e.ix.Subnets[x.SubnetID]; s != nil {
				return []string{s.Label()}
			}
			return nil
		}, nil
	case by == ByVPC:
		return func(x *model.NetworkInterface) []string {
			if s := e.ix.Subnets[x.SubnetID]; s != nil {
				if v := e.ix.VPCs[s.VPCID]; v != nil {
					return []string{v.Label()}
				}
			}
			return nil
		}, nil
	case by == BySecurityGroup:
		return func(x *model.NetworkInterface) []string {
			var out []string
			for _, id := range x.SecurityGroupIDs {
				if g := e.ix.SecurityGroups[id]; g != nil {
					out = append(out, g.Label())
				}
			}
			if len(out) == 0 {
				out = []string{"(no security group)"}
			}
			return out
		}, nil
	default: // tag:KEY
		key := string(by)[len("tag:"):]
		return func(x *model.NetworkInterface) []string {
			tags := x.Tags
			if x.OwnerKind == model.OwnerInstance {
				if in := e.ix.Instances[x.OwnerID]; in != nil && in.Tags != nil {
					tags = in.Tags
				}
			}
			if v, ok := tags[key]; ok {
				return []string{key + "=" + v}
			}
			return []string{key + " (untagged)"}
		}, nil
	}
}

// TagKeys are the tag keys a matrix can group by: those of the interfaces
// and of the instances that own them, sorted.
func (e *Engine) TagKeys() []string {
	seen := map[string]bool{}
	for _, x := range e.net.Interfaces {
		for k := range x.Tags {
			seen[k] = true
		}
		if x.OwnerKind == model.OwnerInstance {
			if in := e.ix.Instances[x.OwnerID]; in != nil {
				for k := range in.Tags {
					seen[k] = true
				}
			}
		}
	}
	keys := make([]string, 0, len(seen))
	for k := range seen {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// Service is a protocol and a range of its destination ports (ICMP types),
// as a matrix cell lists what passes: "tcp 443", "udp 53", "icmp",
// "icmp type 8", "protocol 47", "all". Protocols without ports (and every
// protocol) always have every port.
type Service struct {
	Protocols Protocols
	Ports     model.PortRange
}

// Covers reports whether the service carries protocol p to port (an ICMP
// type for ICMP; ignored for protocols without ports).
func (s Service) Covers(p model.Protocol, port uint16) bool {
	if s.Protocols.IsAll() {
		return true
	}
	if !s.Protocols.Contains(p) {
		return false
	}
	return !(p.HasPorts() || p.IsICMP()) || s.Ports.Contains(port)
}

func (s Service) String() string {
	p, single := s.Protocols.Single()
	switch {
	case single && p == model.ProtocolAll && s.Ports.IsAll():
		return "all"
	case single && p.HasPorts():
		return p.String() + " " + s.Ports.String()
	case single && p.IsICMP() && s.Ports.IsAll():
		return p.String()
	case single && p.IsICMP():
		return p.String() + " type " + s.Ports.String()
	}
	return "protocol " + s.Protocols.String()
}

// MarshalText implements encoding.TextMarshaler with String.
func (s Service) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// services summarises a set as the services it carries. Adjacent port
// ranges of one protocol read as one range, whatever else differs between
// them (which sources, say): a cell says what passes, not from where.
func services(s hset.Set) []Service {
	type svc struct {
		proto hset.Range8
		ports []hset.Range16
	}
	var order []hset.Range8
	byProto := map[hset.Range8]*svc{}
	// Addresses do not matter here: only protocols and ports remain.
	s = s.WithSrc(full).WithDst(full)
	for _, g := range s.GroupByService() {
		for _, pr := range splitProtocols(g.Proto) {
			v := byProto[pr]
			if v == nil {
				v = &svc{proto: pr}
				byProto[pr] = v
				order = append(order, pr)
			}
			if n := len(v.ports); n > 0 && v.ports[n-1].Hi != 65535 && v.ports[n-1].Hi+1 >= g.DstPort.Lo {
				v.ports[n-1].Hi = max(v.ports[n-1].Hi, g.DstPort.Hi)
				continue
			}
			v.ports = append(v.ports, g.DstPort)
		}
	}
	slices.SortFunc(order, func(a, b hset.Range8) int { return cmp.Compare(a.Lo, b.Lo) })
	var out []Service
	for _, pr := range order {
		for _, p := range byProto[pr].ports {
			sv := Service{Protocols: ProtocolsFrom(pr.Lo, pr.Hi), Ports: model.PortRange{First: p.Lo, Last: p.Hi}}
			if one, ok := sv.Protocols.Single(); !ok || one != model.ProtocolAll && !one.HasPorts() && !one.IsICMP() {
				sv.Ports = model.AllPorts // the ports of other protocols say nothing
			}
			out = append(out, sv)
		}
	}
	return slices.Compact(out)
}

// partialPorts reports whether TCP or UDP headers of s come back for part of
// the client ports only.
func partialPorts(s hset.Set, eph hset.Range16) bool {
	tu := s.Intersect(tcpUDP)
	if tu.IsEmpty() {
		return false
	}
	got := tu.ProjectPorts(hset.DimSrcPort)
	return len(got) != 1 || got[0] != eph
}

// privateSet is every header to the estate's own blocks.
func (e *Engine) privateSet() hset.Set { return hset.Of(dstBoxes(e.privateSpace()...)...) }

// privateSpace is the estate's own blocks: every VPC CIDR.
func (e *Engine) privateSpace() []hset.AddrRange {
	var out []hset.AddrRange
	for _, v := range e.net.VPCs {
		for _, p := range v.AllCIDRs() {
			out = append(out, prefixRanges(p)...)
		}
	}
	return mergeRanges(nil, out)
}

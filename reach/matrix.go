package reach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

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
	add := func(from string, to *model.NetworkInterface, set hset.Set, partial bool) {
		for _, g := range groupsOf(to) {
			k := [2]string{from, g}
			c := cells[k]
			if c == nil {
				c = &Cell{From: from, To: g}
				cells[k] = c
			}
			c.set = c.set.Union(set)
			c.Partial = c.Partial || partial
		}
	}
	// The private network's destinations are the estate's own blocks. What
	// public addresses expose is the internet row's.
	private := hset.Of(dstBoxes(e.privateSpace()...)...)
	// Each class is walked through its representative, on every processor;
	// what it reaches, every member reaches (see class), so every pair of
	// members of the two classes gets the services found.
	type found struct {
		dc      *class
		pass    hset.Set
		partial bool
	}
	results := make([][]found, len(e.classes))
	parallel(len(e.classes), func(i int) {
		src := e.classes[i]
		start := every(src.rep, er).Intersect(private)
		w, got := e.classWalker()
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
				results[i] = append(results[i], found{dc, rt.passing, len(rt.warnings) > 0})
			}
		}
	})
	for i, src := range e.classes {
		for _, fd := range results[i] {
			for _, sm := range src.members {
				for _, dm := range fd.dc.members {
					if dm == sm {
						continue
					}
					for _, g := range groupsOf(sm.eni) {
						add(g, dm.eni, fd.pass, fd.partial)
					}
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
				add("internet", n.eni, x.direct, len(x.warnings) > 0)
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

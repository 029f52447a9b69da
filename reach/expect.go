// Expectations: what an intent file requires of the network (deny, allow,
// only), evaluated exactly with probes (probe.go), each violation with a
// witness packet and its trace.

package reach

import (
	"cmp"
	"errors"
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// ExpectKind is what an expectation requires.
type ExpectKind uint8

// Expectation kinds.
const (
	// ExpectDeny: no traffic (of Services) from From reaches To and gets
	// its replies back.
	ExpectDeny ExpectKind = iota + 1
	// ExpectAllow: all of Services, from every source of From to every
	// destination of To, passes both ways, for every client port.
	ExpectAllow
	// ExpectOnly: traffic (of Scope) that reaches To comes only from From,
	// and only on Services.
	ExpectOnly
)

func (k ExpectKind) String() string { return enumName(k, "deny", "allow", "only") }

// MarshalText implements encoding.TextMarshaler.
func (k ExpectKind) MarshalText() ([]byte, error) { return enumText(k) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (k *ExpectKind) UnmarshalText(b []byte) error { return enumParse(k, b) }

// Ends is one side of an expectation: interfaces of the network, and
// addresses outside it.
type Ends struct {
	// Interfaces are network interfaces of the network, by ID.
	Interfaces []string
	// Internet is every host on the internet; OnPremises every network
	// behind a VPN connection.
	Internet, OnPremises bool
	// Blocks are addresses: their part on the internet and on premises
	// stands for hosts there, and the interfaces using addresses in them
	// stand for themselves.
	Blocks []netip.Prefix
}

// IsEmpty reports whether the ends name nothing.
func (x Ends) IsEmpty() bool {
	return len(x.Interfaces) == 0 && !x.Internet && !x.OnPremises && len(x.Blocks) == 0
}

// Expectation is one requirement of an intent.
type Expectation struct {
	Kind ExpectKind
	// From and To are the sources and destinations; for ExpectOnly, From
	// are the sources allowed (every source is examined).
	From, To Ends
	// Services are, for deny and allow, the traffic concerned, and for
	// only, the services allowed; nil means every protocol and port.
	Services []Service
	// Scope is, for only, the traffic the expectation is about (nil: all).
	Scope []Service
	// Ephemeral is the client port range; the zero value means
	// model.DefaultEphemeral.
	Ephemeral model.PortRange
	// MaxWitnesses caps how many violations get a traced witness (the
	// others keep their witness packet); 0 means 20.
	MaxWitnesses int
}

// ExpectResult is whether an expectation holds, and how not.
type ExpectResult struct {
	Holds bool `json:"holds"`
	// Violations are the pairs of ends it fails for, sorted by source and
	// destination.
	Violations []Violation `json:"violations"`
	// Pairs is the number of (source, destination) pairs examined, counting
	// interfaces that the network cannot tell apart as one.
	Pairs int `json:"pairs"`
}

// Violation is one source and one destination an expectation fails for.
type Violation struct {
	// From and To are the ends: an interface's owner, or a world
	// (internet, an on-premises network).
	From Ref `json:"from"`
	To   Ref `json:"to"`
	// AlsoFrom and AlsoTo are the other selected interfaces that the
	// network cannot tell apart from From and To: the violation holds for
	// them too.
	AlsoFrom []Ref `json:"also_from,omitempty"`
	AlsoTo   []Ref `json:"also_to,omitempty"`
	// Services are the offending services: what passes (deny, only) or
	// what does not (allow).
	Services []Service `json:"services"`
	// Partial is set, for allow, when the traffic passes for some client
	// ports only.
	Partial bool `json:"partial,omitempty"`
	// Witness is one packet of the violation and its trace.
	Witness *Witness `json:"witness,omitempty"`
}

// end is one resolved end of an expectation.
type end struct {
	cls     *class
	members []*node // the selected members of cls
	world   *node   // the internet or an on-premises network
	ranges  []hset.AddrRange
}

// worldRef names a world outside the network: "internet", or "on-premises
// network of" its VPN connection.
func worldRef(n *node) Ref {
	if n.kind == nodeOnPrem {
		return Ref{Kind: n.ref.Kind, Name: n.ref.Name, Pos: n.ref.Pos}
	}
	return n.ref
}

// resolveEnds turns ends into interface classes (with their selected
// members) and worlds (with their address ranges).
func (e *Engine) resolveEnds(x Ends) ([]*end, error) {
	var out []*end
	byClass := map[*class]*end{}
	addIface := func(id string) error {
		n := e.eni[id]
		if n == nil {
			return fmt.Errorf("network interface %s is not in the network", id)
		}
		cl := e.classOf[n]
		if cl == nil {
			return nil // a NAT gateway's interface, or one outside every subnet: not a host
		}
		en := byClass[cl]
		if en == nil {
			en = &end{cls: cl}
			byClass[cl] = en
			out = append(out, en)
		}
		if !slices.Contains(en.members, n) {
			en.members = append(en.members, n)
		}
		return nil
	}
	for _, id := range x.Interfaces {
		if err := addIface(id); err != nil {
			return nil, err
		}
	}
	var blocks []hset.AddrRange
	for _, p := range x.Blocks {
		blocks = append(blocks, prefixRanges(p.Masked())...)
	}
	blocks = mergeRanges(nil, blocks)
	if len(blocks) > 0 {
		for _, ifc := range e.net.Interfaces {
			for _, a := range slices.Concat(ifc.PrivateIPs, ifc.IPv6Addrs) {
				if intersectRangesHas(blocks, hset.AddrFrom(a)) {
					if err := addIface(ifc.ID); err != nil {
						return nil, err
					}
					break
				}
			}
		}
	}
	inet := intersectAll(blocks, e.internetSpace)
	if x.Internet {
		inet = e.internetSpace
	}
	if len(inet) > 0 {
		out = append(out, &end{world: e.internet, ranges: inet})
	}
	for _, c := range e.net.VPNConnections {
		var own []hset.AddrRange
		for _, p := range c.OnPremCIDRs {
			own = append(own, prefixRanges(p)...)
		}
		if !x.OnPremises {
			own = intersectAll(own, blocks)
		}
		if len(own) > 0 {
			out = append(out, &end{world: e.onprem[c.ID], ranges: mergeRanges(nil, own)})
		}
	}
	for _, en := range out {
		slices.SortFunc(en.members, func(a, b *node) int { return cmp.Compare(a.id, b.id) })
	}
	return out, nil
}

func intersectRangesHas(rs []hset.AddrRange, a hset.Addr) bool {
	return len(intersectRanges(rs, hset.AddrRange{Lo: a, Hi: a})) > 0
}

// everything is every source the network knows: every interface class, the
// internet and every on-premises network.
func (e *Engine) everything() []*end {
	var out []*end
	for _, cl := range e.classes {
		out = append(out, &end{cls: cl, members: slices.Clone(cl.members)})
	}
	out = append(out, &end{world: e.internet, ranges: e.internetSpace})
	for _, c := range e.net.VPNConnections {
		var own []hset.AddrRange
		for _, p := range c.OnPremCIDRs {
			own = append(own, prefixRanges(p)...)
		}
		if len(own) > 0 {
			out = append(out, &end{world: e.onprem[c.ID], ranges: mergeRanges(nil, own)})
		}
	}
	return out
}

// servicesSet is the headers of services (any addresses, any client port);
// every header when svcs is nil.
func servicesSet(svcs []Service) hset.Set {
	if svcs == nil {
		return hset.Of(hset.Box{Src: full, Dst: full, Proto: allProto, SrcPort: allPorts, DstPort: allPorts})
	}
	var boxes []hset.Box
	for _, s := range svcs {
		lo, hi := s.Protocols.Numbers()
		b := hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: lo, Hi: hi}, SrcPort: allPorts, DstPort: allPorts}
		if p, ok := s.Protocols.Single(); ok && (p.HasPorts() || p.IsICMP()) {
			b.DstPort = hset.Range16{Lo: s.Ports.First, Hi: s.Ports.Last}
		}
		boxes = append(boxes, b)
	}
	return hset.Of(boxes...)
}

// pairKey is one (source, destination) pair of ends.
type pairKey struct{ src, dst *end }

// pairFlows is what was asked of a pair and what passed.
type pairFlows struct {
	asked, passing hset.Set
}

// Expect evaluates an expectation.
func (e *Engine) Expect(x Expectation) (*ExpectResult, error) {
	eph := x.Ephemeral
	if eph == (model.PortRange{}) {
		eph = model.DefaultEphemeral
	}
	er := hset.Range16{Lo: eph.First, Hi: eph.Last}
	if x.Kind < ExpectDeny || x.Kind > ExpectOnly {
		return nil, fmt.Errorf("invalid expectation kind %d", x.Kind)
	}
	var srcs []*end
	var err error
	if x.Kind == ExpectOnly {
		srcs = e.everything()
	} else if srcs, err = e.resolveEnds(x.From); err != nil {
		return nil, fmt.Errorf("from: %w", err)
	}
	dsts, err := e.resolveEnds(x.To)
	if err != nil {
		return nil, fmt.Errorf("to: %w", err)
	}
	if len(srcs) == 0 {
		return nil, errors.New("from: selects no interface with an address, and no address on the internet or on premises")
	}
	if len(dsts) == 0 {
		return nil, errors.New("to: selects no interface with an address, and no address on the internet or on premises")
	}
	svc := servicesSet(x.Services)
	scope := svc
	if x.Kind == ExpectOnly {
		scope = servicesSet(x.Scope)
	}
	flows, pairs := e.pairFlows(srcs, dsts, scope, er)
	if len(pairs) == 0 {
		return nil, errors.New("from and to share no pair of ends that the network carries traffic between (an interface and itself, or two hosts outside the network)")
	}
	res := &ExpectResult{Pairs: len(pairs), Violations: []Violation{}}
	var allowed []*end
	if x.Kind == ExpectOnly {
		if allowed, err = e.resolveEnds(x.From); err != nil {
			return nil, fmt.Errorf("from: %w", err)
		}
	}
	for _, k := range pairs {
		f := flows[k]
		switch x.Kind {
		case ExpectDeny:
			if !f.passing.IsEmpty() {
				res.Violations = append(res.Violations, e.violation(k, k.src.members, f.passing, false))
			}
		case ExpectAllow:
			missing := f.asked.Subtract(f.passing)
			if !missing.IsEmpty() {
				// Partial: every service passes for some client ports.
				partial := missing.Subtract(widenClientPorts(f.passing)).IsEmpty()
				res.Violations = append(res.Violations, e.violation(k, k.src.members, missing, partial))
			}
		case ExpectOnly:
			res.Violations = append(res.Violations, e.onlyViolations(k, f.passing, allowed, svc)...)
		}
	}
	slices.SortStableFunc(res.Violations, func(a, b Violation) int {
		return cmp.Or(cmp.Compare(a.From.Label(), b.From.Label()), cmp.Compare(a.To.Label(), b.To.Label()))
	})
	max := x.MaxWitnesses
	if max == 0 {
		max = 20
	}
	var ws []*Witness
	for i := range res.Violations {
		v := &res.Violations[i]
		if v.Witness != nil {
			v.Witness = e.witness(v.Witness.Header, v.Witness.Query.From, v.Witness.Query.To, eph)
			if i < max {
				ws = append(ws, v.Witness)
			}
		}
	}
	e.traceWitnesses(ws)
	res.Holds = len(res.Violations) == 0
	return res, nil
}

// pairFlows walks every source toward every destination with the headers
// of scope and returns, per pair, what was asked and what passed both ways
// (headers as they left the source), in a fixed pair order.
func (e *Engine) pairFlows(srcs, dsts []*end, scope hset.Set, eph hset.Range16) (map[pairKey]*pairFlows, []pairKey) {
	flows := map[pairKey]*pairFlows{}
	var order []pairKey
	var probes []*probe
	type probeFor struct {
		src  *end
		dsts map[*node]*end // terminal (representative, interface or world) -> destination
	}
	var fors []probeFor
	for _, s := range srcs {
		if s.cls != nil {
			pf := probeFor{src: s, dsts: map[*node]*end{}}
			var parts []hset.Set
			from := every(s.cls.rep, eph).Intersect(scope)
			for _, d := range dsts {
				var set hset.Set
				switch {
				case d.cls != nil:
					addr := dstOf(d.cls, s.cls)
					if len(addr) == 0 || d.cls == s.cls && len(d.members) == 1 && len(s.members) == 1 && d.members[0] == s.members[0] {
						continue // an interface does not send to itself
					}
					set = intersectDst(from, addr...)
					t := d.cls.members[0]
					if d.cls == s.cls {
						t = d.cls.members[1]
					}
					pf.dsts[t] = d
				default:
					set = intersectDst(from, d.ranges...)
					pf.dsts[d.world] = d
				}
				if set.IsEmpty() {
					continue
				}
				k := pairKey{s, d}
				flows[k] = &pairFlows{asked: set}
				order = append(order, k)
				parts = append(parts, set)
			}
			if len(parts) > 0 {
				probes = append(probes, &probe{cls: s.cls, set: unionAll(parts)})
				fors = append(fors, pf)
			}
			continue
		}
		from := every(s.ranges, eph).Intersect(scope)
		for _, d := range dsts {
			if d.cls == nil {
				continue // between worlds outside the network: not its traffic
			}
			m := d.members[0]
			var sets []hset.Set
			var pubs []*hset.AddrRange
			if s.world.kind == nodeInternet {
				for _, p := range m.eni.PublicIPs {
					if p.Public.IsValid() {
						r := addrRange(p.Public)
						sets = append(sets, intersectDst(from.Intersect(hset.All4()), r))
						pubs = append(pubs, &r)
						break
					}
				}
				if len(m.eni.IPv6Addrs) > 0 {
					sets = append(sets, intersectDst(from, addrsRanges(m.eni.IPv6Addrs)...))
					pubs = append(pubs, nil)
				}
			} else {
				sets = append(sets, intersectDst(from, addrsRanges(slices.Concat(m.eni.PrivateIPs, m.eni.IPv6Addrs))...))
				pubs = append(pubs, nil)
			}
			k := pairKey{s, d}
			pf := &pairFlows{}
			flows[k] = pf
			order = append(order, k)
			for i, set := range sets {
				if set.IsEmpty() {
					continue
				}
				pf.asked = pf.asked.Union(set)
				probes = append(probes, &probe{world: s.world, set: set, pub: pubs[i], dest: m})
				fors = append(fors, probeFor{src: s, dsts: map[*node]*end{m: d}})
			}
		}
	}
	results := e.runProbes(probes)
	for i, r := range results {
		pf := fors[i]
		for j := range r.arrivals {
			a := &r.arrivals[j]
			d := pf.dsts[a.t]
			if d == nil {
				continue // delivered somewhere else: not this question's
			}
			f := flows[pairKey{pf.src, d}]
			if f == nil {
				continue
			}
			f.passing = f.passing.Union(a.passing.Intersect(f.asked))
		}
	}
	return flows, order
}

// violation describes one failing pair; the witness is picked (not yet
// traced) from set.
func (e *Engine) violation(k pairKey, fromMembers []*node, set hset.Set, partial bool) Violation {
	v := Violation{Partial: partial}
	var from, to *node
	if k.src.cls != nil {
		from = fromMembers[0]
		v.From = e.endRef(from)
		for _, m := range fromMembers[1:] {
			v.AlsoFrom = append(v.AlsoFrom, e.endRef(m))
		}
	} else {
		v.From = worldRef(k.src.world)
	}
	if k.dst.cls != nil {
		to = k.dst.members[0]
		if to == from {
			to = k.dst.members[1%len(k.dst.members)]
			if to == from {
				to = k.dst.cls.members[1]
			}
		}
		v.To = e.endRef(to)
		for _, m := range k.dst.members {
			if m != to && m != from {
				v.AlsoTo = append(v.AlsoTo, e.endRef(m))
			}
		}
	} else {
		v.To = worldRef(k.dst.world)
	}
	v.Services = services(clientPortsAsAny(set, allPorts).WithSrc(full).WithDst(full))
	if h, ok := pickHeader(set); ok {
		fromName, toName := h.Src.String(), h.Dst.String()
		if from != nil {
			h.Src = substitute(k.src.cls, from, h.Src)
			fromName = from.eni.ID
		}
		if to != nil {
			h.Dst = substituteDst(k.dst.cls, to, h.Dst)
			toName = to.eni.ID
		}
		v.Witness = &Witness{Header: h, Query: Query{From: fromName, To: toName}}
	}
	return v
}

// substitute maps address a of class cl's representative (or, for a
// destination of its own class, its second member) to the matching address
// of member m: members of a class have their addresses in the same order
// and intervals (see class).
func substitute(cl *class, m *node, a netip.Addr) netip.Addr {
	for _, ref := range cl.members[:min(2, len(cl.members))] {
		own := slices.Concat(ref.eni.PrivateIPs, ref.eni.IPv6Addrs)
		mine := slices.Concat(m.eni.PrivateIPs, m.eni.IPv6Addrs)
		if i := slices.Index(own, a); i >= 0 && i < len(mine) {
			return mine[i]
		}
	}
	return a
}

// substituteDst is substitute for a destination address, which may also be
// a public address of the member (from the internet).
func substituteDst(cl *class, m *node, a netip.Addr) netip.Addr {
	for _, p := range m.eni.PublicIPs {
		if p.Public == a {
			return a
		}
	}
	return substitute(cl, m, a)
}

// onlyViolations are, for an only expectation, the traffic of pair k that
// passes but is not allowed: from a source outside allowed, anything; from
// an allowed source, what is outside svc.
func (e *Engine) onlyViolations(k pairKey, passing hset.Set, allowed []*end, svc hset.Set) []Violation {
	if passing.IsEmpty() {
		return nil
	}
	var out []Violation
	if k.src.cls != nil {
		var in, out2 []*node
		var allowedMembers []*node
		for _, a := range allowed {
			if a.cls == k.src.cls {
				allowedMembers = a.members
			}
		}
		for _, m := range k.src.members {
			if slices.Contains(allowedMembers, m) {
				in = append(in, m)
			} else {
				out2 = append(out2, m)
			}
		}
		if len(out2) > 0 {
			out = append(out, e.violation(k, out2, passing, false))
		}
		if len(in) > 0 {
			if bad := passing.Subtract(svc); !bad.IsEmpty() {
				out = append(out, e.violation(k, in, bad, false))
			}
		}
		return out
	}
	var ok []hset.AddrRange
	for _, a := range allowed {
		if a.world == k.src.world {
			ok = append(ok, a.ranges...)
		}
	}
	bad := passing
	if len(ok) > 0 {
		bad = passing.Subtract(hset.Of(srcBoxes(mergeRanges(nil, ok)...)...).Intersect(svc))
	}
	if !bad.IsEmpty() {
		out = append(out, e.violation(k, nil, bad, false))
	}
	return out
}

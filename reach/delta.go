// Compare: what changes between two networks' reachability, exactly, and
// which changes of the network cause it.

package reach

import (
	"cmp"
	"fmt"
	"iter"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// CompareOptions says what Compare compares.
type CompareOptions struct {
	// Ephemeral is the client port range assumed for replies; the zero
	// value means model.DefaultEphemeral.
	Ephemeral model.PortRange
	// Internal adds the flows between the networks' own interfaces (source
	// SourceEstate) and from them to the internet (SourceEgress) to the
	// exposures from the internet and on-premises networks.
	Internal bool
	// Full analyses every interface of both networks, instead of those
	// whose flows the changes can affect: the reference the scoped
	// comparison is tested against.
	Full bool
}

// Sources of a comparison's units, besides "internet" and "on-premises"
// (exposures) and SourceEstate (flows between interfaces).
const (
	// SourceEgress names flows from an interface to hosts on the internet.
	SourceEgress = "egress"
)

// Delta is what changes between the reachability of two networks.
type Delta struct {
	// Sources are the kinds of traffic compared: internet, on-premises
	// (when either network has VPN connections), and with
	// CompareOptions.Internal, estate and egress.
	Sources []string `json:"sources"`
	// Units are the exposures and flows compared, sorted by source, target,
	// protocol and ports: every changed one, and the unchanged ones of the
	// interfaces analysed.
	Units []DeltaUnit `json:"units"`
	// Changes are the differences between the two networks that can change
	// reachability: rules, routes, associations, addresses, elements.
	Changes []Change `json:"changes"`
	// Scope says how much was analysed.
	Scope DeltaScope `json:"scope"`
	// Notes are what the comparison assumes: addresses unknown until
	// apply, what each network's analysis noted.
	Notes []Explanation `json:"notes"`
}

// DeltaScope says how much of the networks a comparison analysed.
type DeltaScope struct {
	// Interfaces counts the interfaces of both networks (by key); Analysed
	// those whose flows were analysed, in either network.
	Interfaces int `json:"interfaces"`
	Analysed   int `json:"analysed"`
	// Full is set when every interface was analysed; Reason says why.
	Full   bool   `json:"full"`
	Reason string `json:"reason,omitempty"`
}

// DeltaStatus is what became of an exposure or flow.
type DeltaStatus uint8

// Statuses.
const (
	// StatusNew: nothing of the unit passed before; something does after.
	StatusNew DeltaStatus = iota + 1
	// StatusWidened: it passed before, and more passes after (more sources
	// or client ports; some may have gone too).
	StatusWidened
	// StatusNarrowed: less passes after, and something still does.
	StatusNarrowed
	// StatusClosed: it passed before; nothing passes after.
	StatusClosed
	// StatusUnchanged: exactly the same passes.
	StatusUnchanged
)

func (s DeltaStatus) String() string {
	return enumName(s, "new", "widened", "narrowed", "closed", "unchanged")
}

// MarshalText implements encoding.TextMarshaler.
func (s DeltaStatus) MarshalText() ([]byte, error) { return enumText(s) }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *DeltaStatus) UnmarshalText(b []byte) error { return enumParse(s, b) }

// Opens reports whether the unit lets through something that did not pass
// before.
func (s DeltaStatus) Opens() bool { return s == StatusNew || s == StatusWidened }

// DeltaUnit is one protocol and port range of one interface, from one kind
// of source, over which the reachability of each network is uniform.
type DeltaUnit struct {
	// Source is internet, on-premises, estate (from the network's own
	// interfaces) or egress (from the interface to internet hosts).
	Source string `json:"source"`
	// Key is the interface's stable key (model.Keys).
	Key       string `json:"key"`
	Target    Ref    `json:"target"`
	Interface Ref    `json:"interface"`
	Subnet    Ref    `json:"subnet"`
	VPC       Ref    `json:"vpc"`
	// Protocols and Ports are the unit's service; for ICMP, Ports are
	// types.
	Protocols Protocols       `json:"protocol"`
	Ports     model.PortRange `json:"ports"`
	Status    DeltaStatus     `json:"status"`
	// Before and After are what passes in each network (nil when nothing
	// does): sources, destinations, path, the rules that open it.
	Before *Finding `json:"before,omitempty"`
	After  *Finding `json:"after,omitempty"`
	// Added and Removed are the source blocks (for egress, the internet
	// destinations) that pass only after, or only before; AddedFrom and
	// RemovedFrom the same for flows from the network's interfaces (their
	// owners). AddedPorts/RemovedPorts are set when what changed is the
	// client ports a reply can use, not who.
	Added        []netip.Prefix `json:"added,omitempty"`
	Removed      []netip.Prefix `json:"removed,omitempty"`
	AddedFrom    []Ref          `json:"added_from,omitempty"`
	RemovedFrom  []Ref          `json:"removed_from,omitempty"`
	AddedPorts   PortList       `json:"added_ports,omitempty"`
	RemovedPorts PortList       `json:"removed_ports,omitempty"`
	// Causes are indexes into Delta.Changes: the changes the unit's change
	// is attributed to (see Compare). Empty for an unchanged unit, and for
	// a changed one no change could be attributed to (a note says so).
	Causes []int `json:"causes,omitempty"`
	// Placeholder is set when an address of the interface is unknown until
	// apply in either network.
	Placeholder bool `json:"placeholder,omitempty"`
}

// Compare computes what changes between the reachability of two networks —
// exactly: for each interface (matched by model.Keys, so a plan's before
// and after, a folder and its state compare) and each kind of source, the
// set differences of the exact header sets that pass both ways — and
// attributes each changed unit to the changes of the network on its paths.
//
// Only the interfaces whose flows the changes can affect are analysed
// (those whose dependency hashes differ; see deltascope.go), unless opts.Full
// asks for all. The comparison ignores which address of an interface
// traffic uses: an interface whose public address changes, or becomes
// unknown until apply, keeps its exposures (Changes lists the address
// change), and from the internet only sources that are internet hosts in
// both networks are compared.
func Compare(before, after *Engine, opts CompareOptions) (*Delta, error) {
	eph := opts.Ephemeral
	if eph == (model.PortRange{}) {
		eph = model.DefaultEphemeral
	}
	er := hset.Range16{Lo: eph.First, Hi: eph.Last}
	d := &Delta{Units: []DeltaUnit{}, Changes: []Change{}, Notes: []Explanation{}}
	kb, ka := before.Keys(), after.Keys()
	var keysB, keysA []string
	for _, x := range before.net.Interfaces {
		keysB = append(keysB, kb.Of(x.ID))
	}
	for _, x := range after.net.Interfaces {
		keysA = append(keysA, ka.Of(x.ID))
	}
	all := append(slices.Clone(keysB), keysA...)
	slices.Sort(all)
	all = slices.Compact(all)
	d.Scope.Interfaces = len(all)

	var affected map[string]bool
	var content map[any]uint64
	switch {
	case opts.Full:
		d.Scope.Full, d.Scope.Reason = true, "asked for"
	default:
		var every bool
		affected, every, content = affectedKeys(before, after)
		if every {
			affected = nil
			d.Scope.Full, d.Scope.Reason = true, "the networks differ in elements the scoped comparison does not follow"
		}
	}
	onlyOf := func(e *Engine, keys *model.Keys) map[*model.NetworkInterface]bool {
		if affected == nil {
			return nil
		}
		m := map[*model.NetworkInterface]bool{}
		for _, x := range e.net.Interfaces {
			if affected[keys.Of(x.ID)] {
				m[x] = true
			}
		}
		return m
	}
	onlyB, onlyA := onlyOf(before, kb), onlyOf(after, ka)
	if affected == nil {
		d.Scope.Analysed = len(all)
	} else {
		d.Scope.Analysed = len(affected)
	}

	d.Sources = []string{"internet"}
	if hasOnPrem(before.net) || hasOnPrem(after.net) {
		d.Sources = append(d.Sources, "on-premises")
	}
	if opts.Internal {
		d.Sources = append(d.Sources, SourceEstate, SourceEgress)
	}
	cmpr := &comparer{before: before, after: after, eph: er, codes: newKeyCodes(keysB, keysA)}
	for _, src := range d.Sources {
		var xb, xa map[string]*Exposure
		var mask hset.Set
		var err error
		switch src {
		case SourceEstate:
			d.Units = append(d.Units, cmpr.estateUnits(affected, onlyB, onlyA)...)
			continue
		case SourceEgress:
			xb = byKey(before.egressFlows(er, onlyB), kb)
			xa = byKey(after.egressFlows(er, onlyA), ka)
			mask = internetMask(before, after)
		default:
			if xb, err = cmpr.exposures(before, src, onlyB); err != nil {
				return nil, err
			}
			if xa, err = cmpr.exposures(after, src, onlyA); err != nil {
				return nil, err
			}
			if src == "internet" {
				mask = internetMask(before, after)
			}
		}
		for _, k := range unionKeys(xb, xa) {
			d.Units = append(d.Units, cmpr.units(src, k, xb[k], xa[k], mask)...)
		}
	}
	d.Changes = changes(before, after, content)
	attribute(d, before, after)
	d.Notes = append(d.Notes, placeholderNotes(before, after, affected)...)
	for _, n := range slices.Concat(before.Notes(), after.Notes()) {
		if !slices.Contains(d.Notes, n) {
			d.Notes = append(d.Notes, n)
		}
	}
	slices.SortStableFunc(d.Units, func(a, b DeltaUnit) int {
		return cmp.Or(cmp.Compare(slices.Index(d.Sources, a.Source), slices.Index(d.Sources, b.Source)),
			cmp.Compare(a.Target.Label(), b.Target.Label()), cmp.Compare(a.Key, b.Key),
			cmpProtocols(a.Protocols, b.Protocols), cmp.Compare(a.Ports.First, b.Ports.First))
	})
	return d, nil
}

func cmpProtocols(a, b Protocols) int {
	return cmp.Or(cmp.Compare(a.lo, b.lo), cmp.Compare(a.hi, b.hi))
}

func hasOnPrem(n *model.Network) bool {
	return slices.ContainsFunc(n.VPNConnections, func(c *model.VPNConnection) bool { return len(c.OnPremCIDRs) > 0 })
}

// internetMask is what is not compared of internet sources: the addresses
// that are internet hosts in one network only (a VPC's public block, an
// on-premises network), and the public addresses one estate owns and the
// other does not (an address that is the estate's in one network and a
// host's in the other). It is few blocks: subtracting it keeps sets small.
func internetMask(before, after *Engine) hset.Set {
	diff := func(x, y []hset.AddrRange) []hset.AddrRange {
		return mergeRanges(subtractRanges(x, y), subtractRanges(y, x))
	}
	holes := mergeRanges(diff(before.internetSpace, after.internetSpace), diff(before.estatePublic, after.estatePublic))
	return hset.Of(srcBoxes(holes...)...)
}

func byKey(m map[*model.NetworkInterface]*Exposure, keys *model.Keys) map[string]*Exposure {
	out := make(map[string]*Exposure, len(m))
	for x, ex := range m {
		out[keys.Of(x.ID)] = ex
	}
	return out
}

// comparer holds what the units of one comparison share.
type comparer struct {
	before, after *Engine
	eph           hset.Range16
	codes         *keyCodes
}

// exposures analyses the traffic from src to the interfaces of only (nil:
// all) in e; a network without on-premises networks has no exposure to
// them.
func (c *comparer) exposures(e *Engine, src string, only map[*model.NetworkInterface]bool) (map[string]*Exposure, error) {
	if src == "on-premises" && !hasOnPrem(e.net) {
		return nil, nil
	}
	if only != nil && len(only) == 0 {
		return nil, nil
	}
	a, err := e.analyze(AnalyzeOptions{From: src, Ephemeral: model.PortRange{First: c.eph.Lo, Last: c.eph.Hi}}, only)
	if err != nil {
		return nil, err
	}
	out := map[string]*Exposure{}
	for _, x := range a.Exposures {
		out[x.Key] = x
	}
	return out, nil
}

// normal is what a unit compares of an exposure's headers: client ports
// that are the whole ephemeral range as any port, every destination (which
// address of the interface is used does not matter), and not the sources
// of mask (see internetMask).
func (c *comparer) normal(x *Exposure, mask hset.Set) hset.Set {
	if x == nil {
		return hset.Set{}
	}
	s := clientPortsAsAny(x.passing, c.eph).WithDst(full)
	if !mask.IsEmpty() {
		s = s.Subtract(mask)
	}
	return s
}

// units compares one interface's headers from one source in both networks.
func (c *comparer) units(src, key string, xb, xa *Exposure, mask hset.Set) []DeltaUnit {
	b, a := c.normal(xb, mask), c.normal(xa, mask)
	var out []DeltaUnit
	for _, cl := range cells(b, a) {
		u := DeltaUnit{Source: src, Key: key, Protocols: ProtocolsFrom(cl.proto.Lo, cl.proto.Hi),
			Ports: model.PortRange{First: cl.ports.Lo, Last: cl.ports.Hi}}
		ref := xa
		if ref == nil || cl.a.IsEmpty() {
			ref = xb
		}
		u.Target, u.Interface, u.Subnet, u.VPC = ref.Target, ref.Interface, ref.Subnet, ref.VPC
		u.Placeholder = xb != nil && xb.Placeholder || xa != nil && xa.Placeholder
		add, rem := cl.a.Subtract(cl.b), cl.b.Subtract(cl.a)
		switch {
		case cl.b.IsEmpty():
			u.Status = StatusNew
		case cl.a.IsEmpty():
			u.Status = StatusClosed
		case !add.IsEmpty():
			u.Status = StatusWidened
		case !rem.IsEmpty():
			u.Status = StatusNarrowed
		default:
			u.Status = StatusUnchanged
		}
		if !cl.b.IsEmpty() {
			u.Before = c.finding(src, xb, cl, c.before)
		}
		if !cl.a.IsEmpty() {
			u.After = c.finding(src, xa, cl, c.after)
		}
		// Where the whole ephemeral range gets replies, normal counts every
		// client port; what changed is judged within the range.
		add, rem = c.inRange(add), c.inRange(rem)
		// Client ports are what changed for the sources there on both
		// sides.
		u.AddedPorts = clientPorts(add.Intersect(hset.Of(srcBoxes(cl.b.Project(hset.DimSrc)...)...)))
		u.RemovedPorts = clientPorts(rem.Intersect(hset.Of(srcBoxes(cl.a.Project(hset.DimSrc)...)...)))
		// Who is added is who could send nothing before (the others only
		// gained client ports), and who is removed who can send nothing
		// after.
		addWho := subtractRanges(add.Project(hset.DimSrc), cl.b.Project(hset.DimSrc))
		remWho := subtractRanges(rem.Project(hset.DimSrc), cl.a.Project(hset.DimSrc))
		if src == SourceEstate {
			u.AddedFrom = c.owners(c.after, addWho)
			u.RemovedFrom = c.owners(c.before, remWho)
		} else {
			u.Added = c.cover(xa, addWho)
			u.Removed = c.cover(xb, remWho)
		}
		out = append(out, u)
	}
	return out
}

// clientPorts are the client ports of the TCP and UDP headers of s, when
// they are not every port: a change of which replies come back.
func clientPorts(s hset.Set) PortList {
	tu := s.Intersect(tcpUDP)
	if tu.IsEmpty() {
		return nil
	}
	got := tu.ProjectPorts(hset.DimSrcPort)
	if len(got) == 1 && got[0] == allPorts {
		return nil
	}
	return portList(got)
}

// estateUnits compares the flows between the networks' interfaces. A
// scoped walk keeps only the flows that involve an interface whose flows
// may have changed; a destination that is not one itself but whose flows
// from one did change is then analysed again from every source, so that its
// units say whether anything else still reaches it (narrowed, not closed).
// Unchanged units are kept only for the destinations analysed completely.
func (c *comparer) estateUnits(affected map[string]bool, onlyB, onlyA map[*model.NetworkInterface]bool) []DeltaUnit {
	kb, ka := c.before.Keys(), c.after.Keys()
	xb := byKey(c.before.estateFlows(c.eph, onlyB, nil, c.codes), kb)
	xa := byKey(c.after.estateFlows(c.eph, onlyA, nil, c.codes), ka)
	var out []DeltaUnit
	redo := map[string]bool{}
	for _, k := range unionKeys(xb, xa) {
		us := c.units(SourceEstate, k, xb[k], xa[k], hset.Set{})
		if affected == nil || affected[k] {
			out = append(out, us...)
			continue
		}
		if slices.ContainsFunc(us, func(u DeltaUnit) bool { return u.Status != StatusUnchanged }) {
			redo[k] = true
		}
	}
	if len(redo) == 0 {
		return out
	}
	completeOf := func(e *Engine, keys *model.Keys) map[*model.NetworkInterface]bool {
		m := map[*model.NetworkInterface]bool{}
		for _, x := range e.net.Interfaces {
			if redo[keys.Of(x.ID)] {
				m[x] = true
			}
		}
		return m
	}
	xb = byKey(c.before.estateFlows(c.eph, onlyB, completeOf(c.before, kb), c.codes), kb)
	xa = byKey(c.after.estateFlows(c.eph, onlyA, completeOf(c.after, ka), c.codes), ka)
	for _, k := range unionKeys(xb, xa) {
		if redo[k] {
			out = append(out, c.units(SourceEstate, k, xb[k], xa[k], hset.Set{})...)
		}
	}
	return out
}

// unionKeys are the keys of two maps, sorted.
func unionKeys(b, a map[string]*Exposure) []string {
	var keys []string
	for k := range b {
		keys = append(keys, k)
	}
	for k := range a {
		if b[k] == nil {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// inRange keeps of the TCP and UDP headers of s those from client ports of
// the ephemeral range.
func (c *comparer) inRange(s hset.Set) hset.Set {
	tu := s.Intersect(tcpUDP)
	if tu.IsEmpty() {
		return s
	}
	return s.Subtract(tcpUDP).Union(tu.Intersect(hset.Of(hset.Box{Src: full, Dst: full, Proto: allProto, SrcPort: c.eph, DstPort: allPorts})))
}

// cover prints sources as the exposure's findings print theirs.
func (c *comparer) cover(x *Exposure, srcs []hset.AddrRange) []netip.Prefix {
	if x == nil || len(srcs) == 0 {
		return nil
	}
	if x.care != nil {
		return x.care.cover(srcs)
	}
	return cidrs(srcs)
}

// owners names the source interfaces of a set of flows between interfaces:
// what owns each.
func (c *comparer) owners(e *Engine, srcs []hset.AddrRange) []Ref {
	var out []Ref
	for _, k := range c.codes.keysOf(srcs) {
		if x := e.byKey(k); x != nil {
			r := x.ref
			if o := e.ownerRef(x.eni); o != nil && o.Kind != "" {
				r = *o
			}
			out = append(out, r)
		}
	}
	return out
}

// byKey finds the interface node of a key.
func (e *Engine) byKey(key string) *node {
	e.keyNodesOnce.Do(func() {
		e.keyNodes = map[string]*node{}
		k := e.Keys()
		for _, x := range e.net.Interfaces {
			if n := e.eni[x.ID]; n != nil {
				e.keyNodes[k.Of(x.ID)] = n
			}
		}
	})
	return e.keyNodes[key]
}

// finding is the unit's part of an exposure, as a finding; for flows
// between interfaces, with the source interfaces' own addresses as sources.
func (c *comparer) finding(src string, x *Exposure, cl cell, e *Engine) *Finding {
	f, ok := x.finding(cl.proto, cl.ports)
	if !ok {
		return nil
	}
	// The ways through load balancers that carry part of it (the unit's
	// ports are then the listener's, as the source sends).
	onward := hset.Set{}
	for _, v := range x.vias {
		if v.set.Overlaps(f.set) {
			f.Via = append(f.Via, v.path)
			onward = onward.Union(hset.Of(hset.Box{Src: full, Dst: full, Proto: cl.proto, SrcPort: allPorts, DstPort: hset.Range16{Lo: v.path.TargetPort, Hi: v.path.TargetPort}}))
		}
	}
	if len(f.Via) > 0 {
		f.OnlyViaLoadBalancer = !x.direct.Overlaps(f.set)
		// The path goes on from the load balancer to the target's port;
		// what opens it is what lets the source reach the listener.
		f.Path = x.path(f.set.Union(onward))
		f.OpenedBy = openedBy(f.Path, f.Interface)
		if lb := openedByLB(f.Path, f.Via[0].LoadBalancer); len(lb) > 0 {
			f.OpenedBy = lb
		}
	}
	switch src {
	case SourceEstate:
		var names []string
		var addrs []netip.Prefix
		for _, k := range c.codes.keysOf(f.set.Project(hset.DimSrc)) {
			n := e.byKey(k)
			if n == nil {
				continue
			}
			name := n.ref.Label()
			if o := e.ownerRef(n.eni); o != nil && o.Kind != "" {
				name = o.Label()
			}
			names = append(names, name)
			for _, a := range slices.Concat(n.eni.PrivateIPs, n.eni.IPv6Addrs) {
				addrs = append(addrs, netip.PrefixFrom(a, a.BitLen()))
			}
		}
		f.Sources = addrs
		f.SourcesSummary = listNames(names)
		f.Destinations = nil
		f.Destinations = ifaceRanges(e, x)
	case SourceEgress:
		// The sources of an egress set are the internet hosts reached (the
		// estate's own public addresses are not internet hosts, whether
		// reached or not); the interface is where the flows come from.
		f.Destinations = ifaceRanges(e, x)
		f.SourcesSummary = x.summarize(mergeRanges(f.set.Project(hset.DimSrc), e.estatePublic))
	}
	return &f
}

// ifaceRanges are the private and IPv6 addresses of an exposure's interface.
func ifaceRanges(e *Engine, x *Exposure) []AddrRange {
	var out []AddrRange
	if n := e.eni[x.Interface.ID]; n != nil {
		for _, a := range slices.Concat(n.eni.PrivateIPs, n.eni.IPv6Addrs) {
			out = append(out, AddrRange{a, a})
		}
	}
	return out
}

func listNames(names []string) string {
	slices.Sort(names)
	names = slices.Compact(names)
	switch {
	case len(names) == 0:
		return "nothing"
	case len(names) <= 3:
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:3], ", "), len(names)-3)
}

// cell is a protocol range and a port range over which both networks'
// headers are uniform; b and a are their headers there.
type cell struct {
	proto hset.Range8
	ports hset.Range16
	b, a  hset.Set
}

// cells partitions what passes in either network into cells: the protocols
// and destination ports are cut wherever either network's headers change
// (named protocols always apart, as findings have them), then adjacent port
// ranges over which both networks let the same through are joined, and so
// are protocol runs, so that "all traffic" stays one cell when it is all
// traffic on both sides.
func cells(b, a hset.Set) []cell {
	u := b.Union(a)
	if u.IsEmpty() {
		return nil
	}
	protoCuts := []int{0, 256}
	for _, p := range namedProtocols {
		protoCuts = append(protoCuts, int(p), int(p)+1)
	}
	for _, s := range []hset.Set{b, a} {
		for _, g := range s.GroupByService() {
			protoCuts = append(protoCuts, int(g.Proto.Lo), int(g.Proto.Hi)+1)
		}
	}
	slices.Sort(protoCuts)
	protoCuts = slices.Compact(protoCuts)
	type run struct {
		proto hset.Range8
		cells []cell
	}
	var runs []run
	for i := 0; i+1 < len(protoCuts); i++ {
		pr := hset.Range8{Lo: uint8(protoCuts[i]), Hi: uint8(protoCuts[i+1] - 1)}
		pbox := hset.Box{Src: full, Dst: full, Proto: pr, SrcPort: allPorts, DstPort: allPorts}
		bp, ap := b.IntersectBox(pbox), a.IntersectBox(pbox)
		if bp.IsEmpty() && ap.IsEmpty() {
			runs = append(runs, run{proto: pr})
			continue
		}
		portCuts := []int{0, 65536}
		for _, s := range []hset.Set{bp, ap} {
			for _, g := range s.GroupByService() {
				portCuts = append(portCuts, int(g.DstPort.Lo), int(g.DstPort.Hi)+1)
			}
		}
		slices.Sort(portCuts)
		portCuts = slices.Compact(portCuts)
		var cs []cell
		for j := 0; j+1 < len(portCuts); j++ {
			d := hset.Range16{Lo: uint16(portCuts[j]), Hi: uint16(portCuts[j+1] - 1)}
			box := hset.Box{Src: full, Dst: full, Proto: pr, SrcPort: allPorts, DstPort: d}
			cl := cell{proto: pr, ports: d, b: bp.IntersectBox(box), a: ap.IntersectBox(box)}
			if cl.b.IsEmpty() && cl.a.IsEmpty() {
				continue
			}
			if n := len(cs); n > 0 && cs[n-1].ports.Hi+1 == d.Lo && sameSlice(cs[n-1].b, cl.b) && sameSlice(cs[n-1].a, cl.a) {
				cs[n-1].ports.Hi = d.Hi
				cs[n-1].b, cs[n-1].a = cs[n-1].b.Union(cl.b), cs[n-1].a.Union(cl.a)
				continue
			}
			cs = append(cs, cl)
		}
		runs = append(runs, run{proto: pr, cells: cs})
	}
	same := func(x, y run) bool {
		if len(x.cells) != len(y.cells) || len(x.cells) == 0 {
			return false
		}
		for i := range x.cells {
			p, q := x.cells[i], y.cells[i]
			if p.ports != q.ports || !sameSlice(p.b, q.b) || !sameSlice(p.a, q.a) {
				return false
			}
		}
		return true
	}
	// Every protocol alike: one run of all traffic.
	if len(runs) > 0 && !slices.ContainsFunc(runs[1:], func(r run) bool { return !same(runs[0], r) }) {
		merged := run{proto: allProto}
		for _, c := range runs[0].cells {
			merged.cells = append(merged.cells, cell{proto: allProto, ports: c.ports,
				b: withProto(c.b, allProto), a: withProto(c.a, allProto)})
		}
		runs = []run{merged}
	}
	named := func(pr hset.Range8) bool { return pr.Lo == pr.Hi && slices.Contains(namedProtocols, pr.Lo) }
	var joined []run
	for _, r := range runs {
		if n := len(joined); n > 0 && !named(r.proto) && !named(joined[n-1].proto) && same(joined[n-1], r) {
			last := &joined[n-1]
			last.proto.Hi = r.proto.Hi
			for i := range last.cells {
				last.cells[i].proto = last.proto
				last.cells[i].b = last.cells[i].b.Union(r.cells[i].b)
				last.cells[i].a = last.cells[i].a.Union(r.cells[i].a)
			}
			continue
		}
		joined = append(joined, r)
	}
	var out []cell
	for _, r := range joined {
		out = append(out, r.cells...)
	}
	return out
}

// sameSlice reports whether two cells' headers let the same through but
// for their protocol and destination port. Every header of a cell has the
// cell's protocol range and port range (both are cut where any header's
// change), so the canonical forms agree box for box on the other
// dimensions exactly when the headers do.
func sameSlice(x, y hset.Set) bool {
	if x.Len() != y.Len() {
		return false
	}
	next, stop := iter.Pull(y.All())
	defer stop()
	for a := range x.All() {
		b, _ := next()
		if a.Src != b.Src || a.Dst != b.Dst || a.SrcPort != b.SrcPort {
			return false
		}
	}
	return true
}

// withProto replaces the protocol of every header of s by r.
func withProto(s hset.Set, r hset.Range8) hset.Set {
	bs := s.Boxes()
	for i := range bs {
		bs[i].Proto = r
	}
	return hset.Of(bs...)
}

// placeholderNotes say which analysed interfaces have addresses unknown
// until apply, and what they were before.
func placeholderNotes(before, after *Engine, affected map[string]bool) []Explanation {
	var out []Explanation
	kb := before.Keys()
	prev := map[string]*model.NetworkInterface{}
	for _, x := range before.net.Interfaces {
		prev[kb.Of(x.ID)] = x
	}
	ka := after.Keys()
	for _, x := range after.net.Interfaces {
		k := ka.Of(x.ID)
		if affected != nil && !affected[k] {
			continue
		}
		var unknown []string
		for _, p := range x.PublicIPs {
			if p.Placeholder {
				unknown = append(unknown, "public address (placeholder "+p.Public.String()+")")
			}
		}
		for _, a := range x.Placeholders {
			unknown = append(unknown, "address "+a.String()+" (a placeholder)")
		}
		if len(unknown) == 0 {
			continue
		}
		msg := fmt.Sprintf("%s is not known until apply", strings.Join(unknown, " and "))
		if b := prev[k]; b != nil {
			var known []string
			for _, p := range b.PublicIPs {
				if !p.Placeholder {
					known = append(known, p.Public.String())
				}
			}
			if len(known) > 0 {
				msg += fmt.Sprintf(" (before: %s)", strings.Join(known, ", "))
			}
		}
		msg += ": its exposures are compared whatever address it gets"
		r := refOf("network-interface", &x.Meta)
		if o := after.ownerRef(x); o != nil && o.Kind != "" {
			r = *o
		}
		out = append(out, Explanation{Code: CodePlaceholderAddress, Severity: SeverityNote, Component: r, Message: msg})
	}
	return out
}

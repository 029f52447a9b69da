package reach

import (
	"hash/maphash"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Finding is one service of one exposure: a protocol and a contiguous range
// of destination ports (ICMP types for ICMP) over which the same sources get
// through, exactly.
type Finding struct {
	Target    Ref `json:"target"`
	Interface Ref `json:"interface"`
	Subnet    Ref `json:"subnet"`
	VPC       Ref `json:"vpc"`
	// Protocols is the finding's protocol, every protocol, or a run of other
	// protocols' numbers (those without a name get one finding per run).
	Protocols Protocols `json:"protocol"`
	// Ports is the inclusive destination port range: ICMP types for ICMP,
	// every port where ports do not apply.
	Ports model.PortRange `json:"ports"`
	// Sources are the source blocks that get through.
	Sources []netip.Prefix `json:"sources"`
	// SourcesSummary says the same in words: "the internet", "the internet
	// except 8.0.0.0/8", or the number of blocks.
	SourcesSummary string `json:"sources_summary"`
	// Destinations are the addresses of the target they use.
	Destinations []AddrRange `json:"destinations"`
	// Partial is set when replies come back for part of the client's
	// ephemeral ports (or of a NAT gateway's ports) only; ReturnPorts then
	// says which client ports work (empty when the part is not one of
	// client ports).
	Partial     bool     `json:"partial"`
	ReturnPorts PortList `json:"return_ports,omitempty"`
	// Path is what lets the traffic through, hop by hop, naming the rules.
	Path []PathStep `json:"path"`
	// OpenedBy are the rules that open the exposure: the target's own
	// security group rules admitting it, else (an interface without
	// security groups) the network ACL rules admitting it into the target's
	// subnet; empty when neither is on the path. The first is the one to
	// point a reader at: one written in a file when any is.
	OpenedBy []RuleRef `json:"opened_by,omitempty"`
	// Placeholder is set when the target's address is a placeholder.
	Placeholder bool `json:"placeholder,omitempty"`
	// Via is set when the target is reached through a load balancer: the
	// listener the source connects to and the target group that sends to
	// the target. Ports are then the target's (the target group's port),
	// and Destinations and the headers the load balancer's addresses the
	// source sends to.
	Via []LoadBalancing `json:"via,omitempty"`
	// OnlyViaLoadBalancer is set when the target is reachable from the
	// source through load balancers only (see Exposure).
	OnlyViaLoadBalancer bool `json:"only_via_load_balancer,omitempty"`
	// Listeners are, for a load balancer's own finding, the listeners
	// that accept its traffic and where they forward it.
	Listeners []LoadBalancing `json:"listeners,omitempty"`
	// Key is the interface's stable key (model.Keys), which identifies the
	// finding's target across a configuration, its plan and its state.
	Key string `json:"key"`
	// Notes qualify the finding.
	Notes []Explanation `json:"notes,omitempty"`

	set hset.Set
}

// Headers returns the exact headers of the finding, as they leave the
// source.
func (f *Finding) Headers() hset.Set { return f.set }

// PathStep is one decision on the path of a finding.
type PathStep struct {
	// Direction is the leg: the request (forward) or the reply (return).
	Direction Leg       `json:"direction"`
	Kind      StepKind  `json:"kind"`
	Component Ref       `json:"component"`
	Decision  Decision  `json:"decision"`
	Rules     []RuleRef `json:"rules,omitempty"`
	Detail    string    `json:"detail,omitempty"`
}

// namedProtocols get findings of their own; the rest of a protocol range is
// reported by number.
var namedProtocols = []uint8{1, 6, 17, 58}

// Findings splits the exposure into findings: one per protocol and maximal
// destination-port range over which the rest of the headers is the same, of
// what addresses the interface itself; then one per protocol of each load
// balancer path that reaches it, with the target's port.
func (x *Exposure) Findings() []Finding {
	out := x.findings(x.direct, nil)
	for _, v := range x.vias {
		out = append(out, x.findings(v.set, &v.path)...)
	}
	return out
}

func (x *Exposure) findings(all hset.Set, via *LoadBalancing) []Finding {
	var out []Finding
	groups := clientPortsAsAny(all, x.eph).GroupByService()
	if via != nil {
		// One finding per protocol: the listener's port is the path's.
		groups = clientPortsAsAny(all.WithDstPort(allPorts), x.eph).GroupByService()
	}
	for _, g := range groups {
		for _, pr := range splitProtocols(g.Proto) {
			if f, ok := x.findingOf(all, pr, g.DstPort, via); ok {
				out = append(out, f)
			}
		}
	}
	return out
}

// finding is the finding of the exposure's headers of protocols pr to ports,
// through the interface's own addresses and load balancers alike; false when
// none passes.
func (x *Exposure) finding(pr hset.Range8, ports hset.Range16) (Finding, bool) {
	return x.findingOf(x.passing, pr, ports, nil)
}

// findingOf is the finding of the headers of all of protocols pr to ports,
// which come through the load balancer path via when it is set.
func (x *Exposure) findingOf(all hset.Set, pr hset.Range8, ports hset.Range16, via *LoadBalancing) (Finding, bool) {
	box := hset.Box{Src: full, Dst: full, Proto: pr, SrcPort: allPorts, DstPort: ports}
	set := all.IntersectBox(box)
	if set.IsEmpty() {
		return Finding{}, false
	}
	f := Finding{Target: x.Target, Interface: x.Interface, Subnet: x.Subnet, VPC: x.VPC,
		Protocols: ProtocolsFrom(pr.Lo, pr.Hi), Ports: model.PortRange{First: ports.Lo, Last: ports.Hi}, Placeholder: x.Placeholder, Key: x.Key, set: set}
	onward := hset.Set{}
	if via != nil {
		f.Via = []LoadBalancing{*via}
		f.OnlyViaLoadBalancer = x.OnlyViaLoadBalancer
		f.Ports = model.PortRange{First: via.TargetPort, Last: via.TargetPort}
		onward = hset.Of(hset.Box{Src: full, Dst: full, Proto: pr, SrcPort: allPorts, DstPort: hset.Range16{Lo: via.TargetPort, Hi: via.TargetPort}})
	}
	f.Listeners = x.listenersOf(f.Protocols, f.Ports)
	srcs := set.Project(hset.DimSrc)
	if x.care != nil {
		f.Sources = x.care.cover(srcs)
	} else {
		f.Sources = cidrs(srcs)
	}
	f.SourcesSummary = x.summarize(srcs)
	for _, r := range set.Project(hset.DimDst) {
		f.Destinations = append(f.Destinations, blocksOf(r)...)
	}
	if pr.Lo == 6 && pr.Hi == 6 || pr.Lo == 17 && pr.Hi == 17 {
		got := set.ProjectPorts(hset.DimSrcPort)
		if len(got) != 1 || got[0] != x.eph {
			f.Partial, f.ReturnPorts = true, portList(got)
		}
	}
	if len(x.warnings) > 0 {
		f.Partial = true
		f.Notes = slices.Clone(x.warnings)
	}
	f.Path = x.path(set.Union(onward))
	f.OpenedBy = openedBy(f.Path, f.Interface)
	if via != nil {
		// Through a load balancer, what opens the exposure is what lets the
		// source reach the listener.
		if lb := openedByLB(f.Path, via.LoadBalancer); len(lb) > 0 {
			f.OpenedBy = lb
		}
	}
	f.Notes = append(f.Notes, findingCaveats(&f)...)
	return f, true
}

// splitProtocols gives each named protocol in r its own range and keeps the
// others as runs; the whole range stays whole.
func splitProtocols(r hset.Range8) []hset.Range8 {
	if r.Lo == 0 && r.Hi == 255 {
		return []hset.Range8{r}
	}
	var out []hset.Range8
	lo := int(r.Lo)
	for _, p := range namedProtocols {
		if p < r.Lo || p > r.Hi {
			continue
		}
		if lo < int(p) {
			out = append(out, hset.Range8{Lo: uint8(lo), Hi: p - 1})
		}
		out = append(out, hset.Range8{Lo: p, Hi: p})
		lo = int(p) + 1
	}
	if lo <= int(r.Hi) {
		out = append(out, hset.Range8{Lo: uint8(lo), Hi: r.Hi})
	}
	return out
}

// path names the decisions that let set through: the steps of the forward
// paths and of the replies whose headers overlap the finding's service,
// each with only the rules that matter to it. Addresses change along a path
// (NAT), the protocol and the service port do not, so relevance is judged on
// those.
func (x *Exposure) path(set hset.Set) []PathStep {
	svc := hset.Box{Src: full, Dst: full, SrcPort: allPorts, DstPort: allPorts}
	protos := set.Project(hset.DimProto)
	ports := set.ProjectPorts(hset.DimDstPort)
	var fwdKeys, retKeys []hset.Box
	for _, p := range protos {
		for _, d := range ports {
			b := svc
			b.Proto = hset.Range8{Lo: uint8(p.Lo.Lo), Hi: uint8(p.Hi.Lo)}
			b.DstPort = d
			fwdKeys = append(fwdKeys, b)
			r := b
			r.SrcPort, r.DstPort = d, allPorts
			if b.Proto.Lo == 1 || b.Proto.Lo == 58 {
				r.SrcPort, r.DstPort = allPorts, allPorts // ICMP replies change type
			}
			retKeys = append(retKeys, r)
		}
	}
	relevant := func(s hset.Set, keys []hset.Box) bool {
		return slices.ContainsFunc(keys, s.OverlapsBox)
	}
	steps := x.steps()
	out := make([]PathStep, 0, len(steps))
	for _, rec := range steps {
		keys := fwdKeys
		if rec.dir == LegReturn {
			keys = retKeys
		}
		st := rec.step
		ps := PathStep{Direction: rec.dir, Kind: st.Kind, Component: st.Component, Decision: st.Decision, Detail: st.Detail}
		n := 0
		for i := range st.Rules {
			if i >= len(st.sets) || relevant(st.sets[i], keys) {
				n++
			}
		}
		if len(st.Rules) > 0 && n == 0 {
			continue
		}
		if n > 0 {
			ps.Rules = make([]RuleRef, 0, n)
			for i, r := range st.Rules {
				if i >= len(st.sets) || relevant(st.sets[i], keys) {
					ps.Rules = append(ps.Rules, r)
				}
			}
		}
		// Steps that differ only in rules irrelevant here read the same.
		v := ps.view()
		if slices.ContainsFunc(out, func(o PathStep) bool { return o.view().same(v) }) {
			continue
		}
		out = append(out, ps)
	}
	// Several paths (through each node of a load balancer, say) read
	// forward first, then return.
	slices.SortStableFunc(out, func(a, b PathStep) int { return int(a.Direction) - int(b.Direction) })
	return out
}

// stepView is what tells decisions apart in a path: two read the same when
// they are on the same leg, of the same kind, at components of the same
// name, with the same decision and detail and the same rules (by text and
// location) in order.
type stepView struct {
	dir      Leg
	kind     StepKind
	comp     *Ref
	decision Decision
	detail   string
	rules    []RuleRef
}

func (ps *PathStep) view() stepView {
	return stepView{ps.Direction, ps.Kind, &ps.Component, ps.Decision, ps.Detail, ps.Rules}
}

func (st *Step) view(dir Leg) stepView {
	return stepView{dir, st.Kind, &st.Component, st.Decision, st.Detail, st.Rules}
}

func (a stepView) same(b stepView) bool {
	return a.dir == b.dir && a.kind == b.kind && a.decision == b.decision && a.detail == b.detail &&
		a.comp.Label() == b.comp.Label() && slices.EqualFunc(a.rules, b.rules, sameRule)
}

func sameRule(a, b RuleRef) bool { return a.Text == b.Text && (a == b || a.Where() == b.Where()) }

// key is a hash key for the view: views that are the same have equal keys.
func (a stepView) key() stepKey {
	var h maphash.Hash
	h.SetSeed(ruleSeed)
	for i := range a.rules {
		h.WriteString(a.rules[i].Text)
		h.WriteByte(0)
	}
	return stepKey{a.dir, a.kind, a.decision, a.comp.Label(), a.detail, len(a.rules), h.Sum64()}
}

type stepKey struct {
	dir       Leg
	kind      StepKind
	decision  Decision
	comp      string
	detail    string
	rules     int
	ruleTexts uint64
}

var ruleSeed = maphash.MakeSeed()

// footprint keeps of s what decides which findings a rule matters to: the
// protocol and the service port (the destination port forward, the source
// port of a reply).
func footprint(s hset.Set, dir Leg) hset.Set {
	var boxes []hset.Box
	for _, g := range s.GroupByService() {
		b := hset.Box{Src: full, Dst: full, Proto: g.Proto, SrcPort: allPorts, DstPort: g.DstPort}
		if dir != LegReturn {
			boxes = append(boxes, b)
			continue
		}
		b.DstPort = allPorts
		for _, p := range g.Rest.ProjectPorts(hset.DimSrcPort) {
			b.SrcPort = p
			boxes = append(boxes, b)
		}
	}
	return hset.Of(boxes...)
}

// stepRec is a decision on one of an exposure's paths.
type stepRec struct {
	dir  Leg
	step *Step
}

// digest is what an exposure keeps of the paths that carried its traffic:
// the distinct decisions, forward and return, in path order, each rule with
// the footprint of what it decided (see footprint), and the nodes crossed.
// Keeping only this, instead of the paths with every hop's headers, keeps a
// large analysis small in memory.
type digest struct {
	steps []stepRec
	// keys finds the last step recorded under a key; next chains, per
	// step, the earlier ones under the same key.
	keys  map[stepKey]int
	next  []int
	nodes []string
	seen  map[string]bool
}

// addStep records a decision; the same decision on another path adds its
// footprints to the record.
func (d *digest) addStep(dir Leg, st *Step, fp func(hset.Set) hset.Set) {
	if d.keys == nil {
		d.keys = map[stepKey]int{}
	}
	v := st.view(dir)
	k := v.key()
	head, ok := d.keys[k]
	for j := head; ok && j >= 0; j = d.next[j] {
		merged := d.steps[j].step
		if !merged.view(d.steps[j].dir).same(v) {
			continue
		}
		for r := range merged.sets {
			if r < len(st.sets) {
				merged.sets[r] = merged.sets[r].Union(fp(st.sets[r]))
			}
		}
		return
	}
	if !ok {
		head = -1
	}
	d.keys[k] = len(d.steps)
	d.next = append(d.next, head)
	cp := *st
	cp.sets = make([]hset.Set, len(st.sets))
	for r := range st.sets {
		cp.sets[r] = fp(st.sets[r])
	}
	d.steps = append(d.steps, stepRec{dir, &cp})
}

// addFlow records the decisions on a flow's path, and for the forward
// direction the nodes it crossed.
func (d *digest) addFlow(dir Leg, f flow) {
	var evs []*event
	for ev := f.trail; ev != nil; ev = ev.prev {
		evs = append(evs, ev)
	}
	for i := len(evs) - 1; i >= 0; i-- {
		ev := evs[i]
		if ev.node != nil && dir == LegForward {
			d.addNode(ev.node.topoID())
		}
		if ev.step != nil {
			d.addStep(dir, ev.step, func(s hset.Set) hset.Set { return footprint(s, dir) })
		}
	}
}

// merge adds another digest's records (already footprints).
func (d *digest) merge(o *digest) {
	for _, rec := range o.steps {
		d.addStep(rec.dir, rec.step, func(s hset.Set) hset.Set { return s })
	}
	for _, id := range o.nodes {
		d.addNode(id)
	}
}

// addNode records a node crossed forward, once.
func (d *digest) addNode(id string) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if !d.seen[id] {
		d.seen[id] = true
		d.nodes = append(d.nodes, id)
	}
}

// steps lists the distinct decisions on the exposure's paths.
func (x *Exposure) steps() []stepRec { return x.digest.steps }

// pathRefs are the components every path of the exposure depends on.
func (x *Exposure) pathRefs() []Ref {
	var refs []Ref
	for _, rec := range x.steps() {
		refs = append(refs, stepRefs(rec.step)...)
	}
	return refs
}

func cidrs(rs []hset.AddrRange) []netip.Prefix {
	var out []netip.Prefix
	for _, r := range rs {
		out = append(out, r.Prefixes()...)
	}
	return out
}

// openedBy picks the rules that open an exposure whose forward path is path
// and whose interface is iface: the interface's own security group rules
// admitting the traffic (the security group step at the interface: the
// source's egress rules are steps of other interfaces), else the network ACL
// rules admitting it into the target's subnet (the last ACL on the forward
// path), for an interface without security groups, such as a NAT
// gateway's. Rules written in a file come first.
func openedBy(path []PathStep, iface Ref) []RuleRef {
	pick := func(s PathStep) []RuleRef {
		out := slices.Clone(s.Rules)
		slices.SortStableFunc(out, func(a, b RuleRef) int {
			switch {
			case a.Pos.File != "" && b.Pos.File == "":
				return -1
			case a.Pos.File == "" && b.Pos.File != "":
				return 1
			}
			return 0
		})
		return out
	}
	for _, s := range path {
		if s.Direction == LegForward && s.Kind == StepSecurityGroup && s.Decision == DecisionAllow && s.Component == iface && len(s.Rules) > 0 {
			return pick(s)
		}
	}
	for i := len(path) - 1; i >= 0; i-- {
		s := path[i]
		if s.Direction == LegForward && s.Kind == StepNetworkACL && s.Decision == DecisionAllow && len(s.Rules) > 0 {
			return pick(s)
		}
	}
	return nil
}

// openedByLB is openedBy for a finding through a load balancer: the rules
// of the load balancer's groups admitting the client (the last security
// group decision before the load balancer forwards), else the network ACL
// rules admitting it into the load balancer's subnet.
func openedByLB(path []PathStep, lb Ref) []RuleRef {
	var sg, acl []RuleRef
	for _, s := range path {
		switch {
		case s.Direction != LegForward:
		case s.Kind == StepTranslate && s.Decision == DecisionLoadBalance && s.Component == lb:
			if len(sg) > 0 {
				return sg
			}
			return acl
		case s.Kind == StepSecurityGroup && s.Decision == DecisionAllow && len(s.Rules) > 0:
			sg = slices.Clone(s.Rules)
		case s.Kind == StepNetworkACL && s.Decision == DecisionAllow && len(s.Rules) > 0:
			acl = slices.Clone(s.Rules)
		}
	}
	return nil
}

// listenersOf are the load balancer's listeners (the exposure is a node's)
// that take protocol p on ports.
func (x *Exposure) listenersOf(p Protocols, ports model.PortRange) []LoadBalancing {
	var out []LoadBalancing
	for _, l := range x.listeners {
		tcp, udp, _, _ := model.ProtocolTransport(l.Protocol)
		if ports.Contains(l.Port) && (tcp && p.Contains(model.ProtocolTCP) || udp && p.Contains(model.ProtocolUDP)) {
			out = append(out, l)
		}
	}
	return out
}

// summarize describes a source list relative to the internet when it is
// part of it.
func (x *Exposure) summarize(srcs []hset.AddrRange) string {
	if x.care == nil {
		return blocks(cidrs(srcs), "")
	}
	var inet []hset.AddrRange
	for _, r := range x.care.base {
		if x.care.family(srcs, r) {
			inet = append(inet, r)
		}
	}
	missing := subtractRanges(inet, srcs)
	cover := x.care.cover(missing)
	switch {
	case len(cover) == 0:
		return "the internet"
	case len(cover) <= 8:
		ss := make([]string, len(cover))
		for i, p := range cover {
			ss[i] = p.String()
		}
		return "the internet except " + strings.Join(ss, ", ")
	}
	return blocks(x.care.cover(srcs), " of the internet")
}

// blocks lists up to three blocks, else counts them.
func blocks(ps []netip.Prefix, of string) string {
	switch {
	case len(ps) == 0:
		return "nothing"
	case len(ps) <= 3:
		ss := make([]string, len(ps))
		for i, p := range ps {
			ss[i] = p.String()
		}
		return strings.Join(ss, ", ")
	}
	return strconv.Itoa(len(ps)) + " blocks" + of
}

// clientPortsAsAny widens the client (source) ports of TCP and UDP headers to
// every port where they are the whole ephemeral range: there they say
// nothing about the service, and keeping them would stop a rule that opens
// every protocol from reading as one "all" finding. Where only part of the
// range gets replies, the ports stay, so that part groups apart.
func clientPortsAsAny(s hset.Set, eph hset.Range16) hset.Set {
	tu := s.Intersect(tcpUDP)
	if tu.IsEmpty() {
		return s
	}
	var boxes []hset.Box
	for _, b := range tu.Boxes() {
		if b.SrcPort == eph {
			b.SrcPort = allPorts
		}
		boxes = append(boxes, b)
	}
	return s.Subtract(tcpUDP).Union(hset.Of(boxes...))
}

// careSpace is the address space a source list is judged in: base less the
// don't-care holes. Prefixes printed for a list may include don't-care
// addresses, which keeps lists short: the internet's sources never include
// the estate's own public addresses, and leaving them out of every CIDR
// would split each list into thousands of blocks.
type careSpace struct {
	base, holes []hset.AddrRange
	// care is base less holes, per family: IPv4 (inside the IPv4-mapped
	// block) and IPv6 (outside it), sorted.
	care4, care6 []hset.AddrRange
	memo         sync.Map // string(ranges) -> []netip.Prefix
}

// fresh returns the same space with an empty memo.
func (c *careSpace) fresh() *careSpace {
	return &careSpace{base: c.base, holes: c.holes, care4: c.care4, care6: c.care6}
}

func newCareSpace(base, holes []hset.AddrRange) *careSpace {
	c := &careSpace{base: base, holes: holes}
	care := subtractRanges(base, holes)
	c.care4 = intersectRanges(care, v4Block)
	c.care6 = subtractRanges(care, []hset.AddrRange{v4Block})
	return c
}

// family reports whether r is of the same address family as some of srcs.
func (c *careSpace) family(srcs []hset.AddrRange, r hset.AddrRange) bool {
	is4 := func(a hset.AddrRange) bool { return !a.Lo.Less(v4Block.Lo) && !v4Block.Hi.Less(a.Hi) }
	for _, s := range srcs {
		if is4(s) == is4(r) {
			return true
		}
	}
	return false
}

// cover returns the fewest prefixes, largest first, that contain s and
// nothing else of the care space. A prefix qualifies when every cared-for
// address in it is in s: the gaps of s within the prefix (few, as s is a
// short list) must hold no cared-for address, which a binary search in the
// sorted care ranges decides.
func (c *careSpace) cover(s []hset.AddrRange) []netip.Prefix {
	if len(s) == 0 {
		return nil
	}
	key := rangesKey(s)
	if v, ok := c.memo.Load(key); ok {
		return v.([]netip.Prefix)
	}
	var out []netip.Prefix
	families := []struct {
		roots []string
		s     []hset.AddrRange
		care  []hset.AddrRange
	}{
		{[]string{"::ffff:0:0/96"}, intersectRanges(s, v4Block), c.care4},
		{[]string{"::/1", "8000::/1"}, subtractRanges(s, []hset.AddrRange{v4Block}), c.care6},
	}
	for _, fam := range families {
		var walk func(p netip.Prefix)
		walk = func(p netip.Prefix) {
			r := rawPrefixRange(p)
			if !overlapsAny(fam.s, r) {
				return
			}
			covered := true
			for _, gap := range subtractRanges([]hset.AddrRange{r}, intersectRanges(fam.s, r)) {
				if overlapsAny(fam.care, gap) {
					covered = false
					break
				}
			}
			if covered {
				if p.Addr().Is4In6() && p.Bits() >= 96 {
					p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-96)
				}
				out = append(out, p)
				return
			}
			lo := netip.PrefixFrom(p.Addr(), p.Bits()+1)
			walk(lo)
			walk(netip.PrefixFrom(addr16(rawPrefixRange(lo).Hi.Next()), p.Bits()+1))
		}
		for _, root := range fam.roots {
			walk(netip.MustParsePrefix(root))
		}
	}
	c.memo.Store(key, out)
	return out
}

func rangesKey(rs []hset.AddrRange) string {
	b := make([]byte, 0, len(rs)*32)
	for _, r := range rs {
		for _, a := range []hset.Addr{r.Lo, r.Hi} {
			for i := 56; i >= 0; i -= 8 {
				b = append(b, byte(a.Hi>>i))
			}
			for i := 56; i >= 0; i -= 8 {
				b = append(b, byte(a.Lo>>i))
			}
		}
	}
	return string(b)
}

func overlapsAny(rs []hset.AddrRange, r hset.AddrRange) bool {
	i := sortSearchRanges(rs, r.Lo)
	return i < len(rs) && !r.Hi.Less(rs[i].Lo)
}

// sortSearchRanges returns the first range of rs that ends at or after a.
func sortSearchRanges(rs []hset.AddrRange, a hset.Addr) int {
	lo, hi := 0, len(rs)
	for lo < hi {
		m := (lo + hi) / 2
		if rs[m].Hi.Less(a) {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

func intersectRanges(rs []hset.AddrRange, r hset.AddrRange) []hset.AddrRange {
	var out []hset.AddrRange
	for i := sortSearchRanges(rs, r.Lo); i < len(rs) && !r.Hi.Less(rs[i].Lo); i++ {
		out = append(out, hset.AddrRange{Lo: maxAddr(rs[i].Lo, r.Lo), Hi: minAddr(rs[i].Hi, r.Hi)})
	}
	return out
}

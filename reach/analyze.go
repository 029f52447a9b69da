package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// AnalyzeOptions says what to analyze.
type AnalyzeOptions struct {
	// From names the traffic's source: "" or "internet" (every public
	// address), "on-premises" (every VPN connection's networks), a CIDR or
	// an IP address, or an element of the network (an instance, a network
	// interface, a subnet, a security group, a VPC) standing for its
	// interfaces.
	From string
	// Ephemeral is the client port range assumed for replies; the zero value
	// means model.DefaultEphemeral.
	Ephemeral model.PortRange

	// perAddress walks every public address, none derived from another's
	// walk (see transplant): for the tests that hold the two ways equal.
	perAddress bool
	// ExcludeSelf leaves out, for a source that is an element of the network
	// or a CIDR, what it reaches among its own interfaces. By default the
	// analysis answers "what can it reach", its own interfaces included
	// (the app tier from the bastion when both are in the VPC named); an
	// interface never counts as reaching itself.
	ExcludeSelf bool
	// Progress, when set, is called as the analysis advances, from any
	// goroutine, with the walks done so far and their total.
	Progress func(done, total int)
}

// Analysis is every flow from a source that reaches an interface of the
// network and gets its replies back, exactly.
type Analysis struct {
	// Source describes where the traffic comes from.
	Source string `json:"source"`
	// Exposures are the interfaces reached, sorted by target.
	Exposures []*Exposure `json:"exposures"`
	// Notes are what the answer assumes (unknown prefix-list entries,
	// placeholder addresses).
	Notes []Explanation `json:"notes"`

	// derived counts the walks derived from others' (see transplant).
	derived int
}

// Exposure is one interface and everything that reaches it from the source.
type Exposure struct {
	// Target is what owns the interface (an instance, an endpoint, a NAT
	// gateway), or the interface itself when nothing does.
	Target    Ref `json:"target"`
	Interface Ref `json:"interface"`
	Subnet    Ref `json:"subnet"`
	VPC       Ref `json:"vpc"`
	// Placeholder is set when an address of the interface is a placeholder.
	Placeholder bool `json:"placeholder,omitempty"`
	// OnlyViaLoadBalancer is set when the interface is reached only
	// through load balancers: the source cannot address it directly.
	OnlyViaLoadBalancer bool `json:"only_via_load_balancer,omitempty"`
	// Key is the interface's stable key (model.Keys): the same in a
	// configuration, its plan and its state.
	Key string `json:"key"`

	// passing is the headers that reach the interface and whose replies come
	// back, as they leave the source (so the destination is the address the
	// source used, a public one from the internet); direct is the part that
	// addresses the interface itself, vias the parts that reach it through
	// load balancers, by path.
	passing hset.Set
	direct  hset.Set
	vias    []*viaPart
	// listeners are, for a load balancer's node, the ways its listeners
	// forward (see Finding.Listeners).
	listeners []LoadBalancing
	// digest is what is kept of the paths that carried them.
	digest digest
	// warnings qualify them (a NAT port range partly answered).
	warnings []Explanation
	eph      hset.Range16
	// care is, when the source is the internet, the space its sources are
	// judged in (for printing them as few CIDRs).
	care *careSpace
}

// Passing returns the exact headers of the exposure, as they leave the
// source.
func (x *Exposure) Passing() hset.Set { return x.passing }

// Analyze computes every flow from the source in opts that reaches an
// interface of the network and gets its replies back. It uses the same graph
// and the same compiled rules as Trace.
func (e *Engine) Analyze(opts AnalyzeOptions) (*Analysis, error) {
	return e.analyze(opts, nil)
}

// analyze is Analyze for the interfaces of only (nil: every interface): the
// walks carry only the headers addressed to them (see restrictStarts).
func (e *Engine) analyze(opts AnalyzeOptions, only map[*model.NetworkInterface]bool) (*Analysis, error) {
	eph := opts.Ephemeral
	if eph == (model.PortRange{}) {
		eph = model.DefaultEphemeral
	}
	src, err := e.analysisSource(opts.From, hset.Range16{Lo: eph.First, Hi: eph.Last})
	if err != nil {
		return nil, err
	}
	if only != nil {
		src.starts = e.restrictStarts(src.starts, only)
	}
	a := &Analysis{Source: src.name, Notes: e.Notes()}
	// Every start is walked on its own, in parallel; the results are then
	// merged in start order, so the answer does not depend on scheduling.
	// Starts to public addresses of interfaces of one class are walked
	// once and the others derived from that walk (see transplant), or
	// walked when that cannot be vouched for.
	results := make([][]arrival, len(src.starts))
	var done atomic.Int64
	self := src.self
	if !opts.ExcludeSelf {
		self = nil
	}
	step := func() {
		if opts.Progress != nil {
			opts.Progress(int(done.Add(1)), len(src.starts))
		}
	}
	rep := e.groupStarts(src.starts)
	if opts.perAddress {
		for i := range rep {
			rep[i] = i
		}
	}
	var walked, derived []int
	for i, r := range rep {
		if r == i {
			walked = append(walked, i)
		} else {
			derived = append(derived, i)
		}
	}
	parallel(len(walked), func(k int) {
		i := walked[k]
		results[i] = e.arrivals(src.starts[i], self)
		step()
	})
	parallel(len(derived), func(k int) {
		i := derived[k]
		var ok bool
		if results[i], ok = e.transplant(results[rep[i]], src.starts[rep[i]].public, src.starts[i].public); !ok {
			results[i] = e.arrivals(src.starts[i], self)
			rep[i] = i
		}
		step()
	})
	for i, r := range rep {
		if r != i {
			a.derived++
		}
	}
	byENI := map[*model.NetworkInterface]*Exposure{}
	// The engine's care space is shared; the memo of its covers is this
	// analysis's own, so that a query writes nothing the engine holds.
	var care *careSpace
	if src.name == "internet" {
		care = e.care.fresh()
	}
	for _, rs := range results {
		for _, r := range rs {
			if only != nil && !only[r.eni] {
				continue
			}
			x := byENI[r.eni]
			if x == nil {
				x = e.newExposure(e.eni[r.eni.ID])
				x.eph = hset.Range16{Lo: eph.First, Hi: eph.Last}
				x.care = care
				byENI[r.eni] = x
			}
			x.passing = x.passing.Union(r.passing)
			x.addPart(r.via, r.passing)
			x.digest.merge(&r.digest)
			x.warnings = append(x.warnings, r.warnings...)
		}
	}
	for _, x := range byENI {
		x.warnings = dedupe(x.warnings)
		x.OnlyViaLoadBalancer = x.direct.IsEmpty() && len(x.vias) > 0
		a.Exposures = append(a.Exposures, x)
	}
	slices.SortFunc(a.Exposures, func(x, y *Exposure) int {
		return cmp.Or(cmp.Compare(x.Target.Label(), y.Target.Label()), cmp.Compare(x.Interface.Label(), y.Interface.Label()))
	})
	if a.Exposures == nil {
		a.Exposures = []*Exposure{}
	}
	if a.Notes == nil {
		a.Notes = []Explanation{}
	}
	return a, nil
}

func (e *Engine) newExposure(n *node) *Exposure {
	x := &Exposure{Interface: n.ref, Target: n.ref, Key: e.Keys().Of(n.eni.ID)}
	if o := e.ownerRef(n.eni); o != nil && o.Kind != "" {
		x.Target = *o
	}
	if n.subnet != nil {
		x.Subnet = refOf("subnet", &n.subnet.Meta)
	}
	if n.vpc != nil {
		x.VPC = refOf("vpc", &n.vpc.Meta)
	}
	x.Placeholder = len(n.eni.Placeholders) > 0 || slices.ContainsFunc(n.eni.PublicIPs, func(p model.PublicIP) bool { return p.Placeholder })
	if n.kind == nodeLB {
		x.listeners = n.lb.forwards()
	}
	return x
}

// arrival is one forward flow that reached an interface, with the replies
// that came back.
type arrival struct {
	eni      *model.NetworkInterface
	passing  hset.Set
	digest   digest
	warnings []Explanation
	// via is the load balancer route the flow came through; nil when it
	// addressed the interface itself.
	via *lbRoute
}

// arrivals walks one start forward to every interface it reaches and each
// reached flow's replies back. The interfaces in exclude are not
// exposures, nor is the start's own.
func (e *Engine) arrivals(st analysisStart, exclude map[*model.NetworkInterface]bool) []arrival {
	var out []arrival
	fc := e.walk(st.nodes, flow{set: st.set}, true)
	for _, r := range fc.reached {
		var via *lbRoute
		if s := r.f.lbSession(); s != nil {
			via = s.lb
		}
		// The internet, on-premises and the sources themselves are not
		// exposures (an interface never counts as reaching itself); but
		// what a Network Load Balancer passes back to a source is the load
		// balancer's.
		if r.t.kind != nodeENI && r.t.kind != nodeLB || (exclude[r.t.eni] || st.matches(r.t)) && (via == nil || via.proxy) {
			continue
		}
		rt := e.roundTrip(r.t, r.f, st.set, st.matches, false)
		ar := arrival{eni: r.t.eni, passing: rt.passing, warnings: rt.warnings, via: via}
		backs := rt.home
		if !ar.passing.IsEmpty() {
			ar.digest.addFlow(LegForward, r.f)
			for _, b := range backs {
				ar.digest.addFlow(LegReturn, b)
			}
			if !exclude[r.t.eni] && !st.matches(r.t) {
				out = append(out, ar)
			}
			// A Network Load Balancer answers only through its targets:
			// what one of them answers, its node is exposed to.
			if v := ar.via; v != nil && !v.proxy && !exclude[v.n.eni] && !st.matches(v.n) {
				lb := ar
				lb.eni, lb.via = v.n.eni, nil
				out = append(out, lb)
			}
		}
	}
	return out
}

// parallel calls f(0) … f(n-1) on as many goroutines as there are
// processors.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n; i++ {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
}

// AllFindings returns the findings of every exposure, computed in parallel,
// in the order of Exposures.
func (a *Analysis) AllFindings() [][]Finding {
	out := make([][]Finding, len(a.Exposures))
	parallel(len(a.Exposures), func(i int) { out[i] = a.Exposures[i].Findings() })
	return out
}

// analysisStart is one walk of an analysis: where it starts, with which
// headers, and which terminals count as the source for its replies.
type analysisStart struct {
	nodes   []*node
	set     hset.Set
	matches func(*node) bool
	// public is set for a start from the internet to a public address of
	// an interface of a class.
	public *publicStart
}

type analysisSource struct {
	name   string
	starts []analysisStart
	// self are the source's own interfaces, which are exposures only
	// without AnalyzeOptions.ExcludeSelf.
	self map[*model.NetworkInterface]bool
}

// every is every header from the given sources, with the client's ephemeral
// ports, to any destination of the same family.
// Only TCP and UDP have client ports; other protocols carry anything (ICMP
// codes, or nothing) in that field.
func every(srcs []hset.AddrRange, eph hset.Range16) hset.Set {
	var boxes []hset.Box
	for _, pr := range []hset.Range8{{Lo: 0, Hi: 5}, {Lo: 7, Hi: 16}, {Lo: 18, Hi: 255}} {
		boxes = append(boxes, ruleBoxes(model.Ingress, srcs, hset.Box{Proto: pr, SrcPort: allPorts, DstPort: allPorts})...)
	}
	for _, p := range []uint8{6, 17} {
		boxes = append(boxes, ruleBoxes(model.Ingress, srcs, hset.Box{Proto: hset.Range8{Lo: p, Hi: p}, SrcPort: eph, DstPort: allPorts})...)
	}
	return hset.Of(boxes...)
}

func (e *Engine) analysisSource(from string, eph hset.Range16) (*analysisSource, error) {
	from = strings.TrimSpace(from)
	s := &analysisSource{self: map[*model.NetworkInterface]bool{}}
	isInternet := func(t *node) bool { return t.kind == nodeInternet }
	switch {
	case from == "" || strings.EqualFold(from, "internet"):
		// From the internet only the estate's public addresses and IPv6
		// blocks can be reached; other destinations are hosts on the
		// internet, which no exposure is about.
		// One walk per destination keeps every set small: a product of the
		// internet's ranges with thousands of addresses would not be.
		s.name = "internet"
		all := every(e.internetSpace, eph)
		for _, d := range e.inboundSpace() {
			set := all.IntersectBox(hset.Box{Src: full, Dst: d, Proto: allProto, SrcPort: allPorts, DstPort: allPorts})
			if !set.IsEmpty() {
				st := analysisStart{nodes: []*node{e.internet}, set: set, matches: isInternet}
				if d.Lo == d.Hi {
					st.public = e.publicStartOf(d.Lo)
				}
				s.starts = append(s.starts, st)
			}
		}
		return s, nil
	case strings.EqualFold(from, "on-premises"):
		s.name = "on-premises"
		for _, c := range e.net.VPNConnections {
			on := e.onprem[c.ID]
			var rs []hset.AddrRange
			for _, p := range c.OnPremCIDRs {
				rs = append(rs, prefixRanges(p)...)
			}
			if len(rs) > 0 {
				s.starts = append(s.starts, analysisStart{nodes: []*node{on}, set: every(rs, eph), matches: func(t *node) bool { return t == on }})
			}
		}
		if len(s.starts) == 0 {
			return nil, fmt.Errorf("--from on-premises: the network has no VPN connection with on-premises CIDRs")
		}
		return s, nil
	}
	if p, err := parsePrefixOrAddr(from); err == nil {
		return e.cidrSource(from, p, eph)
	}
	enis, name, err := e.elementInterfaces(from)
	if err != nil {
		return nil, err
	}
	s.name = name
	for _, x := range enis {
		s.self[x] = true
		n := e.eni[x.ID]
		if n == nil || n.subnet == nil {
			continue
		}
		own := addrsRanges(slices.Concat(x.PrivateIPs, x.IPv6Addrs))
		if len(own) == 0 {
			continue
		}
		s.starts = append(s.starts, analysisStart{nodes: []*node{n}, set: every(own, eph), matches: func(t *node) bool { return t == n }})
	}
	if len(s.starts) == 0 {
		return nil, fmt.Errorf("--from %s: it has no network interface with an address", from)
	}
	return s, nil
}

func parsePrefixOrAddr(s string) (netip.Prefix, error) {
	if p, err := netip.ParsePrefix(s); err == nil {
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	a = a.Unmap()
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// cidrSource is a block of addresses as a source: its part on the internet
// sends from the internet, its part on-premises from the VPN connections
// covering it, and its part inside the network from the interfaces using it.
func (e *Engine) cidrSource(name string, p netip.Prefix, eph hset.Range16) (*analysisSource, error) {
	s := &analysisSource{name: name, self: map[*model.NetworkInterface]bool{}}
	block := prefixRanges(p)
	blockSet := hset.Of(srcBoxes(block...)...)
	inet := hset.Of(srcBoxes(e.internetSpace...)...).Intersect(blockSet)
	if !inet.IsEmpty() {
		s.starts = append(s.starts, analysisStart{nodes: []*node{e.internet}, set: every(inet.Project(hset.DimSrc), eph),
			matches: func(t *node) bool { return t.kind == nodeInternet }})
	}
	for _, c := range e.net.VPNConnections {
		on := e.onprem[c.ID]
		var rs []hset.AddrRange
		for _, q := range c.OnPremCIDRs {
			rs = append(rs, prefixRanges(q)...)
		}
		part := hset.Of(srcBoxes(rs...)...).Intersect(blockSet)
		if !part.IsEmpty() {
			s.starts = append(s.starts, analysisStart{nodes: []*node{on}, set: every(part.Project(hset.DimSrc), eph), matches: func(t *node) bool { return t == on }})
		}
	}
	for _, x := range e.net.Interfaces {
		n := e.eni[x.ID]
		if n == nil || n.subnet == nil {
			continue
		}
		var own []netip.Addr
		for _, a := range slices.Concat(x.PrivateIPs, x.IPv6Addrs) {
			if p.Contains(a) {
				own = append(own, a)
			}
		}
		if len(own) == 0 {
			continue
		}
		s.self[x] = true
		s.starts = append(s.starts, analysisStart{nodes: []*node{n}, set: every(addrsRanges(own), eph), matches: func(t *node) bool { return t == n }})
	}
	if len(s.starts) == 0 {
		return nil, fmt.Errorf("--from %s: no address of it is on the internet, on-premises or used by an interface of the network", name)
	}
	return s, nil
}

// elementInterfaces resolves an element name to the interfaces it stands for.
func (e *Engine) elementInterfaces(name string) ([]*model.NetworkInterface, string, error) {
	id := name
	if x, ok := e.ix.Addresses[name]; ok {
		id = x
	}
	var out []*model.NetworkInterface
	switch {
	case e.ix.Subnets[id] != nil:
		for _, x := range e.net.Interfaces {
			if x.SubnetID == id {
				out = append(out, x)
			}
		}
		return out, "subnet " + e.ix.Subnets[id].Label(), nil
	case e.ix.SecurityGroups[id] != nil:
		for _, x := range e.net.Interfaces {
			if slices.Contains(x.SecurityGroupIDs, id) {
				out = append(out, x)
			}
		}
		return out, "security group " + e.ix.SecurityGroups[id].Label(), nil
	case e.ix.VPCs[id] != nil:
		for _, x := range e.net.Interfaces {
			if s := e.ix.Subnets[x.SubnetID]; s != nil && s.VPCID == id {
				out = append(out, x)
			}
		}
		return out, "VPC " + e.ix.VPCs[id].Label(), nil
	}
	nm, err := e.lookup(name)
	if err != nil {
		return nil, "", fmt.Errorf("--from: %w", err)
	}
	if nm.eni == nil {
		return nil, "", fmt.Errorf("--from %s: not an element of the network with interfaces", name)
	}
	label := nm.eni.Label()
	if nm.owner != nil {
		label = nm.owner.Label()
	}
	return []*model.NetworkInterface{nm.eni}, label, nil
}

// PathNodes returns the topology IDs (see Topology) of the nodes the
// exposure's traffic crosses, forward, in order, without repeats.
func (x *Exposure) PathNodes() []string { return slices.Clone(x.digest.nodes) }

// inboundSpace is what the internet can address in the estate: each of its
// public addresses and each of its VPCs' IPv6 blocks, one range each.
func (e *Engine) inboundSpace() []hset.AddrRange {
	var out []hset.AddrRange
	for _, r := range e.estatePublic {
		for a := r.Lo; ; a = a.Next() {
			out = append(out, hset.AddrRange{Lo: a, Hi: a})
			if a == r.Hi {
				break
			}
		}
	}
	for _, v := range e.net.VPCs {
		for _, p := range v.IPv6CIDRs {
			out = append(out, prefixRanges(p)...)
		}
	}
	return out
}

// viaPart is what reaches an exposure through one load balancer path.
type viaPart struct {
	path LoadBalancing
	set  hset.Set
}

// addPart files what an arrival brought under the direct part or the part
// of its load balancer path.
func (x *Exposure) addPart(via *lbRoute, set hset.Set) {
	if via == nil {
		x.direct = x.direct.Union(set)
		return
	}
	k := via.via.key()
	for _, v := range x.vias {
		if v.path.key() == k {
			v.set = v.set.Union(set)
			return
		}
	}
	x.vias = append(x.vias, &viaPart{path: via.via, set: set})
}

// Direct returns the headers that reach the exposure's interface at its own
// address, as they leave the source: Passing less what reaches it only
// through load balancers.
func (x *Exposure) Direct() hset.Set { return x.direct }

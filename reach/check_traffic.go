// The traffic checks: what security group rules intend, followed through the
// network with probes (probe.go), forward and back.
//
// A rule "clearly intends" a flow when it names its peer: a security group,
// a prefix list, or a CIDR that is not the whole internet. Such a rule's
// peers inside the network (interfaces whose addresses it names), on
// premises and on the internet are walked to the group's interfaces, as are
// an outbound rule's own packets to its peer, and the internet to every
// interface with a rule admitting internet addresses. What arrives and what
// comes back decides internet-exposure, latent-exposure, asymmetric-path,
// nacl-ephemeral-partial and rule-unreachable.

package reach

import (
	"cmp"
	"fmt"
	"math/big"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// groupRules are the compiled rules of one security group and the classes
// of interfaces that have it.
type groupRules struct {
	ref     Ref
	sg      *model.SecurityGroup
	ingress []sgRule
	egress  []sgRule
	members []*class
}

// ruleInfo is what the traffic checks know of one compiled rule.
type ruleInfo struct {
	g     *groupRules
	r     *sgRule
	dir   model.Direction
	model *model.SGRule
	// world is set for an inbound rule open to every address of a family
	// (0.0.0.0/0, ::/0); specific for a rule naming its peer.
	world, specific bool
	// inet is the part of the rule's peer on the internet (inbound).
	inet []hset.AddrRange
	// sources are the probes that carry the rule's traffic.
	sources []*probe
	// fams are the address families (4, 6) of inet.
	fams []int
	// asked is the rule's traffic from the internet: inet with the clients'
	// ephemeral ports.
	asked hset.Set
}

// traffic is one run of the traffic checks.
type traffic struct {
	c      *checker
	e      *Engine
	eph    hset.Range16
	groups []*groupRules
	rules  []*ruleInfo
	// byClass are the source probes of each class, and the probes of the
	// worlds.
	probes  []*probe
	results []*probeResult
	// arrived are, per destination class, the headers that reached its
	// representative from any probe (as they arrived).
	arrived map[*class]hset.Set
	// fromClass indexes the probes by their source class.
	fromClass map[*class]*probeResult
	// inetProbes are the internet probes of each class: one per address
	// family.
	inetProbes map[*class][]*probeResult
	resultOf   map[*probe]*probeResult
	// where memoises placeBlockers.
	where map[blockKey][]blocker
}

// compiledGroups collects every used group's compiled rules from the
// programs of the interface classes that have it: what New compiled, read
// back, never recompiled.
func (e *Engine) compiledGroups() []*groupRules {
	byID := map[string]*groupRules{}
	var order []*groupRules
	get := func(id string) *groupRules {
		g := byID[id]
		if g == nil {
			g = &groupRules{sg: e.ix.SecurityGroups[id]}
			if g.sg != nil {
				g.ref = refOf("security-group", &g.sg.Meta)
			} else {
				g.ref = Ref{Kind: "security-group", ID: id}
			}
			byID[id] = g
			order = append(order, g)
		}
		return g
	}
	for _, cl := range e.classes {
		seen := map[*groupRules]bool{}
		for _, id := range cl.members[0].eni.SecurityGroupIDs {
			g := get(id)
			if !seen[g] {
				seen[g] = true
				g.members = append(g.members, cl)
			}
		}
		in, out := classProg(cl.deliver.enter), classProg(cl.send.leave)
		for dir, p := range map[model.Direction]*sgProg{model.Ingress: in, model.Egress: out} {
			if p == nil {
				continue
			}
			for i := range p.rules {
				g := get(p.rules[i].ref.Owner.ID)
				list := &g.ingress
				if dir == model.Egress {
					list = &g.egress
				}
				if len(*list) == 0 || !slices.ContainsFunc(*list, func(r sgRule) bool { return r.id == p.rules[i].id }) {
					*list = append(*list, p.rules[i])
				}
			}
		}
	}
	return order
}

// classProg is the security group program among filters.
func classProg(fs []filter) *sgProg {
	for i := range fs {
		if fs[i].kind == filterSG {
			return fs[i].sg
		}
	}
	return nil
}

// modelRules maps the reference of each rule of groups to the rule of the
// model it was compiled from.
func (e *Engine) modelRules(groups []*groupRules) map[RuleRef]*model.SGRule {
	out := map[RuleRef]*model.SGRule{}
	for _, g := range groups {
		sg := g.sg
		if sg == nil {
			continue
		}
		for _, rules := range [][]model.SGRule{sg.Ingress, sg.Egress} {
			for i := range rules {
				out[sgRuleRef(sg, &rules[i])] = &rules[i]
			}
		}
	}
	return out
}

// repSet is the headers from class cl's representative, with client ports
// eph.
func repSet(cl *class, eph hset.Range16) hset.Set { return every(cl.rep, eph) }

// dstOf is the class's addresses as a destination of a class walk from
// src: its representative's, or, for its own members, its second member's
// (none for a class of one: an interface does not send to itself).
func dstOf(d, src *class) []hset.AddrRange {
	if d == src {
		return d.rep2
	}
	return d.rep
}

func (c *checker) traffic() {
	e := c.e
	t := &traffic{c: c, e: e, eph: hset.Range16{Lo: c.eph.First, Hi: c.eph.Last}, arrived: map[*class]hset.Set{},
		fromClass: map[*class]*probeResult{}, inetProbes: map[*class][]*probeResult{}, where: map[blockKey][]blocker{}}
	t.groups = e.compiledGroups()
	mr := e.modelRules(t.groups)
	inetEvery := every(e.internetSpace, t.eph)
	for _, g := range t.groups {
		for dir, rules := range map[model.Direction][]sgRule{model.Ingress: g.ingress, model.Egress: g.egress} {
			for i := range rules {
				ri := &ruleInfo{g: g, r: &rules[i], dir: dir, model: mr[rules[i].ref]}
				remote := hset.DimSrc
				if dir == model.Egress {
					remote = hset.DimDst
				}
				peer := ri.r.set.Project(remote)
				ri.world = coversFamily(peer)
				ri.specific = !ri.world
				if m := ri.model; m != nil && m.Peer.Kind == model.PeerPrefixList {
					if pl := e.ix.PrefixLists[m.Peer.PrefixListID]; pl == nil || pl.EntriesUnknown {
						// Its entries are not known: the engine's note says
						// so, and nothing can be judged.
						ri.specific = false
					}
				}
				if dir == model.Ingress {
					ri.asked = ri.r.set.Intersect(inetEvery)
					ri.inet = ri.asked.Project(hset.DimSrc)
					ri.fams = families(ri.inet)
				}
				t.rules = append(t.rules, ri)
			}
		}
	}
	slices.SortStableFunc(t.rules, func(a, b *ruleInfo) int {
		return cmp.Or(cmp.Compare(a.g.ref.Label(), b.g.ref.Label()), cmp.Compare(a.dir, b.dir), cmp.Compare(a.r.id, b.r.id))
	})
	t.buildProbes()
	t.results = e.runProbes(t.probes)
	t.resultOf = map[*probe]*probeResult{}
	for _, r := range t.results {
		t.resultOf[r.p] = r
		if r.p.cls != nil {
			t.fromClass[r.p.cls] = r
		} else if r.p.world.kind == nodeInternet {
			if r.p.lbFor != nil {
				t.inetProbes[r.p.lbFor] = append(t.inetProbes[r.p.lbFor], r)
			} else if d := e.classOf[r.p.destNode()]; d != nil {
				t.inetProbes[d] = append(t.inetProbes[d], r)
			}
		}
		for i := range r.arrivals {
			a := &r.arrivals[i]
			if d := e.classOf[a.t]; d != nil {
				t.arrived[d] = t.arrived[d].Union(a.arrived)
			}
		}
	}
	if c.on(CheckInternetExposure, CheckLatentExposure) {
		t.exposures()
	}
	if c.on(CheckAsymmetricPath, CheckEphemeralPartial) {
		t.returns()
	}
	if c.on(CheckRuleUnreachable) {
		t.unreachable()
	}
}

// coversFamily reports whether ranges hold every IPv4 or every IPv6 address
// (0.0.0.0/0, ::/0).
func coversFamily(rs []hset.AddrRange) bool {
	rs = mergeRanges(nil, rs)
	covers := func(x hset.AddrRange) bool {
		return slices.ContainsFunc(rs, func(r hset.AddrRange) bool { return !x.Lo.Less(r.Lo) && !r.Hi.Less(x.Hi) })
	}
	return covers(all4) || covers(hset.All6Addrs)
}

// destNode is the interface a probe from the internet is addressed to.
func (p *probe) destNode() *node { return p.dest }

// buildProbes makes one probe per source class (what its peers' rules
// intend toward others, and what its own outbound rules naming a peer
// send), one per on-premises network, and one from the internet per
// interface class and address family that a rule admitting internet
// addresses concerns.
func (t *traffic) buildProbes() {
	e := t.e
	// Interface classes by the addresses of their representatives, to find
	// a rule's sources.
	type repAddr struct {
		a  hset.Addr
		cl *class
	}
	var reps []repAddr
	for _, cl := range e.classes {
		for _, r := range cl.rep {
			reps = append(reps, repAddr{r.Lo, cl})
		}
	}
	slices.SortFunc(reps, func(a, b repAddr) int { return cmpAddr(a.a, b.a) })
	sourcesIn := func(rs []hset.AddrRange) []*class {
		var out []*class
		for _, r := range rs {
			i := sort.Search(len(reps), func(i int) bool { return !reps[i].a.Less(r.Lo) })
			for ; i < len(reps) && !r.Hi.Less(reps[i].a); i++ {
				if !slices.Contains(out, reps[i].cl) {
					out = append(out, reps[i].cl)
				}
			}
		}
		return out
	}
	parts := map[*class][]hset.Set{}
	var srcOrder []*class
	addPart := func(cl *class, s hset.Set) {
		if s.IsEmpty() {
			return
		}
		if _, ok := parts[cl]; !ok {
			srcOrder = append(srcOrder, cl)
		}
		parts[cl] = append(parts[cl], s)
	}
	repSets := map[*class]hset.Set{}
	rs := func(cl *class) hset.Set {
		s, ok := repSets[cl]
		if !ok {
			s = repSet(cl, t.eph)
			repSets[cl] = s
		}
		return s
	}
	onprem := map[*node][]hset.Set{}
	onpremRules := map[*node][]*ruleInfo{}
	classRules := map[*class][]*ruleInfo{}
	for _, ri := range t.rules {
		if !ri.specific {
			continue
		}
		switch ri.dir {
		case model.Ingress:
			peer := ri.r.set.Project(hset.DimSrc)
			for _, src := range sourcesIn(peer) {
				var dst []hset.AddrRange
				for _, d := range ri.g.members {
					dst = append(dst, dstOf(d, src)...)
				}
				if len(dst) == 0 {
					continue
				}
				addPart(src, ri.r.set.Intersect(rs(src)).Intersect(hset.Of(dstBoxes(dst...)...)))
				classRules[src] = append(classRules[src], ri)
			}
			for _, c := range e.net.VPNConnections {
				on := e.onprem[c.ID]
				var rngs []hset.AddrRange
				for _, p := range c.OnPremCIDRs {
					rngs = append(rngs, prefixRanges(p)...)
				}
				var dst []hset.AddrRange
				for _, d := range ri.g.members {
					dst = append(dst, d.rep...)
				}
				s := ri.r.set.Intersect(every(rngs, t.eph)).Intersect(hset.Of(dstBoxes(dst...)...))
				if !s.IsEmpty() {
					onprem[on] = append(onprem[on], s)
					onpremRules[on] = append(onpremRules[on], ri)
				}
			}
		case model.Egress:
			for _, src := range ri.g.members {
				// Not to its own address: an interface does not send to
				// itself (its class's other members stand at rep2).
				addPart(src, ri.r.set.Intersect(rs(src)).Subtract(hset.Of(dstBoxes(src.rep...)...)))
				classRules[src] = append(classRules[src], ri)
			}
		}
	}
	for _, cl := range srcOrder {
		p := &probe{cls: cl, set: unionAll(parts[cl]), keepDrops: true}
		t.probes = append(t.probes, p)
		for _, ri := range classRules[cl] {
			if !slices.Contains(ri.sources, p) {
				ri.sources = append(ri.sources, p)
			}
		}
	}
	for _, c := range e.net.VPNConnections {
		on := e.onprem[c.ID]
		if s := onprem[on]; len(s) > 0 {
			p := &probe{world: on, set: unionAll(s), keepDrops: true}
			t.probes = append(t.probes, p)
			for _, ri := range onpremRules[on] {
				if !slices.Contains(ri.sources, p) {
					ri.sources = append(ri.sources, p)
				}
			}
		}
	}
	// From the internet: each class with a rule admitting internet
	// addresses, to its first member with a public IPv4 address and to its
	// first member with an IPv6 address.
	inetSets := map[*class][]hset.Set{}
	inetRules := map[*class][]*ruleInfo{}
	for _, ri := range t.rules {
		if ri.dir != model.Ingress || len(ri.inet) == 0 {
			continue
		}
		for _, cl := range ri.g.members {
			inetSets[cl] = append(inetSets[cl], ri.asked)
			inetRules[cl] = append(inetRules[cl], ri)
		}
	}
	for _, cl := range e.classes {
		sets := inetSets[cl]
		if len(sets) == 0 {
			continue
		}
		asked := unionAll(sets)
		var ps []*probe
		if m, pub := firstPublic(cl); m != nil {
			r := hset.AddrRange{Lo: hset.AddrFrom(pub.Public), Hi: hset.AddrFrom(pub.Public)}
			s := asked.Intersect(hset.All4()).Intersect(hset.Of(dstBoxes(r)...))
			if !s.IsEmpty() {
				ps = append(ps, &probe{world: e.internet, set: s, pub: &r, dest: m, keepDrops: true})
			}
		}
		if m := firstIPv6(cl); m != nil {
			s := asked.Intersect(hset.Of(dstBoxes(addrsRanges(m.eni.IPv6Addrs)...)...))
			if !s.IsEmpty() {
				ps = append(ps, &probe{world: e.internet, set: s, dest: m, keepDrops: true})
			}
		}
		ps = append(ps, t.lbProbes(cl, asked)...)
		t.probes = append(t.probes, ps...)
		for _, ri := range inetRules[cl] {
			ri.sources = append(ri.sources, ps...)
		}
	}
}

// listenerIn reports whether set, a rule's headers, holds some of what the
// route's listener accepts.
func listenerIn(r *lbRoute, set hset.Set) bool {
	return set.Overlaps(r.lis.match)
}

// lbProbes are the probes from the internet that reach class cl through
// internet-facing load balancers: to the public IPv4 address of each node
// that forwards to a member, on the listener's protocols and port, from the
// internet sources asked admits. A Network Load Balancer that keeps the
// client's address brings the clients themselves to the targets' rules
// (LB-5); a proxy brings its node.
func (t *traffic) lbProbes(cl *class, asked hset.Set) []*probe {
	srcs := asked.Intersect(hset.All4()).Project(hset.DimSrc)
	if len(srcs) == 0 {
		return nil
	}
	type key struct {
		n   *node
		lis *lbListener
	}
	seen := map[key]bool{}
	var out []*probe
	for _, r := range t.e.lbRoutes {
		if r.target == nil || t.e.classOf[r.target] != cl || seen[key{r.n, r.lis}] {
			continue
		}
		seen[key{r.n, r.lis}] = true
		m, pub := firstPublic(&class{members: []*node{r.n}})
		if m == nil {
			continue
		}
		pr := hset.AddrRange{Lo: hset.AddrFrom(pub.Public), Hi: hset.AddrFrom(pub.Public)}
		s := every(srcs, t.eph).Intersect(r.lis.match).WithDst(pr)
		if !s.IsEmpty() {
			out = append(out, &probe{world: t.e.internet, set: s, pub: &pr, dest: r.n, lbFor: cl, keepDrops: true})
		}
	}
	return out
}

// firstPublic is the first member of cl with a public IPv4 address, and
// that address's mapping.
func firstPublic(cl *class) (*node, model.PublicIP) {
	for _, m := range cl.members {
		for _, p := range m.eni.PublicIPs {
			if p.Public.IsValid() && p.Private.IsValid() {
				return m, p
			}
		}
	}
	return nil, model.PublicIP{}
}

// firstIPv6 is the first member of cl with an IPv6 address.
func firstIPv6(cl *class) *node {
	for _, m := range cl.members {
		if len(m.eni.IPv6Addrs) > 0 {
			return m
		}
	}
	return nil
}

// hasPublic4 reports whether interface x has a public IPv4 address.
func hasPublic4(x *model.NetworkInterface) bool {
	return slices.ContainsFunc(x.PublicIPs, func(p model.PublicIP) bool { return p.Public.IsValid() })
}

// memberRefs are the members of classes, as the owners (instances,
// endpoints) a reader knows them by, sorted by label.
func (e *Engine) memberRefs(ns []*node) []Ref {
	var out []Ref
	for _, n := range ns {
		r := n.ref
		if o := e.ownerRef(n.eni); o != nil && o.Kind != "" {
			r = *o
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Ref) int { return cmp.Compare(a.Label(), b.Label()) })
	return slices.CompactFunc(out, func(a, b Ref) bool { return a.Label() == b.Label() })
}

func labels(rs []Ref) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Label()
	}
	return out
}

// serviceOf is a rule's protocol and destination ports (ICMP types).
func serviceOf(r *model.SGRule) *Service {
	if r == nil {
		return nil
	}
	s := &Service{Protocols: ProtocolsOf(r.Protocol), Ports: model.AllPorts}
	switch {
	case r.Protocol.HasPorts():
		s.Ports = r.Ports
	case r.Protocol.IsICMP():
		if ty, ok := r.ICMP.Type(); ok {
			s.Ports = model.Port(uint16(ty))
		}
	}
	if !s.Protocols.Valid() {
		return nil
	}
	return s
}

// exposures reports inbound rules open to the whole internet: exposed
// (internet-exposure) where the internet reaches their interfaces today,
// latent (latent-exposure) where it does not.
func (t *traffic) exposures() {
	e, c := t.e, t.c
	for _, ri := range t.rules {
		if ri.dir != model.Ingress || !ri.world || len(ri.inet) == 0 {
			continue
		}
		var exposed, latent []*node
		var exposedSet hset.Set
		// through names what the internet reaches through load balancers
		// the rule concerns: a target and the path to it.
		var through []string
		var throughRefs []Ref
		var witness *Witness
		var latentWitness *Witness
		var blockers []blocker
		for _, cl := range ri.g.members {
			type famOf struct {
				n   *node
				fam int
			}
			probed := map[famOf]bool{}
			for _, r := range t.inetProbes[cl] {
				if r.p.lbFor != nil {
					// Through a load balancer to the class's members: the
					// rule judges what arrives, in the target's terms.
					for i := range r.arrivals {
						a := &r.arrivals[i]
						// A load balancer that does not keep the client's
						// address sends from its node, which its own rules
						// let the internet reach: only one keeping it brings
						// the internet to this rule (LB-5, LB-6).
						if e.classOf[a.t] != cl || a.via == nil || !a.via.preserve || a.passing.IsEmpty() || !a.arrived.Overlaps(ri.r.set) {
							continue
						}
						exposed = append(exposed, a.t)
						probed[famOf{a.t, 4}] = true
						exposedSet = exposedSet.Union(a.passing)
						through = append(through, fmt.Sprintf("%s via %s", e.endLabel(a.t), a.via.via))
						if witness == nil {
							if h, ok := pickHeader(a.passing); ok {
								witness = e.witness(h, h.Src.String(), r.p.dest.eni.ID, c.eph)
							}
						}
					}
					continue
				}
				asked := r.p.set.Intersect(ri.r.set)
				if asked.IsEmpty() {
					continue
				}
				var passing, arrived hset.Set
				for i := range r.arrivals {
					a := &r.arrivals[i]
					switch {
					case e.classOf[a.t] == cl:
					case a.via != nil && e.classOf[a.via.n] == cl && listenerIn(a.via, ri.r.set):
						// Through the class's load balancer node: a proxy's
						// own connection to a target is another flow, a
						// Network Load Balancer is reached when a target
						// answers (LB-5).
						if !a.passing.IsEmpty() {
							through = append(through, fmt.Sprintf("%s via %s", e.endLabel(a.t), a.via.via))
							throughRefs = append(throughRefs, e.endRef(a.t))
						}
						if a.via.proxy {
							continue
						}
					default:
						continue
					}
					passing = passing.Union(a.passing.Intersect(asked))
					arrived = arrived.Union(a.sent.Intersect(asked))
				}
				// Members of the class addressed like the probed one.
				fam := 6
				if r.p.pub != nil {
					fam = 4
				}
				var same []*node
				for _, m := range cl.members {
					if fam == 4 && hasPublic4(m.eni) || fam == 6 && len(m.eni.IPv6Addrs) > 0 {
						same = append(same, m)
						probed[famOf{m, fam}] = true
					}
				}
				if !passing.IsEmpty() {
					exposed = append(exposed, same...)
					exposedSet = exposedSet.Union(passing)
					if witness == nil {
						if h, ok := pickHeader(passing); ok {
							witness = e.witness(h, h.Src.String(), r.p.dest.eni.ID, c.eph)
						}
					}
				}
				if blocked := asked.Subtract(arrived); !blocked.IsEmpty() {
					latent = append(latent, same...)
					for _, d := range r.drops {
						if d.set.Overlaps(ri.r.set) {
							blockers = append(blockers, blocker{kind: strconvKind(blockDrop), detail: d.drop.message})
						}
					}
					if latentWitness == nil {
						if h, ok := pickHeader(blocked); ok {
							latentWitness = e.witness(h, h.Src.String(), r.p.dest.eni.ID, c.eph)
						}
					}
				}
			}
			// Members the internet cannot address at all.
			for _, m := range cl.members {
				for _, fam := range ri.fams {
					if probed[famOf{m, fam}] {
						continue
					}
					if fam == 4 && !hasPublic4(m.eni) || fam == 6 && len(m.eni.IPv6Addrs) == 0 {
						latent = append(latent, m)
						blockers = append(blockers, t.blockers(m, fam, ri)...)
						if latentWitness == nil {
							latentWitness = t.latentWitness(m, fam, ri)
						}
					}
				}
			}
		}
		svc := serviceOf(ri.model)
		rule := ri.r.ref
		if len(exposed) > 0 {
			refs := e.memberRefs(slices.Compact(exposed))
			msg := fmt.Sprintf("%s of %s admits %s from every address; the internet reaches %s through it, and the replies come back",
				rule.Text, ri.g.ref.Label(), serviceText(svc), listed(labels(refs), 5))
			if through = slices.Compact(slices.Sorted(slices.Values(through))); len(through) > 0 {
				msg += "; through the load balancer it reaches " + listed(through, 5)
			}
			d := Defect{Check: CheckInternetExposure, Subject: ri.g.ref, Rule: &rule, Service: svc, Witness: witness,
				Traffic: headersOf(exposedSet),
				Message: msg,
				Fix:     "allow only the addresses that need the service (an office or VPN range, a load balancer's security group), or reach the hosts another way (AWS Systems Manager Session Manager for administration)"}
			d.Involved = append(d.Involved, Involved{Role: "rule", Component: ri.g.ref, Rule: &rule})
			for _, r := range refs {
				d.Involved = append(d.Involved, Involved{Role: "exposed", Component: r})
			}
			for _, r := range throughRefs {
				if !slices.ContainsFunc(d.Involved, func(v Involved) bool { return v.Component == r }) {
					d.Involved = append(d.Involved, Involved{Role: "through-load-balancer", Component: r})
				}
			}
			c.add(d)
		}
		if len(latent) > 0 {
			refs := e.memberRefs(latent)
			clauses := sayBlockers(blockers)
			why := listed(clauses, 4)
			one := "changing that"
			if len(clauses) > 1 {
				one = "changing these"
			}
			if slices.ContainsFunc(blockers, func(b blocker) bool {
				return b.kind == strconvKind(blockNoPublic4) || b.kind == strconvKind(blockRoute)
			}) {
				one += " (placing an instance in a public subnet, say)"
			}
			d := Defect{Check: CheckLatentExposure, Subject: ri.g.ref, Rule: &rule, Service: svc, Witness: latentWitness,
				Traffic: headersOf(ri.asked),
				Message: fmt.Sprintf("%s of %s admits %s from every address, yet the internet does not reach %s today, only because %s; %s opens the service to the internet, and inside the network the rule already admits every address",
					rule.Text, ri.g.ref.Label(), serviceText(svc), listed(labels(refs), 5), why, one),
				Fix: "allow only the addresses that need the service (a load balancer's or a client tier's security group, the network's own CIDR), instead of 0.0.0.0/0 or ::/0"}
			d.Involved = append(d.Involved, Involved{Role: "rule", Component: ri.g.ref, Rule: &rule})
			for _, r := range refs {
				d.Involved = append(d.Involved, Involved{Role: "latent", Component: r})
			}
			c.add(d)
		}
	}
}

// families are the address families (4, 6) of ranges.
func families(rs []hset.AddrRange) []int {
	var out []int
	if slices.ContainsFunc(rs, isV4Range) {
		out = append(out, 4)
	}
	if slices.ContainsFunc(rs, func(r hset.AddrRange) bool { return !isV4Range(r) }) {
		out = append(out, 6)
	}
	return out
}

// blocker is one reason the internet cannot reach an interface today: what
// it is (kind), about which element (subject), with a detail.
type blocker struct {
	kind, subject, detail string
}

// Kinds of blockers, in the order a sentence names them.
const (
	blockNoPublic4 = iota
	blockNoIPv6
	blockNoIGW
	blockRoute
	blockACLIn
	blockACLOut
	blockDrop
)

// blockers say why the internet cannot reach interface m on ri's traffic,
// which it cannot even address (no public address of family fam): each is a
// fact read from the compiled network — its addressing, its VPC's gateways,
// where its subnet's table sends the internet's replies, and its network ACL.
func (t *traffic) blockers(m *node, fam int, ri *ruleInfo) []blocker {
	owner := t.e.endLabel(m)
	kind := blockNoPublic4
	if fam == 6 {
		kind = blockNoIPv6
	}
	// What the subnet decides is the same for every member of it.
	k := blockKey{m.eni.SubnetID, fam, ri}
	where, ok := t.where[k]
	if !ok {
		where = t.placeBlockers(m, fam, ri)
		t.where[k] = where
	}
	return append([]blocker{{kind: strconvKind(kind), subject: owner}}, where...)
}

type blockKey struct {
	subnet string
	fam    int
	ri     *ruleInfo
}

// placeBlockers are the blockers of interface m's place: its VPC, its
// subnet's routes and network ACL.
func (t *traffic) placeBlockers(m *node, fam int, ri *ruleInfo) []blocker {
	e := t.e
	var out []blocker
	if m.vpc != nil && !slices.ContainsFunc(e.net.InternetGateways, func(g *model.InternetGateway) bool { return g.VPCID == m.vpc.ID }) {
		out = append(out, blocker{kind: strconvKind(blockNoIGW), subject: m.vpc.Label()})
	}
	sn := e.subnet[m.eni.SubnetID]
	if sn == nil || sn.routes == nil {
		return out
	}
	var inet []hset.AddrRange
	for _, r := range ri.inet {
		if (fam == 4) == isV4Range(r) {
			inet = append(inet, r)
		}
	}
	// Where the subnet sends replies to the internet: the route deciding
	// the most of it (0.0.0.0/0, usually; a gateway endpoint's prefix list
	// decides a sliver).
	size := map[RuleRef]float64{}
	var main *routeEntry
	for _, r := range inet {
		for i := range sn.routes.entries {
			en := &sn.routes.entries[i]
			x := en.rng.Intersect(r)
			if x.Empty() {
				continue
			}
			f, _ := new(big.Float).SetInt(x.Size()).Float64()
			size[en.route] += f
			if main == nil || size[en.route] > size[main.route] {
				main = en
			}
		}
	}
	switch {
	case main == nil:
		out = append(out, blocker{kind: strconvKind(blockRoute), subject: sn.routes.owner.Label(), detail: "has no route to the internet"})
	case main.to != nil && main.to.to.kind == nodeIGW:
	case main.to != nil:
		out = append(out, blocker{kind: strconvKind(blockRoute), subject: sn.routes.owner.Label(),
			detail: fmt.Sprintf("sends the replies to %s (%s)", main.to.to.ref.Label(), main.route.Text)})
	default:
		out = append(out, blocker{kind: strconvKind(blockRoute), subject: sn.routes.owner.Label(), detail: fmt.Sprintf("drops the replies (%s)", main.route.Text)})
	}
	// The subnet's network ACL, inbound for the requests and outbound for
	// the replies.
	addrs := m.eni.PrivateIPs
	if fam == 6 {
		addrs = m.eni.IPv6Addrs
	}
	asked := intersectDst(ri.asked, addrsRanges(addrs)...)
	if in, outP := e.subnetACLs(sn); in != nil && !asked.IsEmpty() {
		if allowed, denied := in.apply(asked); len(allowed) == 0 && len(denied) > 0 {
			out = append(out, blocker{kind: strconvKind(blockACLIn), subject: in.owner.Label(), detail: ruleSuffix(denied)})
		} else if outP != nil {
			var pass hset.Set
			for _, p := range allowed {
				pass = pass.Union(p.set)
			}
			if a2, d2 := outP.apply(replyOf(pass)); len(a2) == 0 && len(d2) > 0 {
				out = append(out, blocker{kind: strconvKind(blockACLOut), subject: outP.owner.Label(), detail: ruleSuffix(d2)})
			}
		}
	}
	return out
}

func strconvKind(k int) string { return string(rune('0' + k)) }

// sayBlockers turns blockers into clauses, one per kind and detail, naming
// every subject: "aws_instance.a and aws_instance.b have no public IPv4 or
// Elastic IP address".
func sayBlockers(bs []blocker) []string {
	type group struct {
		kind, detail string
		subjects     []string
	}
	var groups []*group
	for _, b := range bs {
		i := slices.IndexFunc(groups, func(g *group) bool { return g.kind == b.kind && g.detail == b.detail })
		if i < 0 {
			groups = append(groups, &group{kind: b.kind, detail: b.detail})
			i = len(groups) - 1
		}
		if !slices.Contains(groups[i].subjects, b.subject) {
			groups[i].subjects = append(groups[i].subjects, b.subject)
		}
	}
	slices.SortStableFunc(groups, func(a, b *group) int { return cmp.Compare(a.kind, b.kind) })
	var out []string
	for _, g := range groups {
		who := listed(g.subjects, 4)
		many := len(g.subjects) > 1
		verb := func(one, more string) string {
			if many {
				return more
			}
			return one
		}
		switch g.kind {
		case strconvKind(blockNoPublic4):
			out = append(out, fmt.Sprintf("%s %s no public IPv4 or Elastic IP address", who, verb("has", "have")))
		case strconvKind(blockNoIPv6):
			out = append(out, fmt.Sprintf("%s %s no IPv6 address", who, verb("has", "have")))
		case strconvKind(blockNoIGW):
			out = append(out, fmt.Sprintf("%s %s no internet gateway", who, verb("has", "have")))
		case strconvKind(blockRoute):
			out = append(out, fmt.Sprintf("route table %s %s", who, g.detail))
		case strconvKind(blockACLIn):
			out = append(out, fmt.Sprintf("network ACL %s denies it inbound%s", who, g.detail))
		case strconvKind(blockACLOut):
			out = append(out, fmt.Sprintf("network ACL %s denies the replies outbound%s", who, g.detail))
		default:
			out = append(out, g.detail)
		}
	}
	return out
}

// isV4Range reports whether r lies in the IPv4 block.
func isV4Range(r hset.AddrRange) bool { return !r.Lo.Less(v4Block.Lo) && !v4Block.Hi.Less(r.Hi) }

func ruleSuffix(ps []piece) string {
	for _, p := range ps {
		if len(p.rules) > 0 {
			return " (" + p.rules[0].Text + ")"
		}
	}
	return ""
}

// latentWitness traces a packet from the internet to m's private (or IPv6)
// address: it shows what stops the internet today.
func (t *traffic) latentWitness(m *node, fam int, ri *ruleInfo) *Witness {
	var dst []netip.Addr
	if fam == 4 {
		dst = m.eni.PrivateIPs
	} else {
		dst = m.eni.IPv6Addrs
	}
	if len(dst) == 0 {
		return nil
	}
	s := intersectDst(ri.asked, addrRange(dst[0]))
	h, ok := pickHeader(s)
	if !ok {
		return nil
	}
	return t.e.witness(h, h.Src.String(), m.eni.ID, t.c.eph)
}

// subnetACLs are the compiled network ACL programs of a subnet, read from
// the graph: inbound on the VPC's delivery edge into it, outbound on its
// route edges.
func (e *Engine) subnetACLs(sn *node) (in, out *aclProg) {
	if sn.vpc != nil {
		if vn := e.vpc[sn.vpc.ID]; vn != nil {
			for _, ed := range vn.out {
				if ed.to == sn {
					in = aclOf(ed.enter)
				}
			}
		}
	}
	for _, ed := range sn.out {
		if ed.kind == edgeRoute {
			if p := aclOf(ed.leave); p != nil {
				out = p
				break
			}
		}
	}
	return in, out
}

func aclOf(fs []filter) *aclProg {
	for i := range fs {
		if fs[i].kind == filterACL {
			return fs[i].acl
		}
	}
	return nil
}

// serviceText says a service as a sentence does: "tcp 22", "all traffic".
func serviceText(s *Service) string {
	if s == nil {
		return "traffic"
	}
	if s.Protocols.IsAll() {
		return "all traffic"
	}
	return s.String()
}

// cause is why (part of) the replies of intended flows do not come back:
// one drop, identified by code, component and rule.
type cause struct {
	code    Code
	comp    Ref
	rule    *RuleRef
	message string
	// flows are the affected flows, each with the failing headers this
	// drop stops, as they left the source.
	flows []failedFlow
	// allowed are, for a network ACL, the rules that let the other client
	// ports' replies through.
	allowed []RuleRef
}

type failedFlow struct {
	from, to *node
	set      hset.Set
	// partial says this cause stops the replies of part of the client
	// ports of the flow's services only.
	partial bool
}

// partial reports whether the cause stops part of the client ports of
// every flow it concerns: a narrow return range, not a broken path.
func (k *cause) partial() bool {
	for _, f := range k.flows {
		if !f.partial {
			return false
		}
	}
	return len(k.flows) > 0
}

// causeKey identifies a cause: one drop.
type causeKey struct {
	code    Code
	comp    string
	rule    RuleRef
	message string
}

func (k *cause) key() causeKey {
	ck := causeKey{code: k.code, comp: k.comp.Label(), message: k.message}
	if k.rule != nil {
		ck.rule = *k.rule
	}
	return ck
}

// returns reports intended flows that arrive but whose replies do not come
// back, one defect per cause (the drop that stops them): a network ACL that
// stops the replies to part of the client ports only is
// nacl-ephemeral-partial; anything else asymmetric-path.
func (t *traffic) returns() {
	c := t.c
	causes := map[causeKey]*cause{}
	var order []causeKey
	translated := 0
	for _, r := range t.results {
		src := r.p.world
		if r.p.cls != nil {
			src = r.p.cls.members[0]
		}
		for i := range r.arrivals {
			a := &r.arrivals[i]
			fail := a.failing()
			if fail.IsEmpty() {
				continue
			}
			if a.translated {
				translated++
				continue
			}
			for _, st := range t.causesOf(a, fail) {
				key := st.cause.key()
				cs := causes[key]
				if cs == nil {
					cs = st.cause
					causes[key] = cs
					order = append(order, key)
				}
				partial := partOfClientPorts(st.part, a.sent)
				cs.flows = append(cs.flows, failedFlow{from: src, to: a.t, set: st.part, partial: partial})
				if partial && cs.code == CodeSubnetACLRestriction {
					for _, rr := range a.aclAllows {
						if rr.Owner.Label() == cs.comp.Label() && !slices.Contains(cs.allowed, rr) {
							cs.allowed = append(cs.allowed, rr)
						}
					}
				}
			}
		}
	}
	if translated > 0 {
		c.note(CodeReturnWrongPath, Ref{}, "%d intended flows are translated by a NAT gateway on the way; whether all their replies come back is checked by trace, not by the asymmetric-path check", translated)
	}
	outside := 0
	for _, key := range order {
		k := causes[key]
		if k.code == CodeOutsideEstate {
			outside += len(k.flows)
			continue
		}
		c.add(t.causeDefect(k))
	}
	if outside > 0 {
		c.note(CodeOutsideEstate, Ref{}, "the replies of %d intended flows leave what vpcsim can see (an element of another stack): whether they come back is not known", outside)
	}
}

// widenClientPorts widens the client ports of the TCP and UDP headers of s
// to every port: what passes for some client port of a service.
func widenClientPorts(s hset.Set) hset.Set {
	tu := s.Intersect(tcpUDP)
	if tu.IsEmpty() {
		return s
	}
	return s.Subtract(tcpUDP).Union(tu.WithSrcPort(allPorts))
}

// partOfClientPorts reports whether part, headers of sent, holds only some
// of the client ports sent for its services.
func partOfClientPorts(part, sent hset.Set) bool {
	return !part.Covers(widenClientPorts(part).Intersect(sent))
}

// stopped is the part of a flow's failing headers one cause stops.
type stopped struct {
	cause *cause
	part  hset.Set
}

// causesOf splits the failing headers of arrival a (as they left the
// source) among the drops that stopped their replies: each reply stops at
// exactly one place. Replies keep the protocol and swap the ports;
// addresses may be translated on the way back, so a drop is matched on
// protocol and ports, which within one arrival (one source, one
// destination) is exact.
func (t *traffic) causesOf(a *probeArrival, fail hset.Set) []stopped {
	var out []stopped
	rest := fail
	for _, d := range a.back {
		part := rest.Intersect(replyOf(d.set.WithSrc(full).WithDst(full)))
		if part.IsEmpty() {
			continue
		}
		rest = rest.Subtract(part)
		out = append(out, stopped{&cause{code: d.drop.code, comp: d.drop.comp, rule: d.rule, message: d.drop.message}, part})
	}
	if !rest.IsEmpty() {
		out = append(out, stopped{&cause{code: CodeReturnWrongPath, comp: a.t.ref, message: "the replies do not come back"}, rest})
	}
	return out
}

// causeDefect turns a cause into its defect.
func (t *traffic) causeDefect(k *cause) Defect {
	e := t.e
	check := CheckAsymmetricPath
	if k.partial() && k.code == CodeSubnetACLRestriction {
		check = CheckEphemeralPartial
	}
	slices.SortStableFunc(k.flows, func(a, b failedFlow) int {
		return cmp.Or(cmp.Compare(a.from.ref.Label(), b.from.ref.Label()), cmp.Compare(a.to.ref.Label(), b.to.ref.Label()))
	})
	var pairs []string
	var all hset.Set
	seen := map[string]bool{}
	for _, f := range k.flows {
		all = all.Union(f.set)
		svc := servicesText(f.set)
		if f.partial && check == CheckAsymmetricPath {
			svc += "; replies to client ports " + portList(f.set.Intersect(tcpUDP).ProjectPorts(hset.DimSrcPort)).String()
		}
		s := fmt.Sprintf("%s → %s (%s)", e.endLabel(f.from), e.endLabel(f.to), svc)
		if !seen[s] {
			seen[s] = true
			pairs = append(pairs, s)
		}
	}
	first := k.flows[0]
	var w *Witness
	if h, ok := pickHeader(first.set); ok {
		w = e.witness(h, endName(first.from, h.Src), endName(first.to, h.Dst), t.c.eph)
	}
	d := Defect{Check: check, Subject: k.comp, Rule: k.rule, Traffic: headersOf(all), Witness: w}
	if check == CheckEphemeralPartial && len(k.allowed) > 0 {
		// The rules to widen are what to change.
		r := k.allowed[0]
		d.Rule = &r
	}
	d.Involved = append(d.Involved, Involved{Role: "cause", Component: k.comp, Rule: k.rule})
	for _, r := range k.allowed {
		r := r
		d.Involved = append(d.Involved, Involved{Role: "partly allowing rule", Component: r.Owner, Rule: &r})
	}
	for _, f := range k.flows {
		for _, n := range []*node{f.from, f.to} {
			ref := e.endRef(n)
			if !slices.ContainsFunc(d.Involved, func(x Involved) bool { return x.Component.Label() == ref.Label() }) {
				role := "source"
				if n == f.to {
					role = "destination"
				}
				d.Involved = append(d.Involved, Involved{Role: role, Component: ref})
			}
		}
	}
	flows := listed(pairs, 4)
	switch {
	case check == CheckEphemeralPartial:
		ports := portList(all.ProjectPorts(hset.DimSrcPort))
		allow := ""
		if len(k.allowed) > 0 {
			var ts []string
			for _, r := range k.allowed {
				ts = append(ts, r.Text)
			}
			allow = " (" + strings.Join(ts, "; ") + " let the other ports' replies through)"
		}
		d.Message = fmt.Sprintf("network ACL %s passes the replies of %s for part of the client ports only%s: replies to client ports %s are dropped by %s, so connections fail or not depending on the port the client picks",
			k.comp.Label(), flows, allow, ports, ruleOr(k.rule, "its final * rule"))
		d.Fix = fmt.Sprintf("let the replies through to the whole ephemeral range %s (widen the rules that allow part of it)", t.c.eph)
	default:
		d.Message = fmt.Sprintf("security groups allow %s, and the traffic arrives, but the replies never come back: %s (%s)", flows, k.message, k.code)
		d.Fix = fixFor(k)
	}
	return d
}

func ruleOr(r *RuleRef, s string) string {
	if r == nil {
		return s
	}
	return r.Text
}

// fixFor suggests what to change for a return path that fails.
func fixFor(k *cause) string {
	switch k.code {
	case CodeNoRouteToDestination:
		return fmt.Sprintf("add a route for the sources' addresses to %s, back the way the requests came (both sides of a peering or attachment need routes)", k.comp.Label())
	case CodeSubnetACLRestriction:
		return fmt.Sprintf("let the replies through %s: network ACLs are stateless, so the return direction needs its own rule for the clients' ephemeral ports", k.comp.Label())
	case CodeTGWAttachAZRestriction:
		return fmt.Sprintf("add a subnet in the destination's availability zone to %s", k.comp.Label())
	case CodeNGWNoSession:
		return fmt.Sprintf("route the replies back the way the requests came, not to %s: a NAT gateway drops replies to connections it did not open", k.comp.Label())
	case CodeBadStateRoute:
		return "replace the blackhole route with a route to a target that exists"
	}
	return "make the return path mirror the forward path"
}

// endLabel names a flow end for people: the interface's owner, or the world.
func (e *Engine) endLabel(n *node) string { return e.endRef(n).Label() }

func (e *Engine) endRef(n *node) Ref {
	if n.kind == nodeOnPrem {
		return worldRef(n)
	}
	if (n.kind == nodeENI || n.kind == nodeLB) && n.eni != nil {
		if o := e.ownerRef(n.eni); o != nil && o.Kind != "" {
			return *o
		}
	}
	return n.ref
}

// servicesText lists a set's services: "tcp 5432", "udp 53, tcp 389".
func servicesText(s hset.Set) string {
	var ss []string
	for _, sv := range services(s) {
		ss = append(ss, sv.String())
	}
	return listed(ss, 3)
}

// unreachable reports rules whose traffic never arrives: an inbound rule
// naming its peer that nothing matching it reaches, an outbound rule naming
// its peer none of whose packets get anywhere.
func (t *traffic) unreachable() {
	e, c := t.e, t.c
	for _, ri := range t.rules {
		if !ri.specific {
			continue
		}
		rule := ri.r.ref
		reached := false
		var probes []*probeResult
		for _, p := range ri.sources {
			if r := t.resultOf[p]; r != nil {
				probes = append(probes, r)
			}
		}
		switch ri.dir {
		case model.Ingress:
			for _, d := range ri.g.members {
				if t.arrived[d].Overlaps(ri.r.set) {
					reached = true
				}
			}
		case model.Egress:
			for _, r := range probes {
				for i := range r.arrivals {
					if r.arrivals[i].sent.Overlaps(ri.r.set) {
						reached = true
					}
				}
				for _, d := range r.drops {
					// Stopped only by the destination's own groups: the
					// network carried it there.
					if (d.drop.code == CodeENISGRulesMismatch || d.drop.code == CodeSGHasNoRules) && d.set.Overlaps(ri.r.set) && !d.atSource {
						reached = true
					}
				}
			}
		}
		if reached {
			continue
		}
		if unknown := t.unknownPeer(ri); unknown != "" {
			c.note(CodeSecurityGroupsUnknown, ri.g.ref, "%s: %s", rule.Text, unknown)
			continue
		}
		// The rule's own traffic: to the group's interfaces (inbound: their
		// private and IPv6 addresses, and their public ones before an
		// internet gateway translates them), or from them (outbound: the
		// probes are theirs).
		own := ri.r.set
		if ri.dir == model.Ingress {
			var dst []hset.AddrRange
			for _, d := range ri.g.members {
				dst = append(dst, d.addrs...)
				for _, m := range d.members {
					for _, p := range m.eni.PublicIPs {
						if p.Public.IsValid() {
							dst = append(dst, addrRange(p.Public))
						}
					}
				}
			}
			own = intersectDst(own, mergeRanges(nil, dst)...)
		}
		// A drop is the rule's when it stops the rule's service toward the
		// rule's destinations: NAT gateways and internet gateways translate
		// sources (and source ports) on the way.
		ownAny := own.WithSrc(full).WithSrcPort(allPorts)
		var why []string
		var causeRefs []Involved
		leaves := false
		for _, r := range probes {
			for _, d := range r.drops {
				if !d.set.Overlaps(ownAny) || slices.Contains(why, d.drop.message) {
					continue
				}
				if d.drop.code == CodeOutsideEstate {
					leaves = true
				}
				why = append(why, d.drop.message)
				causeRefs = append(causeRefs, Involved{Role: "cause", Component: d.drop.comp, Rule: d.rule})
			}
		}
		if leaves {
			c.note(CodeOutsideEstate, ri.g.ref, "%s: some of its traffic leaves what vpcsim can see (an element of another stack): whether it is reached is not known", rule.Text)
			continue
		}
		if len(why) == 0 {
			why = []string{t.noSources(ri)}
		}
		var witness *Witness
		for _, r := range probes {
			if h, ok := pickHeader(preferDst(c.tiers, r.p.set.Intersect(own))); ok {
				from := h.Src.String()
				if r.p.cls != nil {
					from = r.p.cls.members[0].eni.ID
				}
				to := h.Dst.String()
				if n := e.ownerOfAddr(h.Dst); n != nil {
					to = n.eni.ID
				}
				witness = e.witness(h, from, to, c.eph)
				break
			}
		}
		d := Defect{Check: CheckRuleUnreachable, Subject: ri.g.ref, Rule: &rule, Service: serviceOf(ri.model), Witness: witness,
			Traffic: headersOf(ri.r.set)}
		if ri.dir == model.Ingress {
			d.Message = fmt.Sprintf("inbound rule %s of %s can never match: none of the traffic it allows reaches the group's interfaces: %s",
				rule.Text, ri.g.ref.Label(), listed(why, 3))
		} else {
			d.Message = fmt.Sprintf("outbound rule %s of %s serves nothing: none of the traffic it allows gets anywhere: %s",
				rule.Text, ri.g.ref.Label(), listed(why, 3))
		}
		d.Fix = "fix the path the rule's traffic needs (a route, a network ACL rule, the sources' outbound rules), or remove the rule if the flow is not wanted"
		d.Involved = append(d.Involved, Involved{Role: "rule", Component: ri.g.ref, Rule: &rule})
		d.Involved = append(d.Involved, causeRefs...)
		c.add(d)
	}
}

// unknownPeer says why a rule's sources cannot be judged: its peer group is
// used by a resource vpcsim does not model (a load balancer), whose
// interfaces are not in the input. Empty when they can.
func (t *traffic) unknownPeer(ri *ruleInfo) string {
	m := ri.model
	if m == nil || m.Peer.Kind != model.PeerSecurityGroup {
		return ""
	}
	if g := t.e.ix.SecurityGroups[m.Peer.GroupID]; g != nil && g.IsOutside() {
		return fmt.Sprintf("its peer %s is not in the input (%s): whether the rule is reached is not known", m.Peer.GroupID, g.Outside)
	}
	for _, u := range t.e.net.UnsupportedResources {
		if slices.Contains(u.SecurityGroupIDs, m.Peer.GroupID) {
			return fmt.Sprintf("its peer %s is used by %s, which vpcsim does not model: whether the rule is reached is not known", m.Peer.GroupID, u.Label())
		}
	}
	return ""
}

// noSources says why a rule has no sources at all.
func (t *traffic) noSources(ri *ruleInfo) string {
	m := ri.model
	if m != nil && m.Peer.Kind == model.PeerSecurityGroup {
		if g := t.e.ix.SecurityGroups[m.Peer.GroupID]; g != nil && ri.g.sg != nil && g.VPCID != ri.g.sg.VPCID && t.e.crossRegion(ri.g.sg.VPCID, g.VPCID) {
			return fmt.Sprintf("its peer %s is in another region, and security group references do not cross regions", m.Peer.GroupID)
		}
		return fmt.Sprintf("its peer %s has no member interfaces", m.Peer.GroupID)
	}
	if m != nil && m.Peer.Kind == model.PeerPrefixList {
		return fmt.Sprintf("its peer %s has no entries vpcsim knows", m.Peer.PrefixListID)
	}
	return "no interface of the network, on-premises network or internet host sends it"
}

// ownerOfAddr is the interface using address a (any VPC), or nil.
func (e *Engine) ownerOfAddr(a netip.Addr) *node {
	for _, v := range e.net.VPCs {
		if x := e.owners[v.ID][a]; x != nil {
			return e.eni[x.ID]
		}
	}
	if x := e.publicOwner[a]; x != nil {
		return e.eni[x.ID]
	}
	return nil
}

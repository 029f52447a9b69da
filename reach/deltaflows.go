// The flows a comparison analyses: from outside the network to some of its
// interfaces (Analyze, restricted), and between its interfaces, computed by
// class as Matrix does but kept per pair of interfaces.

package reach

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// restrictStarts keeps of each start only the headers addressed to an
// interface of only (any of its private, IPv6 and public addresses).
func (e *Engine) restrictStarts(starts []analysisStart, only map[*model.NetworkInterface]bool) []analysisStart {
	var as []netip.Addr
	for x := range only {
		as = append(as, x.PrivateIPs...)
		as = append(as, x.IPv6Addrs...)
		for _, p := range x.PublicIPs {
			as = append(as, p.Public)
		}
	}
	dst := hset.Of(dstBoxes(addrsRanges(as)...)...)
	var out []analysisStart
	for _, st := range starts {
		if st.set = st.set.Intersect(dst); !st.set.IsEmpty() {
			out = append(out, st)
		}
	}
	return out
}

// SourceEstate names the flows between a network's own interfaces in a
// comparison (DeltaUnit.Source) and in fingerprints.
const SourceEstate = "estate"

// keyCodes gives every interface key of two networks a number, which the
// flows between interfaces carry as their source address: the sets of both
// networks then speak of sources the same way, whatever the addresses.
type keyCodes struct {
	code map[string]hset.Addr
	key  []string
}

func newKeyCodes(keys ...[]string) *keyCodes {
	var all []string
	for _, ks := range keys {
		all = append(all, ks...)
	}
	slices.Sort(all)
	all = slices.Compact(all)
	c := &keyCodes{code: make(map[string]hset.Addr, len(all)), key: all}
	for i, k := range all {
		c.code[k] = hset.Addr{Lo: uint64(i) + 1}
	}
	return c
}

// keysOf decodes the sources of a set.
func (c *keyCodes) keysOf(rs []hset.AddrRange) []string {
	var out []string
	for _, r := range rs {
		for i := r.Lo.Lo; i <= r.Hi.Lo && r.Hi.Hi == 0 && i >= 1 && int(i) <= len(c.key); i++ {
			out = append(out, c.key[i-1])
		}
	}
	return out
}

// estateFlows computes the flows between the network's interfaces that
// involve an interface of affected (nil: every interface), as one Exposure
// per destination interface whose headers carry the source interface's code
// as source address and every address as destination. Each class is walked
// through its representative (see class): completely when one of its members
// is affected, else only toward the representatives of classes with an
// affected member.
//
// Flows to an interface of complete are kept from every source, so that its
// units say what still passes as well as what changed.
func (e *Engine) estateFlows(eph hset.Range16, affected, complete map[*model.NetworkInterface]bool, codes *keyCodes) map[*model.NetworkInterface]*Exposure {
	keys := e.Keys()
	private := hset.Of(dstBoxes(e.privateSpace()...)...)
	classAffected := make([]bool, len(e.classes))
	var toward []hset.AddrRange
	for i, c := range e.classes {
		for _, m := range c.members {
			if affected == nil || affected[m.eni] {
				classAffected[i] = true
			}
		}
		if classAffected[i] || slices.ContainsFunc(c.members, func(m *node) bool { return complete[m.eni] }) {
			toward = append(toward, c.rep...)
			toward = append(toward, c.rep2...)
		}
	}
	towardSet := hset.Of(dstBoxes(toward...)...)
	type found struct {
		dc      *class
		pass    hset.Set
		fwd     flow
		home    []flow
		warning []Explanation
	}
	results := make([][]found, len(e.classes))
	parallel(len(e.classes), func(i int) {
		src := e.classes[i]
		var start hset.Set
		if classAffected[i] {
			start = every(src.rep, eph).Intersect(private)
		} else if start = every(src.rep, eph).Intersect(towardSet); start.IsEmpty() {
			return
		}
		w, got := e.classWalker()
		f := flow{set: start}
		w.push(&f, event{node: src.members[0], set: start})
		w.traverse(src.send, f)
		for _, r := range *got {
			dc := e.classOf[r.t]
			if dc == nil {
				continue
			}
			rt := e.roundTrip(r.t, r.f, start, func(t *node) bool { return e.classOf[t] == src }, false)
			if !rt.passing.IsEmpty() {
				results[i] = append(results[i], found{dc, rt.passing, r.f, rt.home, rt.warnings})
			}
		}
	})
	out := map[*model.NetworkInterface]*Exposure{}
	for i, src := range e.classes {
		srcRef := src.members[0].ref
		if len(src.members) > 1 {
			srcRef.Name = fmt.Sprintf("%s and %d more like it", srcRef.Label(), len(src.members)-1)
			srcRef.ID, srcRef.Address = "", ""
		}
		for _, fd := range results[i] {
			svc := fd.pass.WithDst(full)
			var dg *digest
			for _, dm := range fd.dc.members {
				added := false
				for _, sm := range src.members {
					if sm == dm || (affected != nil && !affected[sm.eni] && !affected[dm.eni] && !complete[dm.eni]) {
						continue
					}
					x := out[dm.eni]
					if x == nil {
						x = e.newExposure(dm)
						x.eph = eph
						out[dm.eni] = x
					}
					code := codes.code[keys.Of(sm.eni.ID)]
					x.passing = x.passing.Union(svc.WithSrc(hset.AddrRange{Lo: code, Hi: code}))
					x.warnings = append(x.warnings, fd.warning...)
					added = true
				}
				if !added {
					continue
				}
				// The walk went through the representatives (the second
				// member of the class, as the destination of its own
				// members): the decisions are those of the members, named
				// after them.
				if dg == nil {
					dg = &digest{}
					dg.addFlow(LegForward, fd.fwd)
					for _, b := range fd.home {
						dg.addFlow(LegReturn, b)
					}
				}
				names := map[Ref]Ref{src.members[0].ref: srcRef, fd.dc.members[0].ref: dm.ref}
				if fd.dc == src && len(src.members) > 1 {
					names = map[Ref]Ref{src.members[0].ref: srcRef, src.members[1].ref: dm.ref}
				}
				x := out[dm.eni]
				x.digest.merge(ptr(dg.renamed(names)))
			}
		}
	}
	for _, x := range out {
		x.warnings = dedupe(x.warnings)
	}
	return out
}

// egressFlows computes, for every interface of affected (nil: every
// interface), the flows it can open to hosts on the internet and get
// replies to, as one Exposure per interface whose headers carry the internet
// destinations as sources (so that they print and compare like the sources
// of an exposure) and every address as destination.
func (e *Engine) egressFlows(eph hset.Range16, affected map[*model.NetworkInterface]bool) map[*model.NetworkInterface]*Exposure {
	// The estate's own public addresses are not internet hosts: the walk
	// lets traffic to them leave like any (exitsOnly), and the comparison
	// sets them aside (internetMask).
	inet := hset.Of(dstBoxes(e.internetSpace...)...)
	type found struct {
		pass    hset.Set
		fwd     flow
		home    []flow
		warning []Explanation
	}
	results := make([][]found, len(e.classes))
	parallel(len(e.classes), func(i int) {
		src := e.classes[i]
		if affected != nil && !slices.ContainsFunc(src.members, func(m *node) bool { return affected[m.eni] }) {
			return
		}
		start := every(src.rep, eph).Intersect(inet)
		if start.IsEmpty() {
			return
		}
		var got []reachedFlow
		w := &walker{e: e, byClass: true, exitsOnly: true,
			reached: func(t *node, f flow) {
				if t.kind == nodeInternet {
					got = append(got, reachedFlow{t, f})
				}
			},
			dropped: func(flow, *drop, *RuleRef) {},
		}
		f := flow{set: start}
		w.push(&f, event{node: src.members[0], set: start})
		w.traverse(src.send, f)
		for _, r := range got {
			rt := e.roundTrip(r.t, r.f, start, func(t *node) bool { return e.classOf[t] == src }, false)
			if !rt.passing.IsEmpty() {
				results[i] = append(results[i], found{rt.passing, r.f, rt.home, rt.warnings})
			}
		}
	})
	out := map[*model.NetworkInterface]*Exposure{}
	for i, src := range e.classes {
		if len(results[i]) == 0 {
			continue
		}
		// The internet hosts reached take the place of the sources; every
		// member of the class reaches the same (sets are shared values).
		var bs []hset.Box
		for _, fd := range results[i] {
			for b := range fd.pass.All() {
				b.Src, b.Dst = b.Dst, full
				bs = append(bs, b)
			}
		}
		pass := hset.Of(bs...)
		var dg digest
		var warnings []Explanation
		for _, fd := range results[i] {
			dg.addFlow(LegForward, fd.fwd)
			for _, b := range fd.home {
				dg.addFlow(LegReturn, b)
			}
			warnings = append(warnings, fd.warning...)
		}
		for _, sm := range src.members {
			if affected != nil && !affected[sm.eni] {
				continue
			}
			x := e.newExposure(sm)
			x.eph = eph
			x.care = e.care.fresh()
			x.passing = pass
			x.warnings = dedupe(warnings)
			x.digest = dg.renamed(map[Ref]Ref{src.members[0].ref: sm.ref})
			out[sm.eni] = x
		}
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// renamed is a copy of the digest with the components of its decisions
// renamed (a class's representative to one of its members); the footprints
// are shared.
func (d *digest) renamed(names map[Ref]Ref) digest {
	var out digest
	for _, rec := range d.steps {
		st := rec.step
		if to, ok := names[st.Component]; ok {
			cp := *st
			cp.Component = to
			st = &cp
		}
		out.addStep(rec.dir, st, func(s hset.Set) hset.Set { return s })
	}
	out.nodes = d.nodes
	return out
}

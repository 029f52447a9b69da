// Probes: the walks design checks and expectations make. A probe sends a
// set of headers from one source — a class of interfaces, or a world outside
// (the internet, an on-premises network) — through the same walker Trace,
// Analyze and Matrix use, and follows each part that arrives somewhere back
// with the one round trip (roundtrip.go).

package reach

import (
	"github.com/vpcsim/vpcsim/reach/hset"
)

// probe is one walk of a question.
type probe struct {
	// cls is the source class (walked through its representative, as
	// Matrix does); nil when world is set.
	cls *class
	// world is the internet or an on-premises network the traffic comes
	// from.
	world *node
	// set are the headers as they leave the source.
	set hset.Set
	// pub is, for a probe from the internet to one public IPv4 address, that
	// address: the internet gateway translates it, and the part that
	// arrives is mapped back to it.
	pub *hset.AddrRange
	// dest is, for a probe from the internet, the interface addressed.
	dest *node
	// keepDrops keeps what the walks dropped, forward and back, with why.
	keepDrops bool
}

// probeArrival is a part of a probe that reached a terminal: an interface, a
// host on the internet, an on-premises network, an AWS service.
type probeArrival struct {
	t   *node
	fwd flow
	// sent is the part of the probe's headers that arrived, as it left the
	// source; translated says a NAT gateway translated it on the way, and
	// sent is then every header that reached the gateway (the exact part
	// is not recovered).
	sent       hset.Set
	translated bool
	rt         *roundTrip
}

// failing is the part of what arrived whose replies did not come back.
func (a *probeArrival) failing() hset.Set { return a.sent.Subtract(a.rt.passing) }

// probeResult is what became of a probe.
type probeResult struct {
	p        *probe
	arrivals []probeArrival
	// drops are the forward drops, when kept.
	drops []droppedFlow
}

// home tells whether a reply arriving at terminal t came back to the probe's
// source.
func (e *Engine) probeHome(p *probe) func(*node) bool {
	switch {
	case p.cls != nil:
		return func(t *node) bool { return e.classOf[t] == p.cls }
	case p.world.kind == nodeInternet:
		return func(t *node) bool { return t.kind == nodeInternet }
	}
	w := p.world
	return func(t *node) bool { return t == w }
}

// runProbe walks p forward and every arrival back.
func (e *Engine) runProbe(p *probe) *probeResult {
	r := &probeResult{p: p}
	if p.set.IsEmpty() {
		return r
	}
	w := &walker{e: e, byClass: p.cls != nil,
		reached: func(t *node, f flow) { r.arrivals = append(r.arrivals, probeArrival{t: t, fwd: f}) },
		dropped: func(f flow, d *drop, rule *RuleRef) {
			if p.keepDrops {
				r.drops = append(r.drops, droppedFlow{f, d, rule})
			}
		},
	}
	if p.cls != nil {
		f := flow{set: p.set}
		w.push(&f, event{node: p.cls.members[0], set: p.set})
		w.traverse(p.cls.send, f)
	} else {
		w.start(p.world, flow{set: p.set})
	}
	home := e.probeHome(p)
	for i := range r.arrivals {
		a := &r.arrivals[i]
		a.rt = e.roundTrip(a.t, a.fwd, p.set, home, p.keepDrops)
		a.sent, a.translated = e.sentPart(p, a.fwd)
	}
	return r
}

// sentPart maps the headers of an arrived flow back to how they left the
// source: unchanged unless a gateway translated them. An internet gateway's
// translation of the probe's one public address is undone exactly; a NAT
// gateway's is not (its sessions keep what reached it).
func (e *Engine) sentPart(p *probe, f flow) (hset.Set, bool) {
	if f.sessions != nil {
		s := f.sessions
		for s.prev != nil {
			s = s.prev
		}
		return s.orig.Intersect(p.set), true
	}
	set := f.set
	if p.pub != nil {
		v4 := set.Intersect(hset.All4())
		set = set.Subtract(hset.All4()).Union(v4.WithDst(*p.pub))
	}
	return set.Intersect(p.set), false
}

// runProbes runs probes on every processor; results are in the probes'
// order.
func (e *Engine) runProbes(ps []*probe) []*probeResult {
	out := make([]*probeResult, len(ps))
	parallel(len(ps), func(i int) { out[i] = e.runProbe(ps[i]) })
	return out
}

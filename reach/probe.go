// Probes: the walks design checks and expectations make. A probe sends a
// set of headers from one source — a class of interfaces, or a world outside
// (the internet, an on-premises network) — through the same walker Trace,
// Analyze and Matrix use, and follows each part that arrives somewhere back
// with the one round trip (roundtrip.go).

package reach

import (
	"fmt"
	"slices"

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
	// dest is, for a probe from the internet, the interface addressed: the
	// class's member, or the load balancer node that forwards to lbFor.
	dest *node
	// lbFor is, for a probe from the internet to a load balancer's node on
	// behalf of a class of its targets, that class.
	lbFor *class
	// keepDrops keeps what the walks dropped, forward and back, with why.
	keepDrops bool
}

// probeArrival is a part of a probe that reached a terminal: an interface, a
// host on the internet, an on-premises network, an AWS service. Probes keep
// what the checks and expectations read, not the paths (which would hold
// every hop's headers of every walk).
type probeArrival struct {
	t *node
	// arrived are the headers as they arrived; sent the same as they left
	// the source. translated says a NAT gateway translated them on the way,
	// and sent is then every header that reached the gateway (the exact part
	// is not recovered).
	arrived, sent hset.Set
	translated    bool
	// passing is the part of what the source sent whose replies came back.
	passing hset.Set
	// back are, when the probe keeps drops and some replies failed, what
	// stopped them (a reply arriving elsewhere is a RETURN_PATH_MISMATCH
	// drop at the terminal it reached); aclAllows the network ACL rules that
	// let replies through on the paths that came back.
	back      []probeDrop
	aclAllows []RuleRef
	// via is the load balancer route the part came through; nil when it
	// addressed the terminal itself.
	via *lbRoute
}

// failing is the part of what arrived whose replies did not come back.
func (a *probeArrival) failing() hset.Set { return a.sent.Subtract(a.passing) }

// probeDrop is a part of a probe's traffic that stopped, with why.
type probeDrop struct {
	set  hset.Set
	drop *drop
	rule *RuleRef
	// atSource says it stopped at the source interface's own filters (its
	// outbound rules), before leaving it.
	atSource bool
}

// probeResult is what became of a probe.
type probeResult struct {
	p        *probe
	arrivals []probeArrival
	// drops are the forward drops, when kept.
	drops []probeDrop
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
	var src *node
	if p.cls != nil {
		src = p.cls.members[0]
	}
	var reached []reachedFlow
	w := &walker{e: e, byClass: p.cls != nil,
		reached: func(t *node, f flow) { reached = append(reached, reachedFlow{t, f}) },
		dropped: func(f flow, d *drop, rule *RuleRef) {
			if p.keepDrops {
				r.drops = append(r.drops, probeDrop{set: f.set, drop: d, rule: rule, atSource: src != nil && sgAtSource(f, src)})
			}
		},
	}
	if p.cls != nil {
		f := flow{set: p.set}
		w.push(&f, event{node: src, set: p.set})
		w.traverse(p.cls.send, f)
	} else {
		w.start(p.world, flow{set: p.set})
	}
	home := e.probeHome(p)
	for _, rf := range reached {
		rt := e.roundTrip(rf.t, rf.f, p.set, home, p.keepDrops)
		a := probeArrival{t: rf.t, arrived: rf.f.set, passing: rt.passing}
		if ls := rf.f.lbSession(); ls != nil {
			a.via = ls.lb
		}
		a.sent, a.translated = e.sentPart(p, rf.f)
		if p.keepDrops && !a.failing().IsEmpty() {
			for _, d := range rt.dropped {
				a.back = append(a.back, probeDrop{set: d.f.set, drop: d.d, rule: d.rule})
			}
			for _, s := range append(slices.Clone(rt.strays), rt.foreign...) {
				a.back = append(a.back, probeDrop{set: s.f.set, drop: &drop{code: CodeReturnWrongPath, comp: s.t.ref,
					message: fmt.Sprintf("the replies arrive at %s instead of the source", s.t.ref.Label())}})
			}
			a.aclAllows = aclAllowsOnPath(rt)
		}
		r.arrivals = append(r.arrivals, a)
	}
	return r
}

// sgAtSource reports whether a flow stopped at the source interface's own
// filters: the last node it reached is the source.
func sgAtSource(f flow, src *node) bool {
	for ev := f.trail; ev != nil; ev = ev.prev {
		if ev.node != nil {
			return ev.node == src
		}
	}
	return false
}

// aclAllowsOnPath are the network ACL rules that let replies through on
// the paths that came back.
func aclAllowsOnPath(rt *roundTrip) []RuleRef {
	var out []RuleRef
	for _, f := range rt.home {
		for ev := f.trail; ev != nil; ev = ev.prev {
			if st := ev.step; st != nil && st.Kind == StepNetworkACL && st.Decision == DecisionAllow {
				for _, r := range st.Rules {
					if !slices.Contains(out, r) {
						out = append(out, r)
					}
				}
			}
		}
	}
	return out
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

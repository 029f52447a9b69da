package reach

import (
	"github.com/vpcsim/vpcsim/reach/hset"
)

// A flow is reachable only when its replies come back: the reply leaves the
// destination with source and destination swapped, walks back through the
// same graph undoing the forward path's translations, and must arrive at the
// source from the address the source contacted (docs/semantics.md, "Replies
// must come back"). roundTrip is that check, the one Trace, Analyze and
// Matrix share.

// roundTrip is what came of the replies to one forward flow.
type roundTrip struct {
	// passing is the part of what the source sent whose replies came back:
	// headers as they left the source.
	passing hset.Set
	// home are the replies that came back with some of it, with their paths.
	home []flow
	// strays are replies that arrived somewhere other than the source;
	// foreign are replies that reached the source from an address it did
	// not contact (they answer nothing it sent).
	strays, foreign []reachedFlow
	// dropped are the parts of the replies that stopped on the way, with
	// why (kept only when asked for).
	dropped []droppedFlow
	// warnings qualify the replies that came back (a NAT gateway that
	// answers only part of its ports).
	warnings []Explanation
}

// roundTrip walks the replies to fwd, a forward flow that arrived at
// terminal t, back toward the source. sent is what the source sent (the
// flow as it left it) and home tells the source's terminals; keepDrops
// keeps the replies' drops for explanations.
func (e *Engine) roundTrip(t *node, fwd flow, sent hset.Set, home func(*node) bool, keepDrops bool) *roundTrip {
	rt := &roundTrip{}
	w := &walker{e: e,
		reached: func(a *node, f flow) {
			if !home(a) {
				rt.strays = append(rt.strays, reachedFlow{a, f})
				return
			}
			got := replyOf(f.set).Intersect(sent)
			if got.IsEmpty() {
				rt.foreign = append(rt.foreign, reachedFlow{a, f})
				return
			}
			rt.passing = rt.passing.Union(got)
			rt.home = append(rt.home, f)
			for x := f.warnings; x != nil; x = x.prev {
				rt.warnings = append(rt.warnings, x.x)
			}
		},
		dropped: func(f flow, d *drop, rule *RuleRef) {
			if keepDrops {
				rt.dropped = append(rt.dropped, droppedFlow{f, d, rule})
			}
		},
	}
	w.start(t, flow{set: replyOf(fwd.set), reply: true, sessions: fwd.sessions})
	return rt
}

// icmpPairs are the ICMP request and reply types (RFC 792, RFC 4443): a
// reply carries the paired type and the request's code.
var icmpPairs = map[uint8][][2]uint16{
	1:  {{8, 0}, {13, 14}, {15, 16}, {17, 18}},
	58: {{128, 129}},
}

// replyOf is the headers of the replies to s: addresses swapped and, for TCP,
// UDP and other protocols, ports swapped; for ICMP the type becomes its reply
// type (echo request 8 becomes echo reply 0) and the code stays. It is its own
// inverse, so replyOf(replyOf(s)) == s.
func replyOf(s hset.Set) hset.Set {
	out := hset.Set{}
	rest := s
	for proto, pairs := range icmpPairs {
		pbox := hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: proto, Hi: proto}, SrcPort: allPorts, DstPort: allPorts}
		part := s.IntersectBox(pbox)
		if part.IsEmpty() {
			continue
		}
		rest = rest.SubtractBox(pbox)
		out = out.Union(icmpReply(part, pairs))
	}
	return out.Union(rest.Swap())
}

// icmpReply swaps the addresses of an ICMP set and exchanges request and reply
// types.
func icmpReply(s hset.Set, pairs [][2]uint16) hset.Set {
	bs := s.Boxes()
	for i := range bs {
		bs[i].Src, bs[i].Dst = bs[i].Dst, bs[i].Src
	}
	out := hset.Of(bs...)
	mapped := hset.Set{}
	rest := out
	for _, p := range pairs {
		for _, ab := range [][2]uint16{{p[0], p[1]}, {p[1], p[0]}} {
			tb := hset.Box{Src: full, Dst: full, Proto: allProto, SrcPort: allPorts, DstPort: hset.Range16{Lo: ab[0], Hi: ab[0]}}
			part := out.IntersectBox(tb)
			if part.IsEmpty() {
				continue
			}
			rest = rest.SubtractBox(tb)
			mapped = mapped.Union(part.WithDstPort(hset.Range16{Lo: ab[1], Hi: ab[1]}))
		}
	}
	return mapped.Union(rest)
}

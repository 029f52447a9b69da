package reach

import (
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Witness is one concrete packet that shows a defect or a violation, and
// the trace of that packet's flow: running `vpcsim trace` with Query gives
// the same answer.
type Witness struct {
	// Header is the packet as it leaves the source: protocol, addresses and
	// ports (for ICMP, the type in DstPort and the code in SrcPort).
	Header Header `json:"-"`
	// Query is the trace asked: the ends by interface ID or address, the
	// addresses forced to the packet's, one destination and one client port.
	Query Query `json:"-"`
	// Trace is its answer.
	Trace *Result `json:"-"`
}

// pickHeader picks one packet of s: TCP when s has some, else UDP, ICMP,
// ICMPv6, else the lowest protocol; within it, the first box's lowest ports
// (443 or 22 when a range of destination ports holds them and starts at
// 0), and addresses that are not a block's first when the block has more.
func pickHeader(s hset.Set) (Header, bool) {
	if s.IsEmpty() {
		return Header{}, false
	}
	for _, p := range []uint8{6, 17, 1, 58} {
		part := s.IntersectBox(hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: p, Hi: p}, SrcPort: allPorts, DstPort: allPorts})
		if !part.IsEmpty() {
			s = part
			break
		}
	}
	var b hset.Box
	for x := range s.All() {
		b = x
		break
	}
	h := Header{Src: niceAddr(b.Src), Dst: niceAddr(b.Dst), Proto: b.Proto.Lo, SrcPort: b.SrcPort.Lo, DstPort: b.DstPort.Lo}
	if b.DstPort.Lo == 0 && b.DstPort.Hi > 0 && (h.Proto == 6 || h.Proto == 17) {
		h.DstPort = 1
		for _, p := range []uint16{443, 22} {
			if b.DstPort.Contains(p) {
				h.DstPort = p
				break
			}
		}
	}
	return h, true
}

// niceAddr is an address of r: its first, unless r holds more and the first
// ends a block (a network address reads as a network, not a host).
func niceAddr(r hset.AddrRange) netip.Addr {
	a := r.Lo
	if a.Lo&0xff == 0 && a != r.Hi {
		a = a.Next()
	}
	return a.NetIP()
}

// witness is the query that traces h from the source named from to the
// destination named to (an interface ID, or the packet's own address for a
// host outside the network), with the addresses forced to the packet's; its
// trace is traceWitnesses'.
func (e *Engine) witness(h Header, from, to string, eph model.PortRange) *Witness {
	p := model.ProtocolNumber(h.Proto)
	q := Query{From: from, To: to, Protocol: p, Ephemeral: eph}
	if from != h.Src.String() {
		q.FromAddr = AddrChoice(h.Src.String())
	}
	if to != h.Dst.String() {
		q.ToAddr = AddrChoice(h.Dst.String())
	}
	switch {
	case p.HasPorts():
		d, s := model.Port(h.DstPort), model.Port(h.SrcPort)
		q.Port, q.SrcPort = &d, &s
	case p.IsICMP():
		m := model.ICMPTypeCode(int(h.DstPort), int(h.SrcPort))
		q.ICMP = &m
	}
	return &Witness{Header: h, Query: q}
}

// traceWitnesses traces witnesses on every processor: each trace reads the
// engine only.
func (e *Engine) traceWitnesses(ws []*Witness) {
	parallel(len(ws), func(i int) {
		if r, err := e.Trace(ws[i].Query); err == nil {
			ws[i].Trace = r
		}
	})
}

// dstTiers are the destinations a reader recognises, best first: the
// addresses of the network's interfaces (not NAT gateways', which are not
// hosts), the VPCs' blocks, on-premises networks, the internet.
func (e *Engine) dstTiers() [][]hset.AddrRange {
	var used []netip.Addr
	for _, x := range e.net.Interfaces {
		if x.OwnerKind == model.OwnerNATGateway {
			continue
		}
		used = append(used, x.PrivateIPs...)
		used = append(used, x.IPv6Addrs...)
	}
	var vpcs, onprem []hset.AddrRange
	for _, v := range e.net.VPCs {
		for _, p := range v.AllCIDRs() {
			vpcs = append(vpcs, prefixRanges(p)...)
		}
	}
	for _, c := range e.net.VPNConnections {
		for _, p := range c.OnPremCIDRs {
			onprem = append(onprem, prefixRanges(p)...)
		}
	}
	return [][]hset.AddrRange{addrsRanges(used), mergeRanges(nil, vpcs), mergeRanges(nil, onprem), e.internetSpace}
}

// preferDst narrows s to the first tier of destinations it reaches into
// (see dstTiers), or leaves it whole.
func preferDst(tiers [][]hset.AddrRange, s hset.Set) hset.Set {
	proj := s.Project(hset.DimDst)
	for _, tier := range tiers {
		// Tiers are sorted and disjoint: a binary search per range of s.
		// One range is enough for a witness; every address of s's
		// destinations is the destination of some header of s.
		for _, r := range proj {
			if hit := intersectRanges(tier, r); len(hit) > 0 {
				if part := intersectDst(s, hit[0]); !part.IsEmpty() {
					return part
				}
			}
		}
	}
	return s
}

// endName names an end of a witness for Trace: the interface's ID, or the
// packet's address when the end is a world outside the network.
func endName(t *node, a netip.Addr) string {
	if t != nil && t.kind == nodeENI && t.eni != nil {
		return t.eni.ID
	}
	return a.String()
}

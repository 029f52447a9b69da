package hset

import (
	"math/big"
	"slices"
	"strings"
)

// Swap returns the headers of the reply direction: source and destination
// addresses exchanged, and source and destination ports. The exchange is
// positional: for ICMP it exchanges type and code, which is not how ICMP
// replies work — the engine maps ICMP request types to reply types itself.
func (s Set) Swap() Set {
	bs := make([]Box, len(s.boxes))
	for i, b := range s.boxes {
		bs[i] = Box{Src: b.Dst, Dst: b.Src, Proto: b.Proto, SrcPort: b.DstPort, DstPort: b.SrcPort}
	}
	return ofOwned(bs)
}

// WithSrc returns s with every header's source replaced by every address of
// r: source NAT to an address (r of one address) or a pool. The result is
// empty when s or r is.
func (s Set) WithSrc(r AddrRange) Set {
	return s.with(func(b *Box) { b.Src = r })
}

// WithDst returns s with every header's destination replaced by every address
// of r: destination NAT.
func (s Set) WithDst(r AddrRange) Set {
	return s.with(func(b *Box) { b.Dst = r })
}

// WithSrcPort returns s with every header's source port replaced by every
// port of r: a NAT gateway's port translation into 1024-65535.
func (s Set) WithSrcPort(r Range16) Set {
	return s.with(func(b *Box) { b.SrcPort = r })
}

// WithDstPort replaces the destination-port range of every header by r
// (for ICMP, the type: the engine maps request types to reply types).
func (s Set) WithDstPort(r Range16) Set {
	return s.with(func(b *Box) { b.DstPort = r })
}

func (s Set) with(f func(*Box)) Set {
	bs := slices.Clone(s.boxes)
	for i := range bs {
		f(&bs[i])
	}
	return ofOwned(bs) // boxes that differed only in the replaced field now overlap
}

// Project returns the values of dimension d that some header of s has, as
// sorted, disjoint, non-adjacent ranges. Protocols and ports come as ranges
// of small Addrs (the value in Lo; see ProjectPorts). An invalid d gives nil.
func (s Set) Project(d Dim) []AddrRange {
	l := d.level()
	if l < 0 || len(s.boxes) == 0 {
		return nil
	}
	rs := make([]AddrRange, 0, len(s.boxes))
	for i := range s.boxes {
		sp := s.boxes[i].span(l)
		rs = append(rs, AddrRange{sp.lo, sp.hi})
	}
	slices.SortFunc(rs, func(a, b AddrRange) int { return a.Lo.Compare(b.Lo) })
	out := rs[:1]
	for _, r := range rs[1:] {
		last := &out[len(out)-1]
		switch {
		case !last.Hi.IsMax() && last.Hi.Next().Less(r.Lo):
			out = append(out, r) // a gap separates them
		case last.Hi.Less(r.Hi):
			last.Hi = r.Hi
		}
	}
	return slices.Clip(out)
}

// ProjectPorts is Project for DimSrcPort or DimDstPort, as port ranges; nil
// for another dimension.
func (s Set) ProjectPorts(d Dim) []Range16 {
	if d != DimSrcPort && d != DimDstPort {
		return nil
	}
	rs := s.Project(d)
	out := make([]Range16, len(rs))
	for i, r := range rs {
		out[i] = Range16{uint16(r.Lo.Lo), uint16(r.Hi.Lo)}
	}
	return out
}

// ServiceGroup is one part of a set's partition by service: a protocol range
// and a destination-port range over which the rest of the set — the sources,
// destinations and source ports — is the same.
type ServiceGroup struct {
	Proto   Range8
	DstPort Range16
	// Rest is the part of the set inside Proto × DstPort: its boxes all carry
	// this group's Proto and DstPort, so the union of every group's Rest is
	// the set, and Rest.Project(DimSrc) lists the sources of the service.
	Rest Set
}

// GroupByService partitions s by (protocol, destination port), in ascending
// order. The groups are the first two levels of the canonical form: each
// protocol range is maximal (its neighbours differ in what they allow), and
// within it each destination-port range is maximal. A port range shared by
// two adjacent protocol ranges is therefore reported once for each.
func (s Set) GroupByService() []ServiceGroup {
	var out []ServiceGroup
	for i := 0; i < len(s.boxes); {
		j := i + 1
		for j < len(s.boxes) && s.boxes[j].Proto == s.boxes[i].Proto && s.boxes[j].DstPort == s.boxes[i].DstPort {
			j++
		}
		out = append(out, ServiceGroup{s.boxes[i].Proto, s.boxes[i].DstPort, Set{s.boxes[i:j:j]}})
		i = j
	}
	return out
}

// Size returns the number of headers in s.
func (s Set) Size() *big.Int {
	z := new(big.Int)
	for _, b := range s.boxes {
		z.Add(z, b.Size()) // canonical boxes are disjoint
	}
	return z
}

// String prints one box per line in canonical order (see Box.String), or
// "empty". Equal sets print identically.
func (s Set) String() string {
	if len(s.boxes) == 0 {
		return "empty"
	}
	var sb strings.Builder
	for i, b := range s.boxes {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(b.String())
	}
	return sb.String()
}

package hset

import (
	"fmt"
	"math/big"
	"net/netip"
)

// Box is the set of headers whose every field lies in the matching range: the
// product of five intervals. It is empty when any range is.
//
// Set every field: a zero Range8 or Range16 is the single value 0 (protocol
// 0, port 0), not "any" — write AllProtos and AllPorts for that — and a zero
// AddrRange is the single address ::, which belongs to neither family. A
// forgotten field so narrows a box instead of widening it.
type Box struct {
	Src, Dst         AddrRange
	Proto            Range8
	SrcPort, DstPort Range16 // for ICMP: code in SrcPort, type in DstPort
}

// Empty reports whether b holds no header: some dimension has Lo > Hi.
func (b Box) Empty() bool {
	return b.Src.Empty() || b.Dst.Empty() || b.Proto.Empty() || b.SrcPort.Empty() || b.DstPort.Empty()
}

// Contains reports whether h lies in b.
func (b Box) Contains(h Header) bool {
	p := Point(h)
	return b.has(&p)
}

// Intersect returns the headers in both b and o; the result may be Empty.
func (b Box) Intersect(o Box) Box {
	r := b
	for l := range nlev {
		s, t := b.span(l), o.span(l)
		if s.lo.Less(t.lo) {
			s.lo = t.lo
		}
		if t.hi.Less(s.hi) {
			s.hi = t.hi
		}
		if s.hi.Less(s.lo) {
			return Box{Src: emptyRange}
		}
		r.setSpan(l, s)
	}
	return r
}

// Size returns the number of headers in b.
func (b Box) Size() *big.Int {
	if b.Empty() {
		return new(big.Int)
	}
	z := b.Src.Size()
	z.Mul(z, b.Dst.Size())
	z.Mul(z, big.NewInt(int64(b.Proto.Hi)-int64(b.Proto.Lo)+1))
	z.Mul(z, big.NewInt(int64(b.SrcPort.Hi)-int64(b.SrcPort.Lo)+1))
	return z.Mul(z, big.NewInt(int64(b.DstPort.Hi)-int64(b.DstPort.Lo)+1))
}

// String prints b on one line, in the order of the canonical form: protocol,
// destination port, source, destination, source port —
// "tcp dport 22 src 10.0.0.0/16 dst 10.1.0.0/24 sport all". For exactly ICMP
// or ICMPv6 the ports are printed as what they hold: "icmp type 8 src … dst …
// code all".
func (b Box) String() string {
	if b.Empty() {
		return "empty"
	}
	dp, sp := "dport", "sport"
	if b.Proto == Proto(ProtoICMP) || b.Proto == Proto(ProtoICMPv6) {
		dp, sp = "type", "code"
	}
	return fmt.Sprintf("%v %s %v src %v dst %v %s %v", b.Proto, dp, b.DstPort, b.Src, b.Dst, sp, b.SrcPort)
}

// Header is one packet header: the 5-tuple the filters look at. For ICMP and
// ICMPv6, DstPort holds the ICMP type and SrcPort the code.
type Header struct {
	Src, Dst         netip.Addr
	Proto            uint8
	SrcPort, DstPort uint16
}

// String prints h as "tcp 10.0.0.1:1234 -> 10.0.0.2:22" (IPv6 addresses in
// brackets), or for ICMP "icmp 10.0.0.1 -> 10.0.0.2 type 8 code 0".
func (h Header) String() string {
	if h.Proto == ProtoICMP || h.Proto == ProtoICMPv6 {
		return fmt.Sprintf("%s %v -> %v type %d code %d", protoName(h.Proto), h.Src, h.Dst, h.DstPort, h.SrcPort)
	}
	return fmt.Sprintf("%s %v -> %v", protoName(h.Proto), netip.AddrPortFrom(h.Src, h.SrcPort), netip.AddrPortFrom(h.Dst, h.DstPort))
}

// Point returns the box holding only h.
func Point(h Header) Box {
	s, d := AddrFrom(h.Src), AddrFrom(h.Dst)
	return Box{
		Src: AddrRange{s, s}, Dst: AddrRange{d, d},
		Proto:   Range8{h.Proto, h.Proto},
		SrcPort: Range16{h.SrcPort, h.SrcPort}, DstPort: Range16{h.DstPort, h.DstPort},
	}
}

// Dim names one dimension of a header.
type Dim uint8

// Dimensions. The zero value is invalid.
const (
	DimSrc Dim = iota + 1
	DimDst
	DimProto
	DimSrcPort
	DimDstPort
)

// String returns the name used in output: src, dst, proto, sport, dport.
func (d Dim) String() string {
	switch d {
	case DimSrc:
		return "src"
	case DimDst:
		return "dst"
	case DimProto:
		return "proto"
	case DimSrcPort:
		return "sport"
	case DimDstPort:
		return "dport"
	}
	return "invalid"
}

// level returns d's position in the canonical order, or -1.
func (d Dim) level() int {
	switch d {
	case DimProto:
		return 0
	case DimDstPort:
		return 1
	case DimSrc:
		return 2
	case DimDst:
		return 3
	case DimSrcPort:
		return 4
	}
	return -1
}

// The canonical form nests the dimensions in this order (its "levels"):
// protocol, destination port, source, destination, source port. Protocol and
// destination port first make GroupByService a walk over the first two
// levels, and put what the filters split most finely (addresses) in the
// middle. Every level is handled as a range of Addr so that one sweep serves
// all five; the small dimensions sit in Lo.
const nlev = 5

// levelMax is the highest value of each level.
var levelMax = [nlev]Addr{{0, 255}, {0, 65535}, maxAddr, maxAddr, {0, 65535}}

// span is one level's interval of a box.
type span struct{ lo, hi Addr }

func (b *Box) span(l int) span {
	switch l {
	case 2:
		return span{b.Src.Lo, b.Src.Hi}
	case 3:
		return span{b.Dst.Lo, b.Dst.Hi}
	}
	lo, hi := b.small(l)
	return span{Addr{0, lo}, Addr{0, hi}}
}

// small returns the interval of the small level l (0, 1 or 4).
func (b *Box) small(l int) (lo, hi uint64) {
	switch l {
	case 0:
		return uint64(b.Proto.Lo), uint64(b.Proto.Hi)
	case 1:
		return uint64(b.DstPort.Lo), uint64(b.DstPort.Hi)
	}
	return uint64(b.SrcPort.Lo), uint64(b.SrcPort.Hi)
}

func (b *Box) setSpan(l int, s span) {
	switch l {
	case 0:
		b.Proto = Range8{uint8(s.lo.Lo), uint8(s.hi.Lo)}
	case 1:
		b.DstPort = Range16{uint16(s.lo.Lo), uint16(s.hi.Lo)}
	case 2:
		b.Src = AddrRange{s.lo, s.hi}
	case 3:
		b.Dst = AddrRange{s.lo, s.hi}
	default:
		b.SrcPort = Range16{uint16(s.lo.Lo), uint16(s.hi.Lo)}
	}
}

func (b *Box) setHi(l int, hi Addr) {
	switch l {
	case 0:
		b.Proto.Hi = uint8(hi.Lo)
	case 1:
		b.DstPort.Hi = uint16(hi.Lo)
	case 2:
		b.Src.Hi = hi
	case 3:
		b.Dst.Hi = hi
	default:
		b.SrcPort.Hi = uint16(hi.Lo)
	}
}

// sameSpan reports whether a and b have the same interval at level l.
func sameSpan(a, b *Box, l int) bool {
	switch l {
	case 0:
		return a.Proto == b.Proto
	case 1:
		return a.DstPort == b.DstPort
	case 2:
		return a.Src == b.Src
	case 3:
		return a.Dst == b.Dst
	}
	return a.SrcPort == b.SrcPort
}

// sameBelow reports whether a and b agree on every level after l.
func sameBelow(a, b *Box, l int) bool {
	switch l {
	case 0:
		return a.DstPort == b.DstPort && a.Src == b.Src && a.Dst == b.Dst && a.SrcPort == b.SrcPort
	case 1:
		return a.Src == b.Src && a.Dst == b.Dst && a.SrcPort == b.SrcPort
	case 2:
		return a.Dst == b.Dst && a.SrcPort == b.SrcPort
	case 3:
		return a.SrcPort == b.SrcPort
	}
	return true
}

// has reports whether the one-header box p lies in b. Fields are compared
// directly, most selective first, because Contains runs it per box.
func (b *Box) has(p *Box) bool {
	return b.Proto.Lo <= p.Proto.Lo && p.Proto.Lo <= b.Proto.Hi &&
		b.DstPort.Lo <= p.DstPort.Lo && p.DstPort.Lo <= b.DstPort.Hi &&
		b.SrcPort.Lo <= p.SrcPort.Lo && p.SrcPort.Lo <= b.SrcPort.Hi &&
		!p.Src.Lo.Less(b.Src.Lo) && !b.Src.Hi.Less(p.Src.Lo) &&
		!p.Dst.Lo.Less(b.Dst.Lo) && !b.Dst.Hi.Less(p.Dst.Lo)
}

// relate reports whether b lies inside c and whether they overlap. The
// one-box fast paths run it on every box of a set, so it compares fields
// directly rather than through span.
func (b *Box) relate(c *Box) (inside, overlap bool) {
	if b.Proto.Hi < c.Proto.Lo || c.Proto.Hi < b.Proto.Lo ||
		b.DstPort.Hi < c.DstPort.Lo || c.DstPort.Hi < b.DstPort.Lo ||
		b.SrcPort.Hi < c.SrcPort.Lo || c.SrcPort.Hi < b.SrcPort.Lo ||
		b.Src.Hi.Less(c.Src.Lo) || c.Src.Hi.Less(b.Src.Lo) ||
		b.Dst.Hi.Less(c.Dst.Lo) || c.Dst.Hi.Less(b.Dst.Lo) {
		return false, false
	}
	inside = c.Proto.Lo <= b.Proto.Lo && b.Proto.Hi <= c.Proto.Hi &&
		c.DstPort.Lo <= b.DstPort.Lo && b.DstPort.Hi <= c.DstPort.Hi &&
		c.SrcPort.Lo <= b.SrcPort.Lo && b.SrcPort.Hi <= c.SrcPort.Hi &&
		!b.Src.Lo.Less(c.Src.Lo) && !c.Src.Hi.Less(b.Src.Hi) &&
		!b.Dst.Lo.Less(c.Dst.Lo) && !c.Dst.Hi.Less(b.Dst.Hi)
	return inside, true
}

// setAbove sets the levels above l of b from path: a subtree copied into a
// narrower segment takes the segment's intervals.
func (b *Box) setAbove(l int, path *[nlev]span) {
	if l > 0 {
		b.Proto = Range8{uint8(path[0].lo.Lo), uint8(path[0].hi.Lo)}
	}
	if l > 1 {
		b.DstPort = Range16{uint16(path[1].lo.Lo), uint16(path[1].hi.Lo)}
	}
	if l > 2 {
		b.Src = AddrRange{path[2].lo, path[2].hi}
	}
	if l > 3 {
		b.Dst = AddrRange{path[3].lo, path[3].hi}
	}
	if l > 4 {
		b.SrcPort = Range16{uint16(path[4].lo.Lo), uint16(path[4].hi.Lo)}
	}
}

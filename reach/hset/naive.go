// Package hset: TEMPORARY naive implementation for the lead's development; replaced by branch h3-hset.
package hset

import (
	"fmt"
	"math/big"
	"net/netip"
	"sort"
	"strings"
)

type Addr struct{ Hi, Lo uint64 }

func AddrFrom(a netip.Addr) Addr {
	b := a.As16()
	var hi, lo uint64
	for i := 0; i < 8; i++ {
		hi = hi<<8 | uint64(b[i])
		lo = lo<<8 | uint64(b[8+i])
	}
	return Addr{hi, lo}
}
func (a Addr) NetIP() netip.Addr {
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[7-i] = byte(a.Hi >> (8 * i))
		b[15-i] = byte(a.Lo >> (8 * i))
	}
	return netip.AddrFrom16(b).Unmap()
}
func (a Addr) Less(b Addr) bool { return a.Hi < b.Hi || (a.Hi == b.Hi && a.Lo < b.Lo) }
func (a Addr) Next() Addr {
	if a.Lo == ^uint64(0) {
		return Addr{a.Hi + 1, 0}
	}
	return Addr{a.Hi, a.Lo + 1}
}
func (a Addr) Prev() Addr {
	if a.Lo == 0 {
		return Addr{a.Hi - 1, ^uint64(0)}
	}
	return Addr{a.Hi, a.Lo - 1}
}

type AddrRange struct{ Lo, Hi Addr }

var (
	All4Addrs = AddrRange{Addr{0, 0xffff00000000}, Addr{0, 0xffffffffffff}}
	AllAddrs  = AddrRange{Addr{0, 0}, Addr{^uint64(0), ^uint64(0)}}
	All6Addrs = AllAddrs
)

func PrefixRange(p netip.Prefix) AddrRange {
	p = p.Masked()
	lo := AddrFrom(p.Addr())
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	hi := lo
	host := 128 - bits
	if host >= 64 {
		hi.Lo = ^uint64(0)
		if host > 64 {
			hi.Hi |= (uint64(1) << (host - 64)) - 1
		}
	} else if host > 0 {
		hi.Lo |= (uint64(1) << host) - 1
	}
	return AddrRange{lo, hi}
}
func AddrRangeOf(lo, hi netip.Addr) AddrRange { return AddrRange{AddrFrom(lo), AddrFrom(hi)} }
func (r AddrRange) Prefixes() []netip.Prefix {
	var out []netip.Prefix
	lo := r.Lo
	for !r.Hi.Less(lo) {
		// largest prefix starting at lo within r
		bits := 128
		for bits > 0 {
			p := netip.PrefixFrom(Addr{lo.Hi, lo.Lo}.NetIP16(), bits-1)
			pr := PrefixRange16(p)
			if pr.Lo != lo || r.Hi.Less(pr.Hi) {
				break
			}
			bits--
		}
		p := netip.PrefixFrom(lo.NetIP16(), bits)
		pr := PrefixRange16(p)
		a := p.Addr()
		if a.Is4In6() && bits >= 96 {
			out = append(out, netip.PrefixFrom(a.Unmap(), bits-96))
		} else {
			out = append(out, p)
		}
		if pr.Hi == (Addr{^uint64(0), ^uint64(0)}) {
			break
		}
		lo = pr.Hi.Next()
	}
	return out
}
func (a Addr) NetIP16() netip.Addr {
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[7-i] = byte(a.Hi >> (8 * i))
		b[15-i] = byte(a.Lo >> (8 * i))
	}
	return netip.AddrFrom16(b)
}
func PrefixRange16(p netip.Prefix) AddrRange {
	p = p.Masked()
	lo := AddrFrom(p.Addr())
	hi := lo
	host := 128 - p.Bits()
	if host >= 64 {
		hi.Lo = ^uint64(0)
		if host > 64 {
			if host == 128 {
				hi.Hi = ^uint64(0)
			} else {
				hi.Hi |= (uint64(1) << (host - 64)) - 1
			}
		}
	} else if host > 0 {
		hi.Lo |= (uint64(1) << host) - 1
	}
	return AddrRange{lo, hi}
}
func (r AddrRange) String() string {
	ps := r.Prefixes()
	if len(ps) == 1 {
		return ps[0].String()
	}
	return r.Lo.NetIP().String() + "-" + r.Hi.NetIP().String()
}

type Range16 struct{ Lo, Hi uint16 }
type Range8 struct{ Lo, Hi uint8 }
type Box struct {
	Src, Dst         AddrRange
	Proto            Range8
	SrcPort, DstPort Range16
}

func (b Box) Empty() bool {
	return b.Src.Hi.Less(b.Src.Lo) || b.Dst.Hi.Less(b.Dst.Lo) || b.Proto.Lo > b.Proto.Hi || b.SrcPort.Lo > b.SrcPort.Hi || b.DstPort.Lo > b.DstPort.Hi
}

type Header struct {
	Src, Dst         netip.Addr
	Proto            uint8
	SrcPort, DstPort uint16
}

func inA(r AddrRange, a Addr) bool { return !a.Less(r.Lo) && !r.Hi.Less(a) }
func (b Box) Contains(h Header) bool {
	return inA(b.Src, AddrFrom(h.Src)) && inA(b.Dst, AddrFrom(h.Dst)) && b.Proto.Lo <= h.Proto && h.Proto <= b.Proto.Hi &&
		b.SrcPort.Lo <= h.SrcPort && h.SrcPort <= b.SrcPort.Hi && b.DstPort.Lo <= h.DstPort && h.DstPort <= b.DstPort.Hi
}
func Point(h Header) Box {
	s, d := AddrFrom(h.Src), AddrFrom(h.Dst)
	return Box{AddrRange{s, s}, AddrRange{d, d}, Range8{h.Proto, h.Proto}, Range16{h.SrcPort, h.SrcPort}, Range16{h.DstPort, h.DstPort}}
}

type Set struct{ b []Box }

func Of(boxes ...Box) Set {
	var s Set
	for _, b := range boxes {
		if !b.Empty() {
			s = s.Union(Set{[]Box{b}})
		}
	}
	return s
}
func All4() Set {
	return Set{[]Box{{All4Addrs, All4Addrs, Range8{0, 255}, Range16{0, 65535}, Range16{0, 65535}}}}
}
func All6() Set {
	lo := AddrRange{Addr{0, 0}, Addr{0, 0xffff00000000 - 1}}
	hi := AddrRange{Addr{0, 0x1000000000000}, AllAddrs.Hi}
	var bs []Box
	for _, a := range []AddrRange{lo, hi} {
		for _, c := range []AddrRange{lo, hi} {
			bs = append(bs, Box{a, c, Range8{0, 255}, Range16{0, 65535}, Range16{0, 65535}})
		}
	}
	return Set{bs}
}
func maxA(a, b Addr) Addr {
	if a.Less(b) {
		return b
	}
	return a
}
func minA(a, b Addr) Addr {
	if a.Less(b) {
		return a
	}
	return b
}
func isectA(a, b AddrRange) AddrRange { return AddrRange{maxA(a.Lo, b.Lo), minA(a.Hi, b.Hi)} }
func isect(a, b Box) Box {
	return Box{isectA(a.Src, b.Src), isectA(a.Dst, b.Dst),
		Range8{max(a.Proto.Lo, b.Proto.Lo), min(a.Proto.Hi, b.Proto.Hi)},
		Range16{max(a.SrcPort.Lo, b.SrcPort.Lo), min(a.SrcPort.Hi, b.SrcPort.Hi)},
		Range16{max(a.DstPort.Lo, b.DstPort.Lo), min(a.DstPort.Hi, b.DstPort.Hi)}}
}
func (s Set) Intersect(t Set) Set {
	var out []Box
	for _, a := range s.b {
		for _, c := range t.b {
			if x := isect(a, c); !x.Empty() {
				out = append(out, x)
			}
		}
	}
	return Set{out}
}
func (s Set) IntersectBox(b Box) Set { return s.Intersect(Set{[]Box{b}}) }

// subtract box c from a: up to 10 disjoint pieces
func boxMinus(a, c Box) []Box {
	x := isect(a, c)
	if x.Empty() {
		return []Box{a}
	}
	var out []Box
	rest := a
	// dim Src
	if rest.Src.Lo.Less(x.Src.Lo) {
		p := rest
		p.Src.Hi = x.Src.Lo.Prev()
		out = append(out, p)
	}
	if x.Src.Hi.Less(rest.Src.Hi) {
		p := rest
		p.Src.Lo = x.Src.Hi.Next()
		out = append(out, p)
	}
	rest.Src = x.Src
	if rest.Dst.Lo.Less(x.Dst.Lo) {
		p := rest
		p.Dst.Hi = x.Dst.Lo.Prev()
		out = append(out, p)
	}
	if x.Dst.Hi.Less(rest.Dst.Hi) {
		p := rest
		p.Dst.Lo = x.Dst.Hi.Next()
		out = append(out, p)
	}
	rest.Dst = x.Dst
	if rest.Proto.Lo < x.Proto.Lo {
		p := rest
		p.Proto.Hi = x.Proto.Lo - 1
		out = append(out, p)
	}
	if x.Proto.Hi < rest.Proto.Hi {
		p := rest
		p.Proto.Lo = x.Proto.Hi + 1
		out = append(out, p)
	}
	rest.Proto = x.Proto
	if rest.SrcPort.Lo < x.SrcPort.Lo {
		p := rest
		p.SrcPort.Hi = x.SrcPort.Lo - 1
		out = append(out, p)
	}
	if x.SrcPort.Hi < rest.SrcPort.Hi {
		p := rest
		p.SrcPort.Lo = x.SrcPort.Hi + 1
		out = append(out, p)
	}
	rest.SrcPort = x.SrcPort
	if rest.DstPort.Lo < x.DstPort.Lo {
		p := rest
		p.DstPort.Hi = x.DstPort.Lo - 1
		out = append(out, p)
	}
	if x.DstPort.Hi < rest.DstPort.Hi {
		p := rest
		p.DstPort.Lo = x.DstPort.Hi + 1
		out = append(out, p)
	}
	return out
}
func (s Set) Subtract(t Set) Set {
	cur := append([]Box(nil), s.b...)
	for _, c := range t.b {
		var next []Box
		for _, a := range cur {
			next = append(next, boxMinus(a, c)...)
		}
		cur = next
	}
	return Set{cur}
}
func (s Set) SubtractBox(b Box) Set { return s.Subtract(Set{[]Box{b}}) }
func (s Set) Union(t Set) Set {
	d := t.Subtract(s)
	return Set{append(append([]Box(nil), s.b...), d.b...)}
}
func (s Set) IsEmpty() bool { return len(s.b) == 0 }
func (s Set) Equal(t Set) bool {
	return s.Subtract(t).IsEmpty() && t.Subtract(s).IsEmpty()
}
func (s Set) Contains(h Header) bool {
	for _, b := range s.b {
		if b.Contains(h) {
			return true
		}
	}
	return false
}
func (s Set) Boxes() []Box {
	out := append([]Box(nil), s.b...)
	sort.Slice(out, func(i, j int) bool { return fmt.Sprint(out[i]) < fmt.Sprint(out[j]) })
	return out
}
func (s Set) Len() int { return len(s.b) }
func (s Set) String() string {
	var lines []string
	for _, b := range s.Boxes() {
		lines = append(lines, fmt.Sprintf("%s -> %s proto %d-%d sport %d-%d dport %d-%d", b.Src, b.Dst, b.Proto.Lo, b.Proto.Hi, b.SrcPort.Lo, b.SrcPort.Hi, b.DstPort.Lo, b.DstPort.Hi))
	}
	return strings.Join(lines, "\n")
}
func (s Set) Swap() Set {
	out := make([]Box, len(s.b))
	for i, b := range s.b {
		out[i] = Box{b.Dst, b.Src, b.Proto, b.DstPort, b.SrcPort}
	}
	return Set{out}
}
func (s Set) with(f func(*Box)) Set {
	var r Set
	for _, b := range s.b {
		f(&b)
		r = r.Union(Set{[]Box{b}})
	}
	return r
}
func (s Set) WithSrc(r AddrRange) Set   { return s.with(func(b *Box) { b.Src = r }) }
func (s Set) WithDst(r AddrRange) Set   { return s.with(func(b *Box) { b.Dst = r }) }
func (s Set) WithSrcPort(r Range16) Set { return s.with(func(b *Box) { b.SrcPort = r }) }
func (s Set) WithDstPort(r Range16) Set { return s.with(func(b *Box) { b.DstPort = r }) }

type Dim uint8

const (
	DimSrc Dim = iota
	DimDst
	DimProto
	DimSrcPort
	DimDstPort
)

func (s Set) Project(d Dim) []AddrRange {
	var rs []AddrRange
	for _, b := range s.b {
		switch d {
		case DimSrc:
			rs = append(rs, b.Src)
		case DimDst:
			rs = append(rs, b.Dst)
		case DimProto:
			rs = append(rs, AddrRange{Addr{0, uint64(b.Proto.Lo)}, Addr{0, uint64(b.Proto.Hi)}})
		case DimSrcPort:
			rs = append(rs, AddrRange{Addr{0, uint64(b.SrcPort.Lo)}, Addr{0, uint64(b.SrcPort.Hi)}})
		case DimDstPort:
			rs = append(rs, AddrRange{Addr{0, uint64(b.DstPort.Lo)}, Addr{0, uint64(b.DstPort.Hi)}})
		}
	}
	sort.Slice(rs, func(i, j int) bool { return rs[i].Lo.Less(rs[j].Lo) })
	var out []AddrRange
	for _, r := range rs {
		if n := len(out); n > 0 && !out[n-1].Hi.Next().Less(r.Lo) && out[n-1].Hi != AllAddrs.Hi {
			if out[n-1].Hi.Less(r.Hi) {
				out[n-1].Hi = r.Hi
			}
			continue
		}
		out = append(out, r)
	}
	return out
}
func (s Set) ProjectPorts(d Dim) []Range16 {
	var out []Range16
	for _, r := range s.Project(d) {
		out = append(out, Range16{uint16(r.Lo.Lo), uint16(r.Hi.Lo)})
	}
	return out
}

type ServiceGroup struct {
	Proto   Range8
	DstPort Range16
	Rest    Set
}

func (s Set) GroupByService() []ServiceGroup {
	var pcuts, dcuts []int
	for _, b := range s.b {
		pcuts = append(pcuts, int(b.Proto.Lo), int(b.Proto.Hi)+1)
		dcuts = append(dcuts, int(b.DstPort.Lo), int(b.DstPort.Hi)+1)
	}
	uniq := func(x []int) []int {
		sort.Ints(x)
		var o []int
		for i, v := range x {
			if i == 0 || v != x[i-1] {
				o = append(o, v)
			}
		}
		return o
	}
	pcuts, dcuts = uniq(pcuts), uniq(dcuts)
	var out []ServiceGroup
	for i := 0; i+1 < len(pcuts); i++ {
		for j := 0; j+1 < len(dcuts); j++ {
			pr := Range8{uint8(pcuts[i]), uint8(pcuts[i+1] - 1)}
			dr := Range16{uint16(dcuts[j]), uint16(dcuts[j+1] - 1)}
			cell := Box{AllAddrs, AllAddrs, pr, Range16{0, 65535}, dr}
			rest := s.IntersectBox(cell).with(func(b *Box) { b.Proto = Range8{0, 0}; b.DstPort = Range16{0, 0} })
			if rest.IsEmpty() {
				continue
			}
			out = append(out, ServiceGroup{pr, dr, rest})
		}
	}
	// merge adjacent dst port cells with same proto and equal rest
	var merged []ServiceGroup
	for _, g := range out {
		if n := len(merged); n > 0 && merged[n-1].Proto == g.Proto && int(merged[n-1].DstPort.Hi)+1 == int(g.DstPort.Lo) && merged[n-1].Rest.Equal(g.Rest) {
			merged[n-1].DstPort.Hi = g.DstPort.Hi
			continue
		}
		merged = append(merged, g)
	}
	return merged
}
func (s Set) Size() *big.Int {
	t := new(big.Int)
	for _, b := range s.b {
		n := big.NewInt(1)
		for _, r := range []AddrRange{b.Src, b.Dst} {
			hi := new(big.Int).Lsh(new(big.Int).SetUint64(r.Hi.Hi), 64)
			hi.Add(hi, new(big.Int).SetUint64(r.Hi.Lo))
			lo := new(big.Int).Lsh(new(big.Int).SetUint64(r.Lo.Hi), 64)
			lo.Add(lo, new(big.Int).SetUint64(r.Lo.Lo))
			n.Mul(n, hi.Sub(hi, lo).Add(hi, big.NewInt(1)))
		}
		n.Mul(n, big.NewInt(int64(b.Proto.Hi)-int64(b.Proto.Lo)+1))
		n.Mul(n, big.NewInt(int64(b.SrcPort.Hi)-int64(b.SrcPort.Lo)+1))
		n.Mul(n, big.NewInt(int64(b.DstPort.Hi)-int64(b.DstPort.Lo)+1))
		t.Add(t, n)
	}
	return t
}

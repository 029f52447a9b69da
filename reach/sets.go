// Header-set helpers shared by the elements: address ranges of prefixes,
// rule boxes, range arithmetic.

package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// The IPv4-mapped block ::ffff:0:0/96 is where hset keeps IPv4 addresses.
// IPv6 prefixes that contain it (::/0 … ::/80) must not match IPv4 traffic,
// so their ranges leave it out.
var (
	v4Block  = hset.All4Addrs
	all4     = hset.All4Addrs
	full     = hset.AddrRange{Lo: hset.Addr{}, Hi: hset.Addr{Hi: ^uint64(0), Lo: ^uint64(0)}}
	allProto = hset.Range8{Lo: 0, Hi: 255}
	allPorts = hset.Range16{Lo: 0, Hi: 65535}
	all6     = []hset.AddrRange{{Lo: full.Lo, Hi: v4Block.Lo.Prev()}, {Lo: v4Block.Hi.Next(), Hi: full.Hi}}
)

// prefixRanges returns the address ranges of p, leaving out the IPv4-mapped
// block from IPv6 prefixes so that ::/0 means "every IPv6 address".
func prefixRanges(p netip.Prefix) []hset.AddrRange {
	if !p.IsValid() {
		return nil
	}
	r := hset.PrefixRange(p.Masked())
	if p.Addr().Is4() {
		return []hset.AddrRange{r}
	}
	var out []hset.AddrRange
	if r.Lo.Less(v4Block.Lo) {
		out = append(out, hset.AddrRange{Lo: r.Lo, Hi: minAddr(r.Hi, v4Block.Lo.Prev())})
	}
	if v4Block.Hi.Less(r.Hi) {
		out = append(out, hset.AddrRange{Lo: maxAddr(r.Lo, v4Block.Hi.Next()), Hi: r.Hi})
	}
	if len(out) == 0 && !r.Lo.Less(v4Block.Lo) && !v4Block.Hi.Less(r.Hi) {
		return nil // a prefix inside ::ffff:0:0/96 written as IPv6 matches no IPv6 packet
	}
	return out
}

func minAddr(a, b hset.Addr) hset.Addr {
	if a.Less(b) {
		return a
	}
	return b
}

func maxAddr(a, b hset.Addr) hset.Addr {
	if a.Less(b) {
		return b
	}
	return a
}

func addrRange(a netip.Addr) hset.AddrRange {
	x := hset.AddrFrom(a)
	return hset.AddrRange{Lo: x, Hi: x}
}

// familyRanges is every address of a's family.
func familyRanges(is4 bool) []hset.AddrRange {
	if is4 {
		return []hset.AddrRange{all4}
	}
	return all6
}

// protoBox fills the protocol and port dimensions of a box from a rule's
// protocol, ports and ICMP match, the way AWS reads them: ports for TCP and
// UDP only, ICMP type (in DstPort) and code (in SrcPort) for ICMP, the whole
// protocol otherwise. ports applies to the destination port, which is what
// both security group and network ACL port ranges match.
func protoBox(b *hset.Box, p model.Protocol, ports model.PortRange, icmp model.ICMPMatch) bool {
	b.SrcPort, b.DstPort = allPorts, allPorts
	if p == model.ProtocolAll {
		b.Proto = allProto
	} else if n, ok := p.Number(); ok {
		b.Proto = hset.Range8{Lo: n, Hi: n}
	} else {
		return false
	}
	switch {
	case p.HasPorts():
		if !ports.Valid() {
			return false
		}
		b.DstPort = hset.Range16{Lo: ports.First, Hi: ports.Last}
	case p.IsICMP():
		if t, ok := icmp.Type(); ok {
			b.DstPort = hset.Range16{Lo: uint16(t), Hi: uint16(t)}
		}
		if c, ok := icmp.Code(); ok {
			b.SrcPort = hset.Range16{Lo: uint16(c), Hi: uint16(c)}
		}
	}
	return true
}

// boxes builds the boxes whose remote end (Src for ingress, Dst for egress)
// is one of remote and whose other end is any address of the same family.
func ruleBoxes(d model.Direction, remote []hset.AddrRange, tmpl hset.Box) []hset.Box {
	out := make([]hset.Box, 0, len(remote))
	for _, r := range remote {
		others := []hset.AddrRange{full} // a range spanning both families
		switch {
		case !r.Lo.Less(v4Block.Lo) && !v4Block.Hi.Less(r.Hi):
			others = familyRanges(true)
		case r.Hi.Less(v4Block.Lo) || v4Block.Hi.Less(r.Lo):
			others = familyRanges(false)
		}
		for _, other := range others {
			b := tmpl
			if d == model.Ingress {
				b.Src, b.Dst = r, other
			} else {
				b.Src, b.Dst = other, r
			}
			out = append(out, b)
		}
	}
	return out
}

// dstBox is every header of either family whose destination lies in r.
func dstBoxes(rs ...hset.AddrRange) []hset.Box {
	return ruleBoxes(model.Egress, rs, hset.Box{Proto: allProto, SrcPort: allPorts, DstPort: allPorts})
}

// srcBoxes is every header whose source lies in r.
func srcBoxes(rs ...hset.AddrRange) []hset.Box {
	return ruleBoxes(model.Ingress, rs, hset.Box{Proto: allProto, SrcPort: allPorts, DstPort: allPorts})
}

// addr16 is a as a 16-byte address, IPv4 kept in its IPv4-mapped form, so
// that prefixes over the whole 128-bit space can be built from it.
func addr16(a hset.Addr) netip.Addr {
	var b [16]byte
	for i := 0; i < 8; i++ {
		b[7-i] = byte(a.Hi >> (8 * i))
		b[15-i] = byte(a.Lo >> (8 * i))
	}
	return netip.AddrFrom16(b)
}

// rawPrefixRange is the range of p in the 128-bit space as written: an IPv6
// prefix over the IPv4-mapped block covers it (hset.PrefixRange keeps IPv6
// prefixes out of it, as rules need).
func rawPrefixRange(p netip.Prefix) hset.AddrRange {
	p = p.Masked()
	lo := hset.AddrFrom(p.Addr())
	if p.Addr().Is4In6() || p.Addr().Is6() {
		b := p.Addr().As16()
		lo = hset.Addr{}
		for i := 0; i < 8; i++ {
			lo.Hi = lo.Hi<<8 | uint64(b[i])
			lo.Lo = lo.Lo<<8 | uint64(b[8+i])
		}
	}
	bits := p.Bits()
	if p.Addr().Is4() {
		bits += 96
	}
	hi := lo
	switch host := 128 - bits; {
	case host >= 128:
		hi = hset.Addr{Hi: ^uint64(0), Lo: ^uint64(0)}
	case host >= 64:
		hi.Lo = ^uint64(0)
		hi.Hi |= (uint64(1) << (host - 64)) - 1
	case host > 0:
		hi.Lo |= (uint64(1) << host) - 1
	}
	return hset.AddrRange{Lo: lo, Hi: hi}
}

// mergeRanges unions two lists of ranges into one sorted, merged list.
func mergeRanges(a, b []hset.AddrRange) []hset.AddrRange {
	all := append(append([]hset.AddrRange{}, a...), b...)
	slices.SortFunc(all, func(x, y hset.AddrRange) int { return cmpAddr(x.Lo, y.Lo) })
	var out []hset.AddrRange
	for _, r := range all {
		if n := len(out); n > 0 && (out[n-1].Hi == full.Hi || !out[n-1].Hi.Next().Less(r.Lo)) {
			out[n-1].Hi = maxAddr(out[n-1].Hi, r.Hi)
			continue
		}
		out = append(out, r)
	}
	return out
}

func cmpAddr(a, b hset.Addr) int {
	switch {
	case a.Less(b):
		return -1
	case b.Less(a):
		return 1
	}
	return 0
}

func rangesString(rs []hset.AddrRange) string {
	var ss []string
	for _, r := range rs {
		ss = append(ss, r.String())
	}
	return joinStrings(ss)
}

// intersectDst keeps the headers of s whose destination lies in rs.
func intersectDst(s hset.Set, rs ...hset.AddrRange) hset.Set {
	if len(rs) == 0 || s.IsEmpty() {
		return hset.Set{}
	}
	boxes := dstBoxes(rs...)
	if len(boxes) == 1 {
		return s.IntersectBox(boxes[0])
	}
	return s.Intersect(hset.Of(boxes...))
}

// subtractRanges returns the parts of the sorted disjoint ranges rs that the
// sorted disjoint ranges cut do not cover.
func subtractRanges(rs, cut []hset.AddrRange) []hset.AddrRange {
	var out []hset.AddrRange
	j := 0
	for _, r := range rs {
		lo := r.Lo
		done := false
		for ; j < len(cut) && cut[j].Hi.Less(lo); j++ {
		}
		for k := j; k < len(cut) && !r.Hi.Less(cut[k].Lo); k++ {
			c := cut[k]
			if lo.Less(c.Lo) {
				out = append(out, hset.AddrRange{Lo: lo, Hi: c.Lo.Prev()})
			}
			if !c.Hi.Less(r.Hi) {
				done = true
				break
			}
			lo = c.Hi.Next()
		}
		if !done {
			out = append(out, hset.AddrRange{Lo: lo, Hi: r.Hi})
		}
	}
	return out
}

// addrsRanges turns a list of addresses into sorted, merged ranges.
func addrsRanges(as []netip.Addr) []hset.AddrRange {
	xs := make([]hset.Addr, 0, len(as))
	for _, a := range as {
		if a.IsValid() {
			xs = append(xs, hset.AddrFrom(a))
		}
	}
	slices.SortFunc(xs, func(a, b hset.Addr) int {
		if a.Less(b) {
			return -1
		}
		if b.Less(a) {
			return 1
		}
		return 0
	})
	var out []hset.AddrRange
	for _, x := range xs {
		if n := len(out); n > 0 && (out[n-1].Hi == x || (out[n-1].Hi != full.Hi && out[n-1].Hi.Next() == x)) {
			out[n-1].Hi = x
			continue
		}
		out = append(out, hset.AddrRange{Lo: x, Hi: x})
	}
	return out
}

func joinStrings(xs []string) string { return strings.Join(xs, ", ") }

var tcpUDP = hset.Of(
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 6, Hi: 6}, SrcPort: allPorts, DstPort: allPorts},
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 17, Hi: 17}, SrcPort: allPorts, DstPort: allPorts},
)

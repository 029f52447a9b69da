package hset

import (
	"encoding/binary"
	"math/big"
	"math/bits"
	"net/netip"
)

// Addr is a 128-bit address in big-endian order: Hi holds the first eight
// bytes. IPv4 addresses live in the IPv4-mapped block ::ffff:0:0/96 so that one
// ordered space holds both families (see the package documentation).
//
// Addr is a plain comparable value: == is address equality.
type Addr struct{ Hi, Lo uint64 }

// maxAddr is ffff:…:ffff, the highest address.
var maxAddr = Addr{^uint64(0), ^uint64(0)}

// AddrFrom converts a to vpcsim's address space. IPv4 addresses and
// IPv4-mapped IPv6 addresses (4in6) both become ::ffff:a.b.c.d; a zone is
// dropped. The zero netip.Addr becomes :: — an address of neither family, so
// it lies in no set built from All4, All6 or PrefixRange.
func AddrFrom(a netip.Addr) Addr {
	b := a.As16() // As16 already writes IPv4 in its mapped form, and zeros for the zero Addr
	return Addr{binary.BigEndian.Uint64(b[:8]), binary.BigEndian.Uint64(b[8:])}
}

// NetIP returns a as a netip.Addr: a plain IPv4 address when a lies in the
// IPv4-mapped block, an IPv6 address otherwise.
func (a Addr) NetIP() netip.Addr { return a.as16().Unmap() }

// as16 is a as an IPv6 address, never unmapped: prefixes of the IPv6 space
// must stay 16-byte prefixes even where they start inside the mapped block.
func (a Addr) as16() netip.Addr {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], a.Hi)
	binary.BigEndian.PutUint64(b[8:], a.Lo)
	return netip.AddrFrom16(b)
}

// String returns a as NetIP prints it ("10.0.0.1", "2001:db8::1").
func (a Addr) String() string { return a.NetIP().String() }

// Less reports whether a sorts before b.
func (a Addr) Less(b Addr) bool { return a.Hi < b.Hi || a.Hi == b.Hi && a.Lo < b.Lo }

// Compare returns -1, 0 or +1 as a sorts before, with or after b.
func (a Addr) Compare(b Addr) int {
	switch {
	case a == b:
		return 0
	case a.Less(b):
		return -1
	}
	return 1
}

// Next returns a+1. The successor of the highest address wraps to ::, so code
// that may stand on the top of the space (a range ending at ffff:…:ffff) must
// test IsMax first, as every loop in this package does.
func (a Addr) Next() Addr {
	lo, carry := bits.Add64(a.Lo, 1, 0)
	return Addr{a.Hi + carry, lo}
}

// Prev returns a-1; the predecessor of :: wraps to the highest address.
func (a Addr) Prev() Addr {
	lo, borrow := bits.Sub64(a.Lo, 1, 0)
	return Addr{a.Hi - borrow, lo}
}

// IsMax reports whether a is ffff:…:ffff, the highest address.
func (a Addr) IsMax() bool { return a == maxAddr }

func (a Addr) or(b Addr) Addr  { return Addr{a.Hi | b.Hi, a.Lo | b.Lo} }
func (a Addr) and(b Addr) Addr { return Addr{a.Hi & b.Hi, a.Lo & b.Lo} }

func (a Addr) sub(b Addr) Addr {
	lo, borrow := bits.Sub64(a.Lo, b.Lo, 0)
	return Addr{a.Hi - b.Hi - borrow, lo}
}

// big returns a as a non-negative big.Int.
func (a Addr) big() *big.Int {
	z := new(big.Int).SetUint64(a.Hi)
	z.Lsh(z, 64)
	return z.Or(z, new(big.Int).SetUint64(a.Lo))
}

// trailingZeros counts a's trailing zero bits; 128 for ::.
func (a Addr) trailingZeros() int {
	if a.Lo != 0 {
		return bits.TrailingZeros64(a.Lo)
	}
	return 64 + bits.TrailingZeros64(a.Hi) // TrailingZeros64(0) is 64, so :: gives 128
}

// hostMask returns an address whose k lowest bits are set (0 <= k <= 128).
func hostMask(k int) Addr {
	switch {
	case k <= 0:
		return Addr{}
	case k < 64:
		return Addr{0, 1<<k - 1}
	case k < 128:
		return Addr{1<<(k-64) - 1, ^uint64(0)}
	}
	return maxAddr
}

func minAddr(a, b Addr) Addr {
	if b.Less(a) {
		return b
	}
	return a
}

// AddrRange is the inclusive range of addresses [Lo, Hi]; it is empty when
// Hi sorts before Lo.
type AddrRange struct{ Lo, Hi Addr }

// All4Addrs is every IPv4 address: the IPv4-mapped block ::ffff:0:0/96,
// printed as 0.0.0.0/0.
var All4Addrs = v4Range

// All6Addrs is every IPv6 address vpcsim considers: everything above the
// IPv4-mapped block, ::1:0:0:0 to ffff:…:ffff, printed as ::/0. It stops short
// of ::/80, which holds the mapped block (IPv4, not IPv6) and below it only the
// unspecified address, the loopback address and the deprecated
// IPv4-compatible addresses — none of which ever crosses a VPC. Keeping those
// out makes All4Addrs and All6Addrs disjoint and adjacent, each one range.
var All6Addrs = v6Range

// v4Range and v6Range are what the package itself uses, so that an assignment
// to the exported variables elsewhere cannot change how prefixes are read.
var (
	v4Range = AddrRange{Addr{0, 0x0000_ffff_0000_0000}, Addr{0, 0x0000_ffff_ffff_ffff}}
	v6Range = AddrRange{Addr{0, 0x0001_0000_0000_0000}, maxAddr}
)

// emptyRange is the range PrefixRange and AddrRangeOf return for nothing.
var emptyRange = AddrRange{Lo: Addr{0, 1}}

// PrefixRange returns the addresses of p. An IPv4 prefix (or a 4in6 one of at
// least 96 bits) gives its range in the mapped block. An IPv6 prefix is
// clipped to All6Addrs: ::/0 is All6Addrs and admits no IPv4 address — as in
// AWS, where an ipv6_cidr_blocks rule never matches IPv4 traffic — and a
// prefix inside ::/80 (::1/128, say) is empty. Host bits are ignored; an
// invalid prefix is empty.
func PrefixRange(p netip.Prefix) AddrRange {
	if !p.IsValid() {
		return emptyRange
	}
	p = p.Masked()
	a, n := p.Addr(), p.Bits()
	if a.Is4In6() && n >= 96 {
		a, n = a.Unmap(), n-96
	}
	lo := AddrFrom(a)
	if a.Is4() {
		return AddrRange{lo, lo.or(hostMask(32 - n))}
	}
	hi := lo.or(hostMask(128 - n))
	if lo.Less(v6Range.Lo) {
		lo = v6Range.Lo
	}
	if hi.Less(lo) {
		return emptyRange
	}
	return AddrRange{lo, hi}
}

// AddrRangeOf returns the addresses from lo to hi inclusive; it is empty when
// hi is below lo or either end is invalid. IPv4 ends map into the mapped
// block; an IPv6 lo inside ::/80 is raised to the start of All6Addrs, for the
// reason given there. A range may span both families (10.0.0.0 to ::/0's
// first address, say), though the engine keeps them apart.
func AddrRangeOf(lo, hi netip.Addr) AddrRange {
	if !lo.IsValid() || !hi.IsValid() {
		return emptyRange
	}
	l, h := AddrFrom(lo), AddrFrom(hi)
	if !lo.Unmap().Is4() && l.Less(v6Range.Lo) {
		l = v6Range.Lo
	}
	if h.Less(l) {
		return emptyRange
	}
	return AddrRange{l, h}
}

// Empty reports whether r holds no address.
func (r AddrRange) Empty() bool { return r.Hi.Less(r.Lo) }

// Contains reports whether a lies in r.
func (r AddrRange) Contains(a Addr) bool { return !a.Less(r.Lo) && !r.Hi.Less(a) }

// Intersect returns the addresses in both r and o (possibly empty).
func (r AddrRange) Intersect(o AddrRange) AddrRange {
	if r.Lo.Less(o.Lo) {
		r.Lo = o.Lo
	}
	if o.Hi.Less(r.Hi) {
		r.Hi = o.Hi
	}
	if r.Empty() {
		return emptyRange
	}
	return r
}

// Size returns the number of addresses in r (2^128 for the whole space, which
// no fixed-width integer holds).
func (r AddrRange) Size() *big.Int {
	if r.Empty() {
		return new(big.Int)
	}
	z := r.Hi.sub(r.Lo).big()
	return z.Add(z, big.NewInt(1))
}

// Prefixes returns the fewest prefixes that together cover exactly r, in
// ascending order. Addresses in the mapped block come out as IPv4 prefixes.
// Where r starts at the first address of All6Addrs, the cover uses ::/n (n <
// 79) for [::1:0:0:0, last address of ::/n], the range PrefixRange gives ::/n:
// so All6Addrs is [::/0] rather than eighty 16-byte prefixes. Anything r holds
// below the mapped block is covered literally.
func (r AddrRange) Prefixes() []netip.Prefix { return r.prefixes(nil, 1<<30) }

// prefixes appends the cover of r to out, stopping early once it holds limit
// prefixes (String only needs to know whether there is more than one).
func (r AddrRange) prefixes(out []netip.Prefix, limit int) []netip.Prefix {
	if r.Empty() {
		return out
	}
	lo, hi := r.Lo, r.Hi
	if lo.Less(v4Range.Lo) { // the part below the mapped block
		end := minAddr(hi, v4Range.Lo.Prev())
		out = appendCover(out, lo, end, false, limit)
		if end == hi || len(out) >= limit {
			return out
		}
		lo = v4Range.Lo
	}
	if !v4Range.Hi.Less(lo) { // the IPv4 part
		end := minAddr(hi, v4Range.Hi)
		out = appendCover(out, lo, end, true, limit)
		if end == hi || len(out) >= limit {
			return out
		}
		lo = v6Range.Lo
	}
	if lo == v6Range.Lo {
		// ::/n for n <= 78 is the clipped range of the largest such prefix
		// that fits; ::/79 clips to ::1:0:0:0/80, which is better written
		// literally, so the standard cover takes over from there.
		for n := 0; n <= 78; n++ {
			last := hostMask(128 - n)
			if hi.Less(last) {
				continue
			}
			out = append(out, netip.PrefixFrom(netip.IPv6Unspecified(), n))
			if last == hi || len(out) >= limit {
				return out
			}
			lo = last.Next()
			break
		}
	}
	return appendCover(out, lo, hi, false, limit)
}

// appendCover appends the standard minimal CIDR cover of [lo, hi]: from lo,
// repeatedly the largest aligned block that does not pass hi; it stops early
// once out holds limit prefixes.
func appendCover(out []netip.Prefix, lo, hi Addr, v4 bool, limit int) []netip.Prefix {
	for {
		k := lo.trailingZeros()
		for k > 0 && hi.Less(lo.or(hostMask(k))) {
			k--
		}
		if v4 {
			out = append(out, netip.PrefixFrom(lo.NetIP(), 32-k))
		} else {
			out = append(out, netip.PrefixFrom(lo.as16(), 128-k))
		}
		last := lo.or(hostMask(k))
		if last == hi || len(out) >= limit {
			return out
		}
		lo = last.Next()
	}
}

// String returns r as one prefix ("10.0.0.0/16", "::/0") when Prefixes has
// exactly one, else as "lo-hi" ("10.0.0.5-10.0.0.9"); "empty" when empty.
func (r AddrRange) String() string {
	if r.Empty() {
		return "empty"
	}
	var buf [2]netip.Prefix
	if ps := r.prefixes(buf[:0], 2); len(ps) == 1 {
		return ps[0].String()
	}
	return r.Lo.String() + "-" + r.Hi.String()
}

package hset

import (
	"math/big"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
)

func ip(s string) netip.Addr      { return netip.MustParseAddr(s) }
func pfx(s string) netip.Prefix   { return netip.MustParsePrefix(s) }
func addr(s string) Addr          { return AddrFrom(ip(s)) }
func rng(lo, hi string) AddrRange { return AddrRangeOf(ip(lo), ip(hi)) }
func pow2(n uint) *big.Int        { return new(big.Int).Lsh(big.NewInt(1), n) }
func prefixes(ss ...string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		out = append(out, pfx(s))
	}
	return out
}

func TestAddrFrom(t *testing.T) {
	tests := []struct {
		in   netip.Addr
		want Addr
		back string // what NetIP gives back
	}{
		{ip("10.0.0.1"), Addr{0, 0x0000_ffff_0a00_0001}, "10.0.0.1"},
		{ip("::ffff:10.0.0.1"), Addr{0, 0x0000_ffff_0a00_0001}, "10.0.0.1"}, // 4in6 is IPv4
		{ip("0.0.0.0"), All4Addrs.Lo, "0.0.0.0"},
		{ip("255.255.255.255"), All4Addrs.Hi, "255.255.255.255"},
		{ip("::1:0:0:0"), All6Addrs.Lo, "::1:0:0:0"},
		{ip("2001:db8::1"), Addr{0x2001_0db8_0000_0000, 1}, "2001:db8::1"},
		{ip("fe80::1%eth0"), Addr{0xfe80_0000_0000_0000, 1}, "fe80::1"}, // the zone is dropped
		{ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), maxAddr, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{netip.Addr{}, Addr{}, "::"}, // invalid: neither family
	}
	for _, tt := range tests {
		if got := AddrFrom(tt.in); got != tt.want {
			t.Errorf("AddrFrom(%v) = %#v, want %#v", tt.in, got, tt.want)
		}
		if got := tt.want.NetIP().String(); got != tt.back {
			t.Errorf("%#v.NetIP() = %s, want %s", tt.want, got, tt.back)
		}
	}
}

func TestAddrArithmetic(t *testing.T) {
	// Carries between the two words, and the wrap at both ends, which loops
	// over full ranges must never reach.
	tests := []struct{ a, next Addr }{
		{Addr{0, 0}, Addr{0, 1}},
		{Addr{0, ^uint64(0)}, Addr{1, 0}},
		{Addr{7, ^uint64(0)}, Addr{8, 0}},
		{maxAddr, Addr{}},
	}
	for _, tt := range tests {
		if got := tt.a.Next(); got != tt.next {
			t.Errorf("%#v.Next() = %#v, want %#v", tt.a, got, tt.next)
		}
		if got := tt.next.Prev(); got != tt.a {
			t.Errorf("%#v.Prev() = %#v, want %#v", tt.next, got, tt.a)
		}
		if tt.a != maxAddr && !tt.a.Less(tt.next) {
			t.Errorf("%#v should be less than %#v", tt.a, tt.next)
		}
	}
	if !maxAddr.IsMax() || maxAddr.Prev().IsMax() {
		t.Error("IsMax is wrong")
	}
	if (Addr{1, 0}).Compare(Addr{0, ^uint64(0)}) != 1 || (Addr{0, 5}).Compare(Addr{0, 5}) != 0 || (Addr{0, 4}).Compare(Addr{0, 5}) != -1 {
		t.Error("Compare orders by Hi first, then Lo")
	}
}

func TestPrefixRange(t *testing.T) {
	tests := []struct {
		in   netip.Prefix
		want AddrRange
	}{
		{pfx("10.0.0.0/16"), rng("10.0.0.0", "10.0.255.255")},
		{pfx("10.0.7.9/16"), rng("10.0.0.0", "10.0.255.255")}, // host bits ignored
		{pfx("10.0.0.5/32"), rng("10.0.0.5", "10.0.0.5")},
		{pfx("0.0.0.0/0"), All4Addrs},
		{pfx("::ffff:0:0/96"), All4Addrs},                               // 4in6 is IPv4
		{pfx("::ffff:10.0.0.0/104"), rng("10.0.0.0", "10.255.255.255")}, // 4in6 is IPv4
		{pfx("::/0"), All6Addrs},                                        // IPv6 "all" admits no IPv4
		{pfx("::/64"), AddrRange{All6Addrs.Lo, Addr{0, ^uint64(0)}}},    // clipped at the mapped block
		{pfx("2001:db8::/32"), rng("2001:db8::", "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")},
		{pfx("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"), AddrRange{maxAddr, maxAddr}},
		{pfx("::1/128"), emptyRange},       // inside ::/80: neither family
		{pfx("::ffff:0:0/95"), emptyRange}, // an IPv6 prefix ending at the mapped block
		{netip.Prefix{}, emptyRange},
	}
	for _, tt := range tests {
		got := PrefixRange(tt.in)
		if got != tt.want && !(got.Empty() && tt.want.Empty()) {
			t.Errorf("PrefixRange(%v) = %v (%#v), want %v", tt.in, got, got, tt.want)
		}
	}
	if !All4Addrs.Hi.Next().Less(All6Addrs.Lo.Next()) || All4Addrs.Hi.Next() != All6Addrs.Lo {
		t.Error("All4Addrs and All6Addrs should be adjacent")
	}
}

func TestAddrRangeOf(t *testing.T) {
	tests := []struct {
		lo, hi netip.Addr
		want   AddrRange
	}{
		{ip("10.0.0.5"), ip("10.0.0.9"), AddrRange{addr("10.0.0.5"), addr("10.0.0.9")}},
		{ip("10.0.0.9"), ip("10.0.0.5"), emptyRange},
		{ip("::"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), All6Addrs}, // raised past ::/80
		{ip("::1"), ip("::2"), emptyRange},
		{ip("0.0.0.0"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), AddrRange{All4Addrs.Lo, maxAddr}}, // both families
		{netip.Addr{}, ip("10.0.0.1"), emptyRange},
	}
	for _, tt := range tests {
		got := AddrRangeOf(tt.lo, tt.hi)
		if got != tt.want && !(got.Empty() && tt.want.Empty()) {
			t.Errorf("AddrRangeOf(%v, %v) = %#v, want %#v", tt.lo, tt.hi, got, tt.want)
		}
	}
}

func TestPrefixes(t *testing.T) {
	tests := []struct {
		in   AddrRange
		want []netip.Prefix
		str  string
	}{
		{rng("10.0.0.0", "10.0.255.255"), prefixes("10.0.0.0/16"), "10.0.0.0/16"},
		{rng("10.0.0.1", "10.0.0.6"), prefixes("10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"), "10.0.0.1-10.0.0.6"},
		{rng("10.0.0.5", "10.0.0.9"), prefixes("10.0.0.5/32", "10.0.0.6/31", "10.0.0.8/31"), "10.0.0.5-10.0.0.9"},
		{rng("10.0.0.5", "10.0.0.5"), prefixes("10.0.0.5/32"), "10.0.0.5/32"},
		{rng("255.255.255.254", "255.255.255.255"), prefixes("255.255.255.254/31"), "255.255.255.254/31"},
		{rng("0.0.0.1", "255.255.255.255"), prefixes(
			"0.0.0.1/32", "0.0.0.2/31", "0.0.0.4/30", "0.0.0.8/29", "0.0.0.16/28", "0.0.0.32/27", "0.0.0.64/26",
			"0.0.0.128/25", "0.0.1.0/24", "0.0.2.0/23", "0.0.4.0/22", "0.0.8.0/21", "0.0.16.0/20", "0.0.32.0/19",
			"0.0.64.0/18", "0.0.128.0/17", "0.1.0.0/16", "0.2.0.0/15", "0.4.0.0/14", "0.8.0.0/13", "0.16.0.0/12",
			"0.32.0.0/11", "0.64.0.0/10", "0.128.0.0/9", "1.0.0.0/8", "2.0.0.0/7", "4.0.0.0/6", "8.0.0.0/5",
			"16.0.0.0/4", "32.0.0.0/3", "64.0.0.0/2", "128.0.0.0/1"), "0.0.0.1-255.255.255.255"},
		{All4Addrs, prefixes("0.0.0.0/0"), "0.0.0.0/0"},
		{All6Addrs, prefixes("::/0"), "::/0"},
		{PrefixRange(pfx("::/64")), prefixes("::/64"), "::/64"},
		{PrefixRange(pfx("::/78")), prefixes("::/78"), "::/78"},
		{PrefixRange(pfx("::/79")), prefixes("::1:0:0:0/80"), "::1:0:0:0/80"}, // the literal name is as short
		{rng("2001:db8::", "2001:db8::ffff"), prefixes("2001:db8::/112"), "2001:db8::/112"},
		{AddrRange{All6Addrs.Lo, maxAddr.Prev()}, nil, "::1:0:0:0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe"},
		// Both families: each part in its own words.
		{rng("255.255.255.255", "::1:0:0:1"), prefixes("255.255.255.255/32", "::1:0:0:0/127"), "255.255.255.255-::1:0:0:1"},
		{AddrRange{All4Addrs.Lo, maxAddr}, prefixes("0.0.0.0/0", "::/0"), "0.0.0.0-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		// The whole space, including the part below the mapped block that
		// belongs to neither family (covered literally).
		{AddrRange{Addr{}, maxAddr}, nil, "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"},
		{AddrRange{Addr{}, Addr{0, 1}}, prefixes("::/127"), "::/127"},
		{emptyRange, nil, "empty"},
	}
	for _, tt := range tests {
		got := tt.in.Prefixes()
		if tt.want != nil && !slices.Equal(got, tt.want) {
			t.Errorf("%#v.Prefixes() = %v, want %v", tt.in, got, tt.want)
		}
		if s := tt.in.String(); s != tt.str {
			t.Errorf("%#v.String() = %q, want %q", tt.in, s, tt.str)
		}
		checkTiling(t, tt.in, got)
	}
}

// checkTiling verifies that ps, read as PrefixRange reads them (with the ::/n
// convention), tiles r exactly, in order, and that no two neighbours could
// have been one prefix.
func checkTiling(t *testing.T, r AddrRange, ps []netip.Prefix) {
	t.Helper()
	if r.Empty() {
		if len(ps) != 0 {
			t.Errorf("empty range has prefixes %v", ps)
		}
		return
	}
	next := r.Lo
	for i, p := range ps {
		pr := PrefixRange(p)
		if next.Less(All4Addrs.Lo) { // below the mapped block PrefixRange reads nothing: take p literally
			lo := AddrFrom(p.Addr())
			pr = AddrRange{lo, lo.or(hostMask(128 - p.Bits()))}
		}
		if pr.Lo != next {
			t.Errorf("range %v: prefix %d (%v) starts at %v, want %v", r, i, p, pr.Lo, next)
			return
		}
		if i > 0 && ps[i-1].Bits() == p.Bits() && p.Addr().Is4() == ps[i-1].Addr().Is4() {
			if m, _ := ps[i-1].Addr().Prefix(p.Bits() - 1); m.Contains(p.Addr()) && m.Addr() == ps[i-1].Addr() {
				t.Errorf("range %v: %v and %v should be one prefix", r, ps[i-1], p)
			}
		}
		if pr.Hi == r.Hi {
			if i != len(ps)-1 {
				t.Errorf("range %v: prefixes continue after the end: %v", r, ps[i+1:])
			}
			return
		}
		next = pr.Hi.Next()
	}
	t.Errorf("range %v: prefixes %v stop at %v", r, ps, next)
}

func TestPrefixesRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		var a, b Addr
		switch r.IntN(3) {
		case 0: // IPv4
			a = Addr{0, All4Addrs.Lo.Lo | uint64(r.Uint32())}
			b = Addr{0, All4Addrs.Lo.Lo | uint64(r.Uint32())}
		case 1: // IPv6, often near the bottom of All6Addrs
			a = Addr{r.Uint64() >> r.IntN(64), r.Uint64()}
			b = Addr{r.Uint64() >> r.IntN(64), r.Uint64()}
		default: // anywhere, including both families at once
			a = Addr{0, r.Uint64()}
			b = Addr{r.Uint64() >> r.IntN(64), r.Uint64()}
		}
		if b.Less(a) {
			a, b = b, a
		}
		rr := AddrRange{a, b}
		checkTiling(t, rr, rr.Prefixes())
	}
	// A prefix's range gives back the prefix.
	for range 2000 {
		var p netip.Prefix
		if r.IntN(2) == 0 {
			p, _ = netip.AddrFrom4([4]byte{byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())}).Prefix(r.IntN(33))
		} else {
			var b [16]byte
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			b[0] |= 0x20 // outside ::/80
			p, _ = netip.AddrFrom16(b).Prefix(r.IntN(129))
			if p.Bits() < 3 {
				p = netip.PrefixFrom(netip.IPv6Unspecified(), p.Bits())
			}
		}
		if got := PrefixRange(p).Prefixes(); len(got) != 1 || got[0] != p {
			t.Errorf("PrefixRange(%v).Prefixes() = %v", p, got)
		}
	}
}

func TestRangeSizes(t *testing.T) {
	tests := []struct {
		r    AddrRange
		want *big.Int
	}{
		{AddrRange{Addr{}, maxAddr}, pow2(128)},
		{All4Addrs, pow2(32)},
		{All6Addrs, new(big.Int).Sub(pow2(128), pow2(48))},
		{AddrRange{maxAddr, maxAddr}, big.NewInt(1)},
		{emptyRange, big.NewInt(0)},
	}
	for _, tt := range tests {
		if got := tt.r.Size(); got.Cmp(tt.want) != 0 {
			t.Errorf("%v.Size() = %v, want %v", tt.r, got, tt.want)
		}
	}
	full := Box{AddrRange{Addr{}, maxAddr}, AddrRange{Addr{}, maxAddr}, AllProtos, AllPorts, AllPorts}
	if got, want := full.Size(), pow2(128+128+8+16+16); got.Cmp(want) != 0 {
		t.Errorf("full box size = %v, want 2^296", got)
	}
}

func TestSmallRangeStrings(t *testing.T) {
	tests := []struct {
		got  string
		want string
	}{
		{Port(22).String(), "22"},
		{Range16{1024, 65535}.String(), "1024-65535"},
		{AllPorts.String(), "all"},
		{Range16{5, 4}.String(), "empty"},
		{Proto(ProtoTCP).String(), "tcp"},
		{Proto(ProtoUDP).String(), "udp"},
		{Proto(ProtoICMP).String(), "icmp"},
		{Proto(ProtoICMPv6).String(), "icmpv6"},
		{Proto(47).String(), "47"},
		{Range8{6, 17}.String(), "6-17"},
		{AllProtos.String(), "all"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

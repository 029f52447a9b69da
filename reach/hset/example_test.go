package hset_test

import (
	"fmt"
	"net/netip"

	"github.com/vpcsim/vpcsim/reach/hset"
)

func pr(s string) hset.AddrRange { return hset.PrefixRange(netip.MustParsePrefix(s)) }

// A security group allows SSH from the office and HTTPS from anywhere; the set
// of IPv4 headers it lets in to 10.0.1.10 is the union of its rules, cut down
// to that destination.
func Example() {
	dst := pr("10.0.1.10/32")
	sg := hset.Of(
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(22), Src: pr("192.0.2.0/24"), Dst: pr("0.0.0.0/0"), SrcPort: hset.AllPorts},
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(443), Src: pr("0.0.0.0/0"), Dst: pr("0.0.0.0/0"), SrcPort: hset.AllPorts},
	)
	in := hset.All4().WithDst(dst).Intersect(sg)
	fmt.Println(in)
	fmt.Println(in.Contains(hset.Header{
		Src: netip.MustParseAddr("198.51.100.1"), Dst: netip.MustParseAddr("10.0.1.10"),
		Proto: hset.ProtoTCP, SrcPort: 50000, DstPort: 22,
	}))
	// Output:
	// tcp dport 22 src 192.0.2.0/24 dst 10.0.1.10/32 sport all
	// tcp dport 443 src 0.0.0.0/0 dst 10.0.1.10/32 sport all
	// false
}

// Of puts any union of boxes into the one canonical form: overlapping and
// touching boxes merge, and the order they came in does not matter.
func ExampleOf() {
	a := hset.Of(
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Range16{Lo: 80, Hi: 90}, Src: pr("10.0.0.0/25"), Dst: pr("0.0.0.0/0"), SrcPort: hset.AllPorts},
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Range16{Lo: 80, Hi: 90}, Src: pr("10.0.0.128/25"), Dst: pr("0.0.0.0/0"), SrcPort: hset.AllPorts},
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(81), Src: pr("10.0.0.7/32"), Dst: pr("10.1.0.0/16"), SrcPort: hset.Port(5)},
	)
	fmt.Println(a.Len())
	fmt.Println(a)
	// Output:
	// 1
	// tcp dport 80-90 src 10.0.0.0/24 dst 0.0.0.0/0 sport all
}

// A network ACL is a first-match chain: each rule takes what it matches out
// of what is still undecided; allow rules add their part to the result.
func ExampleSet_Subtract() {
	type rule struct {
		allow bool
		match hset.Box
	}
	all := func(proto hset.Range8, ports hset.Range16, src string) hset.Box {
		return hset.Box{Proto: proto, DstPort: ports, Src: pr(src), Dst: pr("0.0.0.0/0"), SrcPort: hset.AllPorts}
	}
	nacl := []rule{
		{false, all(hset.Proto(hset.ProtoTCP), hset.Port(22), "0.0.0.0/0")},                 // 90 deny ssh
		{true, all(hset.Proto(hset.ProtoTCP), hset.Range16{Lo: 0, Hi: 1023}, "10.0.0.0/8")}, // 100 allow
		{false, all(hset.AllProtos, hset.AllPorts, "0.0.0.0/0")},                            // * deny
	}
	undecided, allowed := hset.All4(), hset.Set{}
	for _, r := range nacl {
		hit := undecided.IntersectBox(r.match)
		if r.allow {
			allowed = allowed.Union(hit)
		}
		undecided = undecided.SubtractBox(r.match)
	}
	fmt.Println(allowed)
	// Output:
	// tcp dport 0-21 src 10.0.0.0/8 dst 0.0.0.0/0 sport all
	// tcp dport 23-1023 src 10.0.0.0/8 dst 0.0.0.0/0 sport all
}

// GroupByService lists a set the way an exposure report does: per protocol
// and port range, who can come in.
func ExampleSet_GroupByService() {
	s := hset.Of(
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(22), Src: pr("192.0.2.0/24"), Dst: pr("10.0.1.10/32"), SrcPort: hset.AllPorts},
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Range16{Lo: 80, Hi: 443}, Src: pr("0.0.0.0/0"), Dst: pr("10.0.1.10/32"), SrcPort: hset.AllPorts},
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(22), Src: pr("198.51.100.0/24"), Dst: pr("10.0.1.10/32"), SrcPort: hset.AllPorts},
	)
	for _, g := range s.GroupByService() {
		fmt.Println(g.Proto, g.DstPort, g.Rest.Project(hset.DimSrc))
	}
	// Output:
	// tcp 22 [192.0.2.0/24 198.51.100.0/24]
	// tcp 80-443 [0.0.0.0/0]
}

// Prefixes writes any range as the fewest CIDR blocks.
func ExampleAddrRange_Prefixes() {
	r := hset.AddrRangeOf(netip.MustParseAddr("10.0.0.1"), netip.MustParseAddr("10.0.0.6"))
	fmt.Println(r, r.Prefixes())
	fmt.Println(hset.All6Addrs, hset.All6Addrs.Prefixes())
	// Output:
	// 10.0.0.1-10.0.0.6 [10.0.0.1/32 10.0.0.2/31 10.0.0.4/31 10.0.0.6/32]
	// ::/0 [::/0]
}

// Swap turns the requests a client sends into the replies it must be able to
// receive, as a stateless network ACL sees them.
func ExampleSet_Swap() {
	req := hset.Of(hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(443), Src: pr("10.0.1.0/24"), Dst: pr("0.0.0.0/0"), SrcPort: hset.Range16{Lo: 1024, Hi: 65535}})
	fmt.Println(req.Swap())
	// Output:
	// tcp dport 1024-65535 src 0.0.0.0/0 dst 10.0.1.0/24 sport 443
}

// A NAT gateway rewrites the source address and port of what leaves through
// it: every private source becomes its one public address.
func ExampleSet_WithSrc() {
	out := hset.Of(
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(443), Src: pr("10.0.1.0/24"), Dst: pr("0.0.0.0/0"), SrcPort: hset.AllPorts},
		hset.Box{Proto: hset.Proto(hset.ProtoTCP), DstPort: hset.Port(443), Src: pr("10.0.3.0/24"), Dst: pr("0.0.0.0/0"), SrcPort: hset.Range16{Lo: 1024, Hi: 65535}},
	)
	nat := out.WithSrc(pr("203.0.113.5/32")).WithSrcPort(hset.Range16{Lo: 1024, Hi: 65535})
	fmt.Println(nat)
	fmt.Println(nat.Size())
	// Output:
	// tcp dport 443 src 203.0.113.5/32 dst 0.0.0.0/0 sport 1024-65535
	// 277076930199552
}

package hset

import (
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// box builds a box, its arguments in the canonical level order.
func box(proto Range8, dport Range16, src, dst AddrRange, sport Range16) Box {
	return Box{Src: src, Dst: dst, Proto: proto, SrcPort: sport, DstPort: dport}
}

func p4(s string) AddrRange { return PrefixRange(pfx(s)) }

var (
	tcp      = Proto(ProtoTCP)
	udp      = Proto(ProtoUDP)
	anyAddr  = AddrRange{Addr{}, maxAddr}
	fullBox  = Box{anyAddr, anyAddr, AllProtos, AllPorts, AllPorts}
	all4Box  = Box{All4Addrs, All4Addrs, AllProtos, AllPorts, AllPorts}
	flowHdr  = Header{Src: ip("10.0.1.5"), Dst: ip("10.0.2.7"), Proto: ProtoTCP, SrcPort: 40000, DstPort: 443}
	flowHdr6 = Header{Src: ip("2001:db8::5"), Dst: ip("2001:db8:1::7"), Proto: ProtoTCP, SrcPort: 40000, DstPort: 443}
)

func TestZeroSet(t *testing.T) {
	var z Set
	if !z.IsEmpty() || z.Len() != 0 || z.Boxes() != nil || z.String() != "empty" || z.Size().Sign() != 0 {
		t.Errorf("zero Set is not empty: %v", z)
	}
	if !z.Equal(Of()) || !z.Equal(Of(Box{Src: emptyRange})) {
		t.Error("zero Set differs from Of() and Of(empty box)")
	}
	a := Of(Point(flowHdr))
	if !z.Union(a).Equal(a) || !a.Union(z).Equal(a) || !a.Intersect(z).IsEmpty() || !a.Subtract(z).Equal(a) || !z.Subtract(a).IsEmpty() {
		t.Error("empty set is not the identity of union and subtraction")
	}
	if z.Contains(flowHdr) || z.Overlaps(a) || !a.Covers(z) || z.Covers(a) || !z.Covers(z) {
		t.Error("empty set predicates are wrong")
	}
	if z.GroupByService() != nil || z.Project(DimSrc) != nil || !z.Swap().IsEmpty() || !z.WithSrc(All4Addrs).IsEmpty() {
		t.Error("empty set transforms are not empty")
	}
}

// TestFullRanges runs the algebra at the edges of every dimension, where Next
// and Prev would overflow if the sweep ever called them there.
func TestFullRanges(t *testing.T) {
	full := Of(fullBox)
	total := fullBox.Size()
	corners := []Header{
		{Src: ip("::"), Dst: ip("::"), Proto: 0, SrcPort: 0, DstPort: 0},
		{Src: ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), Dst: ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), Proto: 255, SrcPort: 65535, DstPort: 65535},
	}
	for _, h := range append(corners, flowHdr, flowHdr6) {
		holed := full.SubtractBox(Point(h))
		if holed.Contains(h) || !full.Contains(h) {
			t.Errorf("full minus %v still contains it", h)
		}
		if got, want := holed.Size(), new(big.Int).Sub(total, big.NewInt(1)); got.Cmp(want) != 0 {
			t.Errorf("full minus %v has %v headers, want %v", h, got, want)
		}
		// At a corner only the side above (or below) remains at each level;
		// inside, both sides do.
		want := 10
		if slices.Contains(corners, h) {
			want = 5
		}
		if holed.Len() != want {
			t.Errorf("full minus %v has %d boxes, want %d:\n%v", h, holed.Len(), want, holed)
		}
		if back := holed.Union(Of(Point(h))); !back.Equal(full) || back.Len() != 1 {
			t.Errorf("full minus %v plus it again = \n%v", h, back)
		}
		if !holed.Swap().Swap().Equal(holed) {
			t.Errorf("swap is not an involution on full minus %v", h)
		}
	}
	if !full.Intersect(full).Equal(full) || !full.Subtract(full).IsEmpty() || full.Size().Cmp(total) != 0 {
		t.Error("full set algebra is wrong")
	}
	if got := full.Project(DimSrc); !slices.Equal(got, []AddrRange{anyAddr}) {
		t.Errorf("Project(src) of the full set = %v", got)
	}
	if got := full.ProjectPorts(DimDstPort); !slices.Equal(got, []Range16{AllPorts}) {
		t.Errorf("ProjectPorts(dport) of the full set = %v", got)
	}
}

func TestAdjacentMerges(t *testing.T) {
	tests := []struct {
		name  string
		boxes []Box
		want  []Box
	}{
		{"ports touch", []Box{
			box(tcp, Range16{0, 10}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Range16{11, 20}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
		}, []Box{box(tcp, Range16{0, 20}, p4("10.0.0.0/8"), All4Addrs, AllPorts)}},
		{"ports overlap", []Box{
			box(tcp, Range16{0, 15}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Range16{11, 20}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
		}, []Box{box(tcp, Range16{0, 20}, p4("10.0.0.0/8"), All4Addrs, AllPorts)}},
		{"ports with a gap stay apart", []Box{
			box(tcp, Range16{0, 10}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Range16{12, 20}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
		}, []Box{
			box(tcp, Range16{0, 10}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Range16{12, 20}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
		}},
		{"sibling prefixes", []Box{
			box(tcp, Port(22), p4("10.0.0.0/25"), All4Addrs, AllPorts),
			box(tcp, Port(22), p4("10.0.0.128/25"), All4Addrs, AllPorts),
		}, []Box{box(tcp, Port(22), p4("10.0.0.0/24"), All4Addrs, AllPorts)}},
		{"across the 64-bit carry", []Box{
			box(tcp, Port(22), AddrRange{All6Addrs.Lo, Addr{0, ^uint64(0)}}, All6Addrs, AllPorts),
			box(tcp, Port(22), AddrRange{Addr{1, 0}, maxAddr}, All6Addrs, AllPorts),
		}, []Box{box(tcp, Port(22), All6Addrs, All6Addrs, AllPorts)}},
		{"protocols touch: tcp 6 and 7", []Box{
			box(tcp, Port(22), All4Addrs, All4Addrs, AllPorts),
			box(Proto(7), Port(22), All4Addrs, All4Addrs, AllPorts),
		}, []Box{box(Range8{6, 7}, Port(22), All4Addrs, All4Addrs, AllPorts)}},
		{"different sources do not merge ports", []Box{
			box(tcp, Port(22), p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Port(23), p4("11.0.0.0/8"), All4Addrs, AllPorts),
		}, []Box{
			box(tcp, Port(22), p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Port(23), p4("11.0.0.0/8"), All4Addrs, AllPorts),
		}},
		{"a box inside another disappears", []Box{
			box(tcp, Range16{0, 1000}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Port(22), p4("10.1.0.0/16"), p4("10.2.0.0/16"), Port(5)),
		}, []Box{box(tcp, Range16{0, 1000}, p4("10.0.0.0/8"), All4Addrs, AllPorts)}},
		// An L shape splits on the first level that differs, in level order.
		{"L shape splits by destination port first", []Box{
			box(tcp, Range16{0, 100}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Port(22), p4("0.0.0.0/0"), All4Addrs, AllPorts),
		}, []Box{
			box(tcp, Range16{0, 21}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
			box(tcp, Port(22), All4Addrs, All4Addrs, AllPorts),
			box(tcp, Range16{23, 100}, p4("10.0.0.0/8"), All4Addrs, AllPorts),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, order := range [][]Box{tt.boxes, reversed(tt.boxes)} {
				if got := Of(order...).Boxes(); !slices.Equal(got, tt.want) {
					t.Errorf("Of(%v) =\n%v\nwant\n%v", order, Set{got}, Set{tt.want})
				}
			}
		})
	}
}

func TestFamilies(t *testing.T) {
	a4, a6 := All4(), All6()
	if a4.Overlaps(a6) || !a4.Intersect(a6).IsEmpty() {
		t.Error("All4 and All6 overlap")
	}
	if !a4.Contains(flowHdr) || a4.Contains(flowHdr6) || !a6.Contains(flowHdr6) || a6.Contains(flowHdr) {
		t.Error("a header is in the wrong family")
	}
	mixed := flowHdr
	mixed.Dst = flowHdr6.Dst
	if a4.Contains(mixed) || a6.Contains(mixed) {
		t.Error("a header with one address of each family belongs to a family")
	}
	// An IPv6 "allow all" rule must not admit IPv4 traffic.
	rule6 := Of(box(AllProtos, AllPorts, PrefixRange(pfx("::/0")), PrefixRange(pfx("::/0")), AllPorts))
	if rule6.Contains(flowHdr) || !rule6.Equal(a6) {
		t.Errorf("::/0 rule = %v", rule6)
	}
	rule4 := Of(box(AllProtos, AllPorts, PrefixRange(pfx("0.0.0.0/0")), PrefixRange(pfx("0.0.0.0/0")), AllPorts))
	if !rule4.Equal(a4) {
		t.Errorf("0.0.0.0/0 rule = %v", rule4)
	}
	// 4in6 headers are IPv4 headers.
	h := flowHdr
	h.Src = ip("::ffff:" + flowHdr.Src.String())
	if !a4.Contains(h) || !Of(Point(h)).Equal(Of(Point(flowHdr))) {
		t.Error("a 4in6 source is not the IPv4 source")
	}
	both := a4.Union(a6)
	if both.Len() != 2 || both.Size().Cmp(new(big.Int).Add(a4.Size(), a6.Size())) != 0 {
		t.Errorf("All4 ∪ All6 =\n%v", both)
	}
	if got := both.String(); got != "all dport all src 0.0.0.0/0 dst 0.0.0.0/0 sport all\nall dport all src ::/0 dst ::/0 sport all" {
		t.Errorf("All4 ∪ All6 prints as\n%s", got)
	}
}

func TestString(t *testing.T) {
	s := Of(
		box(tcp, Port(22), p4("10.0.0.0/16"), p4("10.1.0.0/24"), AllPorts),
		box(tcp, Port(443), All4Addrs, AddrRangeOf(ip("10.1.0.5"), ip("10.1.0.9")), AllPorts),
		box(udp, Range16{1024, 65535}, PrefixRange(pfx("2001:db8::/32")), All6Addrs, Port(53)),
		box(Proto(ProtoICMP), Port(8), All4Addrs, All4Addrs, AllPorts),
		box(Proto(ProtoICMPv6), Port(128), All6Addrs, All6Addrs, Range16{0, 0}),
		box(Range8{2, 5}, AllPorts, p4("192.168.0.0/16"), All4Addrs, AllPorts),
	)
	want := `icmp type 8 src 0.0.0.0/0 dst 0.0.0.0/0 code all
2-5 dport all src 192.168.0.0/16 dst 0.0.0.0/0 sport all
tcp dport 22 src 10.0.0.0/16 dst 10.1.0.0/24 sport all
tcp dport 443 src 0.0.0.0/0 dst 10.1.0.5-10.1.0.9 sport all
udp dport 1024-65535 src 2001:db8::/32 dst ::/0 sport 53
icmpv6 type 128 src ::/0 dst ::/0 code 0`
	if got := s.String(); got != want {
		t.Errorf("String() =\n%s\nwant\n%s", got, want)
	}
	if got := flowHdr.String(); got != "tcp 10.0.1.5:40000 -> 10.0.2.7:443" {
		t.Errorf("Header.String() = %s", got)
	}
	if got := flowHdr6.String(); got != "tcp [2001:db8::5]:40000 -> [2001:db8:1::7]:443" {
		t.Errorf("Header.String() = %s", got)
	}
	ping := Header{Src: ip("10.0.0.1"), Dst: ip("10.0.0.2"), Proto: ProtoICMP, DstPort: 8}
	if got := ping.String(); got != "icmp 10.0.0.1 -> 10.0.0.2 type 8 code 0" {
		t.Errorf("Header.String() = %s", got)
	}
	if got := (Box{Src: emptyRange}).String(); got != "empty" {
		t.Errorf("empty Box prints %q", got)
	}
}

// TestImmutable checks that no operation writes into an operand, and that
// Boxes hands out a copy.
func TestImmutable(t *testing.T) {
	d := newDomain()
	r := rand.New(rand.NewPCG(5, 6))
	for range 200 {
		a, b := randomSet(r, d.randomBox, 1+r.IntN(6)), randomSet(r, d.randomBox, 1+r.IntN(6))
		ca, cb := a.Boxes(), b.Boxes()
		bx := d.randomBox(r)
		_ = a.Union(b)
		_ = a.Intersect(b)
		_ = a.Subtract(b)
		_ = b.Subtract(a)
		_ = a.IntersectBox(bx)
		_ = a.SubtractBox(bx)
		_ = a.Swap()
		_ = a.WithSrc(All4Addrs)
		_ = a.WithDst(All4Addrs)
		_ = a.WithSrcPort(AllPorts)
		_ = a.Project(DimSrc)
		_ = a.GroupByService()
		_, _ = a.Overlaps(b), a.Covers(b)
		if !slices.Equal(a.boxes, ca) || !slices.Equal(b.boxes, cb) {
			t.Fatalf("an operation modified its operands")
		}
	}
	s := Of(Point(flowHdr))
	bs := s.Boxes()
	bs[0].Proto = udp
	if !s.Contains(flowHdr) {
		t.Error("writing into Boxes() changed the set")
	}
	bx := []Box{Point(flowHdr)}
	s = Of(bx...)
	bx[0].Proto = udp
	if !s.Contains(flowHdr) {
		t.Error("writing into Of's argument changed the set")
	}
}

// TestShareResult checks that a result equal to an operand reuses it: the
// engine's fixpoint relies on that to stop allocating once nothing changes.
func TestShareResult(t *testing.T) {
	s := Of(box(tcp, Port(22), p4("10.0.0.0/8"), All4Addrs, AllPorts), box(udp, Port(53), p4("10.0.0.0/8"), All4Addrs, AllPorts))
	sub := Of(box(tcp, Port(22), p4("10.1.0.0/16"), All4Addrs, AllPorts))
	same := func(a, b Set) bool { return len(a.boxes) > 0 && &a.boxes[0] == &b.boxes[0] }
	if !same(s.Union(sub), s) || !same(sub.Union(s), s) || !same(s.Intersect(All4()), s) || !same(s.Subtract(All6()), s) {
		t.Error("a result equal to an operand does not share it")
	}
	if !same(s.IntersectBox(all4Box), s) || !same(s.SubtractBox(Point(flowHdr6)), s) {
		t.Error("a one-box result equal to the operand does not share it")
	}
	if raceEnabled {
		return
	}
	if n := testing.AllocsPerRun(100, func() { _ = s.Union(sub) }); n != 0 {
		t.Errorf("a union that changes nothing allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		_ = s.IntersectBox(all4Box)
		_ = s.Overlaps(sub)
		_ = s.OverlapsBox(all4Box)
		_ = s.Covers(sub)
		_ = s.Contains(flowHdr)
	}); n != 0 {
		t.Errorf("fast paths allocate %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _ = s.SubtractBox(Point(flowHdr)) }); n > 1 {
		t.Errorf("SubtractBox allocates %v times, want at most 1 (the result)", n)
	}
}

func TestContainsAndPoint(t *testing.T) {
	s := Of(box(tcp, Port(443), p4("10.0.0.0/16"), p4("10.0.2.0/24"), Range16{1024, 65535}))
	tests := []struct {
		h    Header
		want bool
	}{
		{flowHdr, true},
		{Header{Src: ip("10.0.1.5"), Dst: ip("10.0.2.7"), Proto: ProtoUDP, SrcPort: 40000, DstPort: 443}, false}, // wrong protocol
		{Header{Src: ip("10.0.1.5"), Dst: ip("10.0.2.7"), Proto: ProtoTCP, SrcPort: 1023, DstPort: 443}, false},  // source port below the range
		{Header{Src: ip("10.0.1.5"), Dst: ip("10.0.2.7"), Proto: ProtoTCP, SrcPort: 1024, DstPort: 443}, true},   // its first port
		{Header{Src: ip("10.1.0.0"), Dst: ip("10.0.2.7"), Proto: ProtoTCP, SrcPort: 40000, DstPort: 443}, false}, // source just past the prefix
		{Header{Src: ip("10.0.255.255"), Dst: ip("10.0.2.7"), Proto: ProtoTCP, SrcPort: 65535, DstPort: 443}, true},
		{Header{Src: ip("10.0.1.5"), Dst: ip("10.0.2.7"), Proto: ProtoTCP, SrcPort: 40000, DstPort: 444}, false},
		{Header{Proto: ProtoTCP, DstPort: 443}, false}, // invalid addresses are in no family
	}
	for _, tt := range tests {
		if got := s.Contains(tt.h); got != tt.want {
			t.Errorf("Contains(%v) = %v, want %v", tt.h, got, tt.want)
		}
		if got := s.boxes[0].Contains(tt.h); got != tt.want {
			t.Errorf("Box.Contains(%v) = %v, want %v", tt.h, got, tt.want)
		}
		if got := Of(Point(tt.h)).Covers(Of(Point(tt.h))); !got || Point(tt.h).Size().Cmp(big.NewInt(1)) != 0 {
			t.Errorf("Point(%v) is not one header", tt.h)
		}
	}
}

func TestTransforms(t *testing.T) {
	req := Of(box(tcp, Port(443), p4("10.0.1.0/24"), p4("10.0.2.10/32"), Range16{1024, 65535}))
	reply := req.Swap()
	if want := Of(box(tcp, Range16{1024, 65535}, p4("10.0.2.10/32"), p4("10.0.1.0/24"), Port(443))); !reply.Equal(want) {
		t.Errorf("Swap =\n%v\nwant\n%v", reply, want)
	}
	// Source NAT of two sources to one address merges them.
	two := req.Union(Of(box(tcp, Port(443), p4("10.0.9.0/24"), p4("10.0.2.10/32"), Range16{1024, 65535})))
	nat := p4("203.0.113.7/32")
	got := two.WithSrc(nat).WithSrcPort(Range16{1024, 65535})
	if want := Of(box(tcp, Port(443), nat, p4("10.0.2.10/32"), Range16{1024, 65535})); !got.Equal(want) {
		t.Errorf("SNAT =\n%v\nwant\n%v", got, want)
	}
	if got := two.WithDst(p4("10.0.3.0/24")).Project(DimDst); !slices.Equal(got, []AddrRange{p4("10.0.3.0/24")}) {
		t.Errorf("DNAT destinations = %v", got)
	}
	if !two.WithSrc(emptyRange).IsEmpty() || !two.WithSrcPort(Range16{2, 1}).IsEmpty() {
		t.Error("replacing a dimension by nothing leaves something")
	}
	if got := two.Project(DimSrc); !slices.Equal(got, []AddrRange{p4("10.0.1.0/24"), p4("10.0.9.0/24")}) {
		t.Errorf("Project(src) = %v", got)
	}
	if got := two.Project(DimProto); !slices.Equal(got, []AddrRange{{Addr{0, 6}, Addr{0, 6}}}) {
		t.Errorf("Project(proto) = %v", got)
	}
	if two.Project(0) != nil || two.ProjectPorts(DimSrc) != nil {
		t.Error("projections on an invalid dimension are not nil")
	}
}

// TestConcurrentUse shares sets between goroutines that all operate on them;
// run with -race it proves that reading Sets needs no locking.
func TestConcurrentUse(t *testing.T) {
	d := newDomain()
	r := rand.New(rand.NewPCG(7, 8))
	shared := make([]Set, 8)
	for i := range shared {
		shared[i] = randomSet(r, d.randomBox, 1+r.IntN(6))
	}
	want := make([]Set, len(shared))
	for i := range shared {
		want[i] = shared[i].Union(shared[(i+1)%len(shared)]).Subtract(shared[(i+2)%len(shared)])
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for k := range 50 {
				i := (g + k) % len(shared)
				a, b, c := shared[i], shared[(i+1)%len(shared)], shared[(i+2)%len(shared)]
				got := a.Union(b).Subtract(c)
				if !got.Equal(want[i]) {
					t.Errorf("goroutine %d: different result", g)
					return
				}
				_ = a.Intersect(b).Swap().String()
				_ = a.GroupByService()
				_ = a.Boxes()
				_ = a.IntersectBox(all4Box).Covers(c)
			}
		})
	}
	wg.Wait()
}

// reversed returns bs in reverse order, in a new slice.
func reversed(bs []Box) []Box {
	r := slices.Clone(bs)
	slices.Reverse(r)
	return r
}

package hset

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"testing"
)

// ruleBox returns a box shaped like a security-group or network-ACL rule in
// a 10.0.0.0/8 estate: mostly TCP to a well-known port or an ephemeral range,
// from a /16-/28 inside the estate or from anywhere, to a subnet-sized
// destination. It is the benchmarks' generator for randomSet.
func ruleBox(r *rand.Rand) Box {
	b := Box{Proto: Proto(ProtoTCP), DstPort: AllPorts, SrcPort: AllPorts, Src: All4Addrs, Dst: All4Addrs}
	switch n := r.IntN(20); {
	case n < 2:
		b.Proto = AllProtos
	case n < 6:
		b.Proto = Proto(ProtoUDP)
	case n < 8:
		b.Proto = Proto(ProtoICMP)
	}
	if b.Proto != AllProtos {
		ports := []Range16{Port(22), Port(80), Port(443), Port(3306), Port(5432), Port(53), Port(8), {1024, 65535}, {8000, 8999}, AllPorts}
		b.DstPort = ports[r.IntN(len(ports))]
	}
	inEstate := func(minBits int) AddrRange {
		a := netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(16)), byte(r.IntN(256))})
		p, _ := a.Prefix(minBits + r.IntN(29-minBits))
		return PrefixRange(p)
	}
	if r.IntN(4) > 0 {
		b.Src = inEstate(16)
	}
	if r.IntN(3) > 0 {
		b.Dst = inEstate(20)
	}
	if r.IntN(4) == 0 {
		b.SrcPort = Range16{1024, 65535}
	}
	return b
}

// setOfLen returns a random set with at least n boxes in canonical form. It
// starts again when the set stops growing: after an allow-all rule, say,
// nothing can.
func setOfLen(r *rand.Rand, n int) Set {
	var s Set
	for stuck := 0; s.Len() < n; stuck++ {
		t := s.Union(randomSet(r, ruleBox, 1))
		if t.Len() > s.Len() {
			stuck = 0
		}
		if s = t; stuck > 100 {
			s = Set{}
		}
	}
	return s
}

// benchPairs returns k pairs of sets of about n boxes each.
func benchPairs(n, k int) [][2]Set {
	r := rand.New(rand.NewPCG(uint64(n), 99))
	ps := make([][2]Set, k)
	for i := range ps {
		ps[i] = [2]Set{setOfLen(r, n), setOfLen(r, n)}
	}
	return ps
}

var sizes = []int{1, 10, 50}

var sink Set

func benchBinary(b *testing.B, f func(a, c Set) Set) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			ps := benchPairs(n, 64)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				p := ps[i%len(ps)]
				sink = f(p[0], p[1])
				i++
			}
		})
	}
}

func BenchmarkUnion(b *testing.B)     { benchBinary(b, Set.Union) }
func BenchmarkIntersect(b *testing.B) { benchBinary(b, Set.Intersect) }
func BenchmarkSubtract(b *testing.B)  { benchBinary(b, Set.Subtract) }

func BenchmarkIntersectBox(b *testing.B) {
	benchBinary(b, func(a, c Set) Set { return a.IntersectBox(c.boxes[0]) })
}

func BenchmarkSubtractBox(b *testing.B) {
	benchBinary(b, func(a, c Set) Set { return a.SubtractBox(c.boxes[0]) })
}

func BenchmarkOverlaps(b *testing.B) {
	var n int
	benchBinary(b, func(a, c Set) Set {
		if a.Overlaps(c) {
			n++
		}
		return a
	})
	_ = n
}

// naclRule is one rule of a benchmark network ACL.
type naclRule struct {
	allow bool
	box   Box
}

// naclInputs returns 16 random 20-rule chains and 16 input sets of about n
// boxes.
func naclInputs(n int) ([][]naclRule, []Set) {
	r := rand.New(rand.NewPCG(7, uint64(n)))
	chains := make([][]naclRule, 16)
	inputs := make([]Set, 16)
	for i := range chains {
		for range 20 {
			chains[i] = append(chains[i], naclRule{r.IntN(3) > 0, ruleBox(r)})
		}
		inputs[i] = setOfLen(r, n)
	}
	return chains, inputs
}

// evalChain runs a first-match chain on s: what is still undecided meets
// each rule in number order; an allow rule's part joins the result, and
// every rule's part leaves the undecided.
func evalChain(s Set, chain []naclRule) Set {
	var allowed Set
	for _, ru := range chain {
		hit, rest := s.SplitBox(ru.box)
		if ru.allow {
			allowed = allowed.Union(hit)
		}
		s = rest
	}
	return allowed
}

// BenchmarkNACLChain evaluates a 20-rule network ACL rule by rule on an
// input set, as an engine that records which rule decided what must.
func BenchmarkNACLChain(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			chains, inputs := naclInputs(n)
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sink = evalChain(inputs[i%len(inputs)], chains[i%len(chains)])
				i++
			}
		})
	}
}

// BenchmarkNACLCompiled evaluates the same chains compiled once into the set
// they allow (the chain run on every header), so that each input costs one
// Intersect.
func BenchmarkNACLCompiled(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			chains, inputs := naclInputs(n)
			compiled := make([]Set, len(chains))
			for i, c := range chains {
				compiled[i] = evalChain(All4(), c)
				if !inputs[i].Intersect(compiled[i]).Equal(evalChain(inputs[i], c)) {
					b.Fatal("compiled chain disagrees with the chain")
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sink = inputs[i%len(inputs)].Intersect(compiled[i%len(compiled)])
				i++
			}
		})
	}
}

func BenchmarkContains(b *testing.B) {
	for _, n := range sizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(3, uint64(n)))
			s := setOfLen(r, n)
			hs := make([]Header, 256)
			for i := range hs {
				hs[i] = Header{
					Src:   netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(16)), byte(r.IntN(256))}),
					Dst:   netip.AddrFrom4([4]byte{10, byte(r.IntN(4)), byte(r.IntN(16)), byte(r.IntN(256))}),
					Proto: ProtoTCP, SrcPort: uint16(1024 + r.IntN(60000)), DstPort: []uint16{22, 80, 443}[r.IntN(3)],
				}
			}
			b.ReportAllocs()
			i, hits := 0, 0
			for b.Loop() {
				if s.Contains(hs[i%len(hs)]) {
					hits++
				}
				i++
			}
			_ = hits
		})
	}
}

// BenchmarkOf measures canonicalisation from scratch: the union of n
// overlapping rule boxes in arbitrary order.
func BenchmarkOf(b *testing.B) {
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := rand.New(rand.NewPCG(5, uint64(n)))
			in := make([][]Box, 16)
			for i := range in {
				for range n {
					in[i] = append(in[i], ruleBox(r))
				}
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				sink = Of(in[i%len(in)]...)
				i++
			}
		})
	}
}

func BenchmarkBoxes(b *testing.B) {
	s := setOfLen(rand.New(rand.NewPCG(1, 1)), 50)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.Boxes()
	}
}

func BenchmarkGroupByService(b *testing.B) {
	s := setOfLen(rand.New(rand.NewPCG(2, 2)), 50)
	b.ReportAllocs()
	for b.Loop() {
		_ = s.GroupByService()
	}
}

func BenchmarkSwap(b *testing.B) {
	s := setOfLen(rand.New(rand.NewPCG(4, 4)), 50)
	b.ReportAllocs()
	for b.Loop() {
		sink = s.Swap()
	}
}

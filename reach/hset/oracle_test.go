package hset

import (
	"fmt"
	"math/big"
	"math/bits"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// The oracle checks the algebra by brute force on a small domain. Each level
// has a few grid points that cut its line into cells (each point alone, and
// the gaps between them); random boxes start and end on cell boundaries, so
// every set the tests build is constant on each cell and one bit per cell
// tuple decides it exactly — even though the cells themselves are huge (a gap
// of 2^64 addresses) and sit at the edges of the space, where overflow bugs
// live.

// cellGrid is one level's cells, in order, tiling the level's whole range.
type cellGrid []span

// newGrid returns the cells cut by the sorted points pts on [0, top].
func newGrid(top Addr, pts ...Addr) cellGrid {
	var g cellGrid
	next := Addr{} // first value not yet in a cell
	for i, p := range pts {
		if i == 0 && p != (Addr{}) || i > 0 && next.Less(p) {
			g = append(g, span{next, p.Prev()})
		}
		g = append(g, span{p, p})
		next = p.Next()
	}
	if last := pts[len(pts)-1]; last != top {
		g = append(g, span{next, top})
	}
	return g
}

// size is the number of values in cell c.
func (g cellGrid) size(c int) *big.Int { return AddrRange{g[c].lo, g[c].hi}.Size() }

// find returns the cells [i, j] that s covers, or ok false if s does not start
// and end on cell boundaries.
func (g cellGrid) find(s span) (i, j int, ok bool) {
	i, j = -1, -1
	for c, cell := range g {
		if cell.lo == s.lo {
			i = c
		}
		if cell.hi == s.hi {
			j = c
		}
	}
	return i, j, i >= 0 && j >= i
}

// domain is the small universe: one grid per level, in canonical level order
// (proto, dport, src, dst, sport). Src and Dst share a grid, as do the two
// ports, so that Swap stays inside the domain.
type domain struct {
	grids [nlev]cellGrid
	n     [nlev]int        // cells per level
	sizes [nlev][]*big.Int // values per cell
	total int              // cell tuples
}

func newDomain() *domain {
	addrs := newGrid(maxAddr,
		All4Addrs.Lo, All4Addrs.Hi, All6Addrs.Lo, // the family boundaries
		Addr{1, 0}, // the carry between the two words
		maxAddr)
	ports := newGrid(levelMax[1], Addr{0, 0}, Addr{0, 1024}, Addr{0, 65535})
	protos := newGrid(levelMax[0], Addr{0, 6}, Addr{0, 255})
	d := &domain{grids: [nlev]cellGrid{protos, ports, addrs, addrs, ports}, total: 1}
	for l, g := range d.grids {
		d.n[l] = len(g)
		d.total *= len(g)
		for c := range g {
			d.sizes[l] = append(d.sizes[l], g.size(c))
		}
	}
	return d
}

// randomBox returns a box aligned on d's cells: sometimes a whole level,
// sometimes one cell, else any run of cells.
func (d *domain) randomBox(r *rand.Rand) Box {
	var b Box
	for l, g := range d.grids {
		i, j := 0, len(g)-1
		switch r.IntN(4) {
		case 0: // the whole level
		case 1:
			i = r.IntN(len(g))
			j = i
		default:
			i, j = r.IntN(len(g)), r.IntN(len(g))
			if j < i {
				i, j = j, i
			}
		}
		b.setSpan(l, span{g[i].lo, g[j].hi})
	}
	return b
}

// randomRange returns an aligned address range (possibly empty when empty is
// set and the dice say so).
func (d *domain) randomRange(r *rand.Rand) AddrRange {
	g := d.grids[2]
	i, j := r.IntN(len(g)), r.IntN(len(g))
	if j < i {
		i, j = j, i
	}
	return AddrRange{g[i].lo, g[j].hi}
}

// boxGen makes one random box; the oracle tests and the benchmarks share
// randomSet and differ only in the generator.
type boxGen func(r *rand.Rand) Box

// randomSet returns the union of n random boxes.
func randomSet(r *rand.Rand, gen boxGen, n int) Set {
	bs := make([]Box, n)
	for i := range bs {
		bs[i] = gen(r)
	}
	return Of(bs...)
}

// bitset is an oracle set: one bit per cell tuple.
type bitset []uint64

func (d *domain) empty() bitset { return make(bitset, (d.total+63)/64) }

func (b bitset) get(i int) bool { return b[i/64]&(1<<(i%64)) != 0 }
func (b bitset) set(i int)      { b[i/64] |= 1 << (i % 64) }

func (b bitset) count() int {
	n := 0
	for _, w := range b {
		n += bits.OnesCount64(w)
	}
	return n
}

func combineBits(a, b bitset, f func(x, y uint64) uint64) bitset {
	c := make(bitset, len(a))
	for i := range a {
		c[i] = f(a[i], b[i])
	}
	return c
}

// index and coords convert between a cell tuple and its bit.
func (d *domain) index(c [nlev]int) int {
	i := 0
	for l := range nlev {
		i = i*d.n[l] + c[l]
	}
	return i
}

func (d *domain) coords(i int) [nlev]int {
	var c [nlev]int
	for l := nlev - 1; l >= 0; l-- {
		c[l] = i % d.n[l]
		i /= d.n[l]
	}
	return c
}

// bits returns the oracle of s; it fails t if s has a box off the grid.
func (d *domain) bits(t testing.TB, s Set) bitset {
	t.Helper()
	o := d.empty()
	for _, b := range s.boxes {
		var lo, hi [nlev]int
		for l := range nlev {
			i, j, ok := d.grids[l].find(b.span(l))
			if !ok {
				t.Fatalf("box %v is not aligned on the test grid at level %d", b, l)
			}
			lo[l], hi[l] = i, j
		}
		c := lo
		for {
			o.set(d.index(c))
			l := nlev - 1
			for l >= 0 && c[l] == hi[l] {
				c[l] = lo[l]
				l--
			}
			if l < 0 {
				break
			}
			c[l]++
		}
	}
	return o
}

// canon computes the canonical form of o straight from its definition: at
// each level, group adjacent cells whose sub-sets are equal.
func (d *domain) canon(o bitset) []Box { return d.canonAt(o, 0, 0) }

func (d *domain) canonAt(o bitset, l, base int) []Box {
	if l == nlev {
		if o.get(base) {
			return []Box{{}}
		}
		return nil
	}
	var out []Box
	var group []Box // the sub-set of the current group of cells
	gStart := -1
	flush := func(end int) {
		for _, b := range group {
			b.setSpan(l, span{d.grids[l][gStart].lo, d.grids[l][end].hi})
			out = append(out, b)
		}
	}
	for c := 0; c < d.n[l]; c++ {
		child := d.canonAt(o, l+1, base*d.n[l]+c)
		if gStart >= 0 && slices.Equal(child, group) {
			continue
		}
		if gStart >= 0 && len(group) > 0 {
			flush(c - 1)
		}
		group, gStart = child, c
	}
	if len(group) > 0 {
		flush(d.n[l] - 1)
	}
	return out
}

// size is the number of headers in o.
func (d *domain) size(o bitset) *big.Int {
	z := new(big.Int)
	for i := range d.total {
		if !o.get(i) {
			continue
		}
		c := d.coords(i)
		p := big.NewInt(1)
		for l := range nlev {
			p.Mul(p, d.sizes[l][c[l]])
		}
		z.Add(z, p)
	}
	return z
}

// mapBits returns the set of f(c) for every cell tuple c of o, where f may
// return several tuples.
func (d *domain) mapBits(o bitset, f func(c [nlev]int, emit func([nlev]int))) bitset {
	r := d.empty()
	for i := range d.total {
		if o.get(i) {
			f(d.coords(i), func(c [nlev]int) { r.set(d.index(c)) })
		}
	}
	return r
}

func (d *domain) swapBits(o bitset) bitset {
	return d.mapBits(o, func(c [nlev]int, emit func([nlev]int)) {
		c[1], c[2], c[3], c[4] = c[4], c[3], c[2], c[1]
		emit(c)
	})
}

// withBits replaces level l of every tuple by every cell of [i, j].
func (d *domain) withBits(o bitset, l, i, j int) bitset {
	return d.mapBits(o, func(c [nlev]int, emit func([nlev]int)) {
		for k := i; k <= j; k++ {
			c[l] = k
			emit(c)
		}
	})
}

// project returns the ranges of level l that o uses, merged.
func (d *domain) project(o bitset, l int) []AddrRange {
	used := make([]bool, d.n[l])
	for i := range d.total {
		if o.get(i) {
			used[d.coords(i)[l]] = true
		}
	}
	var out []AddrRange
	for c, u := range used {
		switch {
		case !u:
		case c > 0 && used[c-1]:
			out[len(out)-1].Hi = d.grids[l][c].hi
		default:
			out = append(out, AddrRange{d.grids[l][c].lo, d.grids[l][c].hi})
		}
	}
	return out
}

// randomHeader returns a header inside cell tuple c: at each level one end
// of the cell, or a random value inside it.
func (d *domain) randomHeader(r *rand.Rand, c [nlev]int) Header {
	var v [nlev]Addr
	for l := range nlev {
		cell := d.grids[l][c[l]]
		w := cell.hi.sub(cell.lo)
		switch r.IntN(3) {
		case 0:
			v[l] = cell.lo
		case 1:
			v[l] = cell.hi
		default: // a random offset below w's top bit is at most w
			n := 128 - bits.LeadingZeros64(w.Hi)
			if w.Hi == 0 {
				n = 64 - bits.LeadingZeros64(w.Lo)
			}
			off := Addr{r.Uint64(), r.Uint64()}.and(hostMask(n - 1))
			v[l] = cell.lo.add(off)
		}
	}
	return Header{Src: v[2].NetIP(), Dst: v[3].NetIP(), Proto: uint8(v[0].Lo), SrcPort: uint16(v[4].Lo), DstPort: uint16(v[1].Lo)}
}

func (a Addr) add(b Addr) Addr {
	lo, c := bits.Add64(a.Lo, b.Lo, 0)
	return Addr{a.Hi + b.Hi + c, lo}
}

// check verifies s against its oracle o: the headers (at a sample of points
// of every cell tuple), the canonical form, emptiness and size.
func (d *domain) check(t testing.TB, r *rand.Rand, what func() string, s Set, o bitset) {
	t.Helper()
	got := d.bits(t, s)
	if !slices.Equal(got, o) {
		t.Fatalf("%s: wrong headers\n got %d cells:\n%v\nwant %d cells:\n%v", what(), got.count(), s, o.count(), Set{d.canon(o)})
	}
	if want := d.canon(o); !slices.Equal(s.boxes, want) {
		t.Fatalf("%s: not canonical\n got:\n%v\nwant:\n%v", what(), s, Set{want})
	}
	if s.IsEmpty() != (o.count() == 0) {
		t.Fatalf("%s: IsEmpty = %v with %d cells", what(), s.IsEmpty(), o.count())
	}
	for range 8 {
		i := r.IntN(d.total)
		h := d.randomHeader(r, d.coords(i))
		if s.Contains(h) != o.get(i) {
			t.Fatalf("%s: Contains(%v) = %v, want %v\nset:\n%v", what(), h, s.Contains(h), o.get(i), s)
		}
	}
}

// TestAlgebraOracle checks every operation on random sets against the
// brute-force oracle.
func TestAlgebraOracle(t *testing.T) {
	d := newDomain()
	r := rand.New(rand.NewPCG(1, 2))
	iters := 400
	if testing.Short() {
		iters = 50
	}
	for it := range iters {
		a := randomSet(r, d.randomBox, 1+r.IntN(8))
		b := randomSet(r, d.randomBox, 1+r.IntN(8))
		oa, ob := d.bits(t, a), d.bits(t, b)
		// name describes a failure; it is a func so that passing runs do
		// not print every set.
		name := func(op string) func() string {
			return func() string { return fmt.Sprintf("iteration %d: %s\nA:\n%v\nB:\n%v", it, op, a, b) }
		}
		d.check(t, r, name("A"), a, oa)

		u, in, sub := a.Union(b), a.Intersect(b), a.Subtract(b)
		d.check(t, r, name("A∪B"), u, combineBits(oa, ob, func(x, y uint64) uint64 { return x | y }))
		d.check(t, r, name("A∩B"), in, combineBits(oa, ob, func(x, y uint64) uint64 { return x & y }))
		d.check(t, r, name("A−B"), sub, combineBits(oa, ob, func(x, y uint64) uint64 { return x &^ y }))

		// Equal sets built differently have identical forms.
		if v := b.Union(a); !slices.Equal(v.boxes, u.boxes) || v.String() != u.String() {
			t.Fatalf("%s: B∪A differs from A∪B", name("")())
		}
		alt := sub.Union(in).Union(b.Subtract(a))
		if !alt.Equal(u) || !slices.Equal(alt.Boxes(), u.Boxes()) {
			t.Fatalf("%s: (A−B)∪(A∩B)∪(B−A) = \n%v\nwant\n%v", name("")(), alt, u)
		}
		shuffled := slices.Concat(a.Boxes(), b.Boxes())
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if !Of(shuffled...).Equal(u) {
			t.Fatalf("%s: Of(shuffled boxes) differs from A∪B", name("")())
		}
		if a.Equal(b) != slices.Equal(oa, ob) {
			t.Fatalf("%s: Equal = %v", name("")(), a.Equal(b))
		}
		if got, want := a.Overlaps(b), !in.IsEmpty(); got != want {
			t.Fatalf("%s: Overlaps = %v, want %v", name("")(), got, want)
		}
		if got, want := a.Covers(b), b.Subtract(a).IsEmpty(); got != want {
			t.Fatalf("%s: Covers = %v, want %v", name("")(), got, want)
		}
		if !u.Covers(a) || !a.Covers(in) || !a.Covers(a) {
			t.Fatalf("%s: Covers misses a subset", name("")())
		}

		// One-box fast paths.
		bx := d.randomBox(r)
		obx := d.bits(t, Of(bx))
		d.check(t, r, name("A∩box "+bx.String()), a.IntersectBox(bx), combineBits(oa, obx, func(x, y uint64) uint64 { return x & y }))
		d.check(t, r, name("A−box "+bx.String()), a.SubtractBox(bx), combineBits(oa, obx, func(x, y uint64) uint64 { return x &^ y }))
		if in, out := a.SplitBox(bx); !in.Equal(a.IntersectBox(bx)) || !out.Equal(a.SubtractBox(bx)) {
			t.Fatalf("%s: SplitBox(%v) = \n%v\nand\n%v", name("")(), bx, in, out)
		}
		if got, want := a.OverlapsBox(bx), !a.IntersectBox(bx).IsEmpty(); got != want {
			t.Fatalf("%s: OverlapsBox(%v) = %v, want %v", name("")(), bx, got, want)
		}

		// Transforms.
		d.check(t, r, name("swap(A)"), a.Swap(), d.swapBits(oa))
		if !a.Swap().Swap().Equal(a) {
			t.Fatalf("%s: swap(swap(A)) != A", name("")())
		}
		rg := d.randomRange(r)
		i, j, _ := d.grids[2].find(span{rg.Lo, rg.Hi})
		d.check(t, r, name("A with src "+rg.String()), a.WithSrc(rg), d.withBits(oa, 2, i, j))
		d.check(t, r, name("A with dst "+rg.String()), a.WithDst(rg), d.withBits(oa, 3, i, j))
		pg := d.grids[4]
		pi, pj := r.IntN(len(pg)), r.IntN(len(pg))
		if pj < pi {
			pi, pj = pj, pi
		}
		pr := Range16{uint16(pg[pi].lo.Lo), uint16(pg[pj].hi.Lo)}
		d.check(t, r, name("A with sport "+pr.String()), a.WithSrcPort(pr), d.withBits(oa, 4, pi, pj))
		dg := d.grids[1]
		di, dj := r.IntN(len(dg)), r.IntN(len(dg))
		if dj < di {
			di, dj = dj, di
		}
		dr := Range16{uint16(dg[di].lo.Lo), uint16(dg[dj].hi.Lo)}
		d.check(t, r, name("A with dport "+dr.String()), a.WithDstPort(dr), d.withBits(oa, 1, di, dj))

		// Projections and size.
		for _, dim := range []Dim{DimSrc, DimDst, DimProto, DimSrcPort, DimDstPort} {
			if got, want := u.Project(dim), d.project(d.bits(t, u), dim.level()); !slices.Equal(got, want) {
				t.Fatalf("%s: Project(%v) of A∪B = %v, want %v", name("")(), dim, got, want)
			}
		}
		if got, want := a.Size(), d.size(oa); got.Cmp(want) != 0 {
			t.Fatalf("%s: Size = %v, want %v", name("")(), got, want)
		}

		checkGroups(t, d, name("groups of A∪B"), u)
	}
}

// checkGroups verifies GroupByService: the groups partition s in order, each
// group's rest is the same on every cell of its rectangle, and neighbouring
// port ranges under one protocol range differ.
func checkGroups(t testing.TB, d *domain, what func() string, s Set) {
	t.Helper()
	gs := s.GroupByService()
	var all Set
	o := d.bits(t, s)
	for k, g := range gs {
		if !all.Intersect(g.Rest).IsEmpty() {
			t.Fatalf("%s: group %d overlaps an earlier one", what(), k)
		}
		all = all.Union(g.Rest)
		for _, b := range g.Rest.boxes {
			if b.Proto != g.Proto || b.DstPort != g.DstPort {
				t.Fatalf("%s: group %d (%v %v) holds box %v", what(), k, g.Proto, g.DstPort, b)
			}
		}
		if k > 0 {
			p := gs[k-1]
			if !(p.Proto.Hi < g.Proto.Lo || p.Proto == g.Proto && p.DstPort.Hi < g.DstPort.Lo) {
				t.Fatalf("%s: group %d (%v %v) out of order after (%v %v)", what(), k, g.Proto, g.DstPort, p.Proto, p.DstPort)
			}
			if p.Proto == g.Proto && p.DstPort.Hi+1 == g.DstPort.Lo && sameRegion(p.Rest.boxes, g.Rest.boxes, 1) {
				t.Fatalf("%s: groups %d and %d have the same rest; not maximal", what(), k-1, k)
			}
		}
		// Uniform: every (proto, dport) cell tuple of the group has the same
		// (src, dst, sport) bits.
		pi, pj, _ := d.grids[0].find(span{Addr{0, uint64(g.Proto.Lo)}, Addr{0, uint64(g.Proto.Hi)}})
		qi, qj, _ := d.grids[1].find(span{Addr{0, uint64(g.DstPort.Lo)}, Addr{0, uint64(g.DstPort.Hi)}})
		rest := d.n[2] * d.n[3] * d.n[4]
		ref := ""
		for p := pi; p <= pj; p++ {
			for q := qi; q <= qj; q++ {
				var sb strings.Builder
				base := d.index([nlev]int{p, q, 0, 0, 0})
				for i := range rest {
					sb.WriteByte('0' + b2i(o.get(base+i)))
				}
				if ref == "" {
					ref = sb.String()
				} else if sb.String() != ref {
					t.Fatalf("%s: group %d (%v %v) is not uniform", what(), k, g.Proto, g.DstPort)
				}
			}
		}
	}
	if !all.Equal(s) {
		t.Fatalf("%s: groups cover\n%v\nnot\n%v", what(), all, s)
	}
}

func b2i(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// TestOracleGrid makes sure the oracle's own grid tiles each level, so that a
// bug in the test domain cannot hide one in the algebra.
func TestOracleGrid(t *testing.T) {
	d := newDomain()
	for l, g := range d.grids {
		if g[0].lo != (Addr{}) || g[len(g)-1].hi != levelMax[l] {
			t.Errorf("level %d: grid %v does not span the level", l, g)
		}
		for c := 1; c < len(g); c++ {
			if g[c-1].hi.Next() != g[c].lo || g[c].hi.Less(g[c].lo) {
				t.Errorf("level %d: cells %v and %v do not tile", l, g[c-1], g[c])
			}
		}
	}
	// The oracle's canonical form of "everything" is one box.
	all := d.empty()
	for i := range d.total {
		all.set(i)
	}
	if got := d.canon(all); len(got) != 1 {
		t.Errorf("canon(everything) = %v", got)
	}
}

// TestFirstMatchChain checks the network-ACL pattern the engine builds on
// SplitBox: rule by rule, and compiled once into an allowed set, against the
// first-match rule evaluated cell by cell.
func TestFirstMatchChain(t *testing.T) {
	d := newDomain()
	r := rand.New(rand.NewPCG(11, 12))
	everything := Of(Box{
		Proto: AllProtos, DstPort: AllPorts, SrcPort: AllPorts,
		Src: AddrRange{Addr{}, maxAddr}, Dst: AddrRange{Addr{}, maxAddr},
	})
	for it := range 100 {
		chain := make([]naclRule, 1+r.IntN(10))
		ruleBits := make([]bitset, len(chain))
		for i := range chain {
			chain[i] = naclRule{r.IntN(2) == 0, d.randomBox(r)}
			ruleBits[i] = d.bits(t, Of(chain[i].box))
		}
		want := d.empty()
		for c := range d.total {
			for i, ru := range chain {
				if ruleBits[i].get(c) { // the first rule that matches decides
					if ru.allow {
						want.set(c)
					}
					break
				}
			}
		}
		compiled := evalChain(everything, chain)
		d.check(t, r, func() string { return fmt.Sprintf("chain %d compiled", it) }, compiled, want)
		in := randomSet(r, d.randomBox, 1+r.IntN(5))
		if got := evalChain(in, chain); !got.Equal(in.Intersect(compiled)) {
			t.Fatalf("chain %d: rule by rule on\n%v\ngives\n%v\nwant\n%v", it, in, got, in.Intersect(compiled))
		}
	}
}

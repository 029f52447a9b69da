package hset

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"testing"
)

// The fuzz test reads its input as a program for four set registers, run on
// the oracle's domain, and checks every result against the oracle. Each
// instruction is an opcode byte and three register bytes (dst, x, y); some
// opcodes read a box or a range from the bytes after. Missing bytes read as
// zero, so every input is a valid program.
const (
	insBox       = iota // dst = Of(box)
	insAddBox           // dst = x ∪ Of(box), also built as Of(x's boxes, box)
	insUnion            // dst = x ∪ y
	insIntersect        // dst = x ∩ y
	insSubtract         // dst = x − y
	insInterBox         // dst = x ∩ box
	insSubBox           // dst = x − box
	insSwap             // dst = swap(x)
	insWithSrc          // dst = x with src replaced by a range
	insWithDst          // dst = x with dst replaced by a range
	insWithSport        // dst = x with sport replaced by a range
	insGroups           // dst = union of x's service groups, checked
	nIns
)

// operandBytes is how many bytes after its registers an instruction reads.
var operandBytes = [nIns]int{insBox: 2 * nlev, insAddBox: 2 * nlev, insInterBox: 2 * nlev, insSubBox: 2 * nlev,
	insWithSrc: 2, insWithDst: 2, insWithSport: 2}

// program decodes the bytes of a fuzz input.
type program struct {
	b []byte
	i int
}

func (p *program) next() int {
	if p.i >= len(p.b) {
		p.i++
		return 0
	}
	p.i++
	return int(p.b[p.i-1])
}

func (p *program) done() bool { return p.i >= len(p.b) }

// cells reads a run of cells [i, j] of a level with n cells.
func (p *program) cells(n int) (int, int) {
	i, j := p.next()%n, p.next()%n
	if j < i {
		i, j = j, i
	}
	return i, j
}

func (p *program) box(d *domain) Box {
	var b Box
	for l, g := range d.grids {
		i, j := p.cells(len(g))
		b.setSpan(l, span{g[i].lo, g[j].hi})
	}
	return b
}

func runProgram(t testing.TB, d *domain, prog []byte) {
	h := fnv.New64a()
	h.Write(prog)
	r := rand.New(rand.NewPCG(h.Sum64(), 0)) // Contains samples, reproducible per input
	// The registers start with fixed non-trivial sets, so that short inputs
	// already work on something.
	var regs [4]Set
	var bits [4]bitset
	for k := range regs {
		regs[k] = randomSet(rand.New(rand.NewPCG(uint64(k), 42)), d.randomBox, 2*k)
		bits[k] = d.bits(t, regs[k])
	}
	and := func(x, y uint64) uint64 { return x & y }
	p := &program{b: prog}
	for steps := 0; !p.done() && steps < 64; steps++ {
		op, dst, x, y := p.next()%nIns, p.next()%4, p.next()%4, p.next()%4
		var s Set
		var o bitset
		switch op {
		case insBox:
			s = Of(p.box(d))
			o = d.bits(t, s)
		case insAddBox:
			b := p.box(d)
			s = regs[x].Union(Of(b))
			o = combineBits(bits[x], d.bits(t, Of(b)), func(x, y uint64) uint64 { return x | y })
			if of := Of(append(regs[x].Boxes(), b)...); !of.Equal(s) {
				t.Fatalf("Of(x's boxes, %v) =\n%v\nwant x ∪ box =\n%v", b, of, s)
			}
		case insUnion:
			s, o = regs[x].Union(regs[y]), combineBits(bits[x], bits[y], func(x, y uint64) uint64 { return x | y })
		case insIntersect:
			s, o = regs[x].Intersect(regs[y]), combineBits(bits[x], bits[y], and)
		case insSubtract:
			s, o = regs[x].Subtract(regs[y]), combineBits(bits[x], bits[y], func(x, y uint64) uint64 { return x &^ y })
		case insInterBox, insSubBox:
			b := p.box(d)
			ob := d.bits(t, Of(b))
			if op == insInterBox {
				s, o = regs[x].IntersectBox(b), combineBits(bits[x], ob, and)
			} else {
				s, o = regs[x].SubtractBox(b), combineBits(bits[x], ob, func(x, y uint64) uint64 { return x &^ y })
			}
		case insSwap:
			s, o = regs[x].Swap(), d.swapBits(bits[x])
		case insWithSrc, insWithDst, insWithSport:
			l := map[int]int{insWithSrc: 2, insWithDst: 3, insWithSport: 4}[op]
			g := d.grids[l]
			i, j := p.cells(len(g))
			switch op {
			case insWithSrc:
				s = regs[x].WithSrc(AddrRange{g[i].lo, g[j].hi})
			case insWithDst:
				s = regs[x].WithDst(AddrRange{g[i].lo, g[j].hi})
			default:
				s = regs[x].WithSrcPort(Range16{uint16(g[i].lo.Lo), uint16(g[j].hi.Lo)})
			}
			o = d.withBits(bits[x], l, i, j)
		case insGroups:
			checkGroups(t, d, func() string { return "groups" }, regs[x])
			var u Set
			for _, g := range regs[x].GroupByService() {
				u = u.Union(g.Rest)
			}
			s, o = u, bits[x]
		}
		d.check(t, r, func() string { return fmt.Sprintf("program %x, step %d", prog, steps) }, s, o)
		if s.Equal(regs[y]) != (s.Covers(regs[y]) && regs[y].Covers(s)) {
			t.Fatalf("Equal and mutual Covers disagree on\n%v\nand\n%v", s, regs[y])
		}
		regs[dst], bits[dst] = s, o
	}
}

func FuzzOps(f *testing.F) {
	f.Add([]byte{insBox, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10})
	f.Add([]byte{
		insBox, 0, 0, 0, 0, 3, 0, 4, 0, 8, 2, 5, 0, 4,
		insBox, 1, 0, 0, 1, 1, 2, 2, 0, 8, 0, 8, 1, 3,
		insUnion, 2, 0, 1,
		insSubtract, 3, 2, 1,
		insSwap, 3, 3, 0,
		insGroups, 0, 2, 0,
	})
	f.Add([]byte{
		insBox, 0, 0, 0, 0, 255, 0, 255, 0, 255, 0, 255, 0, 255, // everything
		insSubBox, 1, 0, 0, 1, 1, 2, 2, 5, 5, 5, 5, 2, 2,
		insWithSrc, 2, 1, 0, 3, 7,
		insWithSport, 3, 2, 0, 2, 4,
		insIntersect, 0, 3, 1,
		insInterBox, 1, 0, 0, 0, 3, 1, 4, 0, 8, 0, 8, 0, 4,
	})
	d := newDomain()
	f.Fuzz(func(t *testing.T, prog []byte) { runProgram(t, d, prog) })
}

// TestRandomPrograms runs random programs through the fuzz interpreter, so
// that plain `go test` exercises every instruction.
func TestRandomPrograms(t *testing.T) {
	d := newDomain()
	r := rand.New(rand.NewPCG(9, 10))
	n := 60
	if testing.Short() {
		n = 10
	}
	for range n {
		var prog []byte
		for range 5 + r.IntN(25) {
			op := r.IntN(nIns)
			prog = append(prog, byte(op), byte(r.IntN(4)), byte(r.IntN(4)), byte(r.IntN(4)))
			for range operandBytes[op] {
				prog = append(prog, byte(r.Uint32()))
			}
		}
		runProgram(t, d, prog)
	}
}

package hset

import (
	"iter"
	"slices"
	"sync"
)

// Set is a set of headers, kept in canonical form (see the package
// documentation): two equal sets hold identical boxes.
//
// A Set is an immutable value: no operation modifies its operands, so Sets may
// be copied freely and shared between goroutines without locks. The zero
// value is the empty set.
type Set struct {
	// boxes is the canonical form, in canonical order; nil when empty. The
	// array is never written after the Set is built (results that equal an
	// operand share its array), which is what makes sharing safe.
	boxes []Box
}

// Of returns the union of boxes; empty boxes are ignored.
func Of(boxes ...Box) Set {
	return ofOwned(slices.Clone(boxes))
}

// ofOwned is Of for a slice the caller gives up.
func ofOwned(bs []Box) Set {
	bs = slices.DeleteFunc(bs, Box.Empty)
	switch len(bs) {
	case 0:
		return Set{}
	case 1:
		return Set{bs[:1:1]}
	}
	// A balanced merge keeps the intermediate sets small: folding one box at a
	// time would re-copy a growing set n times.
	return Set{unionAll(bs)}
}

// unionAll returns the canonical union of the boxes of bs (at least two),
// merging halves recursively. The intermediate results live on one stack: a
// merge reads its two inputs from the top and replaces them with its result,
// so the memory held is the largest live frontier, not every intermediate.
func unionAll(bs []Box) []Box {
	x := appliers.Get().(*applier)
	x.op, x.probe = opUnion, false
	stack := make([]Box, 0, 2*len(bs))
	var merge func(bs []Box)
	merge = func(bs []Box) {
		if len(bs) == 1 {
			stack = append(stack, bs[0]) // one non-empty box is already canonical
			return
		}
		s0 := len(stack)
		merge(bs[:len(bs)/2])
		s1 := len(stack)
		merge(bs[len(bs)/2:])
		x.out, x.found = x.out[:0], false
		x.run(0, stack[s0:s1], stack[s1:])
		stack = append(stack[:s0], x.out...)
	}
	merge(bs)
	x.release()
	return slices.Clone(stack)
}

// All4 returns every IPv4 header: source and destination in All4Addrs, any
// protocol and ports.
func All4() Set { return all4 }

// All6 returns every IPv6 header: source and destination in All6Addrs, any
// protocol and ports.
func All6() Set { return all6 }

// all4 and all6 are built once: Sets are immutable, so every caller can share
// them, and a result equal to one of them shares its storage too.
var (
	all4 = Set{[]Box{{v4Range, v4Range, Range8{0, 255}, Range16{0, 65535}, Range16{0, 65535}}}}
	all6 = Set{[]Box{{v6Range, v6Range, Range8{0, 255}, Range16{0, 65535}, Range16{0, 65535}}}}
)

// IsEmpty reports whether s holds no header.
func (s Set) IsEmpty() bool { return len(s.boxes) == 0 }

// Len returns the number of boxes in the canonical form.
func (s Set) Len() int { return len(s.boxes) }

// Boxes returns the canonical form: disjoint boxes in canonical order. The
// slice is the caller's own; All iterates without copying.
func (s Set) Boxes() []Box { return slices.Clone(s.boxes) }

// All iterates over the boxes of the canonical form, in order.
func (s Set) All() iter.Seq[Box] {
	return func(yield func(Box) bool) {
		for _, b := range s.boxes {
			if !yield(b) {
				return
			}
		}
	}
}

// Equal reports whether s and t hold the same headers. Canonical forms make
// this a comparison of boxes; Sets that share storage compare in O(1).
func (s Set) Equal(t Set) bool {
	if len(s.boxes) != len(t.boxes) {
		return false
	}
	if len(s.boxes) == 0 || &s.boxes[0] == &t.boxes[0] {
		return true
	}
	return slices.Equal(s.boxes, t.boxes)
}

// Contains reports whether h lies in s. It finds the protocol run and then
// the destination-port run holding h by binary search — the canonical order
// sorts both — and scans only the boxes under them.
func (s Set) Contains(h Header) bool { return s.ContainsPoint(Point(h)) }

// ContainsPoint is Contains for a header already made a box by Point: code
// asking many sets about one header converts it once.
func (s Set) ContainsPoint(p Box) bool {
	h := struct {
		Proto   uint8
		DstPort uint16
	}{p.Proto.Lo, p.DstPort.Lo}
	bs := s.boxes
	// The first box whose protocol interval does not end before h.Proto
	// starts the only run that can hold it.
	i := search(len(bs), func(k int) bool { return bs[k].Proto.Hi >= h.Proto })
	if i == len(bs) || bs[i].Proto.Lo > h.Proto {
		return false
	}
	bs = bs[i:]
	bs = bs[:search(len(bs), func(k int) bool { return bs[k].Proto != bs[0].Proto })]
	i = search(len(bs), func(k int) bool { return bs[k].DstPort.Hi >= h.DstPort })
	if i == len(bs) || bs[i].DstPort.Lo > h.DstPort {
		return false
	}
	bs = bs[i:]
	for k := range bs {
		if bs[k].DstPort != bs[0].DstPort {
			break
		}
		if bs[k].has(&p) {
			return true
		}
	}
	return false
}

// search is sort.Search without the import: the smallest k in [0, n) for
// which f is true, or n; f must be false then true.
func search(n int, f func(int) bool) int {
	lo, hi := 0, n
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if f(m) {
			hi = m
		} else {
			lo = m + 1
		}
	}
	return lo
}

// Union returns the headers in s or t.
func (s Set) Union(t Set) Set {
	switch {
	case len(s.boxes) == 0:
		return t
	case len(t.boxes) == 0:
		return s
	}
	return apply(opUnion, s.boxes, t.boxes)
}

// Intersect returns the headers in both s and t.
func (s Set) Intersect(t Set) Set {
	if len(s.boxes) == 0 || len(t.boxes) == 0 {
		return Set{}
	}
	if len(t.boxes) == 1 {
		return s.IntersectBox(t.boxes[0])
	}
	if len(s.boxes) == 1 {
		return t.IntersectBox(s.boxes[0])
	}
	return apply(opInter, s.boxes, t.boxes)
}

// IntersectBox returns the headers of s inside b. It answers without building
// anything when b covers all of s or misses it, the common cases when a
// filter rule meets a set.
func (s Set) IntersectBox(b Box) Set {
	if len(s.boxes) == 0 || b.Empty() {
		return Set{}
	}
	all, none := s.relate(&b)
	switch {
	case all:
		return s
	case none:
		return Set{}
	}
	return applyBox(opInter, s.boxes, b)
}

// relate reports whether every box of s lies inside b, and whether none
// overlaps it: the cases in which a one-box operation needs no sweep.
func (s Set) relate(b *Box) (all, none bool) {
	all, none = true, true
	for i := range s.boxes {
		in, ov := s.boxes[i].relate(b)
		all = all && in
		none = none && !ov
	}
	return all, none
}

// Subtract returns the headers in s and not in t.
func (s Set) Subtract(t Set) Set {
	switch {
	case len(s.boxes) == 0:
		return Set{}
	case len(t.boxes) == 0:
		return s
	case len(t.boxes) == 1:
		return s.SubtractBox(t.boxes[0])
	}
	return apply(opSub, s.boxes, t.boxes)
}

// SubtractBox returns the headers of s outside b.
func (s Set) SubtractBox(b Box) Set {
	if len(s.boxes) == 0 || b.Empty() {
		return s
	}
	all, none := s.relate(&b)
	switch {
	case all:
		return Set{}
	case none:
		return s
	}
	return applyBox(opSub, s.boxes, b)
}

// SplitBox returns the headers of s inside b and those outside: one step of a
// first-match chain (a network ACL), where what a rule matches is decided and
// the rest goes on to the next rule. It equals (s.IntersectBox(b),
// s.SubtractBox(b)) and shares their work.
func (s Set) SplitBox(b Box) (in, out Set) {
	if len(s.boxes) == 0 || b.Empty() {
		return Set{}, s
	}
	all, none := s.relate(&b)
	switch {
	case all:
		return s, Set{}
	case none:
		return Set{}, s
	}
	return applyBox(opInter, s.boxes, b), applyBox(opSub, s.boxes, b)
}

// Overlaps reports whether s and t share a header. It stops at the first one
// and allocates nothing.
func (s Set) Overlaps(t Set) bool {
	if len(s.boxes) == 0 || len(t.boxes) == 0 {
		return false
	}
	return probe(opInter, s.boxes, t.boxes)
}

// OverlapsBox reports whether s holds a header of b: Overlaps with a one-box
// set, without building it. It allocates nothing.
func (s Set) OverlapsBox(b Box) bool {
	if b.Empty() {
		return false
	}
	for i := range s.boxes {
		if _, ov := s.boxes[i].relate(&b); ov {
			return true
		}
	}
	return false
}

// Covers reports whether every header of t lies in s (t ⊆ s). It stops at the
// first header of t outside s and allocates nothing.
func (s Set) Covers(t Set) bool {
	if len(t.boxes) == 0 {
		return true
	}
	if len(s.boxes) == 0 {
		return false
	}
	return !probe(opSub, t.boxes, s.boxes)
}

// op is a set operation, defined by which sides a header must lie in.
type op uint8

const (
	opUnion op = iota
	opInter
	opSub
)

// keep reports whether a header in a (inA) and in b (inB) is in the result.
func (o op) keep(inA, inB bool) bool {
	switch o {
	case opUnion:
		return inA || inB
	case opInter:
		return inA && inB
	}
	return inA && !inB
}

// applier computes a set operation on two canonical forms by a simultaneous
// sweep, level by level, writing the canonical result into out.
//
// At one level it cuts the line into the segments where neither side's
// interval changes, computes each segment's sub-result by recursion on the
// next level, and merges a segment into the previous one when they touch and
// their sub-results are equal. Because the sub-results are canonical,
// "equal" is a comparison of boxes, and merging greedily from the left yields
// maximal intervals — so the result is canonical by construction, with no
// normalisation pass.
//
// A canonical form is the flattening of a tree, so a node at level l is a run
// of consecutive boxes with equal intervals at levels < l: the sweep works on
// sub-slices and needs no tree.
type applier struct {
	op    op
	probe bool // only find out whether the result is empty
	found bool
	out   []Box
	path  [nlev]span // the segment being computed at each level above the current one
}

var appliers = sync.Pool{New: func() any { return new(applier) }}

// maxPooled bounds the buffer a pooled applier keeps, so that one huge
// operation does not pin its memory for the life of the process.
const maxPooled = 1 << 12

// apply returns a op b as a Set, reusing an operand's storage when the result
// equals it.
func apply(o op, a, b []Box) Set {
	x := compute(o, false, a, b)
	s := x.result(a, b)
	x.release()
	return s
}

// applyBox is apply with a one-box b, kept on the stack: b's storage is never
// shared, so that the hot paths do not allocate it.
func applyBox(o op, a []Box, b Box) Set {
	one := [1]Box{b}
	x := compute(o, false, a, one[:])
	s := x.result(a, nil)
	x.release()
	return s
}

// compute runs a op b on a pooled applier; the caller reads the result and
// then releases it.
func compute(o op, probe bool, a, b []Box) *applier {
	x := appliers.Get().(*applier)
	x.op, x.probe, x.found, x.out = o, probe, false, x.out[:0]
	x.run(0, a, b)
	return x
}

// result turns x.out into a Set, sharing a's or b's storage if equal.
func (x *applier) result(a, b []Box) Set {
	switch {
	case len(x.out) == 0:
		return Set{}
	case slices.Equal(x.out, a):
		return Set{a}
	case slices.Equal(x.out, b):
		return Set{b}
	}
	return Set{slices.Clone(x.out)}
}

func (x *applier) release() {
	if cap(x.out) <= maxPooled {
		appliers.Put(x)
	}
}

// probe reports whether a op b is non-empty.
func probe(o op, a, b []Box) bool {
	x := compute(o, true, a, b)
	found := x.found
	x.release()
	return found
}

// run appends a op b to x.out, where a and b are the nodes (runs of boxes) at
// level l under the segment path[:l]; one of them may be empty.
func (x *applier) run(l int, a, b []Box) {
	if l == nlev {
		if x.op.keep(len(a) > 0, len(b) > 0) {
			if x.probe {
				x.found = true
				return
			}
			var bx Box
			bx.setAbove(nlev, &x.path)
			x.out = append(x.out, bx)
		}
		return
	}
	if len(a) == 0 || len(b) == 0 {
		// One side only: the result is that side's subtree or nothing, and
		// a subtree of a canonical form is canonical.
		if !x.op.keep(len(a) > 0, len(b) > 0) {
			return
		}
		if x.probe {
			x.found = true
			return
		}
		src := a
		if len(a) == 0 {
			src = b
		}
		n := len(x.out)
		x.out = append(x.out, src...)
		for i := n; i < len(x.out); i++ {
			x.out[i].setAbove(l, &x.path)
		}
		return
	}

	top := levelMax[l]
	ia, ib := 0, 0
	ea, eb := runEnd(a, 0, l), runEnd(b, 0, l)
	ra, rb := a[0].span(l), b[0].span(l) // the intervals of the current runs
	var pos Addr                         // the sweep has handled everything below pos
	prev := -1                           // where in x.out the last non-empty segment's boxes start
	var prevHi Addr                      // and where that segment ends
	for ia < len(a) || ib < len(b) {
		haveA, haveB := ia < len(a), ib < len(b)
		if !haveA && x.op != opUnion || !haveB && x.op == opInter {
			break // what is left cannot contribute
		}
		sa, sb := ra, rb // clipped to what the sweep has not passed yet
		if haveA && sa.lo.Less(pos) {
			sa.lo = pos
		}
		if haveB && sb.lo.Less(pos) {
			sb.lo = pos
		}
		var start Addr
		switch {
		case haveA && haveB:
			start = minAddr(sa.lo, sb.lo)
		case haveA:
			start = sa.lo
		default:
			start = sb.lo
		}
		inA, inB := haveA && sa.lo == start, haveB && sb.lo == start
		// The segment ends where an interval covering start ends or where
		// one not yet reached begins.
		end := top
		if inA {
			end = sa.hi
		} else if haveA {
			end = sa.lo.Prev() // sa.lo > start, so no wrap
		}
		if inB {
			end = minAddr(end, sb.hi)
		} else if haveB {
			end = minAddr(end, sb.lo.Prev())
		}

		if x.op.keep(inA, inB) || inA && inB {
			mark := len(x.out)
			x.path[l] = span{start, end}
			var ca, cb []Box
			if inA {
				ca = a[ia:ea]
			}
			if inB {
				cb = b[ib:eb]
			}
			x.run(l+1, ca, cb)
			if x.found {
				return
			}
			if len(x.out) > mark {
				if prev >= 0 && prevHi.Next() == start && sameRegion(x.out[prev:mark], x.out[mark:], l) {
					for i := prev; i < mark; i++ {
						x.out[i].setHi(l, end)
					}
					x.out = x.out[:mark]
				} else {
					prev = mark
				}
				prevHi = end
			}
		}

		if inA && sa.hi == end {
			if ia = ea; ia < len(a) {
				ea, ra = runEnd(a, ia, l), a[ia].span(l)
			}
		}
		if inB && sb.hi == end {
			if ib = eb; ib < len(b) {
				eb, rb = runEnd(b, ib, l), b[ib].span(l)
			}
		}
		if end == top {
			break
		}
		pos = end.Next()
	}
}

// runEnd returns the end of the run of boxes starting at i that share their
// level-l interval.
func runEnd(a []Box, i, l int) int {
	j := i + 1
	for j < len(a) && sameSpan(&a[j], &a[i], l) {
		j++
	}
	return j
}

// sameRegion reports whether two sub-results under level l are the same set:
// the same boxes once level l and those above it are ignored.
func sameRegion(p, q []Box, l int) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if !sameBelow(&p[i], &q[i], l) {
			return false
		}
	}
	return true
}

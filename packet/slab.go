package packet

// slab keeps a table's entries in one slice and reuses the slots of removed
// ones, so that a table indexed by int32 allocates only when it grows. Each
// slot has a generation, bumped when the slot is released: a Hint that
// remembers a slot and its generation finds its entry again without a map
// lookup, and knows when the entry is gone.
type slab[T any] struct {
	items []T
	gens  []uint32
	free  []int32
}

func newSlab[T any](capacity int) slab[T] {
	return slab[T]{items: make([]T, 0, capacity), gens: make([]uint32, 0, capacity)}
}

// put stores v and returns its slot.
func (s *slab[T]) put(v T) int32 {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		s.items[i] = v
		return i
	}
	s.items = append(s.items, v)
	s.gens = append(s.gens, 1)
	return int32(len(s.items) - 1)
}

// release empties slot i for reuse.
func (s *slab[T]) release(i int32) {
	var zero T
	s.items[i] = zero
	s.gens[i]++
	s.free = append(s.free, i)
}

// Hint remembers where a table keeps one entry (a tracked connection, a NAT
// session), so that the next packet of the same flow reaches it without a
// lookup. The zero Hint remembers nothing. A hint is only ever a shortcut:
// a stale one is noticed and the table is searched.
type Hint struct {
	slot int32
	gen  uint32
}

// at returns the slot h remembers while it still holds the entry h was
// set for.
func (s *slab[T]) at(h *Hint) (int32, bool) {
	if h == nil || h.gen == 0 || int(h.slot) >= len(s.items) || s.gens[h.slot] != h.gen {
		return 0, false
	}
	return h.slot, true
}

func (s *slab[T]) remember(h *Hint, i int32) {
	if h != nil {
		h.slot, h.gen = i, s.gens[i]
	}
}

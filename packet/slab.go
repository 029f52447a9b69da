package packet

// slab keeps a table's entries in one slice and reuses the slots of removed
// ones, so that a table indexed by int32 allocates only when it grows.
type slab[T any] struct {
	items []T
	free  []int32
}

func newSlab[T any](capacity int) slab[T] { return slab[T]{items: make([]T, 0, capacity)} }

// put stores v and returns its slot.
func (s *slab[T]) put(v T) int32 {
	if n := len(s.free); n > 0 {
		i := s.free[n-1]
		s.free = s.free[:n-1]
		s.items[i] = v
		return i
	}
	s.items = append(s.items, v)
	return int32(len(s.items) - 1)
}

// release empties slot i for reuse.
func (s *slab[T]) release(i int32) {
	var zero T
	s.items[i] = zero
	s.free = append(s.free, i)
}

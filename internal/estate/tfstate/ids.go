package tfstate

import (
	"crypto/sha256"
	"encoding/binary"
	"hash/crc32"
	"strconv"
)

// HashID returns an AWS-style ID: prefix, a dash and 17 hex digits (the
// first a 0, as in IDs AWS has issued since 2018), derived from key. The same
// key always gives the same ID; distinct keys collide with negligible
// probability (64 bits), which the example tests check.
func HashID(prefix, key string) string {
	sum := sha256.Sum256([]byte(prefix + "\x00" + key))
	return FormatID(prefix, binary.BigEndian.Uint64(sum[:8]))
}

// FormatID formats v as an AWS-style ID with 17 hex digits.
func FormatID(prefix string, v uint64) string {
	const digits = "0123456789abcdef"
	var b [40]byte
	n := copy(b[:], prefix)
	b[n] = '-'
	b[n+1] = '0'
	n += 2
	for i := 15; i >= 0; i-- {
		b[n+i] = digits[v&0xf]
		v >>= 4
	}
	return string(b[:n+16])
}

// Sequence hands out AWS-style IDs that are unique by construction: the
// n-th ID is a bijective scramble of n under a key, so no two calls on one
// Sequence ever return the same digits, and the same key gives the same
// sequence.
type Sequence struct {
	key uint64
	n   uint64
}

// NewSequence returns a Sequence keyed by seed.
func NewSequence(seed uint64) *Sequence {
	return &Sequence{key: seed*0x9e3779b97f4a7c15 + 0x632be59bd9b4e019}
}

// Next returns the next ID with the given prefix.
func (s *Sequence) Next(prefix string) string {
	s.n++
	return FormatID(prefix, Scramble(s.n, s.key))
}

// Hex returns the next value as n hex digits (n ≤ 16), for identifiers that
// are not resource IDs (load balancer ARN suffixes, request IDs).
func (s *Sequence) Hex(n int) string {
	s.n++
	id := FormatID("", Scramble(s.n, s.key))
	return id[len(id)-n:]
}

// Scramble is a bijection on uint64 for a fixed key: an xor with the key
// followed by the finaliser of SplitMix64, whose steps (xor-shift,
// multiplication by an odd constant) are each invertible.
func Scramble(n, key uint64) uint64 {
	x := n ^ key
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// Hashcode is the AWS provider's create.StringHashcode: the CRC-32 (IEEE)
// of s as an int. The provider builds some IDs from it (routes:
// "r-" + table ID + Hashcode(destination)).
func Hashcode(s string) int {
	// On 64-bit platforms, where the provider runs, the conversion never
	// gives a negative number, so its sign fix-up never applies.
	return int(crc32.ChecksumIEEE([]byte(s)))
}

// RouteID is the ID the provider gives an aws_route.
func RouteID(routeTableID, destination string) string {
	return "r-" + routeTableID + strconv.Itoa(Hashcode(destination))
}

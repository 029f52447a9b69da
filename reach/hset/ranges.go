package hset

import (
	"strconv"
)

// Range16 is an inclusive range of 16-bit values: TCP and UDP ports, or an
// ICMP type or code (see the package documentation). It is empty when Hi < Lo.
type Range16 struct{ Lo, Hi uint16 }

// AllPorts is every 16-bit value, 0-65535.
var AllPorts = Range16{0, 65535}

// Port returns the range holding only n.
func Port(n uint16) Range16 { return Range16{n, n} }

// Empty reports whether r holds no value.
func (r Range16) Empty() bool { return r.Hi < r.Lo }

// Contains reports whether n lies in r.
func (r Range16) Contains(n uint16) bool { return r.Lo <= n && n <= r.Hi }

// String prints "22", "1024-65535", "all", or "empty".
func (r Range16) String() string {
	switch {
	case r.Empty():
		return "empty"
	case r == (Range16{0, 65535}):
		return "all"
	case r.Lo == r.Hi:
		return strconv.Itoa(int(r.Lo))
	}
	return strconv.Itoa(int(r.Lo)) + "-" + strconv.Itoa(int(r.Hi))
}

// Range8 is an inclusive range of IP protocol numbers. It is empty when
// Hi < Lo.
type Range8 struct{ Lo, Hi uint8 }

// IANA protocol numbers the engine treats specially.
const (
	ProtoICMP   uint8 = 1
	ProtoTCP    uint8 = 6
	ProtoUDP    uint8 = 17
	ProtoICMPv6 uint8 = 58
)

// AllProtos is every protocol, 0-255.
var AllProtos = Range8{0, 255}

// Proto returns the range holding only protocol n.
func Proto(n uint8) Range8 { return Range8{n, n} }

// Empty reports whether r holds no protocol.
func (r Range8) Empty() bool { return r.Hi < r.Lo }

// Contains reports whether protocol n lies in r.
func (r Range8) Contains(n uint8) bool { return r.Lo <= n && n <= r.Hi }

// String prints one protocol by name ("tcp", "udp", "icmp", "icmpv6") or
// number ("47"), every protocol as "all", and other ranges as numbers
// ("0-5"), since a range of names reads ambiguously; "empty" when empty.
func (r Range8) String() string {
	switch {
	case r.Empty():
		return "empty"
	case r == (Range8{0, 255}):
		return "all"
	case r.Lo == r.Hi:
		return protoName(r.Lo)
	}
	return strconv.Itoa(int(r.Lo)) + "-" + strconv.Itoa(int(r.Hi))
}

// protoName uses the names model.Protocol prints, so that a rule and the set
// it produced read alike.
func protoName(p uint8) string {
	switch p {
	case ProtoICMP:
		return "icmp"
	case ProtoTCP:
		return "tcp"
	case ProtoUDP:
		return "udp"
	case ProtoICMPv6:
		return "icmpv6"
	}
	return strconv.Itoa(int(p))
}

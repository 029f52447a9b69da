package model

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// Protocol is an IP protocol: an IANA protocol number (1–255, or
// ProtocolHOPOPT for number 0) or ProtocolAll, which AWS writes -1 and uses for
// "all protocols".
//
// The zero value is ProtocolInvalid: it marks a protocol that was never set
// or could not be read, and a rule with it matches nothing. IANA's protocol 0
// (IPv6 Hop-by-Hop Option) is therefore not the zero value but
// ProtocolHOPOPT, so that a forgotten field can never pass for a protocol;
// Number gives the IANA number of any valid protocol. Every other number n
// converts as Protocol(n).
type Protocol int16

// Protocols with a name in AWS rules.
const (
	ProtocolInvalid Protocol = 0
	ProtocolAll     Protocol = -1
	ProtocolICMP    Protocol = 1
	ProtocolTCP     Protocol = 6
	ProtocolUDP     Protocol = 17
	ProtocolICMPv6  Protocol = 58
	// ProtocolHOPOPT is IANA's protocol number 0.
	ProtocolHOPOPT Protocol = 256
)

var protoNames = map[string]Protocol{
	"all": ProtocolAll, "-1": ProtocolAll,
	"icmp": ProtocolICMP, "tcp": ProtocolTCP, "udp": ProtocolUDP,
	"icmpv6": ProtocolICMPv6, "icmp6": ProtocolICMPv6, "ipv6-icmp": ProtocolICMPv6,
}

// ProtocolNumber returns the protocol with IANA number n.
func ProtocolNumber(n uint8) Protocol {
	if n == 0 {
		return ProtocolHOPOPT
	}
	return Protocol(n)
}

// ParseProtocol reads a protocol as AWS APIs and Terraform write it: a name
// ("tcp", "udp", "icmp", "icmpv6", "all"; any case), an IANA number ("6"), or
// "-1". It refuses anything else, including numbers above 255, and returns
// ProtocolInvalid with the error.
func ParseProtocol(s string) (Protocol, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if p, ok := protoNames[t]; ok {
		return p, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 255 {
		return ProtocolInvalid, fmt.Errorf("invalid protocol %q: want tcp, udp, icmp, icmpv6, all, -1 or a number 0-255", s)
	}
	return ProtocolNumber(uint8(n)), nil
}

// String returns the name vpcsim prints: tcp, udp, icmp, icmpv6, all, the
// IANA number, or "invalid".
func (p Protocol) String() string {
	switch p {
	case ProtocolAll:
		return "all"
	case ProtocolTCP:
		return "tcp"
	case ProtocolUDP:
		return "udp"
	case ProtocolICMP:
		return "icmp"
	case ProtocolICMPv6:
		return "icmpv6"
	}
	if n, ok := p.Number(); ok {
		return strconv.Itoa(int(n))
	}
	return "invalid"
}

// Valid reports whether p is ProtocolAll or an IANA protocol.
func (p Protocol) Valid() bool { return p == ProtocolAll || p >= 1 && p <= ProtocolHOPOPT }

// Number returns p's IANA number; false for ProtocolAll and invalid values.
func (p Protocol) Number() (uint8, bool) {
	switch {
	case p == ProtocolHOPOPT:
		return 0, true
	case p >= 1 && p <= 255:
		return uint8(p), true
	}
	return 0, false
}

// HasPorts reports whether rules of this protocol carry a port range. AWS
// reads ports for TCP and UDP only; for every other protocol a rule applies to
// the whole protocol whatever ports it names.
func (p Protocol) HasPorts() bool { return p == ProtocolTCP || p == ProtocolUDP }

// IsICMP reports whether p is ICMP or ICMPv6, whose rules carry a type and a
// code instead of ports.
func (p Protocol) IsICMP() bool { return p == ProtocolICMP || p == ProtocolICMPv6 }

// MarshalText implements encoding.TextMarshaler.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler with ParseProtocol.
func (p *Protocol) UnmarshalText(b []byte) error {
	v, err := ParseProtocol(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// PortRange is an inclusive range of TCP or UDP ports. Its zero value is
// port 0 alone, a real (if unusual) range; fields where "not set" means every
// port or a default say so (AllPorts, DefaultEphemeral).
type PortRange struct {
	First uint16 `json:"first"`
	Last  uint16 `json:"last"`
}

// AllPorts is every port, 0-65535.
var AllPorts = PortRange{0, 65535}

// DefaultEphemeral is the client port range vpcsim assumes for return
// traffic unless told otherwise (AWS's network ACL guidance uses 1024-65535).
var DefaultEphemeral = PortRange{1024, 65535}

// Port is the range holding only port n.
func Port(n uint16) PortRange { return PortRange{n, n} }

// IsAll reports whether r covers every port.
func (r PortRange) IsAll() bool { return r == AllPorts }

// Contains reports whether port n lies in r.
func (r PortRange) Contains(n uint16) bool { return r.First <= n && n <= r.Last }

// Valid reports whether First <= Last.
func (r PortRange) Valid() bool { return r.First <= r.Last }

// Size is the number of ports in r.
func (r PortRange) Size() int { return int(r.Last) - int(r.First) + 1 }

// String prints "22", "80-443" or "all".
func (r PortRange) String() string {
	switch {
	case r.IsAll():
		return "all"
	case r.First == r.Last:
		return strconv.Itoa(int(r.First))
	}
	return fmt.Sprintf("%d-%d", r.First, r.Last)
}

// ParsePortRange reads "22", "80-443" or "all".
func ParsePortRange(s string) (PortRange, error) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "all") {
		return AllPorts, nil
	}
	lo, hi, ok := strings.Cut(s, "-")
	if !ok {
		hi = lo
	}
	a, err1 := strconv.ParseUint(strings.TrimSpace(lo), 10, 16)
	b, err2 := strconv.ParseUint(strings.TrimSpace(hi), 10, 16)
	if err1 != nil || err2 != nil || a > b {
		return PortRange{}, fmt.Errorf("invalid port range %q: want N, LO-HI (0-65535) or all", s)
	}
	return PortRange{uint16(a), uint16(b)}, nil
}

// ICMPMatch selects ICMP messages by type and code. The zero value matches
// every message (AnyICMP); ICMPTypeCode builds the others. AWS security group
// rules carry the type in from_port and the code in to_port; network ACL
// rules carry icmp_type and icmp_code; both write -1 for "any".
type ICMPMatch struct {
	// typ and code hold the type and the code plus one: zero means any.
	typ, code int16
}

// AnyICMP matches every ICMP message; it is the zero ICMPMatch.
var AnyICMP = ICMPMatch{}

// ICMPTypeCode returns the match of ICMP type typ and code code as AWS writes
// them: -1 (or any negative number) means any; a code without a type means
// nothing and is dropped, as AWS ignores it. Numbers above 255 are clamped
// to 255 (no ICMP type or code is higher; loaders refuse them).
func ICMPTypeCode(typ, code int) ICMPMatch {
	enc := func(v int) int16 {
		switch {
		case v < 0:
			return 0
		case v > 255:
			return 256
		}
		return int16(v) + 1
	}
	m := ICMPMatch{typ: enc(typ), code: enc(code)}
	if m.typ == 0 {
		m.code = 0
	}
	return m
}

// Type returns the ICMP type matched; false when any type matches.
func (m ICMPMatch) Type() (uint8, bool) { return uint8(m.typ - 1), m.typ != 0 }

// Code returns the ICMP code matched; false when any code matches.
func (m ICMPMatch) Code() (uint8, bool) { return uint8(m.code - 1), m.code != 0 }

// IsAny reports whether m matches every message.
func (m ICMPMatch) IsAny() bool { return m.typ == 0 }

// String prints "any", "type 8" or "type 3 code 4".
func (m ICMPMatch) String() string {
	t, okT := m.Type()
	c, okC := m.Code()
	switch {
	case !okT:
		return "any"
	case !okC:
		return fmt.Sprintf("type %d", t)
	}
	return fmt.Sprintf("type %d code %d", t, c)
}

// MarshalJSON writes m as AWS writes it: {"type": 8, "code": -1}, -1
// meaning any.
func (m ICMPMatch) MarshalJSON() ([]byte, error) {
	return fmt.Appendf(nil, `{"type":%d,"code":%d}`, m.typ-1, m.code-1), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (m *ICMPMatch) UnmarshalJSON(b []byte) error {
	var v struct{ Type, Code int }
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Type > 255 || v.Code > 255 {
		return fmt.Errorf("invalid ICMP match %s: type and code are at most 255", b)
	}
	*m = ICMPTypeCode(v.Type, v.Code)
	return nil
}

// Direction says whether a rule applies to traffic entering or leaving.
type Direction uint8

// Directions. The zero value is invalid.
const (
	Ingress Direction = iota + 1
	Egress
)

func (d Direction) String() string {
	switch d {
	case Ingress:
		return "ingress"
	case Egress:
		return "egress"
	}
	return "invalid"
}

// MarshalText implements encoding.TextMarshaler.
func (d Direction) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// Action is a network ACL rule's verdict. The zero value is invalid.
type Action uint8

// Actions.
const (
	Allow Action = iota + 1
	Deny
)

func (a Action) String() string {
	switch a {
	case Allow:
		return "allow"
	case Deny:
		return "deny"
	}
	return "invalid"
}

// MarshalText implements encoding.TextMarshaler.
func (a Action) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

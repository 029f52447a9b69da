package model

import (
	"fmt"
	"strconv"
	"strings"
)

// Protocol is an IP protocol number as IANA assigns them (0–255), or
// ProtocolAll (-1), which AWS uses for "all protocols".
//
// ProtocolInvalid is not a protocol: it marks a rule whose protocol could not
// be read, and such a rule matches nothing.
type Protocol int16

// Protocols with a name in AWS rules.
const (
	ProtocolInvalid Protocol = -2
	ProtocolAll     Protocol = -1
	ProtocolICMP    Protocol = 1
	ProtocolTCP     Protocol = 6
	ProtocolUDP     Protocol = 17
	ProtocolICMPv6  Protocol = 58
)

var protoNames = map[string]Protocol{
	"all": ProtocolAll, "-1": ProtocolAll,
	"icmp": ProtocolICMP, "tcp": ProtocolTCP, "udp": ProtocolUDP,
	"icmpv6": ProtocolICMPv6, "icmp6": ProtocolICMPv6, "ipv6-icmp": ProtocolICMPv6,
}

// ParseProtocol reads a protocol as AWS APIs and Terraform write it: a name
// ("tcp", "udp", "icmp", "icmpv6", "all"; any case), an IANA number ("6"), or
// "-1". It refuses anything else, including numbers above 255.
func ParseProtocol(s string) (Protocol, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if p, ok := protoNames[t]; ok {
		return p, nil
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 || n > 255 {
		return ProtocolInvalid, fmt.Errorf("invalid protocol %q: want tcp, udp, icmp, icmpv6, all, -1 or a number 0-255", s)
	}
	return Protocol(n), nil
}

// String returns the name vpcsim prints: tcp, udp, icmp, icmpv6, all, or the
// number.
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
	case ProtocolInvalid:
		return "invalid"
	}
	return strconv.Itoa(int(p))
}

// Valid reports whether p is ProtocolAll or an IANA number.
func (p Protocol) Valid() bool { return p >= -1 && p <= 255 }

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

// PortRange is an inclusive range of TCP or UDP ports.
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

// ICMPMatch selects ICMP messages by type and code; -1 in either field means
// any. AWS security group rules carry the type in from_port and the code in
// to_port; network ACL rules carry icmp_type and icmp_code.
type ICMPMatch struct {
	Type int16 `json:"type"`
	Code int16 `json:"code"`
}

// AnyICMP matches every ICMP message.
var AnyICMP = ICMPMatch{-1, -1}

// IsAny reports whether m matches every message.
func (m ICMPMatch) IsAny() bool { return m.Type < 0 }

// String prints "any", "type 8" or "type 3 code 4".
func (m ICMPMatch) String() string {
	switch {
	case m.Type < 0:
		return "any"
	case m.Code < 0:
		return fmt.Sprintf("type %d", m.Type)
	}
	return fmt.Sprintf("type %d code %d", m.Type, m.Code)
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

// The typed description of header sets in answers: Step, Hop, Headers and
// the value types they are made of.

package reach

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Step is one decision taken at a hop.
type Step struct {
	Kind StepKind `json:"kind"`
	// Direction is, for filters, whether the traffic enters (ingress) or
	// leaves (egress) the component; zero for routes and translations.
	Direction model.Direction `json:"direction,omitempty"`
	Decision  Decision        `json:"decision"`
	Component Ref             `json:"component"`
	Groups    []Ref           `json:"groups,omitempty"`
	Rules     []RuleRef       `json:"rules,omitempty"`
	Detail    string          `json:"detail,omitempty"`
	// sets are, rule by rule, the headers each rule decided, so that a
	// finding can name only the rules that matter to it.
	sets []hset.Set
}

// Hop is one component a flow crosses, the headers as they arrive there
// (translations change them) and the decisions taken.
type Hop struct {
	Component Ref      `json:"component"`
	Headers   *Headers `json:"headers"`
	Steps     []Step   `json:"steps,omitempty"`
	// Caveats say what the input does not tell of the components the hop
	// depends on (Ref.Caveat): elements outside the input, values unknown
	// until apply.
	Caveats []string `json:"caveats,omitempty"`
}

// Headers describes a set of packet headers. For ICMP the ports hold the
// ICMP type (DestinationPorts) and code (SourcePorts).
type Headers struct {
	// Protocols are the set's protocols as runs of IANA numbers, in order;
	// one run of every protocol when the set holds all.
	Protocols ProtocolList `json:"protocol"`
	// Sources and Destinations are the set's addresses, each a prefix when
	// a range is a few prefixes, else the range.
	Sources      []AddrRange `json:"sources"`
	Destinations []AddrRange `json:"destinations"`
	// SourcePorts and DestinationPorts are the port ranges (ICMP code and
	// type).
	SourcePorts      PortList `json:"source_ports,omitempty"`
	DestinationPorts PortList `json:"destination_ports,omitempty"`
	// Exact is false when the set is not one box (several protocols with
	// different ports, say); the fields then show each dimension's union.
	Exact bool `json:"exact"`
	// SourceLabel and DestinationLabel name the sources or destinations in
	// words when they are a whole world: "internet" when they are every
	// internet address.
	SourceLabel      string `json:"source_label,omitempty"`
	DestinationLabel string `json:"destination_label,omitempty"`
}

func headersOf(s hset.Set) *Headers {
	if s.IsEmpty() {
		return nil
	}
	h := &Headers{Exact: s.Len() == 1}
	for _, r := range s.Project(hset.DimProto) {
		h.Protocols = append(h.Protocols, ProtocolsFrom(uint8(r.Lo.Lo), uint8(r.Hi.Lo)))
	}
	for _, r := range s.Project(hset.DimSrc) {
		h.Sources = append(h.Sources, blocksOf(r)...)
	}
	for _, r := range s.Project(hset.DimDst) {
		h.Destinations = append(h.Destinations, blocksOf(r)...)
	}
	h.SourcePorts = portList(s.ProjectPorts(hset.DimSrcPort))
	h.DestinationPorts = portList(s.ProjectPorts(hset.DimDstPort))
	return h
}

// String prints the headers the way a traceroute user reads them:
// "tcp 10.0.1.5:1024-65535 -> 8.8.8.8:443".
func (h *Headers) String() string {
	if h == nil {
		return "(none)"
	}
	src, dst := joinBlocks(h.Sources), joinBlocks(h.Destinations)
	if h.SourceLabel != "" {
		src = h.SourceLabel
	}
	if h.DestinationLabel != "" {
		dst = h.DestinationLabel
	}
	p, single := h.Protocols.Single()
	switch {
	case single && p.IsICMP():
		return fmt.Sprintf("%s %s -> %s %s", h.Protocols, src, dst, icmpString(h))
	case single && p.HasPorts():
		return fmt.Sprintf("%s %s:%s -> %s:%s", h.Protocols, src, h.SourcePorts, dst, h.DestinationPorts)
	}
	return fmt.Sprintf("%s %s -> %s", h.Protocols, src, dst)
}

func icmpString(h *Headers) string {
	if h.DestinationPorts.IsAll() {
		return "any type"
	}
	s := "type " + h.DestinationPorts.String()
	if !h.SourcePorts.IsAll() {
		s += " code " + h.SourcePorts.String()
	}
	return s
}

// Protocols is a run of IP protocols by IANA number: one protocol, every
// protocol, or a run of numbers ("2-5"). The zero value is invalid.
type Protocols struct {
	// lo and hi hold the first and last number plus one.
	lo, hi uint16
}

// ProtocolsFrom returns the run of IANA numbers lo to hi.
func ProtocolsFrom(lo, hi uint8) Protocols { return Protocols{uint16(lo) + 1, uint16(hi) + 1} }

// ProtocolsOf returns the run holding p alone, or every protocol for
// model.ProtocolAll; the zero Protocols for an invalid protocol.
func ProtocolsOf(p model.Protocol) Protocols {
	if p == model.ProtocolAll {
		return ProtocolsFrom(0, 255)
	}
	if n, ok := p.Number(); ok {
		return ProtocolsFrom(n, n)
	}
	return Protocols{}
}

// Valid reports whether r is a run.
func (r Protocols) Valid() bool { return r.lo != 0 && r.lo <= r.hi }

// IsAll reports whether r is every protocol.
func (r Protocols) IsAll() bool { return r == ProtocolsFrom(0, 255) }

// Single returns the protocol when r holds one, or model.ProtocolAll when
// it holds every protocol; false for a run of several.
func (r Protocols) Single() (model.Protocol, bool) {
	switch {
	case r.IsAll():
		return model.ProtocolAll, true
	case r.Valid() && r.lo == r.hi:
		return model.ProtocolNumber(uint8(r.lo - 1)), true
	}
	return model.ProtocolInvalid, false
}

// Numbers returns the first and last IANA number of the run.
func (r Protocols) Numbers() (first, last uint8) { return uint8(r.lo - 1), uint8(r.hi - 1) }

// Contains reports whether the run holds protocol p (model.ProtocolAll: the
// run holds every protocol).
func (r Protocols) Contains(p model.Protocol) bool {
	if p == model.ProtocolAll {
		return r.IsAll()
	}
	n, ok := p.Number()
	return ok && r.Valid() && uint16(n)+1 >= r.lo && uint16(n)+1 <= r.hi
}

// String prints "tcp", "all", "47" or "2-5".
func (r Protocols) String() string {
	if p, ok := r.Single(); ok {
		return p.String()
	}
	if !r.Valid() {
		return "invalid"
	}
	lo, hi := r.Numbers()
	return strconv.Itoa(int(lo)) + "-" + strconv.Itoa(int(hi))
}

// MarshalText implements encoding.TextMarshaler with String.
func (r Protocols) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// ProtocolList is a list of protocol runs, printed comma-separated.
type ProtocolList []Protocols

// Single returns the protocol when the list is one run holding one protocol
// (or every protocol).
func (l ProtocolList) Single() (model.Protocol, bool) {
	if len(l) != 1 {
		return model.ProtocolInvalid, false
	}
	return l[0].Single()
}

func (l ProtocolList) String() string {
	ss := make([]string, len(l))
	for i, r := range l {
		ss[i] = r.String()
	}
	return strings.Join(ss, ",")
}

// MarshalText implements encoding.TextMarshaler with String.
func (l ProtocolList) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// PortList is a list of port ranges (ICMP types or codes for ICMP), printed
// comma-separated: "1024-65535", "22,443", "all".
type PortList []model.PortRange

func portList(rs []hset.Range16) PortList {
	out := make(PortList, len(rs))
	for i, r := range rs {
		out[i] = model.PortRange{First: r.Lo, Last: r.Hi}
	}
	return out
}

// IsAll reports whether the list is every port.
func (l PortList) IsAll() bool { return len(l) == 1 && l[0].IsAll() }

func (l PortList) String() string {
	ss := make([]string, len(l))
	for i, r := range l {
		ss[i] = r.String()
	}
	return strings.Join(ss, ",")
}

// MarshalText implements encoding.TextMarshaler with String.
func (l PortList) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// AddrRange is an inclusive range of addresses of one family. It prints as
// an address when it holds one, as a prefix when it is one, else as
// "first-last". The zero value is invalid.
type AddrRange struct {
	From, To netip.Addr
}

// Prefix returns the range as a prefix, when it is one.
func (r AddrRange) Prefix() (netip.Prefix, bool) {
	if !r.From.IsValid() || !r.To.IsValid() {
		return netip.Prefix{}, false
	}
	for bits := r.From.BitLen(); bits >= 0; bits-- {
		p, err := r.From.Prefix(bits)
		if err != nil || p.Addr() != r.From {
			break
		}
		if model.LastAddr(p) == r.To {
			return p, true
		}
	}
	return netip.Prefix{}, false
}

func (r AddrRange) String() string {
	switch {
	case !r.From.IsValid():
		return "invalid"
	case r.From == r.To:
		return r.From.String()
	}
	if p, ok := r.Prefix(); ok {
		return p.String()
	}
	return r.From.String() + "-" + r.To.String()
}

// MarshalText implements encoding.TextMarshaler with String.
func (r AddrRange) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// blocksOf describes r as its prefixes when they are a few, else as itself.
func blocksOf(r hset.AddrRange) []AddrRange {
	ps := r.Prefixes()
	if len(ps) <= 4 {
		out := make([]AddrRange, len(ps))
		for i, p := range ps {
			out[i] = AddrRange{From: p.Addr(), To: model.LastAddr(p)}
		}
		return out
	}
	return []AddrRange{{From: r.Lo.NetIP(), To: r.Hi.NetIP()}}
}

func joinBlocks(bs []AddrRange) string {
	ss := make([]string, len(bs))
	for i, b := range bs {
		ss[i] = b.String()
	}
	return strings.Join(ss, ",")
}

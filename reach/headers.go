package reach

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Step is one decision taken at a hop.
type Step struct {
	// Kind is security-group, network-acl, route or translate.
	Kind string `json:"kind"`
	// Direction is ingress or egress for filters.
	Direction string `json:"direction,omitempty"`
	// Decision is allow or deny (filters), forward, exit or drop (routes),
	// source-nat, destination-nat or reverse-nat (translations).
	Decision  string    `json:"decision"`
	Component Ref       `json:"component"`
	Groups    []Ref     `json:"groups,omitempty"`
	Rules     []RuleRef `json:"rules,omitempty"`
	Detail    string    `json:"detail,omitempty"`
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
}

// Headers describes a set of packet headers. For ICMP the ports hold the
// ICMP type (DestinationPorts) and code (SourcePorts).
type Headers struct {
	Protocol         string   `json:"protocol"`
	Sources          []string `json:"sources"`
	Destinations     []string `json:"destinations"`
	SourcePorts      string   `json:"source_ports,omitempty"`
	DestinationPorts string   `json:"destination_ports,omitempty"`
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
	var protos []string
	for _, r := range s.Project(hset.DimProto) {
		lo, hi := int(r.Lo.Lo), int(r.Hi.Lo)
		if lo == 0 && hi == 255 {
			protos = append(protos, "all")
			continue
		}
		for p := lo; p <= hi && len(protos) < 8; p++ {
			protos = append(protos, model.ProtocolNumber(uint8(p)).String())
		}
	}
	h.Protocol = strings.Join(protos, ",")
	for _, r := range s.Project(hset.DimSrc) {
		h.Sources = append(h.Sources, rangeStrings(r)...)
	}
	for _, r := range s.Project(hset.DimDst) {
		h.Destinations = append(h.Destinations, rangeStrings(r)...)
	}
	h.SourcePorts = portsString(s.ProjectPorts(hset.DimSrcPort))
	h.DestinationPorts = portsString(s.ProjectPorts(hset.DimDstPort))
	return h
}

// rangeStrings prints a range as CIDRs when it is a few, else as lo-hi.
func rangeStrings(r hset.AddrRange) []string {
	ps := r.Prefixes()
	if len(ps) <= 4 {
		out := make([]string, len(ps))
		for i, p := range ps {
			if p.IsSingleIP() {
				out[i] = p.Addr().String()
			} else {
				out[i] = p.String()
			}
		}
		return out
	}
	return []string{r.Lo.NetIP().String() + "-" + r.Hi.NetIP().String()}
}

func portsString(rs []hset.Range16) string {
	var ss []string
	for _, r := range rs {
		ss = append(ss, model.PortRange{First: r.Lo, Last: r.Hi}.String())
	}
	return strings.Join(ss, ",")
}

// String prints the headers the way a traceroute user reads them:
// "tcp 10.0.1.5:1024-65535 -> 8.8.8.8:443".
func (h *Headers) String() string {
	if h == nil {
		return "(none)"
	}
	src := strings.Join(h.Sources, ",")
	dst := strings.Join(h.Destinations, ",")
	if h.SourceLabel != "" {
		src = h.SourceLabel
	}
	if h.DestinationLabel != "" {
		dst = h.DestinationLabel
	}
	switch {
	case h.Protocol == "icmp" || h.Protocol == "icmpv6":
		return fmt.Sprintf("%s %s -> %s %s", h.Protocol, src, dst, icmpString(h))
	case h.Protocol == "tcp" || h.Protocol == "udp":
		return fmt.Sprintf("%s %s:%s -> %s:%s", h.Protocol, src, h.SourcePorts, dst, h.DestinationPorts)
	}
	return fmt.Sprintf("%s %s -> %s", h.Protocol, src, dst)
}

func icmpString(h *Headers) string {
	if h.DestinationPorts == "all" {
		return "any type"
	}
	s := "type " + h.DestinationPorts
	if h.SourcePorts != "all" {
		s += " code " + h.SourcePorts
	}
	return s
}

func itoa(n int) string { return strconv.Itoa(n) }

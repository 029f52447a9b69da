package report

import (
	"fmt"
	"math"
	"net/netip"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// Severity rates a finding. Higher is worse; the zero value is invalid, so a
// finding that was never rated cannot pass for harmless.
type Severity uint8

// Severities, from least to most serious.
const (
	SeverityInfo Severity = iota + 1
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
)

// Severities lists every severity, most serious first: the order reports
// use.
var Severities = []Severity{SeverityCritical, SeverityHigh, SeverityMedium, SeverityLow, SeverityInfo}

var severityNames = [...]string{"invalid", "info", "low", "medium", "high", "critical"}

func (s Severity) String() string {
	if int(s) < len(severityNames) {
		return severityNames[s]
	}
	return "invalid"
}

// ParseSeverity reads a severity name (any case).
func ParseSeverity(name string) (Severity, error) {
	for i, n := range severityNames[1:] {
		if strings.EqualFold(strings.TrimSpace(name), n) {
			return Severity(i + 1), nil
		}
	}
	return 0, fmt.Errorf("invalid severity %q: want critical, high, medium, low or info", name)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) {
	if s.String() == "invalid" {
		return nil, fmt.Errorf("invalid severity %d", s)
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler with ParseSeverity.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Kinds of exposure. SARIF uses them as rule IDs; docs/report.md describes
// each.
const (
	KindAllTraffic    = "exposure/all-traffic"
	KindHighRiskPort  = "exposure/high-risk-port"
	KindWidePortRange = "exposure/wide-port-range"
	KindOpenPort      = "exposure/open-port"
	KindWeb           = "exposure/web"
	KindOtherProtocol = "exposure/other-protocol"
	KindICMP          = "exposure/icmp"
	KindICMPEcho      = "exposure/icmp-echo"
)

// Rating is the verdict of the severity policy on one finding.
type Rating struct {
	Severity Severity
	// Kind is the kind of exposure (KindHighRiskPort, …).
	Kind string
	// Service names what listens there when the port says it ("SSH"), else
	// is empty.
	Service string
	// Reason is one line saying why, for people.
	Reason string
}

// Breadth says how wide a finding's sources are.
type Breadth uint8

// Breadths, from narrowest.
const (
	// BreadthNarrow is at most four blocks, none wider than a /24 (IPv4) or
	// a /56 (IPv6): an office, a few named hosts.
	BreadthNarrow Breadth = iota + 1
	// BreadthBroad is anything between narrow and wide.
	BreadthBroad
	// BreadthWide is at least as many addresses as a /8 (IPv4) or a /32
	// (IPv6): the internet, or a large part of it.
	BreadthWide
)

func (b Breadth) String() string {
	return [...]string{"invalid", "narrow", "broad", "wide"}[b]
}

// SourceBreadth classifies a list of source blocks.
func SourceBreadth(sources []netip.Prefix) Breadth {
	var v4, v6 float64
	narrow := len(sources) <= 4
	for _, p := range sources {
		size := math.Ldexp(1, p.Addr().BitLen()-p.Bits())
		if p.Addr().Is4() {
			v4 += size
			narrow = narrow && p.Bits() >= 24
		} else {
			v6 += size
			narrow = narrow && p.Bits() >= 56
		}
	}
	switch {
	case v4 >= 1<<24 || v6 >= math.Ldexp(1, 96):
		return BreadthWide
	case narrow:
		return BreadthNarrow
	}
	return BreadthBroad
}

// service is a well-known port whose exposure is a risk in itself: remote
// administration, file sharing, databases, caches, cluster control planes.
type service struct {
	name  string
	port  int
	proto string // tcp, udp or "" for both
}

// sensitivePorts is the high-risk port table (docs/report.md repeats it).
// The list favours services that are routinely attacked or that have no
// authentication in their default configuration; it is not every port a
// service might use.
var sensitivePorts = []service{
	{"FTP data", 20, "tcp"},
	{"FTP", 21, "tcp"},
	{"SSH", 22, "tcp"},
	{"Telnet", 23, "tcp"},
	{"TFTP", 69, "udp"},
	{"RPC portmapper", 111, ""},
	{"MS RPC", 135, "tcp"},
	{"NetBIOS", 137, "udp"},
	{"NetBIOS", 138, "udp"},
	{"NetBIOS", 139, "tcp"},
	{"SNMP", 161, "udp"},
	{"LDAP", 389, ""},
	{"SMB", 445, "tcp"},
	{"LDAPS", 636, "tcp"},
	{"rsync", 873, "tcp"},
	{"MS SQL Server", 1433, "tcp"},
	{"MS SQL Browser", 1434, "udp"},
	{"Oracle", 1521, "tcp"},
	{"NFS", 2049, ""},
	{"Docker API", 2375, "tcp"},
	{"Docker API (TLS)", 2376, "tcp"},
	{"etcd", 2379, "tcp"},
	{"etcd peer", 2380, "tcp"},
	{"MySQL", 3306, "tcp"},
	{"RDP", 3389, ""},
	{"PostgreSQL", 5432, "tcp"},
	{"VNC", 5900, "tcp"},
	{"CouchDB", 5984, "tcp"},
	{"WinRM", 5985, "tcp"},
	{"WinRM (TLS)", 5986, "tcp"},
	{"Redis", 6379, "tcp"},
	{"Kubernetes API", 6443, "tcp"},
	{"Kafka", 9092, "tcp"},
	{"Elasticsearch", 9200, "tcp"},
	{"Elasticsearch transport", 9300, "tcp"},
	{"kubelet", 10250, "tcp"},
	{"Memcached", 11211, ""},
	{"MongoDB", 27017, "tcp"},
}

// webPorts are the ports a public web service is meant to expose.
var webPorts = []service{
	{"HTTP", 80, "tcp"},
	{"HTTPS", 443, "tcp"},
	{"HTTPS (QUIC)", 443, "udp"},
}

// widePortRange is the number of ports from which a range is rated as a
// range rather than as the services in it: opening 1024 ports at once is
// rarely what anyone meant.
const widePortRange = 1024

// Rate applies the severity policy to a finding's protocols, inclusive
// destination port range (ICMP types for ICMP) and source blocks; from is
// the analysis source ("internet", a subnet…), used only in the reason. The
// rules, first match wins:
//
//   - all protocols, or every port of TCP or UDP: critical from wide sources,
//     high from broad ones, medium from narrow ones;
//   - a range holding a high-risk port (sensitivePorts): high, medium when
//     the sources are narrow;
//   - a range of 1024 TCP or UDP ports or more: high from wide sources,
//     medium from broad, low from narrow;
//   - HTTP or HTTPS (80, 443): low;
//   - ICMP echo request only: info; other ICMP: low;
//   - any other port, or another protocol: medium from wide sources, low
//     otherwise.
func Rate(protos reach.Protocols, ports model.PortRange, sources []netip.Prefix, from string) Rating {
	b := SourceBreadth(sources)
	whence := sourcesPhrase(sources, b, from)
	pick := func(wide, broad, narrow Severity) Severity {
		switch b {
		case BreadthWide:
			return wide
		case BreadthBroad:
			return broad
		}
		return narrow
	}
	fromPort, toPort := int(ports.First), int(ports.Last)
	p, single := protos.Single()
	name := p.String()
	switch {
	case single && p == model.ProtocolAll:
		return Rating{Severity: pick(SeverityCritical, SeverityHigh, SeverityMedium), Kind: KindAllTraffic,
			Reason: "all protocols and ports open " + whence}
	case single && p.HasPorts() && ports.IsAll():
		return Rating{Severity: pick(SeverityCritical, SeverityHigh, SeverityMedium), Kind: KindAllTraffic,
			Reason: "every " + name + " port open " + whence}
	case single && p.HasPorts():
		if hits := servicesIn(sensitivePorts, name, fromPort, toPort); len(hits) > 0 {
			r := Rating{Severity: pick(SeverityHigh, SeverityHigh, SeverityMedium), Kind: KindHighRiskPort}
			if len(hits) == 1 && fromPort == toPort {
				r.Service = hits[0].name
				r.Reason = fmt.Sprintf("%s (%s %d) reachable %s", hits[0].name, name, fromPort, whence)
			} else {
				r.Reason = fmt.Sprintf("%s %s includes %s, reachable %s", name, ports, listServices(hits), whence)
			}
			return r
		}
		if ports.Size() >= widePortRange {
			return Rating{Severity: pick(SeverityHigh, SeverityMedium, SeverityLow), Kind: KindWidePortRange,
				Reason: fmt.Sprintf("%d %s ports (%s) open %s", ports.Size(), name, ports, whence)}
		}
		if hits := servicesIn(webPorts, name, fromPort, toPort); len(hits) == 1 && fromPort == toPort {
			return Rating{Severity: SeverityLow, Kind: KindWeb, Service: hits[0].name,
				Reason: fmt.Sprintf("%s (%s %d) reachable %s, as a web service is meant to be", hits[0].name, name, fromPort, whence)}
		}
		return Rating{Severity: pick(SeverityMedium, SeverityLow, SeverityLow), Kind: KindOpenPort,
			Reason: fmt.Sprintf("%s %s reachable %s", name, ports, whence)}
	case single && p.IsICMP():
		echo := uint16(8)
		if p == model.ProtocolICMPv6 {
			echo = 128
		}
		if ports == model.Port(echo) {
			return Rating{Severity: SeverityInfo, Kind: KindICMPEcho, Service: "ping",
				Reason: fmt.Sprintf("%s echo request (ping) answered %s", name, whence)}
		}
		what := "every " + name + " message"
		if !ports.IsAll() {
			what = name + " type " + ports.String()
		}
		return Rating{Severity: SeverityLow, Kind: KindICMP, Reason: what + " accepted " + whence}
	}
	what := "protocol " + protos.String()
	if !single {
		what = "protocols " + protos.String()
	}
	return Rating{Severity: pick(SeverityMedium, SeverityLow, SeverityLow), Kind: KindOtherProtocol,
		Reason: what + " reachable " + whence}
}

// servicesIn returns the services of table in [lo, hi] for protocol.
func servicesIn(table []service, protocol string, lo, hi int) []service {
	var out []service
	for _, s := range table {
		if (s.proto == "" || s.proto == protocol) && lo <= s.port && s.port <= hi {
			out = append(out, s)
		}
	}
	return out
}

func listServices(ss []service) string {
	const most = 3
	var names []string
	for i, s := range ss {
		if i == most {
			break
		}
		names = append(names, fmt.Sprintf("%s %d", s.name, s.port))
	}
	if len(ss) > most {
		return strings.Join(names, ", ") + " and " + plural(len(ss)-most, "more high-risk port")
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// sourcesPhrase says where the traffic comes from in a reason.
func sourcesPhrase(sources []netip.Prefix, b Breadth, from string) string {
	switch {
	case b == BreadthWide && (from == "" || from == "internet"):
		return "from the internet"
	case len(sources) == 1:
		return "from " + sources[0].String()
	case len(sources) <= 3:
		return "from " + strings.Join(prefixStrings(sources), ", ")
	}
	return fmt.Sprintf("from %d source blocks (%s)", len(sources), b)
}

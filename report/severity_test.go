package report

import (
	"net/netip"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

var internet = []string{"0.0.0.0/0"}

func TestRate(t *testing.T) {
	for _, tc := range []struct {
		proto    string
		lo, hi   int
		sources  []string
		from     string
		sev      Severity
		kind     string
		inReason string
	}{
		// All traffic, or every port: critical from the internet, less from
		// fewer sources.
		{"all", 0, 65535, internet, "internet", SeverityCritical, KindAllTraffic, "all protocols and ports open from the internet"},
		{"tcp", 0, 65535, internet, "internet", SeverityCritical, KindAllTraffic, "every tcp port"},
		{"udp", 0, 65535, []string{"10.0.0.0/16"}, "VPC x", SeverityHigh, KindAllTraffic, "from 10.0.0.0/16"},
		{"all", 0, 65535, []string{"203.0.113.0/24"}, "internet", SeverityMedium, KindAllTraffic, "from 203.0.113.0/24"},
		// High-risk ports: high, medium from a few narrow blocks.
		{"tcp", 22, 22, internet, "internet", SeverityHigh, KindHighRiskPort, "SSH (tcp 22) reachable from the internet"},
		{"tcp", 3389, 3389, internet, "internet", SeverityHigh, KindHighRiskPort, "RDP"},
		{"udp", 3389, 3389, internet, "internet", SeverityHigh, KindHighRiskPort, "RDP"},
		{"tcp", 5432, 5432, []string{"10.0.0.0/16"}, "VPC x", SeverityHigh, KindHighRiskPort, "PostgreSQL"},
		{"tcp", 22, 22, []string{"203.0.113.0/24", "198.51.100.7/32"}, "internet", SeverityMedium, KindHighRiskPort, "from 203.0.113.0/24, 198.51.100.7/32"},
		{"udp", 161, 161, []string{"198.51.100.0/24"}, "internet", SeverityMedium, KindHighRiskPort, "SNMP"},
		// SNMP is UDP, SMB TCP: the other protocol on that port is no risk.
		{"tcp", 161, 161, internet, "internet", SeverityMedium, KindOpenPort, "tcp 161 reachable"},
		{"udp", 445, 445, internet, "internet", SeverityMedium, KindOpenPort, "udp 445"},
		// A range holding high-risk ports names them.
		{"tcp", 20, 25, internet, "internet", SeverityHigh, KindHighRiskPort, "tcp 20-25 includes FTP data 20, FTP 21, SSH 22 and 1 more high-risk port"},
		{"tcp", 1024, 65535, internet, "internet", SeverityHigh, KindHighRiskPort, "more high-risk ports"},
		{"tcp", 6379, 6380, internet, "internet", SeverityHigh, KindHighRiskPort, "includes Redis 6379,"},
		// Wide ranges without a listed service.
		{"tcp", 30000, 32767, internet, "internet", SeverityHigh, KindWidePortRange, "2768 tcp ports (30000-32767)"},
		{"udp", 40000, 41023, []string{"10.0.0.0/8"}, "x", SeverityHigh, KindWidePortRange, "1024 udp ports"},
		{"udp", 40000, 41023, []string{"10.1.0.0/16"}, "x", SeverityMedium, KindWidePortRange, ""},
		{"udp", 40000, 41022, []string{"10.1.0.0/16"}, "x", SeverityLow, KindOpenPort, ""},
		{"tcp", 30000, 32767, []string{"203.0.113.0/24"}, "internet", SeverityLow, KindWidePortRange, ""},
		// The web is meant to be reachable.
		{"tcp", 443, 443, internet, "internet", SeverityLow, KindWeb, "HTTPS (tcp 443)"},
		{"tcp", 80, 80, internet, "internet", SeverityLow, KindWeb, "HTTP"},
		{"udp", 443, 443, internet, "internet", SeverityLow, KindWeb, "QUIC"},
		{"tcp", 80, 443, internet, "internet", SeverityHigh, KindHighRiskPort, "RPC portmapper 111"},
		// Other ports: medium from the internet, low otherwise.
		{"tcp", 8080, 8080, internet, "internet", SeverityMedium, KindOpenPort, "tcp 8080 reachable from the internet"},
		{"tcp", 8080, 8080, []string{"10.0.1.0/24"}, "subnet a", SeverityLow, KindOpenPort, "from 10.0.1.0/24"},
		// ICMP: a ping is information; other messages low.
		{"icmp", 8, 8, internet, "internet", SeverityInfo, KindICMPEcho, "echo request"},
		{"icmpv6", 128, 128, []string{"::/0"}, "internet", SeverityInfo, KindICMPEcho, "icmpv6 echo"},
		{"icmp", 0, 65535, internet, "internet", SeverityLow, KindICMP, "every icmp message"},
		{"icmp", 13, 13, internet, "internet", SeverityLow, KindICMP, "icmp type 13"},
		// Other protocols.
		{"47", 0, 65535, internet, "internet", SeverityMedium, KindOtherProtocol, "protocol 47 reachable"},
		{"2-5", 0, 65535, []string{"10.0.1.0/24"}, "s", SeverityLow, KindOtherProtocol, "protocols 2-5"},
		// IPv6 breadth.
		{"tcp", 22, 22, []string{"::/0"}, "internet", SeverityHigh, KindHighRiskPort, "from the internet"},
		{"tcp", 22, 22, []string{"2001:db8::/56"}, "internet", SeverityMedium, KindHighRiskPort, ""},
		{"tcp", 22, 22, []string{"2001:db8::/48"}, "internet", SeverityHigh, KindHighRiskPort, ""},
	} {
		r := Rate(protocols(t, tc.proto), model.PortRange{First: uint16(tc.lo), Last: uint16(tc.hi)}, prefixes(t, tc.sources), tc.from)
		if r.Severity != tc.sev || r.Kind != tc.kind || !strings.Contains(r.Reason, tc.inReason) {
			t.Errorf("Rate(%s %d-%d from %v) = %s %s %q; want %s %s containing %q",
				tc.proto, tc.lo, tc.hi, tc.sources, r.Severity, r.Kind, r.Reason, tc.sev, tc.kind, tc.inReason)
		}
		if strings.Contains(r.Reason, "\n") || r.Reason == "" {
			t.Errorf("Rate(%s %d-%d): the reason must be one line: %q", tc.proto, tc.lo, tc.hi, r.Reason)
		}
	}
}

// protocols reads a protocol as the table writes it: a name, a number or a
// run of numbers ("2-5").
func protocols(t *testing.T, s string) reach.Protocols {
	t.Helper()
	if lo, hi, ok := strings.Cut(s, "-"); ok {
		a, err1 := strconv.Atoi(lo)
		b, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil {
			t.Fatalf("bad protocol run %q", s)
		}
		return reach.ProtocolsFrom(uint8(a), uint8(b))
	}
	p, err := model.ParseProtocol(s)
	if err != nil {
		t.Fatal(err)
	}
	return reach.ProtocolsOf(p)
}

// prefixes reads CIDRs and addresses.
func prefixes(t *testing.T, ss []string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, s := range ss {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				t.Fatalf("bad source %q", s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p)
	}
	return out
}

func TestSourceBreadth(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want Breadth
	}{
		{[]string{"0.0.0.0/0"}, BreadthWide},
		{[]string{"0.0.0.0/5", "8.0.0.0/7"}, BreadthWide},
		{[]string{"10.0.0.0/8"}, BreadthWide},
		{[]string{"10.0.0.0/9"}, BreadthBroad},
		{[]string{"::/0"}, BreadthWide},
		{[]string{"2001:db8::/32"}, BreadthWide},
		{[]string{"2001:db8::/33"}, BreadthBroad},
		{[]string{"203.0.113.0/24"}, BreadthNarrow},
		{[]string{"203.0.113.7"}, BreadthNarrow},
		{[]string{"1.1.1.1/32", "2.2.2.2/32", "3.3.3.3/32", "4.4.4.4/32"}, BreadthNarrow},
		{[]string{"1.1.1.1/32", "2.2.2.2/32", "3.3.3.3/32", "4.4.4.4/32", "5.5.5.5/32"}, BreadthBroad},
		{[]string{"203.0.112.0/23"}, BreadthBroad},
		{[]string{"2001:db8::/56"}, BreadthNarrow},
		{nil, BreadthNarrow},
	} {
		if got := SourceBreadth(prefixes(t, tc.in)); got != tc.want {
			t.Errorf("SourceBreadth(%v) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestSeverityText(t *testing.T) {
	for _, s := range Severities {
		b, err := s.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := back.UnmarshalText(b); err != nil || back != s {
			t.Errorf("%s does not round-trip: %v %v", s, back, err)
		}
	}
	if _, err := ParseSeverity("severe"); err == nil || !strings.Contains(err.Error(), "critical, high, medium, low or info") {
		t.Errorf("ParseSeverity(severe): %v", err)
	}
	if s, err := ParseSeverity(" HIGH "); err != nil || s != SeverityHigh {
		t.Errorf("ParseSeverity(HIGH) = %v, %v", s, err)
	}
	if _, err := Severity(0).MarshalText(); err == nil {
		t.Error("the zero severity marshals")
	}
	if !(SeverityCritical > SeverityHigh && SeverityHigh > SeverityMedium && SeverityMedium > SeverityLow && SeverityLow > SeverityInfo) {
		t.Error("severities are not ordered")
	}
}

// TestSensitivePortTable guards the table docs/report.md repeats: no port
// listed twice for one protocol, every protocol tcp, udp or both.
func TestSensitivePortTable(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range sensitivePorts {
		if s.proto != "" && s.proto != "tcp" && s.proto != "udp" {
			t.Errorf("%s: protocol %q", s.name, s.proto)
		}
		for _, p := range []string{"tcp", "udp"} {
			if s.proto != "" && s.proto != p {
				continue
			}
			k := p + itoa(s.port)
			if seen[k] {
				t.Errorf("%s %d listed twice", p, s.port)
			}
			seen[k] = true
		}
	}
}

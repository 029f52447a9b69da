package model

import (
	"encoding/json"
	"testing"
)

func TestParseProtocol(t *testing.T) {
	tests := []struct {
		in   string
		want Protocol
		str  string // what String prints back
	}{
		// Terraform and the AWS API write protocols as names, in any case.
		{"tcp", ProtocolTCP, "tcp"},
		{"TCP", ProtocolTCP, "tcp"},
		{" udp ", ProtocolUDP, "udp"},
		{"icmp", ProtocolICMP, "icmp"},
		{"icmpv6", ProtocolICMPv6, "icmpv6"},
		{"ICMPv6", ProtocolICMPv6, "icmpv6"},
		{"ipv6-icmp", ProtocolICMPv6, "icmpv6"},
		// ... or as IANA numbers, which print as the name when there is one.
		{"6", ProtocolTCP, "tcp"},
		{"17", ProtocolUDP, "udp"},
		{"1", ProtocolICMP, "icmp"},
		{"58", ProtocolICMPv6, "icmpv6"},
		{"50", Protocol(50), "50"}, // ESP has no name in AWS rules
		{"0", ProtocolHOPOPT, "0"}, // HOPOPT is a protocol like any other, but not the zero value
		{"255", Protocol(255), "255"},
		// -1 (and the console's "All") means every protocol.
		{"-1", ProtocolAll, "all"},
		{"all", ProtocolAll, "all"},
		{"All", ProtocolAll, "all"},
	}
	for _, tt := range tests {
		got, err := ParseProtocol(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseProtocol(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			continue
		}
		if s := got.String(); s != tt.str {
			t.Errorf("ParseProtocol(%q).String() = %q; want %q", tt.in, s, tt.str)
		}
		if !got.Valid() {
			t.Errorf("ParseProtocol(%q) = %v is not Valid", tt.in, got)
		}
		// What String prints must read back as the same protocol.
		if back, err := ParseProtocol(got.String()); err != nil || back != got {
			t.Errorf("ParseProtocol(%q) = %v, %v after printing %v", got.String(), back, err, got)
		}
	}
}

func TestParseProtocolRefuses(t *testing.T) {
	for _, in := range []string{
		"256",   // IANA numbers stop at 255
		"65542", // 6 modulo 256 must not sneak through as tcp
		"-2",    // only -1 is special
		"",      // nothing is not "all"
		"foo",   // not a name AWS knows
		"tcp,udp",
		"6.0",
		"0x06",
	} {
		got, err := ParseProtocol(in)
		if err == nil {
			t.Errorf("ParseProtocol(%q) = %v; want an error", in, got)
			continue
		}
		if got != ProtocolInvalid || got.Valid() {
			t.Errorf("ParseProtocol(%q) = %v with its error; want ProtocolInvalid", in, got)
		}
	}
}

func TestProtocolPredicates(t *testing.T) {
	tests := []struct {
		p                    Protocol
		valid, ports, isICMP bool
	}{
		// AWS reads ports for TCP and UDP only.
		{ProtocolTCP, true, true, false},
		{ProtocolUDP, true, true, false},
		// ICMP rules carry a type and a code instead of ports.
		{ProtocolICMP, true, false, true},
		{ProtocolICMPv6, true, false, true},
		// "All protocols" covers every port, but a rule on it names none.
		{ProtocolAll, true, false, false},
		{Protocol(50), true, false, false},
		// A protocol that could not be read is not a protocol.
		{ProtocolInvalid, false, false, false},
		{Protocol(0), false, false, false},
		{ProtocolHOPOPT, true, false, false},
		{Protocol(257), false, false, false},
		{Protocol(-3), false, false, false},
	}
	for _, tt := range tests {
		if got := tt.p.Valid(); got != tt.valid {
			t.Errorf("%v.Valid() = %v; want %v", tt.p, got, tt.valid)
		}
		if got := tt.p.HasPorts(); got != tt.ports {
			t.Errorf("%v.HasPorts() = %v; want %v", tt.p, got, tt.ports)
		}
		if got := tt.p.IsICMP(); got != tt.isICMP {
			t.Errorf("%v.IsICMP() = %v; want %v", tt.p, got, tt.isICMP)
		}
	}
	if s := ProtocolInvalid.String(); s != "invalid" {
		t.Errorf("ProtocolInvalid.String() = %q; want invalid", s)
	}
	// The zero value is invalid, as net/netip's are: a forgotten field is
	// not a protocol.
	var zero Protocol
	if zero.Valid() || zero != ProtocolInvalid {
		t.Errorf("the zero Protocol is %v, valid %v; want ProtocolInvalid", zero, zero.Valid())
	}
}

func TestProtocolNumber(t *testing.T) {
	for n := 0; n <= 255; n++ {
		p := ProtocolNumber(uint8(n))
		got, ok := p.Number()
		if !p.Valid() || !ok || int(got) != n {
			t.Errorf("ProtocolNumber(%d) = %v: Number() = %d, %v", n, p, got, ok)
		}
	}
	for _, p := range []Protocol{ProtocolAll, ProtocolInvalid, Protocol(257), Protocol(-2)} {
		if n, ok := p.Number(); ok {
			t.Errorf("%v.Number() = %d, true; want false", p, n)
		}
	}
}

func TestProtocolText(t *testing.T) {
	// Protocols travel through JSON as their printed names, and read back.
	type rule struct {
		P Protocol `json:"p"`
	}
	for _, p := range []Protocol{ProtocolTCP, ProtocolUDP, ProtocolICMP, ProtocolICMPv6, ProtocolAll, ProtocolHOPOPT, 47, 255} {
		b, err := json.Marshal(rule{p})
		if err != nil {
			t.Fatalf("marshal %v: %v", p, err)
		}
		if want := `{"p":"` + p.String() + `"}`; string(b) != want {
			t.Errorf("marshal %v = %s; want %s", p, b, want)
		}
		var back rule
		if err := json.Unmarshal(b, &back); err != nil || back.P != p {
			t.Errorf("unmarshal %s = %v, %v; want %v", b, back.P, err, p)
		}
	}
	// UnmarshalText refuses what ParseProtocol refuses and leaves the value alone.
	p := ProtocolUDP
	if err := p.UnmarshalText([]byte("256")); err == nil || p != ProtocolUDP {
		t.Errorf("UnmarshalText(256) = %v, left %v; want an error and udp unchanged", err, p)
	}
	var r rule
	if err := json.Unmarshal([]byte(`{"p":"bogus"}`), &r); err == nil {
		t.Errorf("unmarshal bogus protocol: no error")
	}
}

func TestPortRange(t *testing.T) {
	tests := []struct {
		in   string
		want PortRange
		str  string
	}{
		// A single port prints as itself.
		{"22", Port(22), "22"},
		{" 443 ", Port(443), "443"},
		{"0", Port(0), "0"},
		{"65535", Port(65535), "65535"},
		// A range is inclusive at both ends.
		{"80-443", PortRange{80, 443}, "80-443"},
		{"1024 - 65535", DefaultEphemeral, "1024-65535"},
		{"53-53", Port(53), "53"},
		// Every port is "all", however it was written.
		{"all", AllPorts, "all"},
		{"ALL", AllPorts, "all"},
		{"0-65535", AllPorts, "all"},
	}
	for _, tt := range tests {
		got, err := ParsePortRange(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParsePortRange(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			continue
		}
		if s := got.String(); s != tt.str {
			t.Errorf("ParsePortRange(%q).String() = %q; want %q", tt.in, s, tt.str)
		}
		if back, err := ParsePortRange(got.String()); err != nil || back != got {
			t.Errorf("ParsePortRange(%q) = %v, %v after printing %v", got.String(), back, err, got)
		}
	}
	for _, in := range []string{
		"",          // no port is not every port
		"443-80",    // AWS refuses a range that runs backwards
		"65536",     // ports are 16 bits
		"-1",        // -1 means "all" only for protocols
		"80-",       // half a range
		"-80",       // half a range
		"1-2-3",     // too many ends
		"http",      // service names are not ports
		"+80",       // not a plain number
		"0x50",      // not decimal
		"80 443",    // two ports are not a range
		"all-65535", // "all" is the whole word or nothing
	} {
		if got, err := ParsePortRange(in); err == nil {
			t.Errorf("ParsePortRange(%q) = %v; want an error", in, got)
		}
	}
}

func TestPortRangeContains(t *testing.T) {
	tests := []struct {
		r    PortRange
		port uint16
		want bool
	}{
		// Both ends are inside the range.
		{PortRange{80, 443}, 80, true},
		{PortRange{80, 443}, 443, true},
		{PortRange{80, 443}, 100, true},
		{PortRange{80, 443}, 79, false},
		{PortRange{80, 443}, 444, false},
		// A single-port range holds that port only.
		{Port(22), 22, true},
		{Port(22), 23, false},
		// AllPorts holds 0 and 65535.
		{AllPorts, 0, true},
		{AllPorts, 65535, true},
		// A backwards range is invalid and holds nothing.
		{PortRange{443, 80}, 100, false},
	}
	for _, tt := range tests {
		if got := tt.r.Contains(tt.port); got != tt.want {
			t.Errorf("%v.Contains(%d) = %v; want %v", tt.r, tt.port, got, tt.want)
		}
	}
	sizes := []struct {
		r     PortRange
		size  int
		valid bool
		all   bool
	}{
		{AllPorts, 65536, true, true},
		{DefaultEphemeral, 64512, true, false},
		{Port(22), 1, true, false},
		{PortRange{80, 443}, 364, true, false},
		{PortRange{443, 80}, -362, false, false},
	}
	for _, tt := range sizes {
		if got := tt.r.Size(); got != tt.size {
			t.Errorf("%v.Size() = %d; want %d", tt.r, got, tt.size)
		}
		if got := tt.r.Valid(); got != tt.valid {
			t.Errorf("%v.Valid() = %v; want %v", tt.r, got, tt.valid)
		}
		if got := tt.r.IsAll(); got != tt.all {
			t.Errorf("%v.IsAll() = %v; want %v", tt.r, got, tt.all)
		}
	}
}

func TestICMPMatch(t *testing.T) {
	tests := []struct {
		m   ICMPMatch
		any bool
		str string
	}{
		// The zero value matches every message, as does -1 for the type
		// (AWS's from_port = -1), whatever the code says.
		{ICMPMatch{}, true, "any"},
		{AnyICMP, true, "any"},
		{ICMPTypeCode(-1, 0), true, "any"},
		// A type with code -1 matches every code of that type; type 0 (echo
		// reply) is a type like any other.
		{ICMPTypeCode(8, -1), false, "type 8"},
		{ICMPTypeCode(0, -1), false, "type 0"},
		// A type and a code match one message (3/4: fragmentation needed).
		{ICMPTypeCode(3, 4), false, "type 3 code 4"},
		{ICMPTypeCode(128, 0), false, "type 128 code 0"},
		{ICMPTypeCode(0, 0), false, "type 0 code 0"},
	}
	for _, tt := range tests {
		if got := tt.m.IsAny(); got != tt.any {
			t.Errorf("%v.IsAny() = %v; want %v", tt.m, got, tt.any)
		}
		if got := tt.m.String(); got != tt.str {
			t.Errorf("%v.String() = %q; want %q", tt.m, got, tt.str)
		}
	}
	if typ, ok := ICMPTypeCode(0, 3).Type(); !ok || typ != 0 {
		t.Errorf("ICMPTypeCode(0, 3).Type() = %d, %v; want 0, true", typ, ok)
	}
	if code, ok := ICMPTypeCode(0, 3).Code(); !ok || code != 3 {
		t.Errorf("ICMPTypeCode(0, 3).Code() = %d, %v; want 3, true", code, ok)
	}
}

func TestICMPMatchJSON(t *testing.T) {
	// The model's JSON writes ICMP matches as AWS does, -1 for any.
	for _, m := range []ICMPMatch{AnyICMP, ICMPTypeCode(8, -1), ICMPTypeCode(0, 0), ICMPTypeCode(3, 4)} {
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back ICMPMatch
		if err := json.Unmarshal(b, &back); err != nil || back != m {
			t.Errorf("%v marshals as %s, which reads back as %v, %v", m, b, back, err)
		}
	}
	if b, _ := json.Marshal(AnyICMP); string(b) != `{"type":-1,"code":-1}` {
		t.Errorf("AnyICMP marshals as %s", b)
	}
}

package model

import "testing"

// FuzzParseProtocol checks the round trip: whatever ParseProtocol accepts
// is a valid protocol that prints as a string reading back as itself, through
// String and through MarshalText/UnmarshalText; whatever it refuses yields
// ProtocolInvalid. It must never panic.
func FuzzParseProtocol(f *testing.F) {
	for _, s := range []string{"tcp", "TCP", "udp", "icmp", "icmpv6", "ipv6-icmp", "icmp6", "all", "ALL", "-1",
		"0", "6", "17", "58", "255", "256", "-2", "", " ", "foo", "+6", "06", "6 ", "-0", "9999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParseProtocol(s)
		if err != nil {
			if p != ProtocolInvalid {
				t.Fatalf("ParseProtocol(%q) = %v with error %v; want ProtocolInvalid", s, p, err)
			}
			return
		}
		if !p.Valid() || p == ProtocolInvalid {
			t.Fatalf("ParseProtocol(%q) = %d, not a valid protocol", s, p)
		}
		back, err := ParseProtocol(p.String())
		if err != nil || back != p {
			t.Fatalf("ParseProtocol(%q) = %v; printing and reading back gives %v, %v", s, p, back, err)
		}
		text, err := p.MarshalText()
		if err != nil {
			t.Fatalf("MarshalText(%v): %v", p, err)
		}
		var q Protocol
		if err := q.UnmarshalText(text); err != nil || q != p {
			t.Fatalf("UnmarshalText(%q) = %v, %v; want %v", text, q, err, p)
		}
	})
}

// FuzzParsePortRange checks the round trip both ways: whatever
// ParsePortRange accepts is a valid range whose printed form reads back as
// itself, and every valid range prints as something ParsePortRange reads
// back as that range.
func FuzzParsePortRange(f *testing.F) {
	for _, s := range []string{"22", "80-443", "0-65535", "all", "ALL", "1024 - 65535", "443-80", "65536", "-1", "",
		"1-2-3", "80-", "-80", "+1", "0x10"} {
		f.Add(s, uint16(0), uint16(65535))
	}
	f.Add("", uint16(22), uint16(22))
	f.Add("", uint16(443), uint16(80))
	f.Fuzz(func(t *testing.T, s string, lo, hi uint16) {
		r, err := ParsePortRange(s)
		if err == nil {
			if !r.Valid() {
				t.Fatalf("ParsePortRange(%q) = %v, which is not valid", s, r)
			}
			back, err := ParsePortRange(r.String())
			if err != nil || back != r {
				t.Fatalf("ParsePortRange(%q) = %v; printing and reading back gives %v, %v", s, r, back, err)
			}
		}
		g := PortRange{lo, hi}
		back, err := ParsePortRange(g.String())
		switch {
		case !g.Valid() && err == nil:
			t.Fatalf("backwards range %d-%d printed as %q and read back as %v", lo, hi, g.String(), back)
		case g.Valid() && (err != nil || back != g):
			t.Fatalf("range %d-%d printed as %q reads back as %v, %v", lo, hi, g.String(), back, err)
		case g.Valid() && g.Size() != int(hi)-int(lo)+1:
			t.Fatalf("%v.Size() = %d", g, g.Size())
		}
	})
}

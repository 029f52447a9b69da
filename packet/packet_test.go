package packet

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/netip"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func TestSerializeFixtures(t *testing.T) {
	s := NewSerializer()
	for _, tc := range []struct {
		name    string
		h       Header
		payload string
		want    []byte
	}{
		{"tcp syn ipv4", Header{Src: addr("10.0.1.5"), Dst: addr("10.0.2.7"), Protocol: model.ProtocolTCP, SrcPort: 49152, DstPort: 443, Flags: SYN, Seq: 1000, Window: 65535}, "", tcpSYN4},
		{"udp ipv6", Header{Src: addr("2001:db8::1"), Dst: addr("2001:db8::53"), Protocol: model.ProtocolUDP, SrcPort: 40000, DstPort: 53}, "abcd", udpDNS6},
		{"icmp echo", Header{Src: addr("203.0.113.12"), Dst: addr("172.31.16.139"), Protocol: model.ProtocolICMP, ICMPType: 8, ICMPID: 7, ICMPSeq: 1}, "ping", ping4},
		{"icmpv6 echo", Header{Src: addr("2001:db8::1"), Dst: addr("2001:db8::2"), Protocol: model.ProtocolICMPv6, ICMPType: 128, ICMPID: 7, ICMPSeq: 1}, "ping", ping6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := s.Serialize(&tc.h, []byte(tc.payload))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, tc.want) {
				t.Fatalf("bytes\n got % x\nwant % x", got, tc.want)
			}
			if !checksumsOK(got) {
				t.Fatal("bad checksum")
			}
			if tc.h.Length != len(tc.want) || tc.h.PayloadLen != len(tc.payload) {
				t.Fatalf("Length %d PayloadLen %d", tc.h.Length, tc.h.PayloadLen)
			}
		})
	}
}

// checksumsOK recomputes the IPv4 header checksum and the transport checksum
// (with its pseudo-header) independently of gopacket.
func checksumsOK(p []byte) bool {
	sum := func(b []byte, acc uint32) uint32 {
		for len(b) >= 2 {
			acc += uint32(binary.BigEndian.Uint16(b))
			b = b[2:]
		}
		if len(b) == 1 {
			acc += uint32(b[0]) << 8
		}
		return acc
	}
	fold := func(acc uint32) uint16 {
		for acc>>16 != 0 {
			acc = acc&0xffff + acc>>16
		}
		return uint16(acc)
	}
	var pseudo []byte
	var l4 []byte
	var proto byte
	if p[0]>>4 == 4 {
		ihl := int(p[0]&0xf) * 4
		if fold(sum(p[:ihl], 0)) != 0xffff {
			return false
		}
		proto, l4 = p[9], p[ihl:]
		pseudo = append(append([]byte{}, p[12:20]...), 0, proto, byte(len(l4)>>8), byte(len(l4)))
		if proto == 1 { // ICMPv4 has no pseudo-header
			pseudo = nil
		}
	} else {
		proto, l4 = p[6], p[40:]
		pseudo = append(append([]byte{}, p[8:40]...), 0, 0, byte(len(l4)>>8), byte(len(l4)), 0, 0, 0, proto)
	}
	return fold(sum(l4, sum(pseudo, 0))) == 0xffff
}

func TestDecodeFixtures(t *testing.T) {
	d := NewDecoder()
	for _, tc := range []struct {
		name string
		data []byte
		link LinkType
		want Header
	}{
		{"tcp syn raw", tcpSYN4, LinkRaw, Header{Src: addr("10.0.1.5"), Dst: addr("10.0.2.7"), Protocol: model.ProtocolTCP, SrcPort: 49152, DstPort: 443, Flags: SYN, Seq: 1000, Window: 65535, TTL: 64, Length: 40}},
		{"tcp syn ethernet", ethernetOf(tcpSYN4), LinkEthernet, Header{Src: addr("10.0.1.5"), Dst: addr("10.0.2.7"), Protocol: model.ProtocolTCP, SrcPort: 49152, DstPort: 443, Flags: SYN, Seq: 1000, Window: 65535, TTL: 64, Length: 40}},
		{"udp ipv6", udpDNS6, LinkIPv6, Header{Src: addr("2001:db8::1"), Dst: addr("2001:db8::53"), Protocol: model.ProtocolUDP, SrcPort: 40000, DstPort: 53, TTL: 64, Length: 52, PayloadLen: 4}},
		{"udp ipv6 ethernet", ethernetOf(udpDNS6), LinkEthernet, Header{Src: addr("2001:db8::1"), Dst: addr("2001:db8::53"), Protocol: model.ProtocolUDP, SrcPort: 40000, DstPort: 53, TTL: 64, Length: 52, PayloadLen: 4}},
		{"ping", ping4, LinkRaw, Header{Src: addr("203.0.113.12"), Dst: addr("172.31.16.139"), Protocol: model.ProtocolICMP, ICMPType: 8, ICMPID: 7, ICMPSeq: 1, TTL: 64, Length: 32, PayloadLen: 4}},
		{"ping6", ping6, LinkRaw, Header{Src: addr("2001:db8::1"), Dst: addr("2001:db8::2"), Protocol: model.ProtocolICMPv6, ICMPType: 128, ICMPID: 7, ICMPSeq: 1, TTL: 64, Length: 52, PayloadLen: 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h Header
			if err := d.Decode(tc.data, tc.link, &h); err != nil {
				t.Fatal(err)
			}
			if h != tc.want {
				t.Fatalf("\n got %+v\nwant %+v", h, tc.want)
			}
		})
	}
}

func TestDecodeErrors(t *testing.T) {
	d := NewDecoder()
	arp := append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06}, make([]byte, 28)...)
	var h Header
	if err := d.Decode(arp, LinkEthernet, &h); !errors.Is(err, ErrNotIP) {
		t.Errorf("ARP: %v, want ErrNotIP", err)
	}
	for name, data := range map[string][]byte{
		"empty":         {},
		"version 5":     {0x50, 0, 0, 0},
		"short ipv4":    tcpSYN4[:12],
		"short tcp hdr": tcpSYN4[:30],
	} {
		if err := d.DecodeIP(data, &h); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if err := d.Decode(tcpSYN4, LinkType(147), &h); err == nil {
		t.Error("unknown link type: no error")
	}
}

// TestRoundTrip serialises headers of every kind and decodes them back.
func TestRoundTrip(t *testing.T) {
	s, d := NewSerializer(), NewDecoder()
	for _, h := range []Header{
		{Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), Protocol: model.ProtocolTCP, SrcPort: 1, DstPort: 2, Flags: SYN | ACK | ECE, Seq: 1 << 31, Ack: 7, Window: 512, TTL: 3},
		{Src: addr("10.0.0.1"), Dst: addr("192.0.2.1"), Protocol: model.ProtocolTCP, SrcPort: 50000, DstPort: 443, Flags: PSH | ACK, Seq: 9, Ack: 10, PayloadLen: 1400},
		{Src: addr("2001:db8::a"), Dst: addr("2001:db8::b"), Protocol: model.ProtocolTCP, SrcPort: 22, DstPort: 60000, Flags: FIN | ACK | URG | CWR | RST},
		{Src: addr("10.1.1.1"), Dst: addr("10.2.2.2"), Protocol: model.ProtocolUDP, SrcPort: 5353, DstPort: 53, PayloadLen: 512},
		{Src: addr("10.1.1.1"), Dst: addr("10.2.2.2"), Protocol: model.ProtocolICMP, ICMPType: 3, ICMPCode: 4, PayloadLen: 28},
		{Src: addr("10.1.1.1"), Dst: addr("10.2.2.2"), Protocol: model.ProtocolICMP, ICMPType: 0, ICMPID: 9, ICMPSeq: 9, PayloadLen: 56},
		{Src: addr("fd00::1"), Dst: addr("fd00::2"), Protocol: model.ProtocolICMPv6, ICMPType: 129, ICMPID: 65535, ICMPSeq: 2, PayloadLen: 56},
		{Src: addr("10.1.1.1"), Dst: addr("10.2.2.2"), Protocol: model.Protocol(47), PayloadLen: 24}, // GRE: headers only
	} {
		t.Run(h.String(), func(t *testing.T) {
			want := h
			b, err := s.Serialize(&want, zeros(h.PayloadLen))
			if err != nil {
				t.Fatal(err)
			}
			if !checksumsOK(b) && (h.Protocol == model.ProtocolTCP || h.Protocol == model.ProtocolUDP || h.Protocol.IsICMP()) {
				t.Fatal("bad checksum")
			}
			var got Header
			if err := d.DecodeIP(b, &got); err != nil {
				t.Fatal(err)
			}
			if h.Protocol == model.Protocol(47) {
				want.PayloadLen = 0 // the decoder reads no GRE
			}
			if got != want {
				t.Fatalf("\n got %+v\nwant %+v", got, want)
			}
		})
	}
}

func TestSerializeErrors(t *testing.T) {
	s := NewSerializer()
	for name, h := range map[string]Header{
		"no source":      {Dst: addr("10.0.0.1"), Protocol: model.ProtocolTCP},
		"mixed families": {Src: addr("10.0.0.1"), Dst: addr("::1"), Protocol: model.ProtocolUDP},
		"icmp over ipv6": {Src: addr("::1"), Dst: addr("::2"), Protocol: model.ProtocolICMP},
		"icmpv6 over v4": {Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), Protocol: model.ProtocolICMPv6},
		"protocol all":   {Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), Protocol: model.ProtocolAll},
	} {
		if _, err := s.Serialize(&h, nil); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestTupleAndFlags(t *testing.T) {
	h := Header{Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), Protocol: model.ProtocolICMP, ICMPType: 8, ICMPID: 77}
	if got := h.Tuple(); got.SrcPort != 77 || got.DstPort != 77 {
		t.Errorf("echo tuple %v: the identifier stands for both ports", got)
	}
	h.ICMPType = 3
	if got := h.Tuple(); got.SrcPort != 0 || got.DstPort != 0 {
		t.Errorf("unreachable tuple %v: ports are zero", got)
	}
	tu := Tuple{Src: addr("1.1.1.1"), Dst: addr("2.2.2.2"), SrcPort: 1, DstPort: 2, Protocol: 6}
	if tu.Reverse().Reverse() != tu || tu.Reverse().Src != tu.Dst || tu.Reverse().SrcPort != 2 {
		t.Errorf("Reverse %v", tu.Reverse())
	}
	if s := tu.String(); s != "tcp 1.1.1.1:1 -> 2.2.2.2:2" {
		t.Errorf("String %q", s)
	}
	if s := (SYN | ACK).String(); s != "SYN|ACK" {
		t.Errorf("flags %q", s)
	}
	if s := TCPFlags(0).String(); s != "0" {
		t.Errorf("no flags %q", s)
	}
}

package packet

import (
	"net/netip"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"testing"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"
)

// BenchmarkDecodeBare is the floor: gopacket's preallocated
// DecodingLayerParser alone on an IPv4/TCP packet.
func BenchmarkDecodeBare(b *testing.B) {
	var ip4 layers.IPv4
	var tcp layers.TCP
	p := gopacket.NewDecodingLayerParser(layers.LayerTypeIPv4, &ip4, &tcp)
	p.IgnoreUnsupported = true
	decoded := make([]gopacket.LayerType, 0, 4)
	b.ReportAllocs()
	for b.Loop() {
		if err := p.DecodeLayers(tcpSYN4, &decoded); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecode is Decoder.Decode: the parser plus the conversion into a
// Header of netip values.
func BenchmarkDecode(b *testing.B) {
	for _, tc := range []struct {
		name string
		data []byte
		link LinkType
	}{{"ipv4-tcp", tcpSYN4, LinkRaw}, {"ethernet-ipv4-tcp", ethernetOf(tcpSYN4), LinkEthernet}, {"ipv6-udp", udpDNS6, LinkRaw}} {
		b.Run(tc.name, func(b *testing.B) {
			d := NewDecoder()
			var h Header
			b.ReportAllocs()
			for b.Loop() {
				if err := d.Decode(tc.data, tc.link, &h); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkSerialize(b *testing.B) {
	s, d := NewSerializer(), NewDecoder()
	var h Header
	if err := d.DecodeIP(tcpSYN4, &h); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Serialize(&h, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// conns returns n distinct TCP client packets to one server.
func conns(n int) []Header {
	hs := make([]Header, n)
	for i := range hs {
		hs[i] = Header{Src: netip.AddrFrom4([4]byte{10, byte(i >> 16), byte(i >> 8), byte(i)}), Dst: netip.MustParseAddr("10.200.0.1"),
			SrcPort: uint16(1024 + i%60000), DstPort: 443, Protocol: model.ProtocolTCP, Flags: SYN}
	}
	return hs
}

// BenchmarkConnTrack measures the stateful check of an established
// connection (Match) in a table of 100,000 connections, and opening and
// closing connections.
func BenchmarkConnTrack(b *testing.B) {
	hs := conns(100000)
	ct := NewConnTable(DefaultTimeouts, len(hs))
	for i := range hs {
		ct.Open(&hs[i], t0)
		hs[i].Flags = ACK
	}
	b.Run("match", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if !ct.Match(&hs[i], t0) {
				b.Fatal("no match")
			}
			if i++; i == len(hs) {
				i = 0
			}
		}
	})
	b.Run("open-close", func(b *testing.B) {
		h := Header{Src: netip.MustParseAddr("10.9.9.9"), Dst: netip.MustParseAddr("10.200.0.1"), SrcPort: 5, DstPort: 443, Protocol: model.ProtocolTCP, Flags: SYN}
		rst := h
		rst.Flags = RST
		b.ReportAllocs()
		for b.Loop() {
			ct.Open(&h, t0)
			ct.Match(&rst, t0)
		}
	})
}

// BenchmarkNAT measures a NAT gateway translating the packets of 50,000
// established connections both ways, and allocating ports for new ones.
func BenchmarkNAT(b *testing.B) {
	hs := conns(50000)
	nat, _ := NewNATTable([]netip.Addr{netip.MustParseAddr("10.0.0.220")}, len(hs))
	replies := make([]Header, len(hs))
	for i := range hs {
		h := hs[i]
		if err := nat.Outbound(&h, t0); err != nil {
			b.Fatal(err)
		}
		replies[i] = Header{Src: h.Dst, Dst: h.Src, SrcPort: h.DstPort, DstPort: h.SrcPort, Protocol: h.Protocol, Flags: SYN | ACK}
		hs[i].Flags = ACK
	}
	b.Run("translate", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			h, r := hs[i], replies[i]
			if nat.Outbound(&h, t0) != nil || !nat.Inbound(&r, t0) {
				b.Fatal("lost session")
			}
			if i++; i == len(hs) {
				i = 0
			}
		}
	})
	b.Run("allocate", func(b *testing.B) {
		nat, _ := NewNATTable([]netip.Addr{netip.MustParseAddr("10.0.0.221")}, 50000)
		h := Header{Src: netip.MustParseAddr("10.9.9.9"), Dst: netip.MustParseAddr("203.0.113.5"), DstPort: 443, Protocol: model.ProtocolTCP, Flags: SYN}
		now := t0
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			x := h
			x.SrcPort = uint16(1024 + i%50000)
			if i++; i%50000 == 0 {
				now = now.Add(NATIdleTimeout + time.Second) // the previous round idles out
			}
			if err := nat.Outbound(&x, now); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package packet

import (
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

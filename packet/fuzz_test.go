package packet

import (
	"bytes"
	"io"
	"testing"
)

// FuzzDecode: any frame of any link type decodes or fails with an error; a
// decoded IP packet re-serialises.
func FuzzDecode(f *testing.F) {
	for _, p := range [][]byte{tcpSYN4, udpDNS6, ping4, ping6} {
		f.Add(p, uint8(LinkRaw))
		f.Add(ethernetOf(p), uint8(LinkEthernet))
	}
	d, s := NewDecoder(), NewSerializer()
	f.Fuzz(func(t *testing.T, data []byte, link uint8) {
		var h Header
		if err := d.Decode(data, LinkType(link), &h); err != nil {
			return
		}
		if !h.Src.IsValid() || h.Src.Is4() != h.Dst.Is4() {
			t.Fatalf("decoded %+v", h)
		}
		if h.Protocol.IsICMP() && (h.Protocol == 1) != h.Src.Is4() {
			return // ICMP over IPv6 (or ICMPv6 over IPv4) decodes but is not built
		}
		if _, err := s.Serialize(&h, nil); err != nil {
			t.Fatalf("re-serialise %+v: %v", h, err)
		}
	})
}

// FuzzReader: any file opens or fails with an error, and reading its
// packets ends.
func FuzzReader(f *testing.F) {
	for _, format := range []CaptureFormat{PCAP, PCAPNG} {
		f.Add(writeCapture(f, format, LinkRaw, tcpSYN4, ping6))
		f.Add(writeCapture(f, format, LinkEthernet, ethernetOf(udpDNS6)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		for range 10000 {
			if _, _, err := r.Next(); err != nil {
				if err != io.EOF && err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
		}
	})
}

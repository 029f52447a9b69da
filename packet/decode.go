package packet

import (
	"errors"
	"fmt"
	"net/netip"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/vpcsim/vpcsim/model"
)

// LinkType says what frames a capture holds. vpcsim writes LinkRaw (bare IP
// packets, LINKTYPE_RAW) and reads the link types tcpdump writes on Linux.
type LinkType = layers.LinkType

// Link types the Decoder reads.
const (
	LinkEthernet = layers.LinkTypeEthernet
	LinkRaw      = layers.LinkTypeRaw
	LinkIPv4     = layers.LinkTypeIPv4
	LinkIPv6     = layers.LinkTypeIPv6
	LinkLinuxSLL = layers.LinkTypeLinuxSLL
	LinkNull     = layers.LinkTypeNull
	LinkLoop     = layers.LinkTypeLoop
)

// ErrNotIP is returned for a frame that holds no IPv4 or IPv6 packet (ARP,
// say): the walker skips such frames.
var ErrNotIP = errors.New("packet: frame holds no IP packet")

// Decoder reads packets into Headers with gopacket's DecodingLayerParser:
// the layers are allocated once, so decoding allocates nothing. Layers it
// does not know (TLS on TCP 443, DNS on UDP 53, IPv6 extension headers) end
// the decoding without an error. A Decoder is not safe for concurrent use.
type Decoder struct {
	eth     layers.Ethernet
	sll     layers.LinuxSLL
	lo      layers.Loopback
	ip4     layers.IPv4
	ip6     layers.IPv6
	tcp     layers.TCP
	udp     layers.UDP
	icmp4   layers.ICMPv4
	icmp6   layers.ICMPv6
	echo6   layers.ICMPv6Echo
	parsers [3]*gopacket.DecodingLayerParser // Ethernet, Linux SLL, loopback first
	ip4p    *gopacket.DecodingLayerParser
	ip6p    *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

// NewDecoder returns a Decoder.
func NewDecoder() *Decoder {
	d := &Decoder{decoded: make([]gopacket.LayerType, 0, 8)}
	all := []gopacket.DecodingLayer{&d.eth, &d.sll, &d.lo, &d.ip4, &d.ip6, &d.tcp, &d.udp, &d.icmp4, &d.icmp6, &d.echo6}
	mk := func(first gopacket.LayerType) *gopacket.DecodingLayerParser {
		p := gopacket.NewDecodingLayerParser(first)
		p.SetDecodingLayerContainer(gopacket.DecodingLayerSparse(nil))
		for _, l := range all {
			p.AddDecodingLayer(l)
		}
		// TCP 443 decodes as TLS, UDP 53 as DNS, and so on: vpcsim reads
		// headers only, so a layer it has no decoder for ends the packet.
		p.IgnoreUnsupported = true
		return p
	}
	d.parsers[0] = mk(layers.LayerTypeEthernet)
	d.parsers[1] = mk(layers.LayerTypeLinuxSLL)
	d.parsers[2] = mk(layers.LayerTypeLoopback)
	d.ip4p = mk(layers.LayerTypeIPv4)
	d.ip6p = mk(layers.LayerTypeIPv6)
	return d
}

// Decode reads the frame data of the given link type into h, which it
// overwrites. It returns ErrNotIP for a frame without an IP packet and an
// error naming the problem for a malformed or truncated one.
func (d *Decoder) Decode(data []byte, link LinkType, h *Header) error {
	var p *gopacket.DecodingLayerParser
	switch link {
	case LinkEthernet:
		p = d.parsers[0]
	case LinkLinuxSLL:
		p = d.parsers[1]
	case LinkNull, LinkLoop:
		p = d.parsers[2]
	case LinkRaw, LinkIPv4, LinkIPv6:
		if len(data) == 0 {
			return errors.New("packet: empty frame")
		}
		switch data[0] >> 4 {
		case 4:
			p = d.ip4p
		case 6:
			p = d.ip6p
		default:
			return fmt.Errorf("packet: IP version %d", data[0]>>4)
		}
	default:
		return fmt.Errorf("packet: link type %s is not supported", link)
	}
	if err := p.DecodeLayers(data, &d.decoded); err != nil {
		return fmt.Errorf("packet: %w", err)
	}
	// A capture cut at its snap length still has whole headers; Length is
	// the IP header's, the size the packet had on the wire.
	return d.fill(h)
}

// DecodeIP reads a bare IP packet (no link layer) into h.
func (d *Decoder) DecodeIP(data []byte, h *Header) error { return d.Decode(data, LinkRaw, h) }

func (d *Decoder) fill(h *Header) error {
	*h = Header{}
	var ip bool
	for _, t := range d.decoded {
		switch t {
		case layers.LayerTypeIPv4:
			ip = true
			h.Src = addrOf(d.ip4.SrcIP)
			h.Dst = addrOf(d.ip4.DstIP)
			h.Protocol = model.Protocol(d.ip4.Protocol)
			h.TTL = d.ip4.TTL
			h.Length = int(d.ip4.Length)
			h.Fragment = d.ip4.FragOffset != 0
		case layers.LayerTypeIPv6:
			ip = true
			h.Src = addrOf(d.ip6.SrcIP)
			h.Dst = addrOf(d.ip6.DstIP)
			h.Protocol = model.Protocol(d.ip6.NextHeader)
			h.TTL = d.ip6.HopLimit
			// A jumbogram's payload length is in a hop-by-hop option.
			h.Length = 40 + int(d.ip6.Length)
		case layers.LayerTypeTCP:
			t := &d.tcp
			h.SrcPort, h.DstPort = uint16(t.SrcPort), uint16(t.DstPort)
			h.Seq, h.Ack, h.Window = t.Seq, t.Ack, t.Window
			h.Flags = tcpFlags(t)
			h.PayloadLen = len(t.Payload)
		case layers.LayerTypeUDP:
			h.SrcPort, h.DstPort = uint16(d.udp.SrcPort), uint16(d.udp.DstPort)
			h.PayloadLen = len(d.udp.Payload)
		case layers.LayerTypeICMPv4:
			h.ICMPType, h.ICMPCode = d.icmp4.TypeCode.Type(), d.icmp4.TypeCode.Code()
			h.ICMPID, h.ICMPSeq = d.icmp4.Id, d.icmp4.Seq
			h.PayloadLen = len(d.icmp4.Payload)
		case layers.LayerTypeICMPv6:
			h.ICMPType, h.ICMPCode = d.icmp6.TypeCode.Type(), d.icmp6.TypeCode.Code()
			h.PayloadLen = len(d.icmp6.Payload)
		case layers.LayerTypeICMPv6Echo:
			h.ICMPID, h.ICMPSeq = d.echo6.Identifier, d.echo6.SeqNumber
			// gopacket leaves the echo data in the ICMPv6 layer's payload,
			// after the identifier and sequence.
			h.PayloadLen = max(len(d.icmp6.Payload)-4, 0)
		}
	}
	if !ip {
		return ErrNotIP
	}
	if !h.Src.IsValid() || !h.Dst.IsValid() {
		return errors.New("packet: bad IP addresses")
	}
	return nil
}

// addrOf converts gopacket's net.IP at the boundary: AddrFromSlice keeps the
// 4-byte or 16-byte form, and Unmap turns a 4in6 address back into IPv4.
func addrOf(b []byte) netip.Addr {
	a, _ := netip.AddrFromSlice(b)
	return a.Unmap()
}

func tcpFlags(t *layers.TCP) TCPFlags {
	var f TCPFlags
	for _, x := range [...]struct {
		on bool
		f  TCPFlags
	}{{t.FIN, FIN}, {t.SYN, SYN}, {t.RST, RST}, {t.PSH, PSH}, {t.ACK, ACK}, {t.URG, URG}, {t.ECE, ECE}, {t.CWR, CWR}} {
		if x.on {
			f |= x.f
		}
	}
	return f
}

package packet

import (
	"errors"
	"fmt"

	"github.com/google/gopacket"
	"github.com/google/gopacket/layers"

	"github.com/vpcsim/vpcsim/model"
)

// Serializer turns Headers into packet bytes with gopacket: lengths are fixed
// and checksums computed. It keeps its layers and buffer between calls, so
// serialising allocates little; it is not safe for concurrent use.
type Serializer struct {
	buf   gopacket.SerializeBuffer
	opts  gopacket.SerializeOptions
	ip4   layers.IPv4
	ip6   layers.IPv6
	tcp   layers.TCP
	udp   layers.UDP
	icmp4 layers.ICMPv4
	icmp6 layers.ICMPv6
	echo6 layers.ICMPv6Echo
	stack []gopacket.SerializableLayer
}

// NewSerializer returns a Serializer.
func NewSerializer() *Serializer {
	return &Serializer{
		buf:   gopacket.NewSerializeBuffer(),
		opts:  gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
		stack: make([]gopacket.SerializableLayer, 0, 4),
	}
}

// DefaultTTL is the TTL (hop limit) of packets whose Header leaves it zero:
// what Linux sends.
const DefaultTTL = 64

// Serialize builds the raw IP packet (no link layer) that h describes, with
// payload as its transport payload; for ICMP it follows the echo identifier
// and sequence. The returned bytes are valid until the next call. h.Length
// and h.PayloadLen are set to the packet's sizes.
func (s *Serializer) Serialize(h *Header, payload []byte) ([]byte, error) {
	if !h.Src.IsValid() || !h.Dst.IsValid() {
		return nil, errors.New("packet: source and destination addresses are required")
	}
	if h.Src.Is4() != h.Dst.Is4() {
		return nil, fmt.Errorf("packet: %s and %s are not of one address family", h.Src, h.Dst)
	}
	if h.Protocol < 0 || h.Protocol > 255 {
		return nil, fmt.Errorf("packet: protocol %s is not one IANA number", h.Protocol)
	}
	ttl := h.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	s.stack = s.stack[:0]
	var network gopacket.NetworkLayer
	if h.Src.Is4() {
		a, b := h.Src.As4(), h.Dst.As4()
		s.ip4 = layers.IPv4{Version: 4, TTL: ttl, Protocol: layers.IPProtocol(h.Protocol), SrcIP: a[:], DstIP: b[:]}
		s.stack = append(s.stack, &s.ip4)
		network = &s.ip4
	} else {
		a, b := h.Src.As16(), h.Dst.As16()
		s.ip6 = layers.IPv6{Version: 6, HopLimit: ttl, NextHeader: layers.IPProtocol(h.Protocol), SrcIP: a[:], DstIP: b[:]}
		s.stack = append(s.stack, &s.ip6)
		network = &s.ip6
	}
	switch h.Protocol {
	case model.ProtocolTCP:
		f := h.Flags
		s.tcp = layers.TCP{SrcPort: layers.TCPPort(h.SrcPort), DstPort: layers.TCPPort(h.DstPort),
			Seq: h.Seq, Ack: h.Ack, Window: h.Window,
			FIN: f.Has(FIN), SYN: f.Has(SYN), RST: f.Has(RST), PSH: f.Has(PSH), ACK: f.Has(ACK),
			URG: f.Has(URG), ECE: f.Has(ECE), CWR: f.Has(CWR)}
		if err := s.tcp.SetNetworkLayerForChecksum(network); err != nil {
			return nil, err
		}
		s.stack = append(s.stack, &s.tcp)
	case model.ProtocolUDP:
		s.udp = layers.UDP{SrcPort: layers.UDPPort(h.SrcPort), DstPort: layers.UDPPort(h.DstPort)}
		if err := s.udp.SetNetworkLayerForChecksum(network); err != nil {
			return nil, err
		}
		s.stack = append(s.stack, &s.udp)
	case model.ProtocolICMP:
		if h.Src.Is6() {
			return nil, errors.New("packet: ICMP (protocol 1) over IPv6; use ICMPv6")
		}
		s.icmp4 = layers.ICMPv4{TypeCode: layers.CreateICMPv4TypeCode(h.ICMPType, h.ICMPCode), Id: h.ICMPID, Seq: h.ICMPSeq}
		s.stack = append(s.stack, &s.icmp4)
	case model.ProtocolICMPv6:
		if h.Src.Is4() {
			return nil, errors.New("packet: ICMPv6 over IPv4; use ICMP")
		}
		s.icmp6 = layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(h.ICMPType, h.ICMPCode)}
		if err := s.icmp6.SetNetworkLayerForChecksum(network); err != nil {
			return nil, err
		}
		s.stack = append(s.stack, &s.icmp6)
		if h.IsEcho() {
			s.echo6 = layers.ICMPv6Echo{Identifier: h.ICMPID, SeqNumber: h.ICMPSeq}
			s.stack = append(s.stack, &s.echo6)
		}
	}
	s.stack = append(s.stack, gopacket.Payload(payload))
	if err := gopacket.SerializeLayers(s.buf, s.opts, s.stack...); err != nil {
		return nil, fmt.Errorf("packet: serialise %s: %w", h, err)
	}
	b := s.buf.Bytes()
	h.Length = len(b)
	h.PayloadLen = len(payload)
	h.TTL = ttl
	return b, nil
}

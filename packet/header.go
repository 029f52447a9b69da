package packet

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// TCPFlags are the flags of a TCP header, bit for bit as on the wire (the
// values VPC Flow Logs' tcp-flags field uses: FIN 1, SYN 2, RST 4, PSH 8, ACK
// 16, URG 32).
type TCPFlags uint8

// TCP flags.
const (
	FIN TCPFlags = 1 << iota
	SYN
	RST
	PSH
	ACK
	URG
	ECE
	CWR
)

var flagNames = [8]string{"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"}

// Has reports whether every flag of m is set.
func (f TCPFlags) Has(m TCPFlags) bool { return f&m == m }

// String prints the flags joined by "|", e.g. "SYN|ACK"; "0" when none.
func (f TCPFlags) String() string {
	if f == 0 {
		return "0"
	}
	var b strings.Builder
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			if b.Len() > 0 {
				b.WriteByte('|')
			}
			b.WriteString(n)
		}
	}
	return b.String()
}

// Header is what vpcsim reads from, and writes into, one IP packet. It is a
// plain value: copying it is cheap and decoding into it allocates nothing.
type Header struct {
	// Src and Dst are the IP addresses; IPv4 addresses are never 4in6.
	Src, Dst netip.Addr
	// Protocol is the IANA number of the transport (model.ProtocolTCP, …).
	Protocol model.Protocol
	// SrcPort and DstPort are the TCP or UDP ports; zero for other protocols.
	SrcPort, DstPort uint16
	// ICMPType and ICMPCode are set for ICMP and ICMPv6.
	ICMPType, ICMPCode uint8
	// ICMPID and ICMPSeq are the identifier and sequence number of an echo
	// request or reply (ICMP and ICMPv6).
	ICMPID, ICMPSeq uint16
	// Flags, Seq, Ack and Window are the TCP header's.
	Flags    TCPFlags
	Seq, Ack uint32
	Window   uint16
	// TTL is the IPv4 time to live or the IPv6 hop limit.
	TTL uint8
	// Length is the size of the IP packet in bytes, header included: what a
	// flow log record's bytes field adds up.
	Length int
	// PayloadLen is the size of the transport payload (TCP or UDP data, or
	// the ICMP body after the echo identifier and sequence).
	PayloadLen int
	// Fragment is set for an IPv4 fragment other than the first, which
	// carries no transport header (ports and flags are then zero).
	Fragment bool
}

// IsIPv6 reports whether the packet is IPv6.
func (h *Header) IsIPv6() bool { return h.Src.Is6() }

// IsEcho reports whether the packet is an ICMP or ICMPv6 echo request or
// reply, whose identifier plays the part of a port in connection tracking
// and NAT.
func (h *Header) IsEcho() bool {
	switch h.Protocol {
	case model.ProtocolICMP:
		return h.ICMPType == icmpEchoRequest || h.ICMPType == icmpEchoReply
	case model.ProtocolICMPv6:
		return h.ICMPType == icmp6EchoRequest || h.ICMPType == icmp6EchoReply
	}
	return false
}

// HasICMPID reports whether the packet is an ICMP query message whose
// identifier matches replies to requests — echo, timestamp, information and
// address mask (RFC 792, RFC 950) for IPv4, echo for ICMPv6 — so that it
// plays the part of a port in connection tracking and NAT.
func (h *Header) HasICMPID() bool {
	if h.Protocol == model.ProtocolICMP {
		switch h.ICMPType {
		case icmpEchoReply, icmpEchoRequest, 13, 14, 15, 16, 17, 18:
			return true
		}
		return false
	}
	return h.IsEcho()
}

// ICMP message types used by echo (ping).
const (
	icmpEchoReply    = 0
	icmpEchoRequest  = 8
	icmp6EchoRequest = 128
	icmp6EchoReply   = 129
)

// Tuple is the 5-tuple that identifies a flow: the unit of connection
// tracking, NAT sessions and flow log records.
type Tuple struct {
	Src, Dst         netip.Addr
	SrcPort, DstPort uint16
	Protocol         uint8
}

// Tuple returns the packet's 5-tuple. ICMP query messages (HasICMPID)
// carry their identifier in both port fields, as connection trackers and
// NAT gateways use it; other ICMP messages have ports zero.
func (h *Header) Tuple() Tuple {
	t := Tuple{Src: h.Src, Dst: h.Dst, Protocol: uint8(h.Protocol)}
	switch {
	case h.Protocol == model.ProtocolTCP || h.Protocol == model.ProtocolUDP:
		t.SrcPort, t.DstPort = h.SrcPort, h.DstPort
	case h.HasICMPID():
		t.SrcPort, t.DstPort = h.ICMPID, h.ICMPID
	}
	return t
}

// Reverse is the tuple of a reply.
func (t Tuple) Reverse() Tuple {
	return Tuple{Src: t.Dst, Dst: t.Src, SrcPort: t.DstPort, DstPort: t.SrcPort, Protocol: t.Protocol}
}

// String prints "tcp 10.0.0.1:1234 -> 10.0.0.2:443".
func (t Tuple) String() string {
	return fmt.Sprintf("%s %s -> %s", model.Protocol(t.Protocol),
		netip.AddrPortFrom(t.Src, t.SrcPort), netip.AddrPortFrom(t.Dst, t.DstPort))
}

// String prints the header on one line, as tcpdump would summarise it.
func (h *Header) String() string {
	switch h.Protocol {
	case model.ProtocolTCP:
		return fmt.Sprintf("tcp %s -> %s [%s] seq %d ack %d len %d",
			netip.AddrPortFrom(h.Src, h.SrcPort), netip.AddrPortFrom(h.Dst, h.DstPort), h.Flags, h.Seq, h.Ack, h.PayloadLen)
	case model.ProtocolUDP:
		return fmt.Sprintf("udp %s -> %s len %d",
			netip.AddrPortFrom(h.Src, h.SrcPort), netip.AddrPortFrom(h.Dst, h.DstPort), h.PayloadLen)
	case model.ProtocolICMP, model.ProtocolICMPv6:
		s := fmt.Sprintf("%s %s -> %s type %d code %d", h.Protocol, h.Src, h.Dst, h.ICMPType, h.ICMPCode)
		if h.IsEcho() {
			s += fmt.Sprintf(" id %d seq %d", h.ICMPID, h.ICMPSeq)
		}
		return s
	}
	return fmt.Sprintf("%s %s -> %s len %d", h.Protocol, h.Src, h.Dst, h.Length)
}

// Package packet is vpcsim's wire level: it builds IPv4 and IPv6 TCP, UDP,
// ICMP and ICMPv6 packets with gopacket, decodes them with a preallocated
// DecodingLayerParser into a small Header of netip values, reads and writes
// pcap and pcapng captures with the pure-Go pcapgo (vpcsim stays one static
// binary: no cgo, no libpcap), and builds whole conversations — a TCP
// connection with its handshake and teardown, a UDP exchange, a ping — on a
// simulated clock, so that the same inputs always give the same packets.
//
// It also holds the packet walker and the state it keeps of its own: a
// connection table per network interface (security groups are stateful) and
// a session table per NAT gateway. Every forwarding and filtering decision
// belongs to package reach: the Walker asks reach's packet stepper
// (reach.Engine.Step) and never matches a rule itself. The Replayer tells a
// capture's requests from its replies and places each packet; Converse
// walks a conversation. docs/packet.md describes the boundary.
//
// gopacket types stay at the edge: the rest of vpcsim sees Header, whose
// addresses are netip.Addr (IPv4 addresses unmapped).
package packet

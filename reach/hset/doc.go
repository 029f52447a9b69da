// Package hset is the exact algebra of packet-header sets that vpcsim's
// reachability engine runs on. Security groups, network ACLs, routes and NAT
// are evaluated on sets of headers, so the same code answers for one concrete
// flow (a set of one header) and for every flow at once.
//
// # Headers
//
// A header is (source address, destination address, protocol, source port,
// destination port). Addresses are 128-bit: an IPv4 address a.b.c.d lives as
// the IPv4-mapped IPv6 address ::ffff:a.b.c.d, so one ordered space holds
// both families and a set may mix them. The families are kept apart by
// construction, not by type:
//
//   - All4Addrs is the mapped block ::ffff:0:0/96;
//   - All6Addrs is everything above it, ::1:0:0:0 to ffff:…:ffff;
//   - an IPv6 prefix never denotes IPv4 addresses: PrefixRange clips it to
//     All6Addrs, so ::/0 means All6Addrs, as an ipv6_cidr_blocks rule in AWS
//     never matches IPv4 traffic.
//
// The rest of ::/80 below the mapped block — ::, ::1 and the deprecated
// IPv4-compatible addresses — belongs to neither family: nothing in a VPC
// sends from or to it. Boxes may still name it (a Point from ::1), and the
// algebra treats it like any other address.
//
// Protocols are 0-255. Ports are 0-65535. ICMP and ICMPv6 headers have no
// ports: by convention the engine stores the ICMP type in the destination
// port and the ICMP code in the source port, so that "echo request (type 8),
// any code" is DstPort 8, SrcPort 0-65535 (codes are below 256; the rest of
// the range simply never occurs). Swap exchanges them positionally, which is
// not an ICMP reply; see Swap.
//
// # Sets and their canonical form
//
// A Box is a product of five intervals; a Set is a union of boxes. A Set is
// always stored in one canonical form, fixed by the set alone: nest the
// dimensions in the order protocol, destination port, source, destination,
// source port; cut the protocol line into the maximal intervals over which
// the rest of the set is the same, and within each do the same for the
// destination port, and so on down; Boxes flattens that tree in order, one box
// per leaf. Two equal sets therefore have identical Boxes and String, whatever
// operations built them, and Equal is a comparison of boxes.
//
// Operations compute their result directly in canonical form: a sweep over
// both operands, level by level, that merges a segment with its neighbour
// when their sub-results are equal. There is no normalisation pass and no
// cache, so there is nothing to invalidate or race on.
//
// # Sharing
//
// Sets are immutable values. No operation modifies an operand; a result that
// equals an operand shares its storage (so a fixpoint that stops changing
// stops allocating); Boxes returns a copy. Sets may therefore be read by any
// number of goroutines at once without locks.
package hset

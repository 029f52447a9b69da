package packet

import (
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/vpcsim/vpcsim/model"
)

// NAT gateway facts (docs/packet.md cites AWS for each).
const (
	// NATPortFirst and NATPortLast bound the source ports a NAT gateway
	// translates to.
	NATPortFirst = 1024
	NATPortLast  = 65535
	// NATMaxPerDestination is how many simultaneous connections one NAT
	// gateway address supports to one destination (address, port and
	// protocol).
	NATMaxPerDestination = 55000
	// NATIdleTimeout is how long an idle connection through a NAT gateway
	// lives.
	NATIdleTimeout = 350 * time.Second
)

// ErrPortAllocation is returned when a NAT gateway has no source port left
// for a destination: AWS counts these in the ErrorPortAllocation metric and
// the connection fails.
var ErrPortAllocation = errors.New("nat gateway: no source port left for this destination (ErrorPortAllocation)")

// ErrNATProtocol is returned for a protocol a NAT gateway does not
// translate: it translates TCP, UDP and ICMP only.
var ErrNATProtocol = errors.New("nat gateway: translates TCP, UDP and ICMP only")

// NATTable is a NAT gateway's session table: source translation of
// connections from inside to one of the gateway's private addresses and a
// port it allocates, and the reverse translation of their replies. A reply
// that matches no session is dropped, as on AWS.
//
// Ports are allocated per destination, from NATPortFirst to NATPortLast,
// each address holding at most NATMaxPerDestination sessions to one
// destination; the next address of the gateway serves when one is full.
// Lookups allocate nothing; a new session allocates only when the table
// grows. A NATTable is not safe for concurrent use.
type NATTable struct {
	addrs    []netip.Addr
	timeouts Timeouts // TCP and UDP states reuse connection tracking's machine
	idle     time.Duration
	perDest  int32
	sessions slab[session]
	out      map[Tuple]int32 // the inside tuple (before translation)
	in       map[Tuple]int32 // the reply's tuple as it reaches the gateway
	dests    map[Tuple]destState
}

type session struct {
	inside  Tuple // as the packet left the client
	outside Tuple // after translation
	fs      flowState
}

type destState struct {
	next  uint16
	count int32
}

// NewNATTable returns the session table of a NAT gateway with the given
// private IPv4 addresses (its primary address first).
func NewNATTable(addrs []netip.Addr, capacity int) (*NATTable, error) {
	if len(addrs) == 0 {
		return nil, errors.New("nat gateway: no address")
	}
	for _, a := range addrs {
		if !a.Unmap().Is4() {
			return nil, fmt.Errorf("nat gateway: address %s is not IPv4", a)
		}
	}
	t := &NATTable{addrs: addrs, idle: NATIdleTimeout, perDest: NATMaxPerDestination,
		out: make(map[Tuple]int32, capacity), in: make(map[Tuple]int32, capacity),
		dests: make(map[Tuple]destState), sessions: newSlab[session](capacity)}
	// One idle timeout for every state: AWS documents only the 350 s.
	t.timeouts = Timeouts{TCPEstablished: t.idle, TCPTransitory: t.idle, UDP: t.idle, UDPStream: t.idle, ICMP: t.idle, Other: t.idle}
	return t, nil
}

// SetLimits changes the per-destination session limit and the idle timeout
// (for tests and what-if runs).
func (t *NATTable) SetLimits(perDestination int, idle time.Duration) {
	t.perDest, t.idle = int32(perDestination), idle
	t.timeouts = Timeouts{TCPEstablished: idle, TCPTransitory: idle, UDP: idle, UDPStream: idle, ICMP: idle, Other: idle}
}

// natProto reports whether a NAT gateway translates the packet: TCP, UDP
// and ICMP ("a NAT gateway supports the following protocols: TCP, UDP, and
// ICMP", VPC User Guide, NAT gateway basics). ICMP query messages are
// translated by their identifier; other ICMP messages (errors) by address
// alone.
func natProto(h *Header) bool {
	switch h.Protocol {
	case model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP:
		return true
	}
	return false
}

// byAddress reports whether a NAT session of h is keyed by addresses alone:
// an ICMP message without an identifier.
func byAddress(h *Header) bool { return h.Protocol == model.ProtocolICMP && !h.HasICMPID() }

func setSrc(h *Header, a netip.Addr, port uint16) {
	h.Src = a
	setPort(h, &h.SrcPort, port)
}

func setDst(h *Header, a netip.Addr, port uint16) {
	h.Dst = a
	setPort(h, &h.DstPort, port)
}

// setPort sets a translated port: TCP's and UDP's, or an ICMP query's
// identifier; other messages have none.
func setPort(h *Header, p *uint16, port uint16) {
	switch {
	case h.Protocol == model.ProtocolTCP || h.Protocol == model.ProtocolUDP:
		*p = port
	case h.HasICMPID():
		h.ICMPID = port
	}
}

// Outbound translates a packet leaving through the gateway: it rewrites h's
// source to the session's address and port, opening a session for a new
// connection. It fails with ErrNATProtocol or ErrPortAllocation.
func (t *NATTable) Outbound(h *Header, now time.Time) error { return t.OutboundHint(h, now, nil) }

// OutboundHint is Outbound that remembers the session in hint and finds it
// there on the flow's next packet.
func (t *NATTable) OutboundHint(h *Header, now time.Time, hint *Hint) error {
	if !natProto(h) {
		return ErrNATProtocol
	}
	ns := now.UnixNano()
	key := h.Tuple()
	i, ok := t.sessions.at(hint)
	if !ok || t.sessions.items[i].inside != key {
		i, ok = t.out[key]
	}
	if ok {
		s := &t.sessions.items[i]
		if s.fs.alive(&t.timeouts, key.Protocol, ns) {
			s.fs.update(h, 0, ns)
			setSrc(h, s.outside.Src, s.outside.SrcPort)
			t.sessions.remember(hint, i)
			if s.fs.state == StateClosed {
				t.remove(i)
			}
			return nil
		}
		t.remove(i)
	}
	if byAddress(h) {
		// No identifier to translate: the session is the pair of
		// addresses, on the gateway's primary address; a newer one from
		// another inside host to the same destination takes its place.
		a := t.addrs[0]
		reply := Tuple{Src: key.Dst, Dst: a, Protocol: key.Protocol}
		if j, used := t.in[reply]; used {
			t.remove(j)
		}
		dest := Tuple{Src: a, Dst: key.Dst, Protocol: key.Protocol}
		ds := t.dests[dest]
		ds.count++
		t.dests[dest] = ds
		s := session{inside: key, outside: reply.Reverse()}
		s.fs.start(h, ns)
		t.sessions.remember(hint, t.add(s, reply))
		h.Src = a
		return nil
	}
	for _, a := range t.addrs {
		dest := Tuple{Src: a, Dst: key.Dst, DstPort: key.DstPort, Protocol: key.Protocol}
		if h.Protocol == model.ProtocolICMP {
			dest.DstPort = 0 // the identifier is translated, not a port
		}
		ds := t.dests[dest]
		if ds.next < NATPortFirst {
			ds.next = NATPortFirst
		}
		// Probe from the destination's cursor; sessions that idled out are
		// ended on the way, which is how a full destination frees ports.
		for range NATPortLast - NATPortFirst + 1 {
			port := ds.next
			if ds.next == NATPortLast {
				ds.next = NATPortFirst
			} else {
				ds.next++
			}
			reply := Tuple{Src: key.Dst, Dst: a, SrcPort: key.DstPort, DstPort: port, Protocol: key.Protocol}
			if h.Protocol == model.ProtocolICMP {
				reply.SrcPort = port
			}
			if j, used := t.in[reply]; used {
				if t.sessions.items[j].fs.alive(&t.timeouts, key.Protocol, ns) {
					continue
				}
				t.remove(j)
				ds.count-- // remove counted it down in the map, which ds overwrites
			}
			if ds.count >= t.perDest {
				continue
			}
			s := session{inside: key, outside: reply.Reverse()}
			s.fs.start(h, ns)
			ds.count++
			t.dests[dest] = ds
			t.sessions.remember(hint, t.add(s, reply))
			setSrc(h, a, port)
			return nil
		}
		t.dests[dest] = ds
	}
	return ErrPortAllocation
}

// Inbound translates a reply reaching the gateway back to the inside
// client, rewriting h's destination. It reports false when h matches no live
// session: the gateway drops it.
func (t *NATTable) Inbound(h *Header, now time.Time) bool { return t.InboundHint(h, now, nil) }

// InboundHint is Inbound that remembers the session in hint.
func (t *NATTable) InboundHint(h *Header, now time.Time, hint *Hint) bool {
	if !natProto(h) {
		return false
	}
	key := h.Tuple()
	i, ok := t.sessions.at(hint)
	if !ok || t.sessions.items[i].outside != key.Reverse() {
		if i, ok = t.in[key]; !ok {
			return false
		}
	}
	t.sessions.remember(hint, i)
	s := &t.sessions.items[i]
	ns := now.UnixNano()
	if !s.fs.alive(&t.timeouts, s.inside.Protocol, ns) {
		t.remove(i)
		return false
	}
	s.fs.update(h, 1, ns)
	setDst(h, s.inside.Src, s.inside.SrcPort)
	if s.fs.state == StateClosed {
		t.remove(i)
	}
	return true
}

func (t *NATTable) add(s session, reply Tuple) int32 {
	i := t.sessions.put(s)
	t.out[s.inside] = i
	t.in[reply] = i
	return i
}

func (t *NATTable) remove(i int32) {
	s := &t.sessions.items[i]
	reply := s.outside.Reverse()
	delete(t.out, s.inside)
	delete(t.in, reply)
	dest := Tuple{Src: s.outside.Src, Dst: s.outside.Dst, DstPort: s.outside.DstPort, Protocol: s.outside.Protocol}
	if s.outside.Protocol == uint8(model.ProtocolICMP) {
		dest.DstPort = 0
	}
	if ds, ok := t.dests[dest]; ok {
		if ds.count--; ds.count <= 0 {
			delete(t.dests, dest)
		} else {
			t.dests[dest] = ds
		}
	}
	t.sessions.release(i)
}

// Len is the number of sessions held, live or not yet swept.
func (t *NATTable) Len() int { return len(t.out) }

// Sweep ends the sessions idle past the timeout at now and returns how many
// it ended.
func (t *NATTable) Sweep(now time.Time) int {
	ns, n := now.UnixNano(), 0
	for i := range t.sessions.items {
		s := &t.sessions.items[i]
		if s.inside.Src.IsValid() && !s.fs.alive(&t.timeouts, s.inside.Protocol, ns) {
			t.remove(int32(i))
			n++
		}
	}
	return n
}

package packet

import (
	"time"

	"github.com/vpcsim/vpcsim/model"
)

// Timeouts are connection tracking's idle timeouts: a connection with no
// packet for its state's timeout is forgotten, and its next packet is
// judged by the rules as a new connection. docs/packet.md cites AWS for
// each value and says which ones AWS does not publish.
type Timeouts struct {
	// TCPEstablished applies to established TCP connections. AWS: 432,000 s
	// (5 days) by default, 350 s on Nitro v6 instance types, configurable
	// per interface from 60 s.
	TCPEstablished time.Duration
	// TCPTransitory applies to TCP connections being opened or closed. AWS
	// publishes no value; vpcsim assumes 120 s.
	TCPTransitory time.Duration
	// UDP applies to UDP flows seen in one direction or one request and
	// response. AWS: 30 s (configurable 30–60 s).
	UDP time.Duration
	// UDPStream applies to UDP flows that have seen more than one request
	// and response. AWS: 180 s (configurable 60–180 s).
	UDPStream time.Duration
	// ICMP applies to ICMP and ICMPv6. AWS publishes no value; vpcsim
	// assumes UDP's 30 s.
	ICMP time.Duration
	// Other applies to every other protocol, tracked by addresses and
	// protocol only. AWS: 600 s.
	Other time.Duration
}

// DefaultTimeouts are AWS's defaults for interfaces of instances before
// Nitro v6, and vpcsim's assumptions where AWS publishes none.
var DefaultTimeouts = Timeouts{
	TCPEstablished: 432000 * time.Second,
	TCPTransitory:  120 * time.Second,
	UDP:            30 * time.Second,
	UDPStream:      180 * time.Second,
	ICMP:           30 * time.Second,
	Other:          600 * time.Second,
}

// NitroV6Timeouts are the defaults of Nitro v6 instance types: established
// TCP connections are forgotten after 350 s.
var NitroV6Timeouts = func() Timeouts { t := DefaultTimeouts; t.TCPEstablished = 350 * time.Second; return t }()

// ConnState is the state of a tracked connection.
type ConnState uint8

// Connection states. TCP goes SynSent → SynReceived → Established →
// Closing; a RST, or both FINs acknowledged, ends it. UDP is UDPSingle until
// its second request and response, then UDPStream. ICMP and other protocols
// are Open.
const (
	StateNone ConnState = iota
	StateSynSent
	StateSynReceived
	StateEstablished
	StateClosing
	StateClosed
	StateUDPSingle
	StateUDPStream
	StateOpen
)

var stateNames = [...]string{"none", "syn-sent", "syn-received", "established", "closing", "closed", "udp", "udp-stream", "open"}

func (s ConnState) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "invalid"
}

// flowState follows one connection from its packets' flags; the
// connection table and the NAT gateway's session table share it.
type flowState struct {
	state   ConnState
	turns   uint8 // UDP: changes of direction, up to 3
	lastDir uint8 // 0 original, 1 reply
	fin     [2]bool
	finAck  [2]uint32 // the acknowledgement number that acknowledges each side's FIN
	acked   [2]bool
	last    int64 // unix nanoseconds of the last packet
}

func (f *flowState) start(h *Header, now int64) {
	*f = flowState{last: now}
	switch h.Protocol {
	case model.ProtocolTCP:
		switch {
		case h.Flags.Has(SYN) && !h.Flags.Has(ACK):
			f.state = StateSynSent
		default:
			// A connection picked up in the middle (a capture that starts
			// late, an ACK probe the rules allow) counts as established.
			f.state = StateEstablished
		}
		f.update(h, 0, now)
	case model.ProtocolUDP:
		f.state = StateUDPSingle
	default:
		f.state = StateOpen
	}
}

// update advances the state with packet h travelling in direction dir
// (0 as the connection's first packet, 1 against it).
func (f *flowState) update(h *Header, dir uint8, now int64) {
	f.last = now
	switch h.Protocol {
	case model.ProtocolUDP:
		if dir != f.lastDir && f.turns < 3 {
			f.turns++
			if f.turns == 3 { // request, response, request, response
				f.state = StateUDPStream
			}
		}
	case model.ProtocolTCP:
		fl := h.Flags
		switch {
		case fl.Has(RST):
			f.state = StateClosed
		case fl.Has(SYN) && fl.Has(ACK) && dir == 1 && f.state == StateSynSent:
			f.state = StateSynReceived
		case fl.Has(ACK) && dir == 0 && f.state == StateSynReceived:
			f.state = StateEstablished
		}
		other := 1 - dir
		if fl.Has(ACK) && f.fin[other] && int32(h.Ack-f.finAck[other]) >= 0 {
			f.acked[other] = true
		}
		if fl.Has(FIN) && f.state != StateClosed {
			f.fin[dir] = true
			f.finAck[dir] = h.Seq + uint32(h.PayloadLen) + 1
			f.state = StateClosing
		}
		if f.acked[0] && f.acked[1] {
			f.state = StateClosed
		}
	}
	f.lastDir = dir
}

func (f *flowState) timeout(t *Timeouts, proto uint8) time.Duration {
	switch f.state {
	case StateEstablished:
		return t.TCPEstablished
	case StateSynSent, StateSynReceived, StateClosing:
		return t.TCPTransitory
	case StateUDPSingle:
		return t.UDP
	case StateUDPStream:
		return t.UDPStream
	case StateClosed:
		return 0
	}
	if proto == uint8(model.ProtocolICMP) || proto == uint8(model.ProtocolICMPv6) {
		return t.ICMP
	}
	return t.Other
}

func (f *flowState) alive(t *Timeouts, proto uint8, now int64) bool {
	return f.state != StateClosed && now-f.last <= int64(f.timeout(t, proto))
}

// ConnTable is the connection tracking of one network interface's security
// groups: a packet that belongs to a tracked connection passes in either
// direction whatever the rules say. Connections are keyed by 5-tuple (by
// addresses and protocol alone for protocols other than TCP, UDP and ICMP).
//
// Lookups and updates allocate nothing; opening a connection allocates only
// when the table grows. A ConnTable is not safe for concurrent use.
type ConnTable struct {
	timeouts Timeouts
	index    map[Tuple]int32
	conns    slab[tracked]
}

type tracked struct {
	key  Tuple // canonical: the lower endpoint first
	flip bool  // the connection's first packet went from the higher endpoint
	fs   flowState
}

// NewConnTable returns an empty table with room for capacity connections
// before it grows.
func NewConnTable(t Timeouts, capacity int) *ConnTable {
	return &ConnTable{timeouts: t, index: make(map[Tuple]int32, capacity), conns: newSlab[tracked](capacity)}
}

// trackTuple is the packet's tuple as connection tracking keys it: for
// protocols other than TCP, UDP and ICMP, addresses and protocol only.
func trackTuple(h *Header) Tuple {
	t := h.Tuple()
	switch h.Protocol {
	case model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolICMPv6:
	default:
		t.SrcPort, t.DstPort = 0, 0
	}
	return t
}

// trackKey is the tuple connection tracking uses, in canonical order, and
// whether h travels from the higher endpoint to the lower.
func trackKey(h *Header) (Tuple, bool) {
	t := trackTuple(h)
	if c := t.Src.Compare(t.Dst); c > 0 || (c == 0 && t.SrcPort > t.DstPort) {
		return t.Reverse(), true
	}
	return t, false
}

// Match reports whether h belongs to a live tracked connection, and if so
// advances the connection with it. A packet that ends a connection (a RST,
// the acknowledgement of the last FIN) still matches; later packets do not.
func (c *ConnTable) Match(h *Header, now time.Time) bool { return c.MatchHint(h, now, nil) }

// MatchHint is Match that remembers where the connection is in hint, and
// finds it there without a lookup on the flow's next packet. A hint belongs
// to one flow (one 5-tuple one way) at one table.
func (c *ConnTable) MatchHint(h *Header, now time.Time, hint *Hint) bool {
	var key Tuple
	var flip bool
	// A hint is per segment of the walker, which ICMP echo messages with
	// different identifiers share: the key says whether it is this flow's,
	// and which way the packet goes.
	i, ok := c.conns.at(hint)
	if ok {
		t := trackTuple(h)
		switch k := &c.conns.items[i].key; {
		case *k == t:
			key = t
		case *k == t.Reverse():
			key, flip = *k, true
		default:
			ok = false
		}
	}
	if !ok {
		key, flip = trackKey(h)
		if i, ok = c.index[key]; !ok {
			return false
		}
		c.conns.remember(hint, i)
	}
	e := &c.conns.items[i]
	ns := now.UnixNano()
	if !e.fs.alive(&c.timeouts, key.Protocol, ns) {
		c.remove(key, i)
		return false
	}
	var dir uint8
	if flip != e.flip {
		dir = 1
	}
	e.fs.update(h, dir, ns)
	if e.fs.state == StateClosed {
		c.remove(key, i)
	}
	return true
}

// Open tracks a new connection whose first packet is h, after the security
// groups allowed it. It replaces a connection of the same tuple.
func (c *ConnTable) Open(h *Header, now time.Time) { c.OpenHint(h, now, nil) }

// OpenHint is Open that remembers the connection in hint (see MatchHint).
func (c *ConnTable) OpenHint(h *Header, now time.Time, hint *Hint) {
	key, flip := trackKey(h)
	e := tracked{key: key, flip: flip}
	e.fs.start(h, now.UnixNano())
	if e.fs.state == StateClosed { // a lone RST opens nothing
		if i, ok := c.index[key]; ok {
			c.remove(key, i)
		}
		return
	}
	if i, ok := c.index[key]; ok {
		c.conns.items[i] = e
		c.conns.remember(hint, i)
		return
	}
	i := c.conns.put(e)
	c.index[key] = i
	c.conns.remember(hint, i)
}

// State returns the state of the live connection h belongs to, or
// StateNone.
func (c *ConnTable) State(h *Header, now time.Time) ConnState {
	key, _ := trackKey(h)
	i, ok := c.index[key]
	if !ok || !c.conns.items[i].fs.alive(&c.timeouts, key.Protocol, now.UnixNano()) {
		return StateNone
	}
	return c.conns.items[i].fs.state
}

func (c *ConnTable) remove(key Tuple, i int32) {
	delete(c.index, key)
	c.conns.release(i)
}

// Len is the number of connections held, live or not yet swept.
func (c *ConnTable) Len() int { return len(c.index) }

// Sweep forgets the connections idle past their timeout at now and returns
// how many it forgot. Lookups forget expired connections they meet; Sweep
// bounds the memory of connections nobody meets again.
func (c *ConnTable) Sweep(now time.Time) int {
	ns, n := now.UnixNano(), 0
	for i := range c.conns.items {
		e := &c.conns.items[i]
		if e.key.Src.IsValid() && !e.fs.alive(&c.timeouts, e.key.Protocol, ns) {
			c.remove(e.key, int32(i))
			n++
		}
	}
	return n
}

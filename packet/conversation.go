package packet

import (
	"errors"
	"fmt"
	"hash/fnv"
	"net/netip"
	"time"

	"github.com/vpcsim/vpcsim/model"
)

// Clock gives the conversation builders and the walker their time. Runs are
// reproducible because the time is simulated: nothing reads the wall clock.
type Clock interface {
	Now() time.Time
	// Sleep moves the clock on by d.
	Sleep(d time.Duration)
}

// SimClock is a simulated Clock that moves only when told to.
type SimClock struct{ t time.Time }

// NewSimClock returns a SimClock reading start.
func NewSimClock(start time.Time) *SimClock { return &SimClock{t: start} }

// Now implements Clock.
func (c *SimClock) Now() time.Time { return c.t }

// Sleep implements Clock.
func (c *SimClock) Sleep(d time.Duration) { c.t = c.t.Add(d) }

// Packet is one packet of a conversation.
type Packet struct {
	Time   time.Time
	Header Header
	// FromClient is true for packets the client (the side that opened the
	// conversation) sends.
	FromClient bool
}

// Encode builds the packet's bytes; its payload is PayloadLen zero bytes.
func (p *Packet) Encode(s *Serializer) ([]byte, error) {
	h := p.Header
	return s.Serialize(&h, zeros(h.PayloadLen))
}

var zeroBuf = make([]byte, 65536)

func zeros(n int) []byte {
	if n > len(zeroBuf) {
		n = len(zeroBuf)
	}
	return zeroBuf[:n]
}

// Teardown says how a TCP conversation ends.
type Teardown uint8

// Teardowns.
const (
	// CloseFIN closes both halves with FIN: client FIN, server FIN, client
	// ACK.
	CloseFIN Teardown = iota
	// CloseRST aborts the connection with a client RST.
	CloseRST
	// CloseNone leaves the connection open.
	CloseNone
)

// TCPOptions describe a TCP conversation.
type TCPOptions struct {
	Client, Server netip.AddrPort
	// Request and Response are the bytes the client and then the server
	// send; zero sends none.
	Request, Response int
	// MSS is the largest segment; zero means 1460 (IPv4) or 1440 (IPv6).
	MSS int
	// RTT is the round-trip time; zero means 1 ms.
	RTT      time.Duration
	Teardown Teardown
	// HandshakeOnly stops after the client's SYN when the server does not
	// answer; the conversation is then one SYN.
	HandshakeOnly bool
}

// sameDirectionGap separates back-to-back segments sent in one direction.
const sameDirectionGap = 10 * time.Microsecond

type convBuilder struct {
	clk     Clock
	rtt     time.Duration
	out     []Packet
	last    bool // direction of the last packet
	started bool
}

func (b *convBuilder) add(h Header, fromClient bool) {
	switch {
	case !b.started:
		b.started = true
	case fromClient != b.last:
		b.clk.Sleep(b.rtt / 2)
	default:
		b.clk.Sleep(sameDirectionGap)
	}
	b.last = fromClient
	if h.TTL == 0 {
		h.TTL = DefaultTTL
	}
	h.Length = headerLen(&h) + h.PayloadLen
	b.out = append(b.out, Packet{Time: b.clk.Now(), Header: h, FromClient: fromClient})
}

// headerLen is the IP and transport header size of packets vpcsim builds
// (no IP or TCP options).
func headerLen(h *Header) int {
	n := 20
	if h.Src.Is6() {
		n = 40
	}
	switch h.Protocol {
	case model.ProtocolTCP:
		n += 20
	case model.ProtocolUDP, model.ProtocolICMP, model.ProtocolICMPv6:
		n += 8
	}
	return n
}

// isn derives a deterministic initial sequence number from the endpoints.
func isn(a, b netip.AddrPort) uint32 {
	h := fnv.New32a()
	x, _ := a.MarshalBinary()
	y, _ := b.MarshalBinary()
	h.Write(x)
	h.Write(y)
	return h.Sum32()
}

func checkPair(a, b netip.Addr) error {
	if !a.IsValid() || !b.IsValid() {
		return errors.New("packet: conversation needs both addresses")
	}
	if a.Unmap().Is4() != b.Unmap().Is4() {
		return fmt.Errorf("packet: %s and %s are not of one address family", a, b)
	}
	return nil
}

// TCPConversation builds a TCP connection: the three-way handshake, the
// request and the response cut into segments (the receiver acknowledges
// every second segment and the last), and the teardown. Times come from clk,
// which ends after the last packet.
func TCPConversation(clk Clock, o TCPOptions) ([]Packet, error) {
	c, s := unmapAP(o.Client), unmapAP(o.Server)
	if err := checkPair(c.Addr(), s.Addr()); err != nil {
		return nil, err
	}
	mss := o.MSS
	if mss <= 0 {
		mss = 1460
		if c.Addr().Is6() {
			mss = 1440
		}
	}
	rtt := o.RTT
	if rtt <= 0 {
		rtt = time.Millisecond
	}
	b := &convBuilder{clk: clk, rtt: rtt}
	cseq, sseq := isn(c, s), isn(s, c)
	seg := func(fromClient bool, f TCPFlags, n int) {
		h := Header{Protocol: model.ProtocolTCP, Flags: f, Window: 65535, PayloadLen: n}
		if fromClient {
			h.Src, h.Dst, h.SrcPort, h.DstPort = c.Addr(), s.Addr(), c.Port(), s.Port()
			h.Seq, h.Ack = cseq, sseq
			cseq += uint32(n)
			if f.Has(SYN) || f.Has(FIN) {
				cseq++
			}
		} else {
			h.Src, h.Dst, h.SrcPort, h.DstPort = s.Addr(), c.Addr(), s.Port(), c.Port()
			h.Seq, h.Ack = sseq, cseq
			sseq += uint32(n)
			if f.Has(SYN) || f.Has(FIN) {
				sseq++
			}
		}
		if !f.Has(ACK) {
			h.Ack = 0
		}
		b.add(h, fromClient)
	}
	seg(true, SYN, 0)
	if o.HandshakeOnly {
		return b.out, nil
	}
	seg(false, SYN|ACK, 0)
	seg(true, ACK, 0)
	send := func(fromClient bool, total int) {
		for i, off := 0, 0; off < total; i++ {
			n := min(mss, total-off)
			off += n
			f := ACK
			if off == total {
				f |= PSH
			}
			seg(fromClient, f, n)
			if i%2 == 1 || off == total {
				seg(!fromClient, ACK, 0)
			}
		}
	}
	send(true, o.Request)
	send(false, o.Response)
	switch o.Teardown {
	case CloseFIN:
		seg(true, FIN|ACK, 0)
		seg(false, FIN|ACK, 0)
		seg(true, ACK, 0)
	case CloseRST:
		seg(true, RST|ACK, 0)
	}
	return b.out, nil
}

// UDPOptions describe a UDP exchange: Requests datagrams from the client,
// each answered by one from the server unless Unanswered.
type UDPOptions struct {
	Client, Server netip.AddrPort
	// Requests is the number of request datagrams; zero means one.
	Requests                  int
	RequestSize, ResponseSize int
	Unanswered                bool
	// RTT is the round-trip time (zero means 1 ms); Interval separates one
	// request from the next reply's successor (zero means 1 s).
	RTT, Interval time.Duration
}

// UDPExchange builds a UDP request/response exchange.
func UDPExchange(clk Clock, o UDPOptions) ([]Packet, error) {
	c, s := unmapAP(o.Client), unmapAP(o.Server)
	if err := checkPair(c.Addr(), s.Addr()); err != nil {
		return nil, err
	}
	n := max(o.Requests, 1)
	rtt := cmpOr(o.RTT, time.Millisecond)
	gap := cmpOr(o.Interval, time.Second)
	b := &convBuilder{clk: clk, rtt: rtt}
	for i := range n {
		if i > 0 {
			clk.Sleep(gap)
			b.started = false
		}
		b.add(Header{Protocol: model.ProtocolUDP, Src: c.Addr(), Dst: s.Addr(), SrcPort: c.Port(), DstPort: s.Port(), PayloadLen: o.RequestSize}, true)
		if !o.Unanswered {
			b.add(Header{Protocol: model.ProtocolUDP, Src: s.Addr(), Dst: c.Addr(), SrcPort: s.Port(), DstPort: c.Port(), PayloadLen: o.ResponseSize}, false)
		}
	}
	return b.out, nil
}

// PingOptions describe a ping: Count echo requests (ICMP for IPv4, ICMPv6
// for IPv6), each answered unless Unanswered.
type PingOptions struct {
	Src, Dst netip.Addr
	// Count is the number of requests; zero means one.
	Count int
	// ID is the echo identifier; Size the data bytes (zero means 56, the
	// ping default, which makes 84-byte IPv4 packets).
	ID         uint16
	Size       int
	Unanswered bool
	// RTT (zero: 1 ms) and Interval between requests (zero: 1 s).
	RTT, Interval time.Duration
}

// Ping builds an echo exchange.
func Ping(clk Clock, o PingOptions) ([]Packet, error) {
	src, dst := o.Src.Unmap(), o.Dst.Unmap()
	if err := checkPair(src, dst); err != nil {
		return nil, err
	}
	size := o.Size
	if size == 0 {
		size = 56
	}
	proto, req, rep := model.ProtocolICMP, uint8(icmpEchoRequest), uint8(icmpEchoReply)
	if src.Is6() {
		proto, req, rep = model.ProtocolICMPv6, icmp6EchoRequest, icmp6EchoReply
	}
	rtt := cmpOr(o.RTT, time.Millisecond)
	gap := cmpOr(o.Interval, time.Second)
	b := &convBuilder{clk: clk, rtt: rtt}
	for i := range max(o.Count, 1) {
		if i > 0 {
			clk.Sleep(gap)
			b.started = false
		}
		seq := uint16(i + 1)
		b.add(Header{Protocol: proto, Src: src, Dst: dst, ICMPType: req, ICMPID: o.ID, ICMPSeq: seq, PayloadLen: size}, true)
		if !o.Unanswered {
			b.add(Header{Protocol: proto, Src: dst, Dst: src, ICMPType: rep, ICMPID: o.ID, ICMPSeq: seq, PayloadLen: size}, false)
		}
	}
	return b.out, nil
}

func unmapAP(a netip.AddrPort) netip.AddrPort { return netip.AddrPortFrom(a.Addr().Unmap(), a.Port()) }

func cmpOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

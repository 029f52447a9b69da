package packet

import (
	"cmp"
	"fmt"
	"net/netip"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// Conversation describes the packets of one conversation between a client
// and a server, as the client sees them.
type Conversation struct {
	Protocol               model.Protocol
	Client, Server         netip.Addr
	ClientPort, ServerPort uint16
	// ICMPType and ICMPCode select the ICMP message; a negative type means
	// an echo request (ping).
	ICMPType, ICMPCode int
	// Request and Response are the bytes each side sends (TCP, UDP, and
	// the echo data of a ping); zero picks 200 and 1000 (56 for a ping).
	Request, Response int
	// Count is the number of echo requests or UDP requests; zero means one.
	Count    int
	Teardown Teardown
	// RTT is the round-trip time; zero means 1 ms.
	RTT time.Duration
}

// Packets builds the conversation's packets on clk: a TCP connection
// (handshake, request, response, teardown), a UDP exchange, a ping, an ICMP
// message and its answer, or one packet each way for other protocols.
func (c Conversation) Packets(clk Clock) ([]Packet, error) {
	req, resp := c.Request, c.Response
	if req == 0 {
		req = 200
	}
	if resp == 0 {
		resp = 1000
	}
	cl, sv := netip.AddrPortFrom(c.Client, c.ClientPort), netip.AddrPortFrom(c.Server, c.ServerPort)
	switch p := c.Protocol; {
	case p == model.ProtocolTCP:
		return TCPConversation(clk, TCPOptions{Client: cl, Server: sv, Request: req, Response: resp, Teardown: c.Teardown, RTT: c.RTT})
	case p == model.ProtocolUDP:
		return UDPExchange(clk, UDPOptions{Client: cl, Server: sv, Requests: c.Count, RequestSize: req, ResponseSize: resp, RTT: c.RTT})
	case p.IsICMP() && c.ICMPType < 0:
		return Ping(clk, PingOptions{Src: c.Client, Dst: c.Server, Count: c.Count, Size: c.Request, RTT: c.RTT, ID: c.ClientPort})
	case p.IsICMP():
		if c.Client.Is4() != (p == model.ProtocolICMP) {
			return nil, fmt.Errorf("packet: %s between %s and %s", p, c.Client, c.Server)
		}
		return exchange(clk, c, func(h *Header, fromClient bool) {
			h.ICMPType, h.ICMPCode = uint8(c.ICMPType), uint8(c.ICMPCode)
			if !fromClient {
				h.ICMPType = icmpAnswer(p, h.ICMPType)
			}
		})
	case p == model.ProtocolAll:
		return nil, fmt.Errorf("packet: a conversation needs one protocol, not all")
	}
	return exchange(clk, c, func(*Header, bool) {})
}

// icmpAnswer is the type answering an ICMP request type (RFC 792, RFC 4443):
// echo, timestamp, information and address mask requests; other messages
// are answered in kind.
func icmpAnswer(p model.Protocol, t uint8) uint8 {
	pairs := map[uint8]uint8{8: 0, 13: 14, 15: 16, 17: 18}
	if p == model.ProtocolICMPv6 {
		pairs = map[uint8]uint8{128: 129}
	}
	if a, ok := pairs[t]; ok {
		return a
	}
	return t
}

// exchange is one packet each way.
func exchange(clk Clock, c Conversation, set func(*Header, bool)) ([]Packet, error) {
	if err := checkPair(c.Client, c.Server); err != nil {
		return nil, err
	}
	b := &convBuilder{clk: clk, rtt: cmpOr(c.RTT, time.Millisecond)}
	for _, fromClient := range []bool{true, false} {
		h := Header{Protocol: c.Protocol, Src: c.Client, Dst: c.Server, PayloadLen: 20}
		if !fromClient {
			h.Src, h.Dst = c.Server, c.Client
		}
		set(&h, fromClient)
		b.add(h, fromClient)
	}
	return b.out, nil
}

// End is where a conversation's packets must arrive: a network interface
// (by ID), the internet, or an on-premises network (by VPN connection).
type End struct {
	Kind string // a reach.Endpoint kind
	ID   string
	// Name is what the user named, for messages.
	Name string
	// Owner is, for an end that stands for several interfaces (a load
	// balancer's nodes, an Auto Scaling group's instances), what owns
	// them: a packet arrives at the end when it arrives at any of them,
	// or (a load balancer) when the load balancer forwarded it to a
	// target.
	Owner string
	owned map[string]bool
	// Target is, for a conversation with a target through a load
	// balancer (ConversationVia), the target's interface: the client's
	// packets must be forwarded to it (a Network Load Balancer) or the
	// connection the proxy's node opens for them must reach it and be
	// answered (an Application or Classic Load Balancer).
	Target string
}

// EndOf is where packets to the endpoint must arrive.
func EndOf(ep *reach.Endpoint) End {
	e := End{Kind: ep.Kind, Name: ep.Input}
	if ep.Component != nil {
		e.ID = ep.Component.ID
	}
	if ep.Owner != nil {
		e.Owner = ep.Owner.ID
	}
	return e
}

// endIn is EndOf knowing the network: the interfaces the end's owner owns.
func endIn(n *model.Network, ep *reach.Endpoint) End {
	e := EndOf(ep)
	if e.Owner == "" {
		return e
	}
	e.owned = map[string]bool{}
	for _, x := range n.Interfaces {
		if x.OwnerID == e.Owner || x.ID == e.ID {
			e.owned[x.ID] = true
		}
	}
	return e
}

// reached reports whether a packet with fate f arrived at e; backend is
// what became of the connection a proxy's node opened for it.
func (e End) reached(f *Fate, backend [2]Fate) bool {
	c := f.At.Component()
	if e.Target != "" {
		switch {
		case f.Outcome != Delivered || f.Via == nil:
			return false
		case f.Via.Type.Proxies():
			req, ans := backend[0], backend[1]
			return req.Outcome == Delivered && req.At.Component().ID == e.Target && ans.Outcome == Delivered
		}
		return c.ID == e.Target
	}
	switch e.Kind {
	case reach.EndpointInterface, reach.EndpointLoadBalancer:
		if f.Outcome != Delivered {
			return false
		}
		if e.Kind == reach.EndpointLoadBalancer && f.Via != nil && (f.Via.LoadBalancer.ID == e.Owner || f.Via.LoadBalancer.ID == e.ID) {
			return true
		}
		return c.Kind == "network-interface" && (c.ID == e.ID || e.owned[c.ID])
	case reach.EndpointInternet:
		return f.Outcome == Left && (c.Kind == "internet" || c.Kind == "aws-service")
	case reach.EndpointOnPrem:
		return f.Outcome == Left && c.Kind == "on-premises" && c.ID == e.ID
	}
	return false
}

// Walked is one packet of a conversation and what became of it.
type Walked struct {
	Packet
	// Arrived is the packet as it ended (translated), Fate its fate.
	Arrived Header
	Fate    Fate
}

// Exchange is a conversation walked through the network.
type Exchange struct {
	Packets []Walked
	// Complete is set when every packet arrived where it must: the client's
	// at the server, the server's back at the client.
	Complete bool
	// Failed is the index of the first packet that did not (-1 when none);
	// the conversation stops there. Leg is its direction and Code why: its
	// fate's code, DESTINATION_NOT_REACHED when it arrived at another
	// interface than the server, RETURN_PATH_MISMATCH when the reply did.
	Failed int
	Leg    reach.Leg
	Code   reach.Code
}

// Dialog walks a conversation's packets one at a time, so that the packets
// of many conversations can be interleaved in time: the client's set off
// from start, the server's from where the client's arrived, as replies. It
// stops at the first packet that does not arrive where it must: the rest of
// a real conversation would not be sent.
type Dialog struct {
	pkts           []Packet
	start          reach.Position
	client, server End
	next           int
	delay          time.Duration
	// Failed, Leg and Code are as Exchange's once a packet failed.
	Failed int
	Leg    reach.Leg
	Code   reach.Code
}

// NewDialog starts a dialog of pkts.
func NewDialog(pkts []Packet, start reach.Position, client, server End) *Dialog {
	return &Dialog{pkts: pkts, start: start, client: client, server: server, Failed: -1}
}

// Next is the time of the next packet, and false when the dialog is over
// (every packet sent, or one failed).
func (d *Dialog) Next() (time.Time, bool) {
	if d.Failed >= 0 || d.next >= len(d.pkts) {
		return time.Time{}, false
	}
	return d.pkts[d.next].Time.Add(d.delay), true
}

// Complete reports whether every packet arrived where it must.
func (d *Dialog) Complete() bool { return d.Failed < 0 && d.next == len(d.pkts) && len(d.pkts) > 0 }

// Index is the index of the packet Step sends next.
func (d *Dialog) Index() int { return d.next }

// Retry sends the packet that failed again after wait (a client
// retransmitting its SYN), with the rest of the dialog shifted as late.
func (d *Dialog) Retry(wait time.Duration) {
	if d.Failed >= 0 {
		d.next, d.Failed, d.Leg, d.Code = d.Failed, -1, 0, ""
		d.delay += wait
	}
}

// Step sends the next packet through r and returns it with its fate; h
// holds it as it ended.
func (d *Dialog) Step(r *Replayer, h *Header) (p *Packet, f Fate) {
	p = &d.pkts[d.next]
	*h = p.Header
	t := p.Time.Add(d.delay)
	if p.FromClient {
		f = r.SendFrom(d.start, h, t)
	} else {
		f = r.Send(h, t)
	}
	want, leg, wrong := d.server, reach.LegForward, reach.CodeDestinationNotReached
	if !p.FromClient {
		want, leg, wrong = d.client, reach.LegReturn, reach.CodeReturnWrongPath
	}
	var backend [2]Fate
	if p.FromClient {
		backend[0], backend[1] = r.w.Backend()
	}
	if !want.reached(&f, backend) {
		d.Failed, d.Leg, d.Code = d.next, leg, f.Code
		if f.Outcome == Delivered || f.Outcome == Left {
			d.Code = wrong
		}
	}
	d.next++
	return p, f
}

// Converse walks a conversation's packets through the replayer in order
// (see Dialog) and says what became of each.
func Converse(r *Replayer, start reach.Position, pkts []Packet, client, server End) Exchange {
	d := NewDialog(pkts, start, client, server)
	var x Exchange
	for {
		if _, ok := d.Next(); !ok {
			break
		}
		var h Header
		p, f := d.Step(r, &h)
		x.Packets = append(x.Packets, Walked{Packet: *p, Arrived: h, Fate: f})
	}
	x.Complete, x.Failed, x.Leg, x.Code = d.Complete(), d.Failed, d.Leg, d.Code
	return x
}

// ConversationFor builds the conversation of a trace query between its two
// ends, resolved as Trace resolves them: the addresses the ends name (for
// the internet as a whole, one host: 198.51.100.7 or 2001:db8::7 unless
// the network uses them), the query's protocol, its destination port (the
// first of a range) and source port (the first of the ephemeral range given,
// else 49152). It returns the position the client sends from and where each
// side's packets must arrive.
func ConversationFor(e *reach.Engine, q reach.Query) (c Conversation, start reach.Position, client, server End, err error) {
	src, dst, err := e.Ends(q)
	if err != nil {
		return c, start, client, server, err
	}
	c = Conversation{Protocol: q.Protocol, Client: pickAddr(src), Server: pickAddr(dst), ICMPType: -1}
	if !c.Client.IsValid() || !c.Server.IsValid() {
		return c, start, client, server, fmt.Errorf("no single address for the ends (%s, %s)", src.Input, dst.Input)
	}
	switch {
	case q.Protocol.HasPorts():
		c.ClientPort = 49152
		eph := q.Ephemeral
		if eph == (model.PortRange{}) {
			eph = model.DefaultEphemeral
		}
		if !eph.Contains(c.ClientPort) {
			c.ClientPort = eph.First
		}
		if q.SrcPort != nil {
			c.ClientPort = q.SrcPort.First
		}
		if q.Port == nil {
			return c, start, client, server, fmt.Errorf("a conversation needs a destination port (--port)")
		}
		c.ServerPort = q.Port.First
	case q.Protocol.IsICMP() && q.ICMP != nil:
		if t, ok := q.ICMP.Type(); ok && !(t == 8 && q.Protocol == model.ProtocolICMP || t == 128 && q.Protocol == model.ProtocolICMPv6) {
			c.ICMPType = int(t)
			if code, ok := q.ICMP.Code(); ok {
				c.ICMPCode = int(code)
			}
		}
	}
	switch src.Kind {
	case reach.EndpointInterface, reach.EndpointOnPrem, reach.EndpointLoadBalancer:
		// The interface owning the client's address sends: of an end
		// standing for several (an Auto Scaling group's), the one whose
		// address was picked.
		if start, err = e.StartAt(c.Client.String()); err != nil || start.Component().Kind != reach.EndpointInterface {
			start, err = e.StartAt(src.Input)
		}
	default:
		start, err = e.StartAt(c.Client.String())
	}
	n := e.Network()
	return c, start, endIn(n, src), endIn(n, dst), err
}

// Representative internet hosts: documentation addresses (RFC 5737, RFC
// 3849), which no real host uses.
var (
	internetHost4 = netip.MustParseAddr("198.51.100.7")
	internetHost6 = netip.MustParseAddr("2001:db8::7")
)

// pickAddr is the one address an end stands for: its address, or for the
// internet as a whole a representative host among its ranges.
func pickAddr(ep *reach.Endpoint) netip.Addr {
	if len(ep.Addresses) == 0 {
		return netip.Addr{}
	}
	if r := ep.Addresses[0]; len(ep.Addresses) == 1 && r.From == r.To {
		return r.From
	}
	for _, h := range []netip.Addr{internetHost4, internetHost6} {
		for _, r := range ep.Addresses {
			if r.From.BitLen() == h.BitLen() && r.From.Compare(h) <= 0 && h.Compare(r.To) <= 0 {
				return h
			}
		}
	}
	a := ep.Addresses[0].From
	for range 7 {
		if n := a.Next(); n.IsValid() && n.Compare(ep.Addresses[0].To) <= 0 {
			a = n
		}
	}
	return a
}

// ConversationVia builds the conversation of a trace query whose
// destination the client reaches only through a load balancer (a leg of
// the trace's LoadBalancing): the client talks to the load balancer's
// listener, and the load balancer must carry it on to the leg's target. A
// load balancer keeps each flow on one target, picked by a hash of its
// addresses and ports, so the client's port is the first from the query's
// (up to 256 further) whose connection the load balancer sends to that
// target; when none does, the first, which fails where it fails.
func ConversationVia(e *reach.Engine, q reach.Query, leg reach.LoadBalancerLeg) (c Conversation, start reach.Position, client, server End, err error) {
	lq := q
	lq.To, lq.ToAddr = cmp.Or(leg.LoadBalancer.Address, leg.LoadBalancer.ID), ""
	port := model.Port(leg.Port)
	lq.Port = &port
	if c, start, client, server, err = ConversationFor(e, lq); err != nil {
		return c, start, client, server, err
	}
	for _, x := range e.Network().Interfaces {
		if x.Owns(leg.TargetAddress) {
			server.Target = x.ID
			break
		}
	}
	if server.Target == "" || !c.Protocol.HasPorts() {
		return c, start, client, server, nil
	}
	first := c.ClientPort
	for i := range 257 {
		c.ClientPort = first + uint16(i)
		if c.ClientPort < first {
			break
		}
		pkts, perr := c.Packets(NewSimClock(time.Unix(1700000000, 0)))
		if perr != nil || len(pkts) == 0 {
			break
		}
		w := NewWalker(e, nil, DefaultTimeouts)
		h := pkts[0].Header
		f := w.Walk(start, &h, false, pkts[0].Time)
		var backend [2]Fate
		backend[0], backend[1] = w.Backend()
		if server.reached(&f, backend) {
			return c, start, client, server, nil
		}
	}
	c.ClientPort = first
	return c, start, client, server, nil
}

// ViaLoadBalancer is, for a trace query whose destination the client does
// not reach directly but through a load balancer (Trace answers it by
// its load-balancing legs, VIA_LOAD_BALANCER), the first such way that
// passes; false when the destination is reached directly or not at all.
func ViaLoadBalancer(e *reach.Engine, q reach.Query) (reach.LoadBalancerLeg, bool, error) {
	res, err := e.Trace(q)
	if err != nil {
		return reach.LoadBalancerLeg{}, false, err
	}
	if res.To == nil || res.To.Kind != reach.EndpointInterface {
		return reach.LoadBalancerLeg{}, false, nil
	}
	via := false
	for _, ex := range res.Explanations {
		via = via || ex.Code == reach.CodeViaLoadBalancer
	}
	for _, l := range res.LoadBalancing {
		if via && l.Verdict.Passes() {
			return l, true, nil
		}
	}
	return reach.LoadBalancerLeg{}, false, nil
}

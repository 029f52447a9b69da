package packet

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// A capture (or a generated conversation) shows packets as they were at one
// place, the vantage point: a client's requests and the replies it got back.
// The Replayer turns each into a walk: a request sets off from where its
// source is; a reply sets off from where its request arrived, as it is
// there (before the translations the request went through are undone), and
// is walked as a reply (reach.Engine.Step's reply bit: a NAT gateway
// translates it back, an egress-only gateway lets it in). It tells requests
// from replies by a table of conversations — the 5-tuple of the first
// packet as seen at the vantage point, as it set off and as it arrived —
// which lives as long as connection tracking would keep it.

// VantageKind says where a capture was taken.
type VantageKind uint8

// Vantage kinds.
const (
	// VantageAuto: every packet that starts a conversation sets off from
	// the element that owns its source address.
	VantageAuto VantageKind = iota
	// VantageInternet: the capture was taken on the internet: packets that
	// start a conversation come from hosts there.
	VantageInternet
	// VantageInterface: the capture was taken at one network interface.
	VantageInterface
	// VantageSubnet: the capture was taken in one subnet.
	VantageSubnet
)

// Vantage is where a capture was taken. A packet whose source is at the
// vantage point sets off from there; a packet that answers one is walked
// back from where that one arrived; any other packet arrives at the vantage
// point from the element that owns its source — from the internet to the
// public address that the private address it shows maps to.
type Vantage struct {
	Kind VantageKind
	// Iface is the interface (VantageInterface); Subnet the subnet
	// (VantageSubnet).
	Iface  *model.NetworkInterface
	Subnet *model.Subnet
}

func (v Vantage) String() string {
	switch v.Kind {
	case VantageInternet:
		return "internet"
	case VantageInterface:
		return v.Iface.Label()
	case VantageSubnet:
		return v.Subnet.Label()
	}
	return "auto"
}

// ParseVantage reads where a capture was taken: "auto" or "" (where each
// packet's source is), "internet", a network interface (an instance,
// interface, NAT gateway or endpoint by Terraform address, ID or address)
// or a subnet (by Terraform address or ID).
func ParseVantage(e *reach.Engine, s string) (Vantage, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "auto":
		return Vantage{}, nil
	case "internet":
		return Vantage{Kind: VantageInternet}, nil
	}
	n := e.Network()
	for _, sub := range n.Subnets {
		if sub.ID == s || sub.Address == s {
			return Vantage{Kind: VantageSubnet, Subnet: sub}, nil
		}
	}
	src, _, err := e.Ends(reach.Query{From: s, To: "internet"})
	if err != nil {
		return Vantage{}, fmt.Errorf("--at %s: not internet, a subnet or a network interface of the network: %w", s, err)
	}
	if src.Kind != reach.EndpointInterface {
		return Vantage{}, fmt.Errorf("--at %s: not internet, a subnet or a network interface of the network", s)
	}
	for _, x := range n.Interfaces {
		if x.ID == src.Component.ID {
			return Vantage{Kind: VantageInterface, Iface: x}, nil
		}
	}
	return Vantage{}, fmt.Errorf("--at %s: no such network interface", s)
}

// Why a packet is Unplaced (Fate.Code).
const (
	// CodeNoSender: no element of the network sends from the packet's
	// source address (an address of the network no interface uses).
	CodeNoSender = reach.CodeAddressUnused
	// CodeRequestLost: the packet answers a request that never arrived, so
	// nothing sends it.
	CodeRequestLost = reach.CodeDestinationNotReached
)

type conversation struct {
	// v is the first packet's tuple as seen at the vantage point, s as it
	// set off from start, e as it arrived at end (when it did).
	v, s, e    Tuple
	start, end reach.Position
	arrived    bool
	fs         flowState
}

// Replayer walks the packets of captures and conversations through a
// Walker, deciding where each sets off and whether it is a reply. It is not
// safe for concurrent use.
type Replayer struct {
	w     *Walker
	v     Vantage
	convs slab[conversation]
	// byV finds a conversation by its first packet's tuple at the vantage
	// point; byVRev by the reverse (a reply as seen there); byERev by the
	// reverse of the tuple as it arrived (a reply as its sender sent it).
	byV, byVRev, byERev map[Tuple]int32
	starts              map[netip.Addr]startOf
	// OnSend, when set, sees each packet as it sets off from its sender
	// (placed, and a reply as its sender sends it), before the walk: what a
	// capture at the senders shows, which replays through a Replayer to the
	// same fates.
	OnSend  func(t time.Time, h *Header)
	public  map[netip.Addr]netip.Addr // private address -> its public address
	private map[netip.Addr]netip.Addr // public address -> the private one it maps to
}

type startOf struct {
	pos  reach.Position
	kind string // the kind of component it sets off from (internet, network-interface, on-premises)
	err  bool
}

// NewReplayer returns a Replayer walking packets seen at v through w.
func NewReplayer(w *Walker, v Vantage) *Replayer {
	r := &Replayer{w: w, v: v, convs: newSlab[conversation](64), byV: map[Tuple]int32{}, byVRev: map[Tuple]int32{}, byERev: map[Tuple]int32{},
		starts: map[netip.Addr]startOf{}, public: map[netip.Addr]netip.Addr{}, private: map[netip.Addr]netip.Addr{}}
	n := w.e.Network()
	for _, x := range n.Interfaces {
		for _, p := range x.PublicIPs {
			if _, ok := r.public[p.Private]; !ok {
				r.public[p.Private] = p.Public
			}
			r.private[p.Public] = p.Private
		}
	}
	for _, eip := range n.ElasticIPs {
		if eip.PublicIP.IsValid() && eip.PrivateIP.IsValid() {
			if _, ok := r.public[eip.PrivateIP]; !ok {
				r.public[eip.PrivateIP] = eip.PublicIP
			}
			r.private[eip.PublicIP] = eip.PrivateIP
		}
	}
	return r
}

// Walker is the walker the replayer drives.
func (r *Replayer) Walker() *Walker { return r.w }

// Send walks one packet seen at the vantage point at time now and returns
// its fate; h is translated in place (it ends as it arrived).
func (r *Replayer) Send(h *Header, now time.Time) Fate {
	return r.SendFrom(reach.Position{}, h, now)
}

// SendFrom is Send for a packet whose sender is known: when it starts a
// conversation, it sets off from start (when start is valid) instead of
// from the element owning its source address.
func (r *Replayer) SendFrom(start reach.Position, h *Header, now time.Time) Fate {
	t := h.Tuple()
	ns := now.UnixNano()
	if i, ok := r.live(r.byV, t, ns); ok {
		c := &r.convs.items[i]
		c.fs.update(h, 0, ns)
		setTuple(h, c.s)
		r.sent(now, h)
		f := r.w.Walk(c.start, h, false, now)
		r.arrive(i, &f, h)
		r.closeIfDone(i)
		return f
	}
	if i, ok := r.live(r.byVRev, t, ns); ok {
		c := &r.convs.items[i]
		if !c.arrived {
			return Fate{Outcome: Unplaced, Code: CodeRequestLost, Iface: -1, Reply: true}
		}
		c.fs.update(h, 1, ns)
		setTuple(h, c.e.Reverse())
		r.sent(now, h)
		f := r.w.Walk(c.end, h, true, now)
		r.closeIfDone(i)
		return f
	}
	if i, ok := r.live(r.byERev, t, ns); ok {
		c := &r.convs.items[i]
		c.fs.update(h, 1, ns)
		r.sent(now, h)
		f := r.w.Walk(c.end, h, true, now)
		r.closeIfDone(i)
		return f
	}
	// A new conversation.
	v := t
	if !start.Valid() {
		var ok bool
		if start, ok = r.place(h); !ok {
			return Fate{Outcome: Unplaced, Code: CodeNoSender, Iface: -1}
		}
	}
	c := conversation{v: v, s: h.Tuple(), start: start}
	c.fs.start(h, ns)
	i := r.convs.put(c)
	r.byV[v], r.byVRev[v.Reverse()] = i, i
	r.sent(now, h)
	f := r.w.Walk(start, h, false, now)
	r.arrive(i, &f, h)
	r.closeIfDone(i)
	return f
}

func (r *Replayer) sent(t time.Time, h *Header) {
	if r.OnSend != nil {
		r.OnSend(t, h)
	}
}

// live looks t up in m, forgetting the conversation when it is over.
func (r *Replayer) live(m map[Tuple]int32, t Tuple, ns int64) (int32, bool) {
	i, ok := m[t]
	if !ok {
		return 0, false
	}
	if !r.convs.items[i].fs.alive(&r.w.timeouts, t.Protocol, ns) {
		r.forget(i)
		return 0, false
	}
	return i, true
}

// arrive notes where a conversation's request arrived: its replies set off
// from there.
func (r *Replayer) arrive(i int32, f *Fate, h *Header) {
	if f.Outcome != Delivered && f.Outcome != Left {
		return
	}
	c := &r.convs.items[i]
	e := h.Tuple()
	if c.arrived && c.e == e {
		return
	}
	if c.arrived {
		delete(r.byERev, c.e.Reverse())
	}
	// A reply starts afresh where the request arrived (no hops taken).
	c.end, _ = r.w.e.PositionOf(f.At.ID())
	if f.Via != nil && !f.Via.Type.Proxies() {
		// A Network Load Balancer that kept the client's address takes
		// the target's replies back whatever its routes say.
		c.end = r.w.e.ReturnThrough(c.end, f.lb-1)
	}
	c.e, c.arrived = e, true
	r.byERev[e.Reverse()] = i
}

func (r *Replayer) closeIfDone(i int32) {
	if r.convs.items[i].fs.state == StateClosed {
		r.forget(i)
	}
}

func (r *Replayer) forget(i int32) {
	c := &r.convs.items[i]
	if j, ok := r.byV[c.v]; ok && j == i {
		delete(r.byV, c.v)
	}
	if j, ok := r.byVRev[c.v.Reverse()]; ok && j == i {
		delete(r.byVRev, c.v.Reverse())
	}
	if c.arrived {
		if j, ok := r.byERev[c.e.Reverse()]; ok && j == i {
			delete(r.byERev, c.e.Reverse())
		}
	}
	*c = conversation{}
	r.convs.release(i)
}

// Sweep forgets conversations, connections and NAT sessions idle at now.
func (r *Replayer) Sweep(now time.Time) {
	ns := now.UnixNano()
	for i := range r.convs.items {
		c := &r.convs.items[i]
		if c.v.Src.IsValid() && !c.fs.alive(&r.w.timeouts, c.v.Protocol, ns) {
			r.forget(int32(i))
		}
	}
	r.w.Sweep(now)
}

// place decides where a packet that starts a conversation sets off, and
// rewrites what the vantage point shows of it into what its sender sent.
func (r *Replayer) place(h *Header) (reach.Position, bool) {
	atVantage := true
	switch r.v.Kind {
	case VantageInternet:
		atVantage = r.sender(h.Src).kind == reach.EndpointInternet
	case VantageInterface:
		atVantage = r.v.Iface.Owns(h.Src) || r.private[h.Src].IsValid() && r.v.Iface.Owns(r.private[h.Src])
	case VantageSubnet:
		atVantage = r.v.Subnet.Contains(h.Src) || r.private[h.Src].IsValid() && r.v.Subnet.Contains(r.private[h.Src])
	}
	// A public address of an interface is what the internet gateway made of
	// its private one: the packet left the interface from that.
	if priv, ok := r.private[h.Src]; ok {
		h.Src = priv
	}
	s := r.sender(h.Src)
	if s.err {
		return reach.Position{}, false
	}
	if !atVantage && s.kind == reach.EndpointInternet {
		// It crossed the internet gateway on its way to the vantage point,
		// which translated the public destination to the private one shown.
		if pub, ok := r.public[h.Dst]; ok {
			h.Dst = pub
		}
	}
	return s.pos, true
}

// sender is where packets from address a set off.
func (r *Replayer) sender(a netip.Addr) startOf {
	if s, ok := r.starts[a]; ok {
		return s
	}
	var s startOf
	pos, err := r.w.e.StartAt(a.String())
	s.pos, s.err, s.kind = pos, err != nil, reach.EndpointInterface
	if err == nil {
		s.kind = pos.Component().Kind
	}
	r.starts[a] = s
	return s
}

// setTuple gives h the addresses and ports (or echo identifier) of t.
func setTuple(h *Header, t Tuple) {
	h.Src, h.Dst = t.Src, t.Dst
	switch {
	case h.Protocol == model.ProtocolTCP || h.Protocol == model.ProtocolUDP:
		h.SrcPort, h.DstPort = t.SrcPort, t.DstPort
	case h.HasICMPID():
		h.ICMPID = t.SrcPort
	}
}

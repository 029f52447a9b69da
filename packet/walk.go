package packet

import (
	"net/netip"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// The walker's boundary with reach. Network is everything the walker asks of
// the data plane; reach implements it (an adapter over its per-packet
// decision API), tests implement it with small fakes. The walker owns only
// the state AWS keeps per packet stream — connection tracking per
// interface and NAT gateway sessions — and never matches a rule itself.

// Node is an element of the data plane (interface, subnet, gateway, peering
// connection, transit gateway, outside world) in the Network's own
// numbering: opaque to the walker.
type Node int32

// IfaceID names a network interface: the walker keys connection tracking
// by it, and flow log events carry it (flowlog.Event.Interface).
type IfaceID int32

// NATID names a NAT gateway: the walker keeps one session table per NATID.
type NATID int32

// RuleID names a security group rule, network ACL rule or route in the
// Network's numbering; Network.Rule describes it. NoRule when none decided.
type RuleID int32

// NoRule is the RuleID of a decision no rule made.
const NoRule RuleID = -1

// EventKind says what a step Event is.
type EventKind uint8

// Event kinds.
const (
	// Observe: the packet crosses interface Iface in direction Dir, as it is
	// now; the Filter events after it for the same interface decide the
	// action of its flow log record.
	Observe EventKind = iota + 1
	// Filter: a security group or network ACL decision.
	Filter
	// Translate: the packet's addresses change.
	Translate
)

// FilterKind is the kind of a Filter event.
type FilterKind uint8

// Filter kinds.
const (
	// SecurityGroup filters are stateful: a packet of a connection the
	// interface tracks passes whatever Verdict says.
	SecurityGroup FilterKind = iota + 1
	// NetworkACL filters are stateless: Verdict stands.
	NetworkACL
)

// TranslateKind is the kind of a Translate event.
type TranslateKind uint8

// Translation kinds.
const (
	// StaticNAT rewrites the source and/or destination to Src and Dst (an
	// internet gateway's 1:1 mapping between a public and a private
	// address); an invalid address leaves that side unchanged.
	StaticNAT TranslateKind = iota + 1
	// NATSource is a NAT gateway translating a packet from inside: the
	// walker's session table for NAT picks the address and port.
	NATSource
	// NATReverse is a packet addressed to a NAT gateway's own address: the
	// walker's session table translates it back, or it is dropped.
	NATReverse
)

// Event is one thing that happens to a packet in a step, in order.
type Event struct {
	Kind EventKind
	// Iface is the interface observed (Observe), or whose flow log records
	// the decision (Filter).
	Iface IfaceID
	// Dir is relative to Iface: ingress into it, egress out of it.
	Dir model.Direction
	// Path is the flow log traffic-path of an egress Observe (flowlog.Path…),
	// zero when none applies.
	Path uint8
	// PktSrcService and PktDstService name the AWS service owning the
	// packet's source or destination (Observe; for flow log version 5).
	PktSrcService, PktDstService string

	Filter  FilterKind
	Allowed bool
	// Untracked marks a security group decision AWS does not track (both
	// directions open to all addresses and ports for TCP or UDP): the
	// walker opens no connection for it.
	Untracked bool
	// Rule decided the filter; Code explains a deny (ENI_SG_RULES_MISMATCH,
	// SUBNET_ACL_RESTRICTION, …) with Trace's codes.
	Rule RuleID
	Code reach.Code

	Translate TranslateKind
	NAT       NATID
	Src, Dst  netip.Addr
}

// Outcome is how a step, and a walk, ends.
type Outcome uint8

// Outcomes.
const (
	// Forward: the packet moves on to Step.Next.
	Forward Outcome = iota + 1
	// Deliver: the packet reached the interface that owns its destination.
	Deliver
	// Exit: the packet leaves the modelled network (the internet, an
	// on-premises network, an element outside the input).
	Exit
	// Drop: the packet dies here (no route, a blackhole, a gateway that
	// refuses it); Code and Rule say why.
	Drop
)

func (o Outcome) String() string {
	return [...]string{"invalid", "forward", "delivered", "left the network", "dropped"}[min(int(o), 4)]
}

// Step is one hop's decisions, filled by Network.Step. Its Events slice is
// reused from step to step: the Network appends to Events[:0].
type Step struct {
	Events  []Event
	Outcome Outcome
	// Next is where the packet goes (Forward) or arrived (Deliver, Exit).
	Next Node
	// Code and Rule explain a Drop (or qualify an Exit: OUTSIDE_ESTATE).
	Code reach.Code
	Rule RuleID
}

// Network is the per-packet decision API the walker needs from reach.
type Network interface {
	// Step decides one hop of a packet with headers h standing at node at:
	// the filters it crosses, the interfaces it is seen on and the
	// translations it undergoes, in order, and where it goes. Step must
	// report every filter of the hop without stopping at a security
	// group's deny (whether that deny stands depends on the walker's
	// connection tracking) but may end the step at a network ACL's deny.
	// It must not retain h or st, and should not allocate.
	Step(at Node, h *Header, st *Step)
	// NATAddresses are a NAT gateway's private IPv4 addresses, primary
	// first.
	NATAddresses(NATID) []netip.Addr
	// Rule describes a rule for explanations.
	Rule(RuleID) reach.RuleRef
}

// Fate is how one packet's walk ended.
type Fate struct {
	Outcome Outcome
	// At is where it ended: the delivering or exit node, or the node whose
	// step dropped it.
	At Node
	// Code and Rule say why it was dropped (Trace's codes and the deciding
	// rule); Iface is the interface whose filter dropped it, or -1.
	Code  reach.Code
	Rule  RuleID
	Iface IfaceID
	// Hops is the number of steps taken.
	Hops int
}

// Explanation codes of decisions the walker's own state makes.
const (
	// CodeNATPortAllocation: the NAT gateway has no source port left for
	// the destination (AWS's ErrorPortAllocation).
	CodeNATPortAllocation reach.Code = "NGW_PORT_ALLOCATION_ERROR"
)

// Recorder receives the flow log events of the walk; the event is reused
// after the call returns.
type Recorder interface {
	Record(*flowlog.Event) error
}

// Walker pushes packets through a Network, keeping connection tracking
// per interface and NAT gateway sessions. Walking allocates nothing per
// packet once its tables have grown. A Walker is not safe for concurrent
// use.
type Walker struct {
	net      Network
	rec      Recorder
	timeouts Timeouts
	// MaxHops bounds a walk; a packet still moving after it is dropped as
	// a routing loop.
	MaxHops int
	conns   []*ConnTable
	nats    []*NATTable
	step    Step
	ev      flowlog.Event
	obs     pendingObs
	err     error
}

type pendingObs struct {
	open           bool
	iface          IfaceID
	dir            model.Direction
	path           uint8
	h              Header
	srcSvc, dstSvc string
}

// NewWalker returns a Walker over net that reports flow log events to rec
// (nil for none), tracking connections with the given timeouts.
func NewWalker(net Network, rec Recorder, t Timeouts) *Walker {
	return &Walker{net: net, rec: rec, timeouts: t, MaxHops: 64, step: Step{Events: make([]Event, 0, 16)}}
}

// Err is the first error the Recorder returned.
func (w *Walker) Err() error { return w.err }

func (w *Walker) conn(i IfaceID) *ConnTable {
	for int(i) >= len(w.conns) {
		w.conns = append(w.conns, nil)
	}
	if w.conns[i] == nil {
		w.conns[i] = NewConnTable(w.timeouts, 64)
	}
	return w.conns[i]
}

func (w *Walker) nat(i NATID) *NATTable {
	for int(i) >= len(w.nats) {
		w.nats = append(w.nats, nil)
	}
	if w.nats[i] == nil {
		t, err := NewNATTable(w.net.NATAddresses(i), 64)
		if err != nil {
			return nil
		}
		w.nats[i] = t
	}
	return w.nats[i]
}

// Walk moves the packet h, which enters the network at start at time now,
// until it is delivered, leaves or is dropped. h is translated in place.
func (w *Walker) Walk(start Node, h *Header, now time.Time) Fate {
	at := start
	for hop := 1; hop <= w.MaxHops; hop++ {
		st := &w.step
		st.Events, st.Outcome, st.Next, st.Code, st.Rule = st.Events[:0], 0, 0, "", NoRule
		w.net.Step(at, h, st)
		for i := range st.Events {
			ev := &st.Events[i]
			switch ev.Kind {
			case Observe:
				w.closeObs(flowlog.Accept, now)
				w.obs = pendingObs{open: true, iface: ev.Iface, dir: ev.Dir, path: ev.Path, h: *h, srcSvc: ev.PktSrcService, dstSvc: ev.PktDstService}
			case Filter:
				allowed := ev.Allowed
				if ev.Filter == SecurityGroup {
					ct := w.conn(ev.Iface)
					switch {
					case ct.Match(h, now):
						allowed = true
					case allowed && !ev.Untracked:
						ct.Open(h, now)
					}
				}
				if !allowed {
					if !w.obs.open || w.obs.iface != ev.Iface {
						w.closeObs(flowlog.Accept, now)
						w.obs = pendingObs{open: true, iface: ev.Iface, dir: ev.Dir, h: *h}
					}
					w.closeObs(flowlog.Reject, now)
					return Fate{Outcome: Drop, At: at, Code: ev.Code, Rule: ev.Rule, Iface: ev.Iface, Hops: hop}
				}
			case Translate:
				w.closeObs(flowlog.Accept, now)
				if f, ok := w.translate(ev, h, now); !ok {
					f.At, f.Hops = at, hop
					return f
				}
			}
		}
		w.closeObs(flowlog.Accept, now)
		switch st.Outcome {
		case Forward:
			at = st.Next
			continue
		case Deliver, Exit:
			return Fate{Outcome: st.Outcome, At: st.Next, Code: st.Code, Rule: st.Rule, Iface: -1, Hops: hop}
		default:
			return Fate{Outcome: Drop, At: at, Code: st.Code, Rule: st.Rule, Iface: -1, Hops: hop}
		}
	}
	return Fate{Outcome: Drop, At: at, Code: reach.CodeRoutingLoop, Rule: NoRule, Iface: -1, Hops: w.MaxHops}
}

func (w *Walker) translate(ev *Event, h *Header, now time.Time) (Fate, bool) {
	drop := func(c reach.Code) (Fate, bool) { return Fate{Outcome: Drop, Code: c, Rule: NoRule, Iface: -1}, false }
	switch ev.Translate {
	case StaticNAT:
		if ev.Src.IsValid() {
			h.Src = ev.Src
		}
		if ev.Dst.IsValid() {
			h.Dst = ev.Dst
		}
	case NATSource:
		t := w.nat(ev.NAT)
		if t == nil {
			return drop(reach.CodeUnsupportedComponent)
		}
		switch err := t.Outbound(h, now); err {
		case nil:
		case ErrNATProtocol:
			return drop(reach.CodeProtocolRestriction)
		default:
			return drop(CodeNATPortAllocation)
		}
	case NATReverse:
		t := w.nat(ev.NAT)
		if t == nil || !t.Inbound(h, now) {
			return drop(reach.CodeNGWNoSession)
		}
	}
	return Fate{}, true
}

// closeObs emits the open observation's flow log event with action a.
func (w *Walker) closeObs(a flowlog.Action, now time.Time) {
	o := &w.obs
	if !o.open {
		return
	}
	o.open = false
	if w.rec == nil || w.err != nil {
		return
	}
	h := &o.h
	e := &w.ev
	*e = flowlog.Event{Time: now, Interface: int32(o.iface), Action: a, Src: h.Src, Dst: h.Dst,
		Protocol: uint8(h.Protocol), Bytes: h.Length, TCPFlags: uint8(h.Flags),
		PktSrcService: o.srcSvc, PktDstService: o.dstSvc}
	if h.Protocol == model.ProtocolTCP || h.Protocol == model.ProtocolUDP {
		e.SrcPort, e.DstPort = h.SrcPort, h.DstPort
	}
	if o.dir == model.Egress {
		e.Direction, e.TrafficPath = flowlog.Egress, o.path
	} else {
		e.Direction = flowlog.Ingress
	}
	w.err = w.rec.Record(e)
}

// Sweep forgets idle connections and NAT sessions at now.
func (w *Walker) Sweep(now time.Time) {
	for _, c := range w.conns {
		if c != nil {
			c.Sweep(now)
		}
	}
	for _, t := range w.nats {
		if t != nil {
			t.Sweep(now)
		}
	}
}

package packet

import (
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// The walker's boundary with reach is reach's packet stepper, used directly:
// Engine.Step decides one hop of one header (the filters it crosses with
// their rules' verdicts, the interfaces it is seen on, the translations, the
// route and where it goes), and the Walker keeps only what AWS keeps per
// stream of packets — connection tracking per interface, NAT gateway
// sessions and ports — and the flow-log events. It never matches a rule.
// docs/packet.md states the contract.

// Outcome is how a packet's walk ended. The zero value is invalid.
type Outcome uint8

// Outcomes.
const (
	// Delivered: the packet reached the network interface that owns its
	// destination.
	Delivered Outcome = iota + 1
	// Left: the packet left the modelled network (for a host on the
	// internet, an on-premises network or the AWS service behind a gateway
	// endpoint).
	Left
	// Dropped: the packet died; Fate.Code, Component and Rule say why, with
	// Trace's codes and rules.
	Dropped
	// Unplaced: the packet could not be put on the network (Replayer): its
	// source is no element of it, or it answers a request that never
	// arrived.
	Unplaced
)

var outcomeNames = [...]string{"invalid", "delivered", "left", "dropped", "unplaced"}

func (o Outcome) String() string { return outcomeNames[min(int(o), len(outcomeNames)-1)] }

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// Fate is how one packet's walk ended.
type Fate struct {
	Outcome Outcome
	// At is where the walk ended: the interface that received the packet
	// (Delivered), the outside world it left for (Left), or the position
	// where it was dropped.
	At reach.Position
	// Component, Code and Rule say why the packet was dropped, as Trace
	// explains a drop: the component that decided, the explanation code and
	// the rule or route that decided (nil when none did: a security group's
	// implicit deny, a gateway's own refusal). Component and Rule point into
	// the engine. Code also qualifies an Unplaced packet.
	Component *reach.Ref
	Code      reach.Code
	Rule      *reach.RuleRef
	// Iface is the interface whose security group or network ACL dropped
	// the packet (its flow log shows the REJECT), -1 otherwise.
	Iface int32
	// Hops is the number of steps taken.
	Hops int
	// Reply is set when the packet was walked as a reply of a conversation
	// (Replayer): a NAT gateway translates it back, an egress-only gateway
	// lets it in.
	Reply bool
	// Via is the way through a load balancer the packet took (nil when
	// none forwarded it): a proxy's listener that ended its connection, a
	// Network Load Balancer's that forwarded it to the target. It points
	// into the walker.
	Via *reach.LoadBalancing
	// lb is Via's route number plus one (reach.Translation.LB).
	lb int32
}

// Where names where the packet ended: the component that dropped it, else
// the component of At.
func (f *Fate) Where() reach.Ref {
	if f.Component != nil {
		return *f.Component
	}
	return f.At.Component()
}

// Recorder receives the flow log events of the walk; the event is reused
// after the call returns.
type Recorder interface {
	Record(*flowlog.Event) error
}

// hintedRecorder is a Recorder that finds a flow's record again from a
// hint the walker keeps per flow and interface (flowlog.Aggregator).
type hintedRecorder interface {
	AddHint(*flowlog.Event, *flowlog.Hint) error
}

// Walker pushes packets through a reach.Engine, keeping connection tracking
// per interface and NAT gateway sessions, and reports one flow-log event per
// interface each packet crosses. Walking allocates nothing per packet once
// its tables have grown. A Walker is not safe for concurrent use; walkers on
// one engine are.
type Walker struct {
	e        *reach.Engine
	rec      Recorder
	hinted   hintedRecorder
	timeouts Timeouts
	// MaxHops bounds a walk; a packet still moving after it is dropped as
	// a routing loop. reach stops loops first (at 64 edges).
	MaxHops int

	conns []*ConnTable // by interface number
	nats  []*NATTable  // by NAT gateway number
	// natPerDest and natIdle override the NAT gateways' limits when set.
	natPerDest int
	natIdle    time.Duration
	paths      pathCache
	hop        reach.PacketHop
	sv         services

	// lbs are the engine's load balancer routes; lbt the nodes' sessions.
	lbs []reach.LoadBalancing
	lbt lbTable
	// onward is the packet a proxy's node sends for the one it received,
	// from onwardAt; backend the fates of it and its answer; depth bounds
	// proxies chained behind proxies.
	onward    Header
	onwardAt  reach.Position
	hasOnward bool
	backend   [2]Fate
	depth     int

	obs []observation
	ev  flowlog.Event
	err error
}

// observation is a packet crossing an interface, waiting for the walk to end
// (the traffic-path of an egress is known once the packet has gone on).
type observation struct {
	iface          int32
	dir            model.Direction
	action         flowlog.Action
	path           uint8
	pending        bool // an egress whose path is not known yet
	srcSvc, dstSvc string
	hint           *flowlog.Hint
	h              Header
}

// NewWalker returns a Walker over the engine e that reports flow log events
// to rec (nil for none), tracking connections with the given timeouts.
func NewWalker(e *reach.Engine, rec Recorder, t Timeouts) *Walker {
	w := &Walker{e: e, rec: rec, timeouts: t, MaxHops: 64,
		conns: make([]*ConnTable, e.Interfaces()), nats: make([]*NATTable, e.NATGateways()),
		obs: make([]observation, 0, 16), sv: servicesOf(e.Network())}
	w.paths.init(e)
	w.hinted, _ = rec.(hintedRecorder)
	w.lbt.init()
	for i := range e.LoadBalancerRoutes() {
		r, _ := e.LoadBalancerRoute(int32(i))
		w.lbs = append(w.lbs, r)
	}
	return w
}

// Engine is the engine the walker asks.
func (w *Walker) Engine() *reach.Engine { return w.e }

// Err is the first error the Recorder returned.
func (w *Walker) Err() error { return w.err }

func (w *Walker) conn(i int32) *ConnTable {
	if w.conns[i] == nil {
		w.conns[i] = NewConnTable(w.timeouts, 64)
	}
	return w.conns[i]
}

func (w *Walker) nat(i int32) *NATTable {
	if w.nats[i] == nil {
		t, err := NewNATTable(w.e.NATAddresses(i), 64)
		if err != nil {
			return nil
		}
		if w.natPerDest > 0 {
			t.SetLimits(w.natPerDest, w.natIdle)
		}
		w.nats[i] = t
	}
	return w.nats[i]
}

// Walk moves the packet h, which sets off from start at time now, until it
// is delivered, leaves or is dropped; h is translated in place. reply says
// whether the packet answers a conversation the walker has seen the other
// way (see reach.Engine.Step); the Replayer decides it for captures and
// conversations.
func (w *Walker) Walk(start reach.Position, h *Header, reply bool, now time.Time) Fate {
	w.obs = w.obs[:0]
	if w.depth == 0 {
		w.backend = [2]Fate{}
	}
	fate := Fate{Iface: -1, Reply: reply}
	pos := start
	via := int32(-1)
	var k segKey
	for fate.Hops < w.MaxHops {
		k = segKey{pos: pos, h: reachHeader(h), reply: reply}
		s := w.paths.segment(w, &k, via)
		end, done := w.exec(w.paths.ops[s.lo:s.hi], h, now, &fate)
		if done {
			break
		}
		via = s.lo + end
		pos = w.paths.ops[via].pos
	}
	if fate.Outcome == 0 {
		fate.Outcome, fate.At, fate.Code = Dropped, pos, reach.CodeRoutingLoop
	}
	w.emit(now)
	if w.hasOnward {
		w.hasOnward = false
		if w.depth < maxProxies {
			w.depth++
			w.hasOnward = true
			w.proxied(now)
			w.depth--
		}
	}
	return fate
}

// maxProxies bounds the proxies a walk passes one behind another.
const maxProxies = 4

// exec applies a segment's decisions to the packet: the walker's own state
// (connection tracking, NAT sessions) decides what reach left to it. It
// returns the index in seg of the opEnd that sends the packet on.
func (w *Walker) exec(seg []op, h *Header, now time.Time, fate *Fate) (end int32, done bool) {
	logs := w.rec != nil
	for i := range seg {
		o := &seg[i]
		switch o.kind {
		case opCross:
			if logs {
				w.observe(o, h)
			}
		case opSG:
			allowed := o.allowed
			ct := w.conn(o.iface)
			switch {
			case ct.MatchHint(h, now, &o.hint):
				allowed = true
			case allowed && !o.untracked:
				ct.OpenHint(h, now, &o.hint)
			}
			if !allowed {
				if logs {
					w.reject(o.iface, o.dir, h)
				}
				*fate = Fate{Outcome: Dropped, At: o.pos, Component: o.comp, Code: o.code, Iface: o.iface, Hops: fate.Hops + int(o.hops), Reply: fate.Reply}
				return 0, true
			}
		case opACL:
			if logs {
				w.reject(o.iface, o.dir, h)
			}
			*fate = Fate{Outcome: Dropped, At: o.pos, Component: o.comp, Code: o.code, Rule: o.rule, Iface: o.iface, Hops: fate.Hops + int(o.hops), Reply: fate.Reply}
			return 0, true
		case opStatic:
			if o.toDst {
				h.Dst = o.addr
			} else {
				h.Src = o.addr
			}
		case opNATOut:
			code := reach.Code("")
			if t := w.nat(o.nat); t == nil {
				code = reach.CodeBadState
			} else {
				switch err := t.OutboundHint(h, now, &o.hint); err {
				case nil:
				case ErrNATProtocol:
					code = reach.CodeProtocolRestriction
				default:
					code = reach.CodeNGWPortAllocation
				}
			}
			if code != "" {
				*fate = Fate{Outcome: Dropped, At: o.pos, Component: o.comp, Code: code, Iface: -1, Hops: fate.Hops + int(o.hops), Reply: fate.Reply}
				return 0, true
			}
		case opNATIn:
			if t := w.nat(o.nat); t == nil || !t.InboundHint(h, now, &o.hint) {
				*fate = Fate{Outcome: Dropped, At: o.pos, Component: o.comp, Code: o.code, Iface: -1, Hops: fate.Hops + int(o.hops), Reply: fate.Reply}
				return 0, true
			}
		case opLBOut:
			if !w.lbForward(o, h, now, fate) {
				return 0, true
			}
		case opLBIn:
			if !w.lbReply(o, h, now, fate) {
				return 0, true
			}
		case opPath:
			if logs {
				w.resolvePaths(o.path)
			}
		case opEnd:
			fate.Hops += int(o.hops)
			switch o.outcome {
			case reach.OutcomeForward:
				return int32(i), false
			case reach.OutcomeDelivered:
				fate.Outcome, fate.At = Delivered, o.pos
			case reach.OutcomeLeft:
				fate.Outcome, fate.At = Left, o.pos
			default:
				fate.Outcome, fate.At, fate.Component, fate.Code, fate.Rule = Dropped, o.pos, o.comp, o.code, o.rule
			}
			return 0, true
		}
	}
	// A segment always ends with opEnd; an empty one is a cache bug.
	fate.Outcome, fate.Code = Dropped, reach.CodeBadState
	return 0, true
}

// observe opens the flow-log observation of a crossing. Crossing another
// interface tells the path of pending egresses: the packet stayed in the
// VPC (another instance, a NAT gateway, a transit gateway attachment).
func (w *Walker) observe(o *op, h *Header) {
	w.resolvePaths(flowlog.PathSameVPC)
	w.obs = append(w.obs, observation{iface: o.iface, dir: o.dir, action: flowlog.Accept, pending: o.dir == model.Egress,
		srcSvc: o.srcSvc, dstSvc: o.dstSvc, hint: &o.logHint, h: *h})
}

func (w *Walker) resolvePaths(p uint8) {
	for i := range w.obs {
		if ob := &w.obs[i]; ob.pending {
			ob.pending, ob.path = false, p
		}
	}
}

// reject marks the observation of interface iface in direction dir
// rejected, opening one when the filter decided before the packet was seen
// on it (a network ACL's inbound rules, applied as it enters the subnet).
// Only the crossing of the packet as it is now is rejected: a packet that
// comes back to an interface it crossed earlier in its walk, translated (a
// NAT gateway's packet to its own public address, through the internet
// gateway and back), was accepted there the first time, and that record
// stays ACCEPT.
func (w *Walker) reject(iface int32, dir model.Direction, h *Header) {
	if iface < 0 {
		return
	}
	for i := len(w.obs) - 1; i >= 0; i-- {
		if ob := &w.obs[i]; ob.iface == iface && ob.dir == dir {
			if ob.h.Tuple() == h.Tuple() {
				ob.action = flowlog.Reject
				return
			}
			break
		}
	}
	w.obs = append(w.obs, observation{iface: iface, dir: dir, action: flowlog.Reject, h: *h})
}

// emit hands the walk's observations to the recorder.
func (w *Walker) emit(now time.Time) {
	if w.rec == nil || w.err != nil {
		return
	}
	for i := range w.obs {
		o := &w.obs[i]
		h := &o.h
		e := &w.ev
		*e = flowlog.Event{Time: now, Interface: o.iface, Action: o.action, Src: h.Src, Dst: h.Dst,
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
		if w.hinted != nil && o.hint != nil && o.action == flowlog.Accept {
			w.err = w.hinted.AddHint(e, o.hint)
		} else {
			w.err = w.rec.Record(e)
		}
		if w.err != nil {
			return
		}
	}
}

// Tracked is the number of connections interface iface's security groups
// track (engine.Interface numbering).
func (w *Walker) Tracked(iface int32) int {
	if c := w.conns[iface]; c != nil {
		return c.Len()
	}
	return 0
}

// SetNATLimits changes every NAT gateway's limit of simultaneous sessions
// to one destination and its idle timeout (AWS: 55,000 and 350 s), for
// what-if runs and tests.
func (w *Walker) SetNATLimits(perDestination int, idle time.Duration) {
	w.natPerDest, w.natIdle = perDestination, idle
	for _, t := range w.nats {
		if t != nil {
			t.SetLimits(perDestination, idle)
		}
	}
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
	w.lbt.sweep(now.UnixNano())
}

// The packet stepper: one concrete packet, hop by hop, decided by the same
// compiled programs the set walker applies to header sets (each element's
// step beside its cross). A packet walker built on it keeps its own state —
// connection tracking per interface, NAT sessions and port allocation — and
// asks reach only what the network's rules decide.

package reach

import (
	"fmt"
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Header is one packet header: the 5-tuple the data plane decides on. For
// ICMP and ICMPv6, DstPort holds the ICMP type and SrcPort the code.
type Header = hset.Header

// Position is where a packet is in the data plane, and what it is about to
// do there; Step moves it on. The zero Position is invalid.
type Position struct {
	n *node
	// next is the edge the packet leaves by; nil where it starts (the node
	// decides then).
	next *edge
	// hops counts the edges crossed since the start.
	hops uint8
	// viaInternet is set once the packet has been on the internet: a NAT
	// gateway names traffic from there that matches no session apart.
	viaInternet bool
}

// Valid reports whether p is a position of some engine.
func (p Position) Valid() bool { return p.n != nil }

// Component is the component the packet is at.
func (p Position) Component() Ref {
	if p.n == nil {
		return Ref{}
	}
	return p.n.ref
}

func (p Position) String() string {
	if p.n == nil {
		return "invalid"
	}
	return p.n.ref.Kind + " " + p.n.ref.Label()
}

// Outcome is what became of a packet in a hop. The zero value is invalid.
type Outcome uint8

// Outcomes.
const (
	// OutcomeForward: the packet goes on; step again from PacketHop.Next.
	OutcomeForward Outcome = iota + 1
	// OutcomeDelivered: the packet reached the network interface at Next.
	OutcomeDelivered
	// OutcomeLeft: the packet left the network for a host on the internet,
	// an on-premises network or the AWS service behind a gateway endpoint.
	OutcomeLeft
	// OutcomeDropped: the packet stops; PacketHop.Code, Component and Rule
	// say why, as a trace's explanation would.
	OutcomeDropped
)

func (o Outcome) String() string { return enumName(o, "forward", "delivered", "left", "dropped") }

// MarshalText implements encoding.TextMarshaler.
func (o Outcome) MarshalText() ([]byte, error) { return enumText(o) }

// PacketDecision is one decision of a packet's hop: what a trace's Step says
// for one header. Its pointers point into the engine and stay valid as long
// as it does.
type PacketDecision struct {
	Kind StepKind
	// Direction is, for filters, ingress or egress.
	Direction model.Direction
	Decision  Decision
	// Component is the network ACL, the interface whose security groups
	// decided, or the route table (or component) that routed.
	Component *Ref
	// Groups are the interface's security groups (security group steps).
	Groups []Ref
	// Rule is the rule or route that decided: for a security group, the
	// first rule (in group and rule order) that allows the packet; nil for
	// a security group's implicit deny, a reply passing statefully, a
	// network ACL with no matching rule, and a translation.
	Rule *RuleRef
	// Stateful is set when a security group let a reply pass whatever its
	// rules say.
	Stateful bool
}

// Crossing is a network interface a packet passes in a hop: where VPC Flow
// Logs write a record. A hop crosses the source interface (egress), the
// destination interface (ingress), a NAT gateway's interface (ingress, then
// egress in the next hop), an interface routed to as a next hop, or a
// transit gateway attachment's interface in a subnet (ingress into the
// gateway, egress out of it).
type Crossing struct {
	// Interface is the network interface; for a transit gateway attachment,
	// whose interfaces the input does not describe, the attachment.
	Interface *Ref
	// Subnet is the subnet the interface is in (nil when unknown).
	Subnet *Ref
	// Direction is Ingress when the packet enters the interface's owner,
	// Egress when it leaves it.
	Direction model.Direction
}

// Translation is an address translation a hop made. The zero value is
// none.
type Translation struct {
	// Kind is DecisionSourceNAT, DecisionDestinationNAT or
	// DecisionReverseNAT; zero when nothing was translated.
	Kind Decision
	// Gateway is the internet or NAT gateway translating.
	Gateway *Ref
	// From is the address replaced and To what replaced it (the hop's
	// header carries To already). A NAT gateway's source translation also
	// needs a new source port from Ports (TCP and UDP), which the walker
	// picks and records in its session table before the next step. A NAT
	// gateway's reverse translation (DecisionReverseNAT) is the walker's to
	// make: it restores the destination address and port from the session
	// the reply belongs to, or drops the packet with the hop's Code when it
	// has none; To is then invalid.
	From, To netip.Addr
	Ports    model.PortRange
	// Session is set when the walker must remember the translation (a NAT
	// gateway's): replies come back to the gateway's address and only the
	// session says where they go.
	Session bool
}

// Limits of one hop: the decisions and crossings it can hold.
const (
	maxHopDecisions = 8
	maxHopCrossings = 4
)

// PacketHop is what one Step did to a packet. A walker reuses one value for
// every step: Step allocates nothing.
type PacketHop struct {
	Outcome Outcome
	// Next is where the packet is: where to step from next
	// (OutcomeForward), the interface it reached (OutcomeDelivered), the
	// component it left the network by or stopped at.
	Next Position
	// Header is the packet as it leaves the hop, translations applied.
	Header Header
	// Translation is the translation the hop made, if any.
	Translation Translation
	// Code, Component and Rule say why the packet stopped (OutcomeDropped),
	// with the same codes and rules as Trace; for a NAT gateway's reverse
	// translation, Code is what the walker reports when it has no session.
	Code      Code
	Component *Ref
	Rule      *RuleRef

	decisions [maxHopDecisions]PacketDecision
	crossings [maxHopCrossings]Crossing
	nd, nc    uint8
	// st is the step in progress, kept here so that Step allocates nothing
	// (elements take it through an interface, which would move a local to
	// the heap).
	st stepper
}

// Decisions are the hop's decisions, in order.
func (h *PacketHop) Decisions() []PacketDecision { return h.decisions[:h.nd] }

// Crossings are the network interfaces the hop passed, in order.
func (h *PacketHop) Crossings() []Crossing { return h.crossings[:h.nc] }

// StartAt returns the position of a packet sent by the named end: a network
// interface (an instance, interface, NAT gateway or endpoint, by Terraform
// address, ID or address), "internet" or an internet address (a host on the
// internet), or an address on-premises (the network behind the VPN
// connection covering it).
func (e *Engine) StartAt(name string) (Position, error) {
	x, err := e.lookup(name)
	if err != nil {
		return Position{}, err
	}
	switch x.kind {
	case EndpointInterface:
		if n := e.eni[x.eni.ID]; n != nil {
			return Position{n: n}, nil
		}
	case EndpointInternet:
		return Position{n: e.internet}, nil
	case EndpointOnPrem:
		return Position{n: x.onprem[0]}, nil
	}
	return Position{}, fmt.Errorf("%s cannot send: it is an address of the network that no interface uses", name)
}

// Step moves a packet with header h one hop on from pos: across the edge
// it leaves by (the filters of both ends) to the next component, which
// decides where it goes next, and writes what happened into hop. reply says
// whether the packet belongs to a connection the walker has seen in the
// other direction (its connection tracking): security groups let it pass
// whatever their rules say, a NAT gateway translates it back, an egress-only
// gateway lets it in, and the internet sends it back to the host that
// asked. Step allocates nothing; it answers as Trace would for a flow of
// that one header (TestPacketAgreesWithSets checks it).
func (e *Engine) Step(pos Position, h Header, reply bool, hop *PacketHop) {
	*hop = PacketHop{Header: h}
	s := &hop.st
	*s = stepper{e: e, h: h, reply: reply, hop: hop, pos: pos}
	if pos.n == nil {
		hop.Outcome, hop.Code = OutcomeDropped, CodeBadState
		return
	}
	ed := pos.next
	if ed == nil {
		elements[pos.n.kind].step(s, pos.n, nil)
		if s.hop.Outcome != 0 || s.next == nil {
			s.done()
			return
		}
		ed, s.next = s.next, nil
	}
	s.traverse(ed)
	s.done()
}

// stepper is one Step in progress.
type stepper struct {
	e     *Engine
	h     Header
	reply bool
	hop   *PacketHop
	// pos is where the packet is; next the edge chosen to leave by.
	pos  Position
	next *edge
}

// traverse is walker.traverse for one packet.
func (s *stepper) traverse(ed *edge) {
	for _, c := range ed.crossings {
		s.cross(c)
	}
	if !s.filters(ed.leave) {
		return
	}
	if s.pos.hops++; s.pos.hops > maxDepth {
		s.pos.n = ed.to
		s.dropAt(CodeRoutingLoop, &ed.to.ref, nil)
		return
	}
	s.pos.n, s.pos.next = ed.to, nil
	if !s.filters(ed.enter) {
		return
	}
	elements[ed.to.kind].step(s, ed.to, ed)
}

// filters applies fs in order to the packet; false when one stops it.
func (s *stepper) filters(fs []filter) bool {
	for i := range fs {
		ft := &fs[i]
		var ok bool
		switch ft.kind {
		case filterACL:
			ok = s.stepACL(ft.acl)
		case filterSG:
			ok = s.stepSG(ft)
		case filterSourceCheck:
			ok = s.stepSourceCheck(ft)
		}
		if !ok {
			return false
		}
	}
	return true
}

// done writes the hop's end: forward along the edge chosen, unless the
// packet stopped.
func (s *stepper) done() {
	if s.hop.Outcome == 0 {
		if s.next == nil {
			s.dropAt(CodeNoRouteToDestination, &s.pos.n.ref, nil)
		} else {
			s.hop.Outcome = OutcomeForward
			s.pos.next = s.next
		}
	}
	s.hop.Next = s.pos
	s.hop.Header = s.h
}

func (s *stepper) forward(ed *edge) { s.next = ed }

func (s *stepper) finish(o Outcome) { s.hop.Outcome = o }

func (s *stepper) dropAt(code Code, comp *Ref, rule *RuleRef) {
	s.hop.Outcome, s.hop.Code, s.hop.Component, s.hop.Rule = OutcomeDropped, code, comp, rule
}

func (s *stepper) decide(d PacketDecision) {
	if int(s.hop.nd) < len(s.hop.decisions) {
		s.hop.decisions[s.hop.nd] = d
		s.hop.nd++
	}
}

func (s *stepper) translate(t Translation) {
	s.hop.Translation = t
	s.decide(PacketDecision{Kind: StepTranslate, Decision: t.Kind, Component: t.Gateway})
}

func (s *stepper) cross(c Crossing) {
	if int(s.hop.nc) < len(s.hop.crossings) {
		s.hop.crossings[s.hop.nc] = c
		s.hop.nc++
	}
}

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

// Position is where a packet is: at the component it starts from, or on
// its way along the edge to the next component. Step moves it on. The zero
// Position is invalid.
type Position struct {
	// n is the component the packet starts at (on == nil) or left.
	n *node
	// on is the edge the packet is on.
	on *edge
	// hops counts the edges taken since the start.
	hops uint8
	// viaInternet is set once the packet has been on the internet: a NAT
	// gateway names traffic from there that matches no session apart.
	viaInternet bool
	// lb is the load balancer route the packet took, once it has left a
	// load balancer node (and, for a reply, the one its request took; see
	// ReturnThrough). Like hops, ID does not keep it.
	lb *lbRoute
}

// Valid reports whether p is a position of some engine.
func (p Position) Valid() bool { return p.n != nil }

// Component is the component the packet is at, or heading for.
func (p Position) Component() Ref {
	switch {
	case p.on != nil:
		return p.on.to.ref
	case p.n != nil:
		return p.n.ref
	}
	return Ref{}
}

func (p Position) String() string {
	if p.n == nil {
		return "invalid"
	}
	c := p.Component()
	return c.Kind + " " + c.Label()
}

// Arrived is the position of a packet at the component p is at or heading
// for, as one that starts there: where a load balancer that proxies ends
// the client's connection, and whence it answers.
func (p Position) Arrived() Position {
	if p.on != nil {
		return Position{n: p.on.to, viaInternet: p.viaInternet}
	}
	return p
}

// ID numbers the position densely among its engine's (from 0), for walkers
// that key their tables by small integers; Engine.PositionOf reads it back.
// The count of hops is not kept in it.
func (p Position) ID() int32 {
	id := p.n.pid
	if p.on != nil {
		id = p.on.pid
	}
	if p.viaInternet {
		return 2*id + 1
	}
	return 2 * id
}

// PositionOf returns the position with the given ID, and false when no
// position has it.
func (e *Engine) PositionOf(id int32) (Position, bool) {
	if id < 0 || int(id/2) >= len(e.places) {
		return Position{}, false
	}
	p := e.places[id/2]
	p.viaInternet = id%2 == 1
	return p, true
}

// addRule numbers a compiled rule (see Engine.Rule): security group and
// network ACL rules as they are compiled, routes by numberForPackets.
func (e *Engine) addRule(r *RuleRef) int32 {
	e.rules = append(e.rules, r)
	return int32(len(e.rules) - 1)
}

// numberForPackets numbers what packet walkers key tables by: positions
// (every node a packet may start at, every edge it may be on) and routes,
// in the order of the graph, so the numbers are the same for the same
// network.
func (e *Engine) numberForPackets() {
	e.places = make([]Position, 0, len(e.nodes)+len(e.edges))
	for _, n := range e.nodes {
		n.pid = int32(len(e.places))
		e.places = append(e.places, Position{n: n})
		for _, p := range []*routeProg{n.routes, n.inbound} {
			if p == nil {
				continue
			}
			for i := range p.entries {
				p.entries[i].id = -1
				if p.entries[i].route.Text != "" {
					p.entries[i].id = e.addRule(&p.entries[i].route)
				}
			}
		}
		for _, ed := range n.out {
			ed.pid = int32(len(e.places))
			e.places = append(e.places, Position{n: n, on: ed})
		}
	}
}

// Rule returns the rule or route numbered id (PacketEvent.RuleID).
func (e *Engine) Rule(id int32) (RuleRef, bool) {
	if id < 0 || int(id) >= len(e.rules) {
		return RuleRef{}, false
	}
	return *e.rules[id], true
}

// Interfaces returns how many interfaces flow logs can name: Crossing.ID
// runs from 0 to Interfaces()-1.
func (e *Engine) Interfaces() int { return len(e.ifaces) }

// Interface returns the interface numbered id, with its subnet.
func (e *Engine) Interface(id int32) (Crossing, bool) {
	if id < 0 || int(id) >= len(e.ifaces) {
		return Crossing{}, false
	}
	return e.ifaces[id], true
}

// NATGateways returns how many NAT gateways there are: Translation.NAT runs
// from 0 to NATGateways()-1.
func (e *Engine) NATGateways() int { return len(e.natAddrs) }

// NATAddresses returns the private addresses of the NAT gateway numbered
// id, the primary first; the slice is the engine's, not to be modified.
func (e *Engine) NATAddresses(id int32) []netip.Addr {
	if id < 0 || int(id) >= len(e.natAddrs) {
		return nil
	}
	return e.natAddrs[id]
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

// Crossing is a network interface a packet passes: where VPC Flow Logs
// write a record. A packet crosses its source interface (egress), its
// destination interface (ingress), a NAT gateway's interface (ingress, then
// egress), an interface it is routed to as a next hop, or a transit gateway
// attachment's interface in a subnet (ingress into the gateway, egress out
// of it).
type Crossing struct {
	// ID numbers the interface densely among the engine's (from 0):
	// the network's interfaces in its order, then the attachments'.
	ID int32
	// Interface is the network interface; for a transit gateway
	// attachment, whose interfaces the input does not describe, the
	// attachment.
	Interface *Ref
	// Subnet is the subnet the interface is in (nil when unknown).
	Subnet *Ref
	// Direction is Ingress when the packet enters the interface's owner,
	// Egress when it leaves it.
	Direction model.Direction
}

// PacketEvent is one thing that happens to a packet in a hop, in the order
// it happens on the wire: it crosses a network interface (Cross), a
// security group or network ACL decides (Kind StepSecurityGroup or
// StepNetworkACL), a route decides (StepRoute), or an address is translated
// (StepTranslate). Its pointers point into the engine and stay valid as
// long as it does.
type PacketEvent struct {
	// Cross marks a crossing: the packet passes interface Iface in
	// Direction; Kind is zero.
	Cross bool
	Kind  StepKind
	// Iface is the interface crossed or, for a filter, the interface whose
	// flow-log record shows its decision: the interface the packet leaves
	// (outbound rules) or enters (inbound rules); -1 when none is known.
	Iface int32
	// Direction is, for crossings and filters, ingress or egress.
	Direction model.Direction
	// Decision is the filter's verdict by its rules (allow or deny), the
	// route's (forward, exit or drop) or the translation made.
	Decision Decision
	// Component is the network ACL, the interface whose security groups
	// decided, the route table (or component) that routed, or the gateway
	// that translated.
	Component *Ref
	// Groups are the interface's security groups (security group events).
	Groups []Ref
	// Rule and RuleID are the rule or route that decided (RuleID -1 and
	// Rule nil when none did: a security group's implicit deny, a network
	// ACL with no matching rule, a translation). For a security group that
	// allows, the first rule, in group and rule order, that allows.
	Rule   *RuleRef
	RuleID int32
	// Code explains a deny with Trace's codes: ENI_SG_RULES_MISMATCH or
	// SG_HAS_NO_RULES for a security group, SUBNET_ACL_RESTRICTION for a
	// network ACL.
	Code Code
	// Untracked is set, for a security group that allows, when AWS tracks
	// no connection for the packet's flow: TCP or UDP that the interface's
	// groups allow to and from every address and port both ways.
	Untracked bool
}

// Translation is an address translation a hop made. The zero value is
// none.
type Translation struct {
	// Kind is DecisionSourceNAT, DecisionDestinationNAT or
	// DecisionReverseNAT; zero when nothing was translated.
	Kind Decision
	// Gateway is the internet or NAT gateway or the load balancer
	// translating; NAT is the NAT gateway's number (see
	// Engine.NATAddresses), -1 for anything else.
	Gateway *Ref
	NAT     int32
	// LB is, for a load balancer's forwarding (DecisionLoadBalance), the
	// route it took (see Engine.LoadBalancerRoute); -1 otherwise. The
	// load balancer rewrites the destination to the target's address and
	// port (the hop's header has them) and, unless it preserves the
	// client's address, the source to its node's address with a port the
	// walker picks from Ports and records in its session table (Session
	// is set). A reply reaching the node (DecisionReverseLoadBalance) is
	// the walker's to translate back from that session, restoring both
	// ends as the client's connection had them, before it steps again from
	// the hop's Next (the node); a reply matching no session answers a
	// connection the node opened itself (a health check) and has arrived.
	// The replies of a connection whose client address was preserved leave
	// the target from Engine.ReturnThrough.
	LB int32
	// From is the address replaced and To what replaced it; the hop's
	// header carries To already. An internet gateway's translation is one
	// to one. A NAT gateway's source translation also needs a source port
	// from Ports (TCP and UDP), which the walker picks and records in its
	// session table (Session is set) before the next step. A NAT gateway's
	// reverse translation (DecisionReverseNAT) is the walker's to make: it
	// restores the destination address and port from the session the
	// packet belongs to, or drops it with the hop's Code when it has none;
	// To is then invalid.
	From, To netip.Addr
	Ports    model.PortRange
	Session  bool
}

// maxHopEvents is the most events one hop holds.
const maxHopEvents = 12

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
	// Code, Component, Rule and RuleID say why the packet stopped
	// (OutcomeDropped), with the same codes and rules as Trace; for a NAT
	// gateway's reverse translation, Code is what the walker reports when
	// it has no session. A security group's deny does not stop the packet:
	// its event says so, and whether it stands is the walker's connection
	// tracking's to say.
	Code      Code
	Component *Ref
	Rule      *RuleRef
	RuleID    int32

	events [maxHopEvents]PacketEvent
	ne     uint8
	// st is the step in progress, kept here so that Step allocates nothing
	// (elements take it through an interface, which would move a local to
	// the heap).
	st stepper
}

// Events are what happened to the packet in the hop, in order.
func (h *PacketHop) Events() []PacketEvent { return h.events[:h.ne] }

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

// Step moves a packet with header h one hop on from pos and writes what
// happened into hop: it arrives along the edge it is on (the inbound rules
// of what it enters), the component there decides where it goes, and it
// sets off along that edge (the outbound rules of what it leaves). The
// packet's first step, from where it starts, begins with the decision.
//
// reply says whether the packet answers a connection the walker has seen
// the other way: a NAT gateway then translates it back, an egress-only
// gateway lets it in, and the internet sends it back to the host that
// asked. Security groups are the walker's: every one is reported with its
// rules' verdict and none stops the packet, as AWS's connection tracking
// (the walker's, per interface) lets a reply pass whatever the rules say;
// a network ACL's deny stops it.
//
// Step allocates nothing and keeps neither h nor hop; it answers as Trace
// would for a flow of that one header (TestPacketAgreesWithSets checks it).
func (e *Engine) Step(pos Position, h Header, reply bool, hop *PacketHop) {
	// Reset what the hop says field by field: zeroing the event array would
	// cost more than a hop's work.
	hop.Outcome, hop.Next, hop.Header, hop.Translation = 0, Position{}, h, Translation{NAT: -1, LB: -1}
	hop.Code, hop.Component, hop.Rule, hop.RuleID, hop.ne = "", nil, nil, -1, 0
	s := &hop.st
	*s = stepper{e: e, h: h, pt: hset.Point(h), reply: reply, hop: hop, pos: pos}
	switch {
	case pos.n == nil:
		hop.Outcome, hop.Code = OutcomeDropped, CodeBadState
		return
	case pos.on == nil:
		elements[pos.n.kind].step(s, pos.n, nil)
	default:
		s.arrive(pos.on)
	}
	s.done()
}

// stepper is one Step in progress.
type stepper struct {
	e *Engine
	h Header
	// pt is h as a point of header space, for the compiled programs.
	pt    hset.Box
	reply bool
	hop   *PacketHop
	// pos is where the packet is; via the edge it arrived by this hop; next
	// the edge it sets off on.
	pos       Position
	via, next *edge
}

// arrive is the second half of walker.traverse for one packet: the hop
// limit, the inbound filters, then the component's decision.
func (s *stepper) arrive(ed *edge) {
	if s.pos.hops++; s.pos.hops > maxDepth {
		s.pos.n, s.pos.on = ed.to, nil
		s.dropAt(CodeRoutingLoop, &ed.to.ref)
		return
	}
	s.pos.n, s.pos.on, s.via = ed.to, nil, ed
	if !s.filters(ed.enter, s.enteringIface(ed)) {
		return
	}
	elements[ed.to.kind].step(s, ed.to, ed)
}

// forward sets the packet off along ed from the component it is at: the
// first half of walker.traverse, the interfaces it passes and the outbound
// filters. Events come in wire order: the packet leaves an interface, the
// outbound filters judge it, and only then does it enter the interface at
// the edge's far end (a NAT gateway's, a transit gateway attachment's, an
// appliance's) — a packet the outbound network ACL stops never reaches
// that interface, whose flow log must not show it.
func (s *stepper) forward(ed *edge) {
	s.crossings(ed, model.Egress)
	if !s.filters(ed.leave, s.leavingIface(ed)) {
		return
	}
	s.crossings(ed, model.Ingress)
	s.next = ed
}

func (s *stepper) crossings(ed *edge, d model.Direction) {
	for _, c := range ed.crossings {
		if c.Direction == d {
			s.event(PacketEvent{Cross: true, Iface: c.ID, Direction: c.Direction, Component: c.Interface, RuleID: -1})
		}
	}
}

// leavingIface is the interface whose flow log shows the outbound rules of
// ed: the one the packet sets off from on ed, else the one it came out of
// into the component it leaves.
func (s *stepper) leavingIface(ed *edge) int32 {
	for _, e := range []*edge{ed, s.via} {
		if e == nil {
			continue
		}
		for _, c := range e.crossings {
			if c.Direction == model.Egress {
				return c.ID
			}
		}
	}
	return -1
}

// enteringIface is the interface whose flow log shows the inbound rules of
// ed: the one the packet enters on ed, else the owner of its destination in
// the subnet it enters.
func (s *stepper) enteringIface(ed *edge) int32 {
	for _, c := range ed.crossings {
		if c.Direction == model.Ingress {
			return c.ID
		}
	}
	if ed.to.kind == nodeSubnet && ed.to.own.ContainsPoint(s.pt) {
		if d := ed.to.delivery(s.pt.Dst.Lo); d != nil {
			switch t := d.via.to; {
			case t.kind == nodeENI || t.kind == nodeLB:
				return t.iid
			case t.kind == nodeNAT && t.iface != nil:
				return t.iface.iid
			}
		}
	}
	return -1
}

// filters applies fs in order to the packet, their flow-log records at
// interface iface; false when a network ACL or a source check stops it.
func (s *stepper) filters(fs []filter, iface int32) bool {
	for i := range fs {
		ft := &fs[i]
		var ok bool
		switch ft.kind {
		case filterACL:
			ok = s.stepACL(ft.acl, iface)
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

// done writes the hop's end: on along the edge chosen, unless the packet
// stopped.
func (s *stepper) done() {
	if s.hop.Outcome == 0 {
		if s.next == nil {
			s.dropAt(CodeNoRouteToDestination, &s.pos.n.ref)
		} else {
			s.hop.Outcome = OutcomeForward
			s.pos.on = s.next
		}
	}
	s.hop.Next = s.pos
	s.hop.Header = s.h
}

func (s *stepper) finish(o Outcome) { s.hop.Outcome = o }

func (s *stepper) dropAt(code Code, comp *Ref) {
	s.hop.Outcome, s.hop.Code, s.hop.Component = OutcomeDropped, code, comp
}

// dropRule is dropAt naming the rule (numbered id) that decided.
func (s *stepper) dropRule(code Code, comp *Ref, rule *RuleRef, id int32) {
	s.dropAt(code, comp)
	s.hop.Rule, s.hop.RuleID = rule, id
}

func (s *stepper) event(ev PacketEvent) {
	if int(s.hop.ne) < len(s.hop.events) {
		s.hop.events[s.hop.ne] = ev
		s.hop.ne++
	}
}

// setSrc and setDst translate the packet's source or destination address.
func (s *stepper) setSrc(a hset.Addr) {
	s.h.Src = a.NetIP()
	s.pt.Src = hset.AddrRange{Lo: a, Hi: a}
}

func (s *stepper) setDst(a hset.Addr) {
	s.h.Dst = a.NetIP()
	s.pt.Dst = hset.AddrRange{Lo: a, Hi: a}
}

func (s *stepper) translate(t Translation) {
	s.hop.Translation = t
	s.event(PacketEvent{Kind: StepTranslate, Decision: t.Kind, Component: t.Gateway, Iface: -1, RuleID: -1})
}

// Package verifytest synthesises the flow-log records AWS would write for
// traffic through a model, with reach's packet stepper, for the tests and
// benchmarks of flow-log verification.
package verifytest

import (
	"fmt"
	"math/rand/v2"
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// Synth writes the flow-log records AWS would write for packets walked
// through a model with reach's packet stepper, as a minimal packet walker
// would: a security group's deny stands unless the packet is a reply of
// the connection it tracks, a network ACL's deny stops the packet, a NAT
// gateway picks a port and translates replies back. One record per packet
// and interface crossed (no aggregation), version 5 fields.
type Synth struct {
	e   *reach.Engine
	rnd *rand.Rand
	// Records are the records written so far.
	Records []flowlog.Record
	now     int64
}

// New returns a Synth over e, its random choices (NAT ports) seeded.
func New(e *reach.Engine, seed uint64) *Synth {
	return &Synth{e: e, rnd: rand.New(rand.NewPCG(seed, 1))}
}

// natSession is what a translation on the way remembers for the replies: a
// NAT gateway's the client's address and port; a load balancer's that
// proxies (lb) the client's whole connection, restored when the target's
// reply reaches the node.
type natSession struct {
	src    netip.Addr
	port   uint16
	lb     bool
	client reach.Header
}

// pending is the record being built at an interface.
type pending struct {
	open  bool
	iface int32
	dir   model.Direction
	h     reach.Header
}

// walk moves one packet from pos and records what the interfaces it
// crosses log; it returns where it ended and the NAT sessions it opened.
// A record stays open until the packet's walk ends: an interface's
// network ACL may decide a hop after the packet crossed it.
func (s *Synth) walk(pos reach.Position, h reach.Header, flags int32, reply bool, sessions []natSession) (reach.PacketHop, []natSession) {
	var hop reach.PacketHop
	var open []pending
	at := func(iface int32, d model.Direction, cur reach.Header) int {
		for i, p := range open {
			if p.iface == iface && p.dir == d {
				return i
			}
		}
		open = append(open, pending{open: true, iface: iface, dir: d, h: cur})
		return len(open) - 1
	}
	end := func(rejected int) {
		for i, p := range open {
			a := flowlog.Accept
			if i == rejected {
				a = flowlog.Reject
			}
			s.record(p, a, flags)
		}
	}
	for i := 0; i < 64; i++ {
		s.e.Step(pos, h, reply, &hop)
		cur := h
		for _, ev := range hop.Events() {
			switch {
			case ev.Cross && ev.Iface >= 0:
				at(ev.Iface, ev.Direction, cur)
			case ev.Kind == reach.StepTranslate:
				cur = hop.Header
			case ev.Iface >= 0 && (ev.Kind == reach.StepSecurityGroup && ev.Decision == reach.DecisionDeny && !reply ||
				ev.Kind == reach.StepNetworkACL && ev.Decision == reach.DecisionDeny):
				end(at(ev.Iface, ev.Direction, cur))
				hop.Outcome = reach.OutcomeDropped
				return hop, sessions
			}
		}
		before := h
		h = hop.Header
		switch tr := hop.Translation; {
		case tr.Session && tr.Kind == reach.DecisionLoadBalance:
			sessions = append(sessions, natSession{lb: true, client: before})
			if tr.Ports != (model.PortRange{}) {
				h.SrcPort = tr.Ports.First + uint16(s.rnd.IntN(tr.Ports.Size()))
			}
		case tr.Kind == reach.DecisionReverseLoadBalance:
			if len(sessions) == 0 || !sessions[len(sessions)-1].lb {
				// The reply to a connection the node opened itself (a
				// health check) has arrived.
				end(-1)
				hop.Outcome, hop.Header = reach.OutcomeDelivered, h
				return hop, sessions
			}
			c := sessions[len(sessions)-1].client
			sessions = sessions[:len(sessions)-1]
			h.Src, h.Dst, h.SrcPort, h.DstPort = c.Dst, c.Src, c.DstPort, c.SrcPort
		case tr.Session:
			sessions = append(sessions, natSession{src: tr.From, port: h.SrcPort})
			if tr.Ports != (model.PortRange{}) {
				h.SrcPort = tr.Ports.First + uint16(s.rnd.IntN(tr.Ports.Size()))
			}
		case tr.Kind == reach.DecisionReverseNAT:
			if len(sessions) == 0 || sessions[len(sessions)-1].lb {
				end(-1)
				hop.Outcome = reach.OutcomeDropped
				return hop, sessions
			}
			last := sessions[len(sessions)-1]
			sessions = sessions[:len(sessions)-1]
			h.Dst = last.src
			if h.Proto == 6 || h.Proto == 17 {
				h.DstPort = last.port
			}
		}
		if hop.Outcome != reach.OutcomeForward {
			end(-1)
			hop.Header = h
			return hop, sessions
		}
		pos = hop.Next
	}
	end(-1)
	hop.Outcome = reach.OutcomeDropped
	return hop, sessions
}

func (s *Synth) record(p pending, a flowlog.Action, flags int32) {
	c, ok := s.e.Interface(p.iface)
	if !ok || c.Interface == nil {
		return
	}
	r := flowlog.Blank()
	r.Version, r.AccountID, r.LogStatus, r.Action = 5, "123456789012", flowlog.StatusOK, a
	r.InterfaceID = c.Interface.ID
	if c.Interface.Kind == "transit-gateway-attachment" {
		r.InterfaceID = "eni-att" + c.Subnet.ID
		r.SubnetID = c.Subnet.ID
	} else {
		r.InstanceID = "i-x"
	}
	r.SrcAddr, r.DstAddr, r.PktSrcAddr, r.PktDstAddr = p.h.Src, p.h.Dst, p.h.Src, p.h.Dst
	r.Protocol, r.Packets, r.Bytes, r.TCPFlags = int32(p.h.Proto), 1, 60, flags
	r.SrcPort, r.DstPort = int32(p.h.SrcPort), int32(p.h.DstPort)
	if p.h.Proto != 6 && p.h.Proto != 17 {
		r.SrcPort, r.DstPort = 0, 0
	}
	if p.h.Proto != 6 {
		r.TCPFlags = 0
	}
	r.FlowDirection = flowlog.Ingress
	if p.dir == model.Egress {
		r.FlowDirection = flowlog.Egress
	}
	s.now++
	r.Start, r.End = 1700000000+s.now/100, 1700000000+s.now/100+1
	r.Type = "IPv4"
	if p.h.Src.Is6() {
		r.Type = "IPv6"
	}
	s.Records = append(s.Records, r)
}

// Connect walks one connection from the named end (see
// reach.Engine.StartAt): the opening packet (SYN) and, when it arrives,
// the reply (SYN-ACK) back.
func (s *Synth) Connect(from string, h reach.Header) error {
	pos, err := s.e.StartAt(from)
	if err != nil {
		return err
	}
	hop, sessions := s.walk(pos, h, 2, false, nil)
	if hop.Outcome != reach.OutcomeDelivered && hop.Outcome != reach.OutcomeLeft {
		return nil
	}
	back := reach.Header{Src: hop.Header.Dst, Dst: hop.Header.Src, Proto: h.Proto, SrcPort: hop.Header.DstPort, DstPort: hop.Header.SrcPort}
	if h.Proto == 1 {
		back.DstPort, back.SrcPort = 0, 0
	}
	s.walk(hop.Next, back, 18, true, sessions)
	return nil
}

// Random walks n connections between random ends of the network: from
// its interfaces and from hosts on the internet, to the interfaces'
// private and public addresses and to the internet, on common service
// ports; some pass and some do not.
func (s *Synth) Random(n int) error {
	net := s.e.Network()
	type end struct {
		name string
		addr netip.Addr
	}
	var froms []end
	var dsts []netip.Addr
	for _, x := range net.Interfaces {
		if ip := x.PrimaryIP(); ip.IsValid() && ip.Is4() && len(x.SecurityGroupIDs) > 0 {
			froms = append(froms, end{x.ID, ip})
			dsts = append(dsts, ip)
			for _, p := range x.PublicIPs {
				dsts = append(dsts, p.Public)
			}
		}
	}
	for _, a := range []string{"203.0.113.7", "198.51.100.9", "192.0.2.33"} {
		froms = append(froms, end{a, netip.MustParseAddr(a)})
	}
	dsts = append(dsts, netip.MustParseAddr("8.8.8.8"), netip.MustParseAddr("52.95.128.179"))
	if len(froms) == 0 {
		return fmt.Errorf("no interface with an IPv4 address and security groups to send from")
	}
	ports := []uint16{443, 80, 22, 8080, 5432, 3306, 53, 3389}
	for i := 0; i < n; i++ {
		f := froms[s.rnd.IntN(len(froms))]
		h := reach.Header{Src: f.addr, Dst: dsts[s.rnd.IntN(len(dsts))], Proto: 6,
			SrcPort: uint16(32768 + s.rnd.IntN(28000)), DstPort: ports[s.rnd.IntN(len(ports))]}
		if i%10 == 9 {
			h.Proto = 17
		}
		if h.Src == h.Dst {
			continue
		}
		if err := s.Connect(f.name, h); err != nil {
			return err
		}
	}
	return nil
}

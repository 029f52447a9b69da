// NAT gateways (docs/semantics.md, "NAT gateways"): how New links them and
// how a walk crosses them (source translation, sessions).

package reach

import (
	"fmt"
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// addNATNodes adds a node for every NAT gateway.
func (e *Engine) addNATNodes() {
	for _, g := range e.net.NATGateways {
		nd := e.newNode(nodeNAT, refOf("nat-gateway", &g.Meta))
		nd.nat = g
		nd.natID = int32(len(e.natAddrs))
		var addrs []netip.Addr
		if g.PrivateIP.IsValid() {
			addrs = []netip.Addr{g.PrivateIP}
		}
		e.natAddrs = append(e.natAddrs, addrs)
		if s := e.ix.Subnets[g.SubnetID]; s != nil {
			nd.subnet, nd.vpc = s, e.ix.VPCs[s.VPCID]
		}
		e.gw[g.ID] = nd
	}
}

// linkNATInterface links the interface x of a NAT gateway: the interface is
// the gateway itself, so traffic to its address is delivered to the NAT
// node, which decides, and the gateway sends into its subnet. It reports
// false when the gateway is not in the network.
func (e *Engine) linkNATInterface(x *model.NetworkInterface, en, sn *node) bool {
	g := e.gw[x.OwnerID]
	if g == nil {
		return false
	}
	d := e.link(sn, g, edgeDeliver, nil, nil)
	for _, a := range x.PrivateIPs {
		sn.deliver = append(sn.deliver, pointDelivery(a, d))
	}
	g.send = e.link(g, sn, edgeSend, nil, nil)
	en.send = g.send
	// Flow logs see the gateway's traffic at its interface.
	g.iface = en
	d.crossings = e.ifaceCrossing(en, model.Ingress)
	g.send.crossings = e.ifaceCrossing(en, model.Egress)
	return true
}

// linkNATGateways lets a NAT gateway whose interface is not in the network
// still send into its subnet.
func (e *Engine) linkNATGateways() {
	for _, g := range e.net.NATGateways {
		if gn, sn := e.gw[g.ID], e.subnet[g.SubnetID]; gn != nil && sn != nil {
			gn.send = e.link(gn, sn, edgeSend, nil, nil)
		}
	}
}

// natGatewayElement translates sources and answers only its own sessions.
type natGatewayElement struct{}

func (natGatewayElement) cross(w *walker, n *node, via *edge, f flow) { w.handleNAT(n, via, f) }

// step: the packet stepper keeps no sessions. A NAT gateway's source
// translation needs a source port the walker picks (and records) from
// Translation.Ports; a reply to the gateway's address is translated back by
// the walker from its session table (Translation.Kind DecisionReverseNAT),
// which drops it with PacketHop.Code when it has no session.
func (natGatewayElement) step(s *stepper, n *node, via *edge) {
	g := n.nat
	if via != nil && via.kind == edgeDeliver {
		if !s.reply {
			code := CodeNGWAddressNotHost
			if via.from.kind == nodeSubnet && s.pos.viaInternet {
				code = CodeNGWNoSession
			}
			s.dropAt(code, &n.ref)
			return
		}
		s.translate(Translation{Kind: DecisionReverseNAT, Gateway: &n.ref, NAT: n.natID, From: s.h.Dst})
		s.hop.Code, s.hop.Component = CodeNGWNoSession, &n.ref
		s.forward(n.send)
		return
	}
	switch {
	case s.reply:
		s.dropAt(CodeNGWNoSession, &n.ref)
	case !natProtocols.ContainsPoint(s.pt):
		s.dropAt(CodeProtocolRestriction, &n.ref)
	case !g.PrivateIP.IsValid(), n.send == nil:
		s.dropAt(CodeBadState, &n.ref)
	default:
		t := Translation{Kind: DecisionSourceNAT, Gateway: &n.ref, NAT: n.natID, From: s.h.Src, To: g.PrivateIP, Session: true}
		if tcpUDP.ContainsPoint(s.pt) {
			t.Ports = model.PortRange{First: natPorts.Lo, Last: natPorts.Hi}
		}
		s.translate(t)
		s.setSrc(hset.AddrFrom(g.PrivateIP))
		s.forward(n.send)
	}
}

// natProtocols are what a NAT gateway translates: TCP, UDP and ICMP.
var natProtocols = hset.Of(
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 6, Hi: 6}, SrcPort: allPorts, DstPort: allPorts},
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 17, Hi: 17}, SrcPort: allPorts, DstPort: allPorts},
	hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: 1, Hi: 1}, SrcPort: allPorts, DstPort: allPorts},
)

// natPorts are the source ports a NAT gateway translates TCP and UDP to.
var natPorts = hset.Range16{Lo: 1024, Hi: 65535}

func (w *walker) handleNAT(n *node, via *edge, f flow) {
	g := n.nat
	if via != nil && via.kind == edgeDeliver {
		// Addressed to the gateway itself: the reply to a translation it
		// made, or nothing it answers.
		if !f.reply || f.sessions == nil || f.sessions.nat != n {
			code, msg := CodeNGWAddressNotHost, fmt.Sprintf("%s does not accept connections to its own address", n.ref.Label())
			if f.reply || via.from.kind == nodeSubnet && w.fromOutside(f) {
				code, msg = CodeNGWNoSession, fmt.Sprintf("%s drops traffic that matches no session it created", n.ref.Label())
			}
			w.drop(f, f.set, &drop{code: code, comp: n.ref, message: msg}, nil)
			return
		}
		s := f.sessions
		orig := s.orig
		if tu := f.set.Intersect(tcpUDP); !tu.IsEmpty() {
			got := tu.ProjectPorts(hset.DimDstPort)
			if len(got) != 1 || got[0] != natPorts {
				f.warnings = &warning{prev: f.warnings, x: Explanation{Code: CodeEphemeralPartial, Severity: SeverityWarning, Direction: LegReturn, Component: n.ref,
					Message: fmt.Sprintf("replies reach %s only on translated ports %s; it picks ports from %d-%d, so connections whose translated port falls outside fail", n.ref.Label(), portList(got), natPorts.Lo, natPorts.Hi)}}
			}
		}
		back := hset.Set{}
		// The reply goes back to the original source and port of the
		// translated connection.
		for _, src := range orig.Project(hset.DimSrc) {
			part := f.set.WithDst(src)
			if !f.set.Intersect(tcpUDP).IsEmpty() {
				for _, pr := range orig.ProjectPorts(hset.DimSrcPort) {
					back = back.Union(part.Intersect(tcpUDP).WithDstPort(pr))
				}
				part = part.Subtract(tcpUDP)
			}
			back = back.Union(part)
		}
		f.sessions = s.prev
		w.step(&f, Step{Kind: StepTranslate, Decision: DecisionReverseNAT, Component: n.ref,
			Detail: fmt.Sprintf("destination %s -> %s (the session's source)", g.PrivateIP, rangesString(orig.Project(hset.DimSrc)))})
		f.set = back
		w.traverse(n.send, f)
		return
	}
	if f.reply {
		w.drop(f, f.set, &drop{code: CodeNGWNoSession, comp: n.ref, message: fmt.Sprintf("the reply is routed to %s, which drops it: the request did not go through it, so it matches no session", n.ref.Label())}, nil)
		return
	}
	ok := f.set.Intersect(natProtocols)
	w.drop(f, f.set.Subtract(natProtocols), &drop{code: CodeProtocolRestriction, comp: n.ref, message: fmt.Sprintf("%s translates only TCP, UDP and ICMP", n.ref.Label())}, nil)
	if ok.IsEmpty() {
		return
	}
	if !g.PrivateIP.IsValid() {
		w.drop(f, ok, &drop{code: CodeBadState, comp: n.ref, message: fmt.Sprintf("%s has no address in the input", n.ref.Label())}, nil)
		return
	}
	if n.send == nil {
		w.drop(f, ok, &drop{code: CodeBadState, comp: n.ref, message: fmt.Sprintf("%s is in no subnet of the network", n.ref.Label())}, nil)
		return
	}
	out := ok.WithSrc(addrRange(g.PrivateIP))
	if tu := out.Intersect(tcpUDP); !tu.IsEmpty() {
		out = out.Subtract(tcpUDP).Union(tu.WithSrcPort(natPorts))
	}
	f.sessions = &session{prev: f.sessions, nat: n, orig: ok}
	w.step(&f, Step{Kind: StepTranslate, Decision: DecisionSourceNAT, Component: n.ref,
		Detail: fmt.Sprintf("source %s -> %s, ports %d-%d", rangesString(ok.Project(hset.DimSrc)), g.PrivateIP, natPorts.Lo, natPorts.Hi)})
	f.set = out
	w.traverse(n.send, f)
}

// fromOutside reports whether the flow entered the VPC from the internet:
// a connection attempt to a NAT gateway's public address.
func (w *walker) fromOutside(f flow) bool {
	for ev := f.trail; ev != nil; ev = ev.prev {
		if ev.node != nil && ev.node.kind == nodeInternet {
			return true
		}
	}
	return false
}

// natOwning returns the NAT gateway whose address is the source of s, if any.
func (e *Engine) natOwning(s hset.Set) *node {
	for _, g := range e.net.NATGateways {
		if g.PrivateIP.IsValid() && !s.Intersect(hset.Of(srcBoxes(addrRange(g.PrivateIP))...)).IsEmpty() {
			return e.gw[g.ID]
		}
	}
	return nil
}

// natAt is natOwning for one source address.
func (e *Engine) natAt(a netip.Addr) *node {
	for _, g := range e.net.NATGateways {
		if g.PrivateIP.IsValid() && g.PrivateIP == a {
			return e.gw[g.ID]
		}
	}
	return nil
}

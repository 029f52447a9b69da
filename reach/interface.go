// Network interfaces (docs/semantics.md, "Network interfaces"): how New links
// them to their subnets and how a walk starts at, is delivered to, or is
// routed to one.

package reach

import (
	"fmt"
	"net/netip"
	"slices"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// addInterfaceNodes adds a node for every network interface.
func (e *Engine) addInterfaceNodes() {
	for _, x := range e.net.Interfaces {
		// A load balancer's interface is its node: what reaches its
		// address is the load balancer's to decide.
		lb := e.loadBalancerOf(x)
		kind := nodeENI
		if lb != nil {
			kind = nodeLB
		}
		nd := e.newNode(kind, refOf("network-interface", &x.Meta))
		nd.eni = x
		if s := e.ix.Subnets[x.SubnetID]; s != nil {
			nd.subnet, nd.vpc = s, e.ix.VPCs[s.VPCID]
		}
		if lb != nil {
			e.initLoadBalancerNode(nd, x, lb)
		}
		e.eni[x.ID] = nd
		// Interfaces are numbered densely, in the network's order, for
		// packet walkers' tables (see Crossing).
		nd.iid = int32(len(e.ifaces))
		c := Crossing{ID: nd.iid, Interface: &nd.ref}
		if sn := e.subnet[x.SubnetID]; sn != nil {
			c.Subnet = &sn.ref
		}
		e.ifaces = append(e.ifaces, c)
	}
}

// indexOwners indexes, per VPC, the interface owning each private and IPv6
// address.
func (e *Engine) indexOwners() {
	for _, x := range e.net.Interfaces {
		s := e.ix.Subnets[x.SubnetID]
		if s == nil {
			continue
		}
		own := e.owners[s.VPCID]
		if own == nil {
			own = map[netip.Addr]*model.NetworkInterface{}
			e.owners[s.VPCID] = own
		}
		for _, a := range slices.Concat(x.PrivateIPs, x.IPv6Addrs) {
			own[a] = x
		}
	}
}

// addInterfaceEdges links every interface to its subnet both ways and
// indexes the addresses each subnet delivers. Leaving, traffic crosses the
// source/destination check and the outbound security group rules; entering,
// the inbound rules.
func (e *Engine) addInterfaceEdges() {
	for _, x := range e.net.Interfaces {
		en, sn := e.eni[x.ID], e.subnet[x.SubnetID]
		if sn == nil {
			continue
		}
		if x.OwnerKind == model.OwnerNATGateway && e.linkNATInterface(x, en, sn) {
			continue
		}
		addrs := addrsRanges(slices.Concat(x.PrivateIPs, x.IPv6Addrs))
		en.own = hset.Of(dstBoxes(addrs...)...)
		var leave, enter []filter
		if x.SourceDestCheck {
			leave = append(leave, filter{kind: filterSourceCheck, eni: x, comp: en.ref, iid: en.iid, own: hset.Of(srcBoxes(addrs...)...)})
		}
		leave = append(leave, e.sgFilter(x, model.Egress)...)
		enter = append(enter, e.sgFilter(x, model.Ingress)...)
		en.send = e.link(en, sn, edgeSend, leave, nil)
		en.send.crossings = e.ifaceCrossing(en, model.Egress)
		if en.kind == nodeLB {
			e.linkLoadBalancerNode(en, sn, e.sgFilter(x, model.Egress))
		}
		d := e.link(sn, en, edgeDeliver, nil, enter)
		d.crossings = e.ifaceCrossing(en, model.Ingress)
		for _, a := range slices.Concat(x.PrivateIPs, x.IPv6Addrs) {
			sn.deliver = append(sn.deliver, pointDelivery(a, d))
		}
	}
	for _, sn := range e.subnet {
		slices.SortFunc(sn.deliver, func(a, b delivery) int { return cmpAddr(a.to[0].Lo, b.to[0].Lo) })
	}
	e.linkNATGateways()
}

// interfaceElement: traffic starts at an interface, is delivered to one, or
// is routed to one as a next hop.
type interfaceElement struct{}

func (interfaceElement) cross(w *walker, n *node, via *edge, f flow) { w.handleENI(n, via, f) }

func (interfaceElement) step(s *stepper, n *node, via *edge) {
	switch {
	case via == nil:
		if n.send == nil {
			s.dropAt(CodeOutsideEstate, &n.ref)
			return
		}
		if r := s.pos.lb; s.reply && r != nil && r.ret != nil && r.target == n {
			s.forward(r.ret)
			return
		}
		s.forward(n.send)
	case via.kind == edgeDeliver || n.own.ContainsPoint(s.pt):
		s.finish(OutcomeDelivered)
	case n.eni.SourceDestCheck:
		s.dropAt(CodeSourceDestCheck, &n.ref)
	default:
		s.dropAt(CodeUnsupportedComponent, &n.ref)
	}
}

// crossSourceCheck applies an interface's source/destination check to
// traffic it sends: only its own addresses may be the source.
func (w *walker) crossSourceCheck(ft *filter, f *flow) {
	pass := f.set.Intersect(ft.own)
	w.drop(*f, f.set.Subtract(ft.own), &drop{code: CodeSourceDestCheck, comp: ft.comp,
		message: fmt.Sprintf("%s has source/destination check enabled and does not send traffic from addresses it does not own", ft.comp.Label())}, nil)
	f.set = pass
}

// stepSourceCheck is crossSourceCheck for one packet.
func (s *stepper) stepSourceCheck(ft *filter) bool {
	if ft.own.ContainsPoint(s.pt) {
		return true
	}
	s.dropAt(CodeSourceDestCheck, &ft.comp)
	return false
}

func (w *walker) handleENI(n *node, via *edge, f flow) {
	switch {
	case via == nil:
		if n.send == nil {
			w.drop(f, f.set, &drop{code: CodeOutsideEstate, comp: n.ref, message: fmt.Sprintf("%s is in no subnet of the network", n.ref.Label())}, nil)
			return
		}
		// A reply to what a Network Load Balancer forwarded with the
		// client's address goes back through the load balancer.
		if ret := n.replyReturn(&f); f.reply && ret != nil {
			w.traverse(ret, f)
			return
		}
		w.traverse(n.send, f)
	case via.kind == edgeDeliver:
		w.reached(n, f)
	default:
		// Routed here as a next hop: only traffic addressed to the
		// interface itself is delivered; anything else is either dropped by
		// the source/destination check or handed to software vpcsim does not
		// model.
		if mine := f.set.Intersect(n.own); !mine.IsEmpty() {
			g := f
			g.set = mine
			w.reached(n, g)
		}
		rest := f.set.Subtract(n.own)
		if n.eni.SourceDestCheck {
			w.drop(f, rest, &drop{code: CodeSourceDestCheck, comp: n.ref, message: fmt.Sprintf("the route sends traffic to %s, which has source/destination check enabled and drops traffic not addressed to it", n.ref.Label())}, nil)
		} else {
			w.drop(f, rest, &drop{code: CodeUnsupportedComponent, comp: n.ref, message: fmt.Sprintf("the route sends traffic to %s, an appliance whose forwarding vpcsim does not model", n.ref.Label())}, nil)
		}
	}
}

func eniRef(x *model.NetworkInterface) Ref { return refOf("network-interface", &x.Meta) }

// ifaceCrossing is the flow-log crossing of interface node x in direction
// d, for the edges that lead into or out of it.
func (e *Engine) ifaceCrossing(x *node, d model.Direction) []Crossing {
	c := e.ifaces[x.iid]
	c.Direction = d
	return e.crossing(c)
}

// crossing returns a one-crossing list, carved from a shared block: an
// estate has one or two for each interface.
func (e *Engine) crossing(c Crossing) []Crossing {
	if len(e.crossBlock) == cap(e.crossBlock) {
		e.crossBlock = make([]Crossing, 0, 1024)
	}
	e.crossBlock = append(e.crossBlock, c)
	n := len(e.crossBlock)
	return e.crossBlock[n-1 : n : n]
}

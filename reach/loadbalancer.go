// Load balancers (docs/semantics.md, "Load balancers"): how New compiles a
// load balancer's nodes, listeners and targets, and how a walk crosses a
// node — a client's connection ends at an Application or Classic Load
// Balancer, which opens its own to a target; a Network Load Balancer passes
// it through, keeping the client's address or not; replies come back
// through the node that forwarded the request.

package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// LoadBalancing says how traffic reaches a target through a load balancer:
// the listener that accepted it and the target group it was sent to.
type LoadBalancing struct {
	LoadBalancer Ref `json:"load_balancer"`
	// Type is application, network, gateway or classic.
	Type     model.LoadBalancerType `json:"type"`
	Listener Ref                    `json:"listener"`
	// Protocol and Port are the listener's.
	Protocol string `json:"protocol"`
	Port     uint16 `json:"port"`
	// Rule is the listener rule (or "default action") that forwards.
	Rule        string `json:"rule,omitempty"`
	TargetGroup Ref    `json:"target_group"`
	// TargetPort is the port the target receives on.
	TargetPort uint16 `json:"target_port"`
	// ClientIPPreserved is set when the target sees the client's own
	// address (a Network Load Balancer preserving client IP); otherwise it
	// sees the load balancer's.
	ClientIPPreserved bool `json:"client_ip_preserved,omitempty"`
}

// String reads "load balancer aws_lb.web listener HTTPS 443 → target group
// aws_lb_target_group.web port 8080", as Inspector words it.
func (l LoadBalancing) String() string {
	s := fmt.Sprintf("load balancer %s listener %s %d", l.LoadBalancer.Short(), l.Protocol, l.Port)
	if l.TargetGroup.Kind == "" {
		return s
	}
	s += fmt.Sprintf(" → target group %s port %d", l.TargetGroup.Short(), l.TargetPort)
	if l.ClientIPPreserved {
		s += " (client address preserved)"
	}
	return s
}

// key identifies the path for grouping: the same listener and group.
func (l LoadBalancing) key() string {
	return l.LoadBalancer.ID + "|" + l.Listener.ID + "|" + strconvU16(l.Port) + "|" + l.TargetGroup.ID + "|" + strconvU16(l.TargetPort)
}

func strconvU16(p uint16) string { return fmt.Sprint(p) }

// lbNode is one node of a load balancer: the interface in one enabled
// subnet, which the node kind nodeLB stands for in the graph.
type lbNode struct {
	lb   *model.LoadBalancer
	ref  Ref // the load balancer
	zone string
	// v4 and v6 are the node's own private addresses, the source of the
	// connections it opens.
	v4, v6 netip.Addr
	// listeners, in the load balancer's order.
	listeners []*lbListener
	// pass is the node's way into its subnet for what it passes on with
	// the client's address: its security groups, no source check.
	pass *edge
}

// lbListener is a listener as one node compiles it.
type lbListener struct {
	l     *model.Listener
	ref   Ref
	match hset.Set // the headers it accepts: its protocols and port
	// routes are where the node may send what the listener accepts, in
	// the listener's order; excluded are the targets it may not send to
	// from this node, with why.
	routes   []*lbRoute
	excluded []lbExcluded
	// forwards are its ways to target groups, as answers name them.
	forwards []LoadBalancing
}

// lbExcluded is a registered target the node does not send to: in a zone
// the load balancer has no node in, in another zone without cross-zone load
// balancing, or failing its health checks.
type lbExcluded struct {
	route *lbRoute
	drop  *drop
}

// lbRoute is one way a node forwards a listener's traffic: one target of
// one target group.
type lbRoute struct {
	n   *node // the load balancer node
	lis *lbListener
	via LoadBalancing
	id  int32 // see Translation.LB
	// to is the target's address and port; target its interface node when
	// the network has one; classTo the address of its class's
	// representative, for class walks.
	to, classTo hset.Addr
	port        uint16
	target      *node
	targetRef   Ref
	zone        string
	// preserve keeps the client's address and port; proxy opens a new
	// connection from the node's own address.
	preserve, proxy bool
	// sgPass is set when the load balancer has security groups and
	// preserves the client's address: its targets' rules naming those
	// groups admit what it forwards (see crossSG).
	sgPass bool
	groups []string
	// ret is, for a preserving route to an interface, the way the
	// target's replies go back to the node.
	ret *edge
	// health is why the node's health checks fail; nil when they pass.
	health *drop
}

// addLoadBalancerNode decides whether interface x is a load balancer's node
// and, if so, gives its graph node what the load balancer compiles into.
func (e *Engine) loadBalancerOf(x *model.NetworkInterface) *model.LoadBalancer {
	if x.OwnerKind != model.OwnerLoadBalancer {
		return nil
	}
	return e.ix.LoadBalancers[x.OwnerID]
}

// initLoadBalancerNode fills in the load balancer side of node nd, the node
// of interface x of lb.
func (e *Engine) initLoadBalancerNode(nd *node, x *model.NetworkInterface, lb *model.LoadBalancer) {
	ln := &lbNode{lb: lb, ref: refOf("load-balancer", &lb.Meta)}
	if nd.subnet != nil {
		ln.zone = nd.subnet.Zone()
	}
	for _, a := range x.PrivateIPs {
		if !ln.v4.IsValid() {
			ln.v4 = a
		}
	}
	if len(x.IPv6Addrs) > 0 {
		ln.v6 = x.IPv6Addrs[0]
	}
	nd.lb = ln
	e.lbNodes = append(e.lbNodes, nd)
}

// linkLoadBalancerNode adds the node's edge for traffic it passes on with
// the client's address: its outbound security group rules apply, its own
// source check does not (what it sends is not from its own address).
func (e *Engine) linkLoadBalancerNode(en, sn *node, leave []filter) {
	en.lb.pass = e.link(en, sn, edgeRoute, leave, nil)
	en.lb.pass.crossings = e.ifaceCrossing(en, model.Egress)
}

// buildLoadBalancers compiles every node's listeners and routes, checks its
// targets' health along the graph (which must be complete), and links the
// ways back from targets that see clients' own addresses.
func (e *Engine) buildLoadBalancers() {
	if len(e.lbNodes) == 0 {
		return
	}
	zones := map[*model.LoadBalancer]map[string]bool{}
	for _, n := range e.lbNodes {
		if zones[n.lb.lb] == nil {
			zones[n.lb.lb] = map[string]bool{}
		}
		if n.lb.zone != "" {
			zones[n.lb.lb][n.lb.zone] = true
		}
	}
	for _, n := range e.lbNodes {
		e.compileListeners(n, zones[n.lb.lb])
	}
	for _, n := range e.lbNodes {
		for _, l := range n.lb.listeners {
			for _, r := range l.routes {
				r.health = e.healthCheck(r)
			}
			l.routes, l.excluded = e.healthy(n, l)
		}
	}
	for _, n := range e.lbNodes {
		for _, l := range n.lb.listeners {
			for _, r := range l.routes {
				r.id = int32(len(e.lbRoutes))
				e.lbRoutes = append(e.lbRoutes, r)
				if r.preserve && n.lb.lb.Type == model.LBNetwork && r.target != nil && r.target.send != nil {
					r.ret = e.returnEdge(r)
				}
			}
		}
	}
}

// compileListeners compiles node n's listeners: what each accepts, and the
// targets it may send to.
func (e *Engine) compileListeners(n *node, enabled map[string]bool) {
	ln := n.lb
	lb := ln.lb
	for i := range lb.Listeners {
		l := &lb.Listeners[i]
		tcp, udp, all, ok := l.Transport()
		if !ok {
			continue
		}
		ll := &lbListener{l: l, ref: refOf("listener", &l.Meta)}
		if ll.ref.ID == "" && ll.ref.Address == "" {
			ll.ref.Name = fmt.Sprintf("%s listener %s %d", lb.Label(), l.Protocol, l.Port)
		}
		ports := hset.Range16{Lo: l.Port, Hi: l.Port}
		var boxes []hset.Box
		switch {
		case all:
			// A Gateway Load Balancer listens to every packet its
			// endpoints send; none comes to a node's address.
		default:
			for _, p := range []struct {
				on bool
				n  uint8
			}{{tcp, 6}, {udp, 17}} {
				if p.on {
					boxes = append(boxes, hset.Box{Src: full, Dst: full, Proto: hset.Range8{Lo: p.n, Hi: p.n}, SrcPort: allPorts, DstPort: ports})
				}
			}
		}
		ll.match = hset.Of(boxes...)
		for _, fw := range l.Forwards {
			tg := e.ix.TargetGroups[fw.TargetGroupID]
			if tg == nil {
				continue
			}
			via := LoadBalancing{LoadBalancer: ln.ref, Type: lb.Type, Listener: ll.ref, Protocol: l.Protocol, Port: l.Port,
				Rule: fw.Rule, TargetGroup: refOf("target-group", &tg.Meta), TargetPort: tg.Port}
			if lb.Type == model.LBNetwork && tg.PreservesClientIP() {
				via.ClientIPPreserved = true
			}
			ll.forwards = append(ll.forwards, via)
			for _, t := range e.targetsOf(tg) {
				r := &lbRoute{n: n, lis: ll, via: via, to: t.addr, port: t.port, target: t.node, zone: t.zone, targetRef: t.ref}
				r.via.TargetPort = t.port
				switch {
				case lb.Type == model.LBNetwork && tg.PreservesClientIP():
					r.preserve = true
					r.via.ClientIPPreserved = true
					r.sgPass = len(lb.SecurityGroupIDs) > 0
					r.groups = lb.SecurityGroupIDs
				case lb.Type == model.LBGateway:
					r.preserve = true // GENEVE carries the original packet
				default:
					r.proxy = lb.Type.Proxies()
				}
				crossZone := lb.CrossZone
				if tg.CrossZone != nil {
					crossZone = *tg.CrossZone
				}
				switch {
				case t.zone != "" && t.zone != "all" && len(enabled) > 0 && !enabled[t.zone]:
					ll.excluded = append(ll.excluded, lbExcluded{r, &drop{code: CodeELBInstalledAZ, comp: ln.ref,
						message: fmt.Sprintf("%s has no node in %s, the zone of target %s: the target gets no traffic", lb.Label(), t.zone, t.label)}})
				case !crossZone && t.zone != "" && t.zone != "all" && ln.zone != "" && t.zone != ln.zone:
					ll.excluded = append(ll.excluded, lbExcluded{r, &drop{code: CodeELBNotCrossZone, comp: ln.ref,
						message: fmt.Sprintf("cross-zone load balancing is off: the node of %s in %s does not send to target %s in %s", lb.Label(), ln.zone, t.label, t.zone)}})
				default:
					ll.routes = append(ll.routes, r)
				}
			}
		}
		ln.listeners = append(ln.listeners, ll)
	}
}

// forwards lists the ways the node's listeners forward.
func (ln *lbNode) forwards() []LoadBalancing {
	var out []LoadBalancing
	for _, l := range ln.listeners {
		if len(l.forwards) == 0 {
			out = append(out, LoadBalancing{LoadBalancer: ln.ref, Type: ln.lb.Type, Listener: l.ref, Protocol: l.l.Protocol, Port: l.l.Port})
		}
		out = append(out, l.forwards...)
	}
	return out
}

// lbTarget is a registered target resolved in the network.
type lbTarget struct {
	addr  hset.Addr
	port  uint16
	node  *node
	zone  string
	label string
	ref   Ref // the owner of its interface, else the interface, else the address
}

// targetsOf resolves a group's registrations to addresses: an instance's is
// the primary private address of its primary interface ("Targets for your
// Application Load Balancers": traffic is routed to that address), an Auto
// Scaling group's are its instances', an Application Load Balancer's its
// nodes'. What cannot be resolved is noted once, at the build.
func (e *Engine) targetsOf(tg *model.TargetGroup) []lbTarget {
	var out []lbTarget
	ifaceTarget := func(x *model.NetworkInterface, port uint16, label string) {
		n := e.eni[x.ID]
		if n == nil || n.subnet == nil {
			return
		}
		a := x.PrimaryIP()
		if !a.IsValid() {
			return
		}
		out = append(out, lbTarget{addr: hset.AddrFrom(a), port: port, node: n, zone: n.subnet.Zone(), label: label, ref: e.targetRef(x)})
	}
	for _, t := range tg.Targets {
		port := cmp.Or(t.Port, tg.Port)
		switch t.Kind {
		case model.RegInstance:
			in := e.ix.Instances[t.TargetID]
			if in == nil || len(in.InterfaceIDs) == 0 || e.ix.Interfaces[in.InterfaceIDs[0]] == nil {
				e.noteOnce(CodeOutsideEstate, refOf("target-group", &tg.Meta), "target %s of %s is not in the input: traffic to it is not analysed", t.TargetID, tg.Label())
				continue
			}
			ifaceTarget(e.ix.Interfaces[in.InterfaceIDs[0]], port, in.Label())
		case model.RegAutoScaling:
			g := e.ix.AutoScaling[t.TargetID]
			if g == nil {
				e.noteOnce(CodeOutsideEstate, refOf("target-group", &tg.Meta), "Auto Scaling group %s registered in %s is not in the input: traffic to its instances is not analysed", t.TargetID, tg.Label())
				continue
			}
			for _, id := range g.InterfaceIDs {
				if x := e.ix.Interfaces[id]; x != nil {
					ifaceTarget(x, port, x.Label())
				}
			}
		case model.RegLoadBalancer:
			lb := e.ix.LoadBalancers[t.TargetID]
			if lb == nil {
				e.noteOnce(CodeOutsideEstate, refOf("target-group", &tg.Meta), "load balancer %s registered in %s is not in the input: traffic to it is not analysed", t.TargetID, tg.Label())
				continue
			}
			for _, id := range lb.InterfaceIDs {
				if x := e.ix.Interfaces[id]; x != nil {
					ifaceTarget(x, port, lb.Label())
				}
			}
		case model.RegIP:
			a, err := netip.ParseAddr(t.TargetID)
			if err != nil {
				continue
			}
			a = a.Unmap()
			lt := lbTarget{addr: hset.AddrFrom(a), port: port, label: a.String(), zone: t.AvailabilityZone, ref: Ref{Kind: "address", Name: a.String()}}
			for _, own := range e.owners {
				if x := own[a]; x != nil {
					if n := e.eni[x.ID]; n != nil && n.subnet != nil {
						lt.node, lt.zone, lt.label, lt.ref = n, n.subnet.Zone(), x.Label()+" ("+a.String()+")", e.targetRef(x)
					}
				}
			}
			out = append(out, lt)
		case model.RegLambda:
			e.noteOnce(CodeUnsupportedComponent, refOf("target-group", &tg.Meta), "%s sends to Lambda function %s, which AWS invokes through its own service, not over the VPC: that traffic is not analysed", tg.Label(), t.TargetID)
		}
	}
	return out
}

// targetRef names a target by what owns its interface, else the interface.
func (e *Engine) targetRef(x *model.NetworkInterface) Ref {
	if o := e.ownerRef(x); o != nil && o.Kind != "" {
		return *o
	}
	return eniRef(x)
}

// healthCheck sends the target group's health check from route r's node
// to its target along the graph, and its replies back: nil when some of it
// gets through both ways, else why not.
func (e *Engine) healthCheck(r *lbRoute) *drop {
	n := r.n
	tg := e.ix.TargetGroups[r.via.TargetGroup.ID]
	if tg == nil || tg.HealthCheckDisabled {
		return nil
	}
	src := n.lb.v4
	if !v4Block.Contains(r.to) {
		src = n.lb.v6
	}
	if !src.IsValid() {
		return nil
	}
	proto := cmp.Or(tg.HealthCheckProtocol, tg.Protocol)
	tcp, udp, _, _ := model.ProtocolTransport(proto)
	p := uint8(6)
	if udp && !tcp {
		p = 17
	}
	port := cmp.Or(tg.HealthCheckPort, r.port)
	set := hset.Of(hset.Box{Src: addrRange(src), Dst: hset.AddrRange{Lo: r.to, Hi: r.to}, Proto: hset.Range8{Lo: p, Hi: p},
		SrcPort: natPorts, DstPort: hset.Range16{Lo: port, Hi: port}})
	fc := e.walk([]*node{n}, flow{set: set}, false)
	var why *drop
	for _, d := range fc.dropped {
		if why == nil {
			why = d.d
		}
	}
	for _, rf := range fc.reached {
		if rf.t.kind != nodeENI && rf.t.kind != nodeLB || rf.f.set.Intersect(hset.Of(dstBoxes(hset.AddrRange{Lo: r.to, Hi: r.to})...)).IsEmpty() {
			continue
		}
		rt := e.roundTrip(rf.t, rf.f, set, func(t *node) bool { return t == n }, true)
		if !rt.passing.IsEmpty() {
			return nil
		}
		for _, d := range rt.dropped {
			why = d.d
			break
		}
	}
	msg := fmt.Sprintf("the health checks of %s (%s port %d) from the node in %s do not reach the target and back", r.via.TargetGroup.Label(), strings.ToUpper(proto), port, cmp.Or(n.lb.zone, "its subnet"))
	if why != nil {
		msg += ": " + why.message
	}
	return &drop{code: CodeLBTargetUnhealthy, comp: r.via.TargetGroup, message: msg}
}

// healthy splits a listener's routes into those the node sends to and those
// it does not: a target that fails its health checks gets nothing, unless
// every target of its group does, and the load balancer then routes to all
// of them ("fails open", as the Elastic Load Balancing guides say of
// unhealthy targets).
func (e *Engine) healthy(n *node, l *lbListener) (routes []*lbRoute, excluded []lbExcluded) {
	excluded = l.excluded
	byGroup := map[string][]*lbRoute{}
	var order []string
	for _, r := range l.routes {
		k := r.via.TargetGroup.ID
		if byGroup[k] == nil {
			order = append(order, k)
		}
		byGroup[k] = append(byGroup[k], r)
	}
	for _, k := range order {
		rs := byGroup[k]
		some := slices.ContainsFunc(rs, func(r *lbRoute) bool { return r.health == nil })
		for _, r := range rs {
			switch {
			case r.health == nil:
				routes = append(routes, r)
			case some:
				excluded = append(excluded, lbExcluded{r, r.health})
			default:
				routes = append(routes, r)
				e.noteOnce(CodeLBTargetUnhealthy, r.via.TargetGroup, "no target of %s passes its health checks from %s's node in %s: the load balancer fails open and sends to all of them (%s)",
					r.via.TargetGroup.Label(), n.lb.lb.Label(), cmp.Or(n.lb.zone, "its subnet"), r.health.message)
			}
		}
	}
	return routes, excluded
}

// returnEdge links a preserving route's target to its node: the target
// replies to the client's address, and AWS returns the reply through the
// load balancer whatever the target's routes say. It crosses the target's
// outbound groups (stateful: the reply passes) and, when the target is in
// another subnet, its subnet's outbound network ACL rules and the node's
// subnet's inbound rules.
func (e *Engine) returnEdge(r *lbRoute) *edge {
	t, n := r.target, r.n
	var leave, enter []filter
	for _, f := range t.send.leave {
		if f.kind == filterSG {
			leave = append(leave, f)
		}
	}
	if t.subnet != nil && n.subnet != nil && t.subnet.ID != n.subnet.ID {
		leave = append(leave, e.subnetFilter(t.subnet, model.Egress)...)
		enter = e.subnetFilter(n.subnet, model.Ingress)
	}
	ed := e.link(t, n, edgeReturn, leave, enter)
	ed.crossings = e.ifaceCrossing(t, model.Egress)
	t.returns = append(t.returns, ed)
	return ed
}

// classTargets points every route at its target's class representative,
// for class walks (Matrix): a class walk delivers to representatives only.
func (e *Engine) classTargets() {
	for _, r := range e.lbRoutes {
		r.classTo = r.to
		if c := e.classOf[r.target]; c != nil && len(c.rep) > 0 && r.target != c.members[0] {
			if v4Block.Contains(r.to) == v4Block.Contains(c.rep[0].Lo) {
				r.classTo = c.rep[0].Lo
			}
		}
	}
}

// noteOnce is note, once per message.
func (e *Engine) noteOnce(code Code, comp Ref, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, x := range e.notes {
		if x.Code == code && x.Message == msg {
			return
		}
	}
	e.note(code, comp, "%s", msg)
}

// loadBalancerElement: a load balancer node accepts what its listeners
// listen to and forwards it to its targets; replies come back through it.
type loadBalancerElement struct{}

func (loadBalancerElement) cross(w *walker, n *node, via *edge, f flow) {
	switch {
	case via == nil:
		// A connection the node opens itself (a health check), or a reply
		// it forwards back to a client after undoing its translation.
		w.traverse(n.send, f)
	case f.reply:
		w.lbReply(n, f)
	default:
		w.lbForward(n, f)
	}
}

func (loadBalancerElement) step(s *stepper, n *node, via *edge) {
	switch {
	case via == nil:
		s.forward(n.send)
	case s.reply:
		// The walker undoes its session (or, with none, the reply answers
		// a connection the node opened, and arrives): it steps again from
		// the node with the restored header.
		s.translate(Translation{Kind: DecisionReverseLoadBalance, Gateway: &n.lb.ref, NAT: -1, LB: -1, From: s.h.Dst})
		s.hop.Outcome, s.pos.on, s.pos.lb = OutcomeForward, nil, nil
	default:
		s.lbForward(n)
	}
}

// lbSession finds the load balancer session of f nearest the top: the
// route its forward path took through a node.
func (f *flow) lbSession() *session {
	for s := f.sessions; s != nil; s = s.prev {
		if s.lb != nil {
			return s
		}
	}
	return nil
}

// lbForward splits what reaches node n by listener: what no listener
// accepts stops; what one accepts is, at a proxy, the client's connection
// made (reached), and goes on as the node's own connection to each target
// it may send to; at a Network Load Balancer it goes on to each target with
// the client's address or the node's.
func (w *walker) lbForward(n *node, f flow) {
	ln := n.lb
	rest := f.set
	for _, l := range ln.listeners {
		part := rest.Intersect(l.match)
		if part.IsEmpty() {
			continue
		}
		rest = rest.Subtract(l.match)
		g := f
		g.set = part
		if ln.lb.Type.Proxies() {
			w.reached(n, g)
		}
		if len(l.routes) == 0 && !ln.lb.Type.Proxies() {
			w.drop(g, part, &drop{code: CodeELBV2ListenerHasNoTG, comp: l.ref,
				message: fmt.Sprintf("listener %s %d of %s forwards to no target it can reach", l.l.Protocol, l.l.Port, ln.lb.Label())}, nil)
		}
		for _, x := range l.excluded {
			h := g
			h.set = x.route.onward(part, false)
			h.sessions = &session{prev: g.sessions, lb: x.route, orig: part}
			w.drop(h, h.set, x.drop, nil)
		}
		for _, r := range l.routes {
			h := g
			h.set = r.onward(part, w.byClass)
			h.sessions = &session{prev: g.sessions, lb: r, orig: part}
			if r.preserve {
				// A target reached with its own address as the source
				// drops it: Network Load Balancers do not support
				// loopback (hairpinning) with client addresses preserved.
				self := hset.Of(srcBoxes(hset.AddrRange{Lo: r.to, Hi: r.to})...)
				w.drop(h, h.set.Intersect(self), &drop{code: CodeLBLoopback, comp: ln.ref,
					message: fmt.Sprintf("%s sends the target's own connection back to it with its own address as the source, which the target drops (no loopback with client IP preservation)", ln.lb.Label())}, nil)
				if h.set = h.set.Subtract(self); h.set.IsEmpty() {
					continue
				}
			}
			w.step(&h, Step{Kind: StepTranslate, Decision: DecisionLoadBalance, Component: ln.ref, Detail: r.detail()})
			w.traverse(r.edge(), h)
		}
	}
	if rest.IsEmpty() {
		return
	}
	code, msg := CodeELBV2ListenersMismatch, fmt.Sprintf("no listener of %s accepts the traffic", ln.lb.Label())
	switch {
	case ln.lb.Type == model.LBClassic:
		code = CodeELBListenersMismatch
	case ln.lb.Type == model.LBGateway:
		code, msg = CodeUnsupportedComponent, fmt.Sprintf("%s takes traffic only from its Gateway Load Balancer endpoints, which hand it to appliances vpcsim does not model", ln.lb.Label())
	}
	w.drop(f, rest, &drop{code: code, comp: ln.ref, message: msg}, nil)
}

// edge is how the route's node sends: from its own address along its
// send edge, or with the client's along its pass edge.
func (r *lbRoute) edge() *edge {
	if r.preserve {
		return r.n.lb.pass
	}
	return r.n.send
}

// onward is what the node sends to the route's target for part: the
// client's headers addressed to the target's port, from the client's
// address when it is preserved, else from the node's own address and an
// ephemeral port it picks.
func (r *lbRoute) onward(part hset.Set, byClass bool) hset.Set {
	to := r.to
	if byClass {
		to = r.classTo
	}
	out := part.WithDst(hset.AddrRange{Lo: to, Hi: to}).WithDstPort(hset.Range16{Lo: r.port, Hi: r.port})
	if r.preserve {
		return out
	}
	src := r.n.lb.v4
	if !v4Block.Contains(to) && r.n.lb.v6.IsValid() {
		src = r.n.lb.v6
	}
	return out.WithSrc(addrRange(src)).WithSrcPort(natPorts)
}

func (r *lbRoute) detail() string {
	target := r.to.NetIP().String()
	if r.target != nil {
		target = eniRef(r.target.eni).Label() + " (" + target + ")"
	}
	s := fmt.Sprintf("listener %s %d -> target group %s port %d: %s", r.via.Protocol, r.via.Port, r.via.TargetGroup.Label(), r.port, target)
	switch {
	case r.preserve:
		s += ", client address preserved"
	case r.proxy:
		s += ", a new connection from the load balancer"
	default:
		s += ", source translated to the load balancer"
	}
	return s
}

// lbReply undoes node n's translation for a reply of a connection it
// forwarded: the reply goes back to the client from the address and port
// the client connected to. A reply matching no session answers a
// connection the node opened itself, and has arrived.
func (w *walker) lbReply(n *node, f flow) {
	s := f.lbSession()
	if s == nil || s.lb.n != n {
		w.reached(n, f)
		return
	}
	r := s.lb
	back := replyOf(s.orig)
	if r.preserve {
		// The replies that came back, addressed again as the client
		// addressed the listener.
		back = replyOf(backToListener(replyOf(f.set), s.orig))
	} else if tu := f.set.Intersect(tcpUDP); !tu.IsEmpty() {
		if got := tu.ProjectPorts(hset.DimDstPort); len(got) != 1 || got[0] != natPorts {
			f.warnings = &warning{prev: f.warnings, x: Explanation{Code: CodeEphemeralPartial, Severity: SeverityWarning, Direction: LegReturn, Component: n.lb.ref,
				Message: fmt.Sprintf("replies reach %s only on ports %s; it opens its connections from ports %d-%d, so some fail", n.lb.lb.Label(), portList(got), natPorts.Lo, natPorts.Hi)}}
		}
	}
	f.sessions = dropSession(f.sessions, s)
	w.step(&f, Step{Kind: StepTranslate, Decision: DecisionReverseLoadBalance, Component: n.lb.ref,
		Detail: fmt.Sprintf("reply from %s back to the client", r.to.NetIP())})
	f.set = back
	w.traverse(n.send, f)
}

// backToListener maps headers addressed to a preserving route's target
// back to the listener they arrived on: the node's address (from orig) and
// the listener's port.
func backToListener(s, orig hset.Set) hset.Set {
	out := hset.Set{}
	for _, d := range orig.Project(hset.DimDst) {
		for _, p := range orig.ProjectPorts(hset.DimDstPort) {
			out = out.Union(s.WithDst(d).WithDstPort(p))
		}
	}
	return out.Intersect(orig)
}

// dropSession removes s from the stack.
func dropSession(top, s *session) *session {
	if top == s {
		return s.prev
	}
	cp := *top
	cp.prev = dropSession(top.prev, s)
	return &cp
}

// replyReturn is, for a reply starting at target n, the way back to the
// load balancer node that forwarded its request with the client's address.
func (n *node) replyReturn(f *flow) *edge {
	s := f.lbSession()
	if s == nil || s.lb.ret == nil || s.lb.target != n {
		return nil
	}
	return s.lb.ret
}

// lbForward is walker.lbForward for one packet: the listener that accepts
// it decides, and of its routes the node picks one by a hash of the
// packet's addresses and ports, as a load balancer keeps a flow on one
// target.
func (s *stepper) lbForward(n *node) {
	ln := n.lb
	for _, l := range ln.listeners {
		if !l.match.ContainsPoint(s.pt) {
			continue
		}
		if len(l.routes) == 0 {
			if ln.lb.Type.Proxies() {
				s.finish(OutcomeDelivered)
				return
			}
			s.dropAt(CodeELBV2ListenerHasNoTG, &l.ref)
			return
		}
		r := l.routes[flowHash(s.h)%uint32(len(l.routes))]
		t := Translation{Kind: DecisionLoadBalance, Gateway: &ln.ref, NAT: -1, LB: r.id, From: s.h.Dst, To: r.to.NetIP(), Session: true}
		s.setDst(r.to)
		s.h.DstPort, s.pt.DstPort = r.port, hset.Range16{Lo: r.port, Hi: r.port}
		if r.preserve && s.pt.Src.Lo == r.to {
			s.dropAt(CodeLBLoopback, &ln.ref)
			return
		}
		if !r.preserve {
			src := ln.v4
			if !v4Block.Contains(r.to) && ln.v6.IsValid() {
				src = ln.v6
			}
			s.setSrc(hset.AddrFrom(src))
			t.Ports = model.PortRange{First: natPorts.Lo, Last: natPorts.Hi}
		}
		s.translate(t)
		s.pos.lb = r
		s.forward(r.edge())
		return
	}
	code := CodeELBV2ListenersMismatch
	switch ln.lb.Type {
	case model.LBClassic:
		code = CodeELBListenersMismatch
	case model.LBGateway:
		code = CodeUnsupportedComponent
	}
	s.dropAt(code, &ln.ref)
}

// flowHash mixes a header's addresses and ports (FNV-1a): the same flow
// always picks the same target.
func flowHash(h Header) uint32 {
	x := uint32(2166136261)
	mix := func(b byte) { x = (x ^ uint32(b)) * 16777619 }
	for _, a := range []netip.Addr{h.Src, h.Dst} {
		for _, b := range a.As16() {
			mix(b)
		}
	}
	mix(h.Proto)
	for _, p := range []uint16{h.SrcPort, h.DstPort} {
		mix(byte(p >> 8))
		mix(byte(p))
	}
	return x
}

// LoadBalancerRoutes returns how many load balancer routes (node, listener,
// target) the engine has: Translation.LB runs from 0 to LoadBalancerRoutes()-1.
func (e *Engine) LoadBalancerRoutes() int { return len(e.lbRoutes) }

// LoadBalancerRoute describes route id: the path it stands for.
func (e *Engine) LoadBalancerRoute(id int32) (LoadBalancing, bool) {
	if id < 0 || int(id) >= len(e.lbRoutes) {
		return LoadBalancing{}, false
	}
	return e.lbRoutes[id].via, true
}

// ReturnThrough returns the position from which a reply leaving target
// position pos goes back through load balancer route id (the
// Translation.LB of its request): a Network Load Balancer that preserved
// the client's address takes the target's replies back whatever the
// target's routes say, and a walker that keeps sessions starts such a reply
// from here. For other routes it returns pos unchanged.
func (e *Engine) ReturnThrough(pos Position, id int32) Position {
	if id >= 0 && int(id) < len(e.lbRoutes) {
		pos.lb = e.lbRoutes[id]
	}
	return pos
}

// lbExtra is, for traffic a load balancer with security groups forwards
// with the client's address, what rules of a target's groups naming the
// load balancer's groups admit: AWS matches such a rule on the load
// balancer's groups, not on the client's address ("Update the security
// groups for your Network Load Balancer").
func (p *sgProg) lbExtra(s hset.Set, groups []string) (allowed piece) {
	for i := range p.rules {
		r := &p.rules[i]
		if r.group == "" || !slices.Contains(groups, r.group) {
			continue
		}
		if hit := s.Intersect(r.anySrc); !hit.IsEmpty() {
			allowed.set = allowed.set.Union(hit)
			allowed.rules = append(allowed.rules, r.ref)
			allowed.sets = append(allowed.sets, hit)
		}
	}
	return allowed
}

// lbDecide is lbExtra for one packet.
func (p *sgProg) lbDecide(pt hset.Box, groups []string) *sgRule {
	for i := range p.rules {
		r := &p.rules[i]
		if r.group != "" && slices.Contains(groups, r.group) && r.anySrc.ContainsPoint(pt) {
			return r
		}
	}
	return nil
}

package reach

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// packetWalk is what the packet stepper made of one packet: its decisions
// across every hop, its end, and its header there.
type packetWalk struct {
	decisions []PacketEvent
	end       PacketHop
	// nat are the translations it went through that a reply must undo,
	// oldest first: a NAT gateway's (the address and port it had before)
	// and a load balancer's (the whole header it had before).
	nat []walkSession
}

type walkSession struct {
	h  Header
	lb bool
}

// stepAll steps a packet from pos to its end, as a minimal packet walker
// would: it enforces a security group's deny unless the packet is a reply
// (its connection tracking), picks a NAT gateway's port itself and, for a
// reply, restores the destination of a reverse translation from the
// sessions of the forward walk.
func stepAll(t *testing.T, e *Engine, pos Position, h Header, reply bool, sessions []walkSession, rnd *rand.Rand) packetWalk {
	t.Helper()
	var w packetWalk
	var hop PacketHop
	for i := 0; i < 2*maxDepth; i++ {
		e.Step(pos, h, reply, &hop)
		for _, ev := range hop.Events() {
			if ev.Cross {
				continue
			}
			w.decisions = append(w.decisions, ev)
			if ev.Kind == StepSecurityGroup && ev.Decision == DecisionDeny && !reply {
				w.end = hop
				w.end.Outcome, w.end.Code, w.end.Component, w.end.Rule = OutcomeDropped, ev.Code, ev.Component, nil
				w.end.Header = h
				return w
			}
		}
		before := h
		h = hop.Header
		switch tr := hop.Translation; {
		case tr.Session && tr.Kind == DecisionLoadBalance:
			w.nat = append(w.nat, walkSession{h: before, lb: true})
			if tr.Ports != (model.PortRange{}) {
				h.SrcPort = tr.Ports.First + uint16(rnd.IntN(tr.Ports.Size()))
			}
		case tr.Session:
			w.nat = append(w.nat, walkSession{h: Header{Src: tr.From, SrcPort: h.SrcPort}})
			if tr.Ports != (model.PortRange{}) {
				h.SrcPort = tr.Ports.First + uint16(rnd.IntN(tr.Ports.Size()))
			}
		case tr.Kind == DecisionReverseNAT:
			if len(sessions) == 0 || sessions[len(sessions)-1].lb {
				t.Fatalf("a reverse translation without a session")
			}
			last := sessions[len(sessions)-1].h
			sessions = sessions[:len(sessions)-1]
			h.Dst = last.Src
			if tcpUDP.Contains(h) {
				h.DstPort = last.SrcPort
			}
		case tr.Kind == DecisionReverseLoadBalance:
			if len(sessions) == 0 || !sessions[len(sessions)-1].lb {
				// A reply to a connection the node opened itself: it has
				// arrived, and nothing is translated.
				w.decisions = w.decisions[:len(w.decisions)-1]
				w.end = hop
				w.end.Outcome, w.end.Header = OutcomeDelivered, h
				return w
			}
			last := sessions[len(sessions)-1].h
			sessions = sessions[:len(sessions)-1]
			h.Src, h.Dst, h.SrcPort, h.DstPort = last.Dst, last.Src, last.DstPort, last.SrcPort
		}
		if hop.Outcome != OutcomeForward {
			w.end = hop
			w.end.Header = h
			return w
		}
		pos = hop.Next
	}
	t.Fatalf("the packet never ends")
	return w
}

// setEnd is one terminal of a set walk: where part of the flow arrived or
// stopped, with the path it took.
type setEnd struct {
	reached *node
	f       flow
	d       *drop
	rule    *RuleRef
}

func setWalk(e *Engine, start *node, f flow) []setEnd {
	var out []setEnd
	w := &walker{e: e,
		reached: func(t *node, f flow) { out = append(out, setEnd{reached: t, f: f}) },
		dropped: func(f flow, d *drop, rule *RuleRef) { out = append(out, setEnd{f: f, d: d, rule: rule}) },
	}
	w.start(start, f)
	return out
}

// compareWalks checks that the packet's walk is the set walk's, for the
// part of the set walk that holds the packet's final header: the same
// decisions in the same order (each point rule among the set step's
// rules), the same end and the same explanation code, component and rule.
func compareWalks(pw packetWalk, ends []setEnd) string {
	var match *setEnd
	for i := range ends {
		if ends[i].f.set.Contains(pw.end.Header) {
			if match != nil {
				return fmt.Sprintf("the packet's final header %v is in two ends of the set walk", pw.end.Header)
			}
			match = &ends[i]
		}
	}
	if match == nil {
		return fmt.Sprintf("no end of the set walk holds the packet's final header %v (packet: %v %s)", pw.end.Header, pw.end.Outcome, pw.end.Code)
	}
	// Ends.
	switch {
	case match.d != nil:
		if pw.end.Outcome != OutcomeDropped || pw.end.Code != match.d.code {
			return fmt.Sprintf("set: dropped %s at %s; packet: %v %s", match.d.code, match.d.comp.Label(), pw.end.Outcome, pw.end.Code)
		}
		if match.d.code == CodeRoutingLoop {
			return "" // a packet cannot tell a loop before its hop limit; the code is enough
		}
		if pw.end.Component == nil || pw.end.Component.Label() != match.d.comp.Label() {
			return fmt.Sprintf("set: dropped %s at %s; packet at %v", match.d.code, match.d.comp.Label(), pw.end.Component)
		}
		if (match.rule == nil) != (pw.end.Rule == nil) || match.rule != nil && match.rule.String() != pw.end.Rule.String() {
			return fmt.Sprintf("set: dropped by rule %v; packet by %v", match.rule, pw.end.Rule)
		}
	case match.reached.kind == nodeENI || match.reached.kind == nodeLB:
		if pw.end.Outcome != OutcomeDelivered || pw.end.Next.n != match.reached {
			return fmt.Sprintf("set: delivered to %s; packet: %v at %v", match.reached.ref.Label(), pw.end.Outcome, pw.end.Next)
		}
	default:
		if pw.end.Outcome != OutcomeLeft || pw.end.Next.n != match.reached {
			return fmt.Sprintf("set: left the network at %s; packet: %v at %v", match.reached.ref.Label(), pw.end.Outcome, pw.end.Next)
		}
	}
	// Decisions.
	var steps []*Step
	for ev := match.f.trail; ev != nil; ev = ev.prev {
		if ev.step != nil {
			steps = append(steps, ev.step)
		}
	}
	for i, j := 0, len(steps)-1; i < j; i, j = i+1, j-1 {
		steps[i], steps[j] = steps[j], steps[i]
	}
	if len(steps) != len(pw.decisions) {
		return fmt.Sprintf("set: %d steps %s; packet: %d decisions %s", len(steps), stepsString(steps), len(pw.decisions), decisionsString(pw.decisions))
	}
	for i, st := range steps {
		d := pw.decisions[i]
		if st.Kind == StepSecurityGroup && st.Detail != "" && d.Kind == StepSecurityGroup {
			// A reply: the set walker lets it through statefully; the packet
			// stepper reports the rules' verdict, which the walker's
			// connection tracking overrides.
			d.Decision, d.Rule = st.Decision, nil
		}
		if st.Kind != d.Kind || st.Direction != d.Direction || st.Decision != d.Decision || d.Component == nil || st.Component.Label() != d.Component.Label() {
			return fmt.Sprintf("decision %d: set %s; packet %s", i, stepsString(steps[i:i+1]), decisionsString(pw.decisions[i:i+1]))
		}
		if d.Rule == nil {
			if len(st.Rules) > 0 && !(st.Kind == StepSecurityGroup && st.Decision == DecisionDeny) {
				return fmt.Sprintf("decision %d: the set names rules %v, the packet none", i, st.Rules)
			}
			continue
		}
		found := false
		for _, r := range st.Rules {
			found = found || r.String() == d.Rule.String()
		}
		if !found {
			return fmt.Sprintf("decision %d: the packet's rule %v is not among the set's %v", i, d.Rule, st.Rules)
		}
	}
	return ""
}

func stepsString(steps []*Step) string {
	var ss []string
	for _, s := range steps {
		ss = append(ss, fmt.Sprintf("%s/%s/%s@%s", s.Kind, s.Direction, s.Decision, s.Component.Label()))
	}
	return "[" + strings.Join(ss, " ") + "]"
}

func decisionsString(ds []PacketEvent) string {
	var ss []string
	for _, d := range ds {
		comp := "?"
		if d.Component != nil {
			comp = d.Component.Label()
		}
		ss = append(ss, fmt.Sprintf("%s/%s/%s@%s", d.Kind, d.Direction, d.Decision, comp))
	}
	return "[" + strings.Join(ss, " ") + "]"
}

// packetNetworks are the agreement networks and a few more with NAT, IPv6
// and transit gateways, for the packet stepper.
func packetNetworks() map[string]func(*tnet) {
	out := map[string]func(*tnet){}
	for k, v := range AgreementNetworks {
		out[k] = v
	}
	out["nat, ipv6 and endpoints"] = func(n *tnet) {
		base(n)
		withNAT(n)
		n.VPCs[0].IPv6CIDRs = append(n.VPCs[0].IPv6CIDRs, pfx("2600:1f18:1:100::/56"))
		subnetOf(n, "subnet-pub").IPv6CIDR = pfx("2600:1f18:1:101::/64")
		addRoute(n, "rtb-pub", "::/0 igw-1")
		n.Interfaces[0].IPv6Addrs = []netipAddr{ip("2600:1f18:1:101::10")}
		n.sg("sg-v6", "vpc-1", []sgSpec{"tcp 443 ::/0", "icmpv6 128 ::/0"}, []sgSpec{"all - ::/0", "all - 0.0.0.0/0"})
		n.Interfaces[0].SecurityGroupIDs = []string{"sg-web", "sg-v6"}
		n.endpoint("vpce-gwlb", model.EndpointGatewayLoadBalancer, "vpc-1", "subnet-priv", "10.0.2.51")
		n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow tcp 8080 10.0.1.0/24", "110 allow tcp 1024-40000 0.0.0.0/0", "120 allow icmp - 0.0.0.0/0", "130 allow udp - 10.0.0.0/16"}, []string{"100 allow all - 0.0.0.0/0"})
	}
	return out
}

// randomPackets calls f with n random packets between random ends of e:
// from its interfaces (but NAT gateways', which start no connection) and
// hosts on the internet, to its interfaces' private and public addresses
// and a few outside, both families, on common protocols and ports.
func randomPackets(t *testing.T, e *Engine, rnd *rand.Rand, n int, f func(from string, pos Position, h Header)) {
	t.Helper()
	var starts []string
	var dsts []netip.Addr
	for _, x := range e.net.Interfaces {
		if len(x.PrivateIPs)+len(x.IPv6Addrs) > 0 && x.OwnerKind != model.OwnerNATGateway {
			starts = append(starts, x.ID) // a NAT gateway starts no connection
		}
		dsts = append(dsts, x.PrivateIPs...)
		dsts = append(dsts, x.IPv6Addrs...)
		for _, p := range x.PublicIPs {
			dsts = append(dsts, p.Public)
		}
	}
	starts = append(starts, "203.0.113.7", "2001:db8::7")
	dsts = append(dsts, ip("8.8.8.8"), ip("2001:db8::9"), ip("10.0.2.99"), ip("10.1.2.3"), ip("192.168.7.7"))
	protos := []uint8{6, 6, 17, 1, 58, 47}
	for i := 0; i < n; i++ {
		from := starts[rnd.IntN(len(starts))]
		pos, err := e.StartAt(from)
		if err != nil {
			t.Fatal(err)
		}
		h := Header{Dst: dsts[rnd.IntN(len(dsts))], Proto: protos[rnd.IntN(len(protos))],
			SrcPort: uint16(1024 + rnd.IntN(64000)), DstPort: []uint16{22, 80, 443, 8080, 53, 5432, 6514}[rnd.IntN(7)]}
		switch {
		case pos.n.eni != nil: // an interface or a load balancer's node
			h.Src = pos.n.eni.PrimaryIP()
			if !h.Dst.Is4() && len(pos.n.eni.IPv6Addrs) > 0 {
				h.Src = pos.n.eni.IPv6Addrs[0]
			}
		default:
			h.Src = ip(from)
		}
		if h.Src.Is4() != h.Dst.Is4() || pos.n.eni != nil && pos.n.eni.Owns(h.Dst) {
			continue // no flow: across families, or to itself
		}
		if h.Proto == 1 || h.Proto == 58 {
			h.DstPort, h.SrcPort = map[uint8]uint16{1: 8, 58: 128}[h.Proto], 0
		}
		f(from, pos, h)
	}
}

// TestPacketAgreesWithSets is the proof that the packet stepper applies the
// set walker's rules: for random packets between random ends of several
// networks, the stepper's hops decide exactly what the set walker decides
// for a flow of that one header (the same decisions in the same order, the
// same rules, the same end and explanation), forward and, for packets that
// arrive, for their replies.
func TestPacketAgreesWithSets(t *testing.T) {
	nets := packetNetworks()
	for _, name := range slices.Sorted(maps.Keys(nets)) {
		build := nets[name]
		t.Run(name, func(t *testing.T) {
			rnd := rand.New(rand.NewPCG(7, uint64(len(name))<<8|uint64(name[0])))
			n := newNet()
			build(n)
			e := n.engine(t)
			checked, delivered, replies := 0, 0, 0
			randomPackets(t, e, rnd, 1000, func(from string, pos Position, h Header) {
				pw := checkPacket(t, e, from, pos, h, rnd)
				checked++
				if pw.end.Outcome != OutcomeDelivered {
					return
				}
				delivered++
				replies++
			})
			if checked < 500 || delivered < 5 || delivered == checked {
				t.Errorf("%d packets checked, %d delivered: the sample must hold both", checked, delivered)
			}
			t.Logf("%d packets, %d delivered, %d replies", checked, delivered, replies)
		})
	}
}

// checkPacket steps packet h from pos to its end and checks that the set
// walker decides alike for a flow of that one header; for a packet that
// arrives, it does the same for its reply, from where it arrived, undoing
// the translations.
func checkPacket(t *testing.T, e *Engine, from string, pos Position, h Header, rnd *rand.Rand) packetWalk {
	t.Helper()
	pw := stepAll(t, e, pos, h, false, nil, rnd)
	ends := setWalk(e, pos.n, flow{set: hset.Of(hset.Point(h))})
	if msg := compareWalks(pw, ends); msg != "" {
		t.Fatalf("%s -> %v: %s", from, h, msg)
	}
	if pw.end.Outcome != OutcomeDelivered {
		return pw
	}
	var match *setEnd
	for i := range ends {
		if ends[i].reached == pw.end.Next.n && ends[i].f.set.Contains(pw.end.Header) {
			match = &ends[i]
		}
	}
	rset := replyOf(hset.Of(hset.Point(pw.end.Header)))
	rh := rset.Boxes()[0]
	reply := Header{Src: rh.Src.Lo.NetIP(), Dst: rh.Dst.Lo.NetIP(), Proto: rh.Proto.Lo, SrcPort: rh.SrcPort.Lo, DstPort: rh.DstPort.Lo}
	rw := stepAll(t, e, Position{n: pw.end.Next.n, lb: pw.end.Next.lb}, reply, true, pw.nat, rnd)
	rends := setWalk(e, pw.end.Next.n, flow{set: replyOf(match.f.set), reply: true, sessions: match.f.sessions})
	if msg := compareWalks(rw, rends); msg != "" {
		t.Fatalf("reply of %s -> %v: %s", from, h, msg)
	}
	return pw
}

// TestStepAllocatesNothing guards the packet walker's hot path: a hop
// allocates nothing, through security groups, network ACLs, routes and
// both gateways.
func TestStepAllocatesNothing(t *testing.T) {
	n := newNet()
	packetNetworks()["nat, ipv6 and endpoints"](n)
	e := n.engine(t)
	for _, c := range []struct {
		from string
		h    Header
	}{
		{"203.0.113.7", Header{Src: ip("203.0.113.7"), Dst: ip("54.0.0.10"), Proto: 6, SrcPort: 40000, DstPort: 443}},
		{"eni-web", Header{Src: ip("10.0.1.10"), Dst: ip("10.0.2.10"), Proto: 6, SrcPort: 40000, DstPort: 8080}},
		{"eni-app", Header{Src: ip("10.0.2.10"), Dst: ip("8.8.8.8"), Proto: 17, SrcPort: 40000, DstPort: 53}},
	} {
		start, err := e.StartAt(c.from)
		if err != nil {
			t.Fatal(err)
		}
		var hop PacketHop
		hops := 0
		allocs := testing.AllocsPerRun(100, func() {
			pos, h := start, c.h
			for hops = 0; hops < 2*maxDepth; hops++ {
				e.Step(pos, h, false, &hop)
				if hop.Outcome != OutcomeForward {
					break
				}
				pos, h = hop.Next, hop.Header
			}
		})
		if allocs != 0 {
			t.Errorf("%s -> %v: %.1f allocations for %d hops; want none", c.from, c.h, allocs, hops+1)
		}
	}
	// Through load balancers: an ALB's listener and an NLB keeping the
	// client's address, to their targets.
	n = newNet()
	lbAgreement(n)
	e = n.engine(t)
	start, err := e.StartAt("203.0.113.7")
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []Header{
		{Src: ip("203.0.113.7"), Dst: ip("54.0.0.50"), Proto: 6, SrcPort: 40000, DstPort: 443},
		{Src: ip("8.8.8.8"), Dst: ip("54.0.0.60"), Proto: 6, SrcPort: 40000, DstPort: 6514},
	} {
		var hop PacketHop
		lbs := 0
		allocs := testing.AllocsPerRun(100, func() {
			pos, h := start, h
			for range 2 * maxDepth {
				e.Step(pos, h, false, &hop)
				if hop.Translation.Kind == DecisionLoadBalance {
					lbs++
				}
				if hop.Outcome != OutcomeForward {
					break
				}
				pos, h = hop.Next, hop.Header
			}
		})
		if allocs != 0 || lbs == 0 || hop.Outcome != OutcomeDelivered {
			t.Errorf("%v: %.1f allocations, %d load balancer hops, ends %v; want none, some, delivered", h, allocs, lbs, hop.Outcome)
		}
	}
}

// BenchmarkStep measures one hop of the packet stepper on a path from the
// internet through an internet gateway, a network ACL and security groups.
func BenchmarkStep(b *testing.B) {
	n := newNet()
	packetNetworks()["nat, ipv6 and endpoints"](n)
	e := n.engine(b)
	start, err := e.StartAt("203.0.113.7")
	if err != nil {
		b.Fatal(err)
	}
	h0 := Header{Src: ip("203.0.113.7"), Dst: ip("54.0.0.10"), Proto: 6, SrcPort: 40000, DstPort: 443}
	var hop PacketHop
	b.ReportAllocs()
	hops := 0
	for b.Loop() {
		pos, h := start, h0
		for {
			e.Step(pos, h, false, &hop)
			hops++
			if hop.Outcome != OutcomeForward {
				break
			}
			pos, h = hop.Next, hop.Header
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(hops), "ns/hop")
}

// TestPacketNumbering checks the small integers walkers key tables by:
// positions read back, interfaces and rules are numbered densely and
// consistently with the events that name them.
func TestPacketNumbering(t *testing.T) {
	n := newNet()
	packetNetworks()["nat, ipv6 and endpoints"](n)
	e := n.engine(t)
	for i := range e.places {
		for _, via := range []bool{false, true} {
			p := e.places[i]
			p.viaInternet = via
			back, ok := e.PositionOf(p.ID())
			if !ok || back != p {
				t.Fatalf("position %v: ID %d reads back as %v, %v", p, p.ID(), back, ok)
			}
		}
	}
	if _, ok := e.PositionOf(int32(2 * len(e.places))); ok {
		t.Errorf("a position past the last reads back")
	}
	for id := 0; id < e.Interfaces(); id++ {
		if c, ok := e.Interface(int32(id)); !ok || c.ID != int32(id) || c.Interface == nil {
			t.Errorf("interface %d: %+v, %v", id, c, ok)
		}
	}
	if e.NATGateways() != 1 || len(e.NATAddresses(0)) != 1 || e.NATAddresses(0)[0] != ip("10.0.1.5") {
		t.Errorf("NAT gateways %d, addresses %v", e.NATGateways(), e.NATAddresses(0))
	}
	// Every event's rule is the engine's rule of that number.
	rnd := rand.New(rand.NewPCG(1, 1))
	for _, c := range []struct{ from, dst string }{{"203.0.113.7", "54.0.0.10"}, {"eni-app", "8.8.8.8"}, {"eni-web", "10.0.2.10"}} {
		pos, err := e.StartAt(c.from)
		if err != nil {
			t.Fatal(err)
		}
		var src netip.Addr
		if pos.n.kind == nodeENI {
			src = pos.n.eni.PrimaryIP()
		} else {
			src = ip(c.from)
		}
		var hop PacketHop
		h := Header{Src: src, Dst: ip(c.dst), Proto: 6, SrcPort: 40000, DstPort: 8080}
		for i := 0; i < 20; i++ {
			e.Step(pos, h, false, &hop)
			for _, ev := range hop.Events() {
				if ev.Rule == nil {
					continue
				}
				if r, ok := e.Rule(ev.RuleID); !ok || r != *ev.Rule {
					t.Errorf("event names rule %d = %v, the engine's is %v", ev.RuleID, *ev.Rule, r)
				}
			}
			if hop.Outcome != OutcomeForward {
				break
			}
			pos, h = hop.Next, hop.Header
			if hop.Translation.Ports != (model.PortRange{}) {
				h.SrcPort = 1024 + uint16(rnd.IntN(1000))
			}
		}
	}
}

// TestPacketFlowLogs checks where flow logs see a packet and its filters:
// the source interface on the way out, the destination's on the way in, a
// network ACL's decision at the interface the packet leaves or enters, and
// which flows AWS does not track.
func TestPacketFlowLogs(t *testing.T) {
	n := newNet()
	base(n)
	// web's subnet denies outbound SSH; app's group opens everything both
	// ways, so its TCP and UDP flows are untracked.
	n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"90 deny tcp 22 0.0.0.0/0", "100 allow all - 0.0.0.0/0"})
	n.sg("sg-open", "vpc-1", []sgSpec{"all - 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.Interfaces[1].SecurityGroupIDs = []string{"sg-open"}
	e := n.engine(t)
	web, app := e.eni["eni-web"].iid, e.eni["eni-app"].iid
	walk := func(from string, h Header) (events []PacketEvent, end PacketHop) {
		pos, err := e.StartAt(from)
		if err != nil {
			t.Fatal(err)
		}
		var hop PacketHop
		for i := 0; i < 20; i++ {
			e.Step(pos, h, false, &hop)
			events = append(events, hop.Events()...)
			if hop.Outcome != OutcomeForward {
				return events, hop
			}
			pos, h = hop.Next, hop.Header
		}
		t.Fatal("no end")
		return nil, hop
	}
	type seen struct {
		kind  string
		iface int32
		dir   model.Direction
		what  Decision
	}
	summary := func(evs []PacketEvent) []seen {
		var out []seen
		for _, ev := range evs {
			switch {
			case ev.Cross:
				out = append(out, seen{"cross", ev.Iface, ev.Direction, 0})
			case ev.Kind == StepSecurityGroup || ev.Kind == StepNetworkACL:
				out = append(out, seen{ev.Kind.String(), ev.Iface, ev.Direction, ev.Decision})
			}
		}
		return out
	}
	evs, end := walk("eni-web", Header{Src: ip("10.0.1.10"), Dst: ip("10.0.2.10"), Proto: 6, SrcPort: 40000, DstPort: 5432})
	want := []seen{{"cross", web, model.Egress, 0}, {"security-group", web, model.Egress, DecisionAllow},
		{"network-acl", web, model.Egress, DecisionAllow}, {"network-acl", app, model.Ingress, DecisionAllow},
		{"cross", app, model.Ingress, 0}, {"security-group", app, model.Ingress, DecisionAllow}}
	if got := summary(evs); fmt.Sprint(got) != fmt.Sprint(want) || end.Outcome != OutcomeDelivered {
		t.Errorf("web -> app:\n%v, %v\nwant\n%v, delivered", got, end.Outcome, want)
	}
	for _, ev := range evs {
		if ev.Kind == StepSecurityGroup && ev.Iface == app && !ev.Untracked {
			t.Errorf("app's all-open group tracks TCP; AWS does not")
		}
		if ev.Kind == StepSecurityGroup && ev.Iface == web && ev.Untracked {
			t.Errorf("web's group tracks TCP")
		}
	}
	evs, end = walk("eni-web", Header{Src: ip("10.0.1.10"), Dst: ip("10.0.2.10"), Proto: 6, SrcPort: 40000, DstPort: 22})
	last := evs[len(evs)-1]
	if end.Outcome != OutcomeDropped || end.Code != CodeSubnetACLRestriction || last.Kind != StepNetworkACL || last.Iface != web || last.Direction != model.Egress {
		t.Errorf("outbound SSH from web: %v %s, last event %+v; want dropped by web's subnet ACL, logged at web", end.Outcome, end.Code, last)
	}
	evs, _ = walk("eni-app", Header{Src: ip("10.0.2.10"), Dst: ip("10.0.1.10"), Proto: 1, SrcPort: 0, DstPort: 8})
	for _, ev := range evs {
		if ev.Kind == StepSecurityGroup && ev.Untracked {
			t.Errorf("ICMP is always tracked: %+v", ev)
		}
	}
}

// TestPacketEntersAfterOutboundACL: a packet enters the interface at an
// edge's far end (here a NAT gateway's, in another subnet) only after its
// own subnet's outbound network ACL let it go: denied, it never reaches the
// NAT gateway, whose flow log must not show it (the random flow-log
// agreement test of packet/packettest found the crossing logged first).
func TestPacketEntersAfterOutboundACL(t *testing.T) {
	n := newNet()
	base(n)
	withNAT(n)
	n.acl("acl-priv", "vpc-1", []string{"subnet-priv"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"90 deny tcp 443 0.0.0.0/0", "100 allow all - 0.0.0.0/0"})
	e := n.engine(t)
	nat := e.gw["nat-1"].iface.iid
	for _, c := range []struct {
		port   uint16
		denied bool
	}{{443, true}, {80, false}} {
		pos, err := e.StartAt("eni-app")
		if err != nil {
			t.Fatal(err)
		}
		var hop PacketHop
		e.Step(pos, Header{Src: ip("10.0.2.10"), Dst: ip("1.1.1.1"), Proto: 6, SrcPort: 40000, DstPort: c.port}, false, &hop)
		if hop.Outcome == OutcomeForward {
			e.Step(hop.Next, hop.Header, false, &hop)
		}
		aclAt, crossAt := -1, -1
		for i, ev := range hop.Events() {
			switch {
			case ev.Kind == StepNetworkACL && ev.Direction == model.Egress:
				aclAt = i
			case ev.Cross && ev.Iface == nat:
				crossAt = i
			}
		}
		switch {
		case aclAt < 0:
			t.Errorf("port %d: no outbound ACL decision: %+v", c.port, hop.Events())
		case c.denied && (crossAt >= 0 || hop.Outcome != OutcomeDropped):
			t.Errorf("port %d: denied by the ACL, yet it enters the NAT gateway (event %d) or goes on (%v)", c.port, crossAt, hop.Outcome)
		case !c.denied && crossAt < aclAt:
			t.Errorf("port %d: the NAT gateway's crossing (event %d) comes before the ACL's decision (event %d)", c.port, crossAt, aclAt)
		}
	}
}

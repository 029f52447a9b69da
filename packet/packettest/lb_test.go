package packettest

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// TestLoadBalancerWalks: the walker through each kind of load balancer of
// the web-platform example agrees with trace, and does what the kind does
// to the packets: a proxy (ALB, CLB) ends the client's connection at its
// node and opens its own to a target from the node's address, answered
// back to the node; a Network Load Balancer forwards the client's packets,
// keeping the client's address when it preserves it.
func TestLoadBalancerWalks(t *testing.T) {
	e := webPlatform(t, nil)
	for _, tc := range []struct {
		from, to string
		port     uint16
		kind     model.LoadBalancerType
		complete bool
	}{
		{"internet", "aws_lb.web", 443, model.LBApplication, true},
		{`aws_instance.web["a"]`, "aws_lb.internal", 80, model.LBApplication, true},
		{"internet", "aws_elb.legacy", 80, model.LBClassic, true},
		{"198.51.100.7", "aws_lb.ingest", 6514, model.LBNetwork, true},
		{"8.8.8.8", "aws_lb.ingest", 6514, model.LBNetwork, false},
	} {
		t.Run(tc.to+"/"+tc.from, func(t *testing.T) {
			port := model.Port(tc.port)
			q := reach.Query{From: tc.from, To: tc.to, Protocol: model.ProtocolTCP, Port: &port}
			c, err := Compare(e, q)
			if err != nil {
				t.Fatal(err)
			}
			if c.Disagreement != "" {
				t.Error(c.Disagreement)
			}
			if c.Exchange.Complete != tc.complete {
				t.Fatalf("complete: %v, want %v", c.Exchange.Complete, tc.complete)
			}
			if !tc.complete {
				return
			}
			syn := c.Exchange.Packets[0]
			if syn.Fate.Via == nil || syn.Fate.Via.Type != tc.kind {
				t.Fatalf("the SYN went via %+v, want a %s load balancer", syn.Fate.Via, tc.kind)
			}
			at := syn.Fate.At.Component()
			if tc.kind.Proxies() {
				if at.ID == "" || !isNode(e, at.ID) {
					t.Errorf("a proxy's client SYN arrived at %s, not at a node", at.Label())
				}
			} else {
				if isNode(e, at.ID) {
					t.Errorf("a Network Load Balancer's SYN stopped at its node %s", at.Label())
				}
				if syn.Fate.Via.ClientIPPreserved && syn.Arrived.Src != syn.Header.Src {
					t.Errorf("client address preserved, but the target saw %s", syn.Arrived.Src)
				}
			}
		})
	}
}

// TestProxyBackend: the connection an Application Load Balancer's node
// opens reaches a target from the node's own address, and the target's
// answer comes back to the node.
func TestProxyBackend(t *testing.T) {
	e := webPlatform(t, nil)
	port := model.Port(443)
	conv, start, _, _, err := packet.ConversationFor(e, reach.Query{From: "internet", To: "aws_lb.web", Protocol: model.ProtocolTCP, Port: &port})
	if err != nil {
		t.Fatal(err)
	}
	pkts, err := conv.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
	if err != nil {
		t.Fatal(err)
	}
	w := packet.NewWalker(e, nil, packet.DefaultTimeouts)
	h := pkts[0].Header
	f := w.Walk(start, &h, false, pkts[0].Time)
	if f.Outcome != packet.Delivered || f.Via == nil {
		t.Fatalf("client SYN: %+v", f)
	}
	req, ans := w.Backend()
	if req.Outcome != packet.Delivered || isNode(e, req.At.Component().ID) {
		t.Fatalf("the node's SYN to its target: %s at %s (%s)", req.Outcome, req.At, req.Code)
	}
	if ans.Outcome != packet.Delivered || !isNode(e, ans.At.Component().ID) {
		t.Errorf("the target's SYN-ACK: %s at %s (%s), want delivered at the node", ans.Outcome, ans.At, ans.Code)
	}
}

func isNode(e *reach.Engine, id string) bool {
	for _, x := range e.Network().Interfaces {
		if x.ID == id {
			return x.OwnerKind == model.OwnerLoadBalancer
		}
	}
	return false
}

// events collects the walker's flow-log events as "iface dir src:port >
// dst:port".
type events struct {
	e   *reach.Engine
	out []string
}

func (r *events) Record(ev *flowlog.Event) error {
	c, _ := r.e.Interface(ev.Interface)
	r.out = append(r.out, fmt.Sprintf("%s %s %s > %s %s", c.Interface.ID, ev.Direction,
		netip.AddrPortFrom(ev.Src, ev.SrcPort), netip.AddrPortFrom(ev.Dst, ev.DstPort), ev.Action))
	return nil
}

// TestLoadBalancerFlowLogs: what the interfaces of a load balancer's node
// and its target log for one client SYN and its answer. At a proxy (ALB,
// CLB), the node's interface logs the client's connection to it and its own
// connection to the target, from its own address; the target logs only
// the node. At a Network Load Balancer preserving client addresses, the
// target logs the client's address, and its answer goes back through the
// node, which logs it on its way to the client from the listener's address.
func TestLoadBalancerFlowLogs(t *testing.T) {
	e := webPlatform(t, nil)
	for _, tc := range []struct {
		from, to string
		port     uint16
		// want are patterns, in order, among the events: %N is the
		// node's interface, %T the target's, %n the node's address, %c
		// the client's, %t the target's.
		want []string
	}{
		{"internet", "aws_lb.web", 443, []string{
			"%N ingress %c:49152 > %n:443 ACCEPT",
			"%N egress %n:", // the node's own connection, from its own address and port
			"%T ingress %n:",
			"%T egress %t:",
			"%N ingress %t:",
			"%N egress %n:443 > %c:49152 ACCEPT",
		}},
		{"198.51.100.7", "aws_lb.ingest", 6514, []string{
			"%N ingress %c:49152 > %n:6514 ACCEPT",
			"%N egress %c:49152 > %t:",
			"%T ingress %c:49152 > %t:",
			"%T egress %t:",
			"%N egress %n:6514 > %c:49152 ACCEPT",
		}},
	} {
		t.Run(tc.to, func(t *testing.T) {
			port := model.Port(tc.port)
			conv, start, client, server, err := packet.ConversationFor(e, reach.Query{From: tc.from, To: tc.to, Protocol: model.ProtocolTCP, Port: &port})
			if err != nil {
				t.Fatal(err)
			}
			pkts, err := conv.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
			if err != nil {
				t.Fatal(err)
			}
			rec := &events{e: e}
			r := packet.NewReplayer(packet.NewWalker(e, rec, packet.DefaultTimeouts), packet.Vantage{})
			x := packet.Converse(r, start, pkts[:2], client, server)
			if x.Failed >= 0 {
				t.Fatalf("packet %d: %s", x.Failed+1, x.Code)
			}
			syn := x.Packets[0]
			nodeID := nodeOf(e, rec.out)
			targetID := ""
			for _, ev := range rec.out {
				if id, _, _ := strings.Cut(ev, " "); id != nodeID {
					targetID = id
					break
				}
			}
			nodeAddr, targetAddr := privateOf(e, nodeID), privateOf(e, targetID)
			rep := strings.NewReplacer("%N", nodeID, "%T", targetID, "%n", nodeAddr.String(), "%c", syn.Header.Src.String(), "%t", targetAddr.String())
			i := 0
			for _, ev := range rec.out {
				if i < len(tc.want) && strings.HasPrefix(ev, rep.Replace(tc.want[i])) {
					i++
				}
			}
			if i < len(tc.want) {
				t.Errorf("no event %q in order among:\n%s", rep.Replace(tc.want[i]), strings.Join(rec.out, "\n"))
			}
		})
	}
}

// privateOf is the first private address of the interface id.
func privateOf(e *reach.Engine, id string) netip.Addr {
	for _, x := range e.Network().Interfaces {
		if x.ID == id && len(x.PrivateIPs) > 0 {
			return x.PrivateIPs[0]
		}
	}
	return netip.Addr{}
}

// nodeOf is the load balancer node's interface among the logged ones.
func nodeOf(e *reach.Engine, out []string) string {
	for _, ev := range out {
		id, _, _ := strings.Cut(ev, " ")
		if isNode(e, id) {
			return id
		}
	}
	return ""
}

// TestThreeEnginesAgreeLoadBalancers: the random networks of
// TestThreeEnginesAgree hold no load balancers (reachtest's generator makes
// none), so fixed networks do: web-platform's Application, Network and
// Classic Load Balancers and Auto Scaling groups, and the same network with
// its Network Load Balancer made a Gateway Load Balancer (whose traffic
// vpcsim does not follow: every engine says so). Each flow is walked,
// traced and, to interfaces, analysed.
func TestThreeEnginesAgreeLoadBalancers(t *testing.T) {
	gateway := func(n *model.Network) {
		for _, lb := range n.LoadBalancers {
			if lb.Address == "aws_lb.ingest" {
				lb.Type = model.LBGateway
			}
		}
	}
	for _, tc := range []struct {
		name     string
		mutate   func(*model.Network)
		from, to string
		proto    model.Protocol
		port     uint16
		complete bool
	}{
		{"alb", nil, "internet", "aws_lb.web", model.ProtocolTCP, 443, true},
		{"alb target", nil, "internet", `aws_instance.web["a"]`, model.ProtocolTCP, 8080, true},
		{"alb asg target", nil, "internet", "aws_autoscaling_group.api", model.ProtocolTCP, 8080, true},
		{"alb wrong port", nil, "internet", "aws_lb.web", model.ProtocolTCP, 8443, false},
		{"internal alb", nil, `aws_instance.web["a"]`, "aws_lb.internal", model.ProtocolTCP, 80, true},
		{"internal alb from internet", nil, "internet", "aws_lb.internal", model.ProtocolTCP, 80, false},
		{"clb", nil, "internet", "aws_elb.legacy", model.ProtocolTCP, 80, true},
		{"clb target", nil, "internet", "aws_instance.legacy", model.ProtocolTCP, 8080, true},
		{"nlb", nil, "198.51.100.7", "aws_lb.ingest", model.ProtocolTCP, 6514, true},
		{"nlb client denied", nil, "8.8.8.8", "aws_lb.ingest", model.ProtocolTCP, 6514, false},
		{"gwlb", gateway, "198.51.100.7", "aws_lb.ingest", model.ProtocolTCP, 6514, false},
		{"nlb without client addresses", noClientIP, "198.51.100.7", "aws_lb.ingest", model.ProtocolTCP, 6514, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := webPlatform(t, tc.mutate)
			port := model.Port(tc.port)
			var st stats
			if msg := agree(e, reach.Query{From: tc.from, To: tc.to, Protocol: tc.proto, Port: &port}, &st); msg != "" {
				t.Error(msg)
			}
			if st.walked != 1 || (st.complete == 1) != tc.complete {
				t.Errorf("walked %d, complete %d; want complete %v", st.walked, st.complete, tc.complete)
			}
		})
	}
}

// webPlatform is the engine of the web-platform example's state, its
// network changed by mutate first (nil: as it is).
func webPlatform(t testing.TB, mutate func(*model.Network)) *reach.Engine {
	t.Helper()
	ex, ok := examples.Lookup("web-platform")
	if !ok {
		t.Fatal("no web-platform example")
	}
	in, err := hcl.LoadBytes(ex.StatePath, ex.State())
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(in.Network)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// BenchmarkWalkLoadBalancer: one client packet of an established
// connection through a proxy (the node's packet to the target and the
// target's answer walked with it) and through a Network Load Balancer.
func BenchmarkWalkLoadBalancer(b *testing.B) {
	e := webPlatform(b, nil)
	for _, tc := range []struct {
		name, from, to string
		port           uint16
	}{
		{"alb", "internet", "aws_lb.web", 443},
		{"nlb", "198.51.100.7", "aws_lb.ingest", 6514},
	} {
		b.Run(tc.name, func(b *testing.B) {
			port := model.Port(tc.port)
			conv, start, _, _, err := packet.ConversationFor(e, reach.Query{From: tc.from, To: tc.to, Protocol: model.ProtocolTCP, Port: &port})
			if err != nil {
				b.Fatal(err)
			}
			pkts, err := conv.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
			if err != nil {
				b.Fatal(err)
			}
			w := packet.NewWalker(e, nil, packet.DefaultTimeouts)
			h := pkts[0].Header
			w.Walk(start, &h, false, pkts[0].Time)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				h := pkts[3].Header // the request's data
				if f := w.Walk(start, &h, false, pkts[3].Time); f.Outcome != packet.Delivered {
					b.Fatal(f.Code)
				}
			}
		})
	}
}

// noClientIP turns client IP preservation off in every target group.
func noClientIP(n *model.Network) {
	off := false
	for _, g := range n.TargetGroups {
		g.PreserveClientIP = &off
	}
}

// TestNLBWithoutClientIP: a Network Load Balancer that does not preserve
// client addresses sends from its node's address and a port of its own,
// and translates the target's reply back to the client's connection.
func TestNLBWithoutClientIP(t *testing.T) {
	e := webPlatform(t, noClientIP)
	port := model.Port(6514)
	c, err := Compare(e, reach.Query{From: "198.51.100.7", To: "aws_lb.ingest", Protocol: model.ProtocolTCP, Port: &port})
	if err != nil {
		t.Fatal(err)
	}
	if c.Disagreement != "" || !c.Exchange.Complete {
		t.Fatalf("%s (complete %v)", c.Disagreement, c.Exchange.Complete)
	}
	syn, synack := c.Exchange.Packets[0], c.Exchange.Packets[1]
	if syn.Fate.Via == nil || syn.Fate.Via.ClientIPPreserved {
		t.Fatalf("via %+v", syn.Fate.Via)
	}
	if syn.Arrived.Src == syn.Header.Src || syn.Arrived.SrcPort < 32768 {
		t.Errorf("the target saw %s:%d, want the node's address and a port of its own", syn.Arrived.Src, syn.Arrived.SrcPort)
	}
	if synack.Arrived.Dst != syn.Header.Src || synack.Arrived.DstPort != syn.Header.SrcPort {
		t.Errorf("the reply reached %s:%d, want the client %s:%d", synack.Arrived.Dst, synack.Arrived.DstPort, syn.Header.Src, syn.Header.SrcPort)
	}
}

package packettest

import (
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/reach"
)

// TestLoadBalancerWalks: the walker through each kind of load balancer of
// the web-platform example agrees with trace, and does what the kind does
// to the packets: a proxy (ALB, CLB) ends the client's connection at its
// node and opens its own to a target from the node's address, answered
// back to the node; a Network Load Balancer forwards the client's packets,
// keeping the client's address when it preserves it.
func TestLoadBalancerWalks(t *testing.T) {
	ex, ok := examples.Lookup("web-platform")
	if !ok {
		t.Fatal("no web-platform example")
	}
	in, err := hcl.LoadBytes(ex.StatePath, ex.State())
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
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
	ex, _ := examples.Lookup("web-platform")
	in, err := hcl.LoadBytes(ex.StatePath, ex.State())
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
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

package packet

import (
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// Load balancers (docs/packet.md, "Load balancers"). reach decides which
// listener accepts a packet and which target it goes to
// (reach.DecisionLoadBalance); the walker keeps what a node keeps per
// connection, as it keeps a NAT gateway's sessions: the connection to the
// target that stands for each client's, with the source port the node
// picked when it sends from its own address. An Application or Classic Load
// Balancer is a proxy: the client's connection ends at the node, and the
// node's own connection carries the request to the target, whose replies
// come back to the node. A Network Load Balancer forwards the client's
// packets, from the client's address when it preserves it (the target's
// replies go back through the node, reach.Engine.ReturnThrough) or from the
// node's; the node translates the replies back to the client.

// lbIdle is how long a node remembers an idle connection: a Network Load
// Balancer's TCP idle timeout (350 s, "Connection idle timeout" in the
// Network Load Balancer guide). An Application Load Balancer closes idle
// connections after 60 s by default, which only shortens what is kept.
const lbIdle = 350 * time.Second

// nodeFirstPort is where a node starts picking the source ports of its own
// connections: AWS does not publish which of the range it uses, so vpcsim
// starts where Linux's default local port range does (32768), which keeps
// the node's ports above its targets' well-known ones, as a reader of its
// flow logs expects a client's to be.
const nodeFirstPort = 32768

// lbKey is a client's connection through one route.
type lbKey struct {
	route  int32
	client Tuple
}

// lbSession is the node's connection to the target for a client's.
type lbSession struct {
	client Tuple
	route  int32
	last   int64
}

// lbTable holds every node's sessions: by the client's connection and by
// the connection to the target.
type lbTable struct {
	byClient map[lbKey]Tuple
	byTarget map[Tuple]lbSession
	// next is the next source port each node address tries.
	next map[Tuple]uint16
}

func (t *lbTable) init() {
	t.byClient, t.byTarget, t.next = map[lbKey]Tuple{}, map[Tuple]lbSession{}, map[Tuple]uint16{}
}

// open returns the connection to the target standing for the client's
// connection c through route r, to (reach's header as the node sends it),
// picking the node's source port when it sends from its own address.
func (t *lbTable) open(r int32, c Tuple, to reach.Header, ports model.PortRange, ns int64) Tuple {
	k := lbKey{r, c}
	if b, ok := t.byClient[k]; ok {
		if s, ok := t.byTarget[b]; ok && s.client == c {
			s.last = ns
			t.byTarget[b] = s
			return b
		}
	}
	b := Tuple{Src: to.Src, Dst: to.Dst, SrcPort: to.SrcPort, DstPort: to.DstPort, Protocol: c.Protocol}
	if ports != (model.PortRange{}) && (c.Protocol == uint8(model.ProtocolTCP) || c.Protocol == uint8(model.ProtocolUDP)) {
		// The node sends from its own address: a port of the range reach
		// gives, the next free one for this node address and target.
		lo, hi := ports.First, ports.Last
		rt := Tuple{Src: to.Src, Dst: to.Dst, DstPort: to.DstPort, Protocol: c.Protocol}
		p, ok := t.next[rt]
		if !ok && lo <= nodeFirstPort && nodeFirstPort <= hi {
			p = nodeFirstPort
		}
		p = max(p, lo)
		for range int(hi-lo) + 1 {
			b.SrcPort = p
			if p++; p > hi || p < lo {
				p = lo
			}
			if _, used := t.byTarget[b]; !used {
				break
			}
		}
		t.next[rt] = p
	}
	t.byClient[k] = b
	t.byTarget[b] = lbSession{client: c, route: r, last: ns}
	return b
}

// back finds the session a reply from the target (tuple rt, as it reached
// the node) belongs to.
func (t *lbTable) back(rt Tuple, ns int64) (lbSession, bool) {
	s, ok := t.byTarget[rt.Reverse()]
	if ok {
		s.last = ns
		t.byTarget[rt.Reverse()] = s
	}
	return s, ok
}

// sweep forgets sessions idle at ns.
func (t *lbTable) sweep(ns int64) {
	for b, s := range t.byTarget {
		if ns-s.last > int64(lbIdle) {
			delete(t.byTarget, b)
			delete(t.byClient, lbKey{s.route, s.client})
		}
	}
}

// lbForward applies a node's forwarding (op o) to h, which reached the
// node as the client sent it. It reports whether the packet goes on (a
// Network Load Balancer's forwarding); at a proxy the client's packet has
// arrived at the node, and the node's own packet is w.onward.
func (w *Walker) lbForward(o *op, h *Header, now time.Time, fate *Fate) bool {
	via := &w.lbs[o.lb]
	c := h.Tuple()
	b := w.lbt.open(o.lb, c, o.to, o.ports, now.UnixNano())
	fate.Via, fate.lb = via, o.lb+1
	if !via.Type.Proxies() {
		setTuple(h, b)
		return true
	}
	w.onward = *h
	setTuple(&w.onward, b)
	w.onwardAt, w.hasOnward = o.pos, true
	*fate = Fate{Outcome: Delivered, At: o.pos, Iface: -1, Hops: fate.Hops + int(o.hops), Reply: fate.Reply, Via: via, lb: o.lb + 1}
	return false
}

// lbReply applies a node's reverse translation (op o) to the reply h: it
// reports whether the reply goes on to the client, restored as the client's
// connection has it; otherwise it has arrived at the node (the reply of a
// connection the node opened: a proxy's to its target, or a health check).
func (w *Walker) lbReply(o *op, h *Header, now time.Time, fate *Fate) bool {
	s, ok := w.lbt.back(h.Tuple(), now.UnixNano())
	if ok && !w.lbs[s.route].Type.Proxies() {
		setTuple(h, s.client.Reverse())
		return true
	}
	*fate = Fate{Outcome: Delivered, At: o.pos, Iface: -1, Hops: fate.Hops + int(o.hops), Reply: fate.Reply}
	if ok {
		fate.Via, fate.lb = &w.lbs[s.route], s.route+1
	}
	return false
}

// proxied walks the connection a proxy's node opened for the packet the
// client's walk delivered to it: the node's packet to the target and, when
// it arrives, the target's answer back to the node. Its fates are the
// walker's Backend.
func (w *Walker) proxied(now time.Time) {
	w.hasOnward = false
	w.backend = [2]Fate{}
	req := w.onward
	start := w.onwardAt
	sent := w.Walk(start, &req, false, now)
	w.backend[0] = sent
	if sent.Outcome != Delivered {
		return
	}
	ans := Header{Protocol: req.Protocol, Src: req.Dst, Dst: req.Src, SrcPort: req.DstPort, DstPort: req.SrcPort,
		ICMPType: req.ICMPType, ICMPCode: req.ICMPCode, ICMPID: req.ICMPID}
	switch {
	case req.Flags.Has(RST):
		return
	case req.Flags.Has(SYN):
		ans.Flags = SYN | ACK
	case req.Flags.Has(FIN):
		ans.Flags = FIN | ACK
	case req.Protocol == model.ProtocolTCP:
		ans.Flags = ACK
	}
	back, _ := w.e.PositionOf(sent.At.ID())
	answer := w.Walk(back, &ans, true, now)
	w.backend[0], w.backend[1] = sent, answer
}

// Backend is what became of the connection a proxying load balancer's node
// opened for the last packet Walk delivered to it: the node's packet to the
// target and the target's answer (zero Outcome when none was sent). Valid
// until the next Walk.
func (w *Walker) Backend() (request, answer Fate) { return w.backend[0], w.backend[1] }

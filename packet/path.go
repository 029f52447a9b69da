package packet

import (
	"cmp"
	"encoding/binary"
	"math/bits"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// reach decides a hop from the position, the packet's 5-tuple and whether it
// is a reply, and from nothing else: every packet of a flow gets the same
// answers. The walker therefore asks reach once per flow and keeps the
// answers as a segment — the hops from a position until the walk ends or a
// NAT gateway translates (the port the walker's session table picks is part
// of the next question) — compiled into ops that the walker's own state
// (connection tracking, NAT sessions, flow-log observations) acts on. Later
// packets of the flow replay the ops; the cache is bounded and emptied when
// full. It is a memo of reach's answers, not a second source of them:
// TestCacheChangesNothing walks the same packets with and without it.

type opKind uint8

const (
	// opCross: the packet crosses interface iface in direction dir (a flow
	// log observation).
	opCross opKind = iota + 1
	// opSG: an interface's security groups decided allowed by their rules;
	// connection tracking may override a deny.
	opSG
	// opACL: a network ACL denied the packet.
	opACL
	// opStatic: an internet gateway's one-to-one translation to addr.
	opStatic
	// opNATOut, opNATIn: a NAT gateway's source translation and reverse
	// translation, made by the walker's session table.
	opNATOut
	opNATIn
	// opLBOut: a load balancer node forwards to a target (route lb): the
	// walker's load balancer sessions pick the node's source port and, at
	// a proxy, end the client's packet at the node (pos) and send the
	// node's own onward. opLBIn: a reply reached the node: its session
	// restores the client's connection, or (none, or a proxy's own
	// connection) the reply has arrived at pos.
	opLBOut
	opLBIn
	// opPath: the packet heads for a gateway: the traffic-path of pending
	// egress observations.
	opPath
	// opEnd: the segment ends (outcome; forward: go on from pos).
	opEnd
)

type op struct {
	kind      opKind
	dir       model.Direction
	allowed   bool
	untracked bool
	toDst     bool
	path      uint8
	// hops are the steps the segment took up to this op.
	hops    uint8
	outcome reach.Outcome
	iface   int32
	nat     int32
	lb      int32
	// to is, for opLBOut, the packet as the node sends it on (reach's
	// header: the target's address and port, the node's address or the
	// client's).
	to reach.Header
	// ports are the source ports the node picks from (opLBOut).
	ports model.PortRange
	addr  netip.Addr
	code  reach.Code
	comp  *reach.Ref
	rule  *reach.RuleRef
	// srcSvc and dstSvc are the AWS services of the packet's ends at a
	// crossing (flow logs version 5).
	srcSvc, dstSvc string
	pos            reach.Position
	// hint finds the flow's tracked connection or NAT session again (opSG,
	// opNATOut, opNATIn); logHint its accepted flow-log record (opCross).
	hint    Hint
	logHint flowlog.Hint
	// next indexes, for an opEnd that sends the packet on, the memory of
	// the segment that followed it (pathCache.next).
	next int32
}

// nextMemo is the segment that followed an opEnd last time: after a NAT
// gateway's translation, a flow's next segment is always the same while
// its session lives. It is valid while the cache's epoch is epoch.
type nextMemo struct {
	key   segKey
	s     span
	epoch uint32
}

type segKey struct {
	pos   reach.Position
	h     reach.Header
	reply bool
}

type span struct{ lo, hi int32 }

// pathIndex finds segments by key. A Go map of the whole key hashes ~90
// bytes a lookup, the most of a cached packet's cost; this one hashes the
// key's words with two multiplications and looks the hash up, checking the
// key it finds, and keeps the rare keys whose hash another took in a map
// of its own.
type pathIndex struct {
	byHash  map[uint64]int32
	entries []pathEntry
	spill   map[segKey]span
}

type pathEntry struct {
	key segKey
	s   span
}

func (x *pathIndex) init() {
	x.byHash, x.spill = make(map[uint64]int32), make(map[segKey]span)
}

func (x *pathIndex) len() int { return len(x.entries) + len(x.spill) }

func (x *pathIndex) clear() {
	clear(x.byHash)
	clear(x.spill)
	x.entries = x.entries[:0]
}

func fold(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a^0xa0761d6478bd642f, b^0xe7037ed1a0b428db)
	return hi ^ lo
}

func hashKey(k *segKey) uint64 {
	s, d := k.h.Src.As16(), k.h.Dst.As16()
	w := uint64(k.h.SrcPort)<<48 | uint64(k.h.DstPort)<<32 | uint64(k.h.Proto)<<24 | uint64(uint32(k.pos.ID()))&0xffffff
	if k.reply {
		w ^= 1 << 63
	}
	return fold(fold(binary.LittleEndian.Uint64(s[:8]), binary.LittleEndian.Uint64(s[8:])),
		fold(fold(binary.LittleEndian.Uint64(d[:8]), binary.LittleEndian.Uint64(d[8:])), w))
}

func (x *pathIndex) get(k *segKey) (span, bool) {
	if i, ok := x.byHash[hashKey(k)]; ok {
		if e := &x.entries[i]; e.key == *k {
			return e.s, true
		}
		s, ok := x.spill[*k]
		return s, ok
	}
	return span{}, false
}

func (x *pathIndex) put(k *segKey, s span) {
	h := hashKey(k)
	if _, taken := x.byHash[h]; taken {
		x.spill[*k] = s
		return
	}
	x.byHash[h] = int32(len(x.entries))
	x.entries = append(x.entries, pathEntry{*k, s})
}

// pathCache holds compiled segments.
type pathCache struct {
	e *reach.Engine
	// Off turns the cache off: every packet asks reach (for tests and
	// measurements).
	off   bool
	max   int
	index pathIndex
	ops   []op
	next  []nextMemo
	// epoch counts the times the cache was emptied: spans remembered from
	// an older epoch point at nothing.
	epoch uint32
	// interRegion marks peering connections between regions
	// (traffic-path 5 instead of 4).
	interRegion map[string]bool
}

// defaultCacheFlows bounds the cache: past it the cache starts afresh.
const defaultCacheFlows = 1 << 16

func (c *pathCache) init(e *reach.Engine) {
	c.e, c.max = e, defaultCacheFlows
	c.index.init()
	c.interRegion = map[string]bool{}
	n := e.Network()
	region := func(vpcID, r string) string {
		if r != "" {
			return r
		}
		for _, v := range n.VPCs {
			if v.ID == vpcID && v.Region != "" {
				return v.Region
			}
		}
		return n.Region
	}
	for _, p := range n.PeeringConnections {
		c.interRegion[p.ID] = region(p.RequesterVPCID, p.RequesterRegion) != region(p.AccepterVPCID, p.AccepterRegion)
	}
}

// SetCache bounds the walker's memo of reach's answers to flows segments
// (0 turns it off: every packet asks reach every hop).
func (w *Walker) SetCache(flows int) {
	w.paths.off, w.paths.max = flows <= 0, flows
	w.paths.reset()
}

func (c *pathCache) reset() {
	c.index.clear()
	c.ops = c.ops[:0]
	c.next = c.next[:0]
	c.epoch++
}

// reachHeader is what reach decides on: for ICMP, the type stands in the
// destination port and the code in the source port.
func reachHeader(h *Header) reach.Header {
	rh := reach.Header{Src: h.Src, Dst: h.Dst, Proto: uint8(h.Protocol), SrcPort: h.SrcPort, DstPort: h.DstPort}
	switch h.Protocol {
	case model.ProtocolICMP, model.ProtocolICMPv6:
		rh.SrcPort, rh.DstPort = uint16(h.ICMPCode), uint16(h.ICMPType)
	case model.ProtocolTCP, model.ProtocolUDP:
	default:
		rh.SrcPort, rh.DstPort = 0, 0
	}
	return rh
}

// segment returns where the ops of the flow k are, compiling them when the
// cache does not hold them; via is the index of the opEnd the packet comes
// from (-1 at the start of its walk), whose memory of the segment that
// followed it spares the lookup.
func (c *pathCache) segment(w *Walker, k *segKey, via int32) span {
	if c.off {
		c.reset()
		c.compile(w, *k)
		return span{0, int32(len(c.ops))}
	}
	memo := int32(-1)
	if via >= 0 {
		if memo = c.ops[via].next; memo >= 0 {
			if m := &c.next[memo]; m.epoch == c.epoch && m.key == *k {
				return m.s
			}
		}
	}
	s, ok := c.index.get(k)
	if !ok {
		if c.index.len() >= c.max {
			c.reset()
			memo = -1
		}
		lo := int32(len(c.ops))
		c.compile(w, *k)
		s = span{lo, int32(len(c.ops))}
		c.index.put(k, s)
	}
	if memo >= 0 {
		c.next[memo] = nextMemo{key: *k, s: s, epoch: c.epoch}
	}
	return s
}

// compile steps the flow through reach until the walk ends or a NAT gateway
// translates, turning each hop's events into ops.
func (c *pathCache) compile(w *Walker, k segKey) {
	hop := &w.hop
	pos, rh := k.pos, k.h
	var steps uint8
	for {
		c.e.Step(pos, rh, k.reply, hop)
		steps++
		cur := rh // the header as it is at each event of the hop
		boundary := false
		for _, ev := range hop.Events() {
			switch {
			case ev.Cross:
				src, dst := w.sv.of(cur.Src), w.sv.of(cur.Dst)
				c.ops = append(c.ops, op{kind: opCross, iface: ev.Iface, dir: ev.Direction, srcSvc: src, dstSvc: dst, hops: steps})
			case ev.Kind == reach.StepSecurityGroup:
				if ev.Iface < 0 {
					continue // no interface, no state: cannot happen for groups, which belong to interfaces
				}
				c.ops = append(c.ops, op{kind: opSG, iface: ev.Iface, dir: ev.Direction, allowed: ev.Decision == reach.DecisionAllow,
					untracked: ev.Untracked, code: ev.Code, comp: ev.Component, pos: hop.Next, hops: steps})
			case ev.Kind == reach.StepNetworkACL && ev.Decision == reach.DecisionDeny:
				c.ops = append(c.ops, op{kind: opACL, iface: ev.Iface, dir: ev.Direction, code: ev.Code, comp: ev.Component, rule: ev.Rule, pos: hop.Next, hops: steps})
			case ev.Kind == reach.StepTranslate:
				t := hop.Translation
				switch {
				case t.Kind == reach.DecisionLoadBalance:
					c.ops = append(c.ops, op{kind: opLBOut, lb: t.LB, comp: t.Gateway, to: hop.Header, ports: t.Ports, pos: pos.Arrived(), hops: steps})
					boundary = true
				case t.Kind == reach.DecisionReverseLoadBalance:
					c.ops = append(c.ops, op{kind: opLBIn, comp: t.Gateway, pos: hop.Next, hops: steps})
					boundary = true
				case t.NAT < 0:
					c.ops = append(c.ops, op{kind: opStatic, addr: t.To, toDst: t.Kind == reach.DecisionDestinationNAT})
				case t.Kind == reach.DecisionSourceNAT:
					c.ops = append(c.ops, op{kind: opNATOut, nat: t.NAT, comp: t.Gateway, pos: hop.Next, hops: steps})
					boundary = true
				case t.Kind == reach.DecisionReverseNAT:
					c.ops = append(c.ops, op{kind: opNATIn, nat: t.NAT, comp: hop.Component, code: hop.Code, pos: hop.Next, hops: steps})
					boundary = true
				}
				cur = hop.Header
			}
		}
		if hop.Outcome == reach.OutcomeForward {
			if p := c.pathTo(hop.Next); p != 0 {
				c.ops = append(c.ops, op{kind: opPath, path: p})
			}
			if !boundary && steps < 2*64 {
				pos, rh = hop.Next, hop.Header
				continue
			}
		}
		end := op{kind: opEnd, outcome: hop.Outcome, pos: hop.Next, hops: steps, next: -1}
		switch hop.Outcome {
		case reach.OutcomeDropped:
			end.code, end.comp, end.rule = hop.Code, hop.Component, hop.Rule
		case reach.OutcomeForward:
			end.next = int32(len(c.next))
			c.next = append(c.next, nextMemo{})
		}
		c.ops = append(c.ops, end)
		return
	}
}

// pathTo is the flow-log traffic-path of a packet heading for the component
// at p, when it is a gateway that ends the packet's time in the VPC (AWS's
// Nitro values: vpcsim assumes current instance types).
func (c *pathCache) pathTo(p reach.Position) uint8 {
	r := p.Component()
	switch r.Kind {
	case "internet-gateway", "egress-only-internet-gateway":
		return flowlog.PathIGWNitro
	case "vpc-endpoint":
		return flowlog.PathGatewayEPNitro
	case "vpn-gateway":
		return flowlog.PathVirtualPrivateG
	case "vpc-peering-connection":
		if c.interRegion[r.ID] {
			return flowlog.PathPeeringInter
		}
		return flowlog.PathPeeringIntra
	}
	return 0
}

// services names the AWS service owning an address, as ip-ranges.json
// would (flow logs' pkt-src-aws-service and pkt-dst-aws-service), from what
// the network says: the AWS-managed prefix lists of gateway endpoint
// services (com.amazonaws.<region>.s3 and .dynamodb), when their entries
// are known.
type services struct {
	ranges []svcRange
}

type svcRange struct {
	p   netip.Prefix
	svc string
}

func servicesOf(n *model.Network) services {
	var s services
	byList := map[string]string{}
	for _, ep := range n.Endpoints {
		if ep.PrefixListID != "" {
			byList[ep.PrefixListID] = serviceName(ep.ServiceName)
		}
	}
	for _, pl := range n.PrefixLists {
		svc := cmp.Or(serviceName(pl.Name), byList[pl.ID])
		if svc == "" {
			continue
		}
		for _, p := range pl.Entries {
			s.ranges = append(s.ranges, svcRange{p.Masked(), svc})
		}
	}
	slices.SortFunc(s.ranges, func(a, b svcRange) int { return b.p.Bits() - a.p.Bits() })
	return s
}

// serviceName maps an AWS service name (com.amazonaws.us-east-1.s3) to the
// ip-ranges service of its addresses; "" when it is not one whose addresses
// a prefix list gives.
func serviceName(name string) string {
	if !strings.HasPrefix(name, "com.amazonaws.") {
		return ""
	}
	switch name[strings.LastIndexByte(name, '.')+1:] {
	case "s3":
		return "S3"
	case "dynamodb":
		return "DYNAMODB"
	}
	return ""
}

func (s *services) of(a netip.Addr) string {
	for _, r := range s.ranges {
		if r.p.Contains(a) {
			return r.svc
		}
	}
	return ""
}

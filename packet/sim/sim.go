// Package sim runs traffic scenarios over simulated time: sessions of the
// scenario's services arrive at their rates, each a real conversation of
// packets (TCP with handshake and teardown, UDP, ping) walked through the
// network by the packet walker, interleaved in time with every other; port
// scans probe one port after another. What the walker sees becomes flow
// logs and captures (Outputs). The same network, scenario and seed give the
// same packets, records and bytes.
package sim

import (
	"container/heap"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/scenario"
	"github.com/vpcsim/vpcsim/reach"
)

// Options set up a run.
type Options struct {
	// Seed seeds every random choice: arrivals, clients, ports.
	Seed uint64
	// Timeouts are connection tracking's; zero means packet.DefaultTimeouts.
	Timeouts packet.Timeouts
	// Recorder receives the flow-log events (nil: none).
	Recorder packet.Recorder
	// Sent sees every packet as its sender sent it (nil: none); an error
	// stops the run.
	Sent func(t time.Time, h *packet.Header) error
	// Progress is told how much simulated time has passed, now and then.
	Progress func(done, total time.Duration)
}

// Stats count what a run did.
type Stats struct {
	// Sessions started (a scan's probes count as sessions), and those whose
	// every packet arrived where it must.
	Sessions  int `json:"sessions"`
	Completed int `json:"completed"`
	Packets   int `json:"packets"`
	// Outcomes counts packets by how they ended (delivered, left, dropped,
	// unplaced); Drops the dropped and unplaced ones by code.
	Outcomes map[string]int     `json:"outcomes"`
	Drops    map[reach.Code]int `json:"drops"`
	// Blocks are per traffic block, then per scan, in the scenario's order.
	Blocks []BlockStats `json:"blocks"`
}

// BlockStats count one traffic block or scan.
type BlockStats struct {
	Kind      string `json:"kind"` // traffic or scan
	Name      string `json:"name"`
	Sessions  int    `json:"sessions"`
	Completed int    `json:"completed"`
	Packets   int    `json:"packets"`
	// Failures counts sessions by the code of the packet that stopped them.
	Failures map[reach.Code]int `json:"failures"`
}

// Limits of a run, so that a typo in a rate cannot exhaust the machine.
const (
	// MaxSessions is the most sessions a run starts.
	MaxSessions = 50_000_000
	// synRetries are the retransmissions of an unanswered SYN, after 1 s
	// then 2 s more (Linux's initial backoff).
	synRetries = 2
)

// Run runs scenario sc through the network of e.
func Run(e *reach.Engine, sc *scenario.Scenario, o Options) (*Stats, error) {
	if o.Timeouts == (packet.Timeouts{}) {
		o.Timeouts = packet.DefaultTimeouts
	}
	w := packet.NewWalker(e, o.Recorder, o.Timeouts)
	r := packet.NewReplayer(w, packet.Vantage{})
	var sendErr error
	if o.Sent != nil {
		r.OnSend = func(t time.Time, h *packet.Header) {
			if sendErr == nil {
				sendErr = o.Sent(t, h)
			}
		}
	}
	rn := &run{e: e, sc: sc, r: r, rnd: rand.New(rand.NewPCG(o.Seed, 0x5eed)), st: &Stats{Outcomes: map[string]int{}, Drops: map[reach.Code]int{}},
		taken: map[netip.Addr]bool{}, pairs: map[pairKey]*pair{}}
	for _, x := range e.Network().Interfaces {
		for _, p := range x.PublicIPs {
			rn.taken[p.Public] = true
		}
	}
	if err := rn.setup(); err != nil {
		return nil, err
	}
	if expected := rn.expectedSessions(); expected > MaxSessions {
		return nil, fmt.Errorf("the scenario would start about %.0f sessions; at most %d are simulated in one run", expected, MaxSessions)
	}
	end := sc.Start.Add(sc.Duration)
	nextSweep := sc.Start.Add(time.Minute)
	step := max(sc.Duration/200, time.Second)
	nextProgress := sc.Start
	var h packet.Header
	for rn.q.Len() > 0 {
		a := heap.Pop(&rn.q).(*agent)
		now := a.at
		for !now.Before(nextSweep) {
			r.Sweep(nextSweep)
			nextSweep = nextSweep.Add(time.Minute)
		}
		if o.Progress != nil && !now.Before(nextProgress) {
			o.Progress(min(now.Sub(sc.Start), sc.Duration), sc.Duration)
			nextProgress = now.Add(step)
		}
		if again := rn.act(a, &h, end); again {
			heap.Push(&rn.q, a)
		}
		if sendErr != nil {
			return nil, sendErr
		}
		if err := w.Err(); err != nil {
			return nil, err
		}
	}
	if o.Progress != nil {
		o.Progress(sc.Duration, sc.Duration)
	}
	return rn.st, nil
}

type run struct {
	e     *reach.Engine
	sc    *scenario.Scenario
	r     *packet.Replayer
	rnd   *rand.Rand
	st    *Stats
	q     agents
	seq   int64
	taken map[netip.Addr]bool // public addresses of the network: not clients
	pairs map[pairKey]*pair
}

// An agent is something that acts at a time: a traffic block starting its
// next session, a session sending its next packet, a scan its next probe.
type agent struct {
	at    time.Time
	seq   int64 // ties in time break by creation order: the run is deterministic
	kind  agentKind
	block int
	// A traffic block's clients and targets, or a scan's.
	t        *scenario.Traffic
	s        *scenario.Scan
	clients  []string
	targets  []string
	end      time.Time
	probe    int // a scan's next probe
	scanPort uint16
	// A session.
	d       *packet.Dialog
	retries int
	tcp     bool
}

type agentKind uint8

const (
	kindTraffic agentKind = iota + 1
	kindSession
	kindScan
)

type agents []*agent

func (q agents) Len() int { return len(q) }
func (q agents) Less(i, j int) bool {
	if c := q[i].at.Compare(q[j].at); c != 0 {
		return c < 0
	}
	return q[i].seq < q[j].seq
}
func (q agents) Swap(i, j int) { q[i], q[j] = q[j], q[i] }
func (q *agents) Push(x any)   { *q = append(*q, x.(*agent)) }
func (q *agents) Pop() any {
	old := *q
	a := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	return a
}

func (rn *run) push(a *agent) {
	rn.seq++
	a.seq = rn.seq
	heap.Push(&rn.q, a)
}

// setup expands each block's clients and targets and schedules its first
// arrival.
func (rn *run) setup() error {
	for i := range rn.sc.Traffic {
		t := &rn.sc.Traffic[i]
		rn.st.Blocks = append(rn.st.Blocks, BlockStats{Kind: "traffic", Name: t.Name, Failures: map[reach.Code]int{}})
		clients, err := rn.expand(t.From, t.Clients, t.FromPos)
		if err != nil {
			return err
		}
		targets, err := rn.expand(t.To, max(1, min(t.Clients, 20)), t.ToPos)
		if err != nil {
			return err
		}
		end := rn.sc.Start.Add(rn.sc.Duration)
		if t.End > 0 {
			end = rn.sc.Start.Add(t.End)
		}
		a := &agent{kind: kindTraffic, block: i, t: t, clients: clients, targets: targets, end: end,
			at: rn.sc.Start.Add(t.Start).Add(rn.arrival(t.Rate))}
		if a.at.Before(end) {
			rn.push(a)
		}
	}
	for i := range rn.sc.Scans {
		s := &rn.sc.Scans[i]
		rn.st.Blocks = append(rn.st.Blocks, BlockStats{Kind: "scan", Name: s.Name, Failures: map[reach.Code]int{}})
		from, err := rn.expand([]string{s.From}, 1, s.FromPos)
		if err != nil {
			return err
		}
		targets, err := rn.expand(s.To, 1, s.ToPos)
		if err != nil {
			return err
		}
		a := &agent{kind: kindScan, block: len(rn.sc.Traffic) + i, s: s, clients: from[:1], targets: targets,
			end: rn.sc.Start.Add(rn.sc.Duration), at: rn.sc.Start.Add(s.Start), scanPort: uint16(32768 + rn.rnd.IntN(28232))}
		rn.push(a)
	}
	return nil
}

func (rn *run) expectedSessions() float64 {
	n := 0.0
	for _, t := range rn.sc.Traffic {
		end := rn.sc.Duration
		if t.End > 0 {
			end = t.End
		}
		n += t.Rate * (end - t.Start).Seconds()
	}
	for _, s := range rn.sc.Scans {
		n += float64(s.Probes())
	}
	return n
}

// arrival is the wait for the next session of a Poisson process of rate r.
func (rn *run) arrival(rate float64) time.Duration {
	return time.Duration(rn.rnd.ExpFloat64() / rate * float64(time.Second))
}

// expand turns a block's from or to into the names of its ends: names and
// addresses of the network as they are; "internet" into n hosts there; a
// block into the interfaces it holds, or n hosts of it outside the network.
func (rn *run) expand(names []string, n int, pos model.Pos) ([]string, error) {
	var out []string
	for _, name := range names {
		// Names of the network's elements may hold a "/" too: a load
		// balancer's node or an Auto Scaling group's interfaces are named
		// by what owns them and the subnet (aws_lb.web/subnet-…).
		block, perr := netip.ParsePrefix(name)
		switch {
		case strings.EqualFold(name, "internet"):
			for range n {
				out = append(out, rn.publicHost().String())
			}
		case perr == nil:
			p := block.Masked()
			var inside []string
			for _, x := range rn.e.Network().Interfaces {
				for _, a := range append(append([]netip.Addr{}, x.PrivateIPs...), x.IPv6Addrs...) {
					if p.Contains(a) && x.OwnerKind != model.OwnerNATGateway {
						inside = append(inside, a.String())
					}
				}
			}
			if len(inside) > 0 {
				out = append(out, inside...)
				continue
			}
			for range n {
				out = append(out, hostIn(rn.rnd, p).String())
			}
		default:
			if _, err := rn.e.StartAt(name); err != nil {
				// A load balancer is no sender but a destination by name.
				_, _, eerr := rn.e.Ends(reach.Query{From: "internet", To: name})
				if _, perr := netip.ParseAddr(name); perr != nil && eerr != nil {
					return nil, fmt.Errorf("%s: error: %s: %w", pos, name, err)
				}
			}
			out = append(out, name)
		}
	}
	return out, nil
}

// publicHost draws a host on the internet: a public address that is not
// the network's.
func (rn *run) publicHost() netip.Addr {
	for {
		a := netip.AddrFrom4([4]byte{byte(1 + rn.rnd.IntN(222)), byte(rn.rnd.IntN(256)), byte(rn.rnd.IntN(256)), byte(1 + rn.rnd.IntN(254))})
		if reach.IsPublic(a) && !rn.taken[a] && !rn.inNetwork(a) {
			rn.taken[a] = true
			return a
		}
	}
}

func (rn *run) inNetwork(a netip.Addr) bool {
	for _, v := range rn.e.Network().VPCs {
		if v.Contains(a) {
			return true
		}
	}
	return false
}

// hostIn draws an address of p (not its first or last).
func hostIn(rnd *rand.Rand, p netip.Prefix) netip.Addr {
	bits := p.Addr().BitLen() - p.Bits()
	if bits < 2 {
		return p.Addr()
	}
	b := p.Addr().As16()
	off := 1 + rnd.Uint64N(uint64(1)<<min(bits, 62)-2)
	for i := 15; i >= 0 && off > 0; i-- {
		sum := uint64(b[i]) + off&0xff
		b[i] = byte(sum)
		off = off>>8 + sum>>8
	}
	a := netip.AddrFrom16(b)
	if p.Addr().Is4() {
		a = a.Unmap()
	}
	return a
}

type pairKey struct {
	client, target string
	proto          model.Protocol
}

// pair is how a client and a target talk: resolved once.
type pair struct {
	conv           packet.Conversation
	start          reach.Position
	client, server packet.End
	err            error
}

func (rn *run) pair(client, target string, p model.Protocol, port uint16) *pair {
	k := pairKey{client, target, p}
	if x, ok := rn.pairs[k]; ok {
		x.conv.ServerPort = port
		return x
	}
	q := reach.Query{From: client, To: target, Protocol: p}
	if p.HasPorts() {
		pr := model.Port(port)
		q.Port = &pr
	}
	x := &pair{}
	x.conv, x.start, x.client, x.server, x.err = packet.ConversationFor(rn.e, q)
	rn.pairs[k] = x
	return x
}

// act makes an agent act at its time; it reports whether it acts again
// (its time moved on).
func (rn *run) act(a *agent, h *packet.Header, end time.Time) bool {
	switch a.kind {
	case kindTraffic:
		rn.startSession(a)
		a.at = a.at.Add(rn.arrival(a.t.Rate))
		return a.at.Before(a.end)
	case kindScan:
		rn.probe(a)
		a.probe++
		if a.probe >= a.s.Probes() {
			return false
		}
		a.at = a.at.Add(time.Duration(float64(time.Second) / a.s.Rate))
		return a.at.Before(end)
	}
	return rn.step(a, h)
}

func (rn *run) block(a *agent) *BlockStats { return &rn.st.Blocks[a.block] }

// open counts a new session of a's block between client and target, and
// resolves how they talk; false when they cannot (the ends are of no
// common family, or an end sends nothing).
func (rn *run) open(a *agent, client, target string, proto model.Protocol, port uint16) (*pair, bool) {
	p := rn.pair(client, target, proto, port)
	b := rn.block(a)
	b.Sessions++
	rn.st.Sessions++
	if p.err != nil {
		b.Failures[reach.CodeUnknownDestination]++
		return nil, false
	}
	return p, true
}

// startSession opens a session of a traffic block between a random client
// and target.
func (rn *run) startSession(a *agent) {
	t := a.t
	p, ok := rn.open(a, a.clients[rn.rnd.IntN(len(a.clients))], a.targets[rn.rnd.IntN(len(a.targets))], t.Protocol, t.Port)
	if !ok {
		return
	}
	b := rn.block(a)
	c := p.conv
	c.ClientPort = uint16(32768 + rn.rnd.IntN(28232)) // Linux's ephemeral range
	if c.Protocol.IsICMP() {
		c.ClientPort = uint16(rn.rnd.IntN(65536)) // the echo identifier
	}
	c.Request, c.Response, c.Count, c.Teardown = t.Request, t.Response, t.Count, t.Teardown
	c.RTT = rtt(rn.rnd, p)
	pkts, err := c.Packets(packet.NewSimClock(a.at))
	if err != nil {
		b.Failures[reach.CodeUnknownDestination]++
		return
	}
	s := &agent{kind: kindSession, block: a.block, d: packet.NewDialog(pkts, p.start, p.client, p.server), tcp: c.Protocol == model.ProtocolTCP, at: a.at}
	rn.push(s)
}

// rtt is a session's round trip: longer across the internet.
func rtt(rnd *rand.Rand, p *pair) time.Duration {
	if p.client.Kind == reach.EndpointInterface && p.server.Kind == reach.EndpointInterface {
		return time.Duration(200+rnd.IntN(800)) * time.Microsecond
	}
	return time.Duration(10+rnd.IntN(80)) * time.Millisecond
}

// step sends a session's next packet.
func (rn *run) step(a *agent, h *packet.Header) bool {
	first := a.d.Index() == 0
	_, f := a.d.Step(rn.r, h)
	rn.count(a, &f)
	if a.d.Failed >= 0 && first && a.tcp && a.retries < synRetries {
		// An unanswered SYN is sent again, 1 s then 2 s later.
		a.d.Retry(time.Second << a.retries)
		a.retries++
	}
	if next, ok := a.d.Next(); ok {
		a.at = next
		return true
	}
	b := rn.block(a)
	if a.d.Complete() {
		b.Completed++
		rn.st.Completed++
	} else {
		b.Failures[a.d.Code]++
	}
	return false
}

func (rn *run) count(a *agent, f *packet.Fate) {
	rn.st.Packets++
	rn.block(a).Packets++
	rn.st.Outcomes[f.Outcome.String()]++
	if f.Outcome == packet.Dropped || f.Outcome == packet.Unplaced {
		rn.st.Drops[f.Code]++
	}
}

// probe sends a scan's next probe: a SYN (or an empty UDP datagram) to the
// next port of the next target. A target that receives a SYN answers it
// with a RST (no service is assumed behind a scanned port).
func (rn *run) probe(a *agent) {
	s := a.s
	i := a.probe
	target := a.targets[i%len(a.targets)]
	port := portAt(s.Ports, i/len(a.targets))
	p, ok := rn.open(a, a.clients[0], target, s.Protocol, port)
	if !ok {
		return
	}
	b := rn.block(a)
	c := p.conv
	c.ServerPort, c.ClientPort = port, a.scanPort
	h := packet.Header{Src: c.Client, Dst: c.Server, Protocol: s.Protocol, SrcPort: c.ClientPort, DstPort: c.ServerPort, TTL: packet.DefaultTTL}
	if s.Protocol == model.ProtocolTCP {
		h.Flags, h.Seq, h.Window, h.Length = packet.SYN, uint32(rn.rnd.Uint32()), 1024, 44
	} else {
		h.Length = 28
	}
	if h.Src.Is6() {
		h.Length += 20
	}
	d := packet.NewDialog([]packet.Packet{{Time: a.at, Header: h, FromClient: true}}, p.start, p.client, p.server)
	var x packet.Header
	_, f := d.Step(rn.r, &x)
	rn.count(a, &f)
	if !d.Complete() {
		b.Failures[d.Code]++
		return
	}
	b.Completed++
	rn.st.Completed++
	if s.Protocol == model.ProtocolTCP {
		rst := packet.Header{Src: h.Dst, Dst: h.Src, Protocol: h.Protocol, SrcPort: h.DstPort, DstPort: h.SrcPort, Flags: packet.RST | packet.ACK,
			Ack: h.Seq + 1, TTL: packet.DefaultTTL, Length: h.Length - 4}
		f := rn.r.Send(&rst, a.at)
		rn.count(a, &f)
	}
}

// portAt is the i-th port of the ranges.
func portAt(rs []model.PortRange, i int) uint16 {
	for _, r := range rs {
		if i < r.Size() {
			return r.First + uint16(i)
		}
		i -= r.Size()
	}
	return 0
}

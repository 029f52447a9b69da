package packet

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// fakeNet stands for reach's decision API in tests: a hand-written network
// with the elements of AWS's flow-log examples 3 and 6.
//
//	internet(0) — igw(1) — public instance A (2, eni 0: 172.31.16.139, EIP 54.0.0.10)
//	                     — NAT gateway (4, eni 2: 10.0.0.220, EIP 52.0.0.220)
//	                          — router of the private subnet (5) — private instance B (3, eni 1: 10.0.1.5)
//
// Filters are functions so that each test sets the rules it needs.
type fakeNet struct {
	sgIn, sgOut   func(h *Header) bool // instance A's security group
	naclIn        func(h *Header) bool // public subnet's network ACL
	naclOut       func(h *Header) bool
	bIn, bOut     func(h *Header) bool // instance B's security group
	bUntracked    bool
	rules         []reach.RuleRef
	ruleSG, ruleN RuleID
}

const (
	nInternet Node = iota
	nIGW
	nA
	nB
	nNAT
	nPrivRouter
)

var (
	aPriv, aPub     = netip.MustParseAddr("172.31.16.139"), netip.MustParseAddr("54.0.0.10")
	natPriv, natPub = netip.MustParseAddr("10.0.0.220"), netip.MustParseAddr("52.0.0.220")
	bPriv           = netip.MustParseAddr("10.0.1.5")
)

func allow(*Header) bool { return true }

func newFake() *fakeNet {
	return &fakeNet{sgIn: allow, sgOut: allow, naclIn: allow, naclOut: allow, bIn: allow, bOut: allow,
		rules: []reach.RuleRef{{Kind: reach.RuleSecurityGroup, Text: "sg rules"}, {Kind: reach.RuleNetworkACL, Text: "nacl rules"}}, ruleSG: 0, ruleN: 1}
}

func (f *fakeNet) filter(st *Step, kind FilterKind, iface IfaceID, dir model.Direction, ok bool, untracked bool) {
	e := Event{Kind: Filter, Filter: kind, Iface: iface, Dir: dir, Allowed: ok, Untracked: untracked, Rule: f.ruleSG}
	if kind == NetworkACL {
		e.Rule = f.ruleN
	}
	if !ok {
		e.Code = reach.CodeENISGRulesMismatch
		if kind == NetworkACL {
			e.Code = reach.CodeSubnetACLRestriction
		}
	}
	st.Events = append(st.Events, e)
}

func (f *fakeNet) observe(st *Step, iface IfaceID, dir model.Direction, path uint8) {
	st.Events = append(st.Events, Event{Kind: Observe, Iface: iface, Dir: dir, Path: path})
}

func (f *fakeNet) Step(at Node, h *Header, st *Step) {
	switch at {
	case nInternet:
		switch h.Dst {
		case aPub:
			st.Events = append(st.Events, Event{Kind: Translate, Translate: StaticNAT, Dst: aPriv})
			f.observe(st, 0, model.Ingress, 0)
			f.filter(st, NetworkACL, 0, model.Ingress, f.naclIn(h), false)
			f.filter(st, SecurityGroup, 0, model.Ingress, f.sgIn(h), false)
			st.Outcome, st.Next = Deliver, nA
		case natPub:
			st.Events = append(st.Events, Event{Kind: Translate, Translate: StaticNAT, Dst: natPriv})
			st.Outcome, st.Next = Forward, nNAT
		default:
			st.Outcome, st.Code = Drop, reach.CodeUnknownDestination
		}
	case nA:
		f.observe(st, 0, model.Egress, flowlog.PathIGWNitro)
		f.filter(st, SecurityGroup, 0, model.Egress, f.sgOut(h), false)
		f.filter(st, NetworkACL, 0, model.Egress, f.naclOut(h), false)
		st.Outcome, st.Next = Forward, nIGW
	case nIGW:
		if h.Src == aPriv {
			st.Events = append(st.Events, Event{Kind: Translate, Translate: StaticNAT, Src: aPub})
		} else if h.Src == natPriv {
			st.Events = append(st.Events, Event{Kind: Translate, Translate: StaticNAT, Src: natPub})
		} else {
			st.Outcome, st.Code = Drop, reach.CodeIGWPublicIPForEgress
			return
		}
		st.Outcome, st.Next = Exit, nInternet
	case nB:
		f.observe(st, 1, model.Egress, flowlog.PathSameVPC)
		f.filter(st, SecurityGroup, 1, model.Egress, f.bOut(h), f.bUntracked)
		st.Outcome, st.Next = Forward, nPrivRouter
	case nPrivRouter:
		st.Outcome, st.Next = Forward, nNAT
	case nNAT:
		if h.Dst == natPriv { // a reply from the internet
			f.observe(st, 2, model.Ingress, 0)
			st.Events = append(st.Events, Event{Kind: Translate, Translate: NATReverse, NAT: 0})
			f.observe(st, 2, model.Egress, flowlog.PathSameVPC)
			f.observe(st, 1, model.Ingress, 0)
			f.filter(st, SecurityGroup, 1, model.Ingress, f.bIn(h), f.bUntracked)
			st.Outcome, st.Next = Deliver, nB
			return
		}
		f.observe(st, 2, model.Ingress, 0)
		st.Events = append(st.Events, Event{Kind: Translate, Translate: NATSource, NAT: 0})
		f.observe(st, 2, model.Egress, flowlog.PathIGWNitro)
		st.Outcome, st.Next = Forward, nIGW
	}
}

func (f *fakeNet) NATAddresses(NATID) []netip.Addr { return []netip.Addr{natPriv} }
func (f *fakeNet) Rule(r RuleID) reach.RuleRef     { return f.rules[r] }

var ifaces = []flowlog.Interface{
	{ID: "eni-1235b8ca123456789", AccountID: "123456789010", PrimaryV4: aPriv},
	{ID: "eni-1111aaaa2222bbbb3", AccountID: "123456789010", InstanceID: "i-01234567890123456", PrimaryV4: bPriv},
	{ID: "eni-1235b8ca123456789", AccountID: "123456789010", PrimaryV4: natPriv},
}

// walkAll walks a conversation's packets: the client's from client, the
// server's from server, addressed as the server saw the first packet (after
// its translations).
func walkAll(t *testing.T, w *Walker, pkts []Packet, client, server Node) []Fate {
	t.Helper()
	var seen Tuple
	var fates []Fate
	for i, p := range pkts {
		h := p.Header
		from := client
		if !p.FromClient {
			from = server
			h.Src, h.Dst = seen.Dst, seen.Src
			if h.Protocol == model.ProtocolICMP {
				h.ICMPID = seen.SrcPort
			} else {
				h.SrcPort, h.DstPort = seen.DstPort, seen.SrcPort
			}
		}
		f := w.Walk(from, &h, p.Time)
		if i == 0 {
			seen = h.Tuple()
		}
		fates = append(fates, f)
	}
	return fates
}

func records(t *testing.T, format string, run func(rec Recorder)) []string {
	t.Helper()
	var recs []flowlog.Record
	agg, err := flowlog.NewAggregator(flowlog.Config{}, ifaces, flowlog.Collect(&recs))
	if err != nil {
		t.Fatal(err)
	}
	run(agg)
	if err := agg.Flush(); err != nil {
		t.Fatal(err)
	}
	f, err := flowlog.ParseFormat(format)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := range recs {
		b, _ := f.AppendRecord(nil, &recs[i])
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

const v2 = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

// AWS's example 3 end to end through the walker: the security group admits
// the ping (its reply passes by connection tracking, though no outbound
// rule allows ICMP); the network ACL denies the reply.
func TestWalkPingExample(t *testing.T) {
	icmp := func(h *Header) bool { return h.Protocol == model.ProtocolICMP }
	pkts, _ := Ping(NewSimClock(time.Unix(1432917027, 0)), PingOptions{Src: netip.MustParseAddr("203.0.113.12"), Dst: aPub, Count: 4, Interval: 38 * time.Second})
	for _, tc := range []struct {
		name     string
		setup    func(f *fakeNet)
		want     []string
		lastCode reach.Code
	}{
		{"nacl denies replies", func(f *fakeNet) {
			f.sgOut = func(*Header) bool { return false }
			f.naclOut = func(h *Header) bool { return !icmp(h) }
		},
			[]string{
				"2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917027 1432917141 REJECT OK",
				"2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917141 ACCEPT OK",
			}, reach.CodeSubnetACLRestriction},
		{"nacl allows replies", func(f *fakeNet) { f.sgOut = func(*Header) bool { return false } },
			[]string{
				"2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917027 1432917141 ACCEPT OK",
				"2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917141 ACCEPT OK",
			}, ""},
		{"sg denies requests", func(f *fakeNet) { f.sgIn = func(*Header) bool { return false } },
			[]string{
				"2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917141 REJECT OK",
			}, reach.CodeENISGRulesMismatch},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake()
			tc.setup(f)
			var fates []Fate
			got := records(t, v2, func(rec Recorder) {
				w := NewWalker(f, rec, DefaultTimeouts)
				if tc.name == "sg denies requests" {
					// The replies are never sent: walk the requests only.
					for _, p := range pkts {
						if p.FromClient {
							h := p.Header
							fates = append(fates, w.Walk(nInternet, &h, p.Time))
						}
					}
					return
				}
				fates = walkAll(t, w, pkts, nInternet, nA)
			})
			if !slices.Equal(got, tc.want) {
				t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
			last := fates[len(fates)-1]
			if last.Code != tc.lastCode {
				t.Errorf("last packet: %+v, want code %q", last, tc.lastCode)
			}
			if tc.lastCode == reach.CodeSubnetACLRestriction && (last.Iface != 0 || f.Rule(last.Rule).Kind != reach.RuleNetworkACL) {
				t.Errorf("the reply's drop names %+v", last)
			}
		})
	}
}

// AWS's example 6 end to end: a TCP connection from a private instance
// through a NAT gateway; B's security group admits no inbound traffic, so
// the replies pass by connection tracking alone.
func TestWalkNATExample(t *testing.T) {
	f := newFake()
	f.bIn = func(*Header) bool { return false }
	clk := NewSimClock(time.Unix(1700000000, 0))
	pkts, _ := TCPConversation(clk, TCPOptions{Client: netip.AddrPortFrom(bPriv, 40000), Server: netip.MustParseAddrPort("203.0.113.5:443"), Request: 100, Response: 1000})
	var fates []Fate
	var w *Walker
	got := records(t, "${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${action}", func(rec Recorder) {
		w = NewWalker(f, rec, DefaultTimeouts)
		fates = walkAll(t, w, pkts, nB, nInternet)
	})
	for i, fa := range fates {
		want := Deliver
		if pkts[i].FromClient {
			want = Exit
		}
		if fa.Outcome != want {
			t.Fatalf("packet %d (%s): %v %s", i, pkts[i].Header.String(), fa.Outcome, fa.Code)
		}
	}
	want := []string{
		"- eni-1235b8ca123456789 10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5 ACCEPT",
		"- eni-1235b8ca123456789 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5 ACCEPT",
		"- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5 ACCEPT",
		"- eni-1235b8ca123456789 203.0.113.5 10.0.0.220 203.0.113.5 10.0.0.220 ACCEPT",
		"i-01234567890123456 eni-1111aaaa2222bbbb3 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5 ACCEPT",
		"i-01234567890123456 eni-1111aaaa2222bbbb3 203.0.113.5 10.0.1.5 203.0.113.5 10.0.1.5 ACCEPT",
	}
	if !slices.Equal(got, want) {
		t.Errorf("records:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// After the close, a late reply matches no NAT session: dropped at the
	// gateway, as AWS does.
	late := Header{Src: netip.MustParseAddr("203.0.113.5"), Dst: natPub, SrcPort: 443, DstPort: 1024, Protocol: model.ProtocolTCP, Flags: ACK}
	if fa := w.Walk(nInternet, &late, clk.Now()); fa.Outcome != Drop || fa.Code != reach.CodeNGWNoSession {
		t.Errorf("late reply: %+v", fa)
	}
	// Unsolicited traffic to the NAT gateway's address dies the same way.
	probe := Header{Src: netip.MustParseAddr("198.51.100.9"), Dst: natPub, SrcPort: 5555, DstPort: 22, Protocol: model.ProtocolTCP, Flags: SYN}
	if fa := w.Walk(nInternet, &probe, clk.Now()); fa.Code != reach.CodeNGWNoSession {
		t.Errorf("unsolicited: %+v", fa)
	}
	// A protocol the NAT gateway does not translate.
	gre := Header{Src: bPriv, Dst: netip.MustParseAddr("203.0.113.5"), Protocol: 47, Length: 60}
	if fa := w.Walk(nB, &gre, clk.Now()); fa.Code != reach.CodeProtocolRestriction {
		t.Errorf("GRE: %+v", fa)
	}
}

// With B's security group open both ways to everything, AWS does not track
// the connection: replies pass by the rules, and when the inbound rules are
// closed, by nothing.
func TestWalkUntracked(t *testing.T) {
	f := newFake()
	f.bUntracked = true
	w := NewWalker(f, nil, DefaultTimeouts)
	pkts, _ := TCPConversation(NewSimClock(time.Unix(0, 0)), TCPOptions{Client: netip.AddrPortFrom(bPriv, 40000), Server: netip.MustParseAddrPort("203.0.113.5:443")})
	for _, fa := range walkAll(t, w, pkts[:2], nB, nInternet) {
		if fa.Outcome == Drop {
			t.Fatalf("open rules: %+v", fa)
		}
	}
	f.bIn = func(*Header) bool { return false }
	fates := walkAll(t, w, pkts, nB, nInternet)
	if fa := fates[1]; fa.Outcome != Drop || fa.Code != reach.CodeENISGRulesMismatch || fa.Iface != 1 {
		t.Errorf("untracked reply with inbound closed: %+v", fa)
	}
}

func TestWalkLoop(t *testing.T) {
	w := NewWalker(loopNet{}, nil, DefaultTimeouts)
	h := Header{Src: bPriv, Dst: aPriv, Protocol: model.ProtocolUDP}
	if fa := w.Walk(0, &h, time.Unix(0, 0)); fa.Code != reach.CodeRoutingLoop || fa.Hops != w.MaxHops {
		t.Errorf("loop: %+v", fa)
	}
}

type loopNet struct{}

func (loopNet) Step(at Node, h *Header, st *Step) { st.Outcome, st.Next = Forward, 1-at }
func (loopNet) NATAddresses(NATID) []netip.Addr   { return nil }
func (loopNet) Rule(RuleID) reach.RuleRef         { return reach.RuleRef{} }

// BenchmarkWalk: established TCP packets, both ways, through a private
// instance's security group, a NAT gateway's session table and an internet
// gateway (four steps, connection tracking and NAT on each packet), into a
// flow log aggregator.
func BenchmarkWalk(b *testing.B) {
	f := newFake()
	var n int
	agg, _ := flowlog.NewAggregator(flowlog.Config{}, ifaces, func(*flowlog.Record) error { n++; return nil })
	w := NewWalker(f, agg, DefaultTimeouts)
	const conns = 1000
	out := make([]Header, conns)
	back := make([]Header, conns)
	now := time.Unix(1700000000, 0)
	for i := range out {
		h := Header{Src: bPriv, Dst: netip.MustParseAddr("203.0.113.5"), SrcPort: uint16(10000 + i), DstPort: 443, Protocol: model.ProtocolTCP, Flags: SYN, Length: 60}
		w.Walk(nB, &h, now)
		back[i] = Header{Src: h.Dst, Dst: h.Src, SrcPort: h.DstPort, DstPort: h.SrcPort, Protocol: model.ProtocolTCP, Flags: SYN | ACK, Length: 60}
		r := back[i]
		w.Walk(nInternet, &r, now)
		out[i] = Header{Src: bPriv, Dst: netip.MustParseAddr("203.0.113.5"), SrcPort: uint16(10000 + i), DstPort: 443, Protocol: model.ProtocolTCP, Flags: ACK, Length: 1500}
		back[i].Flags = ACK
	}
	// The header is handed to the Network through an interface, so it
	// lives on the heap: one, reused, as a simulator would.
	h := new(Header)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		*h = out[i%conns]
		if i&1 == 1 {
			*h = back[i%conns]
			if fa := w.Walk(nInternet, h, now); fa.Outcome != Deliver {
				b.Fatalf("%+v", fa)
			}
		} else if fa := w.Walk(nB, h, now); fa.Outcome != Exit {
			b.Fatalf("%+v", fa)
		}
		i++
	}
}

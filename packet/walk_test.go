package packet_test

import (
	"fmt"
	"math/rand/v2"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/packettest"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/reachtest"
)

var t0 = time.Unix(1700000000, 0)

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// TestWalkNATGateway: a NAT gateway's session table decides what reach
// leaves to it: a reply after the connection closed, and traffic to the
// gateway's address that no session expects, are dropped at the gateway
// (NGW_NO_MATCHING_SESSION); a protocol it does not translate is refused by
// the rules (PROTOCOL_RESTRICTION); when no port is left for a destination
// the connection fails (NGW_PORT_ALLOCATION_ERROR).
func TestWalkNATGateway(t *testing.T) {
	e, err := natNet().Engine()
	if err != nil {
		t.Fatal(err)
	}
	w := packet.NewWalker(e, nil, packet.DefaultTimeouts)
	r := packet.NewReplayer(w, packet.Vantage{})
	pkts, err := packet.TCPConversation(packet.NewSimClock(t0), packet.TCPOptions{Client: netip.MustParseAddrPort("10.0.1.5:40000"), Server: netip.MustParseAddrPort("203.0.113.5:443")})
	if err != nil {
		t.Fatal(err)
	}
	var natPort uint16
	for i, p := range pkts {
		h := p.Header
		f := r.Send(&h, p.Time)
		want := packet.Left
		if !p.FromClient {
			want = packet.Delivered
		}
		if f.Outcome != want {
			t.Fatalf("packet %d %s: %v %s", i, p.Header.String(), f.Outcome, f.Code)
		}
		if i == 0 {
			natPort = h.SrcPort
		}
	}
	if natPort < packet.NATPortFirst {
		t.Errorf("the NAT gateway translated to port %d", natPort)
	}
	drop := func(name string, start reach.Position, h packet.Header, reply bool, code reach.Code, where string) {
		t.Helper()
		f := w.Walk(start, &h, reply, t0.Add(time.Minute))
		if f.Outcome != packet.Dropped || f.Code != code || f.Where().ID != where {
			t.Errorf("%s: %v %s at %s, want dropped %s at %s", name, f.Outcome, f.Code, f.Where().ID, code, where)
		}
	}
	internet, _ := e.StartAt("internet")
	instance, _ := e.StartAt("i-01234567890123456")
	late := packet.Header{Src: addr("203.0.113.5"), Dst: addr("52.0.0.220"), SrcPort: 443, DstPort: natPort, Protocol: model.ProtocolTCP, Flags: packet.ACK, Length: 40}
	drop("a reply after the close", internet, late, true, reach.CodeNGWNoSession, "nat-1")
	probe := packet.Header{Src: addr("198.51.100.9"), Dst: addr("52.0.0.220"), SrcPort: 5555, DstPort: 22, Protocol: model.ProtocolTCP, Flags: packet.SYN, Length: 40}
	drop("an unsolicited connection", internet, probe, false, reach.CodeNGWNoSession, "nat-1")
	gre := packet.Header{Src: addr("10.0.1.5"), Dst: addr("203.0.113.5"), Protocol: 47, Length: 60}
	drop("GRE", instance, gre, false, reach.CodeProtocolRestriction, "nat-1")

	// Two sessions per destination at most: the third connection fails.
	w.SetNATLimits(2, packet.NATIdleTimeout)
	for i := range 3 {
		h := packet.Header{Src: addr("10.0.1.5"), Dst: addr("198.51.100.80"), SrcPort: uint16(50000 + i), DstPort: 443, Protocol: model.ProtocolTCP, Flags: packet.SYN, Length: 40}
		f := w.Walk(instance, &h, false, t0.Add(2*time.Minute))
		if i < 2 && f.Outcome != packet.Left || i == 2 && (f.Outcome != packet.Dropped || f.Code != reach.CodeNGWPortAllocation || f.Where().ID != "nat-1") {
			t.Errorf("connection %d: %v %s at %s", i+1, f.Outcome, f.Code, f.Where().ID)
		}
	}
}

// TestWalkConnectionTracking: a reply passes a security group with no rule
// for it because the request opened a connection; once the connection is
// forgotten (idle past its timeout), the same reply is judged by the rules
// and dropped. A group open every way tracks nothing (AWS's untracked
// connections).
func TestWalkConnectionTracking(t *testing.T) {
	n := reachtest.NewNet("us-east-1")
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.SG("sg-client", "vpc-1", nil, []string{"udp 53 10.0.0.0/16"})
	n.SG("sg-dns", "vpc-1", []string{"udp 53 10.0.0.0/16"}, []string{"all - 0.0.0.0/0"})
	n.SG("sg-open", "vpc-1", []string{"all - 0.0.0.0/0"}, []string{"all - 0.0.0.0/0"})
	n.Instance("client", "subnet-1", []string{"sg-client"}, "", "10.0.1.10")
	n.Instance("dns", "subnet-1", []string{"sg-dns"}, "", "10.0.1.53")
	n.Instance("open", "subnet-1", []string{"sg-open"}, "", "10.0.1.60")
	e, err := n.Engine()
	if err != nil {
		t.Fatal(err)
	}
	w := packet.NewWalker(e, nil, packet.DefaultTimeouts)
	client, _ := e.StartAt("client")
	dns, _ := e.StartAt("dns")
	q := packet.Header{Src: addr("10.0.1.10"), Dst: addr("10.0.1.53"), SrcPort: 40000, DstPort: 53, Protocol: model.ProtocolUDP, Length: 60}
	a := packet.Header{Src: addr("10.0.1.53"), Dst: addr("10.0.1.10"), SrcPort: 53, DstPort: 40000, Protocol: model.ProtocolUDP, Length: 120}
	walk := func(start reach.Position, h packet.Header, at time.Duration) packet.Fate {
		return w.Walk(start, &h, false, t0.Add(at))
	}
	if f := walk(client, q, 0); f.Outcome != packet.Delivered {
		t.Fatalf("query: %+v", f)
	}
	if f := walk(dns, a, time.Second); f.Outcome != packet.Delivered {
		t.Errorf("the answer passes the client's group by tracking: %v %s", f.Outcome, f.Code)
	}
	if got := w.Tracked(mustIface(t, e, "eni-client")); got != 1 {
		t.Errorf("the client tracks %d connections, want 1", got)
	}
	// UDP connections are forgotten after 30 s idle; the client's group
	// has no inbound rule at all.
	if f := walk(dns, a, time.Minute); f.Outcome != packet.Dropped || f.Code != reach.CodeSGHasNoRules || f.Where().ID != "eni-client" {
		t.Errorf("an answer a minute later: %v %s at %s", f.Outcome, f.Code, f.Where().ID)
	}
	open, _ := e.StartAt("open")
	x := packet.Header{Src: addr("10.0.1.60"), Dst: addr("10.0.1.53"), SrcPort: 40000, DstPort: 53, Protocol: model.ProtocolUDP, Length: 60}
	if f := walk(open, x, 2*time.Minute); f.Outcome != packet.Delivered {
		t.Fatalf("from the open interface: %+v", f)
	}
	if got := w.Tracked(mustIface(t, e, "eni-open")); got != 0 {
		t.Errorf("the open interface tracks %d connections; AWS tracks none", got)
	}
}

func mustIface(t *testing.T, e *reach.Engine, id string) int32 {
	t.Helper()
	for i := range e.Interfaces() {
		if c, _ := e.Interface(int32(i)); c.Interface.ID == id {
			return int32(i)
		}
	}
	t.Fatalf("no interface %s", id)
	return -1
}

// TestCacheChangesNothing: the walker's memo of reach's answers is a memo:
// conversations on random networks, pings that share segments but not echo
// identifiers, NAT sessions that expire and come back on another port, walk
// to the same fates and flow-log records with the memo as without it, and
// with a memo so small that it is emptied all the time.
func TestCacheChangesNothing(t *testing.T) {
	for i := range 12 {
		rnd := rand.New(rand.NewPCG(9, uint64(i)))
		e, err := reachtest.RandomNetwork(rnd, reachtest.GenConfig{}).Engine()
		if err != nil {
			t.Fatal(err)
		}
		var queries []reach.Query
		for range 40 {
			queries = append(queries, reachtest.RandomFlow(rnd, e))
		}
		var results [][]string
		for _, cache := range []int{1 << 16, 3, 0} {
			results = append(results, walkAll(t, e, queries, cache))
		}
		if !slices.Equal(results[0], results[1]) || !slices.Equal(results[0], results[2]) {
			for j := range results[0] {
				if j >= len(results[1]) || j >= len(results[2]) || results[0][j] != results[1][j] || results[0][j] != results[2][j] {
					t.Fatalf("network %d, line %d differs:\n%v\n%v\n%v", i, j, results[0][j], at(results[1], j), at(results[2], j))
				}
			}
			t.Fatalf("network %d: %d, %d and %d lines", i, len(results[0]), len(results[1]), len(results[2]))
		}
	}
}

func at(xs []string, i int) string {
	if i < len(xs) {
		return xs[i]
	}
	return "(none)"
}

// walkAll walks the conversations of the queries, each twice (the second
// time after the NAT sessions and connections of the first expired), with
// pings of two identifiers, through one walker with a memo of the given
// size, and lists every packet's fate and every flow-log record.
func walkAll(t *testing.T, e *reach.Engine, queries []reach.Query, cache int) []string {
	t.Helper()
	var recs []flowlog.Record
	agg, err := flowlog.NewAggregator(flowlog.Config{Interval: flowlog.Interval1m}, packet.FlowLogInterfaces(e), flowlog.Collect(&recs))
	if err != nil {
		t.Fatal(err)
	}
	w := packet.NewWalker(e, agg, packet.DefaultTimeouts)
	w.SetCache(cache)
	r := packet.NewReplayer(w, packet.Vantage{})
	var out []string
	clk := packet.NewSimClock(t0)
	for round := range 2 {
		for _, q := range queries {
			conv, start, client, server, err := packet.ConversationFor(e, q)
			if err != nil {
				continue
			}
			conv.Count = 2
			for id := range 2 {
				conv.ClientPort += uint16(id)
				pkts, err := conv.Packets(clk)
				if err != nil {
					continue
				}
				x := packet.Converse(r, start, pkts, client, server)
				for _, p := range x.Packets {
					where := p.Fate.Where()
					out = append(out, fmt.Sprintf("%d %s: %v %s %s %s", round, p.Header.String(), p.Fate.Outcome, p.Fate.Code, where.Label(), p.Arrived.String()))
				}
				clk.Sleep(time.Second)
			}
		}
		clk.Sleep(time.Hour) // every session and connection idles out
	}
	if err := agg.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, rec := range recs {
		out = append(out, rec.String())
	}
	return out
}

// TestWalkNATICMPMessages is the regression test of a disagreement the
// three-engine test found: the walker's NAT session table translated ICMP
// echo only and dropped other ICMP with PROTOCOL_RESTRICTION, where reach
// (and trace) let a NAT gateway translate ICMP, as AWS documents ("TCP,
// UDP, and ICMP"). A timestamp request is now translated by its
// identifier, a destination-unreachable message by address; both, and their
// answers, pass, and the walker agrees with trace.
func TestWalkNATICMPMessages(t *testing.T) {
	e, err := natNet().Engine()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []model.ICMPMatch{model.ICMPTypeCode(13, 0), model.ICMPTypeCode(3, 3), model.ICMPTypeCode(8, 0)} {
		q := reach.Query{From: "i-01234567890123456", To: "203.0.113.5", Protocol: model.ProtocolICMP, ICMP: &m}
		c, err := packettest.Compare(e, q)
		if err != nil {
			t.Fatal(err)
		}
		if c.Disagreement != "" || !c.Exchange.Complete {
			t.Errorf("icmp %s: complete %v; %s", m, c.Exchange.Complete, c.Disagreement)
		}
	}
}

// TestReplayerVantage: where a capture was taken decides how its packets
// enter the network. On the web server's interface, a client's SYN shows
// the server's private address: it arrived from the internet at the public
// address that maps to it, and the SYN-ACK is its reply. Replayed as if
// every packet set off where its source is (auto), the same SYN is sent from
// the internet to a private address, which the internet gateway refuses,
// and the SYN-ACK answers a request that never arrived.
// At the client, the capture shows the public address, and auto replays it.
func TestReplayerVantage(t *testing.T) {
	n := reachtest.NewNet("us-east-1")
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.IGW("igw-1", "vpc-1")
	n.RouteTable("rtb-1", "vpc-1", []string{"subnet-1"}, "0.0.0.0/0 igw-1")
	n.SG("sg-web", "vpc-1", []string{"tcp 443 0.0.0.0/0"}, []string{"all - 0.0.0.0/0"})
	n.Instance("web", "subnet-1", []string{"sg-web"}, "54.0.0.10", "10.0.1.10")
	e, err := n.Engine()
	if err != nil {
		t.Fatal(err)
	}
	tcp := func(src, dst string, f packet.TCPFlags) packet.Header {
		s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
		return packet.Header{Src: s.Addr(), Dst: d.Addr(), SrcPort: s.Port(), DstPort: d.Port(), Protocol: model.ProtocolTCP, Flags: f, Length: 40}
	}
	atServer := []packet.Header{tcp("198.51.100.7:50000", "10.0.1.10:443", packet.SYN), tcp("10.0.1.10:443", "198.51.100.7:50000", packet.SYN|packet.ACK)}
	atClient := []packet.Header{tcp("198.51.100.7:50000", "54.0.0.10:443", packet.SYN), tcp("54.0.0.10:443", "198.51.100.7:50000", packet.SYN|packet.ACK)}
	for _, tc := range []struct {
		at      string
		capture []packet.Header
		want    []string
	}{
		{"eni-web", atServer, []string{"delivered  false", "left  true"}},
		{"subnet-1", atServer, []string{"delivered  false", "left  true"}},
		// The SYN-ACK answers a SYN that never arrived: nothing sends it.
		{"auto", atServer, []string{"dropped IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS false", "unplaced DESTINATION_NOT_REACHED true"}},
		{"auto", atClient, []string{"delivered  false", "left  true"}},
		{"internet", atClient, []string{"delivered  false", "left  true"}},
	} {
		v, err := packet.ParseVantage(e, tc.at)
		if err != nil {
			t.Fatal(err)
		}
		r := packet.NewReplayer(packet.NewWalker(e, nil, packet.DefaultTimeouts), v)
		var got []string
		for i, h := range tc.capture {
			f := r.Send(&h, t0.Add(time.Duration(i)*time.Millisecond))
			got = append(got, fmt.Sprintf("%v %s %v", f.Outcome, f.Code, f.Reply))
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("at %s: %q, want %q", tc.at, got, tc.want)
		}
	}
}

// TestWalkRejectsOnlyTheCrossingItStops: a packet that comes back to an
// interface it already crossed in its walk — the instance's packet to its
// NAT gateway's own public address goes through the gateway, out to the
// internet gateway, and back in to the gateway's interface translated —
// and is stopped the second time, leaves the first crossing ACCEPT and the
// second REJECT, each record with the packet as it was there. (Before, the
// second decision rejected the first crossing's record: the random
// flow-log agreement test found it.)
func TestWalkRejectsOnlyTheCrossingItStops(t *testing.T) {
	n := natNet()
	n.ACL("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 deny all - 52.0.0.0/24", "110 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
	e, err := n.Engine()
	if err != nil {
		t.Fatal(err)
	}
	var recs []flowlog.Record
	agg, err := flowlog.NewAggregator(flowlog.Config{Version: 5}, packet.FlowLogInterfaces(e), flowlog.Collect(&recs))
	if err != nil {
		t.Fatal(err)
	}
	w := packet.NewWalker(e, agg, packet.DefaultTimeouts)
	start, _ := e.StartAt("i-01234567890123456")
	h := packet.Header{Src: addr("10.0.1.5"), Dst: addr("52.0.0.220"), SrcPort: 40000, DstPort: 443, Protocol: model.ProtocolTCP, Flags: packet.SYN, Length: 40}
	f := w.Walk(start, &h, false, t0)
	if err := agg.Flush(); err != nil {
		t.Fatal(err)
	}
	if f.Outcome != packet.Dropped || f.Code != reach.CodeSubnetACLRestriction {
		t.Fatalf("%v %s at %v", f.Outcome, f.Code, f.Where())
	}
	var got []string
	for _, r := range recs {
		if r.InterfaceID == "eni-1235b8ca123456789" && r.FlowDirection == flowlog.Ingress {
			got = append(got, fmt.Sprintf("%s>%s %s", r.PktSrcAddr, r.PktDstAddr, r.Action))
		}
	}
	slices.Sort(got)
	want := []string{"10.0.1.5>52.0.0.220 ACCEPT", "52.0.0.220>10.0.0.220 REJECT"}
	if !slices.Equal(got, want) {
		t.Errorf("the NAT gateway's inbound records: %q, want %q", got, want)
	}
}

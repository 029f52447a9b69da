package packet

import (
	"net/netip"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
)

func TestTCPConversation(t *testing.T) {
	clk := NewSimClock(t0)
	c := netip.MustParseAddrPort("10.0.1.5:40000")
	s := netip.MustParseAddrPort("10.0.2.7:443")
	pkts, err := TCPConversation(clk, TCPOptions{Client: c, Server: s, Request: 300, Response: 4000, RTT: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	type step struct {
		client bool
		flags  TCPFlags
		n      int
	}
	want := []step{
		{true, SYN, 0}, {false, SYN | ACK, 0}, {true, ACK, 0},
		{true, PSH | ACK, 300}, {false, ACK, 0},
		{false, ACK, 1460}, {false, ACK, 1460}, {true, ACK, 0}, {false, PSH | ACK, 1080}, {true, ACK, 0},
		{true, FIN | ACK, 0}, {false, FIN | ACK, 0}, {true, ACK, 0},
	}
	if len(pkts) != len(want) {
		t.Fatalf("%d packets, want %d", len(pkts), len(want))
	}
	// Sequence numbers: every byte and every SYN and FIN are acknowledged.
	next := map[bool]uint32{}
	seen := map[bool]bool{}
	for i, p := range pkts {
		w := want[i]
		h := p.Header
		if p.FromClient != w.client || h.Flags != w.flags || h.PayloadLen != w.n {
			t.Errorf("packet %d: client %v %s len %d, want client %v %s len %d", i, p.FromClient, h.Flags, h.PayloadLen, w.client, w.flags, w.n)
		}
		if h.Length != 40+w.n {
			t.Errorf("packet %d: length %d", i, h.Length)
		}
		if seen[p.FromClient] && h.Seq != next[p.FromClient] {
			t.Errorf("packet %d: seq %d, want %d", i, h.Seq, next[p.FromClient])
		}
		if h.Flags.Has(ACK) && h.Ack != next[!p.FromClient] {
			t.Errorf("packet %d: ack %d, want %d", i, h.Ack, next[!p.FromClient])
		}
		adv := uint32(h.PayloadLen)
		if h.Flags.Has(SYN) || h.Flags.Has(FIN) {
			adv++
		}
		next[p.FromClient] = h.Seq + adv
		seen[p.FromClient] = true
		if i > 0 && p.Time.Before(pkts[i-1].Time) {
			t.Errorf("packet %d goes back in time", i)
		}
	}
	if got := pkts[1].Time.Sub(pkts[0].Time); got != 5*time.Millisecond {
		t.Errorf("SYN-ACK %v after SYN, want half the RTT", got)
	}
	if !clk.Now().Equal(pkts[len(pkts)-1].Time) {
		t.Error("the clock does not end at the last packet")
	}
	// The same inputs give the same packets.
	again, _ := TCPConversation(NewSimClock(t0), TCPOptions{Client: c, Server: s, Request: 300, Response: 4000, RTT: 10 * time.Millisecond})
	for i := range pkts {
		if pkts[i] != again[i] {
			t.Fatalf("packet %d differs between runs", i)
		}
	}
	rst, _ := TCPConversation(NewSimClock(t0), TCPOptions{Client: c, Server: s, Teardown: CloseRST})
	if last := rst[len(rst)-1].Header; last.Flags != RST|ACK || len(rst) != 4 {
		t.Errorf("RST teardown: %d packets, last %s", len(rst), last.Flags)
	}
	syn, _ := TCPConversation(NewSimClock(t0), TCPOptions{Client: c, Server: s, HandshakeOnly: true})
	if len(syn) != 1 || syn[0].Header.Flags != SYN {
		t.Errorf("unanswered: %v", syn)
	}
	if _, err := TCPConversation(clk, TCPOptions{Client: c, Server: netip.MustParseAddrPort("[::1]:80")}); err == nil {
		t.Error("mixed families: no error")
	}
}

func TestUDPAndPing(t *testing.T) {
	u, err := UDPExchange(NewSimClock(t0), UDPOptions{
		Client: netip.MustParseAddrPort("10.0.0.1:5000"), Server: netip.MustParseAddrPort("10.0.0.2:53"),
		Requests: 3, RequestSize: 40, ResponseSize: 200})
	if err != nil {
		t.Fatal(err)
	}
	if len(u) != 6 || u[0].Header.Length != 68 || u[1].Header.Length != 228 || u[1].FromClient || u[1].Header.SrcPort != 53 {
		t.Errorf("udp: %d packets %+v", len(u), u[:2])
	}
	if got := u[2].Time.Sub(u[0].Time); got != time.Second+time.Millisecond/2 {
		t.Errorf("second request %v after the first", got)
	}
	// AWS's flow-log example: four 84-byte ICMP packets (20 IP + 8 ICMP + 56).
	p, err := Ping(NewSimClock(t0), PingOptions{Src: addr("203.0.113.12"), Dst: addr("172.31.16.139"), Count: 2, ID: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range p {
		if q.Header.Length != 84 || q.Header.Protocol != model.ProtocolICMP {
			t.Errorf("ping packet %+v", q.Header)
		}
	}
	if p[0].Header.ICMPType != 8 || p[1].Header.ICMPType != 0 || p[3].Header.ICMPSeq != 2 {
		t.Errorf("ping types %d %d seq %d", p[0].Header.ICMPType, p[1].Header.ICMPType, p[3].Header.ICMPSeq)
	}
	p6, _ := Ping(NewSimClock(t0), PingOptions{Src: addr("2001:db8::1"), Dst: addr("2001:db8::2"), Unanswered: true})
	if len(p6) != 1 || p6[0].Header.ICMPType != 128 || p6[0].Header.Length != 104 {
		t.Errorf("ping6 %+v", p6)
	}
	// Conversations encode to bytes that decode to their headers.
	s, d := NewSerializer(), NewDecoder()
	for _, q := range append(append(p, p6...), u...) {
		b, err := q.Encode(s)
		if err != nil {
			t.Fatal(err)
		}
		var h Header
		if err := d.DecodeIP(b, &h); err != nil {
			t.Fatal(err)
		}
		if h != q.Header {
			t.Errorf("\n got %+v\nwant %+v", h, q.Header)
		}
	}
}

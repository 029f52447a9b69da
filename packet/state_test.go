package packet

import (
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
)

func tcp(src, dst string, f TCPFlags, seq, ack uint32) *Header {
	s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
	return &Header{Src: s.Addr(), Dst: d.Addr(), SrcPort: s.Port(), DstPort: d.Port(), Protocol: model.ProtocolTCP, Flags: f, Seq: seq, Ack: ack}
}

func udp(src, dst string) *Header {
	s, d := netip.MustParseAddrPort(src), netip.MustParseAddrPort(dst)
	return &Header{Src: s.Addr(), Dst: d.Addr(), SrcPort: s.Port(), DstPort: d.Port(), Protocol: model.ProtocolUDP}
}

func TestConnTableTCP(t *testing.T) {
	ct := NewConnTable(DefaultTimeouts, 4)
	now := t0
	const c, s = "10.0.0.1:40000", "10.0.0.2:22"
	if ct.Match(tcp(c, s, SYN, 100, 0), now) {
		t.Fatal("untracked SYN matched")
	}
	ct.Open(tcp(c, s, SYN, 100, 0), now)
	steps := []struct {
		h    *Header
		want ConnState
	}{
		{tcp(s, c, SYN|ACK, 500, 101), StateSynReceived},
		{tcp(c, s, ACK, 101, 501), StateEstablished},
		{tcp(s, c, PSH|ACK, 501, 101), StateEstablished},
		{tcp(c, s, FIN|ACK, 101, 501), StateClosing},
		{tcp(s, c, FIN|ACK, 501, 102), StateClosing}, // acknowledges the client's FIN
	}
	for i, st := range steps {
		now = now.Add(time.Second)
		if !ct.Match(st.h, now) {
			t.Fatalf("step %d: %s did not match", i, st.h)
		}
		if got := ct.State(st.h, now); got != st.want {
			t.Fatalf("step %d: state %s, want %s", i, got, st.want)
		}
	}
	// The last ACK ends the connection: it passes, and nothing after it.
	if !ct.Match(tcp(c, s, ACK, 102, 502), now) {
		t.Fatal("last ACK did not match")
	}
	if ct.Len() != 0 || ct.Match(tcp(s, c, ACK, 502, 102), now) {
		t.Fatal("a packet after the close matched")
	}

	// RST ends a connection at once.
	ct.Open(tcp(c, s, SYN, 1, 0), now)
	if !ct.Match(tcp(s, c, RST|ACK, 0, 2), now) || ct.Match(tcp(c, s, ACK, 2, 0), now) {
		t.Fatal("RST handling")
	}

	// Established connections live TCPEstablished idle; half-open ones
	// TCPTransitory.
	ct = NewConnTable(NitroV6Timeouts, 0)
	ct.Open(tcp(c, s, ACK, 1, 1), now) // picked up mid-stream
	if ct.State(tcp(c, s, ACK, 1, 1), now) != StateEstablished {
		t.Fatal("mid-stream pick-up is not established")
	}
	if !ct.Match(tcp(s, c, ACK, 1, 1), now.Add(350*time.Second)) {
		t.Fatal("expired at exactly the timeout")
	}
	if ct.Match(tcp(s, c, ACK, 1, 1), now.Add(701*time.Second)) {
		t.Fatal("alive after 351 s idle on Nitro v6")
	}
	ct.Open(tcp(c, s, SYN, 1, 0), now)
	if ct.Match(tcp(s, c, SYN|ACK, 1, 2), now.Add(121*time.Second)) {
		t.Fatal("half-open connection outlived TCPTransitory")
	}
}

func TestConnTableUDPAndOthers(t *testing.T) {
	ct := NewConnTable(DefaultTimeouts, 0)
	const c, s = "10.0.0.1:5000", "10.0.0.2:53"
	ct.Open(udp(c, s), t0)
	now := t0.Add(20 * time.Second)
	if !ct.Match(udp(s, c), now) || ct.State(udp(c, s), now) != StateUDPSingle {
		t.Fatal("one request and response")
	}
	// Idle 31 s after a single exchange: forgotten (UDP timeout 30 s).
	if ct.Match(udp(c, s), now.Add(31*time.Second)) {
		t.Fatal("single exchange outlived 30 s")
	}
	ct.Open(udp(c, s), now)
	for i, h := range []*Header{udp(s, c), udp(c, s), udp(s, c)} {
		if !ct.Match(h, now.Add(time.Duration(i+1)*time.Second)) {
			t.Fatal("stream packet")
		}
	}
	now = now.Add(3 * time.Second)
	if ct.State(udp(c, s), now) != StateUDPStream {
		t.Fatalf("state %s after two exchanges", ct.State(udp(c, s), now))
	}
	if !ct.Match(udp(c, s), now.Add(179*time.Second)) || ct.Match(udp(c, s), now.Add(179*time.Second+181*time.Second)) {
		t.Fatal("stream timeout is 180 s")
	}
	// ICMP echo: the identifier is tracked; another identifier is another
	// connection.
	ping := &Header{Src: addr("203.0.113.12"), Dst: addr("172.31.16.139"), Protocol: model.ProtocolICMP, ICMPType: 8, ICMPID: 5}
	ct.Open(ping, t0)
	reply := &Header{Src: ping.Dst, Dst: ping.Src, Protocol: model.ProtocolICMP, ICMPType: 0, ICMPID: 5}
	if !ct.Match(reply, t0.Add(time.Second)) {
		t.Fatal("echo reply")
	}
	reply.ICMPID = 6
	if ct.Match(reply, t0.Add(time.Second)) {
		t.Fatal("echo reply of another identifier")
	}
	// Other protocols: addresses and protocol only, 600 s.
	gre := &Header{Src: addr("10.0.0.1"), Dst: addr("10.0.0.2"), Protocol: 47}
	ct.Open(gre, t0)
	back := &Header{Src: gre.Dst, Dst: gre.Src, Protocol: 47}
	if !ct.Match(back, t0.Add(600*time.Second)) || ct.Match(back, t0.Add(1201*time.Second)) {
		t.Fatal("other protocols: 600 s")
	}
	if n := ct.Sweep(t0.Add(1000 * time.Hour)); n == 0 || ct.Len() != 0 {
		t.Fatalf("sweep forgot %d, left %d", n, ct.Len())
	}
}

func TestNATTable(t *testing.T) {
	nat, err := NewNATTable([]netip.Addr{addr("10.0.0.220")}, 0)
	if err != nil {
		t.Fatal(err)
	}
	// AWS's example: 10.0.1.5 reaches 203.0.113.5 through the NAT gateway
	// at 10.0.0.220.
	h := tcp("10.0.1.5:40000", "203.0.113.5:443", SYN, 1, 0)
	if err := nat.Outbound(h, t0); err != nil {
		t.Fatal(err)
	}
	if h.Src != addr("10.0.0.220") || h.SrcPort != NATPortFirst || h.Dst != addr("203.0.113.5") {
		t.Fatalf("translated %s", h)
	}
	r := tcp("203.0.113.5:443", "10.0.0.220:1024", SYN|ACK, 9, 2)
	if !nat.Inbound(r, t0) || r.Dst != addr("10.0.1.5") || r.DstPort != 40000 || r.Src != addr("203.0.113.5") {
		t.Fatalf("reply translated to %s", r)
	}
	// The same connection keeps its port; another client gets the next.
	again := tcp("10.0.1.5:40000", "203.0.113.5:443", ACK, 2, 10)
	nat.Outbound(again, t0)
	other := tcp("10.0.1.6:40000", "203.0.113.5:443", SYN, 1, 0)
	nat.Outbound(other, t0)
	if again.SrcPort != 1024 || other.SrcPort != 1025 {
		t.Fatalf("ports %d %d", again.SrcPort, other.SrcPort)
	}
	// Another destination starts its own port range.
	third := tcp("10.0.1.7:1", "198.51.100.1:443", SYN, 1, 0)
	nat.Outbound(third, t0)
	if third.SrcPort != 1024 {
		t.Fatalf("new destination got port %d", third.SrcPort)
	}
	// Unsolicited traffic matches no session.
	if nat.Inbound(tcp("203.0.113.5:443", "10.0.0.220:2000", SYN, 1, 0), t0) {
		t.Fatal("unsolicited packet translated")
	}
	// Sessions idle for 350 s are gone.
	if nat.Inbound(tcp("203.0.113.5:443", "10.0.0.220:1024", ACK, 1, 1), t0.Add(351*time.Second)) {
		t.Fatal("session outlived the idle timeout")
	}
	// Protocols other than TCP, UDP and ICMP are not translated.
	if err := nat.Outbound(&Header{Src: addr("10.0.1.5"), Dst: addr("8.8.8.8"), Protocol: 47}, t0); !errors.Is(err, ErrNATProtocol) {
		t.Fatalf("GRE: %v", err)
	}
	// ICMP echo: the identifier is translated.
	p := &Header{Src: addr("10.0.1.5"), Dst: addr("8.8.8.8"), Protocol: model.ProtocolICMP, ICMPType: 8, ICMPID: 77}
	if err := nat.Outbound(p, t0); err != nil || p.ICMPID != 1024 {
		t.Fatalf("ping: %v id %d", err, p.ICMPID)
	}
	pr := &Header{Src: addr("8.8.8.8"), Dst: addr("10.0.0.220"), Protocol: model.ProtocolICMP, ICMPType: 0, ICMPID: 1024}
	if !nat.Inbound(pr, t0) || pr.ICMPID != 77 || pr.Dst != addr("10.0.1.5") {
		t.Fatalf("ping reply %s", pr)
	}
}

func TestNATPortExhaustion(t *testing.T) {
	nat, _ := NewNATTable([]netip.Addr{addr("10.0.0.220"), addr("10.0.0.221")}, 0)
	nat.SetLimits(3, NATIdleTimeout)
	var got []netip.AddrPort
	for i := range 7 {
		h := udp("10.0.1.5:"+itoa(5000+i), "203.0.113.5:53")
		err := nat.Outbound(h, t0)
		if i == 6 {
			if !errors.Is(err, ErrPortAllocation) {
				t.Fatalf("7th connection: %v", err)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, netip.AddrPortFrom(h.Src, h.SrcPort))
	}
	want := []string{"10.0.0.220:1024", "10.0.0.220:1025", "10.0.0.220:1026", "10.0.0.221:1024", "10.0.0.221:1025", "10.0.0.221:1026"}
	for i := range want {
		if got[i].String() != want[i] {
			t.Fatalf("allocations %v, want %v", got, want)
		}
	}
	// Another destination is not limited by this one's sessions.
	if err := nat.Outbound(udp("10.0.1.5:6000", "203.0.113.6:53"), t0); err != nil {
		t.Fatal(err)
	}
	// Once the sessions idle out, their ports are reused.
	if err := nat.Outbound(udp("10.0.1.5:7000", "203.0.113.5:53"), t0.Add(NATIdleTimeout+time.Second)); err != nil {
		t.Fatalf("after idle: %v", err)
	}
}

func itoa(n int) string { return netip.AddrPortFrom(netip.IPv4Unspecified(), uint16(n)).String()[8:] }

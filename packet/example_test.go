package packet_test

import (
	"bytes"
	"fmt"
	"io"
	"net/netip"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/reachtest"
)

func ExampleDecoder_Decode() {
	s := packet.NewSerializer()
	h := packet.Header{
		Src: netip.MustParseAddr("10.0.1.5"), Dst: netip.MustParseAddr("10.0.2.7"),
		Protocol: model.ProtocolTCP, SrcPort: 49152, DstPort: 443, Flags: packet.SYN, Seq: 1000,
	}
	b, _ := s.Serialize(&h, nil)

	var got packet.Header
	d := packet.NewDecoder()
	if err := d.Decode(b, packet.LinkRaw, &got); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(got.String(), "bytes", got.Length)
	// Output: tcp 10.0.1.5:49152 -> 10.0.2.7:443 [SYN] seq 1000 ack 0 len 0 bytes 40
}

func ExampleTCPConversation() {
	clk := packet.NewSimClock(time.Unix(1566848875, 0).UTC())
	pkts, _ := packet.TCPConversation(clk, packet.TCPOptions{
		Client:  netip.MustParseAddrPort("52.213.180.42:43638"),
		Server:  netip.MustParseAddrPort("10.0.0.62:5001"),
		Request: 100, Response: 200, RTT: 20 * time.Millisecond,
	})
	for _, p := range pkts {
		dir := "->"
		if !p.FromClient {
			dir = "<-"
		}
		fmt.Printf("%s %s %-7s %3d bytes\n", p.Time.Format("05.000"), dir, p.Header.Flags, p.Header.Length)
	}
	// Output:
	// 55.000 -> SYN      40 bytes
	// 55.010 <- SYN|ACK  40 bytes
	// 55.020 -> ACK      40 bytes
	// 55.020 -> PSH|ACK 140 bytes
	// 55.030 <- ACK      40 bytes
	// 55.030 <- PSH|ACK 240 bytes
	// 55.040 -> ACK      40 bytes
	// 55.040 -> FIN|ACK  40 bytes
	// 55.050 <- FIN|ACK  40 bytes
	// 55.060 -> ACK      40 bytes
}

func ExampleNewReader() {
	pkts, _ := packet.Ping(packet.NewSimClock(time.Unix(0, 0)), packet.PingOptions{
		Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("2001:db8::2"), Count: 2,
	})
	var file bytes.Buffer
	w, _ := packet.NewWriter(&file, packet.PCAPNG, packet.LinkRaw)
	s := packet.NewSerializer()
	for _, p := range pkts {
		b, _ := p.Encode(s)
		w.Write(p.Time, b)
	}
	w.Flush()

	r, _ := packet.NewReader(&file)
	d := packet.NewDecoder()
	for {
		b, _, err := r.Next()
		if err == io.EOF {
			break
		}
		var h packet.Header
		d.Decode(b, r.LinkType(), &h)
		fmt.Println(r.Format(), h.String())
	}
	// Output:
	// pcapng icmpv6 2001:db8::1 -> 2001:db8::2 type 128 code 0 id 0 seq 1
	// pcapng icmpv6 2001:db8::2 -> 2001:db8::1 type 129 code 0 id 0 seq 1
	// pcapng icmpv6 2001:db8::1 -> 2001:db8::2 type 128 code 0 id 0 seq 2
	// pcapng icmpv6 2001:db8::2 -> 2001:db8::1 type 129 code 0 id 0 seq 2
}

func ExampleConverse() {
	n := reachtest.NewNet("us-east-1")
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.IGW("igw-1", "vpc-1")
	n.RouteTable("rtb-1", "vpc-1", []string{"subnet-1"}, "0.0.0.0/0 igw-1")
	n.SG("sg-web", "vpc-1", []string{"tcp 443 0.0.0.0/0"}, []string{"tcp 443 0.0.0.0/0"})
	n.Instance("web", "subnet-1", []string{"sg-web"}, "54.0.0.10", "10.0.1.10")
	e, err := n.Engine()
	if err != nil {
		fmt.Println(err)
		return
	}
	port := model.Port(443)
	conv, start, client, server, err := packet.ConversationFor(e, reach.Query{From: "internet", To: "web", Protocol: model.ProtocolTCP, Port: &port})
	if err != nil {
		fmt.Println(err)
		return
	}
	pkts, _ := conv.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
	r := packet.NewReplayer(packet.NewWalker(e, nil, packet.DefaultTimeouts), packet.Vantage{})
	x := packet.Converse(r, start, pkts[:3], client, server)
	for _, p := range x.Packets {
		where := p.Fate.Where()
		fmt.Printf("%-8s %-9s %s, arrived as %s\n", p.Header.Flags, p.Fate.Outcome, where.Label(), p.Arrived.Tuple())
	}
	fmt.Println("complete:", x.Complete)
	// Output:
	// SYN      delivered test.eni-web, arrived as tcp 198.51.100.7:49152 -> 10.0.1.10:443
	// SYN|ACK  left      internet, arrived as tcp 54.0.0.10:443 -> 198.51.100.7:49152
	// ACK      delivered test.eni-web, arrived as tcp 198.51.100.7:49152 -> 10.0.1.10:443
	// complete: true
}

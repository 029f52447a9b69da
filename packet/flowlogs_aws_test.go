package packet_test

// AWS's worked flow-log examples (VPC User Guide, "Flow log record
// examples"; the project's cases/flowlogs.md) end to end: each example's
// network is built as a small real network, the packets the example
// describes are sent through it by the walker (as a capture at the client
// would show them: the replayer sends each reply from where its request
// arrived), and the records of the interfaces the example's flow log covers
// are compared with AWS's, record for record. packet/flowlog's
// examples_aws_test.go checks the same records at the aggregation level.

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/flowlogtest"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/reachtest"
)

// burst is n packets of one flow as the vantage point sees them, totalling
// bytes, spread from time from to time to (Unix seconds); the first packet
// carries first flags, the last last, the others mid. src and dst are
// address:port, or bare addresses for ICMP echo (reply marks echo replies).
type burst struct {
	src, dst         string
	proto            model.Protocol
	n, bytes         int
	from, to         float64
	first, mid, last packet.TCPFlags
	reply            bool
}

const (
	syn    = packet.SYN
	synack = packet.SYN | packet.ACK
	ack    = packet.ACK
	finack = packet.FIN | packet.ACK
)

var (
	addrPort = flowlogtest.AddrPort
	unix     = flowlogtest.Unix
	want     = flowlogtest.AWSLines
	check    = flowlogtest.Check
)

type sent struct {
	t time.Time
	h packet.Header
}

func (b burst) packets() []sent {
	src, sp := addrPort(b.src)
	dst, dp := addrPort(b.dst)
	out := make([]sent, b.n)
	for i := range out {
		t := b.from
		if b.n > 1 {
			t = b.from + (b.to-b.from)*float64(i)/float64(b.n-1)
		}
		size := b.bytes / b.n
		if i < b.bytes%b.n {
			size++
		}
		h := packet.Header{Src: src, Dst: dst, Protocol: b.proto, Length: size, TTL: 64}
		switch b.proto {
		case model.ProtocolTCP:
			h.SrcPort, h.DstPort, h.Flags = sp, dp, b.mid
			switch {
			case i == 0:
				h.Flags = b.first
			case i == b.n-1:
				h.Flags = b.last
			}
		case model.ProtocolUDP:
			h.SrcPort, h.DstPort = sp, dp
		case model.ProtocolICMP:
			h.ICMPType, h.ICMPID, h.ICMPSeq = 8, 7, uint16(i+1)
			if b.reply {
				h.ICMPType = 0
			}
		case model.ProtocolICMPv6:
			h.ICMPType, h.ICMPID, h.ICMPSeq = 128, 7, uint16(i+1)
			if b.reply {
				h.ICMPType = 129
			}
		}
		out[i] = sent{unix(t), h}
	}
	return out
}

// flowLog is one example: a network, the interfaces its flow log covers
// (by interface ID, or every interface of a VPC), and the format.
type flowLog struct {
	e      *reach.Engine
	cfg    flowlog.Config
	format string
	// ifaces describe the engine's interfaces; a test may rename the
	// invented ones (transit gateway attachments') to AWS's.
	ifaces []flowlog.Interface
	// covers says whether the flow log covers an interface.
	covers func(flowlog.Interface) bool
}

func newFlowLog(t *testing.T, n *reachtest.Net, format string) *flowLog {
	t.Helper()
	e, err := n.Engine()
	if err != nil {
		t.Fatal(err)
	}
	return &flowLog{e: e, format: format, ifaces: packet.FlowLogInterfaces(e), covers: func(flowlog.Interface) bool { return true }}
}

// run sends the bursts' packets (merged in time order) through the network
// and returns the flow log's records in its format, sorted, with the fate of
// every packet.
func (fl *flowLog) run(t *testing.T, bursts ...burst) ([]string, []packet.Fate) {
	t.Helper()
	f, err := flowlog.ParseFormat(fl.format)
	if err != nil {
		t.Fatal(err)
	}
	var pkts []sent
	for _, b := range bursts {
		pkts = append(pkts, b.packets()...)
	}
	slices.SortStableFunc(pkts, func(a, b sent) int { return a.t.Compare(b.t) })
	cfg := fl.cfg
	cfg.Version = f.Version()
	var recs []flowlog.Record
	agg, err := flowlog.NewAggregator(cfg, fl.ifaces, flowlog.Collect(&recs))
	if err != nil {
		t.Fatal(err)
	}
	r := packet.NewReplayer(packet.NewWalker(fl.e, agg, packet.DefaultTimeouts), packet.Vantage{})
	var fates []packet.Fate
	for _, p := range pkts {
		h := p.h
		fates = append(fates, r.Send(&h, p.t))
	}
	if err := r.Walker().Err(); err != nil {
		t.Fatal(err)
	}
	if err := agg.Flush(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range recs {
		if !fl.coversID(recs[i].InterfaceID) {
			continue
		}
		b, _ := f.AppendRecord(nil, &recs[i])
		lines = append(lines, string(b))
	}
	slices.Sort(lines)
	return lines, fates
}

func (fl *flowLog) coversID(id string) bool {
	for _, x := range fl.ifaces {
		if x.ID == id {
			return fl.covers(x)
		}
	}
	return false
}

func onlyIfaces(ids ...string) func(flowlog.Interface) bool {
	return func(x flowlog.Interface) bool { return slices.Contains(ids, x.ID) }
}

func outcomes(fates []packet.Fate) map[string]int {
	out := map[string]int{}
	for _, f := range fates {
		k := f.Outcome.String()
		if f.Code != "" {
			k += " " + string(f.Code)
		}
		out[k]++
	}
	return out
}

const v2 = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

// Example 1: SSH to an instance accepted and RDP rejected by its security
// group; the flow log is on the target interface.
func TestFlowLogExampleAcceptedAndRejected(t *testing.T) {
	build := func(target string) *reachtest.Net {
		n := reachtest.NewNet("us-east-1")
		n.AccountID = "123456789010"
		n.VPC("vpc-1", "172.31.0.0/16")
		n.Subnet("subnet-1", "vpc-1", "us-east-1a", "172.31.0.0/16")
		n.SG("sg-ssh", "vpc-1", []string{"tcp 22 172.31.0.0/16"}, []string{"all - 0.0.0.0/0"})
		n.Instance("client", "subnet-1", []string{"sg-ssh"}, "", "172.31.16.139")
		n.Instance("client2", "subnet-1", []string{"sg-ssh"}, "", "172.31.9.69")
		x := n.Instance("server", "subnet-1", []string{"sg-ssh"}, "", target)
		x.ID = "eni-1235b8ca123456789"
		n.Instances[2].InterfaceIDs = []string{x.ID}
		return n
	}
	fl := newFlowLog(t, build("172.31.16.21"), v2)
	fl.covers = onlyIfaces("eni-1235b8ca123456789")
	got, _ := fl.run(t, burst{src: "172.31.16.139:20641", dst: "172.31.16.21:22", proto: model.ProtocolTCP, n: 20, bytes: 4249, from: 1418530010.2, to: 1418530070.9, first: syn, mid: ack, last: ack})
	check(t, got, want(flowlogtest.Example1[0]))

	fl = newFlowLog(t, build("172.31.9.12"), v2)
	fl.covers = onlyIfaces("eni-1235b8ca123456789")
	got, fates := fl.run(t, burst{src: "172.31.9.69:49761", dst: "172.31.9.12:3389", proto: model.ProtocolTCP, n: 20, bytes: 4249, from: 1418530010.3, to: 1418530070.8, first: syn, mid: syn, last: syn})
	check(t, got, want(flowlogtest.Example1[1]))
	if o := outcomes(fates); o["dropped ENI_SG_RULES_MISMATCH"] != 20 {
		t.Errorf("RDP packets: %v", o)
	}
}

// Example 2: NODATA for an interface without traffic in an interval, and
// SKIPDATA for one with more flows than the capture holds.
func TestFlowLogExampleNoDataSkipData(t *testing.T) {
	n := reachtest.NewNet("us-east-1")
	n.AccountID = "123456789010"
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "10.0.0.0/24")
	n.SG("sg-web", "vpc-1", []string{"tcp 80 10.0.0.0/16"}, []string{"all - 0.0.0.0/0"})
	quiet := n.Instance("quiet", "subnet-1", []string{"sg-web"}, "", "10.0.0.21")
	quiet.ID = "eni-1235b8ca123456789"
	busy := n.Instance("busy", "subnet-1", []string{"sg-web"}, "", "10.0.0.22")
	busy.ID = "eni-11111111aaaaaaaaa"
	n.Instances[0].InterfaceIDs, n.Instances[1].InterfaceIDs = []string{quiet.ID}, []string{busy.ID}
	n.Instance("c1", "subnet-1", []string{"sg-web"}, "", "10.0.0.11")
	n.Instance("c2", "subnet-1", []string{"sg-web"}, "", "10.0.0.12")
	fl := newFlowLog(t, n, v2)
	fl.covers = onlyIfaces("eni-1235b8ca123456789", "eni-11111111aaaaaaaaa")
	fl.cfg = flowlog.Config{Interval: flowlog.Interval1m, Origin: time.Unix(1431280874, 0), NoData: true, MaxFlows: 1}
	got, _ := fl.run(t,
		burst{src: "10.0.0.11:1000", dst: "10.0.0.22:80", proto: model.ProtocolTCP, n: 1, bytes: 40, from: 1431280900, first: syn},
		burst{src: "10.0.0.12:1000", dst: "10.0.0.22:80", proto: model.ProtocolTCP, n: 1, bytes: 40, from: 1431280901, first: syn},
	)
	check(t, got, want(
		"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280874 1431280934 - NODATA",
		"2 123456789010 eni-11111111aaaaaaaaa 10.0.0.11 10.0.0.22 1000 80 6 1 40 1431280900 1431280900 ACCEPT OK",
		"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280874 1431280934 - SKIPDATA",
	))
}

// pingNet is example 3's network: the instance 172.31.16.139 (public
// 54.240.196.186) whose security group allows inbound ICMP and has no
// outbound ICMP rule; its subnet's network ACL allows inbound ICMP and
// denies outbound ICMP unless naclOut says otherwise.
func pingNet(sgIn, naclOut []string) *reachtest.Net {
	n := reachtest.NewNet("us-east-1")
	n.AccountID = "123456789010"
	n.VPC("vpc-1", "172.31.0.0/16")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "172.31.16.0/20")
	n.IGW("igw-1", "vpc-1")
	n.RouteTable("rtb-1", "vpc-1", []string{"subnet-1"}, "0.0.0.0/0 igw-1")
	n.SG("sg-1", "vpc-1", sgIn, []string{"tcp 443 0.0.0.0/0"})
	n.ACL("acl-1", "vpc-1", []string{"subnet-1"}, []string{"100 allow icmp - 0.0.0.0/0"}, naclOut)
	x := n.Instance("i-1", "subnet-1", []string{"sg-1"}, "54.240.196.186", "172.31.16.139")
	x.ID = "eni-1235b8ca123456789"
	n.Instances[0].InterfaceIDs = []string{x.ID}
	return n
}

// Example 3: a ping the security group admits (the replies pass it by
// connection tracking, though no outbound rule allows ICMP) and whose
// replies the network ACL denies: ACCEPT for the requests, REJECT for the
// replies, on the same interface. The variants: with the ACL allowing
// outbound ICMP, two ACCEPT records; with the group denying inbound ICMP,
// one REJECT record, for the requests.
func TestFlowLogExamplePingNACL(t *testing.T) {
	requests := burst{src: "203.0.113.12", dst: "54.240.196.186", proto: model.ProtocolICMP, n: 4, bytes: 336, from: 1432917027.1, to: 1432917142.1}
	replies := burst{src: "54.240.196.186", dst: "203.0.113.12", proto: model.ProtocolICMP, n: 4, bytes: 336, from: 1432917094.2, to: 1432917142.2, reply: true}
	for _, tc := range []struct {
		name          string
		sgIn, naclOut []string
		want          []string
		fates         map[string]int
	}{
		{"nacl denies the replies", []string{"icmp - 0.0.0.0/0"}, []string{"100 deny icmp - 0.0.0.0/0", "110 allow all - 0.0.0.0/0"},
			want(flowlogtest.Example3...), map[string]int{"delivered": 4, "dropped SUBNET_ACL_RESTRICTION": 4}},
		{"nacl allows the replies", []string{"icmp - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"},
			want(
				"2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK",
				"2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 ACCEPT OK",
			), map[string]int{"delivered": 4, "left": 4}},
		{"security group denies the requests", []string{"tcp 22 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"},
			want("2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 REJECT OK"),
			map[string]int{"dropped ENI_SG_RULES_MISMATCH": 4, "unplaced DESTINATION_NOT_REACHED": 4}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fl := newFlowLog(t, pingNet(tc.sgIn, tc.naclOut), v2)
			got, fates := fl.run(t, requests, replies)
			check(t, got, tc.want)
			if o := outcomes(fates); !mapsEqual(o, tc.fates) {
				t.Errorf("fates %v, want %v", o, tc.fates)
			}
		})
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// Example 4: IPv6 SSH between two subnets of a VPC; addresses in Go's (RFC
// 5952) compressed form.
func TestFlowLogExampleIPv6(t *testing.T) {
	n := reachtest.NewNet("us-east-1")
	n.AccountID = "123456789010"
	n.VPC("vpc-1", "10.0.0.0/16", "2001:db8:1234:a100::/56")
	n.Subnet("subnet-a", "vpc-1", "us-east-1a", "10.0.0.0/24", "2001:db8:1234:a100::/64")
	n.Subnet("subnet-b", "vpc-1", "us-east-1a", "10.0.2.0/24", "2001:db8:1234:a102::/64")
	n.SG("sg-1", "vpc-1", []string{"tcp 22 2001:db8:1234:a100::/56"}, []string{"all - ::/0"})
	n.Instance("client", "subnet-a", []string{"sg-1"}, "", "10.0.0.10", "2001:db8:1234:a100:8d6e:3477:df66:f105")
	x := n.Instance("server", "subnet-b", []string{"sg-1"}, "", "10.0.2.10", "2001:db8:1234:a102:3304:8879:34cf:4071")
	x.ID = "eni-1235b8ca123456789"
	n.Instances[1].InterfaceIDs = []string{x.ID}
	fl := newFlowLog(t, n, v2)
	fl.covers = onlyIfaces(x.ID)
	got, _ := fl.run(t, burst{src: "[2001:db8:1234:a100:8d6e:3477:df66:f105]:34892", dst: "[2001:db8:1234:a102:3304:8879:34cf:4071]:22", proto: model.ProtocolTCP,
		n: 54, bytes: 8855, from: 1477913708.5, to: 1477913820.5, first: syn, mid: ack, last: ack})
	check(t, got, want(flowlogtest.Example4...))
}

// Example 5: the TCP flag sequence of connections from an internet client
// to a server's public address (custom format, version 3; bytes before
// packets): SYN 2 in, SYN-ACK 18 out, FIN 1 each way when closing, 3 and 19
// for a connection opened and closed in one interval; an idle connection
// has no record.
func TestFlowLogExampleTCPFlags(t *testing.T) {
	n := reachtest.NewNet("us-east-1")
	n.AccountID = "123456789010"
	n.VPC("vpc-abcdefab012345678", "10.0.0.0/16")
	n.Subnet("subnet-aaaaaaaa012345678", "vpc-abcdefab012345678", "us-east-1a", "10.0.0.0/24")
	n.IGW("igw-1", "vpc-abcdefab012345678")
	n.RouteTable("rtb-1", "vpc-abcdefab012345678", []string{"subnet-aaaaaaaa012345678"}, "0.0.0.0/0 igw-1")
	n.SG("sg-1", "vpc-abcdefab012345678", []string{"tcp 5001 0.0.0.0/0"}, []string{"all - 0.0.0.0/0"})
	x := n.Instance("i-01234567890123456", "subnet-aaaaaaaa012345678", []string{"sg-1"}, "54.240.197.10", "10.0.0.62")
	x.ID = "eni-1235b8ca123456789"
	n.Instances[0].InterfaceIDs = []string{x.ID}
	fl := newFlowLog(t, n, "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status}")
	// Capture began so that an interval boundary falls at 1566848933.5.
	fl.cfg = flowlog.Config{Interval: flowlog.Interval10m, Origin: time.Unix(1566848933, 5e8)}
	const client, server = "52.213.180.42", "54.240.197.10:5001"
	tcp := model.ProtocolTCP
	got, fates := fl.run(t,
		burst{src: client + ":43416", dst: server, proto: tcp, n: 8, bytes: 568, from: 1566848875.1, to: 1566848933.1, first: syn, mid: ack, last: ack},
		burst{src: server, dst: client + ":43416", proto: tcp, n: 7, bytes: 376, from: 1566848875.2, to: 1566848933.2, first: synack, mid: ack, last: ack},
		burst{src: client + ":43418", dst: server, proto: tcp, n: 70, bytes: 100701, from: 1566848875.3, to: 1566848933.3, first: syn, mid: ack | packet.PSH, last: ack},
		burst{src: server, dst: client + ":43418", proto: tcp, n: 12, bytes: 632, from: 1566848875.4, to: 1566848933.4, first: synack, mid: ack, last: ack},
		burst{src: server, dst: client + ":43418", proto: tcp, n: 1219, bytes: 63388, from: 1566848933.6, to: 1566849113.6, first: ack, mid: ack, last: finack},
		burst{src: client + ":43418", dst: server, proto: tcp, n: 15774, bytes: 23294588, from: 1566848933.7, to: 1566849113.7, first: ack | packet.PSH, mid: ack | packet.PSH, last: finack},
		burst{src: client + ":43638", dst: server, proto: tcp, n: 17, bytes: 1260, from: 1566933133.1, to: 1566933193.1, first: syn, mid: ack, last: finack},
		burst{src: server, dst: client + ":43638", proto: tcp, n: 14, bytes: 967, from: 1566933133.2, to: 1566933193.2, first: synack, mid: ack, last: finack},
	)
	check(t, got, want(flowlogtest.Example5...))
	if o := outcomes(fates); o["delivered"] != 8+70+15774+17 || o["left"] != 7+12+1219+14 {
		t.Errorf("fates: %v", o)
	}
}

// natNet is example 6's network: instance 10.0.1.5 in a private subnet whose
// default route is a NAT gateway (10.0.0.220, Elastic IP 52.0.0.220) in a
// public subnet; the instance's group admits no inbound traffic.
func natNet() *reachtest.Net {
	n := reachtest.NewNet("us-east-1")
	n.AccountID = "123456789010"
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-pub", "vpc-1", "us-east-1a", "10.0.0.0/24")
	n.Subnet("subnet-priv", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.IGW("igw-1", "vpc-1")
	n.RouteTable("rtb-pub", "vpc-1", []string{"subnet-pub"}, "0.0.0.0/0 igw-1")
	n.RouteTable("rtb-priv", "vpc-1", []string{"subnet-priv"}, "0.0.0.0/0 nat-1")
	g := n.NAT("nat-1", "subnet-pub", "10.0.0.220", "52.0.0.220")
	g.InterfaceID = "eni-1235b8ca123456789"
	n.SG("sg-1", "vpc-1", nil, []string{"all - 0.0.0.0/0"})
	x := n.Instance("i-01234567890123456", "subnet-priv", []string{"sg-1"}, "", "10.0.1.5")
	x.ID = "eni-1111aaaa2222bbbb3"
	n.Instances[0].InterfaceIDs = []string{x.ID}
	return n
}

// Example 6: through a NAT gateway. On the gateway's interface srcaddr or
// dstaddr is its own private address and pkt-* the packet's real ends; the
// instance's interface shows the real remote address. The replies pass the
// instance's group by connection tracking alone.
func TestFlowLogExampleNATGateway(t *testing.T) {
	fl := newFlowLog(t, natNet(), "${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}")
	tcp := model.ProtocolTCP
	got, fates := fl.run(t,
		burst{src: "10.0.1.5:40000", dst: "203.0.113.5:443", proto: tcp, n: 5, bytes: 600, from: 1700000000.1, to: 1700000001.1, first: syn, mid: ack, last: finack},
		burst{src: "203.0.113.5:443", dst: "10.0.1.5:40000", proto: tcp, n: 5, bytes: 3000, from: 1700000000.2, to: 1700000001.2, first: synack, mid: ack, last: finack},
	)
	check(t, got, want(flowlogtest.Example6...))
	if o := outcomes(fates); o["left"] != 5 || o["delivered"] != 5 {
		t.Errorf("fates: %v", o)
	}
}

// Example 7: through a transit gateway, asymmetric: the request leaves the
// gateway through its interface in the zone it entered by (subnet-111…), the
// response enters it through the one in the server's zone (subnet-222…);
// each record of a gateway interface shows the interface's own address.
// The flow log is on VPC B. The input never describes the attachment's
// interfaces: vpcsim invents their IDs and addresses, which the test sets
// to AWS's.
func TestFlowLogExampleTransitGateway(t *testing.T) {
	n := reachtest.NewNet("us-east-1")
	n.AccountID = "123456789010"
	n.TGW("tgw-1")
	n.VPC("vpc-a", "10.20.0.0/16")
	n.Subnet("subnet-client", "vpc-a", "us-east-1a", "10.20.33.0/24")
	n.MainRouteTable("rtb-a", "vpc-a", "10.40.0.0/16 tgw-1")
	n.TGWAttachment("tgw-attach-a", "tgw-1", "vpc-a", "subnet-client")
	const vpcB = "vpc-abcdefab012345678"
	n.VPC(vpcB, "10.40.0.0/16")
	n.Subnet("subnet-11111111aaaaaaaaa", vpcB, "us-east-1a", "10.40.1.0/24")
	n.Subnet("subnet-22222222bbbbbbbbb", vpcB, "us-east-1b", "10.40.2.0/24")
	n.MainRouteTable("rtb-b", vpcB, "10.20.0.0/16 tgw-1")
	n.TGWAttachment("tgw-attach-b", "tgw-1", vpcB, "subnet-11111111aaaaaaaaa", "subnet-22222222bbbbbbbbb")
	n.SG("sg-a", "vpc-a", nil, []string{"all - 0.0.0.0/0"})
	n.SG("sg-b", vpcB, []string{"tcp 80 10.20.0.0/16"}, []string{"all - 0.0.0.0/0"})
	n.Instance("client", "subnet-client", []string{"sg-a"}, "", "10.20.33.164")
	x := n.Instance("i-01234567890123456", "subnet-22222222bbbbbbbbb", []string{"sg-b"}, "", "10.40.2.236")
	x.ID = "eni-33333333333333333"
	n.Instances[1].InterfaceIDs = []string{x.ID}
	fl := newFlowLog(t, n, "${version} ${interface-id} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${log-status}")
	fl.covers = func(x flowlog.Interface) bool { return x.VPCID == vpcB }
	for i := range fl.ifaces {
		x := &fl.ifaces[i]
		switch {
		case x.VPCID != vpcB || x.InstanceID != "":
		case x.SubnetID == "subnet-11111111aaaaaaaaa":
			x.ID, x.PrimaryV4 = "eni-11111111111111111", netip.MustParseAddr("10.40.1.175")
		case x.SubnetID == "subnet-22222222bbbbbbbbb":
			x.ID, x.PrimaryV4 = "eni-22222222222222222", netip.MustParseAddr("10.40.2.31")
		}
	}
	tcp := model.ProtocolTCP
	got, _ := fl.run(t,
		burst{src: "10.20.33.164:39812", dst: "10.40.2.236:80", proto: tcp, n: 5, bytes: 400, from: 1700000000.1, to: 1700000001.1, first: syn, mid: ack, last: finack},
		burst{src: "10.40.2.236:80", dst: "10.20.33.164:39812", proto: tcp, n: 4, bytes: 300, from: 1700000000.2, to: 1700000001.2, first: synack, mid: ack, last: finack},
	)
	check(t, got, want(flowlogtest.Example7...))
}

// Example 8: version 5 fields for an instance calling S3 over the internet
// gateway: pkt-dst-aws-service S3 (the address is in the S3 prefix list the
// network names), flow-direction, and traffic-path on egress only (8:
// internet gateway, Nitro).
func TestFlowLogExampleVersion5(t *testing.T) {
	n := reachtest.NewNet("ap-southeast-2")
	n.AccountID = "123456789012"
	n.VPC("vpc-abcdefab012345678", "10.0.0.0/16")
	s := n.Subnet("subnet-aaaaaaaa012345678", "vpc-abcdefab012345678", "ap-southeast-2a", "10.0.0.0/24")
	s.AvailabilityZoneID = "apse2-az3"
	n.IGW("igw-1", "vpc-abcdefab012345678")
	n.RouteTable("rtb-1", "vpc-abcdefab012345678", []string{"subnet-aaaaaaaa012345678"}, "0.0.0.0/0 igw-1")
	n.SG("sg-1", "vpc-abcdefab012345678", nil, []string{"all - 0.0.0.0/0"})
	x := n.Instance("i-0c50d5961bcb2d47b", "subnet-aaaaaaaa012345678", []string{"sg-1"}, "3.104.12.7", "10.0.0.71")
	x.ID = "eni-1235b8ca123456789"
	n.Instances[0].InterfaceIDs = []string{x.ID}
	pl := &model.PrefixList{Meta: reachtest.Meta("pl-6ca54005"), AWSManaged: true, Entries: []netip.Prefix{netip.MustParsePrefix("52.95.128.0/21")}}
	pl.Name = "com.amazonaws.ap-southeast-2.s3"
	n.PrefixLists = append(n.PrefixLists, pl)
	fl := newFlowLog(t, n, "${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end} ${type} ${packets} ${bytes} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${region} ${az-id} ${sublocation-type} ${sublocation-id} ${action} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${traffic-path} ${flow-direction} ${log-status}")
	tcp := model.ProtocolTCP
	got, _ := fl.run(t,
		burst{src: "10.0.0.71:34210", dst: "52.95.128.179:80", proto: tcp, n: 7, bytes: 471, from: 1616729292.1, to: 1616729349.1, first: syn, mid: ack, last: finack},
		burst{src: "52.95.128.179:80", dst: "10.0.0.71:34210", proto: tcp, n: 14, bytes: 15044, from: 1616729292.2, to: 1616729349.2, first: synack, mid: ack, last: finack},
	)
	check(t, got, want(flowlogtest.Example8...))
}

// Beyond AWS's worked examples, the version 5 fields as AWS's field
// reference defines them (VPC User Guide, "Flow log records": traffic-path
// is "the path that egress traffic takes to the destination", - for
// ingress; 1 through another resource in the same VPC, including resources
// that create a network interface in the VPC; 3 a virtual private gateway;
// 4 and 5 intra- and inter-region peering; 7 a gateway VPC endpoint and 8
// an internet gateway, on Nitro instances; pkt-dst-aws-service the service
// of the destination address): one private instance talking to the
// internet through a NAT gateway, to S3 through a gateway endpoint, to
// peers in its region and in another, to an on-premises network through a
// VPN, and to an instance of its own VPC.
func TestFlowLogTrafficPaths(t *testing.T) {
	n := reachtest.NewNet("us-east-1")
	n.AccountID = "123456789010"
	n.VPC("vpc-a", "10.0.0.0/16")
	n.Subnet("subnet-pub", "vpc-a", "us-east-1a", "10.0.0.0/24")
	n.Subnet("subnet-priv", "vpc-a", "us-east-1a", "10.0.1.0/24")
	n.IGW("igw-a", "vpc-a")
	n.RouteTable("rtb-pub", "vpc-a", []string{"subnet-pub"}, "0.0.0.0/0 igw-a")
	priv := n.RouteTable("rtb-priv", "vpc-a", []string{"subnet-priv"}, "0.0.0.0/0 nat-a", "10.1.0.0/16 pcx-ab", "10.2.0.0/16 pcx-ac", "192.168.0.0/16 vgw-a")
	g := n.NAT("nat-a", "subnet-pub", "10.0.0.220", "52.0.0.220")
	g.InterfaceID = "eni-nat"
	n.GatewayEndpoint("vpce-s3", "vpc-a", "s3", []string{"52.216.0.0/15"}, priv.ID)
	n.VPN("vgw-a", "vpc-a", "192.168.0.0/16")
	for i, v := range []string{"b", "c"} {
		cidr := fmt.Sprintf("10.%d.0.0/16", i+1)
		n.VPC("vpc-"+v, cidr)
		n.Subnet("subnet-"+v, "vpc-"+v, "us-east-1a", fmt.Sprintf("10.%d.1.0/24", i+1))
		n.RouteTable("rtb-"+v, "vpc-"+v, []string{"subnet-" + v}, "10.0.0.0/16 pcx-a"+v)
		p := n.Peering("pcx-a"+v, "vpc-a", "vpc-"+v)
		if v == "c" {
			p.AccepterRegion = "eu-west-1"
		}
		n.SG("sg-"+v, "vpc-"+v, []string{"all - 10.0.0.0/8"}, []string{"all - 0.0.0.0/0"})
		n.Instance("i-"+v, "subnet-"+v, []string{"sg-" + v}, "", fmt.Sprintf("10.%d.1.10", i+1))
	}
	n.SG("sg-a", "vpc-a", []string{"all - 10.0.0.0/16"}, []string{"all - 0.0.0.0/0"})
	n.Instance("i-pub", "subnet-pub", []string{"sg-a"}, "", "10.0.0.10")
	n.Instance("i-priv", "subnet-priv", []string{"sg-a"}, "", "10.0.1.10")
	fl := newFlowLog(t, n, "${interface-id} ${flow-direction} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr} ${pkt-dst-aws-service} ${traffic-path} ${action}")
	fl.covers = func(x flowlog.Interface) bool { return x.ID == "eni-i-priv" || x.ID == "eni-nat" }
	tcp := model.ProtocolTCP
	var bursts []burst
	for i, dst := range []string{"203.0.113.5:443", "52.216.8.10:443", "10.1.1.10:443", "10.2.1.10:443", "192.168.1.1:443", "10.0.0.10:443"} {
		bursts = append(bursts, burst{src: fmt.Sprintf("10.0.1.10:%d", 40000+i), dst: dst, proto: tcp, n: 1, bytes: 60, from: 1700000000 + float64(i), first: syn})
	}
	got, fates := fl.run(t, bursts...)
	check(t, got, want(
		"eni-i-priv egress 10.0.1.10 203.0.113.5 10.0.1.10 203.0.113.5 - 1 ACCEPT", // through the NAT gateway: a resource of the VPC
		"eni-nat ingress 10.0.1.10 10.0.0.220 10.0.1.10 203.0.113.5 - - ACCEPT",
		"eni-nat egress 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5 - 8 ACCEPT", // the NAT gateway to the internet gateway
		"eni-i-priv egress 10.0.1.10 52.216.8.10 10.0.1.10 52.216.8.10 S3 7 ACCEPT",
		"eni-i-priv egress 10.0.1.10 10.1.1.10 10.0.1.10 10.1.1.10 - 4 ACCEPT",
		"eni-i-priv egress 10.0.1.10 10.2.1.10 10.0.1.10 10.2.1.10 - 5 ACCEPT",
		"eni-i-priv egress 10.0.1.10 192.168.1.1 10.0.1.10 192.168.1.1 - 3 ACCEPT",
		"eni-i-priv egress 10.0.1.10 10.0.0.10 10.0.1.10 10.0.0.10 - 1 ACCEPT",
	))
	if o := outcomes(fates); o["left"] != 3 || o["delivered"] != 3 {
		t.Errorf("fates: %v", o)
	}
}

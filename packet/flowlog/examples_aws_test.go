package flowlog

// AWS's worked flow-log examples (VPC User Guide, "Flow log record
// examples"; collected in the project's cases/flowlogs.md), reproduced
// record for record: each test builds the packets the example describes,
// aggregates them, and formats the records in the example's format. The
// packet walker will drive the same scenarios end to end.

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/packet/flowlog/flowlogtest"
)

// burst is n packets of one flow seen on one interface, totalling bytes,
// from time from to time to (Unix seconds, fractional); the first packet
// carries first flags, the last last, the others mid.
type burst struct {
	iface            int32
	dir              Direction
	action           Action
	src, dst         string // address:port, or bare address for ICMP
	proto            uint8
	n, bytes         int
	from, to         float64
	first, mid, last uint8
	path             uint8
	srcSvc, dstSvc   string
}

var (
	ap    = flowlogtest.AddrPort
	unix  = flowlogtest.Unix
	want  = flowlogtest.AWSLines
	check = flowlogtest.Check
)

func (b burst) events() []Event {
	src, sp := ap(b.src)
	dst, dp := ap(b.dst)
	out := make([]Event, b.n)
	for i := range out {
		t := b.from
		if b.n > 1 {
			t = b.from + (b.to-b.from)*float64(i)/float64(b.n-1)
		}
		size := b.bytes / b.n
		if i < b.bytes%b.n {
			size++
		}
		fl := b.mid
		switch {
		case i == 0:
			fl = b.first
		case i == b.n-1:
			fl = b.last
		}
		out[i] = Event{Time: unix(t), Interface: b.iface, Direction: b.dir, Action: b.action, Src: src, Dst: dst,
			SrcPort: sp, DstPort: dp, Protocol: b.proto, Bytes: size, TCPFlags: fl, TrafficPath: b.path,
			PktSrcService: b.srcSvc, PktDstService: b.dstSvc}
	}
	return out
}

// run aggregates the bursts (merged in time order) and returns the records
// formatted in format, sorted.
func run(t *testing.T, cfg Config, ifaces []Interface, format string, bursts ...burst) []string {
	t.Helper()
	f, err := ParseFormat(format)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Version = f.Version()
	var evs []Event
	for _, b := range bursts {
		evs = append(evs, b.events()...)
	}
	slices.SortStableFunc(evs, func(a, b Event) int { return a.Time.Compare(b.Time) })
	var recs []Record
	agg, err := NewAggregator(cfg, ifaces, Collect(&recs))
	if err != nil {
		t.Fatal(err)
	}
	for i := range evs {
		if err := agg.Add(&evs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := agg.Flush(); err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i := range recs {
		b, _ := f.AppendRecord(nil, &recs[i])
		lines = append(lines, string(b))
	}
	slices.Sort(lines)
	return lines
}

const defaultFormat = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"

func eni(id string, primary string) Interface {
	in := Interface{ID: id, AccountID: "123456789010"}
	if a := netip.MustParseAddr(primary); a.Is4() {
		in.PrimaryV4 = a
	} else {
		in.PrimaryV6 = a
	}
	return in
}

const (
	syn, synack, ack, fin, finack = 2, 18, 16, 1, 17
)

// Example 1: SSH accepted and RDP rejected, logged on the target interface
// with packets and bytes counted.
func TestAWSExampleAcceptedAndRejected(t *testing.T) {
	ifaces := []Interface{eni("eni-1235b8ca123456789", "172.31.16.21"), eni("eni-1235b8ca123456789", "172.31.9.12")}
	got := run(t, Config{}, ifaces, defaultFormat,
		burst{iface: 0, dir: Ingress, action: Accept, src: "172.31.16.139:20641", dst: "172.31.16.21:22", proto: 6, n: 20, bytes: 4249, from: 1418530010.2, to: 1418530070.9, first: syn, mid: ack, last: ack},
		burst{iface: 1, dir: Ingress, action: Reject, src: "172.31.9.69:49761", dst: "172.31.9.12:3389", proto: 6, n: 20, bytes: 4249, from: 1418530010.3, to: 1418530070.8, first: syn, mid: syn, last: syn},
	)
	check(t, got, want(flowlogtest.Example1...))
}

// Example 2: NODATA and SKIPDATA records: seven "-" from srcaddr to bytes,
// action "-", start and end bounding the interval.
func TestAWSExampleNoDataSkipData(t *testing.T) {
	f, _ := ParseFormat(defaultFormat)
	r := Blank()
	r.Version, r.AccountID, r.InterfaceID, r.Start, r.End, r.LogStatus = 2, "123456789010", "eni-1235b8ca123456789", 1431280876, 1431280934, StatusNoData
	s := r
	s.InterfaceID, s.LogStatus = "eni-11111111aaaaaaaaa", StatusSkipData
	var got []string
	for _, x := range []Record{r, s} {
		b, _ := f.AppendRecord(nil, &x)
		got = append(got, string(b))
	}
	check(t, got, []string{
		"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA",
		"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA",
	})

	// The aggregator writes them: NODATA for an interface without traffic
	// in an interval, SKIPDATA when an interface has more flows than it can
	// capture, each bounded by the interval.
	ifaces := []Interface{eni("eni-1235b8ca123456789", "10.0.0.1"), eni("eni-11111111aaaaaaaaa", "10.0.0.2")}
	lines := run(t, Config{Interval: Interval1m, Origin: time.Unix(1431280874, 0), NoData: true, MaxFlows: 1}, ifaces, defaultFormat,
		burst{iface: 1, dir: Ingress, action: Accept, src: "10.9.0.1:1000", dst: "10.0.0.2:80", proto: 6, n: 1, bytes: 40, from: 1431280900},
		burst{iface: 1, dir: Ingress, action: Accept, src: "10.9.0.2:1000", dst: "10.0.0.2:80", proto: 6, n: 1, bytes: 40, from: 1431280901},
	)
	check(t, lines, want(
		"2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280874 1431280934 - NODATA",
		"2 123456789010 eni-11111111aaaaaaaaa 10.9.0.1 10.0.0.2 1000 80 6 1 40 1431280900 1431280900 ACCEPT OK",
		"2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280874 1431280934 - SKIPDATA",
	))
}

// Example 3: a ping the security group admits and whose replies the
// network ACL denies on the way out: ACCEPT for the requests, REJECT for
// the replies, both on the instance's interface; 84-byte packets.
func TestAWSExamplePingNACL(t *testing.T) {
	ifaces := []Interface{eni("eni-1235b8ca123456789", "172.31.16.139")}
	got := run(t, Config{}, ifaces, defaultFormat,
		burst{iface: 0, dir: Ingress, action: Accept, src: "203.0.113.12", dst: "172.31.16.139", proto: 1, n: 4, bytes: 336, from: 1432917027.1, to: 1432917142.1},
		burst{iface: 0, dir: Egress, action: Reject, src: "172.31.16.139", dst: "203.0.113.12", proto: 1, n: 4, bytes: 336, from: 1432917094.2, to: 1432917142.2},
	)
	check(t, got, want(flowlogtest.Example3...))
}

// Example 4: IPv6, addresses in Go's (RFC 5952) compressed form.
func TestAWSExampleIPv6(t *testing.T) {
	ifaces := []Interface{eni("eni-1235b8ca123456789", "2001:db8:1234:a102:3304:8879:34cf:4071")}
	got := run(t, Config{}, ifaces, defaultFormat,
		burst{iface: 0, dir: Ingress, action: Accept, src: "[2001:db8:1234:a100:8d6e:3477:df66:f105]:34892", dst: "[2001:db8:1234:a102:3304:8879:34cf:4071]:22", proto: 6, n: 54, bytes: 8855, from: 1477913708.5, to: 1477913820.5, first: syn, mid: ack, last: ack},
	)
	check(t, got, want(flowlogtest.Example4...))
}

// Example 5: the TCP flag sequence (custom format, version 3; bytes before
// packets). Flags are OR-ed per direction and interval: SYN 2, SYN-ACK 18,
// FIN 1, and 3 and 19 for a connection opened and closed in one interval;
// ACK and PSH alone add nothing. An idle connection has no record.
func TestAWSExampleTCPFlags(t *testing.T) {
	const format = "${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status}"
	in := eni("eni-1235b8ca123456789", "10.0.0.62")
	in.VPCID, in.SubnetID, in.InstanceID = "vpc-abcdefab012345678", "subnet-aaaaaaaa012345678", "i-01234567890123456"
	const client, server = "52.213.180.42", "10.0.0.62:5001"
	// Capture began so that an interval boundary falls at 1566848933.5.
	cfg := Config{Interval: Interval10m, Origin: time.Unix(1566848933, 5e8)}
	got := run(t, cfg, []Interface{in}, format,
		// Interval 1: two connections open.
		burst{dir: Ingress, action: Accept, src: client + ":43416", dst: server, proto: 6, n: 8, bytes: 568, from: 1566848875.1, to: 1566848933.1, first: syn, mid: ack, last: ack},
		burst{dir: Egress, action: Accept, src: server, dst: client + ":43416", proto: 6, n: 7, bytes: 376, from: 1566848875.2, to: 1566848933.2, first: synack, mid: ack, last: ack},
		burst{dir: Ingress, action: Accept, src: client + ":43418", dst: server, proto: 6, n: 70, bytes: 100701, from: 1566848875.3, to: 1566848933.3, first: syn, mid: ack | 8, last: ack},
		burst{dir: Egress, action: Accept, src: server, dst: client + ":43418", proto: 6, n: 12, bytes: 632, from: 1566848875.4, to: 1566848933.4, first: synack, mid: ack, last: ack},
		// Interval 2 (180 s of it): 43418 closes; 43416 stays idle.
		burst{dir: Egress, action: Accept, src: server, dst: client + ":43418", proto: 6, n: 1219, bytes: 63388, from: 1566848933.6, to: 1566849113.6, first: ack, mid: ack, last: finack},
		burst{dir: Ingress, action: Accept, src: client + ":43418", dst: server, proto: 6, n: 15774, bytes: 23294588, from: 1566848933.7, to: 1566849113.7, first: ack | 8, mid: ack | 8, last: finack},
		// A short connection, opened and closed in one interval.
		burst{dir: Ingress, action: Accept, src: client + ":43638", dst: server, proto: 6, n: 17, bytes: 1260, from: 1566933133.1, to: 1566933193.1, first: syn, mid: ack, last: finack},
		burst{dir: Egress, action: Accept, src: server, dst: client + ":43638", proto: 6, n: 14, bytes: 967, from: 1566933133.2, to: 1566933193.2, first: synack, mid: ack, last: finack},
	)
	check(t, got, want(flowlogtest.Example5...))
}

// Example 6: through a NAT gateway. On the gateway's interface srcaddr or
// dstaddr is its own private address and pkt-* the packet's real ends; the
// instance's interface shows the real remote address.
func TestAWSExampleNATGateway(t *testing.T) {
	nat := eni("eni-1235b8ca123456789", "10.0.0.220") // requester-managed: no instance-id
	inst := eni("eni-1111aaaa2222bbbb3", "10.0.1.5")
	inst.InstanceID = "i-01234567890123456"
	const (
		i0, n0 = int32(1), int32(0)
	)
	got := run(t, Config{}, []Interface{nat, inst}, "${instance-id} ${interface-id} ${srcaddr} ${dstaddr} ${pkt-srcaddr} ${pkt-dstaddr}",
		burst{iface: i0, dir: Egress, action: Accept, src: "10.0.1.5:40000", dst: "203.0.113.5:443", proto: 6, n: 1, bytes: 60, from: 1700000000.1, first: syn},
		burst{iface: n0, dir: Ingress, action: Accept, src: "10.0.1.5:40000", dst: "203.0.113.5:443", proto: 6, n: 1, bytes: 60, from: 1700000000.2, first: syn},
		burst{iface: n0, dir: Egress, action: Accept, src: "10.0.0.220:1024", dst: "203.0.113.5:443", proto: 6, n: 1, bytes: 60, from: 1700000000.3, first: syn},
		burst{iface: n0, dir: Ingress, action: Accept, src: "203.0.113.5:443", dst: "10.0.0.220:1024", proto: 6, n: 1, bytes: 60, from: 1700000000.4, first: synack},
		burst{iface: n0, dir: Egress, action: Accept, src: "203.0.113.5:443", dst: "10.0.1.5:40000", proto: 6, n: 1, bytes: 60, from: 1700000000.5, first: synack},
		burst{iface: i0, dir: Ingress, action: Accept, src: "203.0.113.5:443", dst: "10.0.1.5:40000", proto: 6, n: 1, bytes: 60, from: 1700000000.6, first: synack},
	)
	check(t, got, want(flowlogtest.Example6...))
}

// Example 7: through a transit gateway, asymmetric: the request leaves the
// transit gateway's interface in the client path's zone, the response enters
// the one in the server's zone; each shows its own address.
func TestAWSExampleTransitGateway(t *testing.T) {
	srv := eni("eni-33333333333333333", "10.40.2.236")
	srv.VPCID, srv.SubnetID, srv.InstanceID = "vpc-abcdefab012345678", "subnet-22222222bbbbbbbbb", "i-01234567890123456"
	tgwA := eni("eni-11111111111111111", "10.40.1.175")
	tgwA.VPCID, tgwA.SubnetID = "vpc-abcdefab012345678", "subnet-11111111aaaaaaaaa"
	tgwB := eni("eni-22222222222222222", "10.40.2.31")
	tgwB.VPCID, tgwB.SubnetID = "vpc-abcdefab012345678", "subnet-22222222bbbbbbbbb"
	const req, resp = "10.20.33.164:39812", "10.40.2.236:80"
	got := run(t, Config{}, []Interface{srv, tgwA, tgwB},
		"${version} ${interface-id} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${log-status}",
		burst{iface: 1, dir: Egress, action: Accept, src: req, dst: resp, proto: 6, n: 5, bytes: 400, from: 1700000000.1, to: 1700000001.1, first: syn, mid: ack, last: finack, path: PathSameVPC},
		burst{iface: 0, dir: Ingress, action: Accept, src: req, dst: resp, proto: 6, n: 5, bytes: 400, from: 1700000000.2, to: 1700000001.2, first: syn, mid: ack, last: finack},
		burst{iface: 0, dir: Egress, action: Accept, src: resp, dst: req, proto: 6, n: 4, bytes: 300, from: 1700000000.3, to: 1700000001.3, first: synack, mid: ack, last: finack, path: PathSameVPC},
		burst{iface: 2, dir: Ingress, action: Accept, src: resp, dst: req, proto: 6, n: 4, bytes: 300, from: 1700000000.4, to: 1700000001.4, first: synack, mid: ack, last: finack},
	)
	check(t, got, want(flowlogtest.Example7...))
}

// Example 8: version 5 fields: the AWS service behind an address,
// flow-direction, and traffic-path on egress only (8: internet gateway, on
// a Nitro instance).
func TestAWSExampleVersion5(t *testing.T) {
	in := eni("eni-1235b8ca123456789", "10.0.0.71")
	in.AccountID, in.VPCID, in.SubnetID, in.InstanceID = "123456789012", "vpc-abcdefab012345678", "subnet-aaaaaaaa012345678", "i-0c50d5961bcb2d47b"
	in.Region, in.AZID = "ap-southeast-2", "apse2-az3"
	got := run(t, Config{}, []Interface{in},
		"${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${start} ${end} ${type} ${packets} ${bytes} ${account-id} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${region} ${az-id} ${sublocation-type} ${sublocation-id} ${action} ${tcp-flags} ${pkt-srcaddr} ${pkt-dstaddr} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${traffic-path} ${flow-direction} ${log-status}",
		burst{dir: Egress, action: Accept, src: "10.0.0.71:34210", dst: "52.95.128.179:80", proto: 6, n: 7, bytes: 471, from: 1616729292.1, to: 1616729349.1, first: syn, mid: ack, last: finack, path: PathIGWNitro, dstSvc: "S3"},
		burst{dir: Ingress, action: Accept, src: "52.95.128.179:80", dst: "10.0.0.71:34210", proto: 6, n: 14, bytes: 15044, from: 1616729292.2, to: 1616729349.2, first: synack, mid: ack, last: finack, srcSvc: "S3"},
	)
	check(t, got, want(flowlogtest.Example8...))
}

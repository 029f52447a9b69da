package verify

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify/verifytest"
)

// AWS's worked flow-log examples (the project's cases/flowlogs.md, from the
// Amazon VPC User Guide's "Flow log record examples"), each against a model
// built to match its description.

type want struct {
	class Class
	cause Cause
	dir   model.Direction
}

func check(t *testing.T, name string, got []Verdict, wants ...want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("%s: %d verdicts, want %d", name, len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if g.Class != w.class || g.Cause != w.cause || w.dir != 0 && g.Direction != w.dir {
			t.Errorf("%s: record %d: %s/%s %s; want %s/%s %s", name, i+1, g.Class, g.Cause, g.Direction, w.class, w.cause, w.dir)
		}
	}
}

// Example 1: SSH accepted and RDP rejected at one interface (whose group
// admits SSH only).
func TestAWSExample1AcceptReject(t *testing.T) {
	n := newNet()
	n.VPC("vpc-1", "172.31.0.0/16")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "172.31.0.0/16")
	n.SG("sg-ssh", "vpc-1", []string{"tcp 22 0.0.0.0/0"}, []string{"all - 0.0.0.0/0"})
	n.ENI("eni-1235b8ca123456789", "subnet-1", []string{"sg-ssh"}, "", "172.31.16.21", "172.31.9.12")
	e := engine(t, n)
	logs := `2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
`
	check(t, "as logged", classify(t, e, flowlog.DefaultFormat, logs),
		want{Consistent, CauseNone, model.Ingress}, want{Consistent, CauseNone, model.Ingress})
	// Had AWS accepted the RDP, the group would have had to change: the
	// model names the groups that admit no such connection.
	v := classify(t, e, flowlog.DefaultFormat, strings.Replace(logs, "REJECT", "ACCEPT", 1))
	check(t, "RDP accepted", v, want{Consistent, CauseNone, 0}, want{AcceptDenied, CauseSecurityGroup, model.Ingress})
	if g := v[1].Check.SG.Groups; len(g) != 1 || g[0].ID != "sg-ssh" {
		t.Errorf("the RDP record names groups %v", g)
	}
	// Had AWS rejected the SSH, a rule allowing it would have gone.
	check(t, "SSH rejected", classify(t, e, flowlog.DefaultFormat, strings.Replace(logs, "ACCEPT", "REJECT", 1)),
		want{RejectAllowed, CauseDrift, 0}, want{Consistent, CauseNone, 0})
}

// Example 2: NODATA and SKIPDATA records.
func TestAWSExample2NoData(t *testing.T) {
	n := newNet()
	n.VPC("vpc-1", "172.31.0.0/16")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "172.31.0.0/16")
	n.ENI("eni-1235b8ca123456789", "subnet-1", nil, "", "172.31.16.21")
	e := engine(t, n)
	v := classify(t, e, flowlog.DefaultFormat, `2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA
`)
	check(t, "nodata", v, want{NoData, CauseNone, 0}, want{SkipData, CauseNone, 0})
	if v[0].Iface < 0 || v[1].Iface >= 0 {
		t.Errorf("interfaces %d, %d: the first is the model's, the second not", v[0].Iface, v[1].Iface)
	}
	// The interface the model lacks makes the logs inconsistent, though
	// its only record is SKIPDATA.
	vr := New(e, Options{})
	r, _ := flowlog.NewTextReader(strings.NewReader(`2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA
`), flowlog.DefaultFormat)
	rec, _ := r.Next()
	vr.Add("x", 1, rec)
	if res := vr.Result(); !res.Inconsistent() || len(res.UnknownInterfaces) != 1 || res.Records.SkipData != 1 {
		t.Errorf("%+v, %v", res.Records, res.UnknownInterfaces)
	}
}

// Example 3: a ping that the security group admits inbound (it has no
// outbound rule) and whose replies the network ACL denies outbound.
func TestAWSExample3Ping(t *testing.T) {
	build := func(aclOut []string, sgIn []string) *verifytest.Net {
		n := newNet()
		n.VPC("vpc-1", "172.31.0.0/16")
		n.Subnet("subnet-1", "vpc-1", "us-east-1a", "172.31.16.0/20")
		n.IGW("igw-1", "vpc-1")
		n.RT("rtb-1", "vpc-1", []string{"subnet-1"}, "0.0.0.0/0 igw-1")
		n.SG("sg-ping", "vpc-1", sgIn, nil)
		n.ACL("acl-1", "vpc-1", []string{"subnet-1"}, []string{"100 allow icmp - 0.0.0.0/0"}, aclOut)
		n.ENI("eni-1235b8ca123456789", "subnet-1", []string{"sg-ping"}, "54.0.0.139", "172.31.16.139")
		return n
	}
	ping := `2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK
2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK
`
	e := engine(t, build([]string{"100 deny icmp - 0.0.0.0/0"}, []string{"icmp - 0.0.0.0/0"}))
	check(t, "ping", classify(t, e, flowlog.DefaultFormat, ping), want{Consistent, CauseNone, model.Ingress}, want{Consistent, CauseNone, model.Egress})
	// A reply accepted against this model: the ACL rule that denies it.
	v := classify(t, e, flowlog.DefaultFormat, strings.Replace(ping, "REJECT", "ACCEPT", 1))
	check(t, "reply accepted", v, want{Consistent, CauseNone, 0}, want{AcceptDenied, CauseNetworkACL, model.Egress})
	if r, _ := e.Rule(v[1].Rule); r.Text != "egress rule 100 deny icmp all to 0.0.0.0/0" {
		t.Errorf("the reply should have been stopped by %q", r.Text)
	}
	// Variant: the ACL allows outbound ICMP: two ACCEPT records.
	e = engine(t, build([]string{"100 allow icmp - 0.0.0.0/0"}, []string{"icmp - 0.0.0.0/0"}))
	both := strings.Replace(ping, "REJECT", "ACCEPT", 1)
	v = classify(t, e, flowlog.DefaultFormat, both)
	check(t, "acl allows replies", v, want{Consistent, CauseNone, 0}, want{Consistent, CauseNone, 0})
	if !v[1].Check.Reply {
		t.Errorf("the outbound ICMP passes the group (no outbound rule) only as a reply")
	}
	// Variant: the group denies inbound ICMP: one REJECT record.
	e = engine(t, build([]string{"100 allow icmp - 0.0.0.0/0"}, []string{"tcp 22 0.0.0.0/0"}))
	check(t, "group denies", classify(t, e, flowlog.DefaultFormat, strings.Replace(strings.SplitAfter(ping, "\n")[0], "ACCEPT", "REJECT", 1)),
		want{Consistent, CauseNone, model.Ingress})
}

// Example 4: IPv6 SSH.
func TestAWSExample4IPv6(t *testing.T) {
	n := newNet()
	n.VPC("vpc-1", "10.0.0.0/16", "2001:db8:1234:a100::/56")
	n.Subnet("subnet-1", "vpc-1", "us-east-1a", "10.0.2.0/24", "2001:db8:1234:a102::/64")
	n.SG("sg-ssh6", "vpc-1", []string{"tcp 22 ::/0"}, nil)
	n.ENI("eni-1235b8ca123456789", "subnet-1", []string{"sg-ssh6"}, "", "10.0.2.10", "2001:db8:1234:a102:3304:8879:34cf:4071")
	e := engine(t, n)
	rec := "2 123456789010 eni-1235b8ca123456789 2001:db8:1234:a100:8d6e:3477:df66:f105 2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 1477913708 1477913820 ACCEPT OK\n"
	check(t, "ipv6", classify(t, e, flowlog.DefaultFormat, rec), want{Consistent, CauseNone, model.Ingress})
}

// Example 5: TCP flags in a custom version 3 format (bytes before
// packets): SYN in, SYN-ACK out, FIN both ways, a short connection.
func TestAWSExample5Flags(t *testing.T) {
	n := newNet()
	n.VPC("vpc-abcdefab012345678", "10.0.0.0/16")
	n.Subnet("subnet-aaaaaaaa012345678", "vpc-abcdefab012345678", "us-east-1a", "10.0.0.0/24")
	n.SG("sg-iperf", "vpc-abcdefab012345678", []string{"tcp 5001 0.0.0.0/0"}, nil)
	n.ENI("eni-1235b8ca123456789", "subnet-aaaaaaaa012345678", []string{"sg-iperf"}, "", "10.0.0.62")
	e := engine(t, n)
	f := mustFormat("version vpc-id subnet-id instance-id interface-id account-id type srcaddr dstaddr srcport dstport pkt-srcaddr pkt-dstaddr protocol bytes packets start end action tcp-flags log-status")
	logs := `3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43416 5001 52.213.180.42 10.0.0.62 6 568 8 1566848875 1566848933 ACCEPT 2 OK
3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43416 10.0.0.62 52.213.180.42 6 376 7 1566848875 1566848933 ACCEPT 18 OK
3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43418 10.0.0.62 52.213.180.42 6 63388 1219 1566848933 1566849113 ACCEPT 1 OK
3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43418 5001 52.213.180.42 10.0.0.62 6 23294588 15774 1566848933 1566849113 ACCEPT 1 OK
3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 52.213.180.42 10.0.0.62 43638 5001 52.213.180.42 10.0.0.62 6 1260 17 1566933133 1566933193 ACCEPT 3 OK
3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43638  10.0.0.62 52.213.180.42 6 967 14 1566933133 1566933193 ACCEPT 19 OK
`
	v := classify(t, e, f, logs)
	c := want{Consistent, CauseNone, 0}
	check(t, "flags", v, c, c, c, c, c, c)
	for i, reply := range []bool{false, true, true, false, false, true} {
		if v[i].Check.Reply != reply {
			t.Errorf("record %d: reply %v; want %v", i+1, v[i].Check.Reply, reply)
		}
	}
	// A SYN from the server out to the client's port is no reply: the
	// group has no outbound rule.
	syn := strings.Replace(strings.SplitAfter(logs, "\n")[1], "ACCEPT 18", "ACCEPT 2", 1)
	check(t, "server opens", classify(t, e, f, syn), want{AcceptDenied, CauseSecurityGroup, model.Egress})
}

// Example 6: a NAT gateway. AWS's format has no action or protocol: the
// records cannot be held against the model (their directions are read from
// the addresses). With protocol, ports and action added, every record is
// consistent, on the gateway's interface and the instance's.
func TestAWSExample6NAT(t *testing.T) {
	n := newNet()
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-pub", "vpc-1", "us-east-1a", "10.0.0.0/24")
	n.Subnet("subnet-priv", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.IGW("igw-1", "vpc-1")
	n.RT("rtb-pub", "vpc-1", []string{"subnet-pub"}, "0.0.0.0/0 igw-1")
	n.RT("rtb-priv", "vpc-1", []string{"subnet-priv"}, "0.0.0.0/0 nat-1")
	n.NAT("nat-1", "eni-1235b8ca123456789", "subnet-pub", "10.0.0.220", "54.0.0.220")
	n.SG("sg-out", "vpc-1", nil, []string{"tcp 443 0.0.0.0/0"})
	n.ENI("eni-1111aaaa2222bbbb3", "subnet-priv", []string{"sg-out"}, "", "10.0.1.5")
	e := engine(t, n)
	aws := `- eni-1235b8ca123456789 10.0.1.5 10.0.0.220 10.0.1.5 203.0.113.5
- eni-1235b8ca123456789 10.0.0.220 203.0.113.5 10.0.0.220 203.0.113.5
- eni-1235b8ca123456789 203.0.113.5 10.0.0.220 203.0.113.5 10.0.0.220
- eni-1235b8ca123456789 10.0.0.220 10.0.1.5 203.0.113.5 10.0.1.5
i-01234567890123456 eni-1111aaaa2222bbbb3 10.0.1.5 203.0.113.5 10.0.1.5 203.0.113.5
i-01234567890123456 eni-1111aaaa2222bbbb3 203.0.113.5 10.0.1.5 203.0.113.5 10.0.1.5
`
	dirs := []model.Direction{model.Ingress, model.Egress, model.Ingress, model.Egress, model.Egress, model.Ingress}
	var wants []want
	for _, d := range dirs {
		wants = append(wants, want{Undetermined, CauseNone, d})
	}
	check(t, "as AWS logs them", classify(t, e, mustFormat("instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr"), aws), wants...)
	// The same with protocol, ports and action: the NAT leg's source port
	// is the gateway's.
	ports := []string{"6 40000 443", "6 3000 443", "6 443 3000", "6 443 40000", "6 40000 443", "6 443 40000"}
	var b strings.Builder
	for i, line := range strings.Split(strings.TrimSpace(aws), "\n") {
		fmt.Fprintf(&b, "%s %s ACCEPT\n", line, ports[i])
	}
	wants = wants[:0]
	for _, d := range dirs {
		wants = append(wants, want{Consistent, CauseNone, d})
	}
	check(t, "with the action", classify(t, e, mustFormat("instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr protocol srcport dstport action"), b.String()), wants...)
}

// Example 7: a transit gateway. The client in VPC A reaches the web server
// in VPC B; the records on the attachment's interfaces (not in Terraform:
// instance-id "-") are found by their subnets, and their directions by
// their own addresses beside the packets'.
func TestAWSExample7TransitGateway(t *testing.T) {
	n := newNet()
	n.VPC("vpc-a", "10.20.0.0/16")
	n.Subnet("subnet-a", "vpc-a", "us-east-1a", "10.20.33.0/24")
	n.VPC("vpc-abcdefab012345678", "10.40.0.0/16")
	n.Subnet("subnet-11111111aaaaaaaaa", "vpc-abcdefab012345678", "us-east-1a", "10.40.1.0/24")
	n.Subnet("subnet-22222222bbbbbbbbb", "vpc-abcdefab012345678", "us-east-1b", "10.40.2.0/24")
	n.TGW("tgw-1")
	n.Attach("tgw-attach-a", "tgw-1", "vpc-a", "subnet-a")
	n.Attach("tgw-attach-b", "tgw-1", "vpc-abcdefab012345678", "subnet-11111111aaaaaaaaa", "subnet-22222222bbbbbbbbb")
	n.RT("rtb-a", "vpc-a", []string{"subnet-a"}, "10.40.0.0/16 tgw-1")
	n.RT("rtb-b", "vpc-abcdefab012345678", []string{"subnet-11111111aaaaaaaaa", "subnet-22222222bbbbbbbbb"}, "10.20.0.0/16 tgw-1")
	n.SG("sg-client", "vpc-a", nil, []string{"tcp 80 10.40.0.0/16"})
	n.SG("sg-web", "vpc-abcdefab012345678", []string{"tcp 80 10.20.0.0/16"}, nil)
	n.ENI("eni-client", "subnet-a", []string{"sg-client"}, "", "10.20.33.164")
	n.ENI("eni-33333333333333333", "subnet-22222222bbbbbbbbb", []string{"sg-web"}, "", "10.40.2.236")
	e := engine(t, n)
	f := mustFormat("version interface-id account-id vpc-id subnet-id instance-id srcaddr dstaddr srcport dstport protocol tcp-flags type pkt-srcaddr pkt-dstaddr action log-status")
	logs := `3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb i-01234567890123456 10.20.33.164 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK
3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb i-01234567890123456 10.40.2.236 10.20.33.164 80 39812 6 19 IPv4 10.40.2.236 10.20.33.164 ACCEPT OK
3 eni-11111111111111111 123456789010 vpc-abcdefab012345678 subnet-11111111aaaaaaaaa - 10.40.1.175 10.40.2.236 39812 80 6 3 IPv4 10.20.33.164 10.40.2.236 ACCEPT OK
3 eni-22222222222222222 123456789010 vpc-abcdefab012345678 subnet-22222222bbbbbbbbb - 10.40.2.236 10.40.2.31 80 39812 6 19 IPv4 10.40.2.236 10.20.33.164 ACCEPT OK
`
	v := classify(t, e, f, logs)
	check(t, "transit gateway", v, want{Consistent, CauseNone, model.Ingress}, want{Consistent, CauseNone, model.Egress},
		want{Consistent, CauseNone, model.Egress}, want{Consistent, CauseNone, model.Ingress})
	for i, sub := range []string{"", "", "subnet-11111111aaaaaaaaa", "subnet-22222222bbbbbbbbb"} {
		c, _ := e.Interface(v[i].Iface)
		if sub != "" && (c.Interface.Kind != "transit-gateway-attachment" || c.Subnet.ID != sub) {
			t.Errorf("record %d is on %v in %v", i+1, c.Interface, c.Subnet)
		}
	}
}

// Example 8: version 5, an instance calling S3 over the internet gateway;
// its group allows HTTP out and nothing in.
func TestAWSExample8V5(t *testing.T) {
	n := newNet()
	n.VPC("vpc-abcdefab012345678", "10.0.0.0/16")
	n.Subnet("subnet-aaaaaaaa012345678", "vpc-abcdefab012345678", "ap-southeast-2a", "10.0.0.0/24")
	n.IGW("igw-1", "vpc-abcdefab012345678")
	n.RT("rtb-1", "vpc-abcdefab012345678", []string{"subnet-aaaaaaaa012345678"}, "0.0.0.0/0 igw-1")
	n.SG("sg-http-out", "vpc-abcdefab012345678", nil, []string{"tcp 80 0.0.0.0/0"})
	n.ENI("eni-1235b8ca123456789", "subnet-aaaaaaaa012345678", []string{"sg-http-out"}, "3.0.0.71", "10.0.0.71")
	e := engine(t, n)
	f := mustFormat("version srcaddr dstaddr srcport dstport protocol start end type packets bytes account-id vpc-id subnet-id instance-id interface-id region az-id sublocation-type sublocation-id action tcp-flags pkt-srcaddr pkt-dstaddr pkt-src-aws-service pkt-dst-aws-service traffic-path flow-direction log-status")
	logs := `5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 19 52.95.128.179 10.0.0.71 S3 - - ingress OK
5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT 3 10.0.0.71 52.95.128.179 - S3 8 egress OK
`
	v := classify(t, e, f, logs)
	check(t, "v5", v, want{Consistent, CauseNone, model.Ingress}, want{Consistent, CauseNone, model.Egress})
	if !v[0].Check.Reply || v[1].Check.Reply {
		t.Errorf("S3's SYN-ACK is a reply, the instance's SYN opens: %v %v", v[0].Check.Reply, v[1].Check.Reply)
	}
}

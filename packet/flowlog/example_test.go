package flowlog_test

import (
	"fmt"
	"net/netip"
	"os"
	"time"

	"github.com/vpcsim/vpcsim/packet/flowlog"
)

func ExampleParseFormat() {
	f, err := flowlog.ParseFormat("${interface-id} ${srcaddr} ${pkt-src-aws-service} ${flow-direction}")
	fmt.Println(f.Header(), "| version", f.Version(), err)
	_, err = flowlog.ParseFormat("${srcaddr} ${dstadr}")
	fmt.Println(err)
	// Output:
	// interface-id srcaddr pkt-src-aws-service flow-direction | version 5 <nil>
	// flow log format: unknown field "dstadr" (field 2); did you mean "dstaddr"?
}

// An interface's ping, aggregated and written in the default format with
// S3's header line (AWS's example of a ping whose replies a network ACL
// rejects).
func ExampleAggregator() {
	ifaces := []flowlog.Interface{{ID: "eni-1235b8ca123456789", AccountID: "123456789010", PrimaryV4: netip.MustParseAddr("172.31.16.139")}}
	w, _ := flowlog.NewTextWriter(os.Stdout, flowlog.DefaultFormat, true)
	agg, _ := flowlog.NewAggregator(flowlog.Config{Interval: flowlog.Interval10m}, ifaces, w.Write)
	home, inst := netip.MustParseAddr("203.0.113.12"), netip.MustParseAddr("172.31.16.139")
	t0 := time.Unix(1432917027, 0)
	for i := range 4 {
		t := t0.Add(time.Duration(i) * 38 * time.Second)
		agg.Add(&flowlog.Event{Time: t, Direction: flowlog.Ingress, Action: flowlog.Accept, Src: home, Dst: inst, Protocol: 1, Bytes: 84})
		agg.Add(&flowlog.Event{Time: t.Add(time.Millisecond), Direction: flowlog.Egress, Action: flowlog.Reject, Src: inst, Dst: home, Protocol: 1, Bytes: 84})
	}
	agg.Flush()
	w.Flush()
	// Output:
	// version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
	// 2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917141 ACCEPT OK
	// 2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917027 1432917141 REJECT OK
}

func ExampleS3Options() {
	o := flowlog.S3Options{AccountID: "123456789012", Region: "us-east-1", FlowLog: "fl-1234abcd", Hive: true, Hourly: true}
	slot := time.Date(2018, 6, 20, 16, 20, 0, 0, time.UTC)
	fmt.Println(o.Dir(slot))
	fmt.Println(o.Name(slot, "fe123456"))
	// Output:
	// AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16
	// 123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz
}

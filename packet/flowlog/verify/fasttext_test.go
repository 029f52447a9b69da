package verify

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/packet/flowlog"
)

// sameFields compares the fields verification reads.
func sameFields(a, b *flowlog.Record) bool {
	return a.InterfaceID == b.InterfaceID && a.SrcAddr == b.SrcAddr && a.DstAddr == b.DstAddr && a.SrcPort == b.SrcPort &&
		a.DstPort == b.DstPort && a.Protocol == b.Protocol && a.Packets == b.Packets && a.Bytes == b.Bytes && a.Start == b.Start &&
		a.End == b.End && a.Action == b.Action && a.LogStatus == b.LogStatus && a.VPCID == b.VPCID && a.SubnetID == b.SubnetID &&
		a.InstanceID == b.InstanceID && a.TCPFlags == b.TCPFlags && a.PktSrcAddr == b.PktSrcAddr && a.PktDstAddr == b.PktDstAddr &&
		a.FlowDirection == b.FlowDirection && a.Version == b.Version
}

// readBoth reads data with fastText and flowlog.TextReader and reports
// the first difference: in a record's fields, or in an error.
func readBoth(data []byte, f flowlog.Format) string {
	slow, serr := flowlog.NewTextReader(bytes.NewReader(data), f)
	fast, ferr := newFastText(bufio.NewReader(bytes.NewReader(data)), f)
	if (serr == nil) != (ferr == nil) {
		return "opening: " + errText(serr) + " / " + errText(ferr)
	}
	if serr != nil {
		return ""
	}
	for i := 0; i < 10000; i++ {
		a, aerr := slow.Next()
		b, berr := fast.Next()
		if errText(aerr) != errText(berr) {
			return "record errors: " + errText(aerr) + " / " + errText(berr)
		}
		if aerr != nil {
			return ""
		}
		if !sameFields(a, b) {
			return "record: " + a.String() + " / " + b.String()
		}
	}
	return ""
}

func errText(err error) string {
	if err == nil {
		return "<nil>"
	}
	if err == io.EOF {
		return "EOF"
	}
	return err.Error()
}

func TestFastTextAgreesWithTextReader(t *testing.T) {
	v5 := flowlog.AllFields()[:flowlog.FTrafficPath+1]
	for _, c := range []struct {
		name string
		f    flowlog.Format
		data string
	}{
		{"default, no header", flowlog.DefaultFormat, "2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n"},
		{"header", nil, flowlog.DefaultFormat.Header() + "\n2 1 eni-1 2001:db8::1 2001:db8::2 1 2 6 1 1 1 2 REJECT OK\r\n\n  2 1 eni-2  10.0.0.1 10.0.0.2 1 2 17 1 1 1 2 ACCEPT SKIPDATA"},
		{"v5 header", nil, v5.Header() + "\n5 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK vpc-1 subnet-1 - 18 IPv4 10.0.0.1 10.0.0.2 us-east-1 use1-az1 - - - S3 egress 8\n"},
		{"bad port", flowlog.DefaultFormat, "2 1 eni-1 10.0.0.1 10.0.0.2 http 2 6 1 1 1 2 ACCEPT OK\n"},
		{"bad address", flowlog.DefaultFormat, "2 1 eni-1 10.0.0.01 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK\n"},
		{"bad action", flowlog.DefaultFormat, "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 accept OK\n"},
		{"no time", flowlog.DefaultFormat, "2 1 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 - 2 ACCEPT OK\n"},
		{"field count", flowlog.DefaultFormat, "2 1 eni-1 10.0.0.1\n"},
		{"header mismatch", flowlog.DefaultFormat, "version srcaddr\n"},
		{"empty", nil, ""},
		{"big number", flowlog.DefaultFormat, "2 1 eni-1 10.0.0.1 10.0.0.2 1 99999999999 6 1 1 1 2 ACCEPT OK\n"},
	} {
		if msg := readBoth([]byte(c.data), c.f); msg != "" {
			t.Errorf("%s: %s", c.name, msg)
		}
	}
}

func FuzzFastText(f *testing.F) {
	f.Add([]byte(flowlog.DefaultFormat.Header() + "\n2 123456789010 eni-1 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"))
	f.Add([]byte("2 123456789010 eni-1 - - - - - - - 1431280876 1431280934 - NODATA\n2 1 eni-1 2001:db8::1 2001:db8::2 1 2 6 1 1 1 2 REJECT OK\n"))
	f.Add([]byte(strings.Join([]string{"version", "srcaddr", "pkt-srcaddr", "tcp-flags", "flow-direction", "start", "end"}, " ") + "\n5 1.2.3.4 1.2.3.4 19 ingress 1 2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fm flowlog.Format
		if !bytes.HasPrefix(data, []byte("version")) {
			fm = flowlog.DefaultFormat
		}
		if msg := readBoth(data, fm); msg != "" {
			t.Fatal(msg)
		}
	})
}

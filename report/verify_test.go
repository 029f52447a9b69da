package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify/verifytest"
)

// verifyResult verifies a small set of logs against a web server's
// network: consistent records, one accepted against the network ACL, one
// rejected that the model allows, one on an interface the model lacks, a
// NODATA record.
func verifyResult(t *testing.T) *verify.Result {
	n := verifytest.NewNet()
	n.VPC("vpc-1", "10.0.0.0/16")
	n.Subnet("subnet-web", "vpc-1", "us-east-1a", "10.0.1.0/24")
	n.IGW("igw-1", "vpc-1")
	n.RT("rtb-web", "vpc-1", []string{"subnet-web"}, "0.0.0.0/0 igw-1")
	n.SG("sg-web", "vpc-1", []string{"tcp 443 0.0.0.0/0", "tcp 22 198.51.100.0/24"}, []string{"tcp 443 0.0.0.0/0"})
	n.ACL("acl-web", "vpc-1", []string{"subnet-web"},
		[]string{"90 deny tcp 443 192.0.2.0/24", "100 allow tcp 443 0.0.0.0/0", "110 allow tcp 22 198.51.100.0/24", "120 allow tcp 1024-65535 0.0.0.0/0"},
		[]string{"100 allow all - 0.0.0.0/0"})
	n.ENI("eni-web", "subnet-web", []string{"sg-web"}, "54.0.0.10", "10.0.1.10")
	e, err := n.Engine()
	if err != nil {
		t.Fatal(err)
	}
	logs := `version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status tcp-flags flow-direction
5 eni-web 203.0.113.7 10.0.1.10 50000 443 6 10 840 1700000000 1700000060 ACCEPT OK 2 ingress
5 eni-web 10.0.1.10 203.0.113.7 443 50000 6 8 6000 1700000000 1700000060 ACCEPT OK 18 egress
5 eni-web 192.0.2.33 10.0.1.10 50001 443 6 3 180 1700000000 1700000060 ACCEPT OK 2 ingress
5 eni-web 198.51.100.9 10.0.1.10 50002 22 6 3 180 1700000060 1700000120 REJECT OK 2 ingress
5 eni-0notmodelled 10.0.9.9 10.0.1.10 50003 443 6 1 60 1700000060 1700000120 ACCEPT OK 2 egress
5 eni-web - - - - - - - 1700000120 1700000180 - NODATA - -
`
	r, err := flowlog.NewTextReader(bytes.NewReader([]byte(logs)), nil)
	if err != nil {
		t.Fatal(err)
	}
	v := verify.New(e, verify.Options{})
	for i := 1; ; i++ {
		rec, err := r.Next()
		if err != nil {
			break
		}
		if _, err := v.Add("flows.log", i, rec); err != nil {
			t.Fatal(err)
		}
	}
	return v.Result()
}

func TestWriteVerifyGolden(t *testing.T) {
	res := verifyResult(t)
	if res.Records.AcceptDenied != 1 || res.Records.RejectAllowed != 1 || res.Records.UnknownInterface != 1 || res.Records.NoData != 1 || res.Records.Consistent != 2 {
		t.Fatalf("records %+v", res.Records)
	}
	for _, f := range VerifyFormats {
		var b bytes.Buffer
		if err := WriteVerify(&b, res, f, Note{Code: CodeInput, Severity: "warning", Message: "an input note"}); err != nil {
			t.Fatal(err)
		}
		ext := map[string]string{"text": "txt", "json": "json", "csv": "csv", "markdown": "md"}[f]
		golden(t, "verify."+ext, b.Bytes())
		if f == "json" && !json.Valid(b.Bytes()) {
			t.Errorf("invalid JSON")
		}
	}
	if err := WriteVerify(&bytes.Buffer{}, res, "yaml"); err == nil {
		t.Errorf("an unknown format is accepted")
	}
}

package verifytest

import (
	"flag"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

var (
	genOut     = flag.String("gen.out", "", "write synthesised flow logs of the embedded example network under `DIR` (S3 layout, gzipped text, version 5)")
	genRecords = flag.Int("gen.records", 10_000_000, "how many records -gen.out writes, about")
	genFormat  = flag.String("gen.format", "v5", "the records' `FORMAT`: v5 (every field of versions 2 to 5) or default (AWS's default format, version 2)")
)

// TestWriteLogs writes the flow logs docs/performance.md verifies:
//
//	go test ./packet/flowlog/verify/verifytest -run TestWriteLogs -gen.out /tmp/flowlogs -gen.records 10000000 [-gen.format default]
//
// Without -gen.out it writes a few records to a temporary folder.
func TestWriteLogs(t *testing.T) {
	out, n := *genOut, *genRecords
	if out == "" {
		out, n = t.TempDir(), 1000
	}
	in, err := hcl.LoadBytes("example", examples.Default().State())
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	format := flowlog.AllFields()[:flowlog.FTrafficPath+1]
	switch *genFormat {
	case "v5":
	case "default":
		format = flowlog.DefaultFormat
	default:
		t.Fatalf("-gen.format %q: want v5 or default", *genFormat)
	}
	w, err := flowlog.NewS3Writer(flowlog.S3Options{Root: out, AccountID: "123456789012", Region: "us-east-1", FlowLog: "fl-0123abcd",
		Format: format})
	if err != nil {
		t.Fatal(err)
	}
	s := New(e, 1)
	written := 0
	for written < n {
		s.Records = s.Records[:0]
		if err := s.Random(10000); err != nil {
			t.Fatal(err)
		}
		for i := range s.Records {
			if err := w.Write(&s.Records[i]); err != nil {
				t.Fatal(err)
			}
		}
		written += len(s.Records)
	}
	keys, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d records in %d files under %s", written, len(keys), out)
}

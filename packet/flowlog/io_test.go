package flowlog

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sample is a record with every field set, and one with most "-".
func sample() []Record {
	r := Blank()
	r.Version, r.AccountID, r.InterfaceID = 5, "123456789012", "eni-1235b8ca123456789"
	r.SrcAddr, r.DstAddr = netip.MustParseAddr("10.0.0.71"), netip.MustParseAddr("52.95.128.179")
	r.SrcPort, r.DstPort, r.Protocol, r.Packets, r.Bytes = 34210, 80, 6, 7, 471
	r.Start, r.End, r.Action, r.LogStatus = 1616729292, 1616729349, Accept, StatusOK
	r.VPCID, r.SubnetID, r.InstanceID = "vpc-abcdefab012345678", "subnet-aaaaaaaa012345678", "i-0c50d5961bcb2d47b"
	r.TCPFlags, r.Type = 3, "IPv4"
	r.PktSrcAddr, r.PktDstAddr = r.SrcAddr, r.DstAddr
	r.Region, r.AZID, r.PktDstAWSService, r.FlowDirection, r.TrafficPath = "ap-southeast-2", "apse2-az3", "S3", Egress, 8
	n := Blank()
	n.Version, n.AccountID, n.InterfaceID, n.Start, n.End, n.LogStatus = 5, "123456789012", "eni-1", 1616729292, 1616729349, StatusNoData
	return []Record{r, n}
}

func TestTextRoundTrip(t *testing.T) {
	f := AllFields()
	var buf bytes.Buffer
	w, err := NewTextWriter(&buf, f, true)
	if err != nil {
		t.Fatal(err)
	}
	recs := sample()
	for i := range recs {
		w.Write(&recs[i])
	}
	w.Flush()
	if first, _, _ := strings.Cut(buf.String(), "\n"); first != f.Header() || !strings.HasPrefix(first, "version account-id interface-id srcaddr") {
		t.Fatalf("header %q", first)
	}
	// Read back, plain and gzipped, with the header giving the format.
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(buf.Bytes())
	zw.Close()
	for _, in := range [][]byte{buf.Bytes(), z.Bytes()} {
		r, err := NewTextReader(bytes.NewReader(in), nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range recs {
			got, err := r.Next()
			if err != nil {
				t.Fatal(err)
			}
			if *got != recs[i] {
				t.Fatalf("record %d:\n got %+v\nwant %+v", i, *got, recs[i])
			}
		}
		if _, err := r.Next(); err != io.EOF {
			t.Fatalf("after the last record: %v", err)
		}
	}
}

func TestTextReaderAWSLines(t *testing.T) {
	// AWS's published line, with its double space; no header, format given.
	f, _ := ParseFormat("${version} ${vpc-id} ${subnet-id} ${instance-id} ${interface-id} ${account-id} ${type} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${pkt-srcaddr} ${pkt-dstaddr} ${protocol} ${bytes} ${packets} ${start} ${end} ${action} ${tcp-flags} ${log-status}")
	line := "3 vpc-abcdefab012345678 subnet-aaaaaaaa012345678 i-01234567890123456 eni-1235b8ca123456789 123456789010 IPv4 10.0.0.62 52.213.180.42 5001 43638 10.0.0.62 52.213.180.42 6 967  14 1566933133 1566933193 ACCEPT 19 OK\n"
	r, err := NewTextReader(strings.NewReader(line+"\n"+line), f)
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		rec, err := r.Next()
		if err != nil {
			t.Fatal(err)
		}
		if rec.Bytes != 967 || rec.Packets != 14 || rec.TCPFlags != 19 {
			t.Fatalf("%+v", rec)
		}
		out, _ := f.AppendRecord(nil, rec)
		if string(out) != strings.Join(strings.Fields(line), " ") {
			t.Fatalf("rewritten %q", out)
		}
	}
	if _, err := r.Next(); err != io.EOF {
		t.Fatal(err)
	}
}

func TestTextReaderErrors(t *testing.T) {
	for name, tc := range map[string]struct {
		in   string
		f    Format
		want string
	}{
		"no header":        {"2 123 eni-1 - - - - - - - 1 2 - NODATA\n", nil, "line 1: not a header"},
		"unknown header":   {"version srcaddr dstadr\n", nil, `unknown field "dstadr"`},
		"short line":       {DefaultFormat.Header() + "\n2 123 eni-1\n", nil, "line 2: 3 fields, the format has 14"},
		"bad port":         {DefaultFormat.Header() + "\n2 123 eni-1 10.0.0.1 10.0.0.2 http 22 6 1 40 1 2 ACCEPT OK\n", nil, `line 2: field 6: srcport: "http" is not a number`},
		"bad address":      {DefaultFormat.Header() + "\n2 123 eni-1 10.0.0.300 10.0.0.2 1 22 6 1 40 1 2 ACCEPT OK\n", nil, "field 4: srcaddr"},
		"bad action":       {"2 123 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 40 1 2 ALLOW OK\n", DefaultFormat, `action: "ALLOW"`},
		"wrong header":     {"version srcaddr\n", DefaultFormat, "does not match the format"},
		"empty":            {"", nil, "empty file"},
		"time must be set": {"start end\n- 5\n", nil, "start: a record always has a time"},
	} {
		t.Run(name, func(t *testing.T) {
			r, err := NewTextReader(strings.NewReader(tc.in), tc.f)
			if err == nil {
				_, err = r.Next()
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	f, err := ParseFormat("${srcaddr} ${pkt-src-aws-service}  ${tcp-flags}")
	if err != nil || len(f) != 3 || f.Version() != 5 || f.String() != "${srcaddr} ${pkt-src-aws-service} ${tcp-flags}" {
		t.Fatalf("%v %v", f, err)
	}
	if DefaultFormat.Version() != 2 || len(DefaultFormat) != 14 {
		t.Fatal("default format")
	}
	if f, _ := ParseFormat("${ecs-task-id} ${srcaddr}"); f.Version() != 7 {
		t.Fatal("ECS fields are version 7")
	}
	for in, want := range map[string]string{
		"":                       "no field",
		"${srcaddr} ${dstadr}":   `unknown field "dstadr" (field 2); did you mean "dstaddr"?`,
		"${srcaddr":              "want ${name}",
		"$srcaddr":               "want ${name}",
		"${}":                    "want ${name}",
		"${srcaddr} ${srcaddr}":  "appears twice",
		"${nothing-like-a-name}": `unknown field "nothing-like-a-name" (field 1)`,
	} {
		if _, err := ParseFormat(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: %v, want %q", in, err, want)
		}
	}
}

func TestJSONAndCloudWatch(t *testing.T) {
	recs := sample()
	var buf bytes.Buffer
	w := NewJSONWriter(&buf, DefaultFormat)
	for i := range recs {
		w.Write(&recs[i])
	}
	w.Flush()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	var m []map[string]any
	for _, l := range lines {
		var x map[string]any
		if err := json.Unmarshal([]byte(l), &x); err != nil {
			t.Fatal(err)
		}
		m = append(m, x)
	}
	if m[0]["srcport"] != float64(34210) || m[0]["srcaddr"] != "10.0.0.71" || m[0]["action"] != "ACCEPT" || m[1]["srcaddr"] != nil || m[1]["log-status"] != "NODATA" {
		t.Fatalf("%v", m)
	}
	if _, ok := m[1]["action"]; !ok {
		t.Fatal("a field that does not apply must be null, not missing")
	}

	dir := t.TempDir()
	cw, err := NewCloudWatchWriter(dir, DefaultFormat)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		cw.Write(&recs[i])
	}
	names, err := cw.Close()
	if err != nil || len(names) != 2 || filepath.Base(names[1]) != "eni-1235b8ca123456789.jsonl" {
		t.Fatalf("%v %v", names, err)
	}
	b, _ := os.ReadFile(names[1])
	var ev struct {
		Timestamp int64  `json:"timestamp"`
		Message   string `json:"message"`
	}
	if err := json.Unmarshal(b, &ev); err != nil || ev.Timestamp != 1616729292000 || !strings.HasPrefix(ev.Message, "5 123456789012 eni-1235b8ca123456789 10.0.0.71 52.95.128.179 34210 80 6 7 471") {
		t.Fatalf("%+v %v", ev, err)
	}
}

func TestParquetRoundTrip(t *testing.T) {
	recs := sample()
	for _, f := range []Format{AllFields(), DefaultFormat} {
		var buf bytes.Buffer
		w, err := NewParquetWriter(&buf, f, nil)
		if err != nil {
			t.Fatal(err)
		}
		for range 1500 { // more than one batch
			for i := range recs {
				if err := w.Write(&recs[i]); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		r, err := NewParquetReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
		if err != nil {
			t.Fatal(err)
		}
		if got := r.Format(); len(got) != len(f) {
			t.Fatalf("format %v", got)
		}
		for n := 0; ; n++ {
			got, err := r.Next()
			if err == io.EOF {
				if n != 3000 {
					t.Fatalf("%d rows", n)
				}
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			want := project(recs[n%2], f)
			if *got != want {
				t.Fatalf("row %d:\n got %+v\nwant %+v", n, *got, want)
			}
		}
	}
	if _, err := NewParquetReader(strings.NewReader("PAR1 nonsense PAR1"), 18); err == nil {
		t.Error("damaged file: no error")
	}
}

// project keeps only the fields of f (others as Blank).
func project(r Record, f Format) Record {
	out := Blank()
	for _, x := range f {
		var b []byte
		b = AppendField(b, &r, x)
		out.SetField(x, string(b))
	}
	return out
}

func TestS3Layout(t *testing.T) {
	at := time.Date(2018, 6, 20, 16, 22, 0, 0, time.UTC)
	o := S3Options{AccountID: "123456789012", Region: "us-east-1", FlowLog: "fl-1234abcd"}
	slot := at.Truncate(S3FileInterval)
	for _, tc := range []struct {
		hive, hourly bool
		want         string
	}{
		{false, false, "AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20"},
		{false, true, "AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16"},
		{true, false, "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20"},
		{true, true, "AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16"},
	} {
		o.Hive, o.Hourly = tc.hive, tc.hourly
		if got := o.Dir(slot); got != tc.want {
			t.Errorf("hive %v hourly %v: %s", tc.hive, tc.hourly, got)
		}
	}
	// AWS's example file name.
	if got := o.Name(slot, "fe123456"); got != "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz" {
		t.Errorf("name %s", got)
	}

	// Files: one per 5-minute slot of the records' end, text with header.
	for _, pq := range []bool{false, true} {
		dir := t.TempDir()
		w, err := NewS3Writer(S3Options{Root: dir, AccountID: "123456789012", Region: "us-east-1", FlowLog: "fl-1234abcd", Parquet: pq})
		if err != nil {
			t.Fatal(err)
		}
		r := sample()[0]
		r.Version = 2
		for _, end := range []time.Time{at, at.Add(2 * time.Minute), at.Add(3 * time.Minute), at.Add(time.Hour)} {
			r.Start, r.End = end.Unix()-10, end.Unix()
			if err := w.Write(&r); err != nil {
				t.Fatal(err)
			}
		}
		keys, err := w.Close()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 3 || !strings.Contains(keys[0], "_20180620T1620Z_") || !strings.Contains(keys[1], "_20180620T1625Z_") || !strings.Contains(keys[2], "_20180620T1720Z_") {
			t.Fatalf("keys %v", keys)
		}
		var n int
		for _, k := range keys {
			path := filepath.Join(dir, filepath.FromSlash(k))
			if pq {
				fh, _ := os.Open(path)
				st, _ := fh.Stat()
				pr, err := NewParquetReader(fh, st.Size())
				if err != nil {
					t.Fatal(err)
				}
				for {
					if _, err := pr.Next(); err != nil {
						break
					}
					n++
				}
				fh.Close()
				continue
			}
			fh, _ := os.Open(path)
			tr, err := NewTextReader(fh, nil)
			if err != nil {
				t.Fatal(err)
			}
			for {
				if _, err := tr.Next(); err != nil {
					break
				}
				n++
			}
			fh.Close()
		}
		if n != 4 {
			t.Fatalf("parquet %v: %d records read back", pq, n)
		}
		// Nothing but the delivered files is left behind.
		var tmp []string
		filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
			if strings.HasSuffix(p, ".tmp") {
				tmp = append(tmp, p)
			}
			return nil
		})
		if len(tmp) > 0 {
			t.Fatalf("temporary files left: %v", tmp)
		}
	}
}

// TestTextReaderAddresses reads addresses the hand-written IPv4 parser must
// hand on to netip: IPv6 addresses whose first group reads as a number
// above 255 (AWS's public IPv6 ranges, 2600:…) or has three digits, and
// IPv4-mapped ones; it refuses what is no address.
func TestTextReaderAddresses(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"10.0.0.1", "10.0.0.1"},
		{"2600:1f18:1:101::10", "2600:1f18:1:101::10"},
		{"2001:db8::7", "2001:db8::7"},
		{"260::1", "260::1"},
		{"9999::1", "9999::1"},
		{"::ffff:10.0.0.1", "10.0.0.1"},
		{"10.0.0.300", ""},
		{"300.1.1.1", ""},
		{"10.0.0", ""},
	} {
		in := DefaultFormat.Header() + "\n2 123 eni-1 " + tc.in + " 10.0.0.2 1 22 6 1 40 1 2 ACCEPT OK\n"
		r, err := NewTextReader(strings.NewReader(in), nil)
		if err != nil {
			t.Fatal(err)
		}
		rec, err := r.Next()
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: read as %v", tc.in, rec.SrcAddr)
		case tc.want != "" && (err != nil || rec.SrcAddr.String() != tc.want):
			t.Errorf("%s: %v, %v; want %s", tc.in, rec, err, tc.want)
		}
	}
}

// TestCloudWatchStreamNames: an interface whose ID the input did not give
// (a load balancer's node, named by owner and subnet) gets a stream file of
// its escaped name; a name that would leave the log group is refused.
func TestCloudWatchStreamNames(t *testing.T) {
	dir := t.TempDir()
	cw, err := NewCloudWatchWriter(dir, DefaultFormat)
	if err != nil {
		t.Fatal(err)
	}
	r := sample()[0]
	r.InterfaceID = "aws_lb.web/subnet-0abc"
	if err := cw.Write(&r); err != nil {
		t.Fatal(err)
	}
	r.InterfaceID = ".."
	if err := cw.Write(&r); err == nil {
		t.Error(`interface ".." written`)
	}
	names, err := cw.Close()
	if err != nil || len(names) != 1 || filepath.Base(names[0]) != "aws_lb.web%2Fsubnet-0abc.jsonl" || filepath.Dir(names[0]) != dir {
		t.Fatalf("%v %v", names, err)
	}
}

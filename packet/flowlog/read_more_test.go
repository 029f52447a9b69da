package flowlog

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

const (
	cwLine1 = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
	cwLine2 = "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK"
)

// cwShapes are AWS's ways out of CloudWatch Logs for the same two records.
var cwShapes = map[string]string{
	"export task": "2014-12-14T04:06:50.000Z " + cwLine1 + "\n2014-12-14T04:06:50.000Z " + cwLine2 + "\n",
	"get-log-events": `{"events": [{"timestamp": 1418530010000, "message": "` + cwLine1 + `", "ingestionTime": 1418530070000},
	  {"timestamp": 1418530010000, "message": "` + cwLine2 + `", "ingestionTime": 1418530070000}],
	  "nextForwardToken": "f/1", "nextBackwardToken": "b/1"}`,
	"filter-log-events": `{"events": [{"logStreamName": "eni-1235b8ca123456789-all", "timestamp": 1418530010000, "message": "` + cwLine1 + `", "eventId": "1"},
	  {"logStreamName": "eni-1235b8ca123456789-all", "timestamp": 1418530010000, "message": "` + cwLine2 + `", "eventId": "2"}], "searchedLogStreams": []}`,
	"subscription payloads": `{"messageType": "CONTROL_MESSAGE", "owner": "CloudwatchLogs", "logGroup": "", "logStream": "", "subscriptionFilters": [], "logEvents": [{"id": "", "timestamp": 1418530010000, "message": "CWL CONTROL MESSAGE: Checking health of destination Firehose."}]}
{"messageType": "DATA_MESSAGE", "owner": "123456789010", "logGroup": "flowlogs", "logStream": "eni-1235b8ca123456789-all", "subscriptionFilters": ["all"], "logEvents": [{"id": "1", "timestamp": 1418530010000, "message": "` + cwLine1 + `"}]}{"messageType": "DATA_MESSAGE", "owner": "123456789010", "logGroup": "flowlogs", "logStream": "eni-1235b8ca123456789-all", "subscriptionFilters": ["all"], "logEvents": [{"id": "2", "timestamp": 1418530010000, "message": "` + cwLine2 + `"}]}`,
	"JSON lines": `{"timestamp":1418530010000,"message":"` + cwLine1 + `"}` + "\n" + `{"timestamp":1418530010000,"message":"` + cwLine2 + `"}` + "\n",
	"JSON array": `[{"timestamp":1418530010000,"message":"` + cwLine1 + `"},{"timestamp":1418530010000,"message":"` + cwLine2 + `"}]`,
}

func TestCloudWatchReader(t *testing.T) {
	for name, text := range cwShapes {
		for _, zip := range []bool{false, true} {
			data := []byte(text)
			if zip {
				var b bytes.Buffer
				zw := gzip.NewWriter(&b)
				zw.Write(data)
				zw.Close()
				data = b.Bytes()
			}
			r, err := NewCloudWatchReader(bytes.NewReader(data), nil)
			if err != nil {
				t.Fatalf("%s (gzip %v): %v", name, zip, err)
			}
			var got []string
			for {
				rec, err := r.Next()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s (gzip %v): %v", name, zip, err)
				}
				got = append(got, rec.String())
			}
			if strings.Join(got, "\n") != cwLine1+"\n"+cwLine2 {
				t.Errorf("%s (gzip %v): read\n%s", name, zip, strings.Join(got, "\n"))
			}
		}
	}
}

// TestCloudWatchReaderReadsWriter: what CloudWatchWriter writes reads back.
func TestCloudWatchReaderReadsWriter(t *testing.T) {
	dir := t.TempDir()
	w, err := NewCloudWatchWriter(dir, DefaultFormat)
	if err != nil {
		t.Fatal(err)
	}
	recs := sample()
	for i := range recs {
		if err := w.Write(&recs[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	n := 0
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewCloudWatchReader(fh, DefaultFormat)
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := r.Next(); err == io.EOF {
				break
			} else if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			n++
		}
		fh.Close()
	}
	if n != len(recs) {
		t.Errorf("read %d records back, wrote %d", n, len(recs))
	}
}

func TestCloudWatchReaderErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"yesterday " + cwLine1 + "\n", `line 1: "yesterday" is not an ISO 8601 timestamp`},
		{"2014-12-14T04:06:50.000Z\n", "line 1: want a timestamp, a space and a message"},
		{`{"events": [{"timestamp": 1}]}`, "an event without a message"},
		{`{"nothing": 1}`, "holds no events"},
		{`{"events": [`, "unexpected EOF"},
		{`{"events": [{"timestamp": 1, "message": "2 x"}]}`, "2 fields, the format has 14"},
	} {
		r, err := NewCloudWatchReader(strings.NewReader(c.in), nil)
		if err == nil {
			_, err = r.Next()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v; want %q", c.in, err, c.want)
		}
	}
}

func FuzzCloudWatchReader(f *testing.F) {
	for _, s := range cwShapes {
		f.Add([]byte(s))
	}
	f.Add([]byte(`[{"message": "2 1 eni-1 - - - - - - - 1 2 - NODATA"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewCloudWatchReader(bytes.NewReader(data), nil)
		if err != nil {
			return
		}
		for range 1000 {
			rec, err := r.Next()
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
			// A record read prints as a line that reads back the same.
			line := rec.String()
			again, err := NewTextReader(strings.NewReader(line+"\n"), DefaultFormat)
			if err != nil {
				t.Fatal(err)
			}
			rec2, err := again.Next()
			if err != nil || rec2.String() != line {
				t.Fatalf("%q reads back as %v, %v", line, rec2, err)
			}
		}
	})
}

func TestParseS3Key(t *testing.T) {
	slot := time.Date(2018, 6, 20, 16, 20, 0, 0, time.UTC)
	for _, c := range []struct {
		key        string
		hive, parq bool
		err        string
	}{
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz", false, false, ""},
		{"bucket/prefix/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.parquet", false, true, ""},
		{"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz", true, false, ""},
		{"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz", true, false, ""},
		{"123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz", false, false, ""},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/21/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz", false, false, `folder "21" does not match the file's day "20"`},
		{"AWSLogs/999999999999/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz", false, false, "account"},
		{"AWSLogs/123456789012/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz", false, false, "not S3 delivery's"},
		{"AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/flows.log.gz", false, false, "not a flow log file name"},
		{"123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20181320T1620Z_fe123456.log.gz", false, false, "is not a time"},
	} {
		o, err := ParseS3Key(c.key)
		switch {
		case c.err != "":
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("%s: error %v; want %q", c.key, err, c.err)
			}
		case err != nil:
			t.Errorf("%s: %v", c.key, err)
		case o.AccountID != "123456789012" || o.Region != "us-east-1" || o.FlowLog != "fl-1234abcd" || !o.Time.Equal(slot) || o.Hash != "fe123456" || o.Hive != c.hive || o.Parquet != c.parq:
			t.Errorf("%s: %+v", c.key, o)
		}
	}
}

// TestWalkS3 walks what S3Writer wrote, in slot order, with a stray file
// beside it.
func TestWalkS3(t *testing.T) {
	root := t.TempDir()
	w, err := NewS3Writer(S3Options{Root: root, AccountID: "123456789012", Region: "eu-west-1", FlowLog: "fl-0abc", Hive: true, Hourly: true})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4; i++ {
		r := sample()[0]
		r.Start, r.End = 1700000000+int64(i)*3600, 1700000000+int64(i)*3600+30
		if err := w.Write(&r); err != nil {
			t.Fatal(err)
		}
	}
	keys, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(root, "README"), []byte("x"), 0o644)
	objs, others, err := WalkS3(os.DirFS(root), ".")
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != len(keys) || len(others) != 1 || others[0] != "README" {
		t.Fatalf("walked %d objects (wrote %d), others %v", len(objs), len(keys), others)
	}
	for i, o := range objs {
		if o.Key != keys[i] || !o.Hive || i > 0 && !objs[i-1].Time.Before(o.Time) {
			t.Errorf("object %d: %+v; key %s", i, o, keys[i])
		}
	}
	// A file whose folders contradict its name is an error.
	bad := fstest.MapFS{"AWSLogs/123456789012/vpcflowlogs/eu-west-1/2023/11/15/123456789012_vpcflowlogs_us-east-1_fl-1_20231114T2210Z_ab.log.gz": {}}
	if _, _, err := WalkS3(bad, "."); err == nil || !strings.Contains(err.Error(), "region") {
		t.Errorf("walking a misplaced file: %v", err)
	}
}

func FuzzParseS3Key(f *testing.F) {
	f.Add("AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz")
	f.Add("AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2018/month=06/day=20/hour=16/123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.parquet")
	f.Fuzz(func(t *testing.T, key string) {
		o, err := ParseS3Key(key)
		if err != nil {
			return
		}
		// What parses names its slot and parts back: the name S3Options
		// gives them is the key's.
		opts := S3Options{AccountID: o.AccountID, Region: o.Region, FlowLog: o.FlowLog, Parquet: o.Parquet}
		if name := opts.Name(o.Time, o.Hash); !strings.HasSuffix(key, name) {
			t.Fatalf("%q parses to %+v, which names %q", key, o, name)
		}
	})
}

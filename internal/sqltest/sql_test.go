package sqltest

import (
	"bytes"
	"database/sql"
	"fmt"
	"maps"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify/verifytest"
	"github.com/vpcsim/vpcsim/reach"
)

// network is a VPC with public and private subnets (IPv4 and IPv6), an
// internet gateway, a NAT gateway, network ACLs and security groups that
// let some traffic through and not other.
func network(t *testing.T) *reach.Engine {
	n := verifytest.NewNet()
	n.VPC("vpc-1", "10.0.0.0/16", "2600:1f18:1:100::/56")
	n.Subnet("subnet-pub", "vpc-1", "us-east-1a", "10.0.1.0/24", "2600:1f18:1:101::/64")
	n.Subnet("subnet-app", "vpc-1", "us-east-1a", "10.0.2.0/24")
	n.IGW("igw-1", "vpc-1")
	n.RT("rtb-pub", "vpc-1", []string{"subnet-pub"}, "0.0.0.0/0 igw-1", "::/0 igw-1")
	n.RT("rtb-app", "vpc-1", []string{"subnet-app"}, "0.0.0.0/0 nat-1")
	n.NAT("nat-1", "eni-nat", "subnet-pub", "10.0.1.5", "54.0.0.5")
	n.SG("sg-web", "vpc-1", []string{"tcp 443 0.0.0.0/0", "tcp 443 ::/0", "tcp 22 198.51.100.0/24", "icmp - 0.0.0.0/0"}, []string{"all - 0.0.0.0/0", "all - ::/0"})
	n.SG("sg-app", "vpc-1", []string{"tcp 8080 10.0.1.0/24"}, []string{"tcp 443 0.0.0.0/0"})
	n.ACL("acl-pub", "vpc-1", []string{"subnet-pub"},
		[]string{"90 deny tcp 443 192.0.2.0/24", "100 allow tcp 443 0.0.0.0/0", "110 allow tcp 22 0.0.0.0/0", "120 allow tcp 32768-65535 0.0.0.0/0", "130 allow all - 10.0.0.0/16", "140 allow all - ::/0", "150 allow icmp - 0.0.0.0/0"},
		[]string{"100 allow all - 0.0.0.0/0", "110 allow all - ::/0"})
	n.ENI("eni-web", "subnet-pub", []string{"sg-web"}, "54.0.0.10", "10.0.1.10", "2600:1f18:1:101::10")
	n.ENI("eni-app", "subnet-app", []string{"sg-app"}, "", "10.0.2.10")
	e, err := n.Engine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// records are synthesised traffic, some of it altered as drift would show
// it, plus records of every other kind: an unknown interface, NODATA,
// records without a direction field, IPv6, ICMP.
func records(t *testing.T, e *reach.Engine) []flowlog.Record {
	s := verifytest.New(e, 7)
	if err := s.Random(800); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		from string
		h    reach.Header
	}{
		{"2001:db8::7", reach.Header{Src: netip.MustParseAddr("2001:db8::7"), Dst: netip.MustParseAddr("2600:1f18:1:101::10"), Proto: 6, SrcPort: 40000, DstPort: 443}},
		{"2001:db8::7", reach.Header{Src: netip.MustParseAddr("2001:db8::7"), Dst: netip.MustParseAddr("2600:1f18:1:101::10"), Proto: 6, SrcPort: 40001, DstPort: 22}},
		{"203.0.113.7", reach.Header{Src: netip.MustParseAddr("203.0.113.7"), Dst: netip.MustParseAddr("54.0.0.10"), Proto: 1, DstPort: 8}},
		{"192.0.2.33", reach.Header{Src: netip.MustParseAddr("192.0.2.33"), Dst: netip.MustParseAddr("54.0.0.10"), Proto: 6, SrcPort: 50000, DstPort: 443}},
	} {
		if err := s.Connect(c.from, c.h); err != nil {
			t.Fatal(err)
		}
	}
	recs := s.Records
	for i := range recs {
		r := &recs[i]
		switch i % 17 {
		case 3: // drift: the other action
			if r.Action == flowlog.Accept {
				r.Action = flowlog.Reject
			} else {
				r.Action = flowlog.Accept
			}
		case 5: // an older format: no direction, no packet addresses, no flags
			r.FlowDirection, r.PktSrcAddr, r.PktDstAddr, r.TCPFlags = flowlog.DirNone, netip.Addr{}, netip.Addr{}, -1
		case 7:
			r.InterfaceID = "eni-0notinthemodel"
		case 11:
			*r = flowlog.Blank()
			r.Version, r.InterfaceID, r.Start, r.End, r.LogStatus = 5, "eni-web", 1700000000, 1700000060, flowlog.StatusNoData
		}
	}
	return recs
}

func TestSQLAgreesWithVerify(t *testing.T) {
	e := network(t)
	recs := records(t, e)
	for _, c := range []struct {
		name   string
		format flowlog.Format
	}{{"version 5", flowlog.AllFields()[:flowlog.FTrafficPath+1]}, {"default", flowlog.DefaultFormat}} {
		t.Run(c.name, func(t *testing.T) { sqlAgrees(t, e, recs, c.format) })
	}
}

// sqlAgrees writes recs in format as Parquet, reads them back as
// verify-logs would, and checks that the SQL classifies them alike.
func sqlAgrees(t *testing.T, e *reach.Engine, recs []flowlog.Record, format flowlog.Format) {
	dir := t.TempDir()
	// The logs as AWS delivers them in Parquet, and the allowed rows.
	var lb bytes.Buffer
	pw, err := flowlog.NewParquetWriter(&lb, format, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range recs {
		pw.Write(&recs[i])
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	logs := filepath.Join(dir, "logs.parquet")
	os.WriteFile(logs, lb.Bytes(), 0o644)
	var ab bytes.Buffer
	if _, err := verify.WriteAllowedParquet(&ab, e); err != nil {
		t.Fatal(err)
	}
	allowed := filepath.Join(dir, "allowed.parquet")
	os.WriteFile(allowed, ab.Bytes(), 0o644)

	// verify-logs' classification of each record as read back, keyed by
	// its text.
	pr, err := flowlog.NewParquetReader(bytes.NewReader(lb.Bytes()), int64(lb.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var back []flowlog.Record
	for {
		r, err := pr.Next()
		if err != nil {
			break
		}
		back = append(back, *r)
	}
	if len(back) != len(recs) {
		t.Fatalf("read back %d records of %d", len(back), len(recs))
	}
	c := verify.NewClassifier(e, model.DefaultEphemeral)
	want := map[string]int{}
	classes := map[string]bool{}
	var line []byte
	for i := range back {
		v := c.Classify(&back[i])
		line, _ = format.AppendRecord(line[:0], &back[i])
		cause := ""
		if v.Class == verify.AcceptDenied || v.Class == verify.RejectAllowed {
			cause = v.Cause.String()
		}
		want[fmt.Sprintf("%s => %s %s", line, v.Class, cause)]++
		classes[v.Class.String()] = true
	}
	for _, k := range []string{"consistent", "accept-denied", "reject-allowed", "unknown-interface"} {
		if !classes[k] {
			t.Fatalf("the data set has no %s record: the test needs one", k)
		}
	}

	q, err := verify.SQL(verify.SQLOptions{Dialect: "duckdb", Logs: fmt.Sprintf("read_parquet('%s')", logs), Allowed: fmt.Sprintf("read_parquet('%s')", allowed), Format: format})
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query("SELECT * FROM (" + q + ") ORDER BY 1")
	if err != nil {
		t.Fatalf("%v\n%s", err, q)
	}
	cols, _ := rows.Columns()
	got := map[string]int{}
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		byName := map[string]any{}
		for i, c := range cols {
			byName[c] = vals[i]
		}
		r := flowlog.Blank()
		for _, f := range format {
			v, ok := byName[f.Column()]
			if !ok || v == nil {
				continue
			}
			if err := r.SetField(f, fmt.Sprint(v)); err != nil {
				t.Fatal(err)
			}
		}
		line, _ = format.AppendRecord(line[:0], &r)
		got[fmt.Sprintf("%s => %s %s", line, byName["vpcsim_class"], byName["vpcsim_cause"])]++
		n++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if n != len(recs) {
		t.Fatalf("the query returned %d rows for %d records", n, len(recs))
	}
	if !maps.Equal(got, want) {
		var diff []string
		for _, k := range slices.Sorted(maps.Keys(want)) {
			if got[k] != want[k] {
				diff = append(diff, fmt.Sprintf("verify %d, sql %d: %s", want[k], got[k], k))
			}
		}
		for _, k := range slices.Sorted(maps.Keys(got)) {
			if _, ok := want[k]; !ok {
				diff = append(diff, fmt.Sprintf("verify 0, sql %d: %s", got[k], k))
			}
		}
		t.Errorf("%d differences:\n%s", len(diff), strings.Join(diff[:min(len(diff), 20)], "\n"))
	}
	t.Logf("%d records, %d classes", n, len(classes))
}

// TestOtherDialectsParse parses the Athena/Trino and Spark variants with
// DuckDB's parser, where the dialects meet: their functions differ, their
// grammar does not.
func TestOtherDialectsParse(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, d := range []string{"athena", "spark", "duckdb"} {
		q, err := verify.SQL(verify.SQLOptions{Dialect: d})
		if err != nil {
			t.Fatal(err)
		}
		var out string
		if err := db.QueryRow("SELECT CAST(json_serialize_sql(?) AS VARCHAR)", q).Scan(&out); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out, `"error":true`) {
			t.Errorf("%s: %s", d, out)
		}
	}
}

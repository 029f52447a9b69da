package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify/verifytest"
	"github.com/vpcsim/vpcsim/reach"
)

// exampleLogs synthesises flow logs for the embedded example network and
// writes them as S3 delivery would (text, Hive-compatible folders) under a
// temporary folder, which it returns with the records.
func exampleLogs(t *testing.T, n int, parquet bool) (string, []flowlog.Record) {
	t.Helper()
	in, err := hcl.LoadBytes(exampleInput, examples.Default().State())
	if err != nil {
		t.Fatal(err)
	}
	return synthLogs(t, in, n, parquet)
}

// synthLogs synthesises n connections' flow logs for the input's network
// (see exampleLogs).
func synthLogs(t *testing.T, in *hcl.Input, n int, parquet bool) (string, []flowlog.Record) {
	t.Helper()
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	s := verifytest.New(e, 1)
	if err := s.Random(n); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	w, err := flowlog.NewS3Writer(flowlog.S3Options{Root: dir, AccountID: "123456789012", Region: "us-east-1", FlowLog: "fl-0123abcd",
		Hive: true, Parquet: parquet, Format: flowlog.AllFields()[:29]})
	if err != nil {
		t.Fatal(err)
	}
	for i := range s.Records {
		if err := w.Write(&s.Records[i]); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir, s.Records
}

func TestVerifyLogsConsistent(t *testing.T) {
	for _, parquet := range []bool{false, true} {
		dir, recs := exampleLogs(t, 500, parquet)
		var out, errb bytes.Buffer
		code := run([]string{"verify-logs", "--logs", dir, "--format", "json"}, nil, &out, &errb)
		if code != 0 {
			t.Fatalf("parquet %v: exit %d\n%s\n%s", parquet, code, errb.String(), out.String())
		}
		var res struct {
			Records struct{ Total, Consistent int64 }
			Rules   []struct{ Used bool }
		}
		if err := json.Unmarshal(out.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		if res.Records.Total != int64(len(recs)) || res.Records.Consistent != res.Records.Total || len(res.Rules) == 0 {
			t.Errorf("parquet %v: %+v for %d records", parquet, res.Records, len(recs))
		}
		if !strings.Contains(errb.String(), "records from") {
			t.Errorf("no progress line on stderr: %q", errb.String())
		}
	}
}

// Logs of an estate with every kind of load balancer (web-platform:
// Application, Network and Classic, targets of Auto Scaling groups and
// instances) verify as consistent: the records of the nodes' interfaces, of
// the connections they open and of the clients' addresses a Network Load
// Balancer brings are decided as the packet walker decided them.
func TestVerifyLogsLoadBalancers(t *testing.T) {
	const state = "../../examples/web-platform/terraform.tfstate"
	in, err := hcl.Load(state)
	if err != nil {
		t.Fatal(err)
	}
	dir, recs := synthLogs(t, in, 800, false)
	nodes := 0
	for _, r := range recs {
		if strings.HasPrefix(r.InterfaceID, "aws_lb.") || strings.HasPrefix(r.InterfaceID, "aws_elb.") {
			nodes++
		}
	}
	if nodes == 0 {
		t.Fatal("no record of a load balancer's node: the test proves nothing")
	}
	var out, errb bytes.Buffer
	if code := run([]string{"verify-logs", "--in", state, "--logs", dir, "--format", "json"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, errb.String(), out.String())
	}
}

// TestVerifyLogsInconsistent: a record AWS rejected that the model allows
// exits 3, names it, and --records lists it.
func TestVerifyLogsInconsistent(t *testing.T) {
	_, recs := exampleLogs(t, 200, false)
	var buf bytes.Buffer
	w, _ := flowlog.NewTextWriter(&buf, flowlog.AllFields()[:29], true)
	flipped := false
	for i := range recs {
		r := recs[i]
		if !flipped && r.Action == flowlog.Accept && r.FlowDirection == flowlog.Ingress && r.TCPFlags == 2 {
			r.Action, flipped = flowlog.Reject, true
		}
		w.Write(&r)
	}
	w.Flush()
	dir := t.TempDir()
	logs := filepath.Join(dir, "flows.log")
	os.WriteFile(logs, buf.Bytes(), 0o644)
	list := filepath.Join(dir, "bad.csv")
	for _, format := range []string{"text", "json", "csv", "markdown"} {
		var out, errb bytes.Buffer
		code := run([]string{"verify-logs", "--logs", logs, "--format", format, "--records", list}, nil, &out, &errb)
		if code != 3 {
			t.Fatalf("%s: exit %d; want 3\n%s", format, code, errb.String())
		}
		if !strings.Contains(out.String(), "reject-allowed") {
			t.Errorf("%s: the finding is missing:\n%s", format, out.String())
		}
	}
	b, err := os.ReadFile(list)
	if err != nil || strings.Count(string(b), "\n") != 2 || !strings.Contains(string(b), "reject-allowed,drift") {
		t.Errorf("--records wrote %q, %v", b, err)
	}
}

func TestVerifyLogsErrors(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.log")
	os.WriteFile(bad, []byte("version srcaddr\n2 10.0.0.1 extra\n"), 0o644)
	for _, c := range []struct {
		args []string
		code int
		msg  string
	}{
		{[]string{"verify-logs"}, 2, "--logs"},
		{[]string{"verify-logs", "--logs", filepath.Join(dir, "none")}, 1, "no such file"},
		{[]string{"verify-logs", "--logs", bad}, 1, "bad.log: flow log: line 2: 3 fields, the format has 2"},
		{[]string{"verify-logs", "--logs", bad, "--log-format", "${srcadr}"}, 2, `did you mean "srcaddr"`},
	} {
		var out, errb bytes.Buffer
		if code := run(c.args, nil, &out, &errb); code != c.code || !strings.Contains(errb.String(), c.msg) {
			t.Errorf("%v: exit %d, %q; want %d and %q", c.args, code, errb.String(), c.code, c.msg)
		}
		if out.Len() > 0 {
			t.Errorf("%v: wrote %q on stdout", c.args, out.String())
		}
	}
}

func TestExport(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "allowed.parquet")
	var stdout, errb bytes.Buffer
	if code := run([]string{"export", "allowed", "--out", out}, nil, &stdout, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	b, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(b, []byte("PAR1")) || stdout.Len() != 0 {
		t.Fatalf("export allowed wrote %d bytes (%v), stdout %q", len(b), err, stdout.String())
	}
	stdout.Reset()
	if code := run([]string{"export", "allowed", "--format", "csv", "--out", "-"}, nil, &stdout, &errb); code != 0 || !strings.HasPrefix(stdout.String(), "iface_key,interface,direction,filter") {
		t.Fatalf("csv: exit %d: %.200s", code, stdout.String())
	}
	for _, d := range []string{"athena", "spark", "duckdb"} {
		stdout.Reset()
		if code := run([]string{"export", "sql", "--format", d}, nil, &stdout, &errb); code != 0 || !strings.Contains(stdout.String(), "vpcsim_class") {
			t.Errorf("%s: exit %d", d, code)
		}
	}
	errb.Reset()
	if code := run([]string{"export", "sql", "--format", "mysql"}, nil, &stdout, &errb); code != 2 || !strings.Contains(errb.String(), "athena, spark, duckdb") {
		t.Errorf("an unknown dialect: exit %d, %q", code, errb.String())
	}
	if code := run([]string{"export", "allowed"}, nil, &stdout, &errb); code != 2 {
		t.Errorf("no --out: exit %d", code)
	}
}

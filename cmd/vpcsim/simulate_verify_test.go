package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// v5Format is a version 5 custom format: every field verify-logs reads to
// place a record (direction, packet addresses, flags, subnet).
const v5Format = "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} " +
	"${start} ${end} ${action} ${log-status} ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} " +
	"${region} ${az-id} ${flow-direction} ${traffic-path}"

// verifyResult is the part of verify-logs' JSON these tests read.
type verifyResult struct {
	Records struct {
		Total, Consistent, Undetermined int64
		AcceptDenied                    int64 `json:"accept_denied"`
		RejectAllowed                   int64 `json:"reject_allowed"`
		UnknownInterface                int64 `json:"unknown_interface"`
		NoData, SkipData                int64
	}
	Findings []struct {
		Class, Cause, Direction, Protocol string
		InterfaceID                       string `json:"interface_id"`
		Port                              int
		SecurityGroups                    []struct{ Address string } `json:"security_groups"`
	}
}

var simulatedRecords = regexp.MustCompile(`(?m)^(\d+) flow-log records$`)

// simulateThenVerify runs vpcsim simulate on input (none: the embedded
// example) into a fresh folder, then vpcsim verify-logs on what it wrote,
// against verifyArgs' network; it returns the records simulate reported,
// verify-logs' exit status and its JSON.
func simulateThenVerify(t *testing.T, input []string, simArgs []string, logs string, verifyArgs ...string) (int64, int, verifyResult) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sim")
	out, errOut, code := runCmd("", append(append(append([]string{"simulate"}, input...), "--logs", dir, "--seed", "5"), simArgs...)...)
	if code != 0 {
		t.Fatalf("simulate: exit %d: %s", code, errOut)
	}
	m := simulatedRecords.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("simulate's summary names no record count:\n%s", out)
	}
	n, _ := strconv.ParseInt(m[1], 10, 64)
	args := append(append([]string{"verify-logs"}, verifyArgs...), "--logs", filepath.Join(dir, logs), "--format", "json")
	vout, verr, vcode := runCmd("", args...)
	var res verifyResult
	if err := json.Unmarshal([]byte(vout), &res); err != nil {
		t.Fatalf("verify-logs: exit %d, %v: %s\n%s", vcode, err, verr, vout)
	}
	return n, vcode, res
}

// TestSimulateThenVerifyLogs is the end-to-end proof that the walker's flow
// logs and verify-logs' reading of the model agree: the logs simulate
// writes for a network (every record of every interface the packets cross,
// accepted and rejected: the derived scenario's port scans and denied
// probes included) verify against that network with no inconsistency, in
// the default format, in version 5 delivered as S3 would, and in Parquet,
// on the examples (a three-tier VPC with a NAT gateway; a hub and spokes on
// a transit gateway, whose attachment interfaces the walker invents and
// verify-logs finds by subnet; peering and gateway endpoints) and on a plan
// pre-check case.
func TestSimulateThenVerifyLogs(t *testing.T) {
	atRoot(t)
	inputs := []struct {
		name string
		in   []string
	}{
		{"embedded", nil},
		{"hub-spoke", []string{"examples/hub-spoke/terraform.tfstate"}},
		{"peering-endpoints", []string{"examples/peering-endpoints/terraform.tfstate"}},
		{"open-ssh-world", []string{"examples/plancheck/open-ssh-world/plan.json"}},
	}
	outputs := []struct {
		name string
		args []string
		logs string
		// v2 is set for the default format, which says too little for two
		// networks' logs (below).
		v2 bool
	}{
		{"default text", []string{"--flow-logs", "text"}, "flowlogs.log", true},
		{"v5 s3", []string{"--flow-logs", "s3-hive", "--log-format", v5Format, "--interval", "1m"}, "AWSLogs", false},
		{"v5 parquet", []string{"--flow-logs", "parquet", "--log-format", v5Format}, "flowlogs.parquet", false},
	}
	for _, in := range inputs {
		for _, o := range outputs {
			if o.v2 && in.name == "hub-spoke" {
				// The default format has no subnet-id, by which verify-logs
				// finds a transit gateway attachment's interfaces (their IDs
				// are not in the input; the walker invents them), and no
				// tcp-flags or flow-direction: the hub's directory serves on
				// 49152 and up, above its clients' ports, where verify-logs'
				// rule for replies without flags takes the lower port for the
				// server's (docs/verify.md). TestSimulateThenVerifyV2Limits
				// pins both.
				continue
			}
			t.Run(in.name+"/"+o.name, func(t *testing.T) {
				n, code, res := simulateThenVerify(t, in.in, o.args, o.logs, in.in...)
				if code != 0 || res.Records.Total != n || res.Records.Consistent != n || len(res.Findings) != 0 {
					t.Errorf("simulate wrote %d records; verify-logs exits %d with %+v and %d findings: %+v", n, code, res.Records, len(res.Findings), res.Findings)
				}
				if n < 100 {
					t.Errorf("only %d records: the scenario exercises too little", n)
				}
			})
		}
	}
}

// TestSimulateThenVerifyDrift: the logs of the network after a change that
// opens SSH to the world on the web server, held against the network before
// it, are inconsistent exactly there — SSH from the internet accepted at the
// web server's interface where its security group admits none — and
// verify-logs exits 3.
func TestSimulateThenVerifyDrift(t *testing.T) {
	atRoot(t)
	plan := "examples/plancheck/open-ssh-world/plan.json"
	n, code, res := simulateThenVerify(t, []string{plan}, []string{"--flow-logs", "text"}, "flowlogs.log", plan, "--before")
	if code != 3 || res.Records.AcceptDenied == 0 || res.Records.Consistent+res.Records.AcceptDenied != n || len(res.Findings) == 0 {
		t.Fatalf("exit %d, %+v of %d records", code, res.Records, n)
	}
	for _, f := range res.Findings {
		if f.Class != "accept-denied" || f.Cause != "security-group" || f.Direction != "ingress" || f.Protocol != "tcp" || f.Port != 22 ||
			len(f.SecurityGroups) != 1 || f.SecurityGroups[0].Address != "aws_security_group.web" {
			t.Errorf("unexpected finding %+v", f)
		}
	}
}

// TestSimulateThenVerifyV2Limits pins what the default format cannot tell
// verify-logs about the hub-and-spoke example's simulated traffic, and
// that nothing else disagrees: records on the transit gateway attachments'
// interfaces (the walker's invented IDs, no subnet-id to find them by) are
// on interfaces the model lacks, and the only records judged against the
// rules are the directory's, whose server port (49152 and up) is above its
// clients' (no tcp-flags to tell a reply).
func TestSimulateThenVerifyV2Limits(t *testing.T) {
	atRoot(t)
	in := []string{"examples/hub-spoke/terraform.tfstate"}
	n, code, res := simulateThenVerify(t, in, []string{"--flow-logs", "text"}, "flowlogs.log", in...)
	r := res.Records
	if code != 3 || r.UnknownInterface == 0 || r.RejectAllowed != 0 || r.Undetermined != 0 || r.Consistent+r.UnknownInterface+r.AcceptDenied != n {
		t.Fatalf("exit %d, %+v of %d records", code, r, n)
	}
	for _, f := range res.Findings {
		if f.Class != "accept-denied" || f.Port < 32768 || len(f.SecurityGroups) != 1 || f.SecurityGroups[0].Address != "module.shared.aws_security_group.directory" {
			t.Errorf("unexpected finding %+v", f)
		}
	}
}

// TestSimulateNoDataSkipData: with --nodata and --max-flows, simulate writes
// NODATA records for the intervals in which an interface saw nothing and
// SKIPDATA where it kept only the first records, as AWS does (cases/
// flowlogs.md, example 2); verify-logs reads them as such, and everything
// else stays consistent.
func TestSimulateNoDataSkipData(t *testing.T) {
	n, code, res := simulateThenVerify(t, nil, []string{"--flow-logs", "text", "--interval", "1m", "--nodata", "--max-flows", "20"}, "flowlogs.log")
	r := res.Records
	if code != 0 || r.NoData == 0 || r.SkipData == 0 || r.Consistent+r.NoData+r.SkipData != n || len(res.Findings) != 0 {
		t.Errorf("exit %d, %+v of %d records", code, r, n)
	}
	_, errOut, code := runCmd("", "simulate", "--logs", t.TempDir(), "--max-flows", "-1")
	if code != 2 || !strings.Contains(errOut, "--max-flows: -1 is negative") {
		t.Errorf("--max-flows -1: exit %d, %s", code, errOut)
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSimulate(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "bad.hcl")
	if err := os.WriteFile(bad, []byte("duration = \"ten\"\ntraffic \"web\" {\n  from = \"internet\"\n  to   = \"aws_instance.web\"\n  prot = \"tcp\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unknown := filepath.Join(t.TempDir(), "unknown.hcl")
	if err := os.WriteFile(unknown, []byte("traffic \"web\" {\n  from = \"internet\"\n  to   = \"aws_instance.bastoin\"\n  port = 443\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	runCases(t, "simulate", []cliCase{
		{name: "print the derived scenario", args: []string{"simulate", "--print-scenario"}, golden: "default-scenario.hcl", anyStderr: true},
		{name: "no output folder", args: []string{"simulate"}, code: 2, stderr: []string{"simulate needs --logs DIR"}},
		{name: "bad interval", args: []string{"simulate", "--logs", "x", "--interval", "5m"}, code: 2, stderr: []string{"--interval: AWS aggregates over 1m or 10m, not 5m0s"}},
		{name: "bad output", args: []string{"simulate", "--logs", "x", "--flow-logs", "text,csv"}, code: 2, stderr: []string{`--flow-logs: unknown output "csv"`}},
		{name: "bad format", args: []string{"simulate", "--logs", "x", "--log-format", "${version} ${dstadr}"}, code: 2, stderr: []string{`did you mean "dstaddr"?`}},
		{name: "bad scenario", args: []string{"simulate", "--logs", filepath.Join(t.TempDir(), "o"), "--scenario", bad}, code: 1,
			stderr: []string{"bad.hcl:1:12: error: duration: \"ten\" is not a duration", `bad.hcl:5:3: error: unsupported argument: an argument named "prot" is not expected here`, `bad.hcl:2:1: error: traffic "web": port is required for tcp`}},
		{name: "unknown target", args: []string{"simulate", "--logs", filepath.Join(t.TempDir(), "o"), "--scenario", unknown}, code: 1,
			stderr: []string{`unknown.hcl:3:10: error: aws_instance.bastoin: unknown endpoint "aws_instance.bastoin"`, "did you mean aws_instance.bastion?"}},
		{name: "missing scenario", args: []string{"simulate", "--logs", "x", "--scenario", "nope.hcl"}, code: 1, stderr: []string{"nope.hcl"}},
	})
}

// TestSimulateRun runs the embedded example's derived scenario into a
// folder: every output there, nothing left half-written, the summary on
// stdout, the phases on stderr; a capture that replays through walk to the
// same fates; and the same files again from the same seed.
func TestSimulateRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sim")
	args := []string{"simulate", "--logs", dir, "--flow-logs", "text,gzip,s3,s3-hive,parquet,jsonl,cloudwatch", "--pcap", "--interval", "1m", "--seed", "3"}
	out, errOut, code := runCmd("", args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"simulated 10m0s from 2024-06-03T09:00:00Z", "sessions", "flow-log records", "wrote " + filepath.Join(dir, "flowlogs.log")} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	for _, want := range []string{"loading the network", "simulating 10m0s of traffic", "writing " + dir} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
	var files []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			files = append(files, strings.TrimPrefix(p, dir+string(filepath.Separator)))
			if strings.HasPrefix(fi.Name(), ".") {
				t.Errorf("a temporary file is left: %s", p)
			}
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(files, "\n")
	for _, want := range []string{"flowlogs.log", "flowlogs.log.gz", "flowlogs.parquet", "flowlogs.jsonl", "capture.pcap", "cloudwatch/eni-",
		"AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/06/03/123456789012_vpcflowlogs_us-east-1_fl-0123456789abcdef0_20240603T0900Z_",
		"AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/aws-region=us-east-1/year=2024/month=06/day=03/"} {
		if !strings.Contains(all, want) {
			t.Errorf("no %s among:\n%s", want, all)
		}
	}
	replayed, errOut, code := runCmd("", "walk", "--pcap", filepath.Join(dir, "capture.pcap"))
	// Nothing on stderr but the embedded example's note of its load
	// balancer's placeholder addresses.
	if code != 3 || strings.TrimSuffix(errOut, "\n") != "vpcsim: examples/three-tier/terraform.tfstate (embedded): 2 notes about the input; --verbose prints them" {
		t.Errorf("replay: exit %d %s", code, errOut)
	}
	// The summary line counts what the simulation's does.
	if s := summary(replayed); !strings.Contains(out, strings.Split(s, ":")[0]) {
		t.Errorf("the replay walks %q; the simulation said:\n%s", s, out)
	}
	// The same seed writes the same bytes.
	dir2 := filepath.Join(t.TempDir(), "again")
	args[2] = dir2
	if _, errOut, code := runCmd("", args...); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, f := range files {
		a, _ := os.ReadFile(filepath.Join(dir, f))
		b, err := os.ReadFile(filepath.Join(dir2, f))
		if err != nil || string(a) != string(b) {
			t.Errorf("%s differs between two runs with one seed", f)
		}
	}
}

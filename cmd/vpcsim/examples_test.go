package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestExampleOutputs pins what vpcsim answers on the example estates: the
// exposure report of each, and traces of the flows their READMEs discuss,
// in text and JSON.
func TestExampleOutputs(t *testing.T) {
	state := func(name string) string { return "../../examples/" + name + "/terraform.tfstate" }
	type run struct {
		golden string
		args   []string
		code   int
	}
	var runs []run
	for _, name := range []string{"three-tier", "hub-spoke", "peering-endpoints", "web-platform"} {
		runs = append(runs,
			run{name + "-inspect.txt", []string{"inspect", "--in", state(name)}, 0},
			run{name + "-config-inspect.txt", configArgs(name), 0},
			run{name + "-report.txt", []string{"report", "--in", state(name)}, 0},
			run{name + "-report.json", []string{"report", "--in", state(name), "--format", "json"}, 0},
			run{name + "-matrix.txt", []string{"matrix", "--in", state(name), "--internet"}, 0},
		)
	}
	runs = append(runs,
		// three-tier: SSH to the bastion (finding 1); app to database, whose
		// replies pass for part of the client ports only (finding 3).
		run{"three-tier-bastion-ssh.txt", []string{"trace", "--in", state("three-tier"), "--from", "internet", "--to", "aws_instance.bastion", "--protocol", "tcp", "--port", "22"}, 0},
		run{"three-tier-app-db.txt", []string{"trace", "--in", state("three-tier"), "--from", "10.0.10.71", "--to", "10.0.20.45", "--protocol", "tcp", "--port", "5432"}, 0},
		run{"three-tier-app-db.json", []string{"trace", "--in", state("three-tier"), "--from", "10.0.10.71", "--to", "10.0.20.45", "--protocol", "tcp", "--port", "5432", "--format", "json"}, 0},
		// hub-spoke: prod to the internet through the shared NAT; a reply
		// that dies in the zone without an attachment (finding 1).
		run{"hub-spoke-prod-internet.txt", []string{"trace", "--in", state("hub-spoke"), "--from", "10.1.0.23", "--to", "140.82.112.3", "--protocol", "tcp", "--port", "443"}, 0},
		run{"hub-spoke-dc-dev2.txt", []string{"trace", "--in", state("hub-spoke"), "--from", "10.100.10.10", "--to", "10.2.1.66", "--protocol", "tcp", "--port", "22"}, 3},
		run{"hub-spoke-dc-dev2.json", []string{"trace", "--in", state("hub-spoke"), "--from", "10.100.10.10", "--to", "10.2.1.66", "--protocol", "tcp", "--port", "22", "--format", "json"}, 3},
		// peering-endpoints: a missing return route (finding 1); IPv6 out
		// through the egress-only gateway.
		run{"peering-app2-db.txt", []string{"trace", "--in", state("peering-endpoints"), "--from", "10.10.1.204", "--to", "10.20.0.55", "--protocol", "tcp", "--port", "5432"}, 3},
		run{"peering-ipv6-out.txt", []string{"trace", "--in", state("peering-endpoints"), "--from", "2600:1f18:6a3:e400:4c2e:91a7:3d05:8b1e", "--to", "2606:4700::6810:84e5", "--protocol", "tcp", "--port", "443"}, 0},
		// The same estate read from its Terraform configuration: the same
		// findings, with placeholder addresses where apply would assign them.
		run{"three-tier-config-report.txt", []string{"report", "--in", "../../examples/three-tier"}, 0},
		// web-platform: through the ALB to the web servers and the API
		// instances (flows 1-2); the NLB keeps the clients' addresses (flows
		// 5-6); a target reachable only through its load balancer (flow 4);
		// an internal load balancer (flow 9); the RDP group (finding 1).
		run{"web-platform-web-443.txt", []string{"trace", "--in", state("web-platform"), "--from", "internet", "--to", "aws_lb.web", "--protocol", "tcp", "--port", "443"}, 0},
		run{"web-platform-web-443.json", []string{"trace", "--in", state("web-platform"), "--from", "internet", "--to", "aws_lb.web", "--protocol", "tcp", "--port", "443", "--format", "json"}, 0},
		run{"web-platform-ingest-office.txt", []string{"trace", "--in", state("web-platform"), "--from", "198.51.100.7", "--to", "aws_lb.ingest", "--protocol", "tcp", "--port", "6514"}, 0},
		run{"web-platform-ingest-other.txt", []string{"trace", "--in", state("web-platform"), "--from", "192.0.2.77", "--to", "aws_lb.ingest", "--protocol", "tcp", "--port", "6514"}, 3},
		run{"web-platform-web-a-direct.txt", []string{"trace", "--in", state("web-platform"), "--from", "internet", "--to", `aws_instance.web["a"]`, "--protocol", "tcp", "--port", "8080"}, 0},
		run{"web-platform-internal.txt", []string{"trace", "--in", state("web-platform"), "--from", "internet", "--to", "aws_lb.internal", "--protocol", "tcp", "--port", "80"}, 3},
		run{"web-platform-rdp.txt", []string{"trace", "--in", state("web-platform"), "--from", "internet", "--to", "aws_autoscaling_group.rdp", "--protocol", "tcp", "--port", "3389"}, 0},
		// The same estate read from its configuration, its plan and an AWS
		// CLI snapshot of the account: the same findings.
		run{"web-platform-config-report.txt", []string{"report", "--in", "../../examples/web-platform"}, 0},
		run{"web-platform-plan-report.txt", []string{"report", "--in", "../../examples/web-platform/plan.json"}, 0},
		run{"web-platform-snapshot-report.txt", []string{"report", "--in", "../../examples/web-platform/snapshot"}, 0},
		run{"web-platform-snapshot-inspect.txt", []string{"inspect", "--in", "../../examples/web-platform/snapshot"}, 0},
	)
	for _, r := range runs {
		t.Run(r.golden, func(t *testing.T) {
			out, errOut, code := runCmd("", r.args...)
			if code != r.code {
				t.Fatalf("exit code %d, want %d; stderr:\n%s", code, r.code, errOut)
			}
			goldenFile(t, filepath.Join("testdata", "examples", r.golden), out)
		})
	}
}

// configArgs inspects an example's configuration, with its data-values file
// when it has one, as a user would.
func configArgs(name string) []string {
	dir := "../../examples/" + name
	args := []string{"inspect", "--in", dir}
	if _, err := os.Stat(dir + "/data-values.json"); err == nil {
		args = append(args, "--data-values", dir+"/data-values.json")
	}
	return args
}

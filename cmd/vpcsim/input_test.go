package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// loading is where the minimal loading reproductions are.
const loading = "../../hcl/testdata/loading/"

// exampleMarkers are what any output about the embedded example shows.
var exampleMarkers = []string{"(embedded)", "three-tier", "examples/"}

// TestNoDemoWhenInputNamed runs every command on a named input, given with
// --in and as an argument: none analyses the embedded example, and an empty
// --in is a usage error, not the example.
func TestNoDemoWhenInputNamed(t *testing.T) {
	input := corpus + "leajd_networking.tfstate"
	commands := [][]string{
		{"report"}, {"report", "--format", "json"}, {"matrix"}, {"graph"}, {"inspect"},
		{"trace", "--from", "internet", "--to", "10.0.1.10", "--protocol", "tcp", "--port", "22"},
	}
	for _, c := range commands {
		for _, how := range []string{"--in", "argument"} {
			args := append([]string{}, c...)
			if how == "--in" {
				args = append(args, "--in", input)
			} else {
				args = append(args, input)
			}
			t.Run(strings.Join(args[:1], " ")+" "+how, func(t *testing.T) {
				out, errOut, code := runCmd("", args...)
				if code != 0 && code != 3 {
					t.Fatalf("exit %d:\n%s", code, errOut)
				}
				for _, m := range exampleMarkers {
					if strings.Contains(out, m) || strings.Contains(errOut, m) {
						t.Errorf("output mentions %q: the example was analysed instead of %s\n%s%s", m, input, out, errOut)
					}
				}
			})
		}
		t.Run(c[0]+" empty --in", func(t *testing.T) {
			out, errOut, code := runCmd("", append(append([]string{}, c...), "--in", "")...)
			if code != 2 || out != "" || !strings.Contains(errOut, "an input path is empty") {
				t.Errorf("exit %d, stdout %q, stderr:\n%s", code, out, errOut)
			}
		})
	}
}

// TestReportPrintsCaveats runs report on an input whose load gives
// warnings: their number is on stderr, each of them with --verbose, and the
// report carries them as notes in every format (JSON "notes", SARIF tool
// notifications, Markdown, HTML, text), once each.
func TestReportPrintsCaveats(t *testing.T) {
	input := loading + "ipv6-cidrsubnet-a"
	_, errOut, code := runCmd("", "report", input)
	if code != 0 || !strings.Contains(errOut, "2 warnings about the input; --verbose prints them") {
		t.Errorf("exit %d, stderr:\n%s", code, errOut)
	}
	_, errOut, code = runCmd("", "report", "--verbose", input)
	if code != 0 || !strings.Contains(errOut, "warning: aws_vpc.v: ipv6_cidr_block is not known until apply") ||
		!strings.Contains(errOut, "warning: aws_subnet.s: ipv6_cidr_block is not known until apply") {
		t.Errorf("--verbose: exit %d, stderr:\n%s", code, errOut)
	}
	out, _, code := runCmd("", "report", "--format", "json", input)
	var rep struct {
		Notes []struct{ Code, Severity, Component, Message, File string }
	}
	if err := json.Unmarshal([]byte(out), &rep); code != 0 || err != nil {
		t.Fatalf("json: exit %d, %v\n%s", code, err, out)
	}
	var input0 []string
	for _, n := range rep.Notes {
		if n.Code == "INPUT" {
			input0 = append(input0, n.Severity+" "+n.Component+": "+n.Message)
		}
	}
	if len(input0) != 2 || !strings.Contains(input0[0]+input0[1], "warning aws_vpc.v: ipv6_cidr_block is not known until apply") ||
		!strings.Contains(input0[0]+input0[1], "warning aws_subnet.s: ipv6_cidr_block is not known until apply") {
		t.Errorf("JSON notes of the input: %q", input0)
	}
	for format, want := range map[string]string{
		"sarif":    `"toolExecutionNotifications"`,
		"markdown": `ipv6\_cidr\_block is not known until apply`,
		"html":     "ipv6_cidr_block is not known until apply",
		"text":     "note     INPUT: " + input,
	} {
		out, _, code := runCmd("", "report", "--format", format, input)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("%s: exit %d, no %q in\n%s", format, code, want, out)
		}
	}
	// trace, matrix and graph carry them too.
	for _, args := range [][]string{
		{"trace", "--from", "internet", "--to", "10.0.1.10", "--protocol", "tcp", "--port", "22", "--format", "json"},
		{"matrix", "--format", "json"}, {"matrix"}, {"graph"}, {"graph", "--format", "mermaid"},
	} {
		out, _, code := runCmd("", append(args, input)...)
		if (code != 0 && code != 3) || strings.Count(out, "ipv6_cidr_block is not known until apply") != 2 {
			t.Errorf("%v: exit %d, the two warnings are not in\n%s", args, code, out)
		}
		if strings.Contains(strings.Join(args, " "), "json") && !json.Valid([]byte(out)) {
			t.Errorf("%v: not JSON:\n%s", args, out)
		}
	}
}

// TestNoNetwork refuses an input with no AWS network: an empty answer
// would read as "nothing is exposed".
func TestNoNetwork(t *testing.T) {
	dir := t.TempDir()
	state := `{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
{"mode": "managed", "type": "aws_iam_role", "name": "r", "provider": "p", "instances": [{"attributes": {"id": "r", "name": "r"}}]},
{"mode": "managed", "type": "google_compute_network", "name": "n", "provider": "p", "instances": [{"attributes": {"id": "n"}}]}
]}`
	path := filepath.Join(dir, "other.tfstate")
	if err := os.WriteFile(path, []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"report", "matrix", "graph"} {
		out, errOut, code := runCmd("", cmd, path)
		if code != 1 || out != "" || !strings.Contains(errOut, "no AWS network to analyse") || !strings.Contains(errOut, "2 resources read") {
			t.Errorf("%s: exit %d, stdout %q, stderr:\n%s", cmd, code, out, errOut)
		}
	}
}

// TestSeveralInputs gives a spoke's state and its hub's: one network,
// in which the spoke reaches the hub across the transit gateway of the
// other state.
func TestSeveralInputs(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"hub.tfstate": `{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
{"mode": "managed", "type": "aws_ec2_transit_gateway", "name": "hub", "provider": "p", "instances": [{"attributes": {"id": "tgw-0hub", "default_route_table_association": "enable", "default_route_table_propagation": "enable", "association_default_route_table_id": "tgw-rtb-0hub", "propagation_default_route_table_id": "tgw-rtb-0hub"}}]},
{"mode": "managed", "type": "aws_vpc", "name": "hub", "provider": "p", "instances": [{"attributes": {"id": "vpc-0hub", "cidr_block": "10.0.0.0/16", "main_route_table_id": "rtb-0hub", "default_network_acl_id": "acl-0hub", "default_security_group_id": "sg-0hubdef"}}]},
{"mode": "managed", "type": "aws_subnet", "name": "hub", "provider": "p", "instances": [{"attributes": {"id": "subnet-0hub", "vpc_id": "vpc-0hub", "cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a"}}]},
{"mode": "managed", "type": "aws_ec2_transit_gateway_vpc_attachment", "name": "hub", "provider": "p", "instances": [{"attributes": {"id": "tgw-attach-0hub", "transit_gateway_id": "tgw-0hub", "vpc_id": "vpc-0hub", "subnet_ids": ["subnet-0hub"], "transit_gateway_default_route_table_association": true, "transit_gateway_default_route_table_propagation": true}}]},
{"mode": "managed", "type": "aws_route", "name": "back", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-0hub", "destination_cidr_block": "10.1.0.0/16", "transit_gateway_id": "tgw-0hub"}}]},
{"mode": "managed", "type": "aws_security_group", "name": "db", "provider": "p", "instances": [{"attributes": {"id": "sg-0db", "vpc_id": "vpc-0hub", "ingress": [{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["10.1.0.0/16"]}], "egress": []}}]},
{"mode": "managed", "type": "aws_instance", "name": "db", "provider": "p", "instances": [{"attributes": {"id": "i-0db", "subnet_id": "subnet-0hub", "private_ip": "10.0.1.10", "primary_network_interface_id": "eni-0db", "vpc_security_group_ids": ["sg-0db"], "source_dest_check": true}}]}
]}`,
		"spoke.tfstate": `{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "y", "outputs": {}, "resources": [
{"mode": "managed", "type": "aws_vpc", "name": "spoke", "provider": "p", "instances": [{"attributes": {"id": "vpc-0spoke", "cidr_block": "10.1.0.0/16", "main_route_table_id": "rtb-0spoke", "default_network_acl_id": "acl-0spoke", "default_security_group_id": "sg-0spokedef"}}]},
{"mode": "managed", "type": "aws_subnet", "name": "spoke", "provider": "p", "instances": [{"attributes": {"id": "subnet-0spoke", "vpc_id": "vpc-0spoke", "cidr_block": "10.1.1.0/24", "availability_zone": "eu-west-1a"}}]},
{"mode": "managed", "type": "aws_ec2_transit_gateway_vpc_attachment", "name": "spoke", "provider": "p", "instances": [{"attributes": {"id": "tgw-attach-0spoke", "transit_gateway_id": "tgw-0hub", "vpc_id": "vpc-0spoke", "subnet_ids": ["subnet-0spoke"], "transit_gateway_default_route_table_association": true, "transit_gateway_default_route_table_propagation": true}}]},
{"mode": "managed", "type": "aws_route", "name": "to_hub", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-0spoke", "destination_cidr_block": "10.0.0.0/16", "transit_gateway_id": "tgw-0hub"}}]},
{"mode": "managed", "type": "aws_instance", "name": "app", "provider": "p", "instances": [{"attributes": {"id": "i-0app", "subnet_id": "subnet-0spoke", "private_ip": "10.1.1.10", "primary_network_interface_id": "eni-0app", "vpc_security_group_ids": [], "source_dest_check": true}}]}
]}`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	hub, spoke := filepath.Join(dir, "hub.tfstate"), filepath.Join(dir, "spoke.tfstate")
	trace := []string{"trace", "--from", "aws_instance.app", "--to", "aws_instance.db", "--protocol", "tcp", "--port", "5432"}
	// The spoke alone: the hub is outside it.
	if _, errOut, code := runCmd("", append(trace, "--in", spoke)...); code == 0 {
		t.Errorf("the spoke alone reaches a host of another state:\n%s", errOut)
	}
	for _, args := range [][]string{append(trace, "--in", spoke, "--in", hub), append(trace, spoke, hub), append(trace, "--in", spoke, hub)} {
		out, errOut, code := runCmd("", args...)
		if code != 0 || !strings.Contains(out, "REACHABLE") {
			t.Errorf("%v: exit %d\n%s%s", args[len(trace):], code, out, errOut)
		}
	}
	out, _, code := runCmd("", "inspect", spoke, hub)
	if code != 0 || !strings.Contains(out, "format:   merged") || !strings.Contains(out, spoke+" + "+hub) {
		t.Errorf("inspect of two inputs: exit %d\n%s", code, out)
	}
	if _, errOut, code := runCmd("", "inspect", "-", "--in", "-"); code != 2 || !strings.Contains(errOut, "named 2 times") {
		t.Errorf("stdin twice: exit %d\n%s", code, errOut)
	}
}

// TestRootModules names a folder that holds no configuration of its own but
// root modules below it: vpcsim lists them, or analyses each with
// --recursive.
func TestRootModules(t *testing.T) {
	dir := t.TempDir()
	vpc := func(cidr string) string {
		return `resource "aws_vpc" "v" { cidr_block = "` + cidr + `" }
module "net" { source = "../../modules/net" }
`
	}
	for name, data := range map[string]string{
		"envs/dev/main.tf":      vpc("10.1.0.0/16"),
		"envs/prod/main.tf":     vpc("10.2.0.0/16"),
		"modules/net/main.tf":   `variable "x" { default = 1 }`,
		"envs/.terraform/x.tf":  `resource "aws_vpc" "hidden" {}`,
		"envs/prod/README.md":   "prod",
		"envs/dev/sub/other.tf": `resource "aws_vpc" "sub" {}`,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	dev, prod := filepath.Join(dir, "envs", "dev"), filepath.Join(dir, "envs", "prod")
	out, errOut, code := runCmd("", "inspect", dir)
	if code != 1 || out != "" || !strings.Contains(errOut, dev+"\n  "+prod) || !strings.Contains(errOut, "--recursive") {
		t.Errorf("folder of root modules: exit %d, stderr:\n%s", code, errOut)
	}
	out, errOut, code = runCmd("", "inspect", "--recursive", dir)
	if code != 0 || !strings.Contains(out, "source:   "+dev) || !strings.Contains(out, "source:   "+prod) ||
		!strings.Contains(errOut, "inspecting "+dev) {
		t.Errorf("--recursive: exit %d\n%s%s", code, out, errOut)
	}
}

// TestEveryAnswerNamesUnsupported runs every command on an input holding a
// component vpcsim does not model (a Redshift cluster in the VPC): each
// answer, in every format, names it with UNSUPPORTED_COMPONENT, trace,
// matrix, check, diff and plan-check included.
func TestEveryAnswerNamesUnsupported(t *testing.T) {
	dir := t.TempDir()
	state := `{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
{"mode": "managed", "type": "aws_vpc", "name": "v", "provider": "p", "instances": [{"attributes": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}}]},
{"mode": "managed", "type": "aws_subnet", "name": "s", "provider": "p", "instances": [{"attributes": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr_block": "10.0.1.0/24", "availability_zone": "us-east-1a"}}]},
{"mode": "managed", "type": "aws_instance", "name": "i", "provider": "p", "instances": [{"attributes": {"id": "i-1", "subnet_id": "subnet-1", "private_ip": "10.0.1.10", "primary_network_interface_id": "eni-1", "vpc_security_group_ids": []}}]},
{"mode": "managed", "type": "aws_redshift_cluster", "name": "dw", "provider": "p", "instances": [{"attributes": {"id": "dw", "cluster_subnet_group_name": "dw", "vpc_security_group_ids": ["sg-x"]}}]}
]}`
	path := filepath.Join(dir, "dw.tfstate")
	if err := os.WriteFile(path, []byte(state), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"report"}, {"report", "--format", "json"}, {"report", "--format", "sarif"}, {"report", "--format", "markdown"},
		{"trace", "--from", "internet", "--to", "10.0.1.10", "--protocol", "tcp", "--port", "22"},
		{"trace", "--from", "internet", "--to", "10.0.1.10", "--protocol", "tcp", "--port", "22", "--format", "json"},
		{"matrix"}, {"matrix", "--format", "json"}, {"graph"}, {"graph", "--format", "mermaid"},
		{"check"}, {"check", "--format", "json"}, {"check", "--format", "sarif"},
		{"diff", "--before", path, "--after"}, {"diff", "--format", "json", "--before", path, "--after"},
		{"plan-check", "--before", path, "--after"},
	} {
		out, errOut, code := runCmd("", append(args, path)...)
		if code != 0 && code != 3 {
			t.Fatalf("%v: exit %d\n%s", args, code, errOut)
		}
		if !strings.Contains(out, "UNSUPPORTED_COMPONENT") || !strings.Contains(strings.ReplaceAll(out, `\_`, "_"), "aws_redshift_cluster") {
			t.Errorf("%v: the answer does not name the unsupported cluster:\n%s", args, out)
		}
	}
}

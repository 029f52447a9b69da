package hcl_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// caveatState is an app stack whose subnet uses a route table of the
// network stack (rtb-net, with the one route the app stack adds to it) and
// whose group admits tcp 443 from a group of another stack (sg-0other).
// aws_instance.known has groups the input gives; aws_instance.unknown names
// its group by a name the input does not hold, so who it is is not known.
var caveatState = []byte(`{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
{"mode": "managed", "type": "aws_vpc", "name": "v", "provider": "p", "instances": [{"attributes": {"id": "vpc-1", "cidr_block": "10.1.0.0/16", "main_route_table_id": "rtb-main", "default_network_acl_id": "acl-1", "default_security_group_id": "sg-def"}}]},
{"mode": "managed", "type": "aws_internet_gateway", "name": "igw", "provider": "p", "instances": [{"attributes": {"id": "igw-1", "vpc_id": "vpc-1"}}]},
{"mode": "managed", "type": "aws_subnet", "name": "s", "provider": "p", "instances": [{"attributes": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr_block": "10.1.1.0/24", "availability_zone": "eu-west-1a"}}]},
{"mode": "managed", "type": "aws_route", "name": "default", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-net", "destination_cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}}]},
{"mode": "managed", "type": "aws_route_table_association", "name": "s", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-net", "subnet_id": "subnet-1"}}]},
{"mode": "managed", "type": "aws_security_group", "name": "app", "provider": "p", "instances": [{"attributes": {"id": "sg-app", "vpc_id": "vpc-1", "ingress": [
  {"protocol": "tcp", "from_port": 443, "to_port": 443, "security_groups": ["sg-0other"], "cidr_blocks": [], "self": false},
  {"protocol": "tcp", "from_port": 22, "to_port": 22, "security_groups": [], "cidr_blocks": ["0.0.0.0/0"], "self": false}],
  "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]}}]},
{"mode": "managed", "type": "aws_security_group", "name": "client", "provider": "p", "instances": [{"attributes": {"id": "sg-client", "vpc_id": "vpc-1", "ingress": [],
  "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]}}]},
{"mode": "managed", "type": "aws_instance", "name": "app", "provider": "p", "instances": [{"attributes": {"id": "i-1", "subnet_id": "subnet-1", "private_ip": "10.1.1.10", "public_ip": "203.0.113.10", "primary_network_interface_id": "eni-1", "vpc_security_group_ids": ["sg-app"], "source_dest_check": true}}]},
{"mode": "managed", "type": "aws_instance", "name": "known", "provider": "p", "instances": [{"attributes": {"id": "i-2", "subnet_id": "subnet-1", "private_ip": "10.1.1.20", "primary_network_interface_id": "eni-2", "vpc_security_group_ids": ["sg-client"], "source_dest_check": true}}]},
{"mode": "managed", "type": "aws_instance", "name": "unknown", "provider": "p", "instances": [{"attributes": {"id": "i-3", "subnet_id": "subnet-1", "private_ip": "10.1.1.30", "primary_network_interface_id": "eni-3", "security_groups": ["other-stack-group"], "vpc_security_group_ids": [], "source_dest_check": true}}]}
]}`)

// TestCaveatsBesideAnswers checks that every answer whose path crosses an
// element outside the input says so next to the finding, hop or cell, and
// that a rule naming a group outside the input decides traffic from
// addresses whose groups the input does not give as unknown
// (OUTSIDE_ESTATE), not as denied and not as allowed.
func TestCaveatsBesideAnswers(t *testing.T) {
	in, err := hcl.LoadBytes("app.tfstate", caveatState)
	if err != nil {
		t.Fatalf("load: %v\n%s", err, diagLines(in.Diagnostics))
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	const outsideTable = "rtb-net is not in the input"

	// trace: the hop whose route table is another stack's says so.
	res, err := e.Trace(reach.Query{From: "internet", To: "aws_instance.app", Protocol: model.ProtocolTCP, Port: portPtr(22)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != reach.Reachable {
		t.Fatalf("internet -> app tcp 22: %s\n%s", res.Verdict, explain(res))
	}
	var hopCaveat bool
	for _, h := range append(res.Forward, res.Return...) {
		for _, c := range h.Caveats {
			hopCaveat = hopCaveat || strings.Contains(c, outsideTable)
		}
	}
	if !hopCaveat || !hasCode(res, reach.CodeOutsideEstate) {
		t.Errorf("the trace does not say its path crosses rtb-net, outside the input:\n%s", explain(res))
	}
	var text bytes.Buffer
	if err := report.WriteTraceText(&text, res); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "caveat: "+outsideTable) {
		t.Errorf("trace text without the hop's caveat:\n%s", text.String())
	}

	// report: the finding carries the caveat, in every format.
	a, err := e.Analyze(reach.AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	r := report.NewReport(a, nil, "app.tfstate")
	var ssh *report.Finding
	for i := range r.Findings {
		if r.Findings[i].FromPort == 22 {
			ssh = &r.Findings[i]
		}
	}
	if ssh == nil {
		t.Fatalf("no finding for tcp 22: %+v", r.Findings)
	}
	if !hasNote(ssh.Notes, string(reach.CodeOutsideEstate), outsideTable) {
		t.Errorf("the finding does not say its path crosses rtb-net: %+v", ssh.Notes)
	}
	for _, format := range report.Formats {
		var b bytes.Buffer
		if err := report.WriteReport(&b, r, format); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), outsideTable) {
			t.Errorf("report %s does not name the caveat", format)
		}
	}

	// matrix: the internet's cell says so too.
	m, err := e.Matrix(reach.MatrixOptions{By: reach.BySubnet, Internet: true})
	if err != nil {
		t.Fatal(err)
	}
	var cellCaveat bool
	for _, c := range m.Cells {
		if c.From == "internet" {
			cellCaveat = len(c.Caveats) > 0 && strings.Contains(c.Caveats[0], outsideTable)
		}
	}
	if !cellCaveat {
		t.Errorf("the internet's cell has no caveat: %+v", m.Cells)
	}

	// A rule naming a group outside the input.
	for _, c := range []struct {
		from string
		port uint16
		code reach.Code
	}{
		// Its groups are known, and none is sg-0other: denied.
		{"aws_instance.known", 443, reach.CodeENISGRulesMismatch},
		// Its groups are not known: it may be a member of sg-0other.
		{"aws_instance.unknown", 443, reach.CodeOutsideEstate},
		// No rule of any group allows tcp 80: denied whoever sends it.
		{"aws_instance.unknown", 80, reach.CodeENISGRulesMismatch},
	} {
		res, err := e.Trace(reach.Query{From: c.from, To: "aws_instance.app", Protocol: model.ProtocolTCP, Port: portPtr(c.port)})
		if err != nil {
			t.Fatal(err)
		}
		if res.Verdict.Passes() || !hasCode(res, c.code) {
			t.Errorf("%s -> app tcp %d: %s, want stopped with %s\n%s", c.from, c.port, res.Verdict, c.code, explain(res))
		}
		if c.code != reach.CodeOutsideEstate && hasCode(res, reach.CodeOutsideEstate) {
			t.Errorf("%s -> app tcp %d: the rule naming sg-0other is said to decide\n%s", c.from, c.port, explain(res))
		}
	}
	var noted bool
	for _, n := range e.Notes() {
		noted = noted || n.Code == reach.CodeOutsideEstate && strings.Contains(n.Message, "sg-0other")
	}
	if !noted {
		t.Errorf("no note about the rule naming sg-0other: %+v", e.Notes())
	}
}

func hasNote(ns []report.Note, code, substr string) bool {
	for _, n := range ns {
		if n.Code == code && strings.Contains(n.Message, substr) {
			return true
		}
	}
	return false
}

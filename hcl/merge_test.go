package hcl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// stateOf writes a state of format version 4 whose resources are given as
// one JSON object a line.
func stateOf(resources ...string) string {
	return `{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
` + strings.Join(resources, ",\n") + "\n]}\n"
}

func res(typ, name, attrs string) string {
	return `{"mode": "managed", "type": "` + typ + `", "name": "` + name + `", "provider": "p", "instances": [{"attributes": ` + attrs + `}]}`
}

// hubState is a hub stack: a transit gateway, the hub VPC, its attachment
// and a database host.
var hubState = stateOf(
	res("aws_ec2_transit_gateway", "hub", `{"id": "tgw-0hub", "default_route_table_association": "enable", "default_route_table_propagation": "enable", "association_default_route_table_id": "tgw-rtb-0hub", "propagation_default_route_table_id": "tgw-rtb-0hub"}`),
	res("aws_vpc", "hub", `{"id": "vpc-0hub", "cidr_block": "10.0.0.0/16", "main_route_table_id": "rtb-0hub", "default_network_acl_id": "acl-0hub", "default_security_group_id": "sg-0hubdef"}`),
	res("aws_subnet", "hub", `{"id": "subnet-0hub", "vpc_id": "vpc-0hub", "cidr_block": "10.0.1.0/24", "availability_zone": "eu-west-1a"}`),
	res("aws_ec2_transit_gateway_vpc_attachment", "hub", `{"id": "tgw-attach-0hub", "transit_gateway_id": "tgw-0hub", "vpc_id": "vpc-0hub", "subnet_ids": ["subnet-0hub"], "transit_gateway_default_route_table_association": true, "transit_gateway_default_route_table_propagation": true}`),
	res("aws_route", "to_spokes", `{"route_table_id": "rtb-0hub", "destination_cidr_block": "10.0.0.0/8", "transit_gateway_id": "tgw-0hub"}`),
	res("aws_security_group", "db", `{"id": "sg-0db", "vpc_id": "vpc-0hub", "ingress": [{"protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["10.0.0.0/8"], "security_groups": [], "self": false}], "egress": []}`),
	res("aws_instance", "db", `{"id": "i-0db", "subnet_id": "subnet-0hub", "private_ip": "10.0.1.10", "primary_network_interface_id": "eni-0db", "vpc_security_group_ids": ["sg-0db"], "source_dest_check": true}`),
)

// spokeState is a spoke stack that names the hub's transit gateway by ID.
var spokeState = stateOf(
	res("aws_vpc", "spoke", `{"id": "vpc-0spoke", "cidr_block": "10.1.0.0/16", "main_route_table_id": "rtb-0spoke", "default_network_acl_id": "acl-0spoke", "default_security_group_id": "sg-0spokedef"}`),
	res("aws_subnet", "spoke", `{"id": "subnet-0spoke", "vpc_id": "vpc-0spoke", "cidr_block": "10.1.1.0/24", "availability_zone": "eu-west-1a"}`),
	res("aws_ec2_transit_gateway_vpc_attachment", "spoke", `{"id": "tgw-attach-0spoke", "transit_gateway_id": "tgw-0hub", "vpc_id": "vpc-0spoke", "subnet_ids": ["subnet-0spoke"], "transit_gateway_default_route_table_association": true, "transit_gateway_default_route_table_propagation": true}`),
	res("aws_route", "to_hub", `{"route_table_id": "rtb-0spoke", "destination_cidr_block": "10.0.0.0/16", "transit_gateway_id": "tgw-0hub"}`),
	res("aws_instance", "app", `{"id": "i-0app", "subnet_id": "subnet-0spoke", "private_ip": "10.1.1.10", "primary_network_interface_id": "eni-0app", "vpc_security_group_ids": [], "source_dest_check": true}`),
)

func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestLoadAllHubAndSpoke merges a spoke's state with its hub's: the spoke's
// transit gateway is the hub's, not an element outside the input, the
// warning that said so is gone, and a flow from the spoke to the hub passes
// through the gateway's default route table, which AWS fills from both
// attachments.
func TestLoadAllHubAndSpoke(t *testing.T) {
	dir := writeFiles(t, map[string]string{"hub.tfstate": hubState, "spoke.tfstate": spokeState})
	spoke, err := hcl.Load(filepath.Join(dir, "spoke.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	if !hasWarning(spoke.Diagnostics, "transit gateway tgw-0hub is not in the input") {
		t.Fatalf("the spoke alone should name the hub's gateway as outside the input:\n%s", diagLines(spoke.Diagnostics))
	}
	in, err := hcl.LoadAll([]string{filepath.Join(dir, "spoke.tfstate"), filepath.Join(dir, "hub.tfstate")})
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	if in.Format != hcl.FormatMerged || len(in.Parts) != 2 || !strings.Contains(in.Path, " + ") {
		t.Errorf("merged input %s %s, %d parts", in.Path, in.Format, len(in.Parts))
	}
	ix := in.Network.Index()
	if g := ix.TransitGateways["tgw-0hub"]; g == nil || g.IsOutside() || !g.DefaultAssociation {
		t.Errorf("transit gateway %+v", g)
	}
	if hasWarning(in.Diagnostics, "tgw-0hub is not in the input") {
		t.Errorf("a stale warning survives the merge:\n%s", diagLines(in.Diagnostics))
	}
	rt := ix.TGWRouteTables["tgw-rtb-0hub"]
	if rt == nil || len(rt.Associations) != 2 || len(rt.Propagations) != 2 {
		t.Fatalf("default route table %+v", rt)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.Trace(reach.Query{From: "aws_instance.app", To: "aws_instance.db", Protocol: model.ProtocolTCP, Port: portPtr(5432)})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Verdict.Passes() {
		t.Errorf("spoke to hub across the merged transit gateway is not reachable:\n%s", explain(r))
	}
}

// TestLoadAllConflict gives one stack twice: the element both declare is an
// error that names both positions.
func TestLoadAllConflict(t *testing.T) {
	dir := writeFiles(t, map[string]string{"a.tfstate": hubState, "b.tfstate": hubState})
	in, err := hcl.LoadAll([]string{filepath.Join(dir, "a.tfstate"), filepath.Join(dir, "b.tfstate")})
	if err == nil {
		t.Fatal("no error for the same stack given twice")
	}
	found := false
	for _, d := range in.Diagnostics.Errors() {
		if strings.Contains(d.Message, "VPC vpc-0hub is declared by two inputs") && strings.Contains(d.Pos.File, "b.tfstate") &&
			strings.Contains(d.Message, "a.tfstate:") {
			found = true
		}
	}
	if !found {
		t.Errorf("no conflict naming both positions:\n%s", diagLines(in.Diagnostics))
	}
}

// TestLoadAllRefused stops at an input that cannot be read, with its error.
func TestLoadAllRefused(t *testing.T) {
	dir := writeFiles(t, map[string]string{"hub.tfstate": hubState, "bad.json": "{"})
	in, err := hcl.LoadAll([]string{filepath.Join(dir, "hub.tfstate"), filepath.Join(dir, "bad.json")})
	if err == nil || in.Network != nil || !strings.Contains(err.Error(), "bad.json") {
		t.Errorf("refused input: network %v, error %v", in.Network != nil, err)
	}
}

func hasWarning(ds model.Diagnostics, sub string) bool {
	for _, d := range ds {
		if d.Severity == model.SeverityWarning && strings.Contains(d.Message, sub) {
			return true
		}
	}
	return false
}

// TestLoadAllConfigurations merges two configurations that use the same
// addresses for their own elements (every stack built with one module does):
// their IDs are not known until apply, so the addresses stand for them, and
// the two VPCs must stay two.
func TestLoadAllConfigurations(t *testing.T) {
	stack := func(cidr, subnet string) string {
		return `resource "aws_vpc" "main" { cidr_block = "` + cidr + `" }
resource "aws_subnet" "app" {
  vpc_id     = aws_vpc.main.id
  cidr_block = "` + subnet + `"
}
resource "aws_instance" "app" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  subnet_id     = aws_subnet.app.id
}
`
	}
	root := t.TempDir()
	for name, src := range map[string]string{"a": stack("10.1.0.0/16", "10.1.1.0/24"), "b": stack("10.2.0.0/16", "10.2.1.0/24")} {
		if err := os.MkdirAll(filepath.Join(root, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, name, "main.tf"), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	in, err := hcl.LoadAll([]string{filepath.Join(root, "a"), filepath.Join(root, "b")}, hcl.WithEnv([]string{}))
	if err != nil {
		t.Fatalf("merge: %v", err)
	}
	n := in.Network
	if len(n.VPCs) != 2 || len(n.Subnets) != 2 || len(n.Instances) != 2 {
		t.Fatalf("%d VPCs, %d subnets, %d instances, want 2 each", len(n.VPCs), len(n.Subnets), len(n.Instances))
	}
	for _, s := range n.Subnets {
		vpc := n.Index().VPCs[s.VPCID]
		if vpc == nil || !vpc.CIDRs[0].Contains(s.CIDR.Addr()) {
			t.Errorf("subnet %s (%s) is in %+v", s.Label(), s.CIDR, vpc)
		}
	}
	if _, err := reach.New(n); err != nil {
		t.Errorf("engine: %v", err)
	}
}

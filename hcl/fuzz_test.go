package hcl

import (
	"bytes"

	"github.com/vpcsim/vpcsim/model"
	"os"
	"path/filepath"
	"testing"
)

// seeds are the corpus and a few small documents of each
// format.
func seeds(f *testing.F) {
	// The corpus, and the plans made with real Terraform.
	for _, dir := range []string{"corpus/*", "loading/*/plan.json"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir))
		for _, p := range files {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	st, _ := stateJSON(r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA),
		r("aws_security_group", "s", `{"id": "sg-1", "vpc_id": "vpc-a", "ingress": [{"protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": ["0.0.0.0/0"]}]}`))
	f.Add(st)
	for _, s := range []string{
		`{"format_version": "1.0", "values": {"root_module": {"resources": [{"address": "aws_vpc.a", "mode": "managed", "type": "aws_vpc", "name": "a", "values": {"id": "vpc-1", "cidr_block": "10.0.0.0/16"}}]}}}`,
		`{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"address": "aws_subnet.a", "type": "aws_subnet", "name": "a", "values": {"cidr_block": "10.0.0.0/24"}}]}}, "resource_changes": [{"address": "aws_subnet.a", "change": {"actions": ["create"], "after_unknown": {"id": true, "vpc_id": true}}}], "configuration": {"root_module": {"resources": [{"mode": "managed", "type": "aws_subnet", "name": "a", "expressions": {"vpc_id": {"references": ["module.m[0].x", "var.y", "each.value.id"]}}}]}}}`,
		`{"version": 3}`, `[]`, `"\ud800\u0041"`, `{"a": 1e5, "b": -0.5, "c": [true, false, null]}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzLoadBytes checks that no input makes the loader panic, and that the
// error and the diagnostics agree.
func FuzzLoadBytes(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := LoadBytes("fuzz.json", data)
		if in == nil {
			t.Fatal("nil Input")
		}
		if (err != nil) != in.Diagnostics.HasErrors() {
			t.Fatalf("error %v but diagnostics %v", err, in.Diagnostics)
		}
		if err == nil && in.Network == nil {
			t.Fatal("no error and no network")
		}
	})
}

// FuzzMerge merges two arbitrary inputs (separated by a NUL byte) as LoadAll
// does: whatever they hold (the same IDs, elements outside one input that
// the other holds, dangling references), the merge must not panic, and its
// diagnostics must be well formed.
func FuzzMerge(f *testing.F) {
	hub, _ := stateJSON(r("aws_vpc", "a", vpcA), r("aws_subnet", "a", subnetA),
		r("aws_ec2_transit_gateway", "hub", `{"id": "tgw-1", "default_route_table_association": "enable", "default_route_table_propagation": "enable", "association_default_route_table_id": "tgw-rtb-1", "propagation_default_route_table_id": "tgw-rtb-1"}`))
	spoke, _ := stateJSON(r("aws_vpc", "b", `{"id": "vpc-b", "cidr_block": "10.1.0.0/16", "main_route_table_id": "rtb-b"}`),
		r("aws_route", "to_hub", `{"route_table_id": "rtb-b", "destination_cidr_block": "10.0.0.0/16", "transit_gateway_id": "tgw-1"}`),
		r("aws_route", "other", `{"route_table_id": "rtb-main", "destination_cidr_block": "10.9.0.0/16", "vpc_peering_connection_id": "pcx-1"}`))
	f.Add(append(append(append([]byte{}, hub...), 0), spoke...))
	f.Add(append(append(append([]byte{}, hub...), 0), hub...))
	f.Add(append(append(append([]byte{}, spoke...), 0), []byte(`{"version": 4, "resources": []}`)...))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b, ok := bytes.Cut(data, []byte{0})
		if !ok {
			return
		}
		var nets []*model.Network
		for i, part := range [][]byte{a, b} {
			in, _ := LoadBytes("part.json", part, withPlaceholderBlock(i))
			if in.Network == nil {
				return
			}
			nets = append(nets, in.Network)
		}
		n, ds := mergeNetworks(nets)
		if n == nil {
			t.Fatal("no network")
		}
		for _, d := range ds {
			if d.Severity == 0 || d.Message == "" {
				t.Fatalf("malformed diagnostic %+v", d)
			}
		}
	})
}

package hcl

import (
	"os"
	"path/filepath"
	"testing"
)

// seeds are the corpus and a few small documents of each
// format.
func seeds(f *testing.F) {
	for _, dir := range []string{"corpus"} {
		files, _ := filepath.Glob(filepath.Join("testdata", dir, "*"))
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

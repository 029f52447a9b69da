package main

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
)

// TestInspectExampleConfigurations runs inspect on every example written as
// Terraform configuration: each loads without error into a network with
// VPCs, subnets and instances.
func TestInspectExampleConfigurations(t *testing.T) {
	dirs, _ := filepath.Glob("../../examples/*")
	n := 0
	for _, dir := range dirs {
		if tfs, _ := filepath.Glob(filepath.Join(dir, "*.tf")); len(tfs) == 0 {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run([]string{"inspect", "--in", dir, "--format", "json"}, strings.NewReader(""), &out, &errb); code != 0 {
				t.Fatalf("exit %d:\n%s", code, errb.String())
			}
			var rep struct {
				Format string `json:"format"`
				Counts []struct {
					Kind  string `json:"kind"`
					Count int    `json:"count"`
				} `json:"counts"`
				Totals struct {
					Errors int `json:"errors"`
				} `json:"totals"`
			}
			if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
				t.Fatal(err)
			}
			if rep.Format != "terraform-config" || rep.Totals.Errors != 0 {
				t.Errorf("format %s, %d errors", rep.Format, rep.Totals.Errors)
			}
			count := map[string]int{}
			for _, c := range rep.Counts {
				count[c.Kind] = c.Count
			}
			for _, kind := range []string{"vpc", "subnet", "instance", "route_table", "security_group"} {
				if count[kind] == 0 {
					t.Errorf("no %s: %v", kind, count)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no example configuration")
	}
}

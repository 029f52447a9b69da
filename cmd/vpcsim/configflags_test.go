package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInspectConfigFlags runs inspect on a folder of configuration whose
// subnet count is a variable: --var and --var-file take precedence in
// command-line order, as terraform's -var and -var-file do, and a bad
// configuration exits 1 with positioned diagnostics.
func TestInspectConfigFlags(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("main.tf", `
variable "n" {
  type = number
}
resource "aws_vpc" "v" {
  cidr_block = "10.0.0.0/16"
}
resource "aws_subnet" "s" {
  count      = var.n
  vpc_id     = aws_vpc.v.id
  cidr_block = cidrsubnet(aws_vpc.v.cidr_block, 8, count.index)
}
`)
	varFile := write("three.tfvars", "n = 3\n")
	subnets := func(args ...string) (int, string) {
		var out, errb bytes.Buffer
		code := run(append([]string{"inspect", "--in", dir, "--format", "json"}, args...), strings.NewReader(""), &out, &errb)
		if code != 0 {
			return -code, errb.String()
		}
		var rep struct {
			Counts []struct {
				Kind  string `json:"kind"`
				Count int    `json:"count"`
			} `json:"counts"`
		}
		if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
			t.Fatal(err)
		}
		for _, c := range rep.Counts {
			if c.Kind == "subnet" {
				return c.Count, ""
			}
		}
		return 0, ""
	}
	for _, tt := range []struct {
		args []string
		want int
	}{
		{[]string{"--var", "n=2"}, 2},
		{[]string{"--var", "n=1", "--var-file", varFile}, 3},
		{[]string{"--var-file", varFile, "--var", "n=1"}, 1},
	} {
		if got, stderr := subnets(tt.args...); got != tt.want {
			t.Errorf("inspect %s: %d subnets, want %d (%s)", strings.Join(tt.args, " "), got, tt.want, stderr)
		}
	}
	got, stderr := subnets()
	if got != -1 || !strings.Contains(stderr, `main.tf:2:1: error: no value for required variable "n"`) {
		t.Errorf("without a value: exit %d, stderr %q; want exit 1 naming the variable", -got, stderr)
	}
	got, stderr = subnets("--var", "n")
	if got != -2 || !strings.Contains(stderr, "expected NAME=VALUE") {
		t.Errorf("--var n: exit %d, stderr %q; want usage exit 2", -got, stderr)
	}
}

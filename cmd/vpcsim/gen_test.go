package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/internal/estate"
)

func runArgs(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestGenStdout(t *testing.T) {
	code, out, stderr := runArgs("gen", "--vpcs", "3", "--subnets-per-vpc", "4", "--instances-per-subnet", "2", "--seed", "9", "--out", "-")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	// The defaults for hubs and peerings shrink to what three VPCs allow.
	p := estate.Default()
	p.VPCs, p.SubnetsPerVPC, p.InstancesPerSubnet, p.Seed, p.TGWHubs, p.Peerings = 3, 4, 2, 9, 3, 3
	var want bytes.Buffer
	if err := estate.Write(&want, p); err != nil {
		t.Fatal(err)
	}
	if out != want.String() {
		t.Error("stdout differs from estate.Write with the same parameters")
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing when writing to stdout", stderr)
	}
}

func TestGenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "estate.tfstate")
	code, out, stderr := runArgs("gen", "--vpcs", "2", "--subnets-per-vpc", "2", "--instances-per-subnet", "1", "--out", path)
	if code != exitOK || out != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", code, out, stderr)
	}
	if !strings.HasPrefix(stderr, "vpcsim: wrote "+path+": 2 VPCs, 4 subnets, 6 network interfaces, 50 security groups,") {
		t.Errorf("stderr = %q", stderr)
	}
	b, err := os.ReadFile(path)
	if err != nil || !bytes.HasPrefix(b, []byte("{\n  \"version\": 4,")) {
		t.Fatalf("the file is not a state: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d files, want only the state (no temporary left)", len(entries))
	}
}

func TestGenErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"gen"}, exitUsage, `required flag(s) "output" not set`},
		{[]string{"gen", "--vpcs", "0", "--out", "-"}, exitUsage, "vpcsim: error: --vpcs is 0, want at least 1"},
		{[]string{"gen", "--vpcs", "-1", "-o", "-"}, exitUsage, "vpcsim: error: --vpcs is -1, want at least 1\nRun 'vpcsim gen --help' for usage."},
		{[]string{"gen", "--vpcs", "-1", "--sgs-per-vpc", "-2", "-o", "-"}, exitUsage, "--vpcs is -1, want at least 1; --sgs-per-vpc is -2, want at least 0"},
		{[]string{"gen", "--vpcs", "3", "--peerings", "5", "--out", "-"}, exitUsage, "--peerings is 5, but 3 VPCs make only 3 pairs"},
		{[]string{"gen", "--vpcs", "x", "--out", "-"}, exitUsage, `--vpcs: "x" is not a whole number`},
		{[]string{"gen", "--vpcs", "1e400", "--out", "-"}, exitUsage, `--vpcs: "1e400" is not a whole number`},
		{[]string{"gen", "--seed", "99999999999999999999999999999999999999999999", "--out", "-"}, exitUsage, `--seed: "999999999999999999999999"… (44 characters) is out of range`},
		{[]string{"gen", "--vpcs", "1", "--out", filepath.Join(dir, "missing", "x.tfstate")}, exitError,
			"writing " + filepath.Join(dir, "missing", "x.tfstate") + ": no such file or directory"},
	}
	for _, tt := range tests {
		code, _, stderr := runArgs(tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}

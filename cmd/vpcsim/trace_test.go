package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestTrace(t *testing.T) {
	packt := corpus + "packt_vpc.tfstate"
	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		golden string   // testdata/trace/<golden>, compared with stdout
		stdout []string // parts stdout must contain
		stderr []string // parts stderr must contain; none means empty
	}{
		{name: "unreachable private address", args: []string{"trace", "--in", packt, "--from", "internet", "--to", "10.0.16.10", "--protocol", "tcp", "--port", "22"},
			code: 3, golden: "packt-internet-private.txt"},
		{name: "unreachable json", args: []string{"trace", "--in", packt, "--from", "internet", "--to", "10.0.16.10", "--protocol", "tcp", "--port", "22", "--format", "json"},
			code: 3, golden: "packt-internet-private.json"},
		{name: "nat gateway address is not a host", args: []string{"trace", "--in", packt, "--from", "8.8.8.8", "--to", "aws_nat_gateway.nat_gateway", "--protocol", "tcp", "--port", "443"},
			code: 3, stdout: []string{"NGW_NO_MATCHING_SESSION"}},
		{name: "unknown endpoint", args: []string{"trace", "--in", packt, "--from", "aws_nat_gateway.nat_gatewy", "--to", "internet", "--protocol", "tcp", "--port", "443"},
			code: 1, stderr: []string{`unknown endpoint "aws_nat_gateway.nat_gatewy"`, "did you mean aws_nat_gateway.nat_gateway?"}},
		{name: "missing flags", args: []string{"trace", "--in", packt, "--to", "internet"}, code: 2, stderr: []string{`required flag(s) "from", "protocol" not set`}},
		{name: "bad protocol", args: []string{"trace", "--in", packt, "--from", "internet", "--to", "10.0.16.10", "--protocol", "tpc"}, code: 2,
			stderr: []string{`--protocol: invalid protocol "tpc"`}},
		{name: "port for icmp", args: []string{"trace", "--in", packt, "--from", "internet", "--to", "10.0.16.10", "--protocol", "icmp", "--port", "8"}, code: 2,
			stderr: []string{"--port applies to tcp and udp only"}},
		{name: "before on a state", args: []string{"trace", "--in", packt, "--before", "--from", "internet", "--to", "10.0.16.10", "--protocol", "tcp"}, code: 2,
			stderr: []string{"--before applies to plans only"}},
		{name: "bad input", args: []string{"trace", "--in", corpus + "gseenu_v3.tfstate", "--from", "internet", "--to", "10.0.16.10", "--protocol", "tcp"}, code: 1,
			stderr: []string{"gseenu_v3.tfstate:2:16: error:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, errOut, code := runCmd("", tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, tc.code, errOut)
			}
			for _, want := range tc.stderr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if len(tc.stderr) == 0 && errOut != "" {
				t.Errorf("unexpected stderr:\n%s", errOut)
			}
			if tc.code == 1 || tc.code == 2 {
				if out != "" {
					t.Errorf("an error printed results on stdout:\n%s", out)
				}
			}
			for _, want := range tc.stdout {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if tc.golden != "" {
				goldenFile(t, filepath.Join("testdata", "trace", tc.golden), out)
			}
		})
	}
}

package main

import "testing"

func TestTrace(t *testing.T) {
	packt := corpus + "packt_vpc.tfstate"
	runCases(t, "trace", []cliCase{
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
	})
}

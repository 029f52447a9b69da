package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/report"
)

type traceOptions struct {
	input  inputFlags
	flow   flowFlags
	output *outputFlags
}

func newTraceCmd(s *streams) *cobra.Command {
	opts := &traceOptions{}
	cmd := &cobra.Command{
		Use:   "trace --from SRC --to DST --protocol PROTO [--port N]",
		Short: "Say whether one flow passes, hop by hop, and why",
		Long: `Trace follows one flow from its source to its destination and its replies back,
like a traceroute through the network's configuration: every hop, the headers
as they are there (NAT changes them), and the security group rule, network ACL
rule or route that decided, with its file:line.

SRC and DST may be a Terraform address (aws_instance.web,
module.app.aws_instance.api[0]), an AWS ID (i-…, eni-…), an IP address (inside
the network: the interface that owns it; outside: a host on the internet, or
on-premises when a VPN connection's networks cover it) or "internet" (every
public address). A named instance stands for the address a real client would
use: its public address from the internet, its private address from inside.

The client's source port is any port of the ephemeral range (--ephemeral)
unless --src-port says otherwise; when replies come back for part of it only,
the flow is reported reachable but partial.

Exit status: 0 when the flow is reachable, 3 when it is not, 1 on an error, 2
on a usage error.`,
		Example: `  # Can the internet reach the web server on HTTPS?
  vpcsim trace --in terraform.tfstate --from internet --to aws_instance.web --protocol tcp --port 443

  # Can the app tier reach the database, as JSON?
  vpcsim trace --in . --from module.app.aws_instance.api[0] --to 10.0.20.15 --protocol tcp --port 5432 --format json

  # Ping from an on-premises host
  vpcsim trace --in plan.json --from 192.168.1.10 --to aws_instance.bastion --protocol icmp`,
	}
	opts.input.register(cmd, true)
	opts.flow.register(cmd, true)
	opts.output = addOutputFlags(cmd, "trace", "text", "json")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runTrace(s, opts)
	}
	return cmd
}

func runTrace(s *streams, opts *traceOptions) error {
	if err := opts.output.check(); err != nil {
		return err
	}
	q, err := opts.flow.query()
	if err != nil {
		return err
	}
	return opts.input.eachNetwork(s, func(l *loaded) error {
		r, err := l.eng.Trace(q)
		if err != nil {
			return err
		}
		notes := report.AnswerNotes(l.eng.Notes(), l.in.Diagnostics)
		err = opts.output.write(s, l.part, func(w io.Writer, format string) error {
			if format == "json" {
				return report.WriteTraceJSON(w, r, notes...)
			}
			return report.WriteTraceTextOptions(w, r, report.TraceOptions{Verbose: opts.input.verbose}, notes...)
		})
		if err != nil {
			return err
		}
		if !r.Verdict.Passes() {
			return errViolation
		}
		return nil
	})
}

package main

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

type traceOptions struct {
	input     inputFlags
	from, to  string
	fromAddr  string
	toAddr    string
	protocol  string
	port      string
	srcPort   string
	ephemeral *ephemeralFlag
	icmpType  int
	icmpCode  int
	format    *formatFlag
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
	f := cmd.Flags()
	f.StringVar(&opts.from, "from", "", "the source: a Terraform address, an AWS ID, an IP address or internet (required)")
	f.StringVar(&opts.to, "to", "", "the destination: a Terraform address, an AWS ID, an IP address or internet (required)")
	f.StringVar(&opts.fromAddr, "from-addr", "", "which address of the source to use: public, private, ipv6 or an IP address")
	f.StringVar(&opts.toAddr, "to-addr", "", "which address of the destination to use: public, private, ipv6 or an IP address")
	f.StringVar(&opts.protocol, "protocol", "", "tcp, udp, icmp, icmpv6, all or an IP protocol number (required)")
	f.StringVar(&opts.port, "port", "", "destination `PORT` or LO-HI (tcp, udp); all ports when omitted")
	f.StringVar(&opts.srcPort, "src-port", "", "client source `PORT` or LO-HI (tcp, udp); the ephemeral range when omitted")
	opts.ephemeral = addEphemeralFlag(cmd)
	f.IntVar(&opts.icmpType, "icmp-type", -1, "ICMP `TYPE` (icmp, icmpv6); an echo request when omitted")
	f.IntVar(&opts.icmpCode, "icmp-code", -1, "ICMP `CODE` (icmp, icmpv6); any code when omitted")
	opts.format = addFormatFlag(cmd, "text", "json")
	for _, req := range []string{"from", "to", "protocol"} {
		_ = cmd.MarkFlagRequired(req)
	}
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runTrace(s, opts)
	}
	return cmd
}

func (o *traceOptions) query() (reach.Query, error) {
	q := reach.Query{From: o.from, To: o.to, FromAddr: reach.AddrChoice(o.fromAddr), ToAddr: reach.AddrChoice(o.toAddr)}
	p, err := model.ParseProtocol(o.protocol)
	if err != nil {
		return q, usageErrorf("--protocol: %v", err)
	}
	q.Protocol = p
	if o.port != "" {
		if !p.HasPorts() {
			return q, usageErrorf("--port applies to tcp and udp only, not %s", p)
		}
		r, err := model.ParsePortRange(o.port)
		if err != nil {
			return q, usageErrorf("--port: %v", err)
		}
		q.Port = &r
	}
	if o.srcPort != "" {
		if !p.HasPorts() {
			return q, usageErrorf("--src-port applies to tcp and udp only, not %s", p)
		}
		r, err := model.ParsePortRange(o.srcPort)
		if err != nil {
			return q, usageErrorf("--src-port: %v", err)
		}
		q.SrcPort = &r
	}
	q.Ephemeral = o.ephemeral.value
	if o.icmpType >= 0 || o.icmpCode >= 0 {
		if !p.IsICMP() {
			return q, usageErrorf("--icmp-type and --icmp-code apply to icmp and icmpv6 only, not %s", p)
		}
		if o.icmpType > 255 || o.icmpCode > 255 {
			return q, usageErrorf("--icmp-type and --icmp-code take 0-255, not %s", strconv.Itoa(max(o.icmpType, o.icmpCode)))
		}
		m := model.ICMPTypeCode(o.icmpType, o.icmpCode)
		q.ICMP = &m
	}
	return q, nil
}

func runTrace(s *streams, opts *traceOptions) error {
	q, err := opts.query()
	if err != nil {
		return err
	}
	return opts.input.eachNetwork(s, func(l *loaded) error {
		r, err := l.eng.Trace(q)
		if err != nil {
			return fmt.Errorf("trace: %w", err)
		}
		notes := report.AnswerNotes(l.eng.Notes(), l.in.Diagnostics)
		if opts.format.value == "json" {
			err = report.WriteTraceJSON(s.out, r, notes...)
		} else {
			err = report.WriteTraceText(s.out, r, notes...)
		}
		if err != nil {
			return err
		}
		if !r.Verdict.Passes() {
			return errViolation
		}
		return nil
	})
}

package main

import (
	"fmt"
	"io"
	"strconv"
	"strings"

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
	icmpType  optionalByte
	icmpCode  optionalByte
	output    *outputFlags
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
	f.Var(&opts.icmpType, "icmp-type", "ICMP `TYPE` 0-255 (icmp, icmpv6); an echo request when omitted")
	f.Var(&opts.icmpCode, "icmp-code", "ICMP `CODE` 0-255 (icmp, icmpv6); any code when omitted")
	opts.output = addOutputFlags(cmd, "trace", "text", "json")
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
	if o.icmpType.set || o.icmpCode.set {
		if !p.IsICMP() {
			return q, usageErrorf("--icmp-type and --icmp-code apply to icmp and icmpv6 only, not %s", p)
		}
		m := model.ICMPTypeCode(o.icmpType.get(), o.icmpCode.get())
		q.ICMP = &m
	}
	for _, end := range []struct{ name, addrFlag, addr string }{{o.from, "--from-addr", o.fromAddr}, {o.to, "--to-addr", o.toAddr}} {
		if end.addr != "" && strings.EqualFold(strings.TrimSpace(end.name), "internet") {
			// "internet" is every public address: there is no address of
			// it to choose.
			return q, usageErrorf("%s %s chooses an address of a named element, but the end is the internet: name an internet host by its address instead (%s 203.0.113.10)", end.addrFlag, end.addr, strings.TrimSuffix(end.addrFlag, "-addr"))
		}
	}
	return q, nil
}

// optionalByte is a flag holding 0-255 that may be left unset (no sentinel
// in the help).
type optionalByte struct {
	set bool
	v   uint8
}

func (b *optionalByte) String() string {
	if !b.set {
		return ""
	}
	return strconv.Itoa(int(b.v))
}
func (b *optionalByte) Type() string { return "0-255" }
func (b *optionalByte) Set(s string) error {
	n, err := strconv.ParseUint(strings.TrimSpace(s), 10, 8)
	if err != nil {
		return fmt.Errorf("%s is not a number 0-255", quoteBrief(s))
	}
	b.set, b.v = true, uint8(n)
	return nil
}

// get is the value, or -1 (any) when unset, as model.ICMPTypeCode takes it.
func (b *optionalByte) get() int {
	if !b.set {
		return -1
	}
	return int(b.v)
}

func runTrace(s *streams, opts *traceOptions) error {
	if err := opts.output.check(); err != nil {
		return err
	}
	q, err := opts.query()
	if err != nil {
		return err
	}
	return opts.input.eachNetwork(s, func(l *loaded) error {
		r, err := l.eng.Trace(q)
		if err != nil {
			return err
		}
		notes := report.InputNotes(l.in.Diagnostics)
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

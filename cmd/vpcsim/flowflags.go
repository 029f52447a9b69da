package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// flowFlags name one flow: trace's and walk's endpoint flags.
type flowFlags struct {
	from, to  string
	fromAddr  string
	toAddr    string
	protocol  string
	port      string
	srcPort   string
	ephemeral *ephemeralFlag
	icmpType  optionalByte
	icmpCode  optionalByte
}

// register adds the flags to cmd; with required, --from, --to and
// --protocol must be given.
func (o *flowFlags) register(cmd *cobra.Command, required bool) {
	f := cmd.Flags()
	req := ""
	if required {
		req = " (required)"
	}
	f.StringVar(&o.from, "from", "", "the source: a Terraform address, an AWS ID, an IP address or internet"+req)
	f.StringVar(&o.to, "to", "", "the destination: a Terraform address, an AWS ID, an IP address or internet"+req)
	f.StringVar(&o.fromAddr, "from-addr", "", "which address of the source to use: public, private, ipv6 or an IP address")
	f.StringVar(&o.toAddr, "to-addr", "", "which address of the destination to use: public, private, ipv6 or an IP address")
	f.StringVar(&o.protocol, "protocol", "", "tcp, udp, icmp, icmpv6, all or an IP protocol number"+req)
	f.StringVar(&o.port, "port", "", "destination `PORT` or LO-HI (tcp, udp); all ports when omitted")
	f.StringVar(&o.srcPort, "src-port", "", "client source `PORT` or LO-HI (tcp, udp); the ephemeral range when omitted")
	o.ephemeral = addEphemeralFlag(cmd)
	f.Var(&o.icmpType, "icmp-type", "ICMP `TYPE` 0-255 (icmp, icmpv6); an echo request when omitted")
	f.Var(&o.icmpCode, "icmp-code", "ICMP `CODE` 0-255 (icmp, icmpv6); any code when omitted")
	if required {
		for _, n := range []string{"from", "to", "protocol"} {
			_ = cmd.MarkFlagRequired(n)
		}
	}
}

// set reports whether any flag naming a flow was given.
func (o *flowFlags) set(cmd *cobra.Command) bool {
	for _, n := range []string{"from", "to", "from-addr", "to-addr", "protocol", "port", "src-port", "icmp-type", "icmp-code"} {
		if cmd.Flags().Changed(n) {
			return true
		}
	}
	return false
}

func (o *flowFlags) query() (reach.Query, error) {
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

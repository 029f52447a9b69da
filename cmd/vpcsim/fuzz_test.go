package main

import (
	"errors"
	"io"
	"strconv"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// FuzzTraceFlags gives the trace command arbitrary flag values — endpoint
// names and address choices, protocol, ports, source ports, the ephemeral
// range, ICMP type and code — on the embedded example network: a bad value
// is a usage error; anything else is traced and rendered, as text and as
// JSON, without a panic.
func FuzzTraceFlags(f *testing.F) {
	f.Add("internet", "aws_instance.bastion", "", "", "tcp", "22", "", "1024-65535", -1, -1)
	f.Add("10.0.10.71", "10.0.20.45", "private", "", "6", "5432", "40000-40010", "32768-60999", -1, -1)
	f.Add("module.network.aws_subnet.app[0]", "internet", "", "public", "icmp", "", "", "", 8, 0)
	f.Add("i-0123", "::1", "ipv6", "10.0.0.1", "all", "0-65535", "", "0", 300, -5)
	f.Add("", "-", "x", "y", "256", "70000", "a-b", "65535-1", 0, 0)
	in, err := hcl.LoadBytes(exampleInput, examples.Default().State())
	if err != nil {
		f.Fatal(err)
	}
	eng, err := reach.New(in.Network)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, from, to, fromAddr, toAddr, protocol, port, srcPort, ephemeral string, icmpType, icmpCode int) {
		opts := &flowFlags{from: from, to: to, fromAddr: fromAddr, toAddr: toAddr, protocol: protocol, port: port, srcPort: srcPort,
			ephemeral: &ephemeralFlag{value: model.DefaultEphemeral}}
		// The flags take 0-255 or nothing; what else a user types is
		// refused by Set, as cobra would.
		for _, x := range []struct {
			v int
			f *optionalByte
		}{{icmpType, &opts.icmpType}, {icmpCode, &opts.icmpCode}} {
			if x.v >= 0 && x.f.Set(strconv.Itoa(x.v)) != nil {
				return
			}
		}
		if ephemeral != "" {
			if err := opts.ephemeral.Set(ephemeral); err != nil {
				return // cobra reports a bad flag value as a usage error
			}
		}
		q, err := opts.query()
		if err != nil {
			var ue usageError
			if !errors.As(err, &ue) {
				t.Fatalf("query: %v is not a usage error", err)
			}
			return
		}
		r, err := eng.Trace(q)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if err := report.WriteTraceText(io.Discard, r); err != nil {
			t.Fatal(err)
		}
		if err := report.WriteTraceJSON(io.Discard, r); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzSizeFlag reads arbitrary --max-… sizes: a size is accepted and
// prints as one that reads back the same, or is refused.
func FuzzSizeFlag(f *testing.F) {
	for _, s := range []string{"150MB", "16MiB", "2GB", "1000000", " 5 kB", "0", "-1MB", "9223372036854775807", "1e9", "12XB"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var v sizeFlag
		if err := v.Set(s); err != nil {
			return
		}
		if v.n <= 0 {
			t.Fatalf("%q read as %d", s, v.n)
		}
		var again sizeFlag
		if err := again.Set(v.String()); err != nil || again.n != v.n {
			t.Fatalf("%q read as %d, prints %q, reads back %d (%v)", s, v.n, v.String(), again.n, err)
		}
	})
}

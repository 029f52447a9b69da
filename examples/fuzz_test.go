package examples_test

import (
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// FuzzTrace feeds arbitrary endpoint names, address choices, protocols and
// ports to Trace on the three-tier example: it must answer or return an
// error, never panic, and a reachable answer must come with a forward path.
func FuzzTrace(f *testing.F) {
	f.Add("internet", "aws_instance.bastion", "", "", uint8(6), uint16(22), uint16(0))
	f.Add("10.0.10.71", "10.0.20.45", "", "", uint8(6), uint16(5432), uint16(40000))
	f.Add("10.0.10.71", "52.216.8.10", "private", "public", uint8(17), uint16(53), uint16(0))
	f.Add("::ffff:10.0.0.57", "2001:db8::1", "ipv6", "", uint8(58), uint16(0), uint16(0))
	f.Add("aws_nat_gateway.this[0]", "internet", "", "", uint8(1), uint16(8), uint16(0))
	f.Add("module.network.aws_subnet.app[0]", "0.0.0.0", "10.0.0.57", "x", uint8(255), uint16(65535), uint16(1))
	e := engine(f, "three-tier")
	f.Fuzz(func(t *testing.T, from, to, fromAddr, toAddr string, proto uint8, port, srcPort uint16) {
		q := reach.Query{From: from, To: to, FromAddr: reach.AddrChoice(fromAddr), ToAddr: reach.AddrChoice(toAddr), Protocol: model.Protocol(proto)}
		if q.Protocol.HasPorts() {
			p := model.Port(port)
			q.Port = &p
			if srcPort != 0 {
				sp := model.Port(srcPort)
				q.SrcPort = &sp
			}
		}
		r, err := e.Trace(q)
		if err != nil {
			return
		}
		if r.Verdict.Passes() && len(r.Forward) == 0 {
			t.Errorf("%+v: reachable without a forward path", q)
		}
	})
}

package packet_test

import (
	"net/netip"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/reach"
)

// established sets up conns TCP connections from the private instance of
// AWS's NAT example (natNet) to an internet host, through its security group
// (connection tracking), the NAT gateway (its session table) and the
// internet gateway: the packets of each connection, both ways, and where
// each sets off.
func established(tb testing.TB, w *packet.Walker, conns int) (out, back []packet.Header, from, to reach.Position) {
	e := w.Engine()
	from, err := e.StartAt("i-01234567890123456")
	if err != nil {
		tb.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	for i := range conns {
		h := packet.Header{Src: netip.MustParseAddr("10.0.1.5"), Dst: netip.MustParseAddr("203.0.113.5"), SrcPort: uint16(10000 + i), DstPort: 443,
			Protocol: model.ProtocolTCP, Flags: packet.SYN, Length: 60}
		f := w.Walk(from, &h, false, now)
		if f.Outcome != packet.Left {
			tb.Fatalf("%+v", f)
		}
		to, _ = e.PositionOf(f.At.ID())
		r := packet.Header{Src: h.Dst, Dst: h.Src, SrcPort: h.DstPort, DstPort: h.SrcPort, Protocol: model.ProtocolTCP, Flags: packet.SYN | packet.ACK, Length: 60}
		x := r
		if f := w.Walk(to, &x, true, now); f.Outcome != packet.Delivered {
			tb.Fatalf("reply: %+v", f)
		}
		out = append(out, packet.Header{Src: netip.MustParseAddr("10.0.1.5"), Dst: netip.MustParseAddr("203.0.113.5"), SrcPort: uint16(10000 + i), DstPort: 443,
			Protocol: model.ProtocolTCP, Flags: packet.ACK, Length: 1500})
		r.Flags = packet.ACK
		back = append(back, r)
	}
	return out, back, from, to
}

// BenchmarkWalk measures packets of established TCP connections, both ways,
// through the instance's security group (connection tracking), its subnet,
// the NAT gateway (session table), the NAT gateway's subnet and the
// internet gateway (six hops of reach's stepper each way), with and without
// flow-log aggregation, and with reach asked for every hop (no memo of its
// answers). Compare with BenchmarkDecodeBare, gopacket's decoder alone.
func BenchmarkWalk(b *testing.B) {
	for _, tc := range []struct {
		name     string
		flowLogs bool
		cache    bool
	}{{"conntrack+nat", false, true}, {"conntrack+nat+flowlogs", true, true}, {"conntrack+nat-reach-every-hop", false, false}} {
		b.Run(tc.name, func(b *testing.B) {
			e := mustEngine(b)
			var rec packet.Recorder
			if tc.flowLogs {
				agg, err := flowlog.NewAggregator(flowlog.Config{}, packet.FlowLogInterfaces(e), func(*flowlog.Record) error { return nil })
				if err != nil {
					b.Fatal(err)
				}
				rec = agg
			}
			w := packet.NewWalker(e, rec, packet.DefaultTimeouts)
			if !tc.cache {
				w.SetCache(0)
			}
			const conns = 1000
			out, back, from, to := established(b, w, conns)
			now := time.Unix(1700000000, 0)
			var h packet.Header
			hops := 0
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c := (i >> 1) % conns
				var f packet.Fate
				if i&1 == 0 {
					h = out[c]
					f = w.Walk(from, &h, false, now)
				} else {
					h = back[c]
					f = w.Walk(to, &h, true, now)
				}
				if f.Outcome != packet.Left && f.Outcome != packet.Delivered {
					b.Fatalf("%+v", f)
				}
				hops += f.Hops
				i++
			}
			b.ReportMetric(float64(hops)/float64(i), "hops/packet")
			b.ReportMetric(float64(i)/b.Elapsed().Seconds()/1e6, "Mpackets/s")
		})
	}
}

func mustEngine(tb testing.TB) *reach.Engine {
	e, err := natNet().Engine()
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

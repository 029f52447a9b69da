package bench

import (
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/internal/hostile"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// BenchmarkLargeElements measures the networks at the edge of AWS's limits
// (a network ACL with 32,766 rules, a route table with 1,000 routes, a
// prefix list of 10,000 entries; internal/hostile) stage by stage:
// loading the state, building the data plane, one trace, and the exposure
// report. docs/limits.md records the figures.
func BenchmarkLargeElements(b *testing.B) {
	for _, l := range hostile.LargeElements() {
		in, err := hcl.LoadBytes("terraform.tfstate", l.State)
		if err != nil {
			b.Fatal(err)
		}
		eng, err := reach.New(in.Network)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(l.Name+"/load", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(l.State)))
			for b.Loop() {
				if _, err := hcl.LoadBytes("terraform.tfstate", l.State); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(l.Name+"/build", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := reach.New(in.Network); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(l.Name+"/trace", func(b *testing.B) {
			var qs []reach.Query
			for _, f := range l.Flows {
				p := model.Port(uint16(f.Port))
				qs = append(qs, reach.Query{From: f.From, To: f.To, Protocol: model.ProtocolTCP, Port: &p})
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := eng.Trace(qs[i%len(qs)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
		b.Run(l.Name+"/report", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				a, err := eng.Analyze(reach.AnalyzeOptions{})
				if err != nil {
					b.Fatal(err)
				}
				report.NewReport(a, nil, l.Name)
			}
		})
	}
}

package report

import (
	"io"
	"testing"

	"github.com/vpcsim/vpcsim/reach"
)

// BenchmarkWriteReport renders the report of a 2,000-interface estate in
// each format; the analysis itself is reach's and is left out.
func BenchmarkWriteReport(b *testing.B) {
	n := bigNetwork(8, 25, 10)
	n.Synthesize()
	e, err := reach.New(n)
	if err != nil {
		b.Fatal(err)
	}
	a, err := e.Analyze(reach.AnalyzeOptions{})
	if err != nil {
		b.Fatal(err)
	}
	topo := e.Topology()
	b.Run("NewReport", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			NewReport(a, topo, "big")
		}
	})
	r := NewReport(a, topo, "big")
	for _, format := range Formats {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteReport(io.Discard, r, format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("dot", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := WriteGraph(io.Discard, topo, nil, "dot"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

package estate

import (
	"io"
	"testing"
)

// countingWriter counts bytes, so that the benchmark reports throughput
// without keeping the output.
type countingWriter struct{ n int64 }

func (w *countingWriter) Write(b []byte) (int, error) { w.n += int64(len(b)); return len(b), nil }

// BenchmarkGen writes the performance-target estate (Default: 200 VPCs,
// 2,000 subnets, 20,000 instances, 5,000 security groups).
func BenchmarkGen(b *testing.B) {
	p := Default()
	resources := p.Counts().Resources
	b.ReportAllocs()
	var w countingWriter
	for b.Loop() {
		w.n = 0
		if err := Write(&w, p); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(w.n)
	b.ReportMetric(float64(resources)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
}

var _ io.Writer = (*countingWriter)(nil)

package reach

import (
	"encoding/json"
	"sync"
	"testing"
)

// TestConcurrentQueries runs traces, analyses, matrices and topology queries
// on one engine from many goroutines at once, and checks each answer equals
// the one the same query gives alone. Run under -race (CI does), it also
// proves that queries only read the engine New built.
func TestConcurrentQueries(t *testing.T) {
	for name, build := range AgreementNetworks {
		t.Run(name, func(t *testing.T) {
			n := newNet()
			build(n)
			e := n.engine(t)
			var queries []func() any
			for _, x := range e.net.Interfaces {
				for _, y := range e.net.Interfaces {
					if x == y || len(y.PrivateIPs) == 0 {
						continue
					}
					q := tcp(x.ID, y.PrivateIPs[0].String(), 443)
					queries = append(queries, func() any { r, _ := e.Trace(q); return r })
				}
				if len(x.PublicIPs) > 0 {
					q := tcp("203.0.113.9", x.ID, 22)
					queries = append(queries, func() any { r, _ := e.Trace(q); return r })
				}
			}
			queries = append(queries,
				func() any { a, _ := e.Analyze(AnalyzeOptions{}); return a.AllFindings() },
				func() any { m, _ := e.Matrix(MatrixOptions{By: BySubnet, Internet: true}); return m },
				func() any { return e.Topology() },
				func() any { return e.Loops() },
			)
			want := make([]string, len(queries))
			for i, q := range queries {
				want[i] = asJSON(t, q())
			}
			var wg sync.WaitGroup
			for g := 0; g < 4; g++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range queries {
						j := (i + g*len(queries)/4) % len(queries)
						if got := asJSON(t, queries[j]()); got != want[j] {
							t.Errorf("query %d answers differently when run concurrently:\n%s\nwant\n%s", j, got, want[j])
						}
					}
				}()
			}
			wg.Wait()
		})
	}
}

func asJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		t.Errorf("marshal: %v", err)
	}
	return string(b)
}

// Package bench measures vpcsim end to end on synthetic estates written by
// vpcsim gen: loading, building the data plane, tracing, the internet
// exposure report and the segmentation matrix. docs/performance.md records
// the figures and the commands that reproduce them.
package bench

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/internal/estate"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// sizes are estates of about 2,000, 20,000 and 100,000 interfaces; the
// middle one is DESIGN.md's target (200 VPCs, 2,000 subnets, 5,000 groups).
var sizes = []struct {
	name string
	p    func() estate.Params
}{
	{"2k", func() estate.Params { p := estate.Default(); p.VPCs = 20; p.TGWHubs = 2; p.Peerings = 10; return p }},
	{"20k", estate.Default},
	{"100k", func() estate.Params { p := estate.Default(); p.VPCs = 1000; p.TGWHubs = 10; p.Peerings = 200; return p }},
}

var cache sync.Map // size name -> *loaded

type loaded struct {
	state []byte
	net   *model.Network
	eng   *reach.Engine
}

func load(b *testing.B, name string, p estate.Params) *loaded {
	b.Helper()
	if v, ok := cache.Load(name); ok {
		return v.(*loaded)
	}
	var buf bytes.Buffer
	if err := estate.Write(&buf, p); err != nil {
		b.Fatal(err)
	}
	in, err := hcl.LoadBytes(name+".tfstate", buf.Bytes())
	if err != nil {
		b.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		b.Fatal(err)
	}
	es := &loaded{state: buf.Bytes(), net: in.Network, eng: e}
	cache.Store(name, es)
	return es
}

func each(b *testing.B, f func(b *testing.B, es *loaded)) {
	for _, sz := range sizes {
		b.Run(sz.name, func(b *testing.B) {
			if testing.Short() && sz.name == "100k" {
				b.Skip("100k estate in -short mode")
			}
			es := load(b, sz.name, sz.p())
			b.ReportMetric(float64(len(es.net.Interfaces)), "interfaces")
			b.ResetTimer()
			f(b, es)
		})
	}
}

func BenchmarkLoad(b *testing.B) {
	each(b, func(b *testing.B, es *loaded) {
		b.ReportAllocs()
		b.SetBytes(int64(len(es.state)))
		for i := 0; i < b.N; i++ {
			if _, err := hcl.LoadBytes("estate.tfstate", es.state); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkBuild(b *testing.B) {
	each(b, func(b *testing.B, es *loaded) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := reach.New(es.net); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkTrace traces flows between instances of different VPCs and from
// the internet, round robin.
func BenchmarkTrace(b *testing.B) {
	each(b, func(b *testing.B, es *loaded) {
		var qs []reach.Query
		ifs := es.net.Interfaces
		for i := 0; i < 64; i++ {
			a, c := ifs[(i*7919)%len(ifs)], ifs[(i*104729+13)%len(ifs)]
			p := model.Port(uint16([]int{22, 443, 5432, 8080}[i%4]))
			from := a.ID
			if i%3 == 0 {
				from = "203.0.113.7"
			}
			qs = append(qs, reach.Query{From: from, To: c.ID, Protocol: model.ProtocolTCP, Port: &p})
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := es.eng.Trace(qs[i%len(qs)]); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkReport(b *testing.B) {
	each(b, func(b *testing.B, es *loaded) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			a, err := es.eng.Analyze(reach.AnalyzeOptions{})
			if err != nil {
				b.Fatal(err)
			}
			r := report.NewReport(a, nil, "estate")
			if i == 0 {
				b.ReportMetric(float64(len(r.Findings)), "findings")
			}
		}
	})
}

func BenchmarkMatrix(b *testing.B) {
	each(b, func(b *testing.B, es *loaded) {
		if len(es.net.Interfaces) > 50000 {
			b.Skip("the subnet matrix of the 100k estate is measured by hand; see docs/performance.md")
		}
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			m, err := es.eng.Matrix(reach.MatrixOptions{By: reach.BySubnet})
			if err != nil {
				b.Fatal(err)
			}
			if i == 0 {
				b.ReportMetric(float64(len(m.Cells)), "cells")
			}
		}
	})
}

var _ = fmt.Sprint

// BenchmarkRender writes the exposure report as JSON and as text.
func BenchmarkRender(b *testing.B) {
	each(b, func(b *testing.B, es *loaded) {
		if len(es.net.Interfaces) > 50000 {
			b.Skip("measured at 2k and 20k")
		}
		a, err := es.eng.Analyze(reach.AnalyzeOptions{})
		if err != nil {
			b.Fatal(err)
		}
		r := report.NewReport(a, nil, "estate")
		for _, format := range []string{"json", "text"} {
			b.Run(format, func(b *testing.B) {
				b.ReportAllocs()
				var buf bytes.Buffer
				for i := 0; i < b.N; i++ {
					buf.Reset()
					if err := report.WriteReport(&buf, r, format); err != nil {
						b.Fatal(err)
					}
				}
				b.SetBytes(int64(buf.Len()))
			})
		}
	})
}

// changeOneRule returns a copy of the estate's network with one ingress rule
// added to the first web group: the plan pre-check's one-rule change.
func changeOneRule(b *testing.B, es *loaded) *model.Network {
	b.Helper()
	in, err := hcl.LoadBytes("after.tfstate", es.state)
	if err != nil {
		b.Fatal(err)
	}
	for _, sg := range in.Network.SecurityGroups {
		if strings.HasSuffix(sg.Address, `["web"]`) {
			sg.Ingress = append(sg.Ingress, model.SGRule{Direction: model.Ingress, Protocol: model.ProtocolTCP,
				Ports: model.PortRange{First: 8443, Last: 8443}, Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")}})
			return in.Network
		}
	}
	b.Fatal("no web group")
	return nil
}

// BenchmarkPlanCheck is the plan pre-check of a one-rule change after both
// networks are loaded: building the changed network's data plane, the
// comparison (exposures, flows between interfaces and to the internet) and
// its report. BenchmarkPlanCheck/full compares every interface, the
// reference the scoped comparison is tested against.
func BenchmarkPlanCheck(b *testing.B) {
	for _, mode := range []string{"scoped", "full"} {
		b.Run(mode, func(b *testing.B) {
			each(b, func(b *testing.B, es *loaded) {
				if mode == "full" && len(es.net.Interfaces) > 5000 {
					b.Skip("the full comparison of flows between interfaces is the matrix's work: minutes")
				}
				after := changeOneRule(b, es)
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					ea, err := reach.New(after)
					if err != nil {
						b.Fatal(err)
					}
					d, err := reach.Compare(es.eng, ea, reach.CompareOptions{Internal: true, Full: mode == "full"})
					if err != nil {
						b.Fatal(err)
					}
					_ = report.NewDiffReport(d, "plan-check", "before", "after")
				}
			})
		})
	}
}

// BenchmarkCheck runs every built-in design check (vpcsim check without
// intent files) and rates the findings.
func BenchmarkCheck(b *testing.B) {
	each(b, func(b *testing.B, es *loaded) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			res, err := es.eng.Check(reach.CheckOptions{})
			if err != nil {
				b.Fatal(err)
			}
			r := report.NewCheckReport(report.CheckInput{Input: "estate", Result: res})
			if i == 0 {
				b.ReportMetric(float64(len(r.Findings)), "findings")
			}
		}
	})
}

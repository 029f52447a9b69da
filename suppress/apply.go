package suppress

import (
	"fmt"
	"time"

	"github.com/vpcsim/vpcsim/report"
)

// Apply attaches to each finding of r what accepts it — an inline comment
// first, else the baseline (nil: none) — and records the expired
// suppressions that would have accepted a finding, once each, and the
// comments that could not be read as notes. It returns r.
func Apply(r *report.DiffReport, in *Inline, b *Baseline, today time.Time) *report.DiffReport {
	var expired []report.Suppression
	seen := map[string]bool{}
	keep := func(es []report.Suppression) {
		for _, e := range es {
			k := fmt.Sprintf("%s|%s|%d|%s", e.Kind, e.File, e.Line, e.Rule)
			if !seen[k] {
				seen[k] = true
				expired = append(expired, e)
			}
		}
	}
	of := map[*report.DiffFinding]*report.Suppression{}
	for i := range r.Findings {
		f := &r.Findings[i]
		if in != nil {
			s, ex := in.Match(f)
			keep(ex)
			if s != nil {
				of[f] = s
				continue
			}
		}
		s, ex := b.Match(f, today)
		keep(ex)
		of[f] = s
	}
	r.Suppress(func(f *report.DiffFinding) *report.Suppression { return of[f] }, expired)
	if in != nil {
		r.Notes = append(r.Notes, in.Problems()...)
	}
	return r
}

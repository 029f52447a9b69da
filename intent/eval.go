package intent

import (
	"fmt"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// Options configure Evaluate.
type Options struct {
	// Ephemeral is the client port range; the zero value means
	// model.DefaultEphemeral.
	Ephemeral model.PortRange
	// MaxWitnesses caps, per expectation, the violations whose witness is
	// traced; 0 means 20.
	MaxWitnesses int
}

// Result is the outcome of one expectation.
type Result struct {
	// File is the intent file the expectation is in.
	File        string
	Expectation *Expectation
	// Outcome is what reach found; nil when the expectation could not be
	// evaluated (its diagnostics say why).
	Outcome *reach.ExpectResult
}

// Holds reports whether the expectation was evaluated and holds.
func (r *Result) Holds() bool { return r.Outcome != nil && r.Outcome.Holds }

// Evaluate checks every expectation of f on engine e, in the file's order.
// Selectors are resolved against e's network; one that names nothing is an
// error at its position, and its expectation is not evaluated (its Result
// has no Outcome). The plan gate calls it once for each side of a plan.
func Evaluate(e *reach.Engine, f *File, opts Options) ([]Result, model.Diagnostics) {
	x := newIndex(e.Network())
	var out []Result
	var ds model.Diagnostics
	for _, exp := range f.Expectations {
		r := Result{File: f.Name, Expectation: exp}
		from, fds := exp.From.resolve(x)
		to, tds := exp.To.resolve(x)
		eds := append(fds, tds...)
		// Deny and allow need both ends, only its destinations: its
		// allowed sources may be none at all.
		if from.IsEmpty() && exp.Kind != reach.ExpectOnly && !fds.HasErrors() {
			eds = append(eds, emptySelection("from", exp.From))
		}
		if to.IsEmpty() && !tds.HasErrors() {
			eds = append(eds, emptySelection("to", exp.To))
		}
		for i := range eds {
			eds[i].Element = exp.Label()
		}
		ds = append(ds, eds...)
		if !eds.HasErrors() {
			q := reach.Expectation{Kind: exp.Kind, From: from, To: to, Services: exp.Services, Scope: exp.Traffic,
				Ephemeral: opts.Ephemeral, MaxWitnesses: opts.MaxWitnesses}
			res, err := e.Expect(q)
			if err != nil {
				ds = append(ds, model.Diagnostic{Severity: model.SeverityError, Pos: exp.Pos, Element: exp.Label(), Message: err.Error()})
			} else {
				r.Outcome = res
			}
		}
		out = append(out, r)
	}
	return out, ds
}

func emptySelection(attr string, s Selection) model.Diagnostic {
	return model.Diagnostic{Severity: model.SeverityError, Pos: s.Pos,
		Message: fmt.Sprintf("%s = %s selects nothing that sends or receives traffic in this network", attr, s)}
}

// Label names the expectation in messages: `deny "db-not-from-internet"`.
func (x *Expectation) Label() string { return fmt.Sprintf("%s %q", x.Kind, x.Name) }

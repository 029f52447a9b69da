package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcsim/vpcsim/reach"
)

// writeCheckText writes a check report for a terminal: a summary, then one
// block per finding (most serious first) saying what is wrong, where, what
// to change and the witness packet with its path, then the expectations.
func writeCheckText(w io.Writer, r *CheckReport) error {
	tw := &errWriter{w: w}
	tw.printf("vpcsim check\n")
	if r.Input != "" {
		tw.printf("input     %s\n", r.Input)
	}
	tw.printf("checked   %s\n", checkedText(r))
	tw.printf("found     %s\n", checkSummaryText(r))
	for _, n := range r.Notes {
		tw.printf("note      %s: %s\n", n.Code, noteText(n))
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		tw.printf("\n%-8s  %s: %s\n", strings.ToUpper(f.Severity.String()), f.Check, f.Title)
		where := f.Subject.Label
		if f.Rule != nil {
			where += ": " + f.Rule.Text
		}
		if f.Location != nil {
			where = locationText(f.Location) + "  " + where
		}
		tw.printf("  at      %s\n", where)
		tw.printf("  what    %s\n", f.Message)
		if f.SeverityReason != "" {
			tw.printf("  rating  %s\n", f.SeverityReason)
		}
		tw.printf("  fix     %s\n", f.Fix)
		if els := elementsText(f.Elements, 6); els != "" {
			tw.printf("  about   %s\n", els)
		}
		if wt := f.Witness; wt != nil {
			tw.printf("  witness %s", wt.Flow)
			if wt.Trace != nil {
				tw.printf(": %s", wt.Trace.Verdict)
			}
			tw.printf("\n")
			for _, l := range traceLines(wt.Trace) {
				tw.printf("          %s\n", l)
			}
			tw.printf("          %s\n", wt.Command)
		}
	}
	if len(r.Intents) > 0 {
		tw.printf("\nexpectations\n")
		for _, o := range r.Intents {
			line := fmt.Sprintf("  %-11s %s %q  %s:%d", o.Status, o.Kind, o.Name, o.File, o.Line)
			if o.Description != "" {
				line += "  " + o.Description
			}
			if o.Status == "violated" {
				line += fmt.Sprintf(" (%s)", plural(o.Violations, "violation"))
			}
			tw.printf("%s\n", line)
		}
	}
	if len(r.Findings) == 0 {
		tw.printf("\nNothing to report.\n")
	}
	return tw.err
}

func checkedText(r *CheckReport) string {
	s := plural(r.Summary.Checks, "built-in check")
	if n := r.Summary.Expectations; n > 0 {
		s += fmt.Sprintf("; %s: %d hold, %d violated", plural(n, "expectation"), r.Summary.Held, r.Summary.Violated)
		if r.Summary.Unevaluated > 0 {
			s += fmt.Sprintf(", %d not evaluated", r.Summary.Unevaluated)
		}
	}
	return s
}

func checkSummaryText(r *CheckReport) string {
	s := r.Summary
	if s.Findings == 0 {
		return "no findings"
	}
	var parts []string
	for _, sev := range Severities {
		if n := s.Count(sev); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	return plural(s.Findings, "finding") + ": " + strings.Join(parts, ", ")
}

func locationText(l *Location) string {
	if l.Line == 0 {
		return l.File
	}
	return fmt.Sprintf("%s:%d", l.File, l.Line)
}

// elementsText lists up to n elements: "role label (file:line)".
func elementsText(els []Element, n int) string {
	var ss []string
	for i, e := range els {
		if i == n {
			ss = append(ss, fmt.Sprintf("and %d more", len(els)-n))
			break
		}
		s := e.Label
		if e.Role != "" {
			s = e.Role + " " + s
		}
		if e.Rule != nil {
			s += ": " + e.Rule.Text
			if e.Rule.File != "" {
				s += fmt.Sprintf(" (%s:%d)", e.Rule.File, e.Rule.Line)
			}
		} else if e.File != "" {
			s += fmt.Sprintf(" (%s:%d)", e.File, e.Line)
		}
		ss = append(ss, s)
	}
	return strings.Join(ss, "; ")
}

// traceLines condenses a trace: the components crossed each way, and the
// first explanation that stops or qualifies the flow.
func traceLines(r *reach.Result) []string {
	if r == nil {
		return nil
	}
	var out []string
	path := func(hs []reach.Hop) string {
		var ls []string
		for _, h := range hs {
			ls = append(ls, h.Component.Label())
		}
		return strings.Join(ls, " → ")
	}
	if len(r.Forward) > 0 {
		out = append(out, "forward: "+path(r.Forward))
	}
	if len(r.Return) > 0 {
		out = append(out, "return:  "+path(r.Return))
	}
	for _, x := range r.Explanations {
		if x.Severity == reach.SeverityNote {
			continue
		}
		s := fmt.Sprintf("%s %s: %s", x.Direction, x.Code, x.Message)
		if x.Rule != nil {
			s += " (" + x.Rule.String() + ")"
		}
		out = append(out, s)
		break
	}
	return out
}

// writeCheckMarkdown writes a check report as Markdown, for a pull request
// comment or a wiki page: the summary, a table of findings, each finding's
// details folded, and the expectations.
func writeCheckMarkdown(w io.Writer, r *CheckReport) error {
	tw := &errWriter{w: w}
	tw.printf("# vpcsim check\n\n")
	if r.Input != "" {
		tw.printf("**Input:** %s  \n", mdCode(r.Input))
	}
	tw.printf("**Checked:** %s  \n", mdText(checkedText(r)))
	tw.printf("**Found:** %s\n", mdText(checkSummaryText(r)))
	if len(r.Notes) > 0 {
		tw.printf("\n")
		for _, n := range r.Notes {
			tw.printf("- %s: %s\n", mdCode(n.Code), mdText(noteText(n)))
		}
	}
	if len(r.Findings) > 0 {
		tw.printf("\n| severity | check | subject | location |\n|---|---|---|---|\n")
		for _, f := range r.Findings {
			loc := ""
			if f.Location != nil {
				loc = mdCode(locationText(f.Location))
			}
			tw.printf("| %s | %s | %s | %s |\n", f.Severity, mdCode(f.Check), mdCode(f.Subject.Label), loc)
		}
		tw.printf("\n## Findings\n")
		for _, f := range r.Findings {
			tw.printf("\n### %s · %s · %s\n\n", strings.ToUpper(f.Severity.String()), mdText(f.Check), mdText(f.Title))
			if f.Rule != nil {
				tw.printf("**Rule:** %s of %s", mdCode(f.Rule.Text), mdCode(f.Rule.Owner))
				if f.Location != nil {
					tw.printf(" at %s", mdCode(locationText(f.Location)))
				}
				tw.printf("\n\n")
			} else if f.Location != nil {
				tw.printf("**Where:** %s at %s\n\n", mdCode(f.Subject.Label), mdCode(locationText(f.Location)))
			}
			tw.printf("%s\n\n", mdText(f.Message))
			if f.SeverityReason != "" {
				tw.printf("**Rating:** %s  \n", mdText(f.SeverityReason))
			}
			tw.printf("**Fix:** %s\n", mdText(f.Fix))
			if wt := f.Witness; wt != nil {
				tw.printf("\n**Witness:** %s", mdCode(wt.Flow.String()))
				if wt.Trace != nil {
					tw.printf(" — %s", wt.Trace.Verdict)
				}
				tw.printf("\n\n```\n%s\n", wt.Command)
				for _, l := range traceLines(wt.Trace) {
					tw.printf("# %s\n", l)
				}
				tw.printf("```\n")
			}
			if len(f.Elements) > 0 {
				tw.printf("\n<details><summary>%s concerned</summary>\n\n", plural(len(f.Elements), "element"))
				for _, e := range f.Elements {
					s := mdCode(e.Label)
					if e.Role != "" {
						s = e.Role + ": " + s
					}
					if e.Rule != nil {
						s += " " + mdCode(e.Rule.Text) + " (" + mdText(e.Rule.Where) + ")"
					} else if e.File != "" {
						s += fmt.Sprintf(" (%s)", mdCode(fmt.Sprintf("%s:%d", e.File, e.Line)))
					}
					tw.printf("- %s\n", s)
				}
				tw.printf("\n</details>\n")
			}
		}
	}
	if len(r.Intents) > 0 {
		tw.printf("\n## Expectations\n\n| status | expectation | where | violations |\n|---|---|---|---|\n")
		for _, o := range r.Intents {
			name := fmt.Sprintf("%s %q", o.Kind, o.Name)
			if o.Description != "" {
				name += " — " + o.Description
			}
			tw.printf("| %s | %s | %s | %d |\n", o.Status, mdText(name), mdCode(fmt.Sprintf("%s:%d", o.File, o.Line)), o.Violations)
		}
	}
	return tw.err
}

// writeCheckGitHub writes GitHub Actions workflow commands: one annotation
// per finding, at its file and line when it has one (error for critical and
// high, warning for medium and low, notice for info), then a summary notice.
func writeCheckGitHub(w io.Writer, r *CheckReport) error {
	tw := &errWriter{w: w}
	for _, f := range r.Findings {
		level := "notice"
		switch f.Severity {
		case SeverityCritical, SeverityHigh:
			level = "error"
		case SeverityMedium, SeverityLow:
			level = "warning"
		}
		props := []string{}
		if f.Location != nil {
			props = append(props, "file="+ghProperty(f.Location.File))
			if f.Location.Line > 0 {
				props = append(props, fmt.Sprintf("line=%d", f.Location.Line))
			}
			if f.Location.Col > 0 {
				props = append(props, fmt.Sprintf("col=%d", f.Location.Col))
			}
		}
		props = append(props, "title="+ghProperty(fmt.Sprintf("%s (%s): %s", f.Check, f.Severity, f.Title)))
		msg := f.Message + "\nFix: " + f.Fix
		if f.Witness != nil {
			msg += "\nWitness: " + f.Witness.Flow.String() + "\n" + f.Witness.Command
		}
		tw.printf("::%s %s::%s\n", level, strings.Join(props, ","), ghData(msg))
	}
	tw.printf("::notice title=vpcsim check::%s\n", ghData(checkedText(r)+"; "+checkSummaryText(r)))
	return tw.err
}

// ghData escapes a workflow command's message; ghProperty a property's
// value, which may not hold ":" or "," either.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

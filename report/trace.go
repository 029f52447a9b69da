package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vpcsim/vpcsim/reach"
)

// WriteTraceJSON writes r as one indented JSON object; docs/cli.md documents
// its fields. Notes (InputNotes: what the load said about the input) are
// its "notes" member.
func WriteTraceJSON(w io.Writer, r *reach.Result, notes ...Note) error {
	if len(notes) > 0 {
		return withNotes(w, r, notes)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// TraceOptions say how much a text trace says.
type TraceOptions struct {
	// Verbose lists every address range a summary would only count (the
	// destinations excluded from "all of the internet").
	Verbose bool
}

// WriteTraceText writes r the way a network engineer reads a traceroute: one
// hop a line with the headers as they are there, the decisions under it with
// the rule that made each and its file:line, then the verdict and why.
func WriteTraceText(w io.Writer, r *reach.Result, notes ...Note) error {
	return WriteTraceTextOptions(w, r, TraceOptions{}, notes...)
}

// WriteTraceTextOptions is WriteTraceText with options.
func WriteTraceTextOptions(w io.Writer, r *reach.Result, opts TraceOptions, notes ...Note) error {
	tw := &errWriter{w: w}
	defer writeNotesText(tw, notes)
	tw.printf("trace  %s\n", r.Flow)
	tw.printf("from   %s\n", endpointText(r.From))
	tw.printf("to     %s\n", endpointText(r.To))
	tw.printf("\n")
	writeHops(tw, "forward", r.Forward)
	if len(r.Return) > 0 {
		writeHops(tw, "return", r.Return)
	}
	switch r.Verdict {
	case reach.PartlyReachable:
		if x := partialAddresses(r); x != nil && !opts.Verbose && r.Passing != nil && max(len(r.Passing.Sources), len(r.Passing.Destinations)) > briefAddresses {
			// All of the internet but a few addresses is a page of ranges:
			// the flow asked, and what fails, say the same in two lines.
			what, failing := "destination", x.Headers.Destinations
			if len(r.Passing.Sources) > len(r.Passing.Destinations) {
				what, failing = "source", x.Headers.Sources
			}
			tw.printf("REACHABLE (partly): %s passes both ways, except for %s (--verbose lists what passes)\n", r.Flow, briefList(failing, what))
		} else {
			tw.printf("REACHABLE (partly): %s passes both ways\n", r.Passing)
		}
	case reach.Reachable:
		tw.printf("REACHABLE: the flow passes and its replies come back\n")
	default:
		tw.printf("NOT REACHABLE\n")
	}
	for _, x := range r.Explanations {
		dir := "note"
		if x.Direction != 0 {
			dir = x.Direction.String()
		}
		tw.printf("  %-8s %-7s %s: %s\n", x.Severity, dir, x.Code, x.Message)
		if x.Rule != nil {
			tw.printf("                   rule: %s\n", x.Rule)
		}
		if x.Headers != nil && (r.Verdict.Passes() || x.Headers.String() != r.Flow.String()) {
			tw.printf("                   for:  %s\n", x.Headers)
		}
	}
	writeLegs(tw, r)
	return tw.err
}

// briefAddresses is the number of address ranges from which a text trace
// names what fails rather than what passes.
const briefAddresses = 4

// partialAddresses is the explanation that says which addresses of a
// partly reachable flow fail, if any.
func partialAddresses(r *reach.Result) *reach.Explanation {
	for i, x := range r.Explanations {
		if x.Code == reach.CodePartialAddresses && x.Headers != nil {
			return &r.Explanations[i]
		}
	}
	return nil
}

// briefList names a few address ranges, and counts the rest.
func briefList(rs []reach.AddrRange, what string) string {
	ss := make([]string, 0, briefAddresses)
	for _, r := range rs[:min(len(rs), briefAddresses)] {
		ss = append(ss, r.String())
	}
	s := fmt.Sprintf("%d %s", len(rs), what)
	if len(rs) != 1 {
		s += "s"
	}
	s += " " + strings.Join(ss, ", ")
	if len(rs) > briefAddresses {
		s += fmt.Sprintf(" and %d more", len(rs)-briefAddresses)
	}
	return s
}

// writeLegs lists the ways through load balancers a trace found: to each
// target of a load balancer destination, or through each load balancer to
// a target destination.
func writeLegs(tw *errWriter, r *reach.Result) {
	if len(r.LoadBalancing) == 0 {
		return
	}
	tw.printf("\nthrough load balancers:\n")
	for _, l := range r.LoadBalancing {
		verdict := "NOT REACHABLE"
		switch l.Verdict {
		case reach.Reachable:
			verdict = "REACHABLE"
		case reach.PartlyReachable:
			verdict = "REACHABLE (partly)"
		}
		tw.printf("  %s: %s\n", l.LoadBalancing, verdict)
		tw.printf("      to %s", l.Target.Label())
		if a := l.TargetAddress.String(); l.TargetAddress.IsValid() && a != l.Target.Label() {
			tw.printf(" at %s", a)
		}
		if l.Rule != "" && l.Rule != "default action" {
			tw.printf(" (%s)", l.Rule)
		}
		tw.printf("\n")
		if l.Flow != nil && r.To != nil && r.To.Kind != reach.EndpointLoadBalancer {
			tw.printf("      the client sends %s\n", l.Flow)
		}
		for _, x := range l.Explanations {
			tw.printf("      %-8s %-7s %s: %s\n", x.Severity, x.Direction, x.Code, x.Message)
		}
	}
}

func endpointText(e *reach.Endpoint) string {
	var b strings.Builder
	switch {
	case e.Owner != nil:
		b.WriteString(e.Owner.Describe())
		if e.Component != nil {
			fmt.Fprintf(&b, " via %s", e.Component.Label())
		}
	case e.Component != nil:
		b.WriteString(e.Component.Describe())
	default:
		b.WriteString(e.Kind)
	}
	if e.Kind == reach.EndpointInternet && strings.EqualFold(e.Input, "internet") {
		b.WriteString(" [every public address outside the network]")
	} else {
		addrs := make([]string, len(e.Addresses))
		for i, a := range e.Addresses {
			addrs[i] = a.String()
		}
		fmt.Fprintf(&b, " [%s]", strings.Join(addrs, ", "))
	}
	if e.Placeholder {
		b.WriteString(" (placeholder address: unknown until apply)")
	}
	return b.String()
}

func writeHops(tw *errWriter, title string, hops []reach.Hop) {
	tw.printf("%s:\n", title)
	for i, h := range hops {
		where := ""
		if !h.Component.Pos.IsZero() {
			where = "  " + h.Component.Pos.String()
		}
		tw.printf("%3d  %-28s %s%s\n", i+1, h.Component.Kind, h.Component.Label(), where)
		tw.printf("       %s\n", h.Headers)
		for _, c := range h.Caveats {
			tw.printf("       caveat: %s\n", c)
		}
		for _, s := range h.Steps {
			tw.printf("       %s\n", stepText(s))
			for _, r := range s.Rules {
				tw.printf("           %s  [%s]\n", r.Text, r.Where())
			}
		}
	}
	tw.printf("\n")
}

func stepText(s reach.Step) string {
	switch s.Kind {
	case reach.StepSecurityGroup:
		groups := make([]string, 0, len(s.Groups))
		for _, g := range s.Groups {
			groups = append(groups, g.Label())
		}
		text := fmt.Sprintf("security groups %s: %s %s", s.Direction, s.Decision, strings.Join(groups, ", "))
		if s.Detail != "" {
			text += " (" + s.Detail + ")"
		}
		return text
	case reach.StepNetworkACL:
		return fmt.Sprintf("network ACL %s %s: %s", s.Component.Label(), s.Direction, s.Decision)
	case reach.StepRoute:
		return fmt.Sprintf("%s %s: %s", s.Component.Kind, s.Component.Label(), s.Decision)
	case reach.StepTranslate:
		return fmt.Sprintf("%s: %s", s.Decision, s.Detail)
	}
	return fmt.Sprintf("%s %s %s", s.Kind, s.Decision, s.Detail)
}

// errWriter keeps the first write error so rendering code stays linear.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// writeJSON writes v as one indented JSON object, without HTML escaping
// (rule texts hold "->" and "<").
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// writeReportText writes the report for a terminal: a summary, then one
// block per target (most serious first) with a line per finding, the reason
// for its rating, and the rules that let it through with their file:line.
func writeReportText(w io.Writer, r *Report) error {
	tw := &errWriter{w: w}
	tw.printf("vpcsim exposure report\n")
	if r.Input != "" {
		tw.printf("input    %s\n", r.Input)
	}
	tw.printf("source   %s\n", r.Source)
	tw.printf("found    %s\n", summaryText(r))
	for _, n := range r.Notes {
		tw.printf("note     %s: %s\n", n.Code, noteText(n))
	}
	if len(r.Findings) == 0 {
		tw.printf("\nNothing is reachable from %s.\n", r.SourceText())
		return tw.err
	}
	svcW, srcW := 0, 0
	for _, f := range r.Findings {
		svcW = max(svcW, utf8.RuneCountInString(f.ServiceText()))
		srcW = max(srcW, utf8.RuneCountInString(f.SourcesSummary))
	}
	for _, g := range groupByTarget(r.Findings) {
		f0 := g[0]
		many := false
		for _, f := range g {
			many = many || f.Interface != f0.Interface
		}
		if many {
			// A load balancer's nodes, an Auto Scaling group's subnets:
			// each finding names its interface.
			f0.Interface, f0.Subnet = f0.Target, ""
		}
		tw.printf("\n%s\n", targetHeading(&f0))
		for _, f := range g {
			dest := strings.Join(f.Destinations, ", ")
			if f.Placeholder {
				dest += " (placeholder address: unknown until apply)"
			}
			tw.printf("  %-8s  %-*s  %-*s  -> %s\n", f.Severity, svcW, f.ServiceText(), srcW, f.SourcesSummary, dest)
			const indent = "            "
			if many {
				tw.printf("%son %s\n", indent, interfaceText(&f))
			}
			tw.printf("%s%s\n", indent, f.SeverityReason)
			if f.Partial {
				tw.printf("%s%s\n", indent, partialText(&f))
			}
			for _, n := range f.Notes {
				tw.printf("%snote: %s\n", indent, n.Message)
			}
			for _, s := range keySteps(f.Path) {
				for _, rule := range s.Rules {
					tw.printf("%s%-7s  %s: %s  [%s]\n", indent, s.Direction, rule.Owner, rule.Text, rule.Where)
				}
			}
		}
	}
	return tw.err
}

// groupByTarget splits sorted findings into runs per target, ordered by
// each target's most serious finding, so the worst target comes first.
func groupByTarget(fs []Finding) [][]Finding {
	idx := map[string]int{}
	var out [][]Finding
	for _, f := range fs {
		i, ok := idx[f.Target]
		if !ok {
			i = len(out)
			idx[f.Target] = i
			out = append(out, nil)
		}
		out[i] = append(out[i], f)
	}
	return out
}

// targetHeading names a target with its kind, ID, interface and place.
func targetHeading(f *Finding) string {
	var b strings.Builder
	b.WriteString(f.Target)
	var what []string
	k := f.TargetKind
	if f.TargetID != "" && f.TargetID != f.Target {
		k += " " + f.TargetID
	}
	what = append(what, k)
	if f.Interface != f.Target {
		what = append(what, "interface "+f.Interface)
	}
	if f.Subnet != "" {
		what = append(what, "in "+f.Subnet)
	}
	if f.VPC != "" {
		what = append(what, f.VPC)
	}
	fmt.Fprintf(&b, "  (%s)", strings.Join(what, ", "))
	return b.String()
}

// interfaceText names the interface a finding reaches, and its subnet.
func interfaceText(f *Finding) string {
	if f.Subnet == "" {
		return f.Interface
	}
	return f.Interface + " in " + f.Subnet
}

func summaryText(r *Report) string {
	s := r.Summary
	if s.Total == 0 {
		return "no findings"
	}
	var parts []string
	for _, sev := range Severities {
		if n := s.Count(sev); n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	text := fmt.Sprintf("%s on %s: %s", plural(s.Total, "finding"), plural(s.Targets, "target"), strings.Join(parts, ", "))
	if s.Partial > 0 {
		text += fmt.Sprintf(" (%d partial)", s.Partial)
	}
	return text
}

func partialText(f *Finding) string {
	if f.ReturnPorts != "" {
		return "partial: replies come back only to client ports " + f.ReturnPorts
	}
	return "partial: replies come back for part of the connections only"
}

func noteText(n Note) string {
	s := n.Message
	if n.Component != "" {
		s = n.Component + ": " + s
	}
	if where := noteWhere(n); where != "" {
		s = where + ": " + s
	}
	return s
}

// noteWhere is the file and line a note of the input points at.
func noteWhere(n Note) string {
	switch {
	case n.File != "" && n.Line > 0:
		return fmt.Sprintf("%s:%d", n.File, n.Line)
	case n.File != "":
		return n.File
	}
	return ""
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

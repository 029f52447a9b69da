package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/reach"
)

// sourceWords say what each kind of source is, for headings and summaries.
var sourceWords = map[string]string{
	"internet":         "exposures from the internet",
	"on-premises":      "exposures from on-premises networks",
	reach.SourceEstate: "flows between the network's interfaces",
	reach.SourceEgress: "flows from the network's interfaces to the internet",
}

// title is the report's first line.
func (r *DiffReport) title() string {
	if r.Command == "plan-check" {
		return "vpcsim plan pre-check"
	}
	return "vpcsim diff"
}

// verdict is the gate's verdict as one line: PASS or FAIL and why.
func (r *DiffReport) verdict() string {
	if r.Gate == nil {
		return ""
	}
	word := "PASS"
	if r.Gate.Failed {
		word = "FAIL"
	}
	return fmt.Sprintf("%s: %s (--fail-on %s)", word, r.Gate.Reason, r.Gate.FailOn)
}

// scopeText says how much was analysed.
func (r *DiffReport) scopeText() string {
	s := r.Scope
	if s.Full {
		return fmt.Sprintf("all %d interfaces (%s)", s.Interfaces, s.Reason)
	}
	return fmt.Sprintf("%d of %d interfaces: the flows of the others cannot change", s.Analysed, s.Interfaces)
}

// summaryText counts the findings in words.
func (r *DiffReport) summaryText() string {
	s := r.Summary
	out := fmt.Sprintf("exposures: %d new, %d widened, %d narrowed, %d closed, %d unchanged", s.New, s.Widened, s.Narrowed, s.Closed, s.Unchanged)
	if slices.Contains(r.Sources, reach.SourceEstate) {
		out += fmt.Sprintf("; flows: %d opened or widened, %d closed or narrowed", s.FlowsOpened, s.FlowsClosed)
	}
	if s.Suppressed > 0 {
		out += fmt.Sprintf("; %d suppressed", s.Suppressed)
	}
	return out
}

// whoText is the finding's other end in words: where the traffic comes
// from, or for egress where it goes.
func (f *DiffFinding) whoText() string {
	if f.Source == reach.SourceEgress {
		return "to " + f.SourcesSummary
	}
	return "from " + f.SourcesSummary
}

// changeText says what changed of a finding that was there before and is
// still there: which sources (or destinations, or client ports) came or
// went.
func (f *DiffFinding) changeText() []string {
	var out []string
	word := "sources"
	switch f.Source {
	case reach.SourceEstate:
		word = "source interfaces"
	case reach.SourceEgress:
		word = "destinations"
	}
	if len(f.Added) > 0 {
		out = append(out, "added "+word+": "+listOf(f.Added))
	}
	if len(f.Removed) > 0 {
		out = append(out, "removed "+word+": "+listOf(f.Removed))
	}
	if f.AddedClientPorts != "" {
		out = append(out, "replies now come back to client ports "+f.AddedClientPorts)
	}
	if f.RemovedClientPorts != "" {
		out = append(out, "replies no longer come back to client ports "+f.RemovedClientPorts)
	}
	return out
}

// listOf lists up to eight items, then counts the rest.
func listOf(items []string) string {
	if len(items) <= 8 {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:8], ", "), len(items)-8)
}

// writeDiffText writes the comparison for a terminal: the verdict and the
// counts, then each finding that changed — what opens first — with why it
// changed (the changes of the network it is attributed to, with their
// file:line), the unchanged exposures of the targets analysed, the changes
// of the network, the notes.
func writeDiffText(w io.Writer, r *DiffReport) error {
	tw := &errWriter{w: w}
	tw.printf("%s\n", r.title())
	tw.printf("before    %s\n", r.Before)
	tw.printf("after     %s\n", r.After)
	var compared []string
	for _, s := range r.Sources {
		compared = append(compared, sourceWords[s])
	}
	tw.printf("compared  %s\n", strings.Join(compared, "; "))
	tw.printf("analysed  %s\n", r.scopeText())
	if v := r.verdict(); v != "" {
		tw.printf("gate      %s\n", v)
	}
	tw.printf("summary   %s\n", r.summaryText())
	sections := []struct {
		title string
		keep  func(f *DiffFinding) bool
	}{
		{"Opened or widened", func(f *DiffFinding) bool { return f.Status.Opens() }},
		{"Closed or narrowed", func(f *DiffFinding) bool {
			return f.Status == reach.StatusClosed || f.Status == reach.StatusNarrowed
		}},
		{"Unchanged exposures of the targets analysed", func(f *DiffFinding) bool { return f.Status == reach.StatusUnchanged && f.Exposure() }},
	}
	for _, sec := range sections {
		var fs []*DiffFinding
		for i := range r.Findings {
			if sec.keep(&r.Findings[i]) {
				fs = append(fs, &r.Findings[i])
			}
		}
		if len(fs) == 0 {
			continue
		}
		tw.printf("\n%s (%d)\n", sec.title, len(fs))
		last := ""
		for _, f := range fs {
			if f.Source != last {
				tw.printf("  %s\n", sourceWords[f.Source])
				last = f.Source
			}
			writeDiffFindingText(tw, f)
		}
	}
	if len(r.Intents) > 0 {
		tw.printf("\nIntent files: %d violations new or changed, %d resolved\n", r.Summary.IntentsNew, r.Summary.IntentsResolved)
		for _, c := range r.Intents {
			mark := ""
			if c.Fails {
				mark = "  FAILS"
			}
			tw.printf("    %-8s %-9s %s: %s%s\n", c.Severity, c.Status, c.Check, c.Message, mark)
			if c.Location != nil {
				tw.printf("              expectation at %s\n", locationText(c.Location))
			}
			if c.Witness != nil && c.Witness.Command != "" {
				tw.printf("              witness: %s\n", c.Witness.Command)
			}
		}
	}
	if len(r.ExpiredSuppressions) > 0 {
		tw.printf("\nExpired suppressions (%d): they accept nothing until renewed or removed\n", len(r.ExpiredSuppressions))
		for _, s := range r.ExpiredSuppressions {
			tw.printf("  %s  %s\n", suppressionWhere(s), suppressionText(s))
		}
	}
	tw.printf("\nChanges in the network (%d)\n", len(r.Changes))
	if len(r.Changes) == 0 {
		tw.printf("  none that can change reachability\n")
	}
	for _, c := range r.Changes {
		tw.printf("  %s\n", changeLine(c))
	}
	if len(r.Notes) > 0 {
		tw.printf("\nNotes\n")
		writeNotesText(tw, r.Notes)
	}
	return tw.err
}

func writeDiffFindingText(tw *errWriter, f *DiffFinding) {
	const indent = "              "
	mark := ""
	switch {
	case f.Fails:
		mark = "  FAILS"
	case f.Suppressed != nil:
		mark = "  suppressed"
	}
	svc := f.ServiceText()
	if f.Service != "" {
		svc += " (" + f.Service + ")"
	}
	tw.printf("    %-8s %-9s %s  %s  %s%s\n", f.Severity, f.Status, f.Target, svc, f.whoText(), mark)
	tw.printf("%s%s\n", indent, f.SeverityReason)
	if f.Placeholder {
		tw.printf("%saddress unknown until apply (a placeholder stands for it)\n", indent)
	}
	for _, n := range f.Notes {
		tw.printf("%snote: %s\n", indent, n.Message)
	}
	if f.Status == reach.StatusWidened || f.Status == reach.StatusNarrowed {
		for _, l := range f.changeText() {
			tw.printf("%s%s\n", indent, l)
		}
	}
	for _, c := range f.Causes {
		tw.printf("%scaused by %s  [%s]\n", indent, c.Text, causeWhere(c))
	}
	if f.Status != reach.StatusUnchanged && len(f.Causes) == 0 {
		tw.printf("%scaused by no change on its path that vpcsim can name\n", indent)
	}
	for _, v := range f.Via {
		tw.printf("%svia %s\n", indent, v.Text)
	}
	if f.OnlyViaLoadBalancer {
		tw.printf("%snot reached at its own addresses\n", indent)
	}
	if f.OpenedBy != nil && f.Status != reach.StatusClosed {
		tw.printf("%sopened by %s: %s  [%s]\n", indent, f.OpenedBy.Owner, f.OpenedBy.Text, f.OpenedBy.Where)
	}
	if s := f.Suppressed; s != nil {
		tw.printf("%ssuppressed by %s  [%s]\n", indent, suppressionText(*s), suppressionWhere(*s))
	}
	tw.printf("%sfingerprint %s\n", indent, f.Fingerprint)
}

// causeWhere is where a cause is written, saying when it was deleted.
func causeWhere(c Cause) string {
	if c.Gone {
		return "removed: " + c.Where
	}
	return c.Where
}

func changeLine(c NetworkChange) string {
	s := fmt.Sprintf("%s  %s: %s", c.Where, c.Element, c.Detail)
	if c.Resource != "" && c.Resource != c.Element && !strings.Contains(c.Where, c.Resource) {
		s += "  (" + c.Resource + ")"
	}
	if c.Gone {
		s += "  [removed: the position is in the configuration before]"
	}
	return s
}

// suppressionText says what a suppression accepts and why.
func suppressionText(s Suppression) string {
	t := s.Kind + " " + s.Rule
	if s.Expires != "" {
		t += " until " + s.Expires
		if s.Expired {
			t += " (expired)"
		}
	}
	if s.Reason != "" {
		t += ": " + s.Reason
	}
	return t
}

func suppressionWhere(s Suppression) string {
	if s.Line > 0 {
		return fmt.Sprintf("%s:%d", s.File, s.Line)
	}
	return s.File
}

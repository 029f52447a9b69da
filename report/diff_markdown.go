package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcsim/vpcsim/reach"
)

// maxComment is the most a Markdown comparison writes, in bytes: GitHub
// refuses a comment body over 65,536 characters, and a character is at
// least a byte. The margin leaves room for a workflow to add a line.
const maxComment = 65000

// budget collects Markdown up to a size; what does not fit is counted.
type budget struct {
	sb    strings.Builder
	limit int
}

// fits reports whether n more bytes, and the reserve kept for closing what
// is open, still fit.
func (b *budget) fits(n, reserve int) bool { return b.sb.Len()+n+reserve <= b.limit }

func (b *budget) write(s string) { b.sb.WriteString(s) }

// table writes a table with as many rows as fit, then a row counting the
// others.
func (b *budget) table(header string, cols int, rows []string) {
	const reserve = 800 // the count row, closing tags, the sections still to come or their "not shown" lines
	b.write(header)
	for i, row := range rows {
		if !b.fits(len(row), reserve) {
			b.write(fmt.Sprintf("| %s more not shown: the JSON and SARIF outputs have every one |%s\n", countWord(len(rows)-i), strings.Repeat(" |", cols-1)))
			return
		}
		b.write(row)
	}
}

// notShown names a section the comment has no room for, with its count:
// nothing is dropped without a word. It fits in the reserve every check of
// fits keeps.
func (b *budget) notShown(title string, n int) {
	b.write(fmt.Sprintf("_%s (%d): not shown, the comment is full; the JSON and SARIF outputs have every one._\n\n", title, n))
}

func countWord(n int) string { return fmt.Sprintf("%d", n) }

// writeDiffMarkdown writes the comparison as a pull request comment under
// limit bytes: the verdict and the counts first, then the exposures that
// open, then everything else folded in <details>; a table that does not fit
// says how many rows it leaves out.
func writeDiffMarkdown(w io.Writer, r *DiffReport, limit int) error {
	b := &budget{limit: limit}
	head := r.title()
	switch {
	case r.Gate != nil && r.Gate.Failed:
		head += ": ❌ FAIL"
	case r.Gate != nil:
		head += ": ✅ PASS"
	}
	b.write("## " + head + "\n\n")
	if r.Gate != nil {
		b.write(fmt.Sprintf("**%s** (`--fail-on %s`)\n\n", mdText(r.Gate.Reason), r.Gate.FailOn))
	}
	s := r.Summary
	b.write("| | new | widened | narrowed | closed | unchanged |\n|---|---:|---:|---:|---:|---:|\n")
	b.write(fmt.Sprintf("| exposures | %d | %d | %d | %d | %d |\n\n", s.New, s.Widened, s.Narrowed, s.Closed, s.Unchanged))
	var extra []string
	for _, src := range r.Sources {
		if src == reach.SourceEstate {
			extra = append(extra, fmt.Sprintf("flows between interfaces and to the internet: %d opened or widened, %d closed or narrowed", s.FlowsOpened, s.FlowsClosed))
		}
	}
	if s.Suppressed > 0 {
		extra = append(extra, fmt.Sprintf("%d suppressed", s.Suppressed))
	}
	if n := len(r.ExpiredSuppressions); n > 0 {
		extra = append(extra, fmt.Sprintf("**%d expired suppressions**", n))
	}
	extra = append(extra, "analysed "+mdText(r.scopeText()))
	b.write(strings.Join(extra, " · ") + "\n\n")
	b.write(fmt.Sprintf("Before: %s · After: %s\n\n", mdCode(r.Before), mdCode(r.After)))

	const findingHeader = "| | Severity | Status | Target | Service | Who | Caused by |\n|---|---|---|---|---|---|---|\n"
	row := func(f *DiffFinding) string {
		mark := ""
		switch {
		case f.Fails:
			mark = "❌"
		case f.Suppressed != nil:
			mark = "🔇"
		}
		svc := mdText(f.ServiceText())
		if f.Service != "" {
			svc += " (" + mdText(f.Service) + ")"
		}
		who := mdText(f.whoText())
		if f.Status == reach.StatusWidened || f.Status == reach.StatusNarrowed {
			for _, l := range f.changeText() {
				who += "<br>" + mdText(l)
			}
		}
		for _, n := range f.Notes {
			who += "<br>note: " + mdText(n.Message)
		}
		for _, v := range f.Via {
			who += "<br>via " + mdText(v.Text)
		}
		var causes []string
		for _, c := range f.Causes {
			causes = append(causes, mdCode(causeWhere(c))+" "+mdText(c.Text))
		}
		if f.Suppressed != nil {
			causes = append(causes, "suppressed: "+mdText(suppressionText(*f.Suppressed)))
		}
		return fmt.Sprintf("| %s | **%s** | %s | %s | %s | %s | %s |\n", mark, f.Severity, f.Status, mdCode(f.Target), svc, who, strings.Join(causes, "<br>"))
	}
	pick := func(keep func(f *DiffFinding) bool) []string {
		var rows []string
		for i := range r.Findings {
			if keep(&r.Findings[i]) {
				rows = append(rows, row(&r.Findings[i]))
			}
		}
		return rows
	}
	opened := pick(func(f *DiffFinding) bool { return f.Status.Opens() && f.Exposure() })
	b.write(fmt.Sprintf("### Opened or widened exposures (%d)\n\n", len(opened)))
	if len(opened) == 0 {
		b.write("None.\n\n")
	} else {
		b.table(findingHeader, 7, opened)
		b.write("\n")
	}
	// The intent files' violations come before the folded sections: a new
	// one fails the gate like an exposure that opens.
	if len(r.Intents) > 0 {
		var rows []string
		for _, c := range r.Intents {
			mark := ""
			if c.Fails {
				mark = "❌"
			}
			where := ""
			if c.Location != nil {
				where = mdCode(locationText(c.Location))
			}
			rows = append(rows, fmt.Sprintf("| %s | **%s** | %s | %s | %s | %s |\n", mark, c.Severity, c.Status, mdCode(c.Check), mdText(c.Message), where))
		}
		title := fmt.Sprintf("Intent files: %d violations new or changed, %d resolved", r.Summary.IntentsNew, r.Summary.IntentsResolved)
		if b.fits(200, 400) {
			b.write("### " + title + "\n\n")
			b.table("| | Severity | Status | Expectation | Violation | Where |\n|---|---|---|---|---|---|\n", 6, rows)
			b.write("\n")
		} else {
			b.notShown(title, len(rows))
		}
	}
	folded := []struct {
		title string
		rows  []string
	}{
		{"Closed or narrowed exposures", pick(func(f *DiffFinding) bool {
			return !f.Status.Opens() && f.Status != reach.StatusUnchanged && f.Exposure()
		})},
		{"Flows between interfaces and to the internet that changed", pick(func(f *DiffFinding) bool { return f.Status != reach.StatusUnchanged && !f.Exposure() })},
		{"Unchanged exposures of the targets analysed", pick(func(f *DiffFinding) bool { return f.Status == reach.StatusUnchanged && f.Exposure() })},
	}
	for _, sec := range folded {
		if len(sec.rows) == 0 {
			continue
		}
		if !b.fits(200, 400) {
			b.notShown(sec.title, len(sec.rows))
			continue
		}
		b.write(fmt.Sprintf("<details><summary>%s (%d)</summary>\n\n", sec.title, len(sec.rows)))
		b.table(findingHeader, 7, sec.rows)
		b.write("\n</details>\n\n")
	}
	var changes []string
	for _, c := range r.Changes {
		changes = append(changes, fmt.Sprintf("| %s | %s | %s |\n", mdCode(c.Where), mdCode(c.Element), mdText(c.Detail)))
	}
	switch {
	case len(changes) > 0 && b.fits(200, 400):
		b.write(fmt.Sprintf("<details><summary>Changes in the network (%d)</summary>\n\n", len(changes)))
		b.table("| Where | Element | Change |\n|---|---|---|\n", 3, changes)
		b.write("\n</details>\n\n")
	case len(changes) > 0:
		b.notShown("Changes in the network", len(changes))
	}
	var notes []string
	for _, s := range r.ExpiredSuppressions {
		notes = append(notes, fmt.Sprintf("| %s | expired suppression: %s |\n", mdCode(suppressionWhere(s)), mdText(suppressionText(s))))
	}
	for _, n := range r.Notes {
		notes = append(notes, fmt.Sprintf("| %s | %s |\n", mdCode(n.Code), mdText(noteText(n))))
	}
	switch {
	case len(notes) > 0 && b.fits(200, 100):
		b.write(fmt.Sprintf("<details><summary>Notes (%d)</summary>\n\n", len(notes)))
		b.table("| | Note |\n|---|---|\n", 2, notes)
		b.write("\n</details>\n")
	case len(notes) > 0:
		b.notShown("Notes", len(notes))
	}
	_, err := io.WriteString(w, b.sb.String())
	return err
}

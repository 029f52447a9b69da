package report

import (
	"fmt"
	"io"
	"strings"
)

// writeReportMarkdown writes the report as GitHub-flavoured Markdown, for a
// pull-request comment or a wiki page: the summary, one table row per
// finding with the rules that let it through, and the notes — under limit
// bytes (GitHub's comment limit), the findings that do not fit counted, the
// most severe first.
func writeReportMarkdown(w io.Writer, r *Report, limit int) error {
	b := &budget{limit: limit}
	tw := &errWriter{w: &b.sb}
	tw.printf("# vpcsim exposure report\n\n")
	if r.Input != "" {
		tw.printf("Input: %s · ", mdCode(r.Input))
	}
	tw.printf("Source: **%s** · %s\n\n", mdText(r.Source), mdText(summaryText(r)))
	tw.printf("| Severity | Findings |\n|---|---:|\n")
	for _, sev := range Severities {
		tw.printf("| %s | %d |\n", sev, r.Summary.Count(sev))
	}
	tw.printf("\n## Findings\n\n")
	if len(r.Findings) == 0 {
		tw.printf("Nothing is reachable from %s.\n", mdText(r.SourceText()))
	} else {
		rows := make([]string, 0, len(r.Findings))
		for i, f := range r.Findings {
			target := mdCode(f.Target)
			if f.Interface != f.Target {
				target += "<br>via " + mdCode(f.Interface)
			}
			service := mdText(f.ServiceText())
			if f.Service != "" {
				service += " (" + mdText(f.Service) + ")"
			}
			why := mdText(f.SeverityReason)
			if f.Partial {
				why += "<br>**" + mdText(partialText(&f)) + "**"
			}
			if f.Placeholder {
				why += "<br>placeholder address: unknown until apply"
			}
			for _, n := range f.Notes {
				why += "<br>note: " + mdText(n.Message)
			}
			var path []string
			for _, s := range keySteps(f.Path) {
				for _, rule := range s.Rules {
					path = append(path, fmt.Sprintf("%s %s: %s %s", s.Direction, mdCode(rule.Owner), mdText(rule.Text), mdCode(rule.Where)))
				}
			}
			rows = append(rows, fmt.Sprintf("| %d | **%s** | %s | %s | %s | %s | %s |\n", i+1, f.Severity, target, service,
				mdText(f.SourcesSummary), why, strings.Join(path, "<br>")))
		}
		b.table("| # | Severity | Target | Service | Sources | Why | Path |\n|---:|---|---|---|---|---|---|\n", 7, rows)
	}
	if len(r.Notes) > 0 {
		b.write("\n## Notes\n\n")
		for i, n := range r.Notes {
			line := fmt.Sprintf("- %s: %s\n", mdCode(n.Code), mdText(noteText(n)))
			if !b.fits(len(line), 200) {
				b.write(fmt.Sprintf("- %d more notes not shown: the JSON and SARIF outputs have every one\n", len(r.Notes)-i))
				break
			}
			b.write(line)
		}
	}
	if tw.err != nil {
		return tw.err
	}
	_, err := io.WriteString(w, b.sb.String())
	return err
}

// mdText escapes what would break a table cell or turn into markup.
func mdText(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;", "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`)

// mdCode is s as inline code; a pipe still ends a table cell inside code on
// GitHub, so it is escaped.
func mdCode(s string) string {
	if s == "" {
		return ""
	}
	s = strings.ReplaceAll(strings.ReplaceAll(s, "|", `\|`), "\n", " ")
	if strings.Contains(s, "`") {
		return "`` " + s + " ``"
	}
	return "`" + s + "`"
}

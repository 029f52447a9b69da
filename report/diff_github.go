package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/reach"
)

// writeDiffGitHub writes GitHub Actions workflow commands: an annotation on
// the .tf line of each exposure that opens (an error when it fails the gate,
// a warning otherwise, a notice when a suppression accepts it), a notice for
// each exposure that closes, a warning at each expired suppression, an error
// for each flow between interfaces that fails the gate, and a last notice
// with the verdict. See
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions.
func writeDiffGitHub(w io.Writer, r *DiffReport) error {
	tw := &errWriter{w: w}
	for i := range r.Findings {
		f := &r.Findings[i]
		level := ""
		switch {
		case f.Fails:
			level = "error"
		case !f.Exposure() || f.Status == reach.StatusUnchanged:
		case f.Suppressed != nil:
			level = "notice"
		case f.Status.Opens():
			level = "warning"
		default:
			level = "notice"
		}
		if level == "" {
			continue
		}
		title := fmt.Sprintf("vpcsim: %s %s %s", f.Status, f.Severity, strings.TrimPrefix(f.Kind, "exposure/"))
		msg := fmt.Sprintf("%s %s: %s %s. %s.", f.Target, f.Status, f.ServiceText(), f.whoText(), f.SeverityReason)
		if f.Status == reach.StatusWidened || f.Status == reach.StatusNarrowed {
			for _, l := range f.changeText() {
				msg += " " + strings.ToUpper(l[:1]) + l[1:] + "."
			}
		}
		for _, c := range f.Causes {
			msg += fmt.Sprintf("\nCaused by %s [%s]", c.Text, causeWhere(c))
		}
		if s := f.Suppressed; s != nil {
			msg += "\nSuppressed by " + suppressionText(*s)
		}
		msg += "\nFingerprint " + f.Fingerprint
		tw.printf("%s\n", workflowCommand(level, f.Location, title, msg))
	}
	for _, c := range r.Intents {
		level := ""
		switch {
		case c.Fails:
			level = "error"
		case c.Status == "new" || c.Status == "changed":
			level = "warning"
		case c.Status == "resolved":
			level = "notice"
		}
		if level == "" {
			continue
		}
		var loc *Location
		if c.Location != nil {
			loc = &Location{File: c.Location.File, Line: c.Location.Line}
		}
		tw.printf("%s\n", workflowCommand(level, loc, fmt.Sprintf("vpcsim: %s %s", c.Status, c.Check), c.Message+"\nFingerprint "+c.Fingerprint))
	}
	for _, s := range r.ExpiredSuppressions {
		loc := &Location{File: s.File, Line: s.Line}
		tw.printf("%s\n", workflowCommand("warning", loc, "vpcsim: expired suppression",
			"This suppression expired on "+s.Expires+" and accepts nothing: renew or remove it. "+suppressionText(s)))
	}
	final := r.title() + ": " + r.summaryText()
	if v := r.verdict(); v != "" {
		final = r.title() + ": " + v + ". " + r.summaryText()
	}
	tw.printf("%s\n", workflowCommand("notice", nil, "", final))
	return tw.err
}

// workflowCommand formats one annotation, escaping its properties and
// message as the runner expects.
func workflowCommand(level string, loc *Location, title, msg string) string {
	var props []string
	if loc != nil && loc.File != "" {
		props = append(props, "file="+escapeProperty(loc.File))
		if loc.Line > 0 {
			props = append(props, "line="+strconv.Itoa(loc.Line))
		}
	}
	if title != "" {
		props = append(props, "title="+escapeProperty(title))
	}
	cmd := "::" + level
	if len(props) > 0 {
		cmd += " " + strings.Join(props, ",")
	}
	return cmd + "::" + escapeData(msg)
}

func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}

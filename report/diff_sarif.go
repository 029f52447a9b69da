package report

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// diffRules are the SARIF rules of a comparison: the kinds of exposure, then
// the flows to the internet (flows between interfaces are rated, and ruled,
// like exposures).
var diffRules = append(append([]ruleInfo{}, sarifRules...),
	ruleInfo{KindFlowEgress, "FlowToInternet", "An interface reaches the internet",
		"An interface can open connections to hosts on the internet and get replies; listed when a change opens or closes it.", SeverityInfo})

// writeDiffSARIF writes the comparison as SARIF 2.1.0: one result per
// exposure compared and per flow that changed, with baselineState (new,
// updated for widened and narrowed, unchanged, absent for closed), the
// location of its cause or of the rule that opens it, the other causes and
// rules as related locations, suppressions (inSource for an inline comment,
// external for the baseline), and level error for what fails the gate.
func writeDiffSARIF(w io.Writer, r *DiffReport) error {
	rules := append([]ruleInfo{}, diffRules...)
	for _, c := range r.Intents {
		if !slices.ContainsFunc(rules, func(ri ruleInfo) bool { return ri.kind == c.Check }) {
			rules = append(rules, ruleInfo{c.Check, "IntentViolated", c.Title, "An expectation of an intent file does not hold: " + c.Title + ".", c.Severity})
		}
	}
	driver, index := sarifDriverOf(rules)
	driver.Version = r.Version
	notes := append([]Note{}, r.Notes...)
	for _, s := range r.ExpiredSuppressions {
		notes = append(notes, Note{Code: "EXPIRED_SUPPRESSION", Severity: "warning",
			Message: "suppression expired on " + s.Expires + ", it accepts nothing: " + suppressionText(s), File: s.File, Line: s.Line})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}, Invocations: sarifInvocations(notes),
		Properties: map[string]any{"command": r.Command, "before": r.Before, "after": r.After, "summary": r.Summary, "scope": r.Scope}}
	if r.Gate != nil {
		run.Properties["gate"] = r.Gate
	}
	for i := range r.Findings {
		f := &r.Findings[i]
		if !f.Exposure() && f.Status == reach.StatusUnchanged {
			continue
		}
		res := sarifResult{RuleID: f.Kind, RuleIndex: index[f.Kind], Level: diffLevel(f), BaselineState: f.BaselineState,
			Message:             sarifMessage{Text: diffMessage(f)},
			PartialFingerprints: map[string]string{"vpcsimFinding/v2": f.Fingerprint},
			Properties: map[string]any{"status": f.Status.String(), "source": f.Source, "severity": f.Severity.String(),
				"security-severity": securitySeverity(f.Severity), "target": f.Target, "protocol": f.Protocol,
				"from_port": f.FromPort, "to_port": f.ToPort, "sources": f.Sources, "fails": f.Fails},
		}
		if f.Status == reach.StatusClosed {
			res.Kind = "pass"
		} else if !f.Exposure() && !f.Fails {
			res.Kind = "informational"
		}
		if len(f.Added) > 0 {
			res.Properties["added"] = f.Added
		}
		if len(f.Removed) > 0 {
			res.Properties["removed"] = f.Removed
		}
		logical := []sarifLogicalLocation{{Name: f.Target, FullyQualifiedName: f.Target, Kind: "resource"}}
		if f.Location != nil {
			res.Locations = []sarifLocation{{PhysicalLocation: physical(model.Pos{File: f.Location.File, Line: f.Location.Line}), LogicalLocations: logical}}
		} else {
			res.Locations = []sarifLocation{{LogicalLocations: logical}}
		}
		id := 1
		related := func(file string, line int, text string) {
			if file == "" || f.Location != nil && file == f.Location.File && line == f.Location.Line {
				return
			}
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: id, PhysicalLocation: physical(model.Pos{File: file, Line: line}),
				Message: &sarifMessage{Text: text}})
			id++
		}
		for _, c := range f.Causes {
			word := "cause"
			if c.Gone {
				word = "cause (removed)"
			}
			related(c.File, c.Line, word+": "+c.Text)
		}
		if o := f.OpenedBy; o != nil {
			related(o.File, o.Line, "opened by "+o.Owner+": "+o.Text)
		}
		if s := f.Suppressed; s != nil {
			sup := sarifSuppression{Kind: "external", Status: "accepted", Justification: suppressionText(*s)}
			if s.Kind == "inline" {
				sup.Kind = "inSource"
			}
			if s.File != "" {
				sup.Location = &sarifLocation{PhysicalLocation: physical(model.Pos{File: s.File, Line: s.Line})}
			}
			res.Suppressions = []sarifSuppression{sup}
		}
		run.Results = append(run.Results, res)
	}
	for _, c := range r.Intents {
		res := sarifResult{RuleID: c.Check, RuleIndex: index[c.Check], Level: sarifLevel(c.Severity),
			BaselineState:       map[string]string{"new": "new", "changed": "updated", "unchanged": "unchanged", "resolved": "absent"}[c.Status],
			Message:             sarifMessage{Text: c.Message + "."},
			PartialFingerprints: map[string]string{"vpcsimCheck/v2": c.Fingerprint},
			Properties:          map[string]any{"status": c.Status, "severity": c.Severity.String(), "fails": c.Fails}}
		switch {
		case c.Fails:
			res.Level = "error"
		case c.Status == "resolved":
			res.Level, res.Kind = "note", "pass"
		}
		if c.Location != nil {
			res.Locations = []sarifLocation{{PhysicalLocation: physical(model.Pos{File: c.Location.File, Line: c.Location.Line})}}
		}
		run.Results = append(run.Results, res)
	}
	return writeJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// diffLevel is a result's level: error for what fails the gate; for an
// exposure that is there after, its severity's; note otherwise.
func diffLevel(f *DiffFinding) string {
	switch {
	case f.Fails:
		return "error"
	case f.Exposure() && f.Status != reach.StatusClosed:
		return sarifLevel(f.Severity)
	}
	return "note"
}

func diffMessage(f *DiffFinding) string {
	svc := f.ServiceText()
	if f.Service != "" {
		svc = f.Service + " (" + svc + ")"
	}
	var msg string
	switch f.Status {
	case reach.StatusNew:
		msg = fmt.Sprintf("%s newly reachable on %s %s", f.Target, svc, f.whoText())
	case reach.StatusClosed:
		msg = fmt.Sprintf("%s no longer reachable on %s %s", f.Target, svc, f.whoText())
	case reach.StatusUnchanged:
		msg = fmt.Sprintf("%s still reachable on %s %s (unchanged)", f.Target, svc, f.whoText())
	default:
		msg = fmt.Sprintf("%s reachable on %s %s (%s: %s)", f.Target, svc, f.whoText(), f.Status, strings.Join(f.changeText(), "; "))
	}
	if f.Source == reach.SourceEgress {
		msg = fmt.Sprintf("%s: flows %s on %s %s", f.Target, f.Status, svc, f.whoText())
	}
	msg += ": " + f.SeverityReason + "."
	if len(f.Via) > 0 {
		var vs []string
		for _, v := range f.Via {
			vs = append(vs, v.Text)
		}
		msg += " Via " + strings.Join(vs, "; ") + "."
	}
	if len(f.Causes) > 0 {
		var cs []string
		for _, c := range f.Causes {
			cs = append(cs, c.Text+" ("+causeWhere(c)+")")
		}
		msg += " Caused by " + strings.Join(cs, "; ") + "."
	}
	return msg + notesText(f.Notes)
}

package report

import (
	"io"
	"strings"

	"github.com/vpcsim/vpcsim/model"
)

// writeCheckSARIF writes a check report as SARIF 2.1.0: one rule per
// built-in check that ran and per expectation, one result per finding,
// located at the rule, route or element to change (or, for a violation,
// at the expectation in its intent file), with the other elements as
// related locations and a stable fingerprint.
func writeCheckSARIF(w io.Writer, r *CheckReport) error {
	run := sarifRun{
		Tool:    sarifTool{Driver: sarifDriver{Name: "vpcsim", FullName: "vpcsim design checks", Version: Version(), InformationURI: "https://github.com/vpcsim/vpcsim/blob/main/docs/checks.md"}},
		Results: []sarifResult{},
		// What the answers assume (an unsupported component, say) is a
		// notification of the run, as in the exposure report's SARIF.
		Invocations: sarifInvocations(r.Notes),
		Properties: map[string]any{
			"summary": r.Summary,
		},
	}
	if r.Input != "" {
		run.Properties["input"] = r.Input
	}
	index := map[string]int{}
	addRule := func(id, name, short, full, help string, sev Severity) {
		index[id] = len(run.Tool.Driver.Rules)
		props := map[string]any{"tags": []string{"network", "design"}, "precision": "very-high"}
		if sev != 0 {
			props["security-severity"] = securitySeverity(sev)
		}
		level := "warning"
		if sev != 0 {
			level = sarifLevel(sev)
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID: id, Name: name,
			ShortDescription:     sarifMessage{Text: short},
			FullDescription:      sarifMessage{Text: full},
			Help:                 sarifMessage{Text: help},
			DefaultConfiguration: sarifConfig{Level: level},
			Properties:           props,
		})
	}
	for _, c := range r.Checks {
		var sev Severity
		if c.Severity != "" {
			sev, _ = ParseSeverity(c.Severity)
		}
		help := c.Rationale
		for _, d := range c.Docs {
			help += " " + d
		}
		addRule(c.ID, c.ID, c.Title, c.Rationale, help, sev)
	}
	for _, o := range r.Intents {
		id := "intent/" + o.Name
		desc := o.Description
		if desc == "" {
			desc = o.Kind + " " + o.Name
		}
		sev, _ := ParseSeverity(o.Severity)
		addRule(id, o.Name, desc, "Expectation "+o.Kind+" \""+o.Name+"\" of "+o.File+": "+desc, "See the expectation in "+o.File+".", sev)
	}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Check, RuleIndex: index[f.Check], Level: sarifLevel(f.Severity),
			Message:             sarifMessage{Text: f.Message + " Fix: " + f.Fix + caveatText(f.Caveats)},
			PartialFingerprints: map[string]string{"vpcsimCheck/v2": f.Fingerprint},
			Properties: map[string]any{
				"severity": f.Severity.String(), "security-severity": securitySeverity(f.Severity), "check": f.Check,
			},
		}
		if f.Witness != nil {
			res.Properties["witness"] = f.Witness.Flow.String()
			res.Properties["witness_command"] = f.Witness.Command
			if f.Witness.Trace != nil {
				res.Properties["witness_verdict"] = f.Witness.Trace.Verdict.String()
			}
		}
		logical := []sarifLogicalLocation{{Name: f.Subject.Label, FullyQualifiedName: f.Subject.Label, Kind: "resource"}}
		loc := sarifLocation{LogicalLocations: logical}
		if f.Location != nil {
			loc.PhysicalLocation = physical(model.Pos{File: f.Location.File, Line: f.Location.Line, Col: f.Location.Col})
			if f.Rule != nil {
				loc.Message = &sarifMessage{Text: f.Rule.Owner + ": " + f.Rule.Text}
			}
		}
		res.Locations = []sarifLocation{loc}
		id := 1
		seen := map[string]bool{}
		if f.Location != nil {
			seen[locationText(f.Location)] = true
		}
		for _, e := range f.Elements {
			file, line, text := e.File, e.Line, e.Role+": "+e.Label
			if e.Rule != nil && e.Rule.File != "" {
				file, line, text = e.Rule.File, e.Rule.Line, e.Role+": "+e.Rule.Owner+": "+e.Rule.Text
			}
			if file == "" {
				continue
			}
			k := locationText(&Location{File: file, Line: line})
			if seen[k] {
				continue
			}
			seen[k] = true
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: id, PhysicalLocation: physical(model.Pos{File: file, Line: line}),
				Message: &sarifMessage{Text: text}})
			id++
		}
		run.Results = append(run.Results, res)
	}
	return writeJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// caveatText is what a finding's caveats add to its one-line message.
func caveatText(cs []string) string {
	var b strings.Builder
	for _, c := range cs {
		b.WriteString(" Caveat: " + c + ".")
	}
	return b.String()
}

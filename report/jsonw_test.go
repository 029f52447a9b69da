package report

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/vpcsim/vpcsim/reach"
)

// TestReportJSONStream checks that the streaming writer of reports writes
// exactly what encoding/json writes, on the property tests' reports and on
// hand-made ones with every optional field, empty and null lists, and
// strings that need escaping.
func TestReportJSONStream(t *testing.T) {
	reports := map[string]*Report{}
	for name, a := range reportCases(t) {
		reports[name] = NewReport(a, nil, "in")
	}
	reports["empty"] = NewReport(&reach.Analysis{Source: "internet"}, nil, "")
	reports["nil lists"] = &Report{Source: "x"}
	odd := "tab\there \"quoted\" back\\slash <html> & é \u2028\u2029 \x01 \xff end"
	rule := Rule{Kind: reach.RuleSecurityGroup, Text: odd, Owner: "o", Where: "w", File: "f.tf", Line: 7, Synthetic: odd}
	via := Via{LoadBalancer: odd, LoadBalancerID: "arn", Type: "application", Listener: "l", Protocol: "HTTPS", Port: 443, Rule: odd,
		TargetGroup: "tg", TargetGroupID: "arn-tg", TargetPort: 8080, ClientIPPreserved: true, Text: odd}
	reports["every field"] = &Report{Source: odd, Input: odd, Summary: Summary{Total: 2, Targets: 1, Partial: 1, SeverityCounts: SeverityCounts{Critical: 3, High: 1, Medium: 4, Low: 5, Info: 1}},
		Notes: []Note{{Code: "C", Severity: "warning", Component: odd, Message: odd, File: odd, Line: 12}, {Code: "D", Severity: "note", Message: ""}},
		Findings: []Finding{
			{Fingerprint: "f", Target: odd, TargetKind: "instance", TargetID: "i-1", Interface: "eni", Subnet: "s", VPC: "v",
				Protocol: "tcp", FromPort: 22, ToPort: 22, Service: "SSH", Sources: []string{"0.0.0.0/0", odd}, SourcesSummary: odd,
				Destinations: []string{}, Severity: SeverityHigh, SeverityReason: odd, Kind: KindAllTraffic, OpenedBy: &rule,
				Path: []Step{{Direction: reach.LegForward, Kind: reach.StepSecurityGroup, Component: odd, ComponentKind: "k",
					Decision: reach.DecisionAllow, Detail: odd, Rules: []Rule{rule, {Kind: reach.RuleRoute}}},
					{Direction: reach.LegReturn, Kind: reach.StepRoute, Decision: reach.DecisionForward, Rules: []Rule{}}},
				Partial: true, ReturnPorts: "1024-2000", Placeholder: true, Notes: []Note{{Code: "N", Severity: "note", Message: odd}},
				Via: []Via{via}, OnlyViaLoadBalancer: true, Listeners: []Via{via, {Text: odd}}},
			{Severity: SeverityInfo, Path: []Step{}},
		}}
	// A field added to these types must be set here, so that the stream
	// is checked to write it.
	every := reports["every field"]
	for _, v := range []any{*every, every.Summary, every.Summary.SeverityCounts, every.Notes[0], every.Findings[0], every.Findings[0].Path[0], rule, via} {
		rv := reflect.ValueOf(v)
		for i := range rv.NumField() {
			if rv.Type().Field(i).IsExported() && rv.Field(i).IsZero() {
				t.Errorf("the every-field report leaves %s.%s unset", rv.Type().Name(), rv.Type().Field(i).Name)
			}
		}
	}
	reports["invalid severity"] = &Report{Findings: []Finding{{Path: []Step{}}}}
	for name, r := range reports {
		var want, got bytes.Buffer
		werr := writeJSON(&want, r)
		gerr := writeReportJSON(&got, r)
		if (werr == nil) != (gerr == nil) || werr != nil && werr.Error() != gerr.Error() {
			t.Errorf("%s: error %v, encoding/json's %v", name, gerr, werr)
		}
		if !bytes.Equal(got.Bytes(), want.Bytes()) {
			t.Errorf("%s: the stream differs from encoding/json:\n%s", name, firstDiff(want.Bytes(), got.Bytes()))
		}
	}
}

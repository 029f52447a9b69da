package report

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/intent"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

func svcOf(p model.Protocol, ports model.PortRange) *reach.Service {
	return &reach.Service{Protocols: reach.ProtocolsOf(p), Ports: ports}
}

// TestRateDefect pins the check severity policy docs/checks.md states.
func TestRateDefect(t *testing.T) {
	cases := []struct {
		d    reach.Defect
		want Severity
	}{
		// A high-risk port open to the internet keeps the exposure rating.
		{reach.Defect{Check: reach.CheckInternetExposure, Service: svcOf(model.ProtocolTCP, model.Port(22))}, SeverityHigh},
		{reach.Defect{Check: reach.CheckInternetExposure, Service: svcOf(model.ProtocolAll, model.AllPorts)}, SeverityCritical},
		{reach.Defect{Check: reach.CheckInternetExposure, Service: svcOf(model.ProtocolTCP, model.PortRange{First: 1000, Last: 3000})}, SeverityHigh},
		// A web port is what a public service is for.
		{reach.Defect{Check: reach.CheckInternetExposure, Service: svcOf(model.ProtocolTCP, model.Port(443))}, SeverityInfo},
		{reach.Defect{Check: reach.CheckInternetExposure, Service: svcOf(model.ProtocolTCP, model.Port(8443))}, SeverityInfo},
		// Latent: one step below what it would become.
		{reach.Defect{Check: reach.CheckLatentExposure, Service: svcOf(model.ProtocolTCP, model.Port(22))}, SeverityMedium},
		{reach.Defect{Check: reach.CheckLatentExposure, Service: svcOf(model.ProtocolTCP, model.Port(8080))}, SeverityLow},
		{reach.Defect{Check: reach.CheckLatentExposure, Service: svcOf(model.ProtocolTCP, model.Port(443))}, SeverityInfo},
		{reach.Defect{Check: reach.CheckAsymmetricPath}, SeverityMedium},
		{reach.Defect{Check: reach.CheckRuleUnreachable}, SeverityLow},
		{reach.Defect{Check: reach.CheckUnusedSG}, SeverityInfo},
	}
	for _, c := range cases {
		if got, _ := RateDefect(&c.d); got != c.want {
			t.Errorf("%s %v: %s, want %s", c.d.Check, c.d.Service, got, c.want)
		}
	}
	// Every check is rated by the policy.
	for _, c := range reach.Checks {
		_, fixed := checkSeverity[c.ID]
		if !fixed && c.ID != reach.CheckInternetExposure && c.ID != reach.CheckLatentExposure {
			t.Errorf("check %s has no severity in the policy", c.ID)
		}
	}
}

// TestSeverityNamesAgree keeps intent files' severities the policy's.
func TestSeverityNamesAgree(t *testing.T) {
	var names []string
	for _, s := range Severities {
		names = append(names, s.String())
	}
	if strings.Join(names, ",") != strings.Join(intent.Severities, ",") {
		t.Errorf("report %v, intent %v", names, intent.Severities)
	}
}

func sampleCheckReport(t *testing.T) *CheckReport {
	t.Helper()
	rule := reach.RuleRef{Kind: reach.RuleSecurityGroup, Text: "ingress allow tcp 22 from 0.0.0.0/0", Owner: reach.Ref{Kind: "security-group", Address: "aws_security_group.admin"},
		Address: "aws_security_group.admin", Pos: model.Pos{File: "sg.tf", Line: 12, Col: 3}}
	res := &reach.CheckResult{
		Checks: []reach.CheckInfo{reach.Checks[0]},
		Defects: []reach.Defect{{
			Check: reach.CheckInternetExposure, Subject: rule.Owner, Rule: &rule, Service: svcOf(model.ProtocolTCP, model.Port(22)),
			Message: "it, opens: SSH\nto the world", Fix: "restrict it: 100% sure",
			Involved: []reach.Involved{{Role: "rule", Component: rule.Owner, Rule: &rule}, {Role: "exposed", Component: reach.Ref{Kind: "instance", Address: "aws_instance.a", Pos: model.Pos{File: "main.tf", Line: 5}}}},
		}},
	}
	return NewCheckReport(CheckInput{Input: "net", Result: res})
}

func TestCheckReportModel(t *testing.T) {
	r := sampleCheckReport(t)
	if r.Summary.Findings != 1 || r.Summary.High != 1 || r.Worst() != SeverityHigh {
		t.Fatalf("summary %+v", r.Summary)
	}
	f := r.Findings[0]
	if f.Location == nil || f.Location.File != "sg.tf" || f.Location.Line != 12 || f.Rule == nil || f.Fingerprint == "" {
		t.Errorf("finding %+v", f)
	}
	if r.AtLeast(SeverityCritical).Summary.Findings != 0 {
		t.Errorf("AtLeast kept a high finding")
	}
	// The fingerprint is about what the finding is, not its wording.
	again := sampleCheckReport(t)
	again.Findings[0].Message = "changed"
	if again.Findings[0].Fingerprint != f.Fingerprint {
		t.Errorf("fingerprint changed")
	}
}

func TestCheckGitHubEscaping(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCheck(&b, sampleCheckReport(t), "github"); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one annotation and a summary, got:\n%s", b.String())
	}
	want := "::error file=sg.tf,line=12,col=3,title=internet-exposure (high)%3A A security group rule open to the whole internet lets the internet reach a service::it, opens: SSH%0Ato the world%0AFix: restrict it: 100%25 sure"
	if lines[0] != want {
		t.Errorf("annotation\n%s\nwant\n%s", lines[0], want)
	}
	if !strings.HasPrefix(lines[1], "::notice title=vpcsim check::") {
		t.Errorf("summary %s", lines[1])
	}
}

func TestCheckSARIF(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCheck(&b, sampleCheckReport(t), "sarif"); err != nil {
		t.Fatal(err)
	}
	var log struct {
		Version string `json:"version"`
		Runs    []struct {
			Tool struct {
				Driver struct {
					Rules []struct {
						ID string `json:"id"`
					} `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine int `json:"startLine"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
				RelatedLocations    []json.RawMessage `json:"relatedLocations"`
				PartialFingerprints map[string]string `json:"partialFingerprints"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	run := log.Runs[0]
	res := run.Results[0]
	if log.Version != "2.1.0" || run.Tool.Driver.Rules[res.RuleIndex].ID != res.RuleID || res.Level != "error" {
		t.Errorf("sarif %+v", log)
	}
	if l := res.Locations[0].PhysicalLocation; l.ArtifactLocation.URI != "sg.tf" || l.Region.StartLine != 12 {
		t.Errorf("location %+v", l)
	}
	// The rule's line is the location; the other element is related.
	if len(res.RelatedLocations) != 1 || res.PartialFingerprints["vpcsimCheck/v2"] == "" {
		t.Errorf("related %d, fingerprints %v", len(res.RelatedLocations), res.PartialFingerprints)
	}
}

func TestCheckFormats(t *testing.T) {
	r := sampleCheckReport(t)
	for _, f := range CheckFormats {
		var b bytes.Buffer
		if err := WriteCheck(&b, r, f); err != nil || b.Len() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if err := WriteCheck(&bytes.Buffer{}, r, "html"); err == nil {
		t.Errorf("html accepted")
	}
}

// TestChecksDoc keeps docs/checks.md's table in step with reach.Checks and
// the severity policy: every check listed once, in order, with its policy.
func TestChecksDoc(t *testing.T) {
	b, err := os.ReadFile("../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| \\[`([a-z-]+)`\\]\\(#[a-z-]+\\) \\| ([^|]+) \\|")
	var ids []string
	for _, m := range row.FindAllStringSubmatch(string(b), -1) {
		ids = append(ids, m[1])
		id := reach.CheckID(m[1])
		if _, ok := reach.CheckByID(id); !ok {
			t.Errorf("docs/checks.md lists %s, which is no check", id)
			continue
		}
		if s, ok := checkSeverity[id]; ok && strings.TrimSpace(m[2]) != s.String() {
			t.Errorf("docs/checks.md rates %s %s; the policy says %s", id, m[2], s)
		}
	}
	var want []string
	for _, c := range reach.Checks {
		want = append(want, string(c.ID))
	}
	if strings.Join(ids, ",") != strings.Join(want, ",") {
		t.Errorf("docs/checks.md lists\n%v\nreach.Checks is\n%v", ids, want)
	}
}

// An assumption several checks make is one note of the report.
func TestCheckNotesOnce(t *testing.T) {
	n := reach.Explanation{Code: reach.CodePrefixListUnknown, Severity: reach.SeverityWarning,
		Component: reach.Ref{Kind: "route-table", ID: "rtb-1"}, Message: "the route to prefix list pl-1 cannot be evaluated"}
	r := NewCheckReport(CheckInput{Result: &reach.CheckResult{Notes: []reach.Explanation{n, n}}})
	if len(r.Notes) != 1 {
		t.Errorf("%d notes, want 1: %v", len(r.Notes), r.Notes)
	}
}

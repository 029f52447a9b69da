package report

import (
	"fmt"
	"io"
	"net/url"
	"path"
	"path/filepath"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// SARIF 2.1.0 (OASIS), the subset vpcsim writes. Field names follow the
// specification; docs/report.md says how findings map onto it.

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations,omitempty"`
	Results     []sarifResult     `json:"results"`
	Properties  map[string]any    `json:"properties,omitempty"`
}

// sarifInvocation carries the report's notes (what the analysis assumes and
// what the load said about the input) as tool execution notifications.
type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level      string          `json:"level"`
	Message    sarifMessage    `json:"message"`
	Locations  []sarifLocation `json:"locations,omitempty"`
	Descriptor *sarifReference `json:"descriptor,omitempty"`
}

type sarifReference struct {
	ID string `json:"id"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	FullName       string      `json:"fullName,omitempty"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifMessage   `json:"shortDescription"`
	FullDescription      sarifMessage   `json:"fullDescription"`
	Help                 sarifMessage   `json:"help"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           map[string]any `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifMessage struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Kind                string             `json:"kind,omitempty"`
	Level               string             `json:"level"`
	Message             sarifMessage       `json:"message"`
	Locations           []sarifLocation    `json:"locations,omitempty"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	BaselineState       string             `json:"baselineState,omitempty"`
	Properties          map[string]any     `json:"properties"`
}

// sarifSuppression says that a result is accepted: in the source (an inline
// comment) or outside it (a baseline file).
type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status,omitempty"`
	Justification string         `json:"justification,omitempty"`
	Location      *sarifLocation `json:"location,omitempty"`
}

type sarifLocation struct {
	ID               int                    `json:"id,omitempty"`
	PhysicalLocation *sarifPhysical         `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifMessage          `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

// ruleInfo describes a kind of exposure for SARIF consumers.
type ruleInfo struct {
	kind, name, short, full string
	// worst is the most serious rating the policy gives this kind; it
	// becomes the rule's default level and security-severity, since code
	// scanning tools rank alerts by rule.
	worst Severity
}

// sarifRules lists every kind of exposure, in a fixed order so that rule
// indexes are stable.
var sarifRules = []ruleInfo{
	{KindAllTraffic, "AllTrafficExposed", "Every protocol or every port is reachable",
		"All protocols, or every TCP or UDP port, of the target are reachable from the source: whatever listens on the host is exposed.", SeverityCritical},
	{KindHighRiskPort, "HighRiskPortExposed", "A high-risk service port is reachable",
		"A port of a service that is routinely attacked or unauthenticated by default (remote administration, file sharing, databases, caches, cluster control planes) is reachable from the source.", SeverityHigh},
	{KindWidePortRange, "WidePortRangeExposed", "A wide range of ports is reachable",
		"A range of 1024 TCP or UDP ports or more is reachable from the source; such ranges are rarely intended.", SeverityHigh},
	{KindOpenPort, "PortExposed", "A port is reachable",
		"A TCP or UDP port with no well-known risk is reachable from the source.", SeverityMedium},
	{KindOtherProtocol, "ProtocolExposed", "A protocol other than TCP, UDP and ICMP is reachable",
		"An IP protocol other than TCP, UDP and ICMP (GRE, ESP, …) is reachable from the source.", SeverityMedium},
	{KindWeb, "WebPortExposed", "HTTP or HTTPS is reachable",
		"Port 80 or 443 is reachable from the source, as a web service's is meant to be; listed so that the inventory is complete.", SeverityLow},
	{KindICMP, "ICMPExposed", "ICMP messages are accepted",
		"ICMP or ICMPv6 messages other than echo requests are accepted from the source.", SeverityLow},
	{KindICMPEcho, "PingAnswered", "Echo requests (ping) are answered",
		"ICMP or ICMPv6 echo requests from the source reach the target: it can be discovered by a ping sweep.", SeverityInfo},
}

// sarifLevel maps a severity onto SARIF's levels.
func sarifLevel(s Severity) string {
	switch s {
	case SeverityCritical, SeverityHigh:
		return "error"
	case SeverityMedium:
		return "warning"
	}
	return "note"
}

// securitySeverity is the score GitHub code scanning reads from
// properties.security-severity: 9.0 and above critical, 7.0-8.9 high,
// 4.0-6.9 medium, below 4.0 low.
func securitySeverity(s Severity) string {
	return [...]string{"0.0", "0.0", "2.0", "5.0", "8.0", "9.5"}[s]
}

func writeSARIF(w io.Writer, r *Report) error {
	driver, index := sarifDriverOf(sarifRules)
	run := sarifRun{
		Tool:        sarifTool{Driver: driver},
		Results:     []sarifResult{},
		Invocations: sarifInvocations(r.Notes),
		Properties: map[string]any{
			"source":  r.Source,
			"summary": r.Summary,
		},
	}
	if r.Input != "" {
		run.Properties["input"] = r.Input
	}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID: f.Kind, RuleIndex: index[f.Kind], Level: sarifLevel(f.Severity),
			Message:             sarifMessage{Text: sarifMessageText(&f)},
			PartialFingerprints: map[string]string{"vpcsimFinding/v2": f.Fingerprint},
			Properties: map[string]any{
				"severity": f.Severity.String(), "security-severity": securitySeverity(f.Severity),
				"target": f.Target, "interface": f.Interface, "protocol": f.Protocol,
				"from_port": f.FromPort, "to_port": f.ToPort, "sources": f.Sources, "partial": f.Partial,
			},
		}
		logical := []sarifLogicalLocation{{Name: f.Target, FullyQualifiedName: f.Target, Kind: "resource"}}
		primary, pos := primaryRule(&f)
		if pos.File != "" {
			loc := sarifLocation{PhysicalLocation: physical(pos), LogicalLocations: logical}
			if primary != nil {
				loc.Message = &sarifMessage{Text: primary.Owner + ": " + primary.Text}
			}
			res.Locations = []sarifLocation{loc}
		} else {
			res.Locations = []sarifLocation{{LogicalLocations: logical}}
		}
		id := 1
		for _, s := range keySteps(f.Path) {
			for _, rule := range s.Rules {
				if rule.File == "" || primary != nil && rule.File == primary.File && rule.Line == primary.Line {
					continue
				}
				p := model.Pos{File: rule.File, Line: rule.Line}
				res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: id, PhysicalLocation: physical(p),
					Message: &sarifMessage{Text: s.Direction.String() + ": " + rule.Owner + ": " + rule.Text}})
				id++
			}
		}
		run.Results = append(run.Results, res)
	}
	return writeJSON(w, sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}})
}

// sarifDriverOf describes vpcsim and the rules given, in their order, and
// indexes them by kind.
func sarifDriverOf(rules []ruleInfo) (sarifDriver, map[string]int) {
	d := sarifDriver{Name: "vpcsim", FullName: "vpcsim network reachability analyzer", Version: Version(), Rules: []sarifRule{}}
	index := map[string]int{}
	for i, ri := range rules {
		index[ri.kind] = i
		d.Rules = append(d.Rules, sarifRule{
			ID: ri.kind, Name: ri.name,
			ShortDescription:     sarifMessage{Text: ri.short},
			FullDescription:      sarifMessage{Text: ri.full},
			Help:                 sarifMessage{Text: ri.full + " Close the rule that opens it, or narrow its sources and ports.", Markdown: "**" + ri.short + ".** " + ri.full + "\n\nClose the rule that opens it (the result's location), or narrow its sources and ports. The result's related locations are the other rules on the path."},
			DefaultConfiguration: sarifConfig{Level: sarifLevel(ri.worst)},
			Properties:           map[string]any{"tags": []string{"security", "network", "exposure"}, "precision": "very-high", "security-severity": securitySeverity(ri.worst)},
		})
	}
	return d, index
}

// sarifInvocations carries notes as the run's tool execution
// notifications; nil without notes.
func sarifInvocations(notes []Note) []sarifInvocation {
	if len(notes) == 0 {
		return nil
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, n := range notes {
		level := "note"
		if n.Severity == "warning" {
			level = "warning"
		}
		sn := sarifNotification{Level: level, Message: sarifMessage{Text: noteText(n)}, Descriptor: &sarifReference{ID: n.Code}}
		if n.File != "" {
			sn.Locations = []sarifLocation{{PhysicalLocation: physical(model.Pos{File: n.File, Line: n.Line})}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sn)
	}
	return []sarifInvocation{inv}
}

// primaryRule is where a finding points: the rule that opens it (see
// openedBy) when it is written in a file, else the network ACL rule that
// admits it, else the target's declaration; the zero position when none of
// them has a file.
func primaryRule(f *Finding) (*Rule, model.Pos) {
	if r := f.OpenedBy; r != nil && r.File != "" {
		return r, model.Pos{File: r.File, Line: r.Line}
	}
	for i := len(f.Path) - 1; i >= 0; i-- {
		s := f.Path[i]
		if s.Direction != reach.LegForward || s.Kind != reach.StepNetworkACL || s.Decision != reach.DecisionAllow {
			continue
		}
		for j := range s.Rules {
			if s.Rules[j].File != "" {
				return &s.Rules[j], model.Pos{File: s.Rules[j].File, Line: s.Rules[j].Line}
			}
		}
	}
	if f.targetPos.File != "" {
		return nil, f.targetPos
	}
	return nil, model.Pos{}
}

func physical(p model.Pos) *sarifPhysical {
	ph := &sarifPhysical{ArtifactLocation: artifact(p.File)}
	if p.Line > 0 {
		ph.Region = &sarifRegion{StartLine: p.Line, StartColumn: p.Col}
	}
	return ph
}

// artifact turns a file name into a URI reference: relative paths stay
// relative to the source root (%SRCROOT%), as code scanning tools expect.
func artifact(file string) sarifArtifact {
	p := filepath.ToSlash(file)
	if path.IsAbs(p) {
		return sarifArtifact{URI: (&url.URL{Scheme: "file", Path: p}).String()}
	}
	return sarifArtifact{URI: (&url.URL{Path: strings.TrimPrefix(p, "./")}).String(), URIBaseID: "%SRCROOT%"}
}

func sarifMessageText(f *Finding) string {
	svc := f.ServiceText()
	if f.Service != "" {
		svc = f.Service + " (" + svc + ")"
	}
	msg := fmt.Sprintf("%s is reachable on %s from %s", f.Target, svc, f.SourcesSummary)
	if f.Interface != f.Target {
		msg += " through " + f.Interface
	}
	msg += ": " + f.SeverityReason + "."
	if f.Partial {
		msg += " Partial: " + strings.TrimPrefix(partialText(f), "partial: ") + "."
	}
	return msg
}

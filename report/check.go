package report

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/netip"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/intent"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// CheckReport is a design review: what the built-in checks found and what
// the intent files require, rated by the check severity policy (see
// RateDefect), in a stable order, ready to render. Its JSON form is a
// contract; docs/checks.md documents every field.
type CheckReport struct {
	// Input names the network checked; empty when not given.
	Input string `json:"input,omitempty"`
	// Summary counts the findings and the expectations.
	Summary CheckSummary `json:"summary"`
	// Checks are the built-in checks that ran.
	Checks []CheckRule `json:"checks"`
	// Findings are the built-in checks' defects and the intents'
	// violations, most serious first.
	Findings []CheckFinding `json:"findings"`
	// Intents are the expectations of the intent files, in file order.
	Intents []IntentOutcome `json:"intents"`
	// Notes are what the answers assume, and the intent files' warnings.
	Notes []Note `json:"notes"`
}

// CheckSummary counts a check report.
type CheckSummary struct {
	// Findings is the number of findings; one count per severity follows,
	// always present.
	Findings int `json:"findings"`
	SeverityCounts
	// Checks is the number of built-in checks that ran.
	Checks int `json:"checks"`
	// Expectations, Held and Violated count the intents' expectations;
	// Unevaluated those that could not be evaluated (a selector naming
	// nothing).
	Expectations int `json:"expectations"`
	Held         int `json:"held"`
	Violated     int `json:"violated"`
	Unevaluated  int `json:"unevaluated"`
}

// CheckRule describes a built-in check, or an expectation of an intent
// file: what SARIF calls a rule.
type CheckRule struct {
	// ID is the check's ID, or "intent/" and the expectation's name.
	ID    string `json:"id"`
	Title string `json:"title"`
	// Rationale says why the check matters; Docs are the AWS documentation
	// it follows.
	Rationale string   `json:"rationale"`
	Docs      []string `json:"docs,omitempty"`
	// Severity is the policy's rating of the check's findings, when it is
	// the same for all (empty when it depends on the finding: the exposure
	// checks rate the service).
	Severity string `json:"severity,omitempty"`
}

// CheckFinding is one defect a built-in check found, or one violation of an
// expectation.
type CheckFinding struct {
	// Fingerprint identifies the finding across runs: a hash of the check,
	// the subject and rule (by address or name, not IDs assigned at apply)
	// or, for a violation, the expectation and its ends.
	Fingerprint string `json:"fingerprint"`
	// Check is the built-in check's ID, or "intent/" and the expectation's
	// name; Title its one-line title (an expectation's description).
	Check string `json:"check"`
	Title string `json:"title"`
	// Severity is the rating; SeverityReason says why when the policy rates
	// by service.
	Severity       Severity `json:"severity"`
	SeverityReason string   `json:"severity_reason,omitempty"`
	// Subject is what to change (a rule's owner, a route table, a
	// subnet…); Rule the rule or route at fault, when there is one.
	Subject Element `json:"subject"`
	Rule    *Rule   `json:"rule,omitempty"`
	// Message says what is wrong; Fix what to change.
	Message string `json:"message"`
	Fix     string `json:"fix"`
	// Location is where to look: the rule's file and line, else the
	// subject's, else, for a violation, the expectation's in its intent
	// file.
	Location *Location `json:"location,omitempty"`
	// Elements are every element concerned, with its part.
	Elements []Element `json:"elements"`
	// Traffic describes the traffic concerned, as headers.
	Traffic string `json:"traffic,omitempty"`
	// Witness is one concrete packet that shows the finding, and its trace.
	Witness *Witness `json:"witness,omitempty"`
	// Intent says, for a violation, which expectation it violates.
	Intent *IntentRef `json:"intent,omitempty"`
}

// Element is an element of the network a finding concerns.
type Element struct {
	// Role is its part in the finding ("rule", "exposed", "cause",
	// "source", "destination", "attachment"…); empty for a subject.
	Role string `json:"role,omitempty"`
	// Kind is the element's kind (security-group, subnet, route-table…);
	// Label its Terraform address, else its AWS ID, else its name.
	Kind  string `json:"kind"`
	Label string `json:"label"`
	ID    string `json:"id,omitempty"`
	File  string `json:"file,omitempty"`
	Line  int    `json:"line,omitempty"`
	// Rule is the rule or route of the element concerned, when one is.
	Rule *Rule `json:"rule,omitempty"`
}

// Location is a position in a file.
type Location struct {
	File string `json:"file"`
	Line int    `json:"line,omitempty"`
	Col  int    `json:"col,omitempty"`
}

// Witness is one packet and its trace.
type Witness struct {
	// Flow is the packet as it leaves the source.
	Flow Packet `json:"flow"`
	// Command is the trace command that reproduces it.
	Command string `json:"command"`
	// Trace is the trace's answer, as `vpcsim trace --format json` writes
	// it; absent for violations past the traced ones.
	Trace *reach.Result `json:"trace,omitempty"`
}

// Packet is one concrete packet header.
type Packet struct {
	Protocol        string `json:"protocol"`
	Source          string `json:"source"`
	Destination     string `json:"destination"`
	SourcePort      *int   `json:"source_port,omitempty"`
	DestinationPort *int   `json:"destination_port,omitempty"`
	// ICMPType and ICMPCode are set for ICMP and ICMPv6.
	ICMPType *int `json:"icmp_type,omitempty"`
	ICMPCode *int `json:"icmp_code,omitempty"`
}

// String prints the packet as trace does: "tcp 10.0.0.1:1024 ->
// 10.0.0.2:443".
func (p Packet) String() string {
	switch {
	case p.ICMPType != nil:
		return fmt.Sprintf("%s %s -> %s type %d code %d", p.Protocol, p.Source, p.Destination, *p.ICMPType, *p.ICMPCode)
	case p.SourcePort != nil:
		src, _ := netip.ParseAddr(p.Source)
		dst, _ := netip.ParseAddr(p.Destination)
		return fmt.Sprintf("%s %s -> %s", p.Protocol, netip.AddrPortFrom(src, uint16(*p.SourcePort)), netip.AddrPortFrom(dst, uint16(*p.DestinationPort)))
	}
	return fmt.Sprintf("%s %s -> %s", p.Protocol, p.Source, p.Destination)
}

// IntentRef names an expectation.
type IntentRef struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
	File string `json:"file"`
	Line int    `json:"line"`
}

// IntentOutcome is how one expectation fared.
type IntentOutcome struct {
	IntentRef
	Description string `json:"description,omitempty"`
	Severity    string `json:"severity"`
	// Status is holds, violated or unevaluated (a selector names nothing:
	// the diagnostics say which).
	Status string `json:"status"`
	// Violations counts the violations (each one a finding); Pairs the
	// pairs of ends examined.
	Violations int `json:"violations"`
	Pairs      int `json:"pairs"`
}

// CheckInput is what a check report is made of.
type CheckInput struct {
	// Input names the network checked (a file or folder, or several).
	Input string
	// Paths are the inputs as the command line named them, and Before is
	// set when the network is the one before a plan: the trace commands
	// that reproduce witnesses name them. No paths: the embedded example.
	Paths  []string
	Before bool
	// Result is the built-in checks' answer; nil when none ran.
	Result *reach.CheckResult
	// Intents are the intent files' results, each file's in order.
	Intents []intent.Result
	// Diagnostics are the intent files' warnings (and errors, for
	// expectations that could not be evaluated).
	Diagnostics model.Diagnostics
	// Ephemeral is the client port range the checks assumed, for the trace
	// commands that reproduce witnesses.
	Ephemeral model.PortRange
}

// NewCheckReport rates and orders what the checks and intents found.
func NewCheckReport(in CheckInput) *CheckReport {
	r := &CheckReport{Input: in.Input, Checks: []CheckRule{}, Findings: []CheckFinding{}, Intents: []IntentOutcome{}, Notes: []Note{}}
	tc := traceCmd{paths: in.Paths, before: in.Before, eph: in.Ephemeral}
	if in.Result != nil {
		for _, c := range in.Result.Checks {
			rule := CheckRule{ID: string(c.ID), Title: c.Title, Rationale: c.Rationale, Docs: c.Docs}
			if s, ok := checkSeverity[c.ID]; ok {
				rule.Severity = s.String()
			}
			r.Checks = append(r.Checks, rule)
		}
		for i := range in.Result.Defects {
			r.Findings = append(r.Findings, newCheckFinding(&in.Result.Defects[i], tc))
		}
		// Once each: an assumption made for several checks (a route
		// table's unknown prefix list) is one note.
		var notes []Note
		for _, n := range in.Result.Notes {
			notes = append(notes, noteOf(n))
		}
		r.Notes = mergeNotes(r.Notes, notes)
	}
	for _, d := range in.Diagnostics {
		r.Notes = append(r.Notes, Note{Code: CodeIntent, Severity: d.Severity.String(), Component: d.Element, Message: d.Message,
			File: d.Pos.File, Line: d.Pos.Line})
	}
	for _, res := range in.Intents {
		x := res.Expectation
		ref := IntentRef{Name: x.Name, Kind: x.Kind.String(), File: x.Pos.File, Line: x.Pos.Line}
		o := IntentOutcome{IntentRef: ref, Description: x.Description, Severity: x.Severity, Status: "unevaluated"}
		if res.Outcome != nil {
			o.Pairs = res.Outcome.Pairs
			o.Violations = len(res.Outcome.Violations)
			o.Status = "holds"
			if !res.Outcome.Holds {
				o.Status = "violated"
			}
			for i := range res.Outcome.Violations {
				r.Findings = append(r.Findings, newViolationFinding(x, &res.Outcome.Violations[i], tc))
			}
		}
		r.Intents = append(r.Intents, o)
	}
	slices.SortStableFunc(r.Findings, func(a, b CheckFinding) int {
		return cmp.Or(cmp.Compare(b.Severity, a.Severity), cmp.Compare(a.Check, b.Check), cmp.Compare(a.Subject.Label, b.Subject.Label),
			cmp.Compare(a.Message, b.Message))
	})
	r.summarize()
	return r
}

// CodeIntent is the code of the notes that carry what evaluating the intent
// files said (a selector standing for nothing).
const CodeIntent = "INTENT"

// WithInputNotes adds what loading the input said about it to the report's
// notes (see InputNotes), once each.
func (r *CheckReport) WithInputNotes(ds model.Diagnostics) *CheckReport {
	r.Notes = mergeNotes(r.Notes, InputNotes(ds))
	return r
}

func (r *CheckReport) summarize() {
	s := CheckSummary{Findings: len(r.Findings), Checks: len(r.Checks), Expectations: len(r.Intents)}
	for _, f := range r.Findings {
		s.add(f.Severity)
	}
	for _, o := range r.Intents {
		switch o.Status {
		case "holds":
			s.Held++
		case "violated":
			s.Violated++
		default:
			s.Unevaluated++
		}
	}
	r.Summary = s
}

// Worst returns the severity of the most serious finding, 0 when there is
// none.
func (r *CheckReport) Worst() Severity {
	var w Severity
	for _, f := range r.Findings {
		w = max(w, f.Severity)
	}
	return w
}

// AtLeast returns a copy of the report with only the findings of severity
// min or above.
func (r *CheckReport) AtLeast(min Severity) *CheckReport {
	out := *r
	out.Findings = slices.DeleteFunc(slices.Clone(r.Findings), func(f CheckFinding) bool { return f.Severity < min })
	out.summarize()
	return &out
}

// checkSeverity is the severity policy for the checks whose findings all
// weigh the same (docs/checks.md). The exposure checks rate each finding by
// its service (RateDefect).
var checkSeverity = map[reach.CheckID]Severity{
	reach.CheckAsymmetricPath:     SeverityMedium,
	reach.CheckEphemeralPartial:   SeverityMedium,
	reach.CheckRouteBlackhole:     SeverityMedium,
	reach.CheckRouteNonTransitive: SeverityMedium,
	reach.CheckRouteTGWZone:       SeverityMedium,
	reach.CheckOverlappingCIDRs:   SeverityMedium,
	reach.CheckNACLRuleShadowed:   SeverityMedium,
	reach.CheckRouteDeadEnd:       SeverityLow,
	reach.CheckRouteShadowed:      SeverityLow,
	reach.CheckRuleUnreachable:    SeverityLow,
	reach.CheckNACLRuleRedundant:  SeverityInfo,
	reach.CheckUnusedSG:           SeverityInfo,
	reach.CheckUnusedSubnet:       SeverityInfo,
	reach.CheckUnusedRouteTable:   SeverityInfo,
	reach.CheckUnusedNetworkACL:   SeverityInfo,
	reach.CheckUnusedGateway:      SeverityInfo,
	reach.CheckUnusedElasticIP:    SeverityInfo,
}

// RateDefect applies the check severity policy to a defect. A rule open to
// the whole internet is rated by the exposure policy (Rate) for its service:
// internet-exposure keeps the rating of all-traffic, high-risk-port and
// wide-port-range exposures and rates every other service (a web port, say)
// info, since exposing it is what a public service is for;
// latent-exposure rates one step below the exposure it would become. Every
// other check has one severity (checkSeverity).
func RateDefect(d *reach.Defect) (Severity, string) {
	switch d.Check {
	case reach.CheckInternetExposure, reach.CheckLatentExposure:
		if d.Service == nil {
			return SeverityMedium, ""
		}
		world := []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0")}
		rt := Rate(d.Service.Protocols, d.Service.Ports, world, "internet")
		sev := rt.Severity
		if d.Check == reach.CheckInternetExposure {
			switch rt.Kind {
			case KindAllTraffic, KindHighRiskPort, KindWidePortRange:
			default:
				return SeverityInfo, rt.Reason + "; a service meant to be public, informational"
			}
			return sev, rt.Reason
		}
		return max(SeverityInfo, sev-1), "latent: " + rt.Reason + " once the blockers change"
	}
	if s, ok := checkSeverity[d.Check]; ok {
		return s, ""
	}
	return SeverityMedium, ""
}

func newCheckFinding(d *reach.Defect, tc traceCmd) CheckFinding {
	info, _ := reach.CheckByID(d.Check)
	sev, reason := RateDefect(d)
	f := CheckFinding{Check: string(d.Check), Title: info.Title, Severity: sev, SeverityReason: reason,
		Subject: elementOf("", d.Subject, nil), Message: d.Message, Fix: d.Fix, Elements: []Element{}}
	if d.Rule != nil {
		r := ruleOf(*d.Rule)
		f.Rule = &r
	}
	if p := d.Where(); p.File != "" {
		f.Location = &Location{File: p.File, Line: p.Line, Col: p.Col}
	}
	for _, x := range d.Involved {
		f.Elements = append(f.Elements, elementOf(x.Role, x.Component, x.Rule))
	}
	if d.Traffic != nil {
		f.Traffic = d.Traffic.String()
	}
	f.Witness = witnessOf(d.Witness, tc)
	f.Fingerprint = defectFingerprint(d)
	return f
}

// defectFingerprint identifies a defect by what it is, so that a folder of
// configuration, its plan and its state give it the same one: the check, the
// subject, the rule, and the elements concerned in a stable order (they come
// in the order of their IDs). A route is identified by its table and
// destination (a table has one route per destination), not by its text,
// which names the target by ID — assigned in a state, symbolic in a folder;
// another rule by its text with the IDs of the elements concerned written
// as their labels.
func defectFingerprint(d *reach.Defect) string {
	key := []string{string(d.Check), d.Subject.Label()}
	if r := d.Rule; r != nil {
		text := r.Text
		if dest, _, ok := strings.Cut(text, " -> "); ok && (r.Kind == reach.RuleRoute || r.Kind == reach.RuleTGWRoute) {
			text = r.Owner.Label() + ": " + dest
		} else {
			var pairs []string
			for _, x := range append([]reach.Ref{d.Subject, r.Owner}, involvedRefs(d)...) {
				if x.ID != "" && x.ID != x.Label() {
					pairs = append(pairs, x.ID, x.Label())
				}
			}
			text = strings.NewReplacer(pairs...).Replace(text)
		}
		key = append(key, text, r.Address)
	}
	var involved []string
	for _, x := range d.Involved {
		involved = append(involved, x.Role+"\x00"+x.Component.Label())
	}
	slices.Sort(involved)
	return fingerprint(append(key, involved...)...)
}

func involvedRefs(d *reach.Defect) []reach.Ref {
	var out []reach.Ref
	for _, x := range d.Involved {
		out = append(out, x.Component)
	}
	return out
}

func newViolationFinding(x *intent.Expectation, v *reach.Violation, tc traceCmd) CheckFinding {
	sev, err := ParseSeverity(x.Severity)
	if err != nil {
		sev = SeverityHigh
	}
	title := x.Description
	if title == "" {
		title = x.Label()
	}
	f := CheckFinding{Check: "intent/" + x.Name, Title: title, Severity: sev,
		Subject:  elementOf("", v.To, nil),
		Location: &Location{File: x.Pos.File, Line: x.Pos.Line, Col: x.Pos.Col},
		Intent:   &IntentRef{Name: x.Name, Kind: x.Kind.String(), File: x.Pos.File, Line: x.Pos.Line},
		Elements: []Element{elementOf("source", v.From, nil), elementOf("destination", v.To, nil)}}
	for _, r := range v.AlsoFrom {
		f.Elements = append(f.Elements, elementOf("also source", r, nil))
	}
	for _, r := range v.AlsoTo {
		f.Elements = append(f.Elements, elementOf("also destination", r, nil))
	}
	var svcs []string
	for _, s := range v.Services {
		svcs = append(svcs, s.String())
	}
	services := strings.Join(svcs, ", ")
	also := ""
	if n := len(v.AlsoFrom) + len(v.AlsoTo); n > 0 {
		also = fmt.Sprintf(" (and %s the network cannot tell apart from these)", plural(n, "more interface"))
	}
	switch x.Kind {
	case reach.ExpectDeny:
		f.Message = fmt.Sprintf("%s reaches %s on %s, and the replies come back%s", v.From.Label(), v.To.Label(), services, also)
		f.Fix = "close the path: the witness's trace names every rule and route that lets it through"
	case reach.ExpectAllow:
		how := "does not reach"
		if v.Partial {
			how = "reaches, for part of the client ports only,"
		}
		f.Message = fmt.Sprintf("%s %s %s on %s%s", v.From.Label(), how, v.To.Label(), services, also)
		f.Fix = "open the path: the witness's trace says where it stops"
	case reach.ExpectOnly:
		f.Message = fmt.Sprintf("%s reaches %s on %s, which the expectation does not allow%s", v.From.Label(), v.To.Label(), services, also)
		f.Fix = "close the path, or widen the expectation if the flow is wanted: the witness's trace names the rules that let it through"
	}
	f.Witness = witnessOf(v.Witness, tc)
	f.Fingerprint = fingerprint(f.Check, filepath.Base(x.Pos.File), v.From.Label(), v.To.Label())
	return f
}

func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:8])
}

func elementOf(role string, r reach.Ref, rule *reach.RuleRef) Element {
	e := Element{Role: role, Kind: r.Kind, Label: r.Label(), ID: r.ID, File: r.Pos.File, Line: r.Pos.Line}
	if rule != nil {
		rr := ruleOf(*rule)
		e.Rule = &rr
	}
	return e
}

// traceCmd writes the trace commands that reproduce witnesses.
type traceCmd struct {
	paths  []string
	before bool
	eph    model.PortRange
}

func witnessOf(w *reach.Witness, tc traceCmd) *Witness {
	if w == nil {
		return nil
	}
	h := w.Header
	p := model.ProtocolNumber(h.Proto)
	pk := Packet{Protocol: p.String(), Source: h.Src.String(), Destination: h.Dst.String()}
	q := w.Query
	args := []string{"vpcsim", "trace"}
	for _, p := range tc.paths {
		args = append(args, "--in", shellQuote(p))
	}
	if tc.before {
		args = append(args, "--before")
	}
	args = append(args, "--from", shellQuote(q.From), "--to", shellQuote(q.To))
	if q.FromAddr != "" {
		args = append(args, "--from-addr", string(q.FromAddr))
	}
	if q.ToAddr != "" {
		args = append(args, "--to-addr", string(q.ToAddr))
	}
	args = append(args, "--protocol", p.String())
	switch {
	case p.HasPorts():
		sp, dp := int(h.SrcPort), int(h.DstPort)
		pk.SourcePort, pk.DestinationPort = &sp, &dp
		args = append(args, "--port", strconv.Itoa(dp), "--src-port", strconv.Itoa(sp))
	case p.IsICMP():
		ty, code := int(h.DstPort), int(h.SrcPort)
		pk.ICMPType, pk.ICMPCode = &ty, &code
		args = append(args, "--icmp-type", strconv.Itoa(ty), "--icmp-code", strconv.Itoa(code))
	}
	if tc.eph != (model.PortRange{}) && tc.eph != model.DefaultEphemeral {
		args = append(args, "--ephemeral", tc.eph.String())
	}
	return &Witness{Flow: pk, Command: strings.Join(args, " "), Trace: w.Trace}
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters (Terraform addresses hold quotes and brackets).
func shellQuote(s string) string {
	safe := s != ""
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("-_./:@,+=", c)) {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// CheckFormats are the formats of WriteCheck, the first the default.
var CheckFormats = []string{"text", "json", "markdown", "sarif", "github"}

// WriteCheck writes r in format: text, json, markdown, sarif or github
// (GitHub Actions workflow commands).
func WriteCheck(w io.Writer, r *CheckReport, format string) error {
	if r == nil {
		return fmt.Errorf("no check report to write")
	}
	switch format {
	case "text", "":
		return writeCheckText(w, r)
	case "json":
		return writeJSON(w, r)
	case "markdown", "md":
		return writeCheckMarkdown(w, r)
	case "sarif":
		return writeCheckSARIF(w, r)
	case "github":
		return writeCheckGitHub(w, r)
	}
	return fmt.Errorf("invalid check format %q: want %s", format, strings.Join(CheckFormats, ", "))
}

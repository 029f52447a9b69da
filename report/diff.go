package report

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/intent"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// DiffReport is what changes between two networks' reachability
// (reach.Compare), rated and ordered, ready to render; with a gate (Judge),
// the plan pre-check's verdict too. Its JSON form is the contract of `vpcsim
// diff` and `vpcsim plan-check`; docs/report.md documents every field.
type DiffReport struct {
	// Command is "diff" or "plan-check".
	Command string `json:"command"`
	// Before and After name the networks compared (a plan's prior state and
	// planned network, or two inputs).
	Before string `json:"before"`
	After  string `json:"after"`
	// Sources are the kinds of traffic compared: internet, on-premises,
	// estate (between the networks' interfaces), egress (from an interface
	// to the internet).
	Sources []string `json:"sources"`
	// Scope says how much was analysed.
	Scope DiffScope `json:"scope"`
	// Summary counts the findings by status and scope.
	Summary DiffSummary `json:"summary"`
	// Gate is the plan pre-check's verdict; absent for diff.
	Gate *Gate `json:"gate,omitempty"`
	// Findings are the exposures and flows compared, the ones that open
	// something first (see compareDiffFindings).
	Findings []DiffFinding `json:"findings"`
	// Changes are the differences between the networks that can change
	// reachability, each with where it is written.
	Changes []NetworkChange `json:"changes"`
	// Intents are the violations of the intent files (--intent) on either
	// side, and what the change did to each; absent without intent files.
	Intents []IntentChange `json:"intents,omitempty"`
	// Notes are what the comparison assumes and what loading the inputs
	// said.
	Notes []Note `json:"notes"`
	// ExpiredSuppressions are inline suppressions whose expiry date has
	// passed: they silence nothing and are listed so that someone renews or
	// removes them.
	ExpiredSuppressions []Suppression `json:"expired_suppressions,omitempty"`
	// Version is vpcsim's version (Version), for SARIF.
	Version string `json:"-"`
}

// DiffScope says how much of the networks a comparison analysed.
type DiffScope struct {
	Interfaces int    `json:"interfaces"`
	Analysed   int    `json:"analysed"`
	Full       bool   `json:"full"`
	Reason     string `json:"reason,omitempty"`
}

// DiffSummary counts a comparison's findings.
type DiffSummary struct {
	// Exposures (from the internet and on-premises networks) by status.
	New       int `json:"new"`
	Widened   int `json:"widened"`
	Narrowed  int `json:"narrowed"`
	Closed    int `json:"closed"`
	Unchanged int `json:"unchanged"`
	// Flows between the networks' interfaces and to the internet that
	// changed (any status but unchanged).
	FlowsOpened int `json:"flows_opened"`
	FlowsClosed int `json:"flows_closed"`
	// Suppressed counts the findings an inline comment or the baseline
	// accepts; Failing those that fail the gate.
	Suppressed int `json:"suppressed"`
	Failing    int `json:"failing"`
	// IntentsNew counts the intent violations the change introduces (new,
	// or with other services); IntentsResolved those it ends.
	IntentsNew      int `json:"intents_new"`
	IntentsResolved int `json:"intents_resolved"`
}

// DiffFinding is one protocol and port range of one target, from one kind of
// source, and what the comparison says of it.
type DiffFinding struct {
	// Fingerprint identifies the finding (see Fingerprint): the same as the
	// report's for the same exposure.
	Fingerprint string `json:"fingerprint"`
	// Status is new, widened, narrowed, closed or unchanged (reach.DeltaStatus);
	// BaselineState is SARIF's word for it: new, updated, unchanged, absent.
	Status        reach.DeltaStatus `json:"status"`
	BaselineState string            `json:"baseline_state"`
	// Source is internet, on-premises, estate (flows from the network's own
	// interfaces) or egress (flows from the target to the internet).
	Source     string `json:"source"`
	Target     string `json:"target"`
	TargetKind string `json:"target_kind"`
	Interface  string `json:"interface"`
	Subnet     string `json:"subnet,omitempty"`
	VPC        string `json:"vpc,omitempty"`
	Protocol   string `json:"protocol"`
	FromPort   int    `json:"from_port"`
	ToPort     int    `json:"to_port"`
	Service    string `json:"service,omitempty"`
	// Severity, SeverityReason and Kind rate what passes after (what passed
	// before, for a closed finding) by the report's policy; flows to the
	// internet are info, kind flow/egress.
	Severity       Severity `json:"severity"`
	SeverityReason string   `json:"severity_reason"`
	Kind           string   `json:"kind"`
	// Sources are what passes after (before, for a closed finding); Added
	// and Removed what passes only after or only before — source blocks,
	// or for flows between interfaces the source interfaces' owners, or
	// for egress the internet destinations; AddedClientPorts and
	// RemovedClientPorts when what changed is which client ports get
	// replies.
	Sources            []string `json:"sources"`
	SourcesSummary     string   `json:"sources_summary"`
	Added              []string `json:"added,omitempty"`
	Removed            []string `json:"removed,omitempty"`
	AddedClientPorts   string   `json:"added_client_ports,omitempty"`
	RemovedClientPorts string   `json:"removed_client_ports,omitempty"`
	Destinations       []string `json:"destinations"`
	// OpenedBy is the rule that opens what passes after (before, for a
	// closed finding).
	OpenedBy *Rule `json:"opened_by,omitempty"`
	// Causes are the changes of the network the finding's change is
	// attributed to (indexes into the report's Changes, and their text).
	Causes []Cause `json:"causes,omitempty"`
	// Location is where a reader should look: the first cause written in a
	// file that the second network still has, else the rule that opens the
	// finding, else a cause that was deleted; absent when none is in a file.
	Location *Location `json:"location,omitempty"`
	// Path is what lets the traffic through, after (before, for a closed
	// finding).
	Path []Step `json:"path"`
	// Via are the ways through load balancers that carry the traffic (the
	// ports are then the listener's, as the source sends them), and
	// OnlyViaLoadBalancer says the target is not reached directly (see
	// Finding).
	Via                 []Via `json:"via,omitempty"`
	OnlyViaLoadBalancer bool  `json:"only_via_load_balancer,omitempty"`
	// Placeholder is set when an address of the target is unknown until
	// apply.
	Placeholder bool   `json:"placeholder"`
	Notes       []Note `json:"notes,omitempty"`
	// Suppressed is the inline comment or baseline entry that accepts the
	// finding, when one does (an expired one does not).
	Suppressed *Suppression `json:"suppressed,omitempty"`
	// Fails is set when the finding fails the gate.
	Fails bool `json:"fails"`

	protocols reach.Protocols
	ports     model.PortRange
	key       string
	// resources are the Terraform resources the finding can be suppressed
	// on, with where each is declared (see SuppressionSites).
	sites []Location
}

// Cause is one change a finding's change is attributed to.
type Cause struct {
	// Change indexes the report's Changes.
	Change int    `json:"change"`
	Text   string `json:"text"`
	// Resource is the Terraform address of the resource carrying it;
	// Where its position (file:line) or, without one, the resource.
	Resource string `json:"resource,omitempty"`
	Where    string `json:"where"`
	File     string `json:"file,omitempty"`
	Line     int    `json:"line,omitempty"`
	// Gone is set when the change removes what the position declares (a
	// deleted rule): the position is in the first network's source.
	Gone bool `json:"gone,omitempty"`
}

// NetworkChange is one difference between the two networks that can change
// reachability (reach.Change).
type NetworkChange struct {
	// Kind is added, removed, changed, rule-added, rule-removed,
	// association, address or security-groups.
	Kind reach.ChangeKind `json:"kind"`
	// Element is the element changed (address, else ID); ElementKind its
	// kind.
	Element     string `json:"element"`
	ElementKind string `json:"element_kind"`
	Detail      string `json:"detail"`
	Resource    string `json:"resource,omitempty"`
	Where       string `json:"where"`
	File        string `json:"file,omitempty"`
	Line        int    `json:"line,omitempty"`
	Gone        bool   `json:"gone,omitempty"`
}

// Suppression is what accepts a finding: an inline comment on a resource
// that opens it, or an entry of the baseline file.
type Suppression struct {
	// Kind is "inline" or "baseline".
	Kind string `json:"kind"`
	// Rule is what the comment names (a port, protocol/port, kind or
	// fingerprint); for a baseline, the entry's fingerprint.
	Rule   string `json:"rule"`
	Reason string `json:"reason,omitempty"`
	// Expires is the expiry date (YYYY-MM-DD), when one is given; Expired
	// is set when it has passed.
	Expires string `json:"expires,omitempty"`
	Expired bool   `json:"expired,omitempty"`
	// File and Line are where the comment (or the baseline file) is.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Resource is the resource the comment is on.
	Resource string `json:"resource,omitempty"`
}

// Gate is the plan pre-check's verdict.
type Gate struct {
	// FailOn is the threshold: a severity, "any-change" or "none".
	FailOn string `json:"fail_on"`
	// Internal is set when new flows between the networks' interfaces count
	// like exposures.
	Internal bool `json:"internal"`
	// Failed is the verdict; Reason says it in words.
	Failed bool   `json:"failed"`
	Reason string `json:"reason"`
}

// Kinds of the flows that are not exposures.
const (
	// KindFlowEgress is a flow from an interface to the internet.
	KindFlowEgress = "flow/egress"
)

// NewDiffReport rates and orders a comparison. command is "diff" or
// "plan-check"; before and after name the networks.
func NewDiffReport(d *reach.Delta, command, before, after string) *DiffReport {
	r := &DiffReport{Command: command, Before: before, After: after, Sources: slices.Clone(d.Sources),
		Scope:    DiffScope{Interfaces: d.Scope.Interfaces, Analysed: d.Scope.Analysed, Full: d.Scope.Full, Reason: d.Scope.Reason},
		Findings: []DiffFinding{}, Changes: []NetworkChange{}, Notes: []Note{}, Version: Version()}
	for _, c := range d.Changes {
		r.Changes = append(r.Changes, networkChange(c))
	}
	for _, n := range d.Notes {
		r.Notes = append(r.Notes, noteOf(n))
	}
	for i := range d.Units {
		r.Findings = append(r.Findings, r.diffFinding(&d.Units[i]))
	}
	slices.SortStableFunc(r.Findings, compareDiffFindings)
	r.summarize()
	return r
}

func networkChange(c reach.Change) NetworkChange {
	nc := NetworkChange{Kind: c.Kind, Element: c.Element.Label(), ElementKind: c.Element.Kind, Detail: c.Detail,
		Resource: c.Resource, File: c.Pos.File, Line: c.Pos.Line, Gone: c.Gone}
	switch {
	case c.Pos.File != "" && c.Pos.Line > 0:
		nc.Where = fmt.Sprintf("%s:%d", c.Pos.File, c.Pos.Line)
	case c.Resource != "":
		nc.Where = c.Resource
	default:
		nc.Where = nc.Element
	}
	return nc
}

// WithInputNotes adds the warnings and notes of loading the inputs to the
// report's notes, once each, and returns the report.
func (r *DiffReport) WithInputNotes(ds ...model.Diagnostics) *DiffReport {
	seen := map[Note]bool{}
	for _, n := range r.Notes {
		seen[n] = true
	}
	for _, d := range ds {
		for _, n := range InputNotes(d) {
			if !seen[n] {
				seen[n] = true
				r.Notes = append(r.Notes, n)
			}
		}
	}
	return r
}

var baselineStates = map[reach.DeltaStatus]string{
	reach.StatusNew: "new", reach.StatusWidened: "updated", reach.StatusNarrowed: "updated",
	reach.StatusClosed: "absent", reach.StatusUnchanged: "unchanged",
}

func (r *DiffReport) diffFinding(u *reach.DeltaUnit) DiffFinding {
	f := u.After
	if f == nil {
		f = u.Before
	}
	df := DiffFinding{Status: u.Status, BaselineState: baselineStates[u.Status], Source: u.Source,
		Target: u.Target.Label(), TargetKind: u.Target.Kind, Interface: u.Interface.Label(),
		Protocol: u.Protocols.String(), FromPort: int(u.Ports.First), ToPort: int(u.Ports.Last),
		Placeholder: u.Placeholder, Path: []Step{}, Sources: []string{}, Destinations: []string{},
		protocols: u.Protocols, ports: u.Ports, key: u.Key}
	if u.Subnet.Kind != "" {
		df.Subnet = u.Subnet.Label()
	}
	if u.VPC.Kind != "" {
		df.VPC = u.VPC.Label()
	}
	df.Fingerprint = Fingerprint(u.Source, u.Key, df.Protocol, df.FromPort, df.ToPort)
	if f != nil {
		base := newFinding(f, u.Source, nil)
		df.Sources, df.SourcesSummary, df.Destinations = base.Sources, base.SourcesSummary, base.Destinations
		df.OpenedBy, df.Path, df.Notes = base.OpenedBy, base.Path, base.Notes
		df.Via, df.OnlyViaLoadBalancer = base.Via, base.OnlyViaLoadBalancer
		rt := Rate(u.Protocols, u.Ports, f.Sources, u.Source)
		switch u.Source {
		case reach.SourceEstate:
			rt.Reason = strings.Replace(rt.Reason, sourcesPhrase(f.Sources, SourceBreadth(f.Sources), u.Source), "from "+f.SourcesSummary, 1)
		case reach.SourceEgress:
			ff := Finding{protocols: u.Protocols, ports: u.Ports}
			rt = Rating{Severity: SeverityInfo, Kind: KindFlowEgress,
				Reason: fmt.Sprintf("%s can open %s connections to %s and get replies", df.Target, ff.ServiceText(), base.SourcesSummary)}
			if svc := Rate(u.Protocols, u.Ports, nil, "").Service; svc != "" {
				rt.Service = svc
			}
		}
		df.Severity, df.SeverityReason, df.Kind, df.Service = rt.Severity, rt.Reason, rt.Kind, rt.Service
	}
	df.Added, df.Removed = prefixStrings(u.Added), prefixStrings(u.Removed)
	if u.Source == reach.SourceEstate {
		df.Added, df.Removed = refLabels(u.AddedFrom), refLabels(u.RemovedFrom)
	}
	if len(df.Added) == 0 {
		df.Added = nil
	}
	if len(df.Removed) == 0 {
		df.Removed = nil
	}
	df.AddedClientPorts, df.RemovedClientPorts = u.AddedPorts.String(), u.RemovedPorts.String()
	for _, i := range u.Causes {
		c := r.Changes[i]
		df.Causes = append(df.Causes, Cause{Change: i, Text: c.Element + ": " + c.Detail, Resource: c.Resource, Where: c.Where,
			File: c.File, Line: c.Line, Gone: c.Gone})
	}
	df.Location = locate(&df)
	df.sites = sites(&df, u)
	return df
}

func refLabels(rs []reach.Ref) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Label())
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// locate picks where a reader should look for a finding (see
// DiffFinding.Location).
func locate(f *DiffFinding) *Location {
	for _, c := range f.Causes {
		if c.File != "" && !c.Gone && isSource(c.File) {
			return &Location{File: c.File, Line: c.Line}
		}
	}
	if f.OpenedBy != nil && f.OpenedBy.File != "" && isSource(f.OpenedBy.File) {
		return &Location{File: f.OpenedBy.File, Line: f.OpenedBy.Line}
	}
	for _, c := range f.Causes {
		if c.File != "" && isSource(c.File) {
			return &Location{File: c.File, Line: c.Line}
		}
	}
	for _, c := range f.Causes {
		if c.File != "" {
			return &Location{File: c.File, Line: c.Line}
		}
	}
	if f.OpenedBy != nil && f.OpenedBy.File != "" {
		return &Location{File: f.OpenedBy.File, Line: f.OpenedBy.Line}
	}
	return nil
}

// isSource reports whether a file is Terraform configuration, as opposed to
// the JSON of a state or plan.
func isSource(file string) bool {
	return strings.HasSuffix(file, ".tf") || strings.HasSuffix(file, ".tf.json")
}

// sites are the declarations a finding can be suppressed on: the rule that
// opens it and what holds that rule, the target, and the causes.
func sites(f *DiffFinding, u *reach.DeltaUnit) []Location {
	var out []Location
	add := func(p model.Pos) {
		if l := (Location{File: p.File, Line: p.Line}); p.File != "" && p.Line > 0 && isSource(p.File) && !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	for _, side := range []*reach.Finding{u.After, u.Before} {
		if side == nil {
			continue
		}
		for _, r := range side.OpenedBy {
			add(r.Pos)
			add(r.Owner.Pos)
		}
		add(side.Target.Pos)
	}
	for _, c := range f.Causes {
		add(model.Pos{File: c.File, Line: c.Line})
	}
	return out
}

// SuppressionSites are the declarations (file and line of a resource or of
// a rule block) an inline suppression comment can be written on to accept
// the finding.
func (f *DiffFinding) SuppressionSites() []Location { return slices.Clone(f.sites) }

// Covers reports whether the finding's protocol and ports lie within those
// given (protocol "" or "all": any; ports inclusive).
func (f *DiffFinding) Covers(protocol string, from, to int) bool {
	if protocol != "" && protocol != "all" && protocol != f.Protocol {
		return false
	}
	return from <= f.FromPort && f.ToPort <= to
}

// ServiceText is the finding's protocol and ports as people write them.
func (f *DiffFinding) ServiceText() string {
	ff := Finding{protocols: f.protocols, ports: f.ports}
	return ff.ServiceText()
}

// Exposure reports whether the finding is an exposure (from the internet or
// on-premises networks) rather than a flow inside the estate or to the
// internet.
func (f *DiffFinding) Exposure() bool {
	return f.Source != reach.SourceEstate && f.Source != reach.SourceEgress
}

// Key is the stable key of the finding's interface.
func (f *DiffFinding) Key() string { return f.key }

// compareDiffFindings puts what opens something first, then what closes,
// then what is unchanged; exposures before flows; then the most serious
// first, target, protocol and port.
func compareDiffFindings(a, b DiffFinding) int {
	rank := func(s reach.DeltaStatus) int {
		switch s {
		case reach.StatusNew, reach.StatusWidened:
			return 0
		case reach.StatusNarrowed, reach.StatusClosed:
			return 1
		}
		return 2
	}
	src := func(f DiffFinding) int {
		return slices.Index([]string{"internet", "on-premises", reach.SourceEstate, reach.SourceEgress}, f.Source)
	}
	return cmp.Or(
		cmp.Compare(rank(a.Status), rank(b.Status)),
		cmp.Compare(src(a), src(b)),
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.Target, b.Target),
		cmp.Compare(protocolRank(a.protocols), protocolRank(b.protocols)),
		cmp.Compare(a.FromPort, b.FromPort),
		cmp.Compare(a.Status, b.Status),
	)
}

func (r *DiffReport) summarize() {
	s := DiffSummary{}
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			s.Suppressed++
		}
		if f.Fails {
			s.Failing++
		}
		if !f.Exposure() {
			switch {
			case f.Status.Opens():
				s.FlowsOpened++
			case f.Status != reach.StatusUnchanged:
				s.FlowsClosed++
			}
			continue
		}
		switch f.Status {
		case reach.StatusNew:
			s.New++
		case reach.StatusWidened:
			s.Widened++
		case reach.StatusNarrowed:
			s.Narrowed++
		case reach.StatusClosed:
			s.Closed++
		case reach.StatusUnchanged:
			s.Unchanged++
		}
	}
	for _, c := range r.Intents {
		if c.Fails {
			s.Failing++
		}
		switch c.Status {
		case "new", "changed":
			s.IntentsNew++
		case "resolved":
			s.IntentsResolved++
		}
	}
	r.Summary = s
}

// Suppress attaches to each finding what accepts it (nil: nothing), and the
// expired suppressions found, and returns the report.
func (r *DiffReport) Suppress(of func(*DiffFinding) *Suppression, expired []Suppression) *DiffReport {
	for i := range r.Findings {
		r.Findings[i].Suppressed = of(&r.Findings[i])
	}
	r.ExpiredSuppressions = append(r.ExpiredSuppressions, expired...)
	r.summarize()
	return r
}

// GateOptions say what fails the gate.
type GateOptions struct {
	// FailOn is the lowest severity of a new or widened exposure that
	// fails; 0 with AnyChange false means nothing fails.
	FailOn Severity
	// AnyChange fails on every change of reachability, opening or
	// closing, exposures and flows alike.
	AnyChange bool
	// Internal makes new or widened flows between the networks' interfaces
	// fail like exposures (at FailOn and above).
	Internal bool
}

// FailOnText is the threshold as the command line writes it.
func (o GateOptions) FailOnText() string {
	switch {
	case o.AnyChange:
		return "any-change"
	case o.FailOn == 0:
		return "none"
	}
	return o.FailOn.String()
}

// Judge decides which findings fail the gate — those not accepted by a
// suppression that open an exposure (or, with Internal, a flow between
// interfaces) rated at or above FailOn, or with AnyChange every change —
// and records the verdict. It returns the report.
func (r *DiffReport) Judge(o GateOptions) *DiffReport {
	r.Gate = &Gate{FailOn: o.FailOnText(), Internal: o.Internal}
	for i := range r.Findings {
		f := &r.Findings[i]
		f.Fails = false
		if f.Suppressed != nil {
			continue
		}
		switch {
		case o.AnyChange:
			f.Fails = f.Status != reach.StatusUnchanged
		case o.FailOn == 0:
		case !f.Status.Opens():
		case f.Exposure() || o.Internal && f.Source == reach.SourceEstate:
			f.Fails = f.Severity >= o.FailOn
		}
	}
	for i := range r.Intents {
		c := &r.Intents[i]
		switch {
		case o.AnyChange:
			c.Fails = c.Status != "unchanged"
		case o.FailOn == 0:
			c.Fails = false
		default:
			c.Fails = (c.Status == "new" || c.Status == "changed") && c.Severity >= o.FailOn
		}
	}
	r.summarize()
	g := r.Gate
	g.Failed = r.Summary.Failing > 0
	switch {
	case g.Failed && r.failingIntents() > 0 && r.failingIntents() == r.Summary.Failing:
		g.Reason = fmt.Sprintf("%s of the intent files", plural(r.Summary.Failing, "new violation"))
	case g.Failed && o.AnyChange:
		g.Reason = fmt.Sprintf("%s of reachability (--fail-on any-change)", plural(r.Summary.Failing, "change"))
	case g.Failed:
		what := "new or widened exposure"
		if o.Internal {
			what += " or flow between interfaces"
		}
		g.Reason = fmt.Sprintf("%s at or above %s", plural(r.Summary.Failing-r.failingIntents(), what), o.FailOn)
		if n := r.failingIntents(); n > 0 {
			g.Reason += fmt.Sprintf(", and %s of the intent files", plural(n, "new violation"))
		}
	case o.AnyChange:
		g.Reason = "reachability does not change"
	case o.FailOn == 0:
		g.Reason = "nothing fails the gate (--fail-on none)"
	default:
		g.Reason = fmt.Sprintf("no new or widened exposure at or above %s", o.FailOn)
	}
	if s := r.Summary.Suppressed; s > 0 {
		g.Reason += fmt.Sprintf("; %s accepted by suppressions", plural(s, "finding"))
	}
	if n := len(r.ExpiredSuppressions); n > 0 {
		g.Reason += fmt.Sprintf("; %s expired", plural(n, "suppression"))
	}
	return r
}

func (r *DiffReport) failingIntents() int {
	n := 0
	for _, c := range r.Intents {
		if c.Fails {
			n++
		}
	}
	return n
}

// DiffFormats are the formats of WriteDiff, the first the default.
var DiffFormats = []string{"text", "json", "markdown", "sarif", "github"}

// WriteDiff writes r in format: text, json, markdown (a pull-request
// comment under GitHub's 65,536 characters), sarif (2.1.0, with
// baselineState) or github (GitHub Actions workflow commands that annotate
// the .tf lines).
func WriteDiff(w io.Writer, r *DiffReport, format string) error {
	if r == nil {
		return fmt.Errorf("no comparison to write")
	}
	switch format {
	case "text", "":
		return writeDiffText(w, r)
	case "json":
		return writeJSON(w, r)
	case "markdown", "md":
		return writeDiffMarkdown(w, r, maxComment)
	case "sarif":
		return writeDiffSARIF(w, r)
	case "github":
		return writeDiffGitHub(w, r)
	}
	return fmt.Errorf("invalid format %q: want %s", format, strings.Join(DiffFormats, ", "))
}

// IntentChange is one violation of an intent file's expectation (see
// CheckFinding) and what the change did to it: new (violated after the change
// only), changed (violated on both sides, with other services), unchanged,
// or resolved (violated before only).
type IntentChange struct {
	CheckFinding
	Status string `json:"status"`
	// Fails is set when the violation fails the gate.
	Fails bool `json:"fails"`
}

// WithIntents compares the violations of the intent files evaluated on the
// networks before and after the change (intent.Evaluate on each side), by
// fingerprint: the expectation and its ends by address. before may hold
// fewer results than after when an expectation could not be evaluated
// before (a selector naming what the change creates): its violations after
// are new. It returns the report.
func (r *DiffReport) WithIntents(before, after []intent.Result, ephemeral model.PortRange) *DiffReport {
	rb := NewCheckReport(CheckInput{Intents: before, Ephemeral: ephemeral})
	ra := NewCheckReport(CheckInput{Intents: after, Ephemeral: ephemeral})
	prev := map[string]CheckFinding{}
	for _, f := range rb.Findings {
		prev[f.Fingerprint] = f
	}
	seen := map[string]bool{}
	for _, f := range ra.Findings {
		seen[f.Fingerprint] = true
		c := IntentChange{CheckFinding: f, Status: "new"}
		if p, ok := prev[f.Fingerprint]; ok {
			c.Status = "unchanged"
			if p.Message != f.Message {
				c.Status = "changed"
			}
		}
		r.Intents = append(r.Intents, c)
	}
	for _, f := range rb.Findings {
		if !seen[f.Fingerprint] {
			r.Intents = append(r.Intents, IntentChange{CheckFinding: f, Status: "resolved"})
		}
	}
	return r
}

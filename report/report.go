package report

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// Report is an exposure report: every finding of an analysis, rated, in a
// stable order, ready to render. Its JSON form is the contract tools rely
// on; docs/report.md documents every field.
type Report struct {
	// Source is where the analysed traffic comes from: "internet", or what
	// the analysis was asked for (a subnet, a CIDR…).
	Source string `json:"source"`
	// Input names the network analysed (a file or folder); empty when not
	// given.
	Input string `json:"input,omitempty"`
	// Summary counts the findings.
	Summary Summary `json:"summary"`
	// Notes are what the analysis assumes about the whole network.
	Notes []Note `json:"notes"`
	// Findings are sorted by severity (most serious first), target,
	// protocol and port.
	Findings []Finding `json:"findings"`

	topo *reach.Topology
}

// Summary counts findings.
type Summary struct {
	// Total is the number of findings; Targets the number of distinct
	// targets they concern; Partial the number of partial findings.
	Total   int `json:"total"`
	Targets int `json:"targets"`
	Partial int `json:"partial"`
	SeverityCounts
}

// SeverityCounts has one count of findings per severity, always present.
type SeverityCounts struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
	Info     int `json:"info"`
}

// Count returns the number of findings of severity s.
func (s *SeverityCounts) Count(sev Severity) int {
	switch sev {
	case SeverityCritical:
		return s.Critical
	case SeverityHigh:
		return s.High
	case SeverityMedium:
		return s.Medium
	case SeverityLow:
		return s.Low
	case SeverityInfo:
		return s.Info
	}
	return 0
}

func (s *SeverityCounts) add(sev Severity) {
	switch sev {
	case SeverityCritical:
		s.Critical++
	case SeverityHigh:
		s.High++
	case SeverityMedium:
		s.Medium++
	case SeverityLow:
		s.Low++
	case SeverityInfo:
		s.Info++
	}
}

// Note is an assumption or a caveat, about the network or one finding.
type Note struct {
	Code     string `json:"code"`
	Severity string `json:"severity"`
	// Component is the element concerned; empty when none is.
	Component string `json:"component,omitempty"`
	Message   string `json:"message"`
	// File and Line say where the input says what the note is about (for
	// the notes of CodeInput); empty when it is not one place.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
}

// CodeInput is the code of the notes that carry what loading the input said
// about it (values unknown until apply, elements outside the input,
// assumptions): every answer depends on them.
const CodeInput = "INPUT"

// WithInputNotes adds the warnings and notes of loading the input (its
// diagnostics less the errors, which stop a load) to the report's notes,
// once each, and returns the report.
func (r *Report) WithInputNotes(ds model.Diagnostics) *Report {
	r.Notes = mergeNotes(r.Notes, InputNotes(ds))
	return r
}

// mergeNotes appends to notes those of more it does not hold yet.
func mergeNotes(notes, more []Note) []Note {
	seen := map[Note]bool{}
	for _, n := range notes {
		seen[n] = true
	}
	for _, n := range more {
		if !seen[n] {
			seen[n] = true
			notes = append(notes, n)
		}
	}
	return notes
}

// InputNotes are the warnings and notes of loading an input (its
// diagnostics less the errors, which stop a load) as notes of code
// CodeInput, once each, for the outputs of trace, matrix and graph.
func InputNotes(ds model.Diagnostics) []Note {
	var out []Note
	seen := map[Note]bool{}
	for _, d := range ds {
		if d.Severity == model.SeverityError {
			continue
		}
		n := Note{Code: CodeInput, Severity: d.Severity.String(), Component: d.Element, Message: d.Message, File: d.Pos.File, Line: d.Pos.Line}
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// AnswerNotes are the notes every answer of an engine carries: what the
// engine noticed the network depends on (components vpcsim does not model,
// prefix lists of unknown entries, load balancers failing open; its
// Notes), then what loading the input said (InputNotes). Trace, matrix and
// graph print them as the report does.
func AnswerNotes(engine []reach.Explanation, ds model.Diagnostics) []Note {
	var out []Note
	for _, x := range engine {
		out = append(out, noteOf(x))
	}
	return append(out, InputNotes(ds)...)
}

// withNotes writes v as JSON with a "notes" member added after its own,
// when there are notes; v must marshal to an object.
func withNotes(w io.Writer, v any, notes []Note) error {
	if len(notes) == 0 {
		return writeJSON(w, v)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	nb, err := json.Marshal(notes)
	if err != nil {
		return err
	}
	b = bytes.TrimRight(bytes.TrimSpace(b), "}")
	if len(b) > 1 {
		b = append(b, ',')
	}
	b = append(append(append(b, `"notes":`...), nb...), '}')
	var out bytes.Buffer
	if err := json.Indent(&out, b, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	_, err = w.Write(out.Bytes())
	return err
}

// writeNotesText lists notes one a line, as the text report does.
func writeNotesText(tw *errWriter, notes []Note) {
	for _, n := range notes {
		tw.printf("note   %s: %s\n", n.Code, noteText(n))
	}
}

// Finding is one protocol and contiguous port range of one target that the
// source reaches, with its rating and the path that lets it through.
type Finding struct {
	// Fingerprint identifies the finding across runs and inputs: a hash of
	// the source, the interface's stable key, protocol and ports (see
	// Fingerprint), not of IDs assigned at apply, sources or rules.
	Fingerprint string `json:"fingerprint"`
	// Target is the Terraform address, else the AWS ID, of what owns the
	// interface (an instance, an endpoint, a NAT gateway), or of the
	// interface when nothing owns it; TargetKind says which and TargetID
	// gives the AWS ID when known.
	Target     string `json:"target"`
	TargetKind string `json:"target_kind"`
	TargetID   string `json:"target_id,omitempty"`
	// Interface is the network interface reached (address, else ID).
	Interface string `json:"interface"`
	Subnet    string `json:"subnet,omitempty"`
	VPC       string `json:"vpc,omitempty"`
	// Protocol is tcp, udp, icmp, icmpv6, all, or the IANA number (or range
	// of numbers, "2-5") of another protocol.
	Protocol string `json:"protocol"`
	// FromPort and ToPort are the inclusive destination port range; for
	// ICMP the range of ICMP types; 0-65535 where ports do not apply.
	FromPort int `json:"from_port"`
	ToPort   int `json:"to_port"`
	// Service names the well-known service on that port, when the policy
	// knows one (SSH, PostgreSQL, HTTPS, ping).
	Service string `json:"service,omitempty"`
	// Sources are the source blocks that get through, as CIDRs;
	// SourcesSummary says the same in words.
	Sources        []string `json:"sources"`
	SourcesSummary string   `json:"sources_summary"`
	// Destinations are the target's addresses the traffic is sent to (its
	// public addresses, from the internet).
	Destinations []string `json:"destinations"`
	// Severity and SeverityReason are the policy's rating (Rate); Kind is
	// the kind of exposure, the SARIF rule ID.
	Severity       Severity `json:"severity"`
	SeverityReason string   `json:"severity_reason"`
	Kind           string   `json:"kind"`
	// OpenedBy is the rule that opens the exposure: the security group rule
	// admitting it, else the network ACL rule; absent when neither is on
	// the path (an interface without security groups).
	OpenedBy *Rule `json:"opened_by,omitempty"`
	// Path is every decision that lets the traffic through, forward then
	// return.
	Path []Step `json:"path"`
	// Partial is set when replies come back for part of the client ports
	// only; ReturnPorts then lists the client ports that work, else it is
	// empty.
	Partial     bool   `json:"partial"`
	ReturnPorts string `json:"return_ports"`
	// Placeholder is set when an address of the target is a placeholder
	// (unknown until apply).
	Placeholder bool `json:"placeholder"`
	// Via is set when the target is reached through a load balancer: the
	// listener the source connects to and the target group that sends to
	// the target; FromPort and ToPort are then the target's port, and
	// Destinations the load balancer's addresses. OnlyViaLoadBalancer says
	// the target is not reachable from the source directly.
	Via                 []Via `json:"via,omitempty"`
	OnlyViaLoadBalancer bool  `json:"only_via_load_balancer,omitempty"`
	// Listeners are, on a load balancer's own finding, its listeners that
	// take the traffic and where each forwards it.
	Listeners []Via `json:"listeners,omitempty"`
	// Notes qualify the finding.
	Notes []Note `json:"notes,omitempty"`

	// protocols, ports and sources are the finding's, typed, for rating,
	// ordering and rendering.
	protocols reach.Protocols
	ports     model.PortRange
	sources   []netip.Prefix
	targetPos model.Pos
	// pathNodes are the topology nodes the exposure's forward paths cross;
	// ifaceNode is the interface's.
	pathNodes []string
	ifaceNode string
}

// Via is a way through a load balancer: a listener and, when it forwards,
// a target group and the port it sends to.
type Via struct {
	// LoadBalancer is the load balancer (address, else ID); Type is
	// application, network, gateway or classic.
	LoadBalancer   string `json:"load_balancer"`
	LoadBalancerID string `json:"load_balancer_id,omitempty"`
	Type           string `json:"type"`
	// Listener is the listener (address, else ID); Protocol and Port are
	// what it listens on.
	Listener string `json:"listener"`
	Protocol string `json:"protocol"`
	Port     int    `json:"port"`
	// Rule is the listener rule that forwards ("default action", "rule
	// 10: host api.example.com").
	Rule string `json:"rule,omitempty"`
	// TargetGroup and TargetPort say where it forwards; empty when the
	// listener answers itself (a redirect, a fixed response). The IDs are
	// the AWS ARNs when known.
	TargetGroup   string `json:"target_group,omitempty"`
	TargetGroupID string `json:"target_group_id,omitempty"`
	TargetPort    int    `json:"target_port,omitempty"`
	// ClientIPPreserved is set when the target sees the client's own
	// address.
	ClientIPPreserved bool `json:"client_ip_preserved,omitempty"`
	// Text says it in words, as Inspector does: "load balancer aws_lb.web
	// listener HTTPS 443 → target group aws_lb_target_group.web port 8080".
	Text string `json:"text"`
}

func viaOf(l reach.LoadBalancing) Via {
	v := Via{LoadBalancer: l.LoadBalancer.Label(), Type: l.Type.String(), Listener: l.Listener.Label(), Protocol: l.Protocol,
		Port: int(l.Port), Rule: l.Rule, ClientIPPreserved: l.ClientIPPreserved, Text: l.String()}
	if id := l.LoadBalancer.ID; id != v.LoadBalancer {
		v.LoadBalancerID = id
	}
	if l.TargetGroup.Kind != "" {
		v.TargetGroup, v.TargetPort = l.TargetGroup.Label(), int(l.TargetPort)
		if id := l.TargetGroup.ID; id != v.TargetGroup {
			v.TargetGroupID = id
		}
	}
	return v
}

// Step is one decision on a finding's path.
type Step struct {
	// Direction is forward (the request) or return (the reply).
	Direction reach.Leg `json:"direction"`
	// Kind is security-group, network-acl, route or translate.
	Kind reach.StepKind `json:"kind"`
	// Component is the element deciding (address, else ID, else name);
	// ComponentKind its kind.
	Component     string `json:"component"`
	ComponentKind string `json:"component_kind"`
	// Decision is allow (filters), forward or exit (routes), or the
	// translation made.
	Decision reach.Decision `json:"decision"`
	Detail   string         `json:"detail,omitempty"`
	// Rules are the rules or routes that decided, only those that concern
	// the finding.
	Rules []Rule `json:"rules,omitempty"`
}

// Rule is a rule or route, with where it is written.
type Rule struct {
	// Kind is security-group-rule, network-acl-rule, route or
	// transit-gateway-route.
	Kind reach.RuleKind `json:"kind"`
	// Text is the rule as the console shows it.
	Text string `json:"text"`
	// Owner is the security group, network ACL or route table holding it.
	Owner string `json:"owner"`
	// Where is the most useful location: file:line, else the Terraform
	// address, else "synthesised: why", else the owner.
	Where string `json:"where"`
	// File and Line locate the rule in the source when known.
	File string `json:"file,omitempty"`
	Line int    `json:"line,omitempty"`
	// Synthetic says why vpcsim created the rule when the input did not
	// declare it (a default ACL rule, a local route).
	Synthetic string `json:"synthetic,omitempty"`
}

// NewReport rates and orders the findings of an analysis. topo is the
// network's topology (for the HTML diagram; nil leaves the diagram out) and
// input names the network analysed (a file or folder; may be empty).
func NewReport(a *reach.Analysis, topo *reach.Topology, input string) *Report {
	if a == nil {
		a = &reach.Analysis{}
	}
	r := &Report{Source: a.Source, Input: input, Notes: []Note{}, Findings: []Finding{}, topo: topo}
	for _, n := range a.Notes {
		r.Notes = mergeNotes(r.Notes, []Note{noteOf(n)})
	}
	all := a.AllFindings()
	for i, x := range a.Exposures {
		nodes := x.PathNodes()
		for _, f := range all[i] {
			r.Findings = append(r.Findings, newFinding(&f, a.Source, nodes))
		}
	}
	slices.SortStableFunc(r.Findings, compareFindings)
	r.summarize()
	return r
}

func (r *Report) summarize() {
	r.Summary = Summary{Total: len(r.Findings)}
	targets := map[string]bool{}
	for _, f := range r.Findings {
		r.Summary.add(f.Severity)
		targets[f.Target] = true
		if f.Partial {
			r.Summary.Partial++
		}
	}
	r.Summary.Targets = len(targets)
}

// Worst returns the severity of the most serious finding, 0 when there is
// none.
func (r *Report) Worst() Severity {
	var w Severity
	for _, f := range r.Findings {
		w = max(w, f.Severity)
	}
	return w
}

// AtLeast returns a copy of the report with only the findings of severity
// min or above.
func (r *Report) AtLeast(min Severity) *Report {
	out := *r
	out.Findings = slices.DeleteFunc(slices.Clone(r.Findings), func(f Finding) bool { return f.Severity < min })
	out.summarize()
	return &out
}

func newFinding(f *reach.Finding, source string, nodes []string) Finding {
	rt := Rate(f.Protocols, f.Ports, f.Sources, source)
	if len(f.Via) > 0 {
		// What is exposed is the listener: rate what clients connect to.
		l := f.Via[0]
		rt = Rate(f.Protocols, model.Port(l.Port), f.Sources, source)
		rt.Reason += "; reachable via " + l.String()
		if f.OnlyViaLoadBalancer {
			rt.Reason += ", not directly"
		}
	}
	if len(f.Listeners) > 0 {
		rt.Reason += "; " + listenersText(f.Listeners)
	}
	out := Finding{
		Target: f.Target.Label(), TargetKind: f.Target.Kind, TargetID: f.Target.ID,
		Interface: f.Interface.Label(), Subnet: f.Subnet.Label(), VPC: f.VPC.Label(),
		Protocol: f.Protocols.String(), FromPort: int(f.Ports.First), ToPort: int(f.Ports.Last), Service: rt.Service,
		Sources: prefixStrings(f.Sources), SourcesSummary: f.SourcesSummary, Destinations: blockStrings(f.Destinations),
		Severity: rt.Severity, SeverityReason: rt.Reason, Kind: rt.Kind,
		Partial: f.Partial, ReturnPorts: f.ReturnPorts.String(), Placeholder: f.Placeholder,
		Path: []Step{}, protocols: f.Protocols, ports: f.Ports, sources: f.Sources,
		targetPos: f.Target.Pos, pathNodes: nodes, ifaceNode: reach.NodeID(f.Interface),
	}
	if f.Subnet.Kind == "" {
		out.Subnet = ""
	}
	if f.VPC.Kind == "" {
		out.VPC = ""
	}
	for _, n := range f.Notes {
		out.Notes = mergeNotes(out.Notes, []Note{noteOf(n)})
	}
	for _, s := range f.Path {
		st := Step{Direction: s.Direction, Kind: s.Kind, Component: s.Component.Label(), ComponentKind: s.Component.Kind,
			Decision: s.Decision, Detail: s.Detail}
		for _, rr := range s.Rules {
			st.Rules = append(st.Rules, ruleOf(rr))
		}
		out.Path = append(out.Path, st)
	}
	if len(f.OpenedBy) > 0 {
		r := ruleOf(f.OpenedBy[0])
		out.OpenedBy = &r
	}
	out.OnlyViaLoadBalancer = f.OnlyViaLoadBalancer
	key := f.Key
	for _, l := range f.Via {
		out.Via = append(out.Via, viaOf(l))
		// A path through a load balancer is a finding of its own.
		key += "\x00via\x00" + l.LoadBalancer.Label() + "\x00" + strconv.Itoa(int(l.Port))
	}
	for _, l := range f.Listeners {
		out.Listeners = append(out.Listeners, viaOf(l))
	}
	out.Fingerprint = Fingerprint(source, key, out.Protocol, out.FromPort, out.ToPort)
	return out
}

// listenersText says where a load balancer's listeners send what they
// take: "listener HTTPS 443 forwards to aws_lb_target_group.web port 8080".
func listenersText(ls []reach.LoadBalancing) string {
	var parts []string
	byListener := map[string][]string{}
	var order []string
	for _, l := range ls {
		k := fmt.Sprintf("listener %s %d", l.Protocol, l.Port)
		if _, ok := byListener[k]; !ok {
			order = append(order, k)
			byListener[k] = nil
		}
		if l.TargetGroup.Kind != "" {
			byListener[k] = append(byListener[k], fmt.Sprintf("%s port %d", l.TargetGroup.Short(), l.TargetPort))
		}
	}
	for _, k := range order {
		if ts := byListener[k]; len(ts) > 0 {
			parts = append(parts, k+" forwards to "+strings.Join(slices.Compact(ts), ", "))
		} else {
			parts = append(parts, k+" answers itself (a redirect or a fixed response)")
		}
	}
	return strings.Join(parts, "; ")
}

// Fingerprint identifies a finding by what it is: where the traffic comes
// from (the analysis source: internet, on-premises, what --from named, or
// "estate" for flows between the network's own interfaces), the stable key
// of the interface reached (model.Keys: its Terraform address, or its
// owner's), the protocol and the port range (a path through a load balancer
// adds the load balancer and the listener's port to the key). It leaves out everything AWS
// assigns at apply (IDs, addresses), the sources and the rules, so that the
// same exposure has the same fingerprint in a folder of configuration, its
// plan and its state, and keeps it when a rule is narrowed. 16 hex digits.
func Fingerprint(source, key, protocol string, fromPort, toPort int) string {
	h := sha256.Sum256([]byte(strings.Join([]string{"vpcsim/2", source, key, protocol,
		strconv.Itoa(fromPort), strconv.Itoa(toPort)}, "\x00")))
	return hex.EncodeToString(h[:8])
}

func prefixStrings(ps []netip.Prefix) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

func blockStrings(bs []reach.AddrRange) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.String()
	}
	return out
}

func ruleOf(r reach.RuleRef) Rule {
	return Rule{Kind: r.Kind, Text: r.Text, Owner: r.Owner.Label(), Where: r.Where(), File: r.Pos.File, Line: r.Pos.Line,
		Synthetic: r.Synthetic}
}

func noteOf(x reach.Explanation) Note {
	n := Note{Code: string(x.Code), Severity: string(x.Severity), Message: x.Message}
	if x.Component.Kind != "" {
		n.Component = x.Component.Label()
	}
	return n
}

// compareFindings orders findings by severity (most serious first), target,
// protocol (all, tcp, udp, icmp, icmpv6, then by number) and port.
func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(b.Severity, a.Severity),
		cmp.Compare(a.Target, b.Target),
		cmp.Compare(protocolRank(a.protocols), protocolRank(b.protocols)),
		cmp.Compare(a.FromPort, b.FromPort),
		cmp.Compare(a.ToPort, b.ToPort),
		cmp.Compare(a.Interface, b.Interface),
	)
}

func protocolRank(r reach.Protocols) int {
	if p, ok := r.Single(); ok {
		switch p {
		case model.ProtocolAll:
			return 0
		case model.ProtocolTCP:
			return 1
		case model.ProtocolUDP:
			return 2
		case model.ProtocolICMP:
			return 3
		case model.ProtocolICMPv6:
			return 4
		}
	}
	lo, _ := r.Numbers()
	return 5 + int(lo)
}

// Formats of WriteReport, the first the default.
var Formats = []string{"text", "json", "markdown", "html", "sarif"}

// WriteReport writes r in format: text, json, markdown, html or sarif.
func WriteReport(w io.Writer, r *Report, format string) error {
	if r == nil {
		return fmt.Errorf("no report to write")
	}
	switch format {
	case "text", "":
		return writeReportText(w, r)
	case "json":
		return writeReportJSON(w, r)
	case "markdown", "md":
		return writeReportMarkdown(w, r, maxComment)
	case "html":
		return writeReportHTML(w, r)
	case "sarif":
		return writeSARIF(w, r)
	}
	return fmt.Errorf("invalid report format %q: want %s", format, strings.Join(Formats, ", "))
}

// ServiceText is the finding's protocol and ports as people write them:
// "tcp 22", "udp 1000-2000", "icmp type 8", "all traffic", "protocol 47".
func (f *Finding) ServiceText() string {
	p, single := f.protocols.Single()
	switch {
	case single && p == model.ProtocolAll:
		return "all traffic"
	case single && p.HasPorts() && f.ports.IsAll():
		return p.String() + " all ports"
	case single && p.HasPorts():
		return p.String() + " " + f.ports.String()
	case single && p.IsICMP() && f.ports.IsAll():
		return p.String() + " any type"
	case single && p.IsICMP():
		return p.String() + " type " + f.ports.String()
	case !single:
		return "protocols " + f.protocols.String()
	}
	return "protocol " + f.protocols.String()
}

// keySteps are the decisions worth a line in a compact rendering: the
// filters with their rules, and routes written in the input. Translations,
// the internet's own routing and stateful returns are in the full path.
func keySteps(path []Step) []Step {
	var out []Step
	// The same rules deciding at several interfaces (a load balancer's
	// nodes) read once.
	seen := map[string]bool{}
	for _, s := range path {
		k := s.Direction.String() + "|" + s.Kind.String()
		for _, r := range s.Rules {
			k += "|" + r.Owner + "|" + r.Text + "|" + r.Where
		}
		if seen[k] {
			continue
		}
		switch {
		case len(s.Rules) == 0:
		case s.Kind == reach.StepSecurityGroup || s.Kind == reach.StepNetworkACL:
			out = append(out, s)
			seen[k] = true
		case s.Kind == reach.StepRoute && slices.ContainsFunc(s.Rules, func(r Rule) bool { return r.File != "" }):
			out = append(out, s)
			seen[k] = true
		}
	}
	return out
}

// SourceText is the source as a sentence says it: "the internet",
// "on-premises networks", or what --from named.
func (r *Report) SourceText() string {
	switch r.Source {
	case "internet":
		return "the internet"
	case "on-premises":
		return "on-premises networks"
	}
	return r.Source
}

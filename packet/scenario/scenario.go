// Package scenario reads and writes vpcsim's traffic scenarios: which
// clients talk to which targets, on which ports, how often and for how long,
// over simulated time, and which probes (port scans) the network should
// refuse. The language is HCL (docs/scenario.md); Default derives a
// scenario from a network's own rules. Package sim runs scenarios.
package scenario

import (
	"bytes"
	"fmt"
	"math"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"time"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
)

// Scenario is traffic over simulated time.
type Scenario struct {
	// Start is when the simulated time begins; Duration how long it runs.
	Start    time.Time
	Duration time.Duration
	// Seed, when set, seeds the run (--seed overrides it).
	Seed    uint64
	HasSeed bool
	Traffic []Traffic
	Scans   []Scan
}

// Defaults of a scenario that does not say.
var (
	DefaultStart    = time.Date(2024, 6, 3, 9, 0, 0, 0, time.UTC)
	DefaultDuration = 10 * time.Minute
)

// Traffic is sessions of one service: clients opening connections to
// targets at a rate.
type Traffic struct {
	Name string
	// From are the clients: "internet" (hosts on the internet), CIDR blocks
	// or addresses (hosts there: on the internet, on-premises, or the
	// interfaces owning them), or names of the network's instances and
	// interfaces (Terraform address or ID).
	From []string
	// To are the targets, named like From ("internet": hosts on the
	// internet).
	To       []string
	Protocol model.Protocol
	// Port is the server's port (TCP, UDP).
	Port uint16
	// Rate is new sessions per second, on average (Poisson arrivals).
	Rate float64
	// Clients is how many distinct client addresses From's blocks and the
	// internet contribute.
	Clients int
	// Request and Response are the bytes each side sends per session
	// (TCP, UDP; the echo data for ICMP); Count is the requests per session
	// (UDP datagrams, echo requests).
	Request, Response, Count int
	Teardown                 packet.Teardown
	// Start and End bound the sessions' starts within the run (End zero:
	// the run's end).
	Start, End time.Duration
	// Pos is where the block is declared; FromPos and ToPos its attributes.
	Pos, FromPos, ToPos model.Pos
}

// Scan is a probe of many ports: one packet per port and target, at a rate.
type Scan struct {
	Name string
	// From is the scanning host (an address, "internet" for one host there,
	// or a name of the network).
	From     string
	To       []string
	Protocol model.Protocol
	Ports    []model.PortRange
	// Rate is probes per second.
	Rate                float64
	Start               time.Duration
	Pos, FromPos, ToPos model.Pos
}

// Probes is the number of packets a scan sends: one per port and target.
func (s *Scan) Probes() int {
	n := 0
	for _, r := range s.Ports {
		n += r.Size()
	}
	return n * len(s.To)
}

// hugeExponent finds a number with an exponent of four digits or more.
var hugeExponent = regexp.MustCompile(`[0-9.][eE][+-]?[0-9]{4,}`)

var rootSchema = &hhcl.BodySchema{
	Attributes: []hhcl.AttributeSchema{{Name: "start"}, {Name: "duration"}, {Name: "seed"}},
	Blocks:     []hhcl.BlockHeaderSchema{{Type: "traffic", LabelNames: []string{"name"}}, {Type: "scan", LabelNames: []string{"name"}}},
}

var trafficSchema = &hhcl.BodySchema{Attributes: []hhcl.AttributeSchema{
	{Name: "from", Required: true}, {Name: "to", Required: true}, {Name: "protocol"}, {Name: "port"}, {Name: "rate"},
	{Name: "clients"}, {Name: "request"}, {Name: "response"}, {Name: "count"}, {Name: "teardown"}, {Name: "start"}, {Name: "end"},
}}

var scanSchema = &hhcl.BodySchema{Attributes: []hhcl.AttributeSchema{
	{Name: "from", Required: true}, {Name: "to", Required: true}, {Name: "protocol"}, {Name: "ports", Required: true}, {Name: "rate"}, {Name: "start"},
}}

// Limits keep a scenario to what a simulation can run.
const (
	MaxDuration = 30 * 24 * time.Hour
	MaxRate     = 1e6
	MaxClients  = 1 << 20
	MaxBytes    = 1 << 30
	MaxCount    = 1 << 16
)

// Parse reads a scenario; filename names it in positions. Every problem is
// reported, each with its position.
func Parse(filename string, src []byte) (*Scenario, model.Diagnostics) {
	// HCL reads numbers exactly: 1e999999999 would take minutes. No value
	// of a scenario needs an exponent of more than three digits.
	if loc := hugeExponent.FindIndex(src); loc != nil {
		line := 1 + bytes.Count(src[:loc[0]], []byte("\n"))
		col := loc[0] - bytes.LastIndexByte(src[:loc[0]], '\n')
		return nil, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Pos{File: filename, Line: line, Col: col},
			Message: fmt.Sprintf("number %s is too large", src[loc[0]:min(loc[1], loc[0]+24)])}}
	}
	f, diags := hclparse.NewParser().ParseHCL(src, filename)
	if diags.HasErrors() {
		return nil, convert(diags)
	}
	p := &parser{sc: &Scenario{Start: DefaultStart, Duration: DefaultDuration}}
	content, diags := f.Body.Content(rootSchema)
	p.add(diags)
	attrs := content.Attributes
	if a := attrs["start"]; a != nil {
		if s, ok := p.str(a); ok {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				p.errorf(a.Expr.Range(), "start: %q is not an RFC 3339 time such as 2024-06-03T09:00:00Z", s)
			} else {
				p.sc.Start = t.UTC()
			}
		}
	}
	if a := attrs["duration"]; a != nil {
		if d, ok := p.duration(a); ok {
			if d <= 0 || d > MaxDuration {
				p.errorf(a.Expr.Range(), "duration: %v is not between 1s and %v", d, MaxDuration)
			}
			p.sc.Duration = d
		}
	}
	if a := attrs["seed"]; a != nil {
		if n, ok := p.int(a, 0, math.MaxInt64); ok {
			p.sc.Seed, p.sc.HasSeed = uint64(n), true
		}
	}
	names := map[string]hhcl.Range{}
	for _, b := range content.Blocks {
		key := b.Type + " " + b.Labels[0]
		if prev, dup := names[key]; dup {
			p.errorf(b.LabelRanges[0], "%s %q is declared twice (first at %s)", b.Type, b.Labels[0], pos(prev))
			continue
		}
		names[key] = b.DefRange
		switch b.Type {
		case "traffic":
			p.traffic(b)
		case "scan":
			p.scan(b)
		}
	}
	if len(p.diags) > 0 {
		return nil, p.diags
	}
	return p.sc, nil
}

type parser struct {
	sc    *Scenario
	diags model.Diagnostics
}

func pos(r hhcl.Range) model.Pos {
	return model.Pos{File: r.Filename, Line: r.Start.Line, Col: r.Start.Column}
}

func convert(ds hhcl.Diagnostics) model.Diagnostics {
	var out model.Diagnostics
	for _, d := range ds {
		if d.Severity != hhcl.DiagError {
			continue
		}
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + lowerFirst(strings.TrimSuffix(d.Detail, "."))
		}
		var p model.Pos
		if d.Subject != nil {
			p = pos(*d.Subject)
		}
		out = append(out, model.Diagnostic{Severity: model.SeverityError, Pos: p, Message: lowerFirst(msg)})
	}
	return out
}

// lowerFirst lowers a message's first letter, as vpcsim's messages are.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

func (p *parser) add(ds hhcl.Diagnostics) { p.diags = append(p.diags, convert(ds)...) }

func (p *parser) errorf(r hhcl.Range, format string, args ...any) {
	p.diags = append(p.diags, model.Diagnostic{Severity: model.SeverityError, Pos: pos(r), Message: fmt.Sprintf(format, args...)})
}

// value evaluates an attribute: literals only (a scenario has no variables).
func (p *parser) value(a *hhcl.Attribute) (cty.Value, bool) {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		p.add(diags)
		return cty.NilVal, false
	}
	if !v.IsKnown() || v.IsNull() {
		p.errorf(a.Expr.Range(), "%s: a value is required", a.Name)
		return cty.NilVal, false
	}
	return v, true
}

func (p *parser) str(a *hhcl.Attribute) (string, bool) {
	v, ok := p.value(a)
	if !ok {
		return "", false
	}
	if s, ok := scalar(v); ok {
		return s, true
	}
	p.errorf(a.Expr.Range(), "%s: want a string, not %s", a.Name, v.Type().FriendlyName())
	return "", false
}

// scalar reads a known string or number as text.
func scalar(v cty.Value) (string, bool) {
	if v.IsNull() || !v.IsKnown() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	}
	return "", false
}

// strs reads a string or a list of strings.
func (p *parser) strs(a *hhcl.Attribute) ([]string, bool) {
	v, ok := p.value(a)
	if !ok {
		return nil, false
	}
	if s, ok := scalar(v); ok {
		return []string{s}, true
	}
	if !v.Type().IsTupleType() && !v.Type().IsListType() || v.LengthInt() == 0 {
		p.errorf(a.Expr.Range(), "%s: want a string or a non-empty list of strings", a.Name)
		return nil, false
	}
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, ok := scalar(e)
		if !ok {
			p.errorf(a.Expr.Range(), "%s: want a list of strings", a.Name)
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

func (p *parser) int(a *hhcl.Attribute, lo, hi int64) (int64, bool) {
	v, ok := p.value(a)
	if !ok {
		return 0, false
	}
	if v.Type() != cty.Number {
		p.errorf(a.Expr.Range(), "%s: want a whole number, not %s", a.Name, v.Type().FriendlyName())
		return 0, false
	}
	bf := v.AsBigFloat()
	n, acc := bf.Int64()
	if !bf.IsInt() || acc != 0 || n < lo || n > hi {
		p.errorf(a.Expr.Range(), "%s: want a whole number from %d to %d, not %s", a.Name, lo, hi, bf.Text('g', 10))
		return 0, false
	}
	return n, true
}

func (p *parser) duration(a *hhcl.Attribute) (time.Duration, bool) {
	s, ok := p.str(a)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		p.errorf(a.Expr.Range(), "%s: %q is not a duration such as 90s, 15m or 2h", a.Name, s)
		return 0, false
	}
	return d, true
}

// rate reads "N/s", "N/m", "N/h" or a number (per second).
func (p *parser) rate(a *hhcl.Attribute) (float64, bool) {
	s, ok := p.str(a)
	if !ok {
		return 0, false
	}
	r, err := ParseRate(s)
	if err != nil {
		p.errorf(a.Expr.Range(), "%s: %v", a.Name, err)
		return 0, false
	}
	return r, true
}

// ParseRate reads a rate: "N/s", "N/m", "N/h" or a bare number per second.
func ParseRate(s string) (float64, error) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), "/")
	per := 1.0
	switch strings.TrimSpace(unit) {
	case "", "s":
	case "m":
		per = 60
	case "h":
		per = 3600
	default:
		return 0, fmt.Errorf("%q is not a rate such as 5/s, 30/m or 100/h", s)
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(num), 64)
	if err != nil || n <= 0 || math.IsInf(n, 0) || n/per > MaxRate {
		return 0, fmt.Errorf("%q is not a rate such as 5/s, 30/m or 100/h (more than 0, at most %g a second)", s, float64(MaxRate))
	}
	return n / per, nil
}

// FormatRate prints a rate the way ParseRate reads it.
func FormatRate(r float64) string {
	for _, u := range []struct {
		per  float64
		name string
	}{{1, "s"}, {60, "m"}, {3600, "h"}} {
		if n := r * u.per; n >= 1 && math.Abs(n-math.Round(n)) < 1e-9 {
			return strconv.FormatFloat(math.Round(n), 'f', -1, 64) + "/" + u.name
		}
	}
	return strconv.FormatFloat(r, 'f', -1, 64) + "/s"
}

func (p *parser) protocol(a *hhcl.Attribute, allowed ...model.Protocol) (model.Protocol, bool) {
	s, ok := p.str(a)
	if !ok {
		return 0, false
	}
	pr, err := model.ParseProtocol(s)
	if err == nil {
		for _, x := range allowed {
			if pr == x {
				return pr, true
			}
		}
	}
	var names []string
	for _, x := range allowed {
		names = append(names, x.String())
	}
	p.errorf(a.Expr.Range(), "protocol: %q is not one of %s", s, strings.Join(names, ", "))
	return 0, false
}

// names checks the entries of from and to: "internet", CIDR blocks,
// addresses, or names (resolved against the network when the scenario runs).
func (p *parser) names(a *hhcl.Attribute) ([]string, bool) {
	ns, ok := p.strs(a)
	if !ok {
		return nil, false
	}
	for _, n := range ns {
		if strings.TrimSpace(n) == "" {
			p.errorf(a.Expr.Range(), "%s: an empty name", a.Name)
			return nil, false
		}
		// An address before a "/" makes a CIDR block; anything else is a
		// name (a load balancer's node: aws_lb.web/subnet-…).
		if addr, _, ok := strings.Cut(n, "/"); ok && validAddr(addr) {
			if _, err := netip.ParsePrefix(n); err != nil {
				p.errorf(a.Expr.Range(), "%s: %q is not a CIDR block", a.Name, n)
				return nil, false
			}
		}
	}
	return ns, true
}

func (p *parser) traffic(b *hhcl.Block) {
	content, diags := b.Body.Content(trafficSchema)
	p.add(diags)
	if content == nil {
		return
	}
	t := Traffic{Name: b.Labels[0], Protocol: model.ProtocolTCP, Rate: 1, Clients: 10, Count: 1, Pos: pos(b.DefRange)}
	at := content.Attributes
	if a := at["from"]; a != nil {
		t.From, _ = p.names(a)
		t.FromPos = pos(a.Expr.Range())
	}
	if a := at["to"]; a != nil {
		t.To, _ = p.names(a)
		t.ToPos = pos(a.Expr.Range())
	}
	if a := at["protocol"]; a != nil {
		if pr, ok := p.protocol(a, model.ProtocolTCP, model.ProtocolUDP, model.ProtocolICMP, model.ProtocolICMPv6); ok {
			t.Protocol = pr
		}
	}
	if a := at["port"]; a != nil {
		if !t.Protocol.HasPorts() {
			p.errorf(a.NameRange, "port: %s has no ports", t.Protocol)
		} else if n, ok := p.int(a, 1, 65535); ok {
			t.Port = uint16(n)
		}
	} else if t.Protocol.HasPorts() {
		p.errorf(b.DefRange, "traffic %q: port is required for %s", t.Name, t.Protocol)
	}
	if a := at["rate"]; a != nil {
		t.Rate, _ = p.rate(a)
	}
	ints := []struct {
		name   string
		dst    *int
		lo, hi int64
	}{{"clients", &t.Clients, 1, MaxClients}, {"request", &t.Request, 0, MaxBytes}, {"response", &t.Response, 0, MaxBytes}, {"count", &t.Count, 1, MaxCount}}
	for _, x := range ints {
		if a := at[x.name]; a != nil {
			if n, ok := p.int(a, x.lo, x.hi); ok {
				*x.dst = int(n)
			}
		}
	}
	if a := at["teardown"]; a != nil {
		switch s, _ := p.str(a); s {
		case "fin":
			t.Teardown = packet.CloseFIN
		case "rst":
			t.Teardown = packet.CloseRST
		default:
			p.errorf(a.Expr.Range(), "teardown: %q is not fin or rst", s)
		}
		if t.Protocol != model.ProtocolTCP {
			p.errorf(a.NameRange, "teardown: only TCP connections are torn down")
		}
	}
	p.window(at, &t.Start, &t.End)
	p.sc.Traffic = append(p.sc.Traffic, t)
}

// window reads start and end, offsets within the run.
func (p *parser) window(at hhcl.Attributes, start, end *time.Duration) {
	if a := at["start"]; a != nil {
		if d, ok := p.duration(a); ok {
			if d < 0 || d >= p.sc.Duration {
				p.errorf(a.Expr.Range(), "start: %v is not within the run's duration (%v)", d, p.sc.Duration)
			}
			*start = d
		}
	}
	if end == nil {
		return
	}
	if a := at["end"]; a != nil {
		if d, ok := p.duration(a); ok {
			if d <= *start || d > p.sc.Duration {
				p.errorf(a.Expr.Range(), "end: %v is not after start (%v) and within the run's duration (%v)", d, *start, p.sc.Duration)
			}
			*end = d
		}
	}
}

func (p *parser) scan(b *hhcl.Block) {
	content, diags := b.Body.Content(scanSchema)
	p.add(diags)
	if content == nil {
		return
	}
	s := Scan{Name: b.Labels[0], Protocol: model.ProtocolTCP, Rate: 100, Pos: pos(b.DefRange)}
	at := content.Attributes
	if a := at["from"]; a != nil {
		if ns, ok := p.names(a); ok {
			if len(ns) != 1 {
				p.errorf(a.Expr.Range(), "from: a scan comes from one host")
			}
			s.From = ns[0]
		}
		s.FromPos = pos(a.Expr.Range())
	}
	if a := at["to"]; a != nil {
		s.To, _ = p.names(a)
		s.ToPos = pos(a.Expr.Range())
	}
	if a := at["protocol"]; a != nil {
		if pr, ok := p.protocol(a, model.ProtocolTCP, model.ProtocolUDP); ok {
			s.Protocol = pr
		}
	}
	if a := at["ports"]; a != nil {
		if ps, ok := p.strs(a); ok {
			for _, x := range ps {
				r, err := model.ParsePortRange(x)
				if err != nil || r.First == 0 && r.Last == 0 {
					p.errorf(a.Expr.Range(), "ports: %q is not a port or a range such as 1-1024", x)
					continue
				}
				s.Ports = append(s.Ports, r)
			}
		}
	}
	if a := at["rate"]; a != nil {
		s.Rate, _ = p.rate(a)
	}
	p.window(at, &s.Start, nil)
	p.sc.Scans = append(p.sc.Scans, s)
}

func validAddr(s string) bool {
	_, err := netip.ParseAddr(s)
	return err == nil
}

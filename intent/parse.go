package intent

import (
	"fmt"
	"os"
	"slices"
	"strings"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// File is a parsed intent file.
type File struct {
	// Name is the file's name as given; positions use it.
	Name string
	// Expectations are the file's blocks, in the order written.
	Expectations []*Expectation
}

// Expectation is one block of an intent file: deny, allow or only.
type Expectation struct {
	Kind reach.ExpectKind
	// Name is the block's label, unique in its file.
	Name string
	// Description says in words what is required; empty when the file
	// gives none.
	Description string
	// Severity is how serious a violation is: one of Severities; "high"
	// when the file gives none.
	Severity string
	// Pos is where the block starts.
	Pos model.Pos
	// From and To select the ends. For only, From are the sources allowed:
	// every source is examined.
	From, To Selection
	// Services are, for deny and allow, the traffic concerned, and for
	// only, the services allowed; nil means every protocol and port.
	Services []reach.Service
	// Traffic is, for only, the traffic the expectation is about; nil
	// means all of it.
	Traffic []reach.Service
}

// Severities are the severities an expectation may have, most serious
// first: the names of the report's severity policy.
var Severities = []string{"critical", "high", "medium", "low", "info"}

// DefaultSeverity is an expectation's severity when its file gives none.
const DefaultSeverity = "high"

var kinds = map[string]reach.ExpectKind{"deny": reach.ExpectDeny, "allow": reach.ExpectAllow, "only": reach.ExpectOnly}

var fileSchema = &hhcl.BodySchema{Blocks: []hhcl.BlockHeaderSchema{
	{Type: "deny", LabelNames: []string{"name"}},
	{Type: "allow", LabelNames: []string{"name"}},
	{Type: "only", LabelNames: []string{"name"}},
}}

var blockSchema = &hhcl.BodySchema{Attributes: []hhcl.AttributeSchema{
	{Name: "description"},
	{Name: "severity"},
	{Name: "from", Required: true},
	{Name: "to", Required: true},
	{Name: "services"},
	{Name: "traffic"},
}}

// ParseFile reads and parses the intent file at path.
func ParseFile(path string) (*File, model.Diagnostics) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, model.Diagnostics{{Severity: model.SeverityError, Pos: model.Pos{File: path},
			Message: fmt.Sprintf("cannot read the intent file: %v", unwrap(err))}}
	}
	return Parse(path, src)
}

func unwrap(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// Parse parses an intent file; name is used in positions. It reports every
// problem it finds, each with its position, and returns a file only when
// there is no error.
func Parse(name string, src []byte) (*File, model.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, name, hhcl.InitialPos)
	ds := fromHCL(diags)
	if diags.HasErrors() {
		return nil, ds
	}
	content, diags := f.Body.Content(fileSchema)
	ds = append(ds, fromHCL(diags)...)
	out := &File{Name: name}
	seen := map[string]model.Pos{}
	for _, b := range content.Blocks {
		x, bds := parseBlock(b, src)
		ds = append(ds, bds...)
		if x == nil {
			continue
		}
		if p, dup := seen[x.Name]; dup {
			ds = append(ds, model.Diagnostic{Severity: model.SeverityError, Pos: x.Pos,
				Message: fmt.Sprintf("expectation %q is declared twice (first at %s): names must be unique in a file", x.Name, p)})
			continue
		}
		seen[x.Name] = x.Pos
		out.Expectations = append(out.Expectations, x)
	}
	if len(content.Blocks) == 0 && !ds.HasErrors() {
		ds = append(ds, model.Diagnostic{Severity: model.SeverityError, Pos: model.Pos{File: name, Line: 1, Col: 1},
			Message: `the file declares no expectation: write deny "name" { … }, allow "name" { … } or only "name" { … } blocks`})
	}
	if ds.HasErrors() {
		return nil, ds
	}
	return out, ds
}

func parseBlock(b *hhcl.Block, src []byte) (*Expectation, model.Diagnostics) {
	x := &Expectation{Kind: kinds[b.Type], Name: b.Labels[0], Severity: DefaultSeverity, Pos: posOf(b.DefRange)}
	var ds model.Diagnostics
	errAt := func(r hhcl.Range, format string, args ...any) {
		ds = append(ds, model.Diagnostic{Severity: model.SeverityError, Pos: posOf(r), Element: b.Type + " " + quote(x.Name), Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(x.Name) == "" {
		errAt(b.LabelRanges[0], "an expectation needs a name")
	}
	content, diags := b.Body.Content(blockSchema)
	for _, d := range fromHCL(diags) {
		d.Element = b.Type + " " + quote(x.Name)
		ds = append(ds, d)
	}
	if a := content.Attributes["description"]; a != nil {
		x.Description, _ = stringAttr(a, errAt)
	}
	if a := content.Attributes["severity"]; a != nil {
		if s, ok := stringAttr(a, errAt); ok {
			s = strings.ToLower(strings.TrimSpace(s))
			if !slices.Contains(Severities, s) {
				errAt(a.Expr.Range(), "severity %q is not one of %s", s, strings.Join(Severities, ", "))
			} else {
				x.Severity = s
			}
		}
	}
	if a := content.Attributes["from"]; a != nil {
		x.From = parseSelection(a, src, errAt)
	}
	if a := content.Attributes["to"]; a != nil {
		x.To = parseSelection(a, src, errAt)
	}
	if a := content.Attributes["services"]; a != nil {
		x.Services = parseServices(a, errAt)
	}
	if a := content.Attributes["traffic"]; a != nil {
		if x.Kind != reach.ExpectOnly {
			errAt(a.NameRange, "traffic applies to only blocks (the traffic an only expectation is about); in a %s block, services says which traffic is concerned", b.Type)
		} else {
			x.Traffic = parseServices(a, errAt)
		}
	}
	if len(ds.Errors()) > 0 {
		return nil, ds
	}
	return x, ds
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// stringAttr evaluates an attribute that must be a string, without
// variables or functions.
func stringAttr(a *hhcl.Attribute, errAt func(hhcl.Range, string, ...any)) (string, bool) {
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() {
		errAt(a.Expr.Range(), "%s must be a string written in quotes: %s", a.Name, summary(diags))
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || s.IsNull() || !s.IsKnown() {
		errAt(a.Expr.Range(), "%s must be a string, not %s", a.Name, v.Type().FriendlyName())
		return "", false
	}
	return s.AsString(), true
}

func summary(diags hhcl.Diagnostics) string {
	var ss []string
	for _, d := range diags {
		ss = append(ss, hclMessage(d))
	}
	return strings.Join(ss, "; ")
}

// hclMessage words an HCL diagnostic as vpcsim's messages are: in lower
// case, without a final period.
func hclMessage(d *hhcl.Diagnostic) string {
	s := lowerFirst(d.Summary)
	if d.Detail != "" {
		s += ": " + lowerFirst(strings.TrimSuffix(d.Detail, "."))
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// parseServices reads a list of services (or one): "tcp/443", "udp/53",
// "tcp/1024-65535", "icmp", "icmp/8", "all", "47".
func parseServices(a *hhcl.Attribute, errAt func(hhcl.Range, string, ...any)) []reach.Service {
	items := listItems(a.Expr)
	out := []reach.Service{}
	for _, it := range items {
		v, diags := it.Value(nil)
		if diags.HasErrors() {
			errAt(it.Range(), "%s: each service is a string such as \"tcp/443\": %s", a.Name, summary(diags))
			continue
		}
		s, err := convert.Convert(v, cty.String)
		if err != nil || s.IsNull() || !s.IsKnown() {
			errAt(it.Range(), "%s: each service is a string such as \"tcp/443\", \"udp/53\" or \"icmp\", not %s", a.Name, v.Type().FriendlyName())
			continue
		}
		svc, perr := ParseService(s.AsString())
		if perr != nil {
			errAt(it.Range(), "%s: %v", a.Name, perr)
			continue
		}
		out = append(out, svc)
	}
	if len(items) == 0 {
		errAt(a.Expr.Range(), "%s is empty: list at least one service, or leave the attribute out for all traffic", a.Name)
	}
	return out
}

// listItems are the items of a list written in place ([a, b]), each with
// its own position, or the expression itself.
func listItems(x hhcl.Expression) []hhcl.Expression {
	t, ok := x.(*hclsyntax.TupleConsExpr)
	if !ok {
		return []hhcl.Expression{x}
	}
	items := make([]hhcl.Expression, len(t.Exprs))
	for i, it := range t.Exprs {
		items[i] = it
	}
	return items
}

// ParseService reads a service: a protocol (tcp, udp, icmp, icmpv6, all, or
// an IANA number), optionally "/" and a destination port or range (an ICMP
// type or range for ICMP).
func ParseService(s string) (reach.Service, error) {
	s = strings.TrimSpace(s)
	proto, ports, hasPorts := strings.Cut(s, "/")
	p, err := model.ParseProtocol(strings.TrimSpace(proto))
	if err != nil || !p.Valid() {
		return reach.Service{}, fmt.Errorf("service %q: unknown protocol %q (want tcp, udp, icmp, icmpv6, all or a protocol number, as in \"tcp/443\")", s, proto)
	}
	svc := reach.Service{Protocols: reach.ProtocolsOf(p), Ports: model.AllPorts}
	if !hasPorts {
		return svc, nil
	}
	if !p.HasPorts() && !p.IsICMP() {
		return reach.Service{}, fmt.Errorf("service %q: protocol %s has no ports", s, p)
	}
	r, err := model.ParsePortRange(strings.TrimSpace(ports))
	if err != nil {
		return reach.Service{}, fmt.Errorf("service %q: %v", s, err)
	}
	if p.IsICMP() && r.Last > 255 {
		return reach.Service{}, fmt.Errorf("service %q: an ICMP type is 0-255", s)
	}
	svc.Ports = r
	return svc, nil
}

// posOf converts an HCL range's start to a position.
func posOf(r hhcl.Range) model.Pos {
	return model.Pos{File: r.Filename, Line: r.Start.Line, Col: r.Start.Column}
}

// fromHCL converts HCL's diagnostics to vpcsim's.
func fromHCL(diags hhcl.Diagnostics) model.Diagnostics {
	var out model.Diagnostics
	for _, d := range diags {
		sev := model.SeverityError
		if d.Severity == hhcl.DiagWarning {
			sev = model.SeverityWarning
		}
		msg := hclMessage(d)
		var p model.Pos
		if d.Subject != nil {
			p = posOf(*d.Subject)
		}
		out = append(out, model.Diagnostic{Severity: sev, Pos: p, Message: msg})
	}
	return out
}

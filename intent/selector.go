package intent

import (
	"fmt"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/agext/levenshtein"
	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// selectorKind is what a selector selects by.
type selectorKind uint8

const (
	selInternet selectorKind = iota + 1
	selOnPremises
	selAll
	selAnywhere
	selResource
	selType
	selTag
	selSubnet
	selSecurityGroup
	selVPC
	selCIDR
)

// Selector is one term of a selection: a keyword (internet, on_premises,
// all, anywhere) or a function call (resource, type, tag, subnet,
// security_group, vpc, cidr), as written.
type Selector struct {
	kind   selectorKind
	args   []string
	prefix netip.Prefix
	// Text is the selector as written in the file, Pos where.
	Text string
	Pos  model.Pos
}

// Selection is the union of selectors an attribute lists.
type Selection struct {
	Selectors []Selector
	// Pos is where the attribute's value is written.
	Pos model.Pos
}

// String is the selection as written: its selectors, comma-separated.
func (s Selection) String() string {
	ss := make([]string, len(s.Selectors))
	for i, x := range s.Selectors {
		ss[i] = x.Text
	}
	return strings.Join(ss, ", ")
}

var selectorType = cty.Capsule("selector", reflect.TypeOf(Selector{}))

func selectorVal(s Selector) cty.Value { return cty.CapsuleVal(selectorType, &s) }

// evalContext is what selector expressions may use: the keywords and the
// selector functions.
var evalContext = &hhcl.EvalContext{
	Variables: map[string]cty.Value{
		"internet":    selectorVal(Selector{kind: selInternet}),
		"on_premises": selectorVal(Selector{kind: selOnPremises}),
		"all":         selectorVal(Selector{kind: selAll}),
		"anywhere":    selectorVal(Selector{kind: selAnywhere}),
	},
	Functions: map[string]function.Function{
		"resource":       patternFunc(selResource, "pattern"),
		"type":           patternFunc(selType, "type"),
		"subnet":         patternFunc(selSubnet, "pattern"),
		"security_group": patternFunc(selSecurityGroup, "pattern"),
		"vpc":            patternFunc(selVPC, "pattern"),
		"tag": function.New(&function.Spec{
			Params:   []function.Parameter{{Name: "key", Type: cty.String}},
			VarParam: &function.Parameter{Name: "value", Type: cty.String},
			Type:     function.StaticReturnType(selectorType),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				if len(args) > 2 {
					return cty.NilVal, fmt.Errorf("tag takes a key and, optionally, a value")
				}
				s := Selector{kind: selTag}
				for _, a := range args {
					s.args = append(s.args, a.AsString())
				}
				if strings.TrimSpace(s.args[0]) == "" {
					return cty.NilVal, fmt.Errorf("the tag key is empty")
				}
				return selectorVal(s), nil
			},
		}),
		"cidr": function.New(&function.Spec{
			Params: []function.Parameter{{Name: "block", Type: cty.String}},
			Type:   function.StaticReturnType(selectorType),
			Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
				text := strings.TrimSpace(args[0].AsString())
				p, err := netip.ParsePrefix(text)
				if err != nil {
					a, aerr := netip.ParseAddr(text)
					if aerr != nil {
						return cty.NilVal, fmt.Errorf("%q is not a CIDR block or an IP address", text)
					}
					a = a.Unmap()
					p = netip.PrefixFrom(a, a.BitLen())
				}
				if p.Masked() != p {
					return cty.NilVal, fmt.Errorf("%s has host bits set; the block is %s", p, p.Masked())
				}
				return selectorVal(Selector{kind: selCIDR, prefix: p, args: []string{p.String()}}), nil
			},
		}),
	},
}

func patternFunc(kind selectorKind, param string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: param, Type: cty.String}},
		Type:   function.StaticReturnType(selectorType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := strings.TrimSpace(args[0].AsString())
			if p == "" {
				return cty.NilVal, fmt.Errorf("the %s is empty", param)
			}
			return selectorVal(Selector{kind: kind, args: []string{p}}), nil
		},
	})
}

// parseSelection evaluates an attribute listing selectors: one selector or
// a list of them.
func parseSelection(a *hhcl.Attribute, src []byte, errAt func(hhcl.Range, string, ...any)) Selection {
	sel := Selection{Pos: posOf(a.Expr.Range())}
	items := listItems(a.Expr)
	if len(items) == 0 {
		errAt(a.Expr.Range(), "%s is empty: name at least one selector (internet, all, resource(\"…\"), tag(\"…\", \"…\"), cidr(\"…\")…)", a.Name)
	}
	for _, it := range items {
		v, diags := it.Value(evalContext)
		if diags.HasErrors() {
			errAt(it.Range(), "%s: %s", a.Name, summary(diags))
			continue
		}
		var vals []cty.Value
		switch {
		case v.Type() == selectorType:
			vals = []cty.Value{v}
		case (v.Type().IsTupleType() || v.Type().IsListType() || v.Type().IsSetType()) && v.IsKnown() && !v.IsNull():
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				vals = append(vals, ev)
			}
		default:
			hint := ""
			if v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
				hint = fmt.Sprintf(" (a string: write a keyword without quotes, such as internet, or a selector such as resource(%q))", v.AsString())
			}
			errAt(it.Range(), "%s lists selectors, not %s%s", a.Name, v.Type().FriendlyName(), hint)
			continue
		}
		for _, ev := range vals {
			if ev.Type() != selectorType {
				errAt(it.Range(), "%s lists selectors, not %s", a.Name, ev.Type().FriendlyName())
				continue
			}
			s := *ev.EncapsulatedValue().(*Selector)
			r := it.Range()
			s.Pos = posOf(r)
			if r.End.Byte <= len(src) && r.Start.Byte <= r.End.Byte {
				s.Text = string(src[r.Start.Byte:r.End.Byte])
			}
			sel.Selectors = append(sel.Selectors, s)
		}
	}
	return sel
}

// element is something of the network a selector can name, with the
// interfaces it stands for.
type element struct {
	kind   string // vpc, subnet, security group, instance, network interface, NAT gateway, VPC endpoint, load balancer, Auto Scaling group, a service's kind, or the type of an unsupported resource
	meta   *model.Meta
	ifaces []string
	// unsupported says why vpcsim does not model it; empty when it does.
	unsupported string
}

// index lists what selectors can name in one network.
type index struct {
	n        *model.Network
	elements []*element
	all      []string
}

func newIndex(n *model.Network) *index {
	x := &index{n: n}
	bySubnet := map[string][]string{}
	byVPC := map[string][]string{}
	bySG := map[string][]string{}
	subnetVPC := map[string]string{}
	for _, s := range n.Subnets {
		subnetVPC[s.ID] = s.VPCID
	}
	for _, ifc := range n.Interfaces {
		x.all = append(x.all, ifc.ID)
		bySubnet[ifc.SubnetID] = append(bySubnet[ifc.SubnetID], ifc.ID)
		byVPC[subnetVPC[ifc.SubnetID]] = append(byVPC[subnetVPC[ifc.SubnetID]], ifc.ID)
		for _, g := range ifc.SecurityGroupIDs {
			bySG[g] = append(bySG[g], ifc.ID)
		}
	}
	add := func(kind string, m *model.Meta, ifaces []string) {
		x.elements = append(x.elements, &element{kind: kind, meta: m, ifaces: ifaces})
	}
	for _, v := range n.VPCs {
		add("vpc", &v.Meta, byVPC[v.ID])
	}
	for _, s := range n.Subnets {
		add("subnet", &s.Meta, bySubnet[s.ID])
	}
	for _, g := range n.SecurityGroups {
		add("security group", &g.Meta, bySG[g.ID])
	}
	for _, in := range n.Instances {
		add("instance", &in.Meta, in.InterfaceIDs)
	}
	for _, ifc := range n.Interfaces {
		add("network interface", &ifc.Meta, []string{ifc.ID})
	}
	for _, g := range n.NATGateways {
		var ifs []string
		if g.InterfaceID != "" {
			ifs = []string{g.InterfaceID}
		}
		add("NAT gateway", &g.Meta, ifs)
	}
	for _, ep := range n.Endpoints {
		add("VPC endpoint", &ep.Meta, ep.InterfaceIDs)
	}
	// A load balancer stands for its nodes, an Auto Scaling group for the
	// instances it launches, a managed service for its interfaces.
	for _, lb := range n.LoadBalancers {
		add("load balancer", &lb.Meta, lb.InterfaceIDs)
	}
	for _, g := range n.AutoScalingGroups {
		add("Auto Scaling group", &g.Meta, g.InterfaceIDs)
	}
	for _, sv := range n.Services {
		add(string(sv.Kind), &sv.Meta, sv.InterfaceIDs)
	}
	for i := range n.UnsupportedResources {
		u := &n.UnsupportedResources[i]
		x.elements = append(x.elements, &element{kind: u.Type, meta: &u.Meta, ifaces: u.InterfaceIDs,
			unsupported: cmpOr(u.Reason, "not modelled by vpcsim")})
	}
	return x
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Resolve turns the selection into the interfaces and addresses of network
// n. A selector that names nothing, or only elements vpcsim does not model,
// is an error at its position, with the closest name as a suggestion.
func (s Selection) Resolve(n *model.Network) (reach.Ends, model.Diagnostics) {
	return s.resolve(newIndex(n))
}

func (s Selection) resolve(x *index) (reach.Ends, model.Diagnostics) {
	var out reach.Ends
	var ds model.Diagnostics
	seen := map[string]bool{}
	addIfaces := func(ids []string) {
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				out.Interfaces = append(out.Interfaces, id)
			}
		}
	}
	for _, sel := range s.Selectors {
		errAt := func(format string, args ...any) {
			ds = append(ds, model.Diagnostic{Severity: model.SeverityError, Pos: sel.Pos, Message: fmt.Sprintf(format, args...)})
		}
		switch sel.kind {
		case selInternet:
			out.Internet = true
		case selOnPremises:
			if len(x.n.VPNConnections) == 0 {
				errAt("on_premises: the network has no VPN connection, so no on-premises network")
			}
			out.OnPremises = true
		case selAll:
			addIfaces(x.all)
		case selAnywhere:
			addIfaces(x.all)
			out.Internet = true
			out.OnPremises = len(x.n.VPNConnections) > 0
		case selCIDR:
			out.Blocks = append(out.Blocks, sel.prefix)
		default:
			matched := x.match(sel)
			if len(matched) == 0 {
				errAt("%s matches nothing in the network%s", sel.Text, x.suggest(sel))
				continue
			}
			var ifaces []string
			var unsupported []*element
			for _, el := range matched {
				if el.unsupported != "" && len(el.ifaces) == 0 {
					unsupported = append(unsupported, el)
				}
				ifaces = append(ifaces, el.ifaces...)
			}
			if len(ifaces) == 0 {
				// Named, but standing for no interface: say so; whether an
				// empty selection is an error is the expectation's call.
				msg := fmt.Sprintf("%s selects %s, which has no network interface vpcsim knows: it stands for nothing here", sel.Text, labelsOf(matched, 3))
				if u := x.usedBy(matched); u != nil {
					msg = fmt.Sprintf("%s selects %s, used by %s, which vpcsim does not model (%s): its interfaces are unknown, so it stands for nothing here",
						sel.Text, labelsOf(matched, 3), u.meta.Label(), u.unsupported)
				} else if len(unsupported) > 0 {
					msg = fmt.Sprintf("%s selects %s, which vpcsim does not model (%s): its interfaces are unknown, so it stands for nothing here",
						sel.Text, unsupported[0].meta.Label(), unsupported[0].unsupported)
				}
				ds = append(ds, model.Diagnostic{Severity: model.SeverityWarning, Pos: sel.Pos, Message: msg})
				continue
			}
			addIfaces(ifaces)
		}
	}
	return out, ds
}

// usedBy is the unsupported resource that uses one of els (a load balancer
// using a security group or subnets), if any.
func (x *index) usedBy(els []*element) *element {
	for _, u := range x.elements {
		if u.unsupported == "" {
			continue
		}
		for i := range x.n.UnsupportedResources {
			ur := &x.n.UnsupportedResources[i]
			if &ur.Meta != u.meta {
				continue
			}
			for _, el := range els {
				if el.meta.ID != "" && (slices.Contains(ur.SecurityGroupIDs, el.meta.ID) || slices.Contains(ur.SubnetIDs, el.meta.ID)) {
					return u
				}
			}
		}
	}
	return nil
}

func labelsOf(els []*element, n int) string {
	var ls []string
	for i, el := range els {
		if i == n {
			ls = append(ls, fmt.Sprintf("and %d more", len(els)-n))
			break
		}
		ls = append(ls, el.kind+" "+el.meta.Label())
	}
	return strings.Join(ls, ", ")
}

// match returns the elements sel names.
func (x *index) match(sel Selector) []*element {
	var out []*element
	for _, el := range x.elements {
		if x.matches(sel, el) {
			out = append(out, el)
		}
	}
	return out
}

func (x *index) matches(sel Selector, el *element) bool {
	m := el.meta
	switch sel.kind {
	case selResource:
		return matchName(sel.args[0], m)
	case selType:
		return resourceType(m.Address) == sel.args[0]
	case selTag:
		v, ok := m.Tags[sel.args[0]]
		if !ok {
			return false
		}
		return len(sel.args) < 2 || glob(sel.args[1], v)
	case selSubnet:
		return el.kind == "subnet" && (matchName(sel.args[0], m) || m.Name != "" && glob(sel.args[0], m.Name))
	case selSecurityGroup:
		if el.kind != "security group" {
			return false
		}
		if matchName(sel.args[0], m) || m.Name != "" && glob(sel.args[0], m.Name) {
			return true
		}
		for _, g := range x.n.SecurityGroups {
			if &g.Meta == m && g.GroupName != "" && glob(sel.args[0], g.GroupName) {
				return true
			}
		}
	case selVPC:
		return el.kind == "vpc" && (matchName(sel.args[0], m) || m.Name != "" && glob(sel.args[0], m.Name))
	}
	return false
}

// matchName reports whether pattern names the element: its ID exactly, or
// its Terraform address (see addressPattern).
func matchName(pattern string, m *model.Meta) bool {
	if m.ID != "" && (m.ID == pattern || strings.Contains(pattern, "*") && glob(pattern, m.ID)) {
		return true
	}
	return m.Address != "" && addressPattern(pattern).MatchString(m.Address)
}

// addressPattern compiles a Terraform address pattern: "*" matches any run
// of characters, and a resource or module named without an instance key
// matches all its instances, as terraform's -target does
// ("module.spoke.aws_instance.app" matches
// module.spoke["dev"].aws_instance.app[1]).
func addressPattern(p string) *regexp.Regexp {
	if re, ok := patternCache.Load(p); ok {
		return re.(*regexp.Regexp)
	}
	var b strings.Builder
	b.WriteString("^")
	for i, seg := range splitAddress(p) {
		if i > 0 {
			b.WriteString(`\.`)
		}
		b.WriteString(globRegexp(seg))
		if !strings.HasSuffix(seg, "]") {
			b.WriteString(`(\[[^\]]*\])?`)
		}
	}
	b.WriteString("$")
	re := regexp.MustCompile(b.String())
	patternCache.Store(p, re)
	return re
}

// patternCache keeps compiled address patterns.
var patternCache sync.Map // string -> *regexp.Regexp

// splitAddress splits an address at the dots outside brackets and quotes.
func splitAddress(a string) []string {
	var out []string
	depth, inQuote, start := 0, false, 0
	for i := 0; i < len(a); i++ {
		switch c := a[i]; {
		case c == '"':
			inQuote = !inQuote
		case inQuote:
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '.' && depth == 0:
			out = append(out, a[start:i])
			start = i + 1
		}
	}
	return append(out, a[start:])
}

func globRegexp(s string) string {
	parts := strings.Split(s, "*")
	for i := range parts {
		parts[i] = regexp.QuoteMeta(parts[i])
	}
	return strings.Join(parts, ".*")
}

// glob matches s against a pattern where "*" matches any run of characters.
func glob(pattern, s string) bool {
	if !strings.Contains(pattern, "*") {
		return pattern == s
	}
	ok, _ := regexp.MatchString("^"+globRegexp(pattern)+"$", s)
	return ok
}

// resourceType is the resource type of an address:
// module.a["x"].aws_instance.web[0] is an aws_instance.
func resourceType(addr string) string {
	segs := splitAddress(addr)
	for i := len(segs) - 2; i >= 0; i-- {
		if segs[i] == "module" || i > 0 && segs[i-1] == "module" {
			continue
		}
		t := segs[i]
		if j := strings.IndexByte(t, '['); j >= 0 {
			t = t[:j]
		}
		if t == "data" {
			continue
		}
		return t
	}
	return ""
}

// suggest proposes the closest name of the kind sel selects.
func (x *index) suggest(sel Selector) string {
	want := sel.args[0]
	type cand struct {
		s string
		d int
	}
	var cs []cand
	seen := map[string]bool{}
	consider := func(s string) {
		if s == "" || seen[s] {
			return
		}
		seen[s] = true
		if d := levenshtein.Distance(want, s, nil); d <= max(2, len(want)/4) {
			cs = append(cs, cand{s, d})
		}
	}
	for _, el := range x.elements {
		switch sel.kind {
		case selType:
			consider(resourceType(el.meta.Address))
		case selTag:
			for k := range el.meta.Tags {
				consider(k)
			}
		case selSubnet, selSecurityGroup, selVPC:
			if kindOf(sel.kind) == el.kind {
				consider(el.meta.Address)
				consider(withoutKey(el.meta.Address))
				consider(el.meta.ID)
			}
		default:
			consider(el.meta.Address)
			consider(withoutKey(el.meta.Address))
			consider(el.meta.ID)
		}
	}
	if len(cs) == 0 {
		return ""
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].d < cs[j].d || cs[i].d == cs[j].d && cs[i].s < cs[j].s })
	return fmt.Sprintf(" (did you mean %q?)", cs[0].s)
}

// withoutKey is an address without its instance key, which names all its
// instances: module.a.aws_subnet.db["x"] -> module.a.aws_subnet.db.
func withoutKey(addr string) string {
	if strings.HasSuffix(addr, "]") {
		if i := strings.LastIndexByte(addr, '['); i > 0 {
			return addr[:i]
		}
	}
	return addr
}

func kindOf(k selectorKind) string {
	return map[selectorKind]string{selSubnet: "subnet", selSecurityGroup: "security group", selVPC: "vpc"}[k]
}

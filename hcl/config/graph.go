package config

import (
	"fmt"
	"slices"
	"strings"

	"github.com/agext/levenshtein"
	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// ref is one reference from a declaration to a named value.
type ref struct {
	// root and name are the first two steps: var/x, local/x, module/x,
	// aws_vpc/main, data/aws_region.current (type and name joined), or a
	// context object (path, terraform, count, each) and its attribute.
	root, name string
	// key is the referenced declaration (local.x, aws_vpc.main,
	// data.aws_region.current, module.vpc); empty for variables and
	// context objects.
	key string
	// attr is the attribute read from a resource, data source or module
	// call after its optional instance key; empty when the whole object is
	// used.
	attr string
	rng  hhcl.Range
}

// modGraph is the static analysis of one module: what every declaration
// refers to, and which declarations form cycles.
type modGraph struct {
	refs map[*decl][]ref
	// cyclic marks declarations that are part of a dependency cycle; they
	// are never evaluated and their value is unknown.
	cyclic map[*decl]bool
	// wanted lists, per resource and data source, the attributes other
	// declarations read from it, with the first place that reads each.
	wanted map[*decl]map[string]hhcl.Range
	// exprRefs caches the references of single expressions (module call
	// arguments, count and for_each of module calls).
	exprRefs map[hhcl.Expression][]ref
}

// analyze collects the references of every declaration of m, reports those
// that name nothing, and orders the declarations by dependency.
func (l *loader) analyze(m *tfModule) {
	g := &modGraph{refs: map[*decl][]ref{}, cyclic: map[*decl]bool{}, wanted: map[*decl]map[string]hhcl.Range{},
		exprRefs: map[hhcl.Expression][]ref{}}
	m.graph = g
	for _, d := range m.decls {
		g.refs[d] = l.declRefs(m, d)
		for _, r := range g.refs[d] {
			t := m.byKey[r.key]
			if r.attr == "" || t == nil || (t.kind != declResource && t.kind != declData) {
				continue
			}
			if g.wanted[t] == nil {
				g.wanted[t] = map[string]hhcl.Range{}
			}
			if _, ok := g.wanted[t][r.attr]; !ok {
				g.wanted[t][r.attr] = r.rng
			}
		}
	}
	// Resources, data sources and module calls use the provider's region
	// and default tags, so the provider goes first.
	deps := func(d *decl) []*decl {
		if d.kind == declModule {
			// What a module call needs depends on which of its outputs is
			// read; evaluation follows those dependencies one by one and
			// reports a cycle among them.
			return nil
		}
		var out []*decl
		seen := map[*decl]bool{}
		for _, r := range g.refs[d] {
			if t := m.byKey[r.key]; t != nil && !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
		if d.kind == declData || d.kind == declResource || d.kind == declModule {
			if p := m.byKey["provider.aws"]; p != nil && !seen[p] {
				out = append(out, p)
			}
		}
		return out
	}
	// Tarjan's algorithm finds the strongly connected components: every one
	// with more than one declaration, or a declaration that refers to
	// itself, is a cycle.
	index := map[*decl]int{}
	low := map[*decl]int{}
	onStack := map[*decl]bool{}
	var stack []*decl
	next := 0
	var visit func(d *decl)
	visit = func(d *decl) {
		index[d], low[d] = next, next
		next++
		stack = append(stack, d)
		onStack[d] = true
		self := false
		for _, t := range deps(d) {
			if t == d {
				self = true
			}
			if _, ok := index[t]; !ok {
				visit(t)
				low[d] = min(low[d], low[t])
			} else if onStack[t] {
				low[d] = min(low[d], index[t])
			}
		}
		if low[d] != index[d] {
			return
		}
		var scc []*decl
		for {
			t := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			onStack[t] = false
			scc = append(scc, t)
			if t == d {
				break
			}
		}
		if len(scc) == 1 && !self {
			return
		}
		l.reportCycle(m, scc)
		for _, t := range scc {
			g.cyclic[t] = true
		}
	}
	for _, d := range m.decls {
		if _, ok := index[d]; !ok {
			visit(d)
		}
	}
}

// reportCycle reports one cycle at its first declaration in source order,
// spelling the cycle out along its references.
func (l *loader) reportCycle(m *tfModule, scc []*decl) {
	in := map[*decl]bool{}
	for _, d := range scc {
		in[d] = true
	}
	first := scc[0]
	for _, d := range m.decls {
		if in[d] {
			first = d
			break
		}
	}
	path := []string{first.key}
	seen := map[*decl]bool{first: true}
	for cur := first; ; {
		var nxt *decl
		for _, r := range m.graph.refs[cur] {
			if t := m.byKey[r.key]; t != nil && in[t] {
				if t == first || !seen[t] {
					nxt = t
					break
				}
			}
		}
		if nxt == nil {
			break
		}
		path = append(path, nxt.key)
		if nxt == first {
			break
		}
		seen[nxt] = true
		cur = nxt
	}
	if len(scc) == 1 {
		l.errorf(first.rng, "%s refers to itself", first.key)
		return
	}
	l.errorf(first.rng, "dependency cycle: %s", strings.Join(path, " -> "))
}

// declRefs returns the references of d, reporting those that are invalid.
func (l *loader) declRefs(m *tfModule, d *decl) []ref {
	var out []ref
	add := func(t hhcl.Traversal) {
		if r, ok := l.classify(m, d, t); ok {
			out = append(out, r)
		}
	}
	exprs := []hhcl.Expression{d.expr, d.count, d.forEach, d.region, d.defaultTags, d.dependsOn}
	for _, e := range exprs {
		if e != nil {
			for _, t := range e.Variables() {
				add(t)
			}
			out = append(out, l.indirectUses(m, e, nil)...)
		}
	}
	if d.body != nil {
		l.bodyRefs(m, d.body, nil, add, &out)
	}
	return out
}

// bodyRefs walks a resource body, keeping dynamic block iterators in scope
// for their content.
func (l *loader) bodyRefs(m *tfModule, b *rbody, scope []string, add func(hhcl.Traversal), out *[]ref) {
	visit := func(e hhcl.Expression, scope []string) {
		for _, t := range e.Variables() {
			if !slices.Contains(scope, t.RootName()) {
				add(t)
			}
		}
		*out = append(*out, l.indirectUses(m, e, scope)...)
	}
	for _, a := range b.attrs {
		visit(a.Expr, scope)
	}
	for _, blk := range b.blocks {
		if blk.dynamic {
			visit(blk.forEach, scope)
			l.bodyRefs(m, blk.body, append(slices.Clip(scope), blk.iterator), add, out)
			continue
		}
		l.bodyRefs(m, blk.body, scope, add, out)
	}
}

// classify turns a traversal into a reference, or reports why it names
// nothing.
func (l *loader) classify(m *tfModule, d *decl, t hhcl.Traversal) (ref, bool) {
	root := t.RootName()
	rng := t.SourceRange()
	step := func(i int) (string, bool) {
		if i < len(t) {
			if a, ok := t[i].(hhcl.TraverseAttr); ok {
				return a.Name, true
			}
		}
		return "", false
	}
	// attrAfter is the attribute read after position i, skipping one
	// instance key.
	attrAfter := func(i int) string {
		if i < len(t) {
			if _, ok := t[i].(hhcl.TraverseIndex); ok {
				i++
			}
		}
		a, _ := step(i)
		return a
	}
	r := ref{root: root, rng: rng}
	switch root {
	case "var":
		name, ok := step(1)
		if !ok {
			l.errorf(rng, "var must be followed by a variable name, as in var.region")
			return r, false
		}
		if m.variables[name] == nil {
			l.errorf(rng, "reference to undeclared input variable %q%s", name, suggest(name, m.varOrder))
			return r, false
		}
		r.name = name
		return r, true
	case "local", "module":
		name, ok := step(1)
		if !ok {
			l.errorf(rng, "%s must be followed by a name, as in %s.example", root, root)
			return r, false
		}
		r.name, r.key = name, root+"."+name
		if m.byKey[r.key] == nil {
			l.errorf(rng, "reference to undeclared %s %s%s", map[string]string{"local": "local value", "module": "module call"}[root],
				r.key, suggest(r.key, declKeys(m, root+".")))
			return r, false
		}
		if root == "module" {
			r.attr = attrAfter(2)
		}
		return r, true
	case "data":
		typ, ok1 := step(1)
		name, ok2 := step(2)
		if !ok1 || !ok2 {
			l.errorf(rng, "data must be followed by a type and a name, as in data.aws_region.current")
			return r, false
		}
		r.name, r.key, r.attr = typ+"."+name, "data."+typ+"."+name, attrAfter(3)
		if m.byKey[r.key] == nil {
			l.errorf(rng, "reference to undeclared data source %s%s", r.key, suggest(r.key, declKeys(m, "data.")))
			return r, false
		}
		return r, true
	case "path":
		name, _ := step(1)
		if name != "module" && name != "root" && name != "cwd" {
			l.errorf(rng, "path has only the attributes module, root and cwd")
			return r, false
		}
		r.name = name
		return r, true
	case "terraform":
		if name, _ := step(1); name != "workspace" {
			l.errorf(rng, "only terraform.workspace can be referenced")
			return r, false
		}
		r.name = "workspace"
		return r, true
	case "count":
		if d.count == nil {
			l.errorf(rng, "count can be used only in a resource, data or module block that sets count")
			return r, false
		}
		if name, _ := step(1); name != "index" {
			l.errorf(rng, "count has only the attribute index")
			return r, false
		}
		r.name = "index"
		return r, true
	case "each":
		if d.forEach == nil {
			l.errorf(rng, "each can be used only in a resource, data or module block that sets for_each")
			return r, false
		}
		name, _ := step(1)
		if name != "key" && name != "value" {
			l.errorf(rng, "each has only the attributes key and value")
			return r, false
		}
		r.name = name
		return r, true
	case "self":
		l.errorf(rng, "self can be used only in provisioner and connection blocks")
		return r, false
	}
	name, ok := step(1)
	if !ok {
		l.errorf(rng, "unknown name %q: a resource type must be followed by a resource name, as in aws_vpc.main%s",
			root, suggest(root, append([]string{"var", "local", "module", "data", "path", "terraform", "count", "each"}, declTypes(m)...)))
		return r, false
	}
	r.name, r.key, r.attr = name, root+"."+name, attrAfter(2)
	if m.byKey[r.key] == nil {
		l.errorf(rng, "reference to undeclared resource %s%s", r.key, suggest(r.key, declKeys(m, "")))
		return r, false
	}
	return r, true
}

// indirectUses finds attributes read from resources, data sources and
// module calls in ways a traversal does not show: splats
// (aws_subnet.x[*].id), computed instance keys (aws_subnet.x[count.index].id)
// and for expressions over a resource. The evaluator needs them to give
// attributes that are neither set nor known as computed an unknown value
// instead of failing. Only native syntax is inspected.
func (l *loader) indirectUses(m *tfModule, e hhcl.Expression, scope []string) []ref {
	se, ok := e.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	var out []ref
	// target returns the declaration key a source expression reads.
	target := func(src hclsyntax.Expression) (ref, bool) {
		src = plain(src)
		if ix, ok := src.(*hclsyntax.IndexExpr); ok {
			src = ix.Collection
		}
		st, ok := src.(*hclsyntax.ScopeTraversalExpr)
		if !ok || slices.Contains(scope, st.Traversal.RootName()) {
			return ref{}, false
		}
		t := st.Traversal
		name := func(i int) string {
			if i < len(t) {
				if a, ok := t[i].(hhcl.TraverseAttr); ok {
					return a.Name
				}
			}
			return ""
		}
		root := t.RootName()
		var r ref
		switch {
		case root == "data" && len(t) == 3:
			r = ref{root: "data", name: name(1) + "." + name(2), key: "data." + name(1) + "." + name(2)}
		case root == "module" && len(t) == 2:
			r = ref{root: "module", name: name(1), key: "module." + name(1)}
		case len(t) == 2 && !contextRoots[root]:
			r = ref{root: root, name: name(1), key: root + "." + name(1)}
		default:
			return ref{}, false
		}
		return r, m.byKey[r.key] != nil
	}
	firstAttr := func(t hhcl.Traversal) string {
		if len(t) > 0 {
			if a, ok := t[0].(hhcl.TraverseAttr); ok {
				return a.Name
			}
		}
		return ""
	}
	hclsyntax.VisitAll(se, func(n hclsyntax.Node) hhcl.Diagnostics {
		switch x := n.(type) {
		case *hclsyntax.SplatExpr:
			if r, ok := target(x.Source); ok {
				if rt, ok := x.Each.(*hclsyntax.RelativeTraversalExpr); ok {
					if r.attr = firstAttr(rt.Traversal); r.attr != "" {
						r.rng = x.Range()
						out = append(out, r)
					}
				}
			}
		case *hclsyntax.RelativeTraversalExpr:
			if _, isIndex := x.Source.(*hclsyntax.IndexExpr); isIndex {
				if r, ok := target(x.Source); ok {
					if r.attr = firstAttr(x.Traversal); r.attr != "" {
						r.rng = x.Range()
						out = append(out, r)
					}
				}
			}
		case *hclsyntax.ForExpr:
			r, ok := target(x.CollExpr)
			if !ok {
				if fc, isCall := plain(x.CollExpr).(*hclsyntax.FunctionCallExpr); isCall && fc.Name == "values" && len(fc.Args) == 1 {
					r, ok = target(fc.Args[0])
				}
			}
			if !ok {
				break
			}
			for _, body := range []hclsyntax.Expression{x.KeyExpr, x.ValExpr, x.CondExpr} {
				if body == nil {
					continue
				}
				hclsyntax.VisitAll(body, func(n hclsyntax.Node) hhcl.Diagnostics {
					if st, ok := n.(*hclsyntax.ScopeTraversalExpr); ok && st.Traversal.RootName() == x.ValVar && len(st.Traversal) > 1 {
						if a, ok := st.Traversal[1].(hhcl.TraverseAttr); ok {
							u := r
							u.attr, u.rng = a.Name, st.Range()
							out = append(out, u)
						}
					}
					return nil
				})
			}
		}
		return nil
	})
	return out
}

func declKeys(m *tfModule, prefix string) []string {
	var out []string
	for _, d := range m.decls {
		if strings.HasPrefix(d.key, prefix) && (prefix != "" || d.kind == declResource) {
			out = append(out, d.key)
		}
	}
	return out
}

func declTypes(m *tfModule) []string {
	var out []string
	for _, d := range m.decls {
		if d.kind == declResource {
			out = append(out, d.typ)
		}
	}
	return out
}

// suggest returns "; did you mean X?" for the candidate closest to given
// within a small edit distance, or "".
func suggest(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(given, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %s?", best)
}

// checkModuleOutputs reports references to outputs a called module does not
// declare; it runs once the called modules are loaded.
func (l *loader) checkModuleOutputs(m *tfModule) {
	for _, d := range m.decls {
		for _, r := range m.graph.refs[d] {
			if r.root != "module" || r.attr == "" {
				continue
			}
			call := m.byKey[r.key]
			if call == nil || call.child == nil {
				continue
			}
			if call.child.byKey["output."+r.attr] == nil {
				l.errorf(r.rng, "module %s declares no output %q%s", call.name, r.attr,
					suggest(r.attr, outputNames(call.child)))
			}
		}
	}
}

func outputNames(m *tfModule) []string {
	var out []string
	for _, d := range m.decls {
		if d.kind == declOutput {
			out = append(out, d.name)
		}
	}
	return out
}

// contextRoots are the reference roots that are not resource types.
var contextRoots = map[string]bool{"var": true, "local": true, "module": true, "data": true, "path": true,
	"terraform": true, "count": true, "each": true, "self": true}

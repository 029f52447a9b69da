package config

import (
	"encoding/json"
	"fmt"
	"math/big"
	"slices"
	"strings"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// modInst is one instance of a module: the root, or one instance of a
// module call. Its declarations, variables and outputs are evaluated on
// demand and remembered, so that a module's output can feed a resource whose
// ID is another input of the same module, as Terraform allows: dependencies
// are followed per declaration, per variable and per output, not per module.
type modInst struct {
	mod *tfModule
	// path is the module address prefix of everything inside it:
	// "" for the root, "module.vpc.", "module.vpc[0].module.sub.".
	path string
	// parent, call and key say where a child module's inputs come from.
	parent *modInst
	call   *decl
	key    instKey
	vars   map[string]cty.Value
	// varBusy marks variables being evaluated, to catch cycles.
	varBusy map[string]bool
	vals    map[*decl]cty.Value
	state   map[*decl]evalState
	// failed marks declarations whose evaluation reported an error, so that
	// what depends on them does not report the same problem again.
	failed map[*decl]bool
	insts  map[*decl][]resource.Instance
	calls  map[*decl]*callInst
}

// evalState is where a declaration's evaluation stands.
type evalState uint8

const (
	notEvaluated evalState = iota
	evaluating
	evaluated
)

// callInst is the expansion of one module call: its instance keys and the
// module instance of each.
type callInst struct {
	state evalState
	ok    bool
	keys  []instKey
	kids  []*modInst
}

// frame is one item being evaluated, for reporting a cycle that crosses
// modules.
type frame struct {
	label string
	rng   hhcl.Range
	mi    *modInst
	d     *decl
}

func newModInst(m *tfModule, prefix string, parent *modInst, call *decl, key instKey) *modInst {
	return &modInst{mod: m, path: prefix, parent: parent, call: call, key: key,
		vars: map[string]cty.Value{}, varBusy: map[string]bool{}, vals: map[*decl]cty.Value{},
		state: map[*decl]evalState{}, failed: map[*decl]bool{}, insts: map[*decl][]resource.Instance{}, calls: map[*decl]*callInst{}}
}

// evalAll evaluates everything in mi and in the modules it calls, in
// declaration order, so that every resource has its instances and every
// problem is reported, whether or not something refers to it.
func (l *loader) evalAll(mi *modInst) {
	if p := mi.mod.byKey["provider.aws"]; p != nil && mi.parent == nil {
		// Every resource reads the provider's region and default tags.
		l.get(mi, p)
	}
	for _, name := range mi.mod.varOrder {
		l.variable(mi, name)
	}
	for _, d := range mi.mod.decls {
		if d.kind == declModule {
			ci := l.expandCall(mi, d)
			for _, k := range ci.kids {
				l.evalAll(k)
			}
			continue
		}
		l.get(mi, d)
	}
}

// emit appends the instances of mi and of the modules it calls, in
// declaration order.
func (mi *modInst) emit(out []resource.Instance) []resource.Instance {
	for _, d := range mi.mod.decls {
		switch d.kind {
		case declResource, declData:
			out = append(out, mi.insts[d]...)
		case declModule:
			if ci := mi.calls[d]; ci != nil {
				for _, k := range ci.kids {
					out = k.emit(out)
				}
			}
		}
	}
	return out
}

// get returns the value of declaration d, evaluating it the first time.
func (l *loader) get(mi *modInst, d *decl) cty.Value {
	switch mi.state[d] {
	case evaluated:
		return mi.vals[d]
	case evaluating:
		l.cycle(mi.path+d.key, d.rng)
		return cty.DynamicVal
	}
	if mi.mod.graph.cyclic[d] || l.meter.over {
		mi.state[d], mi.vals[d], mi.failed[d] = evaluated, cty.DynamicVal, true
		return cty.DynamicVal
	}
	mi.state[d] = evaluating
	l.stack = append(l.stack, frame{label: mi.path + d.key, rng: d.rng, mi: mi, d: d})
	leave := l.meter.enter(d.rng)
	l.evalDecl(mi, d)
	leave()
	l.stack = l.stack[:len(l.stack)-1]
	mi.state[d] = evaluated
	if _, ok := mi.vals[d]; !ok {
		mi.vals[d] = cty.DynamicVal
	}
	return mi.vals[d]
}

// cycle reports a dependency cycle found during evaluation: one that
// crosses module boundaries, which the per-module analysis cannot see.
func (l *loader) cycle(label string, rng hhcl.Range) {
	i := len(l.stack) - 1
	for i >= 0 && l.stack[i].label != label {
		i--
	}
	if i < 0 {
		l.errorf(rng, "dependency cycle through %s", label)
		return
	}
	var path []string
	for _, f := range l.stack[i:] {
		path = append(path, f.label)
		if f.d != nil {
			f.mi.failed[f.d] = true
		}
	}
	path = append(path, label)
	l.errorf(l.stack[i].rng, "dependency cycle: %s", strings.Join(path, " -> "))
}

// variable returns the value of variable name of mi: for the root, from the
// values gathered before evaluation; for a child, from the module call's
// argument, evaluated in the calling module when first needed.
func (l *loader) variable(mi *modInst, name string) cty.Value {
	if v, ok := mi.vars[name]; ok {
		return v
	}
	v := mi.mod.variables[name]
	if v == nil {
		return cty.DynamicVal
	}
	label := mi.path + "var." + name
	if mi.varBusy[name] {
		l.cycle(label, v.rng)
		return cty.DynamicVal
	}
	if mi.parent == nil {
		return cty.DynamicVal
	}
	mi.varBusy[name] = true
	var given *varValue
	for _, a := range mi.call.body.attrs {
		if a.Name != name {
			continue
		}
		l.stack = append(l.stack, frame{label: label, rng: a.Expr.Range()})
		l.meter.charge(nodeCount(a.Expr), a.Expr.Range())
		ctx := mi.key.bind(l.exprCtx(mi.parent, mi.call, a.Expr))
		val, diags := a.Expr.Value(ctx)
		l.addHCL(diags)
		if diags.HasErrors() {
			mi.parent.failed[mi.call] = true
		}
		l.stack = l.stack[:len(l.stack)-1]
		given = &varValue{val: val, rng: a.Expr.Range(), from: "module " + mi.call.name}
	}
	out := l.assignVar(v, given, false, mi.call.rng)
	mi.vars[name] = out
	mi.varBusy[name] = false
	return out
}

// depFailed reports whether something d refers to failed to evaluate.
func (mi *modInst) depFailed(d *decl) bool {
	for _, r := range mi.mod.graph.refs[d] {
		if t := mi.mod.byKey[r.key]; t != nil && mi.failed[t] {
			return true
		}
	}
	return false
}

// evalCtx builds the evaluation context of d from everything d refers to.
func (l *loader) evalCtx(mi *modInst, d *decl) *hhcl.EvalContext {
	return l.refsCtx(mi, mi.mod.graph.refs[d])
}

// exprCtx builds the context of one expression of d from what that
// expression alone refers to: a module call's argument must not wait for
// what its other arguments need.
func (l *loader) exprCtx(mi *modInst, d *decl, e hhcl.Expression) *hhcl.EvalContext {
	g := mi.mod.graph
	refs, ok := g.exprRefs[e]
	if !ok {
		for _, t := range e.Variables() {
			if r, ok := l.classify(mi.mod, d, t); ok {
				refs = append(refs, r)
			}
		}
		refs = append(refs, l.indirectUses(mi.mod, e, nil)...)
		g.exprRefs[e] = refs
	}
	return l.refsCtx(mi, refs)
}

// refsCtx builds an evaluation context holding only the values refs name,
// so that building it costs what is used, not what the module holds.
func (l *loader) refsCtx(mi *modInst, refs []ref) *hhcl.EvalContext {
	vars := map[string]cty.Value{}
	nested := map[string]map[string]cty.Value{}
	put := func(root, name string, v cty.Value) {
		if nested[root] == nil {
			nested[root] = map[string]cty.Value{}
		}
		nested[root][name] = v
	}
	data := map[string]map[string]cty.Value{}
	// Outputs read from each module call; "" means all of them.
	outputs := map[string][]string{}
	for _, r := range refs {
		switch r.root {
		case "var":
			put("var", r.name, l.variable(mi, r.name))
		case "path":
			put("path", r.name, cty.StringVal(l.pathValue(mi, r.name)))
		case "terraform":
			put("terraform", "workspace", cty.StringVal(l.workspace()))
		case "count", "each":
			// Bound per instance.
		case "module":
			if !slices.Contains(outputs[r.name], r.attr) {
				outputs[r.name] = append(outputs[r.name], r.attr)
			}
		case "data":
			typ, name, _ := strings.Cut(r.name, ".")
			if data[typ] == nil {
				data[typ] = map[string]cty.Value{}
			}
			data[typ][name] = l.value(mi, r.key)
		default:
			put(r.root, r.name, l.value(mi, r.key))
		}
	}
	for name, attrs := range outputs {
		if slices.Contains(attrs, "") {
			attrs = nil
		}
		put("module", name, l.moduleValue(mi, mi.mod.byKey["module."+name], attrs))
	}
	for root, m := range nested {
		vars[root] = cty.ObjectVal(m)
	}
	if len(data) > 0 {
		dv := map[string]cty.Value{}
		for typ, m := range data {
			dv[typ] = cty.ObjectVal(m)
		}
		vars["data"] = cty.ObjectVal(dv)
	}
	return &hhcl.EvalContext{Variables: vars, Functions: l.funcs}
}

func (l *loader) value(mi *modInst, key string) cty.Value {
	d := mi.mod.byKey[key]
	if d == nil {
		return cty.DynamicVal
	}
	return l.get(mi, d)
}

// expandCall evaluates a module call's count or for_each and creates its
// module instances, the first time it is needed.
func (l *loader) expandCall(mi *modInst, d *decl) *callInst {
	ci := mi.calls[d]
	if ci == nil {
		ci = &callInst{}
		mi.calls[d] = ci
	}
	switch ci.state {
	case evaluated:
		return ci
	case evaluating:
		l.cycle(mi.path+d.key, d.rng)
		return ci
	}
	ci.state = evaluating
	l.stack = append(l.stack, frame{label: mi.path + d.key, rng: d.rng, mi: mi, d: d})
	var ctx *hhcl.EvalContext
	switch {
	case d.count != nil:
		ctx = l.exprCtx(mi, d, d.count)
	case d.forEach != nil:
		ctx = l.exprCtx(mi, d, d.forEach)
	}
	keys, ok := l.expand(mi, d, ctx)
	l.stack = l.stack[:len(l.stack)-1]
	// Each module instance evaluates the whole module again: modules
	// called with count inside modules called with count multiply.
	ok = ok && (d.child == nil || l.meter.charge(int64(len(keys))*int64(1+len(d.child.decls)), d.rng))
	ci.state, ci.keys, ci.ok = evaluated, keys, ok && d.child != nil
	if !ci.ok {
		mi.failed[d] = true
		return ci
	}
	for _, k := range keys {
		ci.kids = append(ci.kids, newModInst(d.child, mi.path+d.key+k.suffix()+".", mi, d, k))
	}
	return ci
}

// moduleValue is the value of a module call as references see it: an
// object of output values per instance (a tuple for count, an object by key
// for for_each). Only the outputs named are evaluated; nil names all.
func (l *loader) moduleValue(mi *modInst, d *decl, names []string) cty.Value {
	if d == nil {
		return cty.DynamicVal
	}
	ci := l.expandCall(mi, d)
	if !ci.ok {
		return cty.DynamicVal
	}
	vals := make([]cty.Value, 0, len(ci.kids))
	for _, kid := range ci.kids {
		outs := map[string]cty.Value{}
		for _, od := range d.child.decls {
			if od.kind == declOutput && (names == nil || slices.Contains(names, od.name)) {
				outs[od.name] = l.get(kid, od)
			}
		}
		for _, n := range names {
			if _, ok := outs[n]; !ok {
				outs[n] = cty.DynamicVal // reported by checkModuleOutputs
			}
		}
		vals = append(vals, cty.ObjectVal(outs))
	}
	return collectValue(d, ci.keys, vals)
}

// pathValue is path.module, path.root or path.cwd: relative to the root
// module's folder, which stands for Terraform's working directory.
func (l *loader) pathValue(mi *modInst, name string) string {
	switch name {
	case "module":
		return relPath(l.root, mi.mod.dir)
	default:
		return "."
	}
}

// workspace is terraform.workspace: TF_WORKSPACE when set, as Terraform
// reads it, else "default".
func (l *loader) workspace() string {
	if w := l.env["TF_WORKSPACE"]; w != "" {
		return w
	}
	return "default"
}

// relPath returns target relative to base, both slash-separated paths of the
// same file system.
func relPath(base, target string) string {
	split := func(p string) []string {
		if p == "." || p == "" {
			return nil
		}
		return strings.Split(p, "/")
	}
	b, t := split(base), split(target)
	i := 0
	for i < len(b) && i < len(t) && b[i] == t[i] {
		i++
	}
	var parts []string
	for range b[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, t[i:]...)
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

func (l *loader) evalDecl(mi *modInst, d *decl) {
	if d.kind == declModule {
		// Module calls are evaluated through expandCall, variable and
		// moduleValue.
		return
	}
	if d.kind != declResource && d.kind != declData && !l.meter.charge(d.cost(), d.rng) {
		return
	}
	ctx := l.evalCtx(mi, d)
	switch d.kind {
	case declLocal, declOutput:
		v, diags := d.expr.Value(ctx)
		l.addHCL(diags)
		mi.vals[d] = v
		mi.failed[d] = diags.HasErrors()
	case declProvider:
		if mi.path != "" {
			// Only the root module configures providers that vpcsim
			// reads; child modules inherit them.
			return
		}
		if d.region != nil {
			v, diags := d.region.Value(ctx)
			l.addHCL(diags)
			v, _ = v.UnmarkDeep()
			if v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
				l.providerRegion = v.AsString()
			}
		}
		if d.defaultTags != nil {
			v, diags := d.defaultTags.Value(ctx)
			l.addHCL(diags)
			v, _ = v.UnmarkDeep()
			if !diags.HasErrors() && !v.IsNull() {
				l.defaultTags = v
			}
		}
	case declResource, declData:
		l.evalResource(mi, d, ctx)
	}
}

// instKey is the key of one instance of a resource or module call.
type instKey struct {
	// mode is 0 without count or for_each, 'c' for count, 'f' for for_each.
	mode  byte
	index int
	key   string
	value cty.Value
}

// suffix is the instance key as addresses print it: [0], ["a"], or "".
func (k instKey) suffix() string {
	switch k.mode {
	case 'c':
		return fmt.Sprintf("[%d]", k.index)
	case 'f':
		return "[" + quoteKey(k.key) + "]"
	}
	return ""
}

// quoteKey quotes a for_each key the way Terraform prints instance
// addresses: an HCL string, with template sequences escaped.
func quoteKey(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"':
			b.WriteString(`\"`)
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && i+1 < len(s) && s[i+1] == '{':
			b.WriteRune(r)
			b.WriteRune(r)
		case r < 0x20:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// bind adds count.index or each.key and each.value to ctx.
func (k instKey) bind(ctx *hhcl.EvalContext) *hhcl.EvalContext {
	switch k.mode {
	case 'c':
		c := ctx.NewChild()
		c.Variables = map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(k.index))})}
		return c
	case 'f':
		c := ctx.NewChild()
		c.Variables = map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.StringVal(k.key), "value": k.value})}
		return c
	}
	return ctx
}

// expand evaluates count or for_each. ok is false when they cannot be
// evaluated: the declaration then has no instances and an unknown value.
func (l *loader) expand(mi *modInst, d *decl, ctx *hhcl.EvalContext) (keys []instKey, ok bool) {
	switch {
	case d.count != nil:
		v, diags := d.count.Value(ctx)
		l.addHCL(diags)
		if diags.HasErrors() {
			return nil, false
		}
		v, _ = v.UnmarkDeep()
		if !v.IsKnown() {
			if !mi.depFailed(d) {
				l.errorf(d.count.Range(), "%s: count is not known before apply (%s); vpcsim, like terraform plan, needs it known",
					mi.path+d.key, unknownReason(d.count, ctx))
			}
			return nil, false
		}
		if v.IsNull() {
			l.errorf(d.count.Range(), "%s: count must not be null", mi.path+d.key)
			return nil, false
		}
		nv, err := convert.Convert(v, cty.Number)
		if err != nil {
			l.errorf(d.count.Range(), "%s: count must be a whole number: %v", mi.path+d.key, err)
			return nil, false
		}
		n, acc := nv.AsBigFloat().Int64()
		if acc != big.Exact || n < 0 {
			l.errorf(d.count.Range(), "%s: count must be a whole number, 0 or more", mi.path+d.key)
			return nil, false
		}
		if n > int64(l.lim.MaxInstances) {
			l.errorf(d.count.Range(), "%s: count is %d; vpcsim evaluates at most %s instances of one block (--max-instances raises the limit)",
				mi.path+d.key, n, resource.Digits(int64(l.lim.MaxInstances)))
			return nil, false
		}
		keys = make([]instKey, n)
		for i := range keys {
			keys[i] = instKey{mode: 'c', index: i}
		}
		return keys, true
	case d.forEach != nil:
		v, diags := d.forEach.Value(ctx)
		l.addHCL(diags)
		if diags.HasErrors() {
			return nil, false
		}
		v, _ = v.UnmarkDeep()
		where := mi.path + d.key
		switch {
		case !v.IsKnown():
			if !mi.depFailed(d) {
				l.errorf(d.forEach.Range(), "%s: for_each is not known before apply (%s); vpcsim, like terraform plan, needs its keys known",
					where, unknownReason(d.forEach, ctx))
			}
			return nil, false
		case v.IsNull():
			l.errorf(d.forEach.Range(), "%s: for_each must not be null", where)
			return nil, false
		}
		ty := v.Type()
		if (ty.IsCollectionType() || ty.IsObjectType()) && v.LengthInt() > l.lim.MaxInstances {
			l.errorf(d.forEach.Range(), "%s: for_each has %d elements; vpcsim evaluates at most %s instances of one block (--max-instances raises the limit)",
				where, v.LengthInt(), resource.Digits(int64(l.lim.MaxInstances)))
			return nil, false
		}
		switch {
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, ev := it.Element()
				keys = append(keys, instKey{mode: 'f', key: k.AsString(), value: ev})
			}
		case ty.IsSetType():
			if !ty.ElementType().Equals(cty.String) && ty.ElementType() != cty.DynamicPseudoType {
				l.errorf(d.forEach.Range(), "%s: for_each takes a map or a set of strings; this is a set of %s", where, ty.ElementType().FriendlyName())
				return nil, false
			}
			for it := v.ElementIterator(); it.Next(); {
				_, ev := it.Element()
				if !ev.IsKnown() || ev.IsNull() {
					l.errorf(d.forEach.Range(), "%s: for_each set elements must be known strings", where)
					return nil, false
				}
				keys = append(keys, instKey{mode: 'f', key: ev.AsString(), value: ev})
			}
		default:
			l.errorf(d.forEach.Range(), "%s: for_each takes a map or a set of strings, not a %s; convert a list with toset()", where, ty.FriendlyName())
			return nil, false
		}
		return keys, true
	}
	return []instKey{{}}, true
}

// collect assembles the value of a resource or module call from its
// instance values: the object itself, a tuple for count, an object keyed by
// for_each key.
func collectValue(d *decl, keys []instKey, vals []cty.Value) cty.Value {
	switch {
	case d.count != nil:
		if len(vals) == 0 {
			return cty.EmptyTupleVal
		}
		return cty.TupleVal(vals)
	case d.forEach != nil:
		m := make(map[string]cty.Value, len(vals))
		for i, k := range keys {
			m[k.key] = vals[i]
		}
		return cty.ObjectVal(m)
	}
	if len(vals) == 0 {
		return cty.DynamicVal
	}
	return vals[0]
}

func (l *loader) evalResource(mi *modInst, d *decl, ctx *hhcl.EvalContext) {
	if d.kind == declData && l.dataValues != nil {
		l.dataAddrs[mi.path+d.key] = true
	}
	keys, ok := l.expand(mi, d, ctx)
	if !ok || !l.meter.charge(int64(len(keys))*d.cost(), d.rng) {
		mi.vals[d], mi.failed[d] = cty.DynamicVal, true
		return
	}
	vals := make([]cty.Value, 0, len(keys))
	insts := make([]resource.Instance, 0, len(keys))
	for _, k := range keys {
		addr := mi.path + d.key + k.suffix()
		ictx := k.bind(ctx)
		why := map[string]string{}
		obj, attrs, failed := l.evalBody(d.body, ictx, d.typ, "", why)
		if failed {
			mi.failed[d] = true
		}
		mode := "managed"
		if d.kind == declData {
			mode = "data"
			l.resolveData(mi, d, addr, obj, attrs)
		} else {
			l.fillComputed(d.typ, addr, obj, attrs)
		}
		l.fillWanted(mi, d, addr, obj, attrs)
		for name, v := range attrs {
			if _, ok := why[name]; !ok && resource.IsUnknown(v) && !slices.Contains(ownIDs, name) {
				why[name] = resource.NotConfigured
			}
		}
		// What the instance holds (its computed attributes too) is built
		// and kept for every instance.
		if !l.meter.charge(instanceSteps+int64(len(attrs)), d.rng) {
			mi.failed[d] = true
			break
		}
		vals = append(vals, cty.ObjectVal(obj))
		in := resource.Instance{Mode: mode, Type: d.typ, Address: addr, Attrs: attrs, Pos: l.pos(d.rng)}
		if len(why) > 0 {
			in.Unresolved = why
		}
		insts = append(insts, in)
	}
	mi.vals[d] = collectValue(d, keys, vals)
	mi.insts[d] = insts
}

// evalBody evaluates a resource body or nested block into its cty object
// (what references see) and its state-shaped attributes (what the mapper
// reads). failed is true when some expression reported an error.
//
// why receives, by attribute path (vpc_id, route.gateway_id), why a value is
// unknown, for the mapper's warnings; path is the prefix of b's attributes.
func (l *loader) evalBody(b *rbody, ctx *hhcl.EvalContext, typ, path string, why map[string]string) (obj map[string]cty.Value, attrs map[string]any, failed bool) {
	obj = make(map[string]cty.Value, len(b.attrs)+len(b.blocks))
	attrs = make(map[string]any, len(b.attrs)+len(b.blocks)+1)
	for _, a := range b.attrs {
		v, diags := a.Expr.Value(ctx)
		l.addHCL(diags)
		failed = failed || diags.HasErrors()
		v, _ = v.UnmarkDeep()
		if b.json && jsonBlock(typ, a.Name) && v.IsKnown() && !v.IsNull() && v.Type().IsObjectType() {
			// A single nested block written as a JSON object.
			v = cty.TupleVal([]cty.Value{v})
		}
		obj[a.Name] = v
		attrs[a.Name] = toAny(v)
		if !v.IsWhollyKnown() && !diags.HasErrors() {
			why[path+a.Name] = unknownReason(a.Expr, ctx)
		}
	}
	type group struct {
		vals    []cty.Value
		shapes  []any
		unknown bool
	}
	groups := map[string]*group{}
	var order []string
	for _, blk := range b.blocks {
		g := groups[blk.typ]
		if g == nil {
			g = &group{}
			groups[blk.typ] = g
			order = append(order, blk.typ)
		}
		if !blk.dynamic {
			o, s, f := l.evalBody(blk.body, ctx, typ, path+blk.typ+".", why)
			failed = failed || f
			s[resource.PosKey] = l.pos(blk.rng)
			g.vals, g.shapes = append(g.vals, cty.ObjectVal(o)), append(g.shapes, s)
			continue
		}
		fe, diags := blk.forEach.Value(ctx)
		l.addHCL(diags)
		if diags.HasErrors() {
			failed, g.unknown = true, true
			continue
		}
		fe, _ = fe.UnmarkDeep()
		switch {
		case !fe.IsKnown():
			l.diag(model.SeverityWarning, blk.forEach.Range(), "dynamic %q: for_each is known only after apply, so these blocks are unknown", blk.typ)
			g.unknown = true
			why[path+blk.typ] = "the for_each of its dynamic block is not known: " + unknownReason(blk.forEach, ctx)
			continue
		case fe.IsNull():
			l.errorf(blk.forEach.Range(), "dynamic %q: for_each must not be null", blk.typ)
			failed, g.unknown = true, true
			continue
		case !fe.CanIterateElements():
			l.errorf(blk.forEach.Range(), "dynamic %q: for_each must be a collection, not a %s", blk.typ, fe.Type().FriendlyName())
			failed, g.unknown = true, true
			continue
		}
		if !l.meter.charge(int64(fe.LengthInt())*bodyCount(blk.body), blk.forEach.Range()) {
			failed, g.unknown = true, true
			continue
		}
		for it := fe.ElementIterator(); it.Next(); {
			k, v := it.Element()
			c := ctx.NewChild()
			c.Variables = map[string]cty.Value{blk.iterator: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
			o, s, f := l.evalBody(blk.body, c, typ, path+blk.typ+".", why)
			failed = failed || f
			s[resource.PosKey] = l.pos(blk.rng)
			g.vals, g.shapes = append(g.vals, cty.ObjectVal(o)), append(g.shapes, s)
		}
	}
	for _, name := range order {
		g := groups[name]
		if g.unknown {
			obj[name], attrs[name] = cty.DynamicVal, resource.Unknown
			continue
		}
		if len(g.vals) == 0 {
			obj[name], attrs[name] = cty.EmptyTupleVal, []any{}
			continue
		}
		obj[name], attrs[name] = cty.TupleVal(g.vals), g.shapes
	}
	return obj, attrs, failed
}

// ownIDs are the attributes a resource's own symbolic IDs stand for: their
// being unknown needs no explanation.
var ownIDs = []string{"id", "arn"}

// unknownReason says why an expression's value is not known: the
// references it reads that are not known, or else that a function gives a
// value only during apply.
func unknownReason(e hhcl.Expression, ctx *hhcl.EvalContext) string {
	var deps, data []string
	for _, t := range e.Variables() {
		v, diags := t.TraverseAbs(ctx)
		if diags.HasErrors() || v.IsWhollyKnown() {
			continue
		}
		s := traversalString(t)
		if t.RootName() == "data" {
			if !slices.Contains(data, s) {
				data = append(data, s)
			}
		} else if !slices.Contains(deps, s) {
			deps = append(deps, s)
		}
	}
	var parts []string
	if len(deps) > 0 {
		parts = append(parts, "it depends on "+strings.Join(deps, ", ")+", known only after apply")
	}
	if len(data) > 0 {
		parts = append(parts, "it depends on "+strings.Join(data, ", ")+", which vpcsim cannot read without AWS (give it in the data values file)")
	}
	if len(parts) == 0 {
		return "its value is known only after apply"
	}
	return strings.Join(parts, "; ")
}

// traversalString prints a reference the way it is written.
func traversalString(t hhcl.Traversal) string {
	var b strings.Builder
	for _, step := range t {
		switch s := step.(type) {
		case hhcl.TraverseRoot:
			b.WriteString(s.Name)
		case hhcl.TraverseAttr:
			b.WriteString("." + s.Name)
		case hhcl.TraverseIndex:
			switch {
			case s.Key.Type() == cty.String:
				b.WriteString("[" + quoteKey(s.Key.AsString()) + "]")
			case s.Key.Type() == cty.Number:
				b.WriteString("[" + s.Key.AsBigFloat().Text('f', -1) + "]")
			default:
				b.WriteString("[…]")
			}
		case hhcl.TraverseSplat:
			b.WriteString("[*]")
		}
	}
	return b.String()
}

// toAny converts a cty value to the shape the AWS provider writes into
// state: string, bool, json.Number, nil, []any, map[string]any, and unknown
// for values not known until apply.
func toAny(v cty.Value) any {
	if v.IsMarked() {
		v, _ = v.UnmarkDeep()
	}
	if !v.IsKnown() {
		return resource.Unknown
	}
	if v.IsNull() {
		return nil
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		return v.AsString()
	case ty == cty.Bool:
		return v.True()
	case ty == cty.Number:
		return json.Number(v.AsBigFloat().Text('f', -1))
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		out := make([]any, 0, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, toAny(e))
		}
		return out
	case ty.IsMapType() || ty.IsObjectType():
		out := make(map[string]any, v.LengthInt())
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			out[k.AsString()] = toAny(e)
		}
		return out
	}
	return resource.Unknown
}

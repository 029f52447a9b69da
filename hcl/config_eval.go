package hcl

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/vpcsim/vpcsim/model"
)

// modInst is one instance of a module: the root, or one instance of a
// module call.
type modInst struct {
	mod *tfModule
	// path is the module address prefix of everything inside it:
	// "" for the root, "module.vpc.", "module.vpc[0].module.sub.".
	path string
	vars map[string]cty.Value
	vals map[*decl]cty.Value
	// failed marks declarations whose evaluation reported an error, so that
	// what depends on them does not report the same problem again.
	failed map[*decl]bool
	insts  map[*decl][]instance
	kids   map[*decl][]*modInst
}

// evalModule evaluates every declaration of m in dependency order.
func (l *loader) evalModule(m *tfModule, prefix string, vars map[string]cty.Value) *modInst {
	mi := &modInst{mod: m, path: prefix, vars: vars, vals: map[*decl]cty.Value{}, failed: map[*decl]bool{},
		insts: map[*decl][]instance{}, kids: map[*decl][]*modInst{}}
	for d := range m.graph.cyclic {
		mi.vals[d], mi.failed[d] = cty.DynamicVal, true
	}
	for _, d := range m.graph.order {
		l.evalDecl(mi, d)
	}
	return mi
}

// emit appends the instances of mi and of the modules it calls, in
// declaration order.
func (mi *modInst) emit(out []instance) []instance {
	for _, d := range mi.mod.decls {
		switch d.kind {
		case declResource, declData:
			out = append(out, mi.insts[d]...)
		case declModule:
			for _, k := range mi.kids[d] {
				out = k.emit(out)
			}
		}
	}
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

// evalCtx builds the evaluation context of d: only the values d refers to,
// so that building it costs what d uses, not what the module holds.
func (l *loader) evalCtx(mi *modInst, d *decl) *hhcl.EvalContext {
	vars := map[string]cty.Value{}
	nested := map[string]map[string]cty.Value{}
	put := func(root, name string, v cty.Value) {
		if nested[root] == nil {
			nested[root] = map[string]cty.Value{}
		}
		nested[root][name] = v
	}
	data := map[string]map[string]cty.Value{}
	for _, r := range mi.mod.graph.refs[d] {
		switch r.root {
		case "var":
			put("var", r.name, mi.vars[r.name])
		case "path":
			put("path", r.name, cty.StringVal(l.pathValue(mi, r.name)))
		case "terraform":
			put("terraform", "workspace", cty.StringVal(l.workspace()))
		case "count", "each":
			// Bound per instance.
		case "data":
			typ, name, _ := strings.Cut(r.name, ".")
			if data[typ] == nil {
				data[typ] = map[string]cty.Value{}
			}
			data[typ][name] = mi.value(r.key)
		default:
			put(r.root, r.name, mi.value(r.key))
		}
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

func (mi *modInst) value(key string) cty.Value {
	if v, ok := mi.vals[mi.mod.byKey[key]]; ok {
		return v
	}
	return cty.DynamicVal
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
	ctx := l.evalCtx(mi, d)
	switch d.kind {
	case declLocal, declOutput:
		v, diags := d.expr.Value(ctx)
		l.addHCL(diags)
		mi.vals[d] = v
		mi.failed[d] = diags.HasErrors()
	case declProvider:
		v, diags := d.region.Value(ctx)
		l.addHCL(diags)
		v, _ = v.UnmarkDeep()
		if mi.path == "" && v.IsKnown() && !v.IsNull() && v.Type() == cty.String {
			l.providerRegion = v.AsString()
		}
	case declResource, declData:
		l.evalResource(mi, d, ctx)
	case declModule:
		l.evalModuleCall(mi, d, ctx)
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
				l.errorf(d.count.Range(), "%scount depends on values known only after apply; vpcsim, like terraform plan, needs it known", mi.path+d.key+": ")
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
		if acc != big.Exact || n < 0 || n > 1<<20 {
			l.errorf(d.count.Range(), "%s: count must be a whole number between 0 and %d", mi.path+d.key, 1<<20)
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
				l.errorf(d.forEach.Range(), "%s: for_each depends on values known only after apply; vpcsim, like terraform plan, needs its keys known", where)
			}
			return nil, false
		case v.IsNull():
			l.errorf(d.forEach.Range(), "%s: for_each must not be null", where)
			return nil, false
		}
		ty := v.Type()
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
	keys, ok := l.expand(mi, d, ctx)
	if !ok {
		mi.vals[d], mi.failed[d] = cty.DynamicVal, true
		return
	}
	vals := make([]cty.Value, 0, len(keys))
	insts := make([]instance, 0, len(keys))
	for _, k := range keys {
		addr := mi.path + d.key + k.suffix()
		ictx := k.bind(ctx)
		obj, attrs, failed := l.evalBody(d.body, ictx, d.typ)
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
		vals = append(vals, cty.ObjectVal(obj))
		insts = append(insts, instance{Mode: mode, Type: d.typ, Address: addr, Attrs: attrs, Pos: l.pos(d.rng)})
	}
	mi.vals[d] = collectValue(d, keys, vals)
	mi.insts[d] = insts
}

// evalBody evaluates a resource body or nested block into its cty object
// (what references see) and its state-shaped attributes (what the mapper
// reads). failed is true when some expression reported an error.
func (l *loader) evalBody(b *rbody, ctx *hhcl.EvalContext, typ string) (obj map[string]cty.Value, attrs map[string]any, failed bool) {
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
			o, s, f := l.evalBody(blk.body, ctx, typ)
			failed = failed || f
			s[posKey] = l.pos(blk.rng)
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
		for it := fe.ElementIterator(); it.Next(); {
			k, v := it.Element()
			c := ctx.NewChild()
			c.Variables = map[string]cty.Value{blk.iterator: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
			o, s, f := l.evalBody(blk.body, c, typ)
			failed = failed || f
			s[posKey] = l.pos(blk.rng)
			g.vals, g.shapes = append(g.vals, cty.ObjectVal(o)), append(g.shapes, s)
		}
	}
	for _, name := range order {
		g := groups[name]
		if g.unknown {
			obj[name], attrs[name] = cty.DynamicVal, unknown
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

func (l *loader) evalModuleCall(mi *modInst, d *decl, ctx *hhcl.EvalContext) {
	keys, ok := l.expand(mi, d, ctx)
	if !ok || d.child == nil {
		mi.vals[d], mi.failed[d] = cty.DynamicVal, true
		return
	}
	vals := make([]cty.Value, 0, len(keys))
	for _, k := range keys {
		ictx := k.bind(ctx)
		given := map[string]varValue{}
		for _, a := range d.body.attrs {
			v, diags := a.Expr.Value(ictx)
			l.addHCL(diags)
			if diags.HasErrors() {
				mi.failed[d] = true
			}
			given[a.Name] = varValue{val: v, rng: a.Expr.Range(), from: "module " + d.name}
		}
		prefix := mi.path + d.key + k.suffix() + "."
		vars := l.assignVars(d.child, given, prefix, d.rng)
		kid := l.evalModule(d.child, prefix, vars)
		mi.kids[d] = append(mi.kids[d], kid)
		outs := map[string]cty.Value{}
		for _, od := range d.child.decls {
			if od.kind == declOutput {
				v, ok := kid.vals[od]
				if !ok {
					v = cty.DynamicVal
				}
				outs[od.name] = v
			}
		}
		vals = append(vals, cty.ObjectVal(outs))
	}
	mi.vals[d] = collectValue(d, keys, vals)
}

// toAny converts a cty value to the shape the AWS provider writes into
// state: string, bool, json.Number, nil, []any, map[string]any, and unknown
// for values not known until apply.
func toAny(v cty.Value) any {
	if v.IsMarked() {
		v, _ = v.UnmarkDeep()
	}
	if !v.IsKnown() {
		return unknown
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
	return unknown
}

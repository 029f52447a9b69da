package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	ctyjson "github.com/zclconf/go-cty/cty/json"

	"github.com/vpcsim/vpcsim/internal/nesting"
	"github.com/vpcsim/vpcsim/model"
)

// varValue is a value given for a variable, with where it came from.
type varValue struct {
	val cty.Value
	// rng is the value's position in a .tfvars file or the module call;
	// empty for the environment and the command line.
	rng hhcl.Range
	// from names the source for messages: "TF_VAR_region",
	// "--var region=…", or the file.
	from string
}

// convertVar applies v's optional-attribute defaults and converts val to
// v's type constraint.
func convertVar(v *tfVariable, val cty.Value) (cty.Value, error) {
	if v.defaults != nil {
		val = v.defaults.Apply(val)
	}
	out, err := convert.Convert(val, v.typ)
	if err != nil {
		return cty.NilVal, fmt.Errorf("%s", convertMessage(err))
	}
	return out, nil
}

// convertMessage spells out cty's conversion errors, which name a path
// inside the value when there is one.
func convertMessage(err error) string {
	if pe, ok := err.(cty.PathError); ok && len(pe.Path) > 0 {
		var b strings.Builder
		for _, s := range pe.Path {
			switch s := s.(type) {
			case cty.GetAttrStep:
				fmt.Fprintf(&b, ".%s", s.Name)
			case cty.IndexStep:
				if s.Key.Type() == cty.String {
					fmt.Fprintf(&b, "[%q]", s.Key.AsString())
				} else if s.Key.Type() == cty.Number {
					fmt.Fprintf(&b, "[%s]", s.Key.AsBigFloat().Text('f', -1))
				}
			}
		}
		return fmt.Sprintf("at %s: %v", strings.TrimPrefix(b.String(), "."), pe.Error())
	}
	return err.Error()
}

// rootVariables gathers the root module's variable values from every
// source, later sources overriding earlier ones in Terraform's documented
// order: the default, TF_VAR_name, terraform.tfvars, terraform.tfvars.json,
// *.auto.tfvars and *.auto.tfvars.json in lexical order of their names,
// then --var and --var-file in command-line order.
func (l *loader) rootVariables(m *tfModule) map[string]cty.Value {
	given := map[string]varValue{}
	for _, name := range m.varOrder {
		if raw, ok := l.env["TF_VAR_"+name]; ok {
			from := "TF_VAR_" + name
			if v, ok := l.parseRaw(m.variables[name], raw, from); ok {
				given[name] = varValue{val: v, from: from}
			}
		}
	}
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		if _, err := fs.Stat(l.fsys, path.Join(l.root, n)); err == nil {
			files = append(files, n)
		}
	}
	entries, _ := fs.ReadDir(l.fsys, l.root)
	var auto []string
	for _, e := range entries {
		if n := e.Name(); !e.IsDir() && (strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json")) {
			auto = append(auto, n)
		}
	}
	slices.Sort(auto)
	for _, n := range append(files, auto...) {
		l.readVarFile(m, given, path.Join(l.root, n), nil)
	}
	for _, cv := range l.opts.Vars {
		if cv.File != "" {
			if _, err := os.Stat(cv.File); err != nil {
				l.add(model.Diagnostic{Severity: model.SeverityError, Message: fmt.Sprintf("cannot read --var-file: %v", err)})
				continue
			}
			l.readVarFile(m, given, cv.File, &cv.File)
			continue
		}
		from := "--var " + cv.Name
		v := m.variables[cv.Name]
		if v == nil {
			l.add(model.Diagnostic{Severity: model.SeverityError,
				Message: fmt.Sprintf("--var %s: the root module declares no variable %q%s", cv.Name, cv.Name, suggest(cv.Name, m.varOrder))})
			continue
		}
		if val, ok := l.parseRaw(v, cv.Value, from); ok {
			given[cv.Name] = varValue{val: val, from: from}
		}
	}
	return l.assignVars(m, given)
}

// parseRaw reads a value given as a string on the command line or in the
// environment: a literal string for primitive types, an HCL expression for
// the others, as Terraform does.
func (l *loader) parseRaw(v *tfVariable, raw, from string) (cty.Value, bool) {
	if !v.parseHCL {
		if len(raw) > l.lim.MaxStringSize {
			l.add(model.Diagnostic{Severity: model.SeverityError, Message: fmt.Sprintf("%s: invalid value for variable %q: %s", from, v.name, l.tooLong(len(raw)))})
			return cty.NilVal, false
		}
		return cty.StringVal(raw), true
	}
	if _, problem := nesting.HCL([]byte(raw), from, hhcl.InitialPos, false, maxNesting); problem != "" {
		l.add(model.Diagnostic{Severity: model.SeverityError,
			Message: fmt.Sprintf("%s: invalid value for variable %q: %s", from, v.name, problem)})
		return cty.NilVal, false
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), from, hhcl.InitialPos)
	if !diags.HasErrors() {
		l.instrument(expr)
		var val cty.Value
		val, diags = expr.Value(nil)
		if !diags.HasErrors() {
			return val, true
		}
	}
	l.add(model.Diagnostic{Severity: model.SeverityError,
		Message: fmt.Sprintf("%s: invalid value for variable %q: %s", from, v.name, lowerFirst(strings.TrimSuffix(diags[0].Detail, ".")))})
	return cty.NilVal, false
}

// readVarFile reads a .tfvars or .tfvars.json file into given: name in the
// loaded file system, or osPath of the operating system (--var-file).
// Terraform warns about values for undeclared variables in files, and so do
// we.
func (l *loader) readVarFile(m *tfModule, given map[string]varValue, name string, osPath *string) {
	errs := len(l.diags)
	f := l.parseSource(name, osPath)
	if f == nil || f.Body == nil || l.diags[errs:].HasErrors() {
		return
	}
	attrs, diags := f.Body.JustAttributes()
	l.addHCL(diags)
	for _, a := range sortedAttrs(attrs) {
		if m.variables[a.Name] == nil {
			l.diag(model.SeverityWarning, a.NameRange, "value for undeclared variable %q%s", a.Name, suggest(a.Name, m.varOrder))
			continue
		}
		val, diags := a.Expr.Value(nil)
		l.addHCL(diags)
		if !diags.HasErrors() {
			given[a.Name] = varValue{val: val, rng: a.Expr.Range(), from: l.display(name)}
		}
	}
}

// assignVars decides the value of every variable of the root module.
func (l *loader) assignVars(m *tfModule, given map[string]varValue) map[string]cty.Value {
	out := make(map[string]cty.Value, len(m.varOrder))
	for _, name := range m.varOrder {
		var g *varValue
		if v, ok := given[name]; ok {
			g = &v
		}
		out[name] = l.assignVar(m.variables[name], g, true, hhcl.Range{})
	}
	return out
}

// assignVar decides the value of variable v from the value given (nil when
// none), its default and its type constraint. call is the module call's
// position (empty for the root).
func (l *loader) assignVar(v *tfVariable, g *varValue, root bool, call hhcl.Range) cty.Value {
	if g != nil && g.val.IsNull() && !v.nullable {
		g = nil
	}
	if g == nil {
		if v.def != cty.NilVal {
			return v.def
		}
		if root {
			l.errorf(v.rng, "no value for required variable %q: set it with --var, a .tfvars file or TF_VAR_%s", v.name, v.name)
		}
		// A module call that leaves a variable unset was reported by
		// checkInputs.
		return cty.UnknownVal(v.typ)
	}
	val, err := convertVar(v, g.val)
	if err == nil {
		return val
	}
	r := g.rng
	if r.Filename == "" {
		r = call
	}
	if r.Filename == "" {
		l.add(model.Diagnostic{Severity: model.SeverityError, Message: fmt.Sprintf("%s: invalid value for variable %q: %v", g.from, v.name, err)})
	} else {
		l.errorf(r, "invalid value for variable %q: %v", v.name, err)
	}
	return cty.UnknownVal(v.typ)
}

// readDataValues reads the data values file: one JSON object whose keys are
// data source addresses (data.aws_vpc.shared, module.net.data.aws_subnet.a,
// data.aws_subnet.x["a"]) and whose values are objects of attribute values.
// A key without an instance key applies to every instance.
func (l *loader) readDataValues() {
	if l.opts.DataValues == "" {
		return
	}
	src, err := l.readLimited(nil, l.opts.DataValues, readData)
	if err != nil {
		l.add(model.Diagnostic{Severity: model.SeverityError, Pos: model.Pos{File: l.opts.DataValues, Line: 1, Col: 1},
			Message: fmt.Sprintf("cannot read the data values file: %v", err)})
		return
	}
	if !l.checkJSONNesting(src, l.opts.DataValues) {
		return
	}
	ty, err := ctyjson.ImpliedType(src)
	if err == nil && !ty.IsObjectType() {
		err = fmt.Errorf("it must be a JSON object keyed by data source address")
	}
	var val cty.Value
	if err == nil {
		val, err = ctyjson.Unmarshal(src, ty)
	}
	if err != nil {
		l.add(model.Diagnostic{Severity: model.SeverityError, Pos: model.Pos{File: l.opts.DataValues},
			Message: fmt.Sprintf("invalid data values file: %v", err)})
		return
	}
	l.dataValues, l.dataAddrs = map[string]cty.Value{}, map[string]bool{}
	for k, v := range val.AsValueMap() {
		if !strings.HasPrefix(k, "data.") && !strings.Contains(k, ".data.") {
			l.add(model.Diagnostic{Severity: model.SeverityError, Pos: model.Pos{File: l.opts.DataValues},
				Message: fmt.Sprintf("invalid data values file: key %q is not a data source address (data.TYPE.NAME)", k)})
			continue
		}
		if !v.Type().IsObjectType() {
			l.add(model.Diagnostic{Severity: model.SeverityError, Pos: model.Pos{File: l.opts.DataValues},
				Message: fmt.Sprintf("invalid data values file: the value of %q must be an object of attributes", k)})
			continue
		}
		l.dataValues[k] = v
	}
}

// checkDataValues refuses the keys of the data values file that name no
// data source of the configuration: a misspelt key would otherwise leave the
// data source unknown without a word.
func (l *loader) checkDataValues() {
	if len(l.dataValues) == 0 {
		return
	}
	known := slices.Sorted(maps.Keys(l.dataAddrs))
	for _, k := range slices.Sorted(maps.Keys(l.dataValues)) {
		if l.dataAddrs[k] {
			continue
		}
		why := "no data source of the configuration has this address"
		if len(known) == 0 {
			why = "the configuration has no data source"
		}
		l.add(model.Diagnostic{Severity: model.SeverityError, Pos: jsonKeyPos(l.opts.DataValues, k),
			Message: fmt.Sprintf("data values file: key %q: %s%s", k, why, suggest(k, known))})
	}
}

// jsonKeyPos is the position of key k in the JSON file at path, or the
// file's when it cannot be found.
func jsonKeyPos(path, k string) model.Pos {
	pos := model.Pos{File: path}
	src, err := os.ReadFile(path)
	if err != nil {
		return pos
	}
	q, _ := json.Marshal(k)
	i := bytes.Index(src, q)
	if i < 0 {
		return pos
	}
	pos.Line = 1 + bytes.Count(src[:i], []byte{'\n'})
	pos.Col = i - bytes.LastIndexByte(src[:i], '\n')
	return pos
}

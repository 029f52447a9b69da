package config

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// Options configure an evaluation.
type Options struct {
	// Region and AccountID are what --region and --account say; empty when
	// not given.
	Region, AccountID string
	// Vars are the --var and --var-file options in command-line order,
	// which is their order of precedence (the last one wins).
	Vars []Var
	// Env is the environment searched for TF_VAR_name; nil means
	// os.Environ().
	Env []string
	// DataValues is a JSON file giving the values of data sources; "" means
	// none.
	DataValues string
	// Display turns a path of the loaded file system into the name
	// diagnostics and positions show; nil shows the path unchanged.
	Display func(string) string
	// Limits bound the evaluation's work; zero fields take the defaults.
	Limits Limits
}

// Var is one --var name=value (File empty) or --var-file path (File set).
type Var struct {
	Name, Value string
	File        string
}

// loader holds the state of one configuration load.
type loader struct {
	fsys fs.FS
	// root is the root module's folder in fsys.
	root string
	opts *Options
	// parser is kept for the whole load so that every file stays available
	// for diagnostics.
	parser *hclparse.Parser
	diags  model.Diagnostics
	seen   map[model.Diagnostic]bool
	// modules caches parsed modules by folder: a module called several
	// times is parsed and analysed once.
	modules  map[string]*tfModule
	manifest func() map[string]manifestEntry
	funcs    map[string]function.Function
	// providerRegion is the region of the root module's default AWS
	// provider, when it is known.
	providerRegion string
	// defaultTags are the default AWS provider's default_tags, merged into
	// every resource's tags_all; cty.NilVal when there are none.
	defaultTags cty.Value
	dataValues  map[string]cty.Value
	// dataAddrs are the addresses of the data sources evaluated, by
	// resource and by instance: the keys the data values file may use.
	dataAddrs map[string]bool
	// stack is what is being evaluated, innermost last, for reporting
	// cycles.
	stack []frame
	env   map[string]string
	// lim are the limits of this load, meter its work so far.
	lim   Limits
	meter *meter
	// read counts the bytes of the configuration's source read.
	read int64
	// templates caches the templates templatefile reads, by path.
	templates map[string]*parsedTemplate
}

// manifestEntry is one module of .terraform/modules/modules.json.
type manifestEntry struct {
	Key    string `json:"Key"`
	Source string `json:"Source"`
	Dir    string `json:"Dir"`
}

// Result is what evaluating a configuration gives: the resource
// instances in declaration order, and the region the configuration assumes.
type Result struct {
	Instances []resource.Instance
	// Region is the default AWS provider's region, when it is known.
	Region      string
	Diagnostics model.Diagnostics
	// Steps is the evaluation work done, counted as Limits.MaxSteps
	// counts it.
	Steps int64
}

// Evaluate parses and evaluates the root module in folder dir of fsys and
// every module it calls.
func Evaluate(fsys fs.FS, dir string, o *Options) *Result {
	l := &loader{fsys: fsys, root: path.Clean(dir), opts: o, parser: hclparse.NewParser(),
		seen: map[model.Diagnostic]bool{}, modules: map[string]*tfModule{}}
	l.env = envMap(l.opts.Env)
	l.lim = o.Limits.withDefaults()
	l.meter = &meter{l: l, max: l.lim.MaxSteps}
	l.manifest = onceManifest(l)
	l.funcs = l.functions()
	l.meterFunctions(l.funcs)
	res := &Result{}
	defer func() { res.Diagnostics, res.Steps = sortByPosition(l.diags), l.meter.used }()
	if !fs.ValidPath(l.root) {
		l.errorf(hhcl.Range{}, "invalid folder name %q", dir)
		return res
	}
	root := l.loadTree(l.root, "", nil)
	l.readDataValues()
	vars := l.rootVariables(root)
	if l.diags.HasErrors() {
		// Like Terraform, evaluate nothing of a configuration that is
		// invalid as written: the errors would only repeat.
		return res
	}
	mi := newModInst(root, "", nil, nil, instKey{})
	mi.vars = vars
	l.evalAll(mi)
	if l.meter.over {
		// What was evaluated before the budget ran out is a fragment of
		// the configuration: mapping it would only take more time.
		return res
	}
	l.checkDataValues()
	res.Instances = mi.emit(nil)
	res.Region = l.region()
	return res
}

// loadTree parses the module in dir and, recursively, the modules it calls.
// keyPath is the module's key in the manifest; ancestors are the folders of
// the calling modules, to stop a module that calls itself.
func (l *loader) loadTree(dir, keyPath string, ancestors []string) *tfModule {
	if m, ok := l.modules[dir]; ok {
		return m
	}
	m := l.parseModule(dir)
	l.modules[dir] = m
	l.analyze(m)
	l.checkFunctions(m)
	for _, d := range m.decls {
		if d.kind != declModule || d.source == "" {
			continue
		}
		kp := moduleKeyPath(keyPath, d.name)
		childDir, err := l.resolveSource(m, d, kp)
		if err != nil {
			l.errorf(d.sourceRange, "%v", err)
			continue
		}
		if childDir == dir || contains(ancestors, childDir) {
			l.errorf(d.sourceRange, "module %q calls %s, which is already being loaded: modules cannot call themselves", d.name, l.display(childDir))
			continue
		}
		if len(ancestors)+1 >= maxModuleDepth {
			l.errorf(d.sourceRange, "module %q: modules nested more than %d levels deep; vpcsim does not read deeper", d.name, maxModuleDepth)
			continue
		}
		if _, err := fs.Stat(l.fsys, childDir); err != nil {
			l.errorf(d.sourceRange, "module %q: folder %s does not exist", d.name, l.display(childDir))
			continue
		}
		d.child = l.loadTree(childDir, kp, append(ancestors, dir))
		l.checkInputs(d)
	}
	l.checkModuleOutputs(m)
	return m
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkInputs reports module call arguments that name no variable of the
// called module, and required variables the call does not set.
func (l *loader) checkInputs(d *decl) {
	set := map[string]bool{}
	for _, a := range d.body.attrs {
		set[a.Name] = true
		if d.child.variables[a.Name] == nil {
			l.errorf(a.NameRange, "module %q has no variable %q%s", d.name, a.Name, suggest(a.Name, d.child.varOrder))
		}
	}
	for _, n := range d.child.varOrder {
		if v := d.child.variables[n]; !set[n] && v.def == cty.NilVal {
			l.errorf(d.rng, "module %q: the required variable %q is not set", d.name, n)
		}
	}
}

func onceManifest(l *loader) func() map[string]manifestEntry {
	var m map[string]manifestEntry
	return func() map[string]manifestEntry {
		if m != nil {
			return m
		}
		m = map[string]manifestEntry{}
		name := path.Join(l.root, ".terraform", "modules", "modules.json")
		src, err := l.readLimited(l.fsys, name, readSource)
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				l.errorf(hhcl.Range{Filename: name}, "cannot read the module manifest: %v", err)
			}
			return m
		}
		if !l.checkJSONNesting(src, name) {
			return m
		}
		var doc struct{ Modules []manifestEntry }
		if err := json.Unmarshal(src, &doc); err != nil {
			l.errorf(hhcl.Range{Filename: name}, "cannot read the module manifest: %v", err)
			return m
		}
		for _, e := range doc.Modules {
			m[e.Key] = e
		}
		return m
	}
}

// region is the region the configuration is evaluated for: --region, else
// the default AWS provider's.
func (l *loader) region() string {
	if l.opts.Region != "" {
		return l.opts.Region
	}
	return l.providerRegion
}

func envMap(env []string) map[string]string {
	if env == nil {
		env = os.Environ()
	}
	m := map[string]string{}
	for _, kv := range env {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// display is the name under which a path of the loaded file system appears
// in diagnostics.
func (l *loader) display(name string) string {
	if l.opts.Display != nil {
		return l.opts.Display(name)
	}
	return name
}

// pos converts an HCL range to a model position.
func (l *loader) pos(r hhcl.Range) model.Pos {
	if r.Filename == "" {
		return model.Pos{}
	}
	return model.Pos{File: l.display(r.Filename), Line: r.Start.Line, Col: r.Start.Column}
}

func (l *loader) add(d model.Diagnostic) {
	if l.seen[d] || (l.meter != nil && l.meter.over) {
		// Once the budget is spent, evaluation stops, and what it would
		// report is the consequence of stopping.
		return
	}
	l.seen[d] = true
	l.diags = append(l.diags, d)
}

func (l *loader) diag(sev model.Severity, r hhcl.Range, format string, args ...any) {
	l.add(model.Diagnostic{Severity: sev, Pos: l.pos(r), Message: fmt.Sprintf(format, args...)})
}

func (l *loader) errorf(r hhcl.Range, format string, args ...any) {
	l.diag(model.SeverityError, r, format, args...)
}

// elemDiag reports a problem of one element (a resource instance).
func (l *loader) elemDiag(sev model.Severity, r hhcl.Range, elem, format string, args ...any) {
	l.add(model.Diagnostic{Severity: sev, Pos: l.pos(r), Element: elem, Message: fmt.Sprintf(format, args...)})
}

// addHCL converts HCL's diagnostics, rewording the ones vpcsim has its own
// message for.
func (l *loader) addHCL(ds hhcl.Diagnostics) {
	for _, d := range ds {
		sev := model.SeverityError
		if d.Severity == hhcl.DiagWarning {
			sev = model.SeverityWarning
		}
		var r hhcl.Range
		switch {
		case d.Subject != nil:
			r = *d.Subject
		case d.Context != nil:
			r = *d.Context
		}
		if d.Summary == "Call to unknown function" {
			if fc, ok := d.Expression.(*hclsyntax.FunctionCallExpr); ok {
				l.unknownFunction(fc.Name, r)
				continue
			}
		}
		msg := lowerFirst(d.Summary)
		if detail := strings.TrimSuffix(strings.TrimSpace(d.Detail), "."); detail != "" {
			msg += ": " + lowerFirst(detail)
		}
		l.add(model.Diagnostic{Severity: sev, Pos: l.pos(r), Message: msg})
	}
}

// sortByPosition orders diagnostics like a compiler's output: those
// without a position (about flags and options) first, then by file, line
// and column; the order of discovery breaks ties.
func sortByPosition(ds model.Diagnostics) model.Diagnostics {
	slices.SortStableFunc(ds, func(a, b model.Diagnostic) int {
		if c := strings.Compare(a.Pos.File, b.Pos.File); c != 0 {
			return c
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	return ds
}

// lowerFirst lower-cases the first letter of s unless it starts an acronym
// or a name (the second letter is upper-case too).
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || !unicode.IsUpper(r) {
		return s
	}
	if r2, _ := utf8.DecodeRuneInString(s[n:]); unicode.IsUpper(r2) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

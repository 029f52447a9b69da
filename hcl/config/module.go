package config

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpcsim/vpcsim/model"
)

// tfModule is one Terraform module (a folder of .tf and .tf.json files) as
// declared, before evaluation. A module called several times (count,
// for_each, or from several places) is parsed once and evaluated once per
// instance.
type tfModule struct {
	// dir is the module's folder in the loaded file system.
	dir string
	// decls lists every evaluable declaration in source order (files in
	// lexical order, blocks in file order); the evaluator emits instances in
	// this order so that output does not depend on map iteration.
	decls     []*decl
	byKey     map[string]*decl
	variables map[string]*tfVariable
	varOrder  []string
	// graph is the module's static dependency analysis (see buildGraph).
	graph *modGraph
}

// declKind says what a declaration is.
type declKind uint8

const (
	declLocal declKind = iota + 1
	declResource
	declData
	declModule
	declOutput
	declProvider
)

// decl is one node of a module's dependency graph: a local value, a resource
// or data block, a module call, an output or the default AWS provider.
type decl struct {
	kind declKind
	// key names the node the way references do: local.x, aws_vpc.main,
	// data.aws_region.current, module.vpc, output.x, provider.aws.
	key string
	// typ and name are the resource type and name (resources and data);
	// name alone for the others.
	typ, name string
	// rng is the declaration's header, where diagnostics about it point.
	rng hhcl.Range
	// expr is the value of a local or an output.
	expr hhcl.Expression
	// count and forEach are the meta-arguments of resources, data and
	// module calls; nil when absent. dependsOn is depends_on, whose
	// references are checked and ordered like any other.
	count, forEach, dependsOn hhcl.Expression
	// body holds the arguments and nested blocks of a resource or data
	// block, or the inputs of a module call.
	body *rbody
	// source, sourceRange and child describe a module call; child is nil
	// when the source could not be resolved.
	source      string
	sourceRange hhcl.Range
	child       *tfModule
	// region and defaultTags are the default AWS provider's region
	// argument and default_tags.tags; nil when absent.
	region, defaultTags hhcl.Expression
	// weight is what one evaluation of the declaration costs (see cost);
	// 0 until first needed.
	weight int64
}

// cost is the number of syntax nodes one evaluation of d evaluates: of a
// resource or data block, one instance.
func (d *decl) cost() int64 {
	if d.weight == 0 {
		d.weight = 1
		for _, e := range []hhcl.Expression{d.expr, d.count, d.forEach, d.region, d.defaultTags} {
			if e != nil {
				d.weight += nodeCount(e)
			}
		}
		if d.body != nil && d.kind != declModule {
			d.weight += bodyCount(d.body)
		}
	}
	return d.weight
}

// tfVariable is a variable block.
type tfVariable struct {
	name     string
	rng      hhcl.Range
	typ      cty.Type
	defaults *typeexpr.Defaults
	// def is the default value; cty.NilVal when there is none, which makes
	// the variable required.
	def      cty.Value
	nullable bool
	// parseHCL is true when a value given as a string on the command line
	// or in the environment is an HCL expression rather than a literal
	// string: Terraform does so for every type that is not primitive.
	parseHCL bool
}

// rbody is a resource body or nested block reduced to what evaluation needs:
// its arguments and its nested blocks (static and dynamic), in source order.
type rbody struct {
	attrs  []*hhcl.Attribute
	blocks []*rblock
	// json marks a body from a .tf.json file: nested blocks are then
	// indistinguishable from object-valued arguments.
	json bool
}

// rblock is a nested block (ingress, route, network_interface…).
type rblock struct {
	typ  string
	rng  hhcl.Range
	body *rbody
	// dynamic blocks generate one block per element of forEach, binding
	// iterator (the block type unless an iterator argument renames it);
	// body is then the content block and rng its position.
	dynamic  bool
	forEach  hhcl.Expression
	iterator string
	dynRange hhcl.Range
}

var (
	fileSchema = &hhcl.BodySchema{Blocks: []hhcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "ephemeral", LabelNames: []string{"type", "name"}},
		{Type: "moved"},
		{Type: "import"},
		{Type: "removed"},
		{Type: "check", LabelNames: []string{"name"}},
	}}
	variableSchema = &hhcl.BodySchema{
		Attributes: []hhcl.AttributeSchema{{Name: "type"}, {Name: "default"}, {Name: "description"},
			{Name: "sensitive"}, {Name: "nullable"}, {Name: "ephemeral"}},
		Blocks: []hhcl.BlockHeaderSchema{{Type: "validation"}},
	}
	outputSchema = &hhcl.BodySchema{
		Attributes: []hhcl.AttributeSchema{{Name: "value", Required: true}, {Name: "description"},
			{Name: "sensitive"}, {Name: "depends_on"}, {Name: "ephemeral"}},
		Blocks: []hhcl.BlockHeaderSchema{{Type: "precondition"}},
	}
	moduleCallSchema = &hhcl.BodySchema{
		Attributes: []hhcl.AttributeSchema{{Name: "source", Required: true}, {Name: "version"},
			{Name: "count"}, {Name: "for_each"}, {Name: "providers"}, {Name: "depends_on"}},
	}
	resourceMetaSchema = &hhcl.BodySchema{
		Attributes: []hhcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}, {Name: "provider"}, {Name: "depends_on"}},
		Blocks:     []hhcl.BlockHeaderSchema{{Type: "lifecycle"}, {Type: "connection"}, {Type: "provisioner", LabelNames: []string{"type"}}},
	}
	providerSchema = &hhcl.BodySchema{Attributes: []hhcl.AttributeSchema{{Name: "alias"}, {Name: "region"}},
		Blocks: []hhcl.BlockHeaderSchema{{Type: "default_tags"}}}
	defaultTagsSchema = &hhcl.BodySchema{Attributes: []hhcl.AttributeSchema{{Name: "tags"}}}
	dynamicSchema     = &hhcl.BodySchema{
		Attributes: []hhcl.AttributeSchema{{Name: "for_each", Required: true}, {Name: "iterator"}, {Name: "labels"}},
		Blocks:     []hhcl.BlockHeaderSchema{{Type: "content"}},
	}
)

// resourceMeta are the names a resource body reserves for Terraform; they
// never reach the instance's attributes.
var resourceMeta = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true,
	"lifecycle": true, "connection": true, "provisioner": true}

// ignoredFile reports whether Terraform skips a file name: hidden files and
// editor backups.
func ignoredFile(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") ||
		(strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"))
}

// parseModule reads the .tf and .tf.json files of dir and collects its
// declarations. Problems are appended to l.diags; the module is returned
// even when some blocks could not be read.
func (l *loader) parseModule(dir string) *tfModule {
	m := &tfModule{dir: dir, byKey: map[string]*decl{}, variables: map[string]*tfVariable{}}
	entries, err := fs.ReadDir(l.fsys, dir)
	if err != nil {
		l.errorf(hhcl.Range{}, "cannot read module folder %s: %v", l.display(dir), err)
		return m
	}
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() || ignoredFile(n) || !(strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")) {
			continue
		}
		names = append(names, n)
	}
	slices.Sort(names) // ReadDir sorts already; the order is part of the contract
	if len(names) == 0 {
		l.diag(model.SeverityError, hhcl.Range{Filename: dir}, "no .tf or .tf.json files in %s", l.display(dir))
		return m
	}
	for _, n := range names {
		stem := strings.TrimSuffix(strings.TrimSuffix(n, ".json"), ".tf")
		if stem == "override" || strings.HasSuffix(stem, "_override") {
			l.diag(model.SeverityWarning, hhcl.Range{Filename: path.Join(dir, n)},
				"override files are not supported: %s is ignored, so the loaded network may differ from Terraform's", n)
			continue
		}
		l.parseFile(m, path.Join(dir, n))
	}
	return m
}

func (l *loader) parseFile(m *tfModule, name string) {
	f := l.parseSource(name, nil)
	if f == nil || f.Body == nil {
		return
	}
	content, diags := f.Body.Content(fileSchema)
	l.addHCL(diags)
	for _, b := range content.Blocks {
		switch b.Type {
		case "terraform":
			// Backend, required_providers and version constraints do not
			// change the network.
		case "provider":
			l.parseProvider(m, b)
		case "variable":
			l.parseVariable(m, b)
		case "locals":
			attrs, diags := b.Body.JustAttributes()
			l.addHCL(diags)
			for _, a := range sortedAttrs(attrs) {
				l.addDecl(m, &decl{kind: declLocal, key: "local." + a.Name, name: a.Name, rng: a.NameRange, expr: l.syntaxOf(a.Expr)})
			}
		case "output":
			c, diags := b.Body.Content(outputSchema)
			l.addHCL(diags)
			if a := c.Attributes["value"]; a != nil {
				l.addDecl(m, &decl{kind: declOutput, key: "output." + b.Labels[0], name: b.Labels[0], rng: b.DefRange, expr: l.syntaxOf(a.Expr),
					dependsOn: attrExpr(c, "depends_on")})
			}
		case "module":
			l.parseModuleCall(m, b)
		case "resource", "data":
			l.parseResource(m, b)
		case "ephemeral", "moved", "import", "removed", "check":
			l.diag(model.SeverityNote, b.DefRange, "%s blocks do not change the network and are ignored", b.Type)
		}
	}
}

func (l *loader) addDecl(m *tfModule, d *decl) {
	if prev, ok := m.byKey[d.key]; ok {
		l.errorf(d.rng, "duplicate declaration of %s; it was first declared at %s", d.key, l.pos(prev.rng))
		return
	}
	m.byKey[d.key] = d
	m.decls = append(m.decls, d)
}

func (l *loader) parseProvider(m *tfModule, b *hhcl.Block) {
	c, _, diags := b.Body.PartialContent(providerSchema)
	l.addHCL(diags)
	if b.Labels[0] != "aws" || c.Attributes["alias"] != nil {
		// Aliased providers configure resources that name them; vpcsim
		// models one region per network and takes it, and the default tags,
		// from the default provider only.
		return
	}
	d := &decl{kind: declProvider, key: "provider.aws", name: "aws", rng: b.DefRange, region: l.syntaxOf(attrExpr(c, "region"))}
	for _, blk := range c.Blocks {
		dc, diags := blk.Body.Content(defaultTagsSchema)
		l.addHCL(diags)
		d.defaultTags = l.syntaxOf(attrExpr(dc, "tags"))
	}
	if d.region != nil || d.defaultTags != nil {
		l.addDecl(m, d)
	}
}

func (l *loader) parseVariable(m *tfModule, b *hhcl.Block) {
	name := b.Labels[0]
	c, diags := b.Body.Content(variableSchema)
	l.addHCL(diags)
	if !hclsyntax.ValidIdentifier(name) {
		l.errorf(b.LabelRanges[0], "invalid variable name %q", name)
		return
	}
	if _, dup := m.variables[name]; dup {
		l.errorf(b.DefRange, "duplicate variable %q; it was first declared at %s", name, l.pos(m.variables[name].rng))
		return
	}
	v := &tfVariable{name: name, rng: b.DefRange, typ: cty.DynamicPseudoType, nullable: true}
	if a := c.Attributes["type"]; a != nil {
		// Like Terraform: a string given for a variable is a literal when
		// the variable has no type or a primitive one, an HCL expression
		// otherwise (any included).
		switch hhcl.ExprAsKeyword(a.Expr) {
		case "list":
			// Terraform's shorthands for list(any) and map(any).
			v.typ, v.parseHCL = cty.List(cty.DynamicPseudoType), true
		case "map":
			v.typ, v.parseHCL = cty.Map(cty.DynamicPseudoType), true
		default:
			ty, defs, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
			l.addHCL(diags)
			if !diags.HasErrors() {
				v.typ, v.defaults = ty, defs
				v.parseHCL = !ty.IsPrimitiveType()
			}
		}
	}
	if a := c.Attributes["nullable"]; a != nil {
		val, diags := a.Expr.Value(nil)
		l.addHCL(diags)
		if !diags.HasErrors() && val.Type() == cty.Bool && val.IsKnown() && !val.IsNull() {
			v.nullable = val.True()
		}
	}
	if a := c.Attributes["default"]; a != nil {
		val, diags := a.Expr.Value(nil)
		l.addHCL(diags)
		if !diags.HasErrors() {
			conv, err := convertVar(v, val)
			if err != nil {
				l.errorf(a.Expr.Range(), "invalid default value for variable %q: %v", name, err)
			} else {
				v.def = conv
			}
		}
	}
	m.variables[name] = v
	m.varOrder = append(m.varOrder, name)
}

func (l *loader) parseModuleCall(m *tfModule, b *hhcl.Block) {
	name := b.Labels[0]
	c, remain, diags := b.Body.PartialContent(moduleCallSchema)
	l.addHCL(diags)
	d := &decl{kind: declModule, key: "module." + name, name: name, rng: b.DefRange}
	if a := c.Attributes["source"]; a != nil {
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || v.Type() != cty.String || v.IsNull() {
			l.errorf(a.Expr.Range(), "module %q: source must be a literal string", name)
		} else {
			d.source, d.sourceRange = v.AsString(), a.Expr.Range()
		}
	}
	d.count, d.forEach, d.dependsOn = l.syntaxOf(attrExpr(c, "count")), l.syntaxOf(attrExpr(c, "for_each")), attrExpr(c, "depends_on")
	if d.count != nil && d.forEach != nil {
		l.errorf(d.count.Range(), "module %q sets both count and for_each; only one is allowed", name)
		d.forEach = nil
	}
	if a := c.Attributes["providers"]; a != nil {
		l.diag(model.SeverityWarning, a.NameRange, "module %q: provider mappings are ignored; every resource is placed in the network's region", name)
	}
	attrs, diags := remain.JustAttributes()
	l.addHCL(diags)
	d.body = &rbody{attrs: l.syntaxAttrs(sortedAttrs(attrs))}
	l.addDecl(m, d)
}

func (l *loader) parseResource(m *tfModule, b *hhcl.Block) {
	typ, name := b.Labels[0], b.Labels[1]
	c, _, diags := b.Body.PartialContent(resourceMetaSchema)
	l.addHCL(diags)
	d := &decl{kind: declResource, key: typ + "." + name, typ: typ, name: name, rng: b.DefRange}
	if b.Type == "data" {
		d.kind, d.key = declData, "data."+d.key
	}
	d.count, d.forEach, d.dependsOn = l.syntaxOf(attrExpr(c, "count")), l.syntaxOf(attrExpr(c, "for_each")), attrExpr(c, "depends_on")
	if d.count != nil && d.forEach != nil {
		l.errorf(d.count.Range(), "%s sets both count and for_each; only one is allowed", d.key)
		d.forEach = nil
	}
	d.body = l.readBody(b.Body, true, typ)
	l.addDecl(m, d)
}

// readBody reduces a resource body (top is true) or nested block body to an
// rbody. Native syntax keeps blocks apart from arguments; JSON cannot, so its
// object-valued arguments stand for nested blocks (see blockShape).
func (l *loader) readBody(body hhcl.Body, top bool, typ string) *rbody {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		rb := &rbody{json: true}
		if top {
			_, remain, diags := body.PartialContent(resourceMetaSchema)
			l.addHCL(diags)
			body = remain
		}
		attrs, diags := body.JustAttributes()
		l.addHCL(diags)
		for _, a := range sortedAttrs(attrs) {
			if a.Name == "dynamic" {
				l.diag(model.SeverityWarning, a.NameRange, "dynamic blocks in .tf.json files are not expanded; write them in native syntax")
				continue
			}
			rb.attrs = append(rb.attrs, a)
		}
		rb.attrs = l.syntaxAttrs(rb.attrs)
		return rb
	}
	rb := &rbody{}
	native := make(map[string]*hhcl.Attribute, len(sb.Attributes))
	for n, a := range sb.Attributes {
		native[n] = a.AsHCLAttribute()
	}
	for _, a := range sortedAttrs(native) {
		if top && resourceMeta[a.Name] {
			continue
		}
		rb.attrs = append(rb.attrs, a)
	}
	for _, blk := range sb.Blocks {
		if top && resourceMeta[blk.Type] {
			continue
		}
		if blk.Type != "dynamic" {
			rb.blocks = append(rb.blocks, &rblock{typ: blk.Type, rng: blk.DefRange(), body: l.readBody(blk.Body, false, typ)})
			continue
		}
		if len(blk.Labels) != 1 {
			l.errorf(blk.DefRange(), "a dynamic block needs exactly one label: the type of block it generates")
			continue
		}
		c, diags := blk.Body.Content(dynamicSchema)
		l.addHCL(diags)
		if diags.HasErrors() {
			continue
		}
		if len(c.Blocks) != 1 {
			l.errorf(blk.DefRange(), "dynamic %q needs exactly one content block", blk.Labels[0])
			continue
		}
		rbk := &rblock{typ: blk.Labels[0], dynamic: true, dynRange: blk.DefRange(), iterator: blk.Labels[0],
			forEach: c.Attributes["for_each"].Expr, rng: c.Blocks[0].DefRange, body: l.readBody(c.Blocks[0].Body, false, typ)}
		if a := c.Attributes["iterator"]; a != nil {
			t, diags := hhcl.AbsTraversalForExpr(a.Expr)
			if diags.HasErrors() || len(t) != 1 {
				l.errorf(a.Expr.Range(), "iterator must be a single name")
				continue
			}
			rbk.iterator = t.RootName()
		}
		rb.blocks = append(rb.blocks, rbk)
	}
	return rb
}

func attrExpr(c *hhcl.BodyContent, name string) hhcl.Expression {
	if a := c.Attributes[name]; a != nil {
		return a.Expr
	}
	return nil
}

// sortedAttrs returns attributes in source order: hcl.Attributes is a map.
func sortedAttrs(attrs map[string]*hhcl.Attribute) []*hhcl.Attribute {
	out := make([]*hhcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *hhcl.Attribute) int {
		if a.Range.Filename != b.Range.Filename {
			return strings.Compare(a.Range.Filename, b.Range.Filename)
		}
		if a.Range.Start.Byte != b.Range.Start.Byte {
			return a.Range.Start.Byte - b.Range.Start.Byte
		}
		return strings.Compare(a.Name, b.Name)
	})
	return out
}

// moduleKeyPath is the manifest key of a module call: the call names from
// the root joined by dots, without instance keys.
func moduleKeyPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// resolveSource finds the folder of a module call: a local path relative to
// the calling module, else the folder terraform init recorded in
// .terraform/modules/modules.json.
func (l *loader) resolveSource(parent *tfModule, d *decl, keyPath string) (string, error) {
	src := d.source
	if strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".." {
		dir := path.Join(parent.dir, src)
		if !fs.ValidPath(dir) {
			return "", fmt.Errorf("module %q: source %q is outside the loaded folder %s", d.name, src, l.display(l.root))
		}
		return dir, nil
	}
	if e, ok := l.manifest()[keyPath]; ok {
		return path.Join(l.root, e.Dir), nil
	}
	where := ""
	if dir := l.display(l.root); dir != "." && dir != "" {
		where = " in " + dir
	}
	return "", fmt.Errorf("module %q: source %q is not installed; run terraform init%s so that it is downloaded into .terraform/modules", d.name, src, where)
}

// parseSource reads, checks and parses a .tf, .tf.json, .tfvars or
// .tfvars.json file: of the loaded file system, or of the operating system
// when osPath is set (--var-file). A file too large, or nested too deeply to
// parse, is reported and nil returned; a native file's syntax tree is
// instrumented for metered evaluation.
func (l *loader) parseSource(name string, osPath *string) *hhcl.File {
	fsys, display := l.fsys, l.display(name)
	if osPath != nil {
		fsys, name, display = nil, *osPath, *osPath
	}
	src, err := l.readLimited(fsys, name, readSource)
	if err != nil {
		l.errorf(hhcl.Range{Filename: name, Start: hhcl.InitialPos, End: hhcl.InitialPos}, "cannot read %s: %v", display, unwrapPath(err))
		return nil
	}
	var f *hhcl.File
	var diags hhcl.Diagnostics
	if strings.HasSuffix(name, ".json") {
		if !l.checkJSONNesting(src, name) {
			return nil
		}
		f, diags = l.parser.ParseJSON(src, name)
	} else {
		if !l.checkNesting(src, name, false) {
			return nil
		}
		f, diags = l.parser.ParseHCL(src, name)
		if f != nil {
			if body, ok := f.Body.(*hclsyntax.Body); ok {
				l.instrument(body)
			}
		}
	}
	l.addHCL(diags)
	return f
}

// syntaxAttrs turns the expressions of .tf.json attributes into native
// syntax trees (see syntaxOf).
func (l *loader) syntaxAttrs(attrs []*hhcl.Attribute) []*hhcl.Attribute {
	for i, a := range attrs {
		if _, native := a.Expr.(hclsyntax.Expression); !native {
			c := *a
			c.Expr = l.syntaxOf(a.Expr)
			attrs[i] = &c
		}
	}
	return attrs
}

// unwrapPath drops the path from an error that names the file already
// named.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

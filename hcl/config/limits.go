package config

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/internal/nesting"
)

// Limits bound the work of one evaluation, so that a configuration written
// (or mistyped) to make vpcsim run for ever or exhaust memory is refused
// within seconds, with an error at the place that went over and the flag that
// raises the limit. A zero field takes its default. docs/limits.md explains
// each.
type Limits struct {
	// MaxSteps bounds evaluation work. Each evaluation of an expression
	// counts its nodes (a resource body once per instance, a for
	// expression's body once per element, a module's declarations once per
	// module instance); a function call counts its arguments' and its
	// result's elements; every 64 bytes of a string a template or function
	// builds count one.
	MaxSteps int64
	// MaxStringSize bounds one string, in bytes: a literal, a template's
	// part, a function's argument or result, a file a function reads.
	MaxStringSize int
	// MaxConfigSize bounds the configuration's source, in bytes: its .tf,
	// .tf.json and .tfvars files (of every module), --var-file, the module
	// manifest and the templates templatefile reads, together. HCL takes
	// about half a second a megabyte to parse.
	MaxConfigSize int64
	// MaxInputSize bounds the data values file, in bytes.
	MaxInputSize int64
	// MaxInstances bounds the instances of one resource, data source or
	// module call (count, for_each).
	MaxInstances int
}

// Defaults of Limits.
const (
	DefaultMaxSteps      = 2_000_000
	DefaultMaxStringSize = 16 << 20
	DefaultMaxConfigSize = 16_000_000
	DefaultMaxInputSize  = 150_000_000
	DefaultMaxInstances  = 10_000
)

// Fixed limits: no real configuration comes near them, and going over them
// would crash the parser or the evaluator rather than only take long.
const (
	// maxNesting bounds how deeply an expression nests (brackets,
	// templates, chained operators and indexes): the parser and the
	// evaluator recurse once per level.
	maxNesting = nesting.Max
	// maxModuleDepth bounds module calls within module calls.
	maxModuleDepth = 32
)

// withDefaults fills the zero fields of lim.
func (lim Limits) withDefaults() Limits {
	if lim.MaxSteps <= 0 {
		lim.MaxSteps = DefaultMaxSteps
	}
	if lim.MaxStringSize <= 0 {
		lim.MaxStringSize = DefaultMaxStringSize
	}
	if lim.MaxConfigSize <= 0 {
		lim.MaxConfigSize = DefaultMaxConfigSize
	}
	if lim.MaxInputSize <= 0 {
		lim.MaxInputSize = DefaultMaxInputSize
	}
	if lim.MaxInstances <= 0 {
		lim.MaxInstances = DefaultMaxInstances
	}
	return lim
}

// bytesPerStep is how many bytes of string one evaluation step pays for.
const bytesPerStep = 64

// instanceSteps is what building one resource instance costs besides its
// body's nodes and its attributes: filling its computed attributes and
// converting its values cost about as much as evaluating a few dozen nodes
// (a resource instance takes about 60 µs, a node about 1 µs).
const instanceSteps = 32

// meter counts the evaluation's steps against its budget. Once the budget is
// spent, evaluation stops: every metered node and function returns an
// unknown value at once, so that loops end without iterating, and the error
// says where the budget ran out.
type meter struct {
	l    *loader
	max  int64
	used int64
	over bool
	// at is the innermost metered expression or declaration being
	// evaluated: where an overrun is reported.
	at hhcl.Range
}

// charge adds n steps at rng; it reports false when the budget is spent.
func (m *meter) charge(n int64, rng hhcl.Range) bool {
	if m.over {
		return false
	}
	m.used += n
	if m.used <= m.max {
		return true
	}
	if rng.Filename == "" {
		rng = m.at
	}
	defer func() { m.over = true }()
	m.l.errorf(rng, "evaluation stopped here: the configuration takes more than %s evaluation steps "+
		"(for expressions over large collections, nested or multiplied by count, for_each and modules, or very long strings); "+
		"if it is a real configuration, --max-eval-steps raises the limit", resource.Digits(m.max))
	return false
}

// enter makes rng where an overrun is reported until the returned function
// restores the previous place.
func (m *meter) enter(rng hhcl.Range) func() {
	prev := m.at
	m.at = rng
	return func() { m.at = prev }
}

// stringSteps is what a string of n bytes costs.
func stringSteps(n int) int64 { return int64(n / bytesPerStep) }

// size is the shallow size of a value in steps: its number of elements, or
// its length for a string.
func size(v cty.Value) int64 {
	if !v.IsKnown() || v.IsNull() {
		return 0
	}
	v, _ = v.Unmark()
	ty := v.Type()
	switch {
	case ty == cty.String:
		return stringSteps(len(v.AsString()))
	case ty.IsCollectionType() || ty.IsTupleType() || ty.IsObjectType():
		return int64(v.LengthInt())
	}
	return 0
}

// tooLong reports a string longer than the limit.
func (l *loader) tooLong(n int) string {
	return fmt.Sprintf("a string of %s bytes is longer than the %s bytes vpcsim accepts (--max-string-size raises the limit)",
		resource.Digits(int64(n)), resource.Digits(int64(l.lim.MaxStringSize)))
}

// nodeCount is the number of syntax nodes of e, what one evaluation of it
// costs.
func nodeCount(e hhcl.Expression) int64 {
	se, ok := e.(hclsyntax.Expression)
	if !ok {
		return 1
	}
	var n int64
	hclsyntax.VisitAll(se, func(hclsyntax.Node) hhcl.Diagnostics {
		n++
		return nil
	})
	return n
}

// bodyCount is the number of syntax nodes of a resource body or nested
// block, dynamic blocks' content counted once.
func bodyCount(b *rbody) int64 {
	var n int64 = 1
	for _, a := range b.attrs {
		n += nodeCount(a.Expr)
	}
	for _, blk := range b.blocks {
		if blk.dynamic {
			n += nodeCount(blk.forEach)
			continue
		}
		n += bodyCount(blk.body)
	}
	return n
}

// metered wraps an expression of the syntax tree to charge the meter for
// what evaluating it costs. It embeds a ParenthesesExpr so that walks of the
// tree (references, functions called) still see the expression it wraps.
type metered struct {
	*hclsyntax.ParenthesesExpr
	l *loader
	// weight is what each element of a collection costs (a for
	// expression's or splat's body); 0 for a template part, which is
	// charged for its length.
	weight int64
	// owner is the for expression or splat the collection feeds, where an
	// overrun is reported.
	owner hhcl.Range
}

func (e *metered) Value(ctx *hhcl.EvalContext) (cty.Value, hhcl.Diagnostics) {
	m := e.l.meter
	if m.over {
		return cty.DynamicVal, nil
	}
	defer m.enter(e.owner)()
	v, diags := e.Expression.Value(ctx)
	if e.weight == 0 {
		// A template part: its string is copied into the template's.
		if s, _ := v.Unmark(); s.IsKnown() && !s.IsNull() && s.Type() == cty.String {
			if n := len(s.AsString()); n > e.l.lim.MaxStringSize {
				return cty.DynamicVal, append(diags, &hhcl.Diagnostic{Severity: hhcl.DiagError,
					Summary: "String too long", Detail: e.l.tooLong(n), Subject: e.Range().Ptr()})
			}
		}
		if !m.charge(1+size(v), e.owner) {
			return cty.DynamicVal, diags
		}
		return v, diags
	}
	if !m.charge(1+size(v)*e.weight, e.owner) {
		return cty.DynamicVal, diags
	}
	return v, diags
}

// plain returns the expression a metered one wraps.
func plain(e hclsyntax.Expression) hclsyntax.Expression {
	if m, ok := e.(*metered); ok {
		return m.Expression
	}
	return e
}

// instrument prepares a syntax tree for metered evaluation: the collection of
// every for expression and splat, and every part of every template, is
// wrapped to charge the meter; string literals longer than the limit are
// reported. It runs once per parsed file, after the declarations were
// analysed.
func (l *loader) instrument(n hclsyntax.Node) {
	wrap := func(e hclsyntax.Expression, weight int64, owner hhcl.Range) hclsyntax.Expression {
		if _, done := e.(*metered); done {
			return e
		}
		return &metered{ParenthesesExpr: &hclsyntax.ParenthesesExpr{Expression: e, SrcRange: e.Range()}, l: l, weight: weight, owner: owner}
	}
	hclsyntax.VisitAll(n, func(n hclsyntax.Node) hhcl.Diagnostics {
		switch x := n.(type) {
		case *hclsyntax.ForExpr:
			w := int64(1)
			for _, b := range []hclsyntax.Expression{x.KeyExpr, x.ValExpr, x.CondExpr} {
				if b != nil {
					w += nodeCount(b)
				}
			}
			x.CollExpr = wrap(x.CollExpr, w, x.SrcRange)
		case *hclsyntax.SplatExpr:
			x.Source = wrap(x.Source, 1+nodeCount(x.Each), x.SrcRange)
		case *hclsyntax.TemplateExpr:
			for i, p := range x.Parts {
				if _, lit := p.(*hclsyntax.LiteralValueExpr); !lit {
					x.Parts[i] = wrap(p, 0, p.Range())
				}
			}
		case *hclsyntax.LiteralValueExpr:
			if x.Val.Type() == cty.String && !x.Val.IsNull() {
				if n := len(x.Val.AsString()); n > l.lim.MaxStringSize {
					l.errorf(x.SrcRange, "%s", l.tooLong(n))
					x.Val = cty.UnknownVal(cty.String)
				}
			}
		}
		return nil
	})
}

// meterFunctions wraps every function to charge the meter for its
// arguments and its result, and to refuse beforehand the calls whose result
// would be far larger than their arguments.
func (l *loader) meterFunctions(funcs map[string]function.Function) {
	for name, f := range funcs {
		funcs[name] = l.meterFunction(name, f)
	}
}

func (l *loader) meterFunction(name string, f function.Function) function.Function {
	return function.New(&function.Spec{
		Description: f.Description(),
		Params:      f.Params(),
		VarParam:    f.VarParam(),
		Type:        f.ReturnTypeForValues,
		Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
			m := l.meter
			if m.over {
				return cty.UnknownVal(ret), nil
			}
			cost := int64(1)
			for _, a := range args {
				if a.Type().IsCapsuleType() {
					continue // an expression try or can evaluates, metered itself
				}
				cost += size(a)
				if s, _ := a.Unmark(); s.Type() == cty.String && s.IsKnown() && !s.IsNull() && len(s.AsString()) > l.lim.MaxStringSize {
					return cty.UnknownVal(ret), fmt.Errorf("%s", l.tooLong(len(s.AsString())))
				}
			}
			pre, err := l.precharge(name, args)
			if err != nil {
				return cty.UnknownVal(ret), err
			}
			if !m.charge(cost+pre, hhcl.Range{}) {
				return cty.UnknownVal(ret), nil
			}
			v, err := f.Call(args)
			if err != nil {
				return v, err
			}
			if s, _ := v.Unmark(); s.Type() == cty.String && s.IsKnown() && !s.IsNull() && len(s.AsString()) > l.lim.MaxStringSize {
				return cty.UnknownVal(ret), fmt.Errorf("%s", l.tooLong(len(s.AsString())))
			}
			if !m.charge(size(v), hhcl.Range{}) {
				return cty.UnknownVal(ret), nil
			}
			return v, nil
		},
	})
}

// precharge is the cost, known before the call, of the functions whose
// result can be far larger than their arguments: charged first, it stops a
// call that would exhaust memory before it starts.
func (l *loader) precharge(name string, args []cty.Value) (int64, error) {
	known := func(v cty.Value) bool { v, _ = v.Unmark(); return v.IsWhollyKnown() && !v.IsNull() }
	for _, a := range args {
		if !known(a) {
			return 0, nil // the function returns an unknown value without work
		}
	}
	length := func(v cty.Value) int64 {
		v, _ = v.Unmark()
		if v.CanIterateElements() {
			return int64(v.LengthInt())
		}
		return 1
	}
	str := func(v cty.Value) string {
		v, _ = v.Unmark()
		if v.Type() == cty.String {
			return v.AsString()
		}
		return ""
	}
	maxStr := int64(l.lim.MaxStringSize)
	switch name {
	case "setproduct":
		// The product of the lengths: 100 elements in each of four sets
		// make 100 million.
		p := int64(1)
		for _, a := range args {
			p *= max(length(a), 1)
			if p > l.lim.MaxSteps {
				return p, nil
			}
		}
		return p, nil
	case "format", "formatlist":
		// A width or precision pads the result: format("%999999999d", 1).
		if len(args) > 0 {
			if w := largestWidth(str(args[0])); w > maxStr {
				return 0, fmt.Errorf("a width or precision of %s in the format would build a string longer than the %s bytes vpcsim accepts (--max-string-size raises the limit)",
					resource.Digits(w), resource.Digits(maxStr))
			}
		}
		if name == "formatlist" {
			var n int64
			for _, a := range args[1:] {
				if v, _ := a.Unmark(); v.Type().IsListType() || v.Type().IsTupleType() || v.Type().IsSetType() {
					n = max(n, length(a))
				}
			}
			return n * max(1, stringSteps(len(str(args[0])))), nil
		}
	case "indent":
		// indent(n, s) adds n spaces to every line of s.
		if len(args) == 2 {
			if v, _ := args[0].Unmark(); v.Type() == cty.Number {
				n, _ := v.AsBigFloat().Int64()
				lines := int64(strings.Count(str(args[1]), "\n"))
				if n > 0 && n*lines > maxStr {
					return 0, fmt.Errorf("indenting %s lines by %s spaces would build a string longer than the %s bytes vpcsim accepts (--max-string-size raises the limit)",
						resource.Digits(lines), resource.Digits(n), resource.Digits(maxStr))
				}
				return stringSteps(int(n * lines)), nil
			}
		}
	case "join":
		// The separator is repeated between every two elements.
		if len(args) >= 2 {
			var n int64
			for _, a := range args[1:] {
				n += length(a)
			}
			if total := n * int64(len(str(args[0]))); total > maxStr {
				return 0, fmt.Errorf("joining %s elements with a separator of %s bytes would build a string longer than the %s bytes vpcsim accepts (--max-string-size raises the limit)",
					resource.Digits(n), resource.Digits(int64(len(str(args[0])))), resource.Digits(maxStr))
			}
		}
	}
	return 0, nil
}

// largestWidth returns the largest width or precision written in a format
// string's verbs (%10s, %.3f, %-08d); 0 when there is none.
func largestWidth(format string) int64 {
	var best int64
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		for i++; i < len(format); i++ {
			c := format[i]
			if c >= '0' && c <= '9' {
				var n int64
				for ; i < len(format) && format[i] >= '0' && format[i] <= '9'; i++ {
					if n < 1<<40 {
						n = n*10 + int64(format[i]-'0')
					}
				}
				best = max(best, n)
				i--
				continue
			}
			if c == '-' || c == '+' || c == '#' || c == ' ' || c == '.' {
				continue
			}
			break
		}
	}
	return best
}

// What a file read is, for its limit.
type readKind uint8

const (
	// readSource is a file of the configuration's source: .tf, .tf.json,
	// .tfvars, --var-file, the module manifest, a template. They count
	// together against MaxConfigSize.
	readSource readKind = iota
	// readData is the data values file, bounded by MaxInputSize.
	readData
	// readString is a file a function reads into a string (file,
	// filebase64), bounded by MaxStringSize.
	readString
)

// readLimited reads a file of the loaded file system (fsys non-nil) or of
// the operating system, and fails as soon as it has read more than its
// limit allows.
func (l *loader) readLimited(fsys fs.FS, name string, kind readKind) ([]byte, error) {
	limit, flag := l.lim.MaxConfigSize-l.read, "--max-config-size"
	switch kind {
	case readData:
		limit, flag = l.lim.MaxInputSize, "--max-input-size"
	case readString:
		limit, flag = int64(l.lim.MaxStringSize), "--max-string-size"
	}
	var f io.ReadCloser
	var err error
	if fsys != nil {
		f, err = fsys.Open(name)
	} else {
		f, err = os.Open(name)
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, max(limit, 0)+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		if kind == readSource {
			return nil, fmt.Errorf("with it, the configuration's files add up to more than the %s bytes vpcsim reads as Terraform configuration (%s raises the limit)",
				resource.Digits(l.lim.MaxConfigSize), flag)
		}
		return nil, fmt.Errorf("it is larger than the %s bytes vpcsim reads from it (%s raises the limit)", resource.Digits(limit), flag)
	}
	if kind == readSource {
		l.read += int64(len(b))
	}
	return b, nil
}

package config

import (
	"bytes"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpcsim/vpcsim/internal/nesting"
)

// checkNesting reports source that nests too deeply to parse, or is not
// UTF-8 (see nesting.HCL).
func (l *loader) checkNesting(src []byte, name string, template bool) bool {
	if rng, problem := nesting.HCL(src, name, hhcl.InitialPos, template, maxNesting); problem != "" {
		l.errorf(rng, "%s", problem)
		return false
	}
	return true
}

// checkJSONNesting reports a JSON file nested too deeply to parse.
func (l *loader) checkJSONNesting(src []byte, name string) bool {
	off, deep := nesting.JSON(src, maxNesting)
	if !deep {
		return true
	}
	line := bytes.Count(src[:off], []byte{'\n'}) + 1
	col := off - bytes.LastIndexByte(src[:off], '\n')
	pos := hhcl.Pos{Line: line, Column: col, Byte: off}
	l.errorf(hhcl.Range{Filename: name, Start: pos, End: pos}, "JSON nested more than %d levels deep: vpcsim does not read it", maxNesting)
	return false
}

// syntaxOf returns a .tf.json expression as the native syntax tree it stands
// for — arrays as tuples, objects as objects with template keys, strings as
// templates — so that it is evaluated and metered like native syntax (HCL's
// JSON expressions parse a string's template anew at every evaluation, out
// of the meter's reach). A native expression is returned as it is.
func (l *loader) syntaxOf(e hhcl.Expression) hhcl.Expression {
	if e == nil {
		return nil
	}
	if _, native := e.(hclsyntax.Expression); native {
		return e
	}
	out := l.jsonSyntax(e)
	l.instrument(out)
	return out
}

func (l *loader) jsonSyntax(e hhcl.Expression) hclsyntax.Expression {
	rng := e.Range()
	if x, ok := e.(interface{ ExprList() []hhcl.Expression }); ok {
		if items := x.ExprList(); items != nil {
			t := &hclsyntax.TupleConsExpr{SrcRange: rng, OpenRange: rng}
			for _, it := range items {
				t.Exprs = append(t.Exprs, l.jsonSyntax(it))
			}
			return t
		}
	}
	if x, ok := e.(interface{ ExprMap() []hhcl.KeyValuePair }); ok {
		if items := x.ExprMap(); items != nil {
			o := &hclsyntax.ObjectConsExpr{SrcRange: rng, OpenRange: rng}
			for _, kv := range items {
				o.Items = append(o.Items, hclsyntax.ObjectConsItem{
					KeyExpr:   &hclsyntax.ObjectConsKeyExpr{Wrapped: l.jsonSyntax(kv.Key), ForceNonLiteral: true},
					ValueExpr: l.jsonSyntax(kv.Value),
				})
			}
			return o
		}
	}
	v, _ := e.Value(nil) // a JSON leaf: its literal value
	if v.Type() != cty.String || v.IsNull() {
		return &hclsyntax.LiteralValueExpr{Val: v, SrcRange: rng}
	}
	src := v.AsString()
	if len(src) > l.lim.MaxStringSize {
		l.errorf(rng, "%s", l.tooLong(len(src)))
		return &hclsyntax.LiteralValueExpr{Val: cty.UnknownVal(cty.String), SrcRange: rng}
	}
	// As HCL's JSON reader does: the template starts after the opening
	// quote (escapes make later columns approximate).
	start := hhcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + 1, Byte: rng.Start.Byte + 1}
	if at, problem := nesting.HCL([]byte(src), rng.Filename, start, true, maxNesting); problem != "" {
		l.errorf(at, "%s", problem)
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: rng}
	}
	t, diags := hclsyntax.ParseTemplate([]byte(src), rng.Filename, start)
	if diags.HasErrors() {
		l.addHCL(diags)
		return &hclsyntax.LiteralValueExpr{Val: cty.DynamicVal, SrcRange: rng}
	}
	return t
}

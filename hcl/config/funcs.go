package config

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash"
	"io/fs"
	"math/big"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"

	"github.com/vpcsim/vpcsim/internal/nesting"
)

// functions returns the functions a configuration may call: Terraform's
// built-in functions that vpcsim implements, by Terraform's names. The
// file functions read the loaded file system, relative to the root module,
// which stands for Terraform's working directory.
func (l *loader) functions() map[string]function.Function {
	f := map[string]function.Function{
		// Numeric.
		"abs": stdlib.AbsoluteFunc, "ceil": stdlib.CeilFunc, "floor": stdlib.FloorFunc, "log": stdlib.LogFunc,
		"max": stdlib.MaxFunc, "min": stdlib.MinFunc, "parseint": stdlib.ParseIntFunc, "pow": stdlib.PowFunc,
		"signum": stdlib.SignumFunc,
		// String.
		"chomp": stdlib.ChompFunc, "format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
		"indent": stdlib.IndentFunc, "join": stdlib.JoinFunc, "lower": stdlib.LowerFunc, "regex": stdlib.RegexFunc,
		"regexall": stdlib.RegexAllFunc, "split": stdlib.SplitFunc, "strrev": stdlib.ReverseFunc,
		"substr": stdlib.SubstrFunc, "title": stdlib.TitleFunc, "trim": stdlib.TrimFunc,
		"trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc, "trimspace": stdlib.TrimSpaceFunc,
		"upper": stdlib.UpperFunc, "replace": replaceFunc,
		"startswith": stringPredicate(strings.HasPrefix, "prefix"), "endswith": stringPredicate(strings.HasSuffix, "suffix"),
		"strcontains": stringPredicate(strings.Contains, "substr"),
		// Collection.
		"chunklist": stdlib.ChunklistFunc, "coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
		"concat": stdlib.ConcatFunc, "contains": stdlib.ContainsFunc, "distinct": stdlib.DistinctFunc,
		"element": elementFunc, "flatten": stdlib.FlattenFunc, "keys": stdlib.KeysFunc,
		"lookup": lookupFunc, "merge": stdlib.MergeFunc, "range": stdlib.RangeFunc,
		"reverse": stdlib.ReverseListFunc, "setintersection": stdlib.SetIntersectionFunc,
		"setproduct": stdlib.SetProductFunc, "setsubtract": stdlib.SetSubtractFunc, "setunion": stdlib.SetUnionFunc,
		"slice": stdlib.SliceFunc, "sort": stdlib.SortFunc, "values": stdlib.ValuesFunc, "zipmap": stdlib.ZipmapFunc,
		"length": lengthFunc, "index": indexFunc, "coalesce": coalesceFunc, "one": oneFunc, "sum": sumFunc,
		"alltrue": boolReduce(true), "anytrue": boolReduce(false), "matchkeys": matchkeysFunc, "transpose": transposeFunc,
		// Encoding.
		"jsonencode": stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc, "csvdecode": stdlib.CSVDecodeFunc,
		"base64encode": stringFunc(func(s string) (string, error) { return base64.StdEncoding.EncodeToString([]byte(s)), nil }),
		"base64decode": stringFunc(base64Decode),
		"urlencode":    stringFunc(func(s string) (string, error) { return url.QueryEscape(s), nil }),
		// Date and time: plan-time values are not known before apply.
		"formatdate": stdlib.FormatDateFunc, "timeadd": stdlib.TimeAddFunc,
		"timestamp": unknownFunc(cty.String), "plantimestamp": unknownFunc(cty.String),
		// Hash and crypto.
		"md5": hashFunc(md5.New, hex.EncodeToString), "sha1": hashFunc(sha1.New, hex.EncodeToString),
		"sha256": hashFunc(sha256.New, hex.EncodeToString), "sha512": hashFunc(sha512.New, hex.EncodeToString),
		"base64sha256": hashFunc(sha256.New, base64.StdEncoding.EncodeToString),
		"base64sha512": hashFunc(sha512.New, base64.StdEncoding.EncodeToString),
		"uuid":         unknownFunc(cty.String),
		// IP network.
		"cidrhost": cidrHostFunc, "cidrnetmask": cidrNetmaskFunc, "cidrsubnet": cidrSubnetFunc, "cidrsubnets": cidrSubnetsFunc,
		// Type conversion.
		"tobool": stdlib.MakeToFunc(cty.Bool), "tonumber": stdlib.MakeToFunc(cty.Number),
		"tostring": stdlib.MakeToFunc(cty.String), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
		"sensitive": identityFunc, "nonsensitive": identityFunc, "issensitive": constFunc(cty.False),
		// Filesystem.
		"basename": stringFunc(func(s string) (string, error) { return path.Base(s), nil }),
		"dirname":  stringFunc(func(s string) (string, error) { return path.Dir(s), nil }),
		"abspath":  stringFunc(func(s string) (string, error) { return path.Clean(s), nil }),
	}
	f["file"] = stringFunc(func(p string) (string, error) {
		b, err := l.readFile(p, readString)
		if err == nil && !utf8.Valid(b) {
			err = fmt.Errorf("contents of %s are not valid UTF-8; use filebase64 instead", p)
		}
		return string(b), err
	})
	f["filebase64"] = stringFunc(func(p string) (string, error) {
		b, err := l.readFile(p, readString)
		return base64.StdEncoding.EncodeToString(b), err
	})
	f["fileexists"] = function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			name, err := l.filePath(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.Bool), err
			}
			st, err := fs.Stat(l.fsys, name)
			return cty.BoolVal(err == nil && !st.IsDir()), nil
		},
	})
	f["templatefile"] = l.templateFileFunc(f)
	return f
}

// terraformOnly are Terraform functions vpcsim does not implement; a call
// to one is reported as unsupported rather than unknown.
var terraformOnly = []string{"yamlencode", "yamldecode", "base64gzip", "textencodebase64", "textdecodebase64",
	"fileset", "filemd5", "filesha1", "filesha256", "filesha512", "filebase64sha256", "filebase64sha512",
	"pathexpand", "bcrypt", "rsadecrypt", "uuidv5", "templatestring", "timecmp", "ephemeralasnull", "type",
	"list", "map", "tuple", "object", "urldecode"}

// checkFunctions reports every call to a function vpcsim does not have,
// before evaluation, so that calls in branches never evaluated are reported
// too.
func (l *loader) checkFunctions(m *tfModule) {
	visit := func(e hhcl.Expression) {
		se, ok := e.(hclsyntax.Expression)
		if !ok {
			return
		}
		hclsyntax.VisitAll(se, func(n hclsyntax.Node) hhcl.Diagnostics {
			if fc, ok := n.(*hclsyntax.FunctionCallExpr); ok {
				if _, known := l.funcs[fc.Name]; !known {
					l.unknownFunction(fc.Name, fc.NameRange)
				}
			}
			return nil
		})
	}
	var body func(b *rbody)
	body = func(b *rbody) {
		for _, a := range b.attrs {
			visit(a.Expr)
		}
		for _, blk := range b.blocks {
			if blk.forEach != nil {
				visit(blk.forEach)
			}
			body(blk.body)
		}
	}
	for _, d := range m.decls {
		for _, e := range []hhcl.Expression{d.expr, d.count, d.forEach, d.region, d.defaultTags} {
			if e != nil {
				visit(e)
			}
		}
		if d.body != nil {
			body(d.body)
		}
	}
}

func (l *loader) unknownFunction(name string, r hhcl.Range) {
	switch {
	case strings.Contains(name, "::"):
		l.errorf(r, "unsupported function %s: vpcsim does not run providers, so provider-defined functions are not available", name)
	case slices.Contains(terraformOnly, name):
		l.errorf(r, "unsupported function %s: vpcsim does not implement this Terraform function", name)
	default:
		names := make([]string, 0, len(l.funcs))
		for n := range l.funcs {
			names = append(names, n)
		}
		slices.Sort(names)
		l.errorf(r, "unsupported function %s: there is no function by that name%s", name, suggest(name, names))
	}
}

// filePath maps a path given to a file function to the loaded file system:
// relative paths are relative to the root module.
func (l *loader) filePath(p string) (string, error) {
	if path.IsAbs(p) {
		return "", fmt.Errorf("absolute path %s is outside the loaded folder", p)
	}
	name := path.Join(l.root, p)
	if !fs.ValidPath(name) {
		return "", fmt.Errorf("path %s is outside the loaded folder", p)
	}
	return name, nil
}

func (l *loader) readFile(p string, kind readKind) ([]byte, error) {
	name, err := l.filePath(p)
	if err != nil {
		return nil, err
	}
	b, err := l.readLimited(l.fsys, name, kind)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", p, unwrapPath(err))
	}
	return b, nil
}

// templateFileFunc renders a template file with the given variables and the
// other functions; like Terraform, templatefile cannot call itself.
func (l *loader) templateFileFunc(funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "path", Type: cty.String}, {Name: "vars", Type: cty.DynamicPseudoType}},
		Type:   function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			tmpl, err := l.template(args[0].AsString())
			if err != nil {
				return cty.DynamicVal, err
			}
			vars := args[1]
			if !vars.IsWhollyKnown() {
				return cty.DynamicVal, nil
			}
			if !vars.Type().IsObjectType() && !vars.Type().IsMapType() {
				return cty.DynamicVal, fmt.Errorf("vars must be a map or an object")
			}
			ctx := &hhcl.EvalContext{Variables: vars.AsValueMap(), Functions: map[string]function.Function{}}
			for n, fn := range funcs {
				if n != "templatefile" {
					ctx.Functions[n] = fn
				}
			}
			v, diags := tmpl.Value(ctx)
			if diags.HasErrors() {
				return cty.DynamicVal, fmt.Errorf("%s", diags.Error())
			}
			return v, nil
		},
	})
}

// template returns the template at path p, parsed and instrumented the
// first time: a template rendered for every instance of a resource is read
// once.
func (l *loader) template(p string) (hclsyntax.Expression, error) {
	if t, ok := l.templates[p]; ok {
		return t.expr, t.err
	}
	t := &parsedTemplate{}
	if l.templates == nil {
		l.templates = map[string]*parsedTemplate{}
	}
	l.templates[p] = t
	src, err := l.readFile(p, readSource)
	if err != nil {
		t.err = err
		return nil, err
	}
	name, _ := l.filePath(p)
	if _, problem := nesting.HCL(src, name, hhcl.InitialPos, true, maxNesting); problem != "" {
		t.err = fmt.Errorf("%s: %s", p, problem)
		return nil, t.err
	}
	tmpl, diags := hclsyntax.ParseTemplate(src, name, hhcl.InitialPos)
	if diags.HasErrors() {
		t.err = fmt.Errorf("%s", diags.Error())
		return nil, t.err
	}
	l.instrument(tmpl)
	t.expr = tmpl
	return tmpl, nil
}

// parsedTemplate is a template file as templatefile reads it: its syntax
// tree, or why it cannot be read.
type parsedTemplate struct {
	expr hclsyntax.Expression
	err  error
}

func stringFunc(fn func(string) (string, error)) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}},
		Type:   function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := fn(args[0].AsString())
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(s), nil
		},
	})
}

func base64Decode(s string) (string, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return "", fmt.Errorf("invalid base64 data: %w", err)
	}
	if !utf8.Valid(b) {
		return "", fmt.Errorf("the decoded data is not valid UTF-8")
	}
	return string(b), nil
}

func hashFunc(h func() hash.Hash, enc func([]byte) string) function.Function {
	return stringFunc(func(s string) (string, error) {
		x := h()
		x.Write([]byte(s))
		return enc(x.Sum(nil)), nil
	})
}

func stringPredicate(fn func(s, x string) bool, second string) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: second, Type: cty.String}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(fn(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// unknownFunc is a function whose result Terraform knows only during apply.
func unknownFunc(ty cty.Type) function.Function {
	return function.New(&function.Spec{
		Type: function.StaticReturnType(ty),
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) { return cty.UnknownVal(ty), nil },
	})
}

func constFunc(v cty.Value) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true}},
		Type:   function.StaticReturnType(v.Type()),
		Impl:   func([]cty.Value, cty.Type) (cty.Value, error) { return v, nil },
	})
}

var identityFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true, AllowMarked: true}},
	Type:   func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl:   func(args []cty.Value, _ cty.Type) (cty.Value, error) { return args[0], nil },
})

// replaceFunc is Terraform's replace: a substring, or a regular expression
// when the substring is written between slashes.
var replaceFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "str", Type: cty.String}, {Name: "substr", Type: cty.String}, {Name: "replace", Type: cty.String}},
	Type:   function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		s, sub, rep := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(sub) > 1 && sub[0] == '/' && sub[len(sub)-1] == '/' {
			re, err := regexp.Compile(sub[1 : len(sub)-1])
			if err != nil {
				return cty.UnknownVal(cty.String), err
			}
			return cty.StringVal(re.ReplaceAllString(s, rep)), nil
		}
		return cty.StringVal(strings.ReplaceAll(s, sub, rep)), nil
	},
})

// lengthFunc is Terraform's length: collections, structural values, and
// strings (counted in characters).
var lengthFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "value", Type: cty.DynamicPseudoType, AllowDynamicType: true, AllowUnknown: true}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String, ty.IsCollectionType(), ty.IsTupleType(), ty.IsObjectType(), ty == cty.DynamicPseudoType:
			return cty.Number, nil
		}
		return cty.NilType, fmt.Errorf("argument must be a string, a collection type, or a structural type")
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch {
		case v.Type() == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number), nil
		case v.Type().IsTupleType() || v.Type().IsObjectType():
			return cty.NumberIntVal(int64(v.LengthInt())), nil
		case !v.IsKnown():
			return cty.UnknownVal(cty.Number), nil
		case v.Type() == cty.String:
			return stdlib.Strlen(v)
		}
		return v.Length(), nil
	},
})

// elementFunc is Terraform's element: an index wraps around the list, and
// a negative one is an error, as in Terraform (cty would count it from the
// end).
var elementFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "index", Type: cty.Number}},
	Type: func(args []cty.Value) (cty.Type, error) {
		return stdlib.ElementFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if args[1].IsKnown() && args[1].AsBigFloat().Sign() < 0 {
			return cty.DynamicVal, function.NewArgErrorf(1, "cannot use element function with a negative index")
		}
		return stdlib.ElementFunc.Call(args)
	},
})

// lookupFunc is Terraform's lookup, whose default may be null (cty's may
// not): lookup(var.rule, "cidr_block", null) is common.
var lookupFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "inputMap", Type: cty.DynamicPseudoType, AllowMarked: true},
		{Name: "key", Type: cty.String, AllowMarked: true}},
	VarParam: &function.Parameter{Name: "default", Type: cty.DynamicPseudoType, AllowNull: true, AllowUnknown: true,
		AllowDynamicType: true, AllowMarked: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) > 3 {
			return cty.NilType, fmt.Errorf("lookup takes at most three arguments")
		}
		ty := args[0].Type()
		if !ty.IsMapType() && !ty.IsObjectType() && ty != cty.DynamicPseudoType {
			return cty.NilType, function.NewArgErrorf(0, "the first argument must be a map or an object")
		}
		if ty.IsMapType() && (len(args) < 3 || args[2].IsNull() || args[2].Type().Equals(ty.ElementType())) {
			return ty.ElementType(), nil
		}
		return cty.DynamicPseudoType, nil
	},
	Impl: func(args []cty.Value, ret cty.Type) (cty.Value, error) {
		m, _ := args[0].UnmarkDeep()
		k, _ := args[1].UnmarkDeep()
		if !m.IsKnown() || !k.IsKnown() {
			return cty.UnknownVal(ret), nil
		}
		key := k.AsString()
		switch {
		case m.IsNull():
		case m.Type().IsObjectType():
			if m.Type().HasAttribute(key) {
				return m.GetAttr(key), nil
			}
		case m.Type().IsMapType():
			if m.HasIndex(k).True() {
				return m.Index(k), nil
			}
		}
		if len(args) == 3 {
			d, _ := args[2].UnmarkDeep()
			if ret != cty.DynamicPseudoType {
				return convert.Convert(d, ret)
			}
			return d, nil
		}
		return cty.NilVal, fmt.Errorf("lookup failed to find key %q", key)
	},
})

// indexFunc is Terraform's index: the position of a value in a list.
var indexFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}, {Name: "value", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		if !(list.Type().IsListType() || list.Type().IsTupleType()) {
			return cty.NilVal, function.NewArgErrorf(0, "argument must be a list or tuple")
		}
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		for it := list.ElementIterator(); it.Next(); {
			i, v := it.Element()
			eq, err := stdlib.Equal(v, args[1])
			if err != nil {
				return cty.NilVal, err
			}
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return i, nil
			}
		}
		return cty.NilVal, fmt.Errorf("item not found")
	},
})

// coalesceFunc is Terraform's coalesce: the first argument that is neither
// null nor an empty string.
var coalesceFunc = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "vals", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowDynamicType: true, AllowNull: true},
	Type: func(args []cty.Value) (cty.Type, error) {
		types := make([]cty.Type, len(args))
		for i, v := range args {
			types[i] = v.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, fmt.Errorf("all arguments must have the same type")
		}
		return ty, nil
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		for _, a := range args {
			v, err := convert.Convert(a, ty)
			if err != nil {
				return cty.NilVal, err
			}
			if !v.IsKnown() {
				return cty.UnknownVal(ty), nil
			}
			if v.IsNull() || (ty == cty.String && v.AsString() == "") {
				continue
			}
			return v, nil
		}
		return cty.NilVal, fmt.Errorf("no non-null, non-empty-string arguments")
	},
})

// oneFunc is Terraform's one: the only element of a list or set of at most
// one element, or null.
var oneFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty.IsListType() || ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			if n := ty.Length(); n == 0 {
				return cty.DynamicPseudoType, nil
			} else if n == 1 {
				return ty.TupleElementType(0), nil
			}
			return cty.NilType, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
		}
		return cty.NilType, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsKnown() {
			return cty.UnknownVal(ty), nil
		}
		switch v.LengthInt() {
		case 0:
			return cty.NullVal(ty), nil
		case 1:
			it := v.ElementIterator()
			it.Next()
			_, e := it.Element()
			return e, nil
		}
		return cty.NilVal, fmt.Errorf("must be a list, set, or tuple value with either zero or one elements")
	},
})

var sumFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:   function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.CanIterateElements() || v.Type().IsMapType() || v.Type().IsObjectType() {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum a %s", v.Type().FriendlyName())
		}
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if v.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		sum := new(big.Float)
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			n, err := convert.Convert(e, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "every element must be a number")
			}
			sum.Add(sum, n.AsBigFloat())
		}
		return cty.NumberVal(sum), nil
	},
})

// boolReduce is alltrue (all is true) or anytrue.
func boolReduce(all bool) function.Function {
	return function.New(&function.Spec{
		Params: []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:   function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			unknownSeen := false
			for it := args[0].ElementIterator(); it.Next(); {
				_, e := it.Element()
				switch {
				case !e.IsKnown():
					unknownSeen = true
				case e.IsNull():
					if all {
						return cty.False, nil
					}
				case e.True() != all:
					return cty.BoolVal(!all), nil
				}
			}
			if unknownSeen {
				return cty.UnknownVal(cty.Bool), nil
			}
			return cty.BoolVal(all), nil
		},
	})
}

var matchkeysFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.List(cty.DynamicPseudoType)},
		{Name: "keys", Type: cty.List(cty.DynamicPseudoType)}, {Name: "searchset", Type: cty.List(cty.DynamicPseudoType)}},
	Type: func(args []cty.Value) (cty.Type, error) { return args[0].Type(), nil },
	Impl: func(args []cty.Value, ty cty.Type) (cty.Value, error) {
		if args[0].LengthInt() != args[1].LengthInt() {
			return cty.NilVal, fmt.Errorf("length of keys and values should be equal")
		}
		if !args[1].IsWhollyKnown() || !args[2].IsWhollyKnown() {
			return cty.UnknownVal(ty), nil
		}
		vals := args[0].AsValueSlice()
		var out []cty.Value
		for i, k := range args[1].AsValueSlice() {
			for _, s := range args[2].AsValueSlice() {
				if eq, err := stdlib.Equal(k, s); err == nil && eq.IsKnown() && eq.True() {
					out = append(out, vals[i])
					break
				}
			}
		}
		if len(out) == 0 {
			return cty.ListValEmpty(ty.ElementType()), nil
		}
		return cty.ListVal(out), nil
	},
})

var transposeFunc = function.New(&function.Spec{
	Params: []function.Parameter{{Name: "values", Type: cty.Map(cty.List(cty.String))}},
	Type:   function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.Map(cty.List(cty.String))), nil
		}
		out := map[string][]cty.Value{}
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			for _, v := range list.AsValueSlice() {
				if v.IsNull() {
					return cty.NilVal, fmt.Errorf("lists must not contain null values")
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		m := map[string]cty.Value{}
		for k, vs := range out {
			m[k] = cty.ListVal(vs)
		}
		if len(m) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		return cty.MapVal(m), nil
	},
})

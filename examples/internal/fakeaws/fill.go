package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// gen computes one attribute that the plan leaves unknown.
type gen func(c *fillCtx) (any, error)

// fillCtx fills one planned instance. Generators ask for other attributes
// through get, which computes them on demand, so that a generator never
// depends on the order attributes are filled in.
type fillCtx struct {
	a       *applier
	rc      *resourceChange
	typ     string
	addr    string
	known   map[string]any
	unknown map[string]any
	gens    map[string]gen
	done    map[string]any
	busy    map[string]bool
	current string // the attribute being generated
}

func (c *fillCtx) fill(blk *schemaBlock) (map[string]any, error) {
	out := map[string]any{}
	names := slices.Sorted(maps.Keys(blk.Attributes))
	names = append(names, slices.Sorted(maps.Keys(blk.BlockTypes))...)
	for _, name := range names {
		v, err := c.get(name)
		if err != nil {
			return nil, err
		}
		if bt, ok := blk.BlockTypes[name]; ok {
			if v, err = completeBlock(c.typ+"."+name, bt, v); err != nil {
				return nil, err
			}
		}
		out[name] = v
	}
	for name := range c.known {
		if _, ok := out[name]; !ok {
			return nil, fmt.Errorf("the plan has %s, which the schema does not", name)
		}
	}
	return out, nil
}

// get returns attribute name: the planned value when the plan knows it,
// else the generator's.
func (c *fillCtx) get(name string) (any, error) {
	if v, ok := c.done[name]; ok {
		return v, nil
	}
	u := c.unknown[name]
	if !containsTrue(u) {
		if v, ok := c.known[name]; ok {
			return v, nil
		}
		// Absent from both: a block the plan leaves out (nesting
		// "single" with no value) or an attribute it does not know.
		return nil, nil
	}
	if !isTrue(u) && c.gens[name] == nil {
		return nil, fmt.Errorf("%s is partly unknown (%s): a value derived from something not yet created", name, compact(u))
	}
	if isTrue(u) && c.a.isConfigured(c.addr, name) && c.gens[name] == nil {
		return nil, fmt.Errorf("%s is set in the configuration but unknown: a reference hidden in a local value?", name)
	}
	g, ok := c.gens[name]
	if !ok {
		g, ok = commonGens[name]
	}
	if !ok {
		return nil, fmt.Errorf("no fake value for %s.%s", c.typ, name)
	}
	if c.busy[name] {
		return nil, fmt.Errorf("%s depends on itself", name)
	}
	c.busy[name] = true
	prev := c.current
	c.current = name
	v, err := g(c)
	c.current = prev
	delete(c.busy, name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	c.done[name] = v
	return v, nil
}

// nested fills the unknown fields of a list of objects the plan partly
// knows (a block whose computed fields AWS sets, such as a listener
// action's order); fields maps each such field to its value for element i.
func nested(fields map[string]func(c *fillCtx, elem map[string]any) (any, error)) gen {
	return func(c *fillCtx) (any, error) {
		name := c.current
		known, _ := c.known[name].([]any)
		unk, _ := c.unknown[name].([]any)
		out := make([]any, len(known))
		for i, k := range known {
			elem, _ := k.(map[string]any)
			cp := map[string]any{}
			maps.Copy(cp, elem)
			var u map[string]any
			if i < len(unk) {
				u, _ = unk[i].(map[string]any)
			}
			for _, f := range slices.Sorted(maps.Keys(u)) {
				if !containsTrue(u[f]) {
					continue
				}
				g, ok := fields[f]
				if !ok || !isTrue(u[f]) {
					return nil, fmt.Errorf("no fake value for %s[%d].%s (%s)", name, i, f, compact(u[f]))
				}
				v, err := g(c, cp)
				if err != nil {
					return nil, fmt.Errorf("%s[%d].%s: %w", name, i, f, err)
				}
				cp[f] = v
			}
			out[i] = cp
		}
		return out, nil
	}
}

func (c *fillCtx) str(name string) (string, error) {
	v, err := c.get(name)
	if err != nil {
		return "", err
	}
	s, _ := v.(string)
	return s, nil
}

func (c *fillCtx) boolean(name string) (bool, error) {
	v, err := c.get(name)
	if err != nil {
		return false, err
	}
	b, _ := v.(bool)
	return b, nil
}

// seed names this instance for the value generators.
func (c *fillCtx) seed(what string) string { return c.a.ns + "|" + c.addr + "|" + what }

// other returns the attributes of the resource with this ID.
func (c *fillCtx) other(id string) (map[string]any, error) {
	attrs, ok := c.a.byID[id]
	if !ok {
		return nil, fmt.Errorf("nothing in the state has ID %q", id)
	}
	return attrs, nil
}

func (a *applier) isConfigured(addr, name string) bool {
	base := addr
	if i := strings.IndexByte(base, '['); i >= 0 {
		base = base[:i]
	}
	for _, r := range a.plan.Configuration.RootModule.Resources {
		if r.Address == base {
			_, ok := r.Expressions[name]
			return ok
		}
	}
	return false
}

// completeBlock gives every object of a nested block all the attributes and
// blocks of its schema (null, or an empty list), and refuses keys the
// schema does not have: a generator's block must be what the provider
// would store.
func completeBlock(where string, bt *schemaBlockType, v any) (any, error) {
	switch bt.NestingMode {
	case "single", "group":
		if v == nil {
			return nil, nil
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s: want an object, have %s", where, compact(v))
		}
		return completeObject(where, bt.Block, m)
	case "list", "set":
		if v == nil {
			return []any{}, nil
		}
		l, ok := v.([]any)
		if !ok {
			return nil, fmt.Errorf("%s: want a list, have %s", where, compact(v))
		}
		out := make([]any, len(l))
		for i, x := range l {
			m, ok := x.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%s[%d]: want an object, have %s", where, i, compact(x))
			}
			o, err := completeObject(fmt.Sprintf("%s[%d]", where, i), bt.Block, m)
			if err != nil {
				return nil, err
			}
			out[i] = o
		}
		return out, nil
	default:
		return nil, fmt.Errorf("%s: nesting %s is not handled", where, bt.NestingMode)
	}
}

func completeObject(where string, blk *schemaBlock, m map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for k, v := range m {
		if _, ok := blk.Attributes[k]; ok {
			out[k] = v
			continue
		}
		bt, ok := blk.BlockTypes[k]
		if !ok {
			return nil, fmt.Errorf("%s has no %s", where, k)
		}
		cv, err := completeBlock(where+"."+k, bt, v)
		if err != nil {
			return nil, err
		}
		out[k] = cv
	}
	for k := range blk.Attributes {
		if _, ok := out[k]; !ok {
			out[k] = nil
		}
	}
	for k, bt := range blk.BlockTypes {
		if _, ok := out[k]; !ok {
			cv, _ := completeBlock(where+"."+k, bt, nil)
			out[k] = cv
		}
	}
	return out, nil
}

func isTrue(v any) bool { b, ok := v.(bool); return ok && b }

func containsTrue(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case map[string]any:
		for _, x := range v {
			if containsTrue(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if containsTrue(x) {
				return true
			}
		}
	}
	return false
}

func compact(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 200 {
		return string(b[:200]) + "…"
	}
	return string(b)
}

// readBack is what the provider's read does to values the configuration
// left out: the SDKv2 resources store the zero value ("", 0, false) where
// the plan had null, except for the attributes their read never sets. The
// framework resources keep null.
func readBack(typ string, blk *schemaBlock, planned, attrs map[string]any) {
	if frameworkTypes[typ] {
		return
	}
	keep := keepNull[typ]
	for _, name := range slices.Sorted(maps.Keys(planned)) {
		at, ok := blk.Attributes[name]
		if !ok || planned[name] != nil || attrs[name] != nil || name == "timeouts" || slices.Contains(keep, name) {
			continue
		}
		switch at.Type {
		case "string":
			attrs[name] = ""
		case "number":
			attrs[name] = json.Number("0")
		case "bool":
			attrs[name] = false
		}
	}
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

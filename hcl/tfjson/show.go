package tfjson

import (
	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// readShowState reads the "values" of `terraform show -json` (of a state, or
// a plan's prior_state or planned_values):
//
//	{"root_module": {"resources": [{"address": "aws_vpc.main", "mode":
//	  "managed", "type": "aws_vpc", "name": "main", "values": {…}}],
//	  "child_modules": [{"address": "module.net", "resources": […]}]}}
//
// An absent or null values object is an empty state. where names the
// member for messages.
func readShowState(doc *jsonDoc, values any, where string) ([]resource.Instance, model.Diagnostics) {
	if values == nil {
		return nil, nil
	}
	v, ok := values.(map[string]any)
	if !ok {
		return nil, model.Diagnostics{errDiag(doc.topPos(where), "", "%q is %s, not an object", where, jsonKind(values))}
	}
	r := &showReader{doc: doc}
	if rm := v["root_module"]; rm != nil {
		r.module(rm, doc.topPos(where), 0)
	}
	return r.insts, r.ds
}

type showReader struct {
	doc   *jsonDoc
	insts []resource.Instance
	ds    model.Diagnostics
}

// maxModuleDepth bounds child_modules recursion; Terraform configurations
// nest a handful of levels.
const maxModuleDepth = 64

func (r *showReader) module(v any, at model.Pos, depth int) {
	m, ok := v.(map[string]any)
	if !ok {
		r.ds = append(r.ds, errDiag(at, "", "a module is %s, not an object", jsonKind(v)))
		return
	}
	at = resource.PosOf(m, at)
	if depth > maxModuleDepth {
		r.ds = append(r.ds, errDiag(at, "", "modules nested more than %d levels deep", maxModuleDepth))
		return
	}
	if rs, ok := m["resources"].([]any); ok {
		for _, x := range rs {
			r.resource(x, at)
		}
	} else if m["resources"] != nil {
		r.ds = append(r.ds, errDiag(at, "", "\"resources\" is %s, not an array", jsonKind(m["resources"])))
	}
	if cs, ok := m["child_modules"].([]any); ok {
		for _, c := range cs {
			r.module(c, at, depth+1)
		}
	}
}

func (r *showReader) resource(x any, at model.Pos) {
	res, ok := x.(map[string]any)
	if !ok {
		r.ds = append(r.ds, errDiag(at, "", "a resource is %s, not an object", jsonKind(x)))
		return
	}
	pos := resource.PosOf(res, at)
	addr, _ := res["address"].(string)
	typ, _ := res["type"].(string)
	mode, _ := res["mode"].(string)
	if addr == "" || typ == "" {
		r.ds = append(r.ds, errDiag(pos, "", "resource has no \"address\" or \"type\""))
		return
	}
	if mode == "" {
		mode = "managed"
	}
	if d, _ := res["deposed_key"].(string); d != "" {
		r.ds = append(r.ds, noteDiag(pos, addr, "deposed object %s (replaced, awaiting destruction) is not part of the network", d))
		return
	}
	attrs, ok := res["values"].(map[string]any)
	if !ok {
		if res["values"] != nil {
			r.ds = append(r.ds, errDiag(pos, addr, "\"values\" is %s, not an object", jsonKind(res["values"])))
			return
		}
		attrs = map[string]any{}
	}
	r.insts = append(r.insts, resource.Instance{Mode: mode, Type: typ, Address: addr, Attrs: attrs, Pos: pos})
}

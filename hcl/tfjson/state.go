package tfjson

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// readState reads the resources of a state in format version 4:
//
//	{"version": 4, "resources": [{"module": "module.a", "mode": "managed",
//	  "type": "aws_subnet", "name": "x", "instances": [{"index_key": 0,
//	  "attributes": {…}}]}]}
//
// Each instance becomes one instance positioned at its JSON object.
func readState(doc *jsonDoc, root map[string]any) ([]resource.Instance, model.Diagnostics) {
	var (
		insts []resource.Instance
		ds    model.Diagnostics
	)
	rs, ok := root["resources"].([]any)
	if !ok {
		if root["resources"] != nil {
			ds = append(ds, errDiag(doc.topPos("resources"), "", "\"resources\" is %s, not an array", jsonKind(root["resources"])))
		}
		return nil, ds
	}
	for _, r := range rs {
		res, ok := r.(map[string]any)
		if !ok {
			ds = append(ds, errDiag(doc.topPos("resources"), "", "a resource is %s, not an object", jsonKind(r)))
			continue
		}
		rpos := resource.PosOf(res, model.Pos{File: doc.name})
		typ, _ := res["type"].(string)
		name, _ := res["name"].(string)
		mode, _ := res["mode"].(string)
		module, _ := res["module"].(string)
		if typ == "" || name == "" {
			ds = append(ds, errDiag(rpos, "", "resource has no \"type\" or \"name\""))
			continue
		}
		if mode == "" {
			mode = "managed"
		}
		base := resourceAddr(module, mode, typ, name)
		list, ok := res["instances"].([]any)
		if !ok {
			ds = append(ds, errDiag(rpos, base, "\"instances\" is %s, not an array", jsonKind(res["instances"])))
			continue
		}
		for _, x := range list {
			obj, ok := x.(map[string]any)
			if !ok {
				ds = append(ds, errDiag(rpos, base, "an instance is %s, not an object", jsonKind(x)))
				continue
			}
			ipos := resource.PosOf(obj, rpos)
			key, err := indexKey(obj["index_key"])
			if err != nil {
				ds = append(ds, errDiag(ipos, base, "%v", err))
				continue
			}
			addr := base + key
			if d, _ := obj["deposed"].(string); d != "" {
				ds = append(ds, noteDiag(ipos, addr, "deposed object %s (replaced, awaiting destruction) is not part of the network", d))
				continue
			}
			attrs, ok := obj["attributes"].(map[string]any)
			if !ok {
				if obj["attributes_flat"] != nil {
					ds = append(ds, errDiag(ipos, addr, "instance holds only legacy flat attributes (\"attributes_flat\"): run `terraform apply -refresh-only` with a current Terraform so that it rewrites them"))
				} else {
					ds = append(ds, errDiag(ipos, addr, "instance has no \"attributes\" object"))
				}
				continue
			}
			if s, _ := obj["status"].(string); s == "tainted" {
				ds = append(ds, noteDiag(ipos, addr, "tainted: Terraform will replace it on the next apply; it is loaded as it exists now"))
			}
			insts = append(insts, resource.Instance{Mode: mode, Type: typ, Address: addr, Attrs: attrs, Pos: ipos})
		}
	}
	return insts, ds
}

// resourceAddr builds a resource address (without instance key) the way
// Terraform prints it.
func resourceAddr(module, mode, typ, name string) string {
	s := typ + "." + name
	if mode == "data" {
		s = "data." + s
	}
	if module != "" {
		s = module + "." + s
	}
	return s
}

// indexKey formats a state index_key: [0] for count, ["a"] for for_each,
// nothing for a single instance.
func indexKey(v any) (string, error) {
	switch k := v.(type) {
	case nil:
		return "", nil
	case json.Number:
		n, err := strconv.ParseInt(string(k), 10, 64)
		if err != nil || n < 0 {
			return "", fmt.Errorf("index_key %s is not a valid instance index", k)
		}
		return "[" + strconv.FormatInt(n, 10) + "]", nil
	case string:
		return "[" + strconv.Quote(k) + "]", nil
	}
	return "", fmt.Errorf("index_key is %s, not a number or a string", jsonKind(v))
}

func errDiag(pos model.Pos, elem, format string, args ...any) model.Diagnostic {
	return model.Diagnostic{Severity: model.SeverityError, Pos: pos, Element: elem, Message: fmt.Sprintf(format, args...)}
}

func noteDiag(pos model.Pos, elem, format string, args ...any) model.Diagnostic {
	return model.Diagnostic{Severity: model.SeverityNote, Pos: pos, Element: elem, Message: fmt.Sprintf(format, args...)}
}

// jsonInt reads a JSON number that must be an integer.
func jsonInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := strconv.ParseInt(string(n), 10, 64)
	return i, err == nil
}

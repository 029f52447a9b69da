package tfjson

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// readPlan reads the JSON of `terraform show -json` for a saved plan into out:
// Prior from prior_state (absent for a first plan: no instance), Instances
// from planned_values, where the after_unknown of each resource change marks
// values not known until apply. Unknown references to other resources are
// resolved through the plan's configuration section to symbolic IDs, so that
// a subnet created in the same plan as its VPC still lands in that VPC.
func readPlan(out *Document, doc *jsonDoc, root map[string]any) model.Diagnostics {
	var ds model.Diagnostics

	var prior []resource.Instance
	if ps, ok := root["prior_state"].(map[string]any); ok {
		var d model.Diagnostics
		prior, d = readShowState(doc, ps["values"], "prior_state")
		ds = append(ds, d...)
	} else if root["prior_state"] != nil {
		ds = append(ds, errDiag(doc.topPos("prior_state"), "", "\"prior_state\" is %s, not an object", jsonKind(root["prior_state"])))
	}

	after, d := readShowState(doc, root["planned_values"], "planned_values")
	ds = append(ds, d...)

	changes := map[string]map[string]any{}
	if rcs, ok := root["resource_changes"].([]any); ok {
		for _, x := range rcs {
			rc, ok := x.(map[string]any)
			if !ok {
				continue
			}
			addr, _ := rc["address"].(string)
			ch, _ := rc["change"].(map[string]any)
			if addr == "" || ch == nil {
				continue
			}
			if dk, _ := rc["deposed"].(string); dk != "" {
				continue // the change of a deposed object, not of the current one
			}
			changes[addr] = ch
			typ, _ := rc["type"].(string)
			if act := changeAction(ch["actions"]); act != "" && act != "no-op" {
				out.Changes = append(out.Changes, Change{Address: addr, Type: typ, Action: act})
			}
		}
	}
	for i := range after {
		if ch := changes[after[i].Address]; ch != nil {
			if marks, ok := ch["after_unknown"].(map[string]any); ok && hasTrue(marks) {
				after[i].Attrs = markUnknown(after[i].Attrs, marks).(map[string]any)
			}
		}
	}

	// Data sources read during planning are in the prior state only; the
	// planned network needs them as much as the prior one.
	inAfter := map[string]bool{}
	for _, x := range after {
		inAfter[x.Address] = true
	}
	for _, x := range prior {
		if x.Mode == "data" && !inAfter[x.Address] {
			after = append(after, cloneInstance(x))
		}
	}

	ref := newPlanRefs(after, root["configuration"])
	for i := range after {
		ds = append(ds, ref.fill(&after[i])...)
	}

	out.Prior, out.Instances = prior, after
	return ds
}

// changeAction names a change's action list the way `terraform plan` does.
func changeAction(v any) string {
	list, _ := v.([]any)
	var acts []string
	for _, a := range list {
		if s, ok := a.(string); ok {
			acts = append(acts, s)
		}
	}
	switch {
	case len(acts) == 1:
		return acts[0]
	case len(acts) == 2 && slices.Contains(acts, "create") && slices.Contains(acts, "delete"):
		return "replace"
	}
	return strings.Join(acts, ",")
}

func cloneInstance(x resource.Instance) resource.Instance {
	x.Attrs = cloneValue(x.Attrs).(map[string]any)
	return x
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			m[k] = cloneValue(e)
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = cloneValue(e)
		}
		return l
	}
	return v
}

func hasTrue(marks any) bool {
	switch m := marks.(type) {
	case bool:
		return m
	case []any:
		return slices.ContainsFunc(m, hasTrue)
	case map[string]any:
		for k, e := range m {
			if k != resource.PosKey && hasTrue(e) {
				return true
			}
		}
	}
	return false
}

// markUnknown puts unknown wherever after_unknown says true. planned_values
// omits unknown object members and writes unknown list elements as null, so
// the marks may reach further than the value.
func markUnknown(v any, marks any) any {
	if !hasTrue(marks) {
		return v
	}
	switch mk := marks.(type) {
	case bool:
		return resource.Unknown
	case []any:
		list, ok := v.([]any)
		if !ok && v != nil {
			return v
		}
		out := append([]any(nil), list...)
		for len(out) < len(mk) {
			out = append(out, nil)
		}
		for i, m := range mk {
			out[i] = markUnknown(out[i], m)
		}
		return out
	case map[string]any:
		obj, ok := v.(map[string]any)
		if !ok {
			if v != nil {
				return v
			}
			obj = map[string]any{}
		}
		for k, m := range mk {
			if k != resource.PosKey && hasTrue(m) {
				obj[k] = markUnknown(obj[k], m)
			}
		}
		return obj
	}
	return v
}

// planRefs resolves unknown references of planned instances through the
// plan's configuration section, whose expressions list the references each
// argument makes ("references": ["aws_vpc.main.id", "aws_vpc.main"]).
type planRefs struct {
	cfg    *cfgModule
	byAddr map[string]*resource.Instance
	byRes  map[string][]*resource.Instance // by resource address without instance key
	// modKeys lists, by module call path ("module.a.module.b" without keys
	// at the last step), the instance keys of that call ("" for none).
	modKeys map[string][]string
	// all are the instances in plan order.
	all []*resource.Instance
	// following are the module outputs and variables being resolved,
	// innermost last; cycle is the first cycle found among them, which
	// Terraform never plans.
	following []string
	cycle     string
	// steps counts the references followed: a bound on the work.
	steps int
}

// maxRefSteps bounds the references followed for one plan: far above
// what real plans need, it keeps a forged one from taking long.
const maxRefSteps = 200_000

// enter starts following label (a module output or variable); it returns
// false when label is already being followed: a cycle.
func (r *planRefs) enter(label string) bool {
	if i := slices.Index(r.following, label); i >= 0 {
		if r.cycle == "" {
			r.cycle = strings.Join(append(slices.Clone(r.following[i:]), label), " -> ")
		}
		return false
	}
	r.following = append(r.following, label)
	return true
}

func (r *planRefs) leave() { r.following = r.following[:len(r.following)-1] }

type cfgModule struct {
	resources map[string]map[string]any // "aws_vpc.main", "data.aws_vpc.x" → resource configuration
	calls     map[string]*cfgCall
	outputs   map[string]map[string]any
}

type cfgCall struct {
	expressions map[string]any
	module      *cfgModule
}

func newPlanRefs(insts []resource.Instance, config any) *planRefs {
	r := &planRefs{byAddr: map[string]*resource.Instance{}, byRes: map[string][]*resource.Instance{}, modKeys: map[string][]string{}}
	if c, ok := config.(map[string]any); ok {
		r.cfg = indexConfigModule(c["root_module"], 0)
	}
	for i := range insts {
		x := &insts[i]
		r.byAddr[x.Address] = x
		r.all = append(r.all, x)
		a, ok := resource.ParseAddr(x.Address)
		if !ok {
			continue
		}
		base := a.ModulePrefix() + a.Res
		r.byRes[base] = append(r.byRes[base], x)
		var path string
		for _, m := range a.Modules {
			call := path + "module." + m.Name
			if !slices.Contains(r.modKeys[call], m.Key) {
				r.modKeys[call] = append(r.modKeys[call], m.Key)
			}
			path = call + m.Key + "."
		}
	}
	return r
}

func indexConfigModule(v any, depth int) *cfgModule {
	m, ok := v.(map[string]any)
	if !ok || depth > maxModuleDepth {
		return nil
	}
	c := &cfgModule{resources: map[string]map[string]any{}, calls: map[string]*cfgCall{}, outputs: map[string]map[string]any{}}
	rs, _ := m["resources"].([]any)
	for _, x := range rs {
		res, ok := x.(map[string]any)
		if !ok {
			continue
		}
		mode, _ := res["mode"].(string)
		typ, _ := res["type"].(string)
		name, _ := res["name"].(string)
		c.resources[resourceAddr("", mode, typ, name)] = res
	}
	calls, _ := m["module_calls"].(map[string]any)
	for name, x := range calls {
		call, ok := x.(map[string]any)
		if !ok {
			continue
		}
		ex, _ := call["expressions"].(map[string]any)
		c.calls[name] = &cfgCall{expressions: ex, module: indexConfigModule(call["module"], depth+1)}
	}
	outs, _ := m["outputs"].(map[string]any)
	for name, x := range outs {
		if o, ok := x.(map[string]any); ok {
			c.outputs[name] = o
		}
	}
	return c
}

// scope is where a reference is evaluated: a module instance of the
// configuration and, for count.index and each.value, the key of the
// instance that makes the reference.
type scope struct {
	mod    []resource.ModStep // module instance path
	cfg    *cfgModule
	parent *scope
	// ownKey is the instance key of the referencing resource or module
	// instance ("[1]", `["a"]`), "" when it has none; ownAddr names it and
	// ownCount is how many instances it has, for matching a reference to a
	// resource with several instances.
	ownKey   string
	ownAddr  string
	ownCount int
	// res is the referencing resource's configuration, for each.value.
	res map[string]any
}

func (s *scope) prefix() string {
	var b strings.Builder
	for _, m := range s.mod {
		b.WriteString("module." + m.Name + m.Key + ".")
	}
	return b.String()
}

// target is one resolved reference: an instance address and an attribute.
type target struct {
	addr, attr string
}

// fill resolves the unknown references of one planned instance in place.
func (r *planRefs) fill(x *resource.Instance) model.Diagnostics {
	a, ok := resource.ParseAddr(x.Address)
	if !ok {
		return nil
	}
	sc := &scope{cfg: r.cfg}
	for i, m := range a.Modules {
		var inner *cfgModule
		if sc.cfg != nil && sc.cfg.calls[m.Name] != nil {
			inner = sc.cfg.calls[m.Name].module
		}
		sc = &scope{mod: a.Modules[:i+1], cfg: inner, parent: sc}
	}
	sc.ownKey, sc.ownAddr = a.Key, a.ModulePrefix()+a.Res
	sc.ownCount = len(r.byRes[sc.ownAddr])
	var exprs map[string]any
	if sc.cfg != nil {
		sc.res = sc.cfg.resources[a.Res]
		exprs, _ = sc.res["expressions"].(map[string]any)
	}
	f := &filler{r: r, x: x, sc: sc}
	cycle := r.cycle
	f.object(x.Attrs, exprs, "")
	if r.cycle != cycle {
		f.ds = append(f.ds, errDiag(x.Pos, x.Address, "the plan's configuration refers in a circle (%s), which Terraform never plans: the plan is damaged or was edited", r.cycle))
	}
	return f.ds
}

type filler struct {
	r  *planRefs
	x  *resource.Instance
	sc *scope
	ds model.Diagnostics
}

func (f *filler) why(path, reason string) {
	if f.x.Unresolved == nil {
		f.x.Unresolved = map[string]string{}
	}
	f.x.Unresolved[path] = reason
}

// object resolves the unknowns of one object (the instance's attributes, or a
// nested block) given the configuration expressions of the same block.
func (f *filler) object(obj map[string]any, exprs map[string]any, path string) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		if k != resource.PosKey {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		v, ex := obj[k], exprs[k]
		switch tv := v.(type) {
		case resource.UnknownValue:
			switch e := ex.(type) {
			case []any: // nested blocks whose contents are not all known
				obj[k] = f.blocksFromConfig(e, path+k+".")
			case nil:
				if emptyUnlessConfigured(f.x.Type, k) {
					obj[k] = []any{}
					if k == "egress" {
						f.ds = append(f.ds, noteDiag(f.x.Pos, f.x.Address,
							"egress is not known until apply and the configuration declares no egress rule: Terraform removes AWS's default allow-all egress rule, so the group has none (rules written as dynamic blocks would not show in the plan's configuration)"))
					}
				} else if isIDAttr(k) || nestedID(path, k) {
					switch {
					case f.r.cfg == nil:
						f.why(path+k, noConfiguration)
					case f.sc.res == nil:
						f.why(path+k, "the plan's configuration does not describe the resource")
					default:
						f.why(path+k, resource.NotConfigured)
					}
				}
			case map[string]any:
				if isIDAttr(k) || nestedID(path, k) {
					if val, ok := f.resolveExpr(e, k, path+k); ok {
						obj[k] = val
					}
				} else if refs := stringList(e["references"]); len(refs) > 0 {
					// Not an ID: the value stays unknown, and the reason
					// says what it depends on, as for a configuration.
					f.why(path+k, "it depends on "+refs[0]+", known only after apply")
				}
			}
		case []any:
			if blocks, ok := ex.([]any); ok {
				for i, el := range tv {
					m, ok := el.(map[string]any)
					if !ok {
						continue
					}
					var bex map[string]any
					if len(blocks) == len(tv) {
						bex, _ = blocks[i].(map[string]any)
					} else if len(blocks) == 1 {
						bex, _ = blocks[0].(map[string]any)
					}
					f.object(m, bex, path+k+".")
				}
			} else if e, ok := ex.(map[string]any); ok && isIDAttr(k) || nestedID(path, k) && slices.ContainsFunc(tv, resource.IsUnknown) {
				if val, ok := f.resolveExpr(e, k, path+k); ok {
					obj[k] = mergeList(tv, val)
				}
			} else if e, ok := ex.(map[string]any); ok && isExpression(e) && !isIDAttr(k) || nestedID(path, k) {
				f.blockAttr(tv, e, path+k+".")
			}
		case map[string]any:
			if e, ok := ex.(map[string]any); ok && !isExpression(e) {
				f.object(tv, e, path+k+".")
			}
		}
	}
}

// refTypes are the resource types an ID attribute of a nested block can
// name, to tell which of an expression's references it takes.
var refTypes = map[string][]string{
	"security_groups":            {"aws_security_group", "aws_default_security_group"},
	"gateway_id":                 {"aws_internet_gateway", "aws_vpn_gateway", "aws_vpc_endpoint"},
	"nat_gateway_id":             {"aws_nat_gateway"},
	"transit_gateway_id":         {"aws_ec2_transit_gateway"},
	"vpc_peering_connection_id":  {"aws_vpc_peering_connection", "aws_vpc_peering_connection_accepter"},
	"egress_only_gateway_id":     {"aws_egress_only_internet_gateway"},
	"network_interface_id":       {"aws_network_interface", "aws_instance"},
	"vpc_endpoint_id":            {"aws_vpc_endpoint"},
	"prefix_list_ids":            {"aws_ec2_managed_prefix_list", "aws_vpc_endpoint", "aws_prefix_list"},
	"destination_prefix_list_id": {"aws_ec2_managed_prefix_list", "aws_vpc_endpoint", "aws_prefix_list"},
	"subnet_id":                  {"aws_subnet", "aws_default_subnet"},
	"instance_id":                {"aws_instance"},
}

// blockAttr resolves the unknown IDs inside nested blocks written as one
// attribute expression (a security group's ingress given as a list of
// objects): the expression lists the references of every block at once, so
// an unknown attribute takes the one reference of a type it can name, and
// stays unknown when there are several.
func (f *filler) blockAttr(blocks []any, e map[string]any, path string) {
	var targets []target
	resolved := false
	for _, b := range blocks {
		m, ok := b.(map[string]any)
		if !ok {
			continue
		}
		for k, v := range m {
			list, _ := v.([]any)
			if !isIDAttr(k) || (!resource.IsUnknown(v) && !slices.ContainsFunc(list, resource.IsUnknown)) {
				continue
			}
			if !resolved {
				targets, _, _ = f.r.resolve(f.sc, stringList(e["references"]), 0)
				resolved = true
			}
			var cands []target
			for _, t := range targets {
				if slices.Contains(refTypes[k], resource.TypeOf(t.addr)) && !slices.ContainsFunc(cands, func(c target) bool { return c.addr == t.addr }) {
					cands = append(cands, t)
				}
			}
			if len(cands) != 1 {
				names := make([]string, len(cands))
				for i, c := range cands {
					names[i] = c.addr
				}
				f.why(path+k, fmt.Sprintf("the expression of its blocks refers to %d resources it could name (%s): cannot tell which", len(cands), strings.Join(names, ", ")))
				continue
			}
			val, why := f.r.value(cands[0])
			if why != "" {
				f.why(path+k, why)
				continue
			}
			switch {
			case isListAttr(k) && resource.IsUnknown(v):
				m[k] = []any{val}
			case isListAttr(k):
				m[k] = mergeList(list, []any{val})
			default:
				m[k] = val
			}
		}
	}
}

// mergeList replaces the unknown elements of list with the resolved values,
// in order, when their numbers agree; when every element was a reference the
// resolved list replaces it whole.
func mergeList(list []any, val any) []any {
	vals, ok := val.([]any)
	if !ok {
		vals = []any{val}
	}
	if len(vals) == len(list) {
		return vals
	}
	var unk int
	for _, e := range list {
		if resource.IsUnknown(e) {
			unk++
		}
	}
	if unk != len(vals) {
		return list
	}
	out := append([]any(nil), list...)
	j := 0
	for i, e := range out {
		if resource.IsUnknown(e) {
			out[i] = vals[j]
			j++
		}
	}
	return out
}

// emptyUnlessConfigured lists the nested-block attributes that Terraform
// computes as empty when the configuration declares no block of them: a new
// security group has no rules (Terraform revokes the default egress rule), a
// new route table no routes, an instance no extra interfaces.
func emptyUnlessConfigured(typ, attr string) bool {
	switch typ {
	case "aws_security_group", "aws_default_security_group", "aws_network_acl", "aws_default_network_acl":
		return attr == "ingress" || attr == "egress"
	case "aws_route_table", "aws_default_route_table":
		return attr == "route" || attr == "propagating_vgws"
	case "aws_instance":
		return attr == "network_interface"
	case "aws_ec2_managed_prefix_list":
		return attr == "entry"
	}
	return false
}

// isIDAttr reports whether an attribute holds IDs of other resources, the only
// kind of unknown value a reference can stand for.
func isIDAttr(name string) bool {
	if strings.HasSuffix(name, "_id") || strings.HasSuffix(name, "_ids") || strings.HasSuffix(name, "_arn") {
		return true
	}
	switch name {
	case "security_groups", "propagating_vgws", "instance", "network_interface", "subnets",
		"vpc_zone_identifier", "target_group_arns", "load_balancers", "instances":
		return true
	}
	return false
}

// nestedID reports whether attribute k of a nested block (path not empty)
// is the ID of another resource: a block's "id" or "arn" names what it
// refers to (an Auto Scaling group's launch_template { id }, a target
// group's arn in a listener's forward action).
func nestedID(path, k string) bool { return path != "" && (k == "id" || k == "arn") }

func isListAttr(name string) bool {
	switch name {
	case "security_groups", "propagating_vgws", "subnets", "vpc_zone_identifier", "target_group_arns", "load_balancers", "instances":
		return true
	}
	return strings.HasSuffix(name, "_ids")
}

// isExpression tells an expression object ({"constant_value": …} or
// {"references": […]}) from a nested single block of expressions.
func isExpression(e map[string]any) bool {
	_, c := e["constant_value"]
	_, r := e["references"]
	return c || r || len(e) == 0 || (len(e) == 1 && e[resource.PosKey] != nil)
}

// blocksFromConfig rebuilds nested blocks whose planned value is wholly
// unknown from their configuration: constants as written, references
// resolved, anything else unknown.
func (f *filler) blocksFromConfig(blocks []any, path string) []any {
	out := make([]any, 0, len(blocks))
	for _, b := range blocks {
		ex, ok := b.(map[string]any)
		if !ok {
			continue
		}
		out = append(out, f.blockFromConfig(ex, path))
	}
	return out
}

func (f *filler) blockFromConfig(exprs map[string]any, path string) map[string]any {
	obj := map[string]any{}
	for k, e := range exprs {
		switch e := e.(type) {
		case []any:
			obj[k] = f.blocksFromConfig(e, path+k+".")
		case map[string]any:
			switch {
			case !isExpression(e):
				obj[k] = f.blockFromConfig(e, path+k+".")
			case e["constant_value"] != nil:
				obj[k] = cloneValue(e["constant_value"])
			case isIDAttr(k):
				obj[k] = resource.Unknown
				if val, ok := f.resolveExpr(e, k, path+k); ok {
					obj[k] = val
				}
			default:
				obj[k] = resource.Unknown
			}
		}
	}
	return obj
}

// resolveExpr resolves the references of one expression for attribute attr:
// a string for a single reference, a list for a list attribute. It records
// why in the instance's Unresolved when it cannot.
func (f *filler) resolveExpr(e map[string]any, attr, path string) (any, bool) {
	refs := stringList(e["references"])
	if len(refs) == 0 {
		f.why(path, "the plan's configuration does not say where it comes from")
		return nil, false
	}
	targets, amb, why := f.r.resolve(f.sc, refs, 0)
	if why != "" {
		if v, ok := f.infer(attr, path, why); ok {
			return v, true
		}
		f.why(path, why)
		return nil, false
	}
	vals := make([]any, 0, len(targets))
	for _, t := range targets {
		v, why := f.r.value(t)
		if why != "" {
			f.why(path, why)
			return nil, false
		}
		if !slices.Contains(vals, any(v)) {
			vals = append(vals, v)
		}
	}
	if isListAttr(attr) {
		return vals, true
	}
	if len(vals) != 1 {
		if v, ok := f.infer(attr, path, "its references name several resources"); ok {
			return v, true
		}
		if amb == "" {
			names := make([]string, len(targets))
			for i, t := range targets {
				names[i] = t.addr
			}
			amb = fmt.Sprintf("it may come from any of %s", strings.Join(names, ", "))
		}
		f.why(path, amb)
		return nil, false
	}
	return vals[0], true
}

// value is the ID a target stands for: its planned value when known, else
// its symbolic ID.
func (r *planRefs) value(t target) (string, string) {
	attr := t.attr
	if attr == "" {
		attr = "id"
	}
	if attr != "id" && attr != "arn" && !strings.HasSuffix(attr, "_id") && !strings.HasSuffix(attr, "_arn") {
		return "", fmt.Sprintf("it comes from %s.%s, which is not an ID", t.addr, attr)
	}
	if x := r.byAddr[t.addr]; x != nil {
		if s, ok := x.Attrs[attr].(string); ok && s != "" {
			return s, ""
		}
	}
	return resource.SymbolicID(t.addr, attr), ""
}

// noConfiguration is why an unknown reference stays unknown in a plan
// without a configuration section.
const noConfiguration = "the plan has no configuration section to follow its references"

// maxRefDepth bounds the chain of module inputs and outputs followed.
const maxRefDepth = 32

// subject is what one reference names, with the attribute it reads.
type subject struct {
	kind string // resource, module, var, local, each
	name string // resource address in scope, module call, variable or local name
	key  string // instance key when the reference has one
	attr string // first attribute after the subject; for module outputs the output name
	idx  string // index after a module output, e.g. module.vpc.private_subnets[0]
}

// resolve turns a reference list into targets. It returns a reason instead
// when the references cannot be followed to resource instances, and amb
// when a reference names every instance of a resource with several, which
// only a list attribute can take.
func (r *planRefs) resolve(sc *scope, refs []string, depth int) (ts []target, amb, why string) {
	r.steps++
	if depth > maxRefDepth || r.steps > maxRefSteps {
		return nil, "", "its references nest too deeply to follow"
	}
	if r.cfg == nil {
		return nil, "", noConfiguration
	}
	subs, why := subjects(refs)
	if why != "" {
		return nil, "", why
	}
	// A variable among the references may only pick the element
	// (element(aws_route_table.private[*].id, var.single ? 0 :
	// count.index)), and a resource with no instance is passed over
	// (coalescelist(aws_route_table.database[*].id,
	// aws_route_table.private[*].id)): either matters only when nothing
	// else is referenced.
	var varWhy string
	for _, s := range subs {
		t, a, why := r.resolveSubject(sc, s, depth)
		absent := s.kind == "resource" && len(r.byRes[sc.prefix()+s.name]) == 0
		if why != "" && (s.kind == "var" || absent) {
			if varWhy == "" {
				varWhy = why
			}
			continue
		}
		if why != "" {
			return nil, "", why
		}
		if amb == "" {
			amb = a
		}
		ts = append(ts, t...)
	}
	if len(ts) == 0 && varWhy != "" {
		return nil, "", varWhy
	}
	if len(ts) == 0 {
		return nil, "", "it refers to no resource"
	}
	return ts, amb, ""
}

// subjects groups Terraform's reference list, which repeats each reference
// at every traversal step (aws_vpc.main.id, aws_vpc.main), into one subject
// per referenced object.
func subjects(refs []string) ([]subject, string) {
	var out []subject
	seen := map[string]int{}
	for _, ref := range refs {
		st, ok := resource.SplitTraversal(ref)
		if !ok || len(st) == 0 || st[0].Name == "" {
			continue
		}
		var s subject
		rest := st
		switch st[0].Name {
		case "count", "path", "terraform", "self":
			continue
		case "each":
			if len(st) < 2 || st[1].Name != "value" {
				continue
			}
			s.kind, rest = "each", st[2:]
		case "var", "local":
			if len(st) < 2 {
				continue
			}
			s.kind, s.name, rest = st[0].Name, st[1].Name, st[2:]
		case "module":
			if len(st) < 2 {
				continue
			}
			s.kind, s.name, rest = "module", st[1].Name, st[2:]
		case "data":
			if len(st) < 3 {
				continue
			}
			s.kind, s.name, rest = "resource", "data."+st[1].Name+"."+st[2].Name, st[3:]
		default:
			if len(st) < 2 || st[1].Name == "" {
				continue
			}
			s.kind, s.name, rest = "resource", st[0].Name+"."+st[1].Name, st[2:]
		}
		if len(rest) > 0 && rest[0].Index != "" && s.kind != "each" {
			s.key, rest = rest[0].Index, rest[1:]
		}
		if len(rest) > 0 && rest[0].Name != "" {
			s.attr, rest = rest[0].Name, rest[1:]
			if s.kind == "module" && len(rest) > 0 && rest[0].Index != "" {
				s.idx = rest[0].Index
			}
		}
		id := s.kind + " " + s.name + s.key
		if i, dup := seen[id]; dup {
			if out[i].attr == "" {
				out[i].attr = s.attr
			}
			if out[i].idx == "" {
				out[i].idx = s.idx
			}
			continue
		}
		seen[id] = len(out)
		out = append(out, s)
	}
	// Terraform lists aws_subnet.x[0].id, aws_subnet.x[0] and also the bare
	// aws_subnet.x: the keyed subject is the real one.
	keyed := map[string]bool{}
	for _, s := range out {
		if s.key != "" {
			keyed[s.kind+" "+s.name] = true
		}
	}
	out = slices.DeleteFunc(out, func(s subject) bool { return s.key == "" && keyed[s.kind+" "+s.name] })
	for _, s := range out {
		if s.kind == "local" {
			return nil, fmt.Sprintf("it refers to local.%s, and the plan's JSON does not include locals, so vpcsim cannot follow it", s.name)
		}
	}
	return out, ""
}

func (r *planRefs) resolveSubject(sc *scope, s subject, depth int) (ts []target, amb, why string) {
	switch s.kind {
	case "resource":
		base := sc.prefix() + s.name
		if s.key != "" {
			if r.byAddr[base+s.key] == nil {
				return nil, "", fmt.Sprintf("it refers to %s, which is not in the plan", base+s.key)
			}
			return []target{{base + s.key, s.attr}}, "", ""
		}
		list := r.byRes[base]
		switch {
		case len(list) == 0:
			return nil, "", fmt.Sprintf("it refers to %s, which is not in the plan", base)
		case len(list) == 1 && list[0].Address == base:
			return []target{{base, s.attr}}, "", ""
		case sc.ownKey != "" && r.byAddr[base+sc.ownKey] != nil && sc.ownCount == len(list):
			// aws_subnet.x[count.index].id lists only aws_subnet.x:
			// the instance with the referencing instance's own key is
			// meant when both resources have as many instances.
			return []target{{base + sc.ownKey, s.attr}}, "", ""
		}
		out := make([]target, len(list))
		for i, x := range list {
			out[i] = target{x.Address, s.attr}
		}
		amb = fmt.Sprintf("it refers to %s, which has %d instances", base, len(list))
		if sc.ownAddr != "" {
			amb += fmt.Sprintf(", while %s has %d", sc.ownAddr, sc.ownCount)
		}
		return out, amb + ": cannot tell which one", ""
	case "module":
		if sc.cfg == nil || sc.cfg.calls[s.name] == nil || sc.cfg.calls[s.name].module == nil {
			return nil, "", fmt.Sprintf("it refers to module.%s, which the plan's configuration does not describe", s.name)
		}
		call := sc.cfg.calls[s.name]
		out := call.module.outputs[s.attr]
		expr, _ := out["expression"].(map[string]any)
		if expr == nil {
			return nil, "", fmt.Sprintf("it refers to module.%s.%s, which the plan's configuration does not describe", s.name, s.attr)
		}
		key := s.key
		if key == "" {
			keys := r.modKeys[sc.prefix()+"module."+s.name]
			if len(keys) > 1 || (len(keys) == 1 && keys[0] != "") {
				return nil, "", fmt.Sprintf("it refers to module.%s, which has %d instances: cannot tell which one", s.name, len(keys))
			}
		}
		inner := &scope{mod: append(slices.Clone(sc.mod), resource.ModStep{Name: s.name, Key: key}), cfg: call.module, parent: sc}
		if !r.enter(inner.prefix() + "output." + s.attr) {
			return nil, "", "its references go round: " + r.cycle
		}
		ts, amb, why := r.resolve(inner, stringList(expr["references"]), depth+1)
		r.leave()
		if why != "" {
			return nil, "", why
		}
		if s.idx != "" {
			i, err := strconv.Atoi(strings.Trim(s.idx, "[]"))
			if err != nil || i < 0 || i >= len(ts) {
				return nil, "", fmt.Sprintf("it refers to element %s of module.%s.%s, which cannot be matched to a resource", s.idx, s.name, s.attr)
			}
			ts, amb = ts[i:i+1], ""
		}
		return ts, amb, ""
	case "var":
		if len(sc.mod) == 0 || sc.parent == nil || sc.parent.cfg == nil {
			return nil, "", fmt.Sprintf("it refers to var.%s, whose value the plan does not say", s.name)
		}
		last := sc.mod[len(sc.mod)-1]
		call := sc.parent.cfg.calls[last.Name]
		if call == nil {
			return nil, "", fmt.Sprintf("it refers to var.%s of a module call the plan's configuration does not describe", s.name)
		}
		e, _ := call.expressions[s.name].(map[string]any)
		if e == nil {
			return nil, "", fmt.Sprintf("it refers to var.%s, which the module call does not set", s.name)
		}
		outer := *sc.parent
		outer.ownKey = last.Key
		outer.ownAddr = outer.prefix() + "module." + last.Name
		outer.ownCount = len(r.modKeys[outer.ownAddr])
		outer.res = nil
		if !r.enter(sc.prefix() + "var." + s.name) {
			return nil, "", "its references go round: " + r.cycle
		}
		ts, amb, why := r.resolve(&outer, stringList(e["references"]), depth+1)
		r.leave()
		if why != "" {
			return nil, "", why
		}
		for i := range ts {
			if ts[i].attr == "" {
				ts[i].attr = s.attr
			}
		}
		return ts, amb, ""
	case "each":
		fe, _ := sc.res["for_each_expression"].(map[string]any)
		if fe == nil || sc.ownKey == "" {
			return nil, "", "it refers to each.value, and the plan does not say what the for_each iterates over"
		}
		subs, why := subjects(stringList(fe["references"]))
		if why != "" {
			return nil, "", why
		}
		if len(subs) != 1 || subs[0].kind != "resource" {
			return nil, "", "it refers to each.value of a for_each that is not one resource"
		}
		addr := sc.prefix() + subs[0].name + sc.ownKey
		if r.byAddr[addr] == nil {
			return nil, "", fmt.Sprintf("it refers to each.value, but %s is not in the plan", addr)
		}
		return []target{{addr, s.attr}}, "", ""
	}
	return nil, "", ""
}

func stringList(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// inferTypes are the resource types a single ID attribute can name, for
// infer.
var inferTypes = map[string][]string{
	"vpc_id":                         {"aws_vpc", "aws_default_vpc"},
	"route_table_id":                 {"aws_route_table", "aws_default_route_table"},
	"network_acl_id":                 {"aws_network_acl", "aws_default_network_acl"},
	"security_group_id":              {"aws_security_group", "aws_default_security_group"},
	"allocation_id":                  {"aws_eip"},
	"transit_gateway_route_table_id": {"aws_ec2_transit_gateway_route_table"},
	"transit_gateway_attachment_id":  {"aws_ec2_transit_gateway_vpc_attachment"},
}

// infer resolves an ID attribute whose references cannot be followed (a
// local value, which the plan's JSON leaves out) to the only resource of a
// type the attribute can name in the referencing module instance, when
// there is exactly one. The terraform-aws-modules VPC module writes every
// vpc_id as local.vpc_id; without this, none of its subnets would be placed.
// A note says what was inferred and why.
func (f *filler) infer(attr, path, why string) (any, bool) {
	types := inferTypes[attr]
	if types == nil {
		types = refTypes[attr]
	}
	if len(types) == 0 || isListAttr(attr) {
		return nil, false
	}
	prefix := f.sc.prefix()
	var cands []*resource.Instance
	for _, x := range f.r.all {
		if !slices.Contains(types, x.Type) || x.Address == f.x.Address {
			continue
		}
		a, ok := resource.ParseAddr(x.Address)
		if ok && a.ModulePrefix() == prefix {
			cands = append(cands, x)
		}
	}
	if len(cands) != 1 {
		return nil, false
	}
	pick := cands[0]
	v, bad := f.r.value(target{addr: pick.Address, attr: "id"})
	if bad != "" {
		return nil, false
	}
	f.ds = append(f.ds, noteDiag(f.x.Pos, f.x.Address, "%s is not known until apply and %s: taken as %s, the only one of its type in the module", path, why, pick.Address))
	return v, true
}

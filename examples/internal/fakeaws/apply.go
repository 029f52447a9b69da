package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
)

const awsProvider = "registry.terraform.io/hashicorp/aws"

func runApply(args []string) error {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	planPath := fs.String("plan", "", "`terraform show -json` of the plan")
	schemaPath := fs.String("schema", "", "`terraform providers schema -json`")
	statePath := fs.String("state", "terraform.tfstate", "the state to extend (created when absent)")
	lineage := fs.String("lineage", "", "seed of the state's lineage UUID (default: the state file name)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *planPath == "" || *schemaPath == "" {
		return errors.New("apply needs -plan and -schema")
	}
	var plan planDoc
	if err := readJSON(*planPath, &plan); err != nil {
		return err
	}
	var schemas schemaDoc
	if err := readJSON(*schemaPath, &schemas); err != nil {
		return err
	}
	ps, ok := schemas.ProviderSchemas[awsProvider]
	if !ok {
		return fmt.Errorf("%s: no schema for %s", *schemaPath, awsProvider)
	}
	st := &stateDoc{Version: 4, Outputs: map[string]any{}}
	if _, err := os.Stat(*statePath); err == nil {
		if err := readJSON(*statePath, st); err != nil {
			return err
		}
	} else {
		seed := *lineage
		if seed == "" {
			seed = *statePath
		}
		st.Lineage = uuid("lineage|" + seed)
	}
	a := &applier{ns: st.Lineage, plan: &plan, resources: ps.ResourceSchemas, dataSources: ps.DataSourceSchemas, state: st, addrs: newAddresses()}
	added, remaining, err := a.round()
	if err != nil {
		return err
	}
	st.TerraformVersion = plan.TerraformVersion
	st.Serial++
	sortState(st)
	if err := writeJSON(*statePath, st); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "fakeaws: %d resource instances added, %d left for the next round\n", added, remaining)
	return nil
}

type applier struct {
	ns          string // the state's lineage: seeds of the values made up for it
	plan        *planDoc
	resources   map[string]*resourceSchema
	dataSources map[string]*resourceSchema
	state       *stateDoc
	addrs       *addresses

	refs        map[string][]string // configuration address -> resources it references
	byID        map[string]map[string]any
	defaultTags map[string]any
}

// round adds every planned creation whose references are all in the state.
func (a *applier) round() (added, remaining int, err error) {
	if len(a.plan.Configuration.RootModule.ModuleCalls) > 0 {
		return 0, 0, errors.New("the configuration calls modules; fakeaws handles root modules only")
	}
	a.indexConfig()
	a.indexState()
	a.defaultTags = providerDefaultTags(a.plan)

	inState := map[string]bool{}
	for _, r := range a.state.Resources {
		inState[resourceAddr(r.Mode, r.Type, r.Name)] = true
	}
	var ready []*resourceChange
	for i := range a.plan.ResourceChanges {
		rc := &a.plan.ResourceChanges[i]
		if rc.ModuleAddr != "" {
			return 0, 0, fmt.Errorf("%s: resources in modules are not handled", rc.Address)
		}
		acts := strings.Join(rc.Change.Actions, ",")
		switch {
		case acts == "no-op" || acts == "read":
			continue
		case acts != "create":
			return 0, 0, fmt.Errorf("the plan would %s %s: the state is not what the configuration describes", acts, rc.Address)
		case rc.Mode != "managed":
			continue
		}
		base := resourceAddr(rc.Mode, rc.Type, rc.Name)
		if inState[base] {
			return 0, 0, fmt.Errorf("%s: the plan creates an instance of a resource already in the state", rc.Address)
		}
		ok := true
		for _, r := range a.refs[base] {
			if !strings.HasPrefix(r, "data.") && !inState[r] {
				ok = false
			}
		}
		if ok {
			ready = append(ready, rc)
		} else {
			remaining++
		}
	}
	if len(ready) == 0 {
		if remaining > 0 {
			return 0, 0, fmt.Errorf("%d planned creations wait for resources that are not in the state: a reference cycle, or one hidden in a local value", remaining)
		}
		return 0, 0, errors.New("the plan creates nothing")
	}
	// Everything a configured value mentions is taken first, so that the
	// addresses AWS picks do not collide with the ones the configuration
	// fixes.
	for _, rc := range ready {
		walkStrings(rc.Change.After, a.addrs.take)
	}
	slices.SortFunc(ready, func(x, y *resourceChange) int { return cmp.Compare(x.Address, y.Address) })
	if a.plan.PriorState != nil {
		if err := a.addDataSources(); err != nil {
			return 0, 0, err
		}
	}
	for _, rc := range ready {
		if err := a.create(rc); err != nil {
			return 0, 0, fmt.Errorf("%s: %w", rc.Address, err)
		}
		added++
	}
	return added, remaining, nil
}

// create fills the unknown values of one planned instance and adds it to
// the state.
func (a *applier) create(rc *resourceChange) error {
	rs, ok := a.resources[rc.Type]
	if !ok {
		return fmt.Errorf("no schema for %s", rc.Type)
	}
	gens, ok := generators[rc.Type]
	if !ok {
		return fmt.Errorf("fakeaws has no values for %s: add them to generators", rc.Type)
	}
	c := &fillCtx{a: a, rc: rc, typ: rc.Type, addr: rc.Address, known: rc.Change.After, unknown: rc.Change.AfterUnknown, gens: gens, done: map[string]any{}, busy: map[string]bool{}}
	attrs, err := c.fill(rs.Block)
	if err != nil {
		return err
	}
	readBack(rc.Type, rs.Block, rc.Change.After, attrs)
	if f := afterRead[rc.Type]; f != nil {
		f(attrs)
	}
	in := &stateInstance{
		IndexKey:            rc.Index,
		SchemaVersion:       rs.Version,
		Attributes:          attrs,
		SensitiveAttributes: sensitivePaths(rc.Change.AfterSensitive, nil),
		Dependencies:        a.dependencies(resourceAddr(rc.Mode, rc.Type, rc.Name)),
	}
	a.addInstance("managed", rc.Type, rc.Name, in)
	if id, ok := attrs["id"].(string); ok {
		a.byID[id] = attrs
	}
	walkStrings(attrs, a.addrs.take)
	return nil
}

// addDataSources keeps what the plan read from data sources (they need no
// AWS call, like aws_iam_policy_document), as a state does.
func (a *applier) addDataSources() error {
	for _, r := range a.plan.PriorState.Values.RootModule.Resources {
		if r.Mode != "data" {
			continue
		}
		addr := resourceAddr(r.Mode, r.Type, r.Name)
		if a.hasResource(addr) {
			continue
		}
		rs, ok := a.dataSources[r.Type]
		if !ok {
			return fmt.Errorf("no schema for data source %s", r.Type)
		}
		a.addInstance("data", r.Type, r.Name, &stateInstance{
			IndexKey:            r.Index,
			SchemaVersion:       rs.Version,
			Attributes:          r.Values,
			SensitiveAttributes: sensitivePaths(r.SensitiveValues, nil),
		})
	}
	return nil
}

func (a *applier) hasResource(addr string) bool {
	for _, r := range a.state.Resources {
		if resourceAddr(r.Mode, r.Type, r.Name) == addr {
			return true
		}
	}
	return false
}

func (a *applier) addInstance(mode, typ, name string, in *stateInstance) {
	for _, r := range a.state.Resources {
		if r.Mode == mode && r.Type == typ && r.Name == name {
			r.Instances = append(r.Instances, in)
			return
		}
	}
	a.state.Resources = append(a.state.Resources, &stateResource{
		Mode: mode, Type: typ, Name: name,
		Provider:  `provider["` + awsProvider + `"]`,
		Instances: []*stateInstance{in},
	})
}

func resourceAddr(mode, typ, name string) string {
	if mode == "data" {
		return "data." + typ + "." + name
	}
	return typ + "." + name
}

// refPattern takes the resource out of a reference such as
// `aws_subnet.app["a"].id` or `data.aws_iam_policy_document.x.json`.
var refPattern = regexp.MustCompile(`^(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)`)

func (a *applier) indexConfig() {
	a.refs = map[string][]string{}
	for _, r := range a.plan.Configuration.RootModule.Resources {
		set := map[string]bool{}
		var collect func(v any)
		collect = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					if k == "references" {
						if refs, ok := x.([]any); ok {
							for _, ref := range refs {
								if s, ok := ref.(string); ok {
									if m := refPattern.FindStringSubmatch(s); m != nil {
										set[m[1]+m[2]+"."+m[3]] = true
									}
								}
							}
						}
						continue
					}
					collect(x)
				}
			case []any:
				for _, x := range v {
					collect(x)
				}
			}
		}
		collect(r.Expressions)
		collect(r.CountExpression)
		collect(r.ForEachExpression)
		for _, d := range r.DependsOn {
			if m := refPattern.FindStringSubmatch(d); m != nil {
				set[m[1]+m[2]+"."+m[3]] = true
			}
		}
		delete(set, r.Address)
		refs := make([]string, 0, len(set))
		for k := range set {
			refs = append(refs, k)
		}
		sort.Strings(refs)
		a.refs[r.Address] = refs
	}
}

// dependencies are what Terraform records in state: every resource the
// instance depends on, directly or not, sorted.
func (a *applier) dependencies(addr string) []string {
	seen := map[string]bool{}
	var visit func(string)
	visit = func(x string) {
		for _, r := range a.refs[x] {
			if !seen[r] {
				seen[r] = true
				visit(r)
			}
		}
	}
	visit(addr)
	delete(seen, addr)
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	if len(out) == 0 {
		return nil
	}
	return out
}

func (a *applier) indexState() {
	a.byID = map[string]map[string]any{}
	for _, r := range a.state.Resources {
		for _, in := range r.Instances {
			walkStrings(in.Attributes, a.addrs.take)
			if r.Mode == "managed" {
				if id, ok := in.Attributes["id"].(string); ok {
					a.byID[id] = in.Attributes
				}
			}
		}
	}
}

func providerDefaultTags(p *planDoc) map[string]any {
	pc, ok := p.Configuration.ProviderConfig["aws"]
	if !ok {
		return nil
	}
	dt, ok := pc.Expressions["default_tags"].([]any)
	if !ok || len(dt) == 0 {
		return nil
	}
	blk, _ := dt[0].(map[string]any)
	tags, _ := blk["tags"].(map[string]any)
	cv, _ := tags["constant_value"].(map[string]any)
	return cv
}

// sensitivePaths turns after_sensitive (true at each sensitive value) into
// the paths of a state's sensitive_attributes.
func sensitivePaths(v any, prefix []any) []any {
	out := []any{}
	switch v := v.(type) {
	case bool:
		if v && prefix != nil {
			out = append(out, slices.Clone(prefix))
		}
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			step := map[string]any{"type": "get_attr", "value": k}
			out = append(out, sensitivePaths(v[k], append(slices.Clone(prefix), step))...)
		}
	case []any:
		for i, x := range v {
			step := map[string]any{"type": "index", "value": map[string]any{"value": json.Number(fmt.Sprint(i)), "type": "number"}}
			out = append(out, sensitivePaths(x, append(slices.Clone(prefix), step))...)
		}
	}
	return out
}

func sortState(st *stateDoc) {
	slices.SortStableFunc(st.Resources, func(x, y *stateResource) int {
		return cmp.Or(cmp.Compare(x.Mode, y.Mode), cmp.Compare(x.Type, y.Type), cmp.Compare(x.Name, y.Name))
	})
	for _, r := range st.Resources {
		slices.SortStableFunc(r.Instances, func(x, y *stateInstance) int { return compareKeys(x.IndexKey, y.IndexKey) })
	}
}

func compareKeys(x, y any) int {
	switch x := x.(type) {
	case string:
		if y, ok := y.(string); ok {
			return cmp.Compare(x, y)
		}
	case json.Number:
		if y, ok := y.(json.Number); ok {
			xi, _ := x.Int64()
			yi, _ := y.Int64()
			return cmp.Compare(xi, yi)
		}
	}
	return 0
}

func walkStrings(v any, f func(string)) {
	switch v := v.(type) {
	case string:
		f(v)
	case map[string]any:
		for _, x := range v {
			walkStrings(x, f)
		}
	case []any:
		for _, x := range v {
			walkStrings(x, f)
		}
	}
}

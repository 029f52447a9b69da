package hcl

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
)

func TestZZCompare(t *testing.T) {
	dir := os.Getenv("EXDIR")
	stf := os.Getenv("EXSTATE")
	if dir == "" {
		t.Skip()
	}
	res := evalConfig(os.DirFS(dir), ".", WithEnv([]string{}))
	for _, d := range res.diags {
		fmt.Println(d)
	}
	var st struct {
		Resources []struct {
			Module, Mode, Type, Name string
			Instances                []struct {
				IndexKey   any            `json:"index_key"`
				Attributes map[string]any `json:"attributes"`
			}
		}
	}
	b, _ := os.ReadFile(stf)
	json.Unmarshal(b, &st)
	state := map[string]map[string]any{}
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			a := r.Type + "." + r.Name
			if r.Mode == "data" {
				a = "data." + a
			}
			if r.Module != "" {
				a = r.Module + "." + a
			}
			switch k := in.IndexKey.(type) {
			case float64:
				a += fmt.Sprintf("[%d]", int(k))
			case string:
				a += fmt.Sprintf("[%q]", k)
			}
			state[a] = in.Attributes
		}
	}
	cfg := map[string]instance{}
	for _, in := range res.instances {
		cfg[in.Address] = in
		if state[in.Address] == nil {
			fmt.Println("ONLY IN CONFIG", in.Address)
		}
	}
	var keys []string
	for a := range state {
		keys = append(keys, a)
	}
	sort.Strings(keys)
	for _, a := range keys {
		in, ok := cfg[a]
		if !ok {
			fmt.Println("ONLY IN STATE", a)
			continue
		}
		for k, v := range in.Attrs {
			sv, ok := state[a][k]
			if !ok {
				if k != posKey {
					fmt.Printf("  %s: %s not in state (%s)\n", a, k, show(v))
				}
				continue
			}
			cv := show(v)
			svs := showJSON(sv)
			if cv != svs && !strings.Contains(cv, "(unknown)") {
				fmt.Printf("  %s: %s config=%s state=%s\n", a, k, cv, svs)
			}
		}
	}
}

func showJSON(v any) string {
	switch v := v.(type) {
	case float64:
		return fmt.Sprint(json.Number(fmt.Sprint(v)))
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = showJSON(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	case map[string]any:
		ks := make([]string, 0, len(v))
		for k := range v {
			ks = append(ks, k)
		}
		sort.Strings(ks)
		parts := make([]string, len(ks))
		for i, k := range ks {
			parts[i] = k + ":" + showJSON(v[k])
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	return show(v)
}

package examples

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/internal/estate"
	"github.com/vpcsim/vpcsim/internal/estate/estatetest"
)

func TestStatesAreConsistent(t *testing.T) {
	for _, e := range All() {
		for _, err := range estatetest.Check(e.State()) {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
}

var update = flag.Bool("update", false, "rewrite the example state files from internal/estate")

// The state files are the generator's output: editing the JSON by hand
// would let it drift from the code that keeps it consistent. Run with
// -update (or go generate ./examples) after changing the generator.
func TestStatesAreGenerated(t *testing.T) {
	names := estate.ExampleNames()
	// An example made with real Terraform (its folder has the plan that
	// made it) is checked by go test ./examples/internal/fakeaws instead.
	all := slices.DeleteFunc(All(), func(e Example) bool {
		_, err := os.Stat(filepath.Join(e.Name, "plan.json"))
		return err == nil
	})
	if len(all) != len(names) {
		t.Fatalf("All() has %d examples, the generator %d", len(all), len(names))
	}
	for i, e := range all {
		if e.Name != names[i] {
			t.Fatalf("example %d is %s, the generator's %s", i, e.Name, names[i])
		}
		want, err := estate.Example(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.WriteFile(e.StatePath, want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if !bytes.Equal(e.State(), want) {
			t.Errorf("%s: terraform.tfstate is not what internal/estate builds; run go test ./examples -update", e.StatePath)
		}
	}
}

func TestDefaultIsThreeTier(t *testing.T) {
	d := Default()
	if d.Name != "three-tier" || len(d.State()) == 0 {
		t.Fatalf("Default() = %+v, want the embedded three-tier example", d)
	}
	if !strings.HasPrefix(d.Title, "three-tier: ") {
		t.Errorf("Title = %q, want the README's first line", d.Title)
	}
	if _, ok := Lookup("no-such-example"); ok {
		t.Error("Lookup found an example that does not exist")
	}
	if (Example{}).State() != nil {
		t.Error("the zero Example has a state")
	}
}

var (
	idPattern      = regexp.MustCompile(`\b(vpc|subnet|sg|rtb|igw|eigw|nat|eni|i|pcx|tgw|tgw-attach|tgw-rtb|vpce|cgw|vpn|acl)-[0-9a-f]{17}\b`)
	backtickedSpan = regexp.MustCompile("`([^`]+)`")
)

// The READMEs are what later issues test against: every AWS ID and every
// Terraform address they name must be in the state.
func TestREADMEsNameWhatTheStateHas(t *testing.T) {
	for _, e := range All() {
		readme := string(e.README())
		for _, section := range []string{"## Topology", "## Flows a reviewer cares about", "## Findings a review should report"} {
			if !strings.Contains(readme, section) {
				t.Errorf("%s/README.md has no %q section", e.Name, section)
			}
		}
		state := string(e.State())
		for _, id := range idPattern.FindAllString(readme, -1) {
			if !strings.Contains(state, `"`+id+`"`) {
				t.Errorf("%s/README.md names %s, which is not in the state", e.Name, id)
			}
		}
		addrs := instanceAddresses(t, e.State())
		// Fences would pair their backticks with the spans'.
		prose := strings.ReplaceAll(readme, "```", "")
		for _, m := range backtickedSpan.FindAllStringSubmatch(prose, -1) {
			s := m[1]
			if !strings.Contains(s, "aws_") || !strings.Contains(s, ".") || strings.ContainsAny(s, "…/ ") {
				continue
			}
			if !addrs.has(s) {
				t.Errorf("%s/README.md names %s, which is not in the state", e.Name, s)
			}
		}
	}
}

type addressSet map[string]bool

// has reports whether s is a resource or instance address of the state, or
// an attribute of one.
func (a addressSet) has(s string) bool {
	for {
		if a[s] {
			return true
		}
		i := strings.LastIndexByte(s, '.')
		if i < 0 {
			return false
		}
		s = s[:i]
	}
}

func instanceAddresses(t *testing.T, state []byte) addressSet {
	var st struct {
		Resources []struct {
			Module, Mode, Type, Name string
			Instances                []struct {
				IndexKey any `json:"index_key"`
			}
		}
	}
	if err := json.Unmarshal(state, &st); err != nil {
		t.Fatal(err)
	}
	set := addressSet{}
	for _, r := range st.Resources {
		base := r.Type + "." + r.Name
		if r.Mode == "data" {
			base = "data." + base
		}
		if r.Module != "" {
			base = r.Module + "." + base
		}
		set[base] = true
		for _, in := range r.Instances {
			switch k := in.IndexKey.(type) {
			case float64:
				set[fmt.Sprintf("%s[%d]", base, int(k))] = true
			case string:
				set[fmt.Sprintf("%s[%q]", base, k)] = true
			}
		}
	}
	return set
}

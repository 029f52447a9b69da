package hcl_test

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// TestSplitStacks loads a network stack's state and an app stack's real
// plan, which reads the network through terraform_remote_state, as one
// network (in both orders), and checks that it gives the answers the same
// resources give planned as one stack: the same exposures, service by
// service, and the same traces. Alone, the app's plan knows nothing of the
// subnet's block; merged, its instance gets its addresses.
func TestSplitStacks(t *testing.T) {
	dir := filepath.Join("testdata", "splitstacks")
	single, err := hcl.Load(filepath.Join(dir, "single", "plan.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := exposures(t, single.Network)
	if len(want) == 0 {
		t.Fatal("the single stack exposes nothing: the fixture is wrong")
	}
	state, plan := filepath.Join(dir, "network.tfstate"), filepath.Join(dir, "app", "plan.json")
	for _, paths := range [][]string{{state, plan}, {plan, state}} {
		merged, err := hcl.LoadAll(paths)
		if err != nil {
			t.Fatalf("%v: %v", paths, err)
		}
		for _, d := range merged.Diagnostics {
			if d.Severity == model.SeverityWarning {
				t.Errorf("%v: warning %s", paths, d)
			}
		}
		if got := exposures(t, merged.Network); !slices.Equal(got, want) {
			t.Errorf("%v: exposures\n%v\nwant, as one stack,\n%v", paths, got, want)
		}
		e, err := reach.New(merged.Network)
		if err != nil {
			t.Fatal(err)
		}
		for _, port := range []uint16{22, 443, 80} {
			one, err := reach.New(single.Network)
			if err != nil {
				t.Fatal(err)
			}
			q := reach.Query{From: "internet", To: "aws_instance.web", Protocol: model.ProtocolTCP, Port: portPtr(port)}
			a, err := one.Trace(q)
			if err != nil {
				t.Fatal(err)
			}
			b, err := e.Trace(q)
			if err != nil {
				t.Fatal(err)
			}
			if a.Verdict != b.Verdict {
				t.Errorf("%v: internet -> web tcp %d: %s, as one stack %s\n%s", paths, port, b.Verdict, a.Verdict, explain(b))
			}
		}
	}
}

// exposures lists what the internet reaches, by interface key, protocol,
// ports and sources.
func exposures(t *testing.T, n *model.Network) []string {
	t.Helper()
	e, err := reach.New(n)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Analyze(reach.AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, fs := range a.AllFindings() {
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%s %s %s %v", f.Target.Kind, f.Protocols, f.Ports, f.Sources))
		}
	}
	slices.Sort(out)
	return out
}

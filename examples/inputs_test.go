package examples_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// TestWebPlatformInputsAgree reads the web-platform estate four ways — its
// Terraform state, its configuration, its plan and an AWS CLI snapshot of
// the account — and checks that the exposure reports agree: the same
// targets, reached on the same ports from the same sources with the same
// rating, through the same load balancer listeners and target groups.
// Targets and load balancers are compared by Terraform address, the
// snapshot's IDs mapped to addresses through the state. Addresses are not
// compared: the state and the configuration have placeholders where the
// snapshot has AWS's.
func TestWebPlatformInputsAgree(t *testing.T) {
	dir := "web-platform"
	state := load(t, filepath.Join(dir, "terraform.tfstate"))
	// What the state calls each AWS ID, for the snapshot's findings.
	addr := map[string]string{}
	b, err := json.Marshal(state.Network)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, v := range doc {
		list, _ := v.([]any)
		for _, e := range list {
			o, _ := e.(map[string]any)
			id, _ := o["id"].(string)
			a, _ := o["address"].(string)
			if id != "" && a != "" {
				addr[id] = a
			}
		}
	}
	want := findingKeys(t, state, addr)
	for _, in := range []string{dir, filepath.Join(dir, "plan.json"), filepath.Join(dir, "snapshot")} {
		got := findingKeys(t, load(t, in), addr)
		if !slices.Equal(got, want) {
			t.Errorf("%s: the report differs from the state's:\n%s", in, keyDiff(got, want))
		}
	}
	if len(want) < 10 {
		t.Errorf("the state's report has %d distinct findings: %q", len(want), want)
	}
}

// load loads path (slash-separated) and fails the test on any error it
// reports.
func load(t *testing.T, path string) *hcl.Input {
	t.Helper()
	in, err := hcl.Load(filepath.FromSlash(path))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	for _, d := range in.Diagnostics {
		if d.Severity == model.SeverityError {
			t.Errorf("%s: %s", path, d)
		}
	}
	return in
}

// findingKeys describes each finding of the input's exposure report from
// the internet without what differs between inputs (addresses, interfaces,
// positions); a database whose zone is known only after apply has one
// finding per subnet in a configuration, so duplicates are dropped.
func findingKeys(t *testing.T, in *hcl.Input, addr map[string]string) []string {
	t.Helper()
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	a, err := e.Analyze(reach.AnalyzeOptions{From: "internet"})
	if err != nil {
		t.Fatal(err)
	}
	name := func(s string) string {
		if a, ok := addr[s]; ok {
			return a
		}
		// A Classic Load Balancer's target groups are named after it.
		if lb, port, ok := strings.Cut(s, "/"); ok && addr[lb] != "" {
			return addr[lb] + "/" + port
		}
		return s
	}
	var out []string
	for _, f := range report.NewReport(a, nil, in.Path).Findings {
		k := fmt.Sprintf("%s %s %s %d-%d from %s", name(f.Target), f.Severity, f.Protocol, f.FromPort, f.ToPort, strings.Join(f.Sources, ","))
		for _, v := range f.Via {
			k += fmt.Sprintf(" via %s %s %d → %s %d", name(cmpOr(v.LoadBalancerID, v.LoadBalancer)), v.Protocol, v.Port,
				name(cmpOr(v.TargetGroupID, v.TargetGroup)), v.TargetPort)
		}
		for _, v := range f.Listeners {
			k += fmt.Sprintf(" listener %s %d → %s %d", v.Protocol, v.Port, name(cmpOr(v.TargetGroupID, v.TargetGroup)), v.TargetPort)
		}
		if f.OnlyViaLoadBalancer {
			k += " only via"
		}
		out = append(out, k)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func keyDiff(got, want []string) string {
	var b strings.Builder
	for _, k := range want {
		if !slices.Contains(got, k) {
			fmt.Fprintf(&b, "  missing: %s\n", k)
		}
	}
	for _, k := range got {
		if !slices.Contains(want, k) {
			fmt.Fprintf(&b, "  extra:   %s\n", k)
		}
	}
	return b.String()
}

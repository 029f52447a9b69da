package hcl

import (
	"path/filepath"
	"testing"
)

// TestLoadingPlans loads the real plans of testdata/loading, made with
// Terraform and the AWS provider offline by make-plans.sh, and checks that
// each loads and gives the network loading the same folder gives: the same
// elements by Terraform address, with the same blocks, rules, routes and
// links, up to IDs and placeholders. Folders Terraform cannot plan offline
// (data sources read from AWS, or arguments the provider refuses) have no
// plan.
func TestLoadingPlans(t *testing.T) {
	plans, _ := filepath.Glob(filepath.Join("testdata", "loading", "*", "plan.json"))
	if len(plans) < 6 {
		t.Fatalf("%d plans in testdata/loading; run make-plans.sh", len(plans))
	}
	for _, p := range plans {
		dir := filepath.Dir(p)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			pl, err := Load(p)
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			if pl.Format != FormatPlan {
				t.Fatalf("format %s", pl.Format)
			}
			cf, err := Load(dir, WithEnv([]string{}))
			if err != nil {
				t.Fatalf("configuration: %v", err)
			}
			// Fields with placeholders or unknown values in either are
			// left out of both.
			_, ignore := canonicalNetwork(t, cf.Network, nil)
			_, ignore2 := canonicalNetwork(t, pl.Network, ignore)
			for k, v := range ignore2 {
				ignore[k] = append(ignore[k], v...)
			}
			want, _ := canonicalNetwork(t, pl.Network, ignore)
			got, _ := canonicalNetwork(t, cf.Network, ignore)
			if known := compareCanonical(t, got, want, "loading/"+filepath.Base(dir)); len(known) > 0 {
				t.Errorf("differences %v", known)
			}
			// What is unknown in one is unknown in the other.
			for _, w := range []struct{ in *Input }{{pl}, {cf}} {
				for _, v := range w.in.Network.VPCs {
					if len(v.CIDRs) == 0 && !v.IsUnknown("cidr_block") {
						t.Errorf("%s: VPC %s has no block and does not say it is unknown", w.in.Path, v.Label())
					}
				}
			}
		})
	}
}

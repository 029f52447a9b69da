package hcl

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// TestTerraformAWSVPCExamples loads every folder of the real
// terraform-aws-modules/terraform-aws-vpc examples (testdata/tfaws-vpc, with
// the module from ../../) and, where Terraform could plan the example
// offline (plan.json, made by make-plans.sh), checks that the plan loads and
// that the elements vpcsim reads from the folder are those the plan creates,
// type by type.
func TestTerraformAWSVPCExamples(t *testing.T) {
	// refused are the examples Terraform itself cannot plan or that need
	// terraform init, with what vpcsim must say.
	refused := map[string]string{
		// A registry module that terraform init downloads.
		"vpc-flow-logs": `module "s3_bucket": source "terraform-aws-modules/s3-bucket/aws" is not installed`,
		// Terraform refuses both offline: "Invalid count argument" (the
		// subnets' count depends on an IPAM allocation) and "Error in
		// function call" (coalescelist of two empty lists).
		"ipam":   "count is not known before apply",
		"issues": `call to function "coalescelist" failed: no non-null arguments`,
	}
	// elementTypes are the resource types that map one to one to elements.
	elementTypes := []string{"aws_vpc", "aws_subnet", "aws_route_table", "aws_default_route_table", "aws_network_acl",
		"aws_default_network_acl", "aws_security_group", "aws_default_security_group", "aws_internet_gateway",
		"aws_egress_only_internet_gateway", "aws_nat_gateway", "aws_eip", "aws_vpn_gateway", "aws_customer_gateway",
		"aws_vpc_endpoint", "aws_route", "aws_route_table_association", "aws_network_acl_rule"}
	dirs, _ := filepath.Glob(filepath.Join("testdata", "tfaws-vpc", "examples", "*"))
	if len(dirs) != 13 {
		t.Fatalf("%d examples, want 13", len(dirs))
	}
	planned := 0
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			cf, err := Load(dir, WithEnv([]string{}))
			if want, ok := refused[name]; ok {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("error %v, want one containing %q", err, want)
				}
				return
			}
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			planFile := filepath.Join(dir, "plan.json")
			data, err := os.ReadFile(planFile)
			if err != nil {
				t.Logf("no plan: %v", err)
				return
			}
			planned++
			pl, err := Load(planFile)
			if err != nil {
				t.Fatalf("plan: %v", err)
			}
			creates := planCreates(t, data)
			fromConfig, fromPlan := countByType(cf.Network), countByType(pl.Network)
			// A plan's JSON cannot say which instance an expression such
			// as coalescelist(a[*].id, b[*].id) picks: such an association
			// is left out, each with a warning.
			for _, d := range pl.Diagnostics {
				if d.Severity == model.SeverityWarning && strings.HasPrefix(d.Element, "module.vpc.aws_route_table_association.") &&
					strings.Contains(d.Message, "cannot tell which one): the association cannot be placed") {
					fromPlan["aws_route_table_association"]++
				}
			}
			for _, typ := range elementTypes {
				if fromConfig[typ] != creates[typ] || fromPlan[typ] != creates[typ] {
					t.Errorf("%s: Terraform creates %d, vpcsim reads %d from the folder and %d from the plan",
						typ, creates[typ], fromConfig[typ], fromPlan[typ])
				}
			}
		})
	}
	if planned < 8 {
		t.Errorf("%d examples with a plan; run make-plans.sh", planned)
	}
}

// planCreates counts, by resource type, the managed resource instances a
// plan creates.
func planCreates(t *testing.T, data []byte) map[string]int {
	var plan struct {
		ResourceChanges []struct {
			Mode, Type string
			Change     struct{ Actions []string }
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal(data, &plan); err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, rc := range plan.ResourceChanges {
		if rc.Mode == "managed" && slices.Contains(rc.Change.Actions, "create") {
			out[rc.Type]++
		}
	}
	return out
}

// countByType counts, by the resource type of their Terraform address, the
// elements, rules, routes and associations the input declares.
func countByType(n *model.Network) map[string]int {
	out := map[string]int{}
	seen := map[string]bool{}
	add := func(m *model.Meta) {
		if m.Address == "" || m.Synthetic != "" || m.IsOutside() || seen[m.Address] {
			return
		}
		seen[m.Address] = true
		out[resource.TypeOf(m.Address)]++
	}
	forEachMeta(n, add)
	for _, rt := range n.RouteTables {
		for i := range rt.Routes {
			add(&rt.Routes[i].Meta)
		}
		for i := range rt.Associations {
			add(&rt.Associations[i].Meta)
		}
	}
	for _, acl := range n.NetworkACLs {
		for _, rules := range [][]model.ACLRule{acl.Ingress, acl.Egress} {
			for i := range rules {
				add(&rules[i].Meta)
			}
		}
	}
	return out
}

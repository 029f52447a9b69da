package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/internal/estate/estatetest"
)

// The fixtures Terraform made (examples/regen-terraform.sh). These tests run
// without Terraform: they check the committed files.
const (
	plancheckDir = "../../plancheck"
	webPlatform  = "../../web-platform"
)

var states = []string{
	filepath.Join(plancheckDir, "base", "terraform.tfstate"),
	filepath.Join(webPlatform, "terraform.tfstate"),
}

// A state written from real plans must still be one that Terraform against
// real AWS could have written: references resolve, addresses lie in their
// subnets and are unique, rule numbers are unique…
func TestStatesAreConsistent(t *testing.T) {
	for _, path := range states {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range estatetest.Check(b) {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// The snapshot is generated from the state: editing its JSON by hand would
// let the two drift apart.
func TestSnapshotIsGeneratedFromTheState(t *testing.T) {
	out := filepath.Join(t.TempDir(), "snapshot")
	if err := runSnapshot([]string{"-state", filepath.Join(webPlatform, "terraform.tfstate"), "-out", out}); err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(webPlatform, "snapshot")
	got := map[string][]byte{}
	err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, path)
		got[rel], err = os.ReadFile(path)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = filepath.WalkDir(want, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "README.md" {
			return err
		}
		n++
		rel, _ := filepath.Rel(want, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if g, ok := got[rel]; !ok {
			t.Errorf("%s: committed, but the generator does not write it", rel)
		} else if !bytes.Equal(g, b) {
			t.Errorf("%s: differs from what the generator writes; run examples/regen-terraform.sh", rel)
		}
		delete(got, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for rel := range got {
		t.Errorf("%s: the generator writes it, but it is not committed", rel)
	}
	if n < 40 {
		t.Errorf("the snapshot has %d files", n)
	}
}

// Every interface, instance, subnet and group of the state is in the
// snapshot with the same ID, and the snapshot has the interfaces the state
// leaves implicit.
func TestSnapshotHasTheStateIDs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(webPlatform, "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st stateDoc
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(webPlatform, "snapshot", account, region)
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	files := map[string]string{
		"aws_vpc":             "ec2-describe-vpcs.json",
		"aws_subnet":          "ec2-describe-subnets.json",
		"aws_security_group":  "ec2-describe-security-groups.json",
		"aws_instance":        "ec2-describe-instances.json",
		"aws_route_table":     "ec2-describe-route-tables.json",
		"aws_network_acl":     "ec2-describe-network-acls.json",
		"aws_nat_gateway":     "ec2-describe-nat-gateways.json",
		"aws_vpc_endpoint":    "ec2-describe-vpc-endpoints.json",
		"aws_lb":              "elbv2-describe-load-balancers.json",
		"aws_lb_target_group": "elbv2-describe-target-groups.json",
		"aws_db_instance":     "rds-describe-db-instances.json",
	}
	for _, r := range st.Resources {
		f, ok := files[r.Type]
		if !ok {
			continue
		}
		doc := read(f)
		for _, in := range r.Instances {
			id := str(in.Attributes["id"])
			if r.Type == "aws_lb" || r.Type == "aws_lb_target_group" {
				id = str(in.Attributes["arn"])
			}
			if !strings.Contains(doc, `"`+id+`"`) {
				t.Errorf("%s.%s: %s is not in %s", r.Type, r.Name, id, f)
			}
		}
	}
	var enis struct {
		NetworkInterfaces []struct {
			InterfaceType, RequesterId string
		}
	}
	if err := json.Unmarshal([]byte(read("ec2-describe-network-interfaces.json")), &enis); err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, e := range enis.NetworkInterfaces {
		kinds[e.InterfaceType+"/"+e.RequesterId]++
	}
	want := map[string]int{
		"interface/":                       9, // 6 instances, 3 launched by Auto Scaling
		"nat_gateway/":                     1,
		"vpc_endpoint/727180483921":        2,
		"network_load_balancer/amazon-elb": 2,
		"interface/amazon-elb":             6, // 2 ALBs and a Classic ELB, 2 zones each
		"interface/amazon-rds":             2,
	}
	for k, n := range want {
		if kinds[k] != n {
			t.Errorf("%d interfaces of kind %s, want %d (all: %v)", kinds[k], k, n, kinds)
		}
	}
}

// The plan of each case changes what its README says, and nothing else;
// its prior state is the base state.
func TestCasePlans(t *testing.T) {
	want := map[string][]string{
		"open-ssh-world":      {"create aws_vpc_security_group_ingress_rule.web_ssh"},
		"peering-route":       {"create aws_route.private_reporting"},
		"nacl-deny-removed":   {"delete aws_network_acl_rule.public_in_deny_rdp"},
		"subnet-to-public-rt": {`update aws_route_table_association.app["b"]`},
		"attach-eip":          {"create aws_eip.vpn", "create aws_eip_association.vpn"},
		"close-ssh-world":     {"update aws_security_group.bastion"},
		"touch-exposed":       {"update aws_instance.web", "create aws_vpc_security_group_ingress_rule.web_https_office"},
	}
	base, err := os.ReadFile(filepath.Join(plancheckDir, "base", "terraform.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	var st stateDoc
	if err := json.Unmarshal(base, &st); err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, r := range st.Resources {
		for _, in := range r.Instances {
			ids[str(in.Attributes["id"])] = true
		}
	}
	dirs, _ := filepath.Glob(filepath.Join(plancheckDir, "*", "plan.json"))
	if len(dirs) != len(want) {
		t.Errorf("%d cases, want %d", len(dirs), len(want))
	}
	for name, changes := range want {
		var plan struct {
			FormatVersion   string `json:"format_version"`
			Timestamp       string `json:"timestamp"`
			ResourceChanges []struct {
				Address string
				Change  struct{ Actions []string }
			} `json:"resource_changes"`
			PriorState struct {
				Values struct {
					RootModule struct {
						Resources []struct {
							Values map[string]any
						}
					} `json:"root_module"`
				}
			} `json:"prior_state"`
		}
		b, err := os.ReadFile(filepath.Join(plancheckDir, name, "plan.json"))
		if err != nil {
			t.Error(err)
			continue
		}
		if err := json.Unmarshal(b, &plan); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if plan.FormatVersion == "" || plan.Timestamp != "2025-03-03T09:30:00Z" {
			t.Errorf("%s: format %q, timestamp %q", name, plan.FormatVersion, plan.Timestamp)
		}
		var got []string
		for _, rc := range plan.ResourceChanges {
			if a := strings.Join(rc.Change.Actions, ","); a != "no-op" {
				got = append(got, a+" "+rc.Address)
			}
		}
		if !slices.Equal(got, changes) {
			t.Errorf("%s: changes %q, want %q", name, got, changes)
		}
		prior := plan.PriorState.Values.RootModule.Resources
		if len(prior) != len(ids) {
			t.Errorf("%s: prior state has %d resources, the base state %d", name, len(prior), len(ids))
		}
		for _, r := range prior {
			if !ids[str(r.Values["id"])] {
				t.Errorf("%s: prior state has %v, which the base state has not", name, r.Values["id"])
			}
		}
	}
}

func TestAddressesAvoidReservedAndUsed(t *testing.T) {
	a := newAddresses()
	seen := map[string]bool{}
	for i := 0; i < 11; i++ {
		ip, err := a.private("10.0.0.0/28", string(rune('a'+i)))
		if err != nil {
			t.Fatal(err)
		}
		if seen[ip] || ip == "10.0.0.0" || ip == "10.0.0.1" || ip == "10.0.0.2" || ip == "10.0.0.3" || ip == "10.0.0.15" {
			t.Fatalf("address %s reserved or given twice", ip)
		}
		seen[ip] = true
	}
	if _, err := a.private("10.0.0.0/28", "full"); err == nil {
		t.Error("a full subnet gave an address")
	}
}

// A state is made in rounds: a resource is added once everything it
// references is in the state, with the values the plan knows kept and the
// unknown ones made up; a plan that would update something is refused.
func TestApplyRounds(t *testing.T) {
	dir := t.TempDir()
	schema := map[string]any{"provider_schemas": map[string]any{awsProvider: map[string]any{"resource_schemas": map[string]any{
		"aws_vpc": map[string]any{"version": 1, "block": map[string]any{"attributes": map[string]any{
			"id": map[string]any{"type": "string", "computed": true}, "arn": map[string]any{"type": "string", "computed": true},
			"cidr_block": map[string]any{"type": "string", "optional": true}, "owner_id": map[string]any{"type": "string", "computed": true},
			"tags": map[string]any{"type": []any{"map", "string"}, "optional": true}, "tags_all": map[string]any{"type": []any{"map", "string"}, "computed": true},
		}}},
		"aws_subnet": map[string]any{"version": 1, "block": map[string]any{"attributes": map[string]any{
			"id": map[string]any{"type": "string", "computed": true}, "arn": map[string]any{"type": "string", "computed": true},
			"vpc_id": map[string]any{"type": "string", "required": true}, "cidr_block": map[string]any{"type": "string", "optional": true},
			"availability_zone":    map[string]any{"type": "string", "optional": true, "computed": true},
			"availability_zone_id": map[string]any{"type": "string", "computed": true},
			"outpost_arn":          map[string]any{"type": "string", "optional": true},
		}}},
	}}}}
	config := map[string]any{
		"provider_config": map[string]any{"aws": map[string]any{"expressions": map[string]any{
			"default_tags": []any{map[string]any{"tags": map[string]any{"constant_value": map[string]any{"Team": "net"}}}},
		}}},
		"root_module": map[string]any{"resources": []any{
			map[string]any{"address": "aws_vpc.main", "mode": "managed", "expressions": map[string]any{"cidr_block": map[string]any{"constant_value": "10.1.0.0/16"}}},
			map[string]any{"address": "aws_subnet.a", "mode": "managed", "expressions": map[string]any{
				"vpc_id": map[string]any{"references": []any{"aws_vpc.main.id", "aws_vpc.main"}}, "cidr_block": map[string]any{"constant_value": "10.1.1.0/24"},
			}},
		}},
	}
	write := func(name string, v any) string {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	change := func(addr, typ, name string, actions []string, after, unknown map[string]any) map[string]any {
		return map[string]any{"address": addr, "mode": "managed", "type": typ, "name": name,
			"change": map[string]any{"actions": actions, "after": after, "after_unknown": unknown, "after_sensitive": map[string]any{}}}
	}
	schemaPath := write("schema.json", schema)
	statePath := filepath.Join(dir, "terraform.tfstate")
	apply := func(changes ...any) error {
		plan := write("plan.json", map[string]any{"terraform_version": "1.11.4", "resource_changes": changes, "configuration": config})
		return runApply([]string{"-plan", plan, "-schema", schemaPath, "-state", statePath, "-lineage", "test"})
	}
	vpcNew := change("aws_vpc.main", "aws_vpc", "main", []string{"create"},
		map[string]any{"cidr_block": "10.1.0.0/16", "tags": nil},
		map[string]any{"id": true, "arn": true, "owner_id": true, "tags_all": true})
	subnetNew := func(vpcID any) map[string]any {
		after := map[string]any{"cidr_block": "10.1.1.0/24", "availability_zone": "us-east-1b", "outpost_arn": nil}
		unknown := map[string]any{"id": true, "arn": true, "availability_zone_id": true}
		if vpcID == nil {
			unknown["vpc_id"] = true
		} else {
			after["vpc_id"] = vpcID
		}
		return change("aws_subnet.a", "aws_subnet", "a", []string{"create"}, after, unknown)
	}
	if err := apply(vpcNew, subnetNew(nil)); err != nil {
		t.Fatal(err)
	}
	var st stateDoc
	if err := readJSON(statePath, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Resources) != 1 || st.Resources[0].Type != "aws_vpc" || st.Serial != 1 || st.Lineage != uuid("lineage|test") {
		t.Fatalf("round 1 wrote %+v", st)
	}
	vpc := st.Resources[0].Instances[0].Attributes
	id, _ := vpc["id"].(string)
	if !strings.HasPrefix(id, "vpc-0") || len(id) != len("vpc-")+17 || vpc["arn"] != "arn:aws:ec2:us-east-1:123456789012:vpc/"+id ||
		vpc["owner_id"] != account || vpc["cidr_block"] != "10.1.0.0/16" || st.Resources[0].Instances[0].SchemaVersion != 1 {
		t.Errorf("the VPC is %v", vpc)
	}
	if tags, _ := vpc["tags_all"].(map[string]any); tags["Team"] != "net" {
		t.Errorf("tags_all = %v, want the provider's default tags", vpc["tags_all"])
	}

	if err := apply(change("aws_vpc.main", "aws_vpc", "main", []string{"no-op"}, vpc, map[string]any{}), subnetNew(id)); err != nil {
		t.Fatal(err)
	}
	if err := readJSON(statePath, &st); err != nil {
		t.Fatal(err)
	}
	if len(st.Resources) != 2 || st.Serial != 2 {
		t.Fatalf("round 2 wrote %d resources, serial %d", len(st.Resources), st.Serial)
	}
	sub := st.Resources[0].Instances[0] // Terraform's order: aws_subnet before aws_vpc
	if sub.Attributes["vpc_id"] != id || sub.Attributes["availability_zone_id"] != "use1-az6" || !slices.Equal(sub.Dependencies, []string{"aws_vpc.main"}) {
		t.Errorf("the subnet is %v, depends on %v", sub.Attributes, sub.Dependencies)
	}
	// The read of an SDKv2 resource stores "" where the plan had null.
	if sub.Attributes["outpost_arn"] != "" {
		t.Errorf("outpost_arn = %#v, want \"\"", sub.Attributes["outpost_arn"])
	}

	err := apply(change("aws_vpc.main", "aws_vpc", "main", []string{"update"}, vpc, map[string]any{}))
	if err == nil || !strings.Contains(err.Error(), "would update aws_vpc.main") {
		t.Errorf("an update gave %v", err)
	}
}

// The generator also serves the plan pre-check estate, whose peering and
// second VPC the web platform does not have.
func TestSnapshotOfThePeeredEstate(t *testing.T) {
	out := filepath.Join(t.TempDir(), "snapshot")
	if err := runSnapshot([]string{"-state", filepath.Join(plancheckDir, "base", "terraform.tfstate"), "-out", out}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(out, account, region, "ec2-describe-vpc-peering-connections.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		VpcPeeringConnections []struct {
			VpcPeeringConnectionId string
			AccepterVpcInfo        struct{ CidrBlock string }
			RequesterVpcInfo       struct{ CidrBlock string }
			Status                 struct{ Code string }
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.VpcPeeringConnections) != 1 {
		t.Fatalf("%d peering connections", len(doc.VpcPeeringConnections))
	}
	p := doc.VpcPeeringConnections[0]
	if !strings.HasPrefix(p.VpcPeeringConnectionId, "pcx-0") || p.RequesterVpcInfo.CidrBlock != "10.20.0.0/16" ||
		p.AccepterVpcInfo.CidrBlock != "10.30.0.0/16" || p.Status.Code != "active" {
		t.Errorf("peering %+v", p)
	}
	// Two VPCs: two main route tables, two default ACLs, two default groups.
	rt, err := os.ReadFile(filepath.Join(out, account, region, "ec2-describe-route-tables.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(rt), `"Main": true`); n != 2 {
		t.Errorf("%d main route tables, want 2", n)
	}
}

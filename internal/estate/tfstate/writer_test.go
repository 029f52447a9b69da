package tfstate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// stateV4 mirrors the top level of Terraform's state file format version 4,
// in Terraform's key order.
type stateV4 struct {
	Version          int               `json:"version"`
	TerraformVersion string            `json:"terraform_version"`
	Serial           int64             `json:"serial"`
	Lineage          string            `json:"lineage"`
	Outputs          map[string]Output `json:"outputs"`
	Resources        []*Resource       `json:"resources"`
	CheckResults     any               `json:"check_results"`
}

func sampleResources() []*Resource {
	env := Env{Region: "us-east-1", AccountID: "123456789012", DefaultTags: Tags{"ManagedBy": "terraform"}}
	vpc := env.VPC("vpc-0123456789abcdef0", "10.0.0.0/16", Named("main"), "rtb-0a", "acl-0a", "sg-0a", "dopt-0a")
	sub := env.Subnet("subnet-0b", vpc.ID, "10.0.1.0/24", "us-east-1a", "use1-az4", true, Named("public <a>"))
	return []*Resource{
		Data("", "aws_availability_zones", "available", NewInstance(nil, 0, &AvailabilityZones{Names: []string{"us-east-1a"}, GroupNames: []string{"us-east-1"}, ZoneIDs: []string{"use1-az4"}, ID: "us-east-1", State: "available"}, "")),
		Managed("", "aws_subnet", "public", NewInstance("us-east-1a", 1, sub, PrivateSubnet, "aws_vpc.main")),
		Managed("", "aws_vpc", "main", NewInstance(nil, 1, vpc, PrivateVPC)),
		Managed("module.app", "aws_security_group", "web", NewInstance(0, 1,
			env.SecurityGroup("sg-0c", vpc.ID, "web", "web tier", []SecurityGroupRule{SGRule("tcp", 443, 443, "", "0.0.0.0/0", "::/0")}, nil, Named("web")),
			PrivateSecurityGroup, "aws_vpc.main")),
	}
}

// The streamed document must be byte for byte what Terraform writes:
// json.MarshalIndent of the whole state with two-space indentation and a
// final newline.
func TestWriterMatchesMarshalIndent(t *testing.T) {
	for _, rs := range [][]*Resource{nil, sampleResources()} {
		h := Header{TerraformVersion: "1.9.8", Serial: 42, Lineage: "0b8f5b8e-7a43-4c1b-9d41-3f0e7c1f9a10",
			Outputs: map[string]Output{"vpc_id": {Value: "vpc-0123456789abcdef0", Type: "string"}}}
		var got bytes.Buffer
		w := NewWriter(&got, h)
		for _, r := range rs {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		doc := stateV4{Version: 4, TerraformVersion: h.TerraformVersion, Serial: h.Serial, Lineage: h.Lineage,
			Outputs: h.Outputs, Resources: rs}
		if doc.Resources == nil {
			doc.Resources = []*Resource{}
		}
		want, err := json.MarshalIndent(doc, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, '\n')
		if !bytes.Equal(got.Bytes(), want) {
			t.Errorf("streamed state differs from MarshalIndent:\n--- got\n%s\n--- want\n%s", got.String(), want)
		}
	}
}

func TestWriterRefusesOutOfOrder(t *testing.T) {
	rs := sampleResources()
	w := NewWriter(&bytes.Buffer{}, Header{})
	if err := w.Write(rs[2]); err != nil {
		t.Fatal(err)
	}
	err := w.Write(rs[1])
	if err == nil || !strings.Contains(err.Error(), "aws_subnet.public is out of Terraform's order") {
		t.Fatalf("got %v, want an out-of-order error", err)
	}
	if w.Close() == nil {
		t.Error("Close after a failed Write returned nil")
	}
}

func TestSortResources(t *testing.T) {
	rs := sampleResources()
	rev := []*Resource{rs[3], rs[2], rs[1], rs[0]}
	rev[1].Instances = append(rev[1].Instances, Instance{IndexKey: nil})
	multi := &Resource{Mode: "managed", Type: "aws_eip", Name: "nat", Instances: []Instance{{IndexKey: 10}, {IndexKey: 2}, {IndexKey: 1}}}
	rev = append(rev, multi)
	SortResources(rev)
	var got []string
	for _, r := range rev {
		got = append(got, addr(r))
	}
	want := "data.aws_availability_zones.available aws_eip.nat aws_subnet.public aws_vpc.main module.app.aws_security_group.web"
	if strings.Join(got, " ") != want {
		t.Errorf("order = %v, want %s", got, want)
	}
	if k := []any{multi.Instances[0].IndexKey, multi.Instances[1].IndexKey, multi.Instances[2].IndexKey}; k[0] != 1 || k[1] != 2 || k[2] != 10 {
		t.Errorf("instance keys = %v, want [1 2 10]", k)
	}
}

func TestIDs(t *testing.T) {
	if got := RouteID("rtb-0a1b2c3d4e5f67890", "0.0.0.0/0"); got != "r-rtb-0a1b2c3d4e5f678901080289494" {
		t.Errorf("RouteID = %s", got)
	}
	id := HashID("vpc", "x")
	if len(id) != len("vpc-")+17 || id[4] != '0' || id != HashID("vpc", "x") || id == HashID("vpc", "y") {
		t.Errorf("HashID = %s", id)
	}
	seen := map[string]bool{}
	s := NewSequence(7)
	for range 100000 {
		id := s.Next("i")
		if seen[id] {
			t.Fatalf("Sequence repeated %s", id)
		}
		seen[id] = true
	}
}

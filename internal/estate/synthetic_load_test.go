package estate_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/internal/estate"
	"github.com/vpcsim/vpcsim/model"
)

func write(t testing.TB, p estate.Params) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := estate.Write(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// peersPerRule counts, from the JSON itself, the security group rules the
// model should have: one per peer (CIDR, IPv6 CIDR, prefix list, group,
// self) of every inline rule block.
func peersPerRule(t *testing.T, data []byte) int {
	t.Helper()
	var st struct {
		Resources []struct {
			Type      string
			Instances []struct {
				Attributes struct {
					Ingress, Egress []struct {
						CIDRBlocks     []string `json:"cidr_blocks"`
						IPv6CIDRBlocks []string `json:"ipv6_cidr_blocks"`
						PrefixListIDs  []string `json:"prefix_list_ids"`
						SecurityGroups []string `json:"security_groups"`
						Self           bool     `json:"self"`
					}
				}
			}
		}
	}
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range st.Resources {
		if r.Type != "aws_security_group" {
			continue
		}
		for _, in := range r.Instances {
			for _, rule := range append(in.Attributes.Ingress, in.Attributes.Egress...) {
				n += len(rule.CIDRBlocks) + len(rule.IPv6CIDRBlocks) + len(rule.PrefixListIDs) + len(rule.SecurityGroups)
				if rule.Self {
					n++
				}
			}
		}
	}
	return n
}

// A generated state loads without a single error, into the network the
// parameters describe.
func TestLoadGenerated(t *testing.T) {
	p := estate.Params{VPCs: 9, SubnetsPerVPC: 7, InstancesPerSubnet: 3, SGsPerVPC: 6, RulesPerSG: 5, NACLRules: 9,
		TGWHubs: 2, Peerings: 6, Seed: 21}
	data := write(t, p)
	in, err := hcl.LoadBytes("gen.tfstate", data)
	for _, d := range in.Diagnostics {
		if d.Severity == model.SeverityError {
			t.Error(d)
		}
	}
	if err != nil {
		t.Fatalf("load failed: %v", err)
	}
	n := in.Network
	declared := func(metas []*model.Meta) int {
		c := 0
		for _, m := range metas {
			if m.Synthetic == "" {
				c++
			}
		}
		return c
	}
	metas := func(n int, get func(int) *model.Meta) []*model.Meta {
		out := make([]*model.Meta, n)
		for i := range out {
			out[i] = get(i)
		}
		return out
	}
	c := p.Counts()
	sgRules, aclRules := 0, 0
	for _, sg := range n.SecurityGroups {
		if sg.Synthetic == "" {
			sgRules += len(sg.Ingress) + len(sg.Egress)
		}
	}
	for _, acl := range n.NetworkACLs {
		if acl.Synthetic != "" {
			continue
		}
		for _, r := range append(acl.Ingress, acl.Egress...) {
			if !r.IsStar() {
				aclRules++
			}
		}
	}
	for _, tt := range []struct {
		what      string
		got, want int
	}{
		{"VPCs", len(n.VPCs), p.VPCs},
		{"subnets", len(n.Subnets), p.VPCs * p.SubnetsPerVPC},
		{"instances", len(n.Instances), p.VPCs * p.SubnetsPerVPC * p.InstancesPerSubnet},
		{"interfaces", len(n.Interfaces), c.Interfaces},
		{"security groups", declared(metas(len(n.SecurityGroups), func(i int) *model.Meta { return &n.SecurityGroups[i].Meta })), p.VPCs * p.SGsPerVPC},
		{"security group rules (one per peer)", sgRules, peersPerRule(t, data)},
		{"network ACLs", declared(metas(len(n.NetworkACLs), func(i int) *model.Meta { return &n.NetworkACLs[i].Meta })), c.NetworkACLs},
		{"network ACL rules", aclRules, c.NACLRules},
		{"route tables", declared(metas(len(n.RouteTables), func(i int) *model.Meta { return &n.RouteTables[i].Meta })), c.RouteTables},
		{"NAT gateways", len(n.NATGateways), c.NATGateways},
		{"internet gateways", len(n.InternetGateways), c.InternetGateways},
		{"Elastic IPs", len(n.ElasticIPs), c.ElasticIPs},
		{"transit gateways", len(n.TransitGateways), p.TGWHubs},
		{"attachments", len(n.TGWAttachments), c.TGWAttachments},
		{"TGW route tables", declared(metas(len(n.TGWRouteTables), func(i int) *model.Meta { return &n.TGWRouteTables[i].Meta })), c.TGWRouteTables},
		{"peerings", len(n.PeeringConnections), p.Peerings},
	} {
		if tt.got != tt.want {
			t.Errorf("%s: loaded %d, want %d", tt.what, tt.got, tt.want)
		}
	}
}

// BenchmarkLoadGenerated loads generated states: about 50,000 resources
// (the Default estate with 310 VPCs), and the performance target's estate
// itself (Default: 200 VPCs, 20,000 instances, 5,000 groups; target: load
// under 1 s).
func BenchmarkLoadGenerated(b *testing.B) {
	big := estate.Default()
	big.VPCs = 310
	for _, bm := range []struct {
		name string
		p    estate.Params
	}{{"resources=50k", big}, {"target", estate.Default()}} {
		b.Run(bm.name, func(b *testing.B) {
			data := write(b, bm.p)
			resources := bm.p.Counts().Resources
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := hcl.LoadBytes("gen.tfstate", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(resources)*float64(b.N)/b.Elapsed().Seconds(), "resources/s")
		})
	}
}

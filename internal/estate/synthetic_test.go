package estate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/netip"
	"runtime"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/internal/estate/estatetest"
	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
)

func generate(t testing.TB, p Params) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func small() Params {
	return Params{VPCs: 7, SubnetsPerVPC: 5, InstancesPerSubnet: 3, SGsPerVPC: 6, RulesPerSG: 4, NACLRules: 10,
		TGWHubs: 2, Peerings: 5, Seed: 42}
}

// Same parameters, same bytes — whatever the parallelism; another seed,
// other bytes.
func TestDeterministic(t *testing.T) {
	p := small()
	a := generate(t, p)
	prev := runtime.GOMAXPROCS(1)
	b := generate(t, p)
	runtime.GOMAXPROCS(prev)
	if !bytes.Equal(a, b) {
		t.Fatal("two runs with the same parameters differ")
	}
	p.Seed++
	if c := generate(t, p); bytes.Equal(a, c) {
		t.Fatal("another seed gave the same bytes")
	}
}

// state is the part of a state file these tests read, parsed here rather
// than by any vpcsim code.
type state struct {
	Version          int    `json:"version"`
	TerraformVersion string `json:"terraform_version"`
	Lineage          string `json:"lineage"`
	Resources        []struct {
		Module    string `json:"module"`
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Provider  string `json:"provider"`
		Instances []struct {
			IndexKey      any             `json:"index_key"`
			SchemaVersion *int            `json:"schema_version"`
			Attributes    json.RawMessage `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

func parse(t *testing.T, data []byte) *state {
	t.Helper()
	var st state
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if st.Version != 4 || st.TerraformVersion == "" || st.Lineage == "" {
		t.Fatalf("not a v4 state: version %d, terraform_version %q, lineage %q", st.Version, st.TerraformVersion, st.Lineage)
	}
	return &st
}

// attrs decodes the attributes of every instance of a type.
func attrs[T any](t *testing.T, st *state, typ string) []T {
	t.Helper()
	var out []T
	for _, r := range st.Resources {
		if r.Type != typ || r.Mode != "managed" {
			continue
		}
		for _, in := range r.Instances {
			var v T
			if err := json.Unmarshal(in.Attributes, &v); err != nil {
				t.Fatalf("%s.%s: %v", r.Type, r.Name, err)
			}
			out = append(out, v)
		}
	}
	return out
}

func TestCountsMatchParams(t *testing.T) {
	for _, p := range []Params{
		small(),
		{VPCs: 1, SubnetsPerVPC: 1, Seed: 1},
		{VPCs: 3, SubnetsPerVPC: 2, InstancesPerSubnet: 1, SGsPerVPC: 2, RulesPerSG: 1, NACLRules: 1, TGWHubs: 1, Peerings: 3, Seed: 9},
		{VPCs: 5, SubnetsPerVPC: 14, InstancesPerSubnet: 2, SGsPerVPC: 30, RulesPerSG: 12, NACLRules: 40, TGWHubs: 5, Peerings: 10, Seed: 3},
	} {
		t.Run(fmt.Sprintf("%+v", p), func(t *testing.T) {
			st := parse(t, generate(t, p))
			got := map[string]int{}
			total := 0
			for _, r := range st.Resources {
				got[r.Type] += len(r.Instances)
				total += len(r.Instances)
			}
			want := p.Counts()
			check := func(what string, got, want int) {
				t.Helper()
				if got != want {
					t.Errorf("%s: got %d, want %d", what, got, want)
				}
			}
			// Against the parameters themselves, not only Counts.
			check("VPCs", got["aws_vpc"], p.VPCs)
			check("subnets", got["aws_subnet"], p.VPCs*p.SubnetsPerVPC)
			check("instances", got["aws_instance"], p.VPCs*p.SubnetsPerVPC*p.InstancesPerSubnet)
			check("security groups", got["aws_security_group"], p.VPCs*p.SGsPerVPC)
			check("transit gateways", got["aws_ec2_transit_gateway"], p.TGWHubs)
			check("peerings", got["aws_vpc_peering_connection"], p.Peerings)
			check("NAT gateways", got["aws_nat_gateway"], p.VPCs)
			check("network ACLs", got["aws_network_acl"], p.VPCs)
			check("resources", total, want.Resources)
			check("elastic IPs", got["aws_eip"], want.ElasticIPs)
			check("route tables", got["aws_route_table"], want.RouteTables)
			if p.TGWHubs > 0 {
				check("attachments", got["aws_ec2_transit_gateway_vpc_attachment"], p.VPCs)
			}
			rules := 0
			for _, sg := range attrs[tfstate.SecurityGroup](t, st, "aws_security_group") {
				rules += len(sg.Ingress) + len(sg.Egress)
			}
			check("security group rules", rules, want.SGRules)
			aclRules := 0
			for _, acl := range attrs[tfstate.NetworkACL](t, st, "aws_network_acl") {
				if len(acl.Ingress) != p.NACLRules || len(acl.Egress) != p.NACLRules {
					t.Errorf("%s has %d/%d rules, want %d each way", acl.ID, len(acl.Ingress), len(acl.Egress), p.NACLRules)
				}
				aclRules += len(acl.Ingress) + len(acl.Egress)
			}
			check("NACL rules", aclRules, want.NACLRules)
		})
	}
}

// Every CIDR and address is valid, unique and nested: VPC blocks do not
// overlap, subnets lie in their VPC without overlapping, instance and NAT
// addresses lie in their subnet outside AWS's five reserved addresses and
// are unique, public addresses are unique, IDs are unique and every
// reference resolves (estatetest.Check, which reads the JSON independently).
func TestAddressesAndReferences(t *testing.T) {
	for _, p := range []Params{
		small(),
		// More VPCs than /16s in 10.0.0.0/8: into 172.16.0.0/12 and beyond.
		{VPCs: 300, SubnetsPerVPC: 2, InstancesPerSubnet: 1, SGsPerVPC: 3, RulesPerSG: 2, NACLRules: 2, TGWHubs: 3, Peerings: 20, Seed: 5},
		// More than the pools hold as /16s: /17 VPCs.
		{VPCs: 1100, SubnetsPerVPC: 1, InstancesPerSubnet: 1, Seed: 6},
		// Instances that need subnets larger than /24.
		{VPCs: 2, SubnetsPerVPC: 3, InstancesPerSubnet: 300, Seed: 7},
	} {
		t.Run(fmt.Sprintf("%d VPCs × %d subnets × %d", p.VPCs, p.SubnetsPerVPC, p.InstancesPerSubnet), func(t *testing.T) {
			data := generate(t, p)
			st := parse(t, data)
			vpcs := attrs[tfstate.VPC](t, st, "aws_vpc")
			blocks := map[string]netip.Prefix{}
			var all []netip.Prefix
			for _, v := range vpcs {
				pfx := mustPrefix(t, v.CIDRBlock)
				if pfx.Bits() < 16 || pfx.Bits() > 28 {
					t.Errorf("VPC %s is a /%d; AWS allows /16 to /28", v.ID, pfx.Bits())
				}
				blocks[v.ID] = pfx
				all = append(all, pfx)
			}
			// Sorted by start, overlaps are between neighbours.
			sortPrefixes(all)
			for i := 1; i < len(all); i++ {
				if all[i-1].Overlaps(all[i]) {
					t.Errorf("VPC blocks %s and %s overlap", all[i-1], all[i])
				}
			}
			subnets := map[string]netip.Prefix{}
			for _, s := range attrs[tfstate.Subnet](t, st, "aws_subnet") {
				pfx := mustPrefix(t, s.CIDRBlock)
				vpc := blocks[s.VPCID]
				if !vpc.IsValid() || vpc.Bits() > pfx.Bits() || !vpc.Contains(pfx.Addr()) {
					t.Errorf("subnet %s %s is not inside its VPC %s %s", s.ID, pfx, s.VPCID, vpc)
				}
				subnets[s.ID] = pfx
			}
			used := map[netip.Addr]string{}
			host := func(owner, subnet, ip string) {
				a, err := netip.ParseAddr(ip)
				if err != nil {
					t.Errorf("%s: address %q: %v", owner, ip, err)
					return
				}
				pfx := subnets[subnet]
				if !pfx.Contains(a) {
					t.Errorf("%s: %s is outside its subnet %s", owner, a, pfx)
				}
				first := pfx.Addr()
				last := netip.AddrFrom4(func() [4]byte {
					b := first.As4()
					n := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3]) | (1<<(32-pfx.Bits()) - 1)
					return [4]byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)}
				}())
				if a == last || a.Compare(first.Next().Next().Next()) <= 0 {
					t.Errorf("%s: %s is one of the addresses AWS reserves in %s", owner, a, pfx)
				}
				if prev, dup := used[a]; dup {
					t.Errorf("%s: %s is also used by %s", owner, a, prev)
				}
				used[a] = owner
			}
			for _, in := range attrs[tfstate.EC2Instance](t, st, "aws_instance") {
				host(in.ID, in.SubnetID, in.PrivateIP)
			}
			for _, n := range attrs[tfstate.NATGateway](t, st, "aws_nat_gateway") {
				host(n.ID, n.SubnetID, n.PrivateIP)
			}
			for _, err := range estatetest.Check(data) {
				t.Error(err)
			}
		})
	}
}

func mustPrefix(t *testing.T, s string) netip.Prefix {
	t.Helper()
	p, err := netip.ParsePrefix(s)
	if err != nil || p != p.Masked() {
		t.Fatalf("CIDR %q: invalid or has host bits (%v)", s, err)
	}
	return p
}

func sortPrefixes(ps []netip.Prefix) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Addr().Less(ps[j-1].Addr()); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// The planted mistakes are there: admin ports open to the world, blackhole
// routes, an attachment that misses a zone, a group referencing a group of
// a peered VPC.
func TestMistakes(t *testing.T) {
	p := Params{VPCs: 12, SubnetsPerVPC: 9, InstancesPerSubnet: 1, SGsPerVPC: 4, RulesPerSG: 3, NACLRules: 4, TGWHubs: 2, Peerings: 6, Seed: 11}
	st := parse(t, generate(t, p))
	vpcOfSG := map[string]string{}
	sgs := attrs[tfstate.SecurityGroup](t, st, "aws_security_group")
	for _, sg := range sgs {
		vpcOfSG[sg.ID] = sg.VPCID
	}
	var worldSSH, crossVPC bool
	for _, sg := range sgs {
		for _, r := range sg.Ingress {
			if r.FromPort == 22 && len(r.CIDRBlocks) > 0 && r.CIDRBlocks[0] == "0.0.0.0/0" {
				worldSSH = true
			}
			for _, ref := range r.SecurityGroups {
				if vpcOfSG[ref] != sg.VPCID {
					crossVPC = true
				}
			}
		}
	}
	blackholes := 0
	for _, r := range attrs[tfstate.TGWRoute](t, st, "aws_ec2_transit_gateway_route") {
		if r.Blackhole {
			blackholes++
		}
	}
	short := false
	for _, a := range attrs[tfstate.TGWVPCAttachment](t, st, "aws_ec2_transit_gateway_vpc_attachment") {
		if len(a.SubnetIDs) < 3 {
			short = true
		}
	}
	if !worldSSH || !crossVPC || blackholes == 0 || !short {
		t.Errorf("mistakes missing: world SSH %v, cross-VPC reference %v, blackholes %d, one-zone-short attachment %v",
			worldSSH, crossVPC, blackholes, short)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		p    Params
		want string
	}{
		{Params{VPCs: 0, SubnetsPerVPC: 1}, "vpcs is 0, want at least 1"},
		{Params{VPCs: 1, SubnetsPerVPC: 0}, "subnets-per-vpc is 0"},
		{Params{VPCs: 1, SubnetsPerVPC: 1, InstancesPerSubnet: -1}, "instances-per-subnet is -1"},
		{Params{VPCs: 3, SubnetsPerVPC: 1, Peerings: 4}, "peerings is 4, but 3 VPCs make only 3 pairs"},
		{Params{VPCs: 1, SubnetsPerVPC: 1, TGWHubs: 2}, "tgw-hubs is 2, more than the 1 VPCs"},
		{Params{VPCs: 1, SubnetsPerVPC: 1, NACLRules: 4000}, "at most 3276 fit"},
		{Params{VPCs: 1, SubnetsPerVPC: 4096, InstancesPerSubnet: 20}, "20 instances per subnet do not fit"},
		{Params{VPCs: 70000, SubnetsPerVPC: 1}, "more than the 65535"},
	}
	for _, tt := range tests {
		err := tt.p.Validate()
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Validate(%+v) = %v, want %q", tt.p, err, tt.want)
		}
		if err := Write(&bytes.Buffer{}, tt.p); err == nil {
			t.Errorf("Write(%+v) succeeded", tt.p)
		}
	}
	if err := Default().Validate(); err != nil {
		t.Errorf("Default() is invalid: %v", err)
	}
}

func TestDefaultMatchesTheTarget(t *testing.T) {
	c := Default().Counts()
	if c.VPCs != 200 || c.Subnets != 2000 || c.Interfaces < 20000 || c.Instances != 20000 || c.SecurityGroups != 5000 {
		t.Errorf("Default().Counts() = %+v, want 200 VPCs, 2,000 subnets, 20,000 instances, 5,000 groups", c)
	}
}

package hcl

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// count returns the number of elements of kind, and how many were
// synthesised.
func count(n *model.Network, kind string) (int, int) {
	for _, c := range n.Counts() {
		if c.Kind == kind {
			return c.Count, c.Synthetic
		}
	}
	panic("no kind " + kind)
}

// wantCounts checks the declared (not synthesised) number of elements of
// each kind named; kinds not named must have none declared.
func wantCounts(t *testing.T, n *model.Network, want map[string]int) {
	t.Helper()
	for _, c := range n.Counts() {
		if got := c.Count - c.Synthetic; got != want[c.Kind] {
			t.Errorf("%s: %d declared, want %d", c.Kind, got, want[c.Kind])
		}
	}
}

func loadCorpus(t *testing.T, name string) *Input {
	t.Helper()
	in, err := Load(filepath.Join("testdata", "corpus", name))
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	for _, d := range in.Diagnostics {
		if d.Severity != model.SeverityNote {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
	return in
}

// The facts below were read off the corpus files themselves.

func TestCorpusPackt(t *testing.T) {
	in := loadCorpus(t, "packt_vpc.tfstate")
	n := in.Network
	if in.Format != FormatState || in.TerraformVersion != "1.2.4" {
		t.Errorf("format %s %q", in.Format, in.TerraformVersion)
	}
	wantCounts(t, n, map[string]int{"vpc": 1, "subnet": 4, "internet_gateway": 1, "nat_gateway": 1, "elastic_ip": 1,
		"route_table": 2, "route": 2})
	if got, _ := count(n, "route_table"); got != 3 {
		t.Errorf("route tables %d, want 2 declared + the synthesised main table", got)
	}
	var assoc int
	for _, rt := range n.RouteTables {
		assoc += len(rt.Associations)
	}
	if assoc != 4 {
		t.Errorf("%d subnet associations, want 4", assoc)
	}
	priv := findRT(n, "aws_route_table.private_subnets_route_table")
	if r := routeTo(priv, "0.0.0.0/0"); r == nil || r.Target.Kind != model.TargetNATGateway || r.Target.ID != "nat-0aeccd60c16635fb5" {
		t.Errorf("private default route %+v, want the NAT gateway", r)
	}
	pub := findRT(n, "aws_route_table.public_subnets_route_table")
	if r := routeTo(pub, "0.0.0.0/0"); r == nil || r.Target.Kind != model.TargetInternetGateway {
		t.Errorf("public default route %+v, want the internet gateway", r)
	}
	s := findSubnet(n, `aws_subnet.private_subnets["us-east-1a"]`)
	if s == nil || s.CIDR != pfx("10.0.16.0/20") || s.AvailabilityZone != "us-east-1a" {
		t.Errorf("for_each subnet %+v", s)
	}
	g := n.NATGateways[0]
	if g.PrivateIP != ip("10.0.50.89") || g.PublicIP != ip("35.168.69.240") || g.Placeholder {
		t.Errorf("NAT gateway %+v", g)
	}
	if n.Region != "us-east-1" || n.AccountID != "629760017811" {
		t.Errorf("region %q account %q", n.Region, n.AccountID)
	}
	// The VPC's main table is not in the state: synthesised with its ID.
	main := findRT(n, "rtb-0d1ebb9c0ddf72f89")
	if main == nil || !main.Main || main.Synthetic == "" {
		t.Errorf("main route table %+v", main)
	}
	if len(in.Ignored) != 1 || in.Ignored[0].Type != "data.aws_availability_zones" {
		t.Errorf("ignored %+v", in.Ignored)
	}
}

func TestCorpusLeajd(t *testing.T) {
	in := loadCorpus(t, "leajd_networking.tfstate")
	n := in.Network
	wantCounts(t, n, map[string]int{"vpc": 1, "subnet": 4, "internet_gateway": 1, "nat_gateway": 1, "elastic_ip": 1,
		"route_table": 2, "route": 2, "security_group": 1, "security_group_rule": 3})
	if s := findSubnet(n, "aws_subnet.private_subnet[1]"); s == nil || s.CIDR != pfx("10.0.4.0/24") {
		t.Errorf("count subnet %+v", s)
	}
	priv := findRT(n, "aws_route_table.private_rt")
	if r := routeTo(priv, "0.0.0.0/0"); r == nil || r.Target.Kind != model.TargetNATGateway || r.Target.ID != "nat-073a0385dbb6df5a2" {
		t.Errorf("private default route %+v, want nat-073a0385dbb6df5a2", r)
	}
	sg := findSG(n, "aws_security_group.alb_sg")
	in443, in80 := false, false
	for _, r := range sg.Ingress {
		if r.Protocol != model.ProtocolTCP || r.Peer.Kind != model.PeerCIDR || r.Peer.CIDR != pfx("83.27.242.36/32") {
			t.Errorf("ingress rule %+v", r)
		}
		in443 = in443 || r.Ports == model.Port(443)
		in80 = in80 || r.Ports == model.Port(80)
	}
	if !in443 || !in80 || len(sg.Ingress) != 2 {
		t.Errorf("ingress %+v, want 443 and 80 from 83.27.242.36/32", sg.Ingress)
	}
	if len(sg.Egress) != 1 || sg.Egress[0].Protocol != model.ProtocolAll || sg.Egress[0].Ports != model.AllPorts {
		t.Errorf("egress %+v, want all to 0.0.0.0/0", sg.Egress)
	}
	// The NAT gateway's interface is synthesised with the state's ID and
	// carries the Elastic IP.
	e := findENI(n, "eni-001ed770b0828ec3c")
	if e == nil || e.OwnerKind != model.OwnerNATGateway || len(e.PublicIPs) != 1 || e.PublicIPs[0].Public != ip("3.221.38.60") {
		t.Errorf("NAT interface %+v", e)
	}
	// The default network ACL is synthesised: rule 100 allows, "*" denies.
	acl := n.NetworkACLs[0]
	if acl.ID != "acl-001d1a68e3980e3c5" || acl.Ingress[0].Number != 100 || acl.Ingress[0].Action != model.Allow || !acl.Ingress[len(acl.Ingress)-1].IsStar() {
		t.Errorf("default ACL %+v", acl)
	}
}

func TestCorpusIbarrola(t *testing.T) {
	in := loadCorpus(t, "ibarrola_network.tfstate")
	n := in.Network
	wantCounts(t, n, map[string]int{"vpc": 1, "subnet": 6, "internet_gateway": 1, "route_table": 2, "route": 1})
	var assoc int
	for _, rt := range n.RouteTables {
		assoc += len(rt.Associations)
	}
	if assoc != 6 {
		t.Errorf("%d associations, want 6", assoc)
	}
	if n.Region != "us-west-2" || n.AccountID != "668144156539" {
		t.Errorf("region %q account %q", n.Region, n.AccountID)
	}
	if rt := findRT(n, "aws_route_table.private_route_table"); len(rt.Routes) != 1 || rt.Routes[0].Target.Kind != model.TargetLocal {
		t.Errorf("private table routes %+v, want only the local route", rt.Routes)
	}
}

func TestCorpusNyarasPlan(t *testing.T) {
	in := loadCorpus(t, "nyaras_tfplan.json")
	if in.Format != FormatPlan {
		t.Fatalf("format %s", in.Format)
	}
	if len(in.Changes) != 11 {
		t.Errorf("%d changes, want 11", len(in.Changes))
	}
	for _, c := range in.Changes {
		if c.Action != "create" {
			t.Errorf("change %+v, want create", c)
		}
	}
	if in.Before == nil || len(in.Before.VPCs) != 0 || len(in.Before.Subnets) != 0 {
		t.Errorf("before %+v, want an empty network", in.Before)
	}
	n := in.Network
	wantCounts(t, n, map[string]int{"vpc": 1, "subnet": 1, "internet_gateway": 1, "route_table": 1, "route": 1,
		"security_group": 1, "security_group_rule": 1, "instance": 1, "network_interface": 1})
	// Every ID is unknown until apply: elements carry their address.
	for _, m := range []*model.Meta{&n.VPCs[0].Meta, &n.Subnets[0].Meta, &n.InternetGateways[0].Meta, &n.Instances[0].Meta} {
		if m.ID != m.Address || !m.IsUnknown("id") {
			t.Errorf("%s: ID %q unknown %v", m.Address, m.ID, m.Unknown)
		}
	}
	// References unknown until apply resolve through the configuration.
	if s := n.Subnets[0]; s.VPCID != "aws_vpc.main" {
		t.Errorf("subnet VPC %q", s.VPCID)
	}
	rt := findRT(n, "aws_route_table.public")
	if r := routeTo(rt, "0.0.0.0/0"); r == nil || r.Target.Kind != model.TargetInternetGateway || r.Target.ID != "aws_internet_gateway.main" || r.Address != "aws_route.public_internet_access" {
		t.Errorf("default route %+v", r)
	}
	if len(rt.Associations) != 1 || rt.Associations[0].SubnetID != "aws_subnet.public" {
		t.Errorf("associations %+v", rt.Associations)
	}
	// The instance gets placeholders: a private address in its subnet and,
	// since the subnet maps public addresses, a public one.
	e := findENI(n, n.Instances[0].InterfaceIDs[0])
	if e.SubnetID != "aws_subnet.public" || len(e.PrivateIPs) != 1 || !pfx("10.1.1.0/24").Contains(e.PrivateIPs[0]) || !e.IsPlaceholder(e.PrivateIPs[0]) {
		t.Errorf("instance interface %+v", e)
	}
	if len(e.PublicIPs) != 1 || !e.PublicIPs[0].Placeholder || !model.PlaceholderPublicPrefix.Contains(e.PublicIPs[0].Public) {
		t.Errorf("public address %+v", e.PublicIPs)
	}
	if len(e.SecurityGroupIDs) != 1 || e.SecurityGroupIDs[0] != "aws_security_group.main" {
		t.Errorf("groups %v", e.SecurityGroupIDs)
	}
	// No egress block: no egress rule, as Terraform leaves it.
	sg := findSG(n, "aws_security_group.main")
	if len(sg.Egress) != 0 || len(sg.Ingress) != 1 || sg.Ingress[0].Ports != model.Port(22) || sg.Ingress[0].Peer.CIDR != pfx("0.0.0.0/0") {
		t.Errorf("group %+v", sg)
	}
	if n.Region != "eu-west-1" {
		t.Errorf("region %q", n.Region)
	}
	// Positions are line 1 and a column: the plan is minified.
	if p := n.VPCs[0].Pos; p.Line != 1 || p.Col < 100 {
		t.Errorf("VPC position %v", p)
	}
}

func TestCorpusRefusals(t *testing.T) {
	for _, tc := range []struct {
		file string
		line int
		want []string
	}{
		{"gseenu_v3.tfstate", 2, []string{"legacy Terraform state, format version 3", "Terraform 0.11", "Terraform 0.12 or later", "terraform apply -refresh-only"}},
		{"bankole_plan_jsonlines.json", 1, []string{"JSON-lines log that `terraform plan -json` prints", "terraform plan -out=tfplan", "terraform show -json tfplan"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			in, err := Load(filepath.Join("testdata", "corpus", tc.file))
			if err == nil {
				t.Fatal("loaded, want refusal")
			}
			var ds model.Diagnostics
			if !errors.As(err, &ds) || len(ds) != 1 {
				t.Fatalf("error %v is not one diagnostic", err)
			}
			d := ds[0]
			if d.Pos.File != filepath.Join("testdata", "corpus", tc.file) || d.Pos.Line != tc.line {
				t.Errorf("position %v, want line %d", d.Pos, tc.line)
			}
			for _, w := range tc.want {
				if !strings.Contains(d.Message, w) {
					t.Errorf("message %q lacks %q", d.Message, w)
				}
			}
			if in.Network != nil {
				t.Errorf("a refused input has a network")
			}
		})
	}
}

// TestCorpusGolden pins a canonical JSON dump of every loaded network.
func TestCorpusGolden(t *testing.T) {
	for _, name := range []string{"packt_vpc.tfstate", "leajd_networking.tfstate", "ibarrola_network.tfstate", "nyaras_tfplan.json"} {
		t.Run(name, func(t *testing.T) {
			in := loadCorpus(t, name)
			dump := map[string]any{"format": in.Format, "network": in.Network, "diagnostics": in.Diagnostics, "ignored": in.Ignored}
			if in.Before != nil {
				dump["before"] = in.Before
				dump["changes"] = in.Changes
			}
			b, err := json.MarshalIndent(dump, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden(t, strings.TrimSuffix(name, filepath.Ext(name))+".json", append(b, '\n'))
		})
	}
}

package hcl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// TestLoadingCases loads the minimal reproductions of testdata/loading:
// configurations Terraform plans without error, whose values unknown until
// apply must not make the load fail. Each keeps its elements, marks what is
// unknown, and says so in a warning.
func TestLoadingCases(t *testing.T) {
	type want struct {
		// unknown lists "address attribute" pairs that must be marked
		// unknown in the element's Meta.Unknown.
		unknown []string
		// outside lists the IDs of elements outside the input.
		outside []string
		// warnings are substrings of warnings the load must give.
		warnings []string
	}
	cases := map[string]want{
		"data-tgw": {outside: []string{"data.aws_ec2_transit_gateway.hub"},
			warnings: []string{"the transit gateway is read by a data source: it is outside the input"}},
		"data-vpc-unknown": {unknown: []string{"data.aws_vpc.shared cidr_block"}, outside: []string{"data.aws_vpc.shared"},
			warnings: []string{"its cidr_block is not known (give it in the data values file)"}},
		"ipam-read": {unknown: []string{"aws_vpc.v cidr_block"},
			warnings: []string{"cidr_block is not known until apply (allocated from IPAM pool ipam-pool-0123456789abcdef0 when applied)"}},
		"ipv6-cidrsubnet-a": {unknown: []string{"aws_vpc.v ipv6_cidr_block", "aws_subnet.s ipv6_cidr_block"},
			warnings: []string{"(an Amazon-provided block, assigned by AWS when applied)", "(it depends on aws_vpc.v.ipv6_cidr_block, known only after apply)"}},
		"ipv6-cidrsubnet-b": {unknown: []string{"aws_vpc.v ipv6_cidr_block", "aws_subnet.s ipv6_cidr_block"},
			warnings: []string{"(an Amazon-provided block, assigned by AWS when applied)"}},
		// Terraform refuses this one (see testdata/loading/README.md);
		// ipv6-cidrsubnet-c is the form it plans.
		"ipv6-cidrsubnet-c": {unknown: []string{"aws_vpc.v ipv6_cidr_block", "aws_subnet.s ipv6_cidr_block"},
			warnings: []string{"(an Amazon-provided block, assigned by AWS when applied)"}},
		"ipv6-native":      {},
		"ipv6-native-ipam": {},
		"ipv6-native-unknown": {unknown: []string{"aws_subnet.s ipv6_cidr_block"},
			warnings: []string{"IPv6 addresses in this subnet cannot be analysed"}},
		"nat-unknown-subnet": {unknown: []string{"aws_default_subnet.a cidr_block", "aws_nat_gateway.n private_ip"},
			warnings: []string{"the NAT gateway has no address"}},
		"null-computed-a": {unknown: []string{"aws_vpc.v cidr_block"}, warnings: []string{"allocated from IPAM pool"}},
		"null-computed-b": {unknown: []string{"aws_vpc.v cidr_block"}, warnings: []string{"allocated from IPAM pool"}},
		// A computed attribute of a nested block, read through a splat.
		"resolver-ip": {warnings: []string{"cidr_blocks is not known until apply (it depends on aws_route53_resolver_endpoint.in.ip_address, known only after apply)"}},
	}
	dirs, _ := filepath.Glob(filepath.Join("testdata", "loading", "*", "main.tf"))
	for i, d := range dirs {
		dirs[i] = filepath.Dir(d)
	}
	if len(dirs) != len(cases) {
		t.Fatalf("%d folders in testdata/loading, %d cases", len(dirs), len(cases))
	}
	for _, dir := range dirs {
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			w, ok := cases[name]
			if !ok {
				t.Fatalf("no case for %s", name)
			}
			in, err := hcl.Load(dir, hcl.WithEnv([]string{}))
			if err != nil {
				t.Fatalf("load: %v", err)
			}
			n := in.Network
			metas := map[string]*model.Meta{}
			each(n, func(m *model.Meta) {
				for _, k := range []string{m.Address, m.ID} {
					if k != "" && metas[k] == nil {
						metas[k] = m
					}
				}
			})
			for _, u := range w.unknown {
				addr, attr, _ := strings.Cut(u, " ")
				if m := metas[addr]; m == nil || !m.IsUnknown(attr) {
					t.Errorf("%s: %s is not marked unknown (%+v)", addr, attr, m)
				}
			}
			for _, id := range w.outside {
				if m := metas[id]; m == nil || !m.IsOutside() {
					t.Errorf("%s is not an element outside the input (%+v)", id, m)
				}
			}
			for _, s := range w.warnings {
				found := false
				for _, d := range in.Diagnostics {
					found = found || (d.Severity == model.SeverityWarning && strings.Contains(d.Message, s))
				}
				if !found {
					t.Errorf("no warning containing %q in\n%s", s, diagLines(in.Diagnostics))
				}
			}
			if _, err := reach.New(n); err != nil {
				t.Errorf("engine: %v", err)
			}
		})
	}
}

// each calls f with the Meta of every element that has one of its own.
func each(n *model.Network, f func(*model.Meta)) {
	for _, x := range n.VPCs {
		f(&x.Meta)
	}
	for _, x := range n.Subnets {
		f(&x.Meta)
	}
	for _, x := range n.RouteTables {
		f(&x.Meta)
	}
	for _, x := range n.NetworkACLs {
		f(&x.Meta)
	}
	for _, x := range n.SecurityGroups {
		f(&x.Meta)
	}
	for _, x := range n.Interfaces {
		f(&x.Meta)
	}
	for _, x := range n.NATGateways {
		f(&x.Meta)
	}
	for _, x := range n.TransitGateways {
		f(&x.Meta)
	}
	for _, x := range n.TGWAttachments {
		f(&x.Meta)
	}
	for _, x := range n.InternetGateways {
		f(&x.Meta)
	}
	for _, x := range n.VPNGateways {
		f(&x.Meta)
	}
	for _, x := range n.PeeringConnections {
		f(&x.Meta)
	}
	for _, x := range n.Endpoints {
		f(&x.Meta)
	}
	for _, x := range n.Instances {
		f(&x.Meta)
	}
}

func diagLines(ds model.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("  " + d.String() + "\n")
	}
	return b.String()
}

// TestOutsideTargets loads a spoke's state whose routes, rules and
// attachments name elements of other stacks by ID, one of each kind. Each
// becomes an element outside the input; the load and the engine succeed,
// and a trace across each route stops at the element with OUTSIDE_ESTATE:
// the path leaves what vpcsim can see.
func TestOutsideTargets(t *testing.T) {
	state := []byte(`{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x", "outputs": {}, "resources": [
{"mode": "managed", "type": "aws_vpc", "name": "v", "provider": "p", "instances": [{"attributes": {"id": "vpc-1", "cidr_block": "10.1.0.0/16", "main_route_table_id": "rtb-main", "default_network_acl_id": "acl-1", "default_security_group_id": "sg-def"}}]},
{"mode": "managed", "type": "aws_subnet", "name": "s", "provider": "p", "instances": [{"attributes": {"id": "subnet-1", "vpc_id": "vpc-1", "cidr_block": "10.1.1.0/24", "availability_zone": "eu-west-1a"}}]},
{"mode": "managed", "type": "aws_route", "name": "tgw", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-main", "destination_cidr_block": "10.2.0.0/16", "transit_gateway_id": "tgw-0abc"}}]},
{"mode": "managed", "type": "aws_route", "name": "pcx", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-main", "destination_cidr_block": "10.3.0.0/16", "vpc_peering_connection_id": "pcx-0abc"}}]},
{"mode": "managed", "type": "aws_route", "name": "vgw", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-main", "destination_cidr_block": "10.4.0.0/16", "gateway_id": "vgw-0abc"}}]},
{"mode": "managed", "type": "aws_route", "name": "eni", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-main", "destination_cidr_block": "10.5.0.0/16", "network_interface_id": "eni-0abc"}}]},
{"mode": "managed", "type": "aws_route", "name": "nat", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-main", "destination_cidr_block": "10.6.0.0/16", "nat_gateway_id": "nat-0abc"}}]},
{"mode": "managed", "type": "aws_route", "name": "igw", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-main", "destination_cidr_block": "0.0.0.0/0", "gateway_id": "igw-0abc"}}]},
{"mode": "managed", "type": "aws_route", "name": "other", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-other", "destination_cidr_block": "10.9.0.0/16", "transit_gateway_id": "tgw-0abc"}}]},
{"mode": "managed", "type": "aws_security_group", "name": "app", "provider": "p", "instances": [{"attributes": {"id": "sg-app", "vpc_id": "vpc-1", "ingress": [{"protocol": "tcp", "from_port": 443, "to_port": 443, "security_groups": ["sg-0other"], "cidr_blocks": [], "self": false}], "egress": [{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}]}}]},
{"mode": "managed", "type": "aws_instance", "name": "app", "provider": "p", "instances": [{"attributes": {"id": "i-1", "subnet_id": "subnet-1", "private_ip": "10.1.1.10", "primary_network_interface_id": "eni-1", "vpc_security_group_ids": ["sg-app"], "source_dest_check": true}}]},
{"mode": "managed", "type": "aws_subnet", "name": "t", "provider": "p", "instances": [{"attributes": {"id": "subnet-2", "vpc_id": "vpc-1", "cidr_block": "10.1.2.0/24", "availability_zone": "eu-west-1a"}}]},
{"mode": "managed", "type": "aws_route_table_association", "name": "t", "provider": "p", "instances": [{"attributes": {"route_table_id": "rtb-other", "subnet_id": "subnet-2"}}]},
{"mode": "managed", "type": "aws_instance", "name": "other", "provider": "p", "instances": [{"attributes": {"id": "i-3", "subnet_id": "subnet-2", "private_ip": "10.1.2.10", "primary_network_interface_id": "eni-3", "vpc_security_group_ids": ["sg-app"], "source_dest_check": true}}]},
{"mode": "managed", "type": "aws_instance", "name": "elsewhere", "provider": "p", "instances": [{"attributes": {"id": "i-2", "subnet_id": "subnet-0other", "private_ip": "10.8.1.10", "primary_network_interface_id": "eni-2", "vpc_security_group_ids": ["sg-app"], "source_dest_check": true}}]}
]}`)
	in, err := hcl.LoadBytes("spoke.tfstate", state)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	outside := map[string]bool{}
	each(in.Network, func(m *model.Meta) {
		if m.IsOutside() {
			outside[m.ID] = true
		}
	})
	for _, id := range []string{"tgw-0abc", "pcx-0abc", "vgw-0abc", "eni-0abc", "nat-0abc", "igw-0abc", "rtb-other", "sg-0other", "subnet-0other"} {
		if !outside[id] {
			t.Errorf("%s is not an element outside the input; outside: %v", id, outside)
		}
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	for _, q := range []struct{ from, to string }{
		{"aws_instance.app", "10.2.0.5"}, {"aws_instance.app", "10.3.0.5"}, {"aws_instance.app", "10.4.0.5"},
		{"aws_instance.app", "10.5.0.5"}, {"aws_instance.app", "10.6.0.5"}, {"aws_instance.app", "8.8.8.8"},
		// A subnet associated with a route table of another stack: what
		// none of its known routes covers is not known either.
		{"aws_instance.other", "10.20.0.5"},
	} {
		dst := q.to
		res, err := e.Trace(reach.Query{From: q.from, To: dst, Protocol: model.ProtocolTCP, Port: portPtr(443)})
		if err != nil {
			t.Errorf("trace to %s: %v", dst, err)
			continue
		}
		// The path leaves what vpcsim can see, and the answer says so.
		if res.Verdict.Passes() || !hasCode(res, reach.CodeOutsideEstate) {
			t.Errorf("trace to %s across an element outside the input: %s\n%s", dst, res.Verdict, explain(res))
		}
	}
}

// TestDataValuesMakeBetter loads the reproductions whose data sources have
// no values, then again with a data values file: the elements they read
// stay outside the input, with what the values say, and nothing gets worse
// (no new error or warning).
func TestDataValuesMakeBetter(t *testing.T) {
	values := filepath.Join(t.TempDir(), "values.json")
	if err := os.WriteFile(values, []byte(`{
  "data.aws_vpc.shared": {"id": "vpc-0shared", "cidr_block": "10.50.0.0/16", "main_route_table_id": "rtb-0shared"},
  "data.aws_ec2_transit_gateway.hub": {"id": "tgw-0hub"}
}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{"data-vpc-unknown", "data-tgw"} {
		t.Run(dir, func(t *testing.T) {
			path := filepath.Join("testdata", "loading", dir)
			without, err := hcl.Load(path, hcl.WithEnv([]string{}))
			if err != nil {
				t.Fatal(err)
			}
			with, err := hcl.Load(path, hcl.WithEnv([]string{}), hcl.WithDataValues(values))
			if err != nil {
				t.Fatal(err)
			}
			count := func(in *hcl.Input) (n int) {
				for _, d := range in.Diagnostics {
					if d.Severity != model.SeverityNote {
						n++
					}
				}
				return n
			}
			if count(with) > count(without) {
				t.Errorf("more errors and warnings with data values:\n%s\nthan without:\n%s", diagLines(with.Diagnostics), diagLines(without.Diagnostics))
			}
			ix := with.Network.Index()
			switch dir {
			case "data-vpc-unknown":
				v := ix.VPCs["vpc-0shared"]
				if v == nil || !v.IsOutside() || len(v.CIDRs) != 1 || v.IsUnknown("cidr_block") {
					t.Errorf("VPC with data values %+v", v)
				}
				if sg := with.Network.SecurityGroups; len(sg) == 0 || ix.SecurityGroups[sg[0].ID].VPCID != "vpc-0shared" {
					t.Errorf("the group is not in the looked-up VPC: %+v", sg)
				}
			case "data-tgw":
				if g := ix.TransitGateways["tgw-0hub"]; g == nil || !g.IsOutside() {
					t.Errorf("transit gateway with data values %+v", g)
				}
				if a := with.Network.TGWAttachments; len(a) != 1 || a[0].TransitGatewayID != "tgw-0hub" {
					t.Errorf("attachment %+v", a)
				}
			}
		})
	}
}

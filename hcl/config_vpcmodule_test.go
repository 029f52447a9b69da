package hcl

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// TestTerraformAWSModulesVPC loads the configuration in the shape of the
// terraform-aws-modules VPC module (testdata/config/tfaws-vpc*.txtar) into a
// network and checks what the module's documentation promises: subnets per
// zone, the public route to the internet gateway, private and database
// subnets leaving through a NAT gateway of their zone (or the single one),
// the dedicated public network ACL and its rules, the default ACL, security
// group and route table the module manages, and the database subnet group
// set aside as not a network element.
func TestTerraformAWSModulesVPC(t *testing.T) {
	for _, tt := range []struct {
		archive string
		// natOfZone maps a zone letter to the zone letter of the NAT
		// gateway its private subnets use.
		natOfZone map[string]string
		nats      int
	}{
		{"config/testdata/tfaws-vpc.txtar", map[string]string{"a": "a", "b": "b", "c": "c"}, 3},
		{"config/testdata/tfaws-vpc-single-nat.txtar", map[string]string{"a": "a", "b": "a", "c": "a"}, 1},
	} {
		t.Run(tt.archive, func(t *testing.T) {
			fsys, sec := readConfigArchive(t, tt.archive)
			in, err := LoadConfig(fsys, ".", archiveLoadOptions(t, sec["args"])...)
			if err != nil {
				t.Fatal(err)
			}
			n := in.Network
			region := n.Region
			ix := n.Index()
			byAddr := func(addr string) string {
				id, ok := ix.Addresses["module.vpc."+addr]
				if !ok {
					t.Fatalf("no element module.vpc.%s", addr)
				}
				return id
			}
			if len(n.VPCs) != 1 || n.VPCs[0].CIDRs[0] != netip.MustParsePrefix("10.0.0.0/16") {
				t.Fatalf("VPCs %+v", n.VPCs)
			}
			vpc := n.VPCs[0]

			// Subnets: one per zone and tier, from cidrsubnet over the
			// zones.
			wantSubnets := map[string]string{}
			for i, z := range []string{"a", "b", "c"} {
				wantSubnets[fmt.Sprintf("aws_subnet.public[%d]", i)] = fmt.Sprintf("10.0.%d.0/24 %s%s", i, region, z)
				wantSubnets[fmt.Sprintf("aws_subnet.private[%d]", i)] = fmt.Sprintf("10.0.%d.0/24 %s%s", 10+i, region, z)
				wantSubnets[fmt.Sprintf("aws_subnet.database[%d]", i)] = fmt.Sprintf("10.0.%d.0/24 %s%s", 20+i, region, z)
			}
			if len(n.Subnets) != len(wantSubnets) {
				t.Errorf("%d subnets, want %d", len(n.Subnets), len(wantSubnets))
			}
			for addr, want := range wantSubnets {
				s := ix.Subnets[byAddr(addr)]
				if got := s.CIDR.String() + " " + s.AvailabilityZone; got != want {
					t.Errorf("%s: %s, want %s", addr, got, want)
				}
				if s.VPCID != vpc.ID {
					t.Errorf("%s is in %s", addr, s.VPCID)
				}
			}

			// Routes: public subnets to the internet gateway; private and
			// database subnets to the NAT gateway of their zone, which
			// sits in the public subnet of that zone.
			if len(n.NATGateways) != tt.nats {
				t.Errorf("%d NAT gateways, want %d", len(n.NATGateways), tt.nats)
			}
			igw := byAddr("aws_internet_gateway.this[0]")
			rts := n.SubnetRouteTables()
			defaultRoute := func(subnetAddr string) model.RouteTarget {
				rt := rts[byAddr(subnetAddr)]
				if rt == nil {
					t.Fatalf("%s has no route table", subnetAddr)
				}
				for _, r := range rt.Routes {
					if r.Destination == netip.MustParsePrefix("0.0.0.0/0") {
						return r.Target
					}
				}
				return model.RouteTarget{}
			}
			for i, z := range []string{"a", "b", "c"} {
				if got := defaultRoute(fmt.Sprintf("aws_subnet.public[%d]", i)); got != (model.RouteTarget{Kind: model.TargetInternetGateway, ID: igw}) {
					t.Errorf("public subnet %s: 0.0.0.0/0 goes to %+v, want the internet gateway", z, got)
				}
				for _, tier := range []string{"private", "database"} {
					got := defaultRoute(fmt.Sprintf("aws_subnet.%s[%d]", tier, i))
					if got.Kind != model.TargetNATGateway {
						t.Errorf("%s subnet %s: 0.0.0.0/0 goes to %+v, want a NAT gateway", tier, z, got)
						continue
					}
					nat := ix.NATGateways[got.ID]
					natZone := ix.Subnets[nat.SubnetID].AvailabilityZone
					if want := region + tt.natOfZone[z]; natZone != want || !strings.Contains(nat.SubnetID, "public") {
						t.Errorf("%s subnet %s uses the NAT gateway in %s (%s), want the public subnet of %s", tier, z, nat.SubnetID, natZone, want)
					}
					if nat.AllocationID == "" || ix.ElasticIPs[nat.AllocationID] == nil {
						t.Errorf("NAT gateway %s has no Elastic IP", nat.Label())
					}
				}
			}
			for _, rt := range n.RouteTables {
				if !slices.ContainsFunc(rt.Routes, func(r model.Route) bool { return r.Origin == model.OriginLocal }) {
					t.Errorf("%s has no local route", rt.Label())
				}
			}

			// The module's default route table takes over the main table.
			main := ix.RouteTables[vpc.MainRouteTableID]
			if main == nil || main.Address != "module.vpc.aws_default_route_table.default[0]" || len(main.Routes) != 1 {
				t.Errorf("main route table %+v, want the module's default route table with only the local route", main)
			}

			// Network ACLs: the dedicated public ACL with its rules, and
			// the default ACL (allow all) for the other subnets.
			acls := n.SubnetACLs()
			pub := ix.NetworkACLs[byAddr("aws_network_acl.public[0]")]
			def := ix.NetworkACLs[vpc.DefaultNetworkACLID]
			for i := range 3 {
				if got := acls[byAddr(fmt.Sprintf("aws_subnet.public[%d]", i))]; got != pub {
					t.Errorf("public subnet %d uses ACL %v", i, got.Label())
				}
				if got := acls[byAddr(fmt.Sprintf("aws_subnet.private[%d]", i))]; got != def {
					t.Errorf("private subnet %d uses ACL %v, want the default", i, got.Label())
				}
			}
			rules := func(rs []model.ACLRule) []string {
				var out []string
				for _, r := range rs {
					out = append(out, fmt.Sprintf("%s %s %s %s %s", r.NumberString(), r.Action, r.Protocol, r.Ports, r.CIDR))
				}
				return out
			}
			wantIn := []string{"100 allow tcp 443 0.0.0.0/0", "110 allow tcp 1024-65535 0.0.0.0/0", "120 allow all all 10.0.0.0/16",
				"* deny all all 0.0.0.0/0", "* deny all all ::/0"}
			if got := rules(pub.Ingress); !slices.Equal(got, wantIn) {
				t.Errorf("public ACL ingress\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(wantIn, "\n  "))
			}
			wantOut := []string{"100 allow all all 0.0.0.0/0", "* deny all all 0.0.0.0/0", "* deny all all ::/0"}
			if got := rules(pub.Egress); !slices.Equal(got, wantOut) {
				t.Errorf("public ACL egress\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(wantOut, "\n  "))
			}
			if def == nil || def.Address != "module.vpc.aws_default_network_acl.this[0]" ||
				!slices.Equal(rules(def.Ingress)[:1], []string{"100 allow all all 0.0.0.0/0"}) {
				t.Errorf("default ACL %+v, want the module's, allowing all", def)
			}
			if pos := pub.Ingress[0].Pos; pos.File != ".terraform/modules/vpc/main.tf" || pos.Line != 155 {
				t.Errorf("public ACL rule 100 at %s, want its aws_network_acl_rule block", pos)
			}

			// The default security group the module manages has no rules.
			sg := ix.SecurityGroups[vpc.DefaultSecurityGroupID]
			if sg == nil || sg.Address != "module.vpc.aws_default_security_group.this[0]" || len(sg.Ingress)+len(sg.Egress) != 0 {
				t.Errorf("default security group %+v, want the module's, without rules", sg)
			}

			// The database subnet group is read and set aside.
			if !slices.ContainsFunc(in.Ignored, func(it IgnoredType) bool { return it.Type == "aws_db_subnet_group" }) &&
				!slices.ContainsFunc(n.UnsupportedResources, func(u model.UnsupportedResource) bool { return u.Type == "aws_db_subnet_group" }) {
				t.Errorf("aws_db_subnet_group is neither ignored nor unsupported: %+v", in.Ignored)
			}
		})
	}
}

package estatetest

import (
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/internal/estate/tfstate"
	"github.com/vpcsim/vpcsim/model"
)

// estate is a small consistent state: a tfstate.VPC with one subnet, an instance,
// a NAT gateway with its tfstate.EIP, a route table and a network ACL.
func estate(mutate func(rs []*tfstate.Resource), extra ...*tfstate.Resource) []byte {
	env := tfstate.Env{Region: "us-east-1", AccountID: "123456789012"}
	vpc := env.VPC("vpc-00000000000000001", "10.0.0.0/16", tfstate.Named("v"), "rtb-00000000000000001", "acl-00000000000000001", "sg-00000000000000001", "dopt-1")
	sub := env.Subnet("subnet-00000000000000001", vpc.ID, "10.0.1.0/24", "us-east-1a", "use1-az4", true, tfstate.Named("s"))
	sub2 := env.Subnet("subnet-00000000000000002", vpc.ID, "10.0.2.0/24", "us-east-1a", "use1-az4", false, tfstate.Named("s2"))
	sg := env.SecurityGroup("sg-00000000000000002", vpc.ID, "web", "", []tfstate.SecurityGroupRule{tfstate.SGRule("tcp", 443, 443, "", "0.0.0.0/0")}, nil, nil)
	inst := env.Instance("i-00000000000000001", "ami-1", "t3.micro", "us-east-1a", sub.ID, "eni-00000000000000001", "vol-1", "", "10.0.1.10", "3.5.5.5", []string{sg.ID}, nil)
	nat := env.NATGateway("nat-00000000000000001", sub.ID, "eipalloc-00000000000000001", "eipassoc-1", "eni-00000000000000002", "10.0.1.20", "3.6.6.6", nil)
	eip := env.EIP("eipalloc-00000000000000001", "eipassoc-1", "3.6.6.6", "eni-00000000000000002", "", "10.0.1.20", nil)
	igw := env.InternetGateway("igw-00000000000000001", vpc.ID, nil)
	rtb := env.RouteTable("rtb-00000000000000002", vpc.ID, []tfstate.RouteTableRoute{{CIDRBlock: "0.0.0.0/0", GatewayID: igw.ID}}, nil)
	acl := env.NetworkACL("acl-00000000000000002", vpc.ID, []string{sub2.ID},
		[]tfstate.NetworkACLEntry{tfstate.ACLEntry(100, "allow", "6", "10.0.1.0/24", 5432, 5432)},
		[]tfstate.NetworkACLEntry{tfstate.ACLEntry(100, "allow", "6", "10.0.1.0/24", 1024, 65535)}, nil)
	rs := []*tfstate.Resource{
		tfstate.Managed("", "aws_eip", "nat", tfstate.NewInstance(nil, 0, eip, tfstate.PrivateEIP)),
		tfstate.Managed("", "aws_instance", "web", tfstate.NewInstance(nil, 1, inst, tfstate.PrivateInstance)),
		tfstate.Managed("", "aws_internet_gateway", "main", tfstate.NewInstance(nil, 0, igw, tfstate.PrivateInternetGateway)),
		tfstate.Managed("", "aws_nat_gateway", "main", tfstate.NewInstance(nil, 0, nat, tfstate.PrivateNATGateway)),
		tfstate.Managed("", "aws_network_acl", "db", tfstate.NewInstance(nil, 0, acl, tfstate.PrivateNull)),
		tfstate.Managed("", "aws_route_table", "public", tfstate.NewInstance(nil, 0, rtb, tfstate.PrivateRouteTable)),
		tfstate.Managed("", "aws_security_group", "web", tfstate.NewInstance(nil, 1, sg, tfstate.PrivateSecurityGroup)),
		tfstate.Managed("", "aws_subnet", "db", tfstate.NewInstance(nil, 1, sub2, tfstate.PrivateSubnet)),
		tfstate.Managed("", "aws_subnet", "public", tfstate.NewInstance(nil, 1, sub, tfstate.PrivateSubnet)),
		tfstate.Managed("", "aws_vpc", "main", tfstate.NewInstance(nil, 1, vpc, tfstate.PrivateVPC)),
	}
	if mutate != nil {
		mutate(rs)
	}
	rs = append(rs, extra...)
	// MarshalIndent, not Writer: Writer refuses some of the broken states
	// this test needs (TestWriterMatchesMarshalIndent shows both agree).
	b, err := json.MarshalIndent(map[string]any{"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": "x",
		"outputs": map[string]any{}, "resources": rs}, "", "  ")
	if err != nil {
		panic(err)
	}
	return b
}

func attrs[T any](rs []*tfstate.Resource, i int) *T { return rs[i].Instances[0].Attributes.(*T) }

func TestCheck(t *testing.T) {
	if errs := Check(estate(nil)); errs != nil {
		t.Fatalf("the consistent estate has problems: %v", errs)
	}
	tests := []struct {
		name   string
		mutate func(rs []*tfstate.Resource)
		want   string
	}{
		{"dangling reference", func(rs []*tfstate.Resource) {
			attrs[tfstate.RouteTable](rs, 5).Route[0].GatewayID = "igw-0ffffffffffffffff"
		}, "aws_route_table.public: route refers to igw-0ffffffffffffffff, which the state does not define"},
		{"reserved address (network+3)", func(rs []*tfstate.Resource) {
			attrs[tfstate.EC2Instance](rs, 1).PrivateIP = "10.0.1.3"
		}, "address 10.0.1.3 is one of the five AWS reserves in 10.0.1.0/24"},
		{"reserved address (broadcast)", func(rs []*tfstate.Resource) {
			attrs[tfstate.EC2Instance](rs, 1).PrivateIP = "10.0.1.255"
		}, "address 10.0.1.255 is one of the five AWS reserves"},
		{"address outside its subnet", func(rs []*tfstate.Resource) {
			attrs[tfstate.EC2Instance](rs, 1).PrivateIP = "10.0.2.10"
		}, "address 10.0.2.10 is outside subnet aws_subnet.public"},
		{"address used twice", func(rs []*tfstate.Resource) {
			attrs[tfstate.NATGateway](rs, 3).PrivateIP = "10.0.1.10"
		}, "address 10.0.1.10 is also used by aws_instance.web"},
		{"EIP private address not its interface's", func(rs []*tfstate.Resource) {
			attrs[tfstate.EIP](rs, 0).PrivateIP = "10.0.1.21"
		}, "private_ip 10.0.1.21 is not the address 10.0.1.20"},
		{"public address used twice", func(rs []*tfstate.Resource) {
			attrs[tfstate.EC2Instance](rs, 1).PublicIP = "3.6.6.6"
		}, "public address 3.6.6.6 is also used by"},
		{"subnet outside its VPC", func(rs []*tfstate.Resource) {
			attrs[tfstate.Subnet](rs, 7).CIDRBlock = "10.1.2.0/24"
		}, "CIDR block 10.1.2.0/24 is outside its VPC"},
		{"overlapping subnets", func(rs []*tfstate.Resource) {
			attrs[tfstate.Subnet](rs, 7).CIDRBlock = "10.0.0.0/23"
		}, "overlaps aws_subnet.db"},
		{"host bits", func(rs []*tfstate.Resource) {
			attrs[tfstate.RouteTable](rs, 5).Route[0].CIDRBlock = "10.0.0.1/8"
		}, "route 10.0.0.1/8 has host bits set"},
		{"duplicate NACL rule number", func(rs []*tfstate.Resource) {
			a := attrs[tfstate.NetworkACL](rs, 4)
			a.Ingress = append(a.Ingress, tfstate.ACLEntry(100, "deny", "-1", "0.0.0.0/0", 0, 0))
		}, "ingress rule number 100 is out of range or used twice"},
		{"reversed port range", func(rs []*tfstate.Resource) {
			attrs[tfstate.SecurityGroup](rs, 6).Ingress[0].FromPort = 444
		}, "port range 444-443"},
		{"duplicate ID", func(rs []*tfstate.Resource) {
			attrs[tfstate.SecurityGroup](rs, 6).ID = "i-00000000000000001"
		}, "id i-00000000000000001 is also the id of aws_instance.web"},
		{"tag missing from tags_all", func(rs []*tfstate.Resource) {
			delete(attrs[tfstate.VPC](rs, 9).TagsAll, "Name")
		}, "aws_vpc.main: tag Name=v is not in tags_all"},
		{"default tags differ", func(rs []*tfstate.Resource) {
			attrs[tfstate.Subnet](rs, 8).TagsAll["Team"] = "x"
		}, "default tags differ"},
		{"out of order", func(rs []*tfstate.Resource) {
			rs[0], rs[1] = rs[1], rs[0]
		}, "out of Terraform's order"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var msgs []string
			for _, err := range Check(estate(tt.mutate)) {
				msgs = append(msgs, err.Error())
			}
			if !strings.Contains(strings.Join(msgs, "\n"), tt.want) {
				t.Errorf("Check reported\n%s\nwant a problem containing %q", strings.Join(msgs, "\n"), tt.want)
			}
		})
	}
	// AWS lets two VPCs use the same block (only peered VPCs may not), and
	// reserves the first four and the last address of IPv6 subnet blocks too.
	env := tfstate.Env{Region: "us-east-1", AccountID: "123456789012"}
	other := env.VPC("vpc-00000000000000002", "10.0.0.0/16", tfstate.Named("other"), "rtb-00000000000000003", "acl-00000000000000003", "sg-00000000000000003", "dopt-1")
	twoVPCs := estate(nil, tfstate.Managed("", "aws_vpc", "other", tfstate.NewInstance(nil, 1, other, tfstate.PrivateVPC)))
	if errs := Check(twoVPCs); errs != nil {
		t.Errorf("Check refuses two VPCs with one block, which AWS allows: %v", errs)
	}
	for _, tt := range []struct {
		addr string
		want bool
	}{
		{"2600:1f18::", true}, {"2600:1f18::3", true}, {"2600:1f18::4", false},
		{"2600:1f18::ffff:ffff:ffff:fffe", false}, {"2600:1f18::ffff:ffff:ffff:ffff", true},
		{"10.0.1.4", false}, {"10.0.1.255", true},
	} {
		p := netip.MustParsePrefix("2600:1f18::/64")
		if a := netip.MustParseAddr(tt.addr); a.Is4() {
			p = netip.MustParsePrefix("10.0.1.0/24")
		}
		if got := model.IsReservedAddr(p, netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("reserved(%s, %s) = %v, want %v", p, tt.addr, got, tt.want)
		}
	}
	if errs := Check([]byte(`{"version": 3}`)); len(errs) != 1 || !strings.Contains(errs[0].Error(), "version 3") {
		t.Errorf("Check(v3) = %v", errs)
	}
}

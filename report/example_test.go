package report_test

import (
	"fmt"
	"net/netip"
	"os"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// A bastion host whose security group admits SSH from anywhere: the report
// rates it high and names the rule, with its file and line, that opens it.
func ExampleWriteReport() {
	at := func(line int) model.Pos { return model.Pos{File: "main.tf", Line: line} }
	n := &model.Network{Region: "eu-west-1"}
	n.VPCs = []*model.VPC{{Meta: model.Meta{ID: "vpc-1", Address: "aws_vpc.main", Pos: at(1)}, CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}}
	n.Subnets = []*model.Subnet{{Meta: model.Meta{ID: "subnet-1", Address: "aws_subnet.public", Pos: at(5)}, VPCID: "vpc-1",
		CIDR: netip.MustParsePrefix("10.0.1.0/24")}}
	n.InternetGateways = []*model.InternetGateway{{Meta: model.Meta{ID: "igw-1", Address: "aws_internet_gateway.main", Pos: at(9)}, VPCID: "vpc-1"}}
	n.RouteTables = []*model.RouteTable{{Meta: model.Meta{ID: "rtb-1", Address: "aws_route_table.public", Pos: at(13)}, VPCID: "vpc-1",
		Routes: []model.Route{{Meta: model.Meta{Pos: at(16)}, Destination: netip.MustParsePrefix("0.0.0.0/0"),
			Target: model.RouteTarget{Kind: model.TargetInternetGateway, ID: "igw-1"}}},
		Associations: []model.RouteTableAssociation{{SubnetID: "subnet-1"}}}}
	n.SecurityGroups = []*model.SecurityGroup{{Meta: model.Meta{ID: "sg-1", Address: "aws_security_group.bastion", Pos: at(20)}, VPCID: "vpc-1",
		Ingress: []model.SGRule{{Meta: model.Meta{Pos: at(23)}, Direction: model.Ingress, Protocol: model.ProtocolTCP,
			Ports: model.Port(22), Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")}}}}}
	n.Interfaces = []*model.NetworkInterface{{Meta: model.Meta{ID: "eni-1"}, SubnetID: "subnet-1",
		PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.1.10")}, SecurityGroupIDs: []string{"sg-1"}, SourceDestCheck: true,
		PublicIPs: []model.PublicIP{{Public: netip.MustParseAddr("203.0.113.10"), Private: netip.MustParseAddr("10.0.1.10")}},
		OwnerKind: model.OwnerInstance, OwnerID: "i-1"}}
	n.Instances = []*model.Instance{{Meta: model.Meta{ID: "i-1", Address: "aws_instance.bastion", Pos: at(30)}, InterfaceIDs: []string{"eni-1"}}}
	n.Synthesize()

	e, err := reach.New(n)
	if err != nil {
		fmt.Println(err)
		return
	}
	a, err := e.Analyze(reach.AnalyzeOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := report.NewReport(a, e.Topology(), "main.tf")
	if err := report.WriteReport(os.Stdout, r, "text"); err != nil {
		fmt.Println(err)
	}
	// Output:
	// vpcsim exposure report
	// input    main.tf
	// source   internet
	// found    1 finding on 1 target: 1 high
	//
	// aws_instance.bastion  (instance i-1, interface eni-1, in aws_subnet.public, aws_vpc.main)
	//   high      tcp 22  the internet  -> 203.0.113.10
	//             SSH (tcp 22) reachable from the internet
	//             forward  vpc-1/default-network-acl: ingress rule 100 allow all traffic from 0.0.0.0/0  [synthesised: every VPC has a default network ACL that allows all traffic]
	//             forward  aws_security_group.bastion: ingress allow tcp 22 from 0.0.0.0/0  [main.tf:23]
	//             return   aws_route_table.public: route 0.0.0.0/0 -> igw-1  [main.tf:16]
	//             return   vpc-1/default-network-acl: egress rule 100 allow all traffic to 0.0.0.0/0  [synthesised: every VPC has a default network ACL that allows all traffic]
}

// The severity policy on its own: the same port rates differently by how
// wide its sources are.
func ExampleRate() {
	for _, sources := range []string{"0.0.0.0/0", "10.0.0.0/16", "203.0.113.0/24"} {
		r := report.Rate(reach.ProtocolsOf(model.ProtocolTCP), model.Port(3306), []netip.Prefix{netip.MustParsePrefix(sources)}, "internet")
		fmt.Printf("%-8s %s\n", r.Severity, r.Reason)
	}
	// Output:
	// high     MySQL (tcp 3306) reachable from the internet
	// high     MySQL (tcp 3306) reachable from 10.0.0.0/16
	// medium   MySQL (tcp 3306) reachable from 203.0.113.0/24
}

package model_test

import (
	"fmt"
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
)

// A VPC as a Terraform configuration declares it has no main route table,
// default network ACL or default security group: AWS creates them. After
// Synthesize the network has them, each saying which rule of AWS made it.
func Example_synthesize() {
	n := &model.Network{
		VPCs: []*model.VPC{{
			Meta:  model.Meta{ID: "aws_vpc.main", Address: "aws_vpc.main"},
			CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		}},
		Subnets: []*model.Subnet{{
			Meta:  model.Meta{ID: "aws_subnet.a", Address: "aws_subnet.a"},
			VPCID: "aws_vpc.main", CIDR: netip.MustParsePrefix("10.0.1.0/24"),
		}},
	}
	n.Synthesize()

	rt := n.SubnetRouteTables()["aws_subnet.a"]
	fmt.Println(rt.Describe())
	for _, r := range rt.Routes {
		fmt.Printf("  route %s -> %s (%s)\n", r.Destination, r.Target.Kind, r.Origin)
	}
	acl := n.SubnetACLs()["aws_subnet.a"]
	fmt.Println(acl.Label())
	for _, r := range acl.Ingress {
		fmt.Printf("  ingress %s %s %s %s\n", r.NumberString(), r.Action, r.Protocol, r.CIDR)
	}
	sg := n.SecurityGroups[0]
	fmt.Println(sg.Label(), "in from", sg.Ingress[0].Peer, "out to", sg.Egress[0].Peer)
	// Output:
	// aws_vpc.main/main-route-table [synthesised: every VPC has a main route table]
	//   route 10.0.0.0/16 -> local (local)
	// aws_vpc.main/default-network-acl
	//   ingress 100 allow all 0.0.0.0/0
	//   ingress * deny all 0.0.0.0/0
	//   ingress * deny all ::/0
	// aws_vpc.main/default-security-group in from aws_vpc.main/default-security-group (self) out to 0.0.0.0/0
}

func ExampleParseProtocol() {
	for _, s := range []string{"tcp", "UDP", "6", "-1", "icmpv6", "50", "256"} {
		p, err := model.ParseProtocol(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%q -> %s (ports: %v)\n", s, p, p.HasPorts())
	}
	// Output:
	// "tcp" -> tcp (ports: true)
	// "UDP" -> udp (ports: true)
	// "6" -> tcp (ports: true)
	// "-1" -> all (ports: false)
	// "icmpv6" -> icmpv6 (ports: false)
	// "50" -> 50 (ports: false)
	// invalid protocol "256": want tcp, udp, icmp, icmpv6, all, -1 or a number 0-255
}

func ExampleParsePortRange() {
	for _, s := range []string{"22", "1024-65535", "0-65535", "443-80"} {
		r, err := model.ParsePortRange(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %d ports, holds 8080: %v\n", r, r.Size(), r.Contains(8080))
	}
	// Output:
	// 22: 1 ports, holds 8080: false
	// 1024-65535: 64512 ports, holds 8080: true
	// all: 65536 ports, holds 8080: true
	// invalid port range "443-80": want N, LO-HI (0-65535) or all
}

// Validate reports every problem at once, errors first, each with the
// source position and the element it concerns.
func ExampleNetwork_Validate() {
	n := &model.Network{
		VPCs: []*model.VPC{{
			Meta:  model.Meta{ID: "aws_vpc.main", Address: "aws_vpc.main", Pos: model.Pos{File: "vpc.tf", Line: 1}},
			CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")},
		}},
		Subnets: []*model.Subnet{{
			Meta:  model.Meta{ID: "aws_subnet.a", Address: "aws_subnet.a", Pos: model.Pos{File: "vpc.tf", Line: 5}},
			VPCID: "aws_vpc.main", CIDR: netip.MustParsePrefix("10.1.0.0/24"),
		}},
		SecurityGroups: []*model.SecurityGroup{{
			Meta:  model.Meta{ID: "aws_security_group.web", Address: "aws_security_group.web", Pos: model.Pos{File: "sg.tf", Line: 1}},
			VPCID: "aws_vpc.main",
			Ingress: []model.SGRule{{
				Direction: model.Ingress, Protocol: model.ProtocolTCP, Ports: model.Port(443),
				Peer: model.SGPeer{Kind: model.PeerPrefixList, PrefixListID: "pl-0123"},
			}},
		}},
		Interfaces: []*model.NetworkInterface{{
			Meta:     model.Meta{ID: "aws_network_interface.web", Address: "aws_network_interface.web", Pos: model.Pos{File: "web.tf", Line: 3}},
			SubnetID: "aws_subnet.a", PrivateIPs: []netip.Addr{netip.MustParseAddr("10.1.0.3")},
		}},
	}
	for _, d := range n.Validate() {
		fmt.Println(d)
	}
	// Output:
	// vpc.tf:5: error: aws_subnet.a: CIDR block 10.1.0.0/24 is outside the CIDR blocks of aws_vpc.main (10.0.0.0/16)
	// web.tf:3: error: aws_network_interface.web: address 10.1.0.3 is reserved by AWS in subnet aws_subnet.a (10.1.0.0/24: the first four and the last address)
	// sg.tf:1: warning: aws_security_group.web: ingress rule references prefix list pl-0123, which is not in the network: it matches nothing here
}

package reach_test

import (
	"fmt"
	"net/netip"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// webNetwork is a VPC with a public subnet routed to an internet gateway and
// one web server (public address 54.0.0.10) whose group admits HTTPS from
// anywhere.
func webNetwork() *model.Network {
	m := func(id string) model.Meta { return model.Meta{ID: id} }
	n := &model.Network{
		VPCs:             []*model.VPC{{Meta: m("vpc-1"), CIDRs: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/16")}}},
		Subnets:          []*model.Subnet{{Meta: m("subnet-web"), VPCID: "vpc-1", CIDR: netip.MustParsePrefix("10.0.1.0/24")}},
		InternetGateways: []*model.InternetGateway{{Meta: m("igw-1"), VPCID: "vpc-1"}},
		RouteTables: []*model.RouteTable{{Meta: m("rtb-web"), VPCID: "vpc-1",
			Associations: []model.RouteTableAssociation{{SubnetID: "subnet-web"}},
			Routes: []model.Route{{Destination: netip.MustParsePrefix("0.0.0.0/0"),
				Target: model.RouteTarget{Kind: model.TargetInternetGateway, ID: "igw-1"}}}}},
		SecurityGroups: []*model.SecurityGroup{{Meta: m("sg-web"), VPCID: "vpc-1",
			Ingress: []model.SGRule{{Direction: model.Ingress, Protocol: model.ProtocolTCP, Ports: model.Port(443),
				Peer: model.SGPeer{Kind: model.PeerCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")}}}}},
		Interfaces: []*model.NetworkInterface{{Meta: m("eni-web"), SubnetID: "subnet-web", SecurityGroupIDs: []string{"sg-web"},
			PrivateIPs: []netip.Addr{netip.MustParseAddr("10.0.1.10")},
			PublicIPs:  []model.PublicIP{{Public: netip.MustParseAddr("54.0.0.10"), Private: netip.MustParseAddr("10.0.1.10")}}}},
	}
	n.Synthesize()
	return n
}

// A packet walker steps one packet at a time: every hop says where the
// packet is going, which rule decided, what was translated, and which
// interfaces it crossed (where flow logs are written). It keeps its own
// connection tracking: a security group's deny is reported, and the walker
// enforces it unless the packet belongs to a connection it tracks.
func ExampleEngine_Step() {
	e, err := reach.New(webNetwork())
	if err != nil {
		panic(err)
	}
	pos, err := e.StartAt("203.0.113.7")
	if err != nil {
		panic(err)
	}
	h := reach.Header{Src: netip.MustParseAddr("203.0.113.7"), Dst: netip.MustParseAddr("54.0.0.10"),
		Proto: 6, SrcPort: 40000, DstPort: 443}
	var hop reach.PacketHop
	for {
		e.Step(pos, h, false, &hop)
		fmt.Printf("%-8s %s  [%v]\n", hop.Outcome, hop.Next, hop.Header)
		for _, ev := range hop.Events() {
			switch {
			case ev.Cross:
				fmt.Printf("         flow log: %s %s\n", ev.Component.Label(), ev.Direction)
			case ev.Rule != nil && ev.Direction != 0:
				fmt.Printf("         %s %s %s: %s\n", ev.Kind, ev.Direction, ev.Decision, ev.Rule.Text)
			case ev.Rule != nil:
				fmt.Printf("         %s %s: %s\n", ev.Kind, ev.Decision, ev.Rule.Text)
			default:
				fmt.Printf("         %s %s\n", ev.Kind, ev.Decision)
			}
		}
		if hop.Outcome != reach.OutcomeForward {
			break
		}
		pos, h = hop.Next, hop.Header
	}
	// Output:
	// forward  internet-gateway igw-1  [tcp 203.0.113.7:40000 -> 54.0.0.10:443]
	//          route forward: public address 54.0.0.10 of eni-web via igw-1
	// forward  vpc vpc-1  [tcp 203.0.113.7:40000 -> 10.0.1.10:443]
	//          translate destination-nat
	//          route forward: into vpc-1 (10.0.0.0/16)
	// forward  subnet subnet-web  [tcp 203.0.113.7:40000 -> 10.0.1.10:443]
	//          route forward: local delivery to subnet-web (10.0.1.0/24)
	// forward  network-interface eni-web  [tcp 203.0.113.7:40000 -> 10.0.1.10:443]
	//          network-acl ingress allow: ingress rule 100 allow all traffic from 0.0.0.0/0
	//          flow log: eni-web ingress
	// delivered network-interface eni-web  [tcp 203.0.113.7:40000 -> 10.0.1.10:443]
	//          security-group ingress allow: ingress allow tcp 443 from 0.0.0.0/0
}

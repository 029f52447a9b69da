package reach

import (
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// The reference scenarios of shared/cases/reference-scenarios.md: AWS
// topologies from Batfish's AWS tests and lab validations, with the outcome
// real AWS gives. Batfish's dispositions map onto vpcsim's answers as
// follows: ACCEPTED and EXITS_NETWORK are reachable; DENIED_IN and
// DENIED_OUT are a security group or ACL code; NO_ROUTE and NULL_ROUTED are
// a routing or address code. Flows Batfish writes with "protocol 0" are
// protocol 0 here too.

// refS3 is S3: one public subnet, 0/0 to an internet gateway, one instance
// 10.0.0.91 with public IP 18.216.80.133 whose group allows only tcp/22.
func refS3(n *tnet) {
	n.vpc("vpc-s3", "10.0.0.0/16")
	n.subnet("subnet-s3", "vpc-s3", "us-east-2a", "10.0.0.0/24")
	n.igw("igw-0a409e562d251f766", "vpc-s3")
	n.rt("rtb-s3", "vpc-s3", []string{"subnet-s3"}, "0.0.0.0/0 igw-0a409e562d251f766")
	n.sg("sg-s3", "vpc-s3", []sgSpec{"tcp 22 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("i-s3", "subnet-s3", []string{"sg-s3"}, "18.216.80.133", "10.0.0.91")
}

// refS4 is S4: a public subnet (0/0 to an internet gateway, instance 10.0.0.47
// with 13.58.55.60) and a private one whose main table sends 0/0 to a VPN
// gateway with a static VPN to 19.168.0.0/16 (instance 10.0.1.204).
func refS4(n *tnet) {
	n.vpc("vpc-s4", "10.0.0.0/16")
	n.subnet("subnet-pub", "vpc-s4", "us-east-2a", "10.0.0.0/24")
	n.subnet("subnet-priv", "vpc-s4", "us-east-2a", "10.0.1.0/24")
	n.igw("igw-s4", "vpc-s4")
	n.VPNGateways = append(n.VPNGateways, &model.VPNGateway{Meta: meta("vgw-070087240d6fa2989"), VPCID: "vpc-s4"})
	n.VPNConnections = append(n.VPNConnections, &model.VPNConnection{Meta: meta("vpn-s4"), VPNGatewayID: "vgw-070087240d6fa2989",
		StaticRoutesOnly: true, OnPremCIDRs: []netipPrefix{pfx("19.168.0.0/16")}})
	n.rt("rtb-pub", "vpc-s4", []string{"subnet-pub"}, "0.0.0.0/0 igw-s4")
	n.mainRT("rtb-main", "vpc-s4", "0.0.0.0/0 vgw-070087240d6fa2989")
	n.sg("sg-s4", "vpc-s4", []sgSpec{"tcp 22 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("pub", "subnet-pub", []string{"sg-s4"}, "13.58.55.60", "10.0.0.47")
	n.instance("priv", "subnet-priv", []string{"sg-s4"}, "", "10.0.1.204")
}

// refS5 is S5: a private subnet routing 0/0 to a NAT gateway (10.1.250.210,
// 3.135.127.225) in a subnet routing 0/0 to an internet gateway, whose ACL
// admits ICMP from the private subnet first and everything next.
func refS5(n *tnet) {
	n.vpc("vpc-s5", "10.1.0.0/16")
	n.subnet("subnet-priv", "vpc-s5", "us-east-2a", "10.1.1.0/24")
	n.subnet("subnet-nat", "vpc-s5", "us-east-2a", "10.1.250.0/24")
	n.igw("igw-s5", "vpc-s5")
	n.nat("nat-07ab4846da51f4612", "subnet-nat", "10.1.250.210", "3.135.127.225")
	n.rt("rtb-priv", "vpc-s5", []string{"subnet-priv"}, "0.0.0.0/0 nat-07ab4846da51f4612")
	n.rt("rtb-nat", "vpc-s5", []string{"subnet-nat"}, "0.0.0.0/0 igw-s5")
	n.acl("acl-nat", "vpc-s5", []string{"subnet-nat"}, []string{"100 allow icmp - 10.1.1.0/24", "200 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
	n.sg("sg-s5", "vpc-s5", []sgSpec{"all - 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("priv", "subnet-priv", []string{"sg-s5"}, "", "10.1.1.98")
	n.instance("natside", "subnet-nat", []string{"sg-s5"}, "", "10.1.250.116")
}

// refS6 is S6: VPC A (10.10.0.0/16 and 10.11.0.0/16) peered with B and with
// C, which overlap (192.168.0.0/16 both); A routes one /24 to each.
func refS6(n *tnet) {
	n.vpc("vpc-a", "10.10.0.0/16", "10.11.0.0/16")
	n.vpc("vpc-b", "192.168.0.0/16")
	n.vpc("vpc-c", "192.168.0.0/16")
	n.subnet("subnet-a", "vpc-a", "us-east-2a", "10.10.10.0/24")
	n.subnet("subnet-b", "vpc-b", "us-east-2a", "192.168.1.0/24")
	n.subnet("subnet-c", "vpc-c", "us-east-2a", "192.168.2.0/24")
	n.peering("pcx-0b89b559e3319d6cf", "vpc-a", "vpc-b", true)
	n.peering("pcx-0d5b836985ac8ca8c", "vpc-a", "vpc-c", true)
	n.igw("igw-b", "vpc-b")
	n.mainRT("rtb-a", "vpc-a", "192.168.1.0/24 pcx-0b89b559e3319d6cf", "192.168.2.0/24 pcx-0d5b836985ac8ca8c")
	n.mainRT("rtb-b", "vpc-b", "10.10.0.0/16 pcx-0b89b559e3319d6cf", "0.0.0.0/0 blackhole")
	n.mainRT("rtb-c", "vpc-c", "10.10.0.0/16 pcx-0d5b836985ac8ca8c")
	for _, v := range []string{"a", "b", "c"} {
		n.sg("sg-"+v, "vpc-"+v, []sgSpec{"tcp 22 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	}
	n.instance("a", "subnet-a", []string{"sg-a"}, "", "10.10.10.157")
	n.instance("b", "subnet-b", []string{"sg-b"}, "", "192.168.1.106")
	n.instance("c", "subnet-c", []string{"sg-c"}, "", "192.168.2.229")
}

// refS8 is S8: tgw-bat holds VPCs bat (default table) and bat2 (table
// rtb-bat2 with a static 192.168.0.0/16 to the peering); tgw-fish holds fish,
// with a static 10.20.0.0/16 to the peering, which is associated with each
// gateway's default table.
func refS8(n *tnet) {
	for _, tg := range []string{"tgw-bat", "tgw-fish"} {
		n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: meta(tg)})
	}
	vpcs := []struct{ name, cidr, ip, tgw string }{
		{"bat", "10.10.0.0/16", "10.10.1.100", "tgw-bat"}, {"bat2", "10.20.0.0/16", "10.20.1.100", "tgw-bat"}, {"fish", "192.168.0.0/16", "192.168.1.100", "tgw-fish"},
	}
	for _, v := range vpcs {
		n.vpc("vpc-"+v.name, v.cidr)
		sub := netipPrefixFrom(ip(v.ip), 24)
		n.subnet("subnet-"+v.name, "vpc-"+v.name, "us-east-1a", sub.String())
		n.mainRT("rtb-"+v.name, "vpc-"+v.name, "0.0.0.0/0 "+v.tgw)
		n.sg("sg-"+v.name, "vpc-"+v.name, []sgSpec{"tcp 22 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
		n.instance(v.name, "subnet-"+v.name, []string{"sg-" + v.name}, "", v.ip)
		n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: meta("att-" + v.name), Kind: model.TGWAttachVPC,
			TransitGatewayID: v.tgw, VPCID: "vpc-" + v.name, SubnetIDs: []string{"subnet-" + v.name}})
	}
	n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: meta("att-peer"), Kind: model.TGWAttachPeering,
		TransitGatewayID: "tgw-bat", PeerTransitGatewayID: "tgw-fish"})
	link := func(ids ...string) []model.TGWRouteTableLink {
		var out []model.TGWRouteTableLink
		for _, id := range ids {
			out = append(out, model.TGWRouteTableLink{AttachmentID: id})
		}
		return out
	}
	n.TGWRouteTables = append(n.TGWRouteTables,
		&model.TGWRouteTable{Meta: meta("bat-default"), TransitGatewayID: "tgw-bat", Default: true,
			Associations: link("att-bat", "att-peer"), Propagations: link("att-bat")},
		&model.TGWRouteTable{Meta: meta("rtb-bat2"), TransitGatewayID: "tgw-bat",
			Associations: link("att-bat2"), Propagations: link("att-bat2"),
			Routes: []model.TGWRoute{{Destination: pfx("192.168.0.0/16"), AttachmentID: "att-peer"}}},
		&model.TGWRouteTable{Meta: meta("fish-default"), TransitGatewayID: "tgw-fish", Default: true,
			Associations: link("att-fish", "att-peer"), Propagations: link("att-fish"),
			Routes: []model.TGWRoute{{Destination: pfx("10.20.0.0/16"), AttachmentID: "att-peer"}}})
}

// refS8Asymmetric: VPC bat (10.1.0.0/16) and fish (10.2.0.0/16) are each
// attached to both gateways; each is associated on its own gateway and
// propagates only into the other's, so traffic goes through tgw-bat and
// replies through tgw-fish.
func refS8Asymmetric(n *tnet) {
	for _, tg := range []string{"tgw-bat", "tgw-fish"} {
		n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: meta(tg)})
	}
	for _, v := range []struct{ name, cidr, sub, ip, own, other string }{
		{"bat", "10.1.0.0/16", "10.1.1.0/24", "10.1.1.100", "tgw-bat", "tgw-fish"},
		{"fish", "10.2.0.0/16", "10.2.1.0/24", "10.2.1.100", "tgw-fish", "tgw-bat"},
	} {
		n.vpc("vpc-"+v.name, v.cidr)
		n.subnet("subnet-"+v.name, "vpc-"+v.name, "us-east-1a", v.sub)
		n.mainRT("rtb-"+v.name, "vpc-"+v.name, "10.0.0.0/8 "+v.own)
		n.sg("sg-"+v.name, "vpc-"+v.name, []sgSpec{"tcp 22 0.0.0.0/0", "udp 33434-33534 0.0.0.0/0", "icmp 8 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
		n.instance(v.name, "subnet-"+v.name, []string{"sg-" + v.name}, "", v.ip)
		for _, tg := range []string{v.own, v.other} {
			n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: meta("att-" + v.name + "-" + tg), Kind: model.TGWAttachVPC,
				TransitGatewayID: tg, VPCID: "vpc-" + v.name, SubnetIDs: []string{"subnet-" + v.name}})
		}
	}
	n.TGWRouteTables = append(n.TGWRouteTables,
		&model.TGWRouteTable{Meta: meta("rt-bat"), TransitGatewayID: "tgw-bat",
			Associations: []model.TGWRouteTableLink{{AttachmentID: "att-bat-tgw-bat"}}, Propagations: []model.TGWRouteTableLink{{AttachmentID: "att-fish-tgw-bat"}}},
		&model.TGWRouteTable{Meta: meta("rt-fish"), TransitGatewayID: "tgw-fish",
			Associations: []model.TGWRouteTableLink{{AttachmentID: "att-fish-tgw-fish"}}, Propagations: []model.TGWRouteTableLink{{AttachmentID: "att-bat-tgw-fish"}}})
}

// refS10 is S10: public and private subnets with an S3 gateway endpoint on
// both tables (pl-63a5400a), and an interface endpoint 10.1.101.97.
func refS10(n *tnet) {
	n.vpc("vpc-s10", "10.1.0.0/16")
	n.subnet("subnet-pub", "vpc-s10", "us-east-1a", "10.1.1.0/24")
	n.subnet("subnet-priv", "vpc-s10", "us-east-1a", "10.1.101.0/24")
	n.igw("igw-s10", "vpc-s10")
	n.rt("rtb-pub", "vpc-s10", []string{"subnet-pub"}, "0.0.0.0/0 igw-s10")
	n.rt("rtb-priv", "vpc-s10", []string{"subnet-priv"})
	n.PrefixLists = append(n.PrefixLists, &model.PrefixList{Meta: meta("pl-63a5400a"), AWSManaged: true,
		Entries: []netipPrefix{pfx("54.231.0.0/17"), pfx("52.216.0.0/15"), pfx("3.5.16.0/21"), pfx("3.5.0.0/20")}})
	n.Endpoints = append(n.Endpoints, &model.VPCEndpoint{Meta: meta("vpce-0b7357542bb7b83ec"), VPCID: "vpc-s10", Type: model.EndpointGateway,
		ServiceName: "com.amazonaws.us-east-1.s3", PrefixListID: "pl-63a5400a", RouteTableIDs: []string{"rtb-pub", "rtb-priv"}})
	n.sg("sg-s10", "vpc-s10", []sgSpec{"tcp 443 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.instance("pub", "subnet-pub", []string{"sg-s10"}, "18.206.223.222", "10.1.1.169")
	n.instance("priv", "subnet-priv", []string{"sg-s10"}, "", "10.1.101.36")
	n.instance("client-same", "subnet-priv", []string{"sg-s10"}, "", "10.1.101.63")
	n.instance("client-other", "subnet-pub", []string{"sg-s10"}, "", "10.1.1.88")
	ep := n.instance("vpce-083c683a6be29b889", "subnet-priv", []string{"sg-s10"}, "", "10.1.101.97")
	ep.OwnerKind, ep.OwnerID = model.OwnerEndpoint, "vpce-083c683a6be29b889"
}

func TestReferenceScenarios(t *testing.T) { runScenarios(t, referenceScenarios()) }

// referenceScenarios are the flows of TestReferenceScenarios; walk_agree_test.go walks them too.
func referenceScenarios() []scenario {
	p0 := func(from, to string) Query { return proto(from, to, model.ProtocolHOPOPT) }
	return []scenario{
		// S3
		{name: "S3 internet to public ip tcp/80", doc: "SG-1 S3: DENIED_IN, the group allows only 22", build: refS3, q: tcp("8.8.8.8", "18.216.80.133", 80), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "S3 internet to public ip tcp/22", doc: "IGW-2 S3: with tcp/22 the flow is ACCEPTED", build: refS3, q: tcp("8.8.8.8", "18.216.80.133", 22), want: true,
			path: "internet internet-gateway vpc subnet network-interface"},
		{name: "S3 internet to private ip", doc: "IGW-3 S3: NULL_ROUTED", build: refS3, q: tcp("8.8.8.8", "10.0.0.91", 22), code: CodeIGWPrivateIPForIngress, dir: "forward"},
		{name: "S3 instance to internet", doc: "IGW-2 S3: EXITS_NETWORK with SOURCE_NAT at the gateway", build: refS3, q: tcp("i-s3", "8.8.8.8", 80), want: true,
			path: "network-interface subnet internet-gateway internet"},
		// S4
		{name: "S4 private to public ip", doc: "VGW-3 S4: NO_ROUTE at the VPN gateway", build: refS4, q: p0("priv", "13.58.55.60"), code: CodeNoRouteToDestination, dir: "forward",
			path: "network-interface subnet vpn-gateway"},
		{name: "S4 private to public instance", doc: "SG-1 S4: DENIED_IN by the group", build: refS4, q: p0("priv", "10.0.0.47"), code: CodeENISGRulesMismatch, dir: "forward",
			path: "network-interface subnet vpc subnet network-interface"},
		{name: "S4 public to private instance", doc: "SG-1 S4: DENIED_IN, the mirror", build: refS4, q: p0("pub", "10.0.1.204"), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "S4 internet to public ip", doc: "SG-1 S4: DENIED_IN", build: refS4, q: p0("8.8.8.8", "13.58.55.60"), code: CodeENISGRulesMismatch, dir: "forward",
			path: "internet internet-gateway vpc subnet network-interface"},
		{name: "S4 internet to private ip", doc: "IGW-3 S4: NULL_ROUTED", build: refS4, q: p0("8.8.8.8", "10.0.0.47"), code: CodeIGWPrivateIPForIngress, dir: "forward"},
		{name: "S4 public to internet", doc: "IGW-2 S4: EXITS_NETWORK", build: refS4, q: p0("pub", "8.8.8.8"), want: true},
		{name: "S4 private to internet", doc: "VGW-3 S4: NO_ROUTE at the VPN gateway", build: refS4, q: p0("priv", "8.8.8.8"), code: CodeNoRouteToDestination, dir: "forward"},
		{name: "S4 private to on-premises", doc: "VGW-1 S4: EXITS_NETWORK at the VPN gateway", build: refS4, q: p0("priv", "19.168.0.1"), want: true,
			path: "network-interface subnet vpn-gateway on-premises"},
		// Batfish says the public subnet's flow to 19.168.0.0 exits through
		// the internet gateway; so does vpcsim, but it arrives at whatever
		// holds that address on the internet, not at the on-premises network
		// the VPN leads to, so the on-premises host is not reached.
		{name: "S4 public to on-premises", doc: "VGW-1 S4: the public table has no VPN route; the flow leaves through the internet gateway", build: refS4,
			q: p0("pub", "19.168.0.1"), code: CodeDestinationNotReached, dir: "forward", path: "network-interface subnet internet-gateway internet"},
		{name: "S4 on-premises to public instance", doc: "SG-1 S4: from the VPN gateway, DENIED_IN by the group", build: refS4, q: p0("19.168.1.1", "10.0.0.47"), code: CodeENISGRulesMismatch, dir: "forward",
			path: "on-premises vpn-gateway vpc subnet network-interface"},
		{name: "S4 on-premises to public ip", doc: "VGW-4 S4: NO_ROUTE, the gateway admits only the VPC's addresses", build: refS4, q: p0("19.168.1.1", "13.58.55.60"), code: CodeNoEdgeToEdge, dir: "forward"},
		// S5
		{name: "S5 private to internet via nat", doc: "NGW-1 S5: bidirectional success through the NAT and internet gateways", build: refS5, q: tcp("priv", "8.8.8.8", 80), want: true,
			path: "network-interface subnet nat-gateway subnet internet-gateway internet"},
		{name: "S5 unsupported protocol", doc: "NGW-2 S5: DENIED_IN at the NAT gateway, protocol 107", build: refS5, q: proto("priv", "8.8.8.8", 107), code: CodeProtocolRestriction, dir: "forward",
			path: "network-interface subnet nat-gateway"},
		{name: "S5 unsolicited inbound", doc: "NGW-3 S5: DENIED_IN, no active NAT session", build: refS5, q: tcp("8.8.8.8", "3.135.127.225", 80), code: CodeNGWNoSession, dir: "forward"},
		{name: "S5 nat subnet host to nat", doc: "NGW-5 S5: a NAT gateway does not serve its own address", build: refS5, q: tcp("natside", "10.1.250.210", 80), code: CodeNGWAddressNotHost, dir: "forward",
			path: "network-interface subnet nat-gateway"},
		// S6
		{name: "S6 A to B", doc: "SG-1 S6: DENIED_IN at B", build: refS6, q: p0("a", "192.168.1.106"), code: CodeENISGRulesMismatch, dir: "forward",
			path: "network-interface subnet vpc-peering-connection vpc subnet network-interface"},
		{name: "S6 B to A", doc: "SG-1 S6: DENIED_IN at A", build: refS6, q: p0("b", "10.10.10.157"), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "S6 A to unrouted peer address", doc: "RT-1 S6: NO_ROUTE, only the /24s are routed", build: refS6, q: p0("a", "192.168.100.1"), code: CodeNoRouteToDestination, dir: "forward",
			path: "network-interface subnet"},
		{name: "S6 B to A block without subnet", doc: "ADDR-2 S6: NULL_ROUTED in A", build: refS6, q: p0("b", "10.10.100.1"), code: CodeAddressNotInSubnet, dir: "forward"},
		{name: "S6 B to unused address of A", doc: "ADDR-1 S6: NEIGHBOR_UNREACHABLE in A's subnet", build: refS6, q: p0("b", "10.10.10.11"), code: CodeAddressUnused, dir: "forward"},
		{name: "S6 tcp/22 is accepted", doc: "PCX-1 S6 cross-account: 22 both ways is ACCEPTED", build: refS6, q: tcp("a", "192.168.1.106", 22), want: true},
		// S8
		{name: "S8 bat to fish", doc: "TGW-4 S8: NO_ROUTE, bat's default table has no 192.168.0.0/16", build: refS8, q: p0("bat", "192.168.1.100"), code: CodeTGWRTBCannotRoute, dir: "forward",
			path: "network-interface subnet transit-gateway-route-table"},
		{name: "S8 bat2 to fish", doc: "TGW-9 S8: across the peering; DENIED_IN by fish's group", build: refS8, q: p0("bat2", "192.168.1.100"), code: CodeENISGRulesMismatch, dir: "forward",
			path: "network-interface subnet transit-gateway-route-table transit-gateway-route-table subnet network-interface"},
		// Batfish checks the forward path only. On AWS the reply of an
		// allowed tcp/22 dies: fish's table sends it across the peering into
		// bat's default table, where bat2 does not propagate.
		{name: "S8 bat2 to fish tcp/22", doc: "TGW-9 S8: tcp/22 gets there, but its reply meets bat's default table: no route back", build: refS8,
			q: tcp("bat2", "192.168.1.100", 22), code: CodeTGWRTBCannotRoute, dir: "return"},
		{name: "S8 fish to bat", doc: "TGW-4 S8: NO_ROUTE, fish's table has no 10.10.0.0/16", build: refS8, q: p0("fish", "10.10.1.100"), code: CodeTGWRTBCannotRoute, dir: "forward"},
		{name: "S8 fish to bat2", doc: "TGW-9 S8: crosses the peering into bat's default table, where bat2 does not propagate: NO_ROUTE", build: refS8, q: p0("fish", "10.20.1.100"), code: CodeTGWRTBCannotRoute, dir: "forward",
			path: "network-interface subnet transit-gateway-route-table transit-gateway-route-table"},
		{name: "S8 asymmetric tcp/22", doc: "TGW-4 S8 variant: through tgw-bat, back through tgw-fish (lab-validated)", build: refS8Asymmetric, q: tcp("bat", "fish", 22), want: true,
			path: "network-interface subnet transit-gateway-route-table subnet network-interface"},
		{name: "S8 asymmetric ping", doc: "TGW-4 S8 variant: ping works both ways (lab-validated)", build: refS8Asymmetric, q: proto("fish", "bat", model.ProtocolICMP), want: true},
		{name: "S8 asymmetric protocol 0", doc: "SG-1 S8 variant: protocol 0 is DENIED_IN by the group", build: refS8Asymmetric, q: p0("bat", "fish"), code: CodeENISGRulesMismatch, dir: "forward"},
		// S10
		{name: "S10 private to s3", doc: "VPCE-1 S10: bidirectional success through the gateway endpoint", build: refS10, q: tcp("priv", "52.216.237.77", 443), want: true,
			path: "network-interface subnet vpc-endpoint aws-service"},
		{name: "S10 public to s3", doc: "VPCE-1 S10: the prefix-list routes beat 0/0", build: refS10, q: tcp("pub", "52.216.237.77", 443), want: true,
			path: "network-interface subnet vpc-endpoint aws-service"},
		{name: "S10 private to another service", doc: "RT-1 S10: NO_ROUTE from the private subnet", build: refS10, q: tcp("priv", "54.222.57.1", 443), code: CodeNoRouteToDestination, dir: "forward"},
		{name: "S10 public to another service", doc: "IGW-2 S10: through the internet gateway", build: refS10, q: tcp("pub", "54.222.57.1", 443), want: true,
			path: "network-interface subnet internet-gateway internet"},
		{name: "S10 interface endpoint same subnet", doc: "ACL-5 S10: client and endpoint in one subnet", build: refS10, q: tcp("client-same", "10.1.101.97", 443), want: true,
			path: "network-interface subnet network-interface"},
		{name: "S10 interface endpoint other subnet", doc: "VPCE-2 S10: through the VPC to the endpoint's subnet", build: refS10, q: tcp("client-other", "10.1.101.97", 443), want: true,
			path: "network-interface subnet vpc subnet network-interface"},
	}
}

// TestReferenceReturnPaths checks the return hops Batfish lists for S5 and
// S10: exactly the reverse of the forward path.
func TestReferenceReturnPaths(t *testing.T) {
	for _, tc := range []struct {
		name  string
		build func(*tnet)
		q     Query
		want  string
	}{
		{"S5", refS5, tcp("priv", "8.8.8.8", 80), "internet internet-gateway vpc subnet nat-gateway subnet vpc subnet network-interface"},
		{"S10", refS10, tcp("priv", "52.216.237.77", 443), "aws-service vpc-endpoint vpc subnet network-interface"},
	} {
		n := newNet()
		tc.build(n)
		r, err := n.engine(t).Trace(tc.q)
		if err != nil {
			t.Fatal(err)
		}
		var kinds []string
		for _, h := range r.Return {
			kinds = append(kinds, h.Component.Kind)
		}
		if got := strings.Join(kinds, " "); got != tc.want {
			t.Errorf("%s: return path %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

// TestReferenceS5Translations checks S5's translations: the source becomes
// the NAT gateway's private address with a port from 1024-65535, then its
// public address at the internet gateway.
func TestReferenceS5Translations(t *testing.T) {
	n := newNet()
	refS5(n)
	r, err := n.engine(t).Trace(tcp("priv", "8.8.8.8", 80))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"internet-gateway": "10.1.250.210", "internet": "3.135.127.225"}
	for _, h := range r.Forward {
		if src, ok := want[h.Component.Kind]; ok {
			if joinBlocks(h.Headers.Sources) != src || h.Headers.SourcePorts.String() != "1024-65535" {
				t.Errorf("at %s: headers %s, want source %s:1024-65535", h.Component.Kind, h.Headers, src)
			}
			delete(want, h.Component.Kind)
		}
	}
	if len(want) > 0 {
		t.Errorf("hops not seen: %v", want)
	}
}

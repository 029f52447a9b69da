package reach

import (
	"fmt"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// Route tables and internet gateways. See docs/semantics.md, "Routes" and
// "Internet gateways".
func TestRoutingScenarios(t *testing.T) { runScenarios(t, routingScenarios()) }

// routingScenarios are the flows of TestRoutingScenarios; walk_agree_test.go walks them too.
func routingScenarios() []scenario {
	return []scenario{
		{name: "no route", doc: "RT-1 a subnet whose table has only the local route cannot reach the internet", build: func(n *tnet) {
			base(n)
			n.sg("sg-out", "vpc-1", nil, []sgSpec{"all - 0.0.0.0/0"})
		}, q: tcp("app", "8.8.8.8", 443), code: CodeNoRouteToDestination, dir: "forward"},
		{name: "blackhole route", doc: "RT-2 a route whose target is gone drops traffic", build: func(n *tnet) {
			base(n)
			addRoute(n, "rtb-main", "0.0.0.0/0 blackhole")
		}, q: tcp("app", "8.8.8.8", 443), code: CodeBadStateRoute, dir: "forward"},
		{name: "longest prefix wins", doc: "RT-3 the most specific route decides (peering /16 over internet /0)", build: func(n *tnet) {
			twoVPCs(n)
			n.igw("igw-a", "vpc-a")
			addRoute(n, "rtb-a", "0.0.0.0/0 igw-a")
		}, q: tcp("a", "b", 22), want: true,
			path: "network-interface subnet vpc-peering-connection vpc subnet network-interface"},
		{name: "subnet as large as its vpc", doc: "RT-3 a subnet may take its VPC's whole block: the VPC delivers to it", build: func(n *tnet) {
			twoVPCs(n)
			subnetOf(n, "subnet-b").CIDR = pfx("10.2.0.0/16")
		}, q: tcp("a", "b", 22), want: true},
		{name: "main table for unassociated subnet", doc: "RT-4 a subnet without an explicit association uses the main table", build: func(n *tnet) {
			base(n)
			addRoute(n, "rtb-main", "0.0.0.0/0 igw-1")
			n.Interfaces[1].PublicIPs = []model.PublicIP{{Public: ip("54.0.0.20"), Private: ip("10.0.2.10")}}
		}, q: tcp("app", "8.8.8.8", 443), want: true},
		{name: "explicit association over main", doc: "RT-4 an explicit association replaces the main table", build: func(n *tnet) {
			base(n)
			addRoute(n, "rtb-main", "0.0.0.0/0 igw-1")
			n.rt("rtb-isolated", "vpc-1", []string{"subnet-priv"})
		}, q: tcp("app", "8.8.8.8", 443), code: CodeNoRouteToDestination, dir: "forward"},
		{name: "static over propagated", doc: "RT-5 a static route beats a propagated route to the same prefix", build: func(n *tnet) {
			base(n)
			n.VPNGateways = append(n.VPNGateways, &model.VPNGateway{Meta: meta("vgw-1"), VPCID: "vpc-1"})
			n.VPNConnections = append(n.VPNConnections, &model.VPNConnection{Meta: meta("vpn-1"), VPNGatewayID: "vgw-1", OnPremCIDRs: []netipPrefix{pfx("192.168.0.0/16")}})
			addRoute(n, "rtb-pub", "192.168.0.0/16 blackhole")
			rtOf(n, "rtb-pub").PropagatingVGWs = []string{"vgw-1"}
		}, q: tcp("web", "192.168.1.1", 22), code: CodeBadStateRoute, dir: "forward"},
		{name: "public address needed for egress", doc: "IGW-1 an interface without a public address cannot use the internet gateway", build: func(n *tnet) {
			base(n)
			n.Interfaces[0].PublicIPs = nil
		}, q: tcp("web", "8.8.8.8", 443), code: CodeIGWPublicIPForEgress, dir: "forward"},
		{name: "source nat at the gateway", doc: "IGW-2 outbound, the private source becomes the public address", build: base,
			q: tcp("web", "8.8.8.8", 443), want: true, path: "network-interface subnet internet-gateway internet"},
		{name: "private destination from the internet", doc: "IGW-3 the internet cannot address a private IP", build: base,
			q: tcp("8.8.8.8", "10.0.1.10", 443), code: CodeIGWPrivateIPForIngress, dir: "forward"},
		// Found by the metamorphic mirror property (internal/metamorphic):
		// a reply and a request with the same headers got different codes.
		{name: "reply to a private address out through an internet gateway", doc: "ADDR-4 a reply addressed to a private address of another VPC, routed out through an internet gateway, is refused as a request would be", build: func(n *tnet) {
			twoVPCs(n)
			n.igw("igw-b", "vpc-b")
			rt := rtOf(n, "rtb-b")
			rt.Routes = rt.Routes[:0]
			addRoute(n, "rtb-b", "0.0.0.0/0 igw-b")
			n.Interfaces[1].PublicIPs = []model.PublicIP{{Public: ip("54.0.0.20"), Private: ip("10.2.1.10")}}
		}, q: tcp("a", "b", 22), code: CodeIGWPrivateIPForIngress, dir: "return"},
		{name: "ipv6 reply across the internet", doc: "ADDR-4 a reply to an IPv6 address of another VPC routed through the internet comes back through that VPC's internet gateway", build: func(n *tnet) {
			twoVPCs(n)
			for i, v := range []string{"a", "b"} {
				n.VPCs[i].IPv6CIDRs = []netipPrefix{pfx(fmt.Sprintf("2600:1f18:%d::/56", i+1))}
				subnetOf(n, "subnet-"+v).IPv6CIDR = pfx(fmt.Sprintf("2600:1f18:%d:1::/64", i+1))
				n.Interfaces[i].IPv6Addrs = []netipAddr{ip(fmt.Sprintf("2600:1f18:%d:1::10", i+1))}
				n.igw("igw-"+v, "vpc-"+v)
				addRoute(n, "rtb-"+v, "::/0 igw-"+v)
				g := sgOf(n, "sg-"+v)
				g.Ingress = append(g.Ingress, g.Ingress[0])
				g.Ingress[1].Peer.CIDR = pfx("::/0")
				g.Egress = append(g.Egress, g.Egress[0])
				g.Egress[1].Peer.CIDR = pfx("::/0")
			}
			// a reaches b over the peering; b's replies leave through its
			// internet gateway.
			addRoute(n, "rtb-a", "2600:1f18:2::/56 pcx-ab")
		}, q: tcp("a", "2600:1f18:2:1::10", 22), want: true},
		{name: "elastic ip", doc: "IGW-2 an Elastic IP maps one to one like a public address", build: func(n *tnet) {
			base(n)
			n.Interfaces[0].PublicIPs = nil
			n.ElasticIPs = append(n.ElasticIPs, &model.ElasticIP{Meta: meta("eipalloc-1"), PublicIP: ip("3.3.3.3"), InterfaceID: "eni-web"})
		}, q: tcp("8.8.8.8", "3.3.3.3", 443), want: true},
		{name: "unassociated elastic ip", doc: "IGW-4 a public address owned by no interface is a dead end", build: func(n *tnet) {
			base(n)
			n.ElasticIPs = append(n.ElasticIPs, &model.ElasticIP{Meta: meta("eipalloc-2"), PublicIP: ip("3.3.3.4")})
		}, q: tcp("web", "3.3.3.4", 443), code: CodeUnknownDestination, dir: "forward"},
		{name: "reply routed to a nat gateway", doc: "NGW-4 a request in through the internet gateway whose reply is routed to a NAT gateway fails", build: func(n *tnet) {
			base(n)
			n.nat("nat-1", "subnet-pub", "10.0.1.5", "54.0.0.5")
			n.Interfaces[1].PublicIPs = []model.PublicIP{{Public: ip("54.0.0.20"), Private: ip("10.0.2.10")}}
			addRoute(n, "rtb-main", "0.0.0.0/0 nat-1")
			n.sg("sg-open", "vpc-1", []sgSpec{"tcp 8080 0.0.0.0/0"}, nil)
			n.Interfaces[1].SecurityGroupIDs = []string{"sg-open"}
		}, q: tcp("8.8.8.8", "app", 8080), code: CodeNGWNoSession, dir: "return"},
		{name: "reply without internet route", doc: "IGW-5 inbound needs a return route to the internet gateway", build: func(n *tnet) {
			base(n)
			n.Interfaces[1].PublicIPs = []model.PublicIP{{Public: ip("54.0.0.20"), Private: ip("10.0.2.10")}}
			n.sg("sg-open", "vpc-1", []sgSpec{"tcp 8080 0.0.0.0/0"}, nil)
			n.Interfaces[1].SecurityGroupIDs = []string{"sg-open"}
		}, q: tcp("8.8.8.8", "app", 8080), code: CodeNoRouteToDestination, dir: "return"},
		{name: "ipv6 outbound via egress-only gateway", doc: "EIGW-1 an egress-only gateway carries IPv6 out and its replies back", build: func(n *tnet) {
			base(n)
			n.VPCs[0].IPv6CIDRs = append(n.VPCs[0].IPv6CIDRs, pfx("2600:1f18:1:100::/56"))
			subnetOf(n, "subnet-priv").IPv6CIDR = pfx("2600:1f18:1:102::/64")
			n.eigw("eigw-1", "vpc-1")
			addRoute(n, "rtb-main", "::/0 eigw-1")
			n.Interfaces[1].IPv6Addrs = []netipAddr{ip("2600:1f18:1:102::10")}
			sgOf(n, "sg-app").Egress = append(sgOf(n, "sg-app").Egress, sgOf(n, "sg-app").Egress[0])
			sgOf(n, "sg-app").Egress[1].Peer.CIDR = pfx("::/0")
		}, q: tcp("app", "2001:db8::1", 443), want: true,
			path: "network-interface subnet egress-only-internet-gateway internet"},
		{name: "egress-only gateway refuses inbound", doc: "EIGW-2 connections initiated from the internet are refused", build: func(n *tnet) {
			base(n)
			n.InternetGateways = nil
			n.RouteTables[0].Routes = nil
			n.VPCs[0].IPv6CIDRs = append(n.VPCs[0].IPv6CIDRs, pfx("2600:1f18:1:100::/56"))
			subnetOf(n, "subnet-priv").IPv6CIDR = pfx("2600:1f18:1:102::/64")
			n.eigw("eigw-1", "vpc-1")
			addRoute(n, "rtb-main", "::/0 eigw-1")
			n.Interfaces[1].IPv6Addrs = []netipAddr{ip("2600:1f18:1:102::10")}
			n.Interfaces[0].PublicIPs = nil
			n.sg("sg-open", "vpc-1", []sgSpec{"tcp 8080 ::/0"}, nil)
			n.Interfaces[1].SecurityGroupIDs = []string{"sg-open"}
		}, q: tcp("2001:db8::1", "app", 8080), code: CodeEIGWInboundDenied, dir: "forward"},
		{name: "gateway route table with the local route", doc: "RT-6 an edge-associated table with only the local route delivers inbound traffic as usual", build: func(n *tnet) {
			base(n)
			rt := n.rt("rtb-edge", "vpc-1", nil)
			rt.Associations = []model.RouteTableAssociation{{GatewayID: "igw-1"}}
		}, q: tcp("8.8.8.8", "web", 443), want: true, path: "internet internet-gateway vpc subnet network-interface"},
		{name: "gateway route table to an appliance", doc: "RT-6 ingress routing sends inbound traffic for a subnet to an appliance vpcsim does not model", build: func(n *tnet) {
			base(n)
			fw := n.instance("fw", "subnet-priv", []string{"sg-any"}, "", "10.0.2.50")
			fw.SourceDestCheck = false
			n.sg("sg-any", "vpc-1", []sgSpec{"all - 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
			rt := n.rt("rtb-edge", "vpc-1", nil, "10.0.1.0/24 eni-fw")
			rt.Associations = []model.RouteTableAssociation{{GatewayID: "igw-1"}}
		}, q: tcp("8.8.8.8", "web", 443), code: CodeUnsupportedComponent, dir: "forward",
			path: "internet internet-gateway network-interface"},
		{name: "unused address in a subnet", doc: "ADDR-1 an address no interface uses is a dead end", build: base,
			q: tcp("web", "10.0.2.99", 22), code: CodeAddressUnused, dir: "forward"},
		{name: "address outside every subnet", doc: "ADDR-2 an address of the VPC but of no subnet is a dead end", build: base,
			q: tcp("web", "10.0.200.1", 22), code: CodeAddressNotInSubnet, dir: "forward"},
		{name: "private address beyond the estate", doc: "ADDR-3 a private address outside every VPC cannot be reached over the internet", build: base,
			q: tcp("web", "192.168.10.10", 22), code: CodePrivateOnInternet, dir: "forward"},
	}
}

// NAT gateways. See docs/semantics.md, "NAT gateways".
func TestNATScenarios(t *testing.T) { runScenarios(t, natScenarios()) }

// natScenarios are the flows of TestNATScenarios; walk_agree_test.go walks them too.
func natScenarios() []scenario {
	return []scenario{
		{name: "private instance out through nat", doc: "NGW-1 source translation to the gateway, then the internet gateway", build: func(n *tnet) {
			base(n)
			withNAT(n)
		}, q: tcp("app", "8.8.8.8", 443), want: true,
			path: "network-interface subnet nat-gateway subnet internet-gateway internet"},
		{name: "nat protocol restriction", doc: "NGW-2 a NAT gateway translates TCP, UDP and ICMP only", build: func(n *tnet) {
			base(n)
			withNAT(n)
		}, q: proto("app", "8.8.8.8", 47), code: CodeProtocolRestriction, dir: "forward"},
		{name: "nat udp", doc: "NGW-2 UDP is translated", build: func(n *tnet) {
			base(n)
			withNAT(n)
		}, q: udp("app", "8.8.8.8", 53), want: true},
		{name: "nat icmp", doc: "NGW-2 ICMP is translated", build: func(n *tnet) {
			base(n)
			withNAT(n)
		}, q: proto("app", "8.8.8.8", model.ProtocolICMP), want: true},
		{name: "unsolicited inbound to nat", doc: "NGW-3 a NAT gateway admits only connections initiated from inside (reference scenario S5)", build: func(n *tnet) {
			base(n)
			withNAT(n)
		}, q: tcp("8.8.8.8", "54.0.0.5", 80), code: CodeNGWNoSession, dir: "forward"},
		{name: "nat address is not a host", doc: "NGW-5 a NAT gateway's own address does not accept connections", build: func(n *tnet) {
			base(n)
			withNAT(n)
		}, q: tcp("web", "10.0.1.5", 80), code: CodeNGWAddressNotHost, dir: "forward"},
		{name: "nat subnet acl blocks replies", doc: "NGW-6 the NAT gateway's subnet ACL applies to replies arriving from the internet on its ports 1024-65535", build: func(n *tnet) {
			base(n)
			withNAT(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 10.0.0.0/16", "110 allow tcp 443 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, q: tcp("app", "8.8.8.8", 443), code: CodeSubnetACLRestriction, dir: "return"},
		{name: "nat subnet acl blocks requests", doc: "NGW-6 the NAT gateway's subnet ACL applies to requests from other subnets", build: func(n *tnet) {
			base(n)
			withNAT(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 deny all - 10.0.2.0/24", "200 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, q: tcp("app", "8.8.8.8", 443), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "nat without internet route", doc: "NGW-7 a public NAT gateway needs a route to an internet gateway from its own subnet", build: func(n *tnet) {
			base(n)
			n.subnet("subnet-natonly", "vpc-1", "us-east-1a", "10.0.3.0/24")
			n.rt("rtb-natonly", "vpc-1", []string{"subnet-natonly"})
			n.nat("nat-1", "subnet-natonly", "10.0.3.5", "54.0.0.5")
			addRoute(n, "rtb-main", "0.0.0.0/0 nat-1")
		}, q: tcp("app", "8.8.8.8", 443), code: CodeNoRouteToDestination, dir: "forward"},
		{name: "private nat cannot use igw", doc: "NGW-8 a private NAT gateway has no public address for the internet gateway", build: func(n *tnet) {
			base(n)
			n.nat("nat-1", "subnet-pub", "10.0.1.5", "")
			addRoute(n, "rtb-main", "0.0.0.0/0 nat-1")
		}, q: tcp("app", "8.8.8.8", 443), code: CodeNGWPrivateToIGW, dir: "forward"},
		{name: "partial nat port range on return", doc: "NGW-6 replies to translated ports outside the ACL's range fail for some connections", build: func(n *tnet) {
			base(n)
			withNAT(n)
			n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"100 allow all - 10.0.0.0/16", "110 allow tcp 32768-65535 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, q: tcp("app", "8.8.8.8", 443), want: true, partial: true, code: CodeSubnetACLRestriction, dir: "return"},
	}
}

// Peering. See docs/semantics.md, "VPC peering".
func TestPeeringScenarios(t *testing.T) { runScenarios(t, peeringScenarios()) }

// peeringScenarios are the flows of TestPeeringScenarios; walk_agree_test.go walks them too.
func peeringScenarios() []scenario {
	return []scenario{
		{name: "peering both ways", doc: "PCX-1 routes on both sides make peers reachable", build: twoVPCs,
			q: tcp("a", "b", 22), want: true},
		{name: "missing return route", doc: "PCX-1 the peer needs a route back", build: func(n *tnet) {
			twoVPCs(n)
			rtOf(n, "rtb-b").Routes = nil
		}, q: tcp("a", "b", 22), code: CodeNoRouteToDestination, dir: "return"},
		{name: "not transitive", doc: "PCX-2 a peer of a peer is not reachable through it", build: func(n *tnet) {
			twoVPCs(n)
			n.vpc("vpc-c", "10.3.0.0/16")
			n.subnet("subnet-c", "vpc-c", "us-east-1a", "10.3.1.0/24")
			n.peering("pcx-bc", "vpc-b", "vpc-c", true)
			n.sg("sg-c", "vpc-c", []sgSpec{"all - 10.0.0.0/8"}, []sgSpec{"all - 0.0.0.0/0"})
			n.instance("c", "subnet-c", []string{"sg-c"}, "", "10.3.1.10")
			addRoute(n, "rtb-a", "10.3.0.0/16 pcx-ab")
			addRoute(n, "rtb-b", "10.3.0.0/16 pcx-bc")
			n.rt("rtb-c", "vpc-c", []string{"subnet-c"}, "10.0.0.0/8 pcx-bc")
		}, q: tcp("a", "c", 22), code: CodePCXRequiresAddressInVPC, dir: "forward"},
		{name: "no edge-to-edge", doc: "PCX-3 a peer's internet gateway cannot be used", build: func(n *tnet) {
			twoVPCs(n)
			n.igw("igw-b", "vpc-b")
			addRoute(n, "rtb-a", "0.0.0.0/0 pcx-ab")
			addRoute(n, "rtb-b", "0.0.0.0/0 igw-b")
		}, q: tcp("a", "8.8.8.8", 443), code: CodePCXRequiresAddressInVPC, dir: "forward"},
		{name: "not accepted", doc: "PCX-4 a pending peering carries nothing", build: func(n *tnet) {
			twoVPCs(n)
			n.PeeringConnections[0].Active = false
		}, q: tcp("a", "b", 22), code: CodeBadState, dir: "forward"},
		{name: "peer block without subnet", doc: "ADDR-2 an address in the peer's CIDR but in no subnet (reference scenario S6)", build: twoVPCs,
			q: tcp("a", "10.2.100.1", 22), code: CodeAddressNotInSubnet, dir: "forward"},
		{name: "unused address in peer subnet", doc: "ADDR-1 an unused address in the peer's subnet (reference scenario S6)", build: twoVPCs,
			q: tcp("a", "10.2.1.11", 22), code: CodeAddressUnused, dir: "forward"},
		{name: "only part of the peer routed", doc: "RT-1 a route to one peer subnet does not cover the others", build: func(n *tnet) {
			twoVPCs(n)
			rtOf(n, "rtb-a").Routes[0].Destination = pfx("10.2.9.0/24")
		}, q: tcp("a", "b", 22), code: CodeNoRouteToDestination, dir: "forward"},
	}
}

// Transit gateways. See docs/semantics.md, "Transit gateways".
func TestTransitGatewayScenarios(t *testing.T) { runScenarios(t, transitGatewayScenarios()) }

// transitGatewayScenarios are the flows of TestTransitGatewayScenarios; walk_agree_test.go walks them too.
func transitGatewayScenarios() []scenario {
	return []scenario{
		{name: "spokes through default table", doc: "TGW-1 default association and propagation connect attached VPCs", build: hub,
			q: tcp("s1", "s2", 22), want: true,
			path: "network-interface subnet transit-gateway-route-table subnet vpc subnet network-interface"},
		{name: "az without attachment", doc: "TGW-2 a subnet in a zone where the attachment has no subnet cannot reach the gateway", build: func(n *tnet) {
			hub(n)
			subnetOf(n, "subnet-s1").AvailabilityZone = "us-east-1b"
		}, q: tcp("s1", "s2", 22), code: CodeTGWAttachAZRestriction, dir: "forward"},
		{name: "replies die in az without attachment", doc: "TGW-2 inbound still arrives; the replies from the zone without attachment die", build: func(n *tnet) {
			hub(n)
			subnetOf(n, "subnet-s2").AvailabilityZone = "us-east-1b"
		}, q: tcp("s1", "s2", 22), code: CodeTGWAttachAZRestriction, dir: "return"},
		{name: "attachment without association", doc: "TGW-3 an attachment associated with no table cannot send", build: func(n *tnet) {
			hub(n)
			n.TGWAttachments[0].DefaultAssociation = false
		}, q: tcp("s1", "s2", 22), code: CodeTGWAttachMissingRTB, dir: "forward"},
		{name: "no propagation no route", doc: "TGW-4 without propagation or a static route the table cannot route", build: func(n *tnet) {
			hub(n)
			n.TGWAttachments[1].DefaultPropagation = false
		}, q: tcp("s1", "s2", 22), code: CodeTGWRTBCannotRoute, dir: "forward"},
		{name: "static route", doc: "TGW-5 a static route replaces propagation", build: func(n *tnet) {
			hub(n)
			n.TGWAttachments[1].DefaultPropagation = false
			n.Synthesize()
			n.TGWRouteTables[0].Routes = append(n.TGWRouteTables[0].Routes, model.TGWRoute{Destination: pfx("10.2.0.0/16"), AttachmentID: "tgw-attach-s2"})
		}, q: tcp("s1", "s2", 22), want: true},
		{name: "blackhole route", doc: "TGW-6 a blackhole route drops", build: func(n *tnet) {
			hub(n)
			n.Synthesize()
			n.TGWRouteTables[0].Routes = append(n.TGWRouteTables[0].Routes, model.TGWRoute{Destination: pfx("10.2.1.0/24"), Blackhole: true})
		}, q: tcp("s1", "s2", 22), code: CodeBadStateRoute, dir: "forward"},
		{name: "attachment subnet acl inbound", doc: "TGW-7 the attachment subnet's inbound ACL rules apply to traffic entering the gateway", build: func(n *tnet) {
			hub(n)
			n.acl("acl-tgw1", "vpc-1", []string{"subnet-tgw-s1"}, []string{"100 deny all - 10.1.1.0/24", "200 allow all - 0.0.0.0/0"}, []string{"100 allow all - 0.0.0.0/0"})
		}, q: tcp("s1", "s2", 22), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "attachment subnet acl outbound", doc: "TGW-7 the attachment subnet's outbound ACL rules apply to traffic leaving the gateway into the VPC", build: func(n *tnet) {
			hub(n)
			n.acl("acl-tgw2", "vpc-2", []string{"subnet-tgw-s2"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 deny all - 10.2.1.0/24", "200 allow all - 0.0.0.0/0"})
		}, q: tcp("s1", "s2", 22), code: CodeSubnetACLRestriction, dir: "forward"},
		{name: "attachment subnet acl outbound not used on the way in", doc: "TGW-7 the attachment subnet's outbound rules do not apply to traffic entering the gateway", build: func(n *tnet) {
			hub(n)
			n.acl("acl-tgw1", "vpc-1", []string{"subnet-tgw-s1"}, []string{"100 allow all - 0.0.0.0/0"}, []string{"100 deny all - 10.2.0.0/16", "200 allow all - 0.0.0.0/0"})
		}, q: tcp("s1", "s2", 22), want: true},
		{name: "vpc not attached", doc: "TGW-8 a route to a gateway the VPC is not attached to goes nowhere", build: func(n *tnet) {
			hub(n)
			n.TGWAttachments = n.TGWAttachments[1:]
		}, q: tcp("s1", "s2", 22), code: CodeTGWNotAttached, dir: "forward"},
		{name: "separate route tables isolate", doc: "TGW-4 an attachment's table decides what it reaches (isolation by route tables)", build: func(n *tnet) {
			hub(n)
			n.TransitGateways[0].DefaultAssociation, n.TransitGateways[0].DefaultPropagation = false, false
			n.TGWRouteTables = append(n.TGWRouteTables,
				&model.TGWRouteTable{Meta: meta("tgw-rtb-1"), TransitGatewayID: "tgw-1", Associations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s1"}}},
				&model.TGWRouteTable{Meta: meta("tgw-rtb-2"), TransitGatewayID: "tgw-1", Associations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s2"}},
					Propagations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s1"}}})
		}, q: tcp("s1", "s2", 22), code: CodeTGWRTBCannotRoute, dir: "forward"},
		{name: "asymmetric tables", doc: "TGW-4 the return uses the destination attachment's table", build: func(n *tnet) {
			hub(n)
			n.TransitGateways[0].DefaultAssociation, n.TransitGateways[0].DefaultPropagation = false, false
			n.TGWRouteTables = append(n.TGWRouteTables,
				&model.TGWRouteTable{Meta: meta("tgw-rtb-1"), TransitGatewayID: "tgw-1", Associations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s1"}},
					Propagations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s2"}}},
				&model.TGWRouteTable{Meta: meta("tgw-rtb-2"), TransitGatewayID: "tgw-1", Associations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s2"}}})
		}, q: tcp("s1", "s2", 22), code: CodeTGWRTBCannotRoute, dir: "return"},
		{name: "peered transit gateways", doc: "TGW-9 a static route over a peering attachment reaches the peer gateway's VPCs (reference scenario S8)", build: peeredTGW,
			q: tcp("s1", "s2", 22), want: true,
			path: "network-interface subnet transit-gateway-route-table transit-gateway-route-table subnet vpc subnet network-interface"},
		{name: "routing loop between peered gateways", doc: "LOOP-1 static routes that point at each other loop", build: func(n *tnet) {
			hub(n)
			n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: meta("tgw-2")})
			n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: meta("tgw-attach-peer"), Kind: model.TGWAttachPeering,
				TransitGatewayID: "tgw-1", PeerTransitGatewayID: "tgw-2", DefaultAssociation: true})
			n.Synthesize()
			n.TGWRouteTables[0].Routes = append(n.TGWRouteTables[0].Routes, model.TGWRoute{Destination: pfx("10.9.0.0/16"), AttachmentID: "tgw-attach-peer"})
			n.TGWRouteTables = append(n.TGWRouteTables, &model.TGWRouteTable{Meta: meta("tgw-2-rtb"), TransitGatewayID: "tgw-2",
				Associations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-peer"}},
				Routes:       []model.TGWRoute{{Destination: pfx("10.9.0.0/16"), AttachmentID: "tgw-attach-peer"}}})
		}, q: tcp("s1", "10.9.0.1", 22), code: CodeRoutingLoop, dir: "forward"},
	}
}

// VPN gateways, endpoints and what vpcsim does not model.
func TestEdgeScenarios(t *testing.T) { runScenarios(t, edgeScenarios()) }

// edgeScenarios are the flows of TestEdgeScenarios; walk_agree_test.go walks them too.
func edgeScenarios() []scenario {
	vpn := func(n *tnet) {
		base(n)
		n.VPNGateways = append(n.VPNGateways, &model.VPNGateway{Meta: meta("vgw-1"), VPCID: "vpc-1"})
		n.VPNConnections = append(n.VPNConnections, &model.VPNConnection{Meta: meta("vpn-1"), VPNGatewayID: "vgw-1", StaticRoutesOnly: true, OnPremCIDRs: []netipPrefix{pfx("192.168.0.0/16")}})
		rtOf(n, "rtb-main").PropagatingVGWs = []string{"vgw-1"}
		n.sg("sg-onprem", "vpc-1", []sgSpec{"tcp 22 192.168.0.0/16"}, []sgSpec{"all - 0.0.0.0/0"})
		n.Interfaces[1].SecurityGroupIDs = []string{"sg-onprem"}
	}
	s3 := func(n *tnet) {
		base(n)
		n.PrefixLists = append(n.PrefixLists, &model.PrefixList{Meta: meta("pl-63a5400a"), AWSManaged: true,
			Entries: []netipPrefix{pfx("54.231.0.0/17"), pfx("52.216.0.0/15"), pfx("3.5.16.0/21"), pfx("3.5.0.0/20")}})
		n.Endpoints = append(n.Endpoints, &model.VPCEndpoint{Meta: meta("vpce-s3"), VPCID: "vpc-1", Type: model.EndpointGateway,
			ServiceName: "com.amazonaws.us-east-1.s3", PrefixListID: "pl-63a5400a", RouteTableIDs: []string{"rtb-main", "rtb-pub"}})
	}
	return []scenario{
		{name: "to on-premises through vgw", doc: "VGW-1 propagated VPN routes lead on-premises", build: vpn,
			q: tcp("app", "192.168.1.1", 443), want: true, path: "network-interface subnet vpn-gateway on-premises"},
		{name: "from on-premises through vgw", doc: "VGW-2 on-premises hosts reach the VPC through the gateway", build: vpn,
			q: tcp("192.168.1.1", "app", 22), want: true, path: "on-premises vpn-gateway vpc subnet network-interface"},
		{name: "vgw has no internet", doc: "VGW-3 a VPN gateway routes only to on-premises prefixes (reference scenario S4)", build: func(n *tnet) {
			vpn(n)
			addRoute(n, "rtb-main", "0.0.0.0/0 vgw-1")
		}, q: tcp("app", "8.8.8.8", 443), code: CodeNoRouteToDestination, dir: "forward"},
		{name: "public subnet without vpn route", doc: "VGW-1 a subnet without the propagated route sends on-premises traffic to the internet gateway (reference scenario S4)", build: vpn,
			q: tcp("web", "192.168.1.1", 22), code: CodePrivateOnInternet, dir: "forward"},
		{name: "on-premises to internet through vpc", doc: "VGW-4 no edge-to-edge: on-premises traffic cannot leave through the VPC's internet gateway", build: vpn,
			q: tcp("192.168.1.1", "8.8.8.8", 443), code: CodeNoEdgeToEdge, dir: "forward"},
		{name: "gateway endpoint beats default route", doc: "VPCE-1 prefix-list routes of a gateway endpoint are more specific than 0/0 (reference scenario S10)", build: s3,
			q: tcp("web", "52.216.237.77", 443), want: true, path: "network-interface subnet vpc-endpoint aws-service"},
		{name: "gateway endpoint from private subnet", doc: "VPCE-1 a private subnet reaches the service through the endpoint", build: s3,
			q: tcp("app", "52.216.237.77", 443), want: true},
		{name: "other service without route", doc: "VPCE-1 other public addresses have no route from a private subnet (reference scenario S10)", build: s3,
			q: tcp("app", "54.222.57.1", 443), code: CodeNoRouteToDestination, dir: "forward"},
		{name: "interface endpoint sg", doc: "VPCE-2 an interface endpoint is an interface with security groups", build: func(n *tnet) {
			base(n)
			n.sg("sg-vpce", "vpc-1", []sgSpec{"tcp 443 10.0.0.0/16"}, nil)
			x := n.instance("ep", "subnet-priv", []string{"sg-vpce"}, "", "10.0.2.97")
			x.OwnerKind, x.OwnerID = model.OwnerEndpoint, "vpce-ssm"
		}, q: tcp("web", "eni-ep", 443), want: true},
		{name: "interface endpoint sg denies", doc: "VPCE-2 the endpoint's group decides", build: func(n *tnet) {
			base(n)
			n.sg("sg-vpce", "vpc-1", []sgSpec{"tcp 443 10.0.2.0/24"}, nil)
			x := n.instance("ep", "subnet-priv", []string{"sg-vpce"}, "", "10.0.2.97")
			x.OwnerKind, x.OwnerID = model.OwnerEndpoint, "vpce-ssm"
		}, q: tcp("web", "eni-ep", 443), code: CodeENISGRulesMismatch, dir: "forward"},
		{name: "appliance route target", doc: "UNS-1 a route to an appliance interface leads where vpcsim cannot follow", build: func(n *tnet) {
			base(n)
			fw := n.instance("fw", "subnet-pub", []string{"sg-web"}, "", "10.0.1.50")
			fw.SourceDestCheck = false
			addRoute(n, "rtb-main", "0.0.0.0/0 eni-fw")
			n.sg("sg-out", "vpc-1", nil, []sgSpec{"all - 0.0.0.0/0"})
		}, q: tcp("app", "8.8.8.8", 443), code: CodeUnsupportedComponent, dir: "forward"},
		{name: "route to interface with source check", doc: "UNS-2 an interface with source/destination check drops traffic not addressed to it", build: func(n *tnet) {
			base(n)
			n.instance("fw", "subnet-pub", []string{"sg-web"}, "", "10.0.1.50")
			addRoute(n, "rtb-main", "0.0.0.0/0 eni-fw")
		}, q: tcp("app", "8.8.8.8", 443), code: CodeSourceDestCheck, dir: "forward"},
		{name: "carrier gateway", doc: "UNS-1 gateways vpcsim does not model are named, not guessed", build: func(n *tnet) {
			base(n)
			addRoute(n, "rtb-main", "0.0.0.0/0 cagw-1")
		}, q: tcp("app", "8.8.8.8", 443), code: CodeUnsupportedComponent, dir: "forward"},
	}
}

// peeredTGW moves spoke 2 to a second transit gateway peered with the first,
// with static routes across the peering both ways.
func peeredTGW(n *tnet) {
	hub(n)
	n.TransitGateways = append(n.TransitGateways, &model.TransitGateway{Meta: meta("tgw-2")})
	n.TGWAttachments[1].TransitGatewayID = "tgw-2"
	n.TGWAttachments[1].DefaultAssociation, n.TGWAttachments[1].DefaultPropagation = false, false
	n.TGWAttachments = append(n.TGWAttachments, &model.TGWAttachment{Meta: meta("tgw-attach-peer"), Kind: model.TGWAttachPeering,
		TransitGatewayID: "tgw-1", PeerTransitGatewayID: "tgw-2", DefaultAssociation: true})
	rtOf(n, "rtb-s2").Routes[0].Target = target("tgw-2")
	n.Synthesize()
	n.TGWRouteTables[0].Routes = append(n.TGWRouteTables[0].Routes, model.TGWRoute{Destination: pfx("10.2.0.0/16"), AttachmentID: "tgw-attach-peer"})
	n.TGWRouteTables = append(n.TGWRouteTables, &model.TGWRouteTable{Meta: meta("tgw-2-rtb"), TransitGatewayID: "tgw-2",
		Associations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s2"}, {AttachmentID: "tgw-attach-peer"}},
		Propagations: []model.TGWRouteTableLink{{AttachmentID: "tgw-attach-s2"}},
		Routes:       []model.TGWRoute{{Destination: pfx("10.1.0.0/16"), AttachmentID: "tgw-attach-peer"}}})
}

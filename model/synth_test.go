package model

import (
	"fmt"
	"net/netip"
	"reflect"
	"slices"
	"testing"
)

func synthesized(f *fixture) *fixture {
	f.Synthesize()
	return f
}

func findRoute(rt *RouteTable, dst string) *Route {
	for i := range rt.Routes {
		r := &rt.Routes[i]
		if r.Destination.String() == dst || r.DestinationPrefixListID == dst {
			return r
		}
	}
	return nil
}

func TestSynthesizeVPCDefaults(t *testing.T) {
	f := synthesized(sample())
	ix := f.Index()

	// Every VPC has a main route table: the main VPC names none, so one is
	// created and named after the VPC...
	main := ix.RouteTables["aws_vpc.main/main-route-table"]
	if main == nil || !main.Main || main.VPCID != "aws_vpc.main" || main.Synthetic != SynthMainRouteTable {
		t.Fatalf("main route table of aws_vpc.main = %+v; want a synthetic main table", main)
	}
	if f.vpc.MainRouteTableID != main.ID {
		t.Errorf("aws_vpc.main MainRouteTableID = %q; want %q", f.vpc.MainRouteTableID, main.ID)
	}
	// ... while the peer VPC names a table the input declares, which is
	// marked as main and not duplicated.
	if !f.peerRT.Main || f.peerRT.Synthetic != "" {
		t.Errorf("aws_route_table.peer: Main = %v, Synthetic = %q; want main, declared", f.peerRT.Main, f.peerRT.Synthetic)
	}
	for _, rt := range f.RouteTables {
		if rt.VPCID == "aws_vpc.peer" && rt != f.peerRT {
			t.Errorf("extra route table %s for aws_vpc.peer", rt.ID)
		}
	}
	if got := f.SubnetRouteTables()["aws_subnet.peer_b"]; got != f.peerRT {
		t.Errorf("aws_subnet.peer_b uses %v; want the main table aws_route_table.peer", got)
	}

	// Every VPC has a default network ACL that allows all traffic, IPv6 too
	// when the VPC has IPv6 (rule 101), then the "*" rules.
	acl := ix.NetworkACLs["aws_vpc.main/default-network-acl"]
	if acl == nil || !acl.Default || acl.Synthetic != SynthDefaultACL {
		t.Fatalf("default network ACL of aws_vpc.main = %+v", acl)
	}
	wantRules := []string{"100 allow all 0.0.0.0/0", "101 allow all ::/0", "* deny all 0.0.0.0/0", "* deny all ::/0"}
	for _, rules := range [][]ACLRule{acl.Ingress, acl.Egress} {
		var got []string
		for _, r := range rules {
			got = append(got, fmt.Sprintf("%s %s %s %s", r.NumberString(), r.Action, r.Protocol, r.CIDR))
		}
		if !slices.Equal(got, wantRules) {
			t.Errorf("default ACL rules = %q; want %q", got, wantRules)
		}
	}
	// An IPv4-only VPC's default ACL has no IPv6 allow rule.
	peerACL := ix.NetworkACLs["aws_vpc.peer/default-network-acl"]
	if peerACL == nil || len(peerACL.Ingress) != 3 || peerACL.Ingress[0].CIDR != pfx("0.0.0.0/0") || !peerACL.Ingress[1].IsStar() {
		t.Errorf("default ACL of the IPv4-only VPC = %+v", peerACL)
	}
	if got := f.SubnetACLs()["aws_subnet.public_a"]; got != acl {
		t.Errorf("aws_subnet.public_a uses ACL %v; want the default ACL", got)
	}

	// Every VPC has a default security group: all in from itself, all out
	// (to ::/0 as well with IPv6).
	sg := ix.SecurityGroups["aws_vpc.main/default-security-group"]
	if sg == nil || !sg.Default || sg.GroupName != "default" || sg.Synthetic != SynthDefaultSG {
		t.Fatalf("default SG of aws_vpc.main = %+v", sg)
	}
	if len(sg.Ingress) != 1 || sg.Ingress[0].Peer != (SGPeer{Kind: PeerSecurityGroup, GroupID: sg.ID, Self: true}) ||
		sg.Ingress[0].Protocol != ProtocolAll || sg.Ingress[0].Direction != Ingress {
		t.Errorf("default SG ingress = %+v; want all from itself", sg.Ingress)
	}
	var out []string
	for _, r := range sg.Egress {
		out = append(out, fmt.Sprintf("%s %s %s", r.Direction, r.Protocol, r.Peer))
	}
	if want := []string{"egress all 0.0.0.0/0", "egress all ::/0"}; !slices.Equal(out, want) {
		t.Errorf("default SG egress = %q; want %q", out, want)
	}
	if peerSG := ix.SecurityGroups["aws_vpc.peer/default-security-group"]; peerSG == nil || len(peerSG.Egress) != 1 {
		t.Errorf("default SG of the IPv4-only VPC = %+v; want one egress rule", peerSG)
	}
}

func TestSynthesizeMarksNamedDefaults(t *testing.T) {
	// When the VPC names its default ACL and SG and the input describes
	// them (aws_default_network_acl, aws_default_security_group), they are
	// marked, kept as declared, and nothing is synthesised in their place.
	f := sample()
	f.vpc.DefaultNetworkACLID = "aws_default_network_acl.main"
	f.vpc.DefaultSecurityGroupID = "aws_default_security_group.main"
	f.vpc.MainRouteTableID = "aws_route_table.public"
	f.NetworkACLs = append(f.NetworkACLs, &NetworkACL{Meta: meta("aws_default_network_acl.main"), VPCID: "aws_vpc.main"})
	f.SecurityGroups = append(f.SecurityGroups, &SecurityGroup{Meta: meta("aws_default_security_group.main"), VPCID: "aws_vpc.main"})
	f.Synthesize()
	ix := f.Index()
	if acl := ix.NetworkACLs["aws_default_network_acl.main"]; !acl.Default || acl.Synthetic != "" {
		t.Errorf("named default ACL: Default = %v, Synthetic = %q", acl.Default, acl.Synthetic)
	}
	if sg := ix.SecurityGroups["aws_default_security_group.main"]; !sg.Default || sg.Synthetic != "" || len(sg.Ingress)+len(sg.Egress) != 0 {
		t.Errorf("named default SG: %+v; want marked default, rules as declared (none)", sg)
	}
	if !f.pubRT.Main {
		t.Errorf("aws_route_table.public not marked main")
	}
	for _, id := range []string{"aws_vpc.main/main-route-table", "aws_vpc.main/default-network-acl", "aws_vpc.main/default-security-group"} {
		if ix.RouteTables[id] != nil || ix.NetworkACLs[id] != nil || ix.SecurityGroups[id] != nil {
			t.Errorf("%s synthesised although the VPC names a declared one", id)
		}
	}
	// A declared default ACL without rules denies everything: only the
	// "*" rules are added, not the allow-all rules of a new VPC.
	if acl := ix.NetworkACLs["aws_default_network_acl.main"]; len(acl.Ingress) != 2 || !acl.Ingress[0].IsStar() {
		t.Errorf("declared default ACL rules = %+v; want only the * rules", acl.Ingress)
	}
	if ds := f.Validate(); len(ds) > 0 {
		t.Errorf("Validate:%s", dump(ds))
	}
}

func TestSynthesizeNamedButAbsent(t *testing.T) {
	// A VPC from state names its defaults by AWS ID, but the state does not
	// describe them: they are synthesised under those IDs, so references to
	// them (an interface in the default SG) resolve.
	f := sample()
	f.peerVPC.MainRouteTableID = "rtb-0main"
	f.peerVPC.DefaultNetworkACLID = "acl-0default"
	f.peerVPC.DefaultSecurityGroupID = "sg-0default"
	f.peerRT.Main = false
	f.dbENI.SecurityGroupIDs = append(f.dbENI.SecurityGroupIDs, "sg-0default")
	f.Synthesize()
	ix := f.Index()
	if rt := ix.RouteTables["rtb-0main"]; rt == nil || !rt.Main || rt.Synthetic == "" {
		t.Errorf("rtb-0main = %+v; want a synthetic main table", rt)
	}
	if acl := ix.NetworkACLs["acl-0default"]; acl == nil || !acl.Default || acl.Synthetic == "" {
		t.Errorf("acl-0default = %+v; want a synthetic default ACL", acl)
	}
	if sg := ix.SecurityGroups["sg-0default"]; sg == nil || !sg.Default || sg.Ingress[0].Peer.GroupID != "sg-0default" {
		t.Errorf("sg-0default = %+v; want a synthetic default SG referring to itself", sg)
	}
	if ds := f.Validate(); len(ds) > 0 {
		t.Errorf("Validate:%s", dump(ds))
	}
}

func TestSynthesizeLocalRoutes(t *testing.T) {
	// Every route table has a local route for each of its VPC's CIDR
	// blocks, IPv4 and IPv6, primary and secondary.
	f := sample()
	f.vpc.CIDRs = append(f.vpc.CIDRs, pfx("100.64.0.0/16"))
	f.Synthesize()
	for _, rt := range []*RouteTable{f.pubRT, f.privRT, f.Index().RouteTables["aws_vpc.main/main-route-table"]} {
		for _, dst := range []string{"10.0.0.0/16", "100.64.0.0/16", "2001:db8:1000::/56"} {
			r := findRoute(rt, dst)
			if r == nil || r.Target != (RouteTarget{Kind: TargetLocal, ID: "local"}) || r.Origin != OriginLocal || r.Synthetic != SynthLocalRoute {
				t.Errorf("%s: local route to %s = %+v", rt.ID, dst, r)
			}
		}
	}
	// The peer VPC's table gets its own VPC's block only.
	if findRoute(f.peerRT, "10.1.0.0/16") == nil || findRoute(f.peerRT, "2001:db8:1000::/56") != nil {
		t.Errorf("peer table routes = %+v", f.peerRT.Routes)
	}
}

func TestSynthesizeKeepsReplacedLocalRoute(t *testing.T) {
	// AWS lets the local route's target be replaced by a middlebox
	// interface; the replaced route is kept and no second local route
	// appears.
	f := sample()
	f.pubRT.Routes = append(f.pubRT.Routes, rt("10.0.0.0/16", TargetNetworkInterface, "aws_instance.app/eni"))
	f.Synthesize()
	var n int
	for _, r := range f.pubRT.Routes {
		if r.Destination == pfx("10.0.0.0/16") {
			n++
			if r.Target.Kind != TargetNetworkInterface {
				t.Errorf("route to 10.0.0.0/16 targets %v; want the declared interface", r.Target)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d routes to 10.0.0.0/16; want 1", n)
	}
}

func TestSynthesizeStarRules(t *testing.T) {
	// Every network ACL ends, in each direction, with a "*" rule denying
	// all IPv4 and all IPv6 traffic that no other rule matched.
	f := synthesized(sample())
	for _, acl := range f.NetworkACLs {
		for _, list := range []struct {
			d     Direction
			rules []ACLRule
		}{{Ingress, acl.Ingress}, {Egress, acl.Egress}} {
			n := len(list.rules)
			if n < 2 {
				t.Fatalf("%s %s: %d rules", acl.ID, list.d, n)
			}
			for i, cidr := range []string{"0.0.0.0/0", "::/0"} {
				r := list.rules[n-2+i]
				want := ACLRule{Meta: Meta{Synthetic: SynthStarRule}, Number: ACLRuleNumberStar, Direction: list.d,
					Action: Deny, Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP, CIDR: pfx(cidr)}
				if !reflect.DeepEqual(r, want) {
					t.Errorf("%s %s rule %d = %+v; want %+v", acl.ID, list.d, n-2+i, r, want)
				}
				if r.NumberString() != "*" {
					t.Errorf("star rule prints as %q", r.NumberString())
				}
			}
		}
	}
	// The declared rules stay, in their order, before the "*" rules.
	if got := f.privACL.Ingress[0].Number; got != 100 || len(f.privACL.Ingress) != 6 {
		t.Errorf("private ACL ingress = %+v", f.privACL.Ingress)
	}
}

func TestSynthesizeStarRuleFromInput(t *testing.T) {
	// A "*" rule the input already lists (AWS's describe output does) is
	// not added again; the other family's is.
	f := sample()
	f.privACL.Egress = append(f.privACL.Egress, ACLRule{Number: ACLRuleNumberStar, Direction: Egress, Action: Deny,
		Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP, CIDR: pfx("0.0.0.0/0")})
	f.Synthesize()
	var stars []string
	for _, r := range f.privACL.Egress {
		if r.IsStar() {
			stars = append(stars, r.CIDR.String()+" "+map[bool]string{true: "synthetic", false: "declared"}[r.Synthetic != ""])
		}
	}
	if want := []string{"0.0.0.0/0 declared", "::/0 synthetic"}; !slices.Equal(stars, want) {
		t.Errorf("egress * rules = %q; want %q", stars, want)
	}
}

func TestSynthesizeGatewayEndpoint(t *testing.T) {
	f := synthesized(sample())
	// A gateway endpoint's service has an AWS-managed prefix list; the
	// input does not describe it, so it is synthesised with unknown entries
	// (engines must say so, not treat it as empty).
	if f.s3.PrefixListID == "" {
		t.Fatalf("S3 endpoint has no prefix list ID")
	}
	pl := f.Index().PrefixLists[f.s3.PrefixListID]
	if pl == nil || !pl.AWSManaged || !pl.EntriesUnknown || pl.Synthetic != SynthEndpointPL || pl.Name != f.s3.ServiceName {
		t.Fatalf("prefix list %s = %+v", f.s3.PrefixListID, pl)
	}
	// Each of the endpoint's route tables gets a route to the list through
	// the endpoint; other tables do not.
	r := findRoute(f.privRT, pl.ID)
	if r == nil || r.Target != (RouteTarget{Kind: TargetGatewayEndpoint, ID: "aws_vpc_endpoint.s3"}) ||
		r.Origin != OriginEndpoint || r.Synthetic != SynthEndpointRoute || r.Destination.IsValid() {
		t.Errorf("endpoint route = %+v", r)
	}
	if findRoute(f.pubRT, pl.ID) != nil {
		t.Errorf("endpoint route in a table the endpoint does not name")
	}
	// Interface endpoints add no routes.
	for _, rt := range f.RouteTables {
		for _, r := range rt.Routes {
			if r.Target.ID == "aws_vpc_endpoint.ssm" {
				t.Errorf("route to the interface endpoint in %s", rt.ID)
			}
		}
	}
}

func TestSynthesizeGatewayEndpointDeclaredList(t *testing.T) {
	// When the input describes the service's prefix list (a data source
	// in Terraform), that list is used and nothing is synthesised.
	f := sample()
	f.s3.PrefixListID = "pl-63a5400a"
	f.PrefixLists = append(f.PrefixLists, &PrefixList{Meta: meta("pl-63a5400a"), AWSManaged: true, Entries: pfxs("52.216.0.0/15")})
	f.Synthesize()
	if n := len(f.PrefixLists); n != 2 {
		t.Errorf("%d prefix lists; want the 2 declared", n)
	}
	if r := findRoute(f.privRT, "pl-63a5400a"); r == nil {
		t.Errorf("no route to the declared prefix list")
	}
}

func TestSynthesizeVGWPropagation(t *testing.T) {
	// A VPN gateway propagates the VPN's on-premises routes into the tables
	// that enable propagation from it...
	f := sample()
	// ... but a static route to the same prefix wins over a propagated one.
	f.privRT.Routes = append(f.privRT.Routes, rt("172.17.0.0/16", TargetTransitGateway, "aws_ec2_transit_gateway.hub"))
	f.Synthesize()
	r := findRoute(f.privRT, "172.16.0.0/16")
	if r == nil || r.Target != (RouteTarget{Kind: TargetVPNGateway, ID: "aws_vpn_gateway.main"}) ||
		r.Origin != OriginPropagated || r.Synthetic != SynthPropagatedRoute {
		t.Errorf("propagated route = %+v", r)
	}
	if r := findRoute(f.privRT, "172.17.0.0/16"); r == nil || r.Target.Kind != TargetTransitGateway || r.Synthetic != "" {
		t.Errorf("static route to 172.17.0.0/16 = %+v; want the declared one to win", r)
	}
	var n int
	for _, r := range f.privRT.Routes {
		if r.Destination == pfx("172.17.0.0/16") {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d routes to 172.17.0.0/16; want 1", n)
	}
	// Tables that do not enable propagation get nothing.
	if findRoute(f.pubRT, "172.16.0.0/16") != nil {
		t.Errorf("propagated route in a table without propagation")
	}
	// A transit gateway VPN's routes do not propagate into VPC tables.
	if findRoute(f.privRT, "192.168.0.0/16").Target.Kind != TargetTransitGateway {
		t.Errorf("route to 192.168.0.0/16 changed")
	}
}

func TestSynthesizeTGWDefaults(t *testing.T) {
	f := sample()
	peering := &TGWAttachment{Meta: meta("aws_ec2_transit_gateway_peering_attachment.eu"), Kind: TGWAttachPeering,
		TransitGatewayID: "aws_ec2_transit_gateway.hub", PeerTransitGatewayID: "tgw-0eu", DefaultAssociation: true, DefaultPropagation: true}
	optOut := &TGWAttachment{Meta: meta("aws_ec2_transit_gateway_vpc_attachment.isolated"), Kind: TGWAttachVPC,
		TransitGatewayID: "aws_ec2_transit_gateway.hub", VPCID: "aws_vpc.peer", SubnetIDs: []string{"aws_subnet.peer_a"}}
	f.TGWAttachments = append(f.TGWAttachments, peering, optOut)
	f.Synthesize()

	// A transit gateway with default association or propagation has a
	// default route table...
	var def *TGWRouteTable
	for _, rt := range f.TGWRouteTables {
		if rt.TransitGatewayID == "aws_ec2_transit_gateway.hub" {
			if def != nil {
				t.Fatalf("two route tables for the hub")
			}
			def = rt
		}
	}
	if def == nil || !def.Default || def.Synthetic != SynthTGWDefaultTable {
		t.Fatalf("default TGW route table = %+v", def)
	}
	if f.tgw.AssociationRouteTableID != def.ID || f.tgw.PropagationRouteTableID != def.ID {
		t.Errorf("hub default tables = %q, %q; want %q", f.tgw.AssociationRouteTableID, f.tgw.PropagationRouteTableID, def.ID)
	}
	links := func(ls []TGWRouteTableLink) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.AttachmentID)
			if l.Synthetic == "" {
				t.Errorf("link to %s not marked synthetic", l.AttachmentID)
			}
		}
		return out
	}
	// ... with which attachments that use the defaults are associated
	// (peering attachments too) ...
	if got, want := links(def.Associations), []string{"aws_ec2_transit_gateway_vpc_attachment.main", "aws_vpn_connection.dc/attachment",
		"aws_ec2_transit_gateway_peering_attachment.eu"}; !slices.Equal(got, want) {
		t.Errorf("associations = %q; want %q", got, want)
	}
	// ... and into which they propagate, except peering attachments, whose
	// routes are always static.
	if got, want := links(def.Propagations), []string{"aws_ec2_transit_gateway_vpc_attachment.main", "aws_vpn_connection.dc/attachment"}; !slices.Equal(got, want) {
		t.Errorf("propagations = %q; want %q", got, want)
	}
	if ds := f.Validate(); len(ds) != 1 || ds[0].Severity != SeverityWarning {
		t.Errorf("Validate: want only the warning about the peer transit gateway:%s", dump(ds))
	}
}

func TestSynthesizeTGWExplicitLinks(t *testing.T) {
	// An attachment explicitly associated with a table is not associated
	// with the default one as well, and an explicit propagation into the
	// default table is not duplicated.
	f := sample()
	f.tgw.AssociationRouteTableID = "tgw-rtb-default"
	f.tgw.PropagationRouteTableID = "tgw-rtb-default"
	spokes := &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: "aws_ec2_transit_gateway.hub",
		Associations: []TGWRouteTableLink{{Meta: meta("aws_ec2_transit_gateway_route_table_association.main"), AttachmentID: "aws_ec2_transit_gateway_vpc_attachment.main"}}}
	def := &TGWRouteTable{Meta: meta("tgw-rtb-default"), TransitGatewayID: "aws_ec2_transit_gateway.hub",
		Propagations: []TGWRouteTableLink{{AttachmentID: "aws_vpn_connection.dc/attachment"}}}
	f.TGWRouteTables = append(f.TGWRouteTables, spokes, def)
	f.Synthesize()
	if !def.Default || def.Synthetic != "" || spokes.Default {
		t.Errorf("default table: Default = %v, Synthetic = %q; spokes Default = %v", def.Default, def.Synthetic, spokes.Default)
	}
	if len(f.TGWRouteTables) != 2 {
		t.Errorf("%d TGW route tables; want the 2 declared", len(f.TGWRouteTables))
	}
	var assoc, prop []string
	for _, l := range def.Associations {
		assoc = append(assoc, l.AttachmentID)
	}
	for _, l := range def.Propagations {
		prop = append(prop, l.AttachmentID)
	}
	if want := []string{"aws_vpn_connection.dc/attachment"}; !slices.Equal(assoc, want) {
		t.Errorf("default associations = %q; want %q", assoc, want)
	}
	if want := []string{"aws_vpn_connection.dc/attachment", "aws_ec2_transit_gateway_vpc_attachment.main"}; !slices.Equal(prop, want) {
		t.Errorf("default propagations = %q; want %q", prop, want)
	}
	if len(spokes.Associations) != 1 || len(spokes.Propagations) != 0 {
		t.Errorf("spokes table changed: %+v", spokes)
	}
	if ds := f.Validate(); len(ds) > 0 {
		t.Errorf("Validate:%s", dump(ds))
	}
}

func TestSynthesizeTGWDeclaredDefaultTable(t *testing.T) {
	// A table the input marks as the gateway's default (state lists it
	// with default_association_route_table) is used, and the gateway learns
	// its ID.
	f := sample()
	def := &TGWRouteTable{Meta: meta("tgw-rtb-0"), TransitGatewayID: "aws_ec2_transit_gateway.hub", Default: true}
	f.TGWRouteTables = append(f.TGWRouteTables, def)
	f.Synthesize()
	if len(f.TGWRouteTables) != 1 || f.tgw.AssociationRouteTableID != "tgw-rtb-0" || f.tgw.PropagationRouteTableID != "tgw-rtb-0" {
		t.Errorf("tables = %d, hub defaults = %q, %q; want the declared table", len(f.TGWRouteTables),
			f.tgw.AssociationRouteTableID, f.tgw.PropagationRouteTableID)
	}
	if len(def.Associations) != 2 || len(def.Propagations) != 2 {
		t.Errorf("declared default table links: %+v, %+v", def.Associations, def.Propagations)
	}
}

func TestSynthesizeTGWWithoutDefaults(t *testing.T) {
	// A transit gateway with default association and propagation both
	// disabled gets no default table and no links.
	f := sample()
	f.tgw.DefaultAssociation, f.tgw.DefaultPropagation = false, false
	f.Synthesize()
	if len(f.TGWRouteTables) != 0 {
		t.Errorf("TGW route tables = %+v; want none", f.TGWRouteTables)
	}
}

func TestSynthesizeNATInterface(t *testing.T) {
	f := sample()
	f.NATGateways = append(f.NATGateways, &NATGateway{Meta: meta("aws_nat_gateway.b"), SubnetID: "aws_subnet.public_b",
		PrivateIP: ip("10.0.1.4"), PublicIP: ip("198.18.0.9"), Placeholder: true},
		&NATGateway{Meta: meta("aws_nat_gateway.private"), SubnetID: "aws_subnet.private_b", Private: true, PrivateIP: ip("10.0.11.4")})
	f.Synthesize()
	ix := f.Index()
	// A NAT gateway has a requester-managed interface in its subnet, with
	// its private address and the Elastic IP mapped to it.
	e := ix.Interfaces[f.nat.InterfaceID]
	want := &NetworkInterface{
		Meta:       Meta{ID: "aws_nat_gateway.a/interface", Name: "interface of aws_nat_gateway.a", Synthetic: SynthNATInterface},
		SubnetID:   "aws_subnet.public_a",
		PrivateIPs: ips("10.0.0.10"),
		PublicIPs:  []PublicIP{{Public: ip("203.0.113.10"), Private: ip("10.0.0.10"), ElasticIPID: "aws_eip.nat", Synthetic: SynthNATInterface}},
		OwnerKind:  OwnerNATGateway, OwnerID: "aws_nat_gateway.a",
	}
	if !reflect.DeepEqual(e, want) {
		t.Errorf("NAT interface =\n%+v\nwant\n%+v", e, want)
	}
	// Placeholder addresses stay marked as such on the interface.
	b := ix.Interfaces["aws_nat_gateway.b/interface"]
	if b == nil || !b.IsPlaceholder(ip("10.0.1.4")) || !b.IsPlaceholder(ip("198.18.0.9")) {
		t.Errorf("placeholder NAT interface = %+v", b)
	}
	// A private NAT gateway has no public address.
	if p := ix.Interfaces["aws_nat_gateway.private/interface"]; p == nil || len(p.PublicIPs) != 0 || p.SubnetID != "aws_subnet.private_b" {
		t.Errorf("private NAT interface = %+v", p)
	}
	if ds := f.Validate(); len(ds) > 0 {
		t.Errorf("Validate:%s", dump(ds))
	}
}

func TestSynthesizeNATInterfaceDeclared(t *testing.T) {
	// A NAT gateway whose interface the input describes keeps it.
	f := sample()
	f.nat.InterfaceID = "eni-0nat"
	declared := &NetworkInterface{Meta: meta("eni-0nat"), SubnetID: "aws_subnet.public_a", PrivateIPs: ips("10.0.0.10"),
		OwnerKind: OwnerNATGateway, OwnerID: "aws_nat_gateway.a"}
	f.Interfaces = append(f.Interfaces, declared)
	n := len(f.Interfaces)
	f.Synthesize()
	if len(f.Interfaces) != n || f.Index().Interfaces["eni-0nat"] != declared {
		t.Errorf("declared NAT interface replaced or duplicated")
	}
}

func TestSynthesizeElasticIPs(t *testing.T) {
	f := sample()
	f.appENI.PrivateIPs = ips("10.0.10.20", "10.0.10.21")
	f.appENI.PublicIPs = []PublicIP{
		{Public: ip("198.18.0.5"), Private: ip("10.0.10.20")},
		{Public: ip("198.18.0.6"), Private: ip("10.0.10.21")},
	}
	f.ElasticIPs = append(f.ElasticIPs, &ElasticIP{Meta: meta("aws_eip.app2"), PublicIP: ip("203.0.113.30"),
		InterfaceID: "aws_instance.app/eni", PrivateIP: ip("10.0.10.21")})
	f.Synthesize()
	// An Elastic IP associated with an instance lands on its primary
	// interface and replaces the auto-assigned public address of the
	// private address it maps to.
	want := []PublicIP{{Public: ip("203.0.113.20"), Private: ip("10.0.0.20"), ElasticIPID: "aws_eip.web", Synthetic: SynthElasticIPMapping}}
	if !reflect.DeepEqual(f.webENI.PublicIPs, want) {
		t.Errorf("web public addresses = %+v; want %+v", f.webENI.PublicIPs, want)
	}
	// One associated with a secondary address replaces that address's
	// mapping only.
	want = []PublicIP{
		{Public: ip("198.18.0.5"), Private: ip("10.0.10.20")},
		{Public: ip("203.0.113.30"), Private: ip("10.0.10.21"), ElasticIPID: "aws_eip.app2", Synthetic: SynthElasticIPMapping},
	}
	if !reflect.DeepEqual(f.appENI.PublicIPs, want) {
		t.Errorf("app public addresses = %+v; want %+v", f.appENI.PublicIPs, want)
	}
	// An unassociated Elastic IP maps to nothing.
	for _, e := range f.Interfaces {
		for _, p := range e.PublicIPs {
			if p.Public == ip("203.0.113.10") && e.OwnerKind != OwnerNATGateway {
				t.Errorf("the NAT gateway's Elastic IP mapped to %s", e.ID)
			}
		}
	}
	if ds := f.Validate(); len(ds) > 0 {
		t.Errorf("Validate:%s", dump(ds))
	}
}

func TestSynthesizeIdempotent(t *testing.T) {
	// A second call changes nothing. The variants cover each kind of
	// synthesised element, including one that depends on another (an
	// endpoint route into a synthesised main table).
	variants := map[string]func(*fixture){
		"sample": func(*fixture) {},
		"endpoint in the synthesised main table": func(f *fixture) {
			f.vpc.MainRouteTableID = "rtb-0main"
			f.s3.RouteTableIDs = append(f.s3.RouteTableIDs, "rtb-0main")
		},
		"propagation into a second table": func(f *fixture) {
			f.pubRT.PropagatingVGWs = []string{"aws_vpn_gateway.main"}
		},
		"declared TGW defaults": func(f *fixture) {
			f.tgw.AssociationRouteTableID = "tgw-rtb-0"
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("tgw-rtb-0"), TransitGatewayID: "aws_ec2_transit_gateway.hub"})
		},
		"Elastic IP on a NAT interface": func(f *fixture) {
			f.natEIP.InterfaceID = "aws_nat_gateway.a/interface"
		},
	}
	for name, mut := range variants {
		once, twice := sample(), sample()
		mut(once)
		mut(twice)
		once.Synthesize()
		twice.Synthesize()
		twice.Synthesize()
		if !reflect.DeepEqual(once.Network, twice.Network) {
			t.Errorf("%s: a second Synthesize changed the network", name)
			diffNetworks(t, once.Network, twice.Network)
		}
		if ds := twice.Validate(); len(ds) > 0 {
			t.Errorf("%s: Validate:%s", name, dump(ds))
		}
	}
}

// diffNetworks names the first differing element of each kind, to make an
// idempotence failure readable.
func diffNetworks(t *testing.T, a, b *Network) {
	t.Helper()
	va, vb := reflect.ValueOf(a).Elem(), reflect.ValueOf(b).Elem()
	for i := range va.NumField() {
		fa, fb := va.Field(i), vb.Field(i)
		if reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			continue
		}
		if fa.Kind() != reflect.Slice {
			t.Errorf("  %s: %v != %v", va.Type().Field(i).Name, fa.Interface(), fb.Interface())
			continue
		}
		for j := range max(fa.Len(), fb.Len()) {
			var x, y any
			if j < fa.Len() {
				x = fa.Index(j).Interface()
			}
			if j < fb.Len() {
				y = fb.Index(j).Interface()
			}
			if !reflect.DeepEqual(x, y) {
				t.Errorf("  %s[%d]:\n    once:  %+v\n    twice: %+v", va.Type().Field(i).Name, j, x, y)
				break
			}
		}
	}
}

// synthKeys lists every element, rule, route, link and address mapping of
// n under a stable key, with whether it is marked synthetic.
func synthKeys(n *Network) map[string]bool {
	out := map[string]bool{}
	add := func(key string, m *Meta) { out[key] = m.Synthetic != "" }
	for _, x := range n.VPCs {
		add("vpc "+x.ID, &x.Meta)
	}
	for _, x := range n.RouteTables {
		add("rtb "+x.ID, &x.Meta)
		for i := range x.Routes {
			r := &x.Routes[i]
			add(fmt.Sprintf("route %s %s%s", x.ID, r.Destination, r.DestinationPrefixListID), &r.Meta)
		}
	}
	for _, x := range n.NetworkACLs {
		add("acl "+x.ID, &x.Meta)
		for _, rules := range [][]ACLRule{x.Ingress, x.Egress} {
			for i := range rules {
				r := &rules[i]
				add(fmt.Sprintf("acl rule %s %s %d %s", x.ID, r.Direction, r.Number, r.CIDR), &r.Meta)
			}
		}
	}
	for _, x := range n.SecurityGroups {
		add("sg "+x.ID, &x.Meta)
		for _, rules := range [][]SGRule{x.Ingress, x.Egress} {
			for i := range rules {
				r := &rules[i]
				add(fmt.Sprintf("sg rule %s %s %d %s %s", x.ID, r.Direction, i, r.Protocol, r.Peer), &r.Meta)
			}
		}
	}
	for _, x := range n.Interfaces {
		add("eni "+x.ID, &x.Meta)
		for _, p := range x.PublicIPs {
			out[fmt.Sprintf("public %s %s %s", x.ID, p.Public, p.Private)] = p.Synthetic != ""
		}
	}
	for _, x := range n.PrefixLists {
		add("pl "+x.ID, &x.Meta)
	}
	for _, x := range n.TGWRouteTables {
		add("tgw-rtb "+x.ID, &x.Meta)
		for i := range x.Associations {
			add("tgw assoc "+x.ID+" "+x.Associations[i].AttachmentID, &x.Associations[i].Meta)
		}
		for i := range x.Propagations {
			add("tgw prop "+x.ID+" "+x.Propagations[i].AttachmentID, &x.Propagations[i].Meta)
		}
	}
	return out
}

func TestSynthesizeMarksEverything(t *testing.T) {
	// Everything Synthesize adds says which rule of AWS made it, and
	// nothing the input declared is marked.
	f := sample()
	f.appENI.PublicIPs = []PublicIP{{Public: ip("198.18.0.5"), Private: ip("10.0.10.20")}}
	before := synthKeys(f.Network)
	f.Synthesize()
	after := synthKeys(f.Network)
	var added int
	for k, synthetic := range after {
		_, declared := before[k]
		switch {
		case declared && synthetic:
			t.Errorf("declared %s marked synthetic", k)
		case !declared && !synthetic:
			t.Errorf("synthesised %s not marked", k)
		case !declared:
			added++
		}
	}
	if added < 40 {
		t.Errorf("only %d synthesised items; the sample should gain dozens", added)
	}
}

func TestSynthesizeDanglingReferences(t *testing.T) {
	// Synthesize runs before Validate on whatever the loader produced: a
	// reference to nothing is skipped, never a panic, and Validate then
	// reports it.
	f := sample()
	f.s3.RouteTableIDs = append(f.s3.RouteTableIDs, "rtb-gone")
	f.privRT.PropagatingVGWs = append(f.privRT.PropagatingVGWs, "vgw-gone")
	f.privRT.VPCID = "vpc-gone"
	f.tgwVPC.TransitGatewayID = "tgw-gone"
	f.webEIP.InstanceID = "i-gone"
	f.nat.SubnetID = "subnet-gone"
	f.NetworkACLs = append(f.NetworkACLs, &NetworkACL{Meta: meta("acl-orphan")})
	f.office.OnPremCIDRs = append(f.office.OnPremCIDRs, netip.Prefix{})
	f.webEIP.PublicIP = netip.Addr{} // unknown until apply
	f.Synthesize()
	if len(f.webENI.PublicIPs) != 1 || f.webENI.PublicIPs[0].ElasticIPID != "" {
		t.Errorf("an Elastic IP without address replaced the interface's public address: %+v", f.webENI.PublicIPs)
	}
	for _, r := range f.Index().RouteTables["aws_route_table.private"].Routes {
		if r.Origin == OriginPropagated && !r.Destination.IsValid() {
			t.Errorf("propagated route to an invalid prefix: %+v", r)
		}
	}
	if !f.Validate().HasErrors() {
		t.Errorf("Validate found nothing")
	}
	for _, r := range f.privRT.Routes {
		if r.Origin == OriginLocal {
			t.Errorf("local route in a table of no known VPC: %+v", r)
		}
	}
	var empty Network
	empty.Synthesize()
	if !reflect.DeepEqual(empty, Network{}) {
		t.Errorf("Synthesize changed an empty network: %+v", empty)
	}
}

// TestSynthesizeDefaultSecurityGroups checks the one place that decides
// which interfaces get their VPC's default security group: those AWS gives
// it when they name none (instances, standalone interfaces, interface
// endpoints), not requester-managed ones (NAT gateways) nor Gateway Load
// Balancer endpoints, and not interfaces whose groups the loader could not
// read.
func TestSynthesizeDefaultSecurityGroups(t *testing.T) {
	n := &Network{
		VPCs:           []*VPC{{Meta: meta("vpc"), CIDRs: pfxs("10.0.0.0/16")}},
		Subnets:        []*Subnet{{Meta: meta("subnet"), VPCID: "vpc", CIDR: pfx("10.0.1.0/24")}},
		SecurityGroups: []*SecurityGroup{{Meta: meta("sg-web"), VPCID: "vpc"}},
		NATGateways:    []*NATGateway{{Meta: meta("nat"), SubnetID: "subnet", PrivateIP: ip("10.0.1.5"), Private: true}},
		Endpoints: []*VPCEndpoint{
			{Meta: meta("vpce-if"), VPCID: "vpc", Type: EndpointInterface, SubnetIDs: []string{"subnet"}},
			{Meta: meta("vpce-gwlb"), VPCID: "vpc", Type: EndpointGatewayLoadBalancer, SubnetIDs: []string{"subnet"}},
		},
	}
	eni := func(id string, owner OwnerKind, ownerID string, groups ...string) *NetworkInterface {
		x := &NetworkInterface{Meta: meta(id), SubnetID: "subnet", OwnerKind: owner, OwnerID: ownerID, SecurityGroupIDs: groups}
		n.Interfaces = append(n.Interfaces, x)
		return x
	}
	instance := eni("eni-instance", OwnerInstance, "i-1")
	standalone := eni("eni-standalone", OwnerNone, "")
	grouped := eni("eni-grouped", OwnerInstance, "i-2", "sg-web")
	ifEndpoint := eni("eni-vpce-if", OwnerEndpoint, "vpce-if")
	gwlb := eni("eni-vpce-gwlb", OwnerEndpoint, "vpce-gwlb")
	unknown := eni("eni-unknown", OwnerInstance, "i-3")
	unknown.MarkUnknown("vpc_security_group_ids")

	notes := n.Synthesize()
	def := n.VPCs[0].DefaultSecurityGroupID
	nat := n.Index().Interfaces[n.NATGateways[0].InterfaceID]
	for _, tt := range []struct {
		x    *NetworkInterface
		want []string
	}{
		{instance, []string{def}},
		{standalone, []string{def}},
		{grouped, []string{"sg-web"}},
		{ifEndpoint, []string{def}},
		{gwlb, nil},
		{unknown, nil},
		{nat, nil},
	} {
		if !slices.Equal(tt.x.SecurityGroupIDs, tt.want) {
			t.Errorf("%s: groups %v; want %v", tt.x.ID, tt.x.SecurityGroupIDs, tt.want)
		}
	}
	if len(notes) != 3 || notes.HasErrors() {
		t.Errorf("notes %v; want one note per interface given the default group", notes)
	}
	if again := n.Synthesize(); len(again) != 0 {
		t.Errorf("a second Synthesize noted %v; want nothing", again)
	}
}

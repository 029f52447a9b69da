package model

import (
	"net/netip"
	"slices"
	"strings"
	"testing"
)

// dump prints every diagnostic, warnings included (Diagnostics.Error prints
// only the errors).
func dump(ds Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString("\n\t")
		b.WriteString(d.String())
	}
	return b.String()
}

func TestValidateSampleIsClean(t *testing.T) {
	// A realistic network yields no diagnostics, before Synthesize (as a
	// loader reads it) and after (with everything AWS adds).
	f := sample()
	if ds := f.Validate(); len(ds) > 0 {
		t.Errorf("before Synthesize:%s", dump(ds))
	}
	f.Synthesize()
	if ds := f.Validate(); len(ds) > 0 {
		t.Errorf("after Synthesize:%s", dump(ds))
	}
}

func errAt(element, msg string) wantDiag  { return wantDiag{SeverityError, element, msg} }
func warnAt(element, msg string) wantDiag { return wantDiag{SeverityWarning, element, msg} }

// route and rule builders for the rows below.
func rt(dst string, kind TargetKind, id string) Route {
	return Route{Destination: pfx(dst), Target: RouteTarget{Kind: kind, ID: id}}
}

func aclRule(num int, d Direction, a Action, cidr netip.Prefix) ACLRule {
	return ACLRule{Number: num, Direction: d, Action: a, Protocol: ProtocolTCP, Ports: Port(22), ICMP: AnyICMP, CIDR: cidr}
}

func sgIn(p Protocol, ports PortRange, peer SGPeer) SGRule {
	return SGRule{Direction: Ingress, Protocol: p, Ports: ports, ICMP: AnyICMP, Peer: peer}
}

// TestValidate breaks the sample network one way per row and checks that
// Validate says exactly what is wrong, where, and how badly — after
// Synthesize, as the loaders run it.
func TestValidate(t *testing.T) {
	const (
		mainVPC = "aws_vpc.main"
		pubA    = "aws_subnet.public_a"
		privA   = "aws_subnet.private_a"
		peerB   = "aws_subnet.peer_b"
		pubRT   = "aws_route_table.public"
		privRT  = "aws_route_table.private"
		privACL = "aws_network_acl.private"
		webENI  = "aws_instance.web/eni"
		appENI  = "aws_instance.app/eni"
		hub     = "aws_ec2_transit_gateway.hub"
	)
	newSubnet := func(f *fixture, addr, vpc, cidr string) *Subnet {
		s := &Subnet{Meta: meta(addr), VPCID: vpc}
		if cidr != "" {
			s.CIDR = hostPfx(cidr)
		}
		f.Subnets = append(f.Subnets, s)
		return s
	}
	tests := []struct {
		name string
		mut  func(f *fixture)
		want []wantDiag
	}{
		// --- identity ---
		// Every element needs an ID: references are by ID.
		{"subnet without ID", func(f *fixture) {
			f.Subnets = append(f.Subnets, &Subnet{Meta: Meta{Address: "aws_subnet.noid"}, VPCID: mainVPC, CIDR: pfx("10.0.50.0/24")})
		}, []wantDiag{errAt("aws_subnet.noid", "subnet has no ID")}},
		// Two elements of one kind cannot share an ID.
		{"duplicate security group ID", func(f *fixture) {
			f.SecurityGroups = append(f.SecurityGroups, &SecurityGroup{Meta: Meta{ID: "aws_security_group.web", Address: "aws_security_group.web2"}, VPCID: mainVPC})
		}, []wantDiag{errAt("aws_security_group.web2", "security group ID aws_security_group.web is also used by aws_security_group.web")}},

		// --- VPCs ---
		// A VPC has at least one CIDR block...
		{"VPC without CIDR", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.empty")})
		}, []wantDiag{errAt("aws_vpc.empty", "VPC has no CIDR block")}},
		// ... unless the loader says it is not known until apply.
		{"VPC with unknown CIDR", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: Meta{ID: "aws_vpc.later", Unknown: []string{"cidr_block"}}})
		}, nil},
		// A reference the loader could not resolve before apply is empty
		// and listed in Unknown: the loader warned, Validate does not
		// report it again.
		{"references unknown until apply", func(f *fixture) {
			f.Subnets = append(f.Subnets, &Subnet{Meta: Meta{ID: "aws_subnet.later", Unknown: []string{"vpc_id"}}, CIDR: pfx("10.99.0.0/24")})
			f.Interfaces = append(f.Interfaces, &NetworkInterface{Meta: Meta{ID: "aws_instance.later/eni", Unknown: []string{"subnet_id", "private_ip"}}})
			f.TGWAttachments = append(f.TGWAttachments, &TGWAttachment{Meta: Meta{ID: "aws_ec2_transit_gateway_vpc_attachment.later", Unknown: []string{"transit_gateway_id", "vpc_id", "subnet_ids"}}, Kind: TGWAttachVPC})
		}, nil},
		// Without the Unknown mark, the same empty references are errors.
		{"references not set", func(f *fixture) {
			f.Subnets = append(f.Subnets, &Subnet{Meta: meta("aws_subnet.unset"), CIDR: pfx("10.99.0.0/24")})
		}, []wantDiag{errAt("aws_subnet.unset", "VPC is not set")}},
		// CIDRs hold IPv4 blocks and IPv6CIDRs IPv6 blocks.
		{"IPv6 block in CIDRs", func(f *fixture) {
			f.vpc.CIDRs = append(f.vpc.CIDRs, pfx("2001:db8:2000::/56"))
		}, []wantDiag{errAt(mainVPC, "CIDR block 2001:db8:2000::/56 is not IPv4")}},
		{"IPv4 block in IPv6CIDRs", func(f *fixture) {
			f.vpc.IPv6CIDRs = append(f.vpc.IPv6CIDRs, pfx("10.200.0.0/16"))
		}, []wantDiag{errAt(mainVPC, "IPv6 CIDR block 10.200.0.0/16 is not IPv6")}},
		// A block is a network address: host bits mean a typo.
		{"VPC CIDR with host bits", func(f *fixture) {
			f.vpc.CIDRs[0] = hostPfx("10.0.0.1/16")
		}, []wantDiag{errAt(mainVPC, "CIDR block 10.0.0.1/16 has host bits set (did you mean 10.0.0.0/16?)")}},
		{"VPC CIDR missing", func(f *fixture) {
			f.vpc.CIDRs = append(f.vpc.CIDRs, netip.Prefix{})
		}, []wantDiag{errAt(mainVPC, "CIDR block is missing or invalid")}},
		// A VPC's blocks cannot overlap each other.
		{"VPC blocks overlap", func(f *fixture) {
			f.vpc.CIDRs = append(f.vpc.CIDRs, pfx("10.0.128.0/17"))
		}, []wantDiag{errAt(mainVPC, "CIDR blocks 10.0.0.0/16 and 10.0.128.0/17 overlap")}},
		// AWS accepts IPv4 VPC blocks from /16 to /28.
		{"VPC block too large", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.big"), CIDRs: pfxs("10.128.0.0/9")})
		}, []wantDiag{errAt("aws_vpc.big", "CIDR block 10.128.0.0/9 has prefix length /9; AWS accepts /16 to /28")}},
		{"VPC block too small", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.tiny"), CIDRs: pfxs("10.9.0.0/29")})
		}, []wantDiag{errAt("aws_vpc.tiny", "CIDR block 10.9.0.0/29 has prefix length /29; AWS accepts /16 to /28")}},
		// A secondary block that does not overlap is fine.
		{"VPC secondary block", func(f *fixture) {
			f.vpc.CIDRs = append(f.vpc.CIDRs, pfx("100.64.0.0/16"))
			newSubnet(f, "aws_subnet.pods", mainVPC, "100.64.0.0/20")
		}, nil},

		// --- subnets ---
		// A subnet belongs to a VPC of the network.
		{"subnet without VPC", func(f *fixture) {
			newSubnet(f, "aws_subnet.orphan", "", "10.9.0.0/24")
		}, []wantDiag{errAt("aws_subnet.orphan", "VPC is not set")}},
		{"subnet of missing VPC", func(f *fixture) {
			newSubnet(f, "aws_subnet.orphan", "vpc-gone", "10.9.0.0/24")
		}, []wantDiag{errAt("aws_subnet.orphan", "VPC vpc-gone does not exist")}},
		// A subnet has an IPv4 or an IPv6 block, or one unknown until apply.
		{"subnet without CIDR", func(f *fixture) {
			newSubnet(f, "aws_subnet.nocidr", mainVPC, "")
		}, []wantDiag{errAt("aws_subnet.nocidr", "subnet has no CIDR block")}},
		{"subnet with unknown CIDR", func(f *fixture) {
			newSubnet(f, "aws_subnet.later", mainVPC, "").MarkUnknown("cidr_block")
		}, nil},
		// An IPv6-only subnet is fine.
		{"IPv6-only subnet", func(f *fixture) {
			newSubnet(f, "aws_subnet.v6only", mainVPC, "").IPv6CIDR = pfx("2001:db8:1000:20::/64")
		}, nil},
		// A subnet's block lies inside one of its VPC's blocks.
		{"subnet outside VPC", func(f *fixture) {
			newSubnet(f, "aws_subnet.stray", mainVPC, "10.2.0.0/24")
		}, []wantDiag{errAt("aws_subnet.stray", "CIDR block 10.2.0.0/24 is outside the CIDR blocks of aws_vpc.main (10.0.0.0/16)")}},
		{"subnet larger than VPC", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.lab"), CIDRs: pfxs("10.5.0.0/24", "10.6.0.0/24")})
			newSubnet(f, "aws_subnet.huge", "aws_vpc.lab", "10.5.0.0/23")
		}, []wantDiag{errAt("aws_subnet.huge", "CIDR block 10.5.0.0/23 is outside the CIDR blocks of aws_vpc.lab (10.5.0.0/24, 10.6.0.0/24)")}},
		// AWS accepts IPv4 subnet blocks from /16 to /28...
		{"smallest and largest subnets", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.lab"), CIDRs: pfxs("10.5.0.0/16", "10.6.0.0/16")})
			newSubnet(f, "aws_subnet.whole", "aws_vpc.lab", "10.5.0.0/16")
			newSubnet(f, "aws_subnet.tiny", "aws_vpc.lab", "10.6.0.0/28")
		}, nil},
		{"subnet too small", func(f *fixture) {
			newSubnet(f, "aws_subnet.tiny", mainVPC, "10.0.50.0/29")
		}, []wantDiag{errAt("aws_subnet.tiny", "CIDR block 10.0.50.0/29 has prefix length /29; AWS accepts /16 to /28")}},
		// ... and IPv6 subnet blocks from /44 to /64 in steps of 4.
		{"IPv6 subnet sizes", func(f *fixture) {
			newSubnet(f, "aws_subnet.v6a", mainVPC, "10.0.50.0/24").IPv6CIDR = pfx("2001:db8:1000:80::/60")
			newSubnet(f, "aws_subnet.v6b", mainVPC, "10.0.51.0/24").IPv6CIDR = pfx("2001:db8:1000:90::/62")
			newSubnet(f, "aws_subnet.v6c", mainVPC, "10.0.52.0/24").IPv6CIDR = pfx("2001:db8:1000:a0::/80")
		}, []wantDiag{
			errAt("aws_subnet.v6b", "IPv6 CIDR block 2001:db8:1000:90::/62 has prefix length /62; AWS accepts /44 to /64 in steps of 4"),
			errAt("aws_subnet.v6c", "IPv6 CIDR block 2001:db8:1000:a0::/80 has prefix length /80; AWS accepts /44 to /64 in steps of 4"),
		}},
		// Each of a subnet's blocks is of its own family.
		{"IPv6 block as a subnet's IPv4 block", func(f *fixture) {
			newSubnet(f, "aws_subnet.mixed", mainVPC, "2001:db8:1000:40::/64")
		}, []wantDiag{errAt("aws_subnet.mixed", "CIDR block 2001:db8:1000:40::/64 is not IPv4")}},
		{"IPv4 block as a subnet's IPv6 block", func(f *fixture) {
			newSubnet(f, "aws_subnet.mixed", mainVPC, "10.0.50.0/24").IPv6CIDR = pfx("10.0.51.0/24")
		}, []wantDiag{errAt("aws_subnet.mixed", "IPv6 CIDR block 10.0.51.0/24 is not IPv6")}},
		{"subnet CIDR with host bits", func(f *fixture) {
			newSubnet(f, "aws_subnet.typo", mainVPC, "10.0.50.7/24")
		}, []wantDiag{errAt("aws_subnet.typo", "CIDR block 10.0.50.7/24 has host bits set (did you mean 10.0.50.0/24?)")}},
		{"IPv6 subnet outside VPC IPv6", func(f *fixture) {
			newSubnet(f, "aws_subnet.v6", mainVPC, "10.0.50.0/24").IPv6CIDR = pfx("2001:db8:9999::/64")
		}, []wantDiag{errAt("aws_subnet.v6", "IPv6 CIDR block 2001:db8:9999::/64 is outside the IPv6 blocks of aws_vpc.main (2001:db8:1000::/56)")}},
		{"IPv6 subnet in IPv4-only VPC", func(f *fixture) {
			f.peerB.IPv6CIDR = pfx("2001:db8:1000:30::/64")
		}, []wantDiag{errAt(peerB, "IPv6 CIDR block 2001:db8:1000:30::/64 is outside the IPv6 blocks of aws_vpc.peer (none)")}},
		{"IPv6 subnet CIDR with host bits", func(f *fixture) {
			f.privB.IPv6CIDR = hostPfx("2001:db8:1000:11::1/64")
		}, []wantDiag{errAt("aws_subnet.private_b", "IPv6 CIDR block 2001:db8:1000:11::1/64 has host bits set")}},
		// Subnets of one VPC cannot overlap.
		{"overlapping subnets", func(f *fixture) {
			newSubnet(f, "aws_subnet.dup", mainVPC, "10.0.0.128/25")
		}, []wantDiag{errAt("aws_subnet.dup", "CIDR block 10.0.0.128/25 overlaps 10.0.0.0/24 of aws_subnet.public_a")}},
		{"identical subnets", func(f *fixture) {
			newSubnet(f, "aws_subnet.dup", mainVPC, "10.0.1.0/24")
		}, []wantDiag{errAt("aws_subnet.dup", "CIDR block 10.0.1.0/24 overlaps 10.0.1.0/24 of aws_subnet.public_b")}},
		// One large subnet overlapping several small ones is reported once
		// for each, not only for its neighbour in address order.
		{"subnet overlapping two", func(f *fixture) {
			newSubnet(f, "aws_subnet.big", mainVPC, "10.0.32.0/20")
			newSubnet(f, "aws_subnet.small1", mainVPC, "10.0.33.0/24")
			newSubnet(f, "aws_subnet.small2", mainVPC, "10.0.34.0/24")
		}, []wantDiag{
			errAt("aws_subnet.small1", "CIDR block 10.0.33.0/24 overlaps 10.0.32.0/20 of aws_subnet.big"),
			errAt("aws_subnet.small2", "CIDR block 10.0.34.0/24 overlaps 10.0.32.0/20 of aws_subnet.big"),
		}},
		{"overlapping IPv6 subnets", func(f *fixture) {
			f.privB.IPv6CIDR = pfx("2001:db8:1000:10::/64")
		}, []wantDiag{errAt("aws_subnet.private_b", "CIDR block 2001:db8:1000:10::/64 overlaps 2001:db8:1000:10::/64 of aws_subnet.private_a")}},
		// Subnets of different VPCs may overlap (peering aside).
		{"same block in two VPCs", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.lab"), CIDRs: pfxs("10.0.0.0/16")})
			newSubnet(f, "aws_subnet.lab", "aws_vpc.lab", "10.0.0.0/24")
		}, nil},

		// --- route tables ---
		// A VPC has exactly one main route table.
		{"two main route tables", func(f *fixture) {
			f.pubRT.Main, f.privRT.Main = true, true
		}, []wantDiag{errAt(privRT, "VPC aws_vpc.main has two main route tables (also aws_route_table.public)")}},
		{"route table of missing VPC", func(f *fixture) {
			f.pubRT.VPCID = "vpc-gone"
		}, []wantDiag{
			errAt(pubRT, "VPC vpc-gone does not exist"),
			// The associations now cross VPCs, and the igw is attached elsewhere.
			errAt(pubRT, "associates subnet aws_subnet.public_a of VPC aws_vpc.main with a route table of VPC vpc-gone"),
			errAt(pubRT, "associates subnet aws_subnet.public_b of VPC aws_vpc.main with a route table of VPC vpc-gone"),
			errAt(pubRT, "route to 0.0.0.0/0 targets internet gateway aws_internet_gateway.main, which is not attached to VPC vpc-gone"),
			errAt(pubRT, "route to ::/0 targets internet gateway aws_internet_gateway.main, which is not attached to VPC vpc-gone"),
		}},
		// An association names a subnet that exists...
		{"association to missing subnet", func(f *fixture) {
			f.pubRT.Associations = append(f.pubRT.Associations, RouteTableAssociation{SubnetID: "aws_subnet.gone"})
		}, []wantDiag{errAt(pubRT, "association names subnet aws_subnet.gone, which does not exist")}},
		// ... and is reported at its own address when it has one.
		{"named association to missing subnet", func(f *fixture) {
			f.privRT.Associations[0].SubnetID = "aws_subnet.gone"
		}, []wantDiag{errAt("aws_route_table_association.private_a", "association names subnet aws_subnet.gone, which does not exist")}},
		// ... in the table's own VPC.
		{"association across VPCs", func(f *fixture) {
			f.pubRT.Associations = append(f.pubRT.Associations, RouteTableAssociation{SubnetID: peerB})
		}, []wantDiag{errAt(pubRT, "associates subnet aws_subnet.peer_b of VPC aws_vpc.peer with a route table of VPC aws_vpc.main")}},
		// A subnet is explicitly associated with at most one route table.
		{"subnet associated twice", func(f *fixture) {
			f.privRT.Associations = append(f.privRT.Associations, RouteTableAssociation{SubnetID: pubA})
		}, []wantDiag{errAt(privRT, "subnet aws_subnet.public_a is associated with two route tables (also aws_route_table.public)")}},
		// Associating a subnet explicitly with the main table is fine.
		{"explicit association with the main table", func(f *fixture) {
			f.peerRT.Associations = append(f.peerRT.Associations, RouteTableAssociation{SubnetID: peerB})
		}, nil},
		// An edge association names an internet or virtual private gateway.
		{"edge association", func(f *fixture) {
			f.pubRT.Associations = append(f.pubRT.Associations, RouteTableAssociation{GatewayID: "aws_internet_gateway.main"},
				RouteTableAssociation{GatewayID: "aws_vpn_gateway.main"})
		}, nil},
		{"edge association to missing gateway", func(f *fixture) {
			f.pubRT.Associations = append(f.pubRT.Associations, RouteTableAssociation{GatewayID: "igw-gone"})
		}, []wantDiag{errAt(pubRT, "edge association names gateway igw-gone, which does not exist")}},
		{"empty association", func(f *fixture) {
			f.pubRT.Associations = append(f.pubRT.Associations, RouteTableAssociation{})
		}, []wantDiag{errAt(pubRT, "association names neither a subnet nor a gateway")}},
		// A route has one destination: a CIDR or a prefix list.
		{"route with two destinations", func(f *fixture) {
			r := rt("10.50.0.0/16", TargetInternetGateway, "aws_internet_gateway.main")
			r.DestinationPrefixListID = "aws_ec2_managed_prefix_list.corp"
			f.pubRT.Routes = append(f.pubRT.Routes, r)
		}, []wantDiag{errAt(pubRT, "route has both a CIDR and a prefix-list destination")}},
		{"route to a prefix list", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, Route{DestinationPrefixListID: "aws_ec2_managed_prefix_list.corp",
				Target: RouteTarget{Kind: TargetVPNGateway, ID: "aws_vpn_gateway.main"}})
		}, nil},
		{"route to missing prefix list", func(f *fixture) {
			f.pubRT.Routes = append(f.pubRT.Routes, Route{DestinationPrefixListID: "pl-gone",
				Target: RouteTarget{Kind: TargetInternetGateway, ID: "aws_internet_gateway.main"}})
		}, []wantDiag{errAt(pubRT, "route destination prefix list pl-gone does not exist")}},
		{"route without destination", func(f *fixture) {
			f.pubRT.Routes = append(f.pubRT.Routes, Route{Target: RouteTarget{Kind: TargetInternetGateway, ID: "aws_internet_gateway.main"}})
		}, []wantDiag{errAt(pubRT, "route destination is missing or invalid")}},
		{"route destination with host bits", func(f *fixture) {
			f.pubRT.Routes = append(f.pubRT.Routes, Route{Meta: meta("aws_route.typo"), Destination: hostPfx("10.50.0.1/16"),
				Target: RouteTarget{Kind: TargetInternetGateway, ID: "aws_internet_gateway.main"}})
		}, []wantDiag{errAt("aws_route.typo", "route destination 10.50.0.1/16 has host bits set (did you mean 10.50.0.0/16?)")}},
		// A table has one route per destination.
		{"two routes to one destination", func(f *fixture) {
			f.pubRT.Routes = append(f.pubRT.Routes, rt("0.0.0.0/0", TargetNATGateway, "aws_nat_gateway.a"))
		}, []wantDiag{errAt(pubRT, "route table has two routes to 0.0.0.0/0 (also aws_internet_gateway.main)")}},
		{"two routes to one prefix list", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, Route{DestinationPrefixListID: "aws_ec2_managed_prefix_list.corp",
				Target: RouteTarget{Kind: TargetVPNGateway, ID: "aws_vpn_gateway.main"}},
				Route{DestinationPrefixListID: "aws_ec2_managed_prefix_list.corp",
					Target: RouteTarget{Kind: TargetTransitGateway, ID: hub}})
		}, []wantDiag{errAt(privRT, "route table has two routes to aws_ec2_managed_prefix_list.corp (also aws_vpn_gateway.main)")}},
		// Every kind of route target names an element that exists.
		{"route to missing internet gateway", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetInternetGateway, "igw-gone"))
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 targets internet gateway igw-gone, which does not exist")}},
		{"route to missing egress-only gateway", func(f *fixture) {
			f.pubRT.Routes = append(f.pubRT.Routes, rt("2001:db8:ffff::/48", TargetEgressOnlyGateway, "eigw-gone"))
		}, []wantDiag{errAt(pubRT, "route to 2001:db8:ffff::/48 targets egress-only internet gateway eigw-gone, which does not exist")}},
		{"route to missing NAT gateway", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetNATGateway, "nat-gone"))
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 targets NAT gateway nat-gone, which does not exist")}},
		{"route to missing peering", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetPeering, "pcx-gone"))
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 targets VPC peering connection pcx-gone, which does not exist")}},
		{"route to missing transit gateway", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetTransitGateway, "tgw-gone"))
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 targets transit gateway tgw-gone, which does not exist")}},
		{"route to missing VPN gateway", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetVPNGateway, "vgw-gone"))
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 targets VPN gateway vgw-gone, which does not exist")}},
		{"route to missing gateway endpoint", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, Route{DestinationPrefixListID: "aws_ec2_managed_prefix_list.corp",
				Target: RouteTarget{Kind: TargetGatewayEndpoint, ID: "vpce-gone"}})
		}, []wantDiag{errAt(privRT, "route to aws_ec2_managed_prefix_list.corp targets VPC endpoint vpce-gone, which does not exist")}},
		{"route to missing GWLB endpoint", func(f *fixture) {
			f.pubRT.Routes = append(f.pubRT.Routes, rt("10.0.10.0/24", TargetEndpoint, "vpce-gwlb"))
		}, []wantDiag{errAt(pubRT, "route to 10.0.10.0/24 targets VPC endpoint vpce-gwlb, which does not exist")}},
		{"route to missing interface", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetNetworkInterface, "eni-gone"))
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 targets network interface eni-gone, which does not exist")}},
		{"route to missing instance", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetInstance, "i-gone"))
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 targets instance i-gone, which does not exist")}},
		{"route to an existing interface and instance", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetNetworkInterface, webENI),
				rt("10.51.0.0/16", TargetInstance, "aws_instance.web"))
		}, nil},
		// A blackhole route's target is gone by definition.
		{"blackhole route", func(f *fixture) {
			r := rt("10.50.0.0/16", TargetNATGateway, "nat-deleted")
			r.Blackhole = true
			f.privRT.Routes = append(f.privRT.Routes, r)
		}, nil},
		// Targets vpcsim does not model are left to the engines to report.
		{"unmodelled targets", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.50.0.0/16", TargetCarrierGateway, "cagw-1"),
				rt("10.51.0.0/16", TargetLocalGateway, "lgw-1"), rt("10.52.0.0/16", TargetCoreNetwork, "arn:aws:networkmanager::1:core-network/x"))
		}, nil},
		{"route without target", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, Route{Destination: pfx("10.50.0.0/16")})
		}, []wantDiag{errAt(privRT, "route to 10.50.0.0/16 has no target")}},
		// A route to an internet gateway needs the gateway attached to the
		// table's VPC.
		{"route to another VPC's internet gateway", func(f *fixture) {
			f.InternetGateways = append(f.InternetGateways, &InternetGateway{Meta: meta("aws_internet_gateway.peer"), VPCID: "aws_vpc.peer"})
			f.pubRT.Routes = append(f.pubRT.Routes, rt("10.60.0.0/16", TargetInternetGateway, "aws_internet_gateway.peer"))
		}, []wantDiag{errAt(pubRT, "route to 10.60.0.0/16 targets internet gateway aws_internet_gateway.peer, which is not attached to VPC aws_vpc.main")}},
		// An egress-only internet gateway carries IPv6 only.
		{"IPv4 route to egress-only gateway", func(f *fixture) {
			f.privRT.Routes = append(f.privRT.Routes, rt("10.60.0.0/16", TargetEgressOnlyGateway, "aws_egress_only_internet_gateway.main"))
		}, []wantDiag{errAt(privRT, "route to 10.60.0.0/16 targets egress-only gateway aws_egress_only_internet_gateway.main, which carries IPv6 only")}},
		// A route to a peering connection is only in a VPC at one of its ends.
		{"route to a peering of other VPCs", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.third"), CIDRs: pfxs("10.2.0.0/16")})
			f.PeeringConnections = append(f.PeeringConnections, &PeeringConnection{Meta: meta("aws_vpc_peering_connection.peer_third"),
				RequesterVPCID: "aws_vpc.peer", AccepterVPCID: "aws_vpc.third", Active: true})
			f.privRT.Routes = append(f.privRT.Routes, rt("10.2.0.0/16", TargetPeering, "aws_vpc_peering_connection.peer_third"))
		}, []wantDiag{errAt(privRT, "route to 10.2.0.0/16 targets peering connection aws_vpc_peering_connection.peer_third, which does not involve VPC aws_vpc.main")}},

		// --- network ACLs ---
		// A VPC has exactly one default network ACL.
		{"two default network ACLs", func(f *fixture) {
			f.privACL.Default = true
			f.NetworkACLs = append(f.NetworkACLs, &NetworkACL{Meta: meta("aws_default_network_acl.main"), VPCID: mainVPC, Default: true})
		}, []wantDiag{errAt("aws_default_network_acl.main", "VPC aws_vpc.main has two default network ACLs (also aws_network_acl.private)")}},
		{"network ACL of missing VPC", func(f *fixture) {
			f.NetworkACLs = append(f.NetworkACLs, &NetworkACL{Meta: meta("aws_network_acl.lost"), VPCID: "vpc-gone"})
		}, []wantDiag{errAt("aws_network_acl.lost", "VPC vpc-gone does not exist")}},
		{"ACL association to missing subnet", func(f *fixture) {
			f.privACL.Associations = append(f.privACL.Associations, ACLAssociation{SubnetID: "aws_subnet.gone"})
		}, []wantDiag{errAt(privACL, "association names subnet aws_subnet.gone, which does not exist")}},
		{"ACL association across VPCs", func(f *fixture) {
			f.privACL.Associations = append(f.privACL.Associations, ACLAssociation{Meta: meta("aws_network_acl_association.peer_b"), SubnetID: peerB})
		}, []wantDiag{errAt("aws_network_acl_association.peer_b", "associates subnet aws_subnet.peer_b of VPC aws_vpc.peer with a network ACL of VPC aws_vpc.main")}},
		// A subnet is associated with one network ACL.
		{"subnet in two network ACLs", func(f *fixture) {
			f.NetworkACLs = append(f.NetworkACLs, &NetworkACL{Meta: meta("aws_network_acl.other"), VPCID: mainVPC,
				Associations: []ACLAssociation{{SubnetID: privA}}})
		}, []wantDiag{errAt("aws_network_acl.other", "subnet aws_subnet.private_a is associated with two network ACLs (also aws_network_acl.private)")}},
		// Rule numbers run from 1 to 32766.
		{"ACL rule number 0", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(0, Ingress, Allow, pfx("10.0.0.0/8")))
		}, []wantDiag{errAt(privACL, "ingress rule number 0 is outside 1-32766")}},
		{"ACL rule number 32766", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(32766, Ingress, Deny, pfx("10.0.0.0/8")))
		}, nil},
		{"ACL rule number 40000", func(f *fixture) {
			f.privACL.Egress = append(f.privACL.Egress, aclRule(40000, Egress, Deny, pfx("10.0.0.0/8")))
		}, []wantDiag{errAt(privACL, "egress rule number 40000 is outside 1-32766")}},
		// 32767 is the "*" rule's number, and only the "*" rule's: a
		// declared rule with that number and any other effect is refused.
		{"ACL rule number 32767 that is not the * rule", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, ACLRule{Meta: meta("aws_network_acl_rule.last"), Number: 32767, Direction: Ingress,
				Action: Allow, Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP, CIDR: pfx("0.0.0.0/0")})
		}, []wantDiag{errAt("aws_network_acl_rule.last", "ingress rule number 32767 is outside 1-32766")}},
		// The rule AWS itself reports as number 32767 is accepted.
		{"ACL * rule as AWS describes it", func(f *fixture) {
			f.privACL.Egress = append(f.privACL.Egress, ACLRule{Number: 32767, Direction: Egress,
				Action: Deny, Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP, CIDR: pfx("0.0.0.0/0")})
		}, nil},
		// A rule allows or denies.
		{"ACL rule without action", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(300, Ingress, 0, pfx("10.0.0.0/8")))
		}, []wantDiag{errAt(privACL, "ingress rule 300 has no valid action")}},
		{"ACL rule with invalid protocol", func(f *fixture) {
			r := aclRule(300, Ingress, Allow, pfx("10.0.0.0/8"))
			r.Protocol = ProtocolInvalid
			f.privACL.Ingress = append(f.privACL.Ingress, r)
		}, []wantDiag{errAt(privACL, "ingress rule 300 has no valid protocol")}},
		{"ACL rule with backwards ports", func(f *fixture) {
			r := aclRule(300, Ingress, Allow, pfx("10.0.0.0/8"))
			r.Ports = PortRange{443, 80}
			f.privACL.Ingress = append(f.privACL.Ingress, r)
		}, []wantDiag{errAt(privACL, "ingress rule 300 has port range 443-80, whose first port is above its last")}},
		// Ports are ignored, and not checked, for protocols without ports.
		{"ACL ICMP rule ignores ports", func(f *fixture) {
			r := aclRule(300, Ingress, Allow, pfx("10.0.0.0/8"))
			r.Protocol, r.Ports, r.ICMP = ProtocolICMP, PortRange{443, 80}, ICMPTypeCode(8, 0)
			f.privACL.Ingress = append(f.privACL.Ingress, r)
		}, nil},
		{"ACL rule without CIDR", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(300, Ingress, Allow, netip.Prefix{}))
		}, []wantDiag{errAt(privACL, "ingress rule 300 CIDR is missing or invalid")}},
		{"ACL rule CIDR with host bits", func(f *fixture) {
			f.privACL.Egress = append(f.privACL.Egress, aclRule(300, Egress, Allow, hostPfx("10.0.0.1/8")))
		}, []wantDiag{errAt(privACL, "egress rule 300 CIDR 10.0.0.1/8 has host bits set")}},
		// Rule numbers are unique per direction...
		{"duplicate ingress rule number", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(110, Ingress, Deny, pfx("10.9.0.0/16")))
		}, []wantDiag{errAt(privACL, "ingress rule number 110 is used twice")}},
		{"duplicate egress rule number, positioned", func(f *fixture) {
			f.privACL.Egress[0].Meta = Meta{Address: "aws_network_acl_rule.out100", Pos: Pos{File: "acl.tf", Line: 3}}
			r := aclRule(100, Egress, Deny, pfx("10.9.0.0/16"))
			r.Meta = Meta{Address: "aws_network_acl_rule.again", Pos: Pos{File: "acl.tf", Line: 30}}
			f.privACL.Egress = append(f.privACL.Egress, r)
		}, []wantDiag{errAt("aws_network_acl_rule.again", "egress rule number 100 is used twice (also at acl.tf:3)")}},
		{"duplicate rule number, first one named", func(f *fixture) {
			f.privACL.Ingress[0].Meta = meta("aws_network_acl_rule.https")
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(100, Ingress, Deny, pfx("10.9.0.0/16")))
		}, []wantDiag{errAt(privACL, "ingress rule number 100 is used twice (also aws_network_acl_rule.https)")}},
		// ... whatever the address family of the rules ...
		{"IPv4 and IPv6 rules with one number", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(300, Ingress, Allow, pfx("10.9.0.0/16")),
				aclRule(300, Ingress, Allow, pfx("2001:db8:9::/48")))
		}, []wantDiag{errAt(privACL, "ingress rule number 300 is used twice")}},
		// ... and the same number may be used once in each direction.
		{"one number in both directions", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(500, Ingress, Deny, pfx("10.9.0.0/16")))
			f.privACL.Egress = append(f.privACL.Egress, aclRule(500, Egress, Deny, pfx("10.9.0.0/16")))
		}, nil},
		// A rule sits in the list of its own direction.
		{"egress rule among ingress rules", func(f *fixture) {
			f.privACL.Ingress = append(f.privACL.Ingress, aclRule(300, Egress, Deny, pfx("10.9.0.0/16")))
		}, []wantDiag{errAt(privACL, "rule 300 is listed as ingress but has direction egress")}},

		// --- security groups ---
		{"security group of missing VPC", func(f *fixture) {
			f.SecurityGroups = append(f.SecurityGroups, &SecurityGroup{Meta: meta("aws_security_group.lost"), VPCID: "vpc-gone"})
		}, []wantDiag{errAt("aws_security_group.lost", "VPC vpc-gone does not exist")}},
		{"SG rule with invalid protocol", func(f *fixture) {
			f.webSG.Ingress = append(f.webSG.Ingress, sgIn(Protocol(300), AllPorts, SGPeer{Kind: PeerCIDR, CIDR: pfx("10.0.0.0/8")}))
		}, []wantDiag{errAt("aws_security_group.web", "ingress rule has no valid protocol")}},
		{"SG rule with backwards ports", func(f *fixture) {
			r := sgIn(ProtocolUDP, PortRange{53, 1}, SGPeer{Kind: PeerCIDR, CIDR: pfx("10.0.0.0/8")})
			r.Meta = meta("aws_vpc_security_group_ingress_rule.dns")
			f.webSG.Ingress = append(f.webSG.Ingress, r)
		}, []wantDiag{errAt("aws_vpc_security_group_ingress_rule.dns", "ingress rule has port range 53-1, whose first port is above its last")}},
		{"SG rule CIDR with host bits", func(f *fixture) {
			f.webSG.Ingress = append(f.webSG.Ingress, sgIn(ProtocolTCP, Port(22), SGPeer{Kind: PeerCIDR, CIDR: hostPfx("10.0.0.5/8")}))
		}, []wantDiag{errAt("aws_security_group.web", "ingress rule CIDR 10.0.0.5/8 has host bits set")}},
		// A reference to a prefix list or group outside the estate is
		// legal in AWS, but vpcsim cannot know what it holds: a warning.
		{"SG rule to unknown prefix list", func(f *fixture) {
			f.webSG.Ingress = append(f.webSG.Ingress, sgIn(ProtocolTCP, Port(22), SGPeer{Kind: PeerPrefixList, PrefixListID: "pl-0123"}))
		}, []wantDiag{warnAt("aws_security_group.web", "ingress rule references prefix list pl-0123, which is not in the network")}},
		{"SG rule to unknown group", func(f *fixture) {
			f.webSG.Egress = append(f.webSG.Egress, SGRule{Direction: Egress, Protocol: ProtocolTCP, Ports: Port(5432),
				Peer: SGPeer{Kind: PeerSecurityGroup, GroupID: "sg-0123"}})
		}, []wantDiag{warnAt("aws_security_group.web", "egress rule references security group sg-0123, which is not in the network")}},
		{"SG rule without peer", func(f *fixture) {
			f.webSG.Ingress = append(f.webSG.Ingress, sgIn(ProtocolTCP, Port(22), SGPeer{}))
		}, []wantDiag{errAt("aws_security_group.web", "ingress rule has no source or destination")}},
		{"SG egress rule among ingress rules", func(f *fixture) {
			r := sgIn(ProtocolTCP, Port(22), SGPeer{Kind: PeerCIDR, CIDR: pfx("10.0.0.0/8")})
			r.Direction = Egress
			f.webSG.Ingress = append(f.webSG.Ingress, r)
		}, []wantDiag{errAt("aws_security_group.web", "rule is listed as ingress but has direction egress")}},

		// --- network interfaces, instances, Elastic IPs ---
		{"interface in missing subnet", func(f *fixture) {
			f.appENI.SubnetID = "aws_subnet.gone"
		}, []wantDiag{errAt(appENI, "subnet aws_subnet.gone does not exist")}},
		{"interface without subnet", func(f *fixture) {
			f.appENI.SubnetID = ""
		}, []wantDiag{errAt(appENI, "subnet is not set")}},
		{"interface without address", func(f *fixture) {
			f.appENI.PrivateIPs = nil
		}, []wantDiag{errAt(appENI, "network interface has no address")}},
		{"interface with an invalid address", func(f *fixture) {
			f.appENI.PrivateIPs = append(f.appENI.PrivateIPs, netip.Addr{})
		}, []wantDiag{errAt(appENI, "an address is missing or invalid")}},
		// An interface's addresses lie in its subnet.
		{"address outside subnet", func(f *fixture) {
			f.appENI.PrivateIPs = ips("10.0.5.20")
		}, []wantDiag{errAt(appENI, "address 10.0.5.20 is outside subnet aws_subnet.private_a (10.0.10.0/24)")}},
		{"IPv6 address outside subnet", func(f *fixture) {
			f.webENI.IPv6Addrs = ips("2001:db8:1000:1::20")
		}, []wantDiag{errAt(webENI, "address 2001:db8:1000:1::20 is outside subnet aws_subnet.public_a (2001:db8:1000::/64)")}},
		{"IPv6 address in IPv4-only subnet", func(f *fixture) {
			f.dbENI = f.Index().Interfaces["aws_instance.db/eni"]
			f.dbENI.IPv6Addrs = ips("2001:db8:1000::99")
		}, []wantDiag{errAt("aws_instance.db/eni", "address 2001:db8:1000::99 is outside subnet aws_subnet.peer_a, which has no IPv6 CIDR block")}},
		{"address in a subnet whose block is unknown", func(f *fixture) {
			s := newSubnet(f, "aws_subnet.later", mainVPC, "")
			s.MarkUnknown("cidr_block")
			s.MarkUnknown("ipv6_cidr_block")
			f.Interfaces = append(f.Interfaces, &NetworkInterface{Meta: meta("eni.later"), SubnetID: "aws_subnet.later",
				PrivateIPs: ips("10.0.99.4"), IPv6Addrs: ips("2001:db8:1000:99::4")})
		}, nil},
		{"IPv4 address in IPv6-only subnet", func(f *fixture) {
			newSubnet(f, "aws_subnet.v6only", mainVPC, "").IPv6CIDR = pfx("2001:db8:1000:20::/64")
			f.Interfaces = append(f.Interfaces, &NetworkInterface{Meta: meta("eni.v6"), SubnetID: "aws_subnet.v6only",
				PrivateIPs: ips("10.0.20.4"), IPv6Addrs: ips("2001:db8:1000:20::4")})
		}, []wantDiag{errAt("eni.v6", "address 10.0.20.4 is outside subnet aws_subnet.v6only, which has no IPv4 CIDR block")}},
		// AWS reserves the first four addresses and the last of every
		// subnet block, IPv4 and IPv6
		// (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
		{"network address", func(f *fixture) { f.appENI.PrivateIPs = ips("10.0.10.0") },
			[]wantDiag{errAt(appENI, "address 10.0.10.0 is reserved by AWS in subnet aws_subnet.private_a")}},
		{"router address", func(f *fixture) { f.appENI.PrivateIPs = ips("10.0.10.1") },
			[]wantDiag{errAt(appENI, "address 10.0.10.1 is reserved by AWS")}},
		{"DNS address", func(f *fixture) { f.appENI.PrivateIPs = ips("10.0.10.2") },
			[]wantDiag{errAt(appENI, "address 10.0.10.2 is reserved by AWS")}},
		{"future-use address", func(f *fixture) { f.appENI.PrivateIPs = ips("10.0.10.3") },
			[]wantDiag{errAt(appENI, "address 10.0.10.3 is reserved by AWS")}},
		{"first usable address", func(f *fixture) { f.appENI.PrivateIPs = ips("10.0.10.4") }, nil},
		{"last usable address", func(f *fixture) { f.appENI.PrivateIPs = ips("10.0.10.254") }, nil},
		{"broadcast address", func(f *fixture) { f.appENI.PrivateIPs = ips("10.0.10.255") },
			[]wantDiag{errAt(appENI, "address 10.0.10.255 is reserved by AWS")}},
		{"IPv6 network address", func(f *fixture) { f.webENI.IPv6Addrs = ips("2001:db8:1000::") },
			[]wantDiag{errAt(webENI, "address 2001:db8:1000:: is reserved by AWS in subnet aws_subnet.public_a (2001:db8:1000::/64")}},
		{"IPv6 router address", func(f *fixture) { f.webENI.IPv6Addrs = ips("2001:db8:1000::1") },
			[]wantDiag{errAt(webENI, "address 2001:db8:1000::1 is reserved by AWS")}},
		{"IPv6 fourth address", func(f *fixture) { f.webENI.IPv6Addrs = ips("2001:db8:1000::3") },
			[]wantDiag{errAt(webENI, "address 2001:db8:1000::3 is reserved by AWS")}},
		{"IPv6 last address", func(f *fixture) { f.webENI.IPv6Addrs = ips("2001:db8:1000:0:ffff:ffff:ffff:ffff") },
			[]wantDiag{errAt(webENI, "address 2001:db8:1000:0:ffff:ffff:ffff:ffff is reserved by AWS")}},
		{"IPv6 first usable address", func(f *fixture) { f.webENI.IPv6Addrs = ips("2001:db8:1000::4") }, nil},
		// Two interfaces of one VPC cannot hold the same private address...
		{"duplicate private address", func(f *fixture) {
			f.Interfaces = append(f.Interfaces, &NetworkInterface{Meta: meta("aws_network_interface.extra"), SubnetID: pubA, PrivateIPs: ips("10.0.0.20")})
		}, []wantDiag{errAt("aws_network_interface.extra", "address 10.0.0.20 is also used by aws_instance.web/eni")}},
		{"duplicate IPv6 address", func(f *fixture) {
			f.Interfaces = append(f.Interfaces, &NetworkInterface{Meta: meta("aws_network_interface.extra"), SubnetID: pubA,
				PrivateIPs: ips("10.0.0.21"), IPv6Addrs: ips("2001:db8:1000::20")})
		}, []wantDiag{errAt("aws_network_interface.extra", "address 2001:db8:1000::20 is also used by aws_instance.web/eni")}},
		// ... but two VPCs may reuse an address.
		{"same address in two VPCs", func(f *fixture) {
			f.VPCs = append(f.VPCs, &VPC{Meta: meta("aws_vpc.lab"), CIDRs: pfxs("10.0.0.0/16")})
			newSubnet(f, "aws_subnet.lab", "aws_vpc.lab", "10.0.0.0/24")
			f.Interfaces = append(f.Interfaces, &NetworkInterface{Meta: meta("aws_network_interface.lab"), SubnetID: "aws_subnet.lab", PrivateIPs: ips("10.0.0.20")})
		}, nil},
		// A public address maps to an address the interface holds.
		{"public address mapped to a foreign address", func(f *fixture) {
			f.webENI.PublicIPs = append(f.webENI.PublicIPs, PublicIP{Public: ip("203.0.113.99"), Private: ip("10.0.0.99")})
		}, []wantDiag{errAt(webENI, "public address 203.0.113.99 maps to 10.0.0.99, which is not an address of this interface")}},
		// A public address belongs to one interface.
		{"duplicate public address", func(f *fixture) {
			f.appENI.PublicIPs = []PublicIP{{Public: ip("203.0.113.20"), Private: ip("10.0.10.20")}}
		}, []wantDiag{errAt(appENI, "public address 203.0.113.20 is also used by aws_instance.web/eni")}},
		{"interface with missing security group", func(f *fixture) {
			f.appENI.SecurityGroupIDs = append(f.appENI.SecurityGroupIDs, "sg-gone")
		}, []wantDiag{errAt(appENI, "security group sg-gone does not exist")}},
		// An interface's security groups belong to its VPC.
		{"security group of another VPC", func(f *fixture) {
			f.appENI.SecurityGroupIDs = append(f.appENI.SecurityGroupIDs, "aws_security_group.db")
		}, []wantDiag{errAt(appENI, "security group aws_security_group.db belongs to VPC aws_vpc.peer, not to the interface's VPC aws_vpc.main")}},
		{"instance without interface", func(f *fixture) {
			f.app.InterfaceIDs = nil
		}, []wantDiag{errAt("aws_instance.app", "instance has no network interface")}},
		{"instance with missing interface", func(f *fixture) {
			f.app.InterfaceIDs = append(f.app.InterfaceIDs, "eni-gone")
		}, []wantDiag{errAt("aws_instance.app", "network interface eni-gone does not exist")}},
		{"Elastic IP on missing interface", func(f *fixture) {
			f.webEIP.InstanceID, f.webEIP.InterfaceID = "", "eni-gone"
		}, []wantDiag{errAt("aws_eip.web", "network interface eni-gone does not exist")}},
		{"Elastic IP on missing instance", func(f *fixture) {
			f.webEIP.InstanceID = "i-gone"
		}, []wantDiag{errAt("aws_eip.web", "instance i-gone does not exist")}},
		{"Elastic IP on an instance's foreign private address", func(f *fixture) {
			f.webEIP.PrivateIP = ip("10.0.0.99")
		}, []wantDiag{errAt("aws_eip.web", "private address 10.0.0.99 is not an address of aws_instance.web/eni")}},
		{"unassociated Elastic IP", func(f *fixture) {
			f.webEIP.InstanceID = ""
		}, nil},
		{"Elastic IP on a foreign private address", func(f *fixture) {
			f.webEIP.InstanceID, f.webEIP.InterfaceID, f.webEIP.PrivateIP = "", webENI, ip("10.0.0.99")
		}, []wantDiag{errAt("aws_eip.web", "private address 10.0.0.99 is not an address of aws_instance.web/eni")}},
		// Two Elastic IPs cannot hold one public address.
		{"duplicate Elastic IP address", func(f *fixture) {
			f.ElasticIPs = append(f.ElasticIPs, &ElasticIP{Meta: meta("aws_eip.again"), PublicIP: ip("203.0.113.10")})
		}, []wantDiag{errAt("aws_eip.again", "public address 203.0.113.10 is also used by aws_eip.nat")}},

		// --- gateways and VPNs ---
		// A VPC has at most one internet gateway.
		{"two internet gateways", func(f *fixture) {
			f.InternetGateways = append(f.InternetGateways, &InternetGateway{Meta: meta("aws_internet_gateway.second"), VPCID: mainVPC})
		}, []wantDiag{errAt("aws_internet_gateway.second", "VPC aws_vpc.main has two internet gateways (also aws_internet_gateway.main)")}},
		{"detached internet gateway", func(f *fixture) {
			f.InternetGateways = append(f.InternetGateways, &InternetGateway{Meta: meta("aws_internet_gateway.spare")})
		}, nil},
		{"internet gateway of missing VPC", func(f *fixture) {
			f.InternetGateways = append(f.InternetGateways, &InternetGateway{Meta: meta("aws_internet_gateway.lost"), VPCID: "vpc-gone"})
		}, []wantDiag{errAt("aws_internet_gateway.lost", "VPC vpc-gone does not exist")}},
		{"egress-only gateway of missing VPC", func(f *fixture) {
			f.eigw.VPCID = "vpc-gone"
		}, []wantDiag{errAt("aws_egress_only_internet_gateway.main", "VPC vpc-gone does not exist")}},
		{"NAT gateway in missing subnet", func(f *fixture) {
			f.nat.SubnetID = "aws_subnet.gone"
		}, []wantDiag{errAt("aws_nat_gateway.a", "subnet aws_subnet.gone does not exist")}},
		{"NAT gateway on a reserved address", func(f *fixture) {
			f.nat.PrivateIP = ip("10.0.0.1")
		}, []wantDiag{errAt("aws_nat_gateway.a", "address 10.0.0.1 is reserved by AWS")}},
		{"NAT gateway outside its subnet", func(f *fixture) {
			f.nat.PrivateIP = ip("10.0.1.10")
		}, []wantDiag{errAt("aws_nat_gateway.a", "address 10.0.1.10 is outside subnet aws_subnet.public_a")}},
		// Its address is taken like any other.
		{"NAT gateway on an instance's address", func(f *fixture) {
			f.nat.PrivateIP = ip("10.0.0.20")
		}, []wantDiag{errAt("aws_nat_gateway.a/interface", "address 10.0.0.20 is also used by aws_instance.web/eni")}},
		// A public NAT gateway needs an Elastic IP; a private one has none.
		{"public NAT gateway without address", func(f *fixture) {
			f.nat.PublicIP, f.nat.AllocationID = netip.Addr{}, ""
		}, []wantDiag{warnAt("aws_nat_gateway.a", "public NAT gateway has no Elastic IP")}},
		{"private NAT gateway", func(f *fixture) {
			f.nat.PublicIP, f.nat.AllocationID, f.nat.Private = netip.Addr{}, "", true
		}, nil},
		{"VPN gateway of missing VPC", func(f *fixture) {
			f.vgw.VPCID = "vpc-gone"
		}, []wantDiag{errAt("aws_vpn_gateway.main", "VPC vpc-gone does not exist")}},
		{"VPN connection to missing VPN gateway", func(f *fixture) {
			f.office.VPNGatewayID = "vgw-gone"
		}, []wantDiag{errAt("aws_vpn_connection.office", "VPN gateway vgw-gone does not exist")}},
		{"VPN connection to missing transit gateway", func(f *fixture) {
			f.dc.TransitGatewayID = "tgw-gone"
		}, []wantDiag{errAt("aws_vpn_connection.dc", "transit gateway tgw-gone does not exist")}},
		{"VPN connection to nothing", func(f *fixture) {
			f.office.VPNGatewayID = ""
		}, []wantDiag{warnAt("aws_vpn_connection.office", "VPN connection is attached to neither a VPN gateway nor a transit gateway")}},
		{"VPN connection to missing customer gateway", func(f *fixture) {
			f.office.CustomerGatewayID = "cgw-gone"
		}, []wantDiag{errAt("aws_vpn_connection.office", "customer gateway cgw-gone does not exist")}},
		{"on-premises CIDR with host bits", func(f *fixture) {
			f.office.OnPremCIDRs = append(f.office.OnPremCIDRs, hostPfx("172.18.0.1/16"))
		}, []wantDiag{errAt("aws_vpn_connection.office", "on-premises CIDR 172.18.0.1/16 has host bits set")}},

		// --- transit gateways ---
		{"attachment to missing transit gateway", func(f *fixture) {
			f.tgwVPN.TransitGatewayID = "tgw-gone"
		}, []wantDiag{errAt("aws_vpn_connection.dc/attachment", "transit gateway tgw-gone does not exist")}},
		{"VPC attachment without VPC", func(f *fixture) {
			f.tgwVPC.VPCID = ""
		}, []wantDiag{errAt("aws_ec2_transit_gateway_vpc_attachment.main", "VPC is not set")}},
		{"VPC attachment in missing subnet", func(f *fixture) {
			f.tgwVPC.SubnetIDs = append(f.tgwVPC.SubnetIDs, "aws_subnet.gone")
		}, []wantDiag{errAt("aws_ec2_transit_gateway_vpc_attachment.main", "subnet aws_subnet.gone does not exist")}},
		{"VPC attachment in another VPC's subnet", func(f *fixture) {
			f.tgwVPC.SubnetIDs = []string{privA, "aws_subnet.peer_b"}
		}, []wantDiag{errAt("aws_ec2_transit_gateway_vpc_attachment.main", "subnet aws_subnet.peer_b belongs to VPC aws_vpc.peer, not to the attached VPC aws_vpc.main")}},
		// A VPC attachment takes one subnet per availability zone.
		{"VPC attachment with two subnets in one zone", func(f *fixture) {
			f.tgwVPC.SubnetIDs = append(f.tgwVPC.SubnetIDs, pubA)
		}, []wantDiag{errAt("aws_ec2_transit_gateway_vpc_attachment.main", "subnets aws_subnet.private_a and aws_subnet.public_a are in the same availability zone us-east-1a")}},
		{"VPC attachment without subnets", func(f *fixture) {
			f.tgwVPC.SubnetIDs = nil
		}, []wantDiag{errAt("aws_ec2_transit_gateway_vpc_attachment.main", "VPC attachment names no subnet")}},
		{"VPC attachment with unknown subnets", func(f *fixture) {
			f.tgwVPC.SubnetIDs = nil
			f.tgwVPC.MarkUnknown("subnet_ids")
		}, nil},
		// A peer transit gateway outside the estate is legal: a warning.
		{"peering attachment to unknown transit gateway", func(f *fixture) {
			f.TGWAttachments = append(f.TGWAttachments, &TGWAttachment{Meta: meta("aws_ec2_transit_gateway_peering_attachment.eu"),
				Kind: TGWAttachPeering, TransitGatewayID: hub, PeerTransitGatewayID: "tgw-0eu"})
		}, []wantDiag{warnAt("aws_ec2_transit_gateway_peering_attachment.eu", "peer transit gateway tgw-0eu is not in the network")}},
		{"VPN attachment to missing connection", func(f *fixture) {
			f.tgwVPN.VPNConnectionID = "vpn-gone"
		}, []wantDiag{errAt("aws_vpn_connection.dc/attachment", "VPN connection vpn-gone does not exist")}},
		{"attachment without transit gateway", func(f *fixture) {
			f.tgwVPN.TransitGatewayID = ""
		}, []wantDiag{errAt("aws_vpn_connection.dc/attachment", "transit gateway is not set")}},
		{"attachment without kind", func(f *fixture) {
			f.tgwVPN.Kind = 0
		}, []wantDiag{errAt("aws_vpn_connection.dc/attachment", "attachment has no valid kind")}},
		{"Direct Connect attachment", func(f *fixture) {
			f.TGWAttachments = append(f.TGWAttachments, &TGWAttachment{Meta: meta("tgw-attach-dx"), Kind: TGWAttachDirectConnect, TransitGatewayID: hub})
		}, nil},
		{"TGW route table of missing transit gateway", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.lost"), TransitGatewayID: "tgw-gone"})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route_table.lost", "transit gateway tgw-gone does not exist")}},
		{"TGW association with missing attachment", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Associations: []TGWRouteTableLink{{AttachmentID: "tgw-attach-gone"}}})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route_table.spokes", "association names attachment tgw-attach-gone, which does not exist")}},
		{"TGW propagation from missing attachment", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Propagations: []TGWRouteTableLink{{Meta: meta("aws_ec2_transit_gateway_route_table_propagation.x"), AttachmentID: "tgw-attach-gone"}}})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route_table_propagation.x", "propagation names attachment tgw-attach-gone, which does not exist")}},
		{"TGW association with another gateway's attachment", func(f *fixture) {
			f.TransitGateways = append(f.TransitGateways, &TransitGateway{Meta: meta("aws_ec2_transit_gateway.other")})
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.other"),
				TransitGatewayID: "aws_ec2_transit_gateway.other",
				Propagations:     []TGWRouteTableLink{{AttachmentID: "aws_ec2_transit_gateway_vpc_attachment.main"}}})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route_table.other", "propagation names attachment aws_ec2_transit_gateway_vpc_attachment.main of transit gateway aws_ec2_transit_gateway.hub, not of aws_ec2_transit_gateway.other")}},
		// An attachment is associated with one route table.
		{"attachment associated twice", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Associations: []TGWRouteTableLink{{AttachmentID: "aws_ec2_transit_gateway_vpc_attachment.main"}}},
				&TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.inspection"), TransitGatewayID: hub,
					Associations: []TGWRouteTableLink{{AttachmentID: "aws_ec2_transit_gateway_vpc_attachment.main"}}})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route_table.inspection", "attachment aws_ec2_transit_gateway_vpc_attachment.main is associated with two route tables (also aws_ec2_transit_gateway_route_table.spokes)")}},
		// ... but may propagate into several.
		{"attachment propagating twice", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Propagations: []TGWRouteTableLink{{AttachmentID: "aws_ec2_transit_gateway_vpc_attachment.main"}}},
				&TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.inspection"), TransitGatewayID: hub,
					Propagations: []TGWRouteTableLink{{AttachmentID: "aws_ec2_transit_gateway_vpc_attachment.main"}}})
		}, nil},
		{"TGW route destination with host bits", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Routes: []TGWRoute{{Meta: meta("aws_ec2_transit_gateway_route.x"), Destination: hostPfx("10.0.0.1/16"), AttachmentID: "aws_ec2_transit_gateway_vpc_attachment.main"}}})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route.x", "route destination 10.0.0.1/16 has host bits set")}},
		{"TGW route to missing attachment", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Routes: []TGWRoute{{Destination: pfx("10.0.0.0/16"), AttachmentID: "tgw-attach-gone"}}})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route_table.spokes", "route to 10.0.0.0/16 targets attachment tgw-attach-gone, which does not exist")}},
		{"TGW route without attachment", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Routes: []TGWRoute{{Destination: pfx("10.0.0.0/16")}}})
		}, []wantDiag{errAt("aws_ec2_transit_gateway_route_table.spokes", "route to 10.0.0.0/16 has no target attachment")}},
		{"TGW blackhole route", func(f *fixture) {
			f.TGWRouteTables = append(f.TGWRouteTables, &TGWRouteTable{Meta: meta("aws_ec2_transit_gateway_route_table.spokes"), TransitGatewayID: hub,
				Routes: []TGWRoute{{Destination: pfx("10.99.0.0/16"), Blackhole: true}}})
		}, nil},

		// --- peering ---
		{"peering between missing VPCs", func(f *fixture) {
			f.PeeringConnections = append(f.PeeringConnections, &PeeringConnection{Meta: meta("aws_vpc_peering_connection.lost"),
				RequesterVPCID: "vpc-a", AccepterVPCID: "vpc-b"})
		}, []wantDiag{errAt("aws_vpc_peering_connection.lost", "neither VPC vpc-a nor VPC vpc-b is in the network")}},
		// A VPC in another account is legal: a warning.
		{"peering with a VPC outside the estate", func(f *fixture) {
			f.pcx.AccepterVPCID = "vpc-0other"
			f.peerRT.Routes = nil
		}, []wantDiag{warnAt("aws_vpc_peering_connection.main_peer", "peer VPC vpc-0other is not in the network")}},
		// AWS refuses to peer VPCs whose blocks overlap.
		{"peered VPCs overlap", func(f *fixture) {
			f.peerVPC.CIDRs = append(f.peerVPC.CIDRs, pfx("10.0.128.0/20"))
		}, []wantDiag{errAt("aws_vpc_peering_connection.main_peer", "peered VPCs aws_vpc.main and aws_vpc.peer have overlapping CIDR blocks 10.0.0.0/16 and 10.0.128.0/20")}},

		// --- endpoints and prefix lists ---
		{"endpoint of missing VPC", func(f *fixture) {
			f.ssm.VPCID = "vpc-gone"
		}, []wantDiag{errAt("aws_vpc_endpoint.ssm", "VPC vpc-gone does not exist")}},
		{"endpoint with missing route table", func(f *fixture) {
			f.s3.RouteTableIDs = append(f.s3.RouteTableIDs, "rtb-gone")
		}, []wantDiag{errAt("aws_vpc_endpoint.s3", "route table rtb-gone does not exist")}},
		{"endpoint in missing subnet", func(f *fixture) {
			f.ssm.SubnetIDs = append(f.ssm.SubnetIDs, "subnet-gone")
		}, []wantDiag{errAt("aws_vpc_endpoint.ssm", "subnet subnet-gone does not exist")}},
		{"endpoint with missing security group", func(f *fixture) {
			f.ssm.SecurityGroupIDs = append(f.ssm.SecurityGroupIDs, "sg-gone")
		}, []wantDiag{errAt("aws_vpc_endpoint.ssm", "security group sg-gone does not exist")}},
		{"endpoint with missing interface", func(f *fixture) {
			f.ssm.InterfaceIDs = append(f.ssm.InterfaceIDs, "eni-gone")
		}, []wantDiag{errAt("aws_vpc_endpoint.ssm", "network interface eni-gone does not exist")}},
		{"endpoint without type", func(f *fixture) {
			f.ssm.Type = 0
		}, []wantDiag{errAt("aws_vpc_endpoint.ssm", "endpoint has no valid type")}},
		{"endpoint with out-of-range type", func(f *fixture) {
			f.ssm.Type = 9
		}, []wantDiag{errAt("aws_vpc_endpoint.ssm", "endpoint has no valid type")}},
		{"prefix list entry with host bits", func(f *fixture) {
			f.corp.Entries = append(f.corp.Entries, hostPfx("172.18.0.1/16"))
		}, []wantDiag{errAt("aws_ec2_managed_prefix_list.corp", "entry 172.18.0.1/16 has host bits set")}},
	}
	seen := map[string]bool{}
	for _, tt := range tests {
		if seen[tt.name] {
			t.Fatalf("two rows named %q", tt.name)
		}
		seen[tt.name] = true
		t.Run(tt.name, func(t *testing.T) {
			f := sample()
			tt.mut(f)
			f.Synthesize()
			ds := f.Validate()
			checkDiags(t, ds, tt.want)
			checkWellFormed(t, ds)
		})
	}
}

// checkWellFormed catches messages that read badly whatever they report:
// formatting mistakes, zero values printed as such, empty references.
func checkWellFormed(t *testing.T, ds Diagnostics) {
	t.Helper()
	for _, d := range ds {
		for _, bad := range []string{"%!", "invalid Prefix", "invalid IP", `""`, "()", "at )", "  "} {
			if strings.Contains(d.Message, bad) {
				t.Errorf("message contains %q: %s", bad, d)
			}
		}
		if d.Message == "" || strings.HasSuffix(d.Message, ".") || d.Element == "" {
			t.Errorf("message is empty, ends with a period or names no element: %s", d)
		}
	}
}

func TestValidateReportsEverything(t *testing.T) {
	// Five independent mistakes give five errors: Validate never stops at
	// the first.
	f := sample()
	newSub := &Subnet{Meta: meta("aws_subnet.stray"), VPCID: "aws_vpc.main", CIDR: pfx("10.2.0.0/24")}
	f.Subnets = append(f.Subnets, newSub)                                                          // outside its VPC
	f.privACL.Ingress = append(f.privACL.Ingress, aclRule(110, Ingress, Deny, pfx("10.9.0.0/16"))) // duplicate number
	f.appENI.PrivateIPs = ips("10.0.10.255")                                                       // broadcast address
	f.privRT.Routes = append(f.privRT.Routes, rt("10.60.0.0/16", TargetNATGateway, "nat-gone"))    // dangling target
	f.dbENI.SecurityGroupIDs = append(f.dbENI.SecurityGroupIDs, "aws_security_group.web")          // SG of another VPC
	f.Synthesize()
	ds := f.Validate()
	if len(ds) != 5 || len(ds.Errors()) != 5 {
		t.Errorf("got %d diagnostics, %d errors; want 5 errors:%s", len(ds), len(ds.Errors()), dump(ds))
	}
}

func TestValidateOrder(t *testing.T) {
	// Errors come first, then warnings; within a severity, the order of
	// the checks and of the elements is kept, so output is stable.
	f := sample()
	f.webSG.Ingress = append(f.webSG.Ingress, sgIn(ProtocolTCP, Port(22), SGPeer{Kind: PeerPrefixList, PrefixListID: "pl-1"}))
	f.appSG.Ingress = append(f.appSG.Ingress, sgIn(ProtocolTCP, Port(22), SGPeer{Kind: PeerPrefixList, PrefixListID: "pl-2"}))
	f.appENI.SecurityGroupIDs = append(f.appENI.SecurityGroupIDs, "sg-gone")
	f.Subnets = append(f.Subnets, &Subnet{Meta: meta("aws_subnet.nocidr"), VPCID: "aws_vpc.main"})
	ds := f.Validate()
	var got []string
	for _, d := range ds {
		got = append(got, d.Severity.String()+" "+d.Element)
	}
	want := []string{
		"error aws_subnet.nocidr", // subnets are checked before interfaces
		"error aws_instance.app/eni",
		"warning aws_security_group.web",
		"warning aws_security_group.app",
	}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q; want %q", got, want)
	}
	if !ds.HasErrors() || len(ds.Errors()) != 2 {
		t.Errorf("HasErrors = %v, Errors = %d; want true, 2", ds.HasErrors(), len(ds.Errors()))
	}
	// Error() lists the errors only, one a line.
	if lines := strings.Split(ds.Error(), "\n"); len(lines) != 2 || !strings.Contains(lines[1], "sg-gone") {
		t.Errorf("Error() = %q; want two lines, the second about sg-gone", ds.Error())
	}
}

func TestValidatePositions(t *testing.T) {
	// A diagnostic carries the position of the element it names: the rule
	// when the rule has one, else its container.
	f := sample()
	f.privACL.Pos = Pos{File: "network.tf", Line: 40, Col: 1}
	f.privACL.Ingress = append(f.privACL.Ingress, aclRule(0, Ingress, Allow, pfx("10.0.0.0/8")))
	f.webSG.Ingress = append(f.webSG.Ingress, SGRule{
		Meta:      Meta{Address: "aws_vpc_security_group_ingress_rule.ssh", Pos: Pos{File: "sg.tf", Line: 7, Col: 1}},
		Direction: Ingress, Protocol: ProtocolTCP, Ports: Port(22), Peer: SGPeer{}})
	ds := f.Validate()
	want := []string{
		"network.tf:40:1: error: aws_network_acl.private: ingress rule number 0 is outside 1-32766",
		"sg.tf:7:1: error: aws_vpc_security_group_ingress_rule.ssh: ingress rule has no source or destination",
	}
	var got []string
	for _, d := range ds {
		got = append(got, d.String())
	}
	if !slices.Equal(got, want) {
		t.Errorf("got%s\nwant\n\t%s", dump(ds), strings.Join(want, "\n\t"))
	}
}

func TestValidateEmptyNetwork(t *testing.T) {
	// Nothing is a valid network, and so are nil slices everywhere.
	if ds := (&Network{}).Validate(); len(ds) != 0 {
		t.Errorf("empty network:%s", dump(ds))
	}
}

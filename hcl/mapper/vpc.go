package mapper

import (
	"slices"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// vpc maps aws_vpc and aws_default_vpc.
func (m *mapper) vpc(v view) {
	vpc := &model.VPC{Meta: v.meta()}
	vpc.Region, vpc.AccountID = v.regionAccount()
	if p, ok := v.prefix("cidr_block", ipv4); ok {
		vpc.CIDRs = append(vpc.CIDRs, p)
	} else if v.unknown("cidr_block") {
		vpc.MarkUnknown("cidr_block")
		why := allocatedBy(v, "ipv4_ipam_pool_id", "")
		if why == "" && v.in.Type == "aws_vpc" && !v.setByConfig("cidr_block") {
			why = "neither cidr_block nor ipv4_ipam_pool_id is set, and AWS creates no VPC without one of them"
		}
		v.unknownBecause("cidr_block", why, "no IPv4 address in this VPC can be analysed")
	}
	if p, ok := v.prefix("ipv6_cidr_block", ipv6); ok {
		vpc.IPv6CIDRs = append(vpc.IPv6CIDRs, p)
	} else if v.unknown("ipv6_cidr_block") && (v.boolean("assign_generated_ipv6_cidr_block", false) || v.known("ipv6_ipam_pool_id") || v.setByConfig("ipv6_cidr_block")) {
		vpc.MarkUnknown("ipv6_cidr_block")
		v.unknownBecause("ipv6_cidr_block", allocatedBy(v, "ipv6_ipam_pool_id", "assign_generated_ipv6_cidr_block"), "IPv6 addresses in this VPC cannot be analysed")
	}
	vpc.MainRouteTableID = m.vpcDefault(v, vpc, "main_route_table_id")
	if vpc.MainRouteTableID == "" {
		vpc.MainRouteTableID = m.vpcDefault(v, vpc, "default_route_table_id")
	}
	vpc.DefaultNetworkACLID = m.vpcDefault(v, vpc, "default_network_acl_id")
	vpc.DefaultSecurityGroupID = m.vpcDefault(v, vpc, "default_security_group_id")
	m.addVPC(vpc)
}

// vpcDefault reads the ID of one of the elements AWS creates with a VPC;
// when it is not known until apply it is the symbolic ID configurations use
// for it (aws_vpc.main.default_security_group_id).
func (m *mapper) vpcDefault(v view, vpc *model.VPC, attr string) string {
	if id := v.ref(attr); id != "" {
		return id
	}
	if v.unknown(attr) || vpc.IsUnknown("id") {
		return m.resolve(resource.SymbolicID(v.in.Address, attr))
	}
	return ""
}

func (m *mapper) addVPC(vpc *model.VPC) {
	m.vpcs[vpc.ID] = vpc
	m.n.VPCs = append(m.n.VPCs, vpc)
}

// cidrAssoc maps aws_vpc_ipv4_cidr_block_association and
// aws_vpc_ipv6_cidr_block_association: a secondary block of a VPC.
func (m *mapper) cidrAssoc(v view) {
	vpc := m.vpcRef(v, "vpc_id", "the CIDR block cannot be added to its VPC")
	if vpc == nil {
		return
	}
	switch v.in.Type {
	case "aws_vpc_ipv4_cidr_block_association":
		if p, ok := v.prefix("cidr_block", ipv4); ok {
			if !slices.Contains(vpc.CIDRs, p) {
				vpc.CIDRs = append(vpc.CIDRs, p)
			}
		} else if v.unknown("cidr_block") {
			v.unknownf("cidr_block", "addresses in this block of %s cannot be analysed", vpc.Label())
		}
	default:
		if p, ok := v.prefix("ipv6_cidr_block", ipv6); ok {
			if !slices.Contains(vpc.IPv6CIDRs, p) {
				vpc.IPv6CIDRs = append(vpc.IPv6CIDRs, p)
			}
		} else if v.unknown("ipv6_cidr_block") {
			v.unknownf("ipv6_cidr_block", "addresses in this block of %s cannot be analysed", vpc.Label())
		}
	}
}

// subnet maps aws_subnet and aws_default_subnet.
func (m *mapper) subnet(v view) {
	s := &model.Subnet{Meta: v.meta()}
	v.regionAccount()
	s.VPCID = v.needIn(&s.Meta, "vpc_id", "the subnet cannot be placed in a VPC")
	m.subnetFields(v, s)
	m.subnets[s.ID] = s
	m.n.Subnets = append(m.n.Subnets, s)
}

func (m *mapper) subnetFields(v view, s *model.Subnet) {
	if p, ok := v.prefix("cidr_block", ipv4); ok {
		s.CIDR = p
	} else if v.unknown("cidr_block") {
		s.MarkUnknown("cidr_block")
		v.unknownf("cidr_block", "no address in this subnet can be analysed")
	}
	// ipv6_cidr_block is optional and computed, so a plan marks it unknown
	// for every new subnet: it stands for a block only when something
	// asks for one.
	if p, ok := v.prefix("ipv6_cidr_block", ipv6); ok {
		s.IPv6CIDR = p
	} else if v.unknown("ipv6_cidr_block") && (v.boolean("assign_ipv6_address_on_creation", false) || v.boolean("ipv6_native", false) || v.setByConfig("ipv6_cidr_block")) {
		s.MarkUnknown("ipv6_cidr_block")
		v.unknownf("ipv6_cidr_block", "IPv6 addresses in this subnet cannot be analysed")
	}
	s.AvailabilityZone = v.str("availability_zone")
	s.AvailabilityZoneID = v.str("availability_zone_id")
	s.MapPublicIPOnLaunch = v.boolean("map_public_ip_on_launch", false)
}

// dataVPC adds a VPC read by a data source when the input does not manage
// it, as an element outside the input. Its main route table, default network
// ACL and security group are outside the input too: Synthesize gives them
// AWS's defaults, marked so.
func (m *mapper) dataVPC(v view) {
	md := v.dataMeta()
	if m.vpcs[md.ID] != nil {
		return
	}
	vpc := &model.VPC{Meta: md}
	vpc.Region, vpc.AccountID = v.regionAccount()
	if p, ok := v.prefix("cidr_block", ipv4); ok {
		vpc.CIDRs = append(vpc.CIDRs, p)
	}
	for _, b := range v.blocks("cidr_block_associations") {
		if st := b.str("state"); st != "" && st != "associated" {
			continue
		}
		if p, ok := b.prefix("cidr_block", ipv4); ok && !slices.Contains(vpc.CIDRs, p) {
			vpc.CIDRs = append(vpc.CIDRs, p)
		}
	}
	if p, ok := v.prefix("ipv6_cidr_block", ipv6); ok {
		vpc.IPv6CIDRs = append(vpc.IPv6CIDRs, p)
	}
	vpc.MainRouteTableID = v.ref("main_route_table_id")
	if len(vpc.CIDRs) == 0 && len(vpc.IPv6CIDRs) == 0 {
		vpc.MarkUnknown("cidr_block")
		v.aboutf(model.SeverityWarning, vpc.ID, "the VPC is read by a data source and its cidr_block is not known (give it in the data values file): no address in this VPC can be analysed")
	}
	m.addVPC(vpc)
	v.aboutf(model.SeverityNote, vpc.ID, "the VPC is read by a data source: it is outside the input, and its route tables, network ACLs and security groups that the input does not describe are taken as AWS's defaults, marked as outside the input")
}

// dataSubnet adds a subnet read by a data source when the input does not
// manage it.
func (m *mapper) dataSubnet(v view) {
	md := v.dataMeta()
	if m.subnets[md.ID] != nil {
		return
	}
	v.regionAccount()
	s := &model.Subnet{Meta: md, VPCID: v.ref("vpc_id")}
	m.subnetFields(v, s)
	if !s.CIDR.IsValid() && !s.IPv6CIDR.IsValid() {
		s.MarkUnknown("cidr_block")
	}
	m.subnets[s.ID] = s
	m.n.Subnets = append(m.n.Subnets, s)
}

// dataSecurityGroup adds a security group read by a data source when the
// input does not manage it. Its rules are not in the input.
func (m *mapper) dataSecurityGroup(v view) {
	md := v.dataMeta()
	if m.sgs[md.ID] != nil {
		return
	}
	sg := &model.SecurityGroup{Meta: md, VPCID: v.ref("vpc_id"), GroupName: v.str("name")}
	if sg.Name == "" {
		sg.Name = sg.GroupName
	}
	sg.MarkUnknown("ingress")
	sg.MarkUnknown("egress")
	m.sgs[sg.ID] = sg
	m.n.SecurityGroups = append(m.n.SecurityGroups, sg)
	v.aboutf(model.SeverityWarning, sg.ID, "the security group is read by a data source: it is outside the input and its rules are not known, so it is taken as having none (references to it as a source still work)")
}

// allocatedBy says where an unknown VPC block will come from: an IPAM pool
// (poolAttr) or, when generated is set, Amazon's pool of IPv6 addresses; ""
// when the input does not say.
func allocatedBy(v view, poolAttr, generated string) string {
	switch {
	case v.known(poolAttr):
		return "allocated from IPAM pool " + v.str(poolAttr) + " when applied"
	case generated != "" && v.boolean(generated, false):
		return "an Amazon-provided block, assigned by AWS when applied"
	}
	return ""
}

// dataGateway adds a transit, internet, NAT or VPN gateway, or a route
// table, that a data source reads when the input does not manage it: an
// element outside the input that routes can target (a spoke's route to the
// hub's transit gateway), with what the data source says of it.
func (m *mapper) dataGateway(v view) {
	md := v.dataMeta()
	kind := map[string]string{"aws_ec2_transit_gateway": "transit gateway", "aws_internet_gateway": "internet gateway",
		"aws_vpn_gateway": "VPN gateway", "aws_nat_gateway": "NAT gateway", "aws_route_table": "route table"}[v.in.Type]
	n := len(m.n.TransitGateways) + len(m.n.InternetGateways) + len(m.n.VPNGateways) + len(m.n.NATGateways) + len(m.n.RouteTables)
	defer func() {
		if len(m.n.TransitGateways)+len(m.n.InternetGateways)+len(m.n.VPNGateways)+len(m.n.NATGateways)+len(m.n.RouteTables) > n {
			v.aboutf(model.SeverityWarning, md.ID, "the %s is read by a data source: it is outside the input, and traffic that reaches it leaves what vpcsim can see", kind)
		}
	}()
	switch v.in.Type {
	case "aws_ec2_transit_gateway":
		if m.tgws[md.ID] == nil {
			g := &model.TransitGateway{Meta: md}
			g.Region, g.AccountID = v.regionAccount()
			m.tgws[g.ID] = g
			m.n.TransitGateways = append(m.n.TransitGateways, g)
		}
	case "aws_internet_gateway":
		if m.igws[md.ID] == nil {
			g := &model.InternetGateway{Meta: md}
			for _, b := range v.blocks("attachments") {
				g.VPCID = b.ref("vpc_id")
			}
			m.igws[g.ID] = g
			m.n.InternetGateways = append(m.n.InternetGateways, g)
		}
	case "aws_vpn_gateway":
		if m.vgws[md.ID] == nil {
			g := &model.VPNGateway{Meta: md, VPCID: v.ref("attached_vpc_id")}
			m.vgws[g.ID] = g
			m.n.VPNGateways = append(m.n.VPNGateways, g)
		}
	case "aws_nat_gateway":
		if !slices.ContainsFunc(m.n.NATGateways, func(g *model.NATGateway) bool { return g.ID == md.ID }) {
			g := &model.NATGateway{Meta: md, SubnetID: v.ref("subnet_id"), Private: v.str("connectivity_type") == "private"}
			if a, ok := v.addr("private_ip", ipv4); ok {
				g.PrivateIP = a
			}
			if a, ok := v.addr("public_ip", ipv4); ok {
				g.PublicIP = a
			}
			m.n.NATGateways = append(m.n.NATGateways, g)
		}
	case "aws_route_table":
		if m.rts[md.ID] == nil {
			rt := &model.RouteTable{Meta: md, VPCID: v.ref("vpc_id")}
			m.rts[rt.ID] = rt
			m.n.RouteTables = append(m.n.RouteTables, rt)
		}
	}
}

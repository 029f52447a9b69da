package estate

import (
	"errors"
	"fmt"
	"math/bits"
)

// Params sizes a synthetic estate.
type Params struct {
	// VPCs is the number of VPCs (at least 1).
	VPCs int
	// SubnetsPerVPC is the number of subnets of each VPC (at least 1). They
	// are spread over min(3, SubnetsPerVPC) zones, tier by tier: public,
	// app, db, then app and db alternately.
	SubnetsPerVPC int
	// InstancesPerSubnet is the number of EC2 instances in every subnet.
	InstancesPerSubnet int
	// SGsPerVPC is the number of security groups of each VPC, with roles
	// web, app, db, admin, then svc-NN. With none, instances use the VPC's
	// default group.
	SGsPerVPC int
	// RulesPerSG is the number of ingress rules of every security group
	// (each also has one egress rule). A peering adds one more ingress rule
	// to the accepter's db group: a reference to the requester's app group.
	RulesPerSG int
	// NACLRules is the number of rules in each direction of the network ACL
	// every VPC has on its database tier (at most 3276).
	NACLRules int
	// TGWHubs is the number of transit gateways; every VPC attaches to hub
	// (index mod TGWHubs). Zero means no transit gateway.
	TGWHubs int
	// Peerings is the number of VPC peering connections, between distinct
	// pairs of VPCs chosen by the seed.
	Peerings int
	// Seed makes the estate: the same Params give the same bytes, another
	// seed other IDs, addresses and peering pairs.
	Seed uint64
}

// Default returns the size of vpcsim's performance target: 200 VPCs, 2,000
// subnets, 20,000 instance interfaces and 5,000 security groups, with 4
// transit gateway hubs and 50 peerings.
func Default() Params {
	return Params{VPCs: 200, SubnetsPerVPC: 10, InstancesPerSubnet: 10, SGsPerVPC: 25, RulesPerSG: 6,
		NACLRules: 8, TGWHubs: 4, Peerings: 50, Seed: 1}
}

// Counts are the numbers of elements an estate has.
type Counts struct {
	VPCs, Subnets, Instances, SecurityGroups, SGRules, NetworkACLs, NACLRules int
	RouteTables, InternetGateways, NATGateways, ElasticIPs                    int
	TransitGateways, TGWAttachments, TGWRouteTables, TGWRoutes, Peerings      int
	// Interfaces counts network interfaces: one per instance and one per
	// NAT gateway.
	Interfaces int
	// Resources is the number of resource instances in the state file.
	Resources int
}

// Counts returns what Write(w, p) will contain.
func (p Params) Counts() Counts {
	l := p.layout()
	v := p.VPCs
	c := Counts{VPCs: v, Subnets: v * p.SubnetsPerVPC, Instances: v * p.SubnetsPerVPC * p.InstancesPerSubnet,
		SecurityGroups: v * p.SGsPerVPC, NetworkACLs: v, NACLRules: v * 2 * p.NACLRules,
		InternetGateways: v, NATGateways: v, TransitGateways: p.TGWHubs, Peerings: p.Peerings}
	c.SGRules = c.SecurityGroups*(p.RulesPerSG+1) + l.peeringRefs(p)
	c.RouteTables = v * l.tables
	c.ElasticIPs = v * (1 + l.eipInstances(p))
	c.Interfaces = c.Instances + c.NATGateways
	if p.TGWHubs > 0 {
		c.TGWAttachments = v
		c.TGWRouteTables = 2 * p.TGWHubs
		c.TGWRoutes = 2 * p.TGWHubs
	}
	// Per VPC: vpc, igw, eip × (1 + public subnets), nat, subnets, route
	// tables and their associations (one per subnet), the ACL, the groups,
	// the instances, the attachment.
	perVPC := 1 + 1 + (1 + l.eipInstances(p)) + 1 + p.SubnetsPerVPC + l.tables + p.SubnetsPerVPC + 1 + p.SGsPerVPC +
		p.SubnetsPerVPC*p.InstancesPerSubnet
	c.Resources = v * perVPC
	if p.TGWHubs > 0 {
		// attachment, association, two propagations per VPC; per hub the
		// gateway, two tables, two blackhole routes.
		c.Resources += v*4 + p.TGWHubs*5
	}
	// A peering (its routes are inline in the route tables).
	c.Resources += p.Peerings
	return c
}

// Validate reports why p cannot be generated: non-positive sizes, more
// peerings than VPC pairs, or instances that do not fit their subnets.
func (p Params) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    int
		min  int
	}{{"vpcs", p.VPCs, 1}, {"subnets-per-vpc", p.SubnetsPerVPC, 1}, {"instances-per-subnet", p.InstancesPerSubnet, 0},
		{"sgs-per-vpc", p.SGsPerVPC, 0}, {"rules-per-sg", p.RulesPerSG, 0}, {"nacl-rules", p.NACLRules, 0},
		{"tgw-hubs", p.TGWHubs, 0}, {"peerings", p.Peerings, 0}} {
		if f.v < f.min {
			errs = append(errs, fmt.Errorf("%s is %d, want at least %d", f.name, f.v, f.min))
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if p.NACLRules > 3276 {
		errs = append(errs, fmt.Errorf("nacl-rules is %d: rules are numbered 10 apart and AWS's numbers stop at 32766, so at most 3276 fit", p.NACLRules))
	}
	if p.VPCs > 65535 {
		errs = append(errs, fmt.Errorf("vpcs is %d, more than the 65535 this generator numbers", p.VPCs))
	}
	if p.SubnetsPerVPC > 4096 {
		errs = append(errs, fmt.Errorf("subnets-per-vpc is %d, more than a VPC can hold", p.SubnetsPerVPC))
	}
	if pairs := p.VPCs * (p.VPCs - 1) / 2; p.Peerings > pairs {
		errs = append(errs, fmt.Errorf("peerings is %d, but %d VPCs make only %d pairs", p.Peerings, p.VPCs, pairs))
	}
	if p.TGWHubs > p.VPCs {
		errs = append(errs, fmt.Errorf("tgw-hubs is %d, more than the %d VPCs", p.TGWHubs, p.VPCs))
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	if _, err := p.vpcBits(); err != nil {
		return err
	}
	if _, err := p.subnetBits(); err != nil {
		return err
	}
	if n := p.VPCs * p.publicIPsPerVPC(); n > publicCapacity {
		return fmt.Errorf("the estate needs %d public addresses, more than the %d this generator draws from", n, publicCapacity)
	}
	return nil
}

// vpcPools are where VPC blocks come from, in order.
var vpcPools = []struct {
	first [4]byte
	bits  int
}{{[4]byte{10, 0, 0, 0}, 8}, {[4]byte{172, 16, 0, 0}, 12}, {[4]byte{192, 168, 0, 0}, 16}, {[4]byte{100, 64, 0, 0}, 10}}

// vpcBits is the prefix length of every VPC: /16 while the pools hold
// enough of them, longer otherwise (AWS allows /16 to /28).
func (p Params) vpcBits() (int, error) {
	for b := 16; b <= 24; b++ {
		total := 0
		for _, pool := range vpcPools {
			total += 1 << (b - pool.bits)
		}
		if total >= p.VPCs {
			return b, nil
		}
	}
	return 0, fmt.Errorf("%d VPCs do not fit in the private address pools with room for subnets", p.VPCs)
}

// subnetBits is the prefix length of every subnet: /24 when it fits, else
// what the subnet count allows, provided the instances (and the NAT gateway
// of the first public subnet) fit in it.
func (p Params) subnetBits() (int, error) {
	vb, err := p.vpcBits()
	if err != nil {
		return 0, err
	}
	need := p.InstancesPerSubnet + 1 // the NAT gateway's address
	hostBits := 4                    // AWS's smallest subnet is a /28
	for (1<<hostBits)-5 < need {
		hostBits++
	}
	minBits := vb + bits.Len(uint(p.SubnetsPerVPC-1)) // enough blocks for every subnet
	sb := max(minBits, min(24, 32-hostBits))
	if sb > 32-hostBits || sb > 28 {
		return 0, fmt.Errorf("%d instances per subnet do not fit: %d subnets of a /%d VPC are /%d, which hold %d addresses",
			p.InstancesPerSubnet, p.SubnetsPerVPC, vb, sb, max(0, (1<<(32-sb))-5-1))
	}
	return sb, nil
}

// layout is how subnets are spread over tiers and zones.
type layout struct {
	zones                                int
	publicSubnets, appSubnets, dbSubnets int
	// tables is the number of route tables (one per tier present);
	// peerTables the number of them that get transit gateway and peering
	// routes: the app and db tables, or the public one when there are none.
	tables, peerTables int
}

// tierOf returns the tier of subnet i: zone by zone, public, app, db, then
// app and db alternately.
func (l layout) tierOf(i int) string {
	switch row := i / l.zones; {
	case row == 0:
		return "public"
	case row == 1:
		return "app"
	case row == 2:
		return "db"
	case row%2 == 1:
		return "app"
	default:
		return "db"
	}
}

func (p Params) layout() layout {
	l := layout{zones: min(3, max(1, p.SubnetsPerVPC))}
	for i := range p.SubnetsPerVPC {
		switch l.tierOf(i) {
		case "public":
			l.publicSubnets++
		case "app":
			l.appSubnets++
		case "db":
			l.dbSubnets++
		}
	}
	for _, n := range []int{l.publicSubnets, l.appSubnets, l.dbSubnets} {
		if n > 0 {
			l.tables++
		}
	}
	l.peerTables = max(1, l.tables-1)
	return l
}

// eipInstances is the number of instances per VPC with an Elastic IP: the
// first of every public subnet.
func (l layout) eipInstances(p Params) int {
	return l.publicSubnets * min(1, p.InstancesPerSubnet)
}

// peeringRefs is the number of extra SG rules peerings add: one on the
// accepter's db group when it has one and the requester has an app group.
func (l layout) peeringRefs(p Params) int {
	if p.SGsPerVPC >= 3 {
		return p.Peerings
	}
	return 0
}

// publicIPsPerVPC: the NAT gateway, and every instance of a public subnet.
func (p Params) publicIPsPerVPC() int {
	return 1 + p.layout().publicSubnets*p.InstancesPerSubnet
}

package model

import (
	"fmt"
	"net/netip"
	"sort"
)

// Validate checks the network's consistency and returns every problem it
// finds, errors first in element order, never just the first one. Errors make
// the network unusable for analysis (a subnet outside its VPC, a route to a
// table that does not exist, two NACL rules with one number); warnings are
// things AWS would accept but that probably are not meant (a reference to a
// security group outside the estate, a public NAT gateway without an
// address).
func (n *Network) Validate() Diagnostics {
	v := &validator{n: n, ix: n.Index()}
	v.ids()
	v.vpcs()
	v.subnets()
	v.routeTables()
	v.acls()
	v.securityGroups()
	v.interfaces()
	v.gateways()
	v.transit()
	v.peerings()
	v.endpoints()
	v.loadBalancers()
	sort.SliceStable(v.ds, func(i, j int) bool { return v.ds[i].Severity < v.ds[j].Severity })
	return v.ds
}

type validator struct {
	n  *Network
	ix *Index
	ds Diagnostics
}

func (v *validator) errorf(m *Meta, format string, args ...any) {
	v.ds = append(v.ds, diagf(SeverityError, m, format, args...))
}

func (v *validator) warnf(m *Meta, format string, args ...any) {
	v.ds = append(v.ds, diagf(SeverityWarning, m, format, args...))
}

// prefix checks that p is valid and has no host bits set.
func (v *validator) prefix(m *Meta, what string, p netip.Prefix) bool {
	if !p.IsValid() {
		v.errorf(m, "%s is missing or invalid", what)
		return false
	}
	if p.Masked() != p {
		v.errorf(m, "%s %s has host bits set (did you mean %s?)", what, p, p.Masked())
		return false
	}
	return true
}

// block checks a VPC or subnet block: valid, without host bits, of the
// right family, and of a size AWS accepts — IPv4 VPCs and subnets from /16
// to /28, IPv6 subnets from /44 to /64 in steps of 4
// (https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html).
// It reports whether the block is sound enough for further checks.
func (v *validator) block(m *Meta, what string, p netip.Prefix, v6 bool, shortest, longest, step int) bool {
	if !v.prefix(m, what, p) {
		return false
	}
	if p.Addr().Is6() != v6 {
		fam := "IPv4"
		if v6 {
			fam = "IPv6"
		}
		v.errorf(m, "%s %s is not %s", what, p, fam)
		return false
	}
	if b := p.Bits(); b < shortest || b > longest || (b-shortest)%step != 0 {
		steps := ""
		if step > 1 {
			steps = " in steps of " + itoa(step)
		}
		v.errorf(m, "%s %s has prefix length /%d; AWS accepts /%d to /%d%s", what, p, b, shortest, longest, steps)
	}
	return true
}

func checkIDs[T any](v *validator, kind string, items []*T, meta func(*T) *Meta) {
	seen := map[string]*Meta{}
	for _, it := range items {
		m := meta(it)
		if m.ID == "" {
			v.errorf(m, "%s has no ID", kind)
			continue
		}
		if first, dup := seen[m.ID]; dup {
			v.errorf(m, "%s ID %s is also used by %s", kind, m.ID, first.Describe())
			continue
		}
		seen[m.ID] = m
	}
}

func (v *validator) ids() {
	n := v.n
	checkIDs(v, "VPC", n.VPCs, func(x *VPC) *Meta { return &x.Meta })
	checkIDs(v, "subnet", n.Subnets, func(x *Subnet) *Meta { return &x.Meta })
	checkIDs(v, "route table", n.RouteTables, func(x *RouteTable) *Meta { return &x.Meta })
	checkIDs(v, "network ACL", n.NetworkACLs, func(x *NetworkACL) *Meta { return &x.Meta })
	checkIDs(v, "security group", n.SecurityGroups, func(x *SecurityGroup) *Meta { return &x.Meta })
	checkIDs(v, "network interface", n.Interfaces, func(x *NetworkInterface) *Meta { return &x.Meta })
	checkIDs(v, "instance", n.Instances, func(x *Instance) *Meta { return &x.Meta })
	checkIDs(v, "internet gateway", n.InternetGateways, func(x *InternetGateway) *Meta { return &x.Meta })
	checkIDs(v, "egress-only internet gateway", n.EgressOnlyGateways, func(x *EgressOnlyInternetGateway) *Meta { return &x.Meta })
	checkIDs(v, "NAT gateway", n.NATGateways, func(x *NATGateway) *Meta { return &x.Meta })
	checkIDs(v, "VPN gateway", n.VPNGateways, func(x *VPNGateway) *Meta { return &x.Meta })
	checkIDs(v, "customer gateway", n.CustomerGateways, func(x *CustomerGateway) *Meta { return &x.Meta })
	checkIDs(v, "VPN connection", n.VPNConnections, func(x *VPNConnection) *Meta { return &x.Meta })
	checkIDs(v, "transit gateway", n.TransitGateways, func(x *TransitGateway) *Meta { return &x.Meta })
	checkIDs(v, "transit gateway attachment", n.TGWAttachments, func(x *TGWAttachment) *Meta { return &x.Meta })
	checkIDs(v, "transit gateway route table", n.TGWRouteTables, func(x *TGWRouteTable) *Meta { return &x.Meta })
	checkIDs(v, "VPC peering connection", n.PeeringConnections, func(x *PeeringConnection) *Meta { return &x.Meta })
	checkIDs(v, "VPC endpoint", n.Endpoints, func(x *VPCEndpoint) *Meta { return &x.Meta })
	checkIDs(v, "prefix list", n.PrefixLists, func(x *PrefixList) *Meta { return &x.Meta })
	checkIDs(v, "Elastic IP", n.ElasticIPs, func(x *ElasticIP) *Meta { return &x.Meta })
	checkIDs(v, "load balancer", n.LoadBalancers, func(x *LoadBalancer) *Meta { return &x.Meta })
	checkIDs(v, "target group", n.TargetGroups, func(x *TargetGroup) *Meta { return &x.Meta })
	checkIDs(v, "Auto Scaling group", n.AutoScalingGroups, func(x *AutoScalingGroup) *Meta { return &x.Meta })
	checkIDs(v, "service", n.Services, func(x *Service) *Meta { return &x.Meta })
}

func (v *validator) vpcs() {
	for _, vpc := range v.n.VPCs {
		if len(vpc.CIDRs) == 0 && len(vpc.IPv6CIDRs) == 0 && !vpc.IsUnknown("cidr_block") && !vpc.IsUnknown("ipv6_cidr_block") && !vpc.IsOutside() {
			v.errorf(&vpc.Meta, "VPC has no CIDR block")
		}
		for _, p := range vpc.CIDRs {
			v.block(&vpc.Meta, "CIDR block", p, false, 16, 28, 1)
		}
		for _, p := range vpc.IPv6CIDRs {
			if v.prefix(&vpc.Meta, "IPv6 CIDR block", p) && !p.Addr().Is6() {
				v.errorf(&vpc.Meta, "IPv6 CIDR block %s is not IPv6", p)
			}
		}
		all := vpc.AllCIDRs()
		for i := range all {
			for j := i + 1; j < len(all); j++ {
				if all[i].IsValid() && all[j].IsValid() && all[i].Overlaps(all[j]) {
					v.errorf(&vpc.Meta, "CIDR blocks %s and %s overlap", all[i], all[j])
				}
			}
		}
	}
}

// refAttrs names the Terraform attribute of the references that a loader
// may leave empty because their value is not known until apply; such a
// reference, listed in Meta.Unknown, is not reported again as an error.
var refAttrs = map[string]string{
	"VPC":             "vpc_id",
	"subnet":          "subnet_id",
	"transit gateway": "transit_gateway_id",
}

// lookup resolves a required reference from the element m to an element of
// kind what, and reports it at m when it is empty ("is not set") or names
// nothing ("does not exist"); the two need different fixes in the input.
func lookup[T any](v *validator, m *Meta, what, id string, table map[string]*T) *T {
	if id == "" {
		if attr := refAttrs[what]; attr != "" && m.IsUnknown(attr) {
			return nil // not known until apply: the loader has warned
		}
		if m.IsOutside() {
			return nil // an element outside the input: what it refers to is not known
		}
		v.errorf(m, "%s is not set", what)
		return nil
	}
	x := table[id]
	if x == nil {
		v.errorf(m, "%s %s does not exist", what, id)
	}
	return x
}

func (v *validator) vpcRef(m *Meta, what, id string) *VPC {
	return lookup(v, m, what, id, v.ix.VPCs)
}

func (v *validator) subnets() {
	byVPC := map[string][]*Subnet{}
	for _, s := range v.n.Subnets {
		vpc := v.vpcRef(&s.Meta, "VPC", s.VPCID)
		if !s.CIDR.IsValid() && !s.IPv6CIDR.IsValid() && !s.IsUnknown("cidr_block") && !s.IsUnknown("ipv6_cidr_block") && !s.IsOutside() {
			v.errorf(&s.Meta, "subnet has no CIDR block")
		}
		if s.CIDR.IsValid() && v.block(&s.Meta, "CIDR block", s.CIDR, false, 16, 28, 1) && vpc != nil && !within(s.CIDR, vpc.CIDRs) {
			v.errorf(&s.Meta, "CIDR block %s is outside the CIDR blocks of %s (%s)", s.CIDR, vpc.Label(), joinPrefixes(vpc.CIDRs))
		}
		if s.IPv6CIDR.IsValid() && v.block(&s.Meta, "IPv6 CIDR block", s.IPv6CIDR, true, 44, 64, 4) && vpc != nil && !within(s.IPv6CIDR, vpc.IPv6CIDRs) {
			v.errorf(&s.Meta, "IPv6 CIDR block %s is outside the IPv6 blocks of %s (%s)", s.IPv6CIDR, vpc.Label(), joinPrefixes(vpc.IPv6CIDRs))
		}
		byVPC[s.VPCID] = append(byVPC[s.VPCID], s)
	}
	for _, ss := range byVPC {
		// After sorting by start address, a block overlaps an earlier one
		// exactly when it starts before the furthest end seen so far, so one
		// pass finds every overlapping block (a large block is compared with
		// every later block it covers, not only with its neighbour).
		for _, fam := range []func(*Subnet) netip.Prefix{
			func(s *Subnet) netip.Prefix { return s.CIDR },
			func(s *Subnet) netip.Prefix { return s.IPv6CIDR },
		} {
			var withP []*Subnet
			for _, s := range ss {
				if p := fam(s); p.IsValid() {
					withP = append(withP, s)
				}
			}
			sort.SliceStable(withP, func(i, j int) bool { return fam(withP[i]).Addr().Less(fam(withP[j]).Addr()) })
			var reach *Subnet // the earlier subnet whose block ends last
			for _, b := range withP {
				if reach != nil && fam(reach).Overlaps(fam(b)) {
					v.errorf(&b.Meta, "CIDR block %s overlaps %s of %s", fam(b), fam(reach), reach.Describe())
				}
				if reach == nil || LastAddr(fam(reach)).Less(LastAddr(fam(b))) {
					reach = b
				}
			}
		}
	}
}

func (v *validator) routeTables() {
	mains := map[string]*RouteTable{}
	assoc := map[string]*RouteTable{}
	for _, rt := range v.n.RouteTables {
		v.vpcRef(&rt.Meta, "VPC", rt.VPCID)
		if rt.Main {
			if other := mains[rt.VPCID]; other != nil {
				v.errorf(&rt.Meta, "VPC %s has two main route tables (also %s)", rt.VPCID, other.Label())
			}
			mains[rt.VPCID] = rt
		}
		for i := range rt.Associations {
			a := &rt.Associations[i]
			m := orMeta(&a.Meta, &rt.Meta)
			switch {
			case a.SubnetID != "":
				s := v.ix.Subnets[a.SubnetID]
				if s == nil {
					v.errorf(m, "association names subnet %s, which does not exist", a.SubnetID)
					continue
				}
				if s.VPCID != rt.VPCID && !rt.IsOutside() && !s.IsOutside() {
					v.errorf(m, "associates subnet %s of VPC %s with a route table of VPC %s", s.Label(), s.VPCID, rt.VPCID)
				}
				if other := assoc[a.SubnetID]; other != nil && other != rt {
					v.errorf(m, "subnet %s is associated with two route tables (also %s)", s.Label(), other.Label())
				}
				assoc[a.SubnetID] = rt
			case a.GatewayID != "":
				if v.ix.InternetGateways[a.GatewayID] == nil && v.ix.VPNGateways[a.GatewayID] == nil {
					v.errorf(m, "edge association names gateway %s, which does not exist", a.GatewayID)
				}
			default:
				v.errorf(m, "association names neither a subnet nor a gateway")
			}
		}
		seen := map[string]*Route{}
		for i := range rt.Routes {
			r := &rt.Routes[i]
			m := orMeta(&r.Meta, &rt.Meta)
			key := r.DestinationPrefixListID
			switch {
			case r.DestinationPrefixListID != "" && r.Destination.IsValid():
				v.errorf(m, "route has both a CIDR and a prefix-list destination")
			case r.DestinationPrefixListID != "":
				if v.ix.PrefixLists[r.DestinationPrefixListID] == nil {
					v.errorf(m, "route destination prefix list %s does not exist", r.DestinationPrefixListID)
				}
			default:
				if !v.prefix(m, "route destination", r.Destination) {
					continue
				}
				key = r.Destination.String()
			}
			if prev := seen[key]; prev != nil {
				v.errorf(m, "route table has two routes to %s (also %s)", key, prev.Target.ID)
			}
			seen[key] = r
			if !r.Blackhole {
				v.routeTarget(m, rt, r)
			}
		}
	}
}

func (v *validator) routeTarget(m *Meta, rt *RouteTable, r *Route) {
	id := r.Target.ID
	missing := func(what string) {
		v.errorf(m, "route to %s targets %s %s, which does not exist", routeDest(r), what, id)
	}
	switch r.Target.Kind {
	case TargetLocal:
	case TargetInternetGateway:
		igw := v.ix.InternetGateways[id]
		if igw == nil {
			missing("internet gateway")
		} else if igw.VPCID != rt.VPCID && !rt.IsOutside() && !igw.IsOutside() {
			v.errorf(m, "route to %s targets internet gateway %s, which is not attached to VPC %s", routeDest(r), igw.Label(), rt.VPCID)
		}
	case TargetEgressOnlyGateway:
		if v.ix.EgressOnly[id] == nil {
			missing("egress-only internet gateway")
		} else if r.Destination.IsValid() && r.Destination.Addr().Is4() {
			v.errorf(m, "route to %s targets egress-only gateway %s, which carries IPv6 only", routeDest(r), id)
		}
	case TargetNATGateway:
		if v.ix.NATGateways[id] == nil {
			missing("NAT gateway")
		}
	case TargetPeering:
		pcx := v.ix.Peerings[id]
		if pcx == nil {
			missing("VPC peering connection")
		} else if _, ok := pcx.Peer(rt.VPCID); !ok && !rt.IsOutside() {
			v.errorf(m, "route to %s targets peering connection %s, which does not involve VPC %s", routeDest(r), id, rt.VPCID)
		}
	case TargetTransitGateway:
		if v.ix.TransitGateways[id] == nil {
			missing("transit gateway")
		}
	case TargetVPNGateway:
		if v.ix.VPNGateways[id] == nil {
			missing("VPN gateway")
		}
	case TargetGatewayEndpoint, TargetEndpoint:
		if v.ix.Endpoints[id] == nil {
			missing("VPC endpoint")
		}
	case TargetNetworkInterface:
		if v.ix.Interfaces[id] == nil {
			missing("network interface")
		}
	case TargetInstance:
		if v.ix.Instances[id] == nil {
			missing("instance")
		}
	case TargetCarrierGateway, TargetLocalGateway, TargetCoreNetwork:
		// Not modelled: the engines report them as unsupported components.
	default:
		v.errorf(m, "route to %s has no target", routeDest(r))
	}
}

func routeDest(r *Route) string {
	if r.DestinationPrefixListID != "" {
		return r.DestinationPrefixListID
	}
	return r.Destination.String()
}

func (v *validator) acls() {
	defaults := map[string]*NetworkACL{}
	assoc := map[string]*NetworkACL{}
	for _, acl := range v.n.NetworkACLs {
		v.vpcRef(&acl.Meta, "VPC", acl.VPCID)
		if acl.Default {
			if other := defaults[acl.VPCID]; other != nil {
				v.errorf(&acl.Meta, "VPC %s has two default network ACLs (also %s)", acl.VPCID, other.Label())
			}
			defaults[acl.VPCID] = acl
		}
		for i := range acl.Associations {
			a := &acl.Associations[i]
			m := orMeta(&a.Meta, &acl.Meta)
			s := v.ix.Subnets[a.SubnetID]
			if s == nil {
				v.errorf(m, "association names subnet %s, which does not exist", a.SubnetID)
				continue
			}
			if s.VPCID != acl.VPCID && !acl.IsOutside() && !s.IsOutside() {
				v.errorf(m, "associates subnet %s of VPC %s with a network ACL of VPC %s", s.Label(), s.VPCID, acl.VPCID)
			}
			if other := assoc[a.SubnetID]; other != nil && other != acl {
				v.errorf(m, "subnet %s is associated with two network ACLs (also %s)", s.Label(), other.Label())
			}
			assoc[a.SubnetID] = acl
		}
		for _, list := range []struct {
			dir   Direction
			rules []ACLRule
		}{{Ingress, acl.Ingress}, {Egress, acl.Egress}} {
			type key struct {
				n  int
				v6 bool
			}
			seen := map[key]*ACLRule{}
			for i := range list.rules {
				r := &list.rules[i]
				m := orMeta(&r.Meta, &acl.Meta)
				// Engines read the direction from the rule, messages too:
				// a rule filed under the other direction is a loader bug
				// that would otherwise filter the wrong traffic silently.
				if r.Direction != list.dir {
					v.errorf(m, "rule %d is listed as %s but has direction %s", r.Number, list.dir, r.Direction)
				}
				if r.Number < 1 || (r.Number > 32766 && !isStarRule(r)) {
					v.errorf(m, "%s rule number %d is outside 1-32766", r.Direction, r.Number)
				}
				if r.Action != Allow && r.Action != Deny {
					v.errorf(m, "%s rule %d has no valid action", r.Direction, r.Number)
				}
				if !r.Protocol.Valid() {
					v.errorf(m, "%s rule %d has no valid protocol", r.Direction, r.Number)
				}
				if r.Protocol.HasPorts() && !r.Ports.Valid() {
					v.errorf(m, "%s rule %d has port range %d-%d, whose first port is above its last", r.Direction, r.Number, r.Ports.First, r.Ports.Last)
				}
				if !v.prefix(m, fmt.Sprintf("%s rule %d CIDR", r.Direction, r.Number), r.CIDR) {
					continue
				}
				// The "*" rule exists once per address family.
				k := key{r.Number, r.IsStar() && r.CIDR.Addr().Is6()}
				if prev := seen[k]; prev != nil {
					v.errorf(m, "%s rule number %d is used twice%s", r.Direction, r.Number, alsoAt(&prev.Meta, m))
				} else {
					seen[k] = r
				}
			}
		}
	}
}

// isStarRule reports whether r is AWS's own final rule: number 32767, deny,
// every protocol, 0.0.0.0/0 or ::/0. Rule numbers a user may give run from 1
// to 32766 and "the range 32767 to 65535 is reserved for internal use"
// (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateNetworkAclEntry.html);
// AWS's describe calls list the "*" rule with number 32767, so a loader may
// pass it on, but a rule with that number and any other effect was not made
// by AWS.
func isStarRule(r *ACLRule) bool {
	return r.IsStar() && r.Action == Deny && r.Protocol == ProtocolAll && r.CIDR.IsValid() && r.CIDR.Bits() == 0
}

func (v *validator) sgRules(sg *SecurityGroup, dir Direction, rules []SGRule) {
	for i := range rules {
		r := &rules[i]
		m := orMeta(&r.Meta, &sg.Meta)
		if r.Direction != dir {
			v.errorf(m, "rule is listed as %s but has direction %s", dir, r.Direction)
		}
		if !r.Protocol.Valid() {
			v.errorf(m, "%s rule has no valid protocol", r.Direction)
		}
		if r.Protocol.HasPorts() && !r.Ports.Valid() {
			v.errorf(m, "%s rule has port range %d-%d, whose first port is above its last", r.Direction, r.Ports.First, r.Ports.Last)
		}
		switch r.Peer.Kind {
		case PeerCIDR:
			v.prefix(m, r.Direction.String()+" rule CIDR", r.Peer.CIDR)
		case PeerPrefixList:
			if v.ix.PrefixLists[r.Peer.PrefixListID] == nil {
				v.warnf(m, "%s rule references prefix list %s, which is not in the network: it matches nothing here", r.Direction, r.Peer.PrefixListID)
			}
		case PeerSecurityGroup:
			if v.ix.SecurityGroups[r.Peer.GroupID] == nil {
				v.warnf(m, "%s rule references security group %s, which is not in the network: its members are unknown", r.Direction, r.Peer.GroupID)
			}
		default:
			v.errorf(m, "%s rule has no source or destination", r.Direction)
		}
	}
}

func (v *validator) securityGroups() {
	for _, sg := range v.n.SecurityGroups {
		v.vpcRef(&sg.Meta, "VPC", sg.VPCID)
		v.sgRules(sg, Ingress, sg.Ingress)
		v.sgRules(sg, Egress, sg.Egress)
	}
}

func (v *validator) interfaces() {
	type owner struct {
		vpc  string
		addr netip.Addr
	}
	private := map[owner]*NetworkInterface{}
	public := map[netip.Addr]*NetworkInterface{}
	for _, e := range v.n.Interfaces {
		// A NAT gateway's synthesised interface repeats the gateway's subnet
		// and address, which gateways() checks: report a problem with them
		// once, at the gateway the user declared.
		derived := e.Synthetic != "" && e.OwnerKind == OwnerNATGateway && v.ix.NATGateways[e.OwnerID] != nil
		var s *Subnet
		if derived {
			s = v.ix.Subnets[e.SubnetID]
		} else {
			s = lookup(v, &e.Meta, "subnet", e.SubnetID, v.ix.Subnets)
		}
		if len(e.PrivateIPs) == 0 && len(e.IPv6Addrs) == 0 && !e.IsUnknown("private_ip") && !e.IsOutside() {
			v.errorf(&e.Meta, "network interface has no address")
		}
		for _, a := range append(append([]netip.Addr{}, e.PrivateIPs...), e.IPv6Addrs...) {
			if !a.IsValid() {
				v.errorf(&e.Meta, "an address is missing or invalid")
				continue
			}
			if s != nil {
				if !derived {
					v.hostAddr(&e.Meta, s, a)
				}
				k := owner{s.VPCID, a}
				if other := private[k]; other != nil {
					v.errorf(&e.Meta, "address %s is also used by %s", a, other.Label())
				}
				private[k] = e
			}
		}
		for _, p := range e.PublicIPs {
			if !e.Owns(p.Private) {
				v.errorf(&e.Meta, "public address %s maps to %s, which is not an address of this interface", p.Public, p.Private)
			}
			if other := public[p.Public]; other != nil && other != e {
				v.errorf(&e.Meta, "public address %s is also used by %s", p.Public, other.Label())
			}
			public[p.Public] = e
		}
		for _, id := range e.SecurityGroupIDs {
			sg := v.ix.SecurityGroups[id]
			if sg == nil {
				v.errorf(&e.Meta, "security group %s does not exist", id)
			} else if s != nil && sg.VPCID != s.VPCID && !sg.IsOutside() && !s.IsOutside() {
				v.errorf(&e.Meta, "security group %s belongs to VPC %s, not to the interface's VPC %s", sg.Label(), sg.VPCID, s.VPCID)
			}
		}
	}
	for _, in := range v.n.Instances {
		if len(in.InterfaceIDs) == 0 && !in.IsOutside() {
			v.errorf(&in.Meta, "instance has no network interface")
		}
		for _, id := range in.InterfaceIDs {
			if v.ix.Interfaces[id] == nil {
				v.errorf(&in.Meta, "network interface %s does not exist", id)
			}
		}
	}
	eipAddrs := map[netip.Addr]*ElasticIP{}
	for _, eip := range v.n.ElasticIPs {
		if other := eipAddrs[eip.PublicIP]; other != nil && eip.PublicIP.IsValid() {
			v.errorf(&eip.Meta, "public address %s is also used by %s", eip.PublicIP, other.Label())
		} else {
			eipAddrs[eip.PublicIP] = eip
		}
		// Both references are optional (an Elastic IP may be unassociated);
		// an instance association lands on the instance's primary interface.
		var e *NetworkInterface
		if eip.InstanceID != "" {
			if in := lookup(v, &eip.Meta, "instance", eip.InstanceID, v.ix.Instances); in != nil && len(in.InterfaceIDs) > 0 {
				e = v.ix.Interfaces[in.InterfaceIDs[0]]
			}
		}
		if eip.InterfaceID != "" {
			e = lookup(v, &eip.Meta, "network interface", eip.InterfaceID, v.ix.Interfaces)
		}
		if e != nil && eip.PrivateIP.IsValid() && !e.Owns(eip.PrivateIP) {
			v.errorf(&eip.Meta, "private address %s is not an address of %s", eip.PrivateIP, e.Label())
		}
	}
}

// hostAddr checks that a lies in s and is not one of the addresses AWS
// reserves in every subnet block, IPv4 and IPv6 alike (IsReservedAddr).
func (v *validator) hostAddr(m *Meta, s *Subnet, a netip.Addr) {
	p, fam, attr := s.CIDR, "IPv4", "cidr_block"
	if a.Is6() {
		p, fam, attr = s.IPv6CIDR, "IPv6", "ipv6_cidr_block"
	}
	switch {
	case !p.IsValid() && (s.IsUnknown(attr) || s.IsOutside()):
		// The block is known only after apply, or the subnet is outside
		// the input: nothing to check against.
	case !p.IsValid():
		v.errorf(m, "address %s is outside subnet %s, which has no %s CIDR block", a, s.Label(), fam)
	case !p.Contains(a):
		v.errorf(m, "address %s is outside subnet %s (%s)", a, s.Label(), p)
	case IsReservedAddr(p, a):
		v.errorf(m, "address %s is reserved by AWS in subnet %s (%s: the first four and the last address)", a, s.Label(), p)
	}
}

func (v *validator) gateways() {
	igwVPC := map[string]*InternetGateway{}
	for _, g := range v.n.InternetGateways {
		if g.VPCID == "" {
			continue
		}
		v.vpcRef(&g.Meta, "VPC", g.VPCID)
		if other := igwVPC[g.VPCID]; other != nil {
			v.errorf(&g.Meta, "VPC %s has two internet gateways (also %s)", g.VPCID, other.Label())
		}
		igwVPC[g.VPCID] = g
	}
	for _, g := range v.n.EgressOnlyGateways {
		v.vpcRef(&g.Meta, "VPC", g.VPCID)
	}
	for _, g := range v.n.NATGateways {
		s := lookup(v, &g.Meta, "subnet", g.SubnetID, v.ix.Subnets)
		if s != nil && g.PrivateIP.IsValid() {
			v.hostAddr(&g.Meta, s, g.PrivateIP)
		}
		if !g.Private && !g.PublicIP.IsValid() && g.AllocationID == "" && !g.IsOutside() {
			v.warnf(&g.Meta, "public NAT gateway has no Elastic IP")
		}
	}
	for _, g := range v.n.VPNGateways {
		if g.VPCID != "" {
			v.vpcRef(&g.Meta, "VPC", g.VPCID)
		}
	}
	for _, c := range v.n.VPNConnections {
		switch {
		case c.VPNGatewayID != "" && v.ix.VPNGateways[c.VPNGatewayID] == nil:
			v.errorf(&c.Meta, "VPN gateway %s does not exist", c.VPNGatewayID)
		case c.TransitGatewayID != "" && v.ix.TransitGateways[c.TransitGatewayID] == nil:
			v.errorf(&c.Meta, "transit gateway %s does not exist", c.TransitGatewayID)
		case c.VPNGatewayID == "" && c.TransitGatewayID == "" && !c.IsOutside():
			v.warnf(&c.Meta, "VPN connection is attached to neither a VPN gateway nor a transit gateway")
		}
		if c.CustomerGatewayID != "" && v.ix.CustomerGateways[c.CustomerGatewayID] == nil {
			v.errorf(&c.Meta, "customer gateway %s does not exist", c.CustomerGatewayID)
		}
		for _, p := range c.OnPremCIDRs {
			v.prefix(&c.Meta, "on-premises CIDR", p)
		}
	}
}

func (v *validator) transit() {
	for _, a := range v.n.TGWAttachments {
		lookup(v, &a.Meta, "transit gateway", a.TransitGatewayID, v.ix.TransitGateways)
		switch a.Kind {
		case TGWAttachVPC:
			vpc := v.vpcRef(&a.Meta, "VPC", a.VPCID)
			zones := map[string]string{}
			for _, id := range a.SubnetIDs {
				s := v.ix.Subnets[id]
				if s == nil {
					v.errorf(&a.Meta, "subnet %s does not exist", id)
					continue
				}
				if vpc != nil && s.VPCID != vpc.ID {
					v.errorf(&a.Meta, "subnet %s belongs to VPC %s, not to the attached VPC %s", s.Label(), s.VPCID, vpc.ID)
				}
				if z := s.Zone(); z != "" {
					if other, dup := zones[z]; dup {
						v.errorf(&a.Meta, "subnets %s and %s are in the same availability zone %s; an attachment takes one subnet per zone", other, s.Label(), z)
					}
					zones[z] = s.Label()
				}
			}
			if len(a.SubnetIDs) == 0 && !a.IsUnknown("subnet_ids") && !a.IsOutside() {
				v.errorf(&a.Meta, "VPC attachment names no subnet")
			}
		case TGWAttachPeering:
			if v.ix.TransitGateways[a.PeerTransitGatewayID] == nil {
				d := diagf(SeverityWarning, &a.Meta, "peer transit gateway %s is not in the network: traffic across the peering leaves the estate", a.PeerTransitGatewayID)
				d.About = a.PeerTransitGatewayID
				v.ds = append(v.ds, d)
			}
		case TGWAttachVPN:
			lookup(v, &a.Meta, "VPN connection", a.VPNConnectionID, v.ix.VPNConnections)
		case TGWAttachDirectConnect, TGWAttachConnect:
		default:
			if !a.IsOutside() {
				v.errorf(&a.Meta, "attachment has no valid kind")
			}
		}
	}
	// A peering attachment has one ID and an end on each gateway, each end
	// associated with a table of its own gateway.
	type end struct{ attachment, tgw string }
	assoc := map[end]*TGWRouteTable{}
	for _, rt := range v.n.TGWRouteTables {
		lookup(v, &rt.Meta, "transit gateway", rt.TransitGatewayID, v.ix.TransitGateways)
		links := func(what string, ls []TGWRouteTableLink, unique bool) {
			for i := range ls {
				l := &ls[i]
				m := orMeta(&l.Meta, &rt.Meta)
				a := v.ix.TGWAttachments[l.AttachmentID]
				if a == nil {
					v.errorf(m, "%s names attachment %s, which does not exist", what, l.AttachmentID)
					continue
				}
				peerEnd := a.Kind == TGWAttachPeering && a.PeerTransitGatewayID == rt.TransitGatewayID
				if a.TransitGatewayID != rt.TransitGatewayID && !peerEnd {
					v.errorf(m, "%s names attachment %s of transit gateway %s, not of %s", what, l.AttachmentID, a.TransitGatewayID, rt.TransitGatewayID)
				}
				if unique {
					k := end{l.AttachmentID, rt.TransitGatewayID}
					if other := assoc[k]; other != nil && other != rt {
						v.errorf(m, "attachment %s is associated with two route tables (also %s)", l.AttachmentID, other.Label())
					}
					assoc[k] = rt
				}
			}
		}
		links("association", rt.Associations, true)
		links("propagation", rt.Propagations, false)
		for i := range rt.Routes {
			r := &rt.Routes[i]
			m := orMeta(&r.Meta, &rt.Meta)
			v.prefix(m, "route destination", r.Destination)
			switch {
			case r.Blackhole:
			case r.AttachmentID == "":
				v.errorf(m, "route to %s has no target attachment", r.Destination)
			case v.ix.TGWAttachments[r.AttachmentID] == nil:
				v.errorf(m, "route to %s targets attachment %s, which does not exist", r.Destination, r.AttachmentID)
			}
		}
	}
}

func (v *validator) peerings() {
	for _, p := range v.n.PeeringConnections {
		a, b := v.ix.VPCs[p.RequesterVPCID], v.ix.VPCs[p.AccepterVPCID]
		if p.IsOutside() {
			continue // only the end the input routes from is known
		}
		if a == nil && b == nil {
			v.errorf(&p.Meta, "neither VPC %s nor VPC %s is in the network", p.RequesterVPCID, p.AccepterVPCID)
			continue
		}
		if a == nil || b == nil {
			missing := p.RequesterVPCID
			if b == nil {
				missing = p.AccepterVPCID
			}
			d := diagf(SeverityWarning, &p.Meta, "peer VPC %s is not in the network: traffic to it leaves the estate", missing)
			d.About = missing
			v.ds = append(v.ds, d)
			continue
		}
		for _, x := range a.AllCIDRs() {
			for _, y := range b.AllCIDRs() {
				if x.Overlaps(y) {
					v.errorf(&p.Meta, "peered VPCs %s and %s have overlapping CIDR blocks %s and %s, which AWS refuses", a.Label(), b.Label(), x, y)
				}
			}
		}
	}
}

func (v *validator) endpoints() {
	for _, e := range v.n.Endpoints {
		v.vpcRef(&e.Meta, "VPC", e.VPCID)
		for _, id := range e.RouteTableIDs {
			if v.ix.RouteTables[id] == nil {
				v.errorf(&e.Meta, "route table %s does not exist", id)
			}
		}
		for _, id := range e.SubnetIDs {
			if v.ix.Subnets[id] == nil {
				v.errorf(&e.Meta, "subnet %s does not exist", id)
			}
		}
		for _, id := range e.SecurityGroupIDs {
			if v.ix.SecurityGroups[id] == nil {
				v.errorf(&e.Meta, "security group %s does not exist", id)
			}
		}
		for _, id := range e.InterfaceIDs {
			if v.ix.Interfaces[id] == nil {
				v.errorf(&e.Meta, "network interface %s does not exist", id)
			}
		}
		if e.Type < EndpointGateway || e.Type > EndpointGatewayLoadBalancer {
			v.errorf(&e.Meta, "endpoint has no valid type")
		}
	}
	for _, pl := range v.n.PrefixLists {
		for _, p := range pl.Entries {
			v.prefix(&pl.Meta, "entry", p)
		}
	}
}

// alsoAt points from a duplicate (reported at m) to the first element with
// its key: " (also at file:line)" when that has a position, " (also label)"
// when it has a name of its own, else nothing, as both are then reported at
// the same container.
func alsoAt(first, m *Meta) string {
	switch {
	case !first.Pos.IsZero() && first.Pos != m.Pos:
		return " (also at " + first.Pos.String() + ")"
	case first.Label() != "" && first.Label() != m.Label():
		return " (also " + first.Label() + ")"
	}
	return ""
}

// orMeta returns m when it identifies something, else the parent's Meta, so
// that a rule or association without its own address is reported at its
// container.
func orMeta(m, parent *Meta) *Meta {
	if m.Address != "" || !m.Pos.IsZero() || m.ID != "" {
		return m
	}
	return parent
}

func within(p netip.Prefix, blocks []netip.Prefix) bool {
	for _, b := range blocks {
		if b.Bits() <= p.Bits() && b.Contains(p.Addr()) {
			return true
		}
	}
	return false
}

func joinPrefixes(ps []netip.Prefix) string {
	if len(ps) == 0 {
		return "none"
	}
	s := ""
	for i, p := range ps {
		if i > 0 {
			s += ", "
		}
		s += p.String()
	}
	return s
}

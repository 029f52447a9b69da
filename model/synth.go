package model

import (
	"net/netip"
	"slices"
)

// Reasons recorded in Meta.Synthetic, one per rule of AWS that Synthesize
// applies.
const (
	SynthMainRouteTable   = "every VPC has a main route table"
	SynthLocalRoute       = "every route table has a local route for each VPC CIDR block"
	SynthDefaultACL       = "every VPC has a default network ACL that allows all traffic"
	SynthStarRule         = "every network ACL ends with a rule that denies what no other rule matched"
	SynthDefaultSG        = "every VPC has a default security group: in from itself, out to anywhere"
	SynthEndpointRoute    = "a gateway endpoint adds a route to its service's prefix list in each of its route tables"
	SynthEndpointPL       = "a gateway endpoint's service has an AWS-managed prefix list"
	SynthPropagatedRoute  = "a virtual private gateway propagates its VPN routes into the tables that enable propagation"
	SynthTGWDefaultTable  = "a transit gateway with default association or propagation has a default route table"
	SynthTGWDefaultAssoc  = "an attachment is associated with the transit gateway's default route table"
	SynthTGWDefaultProp   = "an attachment propagates into the transit gateway's default route table"
	SynthNATInterface     = "a NAT gateway has a requester-managed network interface"
	SynthElasticIPMapping = "an associated Elastic IP maps to a private address of its interface"
	// SynthClassicTargets is the reason of the target groups a loader
	// makes for a Classic Load Balancer, which has none in AWS.
	SynthClassicTargets = "a Classic Load Balancer sends to its instances on each listener's instance port"
)

// Synthesize adds what AWS creates implicitly but inputs leave out, each
// element marked with Meta.Synthetic naming the AWS behaviour:
//
//   - a main route table, default network ACL and default security group for
//     every VPC that lacks one (marking the tables the VPC names as main or
//     default when they are present);
//   - the local route of every VPC CIDR block in every route table;
//   - the final "*" deny rule of every network ACL, IPv4 and IPv6, both ways;
//   - the routes of gateway endpoints and propagating VPN gateways;
//   - transit gateway default route tables, associations and propagations;
//   - the interfaces of NAT gateways and the public addresses of associated
//     Elastic IPs;
//   - the VPC's default security group on every interface that names no
//     group and that AWS gives one (GetsDefaultSecurityGroup), each with a
//     note among the returned diagnostics.
//
// It is idempotent: a second call adds nothing and returns nothing. Loaders
// call it once the input is read; tests that build networks by hand call it
// too.
func (n *Network) Synthesize() Diagnostics {
	n.SynthesizeImplicit()
	// Later steps refer to what SynthesizeImplicit created (a gateway
	// endpoint may name the VPC's main route table by an ID only the VPC
	// knew), so they need an index that includes it: with a stale one, the
	// endpoint route would appear only on a second call.
	ix := n.Index()
	n.synthEndpoints(ix)
	for _, rt := range n.RouteTables {
		if vpc := ix.VPCs[rt.VPCID]; vpc != nil {
			addLocalRoutes(rt, vpc)
		}
	}
	n.synthPropagation(ix)
	for _, acl := range n.NetworkACLs {
		addStarRules(acl)
	}
	n.synthTGWLinks(ix)
	n.synthNATInterfaces(ix)
	ix = n.Index()
	n.synthElasticIPs(ix)
	return n.synthDefaultGroups(ix)
}

// GetsDefaultSecurityGroup reports whether AWS attaches its VPC's default
// security group to interface x when x is created naming none. AWS does so
// for instances and standalone interfaces, for interface endpoints
// (CreateVpcEndpoint's SecurityGroupIds: "If this parameter is not specified,
// we use the default security group for the VPC") and for Lambda functions;
// it does not for the requester-managed interfaces of NAT gateways and
// transit gateway attachments, nor for Gateway Load Balancer endpoints, whose
// traffic no security group filters (security groups are a parameter of
// interface endpoints only, and a Gateway Load Balancer takes none).
//
// Of load balancers, a Classic Load Balancer created without groups in a
// VPC gets the VPC's default group ("Configure security groups for your
// Classic Load Balancer"), as does an Application Load Balancer; a Network
// Load Balancer created without groups has none, and a Gateway Load
// Balancer never has any. Instances an Auto Scaling group launches without
// groups get the default group like any instance, and so do databases,
// caches and mount targets created without groups (their services use the
// VPC's default group when none is given).
func (ix *Index) GetsDefaultSecurityGroup(x *NetworkInterface) bool {
	switch x.OwnerKind {
	case OwnerNone, OwnerInstance, OwnerLambda, OwnerAutoScaling, OwnerService:
		return true
	case OwnerEndpoint:
		ep := ix.Endpoints[x.OwnerID]
		return ep == nil || ep.Type == EndpointInterface
	case OwnerLoadBalancer:
		lb := ix.LoadBalancers[x.OwnerID]
		return lb != nil && (lb.Type == LBApplication || lb.Type == LBClassic)
	}
	return false
}

// synthDefaultGroups gives every interface that names no security group, and
// that AWS gives the default one, its VPC's default group; an interface whose
// groups a loader could not read (SecurityGroupsUnknown) is left alone.
func (n *Network) synthDefaultGroups(ix *Index) Diagnostics {
	var ds Diagnostics
	for _, x := range n.Interfaces {
		if len(x.SecurityGroupIDs) > 0 || x.SecurityGroupsUnknown() || !ix.GetsDefaultSecurityGroup(x) {
			continue
		}
		s := ix.Subnets[x.SubnetID]
		if s == nil {
			continue
		}
		vpc := ix.VPCs[s.VPCID]
		if vpc == nil || ix.SecurityGroups[vpc.DefaultSecurityGroupID] == nil {
			continue
		}
		x.SecurityGroupIDs = []string{vpc.DefaultSecurityGroupID}
		ds = append(ds, diagf(SeverityNote, &x.Meta, "names no security group: AWS attaches the default security group %s of %s", vpc.DefaultSecurityGroupID, vpc.Label()))
	}
	return ds
}

// SynthesizeImplicit adds, of what Synthesize adds, the elements AWS creates
// together with another one and that an input may refer to by ID before it
// declares anything of them: the main route table, default network ACL and
// default security group of every VPC that lacks one, and the default route
// table of every transit gateway with default association or propagation.
// A loader calls it once the VPCs, transit gateways and the tables the input
// declares are in, so that the routes, rules and associations the input
// attaches to these implicit elements (aws_route into a VPC's
// main_route_table_id, aws_network_acl_rule into its default_network_acl_id,
// aws_ec2_transit_gateway_route into association_default_route_table_id)
// find them; Synthesize calls it too, and adds nothing twice.
func (n *Network) SynthesizeImplicit() {
	// Each step needs only the kinds it looks up, not a whole Index: loading
	// calls this three times, and the whole Index was a tenth of loading.
	n.synthVPCDefaults(&Index{
		RouteTables:    indexOf(n.RouteTables, func(x *RouteTable) *Meta { return &x.Meta }, nil),
		NetworkACLs:    indexOf(n.NetworkACLs, func(x *NetworkACL) *Meta { return &x.Meta }, nil),
		SecurityGroups: indexOf(n.SecurityGroups, func(x *SecurityGroup) *Meta { return &x.Meta }, nil),
	})
	n.synthTGWTables(&Index{TGWRouteTables: indexOf(n.TGWRouteTables, func(x *TGWRouteTable) *Meta { return &x.Meta }, nil)})
}

func (n *Network) synthVPCDefaults(ix *Index) {
	hasMain, hasACL, hasSG := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, vpc := range n.VPCs {
		if rt := ix.RouteTables[vpc.MainRouteTableID]; rt != nil && rt.VPCID == vpc.ID {
			rt.Main = true
		}
		if acl := ix.NetworkACLs[vpc.DefaultNetworkACLID]; acl != nil && acl.VPCID == vpc.ID {
			acl.Default = true
		}
		if sg := ix.SecurityGroups[vpc.DefaultSecurityGroupID]; sg != nil && sg.VPCID == vpc.ID {
			sg.Default = true
		}
	}
	for _, rt := range n.RouteTables {
		hasMain[rt.VPCID] = hasMain[rt.VPCID] || rt.Main
	}
	for _, acl := range n.NetworkACLs {
		hasACL[acl.VPCID] = hasACL[acl.VPCID] || acl.Default
	}
	for _, sg := range n.SecurityGroups {
		hasSG[sg.VPCID] = hasSG[sg.VPCID] || sg.Default
	}
	for _, vpc := range n.VPCs {
		// The implicit elements of a VPC outside the input are outside it
		// too: they get AWS's defaults, as the best that is known.
		outside := outsideOf(&vpc.Meta)
		if !hasMain[vpc.ID] {
			if vpc.MainRouteTableID == "" {
				vpc.MainRouteTableID = vpc.ID + "/main-route-table"
			}
			n.RouteTables = append(n.RouteTables, &RouteTable{
				Meta:  Meta{ID: vpc.MainRouteTableID, Name: "main route table of " + vpc.Label(), Synthetic: SynthMainRouteTable, Outside: outside},
				VPCID: vpc.ID, Main: true,
			})
		}
		if !hasACL[vpc.ID] {
			if vpc.DefaultNetworkACLID == "" {
				vpc.DefaultNetworkACLID = vpc.ID + "/default-network-acl"
			}
			acl := &NetworkACL{
				Meta:  Meta{ID: vpc.DefaultNetworkACLID, Name: "default network ACL of " + vpc.Label(), Synthetic: SynthDefaultACL, Outside: outside},
				VPCID: vpc.ID, Default: true,
			}
			for _, d := range []Direction{Ingress, Egress} {
				rules := []ACLRule{allowAll(100, d, netip.MustParsePrefix("0.0.0.0/0"))}
				if len(vpc.IPv6CIDRs) > 0 {
					rules = append(rules, allowAll(101, d, netip.MustParsePrefix("::/0")))
				}
				if d == Ingress {
					acl.Ingress = rules
				} else {
					acl.Egress = rules
				}
			}
			n.NetworkACLs = append(n.NetworkACLs, acl)
		}
		if !hasSG[vpc.ID] {
			if vpc.DefaultSecurityGroupID == "" {
				vpc.DefaultSecurityGroupID = vpc.ID + "/default-security-group"
			}
			m := Meta{Synthetic: SynthDefaultSG}
			sg := &SecurityGroup{
				Meta:  Meta{ID: vpc.DefaultSecurityGroupID, Name: "default", Synthetic: SynthDefaultSG, Outside: outside},
				VPCID: vpc.ID, GroupName: "default", Default: true,
				Ingress: []SGRule{{Meta: m, Direction: Ingress, Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP,
					Peer: SGPeer{Kind: PeerSecurityGroup, GroupID: vpc.DefaultSecurityGroupID, Self: true}}},
				Egress: []SGRule{{Meta: m, Direction: Egress, Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP,
					Peer: SGPeer{Kind: PeerCIDR, CIDR: netip.MustParsePrefix("0.0.0.0/0")}}},
			}
			if len(vpc.IPv6CIDRs) > 0 {
				sg.Egress = append(sg.Egress, SGRule{Meta: m, Direction: Egress, Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP,
					Peer: SGPeer{Kind: PeerCIDR, CIDR: netip.MustParsePrefix("::/0")}})
			}
			n.SecurityGroups = append(n.SecurityGroups, sg)
		}
	}
}

func allowAll(num int, d Direction, p netip.Prefix) ACLRule {
	return ACLRule{Meta: Meta{Synthetic: SynthDefaultACL}, Number: num, Direction: d, Action: Allow,
		Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP, CIDR: p}
}

// maskedValid returns p without host bits, and false when p is invalid.
// Synthesised routes copy blocks from the input: Validate reports a block
// with host bits once, at the element that declared it, and the copies must
// not repeat the error in every route table.
func maskedValid(p netip.Prefix) (netip.Prefix, bool) {
	return p.Masked(), p.IsValid()
}

func addLocalRoutes(rt *RouteTable, vpc *VPC) {
	for _, p := range vpc.AllCIDRs() {
		p, ok := maskedValid(p)
		if !ok {
			continue
		}
		if slices.ContainsFunc(rt.Routes, func(r Route) bool { return r.Destination == p }) {
			continue
		}
		rt.Routes = append(rt.Routes, Route{
			Meta:        Meta{Synthetic: SynthLocalRoute},
			Destination: p, Target: RouteTarget{Kind: TargetLocal, ID: "local"}, Origin: OriginLocal,
		})
	}
}

func addStarRules(acl *NetworkACL) {
	for _, d := range []Direction{Ingress, Egress} {
		rules := &acl.Ingress
		if d == Egress {
			rules = &acl.Egress
		}
		for _, p := range []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")} {
			if slices.ContainsFunc(*rules, func(r ACLRule) bool { return r.IsStar() && r.CIDR == p }) {
				continue
			}
			*rules = append(*rules, ACLRule{Meta: Meta{Synthetic: SynthStarRule}, Number: ACLRuleNumberStar,
				Direction: d, Action: Deny, Protocol: ProtocolAll, Ports: AllPorts, ICMP: AnyICMP, CIDR: p})
		}
	}
}

func (n *Network) synthEndpoints(ix *Index) {
	for _, e := range n.Endpoints {
		if e.Type != EndpointGateway {
			continue
		}
		if e.PrefixListID == "" {
			e.PrefixListID = "pl-" + e.ServiceName
		}
		if ix.PrefixLists[e.PrefixListID] == nil {
			pl := &PrefixList{Meta: Meta{ID: e.PrefixListID, Name: e.ServiceName, Synthetic: SynthEndpointPL},
				AWSManaged: true, EntriesUnknown: true}
			n.PrefixLists = append(n.PrefixLists, pl)
			ix.PrefixLists[pl.ID] = pl
		}
		for _, id := range e.RouteTableIDs {
			rt := ix.RouteTables[id]
			if rt == nil || slices.ContainsFunc(rt.Routes, func(r Route) bool { return r.DestinationPrefixListID == e.PrefixListID }) {
				continue
			}
			rt.Routes = append(rt.Routes, Route{
				Meta:                    Meta{Synthetic: SynthEndpointRoute},
				DestinationPrefixListID: e.PrefixListID,
				Target:                  RouteTarget{Kind: TargetGatewayEndpoint, ID: e.ID}, Origin: OriginEndpoint,
			})
		}
	}
}

func (n *Network) synthPropagation(ix *Index) {
	for _, rt := range n.RouteTables {
		for _, vgw := range rt.PropagatingVGWs {
			for _, c := range n.VPNConnections {
				if c.VPNGatewayID != vgw {
					continue
				}
				for _, p := range c.OnPremCIDRs {
					p, ok := maskedValid(p)
					if !ok {
						continue
					}
					// A static route to the same prefix wins over a propagated one.
					if slices.ContainsFunc(rt.Routes, func(r Route) bool { return r.Destination == p }) {
						continue
					}
					rt.Routes = append(rt.Routes, Route{
						Meta:        Meta{Synthetic: SynthPropagatedRoute},
						Destination: p, Target: RouteTarget{Kind: TargetVPNGateway, ID: vgw}, Origin: OriginPropagated,
					})
				}
			}
		}
	}
}

func (n *Network) synthTGWTables(ix *Index) {
	for _, tgw := range n.TransitGateways {
		if !tgw.DefaultAssociation && !tgw.DefaultPropagation {
			continue
		}
		var def *TGWRouteTable
		for _, id := range []string{tgw.AssociationRouteTableID, tgw.PropagationRouteTableID} {
			if rt := ix.TGWRouteTables[id]; rt != nil && def == nil {
				def = rt
			}
		}
		for _, rt := range n.TGWRouteTables {
			if rt.TransitGatewayID == tgw.ID && rt.Default && def == nil {
				def = rt
			}
		}
		if def == nil {
			id := tgw.AssociationRouteTableID
			if id == "" {
				id = tgw.ID + "/default-route-table"
			}
			def = &TGWRouteTable{Meta: Meta{ID: id, Name: "default route table of " + tgw.Label(), Synthetic: SynthTGWDefaultTable},
				TransitGatewayID: tgw.ID}
			n.TGWRouteTables = append(n.TGWRouteTables, def)
			ix.TGWRouteTables[id] = def
		}
		def.Default = true
		if tgw.AssociationRouteTableID == "" {
			tgw.AssociationRouteTableID = def.ID
		}
		if tgw.PropagationRouteTableID == "" {
			tgw.PropagationRouteTableID = def.ID
		}
	}
}

func (n *Network) synthTGWLinks(ix *Index) {
	associated := map[string]bool{}
	propagates := map[string]map[string]bool{}
	for _, rt := range n.TGWRouteTables {
		for _, l := range rt.Associations {
			associated[l.AttachmentID] = true
		}
		for _, l := range rt.Propagations {
			if propagates[rt.ID] == nil {
				propagates[rt.ID] = map[string]bool{}
			}
			propagates[rt.ID][l.AttachmentID] = true
		}
	}
	for _, a := range n.TGWAttachments {
		tgw := ix.TransitGateways[a.TransitGatewayID]
		if tgw == nil {
			continue
		}
		if tgw.DefaultAssociation && a.DefaultAssociation && !associated[a.ID] {
			if rt := ix.TGWRouteTables[tgw.AssociationRouteTableID]; rt != nil {
				rt.Associations = append(rt.Associations, TGWRouteTableLink{Meta: Meta{Synthetic: SynthTGWDefaultAssoc}, AttachmentID: a.ID})
				associated[a.ID] = true
			}
		}
		// Peering attachments never propagate: their routes are static.
		if tgw.DefaultPropagation && a.DefaultPropagation && a.Kind != TGWAttachPeering {
			if rt := ix.TGWRouteTables[tgw.PropagationRouteTableID]; rt != nil && !propagates[rt.ID][a.ID] {
				rt.Propagations = append(rt.Propagations, TGWRouteTableLink{Meta: Meta{Synthetic: SynthTGWDefaultProp}, AttachmentID: a.ID})
				if propagates[rt.ID] == nil {
					propagates[rt.ID] = map[string]bool{}
				}
				propagates[rt.ID][a.ID] = true
			}
		}
	}
}

func (n *Network) synthNATInterfaces(ix *Index) {
	for _, g := range n.NATGateways {
		if g.InterfaceID != "" && ix.Interfaces[g.InterfaceID] != nil {
			continue
		}
		if g.InterfaceID == "" {
			g.InterfaceID = g.ID + "/interface"
		}
		e := &NetworkInterface{
			Meta:      Meta{ID: g.InterfaceID, Name: "interface of " + g.Label(), Synthetic: SynthNATInterface, Outside: outsideOf(&g.Meta)},
			SubnetID:  g.SubnetID,
			OwnerKind: OwnerNATGateway, OwnerID: g.ID,
		}
		if !g.PrivateIP.IsValid() {
			// Every NAT gateway has a private address: not known here,
			// it is unknown, not absent.
			e.MarkUnknown("private_ip")
		}
		if g.PrivateIP.IsValid() {
			e.PrivateIPs = []netip.Addr{g.PrivateIP}
			if g.Placeholder {
				e.Placeholders = []netip.Addr{g.PrivateIP}
			}
			if g.PublicIP.IsValid() {
				e.PublicIPs = []PublicIP{{Public: g.PublicIP, Private: g.PrivateIP, ElasticIPID: g.AllocationID,
					Placeholder: g.Placeholder, Synthetic: SynthNATInterface}}
			}
		}
		n.Interfaces = append(n.Interfaces, e)
		ix.Interfaces[e.ID] = e
	}
}

func (n *Network) synthElasticIPs(ix *Index) {
	for _, eip := range n.ElasticIPs {
		if !eip.PublicIP.IsValid() {
			continue
		}
		e := ix.Interfaces[eip.InterfaceID]
		if e == nil && eip.InstanceID != "" {
			if in := ix.Instances[eip.InstanceID]; in != nil && len(in.InterfaceIDs) > 0 {
				e = ix.Interfaces[in.InterfaceIDs[0]]
			}
		}
		if e == nil {
			continue
		}
		private := eip.PrivateIP
		if !private.IsValid() && len(e.PrivateIPs) > 0 {
			private = e.PrivateIPs[0]
		}
		// An association with an address the interface does not hold is
		// reported by Validate at the Elastic IP; mapping it anyway would
		// repeat the error at the interface.
		if !private.IsValid() || !e.Owns(private) ||
			slices.ContainsFunc(e.PublicIPs, func(p PublicIP) bool { return p.Public == eip.PublicIP }) {
			continue
		}
		// An Elastic IP replaces the auto-assigned public address of the
		// private address it is associated with.
		e.PublicIPs = slices.DeleteFunc(e.PublicIPs, func(p PublicIP) bool { return p.Private == private && p.ElasticIPID == "" })
		e.PublicIPs = append(e.PublicIPs, PublicIP{Public: eip.PublicIP, Private: private, ElasticIPID: eip.ID,
			Placeholder: eip.Placeholder, Synthetic: SynthElasticIPMapping})
	}
}

// outsideOf is the Meta.Outside of an element synthesised for parent: the
// part of an element outside the input is outside it too.
func outsideOf(parent *Meta) string {
	if !parent.IsOutside() {
		return ""
	}
	return "created by AWS with " + parent.Label() + ", which is not in the input"
}

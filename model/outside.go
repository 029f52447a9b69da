package model

import (
	"fmt"
	"strings"
)

// OutsideNote is what Describe adds to an outside element's label.
const OutsideNote = "(not in the input)"

// IsOutside reports whether the element is outside the input (see
// Meta.Outside).
func (m *Meta) IsOutside() bool { return m.Outside != "" }

// AddOutside makes every element the network refers to but does not hold an
// explicit outside element (Meta.Outside), so that a route whose target is a
// transit gateway of another stack, an interface in a subnet of another
// state or a rule naming a group of another account leads somewhere the
// engines can name, instead of nowhere. It returns a warning per element
// added, at the element that first refers to it.
//
// The kind of an outside element is the kind the reference asks for: a
// route's target kind, the subnet of an interface, the VPC of a subnet.
// What the input says of it is kept (the routes an input places in a route
// table of another stack); the rest is not known. Two references remain
// warnings and add nothing, because the engines already stop there with
// OUTSIDE_ESTATE: a peering connection's VPC that is not in the network and
// the peer transit gateway of a peering attachment.
//
// Loaders call it after mapping and before Synthesize, and after merging
// several inputs into one network, when references across them have
// resolved. It is idempotent.
func (n *Network) AddOutside() Diagnostics {
	o := &outsider{n: n, ix: n.Index(), seen: map[string]*outsideRef{}}
	o.collect()
	return o.add()
}

// outsideRef is one element to add and who refers to it.
type outsideRef struct {
	kind  string // what the element is, as diagnostics name it
	id    string
	from  *Meta  // the first element that refers to it
	what  string // how it refers: "route to 0.0.0.0/0", "subnet"
	count int
	// extra fills in what the reference says of the element (the VPC of a
	// route table the input places routes in).
	make func(m Meta)
}

type outsider struct {
	n     *Network
	ix    *Index
	seen  map[string]*outsideRef
	order []*outsideRef
}

func (o *outsider) ref(kind, id string, exists bool, from *Meta, what string, make func(Meta)) {
	if id == "" || exists {
		return
	}
	k := kind + " " + id
	if r := o.seen[k]; r != nil {
		r.count++
		return
	}
	r := &outsideRef{kind: kind, id: id, from: from, what: what, count: 1, make: make}
	o.seen[k] = r
	o.order = append(o.order, r)
}

func (o *outsider) vpc(id string, from *Meta, what string) {
	o.ref("VPC", id, o.ix.VPCs[id] != nil, from, what, func(m Meta) {
		o.n.VPCs = append(o.n.VPCs, &VPC{Meta: m})
	})
}

func (o *outsider) subnet(id string, from *Meta, what string) {
	o.ref("subnet", id, o.ix.Subnets[id] != nil, from, what, func(m Meta) {
		o.n.Subnets = append(o.n.Subnets, &Subnet{Meta: m})
	})
}

func (o *outsider) sg(id string, from *Meta, what string) {
	o.ref("security group", id, o.ix.SecurityGroups[id] != nil, from, what, func(m Meta) {
		o.n.SecurityGroups = append(o.n.SecurityGroups, &SecurityGroup{Meta: m})
	})
}

func (o *outsider) tgw(id string, from *Meta, what string) {
	o.ref("transit gateway", id, o.ix.TransitGateways[id] != nil, from, what, func(m Meta) {
		o.n.TransitGateways = append(o.n.TransitGateways, &TransitGateway{Meta: m})
	})
}

func (o *outsider) vgw(id string, from *Meta, what string) {
	o.ref("VPN gateway", id, o.ix.VPNGateways[id] != nil, from, what, func(m Meta) {
		o.n.VPNGateways = append(o.n.VPNGateways, &VPNGateway{Meta: m})
	})
}

func (o *outsider) eni(id string, from *Meta, what string) {
	o.ref("network interface", id, o.ix.Interfaces[id] != nil, from, what, func(m Meta) {
		o.n.Interfaces = append(o.n.Interfaces, &NetworkInterface{Meta: m})
	})
}

func (o *outsider) collect() {
	n := o.n
	for _, s := range n.Subnets {
		o.vpc(s.VPCID, &s.Meta, "VPC")
	}
	for _, rt := range n.RouteTables {
		o.vpc(rt.VPCID, &rt.Meta, "VPC")
		for i := range rt.Routes {
			o.routeTarget(rt, &rt.Routes[i])
		}
		for i := range rt.Associations {
			a := &rt.Associations[i]
			m := orMeta(&a.Meta, &rt.Meta)
			o.subnet(a.SubnetID, m, "association")
			if a.GatewayID != "" && o.ix.InternetGateways[a.GatewayID] == nil && o.ix.VPNGateways[a.GatewayID] == nil {
				if strings.HasPrefix(a.GatewayID, "vgw-") || strings.Contains(a.GatewayID, "aws_vpn_gateway.") {
					o.vgw(a.GatewayID, m, "edge association")
				} else {
					o.ref("internet gateway", a.GatewayID, false, m, "edge association", func(m Meta) {
						n.InternetGateways = append(n.InternetGateways, &InternetGateway{Meta: m, VPCID: rt.VPCID})
					})
				}
			}
		}
		for _, id := range rt.PropagatingVGWs {
			o.vgw(id, &rt.Meta, "route propagation")
		}
	}
	for _, acl := range n.NetworkACLs {
		o.vpc(acl.VPCID, &acl.Meta, "VPC")
		for i := range acl.Associations {
			a := &acl.Associations[i]
			o.subnet(a.SubnetID, orMeta(&a.Meta, &acl.Meta), "association")
		}
	}
	for _, sg := range n.SecurityGroups {
		o.vpc(sg.VPCID, &sg.Meta, "VPC")
		for _, rules := range [][]SGRule{sg.Ingress, sg.Egress} {
			for i := range rules {
				r := &rules[i]
				if r.Peer.Kind == PeerSecurityGroup {
					o.sg(r.Peer.GroupID, orMeta(&r.Meta, &sg.Meta), r.Direction.String()+" rule")
				}
			}
		}
	}
	for _, e := range n.Interfaces {
		o.subnet(e.SubnetID, &e.Meta, "subnet")
		for _, id := range e.SecurityGroupIDs {
			o.sg(id, &e.Meta, "security group")
		}
	}
	for _, g := range n.InternetGateways {
		o.vpc(g.VPCID, &g.Meta, "VPC")
	}
	for _, g := range n.EgressOnlyGateways {
		o.vpc(g.VPCID, &g.Meta, "VPC")
	}
	for _, g := range n.VPNGateways {
		o.vpc(g.VPCID, &g.Meta, "VPC")
	}
	for _, g := range n.NATGateways {
		o.subnet(g.SubnetID, &g.Meta, "subnet")
	}
	for _, c := range n.VPNConnections {
		o.vgw(c.VPNGatewayID, &c.Meta, "VPN gateway")
		o.tgw(c.TransitGatewayID, &c.Meta, "transit gateway")
		o.ref("customer gateway", c.CustomerGatewayID, o.ix.CustomerGateways[c.CustomerGatewayID] != nil, &c.Meta, "customer gateway", func(m Meta) {
			n.CustomerGateways = append(n.CustomerGateways, &CustomerGateway{Meta: m})
		})
	}
	for _, a := range n.TGWAttachments {
		o.tgw(a.TransitGatewayID, &a.Meta, "transit gateway")
		if a.Kind == TGWAttachVPC {
			o.vpc(a.VPCID, &a.Meta, "VPC")
			for _, id := range a.SubnetIDs {
				o.subnet(id, &a.Meta, "subnet")
			}
		}
	}
	for _, rt := range n.TGWRouteTables {
		o.tgw(rt.TransitGatewayID, &rt.Meta, "transit gateway")
		attachment := func(id string, from *Meta, what string) {
			o.ref("transit gateway attachment", id, o.ix.TGWAttachments[id] != nil, from, what, func(m Meta) {
				n.TGWAttachments = append(n.TGWAttachments, &TGWAttachment{Meta: m, TransitGatewayID: rt.TransitGatewayID})
			})
		}
		for i := range rt.Associations {
			attachment(rt.Associations[i].AttachmentID, orMeta(&rt.Associations[i].Meta, &rt.Meta), "association")
		}
		for i := range rt.Propagations {
			attachment(rt.Propagations[i].AttachmentID, orMeta(&rt.Propagations[i].Meta, &rt.Meta), "propagation")
		}
		for i := range rt.Routes {
			attachment(rt.Routes[i].AttachmentID, orMeta(&rt.Routes[i].Meta, &rt.Meta), "route to "+rt.Routes[i].Destination.String())
		}
	}
	for _, e := range n.Endpoints {
		o.vpc(e.VPCID, &e.Meta, "VPC")
		for _, id := range e.RouteTableIDs {
			o.ref("route table", id, o.ix.RouteTables[id] != nil, &e.Meta, "route table", func(m Meta) {
				n.RouteTables = append(n.RouteTables, &RouteTable{Meta: m, VPCID: e.VPCID})
			})
		}
		for _, id := range e.SubnetIDs {
			o.subnet(id, &e.Meta, "subnet")
		}
		for _, id := range e.SecurityGroupIDs {
			o.sg(id, &e.Meta, "security group")
		}
	}
	for _, eip := range n.ElasticIPs {
		o.eni(eip.InterfaceID, &eip.Meta, "association")
		o.ref("instance", eip.InstanceID, o.ix.Instances[eip.InstanceID] != nil, &eip.Meta, "association", func(m Meta) {
			n.Instances = append(n.Instances, &Instance{Meta: m})
		})
	}
}

// routeTarget refers to a route's target of the kind the route says.
func (o *outsider) routeTarget(rt *RouteTable, r *Route) {
	n, m, id := o.n, orMeta(&r.Meta, &rt.Meta), r.Target.ID
	what := "route to " + routeDest(r)
	if r.DestinationPrefixListID != "" {
		o.ref("prefix list", r.DestinationPrefixListID, o.ix.PrefixLists[r.DestinationPrefixListID] != nil, m, what, func(m Meta) {
			n.PrefixLists = append(n.PrefixLists, &PrefixList{Meta: m, EntriesUnknown: true})
		})
	}
	if r.Blackhole {
		return
	}
	switch r.Target.Kind {
	case TargetInternetGateway:
		o.ref("internet gateway", id, o.ix.InternetGateways[id] != nil, m, what, func(m Meta) {
			// A route can target only a gateway attached to its VPC.
			n.InternetGateways = append(n.InternetGateways, &InternetGateway{Meta: m, VPCID: rt.VPCID})
		})
	case TargetEgressOnlyGateway:
		o.ref("egress-only internet gateway", id, o.ix.EgressOnly[id] != nil, m, what, func(m Meta) {
			n.EgressOnlyGateways = append(n.EgressOnlyGateways, &EgressOnlyInternetGateway{Meta: m, VPCID: rt.VPCID})
		})
	case TargetNATGateway:
		o.ref("NAT gateway", id, o.ix.NATGateways[id] != nil, m, what, func(m Meta) {
			n.NATGateways = append(n.NATGateways, &NATGateway{Meta: m})
		})
	case TargetPeering:
		o.ref("VPC peering connection", id, o.ix.Peerings[id] != nil, m, what, func(m Meta) {
			// The route's VPC is one end; the other is not known.
			n.PeeringConnections = append(n.PeeringConnections, &PeeringConnection{Meta: m, RequesterVPCID: rt.VPCID})
		})
	case TargetTransitGateway:
		o.tgw(id, m, what)
	case TargetVPNGateway:
		o.vgw(id, m, what)
	case TargetGatewayEndpoint, TargetEndpoint:
		o.ref("VPC endpoint", id, o.ix.Endpoints[id] != nil, m, what, func(m Meta) {
			typ := EndpointGatewayLoadBalancer
			if r.Target.Kind == TargetGatewayEndpoint {
				typ = EndpointGateway
			}
			n.Endpoints = append(n.Endpoints, &VPCEndpoint{Meta: m, VPCID: rt.VPCID, Type: typ})
		})
	case TargetNetworkInterface:
		o.eni(id, m, what)
	case TargetInstance:
		o.ref("instance", id, o.ix.Instances[id] != nil, m, what, func(m Meta) {
			n.Instances = append(n.Instances, &Instance{Meta: m})
		})
	}
}

func (o *outsider) add() Diagnostics {
	var ds Diagnostics
	for _, r := range o.order {
		why := fmt.Sprintf("named by %s (%s)", r.from.Label(), r.what)
		if r.count > 1 {
			why += fmt.Sprintf(" and %d more", r.count-1)
		}
		// Its position is that of what names it, the only place the input
		// speaks of it.
		r.make(Meta{ID: r.id, Name: r.kind + " " + r.id + " " + OutsideNote, Pos: r.from.Pos, Outside: why})
		ds = append(ds, Diagnostic{Severity: SeverityWarning, Pos: r.from.Pos, Element: r.from.Label(),
			Message: fmt.Sprintf("%s %s is not in the input: it is kept as an element outside the input, and traffic that reaches it leaves what vpcsim can see", r.kind, r.id), About: r.id})
	}
	return ds
}

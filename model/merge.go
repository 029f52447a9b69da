package model

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// Merge makes one network of several, each loaded from one input (a hub's
// state and a spoke's, a plan and the state of another stack): references
// across them resolve by ID, and an element one input holds replaces the
// element outside the input that another names (the spoke's transit gateway
// outside the input is the hub's). Of elements that share an ID it keeps, in
// this order, one the input declares, one synthesised for one the input
// declares, one outside the input; what the others hold (routes, rules,
// associations an input attaches to a table or group of another stack) is
// added to it, once. Elements synthesised for an element outside one input
// that another input holds are dropped: Synthesize gives the merged network
// what it still lacks.
//
// Two inputs that declare an element with the same ID (a state and a plan
// of the same stack, two states of one VPC) conflict: the first is kept, and
// an error at the second names both positions.
//
// The networks are not changed: every element of the result is a copy, with
// its own lists, so that completing the result does not change them.
// Callers then call AddOutside, Synthesize and Validate on it, as after a
// load.
func Merge(nets ...*Network) (*Network, Diagnostics) {
	m := &merger{out: &Network{}}
	var sources []string
	for _, n := range nets {
		if n == nil {
			continue
		}
		sources = append(sources, n.Source)
		if m.out.Region == "" {
			m.out.Region = n.Region
		}
		if m.out.AccountID == "" {
			m.out.AccountID = n.AccountID
		}
	}
	m.out.Source = strings.Join(sources, " + ")
	o := m.out
	o.VPCs = mergeKind(m, "VPC", nets, func(n *Network) []*VPC { return n.VPCs }, func(x *VPC) *Meta { return &x.Meta }, nil)
	o.Subnets = mergeKind(m, "subnet", nets, func(n *Network) []*Subnet { return n.Subnets }, func(x *Subnet) *Meta { return &x.Meta }, nil)
	o.RouteTables = mergeKind(m, "route table", nets, func(n *Network) []*RouteTable { return n.RouteTables }, func(x *RouteTable) *Meta { return &x.Meta }, mergeRouteTable)
	o.NetworkACLs = mergeKind(m, "network ACL", nets, func(n *Network) []*NetworkACL { return n.NetworkACLs }, func(x *NetworkACL) *Meta { return &x.Meta }, mergeACL)
	o.SecurityGroups = mergeKind(m, "security group", nets, func(n *Network) []*SecurityGroup { return n.SecurityGroups }, func(x *SecurityGroup) *Meta { return &x.Meta }, mergeSG)
	o.Interfaces = mergeKind(m, "network interface", nets, func(n *Network) []*NetworkInterface { return n.Interfaces }, func(x *NetworkInterface) *Meta { return &x.Meta }, nil)
	o.Instances = mergeKind(m, "instance", nets, func(n *Network) []*Instance { return n.Instances }, func(x *Instance) *Meta { return &x.Meta }, nil)
	o.InternetGateways = mergeKind(m, "internet gateway", nets, func(n *Network) []*InternetGateway { return n.InternetGateways }, func(x *InternetGateway) *Meta { return &x.Meta }, nil)
	o.EgressOnlyGateways = mergeKind(m, "egress-only internet gateway", nets, func(n *Network) []*EgressOnlyInternetGateway { return n.EgressOnlyGateways }, func(x *EgressOnlyInternetGateway) *Meta { return &x.Meta }, nil)
	o.NATGateways = mergeKind(m, "NAT gateway", nets, func(n *Network) []*NATGateway { return n.NATGateways }, func(x *NATGateway) *Meta { return &x.Meta }, nil)
	o.VPNGateways = mergeKind(m, "VPN gateway", nets, func(n *Network) []*VPNGateway { return n.VPNGateways }, func(x *VPNGateway) *Meta { return &x.Meta }, nil)
	o.CustomerGateways = mergeKind(m, "customer gateway", nets, func(n *Network) []*CustomerGateway { return n.CustomerGateways }, func(x *CustomerGateway) *Meta { return &x.Meta }, nil)
	o.VPNConnections = mergeKind(m, "VPN connection", nets, func(n *Network) []*VPNConnection { return n.VPNConnections }, func(x *VPNConnection) *Meta { return &x.Meta }, nil)
	o.TransitGateways = mergeKind(m, "transit gateway", nets, func(n *Network) []*TransitGateway { return n.TransitGateways }, func(x *TransitGateway) *Meta { return &x.Meta }, nil)
	o.TGWAttachments = mergeKind(m, "transit gateway attachment", nets, func(n *Network) []*TGWAttachment { return n.TGWAttachments }, func(x *TGWAttachment) *Meta { return &x.Meta }, nil)
	o.TGWRouteTables = mergeKind(m, "transit gateway route table", nets, func(n *Network) []*TGWRouteTable { return n.TGWRouteTables }, func(x *TGWRouteTable) *Meta { return &x.Meta }, mergeTGWRouteTable)
	o.PeeringConnections = mergeKind(m, "VPC peering connection", nets, func(n *Network) []*PeeringConnection { return n.PeeringConnections }, func(x *PeeringConnection) *Meta { return &x.Meta }, nil)
	o.Endpoints = mergeKind(m, "VPC endpoint", nets, func(n *Network) []*VPCEndpoint { return n.Endpoints }, func(x *VPCEndpoint) *Meta { return &x.Meta }, nil)
	o.PrefixLists = mergeKind(m, "prefix list", nets, func(n *Network) []*PrefixList { return n.PrefixLists }, func(x *PrefixList) *Meta { return &x.Meta }, nil)
	o.ElasticIPs = mergeKind(m, "Elastic IP", nets, func(n *Network) []*ElasticIP { return n.ElasticIPs }, func(x *ElasticIP) *Meta { return &x.Meta }, nil)
	o.LoadBalancers = mergeKind(m, "load balancer", nets, func(n *Network) []*LoadBalancer { return n.LoadBalancers }, func(x *LoadBalancer) *Meta { return &x.Meta }, nil)
	o.TargetGroups = mergeKind(m, "target group", nets, func(n *Network) []*TargetGroup { return n.TargetGroups }, func(x *TargetGroup) *Meta { return &x.Meta }, mergeTargetGroup)
	o.AutoScalingGroups = mergeKind(m, "Auto Scaling group", nets, func(n *Network) []*AutoScalingGroup { return n.AutoScalingGroups }, func(x *AutoScalingGroup) *Meta { return &x.Meta }, nil)
	o.Services = mergeKind(m, "service", nets, func(n *Network) []*Service { return n.Services }, func(x *Service) *Meta { return &x.Meta }, nil)
	for _, n := range nets {
		if n != nil {
			o.UnsupportedResources = append(o.UnsupportedResources, n.UnsupportedResources...)
		}
	}
	o.dropSupersededImplicit()
	return m.out, m.ds
}

// dropSupersededImplicit removes the elements synthesised for an element
// outside an input that another input holds (the main route table vpcsim
// gave another stack's VPC, whose own main table the other input has):
// Synthesize gives the merged network what it still lacks. Those of elements
// still outside the input stay, with what the input placed in them.
func (n *Network) dropSupersededImplicit() {
	ix := n.Index()
	held := func(m *Meta) bool { return m != nil && !m.IsOutside() }
	superseded := func(m *Meta, parent *Meta) bool {
		return m.Outside != "" && m.Synthetic != "" && held(parent)
	}
	vpcMeta := func(id string) *Meta {
		if v := ix.VPCs[id]; v != nil {
			return &v.Meta
		}
		return nil
	}
	n.RouteTables = slices.DeleteFunc(n.RouteTables, func(x *RouteTable) bool { return superseded(&x.Meta, vpcMeta(x.VPCID)) })
	n.NetworkACLs = slices.DeleteFunc(n.NetworkACLs, func(x *NetworkACL) bool { return superseded(&x.Meta, vpcMeta(x.VPCID)) })
	n.SecurityGroups = slices.DeleteFunc(n.SecurityGroups, func(x *SecurityGroup) bool { return superseded(&x.Meta, vpcMeta(x.VPCID)) })
	n.Interfaces = slices.DeleteFunc(n.Interfaces, func(x *NetworkInterface) bool {
		g := ix.NATGateways[x.OwnerID]
		return g != nil && superseded(&x.Meta, &g.Meta)
	})
}

type merger struct {
	out *Network
	ds  Diagnostics
}

// rank orders the elements that share an ID: the lowest is kept.
func rank(m *Meta) int {
	switch {
	case m.Outside == "" && m.Synthetic == "":
		return 0
	case m.Outside == "":
		return 1
	case m.Synthetic == "":
		return 2
	}
	return 3
}

// mergeKind merges the elements of one kind. Elements are copied before
// anything is added to them, so that the inputs' networks do not change.
func mergeKind[T any](m *merger, kind string, nets []*Network, list func(*Network) []*T, meta func(*T) *Meta, content func(dst, src *T)) []*T {
	type entry struct {
		x     *T
		input int
	}
	var order []string
	byID := map[string][]entry{}
	var out []*T
	for i, n := range nets {
		if n == nil {
			continue
		}
		for _, x := range list(n) {
			x = copyElement(x)
			md := meta(x)
			if md.ID == "" {
				out = append(out, x)
				continue
			}
			if byID[md.ID] == nil {
				order = append(order, md.ID)
			}
			byID[md.ID] = append(byID[md.ID], entry{x, i})
		}
	}
	for _, id := range order {
		es := byID[id]
		best := 0
		for i, e := range es {
			if rank(meta(e.x)) < rank(meta(es[best].x)) {
				best = i
			}
		}
		keep := es[best].x
		km := meta(keep)
		for i, e := range es {
			if i == best {
				continue
			}
			em := meta(e.x)
			if rank(em) == 0 && rank(km) == 0 && e.input == es[best].input {
				out = append(out, e.x) // a duplicate within one input: Validate reports it
				continue
			}
			if rank(em) == 0 && rank(km) == 0 {
				m.ds = append(m.ds, Diagnostic{Severity: SeverityError, Pos: em.Pos, Element: em.Label(),
					Message: fmt.Sprintf("%s %s is declared by two inputs, here and at %s: they describe the same element twice (give each stack once)", kind, id, posOrLabel(km))})
				continue
			}
			if content != nil {
				content(keep, e.x)
			}
		}
		out = append(out, keep)
	}
	return out
}

func posOrLabel(m *Meta) string {
	if !m.Pos.IsZero() {
		return m.Pos.String()
	}
	return m.Label()
}

func mergeRouteTable(dst, src *RouteTable) {
	dst.Routes = slices.Clone(dst.Routes)
	for _, r := range src.Routes {
		if r.Synthetic != "" {
			continue
		}
		if !slices.ContainsFunc(dst.Routes, func(d Route) bool {
			return d.Destination == r.Destination && d.DestinationPrefixListID == r.DestinationPrefixListID
		}) {
			dst.Routes = append(dst.Routes, r)
		}
	}
	dst.Associations = slices.Clone(dst.Associations)
	for _, a := range src.Associations {
		if !slices.ContainsFunc(dst.Associations, func(d RouteTableAssociation) bool {
			return d.SubnetID == a.SubnetID && d.GatewayID == a.GatewayID
		}) {
			dst.Associations = append(dst.Associations, a)
		}
	}
	for _, g := range src.PropagatingVGWs {
		if !slices.Contains(dst.PropagatingVGWs, g) {
			dst.PropagatingVGWs = append(slices.Clip(dst.PropagatingVGWs), g)
		}
	}
	if dst.VPCID == "" {
		dst.VPCID = src.VPCID
	}
}

func mergeACL(dst, src *NetworkACL) {
	for _, p := range []struct{ dst, src *[]ACLRule }{{&dst.Ingress, &src.Ingress}, {&dst.Egress, &src.Egress}} {
		*p.dst = slices.Clone(*p.dst)
		for _, r := range *p.src {
			if r.Synthetic != "" {
				continue
			}
			if !slices.ContainsFunc(*p.dst, func(d ACLRule) bool { return d.Number == r.Number && d.CIDR.Addr().Is6() == r.CIDR.Addr().Is6() }) {
				*p.dst = append(*p.dst, r)
			}
		}
	}
	dst.Associations = slices.Clone(dst.Associations)
	for _, a := range src.Associations {
		if !slices.ContainsFunc(dst.Associations, func(d ACLAssociation) bool { return d.SubnetID == a.SubnetID }) {
			dst.Associations = append(dst.Associations, a)
		}
	}
	if dst.VPCID == "" {
		dst.VPCID = src.VPCID
	}
}

func mergeSG(dst, src *SecurityGroup) {
	for _, p := range []struct{ dst, src *[]SGRule }{{&dst.Ingress, &src.Ingress}, {&dst.Egress, &src.Egress}} {
		*p.dst = slices.Clone(*p.dst)
		for _, r := range *p.src {
			if r.Synthetic != "" {
				continue
			}
			if !slices.ContainsFunc(*p.dst, func(d SGRule) bool { return sameSGRule(d, r) }) {
				*p.dst = append(*p.dst, r)
			}
		}
	}
	if dst.VPCID == "" {
		dst.VPCID = src.VPCID
	}
}

func sameSGRule(a, b SGRule) bool {
	return a.Direction == b.Direction && a.Protocol == b.Protocol && a.Ports == b.Ports && a.ICMP == b.ICMP &&
		a.Peer.Kind == b.Peer.Kind && a.Peer.CIDR == b.Peer.CIDR && a.Peer.PrefixListID == b.Peer.PrefixListID && a.Peer.GroupID == b.Peer.GroupID
}

func mergeTGWRouteTable(dst, src *TGWRouteTable) {
	for _, p := range []struct{ dst, src *[]TGWRouteTableLink }{{&dst.Associations, &src.Associations}, {&dst.Propagations, &src.Propagations}} {
		*p.dst = slices.Clone(*p.dst)
		for _, l := range *p.src {
			if l.Synthetic != "" {
				continue
			}
			if !slices.ContainsFunc(*p.dst, func(d TGWRouteTableLink) bool { return d.AttachmentID == l.AttachmentID }) {
				*p.dst = append(*p.dst, l)
			}
		}
	}
	dst.Routes = slices.Clone(dst.Routes)
	for _, r := range src.Routes {
		if !slices.ContainsFunc(dst.Routes, func(d TGWRoute) bool { return d.Destination == r.Destination }) {
			dst.Routes = append(dst.Routes, r)
		}
	}
	if dst.TransitGatewayID == "" {
		dst.TransitGatewayID = src.TransitGatewayID
	}
}

// mergeTargetGroup adds the registrations another input makes (an Auto
// Scaling group of another stack registering its instances) to the group.
func mergeTargetGroup(dst, src *TargetGroup) {
	dst.Targets = slices.Clone(dst.Targets)
	for _, t := range src.Targets {
		if !slices.ContainsFunc(dst.Targets, func(d Target) bool { return d.Kind == t.Kind && d.TargetID == t.TargetID && d.Port == t.Port }) {
			dst.Targets = append(dst.Targets, t)
		}
	}
	if dst.VPCID == "" {
		dst.VPCID = src.VPCID
	}
}

// copyElement returns a copy of an element whose slices, its own and its
// Meta's, are copies too, so that what is appended to or removed from them
// does not reach the original.
func copyElement[T any](x *T) *T {
	cp := *x
	cloneSlices(reflect.ValueOf(&cp).Elem())
	return &cp
}

func cloneSlices(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch {
		case !f.CanSet():
		case f.Kind() == reflect.Slice && !f.IsNil():
			c := reflect.MakeSlice(f.Type(), f.Len(), f.Len())
			reflect.Copy(c, f)
			f.Set(c)
		case f.Kind() == reflect.Struct && v.Type().Field(i).Anonymous:
			cloneSlices(f)
		}
	}
}

package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"sort"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// Engine is the data plane of one network, built once by New: everything a
// query needs is compiled there, and queries (Trace, Analyze, Matrix,
// Topology, Loops, the packet stepper) only read it, so one Engine serves
// concurrent queries.
type Engine struct {
	net *model.Network
	ix  *model.Index

	nodes    []*node
	internet *node
	eni      map[string]*node
	subnet   map[string]*node
	vpc      map[string]*node
	gw       map[string]*node // igw, eigw, nat, vgw, gateway endpoints, by ID
	service  map[string]*node // by gateway endpoint ID
	onprem   map[string]*node // by VPN connection ID
	pcx      map[[2]string]*node
	tgwrt    map[[2]string]*node
	edges    map[edgeKey]*edge

	subnetACL map[string]*model.NetworkACL
	aclProgs  map[aclKey]*aclProg
	sgRules   map[sgKey][]sgRule
	sgProgs   map[string]*sgProg
	sgMembers map[string][]netip.Addr
	classes   []*class
	classOf   map[*node]*class

	// pub maps, per VPC, public IPv4 addresses to the interface address they
	// translate to; priv is the reverse.
	pub  map[string]map[hset.Addr]natPair
	priv map[string]map[hset.Addr]natPair
	// owners finds the interface owning a private or IPv6 address, per VPC.
	owners map[string]map[netip.Addr]*model.NetworkInterface
	// publicOwner finds the interface behind a public address.
	publicOwner map[netip.Addr]*model.NetworkInterface
	// internetSpace is every public address outside the estate: the
	// addresses "the internet" stands for.
	internetSpace []hset.AddrRange
	// estatePublic are the estate's own public addresses, sorted: part of
	// public space but not hosts on the internet.
	estatePublic []hset.AddrRange
	// care is the space internet sources are judged in, for printing them
	// as few CIDRs (see careSpace).
	care *careSpace

	// notes are what the build noticed that answers may depend on
	// (unknown prefix-list entries, unsupported components).
	notes []Explanation
}

// natPair is a public address and the private address it maps to.
type natPair struct {
	public, private hset.Addr
	eni             *model.NetworkInterface
	placeholder     bool
}

type aclKey struct {
	id  string
	dir model.Direction
}

type sgKey struct {
	id  string
	dir model.Direction
}

type edgeKey struct {
	from, to int64
	kind     edgeKind
}

// New builds the data plane of n. n must be complete (Synthesize has run) and
// valid: New refuses a network whose Validate reports errors.
func New(n *model.Network) (*Engine, error) {
	if ds := n.Validate(); ds.HasErrors() {
		return nil, fmt.Errorf("network is not valid:\n%w", ds)
	}
	e := &Engine{
		net: n, ix: n.Index(),
		eni: map[string]*node{}, subnet: map[string]*node{}, vpc: map[string]*node{},
		gw: map[string]*node{}, service: map[string]*node{}, onprem: map[string]*node{},
		pcx: map[[2]string]*node{}, tgwrt: map[[2]string]*node{}, edges: map[edgeKey]*edge{},
		aclProgs: map[aclKey]*aclProg{}, sgRules: map[sgKey][]sgRule{}, sgProgs: map[string]*sgProg{},
		sgMembers: map[string][]netip.Addr{}, classOf: map[*node]*class{},
		pub: map[string]map[hset.Addr]natPair{}, priv: map[string]map[hset.Addr]natPair{},
		owners: map[string]map[netip.Addr]*model.NetworkInterface{}, publicOwner: map[netip.Addr]*model.NetworkInterface{},
	}
	e.subnetACL = n.SubnetACLs()
	e.addNodes()
	e.addAddresses()
	e.compileSecurityGroups()
	e.addInterfaceEdges()
	e.buildSubnetRoutes(n.SubnetRouteTables())
	e.buildVPCFabrics()
	e.buildGateways()
	e.buildInternet()
	e.care = newCareSpace(e.internetSpace, e.estatePublic)
	e.buildTGWTables()
	e.buildClasses()
	e.noteUnsupported()
	e.noteUnknownGroups()
	return e, nil
}

// Network returns the network the engine was built from.
func (e *Engine) Network() *model.Network { return e.net }

// Notes returns what the build noticed that answers may depend on.
func (e *Engine) Notes() []Explanation { return slices.Clone(e.notes) }

func (e *Engine) note(code Code, comp Ref, format string, args ...any) {
	e.notes = append(e.notes, Explanation{Code: code, Severity: SeverityWarning, Component: comp, Message: fmt.Sprintf(format, args...)})
}

// noteUnsupported says, once per resource type, which resources of the input
// vpcsim does not model: traffic through them (a load balancer's listeners,
// a firewall's rules) is in no answer.
func (e *Engine) noteUnsupported() {
	byType := map[string][]string{}
	var types []string
	reason := map[string]string{}
	for _, u := range e.net.UnsupportedResources {
		if byType[u.Type] == nil {
			types = append(types, u.Type)
			reason[u.Type] = u.Reason
		}
		byType[u.Type] = append(byType[u.Type], u.Label())
	}
	slices.Sort(types)
	for _, t := range types {
		names := byType[t]
		list := strings.Join(names[:min(len(names), 5)], ", ")
		if len(names) > 5 {
			list += fmt.Sprintf(" and %d more", len(names)-5)
		}
		msg := "not modelled: traffic through it is not analysed"
		if len(names) > 1 {
			msg = "not modelled: traffic through them is not analysed"
		}
		if reason[t] != "" {
			msg += " (" + reason[t] + ")"
		}
		e.note(CodeUnsupportedComponent, Ref{Kind: t, Name: list}, "%s", msg)
	}
}

// noteUnknownGroups names the interfaces whose security groups the input
// does not give: answers treat them as filtered by no group, which may show
// more than AWS would let through.
func (e *Engine) noteUnknownGroups() {
	var names []string
	for _, x := range e.net.Interfaces {
		if len(x.SecurityGroupIDs) == 0 && x.SecurityGroupsUnknown() {
			names = append(names, x.Label())
		}
	}
	if len(names) == 0 {
		return
	}
	list := strings.Join(names[:min(len(names), 5)], ", ")
	if len(names) > 5 {
		list += fmt.Sprintf(" and %d more", len(names)-5)
	}
	e.note(CodeSecurityGroupsUnknown, Ref{Kind: "network-interface", Name: list},
		"the input does not say which security groups these interfaces have: answers assume none filters their traffic")
}

func (e *Engine) newNode(kind nodeKind, ref Ref) *node {
	n := &node{id: int64(len(e.nodes)), kind: kind, ref: ref}
	e.nodes = append(e.nodes, n)
	return n
}

// link returns the edge of the given kind between two nodes, creating it with
// its filters the first time. Only New calls it: queries find every edge
// they follow already built.
func (e *Engine) link(from, to *node, kind edgeKind, leave, enter []filter) *edge {
	k := edgeKey{from.id, to.id, kind}
	if ed := e.edges[k]; ed != nil {
		return ed
	}
	ed := &edge{from: from, to: to, kind: kind, leave: leave, enter: enter}
	e.edges[k] = ed
	from.out = append(from.out, ed)
	return ed
}

func (e *Engine) addNodes() {
	n := e.net
	e.internet = e.newNode(nodeInternet, Ref{Kind: "internet", Name: "internet"})
	for _, v := range n.VPCs {
		e.vpc[v.ID] = e.newNode(nodeVPC, refOf("vpc", &v.Meta))
		e.vpc[v.ID].vpc = v
	}
	for _, s := range n.Subnets {
		nd := e.newNode(nodeSubnet, refOf("subnet", &s.Meta))
		nd.subnet, nd.vpc = s, e.ix.VPCs[s.VPCID]
		for _, p := range []netip.Prefix{s.CIDR, s.IPv6CIDR} {
			nd.cidrs = append(nd.cidrs, prefixRanges(p)...)
		}
		e.subnet[s.ID] = nd
	}
	for _, x := range n.Interfaces {
		nd := e.newNode(nodeENI, refOf("network-interface", &x.Meta))
		nd.eni = x
		if s := e.ix.Subnets[x.SubnetID]; s != nil {
			nd.subnet, nd.vpc = s, e.ix.VPCs[s.VPCID]
		}
		e.eni[x.ID] = nd
	}
	for _, g := range n.InternetGateways {
		e.gatewayNode(nodeIGW, &g.Meta, g.VPCID)
	}
	for _, g := range n.EgressOnlyGateways {
		e.gatewayNode(nodeEIGW, &g.Meta, g.VPCID)
	}
	for _, g := range n.NATGateways {
		nd := e.newNode(nodeNAT, refOf("nat-gateway", &g.Meta))
		nd.nat = g
		if s := e.ix.Subnets[g.SubnetID]; s != nil {
			nd.subnet, nd.vpc = s, e.ix.VPCs[s.VPCID]
		}
		e.gw[g.ID] = nd
	}
	for _, g := range n.VPNGateways {
		e.gatewayNode(nodeVGW, &g.Meta, g.VPCID)
	}
	for _, c := range n.VPNConnections {
		nd := e.newNode(nodeOnPrem, Ref{Kind: "on-premises", ID: c.ID, Address: c.Address, Name: "on-premises network of " + c.Label(), Pos: c.Pos})
		nd.vpn = c
		e.onprem[c.ID] = nd
	}
	for _, ep := range n.Endpoints {
		if ep.Type != model.EndpointGateway {
			continue
		}
		nd := e.gatewayNode(nodeVPCE, &ep.Meta, ep.VPCID)
		sv := e.newNode(nodeService, Ref{Kind: "aws-service", ID: ep.ServiceName, Name: ep.ServiceName})
		sv.vpcNode = nd
		e.service[ep.ID] = sv
	}
	for _, p := range n.PeeringConnections {
		for _, dir := range [][2]string{{p.RequesterVPCID, p.AccepterVPCID}, {p.AccepterVPCID, p.RequesterVPCID}} {
			if e.ix.VPCs[dir[0]] == nil {
				continue // traffic never enters from a side outside the estate
			}
			nd := e.newNode(nodePCX, refOf("vpc-peering-connection", &p.Meta))
			nd.pcx, nd.peer = p, dir[1]
			nd.vpc = e.ix.VPCs[dir[0]]
			e.pcx[[2]string{p.ID, dir[1]}] = nd
		}
	}
}

// gatewayNode adds the node of a gateway attached to a VPC.
func (e *Engine) gatewayNode(kind nodeKind, m *model.Meta, vpcID string) *node {
	nd := e.newNode(kind, refOf(kind.String(), m))
	nd.vpcNode, nd.vpc = e.vpc[vpcID], e.ix.VPCs[vpcID]
	e.gw[m.ID] = nd
	return nd
}

// addAddresses indexes who owns which address.
func (e *Engine) addAddresses() {
	for _, x := range e.net.Interfaces {
		s := e.ix.Subnets[x.SubnetID]
		if s == nil {
			continue
		}
		own := e.owners[s.VPCID]
		if own == nil {
			own = map[netip.Addr]*model.NetworkInterface{}
			e.owners[s.VPCID] = own
		}
		for _, a := range slices.Concat(x.PrivateIPs, x.IPv6Addrs) {
			own[a] = x
		}
		for _, p := range x.PublicIPs {
			if !p.Public.IsValid() || !p.Private.IsValid() {
				continue
			}
			np := natPair{public: hset.AddrFrom(p.Public), private: hset.AddrFrom(p.Private), eni: x, placeholder: p.Placeholder}
			if e.pub[s.VPCID] == nil {
				e.pub[s.VPCID], e.priv[s.VPCID] = map[hset.Addr]natPair{}, map[hset.Addr]natPair{}
			}
			e.pub[s.VPCID][np.public] = np
			e.priv[s.VPCID][np.private] = np
			e.publicOwner[p.Public] = x
		}
		for _, id := range x.SecurityGroupIDs {
			e.sgMembers[id] = append(e.sgMembers[id], slices.Concat(x.PrivateIPs, x.IPv6Addrs)...)
		}
	}
}

func (e *Engine) acl(acl *model.NetworkACL, d model.Direction) *aclProg {
	if acl == nil {
		return nil
	}
	k := aclKey{acl.ID, d}
	if p := e.aclProgs[k]; p != nil {
		return p
	}
	p := compileACL(acl, d)
	e.aclProgs[k] = p
	return p
}

// subnetFilter is the network ACL of subnet s in direction d, as a filter
// list (empty when the subnet has no ACL, which Synthesize prevents).
func (e *Engine) subnetFilter(s *model.Subnet, d model.Direction) []filter {
	if s == nil {
		return nil
	}
	if p := e.acl(e.subnetACL[s.ID], d); p != nil {
		return []filter{{kind: filterACL, acl: p}}
	}
	return nil
}

func (e *Engine) compileSecurityGroups() {
	for _, sg := range e.net.SecurityGroups {
		for _, d := range []model.Direction{model.Ingress, model.Egress} {
			rules := sg.Ingress
			if d == model.Egress {
				rules = sg.Egress
			}
			var out []sgRule
			for i := range rules {
				r := &rules[i]
				var tmpl hset.Box
				if !protoBox(&tmpl, r.Protocol, r.Ports, r.ICMP) {
					continue
				}
				remote := e.peerRanges(sg, r)
				out = append(out, sgRule{ref: sgRuleRef(sg, r), set: hset.Of(ruleBoxes(d, remote, tmpl)...)})
			}
			e.sgRules[sgKey{sg.ID, d}] = out
		}
	}
}

// peerRanges resolves a rule's remote end to addresses. A group reference
// stands for the private (and IPv6) addresses of the group's members — in the
// same VPC or across a same-region peering connection — never their public
// addresses.
func (e *Engine) peerRanges(sg *model.SecurityGroup, r *model.SGRule) []hset.AddrRange {
	switch r.Peer.Kind {
	case model.PeerCIDR:
		return prefixRanges(r.Peer.CIDR)
	case model.PeerPrefixList:
		pl := e.ix.PrefixLists[r.Peer.PrefixListID]
		if pl == nil || pl.EntriesUnknown {
			e.note(CodePrefixListUnknown, refOf("security-group", &sg.Meta),
				"rule %s references prefix list %s whose entries are unknown: it is assumed to match nothing", r.Label(), r.Peer.PrefixListID)
			return nil
		}
		var out []hset.AddrRange
		for _, p := range pl.Entries {
			out = append(out, prefixRanges(p)...)
		}
		return out
	case model.PeerSecurityGroup:
		ref := e.ix.SecurityGroups[r.Peer.GroupID]
		if ref != nil && ref.VPCID != sg.VPCID && e.crossRegion(sg.VPCID, ref.VPCID) {
			e.note(CodeCrossRegionSGRef, refOf("security-group", &sg.Meta),
				"rule %s references group %s across an inter-region peering connection, which AWS does not support: it matches nothing", r.Label(), r.Peer.GroupID)
			return nil
		}
		return addrsRanges(e.sgMembers[r.Peer.GroupID])
	}
	return nil
}

func (e *Engine) crossRegion(a, b string) bool {
	va, vb := e.ix.VPCs[a], e.ix.VPCs[b]
	if va == nil || vb == nil {
		return false
	}
	ra, rb := cmp.Or(va.Region, e.net.Region), cmp.Or(vb.Region, e.net.Region)
	return ra != "" && rb != "" && ra != rb
}

// interfaceSG is the combined program of an interface's security groups in
// one direction: exactly the groups the model lists (model.Synthesize has
// given the VPC's default group to the interfaces AWS gives it to); nil when
// it lists none, and no security group filters its traffic.
func (e *Engine) interfaceSG(x *model.NetworkInterface, d model.Direction) *sgProg {
	if len(x.SecurityGroupIDs) == 0 {
		return nil
	}
	ids := slices.Clone(x.SecurityGroupIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	key := d.String() + "|" + strings.Join(ids, ",")
	if p := e.sgProgs[key]; p != nil {
		return p
	}
	p := &sgProg{dir: d}
	var sets []hset.Set
	for _, id := range ids {
		if sg := e.ix.SecurityGroups[id]; sg != nil {
			p.groups = append(p.groups, refOf("security-group", &sg.Meta))
		}
		for _, r := range e.sgRules[sgKey{id, d}] {
			p.rules = append(p.rules, r)
			sets = append(sets, r.set)
		}
	}
	p.union = unionAll(sets)
	p.empty = len(p.rules) == 0
	e.sgProgs[key] = p
	return p
}

// unionAll unions sets pairwise, which keeps intermediate sets small.
func unionAll(sets []hset.Set) hset.Set {
	if len(sets) == 0 {
		return hset.Set{}
	}
	for len(sets) > 1 {
		var next []hset.Set
		for i := 0; i < len(sets); i += 2 {
			if i+1 < len(sets) {
				next = append(next, sets[i].Union(sets[i+1]))
			} else {
				next = append(next, sets[i])
			}
		}
		sets = next
	}
	return sets[0]
}

// addInterfaceEdges links every interface to its subnet both ways and
// indexes the addresses each subnet delivers.
func (e *Engine) addInterfaceEdges() {
	for _, x := range e.net.Interfaces {
		en, sn := e.eni[x.ID], e.subnet[x.SubnetID]
		if sn == nil {
			continue
		}
		own := hset.Of(srcBoxes(addrsRanges(slices.Concat(x.PrivateIPs, x.IPv6Addrs))...)...)
		var leave, enter []filter
		if x.SourceDestCheck {
			leave = append(leave, filter{kind: filterSourceCheck, eni: x, own: own})
		}
		if p := e.interfaceSG(x, model.Egress); p != nil {
			leave = append(leave, filter{kind: filterSG, sg: p, eni: x})
		}
		if p := e.interfaceSG(x, model.Ingress); p != nil {
			enter = append(enter, filter{kind: filterSG, sg: p, eni: x})
		}
		if x.OwnerKind == model.OwnerNATGateway {
			// A NAT gateway's interface is the gateway itself: traffic to its
			// address is delivered to the NAT node, which decides.
			if g := e.gw[x.OwnerID]; g != nil {
				d := e.link(sn, g, edgeDeliver, nil, nil)
				for _, a := range x.PrivateIPs {
					sn.deliver = append(sn.deliver, pointDelivery(a, d))
				}
				g.send = e.link(g, sn, edgeSend, nil, nil)
				en.send = g.send
				continue
			}
		}
		en.send = e.link(en, sn, edgeSend, leave, nil)
		d := e.link(sn, en, edgeDeliver, nil, enter)
		for _, a := range slices.Concat(x.PrivateIPs, x.IPv6Addrs) {
			sn.deliver = append(sn.deliver, pointDelivery(a, d))
		}
	}
	for _, sn := range e.subnet {
		slices.SortFunc(sn.deliver, func(a, b delivery) int { return cmpAddr(a.to[0].Lo, b.to[0].Lo) })
	}
	for _, g := range e.net.NATGateways {
		// A NAT gateway whose interface is not in the network still sends
		// into its subnet.
		if gn, sn := e.gw[g.ID], e.subnet[g.SubnetID]; gn != nil && sn != nil {
			gn.send = e.link(gn, sn, edgeSend, nil, nil)
		}
	}
}

// pointDelivery delivers address a along d.
func pointDelivery(a netip.Addr, d *edge) delivery {
	r := []hset.AddrRange{addrRange(a)}
	return delivery{to: r, covers: r, via: d}
}

func cmpAddr(a, b hset.Addr) int {
	switch {
	case a.Less(b):
		return -1
	case b.Less(a):
		return 1
	}
	return 0
}

// routeTargetEdge returns where a route of subnet s sends traffic.
func (e *Engine) routeTargetEdge(sn *node, rt *model.RouteTable, r *model.Route) (*edge, *drop) {
	s := sn.subnet
	out := e.subnetFilter(s, model.Egress)
	rtRef := refOf("route-table", &rt.Meta)
	if r.Blackhole {
		return nil, &drop{code: CodeBadStateRoute, comp: rtRef, message: fmt.Sprintf("the route to %s is a blackhole: its target %s no longer exists", routeDest(r), r.Target.ID)}
	}
	id := r.Target.ID
	missing := &drop{code: CodeBadStateRoute, comp: rtRef, message: fmt.Sprintf("the route targets %s, which is not in the network (AWS marks such a route blackhole)", id)}
	switch r.Target.Kind {
	case model.TargetLocal:
		if vn := e.vpc[s.VPCID]; vn != nil {
			return e.link(sn, vn, edgeRoute, out, nil), nil
		}
	case model.TargetInternetGateway, model.TargetEgressOnlyGateway, model.TargetVPNGateway, model.TargetGatewayEndpoint:
		if g := e.gw[id]; g != nil {
			if g.vpc == nil || g.vpc.ID != s.VPCID {
				return nil, &drop{code: CodeBadState, comp: g.ref, message: fmt.Sprintf("%s is not attached to the subnet's VPC %s", g.ref.Label(), s.VPCID)}
			}
			return e.link(sn, g, edgeRoute, out, nil), nil
		}
		return nil, missing
	case model.TargetNATGateway:
		g := e.gw[id]
		if g == nil {
			return nil, missing
		}
		var leave, enter []filter
		if g.subnet == nil || g.subnet.ID != s.ID {
			leave, enter = out, e.subnetFilter(g.subnet, model.Ingress)
		}
		return e.link(sn, g, edgeRoute, leave, enter), nil
	case model.TargetPeering:
		p := e.ix.Peerings[id]
		if p == nil {
			return nil, missing
		}
		peer, ok := p.Peer(s.VPCID)
		if !ok {
			return nil, &drop{code: CodeBadState, comp: refOf("vpc-peering-connection", &p.Meta), message: fmt.Sprintf("peering connection %s does not involve VPC %s", p.Label(), s.VPCID)}
		}
		return e.link(sn, e.pcx[[2]string{p.ID, peer}], edgeRoute, out, nil), nil
	case model.TargetTransitGateway:
		return e.tgwEntry(sn, id, out)
	case model.TargetNetworkInterface, model.TargetInstance:
		x := e.ix.Interfaces[id]
		if r.Target.Kind == model.TargetInstance {
			if in := e.ix.Instances[id]; in != nil && len(in.InterfaceIDs) > 0 {
				x = e.ix.Interfaces[in.InterfaceIDs[0]]
			}
		}
		if x == nil || e.eni[x.ID] == nil {
			return nil, missing
		}
		var enter []filter
		if x.SubnetID != s.ID {
			enter = e.subnetFilter(e.ix.Subnets[x.SubnetID], model.Ingress)
		}
		if p := e.interfaceSG(x, model.Ingress); p != nil {
			enter = append(enter, filter{kind: filterSG, sg: p, eni: x})
		}
		return e.link(sn, e.eni[x.ID], edgeRoute, out, enter), nil
	}
	return nil, &drop{code: CodeUnsupportedComponent, comp: Ref{Kind: r.Target.Kind.String(), ID: id},
		message: fmt.Sprintf("the route sends traffic to %s %s, which vpcsim does not model", r.Target.Kind, id)}
}

// tgwEntry is the edge from a subnet into transit gateway tgwID: through the
// VPC's attachment, in the subnet's zone, into the route table the attachment
// is associated with. AWS evaluates the source subnet's outbound ACL rules
// and the attachment subnet's inbound rules on the way in (Transit Gateway
// guide, "Network ACLs").
func (e *Engine) tgwEntry(sn *node, tgwID string, out []filter) (*edge, *drop) {
	s := sn.subnet
	tref := Ref{Kind: "transit-gateway", ID: tgwID}
	if t := e.ix.TransitGateways[tgwID]; t != nil {
		tref = refOf("transit-gateway", &t.Meta)
	} else {
		return nil, &drop{code: CodeBadStateRoute, comp: tref, message: fmt.Sprintf("the route targets transit gateway %s, which is not in the network", tgwID)}
	}
	var att *model.TGWAttachment
	for _, a := range e.net.TGWAttachments {
		if a.Kind == model.TGWAttachVPC && a.TransitGatewayID == tgwID && a.VPCID == s.VPCID {
			att = a
			break
		}
	}
	if att == nil {
		return nil, &drop{code: CodeTGWNotAttached, comp: tref, message: fmt.Sprintf("VPC %s has no attachment to transit gateway %s", s.VPCID, tref.Label())}
	}
	aref := refOf("transit-gateway-attachment", &att.Meta)
	var in *model.Subnet
	for _, id := range att.SubnetIDs {
		if as := e.ix.Subnets[id]; as != nil && as.Zone() == s.Zone() {
			in = as
		}
	}
	if in == nil {
		return nil, &drop{code: CodeTGWAttachAZRestriction, comp: aref,
			message: fmt.Sprintf("attachment %s has no subnet in availability zone %s, where %s is, so traffic from there cannot enter the transit gateway", aref.Label(), zoneName(s.Zone()), s.Label())}
	}
	rt := e.association(att.ID, tgwID)
	if rt == nil {
		return nil, &drop{code: CodeTGWAttachMissingRTB, comp: aref, message: fmt.Sprintf("attachment %s is associated with no route table of %s", aref.Label(), tref.Label())}
	}
	return e.link(sn, e.tgwNode(rt, s.Zone()), edgeRoute, out, e.subnetFilter(in, model.Ingress)), nil
}

func zoneName(z string) string {
	if z == "" {
		return "(unknown)"
	}
	return z
}

// association is the route table of transit gateway tgwID that attachment
// id is associated with.
func (e *Engine) association(id, tgwID string) *model.TGWRouteTable {
	for _, rt := range e.net.TGWRouteTables {
		if rt.TransitGatewayID != tgwID {
			continue
		}
		for _, l := range rt.Associations {
			if l.AttachmentID == id {
				return rt
			}
		}
	}
	return nil
}

func (e *Engine) tgwNode(rt *model.TGWRouteTable, zone string) *node {
	k := [2]string{rt.ID, zone}
	if n := e.tgwrt[k]; n != nil {
		return n
	}
	n := e.newNode(nodeTGWRT, refOf("transit-gateway-route-table", &rt.Meta))
	n.tgwrt, n.zone = rt, zone
	e.tgwrt[k] = n
	return n
}

func routeDest(r *model.Route) string {
	if r.DestinationPrefixListID != "" {
		return r.DestinationPrefixListID
	}
	return r.Destination.String()
}

// routeCandidates expands a route into the destination ranges it covers.
func (e *Engine) routeCandidates(owner Ref, r *model.Route) []candidate {
	prio := 0
	switch {
	case r.DestinationPrefixListID != "":
		prio = 1
	case r.Origin == model.OriginPropagated:
		prio = 2
	}
	var prefixes []netip.Prefix
	if r.DestinationPrefixListID != "" {
		pl := e.ix.PrefixLists[r.DestinationPrefixListID]
		if pl == nil || pl.EntriesUnknown {
			e.note(CodePrefixListUnknown, owner, "the route to prefix list %s cannot be evaluated: the list's entries are not in the input (give them with a data source or a data-values file)", r.DestinationPrefixListID)
			return nil
		}
		prefixes = pl.Entries
	} else {
		prefixes = []netip.Prefix{r.Destination}
	}
	var out []candidate
	for _, p := range prefixes {
		for _, rng := range prefixRanges(p) {
			out = append(out, candidate{rng: rng, bits: familyBits(p), prio: prio})
		}
	}
	return out
}

// familyBits makes IPv4 and IPv6 prefix lengths comparable in the 128-bit
// space: an IPv4 /24 is as specific as a 120-bit prefix there.
func familyBits(p netip.Prefix) int {
	if p.Addr().Is4() {
		return p.Bits() + 96
	}
	return p.Bits()
}

func (e *Engine) buildSubnetRoutes(tables map[string]*model.RouteTable) {
	for _, s := range e.net.Subnets {
		sn := e.subnet[s.ID]
		rt := tables[s.ID]
		if rt == nil {
			sn.routes = &routeProg{owner: Ref{Kind: "route-table", Name: "none"}}
			continue
		}
		owner := refOf("route-table", &rt.Meta)
		var cands []candidate
		for i := range rt.Routes {
			r := &rt.Routes[i]
			to, dr := e.routeTargetEdge(sn, rt, r)
			ref := routeRef(rt, r, routeDest(r))
			for _, c := range e.routeCandidates(owner, r) {
				c.route, c.to, c.drop = ref, to, dr
				cands = append(cands, c)
			}
		}
		sn.routes = resolve(owner, cands)
	}
}

// buildVPCFabrics: a VPC delivers traffic to the subnet whose block holds the
// destination, through that subnet's inbound ACL rules.
func (e *Engine) buildVPCFabrics() {
	for _, v := range e.net.VPCs {
		vn := e.vpc[v.ID]
		var cands []candidate
		for _, p := range v.AllCIDRs() {
			for _, rng := range prefixRanges(p) {
				cands = append(cands, candidate{rng: rng, bits: familyBits(p),
					drop: &drop{code: CodeAddressNotInSubnet, comp: vn.ref, message: fmt.Sprintf("the destination lies in %s of %s but in none of its subnets", p, v.Label())}})
			}
		}
		for _, s := range e.net.Subnets {
			if s.VPCID != v.ID {
				continue
			}
			sn := e.subnet[s.ID]
			ed := e.link(vn, sn, edgeRoute, nil, e.subnetFilter(s, model.Ingress))
			for _, p := range []netip.Prefix{s.CIDR, s.IPv6CIDR} {
				for _, rng := range prefixRanges(p) {
					cands = append(cands, candidate{rng: rng, bits: familyBits(p), to: ed,
						route: RuleRef{Kind: "route", Text: fmt.Sprintf("local delivery to %s (%s)", s.Label(), p), Owner: vn.ref}})
				}
			}
		}
		vn.routes = resolve(vn.ref, cands)
		vn.routes.noRoute = CodeNoEdgeToEdge
	}
}

// edgeRoutes compiles the route table associated with a gateway (ingress
// routing), if any: it decides where inbound traffic goes inside the VPC.
func (e *Engine) edgeRoutes(g *node, gatewayID string) *routeProg {
	for _, rt := range e.net.RouteTables {
		for _, a := range rt.Associations {
			if a.GatewayID != gatewayID {
				continue
			}
			owner := refOf("route-table", &rt.Meta)
			var cands []candidate
			for i := range rt.Routes {
				r := &rt.Routes[i]
				ref := routeRef(rt, r, routeDest(r))
				var to *edge
				var dr *drop
				switch {
				case r.Blackhole:
					dr = &drop{code: CodeBadStateRoute, comp: owner, message: "the route is a blackhole"}
				case r.Target.Kind == model.TargetLocal && g.vpcNode != nil:
					to = e.link(g, g.vpcNode, edgeRoute, nil, nil)
				case r.Target.Kind == model.TargetNetworkInterface && e.eni[r.Target.ID] != nil:
					x := e.ix.Interfaces[r.Target.ID]
					enter := e.subnetFilter(e.ix.Subnets[x.SubnetID], model.Ingress)
					if p := e.interfaceSG(x, model.Ingress); p != nil {
						enter = append(enter, filter{kind: filterSG, sg: p, eni: x})
					}
					to = e.link(g, e.eni[x.ID], edgeRoute, nil, enter)
				default:
					dr = &drop{code: CodeUnsupportedComponent, comp: Ref{Kind: r.Target.Kind.String(), ID: r.Target.ID},
						message: fmt.Sprintf("the gateway route table sends traffic to %s %s, which vpcsim does not model", r.Target.Kind, r.Target.ID)}
				}
				for _, c := range e.routeCandidates(owner, r) {
					c.route, c.to, c.drop = ref, to, dr
					cands = append(cands, c)
				}
			}
			return resolve(owner, cands)
		}
	}
	return nil
}

// intoVPC is the default inbound routing of a gateway: the VPC's own blocks
// go to the VPC fabric; nothing else may enter (no edge-to-edge routing).
func (e *Engine) intoVPC(g *node) *routeProg {
	if g.vpcNode == nil || g.vpc == nil {
		return &routeProg{owner: g.ref, noRoute: CodeNoEdgeToEdge}
	}
	ed := e.link(g, g.vpcNode, edgeRoute, nil, nil)
	var cands []candidate
	for _, p := range g.vpc.AllCIDRs() {
		for _, rng := range prefixRanges(p) {
			cands = append(cands, candidate{rng: rng, bits: familyBits(p), to: ed,
				route: RuleRef{Kind: "route", Text: fmt.Sprintf("into %s (%s)", g.vpc.Label(), p), Owner: g.ref}})
		}
	}
	p := resolve(g.ref, cands)
	p.noRoute = CodeNoEdgeToEdge
	return p
}

func (e *Engine) buildGateways() {
	for _, g := range e.net.InternetGateways {
		gn := e.gw[g.ID]
		e.link(gn, e.internet, edgeRoute, nil, nil)
		gn.inbound = cmp.Or(e.edgeRoutes(gn, g.ID), e.intoVPC(gn))
	}
	for _, g := range e.net.EgressOnlyGateways {
		gn := e.gw[g.ID]
		e.link(gn, e.internet, edgeRoute, nil, nil)
		gn.inbound = e.intoVPC(gn)
	}
	for _, g := range e.net.VPNGateways {
		gn := e.gw[g.ID]
		var cands []candidate
		for _, c := range e.net.VPNConnections {
			if c.VPNGatewayID != g.ID {
				continue
			}
			on := e.onprem[c.ID]
			ed := e.link(gn, on, edgeRoute, nil, nil)
			for _, p := range c.OnPremCIDRs {
				for _, rng := range prefixRanges(p) {
					cands = append(cands, candidate{rng: rng, bits: familyBits(p), to: ed,
						route: RuleRef{Kind: "route", Text: fmt.Sprintf("VPN route %s -> %s", p, c.Label()), Owner: gn.ref, Pos: c.Pos, Address: c.Address}})
				}
			}
			// On-premises hosts send through the gateway into the VPC.
			oe := e.link(on, gn, edgeRoute, nil, nil)
			on.routes = &routeProg{owner: on.ref, entries: []routeEntry{{rng: full, to: oe,
				route: RuleRef{Kind: "route", Text: "on-premises routing toward " + gn.ref.Label(), Owner: on.ref}}}}
		}
		gn.routes = resolve(gn.ref, cands)
		gn.routes.noRoute = CodeNoRouteToDestination
		gn.inbound = cmp.Or(e.edgeRoutes(gn, g.ID), e.intoVPC(gn))
	}
	for _, ep := range e.net.Endpoints {
		if ep.Type != model.EndpointGateway {
			continue
		}
		gn, sv := e.gw[ep.ID], e.service[ep.ID]
		e.link(gn, sv, edgeRoute, nil, nil)
		se := e.link(sv, gn, edgeRoute, nil, nil)
		sv.routes = &routeProg{owner: sv.ref, entries: []routeEntry{{rng: full, to: se,
			route: RuleRef{Kind: "route", Text: "replies from " + ep.ServiceName + " return through " + gn.ref.Label(), Owner: sv.ref}}}}
		gn.inbound = e.intoVPC(gn)
	}
	for k, pn := range e.pcx {
		p := pn.pcx
		peer := e.vpc[k[1]]
		switch {
		case !p.Active:
			pn.routes = &routeProg{owner: pn.ref, entries: []routeEntry{{rng: full, drop: &drop{code: CodeBadState, comp: pn.ref,
				message: fmt.Sprintf("peering connection %s is not active (not accepted)", pn.ref.Label())}}}}
		case peer == nil:
			pn.routes = &routeProg{owner: pn.ref, entries: []routeEntry{{rng: full, drop: &drop{code: CodeOutsideEstate, comp: pn.ref,
				message: fmt.Sprintf("the peer VPC %s is not in the network", k[1])}}}}
		default:
			ed := e.link(pn, peer, edgeRoute, nil, nil)
			var cands []candidate
			for _, pfx := range peer.vpc.AllCIDRs() {
				for _, rng := range prefixRanges(pfx) {
					cands = append(cands, candidate{rng: rng, bits: familyBits(pfx), to: ed,
						route: RuleRef{Kind: "route", Text: fmt.Sprintf("into %s (%s)", peer.vpc.Label(), pfx), Owner: pn.ref}})
				}
			}
			pn.routes = resolve(pn.ref, cands)
			pn.routes.noRoute = CodePCXRequiresAddressInVPC
		}
	}
	for _, c := range e.net.VPNConnections {
		if c.TransitGatewayID == "" {
			continue
		}
		on := e.onprem[c.ID]
		var att *model.TGWAttachment
		for _, a := range e.net.TGWAttachments {
			if a.Kind == model.TGWAttachVPN && a.VPNConnectionID == c.ID {
				att = a
			}
		}
		var entry routeEntry
		entry.rng = full
		switch rt := e.vpnAssociation(att, c); {
		case att == nil:
			entry.drop = &drop{code: CodeBadState, comp: on.ref, message: fmt.Sprintf("VPN connection %s has no transit gateway attachment in the network", c.Label())}
		case rt == nil:
			entry.drop = &drop{code: CodeTGWAttachMissingRTB, comp: refOf("transit-gateway-attachment", &att.Meta), message: fmt.Sprintf("VPN attachment %s is associated with no route table", att.Label())}
		default:
			entry.to = e.link(on, e.tgwNode(rt, ""), edgeRoute, nil, nil)
			entry.route = RuleRef{Kind: "route", Text: "on-premises routing toward " + c.TransitGatewayID, Owner: on.ref}
		}
		on.routes = &routeProg{owner: on.ref, entries: []routeEntry{entry}}
	}
}

func (e *Engine) vpnAssociation(att *model.TGWAttachment, c *model.VPNConnection) *model.TGWRouteTable {
	if att == nil {
		return nil
	}
	return e.association(att.ID, c.TransitGatewayID)
}

// Non-public address space (RFC 6890's private, shared, loopback,
// link-local, benchmarking, multicast and reserved blocks). Documentation
// blocks (TEST-NET-1/2/3, 2001:db8::/32) stay public: they are what examples
// and tests use for internet hosts.
var nonPublic = []string{
	"0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
	"192.0.0.0/24", "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/4", "240.0.0.0/4",
	"::/8", "100::/64", "fc00::/7", "fe80::/10", "ff00::/8",
}

// IsPublic reports whether a is a public (internet-routable) address, by the
// definition docs/semantics.md gives.
func IsPublic(a netip.Addr) bool {
	a = a.Unmap()
	for _, s := range nonPublic {
		if netip.MustParsePrefix(s).Contains(a) {
			return false
		}
	}
	return true
}

// buildInternet decides where the internet delivers each destination: public
// addresses of the estate to their internet gateway, VPC IPv6 blocks to the
// VPC's gateway, other public addresses to hosts on the internet, and
// nothing to private space.
func (e *Engine) buildInternet() {
	in := e.internet
	var cands []candidate
	cands = append(cands,
		candidate{rng: all4, bits: 96, drop: &drop{code: CodePrivateOnInternet, comp: in.ref, message: "the destination is a private or reserved address, which the internet does not route"}},
	)
	for _, r := range all6 {
		cands = append(cands, candidate{rng: r, bits: 0, drop: &drop{code: CodePrivateOnInternet, comp: in.ref, message: "the destination is a private or reserved address, which the internet does not route"}})
	}
	exit := RuleRef{Kind: "route", Text: "internet host", Owner: in.ref}
	public := e.publicSpace()
	// Public space is not a prefix: it ranks just above the family's
	// default (/0) and below every prefix of the estate.
	for _, r := range public {
		bits := 1
		if !r.Lo.Less(v4Block.Lo) && !v4Block.Hi.Less(r.Hi) {
			bits = 97
		}
		cands = append(cands, candidate{rng: r, bits: bits, route: exit, exit: true})
	}
	igwOf := map[string]*node{}
	eigwOf := map[string]*node{}
	for _, g := range e.net.InternetGateways {
		if g.VPCID != "" {
			igwOf[g.VPCID] = e.gw[g.ID]
		}
	}
	for _, g := range e.net.EgressOnlyGateways {
		eigwOf[g.VPCID] = e.gw[g.ID]
	}
	for _, v := range e.net.VPCs {
		igw := igwOf[v.ID]
		var toIGW *edge
		if igw != nil {
			toIGW = e.link(in, igw, edgeRoute, nil, nil)
		}
		for _, p := range v.CIDRs {
			if igw == nil || !IsPublic(p.Addr()) {
				// Private blocks are unreachable from the internet anyway;
				// naming the VPC makes the explanation useful.
				cands = append(cands, candidate{rng: prefixRanges(p)[0], bits: familyBits(p), drop: &drop{code: CodeIGWPrivateIPForIngress, comp: in.ref,
					message: fmt.Sprintf("the destination is a private address of %s; an internet gateway only admits traffic to public or Elastic IP addresses", v.Label())}})
			}
		}
		for _, p := range v.IPv6CIDRs {
			for _, rng := range prefixRanges(p) {
				c := candidate{rng: rng, bits: familyBits(p)}
				switch {
				case igw != nil:
					c.to = toIGW
					c.route = RuleRef{Kind: "route", Text: fmt.Sprintf("internet route to %s (%s) via %s", v.Label(), p, igw.ref.Label()), Owner: in.ref}
				case eigwOf[v.ID] != nil:
					c.to = e.link(in, eigwOf[v.ID], edgeRoute, nil, nil)
					c.route = RuleRef{Kind: "route", Text: fmt.Sprintf("internet route to %s (%s) via %s", v.Label(), p, eigwOf[v.ID].ref.Label()), Owner: in.ref}
				default:
					c.drop = &drop{code: CodeUnknownDestination, comp: in.ref, message: fmt.Sprintf("%s (%s) has no internet gateway", v.Label(), p)}
				}
				cands = append(cands, c)
			}
		}
		for _, np := range sortedPairs(e.pub[v.ID]) {
			c := candidate{rng: hset.AddrRange{Lo: np.public, Hi: np.public}, bits: 128}
			if igw != nil {
				c.to = toIGW
				c.route = RuleRef{Kind: "route", Text: fmt.Sprintf("public address %s of %s via %s", np.public.NetIP(), np.eni.Label(), igw.ref.Label()), Owner: in.ref}
			} else {
				c.drop = &drop{code: CodeUnknownDestination, comp: in.ref, message: fmt.Sprintf("public address %s belongs to %s, whose VPC %s has no internet gateway", np.public.NetIP(), np.eni.Label(), v.Label())}
			}
			cands = append(cands, c)
		}
	}
	for _, eip := range e.net.ElasticIPs {
		if eip.PublicIP.IsValid() && e.publicOwner[eip.PublicIP] == nil {
			cands = append(cands, candidate{rng: addrRange(eip.PublicIP), bits: 128, drop: &drop{code: CodeUnknownDestination, comp: refOf("elastic-ip", &eip.Meta),
				message: fmt.Sprintf("Elastic IP %s is associated with no network interface", eip.PublicIP)}})
		}
	}
	in.routes = resolve(in.ref, cands)
	e.internetSpace = e.subtractEstate(public)
	// Replies leave for the internet host that sent the request. Internet
	// sources never include the estate's own public addresses (a name or
	// address of the estate resolves to its interface), so a reply never
	// needs to re-enter the estate here; routing it by the forward table
	// would only fan out over every public address of the estate.
	var back []candidate
	for _, c := range cands {
		if c.exit || (c.drop != nil && c.drop.code == CodePrivateOnInternet) {
			back = append(back, c)
		}
	}
	in.inbound = resolve(in.ref, back)
	var pubs []netip.Addr
	for a := range e.publicOwner {
		pubs = append(pubs, a)
	}
	for _, eip := range e.net.ElasticIPs {
		pubs = append(pubs, eip.PublicIP)
	}
	e.estatePublic = addrsRanges(pubs)
}

func sortedPairs(m map[hset.Addr]natPair) []natPair {
	out := make([]natPair, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b natPair) int { return cmpAddr(a.public, b.public) })
	return out
}

// publicSpace is every public address, as sorted disjoint ranges.
func (e *Engine) publicSpace() []hset.AddrRange {
	s := hset.Of(dstBoxes(all4)...).Union(hset.Of(dstBoxes(all6...)...))
	for _, p := range nonPublic {
		s = s.Subtract(hset.Of(dstBoxes(prefixRanges(netip.MustParsePrefix(p))...)...))
	}
	return s.Project(hset.DimDst)
}

// subtractEstate removes the estate's own blocks (VPC CIDRs, on-premises
// networks) from ranges: what remains is "the internet" as a source. The
// estate's own public addresses stay in it: they are reached through the
// internet like any host, and cutting each out would fragment every source
// list into thousands of blocks.
func (e *Engine) subtractEstate(ranges []hset.AddrRange) []hset.AddrRange {
	s := hset.Of(dstBoxes(ranges...)...)
	var own []hset.AddrRange
	for _, v := range e.net.VPCs {
		for _, p := range v.AllCIDRs() {
			own = append(own, prefixRanges(p)...)
		}
	}
	for _, c := range e.net.VPNConnections {
		for _, p := range c.OnPremCIDRs {
			own = append(own, prefixRanges(p)...)
		}
	}
	if len(own) > 0 {
		s = s.Subtract(hset.Of(dstBoxes(own...)...))
	}
	return s.Project(hset.DimDst)
}

// buildTGWTables compiles the route tables of every transit gateway node
// created so far; compiling one may create more (a peering attachment leads
// into the peer's table), so it repeats until none is new.
func (e *Engine) buildTGWTables() {
	done := map[*node]bool{}
	for {
		var todo []*node
		for _, n := range e.tgwrt {
			if !done[n] {
				todo = append(todo, n)
			}
		}
		if len(todo) == 0 {
			return
		}
		sort.Slice(todo, func(i, j int) bool { return todo[i].id < todo[j].id })
		for _, n := range todo {
			done[n] = true
			e.buildTGWTable(n)
		}
	}
}

func (e *Engine) buildTGWTable(n *node) {
	rt := n.tgwrt
	owner := n.ref
	var cands []candidate
	add := func(p netip.Prefix, prio int, ref RuleRef, attID string, blackhole bool) {
		to, dr := e.tgwTarget(n, attID, blackhole)
		for _, rng := range prefixRanges(p) {
			cands = append(cands, candidate{rng: rng, bits: familyBits(p), prio: prio, route: ref, to: to, drop: dr})
		}
	}
	for i := range rt.Routes {
		r := &rt.Routes[i]
		text := fmt.Sprintf("route %s -> %s", r.Destination, r.AttachmentID)
		if r.Blackhole {
			text = fmt.Sprintf("route %s -> blackhole", r.Destination)
		}
		ref := RuleRef{Kind: "transit-gateway-route", Text: text, Owner: owner, ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
		add(r.Destination, 0, ref, r.AttachmentID, r.Blackhole)
	}
	for _, l := range rt.Propagations {
		a := e.ix.TGWAttachments[l.AttachmentID]
		if a == nil {
			continue
		}
		var prefixes []netip.Prefix
		switch a.Kind {
		case model.TGWAttachVPC:
			if v := e.ix.VPCs[a.VPCID]; v != nil {
				prefixes = v.AllCIDRs()
			}
		case model.TGWAttachVPN:
			if c := e.ix.VPNConnections[a.VPNConnectionID]; c != nil {
				prefixes = c.OnPremCIDRs
			}
		}
		for _, p := range prefixes {
			ref := RuleRef{Kind: "transit-gateway-route", Text: fmt.Sprintf("route %s -> %s (propagated)", p, a.Label()), Owner: owner,
				Address: l.Address, Pos: l.Pos, Synthetic: l.Synthetic}
			add(p, 2, ref, a.ID, false)
		}
	}
	n.routes = resolve(owner, cands)
	n.routes.noRoute = CodeTGWRTBCannotRoute
}

// tgwTarget is where a transit gateway route table sends traffic for an
// attachment. Traffic leaves a VPC attachment in the zone it entered when
// the attachment has a subnet there, else in the attachment's first zone; it
// then follows the attachment subnet's route table.
func (e *Engine) tgwTarget(n *node, attID string, blackhole bool) (*edge, *drop) {
	if blackhole {
		return nil, &drop{code: CodeBadStateRoute, comp: n.ref, message: "the transit gateway route is a blackhole route"}
	}
	a := e.ix.TGWAttachments[attID]
	if a == nil {
		return nil, &drop{code: CodeBadStateRoute, comp: n.ref, message: fmt.Sprintf("the route targets attachment %s, which is not in the network", attID)}
	}
	aref := refOf("transit-gateway-attachment", &a.Meta)
	switch a.Kind {
	case model.TGWAttachVPC:
		var out *model.Subnet
		var subs []*model.Subnet
		for _, id := range a.SubnetIDs {
			if s := e.ix.Subnets[id]; s != nil {
				subs = append(subs, s)
			}
		}
		slices.SortFunc(subs, func(x, y *model.Subnet) int { return cmp.Compare(x.Zone(), y.Zone()) })
		for _, s := range subs {
			if s.Zone() == n.zone {
				out = s
			}
		}
		if out == nil && len(subs) > 0 {
			out = subs[0]
		}
		if out == nil {
			return nil, &drop{code: CodeOutsideEstate, comp: aref, message: fmt.Sprintf("attachment %s leads to VPC %s, whose subnets are not in the network", aref.Label(), a.VPCID)}
		}
		return e.link(n, e.subnet[out.ID], edgeRoute, nil, nil), nil
	case model.TGWAttachPeering:
		peer := a.PeerTransitGatewayID
		if peer == n.tgwrt.TransitGatewayID {
			peer = a.TransitGatewayID
		}
		if e.ix.TransitGateways[peer] == nil {
			return nil, &drop{code: CodeOutsideEstate, comp: aref, message: fmt.Sprintf("peer transit gateway %s is not in the network", peer)}
		}
		rt := e.association(a.ID, peer)
		if rt == nil {
			return nil, &drop{code: CodeTGWAttachMissingRTB, comp: aref, message: fmt.Sprintf("on transit gateway %s, peering attachment %s is associated with no route table", peer, aref.Label())}
		}
		return e.link(n, e.tgwNode(rt, ""), edgeRoute, nil, nil), nil
	case model.TGWAttachVPN:
		if on := e.onprem[a.VPNConnectionID]; on != nil {
			return e.link(n, on, edgeRoute, nil, nil), nil
		}
	}
	return nil, &drop{code: CodeUnsupportedComponent, comp: aref, message: fmt.Sprintf("attachment %s of kind %s is not modelled", aref.Label(), a.Kind)}
}

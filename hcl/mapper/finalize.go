package mapper

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// finalize completes what needs every element in place: attachments, endpoint interfaces, groups
// named by name, placeholder addresses, and the network's region and
// account.
func (m *mapper) finalize() {
	m.dedupeSGRules()
	m.applyAttachments()
	m.endpointInterfaces()
	m.placeListenerRules()
	m.lbInterfaces()
	m.serviceInterfaces()
	m.asgInterfaces()
	m.resolveGroups()
	m.placeholders()
	for _, pp := range m.pendingPeerings {
		if !m.accepted[pp.p] {
			pp.v.notef("accept_status is not known until apply and nothing in the input accepts the connection (auto_accept is not set): it is taken as not active")
		}
	}
	for _, c := range m.bgpVPNs {
		if len(c.OnPremCIDRs) == 0 {
			m.diag(model.SeverityNote, c.Pos, c.Label(), "the connection learns its routes by BGP, which the input does not show: the on-premises networks behind it are unknown")
		}
	}
	m.regions()
}

// applyDefaults makes the elements of aws_default_route_table,
// aws_default_network_acl and aws_default_security_group the VPC's own, so
// that Synthesize does not add AWS's defaults beside them.
func (m *mapper) applyDefaults() {
	for _, rt := range m.defaultRTs {
		if rt.VPCID == "" {
			for _, vpc := range m.n.VPCs {
				if vpc.MainRouteTableID == rt.ID {
					rt.VPCID = vpc.ID
				}
			}
		}
		if rt.VPCID == "" {
			m.diag(model.SeverityWarning, rt.Pos, rt.Label(), "no VPC of the input has this table as its default route table, and vpc_id is not set")
			continue
		}
		if vpc := m.vpcs[rt.VPCID]; vpc != nil {
			vpc.MainRouteTableID = rt.ID
		}
	}
	for _, acl := range m.defaultACLs {
		if acl.VPCID == "" {
			for _, vpc := range m.n.VPCs {
				if vpc.DefaultNetworkACLID == acl.ID {
					acl.VPCID = vpc.ID
				}
			}
		}
		if acl.VPCID == "" {
			m.diag(model.SeverityWarning, acl.Pos, acl.Label(), "no VPC of the input has this network ACL as its default, and vpc_id is not set")
		}
		if vpc := m.vpcs[acl.VPCID]; vpc != nil {
			vpc.DefaultNetworkACLID = acl.ID
		}
		acl.Default = true
	}
	for _, sg := range m.defaultSGs {
		if vpc := m.vpcs[sg.VPCID]; vpc != nil {
			vpc.DefaultSecurityGroupID = sg.ID
		}
		sg.Default = true
	}
}

// dedupeSGRules drops inline rules that a standalone rule resource also
// declares: after a refresh, the state of aws_security_group lists every
// rule of the group, the standalone ones included, and each rule should be
// explained by the resource that declares it.
func (m *mapper) dedupeSGRules() {
	same := func(a, b model.SGRule) bool {
		return a.Direction == b.Direction && a.Protocol == b.Protocol && a.Ports == b.Ports && a.ICMP == b.ICMP &&
			a.Peer.Kind == b.Peer.Kind && a.Peer.CIDR == b.Peer.CIDR && a.Peer.PrefixListID == b.Peer.PrefixListID && a.Peer.GroupID == b.Peer.GroupID
	}
	for _, sg := range m.n.SecurityGroups {
		if !m.inlineSG[sg] {
			continue
		}
		for _, rules := range []*[]model.SGRule{&sg.Ingress, &sg.Egress} {
			var standalone []model.SGRule
			for _, r := range *rules {
				if r.Address != sg.Address {
					standalone = append(standalone, r)
				}
			}
			if len(standalone) == 0 {
				continue
			}
			*rules = slices.DeleteFunc(*rules, func(r model.SGRule) bool {
				return r.Address == sg.Address && slices.ContainsFunc(standalone, func(s model.SGRule) bool { return same(r, s) })
			})
		}
	}
}

// applyAttachments attaches interfaces to instances, ordered by device
// index, the primary first.
func (m *mapper) applyAttachments() {
	device := map[string]int{}
	for _, in := range m.n.Instances {
		for _, id := range in.InterfaceIDs {
			device[id] = 0
		}
	}
	touched := map[*model.Instance]bool{}
	for _, a := range m.attachments {
		e, in := m.enis[a.eni], m.instances[a.instance]
		switch {
		case e == nil:
			a.v.errorf("network interface %s is not in the input: it cannot be attached to %s", a.eni, a.instance)
			continue
		case in == nil:
			// An interface attached to an instance outside the input
			// still belongs to it.
			e.OwnerKind, e.OwnerID = model.OwnerInstance, a.instance
			continue
		}
		e.OwnerKind, e.OwnerID = model.OwnerInstance, in.ID
		if d, ok := device[e.ID]; ok && d != a.device && slices.Contains(in.InterfaceIDs, e.ID) {
			continue
		}
		device[e.ID] = a.device
		in.InterfaceIDs = addUnique(in.InterfaceIDs, e.ID)
		touched[in] = true
	}
	for in := range touched {
		slices.SortStableFunc(in.InterfaceIDs, func(a, b string) int { return device[a] - device[b] })
	}
}

// endpointInterfaces adds the interfaces of interface and Gateway Load
// Balancer endpoints, one per subnet, with the endpoint's groups and the
// addresses the state gives (subnet_configuration), else placeholders; and
// the service prefix list of gateway endpoints when the input gives its
// blocks.
func (m *mapper) endpointInterfaces() {
	for _, e := range m.n.Endpoints {
		x := m.endpointCfg[e]
		if x == nil {
			continue // a firewall endpoint: its interface is the firewall's
		}
		if e.Type == model.EndpointGateway {
			m.gatewayPrefixList(e, x)
			continue
		}
		e.InterfaceIDs = nil
		for _, subnet := range e.SubnetIDs {
			id := e.ID + "/" + subnet
			if len(e.SubnetIDs) == 1 && len(x.eniIDs) == 1 {
				id = x.eniIDs[0]
			}
			eni := &model.NetworkInterface{
				Meta:     model.Meta{ID: id, Pos: e.Pos, Name: "interface of " + e.Label() + " in " + subnet},
				SubnetID: subnet, SourceDestCheck: true, OwnerKind: model.OwnerEndpoint, OwnerID: e.ID,
			}
			for _, a := range x.addrs[subnet] {
				if a.Is4() {
					eni.PrivateIPs = append(eni.PrivateIPs, a)
				} else {
					eni.IPv6Addrs = append(eni.IPv6Addrs, a)
				}
			}
			srv := &serverENI{eni: eni, v: x.v, sgAttr: "security_group_ids", privateUnknown: len(eni.PrivateIPs) == 0}
			if !x.v.unknown("subnet_configuration") && !x.v.unknown("network_interface_ids") && !e.IsUnknown("id") {
				srv.placeholderWhy = "the input does not give the address of the endpoint's interface in this subnet (the state has no subnet_configuration)"
			}
			if e.Type == model.EndpointInterface {
				eni.SecurityGroupIDs = slices.Clone(e.SecurityGroupIDs)
				if vpc := m.vpcs[e.VPCID]; x.keepDefault && vpc != nil && vpc.DefaultSecurityGroupID != "" {
					eni.SecurityGroupIDs = addUnique([]string{vpc.DefaultSecurityGroupID}, eni.SecurityGroupIDs...)
				}
			} else {
				srv.sgAttr = "" // a Gateway Load Balancer endpoint has no security group
			}
			if m.enis[id] != nil {
				continue
			}
			m.addENI(eni, srv)
			e.InterfaceIDs = append(e.InterfaceIDs, id)
		}
	}
}

// gatewayPrefixList gives a gateway endpoint its service's prefix list: the
// one the input describes (a data source named after the service), else one
// made from the endpoint's cidr_blocks, else the symbolic one Synthesize
// adds with unknown entries.
func (m *mapper) gatewayPrefixList(e *model.VPCEndpoint, x *endpointExtra) {
	if e.PrefixListID == "" {
		for _, pl := range m.n.PrefixLists {
			if pl.AWSManaged && pl.Name == e.ServiceName && e.ServiceName != "" {
				e.PrefixListID = pl.ID
			}
		}
	}
	if e.PrefixListID == "" && x.v.unknown("prefix_list_id") {
		e.PrefixListID = m.resolve(resource.SymbolicID(x.v.in.Address, "prefix_list_id"))
		e.MarkUnknown("prefix_list_id")
	}
	if e.PrefixListID == "" || m.pls[e.PrefixListID] != nil || len(x.cidrs) == 0 {
		return
	}
	pl := &model.PrefixList{Meta: model.Meta{ID: e.PrefixListID, Name: e.ServiceName, Pos: e.Pos}, AWSManaged: true, Entries: x.cidrs}
	m.pls[pl.ID] = pl
	m.n.PrefixLists = append(m.n.PrefixLists, pl)
}

// vpcOfSubnet returns the VPC of a subnet in the network, or nil.
func (m *mapper) vpcOfSubnet(id string) *model.VPC {
	if s := m.subnets[id]; s != nil {
		return m.vpcs[s.VPCID]
	}
	return nil
}

// resolveGroups resolves groups named by name. Which interfaces get their
// VPC's default group is model.Synthesize's decision; an interface whose
// groups cannot be read is marked so that Synthesize leaves it alone.
func (m *mapper) resolveGroups() {
	for _, srv := range m.servers {
		e := srv.eni
		vpc := m.vpcOfSubnet(e.SubnetID)
		for _, name := range srv.sgNames {
			var found *model.SecurityGroup
			for _, sg := range m.n.SecurityGroups {
				if sg.GroupName == name && (vpc == nil || sg.VPCID == vpc.ID) {
					found = sg
					break
				}
			}
			if found == nil {
				srv.v.warnf("security group %q (named by name in %s) is not in the input", name, srv.sgAttr)
				e.MarkUnknown(srv.sgAttr)
				continue
			}
			e.SecurityGroupIDs = addUnique(e.SecurityGroupIDs, found.ID)
		}
		if len(e.SecurityGroupIDs) > 0 || srv.sgAttr == "" || len(srv.sgNames) > 0 {
			continue
		}
		if why := srv.v.in.Unresolved[srv.sgAttr]; srv.v.listUnknown(srv.sgAttr) && why != "" && why != resource.NotConfigured {
			srv.v.unknownf(srv.sgAttr, "the security groups of %s cannot be analysed", e.Label())
			e.MarkUnknown(srv.sgAttr)
		}
	}
}

// placeholders gives addresses to what will have one after apply but does
// not yet: Elastic IPs, NAT gateways, interfaces, and instances' public
// addresses, in that order, from an allocator that avoids every known
// address. Each placeholder is listed in Meta.Unknown and noted.
func (m *mapper) placeholders() {
	al := model.NewAllocator(m.n)
	al.PublicBlock(m.o.PlaceholderBlock)
	note := func(md *model.Meta, attr string, a netip.Addr) {
		md.MarkUnknown(attr)
		m.diag(model.SeverityNote, md.Pos, md.Label(), "%s is not known until apply: using placeholder %s", attr, a)
	}
	for _, e := range m.n.ElasticIPs {
		if !e.PublicIP.IsValid() {
			e.PublicIP, e.Placeholder = al.Public(), true
			note(&e.Meta, "public_ip", e.PublicIP)
		}
	}
	for _, g := range m.n.NATGateways {
		s := m.subnets[g.SubnetID]
		if !g.PrivateIP.IsValid() {
			if s != nil && s.CIDR.IsValid() {
				if a, ok := al.Private(s.CIDR); ok {
					g.PrivateIP, g.Placeholder = a, true
					note(&g.Meta, "private_ip", a)
				}
			} else if g.SubnetID != "" {
				g.MarkUnknown("private_ip")
				m.diag(model.SeverityWarning, g.Pos, g.Label(), "private_ip is not known until apply and the CIDR block of subnet %s is not known: the NAT gateway has no address", g.SubnetID)
			}
		}
		// A configuration ties an Elastic IP to its NAT gateway only by
		// the gateway's allocation_id; a state records the association on
		// the address too.
		if eip := m.eips[g.AllocationID]; eip != nil && eip.InterfaceID == "" && eip.InstanceID == "" && g.InterfaceID != "" {
			eip.InterfaceID = g.InterfaceID
			if !eip.PrivateIP.IsValid() {
				eip.PrivateIP = g.PrivateIP
			}
		}
		if g.Private || g.PublicIP.IsValid() {
			continue
		}
		if eip := m.eips[g.AllocationID]; eip != nil && eip.PublicIP.IsValid() {
			g.PublicIP = eip.PublicIP
			if eip.Placeholder {
				g.Placeholder = true
				g.MarkUnknown("public_ip")
			}
		} else if g.AllocationID != "" || g.IsUnknown("allocation_id") {
			g.PublicIP, g.Placeholder = al.Public(), true
			note(&g.Meta, "public_ip", g.PublicIP)
		}
	}
	eipOwned := map[netip.Addr]bool{}
	eipTarget := map[string]bool{}
	for _, e := range m.n.ElasticIPs {
		eipOwned[e.PublicIP] = true
		eipTarget[e.InterfaceID] = true
		eipTarget[e.InstanceID] = true
	}
	owned := &ownedPlaceholders{}
	defer owned.note(m)
	for _, srv := range m.servers {
		e := srv.eni
		s := m.subnets[e.SubnetID]
		if len(e.PrivateIPs) == 0 && srv.privateUnknown {
			switch {
			case s != nil && s.CIDR.IsValid():
				if a, ok := al.Private(s.CIDR); ok {
					e.PrivateIPs = append(e.PrivateIPs, a)
					e.Placeholders = append(e.Placeholders, a)
					if srv.placeholderWhy != "" {
						e.MarkUnknown("private_ip")
						owned.add(srv, m.subnets[e.SubnetID], srv.placeholderWhy, a)
					} else {
						note(&e.Meta, "private_ip", a)
					}
				} else {
					m.diag(model.SeverityWarning, e.Pos, e.Label(), "private_ip is not known until apply and subnet %s has no free address for a placeholder", s.Label())
				}
			case s != nil && s.IPv6CIDR.IsValid():
				// An IPv6-only subnet: the interface needs no IPv4
				// address.
			case e.SubnetID != "":
				// Another input merged with this one may hold the subnet
				// (model.PlacePending): the warning is about it, and what
				// the instance asks of a public address is kept.
				e.MarkUnknown("private_ip")
				if srv.instance != nil && !eipTarget[e.ID] && !eipTarget[srv.instance.ID] {
					switch {
					case srv.associate == nil && srv.publicUnknown:
						e.MarkUnknown(model.PendingPublicOnLaunch)
					case srv.associate != nil && *srv.associate:
						e.MarkUnknown(model.PendingPublic)
					}
				}
				m.ds = append(m.ds, model.Diagnostic{Severity: model.SeverityWarning, Pos: e.Pos, Element: e.Label(), About: e.SubnetID,
					Message: fmt.Sprintf("private_ip is not known until apply and the CIDR block of subnet %s is not known: the interface has no address", e.SubnetID)})
			default:
				e.MarkUnknown("private_ip") // its subnet is unknown, which has been reported
			}
		}
		if len(e.IPv6Addrs) == 0 && (srv.ipv6Unknown || (len(e.PrivateIPs) == 0 && s != nil && !s.CIDR.IsValid() && s.IPv6CIDR.IsValid())) && s != nil && s.IPv6CIDR.IsValid() {
			if a, ok := al.Private(s.IPv6CIDR); ok {
				e.IPv6Addrs = append(e.IPv6Addrs, a)
				e.Placeholders = append(e.Placeholders, a)
				note(&e.Meta, "ipv6_addresses", a)
			}
		}
		if srv.instance == nil && !srv.launches && !srv.public && !srv.publicIP.IsValid() || len(e.PrivateIPs) == 0 {
			continue
		}
		instanceID := ""
		if srv.instance != nil {
			instanceID = srv.instance.ID
		}
		switch {
		case srv.publicIP.IsValid():
			if !eipOwned[srv.publicIP] {
				e.PublicIPs = append(e.PublicIPs, model.PublicIP{Public: srv.publicIP, Private: e.PrivateIPs[0]})
			}
		case srv.public && !eipTarget[e.ID]:
			a := al.Public()
			e.PublicIPs = append(e.PublicIPs, model.PublicIP{Public: a, Private: e.PrivateIPs[0], Placeholder: true})
			e.MarkUnknown("public_ip")
			owned.add(srv, s, srv.publicWhy, a)
		case srv.launches && !eipTarget[e.ID]:
			want := s != nil && s.MapPublicIPOnLaunch
			if srv.associate != nil {
				want = *srv.associate
			}
			if want {
				a := al.Public()
				e.PublicIPs = append(e.PublicIPs, model.PublicIP{Public: a, Private: e.PrivateIPs[0], Placeholder: true})
				e.MarkUnknown("public_ip")
				owned.add(srv, s, "the instances it launches get public addresses when launched", a)
			}
		case srv.publicUnknown && !eipTarget[e.ID] && !eipTarget[instanceID]:
			want := s != nil && s.MapPublicIPOnLaunch
			if srv.associate != nil {
				want = *srv.associate
			}
			if want {
				a := al.Public()
				e.PublicIPs = append(e.PublicIPs, model.PublicIP{Public: a, Private: e.PrivateIPs[0], Placeholder: true})
				note(&e.Meta, "public_ip", a)
			}
		}
	}
}

// regions gives the network its region and account: the options' when
// given, else the ones the input names most often. VPCs without an ARN take
// the region of their subnets' zones.
func (m *mapper) regions() {
	r := best(m.evidence.regions, m.evidence.regionOrder)
	a := best(m.evidence.accounts, m.evidence.accountOrder)
	pos := model.Pos{File: m.n.Source}
	switch {
	case m.o.Region != "":
		if r != "" && r != m.o.Region {
			m.diag(model.SeverityWarning, pos, "", "the given region %s differs from %s, which the input names: %s is used for elements that do not name their own", m.o.Region, r, m.o.Region)
		}
		m.n.Region = m.o.Region
	default:
		m.n.Region = r
	}
	switch {
	case m.o.AccountID != "":
		if a != "" && a != m.o.AccountID {
			m.diag(model.SeverityWarning, pos, "", "the given account %s differs from %s, which the input names: %s is used for elements that do not name their own", m.o.AccountID, a, m.o.AccountID)
		}
		m.n.AccountID = m.o.AccountID
	default:
		m.n.AccountID = a
	}
	for _, vpc := range m.n.VPCs {
		if vpc.Region != "" {
			continue
		}
		for _, s := range m.n.Subnets {
			if s.VPCID == vpc.ID {
				if z := regionOfZone(s.AvailabilityZone); z != "" {
					vpc.Region = z
					break
				}
			}
		}
	}
	for _, p := range m.n.PeeringConnections {
		if p.AccepterRegion == m.n.Region {
			p.AccepterRegion = ""
		}
		if vpc := m.vpcs[p.RequesterVPCID]; vpc != nil && vpc.Region != m.n.Region {
			p.RequesterRegion = vpc.Region
		}
	}
}

// ownedPlaceholders gathers the placeholders of the interfaces a load
// balancer, an Auto Scaling group or a service has, one per subnet, so that
// each element is noted once for each reason, with all its placeholders,
// rather than once per interface.
type ownedPlaceholders struct {
	order []ownedKey
	addrs map[ownedKey][]string
}

type ownedKey struct {
	pos        model.Pos
	owner, why string
}

func (o *ownedPlaceholders) add(srv *serverENI, s *model.Subnet, why string, a netip.Addr) {
	k := ownedKey{pos: srv.eni.Pos, owner: cmp.Or(srv.v.in.Address, srv.v.str("id"), srv.eni.Label()), why: why}
	if o.addrs == nil {
		o.addrs = map[ownedKey][]string{}
	}
	if _, ok := o.addrs[k]; !ok {
		o.order = append(o.order, k)
	}
	in := a.String()
	if s != nil {
		in += " in " + s.Label()
	}
	o.addrs[k] = append(o.addrs[k], in)
}

func (o *ownedPlaceholders) note(m *mapper) {
	for _, k := range o.order {
		list := o.addrs[k]
		what := "placeholder"
		if len(list) > 1 {
			what = "placeholders"
		}
		m.diag(model.SeverityNote, k.pos, k.owner, "%s: using %s %s", k.why, what, strings.Join(list, ", "))
	}
}

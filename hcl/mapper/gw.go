package mapper

import (
	"net/netip"
	"strconv"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// igw maps aws_internet_gateway; without vpc_id it is detached (or attached
// by an aws_internet_gateway_attachment).
func (m *mapper) igw(v view) {
	g := &model.InternetGateway{Meta: v.meta(), VPCID: attachableVPC(v, "internet gateway")}
	m.igws[g.ID] = g
	m.n.InternetGateways = append(m.n.InternetGateways, g)
}

// igwAttachment maps aws_internet_gateway_attachment.
func (m *mapper) igwAttachment(v view) {
	attach(v, "internet_gateway_id", "internet gateway", func(id string) *string {
		if g := m.igws[id]; g != nil {
			return &g.VPCID
		}
		return nil
	})
}

// eigw maps aws_egress_only_internet_gateway.
func (m *mapper) eigw(v view) {
	g := &model.EgressOnlyInternetGateway{Meta: v.meta()}
	v.regionAccount()
	g.VPCID = v.needIn(&g.Meta, "vpc_id", "the egress-only internet gateway cannot be placed")
	m.eigws[g.ID] = g
	m.n.EgressOnlyGateways = append(m.n.EgressOnlyGateways, g)
}

// vgw maps aws_vpn_gateway; without vpc_id it is detached (or attached by an
// aws_vpn_gateway_attachment).
func (m *mapper) vgw(v view) {
	g := &model.VPNGateway{Meta: v.meta(), VPCID: attachableVPC(v, "VPN gateway")}
	m.vgws[g.ID] = g
	m.n.VPNGateways = append(m.n.VPNGateways, g)
}

// vgwAttachment maps aws_vpn_gateway_attachment.
func (m *mapper) vgwAttachment(v view) {
	attach(v, "vpn_gateway_id", "VPN gateway", func(id string) *string {
		if g := m.vgws[id]; g != nil {
			return &g.VPCID
		}
		return nil
	})
}

// attachableVPC reads the vpc_id of a gateway that may also be attached by a
// separate attachment resource: empty means detached, unless it is unknown.
func attachableVPC(v view, what string) string {
	v.regionAccount()
	id := v.ref("vpc_id")
	if id == "" && v.unknown("vpc_id") {
		v.unknownf("vpc_id", "the %s cannot be attached", what)
	}
	return id
}

// attach maps an attachment resource onto the VPC field of the gateway its
// idAttr names (vpcOf returns nil when the gateway is not in the input).
func attach(v view, idAttr, what string, vpcOf func(id string) *string) {
	id := v.ref(idAttr)
	vpc := vpcOf(id)
	if vpc == nil {
		v.missing(idAttr, what, id, "the attachment cannot be placed")
		return
	}
	*vpc = v.need("vpc_id", "the "+what+" cannot be attached")
}

// cgw maps aws_customer_gateway.
func (m *mapper) cgw(v view) {
	g := &model.CustomerGateway{Meta: v.meta()}
	v.regionAccount()
	if a, ok := v.addr("ip_address", anyFamily); ok {
		g.IP = a
	}
	for _, attr := range []string{"bgp_asn_extended", "bgp_asn"} {
		if s := v.str(attr); s != "" && s != "0" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 1 || n > 4294967295 {
				v.errorf("%s %q is not an ASN (1-4294967295)", attr, s)
				continue
			}
			g.ASN = n
			break
		}
	}
	m.n.CustomerGateways = append(m.n.CustomerGateways, g)
}

// vpn maps aws_vpn_connection. A connection to a transit gateway also
// creates a transit gateway attachment, which the input does not declare:
// it is added here, marked synthetic.
func (m *mapper) vpn(v view) {
	c := &model.VPNConnection{Meta: v.meta()}
	v.regionAccount()
	c.VPNGatewayID = v.ref("vpn_gateway_id")
	c.TransitGatewayID = v.ref("transit_gateway_id")
	c.CustomerGatewayID = v.ref("customer_gateway_id")
	c.StaticRoutesOnly = v.boolean("static_routes_only", false)
	for _, b := range v.blocks("routes") {
		if p, ok := b.prefix("destination_cidr_block", anyFamily); ok {
			c.OnPremCIDRs = addPrefix(c.OnPremCIDRs, p)
		}
	}
	// The remote network CIDR is the customer side of the tunnels; the
	// default 0.0.0.0/0 (::/0) means "any" and says nothing.
	for _, attr := range []string{"remote_ipv4_network_cidr", "remote_ipv6_network_cidr"} {
		if p, ok := v.prefix(attr, anyFamily); ok && p.Bits() > 0 {
			c.OnPremCIDRs = addPrefix(c.OnPremCIDRs, p)
		}
	}
	if c.VPNGatewayID == "" && c.TransitGatewayID == "" {
		for _, attr := range []string{"vpn_gateway_id", "transit_gateway_id"} {
			if v.unknown(attr) {
				v.unknownf(attr, "the VPN connection cannot be attached")
				break
			}
		}
	}
	m.vpns[c.ID] = c
	m.n.VPNConnections = append(m.n.VPNConnections, c)
	if !c.StaticRoutesOnly {
		m.bgpVPNs = append(m.bgpVPNs, c)
	}
	if c.TransitGatewayID != "" {
		att := &model.TGWAttachment{
			Meta: model.Meta{ID: v.ref("transit_gateway_attachment_id"), Pos: v.in.Pos,
				Name: "transit gateway attachment of " + c.Label(), Synthetic: synthVPNAttachment},
			Kind: model.TGWAttachVPN, TransitGatewayID: c.TransitGatewayID, VPNConnectionID: c.ID,
			DefaultAssociation: true, DefaultPropagation: true,
		}
		if att.ID == "" {
			att.ID = m.resolve(resource.SymbolicID(v.in.Address, "transit_gateway_attachment_id"))
			att.MarkUnknown("id")
		}
		m.addTGWAttachment(att)
	}
}

// synthVPNAttachment is the Meta.Synthetic reason of the attachment a VPN
// connection to a transit gateway creates.
const synthVPNAttachment = "a VPN connection to a transit gateway creates a transit gateway attachment"

func addPrefix(list []netip.Prefix, p netip.Prefix) []netip.Prefix {
	for _, q := range list {
		if q == p {
			return list
		}
	}
	return append(list, p)
}

// vpnRoute maps aws_vpn_connection_route: a static route to on-premises.
func (m *mapper) vpnRoute(v view) {
	c := m.vpnConnectionRef(v, "vpn_connection_id", "the route cannot be placed")
	if c == nil {
		return
	}
	if p, ok := v.prefix("destination_cidr_block", anyFamily); ok {
		c.OnPremCIDRs = addPrefix(c.OnPremCIDRs, p)
	} else if v.unknown("destination_cidr_block") {
		v.unknownf("destination_cidr_block", "the route cannot be placed")
	}
}

// tgw maps aws_ec2_transit_gateway.
func (m *mapper) tgw(v view) {
	t := &model.TransitGateway{Meta: v.meta()}
	t.Region, t.AccountID = v.regionAccount()
	t.DefaultAssociation = v.str("default_route_table_association") != "disable"
	t.DefaultPropagation = v.str("default_route_table_propagation") != "disable"
	for _, f := range []struct {
		attr string
		dst  *string
		on   bool
	}{
		{"association_default_route_table_id", &t.AssociationRouteTableID, t.DefaultAssociation},
		{"propagation_default_route_table_id", &t.PropagationRouteTableID, t.DefaultPropagation},
	} {
		*f.dst = v.ref(f.attr)
		if *f.dst == "" && f.on && (v.unknown(f.attr) || t.IsUnknown("id")) {
			*f.dst = m.resolve(resource.SymbolicID(v.in.Address, f.attr))
		}
	}
	m.tgws[t.ID] = t
	m.n.TransitGateways = append(m.n.TransitGateways, t)
}

func (m *mapper) addTGWAttachment(a *model.TGWAttachment) {
	m.tgwAtts[a.ID] = a
	m.n.TGWAttachments = append(m.n.TGWAttachments, a)
}

// tgwVPCAttachment maps aws_ec2_transit_gateway_vpc_attachment.
func (m *mapper) tgwVPCAttachment(v view) {
	a := &model.TGWAttachment{Meta: v.meta(), Kind: model.TGWAttachVPC}
	v.regionAccount()
	m.vpcAttachmentFields(v, a)
	a.DefaultAssociation = v.boolean("transit_gateway_default_route_table_association", true)
	a.DefaultPropagation = v.boolean("transit_gateway_default_route_table_propagation", true)
	m.addTGWAttachment(a)
}

func (m *mapper) vpcAttachmentFields(v view, a *model.TGWAttachment) {
	a.TransitGatewayID = v.needIn(&a.Meta, "transit_gateway_id", "the attachment cannot be placed")
	a.VPCID = v.needIn(&a.Meta, "vpc_id", "the attachment cannot be placed")
	a.SubnetIDs = v.refs("subnet_ids")
	if len(a.SubnetIDs) == 0 && v.listUnknown("subnet_ids") {
		a.MarkUnknown("subnet_ids")
		v.unknownf("subnet_ids", "the zones the attachment reaches cannot be told")
	}
	a.ApplianceMode = v.str("appliance_mode_support") == "enable"
}

// tgwVPCAttachmentAccepter maps aws_ec2_transit_gateway_vpc_attachment_accepter:
// the transit gateway owner's side of a cross-account attachment, which
// decides the default association and propagation.
func (m *mapper) tgwVPCAttachmentAccepter(v view) {
	id := v.ref("transit_gateway_attachment_id")
	if id == "" {
		id = v.meta().ID
	}
	a := m.tgwAtts[id]
	if a == nil {
		a = &model.TGWAttachment{Meta: v.meta(), Kind: model.TGWAttachVPC}
		a.ID = id
		m.vpcAttachmentFields(v, a)
		m.addTGWAttachment(a)
	}
	a.DefaultAssociation = v.boolean("transit_gateway_default_route_table_association", true)
	a.DefaultPropagation = v.boolean("transit_gateway_default_route_table_propagation", true)
}

// tgwPeering maps aws_ec2_transit_gateway_peering_attachment. A peering
// attachment is associated with the default route table like any other (the
// reason aws_ec2_transit_gateway_route_table_association has
// replace_existing_association) but never propagates: its routes are
// static.
func (m *mapper) tgwPeering(v view) {
	a := &model.TGWAttachment{Meta: v.meta(), Kind: model.TGWAttachPeering, DefaultAssociation: true}
	v.regionAccount()
	a.TransitGatewayID = v.needIn(&a.Meta, "transit_gateway_id", "the attachment cannot be placed")
	a.PeerTransitGatewayID = v.need("peer_transit_gateway_id", "the attachment's peer cannot be told")
	m.addTGWAttachment(a)
}

// tgwPeeringAccepter maps aws_ec2_transit_gateway_peering_attachment_accepter:
// the same attachment seen from the peer. When the requester's side is in
// the input too, the attachment is already there.
func (m *mapper) tgwPeeringAccepter(v view) {
	id := v.ref("transit_gateway_attachment_id")
	if id == "" {
		id = v.meta().ID
	}
	if a := m.tgwAtts[id]; a != nil {
		v.notef("the requester's side of peering attachment %s is in the input too: one attachment, owned by %s", id, a.TransitGatewayID)
		return
	}
	a := &model.TGWAttachment{Meta: v.meta(), Kind: model.TGWAttachPeering, DefaultAssociation: true}
	a.ID = id
	a.TransitGatewayID = v.needIn(&a.Meta, "transit_gateway_id", "the attachment cannot be placed")
	a.PeerTransitGatewayID = v.need("peer_transit_gateway_id", "the attachment's peer cannot be told")
	m.addTGWAttachment(a)
}

// tgwRouteTable maps aws_ec2_transit_gateway_route_table.
func (m *mapper) tgwRouteTable(v view) {
	rt := &model.TGWRouteTable{Meta: v.meta()}
	v.regionAccount()
	rt.TransitGatewayID = v.needIn(&rt.Meta, "transit_gateway_id", "the route table cannot be placed")
	rt.Default = v.boolean("default_association_route_table", false)
	m.tgwRTs[rt.ID] = rt
	m.n.TGWRouteTables = append(m.n.TGWRouteTables, rt)
}

// tgwDefaultTable maps aws_ec2_transit_gateway_default_route_table_association
// and _propagation, which make a table the gateway's default one.
func (m *mapper) tgwDefaultTable(v view) {
	t := m.transitGatewayRef(v, "transit_gateway_id", "the default table cannot be set")
	if t == nil {
		return
	}
	rt := v.need("transit_gateway_route_table_id", "the default table cannot be set")
	if rt == "" {
		return
	}
	if v.in.Type == "aws_ec2_transit_gateway_default_route_table_association" {
		t.AssociationRouteTableID, t.DefaultAssociation = rt, true
	} else {
		t.PropagationRouteTableID, t.DefaultPropagation = rt, true
	}
}

// tgwLink maps aws_ec2_transit_gateway_route_table_association and
// _propagation.
func (m *mapper) tgwLink(v view) {
	rt := m.tgwRouteTableRef(v, "transit_gateway_route_table_id", "the link cannot be placed")
	if rt == nil {
		return
	}
	att := v.need("transit_gateway_attachment_id", "the link cannot be placed")
	if att == "" {
		return
	}
	l := model.TGWRouteTableLink{Meta: model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos}, AttachmentID: att}
	if v.unknown("id") {
		l.ID = ""
	}
	if v.in.Type == "aws_ec2_transit_gateway_route_table_association" {
		// An explicit association replaces the default one, which
		// Synthesize then does not add.
		rt.Associations = append(rt.Associations, l)
	} else {
		rt.Propagations = append(rt.Propagations, l)
	}
}

// tgwRoute maps aws_ec2_transit_gateway_route.
func (m *mapper) tgwRoute(v view) {
	rt := m.tgwRouteTableRef(v, "transit_gateway_route_table_id", "the route cannot be placed")
	if rt == nil {
		return
	}
	r := model.TGWRoute{Meta: model.Meta{ID: v.str("id"), Address: v.in.Address, Pos: v.in.Pos}, Blackhole: v.boolean("blackhole", false)}
	if v.unknown("id") {
		r.ID = ""
	}
	p, ok := v.prefix("destination_cidr_block", anyFamily)
	if !ok {
		if v.unknown("destination_cidr_block") {
			v.unknownf("destination_cidr_block", "the route cannot be placed")
		} else if v.str("destination_cidr_block") == "" {
			v.errorf("destination_cidr_block is not set: the route cannot be placed")
		}
		return
	}
	r.Destination = p
	if !r.Blackhole {
		r.AttachmentID = v.need("transit_gateway_attachment_id", "the route cannot be placed")
		if r.AttachmentID == "" {
			return
		}
	}
	rt.Routes = append(rt.Routes, r)
}

// peering maps aws_vpc_peering_connection. Whether it is active comes from
// accept_status; in a plan, from auto_accept or an accepter in the input.
func (m *mapper) peering(v view) {
	p := &model.PeeringConnection{Meta: v.meta()}
	v.regionAccount()
	p.RequesterVPCID = v.need("vpc_id", "the peering connection cannot be placed")
	p.AccepterVPCID = v.need("peer_vpc_id", "the peering connection cannot be placed")
	p.AccepterRegion = v.str("peer_region")
	m.peeringStatus(v, p)
	m.pcxs[p.ID] = p
	m.n.PeeringConnections = append(m.n.PeeringConnections, p)
}

func (m *mapper) peeringStatus(v view, p *model.PeeringConnection) {
	switch st := v.str("accept_status"); {
	case st == "active":
		p.Active = true
	case st != "":
		p.Active = false
		v.notef("accept_status is %q: the peering connection carries no traffic", st)
	default:
		p.MarkUnknown("accept_status")
		p.Active = v.boolean("auto_accept", false)
		if p.Active {
			v.notef("accept_status is not known until apply: auto_accept is set, so the connection is taken as active")
		} else {
			m.pendingPeerings = append(m.pendingPeerings, pendingPeering{v, p})
		}
	}
}

type pendingPeering struct {
	v view
	p *model.PeeringConnection
}

// peeringAccepter maps aws_vpc_peering_connection_accepter: it activates the
// connection, or adds it when the requester's side is not in the input.
func (m *mapper) peeringAccepter(v view) {
	id := v.ref("vpc_peering_connection_id")
	p := m.pcxs[id]
	if p == nil {
		p = &model.PeeringConnection{Meta: v.meta()}
		if id != "" {
			p.ID = id
		}
		// The accepter's vpc_id is its own VPC; peer_vpc_id the requester's.
		p.RequesterVPCID = v.need("peer_vpc_id", "the peering connection cannot be placed")
		p.AccepterVPCID = v.need("vpc_id", "the peering connection cannot be placed")
		m.peeringStatus(v, p)
		m.pcxs[p.ID] = p
		m.n.PeeringConnections = append(m.n.PeeringConnections, p)
		return
	}
	if v.str("accept_status") == "active" || v.boolean("auto_accept", false) {
		p.Active = true
		m.accepted[p] = true
	}
}

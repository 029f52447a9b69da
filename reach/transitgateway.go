// Transit gateways (docs/semantics.md, "Transit gateways"): attachments,
// associations, route tables, and how a walk enters and leaves them.

package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"sort"

	"github.com/vpcsim/vpcsim/model"
)

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
		if t.IsOutside() {
			return nil, outsideDrop("transit-gateway", &t.Meta)
		}
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
	ed := e.link(sn, e.tgwNode(rt, s.Zone()), edgeRoute, out, e.subnetFilter(in, model.Ingress))
	ed.crossings = e.attachmentCrossing(att, e.subnet[in.ID], model.Ingress)
	return ed, nil
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
		ref := RuleRef{Kind: RuleTGWRoute, Text: text, Owner: owner, ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
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
			ref := RuleRef{Kind: RuleTGWRoute, Text: fmt.Sprintf("route %s -> %s (propagated)", p, a.Label()), Owner: owner,
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
	if a.IsOutside() {
		return nil, outsideDrop("transit-gateway-attachment", &a.Meta)
	}
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
		ed := e.link(n, e.subnet[out.ID], edgeRoute, nil, nil)
		ed.crossings = e.attachmentCrossing(a, e.subnet[out.ID], model.Egress)
		return ed, nil
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

func (e *Engine) vpnAssociation(att *model.TGWAttachment, c *model.VPNConnection) *model.TGWRouteTable {
	if att == nil {
		return nil
	}
	return e.association(att.ID, c.TransitGatewayID)
}

// buildVPNAttachments routes the on-premises networks of VPN connections
// that end on a transit gateway into the route table their attachment is
// associated with.
func (e *Engine) buildVPNAttachments() {
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
			entry.route = RuleRef{Kind: RuleRoute, Text: "on-premises routing toward " + c.TransitGatewayID, Owner: on.ref}
		}
		on.routes = &routeProg{owner: on.ref, entries: []routeEntry{entry}}
	}
}

// transitGatewayElement: a transit gateway route table (for traffic that
// entered in one zone) routes by longest prefix.
type transitGatewayElement struct{}

func (transitGatewayElement) cross(w *walker, n *node, via *edge, f flow) { w.route(n, n.routes, f) }

func (transitGatewayElement) step(s *stepper, n *node, via *edge) { s.route(n, n.routes) }

// attachmentCrossing is the flow-log crossing of a transit gateway
// attachment's interface in subnet sn: the input does not describe these
// interfaces, so each (attachment, subnet) is numbered after the network's
// interfaces and named by the attachment.
func (e *Engine) attachmentCrossing(a *model.TGWAttachment, sn *node, d model.Direction) []Crossing {
	k := [2]string{a.ID, sn.subnet.ID}
	id, ok := e.attIfaces[k]
	if !ok {
		ref := refOf("transit-gateway-attachment", &a.Meta)
		id = int32(len(e.ifaces))
		e.ifaces = append(e.ifaces, Crossing{ID: id, Interface: &ref, Subnet: &sn.ref})
		e.attIfaces[k] = id
	}
	c := e.ifaces[id]
	c.Direction = d
	return e.crossing(c)
}

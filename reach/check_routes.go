// The route checks: routes that can never carry traffic, read from the
// compiled routing programs of the subnets that use each table (after
// longest-prefix match and AWS's tie-breaking) and of the next hops they
// lead to.

package reach

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// tableUse is a VPC route table and the subnets that use it.
type tableUse struct {
	rt      *model.RouteTable
	ref     Ref
	subnets []*node
}

// tablesInUse lists the route tables subnets use, in the network's order.
func (e *Engine) tablesInUse() []*tableUse {
	bySubnet := e.net.SubnetRouteTables()
	byTable := map[*model.RouteTable]*tableUse{}
	var out []*tableUse
	for _, s := range e.net.Subnets {
		rt := bySubnet[s.ID]
		if rt == nil {
			continue
		}
		u := byTable[rt]
		if u == nil {
			u = &tableUse{rt: rt, ref: refOf("route-table", &rt.Meta)}
			byTable[rt] = u
		}
		u.subnets = append(u.subnets, e.subnet[s.ID])
	}
	for _, rt := range e.net.RouteTables {
		if u := byTable[rt]; u != nil {
			out = append(out, u)
		}
	}
	return out
}

// routeEntries are the entries of subnet sn's program that route r decides.
func routeEntries(sn *node, r RuleRef) []*routeEntry {
	var out []*routeEntry
	for i := range sn.routes.entries {
		if sn.routes.entries[i].route == r {
			out = append(out, &sn.routes.entries[i])
		}
	}
	return out
}

// zoneKey is a transit gateway attachment missing a zone.
type zoneKey struct {
	att  string
	zone string
}

type zoneGap struct {
	att     Ref
	vpc     string
	tgw     string
	zone    string
	subnets []*node
	routes  []RuleRef
}

func (c *checker) routes() {
	e := c.e
	gaps := map[zoneKey]*zoneGap{}
	var gapOrder []zoneKey
	for _, u := range e.tablesInUse() {
		for i := range u.rt.Routes {
			r := &u.rt.Routes[i]
			if r.Origin != model.OriginDeclared || r.Synthetic != "" {
				continue // local, propagated and endpoint routes are AWS's
			}
			ref := routeRef(u.rt, r, routeDest(r))
			if len(e.routeCandidates(u.ref, r)) == 0 && r.DestinationPrefixListID != "" {
				continue // unknown prefix list: the engine's note says so
			}
			first := routeEntries(u.subnets[0], ref)
			if len(first) == 0 {
				c.shadowedRoute(u, r, ref)
				continue
			}
			reported := map[CheckID]bool{}
			// Where the route leads is the same from every subnet of the
			// table, but for the zone a transit gateway is entered in:
			// judge it once, from the first subnet it leads anywhere from.
			nextChecked := false
			for _, sn := range u.subnets {
				for _, en := range routeEntries(sn, ref) {
					if en.to != nil && (en.to.to.kind == nodePCX || en.to.to.kind == nodeTGWRT) {
						if nextChecked {
							continue
						}
						nextChecked = true
					}
					switch {
					case en.drop != nil && en.drop.code == CodeTGWAttachAZRestriction:
						k := zoneKey{en.drop.comp.Label(), sn.subnet.Zone()}
						g := gaps[k]
						if g == nil {
							g = &zoneGap{att: en.drop.comp, vpc: sn.subnet.VPCID, tgw: r.Target.ID, zone: sn.subnet.Zone()}
							gaps[k] = g
							gapOrder = append(gapOrder, k)
						}
						if !slices.Contains(g.subnets, sn) {
							g.subnets = append(g.subnets, sn)
						}
						if !slices.Contains(g.routes, ref) {
							g.routes = append(g.routes, ref)
						}
					case en.drop != nil && !reported[CheckRouteBlackhole] && blackholeCode(en.drop.code):
						reported[CheckRouteBlackhole] = true
						c.blackholeRoute(u, r, ref, en.drop)
					case en.to != nil && en.to.to.kind == nodePCX:
						c.nonTransitive(u, r, ref, sn, en.to.to)
					case en.to != nil && en.to.to.kind == nodeTGWRT:
						c.deadEnd(u, r, ref, sn, en.to.to)
					}
				}
			}
		}
	}
	for _, k := range gapOrder {
		c.zoneGap(gaps[k])
	}
	c.tgwRoutes()
}

// blackholeCode reports whether a routing drop means the route's target is
// gone or unusable.
func blackholeCode(code Code) bool {
	switch code {
	case CodeBadStateRoute, CodeBadState, CodeTGWNotAttached, CodeTGWAttachMissingRTB:
		return true
	}
	return false
}

func (c *checker) routeDefect(check CheckID, u *tableUse, ref RuleRef) Defect {
	d := Defect{Check: check, Subject: u.ref, Rule: &ref}
	d.Involved = append(d.Involved, Involved{Role: "route", Component: u.ref, Rule: &ref})
	for _, sn := range u.subnets {
		d.Involved = append(d.Involved, Involved{Role: "subnet", Component: sn.ref})
	}
	return d
}

func (c *checker) blackholeRoute(u *tableUse, r *model.Route, ref RuleRef, dr *drop) {
	d := c.routeDefect(CheckRouteBlackhole, u, ref)
	d.Message = fmt.Sprintf("%s of %s can never carry traffic: %s; traffic to %s from %s is dropped", ref.Text, u.ref.Label(), dr.message,
		routeDest(r), listed(labels(nodeRefs(u.subnets)), 3))
	switch dr.code {
	case CodeTGWNotAttached:
		d.Fix = fmt.Sprintf("attach the VPC to %s, or remove the route", r.Target.ID)
	case CodeTGWAttachMissingRTB:
		d.Fix = "associate the attachment with a transit gateway route table"
	default:
		d.Fix = "point the route at a target that exists, or remove it"
	}
	d.Involved = append(d.Involved, Involved{Role: "target", Component: dr.comp})
	c.add(d)
}

func nodeRefs(ns []*node) []Ref {
	out := make([]Ref, len(ns))
	for i, n := range ns {
		out[i] = n.ref
	}
	return out
}

// shadowedRoute reports a declared route that decides no destination: more
// specific routes (or a route of higher priority to the same prefix) cover
// all of it.
func (c *checker) shadowedRoute(u *tableUse, r *model.Route, ref RuleRef) {
	e := c.e
	var by []RuleRef
	for _, cand := range e.routeCandidates(u.ref, r) {
		sn := u.subnets[0]
		for i := range sn.routes.entries {
			en := &sn.routes.entries[i]
			if !en.rng.Intersect(cand.rng).Empty() && !slices.Contains(by, en.route) {
				by = append(by, en.route)
			}
		}
	}
	d := c.routeDefect(CheckRouteShadowed, u, ref)
	var ts []string
	for _, b := range by {
		ts = append(ts, b.Text)
		b := b
		d.Involved = append(d.Involved, Involved{Role: "shadowing route", Component: u.ref, Rule: &b})
	}
	d.Message = fmt.Sprintf("%s of %s is never used: %s decide every destination it covers", ref.Text, u.ref.Label(), listed(ts, 4))
	d.Fix = "remove the route, or change it so that it decides something the other routes do not"
	c.add(d)
}

// nonTransitive reports a peering route whose destinations reach beyond
// the peer VPC's blocks into other known networks: other VPCs (transitive
// peering), on-premises networks or the internet (edge-to-edge routing).
// Only the peer's blocks cross the connection.
func (c *checker) nonTransitive(u *tableUse, r *model.Route, ref RuleRef, sn *node, pcx *node) bool {
	e := c.e
	var dead []hset.AddrRange
	for _, en := range routeEntries(sn, ref) {
		dead = append(dead, en.rng)
	}
	var covered []hset.AddrRange
	for _, en := range pcx.routes.entries {
		if en.to != nil {
			covered = append(covered, en.rng)
		}
	}
	dead = subtractRanges(mergeRanges(nil, dead), mergeRanges(nil, covered))
	if len(dead) == 0 {
		return false
	}
	var beyond []string
	var involved []Involved
	for _, v := range e.net.VPCs {
		if v.ID == pcx.peer {
			continue
		}
		var own []hset.AddrRange
		for _, p := range v.AllCIDRs() {
			own = append(own, prefixRanges(p)...)
		}
		if len(intersectAll(dead, own)) > 0 {
			beyond = append(beyond, fmt.Sprintf("%s (%s)", v.Label(), prefixesText(v.AllCIDRs())))
			involved = append(involved, Involved{Role: "unreachable VPC", Component: refOf("vpc", &v.Meta)})
		}
	}
	for _, vc := range e.net.VPNConnections {
		var own []hset.AddrRange
		for _, p := range vc.OnPremCIDRs {
			own = append(own, prefixRanges(p)...)
		}
		if len(intersectAll(dead, own)) > 0 {
			beyond = append(beyond, "the on-premises network of "+vc.Label())
		}
	}
	edge := len(intersectAll(dead, e.internetSpace)) > 0
	if edge {
		beyond = append(beyond, "the internet")
	}
	if len(beyond) == 0 {
		return false
	}
	peer := e.ix.VPCs[pcx.peer]
	peerName := pcx.peer
	if peer != nil {
		peerName = fmt.Sprintf("%s (%s)", peer.Label(), prefixesText(peer.AllCIDRs()))
	}
	d := c.routeDefect(CheckRouteNonTransitive, u, ref)
	kind := "transitive peering"
	if edge && len(involved) == 0 {
		kind = "edge-to-edge routing through the peer's gateways"
	}
	d.Message = fmt.Sprintf("%s of %s relies on %s: %s carries only traffic addressed to %s, so traffic for %s sent along it is dropped",
		ref.Text, u.ref.Label(), kind, pcx.ref.Label(), peerName, listed(beyond, 3))
	d.Fix = "peer the VPCs that must talk directly (or connect them through a transit gateway), and route each destination to the connection that leads to it"
	d.Involved = append(d.Involved, Involved{Role: "peering connection", Component: pcx.ref})
	d.Involved = append(d.Involved, involved...)
	if w := c.routeWitness(sn, dead, ref); w != nil {
		d.Witness = w
	}
	c.add(d)
	return true
}

// intersectAll is the intersection of two lists of ranges.
func intersectAll(a, b []hset.AddrRange) []hset.AddrRange {
	a, b = mergeRanges(nil, a), mergeRanges(nil, b)
	var out []hset.AddrRange
	for _, r := range b {
		out = append(out, intersectRanges(a, r)...)
	}
	return out
}

// deadEnd reports a route into a transit gateway table that routes none of
// the route's destinations onward.
func (c *checker) deadEnd(u *tableUse, r *model.Route, ref RuleRef, sn *node, tn *node) bool {
	var rngs []hset.AddrRange
	for _, en := range routeEntries(sn, ref) {
		rngs = append(rngs, en.rng)
	}
	rngs = mergeRanges(nil, rngs)
	var fwd []hset.AddrRange
	var drops []string
	for _, en := range tn.routes.entries {
		if len(intersectRanges(rngs, en.rng)) == 0 {
			continue
		}
		if en.to != nil {
			fwd = append(fwd, en.rng)
		} else if en.route.Text != "" && !slices.Contains(drops, en.route.Text) {
			drops = append(drops, en.route.Text)
		}
	}
	if len(fwd) > 0 {
		return false
	}
	d := c.routeDefect(CheckRouteDeadEnd, u, ref)
	why := "has no route for any of it"
	if len(drops) > 0 {
		why = "drops all of it (" + strings.Join(drops, "; ") + ")"
	}
	d.Message = fmt.Sprintf("%s of %s carries nothing: transit gateway route table %s, where the traffic enters, %s", ref.Text, u.ref.Label(), tn.ref.Label(), why)
	d.Fix = "add the destinations to the transit gateway route table (a static route or a propagation), or remove the VPC route"
	d.Involved = append(d.Involved, Involved{Role: "transit gateway route table", Component: tn.ref})
	d.Witness = c.routeWitness(sn, rngs, ref)
	c.add(d)
	return true
}

// routeWitness traces, from an interface of subnet sn, a packet its
// security groups let out toward the first of dsts.
func (c *checker) routeWitness(sn *node, dsts []hset.AddrRange, ref RuleRef) *Witness {
	e := c.e
	eph := hset.Range16{Lo: c.eph.First, Hi: c.eph.Last}
	for _, cl := range sn.classes {
		s := every(cl.rep, eph).Intersect(hset.Of(dstBoxes(dsts...)...))
		if p := classProg(cl.send.leave); p != nil {
			s = s.Intersect(p.union)
		}
		if h, ok := pickHeader(preferDst(c.tiers, s)); ok {
			to := h.Dst.String()
			if n := e.ownerOfAddr(h.Dst); n != nil {
				to = n.eni.ID
			}
			return e.witness(h, cl.members[0].eni.ID, to, c.eph)
		}
	}
	return nil
}

// zoneGap reports an attachment that has no subnet in a zone whose subnets
// route to its transit gateway.
func (c *checker) zoneGap(g *zoneGap) {
	e := c.e
	slices.SortFunc(g.subnets, func(a, b *node) int { return cmp.Compare(a.ref.Label(), b.ref.Label()) })
	d := Defect{Check: CheckRouteTGWZone, Subject: g.att}
	d.Involved = append(d.Involved, Involved{Role: "attachment", Component: g.att})
	var rts []string
	for _, r := range g.routes {
		r := r
		rts = append(rts, r.Text+" of "+r.Owner.Label())
		d.Involved = append(d.Involved, Involved{Role: "route", Component: r.Owner, Rule: &r})
	}
	for _, sn := range g.subnets {
		d.Involved = append(d.Involved, Involved{Role: "subnet", Component: sn.ref})
	}
	zone := zoneName(g.zone)
	var covered []string
	if a := e.ix.TGWAttachments[g.att.ID]; a != nil {
		for _, id := range a.SubnetIDs {
			if s := e.ix.Subnets[id]; s != nil {
				covered = append(covered, zoneName(s.Zone()))
			}
		}
	}
	d.Message = fmt.Sprintf("%s has subnets in %s only, yet %s in %s route to the transit gateway (%s): traffic from there cannot enter it, and replies to traffic arriving there die on the way back",
		g.att.Label(), listed(covered, 4), listed(labels(nodeRefs(g.subnets)), 4), zone, listed(rts, 3))
	// A subnet of the VPC in that zone that holds nothing is most likely
	// the one meant for the attachment.
	var cands []string
	used := map[string]bool{}
	for _, x := range e.net.Interfaces {
		used[x.SubnetID] = true
	}
	for _, s := range e.net.Subnets {
		if s.VPCID == g.vpc && s.Zone() == g.zone && !used[s.ID] {
			cands = append(cands, s.Label())
			d.Involved = append(d.Involved, Involved{Role: "candidate subnet", Component: refOf("subnet", &s.Meta)})
		}
	}
	d.Fix = fmt.Sprintf("add a subnet in %s to the attachment's subnet_ids", zone)
	if len(cands) > 0 {
		d.Fix += fmt.Sprintf(" (%s, which holds nothing, is in that zone)", listed(cands, 2))
	}
	// The witness: from an interface of the zone, toward what the
	// transit gateway would route.
	for _, sn := range g.subnets {
		var dsts []hset.AddrRange
		for _, tn := range e.tgwTables(g.att.ID, g.tgw) {
			for _, en := range tn.routes.entries {
				if en.to != nil {
					dsts = append(dsts, en.rng)
				}
			}
		}
		for _, r := range g.routes {
			var rr []hset.AddrRange
			for _, en := range routeEntries(sn, r) {
				rr = append(rr, en.rng)
			}
			if w := c.routeWitness(sn, intersectAll(rr, dsts), r); w != nil {
				d.Witness = w
				break
			}
		}
		if d.Witness != nil {
			break
		}
	}
	c.add(d)
}

// tgwTables are the nodes of the transit gateway table attachment att is
// associated with.
func (e *Engine) tgwTables(att, tgw string) []*node {
	rt := e.association(att, tgw)
	if rt == nil {
		return nil
	}
	var out []*node
	for k, n := range e.tgwrt {
		if k[0] == rt.ID {
			out = append(out, n)
		}
	}
	slices.SortFunc(out, func(a, b *node) int { return cmp.Compare(a.id, b.id) })
	return out
}

// tgwRoutes checks transit gateway static routes: to an attachment that is
// not in the network (route-blackhole), or deciding nothing
// (route-shadowed). Blackhole routes are deliberate and never reported.
func (c *checker) tgwRoutes() {
	e := c.e
	for _, rt := range e.net.TGWRouteTables {
		var tn *node
		for k, n := range e.tgwrt {
			if k[0] == rt.ID && (tn == nil || n.id < tn.id) {
				tn = n
			}
		}
		if tn == nil || tn.routes == nil {
			continue // no traffic ever enters this table
		}
		ref := refOf("transit-gateway-route-table", &rt.Meta)
		for i := range rt.Routes {
			r := &rt.Routes[i]
			if r.Blackhole || r.Synthetic != "" {
				continue
			}
			text := fmt.Sprintf("route %s -> %s", r.Destination, r.AttachmentID)
			rr := RuleRef{Kind: RuleTGWRoute, Text: text, Owner: tn.ref, ID: r.ID, Address: r.Address, Pos: r.Pos, Synthetic: r.Synthetic}
			var mine []*routeEntry
			for j := range tn.routes.entries {
				if tn.routes.entries[j].route == rr {
					mine = append(mine, &tn.routes.entries[j])
				}
			}
			d := Defect{Subject: ref, Rule: &rr}
			d.Involved = append(d.Involved, Involved{Role: "route", Component: ref, Rule: &rr})
			switch {
			case len(mine) == 0:
				d.Check = CheckRouteShadowed
				d.Message = fmt.Sprintf("%s of %s is never used: more specific routes decide every destination it covers", text, ref.Label())
				d.Fix = "remove the route, or change it so that it decides something the other routes do not"
				c.add(d)
			case mine[0].drop != nil && mine[0].drop.code == CodeBadStateRoute:
				d.Check = CheckRouteBlackhole
				d.Message = fmt.Sprintf("%s of %s can never carry traffic: %s", text, ref.Label(), mine[0].drop.message)
				d.Fix = "point the route at an attachment that exists, or remove it"
				c.add(d)
			}
		}
	}
}

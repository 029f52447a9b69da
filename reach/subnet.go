// Subnets and VPC fabrics (docs/semantics.md, "Subnets and delivery"):
// delivery to the interfaces of a subnet and to the subnet that holds a
// destination.

package reach

import (
	"fmt"
	"net/netip"
	"sort"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// addVPCNodes adds the fabric of every VPC and the node of every subnet.
func (e *Engine) addVPCNodes() {
	for _, v := range e.net.VPCs {
		e.vpc[v.ID] = e.newNode(nodeVPC, refOf("vpc", &v.Meta))
		e.vpc[v.ID].vpc = v
	}
	for _, s := range e.net.Subnets {
		nd := e.newNode(nodeSubnet, refOf("subnet", &s.Meta))
		nd.subnet, nd.vpc = s, e.ix.VPCs[s.VPCID]
		for _, p := range []netip.Prefix{s.CIDR, s.IPv6CIDR} {
			nd.cidrs = append(nd.cidrs, prefixRanges(p)...)
		}
		nd.own = hset.Of(dstBoxes(nd.cidrs...)...)
		e.subnet[s.ID] = nd
	}
}

// subnetElement: a subnet delivers traffic for its own addresses and routes
// the rest by its route table.
type subnetElement struct{}

func (subnetElement) cross(w *walker, n *node, via *edge, f flow) { w.handleSubnet(n, f) }

func (subnetElement) step(s *stepper, n *node, via *edge) {
	if !n.own.ContainsPoint(s.pt) {
		s.route(n, n.routes)
		return
	}
	if d := n.delivery(s.pt.Dst.Lo); d != nil {
		s.forward(d.via)
		return
	}
	s.dropAt(CodeAddressUnused, &n.ref)
}

// vpcElement: a VPC's fabric delivers traffic to the subnet that holds its
// destination.
type vpcElement struct{}

func (vpcElement) cross(w *walker, n *node, via *edge, f flow) { w.route(n, n.routes, f) }

func (vpcElement) step(s *stepper, n *node, via *edge) { s.route(n, n.routes) }

// delivery is how a subnet delivers some of the addresses it holds: traffic
// addressed to to goes along via, and covers are the addresses the delivery
// accounts for. For an interface, to and covers are one address of it; for
// a class (see class), to are its representative's addresses, covers every
// member's, and alt and altVia its second member, which receives what the
// representative sends to its own class.
type delivery struct {
	to, covers, alt []hset.AddrRange
	via, altVia     *edge
	// fromTo are, where alt is set, the headers whose source is in to.
	fromTo hset.Set
}

// pointDelivery delivers address a along d.
func pointDelivery(a netip.Addr, d *edge) delivery {
	r := []hset.AddrRange{addrRange(a)}
	return delivery{to: r, covers: r, via: d}
}

// handleSubnet delivers traffic for the subnet's own addresses and routes the
// rest by the subnet's route table.
func (w *walker) handleSubnet(n *node, f flow) {
	if here := f.set.Intersect(n.own); !here.IsEmpty() {
		if w.atSubnet != nil {
			w.atSubnet(n, f, here)
		} else {
			w.deliverLocal(n, f, here)
		}
	}
	if away := f.set.Subtract(n.own); !away.IsEmpty() {
		f.set = away
		w.route(n, n.routes, f)
	}
}

// deliverLocal delivers here, the part of f addressed inside subnet n, to
// the owners of its destinations; what no interface uses stops
// (ADDRESS_NOT_IN_USE).
func (w *walker) deliverLocal(n *node, f flow, here hset.Set) {
	proj := here.Project(hset.DimDst)
	var used []hset.AddrRange
	for d := range n.deliveries(proj, w.byClass) {
		used = append(used, d.covers...)
		if w.admit != nil && !w.admit(d) {
			continue
		}
		to, via := d.to, d.via
		if d.altVia != nil && here.Overlaps(d.fromTo) {
			to, via = d.alt, d.altVia
		}
		g := f
		if g.set = intersectDst(here, to...); len(to) > 0 && !g.set.IsEmpty() {
			w.traverse(via, g)
		}
	}
	rest := intersectDst(here, subtractRanges(proj, mergeRanges(nil, used))...)
	w.drop(f, rest, &drop{code: CodeAddressUnused, comp: n.ref, message: fmt.Sprintf("no network interface in %s uses the destination address", n.ref.Label())}, nil)
}

// deliveries yields the deliveries of subnet n that may concern the
// destinations proj (sorted, disjoint): by binary search among the
// interfaces' addresses, or every class of a class walk.
func (n *node) deliveries(proj []hset.AddrRange, byClass bool) func(yield func(*delivery) bool) {
	return func(yield func(*delivery) bool) {
		if byClass {
			for i := range n.classDeliver {
				if !yield(&n.classDeliver[i]) {
					return
				}
			}
			return
		}
		for _, r := range proj {
			i := sort.Search(len(n.deliver), func(i int) bool { return !n.deliver[i].to[0].Lo.Less(r.Lo) })
			for ; i < len(n.deliver) && !r.Hi.Less(n.deliver[i].to[0].Lo); i++ {
				if !yield(&n.deliver[i]) {
					return
				}
			}
		}
	}
}

// delivery returns the delivery of address a in subnet n, or nil.
func (n *node) delivery(a hset.Addr) *delivery {
	i := sort.Search(len(n.deliver), func(i int) bool { return !n.deliver[i].to[0].Lo.Less(a) })
	if i < len(n.deliver) && n.deliver[i].to[0].Lo == a {
		return &n.deliver[i]
	}
	return nil
}

// buildVPCFabrics: a VPC delivers traffic to the subnet whose block holds the
// destination, through that subnet's inbound ACL rules.
func (e *Engine) buildVPCFabrics() {
	for _, v := range e.net.VPCs {
		vn := e.vpc[v.ID]
		var cands []candidate
		for _, p := range v.AllCIDRs() {
			for _, rng := range prefixRanges(p) {
				// prio 3: a subnet as large as the VPC's block wins.
				cands = append(cands, candidate{rng: rng, bits: familyBits(p), prio: 3,
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
						route: RuleRef{Kind: RuleRoute, Text: fmt.Sprintf("local delivery to %s (%s)", s.Label(), p), Owner: vn.ref}})
				}
			}
		}
		vn.routes = resolve(vn.ref, cands)
		vn.routes.noRoute = CodeNoEdgeToEdge
	}
}

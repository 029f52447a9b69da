// The internet (docs/semantics.md, "The internet"): which addresses it
// stands for and where it delivers them.

package reach

import (
	"fmt"
	"net/netip"

	"github.com/vpcsim/vpcsim/reach/hset"
)

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
	exit := RuleRef{Kind: RuleRoute, Text: "internet host", Owner: in.ref}
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
					c.route = RuleRef{Kind: RuleRoute, Text: fmt.Sprintf("internet route to %s (%s) via %s", v.Label(), p, igw.ref.Label()), Owner: in.ref}
				case eigwOf[v.ID] != nil:
					c.to = e.link(in, eigwOf[v.ID], edgeRoute, nil, nil)
					c.route = RuleRef{Kind: RuleRoute, Text: fmt.Sprintf("internet route to %s (%s) via %s", v.Label(), p, eigwOf[v.ID].ref.Label()), Owner: in.ref}
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
				c.route = RuleRef{Kind: RuleRoute, Text: fmt.Sprintf("public address %s of %s via %s", np.public.NetIP(), np.eni.Label(), igw.ref.Label()), Owner: in.ref}
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

// internetElement: traffic from the internet is routed to the estate's
// public addresses; replies arriving from the estate go to the host that
// asked.
type internetElement struct{}

func (internetElement) step(s *stepper, n *node, via *edge) {
	s.pos.viaInternet = true
	if s.reply && via != nil {
		s.route(n, n.inbound)
	} else {
		s.route(n, n.routes)
	}
}

func (internetElement) cross(w *walker, n *node, via *edge, f flow) {
	// A reply arriving from the estate goes to the internet host that
	// asked; a reply starting here (from a host the source contacted) is
	// routed like any traffic.
	if f.reply && via != nil || w.exitsOnly && via != nil {
		w.route(n, n.inbound, f)
	} else {
		w.route(n, n.routes, f)
	}
}

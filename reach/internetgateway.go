// Internet gateways (docs/semantics.md, "Internet gateways"): how New builds
// them and how a walk crosses them (one-to-one NAT).

package reach

import (
	"cmp"
	"fmt"
	"slices"
	"sort"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach/hset"
)

// natPair is a public address and the private address it maps to.
type natPair struct {
	public, private hset.Addr
	eni             *model.NetworkInterface
	placeholder     bool
}

// addInternetGatewayNodes adds a node for every internet gateway.
func (e *Engine) addInternetGatewayNodes() {
	for _, g := range e.net.InternetGateways {
		e.gatewayNode(nodeIGW, &g.Meta, g.VPCID)
	}
}

// inboundDetail describes the gateway's translation of traffic to the
// public address.
func (np natPair) inboundDetail() string {
	return fmt.Sprintf("destination %s -> %s (%s)", np.public.NetIP(), np.private.NetIP(), eniRef(np.eni).Label())
}

// outboundDetail describes the translation of traffic from the private
// address.
func (np natPair) outboundDetail() string {
	return fmt.Sprintf("source %s -> %s", np.private.NetIP(), np.public.NetIP())
}

// indexPublicAddresses indexes, per VPC, the public addresses an internet
// gateway translates to and from.
func (e *Engine) indexPublicAddresses() {
	for _, x := range e.net.Interfaces {
		s := e.ix.Subnets[x.SubnetID]
		if s == nil {
			continue
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
	}
}

// buildInternetGateways links every internet gateway to the internet and
// compiles where inbound traffic goes: by its edge route table when it has
// one, else to the VPC. IPv6 traffic may leave only from the VPC's own
// IPv6 blocks.
func (e *Engine) buildInternetGateways() {
	for _, g := range e.net.InternetGateways {
		gn := e.gw[g.ID]
		if gn.vpc != nil {
			var own []hset.AddrRange
			for _, p := range gn.vpc.IPv6CIDRs {
				own = append(own, prefixRanges(p)...)
			}
			gn.own = hset.Of(srcBoxes(own...)...)
		}
		e.link(gn, e.internet, edgeRoute, nil, nil)
		gn.inbound = cmp.Or(e.edgeRoutes(gn, g.ID), e.intoVPC(gn))
	}
}

// internetGatewayElement translates between public and private addresses.
type internetGatewayElement struct{}

func (internetGatewayElement) cross(w *walker, n *node, via *edge, f flow) { w.handleIGW(n, via, f) }

func (internetGatewayElement) step(s *stepper, n *node, via *edge) {
	vpcID := ""
	if n.vpc != nil {
		vpcID = n.vpc.ID
	}
	v4 := hset.All4().ContainsPoint(s.pt)
	if via != nil && via.from.kind == nodeInternet {
		if v4 {
			np, ok := s.e.pub[vpcID][s.pt.Dst.Lo]
			if !ok {
				s.dropAt(CodeIGWPrivateIPForIngress, &n.ref)
				return
			}
			s.translate(Translation{Kind: DecisionDestinationNAT, Gateway: &n.ref, NAT: -1, From: s.h.Dst, To: np.private.NetIP()})
			s.setDst(np.private)
		}
		s.route(n, n.inbound)
		return
	}
	if !v4 {
		if !n.own.ContainsPoint(s.pt) {
			s.dropAt(CodeSourceDestCheck, &n.ref)
			return
		}
		s.forward(n.out[0])
		return
	}
	np, ok := s.e.priv[vpcID][s.pt.Src.Lo]
	if !ok {
		code := CodeIGWPublicIPForEgress
		if s.e.natAt(s.h.Src) != nil {
			code = CodeNGWPrivateToIGW
		}
		s.dropAt(code, &n.ref)
		return
	}
	s.translate(Translation{Kind: DecisionSourceNAT, Gateway: &n.ref, NAT: -1, From: s.h.Src, To: np.public.NetIP()})
	s.setSrc(np.public)
	s.forward(n.out[0])
}

func sortedPairs(m map[hset.Addr]natPair) []natPair {
	out := make([]natPair, 0, len(m))
	for _, p := range m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b natPair) int { return cmpAddr(a.public, b.public) })
	return out
}

func (w *walker) handleIGW(n *node, via *edge, f flow) {
	vpcID := ""
	if n.vpc != nil {
		vpcID = n.vpc.ID
	}
	v4 := f.set.Intersect(hset.All4())
	v6 := f.set.Subtract(hset.All4())
	if via != nil && via.from.kind == nodeInternet {
		// Inbound: a public IPv4 address becomes the private address it maps
		// to (one-to-one NAT); IPv6 passes unchanged.
		for _, r := range v4.Project(hset.DimDst) {
			for _, np := range w.e.pairsIn(w.e.pub[vpcID], r) {
				pt := hset.Of(dstBoxes(hset.AddrRange{Lo: np.public, Hi: np.public})...)
				g := f
				g.set = v4.Intersect(pt).WithDst(hset.AddrRange{Lo: np.private, Hi: np.private})
				v4 = v4.Subtract(pt)
				w.step(&g, Step{Kind: StepTranslate, Decision: DecisionDestinationNAT, Component: n.ref,
					Detail: np.inboundDetail()})
				w.route(n, n.inbound, g)
			}
		}
		w.drop(f, v4, &drop{code: CodeIGWPrivateIPForIngress, comp: n.ref, message: fmt.Sprintf("%s admits only traffic to public addresses of its VPC's interfaces", n.ref.Label())}, nil)
		if !v6.IsEmpty() {
			f.set = v6
			w.route(n, n.inbound, f)
		}
		return
	}
	// Outbound: the private source becomes its public address; without one
	// the gateway drops the traffic. IPv6 sources must be the VPC's own.
	if !v6.IsEmpty() {
		w.drop(f, v6.Subtract(n.own), &drop{code: CodeSourceDestCheck, comp: n.ref, message: "the IPv6 source is not an address of the gateway's VPC"}, nil)
		if g := f; !v6.Intersect(n.own).IsEmpty() {
			g.set = v6.Intersect(n.own)
			w.traverse(n.out[0], g)
		}
	}
	for _, r := range v4.Project(hset.DimSrc) {
		for _, np := range w.e.pairsIn(w.e.priv[vpcID], r) {
			pt := hset.Of(srcBoxes(hset.AddrRange{Lo: np.private, Hi: np.private})...)
			g := f
			g.set = v4.Intersect(pt).WithSrc(hset.AddrRange{Lo: np.public, Hi: np.public})
			v4 = v4.Subtract(pt)
			w.step(&g, Step{Kind: StepTranslate, Decision: DecisionSourceNAT, Component: n.ref,
				Detail: np.outboundDetail()})
			w.traverse(n.out[0], g)
		}
	}
	if !v4.IsEmpty() {
		code, msg := CodeIGWPublicIPForEgress, fmt.Sprintf("the source has no public or Elastic IP address, so %s cannot carry its traffic to the internet", n.ref.Label())
		if nat := w.e.natOwning(v4); nat != nil {
			code, msg = CodeNGWPrivateToIGW, fmt.Sprintf("%s has no Elastic IP (a private NAT gateway cannot use an internet gateway)", nat.ref.Label())
		}
		w.drop(f, v4, &drop{code: code, comp: n.ref, message: msg}, nil)
	}
}

// pairsIn returns the translations whose key address lies in r, in address
// order.
func (e *Engine) pairsIn(m map[hset.Addr]natPair, r hset.AddrRange) []natPair {
	var out []natPair
	if r.Lo == r.Hi {
		if np, ok := m[r.Lo]; ok {
			out = append(out, np)
		}
		return out
	}
	for k, np := range m {
		if !k.Less(r.Lo) && !r.Hi.Less(k) {
			out = append(out, np)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].public.Less(out[j].public) || (out[i].public == out[j].public && out[i].private.Less(out[j].private))
	})
	return out
}

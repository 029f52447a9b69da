// VPC peering (docs/semantics.md, "VPC peering").

package reach

import "fmt"

// addPeeringNodes adds a node for each direction of every peering
// connection whose requesting side is in the network.
func (e *Engine) addPeeringNodes() {
	for _, p := range e.net.PeeringConnections {
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

// buildPeerings compiles each direction of every peering connection: into
// the peer VPC's blocks, nothing else (peering is not transitive); nothing
// at all when the connection is not active.
func (e *Engine) buildPeerings() {
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
						route: RuleRef{Kind: RuleRoute, Text: fmt.Sprintf("into %s (%s)", peer.vpc.Label(), pfx), Owner: pn.ref}})
				}
			}
			pn.routes = resolve(pn.ref, cands)
			pn.routes.noRoute = CodePCXRequiresAddressInVPC
		}
	}
}

// peeringElement: one direction of a peering connection routes into the
// peer VPC.
type peeringElement struct{}

func (peeringElement) cross(w *walker, n *node, via *edge, f flow) { w.route(n, n.routes, f) }

func (peeringElement) step(s *stepper, n *node, via *edge) { s.route(n, n.routes) }

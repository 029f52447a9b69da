// Virtual private gateways and VPNs (docs/semantics.md, "Virtual private
// gateways and VPNs"): on-premises networks behind VPN connections.

package reach

import (
	"cmp"
	"fmt"
)

// addVPNNodes adds a node for every virtual private gateway and for the
// on-premises network behind every VPN connection.
func (e *Engine) addVPNNodes() {
	for _, g := range e.net.VPNGateways {
		e.gatewayNode(nodeVGW, &g.Meta, g.VPCID)
	}
	for _, c := range e.net.VPNConnections {
		nd := e.newNode(nodeOnPrem, Ref{Kind: "on-premises", ID: c.ID, Address: c.Address, Name: "on-premises network of " + c.Label(), Pos: c.Pos})
		nd.vpn = c
		e.onprem[c.ID] = nd
	}
}

// vpnGatewayElement routes to the on-premises networks of its VPN
// connections, and from them into its VPC.
type vpnGatewayElement struct{}

func (vpnGatewayElement) cross(w *walker, n *node, via *edge, f flow) {
	if via != nil && via.from.kind == nodeOnPrem {
		w.route(n, n.inbound, f)
	} else {
		w.route(n, n.routes, f)
	}
}

func (vpnGatewayElement) step(s *stepper, n *node, via *edge) {
	if via != nil && via.from.kind == nodeOnPrem {
		s.route(n, n.inbound)
	} else {
		s.route(n, n.routes)
	}
}

// buildVPNGateways compiles every virtual private gateway: its VPN
// connections' on-premises prefixes lead to their networks, and on-premises
// hosts send through it into the VPC.
func (e *Engine) buildVPNGateways() {
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
						route: RuleRef{Kind: RuleRoute, Text: fmt.Sprintf("VPN route %s -> %s", p, c.Label()), Owner: gn.ref, Pos: c.Pos, Address: c.Address}})
				}
			}
			// On-premises hosts send through the gateway into the VPC.
			oe := e.link(on, gn, edgeRoute, nil, nil)
			on.routes = &routeProg{owner: on.ref, entries: []routeEntry{{rng: full, to: oe,
				route: RuleRef{Kind: RuleRoute, Text: "on-premises routing toward " + gn.ref.Label(), Owner: on.ref}}}}
		}
		gn.routes = resolve(gn.ref, cands)
		gn.routes.noRoute = CodeNoRouteToDestination
		gn.inbound = cmp.Or(e.edgeRoutes(gn, g.ID), e.intoVPC(gn))
	}
}

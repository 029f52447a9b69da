// VPC endpoints (docs/semantics.md, "Endpoints"): gateway endpoints and the
// AWS services behind them; interface endpoints are network interfaces.

package reach

import "github.com/vpcsim/vpcsim/model"

// addGatewayEndpointNodes adds a node for every gateway endpoint and for the
// AWS service behind it. Interface endpoints are network interfaces.
func (e *Engine) addGatewayEndpointNodes() {
	for _, ep := range e.net.Endpoints {
		if ep.Type != model.EndpointGateway {
			continue
		}
		nd := e.gatewayNode(nodeVPCE, &ep.Meta, ep.VPCID)
		sv := e.newNode(nodeService, Ref{Kind: "aws-service", ID: ep.ServiceName, Name: ep.ServiceName})
		sv.vpcNode = nd
		e.service[ep.ID] = sv
	}
}

// buildGatewayEndpoints links every gateway endpoint to its service and back;
// replies from the service return through the endpoint into the VPC.
func (e *Engine) buildGatewayEndpoints() {
	for _, ep := range e.net.Endpoints {
		if ep.Type != model.EndpointGateway {
			continue
		}
		gn, sv := e.gw[ep.ID], e.service[ep.ID]
		e.link(gn, sv, edgeRoute, nil, nil)
		se := e.link(sv, gn, edgeRoute, nil, nil)
		sv.routes = &routeProg{owner: sv.ref, entries: []routeEntry{{rng: full, to: se,
			route: RuleRef{Kind: RuleRoute, Text: "replies from " + ep.ServiceName + " return through " + gn.ref.Label(), Owner: sv.ref}}}}
		gn.inbound = e.intoVPC(gn)
	}
}

// gatewayEndpointElement passes traffic to its service, and the service's
// replies into the VPC.
type gatewayEndpointElement struct{}

func (gatewayEndpointElement) cross(w *walker, n *node, via *edge, f flow) {
	if via != nil && via.from.kind == nodeService {
		w.route(n, n.inbound, f)
	} else {
		w.traverse(n.out[0], f) // to the service
	}
}

func (gatewayEndpointElement) step(s *stepper, n *node, via *edge) {
	if via != nil && via.from.kind == nodeService {
		s.route(n, n.inbound)
	} else {
		s.forward(n.out[0])
	}
}

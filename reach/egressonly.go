// Egress-only internet gateways (docs/semantics.md, "Egress-only internet
// gateways").

package reach

import (
	"fmt"

	"github.com/vpcsim/vpcsim/reach/hset"
)

// addEgressOnlyNodes adds a node for every egress-only internet gateway.
func (e *Engine) addEgressOnlyNodes() {
	for _, g := range e.net.EgressOnlyGateways {
		e.gatewayNode(nodeEIGW, &g.Meta, g.VPCID)
	}
}

// buildEgressOnlyGateways links every egress-only gateway to the internet;
// replies come back into its VPC.
func (e *Engine) buildEgressOnlyGateways() {
	for _, g := range e.net.EgressOnlyGateways {
		gn := e.gw[g.ID]
		e.link(gn, e.internet, edgeRoute, nil, nil)
		gn.inbound = e.intoVPC(gn)
	}
}

// egressOnlyElement carries IPv6 out and its replies back.
type egressOnlyElement struct{}

func (egressOnlyElement) cross(w *walker, n *node, via *edge, f flow) { w.handleEIGW(n, via, f) }

func (egressOnlyElement) step(s *stepper, n *node, via *edge) {
	switch {
	case via != nil && via.from.kind == nodeInternet && !s.reply:
		s.dropAt(CodeEIGWInboundDenied, &n.ref)
	case via != nil && via.from.kind == nodeInternet:
		s.route(n, n.inbound)
	case hset.All4().ContainsPoint(s.pt):
		s.dropAt(CodeEIGWIPv4, &n.ref)
	default:
		s.forward(n.out[0])
	}
}

func (w *walker) handleEIGW(n *node, via *edge, f flow) {
	if via != nil && via.from.kind == nodeInternet {
		if !f.reply {
			w.drop(f, f.set, &drop{code: CodeEIGWInboundDenied, comp: n.ref, message: fmt.Sprintf("%s lets replies in but refuses connections initiated from the internet", n.ref.Label())}, nil)
			return
		}
		w.route(n, n.inbound, f)
		return
	}
	v4 := f.set.Intersect(hset.All4())
	w.drop(f, v4, &drop{code: CodeEIGWIPv4, comp: n.ref, message: fmt.Sprintf("%s carries IPv6 only", n.ref.Label())}, nil)
	if f.set = f.set.Subtract(v4); !f.set.IsEmpty() {
		w.traverse(n.out[0], f)
	}
}

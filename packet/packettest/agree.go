// Package packettest holds test drivers shared by the test suites of
// several packages: the packet walker checked against reach's trace.
package packettest

import (
	"cmp"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/reach"
)

// ErrNoConversation is returned for a query the walker cannot turn into one
// conversation (every protocol at once).
var ErrNoConversation = errors.New("the query names no single conversation")

// Comparison is one flow walked as a conversation and traced.
type Comparison struct {
	// Query is the single flow both engines answered: one source and
	// destination address, one client and one server port.
	Query    reach.Query
	Exchange packet.Exchange
	Trace    *reach.Result
	// Via is, when the destination is reached only through a load
	// balancer, the trace's way through it that the conversation took
	// (packet.ConversationVia): the client talks to its listener.
	Via *reach.LoadBalancerLeg
	// Disagreement says how the two answers differ; empty when they agree.
	Disagreement string
}

// DefaultPort is the destination port of a TCP or UDP query that names
// none.
const DefaultPort = 443

// Compare walks the conversation of q between its ends (one address each,
// one client port: packet.ConversationFor) and traces exactly that flow. They
// agree when the conversation completes exactly when the trace finds the
// flow reachable (either way for a partly reachable flow, whose parts
// depend on ports the walker picks), and when the packet that fails is
// dropped where, why and by the rule that a blocking explanation of the
// trace gives, on the same leg.
func Compare(e *reach.Engine, q reach.Query) (*Comparison, error) {
	if q.Protocol == model.ProtocolAll {
		return nil, ErrNoConversation
	}
	if q.Protocol.HasPorts() && q.Port == nil {
		p := model.Port(DefaultPort)
		q.Port = &p
	}
	conv, start, client, server, err := packet.ConversationFor(e, q)
	if err != nil {
		return nil, err
	}
	exact := exactOf(q, conv, client, server)
	c := &Comparison{Query: exact}
	if c.Trace, err = e.Trace(exact); err != nil {
		return nil, fmt.Errorf("trace: %w", err)
	}
	pkts, err := conv.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
	if err != nil {
		return nil, err
	}
	r := packet.NewReplayer(packet.NewWalker(e, nil, packet.DefaultTimeouts), packet.Vantage{})
	c.Exchange = packet.Converse(r, start, pkts, client, server)
	if !c.Exchange.Complete && server.Kind == reach.EndpointInterface {
		// A target that clients reach through a load balancer: the trace
		// of the target by name gives the ways through load balancers,
		// and the conversation is with a listener that carries it on to
		// the target.
		leg, ok, err := packet.ViaLoadBalancer(e, q)
		if err != nil {
			return nil, fmt.Errorf("trace: %w", err)
		}
		if ok {
			vc, vstart, vclient, vserver, err := packet.ConversationVia(e, q, leg)
			if err != nil {
				return nil, err
			}
			vp, err := vc.Packets(packet.NewSimClock(time.Unix(1700000000, 0)))
			if err != nil {
				return nil, err
			}
			// What is compared is the client's flow to the listener:
			// its trace, and the conversation carried on to the target.
			vq := q
			vq.To, vq.ToAddr = cmp.Or(leg.LoadBalancer.Address, leg.LoadBalancer.ID), ""
			vq = exactOf(vq, vc, vclient, vserver)
			vt, err := e.Trace(vq)
			if err != nil {
				return nil, fmt.Errorf("trace: %w", err)
			}
			r := packet.NewReplayer(packet.NewWalker(e, nil, packet.DefaultTimeouts), packet.Vantage{})
			c.Exchange, c.Via = packet.Converse(r, vstart, vp, vclient, vserver), &leg
			c.Trace, c.Query = vt, vq
		}
	}
	c.Disagreement = c.compare()
	return c, nil
}

// exactOf is q narrowed to the conversation's one flow: its addresses and
// ports.
func exactOf(q reach.Query, conv packet.Conversation, client, server packet.End) reach.Query {
	exact := q
	if client.Kind == reach.EndpointInterface {
		exact.FromAddr = reach.AddrChoice(conv.Client.String())
	} else {
		exact.From = conv.Client.String()
	}
	if server.Kind == reach.EndpointInterface {
		exact.ToAddr = reach.AddrChoice(conv.Server.String())
	} else {
		exact.To = conv.Server.String()
	}
	if q.Protocol.HasPorts() {
		sp, dp := model.Port(conv.ClientPort), model.Port(conv.ServerPort)
		exact.SrcPort, exact.Port = &sp, &dp
	}
	return exact
}

func (c *Comparison) compare() string {
	x, v := &c.Exchange, c.Trace.Verdict
	switch {
	case v == reach.Reachable && !x.Complete:
		return "trace: reachable; walk: " + c.failure()
	case v == reach.Unreachable && x.Complete:
		return "trace: unreachable (" + explanations(c.Trace) + "); walk: the conversation completes"
	case x.Complete:
		return ""
	}
	for _, ex := range c.Trace.Explanations {
		if c.explains(ex) {
			return ""
		}
	}
	return fmt.Sprintf("trace: %s (%s); walk: %s", v, explanations(c.Trace), c.failure())
}

// explains reports whether the trace's explanation is the walk's failure.
func (c *Comparison) explains(ex reach.Explanation) bool {
	x := &c.Exchange
	if ex.Code != x.Code || ex.Direction != x.Leg || ex.Severity == reach.SeverityNote {
		return false
	}
	if x.Code == reach.CodeRoutingLoop {
		return true // a packet meets its loop where its hop limit ends
	}
	f := &x.Packets[x.Failed].Fate
	if where := f.Where(); where.Label() != ex.Component.Label() {
		return false
	}
	switch {
	case f.Rule == nil && ex.Rule == nil:
		return true
	case f.Rule == nil || ex.Rule == nil:
		return false
	}
	return f.Rule.String() == ex.Rule.String()
}

// failure describes the packet at which the conversation stopped.
func (c *Comparison) failure() string {
	x := &c.Exchange
	if x.Failed < 0 {
		return "no packet"
	}
	p := &x.Packets[x.Failed]
	where := p.Fate.Where()
	s := fmt.Sprintf("packet %d (%s, %s) %s at %s: %s", x.Failed+1, x.Leg, p.Header.String(), p.Fate.Outcome, where.Label(), x.Code)
	if p.Fate.Rule != nil {
		s += " by " + p.Fate.Rule.String()
	}
	return s
}

func explanations(r *reach.Result) string {
	var out []string
	for _, ex := range r.Explanations {
		s := fmt.Sprintf("%s %s %s at %s", ex.Severity, ex.Direction, ex.Code, ex.Component.Label())
		if ex.Rule != nil {
			s += " by " + ex.Rule.String()
		}
		out = append(out, s)
	}
	return strings.Join(out, "; ")
}

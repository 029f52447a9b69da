package packettest

import (
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/hset"
	"github.com/vpcsim/vpcsim/reach/reachtest"
)

// The randomized agreement of the three engines runs bounded by default (a
// few seconds) and long on demand:
//
//	go test ./packet/packettest -run TestThreeEnginesAgree -networks 500 -flows 200
//
// or with VPCSIM_AGREE_NETWORKS and VPCSIM_AGREE_FLOWS set (docs/testing.md
// records a long run).
var (
	networks = flag.Int("networks", envInt("VPCSIM_AGREE_NETWORKS", 30), "random networks the three-engine agreement test builds")
	flows    = flag.Int("flows", envInt("VPCSIM_AGREE_FLOWS", 60), "random flows per network")
	seed     = flag.Uint64("seed", 1, "seed of the random networks and flows")
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// TestThreeEnginesAgree builds random networks (several VPCs, peering, a
// transit gateway, NAT, internet and egress-only gateways, gateway
// endpoints, mixed network ACLs and security groups, IPv4 and IPv6) and
// random flows, and checks that the three engines agree on each: Trace and
// the packet walker on the verdict and the rule that decides it
// (Compare), and Trace and Analyze on whether the flow reaches its
// destination interface and gets its replies back.
func TestThreeEnginesAgree(t *testing.T) {
	var st stats
	randomFlows(t, func(e *reach.Engine) func(reach.Query) string {
		st.networks++
		return func(q reach.Query) string { return agree(e, q, &st) }
	})
	t.Logf("%d networks, %d flows walked and traced (%d complete, %d unnamed), %d checked against the analysis", st.networks, st.walked, st.complete, st.unnamed, st.analyzed)
	if st.walked < *networks**flows/2 || st.complete == 0 || st.complete == st.walked || st.analyzed == 0 {
		t.Errorf("the sample must hold both answers: %+v", st)
	}
}

type stats struct {
	networks, walked, complete, unnamed, analyzed int
}

// randomFlows builds the random networks (-networks, -seed) and checks
// -flows random flows of each with the check that network's engine gives
// it: the message it returns for a flow is a disagreement.
func randomFlows(t *testing.T, network func(*reach.Engine) func(reach.Query) string) {
	t.Helper()
	bad := 0
	for i := range *networks {
		rnd := rand.New(rand.NewPCG(*seed, uint64(i)))
		n := reachtest.RandomNetwork(rnd, reachtest.GenConfig{})
		e, err := n.Engine()
		if err != nil {
			t.Fatalf("network %d: %v", i, err)
		}
		check := network(e)
		for j := range *flows {
			q := reachtest.RandomFlow(rnd, e)
			if msg := check(q); msg != "" {
				t.Errorf("seed %d network %d flow %d: %s -> %s %s %s: %s", *seed, i, j, q.From, q.To, q.Protocol, portOf(q.Port), msg)
				if bad++; bad > 20 {
					t.Fatal("too many disagreements")
				}
			}
		}
	}
}

func portOf(p *model.PortRange) string {
	if p == nil {
		return ""
	}
	return p.String()
}

// agree checks one flow on the three engines; it returns how they disagree.
func agree(e *reach.Engine, q reach.Query, st *stats) string {
	c, err := Compare(e, q)
	switch {
	case errors.Is(err, ErrNoConversation):
		return ""
	case err != nil:
		st.unnamed++ // an end the engines cannot name (an address of the network nobody uses as a source)
		return ""
	}
	st.walked++
	if c.Exchange.Complete {
		st.complete++
	}
	if c.Disagreement != "" {
		return "walk and trace: " + c.Disagreement
	}
	// Analyze lists flows that reach interfaces.
	dst := c.Trace.To
	if dst.Kind != reach.EndpointInterface {
		return ""
	}
	from := "internet"
	switch c.Trace.From.Kind {
	case reach.EndpointInterface:
		from = c.Trace.From.Component.ID
	case reach.EndpointInternet:
	case reach.EndpointOnPrem:
		from = c.Query.From // the host's address
	default:
		return ""
	}
	h := headerOf(c)
	passes, err := analyses(e).Passes(from, h)
	if err != nil {
		return "analyze: " + err.Error()
	}
	st.analyzed++
	if passes != c.Trace.Verdict.Passes() {
		return fmt.Sprintf("trace says %v, the analysis from %s lists %v: %v", c.Trace.Verdict, from, passes, h)
	}
	return ""
}

// headerOf is the compared flow's one header as it leaves the source.
func headerOf(c *Comparison) hset.Header {
	q := c.Query
	src, dst := c.Trace.From.Addresses[0].From, c.Trace.To.Addresses[0].From
	h := hset.Header{Src: src, Dst: dst}
	n, _ := q.Protocol.Number()
	h.Proto = n
	switch {
	case q.Protocol.HasPorts():
		h.SrcPort, h.DstPort = q.SrcPort.First, q.Port.First
	case q.Protocol.IsICMP():
		// The type stands in the destination port, the code in the source
		// port; an echo request unless the query says otherwise.
		h.DstPort = 8
		if q.Protocol == model.ProtocolICMPv6 {
			h.DstPort = 128
		}
		if q.ICMP != nil {
			if t, ok := q.ICMP.Type(); ok {
				h.DstPort = uint16(t)
			}
			if c, ok := q.ICMP.Code(); ok {
				h.SrcPort = uint16(c)
			}
		}
	}
	return h
}

var analysesOf = map[*reach.Engine]*reachtest.Analyses{}

func analyses(e *reach.Engine) *reachtest.Analyses {
	if a, ok := analysesOf[e]; ok {
		return a
	}
	clear(analysesOf) // one network at a time
	a := &reachtest.Analyses{E: e}
	analysesOf[e] = a
	return a
}

package metamorphic

import (
	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/internal/estate"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// The properties run on a few networks and flows in go test (seconds), and
// on as many as asked for a long run (docs/testing.md):
//
//	go test ./internal/metamorphic -v -networks 500 -flows 200 -seed 7
//	VPCSIM_METAMORPHIC_NETWORKS=500 VPCSIM_METAMORPHIC_FLOWS=200 go test ./internal/metamorphic -v
var (
	networksFlag = flag.Int("networks", envInt("VPCSIM_METAMORPHIC_NETWORKS", 12), "random networks per property")
	flowsFlag    = flag.Int("flows", envInt("VPCSIM_METAMORPHIC_FLOWS", 40), "random flows per network")
	seedFlag     = flag.Uint64("seed", uint64(envInt("VPCSIM_METAMORPHIC_SEED", 1)), "first seed")
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// network builds, afresh each time (transformations change it in place),
// network number i of a run: the three example estates, then small
// synthetic estates of the estate generator with random sizes (two to five
// VPCs, transit gateways and peerings or not, network ACLs with several
// rules, security groups that name each other).
func network(t *testing.T, seed uint64, i int) *model.Network {
	t.Helper()
	var state []byte
	var err error
	if names := estate.ExampleNames(); i < len(names) {
		state, err = estate.Example(names[i])
	} else {
		rnd := rand.New(rand.NewPCG(seed, uint64(i)))
		p := estate.Params{VPCs: 2 + rnd.IntN(4), SubnetsPerVPC: 1 + rnd.IntN(4), InstancesPerSubnet: 1 + rnd.IntN(2),
			SGsPerVPC: rnd.IntN(6), RulesPerSG: 1 + rnd.IntN(4), NACLRules: 1 + rnd.IntN(6), Seed: seed*1000 + uint64(i)}
		p.TGWHubs = rnd.IntN(2)
		p.Peerings = min(rnd.IntN(3), p.VPCs*(p.VPCs-1)/2)
		var buf bytes.Buffer
		err = estate.Write(&buf, p)
		state = buf.Bytes()
	}
	if err != nil {
		t.Fatal(err)
	}
	in, err := hcl.LoadBytes(fmt.Sprintf("network-%d.tfstate", i), state)
	if err != nil {
		t.Fatal(err)
	}
	return in.Network
}

// flows draws n flows with one client port and one destination port each,
// so that every answer is all or nothing: between interfaces, from internet
// hosts to interfaces and from interfaces to internet hosts, often on a
// port the destination's groups open.
func flows(n *model.Network, rnd *rand.Rand, count int) []reach.Query {
	// Hosts: a NAT gateway's or a transit gateway attachment's interface
	// is no end of a flow.
	var enis []*model.NetworkInterface
	for _, x := range n.Interfaces {
		if len(x.PrivateIPs) > 0 && x.Outside == "" && (x.OwnerKind == model.OwnerInstance || x.OwnerKind == model.OwnerNone) {
			enis = append(enis, x)
		}
	}
	if len(enis) == 0 {
		return nil
	}
	groups := map[string]*model.SecurityGroup{}
	for _, g := range n.SecurityGroups {
		groups[g.ID] = g
	}
	internet := []string{"8.8.8.8", "1.1.1.1", "52.94.0.10", "203.0.114.7"}
	var out []reach.Query
	for range count {
		dst := enis[rnd.IntN(len(enis))]
		q := reach.Query{From: enis[rnd.IntN(len(enis))].ID, To: dst.ID, Protocol: model.ProtocolTCP}
		switch rnd.IntN(4) {
		case 0:
			q.From = internet[rnd.IntN(len(internet))]
		case 1:
			q.To = internet[rnd.IntN(len(internet))]
		}
		switch rnd.IntN(6) {
		case 0:
			q.Protocol = model.ProtocolUDP
		case 1:
			q.Protocol = model.ProtocolICMP
		}
		if q.Protocol.HasPorts() {
			port := []uint16{22, 80, 443, 3306, 5432, 8080}[rnd.IntN(6)]
			// Often a port a group of the destination opens.
			for _, id := range dst.SecurityGroupIDs {
				if g := groups[id]; g != nil && len(g.Ingress) > 0 && rnd.IntN(2) == 0 {
					if r := g.Ingress[rnd.IntN(len(g.Ingress))]; r.Protocol == q.Protocol || r.Protocol == model.ProtocolAll {
						port = r.Ports.First
					}
				}
			}
			p := model.Port(port)
			sp := model.Port(uint16(32768 + rnd.IntN(28000)))
			q.Port, q.SrcPort = &p, &sp
		}
		out = append(out, q)
	}
	return out
}

// answer is what must not change: the verdict and the blocking
// explanations' codes, legs and component kinds (not their names, which a
// renaming changes, nor their order).
type answer struct {
	verdict reach.Verdict
	codes   string
}

func (a answer) String() string { return fmt.Sprintf("%v [%s]", a.verdict, a.codes) }

func answerOf(r *reach.Result) answer {
	var codes []string
	for _, x := range r.Explanations {
		if x.Severity == reach.SeverityBlocking {
			codes = append(codes, fmt.Sprintf("%v %v %s", x.Direction, x.Code, x.Component.Kind))
		}
	}
	slices.Sort(codes)
	return answer{r.Verdict, strings.Join(slices.Compact(codes), "; ")}
}

// traceAll traces qs on n; a query the engine refuses gets a nil result.
func traceAll(t *testing.T, n *model.Network, qs []reach.Query) []*reach.Result {
	t.Helper()
	e, err := reach.New(n)
	if err != nil {
		t.Fatalf("reach.New: %v", err)
	}
	out := make([]*reach.Result, len(qs))
	for i, q := range qs {
		if r, err := e.Trace(q); err == nil {
			out[i] = r
		}
	}
	return out
}

func describe(q reach.Query) string {
	s := fmt.Sprintf("%v %s -> %s", q.Protocol, q.From, q.To)
	if q.Port != nil {
		s += fmt.Sprintf(" port %v (client %v)", *q.Port, *q.SrcPort)
	}
	return s
}

// stats count what a property checked, so that a run says how much it
// tested: flows answered, reachable before, and changed by the
// transformation (a property that holds because nothing is reachable, or
// nothing changes, tests little).
type stats struct {
	networks, flows, reachable, changed int
}

func (s *stats) String() string {
	return fmt.Sprintf("%d networks, %d flows, %d reachable, %d changed by the transformation", s.networks, s.flows, s.reachable, s.changed)
}

// each runs check on every network of the run, with its own random source,
// and logs the statistics check kept.
func each(t *testing.T, check func(t *testing.T, i int, rnd *rand.Rand, st *stats)) {
	st := &stats{}
	for i := range *networksFlag {
		rnd := rand.New(rand.NewPCG(*seedFlag, uint64(i)*7919+uint64(len(t.Name()))))
		t.Run(fmt.Sprint(i), func(t *testing.T) { check(t, i, rnd, st) })
	}
	t.Logf("%s: %v", t.Name(), st)
}

// count adds the flows of one network to st.
func (s *stats) count(was, now []*reach.Result) {
	s.networks++
	for k := range was {
		if was[k] == nil || now[k] == nil {
			continue
		}
		s.flows++
		if was[k].Verdict.Passes() {
			s.reachable++
		}
		if answerOf(was[k]) != answerOf(now[k]) {
			s.changed++
		}
	}
}

// changed draws flows on network i, traces them, builds the network again,
// changes it with change (which may look at the first answers; false skips
// the network) and traces the flows again, renamed by rename (nil for
// none). It returns what change did, the flows and both answers.
func changed(t *testing.T, i int, rnd *rand.Rand, st *stats, qs func(*model.Network) []reach.Query,
	change func(n *model.Network, qs []reach.Query, was []*reach.Result) (string, func(reach.Query) reach.Query, bool),
) (what string, flows []reach.Query, was, now []*reach.Result) {
	t.Helper()
	before := network(t, *seedFlag, i)
	flows = qs(before)
	was = traceAll(t, before, flows)
	after := network(t, *seedFlag, i)
	what, rename, ok := change(after, flows, was)
	if !ok {
		t.Skip("the network cannot be changed so")
	}
	moved := flows
	if rename != nil {
		moved = make([]reach.Query, len(flows))
		for k, q := range flows {
			moved[k] = rename(q)
		}
	}
	now = traceAll(t, after, moved)
	st.count(was, now)
	return what, flows, was, now
}

// drawn draws the run's number of flows on a network.
func drawn(rnd *rand.Rand) func(*model.Network) []reach.Query {
	return func(n *model.Network) []reach.Query { return flows(n, rnd, *flowsFlag) }
}

// TestAddingAnAllowRuleRemovesNoFlow: a security group rule, or a network
// ACL allow rule under an unused number, only ever lets more pass.
func TestAddingAnAllowRuleRemovesNoFlow(t *testing.T) {
	each(t, func(t *testing.T, i int, rnd *rand.Rand, st *stats) {
		added, qs, was, now := changed(t, i, rnd, st, drawn(rnd), func(n *model.Network, _ []reach.Query, was []*reach.Result) (string, func(reach.Query) reach.Query, bool) {
			// Half the time, a rule that lets one blocked flow through:
			// a random rule seldom touches the flows drawn.
			if rnd.IntN(2) == 0 {
				if added, ok := allowOne(n, was, rnd); ok {
					return added, nil, true
				}
			}
			return AddAllowRule(n, rnd), nil, true
		})
		for k, q := range qs {
			if was[k] != nil && now[k] != nil && was[k].Verdict == reach.Reachable && now[k].Verdict != reach.Reachable {
				t.Errorf("adding %s: %s was reachable, now %v", added, describe(q), answerOf(now[k]))
			}
		}
	})
}

// TestAddingADenyRuleAddsNoFlow: a network ACL deny rule under a number
// lower than others only ever lets less pass.
func TestAddingADenyRuleAddsNoFlow(t *testing.T) {
	each(t, func(t *testing.T, i int, rnd *rand.Rand, st *stats) {
		added, qs, was, now := changed(t, i, rnd, st, drawn(rnd), func(n *model.Network, qs []reach.Query, was []*reach.Result) (string, func(reach.Query) reach.Query, bool) {
			// Half the time, a rule before the one that lets a reachable
			// flow through its network ACL, that denies it.
			if rnd.IntN(2) == 0 {
				if added, ok := denyOne(n, was, qs, rnd); ok {
					return added, nil, true
				}
			}
			added, ok := AddDenyRule(n, rnd)
			return added, nil, ok
		})
		for k, q := range qs {
			if was[k] != nil && now[k] != nil && now[k].Verdict.Passes() && !was[k].Verdict.Passes() {
				t.Errorf("adding %s: %s was %v, now passes", added, describe(q), answerOf(was[k]))
			}
		}
	})
}

// same checks that a changed network answers every flow as the original
// did.
func same(t *testing.T, i int, rnd *rand.Rand, st *stats, qs func(*model.Network) []reach.Query,
	change func(n *model.Network) (string, func(reach.Query) reach.Query, bool)) {
	t.Helper()
	what, flows, was, now := changed(t, i, rnd, st, qs, func(n *model.Network, _ []reach.Query, _ []*reach.Result) (string, func(reach.Query) reach.Query, bool) {
		return change(n)
	})
	for k, q := range flows {
		if (was[k] == nil) != (now[k] == nil) {
			t.Errorf("%s: %s answered %v, now %v", what, describe(q), was[k] != nil, now[k] != nil)
			continue
		}
		if was[k] == nil {
			continue
		}
		if a, b := answerOf(was[k]), answerOf(now[k]); a != b {
			t.Errorf("%s: %s was %v, now %v", what, describe(q), a, b)
		}
	}
}

// TestRenamingChangesNoAnswer: new IDs, Terraform addresses and names for
// every element.
func TestRenamingChangesNoAnswer(t *testing.T) {
	each(t, func(t *testing.T, i int, rnd *rand.Rand, st *stats) {
		same(t, i, rnd, st, drawn(rnd), func(n *model.Network) (string, func(reach.Query) reach.Query, bool) {
			ren := Rename(n)
			for _, x := range n.Interfaces {
				if _, old := ren[x.ID]; old || !strings.Contains(x.ID, "renamed") {
					t.Fatalf("interface %s was not renamed", x.ID)
				}
			}
			return "renamed", func(q reach.Query) reach.Query {
				q.From, q.To = ren.Name(q.From), ren.Name(q.To)
				return q
			}, true
		})
	})
}

// TestReorderingChangesNoAnswer: every list whose order means nothing —
// elements, rules, routes, associations, group lists — shuffled, as
// reordering a configuration's blocks and files does.
func TestReorderingChangesNoAnswer(t *testing.T) {
	each(t, func(t *testing.T, i int, rnd *rand.Rand, st *stats) {
		same(t, i, rnd, st, drawn(rnd), func(n *model.Network) (string, func(reach.Query) reach.Query, bool) {
			Shuffle(n, rnd)
			return "reordered", nil, true
		})
	})
}

// TestSplittingAGroupChangesNoAnswer: a security group split into two
// groups attached to the same interfaces.
func TestSplittingAGroupChangesNoAnswer(t *testing.T) {
	each(t, func(t *testing.T, i int, rnd *rand.Rand, st *stats) {
		same(t, i, rnd, st, drawn(rnd), func(n *model.Network) (string, func(reach.Query) reach.Query, bool) {
			what, ok := SplitGroup(n, rnd)
			return what, nil, ok
		})
	})
}

// TestMovingASubnetChangesOnlyAddresses: a subnet moved to another block
// of its VPC, its interfaces with it: every flow named by interface or by a
// translated address is answered alike.
func TestMovingASubnetChangesOnlyAddresses(t *testing.T) {
	each(t, func(t *testing.T, i int, rnd *rand.Rand, st *stats) {
		// Name some ends by address, so that translation is tested too.
		byAddress := func(n *model.Network) []reach.Query {
			qs := flows(n, rnd, *flowsFlag)
			addrs := map[string]netip.Addr{}
			for _, x := range n.Interfaces {
				if len(x.PrivateIPs) > 0 {
					addrs[x.ID] = x.PrivateIPs[0]
				}
			}
			for k := range qs {
				if a, ok := addrs[qs[k].To]; ok && rnd.IntN(2) == 0 {
					qs[k].To = a.String()
				}
			}
			return qs
		}
		same(t, i, rnd, st, byAddress, func(n *model.Network) (string, func(reach.Query) reach.Query, bool) {
			m, ok := MoveSubnet(n, rnd)
			return fmt.Sprintf("subnet %s moved from %v to %v", m.Subnet, m.From, m.To), func(q reach.Query) reach.Query {
				for _, end := range []*string{&q.From, &q.To} {
					if a, err := netip.ParseAddr(*end); err == nil {
						*end = m.Addr(a).String()
					}
				}
				return q
			}, ok
		})
	})
}

// TestAFlowAndItsMirrorAgreeOnTheReturnPath: with every security group
// open (only stateless decisions left: routes, network ACLs, gateways), a
// flow between two interfaces that no address translation changes and its
// mirror — from the destination back to the source, ports swapped — take
// the same paths in opposite directions: the flow's replies pass exactly
// when the mirror's requests do, and are stopped by the same code at the
// same kind of component.
func TestAFlowAndItsMirrorAgreeOnTheReturnPath(t *testing.T) {
	each(t, func(t *testing.T, i int, rnd *rand.Rand, st *stats) {
		n := network(t, *seedFlag, i)
		OpenGroups(n)
		var qs []reach.Query
		// Half the flows drawn name the internet: draw more.
		for _, q := range flows(n, rnd, 3**flowsFlag) {
			if strings.Contains(q.From, ".") || strings.Contains(q.To, ".") || q.From == q.To {
				continue // between interfaces only
			}
			qs = append(qs, q)
		}
		results := traceAll(t, n, qs)
		var mirrors []reach.Query
		var kept []int
		for k, q := range qs {
			r := results[k]
			if r == nil || !reachedDestination(r) || translated(r.Forward) {
				continue
			}
			m := q
			m.From, m.To = q.To, q.From
			if q.Port != nil {
				m.Port, m.SrcPort = q.SrcPort, q.Port
			}
			mirrors = append(mirrors, m)
			kept = append(kept, k)
		}
		back := traceAll(t, n, mirrors)
		st.networks++
		st.flows += len(kept)
		for j, k := range kept {
			if back[j] != nil && back[j].Verdict.Passes() {
				st.reachable++
			}
			if back[j] == nil {
				t.Errorf("%s: the mirror %s is refused", describe(qs[k]), describe(mirrors[j]))
				continue
			}
			// The flow's return leg is the mirror's forward leg.
			want, got := returnCodes(results[k]), forwardCodes(back[j])
			if results[k].Verdict != back[j].Verdict || want != got {
				t.Errorf("%s: %v (return leg: %s); its mirror %s: %v (forward leg: %s)",
					describe(qs[k]), results[k].Verdict, want, describe(mirrors[j]), back[j].Verdict, got)
			}
		}
	})
}

// reachedDestination reports whether r's forward leg got to its end: no
// blocking explanation on it.
func reachedDestination(r *reach.Result) bool {
	return forwardCodes(r) == ""
}

func translated(hops []reach.Hop) bool {
	for _, h := range hops {
		for _, s := range h.Steps {
			if s.Kind == reach.StepTranslate {
				return true
			}
		}
	}
	return false
}

func legCodes(r *reach.Result, leg reach.Leg) string {
	var codes []string
	for _, x := range r.Explanations {
		if x.Severity == reach.SeverityBlocking && x.Direction == leg {
			codes = append(codes, fmt.Sprintf("%v %s", x.Code, x.Component.Kind))
		}
	}
	slices.Sort(codes)
	return strings.Join(slices.Compact(codes), "; ")
}

func forwardCodes(r *reach.Result) string { return legCodes(r, reach.LegForward) }
func returnCodes(r *reach.Result) string  { return legCodes(r, reach.LegReturn) }

// ends returns the one source and destination address of a concrete flow
// as it is at hop h (translations change them).
func ends(h *reach.Headers) (src, dst netip.Addr, ok bool) {
	if h == nil || len(h.Sources) != 1 || len(h.Destinations) != 1 || h.Sources[0].From != h.Sources[0].To || h.Destinations[0].From != h.Destinations[0].To {
		return src, dst, false
	}
	return h.Sources[0].From, h.Destinations[0].From, true
}

func host(a netip.Addr) netip.Prefix { return netip.PrefixFrom(a, a.BitLen()) }

// allowOne adds the security group rule that one flow blocked by security
// groups lacks.
func allowOne(n *model.Network, results []*reach.Result, rnd *rand.Rand) (string, bool) {
	groups := map[string][]string{}
	for _, x := range n.Interfaces {
		groups[x.ID] = x.SecurityGroupIDs
	}
	for _, k := range rnd.Perm(len(results)) {
		r := results[k]
		if r == nil || r.Verdict.Passes() {
			continue
		}
		for _, x := range r.Explanations {
			if x.Severity != reach.SeverityBlocking || x.Code != reach.CodeENISGRulesMismatch || x.Direction != reach.LegForward {
				continue
			}
			src, dst, ok := ends(r.Flow)
			gs := groups[x.Component.ID]
			proto, single := r.Flow.Protocols.Single()
			if !ok || !single || len(gs) == 0 {
				continue
			}
			var port uint16
			if len(r.Flow.DestinationPorts) == 1 {
				port = r.Flow.DestinationPorts[0].First
			}
			// The source's groups refuse it going out, or the
			// destination's coming in.
			if len(r.Forward) > 0 && r.Forward[len(r.Forward)-1].Component.ID == x.Component.ID {
				return AllowRule(n, gs[0], model.Ingress, proto, port, host(src)), true
			}
			return AllowRule(n, gs[0], model.Egress, proto, port, host(dst)), true
		}
	}
	return "", false
}

// denyOne adds, before the network ACL rule that lets one reachable flow
// through, a rule that denies it.
func denyOne(n *model.Network, results []*reach.Result, qs []reach.Query, rnd *rand.Rand) (string, bool) {
	for _, k := range rnd.Perm(len(results)) {
		r := results[k]
		if r == nil || !r.Verdict.Passes() || qs[k].Port == nil {
			continue
		}
		for _, h := range r.Forward {
			src, dst, ok := ends(h.Headers)
			if !ok {
				continue
			}
			for _, st := range h.Steps {
				if st.Kind != reach.StepNetworkACL || st.Decision != reach.DecisionAllow || len(st.Rules) == 0 {
					continue
				}
				var number int
				if _, err := fmt.Sscanf(strings.TrimPrefix(st.Rules[0].Text, st.Direction.String()+" rule "), "%d", &number); err != nil {
					continue
				}
				remote := src
				if st.Direction == model.Egress {
					remote = dst
				}
				if added, ok := DenyBefore(n, st.Component.ID, st.Direction, number, qs[k].Protocol, qs[k].Port.First, host(remote)); ok {
					return added, true
				}
			}
		}
	}
	return "", false
}

package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vpcsim/vpcsim/reach/hset"
)

// From the internet, an analysis walks once per public address of the
// estate, and most of those addresses belong to interfaces of a few classes
// (see class): the members of a class are told apart by no rule, route or
// prefix list, so the walk to one member's public address is the walk to
// another's with the member's public and private addresses, its name and
// its node in place of the first's. An analysis therefore walks one public
// address per class and address position, and derives the others' arrivals
// from its (transplant), which checks as it goes that nothing in the
// arrivals names the first member other than where the substitution puts
// the second; anything it cannot account for is walked instead.
// TestAnalyzeByClassAgrees holds the two ways equal.

// publicStart is what a start from the internet to one public address of
// an interface of a class is, for grouping.
type publicStart struct {
	np     natPair
	member *node
	class  *class
	// pos is the position of the private address among the member's
	// addresses.
	pos int
}

// groupStarts returns, for each start, the start whose walk it is derived
// from: itself when it is walked, another of the same class and address
// position otherwise.
func (e *Engine) groupStarts(starts []analysisStart) []int {
	rep := make([]int, len(starts))
	type groupKey struct{ class, pos int }
	first := map[groupKey]int{}
	for i := range starts {
		rep[i] = i
		ps := starts[i].public
		// A walk to a load balancer's node is not transplanted: what it
		// reaches depends on the node's listeners and zone.
		if ps == nil || len(e.lbNodes) > 0 {
			continue
		}
		k := groupKey{ps.class.id, ps.pos}
		if j, ok := first[k]; ok {
			rep[i] = j
		} else {
			first[k] = i
		}
	}
	return rep
}

// publicStartOf describes the start to the public address a, when a
// translates to an address of an interface of a class and back.
func (e *Engine) publicStartOf(a hset.Addr) *publicStart {
	x := e.publicOwner[a.NetIP()]
	if x == nil {
		return nil
	}
	n := e.eni[x.ID]
	if n == nil || n.vpc == nil || e.classOf[n] == nil {
		return nil
	}
	np, ok := e.pub[n.vpc.ID][a]
	if !ok || np.eni != x {
		return nil
	}
	if back, ok := e.priv[n.vpc.ID][np.private]; !ok || back.public != a || back.eni != x {
		return nil
	}
	pos := slices.IndexFunc(slices.Concat(x.PrivateIPs, x.IPv6Addrs), func(p netip.Addr) bool { return hset.AddrFrom(p) == np.private })
	if pos < 0 {
		return nil
	}
	return &publicStart{np: np, member: n, class: e.classOf[n], pos: pos}
}

// transplant derives the arrivals of the walk to start to from those of the
// walk to start from (same class and address position); false when it
// cannot vouch for the result, and to must be walked.
func (e *Engine) transplant(rs []arrival, from, to *publicStart) ([]arrival, bool) {
	rf, rt := e.internet.routes.lookup(from.np.public), e.internet.routes.lookup(to.np.public)
	if rf == nil || rt == nil || rf.to == nil || rf.to != rt.to || rf.drop != nil || rt.drop != nil || rf.exit || rt.exit {
		return nil, false
	}
	mf, mt := from.member, to.member
	names := func(s *publicStart) []string {
		out := []string{s.member.ref.Label(), s.np.public.NetIP().String(), s.np.private.NetIP().String()}
		for _, id := range []string{s.member.ref.ID, s.member.ref.Address, s.member.ref.Name} {
			if id != "" {
				out = append(out, id)
			}
		}
		return out
	}
	fromNames, toNames := names(from), names(to)
	mentions := func(st *Step, names []string) bool {
		in := func(s string) bool {
			return slices.ContainsFunc(names, func(n string) bool { return strings.Contains(s, n) })
		}
		if in(st.Component.Label()) || in(st.Detail) {
			return true
		}
		for _, r := range st.Rules {
			if in(r.Text) || in(r.Owner.Label()) || in(r.Address) || in(r.ID) {
				return true
			}
		}
		return false
	}
	fromNode, toNode := mf.topoID(), mt.topoID()
	out := make([]arrival, len(rs))
	for k := range rs {
		a := &rs[k]
		if a.eni != mf.eni || len(a.warnings) > 0 {
			return nil, false
		}
		if dst := a.passing.Project(hset.DimDst); len(dst) != 1 || dst[0] != (hset.AddrRange{Lo: from.np.public, Hi: from.np.public}) {
			return nil, false
		}
		b := arrival{eni: mt.eni, passing: a.passing.WithDst(hset.AddrRange{Lo: to.np.public, Hi: to.np.public})}
		for _, rec := range a.digest.steps {
			if mentions(rec.step, toNames) {
				return nil, false
			}
			st := *rec.step
			switch {
			case st.Kind == StepRoute && st.Component == e.internet.ref && len(st.Rules) == 1 && st.Rules[0] == rf.route:
				st.Rules = []RuleRef{rt.route}
			case st.Kind == StepTranslate && st.Decision == DecisionDestinationNAT && st.Detail == from.np.inboundDetail():
				st.Detail = to.np.inboundDetail()
			case st.Kind == StepTranslate && st.Decision == DecisionSourceNAT && st.Detail == from.np.outboundDetail():
				st.Detail = to.np.outboundDetail()
			case st.Component == mf.ref:
				st.Component = mt.ref
			}
			if mentions(&st, fromNames) {
				return nil, false
			}
			b.digest.addStep(rec.dir, &st, func(s hset.Set) hset.Set { return s })
		}
		if len(b.digest.steps) != len(a.digest.steps) {
			return nil, false
		}
		for _, id := range a.digest.nodes {
			switch id {
			case toNode:
				return nil, false
			case fromNode:
				id = toNode
			}
			b.digest.addNode(id)
		}
		out[k] = b
	}
	return out, true
}

package reach

// Caveats: an answer that depends on an element outside the input, or on a
// value unknown until apply, says so next to the finding or hop concerned,
// not only in the load's notes (docs/loading.md, "Caveats on answers").

// caveatNotes are the notes of the components in refs that have a caveat,
// once each, in order.
func caveatNotes(refs []Ref) []Explanation {
	var out []Explanation
	var seen map[string]bool
	for i := range refs {
		r := &refs[i]
		if r.Outside == "" && r.Unknown == "" {
			continue // most components: nothing to build
		}
		c := r.Caveat()
		if seen[c] {
			continue
		}
		if seen == nil {
			seen = map[string]bool{}
		}
		seen[c] = true
		code := CodeValueUnknown
		if r.Outside != "" {
			code = CodeOutsideEstate
		}
		out = append(out, Explanation{Code: code, Severity: SeverityWarning, Component: *r, Message: "on the path: " + c})
	}
	return out
}

// stepRefs are the components a step depends on: its own, its groups and
// the owners of its rules.
func stepRefs(st *Step) []Ref {
	refs := append([]Ref{st.Component}, st.Groups...)
	for _, r := range st.Rules {
		refs = append(refs, r.Owner)
	}
	return refs
}

// pathRefs are the components a finding's path depends on.
func pathRefs(steps []PathStep) []Ref {
	var refs []Ref
	for _, st := range steps {
		refs = append(refs, st.Component)
		for _, r := range st.Rules {
			refs = append(refs, r.Owner)
		}
	}
	return refs
}

// markCaveats fills each hop's Caveats and returns the notes of them all.
func markCaveats(hs []Hop) []Explanation {
	var all []Ref
	for i := range hs {
		refs := []Ref{hs[i].Component}
		for j := range hs[i].Steps {
			refs = append(refs, stepRefs(&hs[i].Steps[j])...)
		}
		for _, x := range caveatNotes(refs) {
			hs[i].Caveats = append(hs[i].Caveats, x.Component.Caveat())
		}
		all = append(all, refs...)
	}
	return caveatNotes(all)
}

// trailCaveats adds to seen, and returns in order, the caveats of the
// components on a flow's trail.
func trailCaveats(trail *event, seen map[string]bool) []string {
	var refs []Ref
	for ev := trail; ev != nil; ev = ev.prev {
		switch {
		case ev.node != nil:
			refs = append(refs, ev.node.ref)
		case ev.step != nil:
			refs = append(refs, stepRefs(ev.step)...)
		}
	}
	var out []string
	for i := len(refs) - 1; i >= 0; i-- {
		if c := refs[i].Caveat(); c != "" && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}

// findingCaveats are the caveats of a finding: of its ends and of every
// component its path depends on; nil, without allocating, when there are
// none.
func findingCaveats(f *Finding) []Explanation {
	has := func(r *Ref) bool { return r.Outside != "" || r.Unknown != "" }
	found := has(&f.Target) || has(&f.Interface) || has(&f.Subnet) || has(&f.VPC)
	for i := 0; i < len(f.Path) && !found; i++ {
		st := &f.Path[i]
		found = has(&st.Component)
		for j := 0; j < len(st.Rules) && !found; j++ {
			found = has(&st.Rules[j].Owner)
		}
	}
	if !found {
		return nil
	}
	return caveatNotes(append([]Ref{f.Target, f.Interface, f.Subnet, f.VPC}, pathRefs(f.Path)...))
}

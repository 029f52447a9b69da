package model

import (
	"net/netip"
	"strings"
	"testing"
)

// pfx and ip keep test tables readable; they panic on a typo in the table,
// which is a bug in the test, not in the code under test.
func pfx(s string) netip.Prefix { return netip.MustParsePrefix(s) }
func ip(s string) netip.Addr    { return netip.MustParseAddr(s) }

// hostPfx is a prefix that keeps its host bits (ParsePrefix does not mask),
// the way a careless input writes 10.0.1.7/24.
func hostPfx(s string) netip.Prefix {
	p, err := netip.ParsePrefix(s)
	if err != nil {
		panic(err)
	}
	return p
}

func ips(ss ...string) []netip.Addr {
	out := make([]netip.Addr, len(ss))
	for i, s := range ss {
		out[i] = ip(s)
	}
	return out
}

func pfxs(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = pfx(s)
	}
	return out
}

// meta names an element the way the HCL loader does: its Terraform address
// is also its symbolic ID.
func meta(addr string) Meta { return Meta{ID: addr, Address: addr} }

// wantDiag is the part of a diagnostic a test cares about.
type wantDiag struct {
	sev     Severity
	element string
	msg     string // a substring of the message
}

func (w wantDiag) matches(d Diagnostic) bool {
	return d.Severity == w.sev && d.Element == w.element && strings.Contains(d.Message, w.msg)
}

// checkDiags requires ds to hold exactly one diagnostic per want, in any
// order, and nothing else.
func checkDiags(t *testing.T, ds Diagnostics, want []wantDiag) {
	t.Helper()
	used := make([]bool, len(ds))
	for _, w := range want {
		found := false
		for i, d := range ds {
			if !used[i] && w.matches(d) {
				used[i], found = true, true
				break
			}
		}
		if !found {
			t.Errorf("missing %s diagnostic for %q containing %q", w.sev, w.element, w.msg)
		}
	}
	for i, d := range ds {
		if !used[i] {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
}

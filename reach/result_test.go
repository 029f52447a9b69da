package reach

import (
	"encoding"
	"testing"
)

// TestEnums checks every enum of the answers: each named value prints and
// marshals as its word and reads back; the zero value and values past the
// last print "invalid" and refuse to marshal, so that a value never set
// cannot pass for one.
func TestEnums(t *testing.T) {
	type enum interface {
		String() string
		encoding.TextMarshaler
	}
	for _, tc := range []struct {
		values []enum
		names  []string
		zero   enum
		past   enum
		back   func() encoding.TextUnmarshaler
	}{
		{[]enum{StepSecurityGroup, StepNetworkACL, StepRoute, StepTranslate},
			[]string{"security-group", "network-acl", "route", "translate"}, StepKind(0), StepKind(5), func() encoding.TextUnmarshaler { return new(StepKind) }},
		{[]enum{DecisionAllow, DecisionDeny, DecisionForward, DecisionExit, DecisionDrop, DecisionSourceNAT, DecisionDestinationNAT, DecisionReverseNAT, DecisionLoadBalance, DecisionReverseLoadBalance},
			[]string{"allow", "deny", "forward", "exit", "drop", "source-nat", "destination-nat", "reverse-nat", "load-balance", "reverse-load-balance"}, Decision(0), Decision(11), func() encoding.TextUnmarshaler { return new(Decision) }},
		{[]enum{LegForward, LegReturn}, []string{"forward", "return"}, Leg(0), Leg(3), func() encoding.TextUnmarshaler { return new(Leg) }},
		{[]enum{Unreachable, Reachable, PartlyReachable}, []string{"unreachable", "reachable", "partly-reachable"}, Verdict(0), Verdict(4), func() encoding.TextUnmarshaler { return new(Verdict) }},
		{[]enum{RuleSecurityGroup, RuleNetworkACL, RuleRoute, RuleTGWRoute},
			[]string{"security-group-rule", "network-acl-rule", "route", "transit-gateway-route"}, RuleKind(0), RuleKind(5), func() encoding.TextUnmarshaler { return new(RuleKind) }},
		{[]enum{OutcomeForward, OutcomeDelivered, OutcomeLeft, OutcomeDropped}, []string{"forward", "delivered", "left", "dropped"}, Outcome(0), Outcome(5), nil},
	} {
		for i, v := range tc.values {
			b, err := v.MarshalText()
			if v.String() != tc.names[i] || err != nil || string(b) != tc.names[i] {
				t.Errorf("%T %d: %q, marshals as %q, %v; want %q", v, i+1, v.String(), b, err, tc.names[i])
			}
			if tc.back != nil {
				u := tc.back()
				if err := u.UnmarshalText(b); err != nil || u.(enum).String() != tc.names[i] {
					t.Errorf("%T: %q reads back as %v, %v", v, b, u, err)
				}
			}
		}
		for _, bad := range []enum{tc.zero, tc.past} {
			if bad.String() != "invalid" {
				t.Errorf("%T(%v) prints %q; want invalid", bad, bad, bad.String())
			}
			if _, err := bad.MarshalText(); err == nil {
				t.Errorf("%T %q marshals", bad, bad)
			}
		}
		if tc.back != nil {
			if err := tc.back().UnmarshalText([]byte("bogus")); err == nil {
				t.Errorf("%T reads bogus", tc.zero)
			}
		}
	}
}

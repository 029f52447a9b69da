package reach

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// TestAnalyzeFindings checks the findings of a small estate: what the
// internet reaches on web (22, 80, 443 by its group), which sources a NACL
// deny removes (8.0.0.0/8 from 22), and that replies to clients pass only for
// the ports the outbound NACL rule allows (1024-32767): partial.
func TestAnalyzeFindings(t *testing.T) {
	n := newNet()
	base(n)
	withNAT(n)
	n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"90 deny tcp 22 8.0.0.0/8", "100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-32767 0.0.0.0/0", "110 allow all - 10.0.0.0/8"})
	e := n.engine(t)
	a, err := e.Analyze(AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range a.Exposures {
		for _, f := range x.Findings() {
			got = append(got, fmt.Sprintf("%s %s %d-%d from %q to %v partial=%v returns %s",
				x.Target.ID, f.Protocols, f.Ports.First, f.Ports.Last, f.SourcesSummary, f.Destinations, f.Partial, f.ReturnPorts))
			var rules []string
			for _, st := range f.Path {
				for _, r := range st.Rules {
					rules = append(rules, r.Text)
				}
			}
			// The path names the group rule that opens the port, and no
			// rule about another port.
			want := fmt.Sprintf("ingress allow tcp %d from 0.0.0.0/0", f.Ports.First)
			if !slices.Contains(rules, want) {
				t.Errorf("%s %d: path %q lacks %q", f.Protocols, f.Ports.First, rules, want)
			}
			for _, r := range rules {
				if strings.HasPrefix(r, "ingress allow tcp") && r != want {
					t.Errorf("%s %d: path names an unrelated rule %q", f.Protocols, f.Ports.First, r)
				}
			}
		}
	}
	want := []string{
		`web tcp 22-22 from "the internet except 8.0.0.0/8" to [54.0.0.10] partial=true returns 1024-32767`,
		`web tcp 80-80 from "the internet" to [54.0.0.10] partial=true returns 1024-32767`,
		`web tcp 443-443 from "the internet" to [54.0.0.10] partial=true returns 1024-32767`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestAllOpenIsOneFinding: a group that opens every protocol to the world
// reads as one "all" finding, not one per protocol.
func TestAllOpenIsOneFinding(t *testing.T) {
	n := newNet()
	base(n)
	n.sg("sg-open", "vpc-1", []sgSpec{"all - 0.0.0.0/0"}, []sgSpec{"all - 0.0.0.0/0"})
	n.Interfaces[0].SecurityGroupIDs = []string{"sg-open"}
	a, err := n.engine(t).Analyze(AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, x := range a.Exposures {
		for _, f := range x.Findings() {
			got = append(got, fmt.Sprintf("%s %s %d-%d %v", x.Target.ID, f.Protocols, f.Ports.First, f.Ports.Last, f.Partial))
		}
	}
	if want := []string{"web all 0-65535 false"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}

// TestOpenedBy checks which rules open an exposure: the target's own
// security group rules, not the source's egress rules; else the network ACL
// rules into the target's subnet; else none. Rules written in a file come
// first.
func TestOpenedBy(t *testing.T) {
	rule := func(kind RuleKind, file string, line int) RuleRef {
		return RuleRef{Kind: kind, Text: fmt.Sprintf("rule %s:%d", file, line), Pos: model.Pos{File: file, Line: line}}
	}
	eniSrc, eniDst := Ref{Kind: "network-interface", ID: "eni-src"}, Ref{Kind: "network-interface", ID: "eni-dst"}
	sg := func(iface Ref, rules ...RuleRef) PathStep {
		return PathStep{Direction: LegForward, Kind: StepSecurityGroup, Component: iface, Decision: DecisionAllow, Rules: rules}
	}
	acl := func(dir Leg, owner string, rules ...RuleRef) PathStep {
		return PathStep{Direction: dir, Kind: StepNetworkACL, Component: Ref{Kind: "network-acl", ID: owner}, Decision: DecisionAllow, Rules: rules}
	}
	synthetic := RuleRef{Kind: RuleSecurityGroup, Text: "synthetic", Synthetic: "default"}
	for _, tc := range []struct {
		name string
		path []PathStep
		want []string
	}{
		{"the target's group", []PathStep{sg(eniSrc, rule(RuleSecurityGroup, "sg.tf", 1)), acl(LegForward, "acl-src", rule(RuleNetworkACL, "net.tf", 2)),
			acl(LegForward, "acl-dst", rule(RuleNetworkACL, "net.tf", 3)), sg(eniDst, synthetic, rule(RuleSecurityGroup, "sg.tf", 4))},
			[]string{"rule sg.tf:4", "synthetic"}},
		{"no group: the ACL into the subnet", []PathStep{sg(eniSrc, rule(RuleSecurityGroup, "sg.tf", 1)), acl(LegForward, "acl-src", rule(RuleNetworkACL, "net.tf", 2)),
			acl(LegForward, "acl-dst", rule(RuleNetworkACL, "net.tf", 3)), acl(LegReturn, "acl-dst", rule(RuleNetworkACL, "net.tf", 5))},
			[]string{"rule net.tf:3"}},
		{"nothing", nil, nil},
	} {
		var got []string
		for _, r := range openedBy(tc.path, eniDst) {
			got = append(got, r.Text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: opened by %q, want %q", tc.name, got, tc.want)
		}
	}
}

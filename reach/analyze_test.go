package reach

import (
	"fmt"
	"slices"
	"strings"
	"testing"
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
				x.Target.ID, f.Protocol, f.FromPort, f.ToPort, f.SourcesSummary, f.Destinations, f.Partial, f.ReturnPorts))
			var rules []string
			for _, st := range f.Path {
				for _, r := range st.Rules {
					rules = append(rules, r.Text)
				}
			}
			// The path names the group rule that opens the port, and no
			// rule about another port.
			want := fmt.Sprintf("ingress allow tcp %d from 0.0.0.0/0", f.FromPort)
			if !slices.Contains(rules, want) {
				t.Errorf("%s %d: path %q lacks %q", f.Protocol, f.FromPort, rules, want)
			}
			for _, r := range rules {
				if strings.HasPrefix(r, "ingress allow tcp") && r != want {
					t.Errorf("%s %d: path names an unrelated rule %q", f.Protocol, f.FromPort, r)
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
			got = append(got, fmt.Sprintf("%s %s %d-%d %v", x.Target.ID, f.Protocol, f.FromPort, f.ToPort, f.Partial))
		}
	}
	if want := []string{"web all 0-65535 false"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings %v, want %v", got, want)
	}
}

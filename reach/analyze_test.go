package reach

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestAnalyzeSmoke(t *testing.T) {
	n := newNet()
	base(n)
	withNAT(n)
	n.acl("acl-pub", "vpc-1", []string{"subnet-pub"}, []string{"90 deny tcp 22 8.0.0.0/8", "100 allow all - 0.0.0.0/0"}, []string{"100 allow tcp 1024-32767 0.0.0.0/0", "110 allow all - 10.0.0.0/8"})
	e := n.engine(t)
	a, err := e.Analyze(AnalyzeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range a.Exposures {
		for _, f := range x.Findings() {
			b, _ := json.Marshal(f)
			t.Logf("%s", b)
		}
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

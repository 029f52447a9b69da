package reach

import (
	"encoding/json"
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

package reach_test

import (
	"math/rand/v2"
	"testing"

	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/reach/reachtest"
)

// TestAnalyzeAgreesWithTrace checks, on the scenario networks, that the
// exhaustive analysis lists exactly the flows the trace finds reachable.
func TestAnalyzeAgreesWithTrace(t *testing.T) {
	for name, build := range reach.AgreementNetworks {
		t.Run(name, func(t *testing.T) {
			n := reach.NewNetForTest()
			build(n)
			e := n.EngineForTest(t)
			st, bad, err := reachtest.Agreement(e, rand.New(rand.NewPCG(1, 2)), 400)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range bad {
				t.Error(d)
			}
			if st.Checked < 50 || st.Reachable == 0 || st.Reachable == st.Checked {
				t.Errorf("%d flows checked, %d reachable: the sample must hold both answers", st.Checked, st.Reachable)
			}
		})
	}
}

// TestMatrixAgreesWithTrace checks every cell of the subnet matrix against
// traces between every pair of interfaces.
func TestMatrixAgreesWithTrace(t *testing.T) {
	for name, build := range reach.AgreementNetworks {
		t.Run(name, func(t *testing.T) {
			n := reach.NewNetForTest()
			build(n)
			e := n.EngineForTest(t)
			checked, bad, err := reachtest.MatrixAgreement(e)
			if err != nil {
				t.Fatal(err)
			}
			for _, b := range bad {
				t.Error(b)
			}
			if checked == 0 {
				t.Error("no pair checked")
			}
		})
	}
}

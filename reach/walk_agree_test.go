package reach_test

import (
	"errors"
	"testing"

	"github.com/vpcsim/vpcsim/packet/packettest"
	"github.com/vpcsim/vpcsim/reach"
)

// TestWalkAgreesWithTrace walks every flow of the trace scenario suite (the
// element scenarios and the reference scenarios) as a conversation of real
// packets through the packet walker, and traces the very same flow: they
// must agree on the verdict and, when it fails, on the leg, code, component
// and rule that stopped it.
func TestWalkAgreesWithTrace(t *testing.T) {
	walked := 0
	for _, sc := range reach.ScenariosForTest() {
		t.Run(sc.Name, func(t *testing.T) {
			n := reach.NewNetForTest()
			sc.Build(n)
			e := n.EngineForTest(t)
			c, err := packettest.Compare(e, sc.Query)
			if errors.Is(err, packettest.ErrNoConversation) {
				t.Skip("every protocol at once: no one conversation")
			}
			if err != nil {
				t.Fatal(err)
			}
			walked++
			if c.Disagreement != "" {
				t.Errorf("%s\n%s -> %s: %s", sc.Doc, c.Query.From, c.Query.To, c.Disagreement)
			}
		})
	}
	if walked < 100 {
		t.Errorf("only %d scenarios walked", walked)
	}
}

package verify

import (
	"io"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify/verifytest"
	"github.com/vpcsim/vpcsim/reach"
)

func newNet() *verifytest.Net { return verifytest.NewNet() }

func engine(t testing.TB, n *verifytest.Net) *reach.Engine {
	t.Helper()
	e, err := n.Engine()
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// classify reads text records of format f (nil: a header line) and
// classifies each.
func classify(t *testing.T, e *reach.Engine, f flowlog.Format, text string) []Verdict {
	t.Helper()
	r, err := flowlog.NewTextReader(strings.NewReader(text), f)
	if err != nil {
		t.Fatal(err)
	}
	c := NewClassifier(e, model.DefaultEphemeral)
	var out []Verdict
	for {
		rec, err := r.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c.Classify(rec))
	}
}

func mustFormat(s string) flowlog.Format {
	f, err := flowlog.ParseFormat(s)
	if err != nil {
		panic(err)
	}
	return f
}

package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
)

// TestInspectionTextDeterministic: the changes of a plan are a map; the
// text names the usual actions in their order and any others
// alphabetically, the same every time.
func TestInspectionTextDeterministic(t *testing.T) {
	in := &Inspection{Source: "plan.json", Format: "terraform-plan",
		Counts:       []model.KindCount{{Kind: "vpc", Count: 1}},
		BeforeCounts: []model.KindCount{{Kind: "vpc", Count: 1}},
		Changes:      map[string]int{"delete": 1, "create": 2, "no-op": 3, "create-then-delete": 4, "import": 5}}
	var first string
	for i := 0; i < 50; i++ {
		var b bytes.Buffer
		if err := WriteInspection(&b, in, "text"); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.String()
			continue
		}
		if b.String() != first {
			t.Fatalf("the text differs between runs:\n%s\nthen\n%s", first, b.String())
		}
	}
	const want = "changes:  2 to create, 1 to delete, 4 create-then-delete, 5 import, 3 no-op\n"
	if !strings.Contains(first, want) {
		t.Errorf("text\n%s\nwant a line %q", first, want)
	}
}

package tfjson

import (
	"testing"

	"github.com/vpcsim/vpcsim/hcl/resource"
)

// TestPlanUnknownMarks checks that after_unknown reaches into lists and
// objects, where planned_values leaves nulls or nothing.
func TestPlanUnknownMarks(t *testing.T) {
	v := map[string]any{"a": "x", "l": []any{"1", nil}, "o": map[string]any{"k": "v"}}
	marks := map[string]any{"b": true, "l": []any{false, true, true}, "o": map[string]any{"m": true}, "n": []any{false}}
	got := markUnknown(v, marks).(map[string]any)
	if !resource.IsUnknown(got["b"]) || got["a"] != "x" {
		t.Errorf("top level %v", got)
	}
	l := got["l"].([]any)
	if len(l) != 3 || l[0] != "1" || !resource.IsUnknown(l[1]) || !resource.IsUnknown(l[2]) {
		t.Errorf("list %v", l)
	}
	if o := got["o"].(map[string]any); o["k"] != "v" || !resource.IsUnknown(o["m"]) {
		t.Errorf("object %v", o)
	}
	if _, ok := got["n"]; ok {
		t.Errorf("a mark without true created %v", got["n"])
	}
}

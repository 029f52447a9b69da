package examples

import (
	"bytes"
	"testing"

	"github.com/vpcsim/vpcsim/examples/internal/estate"
	"github.com/vpcsim/vpcsim/internal/tfstate"
)

func TestStatesAreConsistent(t *testing.T) {
	for _, e := range All() {
		for _, err := range tfstate.Check(e.State()) {
			t.Errorf("%s: %v", e.Name, err)
		}
	}
}

// The state files are the generator's output: editing the JSON by hand
// would let it drift from the code that keeps it consistent.
func TestStatesAreGenerated(t *testing.T) {
	names := estate.Names()
	all := All()
	if len(all) != len(names) {
		t.Fatalf("All() has %d examples, the generator %d", len(all), len(names))
	}
	for i, e := range all {
		if e.Name != names[i] {
			t.Fatalf("example %d is %s, the generator's %s", i, e.Name, names[i])
		}
		want, err := estate.Build(e.Name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(e.State(), want) {
			t.Errorf("%s: terraform.tfstate is not what examples/internal/estate builds; run go generate ./examples", e.StatePath)
		}
	}
}

package sim_test

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/scenario"
	"github.com/vpcsim/vpcsim/packet/sim"
	"github.com/vpcsim/vpcsim/reach"
)

func exampleEngine(t testing.TB) *reach.Engine {
	t.Helper()
	ex := examples.Default()
	in, err := hcl.LoadBytes(ex.StatePath, ex.State())
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// run simulates sc on e into a new folder and returns the folder and stats.
func run(t *testing.T, e *reach.Engine, sc *scenario.Scenario, seed uint64, flows ...string) (string, *sim.Stats, []string) {
	t.Helper()
	dir := t.TempDir()
	out, err := sim.OpenOutputs(sim.OutputOptions{Dir: dir, FlowLogs: flows, Interfaces: packet.FlowLogInterfaces(e), Capture: true,
		AccountID: "123456789012", Region: "us-east-1", FlowLogID: "fl-0123456789abcdef0"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := sim.Run(e, sc, sim.Options{Seed: seed, Recorder: out.Recorder(), Sent: out.Sent()})
	if err != nil {
		out.Abort()
		t.Fatal(err)
	}
	files, err := out.Close()
	if err != nil {
		t.Fatal(err)
	}
	return dir, st, files
}

// TestDefaultScenario runs the scenario derived from the embedded example:
// sessions of every kind complete, probes are refused, and the flow log and
// capture hold them.
func TestDefaultScenario(t *testing.T) {
	e := exampleEngine(t)
	sc, err := scenario.Default(e)
	if err != nil {
		t.Fatal(err)
	}
	dir, st, files := run(t, e, sc, 1, sim.FlowText, sim.FlowParquet)
	t.Logf("%d sessions (%d complete), %d packets, outcomes %v, drops %v, files %v", st.Sessions, st.Completed, st.Packets, st.Outcomes, st.Drops, files)
	for _, b := range st.Blocks {
		t.Logf("  %s %q: %d sessions, %d complete, %d packets, failures %v", b.Kind, b.Name, b.Sessions, b.Completed, b.Packets, b.Failures)
	}
	if st.Completed == 0 || st.Completed == st.Sessions || st.Drops[reach.CodeENISGRulesMismatch] == 0 {
		t.Errorf("want completed sessions and refused probes: %+v", st)
	}
	text, err := os.ReadFile(filepath.Join(dir, "flowlogs.log"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := flowlog.NewTextReader(bytes.NewReader(text), nil)
	if err != nil {
		t.Fatal(err)
	}
	accept, reject := 0, 0
	for {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		switch rec.Action {
		case flowlog.Accept:
			accept++
		case flowlog.Reject:
			reject++
		}
	}
	if accept == 0 || reject == 0 {
		t.Errorf("records: %d ACCEPT, %d REJECT", accept, reject)
	}
	// Deterministic: the same seed writes the same bytes.
	dir2, st2, _ := run(t, e, sc, 1, sim.FlowText, sim.FlowParquet)
	for _, name := range []string{"flowlogs.log", "flowlogs.parquet", sim.CaptureName} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(dir2, name))
		if len(a) == 0 || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with one seed (%d and %d bytes)", name, len(a), len(b))
		}
	}
	if !reflect.DeepEqual(st, st2) {
		t.Errorf("stats differ")
	}
}

// BenchmarkSimulate runs the embedded example's derived scenario with
// flow logs (text) and a capture written to memory: the cost per packet of
// a whole simulation (sessions, scheduling, walking, aggregating, writing).
func BenchmarkSimulate(b *testing.B) {
	e := exampleEngine(b)
	sc, err := scenario.Default(e)
	if err != nil {
		b.Fatal(err)
	}
	packets := 0
	b.ReportAllocs()
	for b.Loop() {
		out, err := sim.OpenOutputs(sim.OutputOptions{Dir: b.TempDir(), FlowLogs: []string{sim.FlowText}, Interfaces: packet.FlowLogInterfaces(e), Capture: true})
		if err != nil {
			b.Fatal(err)
		}
		st, err := sim.Run(e, sc, sim.Options{Seed: 1, Recorder: out.Recorder(), Sent: out.Sent()})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := out.Close(); err != nil {
			b.Fatal(err)
		}
		packets += st.Packets
	}
	b.ReportMetric(float64(packets)/b.Elapsed().Seconds()/1e6, "Mpackets/s")
}

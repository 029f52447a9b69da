package render

import (
	"encoding/json"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/vpcsim/vpcsim/packet/sim"
	"github.com/vpcsim/vpcsim/reach"
)

// Simulation is the answer of `vpcsim simulate`: what the run did and the
// files it wrote.
type Simulation struct {
	Scenario string        `json:"scenario"`
	Seed     uint64        `json:"seed"`
	Start    time.Time     `json:"start"`
	Duration string        `json:"duration"`
	Stats    *sim.Stats    `json:"stats"`
	Records  int           `json:"records"`
	Files    []string      `json:"files"`
	Elapsed  time.Duration `json:"-"`
}

// WriteSimulationJSON writes the answer as one JSON document.
func WriteSimulationJSON(w io.Writer, s *Simulation) error {
	if s.Files == nil {
		s.Files = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// WriteSimulationText writes the answer for people.
func WriteSimulationText(w io.Writer, s *Simulation) error {
	ew := &text{}
	st := s.Stats
	ew.printf("simulated %s from %s (scenario %s, seed %d)\n", s.Duration, s.Start.UTC().Format(time.RFC3339), s.Scenario, s.Seed)
	ew.printf("%d sessions, %d complete; %d packets: %d delivered, %d left the network, %d dropped",
		st.Sessions, st.Completed, st.Packets, st.Outcomes["delivered"], st.Outcomes["left"], st.Outcomes["dropped"])
	if n := st.Outcomes["unplaced"]; n > 0 {
		ew.printf(", %d not sent", n)
	}
	ew.printf("\n\n")
	for _, b := range st.Blocks {
		ew.printf("  %-7s %-60s %7d sessions %7d complete %9d packets\n", b.Kind, quote(b.Name), b.Sessions, b.Completed, b.Packets)
		for _, c := range sortedCodes(b.Failures) {
			ew.printf("  %-68s %7d failed: %s\n", "", b.Failures[c], c)
		}
	}
	ew.printf("\n%d flow-log records\n", s.Records)
	for _, f := range s.Files {
		ew.printf("wrote %s\n", f)
	}
	return ew.flush(w)
}

func quote(s string) string {
	if len(s) > 56 {
		s = s[:53] + "..."
	}
	return strconv.Quote(s)
}

func sortedCodes(m map[reach.Code]int) []reach.Code {
	out := make([]reach.Code, 0, len(m))
	for c := range m {
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b reach.Code) int {
		if m[a] != m[b] {
			return m[b] - m[a]
		}
		if a < b {
			return -1
		}
		return 1
	})
	return out
}

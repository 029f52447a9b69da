package examples_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/intent"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// readmeFinding is one item of an example README's "Findings a review should
// report", with what `vpcsim check` must report for it: built-in checks on
// subjects, and violated expectations of the example's intent file.
type readmeFinding struct {
	n       int
	title   string
	checks  [][2]string // check ID, subject (Terraform address)
	intents []string
}

var (
	itemStart = regexp.MustCompile(`^(\d+)\. \*\*(.+?)\*\*`)
	backtick  = regexp.MustCompile("`([^`]+)`")
)

// readmeFindings reads the findings of an example's README. Each item ends
// with a line "`vpcsim check`: `check-id` on `subject`, … ; intent `name` is
// violated" saying how vpcsim check reports it.
func readmeFindings(t *testing.T, name string) []readmeFinding {
	t.Helper()
	b, err := os.ReadFile(name + "/README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "## Findings a review should report\n")
	if !ok {
		t.Fatalf("%s/README.md has no findings section", name)
	}
	var items []string
	for _, line := range strings.Split(section, "\n") {
		switch {
		case itemStart.MatchString(line):
			items = append(items, line)
		case strings.HasPrefix(line, "   ") && len(items) > 0:
			items[len(items)-1] += " " + strings.TrimSpace(line)
		case strings.TrimSpace(line) != "" && len(items) > 0:
			items = append(items, "") // the text after the list ends it
		}
	}
	var out []readmeFinding
	for _, it := range items {
		m := itemStart.FindStringSubmatch(it)
		if m == nil {
			continue
		}
		f := readmeFinding{title: m[2]}
		f.n = len(out) + 1
		_, marker, ok := strings.Cut(it, "`vpcsim check`:")
		if !ok {
			t.Errorf("%s finding %d (%s) does not say how vpcsim check reports it", name, f.n, f.title)
			continue
		}
		checks, intents, _ := strings.Cut(marker, "; intent")
		current := ""
		for _, tok := range backtick.FindAllStringSubmatch(checks, -1) {
			if _, ok := reach.CheckByID(reach.CheckID(tok[1])); ok {
				current = tok[1]
				continue
			}
			if current == "" {
				t.Errorf("%s finding %d: subject %s before any check", name, f.n, tok[1])
			}
			f.checks = append(f.checks, [2]string{current, tok[1]})
		}
		for _, tok := range backtick.FindAllStringSubmatch(intents, -1) {
			f.intents = append(f.intents, tok[1])
		}
		out = append(out, f)
	}
	return out
}

// checkExample runs every built-in check on an example's state.
func checkExample(t *testing.T, name string) (*reach.Engine, *reach.CheckResult) {
	t.Helper()
	in, err := hcl.Load(name + "/terraform.tfstate")
	if err != nil {
		t.Fatal(err)
	}
	e, err := reach.New(in.Network)
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Check(reach.CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return e, res
}

// subjectIs reports whether a defect is about the element the README names:
// its subject, or the rule or route at fault.
func subjectIs(d *reach.Defect, s string) bool {
	return d.Subject.Label() == s || d.Rule != nil && d.Rule.Address == s
}

// TestReadmeFindingsAreReported runs `vpcsim check`'s built-in checks and the
// example's intent file on each example and checks that every finding its
// README lists is reported as the README says — and that nothing else is
// (at low severity or above): no false findings on the flows the examples
// intend.
func TestReadmeFindingsAreReported(t *testing.T) {
	for _, ex := range examples.All() {
		t.Run(ex.Name, func(t *testing.T) {
			findings := readmeFindings(t, ex.Name)
			if len(findings) == 0 {
				t.Fatal("no findings read")
			}
			e, res := checkExample(t, ex.Name)
			f, ds := intent.ParseFile(ex.Name + "/intent.hcl")
			if f == nil {
				t.Fatal(ds)
			}
			results, ds := intent.Evaluate(e, f, intent.Options{})
			if ds.HasErrors() {
				t.Fatal(ds)
			}
			claimed := make([]bool, len(res.Defects))
			for _, rf := range findings {
				if len(rf.checks) == 0 {
					t.Errorf("finding %d (%s) names no check", rf.n, rf.title)
				}
				for _, c := range rf.checks {
					found := false
					for i := range res.Defects {
						d := &res.Defects[i]
						if string(d.Check) == c[0] && subjectIs(d, c[1]) {
							found, claimed[i] = true, true
						}
					}
					if !found {
						t.Errorf("finding %d (%s): no %s finding on %s", rf.n, rf.title, c[0], c[1])
					}
				}
				for _, name := range rf.intents {
					ok := false
					for _, r := range results {
						if r.Expectation.Name == name {
							ok = true
							if r.Holds() {
								t.Errorf("finding %d (%s): expectation %s holds", rf.n, rf.title, name)
							}
						}
					}
					if !ok {
						t.Errorf("finding %d names expectation %s, which %s/intent.hcl does not have", rf.n, name, ex.Name)
					}
				}
			}
			for i := range res.Defects {
				d := &res.Defects[i]
				if sev, _ := report.RateDefect(d); sev >= report.SeverityLow && !claimed[i] {
					t.Errorf("%s finding %s on %s is in no README finding: %s", sev, d.Check, d.Subject.Label(), d.Message)
				}
			}
			// Every expectation that fails is one of the README's findings.
			named := map[string]bool{}
			for _, rf := range findings {
				for _, n := range rf.intents {
					named[n] = true
				}
			}
			for _, r := range results {
				if !r.Holds() && !named[r.Expectation.Name] {
					t.Errorf("expectation %s fails but no README finding says so", r.Expectation.Name)
				}
			}
		})
	}
}

// TestWitnessesAgreeWithReadmeFlows checks every finding's witness against
// the README's flows: a finding whose witness does not get through must not
// be about a flow the README says is reachable, and the other way round.
func TestWitnessesAgreeWithReadmeFlows(t *testing.T) {
	for _, ex := range examples.All() {
		t.Run(ex.Name, func(t *testing.T) {
			_, res := checkExample(t, ex.Name)
			for _, d := range res.Defects {
				w := d.Witness
				if w == nil || w.Trace == nil {
					continue
				}
				for _, fl := range readmeFlows[ex.Name] {
					if fl.from != w.Header.Src.String() || fl.to != w.Header.Dst.String() || fl.port != w.Header.DstPort || fl.proto != protoName(w.Header.Proto) {
						continue
					}
					if fl.want && !fl.partial && !w.Trace.Verdict.Passes() {
						t.Errorf("%s on %s: its witness %v fails, but README flow %d is reachable", d.Check, d.Subject.Label(), w.Header, fl.n)
					}
					if !fl.want && w.Trace.Verdict.Passes() {
						t.Errorf("%s on %s: its witness %v passes, but README flow %d is blocked", d.Check, d.Subject.Label(), w.Header, fl.n)
					}
				}
			}
		})
	}
}

func protoName(p uint8) string {
	switch p {
	case 6:
		return "tcp"
	case 17:
		return "udp"
	}
	return "other"
}

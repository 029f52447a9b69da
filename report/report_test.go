package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// render writes r in every format.
func render(t *testing.T, r *Report) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range Formats {
		var b bytes.Buffer
		if err := WriteReport(&b, r, f); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		out[f] = b.String()
	}
	return out
}

// findingKey identifies a finding across formats.
type findingKey struct {
	target, protocol string
	from, to         int
}

// reportCases are the reports the property tests check: the sample, the
// sample seen from inside, and random estates.
func reportCases(t *testing.T) map[string]*reach.Analysis {
	cases := map[string]*reach.Analysis{}
	e := sample(t)
	for _, from := range []string{"", "aws_subnet.private", "203.0.113.0/24"} {
		a, err := e.Analyze(reach.AnalyzeOptions{From: from})
		if err != nil {
			t.Fatal(err)
		}
		cases["sample from "+a.Source] = a
	}
	rnd := rand.New(rand.NewPCG(5, 25))
	for i := range 24 {
		_, a := reportOf(t, randomNetwork(rnd))
		cases[fmt.Sprintf("random %d", i)] = a
	}
	return cases
}

// TestEveryFindingInEveryFormat checks that each finding of the analysis
// appears in each rendering, once, with its rating, and nothing else does.
func TestEveryFindingInEveryFormat(t *testing.T) {
	total := 0
	for name, a := range reportCases(t) {
		t.Run(name, func(t *testing.T) {
			r := NewReport(a, nil, "")
			out := render(t, r)
			var want []findingKey
			for _, x := range a.Exposures {
				for _, f := range x.Findings() {
					want = append(want, findingKey{f.Target.Label(), f.Protocols.String(), int(f.Ports.First), int(f.Ports.Last)})
				}
			}
			total += len(want)
			if len(r.Findings) != len(want) || r.Summary.Total != len(want) {
				t.Fatalf("the report has %d findings (summary %d), the analysis %d", len(r.Findings), r.Summary.Total, len(want))
			}

			// JSON: the same findings, field for field.
			var j struct {
				Findings []struct {
					Target   string `json:"target"`
					Protocol string `json:"protocol"`
					FromPort int    `json:"from_port"`
					ToPort   int    `json:"to_port"`
					Severity string `json:"severity"`
				} `json:"findings"`
			}
			if err := json.Unmarshal([]byte(out["json"]), &j); err != nil {
				t.Fatal(err)
			}
			var got []findingKey
			for _, f := range j.Findings {
				got = append(got, findingKey{f.Target, f.Protocol, f.FromPort, f.ToPort})
			}
			sameKeys(t, "json", got, want)

			// SARIF: one result per finding, in order.
			var s struct {
				Runs []struct {
					Results []struct {
						Properties struct {
							Target   string `json:"target"`
							Protocol string `json:"protocol"`
							FromPort int    `json:"from_port"`
							ToPort   int    `json:"to_port"`
						} `json:"properties"`
					} `json:"results"`
				} `json:"runs"`
			}
			if err := json.Unmarshal([]byte(out["sarif"]), &s); err != nil {
				t.Fatal(err)
			}
			got = nil
			for _, res := range s.Runs[0].Results {
				p := res.Properties
				got = append(got, findingKey{p.Target, p.Protocol, p.FromPort, p.ToPort})
			}
			sameKeys(t, "sarif", got, want)

			// HTML: one row per finding, carrying its key in data attributes.
			rows := strings.Count(out["html"], `<tr class="finding `)
			if rows != len(want) {
				t.Errorf("html: %d rows, want %d", rows, len(want))
			}
			for _, f := range r.Findings {
				attrs := fmt.Sprintf(`data-severity="%s" data-target="%s" data-protocol="%s" data-from-port="%d" data-to-port="%d"`,
					f.Severity, f.Target, f.Protocol, f.FromPort, f.ToPort)
				if strings.Count(out["html"], attrs) != 1 {
					t.Errorf("html: no single row with %s", attrs)
				}
				// Text and Markdown: the service line under its target.
				if !strings.Contains(out["text"], fmt.Sprintf("  %-8s  %s", f.Severity, f.ServiceText())) {
					t.Errorf("text: no line for %s %s", f.Target, f.ServiceText())
				}
				md := fmt.Sprintf("| **%s** | %s", f.Severity, mdCode(f.Target))
				if !strings.Contains(out["markdown"], md) || !strings.Contains(out["markdown"], mdText(f.ServiceText())) {
					t.Errorf("markdown: no row for %s %s", f.Target, f.ServiceText())
				}
			}
			headers := 2
			if len(want) == 0 {
				headers = 1 // no findings table
			}
			if rows := strings.Count(out["markdown"], "\n| "); rows != len(want)+len(Severities)+headers {
				t.Errorf("markdown: %d table rows, want %d findings + %d severities + %d headers", rows, len(want), len(Severities), headers)
			}
		})
	}
	if total < 60 {
		t.Errorf("only %d findings in all: the cases must exercise the renderers", total)
	}
}

func sameKeys(t *testing.T, format string, got, want []findingKey) {
	t.Helper()
	cmpKey := func(a, b findingKey) int {
		return strings.Compare(fmt.Sprint(a), fmt.Sprint(b))
	}
	g, w := slices.Clone(got), slices.Clone(want)
	slices.SortFunc(g, cmpKey)
	slices.SortFunc(w, cmpKey)
	if !slices.Equal(g, w) {
		t.Errorf("%s findings differ:\n got  %v\n want %v", format, g, w)
	}
}

// TestReportJSONRoundTrip checks that the JSON decodes into Report and
// encodes back to the same bytes: every field is in the contract both ways.
func TestReportJSONRoundTrip(t *testing.T) {
	for name, a := range reportCases(t) {
		r := NewReport(a, nil, "in")
		var first bytes.Buffer
		if err := WriteReport(&first, r, "json"); err != nil {
			t.Fatal(err)
		}
		var back Report
		dec := json.NewDecoder(bytes.NewReader(first.Bytes()))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&back); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		var second bytes.Buffer
		if err := WriteReport(&second, &back, "json"); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first.Bytes(), second.Bytes()) {
			t.Errorf("%s: the JSON does not round-trip:\n%s", name, firstDiff(first.Bytes(), second.Bytes()))
		}
	}
}

// TestReportOrderAndSummary checks the documented order and that the
// summary counts what is there.
func TestReportOrderAndSummary(t *testing.T) {
	for name, a := range reportCases(t) {
		r := NewReport(a, nil, "")
		if !slices.IsSortedFunc(r.Findings, compareFindings) {
			t.Errorf("%s: findings out of order", name)
		}
		n := 0
		for _, s := range Severities {
			n += r.Summary.Count(s)
		}
		if n != r.Summary.Total {
			t.Errorf("%s: severities add up to %d, total %d", name, n, r.Summary.Total)
		}
		for _, f := range r.Findings {
			if f.Severity < SeverityInfo || f.Severity > SeverityCritical || f.SeverityReason == "" || f.Kind == "" {
				t.Errorf("%s: %s %s is not rated: %+v", name, f.Target, f.ServiceText(), f)
			}
			if f.Partial != (f.ReturnPorts != "") && len(f.Notes) == 0 {
				t.Errorf("%s: %s %s: partial=%v with return ports %q", name, f.Target, f.ServiceText(), f.Partial, f.ReturnPorts)
			}
		}
		// Rendering twice gives the same bytes: no map order, no clock.
		if a, b := render(t, r), render(t, r); !mapsEqual(a, b) {
			t.Errorf("%s: two renderings differ", name)
		}
	}
}

func mapsEqual(a, b map[string]string) bool {
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return len(a) == len(b)
}

// TestSARIFLevelsMatchSeverities checks the mapping of docs/report.md.
func TestSARIFLevelsMatchSeverities(t *testing.T) {
	want := map[Severity]string{SeverityCritical: "error", SeverityHigh: "error", SeverityMedium: "warning", SeverityLow: "note", SeverityInfo: "note"}
	seen := map[Severity]bool{}
	for name, a := range reportCases(t) {
		r := NewReport(a, nil, "")
		var b bytes.Buffer
		if err := WriteReport(&b, r, "sarif"); err != nil {
			t.Fatal(err)
		}
		var s struct {
			Runs []struct {
				Tool struct {
					Driver struct {
						Rules []struct {
							ID string `json:"id"`
						} `json:"rules"`
					} `json:"driver"`
				} `json:"tool"`
				Results []struct {
					RuleID    string `json:"ruleId"`
					RuleIndex int    `json:"ruleIndex"`
					Level     string `json:"level"`
				} `json:"results"`
			} `json:"runs"`
		}
		if err := json.Unmarshal(b.Bytes(), &s); err != nil {
			t.Fatal(err)
		}
		run := s.Runs[0]
		for i, res := range run.Results {
			f := r.Findings[i]
			seen[f.Severity] = true
			if res.Level != want[f.Severity] {
				t.Errorf("%s: %s %s is %s, level %s, want %s", name, f.Target, f.ServiceText(), f.Severity, res.Level, want[f.Severity])
			}
			if res.RuleID != f.Kind || run.Tool.Driver.Rules[res.RuleIndex].ID != f.Kind {
				t.Errorf("%s: result %d has rule %s (index %d), want %s", name, i, res.RuleID, res.RuleIndex, f.Kind)
			}
		}
	}
	if len(seen) != len(want) {
		t.Errorf("the cases rate findings %v only: every severity must be checked", seen)
	}
}

// TestMatrixCSVParses checks that the CSV reads back as the matrix's
// non-empty cells, whatever the group names hold.
var (
	tcp22 = reach.Service{Protocols: reach.ProtocolsOf(model.ProtocolTCP), Ports: model.Port(22)}
	udp53 = reach.Service{Protocols: reach.ProtocolsOf(model.ProtocolUDP), Ports: model.Port(53)}
)

func TestMatrixCSVParses(t *testing.T) {
	e := sample(t)
	m, err := e.Matrix(reach.MatrixOptions{By: reach.BySubnet, Internet: true})
	if err != nil {
		t.Fatal(err)
	}
	// Names with the characters CSV must quote.
	m.Cells = append(m.Cells, reach.Cell{From: `tag:Tier="a, b"`, To: "line\nbreak", Services: []reach.Service{tcp22, udp53}, Partial: true,
		Caveats: []string{"tgw-1 is not in the input (named by x)", "y, z"}},
		reach.Cell{From: "x", To: "y"})
	var b bytes.Buffer
	if err := WriteMatrix(&b, m, "csv"); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatalf("the CSV does not parse: %v", err)
	}
	if !slices.Equal(recs[0], []string{"from", "to", "services", "partial", "caveats"}) {
		t.Errorf("header %v", recs[0])
	}
	var want [][]string
	for _, c := range m.Cells {
		if len(c.Services) > 0 {
			want = append(want, []string{c.From, c.To, serviceText(c.Services, "; "), fmt.Sprint(c.Partial), strings.Join(c.Caveats, "; ")})
		}
	}
	if !slices.EqualFunc(recs[1:], want, slices.Equal) {
		t.Errorf("records\n%q\nwant\n%q", recs[1:], want)
	}
}

func TestMatrixText(t *testing.T) {
	m := &reach.Matrix{By: reach.BySubnet, Groups: []string{"a", "bb"}, Rows: []string{"internet", "a", "bb"},
		Cells: []reach.Cell{
			{From: "internet", To: "bb", Services: []reach.Service{{Protocols: reach.ProtocolsOf(model.ProtocolTCP), Ports: model.Port(443)}}},
			{From: "a", To: "bb", Services: []reach.Service{tcp22, udp53}, Partial: true},
			{From: "bb", To: "a", Services: nil},
		}}
	var b bytes.Buffer
	if err := WriteMatrix(&b, m, "text"); err != nil {
		t.Fatal(err)
	}
	want := `from \ to (by subnet)  a  bb
internet               -  tcp 443
a                      -  tcp 22, udp 53 *
bb                     -  -

* passes for part of the client's ephemeral ports only
`
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestFormatErrors(t *testing.T) {
	r := sampleReport(t)
	var b bytes.Buffer
	if err := WriteReport(&b, r, "pdf"); err == nil || !strings.Contains(err.Error(), "text, json, markdown, html, sarif") {
		t.Errorf("WriteReport pdf: %v, want an error listing the formats", err)
	}
	if err := WriteMatrix(&b, &reach.Matrix{}, "xlsx"); err == nil || !strings.Contains(err.Error(), "text, json, csv") {
		t.Errorf("WriteMatrix xlsx: %v", err)
	}
	if err := WriteGraph(&b, &reach.Topology{}, nil, "png"); err == nil || !strings.Contains(err.Error(), "dot, mermaid") {
		t.Errorf("WriteGraph png: %v", err)
	}
	if err := WriteGraph(&b, nil, nil, "dot"); err == nil {
		t.Error("WriteGraph without a topology succeeds")
	}
	if err := WriteReport(&b, nil, "text"); err == nil {
		t.Error("WriteReport without a report succeeds")
	}
	if err := WriteMatrix(&b, nil, "text"); err == nil {
		t.Error("WriteMatrix without a matrix succeeds")
	}
	if r := NewReport(nil, nil, ""); r.Findings == nil || r.Summary.Total != 0 {
		t.Errorf("NewReport(nil) = %+v", r)
	}
}

// TestEmptyReport checks that a network nothing reaches still gives valid,
// explicit output in every format.
func TestEmptyReport(t *testing.T) {
	r := NewReport(&reach.Analysis{Source: "internet", Exposures: []*reach.Exposure{}, Notes: []reach.Explanation{}}, nil, "")
	out := render(t, r)
	if !strings.Contains(out["text"], "Nothing is reachable from the internet.") {
		t.Errorf("text:\n%s", out["text"])
	}
	if !strings.Contains(out["json"], `"findings": []`) || !strings.Contains(out["json"], `"notes": []`) {
		t.Errorf("json must list empty findings and notes, not null:\n%s", out["json"])
	}
	if !strings.Contains(out["sarif"], `"results": []`) {
		t.Errorf("sarif must hold an empty results array:\n%s", out["sarif"])
	}
	if !strings.Contains(out["html"], `<table id="findings">`) || strings.Contains(out["html"], "<svg") {
		t.Errorf("html: want the (empty) findings table and no diagram without a topology")
	}
	if r.Worst() != 0 {
		t.Errorf("Worst of nothing = %v", r.Worst())
	}
}

func TestAtLeast(t *testing.T) {
	r := sampleReport(t)
	h := r.AtLeast(SeverityHigh)
	if h.Summary.Total != r.Summary.Critical+r.Summary.High || h.Summary.Medium != 0 || len(r.Findings) != r.Summary.Total {
		t.Errorf("AtLeast(high) kept %d findings (summary %+v) of %+v", len(h.Findings), h.Summary, r.Summary)
	}
	if r.Worst() != SeverityCritical {
		t.Errorf("the sample's worst finding is %v, want critical", r.Worst())
	}
}

// TestNotesSaidOnce: the same note, however often the analysis gives it,
// is in the report once.
func TestNotesSaidOnce(t *testing.T) {
	x := reach.Explanation{Code: reach.CodePrefixListUnknown, Severity: reach.SeverityWarning, Message: "rule r references prefix list pl-1 whose entries are unknown"}
	y := x
	y.Message = "rule s references prefix list pl-2 whose entries are unknown"
	r := NewReport(&reach.Analysis{Notes: []reach.Explanation{x, x, y, x, y}}, nil, "")
	if len(r.Notes) != 2 || r.Notes[0].Message != x.Message || r.Notes[1].Message != y.Message {
		t.Errorf("notes %+v", r.Notes)
	}
}

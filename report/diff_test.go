package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// sampleDiff compares the sample estate with a change of it: SSH opened to
// the world on the web server, the debug instance's group closed, the app
// subnet moved to the public route table.
func sampleDiff(t *testing.T) *DiffReport {
	t.Helper()
	before := sample(t)
	n := sampleNetwork()
	for _, sg := range n.SecurityGroups {
		switch sg.ID {
		case "sg-0web":
			sg.Ingress = append(sg.Ingress, sgRule(170, model.Ingress, model.ProtocolTCP, model.Port(22), cidrPeer("0.0.0.0/0")))
		case "sg-0debug":
			sg.Ingress = nil
		}
	}
	n.Synthesize()
	after, err := reach.New(n)
	if err != nil {
		t.Fatal(err)
	}
	d, err := reach.Compare(before, after, reach.CompareOptions{Internal: true})
	if err != nil {
		t.Fatal(err)
	}
	return NewDiffReport(d, "plan-check", "before", "after").Judge(GateOptions{FailOn: SeverityHigh})
}

// The comparison's SARIF follows the schema, and every result carries its
// baselineState; what fails the gate is an error at its cause's line.
func TestDiffSARIF(t *testing.T) {
	r := sampleDiff(t)
	var b bytes.Buffer
	if err := WriteDiff(&b, r, "sarif"); err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatal(err)
	}
	for _, e := range checkSARIF("$", "log", v) {
		t.Error(e)
	}
	var log struct {
		Runs []struct {
			Tool    struct{ Driver struct{ Version string } }
			Results []struct {
				Level         string
				BaselineState string
				Locations     []struct {
					PhysicalLocation *struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine int }
					}
				}
				Properties map[string]any
			}
		}
	}
	if err := json.Unmarshal(b.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if log.Runs[0].Tool.Driver.Version == "" {
		t.Error("tool.driver.version is empty")
	}
	states := map[string]int{}
	failing := 0
	for _, res := range log.Runs[0].Results {
		states[res.BaselineState]++
		if !strings.Contains("new updated unchanged absent", res.BaselineState) || res.BaselineState == "" {
			t.Errorf("baselineState %q", res.BaselineState)
		}
		if res.Properties["fails"] == true {
			failing++
			if res.Level != "error" {
				t.Errorf("a failing result has level %s", res.Level)
			}
			if p := res.Locations[0].PhysicalLocation; p == nil || p.ArtifactLocation.URI != "main.tf" || p.Region.StartLine != 170 {
				t.Errorf("the failing result points at %+v, want main.tf:170 (the added rule)", p)
			}
		}
	}
	if failing == 0 || states["new"] == 0 || states["absent"] == 0 || states["unchanged"] == 0 {
		t.Errorf("states %v, %d failing: the sample change opens, closes and leaves exposures", states, failing)
	}
}

// The pull request comment stays under GitHub's limit however many
// findings there are, leads with the verdict, and says how many rows it
// left out.
func TestDiffMarkdownLimit(t *testing.T) {
	r := sampleDiff(t)
	one := r.Findings[0]
	r.Findings = nil
	for i := range 5000 {
		f := one
		f.Target = fmt.Sprintf("module.app[%d].aws_instance.web", i)
		r.Findings = append(r.Findings, f)
	}
	var b bytes.Buffer
	if err := writeDiffMarkdown(&b, r, maxComment); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if n := utf8.RuneCountInString(out); n > 65536 || len(out) > maxComment {
		t.Errorf("the comment is %d characters (%d bytes)", n, len(out))
	}
	if !strings.HasPrefix(out, "## vpcsim plan pre-check: ❌ FAIL") {
		t.Errorf("the comment does not start with the verdict: %.80q", out)
	}
	if !strings.Contains(out, "more not shown") {
		t.Error("the comment does not say how many findings it left out")
	}
	// A small comparison is written whole.
	b.Reset()
	if err := writeDiffMarkdown(&b, sampleDiff(t), maxComment); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "not shown") {
		t.Error("a small comparison is truncated")
	}
}

// Workflow commands escape what would end or split them.
func TestWorkflowCommand(t *testing.T) {
	got := workflowCommand("error", &Location{File: "a,b:c.tf", Line: 3}, "t: x", "50% done\nnext")
	want := "::error file=a%2Cb%3Ac.tf,line=3,title=t%3A x::50%25 done%0Anext"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if got := workflowCommand("notice", nil, "", "m"); got != "::notice::m" {
		t.Errorf("got %s", got)
	}
}

// Every finding of the comparison is in each format, and the verdict too.
func TestDiffFormats(t *testing.T) {
	r := sampleDiff(t)
	for _, format := range DiffFormats {
		var b bytes.Buffer
		if err := WriteDiff(&b, r, format); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		for _, f := range r.Findings {
			if !f.Exposure() || format == "github" && !f.Fails && f.Status == reach.StatusUnchanged {
				continue
			}
			if format != "github" && format != "markdown" && !strings.Contains(out, f.Fingerprint) {
				t.Errorf("%s: %s %s %s missing", format, f.Target, f.ServiceText(), f.Status)
			}
		}
		if format != "json" && format != "sarif" && !strings.Contains(out, "FAIL") {
			t.Errorf("%s: no verdict", format)
		}
	}
	if err := WriteDiff(&bytes.Buffer{}, r, "html"); err == nil {
		t.Error("html is not a comparison format, yet it was accepted")
	}
}

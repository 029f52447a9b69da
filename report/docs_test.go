package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/reach"
)

// TestDocsCoverContract keeps docs/report.md in step with the code: every
// JSON field of the report is documented, and the high-risk port table
// lists exactly the ports the policy uses.
func TestDocsCoverContract(t *testing.T) {
	b, err := os.ReadFile("../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for field, name := range jsonFields(Report{}, Summary{}, SeverityCounts{}, Note{}, Finding{}, Step{}, Rule{}) {
		if !strings.Contains(doc, "`"+name+"`") {
			t.Errorf("docs/report.md does not document %s (`%s`)", field, name)
		}
	}
	rows := map[string]bool{}
	for _, s := range sensitivePorts {
		proto := s.proto
		if proto == "" {
			proto = "tcp, udp"
		}
		row := "| " + itoa(s.port) + " | " + proto + " | " + s.name + " |"
		rows[row] = true
		if !strings.Contains(doc, row) {
			t.Errorf("docs/report.md lacks the row %s", row)
		}
	}
	for _, line := range strings.Split(doc, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "|" && strings.Trim(f[1], "0123456789") == "" && !rows[line] {
			t.Errorf("docs/report.md lists a high-risk port the policy does not: %s", line)
		}
	}
	for _, ri := range sarifRules {
		if !strings.Contains(doc, "`"+ri.kind+"`") {
			t.Errorf("docs/report.md does not name the kind %s", ri.kind)
		}
	}
}

// jsonFields are the JSON names of the fields of the types of vs, each
// with the type and field it comes from.
func jsonFields(vs ...any) map[string]string {
	out := map[string]string{}
	for _, v := range vs {
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			name, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" || !ty.Field(i).IsExported() {
				continue
			}
			out[ty.Name()+"."+ty.Field(i).Name] = name
		}
	}
	return out
}

// jsonKeys collects every object key of a JSON document, each with the path
// of the objects and arrays above it ("findings[].causes[]").
func jsonKeys(t *testing.T, file string) map[string]map[string]bool {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	keys := map[string]map[string]bool{}
	var walk func(v any, path string)
	walk = func(v any, path string) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if keys[path] == nil {
					keys[path] = map[string]bool{}
				}
				keys[path][k] = true
				walk(x, strings.TrimPrefix(path+"."+k, "."))
			}
		case []any:
			for _, x := range v {
				walk(x, path+"[]")
			}
		}
	}
	walk(v, "")
	return keys
}

// docSection is the text of a Markdown file from the heading title to the
// next heading of the same level.
func docSection(t *testing.T, file, title string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i := strings.Index(doc, "\n"+title+"\n")
	if i < 0 {
		t.Fatalf("%s has no heading %q", file, title)
	}
	level := title[:strings.IndexByte(title, ' ')+1]
	rest := doc[i+len(title)+2:]
	if j := strings.Index(rest, "\n"+level); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestDocsCoverComparison keeps report.md's section on the JSON of diff and
// plan-check in step with the encoder: every field of its types, every key
// the plan pre-check cases' JSON goldens hold (those of the report's own
// objects — path steps, rules, notes — may be documented with the report,
// an intent violation's with check's JSON, its witness's trace with
// trace's JSON in cli.md), and every value of its enumerations.
func TestDocsCoverComparison(t *testing.T) {
	section := docSection(t, "../docs/report.md", "## Comparisons: diff and plan-check")
	whole, err := os.ReadFile("../docs/report.md")
	if err != nil {
		t.Fatal(err)
	}
	checks, err := os.ReadFile("../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	cli, err := os.ReadFile("../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	quoted := func(doc, s string) bool { return strings.Contains(doc, "`"+s+"`") }
	for field, name := range jsonFields(DiffReport{}, DiffScope{}, DiffSummary{}, DiffFinding{}, Cause{}, NetworkChange{}, Suppression{}, Gate{}, IntentChange{}) {
		if !quoted(section, name) {
			t.Errorf("docs/report.md's comparison section does not document %s (`%s`)", field, name)
		}
	}
	var enums []string
	for s := reach.StatusNew; s <= reach.StatusUnchanged; s++ {
		enums = append(enums, s.String(), baselineStates[s])
	}
	for k := reach.ChangeAdded; k <= reach.ChangeGroups; k++ {
		enums = append(enums, k.String())
	}
	enums = append(enums, "internet", "on-premises", reach.SourceEstate, reach.SourceEgress, KindFlowEgress,
		"new", "changed", "unchanged", "resolved", "any-change", "none", "inline", "baseline")
	for _, e := range enums {
		if !quoted(section, e) {
			t.Errorf("docs/report.md's comparison section does not name the value `%s`", e)
		}
	}

	goldens, err := filepath.Glob("../cmd/vpcsim/testdata/plancheck/*/*.json")
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no plan pre-check JSON goldens: %v", err)
	}
	delegated := func(path string) bool {
		for _, p := range []string{"path[]", "opened_by", "notes[]", "intents[]"} {
			if strings.Contains(path, p) {
				return true
			}
		}
		return false
	}
	missing := map[string]bool{}
	for _, g := range goldens {
		for path, ks := range jsonKeys(t, g) {
			for k := range ks {
				ok := quoted(section, k)
				switch {
				case ok:
				case strings.Contains(path, "witness.trace"):
					ok = quoted(string(cli), k) // the trace, as vpcsim trace writes it
				case delegated(path):
					ok = quoted(string(whole), k) || strings.Contains(path, "intents[]") && quoted(string(checks), k)
				}
				if !ok && !missing[path+"."+k] {
					missing[path+"."+k] = true
					t.Errorf("%s: the key %s.%s is not documented", g, path, k)
				}
			}
		}
	}
}

// TestDocsCoverCheck keeps checks.md's JSON section in step with the
// encoder: every field of check's types and every key of check's JSON
// goldens is documented there (a rule as in report.md, the witness's trace
// as in cli.md).
func TestDocsCoverCheck(t *testing.T) {
	section := docSection(t, "../docs/checks.md", "### JSON (`--format json`)")
	quoted := func(s string) bool {
		return strings.Contains(section, "`"+s+"`") || strings.Contains(section, "`"+s+"[]`")
	}
	for field, name := range jsonFields(CheckReport{}, CheckSummary{}, CheckRule{}, CheckFinding{}, Element{}, Location{}, Witness{}, Packet{}, IntentRef{}, IntentOutcome{}) {
		if !quoted(name) {
			t.Errorf("docs/checks.md's JSON section does not document %s (`%s`)", field, name)
		}
	}
	goldens, err := filepath.Glob("../cmd/vpcsim/testdata/check/*.json")
	if err != nil || len(goldens) == 0 {
		t.Fatalf("no check JSON goldens: %v", err)
	}
	for _, g := range goldens {
		for path, ks := range jsonKeys(t, g) {
			if strings.Contains(path, "trace") || strings.HasSuffix(path, "rule") {
				continue // the trace's JSON is cli.md's, a rule's report.md's
			}
			for k := range ks {
				if !quoted(k) {
					t.Errorf("%s: the key %s.%s is not documented in docs/checks.md", g, path, k)
				}
			}
		}
	}
}

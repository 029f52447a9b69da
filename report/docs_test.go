package report

import (
	"os"
	"reflect"
	"strings"
	"testing"
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
	for _, v := range []any{Report{}, Summary{}, SeverityCounts{}, Note{}, Finding{}, Step{}, Rule{}} {
		ty := reflect.TypeOf(v)
		for i := range ty.NumField() {
			name, _, _ := strings.Cut(ty.Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if !strings.Contains(doc, "`"+name+"`") {
				t.Errorf("docs/report.md does not document %s.%s (`%s`)", ty.Name(), ty.Field(i).Name, name)
			}
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

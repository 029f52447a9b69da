package reach

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files and generated docs")

// explanationCodesDoc renders docs/explanation-codes.md from Codes.
func explanationCodesDoc() []byte {
	var b bytes.Buffer
	b.WriteString("# Explanation codes\n\n")
	b.WriteString("Every reason vpcsim gives for a flow that does not pass (or passes only in part) has a stable code.\n")
	b.WriteString("Where AWS Reachability Analyzer has a code for the same cause, vpcsim uses its name (marked AWS), so\n")
	b.WriteString("answers map onto AWS's; the others are vpcsim's own. Each explanation also carries a `direction`:\n")
	b.WriteString("`forward` (the request) or `return` (the reply). Generated from `reach.Codes`: run\n")
	b.WriteString("`go test ./reach -run TestExplanationCodesDoc -update` after changing a code.\n\n")
	b.WriteString("| code | source | meaning |\n|---|---|---|\n")
	for _, c := range Codes {
		src := "vpcsim"
		if c.AWS {
			src = "AWS"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.Code, src, c.Meaning)
	}
	return b.Bytes()
}

func TestExplanationCodesDoc(t *testing.T) {
	const path = "../docs/explanation-codes.md"
	want := explanationCodesDoc()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./reach -run TestExplanationCodesDoc -update", path)
	}
}

// TestEveryCodeDocumented keeps the Code constants and Codes in step.
func TestEveryCodeDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "codes.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[Code]bool{}
	for _, c := range Codes {
		if listed[c.Code] {
			t.Errorf("code %s listed twice", c.Code)
		}
		listed[c.Code] = true
	}
	n := 0
	ast.Inspect(f, func(x ast.Node) bool {
		vs, ok := x.(*ast.ValueSpec)
		if !ok || vs.Type == nil || fmt.Sprint(vs.Type) != "Code" {
			return true
		}
		for _, v := range vs.Values {
			lit := strings.Trim(v.(*ast.BasicLit).Value, `"`)
			n++
			if !listed[Code(lit)] {
				t.Errorf("code %s is declared but not documented in Codes", lit)
			}
		}
		return true
	})
	if n != len(Codes) {
		t.Errorf("%d codes declared, %d documented", n, len(Codes))
	}
}

// TestScenarioRulesDocumented checks that every rule ID a scenario cites is
// described in docs/semantics.md.
func TestScenarioRulesDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/semantics.md")
	if err != nil {
		t.Fatal(err)
	}
	id := regexp.MustCompile(`doc: "([A-Z]+-[0-9]+) `)
	files := []string{"scenarios_filters_test.go", "scenarios_routing_test.go"}
	seen := 0
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range id.FindAllStringSubmatch(string(src), -1) {
			seen++
			if !bytes.Contains(doc, []byte("**"+m[1]+"**")) {
				t.Errorf("%s cites %s, which docs/semantics.md does not describe", name, m[1])
			}
		}
	}
	if seen < 60 {
		t.Errorf("only %d scenarios cite a rule; every scenario must", seen)
	}
}

// TestSemanticsSectionsNameFiles keeps docs/semantics.md and the code in
// step: every section names, on the line after its title, the file of
// reach that decides it, and that file exists; and every element file (one
// that tells walks how to cross a kind of node) is the file of some section.
// A newcomer finds the code deciding any behaviour the page describes in one
// step.
func TestSemanticsSectionsNameFiles(t *testing.T) {
	doc, err := os.ReadFile("../docs/semantics.md")
	if err != nil {
		t.Fatal(err)
	}
	fileRef := regexp.MustCompile("\\[`reach/([a-z]+\\.go)`\\]\\(\\.\\./reach/([a-z]+\\.go)\\)")
	named := map[string]bool{}
	sections := strings.Split(string(doc), "\n## ")[1:]
	if len(sections) < 15 {
		t.Fatalf("docs/semantics.md has %d sections; want one per element", len(sections))
	}
	for _, sec := range sections {
		title, body, _ := strings.Cut(sec, "\n")
		first, _, _ := strings.Cut(strings.TrimLeft(body, "\n"), "\n\n")
		refs := fileRef.FindAllStringSubmatch(first, -1)
		if len(refs) == 0 {
			t.Errorf("section %q does not name the reach file that decides it on its first line", title)
		}
		for i, m := range refs {
			if m[1] != m[2] {
				t.Errorf("section %q: link text reach/%s points at %s", title, m[1], m[2])
			}
			if _, err := os.Stat(m[1]); err != nil {
				t.Errorf("section %q names reach/%s, which does not exist", title, m[1])
			}
			if i == 0 {
				named[m[1]] = true
			}
		}
	}
	// docs/architecture.md's table lists the same sections and files.
	arch, err := os.ReadFile("../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| ([^|]+) \\| \\[`reach/([a-z]+\\.go)`\\]")
	listed := map[string]string{}
	for _, m := range row.FindAllStringSubmatch(string(arch), -1) {
		listed[m[1]] = m[2]
	}
	for _, sec := range sections {
		title, body, _ := strings.Cut(sec, "\n")
		first, _, _ := strings.Cut(strings.TrimLeft(body, "\n"), "\n\n")
		refs := fileRef.FindAllStringSubmatch(first, -1)
		if len(refs) > 0 && listed[title] != refs[0][1] {
			t.Errorf("docs/architecture.md lists section %q with %q; semantics.md names %s", title, listed[title], refs[0][1])
		}
		delete(listed, title)
	}
	for title := range listed {
		t.Errorf("docs/architecture.md lists section %q, which semantics.md does not have", title)
	}
	// The element files: those implementing element.cross.
	cross := regexp.MustCompile(`(?m)^func \(\w+Element\) cross\(`)
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if cross.Match(src) && !named[f] {
			t.Errorf("%s crosses an element but no section of docs/semantics.md names it as its file", f)
		}
	}
}

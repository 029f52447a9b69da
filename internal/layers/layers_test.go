package layers

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/vpcsim/vpcsim"

// rule says what a package (and the packages under it) may depend on,
// directly or not: which of vpcsim's packages (by prefix, relative to the
// module), and whether anything beyond the standard library.
type rule struct {
	pkg    string
	uses   []string
	stdlib bool // only the standard library outside vpcsim
}

// rules are the layers, from the bottom: model is the vocabulary everyone
// shares; reach/hset the header-set algebra; reach the data plane; intent
// reads intent files and evaluates them with reach; report renders reach's
// and intent's answers (and the flow-log verification's); hcl (all its
// packages) loads inputs into the model; packet walks packets on reach's
// decisions; cmd wires them. The most specific rule applies.
var rules = []rule{
	{pkg: "model", stdlib: true},
	{pkg: "reach/hset", stdlib: true},
	{pkg: "reach", uses: []string{"model", "reach", "reach/"}},
	{pkg: "intent", uses: []string{"model", "reach", "reach/", "internal/nesting"}},
	{pkg: "report", uses: []string{"model", "reach", "reach/hset", "intent", "internal/nesting", "internal/atomicfile", "packet/flowlog", "packet/flowlog/verify"}},
	// suppress decides which findings of a comparison are accepted: it
	// reads baselines and .tf comments, and marks report's findings.
	{pkg: "suppress", uses: []string{"model", "reach", "reach/hset", "report", "intent", "packet/flowlog", "packet/flowlog/verify", "internal/atomicfile", "internal/nesting"}},
	{pkg: "packet", uses: []string{"model", "reach", "reach/", "packet", "packet/", "internal/atomicfile"}},
	{pkg: "hcl", uses: []string{"model", "hcl/", "internal/"}},
	// A load goes one way: the readers (tfjson, config, awsapi) and the
	// mapper share only the form of resource instances, and know nothing of
	// each other; hcl calls them.
	{pkg: "hcl/resource", uses: []string{"model"}},
	{pkg: "hcl/tfjson", uses: []string{"model", "hcl/resource"}},
	{pkg: "hcl/config", uses: []string{"model", "hcl/resource", "internal/nesting"}},
	{pkg: "hcl/awsapi", uses: []string{"model", "hcl/resource"}},
	{pkg: "hcl/mapper", uses: []string{"model", "hcl/resource"}},
	{pkg: "internal", uses: []string{"model", "internal/"}},
	// Every file vpcsim writes goes through atomicfile.
	{pkg: "internal/atomicfile", stdlib: true},
	{pkg: "internal/bench"},
	{pkg: "examples", uses: []string{"model", "hcl", "hcl/", "internal/", "examples/"}},
	{pkg: "cmd", uses: []string{""}}, // the command line wires everything
}

func ruleFor(rel string) *rule {
	var best *rule
	for i := range rules {
		r := &rules[i]
		if (rel == r.pkg || strings.HasPrefix(rel, r.pkg+"/")) && (best == nil || len(r.pkg) > len(best.pkg)) {
			best = r
		}
	}
	return best
}

// allowed reports whether a package under r may depend on dep (relative to
// the module).
func (r *rule) allowed(self, dep string) bool {
	if dep == self {
		return true
	}
	for _, u := range r.uses {
		switch {
		case u == "":
			return true
		case strings.HasSuffix(u, "/") && strings.HasPrefix(dep, u):
			return true
		case dep == u:
			return true
		}
	}
	return false
}

// TestImportDirection checks every package of the module against rules,
// with go list's transitive dependencies (tests excluded: a test may use
// any package to build its inputs).
func TestImportDirection(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH")
	}
	// go test caches a test's result by the files it opens; go list reads
	// the sources in another process, so look at them here too.
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			_, err = os.Stat(path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(goTool, "list", "-json", module+"/...")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(out)))
	seen := 0
	for {
		var p struct {
			ImportPath string
			Standard   bool
			Deps       []string
		}
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		rel := strings.TrimPrefix(strings.TrimPrefix(p.ImportPath, module), "/")
		if rel == "internal/layers" {
			continue
		}
		seen++
		r := ruleFor(rel)
		if r == nil {
			t.Errorf("%s is covered by no rule: add its layer to rules and docs/architecture.md", p.ImportPath)
			continue
		}
		for _, dep := range p.Deps {
			if strings.HasPrefix(dep, module+"/") || dep == module {
				d := strings.TrimPrefix(strings.TrimPrefix(dep, module), "/")
				if !r.allowed(rel, d) {
					t.Errorf("%s depends on %s, which its layer (%s) may not", rel, d, r.pkg)
				}
				continue
			}
			if r.stdlib && !isStdlib(dep) {
				t.Errorf("%s depends on %s; it may use only the standard library", rel, dep)
			}
		}
	}
	if seen < 10 {
		t.Errorf("only %d packages listed", seen)
	}
}

// isStdlib reports whether an import path is the standard library's: its
// first element has no dot (vendored golang.org/x packages of the standard
// library live under vendor/).
func isStdlib(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".") || strings.HasPrefix(path, "vendor/")
}

// TestRulesCoverTheLayers keeps the rules honest about the direction the
// design names: model uses nothing of ours, reach never hcl, report never
// hcl.
func TestRulesCoverTheLayers(t *testing.T) {
	for _, c := range []struct {
		pkg, dep string
		ok       bool
	}{
		{"model", "reach", false},
		{"reach", "hcl", false},
		{"reach", "report", false},
		{"reach", "model", true},
		{"reach/reachtest", "reach", true},
		{"report", "hcl", false},
		{"report", "reach", true},
		{"report", "intent", true},
		{"intent", "reach", true},
		{"intent", "hcl", false},
		{"intent", "report", false},
		{"reach", "intent", false},
		{"hcl", "reach", false},
		{"internal/estate", "internal/estate/tfstate", true},
		{"hcl/mapper", "hcl/tfjson", false},
		{"hcl/tfjson", "hcl/mapper", false},
		{"hcl/config", "hcl/mapper", false},
		{"hcl/awsapi", "hcl/mapper", false},
		{"hcl/awsapi", "hcl/tfjson", false},
		{"packet", "hcl", false},
		{"packet/flowlog", "reach", true},
		{"cmd/vpcsim", "hcl", true},
	} {
		r := ruleFor(c.pkg)
		if r == nil || r.allowed(c.pkg, c.dep) != c.ok {
			t.Errorf("%s -> %s allowed = %v, want %v", c.pkg, c.dep, !c.ok, c.ok)
		}
	}
	if !slices.ContainsFunc(rules, func(r rule) bool { return r.pkg == "model" && r.stdlib && len(r.uses) == 0 }) {
		t.Errorf("model must import nothing but the standard library")
	}
}

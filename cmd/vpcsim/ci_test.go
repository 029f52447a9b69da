package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// ciFiles are the workflow files docs/ci.md shows, with where the vpcsim
// commands of each are.
var ciFiles = []struct {
	file     string
	commands func(t *testing.T, doc map[string]any) []string
}{
	{"github-actions.yml", func(t *testing.T, doc map[string]any) []string {
		jobs := doc["jobs"].(map[string]any)
		steps := jobs["plan-check"].(map[string]any)["steps"].([]any)
		var out []string
		for _, s := range steps {
			if run, ok := s.(map[string]any)["run"].(string); ok {
				out = append(out, strings.Split(run, "\n")...)
			}
		}
		if doc["on"] == nil || doc["permissions"] == nil {
			t.Error("the workflow has no trigger or no permissions")
		}
		return out
	}},
	{"gitlab-ci.yml", func(t *testing.T, doc map[string]any) []string {
		var out []string
		for _, job := range []string{"terraform-plan", "vpcsim"} {
			j, ok := doc[job].(map[string]any)
			if !ok {
				t.Fatalf("no job %s", job)
			}
			for _, line := range j["script"].([]any) {
				out = append(out, line.(string))
			}
		}
		return out
	}},
}

// The workflow files of docs/ci.md parse as YAML, are shown in ci.md
// verbatim, and their vpcsim commands run as they are written against a
// plan pre-check case laid out as the workflows expect (the configuration in
// infra/, the base branch's in base/infra/): the gate fails on the plan that
// opens SSH, the SARIF is valid JSON, the comment is Markdown.
func TestCIWorkflows(t *testing.T) {
	doc, err := os.ReadFile("../../docs/ci.md")
	if err != nil {
		t.Fatal(err)
	}
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	for _, cf := range ciFiles {
		t.Run(cf.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(repo, "docs/ci", cf.file))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(doc, data) {
				t.Errorf("docs/ci.md does not show docs/ci/%s as it is", cf.file)
			}
			var v map[string]any
			if err := yaml.Unmarshal(data, &v); err != nil {
				t.Fatalf("%s: %v", cf.file, err)
			}
			work := t.TempDir()
			copyTree(t, filepath.Join(repo, "examples/plancheck/open-ssh-world"), filepath.Join(work, "infra"))
			copyTree(t, filepath.Join(repo, "examples/plancheck/base"), filepath.Join(work, "base/infra"))
			// The workflows run vpcsim at the repository's root.
			t.Chdir(work)
			ran, gated := 0, false
			for _, line := range cf.commands(t, v) {
				line = strings.TrimSpace(line)
				if !strings.HasPrefix(line, "vpcsim ") {
					continue
				}
				args, out := shellWords(t, strings.TrimPrefix(line, "vpcsim "))
				stdout, stderr, code := runCmd("", args...)
				want := 0
				if !strings.Contains(line, "--fail-on none") {
					want, gated = 3, true
				}
				if code != want {
					t.Errorf("%s: exit %d, want %d\n%s", line, code, want, stderr)
				}
				if out != "" {
					if err := os.WriteFile(out, []byte(stdout), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				switch {
				case strings.Contains(line, "--format sarif"):
					var s map[string]any
					if err := json.Unmarshal([]byte(stdout), &s); err != nil || s["version"] != "2.1.0" {
						t.Errorf("%s: not SARIF 2.1.0: %v", line, err)
					}
					// Code scanning resolves a result's path from the
					// repository's root.
					if !strings.Contains(stdout, `"uri": "infra/sg_web.tf"`) {
						t.Errorf("%s: no result at infra/sg_web.tf", line)
					}
				case strings.Contains(line, "--format markdown"):
					if !strings.HasPrefix(stdout, "## vpcsim plan pre-check") {
						t.Errorf("%s: not the comment: %.60q", line, stdout)
					}
				case strings.Contains(line, "--format github"):
					if !strings.Contains(stdout, "::error file=infra/sg_web.tf,line=28,") {
						t.Errorf("%s: no annotation at infra/sg_web.tf:28 (GitHub places it by its path from the repository's root):\n%s", line, stdout)
					}
				}
				ran++
			}
			if ran < 3 || !gated {
				t.Errorf("%d vpcsim commands ran, gate among them: %v", ran, gated)
			}
		})
	}
}

// shellWords splits a command line the simple way the workflows write
// them: words separated by spaces, an optional "> FILE" at the end.
func shellWords(t *testing.T, line string) (args []string, out string) {
	t.Helper()
	if i := strings.Index(line, ">"); i >= 0 {
		out = strings.TrimSpace(line[i+1:])
		line = line[:i]
	}
	if strings.ContainsAny(line, `"'$|&;`) {
		t.Fatalf("the workflow's vpcsim command %q needs a shell this test does not play", line)
	}
	return strings.Fields(line), out
}

// copyTree copies a folder's files (links followed) into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

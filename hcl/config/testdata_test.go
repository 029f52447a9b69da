package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"

	"github.com/vpcsim/vpcsim/hcl/internal/archive"
	"github.com/vpcsim/vpcsim/hcl/mapper"
)

func readConfigArchive(t testing.TB, name string) (fstest.MapFS, archive.Sections) {
	t.Helper()
	fsys, sec, err := archive.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return fsys, sec
}

func archiveOptions(t testing.TB, args []string) []opt {
	opts := []opt{withEnv([]string{})}
	for _, a := range args {
		verb, rest, _ := strings.Cut(a, " ")
		switch verb {
		case "var":
			n, v, _ := strings.Cut(rest, "=")
			opts = append(opts, withVar(n, v))
		case "region":
			opts = append(opts, withRegion(rest))
		case "account":
			opts = append(opts, withAccountID(rest))
		default:
			t.Fatalf("unknown args line %q", a)
		}
	}
	return opts
}

// TestConfigTestdata evaluates every testdata/config/*.txtar and checks its
// want and diagnostics sections.
func TestConfigTestdata(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			fsys, sec := readConfigArchive(t, name)
			res := Evaluate(fsys, ".", testOptions(archiveOptions(t, sec["args"])...))
			wantErrors := strings.Contains(strings.Join(sec["diagnostics"], "\n"), "error:")
			if !wantErrors && res.Diagnostics.HasErrors() {
				t.Fatal(res.Diagnostics.Error())
			}
			for _, w := range sec["diagnostics"] {
				found := false
				for _, d := range res.Diagnostics {
					found = found || strings.Contains(d.String(), w)
				}
				if !found {
					t.Errorf("no diagnostic contains %q; got:\n%v", w, res.Diagnostics)
				}
			}
			checkInstances(t, res, sec["want"])
		})
	}
}

// FuzzEvaluate evaluates arbitrary configurations, a txtar archive of files
// or a lone main.tf, and maps what it gives: whatever the input, neither the
// evaluator nor the mapper may panic, and both report errors as diagnostics.
func FuzzEvaluate(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		// Each file alone too: small inputs mutate into more shapes per
		// second.
		for _, file := range txtar.Parse(b).Files {
			if strings.HasSuffix(file.Name, ".tf") {
				f.Add(file.Data)
			}
		}
	}
	f.Add([]byte(`resource "aws_vpc" "v" { count = 2; cidr_block = cidrsubnet("10.0.0.0/8", 8, count.index) }`))
	f.Add([]byte("locals {\n  a = local.b\n  b = [for x in local.a : x]\n}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		o := testOptions(withEnv([]string{}))
		o.Limits = fuzzLimits
		res := Evaluate(tfFS(t, string(data)), ".", o)
		b := mapper.Build("main.tf", res.Instances, mapper.Options{Region: res.Region})
		if b.Network == nil {
			t.Fatal("no network")
		}
		for _, d := range append(res.Diagnostics, b.Diagnostics...) {
			if d.Severity == 0 || d.Message == "" {
				t.Fatalf("malformed diagnostic %+v", d)
			}
		}
	})
}

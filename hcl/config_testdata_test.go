package hcl

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// readConfigArchive splits a testdata archive into the configuration (every
// file but the ones the test reads) and the test's own sections: "want"
// lines of the form "address path = value", "diagnostics" (substrings that
// diagnostics must contain, one a line) and "args" (var NAME=VALUE, region
// R, account A).
func readConfigArchive(t testing.TB, name string) (fsys fstest.MapFS, sections map[string][]string) {
	t.Helper()
	ar, err := txtar.ParseFile(name)
	if err != nil {
		t.Fatal(err)
	}
	fsys = fstest.MapFS{}
	sections = map[string][]string{}
	for _, f := range ar.Files {
		switch f.Name {
		case "want", "diagnostics", "args":
			for _, line := range strings.Split(string(f.Data), "\n") {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					sections[f.Name] = append(sections[f.Name], line)
				}
			}
		default:
			fsys[f.Name] = &fstest.MapFile{Data: f.Data}
		}
	}
	return fsys, sections
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
	files, _ := filepath.Glob("testdata/config/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			fsys, sec := readConfigArchive(t, name)
			res := evalConfig(fsys, ".", testOptions(archiveOptions(t, sec["args"])...))
			wantErrors := strings.Contains(strings.Join(sec["diagnostics"], "\n"), "error:")
			if !wantErrors && res.diags.HasErrors() {
				t.Fatal(res.diags.Error())
			}
			for _, w := range sec["diagnostics"] {
				found := false
				for _, d := range res.diags {
					found = found || strings.Contains(d.String(), w)
				}
				if !found {
					t.Errorf("no diagnostic contains %q; got:\n%v", w, res.diags)
				}
			}
			checkInstances(t, res, sec["want"])
		})
	}
}

// FuzzLoadConfig loads arbitrary configurations: a txtar archive of files,
// or a lone main.tf. Whatever the input, the loader must not panic, and it
// reports errors as diagnostics.
func FuzzLoadConfig(f *testing.F) {
	files, _ := filepath.Glob("testdata/config/*.txtar")
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
		in, err := LoadConfig(tfFS(t, string(data)), ".", WithEnv([]string{}))
		if in == nil || in.Network == nil {
			t.Fatalf("no input or network (error %v)", err)
		}
		if (err != nil) != in.Diagnostics.HasErrors() {
			t.Fatalf("error %v, but diagnostics with errors: %v", err, in.Diagnostics.HasErrors())
		}
		for _, d := range in.Diagnostics {
			if d.Severity == 0 || d.Message == "" {
				t.Fatalf("malformed diagnostic %+v", d)
			}
		}
	})
}

package hcl

import (
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/vpcsim/vpcsim/hcl/internal/archive"
)

// TestConfigStatePairs loads each testdata/config/pair-*.txtar twice, its
// terraform.tfstate and its configuration, and checks that both give the
// same network, as TestExamplesConfigMatchesState does for the examples.
// The states are real ones from the corpus; the configurations were written
// for them.
func TestConfigStatePairs(t *testing.T) {
	files, _ := filepath.Glob("config/testdata/pair-*.txtar")
	if len(files) == 0 {
		t.Fatal("no pairs")
	}
	for _, name := range files {
		t.Run(filepath.Base(name), func(t *testing.T) {
			fsys, sec := readConfigArchive(t, name)
			stateFile := fsys["terraform.tfstate"]
			if stateFile == nil {
				t.Fatal("the archive has no terraform.tfstate")
			}
			st, err := LoadBytes("terraform.tfstate", stateFile.Data)
			if err != nil {
				t.Fatalf("state: %v", err)
			}
			opts := append(archiveLoadOptions(t, sec["args"]), WithAccountID(st.Network.AccountID))
			cf, err := LoadConfig(fsys, ".", opts...)
			if err != nil {
				t.Fatalf("configuration: %v", err)
			}
			for _, d := range cf.Diagnostics {
				t.Logf("configuration: %s", d)
			}
			_, ignore := canonicalNetwork(t, cf.Network, nil)
			want, _ := canonicalNetwork(t, st.Network, ignore)
			got, _ := canonicalNetwork(t, cf.Network, ignore)
			compareCanonical(t, got, want, filepath.Base(name))
		})
	}
}

// archiveLoadOptions turns the args section of a configuration archive into
// load options.
func archiveLoadOptions(t testing.TB, args []string) []Option {
	opts := []Option{WithEnv([]string{})}
	for _, a := range args {
		verb, rest, _ := strings.Cut(a, " ")
		switch verb {
		case "var":
			n, v, _ := strings.Cut(rest, "=")
			opts = append(opts, WithVar(n, v))
		case "region":
			opts = append(opts, WithRegion(rest))
		case "account":
			opts = append(opts, WithAccountID(rest))
		default:
			t.Fatalf("unknown args line %q", a)
		}
	}
	return opts
}

func readConfigArchive(t testing.TB, name string) (fstest.MapFS, archive.Sections) {
	t.Helper()
	fsys, sec, err := archive.Read(name)
	if err != nil {
		t.Fatal(err)
	}
	return fsys, sec
}

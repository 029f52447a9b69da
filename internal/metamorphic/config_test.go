package metamorphic

import (
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// reorderFiles returns the configuration fsys with, in every folder, the
// top-level blocks of its .tf files shuffled and dealt into one to four
// files of new names: what Terraform reads is the same.
func reorderFiles(t *testing.T, fsys fstest.MapFS, rnd *rand.Rand) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	blocks := map[string][][]byte{} // by folder
	for name, f := range fsys {
		if !strings.HasSuffix(name, ".tf") {
			out[name] = f
			continue
		}
		file, diags := hclwrite.ParseConfig(f.Data, name, hhcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		for _, b := range file.Body().Blocks() {
			blocks[path.Dir(name)] = append(blocks[path.Dir(name)], b.BuildTokens(nil).Bytes())
		}
	}
	for dir, bs := range blocks {
		rnd.Shuffle(len(bs), func(i, j int) { bs[i], bs[j] = bs[j], bs[i] })
		files := 1 + rnd.IntN(4)
		parts := make([][]byte, files)
		for _, b := range bs {
			k := rnd.IntN(files)
			parts[k] = append(append(parts[k], b...), '\n')
		}
		for k, p := range parts {
			out[path.Join(dir, fmt.Sprintf("z%d-%x.tf", k, rnd.Uint32()))] = &fstest.MapFile{Data: p}
		}
	}
	return out
}

// readTree reads the folder dir into a map file system.
func readTree(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(os.DirFS(dir), p)
		out[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func loadConfig(t *testing.T, fsys fstest.MapFS) *model.Network {
	t.Helper()
	in, err := hcl.LoadConfig(fsys, ".")
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return in.Network
}

// TestReorderingConfigurationChangesNoAnswer: the examples' configurations,
// their blocks shuffled and dealt into other files in every module, load to
// networks that answer every flow as the originals do.
func TestReorderingConfigurationChangesNoAnswer(t *testing.T) {
	st := &stats{}
	for _, name := range []string{"three-tier", "hub-spoke", "peering-endpoints"} {
		orig := readTree(t, path.Join("..", "..", "examples", name))
		before := loadConfig(t, orig)
		for k := range max(1, *networksFlag/4) {
			rnd := rand.New(rand.NewPCG(*seedFlag, uint64(k)))
			t.Run(fmt.Sprintf("%s/%d", name, k), func(t *testing.T) {
				qs := flows(before, rnd, *flowsFlag)
				was := traceAll(t, before, qs)
				after := loadConfig(t, reorderFiles(t, orig, rnd))
				if len(after.Interfaces) != len(before.Interfaces) || len(after.SecurityGroups) != len(before.SecurityGroups) {
					t.Fatalf("%d interfaces and %d groups, were %d and %d", len(after.Interfaces), len(after.SecurityGroups),
						len(before.Interfaces), len(before.SecurityGroups))
				}
				now := traceAll(t, after, qs)
				st.count(was, now)
				for i, q := range qs {
					if (was[i] == nil) != (now[i] == nil) || was[i] != nil && answerOf(was[i]) != answerOf(now[i]) {
						t.Errorf("%s: was %v, now %v", describe(q), answerOrNil(was[i]), answerOrNil(now[i]))
					}
				}
			})
		}
	}
	t.Logf("%s: %v", t.Name(), st)
}

func answerOrNil(r *reach.Result) string {
	if r == nil {
		return "refused"
	}
	return answerOf(r).String()
}

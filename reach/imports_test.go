package reach

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImportDirection keeps dependencies pointing one way, as DESIGN.md lays
// them out: cmd -> {hcl, reach, report} -> model. reach never imports hcl:
// the engine must not know where a network came from.
func TestImportDirection(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("the go tool is not on PATH")
	}
	for pkg, forbidden := range map[string][]string{
		"github.com/vpcsim/vpcsim/reach":  {"/hcl", "/report", "/cmd/", "/examples"},
		"github.com/vpcsim/vpcsim/report": {"/hcl", "/cmd/", "/examples"},
		"github.com/vpcsim/vpcsim/model":  {"github.com/vpcsim/vpcsim/"},
	} {
		out, err := exec.Command(goTool, "list", "-deps", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		for _, dep := range strings.Fields(string(out)) {
			if dep == pkg || !strings.HasPrefix(dep, "github.com/vpcsim/vpcsim") {
				continue
			}
			for _, f := range forbidden {
				if strings.Contains(dep, f) && (pkg != "github.com/vpcsim/vpcsim/model" || dep != pkg) {
					t.Errorf("%s depends on %s", pkg, dep)
				}
			}
		}
	}
}

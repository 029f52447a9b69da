package examples

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// FS holds every example: <name>/terraform.tfstate and <name>/README.md
// (and, once they exist, the configurations <name>/*.tf), plus README.md,
// the index.
//
//go:embed README.md */README.md */terraform.tfstate
var FS embed.FS

// Example is one example estate.
type Example struct {
	// Name is the folder name, e.g. "three-tier".
	Name string
	// Title is the first line of the example's README without its "# ".
	Title string
	// StatePath is the path of the state file inside FS.
	StatePath string
}

// defaultName is the example commands use when given no input.
const defaultName = "three-tier"

// All returns every example, sorted by name.
func All() []Example {
	// Reading the root of an embed.FS cannot fail.
	entries, _ := fs.ReadDir(FS, ".")
	var out []Example
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		state := path.Join(e.Name(), "terraform.tfstate")
		if _, err := fs.Stat(FS, state); err != nil {
			continue
		}
		out = append(out, Example{Name: e.Name(), Title: title(e.Name()), StatePath: state})
	}
	slices.SortFunc(out, func(a, b Example) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Lookup returns the example with the given name.
func Lookup(name string) (Example, bool) {
	for _, e := range All() {
		if e.Name == name {
			return e, true
		}
	}
	return Example{}, false
}

// Default returns the example commands use when given no input: three-tier.
// (A test makes sure it is embedded.)
func Default() Example {
	e, _ := Lookup(defaultName)
	return e
}

// State returns the example's state file; nil for an Example that did not
// come from All, Lookup or Default.
func (e Example) State() []byte {
	b, _ := FS.ReadFile(e.StatePath)
	return b
}

// README returns the example's README.md.
func (e Example) README() []byte {
	b, _ := FS.ReadFile(path.Join(e.Name, "README.md"))
	return b
}

// title is the first line of the example's README, without its "# ".
func title(name string) string {
	b, err := FS.ReadFile(path.Join(name, "README.md"))
	if err != nil {
		return name
	}
	line, _, _ := strings.Cut(string(b), "\n")
	return strings.TrimSpace(strings.TrimPrefix(line, "#"))
}

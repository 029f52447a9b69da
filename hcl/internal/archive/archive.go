// Package archive reads the test configurations of package hcl and its
// parts: a txtar archive holds the files of a Terraform configuration and the
// test's own sections.
package archive

import (
	"strings"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// Sections are the files of an archive that are not part of the
// configuration: "want" lines of the form "address path = value",
// "diagnostics" (substrings that diagnostics must contain, one a line) and
// "args" (var NAME=VALUE, region R, account A). Blank lines and lines
// starting with # are left out.
type Sections map[string][]string

// Read splits the archive in file name into the configuration (every file
// but the sections) and the sections.
func Read(name string) (fstest.MapFS, Sections, error) {
	ar, err := txtar.ParseFile(name)
	if err != nil {
		return nil, nil, err
	}
	fsys := fstest.MapFS{}
	sections := Sections{}
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
	return fsys, sections, nil
}

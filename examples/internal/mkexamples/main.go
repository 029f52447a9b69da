// Command mkexamples writes the example estates' state files
// (examples/<name>/terraform.tfstate) from package estate. Run it through
// `go generate ./examples`.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/vpcsim/vpcsim/internal/atomicfile"
	"github.com/vpcsim/vpcsim/internal/estate"
)

func main() {
	dir := flag.String("dir", ".", "the examples folder")
	flag.Parse()
	for _, name := range estate.ExampleNames() {
		b, err := estate.Example(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "mkexamples:", err)
			os.Exit(1)
		}
		path := filepath.Join(*dir, name, "terraform.tfstate")
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			fmt.Fprintln(os.Stderr, "mkexamples:", err)
			os.Exit(1)
		}
		if err := atomicfile.WriteFile(path, 0o644, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
			fmt.Fprintln(os.Stderr, "mkexamples:", err)
			os.Exit(1)
		}
	}
}

package main

import (
	"bufio"
	"errors"
	"fmt"
	"github.com/vpcsim/vpcsim/internal/atomicfile"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

// outputFlags say where a command writes its answer and in which formats,
// the same way in every command: --format (several, comma-separated, with
// --output-dir), -o/--output FILE, --output-dir DIR. Files are written
// whole and renamed into place, so an interrupted run leaves no half file.
type outputFlags struct {
	format *formatFlag
	// path is -o/--output: a file, or - for standard output.
	path string
	// dir is --output-dir: one file per format, named name.EXT.
	dir  string
	name string
	cmd  *cobra.Command
}

// addOutputFlags registers --format (the first format the default), -o and
// --output-dir on cmd. name is the stem of the files --output-dir writes
// (report.json, report.sarif).
func addOutputFlags(cmd *cobra.Command, name string, formats ...string) *outputFlags {
	o := &outputFlags{name: name, cmd: cmd}
	o.format = addFormatFlag(cmd, formats...)
	o.format.multi = true
	f := cmd.Flags()
	f.Lookup("format").Usage = "output format: " + strings.Join(formats, "|") + "; several, comma-separated, with --output-dir"
	f.StringVarP(&o.path, "output", "o", "", "write to `FILE` instead of standard output (written whole, then renamed into place); - for standard output")
	var exts []string
	for _, fm := range formats[:min(2, len(formats))] {
		exts = append(exts, name+"."+formatExt(fm))
	}
	f.StringVar(&o.dir, "output-dir", "", fmt.Sprintf("write one file per --format into folder `DIR` (%s…), creating it if needed", strings.Join(exts, ", ")))
	return o
}

// check refuses contradicting output flags before any work is done.
func (o *outputFlags) check() error {
	fl := o.cmd.Flags()
	switch {
	case fl.Changed("output") && strings.TrimSpace(o.path) == "":
		return usageErrorf("--output is empty: name a file, or - for standard output")
	case fl.Changed("output-dir") && strings.TrimSpace(o.dir) == "":
		return usageErrorf("--output-dir is empty: name a folder")
	case o.path != "" && o.dir != "":
		return usageErrorf("--output and --output-dir both name where to write: give one")
	case len(o.format.values) > 1 && o.dir == "":
		return usageErrorf("--format %s asks for %d formats: name the folder to write them in with --output-dir", o.format, len(o.format.values))
	}
	return nil
}

// formats are the formats to write.
func (o *outputFlags) formats() []string { return o.format.values }

// write writes the answer in every format asked for: render writes it in
// one format. part names the network when a run analyses several (root
// modules found by --recursive); it is empty otherwise.
func (o *outputFlags) write(s *streams, part string, render func(w io.Writer, format string) error) error {
	switch {
	case o.dir != "":
		if err := os.MkdirAll(o.dir, 0o755); err != nil {
			return fmt.Errorf("--output-dir: %w", unwrapPath(err))
		}
		for _, f := range o.format.values {
			name := o.name
			if part != "" {
				name += "-" + part
			}
			if err := writeFile(s, filepath.Join(o.dir, name+"."+formatExt(f)), func(w io.Writer) error { return render(w, f) }); err != nil {
				return err
			}
		}
		return nil
	case o.path != "" && o.path != "-":
		if part != "" {
			return usageErrorf("--output %s names one file, but several networks are analysed: write them into a folder with --output-dir", o.path)
		}
		return writeFile(s, o.path, func(w io.Writer) error { return render(w, o.format.value) })
	}
	return render(s.out, o.format.value)
}

// formatExt is the file extension of a format's files.
func formatExt(format string) string {
	switch format {
	case "text":
		return "txt"
	case "markdown":
		return "md"
	case "mermaid":
		return "mmd"
	case "athena", "spark", "duckdb":
		return format + ".sql"
	}
	return format
}

// writeFile writes path with what write writes, atomically, and says so on
// standard error; "-" is standard output.
func writeFile(s *streams, path string, write func(io.Writer) error) error {
	if path == "-" {
		bw := bufio.NewWriterSize(s.out, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	cw := &countWriter{}
	if err := writeFileAtomic(path, func(w io.Writer) error {
		cw.w = w
		return write(cw)
	}); err != nil {
		return err
	}
	_, err := fmt.Fprintf(s.err, "vpcsim: wrote %s (%s)\n", path, byteSize(cw.n))
	return err
}

// writeFileAtomic writes the file at path with what write writes, through
// internal/atomicfile: renamed over path only once complete, removed on an
// interrupt, so that a failed or interrupted run leaves path as it was.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.WriteFile(path, 0o644, write)
}

// unwrapPath returns the cause of a path error, whose path may be a
// temporary file's that means nothing to the user.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(b []byte) (int, error) {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return n, err
}

// Command vpcsim is a network security simulator and reachability analyzer
// for AWS VPC designs. See `vpcsim --help` and docs/cli.md.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run executes one command line and returns the process exit code; it is the
// one place where errors become exit codes (see exitCode).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	var prof profiler
	root := newRootCmd(&streams{in: stdin, out: stdout, err: stderr}, &prof)
	root.SetArgs(args)
	err := root.Execute()
	if perr := prof.stop(); err == nil {
		err = perr
	}
	return exitCode(err, stderr)
}

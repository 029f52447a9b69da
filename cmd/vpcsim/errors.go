package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
)

// Exit codes, as docs/cli.md documents them.
const (
	exitOK        = 0 // the command answered; a checked property holds
	exitError     = 1 // bad input, unreadable file, internal failure
	exitUsage     = 2 // the command line is wrong
	exitViolation = 3 // the answer is "no": unreachable flow, violated check
)

// usageError marks an error in the command line itself.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usageErrorf(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errViolation is returned by a command that printed its answer and whose
// answer is negative; it makes the process exit with exitViolation and prints
// nothing more.
var errViolation = errors.New("the checked property does not hold")

// silentError is an error whose message the command has already written to
// stderr (diagnostics with positions); run only sets the exit code.
type silentError struct{ err error }

func (e silentError) Error() string { return e.err.Error() }
func (e silentError) Unwrap() error { return e.err }

func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errViolation) {
		return exitViolation
	}
	var se silentError
	if errors.As(err, &se) {
		return exitError
	}
	fmt.Fprintf(stderr, "vpcsim: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		fmt.Fprintln(stderr, "Run 'vpcsim --help' for usage.")
		return exitUsage
	}
	return exitError
}

// isCobraUsage recognises the usage errors cobra itself returns, which are
// not typed.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag", "accepts ", "requires at least", "requires at most", "invalid argument", "flag needs an argument", "required flag"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

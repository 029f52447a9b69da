package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
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

// exitCode prints err the one way every command's errors are printed —
// "vpcsim: error: message", and for a usage error the help to read — and
// returns the exit code it stands for. cmd is the command that failed.
func exitCode(cmd *cobra.Command, err error, stderr io.Writer) int {
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
	fmt.Fprintf(stderr, "vpcsim: error: %v\n", err)
	var ue usageError
	if errors.As(err, &ue) || isCobraUsage(err) {
		path := "vpcsim"
		if cmd != nil {
			path = cmd.CommandPath()
		}
		fmt.Fprintf(stderr, "Run '%s --help' for usage.\n", path)
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

// flagError rewrites pflag's errors about a flag's value in vpcsim's words:
// the flag first, the value echoed briefly, what is wanted.
func flagError(err error) error {
	var ive *pflag.InvalidValueError
	if !errors.As(err, &ive) {
		return err
	}
	name := "--" + ive.GetFlag().Name
	cause := ive.Unwrap()
	var ne *strconv.NumError
	if errors.As(cause, &ne) {
		what := "a whole number"
		if strings.HasPrefix(ive.GetFlag().Value.Type(), "uint") {
			what = "a whole number, 0 or more"
		}
		if errors.Is(ne.Err, strconv.ErrRange) {
			return fmt.Errorf("%s: %s is out of range: want %s", name, quoteBrief(ive.GetValue()), what)
		}
		return fmt.Errorf("%s: %s is not %s", name, quoteBrief(ive.GetValue()), what)
	}
	return fmt.Errorf("%s: %w", name, cause)
}

// quoteBrief quotes a value the user gave, shortened when it is long, so
// that an error never echoes pages of input (a port of 400 digits).
func quoteBrief(s string) string {
	const max = 32
	if len(s) <= max {
		return strconv.Quote(s)
	}
	head := strings.ToValidUTF8(s[:max*3/4], "")
	return fmt.Sprintf("%s… (%d characters)", strconv.Quote(head), len(s))
}

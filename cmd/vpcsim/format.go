package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// formatFlag is --format: one of a command's formats, or, for a command
// that can write several in one run, a comma-separated list of them
// (--format json,sarif). Names are case-insensitive, like --fail-on's.
type formatFlag struct {
	// value is the format chosen (the first, when several are).
	value string
	// values are every format chosen, in order, without repeats.
	values  []string
	allowed []string
	multi   bool
}

func (f *formatFlag) String() string { return strings.Join(f.values, ",") }
func (f *formatFlag) Type() string   { return "format" }
func (f *formatFlag) Set(v string) error {
	var values []string
	for _, p := range strings.Split(v, ",") {
		p = strings.ToLower(strings.TrimSpace(p))
		if alias, ok := formatAliases[p]; ok && !slices.Contains(f.allowed, p) {
			p = alias
		}
		if !slices.Contains(f.allowed, p) {
			return fmt.Errorf("invalid format %s: want one of %s", quoteBrief(strings.TrimSpace(p)), strings.Join(f.allowed, ", "))
		}
		if !slices.Contains(values, p) {
			values = append(values, p)
		}
	}
	if len(values) > 1 && !f.multi {
		return fmt.Errorf("one format at a time: want one of %s", strings.Join(f.allowed, ", "))
	}
	f.value, f.values = values[0], values
	return nil
}

// formatAliases are the short names people type for a format, as file
// extensions name them.
var formatAliases = map[string]string{"md": "markdown", "txt": "text", "htm": "html", "mmd": "mermaid"}

// addFormatFlag registers --format on cmd with the given formats, the first
// being the default; one format per run.
func addFormatFlag(cmd *cobra.Command, allowed ...string) *formatFlag {
	f := &formatFlag{value: allowed[0], values: allowed[:1], allowed: allowed}
	cmd.Flags().Var(f, "format", "output format: "+strings.Join(allowed, "|"))
	return f
}

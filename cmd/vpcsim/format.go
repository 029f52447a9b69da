package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
)

// formatFlag is a --format value restricted to a command's formats.
type formatFlag struct {
	value   string
	allowed []string
}

func (f *formatFlag) String() string { return f.value }
func (f *formatFlag) Type() string   { return "format" }
func (f *formatFlag) Set(v string) error {
	if !slices.Contains(f.allowed, v) {
		return fmt.Errorf("invalid format %q: want one of %s", v, strings.Join(f.allowed, ", "))
	}
	f.value = v
	return nil
}

// addFormatFlag registers --format on cmd with the given formats, the first
// being the default.
func addFormatFlag(cmd *cobra.Command, allowed ...string) *formatFlag {
	f := &formatFlag{value: allowed[0], allowed: allowed}
	cmd.Flags().Var(f, "format", "output format: "+strings.Join(allowed, "|"))
	return f
}

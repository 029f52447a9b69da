package main

import (
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
)

// configFlags are the flags that matter when the input is a folder of
// Terraform configuration: variable values and the data values file.
type configFlags struct {
	// vars holds --var and --var-file in command-line order, which is
	// their order of precedence, as on terraform's command line.
	vars       []hcl.Option
	dataValues string
	// used are the flags given, in order, without repeats.
	used []string
}

// given names the flags given: --var, --var-file, --data-values.
func (f *configFlags) given() []string {
	out := slices.Clone(f.used)
	if f.dataValues != "" {
		out = append(out, "--data-values")
	}
	return out
}

// addConfigFlags adds --var, --var-file and --data-values to cmd.
func addConfigFlags(cmd *cobra.Command) *configFlags {
	f := &configFlags{}
	cmd.Flags().Var(&varFlag{f: f}, "var", "set a variable of a Terraform configuration (repeatable; like terraform's -var)")
	cmd.Flags().Var(&varFlag{f: f, file: true}, "var-file", "read variables of a Terraform configuration from a .tfvars or .tfvars.json `FILE` (repeatable; like terraform's -var-file)")
	cmd.Flags().StringVar(&f.dataValues, "data-values", "", "read the values of the configuration's data sources from a JSON `FILE` (see docs/loading-config.md)")
	return f
}

// options returns the load options the flags ask for.
func (f *configFlags) options() []hcl.Option {
	opts := append([]hcl.Option(nil), f.vars...)
	if f.dataValues != "" {
		opts = append(opts, hcl.WithDataValues(f.dataValues))
	}
	return opts
}

// varFlag is --var (NAME=VALUE) or --var-file (a path); both append to one
// list so that their relative order is kept.
type varFlag struct {
	f    *configFlags
	file bool
	set  []string
}

func (v *varFlag) String() string { return strings.Join(v.set, ",") }

func (v *varFlag) Type() string {
	if v.file {
		return "FILE"
	}
	return "NAME=VALUE"
}

func (v *varFlag) Set(s string) error {
	name := "--var"
	if v.file {
		name = "--var-file"
	}
	if !slices.Contains(v.f.used, name) {
		v.f.used = append(v.f.used, name)
	}
	if v.file {
		v.f.vars = append(v.f.vars, hcl.WithVarFile(s))
	} else {
		name, value, ok := strings.Cut(s, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return usageErrorf("--var %q: expected NAME=VALUE", s)
		}
		v.f.vars = append(v.f.vars, hcl.WithVar(strings.TrimSpace(name), value))
	}
	v.set = append(v.set, s)
	return nil
}

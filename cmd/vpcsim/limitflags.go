package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
)

// limitFlags raise (or lower) the limits that bound what a load reads and
// the work it does (docs/limits.md).
type limitFlags struct {
	inputSize, configSize, stringSize sizeFlag
	steps                             int64
	instances                         int
}

// addLimitFlags adds --max-input-size, --max-string-size, --max-eval-steps
// and --max-instances to cmd.
func addLimitFlags(cmd *cobra.Command) *limitFlags {
	d := hcl.DefaultLimits()
	f := &limitFlags{inputSize: sizeFlag{d.MaxInputSize, "MB"}, configSize: sizeFlag{d.MaxConfigSize, "MB"}, stringSize: sizeFlag{int64(d.MaxStringSize), "MiB"}}
	fl := cmd.Flags()
	fl.Var(&f.inputSize, "max-input-size", "read at most `SIZE` bytes from a state, a plan or standard input; units B, kB, MB, GB, KiB, MiB, GiB (see docs/limits.md)")
	fl.Var(&f.configSize, "max-config-size", "read at most `SIZE` bytes of Terraform configuration (.tf, .tf.json, .tfvars files, all modules together)")
	fl.Var(&f.stringSize, "max-string-size", "accept strings of at most `SIZE` bytes in the input and in what a configuration builds (see docs/limits.md)")
	fl.Int64Var(&f.steps, "max-eval-steps", d.MaxEvalSteps, "evaluate a configuration in at most `N` steps (see docs/limits.md)")
	fl.IntVar(&f.instances, "max-instances", d.MaxInstances, "evaluate at most `N` instances of one resource or module call (count, for_each)")
	return f
}

// options returns the load option the flags ask for.
func (f *limitFlags) options() hcl.Option {
	return hcl.WithLimits(hcl.Limits{MaxInputSize: f.inputSize.n, MaxConfigSize: f.configSize.n, MaxStringSize: int(min(f.stringSize.n, 1<<40)),
		MaxEvalSteps: f.steps, MaxInstances: f.instances})
}

// sizeFlag is a size in bytes, written with or without a unit: 150MB,
// 16MiB, 2GB, 1000000.
type sizeFlag struct {
	n int64
	// unit is the unit String prints the size in.
	unit string
}

var sizeUnits = []struct {
	name string
	n    int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1e9}, {"MB", 1e6}, {"kB", 1e3}, {"KB", 1e3}, {"B", 1},
}

func (s *sizeFlag) String() string {
	for _, u := range sizeUnits {
		if u.name == s.unit && s.n%u.n == 0 {
			return strconv.FormatInt(s.n/u.n, 10) + u.name
		}
	}
	return strconv.FormatInt(s.n, 10)
}

func (s *sizeFlag) Type() string { return "SIZE" }

func (s *sizeFlag) Set(v string) error {
	t := strings.TrimSpace(v)
	mult, unit := int64(1), ""
	for _, u := range sizeUnits {
		if strings.HasSuffix(strings.ToLower(t), strings.ToLower(u.name)) {
			mult, unit = u.n, u.name
			t = strings.TrimSpace(t[:len(t)-len(u.name)])
			break
		}
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return fmt.Errorf("%q is not a size: write a whole number of bytes, optionally with a unit (150MB, 16MiB, 2GB)", v)
	}
	s.n, s.unit = n*mult, unit
	return nil
}

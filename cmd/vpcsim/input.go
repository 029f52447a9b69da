package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/examples"
	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// inputFlags are the flags of every command that reads a network, and the
// loading they share: which inputs, how to read them, and what to say about
// what the load found.
type inputFlags struct {
	// in are the --in paths, args the positional ones, in command-line
	// order each.
	in, args  []string
	region    string
	account   string
	before    bool
	recursive bool
	verbose   bool
	// config holds --var, --var-file and --data-values, for folders of
	// Terraform configuration.
	config *configFlags
}

// register adds the input flags to cmd, which takes the inputs as positional
// arguments too. withBefore adds --before, for commands that analyse one
// network of a plan.
func (f *inputFlags) register(cmd *cobra.Command, withBefore bool) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.in, "in", nil, "read the network from `PATH`: a folder of .tf files, a terraform.tfstate, the JSON of 'terraform show -json' (state or plan), or - for standard input; repeat it (or give several paths as arguments) to analyse several inputs as one network; without any, the embedded example network")
	fl.StringVar(&f.region, "region", "", "assume `REGION` for elements whose region the input does not say")
	fl.StringVar(&f.account, "account", "", "assume account `ID` for elements whose account the input does not say")
	fl.BoolVar(&f.recursive, "recursive", false, "for a folder that holds root modules in subfolders (envs/dev, envs/prod), analyse each of them, one after the other")
	fl.BoolVarP(&f.verbose, "verbose", "v", false, "print every warning and note about the input on standard error, not only their number")
	if withBefore {
		fl.BoolVar(&f.before, "before", false, "for a plan, analyse the network before it (the prior state) instead of after it")
	}
	f.config = addConfigFlags(cmd)
	cmd.Args = cobra.ArbitraryArgs
}

// options returns the load options the flags ask for.
func (f *inputFlags) options(s *streams) []hcl.Option {
	opts := []hcl.Option{hcl.WithRegion(f.region), hcl.WithAccountID(f.account), hcl.WithStdin(s.in)}
	return append(opts, f.config.options()...)
}

// exampleInput names the embedded example network in messages.
var exampleInput = "examples/" + examples.Default().StatePath + " (embedded)"

// inputSets returns the inputs the command line names, as sets to analyse
// one after the other: one set of every path given, or, with --recursive,
// one per root module found under them. No path at all is the embedded
// example; an empty path is a usage error, so that an unset variable in a
// CI job does not analyse the example instead.
func (f *inputFlags) inputSets() ([][]string, error) {
	paths := append(slices.Clone(f.in), f.args...)
	if len(paths) == 0 {
		return [][]string{nil}, nil
	}
	stdin := 0
	for _, p := range paths {
		switch {
		case strings.TrimSpace(p) == "":
			return nil, usageErrorf("an input path is empty (--in \"\"): name a file or folder, or give no --in at all for the embedded example")
		case p == "-":
			stdin++
		}
	}
	if stdin > 1 {
		return nil, usageErrorf("standard input (-) is named %d times: it can be read once", stdin)
	}
	var set []string
	var sets [][]string
	for _, p := range paths {
		roots, err := rootModules(p)
		if err != nil {
			return nil, err
		}
		switch {
		case roots == nil:
			set = append(set, p)
		case f.recursive:
			for _, r := range roots {
				sets = append(sets, []string{r})
			}
		default:
			return nil, fmt.Errorf("%s holds no Terraform file, state or plan, but these folders of Terraform configuration:\n  %s\nname the one to analyse (vpcsim ... %s), or pass --recursive to analyse each",
				p, strings.Join(roots, "\n  "), roots[0])
		}
	}
	if len(set) > 0 {
		sets = append([][]string{set}, sets...)
	}
	return sets, nil
}

// rootModules returns, for a folder with no .tf or .tf.json file of its
// own, the folders below it that hold Terraform configuration and are not
// modules that another of them calls (a modules/ folder, .terraform); nil
// when path is not such a folder.
func rootModules(path string) ([]string, error) {
	if path == "-" {
		return nil, nil
	}
	fi, err := os.Stat(path)
	if err != nil || !fi.IsDir() || hasTF(path) {
		return nil, nil // Load says what is wrong with it
	}
	var roots []string
	err = filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() || p == path {
			return nil
		}
		name := d.Name()
		if strings.HasPrefix(name, ".") || name == "modules" || name == "node_modules" {
			return filepath.SkipDir
		}
		if hasTF(p) {
			roots = append(roots, p)
			return filepath.SkipDir // its subfolders are its modules
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, nil
	}
	return roots, nil
}

func hasTF(dir string) bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return false
	}
	for _, e := range entries {
		if !e.IsDir() && (strings.HasSuffix(e.Name(), ".tf") || strings.HasSuffix(e.Name(), ".tf.json")) {
			return true
		}
	}
	return false
}

// loadSet loads one set of inputs as one network: the embedded example for
// none, one input as it is, several merged. Load errors are printed as
// positioned diagnostics on stderr.
func (f *inputFlags) loadSet(s *streams, paths []string) (*hcl.Input, error) {
	opts := f.options(s)
	var in *hcl.Input
	var err error
	if paths == nil {
		in, err = hcl.LoadBytes(exampleInput, examples.Default().State(), opts...)
	} else {
		in, err = hcl.LoadAll(paths, opts...)
	}
	if in == nil {
		return nil, err
	}
	if err != nil {
		if werr := hcl.WriteDiagnostics(s.err, in.Diagnostics); werr != nil {
			return nil, werr
		}
		return nil, silentError{err}
	}
	if f.before && in.Before == nil {
		return nil, usageErrorf("--before applies to plans only; %s is a %s", in.Path, in.Format)
	}
	return in, nil
}

// caveats prints what the load says about the input: each warning and note
// with --verbose, else their number. The answer depends on them; the
// command's output says so too.
func (f *inputFlags) caveats(s *streams, in *hcl.Input) error {
	ds := caveatsOf(in.Diagnostics)
	if len(ds) == 0 {
		return nil
	}
	if f.verbose {
		return hcl.WriteDiagnostics(s.err, ds)
	}
	var warnings, notes int
	for _, d := range ds {
		if d.Severity == model.SeverityWarning {
			warnings++
		} else {
			notes++
		}
	}
	_, err := fmt.Fprintf(s.err, "vpcsim: %s: %s about the input; --verbose prints them\n", in.Path, counted(warnings, "warning", notes, "note"))
	return err
}

// caveatsOf returns the warnings and notes of ds, once each.
func caveatsOf(ds model.Diagnostics) model.Diagnostics {
	var out model.Diagnostics
	seen := map[model.Diagnostic]bool{}
	for _, d := range ds {
		if d.Severity != model.SeverityError && !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	return out
}

func counted(a int, an string, b int, bn string) string {
	plural := func(n int, s string) string {
		if n == 1 {
			return fmt.Sprintf("1 %s", s)
		}
		return fmt.Sprintf("%d %ss", n, s)
	}
	switch {
	case a > 0 && b > 0:
		return plural(a, an) + " and " + plural(b, bn)
	case a > 0:
		return plural(a, an)
	}
	return plural(b, bn)
}

// errNoNetwork says that an input holds nothing vpcsim can analyse: an
// answer on it would be empty, and an empty answer would read as "nothing is
// exposed".
var errNoNetwork = errors.New("no AWS network")

// network returns the network a command analyses: for a plan, the one after
// it, or before it with --before. A network without a VPC is an error.
func (f *inputFlags) network(in *hcl.Input) (*model.Network, error) {
	n := in.Network
	if f.before {
		n = in.Before
	}
	if len(n.VPCs) == 0 && len(n.TransitGateways) == 0 {
		what := "no VPC or transit gateway"
		if f.before {
			what += " before the plan"
		}
		return nil, fmt.Errorf("%s: %w to analyse: the input holds %s (%d resources read); check that it is the stack you meant", in.Path, errNoNetwork, what, resourcesRead(in))
	}
	return n, nil
}

// resourcesRead counts the resources of the input, mapped or not.
func resourcesRead(in *hcl.Input) int {
	n := 0
	for _, c := range in.Network.Counts() {
		n += c.Count - c.Synthetic
	}
	for _, it := range in.Ignored {
		n += it.Count
	}
	return n + len(in.Network.UnsupportedResources)
}

// loaded is one network a command analyses, with its input.
type loaded struct {
	in  *hcl.Input
	net *model.Network
	eng *reach.Engine
	// paths are the inputs as the command line named them (none for the
	// embedded example), for commands that print a command to run on them.
	paths []string
}

// eachNetwork loads every set of inputs the command line names, builds its
// data plane and calls run with it; with --recursive, one set after the
// other, each announced on stderr. It returns the first error, and
// errViolation when a run returned it and no run failed otherwise.
func (f *inputFlags) eachNetwork(s *streams, run func(l *loaded) error) error {
	sets, err := f.inputSets()
	if err != nil {
		return err
	}
	violated := false
	for _, set := range sets {
		if len(sets) > 1 {
			fmt.Fprintf(s.err, "vpcsim: analysing %s\n", strings.Join(set, " + "))
		}
		in, err := f.loadSet(s, set)
		if err != nil {
			return err
		}
		if err := f.caveats(s, in); err != nil {
			return err
		}
		n, err := f.network(in)
		if err != nil {
			return err
		}
		e, err := reach.New(n)
		if err != nil {
			return fmt.Errorf("%s: %w", in.Path, err)
		}
		switch err := run(&loaded{in: in, net: n, eng: e, paths: set}); {
		case errors.Is(err, errViolation):
			violated = true
		case err != nil:
			return err
		}
	}
	if violated {
		return errViolation
	}
	return nil
}

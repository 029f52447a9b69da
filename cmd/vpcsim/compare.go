package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/intent"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

// compareFlags are the flags of the commands that compare two networks
// (diff, plan-check), and the loading they share.
type compareFlags struct {
	// input holds --region, --account, --verbose and the configuration
	// flags; its --in is not registered: the inputs are args (a plan) or
	// --before and --after.
	input         inputFlags
	args          []string
	before, after []string
	config        string
	beforeConfig  string
	ephemeral     *ephemeralFlag
	internal      bool
	full          bool
	intents       []string
	format        *formatFlag
}

func (f *compareFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringArrayVar(&f.before, "before", nil, "compare from the network at `PATH` (a folder of .tf files, a state, the JSON of a state or plan — a plan stands for its planned network); repeat it to merge several inputs")
	fl.StringArrayVar(&f.after, "after", nil, "compare to the network at `PATH`, as --before; repeat it to merge several inputs")
	fl.StringVar(&f.config, "config", "", "take the .tf file and line of every element from the Terraform configuration in `DIR` (the one the plan was made from); by default a plan's own folder when it holds .tf files")
	fl.StringVar(&f.beforeConfig, "before-config", "", "the Terraform configuration in `DIR` before the change, for the file and line of what the change deletes (the base branch's checkout)")
	fl.StringVar(&f.input.region, "region", "", "assume `REGION` for elements whose region the input does not say")
	fl.StringVar(&f.input.account, "account", "", "assume account `ID` for elements whose account the input does not say")
	fl.BoolVarP(&f.input.verbose, "verbose", "v", false, "print every warning and note about the inputs on standard error, not only their number")
	fl.BoolVar(&f.internal, "internal", true, "compare the flows between the network's own interfaces and from them to the internet too, not only exposures from the internet and on-premises networks")
	fl.StringArrayVar(&f.intents, "intent", nil, "evaluate the expectations of intent `FILE` on both networks and report the violations the change introduces or resolves (repeatable; docs/intent.md)")
	fl.BoolVar(&f.full, "full", false, "analyse every interface of both networks, not only those whose flows the change can affect (the answer is the same; it takes longer)")
	f.ephemeral = addEphemeralFlag(cmd)
	f.input.config = addConfigFlags(cmd)
	f.format = addFormatFlag(cmd, report.DiffFormats...)
}

// check refuses command lines whose flags contradict each other.
func (f *compareFlags) check() error {
	for _, p := range append(append(append([]string{}, f.args...), f.before...), f.after...) {
		if strings.TrimSpace(p) == "" {
			return usageErrorf("an input path is empty: name a file or folder")
		}
	}
	switch {
	case len(f.args) > 0 && (len(f.before) > 0 || len(f.after) > 0):
		return usageErrorf("give either a plan (%s) or --before and --after, not both", strings.Join(f.args, " "))
	case len(f.args) == 0 && len(f.before) == 0 && len(f.after) == 0:
		return usageErrorf("nothing to compare: give the JSON of a plan (terraform show -json tfplan > plan.json), or --before and --after")
	case len(f.before) > 0 && len(f.after) == 0:
		return usageErrorf("--before needs --after: the network to compare it to")
	case len(f.after) > 0 && len(f.before) == 0:
		return usageErrorf("--after needs --before: the network to compare it with")
	}
	return nil
}

// pair is the two networks compared, with what names them and what their
// loads said.
type pair struct {
	before, after         *model.Network
	beforeName, afterName string
	diags                 []model.Diagnostics
}

// load reads the networks to compare: a plan's prior state and planned
// network, or the --before and --after inputs; then gives them the .tf
// positions of --config and --before-config.
func (f *compareFlags) load(s *streams, p *progress) (*pair, error) {
	var pr pair
	var planPath string
	var afterFormat hcl.Format
	if len(f.args) > 0 {
		in, err := f.input.loadSet(s, f.args)
		if err != nil {
			return nil, err
		}
		if err := f.input.caveats(s, in); err != nil {
			return nil, err
		}
		if in.Before == nil {
			return nil, fmt.Errorf("%s is a %s, not a plan: its network has no before and after to compare; give the JSON of a plan (terraform plan -out=tfplan && terraform show -json tfplan > plan.json), or two inputs with --before and --after", in.Path, in.Format)
		}
		pr.before, pr.after = in.Before, in.Network
		pr.beforeName, pr.afterName = in.Path+" (before the plan)", in.Path+" (planned)"
		pr.diags = append(pr.diags, in.Diagnostics)
		afterFormat = in.Format
		if len(f.args) == 1 {
			planPath = f.args[0]
		}
	} else {
		for _, side := range []struct {
			paths []string
			net   **model.Network
			name  *string
		}{{f.before, &pr.before, &pr.beforeName}, {f.after, &pr.after, &pr.afterName}} {
			in, err := f.input.loadSet(s, side.paths)
			if err != nil {
				return nil, err
			}
			if err := f.input.caveats(s, in); err != nil {
				return nil, err
			}
			*side.net, *side.name = in.Network, in.Path
			if side.net == &pr.after {
				afterFormat = in.Format
			}
			if in.Before != nil {
				*side.name += " (planned)"
				if side.net == &pr.after && len(f.after) == 1 {
					// A plan as --after gets its folder's positions, as a
					// plan given alone does.
					planPath = f.after[0]
				}
			}
			pr.diags = append(pr.diags, in.Diagnostics)
		}
	}
	for _, n := range []*model.Network{pr.before, pr.after} {
		if len(n.VPCs) == 0 && len(n.TransitGateways) == 0 && n == pr.after && len(pr.before.VPCs) == 0 {
			return nil, fmt.Errorf("%w to compare: neither network holds a VPC or transit gateway; check that the inputs are the stacks you meant", errNoNetwork)
		}
	}
	cfg := f.config
	if cfg == "" && planPath != "" && planPath != "-" && hasTF(filepath.Dir(planPath)) {
		cfg = filepath.Dir(planPath)
		fmt.Fprintf(s.err, "vpcsim: taking .tf files and lines from the configuration in %s (--config)\n", cfg)
	}
	if cfg == "" && afterFormat != hcl.FormatConfig {
		// Said, not left to be discovered: without the configuration the
		// gate points at JSON, and a vpcsim:ignore comment accepts nothing.
		fmt.Fprintf(s.err, "vpcsim: no Terraform configuration (--config DIR): locations point into %s, and vpcsim:ignore comments are not read\n", pr.afterName)
	}
	cfgNet, err := f.loadConfig(s, "--config", cfg)
	if err != nil {
		return nil, err
	}
	beforeNet, err := f.loadConfig(s, "--before-config", f.beforeConfig)
	if err != nil {
		return nil, err
	}
	if cfgNet != nil {
		n := pr.after.Relocate(cfgNet)
		p.printf("%d positions from %s", n, cfg)
	}
	switch {
	case beforeNet != nil:
		pr.before.Relocate(beforeNet)
	case cfgNet != nil:
		pr.before.Relocate(cfgNet)
	}
	return &pr, nil
}

// loadConfig evaluates a configuration folder for its positions; nil for
// none. A configuration that cannot be evaluated is reported and left out:
// the answer does not depend on it, only its locations do.
func (f *compareFlags) loadConfig(s *streams, flag, dir string) (*model.Network, error) {
	if dir == "" {
		return nil, nil
	}
	fi, err := os.Stat(dir)
	switch {
	case err != nil:
		// A folder that cannot be read is an input error (exit 1), as an
		// input that cannot be read is.
		return nil, fmt.Errorf("%s %s: cannot read the configuration folder: %w", flag, dir, errors.Unwrap(err))
	case !fi.IsDir():
		return nil, usageErrorf("%s %s: not a folder of Terraform configuration", flag, dir)
	}
	in, err := hcl.Load(dir, f.input.options(s)...)
	if err != nil || in.Network == nil {
		fmt.Fprintf(s.err, "vpcsim: %s %s cannot be evaluated (%v): locations stay where the input puts them\n", flag, dir, err)
		if f.input.verbose && in != nil {
			_ = hcl.WriteDiagnostics(s.err, in.Diagnostics)
		}
		return nil, nil
	}
	return in.Network, nil
}

// compare loads the two networks, builds their data planes and compares
// them, and their violations of the intent files.
func (f *compareFlags) compare(s *streams, p *progress, command string) (*report.DiffReport, *pair, error) {
	// The intent files first: a mistake in one is reported before the
	// networks are loaded.
	var files []*intent.File
	var diags model.Diagnostics
	for _, path := range f.intents {
		file, ds := intent.ParseFile(path)
		diags = append(diags, ds...)
		if file != nil {
			files = append(files, file)
		}
	}
	if diags.HasErrors() {
		return nil, nil, diagnosticsError(s, diags)
	}
	pr, err := f.load(s, p)
	if err != nil {
		return nil, nil, err
	}
	p.printf("loaded: %d interfaces before, %d after; building the data planes", len(pr.before.Interfaces), len(pr.after.Interfaces))
	eb, err := reach.New(pr.before)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", pr.beforeName, err)
	}
	ea, err := reach.New(pr.after)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", pr.afterName, err)
	}
	p.printf("comparing")
	d, err := reach.Compare(eb, ea, reach.CompareOptions{Ephemeral: f.ephemeral.value, Internal: f.internal, Full: f.full})
	if err != nil {
		return nil, nil, err
	}
	p.printf("%d of %d interfaces analysed; %d units compared", d.Scope.Analysed, d.Scope.Interfaces, len(d.Units))
	r := report.NewDiffReport(d, command, pr.beforeName, pr.afterName).WithInputNotes(pr.diags...)
	if len(files) > 0 {
		// After the change every expectation must be evaluated, as check
		// requires; before it, one whose selector names what the change
		// creates cannot be, and its violations after are new.
		var before, after []intent.Result
		var beforeDiags model.Diagnostics
		for _, file := range files {
			rb, db := intent.Evaluate(eb, file, intent.Options{Ephemeral: f.ephemeral.value})
			ra, da := intent.Evaluate(ea, file, intent.Options{Ephemeral: f.ephemeral.value})
			before, after = append(before, rb...), append(after, ra...)
			beforeDiags = append(beforeDiags, db...)
			diags = append(diags, da...)
		}
		if diags.HasErrors() {
			return nil, nil, diagnosticsError(s, diags)
		}
		for i := range beforeDiags {
			if beforeDiags[i].Severity == model.SeverityError {
				beforeDiags[i].Severity = model.SeverityWarning
				beforeDiags[i].Message = "before the change, not evaluated: " + beforeDiags[i].Message
			}
		}
		r.WithInputNotes(diags, beforeDiags).WithIntents(before, after, f.ephemeral.value)
		p.printf("%d intent files evaluated on both networks", len(files))
	}
	return r, pr, nil
}

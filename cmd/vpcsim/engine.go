package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
)

// inputFlags are the flags every command that reads a network takes.
type inputFlags struct {
	in      string
	region  string
	account string
	before  bool
	// config holds --var, --var-file and --data-values, for folders of
	// Terraform configuration.
	config *configFlags
}

func (f *inputFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.in, "in", "", "read the network from `PATH`: a folder of .tf files, a terraform.tfstate, the JSON of 'terraform show -json' (state or plan), or - for standard input; without it, the embedded example network")
	cmd.Flags().StringVar(&f.region, "region", "", "assume `REGION` for elements whose region the input does not say")
	cmd.Flags().StringVar(&f.account, "account", "", "assume account `ID` for elements whose account the input does not say")
	cmd.Flags().BoolVar(&f.before, "before", false, "for a plan, analyse the network before it (the prior state) instead of after it")
	f.config = addConfigFlags(cmd)
}

func (f *inputFlags) options(s *streams) ([]hcl.Option, error) {
	opts := []hcl.Option{hcl.WithRegion(f.region), hcl.WithAccountID(f.account), hcl.WithStdin(s.in)}
	return append(opts, f.config.options()...), nil
}

// loadNetwork loads the input and picks the network to analyse. Load errors
// are printed as positioned diagnostics on stderr.
func loadNetwork(s *streams, f *inputFlags) (*hcl.Input, *model.Network, error) {
	opts, err := f.options(s)
	if err != nil {
		return nil, nil, err
	}
	in, err := loadInput(f.in, opts...)
	if in == nil {
		return nil, nil, err
	}
	if err != nil {
		if werr := hcl.WriteDiagnostics(s.err, in.Diagnostics); werr != nil {
			return nil, nil, werr
		}
		return nil, nil, silentError{err}
	}
	n := in.Network
	if f.before {
		if in.Format != hcl.FormatPlan {
			return nil, nil, usageErrorf("--before applies to plans only; %s is a %s", in.Path, in.Format)
		}
		n = in.Before
	}
	return in, n, nil
}

// loadEngine loads the input and builds its data plane.
func loadEngine(s *streams, f *inputFlags) (*hcl.Input, *reach.Engine, error) {
	in, n, err := loadNetwork(s, f)
	if err != nil {
		return nil, nil, err
	}
	e, err := reach.New(n)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", in.Path, err)
	}
	return in, e, nil
}

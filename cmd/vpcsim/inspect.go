package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/report"
)

type inspectOptions struct {
	input  inputFlags
	output *outputFlags
}

func newInspectCmd(s *streams) *cobra.Command {
	opts := &inspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Load a network and summarise what was read",
		Long: `Inspect loads a network from Terraform and prints what it read: the input's
format, the number of elements of each kind (and how many vpcsim synthesised
because AWS creates them implicitly), for a plan the network before and after
it, every diagnostic, the networking resources vpcsim does not model and the
resource types it ignored.

Diagnostics read "file:line:col: severity: element: message". When the load has
errors, inspect prints them on standard error, nothing on standard output, and
exits 1.

Exit status: 0 when the input loads (warnings and notes do not fail it), 1 when
it has errors or cannot be read, 2 on a usage error.`,
		Example: `  # Summarise a state file
  vpcsim inspect --in terraform.tfstate

  # Summarise a plan, before and after, as JSON
  terraform plan -out=tfplan
  terraform show -json tfplan > plan.json
  vpcsim inspect --in plan.json --format json

  # Read the current state from standard input
  terraform show -json | vpcsim inspect --in -

  # Evaluate a folder of Terraform configuration, as terraform plan would
  vpcsim inspect --in ./network --var environment=prod --var-file prod.tfvars`,
	}
	opts.input.register(cmd, false)
	opts.output = addOutputFlags(cmd, "inspect", report.InspectionFormats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runInspect(s, opts)
	}
	return cmd
}

// runInspect inspects every set of inputs the command line names; it prints
// every diagnostic itself, so it does not count them on stderr.
func runInspect(s *streams, opts *inspectOptions) error {
	if err := opts.output.check(); err != nil {
		return err
	}
	sets, err := opts.input.inputSets()
	if err != nil {
		return err
	}
	for _, set := range sets {
		if len(sets) > 1 {
			fmt.Fprintf(s.err, "vpcsim: inspecting %s\n", strings.Join(set, " + "))
		}
		in, err := opts.input.loadSet(s, set)
		if err != nil {
			return err
		}
		part := ""
		if len(sets) > 1 {
			part = partName(set)
		}
		r := newInspectReport(in)
		if err := opts.output.write(s, part, func(w io.Writer, format string) error { return report.WriteInspection(w, r, format) }); err != nil {
			return err
		}
	}
	return nil
}

// newInspectReport gathers what inspect prints about an input; report
// renders it.
func newInspectReport(in *hcl.Input) *report.Inspection {
	r := &report.Inspection{
		Source: in.Path, Format: in.Format.String(), TerraformVersion: in.TerraformVersion,
		Region: in.Network.Region, AccountID: in.Network.AccountID,
		Counts:      in.Network.Counts(),
		Unsupported: []report.Unsupported{},
		Ignored:     []report.IgnoredType{},
		UnknownData: append([]string{}, in.UnknownData...),
		Diagnostics: in.Diagnostics,
	}
	for _, it := range in.Ignored {
		r.Ignored = append(r.Ignored, report.IgnoredType{Type: it.Type, Count: it.Count, Addresses: it.Addresses, Reason: it.Reason})
	}
	if r.Diagnostics == nil {
		r.Diagnostics = model.Diagnostics{}
	}
	if in.Before != nil {
		r.BeforeCounts = in.Before.Counts()
		r.Changes = map[string]int{}
		for _, c := range in.Changes {
			r.Changes[c.Action]++
		}
	}
	for _, u := range in.Network.UnsupportedResources {
		e := report.Unsupported{Address: u.Address, Type: u.Type, Pos: u.Pos, Reason: u.Reason}
		if !u.IsUnknown("id") && u.ID != u.Address {
			e.ID = u.ID
		}
		r.Unsupported = append(r.Unsupported, e)
	}
	for _, d := range in.Diagnostics {
		switch d.Severity {
		case model.SeverityError:
			r.Totals.Errors++
		case model.SeverityWarning:
			r.Totals.Warnings++
		case model.SeverityNote:
			r.Totals.Notes++
		}
	}
	return r
}

package main

import (
	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

type matrixOptions struct {
	input     inputFlags
	by        groupByFlag
	internet  bool
	ephemeral *ephemeralFlag
	format    *formatFlag
}

func newMatrixCmd(s *streams) *cobra.Command {
	opts := &matrixOptions{}
	cmd := &cobra.Command{
		Use:   "matrix",
		Short: "Show which groups of the network reach which, on what",
		Long: `Matrix computes the segmentation matrix: for every pair of groups of
interfaces, the protocols and ports that pass from some interface of the first
to some interface of the second, replies included. Groups are subnets, security
groups, VPCs or the values of a tag (--by tag:Tier). With --internet, a first
row shows what the internet reaches.

A cell marked * passes for part of the client's ephemeral ports only.`,
		Example: `  # Subnet to subnet, as CSV for a spreadsheet
  vpcsim matrix --in terraform.tfstate --format csv

  # Security group to security group, with the internet
  vpcsim matrix --in . --by security-group --internet`,
	}
	opts.input.register(cmd, true)
	f := cmd.Flags()
	opts.by.value = reach.BySubnet
	f.Var(&opts.by, "by", "group interfaces by subnet, security-group, vpc or tag:`KEY`")
	f.BoolVar(&opts.internet, "internet", false, "add a row for traffic from the internet")
	opts.ephemeral = addEphemeralFlag(cmd)
	opts.format = addFormatFlag(cmd, report.MatrixFormats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runMatrix(s, opts)
	}
	return cmd
}

func runMatrix(s *streams, opts *matrixOptions) error {
	p := newProgress(s.err)
	return opts.input.eachNetwork(s, func(l *loaded) error {
		p.printf("computing the matrix by %s", opts.by.value)
		m, err := l.eng.Matrix(reach.MatrixOptions{By: opts.by.value, Internet: opts.internet, Ephemeral: opts.ephemeral.value})
		if err != nil {
			return err
		}
		return report.WriteMatrix(s.out, m, opts.format.value, report.AnswerNotes(l.eng.Notes(), l.in.Diagnostics)...)
	})
}

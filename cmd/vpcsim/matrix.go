package main

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

type matrixOptions struct {
	input     inputFlags
	by        groupByFlag
	internet  bool
	ephemeral *ephemeralFlag
	output    *outputFlags
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

A cell marked * passes for part of the client's ephemeral ports only.

Exit status: 0 when the matrix is written, 1 on an error, 2 on a usage error.`,
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
	opts.output = addOutputFlags(cmd, "matrix", report.MatrixFormats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runMatrix(s, opts)
	}
	return cmd
}

func runMatrix(s *streams, opts *matrixOptions) error {
	if err := opts.output.check(); err != nil {
		return err
	}
	return opts.input.eachNetwork(s, func(l *loaded) error {
		p := l.progress
		m, err := l.eng.Matrix(reach.MatrixOptions{By: opts.by.value, Internet: opts.internet, Ephemeral: opts.ephemeral.value,
			Progress: p.counter("computing the matrix by "+string(opts.by.value), "classes")})
		if err != nil {
			return err
		}
		p.end()
		notes := report.AnswerNotes(l.eng.Notes(), l.in.Diagnostics)
		if key, ok := strings.CutPrefix(string(opts.by.value), "tag:"); ok && !slices.Contains(l.eng.TagKeys(), key) {
			// One "(untagged)" group would read as a flat network.
			msg := fmt.Sprintf("no interface or instance has the tag %s: every interface is in one group", key)
			if keys := l.eng.TagKeys(); len(keys) > 0 {
				msg += "; the tags there are: " + strings.Join(keys, ", ")
			}
			fmt.Fprintf(s.err, "vpcsim: warning: %s\n", msg)
			notes = append(notes, report.Note{Code: "TAG_NOT_FOUND", Severity: "warning", Message: msg})
		}
		err = opts.output.write(s, l.part, func(w io.Writer, format string) error { return report.WriteMatrix(w, m, format, notes...) })
		p.printf("%s in %.1fs", plural(len(m.Groups), "group"), p.since().Seconds())
		return err
	})
}

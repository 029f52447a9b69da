package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

type reportOptions struct {
	input       inputFlags
	from        string
	ephemeral   *ephemeralFlag
	minSeverity string
	failOn      string
	format      *formatFlag
}

func newReportCmd(s *streams) *cobra.Command {
	opts := &reportOptions{}
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Report everything exposed, like an Inspector network reachability assessment",
		Long: `Report computes, exactly, every flow from the internet (or from --from) that
reaches a network interface of the network and gets its replies back, and
reports it per target: each protocol and contiguous port range, the source
blocks that get through, the path (internet gateway, routes, network ACL
rules, security group rules, each with its file:line), a severity, and whether
replies come back for part of the ephemeral port range only.

--from names another source: "on-premises", a CIDR or IP address, or an element
of the network (an instance, interface, subnet, security group or VPC) standing
for its interfaces.

Formats: text, json (stable, documented in docs/report.md), markdown, html (one
self-contained page with a diagram) and sarif (2.1.0, locations at the .tf line
of the rule that opens each exposure).

Exit status: 0 when the report is written; with --fail-on SEVERITY, 3 when a
finding is at least that severe; 1 on an error; 2 on a usage error.`,
		Example: `  # What does the embedded example expose to the internet?
  vpcsim report

  # A SARIF report for code scanning, failing the job on high findings
  vpcsim report --in . --format sarif --fail-on high > vpcsim.sarif

  # What can the app subnet reach?
  vpcsim report --in terraform.tfstate --from module.vpc.aws_subnet.private[0] --format markdown`,
	}
	opts.input.register(cmd, true)
	f := cmd.Flags()
	f.StringVar(&opts.from, "from", "internet", "the `SOURCE`: internet, on-premises, a CIDR or IP, or an element of the network")
	opts.ephemeral = addEphemeralFlag(cmd)
	f.StringVar(&opts.minSeverity, "min-severity", "info", "leave out findings below `SEVERITY` (critical, high, medium, low, info)")
	f.StringVar(&opts.failOn, "fail-on", "", "exit 3 when a finding is at least `SEVERITY`")
	opts.format = addFormatFlag(cmd, report.Formats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runReport(s, opts)
	}
	return cmd
}

func runReport(s *streams, opts *reportOptions) error {
	minSev, err := report.ParseSeverity(opts.minSeverity)
	if err != nil {
		return usageErrorf("--min-severity: %v", err)
	}
	var failOn report.Severity
	if opts.failOn != "" {
		if failOn, err = report.ParseSeverity(opts.failOn); err != nil {
			return usageErrorf("--fail-on: %v", err)
		}
	}
	p := newProgress(s.err)
	return opts.input.eachNetwork(s, func(l *loaded) error {
		return reportOne(s, opts, p, l, minSev, failOn)
	})
}

func reportOne(s *streams, opts *reportOptions, p *progress, l *loaded, minSev, failOn report.Severity) error {
	in, n, e := l.in, l.net, l.eng
	p.printf("loaded %s: %d interfaces; analysing traffic from %s", in.Path, len(n.Interfaces), opts.from)
	a, err := e.Analyze(reach.AnalyzeOptions{From: opts.from, Ephemeral: opts.ephemeral.value})
	if err != nil {
		return err
	}
	p.printf("%d interfaces reached; rating the findings", len(a.Exposures))
	var topo *reach.Topology
	if opts.format.value == "html" {
		topo = e.Topology() // only the HTML page draws the network
	}
	r := report.NewReport(a, topo, in.Path).WithInputNotes(in.Diagnostics).AtLeast(minSev)
	p.printf("%d findings; writing the report", len(r.Findings))
	if err := report.WriteReport(s.out, r, opts.format.value); err != nil {
		return err
	}
	p.printf("done")
	if failOn != 0 && r.Worst() >= failOn {
		fmt.Fprintf(s.err, "vpcsim: the worst finding is %s: failing as --fail-on %s asks\n", r.Worst(), failOn)
		return errViolation
	}
	return nil
}

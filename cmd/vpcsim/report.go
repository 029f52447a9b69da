package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

type reportOptions struct {
	input       inputFlags
	from        string
	excludeSelf bool
	ephemeral   *ephemeralFlag
	minSeverity *severityFlag
	failOn      *severityFlag
	output      *outputFlags
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
for its interfaces. The report then answers "what can it reach": the rest of
the network and its own interfaces too (the app tier from the bastion, both in
the VPC named), each interface reaching the others but not itself;
--exclude-self leaves its own interfaces out.

Formats: text, json (stable, documented in docs/report.md), markdown (for a
pull-request comment; capped, saying what it left out), html (one
self-contained page with a diagram; findings grouped by target and folded) and
sarif (2.1.0, locations at the .tf line of the rule that opens each exposure).
Several at once with --output-dir: --format json,sarif --output-dir out/.

Exit status: 0 when the report is written; with --fail-on SEVERITY, 3 when a
finding is at least that severe; 1 on an error; 2 on a usage error.`,
		Example: `  # What does the embedded example expose to the internet?
  vpcsim report

  # A SARIF report for code scanning, failing the job on high findings
  vpcsim report --in . --format sarif --fail-on high -o vpcsim.sarif

  # JSON and SARIF in one run, for an artifact and for code scanning
  vpcsim report --in . --format json,sarif --output-dir reports/

  # What can the app subnet reach?
  vpcsim report --in terraform.tfstate --from 'module.vpc.aws_subnet.private[0]' --format markdown`,
	}
	opts.input.register(cmd, true)
	f := cmd.Flags()
	f.StringVar(&opts.from, "from", "internet", "the `SOURCE`: internet, on-premises, a CIDR or IP, or an element of the network")
	f.BoolVar(&opts.excludeSelf, "exclude-self", false, "with --from an element or a CIDR, leave out what it reaches among its own interfaces")
	opts.ephemeral = addEphemeralFlag(cmd)
	opts.minSeverity = addSeverityFlag(cmd, "min-severity", report.SeverityInfo, "leave out findings below `SEVERITY` (critical, high, medium, low, info)")
	opts.failOn = addSeverityFlag(cmd, "fail-on", 0, "exit 3 when a finding is at least `SEVERITY` (critical, high, medium, low, info)")
	opts.output = addOutputFlags(cmd, "report", report.Formats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runReport(s, opts)
	}
	return cmd
}

func runReport(s *streams, opts *reportOptions) error {
	if err := opts.output.check(); err != nil {
		return err
	}
	minSev, failOn := opts.minSeverity.value, opts.failOn.value
	if err := checkSeverities(opts.minSeverity, opts.failOn); err != nil {
		return err
	}
	return opts.input.eachNetwork(s, func(l *loaded) error {
		return reportOne(s, opts, l, minSev, failOn)
	})
}

func reportOne(s *streams, opts *reportOptions, l *loaded, minSev, failOn report.Severity) error {
	in, e, p := l.in, l.eng, l.progress
	a, err := e.Analyze(reach.AnalyzeOptions{From: opts.from, Ephemeral: opts.ephemeral.value, ExcludeSelf: opts.excludeSelf,
		Progress: p.counter("analysing traffic from "+opts.from, "walks")})
	if err != nil {
		return err
	}
	p.begin("rating what reaches "+plural(len(a.Exposures), "interface"), 0, "")
	var topo *reach.Topology
	for _, f := range opts.output.formats() {
		if f == "html" {
			topo = e.Topology() // only the HTML page draws the network
		}
	}
	r := report.NewReport(a, topo, in.Path).WithInputNotes(in.Diagnostics).AtLeast(minSev)
	p.begin("writing "+plural(len(r.Findings), "finding"), 0, "")
	err = opts.output.write(s, l.part, func(w io.Writer, format string) error { return report.WriteReport(w, r, format) })
	p.printf("%s on %s in %.1fs", plural(r.Summary.Total, "finding"), plural(r.Summary.Targets, "target"), p.since().Seconds())
	if err != nil {
		return err
	}
	if failOn != 0 && r.Worst() >= failOn {
		fmt.Fprintf(s.err, "vpcsim: the worst finding is %s: failing as --fail-on %s asks\n", r.Worst(), failOn)
		return errViolation
	}
	return nil
}

// checkSeverities refuses a --fail-on below --min-severity: the findings
// it would fail on are the ones --min-severity leaves out, so the job would
// pass whatever they are.
// A --fail-on left at its default is not refused: it fails on what is
// reported.
func checkSeverities(minSev, failOn *severityFlag) error {
	if failOn.set && failOn.value != 0 && failOn.value < minSev.value {
		return usageErrorf("--fail-on %s is below --min-severity %s: the findings it would fail on are left out of the report; lower --min-severity to %s or raise --fail-on", failOn, minSev, failOn)
	}
	return nil
}

// severityFlag is a severity, read with report.ParseSeverity (any case)
// when the flag is set; zero when it is not, or when it is "none" and none
// is allowed.
type severityFlag struct {
	value report.Severity
	none  bool
	// set says the flag was given.
	set bool
}

func (f *severityFlag) String() string {
	if f.value == 0 {
		if f.none {
			return "none"
		}
		return ""
	}
	return f.value.String()
}
func (f *severityFlag) Type() string { return "severity" }
func (f *severityFlag) Set(v string) error {
	f.set = true
	if f.none && strings.EqualFold(strings.TrimSpace(v), "none") {
		f.value = 0
		return nil
	}
	sev, err := report.ParseSeverity(v)
	if err != nil {
		or := ""
		if f.none {
			or = " (or none)"
		}
		return fmt.Errorf("invalid severity %s: want critical, high, medium, low or info%s", quoteBrief(v), or)
	}
	f.value = sev
	return nil
}

func addSeverityFlag(cmd *cobra.Command, name string, def report.Severity, usage string) *severityFlag {
	f := &severityFlag{value: def}
	cmd.Flags().Var(f, name, usage)
	return f
}

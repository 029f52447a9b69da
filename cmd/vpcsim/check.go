package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/intent"
	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/reach"
	"github.com/vpcsim/vpcsim/report"
)

type checkOptions struct {
	input       inputFlags
	intents     []string
	checks      []string
	skip        []string
	ephemeral   *ephemeralFlag
	minSeverity string
	failOn      string
	format      *formatFlag
}

func newCheckCmd(s *streams) *cobra.Command {
	opts := &checkOptions{}
	cmd := &cobra.Command{
		Use:   "check [PATH]... [--intent FILE]...",
		Short: "Review a network design: built-in defect checks and intent files",
		Long: `Check answers "what is wrong with this network?". It runs the built-in
checks — flows security groups allow whose replies never come back, network
ACLs that return part of the ephemeral range, routes that can never carry
traffic, rules that can never match, rules open to the whole internet (exposed
today, or kept closed only by routing or addressing), overlapping connected
VPCs, elements nothing uses — and evaluates the expectations of intent files
(deny, allow, only; docs/intent.md). Every finding names the elements and the
file:line involved, says what to change, and shows a witness: one concrete
packet and its trace.

--check and --skip select and suppress built-in checks by ID ("route-*" selects
every route check; docs/checks.md lists them); --skip '*' runs the intent files
alone.

Formats: text, json (stable, documented in docs/checks.md), markdown, sarif
(2.1.0) and github (GitHub Actions annotations).

Exit status: 0 when everything holds; 3 when a finding is at least --fail-on
(by default any but informational findings, so a clean network exits 0); 1 on
an error (an unreadable input, an intent file with errors); 2 on a usage error.`,
		Example: `  # Review the embedded example network
  vpcsim check

  # Review a state against the team's intent file
  vpcsim check terraform.tfstate --intent network.intent.hcl

  # Only the route checks, as GitHub annotations, failing on high findings
  vpcsim check --in . --check 'route-*' --format github --fail-on high

  # Intents only, as SARIF for code scanning
  vpcsim check --in plan.json --intent policy.hcl --skip '*' --format sarif > vpcsim.sarif`,
	}
	opts.input.register(cmd, true)
	f := cmd.Flags()
	f.StringArrayVar(&opts.intents, "intent", nil, "evaluate the expectations of intent `FILE` (repeatable)")
	f.StringArrayVar(&opts.checks, "check", nil, "run only the built-in check `ID` (repeatable; * is a wildcard); all of them by default")
	f.StringArrayVar(&opts.skip, "skip", nil, "do not run the built-in check `ID` (repeatable; * is a wildcard)")
	opts.ephemeral = addEphemeralFlag(cmd)
	f.StringVar(&opts.minSeverity, "min-severity", "info", "leave out findings below `SEVERITY` (critical, high, medium, low, info)")
	f.StringVar(&opts.failOn, "fail-on", "low", "exit 3 when a finding is at least `SEVERITY` (critical, high, medium, low, info), or never with none")
	opts.format = addFormatFlag(cmd, report.CheckFormats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runCheck(s, opts)
	}
	return cmd
}

func runCheck(s *streams, opts *checkOptions) error {
	minSev, err := report.ParseSeverity(opts.minSeverity)
	if err != nil {
		return usageErrorf("--min-severity: %v", err)
	}
	var failOn report.Severity
	if opts.failOn != "none" {
		if failOn, err = report.ParseSeverity(opts.failOn); err != nil {
			return usageErrorf("--fail-on: %v (or none)", err)
		}
	}
	run, err := selectChecks(opts.checks, opts.skip)
	if err != nil {
		return usageError{err}
	}
	switch {
	case len(opts.checks) > 0 && len(run) == 0:
		return usageErrorf("--skip leaves out every check --check names: nothing to run")
	case len(run) == 0 && len(opts.intents) == 0:
		return usageErrorf("--skip leaves out every built-in check and no --intent file is given: nothing to check")
	}
	// The intent files first: a mistake in one is reported before the
	// network is loaded.
	var files []*intent.File
	var diags model.Diagnostics
	for _, p := range opts.intents {
		f, ds := intent.ParseFile(p)
		diags = append(diags, ds...)
		if f != nil {
			files = append(files, f)
		}
	}
	if diags.HasErrors() {
		return diagnosticsError(s, diags)
	}
	p := newProgress(s.err)
	return opts.input.eachNetwork(s, func(l *loaded) error {
		return checkOne(s, opts, p, l, run, files, diags, minSev, failOn)
	})
}

// checkOne checks one network: the built-in checks run, then every intent
// file, and writes the report.
func checkOne(s *streams, opts *checkOptions, p *progress, l *loaded, run []reach.CheckID, files []*intent.File,
	diags model.Diagnostics, minSev, failOn report.Severity) error {
	in, e := l.in, l.eng
	p.printf("loaded %s and built its data plane: %d interfaces", in.Path, len(l.net.Interfaces))
	var res *reach.CheckResult
	var err error
	if len(run) > 0 {
		if res, err = e.Check(reach.CheckOptions{Checks: run, Ephemeral: opts.ephemeral.value}); err != nil {
			return err
		}
		p.printf("%d built-in checks: %d findings", len(run), len(res.Defects))
	}
	var results []intent.Result
	for _, f := range files {
		rs, ds := intent.Evaluate(e, f, intent.Options{Ephemeral: opts.ephemeral.value})
		results = append(results, rs...)
		diags = append(diags, ds...)
		p.printf("%s: %d expectations", f.Name, len(rs))
	}
	// An expectation that cannot be evaluated (a selector naming nothing in
	// this network) is an error: no partial answer.
	if diags.HasErrors() {
		return diagnosticsError(s, diags)
	}
	if err := hcl.WriteDiagnostics(s.err, diags); err != nil {
		return err
	}
	r := report.NewCheckReport(report.CheckInput{Input: in.Path, Paths: l.paths, Before: opts.input.before, Result: res, Intents: results,
		Diagnostics: diags, Ephemeral: opts.ephemeral.value}).WithInputNotes(in.Diagnostics).AtLeast(minSev)
	if err := report.WriteCheck(s.out, r, opts.format.value); err != nil {
		return err
	}
	if failOn != 0 && r.Worst() >= failOn {
		fmt.Fprintf(s.err, "vpcsim: %s, the worst %s: failing as --fail-on %s asks\n", plural(r.Summary.Findings, "finding"), r.Worst(), failOn)
		return errViolation
	}
	return nil
}

// selectChecks resolves --check and --skip to the checks to run, in their
// documented order.
func selectChecks(only, skip []string) ([]reach.CheckID, error) {
	chosen := []reach.CheckID{}
	if len(only) > 0 {
		ids, err := reach.MatchChecks(only)
		if err != nil {
			return nil, fmt.Errorf("--check: %w", err)
		}
		chosen = ids
	} else {
		for _, c := range reach.Checks {
			chosen = append(chosen, c.ID)
		}
	}
	if len(skip) > 0 {
		ids, err := reach.MatchChecks(skip)
		if err != nil {
			return nil, fmt.Errorf("--skip: %w", err)
		}
		chosen = slices.DeleteFunc(chosen, func(id reach.CheckID) bool { return slices.Contains(ids, id) })
	}
	var out []reach.CheckID
	for _, c := range reach.Checks {
		if slices.Contains(chosen, c.ID) {
			out = append(out, c.ID)
		}
	}
	return out, nil
}

// diagnosticsError prints diagnostics and makes the command exit 1.
func diagnosticsError(s *streams, ds model.Diagnostics) error {
	if err := hcl.WriteDiagnostics(s.err, ds); err != nil {
		return err
	}
	return silentError{fmt.Errorf("%s", strings.TrimSpace(ds.Error()))}
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

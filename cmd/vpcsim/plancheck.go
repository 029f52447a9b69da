package main

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/report"
	"github.com/vpcsim/vpcsim/suppress"
)

type planCheckOptions struct {
	compareFlags
	failOn        string
	failInternal  bool
	baseline      string
	writeBaseline string
	noInline      bool
	today         string
}

func newPlanCheckCmd(s *streams) *cobra.Command {
	opts := &planCheckOptions{}
	cmd := &cobra.Command{
		Use:   "plan-check PLAN.json | --before A --after B",
		Short: "The CI gate: fail when a Terraform plan opens a new exposure",
		Long: `plan-check compares the before and after of a Terraform plan (or any two
inputs, --before A --after B) as 'vpcsim diff' does, and fails only on what the
plan newly opens: an exposure from the internet or an on-premises network that is
new or widened and rated at or above --fail-on (default low: every new exposure
but a ping). Exposures the plan leaves as they were never fail it, even on a
resource it changes.

  --fail-on SEVERITY    critical, high, medium, low or info
  --fail-on any-change  every change of reachability fails, opening or closing,
                        exposures and flows between interfaces alike
  --fail-on none        nothing fails: report only
  --fail-internal       new or widened flows between the network's interfaces fail
                        like exposures, at --fail-on and above

Accepted findings do not fail it, and are reported as suppressed:

  --baseline FILE        a baseline file of accepted findings, written by
                         --write-baseline FILE (atomically) from every finding of
                         the network after the plan; a finding matches an entry of
                         its target, protocol and ports whose sources hold its own,
                         so a rule widened later fails again
  # vpcsim:ignore:SPEC   an inline comment on the resource (or rule block) that
                         opens the exposure: SPEC is a port (22), protocol/port
                         (tcp/22), kind (high-risk-port), fingerprint or *; an
                         optional :exp:YYYY-MM-DD ends it; the rest of the line is
                         the reason. Expired suppressions accept nothing and are
                         reported (docs/ci.md).

A binary plan file is refused: convert it with 'terraform show -json tfplan'.

Formats: text, json, markdown (the pull request comment, under GitHub's 65,536
characters), sarif (2.1.0, baselineState new/updated/unchanged/absent, locations
at the .tf line of the cause) and github (::error file=…,line=…:: annotations).

Exit status: 0 when the plan opens nothing that fails the gate, 3 when it does, 1
on an error, 2 on a usage error.`,
		Example: `  # In CI, after terraform plan -out=tfplan
  terraform show -json tfplan > plan.json
  vpcsim plan-check plan.json --format github
  vpcsim plan-check plan.json --format sarif > vpcsim.sarif
  vpcsim plan-check plan.json --fail-on none --format markdown > comment.md

  # Accept what is exposed today, then fail only on what comes next
  vpcsim plan-check plan.json --write-baseline .vpcsim-baseline.json
  vpcsim plan-check plan.json --baseline .vpcsim-baseline.json --fail-on medium`,
	}
	opts.register(cmd)
	f := cmd.Flags()
	f.StringVar(&opts.failOn, "fail-on", "low", "fail (exit 3) on a new or widened exposure at or above `SEVERITY` (critical, high, medium, low, info), on any-change, or never (none)")
	f.BoolVar(&opts.failInternal, "fail-internal", false, "new or widened flows between the network's interfaces fail like exposures")
	f.StringVar(&opts.baseline, "baseline", "", "accept the findings of the baseline `FILE`")
	f.StringVar(&opts.writeBaseline, "write-baseline", "", "write every finding of the network after the change to the baseline `FILE` (atomically), accepting them")
	f.BoolVar(&opts.noInline, "no-inline", false, "ignore vpcsim:ignore comments in the configuration")
	f.StringVar(&opts.today, "today", "", "judge expiry dates as of `DATE` (YYYY-MM-DD) instead of today, for reproducible runs")
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.args = args
		return runPlanCheck(s, opts)
	}
	return cmd
}

// gateOptions reads --fail-on and --fail-internal.
func (o *planCheckOptions) gateOptions() (report.GateOptions, error) {
	g := report.GateOptions{Internal: o.failInternal}
	switch o.failOn {
	case "any-change":
		g.AnyChange = true
	case "none":
	default:
		sev, err := report.ParseSeverity(o.failOn)
		if err != nil {
			return g, usageErrorf("--fail-on: %v, any-change or none", err)
		}
		g.FailOn = sev
	}
	switch {
	case o.failInternal && o.failOn == "none":
		return g, usageErrorf("--fail-internal makes flows fail the gate, --fail-on none makes nothing fail: give one of them")
	case o.failInternal && o.failOn == "any-change":
		return g, usageErrorf("--fail-on any-change already fails on every flow that changes: --fail-internal adds nothing")
	case o.failInternal && !o.internal:
		return g, usageErrorf("--fail-internal judges flows between interfaces, which --internal=false leaves out")
	case o.failOn == "any-change" && !o.internal:
		return g, usageErrorf("--fail-on any-change judges every flow, which --internal=false leaves out")
	}
	return g, nil
}

func runPlanCheck(s *streams, o *planCheckOptions) error {
	if err := o.check(); err != nil {
		return err
	}
	gate, err := o.gateOptions()
	if err != nil {
		return err
	}
	today := time.Now().UTC()
	if o.today != "" {
		if today, err = time.Parse(time.DateOnly, o.today); err != nil {
			return usageErrorf("--today %q: want a date, YYYY-MM-DD", o.today)
		}
	}
	if o.baseline != "" && o.writeBaseline != "" {
		// --write-baseline judges the plan with the baseline it writes:
		// the other would be ignored.
		return usageErrorf("--baseline reads accepted findings, --write-baseline writes them anew from this plan: give one of them")
	}
	var base *suppress.Baseline
	if o.baseline != "" {
		if base, err = suppress.ReadBaseline(o.baseline); err != nil {
			return err
		}
	}
	if o.writeBaseline != "" {
		// A baseline accepts every finding of the network after the change,
		// not only those of the interfaces the change touches.
		o.full = true
	}
	p := newProgress(s.err)
	r, _, err := o.compare(s, p, "plan-check")
	if err != nil {
		return err
	}
	var inline *suppress.Inline
	if !o.noInline {
		inline = suppress.NewInline(nil, today)
	}
	if o.writeBaseline != "" {
		nb := suppress.BaselineOf(r)
		if err := nb.Write(o.writeBaseline); err != nil {
			return err
		}
		fmt.Fprintf(s.err, "vpcsim: wrote %d accepted findings to %s\n", len(nb.Findings), o.writeBaseline)
		if base, err = suppress.ReadBaseline(o.writeBaseline); err != nil {
			return err
		}
	}
	suppress.Apply(r, inline, base, today).Judge(gate)
	if err := report.WriteDiff(s.out, r, o.format.value); err != nil {
		return err
	}
	if r.Gate.Failed {
		fmt.Fprintf(s.err, "vpcsim: the plan fails the gate: %s\n", r.Gate.Reason)
		return errViolation
	}
	return nil
}

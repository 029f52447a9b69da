package main

import (
	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/report"
)

func newDiffCmd(s *streams) *cobra.Command {
	opts := &compareFlags{}
	cmd := &cobra.Command{
		Use:   "diff [PLAN.json... | --before A --after B]",
		Short: "Compare the reachability of two networks: what a plan opens and closes, and why",
		Long: `diff compares two networks with the exact analysis — the before and after of a
Terraform plan (the JSON of 'terraform show -json'), or any two inputs given with
--before and --after (folders, states, plans; each repeatable to merge several
inputs) — and reports, for every interface (matched by Terraform address, so a
folder, its plan and its state compare):

  - exposures from the internet (and on-premises networks) that are new, widened
    (more sources or client ports), narrowed, closed or unchanged;
  - flows between the network's own interfaces, and from them to the internet,
    that a change opens or closes (--internal=false leaves them out);

each attributed to the changes that cause it — the security group rule, network
ACL rule, route, association or public address on its path — with the Terraform
address and the .tf file and line (from the plan's folder or --config; what the
change deletes, from --before-config). Only the interfaces whose flows the
changes can affect are analysed (--full analyses all; the answer is the same).

Addresses unknown until apply are compared whatever their value: an instance
whose public address becomes unknown keeps its exposures, and the answer says so.

Formats: text, json (documented in docs/report.md), markdown (a pull request
comment), sarif (2.1.0 with baselineState) and github (Actions annotations).
diff always exits 0 when it answered; plan-check is the gate.`,
		Example: `  # What does this plan open or close?
  terraform plan -out=tfplan && terraform show -json tfplan > plan.json
  vpcsim diff plan.json

  # Two states, two folders, or a folder and a state
  vpcsim diff --before prod-old.tfstate --after prod.tfstate
  vpcsim diff --before ../main/infra --after infra --format json`,
	}
	opts.register(cmd)
	cmd.Args = cobra.ArbitraryArgs
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.args = args
		if err := opts.check(); err != nil {
			return err
		}
		p := newProgress(s.err)
		r, _, err := opts.compare(s, p, "diff")
		if err != nil {
			return err
		}
		return report.WriteDiff(s.out, r, opts.format.value)
	}
	return cmd
}

package main

import (
	"io"

	"github.com/spf13/cobra"
)

// streams are the command's standard streams: results go to out, diagnostics
// and progress to err.
type streams struct {
	in       io.Reader
	out, err io.Writer
}

func newRootCmd(s *streams, prof *profiler) *cobra.Command {
	root := &cobra.Command{
		Use:   "vpcsim",
		Short: "Network security simulator and reachability analyzer for AWS VPC designs",
		Long: `vpcsim loads an AWS network from Terraform (a folder of .tf files, a
terraform.tfstate, or the JSON of 'terraform show -json' for a state or a plan)
and explains which flows pass and why, naming the rule, file and line that
decided each hop.

Without --in, commands use an embedded example network, so every command shows
real output at once.

Exit codes: 0 answered (the flow is reachable, the check holds), 1 error (bad
input, unreadable file), 2 usage, 3 the answer is no (unreachable flow,
violated check).`,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(s.in)
	root.SetOut(s.out)
	root.SetErr(s.err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(newInspectCmd(s))
	root.AddCommand(newVersionCmd(s), newTraceCmd(s), newReportCmd(s), newMatrixCmd(s), newGraphCmd(s), newCheckCmd(s))
	root.AddCommand(newDiffCmd(s), newPlanCheckCmd(s))
	root.AddCommand(newGenCmd(s), newVerifyLogsCmd(s), newExportCmd(s))
	prof.register(root)
	return root
}

package main

import (
	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/report"
)

type graphOptions struct {
	input  inputFlags
	format *formatFlag
}

func newGraphCmd(s *streams) *cobra.Command {
	opts := &graphOptions{}
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Draw the network's data plane as DOT or Mermaid",
		Long: `Graph writes the data-plane graph vpcsim analyses — interfaces, subnets, VPCs,
gateways, peering connections, transit gateway route tables and the outside
worlds, with the routes each edge carries — as Graphviz DOT or a Mermaid
flowchart, so that a design can be looked at. Routing loops are drawn in red.`,
		Example: `  # Render with Graphviz
  vpcsim graph --in terraform.tfstate | dot -Tsvg > network.svg

  # Paste into a Markdown document
  vpcsim graph --in . --format mermaid`,
	}
	opts.input.register(cmd, true)
	opts.format = addFormatFlag(cmd, report.GraphFormats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return opts.input.eachNetwork(s, func(l *loaded) error {
			return report.WriteGraph(s.out, l.eng.Topology(), l.eng.Loops(), opts.format.value, report.AnswerNotes(l.eng.Notes(), l.in.Diagnostics)...)
		})
	}
	return cmd
}

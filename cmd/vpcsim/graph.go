package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/report"
)

type graphOptions struct {
	input  inputFlags
	output *outputFlags
}

func newGraphCmd(s *streams) *cobra.Command {
	opts := &graphOptions{}
	cmd := &cobra.Command{
		Use:   "graph",
		Short: "Draw the network's data plane as DOT or Mermaid",
		Long: `Graph writes the data-plane graph vpcsim analyses — interfaces, subnets, VPCs,
gateways, peering connections, transit gateway route tables and the outside
worlds, with the routes each edge carries — as Graphviz DOT or a Mermaid
flowchart, so that a design can be looked at. Routing loops are drawn in red.

Exit status: 0 when the graph is written, 1 on an error, 2 on a usage error.`,
		Example: `  # Render with Graphviz
  vpcsim graph --in terraform.tfstate | dot -Tsvg > network.svg

  # Paste into a Markdown document
  vpcsim graph --in . --format mermaid`,
	}
	opts.input.register(cmd, true)
	opts.output = addOutputFlags(cmd, "graph", report.GraphFormats...)
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		if err := opts.output.check(); err != nil {
			return err
		}
		return opts.input.eachNetwork(s, func(l *loaded) error {
			topo, loops, notes := l.eng.Topology(), l.eng.Loops(), report.AnswerNotes(l.eng.Notes(), l.in.Diagnostics)
			return opts.output.write(s, l.part, func(w io.Writer, format string) error { return report.WriteGraph(w, topo, loops, format, notes...) })
		})
	}
	return cmd
}

package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// TestCLIReference keeps docs/cli-reference.md equal to what the command tree
// says about itself: run go test ./cmd/vpcsim -run TestCLIReference -update
// after changing a command.
func TestCLIReference(t *testing.T) {
	root := newRootCmd(&streams{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}}, &profiler{})
	var b bytes.Buffer
	b.WriteString("# vpcsim command reference\n\n")
	b.WriteString("Generated from the command tree by `go test ./cmd/vpcsim -run TestCLIReference -update`; ")
	b.WriteString("[cli.md](cli.md) explains inputs, exit codes and the JSON outputs.\n")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" || c.Name() == "completion" {
			return
		}
		if c != root {
			fmt.Fprintf(&b, "\n## `%s`\n\n%s\n\n", c.CommandPath(), c.Short)
			fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
			if c.Long != "" {
				b.WriteString(c.Long + "\n\n")
			}
			if c.Example != "" {
				fmt.Fprintf(&b, "Examples:\n\n```\n%s\n```\n\n", c.Example)
			}
			if c.HasAvailableLocalFlags() {
				b.WriteString("| flag | default | meaning |\n|---|---|---|\n")
				c.LocalFlags().VisitAll(func(f *pflag.Flag) {
					name, usage := pflag.UnquoteUsage(f)
					flag := "--" + f.Name
					if name != "" {
						flag += " " + name
					}
					def := f.DefValue
					if def == "[]" || def == "false" {
						def = ""
					}
					fmt.Fprintf(&b, "| `%s` | %s | %s |\n", flag, codeOrEmpty(def), strings.ReplaceAll(usage, "|", `\|`))
				})
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	goldenFile(t, "../../docs/cli-reference.md", b.String())
}

func codeOrEmpty(s string) string {
	if s == "" {
		return ""
	}
	return "`" + s + "`"
}

func TestEveryCommandHasHelpAndExamples(t *testing.T) {
	root := newRootCmd(&streams{in: strings.NewReader(""), out: &bytes.Buffer{}, err: &bytes.Buffer{}}, &profiler{})
	cmds := root.Commands()
	for i := 0; i < len(cmds); i++ {
		c := cmds[i]
		if c.HasSubCommands() {
			cmds = append(cmds, c.Commands()...) // a group: its commands answer
		}
		if c.Name() == "help" || c.Name() == "completion" || c.Name() == "version" {
			continue
		}
		if c.Long == "" || c.Example == "" {
			t.Errorf("%s: every command needs --help text (Long) and examples", c.Name())
		}
		// gen writes a network, not an answer: its output format is a
		// Terraform state.
		if c.Name() != "gen" && !c.HasSubCommands() && c.Flags().Lookup("format") == nil {
			t.Errorf("%s: every command takes --format", c.Name())
		}
	}
}

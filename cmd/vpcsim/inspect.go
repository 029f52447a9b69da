package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/vpcsim/vpcsim/hcl"
	"github.com/vpcsim/vpcsim/model"
)

type inspectOptions struct {
	input  inputFlags
	format *formatFlag
}

func newInspectCmd(s *streams) *cobra.Command {
	opts := &inspectOptions{}
	cmd := &cobra.Command{
		Use:   "inspect",
		Short: "Load a network and summarise what was read",
		Long: `Inspect loads a network from Terraform and prints what it read: the input's
format, the number of elements of each kind (and how many vpcsim synthesised
because AWS creates them implicitly), for a plan the network before and after
it, every diagnostic, the networking resources vpcsim does not model and the
resource types it ignored.

Diagnostics read "file:line:col: severity: element: message". When the load has
errors, inspect prints them on standard error, nothing on standard output, and
exits 1.`,
		Example: `  # Summarise a state file
  vpcsim inspect --in terraform.tfstate

  # Summarise a plan, before and after, as JSON
  terraform plan -out=tfplan
  terraform show -json tfplan > plan.json
  vpcsim inspect --in plan.json --format json

  # Read the current state from standard input
  terraform show -json | vpcsim inspect --in -

  # Evaluate a folder of Terraform configuration, as terraform plan would
  vpcsim inspect --in ./network --var environment=prod --var-file prod.tfvars`,
	}
	opts.input.register(cmd, false)
	opts.format = addFormatFlag(cmd, "text", "json")
	cmd.RunE = func(_ *cobra.Command, args []string) error {
		opts.input.args = args
		return runInspect(s, opts)
	}
	return cmd
}

// runInspect inspects every set of inputs the command line names; it prints
// every diagnostic itself, so it does not count them on stderr.
func runInspect(s *streams, opts *inspectOptions) error {
	sets, err := opts.input.inputSets()
	if err != nil {
		return err
	}
	for _, set := range sets {
		if len(sets) > 1 {
			fmt.Fprintf(s.err, "vpcsim: inspecting %s\n", strings.Join(set, " + "))
		}
		in, err := opts.input.loadSet(s, set)
		if err != nil {
			return err
		}
		if err := inspectOne(s, opts, in); err != nil {
			return err
		}
	}
	return nil
}

func inspectOne(s *streams, opts *inspectOptions, in *hcl.Input) error {
	rep := newInspectReport(in)
	if opts.format.value == "json" {
		enc := json.NewEncoder(s.out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	return rep.writeText(s.out)
}

// inspectReport is the summary inspect prints; its JSON form is documented
// in docs/cli.md and stable.
type inspectReport struct {
	Source           string `json:"source"`
	Format           string `json:"format"`
	TerraformVersion string `json:"terraform_version,omitempty"`
	Region           string `json:"region,omitempty"`
	AccountID        string `json:"account_id,omitempty"`
	// Counts are the network's elements by kind (for a plan, after it),
	// every kind listed.
	Counts []model.KindCount `json:"counts"`
	// BeforeCounts are, for a plan, the prior state's.
	BeforeCounts []model.KindCount `json:"before_counts,omitempty"`
	// Changes count a plan's resource changes by action.
	Changes     map[string]int     `json:"changes,omitempty"`
	Unsupported []unsupportedEntry `json:"unsupported_resources"`
	Ignored     []hcl.IgnoredType  `json:"ignored_types"`
	Diagnostics []model.Diagnostic `json:"diagnostics"`
	Totals      diagnosticTotals   `json:"totals"`
}

type unsupportedEntry struct {
	Address string    `json:"address,omitempty"`
	ID      string    `json:"id,omitempty"`
	Type    string    `json:"type"`
	Pos     model.Pos `json:"pos,omitzero"`
	Reason  string    `json:"reason"`
}

type diagnosticTotals struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notes    int `json:"notes"`
}

func newInspectReport(in *hcl.Input) *inspectReport {
	r := &inspectReport{
		Source: in.Path, Format: in.Format.String(), TerraformVersion: in.TerraformVersion,
		Region: in.Network.Region, AccountID: in.Network.AccountID,
		Counts:      in.Network.Counts(),
		Unsupported: []unsupportedEntry{},
		Ignored:     in.Ignored,
		Diagnostics: in.Diagnostics,
	}
	if r.Ignored == nil {
		r.Ignored = []hcl.IgnoredType{}
	}
	if r.Diagnostics == nil {
		r.Diagnostics = []model.Diagnostic{}
	}
	if in.Before != nil {
		r.BeforeCounts = in.Before.Counts()
		r.Changes = map[string]int{}
		for _, c := range in.Changes {
			r.Changes[c.Action]++
		}
	}
	for _, u := range in.Network.UnsupportedResources {
		e := unsupportedEntry{Address: u.Address, Type: u.Type, Pos: u.Pos, Reason: u.Reason}
		if !u.IsUnknown("id") && u.ID != u.Address {
			e.ID = u.ID
		}
		r.Unsupported = append(r.Unsupported, e)
	}
	for _, d := range in.Diagnostics {
		switch d.Severity {
		case model.SeverityError:
			r.Totals.Errors++
		case model.SeverityWarning:
			r.Totals.Warnings++
		case model.SeverityNote:
			r.Totals.Notes++
		}
	}
	return r
}

func (r *inspectReport) writeText(w io.Writer) error {
	b := &strings.Builder{}
	fmt.Fprintf(b, "source:   %s\n", r.Source)
	format := r.Format
	if r.TerraformVersion != "" {
		format += " (Terraform " + r.TerraformVersion + ")"
	}
	fmt.Fprintf(b, "format:   %s\n", format)
	fmt.Fprintf(b, "region:   %s\n", orDash(r.Region))
	fmt.Fprintf(b, "account:  %s\n", orDash(r.AccountID))
	if r.Changes != nil {
		fmt.Fprintf(b, "changes:  %s\n", changesText(r.Changes))
	}
	b.WriteString("\n")

	tw := tabwriter.NewWriter(b, 0, 0, 2, ' ', tabwriter.AlignRight)
	if r.BeforeCounts != nil {
		fmt.Fprintln(tw, "element\tbefore\tafter\tsynthesised (after)\t")
		for i, c := range r.Counts {
			bc := r.BeforeCounts[i]
			if c.Count == 0 && bc.Count == 0 {
				continue
			}
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t\n", c.Kind, bc.Count, c.Count, zeroBlank(c.Synthetic))
		}
	} else {
		fmt.Fprintln(tw, "element\tcount\tsynthesised\t")
		for _, c := range r.Counts {
			if c.Count == 0 {
				continue
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t\n", c.Kind, c.Count, zeroBlank(c.Synthetic))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// tabwriter aligns every column right; the kind reads better on the
	// left.
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	out := &strings.Builder{}
	for _, l := range lines {
		out.WriteString(strings.TrimRight(leftAlignFirst(l), " "))
		out.WriteByte('\n')
	}

	fmt.Fprintf(out, "\nunsupported resources: %d\n", len(r.Unsupported))
	for _, u := range r.Unsupported {
		name := u.Address
		if name == "" {
			name = u.ID
		}
		fmt.Fprintf(out, "  %s: %s\n", name, u.Reason)
	}
	n := 0
	for _, it := range r.Ignored {
		n += it.Count
	}
	fmt.Fprintf(out, "\nignored: %d resources of %d types\n", n, len(r.Ignored))
	for _, it := range r.Ignored {
		more := ""
		if it.Count > len(it.Addresses) {
			more = fmt.Sprintf(", … %d more", it.Count-len(it.Addresses))
		}
		fmt.Fprintf(out, "  %s (%d): %s — %s%s\n", it.Type, it.Count, it.Reason, strings.Join(it.Addresses, ", "), more)
	}
	fmt.Fprintf(out, "\ndiagnostics: %d errors, %d warnings, %d notes\n", r.Totals.Errors, r.Totals.Warnings, r.Totals.Notes)
	for _, d := range r.Diagnostics {
		fmt.Fprintf(out, "  %s\n", d)
	}
	_, err := io.WriteString(w, out.String())
	return err
}

// leftAlignFirst moves a right-aligned first column of a tabwriter line to
// the left, keeping the line's width.
func leftAlignFirst(l string) string {
	t := strings.TrimLeft(l, " ")
	pad := len(l) - len(t)
	first, rest, ok := strings.Cut(t, " ")
	if !ok {
		return t
	}
	return first + strings.Repeat(" ", pad+1) + rest
}

func changesText(c map[string]int) string {
	if len(c) == 0 {
		return "none"
	}
	var parts []string
	for _, a := range []string{"create", "update", "replace", "delete", "read", "forget"} {
		if c[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", c[a], a))
		}
	}
	for a, n := range c {
		switch a {
		case "create", "update", "replace", "delete", "read", "forget":
		default:
			parts = append(parts, fmt.Sprintf("%d %s", n, a))
		}
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func zeroBlank(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprint(n)
}

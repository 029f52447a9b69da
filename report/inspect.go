package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/vpcsim/vpcsim/model"
)

// Inspection is what `vpcsim inspect` prints about a loaded input: its
// format, the elements read, every diagnostic, and what was not modelled or
// ignored. Its JSON form is documented in docs/cli.md and stable.
type Inspection struct {
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
	Changes     map[string]int `json:"changes,omitempty"`
	Unsupported []Unsupported  `json:"unsupported_resources"`
	Ignored     []IgnoredType  `json:"ignored_types"`
	// UnknownData are the data sources whose values the input does not
	// give (read when applied, or not queried: vpcsim does not call AWS).
	UnknownData []string          `json:"unknown_data_sources"`
	Diagnostics model.Diagnostics `json:"diagnostics"`
	Totals      DiagnosticTotals  `json:"totals"`
}

// Unsupported is a networking resource of the input vpcsim does not model.
type Unsupported struct {
	Address string    `json:"address,omitempty"`
	ID      string    `json:"id,omitempty"`
	Type    string    `json:"type"`
	Pos     model.Pos `json:"pos,omitzero"`
	Reason  string    `json:"reason"`
}

// IgnoredType is a resource type the input holds and vpcsim ignores, with
// the first few of its addresses.
type IgnoredType struct {
	Type      string   `json:"type"`
	Count     int      `json:"count"`
	Addresses []string `json:"addresses"`
	Reason    string   `json:"reason"`
}

// DiagnosticTotals count diagnostics by severity.
type DiagnosticTotals struct {
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Notes    int `json:"notes"`
}

// InspectionFormats are the formats of WriteInspection, the first the
// default.
var InspectionFormats = []string{"text", "json"}

// WriteInspection writes in in format: text or json. The text lists
// elements, unsupported and ignored resources and diagnostics in a fixed
// order, so that the same input always prints the same.
func WriteInspection(w io.Writer, in *Inspection, format string) error {
	switch format {
	case "text", "":
		return writeInspectionText(w, in)
	case "json":
		return writeJSON(w, in)
	}
	return fmt.Errorf("invalid inspect format %q: want %s", format, strings.Join(InspectionFormats, ", "))
}

func writeInspectionText(w io.Writer, r *Inspection) error {
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
	if len(r.UnknownData) > 0 {
		fmt.Fprintf(out, "\ndata sources without values: %d (--data-values gives them)\n", len(r.UnknownData))
		for _, a := range r.UnknownData {
			fmt.Fprintf(out, "  %s\n", a)
		}
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

// planActions are the actions of a plan's changes in the order a summary
// names them; others follow in alphabetical order.
var planActions = []string{"create", "update", "replace", "delete", "read", "forget"}

func changesText(c map[string]int) string {
	if len(c) == 0 {
		return "none"
	}
	var parts []string
	for _, a := range planActions {
		if c[a] > 0 {
			parts = append(parts, fmt.Sprintf("%d to %s", c[a], a))
		}
	}
	var others []string
	for a := range c {
		if !slices.Contains(planActions, a) {
			others = append(others, a)
		}
	}
	slices.Sort(others)
	for _, a := range others {
		parts = append(parts, fmt.Sprintf("%d %s", c[a], a))
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

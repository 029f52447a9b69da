package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vpcsim/vpcsim/reach"
)

// MatrixFormats are the formats of WriteMatrix, the first the default.
var MatrixFormats = []string{"text", "json", "csv", "markdown", "html"}

// WriteMatrix writes a segmentation matrix in format: text (an aligned grid,
// rows the sources, columns the destinations), json (reach.Matrix as is) or
// csv (one row per non-empty cell: from,to,services,partial).
//
// Notes (InputNotes: what the load said about the input) follow the grid of
// text and are the "notes" member of json; csv holds the cells only.
func WriteMatrix(w io.Writer, m *reach.Matrix, format string, notes ...Note) error {
	if m == nil {
		return fmt.Errorf("no matrix to write")
	}
	switch format {
	case "text", "":
		if err := writeMatrixText(w, m); err != nil {
			return err
		}
		tw := &errWriter{w: w}
		writeNotesText(tw, notes)
		return tw.err
	case "json":
		return withNotes(w, m, notes)
	case "csv":
		return writeMatrixCSV(w, m)
	case "markdown":
		return writeMatrixMarkdown(w, m, notes)
	case "html":
		return writeMatrixHTML(w, m, notes)
	}
	return fmt.Errorf("invalid matrix format %q: want %s", format, strings.Join(MatrixFormats, ", "))
}

// cellText is what a grid cell shows: the services, "-" for nothing, and a
// trailing "*" when some of them pass for part of the client ports only.
func cellText(c *reach.Cell) string {
	if c == nil || len(c.Services) == 0 {
		return "-"
	}
	s := serviceText(c.Services, ", ")
	if c.Partial {
		s += " *"
	}
	return s
}

// longLabel is the length from which a group's name is too long for a
// column header: the grid then shows short labels (S1, S2…) and a legend.
const longLabel = 16

// matrixLabels gives each group the label its row and column show: its name
// when every name is short, else a short label from the grouping's initial
// and its position (S1 for the first subnet); the legend pairs them. The
// internet row keeps its name.
func matrixLabels(m *reach.Matrix) (labels map[string]string, legend [][2]string) {
	labels = map[string]string{}
	long := false
	for _, g := range m.Groups {
		long = long || utf8.RuneCountInString(g) > longLabel
	}
	prefix := "G"
	switch {
	case m.By == reach.BySubnet:
		prefix = "S"
	case m.By == reach.BySecurityGroup:
		prefix = "SG"
	case m.By == reach.ByVPC:
		prefix = "V"
	case strings.HasPrefix(string(m.By), "tag:"):
		prefix = "T"
	}
	for i, g := range m.Groups {
		labels[g] = g
		if long {
			labels[g] = prefix + strconv.Itoa(i+1)
			legend = append(legend, [2]string{labels[g], g})
		}
	}
	return labels, legend
}

// matrixCells indexes the cells by their ends, and says whether one passes
// for part of the client ports.
func matrixCells(m *reach.Matrix) (map[[2]string]*reach.Cell, bool) {
	cells := map[[2]string]*reach.Cell{}
	partial := false
	for i := range m.Cells {
		c := &m.Cells[i]
		cells[[2]string{c.From, c.To}] = c
		partial = partial || c.Partial && len(c.Services) > 0
	}
	return cells, partial
}

func label(labels map[string]string, g string) string {
	if l, ok := labels[g]; ok {
		return l
	}
	return g
}

func writeMatrixText(w io.Writer, m *reach.Matrix) error {
	tw := &errWriter{w: w}
	cells, partial := matrixCells(m)
	labels, legend := matrixLabels(m)
	corner := "from \\ to"
	if m.By != "" {
		corner = fmt.Sprintf("from \\ to (by %s)", m.By)
	}
	header := []string{corner}
	for _, g := range m.Groups {
		header = append(header, labels[g])
	}
	table := [][]string{header}
	for _, row := range m.Rows {
		line := []string{label(labels, row)}
		for _, col := range m.Groups {
			line = append(line, cellText(cells[[2]string{row, col}]))
		}
		table = append(table, line)
	}
	widths := make([]int, len(table[0]))
	for _, line := range table {
		for i, s := range line {
			widths[i] = max(widths[i], utf8.RuneCountInString(s))
		}
	}
	for _, line := range table {
		var b strings.Builder
		for i, s := range line {
			if i == len(line)-1 {
				b.WriteString(s)
				break
			}
			b.WriteString(s)
			b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(s)+2))
		}
		tw.printf("%s\n", strings.TrimRight(b.String(), " "))
	}
	if len(m.Groups) == 0 {
		tw.printf("(the network has no interfaces to group)\n")
	}
	if partial {
		tw.printf("\n* passes for part of the client's ephemeral ports only\n")
	}
	if len(legend) > 0 {
		tw.printf("\n")
		width := 0
		for _, l := range legend {
			width = max(width, len(l[0]))
		}
		for _, l := range legend {
			tw.printf("%-*s  %s\n", width, l[0], l[1])
		}
	}
	return tw.err
}

// writeMatrixMarkdown writes the grid as a Markdown table with the short
// labels of the text grid, then the legend and the notes.
func writeMatrixMarkdown(w io.Writer, m *reach.Matrix, notes []Note) error {
	tw := &errWriter{w: w}
	cells, partial := matrixCells(m)
	labels, legend := matrixLabels(m)
	tw.printf("# vpcsim segmentation matrix\n\n")
	if m.By != "" {
		tw.printf("Grouped by %s; rows are the sources, columns the destinations.\n\n", mdCode(string(m.By)))
	}
	if len(m.Groups) == 0 {
		tw.printf("The network has no interfaces to group.\n")
	} else {
		tw.printf("| from \\ to |")
		for _, g := range m.Groups {
			tw.printf(" %s |", mdText(labels[g]))
		}
		tw.printf("\n|---|%s\n", strings.Repeat("---|", len(m.Groups)))
		for _, row := range m.Rows {
			tw.printf("| **%s** |", mdText(label(labels, row)))
			for _, col := range m.Groups {
				tw.printf(" %s |", mdText(cellText(cells[[2]string{row, col}])))
			}
			tw.printf("\n")
		}
	}
	if partial {
		tw.printf("\n\\* passes for part of the client's ephemeral ports only\n")
	}
	if len(legend) > 0 {
		tw.printf("\n| label | group |\n|---|---|\n")
		for _, l := range legend {
			tw.printf("| %s | %s |\n", l[0], mdCode(l[1]))
		}
	}
	if len(notes) > 0 {
		tw.printf("\n## Notes\n\n")
		for _, n := range notes {
			tw.printf("- %s: %s\n", mdCode(n.Code), mdText(noteText(n)))
		}
	}
	return tw.err
}

// writeMatrixCSV writes one record per non-empty cell; services are joined
// with "; " so that the record keeps four fields.
func writeMatrixCSV(w io.Writer, m *reach.Matrix) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"from", "to", "services", "partial"}); err != nil {
		return err
	}
	for _, c := range m.Cells {
		if len(c.Services) == 0 {
			continue
		}
		if err := cw.Write([]string{c.From, c.To, serviceText(c.Services, "; "), strconv.FormatBool(c.Partial)}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// serviceText joins a cell's services with sep.
func serviceText(svcs []reach.Service, sep string) string {
	ss := make([]string, len(svcs))
	for i, sv := range svcs {
		ss[i] = sv.String()
	}
	return strings.Join(ss, sep)
}

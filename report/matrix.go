package report

import (
	"bufio"
	"bytes"
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
// rows the sources, columns the destinations, long group names shown as
// short labels with a legend), json (reach.Matrix as is), csv (one row per
// non-empty cell: from,to,services,partial,caveats), markdown (the grid as a
// table) or html (a self-contained heat map).
// A cell whose paths cross an element outside the input or a value unknown
// until apply says so: marked "!" in the grid with its caveats listed under
// it, in "caveats" in json and csv.
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
	if len(c.Caveats) > 0 {
		s += " !"
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

// label is g's label, or g (the internet row).
func label(labels map[string]string, g string) string {
	if l, ok := labels[g]; ok {
		return l
	}
	return g
}

// writeMatrixText writes the grid line by line: a subnet matrix of a large
// estate is millions of cells, nearly all empty.
func writeMatrixText(w io.Writer, m *reach.Matrix) error {
	rows, cols := indexOf(m.Rows), indexOf(m.Groups)
	// grid[r] holds the texts of row r's cells by column; the rest are "-".
	grid := make([]map[int]string, len(m.Rows))
	partial := false
	for i := range m.Cells {
		c := &m.Cells[i]
		partial = partial || c.Partial && len(c.Services) > 0
		text := cellText(c)
		for _, r := range rows[c.From] {
			for _, k := range cols[c.To] {
				if grid[r] == nil {
					grid[r] = map[int]string{}
				}
				grid[r][k] = text
			}
		}
	}
	corner := "from \\ to"
	if m.By != "" {
		corner = fmt.Sprintf("from \\ to (by %s)", m.By)
	}
	labels, legend := matrixLabels(m)
	widths := make([]int, len(m.Groups)+1)
	widths[0] = utf8.RuneCountInString(corner)
	for k, g := range m.Groups {
		widths[k+1] = utf8.RuneCountInString(labels[g])
	}
	filled := make([]int, len(m.Groups))
	for r, row := range m.Rows {
		widths[0] = max(widths[0], utf8.RuneCountInString(label(labels, row)))
		for k, text := range grid[r] {
			widths[k+1] = max(widths[k+1], utf8.RuneCountInString(text))
			filled[k]++
		}
	}
	for k, n := range filled {
		if n < len(m.Rows) {
			widths[k+1] = max(widths[k+1], 1) // a "-"
		}
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	writeLine := func(cell func(i int) string) {
		line = line[:0]
		for i := range widths {
			s := cell(i)
			line = append(line, s...)
			if i < len(widths)-1 {
				for range widths[i] - utf8.RuneCountInString(s) + 2 {
					line = append(line, ' ')
				}
			}
		}
		line = append(bytes.TrimRight(line, " "), '\n')
		_, _ = bw.Write(line) // the error sticks in bw
	}
	writeLine(func(i int) string {
		if i == 0 {
			return corner
		}
		return labels[m.Groups[i-1]]
	})
	for r, row := range m.Rows {
		writeLine(func(i int) string {
			if i == 0 {
				return label(labels, row)
			}
			if text, ok := grid[r][i-1]; ok {
				return text
			}
			return "-"
		})
	}
	if len(m.Groups) == 0 {
		_, _ = bw.WriteString("(the network has no interfaces to group)\n")
	}
	if partial {
		_, _ = bw.WriteString("\n* passes for part of the client's ephemeral ports only\n")
	}
	if len(legend) > 0 {
		_, _ = bw.WriteString("\n")
		width := 0
		for _, l := range legend {
			width = max(width, len(l[0]))
		}
		for _, l := range legend {
			_, _ = fmt.Fprintf(bw, "%-*s  %s\n", width, l[0], l[1])
		}
	}
	first := true
	for _, c := range m.Cells {
		if len(c.Services) == 0 || len(c.Caveats) == 0 {
			continue
		}
		if first {
			_, _ = bw.WriteString("\n! depends on what the input does not give:\n")
			first = false
		}
		for _, cv := range c.Caveats {
			_, _ = fmt.Fprintf(bw, "  %s -> %s: %s\n", c.From, c.To, cv)
		}
	}
	return bw.Flush()
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
	first := true
	for _, c := range m.Cells {
		if len(c.Services) == 0 || len(c.Caveats) == 0 {
			continue
		}
		if first {
			tw.printf("\n! depends on what the input does not give:\n\n")
			first = false
		}
		for _, cv := range c.Caveats {
			tw.printf("- %s → %s: %s\n", mdCode(c.From), mdCode(c.To), mdText(cv))
		}
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

// indexOf maps each name to its positions in names.
func indexOf(names []string) map[string][]int {
	out := make(map[string][]int, len(names))
	for i, n := range names {
		out[n] = append(out[n], i)
	}
	return out
}

// writeMatrixCSV writes one record per non-empty cell; services and caveats
// are joined with "; " so that the record keeps five fields.
func writeMatrixCSV(w io.Writer, m *reach.Matrix) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"from", "to", "services", "partial", "caveats"}); err != nil {
		return err
	}
	for _, c := range m.Cells {
		if len(c.Services) == 0 {
			continue
		}
		if err := cw.Write([]string{c.From, c.To, serviceText(c.Services, "; "), strconv.FormatBool(c.Partial), strings.Join(c.Caveats, "; ")}); err != nil {
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

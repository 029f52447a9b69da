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
var MatrixFormats = []string{"text", "json", "csv"}

// WriteMatrix writes a segmentation matrix in format: text (an aligned grid,
// rows the sources, columns the destinations), json (reach.Matrix as is) or
// csv (one row per non-empty cell: from,to,services,partial,caveats).
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

func writeMatrixText(w io.Writer, m *reach.Matrix) error {
	tw := &errWriter{w: w}
	cells := map[[2]string]*reach.Cell{}
	partial := false
	for i := range m.Cells {
		c := &m.Cells[i]
		cells[[2]string{c.From, c.To}] = c
		partial = partial || c.Partial && len(c.Services) > 0
	}
	corner := "from \\ to"
	if m.By != "" {
		corner = fmt.Sprintf("from \\ to (by %s)", m.By)
	}
	table := [][]string{append([]string{corner}, m.Groups...)}
	for _, row := range m.Rows {
		line := []string{row}
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
	first := true
	for _, c := range m.Cells {
		if len(c.Services) == 0 || len(c.Caveats) == 0 {
			continue
		}
		if first {
			tw.printf("\n! depends on what the input does not give:\n")
			first = false
		}
		for _, cv := range c.Caveats {
			tw.printf("  %s -> %s: %s\n", c.From, c.To, cv)
		}
	}
	return tw.err
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

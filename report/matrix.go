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
var MatrixFormats = []string{"text", "json", "csv"}

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
	widths := make([]int, len(m.Groups)+1)
	widths[0] = utf8.RuneCountInString(corner)
	for k, g := range m.Groups {
		widths[k+1] = utf8.RuneCountInString(g)
	}
	filled := make([]int, len(m.Groups))
	for r, row := range m.Rows {
		widths[0] = max(widths[0], utf8.RuneCountInString(row))
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
		return m.Groups[i-1]
	})
	for r, row := range m.Rows {
		writeLine(func(i int) string {
			if i == 0 {
				return row
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
	return bw.Flush()
}

// indexOf maps each name to its positions in names.
func indexOf(names []string) map[string][]int {
	out := make(map[string][]int, len(names))
	for i, n := range names {
		out[n] = append(out[n], i)
	}
	return out
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

package report

import (
	"fmt"
	"html/template"
	"io"

	"github.com/vpcsim/vpcsim/reach"
)

// matrixHTMLCell is one cell of the heat map.
type matrixHTMLCell struct {
	Text  string
	Title string
	// Heat is 0 (nothing passes) to 4 (every protocol and port).
	Heat int
}

type matrixHTMLRow struct {
	Label, Name string
	Cells       []matrixHTMLCell
}

// heat rates how open a cell is, for its colour: the number of services,
// every protocol or a port range of a thousand ports or more the hottest.
func heat(c *reach.Cell) int {
	if c == nil || len(c.Services) == 0 {
		return 0
	}
	for _, sv := range c.Services {
		p, single := sv.Protocols.Single()
		if sv.Protocols.IsAll() || single && p.HasPorts() && sv.Ports.Size() >= 1000 {
			return 4
		}
	}
	return min(3, len(c.Services))
}

// writeMatrixHTML writes the matrix as one self-contained page: a heat map,
// rows the sources and columns the destinations under their short labels,
// each cell's colour how much passes and its hover text the groups in full
// and the services; then the legend and the notes.
func writeMatrixHTML(w io.Writer, m *reach.Matrix, notes []Note) error {
	cells, partial := matrixCells(m)
	labels, legend := matrixLabels(m)
	var cols [][2]string
	for _, g := range m.Groups {
		cols = append(cols, [2]string{labels[g], g})
	}
	var rows []matrixHTMLRow
	for _, row := range m.Rows {
		r := matrixHTMLRow{Label: label(labels, row), Name: row}
		for _, col := range m.Groups {
			c := cells[[2]string{row, col}]
			text := cellText(c)
			r.Cells = append(r.Cells, matrixHTMLCell{Text: text, Heat: heat(c),
				Title: fmt.Sprintf("from %s\nto %s\n%s", row, col, text)})
		}
		rows = append(rows, r)
	}
	return matrixPage.Execute(w, map[string]any{"By": string(m.By), "Cols": cols, "Rows": rows, "Legend": legend,
		"Partial": partial, "Notes": notes, "Version": Version()})
}

var matrixPage = template.Must(template.New("matrix").Funcs(htmlFuncs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="vpcsim {{.Version}}">
<title>vpcsim segmentation matrix</title>
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; }
table.grid { border-collapse: collapse; }
table.grid th, table.grid td { border: 1px solid #ddd; padding: 4px 8px; text-align: center; white-space: nowrap; }
table.grid th.row { text-align: left; }
table.grid td { font-family: ui-monospace, monospace; font-size: 12px; cursor: default; max-width: 16em; overflow: hidden; text-overflow: ellipsis; }
td.h0 { background: #f7f7f7; color: #999; }
td.h1 { background: #fde0c5; }
td.h2 { background: #facba6; }
td.h3 { background: #f59e72; }
td.h4 { background: #d63c3c; color: #fff; }
td:hover { outline: 2px solid #333; }
.legend td, .legend th { text-align: left; padding: 2px 8px; }
.scale span { display: inline-block; padding: 2px 8px; margin-right: 4px; }
</style>
</head>
<body>
<h1>vpcsim segmentation matrix</h1>
<p>{{if .By}}Grouped by <code>{{.By}}</code>; {{end}}rows are the sources, columns the destinations. Hover over a cell for the groups in full and what passes.</p>
<p class="scale"><span class="h0" style="background:#f7f7f7">nothing</span><span style="background:#fde0c5">1 service</span><span style="background:#facba6">2</span><span style="background:#f59e72">3 or more</span><span style="background:#d63c3c;color:#fff">every protocol, or 1,000 ports or more</span></p>
{{if .Cols}}
<table class="grid">
<tr><th>from \ to</th>{{range .Cols}}<th title="{{index . 1}}">{{index . 0}}</th>{{end}}</tr>
{{range .Rows}}<tr><th class="row" title="{{.Name}}">{{.Label}}</th>{{range .Cells}}<td class="h{{.Heat}}" title="{{.Title}}">{{.Text}}</td>{{end}}</tr>
{{end}}</table>
{{else}}<p>The network has no interfaces to group.</p>{{end}}
{{if .Partial}}<p>* passes for part of the client's ephemeral ports only</p>{{end}}
{{if .Legend}}<h2>Legend</h2>
<table class="legend">{{range .Legend}}<tr><th>{{index . 0}}</th><td><code>{{index . 1}}</code></td></tr>{{end}}</table>{{end}}
{{if .Notes}}<h2>Notes</h2>
<ul>{{range .Notes}}<li><code>{{.Code}}</code>: {{.Message}}</li>{{end}}</ul>{{end}}
</body>
</html>
`))

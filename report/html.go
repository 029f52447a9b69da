package report

import (
	"html/template"
	"io"
	"strconv"
	"strings"
)

// writeReportHTML writes the report as one self-contained page: inline CSS,
// an inline SVG diagram, no script, no fetch. It reads in any browser, from
// a CI artifact or an e-mail attachment, and prints.
//
// A large report stays usable in a browser: past htmlFullPaths findings
// the rows keep the rules that decide them but not every step of their
// path, and past htmlRows findings the page shows the most severe ones
// and counts the others, which the JSON and SARIF outputs hold.
func writeReportHTML(w io.Writer, r *Report) error {
	data := htmlData{R: r, Diagram: buildDiagram(r), FullPaths: len(r.Findings) <= htmlFullPaths}
	for _, s := range Severities {
		data.Counts = append(data.Counts, sevCount{Name: s.String(), Count: r.Summary.Count(s)})
	}
	for i := range r.Findings {
		if i == htmlRows {
			data.LeftOut = len(r.Findings) - i
			left := map[Severity]int{}
			for _, f := range r.Findings[i:] {
				left[f.Severity]++
			}
			var by []string
			for _, s := range Severities {
				if left[s] > 0 {
					by = append(by, strconv.Itoa(left[s])+" "+s.String())
				}
			}
			data.LeftOutBy = strings.Join(by, ", ")
			break
		}
		f := &r.Findings[i]
		data.Rows = append(data.Rows, htmlRow{N: i + 1, F: f, Key: keySteps(f.Path)})
	}
	return htmlPage.Execute(w, data)
}

// htmlFullPaths and htmlRows are the sizes from which the HTML report
// leaves out every finding's full path, and then the least severe findings.
const (
	htmlFullPaths = 500
	htmlRows      = 2000
)

type htmlData struct {
	R       *Report
	Counts  []sevCount
	Rows    []htmlRow
	Diagram *diagram
	// FullPaths says whether rows fold out every step of their path.
	FullPaths bool
	// LeftOut counts the findings past the page's rows, by severity too.
	LeftOut int
	// LeftOutBy says how severe they are: "538 low".
	LeftOutBy string
}

type sevCount struct {
	Name  string
	Count int
}

type htmlRow struct {
	N   int
	F   *Finding
	Key []Step
}

var htmlFuncs = template.FuncMap{
	"noteWhere": noteWhere,
	"join":      strings.Join,
	"summary":   summaryText,
	"partial":   partialText,
	"num":       func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) },
	"many":      func(s []string) bool { return len(s) > 4 },
	"severities": func() []string {
		var out []string
		for _, s := range Severities {
			out = append(out, s.String())
		}
		return out
	},
}

var htmlPage = template.Must(template.New("report").Funcs(htmlFuncs).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vpcsim exposure report{{if .R.Input}}: {{.R.Input}}{{end}}</title>
<style>
:root { --critical:#a4001d; --high:#d9480f; --medium:#c98a00; --low:#1c6fb0; --info:#6b7280; --ink:#1f2933; --muted:#5f6b7a; --line:#d8dee6; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #f7f9fb; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.meta b { color: var(--ink); }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 8px 0 4px; }
.card { min-width: 112px; padding: 10px 14px; border-radius: 8px; background: #fff; border: 1px solid var(--line); border-top: 4px solid var(--c); }
.card .n { font-size: 24px; font-weight: 700; color: var(--c); }
.card .l { color: var(--muted); text-transform: uppercase; font-size: 11px; letter-spacing: .06em; }
.card.zero .n { color: #b8c0cc; }
.c-critical { --c: var(--critical); } .c-high { --c: var(--high); } .c-medium { --c: var(--medium); } .c-low { --c: var(--low); } .c-info { --c: var(--info); }
.panel { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; overflow-x: auto; }
.caption { color: var(--muted); font-size: 12px; margin: 6px 2px 0; }
.legend { display: flex; flex-wrap: wrap; gap: 14px; font-size: 12px; color: var(--muted); margin: 0 2px 8px; }
.legend span::before { content: ""; display: inline-block; width: 18px; height: 4px; margin-right: 6px; vertical-align: middle; background: var(--c); border-radius: 2px; }
table#findings { width: 100%; border-collapse: collapse; background: #fff; border: 1px solid var(--line); }
#findings th { text-align: left; font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); background: #eef2f6; padding: 8px 10px; border-bottom: 1px solid var(--line); }
#findings td { vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); }
#findings tr.finding td:first-child { border-left: 4px solid var(--c); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 11px; font-weight: 700; text-transform: uppercase; letter-spacing: .04em; color: #fff; background: var(--c); }
.sub { color: var(--muted); font-size: 12px; }
.why { max-width: 320px; }
.warn { color: var(--high); font-weight: 600; }
ul.path { list-style: none; margin: 0; padding: 0; }
ul.path li { margin: 0 0 3px; }
.dir { display: inline-block; min-width: 52px; color: var(--muted); font-size: 11px; text-transform: uppercase; }
.where { color: #0b5394; white-space: nowrap; }
details summary { cursor: pointer; color: var(--muted); font-size: 12px; }
details ol { margin: 4px 0 0; padding-left: 20px; font-size: 12px; }
.notes li { margin-bottom: 4px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
svg text { font: 11px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; fill: var(--ink); }
svg .vpc { fill: #f3f7fd; stroke: #3b6fb6; stroke-width: 1.5; }
svg .subnet { fill: #fbfdf7; stroke: #7a9b4c; stroke-dasharray: 5 3; }
svg .subnet-title { fill: #eef4e3; }
svg .subnet-title.on-path { fill: #fde8d9; }
svg .box-label { font-weight: 600; }
svg .node { fill: #fff; stroke: #8795a8; }
svg .node.k-internet, svg .node.k-on-premises, svg .node.k-aws-service { fill: #e8f0fb; stroke: #3b6fb6; }
svg .node.k-internet-gateway, svg .node.k-egress-only-internet-gateway, svg .node.k-nat-gateway, svg .node.k-vpn-gateway, svg .node.k-vpc-endpoint { fill: #fdf3e1; stroke: #c98a00; }
svg .node.k-vpc, svg .node.k-transit-gateway-route-table, svg .node.k-vpc-peering-connection { fill: #f0f1f4; }
svg .node.on-path { stroke: var(--high); stroke-width: 2; }
svg .node.target { stroke-width: 2.5; stroke: var(--c); fill: #fff5f2; }
svg .node.more { fill: none; stroke: none; }
svg .node.more + text { fill: var(--muted); font-style: italic; }
svg .edge { stroke: #b3bcc8; stroke-width: 1.2; fill: none; }
svg .edge.hot { stroke: var(--c); stroke-width: 3; opacity: .9; }
svg .sev-critical { --c: var(--critical); } svg .sev-high { --c: var(--high); } svg .sev-medium { --c: var(--medium); } svg .sev-low { --c: var(--low); } svg .sev-info { --c: var(--info); }
tr.sev-critical, .sev-critical { --c: var(--critical); } tr.sev-high, .sev-high { --c: var(--high); } tr.sev-medium, .sev-medium { --c: var(--medium); } tr.sev-low, .sev-low { --c: var(--low); } tr.sev-info, .sev-info { --c: var(--info); }
@media print { body { background: #fff; padding: 0; } .panel { border: none; } }
</style>
</head>
<body>
<header>
<h1>vpcsim exposure report</h1>
<p class="meta">{{if .R.Input}}Input <b class="mono">{{.R.Input}}</b> · {{end}}Source <b>{{.R.Source}}</b> · {{summary .R}}</p>
</header>

<section id="summary">
<div class="cards">
{{- range .Counts}}
<div class="card c-{{.Name}}{{if not .Count}} zero{{end}}"><div class="n">{{.Count}}</div><div class="l">{{.Name}}</div></div>
{{- end}}
<div class="card"><div class="n">{{.R.Summary.Targets}}</div><div class="l">targets</div></div>
{{- if .R.Summary.Partial}}
<div class="card c-high"><div class="n">{{.R.Summary.Partial}}</div><div class="l">partial</div></div>
{{- end}}
</div>
</section>

{{with .Diagram -}}
<section id="diagram">
<h2>Estate</h2>
<div class="legend"><span class="sev-critical">critical</span><span class="sev-high">high</span><span class="sev-medium">medium</span><span class="sev-low">low</span><span class="sev-info">info</span><span style="--c:#b3bcc8">route</span></div>
<div class="panel">
<svg xmlns="http://www.w3.org/2000/svg" width="{{num .Width}}" height="{{num .Height}}" viewBox="0 0 {{num .Width}} {{num .Height}}" role="img" aria-label="Diagram of the estate with exposed paths highlighted">
<defs>
{{- range $s := severities}}
<marker id="arrow-{{$s}}" class="sev-{{$s}}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" style="fill: var(--c)"/></marker>
{{- end}}
</defs>
{{- range .Boxes}}
<g class="box"><title>{{.Title}}</title>
<rect class="{{.Class}}" x="{{num .X}}" y="{{num .Y}}" width="{{num .W}}" height="{{num .H}}" rx="8"/>
{{- if eq .Class "subnet"}}
<rect class="subnet-title{{if .OnPath}} on-path{{end}}" x="{{num .X}}" y="{{num .Y}}" width="{{num .W}}" height="22" rx="8"/>
{{- end}}
<text class="box-label" x="{{num .X}}" y="{{num .Y}}" dx="10" dy="15">{{.Label}}</text>
</g>
{{- end}}
{{- range .Edges}}
<line class="{{.Class}}" x1="{{num .X1}}" y1="{{num .Y1}}" x2="{{num .X2}}" y2="{{num .Y2}}"{{if .Arrow}} marker-end="url(#arrow-{{.Sev}})"{{end}}/>
{{- end}}
{{- range .Nodes}}
<g><title>{{.Title}}</title>
<rect class="{{.Class}}" x="{{num .X}}" y="{{num .Y}}" width="{{num .W}}" height="{{num .H}}" rx="12"/>
<text x="{{num .TextX}}" y="{{num .TextY}}" text-anchor="middle">{{.Label}}</text>
</g>
{{- end}}
</svg>
{{- with .Caption}}
<p class="caption">{{.}}</p>
{{- end}}
</div>
</section>
{{- end}}

<section id="findings-section">
<h2>Findings</h2>
{{- if not .Rows}}
<p>Nothing is reachable from {{.R.SourceText}}.</p>
{{- end}}
<table id="findings">
<thead><tr><th>#</th><th>Severity</th><th>Target</th><th>Service</th><th>Sources</th><th>Why</th><th>Path</th></tr></thead>
<tbody>
{{- range .Rows}}
{{- $f := .F}}
<tr class="finding sev-{{$f.Severity}}" id="finding-{{$f.Fingerprint}}" data-severity="{{$f.Severity}}" data-target="{{$f.Target}}" data-protocol="{{$f.Protocol}}" data-from-port="{{$f.FromPort}}" data-to-port="{{$f.ToPort}}">
<td>{{.N}}</td>
<td><span class="badge">{{$f.Severity}}</span></td>
<td><code class="target">{{$f.Target}}</code><div class="sub">{{$f.TargetKind}}{{if ne $f.Interface $f.Target}} · via <code>{{$f.Interface}}</code>{{end}}{{with $f.Subnet}} · {{.}}{{end}}</div>
<div class="sub">to {{join $f.Destinations ", "}}{{if $f.Placeholder}} (placeholder: unknown until apply){{end}}</div></td>
<td class="service"><b>{{$f.ServiceText}}</b>{{with $f.Service}}<div class="sub">{{.}}</div>{{end}}</td>
<td class="sources">{{$f.SourcesSummary}}{{if many $f.Sources}}<details><summary>{{len $f.Sources}} blocks</summary><div class="mono">{{join $f.Sources " "}}</div></details>{{else if ne $f.SourcesSummary (join $f.Sources ", ")}}<div class="sub mono">{{join $f.Sources " "}}</div>{{end}}</td>
<td class="why">{{$f.SeverityReason}}{{if $f.Partial}}<div class="warn">{{partial $f}}</div>{{end}}{{range $f.Notes}}<div class="sub">note: {{.Message}}</div>{{end}}</td>
<td class="path"><ul class="path">
{{- range .Key}}{{$s := .}}{{range .Rules}}
<li><span class="dir">{{$s.Direction}}</span> <code>{{.Owner}}</code>: {{.Text}} <span class="where mono">{{.Where}}</span></li>
{{- end}}{{end}}
</ul>
{{- if $.FullPaths}}
<details><summary>full path ({{len $f.Path}} steps)</summary><ol>
{{- range $f.Path}}
<li><span class="dir">{{.Direction}}</span> {{.ComponentKind}} <code>{{.Component}}</code>: {{.Decision}}{{with .Detail}} — {{.}}{{end}}{{range .Rules}}<br><code>{{.Text}}</code> <span class="where mono">{{.Where}}</span>{{end}}</li>
{{- end}}
</ol></details>
{{- end}}</td>
</tr>
{{- end}}
{{- if .LeftOut}}
<tr id="left-out"><td colspan="7">{{.LeftOut}} more findings, less severe, are not shown ({{.LeftOutBy}}): the JSON and SARIF outputs have every one.</td></tr>
{{- end}}
</tbody>
</table>
{{- if not .FullPaths}}
<p class="sub">With {{len .R.Findings}} findings, each row shows the rules that decide it, not every step of its path: <code>vpcsim trace</code> follows one.</p>
{{- end}}
</section>
{{- if .R.Notes}}

<section id="notes">
<h2>Notes</h2>
<ul class="notes">
{{- range .R.Notes}}
<li><code>{{.Code}}</code> {{with noteWhere .}}<code>{{.}}</code>: {{end}}{{with .Component}}<code>{{.}}</code>: {{end}}{{.Message}}</li>
{{- end}}
</ul>
</section>
{{- end}}

<footer>Generated by vpcsim. Severities follow the policy in docs/report.md; every verdict and rule comes from the exact analysis of the network.</footer>
</body>
</html>
`))

package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/packet/flowlog/verify"
)

// VerifyFormats are the formats of WriteVerify, the first the default.
var VerifyFormats = []string{"text", "json", "csv", "markdown"}

// maxListed bounds the findings and rules text and Markdown list; JSON
// and CSV list them all.
const maxListed = 50

// WriteVerify writes what holding flow logs against the model found, in
// format: text for people, json (verify.Result, with notes), csv (one row
// per finding, interface, security group and rule, a kind column telling
// them apart) or markdown. docs/cli.md documents json and csv.
func WriteVerify(w io.Writer, r *verify.Result, format string, notes ...Note) error {
	if r == nil {
		return fmt.Errorf("no verification to write")
	}
	switch format {
	case "text", "":
		return writeVerifyText(w, r, notes, false)
	case "markdown":
		return writeVerifyText(w, r, notes, true)
	case "json":
		return withNotes(w, r, notes)
	case "csv":
		return writeVerifyCSV(w, r)
	}
	return fmt.Errorf("invalid verify format %q: want %s", format, strings.Join(VerifyFormats, ", "))
}

func unix(t int64) string {
	if t <= 0 {
		return ""
	}
	return time.Unix(t, 0).UTC().Format(time.RFC3339)
}

func writeVerifyText(w io.Writer, r *verify.Result, notes []Note, md bool) error {
	tw := &errWriter{w: w}
	head := func(s string) {
		if md {
			tw.printf("\n## %s\n\n", s)
		} else {
			tw.printf("\n%s\n", strings.ToUpper(s))
		}
	}
	// table writes rows as a Markdown table or aligned columns.
	table := func(rows [][]string) {
		if len(rows) <= 1 && (len(rows) == 0 || rows[0][0] != "files") {
			return // a header alone
		}
		if md {
			for i, row := range rows {
				for j := range row {
					row[j] = strings.ReplaceAll(row[j], "|", `\|`)
				}
				tw.printf("| %s |\n", strings.Join(row, " | "))
				if i == 0 {
					tw.printf("|%s\n", strings.Repeat("---|", len(row)))
				}
			}
			return
		}
		widths := make([]int, len(rows[0]))
		for _, row := range rows {
			for j, c := range row {
				if j < len(row)-1 {
					widths[j] = max(widths[j], len([]rune(c)))
				}
			}
		}
		for _, row := range rows {
			var b strings.Builder
			for j, c := range row {
				if j < len(row)-1 {
					fmt.Fprintf(&b, "%-*s  ", widths[j], c)
				} else {
					b.WriteString(c)
				}
			}
			tw.printf("  %s\n", strings.TrimRight(b.String(), " "))
		}
	}
	c := r.Records
	verdict := "CONSISTENT: the logs agree with the model"
	switch {
	case c.Inconsistent() > 0:
		verdict = fmt.Sprintf("INCONSISTENT: %d of %d records disagree with the model", c.Inconsistent(), c.Total)
	case r.Inconsistent():
		verdict = fmt.Sprintf("INCONSISTENT: the logs name %d interfaces the model lacks", len(r.UnknownInterfaces))
	}
	if md {
		tw.printf("# Flow logs against the model\n\n**%s**\n\n", verdict)
	} else {
		tw.printf("%s\n\n", verdict)
	}
	period := "no records"
	if r.Period != nil {
		period = r.Period.Start().Format(time.RFC3339) + " to " + r.Period.End().Format(time.RFC3339)
	}
	table([][]string{
		{"files", strconv.Itoa(r.Sources)},
		{"period", period},
		{"records", fmt.Sprintf("%d: %d consistent, %d accepted where the model denies, %d rejected where it allows, %d on interfaces the model lacks, %d undetermined, %d NODATA, %d SKIPDATA",
			c.Total, c.Consistent, c.AcceptDenied, c.RejectAllowed, c.UnknownInterface, c.Undetermined, c.NoData, c.SkipData)},
		{"ephemeral ports assumed", r.Ephemeral},
	})
	if c.SkipData > 0 {
		tw.printf("\n%s: AWS skipped records in %d intervals (SKIPDATA): what they held is not verified.\n", map[bool]string{true: "**Caveat**", false: "caveat"}[md], c.SkipData)
	}
	if c.Undetermined > 0 {
		tw.printf("\n%d records could not be held against the model: they lack an action, addresses or protocol, or their direction cannot be told (log flow-direction, version 5, or the addresses).\n", c.Undetermined)
	}
	if len(r.Findings) > 0 {
		head("Findings")
		rows := [][]string{{"records", "class", "interface", "direction", "traffic", "rule", "why"}}
		for i, f := range r.Findings {
			if i == maxListed {
				tw.printf("  … %d more findings (json and csv list them all)\n", len(r.Findings)-maxListed)
				break
			}
			traffic := fmt.Sprintf("%s %s -> %s", f.Protocol, f.Src, f.Dst)
			if f.Port > 0 {
				traffic += fmt.Sprintf(" port %d", f.Port)
			}
			rule := "-"
			if f.Rule != nil {
				rule = f.Rule.Text + " [" + f.Rule.Where() + "]"
			} else if len(f.Groups) > 0 {
				var gs []string
				for _, g := range f.Groups {
					gs = append(gs, g.Label())
				}
				rule = "no rule of " + strings.Join(gs, ", ")
			}
			rows = append(rows, []string{strconv.FormatInt(f.Traffic.Records, 10), f.Class.String() + "/" + f.Cause.String(), f.InterfaceID, f.Direction, traffic, rule, f.Message})
		}
		table(rows)
		if r.FindingsTruncated > 0 {
			tw.printf("  %d more inconsistent records, past the limit of findings kept\n", r.FindingsTruncated)
		}
	}
	if len(r.UnknownInterfaces) > 0 {
		head("Interfaces in the logs that the model lacks")
		rows := [][]string{{"interface", "vpc", "subnet", "instance", "records"}}
		for _, u := range r.UnknownInterfaces {
			rows = append(rows, []string{u.InterfaceID, dash(u.VPCID), dash(u.SubnetID), dash(u.InstanceID), strconv.FormatInt(u.Traffic.Records, 10)})
		}
		table(rows)
	}
	head("Interfaces")
	rows := [][]string{{"interface", "log id", "records", "consistent", "inconsistent", "nodata", "skipdata"}}
	for _, s := range r.Interfaces {
		if s.Records.Total == 0 {
			continue
		}
		rows = append(rows, []string{s.Interface.Label(), dash(s.InterfaceID), strconv.FormatInt(s.Records.Total, 10), strconv.FormatInt(s.Records.Consistent, 10),
			strconv.FormatInt(s.Inconsistent, 10), strconv.FormatInt(s.Records.NoData, 10), strconv.FormatInt(s.Records.SkipData, 10)})
	}
	silent := 0
	for _, s := range r.Interfaces {
		if s.Records.Total == 0 {
			silent++
		}
	}
	table(rows)
	if silent > 0 {
		tw.printf("  %d interfaces of the model have no record in the logs\n", silent)
	}
	if len(r.SecurityGroups) > 0 {
		head("Security groups")
		rows := [][]string{{"group", "rules used", "rules unused", "records carried", "accepted against its rules"}}
		for _, g := range r.SecurityGroups {
			rows = append(rows, []string{g.Group.Label(), strconv.Itoa(g.RulesUsed), strconv.Itoa(g.RulesUnused), strconv.FormatInt(g.Traffic.Records, 10), strconv.FormatInt(g.Inconsistent, 10)})
		}
		table(rows)
	}
	unused := r.UnusedRules()
	if len(unused) > 0 {
		head("Rules no logged traffic used (least-privilege candidates)")
		rows := [][]string{{"rule", "owner", "where", "guards", "would admit"}}
		for i, u := range unused {
			if i == maxListed {
				tw.printf("  … %d more (json and csv list them all)\n", len(unused)-maxListed)
				break
			}
			rows = append(rows, []string{u.Rule.Text, u.Rule.Owner.Label(), u.Rule.Where(), listed(u.Interfaces, 3), dash(u.Admits)})
		}
		table(rows)
	}
	var used []verify.RuleUsage
	for _, u := range r.Rules {
		if u.Used {
			used = append(used, u)
		}
	}
	if len(used) > 0 {
		head("Rules that carried the traffic, and the flows")
		rows := [][]string{{"rule", "owner", "records", "flows (interface direction protocol remote port: records)"}}
		for i, u := range used {
			if i == maxListed {
				tw.printf("  … %d more (json and csv list them all)\n", len(used)-maxListed)
				break
			}
			var fs []string
			for _, f := range u.Flows {
				s := fmt.Sprintf("%s %s %s %s", f.InterfaceID, f.Direction, f.Protocol, f.Remote)
				if f.Port > 0 {
					s += fmt.Sprintf(" %d", f.Port)
				}
				if f.Reply {
					s += " (replies)"
				}
				fs = append(fs, fmt.Sprintf("%s: %d", s, f.Traffic.Records))
			}
			if u.FlowsOmitted > 0 {
				fs = append(fs, fmt.Sprintf("others: %d", u.FlowsOmitted))
			}
			rows = append(rows, []string{u.Rule.Text, u.Rule.Owner.Label(), strconv.FormatInt(u.Traffic.Records, 10), strings.Join(fs, "; ")})
		}
		table(rows)
	}
	if len(r.Notes) > 0 || len(notes) > 0 {
		head("Notes")
		for _, x := range r.Notes {
			tw.printf("  %s: %s: %s\n", x.Code, x.Component.Label(), x.Message)
		}
		writeNotesText(tw, notes)
	}
	return tw.err
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func listed(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + fmt.Sprintf(" and %d more", len(xs)-n)
}

// verifyCSVHeader are the columns of WriteVerify's csv.
var verifyCSVHeader = []string{"kind", "class", "cause", "interface_id", "interface", "direction", "protocol", "src", "dst", "port",
	"rule", "owner", "where", "used", "records", "packets", "bytes", "first", "last", "detail"}

func writeVerifyCSV(w io.Writer, r *verify.Result) error {
	cw := csv.NewWriter(w)
	cw.Write(verifyCSVHeader)
	num := func(n int64) string { return strconv.FormatInt(n, 10) }
	traffic := func(t verify.Traffic) []string {
		return []string{num(t.Records), num(t.Packets), num(t.Bytes), unix(t.First), unix(t.Last)}
	}
	for _, f := range r.Findings {
		rule, owner, where := "", "", ""
		if f.Rule != nil {
			rule, owner, where = f.Rule.Text, f.Rule.Owner.Label(), f.Rule.Where()
		}
		iface := ""
		if f.Interface != nil {
			iface = f.Interface.Label()
		}
		port := ""
		if f.Port > 0 {
			port = strconv.Itoa(f.Port)
		}
		row := []string{"finding", f.Class.String(), f.Cause.String(), f.InterfaceID, iface, f.Direction, f.Protocol, f.Src.String(), f.Dst.String(), port, rule, owner, where, ""}
		cw.Write(append(append(row, traffic(f.Traffic)...), f.Message))
	}
	for _, u := range r.UnknownInterfaces {
		row := []string{"unknown-interface", "unknown-interface", "", u.InterfaceID, "", "", "", "", "", "", "", "", "", ""}
		cw.Write(append(append(row, traffic(u.Traffic)...), strings.TrimSpace(u.VPCID+" "+u.SubnetID+" "+u.InstanceID)))
	}
	for _, s := range r.Interfaces {
		if s.Records.Total == 0 {
			continue
		}
		row := []string{"interface", "", "", s.InterfaceID, s.Interface.Label(), "", "", "", "", "", "", "", "", ""}
		detail := fmt.Sprintf("consistent %d, inconsistent %d, undetermined %d, nodata %d, skipdata %d", s.Records.Consistent, s.Inconsistent, s.Records.Undetermined, s.Records.NoData, s.Records.SkipData)
		cw.Write(append(append(row, traffic(s.Traffic)...), detail))
	}
	for _, g := range r.SecurityGroups {
		row := []string{"security-group", "", "", "", "", "", "", "", "", "", "", g.Group.Label(), "", strconv.FormatBool(g.RulesUsed > 0)}
		cw.Write(append(append(row, traffic(g.Traffic)...), fmt.Sprintf("rules used %d, unused %d, accepted against its rules %d", g.RulesUsed, g.RulesUnused, g.Inconsistent)))
	}
	for _, u := range r.Rules {
		row := []string{"rule", "", "", "", "", "", "", "", "", "", u.Rule.Text, u.Rule.Owner.Label(), u.Rule.Where(), strconv.FormatBool(u.Used)}
		detail := "guards " + strings.Join(u.Interfaces, " ")
		if u.Admits != "" {
			detail += "; would admit " + u.Admits
		}
		cw.Write(append(append(row, traffic(u.Traffic)...), detail))
	}
	cw.Flush()
	return cw.Error()
}

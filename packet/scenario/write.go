package scenario

import (
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/vpcsim/vpcsim/model"
	"github.com/vpcsim/vpcsim/packet"
)

// HCL writes the scenario in the language Parse reads, with the comment
// lines given first: Parse(HCL(s)) is s (positions aside).
func (s *Scenario) HCL(comments ...string) []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	var head []byte
	for _, c := range comments {
		head = append(head, "# "+c+"\n"...)
	}
	body.SetAttributeValue("start", cty.StringVal(s.Start.UTC().Format(time.RFC3339)))
	body.SetAttributeValue("duration", cty.StringVal(formatDuration(s.Duration)))
	if s.HasSeed {
		body.SetAttributeValue("seed", cty.NumberUIntVal(s.Seed))
	}
	for _, t := range s.Traffic {
		body.AppendNewline()
		b := body.AppendNewBlock("traffic", []string{t.Name}).Body()
		b.SetAttributeValue("from", names(t.From))
		b.SetAttributeValue("to", names(t.To))
		b.SetAttributeValue("protocol", cty.StringVal(t.Protocol.String()))
		if t.Protocol.HasPorts() {
			b.SetAttributeValue("port", cty.NumberIntVal(int64(t.Port)))
		}
		b.SetAttributeValue("rate", cty.StringVal(FormatRate(t.Rate)))
		b.SetAttributeValue("clients", cty.NumberIntVal(int64(t.Clients)))
		if t.Request != 0 {
			b.SetAttributeValue("request", cty.NumberIntVal(int64(t.Request)))
		}
		if t.Response != 0 {
			b.SetAttributeValue("response", cty.NumberIntVal(int64(t.Response)))
		}
		if t.Count != 1 {
			b.SetAttributeValue("count", cty.NumberIntVal(int64(t.Count)))
		}
		if t.Protocol == model.ProtocolTCP && t.Teardown == packet.CloseRST {
			b.SetAttributeValue("teardown", cty.StringVal("rst"))
		}
		if t.Start != 0 {
			b.SetAttributeValue("start", cty.StringVal(formatDuration(t.Start)))
		}
		if t.End != 0 {
			b.SetAttributeValue("end", cty.StringVal(formatDuration(t.End)))
		}
	}
	for _, sc := range s.Scans {
		body.AppendNewline()
		b := body.AppendNewBlock("scan", []string{sc.Name}).Body()
		b.SetAttributeValue("from", cty.StringVal(sc.From))
		b.SetAttributeValue("to", names(sc.To))
		b.SetAttributeValue("protocol", cty.StringVal(sc.Protocol.String()))
		var ports []string
		for _, r := range sc.Ports {
			ports = append(ports, r.String())
		}
		b.SetAttributeValue("ports", names(ports))
		b.SetAttributeValue("rate", cty.StringVal(FormatRate(sc.Rate)))
		if sc.Start != 0 {
			b.SetAttributeValue("start", cty.StringVal(formatDuration(sc.Start)))
		}
	}
	return append(head, f.Bytes()...)
}

func names(ns []string) cty.Value {
	if len(ns) == 1 {
		return cty.StringVal(ns[0])
	}
	vs := make([]cty.Value, len(ns))
	for i, n := range ns {
		vs[i] = cty.StringVal(n)
	}
	return cty.TupleVal(vs)
}

// formatDuration prints 10m rather than Go's 10m0s.
func formatDuration(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if d%time.Second == 0 && d < time.Minute {
		s = strconv.Itoa(int(d/time.Second)) + "s"
	}
	return s
}

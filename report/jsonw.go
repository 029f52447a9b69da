package report

import (
	"bufio"
	"encoding"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// jsonWriter writes indented JSON as a stream, byte for byte as writeJSON
// (encoding/json with two-space indentation and no HTML escaping) writes the
// same values: a large report is written as it is encoded, without the
// whole document and its re-indented copy in memory, and without
// reflection. TestReportJSONStream holds the two equal.
type jsonWriter struct {
	w     *bufio.Writer
	buf   []byte
	depth int
	// full says, per open object or array, whether it has an element yet.
	full []bool
	err  error
}

func newJSONWriter(w io.Writer) *jsonWriter {
	return &jsonWriter{w: bufio.NewWriterSize(w, 64<<10), buf: make([]byte, 0, 4<<10)}
}

// flush hands what is encoded to the writer once enough has gathered.
func (j *jsonWriter) flush(force bool) {
	if len(j.buf) < 32<<10 && !force {
		return
	}
	if j.err == nil {
		_, j.err = j.w.Write(j.buf)
	}
	j.buf = j.buf[:0]
	if force && j.err == nil {
		j.err = j.w.Flush()
	}
}

// next starts an element of the innermost object or array: the comma after
// the previous one, a new line and the indentation.
func (j *jsonWriter) next() {
	n := len(j.full) - 1
	if n < 0 {
		return
	}
	if j.full[n] {
		j.buf = append(j.buf, ',')
	}
	j.full[n] = true
	j.newline()
}

func (j *jsonWriter) newline() {
	j.buf = append(j.buf, '\n')
	for range j.depth {
		j.buf = append(j.buf, "  "...)
	}
}

func (j *jsonWriter) open(c byte) {
	j.buf = append(j.buf, c)
	j.full = append(j.full, false)
	j.depth++
}

func (j *jsonWriter) close(c byte) {
	n := len(j.full) - 1
	j.depth--
	if j.full[n] {
		j.newline()
	}
	j.full = j.full[:n]
	j.buf = append(j.buf, c)
}

func (j *jsonWriter) beginObject() { j.open('{') }
func (j *jsonWriter) endObject()   { j.close('}') }
func (j *jsonWriter) beginArray()  { j.open('[') }
func (j *jsonWriter) endArray()    { j.close(']') }

// key starts a member of the innermost object.
func (j *jsonWriter) key(k string) {
	j.next()
	j.str(k)
	j.buf = append(j.buf, ": "...)
}

// str appends s as a JSON string. Printable ASCII is copied, with the
// quote and the backslash escaped; a string holding anything else is
// quoted by encoding/json itself, so that the other escapes (control
// characters, invalid UTF-8, U+2028 and U+2029) are always its own.
func (j *jsonWriter) str(s string) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf {
			j.quoted(s)
			return
		}
	}
	j.buf = append(j.buf, '"')
	for {
		i := strings.IndexAny(s, `"\`)
		if i < 0 {
			break
		}
		j.buf = append(j.buf, s[:i]...)
		j.buf = append(j.buf, '\\', s[i])
		s = s[i+1:]
	}
	j.buf = append(j.buf, s...)
	j.buf = append(j.buf, '"')
}

func (j *jsonWriter) quoted(s string) {
	var b bytesBuffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	j.buf = append(j.buf, b[:len(b)-1]...)
}

// bytesBuffer is the smallest io.Writer into a byte slice.
type bytesBuffer []byte

func (b *bytesBuffer) Write(p []byte) (int, error) {
	*b = append(*b, p...)
	return len(p), nil
}

func (j *jsonWriter) int(n int) { j.buf = strconv.AppendInt(j.buf, int64(n), 10) }

func (j *jsonWriter) bool(v bool) { j.buf = strconv.AppendBool(j.buf, v) }

func (j *jsonWriter) null() { j.buf = append(j.buf, "null"...) }

// text appends one of the enums whose MarshalText is their String, once
// the caller has checked that they marshal (see textErr).
func (j *jsonWriter) text(v fmt.Stringer) { j.str(v.String()) }

func (j *jsonWriter) strings(ss []string) {
	if ss == nil {
		j.null()
		return
	}
	j.beginArray()
	for _, s := range ss {
		j.next()
		j.str(s)
	}
	j.endArray()
}

// textErr returns the first error of the enums' MarshalText: a value that
// does not marshal makes encoding/json fail before writing anything, which
// the stream must do too. Their MarshalText fails for the values whose
// String is "invalid" and only for those, so only those are asked.
func textErr(vs ...interface {
	fmt.Stringer
	encoding.TextMarshaler
}) error {
	for _, v := range vs {
		if v.String() != "invalid" {
			continue
		}
		if _, err := v.MarshalText(); err != nil {
			return err
		}
	}
	return nil
}

// writeReportJSON writes r as writeJSON(w, r) does.
func writeReportJSON(w io.Writer, r *Report) error {
	for i := range r.Findings {
		if r.Findings[i].textErr() != nil {
			return writeJSON(w, r) // the same error, from encoding/json
		}
	}
	j := newJSONWriter(w)
	j.beginObject()
	j.key("source")
	j.str(r.Source)
	if r.Input != "" {
		j.key("input")
		j.str(r.Input)
	}
	j.key("summary")
	r.Summary.writeJSON(j)
	j.key("notes")
	writeNotesJSON(j, r.Notes)
	j.key("findings")
	if r.Findings == nil {
		j.null()
	} else {
		j.beginArray()
		for i := range r.Findings {
			j.next()
			r.Findings[i].writeJSON(j)
			j.flush(false)
		}
		j.endArray()
	}
	j.endObject()
	j.buf = append(j.buf, '\n')
	j.flush(true)
	return j.err
}

func (s *Summary) writeJSON(j *jsonWriter) {
	j.beginObject()
	for _, m := range []struct {
		k string
		n int
	}{{"total", s.Total}, {"targets", s.Targets}, {"partial", s.Partial}, {"critical", s.Critical},
		{"high", s.High}, {"medium", s.Medium}, {"low", s.Low}, {"info", s.Info}} {
		j.key(m.k)
		j.int(m.n)
	}
	j.endObject()
}

func writeNotesJSON(j *jsonWriter, ns []Note) {
	if ns == nil {
		j.null()
		return
	}
	j.beginArray()
	for i := range ns {
		n := &ns[i]
		j.next()
		j.beginObject()
		j.key("code")
		j.str(n.Code)
		j.key("severity")
		j.str(n.Severity)
		if n.Component != "" {
			j.key("component")
			j.str(n.Component)
		}
		j.key("message")
		j.str(n.Message)
		if n.File != "" {
			j.key("file")
			j.str(n.File)
		}
		if n.Line != 0 {
			j.key("line")
			j.int(n.Line)
		}
		j.endObject()
	}
	j.endArray()
}

// textErr is the first error of the finding's values' MarshalText.
func (f *Finding) textErr() error {
	if err := textErr(f.Severity); err != nil {
		return err
	}
	if f.OpenedBy != nil {
		if err := textErr(f.OpenedBy.Kind); err != nil {
			return err
		}
	}
	for i := range f.Path {
		s := &f.Path[i]
		if err := textErr(s.Direction, s.Kind, s.Decision); err != nil {
			return err
		}
		for k := range s.Rules {
			if err := textErr(s.Rules[k].Kind); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f *Finding) writeJSON(j *jsonWriter) {
	j.beginObject()
	j.key("fingerprint")
	j.str(f.Fingerprint)
	j.key("target")
	j.str(f.Target)
	j.key("target_kind")
	j.str(f.TargetKind)
	if f.TargetID != "" {
		j.key("target_id")
		j.str(f.TargetID)
	}
	j.key("interface")
	j.str(f.Interface)
	if f.Subnet != "" {
		j.key("subnet")
		j.str(f.Subnet)
	}
	if f.VPC != "" {
		j.key("vpc")
		j.str(f.VPC)
	}
	j.key("protocol")
	j.str(f.Protocol)
	j.key("from_port")
	j.int(f.FromPort)
	j.key("to_port")
	j.int(f.ToPort)
	if f.Service != "" {
		j.key("service")
		j.str(f.Service)
	}
	j.key("sources")
	j.strings(f.Sources)
	j.key("sources_summary")
	j.str(f.SourcesSummary)
	j.key("destinations")
	j.strings(f.Destinations)
	j.key("severity")
	j.text(f.Severity)
	j.key("severity_reason")
	j.str(f.SeverityReason)
	j.key("kind")
	j.str(f.Kind)
	if f.OpenedBy != nil {
		j.key("opened_by")
		f.OpenedBy.writeJSON(j)
	}
	j.key("path")
	if f.Path == nil {
		j.null()
	} else {
		j.beginArray()
		for i := range f.Path {
			j.next()
			f.Path[i].writeJSON(j)
		}
		j.endArray()
	}
	j.key("partial")
	j.bool(f.Partial)
	j.key("return_ports")
	j.str(f.ReturnPorts)
	j.key("placeholder")
	j.bool(f.Placeholder)
	if len(f.Via) > 0 {
		j.key("via")
		writeViasJSON(j, f.Via)
	}
	if f.OnlyViaLoadBalancer {
		j.key("only_via_load_balancer")
		j.bool(true)
	}
	if len(f.Listeners) > 0 {
		j.key("listeners")
		writeViasJSON(j, f.Listeners)
	}
	if len(f.Notes) > 0 {
		j.key("notes")
		writeNotesJSON(j, f.Notes)
	}
	j.endObject()
}

func writeViasJSON(j *jsonWriter, vs []Via) {
	j.beginArray()
	for i := range vs {
		j.next()
		vs[i].writeJSON(j)
	}
	j.endArray()
}

func (v *Via) writeJSON(j *jsonWriter) {
	j.beginObject()
	j.key("load_balancer")
	j.str(v.LoadBalancer)
	if v.LoadBalancerID != "" {
		j.key("load_balancer_id")
		j.str(v.LoadBalancerID)
	}
	j.key("type")
	j.str(v.Type)
	j.key("listener")
	j.str(v.Listener)
	j.key("protocol")
	j.str(v.Protocol)
	j.key("port")
	j.int(v.Port)
	if v.Rule != "" {
		j.key("rule")
		j.str(v.Rule)
	}
	if v.TargetGroup != "" {
		j.key("target_group")
		j.str(v.TargetGroup)
	}
	if v.TargetGroupID != "" {
		j.key("target_group_id")
		j.str(v.TargetGroupID)
	}
	if v.TargetPort != 0 {
		j.key("target_port")
		j.int(v.TargetPort)
	}
	if v.ClientIPPreserved {
		j.key("client_ip_preserved")
		j.bool(true)
	}
	j.key("text")
	j.str(v.Text)
	j.endObject()
}

func (s *Step) writeJSON(j *jsonWriter) {
	j.beginObject()
	j.key("direction")
	j.text(s.Direction)
	j.key("kind")
	j.text(s.Kind)
	j.key("component")
	j.str(s.Component)
	j.key("component_kind")
	j.str(s.ComponentKind)
	j.key("decision")
	j.text(s.Decision)
	if s.Detail != "" {
		j.key("detail")
		j.str(s.Detail)
	}
	if len(s.Rules) > 0 {
		j.key("rules")
		j.beginArray()
		for i := range s.Rules {
			j.next()
			s.Rules[i].writeJSON(j)
		}
		j.endArray()
	}
	j.endObject()
}

func (r *Rule) writeJSON(j *jsonWriter) {
	j.beginObject()
	j.key("kind")
	j.text(r.Kind)
	j.key("text")
	j.str(r.Text)
	j.key("owner")
	j.str(r.Owner)
	j.key("where")
	j.str(r.Where)
	if r.File != "" {
		j.key("file")
		j.str(r.File)
	}
	if r.Line != 0 {
		j.key("line")
		j.int(r.Line)
	}
	if r.Synthetic != "" {
		j.key("synthetic")
		j.str(r.Synthetic)
	}
	j.endObject()
}

package awsapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// document is one file of a snapshot, parsed, with the position of every
// object: the AWS CLI prints indented JSON, so a line names one resource.
//
// encoding/json's Decoder gives the offset of each token; this keeps, for
// every object, the position of its opening brace under resource.PosKey,
// which the mapper reads as the position of what it describes.
type document struct {
	name  string
	lines []int // byte offset of the start of each line
	root  any
}

// maxDepth bounds nesting: AWS's answers nest a dozen levels, and a deeper
// document is hostile or broken.
const maxDepth = 256

// errDepth is the error of a document nested deeper than maxDepth.
var errDepth = errors.New("the JSON nests too deeply")

func parseDocument(name string, data []byte) (*document, error) {
	d := &document{name: name, lines: []int{0}}
	for i, c := range data {
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	root, err := d.value(dec, 0)
	if err != nil {
		return d, d.syntax(dec, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return d, &parseError{d.pos(int(dec.InputOffset())), "more than one JSON value: one file holds one answer of the AWS CLI"}
	}
	d.root = root
	return d, nil
}

// parseError is a file that is not one JSON value, at the position where
// reading it failed.
type parseError struct {
	pos model.Pos
	msg string
}

func (e *parseError) Error() string { return e.pos.String() + ": " + e.msg }

// syntax positions a decoding error.
func (d *document) syntax(dec *json.Decoder, err error) error {
	off := int(dec.InputOffset())
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = int(se.Offset)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return &parseError{d.pos(off), "unexpected end of JSON input: the file is truncated"}
	}
	return &parseError{d.pos(off), "invalid JSON: " + err.Error()}
}

// errorAt is the diagnostic of an error of parseDocument.
func errorAt(name string, err error) model.Diagnostic {
	var pe *parseError
	if errors.As(err, &pe) {
		return model.Diagnostic{Severity: model.SeverityError, Pos: pe.pos, Message: pe.msg}
	}
	return model.Diagnostic{Severity: model.SeverityError, Pos: model.Pos{File: name}, Message: err.Error()}
}

// pos converts a byte offset to a 1-based line and byte column.
func (d *document) pos(off int) model.Pos {
	line := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	return model.Pos{File: d.name, Line: line + 1, Col: off - d.lines[line] + 1}
}

func (d *document) value(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDepth {
		return nil, errDepth
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			start := int(dec.InputOffset()) - 1
			m := map[string]any{}
			for dec.More() {
				k, err := dec.Token()
				if err != nil {
					return nil, err
				}
				key, _ := k.(string)
				v, err := d.value(dec, depth+1)
				if err != nil {
					return nil, err
				}
				m[key] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			// Set after the members, so that a member of that name in
			// the input cannot stand for a position.
			m[resource.PosKey] = d.pos(start)
			return m, nil
		case '[':
			list := []any{}
			for dec.More() {
				v, err := d.value(dec, depth+1)
				if err != nil {
					return nil, err
				}
				list = append(list, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return list, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	}
	return tok, nil
}

// The accessors below read AWS's answers, whose shape the input does not
// guarantee: a value of the wrong type reads as absent.

func object(v any, key string) map[string]any {
	m, _ := v.(map[string]any)
	o, _ := m[key].(map[string]any)
	return o
}

func list(v any, key string) []any {
	m, _ := v.(map[string]any)
	l, _ := m[key].([]any)
	return l
}

func objects(v any, key string) []map[string]any {
	var out []map[string]any
	for _, x := range list(v, key) {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func str(v any, key string) string {
	m, _ := v.(map[string]any)
	switch t := m[key].(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	}
	return ""
}

func boolean(v any, key string) (bool, bool) {
	m, _ := v.(map[string]any)
	b, ok := m[key].(bool)
	return b, ok
}

func number(v any, key string) (json.Number, bool) {
	m, _ := v.(map[string]any)
	n, ok := m[key].(json.Number)
	return n, ok
}

// strings reads a list of strings, or of objects holding one under field.
func stringList(v any, key, field string) []any {
	out := []any{}
	for _, x := range list(v, key) {
		switch t := x.(type) {
		case string:
			out = append(out, t)
		case map[string]any:
			if s := str(t, field); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

func posOf(v any, def model.Pos) model.Pos {
	m, _ := v.(map[string]any)
	return resource.PosOf(m, def)
}

// tags reads AWS's [{"Key", "Value"}] tags as Terraform's map.
func tags(v any) map[string]any {
	out := map[string]any{}
	for _, t := range objects(v, "Tags") {
		if k := str(t, "Key"); k != "" {
			out[k] = str(t, "Value")
		}
	}
	return out
}

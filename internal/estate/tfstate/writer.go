package tfstate

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// AWSProvider is the provider address Terraform records for hashicorp/aws.
const AWSProvider = `provider["registry.terraform.io/hashicorp/aws"]`

// Header is what a state file says before its resources.
type Header struct {
	// TerraformVersion is the version of Terraform that wrote the state,
	// e.g. "1.9.8".
	TerraformVersion string
	// Serial counts the writes of this state; a long-lived estate has a
	// high one.
	Serial int64
	// Lineage is the UUID Terraform gave the state when it was created.
	Lineage string
	// Outputs are the root module's output values, by name.
	Outputs map[string]Output
}

// Output is one root module output value.
type Output struct {
	Value any `json:"value"`
	// Type is the cty type in its JSON form: "string", ["list","string"],
	// ["tuple",["string","string"]], ["object",{…}].
	Type      any  `json:"type"`
	Sensitive bool `json:"sensitive,omitempty"`
}

// Resource is one resource block of a module, with all its instances.
type Resource struct {
	// Module is the module instance path ("module.vpc", "module.spoke[\"dev\"]");
	// empty for the root module.
	Module string `json:"module,omitempty"`
	// Mode is "managed" or "data".
	Mode      string     `json:"mode"`
	Type      string     `json:"type"`
	Name      string     `json:"name"`
	Provider  string     `json:"provider"`
	Instances []Instance `json:"instances"`
}

// Instance is one instance of a resource: the only one, or one per count
// index or for_each key.
type Instance struct {
	// IndexKey is nil for a resource without count or for_each, an int for
	// count, a string for for_each.
	IndexKey any `json:"index_key,omitempty"`
	// SchemaVersion is the provider's schema version of the resource type.
	SchemaVersion int `json:"schema_version"`
	// Attributes is one of the attribute types of this package.
	Attributes any `json:"attributes"`
	// SensitiveAttributes are the paths of sensitive values; never nil.
	SensitiveAttributes []Path `json:"sensitive_attributes"`
	// Private is the provider's private data (timeouts, schema version),
	// base64; empty for data sources.
	Private string `json:"private,omitempty"`
	// Dependencies are the configuration addresses (no instance keys) of
	// the resources this one depends on, sorted.
	Dependencies []string `json:"dependencies,omitempty"`
}

// Path is an attribute path inside an instance's attributes, as Terraform
// writes it in sensitive_attributes.
type Path []PathStep

// PathStep is one step of a Path.
type PathStep struct {
	Type  string `json:"type"` // "get_attr" or "index"
	Value any    `json:"value"`
}

// AttrPath is the path of a top-level attribute.
func AttrPath(name string) Path { return Path{{Type: "get_attr", Value: name}} }

// Less orders resources the way Terraform sorts them in a state file: by
// module path, mode ("data" before "managed"), type, then name.
func Less(a, b *Resource) bool { return compare(a, b) < 0 }

func compare(a, b *Resource) int {
	return cmp.Or(cmp.Compare(a.Module, b.Module), cmp.Compare(a.Mode, b.Mode),
		cmp.Compare(a.Type, b.Type), cmp.Compare(a.Name, b.Name))
}

// SortResources sorts rs in Terraform's order, and the instances of each by
// index key (numbers numerically, strings lexically).
func SortResources(rs []*Resource) {
	slices.SortStableFunc(rs, compare)
	for _, r := range rs {
		slices.SortStableFunc(r.Instances, func(a, b Instance) int { return compareKeys(a.IndexKey, b.IndexKey) })
	}
}

func compareKeys(a, b any) int {
	switch a := a.(type) {
	case int:
		if b, ok := b.(int); ok {
			return cmp.Compare(a, b)
		}
	case string:
		if b, ok := b.(string); ok {
			return cmp.Compare(a, b)
		}
	}
	return 0
}

// Writer streams a state file. Call Write for each resource in Terraform's
// order (see Less), then Close.
type Writer struct {
	w    *bufio.Writer
	enc  *Encoder
	out  []byte
	n    int
	last Resource
	err  error
}

// NewWriter writes the state header to w and returns a Writer for the
// resources. Nothing is flushed to w until Close, except as the buffer
// fills.
func NewWriter(w io.Writer, h Header) *Writer {
	sw := &Writer{w: bufio.NewWriterSize(w, 1<<16), enc: NewEncoder()}
	outputs := h.Outputs
	if outputs == nil {
		outputs = map[string]Output{}
	}
	out, err := json.MarshalIndent(outputs, "  ", "  ")
	if err != nil {
		sw.err = fmt.Errorf("encoding outputs: %w", err)
		return sw
	}
	lineage, _ := json.Marshal(h.Lineage)
	version, _ := json.Marshal(h.TerraformVersion)
	fmt.Fprintf(sw.w, "{\n  \"version\": 4,\n  \"terraform_version\": %s,\n  \"serial\": %d,\n  \"lineage\": %s,\n  \"outputs\": %s,\n  \"resources\": [",
		version, h.Serial, lineage, out)
	return sw
}

// Write appends one resource. Resources must come in Terraform's order: a
// resource that sorts before the previous one is an error, because a state
// Terraform wrote never looks like that.
func (sw *Writer) Write(r *Resource) error {
	if sw.err != nil {
		return sw.err
	}
	var err error
	if sw.out, err = sw.enc.Append(sw.out[:0], r); err != nil {
		sw.err = err
		return err
	}
	return sw.WriteEncoded(r, sw.out)
}

// WriteEncoded appends one resource that an Encoder has already encoded
// (b is Append's output for r alone), so that callers can encode resources
// in parallel and write them in order. Only r's module, mode, type and name
// are read, to check the order.
func (sw *Writer) WriteEncoded(r *Resource, b []byte) error {
	if sw.err != nil {
		return sw.err
	}
	if sw.n > 0 && compare(&sw.last, r) >= 0 {
		sw.err = fmt.Errorf("resource %s is out of Terraform's order (after %s)", addr(r), addr(&sw.last))
		return sw.err
	}
	if sw.n > 0 {
		sw.w.WriteString(",\n    ")
	} else {
		sw.w.WriteString("\n    ")
	}
	if _, err := sw.w.Write(b); err != nil {
		sw.err = err
		return err
	}
	sw.n++
	sw.last = Resource{Module: r.Module, Mode: r.Mode, Type: r.Type, Name: r.Name}
	return nil
}

// Encoder encodes resources the way they appear in a state file. An
// Encoder is not safe for concurrent use; use one per goroutine.
type Encoder struct{}

// NewEncoder returns an Encoder.
func NewEncoder() *Encoder { return &Encoder{} }

// Append appends r to dst, encoded and indented as it sits in a state file
// (two levels deep: its lines after the first indented by four spaces), and
// returns the extended slice.
func (e *Encoder) Append(dst []byte, r *Resource) ([]byte, error) {
	if len(r.Instances) == 0 {
		return dst, fmt.Errorf("resource %s has no instances", addr(r))
	}
	w := jsonWriter{b: dst, depth: 2}
	w.resource(r)
	if w.err != nil {
		return dst, fmt.Errorf("encoding %s: %w", addr(r), w.err)
	}
	return w.b, nil
}

// Count is the number of resources written so far.
func (sw *Writer) Count() int { return sw.n }

// Close ends the document and flushes it.
func (sw *Writer) Close() error {
	if sw.err != nil {
		return sw.err
	}
	if sw.n > 0 {
		sw.w.WriteString("\n  ")
	}
	sw.w.WriteString("],\n  \"check_results\": null\n}\n")
	if err := sw.w.Flush(); err != nil {
		sw.err = err
	}
	return sw.err
}

func addr(r *Resource) string {
	s := r.Type + "." + r.Name
	if r.Mode == "data" {
		s = "data." + s
	}
	if r.Module != "" {
		s = r.Module + "." + s
	}
	return s
}

// indent appends to dst the compact JSON value src laid out as
// json.Indent(dst, src, prefix, "  ") does with a prefix of depth × "  ":
// a line per element, "{}" and "[]" for empty containers, ": " after keys.
// It does the same as json.Indent several times faster, because it trusts
// its input (encoding/json's own output) instead of validating it; that is
// where writing large states spends its time.
func indent(dst, src []byte, depth int) []byte {
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch c {
		case '"':
			// Copy the string through its closing quote, skipping escapes.
			j := i + 1
			for j < len(src) && src[j] != '"' {
				if src[j] == '\\' {
					j++
				}
				j++
			}
			end := min(j+1, len(src))
			dst = append(dst, src[i:end]...)
			i = end - 1
		case '{', '[':
			if i+1 < len(src) && (src[i+1] == '}' || src[i+1] == ']') {
				dst = append(dst, c, src[i+1])
				i++
				continue
			}
			depth++
			dst = append(append(dst, c), newlines(depth)...)
		case '}', ']':
			depth--
			dst = append(append(dst, newlines(depth)...), c)
		case ',':
			dst = append(append(dst, c), newlines(depth)...)
		case ':':
			dst = append(dst, ':', ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// spaces is a newline followed by enough indentation for any state.
var spaces = "\n" + strings.Repeat("  ", 64)

// newlines returns a newline and depth levels of indentation.
func newlines(depth int) string {
	if 1+2*depth <= len(spaces) {
		return spaces[:1+2*depth]
	}
	return "\n" + strings.Repeat("  ", depth)
}

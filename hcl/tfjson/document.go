package tfjson

import (
	"bytes"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// Kind is the kind of JSON document readDocument found.
type Kind int

// Document kinds. The zero value means the document was refused.
const (
	KindRefused   Kind = iota
	KindState          // a terraform.tfstate, format version 4
	KindShowState      // `terraform show -json` of a state
	KindPlan           // `terraform show -json` of a saved plan
)

// Document is what readDocument makes of one JSON input: resource instances
// for the mapper, and what else the document says.
type Document struct {
	Kind Kind
	// TerraformVersion is the version of Terraform that wrote the
	// document; empty when it does not say.
	TerraformVersion string
	// Instances are the resource instances of a state, or of a plan's
	// planned values (after apply).
	Instances []resource.Instance
	// Prior are a plan's prior state's instances (none for a first plan).
	Prior []resource.Instance
	// Changes are a plan's resource changes without the no-op ones.
	Changes []Change
	// Diagnostics are the reader's own: refusals, malformed members.
	Diagnostics model.Diagnostics
}

// Change is one resource change of a plan.
type Change struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	// Action is create, update, delete, replace, read or forget.
	Action string `json:"action"`
}

// Limits bound what Read accepts; a zero field takes its default.
type Limits struct {
	// MaxStringSize bounds one string of the document, in bytes; the
	// default is 16 MiB.
	MaxStringSize int
}

// Read reads a Terraform state (format version 4) or the JSON of
// `terraform show -json` for a state or a saved plan; name is used in
// positions and messages. It refuses, with an error diagnostic that says
// what the input is and what to do instead, legacy states, the JSON-lines
// stream of `terraform plan -json`, binary plan files, invalid or truncated
// JSON, unknown format versions and JSON documents that are none of these.
func Read(name string, data []byte) *Document { return ReadWith(name, data, Limits{}) }

// ReadWith is Read with limits.
func ReadWith(name string, data []byte, lim Limits) *Document {
	d := &Document{}
	text, encNote := decodeText(data)
	if encNote != "" {
		d.Diagnostics = append(d.Diagnostics, model.Diagnostic{Severity: model.SeverityNote, Pos: model.Pos{File: name}, Message: encNote})
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return d.refuse(model.Pos{File: name}, "the input is empty: expected a Terraform state or the JSON of `terraform show -json`")
	}
	if bytes.HasPrefix(text, []byte("PK\x03\x04")) {
		return d.refuse(model.Pos{File: name}, "this is a binary plan file (terraform plan -out): convert it with `terraform show -json %s > plan.json` and load the JSON", filepath.Base(name))
	}
	doc := newJSONDoc(name, text)
	doc.skip = unreadKeys
	doc.maxString = lim.MaxStringSize
	if doc.maxString <= 0 {
		doc.maxString = 16 << 20
	}
	if err := doc.parse(); err != nil {
		if err.limit {
			return d.refuse(doc.pos(err.off), "%s", err.msg)
		}
		if isJSONLines(doc) {
			return d.refuse(doc.pos(0), jsonLinesMessage)
		}
		if looksLikeHCL(text) {
			return d.refuse(doc.pos(0), "this is Terraform configuration (HCL), not JSON: pass the folder that holds it")
		}
		return d.refuse(doc.pos(err.off), "invalid JSON: %s", err.msg)
	}
	root, ok := doc.root.(map[string]any)
	if !ok {
		return d.refuse(doc.pos(0), "not a Terraform state or plan: the document is %s, not an object; expected a terraform.tfstate or the JSON of `terraform show -json`", jsonKind(doc.root))
	}
	d.read(doc, root)
	return d
}

// refuse records the error that says why the document cannot be read.
func (d *Document) refuse(pos model.Pos, format string, args ...any) *Document {
	d.Kind = KindRefused
	d.Diagnostics = append(d.Diagnostics, model.Diagnostic{Severity: model.SeverityError, Pos: pos, Message: fmt.Sprintf(format, args...)})
	return d
}

const jsonLinesMessage = "this is the JSON-lines log that `terraform plan -json` prints (one UI message per line), not a plan document: " +
	"save the plan with `terraform plan -out=tfplan`, then convert it with `terraform show -json tfplan > plan.json` and load plan.json"

// read tells the format of a parsed document and reads it.
func (d *Document) read(doc *jsonDoc, root map[string]any) {
	errAt := func(pos model.Pos, format string, args ...any) {
		d.refuse(pos, format, args...)
	}
	if s, ok := root["terraform_version"].(string); ok {
		d.TerraformVersion = s
	}
	switch {
	case root["version"] != nil:
		pos := doc.topPos("version")
		v, ok := jsonInt(root["version"])
		switch {
		case !ok:
			errAt(pos, "state \"version\" is %s, not a number", jsonKind(root["version"]))
		case v == 4:
			d.Kind = KindState
			var ds model.Diagnostics
			d.Instances, ds = readState(doc, root)
			d.Diagnostics = append(d.Diagnostics, ds...)
		case v >= 1 && v <= 3:
			errAt(pos, "this is a legacy Terraform state, format version %d (written by Terraform 0.11 or older, with flat attributes), which vpcsim does not read: "+
				"upgrade it by running `terraform init` and `terraform apply -refresh-only` (or `terraform refresh`) with Terraform 0.12 or later, which rewrites it in format 4, then load the new terraform.tfstate", v)
		default:
			errAt(pos, "unknown state format version %d: vpcsim reads format version 4 (Terraform 0.12 and later)", v)
		}
		return
	case root["format_version"] != nil:
		pos := doc.topPos("format_version")
		fv, _ := root["format_version"].(string)
		major, _, _ := strings.Cut(fv, ".")
		if major != "0" && major != "1" {
			errAt(pos, "unknown `terraform show -json` format version %q: vpcsim reads versions 0.x and 1.x", fv)
			return
		}
		switch {
		case root["provider_schemas"] != nil:
			errAt(pos, "this is the output of `terraform providers schema -json`, not a state or plan: run `terraform show -json` instead")
		case root["planned_values"] != nil || root["resource_changes"] != nil || root["prior_state"] != nil || root["configuration"] != nil:
			d.Kind = KindPlan
			d.Diagnostics = append(d.Diagnostics, readPlan(d, doc, root)...)
		default:
			d.Kind = KindShowState
			var ds model.Diagnostics
			d.Instances, ds = readShowState(doc, root["values"], "values")
			d.Diagnostics = append(d.Diagnostics, ds...)
		}
		return
	case root["@level"] != nil || root["@message"] != nil:
		errAt(doc.pos(0), jsonLinesMessage)
		return
	case root["resource"] != nil || root["provider"] != nil || root["module"] != nil || root["variable"] != nil || root["terraform"] != nil:
		errAt(doc.pos(0), "this is Terraform configuration in JSON syntax (.tf.json): pass the folder that holds it")
		return
	}
	keys := make([]string, 0, len(root))
	for k := range root {
		keys = append(keys, strconv.Quote(k))
	}
	slices.Sort(keys)
	if len(keys) > 6 {
		keys = append(keys[:6], "…")
	}
	errAt(doc.pos(0), "not a Terraform state or plan: the object has none of \"version\" (a terraform.tfstate) or \"format_version\" (`terraform show -json`); its keys are %s",
		orNone(strings.Join(keys, ", ")))
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// decodeText strips a UTF-8 byte-order mark and converts UTF-16, which
// Windows PowerShell's `>` writes, to UTF-8.
func decodeText(data []byte) ([]byte, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return data[3:], ""
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		le := data[0] == 0xFF
		body := data[2:]
		u := make([]uint16, 0, len(body)/2)
		for i := 0; i+1 < len(body); i += 2 {
			if le {
				u = append(u, uint16(body[i])|uint16(body[i+1])<<8)
			} else {
				u = append(u, uint16(body[i])<<8|uint16(body[i+1]))
			}
		}
		return []byte(string(utf16.Decode(u))), "the input is UTF-16 text (as Windows PowerShell's `>` writes it); it was read as such"
	}
	return data, ""
}

// isJSONLines recognises the stream `terraform plan -json` prints: JSON
// objects one a line, each with "@level" and "@message".
func isJSONLines(doc *jsonDoc) bool {
	v, ok := doc.parseFirst()
	if !ok {
		return false
	}
	m, ok := v.(map[string]any)
	return ok && (m["@level"] != nil || m["@message"] != nil)
}

func looksLikeHCL(text []byte) bool {
	t := bytes.TrimSpace(text)
	for _, kw := range []string{"resource ", "provider ", "terraform ", "module ", "variable ", "data ", "locals ", "output "} {
		if bytes.HasPrefix(t, []byte(kw)) {
			return true
		}
	}
	return bytes.HasPrefix(t, []byte("#")) || bytes.HasPrefix(t, []byte("//"))
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	}
	return "a number"
}

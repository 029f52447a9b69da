package hcl

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"

	"github.com/vpcsim/vpcsim/model"
)

// Format is the kind of input a network was loaded from.
type Format int

// Input formats. The zero value means the input was refused before its
// format could be told.
const (
	FormatUnknown   Format = iota
	FormatConfig           // a folder of Terraform configuration (.tf, .tf.json)
	FormatState            // a terraform.tfstate, format version 4
	FormatShowState        // `terraform show -json` of a state
	FormatPlan             // `terraform show -json` of a saved plan
)

func (f Format) String() string {
	switch f {
	case FormatConfig:
		return "terraform-config"
	case FormatState:
		return "terraform-state"
	case FormatShowState:
		return "terraform-show-state"
	case FormatPlan:
		return "terraform-plan"
	}
	return "unknown"
}

// MarshalText implements encoding.TextMarshaler.
func (f Format) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// Input is one loaded input: the network it describes and everything the load
// had to say about it.
type Input struct {
	// Path names the input as the user gave it ("<stdin>" for standard
	// input).
	Path   string
	Format Format
	// TerraformVersion is the version of Terraform that wrote the input;
	// empty when it does not say.
	TerraformVersion string
	// Network is the network the input describes: for a plan, the planned
	// network after apply. Nil only when the input was refused.
	Network *model.Network
	// Before is, for a plan, the network before apply (the prior state;
	// an empty network for a first plan). Nil for other formats.
	Before *model.Network
	// Changes are, for a plan, the resource changes it proposes, in the
	// plan's order, without the no-op ones.
	Changes []Change
	// Diagnostics are every problem and remark of the load and of the
	// networks' Validate, errors first. Those about the prior state of a
	// plan say so.
	Diagnostics model.Diagnostics
	// Ignored are the resource types read but not mapped because they are
	// not networking resources (or do not affect reachability), sorted by
	// type. Networking resources vpcsim does not model are not here: they
	// are the Network's UnsupportedResources.
	Ignored []IgnoredType
}

// IgnoredType counts the resources of one type that a load read but did not
// map to network elements.
type IgnoredType struct {
	// Type is the resource type; data sources are written "data.<type>".
	Type  string `json:"type"`
	Count int    `json:"count"`
	// Addresses are the first few addresses, in input order.
	Addresses []string `json:"addresses"`
	// Reason says why the type is not mapped.
	Reason string `json:"reason"`
}

// Change is one resource change of a plan.
type Change struct {
	Address string `json:"address"`
	Type    string `json:"type"`
	// Action is create, update, delete, replace, read or forget.
	Action string `json:"action"`
}

// maxIgnoredAddresses bounds IgnoredType.Addresses: a summary names a few
// examples, not thousands of IAM policies.
const maxIgnoredAddresses = 3

// Load reads the network at path: a folder of Terraform configuration, a
// state file, or the JSON of `terraform show -json` for a state or a plan.
// The format of a file is told from its content, not its name. "-" reads
// standard input.
//
// The error is non-nil exactly when the Input's Diagnostics hold errors; it
// is then those errors, a model.Diagnostics. The Input is returned either
// way, so that a caller can print every diagnostic.
func Load(path string, opts ...Option) (*Input, error) {
	if path == "-" {
		var r io.Reader = os.Stdin
		if o := collect(opts); o.stdin != nil {
			r = o.stdin
		}
		data, err := io.ReadAll(r)
		if err != nil {
			return refuse("<stdin>", model.Pos{File: "<stdin>"}, "cannot read standard input: %v", err)
		}
		return LoadBytes("<stdin>", data, opts...)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return refuse(path, model.Pos{File: path}, "cannot read the input: %v", unwrapPathError(err))
	}
	if fi.IsDir() {
		return loadFolder(path, opts...)
	}
	if strings.HasSuffix(path, ".tf") {
		return refuse(path, model.Pos{File: path}, "this is a Terraform configuration file: pass the folder that holds it, so that every file of the configuration is read")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return refuse(path, model.Pos{File: path}, "cannot read the input: %v", unwrapPathError(err))
	}
	return LoadBytes(path, data, opts...)
}

// loadFolder loads the configuration in folder path. The file system is
// rooted at the volume, not at the folder, so that a module source such as
// ../modules/vpc can leave the folder as it does for Terraform; files are
// named as the user knows them: relative to path as given.
func loadFolder(path string, opts ...Option) (*Input, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return refuse(path, model.Pos{File: path}, "cannot read the input: %v", err)
	}
	root := filepath.VolumeName(abs) + string(filepath.Separator)
	dir := filepath.ToSlash(strings.TrimPrefix(abs, root))
	if dir == "" {
		dir = "."
	}
	display := func(name string) string {
		rel, err := filepath.Rel(abs, filepath.Join(root, filepath.FromSlash(name)))
		if err != nil {
			return name
		}
		return filepath.Join(path, rel)
	}
	in, err := LoadConfig(os.DirFS(root), dir, append(slices.Clip(opts), withDisplay(display))...)
	in.Path = path
	return in, err
}

// WriteDiagnostics writes diagnostics one a line, as compilers print them:
// "file:line:col: severity: element: message".
func WriteDiagnostics(w io.Writer, ds model.Diagnostics) error {
	for _, d := range ds {
		if _, err := fmt.Fprintln(w, d.String()); err != nil {
			return err
		}
	}
	return nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// refuse returns an Input that holds only the error saying why the input
// cannot be read.
func refuse(name string, pos model.Pos, format string, args ...any) (*Input, error) {
	in := &Input{Path: name}
	in.Diagnostics = model.Diagnostics{{Severity: model.SeverityError, Pos: pos, Message: fmt.Sprintf(format, args...)}}
	return in.result()
}

// LoadBytes reads a Terraform state (format version 4) or the JSON of
// `terraform show -json` for a state or a saved plan; name is used in
// positions and messages. It refuses, with an error diagnostic that says what
// the input is and what to do instead, legacy states (version 3 and older),
// the JSON-lines stream of `terraform plan -json`, binary plan files, invalid
// or truncated JSON, unknown format versions and JSON documents that are none
// of these.
func LoadBytes(name string, data []byte, opts ...Option) (*Input, error) {
	o := collect(opts)
	in := &Input{Path: name}
	text, encNote := decodeText(data)
	if encNote != "" {
		in.Diagnostics = append(in.Diagnostics, model.Diagnostic{Severity: model.SeverityNote, Pos: model.Pos{File: name}, Message: encNote})
	}
	if len(bytes.TrimSpace(text)) == 0 {
		return refuse(name, model.Pos{File: name}, "the input is empty: expected a Terraform state or the JSON of `terraform show -json`")
	}
	if bytes.HasPrefix(text, []byte("PK\x03\x04")) {
		return refuse(name, model.Pos{File: name}, "this is a binary plan file (terraform plan -out): convert it with `terraform show -json %s > plan.json` and load the JSON", filepath.Base(name))
	}
	doc := newJSONDoc(name, text)
	doc.skip = unreadKeys
	if err := doc.parse(); err != nil {
		if isJSONLines(doc) {
			return refuse(name, doc.pos(0), jsonLinesMessage)
		}
		if looksLikeHCL(text) {
			return refuse(name, doc.pos(0), "this is Terraform configuration (HCL), not JSON: pass the folder that holds it")
		}
		return refuse(name, doc.pos(err.off), "invalid JSON: %s", err.msg)
	}
	root, ok := doc.root.(map[string]any)
	if !ok {
		return refuse(name, doc.pos(0), "not a Terraform state or plan: the document is %s, not an object; expected a terraform.tfstate or the JSON of `terraform show -json`", jsonKind(doc.root))
	}
	in.Diagnostics = append(in.Diagnostics, loadDocument(in, doc, root, o)...)
	return in.result()
}

// result is how every loader returns: the diagnostics sorted, errors first,
// and the error non-nil exactly when there are error diagnostics (it is
// then those errors, a model.Diagnostics).
func (in *Input) result() (*Input, error) {
	sortDiagnostics(in.Diagnostics)
	if in.Diagnostics.HasErrors() {
		return in, in.Diagnostics.Errors()
	}
	return in, nil
}

const jsonLinesMessage = "this is the JSON-lines log that `terraform plan -json` prints (one UI message per line), not a plan document: " +
	"save the plan with `terraform plan -out=tfplan`, then convert it with `terraform show -json tfplan > plan.json` and load plan.json"

// loadDocument tells the format of a parsed document and reads it into in.
func loadDocument(in *Input, doc *jsonDoc, root map[string]any, o *options) model.Diagnostics {
	var ds model.Diagnostics
	errAt := func(pos model.Pos, format string, args ...any) model.Diagnostics {
		return append(ds, model.Diagnostic{Severity: model.SeverityError, Pos: pos, Message: fmt.Sprintf(format, args...)})
	}
	if s, ok := root["terraform_version"].(string); ok {
		in.TerraformVersion = s
	}
	switch {
	case root["version"] != nil:
		pos := doc.topPos("version")
		v, ok := jsonInt(root["version"])
		switch {
		case !ok:
			return errAt(pos, "state \"version\" is %s, not a number", jsonKind(root["version"]))
		case v == 4:
			in.Format = FormatState
			insts, rds := readState(doc, root)
			b := buildNetwork(doc.name, insts, o)
			in.Network, in.Ignored = b.network, b.ignored
			return append(append(ds, rds...), b.diags...)
		case v >= 1 && v <= 3:
			return errAt(pos, "this is a legacy Terraform state, format version %d (written by Terraform 0.11 or older, with flat attributes), which vpcsim does not read: "+
				"upgrade it by running `terraform init` and `terraform apply -refresh-only` (or `terraform refresh`) with Terraform 0.12 or later, which rewrites it in format 4, then load the new terraform.tfstate", v)
		default:
			return errAt(pos, "unknown state format version %d: vpcsim reads format version 4 (Terraform 0.12 and later)", v)
		}
	case root["format_version"] != nil:
		pos := doc.topPos("format_version")
		fv, _ := root["format_version"].(string)
		major, _, _ := strings.Cut(fv, ".")
		if major != "0" && major != "1" {
			return errAt(pos, "unknown `terraform show -json` format version %q: vpcsim reads versions 0.x and 1.x", fv)
		}
		switch {
		case root["provider_schemas"] != nil:
			return errAt(pos, "this is the output of `terraform providers schema -json`, not a state or plan: run `terraform show -json` instead")
		case root["planned_values"] != nil || root["resource_changes"] != nil || root["prior_state"] != nil || root["configuration"] != nil:
			in.Format = FormatPlan
			return append(ds, readPlan(in, doc, root, o)...)
		default:
			in.Format = FormatShowState
			insts, rds := readShowState(doc, root["values"], "values")
			b := buildNetwork(doc.name, insts, o)
			in.Network, in.Ignored = b.network, b.ignored
			return append(append(ds, rds...), b.diags...)
		}
	case root["@level"] != nil || root["@message"] != nil:
		return errAt(doc.pos(0), jsonLinesMessage)
	case root["resource"] != nil || root["provider"] != nil || root["module"] != nil || root["variable"] != nil || root["terraform"] != nil:
		return errAt(doc.pos(0), "this is Terraform configuration in JSON syntax (.tf.json): pass the folder that holds it")
	}
	keys := make([]string, 0, len(root))
	for k := range root {
		keys = append(keys, strconv.Quote(k))
	}
	slices.Sort(keys)
	if len(keys) > 6 {
		keys = append(keys[:6], "…")
	}
	return errAt(doc.pos(0), "not a Terraform state or plan: the object has none of \"version\" (a terraform.tfstate) or \"format_version\" (`terraform show -json`); its keys are %s",
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

// sortDiagnostics puts errors first, then warnings, then notes, keeping the
// input order within each severity.
func sortDiagnostics(ds model.Diagnostics) {
	slices.SortStableFunc(ds, func(a, b model.Diagnostic) int { return int(a.Severity) - int(b.Severity) })
}

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
	"strings"

	"github.com/vpcsim/vpcsim/hcl/awsapi"
	"github.com/vpcsim/vpcsim/hcl/config"
	"github.com/vpcsim/vpcsim/hcl/mapper"
	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/hcl/tfjson"
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
	FormatMerged           // several inputs merged into one network (LoadAll)
	FormatSnapshot         // a folder of AWS CLI answers (docs/snapshot.sh)
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
	case FormatMerged:
		return "merged"
	case FormatSnapshot:
		return "aws-snapshot"
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
	// Parts are, for several inputs merged into one network (LoadAll),
	// each input as loaded alone; nil for one input.
	Parts []*Input
	// UnknownData are the addresses of the data sources whose values the
	// input does not give (for a plan, those read when applied); a note
	// counts them.
	UnknownData []string
}

// IgnoredType counts the resources of one type that a load read but did not
// map to network elements.
type IgnoredType = mapper.IgnoredType

// Change is one resource change of a plan.
type Change = tfjson.Change

// Load reads the network at path: a folder of Terraform configuration, a
// folder of AWS CLI answers (an AWS API snapshot, docs/snapshot.sh), a
// state file, or the JSON of `terraform show -json` for a state or a plan.
// The format of a file is told from its content, not its name. "-" reads
// standard input.
//
// The error is non-nil exactly when the Input's Diagnostics hold errors; it
// is then those errors, a model.Diagnostics. The Input is returned either
// way, so that a caller can print every diagnostic.
func Load(path string, opts ...Option) (*Input, error) {
	o := collect(opts)
	if path == "-" {
		var r io.Reader = os.Stdin
		if o.stdin != nil {
			r = o.stdin
		}
		data, err := readAtMost(r, 0, o.limits.MaxInputSize)
		if err != nil {
			return refuse("<stdin>", model.Pos{File: "<stdin>", Line: 1, Col: 1}, "cannot read standard input: %v", err)
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
	f, err := os.Open(path)
	if err != nil {
		return refuse(path, model.Pos{File: path}, "cannot read the input: %v", unwrapPathError(err))
	}
	defer f.Close()
	// The size is checked before anything is read: a file too large is
	// refused at once.
	if fi.Mode().IsRegular() && fi.Size() > o.limits.MaxInputSize {
		return refuse(path, model.Pos{File: path, Line: 1, Col: 1}, "%s", inputTooLarge(fi.Size(), o.limits.MaxInputSize))
	}
	var size int64
	if fi.Mode().IsRegular() {
		size = fi.Size()
	}
	data, err := readAtMost(f, size, o.limits.MaxInputSize)
	if err != nil {
		return refuse(path, model.Pos{File: path, Line: 1, Col: 1}, "cannot read the input: %v", unwrapPathError(err))
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
	fsys := os.DirFS(root)
	if awsapi.IsSnapshot(fsys, dir) {
		in, err := LoadSnapshot(fsys, dir, append(slices.Clip(opts), withDisplay(display))...)
		in.Path = path
		return in, err
	}
	in, err := LoadConfig(fsys, dir, append(slices.Clip(opts), withDisplay(display))...)
	in.Path = path
	return in, err
}

// LoadConfig reads the Terraform configuration in folder dir of fsys (the
// root module, and the modules it calls) and evaluates it the way terraform
// plan would, without providers: variables from every source in Terraform's
// order of precedence, count, for_each, dynamic blocks, modules and
// functions. Values known only after apply become symbolic IDs or
// placeholders, marked unknown; see docs/loading-config.md.
//
// The error is non-nil exactly when the Input's Diagnostics hold errors; the
// Input is returned either way, with whatever network could be built.
func LoadConfig(fsys fs.FS, dir string, opts ...Option) (*Input, error) {
	o := collect(opts)
	res := config.Evaluate(fsys, dir, o.configOptions())
	name := dir
	if o.display != nil {
		name = o.display(dir)
	}
	mo := o.mapOptions()
	if mo.Region == "" {
		// The default provider's region stands for --region.
		mo.Region = res.Region
	}
	b := mapper.Build(name, res.Instances, mo)
	in := &Input{Path: name, Format: FormatConfig, Network: b.Network, Ignored: b.Ignored, UnknownData: b.UnknownData}
	in.Diagnostics = append(res.Diagnostics, b.Diagnostics...)
	return in.result()
}

// LoadSnapshot reads the AWS API snapshot in folder dir of fsys: the JSON
// the AWS CLI prints for the describe calls of docs/snapshot.sh, for one or
// several accounts (ACCOUNT/ folders) and regions (ACCOUNT/REGION/
// folders). Each answer becomes the resource instances the AWS provider
// would write for what it describes, mapped by the mapper every input
// shares; see docs/loading.md, "AWS API snapshots".
//
// The error is non-nil exactly when the Input's Diagnostics hold errors.
func LoadSnapshot(fsys fs.FS, dir string, opts ...Option) (*Input, error) {
	o := collect(opts)
	res := awsapi.Read(fsys, dir, o.display)
	name := dir
	if o.display != nil {
		name = o.display(dir)
	}
	in := &Input{Path: name, Format: FormatSnapshot, Diagnostics: res.Diagnostics}
	if res.Diagnostics.HasErrors() && len(res.Instances) == 0 {
		return in.result()
	}
	mo := o.mapOptions()
	if mo.Region == "" && len(res.Regions) == 1 {
		mo.Region = res.Regions[0]
	}
	if mo.AccountID == "" && len(res.Accounts) == 1 {
		mo.AccountID = res.Accounts[0]
	}
	b := mapper.Build(name, res.Instances, mo)
	in.Network, in.Ignored = b.Network, b.Ignored
	in.Diagnostics = append(in.Diagnostics, b.Diagnostics...)
	return in.result()
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

// errTooLarge is what readAtMost returns for an input over the limit.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string { return inputTooLarge(-1, e.limit) }

// readAtMost reads r to its end, or fails as soon as it has read more than
// limit bytes. size is what r is expected to hold (0: unknown): reading into
// a buffer of that size at once spares io.ReadAll's doubling, which copied and
// cleared a 127 MB state about twice over (a sixth of a report's CPU).
func readAtMost(r io.Reader, size, limit int64) ([]byte, error) {
	var buf bytes.Buffer
	if size > 0 {
		// One byte more than expected, so that the read that finds the
		// end needs no new buffer.
		buf.Grow(int(min(size, limit)) + bytes.MinRead)
	}
	_, err := buf.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	data := buf.Bytes()
	if int64(len(data)) > limit {
		return nil, errTooLarge{limit}
	}
	return data, nil
}

// inputTooLarge says that an input of size bytes (-1: unknown, more than the
// limit) is over the limit, and how to raise it.
func inputTooLarge(size, limit int64) string {
	what := "it is larger than"
	if size >= 0 {
		what = fmt.Sprintf("it is %s bytes, more than", resource.Digits(size))
	}
	return fmt.Sprintf("%s the %s bytes vpcsim reads from one input; if it is a real state or plan, --max-input-size raises the limit", what, resource.Digits(limit))
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
	doc := tfjson.ReadWith(name, data, tfjson.Limits{MaxStringSize: o.limits.MaxStringSize})
	in := &Input{Path: name, TerraformVersion: doc.TerraformVersion, Changes: doc.Changes, Diagnostics: doc.Diagnostics}
	switch doc.Kind {
	case tfjson.KindState:
		in.Format = FormatState
	case tfjson.KindShowState:
		in.Format = FormatShowState
	case tfjson.KindPlan:
		in.Format = FormatPlan
	default:
		return in.result()
	}
	b := mapper.Build(name, doc.Instances, o.mapOptions())
	in.Network, in.Ignored, in.UnknownData = b.Network, b.Ignored, b.UnknownData
	in.Diagnostics = append(in.Diagnostics, b.Diagnostics...)
	if doc.Kind == tfjson.KindPlan {
		prior := mapper.Build(name, doc.Prior, o.mapOptions())
		in.Before = prior.Network
		for _, x := range prior.Diagnostics {
			x.Message = "in the prior state: " + x.Message
			in.Diagnostics = append(in.Diagnostics, x)
		}
	}
	return in.result()
}

// result is how every loader returns: the diagnostics sorted, errors first,
// and the error non-nil exactly when there are error diagnostics (it is
// then those errors, a model.Diagnostics).
func (in *Input) result() (*Input, error) {
	for i := range in.Diagnostics {
		d := &in.Diagnostics[i]
		d.Message, d.Element = abridge(d.Message), abridge(d.Element)
	}
	sortDiagnostics(in.Diagnostics)
	if in.Diagnostics.HasErrors() {
		return in, in.Diagnostics.Errors()
	}
	return in, nil
}

// maxMessage bounds the length of a diagnostic's message and element, in
// bytes: a message quotes what the input says, and a hostile input can say
// megabytes where a CIDR block is expected.
const maxMessage = 1000

// abridge shortens s to about maxMessage bytes, keeping its beginning and
// end and saying how much was left out.
func abridge(s string) string {
	if len(s) <= maxMessage {
		return s
	}
	// Cutting may split a character: its pieces are dropped.
	head := strings.ToValidUTF8(s[:maxMessage*3/5], "")
	tail := strings.ToValidUTF8(s[len(s)-maxMessage/5:], "")
	return fmt.Sprintf("%s … (%s bytes left out) … %s", head, resource.Digits(int64(len(s)-len(head)-len(tail))), tail)
}

// sortDiagnostics puts errors first, then warnings, then notes, keeping the
// input order within each severity.
func sortDiagnostics(ds model.Diagnostics) {
	slices.SortStableFunc(ds, func(a, b model.Diagnostic) int { return int(a.Severity) - int(b.Severity) })
}

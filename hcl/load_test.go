package hcl

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/vpcsim/vpcsim/model"
)

// TestMalformed feeds broken inputs; each must be refused or reported with
// an error naming the file, the line and the problem, and never panic.
func TestMalformed(t *testing.T) {
	packt, err := os.ReadFile(filepath.Join("testdata", "corpus", "packt_vpc.tfstate"))
	if err != nil {
		t.Fatal(err)
	}
	routeMissing, _ := stateJSON(
		r("aws_vpc", "a", vpcA),
		r("aws_route", "x", `{"id": "r-1", "route_table_id": "rtb-nowhere", "destination_cidr_block": "0.0.0.0/0", "gateway_id": "igw-1"}`),
	)
	cidr33, _ := stateJSON(r("aws_vpc", "a", `{"id": "vpc-a", "cidr_block": "10.0.0.0/33"}`))
	hostBits, _ := stateJSON(
		r("aws_vpc", "a", vpcA),
		r("aws_subnet", "s", `{"id": "subnet-s", "vpc_id": "vpc-a", "cidr_block": "10.0.1.5/24"}`),
	)
	utf16le := func(s string) []byte {
		u := utf16.Encode([]rune(s))
		b := []byte{0xFF, 0xFE}
		for _, c := range u {
			b = binary.LittleEndian.AppendUint16(b, c)
		}
		return b
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		sev   model.Severity // the diagnostic expected
		line  int
		col   int // 0: not checked
		msg   string
		loads bool // the input loads (the diagnostic is a warning or note)
	}{
		{"truncated", packt[:len(packt)/2], model.SeverityError, strings.Count(string(packt[:len(packt)/2]), "\n") + 1, 0, "unexpected end of JSON input: the file is truncated", false},
		{"bad character", []byte("{\"version\": 4,\n  \"resources\": [}\n"), model.SeverityError, 2, 17, "invalid character '}' looking for beginning of value", false},
		{"minified column", []byte(`{"version":4,"resources":[{"type":"aws_vpc" "name":"x"}]}`), model.SeverityError, 1, 45, "invalid character '\"' after object key:value pair", false},
		{"trailing data", []byte("{\"version\": 4}\n{}"), model.SeverityError, 2, 1, "after top-level value", false},
		{"state version 5", []byte("{\n  \"version\": 5\n}"), model.SeverityError, 2, 14, "unknown state format version 5: vpcsim reads format version 4", false},
		{"state version string", []byte(`{"version": "4"}`), model.SeverityError, 1, 13, `state "version" is a string, not a number`, false},
		{"show format 2.0", []byte(`{"format_version": "2.0", "values": {}}`), model.SeverityError, 1, 20, `unknown ` + "`terraform show -json`" + ` format version "2.0"`, false},
		{"route to a table of another stack", routeMissing, model.SeverityWarning, 4, 0, "route_table_id rtb-nowhere names a route table that is not in the input: it is kept as an element outside the input", true},
		{"cidr /33", cidr33, model.SeverityError, 3, 0, `cidr_block "10.0.0.0/33" is not a valid CIDR block (prefix length out of range)`, false},
		{"host bits", hostBits, model.SeverityWarning, 4, 0, `cidr_block "10.0.1.5/24" has host bits set: read as 10.0.1.0/24`, true},
		{"empty", []byte("  \n"), model.SeverityError, 0, 0, "the input is empty", false},
		{"binary plan", []byte("PK\x03\x04rest-of-zip"), model.SeverityError, 0, 0, "binary plan file", false},
		{"hcl", []byte("resource \"aws_vpc\" \"a\" {\n}\n"), model.SeverityError, 1, 1, "Terraform configuration (HCL)", false},
		{"tf.json", []byte(`{"resource": {"aws_vpc": {"a": {}}}}`), model.SeverityError, 1, 1, "configuration in JSON syntax", false},
		{"array", []byte(`[1, 2]`), model.SeverityError, 1, 1, "the document is an array", false},
		{"unknown object", []byte(`{"foo": 1, "bar": 2}`), model.SeverityError, 1, 1, `its keys are "bar", "foo"`, false},
		{"providers schema", []byte(`{"format_version": "1.0", "provider_schemas": {}}`), model.SeverityError, 1, 0, "terraform providers schema -json", false},
		{"one json line", []byte(`{"@level":"info","@message":"Terraform 1.9.0","type":"version"}`), model.SeverityError, 1, 1, "JSON-lines log", false},
		{"resources not an array", []byte(`{"version": 4, "resources": {}}`), model.SeverityError, 1, 29, `"resources" is an object, not an array`, false},
		{"instance without attributes", []byte("{\"version\": 4, \"resources\": [\n{\"mode\": \"managed\", \"type\": \"aws_vpc\", \"name\": \"a\", \"instances\": [{\"attributes_flat\": {}}]}]}"), model.SeverityError, 2, 67, "legacy flat attributes", false},
		{"bad index key", []byte("{\"version\": 4, \"resources\": [\n{\"mode\": \"managed\", \"type\": \"aws_vpc\", \"name\": \"a\", \"instances\": [{\"index_key\": true, \"attributes\": {}}]}]}"), model.SeverityError, 2, 67, "index_key is a boolean", false},
		{"utf-16", utf16le(`{"version": 4, "resources": []}`), model.SeverityNote, 0, 0, "UTF-16", true},
		{"empty show state", []byte(`{"format_version": "1.0"}`), 0, 0, 0, "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := LoadBytes("bad.json", tc.data)
			if tc.loads != (err == nil) {
				t.Fatalf("error %v, want loads=%v", err, tc.loads)
			}
			if err != nil {
				var ds model.Diagnostics
				if !errors.As(err, &ds) || !ds.HasErrors() {
					t.Errorf("error %T is not the diagnostics", err)
				}
			}
			if tc.msg == "" {
				return
			}
			for _, d := range in.Diagnostics {
				if d.Severity != tc.sev || !strings.Contains(d.Message, tc.msg) {
					continue
				}
				if d.Pos.File != "bad.json" {
					t.Errorf("file %q, want bad.json", d.Pos.File)
				}
				if tc.line != 0 && d.Pos.Line != tc.line {
					t.Errorf("line %d, want %d", d.Pos.Line, tc.line)
				}
				if tc.col != 0 && d.Pos.Col != tc.col {
					t.Errorf("column %d, want %d", d.Pos.Col, tc.col)
				}
				return
			}
			t.Errorf("no %s containing %q; got:\n%s", tc.sev, tc.msg, diagText(in.Diagnostics))
		})
	}
}

// TestLoadFiles covers Load's own cases: a missing file, a .tf file, a
// folder (the configuration loader), standard input.
func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := Load(filepath.Join(dir, "nope.tfstate")); err == nil || !strings.Contains(err.Error(), "cannot read the input") || !strings.Contains(err.Error(), "nope.tfstate") {
		t.Errorf("missing file: %v", err)
	}
	tf := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(tf, []byte("resource \"aws_vpc\" \"a\" { cidr_block = \"10.0.0.0/33\" }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(tf); err == nil || !strings.Contains(err.Error(), "pass the folder") {
		t.Errorf(".tf file: %v", err)
	}
	in, err := Load(dir)
	if err == nil || in == nil || in.Format != FormatConfig || in.Path != dir {
		t.Errorf("folder: %+v, %v", in, err)
	}
	for _, d := range in.Diagnostics {
		if !strings.HasPrefix(d.Pos.File, dir) {
			t.Errorf("folder diagnostic %s is not under %s", d, dir)
		}
	}
	data, _ := stateJSON(r("aws_vpc", "a", vpcA))
	in, err = Load("-", WithStdin(strings.NewReader(string(data))))
	if err != nil || in.Path != "<stdin>" || len(in.Network.VPCs) != 1 || in.Network.VPCs[0].Pos.File != "<stdin>" {
		t.Errorf("stdin: %+v, %v", in, err)
	}
}

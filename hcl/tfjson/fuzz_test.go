package tfjson

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/internal/estate"
)

// jsonSeeds are the states, plans and refusals of the loader's corpus, a
// small synthetic estate, and a few documents that exercise the parser's
// corners.
func jsonSeeds(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("..", "testdata", "corpus", "*"))
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	var st bytes.Buffer
	if err := estate.Write(&st, estate.Params{VPCs: 1, SubnetsPerVPC: 3, InstancesPerSubnet: 1, SGsPerVPC: 2, RulesPerSG: 2, NACLRules: 2, Seed: 1}); err != nil {
		f.Fatal(err)
	}
	f.Add(st.Bytes())
	for _, s := range []string{
		`{"version": 3}`, `[]`, `"\ud800\u0041"`, `{"a": 1e5, "b": -0.5, "c": [true, false, null]}`,
		`{"a": [{"b": {"c": [1, {"d": "\u00e9"}]}}], "e": "x\ny"}`, `   {"k": 1}  `, `{"k": 01}`, `{"k": "\q"}`,
	} {
		f.Add([]byte(s))
	}
}

// FuzzJSON checks the positional parser against encoding/json: the same
// documents are valid, and they have the same values.
func FuzzJSON(f *testing.F) {
	jsonSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := newJSONDoc("f.json", data)
		perr := doc.parse()
		// json.Valid says whether the whole input is one JSON value; the
		// decoder gives the value.
		var want any
		var jerr error
		if !json.Valid(data) {
			jerr = &json.SyntaxError{}
		} else {
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.UseNumber()
			jerr = dec.Decode(&want)
		}
		if perr != nil && strings.Contains(perr.msg, "levels deep") {
			return // deeper than this parser accepts, by design
		}
		if (perr == nil) != (jerr == nil) {
			t.Fatalf("parser error %v, encoding/json error %v, for %q", perr, jerr, data)
		}
		if perr != nil {
			if perr.off < 0 || perr.off > len(data) {
				t.Fatalf("error offset %d outside the input", perr.off)
			}
			return
		}
		if got := stripPos(doc.root); !reflect.DeepEqual(got, want) {
			t.Fatalf("values differ for %q:\n got %#v\nwant %#v", data, got, want)
		}
	})
}

func stripPos(v any) any {
	switch t := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(t))
		for k, e := range t {
			if k != resource.PosKey {
				m[k] = stripPos(e)
			}
		}
		return m
	case []any:
		l := make([]any, len(t))
		for i, e := range t {
			l[i] = stripPos(e)
		}
		return l
	}
	return v
}

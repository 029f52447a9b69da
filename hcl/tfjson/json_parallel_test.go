package tfjson

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// TestParallelParseMatches checks that parsing a state's resources on every
// processor gives exactly what parsing them in order gives: the same values,
// positions and, for broken documents, the same error at the same offset.
func TestParallelParseMatches(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/*")
	more, _ := filepath.Glob("../../examples/*/terraform.tfstate")
	files = append(files, more...)
	if len(files) < 5 {
		t.Fatalf("found only %v", files)
	}
	parse := func(data []byte, min int) (any, *jsonSyntaxError) {
		old := parallelParseMin
		parallelParseMin = min
		defer func() { parallelParseMin = old }()
		d := newJSONDoc("x", data)
		d.skip = unreadKeys
		err := d.parse()
		return d.root, err
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// Whole documents, and documents cut short or corrupted inside the
		// resources.
		variants := [][]byte{data, data[:len(data)*2/3]}
		bad := append([]byte{}, data...)
		bad[len(bad)/2] = '}'
		variants = append(variants, bad)
		for i, v := range variants {
			seq, serr := parse(v, 1<<62)
			par, perr := parse(v, 0)
			if (serr == nil) != (perr == nil) || serr != nil && (serr.off != perr.off || serr.msg != perr.msg) {
				t.Errorf("%s variant %d: errors differ: sequential %v, parallel %v", f, i, serr, perr)
				continue
			}
			if !reflect.DeepEqual(seq, par) {
				t.Errorf("%s variant %d: values differ", f, i)
			}
		}
	}
}

package report

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/vpcsim/vpcsim/reach"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./report -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./report -update rewrites it after review):\n%s", name, firstDiff(want, got))
	}
}

// firstDiff shows the first line that differs, for a readable failure.
func firstDiff(want, got []byte) string {
	wl, gl := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	for i := 0; i < max(len(wl), len(gl)); i++ {
		var w, g []byte
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if !bytes.Equal(w, g) {
			return "line " + itoa(i+1) + ":\n  want: " + string(w) + "\n  got:  " + string(g)
		}
	}
	return "(same lines, different bytes)"
}

func TestGoldenReport(t *testing.T) {
	r := sampleReport(t)
	ext := map[string]string{"text": "txt", "json": "json", "markdown": "md", "html": "html", "sarif": "sarif"}
	for _, format := range Formats {
		t.Run(format, func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteReport(&b, r, format); err != nil {
				t.Fatal(err)
			}
			golden(t, "shop."+ext[format], b.Bytes())
		})
	}
}

func TestGoldenMatrix(t *testing.T) {
	e := sample(t)
	for _, by := range []reach.GroupBy{reach.BySubnet, reach.BySecurityGroup} {
		m, err := e.Matrix(reach.MatrixOptions{By: by, Internet: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, format := range MatrixFormats {
			var b bytes.Buffer
			if err := WriteMatrix(&b, m, format); err != nil {
				t.Fatal(err)
			}
			golden(t, "matrix-"+string(by)+"."+map[string]string{"text": "txt", "json": "json", "csv": "csv", "markdown": "md", "html": "html"}[format], b.Bytes())
		}
	}
}

func TestGoldenGraph(t *testing.T) {
	e := sample(t)
	for _, format := range GraphFormats {
		var b bytes.Buffer
		if err := WriteGraph(&b, e.Topology(), e.Loops(), format); err != nil {
			t.Fatal(err)
		}
		golden(t, "shop."+map[string]string{"dot": "dot", "mermaid": "mmd"}[format], b.Bytes())
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

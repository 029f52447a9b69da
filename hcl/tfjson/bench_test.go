package tfjson

import (
	"bytes"
	"testing"

	"github.com/vpcsim/vpcsim/internal/estate"
)

// BenchmarkParseJSON is the JSON parser alone, on a generated state of 20
// VPCs.
func BenchmarkParseJSON(b *testing.B) {
	p := estate.Default()
	p.VPCs, p.TGWHubs, p.Peerings = 20, 1, 5
	var st bytes.Buffer
	if err := estate.Write(&st, p); err != nil {
		b.Fatal(err)
	}
	data := st.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		doc := newJSONDoc("bench.tfstate", data)
		doc.skip = unreadKeys
		if err := doc.parse(); err != nil {
			b.Fatal(err)
		}
	}
}

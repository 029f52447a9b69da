package flowlog

import (
	"bytes"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
)

func FuzzParseFormat(f *testing.F) {
	f.Add(DefaultFormat.String())
	f.Add(Format(AllFields()).String())
	f.Add("${srcaddr} ${dstadr}")
	f.Add("version srcaddr")
	f.Fuzz(func(t *testing.T, s string) {
		fm, err := ParseFormat(s)
		if err != nil {
			return
		}
		// A parsed format prints as one that parses to itself.
		again, err := ParseFormat(fm.String())
		if err != nil || again.String() != fm.String() {
			t.Fatalf("%q -> %q -> %v", s, fm.String(), err)
		}
		if h, err := ParseFormat(fm.Header()); err != nil || h.String() != fm.String() {
			t.Fatalf("header %q: %v", fm.Header(), err)
		}
	})
}

func FuzzTextReader(f *testing.F) {
	var buf bytes.Buffer
	w, _ := NewTextWriter(&buf, AllFields(), true)
	for _, r := range sample() {
		w.Write(&r)
	}
	w.Flush()
	f.Add(buf.Bytes())
	f.Add([]byte(DefaultFormat.Header() + "\n2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"))
	f.Add([]byte("2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var fm Format
		if !bytes.HasPrefix(data, []byte("version")) {
			fm = DefaultFormat
		}
		r, err := NewTextReader(bytes.NewReader(data), fm)
		if err != nil {
			return
		}
		var out bytes.Buffer
		tw, _ := NewTextWriter(&out, r.Format(), false)
		for range 1000 {
			rec, err := r.Next()
			if err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				break
			}
			// What was read writes back and reads again to the same record.
			before := *rec
			out.Reset()
			tw.Write(rec)
			tw.Flush()
			r2, err := NewTextReader(bytes.NewReader(out.Bytes()), r.Format())
			if err != nil {
				t.Fatal(err)
			}
			again, err := r2.Next()
			if err != nil || *again != before {
				t.Fatalf("%q: %v\n got %+v\nwant %+v", strings.TrimSpace(out.String()), err, again, before)
			}
		}
	})
}

// FuzzParquetReader reads damaged Parquet flow logs: every problem is an
// error, never a panic, and a file that opens yields what it holds.
func FuzzParquetReader(f *testing.F) {
	for _, fm := range []Format{AllFields(), DefaultFormat} {
		for _, codec := range []compress.Codec{&parquet.Uncompressed, &parquet.Gzip} {
			var buf bytes.Buffer
			w, err := NewParquetWriter(&buf, fm, codec)
			if err != nil {
				f.Fatal(err)
			}
			for _, r := range sample() {
				w.Write(&r)
			}
			if err := w.Close(); err != nil {
				f.Fatal(err)
			}
			f.Add(buf.Bytes())
		}
	}
	f.Add([]byte("PAR1 nonsense PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewParquetReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		for range 1000 {
			if _, err := r.Next(); err != nil {
				if err.Error() == "" {
					t.Fatal("empty error")
				}
				return
			}
		}
	})
}

package flowlog

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/netip"
	"testing"
	"time"
)

// manyRecords returns n distinct records of the v5 sample.
func manyRecords(n int) []Record {
	base := sample()[0]
	out := make([]Record, n)
	for i := range out {
		r := base
		r.SrcPort = int32(1024 + i%60000)
		r.SrcAddr = netip.AddrFrom4([4]byte{10, 0, byte(i >> 8), byte(i)})
		r.PktSrcAddr = r.SrcAddr
		r.Packets, r.Bytes = int64(1+i%50), int64(40+i%100000)
		out[i] = r
	}
	return out
}

// BenchmarkWrite measures records written per second in each output
// format, in the default (v2) and an all-fields (v5) format.
func BenchmarkWrite(b *testing.B) {
	recs := manyRecords(4096)
	for _, fc := range []struct {
		name string
		f    Format
	}{{"v2", DefaultFormat}, {"all", AllFields()}} {
		b.Run("text/"+fc.name, func(b *testing.B) {
			w, _ := NewTextWriter(io.Discard, fc.f, true)
			benchWrite(b, recs, w.Write)
			w.Flush()
		})
		b.Run("text-gzip/"+fc.name, func(b *testing.B) {
			zw, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
			w, _ := NewTextWriter(zw, fc.f, true)
			benchWrite(b, recs, w.Write)
			w.Flush()
			zw.Close()
		})
		b.Run("parquet/"+fc.name, func(b *testing.B) {
			w, _ := NewParquetWriter(io.Discard, fc.f, nil)
			benchWrite(b, recs, w.Write)
			w.Close()
		})
		b.Run("json/"+fc.name, func(b *testing.B) {
			w := NewJSONWriter(io.Discard, fc.f)
			benchWrite(b, recs, w.Write)
			w.Flush()
		})
	}
}

func benchWrite(b *testing.B, recs []Record, write func(*Record) error) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := write(&recs[i%len(recs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkReadText(b *testing.B) {
	var buf bytes.Buffer
	w, _ := NewTextWriter(&buf, DefaultFormat, true)
	recs := manyRecords(4096)
	for i := range recs {
		w.Write(&recs[i])
	}
	w.Flush()
	data := buf.Bytes()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)) / 4096)
	var r *TextReader
	for i := 0; b.Loop(); i++ {
		if i%4096 == 0 {
			r, _ = NewTextReader(bytes.NewReader(data), nil)
		}
		if _, err := r.Next(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAggregate measures packet events aggregated per second: 10,000
// flows on 100 interfaces, 60 s intervals, records discarded.
func BenchmarkAggregate(b *testing.B) {
	ifaces := make([]Interface, 100)
	for i := range ifaces {
		ifaces[i] = Interface{ID: "eni-x", AccountID: "123456789012", PrimaryV4: netip.AddrFrom4([4]byte{10, 1, 0, byte(i)})}
	}
	var recs int
	a, _ := NewAggregator(Config{Interval: Interval1m}, ifaces, func(*Record) error { recs++; return nil })
	evs := make([]Event, 10000)
	for i := range evs {
		evs[i] = Event{Interface: int32(i % 100), Direction: Ingress, Action: Accept,
			Src: netip.AddrFrom4([4]byte{10, 2, byte(i >> 8), byte(i)}), Dst: ifaces[i%100].PrimaryV4,
			SrcPort: uint16(1024 + i), DstPort: 443, Protocol: 6, Bytes: 1500, TCPFlags: 16}
	}
	t := time.Unix(1700000000, 0)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		e := &evs[i%len(evs)]
		e.Time = t.Add(time.Duration(i) * time.Microsecond)
		if err := a.Add(e); err != nil {
			b.Fatal(err)
		}
		i++
	}
	a.Flush()
	b.ReportMetric(float64(recs)/float64(b.N), "records/event")
}

package verify

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/vpcsim/vpcsim/packet/flowlog"
	"github.com/vpcsim/vpcsim/packet/flowlog/verify/verifytest"
)

// BenchmarkClassify measures records classified and summed per second
// (Verifier.Add) on synthesised traffic through the shop network.
func BenchmarkClassify(b *testing.B) {
	e := engine(b, shop())
	s := verifytest.New(e, 1)
	if err := s.Random(20000); err != nil {
		b.Fatal(err)
	}
	recs := s.Records
	v := New(e, Options{})
	b.ReportAllocs()
	i := 0
	cpu0 := cpuTime()
	for b.Loop() {
		v.Add("bench", i, &recs[i%len(recs)])
		i++
	}
	b.ReportMetric(float64(b.N)/(cpuTime()-cpu0).Seconds(), "records/cpu-s")
}

// BenchmarkRun measures the whole read: a gzipped text file of version 5
// records, read, classified and summed (records per second).
func BenchmarkRun(b *testing.B) {
	e := engine(b, shop())
	s := verifytest.New(e, 1)
	if err := s.Random(20000); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw, _ := flowlog.NewTextWriter(zw, flowlog.AllFields()[:flowlog.FTrafficPath+1], true)
	for i := range s.Records {
		tw.Write(&s.Records[i])
	}
	tw.Flush()
	zw.Close()
	path := filepath.Join(b.TempDir(), "flows.log.gz")
	os.WriteFile(path, buf.Bytes(), 0o644)
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		v := New(e, Options{})
		if err := v.Run([]Source{{Path: path}}); err != nil {
			b.Fatal(err)
		}
	}
	// The machine may be shared: CPU time is the stable figure.
	b.ReportMetric(float64(len(s.Records))*float64(b.N)/(cpuTime()-cpu0).Seconds(), "records/cpu-s")
}

// cpuTime is the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFastText measures reading version 5 text records alone (no
// decompression, no verification).
func BenchmarkFastText(b *testing.B) {
	e := engine(b, shop())
	s := verifytest.New(e, 1)
	if err := s.Random(20000); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	tw, _ := flowlog.NewTextWriter(&buf, flowlog.AllFields()[:flowlog.FTrafficPath+1], true)
	for i := range s.Records {
		tw.Write(&s.Records[i])
	}
	tw.Flush()
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		ft, err := newFastText(bufio.NewReaderSize(bytes.NewReader(data), 256<<10), nil)
		if err != nil {
			b.Fatal(err)
		}
		for {
			if _, err := ft.Next(); err != nil {
				if err != io.EOF {
					b.Fatal(err)
				}
				break
			}
		}
	}
	b.ReportMetric(float64(len(s.Records))*float64(b.N)/(cpuTime()-cpu0).Seconds(), "records/cpu-s")
}

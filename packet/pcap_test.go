package packet

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"testing"
	"time"
)

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func writeCapture(t testing.TB, format CaptureFormat, link LinkType, frames ...[]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, format, link)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range frames {
		if err := w.Write(t0.Add(time.Duration(i)*time.Millisecond), f); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readAll(t testing.TB, data []byte) (*Reader, [][]byte, []time.Time) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var frames [][]byte
	var times []time.Time
	for {
		b, ci, err := r.Next()
		if err == io.EOF {
			return r, frames, times
		}
		if err != nil {
			t.Fatal(err)
		}
		frames = append(frames, bytes.Clone(b))
		times = append(times, ci.Timestamp)
	}
}

func TestCaptureRoundTrip(t *testing.T) {
	for _, format := range []CaptureFormat{PCAP, PCAPNG} {
		for _, link := range []LinkType{LinkRaw, LinkEthernet} {
			frames := [][]byte{tcpSYN4, udpDNS6, ping4, ping6}
			if link == LinkEthernet {
				for i := range frames {
					frames[i] = ethernetOf(frames[i])
				}
			}
			data := writeCapture(t, format, link, frames...)
			for _, gz := range []bool{false, true} {
				in := data
				if gz {
					var z bytes.Buffer
					zw := gzip.NewWriter(&z)
					zw.Write(data)
					zw.Close()
					in = z.Bytes()
				}
				r, got, times := readAll(t, in)
				if r.Format() != format || r.LinkType() != link {
					t.Errorf("%s/%s: read as %s/%s", format, link, r.Format(), r.LinkType())
				}
				if len(got) != len(frames) {
					t.Fatalf("%s: %d packets, want %d", format, len(got), len(frames))
				}
				d := NewDecoder()
				for i := range frames {
					if !bytes.Equal(got[i], frames[i]) {
						t.Errorf("%s packet %d differs", format, i)
					}
					if want := t0.Add(time.Duration(i) * time.Millisecond); !times[i].Equal(want) {
						t.Errorf("%s packet %d at %v, want %v", format, i, times[i], want)
					}
					var h Header
					if err := d.Decode(got[i], r.LinkType(), &h); err != nil {
						t.Errorf("%s packet %d: %v", format, i, err)
					}
				}
			}
		}
	}
}

func TestCaptureErrors(t *testing.T) {
	good := writeCapture(t, PCAPNG, LinkRaw, tcpSYN4)
	pcap := writeCapture(t, PCAP, LinkRaw, tcpSYN4, ping4)
	for name, data := range map[string][]byte{
		"empty":             {},
		"text":              []byte("hello, world\n"),
		"short pcap header": pcap[:10],
	} {
		if _, err := NewReader(bytes.NewReader(data)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// A packet cut short fails with its number.
	r, err := NewReader(bytes.NewReader(pcap[:len(pcap)-5]))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.Next(); err == nil || errors.Is(err, io.EOF) || !bytes.Contains([]byte(err.Error()), []byte("packet 2")) {
		t.Errorf("truncated packet: %v", err)
	}
	// A pcapng block claiming a huge packet is refused before anything is
	// allocated for it.
	bad := bytes.Clone(good)
	epb := bytes.Index(bad, []byte{6, 0, 0, 0})
	bad[epb+20], bad[epb+21], bad[epb+22], bad[epb+23] = 0xff, 0xff, 0xff, 0x7f
	r, err = NewReader(bytes.NewReader(bad))
	if err == nil {
		_, _, err = r.Next()
	}
	if err == nil {
		t.Error("huge pcapng packet: no error")
	}
}

package packet

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/internal/atomicfile"
)

// CaptureFile writes packets to a capture file atomically: pcap, or pcapng
// when the name ends .pcapng; raw IP packets (LINKTYPE_RAW), their payloads
// zero bytes of the length their headers say.
type CaptureFile struct {
	f   *atomicfile.File
	bw  *bufio.Writer
	w   *Writer
	ser *Serializer
	err error
}

// CreateCapture starts writing the capture path.
func CreateCapture(path string) (*CaptureFile, error) {
	format := PCAP
	if strings.HasSuffix(path, ".pcapng") {
		format = PCAPNG
	}
	f, err := atomicfile.Create(path, 0o644)
	if err != nil {
		return nil, err
	}
	c := &CaptureFile{f: f, bw: bufio.NewWriterSize(f, 1<<20), ser: NewSerializer()}
	if c.w, err = NewWriter(c.bw, format, LinkRaw); err != nil {
		f.Abort()
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return c, nil
}

// Write adds the packet h, sent at t. The first error is kept: Write is a
// Replayer's OnSend as it is.
func (c *CaptureFile) Write(t time.Time, h *Header) {
	if c.err != nil {
		return
	}
	b, err := c.ser.Serialize(h, zeros(h.PayloadLen))
	if err == nil {
		err = c.w.Write(t, b)
	}
	c.err = err
}

// Commit completes the capture; the first error of Write, if any, fails it.
func (c *CaptureFile) Commit() error {
	err := c.err
	if err == nil {
		err = errors.Join(c.w.Flush(), c.bw.Flush())
	}
	if err != nil {
		c.f.Abort()
		return fmt.Errorf("writing %s: %w", c.f.Name(), err)
	}
	return c.f.Commit()
}

// Abort removes the capture unless it was committed.
func (c *CaptureFile) Abort() { c.f.Abort() }

// Name is the capture's file name.
func (c *CaptureFile) Name() string { return c.f.Name() }

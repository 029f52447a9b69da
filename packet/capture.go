package packet

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// AtomicFile is a file written under a temporary name next to its final
// one and renamed into place when complete, so that a failed or interrupted
// run never leaves a half-written file where a good one was expected.
type AtomicFile struct {
	// File is where to write.
	File  *os.File
	final string
	done  bool
}

// CreateAtomic starts writing the file path.
func CreateAtomic(path string) (*AtomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		// The temporary name means nothing to the user: report the cause
		// against the file they asked for.
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("writing %s: %w", path, err)
	}
	return &AtomicFile{File: f, final: path}, nil
}

// Commit completes the file: synced, closed, readable as any file the user
// writes (CreateTemp makes it private), and renamed into place.
func (a *AtomicFile) Commit() error {
	err := errors.Join(a.File.Sync(), a.File.Close())
	if err == nil {
		err = os.Chmod(a.File.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(a.File.Name(), a.final)
	}
	if err != nil {
		os.Remove(a.File.Name())
		return fmt.Errorf("writing %s: %w", a.final, err)
	}
	a.done = true
	return nil
}

// Name is the file's final name.
func (a *AtomicFile) Name() string { return a.final }

// Abort removes the file unless it was committed (so that it can be
// deferred).
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.File.Close()
	os.Remove(a.File.Name())
}

// CaptureFile writes packets to a capture file atomically: pcap, or pcapng
// when the name ends .pcapng; raw IP packets (LINKTYPE_RAW), their payloads
// zero bytes of the length their headers say.
type CaptureFile struct {
	f   *AtomicFile
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
	f, err := CreateAtomic(path)
	if err != nil {
		return nil, err
	}
	c := &CaptureFile{f: f, bw: bufio.NewWriterSize(f.File, 1<<20), ser: NewSerializer()}
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
		return fmt.Errorf("writing %s: %w", c.f.final, err)
	}
	return c.f.Commit()
}

// Abort removes the capture unless it was committed.
func (c *CaptureFile) Abort() { c.f.Abort() }

// Name is the capture's file name.
func (c *CaptureFile) Name() string { return c.f.final }

package flowlog

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"

	"github.com/vpcsim/vpcsim/internal/atomicfile"
)

// JSONWriter writes records as JSON lines: one object per record whose keys
// are the format's field names, numbers as numbers, and null for a field
// that does not apply.
type JSONWriter struct {
	w   *bufio.Writer
	f   Format
	buf []byte
	tmp []byte
}

// NewJSONWriter writes records of format f to w.
func NewJSONWriter(w io.Writer, f Format) *JSONWriter {
	return &JSONWriter{w: bufio.NewWriterSize(w, 64<<10), f: f}
}

// AppendJSON appends r as a JSON object of format f's fields.
func (f Format) AppendJSON(b, scratch []byte, r *Record) ([]byte, []byte) {
	b = append(b, '{')
	for i, x := range f {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendQuote(b, x.Name())
		b = append(b, ':')
		scratch = AppendField(scratch[:0], r, x)
		switch {
		case len(scratch) == 1 && scratch[0] == '-':
			b = append(b, "null"...)
		case x.Kind() != KindString:
			b = append(b, scratch...)
		default:
			b = strconv.AppendQuote(b, string(scratch))
		}
	}
	return append(b, '}'), scratch
}

// Write writes one record.
func (j *JSONWriter) Write(r *Record) error {
	j.buf, j.tmp = j.f.AppendJSON(j.buf[:0], j.tmp, r)
	j.buf = append(j.buf, '\n')
	_, err := j.w.Write(j.buf)
	return err
}

// Flush writes what is buffered.
func (j *JSONWriter) Flush() error { return j.w.Flush() }

// CloudWatchWriter writes records as CloudWatch Logs delivery stores them:
// one log stream per interface (a file named after the interface in Dir),
// each event a JSON line with the record's start as its timestamp (in
// milliseconds) and the record's text as its message.
type CloudWatchWriter struct {
	dir     string
	f       Format
	streams map[string]*cwStream
	buf     []byte
	msg     []byte
}

type cwStream struct {
	f *atomicfile.File
	w *bufio.Writer
}

// NewCloudWatchWriter writes streams into dir, the log group.
func NewCloudWatchWriter(dir string, f Format) (*CloudWatchWriter, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &CloudWatchWriter{dir: dir, f: f, streams: map[string]*cwStream{}}, nil
}

// Write appends a record to its interface's stream.
func (c *CloudWatchWriter) Write(r *Record) error {
	// A stream's file is named by its interface, escaped: interfaces whose
	// IDs the input does not give (a load balancer's nodes) are named by
	// owner and subnet, aws_lb.web/subnet-….
	name := url.PathEscape(r.InterfaceID)
	if name == "" || name == "." || name == ".." || filepath.Base(name) != name {
		return fmt.Errorf("flow log CloudWatch: bad interface ID %q", r.InterfaceID)
	}
	s := c.streams[r.InterfaceID]
	if s == nil {
		fh, err := atomicfile.Create(filepath.Join(c.dir, name+".jsonl"), 0o644)
		if err != nil {
			return err
		}
		s = &cwStream{f: fh, w: bufio.NewWriter(fh)}
		c.streams[r.InterfaceID] = s
	}
	c.msg, _ = c.f.AppendRecord(c.msg[:0], r)
	c.buf = append(c.buf[:0], `{"timestamp":`...)
	c.buf = strconv.AppendInt(c.buf, r.Start*1000, 10)
	c.buf = append(c.buf, `,"message":`...)
	c.buf = strconv.AppendQuote(c.buf, string(c.msg))
	c.buf = append(c.buf, "}\n"...)
	_, err := s.w.Write(c.buf)
	return err
}

// Close completes every stream file (renamed into place) and returns their
// names, sorted.
func (c *CloudWatchWriter) Close() ([]string, error) {
	var names []string
	var errs []error
	for _, s := range c.streams {
		err := s.w.Flush()
		if err == nil {
			err = s.f.Commit()
		}
		if err != nil {
			s.f.Abort()
			errs = append(errs, err)
			continue
		}
		names = append(names, s.f.Name())
	}
	slices.Sort(names)
	return names, errors.Join(errs...)
}

// Abort removes every stream file the writer made.
func (c *CloudWatchWriter) Abort() {
	for id, s := range c.streams {
		s.f.Abort()
		delete(c.streams, id)
	}
}

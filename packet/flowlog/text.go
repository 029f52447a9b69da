package flowlog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
)

// TextWriter writes records as text lines, as S3 and CloudWatch delivery
// do: fields separated by single spaces, "-" where a field does not apply,
// optionally after a header line of the format's field names.
type TextWriter struct {
	w   *bufio.Writer
	f   Format
	buf []byte
}

// NewTextWriter writes records of format f to w, first the header line if
// header is set.
func NewTextWriter(w io.Writer, f Format, header bool) (*TextWriter, error) {
	if len(f) == 0 {
		return nil, errors.New("flow log: empty format")
	}
	t := &TextWriter{w: bufio.NewWriterSize(w, 64<<10), f: f, buf: make([]byte, 0, 512)}
	if header {
		if _, err := t.w.WriteString(f.Header() + "\n"); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// Write writes one record.
func (t *TextWriter) Write(r *Record) error {
	t.buf, _ = t.f.AppendRecord(t.buf[:0], r)
	t.buf = append(t.buf, '\n')
	_, err := t.w.Write(t.buf)
	return err
}

// Flush writes what is buffered.
func (t *TextWriter) Flush() error { return t.w.Flush() }

// TextReader reads text records: plain or gzipped, with or without a header
// line. Fields are split on runs of spaces and tabs (AWS's own examples have
// double spaces).
type TextReader struct {
	sc      *bufio.Scanner
	f       Format
	line    int
	rec     Record
	fields  [][]byte
	pending []byte // a first line that was a record
	strs    interner
}

// NewTextReader reads records of format f from r. With f nil, the first
// line must be a header naming the fields. With f given, a first line that
// is a header is checked against f and skipped.
func NewTextReader(r io.Reader, f Format) (*TextReader, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("flow log: %w", err)
		}
		br = bufio.NewReader(zr)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	t := &TextReader{sc: sc, f: f}
	// Peek at the first line: a header, or the first record.
	if !sc.Scan() {
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("flow log: line 1: %w", err)
		}
		if f == nil {
			return nil, errors.New("flow log: empty file (no header line)")
		}
		t.sc = nil
		return t, nil
	}
	t.line = 1
	first := sc.Bytes()
	hdr, herr := ParseFormat(string(first))
	isHeader := herr == nil && !bytes.Contains(first, []byte("${"))
	switch {
	case f == nil && !isHeader:
		return nil, fmt.Errorf("flow log: line 1: not a header line: %v", herr)
	case f == nil:
		t.f = hdr
	case isHeader:
		if hdr.Header() != f.Header() {
			return nil, fmt.Errorf("flow log: line 1: header %q does not match the format %q", hdr.Header(), f.Header())
		}
	default:
		t.line = 0
		t.pending = append([]byte(nil), first...)
	}
	return t, nil
}

// Format is the format records are read with.
func (t *TextReader) Format() Format { return t.f }

// Next returns the next record (reused by the following call), or io.EOF.
// Blank lines are skipped; any other line that is not a record of the
// format fails with an error naming its line and field.
func (t *TextReader) Next() (*Record, error) {
	for {
		var line []byte
		switch {
		case t.pending != nil:
			line, t.pending = t.pending, nil
		case t.sc == nil:
			return nil, io.EOF
		case t.sc.Scan():
			line = t.sc.Bytes()
		default:
			if err := t.sc.Err(); err != nil {
				return nil, fmt.Errorf("flow log: line %d: %w", t.line+1, err)
			}
			return nil, io.EOF
		}
		t.line++
		t.fields = splitFields(t.fields[:0], line)
		if len(t.fields) == 0 {
			continue
		}
		if len(t.fields) != len(t.f) {
			return nil, fmt.Errorf("flow log: line %d: %d fields, the format has %d", t.line, len(t.fields), len(t.f))
		}
		t.rec = Blank()
		for i, x := range t.f {
			if err := t.rec.setField(x, t.fields[i], &t.strs); err != nil {
				return nil, fmt.Errorf("flow log: line %d: field %d: %w", t.line, i+1, err)
			}
		}
		return &t.rec, nil
	}
}

func splitFields(out [][]byte, line []byte) [][]byte {
	i := 0
	for i < len(line) {
		for i < len(line) && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r') {
			i++
		}
		j := i
		for j < len(line) && line[j] != ' ' && line[j] != '\t' && line[j] != '\r' {
			j++
		}
		if j > i {
			out = append(out, line[i:j])
		}
		i = j
	}
	return out
}

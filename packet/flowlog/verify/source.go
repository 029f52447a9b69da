package verify

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/vpcsim/vpcsim/packet/flowlog"
)

// Source is one file of flow logs.
type Source struct {
	Path string
	Size int64
	// S3 is set for a file laid out and named as S3 delivery does.
	S3 *flowlog.S3Object
}

// logExts are the file names read in folders besides S3 delivery's own.
var logExts = []string{".log", ".gz", ".txt", ".json", ".jsonl", ".parquet"}

// Find lists the flow log files paths name: each file named, and in each
// folder S3 delivery's files (checked against their folders, in the order
// of their slots) and the files named like logs (.log, .gz, .txt, .json,
// .jsonl, .parquet). skipped are the other files of the folders.
func Find(paths []string) (sources []Source, skipped []string, err error) {
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			sources = append(sources, Source{Path: p, Size: fi.Size()})
			continue
		}
		objs, others, err := flowlog.WalkS3(os.DirFS(p), ".")
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", p, err)
		}
		for i := range objs {
			o := objs[i]
			path := filepath.Join(p, filepath.FromSlash(o.Key))
			src := Source{Path: path, S3: &o}
			if fi, err := os.Stat(path); err == nil {
				src.Size = fi.Size()
			}
			sources = append(sources, src)
		}
		for _, k := range others {
			path := filepath.Join(p, filepath.FromSlash(k))
			if !slices.Contains(logExts, strings.ToLower(filepath.Ext(k))) {
				skipped = append(skipped, path)
				continue
			}
			src := Source{Path: path}
			if fi, err := os.Stat(path); err == nil {
				src.Size = fi.Size()
			}
			sources = append(sources, src)
		}
	}
	if len(sources) == 0 {
		return nil, skipped, errors.New("no flow log file found")
	}
	return sources, skipped, nil
}

// recordReader is what every flow log reader does.
type recordReader interface {
	Next() (*flowlog.Record, error)
	Format() flowlog.Format
}

// countingReader counts the bytes read from a file.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// open opens a source: Parquet by its magic number, else text, gzipped or
// not, read as CloudWatch Logs lets records out when its content is JSON
// or starts with a timestamp, else as a flow log text file (with its
// header line, or in format f).
//
// A gzipped file of at most wholeGzip bytes is read whole into *whole
// (kept for the next file) and decompressed from memory, which
// klauspost/compress does a fifth to a third faster than from a
// bufio.Reader; a larger one is streamed, so memory stays bounded.
func open(f *os.File, size int64, format flowlog.Format, whole *[]byte) (recordReader, *countingReader, func(), error) {
	var magic [4]byte
	if n, _ := f.ReadAt(magic[:], 0); n == 4 && string(magic[:]) == "PAR1" {
		r, err := flowlog.NewParquetReader(f, size)
		cr := &countingReader{n: size}
		return r, cr, func() {}, err
	}
	cr := &countingReader{r: f}
	br := bufio.NewReaderSize(cr, 256<<10)
	var src io.Reader = br
	closeFn := func() {}
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		var zsrc io.Reader = br
		if size > 0 && size <= wholeGzip {
			if cap(*whole) < int(size) {
				*whole = make([]byte, size)
			}
			b := (*whole)[:size]
			if _, err := io.ReadFull(br, b); err != nil {
				return nil, nil, nil, err
			}
			zsrc = bytes.NewReader(b)
		}
		zr, err := gzip.NewReader(zsrc)
		if err != nil {
			return nil, nil, nil, err
		}
		closeFn = func() { zr.Close() }
		src = bufio.NewReaderSize(zr, 256<<10)
	} else {
		src = br
	}
	tr := src.(*bufio.Reader)
	head, _ := tr.Peek(512)
	first := bytes.TrimLeft(head, " \t\r\n")
	var r recordReader
	var err error
	switch {
	case len(first) > 0 && (first[0] == '{' || first[0] == '['):
		r, err = flowlog.NewCloudWatchReader(tr, format)
	case startsWithTime(first):
		r, err = flowlog.NewCloudWatchReader(tr, format)
	default:
		// A header line gives the format; without one, records are in
		// the format given, else AWS's default.
		line, _, _ := bytes.Cut(first, []byte("\n"))
		if _, herr := flowlog.ParseFormat(string(line)); format == nil && (herr != nil || len(first) == 0) {
			format = flowlog.DefaultFormat
		}
		r, err = newFastText(tr, format)
	}
	return r, cr, closeFn, err
}

// wholeGzip is the largest gzipped file read whole into memory before it is
// decompressed.
const wholeGzip = 16 << 20

// startsWithTime reports whether b starts with an ISO 8601 time and a
// space: a CloudWatch Logs export's line.
func startsWithTime(b []byte) bool {
	tok, _, ok := bytes.Cut(b, []byte(" "))
	if !ok || len(tok) < 20 {
		return false
	}
	_, err := time.Parse(time.RFC3339Nano, string(tok))
	return err == nil
}

// Run reads every source in turn and adds its records. Errors name the
// file and the line or record.
func (v *Verifier) Run(sources []Source) error {
	var total int64
	for _, s := range sources {
		total += s.Size
	}
	p := Progress{Phase: "reading flow logs", FilesTotal: len(sources), BytesTotal: total}
	report := func() {
		if v.opts.Progress != nil {
			v.opts.Progress(p)
		}
	}
	var done int64
	for _, s := range sources {
		p.Source = s.Path
		report()
		n, err := v.runOne(s, &p, done, report)
		if err != nil {
			return fmt.Errorf("%s: %w", s.Path, err)
		}
		done += n
		p.Files++
		p.Bytes = done
		v.res.Sources++
	}
	p.Done = true
	report()
	return nil
}

// runOne reads one source and returns how many bytes it read.
func (v *Verifier) runOne(s Source, p *Progress, before int64, report func()) (int64, error) {
	f, err := os.Open(s.Path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	size := s.Size
	if fi, err := f.Stat(); err == nil {
		size = fi.Size()
	}
	r, cr, closeFn, err := open(f, size, v.opts.Format, &v.gzBuf)
	if err != nil {
		return 0, err
	}
	defer closeFn()
	v.format = r.Format()
	raw, _ := r.(interface{ Raw() []byte })
	defer func() { v.raw = nil }()
	for i := 1; ; i++ {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return cr.n, err
		}
		if raw != nil {
			v.raw = raw.Raw()
		}
		if _, err := v.Add(s.Path, i, rec); err != nil {
			return cr.n, err
		}
		p.Records++
		if p.Records&(1<<16-1) == 0 {
			p.Bytes = before + cr.n
			report()
		}
	}
	return size, nil
}

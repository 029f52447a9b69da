package flowlog

import (
	"compress/gzip"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// S3 delivery facts (docs/flowlogs.md cites AWS).
const (
	// S3FileInterval is how often delivery publishes a file: each holds the
	// records whose end falls in one 5-minute slot.
	S3FileInterval = 5 * time.Minute
	// S3MaxFileSize is the largest file; a full one is published and a new
	// one started.
	S3MaxFileSize = 75 << 20
)

// S3Options describe a flow log that publishes to S3.
type S3Options struct {
	// Root is the directory that stands for the bucket and its optional
	// prefix; files go under Root/AWSLogs/….
	Root                       string
	AccountID, Region, FlowLog string // FlowLog is the flow log's ID (fl-…)
	// Hive selects Hive-compatible prefixes (aws-account-id=…/year=…).
	Hive bool
	// Hourly adds an hour partition.
	Hourly bool
	// Parquet writes Parquet files instead of gzipped text.
	Parquet bool
	Format  Format
}

// Dir is the folder, relative to the bucket, of files for time t.
func (o *S3Options) Dir(t time.Time) string {
	t = t.UTC()
	y, m, d, h := t.Format("2006"), t.Format("01"), t.Format("02"), t.Format("15")
	var parts []string
	if o.Hive {
		parts = []string{"AWSLogs", "aws-account-id=" + o.AccountID, "aws-service=vpcflowlogs", "aws-region=" + o.Region,
			"year=" + y, "month=" + m, "day=" + d}
		if o.Hourly {
			parts = append(parts, "hour="+h)
		}
	} else {
		parts = []string{"AWSLogs", o.AccountID, "vpcflowlogs", o.Region, y, m, d}
		if o.Hourly {
			parts = append(parts, h)
		}
	}
	return filepath.ToSlash(filepath.Join(parts...))
}

// Name is the file name for the slot starting at t and the given 8-hex-digit
// hash: {account}_vpcflowlogs_{region}_{flow-log-id}_{YYYYMMDDTHHmmZ}_{hash}
// with .log.gz (text) or .log.parquet.
func (o *S3Options) Name(t time.Time, hash string) string {
	ext := ".log.gz"
	if o.Parquet {
		ext = ".log.parquet"
	}
	return fmt.Sprintf("%s_vpcflowlogs_%s_%s_%s_%s%s", o.AccountID, o.Region, o.FlowLog, t.UTC().Format("20060102T1504Z"), hash, ext)
}

// hash names the part-th file of a slot deterministically.
func (o *S3Options) hash(slot time.Time, part int) string {
	h := fnv.New32a()
	fmt.Fprintf(h, "%s/%s/%s/%d/%d", o.AccountID, o.Region, o.FlowLog, slot.Unix(), part)
	return fmt.Sprintf("%08x", h.Sum32())
}

// S3Writer writes records into files laid out as S3 delivery lays them out.
// Each file is written under a temporary name and renamed when complete.
type S3Writer struct {
	o      S3Options
	open   map[int64]*s3File
	newest int64
	keys   []string
}

type s3File struct {
	slot    time.Time
	part    int
	key     string
	f       *os.File
	count   *countWriter
	gz      *gzip.Writer
	text    *TextWriter
	parquet *ParquetWriter
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// NewS3Writer returns a writer for the flow log o describes.
func NewS3Writer(o S3Options) (*S3Writer, error) {
	if o.Root == "" || o.AccountID == "" || o.Region == "" || o.FlowLog == "" {
		return nil, errors.New("flow log S3: root, account, region and flow log ID are required")
	}
	if len(o.Format) == 0 {
		o.Format = DefaultFormat
	}
	return &S3Writer{o: o, open: map[int64]*s3File{}}, nil
}

// Write adds a record to the file of the slot its end time falls in.
func (s *S3Writer) Write(r *Record) error {
	slot := time.Unix(r.End, 0).UTC().Truncate(S3FileInterval)
	k := slot.Unix()
	f := s.open[k]
	if f == nil {
		var err error
		if f, err = s.create(slot, 0); err != nil {
			return err
		}
	}
	var err error
	if f.parquet != nil {
		err = f.parquet.Write(r)
	} else {
		err = f.text.Write(r)
	}
	if err != nil {
		return err
	}
	if f.count.n >= S3MaxFileSize {
		if err := s.finish(f); err != nil {
			return err
		}
		if _, err := s.create(slot, f.part+1); err != nil {
			return err
		}
	}
	// Records arrive an aggregation interval at a time: a slot more than
	// 15 minutes older than the newest gets no more records.
	if k > s.newest {
		s.newest = k
		for old, of := range s.open {
			if old < k-int64(3*S3FileInterval/time.Second) {
				if err := s.finish(of); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func (s *S3Writer) create(slot time.Time, part int) (*s3File, error) {
	dir := filepath.Join(s.o.Root, filepath.FromSlash(s.o.Dir(slot)))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	name := s.o.Name(slot, s.o.hash(slot, part))
	fh, err := os.CreateTemp(dir, "."+name+".*.tmp")
	if err != nil {
		return nil, err
	}
	f := &s3File{slot: slot, part: part, key: s.o.Dir(slot) + "/" + name, f: fh, count: &countWriter{w: fh}}
	if s.o.Parquet {
		f.parquet, err = NewParquetWriter(f.count, s.o.Format, nil)
	} else {
		f.gz = gzip.NewWriter(f.count)
		f.text, err = NewTextWriter(f.gz, s.o.Format, true)
	}
	if err != nil {
		fh.Close()
		os.Remove(fh.Name())
		return nil, err
	}
	s.open[slot.Unix()] = f
	return f, nil
}

func (s *S3Writer) finish(f *s3File) error {
	delete(s.open, f.slot.Unix())
	var err error
	if f.parquet != nil {
		err = f.parquet.Close()
	} else {
		err = errors.Join(f.text.Flush(), f.gz.Close())
	}
	err = errors.Join(err, f.f.Sync(), f.f.Close())
	if err == nil {
		err = os.Rename(f.f.Name(), filepath.Join(s.o.Root, filepath.FromSlash(f.key)))
	}
	if err != nil {
		os.Remove(f.f.Name())
		return fmt.Errorf("flow log S3: %s: %w", f.key, err)
	}
	s.keys = append(s.keys, f.key)
	return nil
}

// Close completes every open file and returns the keys written, sorted.
func (s *S3Writer) Close() ([]string, error) {
	var errs []error
	for _, f := range s.open {
		errs = append(errs, s.finish(f))
	}
	slices.Sort(s.keys)
	return s.keys, errors.Join(errs...)
}

// Abort removes every file the writer made, finished or not: a run that
// failed leaves no partial log.
func (s *S3Writer) Abort() {
	for _, f := range s.open {
		f.f.Close()
		os.Remove(f.f.Name())
	}
	clear(s.open)
	for _, k := range s.keys {
		os.Remove(filepath.Join(s.o.Root, filepath.FromSlash(k)))
	}
	s.keys = nil
}

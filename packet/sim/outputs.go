package sim

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vpcsim/vpcsim/packet"
	"github.com/vpcsim/vpcsim/packet/flowlog"
)

// Flow-log outputs, by the name --flow-logs takes.
const (
	FlowText       = "text"       // flowlogs.log: text with the header line
	FlowGzip       = "gzip"       // flowlogs.log.gz: the same, gzipped
	FlowS3         = "s3"         // AWSLogs/{account}/vpcflowlogs/…: gzipped text files in S3's layout and names
	FlowS3Hive     = "s3-hive"    // the same with Hive-compatible prefixes
	FlowS3Parquet  = "s3-parquet" // S3's layout with Parquet files
	FlowParquet    = "parquet"    // flowlogs.parquet
	FlowJSON       = "jsonl"      // flowlogs.jsonl: one JSON object a record
	FlowCloudWatch = "cloudwatch" // cloudwatch/{interface-id}.jsonl: one log stream per interface
	FlowNone       = "none"
)

// FlowOutputs are the names of the flow-log outputs, for usage messages.
var FlowOutputs = []string{FlowText, FlowGzip, FlowS3, FlowS3Hive, FlowS3Parquet, FlowParquet, FlowJSON, FlowCloudWatch, FlowNone}

// CaptureName is the capture's file name in the output folder.
const CaptureName = "capture.pcap"

// OutputOptions say what a run writes into Dir.
type OutputOptions struct {
	Dir string
	// FlowLogs are the flow-log outputs (FlowText, …).
	FlowLogs []string
	// Format is the records' format (flowlog.DefaultFormat when empty);
	// Config the aggregation (its Version is the format's).
	Format flowlog.Format
	Config flowlog.Config
	// Interfaces describe the engine's interfaces (packet.FlowLogInterfaces).
	Interfaces []flowlog.Interface
	// Capture writes every packet as its sender sent it to capture.pcap.
	Capture bool
	// AccountID, Region, FlowLogID and Hourly name the S3 files.
	AccountID, Region, FlowLogID string
	Hourly                       bool
}

// Outputs write a run's flow logs and capture. Every file is written under
// a temporary name and renamed into place by Close; Abort removes them all.
type Outputs struct {
	agg     *flowlog.Aggregator
	sinks   []func(*flowlog.Record) error
	finish  []func() ([]string, error)
	abort   []func()
	capture *packet.CaptureFile
	// Records counts the records written.
	Records int
}

// OpenOutputs creates the output folder and opens the outputs o names.
func OpenOutputs(o OutputOptions) (out *Outputs, err error) {
	if len(o.Format) == 0 {
		o.Format = flowlog.DefaultFormat
	}
	if err := os.MkdirAll(o.Dir, 0o755); err != nil {
		return nil, err
	}
	out = &Outputs{}
	defer func() {
		if err != nil {
			out.Abort()
		}
	}()
	seen := map[string]bool{}
	for _, name := range o.FlowLogs {
		if seen[name] {
			continue
		}
		seen[name] = true
		if err := out.open(name, &o); err != nil {
			return nil, err
		}
	}
	if len(out.sinks) > 0 {
		cfg := o.Config
		cfg.Version = o.Format.Version()
		out.agg, err = flowlog.NewAggregator(cfg, o.Interfaces, out.record)
		if err != nil {
			return nil, err
		}
	}
	if o.Capture {
		c, err := packet.CreateCapture(filepath.Join(o.Dir, CaptureName))
		if err != nil {
			return nil, err
		}
		out.capture = c
		out.finish = append(out.finish, func() ([]string, error) { return []string{c.Name()}, c.Commit() })
		out.abort = append(out.abort, c.Abort)
	}
	return out, nil
}

func (out *Outputs) open(name string, o *OutputOptions) error {
	s3 := flowlog.S3Options{Root: o.Dir, AccountID: o.AccountID, Region: o.Region, FlowLog: o.FlowLogID, Hourly: o.Hourly, Format: o.Format}
	switch name {
	case FlowNone:
		return nil
	case FlowText, FlowGzip, FlowJSON, FlowParquet:
		file := map[string]string{FlowText: "flowlogs.log", FlowGzip: "flowlogs.log.gz", FlowJSON: "flowlogs.jsonl", FlowParquet: "flowlogs.parquet"}[name]
		f, err := packet.CreateAtomic(filepath.Join(o.Dir, file))
		if err != nil {
			return err
		}
		out.abort = append(out.abort, f.Abort)
		bw := bufio.NewWriterSize(f.File, 1<<20)
		var w io.Writer = bw
		var gz *gzip.Writer
		if name == FlowGzip {
			gz = gzip.NewWriter(bw)
			w = gz
		}
		var write func(*flowlog.Record) error
		var flush func() error
		switch name {
		case FlowText, FlowGzip:
			tw, err := flowlog.NewTextWriter(w, o.Format, true)
			if err != nil {
				return err
			}
			write, flush = tw.Write, tw.Flush
		case FlowJSON:
			jw := flowlog.NewJSONWriter(w, o.Format)
			write, flush = jw.Write, jw.Flush
		case FlowParquet:
			pw, err := flowlog.NewParquetWriter(w, o.Format, nil)
			if err != nil {
				return err
			}
			write, flush = pw.Write, pw.Close
		}
		out.sinks = append(out.sinks, write)
		out.finish = append(out.finish, func() ([]string, error) {
			err := flush()
			if gz != nil {
				err = errors.Join(err, gz.Close())
			}
			if err = errors.Join(err, bw.Flush()); err != nil {
				f.Abort()
				return nil, err
			}
			return []string{f.Name()}, f.Commit()
		})
	case FlowS3, FlowS3Hive, FlowS3Parquet:
		s3.Hive, s3.Parquet = name == FlowS3Hive, name == FlowS3Parquet
		w, err := flowlog.NewS3Writer(s3)
		if err != nil {
			return err
		}
		out.sinks = append(out.sinks, w.Write)
		out.abort = append(out.abort, w.Abort)
		out.finish = append(out.finish, func() ([]string, error) {
			keys, err := w.Close()
			for i, k := range keys {
				keys[i] = filepath.Join(o.Dir, filepath.FromSlash(k))
			}
			return keys, err
		})
	case FlowCloudWatch:
		w, err := flowlog.NewCloudWatchWriter(filepath.Join(o.Dir, "cloudwatch"), o.Format)
		if err != nil {
			return err
		}
		out.sinks = append(out.sinks, w.Write)
		out.abort = append(out.abort, w.Abort)
		out.finish = append(out.finish, w.Close)
	default:
		return fmt.Errorf("unknown flow-log output %q: want one of %s", name, strings.Join(FlowOutputs, ", "))
	}
	return nil
}

func (out *Outputs) record(r *flowlog.Record) error {
	out.Records++
	for _, s := range out.sinks {
		if err := s(r); err != nil {
			return err
		}
	}
	return nil
}

// Recorder is where the walker's flow-log events go (nil when no flow log
// is written).
func (out *Outputs) Recorder() packet.Recorder {
	if out.agg == nil {
		return nil
	}
	return out.agg
}

// Sent writes a packet to the capture (nil when none is written).
func (out *Outputs) Sent() func(time.Time, *packet.Header) error {
	if out.capture == nil {
		return nil
	}
	return func(t time.Time, h *packet.Header) error {
		out.capture.Write(t, h)
		return nil // the capture keeps its first error for Close
	}
}

// Close ends the last aggregation interval, completes every file and
// returns their names, sorted. After an error nothing is left behind.
func (out *Outputs) Close() ([]string, error) {
	if out.agg != nil {
		if err := out.agg.Flush(); err != nil {
			out.Abort()
			return nil, err
		}
	}
	var files []string
	for i, f := range out.finish {
		names, err := f()
		if err != nil {
			for _, a := range out.abort[i+1:] {
				a()
			}
			for _, n := range files {
				os.Remove(n)
			}
			return nil, err
		}
		files = append(files, names...)
	}
	slices.Sort(files)
	return files, nil
}

// Abort removes every file the outputs made.
func (out *Outputs) Abort() {
	for _, a := range out.abort {
		a()
	}
}

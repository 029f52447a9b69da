package flowlog

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// NewCloudWatchReader reads flow log records that were published to
// CloudWatch Logs, in the shapes they leave CloudWatch in (plain or
// gzipped; docs/flowlogs.md cites AWS for each):
//
//   - an export task's objects in S3: one event a line, its timestamp in
//     ISO 8601 then a space then the message;
//   - the JSON of `aws logs get-log-events` or `filter-log-events`, an
//     object with an "events" array of {"timestamp", "message"};
//   - subscription filter payloads (what Data Firehose writes to S3, or a
//     Lambda function receives, once decoded): objects with a "logEvents"
//     array, several of them one after the other; CONTROL_MESSAGE payloads
//     hold no records and are skipped;
//   - JSON lines of single events, as CloudWatchWriter writes them.
//
// The messages are records of format f without a header line (nil means
// the default format). Records come in the order of the events.
func NewCloudWatchReader(r io.Reader, f Format) (*TextReader, error) {
	if f == nil {
		f = DefaultFormat
	}
	br := bufio.NewReaderSize(r, 64<<10)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("flow log CloudWatch: %w", err)
		}
		br = bufio.NewReaderSize(zr, 64<<10)
	}
	var src io.Reader
	switch first, err := firstByte(br); {
	case err == io.EOF:
		src = bytes.NewReader(nil)
	case err != nil:
		return nil, fmt.Errorf("flow log CloudWatch: %w", err)
	case first == '{' || first == '[':
		src = &cwJSON{dec: json.NewDecoder(br), array: first == '['}
	default:
		src = &cwExport{sc: bufio.NewScanner(br)}
		src.(*cwExport).sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	}
	return NewTextReader(src, f)
}

// firstByte peeks at the first byte that is not white space.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		if b != ' ' && b != '\t' && b != '\r' && b != '\n' {
			return b, br.UnreadByte()
		}
	}
}

// cwExport turns an export task's lines into the messages alone, one a
// line.
type cwExport struct {
	sc   *bufio.Scanner
	line int
	buf  []byte
	err  error
}

func (c *cwExport) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if !c.sc.Scan() {
			c.err = c.sc.Err()
			if c.err == nil {
				c.err = io.EOF
			}
			continue
		}
		c.line++
		line := bytes.TrimSpace(c.sc.Bytes())
		if len(line) == 0 {
			continue
		}
		ts, msg, ok := bytes.Cut(line, []byte(" "))
		if !ok {
			c.err = fmt.Errorf("flow log CloudWatch export: line %d: want a timestamp, a space and a message", c.line)
			continue
		}
		if _, err := time.Parse(time.RFC3339Nano, string(ts)); err != nil {
			c.err = fmt.Errorf("flow log CloudWatch export: line %d: %q is not an ISO 8601 timestamp", c.line, ts)
			continue
		}
		c.buf = append(append(c.buf[:0], bytes.TrimSpace(msg)...), '\n')
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// cwEvent is one log event in CloudWatch's JSON.
type cwEvent struct {
	Timestamp *json.Number `json:"timestamp"`
	Message   *string      `json:"message"`
}

// cwDoc is one top-level JSON value: a page of events, a subscription
// payload, or a single event.
type cwDoc struct {
	Events      []cwEvent `json:"events"`
	LogEvents   []cwEvent `json:"logEvents"`
	MessageType string    `json:"messageType"`
	cwEvent
}

// cwJSON turns CloudWatch's JSON into the messages, one a line.
type cwJSON struct {
	dec    *json.Decoder
	doc    int
	events []cwEvent
	buf    []byte
	err    error
	// array is set for a top-level array of values, opened once its
	// bracket is read.
	array, opened bool
}

func (c *cwJSON) Read(p []byte) (int, error) {
	for len(c.buf) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		if len(c.events) > 0 {
			ev := c.events[0]
			c.events = c.events[1:]
			if ev.Message == nil {
				c.err = fmt.Errorf("flow log CloudWatch JSON: value %d: an event without a message", c.doc)
				continue
			}
			if ev.Timestamp != nil {
				if _, err := strconv.ParseInt(ev.Timestamp.String(), 10, 64); err != nil {
					c.err = fmt.Errorf("flow log CloudWatch JSON: value %d: timestamp %s is not milliseconds", c.doc, ev.Timestamp)
					continue
				}
			}
			msg := bytes.TrimSpace([]byte(*ev.Message))
			if bytes.ContainsAny(msg, "\n\r") {
				c.err = fmt.Errorf("flow log CloudWatch JSON: value %d: a message of several lines", c.doc)
				continue
			}
			c.buf = append(append(c.buf[:0], msg...), '\n')
			continue
		}
		c.err = c.next()
	}
	n := copy(p, c.buf)
	c.buf = c.buf[n:]
	return n, nil
}

// next decodes the next top-level value (or element of a top-level array).
func (c *cwJSON) next() error {
	if c.array && !c.opened {
		if _, err := c.dec.Token(); err != nil {
			return c.jsonErr(err)
		}
		c.opened = true
	}
	if c.array && !c.dec.More() {
		if _, err := c.dec.Token(); err != nil {
			return c.jsonErr(err)
		}
		c.array = false
	}
	var d cwDoc
	c.doc++
	if err := c.dec.Decode(&d); err != nil {
		return c.jsonErr(err)
	}
	switch {
	case d.MessageType == "CONTROL_MESSAGE":
	case d.Events != nil || d.LogEvents != nil:
		c.events = append(d.Events, d.LogEvents...)
	case d.Message != nil:
		c.events = []cwEvent{d.cwEvent}
	default:
		return fmt.Errorf("flow log CloudWatch JSON: value %d holds no events (want \"events\", \"logEvents\" or a \"message\")", c.doc)
	}
	return nil
}

func (c *cwJSON) jsonErr(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("flow log CloudWatch JSON: value %d: byte %d: %v", c.doc, se.Offset, err)
	}
	return fmt.Errorf("flow log CloudWatch JSON: value %d: %w", c.doc, err)
}

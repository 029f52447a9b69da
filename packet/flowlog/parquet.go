package flowlog

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
)

// ParquetSchema is the schema of Parquet flow logs of format f: one
// optional column per field, named as AWS names them (the field name with
// underscores: account_id, log_status, pkt_srcaddr), typed as AWS documents
// (INT_32, INT_64 or STRING). A field that does not apply is null.
func ParquetSchema(f Format) *parquet.Schema {
	g := parquet.Group{}
	for _, x := range f {
		var n parquet.Node
		switch x.Kind() {
		case KindInt32:
			n = parquet.Int(32)
		case KindInt64:
			n = parquet.Int(64)
		default:
			// Dictionary-encoded: the interface, account, VPC and subnet IDs,
			// the action and the status repeat on every row.
			n = parquet.Encoded(parquet.String(), &parquet.RLEDictionary)
		}
		g[x.Column()] = parquet.Optional(n)
	}
	return parquet.NewSchema("flowlogs", g)
}

// ParquetWriter writes records as a Parquet file, GZIP-compressed as AWS
// delivers them. Records are buffered a batch at a time and written column
// by column (parquet-go's GenericWriter's column writers), which costs a
// fraction of handing parquet-go rows to split into columns. A column's
// values are built only when it is written, into one buffer all columns
// share: building every column's value of a record at once wrote across
// 14 to 40 buffers of 24 KB each, which profiles showed costing more than
// parquet-go's own work.
type ParquetWriter struct {
	w    *parquet.GenericWriter[any]
	cols []*parquet.ColumnWriter
	// fields are the schema's columns, in column order.
	fields []Field
	kinds  []Kind
	// recs is the batch; vals one column's values of it; arena the bytes
	// of one column's strings.
	recs  []Record
	vals  []parquet.Value
	arena []byte
}

// parquetBatch is how many rows are buffered before they go to the writer.
const parquetBatch = 1024

// NewParquetWriter writes records of format f to w, compressed with codec
// (nil means GZIP, as AWS).
func NewParquetWriter(w io.Writer, f Format, codec compress.Codec) (*ParquetWriter, error) {
	if len(f) == 0 {
		return nil, errors.New("flow log: empty format")
	}
	if codec == nil {
		codec = &parquet.Gzip
	}
	s := ParquetSchema(f)
	gw := parquet.NewGenericWriter[any](w, s, parquet.Compression(codec), parquet.CreatedBy("vpcsim", "", ""))
	p := &ParquetWriter{w: gw, cols: gw.ColumnWriters(), arena: make([]byte, 0, 64<<10),
		recs: make([]Record, 0, parquetBatch), vals: make([]parquet.Value, parquetBatch)}
	for _, path := range s.Columns() {
		x, _ := fieldByColumn(path[0])
		p.fields = append(p.fields, x)
		p.kinds = append(p.kinds, x.Kind())
	}
	return p, nil
}

func fieldByColumn(col string) (Field, bool) {
	for i := range numFields {
		if Field(i).Column() == col {
			return Field(i), true
		}
	}
	return 0, false
}

// Write buffers one record.
func (p *ParquetWriter) Write(r *Record) error {
	if p.recs = append(p.recs, *r); len(p.recs) == parquetBatch {
		return p.flushRows()
	}
	return nil
}

// flushRows writes the batch, one column at a time.
func (p *ParquetWriter) flushRows() error {
	if len(p.recs) == 0 {
		return nil
	}
	vals := p.vals[:len(p.recs)]
	for c, w := range p.cols {
		x := p.fields[c]
		null := parquet.NullValue().Level(0, 0, c)
		switch p.kinds[c] {
		case KindInt32:
			for i := range p.recs {
				if n := int32Of(&p.recs[i], x); n >= 0 {
					vals[i] = parquet.Int32Value(n).Level(0, 1, c)
				} else {
					vals[i] = null
				}
			}
		case KindInt64:
			for i := range p.recs {
				if n := int64Of(&p.recs[i], x); n >= 0 {
					vals[i] = parquet.Int64Value(n).Level(0, 1, c)
				} else {
					vals[i] = null
				}
			}
		default:
			// Values point into the arena; the column buffer copies them.
			p.arena = p.arena[:0]
			for i := range p.recs {
				start := len(p.arena)
				p.arena = AppendField(p.arena, &p.recs[i], x)
				if b := p.arena[start:]; len(b) == 1 && b[0] == '-' {
					p.arena = p.arena[:start]
					vals[i] = null
				} else {
					vals[i] = parquet.ByteArrayValue(b).Level(0, 1, c)
				}
			}
		}
		if _, err := w.WriteRowValues(vals); err != nil {
			return err
		}
	}
	p.recs = p.recs[:0]
	return nil
}

// Close writes the buffered rows and the file's footer.
func (p *ParquetWriter) Close() error {
	if err := p.flushRows(); err != nil {
		return err
	}
	return p.w.Close()
}

func int32Of(r *Record, x Field) int32 {
	if x == FVersion {
		return r.Version
	}
	return *r.int32Field(x)
}

func int64Of(r *Record, x Field) int64 { return *r.int64Field(x) }

// ParquetReader reads Parquet flow logs written by AWS or by vpcsim.
type ParquetReader struct {
	r    *parquet.GenericReader[any]
	f    Format
	cols []Field
	rows []parquet.Row
	n, i int
	rec  Record
	strs interner
	num  []byte
}

// NewParquetReader opens a Parquet flow log. Its columns must be flow log
// fields (AWS's column names); the Format lists them in column order.
func NewParquetReader(r io.ReaderAt, size int64) (pr *ParquetReader, err error) {
	defer func() {
		if x := recover(); x != nil {
			err = fmt.Errorf("flow log parquet: damaged file (%v)", x)
		}
	}()
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, fmt.Errorf("flow log parquet: %w", err)
	}
	rd := parquet.NewGenericReader[any](f)
	p := &ParquetReader{r: rd, rows: make([]parquet.Row, 256)}
	for _, path := range rd.Schema().Columns() {
		x, ok := fieldByColumn(path[len(path)-1])
		if !ok || len(path) != 1 {
			return nil, fmt.Errorf("flow log parquet: column %q is not a flow log field", path)
		}
		p.cols = append(p.cols, x)
	}
	p.f = append(Format(nil), p.cols...)
	return p, nil
}

// Format is the file's fields, in column order.
func (p *ParquetReader) Format() Format { return p.f }

// Next returns the next record (reused by the following call), or io.EOF.
func (p *ParquetReader) Next() (rec *Record, err error) {
	defer func() {
		if x := recover(); x != nil {
			rec, err = nil, fmt.Errorf("flow log parquet: damaged file (%v)", x)
		}
	}()
	if p.i == p.n {
		n, err := p.r.ReadRows(p.rows)
		if n == 0 {
			if err == nil || err == io.EOF {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("flow log parquet: %w", err)
		}
		p.n, p.i = n, 0
	}
	row := p.rows[p.i]
	p.i++
	p.rec = Blank()
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(p.cols) || v.IsNull() {
			continue
		}
		x := p.cols[c]
		var err error
		switch x.Kind() {
		case KindInt32, KindInt64:
			n := v.Int64()
			if v.Kind() == parquet.Int32 {
				n = int64(v.Int32())
			}
			p.num = strconv.AppendInt(p.num[:0], n, 10)
			err = p.rec.setField(x, p.num, nil)
		default:
			err = p.rec.setField(x, v.ByteArray(), &p.strs)
		}
		if err != nil {
			return nil, fmt.Errorf("flow log parquet: row %d: %w", p.i, err)
		}
	}
	return &p.rec, nil
}

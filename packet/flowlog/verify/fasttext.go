package verify

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
	"net/netip"

	"github.com/vpcsim/vpcsim/packet/flowlog"
)

// fastText reads text flow logs for verification without allocating per
// record: it fills the fields verification uses in place (numbers and IPv4
// addresses parsed from the bytes, the strings it keeps interned) and
// leaves the others "does not apply". A field it cannot parse is parsed
// again by flowlog's Record.SetField, whose error it returns, so errors
// are flowlog.TextReader's; FuzzFastText checks that both read the same.
type fastText struct {
	br     *bufio.Reader
	f      flowlog.Format
	rec    flowlog.Record
	fields [][]byte
	line   int
	intern map[string]string
	// pending is a first line that was a record.
	pending []byte
	// used marks the format's fields verification reads.
	used []bool
	// spaces are the current line's spaces.
	spaces []int
	// raw is the current record's line.
	raw []byte
	// last are, per string field, the last value read: records of one
	// interface come together, so most lookups end here.
	last [4]string
}

// Raw is the line of the record Next returned last, valid until the next
// call.
func (t *fastText) Raw() []byte { return t.raw }

// usedFields are the fields verification reads.
var usedFields = map[flowlog.Field]bool{
	flowlog.FInterfaceID: true, flowlog.FSrcAddr: true, flowlog.FDstAddr: true, flowlog.FSrcPort: true, flowlog.FDstPort: true,
	flowlog.FProtocol: true, flowlog.FPackets: true, flowlog.FBytes: true, flowlog.FStart: true, flowlog.FEnd: true,
	flowlog.FAction: true, flowlog.FLogStatus: true, flowlog.FVPCID: true, flowlog.FSubnetID: true, flowlog.FInstanceID: true,
	flowlog.FTCPFlags: true, flowlog.FPktSrcAddr: true, flowlog.FPktDstAddr: true, flowlog.FFlowDirection: true, flowlog.FVersion: true,
}

// newFastText reads text records from br: with a header line, which gives
// the format (and must match f when f is given), or in format f.
func newFastText(br *bufio.Reader, f flowlog.Format) (*fastText, error) {
	t := &fastText{br: br, intern: map[string]string{}}
	first, err := t.readLine()
	switch {
	case err == io.EOF && f != nil:
		t.f = f
	case err == io.EOF:
		return nil, fmt.Errorf("flow log: empty file (no header line)")
	case err != nil:
		return nil, fmt.Errorf("flow log: line 1: %w", err)
	default:
		var record bool
		if t.f, record, err = flowlog.FirstLine(first, f); err != nil {
			return nil, err
		}
		t.line = 1
		if record {
			t.line = 0
			t.pending = append([]byte(nil), first...)
		}
	}
	t.used = make([]bool, len(t.f))
	for i, x := range t.f {
		t.used[i] = usedFields[x]
	}
	return t, nil
}

// readLine returns the next line without its end (valid until the next
// call), or io.EOF. Lines longer than the reader's buffer are read whole.
func (t *fastText) readLine() ([]byte, error) {
	line, err := t.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		buf := append([]byte(nil), line...)
		for err == bufio.ErrBufferFull {
			line, err = t.br.ReadSlice('\n')
			buf = append(buf, line...)
			if len(buf) > 1<<20 {
				return nil, fmt.Errorf("line longer than 1 MiB")
			}
		}
		line = buf
	}
	if err == io.EOF && len(line) > 0 {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

func (t *fastText) Format() flowlog.Format { return t.f }

// Next returns the next record (reused by the following call), or io.EOF.
func (t *fastText) Next() (*flowlog.Record, error) {
	for {
		var line []byte
		if t.pending != nil {
			line, t.pending = t.pending, nil
		} else {
			var err error
			if line, err = t.readLine(); err != nil {
				if err == io.EOF {
					return nil, io.EOF
				}
				return nil, fmt.Errorf("flow log: line %d: %w", t.line+1, err)
			}
		}
		t.line++
		t.raw = line
		if t.parse(line) {
			return &t.rec, nil
		}
		// The line is empty, has the wrong number of fields or a field
		// the fast way does not read: the fields in turn, for the error
		// TextReader gives first.
		t.fields = split(t.fields[:0], line)
		if len(t.fields) == 0 {
			continue
		}
		if len(t.fields) != len(t.f) {
			return nil, fmt.Errorf("flow log: line %d: %d fields, the format has %d", t.line, len(t.fields), len(t.f))
		}
		t.rec = flowlog.Blank()
		for i, x := range t.f {
			if !t.used[i] {
				continue
			}
			if !t.set(x, t.fields[i]) {
				// The slow way, for its error (or a value the fast way
				// does not read, such as an IPv6 address).
				if err := t.rec.SetField(x, string(t.fields[i])); err != nil {
					return nil, fmt.Errorf("flow log: line %d: field %d: %w", t.line, i+1, err)
				}
			}
		}
		return &t.rec, nil
	}
}

// parse reads a line of the format's fields in one pass; false when the
// line is not one the fast way reads whole (Next then reads it field by
// field). Lines as AWS writes them, fields between single spaces, are
// split eight bytes at a time.
func (t *fastText) parse(line []byte) bool {
	if len(line) == 0 || bytes.IndexByte(line, '\t') >= 0 || bytes.IndexByte(line, '\r') >= 0 {
		return false
	}
	// The spaces' positions first, eight bytes at a time, then the
	// fields between them.
	sp := t.spaces[:0]
	w := 0
	for ; w+8 <= len(line); w += 8 {
		for m := spaces(binary.LittleEndian.Uint64(line[w:])); m != 0; m &= m - 1 {
			sp = append(sp, w+bits.TrailingZeros64(m)/8)
		}
	}
	for ; w < len(line); w++ {
		if line[w] == ' ' {
			sp = append(sp, w)
		}
	}
	sp = append(sp, len(line))
	t.spaces = sp
	t.rec = flowlog.Blank()
	i, p := 0, 0
	for _, e := range sp {
		if e == p { // a run of spaces
			p = e + 1
			continue
		}
		if i == len(t.f) || t.used[i] && !t.set(t.f[i], line[p:e]) {
			return false
		}
		i++
		p = e + 1
	}
	return i == len(t.f)
}

// spaces has the top bit set in each byte of x that is a space, and no
// other bit (exact, unlike the shorter test that lets a borrow mark the
// byte above a match).
func spaces(x uint64) uint64 {
	const lo7, sp = 0x7f7f7f7f7f7f7f7f, 0x2020202020202020
	x ^= sp
	y := (x & lo7) + lo7
	return ^(y | x | lo7)
}

// isSep marks the bytes that separate fields: runs of spaces and tabs (and
// a carriage return).
var isSep = [256]bool{' ': true, '\t': true, '\r': true}

// split splits a line on runs of separators.
func split(out [][]byte, line []byte) [][]byte {
	start := -1
	for i, c := range line {
		if isSep[c] {
			if start >= 0 {
				out = append(out, line[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		out = append(out, line[start:])
	}
	return out
}

// set parses v into field x of the record the fast way; false when it
// cannot (the slow way then decides).
func (t *fastText) set(x flowlog.Field, v []byte) bool {
	r := &t.rec
	dash := len(v) == 1 && v[0] == '-'
	switch x {
	case flowlog.FVersion, flowlog.FSrcPort, flowlog.FDstPort, flowlog.FProtocol, flowlog.FTCPFlags:
		n, ok := number(v, dash, 1<<31-1)
		if ok {
			*int32Field(r, x) = int32(n)
		}
		return ok
	case flowlog.FPackets, flowlog.FBytes, flowlog.FStart, flowlog.FEnd:
		n, ok := number(v, dash, 1<<63-1)
		if !ok || dash && (x == flowlog.FStart || x == flowlog.FEnd) {
			return false // a record always has a time: SetField says so
		}
		*int64Field(r, x) = n
	case flowlog.FSrcAddr, flowlog.FDstAddr, flowlog.FPktSrcAddr, flowlog.FPktDstAddr:
		var a netip.Addr
		if !dash {
			var ok bool
			if a, ok = ipv4(v); !ok {
				return false
			}
		}
		*addrField(r, x) = a
	case flowlog.FAction:
		// The values SetField accepts, matched without a copy.
		switch string(v) {
		case "ACCEPT":
			r.Action = flowlog.Accept
		case "REJECT":
			r.Action = flowlog.Reject
		case "-":
			r.Action = flowlog.ActionNone
		default:
			return false
		}
	case flowlog.FLogStatus:
		switch string(v) {
		case "OK":
			r.LogStatus = flowlog.StatusOK
		case "NODATA":
			r.LogStatus = flowlog.StatusNoData
		case "SKIPDATA":
			r.LogStatus = flowlog.StatusSkipData
		default:
			return false
		}
	case flowlog.FFlowDirection:
		switch string(v) {
		case "ingress":
			r.FlowDirection = flowlog.Ingress
		case "egress":
			r.FlowDirection = flowlog.Egress
		case "-":
			r.FlowDirection = flowlog.DirNone
		default:
			return false
		}
	case flowlog.FInterfaceID:
		r.InterfaceID = t.str(0, v, dash)
	case flowlog.FVPCID:
		r.VPCID = t.str(1, v, dash)
	case flowlog.FSubnetID:
		r.SubnetID = t.str(2, v, dash)
	case flowlog.FInstanceID:
		r.InstanceID = t.str(3, v, dash)
	default:
		return false
	}
	return true
}

// str returns v as an interned string ("" for "-"); k is the field's slot
// in last.
func (t *fastText) str(k int, v []byte, dash bool) string {
	switch {
	case dash:
		return ""
	case t.last[k] == string(v):
		return t.last[k]
	}
	s, ok := t.intern[string(v)]
	if !ok {
		s = string(v)
		if len(t.intern) < 1<<16 {
			t.intern[s] = s
		}
	}
	t.last[k] = s
	return s
}

// int32Field, int64Field and addrField point at field x of r.
func int32Field(r *flowlog.Record, x flowlog.Field) *int32 {
	switch x {
	case flowlog.FVersion:
		return &r.Version
	case flowlog.FSrcPort:
		return &r.SrcPort
	case flowlog.FDstPort:
		return &r.DstPort
	case flowlog.FProtocol:
		return &r.Protocol
	}
	return &r.TCPFlags
}

func int64Field(r *flowlog.Record, x flowlog.Field) *int64 {
	switch x {
	case flowlog.FPackets:
		return &r.Packets
	case flowlog.FBytes:
		return &r.Bytes
	case flowlog.FStart:
		return &r.Start
	}
	return &r.End
}

func addrField(r *flowlog.Record, x flowlog.Field) *netip.Addr {
	switch x {
	case flowlog.FSrcAddr:
		return &r.SrcAddr
	case flowlog.FDstAddr:
		return &r.DstAddr
	case flowlog.FPktSrcAddr:
		return &r.PktSrcAddr
	}
	return &r.PktDstAddr
}

// number parses a non-negative decimal up to limit; "-" is -1.
func number(v []byte, dash bool, limit int64) (int64, bool) {
	if dash {
		return -1, true
	}
	if len(v) == 0 || len(v) > 19 {
		return 0, false
	}
	var n int64
	for _, c := range v {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
		if n > limit || n < 0 {
			return 0, false
		}
	}
	return n, true
}

// ipv4 parses a dotted-quad IPv4 address as netip.ParseAddr does (no
// leading zeros); false for anything else.
func ipv4(v []byte) (netip.Addr, bool) {
	var b [4]byte
	part, digits := 0, 0
	val := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == '.' {
			if digits == 0 || part > 3 {
				return netip.Addr{}, false
			}
			b[part] = byte(val)
			part++
			val, digits = 0, 0
			continue
		}
		c := v[i]
		if c < '0' || c > '9' || digits > 0 && val == 0 {
			return netip.Addr{}, false
		}
		val = val*10 + int(c-'0')
		digits++
		if val > 255 {
			return netip.Addr{}, false
		}
	}
	if part != 4 {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(b), true
}

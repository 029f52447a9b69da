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
	// ops say, per field of the format, how the fast way reads it (opSkip
	// for the fields verification does not read).
	ops []fieldOp
	// spaces are the current line's spaces.
	spaces []int
	// raw is the current record's line.
	raw []byte
	// recent are, per string field, values read lately, by a hash of
	// their last two bytes: the records of a few interfaces interleave,
	// and most lookups end here instead of in intern.
	recent [4][64]string
	// addrs are the last two addresses parsed: a version 5 record's
	// pkt-srcaddr and pkt-dstaddr repeat its srcaddr and dstaddr unless a
	// NAT translated them.
	addrs [2]addrMemo
}

// addrMemo is an IPv4 address and its text.
type addrMemo struct {
	n    int
	text [15]byte
	a    netip.Addr
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
	t.ops = make([]fieldOp, len(t.f))
	for i, x := range t.f {
		if usedFields[x] {
			t.ops[i] = t.op(x)
		}
	}
	return t, nil
}

// fieldOp is how the fast way reads one field of the format: its kind and
// where in the record it goes, decided once per file rather than per field
// of every line.
type fieldOp struct {
	kind opKind
	i32  *int32
	i64  *int64
	addr *netip.Addr
	str  *string
	// slot is a string field's slot in recent.
	slot int
}

type opKind uint8

const (
	opSkip opKind = iota
	opInt32
	opInt64
	opTime // an int64 that must not be "-"
	opAddr
	opString
	opAction
	opStatus
	opDirection
)

// op is the fast way to read field x into t.rec; opSkip when there is none
// (the slow way then reads it).
func (t *fastText) op(x flowlog.Field) fieldOp {
	r := &t.rec
	var o fieldOp
	switch x {
	case flowlog.FVersion, flowlog.FSrcPort, flowlog.FDstPort, flowlog.FProtocol, flowlog.FTCPFlags:
		o.kind, o.i32 = opInt32, int32Field(r, x)
	case flowlog.FPackets, flowlog.FBytes:
		o.kind, o.i64 = opInt64, int64Field(r, x)
	case flowlog.FStart, flowlog.FEnd:
		o.kind, o.i64 = opTime, int64Field(r, x)
	case flowlog.FSrcAddr, flowlog.FDstAddr, flowlog.FPktSrcAddr, flowlog.FPktDstAddr:
		o.kind, o.addr = opAddr, addrField(r, x)
	case flowlog.FAction:
		o.kind = opAction
	case flowlog.FLogStatus:
		o.kind = opStatus
	case flowlog.FFlowDirection:
		o.kind = opDirection
	case flowlog.FInterfaceID:
		o.kind, o.str, o.slot = opString, &r.InterfaceID, 0
	case flowlog.FVPCID:
		o.kind, o.str, o.slot = opString, &r.VPCID, 1
	case flowlog.FSubnetID:
		o.kind, o.str, o.slot = opString, &r.SubnetID, 2
	case flowlog.FInstanceID:
		o.kind, o.str, o.slot = opString, &r.InstanceID, 3
	}
	return o
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
			if t.ops[i].kind == opSkip {
				continue
			}
			if !t.set(&t.ops[i], t.fields[i]) {
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
		if i == len(t.ops) || t.ops[i].kind != opSkip && !t.set(&t.ops[i], line[p:e]) {
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

// set parses v into the record's field as o says; false when it cannot
// (the slow way then decides).
func (t *fastText) set(o *fieldOp, v []byte) bool {
	r := &t.rec
	dash := len(v) == 1 && v[0] == '-'
	switch o.kind {
	case opInt32:
		n, ok := number(v, dash, 1<<31-1)
		if ok {
			*o.i32 = int32(n)
		}
		return ok
	case opInt64, opTime:
		n, ok := number(v, dash, 1<<63-1)
		if !ok || dash && o.kind == opTime {
			return false // a record always has a time: SetField says so
		}
		*o.i64 = n
	case opAddr:
		var a netip.Addr
		if !dash {
			var ok bool
			if a, ok = t.addr(v); !ok {
				return false
			}
		}
		*o.addr = a
	case opAction:
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
	case opStatus:
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
	case opDirection:
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
	case opString:
		*o.str = t.str(o.slot, v, dash)
	default:
		return false
	}
	return true
}

// addr parses an IPv4 address, or finds it among the last two parsed.
func (t *fastText) addr(v []byte) (netip.Addr, bool) {
	for i := range t.addrs {
		if m := &t.addrs[i]; m.n == len(v) && string(m.text[:m.n]) == string(v) {
			return m.a, true
		}
	}
	a, ok := ipv4(v)
	if ok {
		t.addrs[1] = t.addrs[0]
		m := &t.addrs[0]
		m.n, m.a = copy(m.text[:], v), a
	}
	return a, ok
}

// str returns v as an interned string ("" for "-"); k is the field's slot
// in recent.
func (t *fastText) str(k int, v []byte, dash bool) string {
	if dash {
		return ""
	}
	h := 0
	if n := len(v); n >= 2 {
		h = (int(v[n-1]) + 7*int(v[n-2])) & 63
	}
	last := &t.recent[k][h]
	if *last == string(v) {
		return *last
	}
	s, ok := t.intern[string(v)]
	if !ok {
		s = string(v)
		if len(t.intern) < 1<<16 {
			t.intern[s] = s
		}
	}
	*last = s
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
	i := 0
	for part := range 4 {
		if part > 0 {
			if i == len(v) || v[i] != '.' {
				return netip.Addr{}, false
			}
			i++
		}
		if i == len(v) {
			return netip.Addr{}, false
		}
		d := v[i] - '0'
		if d > 9 {
			return netip.Addr{}, false
		}
		i++
		val := uint(d)
		// A leading 0 is the whole octet: a digit after it fails below,
		// where a dot or the end must follow.
		for k := 0; k < 2 && d != 0 && i < len(v); k++ {
			c := v[i] - '0'
			if c > 9 {
				break
			}
			val = val*10 + uint(c)
			i++
		}
		if val > 255 {
			return netip.Addr{}, false
		}
		b[part] = byte(val)
	}
	if i != len(v) {
		return netip.Addr{}, false
	}
	return netip.AddrFrom4(b), true
}

package verify

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
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
	case flowlog.FAction, flowlog.FLogStatus, flowlog.FFlowDirection:
		// SetField parses them; a known value is handed over as a constant,
		// which costs no copy.
		c, ok := constant(v)
		return ok && r.SetField(x, c) == nil
	case flowlog.FInterfaceID, flowlog.FVPCID, flowlog.FSubnetID, flowlog.FInstanceID:
		k := 0
		switch x {
		case flowlog.FVPCID:
			k = 1
		case flowlog.FSubnetID:
			k = 2
		case flowlog.FInstanceID:
			k = 3
		}
		s := ""
		switch {
		case dash:
		case t.last[k] == string(v):
			s = t.last[k]
		default:
			var ok bool
			if s, ok = t.intern[string(v)]; !ok {
				s = string(v)
				if len(t.intern) < 1<<16 {
					t.intern[s] = s
				}
			}
			t.last[k] = s
		}
		switch x {
		case flowlog.FInterfaceID:
			r.InterfaceID = s
		case flowlog.FVPCID:
			r.VPCID = s
		case flowlog.FSubnetID:
			r.SubnetID = s
		default:
			r.InstanceID = s
		}
	default:
		return false
	}
	return true
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

// constants are the values of the enumerated fields (action, log-status,
// flow-direction).
var constants = []string{"ACCEPT", "REJECT", "-", "OK", "NODATA", "SKIPDATA", "ingress", "egress"}

// constant returns v as one of constants, without copying it.
func constant(v []byte) (string, bool) {
	for _, c := range constants {
		if string(v) == c {
			return c, true
		}
	}
	return "", false
}

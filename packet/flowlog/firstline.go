package flowlog

import (
	"bytes"
	"fmt"
)

// FirstLine decides what the first line of a text log is, for readers of
// format f (nil: the first line must be a header): a header line of field
// names, which gives the format (and must match f when f is given), or the
// first record. It returns the format to read records in and whether the
// line is a record.
func FirstLine(first []byte, f Format) (Format, bool, error) {
	hdr, herr := ParseFormat(string(first))
	isHeader := herr == nil && !bytes.Contains(first, []byte("${"))
	switch {
	case f == nil && !isHeader:
		return nil, false, fmt.Errorf("flow log: line 1: not a header line: %v", herr)
	case f == nil:
		return hdr, false, nil
	case isHeader:
		if hdr.Header() != f.Header() {
			return nil, false, fmt.Errorf("flow log: line 1: header %q does not match the format %q", hdr.Header(), f.Header())
		}
		return f, false, nil
	}
	return f, true, nil
}

package tfjson

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/vpcsim/vpcsim/hcl/resource"
	"github.com/vpcsim/vpcsim/model"
)

// jsonDoc is a JSON document parsed with the positions the loaders report.
//
// encoding/json cannot say where a value came from, and every diagnostic of a
// state or plan must name its line and column (a minified plan is one line,
// so the column is what matters), hence this small parser. It produces the
// same values json.Unmarshal into an `any` with UseNumber would: strings,
// json.Number, bool, nil, []any and map[string]any. In addition every object
// that is an element of an array — a resource instance, a nested block — gets
// its own position under posKey.
type jsonDoc struct {
	name  string
	data  []byte
	lines []int // byte offset of the start of each line
	root  any
	// top holds the offset of each member value of the root object, so
	// that a refusal can point at the "version" that caused it.
	top map[string]int
	// skip names object members whose values are checked for syntax but
	// not kept (see unreadKeys); nil keeps everything.
	skip map[string]bool
	// maxString bounds one string, in bytes; 0 means no bound.
	maxString int
}

// unreadKeys are attributes of Terraform states and plans that no loader
// reads and that make up much of a large state: an instance's block devices
// and instance options, the provider's private blob, dependency lists and
// sensitivity masks. Skipping them roughly halves what the parser builds.
// (An instance's launch_template is read: an Auto Scaling group's is what
// its instances launch with.)
var unreadKeys = map[string]bool{
	"root_block_device": true, "ebs_block_device": true, "ephemeral_block_device": true,
	"metadata_options": true, "private_dns_name_options": true, "capacity_reservation_specification": true,
	"cpu_options": true, "maintenance_options": true, "enclave_options": true, "credit_specification": true,
	"instance_market_options": true, "user_data": true, "user_data_base64": true,
	"private": true, "sensitive_attributes": true, "sensitive_values": true, "dependencies": true,
}

// jsonSyntaxError is a syntax error with its byte offset.
type jsonSyntaxError struct {
	off int
	msg string
	// limit is true when the document goes over a limit rather than
	// being invalid.
	limit bool
}

func (e *jsonSyntaxError) Error() string { return e.msg }

// maxJSONDepth bounds nesting: real states nest a dozen levels; a deeper
// document is hostile or broken, and recursion must not exhaust the stack.
const maxJSONDepth = 512

func newJSONDoc(name string, data []byte) *jsonDoc {
	d := &jsonDoc{name: name, data: data, lines: make([]int, 1, bytes.Count(data, []byte{'\n'})+1), top: map[string]int{}}
	for off := 0; ; {
		i := bytes.IndexByte(data[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		d.lines = append(d.lines, off)
	}
	return d
}

// pos converts a byte offset to a 1-based line and byte column.
func (d *jsonDoc) pos(off int) model.Pos {
	line := sort.Search(len(d.lines), func(i int) bool { return d.lines[i] > off }) - 1
	if line < 0 {
		line = 0
	}
	return model.Pos{File: d.name, Line: line + 1, Col: off - d.lines[line] + 1}
}

// topPos is the position of the root object's member key, or of the
// document's start when it has none.
func (d *jsonDoc) topPos(key string) model.Pos {
	if off, ok := d.top[key]; ok {
		return d.pos(off)
	}
	return d.pos(0)
}

// parse reads the whole document; anything after the first value other than
// white space is an error.
func (d *jsonDoc) parse() *jsonSyntaxError {
	p := &jparser{d: d, data: d.data}
	p.ws()
	v, err := p.value(false, 0)
	if err != nil {
		return err
	}
	p.ws()
	if p.i < len(p.data) {
		return p.errorf("invalid character %s after top-level value", quoteChar(p.data[p.i]))
	}
	d.root = v
	return nil
}

// parseFirst reads only the first value, for recognising a stream of JSON
// documents (one a line) by its first line.
func (d *jsonDoc) parseFirst() (any, bool) {
	p := &jparser{d: d, data: d.data}
	p.ws()
	v, err := p.value(false, 0)
	return v, err == nil
}

type jparser struct {
	d    *jsonDoc
	data []byte
	i    int
	// keys interns object keys: a state repeats the same few hundred
	// attribute names thousands of times.
	keys map[string]string
	// members and elems hold the members of the objects and the elements
	// of the arrays being read, innermost last, so that each map and slice
	// is made once at its final size: growing them was a third of parsing.
	members []member
	elems   []any
}

type member struct {
	k string
	v any
}

// key reads an object key, interned when it has no escapes.
func (p *jparser) key() (string, *jsonSyntaxError) {
	start := p.i + 1
	for j := start; j < len(p.data); j++ {
		c := p.data[j]
		if c == '"' {
			b := p.data[start:j]
			if k, ok := p.keys[string(b)]; ok {
				p.i = j + 1
				return k, nil
			}
			break
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
	}
	v, err := p.str()
	if err != nil {
		return "", err
	}
	k := v.(string)
	if p.keys == nil {
		p.keys = map[string]string{}
	}
	if len(p.keys) < 4096 {
		p.keys[k] = k
	}
	return k, nil
}

func (p *jparser) errorf(format string, args ...any) *jsonSyntaxError {
	return &jsonSyntaxError{off: p.i, msg: fmt.Sprintf(format, args...)}
}

func (p *jparser) eof() *jsonSyntaxError {
	return &jsonSyntaxError{off: len(p.data), msg: "unexpected end of JSON input: the file is truncated"}
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c >= 0x20 && c < 0x7f:
		return "'" + string(c) + "'"
	}
	return fmt.Sprintf("byte 0x%02x", c)
}

func (p *jparser) ws() {
	// Indented states are mostly white space: a table lookup per byte keeps
	// this loop tight.
	data, i := p.data, p.i
	for i < len(data) && isSpace[data[i]] {
		i++
	}
	p.i = i
}

var isSpace = [256]bool{' ': true, '\t': true, '\n': true, '\r': true}

func (p *jparser) value(inArray bool, depth int) (any, *jsonSyntaxError) {
	if p.i >= len(p.data) {
		return nil, p.eof()
	}
	if depth > maxJSONDepth {
		return nil, p.errorf("JSON nested more than %d levels deep", maxJSONDepth)
	}
	switch c := p.data[p.i]; {
	case c == '{':
		return p.object(inArray, depth)
	case c == '[':
		return p.array(depth)
	case c == '"':
		open := p.i
		v, err := p.str()
		if err == nil {
			err = p.checkLength(open)
		}
		return v, err
	case c == '-' || (c >= '0' && c <= '9'):
		return p.number()
	case c == 't':
		return true, p.literal("true")
	case c == 'f':
		return false, p.literal("false")
	case c == 'n':
		return nil, p.literal("null")
	default:
		return nil, p.errorf("invalid character %s looking for beginning of value", quoteChar(c))
	}
}

func (p *jparser) literal(word string) *jsonSyntaxError {
	for k := 0; k < len(word); k++ {
		if p.i >= len(p.data) {
			return p.eof()
		}
		if p.data[p.i] != word[k] {
			return p.errorf("invalid character %s in literal %s", quoteChar(p.data[p.i]), word)
		}
		p.i++
	}
	return nil
}

func (p *jparser) object(inArray bool, depth int) (any, *jsonSyntaxError) {
	start := p.i
	p.i++ // {
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == '}' {
		p.i++
		return p.finishObject(p.members[len(p.members):], start, inArray), nil
	}
	base := len(p.members)
	defer func() { p.members = p.members[:base] }()
	for {
		p.ws()
		if p.i >= len(p.data) {
			return nil, p.eof()
		}
		if p.data[p.i] != '"' {
			return nil, p.errorf("invalid character %s looking for beginning of object key string", quoteChar(p.data[p.i]))
		}
		open := p.i
		k, err := p.key()
		if err == nil {
			err = p.checkLength(open)
		}
		if err != nil {
			return nil, err
		}
		p.ws()
		if p.i >= len(p.data) {
			return nil, p.eof()
		}
		if p.data[p.i] != ':' {
			return nil, p.errorf("invalid character %s after object key", quoteChar(p.data[p.i]))
		}
		p.i++
		p.ws()
		if depth == 0 && p.d.top != nil {
			p.d.top[k] = p.i
		}
		if depth == 0 && k == "resources" && len(p.data) >= parallelParseMin && p.i < len(p.data) && p.data[p.i] == '[' {
			v, err := p.parallelArray(depth + 1)
			if err != nil {
				return nil, err
			}
			p.members = append(p.members, member{k, v})
		} else if depth > 0 && p.d.skip[k] {
			if err := p.skip(depth + 1); err != nil {
				return nil, err
			}
		} else {
			v, err := p.value(false, depth+1)
			if err != nil {
				return nil, err
			}
			p.members = append(p.members, member{k, v})
		}
		p.ws()
		if p.i >= len(p.data) {
			return nil, p.eof()
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case '}':
			p.i++
			return p.finishObject(p.members[base:], start, inArray), nil
		default:
			return nil, p.errorf("invalid character %s after object key:value pair", quoteChar(p.data[p.i]))
		}
	}
}

// finishObject records the position of objects that are array elements. It
// runs after the members are read, so a literal "@pos" member in the input
// cannot stand in for a position.
func (p *jparser) finishObject(members []member, start int, inArray bool) any {
	n := len(members)
	if inArray {
		n++
	}
	m := make(map[string]any, n)
	for _, kv := range members {
		m[kv.k] = kv.v
	}
	if inArray {
		m[resource.PosKey] = p.d.pos(start)
	} else {
		delete(m, resource.PosKey)
	}
	return m
}

func (p *jparser) array(depth int) (any, *jsonSyntaxError) {
	p.i++ // [
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return []any{}, nil
	}
	base := len(p.elems)
	defer func() { p.elems = p.elems[:base] }()
	for {
		p.ws()
		v, err := p.value(true, depth+1)
		if err != nil {
			return nil, err
		}
		p.elems = append(p.elems, v)
		p.ws()
		if p.i >= len(p.data) {
			return nil, p.eof()
		}
		switch p.data[p.i] {
		case ',':
			p.i++
		case ']':
			p.i++
			return slices.Clone(p.elems[base:]), nil
		default:
			return nil, p.errorf("invalid character %s after array element", quoteChar(p.data[p.i]))
		}
	}
}

func (p *jparser) number() (any, *jsonSyntaxError) {
	start := p.i
	if err := p.scanNumber(); err != nil {
		return nil, err
	}
	return json.Number(p.data[start:p.i]), nil
}

// scanNumber reads a number without keeping it.
func (p *jparser) scanNumber() *jsonSyntaxError {
	digits := func() int {
		n := 0
		for p.i < len(p.data) && p.data[p.i] >= '0' && p.data[p.i] <= '9' {
			p.i++
			n++
		}
		return n
	}
	if p.data[p.i] == '-' {
		p.i++
	}
	if p.i >= len(p.data) {
		return p.eof()
	}
	switch c := p.data[p.i]; {
	case c == '0':
		p.i++
	case c >= '1' && c <= '9':
		digits()
	default:
		return p.errorf("invalid character %s in numeric literal", quoteChar(c))
	}
	if p.i < len(p.data) && p.data[p.i] == '.' {
		p.i++
		if digits() == 0 {
			if p.i >= len(p.data) {
				return p.eof()
			}
			return p.errorf("invalid character %s after decimal point in numeric literal", quoteChar(p.data[p.i]))
		}
	}
	if p.i < len(p.data) && (p.data[p.i] == 'e' || p.data[p.i] == 'E') {
		p.i++
		if p.i < len(p.data) && (p.data[p.i] == '+' || p.data[p.i] == '-') {
			p.i++
		}
		if digits() == 0 {
			if p.i >= len(p.data) {
				return p.eof()
			}
			return p.errorf("invalid character %s in exponent of numeric literal", quoteChar(p.data[p.i]))
		}
	}
	return nil
}

// checkLength reports the string literal that ends before p.i and starts
// at open (its quote) when it is longer than the limit.
func (p *jparser) checkLength(open int) *jsonSyntaxError {
	if n := p.i - open - 2; p.d.maxString > 0 && n > p.d.maxString {
		return &jsonSyntaxError{off: open, limit: true, msg: fmt.Sprintf(
			"a string of %s bytes is longer than the %s bytes vpcsim accepts (--max-string-size raises the limit)",
			resource.Digits(int64(n)), resource.Digits(int64(p.d.maxString)))}
	}
	return nil
}

func (p *jparser) str() (any, *jsonSyntaxError) {
	p.i++ // opening quote
	start := p.i
	// Fast path: most strings have no escapes and are valid UTF-8.
	for p.i < len(p.data) {
		c := p.data[p.i]
		if c == '"' {
			s := p.data[start:p.i]
			p.i++
			if utf8.Valid(s) {
				return string(s), nil
			}
			return string([]rune(string(s))), nil // invalid bytes become U+FFFD, as encoding/json does
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return nil, p.errorf("invalid character %s in string literal", quoteChar(c))
		}
		p.i++
	}
	if p.i >= len(p.data) {
		return nil, p.eof()
	}
	buf := append([]byte(nil), p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return nil, p.errorf("invalid character %s in string literal", quoteChar(c))
		case c != '\\':
			buf = append(buf, c)
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(p.data) {
			return nil, p.eof()
		}
		e := p.data[p.i]
		p.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, err := p.hex4()
			if err != nil {
				return nil, err
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate must be followed by an escaped low one;
				// a lone surrogate becomes U+FFFD, as in encoding/json.
				if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					r2, err := p.hex4()
					if err != nil {
						return nil, err
					}
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
					} else {
						p.i = save
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.i--
			return nil, p.errorf("invalid character %s in string escape code", quoteChar(e))
		}
	}
	return nil, p.eof()
}

func (p *jparser) hex4() (rune, *jsonSyntaxError) {
	if p.i+4 > len(p.data) {
		return 0, p.eof()
	}
	n, err := strconv.ParseUint(string(p.data[p.i:p.i+4]), 16, 32)
	if err != nil {
		return 0, p.errorf("invalid \\u escape %q in string literal", p.data[p.i:p.i+4])
	}
	p.i += 4
	return rune(n), nil
}

// skip reads one value, checking its syntax as value would, without keeping
// it or allocating.
func (p *jparser) skip(depth int) *jsonSyntaxError {
	if p.i >= len(p.data) {
		return p.eof()
	}
	if depth > maxJSONDepth {
		return p.errorf("JSON nested more than %d levels deep", maxJSONDepth)
	}
	switch c := p.data[p.i]; {
	case c == '{', c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		p.i++
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == end {
			p.i++
			return nil
		}
		for {
			p.ws()
			if c == '{' {
				if p.i >= len(p.data) {
					return p.eof()
				}
				if p.data[p.i] != '"' {
					return p.errorf("invalid character %s looking for beginning of object key string", quoteChar(p.data[p.i]))
				}
				if err := p.skipString(); err != nil {
					return err
				}
				p.ws()
				if p.i >= len(p.data) {
					return p.eof()
				}
				if p.data[p.i] != ':' {
					return p.errorf("invalid character %s after object key", quoteChar(p.data[p.i]))
				}
				p.i++
				p.ws()
			}
			if err := p.skip(depth + 1); err != nil {
				return err
			}
			p.ws()
			if p.i >= len(p.data) {
				return p.eof()
			}
			switch p.data[p.i] {
			case ',':
				p.i++
			case end:
				p.i++
				return nil
			default:
				if c == '{' {
					return p.errorf("invalid character %s after object key:value pair", quoteChar(p.data[p.i]))
				}
				return p.errorf("invalid character %s after array element", quoteChar(p.data[p.i]))
			}
		}
	case c == '"':
		return p.skipString()
	case c == '-' || (c >= '0' && c <= '9'):
		return p.scanNumber()
	case c == 't':
		return p.literal("true")
	case c == 'f':
		return p.literal("false")
	case c == 'n':
		return p.literal("null")
	}
	return p.errorf("invalid character %s looking for beginning of value", quoteChar(p.data[p.i]))
}

// skipString reads a string literal, checking it as str would.
func (p *jparser) skipString() *jsonSyntaxError {
	open := p.i
	p.i++ // opening quote
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return p.checkLength(open)
		case c < 0x20:
			return p.errorf("invalid character %s in string literal", quoteChar(c))
		case c != '\\':
			p.i++
			continue
		}
		p.i++ // backslash
		if p.i >= len(p.data) {
			return p.eof()
		}
		e := p.data[p.i]
		p.i++
		switch e {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		case 'u':
			if _, err := p.hex4(); err != nil {
				return err
			}
		default:
			p.i--
			return p.errorf("invalid character %s in string escape code", quoteChar(e))
		}
	}
	return p.eof()
}

// parallelParseMin is the size from which a state's resources are parsed on
// every processor.
var parallelParseMin = 4 << 20

// parallelArray reads the array at p.i like array does, but first finds its
// elements' extents with skip (which checks their syntax without keeping
// anything) and then parses the elements on every processor: the resources
// of a large state are independent, and parsing them is most of a load.
func (p *jparser) parallelArray(depth int) (any, *jsonSyntaxError) {
	type span struct{ start, end int }
	var spans []span
	p.i++ // [
	p.ws()
	if p.i < len(p.data) && p.data[p.i] == ']' {
		p.i++
		return []any{}, nil
	}
	for {
		p.ws()
		start := p.i
		if err := p.skip(depth + 1); err != nil {
			return nil, err
		}
		spans = append(spans, span{start, p.i})
		p.ws()
		if p.i >= len(p.data) {
			return nil, p.eof()
		}
		switch p.data[p.i] {
		case ',':
			p.i++
			continue
		case ']':
			p.i++
		default:
			return nil, p.errorf("invalid character %s after array element", quoteChar(p.data[p.i]))
		}
		break
	}
	out := make([]any, len(spans))
	errs := make([]*jsonSyntaxError, len(spans))
	workers := min(runtime.GOMAXPROCS(0), len(spans))
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			q := &jparser{d: p.d, data: p.data[:0:0]}
			for {
				i := int(next.Add(1) - 1)
				if i >= len(spans) {
					return
				}
				// Each element is parsed in place, so positions stay those
				// of the whole document.
				q.data, q.i = p.data[:spans[i].end], spans[i].start
				out[i], errs[i] = q.value(true, depth+1)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Package nesting tells whether a source nests deeper than a parser can
// follow, without parsing it.
//
// HCL's parser and evaluator recurse once per level of an expression, and a
// Go program cannot recover from running out of stack: a file of a hundred
// thousand brackets, or of `!` signs, or of `+1` repeated, must be refused
// before it is parsed. HCL and JSON read the tokens (or bytes), which takes
// no recursion, and estimate the depth the parser will reach.
package nesting

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	hhcl "github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Max is the depth vpcsim's readers of HCL and JSON allow: no real
// configuration comes near it (TestNestingOfRealConfigurations), and a
// parser recursing this deep takes little stack.
const Max = 512

// HCL returns where source (a configuration file or expression, or a
// template when template is set) is not to be parsed, and why — it nests
// more than limit levels deep, or is not UTF-8 outside comments — or ""
// when it is fine; start is the position of its first byte. A quick scan
// of the bytes rules out nearly every file; the few it cannot are lexed.
func HCL(src []byte, name string, start hhcl.Pos, template bool, limit int) (hhcl.Range, string) {
	end, may := mayNestTooDeep(src, template, limit)
	if !may {
		return hhcl.Range{}, ""
	}
	deepMessage := fmt.Sprintf("expression nested more than %d levels deep (brackets, templates, chained operators): vpcsim does not read it", limit)
	lex := hclsyntax.LexConfig
	if template {
		lex = hclsyntax.LexTemplate
	}
	// The tokens of the bytes the scan read before it went past limit, and
	// a few more, are nearly always enough, and cost little memory; the
	// tokens of a whole file of 16 MB of brackets take gigabytes. A token
	// near the cut may not be the whole file's (the lexer looks ahead), so
	// only a token well before it decides.
	const margin, lookahead = 16, 8
	if cut := end + margin; cut < len(src) {
		tokens, _ := lex(src[:cut], name, start)
		if rng, deep := tooDeep(tokens, limit); deep && rng.End.Byte-start.Byte <= cut-lookahead {
			return rng, deepMessage
		}
	}
	// The scan stops at a byte that is not UTF-8 outside a comment: HCL
	// reads only UTF-8 (it says so of such a byte in a string; in an
	// identifier it takes the bytes after it, a quote among them), and
	// the scan cannot follow the lexer past it; lexing the rest could take
	// gigabytes.
	if end < len(src) {
		if r, size := utf8.DecodeRune(src[end-1:]); r == utf8.RuneError && size == 1 {
			return at(src, name, start, end-1), "invalid character encoding: the file is not UTF-8, which Terraform requires"
		}
	}
	tokens, _ := lex(src, name, start)
	if rng, deep := tooDeep(tokens, limit); deep {
		return rng, deepMessage
	}
	return hhcl.Range{}, ""
}

// at is the range of the byte at off in src, which starts at start.
func at(src []byte, name string, start hhcl.Pos, off int) hhcl.Range {
	pos := start
	pos.Byte += off
	if nl := bytes.LastIndexByte(src[:off], '\n'); nl >= 0 {
		pos.Line += bytes.Count(src[:off], []byte{'\n'})
		pos.Column = off - nl
	} else {
		pos.Column += off
	}
	end := pos
	end.Byte++
	end.Column++
	return hhcl.Range{Filename: name, Start: pos, End: end}
}

// JSON returns the byte offset where a JSON document nests more than limit
// arrays and objects deep, and false when it does not. Strings
// are skipped; the document need not be valid.
func JSON(src []byte, limit int) (int, bool) {
	depth := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			for i++; i < len(src) && src[i] != '"'; i++ {
				if src[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
			if depth > limit {
				return i, true
			}
		case ']', '}':
			depth--
		}
	}
	return 0, false
}

// tooDeep returns where tokens nest more than limit levels deep, and
// false when they do not. A level is opened by a bracket, a parenthesis, a
// brace, a quote, a heredoc or a template sequence; within a level, each
// operator and each index or call bracket deepens the tree the parser
// builds, until a comma, a newline or an equals sign starts a new item.
func tooDeep(tokens hclsyntax.Tokens, limit int) (hhcl.Range, bool) {
	type level struct {
		// open is the token that opened the level; only its closer
		// closes it.
		open     hclsyntax.TokenType
		template bool
		// lines is true where a newline ends an item: at the top of a
		// file and in blocks and objects (the parser ignores newlines
		// within brackets and parentheses).
		lines bool
		chain int
	}
	closes := map[hclsyntax.TokenType]hclsyntax.TokenType{
		hclsyntax.TokenCBrack: hclsyntax.TokenOBrack, hclsyntax.TokenCParen: hclsyntax.TokenOParen,
		hclsyntax.TokenCBrace: hclsyntax.TokenOBrace, hclsyntax.TokenTemplateSeqEnd: hclsyntax.TokenTemplateInterp,
		hclsyntax.TokenCQuote: hclsyntax.TokenOQuote, hclsyntax.TokenCHeredoc: hclsyntax.TokenOHeredoc,
	}
	stack := []level{{lines: true}}
	depth := 1 // the sum over the stack of 1 + chain
	for _, t := range tokens {
		top := &stack[len(stack)-1]
		switch t.Type {
		case hclsyntax.TokenOBrack, hclsyntax.TokenOParen:
			if !top.template {
				top.chain++
				depth++
			}
			stack = append(stack, level{open: t.Type})
			depth++
		case hclsyntax.TokenOBrace:
			stack = append(stack, level{open: t.Type, lines: true})
			depth++
		case hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			stack = append(stack, level{open: hclsyntax.TokenTemplateInterp})
			depth++
		case hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			stack = append(stack, level{open: t.Type, template: true})
			depth++
		case hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenCBrace, hclsyntax.TokenTemplateSeqEnd,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			// A closer that does not match is a syntax error the parser
			// reports; it closes nothing.
			if len(stack) > 1 && closes[t.Type] == top.open {
				depth -= 1 + top.chain
				stack = stack[:len(stack)-1]
			}
		case hclsyntax.TokenPlus, hclsyntax.TokenMinus, hclsyntax.TokenStar, hclsyntax.TokenSlash, hclsyntax.TokenPercent,
			hclsyntax.TokenEqualOp, hclsyntax.TokenNotEqual, hclsyntax.TokenLessThan, hclsyntax.TokenLessThanEq,
			hclsyntax.TokenGreaterThan, hclsyntax.TokenGreaterThanEq, hclsyntax.TokenAnd, hclsyntax.TokenOr,
			hclsyntax.TokenBang, hclsyntax.TokenQuestion:
			top.chain++
			depth++
		case hclsyntax.TokenNewline, hclsyntax.TokenComment:
			// The parser reads a line comment, which holds the newline
			// that ends it, as that newline.
			if top.lines && (t.Type == hclsyntax.TokenNewline || bytes.HasSuffix(t.Bytes, []byte{'\n'})) {
				depth -= top.chain
				top.chain = 0
			}
		case hclsyntax.TokenComma, hclsyntax.TokenEqual, hclsyntax.TokenFatArrow:
			depth -= top.chain
			top.chain = 0
		}
		if depth > limit {
			return t.Range, true
		}
	}
	return hhcl.Range{}, false
}

// mayNestTooDeep is a quick scan of source bytes that reports whether they
// may nest more than limit levels deep as tooDeep counts them, and how many
// bytes it read to say so. It follows HCL's lexical structure — comments,
// quoted strings and their escapes, heredocs, template sequences — well
// enough never to report less than tooDeep would (FuzzNestingScan checks
// it), and allocates nothing but its stack of open levels.
func mayNestTooDeep(src []byte, template bool, limit int) (end int, may bool) {
	const (
		expr = iota
		quoted
		heredoc
	)
	type level struct {
		mode   uint8
		open   byte   // the bracket that opened an expression level: ( [ {, or $ for a template sequence
		lines  bool   // a newline ends an item (see tooDeep)
		chain  int    // operators and index brackets since the last separator
		marker []byte // a heredoc's closing marker; nil for a template
	}
	stack := []level{{mode: expr, lines: true}}
	if template {
		stack[0] = level{mode: heredoc}
	}
	depth := 1
	push := func(l level) {
		stack = append(stack, l)
		depth++
	}
	pop := func() {
		if len(stack) > 1 {
			depth -= 1 + stack[len(stack)-1].chain
			stack = stack[:len(stack)-1]
		}
	}
	// sequence reads template text at i: it returns where the text goes
	// on (past an escaped $${ or %%{) and whether a template sequence (${
	// or %{) starts at i.
	sequence := func(i int) (int, bool) {
		c := src[i]
		if (c != '$' && c != '%') || i+1 >= len(src) {
			return i, false
		}
		switch {
		case src[i+1] == '{':
			return i + 1, true
		case src[i+1] == c && i+2 < len(src) && src[i+2] == '{':
			return i + 2, false
		}
		return i, false
	}
	// Where the last */ is tells in constant time whether a comment ends,
	// so that many comments that never end cost no more than one.
	lastCommentEnd := bytes.LastIndex(src, []byte("*/"))
	lineStart := template
	for i := 0; i < len(src); i++ {
		if depth > limit {
			return i, true
		}
		top := &stack[len(stack)-1]
		c := src[i]
		if c >= utf8.RuneSelf {
			// HCL reads only UTF-8, and its lexer takes the bytes after an
			// invalid one into an identifier — a quote among them — so the
			// tokens decide. A valid rune is an identifier's or text's.
			r, size := utf8.DecodeRune(src[i:])
			if r == utf8.RuneError && size == 1 {
				return i + 1, true // see HCL
			}
			i += size - 1
			lineStart = false
			continue
		}
		switch top.mode {
		case quoted:
			switch {
			case c == '\\':
				i++
			case c == '"':
				pop()
			default:
				// A newline does not end a quoted string for the lexer
				// (it is an error the parser reports).
				var seq bool
				if i, seq = sequence(i); seq {
					push(level{mode: expr, open: '$'})
				}
			}
			continue
		case heredoc:
			if lineStart && top.marker != nil {
				j := i
				for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
					j++
				}
				if bytes.HasPrefix(src[j:], top.marker) {
					k := j + len(top.marker)
					if k == len(src) || src[k] == '\n' || src[k] == '\r' {
						pop()
						i = k - 1
						lineStart = false
						continue
					}
				}
			}
			lineStart = c == '\n'
			var seq bool
			if i, seq = sequence(i); seq {
				push(level{mode: expr, open: '$'})
			}
			continue
		}
		switch c {
		case '\n':
			if top.lines {
				depth -= top.chain
				top.chain = 0
			}
		case '#':
			for i+1 < len(src) && src[i+1] != '\n' {
				i++
			}
		case '/':
			switch {
			case i+1 < len(src) && src[i+1] == '/':
				for i+1 < len(src) && src[i+1] != '\n' {
					i++
				}
			case i+1 < len(src) && src[i+1] == '*' && lastCommentEnd >= i+2:
				i += 2 + bytes.Index(src[i+2:], []byte("*/")) + 1
			default:
				// A division, or a comment that never ends, which HCL's
				// lexer reads as the operators / and * followed by tokens.
				top.chain++
				depth++
			}
		case '"':
			push(level{mode: quoted})
		case '(', '[':
			top.chain++
			depth++
			push(level{mode: expr, open: c})
		case '{':
			push(level{mode: expr, open: c, lines: true})
		case ')', ']', '}':
			// A brace closes a template sequence too. A closer that does
			// not match the innermost level is a syntax error, after which
			// HCL's lexer (which counts braces only) and tooDeep's levels
			// part ways: "${(}" ends the sequence for the lexer but leaves
			// the parenthesis open for tooDeep, and ~} ends a sequence the
			// lexer's way whatever is open. The tokens decide then.
			tilde := c == '}' && i > 0 && src[i-1] == '~'
			if top.open == opener(c) && !tilde || c == '}' && top.open == '$' {
				pop()
				break
			}
			return i + 1, true
		case ',':
			depth -= top.chain
			top.chain = 0
		case '=':
			if i+1 < len(src) && src[i+1] == '=' {
				i++
				top.chain++
				depth++
				break
			}
			if i+1 < len(src) && src[i+1] == '>' {
				i++
			}
			depth -= top.chain
			top.chain = 0
		case '<':
			if i+1 < len(src) && src[i+1] == '<' {
				// A heredoc: <<MARKER or <<-MARKER, then a newline.
				j := i + 2
				if j < len(src) && src[j] == '-' {
					j++
				}
				k := j
				for k < len(src) && (src[k] == '_' || src[k] == '-' || src[k] >= '0' && src[k] <= '9' ||
					src[k] >= 'a' && src[k] <= 'z' || src[k] >= 'A' && src[k] <= 'Z' || src[k] >= 0x80) {
					k++
				}
				if k > j && k < len(src) && (src[k] == '\n' || src[k] == '\r' && k+1 < len(src) && src[k+1] == '\n') {
					marker := src[j:k:k]
					if src[k] == '\r' {
						k++
					}
					push(level{mode: heredoc, marker: marker})
					i, lineStart = k, true
					break
				}
			}
			fallthrough
		case '+', '-', '*', '%', '>', '?':
			if i+1 < len(src) && src[i+1] == '=' && (c == '<' || c == '>') {
				i++
			}
			top.chain++
			depth++
		case '!', '&', '|':
			if i+1 < len(src) && (c == '!' && src[i+1] == '=' || c != '!' && src[i+1] == c) {
				i++
			}
			top.chain++
			depth++
		}
	}
	return len(src), depth > limit
}

// opener is the bracket a closing bracket closes.
func opener(c byte) byte {
	switch c {
	case ')':
		return '('
	case ']':
		return '['
	}
	return '{'
}

package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// jsonInput reads a JSON document from a stream one value at a time, for
// the readers that must not hold a whole import file: it finds where a
// value ends (strings, brackets) and hands out its bytes, which
// encoding/json then checks and decodes. It keeps the line and column of
// the place it has read to, so that errors name a place in the file as
// they would with the whole file in memory (lineColumn).
type jsonInput struct {
	r   io.Reader
	buf []byte
	pos int // the next byte of buf to read
	n   int // bytes held in buf
	at  textPos
	// eof is set once r is exhausted; err holds a read error other than
	// io.EOF.
	eof bool
	err error
}

// textPos is a place in the input: its byte offset and its 1-based line
// and column (in characters), as lineColumn counts them.
type textPos struct {
	off       int64
	line, col int
}

func newJSONInput(r io.Reader) *jsonInput {
	return &jsonInput{r: r, buf: make([]byte, 64<<10), at: textPos{line: 1, col: 1}}
}

// after returns the place after b, read from p. b must not end inside a
// UTF-8 sequence (values and white space do not).
func (p textPos) after(b []byte) textPos {
	p.off += int64(len(b))
	if nl := bytes.LastIndexByte(b, '\n'); nl >= 0 {
		p.line += bytes.Count(b[:nl+1], []byte{'\n'})
		p.col = utf8.RuneCount(b[nl+1:]) + 1
		return p
	}
	p.col += utf8.RuneCount(b)
	return p
}

// fill reads more input when all of buf has been read; it reports whether
// there is a byte to read.
func (in *jsonInput) fill() bool {
	for in.pos == in.n {
		if in.eof {
			return false
		}
		in.pos, in.n = 0, 0
		n, err := in.r.Read(in.buf)
		in.n = n
		if err == io.EOF {
			in.eof = true
		} else if err != nil {
			in.eof, in.err = true, err
			return in.pos < in.n
		}
	}
	return true
}

// peek skips white space and returns the next byte, without reading it;
// ok is false at the end of the input.
func (in *jsonInput) peek() (c byte, ok bool) {
	for in.fill() {
		start := in.pos
		for in.pos < in.n {
			switch c := in.buf[in.pos]; c {
			case ' ', '\t', '\r', '\n':
				in.pos++
			default:
				in.at = in.at.after(in.buf[start:in.pos])
				return c, true
			}
		}
		in.at = in.at.after(in.buf[start:in.pos])
	}
	return 0, false
}

// skip reads the byte peek returned.
func (in *jsonInput) skip() {
	in.at = in.at.after(in.buf[in.pos : in.pos+1])
	in.pos++
}

// readErr is the error of a read that failed other than at the end.
func (in *jsonInput) readErr() error {
	if in.err != nil {
		return in.err
	}
	return nil
}

// value reads the JSON value that starts at the next byte (after white
// space) and returns its bytes (a copy) and where it starts. Only its
// extent is found here: the bytes may still be invalid JSON, which
// encoding/json reports when it decodes them. complete is false when the
// input ended before the value was seen to end (a number or literal at the
// end of the input may still be whole).
func (in *jsonInput) value() (raw []byte, start textPos, complete bool, err error) {
	first, ok := in.peek()
	if !ok {
		return nil, in.at, false, in.readErr()
	}
	start = in.at
	var (
		closers  []byte // the brackets still open, as the bytes that close them
		inString bool
		escaped  bool // the byte before was a backslash, in a string
		scalar   = first != '{' && first != '[' && first != '"'
		began    bool
	)
	for in.fill() {
		b := in.buf[in.pos:in.n]
		end := -1 // where the value ends in b (exclusive), once found
	scan:
		for i := 0; i < len(b); {
			if escaped {
				escaped = false
				i++
				continue
			}
			if inString {
				// Jump to the next quote or backslash.
				s := b[i:]
				q := bytes.IndexByte(s, '"')
				if q < 0 {
					q = len(s)
				}
				if bs := bytes.IndexByte(s[:q], '\\'); bs >= 0 {
					escaped = true
					i += bs + 1
					continue
				}
				if q == len(s) {
					break scan
				}
				i += q + 1
				inString = false
				if len(closers) == 0 {
					end = i // a string on its own
					break scan
				}
				continue
			}
			c := b[i]
			if scalar {
				// A number or literal goes on while its bytes could; what
				// follows is checked by the caller (or, when the scalar is
				// cut short by it, by decodeValue).
				if began && !scalarByte(c) {
					end = i
					break scan
				}
				began = true
				i++
				continue
			}
			i++
			switch c {
			case '"':
				inString = true
			case '{':
				closers = append(closers, '}')
			case '[':
				closers = append(closers, ']')
			case '}', ']':
				if len(closers) == 0 || closers[len(closers)-1] != c {
					// A bracket that does not match: the value ends here,
					// and encoding/json says what is wrong with it.
					end = i
					break scan
				}
				closers = closers[:len(closers)-1]
				if len(closers) == 0 {
					end = i
					break scan
				}
			}
		}
		if end >= 0 {
			raw = append(raw, b[:end]...)
			in.pos += end
			in.at = in.at.after(raw)
			return raw, start, true, nil
		}
		raw = append(raw, b...)
		in.pos = in.n
	}
	in.at = in.at.after(raw)
	if err := in.readErr(); err != nil {
		return nil, start, false, err
	}
	return raw, start, false, nil
}

// isScalar reports whether raw, a value's bytes, is read as a number or
// literal (or a word that is neither).
func isScalar(raw []byte) bool {
	return len(raw) > 0 && raw[0] != '{' && raw[0] != '[' && raw[0] != '"'
}

// scalarByte reports whether c may be part of a number or a literal (or
// of a word that is neither, which encoding/json then refuses whole).
func scalarByte(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '-' || c == '+' || c == '.'
}

// errAt is a syntax error at a place in the input, worded as encoding/json
// words its syntax errors.
func errAt(p textPos, msg string) error {
	return fmt.Errorf("%w: line %d, column %d: %s", ErrJSON, p.line, p.col, msg)
}

// errEnd is the error of an input that ends inside a value (or the read
// error that ended it).
func (in *jsonInput) errEnd() error {
	if in.err != nil {
		return in.err
	}
	return errAt(in.at, "the file ends in the middle of a value")
}

// errChar is encoding/json's error for an unexpected byte c at the input's
// place: "invalid character 'x' after array element".
func (in *jsonInput) errChar(c byte, context string) error {
	return errAt(in.at, "invalid character "+quoteChar(c)+" "+context)
}

// quoteChar formats c as encoding/json's errors do.
func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	return "'" + s[1:len(s)-1] + "'"
}

// decodeValue decodes raw, a value read at start, into v, turning
// encoding/json's errors into ErrJSON with the line and column in the
// input; field names the value ("annotations"), the start of a type
// error's field path. An incomplete value whose bytes are valid as far as
// they go is reported as the input ending in the middle of a value.
func (in *jsonInput) decodeValue(raw []byte, start textPos, complete bool, field string, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil && (complete || isScalar(raw)) {
		return nil
	}
	var syntax *json.SyntaxError
	if complete && errors.As(err, &syntax) && syntax.Offset >= int64(len(raw)) && in.pos < in.n && isScalar(raw) {
		// A number or literal cut short by the byte after it: encoding/json
		// names that byte ("invalid character ' ' in literal true").
		err = json.Unmarshal(append(raw[:len(raw):len(raw)], in.buf[in.pos]), v)
	}
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return in.errEnd()
	case errors.As(err, &syntax):
		if !complete && syntax.Offset >= int64(len(bytes.TrimRight(raw, " \t\r\n"))) {
			return in.errEnd()
		}
		// Offset counts the bytes read, the offending one included.
		return errAt(start.after(raw[:clampOffset(syntax.Offset-1, raw)]), syntax.Error())
	case !complete:
		return in.errEnd()
	case errors.As(err, &typ):
		name := field
		if typ.Field != "" {
			name = field + "." + typ.Field
		}
		if name == "" {
			name = "the top level"
		}
		p := start.after(raw[:clampOffset(typ.Offset, raw)])
		return errAt(p, fmt.Sprintf("%s must be %s, not %s", name, typ.Type, jsonValueKind(typ.Value)))
	}
	return jsonError(raw, err)
}

// clampOffset keeps an offset from encoding/json inside raw, on the start
// of a UTF-8 sequence.
func clampOffset(off int64, raw []byte) int {
	i := int(max(0, min(off, int64(len(raw)))))
	for i > 0 && i < len(raw) && !utf8.RuneStart(raw[i]) {
		i--
	}
	return i
}

// checkText refuses raw, a value read at start, when one of its strings is
// not valid UTF-8 (see checkJSONText); name names the record it is.
func (in *jsonInput) checkText(raw []byte, start textPos, name func(raw []byte, path []jsonLevel) string) error {
	at, path, found := badJSONString(raw)
	if !found {
		return nil
	}
	p := start.after(raw[:clampOffset(int64(at), raw)])
	where := fmt.Sprintf("line %d, column %d", p.line, p.col)
	if name != nil {
		if record := name(raw, path); record != "" {
			where = record + ": " + where
		}
	}
	return fmt.Errorf("%w: %s: a string is not valid UTF-8 (the file may be in another encoding, or damaged); save it as UTF-8", ErrJSON, where)
}

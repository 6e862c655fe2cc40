package formats

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gloss-notes/gloss/annotations"
)

// NativeFormat and NativeVersion mark Gloss's own JSON export.
const (
	NativeFormat  = "gloss"
	NativeVersion = 1
)

// MaxImportSize is the largest annotation file ReadNative accepts.
const MaxImportSize = 1 << 30

// ErrJSON is returned for an import file that is not valid JSON or not a
// Gloss export; the message gives the line and column.
var ErrJSON = errors.New("not a Gloss JSON file")

// WriteNative writes b as Gloss's native JSON: one indented object with the
// articles (with their text) and the annotations.
func WriteNative(w io.Writer, b annotations.Bundle, exportedAt time.Time) error {
	nw := NewNativeWriter(w, exportedAt)
	for _, a := range b.Articles {
		if err := nw.Article(a); err != nil {
			return err
		}
	}
	for _, a := range b.Annotations {
		if err := nw.Annotation(a); err != nil {
			return err
		}
	}
	return nw.Close()
}

// NativeWriter writes a native export record by record (it is an
// annotations.ExportSink): every article, then every annotation, then
// Close. Its output is the one indented object WriteNative writes, byte for
// byte; encoding/json cannot write an object a member at a time, so the
// skeleton around the records is written here.
type NativeWriter struct {
	w          *bufio.Writer
	exportedAt time.Time
	// list is the list being written: 0 none yet, 1 the articles, 2 the
	// annotations, 3 closed; n how many records it has.
	list int
	n    int
	rec  bytes.Buffer
	enc  *json.Encoder
	err  error
}

// NewNativeWriter starts a native export to w.
func NewNativeWriter(w io.Writer, exportedAt time.Time) *NativeWriter {
	nw := &NativeWriter{w: bufio.NewWriterSize(w, 64<<10), exportedAt: exportedAt}
	nw.enc = json.NewEncoder(&nw.rec)
	nw.enc.SetEscapeHTML(false)
	nw.enc.SetIndent("    ", "  ")
	return nw
}

// Article writes one article, with its text; all articles come before the
// first annotation.
func (nw *NativeWriter) Article(a annotations.Article) error {
	if nw.list > 1 && nw.err == nil {
		nw.err = errors.New("formats: NativeWriter: an article after the annotations")
	}
	nw.to(1)
	return nw.record(a)
}

// Annotation writes one annotation.
func (nw *NativeWriter) Annotation(a annotations.Annotation) error {
	if a.Tags == nil {
		a.Tags = []string{}
	}
	nw.to(2)
	return nw.record(a)
}

// Close ends the object and flushes it to the writer.
func (nw *NativeWriter) Close() error {
	if nw.list == 3 {
		return nw.err
	}
	nw.to(3)
	if nw.err == nil {
		nw.err = nw.w.Flush()
	}
	return nw.err
}

// to ends the lists before list and starts list (3: ends them all).
func (nw *NativeWriter) to(list int) {
	for nw.list < list && nw.err == nil {
		switch nw.list {
		case 0:
			t, err := json.Marshal(nw.exportedAt.UTC().Truncate(time.Second))
			if err != nil {
				nw.err = err
				return
			}
			fmt.Fprintf(nw.w, "{\n  \"format\": %q,\n  \"version\": %d,\n  \"exported_at\": %s,\n  \"articles\": [", NativeFormat, NativeVersion, t)
		case 1:
			nw.endList()
			nw.w.WriteString(",\n  \"annotations\": [")
		case 2:
			nw.endList()
			nw.w.WriteString("\n}\n")
		}
		nw.list++
		nw.n = 0
	}
}

// endList closes the list being written: "]" on a line of its own after
// records, "[]" when it has none (as encoding/json indents).
func (nw *NativeWriter) endList() {
	if nw.n > 0 {
		nw.w.WriteString("\n  ]")
	} else {
		nw.w.WriteString("]")
	}
}

func (nw *NativeWriter) record(v any) error {
	if nw.err != nil {
		return nw.err
	}
	nw.rec.Reset()
	if err := nw.enc.Encode(v); err != nil {
		nw.err = err
		return err
	}
	if nw.n > 0 {
		nw.w.WriteByte(',')
	}
	nw.w.WriteString("\n    ")
	_, nw.err = nw.w.Write(bytes.TrimSuffix(nw.rec.Bytes(), []byte("\n")))
	nw.n++
	return nw.err
}

// ReadNative reads a native JSON export. It checks the shape (valid JSON,
// the "gloss" format marker, a version it knows, value types); the content
// is checked when the bundle is imported. It reads the whole file into a
// Bundle: an import of a large file reads it with a NativeReader instead.
func ReadNative(data []byte) (annotations.Bundle, error) {
	if len(data) > MaxImportSize {
		return annotations.Bundle{}, fmt.Errorf("%w: the file is larger than %d MB", ErrJSON, MaxImportSize>>20)
	}
	r := NewNativeReader(bytes.NewReader(data))
	var b annotations.Bundle
	if err := r.Articles(func(a annotations.Article) error {
		b.Articles = append(b.Articles, a)
		return nil
	}); err != nil {
		return annotations.Bundle{}, err
	}
	if err := r.Annotations(func(a annotations.Annotation) error {
		b.Annotations = append(b.Annotations, a)
		return nil
	}); err != nil {
		return annotations.Bundle{}, err
	}
	// A list the file has, even empty, is not nil (as encoding/json reads it).
	if b.Articles == nil && r.lists[listArticles] {
		b.Articles = []annotations.Article{}
	}
	if b.Annotations == nil && r.lists[listAnnotations] {
		b.Annotations = []annotations.Annotation{}
	}
	return b, nil
}

// NativeReader reads a native JSON export from a stream, one record at a
// time: first every article (Articles), then every annotation
// (Annotations), so that an import holds neither the file nor its records
// in memory. It makes ReadNative's checks, with the same messages: valid
// JSON (line and column), the "gloss" format marker and a version it
// knows, value types, and strings that are valid UTF-8 (per record, naming
// it).
//
// A file written by WriteNative (the marker, then the articles, then the
// annotations) is read in one pass holding one record at a time. Other
// orders are read too: records that come before the marker and version,
// and annotations that come before the articles, are held in memory until
// they can be handed out. A file that names its list of articles (or of
// annotations) twice is refused: encoding/json would keep the last one,
// and the first has been handed out.
//
// Records are handed out as they are read, before the end of the file is
// checked: a caller that applies them (an import) must be able to undo
// them all when a later call returns an error.
type NativeReader struct {
	in         *jsonInput
	format     *string
	version    *int
	exportedAt time.Time
	headOK     bool // format and version seen and fine
	started    bool // the top-level '{' has been read
	members    int  // members of the top-level object read
	ended      bool // the top-level object has been read whole
	lists      [2]bool
	read       [2]bool // each list has been read (into the caller or held)
	phase      int     // 0: before Articles, 1: in Articles, 2: in Annotations
	count      [2]int  // records of each list read
	onArticle  func(annotations.Article) error
	onNote     func(annotations.Annotation) error
	// pending is a list (listArticles+1, listAnnotations+1) whose key
	// ReadHead read, at pendingAt, and whose records it left to read.
	pending   int
	pendingAt textPos
	heldArts  []annotations.Article
	heldNotes []annotations.Annotation
	err       error
}

const (
	listArticles = iota
	listAnnotations
)

var listNames = [2]string{"articles", "annotations"}

// NewNativeReader returns a reader of the native export r holds. It reads
// r as it goes, through a buffer of its own.
func NewNativeReader(r io.Reader) *NativeReader {
	return &NativeReader{in: newJSONInput(r)}
}

// ReadHead reads the start of the file, up to its first list of records,
// and checks the format marker and version when they come before it (as
// WriteNative writes them): a file that is not a Gloss export is refused
// before anything is done with it. Calling it is optional; it must come
// before Articles.
func (r *NativeReader) ReadHead() error {
	if r.phase != 0 || r.err != nil {
		return r.err
	}
	for !r.headOK && r.pending == 0 && !r.ended {
		if err := r.member(); err != nil {
			return r.fail(err)
		}
	}
	if r.ended {
		return r.fail(r.checkHead(true))
	}
	return nil
}

// Articles calls fn for every article of the file, in order. It must be
// called once, before Annotations. An error from fn is returned as it is.
func (r *NativeReader) Articles(fn func(annotations.Article) error) error {
	if r.phase != 0 {
		return errors.New("formats: NativeReader.Articles called twice")
	}
	if r.err != nil {
		return r.err
	}
	r.phase, r.onArticle = 1, fn
	defer func() { r.onArticle = nil }()
	for !(r.read[listArticles] && r.headOK) && !r.ended {
		if err := r.member(); err != nil {
			return r.fail(err)
		}
	}
	if err := r.checkHead(true); err != nil {
		return r.fail(err)
	}
	held := r.heldArts
	r.heldArts = nil
	for _, a := range held {
		if err := fn(a); err != nil {
			return r.fail(err)
		}
	}
	return nil
}

// Annotations calls fn for every annotation of the file, in order, and
// then reads the file to its end. It must be called after Articles. An
// error from fn is returned as it is.
func (r *NativeReader) Annotations(fn func(annotations.Annotation) error) error {
	if r.phase != 1 {
		return errors.New("formats: NativeReader.Annotations called before Articles, or twice")
	}
	if r.err != nil {
		return r.err
	}
	r.phase, r.onNote = 2, fn
	defer func() { r.onNote = nil }()
	held := r.heldNotes
	r.heldNotes = nil
	for _, a := range held {
		if err := fn(a); err != nil {
			return r.fail(err)
		}
	}
	for !r.ended {
		if err := r.member(); err != nil {
			return r.fail(err)
		}
	}
	// The marker may have been given again, further on.
	return r.fail(r.checkHead(true))
}

func (r *NativeReader) fail(err error) error {
	if err != nil && r.err == nil {
		r.err = err
	}
	return err
}

// checkHead checks the format marker and version once both are known, in
// ReadNative's order; at the end of the file (final) a missing one is an
// error.
func (r *NativeReader) checkHead(final bool) error {
	switch {
	case r.format == nil:
		if final {
			return fmt.Errorf(`%w: it has no "format" field (a Gloss export starts with "format": "gloss")`, ErrJSON)
		}
		return nil
	case *r.format != NativeFormat:
		return fmt.Errorf(`%w: its format is %s, not "gloss"`, ErrJSON, annotations.QuoteInput(*r.format))
	case r.version == nil:
		if final {
			return fmt.Errorf(`%w: it has no "version" field`, ErrJSON)
		}
		return nil
	case *r.version > NativeVersion:
		return fmt.Errorf("%w: it is version %d, written by a newer Gloss (this one reads version %d)", ErrJSON, *r.version, NativeVersion)
	case *r.version < 1:
		return fmt.Errorf("%w: unknown version %d", ErrJSON, *r.version)
	}
	r.headOK = true
	return nil
}

// member reads the next member of the top-level object (the object's
// start and end too).
func (r *NativeReader) member() error {
	if r.pending > 0 {
		which := r.pending - 1
		r.pending = 0
		return r.list(which, r.pendingAt)
	}
	in := r.in
	c, ok := in.peek()
	if !ok {
		if err := in.readErr(); err != nil {
			return err
		}
		return in.errEnd()
	}
	if !r.started {
		if c != '{' {
			return r.notObject()
		}
		in.skip()
		r.started = true
		if c, ok = in.peek(); !ok {
			return in.errEnd()
		}
	}
	switch {
	case c == '}':
		in.skip()
		return r.end()
	case r.members > 0 && c == ',':
		in.skip()
		if c, ok = in.peek(); !ok {
			return in.errEnd()
		}
		if c != '"' {
			return in.errChar(c, "looking for beginning of object key string")
		}
	case r.members > 0:
		return in.errChar(c, "after object key:value pair")
	case c != '"':
		return in.errChar(c, "looking for beginning of object key string")
	}
	raw, start, complete, err := in.value()
	if err != nil {
		return err
	}
	var key string
	if err := in.decodeValue(raw, start, complete, "", &key); err != nil {
		return err
	}
	if err := in.checkText(raw, start, nil); err != nil {
		return err
	}
	if c, ok = in.peek(); !ok {
		return in.errEnd()
	} else if c != ':' {
		return in.errChar(c, "after object key")
	}
	in.skip()
	r.members++
	switch {
	case strings.EqualFold(key, "format"):
		var f *string
		if err := r.scalar("format", &f); err != nil {
			return err
		}
		r.format, r.headOK = f, false
		return r.checkHead(false)
	case strings.EqualFold(key, "version"):
		var v *int
		if err := r.scalar("version", &v); err != nil {
			return err
		}
		r.version, r.headOK = v, false
		return r.checkHead(false)
	case strings.EqualFold(key, "exported_at"):
		return r.scalar("exported_at", &r.exportedAt)
	case strings.EqualFold(key, "articles"), strings.EqualFold(key, "annotations"):
		which := listArticles
		if strings.EqualFold(key, "annotations") {
			which = listAnnotations
		}
		if r.phase == 0 {
			// ReadHead: the records are read by Articles.
			r.pending, r.pendingAt = which+1, start
			return nil
		}
		return r.list(which, start)
	}
	var skip json.RawMessage
	return r.scalar("", &skip)
}

// scalar reads a member's value into v; field names it in type errors.
func (r *NativeReader) scalar(field string, v any) error {
	raw, start, complete, err := r.in.value()
	if err != nil {
		return err
	}
	if raw == nil {
		return r.in.errEnd()
	}
	if err := r.in.decodeValue(raw, start, complete, field, v); err != nil {
		return err
	}
	return r.in.checkText(raw, start, nil)
}

// notObject is the error for a file whose top-level value is not an
// object: its syntax error, or what it is instead. null is read as an
// object with nothing in it, as encoding/json reads it.
func (r *NativeReader) notObject() error {
	in := r.in
	raw, start, complete, err := in.value()
	if err != nil {
		return err
	}
	var v any
	if err := in.decodeValue(raw, start, complete, "", &v); err != nil {
		return err
	}
	if v == nil {
		r.started = true
		return r.end()
	}
	kind := "number"
	switch v.(type) {
	case string:
		kind = "string"
	case bool:
		kind = "bool"
	case []any:
		kind = "array"
	}
	return errAt(start, "the top level must be an object (a Gloss export), not "+kind)
}

// end checks what follows the top-level value: white space only.
func (r *NativeReader) end() error {
	r.ended = true
	if c, ok := r.in.peek(); ok {
		return r.in.errChar(c, "after top-level value")
	}
	return r.in.readErr()
}

// list reads the list of articles or annotations: into the caller when it
// is its turn and the marker has been checked, else into memory.
func (r *NativeReader) list(which int, key textPos) error {
	in := r.in
	name := listNames[which]
	if r.read[which] {
		return errAt(key, fmt.Sprintf("the file has a list of %s twice", name))
	}
	r.read[which] = true
	c, ok := in.peek()
	if !ok {
		return in.errEnd()
	}
	if c != '[' {
		raw, start, complete, err := in.value()
		if err != nil {
			return err
		}
		if which == listArticles {
			var list []annotations.Article
			return in.decodeValue(raw, start, complete, name, &list) // null, or a type error
		}
		var list []annotations.Annotation
		return in.decodeValue(raw, start, complete, name, &list)
	}
	in.skip()
	r.lists[which] = true
	for {
		c, ok := in.peek()
		if !ok {
			return in.errEnd()
		}
		if c == ']' && r.count[which] == 0 {
			in.skip()
			return nil
		}
		if err := r.record(which); err != nil {
			return err
		}
		if c, ok = in.peek(); !ok {
			return in.errEnd()
		}
		switch c {
		case ',':
			in.skip()
		case ']':
			in.skip()
			return nil
		default:
			return in.errChar(c, "after array element")
		}
	}
}

// record reads one article or annotation and hands it out, or holds it.
func (r *NativeReader) record(which int) error {
	in := r.in
	raw, start, complete, err := in.value()
	if err != nil {
		return err
	}
	r.count[which]++
	n := r.count[which]
	name := func(raw []byte, path []jsonLevel) string {
		s := fmt.Sprintf("%s %d", strings.TrimSuffix(listNames[which], "s"), n)
		if len(path) > 0 && path[0].object {
			if id := objectID(raw, path[0].start); id != "" {
				s += " (" + id + ")"
			}
		}
		return s
	}
	if which == listArticles {
		var a annotations.Article
		if err := in.decodeValue(raw, start, complete, listNames[which], &a); err != nil {
			return err
		}
		if err := in.checkText(raw, start, name); err != nil {
			return err
		}
		if r.headOK && r.phase == 1 {
			return r.onArticle(a)
		}
		r.heldArts = append(r.heldArts, a)
		return nil
	}
	var a annotations.Annotation
	if err := in.decodeValue(raw, start, complete, listNames[which], &a); err != nil {
		return err
	}
	if err := in.checkText(raw, start, name); err != nil {
		return err
	}
	if r.headOK && r.phase == 2 {
		return r.onNote(a)
	}
	r.heldNotes = append(r.heldNotes, a)
	return nil
}

// jsonError rewrites encoding/json's errors with a line and column.
func jsonError(data []byte, err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var tim *time.ParseError
	switch {
	case errors.As(err, &syntax):
		if syntax.Offset >= int64(len(bytes.TrimRight(data, " \t\r\n"))) {
			line, col := lineColumn(data, int64(len(data)))
			return fmt.Errorf("%w: line %d, column %d: the file ends in the middle of a value", ErrJSON, line, col)
		}
		// Offset counts the bytes read, the offending one included.
		line, col := lineColumn(data, syntax.Offset-1)
		return fmt.Errorf("%w: line %d, column %d: %s", ErrJSON, line, col, syntax.Error())
	case errors.As(err, &typ):
		line, col := lineColumn(data, typ.Offset)
		field := typ.Field
		if field == "" {
			field = "the top level"
		}
		return fmt.Errorf("%w: line %d, column %d: %s must be %s, not %s", ErrJSON, line, col, field, typ.Type, jsonValueKind(typ.Value))
	case errors.As(err, &tim):
		return fmt.Errorf("%w: a time is not in RFC 3339 form: %s", ErrJSON, annotations.QuoteInput(tim.Value))
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := lineColumn(data, int64(len(data)))
		return fmt.Errorf("%w: line %d, column %d: the file ends in the middle of a value", ErrJSON, line, col)
	default:
		msg := strings.TrimPrefix(err.Error(), "json: ")
		return fmt.Errorf("%w: %s", ErrJSON, msg)
	}
}

// jsonValueKind is encoding/json's description of a value of the wrong
// type ("string", "number 12"), without a number's digits when they are
// many: the file's own text is quoted short, if at all.
func jsonValueKind(v string) string {
	if kind, literal, ok := strings.Cut(v, " "); ok && len(literal) > 20 {
		return kind
	}
	return v
}

// lineColumn turns a byte offset into a 1-based line and column (in
// characters).
func lineColumn(data []byte, offset int64) (line, col int) {
	offset = max(0, min(offset, int64(len(data))))
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	lastNL := bytes.LastIndexByte(before, '\n')
	col = len([]rune(string(before[lastNL+1:]))) + 1
	return line, col
}

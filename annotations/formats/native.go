package formats

import (
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

// nativeFile is the top-level object of a native export.
type nativeFile struct {
	Format      string                   `json:"format"`
	Version     int                      `json:"version"`
	ExportedAt  time.Time                `json:"exported_at"`
	Articles    []annotations.Article    `json:"articles"`
	Annotations []annotations.Annotation `json:"annotations"`
}

// WriteNative writes b as Gloss's native JSON: one indented object with the
// articles (with their text) and the annotations.
func WriteNative(w io.Writer, b annotations.Bundle, exportedAt time.Time) error {
	f := nativeFile{
		Format:      NativeFormat,
		Version:     NativeVersion,
		ExportedAt:  exportedAt.UTC().Truncate(time.Second),
		Articles:    b.Articles,
		Annotations: b.Annotations,
	}
	if f.Articles == nil {
		f.Articles = []annotations.Article{}
	}
	if f.Annotations == nil {
		f.Annotations = []annotations.Annotation{}
	}
	for i := range f.Annotations {
		if f.Annotations[i].Tags == nil {
			f.Annotations[i].Tags = []string{}
		}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}

// ReadNative reads a native JSON export. It checks the shape (valid JSON,
// the "gloss" format marker, a version it knows, value types); the content
// is checked when the bundle is imported.
func ReadNative(data []byte) (annotations.Bundle, error) {
	if len(data) > MaxImportSize {
		return annotations.Bundle{}, fmt.Errorf("%w: the file is larger than %d MB", ErrJSON, MaxImportSize>>20)
	}
	var head struct {
		Format  *string `json:"format"`
		Version *int    `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return annotations.Bundle{}, jsonError(data, err)
	}
	switch {
	case head.Format == nil:
		return annotations.Bundle{}, fmt.Errorf(`%w: it has no "format" field (a Gloss export starts with "format": "gloss")`, ErrJSON)
	case *head.Format != NativeFormat:
		return annotations.Bundle{}, fmt.Errorf(`%w: its format is %s, not "gloss"`, ErrJSON, annotations.QuoteInput(*head.Format))
	case head.Version == nil:
		return annotations.Bundle{}, fmt.Errorf(`%w: it has no "version" field`, ErrJSON)
	case *head.Version > NativeVersion:
		return annotations.Bundle{}, fmt.Errorf("%w: it is version %d, written by a newer Gloss (this one reads version %d)", ErrJSON, *head.Version, NativeVersion)
	case *head.Version < 1:
		return annotations.Bundle{}, fmt.Errorf("%w: unknown version %d", ErrJSON, *head.Version)
	}
	var f nativeFile
	if err := json.Unmarshal(data, &f); err != nil {
		return annotations.Bundle{}, jsonError(data, err)
	}
	if err := checkJSONText(data, nativeRecord); err != nil {
		return annotations.Bundle{}, err
	}
	return annotations.Bundle{Articles: f.Articles, Annotations: f.Annotations}, nil
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

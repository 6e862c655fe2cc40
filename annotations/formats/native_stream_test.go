package formats

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/iotest"
	"time"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// nativeFile is the top-level object of a native export.
type nativeFile struct {
	Format      string                   `json:"format"`
	Version     int                      `json:"version"`
	ExportedAt  time.Time                `json:"exported_at"`
	Articles    []annotations.Article    `json:"articles"`
	Annotations []annotations.Annotation `json:"annotations"`
}

// writeNativeWhole is WriteNative as it was before NativeWriter: the whole
// object encoded at once by encoding/json. The tests hold NativeWriter to
// its output, byte for byte.
func writeNativeWhole(w io.Writer, b annotations.Bundle, exportedAt time.Time) error {
	f := nativeFile{Format: NativeFormat, Version: NativeVersion, ExportedAt: exportedAt.UTC().Truncate(time.Second),
		Articles: b.Articles, Annotations: b.Annotations}
	if f.Articles == nil {
		f.Articles = []annotations.Article{}
	}
	if f.Annotations == nil {
		f.Annotations = []annotations.Annotation{}
	}
	f.Annotations = slices.Clone(f.Annotations)
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

func TestNativeWriter_WritesAsTheWholeObjectEncoder(t *testing.T) {
	full := sampleBundle()
	at := time.Date(2026, 12, 4, 12, 30, 15, 500, time.FixedZone("x", 3600))
	tests := []struct {
		name string
		b    annotations.Bundle
	}{
		{"empty", annotations.Bundle{}},
		{"articles only", annotations.Bundle{Articles: full.Articles}},
		{"annotations only", annotations.Bundle{Annotations: full.Annotations}},
		{"both", full},
		{"markup and escapes kept", annotations.Bundle{Articles: []annotations.Article{{Title: "<b>&</b> \"q\" \u2028", Text: "a\tb\n"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want, got bytes.Buffer
			if err := writeNativeWhole(&want, tt.b, at); err != nil {
				t.Fatal(err)
			}
			if err := WriteNative(&got, tt.b, at); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("NativeWriter wrote\n%s\nencoding/json writes\n%s", got.String(), want.String())
			}
		})
	}
}

func TestNativeWriter_ArticleAfterAnnotationsIsAnError(t *testing.T) {
	nw := NewNativeWriter(io.Discard, time.Now())
	nw.Annotation(annotations.Annotation{})
	if err := nw.Article(annotations.Article{}); err == nil {
		t.Fatal("an article after the annotations was written")
	}
	if err := nw.Close(); err == nil {
		t.Fatal("Close forgot the error")
	}
}

func TestNativeWriter_WriteErrorIsReturned(t *testing.T) {
	nw := NewNativeWriter(failingWriter{}, time.Now())
	for range 2000 {
		if nw.Article(annotations.Article{Text: strings.Repeat("x", 100)}) != nil {
			return
		}
	}
	if err := nw.Close(); err == nil {
		t.Fatal("a failing writer gave no error")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// readNativeWhole is ReadNative as it was before NativeReader: the whole
// file decoded at once by encoding/json. The tests hold NativeReader to
// its results and messages.
func readNativeWhole(data []byte) (annotations.Bundle, error) {
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

// readNativeStream reads data with a NativeReader through r (a reader of
// data that returns it in pieces, to cross the reader's buffer anywhere).
func readNativeStream(r io.Reader) (annotations.Bundle, error) {
	nr := NewNativeReader(r)
	var b annotations.Bundle
	if err := nr.Articles(func(a annotations.Article) error {
		b.Articles = append(b.Articles, a)
		return nil
	}); err != nil {
		return annotations.Bundle{}, err
	}
	if err := nr.Annotations(func(a annotations.Annotation) error {
		b.Annotations = append(b.Annotations, a)
		return nil
	}); err != nil {
		return annotations.Bundle{}, err
	}
	return b, nil
}

// sameBundle compares bundles as encoding/json would fill them, but for
// the lists' being nil or empty.
func sameBundle(a, b annotations.Bundle) bool {
	return len(a.Articles) == len(b.Articles) && len(a.Annotations) == len(b.Annotations) &&
		(len(a.Articles) == 0 || reflect.DeepEqual(a.Articles, b.Articles)) &&
		(len(a.Annotations) == 0 || reflect.DeepEqual(a.Annotations, b.Annotations))
}

// nativeCases are files that the whole-file reader and the stream reader
// must read alike: the same records, or the same error message.
var nativeCases = []struct{ name, in string }{
	{"empty", ""},
	{"white space", " \n\t "},
	{"not JSON", "hello"},
	{"byte order mark", "\ufeff{}"},
	{"null", "null"},
	{"top-level array", `[1, 2]`},
	{"top-level string", `"gloss"`},
	{"top-level number", `12`},
	{"empty object", `{}`},
	{"syntax error on line 3", "{\n  \"format\": \"gloss\",\n  \"version\": 1,,\n}"},
	{"cut short", "{\"format\": \"gloss\", \"version\": 1, \"articles\": ["},
	{"cut short in a string", "{\"format\": \"gloss\", \"version\": 1, \"articles\": [{\"title\": \"ab"},
	{"cut short after a key", `{"format"`},
	{"cut short after a colon", `{"format":`},
	{"cut short after a value", `{"format": "gloss"`},
	{"cut short in a literal", `{"format": "gloss", "version": 1, "x": tru`},
	{"no format", `{"version": 1}`},
	{"another format", `{"format": "zotero", "version": 1}`},
	{"no version", `{"format": "gloss"}`},
	{"newer", `{"format": "gloss", "version": 2}`},
	{"zero version", `{"format": "gloss", "version": 0}`},
	{"null format", `{"format": null, "version": 1}`},
	{"format a number", `{"format": 1, "version": 1}`},
	{"version a string", `{"format": "gloss", "version": "1"}`},
	{"version a fraction", `{"format": "gloss", "version": 1.5}`},
	{"version a long number", `{"format": "gloss", "version": 123456789012345678901234567890}`},
	{"keys in capitals", `{"FORMAT": "gloss", "Version": 1, "Articles": [{"title": "T"}]}`},
	{"format last", `{"articles": [{"title": "T"}], "annotations": [{"note": "n"}], "version": 1, "format": "gloss"}`},
	{"annotations first", `{"format": "gloss", "version": 1, "annotations": [{"note": "n"}, {"note": "m"}], "articles": [{"title": "T"}]}`},
	{"format given twice", `{"format": "gloss", "version": 1, "articles": [], "format": "zotero"}`},
	{"unknown keys", `{"format": "gloss", "x": {"a": [1, {"b": null}]}, "version": 1, "y": [], "articles": [], "z": "w"}`},
	{"bad syntax in an unknown key", `{"format": "gloss", "version": 1, "x": {"a": [1}]}`},
	{"wrong type", `{"format": "gloss", "version": 1, "annotations": [{"tags": "a"}]}`},
	{"wrong nested type", `{"format": "gloss", "version": 1, "annotations": [{"target": {"start": "0"}}]}`},
	{"a record not an object", `{"format": "gloss", "version": 1, "annotations": [1]}`},
	{"a null record", `{"format": "gloss", "version": 1, "articles": [null]}`},
	{"articles an object", `{"format": "gloss", "version": 1, "articles": {}}`},
	{"articles null", `{"format": "gloss", "version": 1, "articles": null, "annotations": null}`},
	{"articles a string", `{"format": "gloss", "version": 1, "articles": "none"}`},
	{"bad time", `{"format": "gloss", "version": 1, "articles": [{"added_at": "yesterday"}]}`},
	{"bad exported_at", `{"format": "gloss", "version": 1, "exported_at": "now"}`},
	{"bad id", `{"format": "gloss", "version": 1, "articles": [{"id": "x"}]}`},
	{"trailing comma in a list", `{"format": "gloss", "version": 1, "articles": [{},]}`},
	{"trailing comma in the object", `{"format": "gloss", "version": 1,}`},
	{"leading comma", `{, "format": "gloss"}`},
	{"missing comma in a list", `{"format": "gloss", "version": 1, "articles": [{} {}]}`},
	{"missing comma in the object", `{"format": "gloss" "version": 1}`},
	{"missing colon", `{"format" "gloss"}`},
	{"a key not a string", `{format: "gloss"}`},
	{"more after the end", `{"format": "gloss", "version": 1} x`},
	{"another value after the end", `{"format": "gloss", "version": 1} {}`},
	{"a literal cut by a space", `{"format": "gloss", "version": 1, "x": tr ue}`},
	{"a number cut by a comma", `{"format": "gloss", "version": 1., "x": 1}`},
	{"a quote after a number", `{"format": "gloss", "version": 1"x": 1}`},
	{"an escaped quote in a key", `{"form\"at": "gloss", "format": "gloss", "version": 1}`},
	{"a bad escape", `{"format": "glo\ss", "version": 1}`},
	{"a control character in a string", "{\"format\": \"glo\u0001ss\", \"version\": 1}"},
	{"an escaped backslash before a quote", `{"format": "gloss", "version": 1, "articles": [{"title": "a\\"}]}`},
	{"invalid UTF-8 in a key", "{\"form\xffat\": \"gloss\", \"format\": \"gloss\", \"version\": 1}"},
	{"invalid UTF-8 in a record", "{\"format\": \"gloss\", \"version\": 1, \"annotations\": [{\"id\": \"0193a000-0000-7000-8000-000000000002\", \"note\": \"caf\xe9\"}]}"},
	{"invalid UTF-8 in a string record", "{\"format\": \"gloss\", \"version\": 1, \"annotations\": [\"caf\xe9\"]}"},
	{"a lone surrogate on line 2", "{\"format\": \"gloss\", \"version\": 1,\n \"articles\": [{\"title\": \"\\ud800x\"}]}"},
	{"a mismatched bracket", `{"format": "gloss", "version": 1, "articles": [{"title": "T"]}`},
	{"a closing bracket first", `}`},
	{"multi-byte text before an error", "{\"format\": \"gloss\", \"version\": 1, \"articles\": [{\"title\": \"Café 👍\", \"text\": 1}]}"},
}

// nativeImproved are the cases of nativeCases where NativeReader says
// what is wrong better than the whole-file reader did, and what it says.
var nativeImproved = map[string]string{
	// encoding/json named a Go struct type.
	"top-level array":  "line 1, column 1: the top level must be an object (a Gloss export), not array",
	"top-level string": "line 1, column 1: the top level must be an object (a Gloss export), not string",
	"top-level number": "line 1, column 1: the top level must be an object (a Gloss export), not number",
}

// endQuirk reports whether the whole-file reader said that the file ends
// in the middle of a value where the last character of the file (but for
// white space) cannot be there, and NativeReader says so: the whole-file
// reader took any error at the last character for the end of the file
// ("{} x", "}", "{,}").
func endQuirk(data []byte, err, wantErr error) bool {
	trimmed := bytes.TrimRight(data, " \t\r\n")
	if len(trimmed) == 0 || !strings.Contains(wantErr.Error(), "the file ends in the middle of a value") {
		return false
	}
	_, size := utf8.DecodeLastRune(trimmed)
	line, col := lineColumn(data, int64(len(trimmed)-size))
	return strings.Contains(err.Error(), fmt.Sprintf("line %d, column %d: invalid character", line, col))
}

func TestNativeReader_ReadsAsTheWholeFileReader(t *testing.T) {
	var sample bytes.Buffer
	WriteNative(&sample, sampleBundle(), time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	cases := append([]struct{ name, in string }{{"an export", sample.String()}}, nativeCases...)
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			want, wantErr := readNativeWhole([]byte(tt.in))
			for _, rd := range []struct {
				name string
				r    io.Reader
			}{
				{"whole", strings.NewReader(tt.in)},
				{"byte by byte", iotest.OneByteReader(strings.NewReader(tt.in))},
			} {
				got, err := readNativeStream(rd.r)
				switch {
				case (err == nil) != (wantErr == nil):
					t.Fatalf("%s: error %v, the whole-file reader's %v", rd.name, err, wantErr)
				case err != nil && nativeImproved[tt.name] != "":
					if want := nativeImproved[tt.name]; !strings.HasSuffix(err.Error(), want) {
						t.Errorf("%s: error\n%q, want it to end\n%q", rd.name, err, want)
					}
				case err != nil && endQuirk([]byte(tt.in), err, wantErr):
				case err != nil && err.Error() != wantErr.Error():
					t.Errorf("%s: error\n%q, the whole-file reader's\n%q", rd.name, err, wantErr)
				case err == nil && !sameBundle(got, want):
					t.Errorf("%s: read\n%+v\nthe whole-file reader\n%+v", rd.name, got, want)
				}
			}
		})
	}
}

// TestNativeReader_Differences: where NativeReader does not read as the
// whole-file reader did, on purpose.
func TestNativeReader_Differences(t *testing.T) {
	tests := []struct{ name, in, want string }{
		// The first list has been handed out when the second comes.
		{"a list twice", `{"format": "gloss", "version": 1, "articles": [], "articles": []}`, "line 1, column 51: the file has a list of articles twice"},
		{"a list twice in other capitals", `{"format": "gloss", "version": 1, "annotations": [], "Annotations": []}`, "the file has a list of annotations twice"},
		// The marker is checked when it is read, before the rest.
		{"another format, then bad syntax", `{"format": "zotero", "version": 1,,}`, `its format is "zotero", not "gloss"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readNativeStream(strings.NewReader(tt.in))
			if !errors.Is(err, ErrJSON) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want one saying %q", err, tt.want)
			}
		})
	}
}

// TestNativeReader_HandsOutAsItReads: in a file in WriteNative's order,
// each record is handed out before the next is read, and an error from
// the caller stops the reading.
func TestNativeReader_HandsOutAsItReads(t *testing.T) {
	b := sampleBundle()
	var buf bytes.Buffer
	WriteNative(&buf, b, time.Now())
	data := buf.Bytes()
	r := &countingReader{r: iotest.OneByteReader(bytes.NewReader(data))}
	nr := NewNativeReader(r)
	stop := errors.New("stop")
	err := nr.Articles(func(a annotations.Article) error {
		if r.n >= int64(len(data)) {
			t.Errorf("the article was handed out after the whole file was read")
		}
		return stop
	})
	if err != stop {
		t.Fatalf("Articles returned %v, want the caller's error", err)
	}
	if err := nr.Annotations(func(annotations.Annotation) error { return nil }); err != stop {
		t.Errorf("Annotations after a failed Articles returned %v", err)
	}
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestNativeReader_ReadError: a failing read is returned as it is, not as
// a JSON error.
func TestNativeReader_ReadError(t *testing.T) {
	broken := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(`{"format": "gloss", "version": 1, "articles": [`), iotest.ErrReader(broken))
	if _, err := readNativeStream(r); !errors.Is(err, broken) || errors.Is(err, ErrJSON) {
		t.Errorf("error %v, want the read's", err)
	}
}

func FuzzNativeReader(f *testing.F) {
	var buf bytes.Buffer
	WriteNative(&buf, sampleBundle(), time.Now())
	f.Add(buf.Bytes(), uint8(0))
	for _, c := range nativeCases {
		f.Add([]byte(c.in), uint8(1))
	}
	f.Fuzz(func(t *testing.T, data []byte, how uint8) {
		var r io.Reader = bytes.NewReader(data)
		switch how % 3 {
		case 1:
			r = iotest.OneByteReader(r)
		case 2:
			r = iotest.HalfReader(r)
		}
		got, err := readNativeStream(r)
		want, wantErr := readNativeWhole(data)
		if err != nil {
			if !errors.Is(err, ErrJSON) {
				t.Fatalf("error %v is not ErrJSON", err)
			}
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			if wantErr == nil && !strings.Contains(err.Error(), "twice") {
				t.Fatalf("refused what the whole-file reader reads: %v", err)
			}
			return
		}
		if wantErr != nil {
			t.Fatalf("read what the whole-file reader refuses (%v)", wantErr)
		}
		if !sameBundle(got, want) {
			t.Fatalf("read\n%+v\nthe whole-file reader\n%+v", got, want)
		}
		// What was read writes back and reads back the same.
		var out bytes.Buffer
		if err := WriteNative(&out, got, time.Now()); err != nil {
			t.Fatal(err)
		}
		again, err := readNativeStream(&out)
		// No tags are written as [] and read as an empty list.
		for i := range got.Annotations {
			if got.Annotations[i].Tags == nil {
				got.Annotations[i].Tags = []string{}
			}
		}
		if err != nil || !sameBundle(again, got) {
			t.Fatalf("re-read: %v", err)
		}
	})
}

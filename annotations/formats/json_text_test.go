package formats

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestReadJSON_InvalidUTF8: a string in an import file that is not valid
// UTF-8 (or a \u escape of half a surrogate pair) is refused, naming the
// record and the place, instead of being read as U+FFFD without notice.
func TestReadJSON_InvalidUTF8(t *testing.T) {
	const native = `{"format": "gloss", "version": 1,
 "articles": [{"id": "0193a000-0000-7000-8000-000000000001", "title": "T", "text": "Talks %s", "added_at": "2026-01-01T00:00:00Z"}],
 "annotations": [{"id": "0193a000-0000-7000-8000-000000000002", "article_id": "0193a000-0000-7000-8000-000000000001",
  "note": "a note %s", "target": {"start": 0, "end": 5, "exact": "Talks %s"}, "created_at": "2026-01-01T00:00:00Z"}]}`
	const w3c = `{"@context": "http://www.w3.org/ns/anno.jsonld", "type": "AnnotationPage", "items": [
 {"id": "urn:uuid:0193a000-0000-7000-8000-000000000003", "type": "Annotation", "body": {"type": "TextualBody", "value": "ok"},
  "target": {"source": "urn:sha256:00", "selector": {"type": "TextQuoteSelector", "exact": "fine"}}},
 {"id": "https://example.org/anno/2", "type": "Annotation", "body": {"type": "TextualBody", "value": "a note %s"},
  "target": {"source": "urn:sha256:00", "selector": {"type": "TextQuoteSelector", "exact": "Talks %s"}}}]}`
	fill := func(format string, where int, bad string) string {
		args := make([]any, strings.Count(format, "%s"))
		for i := range args {
			args[i] = "fine"
		}
		args[where] = bad
		return fmt.Sprintf(format, args...)
	}
	tests := []struct {
		name, data, msg string
	}{
		{"native: Latin-1 byte in an article's text", fill(native, 0, "caf\xe9"), `article 1 (0193a000-0000-7000-8000-000000000001): line 2, column 94: `},
		{"native: Latin-1 byte in a note", fill(native, 1, "caf\xe9"), `annotation 1 (0193a000-0000-7000-8000-000000000002): line 4, column 22: `},
		{"native: lone surrogate escape in a quote", fill(native, 2, `\ud800x`), `annotation 1 (0193a000-0000-7000-8000-000000000002): line 4, column 75: `},
		{"native: low surrogate first", fill(native, 2, `\udc00\ud800`), `annotation 1 (0193a000-0000-7000-8000-000000000002): line 4, column 75: `},
		{"W3C: Latin-1 byte in a body", fill(w3c, 0, "caf\xe9"), `the annotation "https://example.org/anno/2": line 4, column 113: `},
		{"W3C: truncated UTF-8 in a quote", fill(w3c, 1, "\xe2\x82"), `the annotation "https://example.org/anno/2": line 5, column 99: `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			if strings.HasPrefix(tt.name, "W3C") {
				_, err = ReadW3C([]byte(tt.data))
			} else {
				_, err = ReadNative([]byte(tt.data))
			}
			if !errors.Is(err, ErrJSON) {
				t.Fatalf("err = %v, want ErrJSON", err)
			}
			want := tt.msg + "a string is not valid UTF-8"
			if msg := err.Error(); !strings.Contains(msg, want) || strings.ContainsAny(msg, "\n\r") {
				t.Errorf("message %q, want it to say %q", msg, want)
			}
		})
	}

	t.Run("valid escapes and a real U+FFFD are read", func(t *testing.T) {
		b, err := ReadNative([]byte(fill(native, 1, `\ud83d\ude00 \ufffd �`)))
		if err != nil {
			t.Fatal(err)
		}
		if got := b.Annotations[0].Note; got != "a note 😀 \ufffd \ufffd" {
			t.Errorf("note = %q", got)
		}
	})
}

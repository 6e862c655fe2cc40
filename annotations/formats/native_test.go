package formats

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

var update = flag.Bool("update", false, "rewrite golden files")

func sampleBundle() annotations.Bundle {
	at := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	deleted := at.Add(time.Hour)
	art := annotations.Article{
		ID: uuid.MustParse("0193a000-0000-7000-8000-000000000001"), Title: "Café talks", Source: "/home/r/talks.txt",
		Format: annotations.FormatText, AddedAt: at, UpdatedAt: at, Text: "Talks at the café 👍 resumed.\nNew line.",
	}
	art.Hash = annotations.HashText(art.Text)
	return annotations.Bundle{
		Articles: []annotations.Article{art},
		Annotations: []annotations.Annotation{
			{
				ID: uuid.MustParse("0193a000-0000-7000-8000-000000000002"), ArticleID: art.ID, Color: annotations.Green,
				Note: "A *note* with <html> & \"quotes\"", Tags: []string{"place", "Café"}, Author: "Zoë Brandt", Status: annotations.StatusAnchored,
				Target:    annotations.Target{Start: 13, End: 17, Exact: "café", Prefix: "Talks at the ", Suffix: " 👍 resumed.\nNew line."},
				CreatedAt: at, UpdatedAt: at.Add(time.Minute),
			},
			{
				ID: uuid.MustParse("0193a000-0000-7000-8000-000000000003"), ArticleID: art.ID, Color: annotations.Gray,
				Tags: []string{}, Status: annotations.StatusOrphaned,
				Target:    annotations.Target{Start: 0, End: 5, Exact: "Gone", Prefix: "", Suffix: ""},
				CreatedAt: at, UpdatedAt: deleted, DeletedAt: &deleted,
			},
		},
	}
}

func TestWriteNative_Golden(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteNative(&buf, sampleBundle(), time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "native.golden.json")
	if *update {
		os.WriteFile(golden, buf.Bytes(), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("output differs from %s (run with -update to accept):\n%s", golden, buf.String())
	}
}

func TestNative_RoundTrip(t *testing.T) {
	want := sampleBundle()
	var buf bytes.Buffer
	if err := WriteNative(&buf, want, time.Now()); err != nil {
		t.Fatal(err)
	}
	got, err := ReadNative(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("round trip:\ngot  %+v\nwant %+v", got, want)
	}
}

func TestWriteNative_EmptyLists(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteNative(&buf, annotations.Bundle{}, time.Now()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"articles": []`) || !strings.Contains(buf.String(), `"annotations": []`) {
		t.Errorf("empty lists are not []: %s", buf.String())
	}
}

func TestReadNative_Errors(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"not JSON", "hello", "line 1, column 1"},
		{"syntax error on line 3", "{\n  \"format\": \"gloss\",\n  \"version\": 1,,\n}", "line 3, column 16"},
		{"cut short", "{\"format\": \"gloss\", \"version\": 1, \"articles\": [", "ends in the middle"},
		{"no format", `{"version": 1}`, `no "format" field`},
		{"another format", `{"format": "zotero", "version": 1}`, `"zotero", not "gloss"`},
		{"no version", `{"format": "gloss"}`, `no "version"`},
		{"newer", `{"format": "gloss", "version": 2}`, "newer Gloss"},
		{"zero version", `{"format": "gloss", "version": 0}`, "unknown version"},
		{"wrong type", `{"format": "gloss", "version": 1, "annotations": [{"tags": "a"}]}`, "annotations.tags must be []string"},
		{"bad time", `{"format": "gloss", "version": 1, "articles": [{"added_at": "yesterday"}]}`, "RFC 3339"},
		{"bad id", `{"format": "gloss", "version": 1, "articles": [{"id": "x"}]}`, "UUID"},
		{"top-level array", `[1, 2]`, "must be"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadNative([]byte(tt.in))
			if !errors.Is(err, ErrJSON) {
				t.Fatalf("error = %v, want ErrJSON", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not say %q", err, tt.want)
			}
		})
	}
}

func FuzzReadNative(f *testing.F) {
	var buf bytes.Buffer
	WriteNative(&buf, sampleBundle(), time.Now())
	f.Add(buf.Bytes())
	f.Add([]byte(`{"format": "gloss", "version": 1}`))
	f.Add([]byte(`{"format": "gloss", "version": 1, "articles": [{"id": "0193a000-0000-7000-8000-000000000001"}]}`))
	f.Add([]byte("{\n\"format\": 1}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadNative(data)
		if err != nil {
			if !errors.Is(err, ErrJSON) {
				t.Fatalf("error %v is not ErrJSON", err)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		// Whatever was read writes back and reads back the same.
		var out bytes.Buffer
		if err := WriteNative(&out, b, time.Now()); err != nil {
			t.Fatal(err)
		}
		again, err := ReadNative(out.Bytes())
		if err != nil {
			t.Fatalf("re-read: %v", err)
		}
		if len(again.Articles) != len(b.Articles) || len(again.Annotations) != len(b.Annotations) {
			t.Fatalf("re-read lost records")
		}
	})
}

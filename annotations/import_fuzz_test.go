package annotations_test

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/storage"
)

// FuzzImport feeds arbitrary files through the JSON reader and the merge.
// Whatever the input: no panic; a refused import leaves the library exactly
// as it was; an accepted one leaves a library that passes the consistency
// check, and importing the same file again changes nothing.
func FuzzImport(f *testing.F) {
	seed := newServiceF(f)
	art, _, _ := seed.AddArticle(annotations.NewArticle{Title: "Talks", Format: annotations.FormatText, Text: sample})
	_, _ = seed.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "café", Note: "n", Tags: []string{"t"}})
	b, _ := seed.Export(annotations.ExportFilter{})
	var buf bytes.Buffer
	_ = formats.WriteNative(&buf, b, time.Now())
	f.Add(buf.Bytes())
	f.Add([]byte(`{"format":"gloss","version":1,"articles":[{"id":"0193a000-0000-7000-8000-000000000001","text":"abc","added_at":"2026-01-01T00:00:00Z"}],"annotations":[{"id":"0193a000-0000-7000-8000-000000000002","article_id":"0193a000-0000-7000-8000-000000000001","target":{"start":1,"end":9,"exact":"bc"},"created_at":"2026-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"format":"gloss","version":1,"annotations":[{"id":"0193a000-0000-7000-8000-000000000002"}]}`))

	path := filepath.Join(f.TempDir(), "library.db")
	db, err := storage.Open(path, storage.Options{NoAutoBackup: true, NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	svc := annotations.NewService(db)

	f.Fuzz(func(t *testing.T, data []byte) {
		bundle, err := formats.ReadNative(data)
		if err != nil {
			return
		}
		before, err := svc.Export(annotations.ExportFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Import(bundle); err != nil {
			if !errors.Is(err, annotations.ErrInvalidImport) {
				t.Fatalf("error %v is not ErrInvalidImport", err)
			}
			after, _ := svc.Export(annotations.ExportFilter{})
			if !reflect.DeepEqual(before, after) {
				t.Fatalf("a refused import changed the library: %v", err)
			}
			return
		}
		if p := db.Check(); len(p) > 0 {
			t.Fatalf("library check after import: %v", p)
		}
		mid, _ := svc.Export(annotations.ExportFilter{})
		if _, err := svc.Import(bundle); err != nil {
			t.Fatalf("importing the same file twice: %v", err)
		}
		after, _ := svc.Export(annotations.ExportFilter{})
		if !reflect.DeepEqual(mid, after) {
			t.Fatalf("importing the same file twice changed the library")
		}
	})
}

func newServiceF(f *testing.F) *annotations.Service {
	db, err := storage.Open(filepath.Join(f.TempDir(), "seed.db"), storage.Options{NoAutoBackup: true, NoSync: true})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	return annotations.NewService(db)
}

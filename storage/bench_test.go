package storage_test

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
)

// words is a small vocabulary for generated notes and articles.
var words = strings.Fields(`the talks negotiators peace deal territory security guarantees envoy
ceasefire sanctions sovereignty draft proposal agreement ministers border summit treaty
economy energy grain corridor prisoners exchange observers mission reconstruction aid`)

func sentence(r *rand.Rand, n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = words[r.IntN(len(words))]
	}
	return strings.Join(w, " ")
}

// bundle generates articles annotations on a few articles, with notes
// and tags of realistic size.
func bundle(n, articles int) annotations.Bundle {
	r := rand.New(rand.NewPCG(1, 2))
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var b annotations.Bundle
	runes := make([][]rune, articles)
	for i := range articles {
		text := sentence(r, 3000) + fmt.Sprintf(" article %d.", i)
		b.Articles = append(b.Articles, annotations.Article{
			ID: uuid.Must(uuid.NewV7()), Title: sentence(r, 5), Format: annotations.FormatText,
			AddedAt: at, UpdatedAt: at, Text: text,
		})
		runes[i] = []rune(text)
	}
	for i := range n {
		art, rs := b.Articles[i%articles], runes[i%articles]
		start := r.IntN(len(rs) - 300)
		end := start + 20 + r.IntN(250)
		target, _ := captureFor(rs, start, end)
		b.Annotations = append(b.Annotations, annotations.Annotation{
			ID: uuid.Must(uuid.NewV7()), ArticleID: art.ID, Color: annotations.Colors[r.IntN(8)],
			Note: sentence(r, r.IntN(40)), Tags: []string{words[r.IntN(len(words))], words[r.IntN(len(words))] + " x"},
			Status: annotations.StatusAnchored, Target: target, CreatedAt: at, UpdatedAt: at,
		})
	}
	return b
}

func captureFor(rs []rune, start, end int) (annotations.Target, error) {
	pre := max(0, start-32)
	suf := min(len(rs), end+32)
	return annotations.Target{Start: start, End: end, Exact: string(rs[start:end]),
		Prefix: string(rs[pre:start]), Suffix: string(rs[end:suf])}, nil
}

func openBench(b *testing.B, opts storage.Options) *storage.DB {
	b.Helper()
	opts.NoAutoBackup = true
	db, err := storage.Open(filepath.Join(b.TempDir(), "library.db"), opts)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkHighlight creates one highlight per op, each its own durable
// (fsynced) transaction, as a click in the window does.
func BenchmarkHighlight(b *testing.B) {
	db := openBench(b, storage.Options{})
	svc := annotations.NewService(db)
	art, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatText, Text: sentence(rand.New(rand.NewPCG(3, 4)), 5000)})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := (i * 7) % 20000
		if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: start, End: start + 40, Note: "a note", Tags: []string{"tag"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImport10k imports 10,000 annotations on 100 articles into an
// empty library, in one durable transaction per op.
func BenchmarkImport10k(b *testing.B) {
	data := bundle(10_000, 100)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		db := openBench(b, storage.Options{})
		svc := annotations.NewService(db)
		b.StartTimer()
		rep, err := svc.Import(data)
		if err != nil || rep.AnnotationsAdded != 10_000 {
			b.Fatalf("%+v %v", rep, err)
		}
	}
}

// BenchmarkLoad100k opens a library of 100,000 annotations and reads every
// annotation into memory, as the window does at start to build its index.
func BenchmarkLoad100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "library.db")
	db, err := storage.Open(path, storage.Options{NoAutoBackup: true, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := annotations.NewService(db).Import(bundle(100_000, 300)); err != nil {
		b.Fatal(err)
	}
	db.Close()
	b.ReportAllocs()
	for b.Loop() {
		db, err := storage.Open(path, storage.Options{NoAutoBackup: true})
		if err != nil {
			b.Fatal(err)
		}
		notes, err := annotations.NewService(db).Notes(annotations.NotesQuery{})
		if err != nil || len(notes) != 100_000 {
			b.Fatalf("%d %v", len(notes), err)
		}
		db.Close()
	}
}

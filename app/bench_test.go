package app

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

// The window's costs on a heavy article: 2,000 highlights on one article
// of a library of 20,000, in the real window code on a real (fsynced)
// library, with Fyne's test driver. The times run from the reader's action
// to the window's objects updated (the test driver paints only when asked;
// BenchmarkUI_OpenArticle paints the first frame with the software
// painter, which is slower than the real window's OpenGL).

const (
	benchHighlights = 2000
	benchLibrary    = 20000
)

// benchWords is a small vocabulary for generated text.
var benchWords = strings.Fields(`the of and to in a is that for it as was with be by on not he this are or his
from at which but have an they you were her she there been one all we their has would when if so no will
more can out up about who what some time them other into only could then these two may first any like now
evidence claim method study data result effect analysis model measure sample theory control group change
negotiators talks agreement ceasefire territory guarantees deadline sanctions envoy summit proposal`)

// benchText returns an article of about n bytes: paragraphs of sentences.
func benchText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for b.Len() < n {
		for s := range 3 + rng.IntN(5) {
			if s > 0 {
				b.WriteByte(' ')
			}
			words := 6 + rng.IntN(18)
			for w := range words {
				word := benchWords[rng.IntN(len(benchWords))]
				if w == 0 {
					word = strings.ToUpper(word[:1]) + word[1:]
				} else {
					b.WriteByte(' ')
				}
				b.WriteString(word)
			}
			b.WriteByte('.')
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// benchBundle makes the library: the heavy article first, then others
// sharing the rest of the highlights.
func benchBundle(rng *rand.Rand) (annotations.Bundle, uuid.UUID) {
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	var b annotations.Bundle
	addArticle := func(title string, size, highlights int) uuid.UUID {
		text := annotations.NormalizeText(benchText(rng, size))
		id := uuid.Must(uuid.NewV7())
		b.Articles = append(b.Articles, annotations.Article{ID: id, Title: title, Format: annotations.FormatText, Text: text, AddedAt: now, UpdatedAt: now})
		runes := []rune(text)
		// Highlights of 20–200 runes at distinct starts, in text order.
		starts := rng.Perm(len(runes) - 400)[:highlights]
		sort.Ints(starts)
		for i, s := range starts {
			end := s + 20 + rng.IntN(180)
			t, err := anchor.Capture(text, s, end)
			if err != nil {
				panic(err)
			}
			a := annotations.Annotation{
				ID: uuid.Must(uuid.NewV7()), ArticleID: id, Color: annotations.Colors[i%8], Target: t,
				Status: annotations.StatusAnchored, CreatedAt: now, UpdatedAt: now, Tags: []string{},
			}
			if i%3 == 0 {
				a.Note = "A note on this passage: " + benchWords[i%len(benchWords)] + " matters here."
				a.Tags = []string{benchWords[len(benchWords)-1-i%7]}
			}
			b.Annotations = append(b.Annotations, a)
		}
		return id
	}
	heavy := addArticle("A heavily annotated article", 600_000, benchHighlights)
	for i := range 36 {
		addArticle(fmt.Sprintf("Article %d", i+1), 60_000, (benchLibrary-benchHighlights)/36)
	}
	return b, heavy
}

// benchUI opens the window code on a generated library, at the heavy
// article.
func benchUI(b *testing.B) (*ui, uuid.UUID) {
	b.Helper()
	a := test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1280, 800))
	db, err := storage.Open(filepath.Join(b.TempDir(), "library.db"), storage.Options{NoAutoBackup: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := annotations.NewService(db)
	bundle, heavy := benchBundle(rand.New(rand.NewPCG(7, 11)))
	if _, err := svc.Import(bundle); err != nil {
		b.Fatal(err)
	}
	u := newUI(a, w, svc, db)
	u.background = func(fn func()) { fn() }
	u.schedule = func(time.Duration, func()) func() { return func() {} }
	b.Cleanup(u.close)
	u.start(heavy.String())
	w.Canvas().Capture()
	return u, heavy
}

// BenchmarkUI_OpenArticle: from choosing the article to its first frame
// painted (text, 2,000 highlights, the cards in sight).
func BenchmarkUI_OpenArticle(b *testing.B) {
	u, heavy := benchUI(b)
	other := u.library.all[len(u.library.all)-1].ID
	b.ResetTimer()
	for range b.N {
		b.StopTimer()
		u.openArticle(other)
		b.StartTimer()
		u.openArticle(heavy)
		u.win.Canvas().Capture()
	}
}

// visibleRange returns a range of n runes near the top of the article
// view's visible part, moved along by i so that iterations differ.
func visibleRange(u *ui, i, n int) (int, int) {
	start := 3 + (i*97)%5000
	return start, start + n
}

// BenchmarkUI_Highlight: select a passage, press 3: stored (fsynced), the
// highlight painted, its card in the list, the editor on it.
func BenchmarkUI_Highlight(b *testing.B) {
	u, _ := benchUI(b)
	before := len(u.notes.list)
	b.ResetTimer()
	for i := range b.N {
		s, e := visibleRange(u, i, 7+i%5)
		u.reader.view.SetSelection(s, e)
		u.reader.view.TypedRune('3')
	}
	b.StopTimer()
	if len(u.notes.list) <= before {
		b.Fatal("no highlight was made")
	}
}

// BenchmarkUI_Recolour: a selected highlight, a colour key.
func BenchmarkUI_Recolour(b *testing.B) {
	u, _ := benchUI(b)
	id := u.notes.list[3].ID
	u.selectNote(id, true)
	b.ResetTimer()
	for i := range b.N {
		u.reader.view.TypedRune(rune('2' + i%2))
	}
	b.StopTimer()
	if n := u.note(id); n == nil || n.Color != annotations.Colors[1+(b.N-1)%2] {
		b.Fatalf("not recoloured: %+v", n)
	}
}

// BenchmarkUI_DeleteUndo: Delete on the selected highlight, then Ctrl+Z;
// each is timed on its own (ns/op is the mean of the two).
func BenchmarkUI_DeleteUndo(b *testing.B) {
	u, _ := benchUI(b)
	id := u.notes.list[5].ID
	var del, undo time.Duration
	b.ResetTimer()
	for range b.N {
		u.selectNote(id, true)
		t0 := time.Now()
		u.onDelete()
		t1 := time.Now()
		u.onUndo()
		undo += time.Since(t1)
		del += t1.Sub(t0)
	}
	b.StopTimer()
	if u.note(id) == nil {
		b.Fatal("the undo did not bring the highlight back")
	}
	b.ReportMetric(float64(del.Microseconds())/float64(b.N)/1000, "ms-delete")
	b.ReportMetric(float64(undo.Microseconds())/float64(b.N)/1000, "ms-undo")
}

// BenchmarkUI_HighlightWhole10MB: Ctrl+A on a 10 MB article, then a colour
// key; then Ctrl+Z and Ctrl+Shift+Z. Each timed on its own (ms-…).
func BenchmarkUI_HighlightWhole10MB(b *testing.B) {
	a := test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1280, 800))
	db, err := storage.Open(filepath.Join(b.TempDir(), "library.db"), storage.Options{NoAutoBackup: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := annotations.NewService(db)
	text := benchText(rand.New(rand.NewPCG(3, 4)), 10<<20)
	art, _, err := svc.AddArticle(annotations.NewArticle{Title: "Long", Format: annotations.FormatText, Text: text})
	if err != nil {
		b.Fatal(err)
	}
	u := newUI(a, w, svc, db)
	u.background = func(fn func()) { fn() }
	u.schedule = func(time.Duration, func()) func() { return func() {} }
	b.Cleanup(u.close)
	u.start(art.ID.String())
	w.Canvas().Capture()
	var hl, undo, redo time.Duration
	b.ResetTimer()
	for i := range b.N {
		t0 := time.Now()
		u.reader.view.TypedShortcut(&fyne.ShortcutSelectAll{})
		u.reader.view.TypedRune(rune('1' + i%2))
		t1 := time.Now()
		u.onUndo()
		t2 := time.Now()
		u.onRedo()
		t3 := time.Now()
		hl, undo, redo = hl+t1.Sub(t0), undo+t2.Sub(t1), redo+t3.Sub(t2)
		b.StopTimer()
		u.onUndo()
		b.StartTimer()
	}
	n := float64(b.N)
	b.ReportMetric(float64(hl.Milliseconds())/n, "ms-highlight")
	b.ReportMetric(float64(undo.Milliseconds())/n, "ms-undo")
	b.ReportMetric(float64(redo.Milliseconds())/n, "ms-redo")
}

// BenchmarkUI_SearchAsYouType: in the window on a library of 100,000
// annotations (storagetest.CachedLibrary), from a key typed in the search
// box to the results in the list: the query on the library's index, the
// hits' records read, the list filled (the test driver paints nothing; the
// real window paints the list in its next frame). Each iteration types the
// next query of the benchmark mix, one key at a time, and reports the
// median and p95 per key.
func BenchmarkUI_SearchAsYouType(b *testing.B) {
	src := storagetest.CachedLibrary(b, 100_000)
	// A copy, so that the cached library stays as it is.
	path := filepath.Join(b.TempDir(), "library.db")
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		b.Fatal(err)
	}
	a := test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1280, 800))
	db, err := storage.Open(path, storage.Options{NoAutoBackup: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := annotations.NewService(db)
	u := newUI(a, w, svc, db)
	u.background = func(fn func()) { fn() }
	u.schedule = func(time.Duration, func()) func() { return func() {} }
	b.Cleanup(u.close)
	u.start("")
	test.Type(u.search.entry, "x") // the first search loads the index's cache
	var keys []time.Duration
	b.ResetTimer()
	for i := range b.N {
		q := annotationstest.Queries[i%len(annotationstest.Queries)]
		u.search.entry.SetText("")
		for _, r := range q {
			t0 := time.Now()
			u.search.entry.TypedRune(r)
			keys = append(keys, time.Since(t0))
		}
	}
	b.StopTimer()
	slices.Sort(keys)
	b.ReportMetric(float64(keys[len(keys)/2].Microseconds())/1000, "ms-p50/key")
	b.ReportMetric(float64(keys[len(keys)*95/100].Microseconds())/1000, "ms-p95/key")
}

package annotations_test

import (
	"errors"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

// TestLimits_EveryWayIn: adding an article, replacing its text, importing
// (Gloss JSON or W3C), highlighting and editing hold to the same limits.
// Whatever comes in over them is refused with a short one-line message
// (naming the record, for an import), and the library stays as it was.
func TestLimits_EveryWayIn(t *testing.T) {
	const text = "The talks stalled on Tuesday. Negotiators met in Geneva."
	var (
		huge      = strings.Repeat("a", annotations.MaxTextSize+1)
		longTitle = strings.Repeat("Ω", 5000)
		manyTags  = make([]string, 10_000)
		longSrc   = "/" + strings.Repeat("d", annotations.MaxSourceLength)
	)
	for i := range manyTags {
		manyTags[i] = "tag" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676%26))
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	artID := uuid.MustParse("0193a000-0000-7000-8000-0000000000a1")
	annID := uuid.MustParse("0193a000-0000-7000-8000-0000000000b1")

	type setup struct {
		svc *annotations.Service
		art annotations.Article
		ann annotations.Annotation
	}
	importArticle := func(s setup, change func(*annotations.Article)) error {
		a := annotations.Article{ID: artID, Title: "T", Format: annotations.FormatText, Text: text, AddedAt: when}
		change(&a)
		_, err := s.svc.Import(annotations.Bundle{Articles: []annotations.Article{a}})
		return err
	}
	importNote := func(s setup, change func(*annotations.Annotation)) error {
		a := annotations.Annotation{ID: annID, ArticleID: s.art.ID, Color: annotations.Red, Tags: []string{},
			Target: annotations.Target{Start: 4, End: 9, Exact: "talks"}, CreatedAt: when}
		change(&a)
		_, err := s.svc.Import(annotations.Bundle{Annotations: []annotations.Annotation{a}})
		return err
	}
	importW3C := func(s setup, change func(*annotations.Annotation)) error {
		a := annotations.Annotation{ID: annID, Color: annotations.Red, Target: annotations.Target{Exact: "talks"}, CreatedAt: when}
		change(&a)
		_, err := s.svc.ImportExternal([]annotations.ExternalAnnotation{{Annotation: a, Source: "urn:sha256:" + strings.TrimPrefix(s.art.Hash, "sha256:")}})
		return err
	}
	add := func(s setup, in annotations.NewArticle) error {
		if in.Format == "" {
			in.Format = annotations.FormatText
		}
		_, err := s.svc.AddArticles([]annotations.NewArticle{{Title: "Fine", Format: annotations.FormatText, Text: "Another text."}, in})
		return err
	}
	update := func(s setup, in annotations.NewArticle) error {
		_, err := s.svc.UpdateArticle(s.art.ID, in)
		return err
	}
	highlight := func(s setup, req annotations.HighlightRequest) error {
		req.ArticleID = s.art.ID
		if req.Quote == "" {
			req.Quote = "Geneva"
		}
		_, err := s.svc.Highlight(req)
		return err
	}
	edit := func(s setup, c annotations.Change) error {
		_, err := s.svc.Edit(s.ann.ID, c)
		return err
	}
	ptr := func(s string) *string { return &s }

	tests := []struct {
		name   string
		do     func(setup) error
		want   error  // the sentinel
		record string // the record an import error names
	}{
		{"add: text over 50 MB", func(s setup) error { return add(s, annotations.NewArticle{Text: huge}) }, annotations.ErrLimit, ""},
		{"add: a 5,000-character title", func(s setup) error { return add(s, annotations.NewArticle{Title: longTitle, Text: "x"}) }, annotations.ErrLimit, ""},
		{"add: NUL in the text", func(s setup) error { return add(s, annotations.NewArticle{Text: "a\x00b"}) }, annotations.ErrInvalidText, ""},
		{"add: invalid UTF-8 in the text", func(s setup) error { return add(s, annotations.NewArticle{Text: "caf\xe9"}) }, annotations.ErrInvalidText, ""},
		{"add: invalid UTF-8 in the title", func(s setup) error { return add(s, annotations.NewArticle{Title: "caf\xe9", Text: "x"}) }, annotations.ErrInvalidText, ""},
		{"add: a source of 8 KB", func(s setup) error { return add(s, annotations.NewArticle{Source: longSrc, Text: "x"}) }, annotations.ErrLimit, ""},
		{"update: text over 50 MB", func(s setup) error { return update(s, annotations.NewArticle{Text: huge}) }, annotations.ErrLimit, ""},
		{"update: invalid UTF-8", func(s setup) error { return update(s, annotations.NewArticle{Text: text + "\xff"}) }, annotations.ErrInvalidText, ""},
		{"update: NUL", func(s setup) error { return update(s, annotations.NewArticle{Text: text + "\x00"}) }, annotations.ErrInvalidText, ""},
		{"import: text over 50 MB", func(s setup) error { return importArticle(s, func(a *annotations.Article) { a.Text = huge }) }, annotations.ErrLimit, "article 1"},
		{"import: a 5,000-character title", func(s setup) error { return importArticle(s, func(a *annotations.Article) { a.Title = longTitle }) }, annotations.ErrLimit, "article 1"},
		{"import: NUL in the text", func(s setup) error { return importArticle(s, func(a *annotations.Article) { a.Text = "a\x00b" }) }, annotations.ErrInvalidText, "article 1"},
		{"import: invalid UTF-8 in the text", func(s setup) error { return importArticle(s, func(a *annotations.Article) { a.Text = "caf\xe9" }) }, annotations.ErrInvalidText, "article 1"},
		{"import: invalid UTF-8 in the title", func(s setup) error { return importArticle(s, func(a *annotations.Article) { a.Title = "caf\xe9" }) }, annotations.ErrInvalidText, "article 1"},
		{"import: a source of 8 KB", func(s setup) error { return importArticle(s, func(a *annotations.Article) { a.Source = longSrc }) }, annotations.ErrLimit, "article 1"},
		{"import: 10,000 tags", func(s setup) error { return importNote(s, func(a *annotations.Annotation) { a.Tags = manyTags }) }, annotations.ErrLimit, "annotation 1"},
		{"import: invalid UTF-8 in a tag", func(s setup) error {
			return importNote(s, func(a *annotations.Annotation) { a.Tags = []string{"caf\xe9"} })
		}, annotations.ErrInvalidText, "annotation 1"},
		{"import: invalid UTF-8 in the note", func(s setup) error { return importNote(s, func(a *annotations.Annotation) { a.Note = "caf\xe9" }) }, annotations.ErrInvalidText, "annotation 1"},
		{"import: NUL in the note", func(s setup) error { return importNote(s, func(a *annotations.Annotation) { a.Note = "a\x00" }) }, annotations.ErrInvalidText, "annotation 1"},
		{"import: invalid UTF-8 in the quote", func(s setup) error {
			return importNote(s, func(a *annotations.Annotation) { a.Target.Exact = "talks\xff" })
		}, annotations.ErrInvalidText, "annotation 1"},
		{"import: a quote over 50 MB", func(s setup) error { return importNote(s, func(a *annotations.Annotation) { a.Target.Exact = huge }) }, annotations.ErrLimit, "annotation 1"},
		{"W3C import: 10,000 tags", func(s setup) error { return importW3C(s, func(a *annotations.Annotation) { a.Tags = manyTags }) }, annotations.ErrLimit, "annotation 1"},
		{"W3C import: invalid UTF-8 in the note", func(s setup) error { return importW3C(s, func(a *annotations.Annotation) { a.Note = "caf\xe9" }) }, annotations.ErrInvalidText, "annotation 1"},
		{"highlight: 10,000 tags", func(s setup) error { return highlight(s, annotations.HighlightRequest{Tags: manyTags}) }, annotations.ErrLimit, ""},
		{"highlight: invalid UTF-8 in a tag", func(s setup) error { return highlight(s, annotations.HighlightRequest{Tags: []string{"caf\xe9"}}) }, annotations.ErrInvalidText, ""},
		{"highlight: invalid UTF-8 in the note", func(s setup) error { return highlight(s, annotations.HighlightRequest{Note: "caf\xe9"}) }, annotations.ErrInvalidText, ""},
		{"highlight: invalid UTF-8 in the quote", func(s setup) error { return highlight(s, annotations.HighlightRequest{Quote: "Gen\xffeva"}) }, annotations.ErrInvalidText, ""},
		{"edit: 10,000 tags", func(s setup) error { return edit(s, annotations.Change{AddTags: manyTags}) }, annotations.ErrLimit, ""},
		{"edit: invalid UTF-8 in the note", func(s setup) error { return edit(s, annotations.Change{Note: ptr("caf\xe9")}) }, annotations.ErrInvalidText, ""},
		{"edit: NUL in the note", func(s setup) error { return edit(s, annotations.Change{Note: ptr("a\x00b")}) }, annotations.ErrInvalidText, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := newService(t)
			art, _, err := svc.AddArticle(annotations.NewArticle{Title: "Talks", Format: annotations.FormatText, Text: text})
			if err != nil {
				t.Fatal(err)
			}
			ann, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Negotiators", Tags: []string{"people"}})
			if err != nil {
				t.Fatal(err)
			}
			before, _ := svc.Export(annotations.ExportFilter{})
			err = tt.do(setup{svc, art, ann})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %.300v, want %v", err, tt.want)
			}
			msg := err.Error()
			if n := utf8.RuneCountInString(msg); n > 300 || strings.ContainsAny(msg, "\n\r") {
				t.Errorf("message of %d characters: %.300q", n, msg)
			}
			if !strings.Contains(msg, tt.record) {
				t.Errorf("message %q does not name %q", msg, tt.record)
			}
			if after, _ := svc.Export(annotations.ExportFilter{}); !reflect.DeepEqual(before, after) {
				t.Errorf("the library changed")
			}
		})
	}
}

// TestLimits_AtTheLimits: what is just within the limits comes in.
func TestLimits_AtTheLimits(t *testing.T) {
	svc := newService(t)
	tags := make([]string, annotations.MaxTags)
	for i := range tags {
		tags[i] = "t" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	art, _, err := svc.AddArticle(annotations.NewArticle{
		Title: strings.Repeat("Ω", annotations.MaxTitleLength), Source: "/" + strings.Repeat("d", annotations.MaxSourceLength-1),
		Format: annotations.FormatText, Text: strings.Repeat("a", annotations.MaxTextSize-6) + " talks",
	})
	if err != nil {
		t.Fatalf("AddArticle: %.200v", err)
	}
	if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "talks", Tags: tags, Note: strings.Repeat("n", annotations.MaxNoteLength)}); err != nil {
		t.Fatalf("Highlight: %.200v", err)
	}
}

// TestLimits_EditOverTheLimitAlready: an annotation that an earlier
// version stored with more than MaxTags tags can still have its note
// edited and tags removed, but gets no more tags.
func TestLimits_EditOverTheLimitAlready(t *testing.T) {
	store := storagetest.Open(t)
	svc := annotations.NewService(store)
	art, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatText, Text: "The talks resumed."})
	if err != nil {
		t.Fatal(err)
	}
	ann, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "talks"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range annotations.MaxTags + 50 {
		ann.Tags = append(ann.Tags, "old"+strconv.Itoa(i))
	}
	if err := store.Update(func(w annotations.Writer) error { return w.PutAnnotation(ann) }); err != nil {
		t.Fatal(err)
	}
	note := "edited"
	got, err := svc.Edit(ann.ID, annotations.Change{Note: &note})
	if err != nil || got.Note != note || len(got.Tags) != annotations.MaxTags+50 {
		t.Fatalf("editing the note: %d tags, %v", len(got.Tags), err)
	}
	if got, err = svc.Edit(ann.ID, annotations.Change{RemoveTags: []string{"old0", "old1"}}); err != nil || len(got.Tags) != annotations.MaxTags+48 {
		t.Fatalf("removing tags: %d tags, %v", len(got.Tags), err)
	}
	if _, err := svc.Edit(ann.ID, annotations.Change{AddTags: []string{"new"}}); !errors.Is(err, annotations.ErrLimit) {
		t.Errorf("adding a tag: %v, want ErrLimit", err)
	}
}

package annotations_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

const sample = `The talks stalled on Tuesday. Negotiators met in Geneva.
The talks resumed on Friday, and the café near the lake was full.`

// clock is a fake time source that moves one second per call.
type clock struct{ t time.Time }

func (c *clock) now() time.Time {
	c.t = c.t.Add(time.Second)
	return c.t
}

func newService(t *testing.T) *annotations.Service {
	t.Helper()
	svc := annotations.NewService(storagetest.Open(t))
	c := &clock{t: time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)}
	svc.Now = c.now
	return svc
}

func addSample(t *testing.T, svc *annotations.Service) annotations.Article {
	t.Helper()
	a, created, err := svc.AddArticle(annotations.NewArticle{Title: "Talks", Source: "/tmp/talks.txt", Format: annotations.FormatText, Text: sample})
	if err != nil || !created {
		t.Fatalf("AddArticle: %v, created %v", err, created)
	}
	return a
}

func TestService_AddArticle_SameTextTwice(t *testing.T) {
	svc := newService(t)
	first := addSample(t, svc)
	// The same text with CRLF line endings and a BOM is the same article.
	again, created, err := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "\uFEFF" + sample})
	if err != nil || created || again.ID != first.ID {
		t.Fatalf("second add: id %s created %v err %v; want %s, false", again.ID, created, err, first.ID)
	}
	if first.Hash != annotations.HashText(sample) {
		t.Errorf("hash = %s", first.Hash)
	}
	list, err := svc.Articles()
	if err != nil || len(list) != 1 {
		t.Fatalf("Articles = %v, %v", list, err)
	}
}

func TestService_AddArticle_Refused(t *testing.T) {
	svc := newService(t)
	for name, in := range map[string]annotations.NewArticle{
		"empty":             {Format: annotations.FormatText, Text: " \n\t "},
		"unknown format":    {Format: "docx", Text: "x"},
		"pdf without pages": {Format: annotations.FormatPDF, Text: "x"},
	} {
		t.Run(name, func(t *testing.T) {
			if _, _, err := svc.AddArticle(in); !errors.Is(err, annotations.ErrInvalidArticle) {
				t.Errorf("error = %v, want ErrInvalidArticle", err)
			}
		})
	}
}

func TestService_Highlight(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	tests := []struct {
		name       string
		req        annotations.HighlightRequest
		start, end int
		exact      string
		err        error
	}{
		{"by quote", annotations.HighlightRequest{Quote: "The talks"}, 0, 9, "The talks", nil},
		{"second occurrence", annotations.HighlightRequest{Quote: "The talks", Nth: 2}, 57, 66, "The talks", nil},
		{"quote across a line break", annotations.HighlightRequest{Quote: "Geneva. The"}, 49, 60, "Geneva.\nThe", nil},
		{"by offsets", annotations.HighlightRequest{Start: 4, End: 9}, 4, 9, "talks", nil},
		{"non-ASCII offsets are runes", annotations.HighlightRequest{Quote: "café near"}, 94, 103, "café near", nil},
		{"quote not found", annotations.HighlightRequest{Quote: "ceasefire"}, 0, 0, "", nil},
		{"offsets out of range", annotations.HighlightRequest{Start: 5, End: 5000}, 0, 0, "", nil},
		{"bad colour", annotations.HighlightRequest{Quote: "talks", Color: "pink"}, 0, 0, "", annotations.ErrInvalidColor},
		{"bad tag", annotations.HighlightRequest{Quote: "talks", Tags: []string{""}}, 0, 0, "", annotations.ErrInvalidTag},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.ArticleID = art.ID
			got, err := svc.Highlight(tt.req)
			if tt.exact == "" {
				if err == nil {
					t.Fatalf("no error, made %+v", got.Target)
				}
				if tt.err != nil && !errors.Is(err, tt.err) {
					t.Errorf("error = %v, want %v", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Target.Start != tt.start || got.Target.End != tt.end || got.Target.Exact != tt.exact {
				t.Errorf("target = %+v, want [%d, %d) %q", got.Target, tt.start, tt.end, tt.exact)
			}
			if got.Color != annotations.Yellow || got.Status != annotations.StatusAnchored || got.Tags == nil {
				t.Errorf("defaults: colour %q status %q tags %#v", got.Color, got.Status, got.Tags)
			}
		})
	}
	notes, _ := svc.Notes(annotations.NotesQuery{})
	if len(notes) != 5 {
		t.Errorf("%d annotations stored, want 5 (failed requests store nothing)", len(notes))
	}
}

func TestService_Edit(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva", Tags: []string{"Place", "Swiss"}})
	if err != nil {
		t.Fatal(err)
	}
	note, red := "Where the *talks* were held.", annotations.Red
	got, err := svc.Edit(a.ID, annotations.Change{Note: &note, Color: &red, AddTags: []string{"diplomacy", "place"}, RemoveTags: []string{"SWISS"}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Note != note || got.Color != red || !slices.Equal(got.Tags, []string{"Place", "diplomacy"}) {
		t.Errorf("edited = note %q colour %q tags %q", got.Note, got.Color, got.Tags)
	}
	if !got.UpdatedAt.After(a.UpdatedAt) {
		t.Errorf("UpdatedAt did not move: %v → %v", a.UpdatedAt, got.UpdatedAt)
	}
	tagged, _ := svc.Notes(annotations.NotesQuery{Tags: []string{"DIPLOMACY"}})
	if len(tagged) != 1 {
		t.Errorf("tag index finds %d annotations for the new tag, want 1", len(tagged))
	}
	gone, _ := svc.Notes(annotations.NotesQuery{Tags: []string{"swiss"}})
	if len(gone) != 0 {
		t.Errorf("tag index still finds the removed tag")
	}
	if _, err := svc.Trash(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Edit(a.ID, annotations.Change{Note: &note}); !errors.Is(err, annotations.ErrTrashed) {
		t.Errorf("editing a trashed annotation: %v, want ErrTrashed", err)
	}
}

func TestService_TrashAndRestore(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	a, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"})
	if _, err := svc.Trash(a.ID); err != nil {
		t.Fatal(err)
	}
	if live, _ := svc.Notes(annotations.NotesQuery{}); len(live) != 0 {
		t.Errorf("a trashed annotation is still listed")
	}
	trash, _ := svc.Notes(annotations.NotesQuery{Trash: true})
	if len(trash) != 1 || trash[0].DeletedAt == nil {
		t.Fatalf("trash = %+v", trash)
	}
	if list, _ := svc.Articles(); list[0].Highlights != 0 {
		t.Errorf("trashed highlights are counted: %d", list[0].Highlights)
	}
	if _, err := svc.Restore(a.ID); err != nil {
		t.Fatal(err)
	}
	if live, _ := svc.Notes(annotations.NotesQuery{}); len(live) != 1 || live[0].DeletedAt != nil {
		t.Errorf("restore did not bring it back: %+v", live)
	}

	// Several at once, one of them twice and one already in the trash:
	// one write, one step to undo.
	b, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva", Nth: 1})
	if _, err := svc.Trash(b.ID); err != nil {
		t.Fatal(err)
	}
	out, err := svc.SetTrashed([]uuid.UUID{a.ID, b.ID, a.ID}, true)
	if err != nil || len(out) != 3 || !out[0].Trashed() || !out[1].Trashed() || out[2].ID != a.ID || !out[2].Trashed() {
		t.Fatalf("SetTrashed = %+v, %v", out, err)
	}
	if live, _ := svc.Notes(annotations.NotesQuery{}); len(live) != 0 {
		t.Errorf("after trashing both, %d are listed", len(live))
	}
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	if live, _ := svc.Notes(annotations.NotesQuery{}); len(live) != 1 || live[0].ID != a.ID {
		t.Errorf("undo brought back %+v, want only %s", live, a.ID)
	}
}

func TestService_UndoRedo(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	a, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"})
	note := "first note"
	if _, err := svc.Edit(a.ID, annotations.Change{Note: &note}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Trash(a.ID); err != nil {
		t.Fatal(err)
	}
	state := func() annotations.Annotation {
		got, err := svc.Annotation(a.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	steps := []struct {
		do      func() ([]uuid.UUID, error)
		trashed bool
		note    string
	}{
		{svc.Undo, false, "first note"}, // undo the trash
		{svc.Undo, false, ""},           // undo the note
		{svc.Undo, true, ""},            // undo the highlight: to the trash, not lost
		{svc.Redo, false, ""},
		{svc.Redo, false, "first note"},
		{svc.Redo, true, "first note"},
	}
	for i, s := range steps {
		ids, err := s.do()
		if err != nil || len(ids) != 1 || ids[0] != a.ID {
			t.Fatalf("step %d: ids %v, err %v", i, ids, err)
		}
		got := state()
		if got.Trashed() != s.trashed || got.Note != s.note {
			t.Errorf("step %d: trashed %v note %q, want %v %q", i, got.Trashed(), got.Note, s.trashed, s.note)
		}
	}
	if _, err := svc.Redo(); !errors.Is(err, annotations.ErrNothingToRedo) {
		t.Errorf("redo past the end: %v", err)
	}
	// A new change clears what could be redone.
	_, _ = svc.Undo()
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "lake"})
	if svc.CanRedo() {
		t.Errorf("redo is still possible after a new change")
	}
}

func TestService_Notes_Filters(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	mk := func(q string, c annotations.Color, tags ...string) {
		if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: q, Color: c, Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	mk("lake", annotations.Blue, "place")
	mk("Geneva", annotations.Red, "place", "city")
	mk("stalled", annotations.Red)
	tests := []struct {
		name string
		q    annotations.NotesQuery
		want []string
	}{
		{"all by position", annotations.NotesQuery{}, []string{"stalled", "Geneva", "lake"}},
		{"one tag", annotations.NotesQuery{Tags: []string{"place"}}, []string{"Geneva", "lake"}},
		{"two tags", annotations.NotesQuery{Tags: []string{"place", "CITY"}}, []string{"Geneva"}},
		{"colour", annotations.NotesQuery{Colors: []annotations.Color{annotations.Red}}, []string{"stalled", "Geneva"}},
		{"article", annotations.NotesQuery{ArticleID: &art.ID}, []string{"stalled", "Geneva", "lake"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := svc.Notes(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			var quotes []string
			for _, a := range got {
				quotes = append(quotes, a.Target.Exact)
			}
			if !slices.Equal(quotes, tt.want) {
				t.Errorf("got %q, want %q", quotes, tt.want)
			}
		})
	}
}

func TestService_ExportImport_RoundTrip(t *testing.T) {
	src := newService(t)
	art := addSample(t, src)
	a, _ := src.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "café", Note: "**bold** note", Tags: []string{"Place"}, Color: annotations.Green})
	b, _ := src.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"})
	_, _ = src.Trash(b.ID)
	_ = a
	first, err := src.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	dst := newService(t)
	rep, err := dst.Import(first)
	if err != nil {
		t.Fatal(err)
	}
	if rep.ArticlesAdded != 1 || rep.AnnotationsAdded != 2 || rep.Reanchored+rep.Orphaned != 0 {
		t.Errorf("report: %+v", rep)
	}
	second, err := dst.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(first, second) {
		t.Errorf("export → import → export differs:\nfirst  %+v\nsecond %+v", first, second)
	}
	// Importing the same file again changes nothing.
	rep, err = dst.Import(first)
	if err != nil || rep.ArticlesSkipped != 1 || rep.AnnotationsSkipped != 2 {
		t.Errorf("re-import: %+v, %v", rep, err)
	}
}

func TestService_Import_Merge(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	a, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"})
	bundle, _ := svc.Export(annotations.ExportFilter{})

	newer := bundle.Annotations[0]
	newer.Note, newer.UpdatedAt = "from elsewhere", a.UpdatedAt.Add(time.Hour)
	older := bundle.Annotations[0]
	older.Note, older.UpdatedAt = "stale", a.UpdatedAt.Add(-time.Hour)
	moved := bundle.Annotations[0]
	moved.ID, moved.Target.Start, moved.Target.End = uuid.Must(uuid.NewV7()), 900, 906
	lost := bundle.Annotations[0]
	lost.ID, lost.Target = uuid.Must(uuid.NewV7()), annotations.Target{Start: 1, End: 5, Exact: "ceasefire"}
	// The same text under another article ID is the same article.
	twin := bundle.Articles[0]
	twin.ID = uuid.Must(uuid.NewV7())
	onTwin := bundle.Annotations[0]
	onTwin.ID, onTwin.ArticleID = uuid.Must(uuid.NewV7()), twin.ID

	tests := []struct {
		name  string
		b     annotations.Bundle
		check func(t *testing.T, rep annotations.ImportReport)
	}{
		{"newer wins", annotations.Bundle{Annotations: []annotations.Annotation{newer}}, func(t *testing.T, rep annotations.ImportReport) {
			if got, _ := svc.Annotation(a.ID); got.Note != "from elsewhere" || rep.AnnotationsUpdated != 1 {
				t.Errorf("note %q, report %+v", got.Note, rep)
			}
		}},
		{"older is skipped", annotations.Bundle{Annotations: []annotations.Annotation{older}}, func(t *testing.T, rep annotations.ImportReport) {
			if got, _ := svc.Annotation(a.ID); got.Note != "from elsewhere" || rep.AnnotationsSkipped != 1 {
				t.Errorf("note %q, report %+v", got.Note, rep)
			}
		}},
		{"bad offsets re-anchored by quote", annotations.Bundle{Annotations: []annotations.Annotation{moved}}, func(t *testing.T, rep annotations.ImportReport) {
			got, _ := svc.Annotation(moved.ID)
			if got.Target.Start != a.Target.Start || got.Status != annotations.StatusAnchored || rep.Reanchored != 1 {
				t.Errorf("target %+v status %s report %+v", got.Target, got.Status, rep)
			}
		}},
		{"missing quote orphaned", annotations.Bundle{Annotations: []annotations.Annotation{lost}}, func(t *testing.T, rep annotations.ImportReport) {
			if got, _ := svc.Annotation(lost.ID); got.Status != annotations.StatusOrphaned || rep.Orphaned != 1 {
				t.Errorf("status %s report %+v", got.Status, rep)
			}
		}},
		{"article matched by hash", annotations.Bundle{Articles: []annotations.Article{twin}, Annotations: []annotations.Annotation{onTwin}}, func(t *testing.T, rep annotations.ImportReport) {
			got, _ := svc.Annotation(onTwin.ID)
			if got.ArticleID != art.ID || rep.ArticlesSkipped != 1 || rep.ArticlesAdded != 0 {
				t.Errorf("article %s report %+v", got.ArticleID, rep)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, err := svc.Import(tt.b)
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, rep)
		})
	}
}

func TestService_Import_InvalidChangesNothing(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"})
	before, _ := svc.Export(annotations.ExportFilter{})

	good := before.Annotations[0]
	good.ID = uuid.Must(uuid.NewV7())
	orphanArticle := good
	orphanArticle.ID, orphanArticle.ArticleID = uuid.Must(uuid.NewV7()), uuid.Must(uuid.NewV7())
	badColor := good
	badColor.ID, badColor.Color = uuid.Must(uuid.NewV7()), "pink"
	noText := before.Articles[0]
	noText.ID, noText.Text = uuid.Must(uuid.NewV7()), ""
	for name, b := range map[string]annotations.Bundle{
		"unknown article":      {Annotations: []annotations.Annotation{good, orphanArticle}},
		"unknown colour":       {Annotations: []annotations.Annotation{good, badColor}},
		"article without text": {Articles: []annotations.Article{noText}, Annotations: []annotations.Annotation{good}},
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := svc.Import(b); !errors.Is(err, annotations.ErrInvalidImport) {
				t.Fatalf("error = %v, want ErrInvalidImport", err)
			}
			after, _ := svc.Export(annotations.ExportFilter{})
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the library changed")
			}
		})
	}
}

func TestService_SetColorLabel(t *testing.T) {
	svc := newService(t)
	if err := svc.SetColorLabel(annotations.Yellow, "  main   claim "); err != nil {
		t.Fatal(err)
	}
	if err := svc.SetColorLabel(annotations.Red, ""); err != nil {
		t.Fatal(err)
	}
	labels, _ := svc.ColorLabels()
	if labels.Label(annotations.Yellow) != "main claim" || labels.Label(annotations.Red) != "" || labels.Label(annotations.Green) != "evidence" {
		t.Errorf("labels = %v", labels)
	}
	if err := svc.SetColorLabel("pink", "x"); !errors.Is(err, annotations.ErrInvalidColor) {
		t.Errorf("pink: %v", err)
	}
}

func TestService_Tags(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	// Three passages: highlighting one passage again would recolour it.
	for i, tags := range [][]string{{"Place", "city"}, {"place"}, {"zeta"}} {
		quote := []string{"Geneva", "Tuesday", "Friday"}[i]
		if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: quote, Tags: tags}); err != nil {
			t.Fatal(err)
		}
	}
	trashed, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "lake", Tags: []string{"gone"}})
	_, _ = svc.Trash(trashed.ID)
	got, err := svc.Tags()
	if err != nil {
		t.Fatal(err)
	}
	want := []annotations.TagCount{{Tag: "Place", Count: 2}, {Tag: "city", Count: 1}, {Tag: "zeta", Count: 1}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Tags() = %v, want %v", got, want)
	}
}

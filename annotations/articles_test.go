package annotations_test

import (
	"errors"
	"testing"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

func TestService_TrashArticle(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	other, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "Another article."})
	keep, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"})
	gone, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Tuesday"})
	if _, err := svc.Trash(gone.ID); err != nil { // trashed on its own, before
		t.Fatal(err)
	}
	r := subscribe(t, svc)

	if _, err := svc.TrashArticle(art.ID); err != nil {
		t.Fatal(err)
	}
	ev := one(t, r, annotations.OpTrashArticle)
	if len(ev.Articles) != 1 || len(ev.Annotations) != 1 || ev.Annotations[0].After.ID != keep.ID || !ev.Annotations[0].After.Trashed() {
		t.Errorf("event %+v", ev)
	}
	list, _ := svc.Articles()
	if len(list) != 1 || list[0].ID != other.ID {
		t.Errorf("articles after the trash: %+v", list)
	}
	if trashed, _ := svc.TrashedArticles(); len(trashed) != 1 || trashed[0].ID != art.ID {
		t.Errorf("trashed articles %+v", trashed)
	}
	if n, _ := svc.Notes(annotations.NotesQuery{}); len(n) != 0 {
		t.Errorf("%d highlights left outside the trash", len(n))
	}
	if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Friday"}); !errors.Is(err, annotations.ErrArticleTrashed) {
		t.Errorf("highlight on a trashed article: %v", err)
	}

	// Undo brings it back with the highlight that went with it — not the
	// one trashed before.
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	one(t, r, annotations.OpRestoreArticle)
	if n, _ := svc.Notes(annotations.NotesQuery{}); len(n) != 1 || n[0].ID != keep.ID {
		t.Errorf("after undo: %+v", n)
	}
	if _, err := svc.Redo(); err != nil {
		t.Fatal(err)
	}
	if list, _ := svc.Articles(); len(list) != 1 {
		t.Errorf("redo did not trash it again: %+v", list)
	}
	// Adding its text again brings it back from the trash.
	again, created, err := svc.AddArticle(annotations.NewArticle{Format: annotations.FormatText, Text: sample})
	if err != nil || created || again.ID != art.ID || again.Trashed() {
		t.Fatalf("added again: %+v created %v err %v", again, created, err)
	}
	if n, _ := svc.Notes(annotations.NotesQuery{}); len(n) != 1 {
		t.Errorf("added again: %d highlights, want its 1", len(n))
	}
	if list, _ := svc.Articles(); len(list) != 2 {
		t.Errorf("added again: %d articles listed", len(list))
	}
}

func TestService_EditArticle(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	r := subscribe(t, svc)
	title, source := "  Talks   resume ", "https://news.example/talks"
	c := annotations.Citation{Authors: []string{"A. Reporter"}, Year: 2026, DOI: "doi:10.1000/talks"}
	got, err := svc.EditArticle(art.ID, annotations.ArticleEdit{Title: &title, Source: &source, Citation: &c})
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Talks resume" || got.Source != source || got.DOI != "10.1000/talks" || got.Year != 2026 {
		t.Errorf("edited: %+v", got)
	}
	one(t, r, annotations.OpEditArticle)
	if a, _ := svc.ArticleMeta(art.ID); a.Title != "Talks resume" || a.Hash != art.Hash {
		t.Errorf("stored: %+v", a)
	}
	bad := annotations.Citation{DOI: "nonsense"}
	if _, err := svc.EditArticle(art.ID, annotations.ArticleEdit{Citation: &bad}); !errors.Is(err, annotations.ErrInvalidArticle) {
		t.Errorf("a bad DOI: %v", err)
	}
	empty := ""
	if a, err := svc.EditArticle(art.ID, annotations.ArticleEdit{Title: &empty}); err != nil || a.Title != "Untitled" {
		t.Errorf("an empty title: %+v %v", a.Title, err)
	}
	// Undo twice: the first title back.
	svc.Undo()
	svc.Undo()
	if a, _ := svc.ArticleMeta(art.ID); a.Title != art.Title || a.Source != art.Source || a.DOI != "" {
		t.Errorf("after undo: %+v", a)
	}
}

func TestService_EmptyTrash(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	other, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "Another article, about grain and ports."})
	keep, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva", Tags: []string{"place"}})
	alone, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Tuesday", Tags: []string{"day"}})
	withArticle, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: other.ID, Quote: "grain", Note: "wheat"})
	if _, err := svc.Trash(alone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateArticle(other.ID, annotations.NewArticle{Format: annotations.FormatText, Text: "Another article, about grain and rail."}); err != nil {
		t.Fatal(err) // a revision to delete with it
	}
	if _, err := svc.TrashArticle(other.ID); err != nil {
		t.Fatal(err)
	}
	r := subscribe(t, svc)
	got, err := svc.EmptyTrash()
	if err != nil {
		t.Fatal(err)
	}
	if got.Articles != 1 || got.Annotations != 2 {
		t.Errorf("emptied %+v, want 1 article and 2 highlights", got)
	}
	if !one(t, r, annotations.OpEmptyTrash).Bulk {
		t.Error("not a bulk event")
	}
	for _, id := range []uuid.UUID{alone.ID, withArticle.ID} {
		if _, err := svc.Annotation(id); !errors.Is(err, annotations.ErrNotFound) {
			t.Errorf("annotation %s still there: %v", id, err)
		}
	}
	if _, err := svc.ArticleMeta(other.ID); !errors.Is(err, annotations.ErrNotFound) {
		t.Errorf("the trashed article is still there: %v", err)
	}
	if a, err := svc.Annotation(keep.ID); err != nil || a.Trashed() {
		t.Errorf("a highlight outside the trash went: %v", err)
	}
	if tags, _ := svc.Tags(); len(tags) != 1 || tags[0].Tag != "place" {
		t.Errorf("tags after emptying: %+v", tags)
	}
	if svc.CanUndo() {
		t.Error("the undo history survived emptying the trash")
	}
	// Its text can be added again as a new article.
	if _, created, err := svc.AddArticle(annotations.NewArticle{Format: annotations.FormatText, Text: "Another article, about grain and rail."}); err != nil || !created {
		t.Errorf("adding the deleted text again: created %v, %v", created, err)
	}
	// Nothing in the trash: nothing happens.
	if got, err := svc.EmptyTrash(); err != nil || got != (annotations.EmptiedTrash{}) {
		t.Errorf("emptying an empty trash: %+v %v", got, err)
	}
}

package annotations_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/gloss-notes/gloss/annotations"
)

const original = `A ceasefire along the river was discussed but not agreed.
The negotiators met in Geneva on Tuesday and agreed to meet again.
The talks stalled over the question of territory and guarantees, said officials.`

func TestService_UpdateArticle(t *testing.T) {
	svc := newService(t)
	art, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Talks", Format: annotations.FormatText, Text: original})
	mk := func(q string) annotations.Annotation {
		a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: q, Note: "on " + q})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	kept := mk("met in Geneva on Tuesday")
	edited := mk("question of territory and guarantees")
	gone := mk("A ceasefire along the river was discussed but not agreed.")

	revised := "Update: a correction was made.\n" +
		strings.Replace(strings.Replace(original, "question of territory and guarantees", "question of territory and of guarantees", 1),
			"A ceasefire along the river was discussed but not agreed.\n", "", 1)
	rep, err := svc.UpdateArticle(art.ID, annotations.NewArticle{Source: "/tmp/v2.txt", Format: annotations.FormatText, Text: revised})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Anchored != 1 || rep.Fuzzy != 1 || rep.Orphaned != 1 {
		t.Errorf("report: %s", rep)
	}
	got := func(id annotations.Annotation) annotations.Annotation {
		a, err := svc.Annotation(id.ID)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	text := []rune(revised)
	if a := got(kept); a.Status != annotations.StatusAnchored || string(text[a.Target.Start:a.Target.End]) != "met in Geneva on Tuesday" {
		t.Errorf("kept: %s %+v", a.Status, a.Target)
	}
	if a := got(edited); a.Status != annotations.StatusFuzzy || a.Previous != "question of territory and guarantees" ||
		string(text[a.Target.Start:a.Target.End]) != a.Target.Exact || a.Note != "on question of territory and guarantees" {
		t.Errorf("edited: %s previous %q target %+v", a.Status, a.Previous, a.Target)
	}
	if a := got(gone); a.Status != annotations.StatusOrphaned || a.Target.Exact != gone.Target.Exact || a.Note == "" {
		t.Errorf("gone: %s %+v", a.Status, a.Target)
	}
	if a, _ := svc.Article(art.ID); a.Text != annotations.NormalizeText(revised) || a.Source != "/tmp/v2.txt" || a.Title != "Talks" {
		t.Errorf("article after the update: %q %q", a.Title, a.Source)
	}

	// The same text again changes nothing.
	if rep, err := svc.UpdateArticle(art.ID, annotations.NewArticle{Format: annotations.FormatText, Text: revised}); err != nil || !rep.Unchanged {
		t.Errorf("same text: %s %v", rep, err)
	}

	// Undo through the history puts the old text and states back; redo
	// replaces it again.
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	if a, _ := svc.Article(art.ID); a.Text != original {
		t.Errorf("undo did not restore the text")
	}
	if a := got(gone); a.Status != annotations.StatusAnchored || !a.Target.Same(gone.Target) {
		t.Errorf("after undo: %s %+v", a.Status, a.Target)
	}
	if _, err := svc.Redo(); err != nil {
		t.Fatal(err)
	}
	if a := got(gone); a.Status != annotations.StatusOrphaned {
		t.Errorf("after redo: %s", a.Status)
	}
	// And the command line's undo: back to the original, then nothing left.
	if _, err := svc.UndoUpdate(art.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UndoUpdate(art.ID); !errors.Is(err, annotations.ErrNoRevision) {
		t.Errorf("second undo: %v", err)
	}
}

func TestService_UpdateArticle_Rewrapped(t *testing.T) {
	svc := newService(t)
	art, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Talks", Format: annotations.FormatText, Text: original})
	var made []annotations.Annotation
	for _, q := range []string{"Geneva on Tuesday and agreed", "not agreed.\nThe negotiators"} {
		a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: q})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, a)
	}
	rewrapped := strings.Join(strings.Fields(original), " ") // one line, single spaces
	rep, err := svc.UpdateArticle(art.ID, annotations.NewArticle{Format: annotations.FormatText, Text: rewrapped})
	if err != nil || rep.Anchored != 2 {
		t.Fatalf("re-wrapped: %s %v", rep, err)
	}
	for _, m := range made {
		a, _ := svc.Annotation(m.ID)
		if a.Target.Exact != strings.Join(strings.Fields(m.Target.Exact), " ") {
			t.Errorf("re-wrapped target %q from %q", a.Target.Exact, m.Target.Exact)
		}
	}
}

func TestService_UpdateArticle_Refused(t *testing.T) {
	svc := newService(t)
	a, _, _ := svc.AddArticle(annotations.NewArticle{Title: "A", Format: annotations.FormatText, Text: "first text"})
	_, _, _ = svc.AddArticle(annotations.NewArticle{Title: "B", Format: annotations.FormatText, Text: "second text"})
	before, _ := svc.Export(annotations.ExportFilter{})
	for name, in := range map[string]annotations.NewArticle{
		"empty":          {Format: annotations.FormatText, Text: "  "},
		"another's text": {Format: annotations.FormatText, Text: "second text"},
	} {
		if _, err := svc.UpdateArticle(a.ID, in); !errors.Is(err, annotations.ErrInvalidArticle) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if after, _ := svc.Export(annotations.ExportFilter{}); len(after.Articles) != len(before.Articles) || after.Articles[0].Hash != before.Articles[0].Hash {
		t.Errorf("a refused update changed the library")
	}
}

func TestService_UndoUpdate_KeepsLaterEdits(t *testing.T) {
	svc := newService(t)
	art, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Talks", Format: annotations.FormatText, Text: original})
	a, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "met in Geneva on Tuesday", Note: "first"})
	b, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "A ceasefire along the river"})
	revised := "Update.\n" + original
	if _, err := svc.UpdateArticle(art.ID, annotations.NewArticle{Format: annotations.FormatText, Text: revised}); err != nil {
		t.Fatal(err)
	}
	note := "second thought"
	if _, err := svc.Edit(a.ID, annotations.Change{Note: &note, AddTags: []string{"later"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Trash(b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UndoUpdate(art.ID); err != nil {
		t.Fatal(err)
	}
	got, _ := svc.Annotation(a.ID)
	if got.Note != "second thought" || len(got.Tags) != 1 || !got.Target.Same(a.Target) {
		t.Errorf("after undoing the update: note %q tags %q target %+v", got.Note, got.Tags, got.Target)
	}
	if got, _ := svc.Annotation(b.ID); !got.Trashed() || !got.Target.Same(b.Target) {
		t.Errorf("a highlight trashed after the update came back, or is misplaced: %+v", got)
	}
}

func TestService_Import_OntoARevisedText_UsesTheFloor(t *testing.T) {
	svc := newService(t)
	v1 := "Alpha beta gamma. The committee decided to wait for the report. Omega psi chi."
	art, _, _ := svc.AddArticle(annotations.NewArticle{Title: "C", Format: annotations.FormatText, Text: v1})
	a, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "The committee"})
	exported, _ := svc.Export(annotations.ExportFilter{})
	v2 := "Alpha beta gamma. The board met in spring. Omega psi chi. The committee was dissolved."
	if _, err := svc.UpdateArticle(art.ID, annotations.NewArticle{Format: annotations.FormatText, Text: v2}); err != nil {
		t.Fatal(err)
	}
	if got, _ := svc.Annotation(a.ID); got.Status != annotations.StatusOrphaned {
		t.Fatalf("the update should orphan it: %s", got.Status)
	}
	// A newer edit of the annotation, made elsewhere on the old text, comes
	// in with the old article (older, so skipped).
	edited := exported.Annotations[0]
	edited.Note, edited.UpdatedAt = "from another machine", edited.UpdatedAt.Add(48*time.Hour)
	rep, err := svc.Import(annotations.Bundle{Articles: exported.Articles, Annotations: []annotations.Annotation{edited}})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := svc.Annotation(a.ID)
	if got.Note != "from another machine" || got.Status != annotations.StatusOrphaned {
		t.Errorf("imported onto the revised text: %s at %+v (%s)", got.Status, got.Target, rep)
	}
}

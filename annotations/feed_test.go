package annotations_test

import (
	"testing"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// recorder keeps the events a subscriber got.
type recorder struct{ events []annotations.Event }

func (r *recorder) take() []annotations.Event {
	out := r.events
	r.events = nil
	return out
}

func subscribe(t *testing.T, svc *annotations.Service) *recorder {
	t.Helper()
	r := &recorder{}
	cancel := svc.Subscribe(func(ev annotations.Event) {
		// A subscriber may call the service: no lock is held.
		_ = svc.CanUndo()
		r.events = append(r.events, ev)
	})
	t.Cleanup(cancel)
	return r
}

// one asserts that exactly one event came, of op, and returns it.
func one(t *testing.T, r *recorder, op annotations.Op) annotations.Event {
	t.Helper()
	evs := r.take()
	if len(evs) != 1 {
		t.Fatalf("got %d events %+v, want one %s", len(evs), evs, op)
	}
	if evs[0].Op != op {
		t.Fatalf("event op = %s, want %s", evs[0].Op, op)
	}
	return evs[0]
}

func TestFeed_EveryWritePublishes(t *testing.T) {
	svc := newService(t)
	r := subscribe(t, svc)

	art := addSample(t, svc)
	ev := one(t, r, annotations.OpAddArticles)
	if len(ev.Articles) != 1 || ev.Articles[0].ID != art.ID || !ev.Articles[0].Created {
		t.Errorf("add: articles %+v", ev.Articles)
	}
	// The same text again creates nothing: no event.
	if _, _, err := svc.AddArticle(annotations.NewArticle{Format: annotations.FormatText, Text: sample}); err != nil {
		t.Fatal(err)
	}
	if evs := r.take(); len(evs) != 0 {
		t.Errorf("adding the same text again published %+v", evs)
	}

	a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva", Color: annotations.Green})
	if err != nil {
		t.Fatal(err)
	}
	ev = one(t, r, annotations.OpHighlight)
	if len(ev.Annotations) != 1 || !ev.Annotations[0].Created() || ev.Annotations[0].After.ID != a.ID {
		t.Errorf("highlight: %+v", ev.Annotations)
	}

	note := "met where?"
	if _, err := svc.Edit(a.ID, annotations.Change{Note: &note}); err != nil {
		t.Fatal(err)
	}
	ev = one(t, r, annotations.OpEdit)
	if c := ev.Annotations[0]; c.Before == nil || c.Before.Note != "" || c.After.Note != note {
		t.Errorf("edit: before %+v after %+v", c.Before, c.After)
	}

	if _, err := svc.Trash(a.ID); err != nil {
		t.Fatal(err)
	}
	if c := one(t, r, annotations.OpTrash).Annotations[0]; c.Before.Trashed() || !c.After.Trashed() {
		t.Errorf("trash: %+v", c)
	}
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	if c := one(t, r, annotations.OpUndo).Annotations[0]; !c.Before.Trashed() || c.After.Trashed() {
		t.Errorf("undo of the trash: %+v", c)
	}
	if _, err := svc.Redo(); err != nil {
		t.Fatal(err)
	}
	if c := one(t, r, annotations.OpRedo).Annotations[0]; c.Before.Trashed() || !c.After.Trashed() {
		t.Errorf("redo of the trash: %+v", c)
	}
	if _, err := svc.Restore(a.ID); err != nil {
		t.Fatal(err)
	}
	one(t, r, annotations.OpRestore)

	if err := svc.SetColorLabel(annotations.Green, "proof"); err != nil {
		t.Fatal(err)
	}
	if !one(t, r, annotations.OpLabels).Labels {
		t.Error("labels event without Labels")
	}

	rep, err := svc.UpdateArticle(art.ID, annotations.NewArticle{Format: annotations.FormatText, Text: "Update, Monday: the talks go on.\n" + sample})
	if err != nil {
		t.Fatal(err)
	}
	ev = one(t, r, annotations.OpReplaceText)
	if len(ev.Articles) != 1 || !ev.Articles[0].TextChanged || len(ev.Annotations) != len(rep.Annotations) {
		t.Errorf("replace text: %+v", ev)
	}
	if c := ev.Annotations[0]; c.Before.Target.Same(c.After.Target) {
		t.Errorf("replace text: target did not move: %+v", c.After.Target)
	}
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	if ev := one(t, r, annotations.OpReplaceText); len(ev.Articles) != 1 || !ev.Articles[0].TextChanged {
		t.Errorf("undo of a revision: %+v", ev)
	}

	b, err := svc.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Import(b); err != nil {
		t.Fatal(err)
	}
	if !one(t, r, annotations.OpImport).Bulk {
		t.Error("import event is not bulk")
	}
}

func TestFeed_FailedWritePublishesNothing(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	r := subscribe(t, svc)
	if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "not in the text"}); err == nil {
		t.Fatal("highlight of a missing quote succeeded")
	}
	if _, err := svc.Edit(uuid.Must(uuid.NewV7()), annotations.Change{}); err == nil {
		t.Fatal("edit of a missing annotation succeeded")
	}
	if _, err := svc.Undo(); err == nil {
		t.Fatal("undo with an empty history succeeded")
	}
	if evs := r.take(); len(evs) != 0 {
		t.Errorf("failed writes published %+v", evs)
	}
}

func TestFeed_CancelAndOrder(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	var order []string
	cancelA := svc.Subscribe(func(annotations.Event) { order = append(order, "a") })
	svc.Subscribe(func(annotations.Event) { order = append(order, "b") })
	if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"}); err != nil {
		t.Fatal(err)
	}
	cancelA()
	if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Tuesday"}); err != nil {
		t.Fatal(err)
	}
	if got := fmtList(order); got != "a b b" {
		t.Errorf("delivery = %s, want a b b", got)
	}
}

func fmtList(s []string) string {
	out := ""
	for i, x := range s {
		if i > 0 {
			out += " "
		}
		out += x
	}
	return out
}

func TestService_Highlight_SamePassageRecolours(t *testing.T) {
	svc := newService(t)
	art := addSample(t, svc)
	r := subscribe(t, svc)
	first, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva", Note: "the city", Tags: []string{"place"}})
	if err != nil {
		t.Fatal(err)
	}
	r.take()
	again, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: first.Target.Start, End: first.Target.End,
		Color: annotations.Red, Note: "talks venue", Tags: []string{"Place", "venue"}})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != first.ID || again.Color != annotations.Red {
		t.Fatalf("again = %s %s, want %s red", again.ID, again.Color, first.ID)
	}
	if again.Note != "the city\n\ntalks venue" || fmtList(again.Tags) != "place venue" {
		t.Errorf("note %q tags %v", again.Note, again.Tags)
	}
	ev := one(t, r, annotations.OpHighlight)
	if c := ev.Annotations[0]; c.Created() || c.Before.Color != annotations.Yellow {
		t.Errorf("event %+v", c)
	}
	notes, err := svc.Notes(annotations.NotesQuery{})
	if err != nil || len(notes) != 1 {
		t.Fatalf("notes = %d, %v; want one highlight", len(notes), err)
	}
	// Undo gives the first colour back and keeps the one highlight.
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	got, _ := svc.Annotation(first.ID)
	if got.Trashed() || got.Color != annotations.Yellow || got.Note != "the city" {
		t.Errorf("after undo: %+v", got)
	}
	// A trashed or orphaned highlight on the passage does not count.
	if _, err := svc.Trash(first.ID); err != nil {
		t.Fatal(err)
	}
	third, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: "Geneva"})
	if err != nil || third.ID == first.ID {
		t.Errorf("highlight over a trashed one: %s, %v", third.ID, err)
	}
}

package annotations

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// Revision is an article as it was before its text was replaced, with its
// annotations as they were: what an update's undo puts back.
type Revision struct {
	ArticleID   uuid.UUID    `json:"article_id"`
	SavedAt     time.Time    `json:"saved_at"`
	Article     Article      `json:"article"`
	Annotations []Annotation `json:"annotations"`
}

// UpdateReport says what replacing an article's text did.
type UpdateReport struct {
	Article Article
	// Unchanged is set when the new text was the text already there.
	Unchanged bool
	// Counts of the annotations (trash included) by their new status.
	Anchored, Fuzzy, Orphaned int
	// Annotations are the article's annotations as they are now.
	Annotations []Annotation
}

func (r UpdateReport) String() string {
	if r.Unchanged {
		return "the text is the same; nothing changed"
	}
	return fmt.Sprintf("%d anchored, %d fuzzy, %d orphaned", r.Anchored, r.Fuzzy, r.Orphaned)
}

// ErrNoRevision is returned by UndoUpdate when an article's text was never
// replaced (or every replacement was undone already).
var ErrNoRevision = errors.New("no earlier text to go back to")

// UpdateArticle replaces an article's text with a revised version (read
// from in: its text, format and source; the title stays) and re-anchors
// every annotation on it, in one transaction. The old text and the old
// annotations are kept as a Revision, so that UndoUpdate can put them back.
// An annotation whose passage changed is Fuzzy and remembers in Previous
// what it said; one whose passage is gone is Orphaned and keeps its quote.
func (s *Service) UpdateArticle(id uuid.UUID, in NewArticle) (UpdateReport, error) {
	rep, ev, err := s.updateArticle(id, in)
	if err == nil && !rep.Unchanged {
		s.recordStep(step{
			ids: ids(rep.Annotations),
			undo: func() (Event, error) {
				_, ev, err := s.undoUpdate(id)
				return ev, err
			},
			redo: func() (Event, error) {
				_, ev, err := s.updateArticle(id, in)
				return ev, err
			},
		})
		s.publish(ev)
	}
	return rep, err
}

// updateArticle is UpdateArticle without the undo history and without
// publishing: it returns the event.
func (s *Service) updateArticle(id uuid.UUID, in NewArticle) (UpdateReport, Event, error) {
	_, text, err := normalizeArticle("", in.Source, in.Text)
	if err != nil {
		return UpdateReport{}, Event{}, fmt.Errorf("%s: %w", describeSource(in), err)
	}
	if strings.TrimSpace(text) == "" {
		return UpdateReport{}, Event{}, fmt.Errorf("%w: %s has no text", ErrInvalidArticle, describeSource(in))
	}
	structure, images, err := keptStructure(in, text)
	if err != nil {
		return UpdateReport{}, Event{}, fmt.Errorf("%s: %w", describeSource(in), err)
	}
	var rep UpdateReport
	var before []Annotation
	err = s.store.Update(func(w Writer) error {
		rep = UpdateReport{}
		old, err := w.Article(id)
		if err != nil {
			return err
		}
		if old.Text, err = w.ArticleText(id); err != nil {
			return err
		}
		// A revision keeps the earlier text, not the earlier file and page
		// layout: a PDF article's text is what its pages say.
		if old.Format == FormatPDF || in.Layout != nil {
			return fmt.Errorf("%w: %s is a PDF article; its text cannot be replaced (add the new version as an article of its own)", ErrInvalidArticle, QuoteInput(old.Title))
		}
		hash := HashText(text)
		if hash == old.Hash {
			// The same text: the structure it was added without (by an
			// earlier Gloss) is kept now.
			if err := keepStructure(w, id, structure, images, true); err != nil {
				return err
			}
			rep.Unchanged, rep.Article = true, old
			return w.ArticleAnnotations(id, func(a Annotation) error {
				rep.Annotations = append(rep.Annotations, a)
				return nil
			})
		}
		if other, err := w.ArticleByHash(hash); err == nil {
			return fmt.Errorf("%w: that text is already the article %s (%s)", ErrInvalidArticle, QuoteInput(other.Title), other.ID)
		}
		before = nil
		if err := w.ArticleAnnotations(id, func(a Annotation) error {
			before = append(before, a)
			return nil
		}); err != nil {
			return err
		}
		now := s.now()
		if err := w.PushRevision(Revision{ArticleID: id, SavedAt: now, Article: old, Annotations: before}); err != nil {
			return err
		}
		art := old
		art.Text, art.Hash, art.UpdatedAt = text, hash, now
		if in.Source != "" {
			art.Source = in.Source
		}
		if in.Format.Valid() {
			art.Format = in.Format
		}
		if err := w.PutArticle(art); err != nil {
			return err
		}
		if err := keepStructure(w, id, structure, images, false); err != nil {
			return err
		}
		after := reanchor(anchor.NewText(text), before, now)
		for _, a := range after {
			switch a.Status {
			case StatusAnchored:
				rep.Anchored++
			case StatusFuzzy:
				rep.Fuzzy++
			default:
				rep.Orphaned++
			}
		}
		if err := w.PutAnnotations(after); err != nil {
			return err
		}
		art.Text = ""
		rep.Article, rep.Annotations = art, after
		return nil
	})
	if err != nil {
		return UpdateReport{}, Event{}, err
	}
	if rep.Unchanged {
		return rep, Event{}, nil
	}
	ev := Event{Op: OpReplaceText, Articles: []ArticleChange{{ID: id, TextChanged: true}}}
	for i := range before {
		b := before[i]
		ev.Annotations = append(ev.Annotations, AnnotationChange{Before: &b, After: rep.Annotations[i].Clone()})
	}
	return rep, ev, nil
}

// UndoUpdate puts back an article's text as it was before its latest
// UpdateArticle, and each annotation's place on it (target, status, what
// it said before). What was changed since — notes, tags, colours, the
// trash — stays as it is now; annotations made on the new text go to the
// trash, since their passage may not exist in the old one. It returns the
// article as restored.
func (s *Service) UndoUpdate(id uuid.UUID) (Article, error) {
	art, ev, err := s.undoUpdate(id)
	if err == nil {
		s.publish(ev)
	}
	return art, err
}

// undoUpdate is UndoUpdate without publishing: it returns the event.
func (s *Service) undoUpdate(id uuid.UUID) (Article, Event, error) {
	var art Article
	var changes []AnnotationChange
	err := s.store.Update(func(w Writer) error {
		changes = nil
		rev, err := w.PopRevision(id)
		if errors.Is(err, ErrNotFound) {
			return fmt.Errorf("article %s: %w", id, ErrNoRevision)
		}
		if err != nil {
			return err
		}
		now := s.now()
		place := make(map[uuid.UUID]Annotation, len(rev.Annotations))
		for _, a := range rev.Annotations {
			place[a.ID] = a
		}
		var restored []Annotation
		if err := w.ArticleAnnotations(id, func(a Annotation) error {
			was := a.Clone()
			old, ok := place[a.ID]
			switch {
			case ok:
				a.Target, a.Status, a.Previous = old.Target, old.Status, old.Previous
			case !a.Trashed():
				a.DeletedAt = &now
			default:
				return nil
			}
			a.UpdatedAt = now
			restored = append(restored, a)
			changes = append(changes, AnnotationChange{Before: &was, After: a.Clone()})
			return nil
		}); err != nil {
			return err
		}
		art = rev.Article
		art.UpdatedAt = now
		if err := w.PutArticle(art); err != nil {
			return err
		}
		art.Text = ""
		return w.PutAnnotations(restored)
	})
	if err != nil {
		return Article{}, Event{}, err
	}
	return art, Event{Op: OpReplaceText, Articles: []ArticleChange{{ID: id, TextChanged: true}}, Annotations: changes}, nil
}

func ids(as []Annotation) []uuid.UUID {
	out := make([]uuid.UUID, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

// reanchor puts annotations captured on an article's earlier text onto its
// new text and returns them with their new targets and statuses (and
// UpdatedAt now). A fuzzy annotation keeps in Previous what it said when it
// was highlighted; one that was fuzzy already and stays on the same changed
// text stays fuzzy.
func reanchor(text *anchor.Text, before []Annotation, now time.Time) []Annotation {
	targets := make([]Target, len(before))
	for i, a := range before {
		targets[i] = a.Target
	}
	results := text.ReanchorAll(targets)
	after := make([]Annotation, len(before))
	for i, a := range before {
		a = a.Clone()
		res := results[i]
		switch res.Status {
		case anchor.Anchored:
			if a.Status == StatusFuzzy && a.Previous != "" && a.Previous != res.Target.Exact {
				a.Target = res.Target // still not what was highlighted
			} else {
				a.Status, a.Target, a.Previous = StatusAnchored, res.Target, ""
			}
		case anchor.Fuzzy:
			if a.Previous == "" {
				a.Previous = a.Target.Exact // what it said when highlighted
			}
			a.Status, a.Target = StatusFuzzy, res.Target
		default:
			a.Status = StatusOrphaned
		}
		a.UpdatedAt = now
		after[i] = a
	}
	return after
}

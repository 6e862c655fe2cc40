package annotations

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
)

// Managing articles: renaming one and editing what it is cited by, moving
// it to the trash with its highlights and back. Each is one transaction,
// one step of the undo history and one event of the feed.

// ErrArticleTrashed is returned when a change is asked of an article that
// is in the trash (restore it first).
var ErrArticleTrashed = errors.New("article is in the trash")

// Trashed reports whether the article is in the trash.
func (a Article) Trashed() bool { return a.DeletedAt != nil }

// ArticleEdit describes a change of an article's details; nil fields are
// left as they are.
type ArticleEdit struct {
	Title    *string
	Source   *string
	Citation *Citation
}

// EditArticle renames an article, changes its source (the file or address
// it came from) or its citation, and returns it as stored. Its text and
// highlights are not touched.
func (s *Service) EditArticle(id uuid.UUID, e ArticleEdit) (Article, error) {
	var before, after Article
	err := s.store.Update(func(w Writer) error {
		a, err := w.Article(id)
		if err != nil {
			return err
		}
		if a.Trashed() {
			return fmt.Errorf("%w: %s (restore it first)", ErrArticleTrashed, id)
		}
		before = a
		title, source := a.Title, a.Source
		if e.Title != nil {
			title = *e.Title
		}
		if e.Source != nil {
			source = *e.Source
		}
		if title, _, err = normalizeArticle(title, source, ""); err != nil {
			return err
		}
		a.Title, a.Source = title, source
		if e.Citation != nil {
			if a.Citation, err = normalizeCitation(*e.Citation); err != nil {
				return err
			}
		}
		a.UpdatedAt = s.now()
		after = a
		return w.PutArticle(a)
	})
	if err != nil {
		return Article{}, err
	}
	put := func(a Article) func() (Event, error) {
		return func() (Event, error) {
			err := s.store.Update(func(w Writer) error {
				cur, err := w.Article(id)
				if err != nil {
					return err
				}
				cur.Title, cur.Source, cur.Citation, cur.UpdatedAt = a.Title, a.Source, a.Citation, s.now()
				return w.PutArticle(cur)
			})
			return Event{Op: OpEditArticle, Articles: []ArticleChange{{ID: id}}}, err
		}
	}
	s.recordStep(step{undo: put(before), redo: put(after)})
	s.publish(Event{Op: OpEditArticle, Articles: []ArticleChange{{ID: id}}})
	return after, nil
}

// TrashArticle moves an article to the trash with its highlights (those
// not in the trash already); RestoreArticle brings it back with the
// highlights that went with it. Both are undoable.
func (s *Service) TrashArticle(id uuid.UUID) (Article, error) {
	a, ev, err := s.setArticleTrashed(id, true)
	if err == nil && len(ev.Articles) > 0 {
		s.recordStep(step{ids: ev.AnnotationIDs(),
			undo: func() (Event, error) { _, ev, err := s.setArticleTrashed(id, false); return ev, err },
			redo: func() (Event, error) { _, ev, err := s.setArticleTrashed(id, true); return ev, err },
		})
		s.publish(ev)
	}
	return a, err
}

// RestoreArticle takes an article out of the trash, with the highlights
// that were trashed with it.
func (s *Service) RestoreArticle(id uuid.UUID) (Article, error) {
	a, ev, err := s.setArticleTrashed(id, false)
	if err == nil && len(ev.Articles) > 0 {
		s.recordStep(step{ids: ev.AnnotationIDs(),
			undo: func() (Event, error) { _, ev, err := s.setArticleTrashed(id, true); return ev, err },
			redo: func() (Event, error) { _, ev, err := s.setArticleTrashed(id, false); return ev, err },
		})
		s.publish(ev)
	}
	return a, err
}

// setArticleTrashed moves an article into the trash or out of it, in one
// transaction (see trashArticle).
func (s *Service) setArticleTrashed(id uuid.UUID, trashed bool) (Article, Event, error) {
	var art Article
	ev := Event{Op: OpTrashArticle}
	if !trashed {
		ev.Op = OpRestoreArticle
	}
	err := s.store.Update(func(w Writer) error {
		var err error
		art, ev.Annotations, err = trashArticle(w, id, trashed, s.now())
		return err
	})
	if err != nil {
		return Article{}, Event{}, err
	}
	if ev.Annotations != nil || art.Trashed() == trashed {
		ev.Articles = []ArticleChange{{ID: id}}
	}
	return art, ev, nil
}

// trashArticle moves an article into the trash or out of it, with its
// highlights: into the trash go those not there already, all with the
// article's time; out of it come those with that time (the ones that went
// with it, not those trashed one by one before). It returns the article as
// it is now and the highlights it changed; nil changes when the article
// was where it was asked to be.
func trashArticle(w Writer, id uuid.UUID, trashed bool, now time.Time) (Article, []AnnotationChange, error) {
	a, err := w.Article(id)
	if err != nil {
		return Article{}, nil, err
	}
	if a.Trashed() == trashed {
		return a, nil, nil
	}
	var when time.Time
	if a.DeletedAt != nil {
		when = *a.DeletedAt
	}
	changes := []AnnotationChange{}
	var changed []Annotation
	if err := w.ArticleAnnotations(id, func(n Annotation) error {
		before := n.Clone()
		switch {
		case trashed && !n.Trashed():
			n.DeletedAt = &now
		case !trashed && n.Trashed() && n.DeletedAt.Equal(when):
			n.DeletedAt = nil
		default:
			return nil
		}
		n.UpdatedAt = now
		changed = append(changed, n)
		changes = append(changes, AnnotationChange{Before: &before, After: n.Clone()})
		return nil
	}); err != nil {
		return Article{}, nil, err
	}
	if trashed {
		a.DeletedAt = &now
	} else {
		a.DeletedAt = nil
	}
	a.UpdatedAt = now
	if err := w.PutArticle(a); err != nil {
		return Article{}, nil, err
	}
	return a, changes, w.PutAnnotations(changed)
}

// TrashedArticles lists the articles in the trash, most recently trashed
// first.
func (s *Service) TrashedArticles() ([]Article, error) {
	var out []Article
	err := s.store.View(func(r Reader) error {
		return r.Articles(func(a Article) error {
			if a.Trashed() {
				out = append(out, a)
			}
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b Article) int { return b.DeletedAt.Compare(*a.DeletedAt) })
	return out, err
}

// EmptiedTrash says what EmptyTrash deleted.
type EmptiedTrash struct {
	Articles, Annotations int
}

// EmptyTrash deletes for good everything in the trash — articles (with
// their texts, revisions and highlights) and highlights — in one
// transaction. It cannot be undone: the undo history is cleared too, since
// its steps may name what is gone. Subscribers get a Bulk event.
func (s *Service) EmptyTrash() (EmptiedTrash, error) {
	var out EmptiedTrash
	err := s.store.Update(func(w Writer) error {
		out = EmptiedTrash{}
		var trashedArticles, liveArticles []uuid.UUID
		if err := w.Articles(func(a Article) error {
			if a.Trashed() {
				trashedArticles = append(trashedArticles, a.ID)
			} else {
				liveArticles = append(liveArticles, a.ID)
			}
			return nil
		}); err != nil {
			return err
		}
		// Highlights trashed on their own, in articles that stay.
		var ids []uuid.UUID
		for _, id := range liveArticles {
			if err := w.ArticleSpans(id, func(sp Span) error {
				if sp.Trashed {
					ids = append(ids, sp.ID)
				}
				return nil
			}); err != nil {
				return err
			}
		}
		if err := w.DeleteAnnotations(ids); err != nil {
			return err
		}
		out.Annotations = len(ids)
		now := s.now()
		for _, id := range trashedArticles {
			n := 0
			var live []Annotation
			if err := w.ArticleAnnotations(id, func(a Annotation) error {
				n++
				if !a.Trashed() {
					// Made on another device while the article went to
					// the trash here (a sync): it goes with it.
					a.DeletedAt = &now
					live = append(live, a)
				}
				return nil
			}); err != nil {
				return err
			}
			if len(live) > 0 {
				if err := w.PutAnnotations(live); err != nil {
					return err
				}
			}
			if err := w.DeleteArticle(id); err != nil {
				return err
			}
			out.Articles++
			out.Annotations += n
		}
		return nil
	})
	if err != nil {
		return EmptiedTrash{}, err
	}
	if out.Articles+out.Annotations > 0 {
		s.mu.Lock()
		s.history = history{}
		s.mu.Unlock()
		s.publish(Event{Op: OpEmptyTrash, Bulk: true})
	}
	return out, nil
}

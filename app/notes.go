package app

import (
	"cmp"
	"slices"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// noteSet is the open article's annotations that are not in the trash, in
// text order (start, end, then creation), kept up to date change by change
// from the service's feed: applying a change costs a binary search and a
// move, not a re-read of the article's annotations.
type noteSet struct {
	article uuid.UUID
	list    []annotations.Annotation
}

// reset replaces the set with an article's annotations (any order).
func (s *noteSet) reset(article uuid.UUID, notes []annotations.Annotation) {
	s.article = article
	s.list = s.list[:0]
	for _, n := range notes {
		if !n.Trashed() && n.ArticleID == article {
			s.list = append(s.list, n)
		}
	}
	slices.SortStableFunc(s.list, comparePosition)
}

// comparePosition orders annotations by place in the text.
func comparePosition(a, b annotations.Annotation) int {
	return cmp.Or(
		cmp.Compare(a.Target.Start, b.Target.Start),
		cmp.Compare(a.Target.End, b.Target.End),
		a.CreatedAt.Compare(b.CreatedAt),
		slices.Compare(a.ID[:], b.ID[:]),
	)
}

// index returns the position of the annotation with that ID, or -1.
func (s *noteSet) index(id uuid.UUID) int {
	if id == uuid.Nil {
		return -1
	}
	for i := range s.list {
		if s.list[i].ID == id {
			return i
		}
	}
	return -1
}

// get returns the annotation with that ID, or nil.
func (s *noteSet) get(id uuid.UUID) *annotations.Annotation {
	if i := s.index(id); i >= 0 {
		return &s.list[i]
	}
	return nil
}

// noteDelta is what applying changes did to a noteSet.
type noteDelta struct {
	// put are the annotations added or changed (as they are now); removed
	// the IDs of those that left the set (to the trash).
	put     []annotations.Annotation
	removed []uuid.UUID
}

func (d noteDelta) empty() bool { return len(d.put) == 0 && len(d.removed) == 0 }

// apply brings the set in line with changes; changes of other articles are
// ignored.
func (s *noteSet) apply(changes []annotations.AnnotationChange) noteDelta {
	var d noteDelta
	for _, c := range changes {
		a := c.After
		if a.ArticleID != s.article {
			continue
		}
		if i := s.index(a.ID); i >= 0 {
			s.list = slices.Delete(s.list, i, i+1)
			if a.Trashed() {
				d.removed = append(d.removed, a.ID)
				continue
			}
		} else if a.Trashed() {
			continue
		}
		i, _ := slices.BinarySearchFunc(s.list, a, comparePosition)
		s.list = slices.Insert(s.list, i, a)
		d.put = append(d.put, a)
	}
	return d
}

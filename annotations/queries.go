package annotations

import (
	"cmp"
	"slices"

	"github.com/google/uuid"
)

// ArticleSummary is an article in a listing, with its number of highlights
// (not counting those in the trash).
type ArticleSummary struct {
	Article
	Highlights int `json:"highlights"`
}

// Articles lists the library's articles (not those in the trash), most
// recently changed first.
func (s *Service) Articles() ([]ArticleSummary, error) {
	var out []ArticleSummary
	err := s.store.View(func(r Reader) error {
		counts, err := r.ArticleCounts()
		if err != nil {
			return err
		}
		return r.Articles(func(a Article) error {
			if a.Trashed() {
				return nil
			}
			out = append(out, ArticleSummary{Article: a, Highlights: counts[a.ID]})
			return nil
		})
	})
	slices.SortStableFunc(out, func(a, b ArticleSummary) int {
		return b.UpdatedAt.Compare(a.UpdatedAt)
	})
	return out, err
}

// Article returns one article with its text.
func (s *Service) Article(id uuid.UUID) (Article, error) {
	var a Article
	err := s.store.View(func(r Reader) (err error) {
		if a, err = r.Article(id); err != nil {
			return err
		}
		a.Text, err = r.ArticleText(id)
		return err
	})
	return a, err
}

// ArticleMeta returns one article without its text.
func (s *Service) ArticleMeta(id uuid.UUID) (Article, error) {
	var a Article
	err := s.store.View(func(r Reader) (err error) {
		a, err = r.Article(id)
		return err
	})
	return a, err
}

// NotesQuery selects annotations. The zero value selects every annotation
// that is not in the trash.
type NotesQuery struct {
	// ArticleID, when not nil, keeps only that article's annotations.
	ArticleID *uuid.UUID
	// Tags keeps annotations that carry every one of these tags.
	Tags []string
	// Colors keeps annotations of any of these colours.
	Colors []Color
	// Author, when not "", keeps the annotations of that author (compared
	// by AuthorKey: case, accents and spacing do not matter).
	Author string
	// Trash selects the annotations in the trash instead.
	Trash bool
	// WithTrash selects both.
	WithTrash bool
}

func (q NotesQuery) match(a Annotation) bool {
	if !q.WithTrash && a.Trashed() != q.Trash {
		return false
	}
	if q.ArticleID != nil && a.ArticleID != *q.ArticleID {
		return false
	}
	for _, t := range q.Tags {
		if !HasTag(a.Tags, t) {
			return false
		}
	}
	if q.Author != "" && !SameAuthor(a.Author, q.Author) {
		return false
	}
	return len(q.Colors) == 0 || slices.Contains(q.Colors, a.Color)
}

// Notes lists the annotations q selects, by article (oldest article first)
// and then by position in the article.
func (s *Service) Notes(q NotesQuery) ([]Annotation, error) {
	var out []Annotation
	collect := func(a Annotation) error {
		if q.match(a) {
			out = append(out, a)
		}
		return nil
	}
	err := s.store.View(func(r Reader) error {
		switch {
		case q.ArticleID != nil:
			return r.ArticleAnnotations(*q.ArticleID, collect)
		case len(q.Tags) > 0:
			return r.TaggedAnnotations(q.Tags[0], collect)
		default:
			return r.Annotations(collect)
		}
	})
	sortByPosition(out)
	return out, err
}

// sortByPosition orders annotations by article ID (UUIDv7: the order the
// articles were added), then start offset, then creation.
func sortByPosition(as []Annotation) {
	slices.SortStableFunc(as, func(a, b Annotation) int {
		return cmp.Or(
			slices.Compare(a.ArticleID[:], b.ArticleID[:]),
			cmp.Compare(a.Target.Start, b.Target.Start),
			cmp.Compare(a.Target.End, b.Target.End),
			a.CreatedAt.Compare(b.CreatedAt),
		)
	})
}

// Annotation returns one annotation, trashed or not.
func (s *Service) Annotation(id uuid.UUID) (Annotation, error) {
	var a Annotation
	err := s.store.View(func(r Reader) (err error) {
		a, err = r.Annotation(id)
		return err
	})
	return a, err
}

// ResolveArticle turns an ID or unique ID prefix into an article ID.
func (s *Service) ResolveArticle(prefix string) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.store.View(func(r Reader) (err error) {
		id, err = r.ResolveArticle(prefix)
		return err
	})
	return id, err
}

// ResolveAnnotation turns an ID or unique ID prefix into an annotation ID.
func (s *Service) ResolveAnnotation(prefix string) (uuid.UUID, error) {
	var id uuid.UUID
	err := s.store.View(func(r Reader) (err error) {
		id, err = r.ResolveAnnotation(prefix)
		return err
	})
	return id, err
}

// TagCount is a tag with the number of annotations (not in the trash) that
// carry it.
type TagCount struct {
	Tag   string `json:"tag"`
	Count int    `json:"count"`
}

// Tags lists the tags in use, most used first, then alphabetically. Tags
// that differ only in case, accents or spacing are one tag (TagKey), shown
// as first typed.
func (s *Service) Tags() ([]TagCount, error) {
	var out []TagCount
	err := s.store.View(func(r Reader) (err error) {
		out, err = r.TagCounts()
		return err
	})
	slices.SortFunc(out, func(a, b TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(TagKey(a.Tag), TagKey(b.Tag)))
	})
	return out, err
}

// Setting returns one of the library's own settings ("" when unset).
func (s *Service) Setting(name string) (string, error) {
	var v string
	err := s.store.View(func(r Reader) (err error) {
		v, err = r.Setting(name)
		return err
	})
	return v, err
}

// SetSetting sets one of the library's own settings; "" removes it.
// Settings are this device's (an author name, the sync remote): they are
// neither exported nor synced, and publish no event.
func (s *Service) SetSetting(name, value string) error {
	return s.store.Update(func(w Writer) error { return w.SetSetting(name, value) })
}

package annotations

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// Service carries out Gloss's use cases on a Store. It is safe for use by
// several goroutines. It keeps an undo history of the changes made to
// annotations through it (not of other processes' changes).
type Service struct {
	store Store
	// Now returns the current time; tests replace it.
	Now func() time.Time
	// NewID returns a fresh ID; tests may replace it.
	NewID func() uuid.UUID
	// ImportBatch is how many annotations a large import (ImportStream)
	// writes per transaction; 0 means the default, importBatch. Tests
	// make it small to cross many commits.
	ImportBatch int

	mu      sync.Mutex
	history history
	feed    feed
}

// NewService returns a Service working on store.
func NewService(store Store) *Service {
	return &Service{
		store: store,
		Now:   time.Now,
		NewID: func() uuid.UUID { return uuid.Must(uuid.NewV7()) },
	}
}

func (s *Service) now() time.Time {
	return s.Now().UTC().Truncate(time.Millisecond)
}

// NewArticle is an article as read from a file, before it is in the library.
type NewArticle struct {
	Title  string
	Source string
	Format Format
	Text   string
	// Citation is what the file says of the article's authors, year, DOI
	// and address; parts that do not check out are left out.
	Citation Citation
	// File and Layout, for a paged article (a PDF), are the file it was
	// read from and where Text sits on its pages; Text must be normalised
	// already (NormalizeText leaves it as it is), since the layout has one
	// box per rune of it.
	File   []byte
	Layout *PageLayout
	// Structure is how Text was set out where it came from (see
	// Structure); nil for none. It must fit Text as normalised.
	Structure *Structure
	// Images are the pictures that came with the article, by ImageKey;
	// the structure's image spans name them.
	Images map[string][]byte
}

// AddArticle adds an article to the library. When the library already holds
// an article with the same (normalised) text, it returns that one and
// created is false.
func (s *Service) AddArticle(in NewArticle) (a Article, created bool, err error) {
	added, err := s.AddArticles([]NewArticle{in})
	if err != nil {
		return Article{}, false, err
	}
	return added[0].Article, added[0].Created, nil
}

// Added is one result of AddArticles.
type Added struct {
	Article Article
	// Created is false when the library already held the same text.
	Created bool
}

// AddArticles adds several articles in one transaction: all of them or, on
// any error, none. The results are in the order of in; an article whose text
// the library (or an earlier one of in) already holds comes back as that
// article with Created false.
func (s *Service) AddArticles(in []NewArticle) ([]Added, error) {
	prepared := make([]Article, len(in))
	structures := make([]*Structure, len(in)) // with the pictures' sizes
	images := make([]map[string][]byte, len(in))
	for i, na := range in {
		title, text, err := normalizeArticle(na.Title, na.Source, na.Text)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", describeSource(na), err)
		}
		if strings.TrimSpace(text) == "" {
			return nil, fmt.Errorf("%w: %s has no text", ErrInvalidArticle, describeSource(na))
		}
		if !na.Format.Valid() {
			return nil, fmt.Errorf("%w: %s: unknown format %s", ErrInvalidArticle, describeSource(na), QuoteInput(string(na.Format)))
		}
		if (na.Format == FormatPDF) != (na.Layout != nil) {
			return nil, fmt.Errorf("%w: %s: a PDF article, and only one, comes with its pages", ErrInvalidArticle, describeSource(na))
		}
		if na.Layout != nil {
			if text != na.Text {
				return nil, fmt.Errorf("%w: %s: the text of a paged article must be given normalised", ErrInvalidArticle, describeSource(na))
			}
			if err := checkLayout(na.Layout, text); err != nil {
				return nil, fmt.Errorf("%s: %w", describeSource(na), err)
			}
		}
		if structures[i], images[i], err = keptStructure(na, text); err != nil {
			return nil, fmt.Errorf("%s: %w", describeSource(na), err)
		}
		prepared[i] = Article{Title: title, Source: na.Source, Format: na.Format, Hash: HashText(text), Text: text,
			Citation: readCitation(na.Citation)}
	}
	var out []Added
	var restored []AnnotationChange
	var restoredIDs []uuid.UUID
	err := s.store.Update(func(w Writer) error {
		out = make([]Added, 0, len(in))
		restored, restoredIDs = nil, nil
		for i, a := range prepared {
			existing, err := w.ArticleByHash(a.Hash)
			if err == nil {
				// Added again: the structure it was first added without
				// (by an earlier Gloss) is kept now.
				if err := keepStructure(w, existing.ID, structures[i], images[i], true); err != nil {
					return err
				}
			}
			if err == nil && existing.Trashed() {
				// Added again: it comes back from the trash, with the
				// highlights that went there with it.
				back, changes, err := trashArticle(w, existing.ID, false, s.now())
				if err != nil {
					return err
				}
				restored = append(restored, changes...)
				restoredIDs = append(restoredIDs, back.ID)
				out = append(out, Added{Article: back})
				continue
			}
			if err == nil {
				out = append(out, Added{Article: existing})
				continue
			}
			if !errors.Is(err, ErrNotFound) {
				return err
			}
			now := s.now()
			a.ID, a.AddedAt, a.UpdatedAt = s.NewID(), now, now
			if err := w.PutArticle(a); err != nil {
				return err
			}
			if l := in[i].Layout; l != nil {
				if err := w.PutArticleFile(a.ID, in[i].File, *l); err != nil {
					return err
				}
			}
			if err := keepStructure(w, a.ID, structures[i], images[i], false); err != nil {
				return err
			}
			a.Text = ""
			out = append(out, Added{Article: a, Created: true})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ev := Event{Op: OpAddArticles, Annotations: restored}
	for _, a := range out {
		if a.Created {
			ev.Articles = append(ev.Articles, ArticleChange{ID: a.Article.ID, Created: true})
		}
	}
	for _, id := range restoredIDs {
		ev.Articles = append(ev.Articles, ArticleChange{ID: id})
	}
	s.publish(ev)
	return out, nil
}

func describeSource(na NewArticle) string {
	if na.Source != "" {
		return QuoteInput(na.Source)
	}
	return "the article"
}

// HighlightRequest describes a new highlight. Either Quote (with Nth, the
// 1-based occurrence, 0 meaning 1) or the rune range Start–End picks the
// passage.
type HighlightRequest struct {
	ArticleID  uuid.UUID
	Quote      string
	Nth        int
	Start, End int
	Color      Color
	Note       string
	Tags       []string
}

// Highlight creates an annotation on a passage of an article, by this
// device's author (Service.Author, read in the same transaction).
// Highlighting a passage that already has a highlight (the same range, not
// orphaned, not in the trash) does not stack a second one: that highlight
// takes the new colour, the tags are added to it and the note, when given,
// is added to its note; it keeps its author and comes back as stored.
func (s *Service) Highlight(req HighlightRequest) (Annotation, error) {
	color := req.Color
	if color == "" {
		color = DefaultColor
	}
	if !color.Valid() {
		return Annotation{}, fmt.Errorf("%w: %s", ErrInvalidColor, QuoteInput(string(color)))
	}
	if err := checkText("the quote", req.Quote); err != nil {
		return Annotation{}, err
	}
	tags, err := NormalizeTags(req.Tags)
	if err != nil {
		return Annotation{}, err
	}
	note, err := normalizeNote(req.Note)
	if err != nil {
		return Annotation{}, err
	}
	var ann Annotation
	var before *Annotation
	err = s.store.Update(func(w Writer) error {
		before = nil
		if art, err := w.Article(req.ArticleID); err != nil {
			return fmt.Errorf("article %s: %w", req.ArticleID, err)
		} else if art.Trashed() {
			return fmt.Errorf("%w: %s (restore it first)", ErrArticleTrashed, req.ArticleID)
		}
		text, err := w.ArticleText(req.ArticleID)
		if err != nil {
			return fmt.Errorf("article %s: %w", req.ArticleID, err)
		}
		start, end := req.Start, req.End
		if req.Quote != "" {
			if req.Nth < 0 {
				return fmt.Errorf("occurrence number must be 1 or more, not %d", req.Nth)
			}
			nth := max(req.Nth, 1) // 0: the first
			start, end, err = anchor.Find(text, NormalizeText(req.Quote), nth)
			if err != nil {
				return err
			}
		}
		target, err := anchor.Capture(text, start, end)
		if err != nil {
			return err
		}
		if err := placeOnPages(w, req.ArticleID, &target); err != nil {
			return err
		}
		now := s.now()
		same, err := highlightAt(w, req.ArticleID, target.Start, target.End)
		if err != nil {
			return err
		}
		if same != nil {
			b := same.Clone()
			before = &b
			ann = *same
			ann.Color = color
			if note != "" && note != ann.Note {
				if ann.Note != "" {
					note = ann.Note + "\n\n" + note
				}
				if ann.Note, err = normalizeNote(note); err != nil {
					return err
				}
			}
			if ann.Tags, err = NormalizeTags(append(slices.Clone(ann.Tags), tags...)); err != nil {
				return err
			}
			ann.UpdatedAt = now
			return w.PutAnnotation(ann)
		}
		// A new highlight is this device's author's; one highlighted
		// again (above) keeps the author who made it.
		author, err := deviceAuthor(w)
		if err != nil {
			return err
		}
		ann = Annotation{
			ID: s.NewID(), ArticleID: req.ArticleID, Color: color, Note: note,
			Tags: tags, Author: author, Status: StatusAnchored, Target: target,
			CreatedAt: now, UpdatedAt: now,
		}
		return w.PutAnnotation(ann)
	})
	if err != nil {
		return Annotation{}, err
	}
	c := change{before: before, after: ann.Clone()}
	s.record(c)
	s.publish(annotationEvent(OpHighlight, []change{c}))
	return ann, nil
}

// errFound stops a scan that found what it looked for.
var errFound = errors.New("found")

// highlightAt returns the article's highlight on exactly [start, end) —
// attached (not orphaned) and not in the trash — or nil. It reads the
// places from the index, and only the highlight found.
func highlightAt(r Reader, articleID uuid.UUID, start, end int) (*Annotation, error) {
	var found uuid.UUID
	err := r.ArticleSpans(articleID, func(s Span) error {
		if !s.Trashed && !s.Orphaned && s.Start == start && s.End == end {
			found = s.ID
			return errFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, errFound) {
		return nil, err
	}
	if found == uuid.Nil {
		return nil, nil
	}
	a, err := r.Annotation(found)
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// Change describes an edit of an annotation; nil or empty fields are left
// as they are. Tags, when not nil, replaces all tags; AddTags and RemoveTags
// then apply on top.
type Change struct {
	Note       *string
	Color      *Color
	Tags       *[]string
	AddTags    []string
	RemoveTags []string
	// Target re-attaches the annotation to a new passage (an orphan, say):
	// the rune range [Start, End) of the article's current text.
	Target *[2]int
}

// Edit changes an annotation and returns it as stored.
func (s *Service) Edit(id uuid.UUID, c Change) (Annotation, error) {
	var before, after Annotation
	err := s.store.Update(func(w Writer) error {
		a, err := w.Annotation(id)
		if err != nil {
			return fmt.Errorf("annotation %s: %w", id, err)
		}
		if a.Trashed() {
			return fmt.Errorf("%w: %s (restore it first)", ErrTrashed, id)
		}
		before = a.Clone()
		if c.Note != nil {
			if a.Note, err = normalizeNote(*c.Note); err != nil {
				return err
			}
		}
		if c.Color != nil {
			if !c.Color.Valid() {
				return fmt.Errorf("%w: %s", ErrInvalidColor, QuoteInput(string(*c.Color)))
			}
			a.Color = *c.Color
		}
		tags := a.Tags
		if c.Tags != nil {
			tags = *c.Tags
		}
		tags = append(slices.Clone(tags), c.AddTags...)
		if tags, err = normalizeTags(tags); err != nil {
			return err
		}
		for _, rm := range c.RemoveTags {
			tags = slices.DeleteFunc(tags, func(t string) bool { return HasTag([]string{t}, rm) })
		}
		// One that has more tags already (from before the limit) may keep
		// them, but gets no more.
		if len(tags) > MaxTags && len(tags) > len(a.Tags) {
			return tooManyTags()
		}
		a.Tags = tags
		if c.Target != nil {
			text, err := w.ArticleText(a.ArticleID)
			if err != nil {
				return err
			}
			if a.Target, err = anchor.Capture(text, c.Target[0], c.Target[1]); err != nil {
				return err
			}
			if err := placeOnPages(w, a.ArticleID, &a.Target); err != nil {
				return err
			}
			a.Status, a.Previous = StatusAnchored, ""
		}
		a.UpdatedAt = s.now()
		after = a
		return w.PutAnnotation(a)
	})
	if err != nil {
		return Annotation{}, err
	}
	ch := change{before: &before, after: after.Clone()}
	s.record(ch)
	s.publish(annotationEvent(OpEdit, []change{ch}))
	return after, nil
}

// Trash moves an annotation to the trash.
func (s *Service) Trash(id uuid.UUID) (Annotation, error) { return s.setOne(id, true) }

// Restore takes an annotation out of the trash.
func (s *Service) Restore(id uuid.UUID) (Annotation, error) { return s.setOne(id, false) }

func (s *Service) setOne(id uuid.UUID, trashed bool) (Annotation, error) {
	out, err := s.SetTrashed([]uuid.UUID{id}, trashed)
	if err != nil {
		return Annotation{}, err
	}
	return out[0], nil
}

// SetTrashed moves annotations to the trash (trashed true) or out of it, in
// one transaction, as one step of the undo history. It returns them as
// stored.
func (s *Service) SetTrashed(ids []uuid.UUID, trashed bool) ([]Annotation, error) {
	var out []Annotation
	var step []change
	err := s.store.Update(func(w Writer) error {
		out, step = nil, nil
		now := s.now()
		var changed []Annotation
		done := map[uuid.UUID]int{} // an ID given twice: its result once more
		for _, id := range ids {
			if i, ok := done[id]; ok {
				out = append(out, out[i])
				continue
			}
			a, err := w.Annotation(id)
			if err != nil {
				return fmt.Errorf("annotation %s: %w", id, err)
			}
			done[id] = len(out)
			if a.Trashed() == trashed {
				out = append(out, a)
				continue
			}
			before := a.Clone()
			a.UpdatedAt = now
			if trashed {
				a.DeletedAt = &now
			} else {
				a.DeletedAt = nil
			}
			changed = append(changed, a)
			out = append(out, a)
			step = append(step, change{before: &before, after: a.Clone()})
		}
		// One batch: the store's indexes change once for all of them.
		return w.PutAnnotations(changed)
	})
	if err != nil {
		return nil, err
	}
	s.record(step...)
	op := OpRestore
	if trashed {
		op = OpTrash
	}
	s.publish(annotationEvent(op, step))
	return out, nil
}

// SetColorLabel gives a colour a meaning ("key claim"); an empty label
// removes it.
func (s *Service) SetColorLabel(c Color, label string) error {
	return s.SetColorLabels(ColorLabels{c: label})
}

// SetColorLabels changes the meanings of the colours in labels, in one
// transaction; an empty label removes that colour's meaning, and colours
// not in labels keep theirs.
func (s *Service) SetColorLabels(labels ColorLabels) error {
	clean := ColorLabels{}
	for c, label := range labels {
		if !c.Valid() {
			return fmt.Errorf("%w: %s", ErrInvalidColor, QuoteInput(string(c)))
		}
		if err := checkText("the colour meaning", label); err != nil {
			return err
		}
		label = strings.Join(strings.Fields(NormalizeText(label)), " ")
		if utf8.RuneCountInString(label) > MaxColorLabel {
			return fmt.Errorf("a colour meaning can be at most %d characters", MaxColorLabel)
		}
		clean[c] = label
	}
	err := s.store.Update(func(w Writer) error {
		stored, err := w.ColorLabels()
		if err != nil {
			return err
		}
		for c, label := range clean {
			if label == "" {
				delete(stored, c)
			} else {
				stored[c] = label
			}
		}
		return w.SetColorLabels(stored)
	})
	if err == nil {
		s.publish(Event{Op: OpLabels, Labels: true})
	}
	return err
}

// MaxColorLabel is the longest colour meaning accepted, in runes.
const MaxColorLabel = 60

// ColorLabels returns the colour meanings of the library.
func (s *Service) ColorLabels() (ColorLabels, error) {
	var labels ColorLabels
	err := s.store.View(func(r Reader) (err error) {
		labels, err = r.ColorLabels()
		return err
	})
	return labels, err
}

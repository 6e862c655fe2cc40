package sync

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
)

// notYet is returned when a segment needs a record another device sent
// (an article's text, the article of an annotation) that is not here yet.
type notYet struct{ what string }

func (e *notYet) Error() string {
	return "waiting for " + e.what + " from another device's segment"
}

// merger merges one segment into the library, in one transaction.
type merger struct {
	w   annotations.ReplicaWriter
	now time.Time
	// changed counts the records that changed the library.
	changed int
	// revised are the articles whose text a record replaced: annotations
	// made on the earlier text are re-anchored after.
	revised map[uuid.UUID]bool
	texts   map[uuid.UUID]*anchor.Text
}

// kindOrder merges colour meanings, then articles, then annotations (an
// annotation needs its article).
func kindOrder(r Record) int {
	switch r.Kind {
	case "labels":
		return 0
	case "article":
		return 1
	}
	return 2
}

func (m *merger) merge(seg Segment) error {
	records := slices.Clone(seg.Records)
	slices.SortStableFunc(records, func(a, b Record) int { return kindOrder(a) - kindOrder(b) })
	var batch []annotations.Annotation
	var stamps []annotations.Stamp
	for _, r := range records {
		var err error
		switch r.Kind {
		case "labels":
			err = m.labels(r)
		case "article":
			err = m.article(r)
		case "annotation":
			var a *annotations.Annotation
			a, err = m.annotation(r)
			if a != nil {
				batch = append(batch, *a)
				stamps = append(stamps, r.Stamp)
			}
		}
		if err != nil {
			var wait *notYet
			if errors.As(err, &wait) {
				return err
			}
			return fmt.Errorf("%s %s: %w", r.Kind, r.ID, err)
		}
	}
	if len(batch) > 0 {
		if err := m.w.Remote().PutAnnotations(batch); err != nil {
			return err
		}
		for i, a := range batch {
			if err := m.w.SetStamp(annotations.RecordAnnotation, a.ID, stamps[i]); err != nil {
				return err
			}
		}
		m.changed += len(batch)
	}
	return m.reanchorRevised()
}

func (m *merger) labels(r Record) error {
	own, err := m.w.Stamp(annotations.RecordLabels, uuid.Nil)
	if err != nil || !r.Stamp.Newer(own) {
		return err
	}
	labels := annotations.ColorLabels{}
	for c, l := range r.Labels {
		if !c.Valid() || utf8.RuneCountInString(l) > 200 {
			return fmt.Errorf("colour meaning %s", annotations.QuoteInput(string(c)))
		}
		labels[c] = l
	}
	if err := m.w.Remote().SetColorLabels(labels); err != nil {
		return err
	}
	m.changed++
	return m.w.SetStamp(annotations.RecordLabels, uuid.Nil, r.Stamp)
}

// alias returns the article an article ID stands for here: itself, or the
// article with the same text it was found to be one with.
func (m *merger) alias(id uuid.UUID) (uuid.UUID, bool, error) {
	aliased := false
	// One with an article that is one with another…: a short chain.
	for range 16 {
		v, err := m.w.Marked(markAlias, id[:])
		if err != nil || len(v) != 16 || uuid.UUID(v) == id {
			return id, aliased, err
		}
		id, aliased = uuid.UUID(v), true
	}
	return id, aliased, nil
}

func (m *merger) article(r Record) error {
	if _, aliased, err := m.alias(r.ID); err != nil || aliased {
		// One with another article here: that one's versions count.
		return err
	}
	own, err := m.w.Stamp(annotations.RecordArticle, r.ID)
	if err != nil || own.Deleted {
		// An article deleted for good stays deleted, whatever the
		// stamps: the same on every device.
		return err
	}
	if r.Stamp.Deleted {
		return m.deleteArticle(r)
	}
	in, err := annotations.CheckArticle(*r.Article)
	if err != nil {
		return err
	}
	local, err := m.w.Article(r.ID)
	if errors.Is(err, annotations.ErrNotFound) {
		return m.newArticle(r, in)
	}
	if err != nil {
		return err
	}
	remote := m.w.Remote()
	if r.Stamp.Newer(own) {
		// The metadata; the text stays as it is here.
		meta := in
		meta.Text, meta.Hash = "", local.Hash
		if err := remote.PutArticle(meta); err != nil {
			return err
		}
		if err := m.w.SetStamp(annotations.RecordArticle, r.ID, r.Stamp); err != nil {
			return err
		}
		local, m.changed = meta, m.changed+1
	}
	if r.TextStamp == nil {
		return nil
	}
	ownText, err := m.w.Stamp(annotations.RecordText, r.ID)
	if err != nil || !r.TextStamp.Newer(ownText) {
		return err
	}
	// A revised text: the metadata as it is here, with it.
	local.Text = in.Text
	if err := remote.PutArticle(local); err != nil {
		return err
	}
	if err := m.putText(remote, r, in); err != nil {
		return err
	}
	m.revised[r.ID] = true
	delete(m.texts, r.ID)
	m.changed++
	return m.w.SetStamp(annotations.RecordText, r.ID, *r.TextStamp)
}

// newArticle adds an article another device sent, or, when an article
// here has its text, makes the two one.
func (m *merger) newArticle(r Record, in annotations.Article) error {
	if r.TextStamp == nil {
		return &notYet{what: "the text of article " + annotations.QuoteInput(in.Title)}
	}
	var moved []annotations.Annotation
	other, err := m.w.ArticleByHash(in.Hash)
	switch {
	case err == nil && bytes.Compare(other.ID[:], r.ID[:]) < 0:
		// The same text was added here under a smaller ID: that article
		// is the one; this ID stands for it. This device deletes it
		// (sending that it is one with the other), so that every device
		// makes the two one — even one where the text has changed since.
		if err := m.w.Mark(markAlias, r.ID[:], other.ID[:]); err != nil {
			return err
		}
		if err := m.w.SeeClock(r.Stamp.Clock); err != nil {
			return err
		}
		return m.w.Tombstone(annotations.RecordArticle, r.ID)
	case err == nil:
		// Here under a greater ID: it folds into this one.
		if moved, err = m.fold(other.ID, r.ID); err != nil {
			return err
		}
	case !errors.Is(err, annotations.ErrNotFound):
		return err
	}
	remote := m.w.Remote()
	if err := remote.PutArticle(in); err != nil {
		return err
	}
	if err := m.putText(remote, r, in); err != nil {
		return err
	}
	if err := m.w.SetStamp(annotations.RecordArticle, r.ID, r.Stamp); err != nil {
		return err
	}
	if err := m.w.SetStamp(annotations.RecordText, r.ID, *r.TextStamp); err != nil {
		return err
	}
	m.changed++
	if len(moved) > 0 {
		// This device's move: sent with new stamps.
		if err := m.w.PutAnnotations(moved); err != nil {
			return err
		}
		m.changed += len(moved)
	}
	return nil
}

// putText stores what came with an article's text: structure, pictures,
// PDF file and layout, each checked as the library checks its own.
func (m *merger) putText(w annotations.Writer, r Record, in annotations.Article) error {
	n := utf8.RuneCountInString(in.Text)
	if r.Structure != nil {
		if err := r.Structure.Check(n); err != nil {
			return err
		}
		if err := w.PutArticleStructure(in.ID, *r.Structure); err != nil {
			return err
		}
	}
	for key, data := range r.Images {
		if annotations.ImageKey(data) != key {
			return fmt.Errorf("a picture not named by its hash")
		}
		if _, _, err := annotations.CheckImage(data); err != nil {
			return err
		}
		if err := w.PutArticleImage(in.ID, key, data); err != nil {
			return err
		}
	}
	if r.File != nil || r.Layout != nil {
		var layout annotations.PageLayout
		if err := layout.UnmarshalBinary(r.Layout); err != nil {
			return err
		}
		if err := layout.Check(n); err != nil {
			return err
		}
		if err := w.PutArticleFile(in.ID, r.File, layout); err != nil {
			return err
		}
	}
	return nil
}

// fold makes the article from, here, one with into, which has the same
// text and a smaller ID: from is deleted (a tombstone sent from here,
// naming into) and its annotations are returned, moved to into, to put
// once into is stored.
func (m *merger) fold(from, into uuid.UUID) ([]annotations.Annotation, error) {
	var moved, trashed []annotations.Annotation
	if err := m.w.ArticleAnnotations(from, func(a annotations.Annotation) error {
		moved = append(moved, a.Clone())
		if !a.Trashed() {
			t := a.Clone()
			t.DeletedAt = &m.now
			trashed = append(trashed, t)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	if len(trashed) > 0 {
		if err := m.w.PutAnnotations(trashed); err != nil {
			return nil, err
		}
	}
	a, err := m.w.Article(from)
	if err != nil {
		return nil, err
	}
	if !a.Trashed() {
		a.DeletedAt = &m.now
		if err := m.w.PutArticle(a); err != nil {
			return nil, err
		}
	}
	if err := m.w.Mark(markAlias, from[:], into[:]); err != nil {
		return nil, err
	}
	if err := m.w.DeleteArticle(from); err != nil {
		return nil, err
	}
	for i := range moved {
		moved[i].ArticleID = into
	}
	// Annotations made on a revised text of from are put back on into's.
	m.revised[into] = true
	m.changed++
	return moved, nil
}

// deleteArticle deletes an article for good with its annotations, as
// another device did. A deletion that says the article was one with
// another (Into) moves this device's annotations there instead.
func (m *merger) deleteArticle(r Record) error {
	local, err := m.w.Article(r.ID)
	if errors.Is(err, annotations.ErrNotFound) {
		if r.Into != nil && *r.Into != r.ID {
			// Never here, but one with another article: what other
			// devices still send for it goes there.
			if err := m.w.Mark(markAlias, r.ID[:], r.Into[:]); err != nil {
				return err
			}
		}
		return m.w.SetStamp(annotations.RecordArticle, r.ID, r.Stamp)
	}
	if err != nil {
		return err
	}
	into := uuid.Nil
	if r.Into != nil {
		// The article it is one with may be one with another here.
		if into, _, err = m.alias(*r.Into); err != nil {
			return err
		}
		if gone, err := m.w.Stamp(annotations.RecordArticle, into); err != nil {
			return err
		} else if gone.Deleted || into == r.ID {
			into = uuid.Nil // deleted for good too: so is this one
		}
	}
	if into != uuid.Nil {
		if _, err := m.w.Article(into); err != nil {
			return &notYet{what: "the article " + annotations.QuoteInput(local.Title) + " is one with"}
		}
		moved, err := m.fold(r.ID, into)
		if err != nil {
			return err
		}
		if len(moved) > 0 {
			if err := m.w.PutAnnotations(moved); err != nil {
				return err
			}
		}
		m.changed += len(moved)
		return nil
	}
	remote := m.w.Remote()
	var ids []uuid.UUID
	var trash []annotations.Annotation
	if err := m.w.ArticleAnnotations(r.ID, func(a annotations.Annotation) error {
		ids = append(ids, a.ID)
		if !a.Trashed() {
			a.DeletedAt = &m.now
			trash = append(trash, a)
		}
		return nil
	}); err != nil {
		return err
	}
	if len(trash) > 0 {
		if err := remote.PutAnnotations(trash); err != nil {
			return err
		}
	}
	if !local.Trashed() {
		local.DeletedAt = &m.now
		if err := remote.PutArticle(local); err != nil {
			return err
		}
	}
	if err := remote.DeleteArticle(r.ID); err != nil {
		return err
	}
	for _, id := range ids {
		own, err := m.w.Stamp(annotations.RecordAnnotation, id)
		if err != nil {
			return err
		}
		gone := r.Stamp
		if own.Newer(gone) {
			gone = own
		}
		gone.Deleted = true
		if err := m.w.SetStamp(annotations.RecordAnnotation, id, gone); err != nil {
			return err
		}
	}
	m.changed += 1 + len(ids)
	delete(m.texts, r.ID)
	return m.w.SetStamp(annotations.RecordArticle, r.ID, r.Stamp)
}

// annotation merges one annotation record. It returns the annotation to
// put with the segment's Stamp, or nil when there is nothing to put that
// way (older than what is here, deleted, or moved here and put with this
// device's stamp).
func (m *merger) annotation(r Record) (*annotations.Annotation, error) {
	own, err := m.w.Stamp(annotations.RecordAnnotation, r.ID)
	if err != nil || !r.Stamp.Newer(own) {
		return nil, err
	}
	if r.Stamp.Deleted {
		a, err := m.w.Annotation(r.ID)
		if err == nil {
			remote := m.w.Remote()
			if !a.Trashed() {
				a.DeletedAt = &m.now
				if err := remote.PutAnnotations([]annotations.Annotation{a}); err != nil {
					return nil, err
				}
			}
			if err := remote.DeleteAnnotations([]uuid.UUID{r.ID}); err != nil {
				return nil, err
			}
			m.changed++
		} else if !errors.Is(err, annotations.ErrNotFound) {
			return nil, err
		}
		return nil, m.w.SetStamp(annotations.RecordAnnotation, r.ID, r.Stamp)
	}
	a, err := annotations.CheckAnnotation(*r.Annotation)
	if err != nil {
		return nil, err
	}
	articleID, aliased, err := m.alias(a.ArticleID)
	if err != nil {
		return nil, err
	}
	if gone, err := m.w.Stamp(annotations.RecordArticle, articleID); err != nil {
		return nil, err
	} else if gone.Deleted {
		// Its article was deleted for good: so is it, everywhere.
		r.Stamp.Deleted = true
		return nil, m.w.SetStamp(annotations.RecordAnnotation, r.ID, r.Stamp)
	}
	if _, err := m.w.Article(articleID); errors.Is(err, annotations.ErrNotFound) {
		return nil, &notYet{what: "the article of annotation " + annotations.QuoteInput(a.Target.Exact)}
	} else if err != nil {
		return nil, err
	}
	a.ArticleID = articleID
	text, err := m.text(articleID)
	if err != nil {
		return nil, err
	}
	local := aliased
	if !annotations.Fits(text, a) {
		// Made on another text of its article (one revised meanwhile).
		a = annotations.Reanchor(text, []annotations.Annotation{a}, m.now)[0]
		local = true
	}
	if !local {
		return &a, nil
	}
	// Changed here (moved to the article it is one with, or onto the
	// article's text as it is here): put as this device's change, after
	// the other's clock, so that it wins and is sent on.
	if err := m.w.SeeClock(r.Stamp.Clock); err != nil {
		return nil, err
	}
	if err := m.w.PutAnnotations([]annotations.Annotation{a}); err != nil {
		return nil, err
	}
	m.changed++
	return nil, nil
}

func (m *merger) text(id uuid.UUID) (*anchor.Text, error) {
	if t, ok := m.texts[id]; ok {
		return t, nil
	}
	s, err := m.w.ArticleText(id)
	if err != nil {
		return nil, err
	}
	t := anchor.NewText(s)
	if m.texts == nil {
		m.texts = map[uuid.UUID]*anchor.Text{}
	}
	m.texts[id] = t
	return t, nil
}

// reanchorRevised puts the annotations of articles whose text this
// segment replaced, and that were made on the earlier text, onto the new
// one: this device's change, sent on.
func (m *merger) reanchorRevised() error {
	ids := make([]uuid.UUID, 0, len(m.revised))
	for id := range m.revised {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	for _, id := range ids {
		text, err := m.text(id)
		if err != nil {
			return err
		}
		var stale []annotations.Annotation
		if err := m.w.ArticleAnnotations(id, func(a annotations.Annotation) error {
			if !annotations.Fits(text, a) {
				stale = append(stale, a)
			}
			return nil
		}); err != nil {
			return err
		}
		if len(stale) == 0 {
			continue
		}
		if err := m.w.PutAnnotations(annotations.Reanchor(text, stale, m.now)); err != nil {
			return err
		}
		m.changed += len(stale)
	}
	return nil
}

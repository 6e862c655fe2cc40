package annotations

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// Bundle is a self-contained set of articles (with their text) and
// annotations: what an export holds and what an import merges.
type Bundle struct {
	Articles    []Article
	Annotations []Annotation
}

// ExportFilter narrows an export. The zero value exports everything,
// annotations in the trash included (an export is a complete copy).
type ExportFilter struct {
	// ArticleIDs keeps these articles and their annotations.
	ArticleIDs []uuid.UUID
	// Tags keeps annotations carrying every one of these tags (and the
	// articles they are on).
	Tags []string
	// Colors keeps annotations of any of these colours.
	Colors []Color
	// Author, when not "", keeps that author's annotations (compared by
	// AuthorKey) and the articles they are on.
	Author string
	// SkipTrash leaves out annotations in the trash.
	SkipTrash bool
	// Only, when not nil, keeps just these annotations (a search's hits).
	Only map[uuid.UUID]bool
}

func (f ExportFilter) narrowsAnnotations() bool {
	return len(f.Tags) > 0 || len(f.Colors) > 0 || f.Author != "" || f.Only != nil
}

// Export gathers the articles and annotations f selects, with article
// texts, in a consistent snapshot: the articles in the order of their IDs,
// then their annotations, article by article, by position.
func (s *Service) Export(f ExportFilter) (Bundle, error) {
	var b Bundle
	err := s.ExportTo(f, bundleSink{&b})
	return b, err
}

// ExportSink takes an export as ExportTo reads it: every article first,
// then every annotation.
type ExportSink interface {
	Article(Article) error
	Annotation(Annotation) error
}

// bundleSink gathers an export into a Bundle.
type bundleSink struct{ b *Bundle }

func (s bundleSink) Article(a Article) error {
	s.b.Articles = append(s.b.Articles, a)
	return nil
}

func (s bundleSink) Annotation(a Annotation) error {
	s.b.Annotations = append(s.b.Annotations, a)
	return nil
}

// ExportTo hands what f selects to sink as it reads it, in Export's order,
// in one consistent snapshot: an export of a million annotations holds one
// article's text and one article's annotations at a time, never the whole
// library. An error from sink stops the export and is returned as it is.
func (s *Service) ExportTo(f ExportFilter, sink ExportSink) error {
	return s.store.View(func(r Reader) error {
		wanted := map[uuid.UUID]bool{}
		for _, id := range f.ArticleIDs {
			wanted[id] = true
		}
		q := NotesQuery{Tags: f.Tags, Colors: f.Colors, Author: f.Author, WithTrash: !f.SkipTrash}
		keep := func(a Annotation) bool {
			return (len(wanted) == 0 || wanted[a.ArticleID]) && q.match(a) && (f.Only == nil || f.Only[a.ID])
		}
		// The articles: the ones asked for, or all of them, in the order
		// of their IDs.
		var arts []Article
		if len(wanted) > 0 {
			ids := make([]uuid.UUID, 0, len(wanted))
			for id := range wanted {
				ids = append(ids, id)
			}
			slices.SortFunc(ids, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
			for _, id := range ids {
				a, err := r.Article(id)
				if err != nil {
					return err
				}
				arts = append(arts, a)
			}
		} else if err := r.Articles(func(a Article) error {
			arts = append(arts, a)
			return nil
		}); err != nil {
			return err
		}
		// A filter on the annotations keeps only the articles they are
		// on: a first pass finds those, reading only what the filter can
		// select (the articles' own annotations, or a tag's).
		if f.narrowsAnnotations() {
			used := map[uuid.UUID]bool{}
			mark := func(a Annotation) error {
				if keep(a) {
					used[a.ArticleID] = true
				}
				return nil
			}
			var err error
			switch {
			case len(wanted) > 0:
				for _, a := range arts {
					if err = r.ArticleAnnotations(a.ID, mark); err != nil {
						break
					}
				}
			case len(f.Tags) > 0:
				err = r.TaggedAnnotations(f.Tags[0], mark)
			default:
				err = r.Annotations(mark)
			}
			if err != nil {
				return err
			}
			arts = slices.DeleteFunc(arts, func(a Article) bool { return !used[a.ID] })
		}
		for _, a := range arts {
			text, err := r.ArticleText(a.ID)
			if err != nil {
				return err
			}
			a.Text = text
			if err := sink.Article(a); err != nil {
				return err
			}
		}
		var own []Annotation
		for _, art := range arts {
			own = own[:0]
			if err := r.ArticleAnnotations(art.ID, func(a Annotation) error {
				if keep(a) {
					own = append(own, a)
				}
				return nil
			}); err != nil {
				return err
			}
			sortByPosition(own)
			for _, a := range own {
				if err := sink.Annotation(a); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ImportReport says what an import did.
type ImportReport struct {
	ArticlesAdded, ArticlesUpdated, ArticlesSkipped          int
	AnnotationsAdded, AnnotationsUpdated, AnnotationsSkipped int
	// Reanchored counts annotations whose offsets did not fit the text and
	// were put back by their quote; Orphaned those whose quote was not found.
	Reanchored, Orphaned int
}

func (r ImportReport) String() string {
	s := fmt.Sprintf("articles: %d added, %d updated, %d skipped; annotations: %d added, %d updated, %d skipped",
		r.ArticlesAdded, r.ArticlesUpdated, r.ArticlesSkipped,
		r.AnnotationsAdded, r.AnnotationsUpdated, r.AnnotationsSkipped)
	if r.Reanchored > 0 || r.Orphaned > 0 {
		s += fmt.Sprintf(" (%d re-anchored by quote, %d orphaned)", r.Reanchored, r.Orphaned)
	}
	return s
}

// Import merges b into the library in one transaction: records are matched
// by ID (articles also by the hash of their text) and the one with the newer
// UpdatedAt wins. Annotations whose offsets do not fit their article's text
// are re-anchored by their quote, or orphaned. Any invalid record fails the
// whole import and leaves the library as it was.
func (s *Service) Import(b Bundle) (ImportReport, error) {
	return s.importSource(bundleSource{b})
}

// ImportStream merges what src holds into the library as Import merges a
// bundle — all or nothing, with the same checks, merging and report —
// reading src as it goes, in a goroutine of its own, a few hundred records
// ahead. With large set and a store that can (a LargeStore), the writes
// are committed in batches to a working copy of the library that replaces
// it at the end: memory stays bounded however large the file (a million
// annotations in one bbolt transaction take gigabytes), at the cost of
// copying the library once. Otherwise it is one transaction. Beyond that
// it keeps the IDs of the file's records, a batch of annotations to write
// (see importer.flush) and a few article texts. Any error, src's own
// included, leaves the library as it was.
func (s *Service) ImportStream(src ImportSource, large bool) (ImportReport, error) {
	ra := startReadAhead(src)
	defer ra.stop()
	if ls, ok := s.store.(LargeStore); ok && large {
		var rep ImportReport
		err := ls.UpdateLarge(func(w Writer, commit func() (Writer, error)) (err error) {
			rep, err = importFrom(w, ra, s.now(), commit, cmp.Or(s.ImportBatch, importBatch))
			return err
		})
		if err != nil {
			return ImportReport{}, err
		}
		s.publish(Event{Op: OpImport, Bulk: true})
		return rep, nil
	}
	return s.importSource(ra)
}

func (s *Service) importSource(src ImportSource) (ImportReport, error) {
	var rep ImportReport
	err := s.store.Update(func(w Writer) (err error) {
		rep, err = importFrom(w, src, s.now(), nil, 0)
		return err
	})
	if err != nil {
		return ImportReport{}, err
	}
	s.publish(Event{Op: OpImport, Bulk: true})
	return rep, nil
}

// importFrom runs an import in w. With commit (see LargeStore) it commits
// its writes every batch annotations or importBatchBytes of article text; without, everything is written in w's one transaction.
func importFrom(w Writer, src ImportSource, now time.Time, commit func() (Writer, error), batch int) (ImportReport, error) {
	var rep ImportReport
	im := importer{w: w, commit: commit, batch: batch, rep: &rep, now: now, ids: map[uuid.UUID]uuid.UUID{}, seen: map[uuid.UUID]struct{}{},
		sameText: map[uuid.UUID]bool{}, changed: map[uuid.UUID]bool{}, imported: map[uuid.UUID]struct{}{}}
	n := 0
	if err := src.Articles(func(a Article) error {
		n++
		if err := im.article(a); err != nil {
			return fmt.Errorf("%w: article %d (%s): %w", ErrInvalidImport, n, a.ID, err)
		}
		if im.written += len(a.Text); im.commit != nil && im.written >= importBatchBytes {
			return im.commitBatch()
		}
		return nil
	}); err != nil {
		return rep, err
	}
	n = 0
	if err := src.Annotations(func(a Annotation) error {
		n++
		if err := im.annotation(a); err != nil {
			return fmt.Errorf("%w: annotation %d (%s): %w", ErrInvalidImport, n, a.ID, err)
		}
		return nil
	}); err != nil {
		return rep, err
	}
	if err := im.flush(); err != nil {
		return rep, err
	}
	return rep, im.reanchorChanged()
}

// ExternalAnnotation is an annotation from another tool (or a W3C export):
// its article is named by Source — "urn:sha256:<hex>" of the text, or the
// URL the article came from — unless ArticleID already names one of ours.
type ExternalAnnotation struct {
	Annotation Annotation
	Source     string
}

// ImportExternal merges annotations made on articles already in the
// library, found by ID, by the hash of their text or by their URL, and put
// on the text by their quote (or their offsets when they carry no quote).
// It runs in one transaction, like Import; an annotation whose article is
// not in the library fails the whole import.
func (s *Service) ImportExternal(as []ExternalAnnotation) (ImportReport, error) {
	var rep ImportReport
	err := s.store.Update(func(w Writer) error {
		bySource := map[string]uuid.UUID{}
		if err := w.Articles(func(a Article) error {
			if a.Source != "" {
				bySource[a.Source] = a.ID
			}
			if a.URL != "" {
				bySource[a.URL] = a.ID // what a W3C export names it by
			}
			return nil
		}); err != nil {
			return err
		}
		b := Bundle{Annotations: make([]Annotation, 0, len(as))}
		now := s.now()
		for i, ext := range as {
			a := ext.Annotation
			id, err := resolveSource(w, a.ArticleID, ext.Source, bySource)
			if err != nil {
				return fmt.Errorf("%w: annotation %d (%s): %w", ErrInvalidImport, i+1, a.ID, err)
			}
			a.ArticleID = id
			if a.Target.Exact == "" {
				text, err := w.ArticleText(id)
				if err != nil {
					return err
				}
				rs := []rune(text)
				if a.Target.Start < 0 || a.Target.End > len(rs) || a.Target.Start >= a.Target.End {
					return fmt.Errorf("%w: annotation %d (%s): it has no quote and its offsets [%d, %d) are outside the text",
						ErrInvalidImport, i+1, a.ID, a.Target.Start, a.Target.End)
				}
				if a.Target, err = anchor.Capture(text, a.Target.Start, a.Target.End); err != nil {
					return err
				}
			}
			if a.CreatedAt.IsZero() {
				a.CreatedAt = now
			}
			b.Annotations = append(b.Annotations, a)
		}
		var err error
		rep, err = importFrom(w, bundleSource{b}, now, nil, 0)
		return err
	})
	if err != nil {
		return ImportReport{}, err
	}
	s.publish(Event{Op: OpImport, Bulk: true})
	return rep, nil
}

// resolveSource finds the library's article for an external annotation.
func resolveSource(w Writer, id uuid.UUID, source string, bySource map[string]uuid.UUID) (uuid.UUID, error) {
	if id != uuid.Nil {
		if _, err := w.Article(id); err == nil {
			return id, nil
		}
	}
	if hexHash, ok := strings.CutPrefix(source, "urn:sha256:"); ok {
		if a, err := w.ArticleByHash("sha256:" + strings.ToLower(hexHash)); err == nil {
			return a.ID, nil
		}
	} else if found, ok := bySource[source]; ok && source != "" {
		return found, nil
	}
	if source == "" {
		return uuid.Nil, errors.New("it names no article (no target source)")
	}
	return uuid.Nil, fmt.Errorf("its article %s is not in the library; add the article first", QuoteInput(source))
}

type importer struct {
	w   Writer
	rep *ImportReport
	now time.Time
	// sameText says, per article of the file (by the library's ID), that
	// the file's text is the library's: its annotations' offsets hold.
	sameText map[uuid.UUID]bool
	// commit, when not nil, commits what was written so far and gives the
	// writer to go on with; written counts the bytes of article text
	// written since the last commit.
	commit  func() (Writer, error)
	batch   int
	written int
	// ids maps an incoming article ID to the library's ID for it.
	ids map[uuid.UUID]uuid.UUID
	// texts caches a few article texts, prepared for anchoring (an export
	// lists the annotations of one article together).
	texts textCache
	// changed holds the articles whose text the import replaced, whose
	// other annotations must be re-anchored; imported the IDs of the
	// annotations the import wrote on them.
	changed  map[uuid.UUID]bool
	imported map[uuid.UUID]struct{}
	// paged says false for the articles met that have no pages.
	paged map[uuid.UUID]bool
	// pending holds the annotations to write, in chunks of pendingChunk
	// (a slice grown to a million annotations is copied a dozen times);
	// seen the IDs of all the file's annotations.
	pending  [][]Annotation
	npending int
	seen     map[uuid.UUID]struct{}
}

const pendingChunk = 4096

func (im *importer) add(a Annotation) error {
	if n := len(im.pending); n == 0 || len(im.pending[n-1]) == pendingChunk {
		im.pending = append(im.pending, make([]Annotation, 0, pendingChunk))
	}
	last := &im.pending[len(im.pending)-1]
	*last = append(*last, a)
	im.npending++
	if im.commit != nil && im.npending >= im.batch {
		return im.commitBatch()
	}
	return nil
}

const (
	// importBatch and importBatchBytes bound what one transaction of a
	// large import writes: about 50 MB of records and index entries. The
	// batches' count matters little (100,000 annotations in batches of
	// 50,000 or 100,000 took the same time); their size is memory.
	importBatch      = 50_000
	importBatchBytes = 64 << 20
)

// commitBatch writes the pending annotations and commits (a large import).
func (im *importer) commitBatch() error {
	if err := im.flush(); err != nil {
		return err
	}
	w, err := im.commit()
	if err != nil {
		return err
	}
	im.w, im.written = w, 0
	return nil
}

// flush writes the pending annotations, in one call of PutAnnotations:
// the writes to each bucket go in key order (see Writer.PutAnnotations)
// only within one call. Written in several calls, each adding keys all
// over a bucket, they cost bbolt a copy of the growing page per key until
// the commit splits it: an import of 100,000 annotations in calls of 8,192
// took 27 s, in one call 6 s, and a million grows that quadratically.
func (im *importer) flush() error {
	if im.npending == 0 {
		return nil
	}
	all := make([]Annotation, 0, im.npending)
	for i, c := range im.pending {
		all = append(all, c...)
		im.pending[i] = nil
	}
	im.pending, im.npending = nil, 0
	return im.w.PutAnnotations(all)
}

// textCache keeps the article texts used last, prepared for anchoring: at
// most textCacheLen, and no more than textCacheBytes of them but the last.
type textCache struct {
	entries []textEntry // most recently used first
}

type textEntry struct {
	id   uuid.UUID
	text *anchor.Text
	size int
}

const (
	textCacheLen   = 4
	textCacheBytes = 64 << 20
)

func (c *textCache) get(id uuid.UUID) *anchor.Text {
	for i, e := range c.entries {
		if e.id == id {
			copy(c.entries[1:i+1], c.entries[:i])
			c.entries[0] = e
			return e.text
		}
	}
	return nil
}

func (c *textCache) put(id uuid.UUID, s string) *anchor.Text {
	t := anchor.NewText(s)
	e := textEntry{id: id, text: t, size: len(s) + 4*t.Len()}
	kept := []textEntry{e}
	total := e.size
	for _, old := range c.entries {
		if old.id != id && len(kept) < textCacheLen && total+old.size <= textCacheBytes {
			kept = append(kept, old)
			total += old.size
		}
	}
	c.entries = kept
	return t
}

func (im *importer) article(in Article) error {
	if in.ID == uuid.Nil {
		return errors.New("missing id")
	}
	if _, dup := im.ids[in.ID]; dup {
		return errors.New("the file holds this article twice")
	}
	if in.Format == "" {
		in.Format = FormatText
	}
	in, err := CheckArticle(in)
	if err != nil {
		return err
	}
	if in.Text == "" {
		return errors.New("no text")
	}
	text := in.Text

	existing, err := im.w.Article(in.ID)
	switch {
	case err == nil:
		im.ids[in.ID] = in.ID
		if !in.UpdatedAt.After(existing.UpdatedAt) {
			im.sameText[in.ID] = existing.Hash == in.Hash
			im.rep.ArticlesSkipped++
			return nil
		}
		// Only the file a PDF article was read from gives it pages: one
		// that is a PDF stays one, and its text (what its pages say) is
		// not replaced.
		if existing.Format == FormatPDF && existing.Hash != in.Hash {
			im.sameText[in.ID] = false
			im.rep.ArticlesSkipped++
			return nil
		}
		if existing.Format == FormatPDF || in.Format == FormatPDF {
			in.Format = existing.Format
		}
		im.sameText[in.ID] = true // the file's text replaces the library's
		if existing.Hash != in.Hash {
			im.changed[in.ID] = true
		}
		im.rep.ArticlesUpdated++
		im.texts.put(in.ID, text)
		return im.w.PutArticle(in)
	case !errors.Is(err, ErrNotFound):
		return err
	}
	if same, err := im.w.ArticleByHash(in.Hash); err == nil {
		// The same text under another ID: the two are one article.
		im.ids[in.ID] = same.ID
		im.sameText[same.ID] = true
		im.rep.ArticlesSkipped++
		return nil
	} else if !errors.Is(err, ErrNotFound) {
		return err
	}
	im.ids[in.ID] = in.ID
	im.sameText[in.ID] = true
	im.texts.put(in.ID, text)
	im.rep.ArticlesAdded++
	return im.w.PutArticle(in)
}

func (im *importer) text(id uuid.UUID) (*anchor.Text, error) {
	if t := im.texts.get(id); t != nil {
		return t, nil
	}
	s, err := im.w.ArticleText(id)
	if err != nil {
		return nil, err
	}
	return im.texts.put(id, s), nil
}

func (im *importer) annotation(in Annotation) error {
	if in.ID == uuid.Nil {
		return errors.New("missing id")
	}
	if _, dup := im.seen[in.ID]; dup {
		return errors.New("the file holds this annotation twice")
	}
	im.seen[in.ID] = struct{}{}
	articleID, ok := im.ids[in.ArticleID]
	if !ok {
		if _, err := im.w.Article(in.ArticleID); err != nil {
			return fmt.Errorf("its article %s is neither in the file nor in the library", in.ArticleID)
		}
		articleID = in.ArticleID
	}
	in.ArticleID = articleID
	if in.Color == "" {
		in.Color = DefaultColor
	}
	if in.Status == "" {
		in.Status = StatusAnchored
	}
	in, err := CheckAnnotation(in)
	if err != nil {
		return err
	}

	existing, err := im.w.Annotation(in.ID)
	switch {
	case err == nil:
		if !in.UpdatedAt.After(existing.UpdatedAt) {
			im.rep.AnnotationsSkipped++
			return nil
		}
		im.rep.AnnotationsUpdated++
	case errors.Is(err, ErrNotFound):
		im.rep.AnnotationsAdded++
	default:
		return err
	}
	text, err := im.text(articleID)
	if err != nil {
		return err
	}
	if im.changed[articleID] {
		im.imported[in.ID] = struct{}{}
	}
	fitted := im.fit(text, in, im.sameText[articleID])
	if err := im.place(articleID, &fitted.Target); err != nil {
		return err
	}
	return im.add(fitted)
}

// place puts a target of an imported annotation on the pages of its
// article, when the library has them; one on an article without keeps
// what the file said of its pages (fit kept it only for the same runes).
func (im *importer) place(articleID uuid.UUID, t *Target) error {
	if paged, ok := im.paged[articleID]; ok && !paged {
		return nil
	}
	page, rects, err := im.w.PlaceOnPages(articleID, t.Start, t.End)
	if errors.Is(err, ErrNotFound) {
		if im.paged == nil {
			im.paged = map[uuid.UUID]bool{}
		}
		im.paged[articleID] = false
		return nil
	}
	if err != nil {
		return err
	}
	t.Page, t.Rects = page, rects
	return nil
}

// fit checks an annotation's target against the article text. On the text
// it was made on (sameText), offsets that do not hold the quote are put back
// by the quote, or orphaned. Made on another version of the text, it is
// re-anchored as a revision is, with the floor: fuzzy, or orphaned, never
// attached to a passage that merely resembles it.
func (im *importer) fit(text *anchor.Text, a Annotation, sameText bool) Annotation {
	if a.Status == StatusOrphaned {
		return a
	}
	if !sameText {
		got := reanchor(text, []Annotation{a}, a.UpdatedAt)[0]
		switch {
		case got.Status == StatusOrphaned:
			im.rep.Orphaned++
		case !got.Target.Same(a.Target):
			im.rep.Reanchored++
		}
		return got
	}
	got, ok := text.Locate(a.Target)
	switch {
	case !ok:
		a.Status = StatusOrphaned
		im.rep.Orphaned++
	case got.Start != a.Target.Start || got.End != a.Target.End:
		a.Target = got
		im.rep.Reanchored++
	default:
		// The same runes: what the file says of their pages holds.
		got.Page, got.Rects = a.Target.Page, a.Target.Rects
		a.Target = got
	}
	return a
}

// reanchorChanged puts the library's own annotations of articles whose text
// the import replaced onto the new text, as replacing the text does in
// UpdateArticle (fuzzy and orphaned statuses, with the floor).
func (im *importer) reanchorChanged() error {
	changed := make([]uuid.UUID, 0, len(im.changed))
	for id := range im.changed {
		changed = append(changed, id)
	}
	slices.SortFunc(changed, func(a, b uuid.UUID) int { return slices.Compare(a[:], b[:]) })
	for _, id := range changed {
		var own []Annotation
		if err := im.w.ArticleAnnotations(id, func(a Annotation) error {
			if _, ok := im.imported[a.ID]; !ok && a.Status != StatusOrphaned {
				own = append(own, a)
			}
			return nil
		}); err != nil {
			return err
		}
		text, err := im.text(id)
		if err != nil {
			return err
		}
		moved := reanchor(text, own, im.now)
		for i := range moved {
			if moved[i].Status == StatusOrphaned {
				im.rep.Orphaned++
			} else if !moved[i].Target.Same(own[i].Target) {
				im.rep.Reanchored++
			}
		}
		if err := im.w.PutAnnotations(moved); err != nil {
			return err
		}
	}
	return nil
}

package annotations

import (
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// Store is what the domain needs from persistence. View runs fn with a
// consistent read-only snapshot; Update runs fn in one read-write
// transaction that is committed (durably) when fn returns nil and rolled
// back, leaving the library exactly as before, when it returns an error.
// Values handed out by a Reader are copies: they stay valid after the
// transaction ends.
type Store interface {
	View(fn func(Reader) error) error
	Update(fn func(Writer) error) error
}

// LargeStore is a Store that can make one write too large to hold in
// memory as a single transaction (an import of a million annotations).
// UpdateLarge runs fn as Update does — the library changes only if fn
// returns nil, and then wholly — but fn may commit its writes so far
// (commit) to free what they hold; commit returns the Writer to go on
// with. What fn committed is not the library's until fn returns nil: a
// failure or a crash before then leaves the library as it was.
type LargeStore interface {
	Store
	UpdateLarge(fn func(w Writer, commit func() (Writer, error)) error) error
}

// Reader reads the library inside a transaction.
type Reader interface {
	// Article returns an article's metadata (Text empty) or ErrNotFound.
	Article(id uuid.UUID) (Article, error)
	// ArticleText returns an article's text or ErrNotFound.
	ArticleText(id uuid.UUID) (string, error)
	// ArticleFile returns the file a paged article was read from (a PDF's
	// bytes) and ArticleLayout where its text is on its pages; both return
	// ErrNotFound for other articles.
	ArticleFile(id uuid.UUID) ([]byte, error)
	ArticleLayout(id uuid.UUID) (*PageLayout, error)
	// ArticleStructure returns how the article's current text was set
	// out, or ErrNotFound when nothing was kept.
	ArticleStructure(id uuid.UUID) (*Structure, error)
	// ArticleImage returns a picture kept with the article, by its
	// ImageKey, or ErrNotFound.
	ArticleImage(id uuid.UUID, key string) ([]byte, error)
	// PlaceOnPages is ArticleLayout(id).Place(start, end) without
	// reading the whole layout; ErrNotFound for an article without pages.
	PlaceOnPages(id uuid.UUID, start, end int) (page int, rects []anchor.Rect, err error)
	// ArticleByHash returns the article whose text has that hash, or
	// ErrNotFound.
	ArticleByHash(hash string) (Article, error)
	// Articles calls fn for every article (Text empty), oldest first,
	// until fn returns an error.
	Articles(fn func(Article) error) error
	// Annotation returns one annotation, trashed or not, or ErrNotFound.
	Annotation(id uuid.UUID) (Annotation, error)
	// Annotations calls fn for every annotation, trashed ones included,
	// oldest first.
	Annotations(fn func(Annotation) error) error
	// ArticleAnnotations calls fn for every annotation of one article,
	// trashed ones included, oldest first.
	ArticleAnnotations(articleID uuid.UUID, fn func(Annotation) error) error
	// TaggedAnnotations calls fn for every annotation carrying the tag
	// (compared by TagKey), trashed ones included.
	TaggedAnnotations(tag string, fn func(Annotation) error) error
	// ResolveArticle and ResolveAnnotation turn an ID or a unique prefix of
	// one (hyphens optional, any case) into the full ID; they return
	// ErrNotFound or ErrAmbiguous.
	ResolveArticle(prefix string) (uuid.UUID, error)
	ResolveAnnotation(prefix string) (uuid.UUID, error)
	// ColorLabels returns the colour meanings of this library.
	ColorLabels() (ColorLabels, error)
	// Setting returns one of this library's own settings (this device's
	// author name, the sync remote); "" when it is not set. Settings
	// are not exported or synced.
	Setting(name string) (string, error)
	// ArticleSpans calls fn with the place of every annotation of an
	// article (trashed ones included), without reading the annotations.
	ArticleSpans(articleID uuid.UUID, fn func(Span) error) error
	// ArticleCounts returns, per article, how many of its annotations are
	// not in the trash (articles with none may be missing), without
	// reading every annotation.
	ArticleCounts() (map[uuid.UUID]int, error)
	// TagCounts returns the tags of annotations not in the trash with
	// their counts, in no particular order, each spelt as first typed.
	TagCounts() ([]TagCount, error)
}

// Writer changes the library inside a transaction. Every index is updated
// together with its record.
type Writer interface {
	Reader
	// PutArticle creates or replaces an article. A.Text must be set when the
	// article is new; when it is empty on an existing article, the stored
	// text is kept.
	PutArticle(a Article) error
	// PutArticleFile stores, with an article already put, the file it was
	// read from and its page layout, which must fit its text.
	PutArticleFile(id uuid.UUID, file []byte, layout PageLayout) error
	// PutArticleStructure stores, with an article already put, how its
	// current text was set out; it must fit the text (Structure.Check).
	// The structure of an earlier text of the article is kept with it.
	PutArticleStructure(id uuid.UUID, s Structure) error
	// PutArticleImage keeps a picture that came with an article (see
	// NewArticle.Images); key must be its ImageKey.
	PutArticleImage(id uuid.UUID, key string, data []byte) error
	// PutAnnotation creates or replaces an annotation; its article must
	// exist.
	PutAnnotation(a Annotation) error
	// PutAnnotations does PutAnnotation for many annotations, faster than
	// one by one.
	PutAnnotations(as []Annotation) error
	// SetColorLabels replaces the colour meanings.
	SetColorLabels(labels ColorLabels) error
	// SetSetting sets one of the library's settings; "" removes it.
	SetSetting(name, value string) error
	// DeleteAnnotations removes annotations for good, with their index
	// entries; each must be in the trash.
	DeleteAnnotations(ids []uuid.UUID) error
	// DeleteArticle removes an article for good — its record, text,
	// revisions and annotations; it and they must be in the trash.
	DeleteArticle(id uuid.UUID) error
	// PushRevision keeps an article's earlier text and annotations;
	// PopRevision takes back the latest one of an article (ErrNotFound
	// when there is none).
	PushRevision(r Revision) error
	PopRevision(articleID uuid.UUID) (Revision, error)
}

// Span is where an annotation is in its article's text, as the index keeps
// it: enough to find a highlight by its place.
type Span struct {
	ID                uuid.UUID
	Start, End        int
	Trashed, Orphaned bool
}

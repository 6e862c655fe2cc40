package search

import (
	"encoding/binary"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// Fields of a posting: the low bits of each postings entry say in which of
// the annotation's fields the word occurs; the article title is indexed per
// article instead.
const (
	fieldQuote = 1 << iota
	fieldNote
	fieldTags
	fieldBits = 3
)

// Field weights: how much a match counts by where it is.
const (
	weightQuote = 1.0
	weightTags  = 1.0
	weightNote  = 0.7
	weightTitle = 0.5
)

// fieldWeight[mask] is the weight of the best field in mask.
var fieldWeight = func() (w [1 << fieldBits]float32) {
	for m := range w {
		switch {
		case m&(fieldQuote|fieldTags) != 0:
			w[m] = weightQuote
		case m&fieldNote != 0:
			w[m] = weightNote
		}
	}
	return w
}()

// Document meta bits.
const (
	metaAlive       = 1 << 0
	metaNote        = 1 << 1
	metaTags        = 1 << 2
	metaStatusShift = 3 // 3 bits: statusBit
	metaColorShift  = 6 // 4 bits: colour key 1–8, 0 for none
)

// docText is what a document shows: the texts whose rune ranges a hit
// reports. tags is the tags joined by ", ".
type docText struct{ quote, note, tags string }

// article is an article whose annotations are indexed.
type article struct {
	id     uuid.UUID
	title  string
	tokens []string // folded words of the title
	docs   []uint32 // its documents, ascending (dead ones included)
	live   int      // in a persisted index's cache: its live documents
	ndocs  int      // in a persisted index's cache: its documents
}

// state is what a search reads from memory: the documents' arrays, the
// vocabulary, and the articles. An in-memory Index holds one; so does the
// Cache of a persisted index, which reads the rest (postings, tag lists,
// texts) through its source.
type state struct {
	// Documents, by number. In an Index a changed annotation gets a new
	// number, and the old one is dead (metaAlive clear) until the index
	// compacts; in a persisted index an annotation keeps its number, and
	// ids is nil: a search reads the IDs it needs (its hits', and those
	// that break ties) from the store.
	ids     []uuid.UUID
	meta    []uint16
	article []uint32 // article number
	updated []int64  // UpdatedAt, Unix nanoseconds

	vocab      vocabulary
	titleTerms map[uint32][]uint32 // word → articles whose title holds it
	articles   []article
	// lazyDocs: the articles hold their numbers of documents (ndocs), not
	// their lists (docs); a search collects the lists it needs in one pass
	// over article (a persisted index's cache, to keep little memory).
	lazyDocs bool
	// blocks, when not nil, hold the documents instead of meta, article
	// and updated: the records of the store's document blocks, read in
	// place during the one transaction this state serves (a process's
	// first search, which need not copy them; see Cache).
	blocks [][]byte
	n      int // documents, with blocks
}

// docCount returns the number of documents, dead ones included.
func (st *state) docCount() int {
	if st.blocks != nil {
		return st.n
	}
	return len(st.meta)
}

// metaOf, articleOf and updatedOf return a document's meta bits, article
// number and time.
func (st *state) metaOf(d uint32) uint16 {
	if st.blocks != nil {
		return binary.BigEndian.Uint16(st.blocks[d/docsPerBlock][d%docsPerBlock*docRecordSize+16:])
	}
	return st.meta[d]
}

func (st *state) articleOf(d uint32) uint32 {
	if st.blocks != nil {
		return binary.BigEndian.Uint32(st.blocks[d/docsPerBlock][d%docsPerBlock*docRecordSize+18:])
	}
	return st.article[d]
}

func (st *state) updatedOf(d uint32) int64 {
	if st.blocks != nil {
		return int64(binary.BigEndian.Uint64(st.blocks[d/docsPerBlock][d%docsPerBlock*docRecordSize+22:]))
	}
	return st.updated[d]
}

// articleLen returns the number of documents of article i.
func (st *state) articleLen(i uint32) int {
	if st.lazyDocs {
		return st.articles[i].ndocs
	}
	return len(st.articles[i].docs)
}

// source is where a search reads what its state does not hold in memory:
// the postings of a word (ascending, doc<<fieldBits|fields), the documents
// of a tag key (ascending), and the texts of a document.
type source interface {
	readID(d uint32) uuid.UUID
	readPostings(term uint32) ([]uint32, error)
	readTag(key string) ([]uint32, error)
	// tagKeys returns the tag keys that begin with prefix.
	tagKeys(prefix string) ([]string, error)
	readText(d uint32) (docText, error)
}

// Index is an in-memory search index over annotations (not those in the
// trash). The zero value is not usable: call New or Build. An Index is safe
// for concurrent use.
type Index struct {
	mu sync.RWMutex
	state

	texts   []docText
	byID    map[uuid.UUID]uint32
	live    int
	dead    int
	tagDocs map[string][]uint32 // foldTag key → documents, ascending

	articleNum map[uuid.UUID]uint32

	// Scratch of Put, under the write lock.
	seen map[uint32]uint8
	buf  []byte

	scratch sync.Pool // *scratch of Search
}

var _ source = (*Index)(nil)

func (ix *Index) readID(d uint32) uuid.UUID               { return ix.ids[d] }
func (ix *Index) readPostings(t uint32) ([]uint32, error) { return ix.vocab.postings[t], nil }
func (ix *Index) readTag(key string) ([]uint32, error)    { return ix.tagDocs[key], nil }

func (ix *Index) tagKeys(prefix string) ([]string, error) {
	var out []string
	for k, list := range ix.tagDocs {
		if strings.HasPrefix(k, prefix) && len(list) > 0 {
			out = append(out, k)
		}
	}
	return out, nil
}
func (ix *Index) readText(d uint32) (docText, error) { return ix.texts[d], nil }

// New returns an empty index.
func New() *Index {
	return &Index{
		state: state{
			vocab:      newVocabulary(),
			titleTerms: map[uint32][]uint32{},
		},
		byID:       map[uuid.UUID]uint32{},
		tagDocs:    map[string][]uint32{},
		articleNum: map[uuid.UUID]uint32{},
		seen:       map[uint32]uint8{},
	}
}

// Len returns the number of annotations in the index.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.live
}

// Put adds or replaces one annotation; a trashed one is removed.
// articleTitle is the title of its article (for article: and title
// matches); it replaces the title the index had for that article.
func (ix *Index) Put(a annotations.Annotation, articleTitle string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(a.ID)
	if !a.Trashed() {
		art := ix.articleFor(a.ArticleID, articleTitle)
		ix.addDoc(&a, art)
	}
	ix.maybeCompact()
}

// Remove takes an annotation out of the index (nothing happens when it is
// not there).
func (ix *Index) Remove(id uuid.UUID) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.remove(id)
	ix.maybeCompact()
}

// SetArticleTitle changes the title of every annotation of an article.
func (ix *Index) SetArticleTitle(articleID uuid.UUID, title string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if n, ok := ix.articleNum[articleID]; ok {
		ix.setTitle(n, title)
	}
}

func (ix *Index) remove(id uuid.UUID) {
	d, ok := ix.byID[id]
	if !ok {
		return
	}
	delete(ix.byID, id)
	ix.meta[d] &^= metaAlive
	ix.texts[d] = docText{}
	ix.live--
	ix.dead++
}

// articleFor returns the number of an article, adding it when new, and sets
// its title.
func (ix *Index) articleFor(id uuid.UUID, title string) uint32 {
	n, ok := ix.articleNum[id]
	if !ok {
		n = uint32(len(ix.articles))
		ix.articles = append(ix.articles, article{id: id})
		ix.articleNum[id] = n
		ix.setTitle(n, title)
	} else if ix.articles[n].title != title {
		ix.setTitle(n, title)
	}
	return n
}

func (ix *Index) setTitle(n uint32, title string) {
	a := &ix.articles[n]
	for _, tok := range a.tokens {
		t := ix.vocab.ids[tok]
		list := ix.titleTerms[t]
		for i, x := range list {
			if x == n {
				list = append(list[:i], list[i+1:]...)
				break
			}
		}
		if len(list) == 0 {
			delete(ix.titleTerms, t)
		} else {
			ix.titleTerms[t] = list
		}
	}
	a.title = title
	a.tokens = a.tokens[:0]
	ix.buf = eachToken(title, ix.buf, func(f []byte, _, _ int) {
		if len(f) > maxWordBytes {
			return
		}
		for _, tok := range a.tokens {
			if tok == string(f) {
				return
			}
		}
		t := ix.vocab.term(f)
		a.tokens = append(a.tokens, ix.vocab.terms[t])
		ix.titleTerms[t] = append(ix.titleTerms[t], n)
	})
}

// docMeta returns the meta bits of a live annotation.
func docMeta(a *annotations.Annotation) uint16 {
	m := uint16(metaAlive)
	if strings.TrimSpace(a.Note) != "" {
		m |= metaNote
	}
	if len(a.Tags) > 0 {
		m |= metaTags
	}
	m |= uint16(statusBit(a.Status)) << metaStatusShift
	m |= uint16(a.Color.Key()) << metaColorShift
	return m
}

// An annotation's author is kept as a tag is: a list of the documents by
// that author, among the tag lists (tagDocs, search_tags), under the key
// authorKeyPrefix + annotations.AuthorKey(name). No tag key begins so
// (tags refuse NUL), so author: and tag: never meet, and an index of a
// library whose annotations have no author is as it was.
const authorKeyPrefix = "\x00"

// authorKey returns the list key of an author ("" for no author).
func authorKey(name string) string {
	k := annotations.AuthorKey(name)
	if k == "" {
		return ""
	}
	return authorKeyPrefix + k
}

// appendListKeys appends the keys of the lists a document of a is on: its
// distinct, non-empty tag keys, then its author's key.
func appendListKeys(keys []string, a *annotations.Annotation) []string {
	keys = appendTagKeys(keys, a.Tags)
	if k := authorKey(a.Author); k != "" && !slices.Contains(keys, k) {
		keys = append(keys, k)
	}
	return keys
}

// appendDoc appends the per-document arrays of a (not its postings) and
// returns its number.
func (ix *Index) appendDoc(a *annotations.Annotation, art uint32) uint32 {
	d := uint32(len(ix.ids))
	ix.ids = append(ix.ids, a.ID)
	ix.texts = append(ix.texts, docText{quote: a.Target.Exact, note: a.Note, tags: joinTags(a.Tags)})
	ix.meta = append(ix.meta, docMeta(a))
	ix.article = append(ix.article, art)
	ix.updated = append(ix.updated, unixNano(a.UpdatedAt))
	ix.byID[a.ID] = d
	ix.live++
	ix.articles[art].docs = append(ix.articles[art].docs, d)
	for _, k := range appendListKeys(nil, a) {
		ix.tagDocs[k] = append(ix.tagDocs[k], d)
	}
	return d
}

func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func joinTags(tags []string) string {
	if len(tags) == 1 {
		return tags[0]
	}
	return strings.Join(tags, ", ")
}

// addDoc indexes one annotation.
func (ix *Index) addDoc(a *annotations.Annotation, art uint32) {
	d := ix.appendDoc(a, art)
	clear(ix.seen)
	add := func(field uint8) func(f []byte, _, _ int) {
		return func(f []byte, _, _ int) {
			if len(f) <= maxWordBytes {
				ix.seen[ix.vocab.term(f)] |= field
			}
		}
	}
	t := &ix.texts[d]
	ix.buf = eachToken(t.quote, ix.buf, add(fieldQuote))
	ix.buf = eachToken(t.note, ix.buf, add(fieldNote))
	ix.buf = eachToken(t.tags, ix.buf, add(fieldTags))
	// d is the largest number, so appending keeps every list ascending.
	for term, fields := range ix.seen {
		ix.vocab.postings[term] = append(ix.vocab.postings[term], d<<fieldBits|uint32(fields))
	}
}

// maybeCompact compacts when dead documents pass a quarter of the live ones
// (and a thousand): amortised, a change costs O(1) postings work.
func (ix *Index) maybeCompact() {
	if ix.dead > 1000 && ix.dead > ix.live/4 {
		ix.compact()
	}
}

// compact renumbers the live documents densely, drops dead postings, and
// drops the words no live document or title holds.
func (ix *Index) compact() {
	const gone = ^uint32(0)
	remap := make([]uint32, len(ix.ids))
	n := uint32(0)
	for d := range ix.ids {
		if ix.meta[d]&metaAlive == 0 {
			remap[d] = gone
			continue
		}
		remap[d] = n
		ix.ids[n], ix.texts[n], ix.meta[n], ix.article[n], ix.updated[n] = ix.ids[d], ix.texts[d], ix.meta[d], ix.article[d], ix.updated[d]
		n++
	}
	clear(ix.texts[n:]) // let the dead texts go; keep the room
	ix.ids, ix.texts, ix.meta, ix.article, ix.updated = ix.ids[:n], ix.texts[:n], ix.meta[:n], ix.article[:n], ix.updated[:n]
	for id, d := range ix.byID {
		ix.byID[id] = remap[d]
	}
	remapList := func(list []uint32) []uint32 {
		out := list[:0]
		for _, d := range list {
			if r := remap[d]; r != gone {
				out = append(out, r)
			}
		}
		return shrink(out)
	}
	for i := range ix.articles {
		ix.articles[i].docs = remapList(ix.articles[i].docs)
	}
	for k, list := range ix.tagDocs {
		if list = remapList(list); len(list) == 0 {
			delete(ix.tagDocs, k)
		} else {
			ix.tagDocs[k] = list
		}
	}

	// Postings, and the words left without any.
	old := ix.vocab
	v := newVocabulary()
	titles := make(map[uint32][]uint32, len(ix.titleTerms))
	for t, s := range old.terms {
		list := old.postings[t][:0]
		for _, p := range old.postings[t] {
			if r := remap[p>>fieldBits]; r != gone {
				list = append(list, r<<fieldBits|p&(1<<fieldBits-1))
			}
		}
		arts, inTitle := ix.titleTerms[uint32(t)]
		if len(list) == 0 && !inTitle {
			continue
		}
		nt := v.add(s)
		v.postings[nt] = shrink(list)
		if inTitle {
			titles[nt] = arts
		}
	}
	v.sortTerms()
	ix.vocab, ix.titleTerms = v, titles
	ix.dead = 0
}

// shrink returns list in a right-sized array when it uses under half of its
// own.
func shrink(list []uint32) []uint32 {
	if len(list) == 0 {
		return nil
	}
	if cap(list) > 2*len(list)+8 {
		return append([]uint32(nil), list...)
	}
	return list
}

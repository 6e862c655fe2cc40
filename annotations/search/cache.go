package search

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// Records reads an annotation of the library by its ID, in the transaction
// of the search: a persisted index does not keep texts, so the texts of
// the hits (for their match ranges) and of the candidates of phrases come
// from the records themselves.
type Records func(id uuid.UUID) (annotations.Annotation, error)

// Cache is the part of a persisted index that a search keeps in memory:
// the vocabulary (the words, in order, as the typo and prefix walks need
// them), the documents' arrays (ID, meta bits, article, time) and the
// articles with their titles. Postings, tag lists and texts are read from
// the store, only for the words a query matched and the hits it returns.
//
// A Cache is loaded from the store on its first search. The index's
// generation, stored with it and bumped by every write, tells whether the
// cache is current; writes made through the same process are followed
// without a reload (see Changed), others make it reload. The zero value is
// an empty cache, ready to use; a Cache is safe for concurrent use.
type Cache struct {
	mu       sync.RWMutex
	st       *state
	gen      uint64
	pending  []*Delta
	searched bool // a search ran (the next one keeps what it loads)

	scratch sync.Pool
}

// maxPending bounds the deltas a cache keeps while nobody searches.
const maxPending = 256

// Search runs a query (see Index.Search) on the persisted index in kv, a
// read transaction; records reads the hits' texts in the same transaction.
func (c *Cache) Search(kv KV, records Records, query string, limit int) ([]Hit, error) {
	q, err := parse(query)
	if err != nil {
		return nil, err
	}
	b, err := openBuckets(kv)
	if err != nil {
		return nil, err
	}
	m, err := readMeta(b.meta)
	if err != nil {
		return nil, err
	}
	st, release, err := c.acquire(b, m)
	if err != nil {
		return nil, err
	}
	defer release()
	return searchState(st, &kvSource{st: st, b: b, records: records}, q, limit, &c.scratch)
}

// Count returns the number of annotations the persisted index in kv holds
// (those not in the trash), from its state record alone.
func Count(kv KV) (int, error) {
	b := kv.Bucket(BucketMeta)
	if b == nil {
		return 0, corrupt("bucket %s is missing", BucketMeta)
	}
	m, err := readMeta(b)
	return int(m.live), err
}

// Changed tells the cache what a write did, once it is committed, in the
// order of the commits: the next search follows it without a reload.
// (A write whose delta the cache misses is not lost: the generation tells
// the next search to reload.)
func (c *Cache) Changed(d *Delta) {
	if d == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.st == nil || d.gen <= c.gen:
	case d.reload || len(c.pending) >= maxPending:
		c.pending = nil
	default:
		c.pending = append(c.pending, d)
	}
}

// acquire returns the state of generation m.gen, read-locked until release.
func (c *Cache) acquire(b buckets, m indexMeta) (st *state, release func(), err error) {
	for {
		c.mu.RLock()
		if c.st != nil && c.gen == m.gen {
			return c.st, c.mu.RUnlock, nil
		}
		c.mu.RUnlock()
		c.mu.Lock()
		switch {
		case c.st != nil && c.gen == m.gen:
			// Another search brought it up to date.
		case c.st != nil && c.gen > m.gen:
			// This transaction began before a write that the cache
			// already follows: it searches a state of its own.
			c.mu.Unlock()
			st, err := loadState(b, m, inPlace)
			return st, func() {}, err
		case c.catchUp(m.gen):
		case !c.searched:
			// A process's first search reads the documents in place,
			// for this transaction only: a command-line search is over
			// after one. A second search (the window's) loads them to
			// keep.
			c.searched = true
			c.mu.Unlock()
			st, err := loadState(b, m, inPlace)
			return st, func() {}, err
		default:
			st, err := loadState(b, m, kept)
			if err != nil {
				c.mu.Unlock()
				return nil, nil, err
			}
			c.st, c.gen, c.pending = st, m.gen, nil
		}
		c.mu.Unlock()
	}
}

// catchUp applies the pending deltas up to generation gen, if it has them
// all, and reports whether the cache is now at gen.
func (c *Cache) catchUp(gen uint64) bool {
	if c.st == nil || c.gen > gen {
		return false
	}
	i := 0
	for c.gen < gen {
		for i < len(c.pending) && c.pending[i].gen <= c.gen {
			i++
		}
		if i == len(c.pending) || c.pending[i].gen != c.gen+1 || c.pending[i].reload {
			c.st = nil // part applied, perhaps: reload
			return false
		}
		if err := c.st.apply(c.pending[i]); err != nil {
			c.st = nil
			return false
		}
		c.gen++
	}
	c.pending = slices.DeleteFunc(c.pending, func(d *Delta) bool { return d.gen <= gen })
	return true
}

// kvSource reads postings, tag lists, IDs and texts from the store.
type kvSource struct {
	st      *state
	b       buckets
	records Records
	prefix  []byte
	// The document block last read, for IDs.
	block    []byte
	blockNum uint32
	key      [4]byte
}

// readID reads a document's ID from its block (uuid.Nil when it is not
// there, which reading its record then reports).
func (s *kvSource) readID(d uint32) uuid.UUID {
	if n := d / docsPerBlock; s.block == nil || s.blockNum != n {
		binary.BigEndian.PutUint32(s.key[:], n)
		s.block, s.blockNum = s.b.docs.Get(s.key[:]), n
	}
	off := int(d%docsPerBlock) * docRecordSize
	if off+16 > len(s.block) {
		return uuid.Nil
	}
	return uuid.UUID(s.block[off : off+16])
}

func (s *kvSource) readPostings(t uint32) ([]uint32, error) {
	s.prefix = listPrefix(s.prefix, s.st.vocab.word(t))
	return readList(s.b.postings, s.prefix, fieldBits, uint32(s.st.docCount()), nil)
}

// tagKeys reads the tags' names from the keys of their lists' chunks (a
// library has hundreds of tags: all are looked at).
func (s *kvSource) tagKeys(prefix string) ([]string, error) {
	var out []string
	c := s.b.tags.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		n, size := binary.Uvarint(k)
		if size <= 0 || uint64(len(k)) != uint64(size)+n+4 {
			return nil, corrupt("a tag chunk key of %d bytes", len(k))
		}
		name := string(k[size : size+int(n)])
		if strings.HasPrefix(name, prefix) && (len(out) == 0 || out[len(out)-1] != name) {
			out = append(out, name)
		}
	}
	return out, nil
}

func (s *kvSource) readTag(key string) ([]uint32, error) {
	s.prefix = listPrefix(s.prefix, key)
	return readList(s.b.tags, s.prefix, 0, uint32(s.st.docCount()), nil)
}

func (s *kvSource) readText(d uint32) (docText, error) {
	a, err := s.records(s.readID(d))
	if err != nil {
		return docText{}, fmt.Errorf("%w: document %d: %w", ErrCorrupt, d, err)
	}
	return docText{quote: a.Target.Exact, note: a.Note, tags: joinTags(a.Tags)}, nil
}

// How loadState holds the documents.
type loading int

const (
	kept    loading = iota // copied into arrays, to keep across transactions
	inPlace                // read in place, during one transaction
	withIDs                // copied, IDs too (for the Verifier)
)

// loadState reads the in-memory part of a persisted index: without the
// documents' IDs (withIDs aside) and articles' document lists, and with a
// packed vocabulary, allocated at its exact sizes. (A process that
// searches once pays for every page of memory it touches: on the machine
// measured, a page fault cost about 50 µs, for every 4 KB of fresh memory
// and every 64 KB of the library file read.)
func loadState(b buckets, m indexMeta, how loading) (*state, error) {
	st := &state{lazyDocs: true}
	if err := loadArticles(st, b.articles, m.nextArticle); err != nil {
		return nil, err
	}
	if err := loadDocs(st, b.docs, int(m.nextDoc), how); err != nil {
		return nil, err
	}
	for d := range uint32(st.docCount()) {
		art := st.articleOf(d)
		if int(art) >= len(st.articles) {
			return nil, corrupt("document %d is of article number %d of %d", d, art, len(st.articles))
		}
		st.articles[art].ndocs++
	}
	var err error
	if st.vocab, err = loadVocabulary(b.terms, m); err != nil {
		return nil, err
	}
	st.indexTitles()
	return st, nil
}

func loadDocs(st *state, b Bucket, n int, how loading) error {
	c := b.Cursor()
	// The last block must be the one that holds document n-1: so a
	// damaged count does not make us allocate for it.
	k, _ := c.Last()
	if n > 0 && (len(k) != 4 || int(binary.BigEndian.Uint32(k)) != (n-1)/docsPerBlock) || n == 0 && k != nil {
		return corrupt("%d documents, but the last document block is %x", n, k)
	}
	switch how {
	case inPlace:
		st.blocks, st.n = make([][]byte, 0, (n+docsPerBlock-1)/docsPerBlock), n
	case withIDs:
		st.ids = make([]uuid.UUID, n)
		fallthrough
	default:
		st.meta = make([]uint16, n)
		st.article = make([]uint32, n)
		st.updated = make([]int64, n)
	}
	d := 0
	for k, v := c.First(); k != nil; k, v = c.Next() {
		count := len(v) / docRecordSize
		if len(k) != 4 || int(binary.BigEndian.Uint32(k)) != d/docsPerBlock || len(v)%docRecordSize != 0 ||
			d+count > n || count != docsPerBlock && d+count != n || count == 0 {
			return corrupt("document block %x (%d bytes) after %d documents of %d", k, len(v), d, n)
		}
		if how == inPlace {
			st.blocks = append(st.blocks, v)
			d += count
			continue
		}
		for i := range count {
			r := getDocRecord(v[i*docRecordSize:])
			if how == withIDs {
				st.ids[d] = r.id
			}
			st.meta[d], st.article[d], st.updated[d] = r.meta, r.article, r.updated
			d++
		}
	}
	if d != n {
		return corrupt("%d document records of %d", d, n)
	}
	return nil
}

func loadArticles(st *state, b Bucket, n uint32) error {
	var recs []articleRecord
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != 16 {
			return corrupt("an article key of %d bytes", len(k))
		}
		rec, err := decodeArticle(uuid.UUID(k), v)
		if err != nil {
			return err
		}
		recs = append(recs, rec)
	}
	if uint32(len(recs)) != n {
		return corrupt("%d articles, not %d", len(recs), n)
	}
	st.articles = make([]article, n)
	found := make([]bool, n)
	for _, rec := range recs {
		if rec.num >= n || found[rec.num] {
			return corrupt("article %s is number %d of %d", rec.id, rec.num, n)
		}
		found[rec.num] = true
		a := &st.articles[rec.num]
		a.id, a.title, a.live, a.tokens = rec.id, rec.title, int(rec.live), titleWords(rec.title)
	}
	return nil
}

// indexTitles maps each word to the articles with live documents whose
// titles hold it.
func (st *state) indexTitles() {
	st.titleTerms = map[uint32][]uint32{}
	for i := range st.articles {
		a := &st.articles[i]
		if a.live == 0 {
			continue
		}
		for _, w := range a.tokens {
			if t, ok := st.vocab.find(w); ok {
				st.titleTerms[t] = append(st.titleTerms[t], uint32(i))
			}
		}
	}
}

// loadVocabulary reads the words, in order, into one string.
func loadVocabulary(b Bucket, m indexMeta) (vocabulary, error) {
	var packed strings.Builder
	packed.Grow(int(m.wordBytes))
	ends := make([]uint32, 0, m.words)
	c := b.Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) == 0 || len(k) > maxWordBytes || !utf8.Valid(k) || len(ends) == int(m.words) {
			return vocabulary{}, corrupt("the vocabulary holds more than %d words, or a word that is not one", m.words)
		}
		packed.Write(k)
		ends = append(ends, uint32(packed.Len()))
	}
	if len(ends) != int(m.words) || packed.Len() != int(m.wordBytes) {
		return vocabulary{}, corrupt("the vocabulary holds %d words of %d bytes, not %d of %d", len(ends), packed.Len(), m.words, m.wordBytes)
	}
	return packedVocabulary(packed.String(), ends), nil
}

// packedVocabulary makes a vocabulary of the words in packed (in string
// order, ending at ends), numbered by their positions.
func packedVocabulary(packed string, ends []uint32) vocabulary {
	v := vocabulary{packed: packed, ends: ends, runes: make([]uint8, len(ends)), lcp: make([]uint8, len(ends))}
	for t := range ends {
		v.runes[t] = uint8(min(utf8.RuneCountInString(v.word(uint32(t))), maxRunes))
	}
	for i := range ends {
		v.setLCP(i)
	}
	return v
}

// apply follows one write: articles, documents, words.
func (st *state) apply(d *Delta) error {
	for _, a := range d.articles {
		switch n := int(a.num); {
		case n == len(st.articles):
			st.articles = append(st.articles, article{id: a.id})
		case n > len(st.articles):
			return corrupt("a delta skips articles")
		}
		x := &st.articles[a.num]
		x.title, x.live, x.tokens = a.title, int(a.live), titleWords(a.title)
	}
	for _, c := range d.docs {
		r := c.rec
		if int(r.article) >= len(st.articles) {
			return corrupt("a delta names a missing article")
		}
		switch n := int(c.doc); {
		case n == st.docCount():
			st.meta = append(st.meta, r.meta)
			st.article = append(st.article, r.article)
			st.updated = append(st.updated, r.updated)
			st.articles[r.article].ndocs++
			continue
		case n > st.docCount():
			return corrupt("a delta skips documents")
		}
		if old := st.article[c.doc]; old != r.article {
			st.articles[old].ndocs--
			st.articles[r.article].ndocs++
		}
		st.meta[c.doc], st.article[c.doc], st.updated[c.doc] = r.meta, r.article, r.updated
	}
	if len(d.added) > 0 || len(d.removed) > 0 {
		st.vocab = st.vocab.merge(d.added, d.removed)
	}
	if len(d.articles) > 0 || len(d.added) > 0 || len(d.removed) > 0 {
		st.indexTitles()
	}
	return nil
}

// merge returns the (packed) vocabulary with words added (new to it) and
// removed, renumbered in string order: one pass over the words.
func (v *vocabulary) merge(added, removed []string) vocabulary {
	added = slices.Clone(added)
	slices.Sort(added)
	gone := make(map[string]bool, len(removed))
	for _, w := range removed {
		gone[w] = true
	}
	size := len(v.packed)
	for _, w := range added {
		size += len(w)
	}
	for _, w := range removed {
		size -= len(w)
	}
	var packed strings.Builder
	packed.Grow(size)
	ends := make([]uint32, 0, v.size()+len(added)-len(removed))
	n := v.size()
	i, j := 0, 0
	for i < n || j < len(added) {
		var w string
		if j < len(added) && (i == n || added[j] < v.word(uint32(i))) {
			w = added[j]
			j++
		} else {
			w = v.word(uint32(i))
			i++
			if gone[w] {
				continue
			}
		}
		packed.WriteString(w)
		ends = append(ends, uint32(packed.Len()))
	}
	return packedVocabulary(packed.String(), ends)
}

// Reset drops what the cache holds: the next search loads the index again
// (the store's file was replaced).
func (c *Cache) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.st, c.gen, c.pending, c.searched = nil, 0, nil, false
}

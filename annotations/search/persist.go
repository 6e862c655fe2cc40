package search

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// A persisted index keeps every annotation of the library, trashed or not,
// as a document whose number it keeps for good (annotations are never
// deleted, only trashed): the document's record says whether it is alive,
// and only live documents have postings and tag entries. So an edit
// rewrites the chunks of the words it adds or removes, a trash or restore
// those of all its words, and nothing ever needs compacting. The
// vocabulary is exactly that of an in-memory Index built from the same
// annotations: the words of live documents and of the titles of articles
// with live documents.

// docsPerBlock is how many document records share one value of
// search_docs; docRecordSize is the size of one: ID (16), meta bits (2),
// article number (4), UpdatedAt in Unix nanoseconds (8).
const (
	docsPerBlock  = 256
	docRecordSize = 16 + 2 + 4 + 8
)

// docRecord is a document as search_docs keeps it.
type docRecord struct {
	id      uuid.UUID
	meta    uint16
	article uint32
	updated int64
}

func (r docRecord) put(b []byte) {
	copy(b, r.id[:])
	binary.BigEndian.PutUint16(b[16:], r.meta)
	binary.BigEndian.PutUint32(b[18:], r.article)
	binary.BigEndian.PutUint64(b[22:], uint64(r.updated))
}

func getDocRecord(b []byte) docRecord {
	return docRecord{
		id:      uuid.UUID(b[:16]),
		meta:    binary.BigEndian.Uint16(b[16:]),
		article: binary.BigEndian.Uint32(b[18:]),
		updated: int64(binary.BigEndian.Uint64(b[22:])),
	}
}

func blockKey(block uint32) []byte { return binary.BigEndian.AppendUint32(nil, block) }

// articleRecord is an article as search_articles keeps it.
type articleRecord struct {
	id    uuid.UUID
	num   uint32
	live  uint32
	title string
}

func (a *articleRecord) encode() []byte {
	b := binary.BigEndian.AppendUint32(make([]byte, 0, 9+len(a.title)), a.num)
	b = binary.AppendUvarint(b, uint64(a.live))
	return append(b, a.title...)
}

func decodeArticle(id uuid.UUID, raw []byte) (articleRecord, error) {
	if len(raw) < 5 {
		return articleRecord{}, corrupt("the record of article %s", id)
	}
	live, n := binary.Uvarint(raw[4:])
	if n <= 0 || live > maxDocs {
		return articleRecord{}, corrupt("the record of article %s", id)
	}
	return articleRecord{id: id, num: binary.BigEndian.Uint32(raw), live: uint32(live), title: string(raw[4+n:])}, nil
}

// titleWords returns the distinct folded words of a title.
func titleWords(title string) []string {
	var out []string
	for _, w := range foldTokens(title) {
		if !slices.Contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

// Change is one annotation written to the library: Old is the version the
// library held before (nil for a new annotation), New the one written.
type Change struct {
	Old, New *annotations.Annotation
}

// Delta is what one call of Update or SetTitle changed, for a Cache to
// follow without reloading (see Cache.Changed). A large change (an import)
// carries no details: the cache reloads.
type Delta struct {
	gen      uint64
	reload   bool
	docs     []docChange
	articles []articleRecord
	added    []string // words new to the vocabulary
	removed  []string // words gone from it
}

type docChange struct {
	doc uint32
	rec docRecord
}

// maxDelta is the size of change past which a Delta carries no details.
const maxDelta = 4096

// Update brings the persisted index in kv in step with annotations written
// in the same transaction, as one batch: the chunks of each word (and tag)
// are rewritten once per call, however many of the annotations hold it.
// title returns the title of an article (for articles the index meets for
// the first time). Every annotation in changes must be there once. Update
// returns what changed, for the caches of the index (see Cache.Changed).
// An index that does not agree with the old versions it is given gives
// ErrCorrupt.
func Update(kv KV, changes []Change, title func(articleID uuid.UUID) (string, error)) (*Delta, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	w, err := newWriter(kv)
	if err != nil {
		return nil, err
	}
	w.table.init(1 << 12)
	for i := range changes {
		if err := w.change(&changes[i], title); err != nil {
			return nil, err
		}
	}
	return w.flush()
}

// SetTitle changes the title of an article in the index (nothing happens
// when the index has no annotation of it).
func SetTitle(kv KV, articleID uuid.UUID, title string) (*Delta, error) {
	w, err := newWriter(kv)
	if err != nil {
		return nil, err
	}
	art, err := w.article(articleID, nil)
	if err != nil || art == nil || art.title == title {
		return nil, err
	}
	art.title = title
	return w.flush()
}

// writer is one call of Update or SetTitle.
type writer struct {
	b    buckets
	meta indexMeta

	// Words of this batch: a local number each, and per local number the
	// fields of the old and new version of the current annotation.
	table   termTable
	marks   []wordMark
	stamp   uint32
	touched []uint32
	ops     []listOp // local word << 33 | entry << 1 | del

	tagNums map[string]uint32
	tagKeys []string
	tagOps  []listOp

	docs     []docChange
	newIDs   []docChange // documents made in this batch (rec.id, doc)
	articles map[uuid.UUID]*articleState
	buf      []byte
	keys     [2][]string // scratch for tag keys
}

type wordMark struct {
	stamp      uint32
	oldF, newF uint8
}

// articleState is an article as the batch changes it.
type articleState struct {
	articleRecord
	before articleRecord
	known  bool // in the index before this batch
}

func newWriter(kv KV) (*writer, error) {
	b, err := openBuckets(kv)
	if err != nil {
		return nil, err
	}
	m, err := readMeta(b.meta)
	if err != nil {
		return nil, err
	}
	return &writer{b: b, meta: m, articles: map[uuid.UUID]*articleState{}, tagNums: map[string]uint32{}}, nil
}

// article returns the batch's state of an article: read from the index,
// or new (numbered, titled by title) when title is not nil, or nil.
func (w *writer) article(id uuid.UUID, title func(uuid.UUID) (string, error)) (*articleState, error) {
	if a, ok := w.articles[id]; ok {
		return a, nil
	}
	raw := w.b.articles.Get(id[:])
	var a *articleState
	switch {
	case raw != nil:
		rec, err := decodeArticle(id, raw)
		if err != nil {
			return nil, err
		}
		a = &articleState{articleRecord: rec, before: rec, known: true}
	case title == nil:
		return nil, nil
	default:
		t, err := title(id)
		if err != nil {
			return nil, err
		}
		a = &articleState{articleRecord: articleRecord{id: id, num: w.meta.nextArticle, title: t}}
		w.meta.nextArticle++
	}
	w.articles[id] = a
	return a, nil
}

// docRecord reads the record of document d.
func (w *writer) docRecord(d uint32) (docRecord, error) {
	raw := w.b.docs.Get(blockKey(d / docsPerBlock))
	off := int(d%docsPerBlock) * docRecordSize
	if d >= w.meta.nextDoc || off+docRecordSize > len(raw) {
		return docRecord{}, corrupt("document %d has no record", d)
	}
	return getDocRecord(raw[off:]), nil
}

func (w *writer) change(c *Change, title func(uuid.UUID) (string, error)) error {
	a := c.New
	var doc uint32
	if c.Old != nil {
		raw := w.b.ids.Get(a.ID[:])
		if len(raw) != 4 {
			return corrupt("annotation %s is not in it", a.ID)
		}
		doc = binary.BigEndian.Uint32(raw)
		rec, err := w.docRecord(doc)
		if err != nil {
			return err
		}
		if alive := rec.meta&metaAlive != 0; rec.id != a.ID || alive == c.Old.Trashed() {
			return corrupt("document %d is not annotation %s as it was", doc, a.ID)
		}
	} else {
		if w.meta.nextDoc >= maxDocs {
			return fmt.Errorf("the search index is full (%d documents)", w.meta.nextDoc)
		}
		doc = w.meta.nextDoc
		w.meta.nextDoc++
		w.newIDs = append(w.newIDs, docChange{doc: doc, rec: docRecord{id: a.ID}})
	}
	oldAlive := c.Old != nil && !c.Old.Trashed()
	newAlive := !a.Trashed()
	if oldAlive {
		art, err := w.article(c.Old.ArticleID, nil)
		if err != nil {
			return err
		}
		if art == nil || art.live == 0 {
			return corrupt("article %s of annotation %s", c.Old.ArticleID, a.ID)
		}
		art.live--
		w.meta.live--
	}
	art, err := w.article(a.ArticleID, title)
	if err != nil {
		return err
	}
	meta := docMeta(a)
	if newAlive {
		art.live++
		w.meta.live++
	} else {
		meta &^= metaAlive
	}
	w.docs = append(w.docs, docChange{doc, docRecord{id: a.ID, meta: meta, article: art.num, updated: unixNano(a.UpdatedAt)}})

	// Words: the fields of each in the old and the new version.
	w.stamp++
	w.touched = w.touched[:0]
	mark := func(x *annotations.Annotation, isNew bool) {
		each := func(field uint8) func(f []byte, h uint32) {
			return func(f []byte, h uint32) {
				t := w.table.lookup(f, h)
				if int(t) >= len(w.marks) {
					w.marks = append(w.marks, make([]wordMark, int(t)+1-len(w.marks))...)
				}
				m := &w.marks[t]
				if m.stamp != w.stamp {
					*m = wordMark{stamp: w.stamp}
					w.touched = append(w.touched, t)
				}
				if isNew {
					m.newF |= field
				} else {
					m.oldF |= field
				}
			}
		}
		w.buf = tokenizeHashed(x.Target.Exact, w.buf, each(fieldQuote))
		w.buf = tokenizeHashed(x.Note, w.buf, each(fieldNote))
		for _, tag := range x.Tags {
			w.buf = tokenizeHashed(tag, w.buf, each(fieldTags))
		}
	}
	if oldAlive {
		mark(c.Old, false)
	}
	if newAlive {
		mark(a, true)
	}
	for _, t := range w.touched {
		m := w.marks[t]
		switch {
		case m.oldF == m.newF:
		case m.newF == 0:
			w.ops = append(w.ops, packOp(t, doc<<fieldBits, true))
		default:
			w.ops = append(w.ops, packOp(t, doc<<fieldBits|uint32(m.newF), false))
		}
	}

	// Tags.
	oldKeys, newKeys := w.keys[0][:0], w.keys[1][:0]
	if oldAlive {
		oldKeys = appendTagKeys(oldKeys, c.Old.Tags)
	}
	if newAlive {
		newKeys = appendTagKeys(newKeys, a.Tags)
	}
	for _, k := range oldKeys {
		if !slices.Contains(newKeys, k) {
			w.tagOps = append(w.tagOps, packOp(w.tagNum(k), doc, true))
		}
	}
	for _, k := range newKeys {
		if !slices.Contains(oldKeys, k) {
			w.tagOps = append(w.tagOps, packOp(w.tagNum(k), doc, false))
		}
	}
	w.keys[0], w.keys[1] = oldKeys, newKeys
	return nil
}

// appendTagKeys appends the distinct, non-empty keys of tags.
func appendTagKeys(keys []string, tags []string) []string {
	for _, tag := range tags {
		if k := foldTag(tag); k != "" && !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	return keys
}

func (w *writer) tagNum(k string) uint32 {
	n, ok := w.tagNums[k]
	if !ok {
		n = uint32(len(w.tagKeys))
		w.tagNums[k] = n
		w.tagKeys = append(w.tagKeys, k)
	}
	return n
}

// groupOps sorts ops by list, then entry: a counting sort by list (lists
// numbered below n) that keeps the batch's order within a list, then a sort
// of each list's ops that are not already in order. It returns the ops and
// where each list's begin (starts[l] to starts[l+1]).
func groupOps(ops []listOp, n int) ([]listOp, []int) {
	starts := make([]int, n+1)
	for _, op := range ops {
		starts[opList(op)+1]++
	}
	for i := 1; i <= n; i++ {
		starts[i] += starts[i-1]
	}
	out := make([]listOp, len(ops))
	next := slices.Clone(starts[:n])
	for _, op := range ops {
		l := opList(op)
		out[next[l]] = op
		next[l]++
	}
	for l := range n {
		part := out[starts[l]:starts[l+1]]
		if !slices.IsSorted(part) {
			slices.Sort(part)
		}
	}
	return out, starts
}

// editLists applies grouped ops to the lists named by names (local number
// → word or tag key), in key order, and returns the words whose lists went
// from empty to not or back.
func editLists(e *listEditor, names []string, ops []listOp, fn func(name string, had, has bool)) error {
	if len(ops) == 0 {
		return nil
	}
	grouped, starts := groupOps(ops, len(names))
	order := make([]uint32, 0, len(names))
	for l := range names {
		if starts[l+1] > starts[l] {
			order = append(order, uint32(l))
		}
	}
	// Key order: by length, then bytes (the order of listPrefix).
	slices.SortFunc(order, func(a, b uint32) int {
		x, y := names[a], names[b]
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		return strings.Compare(x, y)
	})
	var prefix []byte
	for _, l := range order {
		prefix = listPrefix(prefix, names[l])
		had, has, err := e.edit(prefix, grouped[starts[l]:starts[l+1]])
		if err != nil {
			return fmt.Errorf("list of %q: %w", names[l], err)
		}
		if had != has && fn != nil {
			fn(names[l], had, has)
		}
	}
	return nil
}

// flush writes the batch: postings, tag lists, document records, IDs,
// articles, the vocabulary, and the state with a new generation.
func (w *writer) flush() (*Delta, error) {
	d := &Delta{}
	// Postings.
	lists := map[string]bool{} // words whose list went from empty to not (true) or back
	e := &listEditor{b: w.b.postings, shift: fieldBits, limit: w.meta.nextDoc}
	if err := editLists(e, w.table.terms, w.ops, func(word string, _, has bool) { lists[word] = has }); err != nil {
		return nil, err
	}
	e = &listEditor{b: w.b.tags, shift: 0, limit: w.meta.nextDoc}
	if err := editLists(e, w.tagKeys, w.tagOps, nil); err != nil {
		return nil, err
	}
	if err := w.writeDocs(); err != nil {
		return nil, err
	}
	d.docs = w.docs
	slices.SortFunc(w.newIDs, func(a, b docChange) int { return bytes.Compare(a.rec.id[:], b.rec.id[:]) })
	for _, x := range w.newIDs {
		if err := w.b.ids.Put(x.rec.id[:], binary.BigEndian.AppendUint32(nil, x.doc)); err != nil {
			return nil, err
		}
	}

	// Articles, and the title words of those whose titles came into or
	// left the vocabulary.
	refs := map[string]int{}
	ids := make([]uuid.UUID, 0, len(w.articles))
	for id, a := range w.articles {
		if a.articleRecord != a.before || !a.known {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return bytes.Compare(a[:], b[:]) })
	for _, id := range ids {
		a := w.articles[id]
		if a.before.live > 0 && a.known {
			for _, t := range titleWords(a.before.title) {
				refs[t]--
			}
		}
		if a.live > 0 {
			for _, t := range titleWords(a.title) {
				refs[t]++
			}
		}
		if err := w.b.articles.Put(id[:], a.encode()); err != nil {
			return nil, err
		}
		d.articles = append(d.articles, a.articleRecord)
	}

	// The vocabulary: a word is there while it has postings or a title.
	words := make([]string, 0, len(lists)+len(refs))
	for t := range lists {
		words = append(words, t)
	}
	for t, n := range refs {
		if _, ok := lists[t]; !ok && n != 0 {
			words = append(words, t)
		}
	}
	slices.Sort(words)
	ed := &listEditor{b: w.b.postings}
	var prefix []byte
	for _, t := range words {
		raw := w.b.terms.Get([]byte(t))
		n := uint64(0)
		if raw != nil {
			var k int
			if n, k = binary.Uvarint(raw); k <= 0 {
				return nil, corrupt("the vocabulary entry of %q", t)
			}
		}
		count := int64(n) + int64(refs[t])
		if count < 0 {
			return nil, corrupt("the title count of %q", t)
		}
		has, ok := lists[t]
		if !ok {
			prefix = listPrefix(prefix, t)
			has = ed.any(prefix)
		}
		switch {
		case has || count > 0:
			if raw == nil || uint64(count) != n {
				if err := w.b.terms.Put([]byte(t), binary.AppendUvarint(nil, uint64(count))); err != nil {
					return nil, err
				}
			}
			if raw == nil {
				d.added = append(d.added, t)
			}
		case raw != nil:
			if err := w.b.terms.Delete([]byte(t)); err != nil {
				return nil, err
			}
			d.removed = append(d.removed, t)
		}
	}

	w.meta.gen++
	if err := w.b.meta.Put(keyState, w.meta.encode()); err != nil {
		return nil, err
	}
	d.gen = w.meta.gen
	if len(d.docs) > maxDelta || len(d.added)+len(d.removed) > maxDelta || len(d.articles) > maxDelta {
		*d = Delta{gen: d.gen, reload: true}
	}
	return d, nil
}

// writeDocs writes the changed document records, block by block, and
// keeps them for the delta.
func (w *writer) writeDocs() error {
	if len(w.docs) == 0 {
		return nil
	}
	slices.SortStableFunc(w.docs, func(a, b docChange) int { return int(a.doc) - int(b.doc) })
	for i := 0; i < len(w.docs); {
		block := w.docs[i].doc / docsPerBlock
		j := i
		end := 0
		for j < len(w.docs) && w.docs[j].doc/docsPerBlock == block {
			end = max(end, int(w.docs[j].doc%docsPerBlock+1)*docRecordSize)
			j++
		}
		key := blockKey(block)
		old := w.b.docs.Get(key)
		// The block holds every document made before this batch.
		made := int64(w.meta.nextDoc) - int64(len(w.newIDs)) - int64(block)*docsPerBlock
		if want := min(max(made, 0), docsPerBlock) * docRecordSize; int64(len(old)) != want {
			return corrupt("document block %d of %d bytes, not %d", block, len(old), want)
		}
		raw := make([]byte, max(len(old), end))
		copy(raw, old)
		for _, x := range w.docs[i:j] {
			x.rec.put(raw[int(x.doc%docsPerBlock)*docRecordSize:])
		}
		if err := w.b.docs.Put(key, raw); err != nil {
			return err
		}
		i = j
	}
	return nil
}

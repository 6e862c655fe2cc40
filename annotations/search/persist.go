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
	docsPerBlock  = 1024
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
		if len(w) <= maxWordBytes && !slices.Contains(out, w) {
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

// Delta is what one call of Writer.Update or Writer.SetTitle changed, for a
// Cache to follow without reloading (see Cache.Changed). A large change (an
// import) carries no details: the cache reloads.
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

const (
	// maxDelta is the size of change past which a Delta carries no details.
	maxDelta = 4096
	// batchSize bounds the annotations whose words are gathered at once,
	// and so the memory of a call of Update however many it is given.
	batchSize = 8192
	// stageMin is the size of a batch of new annotations whose postings
	// are staged (see Writer) rather than written at once.
	stageMin = 1024
)

// Writer keeps the persisted index in kv in step with the annotations and
// articles written in one transaction; the store makes one per write
// transaction, calls Update and SetTitle with every write, and Flush before
// it commits.
//
// A batch of annotations rewrites the chunks of each word (and tag) it
// touches once, in key order. New annotations in large batches (an import)
// are not written at once, though: their entries are staged in memory,
// delta-encoded as they will be stored, and appended to their lists by
// Flush, in key order over the whole transaction. bbolt keeps the pages a
// transaction changes unsplit until it commits, so keys inserted in random
// order into a bucket that was small when the transaction began cost a
// copy of the whole growing page each: measured here, 100,000 inserts in
// batches of 10,000 took 4.7 s and 200,000 took 21 s (0.55 s into a bucket
// that already held 100,000 keys). An import made of many calls, each
// adding new words and chunks all over the key space, would be quadratic;
// appended at the end in key order, it is not.
type Writer struct {
	b     buckets
	meta  indexMeta
	stage staging
}

// NewWriter returns the writer of the index in kv, a write transaction.
func NewWriter(kv KV) (*Writer, error) {
	b, err := openBuckets(kv)
	if err != nil {
		return nil, err
	}
	m, err := readMeta(b.meta)
	if err != nil {
		return nil, err
	}
	return &Writer{b: b, meta: m}, nil
}

// Update brings the index in step with a batch of annotations written in
// the transaction (each at most once in changes). title returns the title
// of an article (for articles the index meets for the first time). It
// returns what changed, for the caches of the index (see Cache.Changed),
// once the transaction commits. An index that does not agree with the old
// versions it is given gives ErrCorrupt.
func (w *Writer) Update(changes []Change, title func(articleID uuid.UUID) (string, error)) (*Delta, error) {
	if len(changes) == 0 {
		return nil, nil
	}
	var d *Delta
	for i := 0; i < len(changes); i += batchSize {
		part := changes[i:min(len(changes), i+batchSize)]
		// Staged entries are appended to the lists in document order:
		// only a batch of new documents may be staged, not one that
		// changes a document (an annotation written again, or one
		// deleted for good and made again, which takes back its
		// document).
		staged := len(part) >= stageMin && !slices.ContainsFunc(part, func(c Change) bool {
			return c.Old != nil || w.b.ids.Get(c.New.ID[:]) != nil
		})
		if !staged {
			// The lists must hold what is staged before they change.
			if err := w.Flush(); err != nil {
				return nil, err
			}
		}
		b := &batch{w: w, staged: staged, articles: map[uuid.UUID]*articleState{}, tagNums: map[string]uint32{}}
		b.table.init(1 << 12)
		b.madeBefore = w.meta.nextDoc
		for k := range part {
			if err := b.change(&part[k], title); err != nil {
				return nil, err
			}
		}
		var err error
		if d, err = b.flush(); err != nil {
			return nil, err
		}
		if staged || len(changes) > batchSize {
			d.reload = true
		}
	}
	return w.commit(d)
}

// SetTitle changes the title of an article in the index (nothing happens
// when the index has no annotation of it).
func (w *Writer) SetTitle(articleID uuid.UUID, title string) (*Delta, error) {
	b := &batch{w: w, articles: map[uuid.UUID]*articleState{}}
	b.madeBefore = w.meta.nextDoc
	art, err := b.article(articleID, nil)
	if err != nil || art == nil || art.title == title {
		return nil, err
	}
	art.title = title
	d, err := b.flush()
	if err != nil {
		return nil, err
	}
	return w.commit(d)
}

// commit writes the state with a new generation, the delta's.
func (w *Writer) commit(d *Delta) (*Delta, error) {
	w.meta.gen++
	if err := w.b.meta.Put(keyState, w.meta.encode()); err != nil {
		return nil, err
	}
	d.gen = w.meta.gen
	if d.reload || len(d.docs) > maxDelta || len(d.added)+len(d.removed) > maxDelta || len(d.articles) > maxDelta {
		*d = Delta{gen: d.gen, reload: true}
	}
	return d, nil
}

// staging holds the entries of new documents written in large batches,
// delta-encoded per list, until Flush appends them to their lists.
type staging struct {
	words   termTable
	lists   []stagedList
	marks   []wordMark // per word, its fields in the document being staged
	stamp   uint32
	touched []uint32
	tagNums map[string]uint32
	tagKeys []string
	tags    []stagedList
	ids     []docChange // the new documents, by ID
}

// stagedList is a list's entries to append, ascending: uvarints of the
// differences, the first from 0.
type stagedList struct {
	data []byte
	last uint32
}

func (l *stagedList) add(v uint32) {
	l.data = binary.AppendUvarint(l.data, uint64(v-l.last))
	l.last = v
}

func (l *stagedList) ops(list uint32, ops []listOp) []listOp {
	v := uint64(0)
	for data := l.data; len(data) > 0; {
		d, n := binary.Uvarint(data)
		v += d
		ops = append(ops, packOp(list, uint32(v), false))
		data = data[n:]
	}
	return ops
}

func (s *staging) tag(k string) *stagedList {
	if s.tagNums == nil {
		s.tagNums = map[string]uint32{}
	}
	n, ok := s.tagNums[k]
	if !ok {
		n = uint32(len(s.tagKeys))
		s.tagNums[k] = n
		s.tagKeys = append(s.tagKeys, k)
		s.tags = append(s.tags, stagedList{})
	}
	return &s.tags[n]
}

// has reports whether word has staged entries.
func (s *staging) has(word string) bool {
	_, ok := s.words.find([]byte(word))
	return ok
}

// Flush appends the staged entries to their lists, in key order, and adds
// the words new to the vocabulary. The store calls it before the
// transaction commits (Update calls it before it changes lists that may
// hold staged entries).
func (w *Writer) Flush() error {
	s := &w.stage
	if len(s.ids) == 0 {
		return nil
	}
	var (
		ops   []listOp
		fresh []string // words whose lists were empty
	)
	e := &listEditor{b: w.b.postings, shift: fieldBits, limit: w.meta.nextDoc}
	for _, t := range keyOrder(s.words.terms, nil) {
		ops = s.lists[t].ops(t, ops[:0])
		e.key = listPrefix(e.key, s.words.terms[t])
		prefix := slices.Clone(e.key)
		had, _, err := e.edit(prefix, ops)
		if err != nil {
			return fmt.Errorf("list of %q: %w", s.words.terms[t], err)
		}
		if !had {
			fresh = append(fresh, s.words.terms[t])
		}
		s.lists[t] = stagedList{} // let it go
	}
	e = &listEditor{b: w.b.tags, shift: 0, limit: w.meta.nextDoc}
	for _, t := range keyOrder(s.tagKeys, nil) {
		ops = s.tags[t].ops(t, ops[:0])
		prefix := listPrefix(nil, s.tagKeys[t])
		if _, _, err := e.edit(prefix, ops); err != nil {
			return fmt.Errorf("list of tag %q: %w", s.tagKeys[t], err)
		}
	}
	slices.SortFunc(s.ids, func(a, b docChange) int { return bytes.Compare(a.rec.id[:], b.rec.id[:]) })
	for _, x := range s.ids {
		if err := w.b.ids.Put(x.rec.id[:], binary.BigEndian.AppendUint32(nil, x.doc)); err != nil {
			return err
		}
	}
	slices.Sort(fresh)
	for _, t := range fresh {
		if w.b.terms.Get([]byte(t)) == nil {
			if err := w.b.terms.Put([]byte(t), []byte{0}); err != nil {
				return err
			}
			w.meta.words++
			w.meta.wordBytes += uint32(len(t))
		}
	}
	w.stage = staging{}
	// The state's counts of words; its generation is the staged batches'.
	return w.b.meta.Put(keyState, w.meta.encode())
}

// keyOrder returns the numbers of names in the order of their lists' keys:
// by length, then bytes (the order of listPrefix). keep, when not nil,
// says which to keep.
func keyOrder(names []string, keep func(i int) bool) []uint32 {
	order := make([]uint32, 0, len(names))
	for i := range names {
		if keep == nil || keep(i) {
			order = append(order, uint32(i))
		}
	}
	slices.SortFunc(order, func(a, b uint32) int {
		x, y := names[a], names[b]
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		return strings.Compare(x, y)
	})
	return order
}

// batch is one batch of an Update (or a SetTitle).
type batch struct {
	w          *Writer
	staged     bool
	madeBefore uint32 // documents made before this batch

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

// article returns the batch's state of an article: read from the index,
// or new (numbered, titled by title) when title is not nil, or nil.
func (b *batch) article(id uuid.UUID, title func(uuid.UUID) (string, error)) (*articleState, error) {
	if a, ok := b.articles[id]; ok {
		return a, nil
	}
	raw := b.w.b.articles.Get(id[:])
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
		a = &articleState{articleRecord: articleRecord{id: id, num: b.w.meta.nextArticle, title: t}}
		b.w.meta.nextArticle++
	}
	b.articles[id] = a
	return a, nil
}

// docRecord reads the record of document d.
func (b *batch) docRecord(d uint32) (docRecord, error) {
	raw := b.w.b.docs.Get(blockKey(d / docsPerBlock))
	off := int(d%docsPerBlock) * docRecordSize
	if d >= b.madeBefore || off+docRecordSize > len(raw) {
		return docRecord{}, corrupt("document %d has no record", d)
	}
	return getDocRecord(raw[off:]), nil
}

func (b *batch) change(c *Change, title func(uuid.UUID) (string, error)) error {
	w, a := b.w, c.New
	var doc uint32
	if c.Old != nil {
		raw := w.b.ids.Get(a.ID[:])
		if len(raw) != 4 {
			return corrupt("annotation %s is not in it", a.ID)
		}
		doc = binary.BigEndian.Uint32(raw)
		rec, err := b.docRecord(doc)
		if err != nil {
			return err
		}
		if alive := rec.meta&metaAlive != 0; rec.id != a.ID || alive == c.Old.Trashed() {
			return corrupt("document %d is not annotation %s as it was", doc, a.ID)
		}
	} else if raw := w.b.ids.Get(a.ID[:]); raw != nil {
		// Deleted for good and now made again (an import, another
		// device's sync): its dead document, which has no postings,
		// is its again, so that each ID keeps one document.
		if len(raw) != 4 {
			return corrupt("the ID entry of annotation %s", a.ID)
		}
		doc = binary.BigEndian.Uint32(raw)
		rec, err := b.docRecord(doc)
		if err != nil {
			return err
		}
		if rec.id != a.ID || rec.meta&metaAlive != 0 {
			return corrupt("document %d of annotation %s, made again, is alive", doc, a.ID)
		}
	} else {
		if w.meta.nextDoc >= maxDocs {
			return fmt.Errorf("the search index is full (%d documents)", w.meta.nextDoc)
		}
		doc = w.meta.nextDoc
		w.meta.nextDoc++
		b.newIDs = append(b.newIDs, docChange{doc: doc, rec: docRecord{id: a.ID}})
	}
	oldAlive := c.Old != nil && !c.Old.Trashed()
	newAlive := !a.Trashed()
	if oldAlive {
		art, err := b.article(c.Old.ArticleID, nil)
		if err != nil {
			return err
		}
		if art == nil || art.live == 0 {
			return corrupt("article %s of annotation %s", c.Old.ArticleID, a.ID)
		}
		art.live--
		w.meta.live--
	}
	art, err := b.article(a.ArticleID, title)
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
	b.docs = append(b.docs, docChange{doc, docRecord{id: a.ID, meta: meta, article: art.num, updated: unixNano(a.UpdatedAt)}})
	if b.staged {
		if newAlive {
			b.stage(a, doc)
		}
		return nil
	}

	// Words: the fields of each in the old and the new version.
	b.stamp++
	b.touched = b.touched[:0]
	mark := func(x *annotations.Annotation, isNew bool) {
		each := func(field uint8) func(f []byte, h uint32) {
			return func(f []byte, h uint32) {
				if len(f) > maxWordBytes {
					return
				}
				t := b.table.lookup(f, h)
				if int(t) >= len(b.marks) {
					b.marks = append(b.marks, make([]wordMark, int(t)+1-len(b.marks))...)
				}
				m := &b.marks[t]
				if m.stamp != b.stamp {
					*m = wordMark{stamp: b.stamp}
					b.touched = append(b.touched, t)
				}
				if isNew {
					m.newF |= field
				} else {
					m.oldF |= field
				}
			}
		}
		b.buf = tokenizeHashed(x.Target.Exact, b.buf, each(fieldQuote))
		b.buf = tokenizeHashed(x.Note, b.buf, each(fieldNote))
		for _, tag := range x.Tags {
			b.buf = tokenizeHashed(tag, b.buf, each(fieldTags))
		}
	}
	if oldAlive {
		mark(c.Old, false)
	}
	if newAlive {
		mark(a, true)
	}
	for _, t := range b.touched {
		m := b.marks[t]
		switch {
		case m.oldF == m.newF:
		case m.newF == 0:
			b.ops = append(b.ops, packOp(t, doc<<fieldBits, true))
		default:
			b.ops = append(b.ops, packOp(t, doc<<fieldBits|uint32(m.newF), false))
		}
	}

	// Tags, and the author (kept as a tag is).
	oldKeys, newKeys := b.keys[0][:0], b.keys[1][:0]
	if oldAlive {
		oldKeys = appendListKeys(oldKeys, c.Old)
	}
	if newAlive {
		newKeys = appendListKeys(newKeys, a)
	}
	for _, k := range oldKeys {
		if !slices.Contains(newKeys, k) {
			b.tagOps = append(b.tagOps, packOp(b.tagNum(k), doc, true))
		}
	}
	for _, k := range newKeys {
		if !slices.Contains(oldKeys, k) {
			b.tagOps = append(b.tagOps, packOp(b.tagNum(k), doc, false))
		}
	}
	b.keys[0], b.keys[1] = oldKeys, newKeys
	return nil
}

// stage stages the entries of a new, live document.
func (b *batch) stage(a *annotations.Annotation, doc uint32) {
	s := &b.w.stage
	if s.words.slots == nil {
		s.words.init(1 << 14)
	}
	s.stamp++
	s.touched = s.touched[:0]
	each := func(field uint8) func(f []byte, h uint32) {
		return func(f []byte, h uint32) {
			if len(f) > maxWordBytes {
				return
			}
			t := s.words.lookup(f, h)
			if int(t) == len(s.lists) {
				s.lists = append(s.lists, stagedList{})
				s.marks = append(s.marks, wordMark{})
			}
			m := &s.marks[t]
			if m.stamp != s.stamp {
				*m = wordMark{stamp: s.stamp}
				s.touched = append(s.touched, t)
			}
			m.newF |= field
		}
	}
	b.buf = tokenizeHashed(a.Target.Exact, b.buf, each(fieldQuote))
	b.buf = tokenizeHashed(a.Note, b.buf, each(fieldNote))
	for _, tag := range a.Tags {
		b.buf = tokenizeHashed(tag, b.buf, each(fieldTags))
	}
	for _, t := range s.touched {
		s.lists[t].add(doc<<fieldBits | uint32(s.marks[t].newF))
	}
	for _, k := range appendListKeys(b.keys[0][:0], a) {
		s.tag(k).add(doc)
	}
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

func (b *batch) tagNum(k string) uint32 {
	n, ok := b.tagNums[k]
	if !ok {
		n = uint32(len(b.tagKeys))
		b.tagNums[k] = n
		b.tagKeys = append(b.tagKeys, k)
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
	order := keyOrder(names, func(l int) bool { return starts[l+1] > starts[l] })
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

// flush writes the batch: postings and tag lists (or, staged, the IDs to
// the stage), document records, IDs, articles, and the vocabulary.
func (b *batch) flush() (*Delta, error) {
	w := b.w
	d := &Delta{}
	// Postings.
	lists := map[string]bool{} // words whose list went from empty to not (true) or back
	e := &listEditor{b: w.b.postings, shift: fieldBits, limit: w.meta.nextDoc}
	if err := editLists(e, b.table.terms, b.ops, func(word string, _, has bool) { lists[word] = has }); err != nil {
		return nil, err
	}
	e = &listEditor{b: w.b.tags, shift: 0, limit: w.meta.nextDoc}
	if err := editLists(e, b.tagKeys, b.tagOps, nil); err != nil {
		return nil, err
	}
	if err := b.writeDocs(); err != nil {
		return nil, err
	}
	d.docs = b.docs
	if b.staged {
		w.stage.ids = append(w.stage.ids, b.newIDs...)
	} else {
		slices.SortFunc(b.newIDs, func(x, y docChange) int { return bytes.Compare(x.rec.id[:], y.rec.id[:]) })
		for _, x := range b.newIDs {
			if err := w.b.ids.Put(x.rec.id[:], binary.BigEndian.AppendUint32(nil, x.doc)); err != nil {
				return nil, err
			}
		}
	}

	// Articles, and the title words of those whose titles came into or
	// left the vocabulary.
	refs := map[string]int{}
	ids := make([]uuid.UUID, 0, len(b.articles))
	for id, a := range b.articles {
		if a.articleRecord != a.before || !a.known {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(x, y uuid.UUID) int { return bytes.Compare(x[:], y[:]) })
	for _, id := range ids {
		a := b.articles[id]
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

	// The vocabulary: a word is there while it has postings (stored or
	// staged) or a title.
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
			has = ed.any(prefix) || w.stage.has(t)
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
				w.meta.words++
				w.meta.wordBytes += uint32(len(t))
			}
		case raw != nil:
			if err := w.b.terms.Delete([]byte(t)); err != nil {
				return nil, err
			}
			d.removed = append(d.removed, t)
			w.meta.words--
			w.meta.wordBytes -= uint32(len(t))
		}
	}
	return d, nil
}

// writeDocs writes the changed document records, block by block.
func (b *batch) writeDocs() error {
	if len(b.docs) == 0 {
		return nil
	}
	w := b.w
	slices.SortStableFunc(b.docs, func(x, y docChange) int { return int(x.doc) - int(y.doc) })
	for i := 0; i < len(b.docs); {
		block := b.docs[i].doc / docsPerBlock
		j := i
		end := 0
		for j < len(b.docs) && b.docs[j].doc/docsPerBlock == block {
			end = max(end, int(b.docs[j].doc%docsPerBlock+1)*docRecordSize)
			j++
		}
		key := blockKey(block)
		old := w.b.docs.Get(key)
		// The block holds every document made before this batch.
		made := int64(b.madeBefore) - int64(block)*docsPerBlock
		if want := min(max(made, 0), docsPerBlock) * docRecordSize; int64(len(old)) != want {
			return corrupt("document block %d of %d bytes, not %d", block, len(old), want)
		}
		raw := make([]byte, max(len(old), end))
		copy(raw, old)
		for _, x := range b.docs[i:j] {
			x.rec.put(raw[int(x.doc%docsPerBlock)*docRecordSize:])
		}
		if err := w.b.docs.Put(key, raw); err != nil {
			return err
		}
		i = j
	}
	return nil
}

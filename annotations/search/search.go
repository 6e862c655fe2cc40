package search

import (
	"bytes"
	"cmp"
	"container/heap"
	"math"
	"math/bits"
	"slices"
	"strings"
	"sync"

	"github.com/google/uuid"
)

// DefaultLimit is the number of hits Search returns when asked for a limit
// of zero or less.
const DefaultLimit = 50

// Hit is one result. Matches maps a field name ("quote", "note", "tags",
// "title") to the matched rune ranges [start, end) in that field's text
// (for "tags": in the tags joined by ", "; for "title": in the article's
// title); fields without a match are absent.
type Hit struct {
	ID        uuid.UUID           `json:"id"`
	ArticleID uuid.UUID           `json:"article_id"`
	Score     float64             `json:"score"`
	Matches   map[string][][2]int `json:"matches"`
}

// Search runs a query and returns up to limit hits (DefaultLimit when limit
// <= 0), best first. Query words must all match (exactly, by prefix, with a
// small typo, or as an abbreviation); "quoted phrases" must occur as they
// are; qualifiers filter:
//
//	tag:NAME  -tag:NAME       has a tag beginning with NAME (quoted: that tag
//	                          alone); has not this tag
//	color:NAME  -color:NAME   of (not) this colour (a name or 1–8)
//	article:WORDS             in an article whose title has words beginning so
//	author:NAME  -author:NAME made by an author whose name begins with NAME
//	                          (quoted: that name alone); not by this author
//	is:orphan  is:fuzzy  is:anchored   by status
//	has:note  has:tags        with a note, with tags (-has:note: without)
//	-word                     without this word
//
// A query of qualifiers alone (or nothing) lists what they select, most
// recently changed first. A malformed query returns an error wrapping
// ErrQuery.
func (ix *Index) Search(query string, limit int) ([]Hit, error) {
	q, err := parse(query)
	if err != nil {
		return nil, err
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return searchState(&ix.state, ix, q, limit, &ix.scratch)
}

// Validate reports whether a query can be read, as Search would: nil, or
// an error wrapping ErrQuery. It needs no index.
func Validate(query string) error {
	_, err := parse(query)
	return err
}

// searchState runs a parsed query on a state and the source of what it
// does not hold: the one search of both the in-memory and the persisted
// index. pool holds the per-search scratch memory.
func searchState(st *state, src source, q *query, limit int, pool *sync.Pool) ([]Hit, error) {
	if limit <= 0 {
		limit = DefaultLimit
	}
	r, err := newRun(st, src, q)
	if err != nil {
		return nil, err
	}
	if r.none {
		return []Hit{}, nil
	}
	s := getScratch(pool, st.docCount())
	defer pool.Put(s)
	r.s = s
	ranked, err := r.rank(limit)
	if err != nil {
		return nil, err
	}
	hits := make([]Hit, len(ranked))
	for i, rk := range ranked {
		if hits[i], err = r.hit(rk); err != nil {
			return nil, err
		}
	}
	return hits, nil
}

// unit is one word to match: a query word, or a word of a phrase (required,
// but scored with its phrase).
type unit struct {
	hits   []termHit
	lists  [][]uint32 // the postings of each of hits
	docs   []uint32   // instead of hits, for tag:NAME: the documents with the tag
	match  *wordMatcher
	weight float32 // 1, or 0 for a phrase word
	cost   int     // postings to read for a dense pass
}

// cell is a document's state in a search: mark says which round of the
// search it survived (values of earlier searches are below the search's
// base), slot where it is among the candidates.
type cell struct{ mark, slot uint32 }

// cand is a candidate document of a search. total is a float64 so that it
// is exact: it sums at most maxWords float32 products of a small range of
// magnitudes, so its value does not depend on the order of the units (which
// follows the lengths of postings lists, and so could differ between two
// indexes of the same annotations).
type cand struct {
	doc   uint32
	total float64 // score so far
	best  float32 // best match of the current unit
}

// scratch is the per-search memory, pooled: a cell per document, and the
// candidates.
type scratch struct {
	cells []cell
	base  uint32
	cands []cand
	buf   []byte
}

func getScratch(pool *sync.Pool, n int) *scratch {
	s, _ := pool.Get().(*scratch)
	if s == nil {
		s = &scratch{base: 1}
	}
	if len(s.cells) < n {
		n += n/4 + 64
		s.cells, s.base = make([]cell, n), 1
	}
	return s
}

// run is one search: the parsed query resolved against the index.
type run struct {
	ix    *state
	src   source
	q     *query
	s     *scratch
	none  bool // nothing can match
	units []unit
	// phrases, matched by their words' postings and checked in the text.
	phrases []*phrase
	// Filters.
	metaFilter        bool
	artAllow, artDeny []bool
	notTagLists       [][]uint32
	notWordLists      [][]uint32
	rejected          uint32            // the mark of documents that -tag: and -word exclude
	titleDone         map[titleKey]bool // cache of phrase checks in titles
	// artDocs holds the document lists of the articles this search needs,
	// when the state keeps counts only (lazyDocs).
	artDocs [][]uint32
	// partial holds the words matched with typos or as subsequences, for
	// highlighting (see indexPartial), with their shortest and longest
	// length in bytes.
	partial                map[string][][]int
	partialMin, partialMax int
}

func newRun(ix *state, src source, q *query) (*run, error) {
	r := &run{ix: ix, src: src, q: q}
	v := &ix.vocab
	addUnit := func(w string, exactOnly bool, weight float32) error {
		hits, m := v.expand(w, exactOnly)
		if len(hits) == 0 {
			r.none = true
			return nil
		}
		u := unit{hits: hits, match: m, weight: weight, lists: make([][]uint32, len(hits))}
		for i, h := range hits {
			list, err := src.readPostings(h.term)
			if err != nil {
				return err
			}
			u.lists[i] = list
			u.cost += len(list)
			for _, art := range ix.titleTerms[h.term] {
				u.cost += ix.articleLen(art)
			}
		}
		r.units = append(r.units, u)
		return nil
	}
	for _, w := range q.words {
		if err := addUnit(w, false, 1); err != nil || r.none {
			return r, err
		}
	}
	for _, toks := range q.phrases {
		seen := map[string]bool{}
		for _, w := range toks {
			if !seen[w] {
				seen[w] = true
				if err := addUnit(w, true, 0); err != nil || r.none {
					return r, err
				}
			}
		}
		if len(toks) > 1 {
			r.phrases = append(r.phrases, newPhrase(toks))
		} else {
			r.units[len(r.units)-1].weight = 1 // a one-word phrase is an exact word
		}
	}
	r.metaFilter = q.colors|q.notColors|q.statuses|q.notStatuses != 0 || q.hasNote != 0 || q.hasTags != 0
	if len(q.articles) > 0 {
		r.artAllow = make([]bool, len(ix.articles))
		anyArt := false
		for i := range ix.articles {
			a := &ix.articles[i]
			ok := ix.articleLen(uint32(i)) > 0
			for k, words := range q.articles {
				ok = ok && articleMatches(a, words, q.articleIDs[k])
			}
			r.artAllow[i] = ok
			anyArt = anyArt || ok
		}
		if !anyArt {
			r.none = true
			return r, nil
		}
	}
	if len(q.notArticles) > 0 {
		r.artDeny = make([]bool, len(ix.articles))
		for i := range ix.articles {
			for k, words := range q.notArticles {
				if articleMatches(&ix.articles[i], words, q.notArticleIDs[k]) {
					r.artDeny[i] = true
				}
			}
		}
	}
	// Tags and authors are lists of the same kind (an author's key is
	// kept as a tag's is).
	keys, prefixes := slices.Concat(q.tags, q.authors), slices.Concat(q.tagPrefix, q.authorPrefix)
	for i, k := range keys {
		list, err := src.readTag(k)
		if err != nil {
			return r, err
		}
		if prefixes[i] {
			if list, err = tagsBeginning(src, k, list); err != nil {
				return r, err
			}
		}
		if len(list) == 0 {
			r.none = true
			return r, nil
		}
		r.units = append(r.units, unit{docs: list, cost: len(list)})
	}
	for _, k := range slices.Concat(q.notTags, q.notAuthors) {
		list, err := src.readTag(k)
		if err != nil {
			return r, err
		}
		if len(list) > 0 {
			r.notTagLists = append(r.notTagLists, list)
		}
	}
	slices.SortStableFunc(r.units, func(a, b unit) int { return cmp.Compare(a.cost, b.cost) })
	for _, w := range q.notWords {
		t, ok := v.find(w)
		if !ok {
			continue
		}
		list, err := src.readPostings(t)
		if err != nil {
			return r, err
		}
		r.notWordLists = append(r.notWordLists, list)
		for _, art := range ix.titleTerms[t] {
			if r.artDeny == nil {
				r.artDeny = make([]bool, len(ix.articles))
			}
			r.artDeny[art] = true
		}
	}
	if ix.lazyDocs {
		r.collectArticleDocs()
	}
	return r, nil
}

// collectArticleDocs gathers, in one pass over the documents, the lists
// of the articles this search may visit: those whose titles hold a word
// of a unit, and those article: allows.
func (r *run) collectArticleDocs() {
	ix := r.ix
	need := make([]bool, len(ix.articles))
	needed := false
	for _, u := range r.units {
		for _, h := range u.hits {
			for _, art := range ix.titleTerms[h.term] {
				need[art], needed = true, true
			}
		}
	}
	for i, ok := range r.artAllow {
		if ok {
			need[i], needed = true, true
		}
	}
	if !needed {
		return
	}
	r.artDocs = make([][]uint32, len(ix.articles))
	for i, ok := range need {
		if ok {
			r.artDocs[i] = make([]uint32, 0, ix.articles[i].ndocs)
		}
	}
	for d := range uint32(ix.docCount()) {
		if art := ix.articleOf(d); need[art] {
			r.artDocs[art] = append(r.artDocs[art], d)
		}
	}
}

// docsOf returns the documents of an article, ascending.
func (r *run) docsOf(art uint32) []uint32 {
	if r.ix.lazyDocs {
		if r.artDocs == nil {
			return nil
		}
		return r.artDocs[art]
	}
	return r.ix.articles[art].docs
}

// articleMatches reports whether every word of words begins a word of the
// article's title, or (for 8 characters or more) id is a prefix of its ID.
func articleMatches(a *article, words []string, id string) bool {
	if len(id) >= 8 && strings.HasPrefix(a.id.String(), id) {
		return true
	}
	for _, w := range words {
		found := false
		for _, t := range a.tokens {
			if strings.HasPrefix(t, w) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// ok applies the cheap filters: alive, meta bits, article.
func (r *run) ok(d uint32) bool {
	ix := r.ix
	m := ix.metaOf(d)
	if m&metaAlive == 0 {
		return false
	}
	if r.metaFilter && !r.metaOK(m) {
		return false
	}
	if r.artAllow != nil && !r.artAllow[ix.articleOf(d)] {
		return false
	}
	return r.artDeny == nil || !r.artDeny[ix.articleOf(d)]
}

func (r *run) metaOK(m uint16) bool {
	q := r.q
	color := uint8(0)
	if k := m >> metaColorShift & 15; k > 0 {
		color = 1 << (k - 1)
	}
	status := uint8(m >> metaStatusShift & 7)
	switch {
	case q.colors != 0 && q.colors&color == 0,
		q.notColors&color != 0,
		q.statuses != 0 && q.statuses&status == 0,
		q.notStatuses&status != 0,
		q.hasNote > 0 && m&metaNote == 0,
		q.hasNote < 0 && m&metaNote != 0,
		q.hasTags > 0 && m&metaTags == 0,
		q.hasTags < 0 && m&metaTags != 0:
		return false
	}
	return true
}

// containsDoc reports whether an ascending list of documents holds d.
func containsDoc(list []uint32, d uint32) bool {
	_, ok := slices.BinarySearch(list, d)
	return ok
}

// findPosting finds document d in an ascending postings list and returns
// its fields.
func findPosting(list []uint32, d uint32) (uint32, bool) {
	key := d << fieldBits
	lo, hi := 0, len(list)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if list[m] < key {
			lo = m + 1
		} else {
			hi = m
		}
	}
	if lo < len(list) && list[lo]>>fieldBits == d {
		return list[lo] & (1<<fieldBits - 1), true
	}
	return 0, false
}

// rank finds the best limit documents.
func (r *run) rank(limit int) ([]ranked, error) {
	ix, s := r.ix, r.s
	nu := uint32(len(r.units))
	if s.base > math.MaxUint32-nu-4 {
		clear(s.cells)
		s.base = 1
	}
	base := s.base
	s.base += nu + 2
	r.rejected = base + nu + 1
	for _, list := range r.notTagLists {
		for _, d := range list {
			s.cells[d].mark = r.rejected
		}
	}
	for _, list := range r.notWordLists {
		for _, p := range list {
			s.cells[p>>fieldBits].mark = r.rejected
		}
	}

	top := newTopK(limit, r.src.readID)
	if len(r.units) == 0 {
		// Qualifiers alone: every document they select, by recency.
		r.eachSelected(func(d uint32) {
			if s.cells[d].mark != r.rejected && r.ok(d) {
				top.push(ranked{score: 1, updated: ix.updatedOf(d), doc: d})
			}
		})
		return top.sorted(), nil
	}

	c := s.cands[:0]
	// Room for every candidate at once: growing by doubling would touch
	// twice the memory.
	first := min(r.units[0].cost, ix.docCount())
	if n := r.articleDocs(); n >= 0 && n < first {
		first = n
	}
	if cap(c) < first {
		c = make([]cand, 0, first)
	}
	round := uint32(0)
	started := false
	if n := r.articleDocs(); n >= 0 && n < r.units[0].cost {
		r.eachSelected(func(d uint32) {
			if m := s.cells[d].mark; m != base && m != r.rejected && r.ok(d) {
				s.cells[d] = cell{base, uint32(len(c))}
				c = append(c, cand{doc: d})
			}
		})
		started = true
	}
	for i := range r.units {
		u := &r.units[i]
		switch {
		case !started:
			c = r.firstPass(u, c, base)
			round = 1
			started = true
		default:
			c = r.nextPass(u, c, base+round)
			round++
		}
		if len(c) == 0 {
			break
		}
	}
	s.cands = c[:0]

	nScored := len(r.q.words) + len(r.q.phrases)
	inv := float32(1)
	if nScored > 0 {
		inv = 1 / float32(nScored)
	}
	if len(r.phrases) > 0 {
		return r.rankPhrases(c, limit, inv)
	}
	for _, x := range c {
		score := float32(x.total) * inv
		if nScored == 0 {
			score = 1
		}
		if len(top.heap) == top.k && score < top.heap[0].score {
			continue // cannot make the cut: skip the look-up of its time
		}
		top.push(ranked{score: score, updated: ix.updatedOf(x.doc), doc: x.doc})
	}
	return top.sorted(), nil
}

// articleDocs returns the number of documents of the articles that
// article: qualifiers allow, or -1 when there are none.
func (r *run) articleDocs() int {
	if r.artAllow == nil {
		return -1
	}
	n := 0
	for i, ok := range r.artAllow {
		if ok {
			n += r.ix.articleLen(uint32(i))
		}
	}
	return n
}

// eachSelected calls fn with the documents of the articles that article:
// allows, or with every document; dead ones included.
func (r *run) eachSelected(fn func(d uint32)) {
	if r.artAllow == nil {
		for d := range uint32(r.ix.docCount()) {
			fn(d)
		}
		return
	}
	for i, ok := range r.artAllow {
		if ok {
			for _, d := range r.docsOf(uint32(i)) {
				fn(d)
			}
		}
	}
}

// firstPass makes the candidates from the first unit's postings.
func (r *run) firstPass(u *unit, c []cand, base uint32) []cand {
	ix := r.ix
	cells := r.s.cells
	cur, rejected := base+1, r.rejected
	visit := func(d uint32, v float32) {
		switch x := &cells[d]; x.mark {
		case cur:
			if y := &c[x.slot]; v > y.best {
				y.best = v
			}
		case rejected:
		default:
			if !r.ok(d) {
				x.mark = rejected
				return
			}
			*x = cell{cur, uint32(len(c))}
			c = append(c, cand{doc: d, best: v})
		}
	}
	for _, d := range u.docs {
		visit(d, 0)
	}
	for k, h := range u.hits {
		var w [1 << fieldBits]float32
		for f := range w {
			w[f] = h.quality * fieldWeight[f]
		}
		for _, p := range u.lists[k] {
			d := p >> fieldBits
			v := w[p&(1<<fieldBits-1)]
			x := &cells[d]
			if x.mark == cur {
				if y := &c[x.slot]; v > y.best {
					y.best = v
				}
				continue
			}
			if x.mark == rejected {
				continue
			}
			visit(d, v)
		}
		for _, art := range ix.titleTerms[h.term] {
			for _, d := range r.docsOf(art) {
				visit(d, h.quality*weightTitle)
			}
		}
	}
	for i := range c {
		c[i].total += float64(c[i].best * u.weight)
		c[i].best = 0
	}
	return c
}

// nextPass keeps the candidates (marked prev) that the unit matches. Each
// postings list is either read through, marking the candidates it holds,
// or, when the candidates are far fewer than its entries, searched for
// each candidate (Baeza-Yates 2004: intersect by the smaller side).
func (r *run) nextPass(u *unit, c []cand, prev uint32) []cand {
	ix := r.ix
	cells := r.s.cells
	cur := prev + 1
	visit := func(d uint32, v float32) {
		switch x := &cells[d]; x.mark {
		case prev:
			x.mark = cur
			c[x.slot].best = v
		case cur:
			if y := &c[x.slot]; v > y.best {
				y.best = v
			}
		}
	}
	// probe reports whether searching a list of n entries for each
	// candidate is cheaper than reading the list.
	probe := func(n int) bool { return 4*len(c)*(bits.Len(uint(n))+1) < n }
	if probe(len(u.docs)) {
		for _, x := range c {
			if containsDoc(u.docs, x.doc) {
				visit(x.doc, 0)
			}
		}
	} else {
		for _, d := range u.docs {
			visit(d, 0)
		}
	}
	var titles map[uint32]float32 // articles → best title match, when probing
	for k, h := range u.hits {
		var w [1 << fieldBits]float32
		for f := range w {
			w[f] = h.quality * fieldWeight[f]
		}
		list := u.lists[k]
		if probe(len(list)) {
			for _, x := range c {
				if f, ok := findPosting(list, x.doc); ok {
					visit(x.doc, w[f])
				}
			}
		} else {
			for _, p := range list {
				visit(p>>fieldBits, w[p&(1<<fieldBits-1)])
			}
		}
		v := h.quality * weightTitle
		for _, art := range ix.titleTerms[h.term] {
			if probe(ix.articleLen(art)) {
				if titles == nil {
					titles = map[uint32]float32{}
				}
				titles[art] = max(titles[art], v)
				continue
			}
			for _, d := range r.docsOf(art) {
				visit(d, v)
			}
		}
	}
	if titles != nil {
		for _, x := range c {
			if v, ok := titles[ix.articleOf(x.doc)]; ok {
				visit(x.doc, v)
			}
		}
	}
	out := c[:0]
	for _, x := range c {
		if cells[x.doc].mark == cur {
			x.total += float64(x.best * u.weight)
			x.best = 0
			cells[x.doc].slot = uint32(len(out))
			out = append(out, x)
		}
	}
	return out
}

// ranked is a document with its score, for ordering.
type ranked struct {
	score    float32
	total    float64 // the score of the words, without phrases (see cand)
	updated  int64
	doc      uint32
	verified bool // phrases checked in the text
}

// better orders hits: score, then recency, then ID (for UUIDv7, the later
// created first). id returns a document's ID.
func better(a, b ranked, id func(uint32) uuid.UUID) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	if a.updated != b.updated {
		return a.updated > b.updated
	}
	x, y := id(a.doc), id(b.doc)
	return bytes.Compare(x[:], y[:]) > 0
}

// topK keeps the best k of what is pushed: a heap with the worst on top.
type topK struct {
	k    int
	heap []ranked
	ids  func(uint32) uuid.UUID
}

func newTopK(k int, id func(uint32) uuid.UUID) *topK { return &topK{k: k, ids: id} }

func (t *topK) push(x ranked) {
	if len(t.heap) < t.k {
		t.heap = append(t.heap, x)
		i := len(t.heap) - 1
		for i > 0 {
			p := (i - 1) / 2
			if !better(t.heap[p], t.heap[i], t.ids) {
				break
			}
			t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
			i = p
		}
		return
	}
	if !better(x, t.heap[0], t.ids) {
		return
	}
	t.heap[0] = x
	i, n := 0, len(t.heap)
	for {
		l, worst := 2*i+1, i
		if l < n && better(t.heap[worst], t.heap[l], t.ids) {
			worst = l
		}
		if r := l + 1; r < n && better(t.heap[worst], t.heap[r], t.ids) {
			worst = r
		}
		if worst == i {
			return
		}
		t.heap[i], t.heap[worst] = t.heap[worst], t.heap[i]
		i = worst
	}
}

// sorted returns what was kept, best first.
func (t *topK) sorted() []ranked {
	slices.SortFunc(t.heap, func(a, b ranked) int {
		if better(a, b, t.ids) {
			return -1
		}
		if better(b, a, t.ids) {
			return 1
		}
		return 0
	})
	return t.heap
}

// maxHeap orders candidates best first, for checking phrases lazily.
type maxHeap struct {
	items []ranked
	ids   func(uint32) uuid.UUID
}

func (h *maxHeap) Len() int           { return len(h.items) }
func (h *maxHeap) Less(i, j int) bool { return better(h.items[i], h.items[j], h.ids) }
func (h *maxHeap) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *maxHeap) Push(x any)         { h.items = append(h.items, x.(ranked)) }
func (h *maxHeap) Pop() any {
	x := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return x
}

// rankPhrases finds the best limit candidates that hold every phrase.
// Every phrase first counts as a best-field match (an upper bound); the
// best candidate is then checked in its text and, with its true score,
// goes back in the heap, until limit checked ones come out on top. So only
// about as many documents are read as are shown.
func (r *run) rankPhrases(c []cand, limit int, inv float32) ([]ranked, error) {
	ix := r.ix
	h := &maxHeap{items: make([]ranked, 0, len(c)), ids: r.src.readID}
	upper := float64(len(r.phrases)) * weightQuote
	for _, x := range c {
		h.items = append(h.items, ranked{score: float32(x.total+upper) * inv, total: x.total, updated: ix.updatedOf(x.doc), doc: x.doc})
	}
	heap.Init(h)
	var out []ranked
	for h.Len() > 0 && len(out) < limit {
		x := heap.Pop(h).(ranked)
		if x.verified {
			out = append(out, x)
			continue
		}
		sum := float64(0)
		for _, p := range r.phrases {
			w, err := r.phraseWeight(x.doc, p)
			if err != nil {
				return nil, err
			}
			if w == 0 {
				sum = -1
				break
			}
			sum += float64(w)
		}
		if sum < 0 {
			continue
		}
		x.score = float32(x.total+sum) * inv
		x.verified = true
		heap.Push(h, x)
	}
	return out, nil
}

// phraseWeight returns the weight of the best field of document d that
// holds phrase p, or 0.
func (r *run) phraseWeight(d uint32, p *phrase) (float32, error) {
	ix, s := r.ix, r.s
	t, err := r.src.readText(d)
	if err != nil {
		return 0, err
	}
	var found bool
	if found, s.buf = p.in(t.quote, s.buf); found {
		return weightQuote, nil
	}
	if found, s.buf = p.inTags(t.tags, s.buf); found {
		return weightTags, nil
	}
	if found, s.buf = p.in(t.note, s.buf); found {
		return weightNote, nil
	}
	art := ix.articleOf(d)
	key := titleKey{art, p}
	if r.titleDone == nil {
		r.titleDone = map[titleKey]bool{}
	}
	in, ok := r.titleDone[key]
	if !ok {
		in, s.buf = p.in(ix.articles[art].title, s.buf)
		r.titleDone[key] = in
	}
	if in {
		return weightTitle, nil
	}
	return 0, nil
}

type titleKey struct {
	article uint32
	phrase  *phrase
}

// tagsBeginning returns the documents of every tag that begins with key
// (exact holds those of key itself), ascending and without repeats.
func tagsBeginning(src source, key string, exact []uint32) ([]uint32, error) {
	keys, err := src.tagKeys(key)
	if err != nil {
		return nil, err
	}
	out := exact
	for _, k := range keys {
		if k == key {
			continue
		}
		list, err := src.readTag(k)
		if err != nil {
			return nil, err
		}
		out = mergeDocs(out, list)
	}
	return out, nil
}

// mergeDocs merges two ascending lists of documents, without repeats.
func mergeDocs(a, b []uint32) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || i < len(a) && a[i] < b[j]:
			out = append(out, a[i])
			i++
		case i == len(a) || b[j] < a[i]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

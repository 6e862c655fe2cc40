package search

import (
	"runtime"
	"sync"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// progressEvery is how many annotations are tokenised between calls of a
// Build's progress function.
const progressEvery = 8192

// Build returns an index of the annotations as (those in the trash are left
// out; of two with the same ID the later wins). titles maps article IDs to
// titles. It is faster than Put one by one: the texts are tokenised in
// parallel, each worker with its own vocabulary, and every postings list is
// allocated once at its final size. progress, when not nil, is called now
// and then with the number of annotations done and the total, one call at a
// time, from the building goroutines, and last with done == total.
func Build(as []annotations.Annotation, titles map[uuid.UUID]string, progress func(done, total int)) *Index {
	ix := New()
	// Room for the changes to come, so that the first of them does not
	// copy every array.
	size := len(as) + slack(len(as)) + 64
	ix.ids = make([]uuid.UUID, 0, size)
	ix.texts = make([]docText, 0, size)
	ix.meta = make([]uint16, 0, size)
	ix.article = make([]uint32, 0, size)
	ix.updated = make([]int64, 0, size)
	ix.byID = make(map[uuid.UUID]uint32, len(as))
	src := make([]int32, 0, len(as)) // document → index in as
	for i := range as {
		a := &as[i]
		ix.remove(a.ID) // an earlier one with the same ID
		if a.Trashed() {
			continue
		}
		art, ok := ix.articleNum[a.ArticleID]
		if !ok {
			art = ix.articleFor(a.ArticleID, titles[a.ArticleID])
		}
		d := uint32(len(ix.ids))
		ix.ids = append(ix.ids, a.ID)
		ix.texts = append(ix.texts, docText{quote: a.Target.Exact, note: a.Note})
		ix.meta = append(ix.meta, docMeta(a))
		ix.article = append(ix.article, art)
		ix.updated = append(ix.updated, unixNano(a.UpdatedAt))
		ix.byID[a.ID] = d
		ix.live++
		ix.articles[art].docs = append(ix.articles[art].docs, d)
		src = append(src, int32(i))
	}
	total := len(ix.ids)

	// Tags and words, in parallel.
	workers := max(1, min(runtime.GOMAXPROCS(0), total/4096))
	parts := make([]buildPart, workers)
	var (
		mu   sync.Mutex
		done int
		wg   sync.WaitGroup
	)
	report := func(n int) {
		if progress == nil {
			return
		}
		mu.Lock()
		done += n
		progress(done, total)
		mu.Unlock()
	}
	for w := range parts {
		lo, hi := total*w/workers, total*(w+1)/workers
		wg.Go(func() {
			parts[w].run(ix, as, src, lo, hi, report)
		})
	}
	wg.Wait()

	// Merge the vocabularies, size every postings list, fill them in
	// document order (so they are ascending).
	v := &ix.vocab
	global := make([][]uint32, workers)
	for w := range parts {
		p := &parts[w]
		global[w] = make([]uint32, len(p.table.terms))
		for lt, s := range p.table.terms {
			t, ok := v.ids[s]
			if !ok {
				t = v.add(s)
			}
			global[w][lt] = t
		}
		for _, kd := range p.tags {
			ix.tagDocs[kd.key] = append(ix.tagDocs[kd.key], kd.doc)
		}
	}
	// Count each worker's postings of each word, in parallel; then each
	// worker writes its own into its share of every list, in parallel, in
	// document order, so the lists are ascending.
	counts := make([][]uint32, workers)
	for w := range parts {
		wg.Go(func() {
			g, c := global[w], make([]uint32, len(v.terms))
			for _, e := range parts[w].entries {
				c[g[e>>fieldBits]]++
			}
			counts[w] = c
		})
	}
	wg.Wait()
	sum := 0
	for t := range v.terms {
		n := 0
		for w := range counts {
			n += int(counts[w][t])
		}
		sum += n + slack(n)
	}
	arena := make([]uint32, sum)
	off := uint32(0)
	for t := range v.terms {
		start, n := off, uint32(0)
		for w := range counts {
			c := counts[w][t]
			counts[w][t] = off // now: where worker w writes next
			off += c
			n += c
		}
		if n > 0 {
			v.postings[t] = arena[start : start+n : start+n+uint32(slack(int(n)))]
		}
		off += uint32(slack(int(n)))
	}
	for w := range parts {
		wg.Go(func() {
			p, g, next := &parts[w], global[w], counts[w]
			d, start := uint32(p.lo), uint32(0)
			for _, end := range p.ends {
				for _, e := range p.entries[start:end] {
					t := g[e>>fieldBits]
					arena[next[t]] = d<<fieldBits | e&(1<<fieldBits-1)
					next[t]++
				}
				start = end
				d++
			}
			parts[w] = buildPart{}
		})
	}
	wg.Wait()
	v.sortTerms()
	if progress != nil && total == 0 {
		progress(0, 0)
	}
	ix.maybeCompact()
	return ix
}

// slack is the room left at the end of a postings list of n entries, so
// that the first changes after a build do not copy long lists.
func slack(n int) int { return n / 16 }

// buildPart is one worker's share of a Build: documents lo to hi, its own
// vocabulary, and per document the entries (local word << fieldBits |
// fields) and tag keys.
type buildPart struct {
	lo      int
	table   termTable
	entries []uint32
	ends    []uint32 // end of each document's entries
	tags    []tagDoc
}

type tagDoc struct {
	key string
	doc uint32
}

func (p *buildPart) run(ix *Index, as []annotations.Annotation, src []int32, lo, hi int, report func(int)) {
	p.lo = lo
	p.table.init(1 << 14)
	p.entries = make([]uint32, 0, (hi-lo)*48)
	p.ends = make([]uint32, 0, hi-lo)
	var (
		buf      []byte
		lastDoc  []int32 // per word, the last document that held it
		position []int32 // and where its entry is in entries
	)
	for d := lo; d < hi; d++ {
		a := &as[src[d]]
		t := &ix.texts[d]
		if ix.meta[d]&metaAlive != 0 && len(a.Tags) > 0 {
			t.tags = joinTags(a.Tags)
			for _, tag := range a.Tags {
				k := foldTag(tag)
				if n := len(p.tags); k == "" || n > 0 && p.tags[n-1].doc == uint32(d) && containsKey(p.tags, uint32(d), k) {
					continue
				}
				p.tags = append(p.tags, tagDoc{k, uint32(d)})
			}
		}
		if ix.meta[d]&metaAlive != 0 && a.Author != "" {
			if k := authorKey(a.Author); k != "" {
				p.tags = append(p.tags, tagDoc{k, uint32(d)})
			}
		}
		doc := int32(d)
		for field, text := range [3]string{t.quote, t.note, t.tags} {
			bit := uint32(1) << field
			buf = tokenizeHashed(text, buf, func(f []byte, h uint32) {
				if len(f) > maxWordBytes {
					return
				}
				w := p.table.lookup(f, h)
				if int(w) == len(lastDoc) {
					lastDoc = append(lastDoc, -1)
					position = append(position, 0)
				}
				if lastDoc[w] == doc {
					p.entries[position[w]] |= bit
					return
				}
				lastDoc[w] = doc
				position[w] = int32(len(p.entries))
				p.entries = append(p.entries, w<<fieldBits|bit)
			})
		}
		p.ends = append(p.ends, uint32(len(p.entries)))
		if (d-lo+1)%progressEvery == 0 {
			report(progressEvery)
		}
	}
	if r := (hi - lo) % progressEvery; r != 0 {
		report(r)
	}
}

// containsKey reports whether the tags of document d at the end of list
// include key k.
func containsKey(list []tagDoc, d uint32, k string) bool {
	for i := len(list) - 1; i >= 0 && list[i].doc == d; i-- {
		if list[i].key == k {
			return true
		}
	}
	return false
}

// tokenizeHashed is eachToken (without offsets) that also hashes each
// folded token (FNV-1a) as it goes, for termTable.
func tokenizeHashed(s string, buf []byte, fn func(fold []byte, hash uint32)) []byte {
	const offset, prime = 2166136261, 16777619
	buf = buf[:0]
	h := uint32(offset)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if f := asciiToken[c]; f != 0 {
				buf = append(buf, f)
				h = (h ^ uint32(f)) * prime
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if isTokenRune(r) {
				f := foldRune(r)
				buf = append(buf, f...)
				for k := 0; k < len(f); k++ {
					h = (h ^ uint32(f[k])) * prime
				}
				continue
			}
		}
		if len(buf) > 0 {
			fn(buf, h)
			buf, h = buf[:0], offset
		}
	}
	if len(buf) > 0 {
		fn(buf, h)
	}
	return buf
}

// termTable is a vocabulary with open addressing on a precomputed hash:
// faster than a map for the many short look-ups of a build.
type termTable struct {
	slots []uint64 // hash << 32 | word + 1; 0 is empty
	terms []string
}

func (t *termTable) init(n int) {
	t.slots = make([]uint64, n)
}

// lookup returns the number of word f (hash h), adding it when new.
func (t *termTable) lookup(f []byte, h uint32) uint32 {
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			w := uint32(len(t.terms))
			t.terms = append(t.terms, string(f))
			t.slots[i] = uint64(h)<<32 | uint64(w+1)
			if 2*len(t.terms) > len(t.slots) {
				t.grow()
			}
			return w
		}
		if uint32(s>>32) == h && t.terms[uint32(s)-1] == string(f) {
			return uint32(s) - 1
		}
	}
}

// find returns the number of word f, when the table has it.
func (t *termTable) find(f []byte) (uint32, bool) {
	if len(t.slots) == 0 {
		return 0, false
	}
	const offset, prime = 2166136261, 16777619
	h := uint32(offset)
	for _, c := range f {
		h = (h ^ uint32(c)) * prime
	}
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return 0, false
		}
		if uint32(s>>32) == h && t.terms[uint32(s)-1] == string(f) {
			return uint32(s) - 1, true
		}
	}
}

func (t *termTable) grow() {
	old := t.slots
	t.slots = make([]uint64, 2*len(old))
	mask := uint32(len(t.slots) - 1)
	for _, s := range old {
		if s == 0 {
			continue
		}
		i := uint32(s>>32) & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = s
	}
}

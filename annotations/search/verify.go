package search

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// Verifier checks a persisted index against the annotations and articles
// it was made from: it makes the postings and tag lists those records call
// for and compares them with the stored ones, and checks every document
// record, ID, article, count and word of the vocabulary. To hold little
// memory at a million annotations, each expected list is kept as its
// length and a sum of a 64-bit mix of its entries (a multiset hash; the
// stored list is summed the same way as it is read), so a missing, extra
// or changed entry shows as a difference (a chance of 2^-64 to miss one).
//
// Feed it every annotation (Annotation) and every article (Article) of
// the library, in any order, then ask for the Problems.
type Verifier struct {
	b        buckets
	meta     indexMeta
	st       *state
	problems []error
	max      int

	seen    []bool // per document: its annotation was fed
	alive   uint32
	words   termTable
	wordSum []listSum
	tagSums map[string]*listSum
	live    map[uuid.UUID]uint32 // per article: its live annotations
	titles  map[uuid.UUID]string // the library's titles
	marks   []wordMark
	stamp   uint32
	touched []uint32
	buf     []byte
}

// listSum is a list as its length and the sum of mix(entry).
type listSum struct {
	n   uint32
	sum uint64
}

func (s *listSum) add(entry uint32) {
	s.n++
	s.sum += mix(uint64(entry) + 1)
}

// mix is the finaliser of SplitMix64 (Steele, Lea and Flood 2014), a
// bijection that spreads every bit of x over the result.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// NewVerifier reads the index in kv to check it. At most max problems are
// kept.
func NewVerifier(kv KV, max int) *Verifier {
	v := &Verifier{max: max, tagSums: map[string]*listSum{}, live: map[uuid.UUID]uint32{}, titles: map[uuid.UUID]string{}}
	v.words.init(1 << 14)
	var err error
	if v.b, err = openBuckets(kv); err == nil {
		if v.meta, err = readMeta(v.b.meta); err == nil {
			v.st, err = loadState(v.b, v.meta, withIDs)
		}
	}
	if err != nil {
		v.report("%v", err)
		return v
	}
	v.seen = make([]bool, len(v.st.ids))
	return v
}

func (v *Verifier) report(format string, args ...any) {
	if len(v.problems) < v.max {
		v.problems = append(v.problems, fmt.Errorf("search index: "+format, args...))
	}
}

// Article takes one article of the library.
func (v *Verifier) Article(id uuid.UUID, title string) { v.titles[id] = title }

// Annotation takes one annotation of the library, trashed or not.
func (v *Verifier) Annotation(a *annotations.Annotation) {
	if v.st == nil {
		return
	}
	raw := v.b.ids.Get(a.ID[:])
	if len(raw) != 4 {
		v.report("annotation %s is not in it", a.ID)
		return
	}
	d := binary.BigEndian.Uint32(raw)
	if int(d) >= len(v.st.ids) {
		v.report("annotation %s is document %d of %d", a.ID, d, len(v.st.ids))
		return
	}
	if v.seen[d] {
		v.report("document %d is named by two annotations", d)
		return
	}
	v.seen[d] = true
	alive := !a.Trashed()
	meta := docMeta(a)
	if !alive {
		meta &^= metaAlive
	}
	st := v.st
	if st.ids[d] != a.ID || st.meta[d] != meta || st.updated[d] != unixNano(a.UpdatedAt) || st.articles[st.article[d]].id != a.ArticleID {
		v.report("the record of annotation %s (document %d) does not match it", a.ID, d)
	}
	if !alive {
		return
	}
	v.alive++
	v.live[a.ArticleID]++
	v.stamp++
	v.touched = v.touched[:0]
	each := func(field uint8) func(f []byte, h uint32) {
		return func(f []byte, h uint32) {
			if len(f) > maxWordBytes {
				return
			}
			t := v.words.lookup(f, h)
			if int(t) >= len(v.marks) {
				v.marks = append(v.marks, make([]wordMark, int(t)+1-len(v.marks))...)
				v.wordSum = append(v.wordSum, make([]listSum, int(t)+1-len(v.wordSum))...)
			}
			if m := &v.marks[t]; m.stamp != v.stamp {
				*m = wordMark{stamp: v.stamp}
				v.touched = append(v.touched, t)
			}
			v.marks[t].newF |= field
		}
	}
	v.buf = tokenizeHashed(a.Target.Exact, v.buf, each(fieldQuote))
	v.buf = tokenizeHashed(a.Note, v.buf, each(fieldNote))
	for _, tag := range a.Tags {
		v.buf = tokenizeHashed(tag, v.buf, each(fieldTags))
	}
	for _, t := range v.touched {
		v.wordSum[t].add(d<<fieldBits | uint32(v.marks[t].newF))
	}
	for _, k := range appendListKeys(nil, a) {
		s := v.tagSums[k]
		if s == nil {
			s = &listSum{}
			v.tagSums[k] = s
		}
		s.add(d)
	}
}

// Problems finishes the check and returns what is wrong (nil when the
// index agrees with the records).
func (v *Verifier) Problems() []error {
	if v.st == nil {
		return v.problems
	}
	st := v.st
	// A dead document may have lost its record: an annotation deleted for
	// good from the trash (a trashed one already had no postings). A live
	// one may not.
	for i, seen := range v.seen {
		if !seen && st.meta[i]&metaAlive != 0 {
			v.report("document %d (annotation %s) has no annotation record", i, st.ids[i])
			break
		}
	}
	if v.alive != v.meta.live {
		v.report("it counts %d live annotations, the library holds %d", v.meta.live, v.alive)
	}
	n := 0
	c := v.b.ids.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		n++
		if len(k) != 16 || len(val) != 4 || int(binary.BigEndian.Uint32(val)) >= len(st.ids) || st.ids[binary.BigEndian.Uint32(val)] != uuid.UUID(k) {
			v.report("ID entry %x does not match its document", k)
		}
	}
	if n != len(st.ids) {
		v.report("%d ID entries for %d documents", n, len(st.ids))
	}

	// Articles: live counts and titles.
	refs := map[string]uint64{} // title words of articles with live annotations
	for i := range st.articles {
		a := &st.articles[i]
		title, ok := v.titles[a.id]
		switch {
		case !ok && a.live == 0:
			// An article deleted for good from the trash, with its
			// annotations: nothing of it is searched.
		case !ok:
			v.report("article %s is not in the library", a.id)
		case title != a.title:
			v.report("article %s has title %q, not %q", a.id, a.title, title)
		}
		if uint32(a.live) != v.live[a.id] {
			v.report("article %s counts %d live annotations, not %d", a.id, a.live, v.live[a.id])
		}
		if a.live > 0 {
			for _, w := range a.tokens {
				refs[w]++
			}
		}
	}

	// Postings and tag lists.
	found := make([]bool, len(v.words.terms))
	v.compareLists(v.b.postings, fieldBits, "word", func(name []byte) *listSum {
		t, ok := v.words.find(name)
		if !ok {
			return nil
		}
		found[t] = true
		return &v.wordSum[t]
	})
	for t, ok := range found {
		if !ok {
			v.report("the postings of %q are missing", v.words.terms[t])
		}
	}
	tagFound := map[string]bool{}
	v.compareLists(v.b.tags, 0, "tag", func(name []byte) *listSum {
		s := v.tagSums[string(name)]
		if s != nil {
			tagFound[string(name)] = true
		}
		return s
	})
	for k := range v.tagSums {
		if !tagFound[k] {
			v.report("the list of tag %q is missing", k)
		}
	}

	// The vocabulary: every word with postings or in a live title, and no
	// other, with its count of titles (loadState checked the state's count
	// of its words).
	inVocab := make([]bool, len(v.words.terms))
	seenRefs := map[string]bool{}
	c = v.b.terms.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		count, n := binary.Uvarint(val)
		t, posted := v.words.find(k)
		if posted {
			inVocab[t] = true
		}
		want, titled := refs[string(k)]
		seenRefs[string(k)] = titled
		switch {
		case n <= 0 || len(val) != n:
			v.report("the vocabulary entry of %q does not decode", k)
		case !posted && !titled:
			v.report("the vocabulary holds %q, which no live annotation or title has", k)
		case count != want:
			v.report("the vocabulary counts %d titles with %q, not %d", count, k, want)
		}
	}
	for t, ok := range inVocab {
		if !ok {
			v.report("the vocabulary lacks %q", v.words.terms[t])
		}
	}
	for w := range refs {
		if _, ok := seenRefs[w]; !ok {
			v.report("the vocabulary lacks the title word %q", w)
		}
	}
	return v.problems
}

// compareLists reads every list of a bucket, in key order, and compares it
// with the expected one that want returns for its name (nil: none).
func (v *Verifier) compareLists(b Bucket, shift uint, what string, want func(name []byte) *listSum) {
	var (
		name []byte
		got  listSum
		last int64 = -1
		buf  []uint32
		bad  bool
	)
	finish := func() {
		if name == nil {
			return
		}
		w := want(name)
		switch {
		case bad:
		case w == nil:
			v.report("it holds a list of %s %q that no live annotation has", what, name)
		case *w != got:
			v.report("the list of %s %q holds %d entries that do not match the %d of the annotations", what, name, got.n, w.n)
		}
	}
	c := b.Cursor()
	for k, val := c.First(); k != nil; k, val = c.Next() {
		l, n := binary.Uvarint(k)
		if n <= 0 || uint64(len(k)) != uint64(n)+l+4 {
			v.report("a %s list key %x does not decode", what, k)
			continue
		}
		if cur := k[n : len(k)-4]; name == nil || !bytes.Equal(cur, name) {
			finish()
			name, got, last, bad = bytes.Clone(cur), listSum{}, -1, false
		}
		first := binary.BigEndian.Uint32(k[len(k)-4:])
		var err error
		buf, err = decodeChunk(buf[:0], first, shift, val, uint32(len(v.st.ids)))
		if err == nil && len(buf) > 0 && int64(buf[0]>>shift) <= last {
			err = corrupt("chunks out of order")
		}
		if err != nil {
			if !bad {
				v.report("the list of %s %q: %v", what, name, err)
			}
			bad = true
			continue
		}
		for _, e := range buf {
			if v.st.meta[e>>shift]&metaAlive == 0 {
				bad = true
				v.report("the list of %s %q holds a trashed annotation", what, name)
				break
			}
			got.add(e)
		}
		last = int64(buf[len(buf)-1] >> shift)
	}
	finish()
}

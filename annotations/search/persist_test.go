package search

import (
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
)

// library is what a store holds, for the tests of the persisted index: the
// annotation records (trashed ones too), the articles' titles, and the
// index kept in step with them in a memKV, as storage keeps it in bbolt.
type library struct {
	t       testing.TB
	kv      *memKV
	records map[uuid.UUID]annotations.Annotation
	titles  map[uuid.UUID]string
	cache   *Cache // follows the writes' deltas, as storage's does
	deltas  []*Delta
}

func newLibrary(t testing.TB, titles map[uuid.UUID]string) *library {
	return &library{t: t, kv: newMemKV(), records: map[uuid.UUID]annotations.Annotation{}, titles: maps.Clone(titles), cache: &Cache{}}
}

// put writes a batch of annotations in a transaction of its own.
func (l *library) put(as ...annotations.Annotation) {
	l.t.Helper()
	l.transaction(func(w *Writer) { l.putWith(w, as...) })
}

// transaction runs fn with the index's writer of one transaction, flushes
// it and passes the deltas on, as storage does at commit.
func (l *library) transaction(fn func(w *Writer)) {
	l.t.Helper()
	w, err := NewWriter(l.kv)
	if err != nil {
		l.t.Fatal(err)
	}
	l.deltas = l.deltas[:0]
	fn(w)
	if err := w.Flush(); err != nil {
		l.t.Fatalf("Flush: %v", err)
	}
	for _, d := range l.deltas {
		l.cache.Changed(d)
	}
}

// putWith writes a batch of annotations, as Writer.PutAnnotations does.
func (l *library) putWith(w *Writer, as ...annotations.Annotation) {
	l.t.Helper()
	changes := make([]Change, len(as))
	for i := range as {
		a := as[i]
		changes[i].New = &a
		if old, ok := l.records[a.ID]; ok {
			changes[i].Old = &old
		}
	}
	d, err := w.Update(changes, func(id uuid.UUID) (string, error) {
		title, ok := l.titles[id]
		if !ok {
			return "", fmt.Errorf("no article %s", id)
		}
		return title, nil
	})
	if err != nil {
		l.t.Fatalf("Update: %v", err)
	}
	for _, a := range as {
		l.records[a.ID] = a
	}
	l.deltas = append(l.deltas, d)
}

func (l *library) setTitle(id uuid.UUID, title string) {
	l.t.Helper()
	l.titles[id] = title
	l.transaction(func(w *Writer) {
		d, err := w.SetTitle(id, title)
		if err != nil {
			l.t.Fatalf("SetTitle: %v", err)
		}
		l.deltas = append(l.deltas, d)
	})
}

func (l *library) read(id uuid.UUID) (annotations.Annotation, error) {
	a, ok := l.records[id]
	if !ok {
		return a, fmt.Errorf("no annotation %s", id)
	}
	return a, nil
}

// built is an in-memory Index built from the library's records.
func (l *library) built() *Index {
	as := slices.Collect(maps.Values(l.records))
	slices.SortFunc(as, func(a, b annotations.Annotation) int { return strings.Compare(a.ID.String(), b.ID.String()) })
	return Build(as, l.titles, nil)
}

func (l *library) verify() {
	l.t.Helper()
	v := NewVerifier(l.kv, 20)
	for id, title := range l.titles {
		v.Article(id, title)
	}
	for _, a := range l.records {
		v.Annotation(&a)
	}
	if p := v.Problems(); len(p) > 0 {
		l.t.Fatalf("Verify: %v", p)
	}
}

// compare runs queries on the library's persisted index, through cache and
// through a new cache, and on an Index built from its records: the hits
// must be the same, in the same order, with the same scores and ranges.
func (l *library) compare(when string, queries []string) {
	l.t.Helper()
	ix := l.built()
	fresh := &Cache{}
	if n, err := Count(l.kv); err != nil || n != ix.Len() {
		l.t.Errorf("%s: Count = %d, %v; the built index holds %d", when, n, err, ix.Len())
	}
	for _, q := range queries {
		want, err := ix.Search(q, 1_000_000)
		if err != nil {
			l.t.Fatal(err)
		}
		// followed: the library's cache, following the writes' deltas;
		// fresh: one cache for all these queries (its first search reads
		// the documents in place, the next ones load them); once: a new
		// cache for each query, as a command-line search has.
		for name, c := range map[string]*Cache{"followed": l.cache, "fresh": fresh, "once": {}} {
			got, err := c.Search(l.kv, l.read, q, 1_000_000)
			if err != nil {
				l.t.Fatalf("%s: %s cache: Search(%q): %v", when, name, q, err)
			}
			if !reflect.DeepEqual(got, want) {
				l.t.Errorf("%s: %s cache: Search(%q): %d hits, the built index %d; first difference: %s",
					when, name, q, len(got), len(want), firstDifference(got, want))
			}
		}
	}
}

func firstDifference(got, want []Hit) string {
	for i := range min(len(got), len(want)) {
		if !reflect.DeepEqual(got[i], want[i]) {
			return fmt.Sprintf("hit %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d", len(got), len(want))
}

// TestPersisted_AgreesWithBuild writes a generated library into a
// persisted index, in batches of several sizes, and runs the benchmarks'
// query mix and the tests' queries on it and on Build's index.
func TestPersisted_AgreesWithBuild(t *testing.T) {
	c := annotationstest.NewCorpus(11, 40)
	as := c.Annotations(4000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range as {
		if r.IntN(20) == 0 {
			deleted := as[i].UpdatedAt.Add(time.Hour)
			as[i].DeletedAt = &deleted
		}
	}
	for _, tt := range []struct {
		name  string
		batch int
		one   bool // all batches in one transaction
	}{
		{"one by one", 1, false},
		{"batches of 97", 97, false},
		{"batches of 1500 in one transaction, staged", 1500, true},
		{"one batch, staged", 4000, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := newLibrary(t, c.Titles)
			if tt.one {
				l.transaction(func(w *Writer) {
					for i := 0; i < len(as); i += tt.batch {
						l.putWith(w, as[i:min(len(as), i+tt.batch)]...)
					}
				})
			} else {
				for i := 0; i < len(as); i += tt.batch {
					l.put(as[i:min(len(as), i+tt.batch)]...)
				}
			}
			l.verify()
			l.compare("written", testQueries)
		})
	}
}

// TestPersisted_FollowsChanges edits, trashes, restores, moves and adds
// annotations and renames articles, one by one and in batches, and checks
// after every round that the index agrees with a built one, that its
// check passes, and that a cache that followed the changes and a new one
// give the same.
func TestPersisted_FollowsChanges(t *testing.T) {
	c := annotationstest.NewCorpus(12, 15)
	l := newLibrary(t, c.Titles)
	l.put(c.Annotations(1500)...)
	l.compare("written", testQueries[:8]) // loads the followed cache
	gen := annotationstest.NewCorpus(13, 1)
	r := rand.New(rand.NewPCG(3, 4))
	ids := slices.Collect(maps.Keys(l.records))
	slices.SortFunc(ids, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	change := func() annotations.Annotation {
		a := l.records[ids[r.IntN(len(ids))]]
		a.Tags = slices.Clone(a.Tags)
		at = at.Add(time.Minute)
		a.UpdatedAt = at
		switch r.IntN(7) {
		case 0:
			a.Note = gen.Text(r.IntN(30)) + " zyzzyva"
		case 1:
			a.Tags = append(a.Tags, "Café Society")
			a.Color = annotations.Colors[r.IntN(8)]
		case 2:
			a.Tags = nil
			a.Status = annotations.StatusOrphaned
		case 3:
			a.DeletedAt = &at
		case 4:
			a.DeletedAt = nil
		case 5:
			a.ArticleID = c.ArticleIDs[r.IntN(len(c.ArticleIDs))]
		case 6:
			a.Target.Exact = gen.Text(3 + r.IntN(10))
		}
		return a
	}
	queries := append(slices.Clone(testQueries), "zyzzyva", "tag:cafe", "tag:\"café society\" the", "article:renamed", "renamed", "fjordland")
	for round := range 6 {
		switch round % 3 {
		case 0: // one at a time
			for range 40 {
				l.put(change())
			}
		case 1: // a batch of distinct annotations
			batch := map[uuid.UUID]annotations.Annotation{}
			for range 60 {
				a := change()
				batch[a.ID] = a
			}
			for range 20 {
				x := gen.Annotation()
				x.ArticleID = c.ArticleIDs[r.IntN(len(c.ArticleIDs))]
				batch[x.ID] = x
				ids = append(ids, x.ID)
			}
			l.put(slices.Collect(maps.Values(batch))...)
		case 2:
			id := c.ArticleIDs[r.IntN(len(c.ArticleIDs))]
			l.setTitle(id, fmt.Sprintf("Renamed Fjordland %d", round))
			l.setTitle(c.ArticleIDs[0], c.Titles[c.ArticleIDs[0]]+" Again")
		}
		l.verify()
		l.compare(fmt.Sprint("round ", round), queries)
	}
	// Every annotation of an article to the trash: its title's words leave
	// the vocabulary; back again, they return.
	art := c.ArticleIDs[1]
	var on []annotations.Annotation
	for _, a := range l.records {
		if a.ArticleID == art && !a.Trashed() {
			a.DeletedAt = &at
			on = append(on, a)
		}
	}
	l.put(on...)
	l.verify()
	l.compare("an article emptied", queries)
	for i := range on {
		on[i].DeletedAt = nil
	}
	l.put(on...)
	l.verify()
	l.compare("and filled again", queries)
}

// TestPersisted_CacheReloadsWhatItMissed changes the index behind the
// cache's back (no deltas): the generation makes it reload.
func TestPersisted_CacheReloadsWhatItMissed(t *testing.T) {
	c := annotationstest.NewCorpus(14, 5)
	l := newLibrary(t, c.Titles)
	l.put(c.Annotations(200)...)
	if _, err := l.cache.Search(l.kv, l.read, "the", 5); err != nil {
		t.Fatal(err)
	}
	x := c.Annotation()
	x.Note = "quuxwort"
	l.cache = &Cache{} // the writes' deltas go elsewhere
	followed := l.cache
	l.put(x)
	stale := &Cache{}
	if _, err := stale.Search(l.kv, l.read, "the", 5); err != nil {
		t.Fatal(err)
	}
	_ = followed
	y := c.Annotation()
	y.Note = "quuxwort again"
	l.put(y) // stale gets no delta
	hits, err := stale.Search(l.kv, l.read, "quuxwort", 5)
	if err != nil || len(hits) != 2 {
		t.Errorf("a cache that missed a write: %d hits, %v", len(hits), err)
	}
}

// TestPersisted_OldTransaction searches a transaction that began before a
// write the cache already follows: the search sees its own transaction.
func TestPersisted_OldTransaction(t *testing.T) {
	c := annotationstest.NewCorpus(15, 5)
	l := newLibrary(t, c.Titles)
	l.put(c.Annotations(200)...)
	before := l.kv.clone()
	x := c.Annotation()
	x.Note = "quuxwort"
	l.put(x)
	if hits, err := l.cache.Search(l.kv, l.read, "quuxwort", 5); err != nil || len(hits) != 1 {
		t.Fatalf("after the write: %d hits, %v", len(hits), err)
	}
	if hits, err := l.cache.Search(before, l.read, "quuxwort", 5); err != nil || len(hits) != 0 {
		t.Errorf("a transaction from before the write: %d hits, %v", len(hits), err)
	}
}

func TestPersisted_OutOfStep(t *testing.T) {
	c := annotationstest.NewCorpus(16, 3)
	a := c.Annotation()
	tests := []struct {
		name    string
		changes func() []Change
	}{
		{"an old version the index does not hold", func() []Change {
			b := c.Annotation()
			return []Change{{Old: &b, New: &b}}
		}},
		{"a trashed old version of a live document", func() []Change {
			old := a
			old.DeletedAt = &old.UpdatedAt
			return []Change{{Old: &old, New: &a}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := newLibrary(t, c.Titles)
			l.put(a)
			w, err := NewWriter(l.kv)
			if err != nil {
				t.Fatal(err)
			}
			_, err = w.Update(tt.changes(), func(uuid.UUID) (string, error) { return "T", nil })
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("Update = %v, want ErrCorrupt", err)
			}
		})
	}
}

// TestVerifier_FindsDamage breaks a sound index in several ways.
func TestVerifier_FindsDamage(t *testing.T) {
	c := annotationstest.NewCorpus(17, 4)
	build := func() *library {
		l := newLibrary(t, c.Titles)
		l.put(c.Annotations(300)...)
		return l
	}
	firstKey := func(l *library, bucket []byte) []byte {
		return l.kv.buckets[string(bucket)].keys[0]
	}
	tests := []struct {
		name   string
		break_ func(l *library)
		want   string
	}{
		{"a chunk that does not decode", func(l *library) {
			l.kv.Bucket(BucketPostings).Put(firstKey(l, BucketPostings), []byte{0xff})
		}, "does not decode"},
		{"a posting dropped", func(l *library) {
			b := l.kv.buckets[string(BucketPostings)]
			i := slices.IndexFunc(b.values, func(v []byte) bool { return len(v) > 3 })
			b.values[i] = b.values[i][:len(b.values[i])-1]
		}, "do not match"},
		{"a word gone from the vocabulary", func(l *library) {
			l.kv.Bucket(BucketTerms).Delete(firstKey(l, BucketTerms))
		}, "the vocabulary holds"},
		{"a word gone from the vocabulary, and from its count", func(l *library) {
			k := firstKey(l, BucketTerms)
			l.kv.Bucket(BucketTerms).Delete(k)
			m, _ := readMeta(l.kv.Bucket(BucketMeta))
			m.words--
			m.wordBytes -= uint32(len(k))
			l.kv.Bucket(BucketMeta).Put(keyState, m.encode())
		}, "lacks"},
		{"a tag list gone", func(l *library) {
			l.kv.Bucket(BucketTags).Delete(firstKey(l, BucketTags))
		}, "missing"},
		{"a record changed behind the index", func(l *library) {
			for id, a := range l.records {
				a.Color = annotations.Gray
				if a.Color != l.records[id].Color {
					l.records[id] = a
					return
				}
			}
		}, "does not match it"},
		{"an annotation not indexed", func(l *library) {
			x := c.Annotation()
			l.records[x.ID] = x
		}, "not in it"},
		{"a damaged state", func(l *library) {
			l.kv.Bucket(BucketMeta).Put(keyState, []byte{9})
		}, "state record"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := build()
			l.verify()
			tt.break_(l)
			v := NewVerifier(l.kv, 5)
			for id, title := range l.titles {
				v.Article(id, title)
			}
			for _, a := range l.records {
				v.Annotation(&a)
			}
			p := v.Problems()
			if len(p) == 0 || !strings.Contains(fmt.Sprint(p), tt.want) {
				t.Errorf("problems %v, want one saying %q", p, tt.want)
			}
		})
	}
}

// FuzzDecodeChunk decodes arbitrary bytes as a chunk: an error wrapping
// ErrCorrupt or ascending entries below the limit, never a panic.
func FuzzDecodeChunk(f *testing.F) {
	f.Add(uint32(0), uint8(3), []byte{1, 8, 9})
	f.Add(uint32(7), uint8(0), []byte{0, 1, 1})
	f.Add(uint32(5), uint8(3), []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})
	f.Add(uint32(1<<29), uint8(3), []byte{0})
	f.Add(uint32(1), uint8(0), []byte{})
	f.Fuzz(func(t *testing.T, first uint32, shift uint8, data []byte) {
		s := uint(shift % 4)
		const limit = 1000
		out, err := decodeChunk(nil, first, s, data, limit)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v is not ErrCorrupt", err)
			}
			return
		}
		for i, v := range out {
			if v>>s >= limit || v>>s < first || i > 0 && v <= out[i-1] {
				t.Fatalf("entries %v from first %d", out, first)
			}
		}
		// (A varint may be written longer than it need be: it reads the same.)
		enc := encodeChunk(nil, first, s, out)
		if again, err := decodeChunk(nil, first, s, enc, limit); err != nil || !slices.Equal(again, out) {
			t.Fatalf("re-encoded %x reads %v, %v; want %v", enc, again, err, out)
		}
	})
}

// FuzzPersistedDamage damages one value of a small persisted index and
// searches it: results or an error, never a panic.
func FuzzPersistedDamage(f *testing.F) {
	c := annotationstest.NewCorpus(18, 4)
	l := newLibrary(f, c.Titles)
	l.put(c.Annotations(150)...)
	f.Add(uint8(2), uint16(0), uint16(0), uint8(0xff), "the")
	f.Add(uint8(5), uint16(3), uint16(7), uint8(0), "tag:method con")
	f.Add(uint8(6), uint16(1), uint16(2), uint8(9), `"of the" article:a`)
	f.Add(uint8(0), uint16(0), uint16(5), uint8(200), "")
	f.Fuzz(func(t *testing.T, bucket uint8, key, at uint16, b uint8, q string) {
		kv := l.kv.clone()
		mb := kv.buckets[string(Buckets[int(bucket)%len(Buckets)])]
		if len(mb.keys) == 0 {
			return
		}
		i := int(key) % len(mb.keys)
		v := slices.Clone(mb.values[i])
		if int(at) < len(v) {
			v[at] = b
		} else {
			v = v[:int(at)%(len(v)+1)]
		}
		mb.values[i] = v
		var cache Cache
		for _, query := range []string{q, "the", "con tag:method"} {
			if _, err := cache.Search(kv, l.read, query, 10); err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrQuery) {
				t.Fatalf("Search(%q): %v", query, err)
			}
		}
		v2 := NewVerifier(kv, 3)
		for _, a := range l.records {
			v2.Annotation(&a)
		}
		v2.Problems()
	})
}

// TestPersisted_StagedThenChanged stages a large batch of new annotations,
// then, in the same transaction, changes some of them and some older ones,
// and stages another batch: the changes see the staged entries.
func TestPersisted_StagedThenChanged(t *testing.T) {
	c := annotationstest.NewCorpus(19, 10)
	l := newLibrary(t, c.Titles)
	l.put(c.Annotations(500)...)
	old := slices.Collect(maps.Values(l.records))
	l.transaction(func(w *Writer) {
		fresh := c.Annotations(1500)
		l.putWith(w, fresh...)
		var edits []annotations.Annotation
		for i, a := range append(fresh[:40:40], old[:40]...) {
			a.Note = fmt.Sprintf("edited %d quuxwort", i)
			if i%3 == 0 {
				a.DeletedAt = &a.UpdatedAt
			}
			edits = append(edits, a)
		}
		l.putWith(w, edits...)
		l.putWith(w, c.Annotations(1200)...)
	})
	l.verify()
	l.compare("staged, changed, staged", append(slices.Clone(testQueries), "quuxwort", "edited"))
}

// TestPersisted_Authors writes annotations with authors into a persisted
// index, staged and not, then changes their authors (as an import may),
// trashes and restores some, and checks after every round that author:
// and -author: give what a built index gives and that the check passes.
func TestPersisted_Authors(t *testing.T) {
	c := annotationstest.NewCorpus(23, 10)
	l := newLibrary(t, c.Titles)
	names := []string{"Ana Lima", "Zoë Brandt", "", "Anabel Sousa"}
	as := c.Annotations(1500)
	for i := range as {
		as[i].Author = names[i%len(names)]
	}
	queries := []string{
		"author:ana", `author:"ana lima"`, `author:"ANA  LIMA" the`, "author:zoe", "author:Zoë -tag:todo",
		`-author:"ana lima"`, `the -author:"zoë brandt"`, "author:ren", `author:"rené roy"`, "author:nobody",
	}
	l.put(as[:1200]...) // staged
	l.put(as[1200:]...) // not staged
	l.verify()
	l.compare("written", queries)
	if hits, err := l.built().Search("author:ana", 1_000_000); err != nil || len(hits) < 700 {
		t.Fatalf("author:ana: %d hits, %v; want Ana's and Anabel's", len(hits), err)
	}

	at := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	var changed []annotations.Annotation
	for i, a := range as[:200] {
		at = at.Add(time.Minute)
		a.UpdatedAt = at
		switch i % 4 {
		case 0:
			a.Author = "René Roy" // another author
		case 1:
			a.Author = "" // none
		case 2:
			a.Author = "ana lima" // the same one, spelt otherwise
		case 3:
			a.DeletedAt = &at
		}
		changed = append(changed, a)
	}
	l.put(changed...)
	l.verify()
	l.compare("authors changed", queries)

	for i := range changed {
		changed[i].DeletedAt = nil
	}
	l.put(changed...)
	l.verify()
	l.compare("restored", queries)
}

package search

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
)

// testQueries exercise every path of a search: one word and many, fuzzy
// and exact, common and rare, phrases, each qualifier.
var testQueries = append([]string{
	"", "the", "th", "a", "of the", "ma", "con", "pro", "consensus interviews",
	"evidence the of", `"of the"`, `"the" of`, "tag:method", "tag:todo the", "-tag:todo",
	"color:red", "color:red the -color:blue", "is:orphan", "is:fuzzy -has:note", "has:tags the",
	"article:a", "-article:a the", "the -of", "-the", "vo", "verpro", "consnsus", "tagaa",
}, benchQueries...)

func buildGenerated(n int) ([]annotations.Annotation, map[uuid.UUID]string) {
	c := annotationstest.NewCorpus(3, 12)
	return c.Annotations(n), c.Titles
}

// result is a search's outcome in a form to compare.
type result struct {
	id      uuid.UUID
	score   float64
	matches string
}

func results(t *testing.T, ix *Index, q string) []result {
	t.Helper()
	hits, err := ix.Search(q, 1_000_000)
	if err != nil {
		t.Fatalf("Search(%q): %v", q, err)
	}
	out := make([]result, len(hits))
	for i, h := range hits {
		out[i] = result{h.ID, h.Score, fmt.Sprint(h.Matches)}
	}
	return out
}

func TestIndex_PutThenRemoveLeavesNoTrace(t *testing.T) {
	as, titles := buildGenerated(1500)
	ix := Build(as, titles, nil)
	before := map[string][]result{}
	for _, q := range testQueries {
		before[q] = results(t, ix, q)
	}
	gen := annotationstest.NewCorpus(4, 1)
	r := rand.New(rand.NewPCG(5, 5))
	for i := range 50 {
		x := gen.Annotation()
		x.ArticleID = as[r.IntN(len(as))].ArticleID
		x.Note += fmt.Sprintf(" zyzzyva%d", i) // a word of its own
		ix.Put(x, titles[x.ArticleID])
		if ix.Len() != len(as)+1 {
			t.Fatalf("Len after Put = %d, want %d", ix.Len(), len(as)+1)
		}
		if hits := search(t, ix, fmt.Sprintf("zyzzyva%d", i)); len(hits) != 1 || hits[0].ID != x.ID {
			t.Fatalf("the new annotation is not found: %v", hits)
		}
		if i%2 == 0 {
			ix.Remove(x.ID)
		} else {
			deleted := time.Now()
			x.DeletedAt = &deleted
			ix.Put(x, titles[x.ArticleID]) // moving to the trash removes
		}
		if ix.Len() != len(as) {
			t.Fatalf("Len after Remove = %d, want %d", ix.Len(), len(as))
		}
	}
	check := func(when string) {
		for _, q := range testQueries {
			if got := results(t, ix, q); !reflect.DeepEqual(got, before[q]) {
				t.Errorf("%s: Search(%q) differs: %d hits, was %d", when, q, len(got), len(before[q]))
			}
		}
	}
	check("after Put and Remove")
	ix.mu.Lock()
	ix.compact()
	ix.mu.Unlock()
	check("after compacting")
	for i := range 50 {
		if _, ok := ix.vocab.ids[fmt.Sprintf("zyzzyva%d", i)]; ok {
			t.Fatalf("compacting kept the word of a removed annotation")
		}
	}
	if len(ix.ids) != len(as) {
		t.Errorf("compacting kept %d documents, want %d", len(ix.ids), len(as))
	}
	ix.Remove(uuid.New()) // not there: nothing happens
	if ix.Len() != len(as) {
		t.Errorf("removing an unknown ID changed Len")
	}
}

// TestIndex_AgreesWithBruteForce compares every search with a plain
// evaluation of the same rules over every annotation, on a generated
// library that is built, changed (enough to compact), and searched.
func TestIndex_AgreesWithBruteForce(t *testing.T) {
	as, titles := buildGenerated(3000)
	ix := Build(as, titles, nil)
	live := map[uuid.UUID]annotations.Annotation{}
	for _, a := range as {
		live[a.ID] = a
	}
	compare := func(when string) {
		t.Helper()
		docs := bruteDocs(live, titles)
		for _, q := range testQueries {
			got := results(t, ix, q)
			want := bruteForce(t, ix, docs, q)
			if len(got) != len(want) {
				t.Errorf("%s: Search(%q): %d hits, brute force %d", when, q, len(got), len(want))
				continue
			}
			for i := range got {
				if got[i].id != want[i].id || math.Abs(got[i].score-want[i].score) > 1e-4 {
					t.Errorf("%s: Search(%q) hit %d = %v %.4f, brute force %v %.4f", when, q, i, got[i].id, got[i].score, want[i].id, want[i].score)
					break
				}
			}
		}
	}
	compare("built")
	gen := annotationstest.NewCorpus(6, 1)
	r := rand.New(rand.NewPCG(8, 8))
	added := len(as)
	for i := range 2400 {
		a := as[r.IntN(len(as))]
		switch i % 4 {
		case 0:
			ix.Remove(a.ID)
			delete(live, a.ID)
		case 1:
			a.Note = gen.Text(r.IntN(30))
			a.Tags = append(slices.Clone(a.Tags), "tagNew")
			a.Color = annotations.Colors[r.IntN(8)]
			a.UpdatedAt = a.UpdatedAt.Add(time.Hour)
			ix.Put(a, titles[a.ArticleID])
			live[a.ID] = a
			added++
		default:
			x := gen.Annotation()
			x.ArticleID = a.ArticleID
			ix.Put(x, titles[x.ArticleID])
			live[x.ID] = x
			added++
		}
		if i == 300 {
			compare("changed")
		}
	}
	if len(ix.ids) >= added {
		t.Errorf("the index did not compact: %d documents of %d, %d dead", len(ix.ids), added, ix.dead)
	}
	compare("changed and compacted")
}

// bruteDoc is an annotation as the brute force sees it.
type bruteDoc struct {
	a      annotations.Annotation
	title  string
	art    *article
	fields [4]map[string]bool // quote, tags, note, title tokens
	tags   map[string]bool    // foldTag keys
}

var bruteWeights = [4]float32{1, 1, 0.7, 0.5}

func bruteDocs(live map[uuid.UUID]annotations.Annotation, titles map[uuid.UUID]string) []bruteDoc {
	tokens := func(s string) map[string]bool {
		m := map[string]bool{}
		for _, tok := range foldTokens(s) {
			m[tok] = true
		}
		return m
	}
	var docs []bruteDoc
	for _, a := range live {
		title := titles[a.ArticleID]
		d := bruteDoc{a: a, title: title, tags: map[string]bool{}}
		d.art = &article{id: a.ArticleID, title: title, tokens: foldTokens(title), docs: []uint32{0}}
		d.fields = [4]map[string]bool{tokens(a.Target.Exact), tokens(strings.Join(a.Tags, ", ")), tokens(a.Note), tokens(title)}
		for _, tag := range a.Tags {
			d.tags[foldTag(tag)] = true
		}
		docs = append(docs, d)
	}
	return docs
}

// bruteForce evaluates query q over the documents by the rules Search
// follows, one annotation at a time.
func bruteForce(t *testing.T, ix *Index, docs []bruteDoc, q string) []result {
	pq, err := parse(q)
	if err != nil {
		t.Fatal(err)
	}
	var words []map[string]float32
	expand := func(w string, exactOnly bool) {
		hits, _ := ix.vocab.expand(w, exactOnly)
		x := map[string]float32{}
		for _, h := range hits {
			x[ix.vocab.terms[h.term]] = h.quality
		}
		words = append(words, x)
	}
	for _, w := range pq.words {
		expand(w, false)
	}
	var phrases []*phrase
	for _, p := range pq.phrases {
		if len(p) == 1 {
			expand(p[0], true)
		} else {
			phrases = append(phrases, newPhrase(p))
		}
	}
	type scored struct {
		result
		updated int64
	}
	var out []scored
	for _, d := range docs {
		a := d.a
		ok := true
		total := float32(0)
		for _, w := range words {
			best := float32(-1)
			for f, toks := range d.fields {
				if len(w) < len(toks) {
					for term, qv := range w {
						if toks[term] {
							best = max(best, qv*bruteWeights[f])
						}
					}
					continue
				}
				for tok := range toks {
					if qv, in := w[tok]; in {
						best = max(best, qv*bruteWeights[f])
					}
				}
			}
			if best < 0 {
				ok = false
				break
			}
			total += best
		}
		for _, p := range phrases {
			w := float32(0)
			tagged, _ := p.inTags(strings.Join(a.Tags, ", "), nil)
			switch {
			case must(p.in(a.Target.Exact, nil)) || tagged:
				w = 1
			case must(p.in(a.Note, nil)):
				w = 0.7
			case must(p.in(d.title, nil)):
				w = 0.5
			}
			if w == 0 {
				ok = false
			}
			total += w
		}
		for i, tag := range pq.tags {
			// tag:x finds the tags that begin with x (unquoted).
			has := d.tags[tag]
			for t := range d.tags {
				has = has || pq.tagPrefix[i] && strings.HasPrefix(t, tag)
			}
			ok = ok && has
		}
		for _, tag := range pq.notTags {
			ok = ok && !d.tags[tag]
		}
		for _, w := range pq.notWords {
			for _, toks := range d.fields {
				ok = ok && !toks[w]
			}
		}
		color := uint8(1) << (a.Color.Key() - 1)
		status := statusBit(a.Status)
		ok = ok && (pq.colors == 0 || pq.colors&color != 0) && pq.notColors&color == 0 &&
			(pq.statuses == 0 || pq.statuses&status != 0) && pq.notStatuses&status == 0
		hasNote := strings.TrimSpace(a.Note) != ""
		ok = ok && !(pq.hasNote > 0 && !hasNote) && !(pq.hasNote < 0 && hasNote) &&
			!(pq.hasTags > 0 && len(a.Tags) == 0) && !(pq.hasTags < 0 && len(a.Tags) > 0)
		for k, words := range pq.articles {
			ok = ok && articleMatches(d.art, words, pq.articleIDs[k])
		}
		for k, words := range pq.notArticles {
			ok = ok && !articleMatches(d.art, words, pq.notArticleIDs[k])
		}
		if !ok {
			continue
		}
		n := len(pq.words) + len(pq.phrases)
		score := float32(1)
		if n > 0 {
			score = total / float32(n)
		}
		out = append(out, scored{result{id: a.ID, score: math.Round(float64(score)*1e4) / 1e4}, a.UpdatedAt.UnixNano()})
	}
	slices.SortFunc(out, func(a, b scored) int {
		return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(b.updated, a.updated), bytes.Compare(b.id[:], a.id[:]))
	})
	res := make([]result, len(out))
	for i, x := range out {
		res[i] = x.result
	}
	return res
}

func must(ok bool, _ []byte) bool { return ok }

func TestIndex_BuildEqualsPut(t *testing.T) {
	as, titles := buildGenerated(2000)
	built := Build(as, titles, nil)
	put := New()
	for _, a := range as {
		put.Put(a, titles[a.ArticleID])
	}
	if built.Len() != put.Len() {
		t.Fatalf("Len: built %d, put %d", built.Len(), put.Len())
	}
	for _, q := range testQueries {
		if a, b := results(t, built, q), results(t, put, q); !reflect.DeepEqual(a, b) {
			t.Errorf("Search(%q): Build and Put differ (%d and %d hits)", q, len(a), len(b))
		}
	}
}

func TestBuild_DuplicatesAndTrash(t *testing.T) {
	as := fixture()
	changed := as[0]
	changed.Target.Exact = "Something else entirely."
	ix := Build(append(as, changed), fixtureTitles, nil)
	if ix.Len() != 6 {
		t.Errorf("Len = %d, want 6 (7 annotations, one trashed, one repeated)", ix.Len())
	}
	if got := ids(search(t, ix, "ceasefire")); len(got) != 0 {
		t.Errorf("the earlier version of a repeated annotation is found: %v", got)
	}
	if got := ids(search(t, ix, "entirely")); !slices.Equal(got, []int{1}) {
		t.Errorf("the later version is not found: %v", got)
	}
}

func TestBuild_Progress(t *testing.T) {
	as, titles := buildGenerated(20_000)
	var calls, last int
	Build(as, titles, func(done, total int) {
		calls++
		if total != len(as) || done < last || done > total {
			t.Errorf("progress(%d, %d) after %d", done, total, last)
		}
		last = done
	})
	if calls < 2 || last != len(as) {
		t.Errorf("%d calls, last done %d", calls, last)
	}
	Build(nil, nil, func(done, total int) { last = total })
	if last != 0 {
		t.Errorf("an empty build reported %d", last)
	}
}

func TestIndex_SetArticleTitle(t *testing.T) {
	ix := fixtureIndex(t)
	ix.SetArticleTitle(artLake, "Winter on the Fjord")
	if got := ids(search(t, ix, "article:fjord")); !slices.Equal(got, []int{6, 3}) {
		t.Errorf("article:fjord = %v", got)
	}
	if got := ids(search(t, ix, "article:evenings")); len(got) != 0 {
		t.Errorf("the old title still matches: %v", got)
	}
	if got := ids(search(t, ix, "fjord")); !slices.Equal(got, []int{6, 3}) {
		t.Errorf("title word fjord = %v", got)
	}
	// Put with another title changes it too.
	a := fixture()[0]
	ix.Put(a, "Ceasefire Signed")
	if got := ids(search(t, ix, "article:signed")); !slices.Equal(got, []int{4, 1}) {
		t.Errorf("after Put with a new title: %v", got)
	}
	ix.SetArticleTitle(uuid.New(), "no such article") // nothing happens
}

// TestIndex_Concurrent searches while annotations change; run with -race.
func TestIndex_Concurrent(t *testing.T) {
	as, titles := buildGenerated(3000)
	ix := Build(as[:1500], titles, nil)
	var wg sync.WaitGroup
	for w := range 3 {
		wg.Go(func() {
			for i := range 200 {
				q := testQueries[(i*3+w)%len(testQueries)]
				if _, err := ix.Search(q, 20); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i, a := range as[1500:] {
			ix.Put(a, titles[a.ArticleID])
			if i%3 == 0 {
				ix.Remove(as[i].ID)
			}
			if i%100 == 0 {
				ix.SetArticleTitle(a.ArticleID, fmt.Sprint("Title ", i))
			}
		}
	})
	wg.Wait()
	if want := 3000 - 500; ix.Len() != want {
		t.Errorf("Len = %d, want %d", ix.Len(), want)
	}
}

// TestTypos compares the trie walk with the distance of every word.
func TestTypos(t *testing.T) {
	as, titles := buildGenerated(3000)
	ix := Build(as, titles, nil)
	v := &ix.vocab
	r := rand.New(rand.NewPCG(9, 9))
	for range 100 {
		w := []rune(v.terms[r.IntN(len(v.terms))])
		// Make a typo or two.
		for range r.IntN(3) {
			if len(w) < 2 {
				break
			}
			i := r.IntN(len(w) - 1)
			switch r.IntN(4) {
			case 0:
				w[i], w[i+1] = w[i+1], w[i]
			case 1:
				w = slices.Delete(w, i, i+1)
			case 2:
				w = slices.Insert(w, i, 'e')
			case 3:
				w[i] = 'x'
			}
		}
		for d := 1; d <= 2; d++ {
			got := map[uint32]int{}
			v.typos(w, d, func(t uint32, k int) { got[t] = k })
			for term, s := range v.terms {
				k := osa([]rune(s), w)
				if k <= d && got[uint32(term)] != k || k > d && got[uint32(term)] != 0 {
					t.Fatalf("typos(%q, %d): %q at %d, walk says %d (%v)", string(w), d, s, k, got[uint32(term)], len(got))
				}
			}
		}
	}
}

// osa is the optimal string alignment distance, plainly.
func osa(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// TestIndex_LongWordsAreNotIndexed: a word over maxWordBytes is left out
// (of the persisted index too, whose keys it could not be).
func TestIndex_LongWordsAreNotIndexed(t *testing.T) {
	long := strings.Repeat("n", maxWordBytes+1)
	as := []annotations.Annotation{{ID: fid(1), ArticleID: artTalks, Target: annotations.Target{Exact: "short words " + long}, Note: strings.Repeat("x", 1<<20)}}
	for name, ix := range map[string]*Index{"built": Build(as, fixtureTitles, nil), "put": func() *Index { ix := New(); ix.Put(as[0], fixtureTitles[artTalks]); return ix }()} {
		if got := ids(search(t, ix, long)); len(got) != 0 {
			t.Errorf("%s: the long word is found: %v", name, got)
		}
		if got := ids(search(t, ix, "short")); len(got) != 1 {
			t.Errorf("%s: the short words are not: %v", name, got)
		}
	}
	l := newLibrary(t, fixtureTitles)
	l.put(as...)
	l.verify()
	l.compare("long words", []string{long, "short", "words", "x"})
}

package search

import (
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/sahilm/fuzzy"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
)

// The benchmarks run on generated annotations (annotationstest.Corpus) at three
// sizes, as sub-benchmarks named 10k, 100k and 1M. Each size's corpus and
// index are made once per process. Run:
//
//	go test -run '^$' -bench . -benchmem ./annotations/search/
//
// BenchmarkSearch and BenchmarkBaselineFuzzyFind run the same queries, one
// per op; besides ns/op they report the median and 95th percentile of the
// ops (p50-ms, p95-ms), and the baseline its ratio to the search of the same
// size in the same run (x-search). BenchmarkIndexBuild reports the heap the
// index keeps, texts included (MiB/100k).

var tiers = []struct {
	name string
	n    int
}{{"10k", 10_000}, {"100k", 100_000}, {"1M", 1_000_000}}

// skipLarge skips the 1M size under -short (it takes a minute and a few
// GB).
func skipLarge(b *testing.B, n int) {
	if n > 100_000 && testing.Short() {
		b.Skip("-short: not the 1M size")
	}
}

const benchArticles = 300

// benchQueries is the fixed mix of the benchmarks (annotationstest.Queries).
var benchQueries = annotationstest.Queries

// benchCorpus is the generated annotations, grown on demand: each size is a
// prefix of the next.
var benchCorpus struct {
	sync.Mutex
	c  *annotationstest.Corpus
	as []annotations.Annotation
}

func corpusOf(n int) ([]annotations.Annotation, map[uuid.UUID]string) {
	benchCorpus.Lock()
	defer benchCorpus.Unlock()
	if benchCorpus.c == nil {
		benchCorpus.c = annotationstest.NewCorpus(1, benchArticles)
	}
	for len(benchCorpus.as) < n {
		benchCorpus.as = append(benchCorpus.as, benchCorpus.c.Annotation())
	}
	return benchCorpus.as[:n:n], benchCorpus.c.Titles
}

// benchIndexes holds one index per size, built once.
var benchIndexes sync.Map // n → *lazyIndex

type lazyIndex struct {
	once sync.Once
	ix   *Index
}

func indexOf(n int) *Index {
	v, _ := benchIndexes.LoadOrStore(n, &lazyIndex{})
	l := v.(*lazyIndex)
	l.once.Do(func() {
		as, titles := corpusOf(n)
		l.ix = Build(as, titles, nil)
	})
	return l.ix
}

// durations collects the time of each op for percentiles.
type durations []time.Duration

func (d durations) report(b *testing.B) {
	if len(d) == 0 {
		return
	}
	s := slices.Clone(d)
	slices.Sort(s)
	pct := func(p float64) float64 {
		return float64(s[min(len(s)-1, int(p*float64(len(s))))]) / 1e6
	}
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

// searchMean is the mean time of a search op per size in this run, for the
// baseline's ratio.
var searchMean sync.Map // name → float64 ns

func BenchmarkSearch(b *testing.B) {
	for _, tier := range tiers {
		b.Run(tier.name, func(b *testing.B) {
			skipLarge(b, tier.n)
			ix := indexOf(tier.n)
			d := make(durations, 0, 1024)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := ix.Search(benchQueries[i%len(benchQueries)], DefaultLimit); err != nil {
					b.Fatal(err)
				}
				d = append(d, time.Since(start))
			}
			d.report(b)
			searchMean.Store(tier.name, float64(b.Elapsed().Nanoseconds())/float64(b.N))
		})
	}
}

// BenchmarkBaselineFuzzyFind is what Gloss does not do: sahilm/fuzzy over
// each annotation's whole text (quote, note, tags), for the same queries.
func BenchmarkBaselineFuzzyFind(b *testing.B) {
	for _, tier := range tiers {
		b.Run(tier.name, func(b *testing.B) {
			skipLarge(b, tier.n)
			as, _ := corpusOf(tier.n)
			texts := make([]string, len(as))
			for i := range as {
				texts[i] = as[i].Target.Exact + " " + as[i].Note + " " + strings.Join(as[i].Tags, " ")
			}
			d := make(durations, 0, 64)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				fuzzy.Find(benchQueries[i%len(benchQueries)], texts)
				d = append(d, time.Since(start))
			}
			d.report(b)
			mean := float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if s, ok := searchMean.Load(tier.name); ok {
				b.ReportMetric(mean/s.(float64), "x-search")
			}
		})
	}
}

func BenchmarkIndexBuild(b *testing.B) {
	for _, tier := range tiers {
		b.Run(tier.name, func(b *testing.B) {
			skipLarge(b, tier.n)
			as, titles := corpusOf(tier.n)
			mem := indexMemory(as, titles)
			b.ResetTimer()
			for b.Loop() {
				Build(as, titles, nil)
			}
			b.ReportMetric(mem/float64(tier.n)*100_000, "MiB/100k")
		})
	}
}

// indexMemory returns the heap, in MiB, that an index of as keeps, texts
// included: it indexes a copy of as and measures after dropping the copy.
func indexMemory(as []annotations.Annotation, titles map[uuid.UUID]string) float64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	clone := make([]annotations.Annotation, len(as))
	for i, a := range as {
		a.Target.Exact = strings.Clone(a.Target.Exact)
		a.Note = strings.Clone(a.Note)
		a.Tags = slices.Clone(a.Tags)
		for k := range a.Tags {
			a.Tags[k] = strings.Clone(a.Tags[k])
		}
		clone[i] = a
	}
	ix := Build(clone, titles, nil)
	clone = nil
	runtime.GC()
	runtime.ReadMemStats(&after)
	runtime.KeepAlive(ix)
	return float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / (1 << 20)
}

// BenchmarkIndexUpdate changes one annotation per op (a new note, a newer
// UpdatedAt) in an index of each size, its own copy. The compactions that
// changes cause (one per quarter of the index changed) are in the mean.
func BenchmarkIndexUpdate(b *testing.B) {
	for _, tier := range tiers {
		b.Run(tier.name, func(b *testing.B) {
			skipLarge(b, tier.n)
			as, titles := corpusOf(tier.n)
			ix := Build(as, titles, nil)
			gen := annotationstest.NewCorpus(2, 1)
			notes := make([]string, 256)
			for i := range notes {
				notes[i] = gen.Text(gen.Rand().IntN(81))
			}
			d := make(durations, 0, 1<<16)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				a := as[(i*7919)%len(as)]
				a.Note = notes[i%len(notes)]
				a.UpdatedAt = a.UpdatedAt.Add(time.Duration(i+1) * time.Second)
				start := time.Now()
				ix.Put(a, titles[a.ArticleID])
				d = append(d, time.Since(start))
			}
			d.report(b)
		})
	}
}

func ExampleIndex_Search() {
	ix := Build(fixture(), fixtureTitles, nil)
	hits, _ := ix.Search("consesus", 0)
	for _, h := range hits {
		fmt.Println(h.ID, h.Score, h.Matches)
	}
	// Output: 0193b000-0000-7000-8000-000000000001 0.6 map[quote:[[22 31]]]
}

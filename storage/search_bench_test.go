package storage_test

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
	"github.com/gloss-notes/gloss/annotations/search"
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

// The search index benchmarks run on generated libraries
// (storagetest.CachedLibrary: written once, kept in the user's cache
// folder) of 100,000 and 1,000,000 annotations; the 1M ones are skipped
// under -short. Run:
//
//	go test -run '^$' -bench 'Search|LibrarySize' -benchtime 200x ./storage/

var librarySizes = []struct {
	name string
	n    int
}{{"100k", 100_000}, {"1M", 1_000_000}}

func skipLarge(b *testing.B, n int) {
	if n > 100_000 && testing.Short() {
		b.Skip("-short: not the 1M size")
	}
}

func openCached(b *testing.B, n int) *storage.DB {
	b.Helper()
	db, err := storage.Open(storagetest.CachedLibrary(b, n), storage.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// durations collects the time of each op for percentiles.
type durations []time.Duration

func (d durations) report(b *testing.B) {
	if len(d) == 0 {
		return
	}
	s := slices.Clone(d)
	slices.Sort(s)
	pct := func(p float64) float64 { return float64(s[min(len(s)-1, int(p*float64(len(s))))]) / 1e6 }
	b.ReportMetric(pct(0.5), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

// BenchmarkSearchIndex runs the benchmarks' query mix (one query per op)
// on a library's search index with its cache loaded, as the window's
// searches after the first. It reports the median and 95th percentile,
// and x-memory: the mean time of the same queries on an in-memory index
// of the same annotations (search.Build), in the same run, divided into
// this one's.
func BenchmarkSearchIndex(b *testing.B) {
	for _, size := range librarySizes {
		b.Run(size.name, func(b *testing.B) {
			skipLarge(b, size.n)
			db := openCached(b, size.n)
			if _, err := db.Search("warm", 1); err != nil {
				b.Fatal(err)
			}
			ix := inMemoryIndex(b, db)
			start := time.Now()
			for i := range 10 * len(annotationstest.Queries) {
				ix.Search(annotationstest.Queries[i%len(annotationstest.Queries)], search.DefaultLimit)
			}
			memory := time.Since(start) / time.Duration(10*len(annotationstest.Queries))
			d := make(durations, 0, 1024)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				if _, err := db.Search(annotationstest.Queries[i%len(annotationstest.Queries)], search.DefaultLimit); err != nil {
					b.Fatal(err)
				}
				d = append(d, time.Since(start))
			}
			d.report(b)
			mean := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(memory.Nanoseconds())/1e6, "memory-ms")
			b.ReportMetric(float64(mean)/float64(memory), "x-memory")
		})
	}
}

func inMemoryIndex(b *testing.B, db *storage.DB) *search.Index {
	var as []annotations.Annotation
	titles := map[uuid.UUID]string{}
	err := db.View(func(r annotations.Reader) error {
		if err := r.Articles(func(a annotations.Article) error { titles[a.ID] = a.Title; return nil }); err != nil {
			return err
		}
		return r.Annotations(func(a annotations.Annotation) error { as = append(as, a); return nil })
	})
	if err != nil {
		b.Fatal(err)
	}
	return search.Build(as, titles, nil)
}

// BenchmarkSearchFirst opens a library and runs one search per op: the
// cache's load (vocabulary, documents, articles) and the query, as a
// command-line search does after starting.
func BenchmarkSearchFirst(b *testing.B) {
	for _, size := range librarySizes {
		b.Run(size.name, func(b *testing.B) {
			skipLarge(b, size.n)
			path := storagetest.CachedLibrary(b, size.n)
			d := make(durations, 0, 64)
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				db, err := storage.Open(path, storage.Options{ReadOnly: true})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := db.Search(annotationstest.Queries[i%len(annotationstest.Queries)], search.DefaultLimit); err != nil {
					b.Fatal(err)
				}
				db.Close()
				d = append(d, time.Since(start))
			}
			d.report(b)
		})
	}
}

// BenchmarkLibrarySize reports the size of a generated library's file
// (file-MB), of its search index's pages (index-MB), and of a compacted
// copy with and without the index (compact-MB, compact-noindex-MB, and
// their ratio x-size).
func BenchmarkLibrarySize(b *testing.B) {
	for _, size := range librarySizes {
		b.Run(size.name, func(b *testing.B) {
			skipLarge(b, size.n)
			path := storagetest.CachedLibrary(b, size.n)
			fi, err := os.Stat(path)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				with := compactCopy(b, path, filepath.Join(b.TempDir(), "with.db"), nil)
				without := compactCopy(b, path, filepath.Join(b.TempDir(), "without.db"), search.Buckets)
				index := bucketBytes(b, path, search.Buckets)
				b.ReportMetric(float64(fi.Size())/1e6, "file-MB")
				b.ReportMetric(float64(index)/1e6, "index-MB")
				b.ReportMetric(float64(with)/1e6, "compact-MB")
				b.ReportMetric(float64(without)/1e6, "compact-noindex-MB")
				b.ReportMetric(float64(with)/float64(without), "x-size")
			}
		})
	}
}

// compactCopy copies the library at src to dst, leaving out the buckets
// skip, in key order (as bbolt's compact does), and returns dst's size.
func compactCopy(b *testing.B, src, dst string, skip [][]byte) int64 {
	from, err := bolt.Open(src, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer from.Close()
	to, err := bolt.Open(dst, 0o600, &bolt.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	err = from.View(func(ftx *bolt.Tx) error {
		return ftx.ForEach(func(name []byte, fb *bolt.Bucket) error {
			if slices.ContainsFunc(skip, func(s []byte) bool { return string(s) == string(name) }) {
				return nil
			}
			c := fb.Cursor()
			k, v := c.First()
			for k != nil {
				err := to.Update(func(ttx *bolt.Tx) error {
					tb, err := ttx.CreateBucketIfNotExists(name)
					if err != nil {
						return err
					}
					tb.FillPercent = 1
					for n := 0; k != nil && n < 50_000; n++ {
						if err := tb.Put(slices.Clone(k), slices.Clone(v)); err != nil {
							return err
						}
						k, v = c.Next()
					}
					return nil
				})
				if err != nil {
					return err
				}
			}
			return nil
		})
	})
	if err != nil {
		b.Fatal(err)
	}
	to.Close()
	fi, err := os.Stat(dst)
	if err != nil {
		b.Fatal(err)
	}
	os.Remove(dst)
	return fi.Size()
}

// bucketBytes returns the bytes of the pages of the named buckets.
func bucketBytes(b *testing.B, path string, names [][]byte) int {
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	total := 0
	db.View(func(tx *bolt.Tx) error {
		for _, name := range names {
			s := tx.Bucket(name).Stats()
			total += s.BranchAlloc + s.LeafAlloc
		}
		return nil
	})
	return total
}

// BenchmarkIndexWrite measures a write with the search index kept in
// step: one annotation per op through the service, created (new, with a
// 40-word note), its note replaced (edit), or trashed and restored in
// turn (trash), in a transaction of its own without fsync, on a copy of
// the generated library of 100,000 annotations.
func BenchmarkIndexWrite(b *testing.B) {
	src := storagetest.CachedLibrary(b, 100_000)
	for _, kind := range []string{"new", "edit", "trash"} {
		b.Run(kind, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "library.db")
			copyLibrary(b, src, path)
			db, err := storage.Open(path, storage.Options{NoAutoBackup: true, NoSync: true})
			if err != nil {
				b.Fatal(err)
			}
			defer db.Close()
			svc := annotations.NewService(db)
			arts, _ := svc.Articles()
			notes, _ := svc.Notes(annotations.NotesQuery{ArticleID: &arts[0].ID})
			gen := annotationstest.NewCorpus(9, 1)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				var err error
				switch kind {
				case "new":
					_, err = svc.Highlight(annotations.HighlightRequest{ArticleID: arts[0].ID, Start: i % 20000, End: i%20000 + 200, Note: gen.Text(40), Tags: []string{"method"}})
				case "edit":
					note := gen.Text(40)
					_, err = svc.Edit(notes[i%len(notes)].ID, annotations.Change{Note: &note})
				case "trash":
					id := notes[(i/2)%len(notes)].ID
					if i%2 == 0 {
						_, err = svc.Trash(id)
					} else {
						_, err = svc.Restore(id)
					}
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func copyLibrary(b *testing.B, src, dst string) {
	data, err := os.ReadFile(src)
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(dst, data, 0o600); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkMigration2to3 opens a copy of a generated library turned back
// into schema 2 (no search index; its tag index as it is) per op: the
// upgrade's backup, the tag index re-keyed and the search index built from
// every annotation, in one transaction.
func BenchmarkMigration2to3(b *testing.B) {
	for _, size := range librarySizes {
		b.Run(size.name, func(b *testing.B) {
			skipLarge(b, size.n)
			src := storagetest.CachedLibrary(b, size.n)
			for b.Loop() {
				b.StopTimer()
				path := filepath.Join(b.TempDir(), "library.db")
				copyLibrary(b, src, path)
				db, err := bolt.Open(path, 0o600, nil)
				if err != nil {
					b.Fatal(err)
				}
				err = db.Update(func(tx *bolt.Tx) error {
					for _, name := range search.Buckets {
						if err := tx.DeleteBucket(name); err != nil {
							return err
						}
					}
					return tx.Bucket([]byte("meta")).Put([]byte("schema_version"), []byte("2"))
				})
				db.Close()
				if err != nil {
					b.Fatal(err)
				}
				b.StartTimer()
				start := time.Now()
				s, err := storage.Open(path, storage.Options{NoAutoBackup: true})
				if err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(time.Since(start).Seconds(), "open-s")
				b.StopTimer()
				s.Close()
				os.RemoveAll(filepath.Dir(path))
				b.StartTimer()
			}
		})
	}
}

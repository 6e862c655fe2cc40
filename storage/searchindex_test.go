package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
	"github.com/gloss-notes/gloss/annotations/search"
)

// writeLibrary writes a generated library of n annotations (one in 20 in
// the trash) straight through the Writer, in batches.
func writeLibrary(t testing.TB, db *DB, seed uint64, articles, n int) *annotationstest.Library {
	t.Helper()
	lib := annotationstest.NewLibrary(seed, n, articles, 400)
	err := db.Update(func(w annotations.Writer) error {
		for _, a := range lib.Articles {
			if err := w.PutArticle(a); err != nil {
				return err
			}
		}
		for i := 0; i < n; i += 700 {
			batch := make([]annotations.Annotation, 0, 700)
			for k := i; k < min(n, i+700); k++ {
				a, _ := lib.Next()
				if k%20 == 7 {
					a.DeletedAt = &a.UpdatedAt
				}
				batch = append(batch, a)
			}
			if err := w.PutAnnotations(batch); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return lib
}

// inMemory builds an in-memory index of the library's annotations.
func inMemory(t testing.TB, db *DB) *search.Index {
	t.Helper()
	var as []annotations.Annotation
	titles := map[uuid.UUID]string{}
	err := db.View(func(r annotations.Reader) error {
		if err := r.Articles(func(a annotations.Article) error { titles[a.ID] = a.Title; return nil }); err != nil {
			return err
		}
		return r.Annotations(func(a annotations.Annotation) error { as = append(as, a); return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	return search.Build(as, titles, nil)
}

// compareSearches runs queries on the library's index and on an in-memory
// one: the same hits, order, scores and ranges.
func compareSearches(t *testing.T, db *DB, when string, queries []string) {
	t.Helper()
	ix := inMemory(t, db)
	if n, err := db.SearchCount(); err != nil || n != ix.Len() {
		t.Errorf("%s: SearchCount = %d, %v; want %d", when, n, err, ix.Len())
	}
	for _, q := range queries {
		want, err := ix.Search(q, 1000)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.Search(q, 1000)
		if err != nil {
			t.Fatalf("%s: Search(%q): %v", when, q, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: Search(%q): %d hits, in memory %d", when, q, len(got), len(want))
		}
	}
}

var storageQueries = append(slices.Clone(annotationstest.Queries), "", "the", "th", "tag:cafe", "cafe", "article:a", `"of the"`, "-the", "renamed", "quuxwort")

func TestSearch_AgreesWithInMemory(t *testing.T) {
	db, _ := openTest(t, Options{NoAutoBackup: true, NoSync: true})
	lib := writeLibrary(t, db, 1, 12, 3000)
	compareSearches(t, db, "written", storageQueries)

	// The service's writes: edits, trash, restore, undo, a title.
	svc := annotations.NewService(db)
	hits, err := db.Search("the", 60)
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hits {
		note := fmt.Sprintf("quuxwort %d and more", i)
		switch i % 4 {
		case 0:
			_, err = svc.Edit(h.ID, annotations.Change{Note: &note, AddTags: []string{"Café"}})
		case 1:
			_, err = svc.Trash(h.ID)
		case 2:
			_, err = svc.Edit(h.ID, annotations.Change{RemoveTags: []string{"method"}})
		case 3:
			_, err = svc.Trash(h.ID)
			if err == nil {
				_, err = svc.Restore(h.ID)
			}
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	art := lib.Articles[3]
	err = db.Update(func(w annotations.Writer) error {
		a, err := w.Article(art.ID)
		if err != nil {
			return err
		}
		a.Title = "Renamed at last"
		return w.PutArticle(a)
	})
	if err != nil {
		t.Fatal(err)
	}
	compareSearches(t, db, "changed", storageQueries)
	// openTest's cleanup checks the library, the search index included.
}

// TestSearch_FailedWriteLeavesNoTrace: a write that fails after it changed
// the index leaves the index (and the cache) as they were.
func TestSearch_FailedWriteLeavesNoTrace(t *testing.T) {
	db, _ := openTest(t, Options{NoAutoBackup: true, NoSync: true})
	writeLibrary(t, db, 2, 5, 500)
	before, _ := db.Search("the", 20)
	lib := annotationstest.NewLibrary(2, 500, 5, 400) // the same articles
	boom := errors.New("boom")
	err := db.Update(func(w annotations.Writer) error {
		a, _ := lib.Next()
		a.ID = uuid.Must(uuid.NewV7())
		a.Note = "quuxwort"
		if err := w.PutAnnotation(a); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	if hits, _ := db.Search("quuxwort", 20); len(hits) != 0 {
		t.Errorf("a rolled-back annotation is found")
	}
	if after, _ := db.Search("the", 20); !reflect.DeepEqual(after, before) {
		t.Errorf("a rolled-back write changed the results")
	}
}

// TestSearch_Concurrent searches while another goroutine writes; run with
// -race. Every search sees one committed state.
func TestSearch_Concurrent(t *testing.T) {
	db, _ := openTest(t, Options{NoAutoBackup: true, NoSync: true})
	writeLibrary(t, db, 3, 5, 800)
	svc := annotations.NewService(db)
	notes, err := svc.Notes(annotations.NotesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() {
			for i := range 60 {
				q := storageQueries[(i*3+g)%len(storageQueries)]
				if _, err := db.Search(q, 10); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := range 60 {
			note := fmt.Sprintf("quuxwort %d", i)
			if _, err := svc.Edit(notes[i].ID, annotations.Change{Note: &note}); err != nil {
				t.Error(err)
				return
			}
		}
	})
	wg.Wait()
	compareSearches(t, db, "after", storageQueries)
}

// TestMigration_2to3 opens a library written in schema 2 — a tag index
// keyed by case folding only (so "Café" and "cafe" were two tags) and no
// search index — and checks the upgrade: one tag, a search index that
// agrees with the records, a backup first, and a sound library.
func TestMigration_2to3(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := Open(path, Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	lib := writeLibrary(t, db, 4, 6, 600)
	svc := annotations.NewService(db)
	var ids []uuid.UUID
	for i, tags := range [][]string{{"Café"}, {"cafe", "Method"}, {"CAFÉ"}} {
		a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: lib.Articles[i].ID, Start: 0, End: 10, Tags: tags})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	// Turn it into a schema 2 file: no search index, the tag index keyed
	// as schema 2 did (lower case; accents kept), and one annotation with
	// two spellings of a tag, which schema 2 allowed.
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range search.Buckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		old, _ := txn{tx: tx}.Annotation(ids[0])
		old.Tags = []string{"Café", "café"}
		raw, _ := encodeJSON(old)
		if err := tx.Bucket(bucketAnnotations).Put(old.ID[:], raw); err != nil {
			return err
		}
		if err := tx.DeleteBucket(bucketByTag); err != nil {
			return err
		}
		byTag, _ := tx.CreateBucket(bucketByTag)
		if err := (txn{tx: tx}).Annotations(func(a annotations.Annotation) error {
			for _, tag := range a.Tags {
				key := append(append([]byte(strings.ToLower(tag)), 0), a.ID[:]...)
				if err := byTag.Put(key, tagIndexValue(a, tag)); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return err
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
	if p := db.Check(); len(p) != 0 {
		t.Fatalf("the schema 2 library does not pass its check: %v", p)
	}
	db.Close()

	start := time.Now()
	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("opened and upgraded in %v", time.Since(start).Round(time.Millisecond))
	defer db.Close()
	if p := db.Check(); len(p) > 0 {
		t.Fatalf("check after the upgrade: %v", p)
	}
	// The migration's backup, whatever the daily one's time stamp (the
	// two may fall in different seconds, and the newest comes first).
	all, _ := Backups(path)
	if !slices.ContainsFunc(all, func(b string) bool { return strings.Contains(b, ".before-v3-") }) {
		t.Errorf("no backup before the upgrade: %v", all)
	}
	svc = annotations.NewService(db)
	tags, _ := svc.Tags()
	for _, tc := range tags {
		if annotations.TagKey(tc.Tag) == "cafe" && tc.Count != 3 {
			t.Errorf("tag %q counts %d, want the 3 spellings as one", tc.Tag, tc.Count)
		}
	}
	for _, tag := range []string{"cafe", "Café", "CAFE"} {
		if got, _ := svc.Notes(annotations.NotesQuery{Tags: []string{tag}}); len(got) != 3 {
			t.Errorf("notes --tag %s finds %d, want 3", tag, len(got))
		}
	}
	if hits, _ := db.Search("tag:cafe", 10); len(hits) != 3 {
		t.Errorf("tag:cafe finds %d, want 3", len(hits))
	}
	compareSearches(t, db, "upgraded", storageQueries)
}

func encodeJSON(a annotations.Annotation) ([]byte, error) { return json.Marshal(a) }

// TestSearch_OlderLibraryReadOnly: a library from before the search index,
// opened read-only (so not upgraded), is searched in memory, with the same
// results.
func TestSearch_OlderLibraryReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := Open(path, Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	writeLibrary(t, db, 5, 4, 300)
	want := map[string][]search.Hit{}
	for _, q := range storageQueries {
		if want[q], err = db.Search(q, 100); err != nil {
			t.Fatal(err)
		}
	}
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range search.Buckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, []byte("2"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	db, err = Open(path, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range storageQueries {
		got, err := db.Search(q, 100)
		if err != nil || !reflect.DeepEqual(got, want[q]) {
			t.Errorf("Search(%q) on the older library: %d hits, %v; want %d", q, len(got), err, len(want[q]))
		}
	}
	if n, err := db.SearchCount(); err != nil || n != inMemory(t, db).Len() {
		t.Errorf("SearchCount = %d, %v", n, err)
	}
}

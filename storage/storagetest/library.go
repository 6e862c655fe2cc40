package storagetest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/annotationstest"
	"github.com/gloss-notes/gloss/storage"
)

// LibraryVersion names the libraries that GenerateLibrary writes (5: the
// article index values hold places): it
// changes whenever they would come out different (the generator, or the
// file format), so that cached copies of older ones are not used.
const LibraryVersion = 5

// LibraryShape returns the number of articles and their length in words
// of a generated library of n annotations: one article per thousand
// annotations (at least 50), 5,000 words each.
func LibraryShape(n int) (articles, words int) {
	return max(50, n/1000), 5000
}

// GenerateLibrary writes a library of n annotations to path, which must
// not exist: annotationstest.Library's articles and annotations (seed 1;
// made article by article in reading sessions, in time order, so that the
// library grows by appending as a reader's does), one in 25 in the trash,
// written straight through the storage's Writer (as an import that needs
// no re-anchoring would), 20,000 annotations per transaction.
func GenerateLibrary(path string, n int) error {
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("generate library: %s exists", path)
	}
	db, err := storage.Open(path, storage.Options{NoAutoBackup: true, NoSync: true})
	if err != nil {
		return err
	}
	articles, words := LibraryShape(n)
	lib := annotationstest.NewLibrary(1, n, articles, words)
	err = db.Update(func(w annotations.Writer) error {
		for _, a := range lib.Articles {
			if err := w.PutArticle(a); err != nil {
				return err
			}
		}
		return nil
	})
	for done := 0; err == nil && done < n; {
		err = db.Update(func(w annotations.Writer) error {
			for range 2 {
				batch := make([]annotations.Annotation, 0, 10_000)
				for ; len(batch) < cap(batch) && done < n; done++ {
					a, _ := lib.Next()
					if done%25 == 24 {
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
	}
	if cerr := db.Close(); err == nil {
		err = cerr
	}
	return err
}

var generating sync.Mutex

// CachedLibrary returns the path of a generated library of n annotations
// (see GenerateLibrary) in the user's cache folder, writing it first when
// it is not there (a million annotations take a few minutes). Callers may
// open it, and should not change it: other runs use it again.
func CachedLibrary(tb testing.TB, n int) string {
	tb.Helper()
	generating.Lock()
	defer generating.Unlock()
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "gloss-bench", fmt.Sprintf("library-%d-v%d", n, LibraryVersion))
	path := filepath.Join(dir, "library.db")
	if _, err := os.Stat(path); err == nil {
		return path
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	tmp := filepath.Join(dir, "generating.db")
	os.Remove(tmp)
	start := time.Now()
	if err := GenerateLibrary(tmp, n); err != nil {
		tb.Fatalf("generate a library of %d annotations: %v", n, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("generated %s in %v", path, time.Since(start).Round(time.Second))
	return path
}

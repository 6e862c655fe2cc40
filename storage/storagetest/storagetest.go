// Package storagetest opens throwaway libraries for tests.
package storagetest

import (
	"path/filepath"
	"testing"

	"github.com/gloss-notes/gloss/storage"
)

// Open opens a new library under t.TempDir(). At cleanup it runs the same
// consistency check as "gloss check" and fails the test on any problem, then
// closes the library.
func Open(t testing.TB) *storage.DB {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "library.db"), storage.Options{NoAutoBackup: true})
}

// OpenAt opens the library at path with opts, with the same cleanup as Open.
func OpenAt(t testing.TB, path string, opts storage.Options) *storage.DB {
	t.Helper()
	db, err := storage.Open(path, opts)
	if err != nil {
		t.Fatalf("open library: %v", err)
	}
	t.Cleanup(func() {
		for _, p := range db.Check() {
			t.Errorf("library check: %v", p)
		}
		if err := db.Close(); err != nil {
			t.Errorf("close library: %v", err)
		}
	})
	return db
}

package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync/atomic"

	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage/outfile"
)

var _ annotations.LargeStore = (*DB)(nil)

// largeCount numbers the working copies of UpdateLarge.
var largeCount atomic.Int64

// UpdateLarge implements annotations.LargeStore. A bbolt transaction holds
// every page it changes in memory until it commits, and twice over while
// it commits: an import of a million annotations in one transaction took
// 4.9 GB. Here the writes go to a copy of the library beside it
// (".NAME.gloss-PID-N.tmp", which outfile.RemoveStale clears if a run is
// killed), in as many transactions as fn commits, without fsync; when fn
// returns nil the copy is synced and renamed over the library — one
// atomic step — and becomes the open library. The library is locked all
// along: first the old file, then the copy that takes its place. A
// library reached through a symbolic link is replaced where the link points
// (a hard link to it keeps the old file). A
// failure, or a crash at any point before the rename, leaves the library
// as it was. The DB changes its file: no other goroutine may use db
// meanwhile (the command line's import; the window imports in one
// transaction).
func (db *DB) UpdateLarge(fn func(w annotations.Writer, commit func() (annotations.Writer, error)) error) (err error) {
	if db.opts.ReadOnly {
		return fmt.Errorf("library %s was opened read-only", db.path)
	}
	// The copy goes beside the file itself, and replaces it there: a
	// library reached through a symbolic link stays one.
	real, err := filepath.EvalSymlinks(db.path)
	if err != nil {
		return fmt.Errorf("library %s: %w", db.path, err)
	}
	info, err := os.Stat(real)
	if err != nil {
		return fmt.Errorf("library %s: %w", db.path, err)
	}
	dir, base := filepath.Split(real)
	outfile.RemoveStale(dir, base)
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.gloss-%d-%d.tmp", base, os.Getpid(), largeCount.Add(1)))
	if err := db.copyTo(tmp, info.Mode().Perm()); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("library %s: a working copy for the import: %w", db.path, err)
	}
	b, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: LockTimeout, NoSync: true})
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("library %s: a working copy for the import: %w", db.path, err)
	}
	replaced := false
	defer func() {
		if !replaced {
			b.Close()
			os.Remove(tmp)
		}
	}()
	if err := db.fillCopy(b, fn); err != nil {
		return err
	}
	// The copy is whole: on the disk, then in the library's place.
	if err := b.Sync(); err != nil {
		return fmt.Errorf("library %s: %w", db.path, err)
	}
	if err := os.Rename(tmp, real); err != nil {
		return fmt.Errorf("library %s: %w", db.path, err)
	}
	replaced = true
	_ = outfile.SyncDir(dir)
	b.NoSync = db.opts.NoSync
	old := db.bolt
	db.bolt = b
	db.search.Reset()
	old.Close()
	return nil
}

// fillCopy runs fn on the working copy b, in transactions that end where
// fn commits, turning panics into errors as updateTx does.
func (db *DB) fillCopy(b *bolt.DB, fn func(annotations.Writer, func() (annotations.Writer, error)) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(db.path, &err)
	tx, err := b.Begin(true)
	if err != nil {
		return err
	}
	defer func() {
		if tx != nil {
			tx.Rollback()
		}
	}()
	t := txn{tx: tx, w: &writeState{}}
	end := func() error {
		if err := t.finish(); err != nil {
			return err
		}
		err := tx.Commit()
		tx = nil
		return err
	}
	commit := func() (annotations.Writer, error) {
		if tx == nil {
			return nil, errors.New("storage: UpdateLarge's commit after an error")
		}
		if err := end(); err != nil {
			return nil, err
		}
		next, err := b.Begin(true)
		if err != nil {
			return nil, err
		}
		tx = next
		t = txn{tx: tx, w: &writeState{}}
		return t, nil
	}
	if err := fn(t, commit); err != nil {
		return err
	}
	if tx == nil {
		return errors.New("storage: UpdateLarge's writer was used after an error")
	}
	return end()
}

// copyTo writes a consistent copy of the library to a new file at path,
// of mode perm (bbolt's Tx.CopyFile opens it through the library's own
// open function, which creates nothing).
func (db *DB) copyTo(path string, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if perm != 0o600 {
		_ = f.Chmod(perm) // the library's own mode, as the file it replaces
	}
	err = db.viewTx(func(tx *bolt.Tx) error {
		_, err := tx.WriteTo(f)
		return err
	})
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

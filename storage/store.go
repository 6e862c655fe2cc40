// Package storage keeps a Gloss library in one bbolt file and implements
// annotations.Store on it.
//
// Contract:
//   - Every Update is one bbolt read-write transaction: records and their
//     indexes (the search index among them) change together, and a failed
//     Update leaves the file exactly as it was. Commits are fsynced.
//   - Open waits at most one second for the file lock and then returns
//     ErrLocked: another Gloss process has the library open.
//   - A damaged file (bbolt cannot read it, a page is missing, a read
//     panics) gives ErrDamaged naming the newest backup, and is never
//     written to. A file from a newer schema gives ErrNewerVersion and is
//     never written to. An older schema is migrated in one transaction after
//     a backup.
//   - Values handed out are copies; no read transaction outlives a call.
//   - The library and its backups are created with mode 0600.
package storage

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/search"
)

// ErrLocked is returned by Open when another process holds the library.
var ErrLocked = errors.New("open in another Gloss process")

// ErrDamaged is returned when the library file cannot be read safely.
var ErrDamaged = errors.New("damaged")

// ErrNewerVersion is returned by Open for a library written by a newer
// version of Gloss.
var ErrNewerVersion = errors.New("written by a newer version of Gloss")

// LockTimeout is how long Open waits for another process to let go of the
// library before it returns ErrLocked.
const LockTimeout = time.Second

// Options tune Open. The zero value is what the app uses.
type Options struct {
	// ReadOnly opens the library for reading only (a shared lock): it must
	// exist already, and no migration or backup is made.
	ReadOnly bool
	// NoAutoBackup turns off the daily automatic backup (tests, benchmarks).
	NoAutoBackup bool
	// Now returns the current time for backup names; nil means time.Now.
	Now func() time.Time
	// NoSync skips fsync on commit. Only for benchmarks and tests that
	// measure something else: a crash can lose data with it.
	NoSync bool
}

// DB is an open library. It implements annotations.Store.
type DB struct {
	path string
	bolt *bolt.DB
	opts Options
	// search keeps the search index's vocabulary and documents in memory
	// between searches (see Search).
	search search.Cache
}

var _ annotations.Store = (*DB)(nil)

// Open opens the library at path, creating it (and its folder) when it does
// not exist.
func Open(path string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("library %s: %w", path, err)
	}
	path = abs
	info, statErr := os.Stat(path)
	switch {
	case statErr == nil && info.IsDir():
		return nil, fmt.Errorf("library %s is a folder, not a file", path)
	case statErr == nil && info.Size() == 0:
		// A new library is created empty by nobody but us; an existing
		// empty file beside backups is a library that lost its content.
		if b, _ := NewestBackup(path); b != "" {
			return nil, damaged(path, errors.New("the file is empty"))
		}
	case statErr == nil:
		// Validate read-only first, so a damaged or newer file is refused
		// before anything could write to it.
		if err := validate(path); err != nil {
			return nil, err
		}
	case errors.Is(statErr, fs.ErrNotExist):
		if opts.ReadOnly {
			return nil, fmt.Errorf("library %s does not exist", path)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("library %s: %w", path, err)
		}
	default:
		return nil, fmt.Errorf("library %s: %w", path, statErr)
	}
	isNew := statErr != nil || info.Size() == 0

	b, err := openBolt(path, opts.ReadOnly, opts.NoSync)
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, bolt: b, opts: opts}
	if err := db.prepare(isNew); err != nil {
		_ = b.Close()
		return nil, err
	}
	return db, nil
}

func openBolt(path string, readOnly, noSync bool) (b *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(path, &err)
	b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly, NoSync: noSync})
	switch {
	case err == nil:
		return b, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("library %s is %w", path, ErrLocked)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("library %s: %w", path, err)
	default:
		return nil, damaged(path, err)
	}
}

// validate opens an existing library read-only and checks that it is a
// readable Gloss library of a version this build understands.
func validate(path string) error {
	b, err := openBolt(path, true, false)
	if err != nil {
		return err
	}
	defer b.Close()
	db := &DB{path: path, bolt: b}
	return db.viewTx(func(tx *bolt.Tx) error {
		fi, err := os.Stat(path)
		if err != nil {
			return err
		}
		if fi.Size() < tx.Size() {
			return damaged(path, fmt.Errorf("the file is %d bytes but should hold %d", fi.Size(), tx.Size()))
		}
		v, err := readVersion(tx)
		if err != nil {
			return damaged(path, err)
		}
		if v > schemaVersion {
			return fmt.Errorf("library %s was %w (schema %d; this Gloss reads up to %d): update Gloss; the file was not changed",
				path, ErrNewerVersion, v, schemaVersion)
		}
		return nil
	})
}

// prepare initialises a new library, migrates an old one and makes the
// daily backup.
func (db *DB) prepare(isNew bool) error {
	if db.opts.ReadOnly {
		return nil
	}
	var version int
	if err := db.viewTx(func(tx *bolt.Tx) (err error) {
		version, err = readVersion(tx)
		return err
	}); err != nil {
		return damaged(db.path, err)
	}
	if version == 0 {
		return db.updateTx(initialize)
	}
	if version < schemaVersion {
		if _, err := db.autoBackup(kindMigration, version); err != nil {
			return fmt.Errorf("library %s: backup before upgrading: %w", db.path, err)
		}
		if err := db.updateTx(func(tx *bolt.Tx) error { return migrate(tx, version) }); err != nil {
			return fmt.Errorf("library %s: upgrade from schema %d: %w", db.path, version, err)
		}
	}
	if !isNew && !db.opts.NoAutoBackup {
		// A damaged library is refused; a backup that cannot be written
		// (a full disk, a read-only folder) does not keep the reader from
		// their library, and is tried again at the next start.
		if _, err := db.autoBackup(kindDaily, 0); errors.Is(err, ErrDamaged) {
			return err
		}
	}
	return nil
}

// Path returns the library file's absolute path.
func (db *DB) Path() string { return db.path }

// Close releases the library.
func (db *DB) Close() error { return db.bolt.Close() }

// View implements annotations.Store.
func (db *DB) View(fn func(annotations.Reader) error) error {
	return db.viewTx(func(tx *bolt.Tx) error { return fn(txn{tx: tx}) })
}

// Update implements annotations.Store.
func (db *DB) Update(fn func(annotations.Writer) error) error {
	return db.updateTx(func(tx *bolt.Tx) error { return db.write(tx, fn) })
}

// viewTx and updateTx run a bbolt transaction and turn a panic inside it
// (bbolt panics on some damaged pages; a fault on a truncated mapping
// panics too with SetPanicOnFault) into ErrDamaged. A panic inside Update
// happens before the commit writes anything, so the file is unchanged.
func (db *DB) viewTx(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(db.path, &err)
	return db.bolt.View(fn)
}

func (db *DB) updateTx(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(db.path, &err)
	return db.bolt.Update(fn)
}

// recoverDamage turns a panic that comes from reading the file — a memory
// fault on the mapping, or a panic inside bbolt — into ErrDamaged. Any other
// panic is a bug in Gloss, not damage: it is raised again, so that nobody
// is told to replace a sound library.
func recoverDamage(path string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	if re, ok := r.(runtime.Error); ok && strings.Contains(re.Error(), "fault") ||
		bytes.Contains(debug.Stack(), []byte("go.etcd.io/bbolt.")) {
		*err = damaged(path, fmt.Errorf("%v", r))
		return
	}
	panic(r)
}

// damaged builds the ErrDamaged error for path, naming the newest backup.
func damaged(path string, cause error) error {
	hint := "no backup was found"
	if b, _ := NewestBackup(path); b != "" {
		hint = "the newest backup is " + b + " (gloss restore-backup puts it back)"
	}
	return fmt.Errorf("library %s is %w (%v); it was not changed; %s", path, ErrDamaged, cause, hint)
}

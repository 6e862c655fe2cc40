// Package storage keeps a Gloss library in one bbolt file and implements
// annotations.Store on it.
//
// Contract:
//   - Every Update is one bbolt read-write transaction: records and their
//     indexes (the search index among them) change together, and a failed
//     Update leaves the file exactly as it was. Commits are fsynced.
//   - Open waits at most one second for the file lock and then returns
//     ErrLocked: another Gloss process has the library open.
//   - Open writes only to a regular file: one it created (never over
//     something that appeared meanwhile) or an existing library. A device,
//     pipe, socket, folder or /proc file gives ErrNotAFile, untouched.
//     With NoCreate or ReadOnly, a missing library gives ErrNoLibrary.
//   - A damaged file (bbolt cannot read it, a page is missing, bbolt
//     panics, a read faults) gives ErrDamaged naming the newest backup, and
//     is never written to. A panic of Gloss's own code in a transaction
//     gives ErrInternal, the transaction rolled back. A file from a newer
//     schema gives ErrNewerVersion and is never written to. An older schema
//     is migrated in one transaction after a backup.
//   - Values handed out are copies; no read transaction outlives a call.
//   - The library and its backups are created with mode 0600. No backup
//     or export (outfile, OutputGuard) may write the library or into its
//     backups folder. RestoreBackup leaves a library in place at every
//     moment: the old one or the backup.
package storage

import (
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
	"github.com/gloss-notes/gloss/storage/outfile"
)

// ErrLocked is returned by Open when another process holds the library.
var ErrLocked = errors.New("open in another Gloss process")

// ErrDamaged is returned when the library file cannot be read safely.
var ErrDamaged = errors.New("damaged")

// ErrInternal is returned when Gloss itself fails inside a transaction (a
// bug, not a property of the file): the transaction is rolled back and the
// library is left as it was.
var ErrInternal = errors.New("internal error")

// ErrNoLibrary is returned by Open with NoCreate or ReadOnly when there is
// no library at the path: no file, or an empty one.
var ErrNoLibrary = errors.New("does not exist")

// ErrNotAFile is returned by Open when the path is not a regular file on
// disk: a folder, a device, a named pipe, a socket, or a file of a kernel
// file system such as /proc. Nothing is written to it.
var ErrNotAFile = outfile.ErrNotAFile

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
	// NoCreate refuses to create a library (ErrNoLibrary) when none
	// exists: for the verbs that only read, so that a typo in a path
	// does not make a new, empty library.
	NoCreate bool
}

// DB is an open library. It implements annotations.Store.
type DB struct {
	path    string
	bolt    *bolt.DB
	opts    Options
	created bool
	// search keeps the search index's vocabulary and documents in memory
	// between searches (see Search).
	search search.Cache
}

var _ annotations.Store = (*DB)(nil)

// Open opens the library at path. Unless opts say NoCreate or ReadOnly it
// creates the library (and its folder) when nothing is at path — as a new
// regular file, never over something that appeared meanwhile — or when
// path is an empty regular file with no backups beside it (what mktemp
// makes). Anything but a regular file is refused with ErrNotAFile and
// never written to.
func Open(path string, opts Options) (*DB, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("library %s: %w", path, err)
	}
	path = abs
	mayCreate := !opts.ReadOnly && !opts.NoCreate
	info, statErr := os.Stat(path)
	switch {
	case statErr == nil && !info.Mode().IsRegular():
		return nil, fmt.Errorf("library %s: %w: it is %s; nothing was written to it", path, ErrNotAFile, outfile.Kind(info.Mode()))
	case statErr == nil && kernelFile(path):
		return nil, fmt.Errorf("library %s: %w: it is a file of the kernel (/proc, /sys), not on a disk; nothing was written to it", path, ErrNotAFile)
	case statErr == nil && info.Size() == 0:
		// A new library is created empty by nobody but us; an existing
		// empty file beside backups is a library that lost its content.
		if b, _ := NewestBackup(path); b != "" {
			return nil, damaged(path, errors.New("the file is empty"))
		}
		if !mayCreate {
			return nil, fmt.Errorf("library %s is an empty file: it %w as a library yet", path, ErrNoLibrary)
		}
	case statErr == nil:
		// Validate read-only first, so a damaged or newer file is refused
		// before anything could write to it.
		if err := validate(path); err != nil {
			return nil, err
		}
	case errors.Is(statErr, fs.ErrNotExist):
		if !mayCreate {
			return nil, fmt.Errorf("library %s %w", path, ErrNoLibrary)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("library %s: %w", path, err)
		}
	default:
		return nil, fmt.Errorf("library %s: %w", path, statErr)
	}
	create := statErr != nil
	isNew := create || info.Size() == 0

	b, err := openBolt(path, opts.ReadOnly, opts.NoSync, create)
	if create && errors.Is(err, fs.ErrExist) {
		// Another process created it between our look and our open.
		return Open(path, opts)
	}
	if err != nil {
		return nil, err
	}
	db := &DB{path: path, bolt: b, opts: opts, created: isNew}
	if err := db.prepare(isNew); err != nil {
		_ = b.Close()
		return nil, err
	}
	if !opts.ReadOnly {
		removeLeftover(path + restoringSuffix)
		// The working copy of a large import that was killed.
		outfile.RemoveStale(filepath.Dir(path), filepath.Base(path))
	}
	return db, nil
}

// openBolt opens the bbolt file at path. With create it creates the file
// (O_EXCL: never over one that exists); without, it only opens an existing
// one. Either way the file opened must be a regular file.
func openBolt(path string, readOnly, noSync, create bool) (b *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer recoverDamage(path, &err)
	var opened os.FileInfo
	openFile := func(name string, flag int, perm os.FileMode) (*os.File, error) {
		flag &^= os.O_CREATE
		if create {
			flag |= os.O_CREATE | os.O_EXCL
		}
		f, err := os.OpenFile(name, flag, perm)
		if err != nil {
			return nil, err
		}
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			f.Close()
			if err == nil {
				err = fmt.Errorf("%w: it is %s", ErrNotAFile, outfile.Kind(fi.Mode()))
			}
			return nil, err
		}
		opened = fi
		return f, nil
	}
	// The lock is taken on the file opened; a process that replaced the
	// library meanwhile (UpdateLarge, restore-backup) let go of the old
	// file only after renaming the new one into its place. Locked, the
	// file must still be the one at path, else it is opened again.
	for try := 0; ; try++ {
		b, err = bolt.Open(path, 0o600, &bolt.Options{Timeout: LockTimeout, ReadOnly: readOnly, NoSync: noSync, OpenFile: openFile})
		if err != nil {
			break
		}
		if now, serr := os.Stat(path); serr == nil && os.SameFile(opened, now) {
			break
		}
		b.Close()
		if try == 3 {
			return nil, fmt.Errorf("library %s is %w (it was replaced while opening it)", path, ErrLocked)
		}
		create = false
	}
	switch {
	case err == nil:
		return b, nil
	case errors.Is(err, berrors.ErrTimeout):
		return nil, fmt.Errorf("library %s is %w", path, ErrLocked)
	case errors.Is(err, fs.ErrPermission), errors.Is(err, fs.ErrNotExist), errors.Is(err, fs.ErrExist), errors.Is(err, ErrNotAFile):
		return nil, fmt.Errorf("library %s: %w", path, err)
	default:
		return nil, damaged(path, err)
	}
}

// Created reports whether Open made a new library (the file did not exist
// or was empty).
func (db *DB) Created() bool { return db.created }

// validate opens an existing library read-only and checks that it is a
// readable Gloss library of a version this build understands.
func validate(path string) error {
	b, err := openBolt(path, true, false, false)
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

// recoverDamage turns a panic that comes from reading the file into
// ErrDamaged: a memory fault on the mapping (a runtime.Error with an Addr
// method, which SetPanicOnFault gives), or a panic raised by bbolt's own
// code (the first frame of the panic outside the runtime is in bbolt).
// Any other panic is a bug in Gloss, not damage: it becomes ErrInternal,
// so that nobody is told to replace a sound library. Either way the
// transaction was rolled back and the file is unchanged.
func recoverDamage(path string, err *error) {
	r := recover()
	if r == nil {
		return
	}
	fn, file, line := panicFrame()
	if _, fault := r.(interface{ Addr() uintptr }); fault || isBolt(fn) {
		*err = damaged(path, fmt.Errorf("%v", r))
		return
	}
	*err = fmt.Errorf("%w: %v (in %s at %s:%d); library %s was not changed",
		ErrInternal, oneLine(fmt.Sprint(r)), fn, filepath.Base(file), line, path)
}

// panicFrame returns the function, file and line that raised the panic
// being recovered: the first frame below runtime.gopanic (or the runtime's
// signal handling) that is not in the runtime. It must be called from the
// deferred function that recovers.
func panicFrame() (fn, file string, line int) {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
	inPanic := false
	for {
		f, more := frames.Next()
		switch {
		case f.Function == "runtime.gopanic" || f.Function == "runtime.sigpanic":
			inPanic = true
		case inPanic && !strings.HasPrefix(f.Function, "runtime."):
			return f.Function, f.File, f.Line
		}
		if !more {
			return "an unknown function", "", 0
		}
	}
}

// isBolt reports whether fn is a function of bbolt (or of its internal
// packages).
func isBolt(fn string) bool {
	return strings.HasPrefix(fn, "go.etcd.io/bbolt.") || strings.HasPrefix(fn, "go.etcd.io/bbolt/")
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// damaged builds the ErrDamaged error for path, naming the newest backup.
func damaged(path string, cause error) error {
	hint := "no backup was found"
	if b, _ := NewestBackup(path); b != "" {
		hint = "the newest backup is " + b + " (gloss restore-backup puts it back)"
	}
	return fmt.Errorf("library %s is %w (%v); it was not changed; %s", path, ErrDamaged, cause, hint)
}

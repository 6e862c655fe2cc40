package storage

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/storage/outfile"
)

// Automatic backups live in a "backups" folder beside the library, named
// after the library file, the kind of backup and the time (UTC):
// backups/library.db.daily-20261125T181030Z and
// backups/library.db.before-v2-20261125T181030Z. Zotero keeps rotating
// copies the same way; we keep the newest KeepBackups of each kind.
const (
	// KeepBackups is how many automatic backups of each kind are kept.
	KeepBackups   = 3
	backupDir     = "backups"
	backupStamp   = "20060102T150405Z"
	dailyInterval = 24 * time.Hour
)

// restoringSuffix names the copy of a backup that RestoreBackup makes
// beside the library before it takes the library's place.
const restoringSuffix = ".restoring"

type backupKind int

const (
	kindDaily backupKind = iota
	kindMigration
)

// BackupDir returns the folder of the automatic backups of a library.
func BackupDir(library string) string {
	return filepath.Join(filepath.Dir(library), backupDir)
}

func backupPrefix(library string, kind backupKind, fromVersion int) string {
	base := filepath.Base(library)
	if kind == kindMigration {
		return fmt.Sprintf("%s.before-v%d-", base, fromVersion+1)
	}
	return base + ".daily-"
}

// BackupFile is one automatic backup of a library.
type BackupFile struct {
	Path string
	// At is when the backup was made: the time in its name, or the
	// file's modification time when the name's time lies in the future
	// (a clock that was wrong, a file copied in).
	At time.Time
	// Future is set when the time in the name lies in the future.
	Future bool
}

// ListBackups lists the automatic backups of a library as of now, newest
// first by when they were made (At), so that a name from the future is
// neither taken for the newest nor keeps daily backups from being made.
func ListBackups(library string, now time.Time) ([]BackupFile, error) {
	entries, err := os.ReadDir(BackupDir(library))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	base := filepath.Base(library) + "."
	var found []BackupFile
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, base) || strings.HasSuffix(name, ".tmp") {
			continue
		}
		at, err := time.Parse(backupStamp, name[max(0, len(name)-len(backupStamp)):])
		if err != nil {
			continue
		}
		b := BackupFile{Path: filepath.Join(BackupDir(library), name), At: at}
		if at.After(now) {
			b.Future = true
			b.At = now
			if info, err := e.Info(); err == nil && info.ModTime().Before(now) {
				b.At = info.ModTime()
			}
		}
		found = append(found, b)
	}
	slices.SortStableFunc(found, func(a, b BackupFile) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return strings.Compare(a.Path, b.Path) // as the folder lists them
	})
	return found, nil
}

// Backups lists the automatic backups of a library, newest first (as
// ListBackups does now).
func Backups(library string) ([]string, error) {
	all, err := ListBackups(library, time.Now())
	out := make([]string, len(all))
	for i, b := range all {
		out[i] = b.Path
	}
	return out, err
}

// NewestBackup returns the newest automatic backup of a library, or "".
func NewestBackup(library string) (string, error) {
	all, err := Backups(library)
	if err != nil || len(all) == 0 {
		return "", err
	}
	return all[0], nil
}

// OutputGuard protects a library from Gloss's own outputs: no export,
// backup or restore may write the library (by any path or link), anything
// in its backups folder, or its restore's temporary file.
func OutputGuard(library string) *outfile.Guard {
	if abs, err := filepath.Abs(library); err == nil {
		library = abs
	}
	return new(outfile.Guard).
		File(library, "the library").
		Folder(BackupDir(library), "the library's backups folder").
		File(library+restoringSuffix, "the library's restore in progress")
}

// Backup writes a consistent copy of the library to dst while other
// transactions may go on, as outfile.Write does: into a temporary file
// beside dst, synced and renamed over it, so dst is never half written (or
// straight into a device or pipe). The copy has mode 0600. dst may not be
// the library or lie in its backups folder (OutputGuard).
func (db *DB) Backup(dst string) error {
	return db.writeBackup(dst, OutputGuard(db.path))
}

func (db *DB) writeBackup(dst string, guard *outfile.Guard) error {
	return outfile.Write(dst, outfile.Options{Perm: 0o600, Guard: guard}, func(w io.Writer) error {
		return db.viewTx(func(tx *bolt.Tx) error {
			_, err := tx.WriteTo(w)
			return err
		})
	})
}

// autoBackup makes an automatic backup of the given kind: a daily one only
// when the newest daily backup is a day old or more. Before a daily backup
// overwrites the oldest, the library is checked, so damage is never rotated
// in over good copies. It returns the backup's path, or "" when none was
// needed.
func (db *DB) autoBackup(kind backupKind, fromVersion int) (string, error) {
	dir := BackupDir(db.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("backup folder: %w", err)
	}
	now := db.opts.Now().UTC()
	prefix := backupPrefix(db.path, kind, fromVersion)
	removeStaleBackupTemps(db.path)
	all, err := ListBackups(db.path, now)
	if err != nil {
		return "", err
	}
	// The backups of this kind, newest first by when they were made (a
	// name from the future does not count as recent).
	var same []string
	var newest time.Time
	for _, b := range all {
		if strings.HasPrefix(filepath.Base(b.Path), prefix) {
			if len(same) == 0 {
				newest = b.At
			}
			same = append(same, b.Path)
		}
	}
	if kind == kindDaily && len(same) > 0 && now.Sub(newest) < dailyInterval {
		return "", nil
	}
	if err := db.quickCheck(); err != nil {
		return "", damaged(db.path, err)
	}
	dst := filepath.Join(dir, prefix+now.Format(backupStamp))
	if err := db.writeBackup(dst, nil); err != nil {
		return "", err
	}
	same = append([]string{dst}, same...)
	for _, old := range same[min(len(same), KeepBackups):] {
		if old != dst {
			_ = os.Remove(old)
		}
	}
	return dst, nil
}

// backupTemp matches a temporary file of a backup being written: outfile's
// ".NAME.gloss-PID-N.tmp", or an earlier version's "NAME.N.tmp".
var backupTemp = regexp.MustCompile(`^\.?(.+?)\.(?:gloss-[0-9]+-)?[0-9]+\.tmp$`)

// removeStaleBackupTemps removes the temporary files that killed automatic
// backups of library left in its backups folder, by outfile.RemoveStale's
// rules; only those of this library's backup names are looked at.
func removeStaleBackupTemps(library string) {
	dir := BackupDir(library)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	base := filepath.Base(library) + "."
	seen := map[string]bool{}
	for _, e := range entries {
		m := backupTemp.FindStringSubmatch(e.Name())
		if m == nil || seen[m[1]] || !strings.HasPrefix(m[1], base) {
			continue
		}
		seen[m[1]] = true
		name := m[1]
		if _, err := time.Parse(backupStamp, name[max(0, len(name)-len(backupStamp)):]); err == nil {
			outfile.RemoveStale(dir, name)
		}
	}
}

// ErrBadBackup is returned by RestoreBackup when the backup itself cannot
// be used: it is not a regular file, not a bbolt file, cannot be read or
// fails its check.
var ErrBadBackup = errors.New("not a usable backup")

// The steps of RestoreBackup, in order; restoreStep is called with each
// before it is taken (the crash tests stop the process there).
var (
	restoreSteps = []string{"copy", "check", "keep", "swap", "sync"}
	restoreStep  = func(step string) {}
)

// RestoreBackup puts a backup back in the library's place, so that a
// crash at any moment leaves a library there: the old one or the backup,
// never none. The backup must be a regular bbolt file; it is copied beside
// the library (synced) and checked there; the library it replaces, damaged
// or not, is kept as "<library>.replaced-<time>" (a hard link, or a synced
// copy where links are not possible) before one rename puts the copy in
// its place. A library that is a symbolic link stays one: the file it
// leads to is replaced. The library must not be open (in this process or
// another: the file lock tells), and is locked while it is replaced. A
// copy left by a restore that was killed is removed.
func RestoreBackup(library, backup string, now time.Time) (kept string, err error) {
	library, err = filepath.Abs(library)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(library); err == nil {
		library = real
	}
	src, size, err := openBackup(backup, library)
	if err != nil {
		return "", err
	}
	defer src.Close()
	if err := os.MkdirAll(filepath.Dir(library), 0o700); err != nil {
		return "", err
	}

	info, statErr := os.Lstat(library)
	exists := statErr == nil
	switch {
	case statErr != nil && !errors.Is(statErr, fs.ErrNotExist):
		return "", fmt.Errorf("library %s: %w", library, statErr)
	case exists && !info.Mode().IsRegular():
		return "", fmt.Errorf("library %s: %w: it is %s; nothing was changed", library, ErrNotAFile, outfile.Kind(info.Mode()))
	}
	if exists {
		// Hold the library's lock through the swap, so that no Gloss
		// starts on the file in the middle.
		lock, err := lockLibrary(library)
		if err != nil {
			return "", err
		}
		defer lock.Close()
	}
	// Restores in one folder take turns (the folder's lock), so a copy
	// found beside the library was left by a killed restore, and is
	// written over.
	dir := filepath.Dir(library)
	turn, ok, err := lockPath(dir, LockTimeout)
	if err != nil {
		return "", fmt.Errorf("folder %s: %w", dir, err)
	}
	if !ok {
		return "", fmt.Errorf("another restore-backup is under way in %s", dir)
	}
	defer turn.Close()
	tmp := library + restoringSuffix
	if fi, err := os.Lstat(tmp); err == nil {
		if !fi.Mode().IsRegular() {
			return "", fmt.Errorf("%s is %s; move it away", tmp, outfile.Kind(fi.Mode()))
		}
		// Removed, not written over: it could be a link to anything.
		if err := os.Remove(tmp); err != nil {
			return "", err
		}
	}
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	defer out.Close()
	swapped := false
	defer func() {
		if !swapped {
			os.Remove(tmp)
		}
	}()

	restoreStep("copy")
	_, err = io.CopyN(out, src, size)
	if err == nil {
		err = out.Sync()
	}
	if err != nil {
		return "", fmt.Errorf("copying backup %s beside the library: %w", backup, err)
	}

	restoreStep("check")
	db, err := Open(tmp, Options{ReadOnly: true})
	if err != nil {
		return "", fmt.Errorf("%s is %w: %v", backup, ErrBadBackup, err)
	}
	problems := db.Check()
	db.Close()
	if len(problems) > 0 {
		return "", fmt.Errorf("%s is %w: %v", backup, ErrBadBackup, problems[0])
	}

	if exists {
		restoreStep("keep")
		if kept, err = keepAside(library, now); err != nil {
			return "", fmt.Errorf("keeping the library %s aside: %w; nothing was changed", library, err)
		}
		restoreStep("swap")
		err = os.Rename(tmp, library)
	} else {
		// Nothing to replace: link the copy in, never over a library
		// that appeared meanwhile.
		restoreStep("keep")
		restoreStep("swap")
		if err = os.Link(tmp, library); errors.Is(err, fs.ErrExist) {
			err = fmt.Errorf("a library appeared at %s meanwhile; it was left as it is", library)
		}
		if err == nil {
			_ = os.Remove(tmp)
		}
	}
	if err != nil {
		return "", err
	}
	swapped = true
	restoreStep("sync")
	if err := outfile.SyncDir(dir); err != nil {
		return kept, fmt.Errorf("library %s: %w", library, err)
	}
	return kept, nil
}

// bboltMagic marks a bbolt file: the magic number of its first meta page
// (after the page header of 16 bytes), then the file format version.
const (
	bboltMagic   = 0xED0CDAED
	bboltVersion = 2
)

// openBackup opens a backup to restore: a regular file (a device or a pipe
// never ends; one is refused before it is opened), not the library itself,
// that starts as a bbolt file does. It returns the file and its size, the
// most that is read from it.
func openBackup(backup, library string) (*os.File, int64, error) {
	fi, err := os.Stat(backup)
	if err != nil {
		return nil, 0, fmt.Errorf("backup %s: %w", backup, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, 0, fmt.Errorf("%s is %w: it is %s, not a regular file; nothing was changed", backup, ErrBadBackup, outfile.Kind(fi.Mode()))
	}
	if li, err := os.Stat(library); err == nil && os.SameFile(fi, li) {
		return nil, 0, fmt.Errorf("%s is %w: it is the library itself", backup, ErrBadBackup)
	}
	f, err := os.Open(backup)
	if err != nil {
		return nil, 0, fmt.Errorf("backup %s: %w", backup, err)
	}
	if fi2, err := f.Stat(); err != nil || !os.SameFile(fi, fi2) {
		f.Close()
		return nil, 0, fmt.Errorf("backup %s changed while it was opened; nothing was changed", backup)
	}
	var head [32]byte
	n, _ := f.ReadAt(head[:], 0)
	magic := binary.NativeEndian.Uint32(head[16:20])
	version := binary.NativeEndian.Uint32(head[20:24])
	pageSize := int64(binary.NativeEndian.Uint32(head[24:28]))
	if n < len(head) || magic != bboltMagic || version != bboltVersion || pageSize < 512 || fi.Size() < 2*pageSize {
		f.Close()
		return nil, 0, fmt.Errorf("%s is %w: it is not a Gloss library file (no bbolt header); nothing was changed", backup, ErrBadBackup)
	}
	return f, fi.Size(), nil
}

// copyNew copies exactly size bytes of src into a new file dst (0600,
// never over an existing one), synced.
func copyNew(src io.Reader, size int64, dst string) error {
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.CopyN(out, src, size)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
	}
	return err
}

// keepAside keeps the library under "<library>.replaced-<time>" (with
// "-2", "-3", … when that exists): a hard link, durable before the swap;
// where the file system has no hard links, a synced copy.
func keepAside(library string, now time.Time) (string, error) {
	base := fmt.Sprintf("%s.replaced-%s", library, now.UTC().Format(backupStamp))
	for i := 1; i < 100; i++ {
		kept := base
		if i > 1 {
			kept = fmt.Sprintf("%s-%d", base, i)
		}
		err := os.Link(library, kept)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			err = copyLibrary(library, kept)
		}
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err == nil {
			err = outfile.SyncDir(filepath.Dir(library))
		}
		return kept, err
	}
	return "", fmt.Errorf("%s and 98 more names beside it exist", base)
}

// copyLibrary copies the library file to a new file dst (0600), synced.
func copyLibrary(library, dst string) error {
	in, err := os.Open(library)
	if err != nil {
		return err
	}
	defer in.Close()
	fi, err := in.Stat()
	if err != nil {
		return err
	}
	return copyNew(in, fi.Size(), dst)
}

// removeLeftover removes the copy a killed restore left beside the
// library: a regular file, when no restore runs in its folder.
func removeLeftover(tmp string) {
	if fi, err := os.Lstat(tmp); err != nil || !fi.Mode().IsRegular() {
		return
	}
	turn, ok, err := lockPath(filepath.Dir(tmp), 0)
	if err != nil || !ok {
		return
	}
	defer turn.Close()
	_ = os.Remove(tmp)
}

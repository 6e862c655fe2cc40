package storage

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
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

// Backups lists the automatic backups of a library, newest first.
func Backups(library string) ([]string, error) {
	entries, err := os.ReadDir(BackupDir(library))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	base := filepath.Base(library) + "."
	type stamped struct {
		path string
		at   string
	}
	var found []stamped
	for _, e := range entries {
		name := e.Name()
		if !e.Type().IsRegular() || !strings.HasPrefix(name, base) || strings.HasSuffix(name, ".tmp") {
			continue
		}
		at := name[max(0, len(name)-len(backupStamp)):]
		if _, err := time.Parse(backupStamp, at); err != nil {
			continue
		}
		found = append(found, stamped{filepath.Join(BackupDir(library), name), at})
	}
	slices.SortFunc(found, func(a, b stamped) int { return strings.Compare(b.at, a.at) })
	out := make([]string, len(found))
	for i, f := range found {
		out[i] = f.path
	}
	return out, nil
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
	all, err := Backups(db.path)
	if err != nil {
		return "", err
	}
	var same []string
	for _, b := range all {
		if strings.HasPrefix(filepath.Base(b), prefix) {
			same = append(same, b)
		}
	}
	if kind == kindDaily && len(same) > 0 {
		newest := filepath.Base(same[0])
		if at, err := time.Parse(backupStamp, newest[len(newest)-len(backupStamp):]); err == nil && now.Sub(at) < dailyInterval {
			return "", nil
		}
	}
	if problems := db.Check(); len(problems) > 0 {
		return "", damaged(db.path, problems[0])
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

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// ErrBadBackup is returned by RestoreBackup when the backup itself cannot
// be read or fails its check.
var ErrBadBackup = errors.New("not a usable backup")

// RestoreBackup puts a backup back in the library's place. The backup is
// checked first (opened read-only, Check run on a copy); the library file
// it replaces, damaged or not, is kept beside it as
// "<library>.replaced-<time>" rather than deleted. The library must not be
// open (in this process or another: the file lock tells).
func RestoreBackup(library, backup string, now time.Time) (kept string, err error) {
	library, err = filepath.Abs(library)
	if err != nil {
		return "", err
	}
	if b, err := filepath.Abs(backup); err == nil && b == library {
		return "", errors.New("the backup is the library itself")
	}
	// Copy the backup next to the library first, so the final step is a
	// rename within one folder.
	if err := os.MkdirAll(filepath.Dir(library), 0o700); err != nil {
		return "", err
	}
	tmp := library + restoringSuffix
	if err := copyFile(backup, tmp); err != nil {
		return "", fmt.Errorf("reading backup %s: %w", backup, err)
	}
	defer os.Remove(tmp)
	db, err := Open(tmp, Options{ReadOnly: true})
	if err != nil {
		return "", fmt.Errorf("%w: %s: %v", ErrBadBackup, backup, err)
	}
	problems := db.Check()
	db.Close()
	if len(problems) > 0 {
		return "", fmt.Errorf("%w: %s: %v", ErrBadBackup, backup, problems[0])
	}
	// Hold the library's lock while swapping, so that no Gloss starts on
	// the file in the middle.
	if _, err := os.Stat(library); err == nil {
		lock, err := openBolt(library, true, false, false)
		if errors.Is(err, ErrLocked) {
			return "", err
		}
		if err == nil {
			defer lock.Close()
		}
		kept = fmt.Sprintf("%s.replaced-%s", library, now.UTC().Format(backupStamp))
		if err := os.Rename(library, kept); err != nil {
			return "", err
		}
	}
	if err := os.Rename(tmp, library); err != nil {
		if kept != "" {
			_ = os.Rename(kept, library)
		}
		return "", err
	}
	return kept, syncDir(filepath.Dir(library))
}

// copyFile copies src to dst (created 0600), synced.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}

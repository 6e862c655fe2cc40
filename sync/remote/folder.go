package remote

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"slices"
	"strings"
)

var _ Remote = (*folder)(nil)

// folder is a Remote on a local or mounted folder. Every call opens the
// folder afresh through os.Root: it keeps "..", absolute paths and symbolic
// links from reaching outside the folder, and a folder on a network mount
// that was unmounted and mounted again is found again (a handle held from
// Open would point at the old mount).
type folder struct {
	dir string // absolute, clean
}

func openFolder(dir string) (*folder, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("remote folder %s does not exist", dir)
		}
		return nil, fmt.Errorf("remote folder %s: %w", dir, unwrapPathError(err))
	}
	if !fi.IsDir() {
		return nil, fmt.Errorf("remote folder %s is not a folder", dir)
	}
	return &folder{dir: dir}, nil
}

func (f *folder) String() string { return f.dir }

// fail names the folder in an error from os.Root, whose own message holds
// the path relative to it.
func (f *folder) fail(err error) error {
	return fmt.Errorf("%s: %w", f.dir, err)
}

func (f *folder) open() (*os.Root, error) {
	root, err := os.OpenRoot(f.dir)
	if err != nil {
		return nil, f.fail(unwrapPathError(err))
	}
	return root, nil
}

// List returns the entries directly in dir, sorted by name, without the
// names starting with ".". A symbolic link is listed as what it points to,
// and left out when that is outside the folder or missing.
func (f *folder) List(dir string) ([]Entry, error) {
	if err := checkPath(dir, true); err != nil {
		return nil, f.fail(err)
	}
	root, err := f.open()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	name := dir
	if name == "" {
		name = "."
	}
	d, err := root.Open(name)
	if errors.Is(err, fs.ErrNotExist) {
		return []Entry{}, nil
	}
	if err != nil {
		return nil, f.fail(err)
	}
	defer d.Close()
	des, err := d.ReadDir(-1)
	if err != nil {
		return nil, f.fail(err)
	}
	entries := make([]Entry, 0, len(des))
	for _, de := range des {
		if strings.HasPrefix(de.Name(), ".") {
			continue
		}
		var fi fs.FileInfo
		if de.Type()&fs.ModeSymlink != 0 {
			fi, err = root.Stat(path.Join(dir, de.Name()))
			if err != nil {
				continue // dangling or leading outside: nothing sync can use
			}
		} else if fi, err = de.Info(); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // removed since ReadDir
			}
			return nil, f.fail(err)
		}
		e := Entry{Name: de.Name(), Dir: fi.IsDir()}
		if !e.Dir {
			e.Size = fi.Size()
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return entries, nil
}

// Read returns the file's bytes, holding at most limit+1 of them.
func (f *folder) Read(p string, limit int64) ([]byte, error) {
	if err := checkPath(p, false); err != nil {
		return nil, f.fail(err)
	}
	if err := checkLimit(limit); err != nil {
		return nil, f.fail(err)
	}
	root, err := f.open()
	if err != nil {
		return nil, err
	}
	defer root.Close()
	// Stat before opening: opening a named pipe would wait for a writer.
	fi, err := root.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s/%s", ErrNotFound, f.dir, p)
	}
	if err != nil {
		return nil, f.fail(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: %s is not a regular file", f.dir, p)
	}
	// The size is only a hint (the file may grow while it is read); the
	// limited read below is what bounds memory.
	if fi.Size() > limit {
		return nil, tooLarge(f.dir, p, limit)
	}
	file, err := root.Open(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %s/%s", ErrNotFound, f.dir, p)
	}
	if err != nil {
		return nil, f.fail(err)
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, limitPlusOne(limit)))
	if err != nil {
		return nil, f.fail(err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(f.dir, p, limit)
	}
	return data, nil
}

// Create writes data to a fresh temporary file in the target folder, syncs
// it, then hard-links it to its name: link(2) fails when the name exists, so
// the check and the rename are one atomic step. Some FUSE and SMB mounts
// cannot link; there Create checks the name is free, then renames, which
// leaves a moment for another writer to slip in (Gloss never writes the same
// name twice, so that moment is harmless in practice).
func (f *folder) Create(p string, data []byte) error {
	if err := checkPath(p, false); err != nil {
		return f.fail(err)
	}
	root, err := f.open()
	if err != nil {
		return err
	}
	defer root.Close()
	dir := path.Dir(p)
	if err := root.MkdirAll(dir, 0o700); err != nil {
		return f.fail(err)
	}
	tmp := path.Join(dir, tempName())
	if err := writeSynced(root, tmp, data); err != nil {
		_ = root.Remove(tmp)
		return f.fail(err)
	}
	// The temporary name goes in every case: after a link it is a second
	// name of the new file, after a failure it is litter. Failing to remove
	// it is not worth an error once the file is in place: List hides it.
	defer func() { _ = root.Remove(tmp) }()
	switch linkErr := linkFile(root, tmp, p); {
	case linkErr == nil:
	case errors.Is(linkErr, fs.ErrExist):
		return fmt.Errorf("%w: %s/%s", ErrExists, f.dir, p)
	default:
		// EPERM, ENOTSUP, EXDEV and the like: the mount cannot link.
		if _, statErr := root.Lstat(p); statErr == nil {
			return fmt.Errorf("%w: %s/%s", ErrExists, f.dir, p)
		} else if !errors.Is(statErr, fs.ErrNotExist) {
			return f.fail(statErr)
		}
		if err := root.Rename(tmp, p); err != nil {
			return f.fail(err)
		}
	}
	syncDir(root, dir)
	return nil
}

// linkFile is os.Root.Link, replaced in a test by one that fails as on a
// mount that cannot link.
var linkFile = (*os.Root).Link

// writeSynced writes a new file and flushes it to the disk, so that the name
// Create gives it never points at a file that a crash would leave short.
func writeSynced(root *os.Root, name string, data []byte) error {
	file, err := root.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := file.Write(data); err != nil {
		file.Close()
		return err
	}
	if err := file.Sync(); err != nil {
		file.Close()
		return err
	}
	return file.Close()
}

// syncDir flushes a folder's entries so a new name survives a crash. It is
// best effort: Windows and some network file systems cannot sync a folder,
// and by now the file is in place, so failing Create would only make the
// caller write it again and meet ErrExists.
func syncDir(root *os.Root, dir string) {
	d, err := root.Open(dir)
	if err != nil {
		return
	}
	_ = d.Sync()
	_ = d.Close()
}

func tooLarge(remote, p string, limit int64) error {
	return fmt.Errorf("%w: %s/%s holds more than %d bytes", ErrTooLarge, remote, p, limit)
}

// limitPlusOne is limit+1 without overflowing: one byte past the limit is
// how a read tells "exactly limit" from "more".
func limitPlusOne(limit int64) int64 {
	if limit == 1<<63-1 {
		return limit
	}
	return limit + 1
}

// unwrapPathError drops the path of an *fs.PathError when the caller names
// it already.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

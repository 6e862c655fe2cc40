// Package outfile writes the files Gloss hands to the reader — exports,
// backups, the file a restore puts aside — without ever damaging the
// library or leaving half a file behind.
//
// Contract of Write:
//   - A Guard refuses any output that is a protected file (the library) or
//     lies in a protected folder (its backups), by identity (the same
//     device and inode, so a hard link is caught) and by path after
//     resolving symbolic links. Nothing is written then.
//   - A regular file (or a new one) is written to a temporary file beside
//     it, synced, and renamed over it, so it holds the old content or the
//     new, never half. A symbolic link is followed: the file it points to
//     is replaced (atomically, beside it) and the link stays a link.
//   - A character device (/dev/null, a terminal) or a named pipe is
//     written through, as the shell would; so is /dev/stdout, /dev/fd/N
//     and /proc/self/fd/N. Block devices, sockets and folders are refused.
//   - A new file's mode is Perm less the umask; a replaced file keeps its
//     mode, never widened beyond Perm.
//   - Temporary files left by an interrupted run (".NAME.gloss-PID-N.tmp",
//     and the ".NAME.N.tmp" and "NAME.N.tmp" of earlier versions) are
//     removed by the next Write to NAME: ours by their pattern only, once
//     their process is gone or they are older than StaleAfter.
package outfile

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// ErrProtected is returned when an output would be the library or lie in
// its backups folder.
var ErrProtected = errors.New("refused: the library and its backups are never overwritten")

// ErrNotAFile is returned when an output (or an input) is a kind of file
// Gloss does not write to or read from: a folder, a block device, a socket.
var ErrNotAFile = errors.New("not a regular file")

// StaleAfter is the age after which a temporary file of ours whose
// process may still run is taken as left behind. A running write touches
// its file all the time.
const StaleAfter = 15 * time.Minute

// Kind names a file's type for messages: "a folder", "a character
// device", "a named pipe (FIFO)", ….
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "not a regular file"
}

// Options tune Write.
type Options struct {
	// Perm is the mode of a new file before the umask: 0o666 for exports,
	// 0o600 for copies of the library.
	Perm fs.FileMode
	// Guard, when not nil, refuses protected outputs.
	Guard *Guard
}

// Write writes what fn writes (through a buffer) to path as the package
// comment says. When fn or a write fails, path is left as it was (a
// device or pipe may have received part of it).
func Write(path string, opts Options, fn func(io.Writer) error) error {
	if err := write(path, opts, fn); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return nil
}

func write(path string, opts Options, fn func(io.Writer) error) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := opts.Guard.Check(abs); err != nil {
		return err
	}
	fi, err := os.Stat(abs)
	exists := err == nil
	switch {
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	case !exists:
		if li, err := os.Lstat(abs); err == nil && li.Mode()&fs.ModeSymlink != 0 {
			dest, _ := os.Readlink(abs)
			return fmt.Errorf("%w: it is a symbolic link to %s, which does not exist", ErrNotAFile, dest)
		}
	case fi.IsDir():
		return fmt.Errorf("%w: it is a folder", ErrNotAFile)
	case fi.Mode()&fs.ModeCharDevice != 0, fi.Mode()&fs.ModeNamedPipe != 0:
		return writeThrough(abs, os.O_WRONLY, fn)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("%w: it is %s", ErrNotAFile, Kind(fi.Mode()))
	case isDescriptorPath(abs):
		// Someone (the shell) opened this file for us: add to it as
		// they opened it rather than replace it.
		return writeThrough(abs, os.O_WRONLY|os.O_APPEND, fn)
	}
	target, perm := abs, opts.Perm
	if exists {
		// Replace the file a symbolic link leads to, and keep its mode
		// (never wider than Perm).
		if target, err = filepath.EvalSymlinks(abs); err != nil {
			return err
		}
		perm &= fi.Mode().Perm()
	}
	return replace(target, perm, exists, fn)
}

// writeThrough writes into an existing device, pipe or open file.
func writeThrough(path string, flag int, fn func(io.Writer) error) error {
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 64<<10)
	err = fn(w)
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// isDescriptorPath reports whether path names a file descriptor of this
// process (/dev/stdout, /dev/fd/1, /proc/self/fd/1) rather than a place in
// a folder.
func isDescriptorPath(path string) bool {
	switch path {
	case "/dev/stdout", "/dev/stderr":
		return true
	}
	return strings.HasPrefix(path, "/dev/fd/") || descriptorLink.MatchString(path)
}

var descriptorLink = regexp.MustCompile(`^/proc/(self|thread-self|[0-9]+)/fd/`)

var tmpCount atomic.Uint64

// replace writes a temporary file beside target and renames it over
// target. keepMode says that perm is an existing file's mode (set exactly)
// rather than a new file's (less the umask).
func replace(target string, perm fs.FileMode, keepMode bool, fn func(io.Writer) error) error {
	dir, base := filepath.Split(target)
	RemoveStale(dir, base)
	tmp := filepath.Join(dir, fmt.Sprintf(".%s.gloss-%d-%d.tmp", base, os.Getpid(), tmpCount.Add(1)))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // a no-op once renamed
	if keepMode {
		err = f.Chmod(perm)
	}
	w := bufio.NewWriterSize(f, 64<<10)
	if err == nil {
		err = fn(w)
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, target)
	}
	if err == nil {
		err = SyncDir(dir)
	}
	return err
}

// SyncDir makes a rename or a new file in dir durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// RemoveStale removes the temporary files that an interrupted Write to
// dir/name left: ".NAME.gloss-PID-N.tmp" once process PID is gone or the
// file is older than StaleAfter, and the patterns of earlier versions
// (".NAME.N.tmp" of exports, "NAME.N.tmp" of backups) once older than
// StaleAfter. Nothing else is touched: only regular files whose whole
// name is one of these patterns for this NAME.
func RemoveStale(dir, name string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	q := regexp.QuoteMeta(name)
	ours := regexp.MustCompile(`^\.` + q + `\.gloss-([0-9]+)-[0-9]+\.tmp$`)
	older := regexp.MustCompile(`^\.?` + q + `\.[0-9]{1,10}\.tmp$`)
	for _, e := range entries {
		m := ours.FindStringSubmatch(e.Name())
		if m == nil && !older.MatchString(e.Name()) {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		stale := time.Since(info.ModTime()) > StaleAfter
		if m != nil && !stale {
			pid, err := strconv.Atoi(m[1])
			stale = err == nil && pid != os.Getpid() && !processAlive(pid)
		}
		if stale {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

package outfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Guard names the files and folders that no output may be: the library,
// its backups folder. The zero Guard (and a nil one) protects nothing.
type Guard struct {
	protected []protected
}

type protected struct {
	path   string // absolute
	what   string // "the library"
	folder bool
}

// File protects a file: no output may be it, a hard link to it, or a
// symbolic link that leads to it. what names it in messages ("the
// library").
func (g *Guard) File(path, what string) *Guard {
	return g.add(path, what, false)
}

// Folder protects a folder and everything in it. what names it in
// messages ("the library's backups folder").
func (g *Guard) Folder(path, what string) *Guard {
	return g.add(path, what, true)
}

func (g *Guard) add(path, what string, folder bool) *Guard {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	g.protected = append(g.protected, protected{path, what, folder})
	return g
}

// Check returns an error wrapping ErrProtected when writing path would
// write a protected file or into a protected folder.
func (g *Guard) Check(path string) error {
	if g == nil {
		return nil
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	real := resolve(abs)
	fi, _ := os.Stat(abs)
	for _, p := range g.protected {
		if how, ok := p.covers(abs, real, fi); ok {
			return fmt.Errorf("%w (it is %s%s %s); nothing was written", ErrProtected, how, p.what, p.path)
		}
	}
	return nil
}

// covers reports whether the output at abs (real after resolving links,
// fi its file when it exists) is p, and how: "" (p itself), "a link to ",
// "a hard link to ", "in ".
func (p protected) covers(abs, real string, fi fs.FileInfo) (how string, ok bool) {
	pReal := resolve(p.path)
	pi, _ := os.Stat(p.path)
	if !p.folder {
		switch {
		case abs == p.path:
			return "", true
		case real == pReal:
			return "a link to ", true
		case fi != nil && pi != nil && os.SameFile(fi, pi):
			return "a hard link to ", true
		}
		return "", false
	}
	if real == pReal || strings.HasPrefix(real, pReal+string(filepath.Separator)) {
		return "in ", true
	}
	// The same folder reached another way (a bind mount): compare the
	// identity of every folder above the output with the protected one.
	if pi == nil {
		return "", false
	}
	for dir := real; ; dir = filepath.Dir(dir) {
		if di, err := os.Stat(dir); err == nil && os.SameFile(di, pi) {
			return "in ", true
		}
		if filepath.Dir(dir) == dir {
			return "", false
		}
	}
}

// resolve returns path with its symbolic links resolved, as far as it
// exists: the part that does not exist yet is kept as it is.
func resolve(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	} else if !errors.Is(err, fs.ErrNotExist) {
		return path
	}
	dir := filepath.Dir(path)
	if dir == path {
		return path
	}
	return filepath.Join(resolve(dir), filepath.Base(path))
}

// CheckFile returns an error wrapping ErrProtected when fi, a file already
// open (standard output, say; name says which), is a protected file.
func (g *Guard) CheckFile(name string, fi fs.FileInfo) error {
	if g == nil || fi == nil {
		return nil
	}
	for _, p := range g.protected {
		if pi, err := os.Stat(p.path); err == nil && os.SameFile(fi, pi) {
			return fmt.Errorf("%w (%s is %s %s); nothing was written", ErrProtected, name, p.what, p.path)
		}
	}
	return nil
}

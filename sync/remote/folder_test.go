package remote

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"testing"
)

func TestFolder_Modes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits on Windows")
	}
	r, dir := openTestFolder(t)
	mustCreate(t, r, "dev/seg", []byte("x"))
	for name, want := range map[string]os.FileMode{"dev": 0o700, "dev/seg": 0o600} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != want {
			t.Errorf("%s: mode %v, want %v", name, perm, want)
		}
	}
}

// Symbolic links may not lead out of the folder: os.Root refuses them.
func TestFolder_SymlinkOutside(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	r, dir := openTestFolder(t)
	outside := t.TempDir()
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	if data, err := r.Read("out/secret", 100); err == nil {
		t.Errorf("Read through a link out of the folder = %q", data)
	}
	if err := r.Create("out/new", []byte("x")); err == nil {
		t.Error("Create through a link out of the folder succeeded")
	}
	if _, err := os.Stat(filepath.Join(outside, "new")); err == nil {
		t.Error("a file was written outside the folder")
	}
	got, err := r.List("")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("List shows a link out of the folder: %+v", got)
	}
}

// A link inside the folder is listed as what it points to.
func TestFolder_SymlinkInside(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	r, dir := openTestFolder(t)
	mustCreate(t, r, "real/seg", []byte("abc"))
	if err := os.Symlink("real", filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("gone", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	got, err := r.List("")
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{Name: "alias", Dir: true}, {Name: "real", Dir: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List = %+v, want %+v", got, want)
	}
	if data := mustRead(t, r, "alias/seg"); string(data) != "abc" {
		t.Errorf("Read through the link = %q", data)
	}
}

// link(2) makes Create atomic on a folder: of many writers of one name,
// exactly one wins.
func TestFolder_Create_SameNameRace(t *testing.T) {
	r, dir := openTestFolder(t)
	const n = 16
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() { errs[i] = r.Create("d/x", []byte{byte('a' + i)}) })
	}
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrExists):
			t.Errorf("Create: %v", err)
		}
	}
	if won != 1 {
		t.Errorf("%d writers won, want 1", won)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// The folder can go away and come back (a network mount): each call finds
// it again.
func TestFolder_Remount(t *testing.T) {
	r, dir := openTestFolder(t)
	mustCreate(t, r, "x", []byte("1"))
	moved := dir + ".moved"
	if err := os.Rename(dir, moved); err != nil {
		t.Fatal(err)
	}
	if _, err := r.List(""); err == nil {
		t.Error("List of a folder that is gone: no error")
	}
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(moved) })
	mustCreate(t, r, "y", []byte("2"))
	if _, err := os.Stat(filepath.Join(dir, "y")); err != nil {
		t.Errorf("Create wrote elsewhere than the folder's path: %v", err)
	}
}

// Where link(2) fails (some FUSE and SMB mounts), Create checks and renames.
func TestFolder_Create_NoLink(t *testing.T) {
	t.Cleanup(func() { linkFile = (*os.Root).Link })
	linkFile = func(*os.Root, string, string) error {
		return &os.LinkError{Op: "link", Err: errors.ErrUnsupported}
	}
	r, dir := openTestFolder(t)
	mustCreate(t, r, "d/x", []byte("old"))
	if err := r.Create("d/x", []byte("new")); !errors.Is(err, ErrExists) {
		t.Errorf("Create over an existing file = %v, want ErrExists", err)
	}
	if got := mustRead(t, r, "d/x"); string(got) != "old" {
		t.Errorf("existing file now holds %q", got)
	}
	if left := tempFiles(t, dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

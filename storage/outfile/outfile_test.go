//go:build unix

package outfile

import (
	"errors"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func writeString(s string) func(io.Writer) error {
	return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
}

func mustWrite(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// noTemps fails when dir holds a temporary file of ours.
func noTemps(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file was left: %s", e.Name())
		}
	}
}

func TestWrite_RegularFiles(t *testing.T) {
	old := syscall.Umask(0o027)
	defer syscall.Umask(old)
	dir := t.TempDir()

	t.Run("a new file follows the umask", func(t *testing.T) {
		p := filepath.Join(dir, "new.json")
		if err := Write(p, Options{Perm: 0o666}, writeString("new")); err != nil {
			t.Fatal(err)
		}
		fi, _ := os.Stat(p)
		if readString(t, p) != "new" || fi.Mode().Perm() != 0o640 {
			t.Errorf("content %q, mode %v, want 0640", readString(t, p), fi.Mode().Perm())
		}
	})
	t.Run("a replaced file keeps its mode", func(t *testing.T) {
		p := filepath.Join(dir, "kept.json")
		mustWrite(t, p, "old")
		if err := Write(p, Options{Perm: 0o666}, writeString("new")); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(p); readString(t, p) != "new" || fi.Mode().Perm() != 0o600 {
			t.Errorf("content %q, mode %v, want 0600", readString(t, p), fi.Mode().Perm())
		}
	})
	t.Run("a copy of the library is never wider than 0600", func(t *testing.T) {
		p := filepath.Join(dir, "copy.db")
		mustWrite(t, p, "old")
		os.Chmod(p, 0o644)
		if err := Write(p, Options{Perm: 0o600}, writeString("new")); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(p); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
	})
	t.Run("a failed write leaves the file as it was", func(t *testing.T) {
		p := filepath.Join(dir, "failed.json")
		mustWrite(t, p, "old")
		err := Write(p, Options{Perm: 0o666}, func(w io.Writer) error {
			io.WriteString(w, "half")
			return errors.New("boom")
		})
		if err == nil || readString(t, p) != "old" {
			t.Errorf("error %v, content %q", err, readString(t, p))
		}
	})
	t.Run("a symbolic link is followed and stays a link", func(t *testing.T) {
		sub := filepath.Join(dir, "real")
		os.Mkdir(sub, 0o700)
		target := filepath.Join(sub, "target.json")
		mustWrite(t, target, "old")
		link := filepath.Join(dir, "link.json")
		os.Symlink(target, link)
		if err := Write(link, Options{Perm: 0o666}, writeString("new")); err != nil {
			t.Fatal(err)
		}
		li, _ := os.Lstat(link)
		if li.Mode()&os.ModeSymlink == 0 || readString(t, target) != "new" {
			t.Errorf("link mode %v, target %q", li.Mode(), readString(t, target))
		}
		noTemps(t, sub)
	})
	noTemps(t, dir)
}

func TestWrite_OtherTargets(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(dir, "sock")
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	dangling := filepath.Join(dir, "dangling")
	os.Symlink(filepath.Join(dir, "nowhere"), dangling)

	t.Run("a named pipe is written through", func(t *testing.T) {
		got := make(chan string)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- err.Error()
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			got <- string(b)
		}()
		if err := Write(fifo, Options{Perm: 0o666}, writeString("through the pipe")); err != nil {
			t.Fatal(err)
		}
		if s := <-got; s != "through the pipe" {
			t.Errorf("the reader got %q", s)
		}
		if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the pipe was replaced: %v", fi.Mode())
		}
	})
	t.Run("a character device is written through", func(t *testing.T) {
		null := os.DevNull
		if os.Geteuid() == 0 {
			// Root could replace /dev/null itself if this went wrong:
			// use a null device of our own.
			null = filepath.Join(dir, "null")
			if err := syscall.Mknod(null, syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
				t.Fatal(err)
			}
		}
		if err := Write(null, Options{Perm: 0o666}, writeString("gone")); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(null); fi.Mode()&os.ModeCharDevice == 0 {
			t.Errorf("the device was replaced: %v", fi.Mode())
		}
	})
	t.Run("a file descriptor is written through", func(t *testing.T) {
		// As with "-o /dev/stdout > out.json": the shell opened the file.
		p := filepath.Join(dir, "out.json")
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		before, _ := f.Stat()
		if _, err := os.Stat("/proc/self/fd"); err != nil {
			t.Skip("no /proc")
		}
		if err := Write("/proc/self/fd/"+strconv.Itoa(int(f.Fd())), Options{Perm: 0o666}, writeString("through")); err != nil {
			t.Fatal(err)
		}
		after, _ := os.Stat(p)
		if readString(t, p) != "through" || !os.SameFile(before, after) {
			t.Errorf("content %q, same file %v", readString(t, p), os.SameFile(before, after))
		}
		os.Remove(p)
	})
	for _, tt := range []struct{ name, path, want string }{
		{"a socket is refused", sock, "a socket"},
		{"a folder is refused", dir, "a folder"},
		{"a link to nothing is refused", dangling, "does not exist"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := os.Lstat(tt.path)
			err := Write(tt.path, Options{Perm: 0o666}, writeString("x"))
			if !errors.Is(err, ErrNotAFile) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want ErrNotAFile saying %q", err, tt.want)
			}
			if after, _ := os.Lstat(tt.path); after.Mode() != before.Mode() {
				t.Errorf("%s changed", tt.path)
			}
		})
	}
	noTemps(t, dir)
}

func TestGuard_Check(t *testing.T) {
	dir := t.TempDir()
	lib := filepath.Join(dir, "library.db")
	mustWrite(t, lib, "the library")
	backups := filepath.Join(dir, "backups")
	os.Mkdir(backups, 0o700)
	mustWrite(t, filepath.Join(backups, "library.db.daily-20261101T000000Z"), "a backup")
	hard := filepath.Join(dir, "hard.json")
	os.Link(lib, hard)
	soft := filepath.Join(dir, "soft.json")
	os.Symlink(lib, soft)
	toBackups := filepath.Join(dir, "elsewhere")
	os.Symlink(backups, toBackups)
	g := new(Guard).File(lib, "the library").Folder(backups, "the library's backups folder")

	for _, tt := range []struct{ name, path, want string }{
		{"the library", lib, "is the library"},
		{"the library by a relative path", filepath.Join(dir, ".", "backups", "..", "library.db"), "is the library"},
		{"a hard link to the library", hard, "a hard link to the library"},
		{"a symbolic link to the library", soft, "a link to the library"},
		{"a backup", filepath.Join(backups, "library.db.daily-20261101T000000Z"), "in the library's backups folder"},
		{"a new file among the backups", filepath.Join(backups, "new.json"), "in the library's backups folder"},
		{"a file in a folder under the backups", filepath.Join(backups, "sub", "new.json"), "in the library's backups folder"},
		{"the backups by a linked folder", filepath.Join(toBackups, "new.json"), "in the library's backups folder"},
		{"the backups folder", backups, "in the library's backups folder"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(tt.path, Options{Perm: 0o666, Guard: g}, writeString("export"))
			if !errors.Is(err, ErrProtected) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want ErrProtected saying %q", err, tt.want)
			}
			if readString(t, lib) != "the library" {
				t.Fatalf("the library was written")
			}
		})
	}
	for _, p := range []string{filepath.Join(dir, "export.json"), filepath.Join(dir, "library.db.json")} {
		if err := g.Check(p); err != nil {
			t.Errorf("%s refused: %v", p, err)
		}
	}
	var none *Guard
	if err := none.Check(lib); err != nil {
		t.Errorf("a nil guard refused: %v", err)
	}
}

func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	old := time.Now().Add(-2 * StaleAfter)
	// A process that is surely gone: a child that has exited.
	gone := deadPID(t)
	files := []struct {
		name   string
		old    bool
		remove bool
	}{
		{".export.json.gloss-" + gone + "-1.tmp", false, true},      // its process is gone
		{".export.json.gloss-1-1.tmp", false, false},                // init runs: kept while young
		{".export.json.gloss-1-2.tmp", true, true},                  // … and removed when old
		{".export.json.123456.tmp", true, true},                     // an earlier version's export
		{"export.json.987.tmp", true, true},                         // an earlier version's backup
		{".export.json.123456.tmp.keep", true, false},               // not our pattern
		{".export.json.77.tmp", false, false},                       // young: may be running
		{"export.json.notes.tmp", true, false},                      // a user's file
		{".other.json.gloss-" + gone + "-1.tmp", false, false},      // another output's
		{".export.json.gloss-" + gone + "-1.tmp.bak", false, false}, // not our pattern
	}
	for _, f := range files {
		p := filepath.Join(dir, f.name)
		mustWrite(t, p, "x")
		if f.old {
			os.Chtimes(p, old, old)
		}
	}
	RemoveStale(dir, "export.json")
	for _, f := range files {
		_, err := os.Stat(filepath.Join(dir, f.name))
		if removed := errors.Is(err, os.ErrNotExist); removed != f.remove {
			t.Errorf("%s: removed %v, want %v", f.name, removed, f.remove)
		}
	}
}

func deadPID(t *testing.T) string {
	t.Helper()
	p, err := os.StartProcess("/bin/true", []string{"true"}, &os.ProcAttr{})
	if err != nil {
		t.Skip(err)
	}
	p.Wait()
	return strconv.Itoa(p.Pid)
}

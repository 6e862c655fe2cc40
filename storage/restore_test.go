package storage_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
)

// childRestore restores backup over db and stops for good before the
// given step, saying "at STEP", for the parent to kill it there.
func childRestore(db, backup, step string) int {
	storage.SetRestoreStep(func(s string) {
		if s == step {
			fmt.Println("at", s)
			for {
				time.Sleep(time.Hour) // until killed
			}
		}
	})
	fmt.Println("ready")
	if _, err := storage.RestoreBackup(db, backup, time.Now()); err != nil {
		fmt.Println("error", err)
		return 1
	}
	fmt.Println("done")
	return 0
}

// library makes a library at path with n highlights.
func library(t *testing.T, path string, n int) {
	t.Helper()
	db, err := storage.Open(path, storage.Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc := annotations.NewService(db)
	art, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatText, Text: strings.Repeat("words and more words ", 50)})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: i, End: i + 5}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrash_RestoreBackup_LibraryAlwaysThere kills restore-backup before
// each of its steps: the library must be there after every kill, open,
// pass its check, and hold the old content or the backup's — never
// nothing, never an empty new library. A restore run afterwards succeeds
// and clears what the killed one left.
func TestCrash_RestoreBackup_LibraryAlwaysThere(t *testing.T) {
	dir := t.TempDir()
	const current, backedUp = 3, 7
	base := filepath.Join(dir, "base.db")
	library(t, base, current)
	backup := filepath.Join(dir, "backup.db")
	library(t, backup, backedUp)
	steps := storage.SetRestoreStep(func(string) {})
	defer storage.SetRestoreStep(func(string) {})

	path := filepath.Join(dir, "lib", "library.db")
	os.Mkdir(filepath.Dir(path), 0o700)
	for _, step := range steps {
		t.Run(step, func(t *testing.T) {
			copyFile(t, base, path)
			cmd, r := child(t, "GLOSS_CRASH_CHILD=restore", "GLOSS_CRASH_DB="+path, "GLOSS_CRASH_FILE="+backup, "GLOSS_CRASH_STEP="+step)
			line, _ := r.ReadString('\n')
			cmd.Process.Signal(syscall.SIGKILL)
			rest, _ := io.ReadAll(r)
			cmd.Wait()
			if strings.TrimSpace(line) != "at "+step {
				t.Fatalf("the child did not stop at %s: %q %s", step, line, rest)
			}
			if _, err := os.Stat(path); err != nil {
				t.Fatalf("killed before %s: no library: %v", step, err)
			}
			if n := len(inspect(t, path)); n != current && n != backedUp {
				t.Fatalf("killed before %s: the library holds %d highlights, neither the old %d nor the backup's %d", step, n, current, backedUp)
			}
			// The next restore clears up and succeeds.
			if _, err := storage.RestoreBackup(path, backup, time.Now()); err != nil {
				t.Fatalf("restore after the kill: %v", err)
			}
			if n := len(inspect(t, path)); n != backedUp {
				t.Fatalf("after the second restore the library holds %d highlights", n)
			}
			entries, _ := os.ReadDir(filepath.Dir(path))
			for _, e := range entries {
				if strings.Contains(e.Name(), ".restoring") || strings.HasSuffix(e.Name(), ".tmp") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
		// Start each step from a clean folder.
		os.RemoveAll(filepath.Dir(path))
		os.Mkdir(filepath.Dir(path), 0o700)
	}
	// Into a place with no library yet: after a kill there is none, or
	// the backup's — never an empty library.
	for _, step := range steps {
		t.Run("no library before/"+step, func(t *testing.T) {
			os.RemoveAll(filepath.Dir(path))
			os.Mkdir(filepath.Dir(path), 0o700)
			cmd, r := child(t, "GLOSS_CRASH_CHILD=restore", "GLOSS_CRASH_DB="+path, "GLOSS_CRASH_FILE="+backup, "GLOSS_CRASH_STEP="+step)
			line, _ := r.ReadString('\n')
			cmd.Process.Signal(syscall.SIGKILL)
			cmd.Wait()
			if strings.TrimSpace(line) != "at "+step {
				t.Fatalf("the child did not stop at %s: %q", step, line)
			}
			if _, err := os.Stat(path); err == nil {
				if n := len(inspect(t, path)); n != backedUp {
					t.Fatalf("killed before %s: the library holds %d highlights, not the backup's %d", step, n, backedUp)
				}
			}
			if _, err := storage.RestoreBackup(path, backup, time.Now()); err != nil && !errors.Is(err, storage.ErrBadBackup) {
				t.Fatalf("restore after the kill: %v", err)
			}
			if n := len(inspect(t, path)); n != backedUp {
				t.Fatalf("after the second restore the library holds %d highlights", n)
			}
		})
	}
}

// TestStore_RestoreBackup_RefusesBadBackups: a backup that is not a
// regular bbolt file — a device that never ends, a pipe, a folder, text,
// an empty file, the library itself by another name — is refused before
// anything is read from it or written, and the library stays as it was.
func TestStore_RestoreBackup_RefusesBadBackups(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "library.db")
	library(t, path, 3)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		return p
	}
	hard := filepath.Join(dir, "hard.db")
	os.Link(path, hard)
	soft := filepath.Join(dir, "soft.db")
	os.Symlink(path, soft)
	tests := []struct{ name, backup, want string }{
		{"an endless device", "/dev/zero", "a character device"},
		{"a named pipe", fifo, "a named pipe"},
		{"a folder", dir, "a folder"},
		{"a text file", file("notes.txt", strings.Repeat("not a library\n", 1000)), "no bbolt header"},
		{"an empty file", file("empty.db", ""), "no bbolt header"},
		{"a hard link to the library", hard, "the library itself"},
		{"a symbolic link to the library", soft, "the library itself"},
	}
	before, _ := os.ReadFile(path)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := storage.RestoreBackup(path, tt.backup, time.Now())
			if !errors.Is(err, storage.ErrBadBackup) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want ErrBadBackup saying %q", err, tt.want)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
				t.Fatalf("the library changed")
			}
			entries, _ := os.ReadDir(dir)
			for _, e := range entries {
				if strings.Contains(e.Name(), ".restoring") || strings.Contains(e.Name(), ".replaced-") {
					t.Errorf("left behind: %s", e.Name())
				}
			}
		})
	}
}

// TestStore_RestoreBackup_Places: what RestoreBackup replaces and keeps.
func TestStore_RestoreBackup_Places(t *testing.T) {
	now := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	t.Run("every replaced file is kept, even two in one second", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "library.db")
		library(t, path, 3)
		backup := filepath.Join(dir, "backup.db")
		library(t, backup, 7)
		first, _ := os.ReadFile(path)
		kept1, err := storage.RestoreBackup(path, backup, now)
		if err != nil {
			t.Fatal(err)
		}
		second, _ := os.ReadFile(path)
		kept2, err := storage.RestoreBackup(path, backup, now)
		if err != nil {
			t.Fatal(err)
		}
		got1, _ := os.ReadFile(kept1)
		got2, _ := os.ReadFile(kept2)
		if kept1 == kept2 || !bytes.Equal(got1, first) || !bytes.Equal(got2, second) {
			t.Errorf("kept %s and %s: the first replaced file is lost", kept1, kept2)
		}
	})
	t.Run("a library that is a symbolic link stays one", func(t *testing.T) {
		dir := t.TempDir()
		real := filepath.Join(dir, "real", "library.db")
		os.Mkdir(filepath.Dir(real), 0o700)
		library(t, real, 3)
		link := filepath.Join(dir, "library.db")
		os.Symlink(real, link)
		backup := filepath.Join(dir, "backup.db")
		library(t, backup, 7)
		if _, err := storage.RestoreBackup(link, backup, now); err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced by a file")
		}
		if n := len(inspect(t, real)); n != 7 {
			t.Errorf("the linked file holds %d highlights, want the backup's 7", n)
		}
	})
	t.Run("a library that is no regular file is refused", func(t *testing.T) {
		dir := t.TempDir()
		fifo := filepath.Join(dir, "library.db")
		syscall.Mkfifo(fifo, 0o600)
		backup := filepath.Join(dir, "backup.db")
		library(t, backup, 7)
		if _, err := storage.RestoreBackup(fifo, backup, now); !errors.Is(err, storage.ErrNotAFile) {
			t.Errorf("error = %v, want ErrNotAFile", err)
		}
		if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the pipe was replaced")
		}
	})
	t.Run("a copy a killed restore left is cleared", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "library.db")
		library(t, path, 3)
		os.WriteFile(path+".restoring", []byte("half a copy"), 0o600)
		backup := filepath.Join(dir, "backup.db")
		library(t, backup, 7)
		if _, err := storage.RestoreBackup(path, backup, now); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(path + ".restoring"); err == nil {
			t.Errorf("the leftover copy is still there")
		}
	})
	t.Run("opening the library clears a killed restore's copy", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "library.db")
		library(t, path, 3)
		os.WriteFile(path+".restoring", []byte("half a copy"), 0o600)
		inspect(t, path)
		if _, err := os.Stat(path + ".restoring"); err == nil {
			t.Errorf("the leftover copy is still there")
		}
	})
}

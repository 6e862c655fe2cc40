//go:build unix

package storage

import (
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestStore_Open_NotAFile: a --db that is not a regular file — a device, a
// pipe, a socket, a file of /proc, a folder — is refused with a message
// and never written to (bbolt would write its meta pages into it).
func TestStore_Open_NotAFile(t *testing.T) {
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
	toNull := filepath.Join(dir, "to-null")
	if err := os.Symlink(os.DevNull, toNull); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
	}{
		{"a character device", os.DevNull, "a character device"},
		{"a symbolic link to a device", toNull, "a character device"},
		{"a named pipe", fifo, "a named pipe"},
		{"a socket", sock, "a socket"},
		{"an empty file of /proc", "/proc/self/comm", "/proc"},
		{"a folder", dir, "a folder"},
	}
	// Block devices (a loop device is where bbolt's meta pages landed)
	// can only be made by root; the test makes one (that no driver backs)
	// when it runs as root, as CI does.
	if os.Geteuid() == 0 {
		blk := filepath.Join(dir, "blk")
		if err := syscall.Mknod(blk, syscall.S_IFBLK|0o600, 7<<8|250); err != nil {
			t.Fatal(err)
		}
		tests = append(tests, struct{ name, path, want string }{"a block device", blk, "a block device"})
	}
	for _, tt := range tests {
		for _, opts := range []Options{{}, {ReadOnly: true}} {
			t.Run(tt.name, func(t *testing.T) {
				before, err := os.Lstat(tt.path)
				if err != nil {
					t.Skip(err)
				}
				db, err := Open(tt.path, opts)
				if err == nil {
					db.Close()
					t.Fatalf("opened %s as a library", tt.path)
				}
				if !errors.Is(err, ErrNotAFile) || !strings.Contains(err.Error(), tt.want) {
					t.Errorf("error = %v, want ErrNotAFile saying %q", err, tt.want)
				}
				after, err := os.Lstat(tt.path)
				if err != nil || after.Mode() != before.Mode() || after.Size() != before.Size() {
					t.Errorf("%s changed: %v %v → %v", tt.path, before.Mode(), err, after)
				}
			})
		}
	}
}

// TestStore_Open_NoCreate: with NoCreate (or ReadOnly) Open refuses a
// library that does not exist, or an empty file, with ErrNoLibrary and
// creates nothing; without, it creates one and says so with Created.
func TestStore_Open_NoCreate(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "typo", "library.db")
	empty := filepath.Join(dir, "empty.db")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, opts := range []Options{{NoCreate: true}, {ReadOnly: true}} {
		if _, err := Open(missing, opts); !errors.Is(err, ErrNoLibrary) || !strings.Contains(err.Error(), missing+" does not exist") {
			t.Errorf("%+v on a missing library: %v", opts, err)
		}
		if _, err := os.Stat(filepath.Dir(missing)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%+v created the folder: %v", opts, err)
		}
		if _, err := Open(empty, opts); !errors.Is(err, ErrNoLibrary) || !strings.Contains(err.Error(), "empty") {
			t.Errorf("%+v on an empty file: %v", opts, err)
		}
		if fi, err := os.Stat(empty); err != nil || fi.Size() != 0 {
			t.Errorf("%+v wrote to the empty file: %v", opts, err)
		}
	}
	for i, want := range []bool{true, false} {
		db, err := Open(missing, Options{NoAutoBackup: true})
		if err != nil {
			t.Fatal(err)
		}
		if db.Created() != want {
			t.Errorf("open %d: Created() = %v, want %v", i, db.Created(), want)
		}
		db.Close()
	}
	// An empty regular file (mktemp's) is still made a library by a
	// writer, as bbolt would.
	db, err := Open(empty, Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	if !db.Created() {
		t.Errorf("an empty file made a library: Created() = false")
	}
	db.Close()
}

//go:build linux || darwin || freebsd || openbsd || netbsd || dragonfly

package storage

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// lockLibrary takes the library's exclusive lock — the flock bbolt takes
// (exclusive for a writer, shared for a reader) — waiting at most
// LockTimeout. Closing the returned file lets go.
func lockLibrary(path string) (io.Closer, error) {
	l, ok, err := lockPath(path, LockTimeout)
	switch {
	case err != nil:
		return nil, fmt.Errorf("library %s: %w", path, err)
	case !ok:
		return nil, fmt.Errorf("library %s is %w", path, ErrLocked)
	}
	return l, nil
}

// lockPath opens path (a file or a folder) and takes an exclusive flock on
// it, waiting at most wait; ok is false when another process kept it.
func lockPath(path string, wait time.Duration) (l io.Closer, ok bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, false, err
	}
	deadline := time.Now().Add(wait)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil:
			return f, true, nil
		case !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR):
			f.Close()
			return nil, false, fmt.Errorf("lock: %w", err)
		case time.Now().After(deadline):
			f.Close()
			return nil, false, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
}

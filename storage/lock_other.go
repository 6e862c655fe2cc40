//go:build !(linux || darwin || freebsd || openbsd || netbsd || dragonfly)

package storage

import (
	"errors"
	"io"
	"time"
)

// lockLibrary takes a reader's lock on the library through bbolt, which
// keeps any writer out. A file bbolt cannot open (a damaged one) cannot be
// locked: it is restored without.
func lockLibrary(path string) (io.Closer, error) {
	b, err := openBolt(path, true, false, false)
	if errors.Is(err, ErrLocked) {
		return nil, err
	}
	if err != nil {
		return io.NopCloser(nil), nil
	}
	return b, nil
}

// lockPath cannot lock here: it always succeeds, and two restores in one
// folder at once are not kept apart.
func lockPath(string, time.Duration) (io.Closer, bool, error) {
	return io.NopCloser(nil), true, nil
}

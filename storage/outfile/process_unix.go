//go:build unix

package outfile

import (
	"errors"
	"syscall"
)

// processAlive reports whether a process with this ID runs (as far as
// this process can tell: one of another user counts as running).
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

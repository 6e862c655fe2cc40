//go:build unix

package remote

import (
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// checkPrivate refuses a credentials file that someone else could read or
// change: one not owned by the current user, or with any group or other
// permission bit.
func checkPrivate(name string, fi fs.FileInfo) error {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Getuid() {
		return fmt.Errorf("credentials file %s belongs to user id %d, not to you (%d): refusing to read it", name, st.Uid, os.Getuid())
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("credentials file %s has mode %04o, readable by others: run chmod 600 %s", name, perm, name)
	}
	return nil
}

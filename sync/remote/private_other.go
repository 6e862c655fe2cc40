//go:build !unix

package remote

import "io/fs"

// checkPrivate accepts any regular file where permission bits say nothing
// about who may read it (on Windows an ACL decides; the file is under the
// user's own profile folder).
func checkPrivate(string, fs.FileInfo) error { return nil }

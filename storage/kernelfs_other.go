//go:build !linux

package storage

// kernelFile reports whether path is on one of the kernel's file systems;
// only Linux is checked.
func kernelFile(string) bool { return false }

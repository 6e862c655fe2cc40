package storage

import "syscall"

// Magic numbers of the kernel's own file systems (statfs(2)), whose files
// look regular but hold no data on a disk.
var kernelFS = map[uint32]bool{
	0x9fa0:     true, // proc
	0x62656572: true, // sysfs
	0x64626720: true, // debugfs
	0x74726163: true, // tracefs
	0x73636673: true, // securityfs
	0x27e0eb:   true, // cgroup
	0x63677270: true, // cgroup2
	0x62656570: true, // configfs
	0xde5e81e4: true, // efivarfs
	0xcafe4a11: true, // bpf
}

// kernelFile reports whether path is on one of the kernel's file systems.
func kernelFile(path string) bool {
	var st syscall.Statfs_t
	return syscall.Statfs(path, &st) == nil && kernelFS[uint32(st.Type)]
}

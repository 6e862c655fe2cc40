//go:build e2e

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2E_NoDisplay runs the real binary (cgo, GLFW) with no display: one
// line on stderr and exit status 1, not GLFW's panic, and no library.
func TestE2E_NoDisplay(t *testing.T) {
	dir := t.TempDir()
	bin := buildGloss(t, dir)
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") {
			env = append(env, kv)
		}
	}
	db := filepath.Join(dir, "library.db")
	cmd := exec.Command(bin, "--db", db)
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	want := "gloss: no display found (DISPLAY is not set); the command-line verbs work without one: gloss --help\n"
	if cmd.ProcessState.ExitCode() != 1 || stderr.String() != want || stdout.Len() != 0 {
		t.Errorf("exit %d (%v), stderr %q, stdout %q; want exit 1 and %q", cmd.ProcessState.ExitCode(), err, stderr.String(), stdout.String(), want)
	}
	if _, err := os.Stat(db); !os.IsNotExist(err) {
		t.Errorf("a library was created: %v", err)
	}
}

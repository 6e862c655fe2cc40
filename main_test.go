package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/gloss-notes/gloss/cli"
)

// TestGloss_NoDisplay: "gloss" with no display says so in one line and
// exits 1, before Fyne starts and before any library is created.
func TestGloss_NoDisplay(t *testing.T) {
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("a display is always there on " + runtime.GOOS)
	}
	for _, k := range []string{"DISPLAY", "WAYLAND_DISPLAY"} {
		t.Setenv(k, "") // restored after the test
		os.Unsetenv(k)
	}
	for _, args := range [][]string{nil, {"open"}} {
		db := filepath.Join(t.TempDir(), "library.db")
		var out, errb bytes.Buffer
		code := cli.Run(append([]string{"--db", db}, args...), cli.Env{GUI: openWindow, Stdout: &out, Stderr: &errb})
		want := "gloss: no display found (DISPLAY is not set); the command-line verbs work without one: gloss --help\n"
		if code != 1 || errb.String() != want || out.Len() != 0 {
			t.Errorf("gloss %v: exit %d, stderr %q, stdout %q; want exit 1 and %q", args, code, errb.String(), out.String(), want)
		}
		if _, err := os.Stat(db); !os.IsNotExist(err) {
			t.Errorf("gloss %v created a library without a window: %v", args, err)
		}
	}
}

package app

import (
	"errors"
	"fmt"
	"os"
	"runtime"
)

// ErrNoDisplay is returned by Run when the window has nowhere to go: on
// Linux and the BSDs, neither DISPLAY (X11) nor WAYLAND_DISPLAY is set.
var ErrNoDisplay = errors.New("no display found")

// checkDisplay returns ErrNoDisplay, with a hint, when a system that needs
// an X11 or Wayland display (goos is runtime.GOOS) has none in its
// environment (getenv is os.Getenv). macOS and Windows always have one.
func checkDisplay(goos string, getenv func(string) string) error {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly", "illumos", "solaris":
	default:
		return nil
	}
	if getenv("DISPLAY") != "" || getenv("WAYLAND_DISPLAY") != "" {
		return nil
	}
	return fmt.Errorf("%w (DISPLAY is not set); the command-line verbs work without one: gloss --help", ErrNoDisplay)
}

// hasDisplay is checkDisplay for this process.
func hasDisplay() error { return checkDisplay(runtime.GOOS, os.Getenv) }

// CheckDisplay returns ErrNoDisplay (with a hint) when this process has no
// display to open the window on, so that a command can say so before it
// changes anything.
func CheckDisplay() error { return hasDisplay() }

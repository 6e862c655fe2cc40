package app

import (
	"errors"
	"fmt"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// ErrNoDisplay is returned by Run when the window has nowhere to go: on
// Linux and the BSDs, neither DISPLAY (X11) nor WAYLAND_DISPLAY is set.
var ErrNoDisplay = errors.New("no display found")

// checkDisplay returns ErrNoDisplay, with a hint, when a system that needs
// an X11 or Wayland display (goos is runtime.GOOS) has none in its
// environment (getenv is os.Getenv), or when the X server DISPLAY names
// does not answer (dial connects to it; GLFW would panic on it). macOS and
// Windows always have one.
func checkDisplay(goos string, getenv func(string) string, dial func(network, addr string) error) error {
	switch goos {
	case "linux", "freebsd", "openbsd", "netbsd", "dragonfly", "illumos", "solaris":
	default:
		return nil
	}
	display := getenv("DISPLAY")
	if display == "" {
		if getenv("WAYLAND_DISPLAY") != "" {
			return nil
		}
		return fmt.Errorf("%w (DISPLAY is not set); the command-line verbs work without one: gloss --help", ErrNoDisplay)
	}
	addrs := x11Addresses(display)
	if len(addrs) == 0 {
		return nil // a form this check does not know: GLFW will tell
	}
	for _, a := range addrs {
		if dial(a[0], a[1]) == nil {
			return nil
		}
	}
	return fmt.Errorf("%w (the X server of DISPLAY=%s does not answer); the command-line verbs work without one: gloss --help",
		ErrNoDisplay, clip(display, 80))
}

// x11Addresses are where the X server of display ("host:N.S") listens, as
// Xlib looks for it: on the local Unix socket (abstract, then the file)
// for ":N" and "unix:N", else over TCP on port 6000+N.
func x11Addresses(display string) [][2]string {
	i := strings.LastIndexByte(display, ':')
	if i < 0 {
		return nil
	}
	host, num := display[:i], display[i+1:]
	num, _, _ = strings.Cut(num, ".")
	n, err := strconv.Atoi(num)
	if err != nil || n < 0 || n > 65535-6000 {
		return nil
	}
	if host == "" || host == "unix" {
		sock := "/tmp/.X11-unix/X" + num
		return [][2]string{{"unix", "@" + sock}, {"unix", sock}}
	}
	return [][2]string{{"tcp", net.JoinHostPort(host, strconv.Itoa(6000+n))}}
}

// dialDisplay connects to an X server and hangs up.
func dialDisplay(network, addr string) error {
	c, err := net.DialTimeout(network, addr, 2*time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

// hasDisplay is checkDisplay for this process.
func hasDisplay() error { return checkDisplay(runtime.GOOS, os.Getenv, dialDisplay) }

// CheckDisplay returns ErrNoDisplay (with a hint) when this process has no
// display to open the window on, so that a command can say so before it
// changes anything.
func CheckDisplay() error { return hasDisplay() }

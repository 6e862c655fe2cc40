//go:build !ci

package app

import "github.com/go-gl/glfw/v3.3/glfw"

// screenPixels returns the size of the primary monitor in pixels. Fyne 2.7
// has no API for it, so it asks GLFW, which Fyne's desktop driver has
// initialised by the time the app has started; it must run on the main
// thread (the app's OnStarted does).
func screenPixels() (w, h float32, ok bool) {
	m := glfw.GetPrimaryMonitor()
	if m == nil {
		return 0, 0, false
	}
	mode := m.GetVideoMode()
	if mode == nil || mode.Width <= 0 || mode.Height <= 0 {
		return 0, 0, false
	}
	return float32(mode.Width), float32(mode.Height), true
}

//go:build ci

package app

// screenPixels has no screen to measure under Fyne's test driver.
func screenPixels() (w, h float32, ok bool) { return 0, 0, false }

package pageview

import (
	"image"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// BenchmarkScroll100Pages scrolls down a 100-page document a wheel step
// (60 units) at a time, with a renderer as slow as PDFium's at 150 dpi
// (100 ms a page). ns/op is the UI goroutine's time per step: the pages
// render on the view's own goroutine, so a step never waits for one.
// renders/op says how many pages were rendered meanwhile.
func BenchmarkScroll100Pages(b *testing.B) {
	test.NewTempApp(b)
	var pages []Page
	var boxes []Box
	for p := range 100 {
		start := len(boxes)
		for l := range 40 {
			for c := range 60 {
				x, y := float32(72+c*7), float32(720-l*15)
				boxes = append(boxes, Box{x, y, x + 6, y + 10})
			}
		}
		pages = append(pages, Page{Start: start, End: len(boxes), Width: 612, Height: 792})
		_ = p
	}
	text := make([]rune, len(boxes))
	for i := range text {
		text[i] = 'x'
	}
	var renders atomic.Int64
	render := func(page, width int) (image.Image, error) {
		time.Sleep(100 * time.Millisecond)
		renders.Add(1)
		return image.NewRGBA(image.Rect(0, 0, width, width*792/612)), nil
	}
	v := New()
	v.SetDocument(string(text), pages, boxes, render)
	w := test.NewWindow(v)
	defer w.Close()
	w.Resize(fyne.NewSize(800, 700))
	v.SetHighlights([]Highlight{{Start: 100, End: 50_000, ID: "long"}})
	b.ResetTimer()
	y := float32(0)
	for range b.N {
		y += 60
		if y > v.contentH {
			y = 0
		}
		v.scrollTo(y)
	}
	b.StopTimer()
	b.ReportMetric(float64(renders.Load())/float64(b.N), "renders/op")
}

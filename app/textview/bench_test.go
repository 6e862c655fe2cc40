package textview

import (
	"image/color"
	"runtime"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

var benchSize = fyne.NewSize(1000, 700)

// benchHighlights returns a highlight every 1500 runes, every fifth one
// overlapping the one before.
func benchHighlights(text string) []Highlight {
	n := utf8.RuneCountInString(text)
	colors := []color.Color{
		color.NRGBA{R: 0xff, G: 0xd5, A: 114},
		color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 114},
		color.NRGBA{R: 0x43, G: 0xa0, B: 0x47, A: 114},
	}
	var hs []Highlight
	for i, s := 0, 100; s+300 < n; i, s = i+1, s+1500 {
		hs = append(hs, Highlight{Start: s, End: s + 120, Color: colors[i%len(colors)], ID: "h"})
		if i%5 == 0 {
			hs = append(hs, Highlight{Start: s + 60, End: s + 300, Color: colors[(i+1)%len(colors)], ID: "o"})
		}
	}
	return hs
}

// benchmarkLayout measures an article going from SetText to its first frame
// in a window that is already open: SetText, the highlights, the wrap at the
// window's width and the software painter rendering the window. Every
// iteration starts with cold caches: a new View (its own width cache) in a
// new test app (Fyne's font and text-size caches).
//
// It also reports the time to the canvas objects (before painting) and the
// heap the laid-out view holds, on top of the text itself and of what an
// empty view in a painted window holds (fonts, window).
func benchmarkLayout(b *testing.B, size int) {
	benchmarkFirstPaint(b, article(size), Style{}, "", Style{})
}

// benchmarkFirstPaint is benchmarkLayout for a text and its style. The heap
// of a view of baseText and baseStyle is the base: a styled text makes Fyne
// load its bold, italic and monospace fonts (about 20 MB, once per app),
// which a short text of the same kinds of styles loads as well.
func benchmarkFirstPaint(b *testing.B, text string, st Style, baseText string, baseStyle Style) {
	hs := benchHighlights(text)
	run := func(text string, st Style, hs []Highlight) (heap uint64, toObjects time.Duration) {
		b.StopTimer()
		test.NewApp()
		var before runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		b.StartTimer()

		start := time.Now()
		v := New()
		w := test.NewWindow(v)
		w.Resize(benchSize)
		v.SetStyledText(text, st)
		v.SetHighlights(hs)
		toObjects = time.Since(start)
		w.Canvas().Capture()

		b.StopTimer()
		var after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&after)
		runtime.KeepAlive(v)
		w.Close()
		b.StartTimer()
		return after.HeapAlloc - before.HeapAlloc, toObjects
	}
	base, _ := run(baseText, baseStyle, nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	var heap uint64
	var toObjects time.Duration
	for i := 0; i < b.N; i++ {
		h, d := run(text, st, hs)
		heap += h
		toObjects += d
	}
	b.ReportMetric(float64(heap)/float64(b.N)-float64(base), "heap-B/view")
	b.ReportMetric(float64(toObjects.Milliseconds())/float64(b.N), "ms-to-objects")
}

func BenchmarkLayout1MB(b *testing.B)  { benchmarkLayout(b, 1<<20) }
func BenchmarkLayout10MB(b *testing.B) { benchmarkLayout(b, 10<<20) }

// BenchmarkLayoutStyled1MB is BenchmarkLayout1MB for a styled article:
// headings, lists, quotes, code blocks, and a word in twenty in italic,
// bold, code or a link.
func BenchmarkLayoutStyled1MB(b *testing.B) {
	text, st := styledArticle(1 << 20)
	baseText, baseStyle := styledSample()
	benchmarkFirstPaint(b, text, st, baseText, baseStyle)
}

// BenchmarkDragUpdate measures one drag event on a 1 MB article: hit-testing
// the pointer, moving the selection's cursor and recomputing the rectangles
// of the visible lines (highlights, overlaps, selection).
func BenchmarkDragUpdate(b *testing.B) {
	test.NewApp()
	text := article(1 << 20)
	v := New()
	w := test.NewWindow(v)
	defer w.Close()
	v.SetText(text)
	v.SetHighlights(benchHighlights(text))
	w.Resize(benchSize)
	v.ScrollToOffset(utf8.RuneCountInString(text) / 2)
	top := v.scroll.Offset.Y
	start := fyne.NewPos(200, top+100)
	v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: start}, Button: desktop.MouseButtonPrimary})
	// The pointer wanders over the visible part of the view.
	var points []fyne.Position
	for i := range 97 {
		points = append(points, fyne.NewPos(float32(50+(i*37)%900), top+float32(20+(i*53)%650)))
	}
	ev := &fyne.DragEvent{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ev.Position = points[i%len(points)]
		v.content.Dragged(ev)
	}
	b.StopTimer()
	v.content.DragEnd()
}

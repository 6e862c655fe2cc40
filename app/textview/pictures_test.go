package textview

import (
	"errors"
	"image"
	"image/color"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// loadNever never returns: the views of tests that do not wait for their
// pictures must not get a result behind their back (the test driver runs
// fyne.Do's function on the loading goroutine).
func loadNever() (image.Image, error) { select {} }

// Pictures make room above the lines holding their At, scaled down to the
// column (never up), at most maxH high; placeholders are a line high.
func TestPlacePictures(t *testing.T) {
	const text = "aaaa bbbb cccc dddd eeee ffff"
	spec := fixedSpec // 10 per rune, lines 20 high, column 100
	lines := wrap(text, spec, fixedAdv)
	orig := append([]line(nil), lines...)
	pics := []Picture{
		{At: 0, Width: 50, Height: 30, Load: loadNever},    // natural size
		{At: 12, Width: 400, Height: 200, Load: loadNever}, // scaled to the column: 100×50
		{At: 14, Alt: "x"}, // placeholder, same line
		{At: 20, Width: 100, Height: 1000, Load: loadNever}, // capped at maxH: 12×120
		{At: 29, Load: loadNever},                           // unknown size: 100×75
	}
	const pad = 4
	boxes := placePictures(lines, pics, 7, 100, 120, 20, pad)
	want := []picBox{
		{pic: 0, line: 0, x: 7 + 25, y: orig[0].y + pad, w: 50, h: 30},
		{pic: 1, line: 1, x: 7, w: 100, h: 50},
		{pic: 2, line: 1, x: 7, w: 100, h: 20, placeholder: true},
		{pic: 3, line: 2, x: 7 + 44, w: 12, h: 120},
		{pic: 4, line: 2, x: 7, w: 100, h: 75},
	}
	if len(boxes) != len(want) {
		t.Fatalf("%d boxes, want %d: %+v", len(boxes), len(want), boxes)
	}
	var shift float32
	for k, b := range boxes {
		w := want[k]
		if lineOf(lines, pics[k].At) != w.line {
			t.Fatalf("picture %d at %d is above line %d", k, pics[k].At, lineOf(lines, pics[k].At))
		}
		// Each picture sits below the line before its own (or the ones
		// before it on the same line).
		if k == 0 || boxes[k-1].line != b.line {
			if y := orig[b.line].y + shift + pad; b.y != y {
				t.Errorf("picture %d at y %v, want %v", k, b.y, y)
			}
		} else if y := boxes[k-1].y + boxes[k-1].h + 2*pad; b.y != y {
			t.Errorf("picture %d at y %v, want %v", k, b.y, y)
		}
		shift += b.h + 2*pad
		if b.pic != w.pic || b.line != w.line || b.x != w.x || b.w != w.w || b.h != w.h || b.placeholder != w.placeholder {
			t.Errorf("box %d = %+v, want %+v", k, b, w)
		}
		if b.y+b.h+pad != lines[b.line].y && (k+1 == len(boxes) || boxes[k+1].line != b.line) {
			t.Errorf("line %d at %v, picture %d ends at %v", b.line, lines[b.line].y, k, b.y+b.h)
		}
	}
	if got := lines[len(lines)-1].y - orig[len(orig)-1].y; got != shift {
		t.Errorf("last line moved %v, want %v", got, shift)
	}
}

// Lines after a picture are hit at the same offsets as without it, and
// the document is taller by the picture's room.
func TestView_Pictures_HitTesting(t *testing.T) {
	text := strings.Repeat("alpha beta gamma delta epsilon zeta eta theta ", 12)
	size := fyne.NewSize(420, 600)
	plain := newFixedView(t, text, Style{}, size)
	pics := []Picture{{At: 100, Width: 200, Height: 100, Load: loadNever}, {At: 300, Alt: "gone"}}
	withPics := newFixedView(t, text, Style{Pictures: pics}, size)
	lp, lq := plain.currentLayout(), withPics.currentLayout()
	if len(lq.pics) != 2 {
		t.Fatalf("%d pictures laid out", len(lq.pics))
	}
	room := lq.pics[0].h + lq.pics[1].h + 4*float32(lq.pics[0].y-lq.lines[lq.pics[0].line-1].y-lq.spec.lineH)
	if d := lq.height - lp.height; d != room {
		t.Errorf("document %v taller with pictures, want %v", d, room)
	}
	for i := range lp.lines {
		if lp.lines[i].start != lq.lines[i].start {
			t.Fatalf("line %d starts at %d with pictures, %d without", i, lq.lines[i].start, lp.lines[i].start)
		}
		for _, x := range []float32{lp.colX + 3, lp.colX + 57, lp.colX + 200} {
			c1, u1 := plain.hit(fyne.NewPos(x, lp.lines[i].y+10))
			c2, u2 := withPics.hit(fyne.NewPos(x, lq.lines[i].y+10))
			if c1 != c2 || u1 != u2 {
				t.Errorf("line %d x %v: hit %d %d with pictures, %d %d without", i, x, c2, u2, c1, u1)
			}
		}
	}
}

// Only pictures near the visible part are loaded: the one at the top at
// once, the one far below when the view scrolls to it.
func TestView_Pictures_LoadNearVisible(t *testing.T) {
	text := strings.Repeat("A line of text that fills a good part of the column.\n", 300)
	var topCalls, farCalls atomic.Int32
	release, releaseFar := make(chan struct{}), make(chan struct{})
	top := func() (image.Image, error) {
		topCalls.Add(1)
		<-release
		return testPicture(80, 60), nil
	}
	far := func() (image.Image, error) {
		farCalls.Add(1)
		<-releaseFar
		return testPicture(80, 60), nil
	}
	n := len([]rune(text))
	st := Style{Pictures: []Picture{{At: 0, Width: 80, Height: 60, Load: top}, {At: n - 10, Width: 80, Height: 60, Load: far}}}
	v, w := newStyledView(t, text, st, fyne.NewSize(500, 400))
	loaded := make(chan int, 2)
	v.pictureLoaded = func(k int) { loaded <- k }
	w.Canvas().Capture()
	close(release)
	select {
	case k := <-loaded:
		if k != 0 {
			t.Fatalf("picture %d loaded first", k)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the visible picture was not loaded")
	}
	if topCalls.Load() != 1 || farCalls.Load() != 0 {
		t.Fatalf("Load called %d times at the top, %d far below; want 1, 0", topCalls.Load(), farCalls.Load())
	}
	// The loaded picture is drawn as an image in its box.
	r := v.content.rend
	if o := r.pics[0]; o == nil || o.img == nil {
		t.Fatal("the loaded picture is not drawn")
	} else if b := v.currentLayout().pics[0]; o.img.Position() != fyne.NewPos(b.x, b.y) || o.img.Size() != fyne.NewSize(80, 60) {
		t.Errorf("picture drawn at %v %v, box %+v", o.img.Position(), o.img.Size(), b)
	}
	v.ScrollToOffset(n - 1)
	close(releaseFar) // the results come back while the test waits
	select {
	case k := <-loaded:
		if k != 1 {
			t.Fatalf("picture %d loaded, want 1", k)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the picture far below was not loaded after scrolling to it")
	}
	if topCalls.Load() != 1 || farCalls.Load() != 1 {
		t.Errorf("Load called %d, %d times; want once each", topCalls.Load(), farCalls.Load())
	}
}

// testPicture returns a w×h picture of coloured bands.
func testPicture(w, h int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.NRGBA{R: uint8(40 + 180*x/w), G: 0x70, B: uint8(200 - 150*y/h), A: 0xff}
			if (x/10+y/10)%2 == 0 {
				c.G = 0xa0
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

// A short article with a picture, a picture that is not kept (a
// placeholder) and one that fails to load (a placeholder in its room).
func TestView_RenderPictures(t *testing.T) {
	text := "A picture of the site follows.\nThe site, seen from the hill: the trenches run north to south.\n\nNot kept.\nFailed to load."
	release := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
	st := Style{Pictures: []Picture{
		{At: 31, Alt: "the site", Width: 160, Height: 90, Load: func() (image.Image, error) { <-release[0]; return testPicture(160, 90), nil }},
		{At: runeIndex(t, text, "Not kept"), Alt: "a chart of the results"},
		{At: runeIndex(t, text, "Failed"), Alt: "broken", Width: 120, Height: 40, Load: func() (image.Image, error) {
			<-release[1]
			return nil, errors.New("gone")
		}},
	}}
	v, w := newStyledView(t, text, st, fyne.NewSize(420, 440))
	loaded := make(chan int, 2)
	v.pictureLoaded = func(k int) { loaded <- k }
	w.Canvas().Capture()
	for i := range release {
		close(release[i])
		select {
		case <-loaded:
		case <-time.After(5 * time.Second):
			t.Fatal("a picture was not loaded")
		}
	}
	test.AssertImageMatches(t, "view_pictures.png", w.Canvas().Capture())
}

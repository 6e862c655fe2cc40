package pageview

import (
	"image"
	"image/color"
	"image/draw"
	"reflect"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// A made-up document of two 200 × 100 point pages. Page 1 has two columns
// of one line each, "one two" on the left and "three" on the right; page
// 2 the line "four five". Every glyph is 10 points wide, 10 high.
const docText = "one two three\n\nfour five"

func docPages() ([]Page, []Box) {
	boxes := make([]Box, len([]rune(docText)))
	line := func(at int, word string, x, y float32) {
		for i := range []rune(word) {
			boxes[at+i] = Box{X0: x + 10*float32(i), Y0: y, X1: x + 10*float32(i+1), Y1: y + 10}
		}
	}
	line(0, "one", 10, 80)
	line(4, "two", 50, 80) // the space at 3 is not printed
	line(8, "three", 110, 80)
	line(15, "four", 10, 80)
	line(20, "five", 60, 80)
	pages := []Page{{Start: 0, End: 13, Width: 200, Height: 100}, {Start: 15, End: 24, Width: 200, Height: 100}}
	return pages, boxes
}

// glyphRenderer draws each printed glyph's box as a grey block, so that
// golden images show where the text is.
func glyphRenderer(pages []Page, boxes []Box) Renderer {
	return func(i, width int) (image.Image, error) {
		p := pages[i]
		s := float32(width) / p.Width
		img := image.NewRGBA(image.Rect(0, 0, width, int(p.Height*s+0.5)))
		draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
		for k := p.Start; k < p.End; k++ {
			b := boxes[k]
			if b.empty() {
				continue
			}
			r := image.Rect(int(b.X0*s)+1, int((p.Height-b.Y1)*s)+1, int(b.X1*s)-1, int((p.Height-b.Y0)*s))
			draw.Draw(img, r, image.NewUniform(color.Gray{Y: 0x60}), image.Point{}, draw.Src)
		}
		return img, nil
	}
}

func TestPlacePages(t *testing.T) {
	pages, _ := docPages()
	// Fit: 424 wide, 12 of padding each side: the pages are 400 wide (2
	// units a point), 200 high, 12 apart.
	got, w, h := placePages(pages, 424, 0, 12, 12)
	want := []placed{{x: 12, y: 12, w: 400, h: 200, scale: 2}, {x: 12, y: 224, w: 400, h: 200, scale: 2}}
	if !reflect.DeepEqual(got, want) || w != 424 || h != 436 {
		t.Errorf("fit: %+v, %g × %g", got, w, h)
	}
	// 300 %: wider than the view; the content widens to hold it.
	got, w, _ = placePages(pages, 424, 3, 12, 12)
	if got[0].w != 800 || w != 824 || got[0].x != 12 {
		t.Errorf("zoomed: %+v, width %g", got[0], w)
	}
	if pageAt(want, 5) != -1 || pageAt(want, 12) != 0 || pageAt(want, 223) != 0 || pageAt(want, 224) != 1 || pageAt(want, 9999) != 1 {
		t.Error("pageAt")
	}
}

func TestHit(t *testing.T) {
	pages, boxes := docPages()
	tests := []struct {
		name         string
		page         int
		x, y         float32
		caret, under int
	}{
		{"left half of o", 0, 12, 85, 0, 0},
		{"right half of o", 0, 18, 85, 1, 0},
		{"between the words: nearest on the line", 0, 44, 85, 3, 2},
		{"right half of r", 0, 136, 85, 11, 10},
		{"above the line picks it", 0, 15, 95, 0, 0},
		{"far below picks the line", 0, 157, 5, 13, 12},
		{"second page", 1, 62, 85, 20, 20},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caret, under := hit(boxes, pages[tt.page], tt.x, tt.y)
			if caret != tt.caret || under != tt.under {
				t.Errorf("hit(%g, %g) = %d, %d; want %d, %d", tt.x, tt.y, caret, under, tt.caret, tt.under)
			}
		})
	}
}

func TestRangeRects(t *testing.T) {
	pages, boxes := docPages()
	tests := []struct {
		name       string
		start, end int
		want       []pageRect
	}{
		{"one word", 0, 3, []pageRect{{0, Box{10, 80, 40, 90}}}},
		{"across an unprinted space", 0, 7, []pageRect{{0, Box{10, 80, 80, 90}}}},
		{"into the next column", 4, 13, []pageRect{{0, Box{50, 80, 80, 90}}, {0, Box{110, 80, 160, 90}}}},
		{"across the page break", 10, 19, []pageRect{{0, Box{130, 80, 160, 90}}, {1, Box{10, 80, 50, 90}}}},
		{"nothing printed", 13, 15, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rangeRects(pages, boxes, tt.start, tt.end); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("rangeRects(%d, %d) = %+v, want %+v", tt.start, tt.end, got, tt.want)
			}
		})
	}
}

// newTestView shows the made-up document in a test window, pages rendered
// on the spot.
func newTestView(t *testing.T, size fyne.Size) (*View, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	v := New()
	v.images.inline = true
	pages, boxes := docPages()
	v.SetDocument(docText, pages, boxes, glyphRenderer(pages, boxes))
	w := test.NewWindow(v)
	t.Cleanup(w.Close)
	w.SetPadded(false)
	w.Resize(size)
	v.content.Refresh()
	return v, w
}

func TestView_DragSelects(t *testing.T) {
	v, w := newTestView(t, fyne.NewSize(424, 300))
	var got [2]int
	v.OnSelectionChanged = func(s, e int) { got = [2]int{s, e} }
	// Page 1 is at (12, 12), 2 units a point: "two" is at x 112–172,
	// y 32–52 in the content.
	test.Drag(w.Canvas(), fyne.NewPos(171, 42), 58, 0)
	if got != [2]int{4, 7} || v.SelectedText() != "two" {
		t.Errorf("dragged over two: %v %q", got, v.SelectedText())
	}
	// Across the columns, backwards: from the right half of "three"'s h
	// (page x 128: content x 268) to the right half of "one"'s o.
	test.Drag(w.Canvas(), fyne.NewPos(45, 42), -223, 0)
	if s, e := v.Selection(); s != 1 || e != 10 {
		t.Errorf("backwards across columns: %d–%d %q", s, e, v.SelectedText())
	}
}

func TestView_DoubleTapSelectsWord(t *testing.T) {
	v, w := newTestView(t, fyne.NewSize(424, 300))
	test.DoubleTap(v.content)
	_ = w
	// test.DoubleTap taps the middle of the content; tap a word instead.
	v.content.DoubleTapped(&fyne.PointEvent{Position: fyne.NewPos(250, 42)})
	if v.SelectedText() != "three" {
		t.Errorf("double-click on three selected %q", v.SelectedText())
	}
}

func TestView_HighlightTapped(t *testing.T) {
	v, _ := newTestView(t, fyne.NewSize(424, 300))
	v.SetHighlights([]Highlight{{Start: 0, End: 7, Color: color.NRGBA{R: 255, A: 100}, ID: "a"}, {Start: 4, End: 7, Color: color.NRGBA{B: 255, A: 100}, ID: "b"}})
	var tapped string
	v.OnHighlightTapped = func(id string) { tapped = id }
	v.content.Tapped(&fyne.PointEvent{Position: fyne.NewPos(130, 42)})
	if tapped != "b" {
		t.Errorf("tapped %q, want the topmost, b", tapped)
	}
	v.content.Tapped(&fyne.PointEvent{Position: fyne.NewPos(30, 42)})
	if tapped != "a" {
		t.Errorf("tapped %q, want a", tapped)
	}
}

func TestView_Render(t *testing.T) {
	v, w := newTestView(t, fyne.NewSize(424, 300))
	v.SetHighlights([]Highlight{
		{Start: 0, End: 7, Color: color.NRGBA{R: 0xff, G: 0xd5, A: 114}, ID: "yellow"},
		{Start: 10, End: 19, Color: color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 114}, ID: "blue"},
	})
	v.SetSelection(8, 10)
	test.AssertImageMatches(t, "pages.png", w.Canvas().Capture())
}

func TestView_ZoomKeepsPage(t *testing.T) {
	v, _ := newTestView(t, fyne.NewSize(424, 300))
	v.GoToPage(2)
	if cur, total := v.Page(); cur != 2 || total != 2 {
		t.Fatalf("page %d of %d", cur, total)
	}
	v.SetZoom(2)
	if cur, _ := v.Page(); cur != 2 || abs(v.places[0].w-200*2*pointsToUnits) > 0.01 {
		t.Errorf("after zooming: page %d, width %g", cur, v.places[0].w)
	}
	v.ActualSize()
	if abs(v.places[0].w-200*pointsToUnits) > 0.01 {
		t.Errorf("actual size: width %g", v.places[0].w)
	}
	v.SetZoom(0)
	if v.places[0].w != 400 {
		t.Errorf("fit again: width %g", v.places[0].w)
	}
}

// Package pageview is Gloss's page view: a widget that shows a paged
// document (a PDF) as its rendered pages, one under the other, paints
// coloured ranges of its text over the glyphs as translucent rectangles,
// and lets the reader select text with the mouse.
//
// The contract:
//
//   - The document is its text, its pages (each a rune range [Start, End)
//     of the text and a size in points) and one box per rune in PDF points
//     (origin at the page's bottom left; an empty box for runes not
//     printed), given to [View.SetDocument] with a function that renders a
//     page to an image of a given pixel width. Rendering runs off Fyne's
//     main goroutine, one page at a time, the visible pages first; a page
//     not rendered yet shows blank.
//   - All offsets are rune offsets into the text; every range is
//     half-open. A drag selects the runes between the two points in the
//     text's order (reading order, across lines and columns as the text
//     goes); a double-click selects a word.
//   - [Highlight]s are painted translucently over the page, one rectangle
//     per run of glyphs on a line. The view knows nothing about what a
//     highlight means: it takes ranges, colours and opaque IDs.
//   - Keys: Ctrl+C copies the selection; Page Up/Down, Home/End, the
//     arrows scroll; Ctrl+= and Ctrl+- zoom, Ctrl+0 fits the width. Every
//     other key goes to [View.OnKey], every typed rune to [View.OnRune],
//     every other shortcut to the window's canvas.
//
// All methods must be called on Fyne's main goroutine.
package pageview

import (
	"image"
	"image/color"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Page is one page: its runes [Start, End) of the text and its size in
// points.
type Page struct {
	Start, End    int
	Width, Height float32
}

// Box is a rune's box on its page in points, origin at the bottom left.
type Box struct{ X0, Y0, X1, Y1 float32 }

func (b Box) empty() bool { return !(b.X1 > b.X0 && b.Y1 > b.Y0) }

// Renderer draws page i (0-based) width pixels wide. It is called off the
// main goroutine, never twice at once.
type Renderer func(page, width int) (image.Image, error)

// Highlight is a coloured rune range [Start, End); paint it translucent.
type Highlight struct {
	Start, End int
	Color      color.Color
	ID         string
}

// Zoom limits, against 100 % (a point a point).
const (
	minZoom = 0.25
	maxZoom = 5
)

// View shows a paged document. Create it with New.
type View struct {
	widget.BaseWidget

	// OnSelectionChanged is called with the ordered selection when it
	// changes (start == end: nothing selected).
	OnSelectionChanged func(start, end int)
	// OnHighlightTapped is called with the ID of the topmost highlight
	// under a click that did not drag.
	OnHighlightTapped func(id string)
	// OnKey and OnRune get the keys and runes the view does not handle;
	// they return true if they handled them.
	OnKey  func(ev *fyne.KeyEvent) bool
	OnRune func(r rune) bool
	// OnScrolled is called after the pages scrolled or were zoomed.
	OnScrolled func()
	// OnRendered is called when a page's image has arrived and is shown.
	OnRendered func(page int)

	text   []rune
	pages  []Page
	boxes  []Box
	render Renderer
	hl     []Highlight

	anchor, cursor int
	notified       [2]int
	focused        bool

	zoom               float32 // 0: fit the width
	places             []placed
	placedW            float32 // the view width places were made for
	contentW, contentH float32

	images  *imageCache
	scroll  *container.Scroll
	content *content
}

// New returns an empty view.
func New() *View {
	v := &View{}
	v.images = newImageCache(v)
	v.content = newContent(v)
	v.scroll = container.NewScroll(v.content)
	v.scroll.OnScrolled = func(fyne.Position) { v.scrolled() }
	v.ExtendBaseWidget(v)
	return v
}

// SetDocument shows a document from its first page, with nothing
// selected and no highlights.
func (v *View) SetDocument(text string, pages []Page, boxes []Box, render Renderer) {
	v.text, v.pages, v.boxes, v.render = []rune(text), pages, boxes, render
	v.hl = nil
	v.anchor, v.cursor = 0, 0
	v.images.reset()
	v.placedW = -1
	v.relayout()
	v.scroll.Offset = fyne.Position{}
	v.scroll.Refresh()
	v.notifySelection()
	v.content.Refresh()
}

// Document returns the text given to SetDocument.
func (v *View) Text() string { return string(v.text) }

// SetHighlights replaces the painted ranges; later ones paint on top.
func (v *View) SetHighlights(hs []Highlight) {
	v.hl = slices.Clone(hs)
	v.content.Refresh()
}

// PutHighlights adds highlights, or replaces those with the same IDs,
// on top of the others.
func (v *View) PutHighlights(hs ...Highlight) {
	ids := make([]string, len(hs))
	for i, h := range hs {
		ids[i] = h.ID
	}
	v.removeIDs(ids)
	v.hl = append(v.hl, hs...)
	v.content.Refresh()
}

// RemoveHighlights takes the highlights with these IDs away.
func (v *View) RemoveHighlights(ids ...string) {
	v.removeIDs(ids)
	v.content.Refresh()
}

func (v *View) removeIDs(ids []string) {
	v.hl = slices.DeleteFunc(v.hl, func(h Highlight) bool { return slices.Contains(ids, h.ID) })
}

// Highlights returns the painted ranges.
func (v *View) Highlights() []Highlight { return slices.Clone(v.hl) }

// Selection returns the selection, ordered.
func (v *View) Selection() (start, end int) {
	return min(v.anchor, v.cursor), max(v.anchor, v.cursor)
}

// SetSelection selects [start, end), clamped to the text.
func (v *View) SetSelection(start, end int) {
	n := len(v.text)
	v.anchor, v.cursor = min(max(start, 0), n), min(max(end, 0), n)
	v.notifySelection()
	v.content.Refresh()
}

// SelectedText returns the selected text.
func (v *View) SelectedText() string {
	s, e := v.Selection()
	return string(v.text[s:e])
}

func (v *View) notifySelection() {
	s, e := v.Selection()
	if v.notified == [2]int{s, e} {
		return
	}
	v.notified = [2]int{s, e}
	if v.OnSelectionChanged != nil {
		v.OnSelectionChanged(s, e)
	}
}

// ScrollToOffset scrolls so that the rune at offset is in sight, a little
// below the top.
func (v *View) ScrollToOffset(offset int) {
	if len(v.pages) == 0 {
		return
	}
	v.relayout()
	p := pageOf(v.pages, offset)
	y := v.places[p].y
	if offset >= 0 && offset < len(v.boxes) && !v.boxes[offset].empty() {
		_, y0, _, _ := toView(v.places[p], v.pages[p], v.boxes[offset])
		y = y0 - v.scroll.Size().Height/4
	}
	v.scrollTo(y)
}

// GoToPage scrolls to the top of page n (1-based).
func (v *View) GoToPage(n int) {
	if len(v.pages) == 0 {
		return
	}
	v.relayout()
	n = min(max(n, 1), len(v.pages))
	v.scrollTo(v.places[n-1].y - 8)
}

func (v *View) scrollTo(y float32) {
	maxY := max(0, v.contentH-v.scroll.Size().Height)
	v.scroll.Offset.Y = min(max(0, y), maxY)
	v.scroll.Refresh()
	v.scrolled()
}

// Page returns the page (1-based) at the middle of the view and the
// number of pages.
func (v *View) Page() (current, total int) {
	if len(v.pages) == 0 {
		return 0, 0
	}
	v.relayout()
	mid := v.scroll.Offset.Y + v.scroll.Size().Height/2
	return max(pageAt(v.places, mid), 0) + 1, len(v.pages)
}

// Zoom returns the zoom against 100 %, 0 when the pages fit the width.
func (v *View) Zoom() float32 { return v.zoom }

// SetZoom sets the zoom against 100 % (0 fits the width), keeping the
// page in the middle of the view where it was.
func (v *View) SetZoom(z float32) {
	if z != 0 {
		z = min(max(z, minZoom), maxZoom)
	}
	if z == v.zoom {
		return
	}
	cur, _ := v.Page()
	frac := float32(0)
	if cur > 0 {
		pl := v.places[cur-1]
		frac = (v.scroll.Offset.Y - pl.y) / max(pl.h, 1)
	}
	v.zoom = z
	v.placedW = -1
	v.relayout()
	if cur > 0 {
		pl := v.places[cur-1]
		v.scrollTo(pl.y + frac*pl.h)
	}
	v.content.Refresh()
}

// zoomBy steps the zoom in (factor > 1) or out from what is shown.
func (v *View) zoomBy(factor float32) {
	z := v.zoom
	if z == 0 && len(v.places) > 0 {
		z = v.places[0].scale / pointsToUnits
	}
	v.SetZoom(z * factor)
}

// ScrollFraction returns how far down the pages the view is, in [0, 1],
// and whether they are taller than the view.
func (v *View) ScrollFraction() (float32, bool) {
	room := v.contentH - v.scroll.Size().Height
	if room <= 0 {
		return 0, false
	}
	return min(max(v.scroll.Offset.Y/room, 0), 1), true
}

// SelectionBounds returns, in the view's coordinates, the top of the
// selection's first rectangle and the bottom of its last, with the left
// edge of the first and the right edge of the last; false when nothing
// is selected or it is out of sight.
func (v *View) SelectionBounds() (top, bottom, startX, endX float32, ok bool) {
	s, e := v.Selection()
	if s == e {
		return 0, 0, 0, 0, false
	}
	v.relayout()
	rects := rangeRects(v.pages, v.boxes, s, e)
	if len(rects) == 0 {
		return 0, 0, 0, 0, false
	}
	off := v.scroll.Offset
	first, last := rects[0], rects[len(rects)-1]
	x0, y0, _, _ := toView(v.places[first.page], v.pages[first.page], first.Box)
	_, _, x1, y1 := toView(v.places[last.page], v.pages[last.page], last.Box)
	top, bottom = y0-off.Y, y1-off.Y
	size := v.scroll.Size()
	if bottom < 0 || top > size.Height {
		return 0, 0, 0, 0, false
	}
	return top, bottom, x0 - off.X, x1 - off.X, true
}

// relayout places the pages for the view's width, when it changed.
func (v *View) relayout() {
	w := v.scroll.Size().Width
	if w == v.placedW && len(v.places) == len(v.pages) {
		return
	}
	v.placedW = w
	v.places, v.contentW, v.contentH = placePages(v.pages, w, v.zoom, pad, gap)
	v.content.Resize(fyne.NewSize(v.contentW, v.contentH))
	v.scroll.Refresh()
}

// Layout of the pages, in units.
const (
	pad = 12
	gap = 12
)

func (v *View) scrolled() {
	v.content.Refresh()
	if v.OnScrolled != nil {
		v.OnScrolled()
	}
}

// wordAt returns the word (letters, digits and joiners within it) around
// the rune at offset, or that rune alone.
func (v *View) wordAt(off int) (int, int) {
	if off < 0 || off >= len(v.text) {
		return off, off
	}
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || r == '_' }
	if !isWord(v.text[off]) {
		return off, off + 1
	}
	s, e := off, off+1
	for s > 0 && (isWord(v.text[s-1]) || strings.ContainsRune("'’-", v.text[s-1]) && s > 1 && isWord(v.text[s-2])) {
		s--
	}
	for e < len(v.text) && (isWord(v.text[e]) || strings.ContainsRune("'’-", v.text[e]) && e+1 < len(v.text) && isWord(v.text[e+1])) {
		e++
	}
	return s, e
}

// CreateRenderer shows the scroll area.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	return &viewRenderer{v: v}
}

type viewRenderer struct{ v *View }

func (r *viewRenderer) Layout(size fyne.Size) {
	r.v.scroll.Resize(size)
	r.v.relayout()
	r.v.content.Refresh()
}
func (r *viewRenderer) MinSize() fyne.Size           { return fyne.NewSize(100, 100) }
func (r *viewRenderer) Refresh()                     { r.v.content.Refresh() }
func (r *viewRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.v.scroll} }
func (r *viewRenderer) Destroy()                     { r.v.images.reset() }

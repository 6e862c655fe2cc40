package textview

import (
	"image/color"
	"math"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Declare conformity with interfaces.
var (
	_ fyne.Widget       = (*View)(nil)
	_ fyne.Focusable    = (*View)(nil)
	_ fyne.Shortcutable = (*View)(nil)
)

const (
	// textScale enlarges the theme's text size for reading.
	textScale = 1.15
	// columnChars is the measure of the text column, in average characters.
	columnChars = 76
	// sampleText gives the average character width for the column measure.
	sampleText = "The quick brown fox jumps over the lazy dog, and then it sleeps. "
)

// Highlight is a coloured rune range [Start, End). Color is painted as it
// is, behind the text: give a translucent colour, so that the text stays
// legible and overlapping highlights blend.
type Highlight struct {
	Start, End int
	Color      color.Color
	ID         string
}

// Mark is a range [Start, End) found in the text (see SetMarks); Current
// is the one the reader is on.
type Mark struct {
	Start, End int
	Current    bool
}

// View shows a long text, wrapped, with painted highlights and a selection.
// Create it with New.
type View struct {
	widget.BaseWidget

	// OnSelectionChanged is called with the ordered selection when it
	// changes (start == end for an empty selection, the caret).
	OnSelectionChanged func(start, end int)
	// OnHighlightTapped is called with the ID of the topmost highlight under
	// a click that did not drag.
	OnHighlightTapped func(id string)
	// OnKey gets the keys the view does not handle itself (e.g. "1"-"8",
	// Return, Delete, Escape); it returns true if it handled the key.
	// Escape, if not handled, collapses the selection.
	OnKey func(ev *fyne.KeyEvent) bool
	// OnRune gets every typed rune (e.g. '1'..'8', '/'); it returns true if
	// it handled the rune.
	OnRune func(r rune) bool
	// OnScrolled is called after the text scrolled, by the reader or by
	// the view itself (so that things placed over the view can follow).
	OnScrolled func()

	text   string
	nRunes int
	hl     []Highlight
	marks  []Mark

	anchor, cursor     int // the selection: anchor is fixed, cursor moves
	notified           [2]int
	preferX            float32 // x kept across Up/Down moves
	hasPreferX         bool
	focused, shiftDown bool

	meas   *measurer
	met    metrics
	metOK  bool
	lay    *layout
	layGen int
	geoms  map[int]*lineGeom // exact geometry of lines, by index in lay.lines

	pendingScroll int // offset to scroll to once laid out, or -1

	scroll  *container.Scroll
	content *content
}

// metrics are the sizes derived from the theme.
type metrics struct {
	textSize float32
	textH    float32 // height of the text itself
	lineH    float32 // line pitch
	gapH     float32 // height of a blank line
	pad      float32 // around the column
	maxColW  float32 // widest column
	spaceW   float32
}

// layout is the text wrapped at one width.
type layout struct {
	lines  []line
	spec   wrapSpec
	width  float32 // the view width it was made for
	met    metrics // and the metrics
	colX   float32
	height float32 // of the whole document, padding included
	gen    int
}

// New returns an empty view.
func New() *View {
	v := &View{meas: newMeasurer(), pendingScroll: -1}
	v.content = newContent(v)
	v.scroll = container.NewVScroll(v.content)
	v.scroll.OnScrolled = func(fyne.Position) { v.scrolled() }
	v.ExtendBaseWidget(v)
	return v
}

// SetText replaces the text, clears the selection and scrolls to the top.
func (v *View) SetText(text string) {
	v.text = text
	v.nRunes = utf8.RuneCountInString(text)
	v.lay, v.geoms = nil, nil // no place to keep in a new text
	v.marks = nil
	v.anchor, v.cursor, v.hasPreferX = 0, 0, false
	v.pendingScroll = -1
	v.scroll.Offset = fyne.Position{}
	v.scroll.Refresh() // new height, and a full repaint of the content
	v.notify()
}

// Text returns the text.
func (v *View) Text() string {
	return v.text
}

// SetHighlights replaces the painted ranges. The slice is copied; later
// highlights are drawn over earlier ones. Highlights are told apart by ID.
func (v *View) SetHighlights(hs []Highlight) {
	v.hl = append([]Highlight(nil), hs...)
	v.content.decorationsChanged()
}

// PutHighlights adds highlights, or replaces those with the same IDs, and
// draws them over the others. Only when one of them (or what it replaces)
// touches the visible lines is anything repainted.
func (v *View) PutHighlights(hs ...Highlight) {
	dirty := false
	for _, h := range hs {
		if i := v.highlightIndex(h.ID); i >= 0 {
			dirty = dirty || v.rangeVisible(v.hl[i].Start, v.hl[i].End)
			v.hl = append(v.hl[:i], v.hl[i+1:]...)
		}
		v.hl = append(v.hl, h)
		dirty = dirty || v.rangeVisible(h.Start, h.End)
	}
	if dirty {
		v.content.decorationsChanged()
	}
}

// RemoveHighlights takes the highlights with these IDs away, repainting
// only when one of them was visible.
func (v *View) RemoveHighlights(ids ...string) {
	dirty := false
	for _, id := range ids {
		if i := v.highlightIndex(id); i >= 0 {
			dirty = dirty || v.rangeVisible(v.hl[i].Start, v.hl[i].End)
			v.hl = append(v.hl[:i], v.hl[i+1:]...)
		}
	}
	if dirty {
		v.content.decorationsChanged()
	}
}

// SetMarks frames ranges of the text, sorted by Start and not overlapping
// (the matches of a find), over the highlights and under the selection;
// the current one is filled. nil takes them away.
func (v *View) SetMarks(ms []Mark) {
	v.marks = append([]Mark(nil), ms...)
	v.content.decorationsChanged()
}

// ScrollFraction is how far down the text the view is scrolled, from 0 (the
// top shows) to 1 (the end shows), and whether the text is longer than the
// view at all.
func (v *View) ScrollFraction() (fraction float32, scrolls bool) {
	lay := v.lay
	if lay == nil {
		return 0, false
	}
	room := lay.height - v.scroll.Size().Height
	if room <= 0 {
		return 0, false
	}
	return min(1, max(0, v.scroll.Offset.Y/room)), true
}

// Highlights returns a copy of the painted ranges, bottom first.
func (v *View) Highlights() []Highlight {
	return append([]Highlight(nil), v.hl...)
}

// highlightIndex returns the index in hl of the highlight with that ID, or
// -1. Highlights changed last are searched first: they sit at the end.
func (v *View) highlightIndex(id string) int {
	for i := len(v.hl) - 1; i >= 0; i-- {
		if v.hl[i].ID == id {
			return i
		}
	}
	return -1
}

// rangeVisible reports whether [start, end) touches the lines the content
// draws (the visible ones and a margin); with no drawing yet, nothing is.
func (v *View) rangeVisible(start, end int) bool {
	r := v.content.rend
	lay := v.lay
	if r == nil || lay == nil || lay.gen != r.gen || r.last < r.first {
		return false
	}
	from, to := int(lay.lines[r.first].start), int(lay.lines[r.last].end)+1
	return start < to && end > from
}

// Selection returns the selected range, ordered; start == end when nothing
// is selected (that is the caret).
func (v *View) Selection() (start, end int) {
	return ordered(v.anchor, v.cursor)
}

// SetSelection selects [start, end) (clamped to the text; start > end puts
// the cursor at the start) and notifies OnSelectionChanged if it changed.
func (v *View) SetSelection(start, end int) {
	v.hasPreferX = false
	v.setSelection(start, end)
}

// SelectedText returns the selected text.
func (v *View) SelectedText() string {
	s, e := v.Selection()
	if s == e {
		return ""
	}
	lines := v.linesForOffsets()
	return v.text[byteOffset(v.text, lines, s):byteOffset(v.text, lines, e)]
}

// ScrollToOffset scrolls so that the line holding offset is in the middle
// of the view (as far as the ends of the text allow). Before the view has a
// size, it remembers the offset and scrolls when it gets one.
func (v *View) ScrollToOffset(offset int) {
	lay := v.currentLayout()
	h := v.scroll.Size().Height
	if lay == nil || h <= 0 {
		v.pendingScroll = offset
		return
	}
	v.pendingScroll = -1
	i := lineOf(lay.lines, v.clamp(offset))
	mid := (lay.lines[i].y + lineBottom(lay.lines, i, lay.spec)) / 2
	v.scrollTo(mid - h/2)
}

// SelectionBounds returns, relative to the view, the top of the selection's
// first line, the bottom of its last line, and the x of its start (on the
// first line) and of its end (on the last): where a popup can go without
// covering the selected lines. It returns false when nothing is selected
// or the view is not laid out.
func (v *View) SelectionBounds() (top, bottom, startX, endX float32, ok bool) {
	s, e := v.Selection()
	lay := v.currentLayout()
	if s == e || lay == nil {
		return 0, 0, 0, 0, false
	}
	first, last := lineOf(lay.lines, s), lineOfEnd(lay.lines, e)
	off := v.scroll.Offset.Y
	top = lay.lines[first].y - off
	bottom = lineBottom(lay.lines, last, lay.spec) - off
	startX = lay.colX + v.geom(first).x(s-int(lay.lines[first].start), v.meas.width)
	endX = lay.colX + v.geom(last).x(e-int(lay.lines[last].start), v.meas.width)
	return top, bottom, startX, endX, true
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (v *View) CreateRenderer() fyne.WidgetRenderer {
	v.ExtendBaseWidget(v)
	return &viewRenderer{view: v, objects: []fyne.CanvasObject{v.scroll}}
}

// clamp clamps a rune offset to the text.
func (v *View) clamp(off int) int {
	return min(max(off, 0), v.nRunes)
}

// ensureMetrics reads the sizes from the theme; a change of text size
// drops the measure cache and the layout.
func (v *View) ensureMetrics() {
	if v.metOK {
		return
	}
	th := v.Theme()
	size := th.Size(theme.SizeNameText) * textScale
	if size != v.meas.size {
		v.meas.reset(size)
	}
	textH := v.meas.height()
	lineH := float32(math.Ceil(float64(max(textH+2, size*1.55))))
	avg := v.meas.width(sampleText) / float32(utf8.RuneCountInString(sampleText))
	v.met = metrics{
		textSize: size,
		textH:    textH,
		lineH:    lineH,
		gapH:     float32(math.Round(float64(lineH) * 0.6)),
		pad:      th.Size(theme.SizeNameInnerPadding) * 2,
		maxColW:  float32(math.Ceil(float64(avg * columnChars))),
		spaceW:   v.meas.width(" "),
	}
	v.metOK = true
}

// layoutFor returns the layout for a view of the given width, wrapping the
// text again if the width, the text or the theme's sizes changed.
func (v *View) layoutFor(width float32) *layout {
	if width <= 0 {
		return nil
	}
	v.ensureMetrics()
	if v.lay != nil && v.lay.width == width && v.lay.met == v.met {
		return v.lay
	}
	m := v.met
	colW := min(m.maxColW, width-2*m.pad)
	colW = max(colW, 4*m.textSize) // a very narrow view still gets a few characters
	spec := wrapSpec{width: colW, lineH: m.lineH, gapH: m.gapH, top: m.pad, breakGap: m.gapH}
	lines := wrap(v.text, spec, v.meas.advance)
	last := len(lines) - 1
	if old := v.lay; old != nil && v.scroll.Offset.Y > 0 {
		// Keep the reader's place: the line at the top of the view stays
		// there after the text wraps anew (a resize, a new text size).
		top := lineAtY(old.lines, v.scroll.Offset.Y)
		into := v.scroll.Offset.Y - old.lines[top].y
		v.scroll.Offset.Y = lines[lineOf(lines, int(old.lines[top].start))].y + into
	}
	v.layGen++
	v.lay = &layout{
		lines:  lines,
		spec:   spec,
		width:  width,
		met:    m,
		colX:   float32(math.Round(float64(max((width-colW)/2, m.pad)))),
		height: lineBottom(lines, last, spec) + m.pad,
		gen:    v.layGen,
	}
	v.geoms = nil
	return v.lay
}

// currentLayout returns the layout for the view's current width, or nil
// before the view has a size.
func (v *View) currentLayout() *layout {
	return v.layoutFor(v.Size().Width)
}

// linesForOffsets returns lines to convert offsets with: the current layout's,
// or, before there is one, the text's hard lines (any wrap converts alike).
func (v *View) linesForOffsets() []line {
	if lay := v.currentLayout(); lay != nil {
		return lay.lines
	}
	return wrap(v.text, wrapSpec{width: float32(math.Inf(1))}, func(rune) float32 { return 0 })
}

// geom returns the exact geometry of line i of the current layout.
func (v *View) geom(i int) *lineGeom {
	if g, ok := v.geoms[i]; ok {
		return g
	}
	if v.geoms == nil || len(v.geoms) > 1024 {
		v.geoms = make(map[int]*lineGeom)
	}
	ln := v.lay.lines[i]
	g := newLineGeom(v.text[ln.bstart:ln.bend], v.meas.width)
	v.geoms[i] = g
	return g
}

// hit returns, for a point in content coordinates, the caret offset nearest
// to it and the rune under it (-1 when the point is not over text).
func (v *View) hit(p fyne.Position) (caret, under int) {
	lay := v.currentLayout()
	if lay == nil {
		return 0, -1
	}
	lines := lay.lines
	if p.Y < lines[0].y {
		return 0, -1
	}
	i := lineAtY(lines, p.Y)
	if i == len(lines)-1 && p.Y >= lineBottom(lines, i, lay.spec) {
		return v.nRunes, -1
	}
	ln := lines[i]
	g := v.geom(i)
	c, u := g.hit(p.X-lay.colX, v.meas.width)
	if c == g.runes && c > 0 && !hardEnd(lines, i) {
		// Past the end of a soft-wrapped line: stay before its trailing
		// space, on this line, rather than at the start of the next.
		if r, _ := utf8.DecodeLastRuneInString(g.text); isBreakSpace(r) {
			c--
		}
	}
	if u >= 0 {
		u += int(ln.start)
	}
	return int(ln.start) + c, u
}

// scrollTo scrolls the content so that y is at the top of the view.
func (v *View) scrollTo(y float32) {
	lay := v.currentLayout()
	if lay == nil {
		return
	}
	y = min(y, lay.height-v.scroll.Size().Height)
	y = max(y, 0)
	if y == v.scroll.Offset.Y {
		return
	}
	v.scroll.ScrollToOffset(fyne.NewPos(0, y))
	v.scrolled()
}

// scrolled updates the lines drawn after a scroll and tells OnScrolled.
func (v *View) scrolled() {
	v.content.viewportChanged()
	if v.OnScrolled != nil {
		v.OnScrolled()
	}
}

// scrollIntoView scrolls as little as needed to show the line holding off.
func (v *View) scrollIntoView(off int, upstream bool) {
	lay := v.currentLayout()
	if lay == nil {
		return
	}
	i := lineOf(lay.lines, off)
	if upstream {
		i = lineOfEnd(lay.lines, off)
	}
	top := lay.lines[i].y
	bottom := lineBottom(lay.lines, i, lay.spec)
	h := v.scroll.Size().Height
	switch {
	case top < v.scroll.Offset.Y:
		v.scrollTo(top - v.met.pad)
	case bottom > v.scroll.Offset.Y+h:
		v.scrollTo(bottom + v.met.pad - h)
	}
}

// requestFocus gives the view the keyboard focus.
func (v *View) requestFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil && c.Focused() != v {
		c.Focus(v)
	}
}

// minSize is room for a few short lines.
func (v *View) minSize() fyne.Size {
	v.ensureMetrics()
	return fyne.NewSize(12*v.met.textSize, 3*v.met.lineH)
}

// viewRenderer lays the scroll container out; the content widget inside it
// does the drawing.
type viewRenderer struct {
	view    *View
	objects []fyne.CanvasObject
}

func (r *viewRenderer) Destroy() {}

func (r *viewRenderer) Layout(size fyne.Size) {
	r.view.scroll.Move(fyne.NewPos(0, 0))
	r.view.scroll.Resize(size)
}

func (r *viewRenderer) MinSize() fyne.Size {
	return r.view.minSize()
}

func (r *viewRenderer) Objects() []fyne.CanvasObject {
	return r.objects
}

// Refresh re-reads the theme (a theme change may change the text size, and
// so the layout) and refreshes the content.
func (r *viewRenderer) Refresh() {
	r.view.metOK = false
	r.view.scroll.Refresh()
}

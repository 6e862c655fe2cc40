package textview

import (
	"image/color"
	"math"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/app/textflow"
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
	// Background runs a picture's Load off the UI goroutine (the result
	// comes back through fyne.Do); nil starts a goroutine. A program's
	// tests may run it in place: Fyne's test driver runs fyne.Do at once,
	// on the calling goroutine, so a load on a goroutine of its own would
	// race the test's drawing. Run in place, a load started while the
	// view draws is drawn in that same pass.
	Background func(fn func())
	// OnScrolled is called after the text scrolled, by the reader or by
	// the view itself (so that things placed over the view can follow).
	OnScrolled func()
	// OnLinkTapped is called with the Href of the link under a Ctrl+click
	// (Cmd+click) that did not drag. A plain click on a link selects, as
	// anywhere else.
	OnLinkTapped func(href string)

	text   string
	nRunes int
	style  *styled // nil for an unstyled text
	hl     []Highlight
	marks  []Mark

	anchor, cursor     int // the selection: anchor is fixed, cursor moves
	notified           [2]int
	preferX            float32 // x kept across Up/Down moves
	hasPreferX         bool
	focused, shiftDown bool

	meas   *measurer
	fw     fontWidth // meas.widthIn
	met    metrics
	metOK  bool
	lay    *layout
	layGen int
	geoms  map[int]*lineGeom // exact geometry of lines, by index in lay.lines
	// paras are the bidi analyses of the hard lines around the lines
	// drawn or measured, by the index of their first line in lay.lines;
	// nil for a paragraph that needs none (left to right, no
	// right-to-left text: every Latin one). Dropped with geoms.
	paras map[int]*textflow.Paragraph

	pendingScroll int // offset to scroll to once laid out, or -1

	pics   []Picture        // sorted by At
	loads  map[int]*picLoad // the pictures loaded or loading, by index in pics
	picGen int              // counts the texts, so that a late load is dropped
	// pictureLoaded, when set (by tests), is called on the UI goroutine
	// after a picture's Load returned and the result was drawn.
	pictureLoaded func(k int)

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
	fonts  []fontID  // of each look of a styled text
	cls    []uint16  // of each line of a styled text (see spec.classes)
	plain  lineClass // the class of an unstyled text's lines
	width  float32   // the view width it was made for
	met    metrics   // and the metrics
	colX   float32
	pics   []picBox // where the pictures go, in the order of View.pics
	viewH  float32  // the view height the pictures were sized for
	height float32  // of the whole document, padding included
	gen    int      // from 1 up; -1 once retired (see ensureMetrics)
}

// New returns an empty view.
func New() *View {
	v := &View{meas: newMeasurer(), pendingScroll: -1}
	v.fw = v.meas.widthIn
	v.content = newContent(v)
	v.scroll = container.NewVScroll(v.content)
	v.scroll.OnScrolled = func(fyne.Position) { v.scrolled() }
	v.ExtendBaseWidget(v)
	return v
}

// SetText replaces the text, unstyled, clears the selection and scrolls to
// the top. It is SetStyledText(text, Style{}).
func (v *View) SetText(text string) {
	v.SetStyledText(text, Style{})
}

// SetStyledText replaces the text and its style, clears the selection and
// scrolls to the top. The style is resolved here (the slices are not kept);
// ranges outside the text are clamped.
func (v *View) SetStyledText(text string, st Style) {
	v.text = text
	v.nRunes = utf8.RuneCountInString(text)
	v.style = resolveStyle(text, st)
	v.pics = sortedPictures(st.Pictures, v.nRunes)
	v.loads = nil
	v.picGen++
	v.lay, v.geoms, v.paras = nil, nil, nil // no place to keep in a new text
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

// LinkAt returns the Href of the innermost link holding rune offset
// offset, and whether there is one (e.g. for a context menu).
func (v *View) LinkAt(offset int) (href string, ok bool) {
	if v.style == nil || offset < 0 {
		return "", false
	}
	l, ok := v.style.linkAt(offset)
	return l.Href, ok
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
	mid := (lay.lines[i].y + lay.bottom(i)) / 2
	v.scrollTo(mid - h/2)
}

// ScrollToTop scrolls so that the line holding offset is at the top of the
// view (as far as the end of the text allows): where a chosen heading
// goes. Before the view has a size it does what ScrollToOffset does.
func (v *View) ScrollToTop(offset int) {
	lay := v.currentLayout()
	if lay == nil || v.scroll.Size().Height <= 0 {
		v.ScrollToOffset(offset)
		return
	}
	v.pendingScroll = -1
	i := lineOf(lay.lines, v.clamp(offset))
	v.scrollTo(lay.lines[i].y - v.met.pad)
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
	bottom = lay.bottom(last) - off
	startX = lay.colX + v.geom(first).xIn(s-int(lay.lines[first].start), v.fw)
	endX = lay.colX + v.geom(last).xIn(e-int(lay.lines[last].start), v.fw)
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
		// The layout and the line geometries name fonts just dropped:
		// neither is drawn, measured or reused again (a layout of
		// generation -1 is retired). The layout's lines still keep the
		// reader's place when layoutFor wraps the text anew.
		v.geoms, v.paras = nil, nil
		if v.lay != nil {
			v.lay.gen = -1
		}
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

// Proportions of the line classes, relative to the body text's metrics.
const (
	// headingLeading is a heading's line height relative to its text
	// size: tighter than the body's, as headings are short and large.
	headingLeading = 1.3
	// codeLeading is a code block's line height relative to its text size.
	codeLeading = 1.45
	// quoteStep is the indentation per quote level, in body text sizes.
	quoteStep = 1.15
	// codePad is the padding inside a code block's ground, in body text
	// sizes.
	codePad = 0.6
)

// headingAbove is the space above a heading of each level, in body lines:
// more than below it, so that a heading sits with the text it introduces.
var headingAbove = [7]float32{0, 0.8, 0.65, 0.5, 0.4, 0.4, 0.4}

// classMetrics returns the layout of the lines of class k in a column colW
// wide, from the theme's metrics.
func (v *View) classMetrics(k classKey, colW float32) lineClass {
	m := v.met
	size := m.textSize
	var style fyne.TextStyle
	switch {
	case k.heading > 0:
		style.Bold = true
		if k.heading <= 3 {
			size *= sizeScale[sizeH1+k.heading-1]
		}
		if k.code {
			style.Monospace = true
		}
	case k.code:
		style.Monospace = true
		size *= sizeScale[sizeCode]
	case k.caption:
		style.Italic = true
		size *= sizeScale[sizeCaption]
	}
	f := v.meas.font(size, style)
	c := lineClass{
		lineH:    m.lineH,
		gapH:     m.gapH,
		font:     f,
		textSize: size,
		textH:    v.meas.heightIn(f),
		ascent:   v.meas.ascentIn(f),
		quote:    k.quote,
		code:     k.code,
		item:     k.item,
		row:      k.row,
	}
	leading := func(r float32) float32 {
		return float32(math.Ceil(float64(max(c.textH+2, size*r))))
	}
	switch {
	case k.heading > 0:
		c.lineH = leading(headingLeading)
		c.above = float32(math.Round(float64(m.lineH * headingAbove[k.heading])))
	case k.code:
		c.lineH = leading(codeLeading)
		c.gapH = c.lineH // a blank line in code is a line
		c.noBreakGap = true
	case size != m.textSize:
		c.lineH = leading(m.lineH / m.textSize)
	}
	// Quotes indent by a step per level, a code block by its padding; at
	// most a third of the column goes to indentation.
	step := float32(math.Round(float64(m.textSize * quoteStep)))
	c.indent = min(float32(k.quote)*step, float32(math.Floor(float64(colW/3))))
	c.box = c.indent
	if k.code {
		pad := float32(math.Round(float64(m.textSize * codePad)))
		c.indent += pad
		c.right = pad
	}
	c.noBreakGap = c.noBreakGap || k.row
	return c
}

// layoutFor returns the layout for a view of the given width, wrapping the
// text again if the width, the text or the theme's sizes changed.
func (v *View) layoutFor(width float32) *layout {
	if width <= 0 {
		return nil
	}
	v.ensureMetrics()
	viewH := float32(0)
	if len(v.pics) > 0 {
		viewH = v.Size().Height
	}
	if v.lay != nil && v.lay.gen > 0 && v.lay.width == width && v.lay.met == v.met && v.lay.viewH == viewH {
		return v.lay
	}
	m := v.met
	colW := min(m.maxColW, width-2*m.pad)
	colW = max(colW, 4*m.textSize) // a very narrow view still gets a few characters
	spec := wrapSpec{width: colW, lineH: m.lineH, gapH: m.gapH, top: m.pad, breakGap: m.gapH}
	var lines []line
	var fonts []fontID
	var classes []uint16
	if st := v.style; st != nil {
		fonts = make([]fontID, len(st.looks))
		for i, lk := range st.looks {
			fonts[i] = v.meas.font(m.textSize*sizeScale[lk.size], lk.style)
		}
		spec.classes = make([]lineClass, len(st.classes))
		for i, ck := range st.classes {
			spec.classes[i] = v.classMetrics(ck, colW)
		}
		lines, classes = wrapStyled(v.text, spec, st.runs, fonts, v.meas.advanceIn)
	} else {
		lines = wrap(v.text, spec, v.meas.advance)
	}
	last := len(lines) - 1
	colX := float32(math.Round(float64(max((width-colW)/2, m.pad))))
	var boxes []picBox
	if len(v.pics) > 0 {
		maxH := float32(math.Inf(1))
		if viewH > 0 {
			maxH = float32(math.Floor(float64(viewH * pictureMaxH)))
		}
		boxes = placePictures(lines, v.pics, colX, colW, maxH, m.lineH, float32(math.Round(float64(m.gapH)/2)))
	}
	if old := v.lay; old != nil && v.scroll.Offset.Y > 0 {
		// Keep the reader's place: the line at the top of the view stays
		// there after the text wraps anew (a resize, a new text size).
		top := lineAtY(old.lines, v.scroll.Offset.Y)
		into := v.scroll.Offset.Y - old.lines[top].y
		v.scroll.Offset.Y = lines[lineOf(lines, int(old.lines[top].start))].y + into
	}
	v.layGen++
	v.lay = &layout{
		lines: lines,
		spec:  spec,
		fonts: fonts,
		cls:   classes,
		plain: lineClass{lineH: m.lineH, gapH: m.gapH, textSize: m.textSize, textH: m.textH, ascent: v.meas.ascentIn(0)},
		width: width,
		met:   m,
		colX:  colX,
		pics:  boxes,
		viewH: viewH,
		gen:   v.layGen,
	}
	v.lay.height = v.lay.bottom(last) + m.pad
	v.geoms, v.paras = nil, nil
	return v.lay
}

// class returns the class of line i.
func (lay *layout) class(i int) *lineClass {
	if lay.cls == nil {
		return &lay.plain
	}
	return &lay.spec.classes[lay.cls[i]]
}

// bottom returns the y just below line i.
func (lay *layout) bottom(i int) float32 {
	c := lay.class(i)
	if lay.lines[i].blank() {
		return lay.lines[i].y + c.gapH
	}
	return lay.lines[i].y + c.lineH
}

// font returns the font of a look.
func (lay *layout) font(look uint16) fontID {
	if lay.fonts == nil {
		return 0
	}
	return lay.fonts[look]
}

// lineLook returns the look of line i's first rune, and whether the whole
// line is in it.
func (v *View) lineLook(lay *layout, i int) (look uint16, one bool) {
	st := v.style
	if st == nil {
		return 0, true
	}
	ln := lay.lines[i]
	k := st.runAt(int(ln.start))
	look = st.runs[k].look
	for k++; k < len(st.runs) && int(st.runs[k].start) < int(ln.end); k++ {
		if st.runs[k].look != look {
			return look, false
		}
	}
	return look, true
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
	lay := v.lay
	ln := lay.lines[i]
	text := v.text[ln.bstart:ln.bend]
	var g *lineGeom
	if p, first := v.paragraph(i); p != nil {
		g = v.flowGeom(i, p, int(lay.lines[first].start))
	} else if st := v.style; st == nil {
		g = buildLineGeom(text, nil, nil, 0, 0, v.fw)
	} else {
		var cuts []geomCut
		for k := st.runAt(int(ln.start)); k < len(st.runs) && int(st.runs[k].start) < int(ln.end); k++ {
			cuts = append(cuts, geomCut{at: max(int(st.runs[k].start)-int(ln.start), 0), look: st.runs[k].look})
		}
		c := lay.class(i)
		left, tabW := c.indent, float32(0)
		if c.item && i > 0 && !hardEnd(lay.lines, i-1) {
			left += v.hang(i)
		}
		if c.row {
			first, last := v.hardLine(i)
			tabW = rowTab(v.text[lay.lines[first].bstart:lay.lines[last].bend], lay.spec.width-c.indent-c.right)
		}
		g = buildLineGeom(text, cuts, lay.fonts, left, tabW, v.fw)
	}
	v.geoms[i] = g
	return g
}

// lineCuts returns where the look changes on line i of a styled text,
// relative to the line's start (the first at 0); nil for an unstyled text.
func (v *View) lineCuts(i int) []geomCut {
	st := v.style
	if st == nil {
		return nil
	}
	ln := v.lay.lines[i]
	var cuts []geomCut
	for k := st.runAt(int(ln.start)); k < len(st.runs) && int(st.runs[k].start) < int(ln.end); k++ {
		cuts = append(cuts, geomCut{at: max(int(st.runs[k].start)-int(ln.start), 0), look: st.runs[k].look})
	}
	return cuts
}

// paragraph returns the bidi analysis of the hard line holding line i, and
// the index of its first line, or nil when the hard line needs none: it is
// left to right and has no right-to-left text (see textflow.HasRTL). Such
// lines keep the plain geometry of runs.
func (v *View) paragraph(i int) (*textflow.Paragraph, int) {
	lay := v.lay
	first, last := v.hardLine(i)
	if p, ok := v.paras[first]; ok {
		return p, first
	}
	if v.paras == nil || len(v.paras) > 1024 {
		v.paras = make(map[int]*textflow.Paragraph)
	}
	pt := v.text[lay.lines[first].bstart:lay.lines[last].bend]
	var p *textflow.Paragraph
	if rtl := textflow.Direction(pt); rtl || textflow.HasRTL(pt) {
		p = textflow.Analyze(pt, rtl)
	}
	v.paras[first] = p
	return p, first
}

// flowGeom lays out line i of the bidi paragraph p, which starts at rune
// offset pstart. Its text starts at the line class's indentation, and a
// right-to-left one ends at the column's right (less the class's room
// there). List items' wrapped lines do not hang and tabs are not stops in
// bidi paragraphs.
func (v *View) flowGeom(i int, p *textflow.Paragraph, pstart int) *lineGeom {
	lay := v.lay
	ln := lay.lines[i]
	c := lay.class(i)
	runs := p.Line(int(ln.start)-pstart, int(ln.end)-pstart)
	avail := lay.spec.width - c.indent - c.right
	return newFlowGeom(v.text[ln.bstart:ln.bend], p.RTL(), runs, v.lineCuts(i), lay.fonts, c.indent, avail, v.fw)
}

// hardLine returns the first and the last visual line of the hard line
// (the text between two '\n') that holds line i.
func (v *View) hardLine(i int) (first, last int) {
	lines := v.lay.lines
	first, last = i, i
	for first > 0 && !hardEnd(lines, first-1) {
		first--
	}
	for !hardEnd(lines, last) {
		last++
	}
	return first, last
}

// hang returns how far the wrapped lines of the list item holding line i
// are indented past the item's own indentation: the exact width of its
// marker, when the wrap made room for it.
func (v *View) hang(i int) float32 {
	lay := v.lay
	first, last := v.hardLine(i)
	c := lay.class(first)
	width := lay.spec.width - c.indent - c.right
	s := v.text[lay.lines[first].bstart:lay.lines[last].bend]
	f := lay.fonts[v.style.runs[v.style.runAt(int(lay.lines[first].start))].look]
	runes, est := itemHang(s, func(r rune) float32 { return v.meas.advanceIn(f, r) })
	if runes == 0 || est >= width/2 {
		return 0
	}
	g := v.geom(first)
	return g.xIn(runes, v.fw) - g.left
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
	if i == len(lines)-1 && p.Y >= lay.bottom(i) {
		return v.nRunes, -1
	}
	ln := lines[i]
	g := v.geom(i)
	c, u := g.hitIn(p.X-lay.colX, v.fw)
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
	bottom := lay.bottom(i)
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

package textview

import (
	"image/color"
	"math"
	"sort"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
)

// caretWidth is the width of the caret bar.
const caretWidth = 2

// contentRenderer draws the visible lines of the content: one canvas.Text
// per visible line (plus a margin), and rectangles for highlights, their
// overlaps, the selection and the caret. Text objects are kept per line
// while the line stays visible, so a scroll only sets up the lines that come
// into view; rectangles are recomputed for the visible lines on every
// change, which is cheap.
type contentRenderer struct {
	c *content

	// bg is transparent; refreshing it marks the canvas dirty without
	// making Fyne re-rasterise the texts (refreshing the widget would).
	bg *canvas.Rectangle

	texts     map[int]*canvas.Text // by line index
	freeTexts []*canvas.Text
	gen       int // layout generation the texts belong to

	rects  []*canvas.Rectangle // pool; the first nRects are in use
	nRects int

	first, last int // visible line range, inclusive; last < first when none
	objects     []fyne.CanvasObject

	fg, sel, caret color.Color

	// painted counts the repaints of the decorations (for tests).
	painted int
}

func newContentRenderer(c *content) *contentRenderer {
	r := &contentRenderer{
		c:     c,
		bg:    canvas.NewRectangle(color.Transparent),
		texts: make(map[int]*canvas.Text),
		last:  -1,
	}
	r.readTheme()
	r.update(false)
	return r
}

func (r *contentRenderer) Destroy() {
	if r.c.rend == r {
		r.c.rend = nil
	}
}

func (r *contentRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	lay := r.c.view.layoutFor(size.Width)
	if lay != nil && r.c.view.pendingScroll >= 0 && r.c.view.scroll.Size().Height > 0 {
		r.c.view.ScrollToOffset(r.c.view.pendingScroll)
	}
	r.update(false)
}

func (r *contentRenderer) MinSize() fyne.Size {
	return r.c.MinSize()
}

func (r *contentRenderer) Objects() []fyne.CanvasObject {
	return r.objects
}

// Refresh re-reads the theme colours and redraws every visible line.
func (r *contentRenderer) Refresh() {
	r.readTheme()
	r.update(true)
}

func (r *contentRenderer) readTheme() {
	th := r.c.view.Theme()
	variant := fyne.CurrentApp().Settings().ThemeVariant()
	r.fg = th.Color(theme.ColorNameForeground, variant)
	r.sel = th.Color(theme.ColorNameSelection, variant)
	r.caret = th.Color(theme.ColorNamePrimary, variant)
}

// update brings the text objects in line with the visible part of the
// document, then redraws the decorations. With all, every visible text is
// refreshed (theme change); otherwise only lines that came into view are.
func (r *contentRenderer) update(all bool) {
	v := r.c.view
	lay := v.layoutFor(r.c.Size().Width)
	if lay == nil {
		r.releaseTexts(0, -1)
		r.first, r.last = 0, -1
		r.decorate()
		return
	}
	if lay.gen != r.gen {
		r.releaseTexts(0, -1)
		r.gen = lay.gen
	}
	top := v.scroll.Offset.Y
	h := max(v.scroll.Size().Height, 0)
	margin := h/4 + 2*lay.spec.lineH
	r.first = lineAtY(lay.lines, top-margin)
	r.last = lineAtY(lay.lines, top+h+margin)
	r.releaseTexts(r.first, r.last)

	m := v.met
	for i := r.first; i <= r.last; i++ {
		ln := lay.lines[i]
		if ln.blank() {
			continue
		}
		t, ok := r.texts[i]
		if ok && !all {
			continue
		}
		if !ok {
			t = r.takeText()
			r.texts[i] = t
		}
		t.Text = v.text[ln.bstart:ln.bend]
		t.TextSize = m.textSize
		t.Color = r.fg
		t.Move(fyne.NewPos(lay.colX, ln.y+(m.lineH-m.textH)/2))
		t.Resize(fyne.NewSize(lay.spec.width, m.textH))
		t.Refresh()
	}
	r.decorate()
}

// takeText returns a free text object, or a new one.
func (r *contentRenderer) takeText() *canvas.Text {
	if n := len(r.freeTexts); n > 0 {
		t := r.freeTexts[n-1]
		r.freeTexts = r.freeTexts[:n-1]
		return t
	}
	return canvas.NewText("", r.fg)
}

// releaseTexts frees the text objects of lines outside [first, last].
func (r *contentRenderer) releaseTexts(first, last int) {
	for i, t := range r.texts {
		if i < first || i > last {
			delete(r.texts, i)
			r.freeTexts = append(r.freeTexts, t)
		}
	}
}

// decorate recomputes the rectangles of the visible lines and rebuilds the
// object list.
func (r *contentRenderer) decorate() {
	r.painted++
	r.nRects = 0
	v := r.c.view
	if lay := v.lay; lay != nil && lay.gen == r.gen && r.last >= r.first {
		r.paintHighlights(lay)
		r.paintMarks(lay)
		r.paintSelection(lay)
	}

	r.objects = r.objects[:0]
	r.objects = append(r.objects, r.bg)
	for _, rect := range r.rects[:r.nRects] {
		r.objects = append(r.objects, rect)
	}
	for i := r.first; i <= r.last; i++ {
		if t, ok := r.texts[i]; ok {
			r.objects = append(r.objects, t)
		}
	}
	r.bg.Refresh()
}

// paintHighlights draws a translucent fill per highlight and line, and an
// underline in the topmost colour where highlights overlap.
func (r *contentRenderer) paintHighlights(lay *layout) {
	v := r.c.view
	if len(v.hl) == 0 {
		return
	}
	lines := lay.lines
	from, to := int(lines[r.first].start), int(lines[r.last].end)+1
	var visible []int // indexes of the highlights that touch the visible lines
	for i, h := range v.hl {
		if h.Start < to && h.End > from && h.Color != nil {
			visible = append(visible, i)
		}
	}
	if len(visible) == 0 {
		return
	}
	m := v.met
	var spans []span
	for i := r.first; i <= r.last; i++ {
		ln := lines[i]
		if ln.blank() {
			continue // a paragraph gap: only the selection marks it
		}
		hard := hardEnd(lines, i)
		spans = spans[:0]
		for _, hi := range visible {
			h := v.hl[hi]
			a, b, eol, ok := clip(ln, hard, h.Start, h.End)
			if !ok {
				continue
			}
			x0, x1 := r.span(lay, i, a, b, eol)
			r.rect(h.Color, x0, ln.y+(m.lineH-m.textH)/2, x1-x0, m.textH)
			spans = append(spans, span{a: a, b: b, layer: hi})
		}
		for _, o := range overlaps(spans) {
			x0, x1 := r.span(lay, i, o.a, o.b, false)
			thick := float32(max(2, math.Round(float64(m.textSize)/6)))
			r.rect(opaque(v.hl[o.layer].Color), x0, ln.y+(m.lineH+m.textH)/2-thick, x1-x0, thick)
		}
	}
}

// Colours of the marks (SetMarks): amber, which reads apart from the
// eight highlight colours and the selection in both themes; a light fill
// with a bar under it, and for the current one a strong fill in a frame.
var (
	markFrame       = color.NRGBA{R: 0xE0, G: 0x8A, B: 0x00, A: 0xff}
	markFill        = color.NRGBA{R: 0xFF, G: 0xB0, B: 0x20, A: 0x48}
	markCurrentFill = color.NRGBA{R: 0xFF, G: 0xA8, B: 0x00, A: 0x90}
)

// paintMarks paints the marks on the visible lines.
func (r *contentRenderer) paintMarks(lay *layout) {
	v := r.c.view
	if len(v.marks) == 0 {
		return
	}
	lines := lay.lines
	from, to := int(lines[r.first].start), int(lines[r.last].end)+1
	first := sort.Search(len(v.marks), func(i int) bool { return v.marks[i].End > from })
	m := v.met
	thick := float32(max(1, math.Round(float64(m.textSize)/12)))
	for _, mk := range v.marks[first:] {
		if mk.Start >= to {
			break
		}
		for i := max(r.first, lineOf(lines, mk.Start)); i <= r.last; i++ {
			ln := lines[i]
			if int(ln.start) >= mk.End {
				break
			}
			a, b, eol, ok := clip(ln, hardEnd(lines, i), mk.Start, mk.End)
			if !ok || ln.blank() {
				continue
			}
			x0, x1 := r.span(lay, i, a, b, eol)
			y, h := ln.y+(m.lineH-m.textH)/2, m.textH
			if !mk.Current {
				r.rect(markFill, x0, y, x1-x0, h)
				r.rect(markFrame, x0, y+h-2*thick, x1-x0, 2*thick)
				continue
			}
			r.rect(markCurrentFill, x0, y, x1-x0, h)
			r.rect(markFrame, x0, y, x1-x0, thick)
			r.rect(markFrame, x0, y+h-thick, x1-x0, thick)
			if a == mk.Start {
				r.rect(markFrame, x0, y, thick, h)
			}
			if b >= mk.End {
				r.rect(markFrame, x1-thick, y, thick, h)
			}
		}
	}
}

// paintSelection draws the selection over the visible lines, or the caret
// when the selection is empty and the view has the focus.
func (r *contentRenderer) paintSelection(lay *layout) {
	v := r.c.view
	lines := lay.lines
	s, e := v.Selection()
	if s == e {
		if !v.focused {
			return
		}
		i := lineOf(lines, s)
		if i < r.first || i > r.last {
			return
		}
		ln := lines[i]
		x := lay.colX + v.geom(i).x(s-int(ln.start), v.meas.width)
		h := v.met.textH
		if ln.blank() {
			h = v.met.gapH
		}
		r.rect(r.caret, x-caretWidth/2, ln.y+(lineBottom(lines, i, lay.spec)-ln.y-h)/2, caretWidth, h)
		return
	}
	if e <= int(lines[r.first].start) || s > int(lines[r.last].end) {
		return
	}
	for i := max(r.first, lineOf(lines, s)); i <= r.last; i++ {
		ln := lines[i]
		if int(ln.start) >= e {
			break
		}
		a, b, eol, ok := clip(ln, hardEnd(lines, i), s, e)
		if !ok {
			continue
		}
		x0, x1 := r.span(lay, i, a, b, eol)
		r.rect(r.sel, x0, ln.y, x1-x0, lineBottom(lines, i, lay.spec)-ln.y)
	}
}

// span returns the x extent (content coordinates) of [a, b) on line i, with
// a space's width more when eol (the range covers the line's '\n').
func (r *contentRenderer) span(lay *layout, i, a, b int, eol bool) (x0, x1 float32) {
	v := r.c.view
	g := v.geom(i)
	x0 = lay.colX + g.x(a, v.meas.width)
	x1 = lay.colX + g.x(b, v.meas.width)
	if eol {
		x1 += v.met.spaceW
	}
	// Trailing spaces of a soft line may reach past the column: clip them.
	limit := lay.colX + lay.spec.width + v.met.spaceW
	return min(x0, limit), min(x1, limit)
}

// rect adds a rectangle from the pool.
func (r *contentRenderer) rect(c color.Color, x, y, w, h float32) {
	if r.nRects == len(r.rects) {
		r.rects = append(r.rects, canvas.NewRectangle(c))
	}
	rect := r.rects[r.nRects]
	r.nRects++
	rect.FillColor = c
	rect.Move(fyne.NewPos(x, y))
	rect.Resize(fyne.NewSize(w, h))
	rect.Refresh()
}

// opaque returns c without transparency.
func opaque(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = 0xff
	return n
}

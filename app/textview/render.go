package textview

import (
	"image/color"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"

	"github.com/gloss-notes/gloss/app/textflow"
)

// caretWidth is the width of the caret bar.
const caretWidth = 2

// contentRenderer draws the visible lines of the content: one canvas.Text
// per visible line (plus a margin) and run of one look on it (a line of
// unstyled text is one), and rectangles for the grounds of code, the bars of
// quotes, the underlines of links, highlights, their overlaps, the
// selection and the caret. Text objects are kept per line while the line
// stays visible, so a scroll only sets up the lines that come into view;
// rectangles are recomputed for the visible lines on every change, which is
// cheap.
type contentRenderer struct {
	c *content

	// painting is set while the pictures are set up (see View.Background).
	painting bool

	// bg is transparent; refreshing it marks the canvas dirty without
	// making Fyne re-rasterise the texts (refreshing the widget would).
	bg *canvas.Rectangle

	texts     map[int][]*canvas.Text // by line index
	freeTexts []*canvas.Text
	gen       int // layout generation the texts belong to

	rects  []*canvas.Rectangle // pool; the first nRects are in use
	nRects int

	first, last int     // visible line range, inclusive; last < first when none
	top, bottom float32 // the visible part of the content
	objects     []fyne.CanvasObject

	fg, sel, caret color.Color
	link, codeBg   color.Color // links; the ground of code
	bar, rule      color.Color // quote bars; the rules under table rows

	pics map[int]*picObjs // of the pictures drawn, by index in View.pics

	// spanBuf is reused by spans.
	spanBuf []textflow.Span

	// painted counts the repaints of the decorations (for tests).
	painted int
}

func newContentRenderer(c *content) *contentRenderer {
	r := &contentRenderer{
		c:     c,
		bg:    canvas.NewRectangle(color.Transparent),
		texts: make(map[int][]*canvas.Text),
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
	r.link = th.Color(theme.ColorNameHyperlink, variant)
	r.codeBg = withAlpha(r.fg, 0x14)
	r.bar = withAlpha(r.fg, 0x48)
	r.rule = th.Color(theme.ColorNameSeparator, variant)
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
	r.top, r.bottom = top, top+h
	r.releaseTexts(r.first, r.last)

	for i := r.first; i <= r.last; i++ {
		ln := lay.lines[i]
		if ln.blank() {
			continue
		}
		ts, ok := r.texts[i]
		if ok && !all {
			continue
		}
		r.freeTexts = append(r.freeTexts, ts...)
		r.texts[i] = r.lineTexts(lay, i, ts[:0])
	}
	r.decorate()
}

// lineTexts sets up the text objects of line i, appending them to ts: one
// for a line of one look without tabs, else one per run of a look between
// tabs, placed by the line's exact geometry.
func (r *contentRenderer) lineTexts(lay *layout, i int, ts []*canvas.Text) []*canvas.Text {
	v := r.c.view
	ln := lay.lines[i]
	c := lay.class(i)
	text := v.text[ln.bstart:ln.bend]
	if p, _ := v.paragraph(i); p != nil {
		return r.flowTexts(lay, i, ts)
	}
	look, one := v.lineLook(lay, i)
	if one && strings.IndexByte(text, '\t') < 0 && !(c.item && i > 0 && !hardEnd(lay.lines, i-1)) {
		t := r.takeText()
		r.setText(t, lay, ln, c, text, look, lay.colX+c.indent, lay.spec.width-c.indent)
		return append(ts, t)
	}
	g := v.geom(i)
	for a := 0; a < len(g.runB); {
		if g.text[g.runB[a]] == '\t' {
			a++
			continue
		}
		b, blank := a, true
		for ; b < len(g.runB) && g.look(b) == g.look(a) && g.text[g.runB[b]] != '\t'; b++ {
			ch, _ := utf8.DecodeRuneInString(g.text[g.runB[b]:])
			blank = blank && isBreakSpace(ch) // runs are all spaces or none
		}
		if !blank {
			end := len(g.text)
			if b < len(g.runB) {
				end = int(g.runB[b])
			}
			t := r.takeText()
			x := lay.colX + g.left + g.runX[a]
			r.setText(t, lay, ln, c, g.text[g.runB[a]:end], g.look(a), x, g.runEnd(b-1)-g.runX[a])
			ts = append(ts, t)
		}
		a = b
	}
	return ts
}

// flowTexts sets up the text objects of line i of a bidi paragraph: one
// per item of its textflow geometry, where the geometry puts it (see
// textflow.Item: Fyne shapes each right-to-left item's glyphs from right
// to left itself, but would not order the items).
func (r *contentRenderer) flowTexts(lay *layout, i int, ts []*canvas.Text) []*canvas.Text {
	v := r.c.view
	ln := lay.lines[i]
	c := lay.class(i)
	g := v.geom(i)
	m := g.flow.measure(v.fw)
	for _, it := range g.flow.g.Items() {
		t := r.takeText()
		r.setText(t, lay, ln, c, it.Text, g.flow.lookAt(it.Start), lay.colX+g.left+it.X, m(it.Start, it.Text))
		ts = append(ts, t)
	}
	return ts
}

// setText sets t up to draw s in look at x on line ln of class c, its
// baseline on the line's.
func (r *contentRenderer) setText(t *canvas.Text, lay *layout, ln line, c *lineClass, s string, look uint16, x, w float32) {
	v := r.c.view
	f := lay.font(look)
	t.Text = s
	t.TextSize = v.meas.fonts[f].size
	t.TextStyle = v.meas.fonts[f].style
	t.Color = r.fg
	if v.style != nil && v.style.looks[look].link {
		t.Color = r.link
	}
	y := ln.y + (c.lineH-c.textH)/2
	h := c.textH
	if f != c.font {
		y += c.ascent - v.meas.ascentIn(f)
		h = v.meas.heightIn(f)
	}
	t.Move(fyne.NewPos(x, y))
	t.Resize(fyne.NewSize(w, h))
	t.Refresh()
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
	for i, ts := range r.texts {
		if i < first || i > last {
			delete(r.texts, i)
			r.freeTexts = append(r.freeTexts, ts...)
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
		r.paintBlocks(lay)
		r.paintSpans(lay)
		r.paintHighlights(lay)
		r.paintMarks(lay)
		r.paintSelection(lay)
		r.painting = true
		r.paintPictures(lay, r.top, r.bottom)
		r.painting = false
	} else {
		clear(r.pics)
	}

	r.objects = r.objects[:0]
	r.objects = append(r.objects, r.bg)
	r.objects = r.pictureObjects(r.objects)
	for _, rect := range r.rects[:r.nRects] {
		r.objects = append(r.objects, rect)
	}
	for i := r.first; i <= r.last; i++ {
		for _, t := range r.texts[i] {
			r.objects = append(r.objects, t)
		}
	}
	r.bg.Refresh()
}

// paintBlocks draws what the blocks of a styled text put beside their
// lines: the ground of code blocks and the bars of quotes, each one
// rectangle per stretch of consecutive visible lines that share it (so that
// it bridges the gaps between them), and a rule under each table row.
func (r *contentRenderer) paintBlocks(lay *layout) {
	v := r.c.view
	if v.style == nil {
		return
	}
	lines := lay.lines
	m := v.met
	// stretch returns the last visible line from i on whose class has in.
	stretch := func(i int, in func(c *lineClass) bool) int {
		j := i
		for j < r.last && in(lay.class(j+1)) {
			j++
		}
		return j
	}
	padV := float32(math.Round(float64(m.gapH) / 2.5))
	for i := r.first; i <= r.last; i++ {
		c := lay.class(i)
		if !c.code {
			continue
		}
		box := c.box
		j := stretch(i, func(c *lineClass) bool { return c.code && c.box == box })
		top, bottom := lines[i].y, lay.bottom(j)
		if i == 0 || !lay.class(i-1).code {
			top -= padV
		}
		if j == len(lines)-1 || !lay.class(j+1).code {
			bottom += padV
		}
		r.rect(r.codeBg, lay.colX+box, top, lay.spec.width-box, bottom-top)
		i = j
	}
	barW := float32(max(2, math.Round(float64(m.textSize)/6)))
	for depth := uint8(1); depth <= maxQuoteDepth; depth++ {
		found := false
		for i := r.first; i <= r.last; i++ {
			c := lay.class(i)
			if c.quote < depth {
				continue
			}
			found = true
			x := lay.colX + c.box*float32(depth-1)/float32(c.quote)
			j := stretch(i, func(c *lineClass) bool { return c.quote >= depth })
			r.rect(r.bar, x, lines[i].y, barW, lay.bottom(j)-lines[i].y)
			i = j
		}
		if !found {
			break
		}
	}
	for i := r.first; i <= r.last; i++ {
		if c := lay.class(i); c.row && hardEnd(lines, i) {
			bottom := lay.bottom(i)
			r.rect(r.rule, lay.colX+c.indent, bottom-1, lay.spec.width-c.indent, 1)
		}
	}
}

// paintSpans draws what spans put under their text on the visible lines:
// the ground of code spans and the underline of links (neither under the
// spaces that end a span).
func (r *contentRenderer) paintSpans(lay *layout) {
	v := r.c.view
	st := v.style
	if st == nil {
		return
	}
	lines := lay.lines
	for i := r.first; i <= r.last; i++ {
		ln := lines[i]
		if ln.blank() {
			continue
		}
		c := lay.class(i)
		baseline := ln.y + (c.lineH-c.textH)/2 + c.ascent
		for k := st.runAt(int(ln.start)); k < len(st.runs) && int(st.runs[k].start) < int(ln.end); k++ {
			lk := st.looks[st.runs[k].look]
			if !lk.link && !lk.codeSpan {
				continue
			}
			a := max(int(st.runs[k].start), int(ln.start))
			b := int(ln.end)
			if k+1 < len(st.runs) {
				b = min(b, int(st.runs[k+1].start))
			}
			a, b = trimSpaces(v.text[ln.bstart:ln.bend], a-int(ln.start), b-int(ln.start))
			if a >= b {
				continue
			}
			f := lay.fonts[st.runs[k].look]
			size := v.meas.fonts[f].size
			for _, sp := range r.spans(lay, i, a, b, false) {
				x0, x1 := sp.X0, sp.X1
				if lk.codeSpan {
					top := baseline - v.meas.ascentIn(f)
					pad := float32(max(1, math.Round(float64(size)/12)))
					r.rect(r.codeBg, x0-pad, top, x1-x0+2*pad, v.meas.heightIn(f))
				}
				if lk.link {
					thick := float32(max(1, math.Round(float64(size)/16)))
					r.rect(r.link, x0, baseline+thick+float32(math.Round(float64(size)/16)), x1-x0, thick)
				}
			}
		}
	}
}

// trimSpaces narrows the rune range [a, b) of s so that it neither starts
// nor ends with a break space; a range of spaces comes back empty.
func trimSpaces(s string, a, b int) (int, int) {
	first, last := -1, -1
	i := 0
	for _, r := range s {
		if i >= b {
			break
		}
		if i >= a && !isBreakSpace(r) {
			if first < 0 {
				first = i
			}
			last = i
		}
		i++
	}
	if first < 0 {
		return a, a
	}
	return first, last + 1
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
	var spans []span
	for i := r.first; i <= r.last; i++ {
		ln := lines[i]
		if ln.blank() {
			continue // a paragraph gap: only the selection marks it
		}
		c := lay.class(i)
		hard := hardEnd(lines, i)
		spans = spans[:0]
		for _, hi := range visible {
			h := v.hl[hi]
			a, b, eol, ok := clip(ln, hard, h.Start, h.End)
			if !ok {
				continue
			}
			for _, sp := range r.spans(lay, i, a, b, eol) {
				r.rect(h.Color, sp.X0, ln.y+(c.lineH-c.textH)/2, sp.X1-sp.X0, c.textH)
			}
			spans = append(spans, span{a: a, b: b, layer: hi})
		}
		for _, o := range overlaps(spans) {
			thick := float32(max(2, math.Round(float64(c.textSize)/6)))
			for _, sp := range r.spans(lay, i, o.a, o.b, false) {
				r.rect(opaque(v.hl[o.layer].Color), sp.X0, ln.y+(c.lineH+c.textH)/2-thick, sp.X1-sp.X0, thick)
			}
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
			c := lay.class(i)
			y, h := ln.y+(c.lineH-c.textH)/2, c.textH
			thick := float32(max(1, math.Round(float64(c.textSize)/12)))
			sps := r.spans(lay, i, a, b, eol)
			for _, sp := range sps {
				x0, x1 := sp.X0, sp.X1
				if !mk.Current {
					r.rect(markFill, x0, y, x1-x0, h)
					r.rect(markFrame, x0, y+h-2*thick, x1-x0, 2*thick)
					continue
				}
				r.rect(markCurrentFill, x0, y, x1-x0, h)
				r.rect(markFrame, x0, y, x1-x0, thick)
				r.rect(markFrame, x0, y+h-thick, x1-x0, thick)
			}
			if !mk.Current || len(sps) == 0 {
				continue
			}
			g := v.geom(i)
			if g.flow == nil {
				// a and b are relative to the line, the mark's ends to
				// the text.
				x0, x1 := sps[0].X0, sps[0].X1
				if int(ln.start)+a == mk.Start {
					r.rect(markFrame, x0, y, thick, h)
				}
				if int(ln.start)+b >= mk.End {
					r.rect(markFrame, x1-thick, y, thick, h)
				}
				continue
			}
			// In a bidi line the bars at the mark's ends go at the outer
			// ends of what it covers on the line: each on the side where
			// the caret at that end is (the start's on the right in
			// right-to-left text).
			ux0, ux1 := sps[0].X0, sps[len(sps)-1].X1
			bar := func(rel int) {
				x := lay.colX + g.xIn(rel, v.fw)
				if x-ux0 > ux1-x {
					r.rect(markFrame, ux1-thick, y, thick, h)
				} else {
					r.rect(markFrame, ux0, y, thick, h)
				}
			}
			if int(ln.start)+a == mk.Start {
				bar(a)
			}
			if int(ln.start)+b >= mk.End {
				bar(b)
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
		x := lay.colX + v.geom(i).xIn(s-int(ln.start), v.fw)
		c := lay.class(i)
		h := c.textH
		if ln.blank() {
			h = min(c.textH, c.gapH)
		}
		r.rect(r.caret, x-caretWidth/2, ln.y+(lay.bottom(i)-ln.y-h)/2, caretWidth, h)
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
		for _, sp := range r.spans(lay, i, a, b, eol) {
			r.rect(r.sel, sp.X0, ln.y, sp.X1-sp.X0, lay.bottom(i)-ln.y)
		}
	}
}

// spans returns the x extents (content coordinates) of [a, b) on line i,
// left to right, with a space's width more at the paragraph's end side
// when eol (the range covers the line's '\n'). Over a line of mixed
// directions a range may be several extents. The slice is reused by the
// next call.
func (r *contentRenderer) spans(lay *layout, i, a, b int, eol bool) []textflow.Span {
	v := r.c.view
	g := v.geom(i)
	out := g.spans(a, b, v.fw, r.spanBuf[:0])
	for k := range out {
		out[k].X0 += lay.colX
		out[k].X1 += lay.colX
	}
	sp := v.met.spaceW
	rtl := g.flow != nil && g.flow.rtl
	if eol {
		end := lay.colX + g.xIn(g.runes, v.fw) // the paragraph's end side of the line
		e := textflow.Span{X0: end, X1: end + sp}
		if rtl {
			e = textflow.Span{X0: end - sp, X1: end}
		}
		switch k := len(out) - 1; {
		case a == b:
			out = append(out[:0], e)
		case rtl:
			if out[0].X0-e.X1 <= 1e-3 {
				out[0].X0 = min(out[0].X0, e.X0)
			} else {
				out = append([]textflow.Span{e}, out...)
			}
		case e.X0-out[k].X1 <= 1e-3:
			out[k].X1 = max(out[k].X1, e.X1)
		default:
			out = append(out, e)
		}
	}
	// Trailing spaces of a soft line may reach past the column (left of it
	// in a right-to-left paragraph): clip them.
	hi := lay.colX + lay.spec.width + sp
	for k := range out {
		out[k].X0, out[k].X1 = min(out[k].X0, hi), min(out[k].X1, hi)
		if rtl {
			lo := lay.colX - sp
			out[k].X0, out[k].X1 = max(out[k].X0, lo), max(out[k].X1, lo)
		}
	}
	r.spanBuf = out
	return out
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

// withAlpha returns c with alpha a.
func withAlpha(c color.Color, a uint8) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = a
	return n
}

// opaque returns c without transparency.
func opaque(c color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	n.A = 0xff
	return n
}

package pageview

import (
	"image/color"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// content is the scrolled widget, as large as all the pages; it draws
// only the pages in sight and takes the mouse.
type content struct {
	widget.BaseWidget
	v        *View
	dragging bool
	dragged  bool
}

var (
	_ desktop.Mouseable   = (*content)(nil)
	_ desktop.Cursorable  = (*content)(nil)
	_ fyne.Draggable      = (*content)(nil)
	_ fyne.Tappable       = (*content)(nil)
	_ fyne.DoubleTappable = (*content)(nil)
)

func newContent(v *View) *content {
	c := &content{v: v}
	c.ExtendBaseWidget(c)
	return c
}

func (c *content) MinSize() fyne.Size { return fyne.NewSize(c.v.contentW, c.v.contentH) }

func (c *content) Cursor() desktop.Cursor { return desktop.TextCursor }

// at returns the caret and the rune under a point of the content.
func (c *content) at(p fyne.Position) (caret, under int, ok bool) {
	v := c.v
	v.relayout()
	i := pageAt(v.places, p.Y)
	if i < 0 {
		if len(v.pages) == 0 {
			return 0, -1, false
		}
		i = 0
	}
	px, py := toPage(v.places[i], v.pages[i], p.X, p.Y)
	caret, under = hit(v.boxes, v.pages[i], px, py)
	return caret, under, true
}

func (c *content) focus() {
	if cv := fyne.CurrentApp().Driver().CanvasForObject(c.v); cv != nil {
		cv.Focus(c.v)
	}
}

func (c *content) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	c.focus()
	caret, _, ok := c.at(ev.Position)
	if !ok {
		return
	}
	if ev.Modifier&fyne.KeyModifierShift != 0 {
		c.v.cursor = caret
	} else {
		c.v.anchor, c.v.cursor = caret, caret
	}
	c.dragging, c.dragged = true, false
	c.v.notifySelection()
	c.Refresh()
}

func (c *content) MouseUp(*desktop.MouseEvent) {}

func (c *content) Dragged(ev *fyne.DragEvent) {
	if !c.dragging {
		// A drag whose press was not seen (a test's Drag): it starts where
		// the drag began.
		c.focus()
		start := ev.Position.Subtract(ev.Dragged)
		if caret, _, ok := c.at(start); ok {
			c.v.anchor = caret
		}
		c.dragging = true
	}
	c.dragged = true
	if caret, _, ok := c.at(ev.Position); ok {
		c.v.cursor = caret
	}
	c.v.notifySelection()
	c.Refresh()
}

func (c *content) DragEnd() { c.dragging = false }

func (c *content) Tapped(ev *fyne.PointEvent) {
	c.dragging = false
	if c.dragged {
		c.dragged = false
		return
	}
	c.focus()
	_, under, ok := c.at(ev.Position)
	if !ok || under < 0 {
		return
	}
	// The topmost highlight under the click, when the click fell on a
	// glyph of it.
	for i := len(c.v.hl) - 1; i >= 0; i-- {
		h := c.v.hl[i]
		if under >= h.Start && under < h.End {
			if c.v.OnHighlightTapped != nil {
				c.v.OnHighlightTapped(h.ID)
			}
			return
		}
	}
}

func (c *content) DoubleTapped(ev *fyne.PointEvent) {
	_, under, ok := c.at(ev.Position)
	if !ok || under < 0 {
		return
	}
	s, e := c.v.wordAt(under)
	c.v.SetSelection(s, e)
}

func (c *content) CreateRenderer() fyne.WidgetRenderer {
	return &contentRenderer{c: c}
}

// contentRenderer draws the pages in sight: each a white sheet with its
// image, the highlights over it and the selection over those.
type contentRenderer struct {
	c       *content
	objects []fyne.CanvasObject
	sheets  []*canvas.Rectangle
	rects   []*canvas.Rectangle
}

func (r *contentRenderer) Layout(fyne.Size) {}

func (r *contentRenderer) MinSize() fyne.Size { return r.c.MinSize() }

func (r *contentRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *contentRenderer) Destroy() {}

// sheet and rect hand out rectangles, reused from one refresh to the next.
func (r *contentRenderer) sheet(i int) *canvas.Rectangle {
	for len(r.sheets) <= i {
		s := canvas.NewRectangle(color.White)
		s.StrokeColor = theme.Color(theme.ColorNameShadow)
		s.StrokeWidth = 1
		r.sheets = append(r.sheets, s)
	}
	return r.sheets[i]
}

func (r *contentRenderer) rect(i int) *canvas.Rectangle {
	for len(r.rects) <= i {
		r.rects = append(r.rects, canvas.NewRectangle(color.Transparent))
	}
	return r.rects[i]
}

func (r *contentRenderer) Refresh() {
	v := r.c.v
	v.relayout()
	r.objects = r.objects[:0]
	if len(v.pages) == 0 {
		return
	}
	view := v.scroll.Size()
	top, bottom := v.scroll.Offset.Y, v.scroll.Offset.Y+view.Height
	first := max(pageAt(v.places, top), 0)
	var visible []int
	for i := first; i < len(v.pages) && v.places[i].y <= bottom; i++ {
		visible = append(visible, i)
	}
	if len(visible) == 0 {
		return
	}
	v.images.want(visible, v.places)
	nRect := 0
	for k, i := range visible {
		pl := v.places[i]
		s := r.sheet(k)
		s.Move(fyne.NewPos(pl.x, pl.y))
		s.Resize(fyne.NewSize(pl.w, pl.h))
		r.objects = append(r.objects, s)
		if img := v.images.image(i); img != nil {
			img.Move(fyne.NewPos(pl.x, pl.y))
			img.Resize(fyne.NewSize(pl.w, pl.h))
			r.objects = append(r.objects, img)
		}
	}
	paint := func(start, end int, fill color.Color) {
		for _, pr := range rangeRects(v.pages, v.boxes, start, end) {
			if !slices.Contains(visible, pr.page) {
				continue
			}
			x0, y0, x1, y1 := toView(v.places[pr.page], v.pages[pr.page], pr.Box)
			rc := r.rect(nRect)
			nRect++
			rc.FillColor = fill
			rc.Move(fyne.NewPos(x0-1, y0-1))
			rc.Resize(fyne.NewSize(x1-x0+2, y1-y0+2))
			rc.Refresh()
			r.objects = append(r.objects, rc)
		}
	}
	lo, hi := v.pages[visible[0]].Start, v.pages[visible[len(visible)-1]].End
	for _, h := range v.hl {
		if h.End > lo && h.Start < hi {
			paint(max(h.Start, lo), min(h.End, hi), h.Color)
		}
	}
	if s, e := v.Selection(); s < e && e > lo && s < hi {
		paint(max(s, lo), min(e, hi), selectionColor())
	}
	for _, o := range r.objects {
		o.Refresh()
	}
}

// selectionColor is the theme's selection colour, made translucent so the
// glyphs show through.
func selectionColor() color.Color {
	r, g, b, _ := theme.Color(theme.ColorNameSelection).RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: 0x70}
}

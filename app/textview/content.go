package textview

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// Declare conformity with interfaces.
var (
	_ fyne.Widget         = (*content)(nil)
	_ fyne.Draggable      = (*content)(nil)
	_ fyne.Tappable       = (*content)(nil)
	_ fyne.DoubleTappable = (*content)(nil)
	_ desktop.Mouseable   = (*content)(nil)
	_ desktop.Cursorable  = (*content)(nil)
)

// content is the widget inside the view's scroll container: as tall as the
// whole document, it draws the visible lines and takes the pointer. One
// widget covering the document (rather than one per line) matters because
// the driver sends all of a drag's events to the widget where it began.
type content struct {
	widget.BaseWidget
	view *View
	rend *contentRenderer // nil until Fyne creates the renderer

	pressed    bool // MouseDown seen; its Tapped or drag has not come yet
	pressShift bool // that MouseDown extended the selection
	dragging   bool
	tripled    bool      // that MouseDown was the third of a triple-click
	link       string    // the Href under a Ctrl+MouseDown on a link
	linkDown   bool      // that MouseDown was a Ctrl+MouseDown on a link
	lastDouble time.Time // of the last DoubleTapped, to spot a triple-click

	now func() time.Time // time.Now; tests replace it
}

func newContent(v *View) *content {
	c := &content{view: v, now: time.Now}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer is a private method to Fyne which links this widget to its
// renderer.
func (c *content) CreateRenderer() fyne.WidgetRenderer {
	r := newContentRenderer(c)
	c.rend = r
	return r
}

// MinSize is as tall as the document at the view's width.
func (c *content) MinSize() fyne.Size {
	lay := c.view.currentLayout()
	if lay == nil {
		return fyne.NewSize(0, 0)
	}
	return fyne.NewSize(0, lay.height)
}

// Cursor is the text cursor.
func (c *content) Cursor() desktop.Cursor {
	return desktop.TextCursor
}

// MouseDown places the caret, extends the selection with Shift, and
// completes a triple-click (which the driver does not report).
func (c *content) MouseDown(ev *desktop.MouseEvent) {
	if ev.Button != desktop.MouseButtonPrimary {
		return
	}
	v := c.view
	v.requestFocus()
	v.hasPreferX = false
	c.pressed, c.dragging, c.linkDown = true, false, false
	caret, under := v.hit(ev.Position)
	if ev.Modifier&linkModifiers != 0 {
		if href, ok := v.linkUnder(under); ok {
			// A link is followed on Tapped, if no drag comes first; the
			// selection stays as it is. A drag selects from here, as
			// from a drag without a MouseDown.
			c.link, c.linkDown = href, true
			c.pressed, c.tripled = false, false
			return
		}
	}
	if !c.lastDouble.IsZero() && c.now().Sub(c.lastDouble) <= doubleTapDelay() {
		c.tripled, c.pressShift = true, false
		c.lastDouble = time.Time{}
		if under < 0 {
			under = caret
		}
		v.selectParagraphAt(under)
		return
	}
	c.tripled = false
	c.pressShift = ev.Modifier&fyne.KeyModifierShift != 0
	v.moveCursor(caret, c.pressShift)
}

// MouseUp is part of desktop.Mouseable; the work is done on MouseDown,
// Dragged and Tapped.
func (c *content) MouseUp(*desktop.MouseEvent) {}

// Dragged extends the selection to the pointer, scrolling when the pointer
// is above or below the view.
func (c *content) Dragged(ev *fyne.DragEvent) {
	v := c.view
	if !c.dragging {
		c.dragging = true
		if !c.pressed && !v.shiftDown {
			// No MouseDown (a touch drag, or test.Drag): the drag began
			// where the pointer was before this move.
			caret, _ := v.hit(ev.Position.Subtract(ev.Dragged))
			v.anchor = caret
		}
		c.pressed, c.tripled, c.linkDown = false, false, false
		v.requestFocus()
	}
	v.hasPreferX = false
	c.autoScroll(ev.Position)
	caret, _ := v.hit(ev.Position)
	v.moveCursor(caret, true)
}

// DragEnd ends a drag selection, and takes the focus back: the driver
// unfocuses when the button is released over something that cannot take
// the focus (outside the view), just before it calls DragEnd, and the keys
// typed after a selection must still reach the view.
func (c *content) DragEnd() {
	c.dragging, c.pressed, c.linkDown = false, false, false
	c.view.requestFocus()
}

// Tapped completes a click: a Ctrl+click on a link (see MouseDown) reports
// the link; otherwise, without a MouseDown (touch, tests), it places the
// caret; then a plain click on a highlight reports the highlight.
func (c *content) Tapped(ev *fyne.PointEvent) {
	v := c.view
	v.requestFocus()
	if c.tripled {
		c.tripled, c.pressed = false, false
		return
	}
	if c.linkDown {
		c.linkDown = false
		v.OnLinkTapped(c.link)
		return
	}
	caret, under := v.hit(ev.Position)
	extend := c.pressShift
	if !c.pressed {
		extend = v.shiftDown
		v.hasPreferX = false
		v.moveCursor(caret, extend)
	}
	c.pressed, c.pressShift = false, false
	if extend {
		return
	}
	if id, ok := v.highlightAt(under); ok && v.OnHighlightTapped != nil {
		v.OnHighlightTapped(id)
	}
}

// DoubleTapped selects the word under the pointer.
func (c *content) DoubleTapped(ev *fyne.PointEvent) {
	v := c.view
	v.requestFocus()
	c.lastDouble = c.now()
	c.pressed, c.pressShift, c.tripled = false, false, false
	caret, under := v.hit(ev.Position)
	if under < 0 {
		under = caret - 1 // past the end of a line: the word before it
	}
	v.hasPreferX = false
	v.selectWordAt(max(under, 0))
}

// autoScroll scrolls towards p (content coordinates) when a drag leaves the
// visible part of the content.
func (c *content) autoScroll(p fyne.Position) {
	v := c.view
	top := v.scroll.Offset.Y
	bottom := top + v.scroll.Size().Height
	switch {
	case p.Y < top:
		v.scrollTo(p.Y)
	case p.Y > bottom:
		v.scrollTo(top + p.Y - bottom)
	}
}

// viewportChanged updates the lines drawn after a scroll.
func (c *content) viewportChanged() {
	if c.rend != nil {
		c.rend.update(false)
	}
}

// decorationsChanged repaints the selection and the highlights.
func (c *content) decorationsChanged() {
	if c.rend != nil {
		c.rend.decorate()
	}
}

// linkModifiers are the modifiers that make a click on a link follow it:
// Control, or Command on a Mac.
const linkModifiers = fyne.KeyModifierControl | fyne.KeyModifierSuper

// linkUnder returns the Href of the link holding rune offset under (as hit
// returns it) when the app follows links.
func (v *View) linkUnder(under int) (string, bool) {
	if v.OnLinkTapped == nil || under < 0 {
		return "", false
	}
	return v.LinkAt(under)
}

func doubleTapDelay() time.Duration {
	if a := fyne.CurrentApp(); a != nil && a.Driver() != nil {
		return a.Driver().DoubleTapDelay()
	}
	return 300 * time.Millisecond
}

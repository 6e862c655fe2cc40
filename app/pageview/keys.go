package pageview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

var (
	_ fyne.Focusable    = (*View)(nil)
	_ fyne.Shortcutable = (*View)(nil)
)

// FocusGained and FocusLost track the keyboard focus.
func (v *View) FocusGained() { v.focused = true }

// FocusLost: see FocusGained.
func (v *View) FocusLost() { v.focused = false }

// TypedRune passes the rune to OnRune.
func (v *View) TypedRune(r rune) {
	if v.OnRune != nil {
		v.OnRune(r)
	}
}

// TypedKey scrolls on the navigation keys and passes every other key to
// OnKey; Escape, if not handled there, clears the selection.
func (v *View) TypedKey(ev *fyne.KeyEvent) {
	step := float32(40)
	page := v.scroll.Size().Height * 0.9
	y := v.scroll.Offset.Y
	switch ev.Name {
	case fyne.KeyUp:
		v.scrollTo(y - step)
	case fyne.KeyDown:
		v.scrollTo(y + step)
	case fyne.KeyPageUp:
		v.scrollTo(y - page)
	case fyne.KeyPageDown, fyne.KeySpace:
		v.scrollTo(y + page)
	case fyne.KeyHome:
		v.scrollTo(0)
	case fyne.KeyEnd:
		v.scrollTo(v.contentH)
	case fyne.KeyLeft, fyne.KeyRight:
		x := v.scroll.Offset.X + step
		if ev.Name == fyne.KeyLeft {
			x = v.scroll.Offset.X - step
		}
		v.scroll.Offset.X = min(max(0, x), max(0, v.contentW-v.scroll.Size().Width))
		v.scroll.Refresh()
		v.scrolled()
	case desktop.KeyShiftLeft, desktop.KeyShiftRight, desktop.KeyControlLeft, desktop.KeyControlRight,
		desktop.KeyAltLeft, desktop.KeyAltRight, desktop.KeySuperLeft, desktop.KeySuperRight:
	default:
		if v.OnKey != nil && v.OnKey(ev) {
			return
		}
		if s, e := v.Selection(); ev.Name == fyne.KeyEscape && s != e {
			v.SetSelection(v.cursor, v.cursor)
		}
	}
}

// TypedShortcut copies, zooms (Ctrl+=, Ctrl++, Ctrl+-, Ctrl+0 to fit the
// width, Ctrl+1 for 100 %), goes to the first and last page (Ctrl+Home, Ctrl+End), and
// passes every other shortcut to the canvas.
func (v *View) TypedShortcut(sc fyne.Shortcut) {
	switch sc := sc.(type) {
	case *fyne.ShortcutCopy:
		if s, e := v.Selection(); s < e && sc.Clipboard != nil {
			sc.Clipboard.SetContent(v.SelectedText())
		}
		return
	case *fyne.ShortcutSelectAll:
		v.SetSelection(0, len(v.text))
		return
	case *desktop.CustomShortcut:
		if sc.Modifier == fyne.KeyModifierShortcutDefault && v.zoomKey(sc.KeyName) {
			return
		}
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		if h, ok := c.(fyne.Shortcutable); ok {
			h.TypedShortcut(sc)
		}
	}
}

// zoomStep is the factor of one zoom key.
const zoomStep = 1.25

func (v *View) zoomKey(k fyne.KeyName) bool {
	switch k {
	case fyne.KeyEqual, fyne.KeyPlus:
		v.zoomBy(zoomStep)
	case fyne.KeyMinus:
		v.zoomBy(1 / zoomStep)
	case fyne.Key0:
		v.SetZoom(0)
	case fyne.Key1:
		v.SetZoom(1)
	case fyne.KeyHome:
		v.scrollTo(0)
	case fyne.KeyEnd:
		v.scrollTo(v.contentH)
	default:
		return false
	}
	return true
}

// ZoomIn, ZoomOut and FitWidth are the zoom keys' actions, for menus.
func (v *View) ZoomIn() { v.zoomBy(zoomStep) }

// ZoomOut: see ZoomIn.
func (v *View) ZoomOut() { v.zoomBy(1 / zoomStep) }

// FitWidth: see ZoomIn.
func (v *View) FitWidth() { v.SetZoom(0) }

// ActualSize shows the pages at 100 %: a point on the page a point on
// the screen.
func (v *View) ActualSize() { v.SetZoom(1) }

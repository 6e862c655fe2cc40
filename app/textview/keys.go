package textview

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Declare conformity with interfaces.
var _ desktop.Keyable = (*View)(nil)

// FocusGained shows the caret.
func (v *View) FocusGained() {
	v.focused = true
	v.content.decorationsChanged()
}

// FocusLost hides the caret. Shift is forgotten: its release may go to
// another window.
func (v *View) FocusLost() {
	v.focused, v.shiftDown = false, false
	v.content.decorationsChanged()
}

// KeyDown tracks Shift, which the driver does not report with arrow keys.
func (v *View) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		v.shiftDown = true
	}
}

// KeyUp tracks Shift.
func (v *View) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		v.shiftDown = false
	}
}

// TypedRune passes the rune to OnRune: the view itself types nothing.
func (v *View) TypedRune(r rune) {
	if v.OnRune != nil {
		v.OnRune(r)
	}
}

// TypedKey moves the caret or the selection's cursor (with Shift) on the
// navigation keys and passes every other key to OnKey.
func (v *View) TypedKey(ev *fyne.KeyEvent) {
	extend := v.shiftDown
	s, e := v.Selection()
	switch ev.Name {
	case fyne.KeyLeft:
		if !extend && s != e {
			v.collapse(s, false)
			return
		}
		v.keyMove(v.cursor-1, extend)
	case fyne.KeyRight:
		if !extend && s != e {
			v.collapse(e, true)
			return
		}
		v.keyMove(v.cursor+1, extend)
	case fyne.KeyUp:
		v.keyMoveLines(-1, extend)
	case fyne.KeyDown:
		v.keyMoveLines(1, extend)
	case fyne.KeyPageUp:
		v.keyMovePage(-1, extend)
	case fyne.KeyPageDown:
		v.keyMovePage(1, extend)
	case fyne.KeyHome:
		if lay := v.currentLayout(); lay != nil {
			v.keyMove(int(lay.lines[lineOf(lay.lines, v.cursor)].start), extend)
		}
	case fyne.KeyEnd:
		if lay := v.currentLayout(); lay != nil {
			i := lineOf(lay.lines, v.cursor)
			end := int(lay.lines[i].end)
			if !hardEnd(lay.lines, i) && end > int(lay.lines[i].start) {
				end-- // stay on this line: before its trailing space
			}
			v.keyMove(end, extend)
		}
	case desktop.KeyShiftLeft, desktop.KeyShiftRight, desktop.KeyControlLeft, desktop.KeyControlRight,
		desktop.KeyAltLeft, desktop.KeyAltRight, desktop.KeySuperLeft, desktop.KeySuperRight:
		// The driver types modifiers as keys too; they mean nothing alone.
	default:
		if v.OnKey != nil && v.OnKey(ev) {
			return
		}
		if ev.Name == fyne.KeyEscape && s != e {
			v.collapse(v.cursor, v.cursor == e)
		}
	}
}

// TypedShortcut copies, selects all, extends by words with Ctrl+Shift+arrows,
// and passes every other shortcut to the canvas, whose shortcuts would
// otherwise be dead while the view has the focus.
func (v *View) TypedShortcut(sc fyne.Shortcut) {
	switch sc := sc.(type) {
	case *fyne.ShortcutCopy:
		v.copySelection(sc.Clipboard)
		return
	case *fyne.ShortcutSelectAll:
		v.hasPreferX = false
		v.setSelection(0, v.nRunes)
		return
	case *desktop.CustomShortcut:
		if v.wordShortcut(sc) || v.endsShortcut(sc) {
			return
		}
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(v); c != nil {
		if h, ok := c.(fyne.Shortcutable); ok {
			h.TypedShortcut(sc)
		}
	}
}

// endsShortcut handles Ctrl+Home and Ctrl+End: the caret to the start or
// the end of the text.
func (v *View) endsShortcut(sc *desktop.CustomShortcut) bool {
	if sc.Modifier != fyne.KeyModifierShortcutDefault {
		return false
	}
	switch sc.KeyName {
	case fyne.KeyHome:
		v.hasPreferX = false
		v.keyMove(0, false)
	case fyne.KeyEnd:
		v.hasPreferX = false
		v.keyMove(v.nRunes, false)
	default:
		return false
	}
	return true
}

// wordShortcut handles Ctrl+Shift+Left/Right (extend by a word) and
// Ctrl+Shift+Home/End (extend to the ends of the text).
func (v *View) wordShortcut(sc *desktop.CustomShortcut) bool {
	if sc.Modifier != fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift {
		return false
	}
	switch sc.KeyName {
	case fyne.KeyLeft:
		v.keyMove(v.wordEdge(v.cursor, -1), true)
	case fyne.KeyRight:
		v.keyMove(v.wordEdge(v.cursor, 1), true)
	case fyne.KeyHome:
		v.keyMove(0, true)
	case fyne.KeyEnd:
		v.keyMove(v.nRunes, true)
	default:
		return false
	}
	return true
}

// wordEdge returns the next word boundary from off in direction dir
// (skipping spaces first), within off's paragraph or into the next one.
func (v *View) wordEdge(off, dir int) int {
	lines := v.linesForOffsets()
	if dir < 0 && off > 0 {
		off--
	}
	ps, pe := paragraphAt(lines, off)
	rs := []rune(v.text[byteOffset(v.text, lines, ps):byteOffset(v.text, lines, pe)])
	i := off - ps
	if dir > 0 {
		for i < len(rs) && runeClass(rs[i]) == classSpace {
			i++
		}
		if i >= len(rs) {
			return v.clamp(pe + 1)
		}
		_, e := wordBounds(rs, i)
		return ps + e
	}
	for i > 0 && i < len(rs) && runeClass(rs[i]) == classSpace {
		i--
	}
	if i >= len(rs) || len(rs) == 0 {
		return ps
	}
	s, _ := wordBounds(rs, i)
	return ps + s
}

// copySelection puts the selected text on the clipboard (cb if the shortcut
// carries one, else the app's). An empty selection leaves the clipboard alone.
func (v *View) copySelection(cb fyne.Clipboard) {
	text := v.SelectedText()
	if text == "" {
		return
	}
	if cb == nil {
		cb = fyne.CurrentApp().Clipboard()
	}
	cb.SetContent(text)
}

// collapse empties the selection at off and shows it.
func (v *View) collapse(off int, upstream bool) {
	v.hasPreferX = false
	v.setSelection(off, off)
	v.scrollIntoView(off, upstream)
}

// keyMove moves the cursor to off (extending with Shift) and shows it.
func (v *View) keyMove(off int, extend bool) {
	v.hasPreferX = false
	v.moveCursor(v.clamp(off), extend)
	v.scrollIntoView(v.cursor, false)
}

// keyMoveLines moves the cursor n visual lines down (up when negative),
// keeping its x across successive moves, as editors do.
func (v *View) keyMoveLines(n int, extend bool) {
	lay := v.currentLayout()
	if lay == nil {
		return
	}
	lines := lay.lines
	i := lineOf(lines, v.cursor)
	if !v.hasPreferX {
		v.preferX = v.geom(i).xIn(v.cursor-int(lines[i].start), v.fw)
	}
	j := i + n
	var off int
	switch {
	case j < 0:
		off = 0
	case j >= len(lines):
		off = v.nRunes
	default:
		g := v.geom(j)
		c, _ := g.hitIn(v.preferX, v.fw)
		if c == g.runes && c > 0 && !hardEnd(lines, j) {
			c-- // before the trailing space, on line j
		}
		off = int(lines[j].start) + c
	}
	keep := v.preferX
	v.moveCursor(off, extend)
	v.preferX, v.hasPreferX = keep, true
	v.scrollIntoView(v.cursor, false)
}

// keyMovePage moves the cursor a page down (dir 1) or up (-1): to the line
// a view's height less a line away, which is as many lines as fit in the
// view whatever their heights. Past the ends of the text it goes to them.
func (v *View) keyMovePage(dir int, extend bool) {
	lay := v.currentLayout()
	if lay == nil {
		return
	}
	lines := lay.lines
	i := lineOf(lines, v.cursor)
	page := max(v.scroll.Size().Height-v.met.lineH, v.met.lineH)
	y := lines[i].y + float32(dir)*page
	var j int
	switch {
	case y < lines[0].y:
		j = -1
	case y >= lay.bottom(len(lines)-1):
		j = len(lines)
	default:
		j = lineAtY(lines, y)
		if j == i {
			j += dir // always move
		}
	}
	v.keyMoveLines(j-i, extend)
}

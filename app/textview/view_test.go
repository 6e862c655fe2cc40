package textview

import (
	"image/color"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

const sample = "United States President Donald Trump struck an upbeat tone on Tuesday. " +
	"He attempted to revive momentum for a peace deal between Russia and Ukraine.\n" +
	"Negotiations remain stuck on the most sensitive issues: territorial control " +
	"and long-term security guarantees.\n\n" +
	"Ukrainian officials said they would soon send teams to Moscow for negotiations."

var testSize = fyne.NewSize(500, 300)

// recorder counts OnSelectionChanged calls.
type recorder struct {
	calls [][2]int
}

func (r *recorder) record(s, e int) { r.calls = append(r.calls, [2]int{s, e}) }

func (r *recorder) last() [2]int {
	if len(r.calls) == 0 {
		return [2]int{-1, -1}
	}
	return r.calls[len(r.calls)-1]
}

func TestView_SetText(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	if v.Text() != sample {
		t.Fatal("Text() is not what was set")
	}
	v.SetSelection(3, 9)
	v.ScrollToOffset(len([]rune(sample)))
	v.SetText("short\n\ntext")
	if s, e := v.Selection(); s != 0 || e != 0 {
		t.Errorf("selection after SetText = %d, %d", s, e)
	}
	if v.scroll.Offset.Y != 0 {
		t.Errorf("scroll after SetText = %v", v.scroll.Offset.Y)
	}
	if got := len(v.currentLayout().lines); got != 3 {
		t.Errorf("%d lines, want 3", got)
	}
}

func TestView_Layout_Column(t *testing.T) {
	v, w := newTestView(t, sample, fyne.NewSize(1400, 400))
	lay := v.currentLayout()
	if lay.spec.width != v.met.maxColW {
		t.Errorf("column %v wide in a wide view, want the maximum %v", lay.spec.width, v.met.maxColW)
	}
	if left, right := lay.colX, 1400-lay.colX-lay.spec.width; left-right > 1 || right-left > 1 {
		t.Errorf("column not centred: %v left, %v right", left, right)
	}
	// About 76 average characters: between 60 and 95 of this text's.
	if chars := lay.spec.width / (fyne.MeasureText(sample, v.met.textSize, fyne.TextStyle{}).Width / float32(len(sample))); chars < 60 || chars > 95 {
		t.Errorf("column holds %v characters", chars)
	}
	if v.met.textSize <= theme.TextSize() {
		t.Errorf("text size %v is not larger than the theme's %v", v.met.textSize, theme.TextSize())
	}

	w.Resize(fyne.NewSize(300, 400))
	lay = v.currentLayout()
	if lay.spec.width != 300-2*v.met.pad {
		t.Errorf("column %v wide in a narrow view, want %v", lay.spec.width, 300-2*v.met.pad)
	}
	for i, ln := range lay.lines {
		s := strings.TrimRight(v.text[ln.bstart:ln.bend], " ")
		if width := fyne.MeasureText(s, v.met.textSize, fyne.TextStyle{}).Width; width > lay.spec.width {
			t.Errorf("line %d %q is %v wide, column %v", i, s, width, lay.spec.width)
		}
	}
}

func TestView_Drag(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	rec := &recorder{}
	v.OnSelectionChanged = rec.record
	from := runeIndex(t, sample, "Donald")
	to := runeIndex(t, sample, " struck")
	a, b := posOf(t, v, from), posOf(t, v, to)
	// test.Drag sends one Dragged ending at its position, starting delta before.
	test.Drag(w.Canvas(), absPos(v, b), b.X-a.X, b.Y-a.Y)
	if s, e := v.Selection(); s != from || e != to {
		t.Errorf("selection = %d, %d; want %d, %d", s, e, from, to)
	}
	if got := v.SelectedText(); got != "Donald Trump" {
		t.Errorf("selected %q", got)
	}
	if rec.last() != [2]int{from, to} {
		t.Errorf("OnSelectionChanged last got %v", rec.last())
	}
	if w.Canvas().Focused() != v {
		t.Error("a drag did not focus the view")
	}
}

func TestView_Drag_AcrossLinesBackwards(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	from := runeIndex(t, sample, "Negotiations")
	to := runeIndex(t, sample, "upbeat")
	a, b := posOf(t, v, from), posOf(t, v, to)
	test.Drag(w.Canvas(), absPos(v, b), b.X-a.X, b.Y-a.Y)
	if s, e := v.Selection(); s != to || e != from {
		t.Errorf("selection = %d, %d; want %d, %d", s, e, to, from)
	}
	if v.anchor != from || v.cursor != to {
		t.Errorf("anchor %d, cursor %d; want %d, %d", v.anchor, v.cursor, from, to)
	}
	if !strings.HasPrefix(v.SelectedText(), "upbeat tone") || !strings.HasSuffix(v.SelectedText(), "Ukraine.\n") {
		t.Errorf("selected %q", v.SelectedText())
	}
}

func TestView_MouseDownThenDrag(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	from := runeIndex(t, sample, "peace")
	to := runeIndex(t, sample, " between")
	a, b := posOf(t, v, from), posOf(t, v, to)
	// As the real driver does: MouseDown, Dragged..., MouseUp, DragEnd.
	v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: a}, Button: desktop.MouseButtonPrimary})
	mid := fyne.NewPos((a.X+b.X)/2, (a.Y+b.Y)/2)
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: mid}, Dragged: fyne.NewDelta(mid.X-a.X, mid.Y-a.Y)})
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-mid.X, b.Y-mid.Y)})
	v.content.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: b}, Button: desktop.MouseButtonPrimary})
	v.content.DragEnd()
	if got := v.SelectedText(); got != "peace deal" {
		t.Errorf("selected %q", got)
	}
}

func TestView_ShiftClick(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	from := runeIndex(t, sample, "Russia")
	to := runeIndex(t, sample, ".\nNegotiations")
	down := func(off int, mod fyne.KeyModifier) {
		v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: posOf(t, v, off)}, Button: desktop.MouseButtonPrimary, Modifier: mod})
		v.content.MouseUp(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: posOf(t, v, off)}, Button: desktop.MouseButtonPrimary})
		v.content.Tapped(&fyne.PointEvent{Position: posOf(t, v, off)})
	}
	down(from, 0)
	if s, e := v.Selection(); s != from || e != from {
		t.Fatalf("click put the caret at %d, %d; want %d", s, e, from)
	}
	down(to, fyne.KeyModifierShift)
	if got := v.SelectedText(); got != "Russia and Ukraine" {
		t.Errorf("shift-click selected %q", got)
	}
	// Shift-click before the anchor: the selection turns round it.
	before := runeIndex(t, sample, "peace")
	down(before, fyne.KeyModifierShift)
	if got := v.SelectedText(); got != "peace deal between " {
		t.Errorf("shift-click before the anchor selected %q", got)
	}
}

func TestView_DoubleTap_Word(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	for _, word := range []string{"momentum", "Tuesday", "long", "Ukrainian"} {
		off := runeIndex(t, sample, word) + 2
		p := posOf(t, v, off)
		p.X += 2
		v.content.DoubleTapped(&fyne.PointEvent{Position: p})
		if got := v.SelectedText(); got != word {
			t.Errorf("double-click in %q selected %q", word, got)
		}
	}
	if w.Canvas().Focused() != v {
		t.Error("double-click did not focus the view")
	}
}

func TestView_TripleTap_Paragraph(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	v.content.now = func() time.Time { return now }
	p := posOf(t, v, runeIndex(t, sample, "sensitive")+1)
	p.X += 2
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}, Button: desktop.MouseButtonPrimary}
	// The driver: down, up, down, up, DoubleTapped, down (the third), up,
	// and Tapped after the double-tap delay.
	v.content.MouseDown(ev)
	v.content.MouseDown(ev)
	v.content.DoubleTapped(&ev.PointEvent)
	now = now.Add(100 * time.Millisecond)
	v.content.MouseDown(ev)
	v.content.MouseUp(ev)
	v.content.Tapped(&ev.PointEvent)
	want := "Negotiations remain stuck on the most sensitive issues: territorial control and long-term security guarantees."
	if got := v.SelectedText(); got != want {
		t.Errorf("triple-click selected %q", got)
	}

	// A click long after a double-click is a click.
	now = now.Add(time.Second)
	v.content.DoubleTapped(&ev.PointEvent)
	now = now.Add(time.Second)
	v.content.MouseDown(ev)
	if s, e := v.Selection(); s != e {
		t.Errorf("a late third click selected %d, %d", s, e)
	}
}

func TestView_SelectAll(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	rec := &recorder{}
	v.OnSelectionChanged = rec.record
	v.TypedShortcut(&fyne.ShortcutSelectAll{})
	n := len([]rune(sample))
	if s, e := v.Selection(); s != 0 || e != n {
		t.Errorf("selection = %d, %d; want 0, %d", s, e, n)
	}
	if v.SelectedText() != sample {
		t.Error("Select All did not select the whole text")
	}
	if rec.last() != [2]int{0, n} {
		t.Errorf("OnSelectionChanged got %v", rec.calls)
	}
}

func TestView_ShiftArrows(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	start := runeIndex(t, sample, "President")
	v.SetSelection(start, start)
	key := func(name fyne.KeyName) { v.TypedKey(&fyne.KeyEvent{Name: name}) }
	v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	for range 3 {
		key(fyne.KeyRight)
	}
	if got := v.SelectedText(); got != "Pre" {
		t.Errorf("Shift+Right x3 selected %q", got)
	}
	key(fyne.KeyLeft)
	if got := v.SelectedText(); got != "Pr" {
		t.Errorf("then Shift+Left selected %q", got)
	}
	key(fyne.KeyDown)
	lay := v.currentLayout()
	if got, want := lineOf(lay.lines, v.cursor), lineOf(lay.lines, start)+1; got != want {
		t.Errorf("Shift+Down put the cursor on line %d, want %d", got, want)
	}
	// The cursor keeps its x: within a few characters of where it was.
	if dx := posOf(t, v, v.cursor).X - posOf(t, v, start+2).X; dx > 12 || dx < -12 {
		t.Errorf("Shift+Down moved the cursor %v sideways", dx)
	}
	key(fyne.KeyUp)
	if v.cursor != start+2 {
		t.Errorf("Shift+Up came back to %d, want %d", v.cursor, start+2)
	}
	key(fyne.KeyUp)
	key(fyne.KeyUp) // past the top: the start of the text
	if s, e := v.Selection(); s != 0 || e != start {
		t.Errorf("Shift+Up to the top selected %d, %d", s, e)
	}
	v.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	key(fyne.KeyRight) // without Shift: collapses to the end
	if s, e := v.Selection(); s != start || e != start {
		t.Errorf("Right collapsed to %d, %d; want %d", s, e, start)
	}
	key(fyne.KeyRight)
	if s, e := v.Selection(); s != start+1 || e != start+1 {
		t.Errorf("Right moved the caret to %d, %d", s, e)
	}
}

func TestView_CtrlShiftArrows(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	start := runeIndex(t, sample, "Donald")
	v.SetSelection(start, start)
	words := &desktop.CustomShortcut{KeyName: fyne.KeyRight, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}
	v.TypedShortcut(words)
	v.TypedShortcut(words)
	if got := v.SelectedText(); got != "Donald Trump" {
		t.Errorf("Ctrl+Shift+Right x2 selected %q", got)
	}
	v.TypedShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyLeft, Modifier: words.Modifier})
	if got := v.SelectedText(); got != "Donald " {
		t.Errorf("then Ctrl+Shift+Left selected %q", got)
	}
}

func TestView_Copy(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	clip := fyne.CurrentApp().Clipboard()
	clip.SetContent("before")
	v.TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "before" {
		t.Errorf("copying nothing changed the clipboard to %q", got)
	}
	from := runeIndex(t, sample, "Ukraine.")
	v.SetSelection(from, from+len("Ukraine.\nNegotiations"))
	v.TypedShortcut(&fyne.ShortcutCopy{Clipboard: clip})
	if got := clip.Content(); got != "Ukraine.\nNegotiations" {
		t.Errorf("clipboard has %q", got)
	}
	v.SetSelection(0, 6)
	v.TypedShortcut(&fyne.ShortcutCopy{}) // no clipboard given: the app's
	if got := clip.Content(); got != "United" {
		t.Errorf("clipboard has %q", got)
	}
}

func TestView_KeysReachApp(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	var runes []rune
	var keys []fyne.KeyName
	v.OnRune = func(r rune) bool { runes = append(runes, r); return true }
	v.OnKey = func(ev *fyne.KeyEvent) bool {
		keys = append(keys, ev.Name)
		return ev.Name != fyne.KeyEscape
	}
	test.TapAt(v.content, posOf(t, v, 10))
	focused := w.Canvas().Focused()
	if focused != v {
		t.Fatalf("after a click the focus is on %v", focused)
	}
	v.SetSelection(0, 6)
	// What the driver sends when "1" is pressed: the key, then the rune.
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.Key1})
	focused.TypedRune('1')
	focused.TypedRune('/')
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if string(runes) != "1/" {
		t.Errorf("OnRune got %q", string(runes))
	}
	want := []fyne.KeyName{fyne.Key1, fyne.KeyReturn, fyne.KeyDelete}
	if len(keys) != len(want) || keys[0] != want[0] || keys[1] != want[1] || keys[2] != want[2] {
		t.Errorf("OnKey got %v, want %v", keys, want)
	}
	if s, e := v.Selection(); s != 0 || e != 6 {
		t.Errorf("the keys changed the selection to %d, %d", s, e)
	}
	// Escape not handled by the app collapses the selection.
	focused.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if s, e := v.Selection(); s != e {
		t.Errorf("Escape left %d, %d selected", s, e)
	}
}

func TestView_TapHighlight(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	deal := runeIndex(t, sample, "peace deal")
	v.SetHighlights([]Highlight{
		{Start: deal, End: deal + 10, Color: color.NRGBA{R: 255, G: 220, A: 255}, ID: "under"},
		{Start: deal + 6, End: deal + 30, Color: color.NRGBA{B: 255, A: 255}, ID: "top"},
	})
	var tapped []string
	v.OnHighlightTapped = func(id string) { tapped = append(tapped, id) }
	at := func(off int) fyne.Position {
		p := posOf(t, v, off)
		p.X += 2 // inside the rune
		return p
	}
	test.TapAt(v.content, at(deal+1))  // "peace": only the first
	test.TapAt(v.content, at(deal+7))  // "deal": both, the later is on top
	test.TapAt(v.content, at(deal+25)) // only the second
	test.TapAt(v.content, at(2))       // none
	if strings.Join(tapped, ",") != "under,top,top" {
		t.Errorf("OnHighlightTapped got %v", tapped)
	}
	if s, e := v.Selection(); s != 2 || e != 2 {
		t.Errorf("the tap left the selection at %d, %d; want the caret at 2", s, e)
	}
	if w.Canvas().Focused() != v {
		t.Error("a tap did not focus the view")
	}
	// A shift-click extends and does not report the highlight.
	v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: at(deal + 7)}, Button: desktop.MouseButtonPrimary, Modifier: fyne.KeyModifierShift})
	v.content.Tapped(&fyne.PointEvent{Position: at(deal + 7)})
	if len(tapped) != 3 {
		t.Errorf("a shift-click reported a highlight: %v", tapped)
	}
}

func TestView_ForwardsOtherShortcuts(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	open := &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	var got []string
	w.Canvas().AddShortcut(open, func(fyne.Shortcut) { got = append(got, "open") })
	w.Canvas().AddShortcut(&fyne.ShortcutUndo{}, func(fyne.Shortcut) { got = append(got, "undo") })
	w.Canvas().AddShortcut(&fyne.ShortcutCopy{}, func(fyne.Shortcut) { got = append(got, "canvas copy") })
	w.Canvas().Focus(v)
	v.TypedShortcut(open)
	v.TypedShortcut(&fyne.ShortcutUndo{})
	v.TypedShortcut(&fyne.ShortcutCopy{}) // the view's own
	if strings.Join(got, ",") != "open,undo" {
		t.Errorf("canvas shortcuts got %v", got)
	}
}

func TestView_SelectionChanged_Deduplicated(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	rec := &recorder{}
	v.OnSelectionChanged = rec.record
	v.SetSelection(3, 9)
	v.SetSelection(3, 9)
	v.SetSelection(9, 3) // the same range, turned round
	if len(rec.calls) != 1 || rec.calls[0] != [2]int{3, 9} {
		t.Errorf("calls %v, want one (3, 9)", rec.calls)
	}
	// Drag events that stay within one character change nothing.
	a := posOf(t, v, 20)
	b := posOf(t, v, 30)
	v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: a}, Button: desktop.MouseButtonPrimary})
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-a.X, 0)})
	n := len(rec.calls)
	for dx := float32(0); dx < 1.5; dx += 0.5 {
		v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b.AddXY(dx, 0)}, Dragged: fyne.NewDelta(0.5, 0)})
	}
	v.content.DragEnd()
	if w.Canvas().Focused() != v {
		t.Error("drag did not focus")
	}
	if len(rec.calls) != n {
		t.Errorf("drag events within a character made %d calls", len(rec.calls)-n)
	}
	if rec.last() != [2]int{20, 30} {
		t.Errorf("last call %v", rec.last())
	}
}

func TestView_SetSelection_Clamps(t *testing.T) {
	v, _ := newTestView(t, "short", testSize)
	v.SetSelection(-4, 99)
	if s, e := v.Selection(); s != 0 || e != 5 {
		t.Errorf("selection = %d, %d", s, e)
	}
	v.SetSelection(4, 1)
	if s, e := v.Selection(); s != 1 || e != 4 {
		t.Errorf("selection = %d, %d", s, e)
	}
}

func TestView_SelectionBounds(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	if _, _, _, _, ok := v.SelectionBounds(); ok {
		t.Error("bounds with nothing selected")
	}
	from := runeIndex(t, sample, "Donald")
	to := from + len("Donald Trump")
	v.SetSelection(from, to)
	top, bottom, startX, endX, ok := v.SelectionBounds()
	if !ok {
		t.Fatal("no bounds for a selection")
	}
	start, end := posOf(t, v, from), posOf(t, v, to)
	if d := startX - start.X; d > 1 || d < -1 {
		t.Errorf("startX = %v, want the start of the selection at %v", startX, start.X)
	}
	if d := endX - end.X; d > 1 || d < -1 {
		t.Errorf("endX = %v, want the end of the selection at %v", endX, end.X)
	}
	// posOf gives the middle of a line: the bounds are half a line away.
	if top > start.Y || top < start.Y-v.met.lineH || bottom < end.Y || bottom > end.Y+v.met.lineH {
		t.Errorf("top %v bottom %v, want around the lines at %v and %v", top, bottom, start.Y, end.Y)
	}
}

func TestView_Virtualised(t *testing.T) {
	text := article(200_000)
	v, w := newTestView(t, text, fyne.NewSize(600, 400))
	texts := func() (n, first, last int) {
		first = -1
		for _, o := range v.content.rend.Objects() {
			if _, ok := o.(*canvas.Text); ok {
				n++
			}
		}
		return n, v.content.rend.first, v.content.rend.last
	}
	n, _, _ := texts()
	lines := len(v.currentLayout().lines)
	if n == 0 || n > 40 {
		t.Fatalf("%d text objects for a 400 high view of %d lines", n, lines)
	}
	pooled := len(v.content.rend.freeTexts) + n

	// Scroll with the wheel, far down.
	for range 50 {
		test.Scroll(w.Canvas(), fyne.NewPos(300, 200), 0, -100)
	}
	if v.scroll.Offset.Y < 4000 {
		t.Fatalf("scrolled only to %v", v.scroll.Offset.Y)
	}
	n2, first, last := texts()
	lay := v.currentLayout()
	if lay.lines[first].y > v.scroll.Offset.Y || lineBottom(lay.lines, last, lay.spec) < v.scroll.Offset.Y+400 {
		t.Errorf("lines %d-%d drawn, they do not cover the view at %v", first, last, v.scroll.Offset.Y)
	}
	if n2 > 40 {
		t.Errorf("%d text objects after scrolling", n2)
	}
	if got := len(v.content.rend.freeTexts) + n2; got > pooled+10 {
		t.Errorf("text objects not recycled: %d made, %d before scrolling", got, pooled)
	}

	// ScrollToOffset centres the line.
	off := len([]rune(text)) * 3 / 4
	v.ScrollToOffset(off)
	i := lineOf(lay.lines, off)
	mid := lay.lines[i].y - v.scroll.Offset.Y
	if mid < 150 || mid > 250 {
		t.Errorf("line of offset %d is at %v in a 400 high view", off, mid)
	}
	_, first, last = texts()
	if i < first || i > last {
		t.Errorf("line %d not drawn (%d-%d)", i, first, last)
	}
}

func TestView_ScrollToOffset_BeforeLayout(t *testing.T) {
	test.NewTempApp(t)
	text := article(50_000)
	v := New()
	v.SetText(text)
	off := len([]rune(text)) / 2
	v.ScrollToOffset(off)
	w := test.NewTempWindow(t, v)
	w.Resize(fyne.NewSize(500, 300))
	lay := v.currentLayout()
	y := lay.lines[lineOf(lay.lines, off)].y - v.scroll.Offset.Y
	if y < 0 || y > 300 {
		t.Errorf("line of offset %d at %v, outside the view", off, y)
	}
}

func TestView_ScrollToTop(t *testing.T) {
	text := article(50_000)
	v, _ := newTestView(t, text, fyne.NewSize(500, 300))
	lay := v.currentLayout()
	off := len([]rune(text)) / 2
	v.ScrollToTop(off)
	if y := lay.lines[lineOf(lay.lines, off)].y - v.scroll.Offset.Y; y != v.met.pad {
		t.Errorf("line of offset %d at %v from the top, want %v", off, y, v.met.pad)
	}
	// Near the end the view stops at the end of the text.
	v.ScrollToTop(len([]rune(text)) - 1)
	if max := lay.height - v.scroll.Size().Height; v.scroll.Offset.Y != max {
		t.Errorf("scrolled to %v near the end, want the end %v", v.scroll.Offset.Y, max)
	}
}

func TestView_DragAutoScrolls(t *testing.T) {
	text := article(50_000)
	v, _ := newTestView(t, text, fyne.NewSize(500, 300))
	a := posOf(t, v, 10)
	v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: a}, Button: desktop.MouseButtonPrimary})
	below := fyne.NewPos(200, 400) // below the view's bottom edge
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: below}, Dragged: fyne.NewDelta(0, 400-a.Y)})
	v.content.DragEnd()
	if v.scroll.Offset.Y <= 0 {
		t.Error("dragging below the view did not scroll")
	}
	if _, e := v.Selection(); e <= 10 {
		t.Errorf("selection end %d", e)
	}
}

func TestView_ThemeChange(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	v.SetSelection(0, 10)
	textColor := func() color.Color {
		for _, o := range v.content.rend.Objects() {
			if txt, ok := o.(*canvas.Text); ok {
				return txt.Color
			}
		}
		t.Fatal("no text drawn")
		return nil
	}
	check := func(th fyne.Theme, name string) {
		t.Helper()
		test.ApplyTheme(t, th)
		w.Canvas().Capture() // paint, as a real window would
		if got, want := textColor(), th.Color(theme.ColorNameForeground, theme.VariantLight); got != want {
			t.Errorf("%s: text colour %v, want %v", name, got, want)
		}
		if got, want := v.content.rend.sel, th.Color(theme.ColorNameSelection, theme.VariantLight); got != want {
			t.Errorf("%s: selection colour %v, want %v", name, got, want)
		}
	}
	check(darkTheme, "dark")
	check(lightTheme, "light")
}

func TestView_Caret(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	rects := func() int {
		n := 0
		for _, o := range v.content.rend.Objects() {
			if _, ok := o.(*canvas.Rectangle); ok {
				n++
			}
		}
		return n - 1 // the background
	}
	if n := rects(); n != 0 {
		t.Errorf("%d rectangles without focus or selection", n)
	}
	w.Canvas().Focus(v)
	if n := rects(); n != 1 {
		t.Errorf("%d rectangles with the focus, want the caret", n)
	}
	w.Canvas().Unfocus()
	if n := rects(); n != 0 {
		t.Errorf("%d rectangles after losing the focus", n)
	}
}

// The driver unfocuses when the button is released over something that
// cannot take the focus, just before DragEnd: the view must take it back.
func TestView_DragEnd_KeepsFocus(t *testing.T) {
	v, w := newTestView(t, sample, testSize)
	a, b := posOf(t, v, 5), posOf(t, v, 40)
	v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: a}, Button: desktop.MouseButtonPrimary})
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-a.X, b.Y-a.Y)})
	w.Canvas().Unfocus()
	v.content.DragEnd()
	if w.Canvas().Focused() != v {
		t.Error("the view lost the focus at the end of a drag")
	}
}

func TestView_ModifierKeysNotPassedOn(t *testing.T) {
	v, _ := newTestView(t, sample, testSize)
	var keys []fyne.KeyName
	v.OnKey = func(ev *fyne.KeyEvent) bool { keys = append(keys, ev.Name); return true }
	for _, k := range []fyne.KeyName{desktop.KeyShiftLeft, desktop.KeyControlRight, desktop.KeyAltLeft, desktop.KeySuperLeft, fyne.KeyA} {
		v.TypedKey(&fyne.KeyEvent{Name: k})
	}
	if len(keys) != 1 || keys[0] != fyne.KeyA {
		t.Errorf("OnKey got %v, want only A", keys)
	}
}

func TestView_Resize_KeepsPlace(t *testing.T) {
	text := article(100_000)
	v, w := newTestView(t, text, fyne.NewSize(900, 400))
	v.ScrollToOffset(len([]rune(text)) / 2)
	lay := v.currentLayout()
	top := int(lay.lines[lineAtY(lay.lines, v.scroll.Offset.Y)].start)
	w.Resize(fyne.NewSize(400, 400))
	lay = v.currentLayout()
	if lay.spec.width > 400 {
		t.Fatalf("not wrapped again: column %v", lay.spec.width)
	}
	now := lay.lines[lineAtY(lay.lines, v.scroll.Offset.Y)]
	if top < int(now.start) || top > int(now.end) {
		t.Errorf("offset %d was at the top, now the top line is %d-%d", top, now.start, now.end)
	}
}

func TestView_HomeEndPage(t *testing.T) {
	v, _ := newTestView(t, article(20_000), fyne.NewSize(500, 300))
	lay := v.currentLayout()
	key := func(name fyne.KeyName) { v.TypedKey(&fyne.KeyEvent{Name: name}) }
	mid := int(lay.lines[3].start) + 5
	v.SetSelection(mid, mid)
	key(fyne.KeyHome)
	if s, _ := v.Selection(); s != int(lay.lines[3].start) {
		t.Errorf("Home went to %d, want the line start %d", s, lay.lines[3].start)
	}
	key(fyne.KeyEnd)
	if s, _ := v.Selection(); lineOf(lay.lines, s) != 3 || s <= mid {
		t.Errorf("End went to %d, on line %d", s, lineOf(lay.lines, s))
	}
	v.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftRight})
	key(fyne.KeyPageDown)
	s, e := v.Selection()
	if lines := lineOf(lay.lines, e) - lineOf(lay.lines, s); lines < 5 {
		t.Errorf("Shift+Page Down selected over %d lines", lines)
	}
	if v.scroll.Offset.Y <= 0 {
		t.Error("Page Down near the bottom of the view did not scroll")
	}
	v.FocusLost() // forgets Shift
	key(fyne.KeyPageUp)
	if s, e := v.Selection(); s != e {
		t.Errorf("Page Up after the focus came back still extends: %d, %d", s, e)
	}
}

func TestView_OnScrolled(t *testing.T) {
	text := article(50_000)
	v, _ := newTestView(t, text, fyne.NewSize(500, 300))
	calls := 0
	v.OnScrolled = func() { calls++ }
	v.ScrollToOffset(len([]rune(text)) / 2)
	if calls == 0 {
		t.Fatalf("OnScrolled was not called by ScrollToOffset")
	}
	if v.scroll.Offset.Y == 0 {
		t.Errorf("the view did not scroll")
	}
	before := calls
	v.scroll.Scrolled(&fyne.ScrollEvent{Scrolled: fyne.NewDelta(0, -120)})
	if calls == before {
		t.Errorf("OnScrolled was not called for a wheel scroll")
	}
}

func TestView_PutHighlights_RepaintsOnlyWhatShows(t *testing.T) {
	text := article(200_000)
	v, _ := newTestView(t, text, fyne.NewSize(600, 400))
	red := color.NRGBA{R: 0xff, A: 0xff}
	blue := color.NRGBA{B: 0xff, A: 0xff}
	v.SetHighlights([]Highlight{{Start: 10, End: 20, Color: red, ID: "a"}, {Start: 30, End: 40, Color: red, ID: "b"}})
	rects := func() int {
		n := 0
		for _, o := range v.content.rend.Objects() {
			if _, ok := o.(*canvas.Rectangle); ok {
				n++
			}
		}
		return n
	}
	painted := func() int { return v.content.rend.painted }
	base, p0 := rects(), painted()

	far := len([]rune(text)) - 100
	tests := []struct {
		name    string
		do      func()
		repaint bool
		rects   int // rectangles more than at the start
		order   string
	}{
		{"a new highlight out of sight", func() { v.PutHighlights(Highlight{Start: far, End: far + 10, Color: blue, ID: "c"}) }, false, 0, "a b c"},
		{"a new highlight in sight", func() { v.PutHighlights(Highlight{Start: 50, End: 55, Color: blue, ID: "d"}) }, true, 1, "a b c d"},
		{"a recoloured one goes on top", func() { v.PutHighlights(Highlight{Start: 10, End: 20, Color: blue, ID: "a"}) }, true, 1, "b c d a"},
		{"one moved out of sight", func() { v.PutHighlights(Highlight{Start: far, End: far + 5, Color: blue, ID: "d"}) }, true, 0, "b c a d"},
		{"removed out of sight", func() { v.RemoveHighlights("c", "d") }, false, 0, "b a"},
		{"removed in sight", func() { v.RemoveHighlights("b") }, true, -1, "a"},
		{"an unknown ID", func() { v.RemoveHighlights("zz") }, false, -1, "a"},
	}
	for _, tt := range tests {
		before := painted()
		tt.do()
		if got := painted() > before; got != tt.repaint {
			t.Errorf("%s: repainted %v, want %v", tt.name, got, tt.repaint)
		}
		if got := rects() - base; got != tt.rects {
			t.Errorf("%s: %d rectangles more, want %d", tt.name, got, tt.rects)
		}
		var ids []string
		for _, h := range v.Highlights() {
			ids = append(ids, h.ID)
		}
		if got := strings.Join(ids, " "); got != tt.order {
			t.Errorf("%s: highlights %q, want %q", tt.name, got, tt.order)
		}
	}
	if painted()-p0 != 4 {
		t.Errorf("%d repaints, want 4", painted()-p0)
	}
}

func TestView_CtrlHomeEnd(t *testing.T) {
	text := article(20_000)
	v, _ := newTestView(t, text, fyne.NewSize(500, 300))
	n := len([]rune(text))
	ctrl := func(k fyne.KeyName) {
		v.TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault})
	}
	v.SetSelection(100, 200)
	ctrl(fyne.KeyEnd)
	if s, e := v.Selection(); s != n || e != n {
		t.Fatalf("Ctrl+End: selection %d–%d, want the caret at the end (%d)", s, e, n)
	}
	if f, _ := v.ScrollFraction(); f < 0.99 {
		t.Errorf("Ctrl+End: scrolled to %.2f of the text, want the end", f)
	}
	ctrl(fyne.KeyHome)
	if s, e := v.Selection(); s != 0 || e != 0 {
		t.Fatalf("Ctrl+Home: selection %d–%d, want the caret at 0", s, e)
	}
	if f, _ := v.ScrollFraction(); f != 0 {
		t.Errorf("Ctrl+Home: scrolled to %.2f of the text, want the top", f)
	}
}

func TestView_ScrollFraction(t *testing.T) {
	short, _ := newTestView(t, "A short text.", fyne.NewSize(500, 300))
	if f, scrolls := short.ScrollFraction(); f != 0 || scrolls {
		t.Errorf("a text that fits: %v, scrolls %v", f, scrolls)
	}
	text := article(50_000)
	v, _ := newTestView(t, text, fyne.NewSize(500, 300))
	v.ScrollToOffset(len([]rune(text)) / 2)
	if f, scrolls := v.ScrollFraction(); f < 0.3 || f > 0.7 || !scrolls {
		t.Errorf("scrolled to the middle: %v, scrolls %v", f, scrolls)
	}
}

func TestView_Marks(t *testing.T) {
	const text = "Negotiations remain stuck on the most sensitive issues: " +
		"territorial control and long-term security guarantees.\n\n" +
		"Ukrainian officials said they would soon send teams to Moscow."
	v, w := newTestView(t, text, fyne.NewSize(360, 240))
	test.ApplyTheme(t, lightTheme)
	the := runeIndex(t, text, "the most")
	terr := runeIndex(t, text, "territorial")
	v.SetHighlights([]Highlight{{Start: the, End: terr + 11, Color: color.NRGBA{R: 0x1e, G: 0x88, B: 0xe5, A: 114}, ID: "blue"}})
	v.SetMarks([]Mark{
		{Start: the, End: the + 3},
		{Start: runeIndex(t, text, "sensitive issues: territorial"), End: terr + 11, Current: true},
		{Start: runeIndex(t, text, "teams"), End: runeIndex(t, text, "teams") + 5},
	})
	test.AssertImageMatches(t, "view_marks.png", w.Canvas().Capture())
	v.SetText(text)
	if len(v.marks) != 0 {
		t.Errorf("a new text kept the marks of the old one")
	}
}

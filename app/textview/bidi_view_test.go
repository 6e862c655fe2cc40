package textview

import (
	"math"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// Right-to-left and East Asian text in the widget. Positions come either
// from fixed metrics (every rune 10 wide), where the expected x of each
// offset is known, or, with the machine's fonts, from the text objects the
// view draws, measured with Fyne directly; assertions are about offsets
// and geometry, not pixels (non-Latin glyphs come from the system fonts).

// newFixedView returns a view whose measurer gives every rune a width of
// 10 and lines a height of 20, showing st-styled text in a test window.
func newFixedView(t *testing.T, text string, st Style, size fyne.Size) *View {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, lightTheme)
	v := New()
	v.meas.measure = func(s string, _ float32, _ fyne.TextStyle) (fyne.Size, float32) {
		return fyne.NewSize(10*float32(utf8.RuneCountInString(s)), 20), 15
	}
	w := test.NewTempWindow(t, v)
	w.SetPadded(false)
	w.Resize(size)
	v.SetStyledText(text, st)
	return v
}

// doubleTap double-clicks at p (content coordinates).
func doubleTap(v *View, p fyne.Position) {
	ev := &fyne.PointEvent{Position: p}
	v.content.Tapped(ev)
	v.content.DoubleTapped(ev)
}

// lineY returns the middle of line i.
func lineY(v *View, i int) float32 {
	lay := v.currentLayout()
	return (lay.lines[i].y + lay.bottom(i)) / 2
}

const hebrewWords = "א בב גגג דדדד"

var hebrewWordRanges = [][2]int{{0, 1}, {2, 4}, {5, 8}, {9, 13}}

// A double-click on each word of a right-to-left line, with fixed metrics,
// selects that word: the line is right-aligned and read from the right.
func TestView_RTL_DoubleClickWords_Fixed(t *testing.T) {
	v := newFixedView(t, hebrewWords, Style{}, fyne.NewSize(400, 200))
	lay := v.currentLayout()
	right := lay.colX + lay.spec.width // the line's right end
	for k, x := range []float32{125, 100, 65, 20} {
		// x from the line's left end: inside א, בב, גגג, דדדד.
		want := hebrewWordRanges[k]
		doubleTap(v, fyne.NewPos(right-130+x, lineY(v, 0)))
		if s, e := v.Selection(); s != want[0] || e != want[1] {
			t.Errorf("double-click at %v selected [%d, %d), want %v", x, s, e, want)
		}
	}
	// The caret at each offset is at the right x: offset k is 10k left of
	// the right end, the end of the line at its left end.
	g := v.geom(0)
	for off := 0; off <= 13; off++ {
		if x, want := lay.colX+g.xIn(off, v.fw), right-10*float32(off); x != want {
			t.Errorf("x of offset %d = %v, want %v", off, x, want)
		}
	}
}

// A drag across part of a right-to-left line selects the logical range
// between the two ends, painted as one rectangle, and SelectionBounds
// tells where its start (right) and end (left) are.
func TestView_RTL_Drag(t *testing.T) {
	v := newFixedView(t, hebrewWords, Style{}, fyne.NewSize(400, 200))
	lay := v.currentLayout()
	right := lay.colX + lay.spec.width
	y := lineY(v, 0)
	// From the start of בב (offset 2) leftwards to the end of גגג (8).
	drag(v, fyne.NewPos(right-20, y), fyne.NewPos(right-80, y))
	if s, e := v.Selection(); s != 2 || e != 8 {
		t.Fatalf("drag selected [%d, %d), want [2, 8)", s, e)
	}
	// And the other way round gives the same range.
	drag(v, fyne.NewPos(right-80, y), fyne.NewPos(right-20, y))
	if s, e := v.Selection(); s != 2 || e != 8 {
		t.Fatalf("drag back selected [%d, %d), want [2, 8)", s, e)
	}
	sel := selectionRects(v)
	if len(sel) != 1 || sel[0].Position().X != right-80 || sel[0].Size().Width != 60 {
		t.Errorf("selection rectangles %v, want one at %v, 60 wide", rectExtents(sel), right-80)
	}
	_, _, startX, endX, ok := v.SelectionBounds()
	if !ok || startX != right-20 || endX != right-80 {
		t.Errorf("SelectionBounds x = %v, %v, %v; want %v, %v", startX, endX, ok, right-20, right-80)
	}
}

// selectionRects returns the rectangles painted in the selection colour.
func selectionRects(v *View) []*canvas.Rectangle {
	r := v.content.rend
	var out []*canvas.Rectangle
	for _, rect := range r.rects[:r.nRects] {
		if rect.FillColor == r.sel {
			out = append(out, rect)
		}
	}
	return out
}

func rectExtents(rs []*canvas.Rectangle) [][2]float32 {
	var out [][2]float32
	for _, r := range rs {
		out = append(out, [2]float32{r.Position().X, r.Position().X + r.Size().Width})
	}
	return out
}

// The mixed line "abc אבג 123 def" in a left-to-right paragraph and, after
// a RIGHT-TO-LEFT MARK, in a right-to-left one: the words are shown in the
// order of the bidi algorithm, a double-click on each selects it, and a
// range across directions is painted as several rectangles.
func TestView_Bidi_MixedLine(t *testing.T) {
	words := []string{"abc", "אבג", "123", "def"}
	for _, tt := range []struct {
		name   string
		prefix string
		visual []string // the words left to right
	}{
		// The number after the Hebrew word is at level 2, reversed with
		// it (UAX #9 rules W7, I1, L2).
		{"ltr", "", []string{"abc", "123", "אבג", "def"}},
		{"rtl", "\u200f", []string{"def", "123", "אבג", "abc"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			text := tt.prefix + "abc אבג 123 def"
			v := newFixedView(t, text, Style{}, fyne.NewSize(400, 200))
			lay := v.currentLayout()
			g := v.geom(0)
			n := utf8.RuneCountInString(tt.prefix)
			// Right-aligned when right to left, left-aligned otherwise.
			if want := lay.colX + lay.spec.width - 10*float32(utf8.RuneCountInString(text)); tt.prefix != "" && lay.colX+g.left != want {
				t.Errorf("rtl line starts at %v, want %v", lay.colX+g.left, want)
			} else if tt.prefix == "" && g.left != 0 {
				t.Errorf("ltr line indented by %v", g.left)
			}
			center := map[string]float32{}
			for k, w := range words {
				s := n + 4*k
				sp := g.spans(s, s+3, v.fw, nil)
				if len(sp) != 1 || sp[0].X1-sp[0].X0 != 30 {
					t.Fatalf("%s covers %v", w, sp)
				}
				center[w] = lay.colX + (sp[0].X0+sp[0].X1)/2
				doubleTap(v, fyne.NewPos(center[w], lineY(v, 0)))
				if a, b := v.Selection(); a != s || b != s+3 {
					t.Errorf("double-click on %s selected [%d, %d) %q, want [%d, %d)", w, a, b, v.SelectedText(), s, s+3)
				}
			}
			for k := 1; k < len(tt.visual); k++ {
				if center[tt.visual[k-1]] >= center[tt.visual[k]] {
					t.Errorf("%s is not left of %s: %v", tt.visual[k-1], tt.visual[k], center)
				}
			}
			// "c אב": the end of abc and the start of the Hebrew word,
			// which is its right part: two rectangles in the LTR
			// paragraph, apart.
			v.SetSelection(n+2, n+6)
			if sel := selectionRects(v); tt.prefix == "" && len(sel) != 2 {
				t.Errorf("selection over mixed text painted %v, want two rectangles", rectExtents(sel))
			}
		})
	}
}

// With the machine's fonts: a right-to-left line is drawn right-aligned,
// and a double-click on each word, at the place Fyne draws it, selects it.
func TestView_RTL_DoubleClickWords(t *testing.T) {
	v, w := newTestView(t, hebrewWords, fyne.NewSize(500, 200))
	w.Canvas().Capture()
	lay := v.currentLayout()
	ts := v.content.rend.texts[0]
	if len(ts) != 1 || ts[0].Text != hebrewWords {
		t.Fatalf("drawn texts %v, want the line as one", textsOf(ts))
	}
	txt := ts[0]
	size, style := txt.TextSize, txt.TextStyle
	width := fyne.MeasureText(txt.Text, size, style).Width
	right := txt.Position().X + width
	if d := right - (lay.colX + lay.spec.width); d > 1 || d < -1 {
		t.Errorf("the line ends at %v, the column at %v", right, lay.colX+lay.spec.width)
	}
	rs := []rune(hebrewWords)
	prev := right + 1
	for _, wr := range hebrewWordRanges {
		// Glyphs are laid out from the right: the word [s, e) spans from
		// right-width(prefix e) to right-width(prefix s).
		x0 := right - fyne.MeasureText(string(rs[:wr[1]]), size, style).Width
		x1 := right - fyne.MeasureText(string(rs[:wr[0]]), size, style).Width
		mid := (x0 + x1) / 2
		if mid >= prev {
			t.Errorf("word %v is not left of the one before", wr)
		}
		prev = mid
		doubleTap(v, fyne.NewPos(mid, lineY(v, 0)))
		if s, e := v.Selection(); s != wr[0] || e != wr[1] {
			t.Errorf("double-click at x %v selected [%d, %d) %q, want %v", mid, s, e, v.SelectedText(), wr)
		}
	}
}

func textsOf(ts []*canvas.Text) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Text)
	}
	return out
}

// A Hebrew paragraph with a comma and a bold word: each piece is drawn on
// its own (Fyne would put the comma's face segment in the wrong place),
// right to left, the bold word in the bold font, and clicks map to the
// logical offsets.
func TestView_RTL_Styled(t *testing.T) {
	const text = "שלום, עולם גדול"
	st := Style{Spans: []Span{{Kind: SpanStrong, Start: 6, End: 10}}} // עולם
	v := newFixedView(t, text, st, fyne.NewSize(400, 200))
	lay := v.currentLayout()
	g := v.geom(0)
	if g.flow == nil {
		t.Fatal("the line has no bidi geometry")
	}
	right := lay.colX + lay.spec.width
	ts := v.content.rend.texts[0]
	var bold string
	xs := map[string]float32{}
	for _, txt := range ts {
		s := strings.TrimPrefix(txt.Text, "\u200f")
		xs[strings.TrimSpace(s)] = txt.Position().X
		if txt.TextStyle.Bold {
			bold += s
		}
	}
	if strings.TrimSpace(bold) != "עולם" {
		t.Errorf("bold text %q, want עולם (drawn %q)", bold, textsOf(ts))
	}
	// שלום rightmost, then the comma, עולם, גדול.
	if !(xs["שלום"] > xs[","] && xs[","] > xs["עולם"] && xs["עולם"] > xs["גדול"]) {
		t.Errorf("pieces out of order: %v", xs)
	}
	for _, c := range []struct {
		x    float32
		want [2]int
	}{{15, [2]int{0, 4}}, {80, [2]int{6, 10}}, {135, [2]int{11, 15}}} {
		doubleTap(v, fyne.NewPos(right-c.x, lineY(v, 0)))
		if s, e := v.Selection(); s != c.want[0] || e != c.want[1] {
			t.Errorf("double-click %v from the right selected [%d, %d), want %v", c.x, s, e, c.want)
		}
	}
}

// A highlight and a find mark over a right-to-left word are painted over
// its glyphs, at the right of the line.
func TestView_RTL_HighlightAndMark(t *testing.T) {
	v := newFixedView(t, hebrewWords, Style{}, fyne.NewSize(400, 200))
	lay := v.currentLayout()
	right := lay.colX + lay.spec.width
	hl := Highlight{Start: 2, End: 4, Color: markFill, ID: "h"}
	v.SetHighlights([]Highlight{hl})
	v.SetMarks([]Mark{{Start: 9, End: 13, Current: true}})
	r := v.content.rend
	var hx, mx [][2]float32
	for _, rect := range r.rects[:r.nRects] {
		ext := [2]float32{rect.Position().X, rect.Position().X + rect.Size().Width}
		switch rect.FillColor {
		case markFill:
			hx = append(hx, ext)
		case markCurrentFill:
			mx = append(mx, ext)
		}
	}
	if len(hx) != 1 || hx[0] != [2]float32{right - 40, right - 20} {
		t.Errorf("highlight painted at %v, want [%v %v]", hx, right-40, right-20)
	}
	if len(mx) != 1 || mx[0] != [2]float32{right - 130, right - 90} {
		t.Errorf("mark painted at %v, want [%v %v]", mx, right-130, right-90)
	}
	// The current mark's frame has a bar at each end: its start (offset 9)
	// is its right end, its end (13, the end of the line) its left end.
	var bars []float32
	for _, rect := range r.rects[:r.nRects] {
		if rect.FillColor == markFrame && rect.Size().Width < 5 {
			bars = append(bars, rect.Position().X)
		}
	}
	thick := float32(max(1, math.Round(float64(v.met.textSize)/12)))
	if len(bars) != 2 || !slices.Contains(bars, right-130) || !slices.Contains(bars, right-90-thick) {
		t.Errorf("mark bars at %v, want at %v and %v", bars, right-130, right-90-thick)
	}
}

// "Go言語": a double-click on 言 selects 言語, on G selects Go.
func TestView_CJK_DoubleClick(t *testing.T) {
	v := newFixedView(t, "Go言語です。", Style{}, fyne.NewSize(400, 200))
	lay := v.currentLayout()
	for _, c := range []struct {
		off  int
		want [2]int
	}{{2, [2]int{2, 4}}, {0, [2]int{0, 2}}, {4, [2]int{4, 6}}} {
		doubleTap(v, fyne.NewPos(lay.colX+10*float32(c.off)+5, lineY(v, 0)))
		if s, e := v.Selection(); s != c.want[0] || e != c.want[1] {
			t.Errorf("double-click on %d selected [%d, %d), want %v", c.off, s, e, c.want)
		}
	}
}

// A Japanese paragraph in a narrow view breaks between ideographs, never
// before 。、」 (nor after 「), and every line fits.
func TestView_CJK_NarrowWrap(t *testing.T) {
	const text = "日本語のテキストを、狭い列で折り返します。「括弧」の前後も、正しく処理されること。"
	for _, width := range []float32{150, 160, 170, 180, 190, 200, 210} {
		v := newFixedView(t, text, Style{}, fyne.NewSize(width, 400))
		lay := v.currentLayout()
		if len(lay.lines) < 3 {
			t.Fatalf("width %v: %d lines", width, len(lay.lines))
		}
		for i, ln := range lay.lines {
			s := v.text[ln.bstart:ln.bend]
			first, _ := utf8.DecodeRuneInString(s)
			last, _ := utf8.DecodeLastRuneInString(s)
			if strings.ContainsRune("。、」", first) || (last == '「' && i < len(lay.lines)-1) {
				t.Errorf("width %v: line %d is %q", width, i, s)
			}
			if w := 10 * float32(utf8.RuneCountInString(s)); w > lay.spec.width {
				t.Errorf("width %v: line %d %q is %v wide, the column %v", width, i, s, w, lay.spec.width)
			}
		}
	}
}

// Drags in the real driver's order over a bidi line end where they should
// (the content gets MouseDown and Dragged relative to itself).
func TestView_RTL_MouseDownDrag(t *testing.T) {
	v := newFixedView(t, "abc "+hebrewWords, Style{}, fyne.NewSize(400, 200))
	lay := v.currentLayout()
	y := lineY(v, 0)
	// In the LTR paragraph the Hebrew run (offsets 4..17) is drawn at
	// x 40..170 from its right end: offset 4+k at 170-10k.
	x := func(off int) float32 { return lay.colX + 170 - 10*float32(off-4) }
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x(6), y)}, Button: desktop.MouseButtonPrimary}
	v.content.MouseDown(ev)
	if s, e := v.Selection(); s != 6 || e != 6 {
		t.Fatalf("MouseDown put the caret at [%d, %d), want 6", s, e)
	}
	b := fyne.NewPos(x(12), y)
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-ev.Position.X, 0)})
	v.content.DragEnd()
	if s, e := v.Selection(); s != 6 || e != 12 {
		t.Errorf("drag selected [%d, %d), want [6, 12)", s, e)
	}
}

// A short right-to-left paragraph with a selection, a highlight and a
// mixed line, drawn. The Hebrew glyphs come from the system's fonts (DejaVu
// Sans where the image was made): the test is skipped where the alef has
// another width.
func TestView_RenderRTL(t *testing.T) {
	const text = "שלום, עולם! זהו משפט קצר בעברית, מיושר לימין.\n\nabc אבג 123 def"
	v, w := newTestView(t, text, fyne.NewSize(360, 200))
	if got := fyne.MeasureText("א", v.met.textSize, fyne.TextStyle{}).Width; got < 11.35 || got > 11.37 {
		t.Skipf("the Hebrew font here is not the one the image was made with (alef %v wide)", got)
	}
	v.SetSelection(6, 10) // עולם
	v.SetHighlights([]Highlight{{Start: 50, End: 54, Color: markFill, ID: "h"}})
	test.AssertImageMatches(t, "view_rtl.png", w.Canvas().Capture())
}

// A right-to-left paragraph wrapped on several lines: every line starts
// at the column's right (a soft line's trailing space hangs at its left),
// a click left of a soft line puts the caret before that space, and a
// selection across the wrap covers the end of one line and the start of
// the next.
func TestView_RTL_Wrapped(t *testing.T) {
	text := strings.TrimSpace(strings.Repeat("אבגד ", 30))
	v := newFixedView(t, text, Style{}, fyne.NewSize(400, 300))
	lay := v.currentLayout()
	if len(lay.lines) < 3 {
		t.Fatalf("%d lines", len(lay.lines))
	}
	right := lay.colX + lay.spec.width
	for i, ln := range lay.lines {
		g := v.geom(i)
		if x := lay.colX + g.xIn(0, v.fw); x != right {
			t.Errorf("line %d starts at x %v, want %v", i, x, right)
		}
		if i == len(lay.lines)-1 {
			break
		}
		c, _ := v.hit(fyne.NewPos(lay.colX+1, lineY(v, i)))
		if c != int(ln.end)-1 {
			t.Errorf("a click left of line %d put the caret at %d, want %d", i, c, ln.end-1)
		}
	}
	// From the last word of line 0 to the first of line 1.
	s, e := int(lay.lines[1].start)-5, int(lay.lines[1].start)+4
	v.SetSelection(s, e)
	sel := selectionRects(v)
	if len(sel) != 2 {
		t.Fatalf("selection painted as %v", rectExtents(sel))
	}
	// Line 0: its last word and the space after it, at its left end
	// (clipped at a space's width left of the column); line 1: its first
	// word, at its right end.
	left := lay.colX + v.geom(0).left
	if got, want := rectExtents(sel[:1])[0], [2]float32{max(left, lay.colX-v.met.spaceW), left + 50}; got != want {
		t.Errorf("line 0 selection %v, want %v", got, want)
	}
	if got := rectExtents(sel[1:]); got[0] != [2]float32{right - 40, right} {
		t.Errorf("line 1 selection %v, want [%v %v]", got, right-40, right)
	}
}

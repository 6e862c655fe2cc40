package textview

import (
	"image/color"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// newStyledView returns a view showing a styled text in a test window.
func newStyledView(t *testing.T, text string, st Style, size fyne.Size) (*View, fyne.Window) {
	t.Helper()
	v, w := newTestView(t, "", size)
	v.SetStyledText(text, st)
	return v, w
}

// TestView_RenderStyled paints a short styled article: a heading, a
// paragraph with italic, bold, code and a link, a subheading, a list whose
// long item wraps under its text, a quote, a code block and a caption, with
// a highlight over a bold word.
func TestView_RenderStyled(t *testing.T) {
	text, st := styledSample()
	v, w := newStyledView(t, text, st, fyne.NewSize(520, 560))
	draft := runeIndex(t, text, "draft agreement")
	v.SetHighlights([]Highlight{{Start: draft, End: draft + len("draft"), Color: color.NRGBA{R: 0xff, G: 0xd5, B: 0x00, A: 114}, ID: "yellow"}})
	test.AssertImageMatches(t, "view_styled.png", w.Canvas().Capture())
}

// A style of plain paragraphs draws exactly as no style.
func TestView_PlainStyleDrawsAsText(t *testing.T) {
	const text = "Negotiations remain stuck on the most sensitive issues: " +
		"territorial control and long-term security guarantees.\n\n" +
		"Ukrainian officials said they would soon send teams to Moscow."
	st := Style{Blocks: []Block{{Kind: BlockParagraph, Start: 0, End: 110}, {Kind: BlockParagraph, Start: 112, End: 174}}}
	plain, pw := newTestView(t, text, fyne.NewSize(360, 240))
	plain.SetSelection(20, 130)
	styled, sw := newStyledView(t, text, st, fyne.NewSize(360, 240))
	styled.SetSelection(20, 130)
	a, b := pw.Canvas().Capture(), sw.Canvas().Capture()
	if a.Bounds() != b.Bounds() {
		t.Fatal("different sizes")
	}
	for y := a.Bounds().Min.Y; y < a.Bounds().Max.Y; y++ {
		for x := a.Bounds().Min.X; x < a.Bounds().Max.X; x++ {
			if a.At(x, y) != b.At(x, y) {
				t.Fatalf("pixel %d, %d differs", x, y)
			}
		}
	}
}

// The same word has the same offsets whatever its style: a double-click
// on it and a drag over it select it, in the styled view as in the plain.
func TestView_Styled_WordOffsets(t *testing.T) {
	text, st := styledSample()
	words := []string{
		"fine",         // a heading
		"Geneva",       // italic
		"agreement",    // bold
		"annex",        // code
		"ministry’s",   // a link
		"changed",      // a subheading
		"commission",   // a list item
		"earlier",      // the wrapped line of a list item
		"framework",    // a quote
		"every clause", // italic in a quote
		"publish(",     // a code block
		"clauses",      // a caption
		"Territorial",  // after a list marker
	}
	styled, _ := newStyledView(t, text, st, fyne.NewSize(520, 560))
	plain, _ := newTestView(t, text, fyne.NewSize(520, 560))
	for _, view := range []struct {
		name string
		v    *View
	}{{"styled", styled}, {"plain", plain}} {
		v := view.v
		now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
		v.content.now = func() time.Time { return now }
		for _, sub := range words {
			word := strings.Fields(strings.TrimSuffix(sub, "("))[0]
			start := runeIndex(t, text, sub)
			end := start + utf8.RuneCountInString(word)
			p := drawnPos(t, v, start+1)
			p.X++
			v.content.DoubleTapped(&fyne.PointEvent{Position: p})
			if s, e := v.Selection(); s != start || e != end {
				t.Errorf("%s: double-click on %q selected %d–%d %q, want %d–%d", view.name, word, s, e, v.SelectedText(), start, end)
			}
			v.SetSelection(0, 0)
			now = now.Add(time.Second) // not a triple-click
			// From the left edge of the first rune to the right edge of
			// the last.
			drag(v, drawnPos(t, v, start), drawnRight(t, v, end-1))
			if s, e := v.Selection(); s != start || e != end {
				t.Errorf("%s: a drag over %q selected %d–%d %q, want %d–%d", view.name, word, s, e, v.SelectedText(), start, end)
			}
		}
	}
}

// drag sends what the driver sends for a drag from a to b (content
// coordinates): MouseDown, Dragged, MouseUp, DragEnd.
func drag(v *View, a, b fyne.Position) {
	ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: a}, Button: desktop.MouseButtonPrimary}
	v.content.MouseDown(ev)
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-a.X, b.Y-a.Y)})
	ev.Position = b
	v.content.MouseUp(ev)
	v.content.DragEnd()
}

// drawnRight returns where the right edge of the rune at off is drawn (see
// drawnPos).
func drawnRight(t *testing.T, v *View, off int) fyne.Position {
	t.Helper()
	p := drawnPos(t, v, off)
	lay := v.currentLayout()
	i := lineOf(lay.lines, off)
	b := byteOffset(v.text, lay.lines, off)
	r, _ := utf8.DecodeRuneInString(v.text[b:])
	for _, txt := range v.content.rend.texts[i] {
		if p.X >= txt.Position().X && p.X <= txt.Position().X+txt.Size().Width {
			return p.AddXY(fyne.MeasureText(string(r), txt.TextSize, txt.TextStyle).Width, 0)
		}
	}
	t.Fatalf("offset %d is not drawn", off)
	return p
}

// The view's geometry places every rune where it is drawn.
func TestView_Styled_GeometryMatchesDrawing(t *testing.T) {
	text, st := styledSample()
	v, _ := newStyledView(t, text, st, fyne.NewSize(520, 560))
	lay := v.currentLayout()
	for off := range utf8.RuneCountInString(text) {
		i := lineOf(lay.lines, off)
		ln := lay.lines[i]
		r, _ := utf8.DecodeRuneInString(v.text[byteOffset(v.text, lay.lines, off):])
		if isBreakSpace(r) || r == '\n' || len(v.content.rend.texts[i]) == 0 {
			continue
		}
		want := drawnPos(t, v, off)
		x := lay.colX + v.geom(i).xIn(off-int(ln.start), v.fw)
		if d := x - want.X; d > 0.01 || d < -0.01 {
			t.Errorf("offset %d (%q): the geometry says x %v, drawn at %v", off, r, x, want.X)
		}
		if want.Y < ln.y || want.Y > lay.bottom(i) {
			t.Errorf("offset %d (%q): drawn at y %v, outside its line %v–%v", off, r, want.Y, ln.y, lay.bottom(i))
		}
		if c, u := v.hit(fyne.NewPos(x+0.5, want.Y)); c != off || u != off {
			t.Errorf("offset %d (%q): hit just right of its left edge gives %d, %d", off, r, c, u)
		}
	}
}

func TestView_Styled_LineHeights(t *testing.T) {
	text, st := styledSample()
	v, _ := newStyledView(t, text, st, fyne.NewSize(520, 560))
	lay := v.currentLayout()
	h := func(sub string) float32 {
		i := lineIndex(t, v, runeIndex(t, text, sub))
		return lay.bottom(i) - lay.lines[i].y
	}
	body, h1, h2, code := h("Negotiators"), h("Reading"), h("What"), h("publish(")
	if !(h1 > h2 && h2 > body) {
		t.Errorf("line heights: h1 %v, h2 %v, body %v", h1, h2, body)
	}
	if body != v.met.lineH {
		t.Errorf("a body line is %v high, want %v", body, v.met.lineH)
	}
	if code >= body {
		t.Errorf("a code line is %v high, the body's %v", code, body)
	}
	// More space above a heading than below it.
	i := lineIndex(t, v, runeIndex(t, text, "What"))
	above := lay.lines[i].y - lay.bottom(i-2) // the paragraph's last line, then a blank line
	below := lay.lines[i+2].y - lay.bottom(i)
	if above <= below {
		t.Errorf("%v above the subheading, %v below", above, below)
	}
	if lay.height != lay.bottom(len(lay.lines)-1)+v.met.pad {
		t.Errorf("height %v, want the last line's bottom and padding", lay.height)
	}
}

func TestView_LinkTapped(t *testing.T) {
	text, st := styledSample()
	v, w := newStyledView(t, text, st, fyne.NewSize(520, 560))
	var hrefs []string
	v.OnLinkTapped = func(href string) { hrefs = append(hrefs, href) }
	link := runeIndex(t, text, "ministry’s")
	p := drawnPos(t, v, link+2)
	click := func(p fyne.Position, mod fyne.KeyModifier) {
		ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}, Button: desktop.MouseButtonPrimary, Modifier: mod}
		v.content.MouseDown(ev)
		v.content.MouseUp(ev)
		v.content.Tapped(&ev.PointEvent)
	}
	v.SetSelection(3, 9)
	click(p, fyne.KeyModifierControl)
	if strings.Join(hrefs, ",") != "https://example.org/annex" {
		t.Fatalf("Ctrl+click on the link: OnLinkTapped got %q", hrefs)
	}
	if s, e := v.Selection(); s != 3 || e != 9 {
		t.Errorf("Ctrl+click on a link changed the selection to %d, %d", s, e)
	}
	click(p, fyne.KeyModifierSuper) // Cmd on a Mac
	if len(hrefs) != 2 {
		t.Errorf("Cmd+click on the link: OnLinkTapped got %q", hrefs)
	}

	// A plain click places the caret.
	click(p, 0)
	if len(hrefs) != 2 {
		t.Errorf("a plain click followed the link: %q", hrefs)
	}
	if s, e := v.Selection(); s != link+2 || e != link+2 {
		t.Errorf("a plain click on the link put the caret at %d, %d; want %d", s, e, link+2)
	}
	// Ctrl+click off a link is a click.
	other := runeIndex(t, text, "Tuesday")
	click(drawnPos(t, v, other), fyne.KeyModifierControl)
	if s, _ := v.Selection(); len(hrefs) != 2 || s != other {
		t.Errorf("Ctrl+click off the link: caret %d, links %q", s, hrefs)
	}
	// Ctrl+MouseDown on a link and a drag selects.
	a := drawnPos(t, v, link)
	b := drawnPos(t, v, link+len("ministry"))
	v.content.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: a}, Button: desktop.MouseButtonPrimary, Modifier: fyne.KeyModifierControl})
	v.content.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: b}, Dragged: fyne.NewDelta(b.X-a.X, b.Y-a.Y)})
	v.content.DragEnd()
	if got := v.SelectedText(); got != "ministry" || len(hrefs) != 2 {
		t.Errorf("a Ctrl+drag over the link selected %q, links %q", got, hrefs)
	}
	if w.Canvas().Focused() != v {
		t.Error("the view lost the focus")
	}

	// Without OnLinkTapped, a Ctrl+click is a click.
	v.OnLinkTapped = nil
	click(p, fyne.KeyModifierControl)
	if s, e := v.Selection(); s != link+2 || e != link+2 {
		t.Errorf("Ctrl+click with no OnLinkTapped: selection %d, %d", s, e)
	}
}

func TestView_LinkAt(t *testing.T) {
	text, st := styledSample()
	v, _ := newStyledView(t, text, st, fyne.NewSize(520, 560))
	link := runeIndex(t, text, "ministry’s site")
	end := link + utf8.RuneCountInString("ministry’s site")
	for _, tt := range []struct {
		off  int
		want bool
	}{{link - 1, false}, {link, true}, {link + 5, true}, {end - 1, true}, {end, false}, {-1, false}, {1 << 30, false}} {
		href, ok := v.LinkAt(tt.off)
		if ok != tt.want || (ok && href != "https://example.org/annex") {
			t.Errorf("LinkAt(%d) = %q, %v", tt.off, href, ok)
		}
	}
	v.SetText(text)
	if _, ok := v.LinkAt(link); ok {
		t.Error("a link after SetText dropped the style")
	}
}

func TestView_Styled_Keys(t *testing.T) {
	text, st := styledSample()
	v, _ := newStyledView(t, text, st, fyne.NewSize(520, 560))
	lay := v.currentLayout()
	key := func(name fyne.KeyName) { v.TypedKey(&fyne.KeyEvent{Name: name}) }
	met := runeIndex(t, text, "met in")
	v.SetSelection(met, met)
	key(fyne.KeyUp) // the blank line
	key(fyne.KeyUp) // the heading
	if i := lineOf(lay.lines, v.cursor); i != 0 {
		t.Fatalf("Up twice from the paragraph went to line %d", i)
	}
	// Within a heading character of the x it started at.
	if dx := drawnPos(t, v, v.cursor).X - drawnPos(t, v, met).X; dx > 16 || dx < -16 {
		t.Errorf("Up moved the caret %v sideways", dx)
	}
	key(fyne.KeyDown)
	key(fyne.KeyDown)
	if v.cursor != met {
		t.Errorf("Down twice came back to %d, want %d", v.cursor, met)
	}
	v.SetSelection(5, 5)
	key(fyne.KeyEnd)
	if s, _ := v.Selection(); s != len("Reading the fine print") {
		t.Errorf("End on the heading went to %d", s)
	}
	key(fyne.KeyHome)
	if s, _ := v.Selection(); s != 0 {
		t.Errorf("Home on the heading went to %d", s)
	}
	// Down through the wrapped item keeps to its text, after the marker.
	item := runeIndex(t, text, "Security")
	v.SetSelection(item, item)
	key(fyne.KeyDown)
	if got := v.cursor; got != runeIndex(t, text, "either") {
		t.Errorf("Down from the start of an item's text went to %d %q", got, text[byteOffset(text, lay.lines, got):][:10])
	}
}

func TestView_Styled_TripleClick(t *testing.T) {
	text, st := styledSample()
	v, _ := newStyledView(t, text, st, fyne.NewSize(520, 560))
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	v.content.now = func() time.Time { return now }
	for _, want := range []string{"Reading the fine print", "• Security guarantees are reviewed every five years, and either side may ask for an earlier review."} {
		p := drawnPos(t, v, runeIndex(t, text, want)+3)
		ev := &desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: p}, Button: desktop.MouseButtonPrimary}
		v.content.MouseDown(ev)
		v.content.DoubleTapped(&ev.PointEvent)
		now = now.Add(100 * time.Millisecond)
		v.content.MouseDown(ev)
		v.content.Tapped(&ev.PointEvent)
		if got := v.SelectedText(); got != want {
			t.Errorf("triple-click selected %q, want %q", got, want)
		}
		now = now.Add(time.Second)
	}
}

func TestView_Styled_ScrollAndBounds(t *testing.T) {
	text, st := styledArticle(100_000)
	v, _ := newStyledView(t, text, st, fyne.NewSize(600, 400))
	lay := v.currentLayout()
	n := utf8.RuneCountInString(text)

	// ScrollToOffset centres the line of a heading far down.
	idx := n * 3 / 4
	var heading Block
	for _, b := range st.Blocks {
		if b.Kind == BlockHeading && b.Level == 1 && b.Start > idx {
			heading = b
			break
		}
	}
	if heading.End == 0 {
		t.Fatal("no heading in the last quarter")
	}
	v.ScrollToOffset(heading.Start + 1)
	i := lineOf(lay.lines, heading.Start+1)
	mid := (lay.lines[i].y+lay.bottom(i))/2 - v.scroll.Offset.Y
	if mid < 195 || mid > 205 {
		t.Errorf("the heading's line is centred at %v in a 400 high view", mid)
	}
	first, last := v.content.rend.first, v.content.rend.last
	if i < first || i > last {
		t.Errorf("the heading's line %d is not drawn (%d–%d)", i, first, last)
	}

	// SelectionBounds: the heading line's top and bottom, and the edges
	// where the selected word is drawn.
	word := heading.Start + 1
	wordEnd := word + 2
	v.SetSelection(word, wordEnd)
	top, bottom, startX, endX, ok := v.SelectionBounds()
	if !ok {
		t.Fatal("no bounds")
	}
	if top != lay.lines[i].y-v.scroll.Offset.Y || bottom != lay.bottom(i)-v.scroll.Offset.Y {
		t.Errorf("bounds %v–%v, want the heading line's %v–%v", top, bottom, lay.lines[i].y-v.scroll.Offset.Y, lay.bottom(i)-v.scroll.Offset.Y)
	}
	if d := startX - drawnPos(t, v, word).X; d > 0.01 || d < -0.01 {
		t.Errorf("startX %v, drawn at %v", startX, drawnPos(t, v, word).X)
	}
	if d := endX - drawnPos(t, v, wordEnd).X; d > 0.01 || d < -0.01 {
		t.Errorf("endX %v, drawn at %v", endX, drawnPos(t, v, wordEnd).X)
	}

	// The lines go down the page, and the document is as tall as they are.
	for k := 1; k < len(lay.lines); k++ {
		if lay.lines[k].y < lay.bottom(k-1) {
			t.Fatalf("line %d at %v overlaps line %d ending at %v", k, lay.lines[k].y, k-1, lay.bottom(k-1))
		}
	}
	// A mark on the heading is drawn as high as the heading's text.
	v.SetMarks([]Mark{{Start: word, End: wordEnd, Current: true}})
	found := false
	for _, o := range v.content.rend.Objects() {
		if r, ok := o.(*canvas.Rectangle); ok && r.FillColor == markCurrentFill {
			found = true
			if c := lay.class(i); r.Size().Height != c.textH || r.Position().Y != lay.lines[i].y+(c.lineH-c.textH)/2 {
				t.Errorf("the mark is at %v, %v high; the heading's text at %v, %v high", r.Position().Y, r.Size().Height, lay.lines[i].y+(c.lineH-c.textH)/2, c.textH)
			}
		}
	}
	if !found {
		t.Error("the mark is not drawn")
	}
}

func TestView_Styled_PageKeys(t *testing.T) {
	text, st := styledArticle(50_000)
	v, _ := newStyledView(t, text, st, fyne.NewSize(500, 300))
	lay := v.currentLayout()
	key := func(name fyne.KeyName) { v.TypedKey(&fyne.KeyEvent{Name: name}) }
	start := int(lay.lines[2].start)
	v.SetSelection(start, start)
	y0 := lay.lines[2].y
	key(fyne.KeyPageDown)
	y1 := lay.lines[lineOf(lay.lines, v.cursor)].y
	page := v.scroll.Size().Height - v.met.lineH
	// The line a page down, whatever the heights of the lines between.
	if d := y1 - y0; d > page || d < page-2*v.met.lineH {
		t.Errorf("Page Down moved %v down, a page is %v", d, page)
	}
	if v.scroll.Offset.Y <= 0 {
		t.Error("Page Down did not scroll")
	}
	key(fyne.KeyPageUp)
	if got := lineOf(lay.lines, v.cursor); got > 3 {
		t.Errorf("Page Up came back to line %d, from line 2", got)
	}
	key(fyne.KeyPageUp)
	if v.cursor != 0 {
		t.Errorf("Page Up at the top went to %d", v.cursor)
	}
	v.SetSelection(utf8.RuneCountInString(text)-3, utf8.RuneCountInString(text)-3)
	key(fyne.KeyPageDown)
	if v.cursor != utf8.RuneCountInString(text) {
		t.Errorf("Page Down at the bottom went to %d", v.cursor)
	}
}

func TestView_Styled_ResizeKeepsPlace(t *testing.T) {
	text, st := styledArticle(100_000)
	v, w := newStyledView(t, text, st, fyne.NewSize(900, 400))
	v.ScrollToOffset(utf8.RuneCountInString(text) / 2)
	lay := v.currentLayout()
	top := int(lay.lines[lineAtY(lay.lines, v.scroll.Offset.Y)].start)
	w.Resize(fyne.NewSize(400, 400))
	lay = v.currentLayout()
	now := lay.lines[lineAtY(lay.lines, v.scroll.Offset.Y)]
	if top < int(now.start) || top > int(now.end) {
		t.Errorf("offset %d was at the top, now the top line is %d-%d", top, now.start, now.end)
	}
}

func TestView_Styled_Virtualised(t *testing.T) {
	text, st := styledArticle(120_000)
	v, w := newStyledView(t, text, st, fyne.NewSize(600, 400))
	count := func() (texts, rects int) {
		for _, o := range v.content.rend.Objects() {
			switch o.(type) {
			case *canvas.Text:
				texts++
			case *canvas.Rectangle:
				rects++
			}
		}
		return texts, rects
	}
	for range 30 {
		test.Scroll(w.Canvas(), fyne.NewPos(300, 200), 0, -300)
		if texts, rects := count(); texts > 150 || rects > 150 {
			t.Fatalf("at %v: %d text objects, %d rectangles", v.scroll.Offset.Y, texts, rects)
		}
	}
	if v.scroll.Offset.Y < 5000 {
		t.Fatalf("scrolled only to %v", v.scroll.Offset.Y)
	}
	texts, _ := count()
	if made := len(v.content.rend.freeTexts) + texts; made > 300 {
		t.Errorf("%d text objects made: not recycled", made)
	}
}

// sizeTheme is lightTheme with another text size.
type sizeTheme struct {
	variantTheme
	text float32
}

func (t sizeTheme) Size(n fyne.ThemeSizeName) float32 {
	if n == theme.SizeNameText {
		return t.text
	}
	return t.variantTheme.Size(n)
}

// A new text size drops the measurer's fonts: what was laid out with them
// is not drawn again before the text is laid out anew.
func TestView_Styled_TextSizeChange(t *testing.T) {
	text, st := styledSample()
	v, w := newStyledView(t, text, st, fyne.NewSize(520, 560))
	over := container.NewThemeOverride(v, sizeTheme{lightTheme, theme.DefaultTheme().Size(theme.SizeNameText)})
	w.SetContent(over)
	draft := runeIndex(t, text, "draft")
	v.SetSelection(draft, draft+5)
	w.Canvas().Capture()

	// The text size changes, and the view measures in it (as its MinSize
	// may) before it lays the text out again; something repaints the
	// decorations meanwhile.
	over.Theme = sizeTheme{lightTheme, 18}
	over.Refresh()
	v.meas.size = 0 // as if the size had changed again since the layout
	v.metOK = false
	v.minSize()
	v.SetHighlights([]Highlight{{Start: draft, End: draft + 5, Color: color.NRGBA{R: 0xff, A: 0x80}, ID: "h"}})
	w.Canvas().Capture()
	if d := v.met.textSize - 18*textScale; d > 0.001 || d < -0.001 {
		t.Fatalf("text size %v", v.met.textSize)
	}
	if top, bottom, _, _, ok := v.SelectionBounds(); !ok || bottom-top < v.met.lineH {
		t.Errorf("selection bounds %v–%v after the new size", top, bottom)
	}
	p := drawnPos(t, v, draft)
	if c, _ := v.hit(p.AddXY(0.5, 0)); c != draft {
		t.Errorf("after the new size, where draft is drawn hits %d, want %d", c, draft)
	}
}

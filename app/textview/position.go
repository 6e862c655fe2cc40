package textview

import (
	"sort"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/app/textflow"
)

// Pixel <-> offset maths. Everything here is a pure function of the lines
// and a width function, so it is tested without a window.

// lineAtY returns the index of the line that holds y (content coordinates),
// clamped to the first and last line.
func lineAtY(lines []line, y float32) int {
	i := sort.Search(len(lines), func(i int) bool { return lines[i].y > y }) - 1
	return max(i, 0)
}

// lineOf returns the index of the line that holds rune offset off. An offset
// at a soft wrap belongs to the line it starts (downstream).
func lineOf(lines []line, off int) int {
	i := sort.Search(len(lines), func(i int) bool { return int(lines[i].start) > off }) - 1
	return max(i, 0)
}

// lineOfEnd is lineOf with upstream affinity: an offset at a soft wrap
// belongs to the line it ends. Used for the end of a selection, so that a
// selection ending at a wrap is not drawn, or pointed at, on the next line.
func lineOfEnd(lines []line, off int) int {
	i := lineOf(lines, off)
	if i > 0 && int(lines[i].start) == off && int(lines[i-1].end) == off {
		return i - 1
	}
	return i
}

// byteOffset returns the byte offset of rune offset off (clamped to the text).
func byteOffset(text string, lines []line, off int) int {
	if len(lines) == 0 || off <= 0 {
		return 0
	}
	ln := lines[lineOf(lines, off)]
	b := int(ln.bstart)
	for r := int(ln.start); r < off && b < len(text); r++ {
		_, n := utf8.DecodeRuneInString(text[b:])
		b += n
	}
	return b
}

// lineGeom holds the exact horizontal geometry of one line's text: the text
// is cut into runs of spaces and runs of non-spaces ("words"), and further
// at tabs and where the look changes; each run is measured on its own in its
// own font, which matches the width of the whole line as Fyne shapes it, and
// lets common words hit the width cache. A tab is a run of its own that
// reaches the next tab stop (Fyne's own tab stops are relative to each text
// object, and a line may be drawn as several).
type lineGeom struct {
	text  string
	runB  []int32   // byte offset of each run in text
	runR  []int32   // rune offset of each run in text
	runX  []float32 // x where each run starts, from the text's start
	runL  []uint16  // look of each run; nil when all are look 0
	fonts []fontID  // font of each look; nil when look 0 is font 0 alone
	width float32   // x at the end of text
	runes int       // rune count of text
	left  float32   // where the text starts, from the column's left
	// flow is the geometry of a line of a bidi paragraph (see
	// View.paragraph), laid out by textflow; nil on every other line,
	// whose geometry is the runs above.
	flow *flowGeom
}

// flowGeom is the geometry of a line that needs the bidi algorithm: its
// runs in visual order, measured in the fonts of its style runs. The line's
// left (lineGeom.left) then includes textflow's indent, which
// right-aligns right-to-left paragraphs.
type flowGeom struct {
	g     *textflow.Geom
	rtl   bool     // the paragraph's direction
	cuts  []int    // rune offsets (relative to the line) where the look changes
	looks []uint16 // the look from each cut on; look 0 before the first
	fonts []fontID // font of each look; nil for an unstyled text
}

// lookAt returns the look of the rune at rel.
func (f *flowGeom) lookAt(rel int) uint16 {
	k := sort.Search(len(f.cuts), func(k int) bool { return f.cuts[k] > rel }) - 1
	if k < 0 {
		return 0
	}
	return f.looks[k]
}

// fontAt returns the font of the rune at rel.
func (f *flowGeom) fontAt(rel int) fontID {
	if f.fonts == nil {
		return 0
	}
	return f.fonts[f.lookAt(rel)]
}

// measure turns w into textflow's Measure for this line.
func (f *flowGeom) measure(w fontWidth) textflow.Measure {
	return func(at int, s string) float32 { return w(f.fontAt(at), s) }
}

// newFlowGeom lays out text, one visual line of a bidi paragraph whose runs
// in visual order are runs, with its look changes cuts, in a room avail
// wide starting at left from the column's left.
func newFlowGeom(text string, rtl bool, runs []textflow.Run, cuts []geomCut, fonts []fontID, left, avail float32, w fontWidth) *lineGeom {
	f := &flowGeom{rtl: rtl, fonts: fonts}
	for _, c := range cuts {
		if c.at == 0 && len(f.cuts) == 0 && c.look == 0 {
			continue
		}
		f.cuts = append(f.cuts, c.at)
		f.looks = append(f.looks, c.look)
	}
	f.g = textflow.NewGeom(text, rtl, runs, f.cuts, f.measure(w))
	return &lineGeom{
		text:  text,
		width: f.g.Width(),
		runes: utf8.RuneCountInString(text),
		left:  left + f.g.Indent(avail),
		fonts: fonts,
		flow:  f,
	}
}

// spans returns the x intervals (from the column's left) that [a, b)
// covers on a line, left to right: one, except over text of mixed
// directions.
func (g *lineGeom) spans(a, b int, w fontWidth, out []textflow.Span) []textflow.Span {
	if g.flow == nil {
		return append(out, textflow.Span{X0: g.xIn(a, w), X1: g.xIn(b, w)})
	}
	for _, s := range g.flow.g.Spans(a, b, g.flow.measure(w)) {
		out = append(out, textflow.Span{X0: g.left + s.X0, X1: g.left + s.X1})
	}
	return out
}

// geomCut is where a line's look changes: from rune at (relative to the
// line) on, its text is set in look.
type geomCut struct {
	at   int
	look uint16
}

// newLineGeom measures unstyled text (one font) with width.
func newLineGeom(text string, width func(string) float32) *lineGeom {
	return buildLineGeom(text, nil, nil, 0, 0, oneFont(width))
}

// oneFont turns the width of a single font into a fontWidth.
func oneFont(width func(string) float32) fontWidth {
	return func(_ fontID, s string) float32 { return width(s) }
}

// buildLineGeom measures text with w: in look 0 up to the first cut, then
// in the looks of cuts (sorted, relative rune offsets), fonts giving each
// look's font. The text starts left from the column's left. Tab stops are
// every tabW, or, when tabW is 0, every tabSpaces spaces of the tab's font.
func buildLineGeom(text string, cuts []geomCut, fonts []fontID, left, tabW float32, w fontWidth) *lineGeom {
	g := &lineGeom{text: text, fonts: fonts, left: left}
	if len(cuts) > 0 {
		g.runL = make([]uint16, 0, 2*len(cuts)+8)
	}
	var x float32
	start, startR := 0, 0
	prevSpace, prevTab := false, false
	var look, runLook uint16
	next := 0 // next cut
	ri := 0
	end := func(i int) {
		g.runB = append(g.runB, int32(start))
		g.runR = append(g.runR, int32(startR))
		g.runX = append(g.runX, x)
		if g.runL != nil {
			g.runL = append(g.runL, runLook)
		}
		f := g.font(runLook)
		if prevTab && i-start == 1 {
			tw := tabW
			if tw <= 0 {
				tw = tabSpaces * w(f, " ")
			}
			x = tabStop(x, tw)
		} else {
			x += w(f, text[start:i])
		}
		start, startR = i, ri
	}
	for i, r := range text {
		for next < len(cuts) && cuts[next].at <= ri {
			look = cuts[next].look
			next++
		}
		sp, tab := isBreakSpace(r), r == '\t'
		if i > 0 && (sp != prevSpace || tab || prevTab || look != runLook) {
			end(i)
		}
		prevSpace, prevTab, runLook = sp, tab, look
		ri++
	}
	if len(text) > 0 {
		end(len(text))
	}
	g.width = x
	g.runes = ri
	return g
}

// font returns the font of a look.
func (g *lineGeom) font(look uint16) fontID {
	if g.fonts == nil {
		return 0
	}
	return g.fonts[look]
}

// look returns the look of run k.
func (g *lineGeom) look(k int) uint16 {
	if g.runL == nil {
		return 0
	}
	return g.runL[k]
}

// run returns the index of the run holding rune offset rel.
func (g *lineGeom) run(rel int) int {
	return max(sort.Search(len(g.runR), func(k int) bool { return int(g.runR[k]) > rel })-1, 0)
}

// runText returns the text of run k.
func (g *lineGeom) runText(k int) string {
	if k+1 < len(g.runB) {
		return g.text[g.runB[k]:g.runB[k+1]]
	}
	return g.text[g.runB[k]:]
}

// runEnd returns the x where run k ends.
func (g *lineGeom) runEnd(k int) float32 {
	if k+1 < len(g.runX) {
		return g.runX[k+1]
	}
	return g.width
}

// x returns the x of the boundary before rune offset rel (0..runes), for a
// geometry measured in one font with width.
func (g *lineGeom) x(rel int, width func(string) float32) float32 {
	return g.xIn(rel, oneFont(width))
}

// xIn returns the x of the boundary before rune offset rel (0..runes),
// from the column's left, measuring with w.
func (g *lineGeom) xIn(rel int, w fontWidth) float32 {
	if g.flow != nil {
		return g.left + g.flow.g.X(rel, g.flow.measure(w))
	}
	if rel <= 0 || len(g.runR) == 0 {
		return g.left
	}
	if rel >= g.runes {
		return g.left + g.width
	}
	k := g.run(rel)
	s := g.runText(k)
	b := 0
	for r := int(g.runR[k]); r < rel; r++ {
		_, n := utf8.DecodeRuneInString(s[b:])
		b += n
	}
	return g.left + g.runX[k] + w(g.font(g.look(k)), s[:b])
}

// hit is hitIn for a geometry measured in one font with width.
func (g *lineGeom) hit(x float32, width func(string) float32) (caret, under int) {
	return g.hitIn(x, oneFont(width))
}

// hitIn returns, for x (from the column's left), the nearest rune boundary
// (the caret offset) and the rune whose box holds x, or -1 when x is before
// or after the text.
func (g *lineGeom) hitIn(x float32, w fontWidth) (caret, under int) {
	x -= g.left
	if g.flow != nil {
		return g.flow.g.Hit(x, g.flow.measure(w))
	}
	if x < 0 || len(g.runR) == 0 {
		return 0, -1
	}
	if x >= g.width {
		return g.runes, -1
	}
	k := max(sort.Search(len(g.runX), func(k int) bool { return g.runX[k] > x })-1, 0)
	s := g.runText(k)
	f := g.font(g.look(k))
	// Byte offsets of the rune boundaries in s, its first excluded.
	bounds := make([]int, 0, len(s))
	for i := range s {
		if i > 0 {
			bounds = append(bounds, i)
		}
	}
	bounds = append(bounds, len(s))
	xAt := func(j int) float32 {
		if j == len(bounds)-1 {
			return g.runEnd(k) // a tab's end is its tab stop
		}
		return g.runX[k] + w(f, s[:bounds[j]])
	}
	// j is the first boundary right of x; the rune before it holds x.
	j := sort.Search(len(bounds), func(j int) bool { return xAt(j) > x })
	if j == len(bounds) { // rounding: x is at the very end of the run
		j--
	}
	under = int(g.runR[k]) + j
	left := g.runX[k]
	if j > 0 {
		left = xAt(j - 1)
	}
	caret = under
	if x-left > xAt(j)-x {
		caret++
	}
	return caret, under
}

// clip returns the part of the rune range [s, e) that lies on a line, as
// offsets relative to the line's start. eol reports that the range also
// covers the '\n' that ends a hard line (drawn as a little extra width, so
// that selected paragraph breaks and blank lines show). ok is false when the
// range misses the line.
func clip(ln line, hard bool, s, e int) (a, b int, eol, ok bool) {
	ls, le := int(ln.start), int(ln.end)
	end := le
	if hard {
		end++ // the '\n' (or the end of the text, which nothing covers)
	}
	if s >= end || e <= ls || s >= e {
		return 0, 0, false, false
	}
	a = max(s, ls) - ls
	b = min(e, le) - ls
	eol = hard && e > le
	return a, b, eol, a < b || eol
}

// span is a highlight clipped to a line: [a, b) relative to the line start,
// layer being its index in the highlight list (higher is on top).
type span struct {
	a, b  int
	layer int
}

// overlaps returns the pieces of [a, b) where two or more spans overlap,
// each with the topmost layer covering it. Adjacent pieces with the same top
// layer are merged. spans need not be sorted.
func overlaps(spans []span) []span {
	if len(spans) < 2 {
		return nil
	}
	cuts := make([]int, 0, 2*len(spans))
	for _, s := range spans {
		cuts = append(cuts, s.a, s.b)
	}
	sort.Ints(cuts)
	var out []span
	for i := 0; i+1 < len(cuts); i++ {
		a, b := cuts[i], cuts[i+1]
		if a == b {
			continue
		}
		depth, top := 0, -1
		for _, s := range spans {
			if s.a <= a && s.b >= b {
				depth++
				top = max(top, s.layer)
			}
		}
		if depth < 2 {
			continue
		}
		if n := len(out); n > 0 && out[n-1].b == a && out[n-1].layer == top {
			out[n-1].b = b
			continue
		}
		out = append(out, span{a: a, b: b, layer: top})
	}
	return out
}

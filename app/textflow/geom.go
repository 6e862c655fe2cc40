package textflow

import (
	"slices"
	"sort"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
)

// Geom is the horizontal geometry of one visual line laid out in the
// visual order of its runs: where each piece of text goes, which logical
// offset an x is at, and which x intervals a logical range covers. x is
// relative to the line's left end (add [Geom.Indent] to align it in the
// column).
//
// The line is cut into pieces that are measured one by one: a word with
// the spaces after it, which lets common words hit the view's width cache
// and matches Fyne's shaping of the whole run (a space takes the font face
// of the text before it: after Hebrew it is the fallback face's space,
// wider than Noto Sans's, so spaces must not be measured on their own). In
// a right-to-left run pieces are also cut where a letter follows a
// non-letter or the other way round, because that is where Fyne may change
// face and would then draw the parts in the wrong order (see the package
// documentation); those pieces are what [Geom.Items] draws separately.
//
// A Geom is immutable and safe for concurrent use; the Measure is passed
// to each method, as textview's lineGeom does, so that the view's cache
// serves them all.
type Geom struct {
	text   string
	rtl    bool
	offs   []int   // byte offset of each rune of text, and len(text)
	pieces []piece // in visual order, left to right, contiguous
	items  []Item
	width  float32
}

// piece is a measured part of one run.
type piece struct {
	r0, r1 int // rune range in the line
	x, w   float32
	rtl    bool
}

// Item is a string to draw as one canvas.Text, with its left x. The text
// of a right-to-left item is in logical order, because Fyne's shaper lays
// out a right-to-left segment's glyphs from right to left itself (and keeps
// combining marks on their bases and Arabic letters joined); an item that
// has no right-to-left letter of its own (punctuation inside Hebrew text)
// starts with U+200F RIGHT-TO-LEFT MARK, zero-width, so that Fyne still
// shapes it right to left, which orders "?!" and mirrors brackets. Start
// and End are the item's rune range in the line (the RLM aside), for the
// view to pick its style.
type Item struct {
	Text       string
	X          float32
	RTL        bool
	Start, End int
}

// Span is an x interval on the line, X0 <= X1.
type Span struct{ X0, X1 float32 }

// Measure returns the width of s, which is the line's text from rune
// offset at (relative to the line) on. A Geom never measures text across
// one of the cuts given to [NewGeom], so a styled line can be measured in
// the font of the style at at.
type Measure func(at int, s string) float32

// Plain makes a Measure of a width function for unstyled text.
func Plain(width func(string) float32) Measure {
	return func(_ int, s string) float32 { return width(s) }
}

// rlm is U+200F RIGHT-TO-LEFT MARK.
const rlm = "\u200f"

// Kinds of text in a right-to-left run, for cutting pieces and items.
const (
	kindSpace  = iota // only spaces so far
	kindLetter        // right-to-left letters (bidi classes R and AL)
	kindOther         // punctuation and symbols
)

// NewGeom lays out the line text, whose runs in visual order are runs (as
// returned by [Paragraph.Line] for this line), in a paragraph of direction
// rtl, measuring with m. cuts are the rune offsets in the line where the
// style changes (sorted; nil for unstyled text): no piece or item spans
// one.
func NewGeom(text string, rtl bool, runs []Run, cuts []int, m Measure) *Geom {
	g := &Geom{text: text, rtl: rtl}
	g.offs = make([]int, 0, len(text)+1)
	for b := range text {
		g.offs = append(g.offs, b)
	}
	g.offs = append(g.offs, len(text))
	n := g.runes()
	styleCut := func(i int) bool {
		k := sort.SearchInts(cuts, i)
		return k < len(cuts) && cuts[k] == i
	}
	// group is a sequence of pieces drawn as one item.
	type group struct {
		r0, r1 int
		x      float32
		kind   int
	}
	var x float32
	for _, run := range runs {
		s, e := min(max(run.Start, 0), n), min(max(run.End, 0), n)
		if s >= e {
			continue
		}
		rtlRun := run.RTL()
		bounds := g.cut(s, e, rtlRun, styleCut)
		ws := make([]float32, len(bounds)-1)
		var runW float32
		for k := range ws {
			ws[k] = m(bounds[k], g.slice(bounds[k], bounds[k+1]))
			runW += ws[k]
		}
		// Lay the pieces out in logical order, gathering the items: a
		// right-to-left run starts at its right end.
		var groups []group
		pos := x
		if rtlRun {
			pos = x + runW
		}
		first := len(g.pieces)
		for k := range ws {
			r0, r1 := bounds[k], bounds[k+1]
			px := pos
			if rtlRun {
				pos -= ws[k]
				px = pos
			} else {
				pos += ws[k]
			}
			g.pieces = append(g.pieces, piece{r0: r0, r1: r1, x: px, w: ws[k], rtl: rtlRun})
			kind := kindLetter // left-to-right runs are drawn whole
			if rtlRun {
				kind = g.kind(r0, r1)
			}
			if k := len(groups); k == 0 || groups[k-1].kind != kind || styleCut(r0) {
				groups = append(groups, group{r0: r0, x: px, kind: kind})
			}
			gr := &groups[len(groups)-1]
			gr.r1 = r1
			gr.x = min(gr.x, px)
		}
		if rtlRun {
			// Pieces and items in visual order, left to right.
			slices.Reverse(g.pieces[first:])
			slices.Reverse(groups)
		}
		for _, gr := range groups {
			it := Item{Text: g.slice(gr.r0, gr.r1), X: gr.x, RTL: rtlRun, Start: gr.r0, End: gr.r1}
			switch {
			case gr.kind == kindSpace:
				continue // nothing to see
			case gr.kind == kindOther:
				it.Text = rlm + it.Text
			}
			g.items = append(g.items, it)
		}
		x += runW
	}
	g.width = x
	return g
}

// runes returns the number of runes in the line.
func (g *Geom) runes() int { return len(g.offs) - 1 }

// slice returns the text of runes [a, b).
func (g *Geom) slice(a, b int) string { return g.text[g.offs[a]:g.offs[b]] }

// cut returns the rune offsets where the pieces of the run [s, e) start,
// and e: after spaces, at style cuts, and in right-to-left runs where
// letters and other text meet.
func (g *Geom) cut(s, e int, rtl bool, styleCut func(int) bool) []int {
	cuts := []int{s}
	kind := kindSpace // of the current piece's first rune that is not a space
	prevSpace := false
	for i := s; i < e; i++ {
		r, _ := utf8.DecodeRuneInString(g.text[g.offs[i]:])
		if i > s && styleCut(i) {
			cuts = append(cuts, i)
			kind, prevSpace = kindSpace, false
		}
		if isSpace(r) {
			prevSpace = true
			continue
		}
		switch {
		case i > s && prevSpace:
			cuts = append(cuts, i)
			kind = kindSpace
		case rtl && kind != kindSpace && !inherits(r) && letterKind(r) != kind:
			cuts = append(cuts, i)
			kind = kindSpace
		}
		if kind == kindSpace {
			kind = runeKind(r)
		}
		prevSpace = false
	}
	return append(cuts, e)
}

// kind returns the kind of the piece [a, b): that of its first rune that
// is not a space.
func (g *Geom) kind(a, b int) int {
	for _, r := range g.slice(a, b) {
		if !isSpace(r) {
			return runeKind(r)
		}
	}
	return kindSpace
}

// runeKind returns the kind of a piece that starts with r (not a space): a
// mark or control with no letter before it in the piece counts as
// punctuation.
func runeKind(r rune) int {
	if inherits(r) {
		return kindOther
	}
	return letterKind(r)
}

// letterKind tells right-to-left letters from everything else.
func letterKind(r rune) int {
	switch classOf(r) {
	case bidi.R, bidi.AL:
		return kindLetter
	}
	return kindOther
}

// inherits reports whether r belongs with the rune before it, whatever that
// is: combining marks, joiners and invisible controls.
func inherits(r rune) bool {
	return unicode.Is(unicode.M, r) || r == zwj || r == '\u200c' || classOf(r) == bidi.BN
}

// isSpace reports whether r is a space a line may break after (textview's
// break spaces, U+200B included).
func isSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\u1680', '\u205f', '\u3000', '\u200b':
		return true
	}
	return r >= '\u2000' && r <= '\u200a' && r != '\u2007'
}

// Width returns the width of the line.
func (g *Geom) Width() float32 { return g.width }

// Items returns the strings to draw, one canvas.Text each at its X, in
// visual order. Pieces of right-to-left runs that are only spaces are left
// out: there is nothing to see.
func (g *Geom) Items() []Item { return g.items }

// Indent returns the x offset at which the line starts in a column colW
// wide: right-to-left paragraphs are right-aligned. A soft-wrapped
// right-to-left line's trailing spaces are at its left end (rule L1) and
// may then start left of the column, as a left-to-right line's run past its
// right edge; the view clips them the same way.
func (g *Geom) Indent(colW float32) float32 {
	if g.rtl {
		return colW - g.width
	}
	return 0
}

// pos returns the distance from the logical start of piece p to its rune
// boundary rel (relative to the piece), clamped to the piece: a prefix of
// an Arabic word is measured with final letter forms and may come out
// wider than in the word.
func (g *Geom) pos(p piece, rel int, m Measure) float32 {
	if rel <= 0 {
		return 0
	}
	if rel >= p.r1-p.r0 {
		return p.w
	}
	return min(max(m(p.r0, g.slice(p.r0, p.r0+rel)), 0), p.w)
}

// edge returns the x of rune boundary rel of piece p: its left end for
// left-to-right pieces, its right end for right-to-left ones.
func (g *Geom) edge(p piece, rel int, m Measure) float32 {
	if p.rtl {
		return p.x + p.w - g.pos(p, rel, m)
	}
	return p.x + g.pos(p, rel, m)
}

// pieceOf returns the index of the piece holding rune off.
func (g *Geom) pieceOf(off int) int {
	for k, p := range g.pieces {
		if off >= p.r0 && off < p.r1 {
			return k
		}
	}
	return -1
}

// X returns the x of the caret at logical offset off (0..runes): the
// leading edge of rune off (its left side in left-to-right text, its right
// side in right-to-left text); the end of the line is at the line's end in
// the paragraph's direction (its right end, or its left end for a
// right-to-left paragraph), where Hit puts a click past the text. Where
// runs of both directions meet, the two sides of a boundary are apart;
// this is the downstream one, like textview's carets at soft wraps.
func (g *Geom) X(off int, m Measure) float32 {
	n := g.runes()
	if n == 0 || len(g.pieces) == 0 {
		return 0
	}
	off = min(max(off, 0), n)
	if off == n {
		if g.rtl {
			return 0
		}
		return g.width
	}
	k := g.pieceOf(off)
	if k < 0 { // runs that do not cover the line
		return 0
	}
	p := g.pieces[k]
	return g.edge(p, off-p.r0, m)
}

// Hit returns, for x, the nearest caret offset and the rune whose box holds
// x (-1 when x is left or right of the text). Carets fall only between
// grapheme clusters, so a click never lands between a letter and its
// combining marks, and under is the cluster's first rune. Past the end of
// the line in the paragraph's direction (right of a left-to-right line,
// left of a right-to-left one) the caret is at the line's end, before its
// start at 0: a drag past either end then takes in the whole line, whatever
// the direction of the runs at its ends.
func (g *Geom) Hit(x float32, m Measure) (caret, under int) {
	if len(g.pieces) == 0 {
		return 0, -1
	}
	if x < 0 || x >= g.width {
		if (x < 0) == g.rtl {
			return g.runes(), -1
		}
		return 0, -1
	}
	k := max(sort.Search(len(g.pieces), func(k int) bool { return g.pieces[k].x > x })-1, 0)
	p := g.pieces[k]
	bounds := g.clusters(p)
	xAt := func(j int) float32 { return g.edge(p, bounds[j], m) }
	// c is the cluster [bounds[c], bounds[c+1]) whose box holds x.
	var c int
	if p.rtl {
		// Boundaries run right to left: the first one at or left of x
		// ends the cluster.
		j := sort.Search(len(bounds), func(j int) bool { return xAt(j) <= x })
		c = min(max(j-1, 0), len(bounds)-2)
	} else {
		j := sort.Search(len(bounds), func(j int) bool { return xAt(j) > x })
		c = min(max(j-1, 0), len(bounds)-2)
	}
	under = p.r0 + bounds[c]
	lead, trail := xAt(c), xAt(c+1) // x of the cluster's logical start and end
	caret = under
	if abs(x-trail) < abs(x-lead) {
		caret = p.r0 + bounds[c+1]
	}
	return caret, under
}

// clusters returns the rune offsets, relative to piece p, where its
// grapheme clusters start, and its length.
func (g *Geom) clusters(p piece) []int {
	bounds := []int{0}
	prev := rune(-1)
	for i := p.r0; i < p.r1; i++ {
		r, _ := utf8.DecodeRuneInString(g.text[g.offs[i]:])
		if i > p.r0 && clusterStart(prev, r) {
			bounds = append(bounds, i-p.r0)
		}
		prev = r
	}
	return append(bounds, p.r1-p.r0)
}

// zwj is U+200D ZERO WIDTH JOINER.
const zwj = '\u200d'

// clusterStart reports whether a grapheme cluster starts at r after prev: a
// small part of UAX #29's rules (GB9, GB9a, GB11) that keeps combining
// marks, joiner sequences and emoji modifiers with what they modify.
func clusterStart(prev, r rune) bool {
	switch {
	case unicode.Is(unicode.M, r), r == zwj, prev == zwj:
		return false
	case r >= 0x1F3FB && r <= 0x1F3FF: // emoji skin tone modifiers
		return false
	}
	return true
}

// Spans returns the x intervals that the logical range [a, b) of the line
// covers, left to right, touching intervals merged. Over text of mixed
// directions a range is often several intervals: "abc אבג def" with
// [2, 6) selected ("c אב") is lit at "c" and at the right part of the
// Hebrew word, which is shown reversed.
func (g *Geom) Spans(a, b int, m Measure) []Span {
	n := g.runes()
	a, b = min(max(a, 0), n), min(max(b, 0), n)
	if a >= b {
		return nil
	}
	var out []Span
	for _, p := range g.pieces {
		lo, hi := max(a, p.r0), min(b, p.r1)
		if lo >= hi {
			continue
		}
		x0, x1 := g.edge(p, lo-p.r0, m), g.edge(p, hi-p.r0, m)
		if x0 > x1 {
			x0, x1 = x1, x0
		}
		if k := len(out) - 1; k >= 0 && x0-out[k].X1 <= 1e-3 {
			out[k].X1 = max(out[k].X1, x1)
			continue
		}
		out = append(out, Span{X0: x0, X1: x1})
	}
	return out
}

func abs(f float32) float32 {
	if f < 0 {
		return -f
	}
	return f
}

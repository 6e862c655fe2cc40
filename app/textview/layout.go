package textview

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/app/textflow"
)

// tabSpaces is how many spaces a tab is estimated at when wrapping.
const tabSpaces = 4

// paraRunes is the length from which a hard line counts as a paragraph
// (see wrapSpec.breakGap): longer than any hard-wrapped line.
const paraRunes = 100

// line is one visual line: a piece of a paragraph that fits the column.
//
// start and end are rune offsets, bstart and bend the matching byte offsets
// into the text. end excludes the line's '\n' but includes the spaces after
// the last word of a soft-wrapped line, so a soft line ends where the next
// one starts. Offsets are int32: the app refuses articles over 50 MB. (The
// classes of a styled text's lines are kept beside them, so that an
// unstyled text's lines stay this small.)
type line struct {
	start, end   int32
	bstart, bend int32
	y            float32 // top, in content coordinates
}

// blank reports whether the line is an empty paragraph separator.
func (l line) blank() bool { return l.start == l.end }

// wrapSpec says how to lay lines out.
type wrapSpec struct {
	width float32 // column width available to the text
	lineH float32 // height of a line of text
	gapH  float32 // height of a blank line (a paragraph gap)
	top   float32 // y of the first line
	// breakGap is extra space after a hard line of text longer than
	// paraRunes that another line of text follows: many articles separate
	// paragraphs by a single line break, and a long line is a paragraph.
	// Short lines (hard-wrapped text, headings, list items) get none.
	breakGap float32
	// classes are the line classes of a styled text, by the index that
	// wrapStyled returns for each line; nil for an unstyled text, whose
	// lines all have lineH and gapH above.
	classes []lineClass
}

// lineClass is how the blocks around a line (see Block) lay it out. Its
// heights are whole pixels, so that summing them down a long text stays
// exact.
type lineClass struct {
	lineH float32 // height of a line of text
	gapH  float32 // height of a blank line
	above float32 // extra space above the first line of a hard line (headings)
	// indent is where the text starts, from the column's left; right is
	// room kept free at the column's right (a code block's padding).
	indent, right float32
	box           float32 // where a code block's ground starts
	quote         uint8   // quote nesting: a bar for each level
	code          bool    // a code block: lines on a faint ground
	item          bool    // a list item: wrapped lines hang after the marker
	row           bool    // a table row: tab stops divide the line equally
	noBreakGap    bool    // lines of text follow one another without a breakGap
	// Font of the line's text outside spans, and its metrics: the line's
	// baseline is that font's, vertically centred in lineH.
	font                    fontID
	textSize, textH, ascent float32
}

// class returns the class of a line.
func (s *wrapSpec) class(c uint16) lineClass {
	if s.classes == nil {
		return lineClass{lineH: s.lineH, gapH: s.gapH}
	}
	return s.classes[c]
}

// wrap splits an unstyled text into visual lines no wider than
// spec.width, measuring with adv (the advance of one rune). It breaks after
// runs of spaces; a word wider than the column is broken between runes.
// Every '\n' ends a line; an empty line is a paragraph gap of height
// spec.gapH.
func wrap(text string, spec wrapSpec, adv func(rune) float32) []line {
	lines, _ := wrapLines(text, spec, nil, nil, []func(rune) float32{adv})
	return lines
}

// wrapStyled is wrap for a styled text: runs (see styled) say where the
// look and the line class change, fonts gives the font of each look, and
// spec.classes the classes. A hard line takes the class of its first rune:
// its height, its indentation and the room it has. The class of each line
// comes back in classes (nil without runs). Every rune is measured in the
// font of its run, which the wrap follows as it walks the text rather than
// looking it up per rune.
//
// wrapStyled is the only full pass over the text that layout makes, so it
// avoids allocating per word: it walks the bytes once and appends one line
// record per visual line.
func wrapStyled(text string, spec wrapSpec, runs []styleRun, fonts []fontID, adv fontAdvance) (lines []line, classes []uint16) {
	n := 1
	for _, f := range fonts {
		n = max(n, int(f)+1)
	}
	advs := make([]func(rune) float32, n)
	for f := range advs {
		advs[f] = func(r rune) float32 { return adv(fontID(f), r) }
	}
	return wrapLines(text, spec, runs, fonts, advs)
}

// wrapLines is wrapStyled with the advances of each font as a function of
// the rune alone, as the wrap's inner loops take them.
func wrapLines(text string, spec wrapSpec, runs []styleRun, fonts []fontID, advs []func(rune) float32) (lines []line, classes []uint16) {
	lines = make([]line, 0, len(text)/60+1)
	if runs != nil {
		classes = make([]uint16, 0, cap(lines))
	}
	// y is accumulated in float64 below spec.top, so that it stays exact
	// at the bottom of a 10 MB article.
	var acc float64
	var cls uint16
	var lineH float32
	emit := func(s, e, bs, be int) {
		lines = append(lines, line{start: int32(s), end: int32(e), bstart: int32(bs), bend: int32(be), y: spec.top + float32(acc)})
		if runs != nil {
			classes = append(classes, cls)
		}
		acc += float64(lineH)
	}

	cur := newRunCursor(runs, fonts, advs)
	r0, b := 0, 0     // rune and byte offset of the current hard line
	prevPara := false // the previous hard line was a long line of text
	for {
		he := strings.IndexByte(text[b:], '\n')
		if he < 0 {
			he = len(text)
		} else {
			he += b
		}
		cur.seek(r0)
		cls = cur.cls
		c := spec.class(cls)
		if he == b {
			lines = append(lines, line{start: int32(r0), end: int32(r0), bstart: int32(b), bend: int32(b), y: spec.top + float32(acc)})
			if runs != nil {
				classes = append(classes, cls)
			}
			acc += float64(c.gapH)
			prevPara = false
		} else {
			if prevPara && !c.noBreakGap {
				acc += float64(spec.breakGap)
			}
			if len(lines) > 0 {
				acc += float64(c.above)
			}
			lineH = c.lineH
			width := spec.width - c.indent - c.right
			rest := width // of the lines after the first
			if c.item {
				if _, hang := itemHang(text[b:he], cur.adv); hang < width/2 {
					rest -= hang
				}
			}
			var tabW float32
			if c.row {
				tabW = rowTab(text[b:he], width)
			}
			start := r0
			n, nacc, saved := len(lines), acc, cur
			if cur.nextB >= he && rest == width && tabW == 0 {
				r0 = wrapPlain(text, b, he, r0, width, cur.adv, cur.ascii, emit)
			} else {
				r0 = wrapStyledLine(text, b, he, r0, width, rest, tabW, &cur, emit)
			}
			if r0 < 0 {
				// East Asian text: wrap the hard line again by the line
				// breaking rules (see wrapBreakLine).
				lines, acc, cur = lines[:n], nacc, saved
				if runs != nil {
					classes = classes[:n]
				}
				r0 = wrapBreakLine(text, b, he, start, width, rest, tabW, &cur, emit)
			}
			prevPara = r0-start > paraRunes && !c.noBreakGap
		}
		if he == len(text) {
			return lines, classes
		}
		b = he + 1
		r0++
	}
}

// itemHang returns the runes of a list item line's marker (see itemPrefix)
// and their estimated width with adv: how far its wrapped lines hang.
func itemHang(s string, adv func(rune) float32) (runes int, width float32) {
	nb, nr := itemPrefix(s)
	for _, r := range s[:nb] {
		width += adv(r)
	}
	return nr, width
}

// rowTab returns the tab stop interval of a table row s set width wide:
// its cells share the width equally.
func rowTab(s string, width float32) float32 {
	cells := strings.Count(s, "\t") + 1
	if cells < 2 {
		return 0
	}
	return width / float32(cells)
}

// tabStop returns the x of the first tab stop after x, with stops every
// tabW (as Fyne sets tabs).
func tabStop(x, tabW float32) float32 {
	return (float32(math.Floor(float64(x/tabW))) + 1) * tabW
}

// runCursor follows the style runs through a text, with the advances of
// the current one's font.
type runCursor struct {
	runs  []styleRun
	fonts []fontID
	advs  []func(rune) float32 // by font
	k     int                  // current run
	nextB int                  // byte offset where the next run starts
	cls   uint16               // line class of the current run
	adv   func(rune) float32   // of the current run's font
	ascii *asciiAdvances       // its memoised ASCII advances
	// tables are the memoised advances, by font.
	tables []asciiAdvances
}

func newRunCursor(runs []styleRun, fonts []fontID, advs []func(rune) float32) runCursor {
	c := runCursor{runs: runs, fonts: fonts, advs: advs, nextB: math.MaxInt, tables: make([]asciiAdvances, len(advs))}
	c.adv, c.ascii = advs[0], &c.tables[0]
	if len(runs) > 0 {
		c.k = -1
		c.nextB = 0
	}
	return c
}

// seek moves the cursor forward to the run holding rune offset r.
func (c *runCursor) seek(r int) {
	if c.k+1 >= len(c.runs) || int(c.runs[c.k+1].start) > r {
		return
	}
	for c.k+1 < len(c.runs) && int(c.runs[c.k+1].start) <= r {
		c.k++
	}
	c.nextB = math.MaxInt
	if c.k+1 < len(c.runs) {
		c.nextB = int(c.runs[c.k+1].bstart)
	}
	run := c.runs[c.k]
	f := c.fonts[run.look]
	c.cls, c.adv, c.ascii = run.cls, c.advs[f], &c.tables[f]
}

// wrapPlain wraps text[b:he] (no '\n' inside), set in one font, whose
// first rune has offset r0, calling emit for each visual line. It returns
// the rune offset of he, or -1 as soon as it meets a wide (East Asian)
// rune: the caller then drops the lines emitted and wraps the hard line
// with wrapBreakLine.
//
// It is the wrap's hot loop: every line of an unstyled text, and every
// line in one font of a styled one, goes through it. wrapStyledLine does
// the same with hanging lines, tab stops and changes of font; it is kept
// apart because its extra state slows this loop down by an eighth.
func wrapPlain(text string, b, he, r0 int, width float32, adv func(rune) float32, ascii *asciiAdvances, emit func(s, e, bs, be int)) int {
	ls, lbs := r0, b // start of the current visual line
	var (
		x      float32 // width up to the end of the line's last complete word
		sp     float32 // width of the spaces after it
		inWord bool
		ws     int     // rune offset of the current word
		wbs    int     // byte offset of the current word
		ww     float32 // width of the current word so far
	)
	ri := r0
	for i := b; i < he; {
		r, n := rune(text[i]), 1
		var a float32
		if r < utf8.RuneSelf {
			a = ascii.advance(r, adv)
		} else {
			r, n = utf8.DecodeRuneInString(text[i:he])
			if r >= minWide {
				return -1
			}
			a = adv(r)
		}
		if isBreakSpace(r) {
			if inWord {
				x += sp + ww
				sp, inWord = 0, false
			}
			sp += a
		} else {
			if !inWord {
				inWord = true
				ws, wbs, ww = ri, i, 0
			}
			if x+sp+ww+a > width {
				if ws > ls {
					// Something (words or indentation) precedes the word on
					// this line: move the word to a new line.
					emit(ls, ws, lbs, wbs)
					ls, lbs = ws, wbs
					x, sp = 0, 0
				}
				if ww+a > width && ri > ls {
					// The word alone is wider than the column: break it here.
					emit(ls, ri, lbs, i)
					ls, lbs = ri, i
					ws, wbs, ww = ri, i, 0
				}
			}
			ww += a
		}
		i += n
		ri++
	}
	emit(ls, ri, lbs, he)
	return ri
}

// wrapStyledLine is wrapPlain for a hard line whose visual lines may
// differ in width (the first is first wide, the others rest), whose tabs
// advance to the next multiple of tabW when tabW > 0, and whose runes are
// measured in the font of their style run (cur). Like wrapPlain it returns
// -1 when it meets a wide rune.
func wrapStyledLine(text string, b, he, r0 int, first, rest, tabW float32, cur *runCursor, emit func(s, e, bs, be int)) int {
	ls, lbs := r0, b // start of the current visual line
	width := first
	var (
		x      float32 // width up to the end of the line's last complete word
		sp     float32 // width of the spaces after it
		inWord bool
		ws     int     // rune offset of the current word
		wbs    int     // byte offset of the current word
		ww     float32 // width of the current word so far
	)
	ri := r0
	for i := b; i < he; {
		// The runes up to the next style run are in one font: the inner
		// loop keeps no state of the runs, which would cost it registers.
		if i >= cur.nextB {
			cur.seek(ri)
		}
		chunk, adv, ascii := text[:he], cur.adv, cur.ascii
		if cur.nextB > i && cur.nextB < he {
			chunk = text[:cur.nextB]
		}
		for i < len(chunk) {
			r, n := rune(chunk[i]), 1
			var a float32
			if r < utf8.RuneSelf {
				a = ascii.advance(r, adv)
			} else {
				r, n = utf8.DecodeRuneInString(chunk[i:])
				if r >= minWide {
					return -1
				}
				a = adv(r)
			}
			if isBreakSpace(r) {
				if inWord {
					x += sp + ww
					sp, inWord = 0, false
				}
				if r == '\t' && tabW > 0 {
					a = tabStop(x+sp, tabW) - (x + sp)
				}
				sp += a
			} else {
				if !inWord {
					inWord = true
					ws, wbs, ww = ri, i, 0
				}
				if x+sp+ww+a > width {
					if ws > ls {
						// Something (words or indentation) precedes the
						// word on this line: move the word to a new line.
						emit(ls, ws, lbs, wbs)
						ls, lbs = ws, wbs
						x, sp = 0, 0
						width = rest
					}
					if ww+a > width && ri > ls {
						// The word alone is wider than the column: break
						// it here.
						emit(ls, ri, lbs, i)
						ls, lbs = ri, i
						ws, wbs, ww = ri, i, 0
						width = rest
					}
				}
				ww += a
			}
			i += n
			ri++
		}
	}
	emit(ls, ri, lbs, he)
	return ri
}

// minWide is the first rune of the East Asian scripts and punctuation
// (CJK radicals on): a hard line holding one is wrapped by wrapBreakLine.
const minWide = 0x2E80

// wrapBreakLine is wrapStyledLine for a hard line with East Asian text,
// which puts no spaces between words: it follows textflow.Breaker's line
// breaking rules (a subset of UAX #14, https://www.unicode.org/reports/tr14/)
// besides the spaces. A line may break between two ideographs, but never
// before closing punctuation or small kana (kinsoku: no line starts with
// 。、」ー…) nor after opening punctuation; and punctuation that may not
// start a line stays with the word before it even after spaces (LB13,
// LB14: "( foo", "word !"). Only such hard lines take this slower path, so
// that the wrap of Latin text is unchanged.
func wrapBreakLine(text string, b, he, r0 int, first, rest, tabW float32, cur *runCursor, emit func(s, e, bs, be int)) int {
	ls, lbs := r0, b // start of the current visual line
	width := first
	var (
		x      float32 // width up to the end of the line's last complete word
		sp     float32 // width of the spaces after it
		inWord bool
		ws     int     // rune offset of the current word
		wbs    int     // byte offset of the current word
		ww     float32 // width of the current word so far
		// The last complete word, which glue after spaces continues.
		pws, pwbs int
		pww       float32
		hadWord   bool
		br        textflow.Breaker
	)
	endWord := func() {
		x += sp + ww
		sp = 0
		pws, pwbs, pww, hadWord = ws, wbs, ww, true
	}
	ri := r0
	for i := b; i < he; {
		if i >= cur.nextB {
			cur.seek(ri)
		}
		r, n := utf8.DecodeRuneInString(text[i:he])
		a := cur.adv(r)
		brk := br.Next(r)
		if isBreakSpace(r) {
			if inWord {
				endWord()
				inWord = false
			}
			if r == '\t' && tabW > 0 {
				a = tabStop(x+sp, tabW) - (x + sp)
			}
			sp += a
		} else {
			switch {
			case inWord && brk:
				// A break opportunity inside a run without spaces (between
				// ideographs): a word ends here.
				endWord()
				ws, wbs, ww = ri, i, 0
			case !inWord && !brk && hadWord && pws >= ls:
				// Glue after spaces: the spaces do not end the word before.
				inWord = true
				x -= pww
				ww = pww + sp
				ws, wbs, sp = pws, pwbs, 0
			case !inWord:
				inWord = true
				ws, wbs, ww = ri, i, 0
			}
			if x+sp+ww+a > width {
				if ws > ls {
					emit(ls, ws, lbs, wbs)
					ls, lbs = ws, wbs
					x, sp = 0, 0
					width = rest
				}
				if ww+a > width && ri > ls {
					emit(ls, ri, lbs, i)
					ls, lbs = ri, i
					ws, wbs, ww = ri, i, 0
					width = rest
				}
			}
			ww += a
		}
		i += n
		ri++
	}
	emit(ls, ri, lbs, he)
	return ri
}

// isBreakSpace reports whether a line may break after r. No-break spaces
// (U+00A0, U+2007, U+202F) are deliberately not among them.
func isBreakSpace(r rune) bool {
	switch r {
	case ' ', '\t', '\u1680', '\u205f', '\u3000', '\u200b':
		return true
	}
	return r >= '\u2000' && r <= '\u200a' && r != '\u2007'
}

// hardEnd reports whether lines[i] ends at a '\n' or at the end of the text
// (as opposed to a soft wrap).
func hardEnd(lines []line, i int) bool {
	return i == len(lines)-1 || lines[i+1].start != lines[i].end
}

// lineBottom returns the y just below lines[i] of an unstyled text (see
// layout.bottom for any).
func lineBottom(lines []line, i int, spec wrapSpec) float32 {
	if lines[i].blank() {
		return lines[i].y + spec.gapH
	}
	return lines[i].y + spec.lineH
}

// asciiAdvances memoises adv for the ASCII runes of one font within one
// wrap: the inner loop then costs an array read per byte instead of a call.
type asciiAdvances struct {
	adv   [utf8.RuneSelf]float32
	known [utf8.RuneSelf]bool
}

func (t *asciiAdvances) advance(r rune, adv func(rune) float32) float32 {
	if !t.known[r] {
		t.adv[r], t.known[r] = adv(r), true
	}
	return t.adv[r]
}

package textview

import (
	"strings"
	"unicode/utf8"
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
// one starts. Offsets are int32: the app refuses articles over 50 MB.
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
}

// wrap splits text into visual lines no wider than spec.width, measuring
// with adv (the advance of one rune). It breaks after runs of spaces; a word
// wider than the column is broken between runes. Every '\n' ends a line; an
// empty line is a paragraph gap of height spec.gapH.
//
// wrap is the only full pass over the text that layout makes, so it avoids
// allocating per word: it walks the bytes once and appends one line record
// per visual line.
func wrap(text string, spec wrapSpec, adv func(rune) float32) []line {
	lines := make([]line, 0, len(text)/60+1)
	var nText, nBlank, nBreak int
	y := func() float32 {
		// From counts rather than by accumulation, so that y stays exact
		// at the bottom of a 10 MB article.
		return spec.top + float32(float64(nText)*float64(spec.lineH)+float64(nBlank)*float64(spec.gapH)+float64(nBreak)*float64(spec.breakGap))
	}
	emit := func(s, e, bs, be int) {
		lines = append(lines, line{start: int32(s), end: int32(e), bstart: int32(bs), bend: int32(be), y: y()})
		nText++
	}

	var ascii asciiAdvances
	r0, b := 0, 0     // rune and byte offset of the current hard line
	prevPara := false // the previous hard line was a long line of text
	for {
		he := strings.IndexByte(text[b:], '\n')
		if he < 0 {
			he = len(text)
		} else {
			he += b
		}
		if he == b {
			lines = append(lines, line{start: int32(r0), end: int32(r0), bstart: int32(b), bend: int32(b), y: y()})
			nBlank++
			prevPara = false
		} else {
			if prevPara && spec.breakGap > 0 {
				nBreak++
			}
			start := r0
			r0 = wrapHardLine(text, b, he, r0, spec.width, adv, &ascii, emit)
			prevPara = r0-start > paraRunes
		}
		if he == len(text) {
			return lines
		}
		b = he + 1
		r0++
	}
}

// wrapHardLine wraps text[b:he] (no '\n' inside), whose first rune has
// offset r0, calling emit for each visual line. It returns the rune offset of he.
func wrapHardLine(text string, b, he, r0 int, width float32, adv func(rune) float32, ascii *asciiAdvances, emit func(s, e, bs, be int)) int {
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

// lineBottom returns the y just below lines[i].
func lineBottom(lines []line, i int, spec wrapSpec) float32 {
	if lines[i].blank() {
		return lines[i].y + spec.gapH
	}
	return lines[i].y + spec.lineH
}

// asciiAdvances memoises adv for ASCII runes within one wrap: the inner
// loop then costs an array read per byte instead of a call.
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

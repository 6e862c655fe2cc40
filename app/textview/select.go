package textview

import (
	"unicode"

	"github.com/gloss-notes/gloss/app/textflow"
)

// ordered returns a and b in increasing order.
func ordered(a, b int) (int, int) {
	if a > b {
		return b, a
	}
	return a, b
}

// Character classes for word selection.
const (
	classSpace = iota
	classWord
	classPunct
	classCJK // East Asian letters: see textflow.CJKWord
)

func runeClass(r rune) int {
	switch {
	case isBreakSpace(r) || unicode.IsSpace(r):
		return classSpace
	case r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
		return classWord
	}
	return classPunct
}

// joins reports whether r, between prev and next, belongs to the word they
// are in: apostrophes inside words ("Trump’s", "don't") and decimal or
// thousands separators inside numbers ("3.5", "1,000").
func joins(prev, r, next rune) bool {
	switch r {
	case '\'', '’':
		return runeClass(prev) == classWord && runeClass(next) == classWord
	case '.', ',':
		return unicode.IsDigit(prev) && unicode.IsDigit(next)
	}
	return false
}

// wordBounds returns the word around rs[i] (what a double-click selects):
// a run of letters and digits, a run of spaces, or a run of punctuation;
// in Chinese, Japanese or Korean text, which has no spaces between words,
// a run of one script (textflow.CJKWord: "Go言語" is "Go" and "言語").
// i is clamped to the runes; an empty slice gives (0, 0).
func wordBounds(rs []rune, i int) (start, end int) {
	if len(rs) == 0 {
		return 0, 0
	}
	i = min(max(i, 0), len(rs)-1)
	if s, e, ok := textflow.CJKWord(rs, i); ok {
		return s, e
	}
	class := func(j int) int {
		if textflow.CJKScript(rs[j]) != textflow.NotCJK {
			return classCJK
		}
		c := runeClass(rs[j])
		if c == classPunct && j > 0 && j+1 < len(rs) && joins(rs[j-1], rs[j], rs[j+1]) {
			return classWord
		}
		return c
	}
	c := class(i)
	start, end = i, i+1
	for start > 0 && class(start-1) == c {
		start--
	}
	for end < len(rs) && class(end) == c {
		end++
	}
	return start, end
}

// paragraphAt returns the rune range of the paragraph holding offset off:
// the text between two '\n' (the visual lines up to the hard ends around
// off), without the '\n'.
func paragraphAt(lines []line, off int) (start, end int) {
	if len(lines) == 0 {
		return 0, 0
	}
	i := lineOf(lines, off)
	first := i
	for first > 0 && !hardEnd(lines, first-1) {
		first--
	}
	last := i
	for !hardEnd(lines, last) {
		last++
	}
	return int(lines[first].start), int(lines[last].end)
}

// setSelection sets anchor and cursor (clamped), repaints and notifies.
func (v *View) setSelection(anchor, cursor int) {
	v.anchor, v.cursor = v.clamp(anchor), v.clamp(cursor)
	v.content.decorationsChanged()
	v.notify()
}

// moveCursor moves the cursor to off; with extend the anchor stays (the
// selection grows or shrinks), otherwise the selection collapses there.
func (v *View) moveCursor(off int, extend bool) {
	if extend {
		v.setSelection(v.anchor, off)
		return
	}
	v.setSelection(off, off)
}

// notify calls OnSelectionChanged if the ordered selection differs from the
// one last reported.
func (v *View) notify() {
	s, e := v.Selection()
	if v.notified == [2]int{s, e} {
		return
	}
	v.notified = [2]int{s, e}
	if f := v.OnSelectionChanged; f != nil {
		f(s, e)
	}
}

// selectWordAt selects the word around rune offset off.
func (v *View) selectWordAt(off int) {
	lines := v.linesForOffsets()
	ps, pe := paragraphAt(lines, off)
	bs, be := byteOffset(v.text, lines, ps), byteOffset(v.text, lines, pe)
	rs := []rune(v.text[bs:be])
	if len(rs) == 0 {
		v.setSelection(ps, ps)
		return
	}
	s, e := wordBounds(rs, off-ps)
	v.setSelection(ps+s, ps+e)
}

// selectParagraphAt selects the paragraph holding rune offset off.
func (v *View) selectParagraphAt(off int) {
	s, e := paragraphAt(v.linesForOffsets(), off)
	v.setSelection(s, e)
}

// highlightAt returns the ID of the topmost highlight covering rune offset
// off, and whether there is one.
func (v *View) highlightAt(off int) (string, bool) {
	if off < 0 {
		return "", false
	}
	for i := len(v.hl) - 1; i >= 0; i-- {
		if h := v.hl[i]; h.Start <= off && off < h.End {
			return h.ID, true
		}
	}
	return "", false
}

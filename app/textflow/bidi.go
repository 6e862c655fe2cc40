package textflow

import (
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
)

// Bidi: which direction a paragraph reads in, and in which order the runs
// of one of its visual lines are shown. The Unicode Bidirectional Algorithm
// (UAX #9, https://www.unicode.org/reports/tr9/) itself is golang.org/x/text's;
// this file only adapts its answers, for three reasons:
//
//   - x/text's Ordering reports runs in logical order and only their
//     direction (the parity of their level), not their levels. Visual order
//     needs the levels: in the left-to-right paragraph "The word אבג 123
//     means" the number is at level 2 and must appear left of the Hebrew
//     word, although both runs it sits between are even.
//   - Paragraph.Line re-resolves a line as if it were a paragraph of its own,
//     while UAX #9 resolves levels over the whole paragraph and only then
//     applies the line rules L1–L2.
//   - DefaultDirection(LeftToRight) does not force a left-to-right paragraph
//     (it means "first strong character, else left to right"), and
//     Ordering.Direction panics on empty text.

// Direction reports whether a paragraph's base direction is right to left,
// by rules P2–P3 of UAX #9: the first character of bidi class L, R or AL
// decides, characters between an isolate initiator and its matching PDI
// being skipped; a paragraph without one is left to right.
//
// x/text computes the same level internally but does not expose it:
// Ordering.Direction is the direction of the first run, which for
// "123 אבג" (a right-to-left paragraph starting with a left-to-right
// number) is wrong.
func Direction(paragraph string) (rtl bool) {
	depth := 0 // isolate nesting
	for _, r := range paragraph {
		switch classOf(r) {
		case bidi.L:
			if depth == 0 {
				return false
			}
		case bidi.R, bidi.AL:
			if depth == 0 {
				return true
			}
		case bidi.LRI, bidi.RLI, bidi.FSI:
			depth++
		case bidi.PDI:
			if depth > 0 {
				depth--
			}
		case bidi.B:
			return false
		}
	}
	return false
}

// Paragraph is the bidi analysis of one paragraph: the resolved embedding
// level of each of its runes. It is immutable once made.
type Paragraph struct {
	rtl bool
	n   int
	// levels is nil when every rune is at level 0, which is the case for a
	// left-to-right paragraph without right-to-left letters or Arabic
	// digits: almost every paragraph, which then costs nothing to analyse.
	levels []uint8
	l1     []uint8 // per rune, its role in rule L1 (l1None…); nil with levels
}

// Roles of runes in rule L1, which resets them to the paragraph level at
// the end of a line and before tabs.
const (
	l1None  = iota
	l1Space // whitespace, isolate controls, and the controls rule X9 removes
	l1Sep   // segment separators (tab) and paragraph separators
)

// Analyze resolves the embedding levels of a paragraph (a hard line of the
// article, without its '\n') whose base direction is rtl, normally
// Direction(paragraph); a caller may force either direction.
//
// Embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069) are
// honoured only as far as x/text resolves each rune's direction: levels
// deeper than 2 are flattened to 1 or 2, which keeps the common cases exact
// (a phrase or a number of one direction inside a paragraph of the other)
// and only approximates nested embeddings.
func Analyze(paragraph string, rtl bool) *Paragraph {
	p := &Paragraph{rtl: rtl, n: utf8.RuneCountInString(paragraph)}
	if !rtl && !HasRTL(paragraph) {
		return p
	}
	classes := make([]bidi.Class, 0, p.n)
	for _, r := range paragraph {
		classes = append(classes, classOf(r))
	}
	p.levels = make([]uint8, p.n)
	p.l1 = make([]uint8, p.n)
	base := p.base()

	// x/text stops at a paragraph separator (class B: '\r', U+0085,
	// U+2029…), so text after one is resolved as a chunk of its own, with
	// the same base direction; the separator itself takes the paragraph
	// level (rule L1).
	i0, b0, i := 0, 0, 0
	for b, r := range paragraph {
		if classes[i] == bidi.B {
			p.resolve(paragraph[b0:b], classes[i0:i], p.levels[i0:i])
			p.levels[i] = base
			// A separator is a valid rune (never U+FFFD for an invalid
			// byte), so its length is that of its encoding.
			i0, b0 = i+1, b+utf8.RuneLen(r)
		}
		i++
	}
	p.resolve(paragraph[b0:], classes[i0:], p.levels[i0:])

	for i, c := range classes {
		switch c {
		case bidi.WS, bidi.BN, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI,
			bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF:
			p.l1[i] = l1Space
		case bidi.S, bidi.B:
			p.l1[i] = l1Sep
		}
	}
	return p
}

// RTL reports whether the paragraph's base direction is right to left.
func (p *Paragraph) RTL() bool { return p.rtl }

// Len returns the number of runes in the paragraph.
func (p *Paragraph) Len() int { return p.n }

// Level returns the resolved embedding level of rune i (before the line
// rules): 0 or 2 for left to right, 1 for right to left.
func (p *Paragraph) Level(i int) int {
	if p.levels == nil || i < 0 || i >= p.n {
		return int(p.base())
	}
	return int(p.levels[i])
}

func (p *Paragraph) base() uint8 {
	if p.rtl {
		return 1
	}
	return 0
}

// Run is a maximal piece of a visual line at one embedding level: all of
// it reads in one direction.
type Run struct {
	Start, End int // rune offsets relative to the line's start
	Level      uint8
}

// RTL reports whether the run reads right to left (its level is odd).
func (r Run) RTL() bool { return r.Level%2 == 1 }

// Line returns the runs of the visual line made of the paragraph's runes
// [start, end), in visual order from left to right, with offsets relative
// to start. It applies rules L1 (whitespace at the end of the line, and
// tabs, take the paragraph level: the trailing spaces of a soft-wrapped
// right-to-left line sit at its left end) and L2 (reversal from the highest
// level down to the lowest odd one). The runs cover [0, end-start) exactly
// once; an empty line has none.
func (p *Paragraph) Line(start, end int) []Run {
	start = min(max(start, 0), p.n)
	end = min(max(end, start), p.n)
	if start == end {
		return nil
	}
	if p.levels == nil {
		return []Run{{Start: 0, End: end - start}}
	}
	lv := slices.Clone(p.levels[start:end])
	role := p.l1[start:end]
	base := p.base()
	trailing := true // the runes seen so far (from the end) are all spaces
	for i := len(lv) - 1; i >= 0; i-- {
		switch role[i] {
		case l1Sep:
			lv[i] = base
			trailing = true
		case l1Space:
			if trailing {
				lv[i] = base
			}
		default:
			trailing = false
		}
	}
	var runs []Run
	for i := 0; i < len(lv); {
		j := i + 1
		for j < len(lv) && lv[j] == lv[i] {
			j++
		}
		runs = append(runs, Run{Start: i, End: j, Level: lv[i]})
		i = j
	}
	reorder(runs)
	return runs
}

// reorder applies rule L2 to runs given in logical order: from the highest
// level down to the lowest odd level, every maximal sequence of runs at that
// level or above is reversed.
func reorder(runs []Run) {
	hi, lo := uint8(0), uint8(255)
	for _, r := range runs {
		hi, lo = max(hi, r.Level), min(lo, r.Level)
	}
	for lvl := hi; lvl >= lo|1; lvl-- {
		for i := 0; i < len(runs); {
			if runs[i].Level < lvl {
				i++
				continue
			}
			j := i + 1
			for j < len(runs) && runs[j].Level >= lvl {
				j++
			}
			slices.Reverse(runs[i:j])
			i = j
		}
	}
}

// classOf returns the bidi class of r.
func classOf(r rune) bidi.Class {
	props, _ := bidi.LookupRune(r)
	return props.Class()
}

// HasRTL reports whether s has anything that can make a left-to-right
// paragraph show other than in logical order: right-to-left letters, Arabic
// digits, right-to-left (or first-strong) controls. No rune below U+0590 is
// of those classes, so Latin text is checked at the cost of a comparison
// per rune. When it is false (and the paragraph is left to right), a line
// is one left-to-right run and the view can draw and measure it as before.
func HasRTL(s string) bool {
	for _, r := range s {
		if r < 0x590 {
			continue
		}
		switch classOf(r) {
		case bidi.R, bidi.AL, bidi.AN, bidi.RLE, bidi.RLO, bidi.RLI, bidi.FSI:
			return true
		}
	}
	return false
}

// resolve fills levels (one per rune of chunk, whose classes are given) for
// a chunk without paragraph separators.
//
// x/text gives each rune's direction, the parity of its level. Without
// deeper embeddings a right-to-left paragraph has only levels 1 (R) and 2
// (L and numbers, rule I2), so parity is enough. A left-to-right paragraph
// has 0 (L), 1 (R) and 2 (numbers that rule W7 did not turn into L, rule
// I1); telling 0 from 2 takes the number analysis in numberRunes.
func (p *Paragraph) resolve(chunk string, classes []bidi.Class, levels []uint8) {
	odd, ok := oddLevels(chunk, p.rtl)
	if !ok {
		for i := range levels {
			levels[i] = p.base()
		}
		return
	}
	if p.rtl {
		for i := range levels {
			levels[i] = 2
			if odd[i] {
				levels[i] = 1
			}
		}
		return
	}
	var num, eu []bool
	if slices.Contains(classes, bidi.EN) || slices.Contains(classes, bidi.AN) {
		num = numberRunes(chunk, classes, false)
		if slices.Contains(classes, bidi.AN) {
			eu = numberRunes(chunk, classes, true)
		}
	}
	prev := bidi.L // the last strong class; sos of a left-to-right paragraph is L
	for i, c := range classes {
		switch c {
		case bidi.L, bidi.R, bidi.AL:
			prev = c
		}
		switch {
		case odd[i]:
			levels[i] = 1
		case num != nil && num[i] && (prev != bidi.L || (eu != nil && !eu[i])):
			// A number after R or AL, or an Arabic number anywhere: rule
			// W7 turns only European numbers after L into L.
			levels[i] = 2
		default:
			levels[i] = 0
		}
	}
}

// oddLevels returns, per rune of s, whether x/text resolves it to an odd
// (right-to-left) level in a paragraph of the given base direction. The
// direction is forced with a leading LRM or RLM, which is what a paragraph
// level means (the start-of-sequence type is L or R): x/text's
// DefaultDirection(LeftToRight) cannot force it.
func oddLevels(s string, rtl bool) (odd []bool, ok bool) {
	mark := "\u200e"
	if rtl {
		mark = "\u200f"
	}
	var bp bidi.Paragraph
	if _, err := bp.SetString(mark + s); err != nil {
		return nil, false
	}
	o, err := bp.Order()
	if err != nil {
		return nil, false
	}
	odd = make([]bool, utf8.RuneCountInString(s))
	for i := 0; i < o.NumRuns(); i++ {
		run := o.Run(i)
		if run.Direction() != bidi.RightToLeft {
			continue
		}
		start, last := run.Pos()
		for j := max(start, 1); j <= last && j-1 < len(odd); j++ {
			odd[j-1] = true // j-1: the mark is rune 0
		}
	}
	return odd, true
}

// numberRunes returns, per rune of s, whether rules W1–W6 of UAX #9 resolve
// it to a number (EN or AN): digits, and the signs and separators those
// rules attach to them. It lets x/text do the work: every L letter is
// replaced by a Hebrew letter (so that rule W7 has nothing to act on) and
// the paragraph is resolved right to left, where numbers are the only runes
// at an even level (rule I2). With arabicAsR, Arabic digits are replaced
// too, so that only European numbers remain even.
//
// Explicit embedding and isolate controls become U+200B (class BN, which
// rule X9 ignores): the number typing then ignores embeddings, like the
// level flattening Analyze documents.
func numberRunes(s string, classes []bidi.Class, arabicAsR bool) []bool {
	var sb strings.Builder
	sb.Grow(len(s))
	i := 0
	for _, r := range s {
		switch c := classes[i]; c {
		case bidi.L:
			r = 'א'
		case bidi.AN:
			if arabicAsR {
				r = 'א'
			}
		case bidi.LRE, bidi.RLE, bidi.LRO, bidi.RLO, bidi.PDF, bidi.LRI, bidi.RLI, bidi.FSI, bidi.PDI:
			r = '\u200b'
		}
		sb.WriteRune(r)
		i++
	}
	odd, ok := oddLevels(sb.String(), true)
	if !ok {
		return nil
	}
	num := make([]bool, len(odd))
	for i, o := range odd {
		num[i] = !o
	}
	return num
}

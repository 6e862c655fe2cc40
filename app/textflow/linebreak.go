package textflow

import (
	"sort"
	"unicode"
)

// Line breaking: a small part of the Unicode Line Breaking Algorithm
// (UAX #14, https://www.unicode.org/reports/tr14/), enough for Chinese,
// Japanese and Korean text to wrap between characters while keeping the
// kinsoku rules (no line starts with a closing bracket, a comma or full
// stop, a small kana or a prolonged sound mark; none ends with an opening
// bracket), and for Latin text to wrap exactly as before: after spaces.
//
// The classes kept are those the rules below need; every other character
// is treated as an alphabetic (AL), which never breaks next to another
// alphabetic: hyphens, slashes and the like keep words whole, as the view
// has always done.

// lbClass is a line breaking class of UAX #14 (a subset).
type lbClass uint8

const (
	lbAL lbClass = iota // alphabetic, and everything not listed
	lbID                // ideographs, kana, Hangul syllables, fullwidth forms
	lbOP                // opening punctuation
	lbCL                // closing punctuation (UAX #14's CL and CP)
	lbEX                // exclamation and question marks
	lbIS                // infix separators: , . : ;
	lbSY                // slash
	lbNS                // nonstarters, with the small kana (CJ, resolved as NS: strict kinsoku)
	lbQU                // quotation marks
	lbIN                // inseparables: … ‥
	lbPR                // currency prefixes
	lbPO                // postfixes: % ℃
	lbGL                // no-break glue: NBSP, WJ, BOM (UAX #14's GL and WJ)
	lbCM                // combining marks and ZWJ
	lbSP                // spaces (the view's break spaces)
	lbZW                // zero width space
)

// lbRange gives the class of the runes lo..hi.
type lbRange struct {
	lo, hi rune
	class  lbClass
}

// lbTable lists the runes whose class is not AL, sorted and disjoint, from
// UAX #14's LineBreak.txt (Unicode 15). Combining marks not listed here are
// found by their general category, spaces by isSpace.
var lbTable = []lbRange{
	{'!', '!', lbEX}, {'"', '"', lbQU}, {'$', '$', lbPR}, {'%', '%', lbPO},
	{'\'', '\'', lbQU}, {'(', '(', lbOP}, {')', ')', lbCL}, {'+', '+', lbPR},
	{',', ',', lbIS}, {'.', '.', lbIS}, {'/', '/', lbSY}, {':', ';', lbIS},
	{'?', '?', lbEX}, {'[', '[', lbOP}, {'\\', '\\', lbPR}, {']', ']', lbCL},
	{'{', '{', lbOP}, {'}', '}', lbCL},
	{0xA0, 0xA0, lbGL}, {0xA1, 0xA1, lbOP}, {0xA2, 0xA2, lbPO}, {0xA3, 0xA5, lbPR},
	{0xAB, 0xAB, lbQU}, {0xB0, 0xB0, lbPO}, {0xB1, 0xB1, lbPR}, {0xBB, 0xBB, lbQU},
	{0xBF, 0xBF, lbOP},
	{0x2007, 0x2007, lbGL}, {0x200B, 0x200B, lbZW}, {0x200C, 0x200F, lbCM},
	{0x2011, 0x2011, lbGL}, {0x2018, 0x2019, lbQU}, {0x201A, 0x201A, lbOP},
	{0x201B, 0x201D, lbQU}, {0x201E, 0x201E, lbOP}, {0x201F, 0x201F, lbQU},
	{0x2024, 0x2026, lbIN}, {0x202A, 0x202E, lbCM}, {0x202F, 0x202F, lbGL},
	{0x2030, 0x2037, lbPO}, {0x2039, 0x203A, lbQU}, {0x203C, 0x203D, lbNS},
	{0x2044, 0x2044, lbIS}, {0x2045, 0x2045, lbOP}, {0x2046, 0x2046, lbCL},
	{0x2047, 0x2049, lbNS}, {0x2060, 0x2060, lbGL}, {0x2066, 0x206F, lbCM},
	{0x2103, 0x2103, lbPO}, {0x2109, 0x2109, lbPO},
	// CJK radicals, Kangxi radicals, ideographic description characters.
	{0x2E80, 0x2FFF, lbID},
	// CJK symbols and punctuation.
	{0x3001, 0x3002, lbCL}, {0x3003, 0x3004, lbID}, {0x3005, 0x3005, lbNS},
	{0x3006, 0x3007, lbID}, {0x3008, 0x3008, lbOP}, {0x3009, 0x3009, lbCL},
	{0x300A, 0x300A, lbOP}, {0x300B, 0x300B, lbCL}, {0x300C, 0x300C, lbOP},
	{0x300D, 0x300D, lbCL}, {0x300E, 0x300E, lbOP}, {0x300F, 0x300F, lbCL},
	{0x3010, 0x3010, lbOP}, {0x3011, 0x3011, lbCL}, {0x3012, 0x3013, lbID},
	{0x3014, 0x3014, lbOP}, {0x3015, 0x3015, lbCL}, {0x3016, 0x3016, lbOP},
	{0x3017, 0x3017, lbCL}, {0x3018, 0x3018, lbOP}, {0x3019, 0x3019, lbCL},
	{0x301A, 0x301A, lbOP}, {0x301B, 0x301B, lbCL}, {0x301C, 0x301C, lbNS},
	{0x301D, 0x301D, lbOP}, {0x301E, 0x301F, lbCL}, {0x3020, 0x3029, lbID},
	{0x302A, 0x302F, lbCM}, {0x3030, 0x3034, lbID}, {0x3035, 0x3035, lbCM},
	{0x3036, 0x303A, lbID}, {0x303B, 0x303C, lbNS}, {0x303D, 0x303F, lbID},
	// Hiragana; the small kana are CJ.
	{0x3041, 0x3041, lbNS}, {0x3042, 0x3042, lbID}, {0x3043, 0x3043, lbNS},
	{0x3044, 0x3044, lbID}, {0x3045, 0x3045, lbNS}, {0x3046, 0x3046, lbID},
	{0x3047, 0x3047, lbNS}, {0x3048, 0x3048, lbID}, {0x3049, 0x3049, lbNS},
	{0x304A, 0x3062, lbID}, {0x3063, 0x3063, lbNS}, {0x3064, 0x3082, lbID},
	{0x3083, 0x3083, lbNS}, {0x3084, 0x3084, lbID}, {0x3085, 0x3085, lbNS},
	{0x3086, 0x3086, lbID}, {0x3087, 0x3087, lbNS}, {0x3088, 0x308D, lbID},
	{0x308E, 0x308E, lbNS}, {0x308F, 0x3094, lbID}, {0x3095, 0x3096, lbNS},
	{0x3099, 0x309A, lbCM}, {0x309B, 0x309E, lbNS}, {0x309F, 0x309F, lbID},
	// Katakana; the small kana and the prolonged sound mark are CJ.
	{0x30A0, 0x30A1, lbNS}, {0x30A2, 0x30A2, lbID}, {0x30A3, 0x30A3, lbNS},
	{0x30A4, 0x30A4, lbID}, {0x30A5, 0x30A5, lbNS}, {0x30A6, 0x30A6, lbID},
	{0x30A7, 0x30A7, lbNS}, {0x30A8, 0x30A8, lbID}, {0x30A9, 0x30A9, lbNS},
	{0x30AA, 0x30C2, lbID}, {0x30C3, 0x30C3, lbNS}, {0x30C4, 0x30E2, lbID},
	{0x30E3, 0x30E3, lbNS}, {0x30E4, 0x30E4, lbID}, {0x30E5, 0x30E5, lbNS},
	{0x30E6, 0x30E6, lbID}, {0x30E7, 0x30E7, lbNS}, {0x30E8, 0x30ED, lbID},
	{0x30EE, 0x30EE, lbNS}, {0x30EF, 0x30F4, lbID}, {0x30F5, 0x30F6, lbNS},
	{0x30F7, 0x30FA, lbID}, {0x30FB, 0x30FE, lbNS}, {0x30FF, 0x30FF, lbID},
	// Bopomofo, Hangul compatibility jamo, kanbun, CJK strokes; the
	// small katakana extension is CJ; enclosed and compatibility CJK.
	{0x3105, 0x31EF, lbID}, {0x31F0, 0x31FF, lbNS}, {0x3200, 0x33FF, lbID},
	// CJK ideographs (extension A, unified) and Yi.
	{0x3400, 0x4DBF, lbID}, {0x4E00, 0xA014, lbID}, {0xA015, 0xA015, lbNS},
	{0xA016, 0xA4CF, lbID},
	// Hangul syllables (H2 and H3, which break like ID).
	{0xAC00, 0xD7A3, lbID},
	// CJK compatibility ideographs.
	{0xF900, 0xFAFF, lbID},
	// Vertical forms.
	{0xFE10, 0xFE10, lbIS}, {0xFE11, 0xFE12, lbCL}, {0xFE13, 0xFE14, lbIS},
	{0xFE15, 0xFE16, lbEX}, {0xFE17, 0xFE17, lbOP}, {0xFE18, 0xFE18, lbCL},
	{0xFE19, 0xFE19, lbIN},
	// CJK compatibility forms and small form variants.
	{0xFE30, 0xFE34, lbID}, {0xFE35, 0xFE35, lbOP}, {0xFE36, 0xFE36, lbCL},
	{0xFE37, 0xFE37, lbOP}, {0xFE38, 0xFE38, lbCL}, {0xFE39, 0xFE39, lbOP},
	{0xFE3A, 0xFE3A, lbCL}, {0xFE3B, 0xFE3B, lbOP}, {0xFE3C, 0xFE3C, lbCL},
	{0xFE3D, 0xFE3D, lbOP}, {0xFE3E, 0xFE3E, lbCL}, {0xFE3F, 0xFE3F, lbOP},
	{0xFE40, 0xFE40, lbCL}, {0xFE41, 0xFE41, lbOP}, {0xFE42, 0xFE42, lbCL},
	{0xFE43, 0xFE43, lbOP}, {0xFE44, 0xFE44, lbCL}, {0xFE45, 0xFE46, lbID},
	{0xFE47, 0xFE47, lbOP}, {0xFE48, 0xFE48, lbCL}, {0xFE49, 0xFE4F, lbID},
	{0xFE50, 0xFE50, lbCL}, {0xFE51, 0xFE51, lbID}, {0xFE52, 0xFE52, lbCL},
	{0xFE54, 0xFE55, lbNS}, {0xFE56, 0xFE57, lbEX}, {0xFE58, 0xFE58, lbID},
	{0xFE59, 0xFE59, lbOP}, {0xFE5A, 0xFE5A, lbCL}, {0xFE5B, 0xFE5B, lbOP},
	{0xFE5C, 0xFE5C, lbCL}, {0xFE5D, 0xFE5D, lbOP}, {0xFE5E, 0xFE5E, lbCL},
	{0xFE5F, 0xFE66, lbID}, {0xFE68, 0xFE68, lbID}, {0xFE69, 0xFE69, lbPR},
	{0xFE6A, 0xFE6A, lbPO}, {0xFE6B, 0xFE6B, lbID},
	{0xFEFF, 0xFEFF, lbGL},
	// Halfwidth and fullwidth forms.
	{0xFF01, 0xFF01, lbEX}, {0xFF02, 0xFF03, lbID}, {0xFF04, 0xFF04, lbPR},
	{0xFF05, 0xFF05, lbPO}, {0xFF06, 0xFF07, lbID}, {0xFF08, 0xFF08, lbOP},
	{0xFF09, 0xFF09, lbCL}, {0xFF0A, 0xFF0B, lbID}, {0xFF0C, 0xFF0C, lbCL},
	{0xFF0D, 0xFF0D, lbID}, {0xFF0E, 0xFF0E, lbCL}, {0xFF0F, 0xFF19, lbID},
	{0xFF1A, 0xFF1B, lbNS}, {0xFF1C, 0xFF1E, lbID}, {0xFF1F, 0xFF1F, lbEX},
	{0xFF20, 0xFF3A, lbID}, {0xFF3B, 0xFF3B, lbOP}, {0xFF3C, 0xFF3C, lbID},
	{0xFF3D, 0xFF3D, lbCL}, {0xFF3E, 0xFF5A, lbID}, {0xFF5B, 0xFF5B, lbOP},
	{0xFF5C, 0xFF5C, lbID}, {0xFF5D, 0xFF5D, lbCL}, {0xFF5E, 0xFF5E, lbID},
	{0xFF5F, 0xFF5F, lbOP}, {0xFF60, 0xFF61, lbCL}, {0xFF62, 0xFF62, lbOP},
	{0xFF63, 0xFF64, lbCL}, {0xFF65, 0xFF65, lbNS}, {0xFF66, 0xFF66, lbID},
	{0xFF67, 0xFF70, lbNS}, {0xFF71, 0xFF9D, lbID}, {0xFF9E, 0xFF9F, lbNS},
	{0xFFA0, 0xFFDC, lbID}, {0xFFE0, 0xFFE0, lbPO}, {0xFFE1, 0xFFE1, lbPR},
	{0xFFE2, 0xFFE4, lbID}, {0xFFE5, 0xFFE6, lbPR},
	// CJK ideographs, supplementary planes (extensions B and later).
	{0x20000, 0x2FFFD, lbID}, {0x30000, 0x3FFFD, lbID},
}

// asciiClass caches lineClass for ASCII: the wrapper asks for every rune of
// the article, and most are ASCII.
var asciiClass = func() (t [128]lbClass) {
	for r := range rune(128) {
		t[r] = lookupClass(r)
	}
	return t
}()

// lineClass returns the line breaking class of r.
func lineClass(r rune) lbClass {
	if r < 128 && r >= 0 {
		return asciiClass[r]
	}
	return lookupClass(r)
}

// lookupClass returns the line breaking class of r from the table.
func lookupClass(r rune) lbClass {
	if r == '\u200b' {
		return lbZW
	}
	if isSpace(r) {
		return lbSP
	}
	i := sort.Search(len(lbTable), func(i int) bool { return lbTable[i].hi >= r })
	if i < len(lbTable) && lbTable[i].lo <= r {
		return lbTable[i].class
	}
	if r == zwj || unicode.Is(unicode.M, r) {
		return lbCM
	}
	return lbAL
}

// wide reports whether r is East Asian punctuation (anything from the CJK
// radicals on): UAX #14 lets a line break after wide closing punctuation
// and before wide opening punctuation next to alphabetic text (LB30's
// exception), while the view keeps Western punctuation attached.
func wide(r rune) bool { return r >= 0x2E80 }

// Breaker tells, rune by rune, where a line may break. Feed it a hard line's
// runes in order with Next; the zero value is ready, and Reset starts a new
// hard line. It allocates nothing, so the wrapper's single pass over the
// text can use it.
type Breaker struct {
	started bool
	prev    lbClass // class of the last rune that is not a space or a mark
	prevW   bool    // whether that rune is wide
	spaces  bool    // spaces came after it
	zw      bool    // a zero width space came after it
}

// Reset makes b ready for a new hard line.
func (b *Breaker) Reset() { *b = Breaker{} }

// Next reports whether a line may break before r, that is between the rune
// given to the previous call and r. The rules, by their UAX #14 numbers, in
// the order they take precedence:
//
//   - LB2: never at the start of the text.
//   - LB7: never before a space or a zero width space; LB8: always after a
//     zero width space (and spaces after it).
//   - LB9: never before a combining mark (it belongs to the character
//     before); LB10: a mark after a space counts as alphabetic.
//   - LB11–LB12a: never next to no-break glue, unless spaces come before it.
//   - LB13: never before closing punctuation, ! ? , . : ; or /, even after
//     spaces.
//   - LB14: never after opening punctuation, even with spaces after it.
//   - LB16: never between closing punctuation and a nonstarter, even with
//     spaces between.
//   - LB18: after spaces.
//   - LB19: never next to a quotation mark (without spaces).
//   - LB21: never before a nonstarter (small kana, ー, 々, ・, ゝ…); LB22:
//     never before …; LB23a: never between a prefix and an ideograph or an
//     ideograph and a postfix.
//   - LB31, for East Asian text only: before or after an ideograph, after
//     wide closing punctuation, exclamation or nonstarter, and before wide
//     opening punctuation. Everything else (alphabetic next to alphabetic,
//     LB28, and the rest of the pairs this subset does not tell apart)
//     does not break.
func (b *Breaker) Next(r rune) bool {
	c := lineClass(r)
	if c == lbAL && b.prev == lbAL && !b.spaces && !b.zw && b.started {
		// A letter after a letter, the commonest pair by far: no rule
		// breaks it (LB28).
		b.prevW = wide(r)
		return false
	}
	if !b.started {
		b.started = true
		switch c {
		case lbSP:
			// Indentation: the first word may go to a new line (LB18),
			// as the view's wrapper has always allowed.
			b.prev, b.spaces = lbSP, true
			return false
		case lbZW:
			b.zw = true
			return false
		case lbCM:
			c = lbAL // LB10
		}
		b.prev, b.prevW = c, wide(r)
		return false
	}
	switch c {
	case lbSP:
		b.spaces = true
		return false
	case lbZW:
		b.zw = true
		return false
	}
	if b.zw {
		b.zw, b.spaces = false, false
		if c == lbCM {
			c = lbAL
		}
		b.prev, b.prevW = c, wide(r)
		return true
	}
	if c == lbCM {
		if !b.spaces {
			return false // LB9: the mark takes its base's class
		}
		c = lbAL // LB10
	}
	brk := b.allowed(c, r)
	b.prev, b.prevW, b.spaces = c, wide(r), false
	return brk
}

// allowed applies the rules from LB11 on to the pair (b.prev, c), with
// b.spaces telling whether spaces are between them.
func (b *Breaker) allowed(c lbClass, r rune) bool {
	a, sp := b.prev, b.spaces
	switch {
	case !sp && (a == lbGL || c == lbGL): // LB11, LB12, LB12a
		return false
	case c == lbCL || c == lbEX || c == lbIS || c == lbSY: // LB13
		return false
	case a == lbOP: // LB14
		return false
	case sp && a == lbCL && c == lbNS: // LB16
		return false
	case sp: // LB18
		return true
	case a == lbQU || c == lbQU: // LB19
		return false
	case c == lbNS || c == lbIN: // LB21, LB22
		return false
	case a == lbPR && c == lbID, a == lbID && c == lbPO: // LB23a
		return false
	case a == lbID || c == lbID: // LB31
		return true
	case c == lbOP && wide(r): // LB30's exception for wide brackets, then LB31
		return true
	case (a == lbCL || a == lbEX || a == lbNS) && b.prevW: // LB31
		return true
	}
	return false // LB28 and the pairs this subset treats as alphabetic
}

// Breaks returns the rune offsets in s before which a line may break,
// increasing, each in (0, runes).
func Breaks(s string) []int {
	var b Breaker
	var out []int
	i := 0
	for _, r := range s {
		if b.Next(r) {
			out = append(out, i)
		}
		i++
	}
	return out
}

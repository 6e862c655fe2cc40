package textflow

import "unicode"

// Word selection in CJK text. Chinese and Japanese put no spaces between
// words, so the view's rule (a run of letters and digits) would select a
// whole sentence on double-click. Without a dictionary the best cheap
// approximation is a run of one script: Japanese switches between kanji,
// hiragana and katakana at most word boundaries ("日本語|の|テキスト"), and
// punctuation ends a run in both languages. Korean separates words with
// spaces, so a run of Hangul is a word already.

// Script is the CJK script of a rune, for word selection.
type Script uint8

// The scripts; NotCJK is everything else.
const (
	NotCJK Script = iota
	Han
	Hiragana
	Katakana
	Hangul
)

// CJKScript returns the script of r, or NotCJK. Kana-only marks (the
// prolonged sound mark ー, the voiced sound marks, their halfwidth forms)
// have no script of their own: [CJKWord] gives them the script of the kana
// before them.
func CJKScript(r rune) Script {
	switch {
	case kanaMark(r):
		return Katakana // ー is mostly katakana; CJKWord refines this
	case unicode.Is(unicode.Han, r):
		return Han
	case unicode.Is(unicode.Hiragana, r):
		return Hiragana
	case unicode.Is(unicode.Katakana, r):
		return Katakana
	case unicode.Is(unicode.Hangul, r):
		return Hangul
	}
	return NotCJK
}

// kanaMark reports whether r continues the kana before it: the prolonged
// sound marks (ー, ｰ) and the voiced sound marks, combining (U+3099,
// U+309A), spacing (゛゜) and halfwidth (ﾞﾟ).
func kanaMark(r rune) bool {
	switch r {
	case 0x30FC, 0xFF70, 0x3099, 0x309A, 0x309B, 0x309C, 0xFF9E, 0xFF9F:
		return true
	}
	return false
}

// scriptAt returns the script of rs[i], giving a kana mark the script of
// the kana (hiragana or katakana) it follows.
func scriptAt(rs []rune, i int) Script {
	if !kanaMark(rs[i]) {
		return CJKScript(rs[i])
	}
	for j := i - 1; j >= 0; j-- {
		if kanaMark(rs[j]) {
			continue
		}
		if s := CJKScript(rs[j]); s == Hiragana || s == Katakana {
			return s
		}
		break
	}
	return Katakana
}

// CJKWord returns the word-sized run around rs[i] that a double-click
// selects when rs[i] is CJK: the maximal run of runes of its script, kana
// marks and combining marks going with the kana before them. ok is false
// when rs[i] is not CJK (or i is out of range); the view then uses its own
// word rule, which should also stop at CJK runes, so that "Go言語" gives
// "Go" and "言語".
func CJKWord(rs []rune, i int) (start, end int, ok bool) {
	if i < 0 || i >= len(rs) {
		return 0, 0, false
	}
	at := func(j int) Script {
		// A combining mark takes the script of its base.
		for j > 0 && unicode.Is(unicode.Mn, rs[j]) && !kanaMark(rs[j]) {
			j--
		}
		return scriptAt(rs, j)
	}
	s := at(i)
	if s == NotCJK {
		return 0, 0, false
	}
	start, end = i, i+1
	for start > 0 && at(start-1) == s {
		start--
	}
	for end < len(rs) && at(end) == s {
		end++
	}
	return start, end, true
}

package annotations

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Folding: words and tags are compared by a form that is lower-cased
// (Unicode case folding) and stripped of accents (compatibility
// decomposition, then the combining marks dropped), so that "Café", "CAFE"
// and "café" are one. Folding works rune by rune, which keeps every folded
// rune traceable to the rune of the original text it came from (search
// emboldens original runes).

// specialFold covers letters that carry no decomposable accent but that a
// reader still expects to find under the plain letter.
var specialFold = map[rune]string{
	'ø': "o", 'ł': "l", 'đ': "d", 'ð': "d", 'þ': "th", 'æ': "ae", 'œ': "oe",
	'ı': "i", 'ħ': "h", 'ŧ': "t", 'ŋ': "n", 'ƒ': "f",
}

// latinFold holds the folded form of every rune below latinEnd (Latin-1 and
// Latin Extended-A/B: the accented letters of European languages); other
// runes are folded on first sight and cached in otherFold.
const latinEnd = 0x250

var (
	latinFold [latinEnd]string
	otherFold sync.Map // rune → string
)

func init() {
	for r := rune(0); r < latinEnd; r++ {
		latinFold[r] = computeFold(r)
	}
}

// computeFold returns the folded form of one rune: "" for a rune that is
// neither a letter nor a digit (combining marks included).
func computeFold(r rune) string {
	if !IsWordRune(r) {
		return ""
	}
	if s, ok := specialFold[unicode.ToLower(r)]; ok {
		return s
	}
	var b strings.Builder
	for _, c := range norm.NFKD.String(cases.Fold().String(string(r))) {
		if unicode.Is(unicode.M, c) || !(unicode.IsLetter(c) || unicode.IsDigit(c)) {
			continue
		}
		c = unicode.ToLower(c)
		if s, ok := specialFold[c]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// FoldRune returns the form a letter or digit is compared by: lower-cased
// (Unicode case folding, so "ß" is "ss") and without accents ("é" is "e",
// "ø" is "o"); "" for a rune that is not part of a word (see IsWordRune)
// and for a combining mark, which folds into the letter before it.
func FoldRune(r rune) string {
	if r >= 0 && r < latinEnd {
		return latinFold[r]
	}
	if s, ok := otherFold.Load(r); ok {
		return s.(string)
	}
	s := computeFold(r)
	otherFold.Store(r, s)
	return s
}

// IsWordRune reports whether r belongs to a word: letters, digits, and the
// combining marks that may follow a letter in text that is not composed.
func IsWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// TagKey returns the key a tag is compared, counted and indexed by: white
// space trimmed and collapsed to single spaces, letters and digits folded
// (FoldRune: case and accents do not matter, so "Café" and "cafe" are one
// tag) and other characters lower-cased and kept ("C++" is "c++", not "c").
// The library's tag index, the tag: qualifier of searches and every
// comparison of tags use this one key.
func TagKey(tag string) string {
	var b strings.Builder
	b.Grow(len(tag))
	for i, w := range strings.Fields(tag) {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, r := range w {
			if IsWordRune(r) {
				b.WriteString(FoldRune(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		}
	}
	return b.String()
}

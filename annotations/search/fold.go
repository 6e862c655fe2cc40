package search

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/cases"
	"golang.org/x/text/unicode/norm"
)

// Folding: a token is compared by a form that is lower-cased (Unicode case
// folding) and stripped of accents (compatibility decomposition, then the
// combining marks dropped), so that "Café", "CAFE" and "café" are one token.
// Folding works rune by rune, which keeps every folded rune traceable to the
// rune of the original text it came from (the GUI emboldens original runes).

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
	if !isTokenRune(r) {
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

// foldRune returns the folded form of r (see computeFold).
func foldRune(r rune) string {
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

// asciiToken[c] is the folded byte of an ASCII letter or digit, 0 for any
// other ASCII byte.
var asciiToken = func() (t [utf8.RuneSelf]byte) {
	for c := byte('0'); c <= '9'; c++ {
		t[c] = c
	}
	for c := byte('a'); c <= 'z'; c++ {
		t[c] = c
		t[c-'a'+'A'] = c
	}
	return t
}()

// isTokenRune reports whether r belongs to a token: letters, digits, and the
// combining marks that may follow a letter in text that is not composed.
func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && asciiToken[r] != 0
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.M, r)
}

// eachToken calls fn for every token of s, in order, with its folded form
// (valid only during the call) and its rune range [start, end) in s. A token
// is a maximal run of letters, digits and marks; one whose folded form is
// empty (marks alone) is skipped. buf is scratch space, returned for reuse.
func eachToken(s string, buf []byte, fn func(fold []byte, start, end int)) []byte {
	buf = buf[:0]
	start, pos := -1, 0
	for i := 0; i < len(s); pos++ {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			if f := asciiToken[c]; f != 0 {
				if start < 0 {
					start, buf = pos, buf[:0]
				}
				buf = append(buf, f)
				continue
			}
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if isTokenRune(r) {
				if start < 0 {
					start, buf = pos, buf[:0]
				}
				buf = append(buf, foldRune(r)...)
				continue
			}
		}
		if start >= 0 {
			if len(buf) > 0 {
				fn(buf, start, pos)
			}
			start = -1
		}
	}
	if start >= 0 && len(buf) > 0 {
		fn(buf, start, pos)
	}
	return buf
}

// foldTokens returns the folded tokens of s.
func foldTokens(s string) []string {
	var out []string
	eachToken(s, nil, func(f []byte, _, _ int) { out = append(out, string(f)) })
	return out
}

// foldTag returns the key a whole tag is compared by: white space collapsed,
// letters and digits folded, other characters ("+" of "C++") kept.
func foldTag(tag string) string {
	var b strings.Builder
	for i, w := range strings.Fields(tag) {
		if i > 0 {
			b.WriteByte(' ')
		}
		for _, r := range w {
			if isTokenRune(r) {
				b.WriteString(foldRune(r))
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		}
	}
	return b.String()
}

// foldedPrefixEnd returns the rune offset in s, from start, at which the
// folded form of s[start:] reaches n folded runes (rune offsets, not bytes).
// runes is s as runes.
func foldedPrefixEnd(runes []rune, start, end, n int) int {
	got := 0
	for i := start; i < end; i++ {
		if got >= n {
			return i
		}
		got += utf8.RuneCountInString(foldRune(runes[i]))
	}
	return end
}

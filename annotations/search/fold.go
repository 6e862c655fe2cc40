package search

import (
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// Folding is annotations.FoldRune: lower-cased, accents removed, rune by
// rune (so that every folded rune is traceable to the rune of the original
// text it came from, for the rune ranges of hits).

// foldRune returns the folded form of r (annotations.FoldRune).
func foldRune(r rune) string { return annotations.FoldRune(r) }

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
// combining marks that may follow a letter in text that is not composed
// (annotations.IsWordRune).
func isTokenRune(r rune) bool {
	if r < utf8.RuneSelf {
		return r >= 0 && asciiToken[r] != 0
	}
	return annotations.IsWordRune(r)
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

// foldTag returns the key a whole tag is compared by: annotations.TagKey,
// the key of the library's tag index too.
func foldTag(tag string) string { return annotations.TagKey(tag) }

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

// Package textfind finds a phrase in a text as a reader expects of "Find
// in the article": case and accents do not matter ("cafe" finds "Café",
// "strasse" finds "Straße"), runs of white space match any white space,
// and matches are reported as rune offsets into the original text.
//
// It is written here rather than taken from a library: strings.Index
// knows neither folding nor rune offsets, and golang.org/x/text/search
// (collation-based) reports byte offsets of one match at a time and is
// orders of magnitude slower on a 10 MB text. The folding itself is the
// library's (annotations.FoldRune), so that find and search agree.
package textfind

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// Match is a match's rune range [Start, End) in the original text.
type Match struct{ Start, End int }

// Index is a text folded once, for any number of finds.
type Index struct {
	folded string
	// runeAt[i] is the rune of the original text that folded byte i came
	// from; runeAt[len(folded)] is the text's length in runes.
	runeAt []int32
}

// New folds text. It costs about five bytes per byte of text.
func New(text string) *Index {
	var b strings.Builder
	b.Grow(len(text))
	runeAt := make([]int32, 0, len(text)+1)
	n := int32(0)
	space := false
	for _, r := range text {
		f := foldOne(r)
		switch {
		case f == " ":
			if space { // a run of white space is one space
				n++
				continue
			}
			space = true
		case f == "":
			n++ // a combining mark folds into the letter before it
			continue
		default:
			space = false
		}
		for range len(f) {
			runeAt = append(runeAt, n)
		}
		b.WriteString(f)
		n++
	}
	runeAt = append(runeAt, n)
	return &Index{folded: b.String(), runeAt: runeAt}
}

// foldOne is the folded form of one rune: a letter or digit as the
// library folds it, white space as " ", a combining mark as "", anything
// else lower-cased.
func foldOne(r rune) string {
	switch {
	case unicode.IsSpace(r):
		return " "
	case unicode.Is(unicode.M, r):
		return ""
	case annotations.IsWordRune(r):
		return annotations.FoldRune(r)
	case r < utf8.RuneSelf:
		return string(rune(unicode.ToLower(r)))
	}
	return string(unicode.ToLower(r))
}

// Fold is the form a query is looked for in: folded as the text is, with
// white space at its ends dropped.
func Fold(query string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.TrimSpace(query) {
		f := foldOne(r)
		if f == " " {
			if space {
				continue
			}
			space = true
		} else if f != "" {
			space = false
		}
		b.WriteString(f)
	}
	return b.String()
}

// All returns the matches of query in the text, in order, not overlapping,
// at most limit of them (limit ≤ 0: all), and whether there were more.
// An empty query matches nothing.
func (x *Index) All(query string, limit int) (ms []Match, more bool) {
	q := Fold(query)
	if q == "" {
		return nil, false
	}
	for at := 0; ; {
		i := strings.Index(x.folded[at:], q)
		if i < 0 {
			return ms, false
		}
		if limit > 0 && len(ms) == limit {
			return ms, true
		}
		s, e := at+i, at+i+len(q)
		m := Match{Start: int(x.runeAt[s]), End: x.endRune(e)}
		ms = append(ms, m)
		// Go on after the match's last rune: a match that ended inside
		// one rune's folding ("ß" is "ss") must not match it again.
		at = e
		for at < len(x.folded) && int(x.runeAt[at]) < m.End {
			at++
		}
	}
}

// endRune is the rune offset where a match that ends before folded byte
// e ends: after the rune its last byte came from (and the combining marks
// folded into it).
func (x *Index) endRune(e int) int {
	if e >= len(x.folded) {
		return int(x.runeAt[len(x.folded)])
	}
	// The next folded byte's rune, unless the match ends inside the
	// folding of one rune ("ß" is "ss": a match of "s" ends after the ß).
	if x.runeAt[e] == x.runeAt[e-1] {
		return int(x.runeAt[e-1]) + 1
	}
	return int(x.runeAt[e])
}

package anchor

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Occurrences returns the rune ranges [start, end) of every non-overlapping
// occurrence of quote in text, in order.
func Occurrences(text, quote string) [][2]int {
	if quote == "" {
		return nil
	}
	var out [][2]int
	qr := utf8.RuneCountInString(quote)
	byteAt, runeAt := 0, 0
	for {
		i := strings.Index(text[byteAt:], quote)
		if i < 0 {
			return out
		}
		runeAt += utf8.RuneCountInString(text[byteAt : byteAt+i])
		out = append(out, [2]int{runeAt, runeAt + qr})
		byteAt += i + len(quote)
		runeAt += qr
	}
}

// Find returns the rune range of the nth (1-based) occurrence of quote in
// text. When the quote does not occur literally, runs of white space in the
// quote match any run of white space in the text, so a passage copied from a
// re-wrapped or re-flowed copy of the article is still found.
func Find(text, quote string, nth int) (start, end int, err error) {
	if nth < 1 {
		return 0, 0, fmt.Errorf("occurrence number must be 1 or more, not %d", nth)
	}
	if strings.TrimSpace(quote) == "" {
		return 0, 0, fmt.Errorf("%w: the quote is empty", ErrQuoteNotFound)
	}
	occ := Occurrences(text, quote)
	if len(occ) == 0 {
		occ = spacedOccurrences(text, quote)
	}
	if len(occ) == 0 {
		return 0, 0, fmt.Errorf("%w: %q", ErrQuoteNotFound, short(quote))
	}
	if nth > len(occ) {
		return 0, 0, fmt.Errorf("%w: %q occurs %d time(s), not %d", ErrQuoteNotFound, short(quote), len(occ), nth)
	}
	return occ[nth-1][0], occ[nth-1][1], nil
}

// spacedOccurrences finds quote in text with white space runs collapsed on
// both sides, and maps the matches back to rune ranges of the original text.
func spacedOccurrences(text, quote string) [][2]int {
	ct, pos := collapseSpace([]rune(text))
	cq, _ := collapseSpace([]rune(strings.TrimSpace(quote)))
	if len(cq) == 0 {
		return nil
	}
	var out [][2]int
	for _, m := range Occurrences(string(ct), string(cq)) {
		// pos maps each collapsed rune to its first original rune; the
		// end is one past the original position of the last matched rune.
		out = append(out, [2]int{pos[m[0]], pos[m[1]-1] + 1})
	}
	return out
}

// collapseSpace replaces each run of white space with one space and returns
// the original rune index of every rune it keeps.
func collapseSpace(rs []rune) ([]rune, []int) {
	out := make([]rune, 0, len(rs))
	pos := make([]int, 0, len(rs))
	inSpace := false
	for i, r := range rs {
		if unicode.IsSpace(r) {
			if inSpace {
				continue
			}
			inSpace = true
			r = ' '
		} else {
			inSpace = false
		}
		out = append(out, r)
		pos = append(pos, i)
	}
	return out, pos
}

func short(s string) string {
	const limit = 60
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

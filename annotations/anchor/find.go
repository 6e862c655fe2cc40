package anchor

import (
	"fmt"
	"strings"
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
// both sides (the view re-anchoring compares in), and maps the matches
// back to rune ranges of the original text. Matches do not overlap.
func spacedOccurrences(text, quote string) [][2]int {
	q := collapse(strings.TrimSpace(quote))
	if len(q) == 0 {
		return nil
	}
	v := newView([]rune(text))
	var out [][2]int
	next := 0
	for _, cs := range v.occurrences(string(q), len(v.rs)) {
		if cs < next {
			continue
		}
		next = cs + len(q)
		start, end := v.span(cs, next)
		out = append(out, [2]int{start, end})
	}
	return out
}

func short(s string) string {
	const limit = 60
	if utf8.RuneCountInString(s) <= limit {
		return s
	}
	return string([]rune(s)[:limit]) + "…"
}

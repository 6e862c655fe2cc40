// Package anchor ties a highlight to the text it was made on.
//
// A Target records both where a highlight was (Start and End, half-open rune
// offsets into the article's NFC text) and what it said (Exact, with up to
// ContextRunes runes of Prefix and Suffix around it). Capture makes a Target
// from a selection; Find looks a quote up in a text; Locate puts a Target
// back where its quote occurs unchanged (as on import); Reanchor and
// ReanchorAll put Targets back onto a revised text, Anchored where the
// quote is unchanged, Fuzzy where it was edited, Orphaned where no place
// is good enough: a wrong attachment is worse than an orphan.
//
// All offsets are rune (Unicode code point) offsets, as the W3C Web
// Annotation model's TextPositionSelector requires. The package uses only the
// standard library.
package anchor

import (
	"errors"
	"fmt"
)

// ContextRunes is how many runes of text before and after a quote a Target
// keeps in Prefix and Suffix.
const ContextRunes = 32

// Target is a W3C-style text quote plus text position selector.
type Target struct {
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Exact  string `json:"exact"`
	Prefix string `json:"prefix"`
	Suffix string `json:"suffix"`
}

// ErrRange is returned when offsets do not describe a non-empty range inside
// the text.
var ErrRange = errors.New("offsets out of range")

// ErrQuoteNotFound is returned by Find when the quote does not occur in the
// text (or occurs fewer times than asked for).
var ErrQuoteNotFound = errors.New("quote not found")

// Capture returns the Target for the rune range [start, end) of text.
func Capture(text string, start, end int) (Target, error) {
	runes := []rune(text)
	return captureRunes(runes, start, end)
}

func captureRunes(runes []rune, start, end int) (Target, error) {
	if start < 0 || end > len(runes) || start >= end {
		return Target{}, fmt.Errorf("%w: [%d, %d) in a text of %d characters", ErrRange, start, end, len(runes))
	}
	pre := max(0, start-ContextRunes)
	suf := min(len(runes), end+ContextRunes)
	return Target{
		Start:  start,
		End:    end,
		Exact:  string(runes[start:end]),
		Prefix: string(runes[pre:start]),
		Suffix: string(runes[end:suf]),
	}, nil
}

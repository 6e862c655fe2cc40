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
	"slices"
	"strings"
	"unicode/utf8"
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
	// Page is the 1-based page a passage of a paged article (a PDF)
	// starts on; 0 for articles without pages.
	Page int `json:"page,omitempty"`
	// Rects are the passage's rectangles on its pages (see Rect); empty
	// for articles without pages.
	Rects []Rect `json:"rects,omitempty"`
}

// Rect is one rectangle of a passage on a page: the 1-based page and the
// corners in PDF points, in the page's own coordinates (origin at the
// bottom left, y upwards), as a PDF's QuadPoints are.
type Rect struct {
	Page int     `json:"page"`
	X0   float64 `json:"x0"`
	Y0   float64 `json:"y0"`
	X1   float64 `json:"x1"`
	Y1   float64 `json:"y1"`
}

// Same reports whether two targets are equal, rectangles included.
func (t Target) Same(u Target) bool {
	return t.Start == u.Start && t.End == u.End && t.Exact == u.Exact &&
		t.Prefix == u.Prefix && t.Suffix == u.Suffix && t.Page == u.Page &&
		slices.Equal(t.Rects, u.Rects)
}

// Clone returns a copy of t that shares no memory with it.
func (t Target) Clone() Target {
	t.Rects = slices.Clone(t.Rects)
	return t
}

// ErrRange is returned when offsets do not describe a non-empty range inside
// the text.
var ErrRange = errors.New("offsets out of range")

// ErrQuoteNotFound is returned by Find when the quote does not occur in the
// text (or occurs fewer times than asked for).
var ErrQuoteNotFound = errors.New("quote not found")

// Capture returns the Target for the rune range [start, end) of text. It
// walks the text once and copies only the quote and its context (a
// highlight of a whole 10 MB article would otherwise make a 40 MB copy of
// it as runes first).
func Capture(text string, start, end int) (Target, error) {
	if !utf8.ValidString(text) {
		// Texts are valid UTF-8 in the library; other input is read as
		// runes, with U+FFFD for what is invalid, as everywhere else.
		return captureRunes([]rune(text), start, end)
	}
	if start < 0 || start >= end {
		return Target{}, fmt.Errorf("%w: [%d, %d) in a text of %d characters", ErrRange, start, end, utf8.RuneCountInString(text))
	}
	pre := max(0, start-ContextRunes)
	// Byte offsets of the runes pre, start, end and suf (end+ContextRunes,
	// or the end of the text).
	at := [4]int{-1, -1, -1, len(text)}
	marks := [4]int{pre, start, end, end + ContextRunes}
	n, k := 0, 0
	for i := range text {
		for k < len(marks) && marks[k] == n {
			at[k] = i
			k++
		}
		if k == len(marks) {
			break
		}
		n++
	}
	if k < len(marks) { // the text ended first
		for k < len(marks) && marks[k] == n {
			at[k] = len(text)
			k++
		}
		if at[2] < 0 {
			return Target{}, fmt.Errorf("%w: [%d, %d) in a text of %d characters", ErrRange, start, end, n)
		}
	}
	return Target{
		Start:  start,
		End:    end,
		Exact:  strings.Clone(text[at[1]:at[2]]),
		Prefix: strings.Clone(text[at[0]:at[1]]),
		Suffix: strings.Clone(text[at[2]:at[3]]),
	}, nil
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

package anchor

import "sync"

// Text is an article's text prepared for anchoring many targets on it: its
// runes are decoded once, not once per target, and the white space
// collapsed view that re-anchoring compares in is built once, when first
// needed. A Text is safe for use by several goroutines.
type Text struct {
	s     string
	runes []rune

	once sync.Once
	v    *view
}

// NewText prepares s for Capture, Locate and Reanchor.
func NewText(s string) *Text {
	return &Text{s: s, runes: []rune(s)}
}

// Len returns the length of the text in runes.
func (t *Text) Len() int { return len(t.runes) }

// Capture returns the Target for the rune range [start, end).
func (t *Text) Capture(start, end int) (Target, error) {
	return captureRunes(t.runes, start, end)
}

// Slice returns the text of the rune range [start, end), clipped to the
// text.
func (t *Text) Slice(start, end int) string {
	start, end = max(0, start), min(len(t.runes), end)
	if start >= end {
		return ""
	}
	return string(t.runes[start:end])
}

// view returns the text's white space collapsed view.
func (t *Text) view() *view {
	t.once.Do(func() { t.v = newView(t.runes) })
	return t.v
}

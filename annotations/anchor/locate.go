package anchor

// Locate puts t back onto text where its quote occurs unchanged (white
// space runs compared as one space), as when annotations are imported onto
// the text they were made on. It keeps t's position when the text there
// still equals the quote and its context is unchanged; otherwise it picks,
// among the exact occurrences of the quote, the one whose surroundings
// best match t's prefix and suffix, nearer the old position on a tie, and
// takes it however poor the match (a quote-only selector has no context to
// check). It reports false when the quote does not occur, leaving t as it
// was.
//
// Locate has no floor: to put targets back on a revised text, where the
// passage may be gone and the quote still occur elsewhere, use Reanchor.
func Locate(text string, t Target) (Target, bool) {
	return NewText(text).Locate(t)
}

// Locate is the package's Locate on a prepared text.
func (tx *Text) Locate(t Target) (Target, bool) {
	r := tx.reanchor(t, 0, true)
	if r.Status != Anchored {
		return t, false
	}
	return r.Target, true
}

package anchor

// Locate puts t back onto text, which may differ from the text t was
// captured on, where the quote still occurs unchanged (white space runs
// compared as one space): it is Reanchor without the approximate search.
// It keeps t's position when the text there still equals the quote;
// otherwise it picks, among the exact occurrences of the quote, the one
// whose surroundings best match t's prefix and suffix, nearer the old
// position on a tie, provided the context is like enough (or the quote is
// long and occurs once). It reports false when there is no such place,
// leaving t as it was.
func Locate(text string, t Target) (Target, bool) {
	return NewText(text).Locate(t)
}

// Locate is the package's Locate on a prepared text.
func (tx *Text) Locate(t Target) (Target, bool) {
	r := tx.reanchor(t, 0, false)
	if r.Status != Anchored {
		return t, false
	}
	return r.Target, true
}

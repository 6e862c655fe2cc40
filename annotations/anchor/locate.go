package anchor

// Locate puts t back onto text, which may differ from the text t was
// captured on. It keeps t's position when the text there still equals the
// quote; otherwise it picks, among the exact occurrences of the quote
// (white space runs compared as one space), the one whose surroundings best
// match t's prefix and suffix, nearer the old position on a tie. It reports
// false when the quote no longer occurs, leaving t as it was.
func Locate(text string, t Target) (Target, bool) {
	return NewText(text).Locate(t)
}

// Locate is the package's Locate on a prepared text.
func (tx *Text) Locate(t Target) (Target, bool) {
	text, runes := tx.s, tx.runes
	if t.Exact == "" {
		return t, false
	}
	if t.Start >= 0 && t.End <= len(runes) && t.Start < t.End && equalRunes(runes[t.Start:t.End], t.Exact) {
		got, _ := captureRunes(runes, t.Start, t.End)
		return got, true
	}
	occ := Occurrences(text, t.Exact)
	if len(occ) == 0 {
		occ = spacedOccurrences(text, t.Exact)
	}
	if len(occ) == 0 {
		return t, false
	}
	best, bestScore, bestDist := -1, -1, 0
	for i, o := range occ {
		pre := string(runes[max(0, o[0]-ContextRunes):o[0]])
		suf := string(runes[o[1]:min(len(runes), o[1]+ContextRunes)])
		score := commonSuffix(pre, t.Prefix) + commonPrefix(suf, t.Suffix)
		dist := o[0] - t.Start
		if dist < 0 {
			dist = -dist
		}
		if score > bestScore || (score == bestScore && dist < bestDist) {
			best, bestScore, bestDist = i, score, dist
		}
	}
	got, _ := captureRunes(runes, occ[best][0], occ[best][1])
	return got, true
}

// commonPrefix counts the runes a and b share at their start.
func commonPrefix(a, b string) int {
	ar, br := []rune(a), []rune(b)
	n := 0
	for n < len(ar) && n < len(br) && ar[n] == br[n] {
		n++
	}
	return n
}

// commonSuffix counts the runes a and b share at their end.
func commonSuffix(a, b string) int {
	ar, br := []rune(a), []rune(b)
	n := 0
	for n < len(ar) && n < len(br) && ar[len(ar)-1-n] == br[len(br)-1-n] {
		n++
	}
	return n
}

// equalRunes reports whether rs spells s, without allocating.
func equalRunes(rs []rune, s string) bool {
	i := 0
	for _, r := range s {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return i == len(rs)
}

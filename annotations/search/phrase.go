package search

import "strings"

// phrase finds a sequence of folded tokens in a text, token by token, with
// the Knuth–Morris–Pratt failure function over tokens (so "a a b" is found
// in "a a a b").
type phrase struct {
	toks []string
	fail []int
}

func newPhrase(toks []string) *phrase {
	p := &phrase{toks: toks, fail: make([]int, len(toks))}
	for i, k := 1, 0; i < len(toks); i++ {
		for k > 0 && toks[i] != toks[k] {
			k = p.fail[k-1]
		}
		if toks[i] == toks[k] {
			k++
		}
		p.fail[i] = k
	}
	return p
}

// each calls fn with the rune range of every occurrence of the phrase in
// text (offset by base), until fn returns false; buf is scratch space.
func (p *phrase) each(text string, base int, buf []byte, fn func(start, end int) bool) []byte {
	n := len(p.toks)
	starts := make([]int, n) // starts of the last n tokens, a ring
	k, i, stop := 0, 0, false
	return eachToken(text, buf, func(f []byte, start, end int) {
		if stop {
			return
		}
		starts[i%n] = start
		for k > 0 && string(f) != p.toks[k] {
			k = p.fail[k-1]
		}
		if string(f) == p.toks[k] {
			k++
		}
		if k == n {
			if !fn(base+starts[(i-n+1)%n], base+end) {
				stop = true
			}
			k = p.fail[k-1]
		}
		i++
	})
}

// in reports whether the phrase occurs in text.
func (p *phrase) in(text string, buf []byte) (bool, []byte) {
	found := false
	buf = p.each(text, 0, buf, func(_, _ int) bool {
		found = true
		return false
	})
	return found, buf
}

// inTags reports whether the phrase occurs in one of the tags (joined by
// ", "): a phrase does not run from one tag into the next.
func (p *phrase) inTags(tags string, buf []byte) (bool, []byte) {
	found := false
	eachTag(tags, func(tag string, _ int) bool {
		found, buf = p.in(tag, buf)
		return !found
	})
	return found, buf
}

// eachTag calls fn with each tag of tags (joined by ", ") and its rune
// offset, until fn returns false.
func eachTag(tags string, fn func(tag string, offset int) bool) {
	offset := 0
	for tags != "" {
		tag, rest, more := strings.Cut(tags, ", ")
		if !fn(tag, offset) {
			return
		}
		offset += runeCount(tag) + 2
		tags = rest
		if !more {
			return
		}
	}
}

func runeCount(s string) int {
	n := 0
	for range s {
		n++
	}
	return n
}

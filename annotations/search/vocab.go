package search

import (
	"math/bits"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/sahilm/fuzzy"
)

// Match qualities of a vocabulary word for a query word.
const (
	qualityExact  = 1.0
	qualityPrefix = 0.8
	qualityTypo1  = 0.6
	qualityTypo2  = 0.45
	// A subsequence scores qualitySubseq plus up to 0.1 for how much of the
	// word the query covers.
	qualitySubseq = 0.3
)

// Limits of fuzzy matching, in runes of the folded query word.
const (
	minPrefix    = 2  // shorter words match exactly only
	minTypo1     = 5  // one typo from 5 runes
	minTypo2     = 9  // two typos from 9 runes
	minSubseq    = 3  // abbreviations from 3 runes
	maxSubseqHit = 10 // the best this many subsequence words, by sahilm's score
)

// How a vocabulary word matched a query word.
const (
	kindExact = iota
	kindPrefix
	kindTypo
	kindSubseq
)

// termHit is one vocabulary word that a query word matched.
type termHit struct {
	term    uint32
	quality float32
	kind    uint8
}

// maxRunes caps the stored rune length of a word (for the length filters).
const maxRunes = 255

// letterMask is the set of letters and digits of a folded word: a bit per
// ASCII letter and digit, and one of 28 bits for any other rune.
func letterMask(s string) uint64 {
	var m uint64
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			m |= 1 << (r - 'a')
		case r >= '0' && r <= '9':
			m |= 1 << (26 + r - '0')
		default:
			m |= 1 << (36 + uint(r)%28)
		}
	}
	return m
}

// vocabulary is the set of distinct folded tokens, each with its postings.
// Term numbers are stable until the index compacts.
type vocabulary struct {
	ids      map[string]uint32
	terms    []string
	runes    []uint8  // rune length, capped at maxRunes
	masks    []uint64 // letterMask
	postings [][]uint32
	sorted   []uint32   // term numbers in string order (prefix ranges)
	byLen    [][]uint32 // term numbers by rune length (typo scans)
}

func newVocabulary() vocabulary {
	return vocabulary{ids: map[string]uint32{}, byLen: make([][]uint32, maxRunes+1)}
}

// add appends a new word (not yet in the vocabulary) without keeping
// sorted in order; callers that add many words sort once at the end.
func (v *vocabulary) add(s string) uint32 {
	t := uint32(len(v.terms))
	n := min(utf8.RuneCountInString(s), maxRunes)
	v.ids[s] = t
	v.terms = append(v.terms, s)
	v.runes = append(v.runes, uint8(n))
	v.masks = append(v.masks, letterMask(s))
	v.postings = append(v.postings, nil)
	v.byLen[n] = append(v.byLen[n], t)
	return t
}

// term returns the number of word f, adding it (in order) when new.
func (v *vocabulary) term(f []byte) uint32 {
	if t, ok := v.ids[string(f)]; ok {
		return t
	}
	s := string(f)
	t := v.add(s)
	i := v.lowerBound(s)
	v.sorted = slices.Insert(v.sorted, i, t)
	return t
}

// sortTerms rebuilds the string order of the words.
func (v *vocabulary) sortTerms() {
	v.sorted = make([]uint32, len(v.terms))
	for i := range v.sorted {
		v.sorted[i] = uint32(i)
	}
	slices.SortFunc(v.sorted, func(a, b uint32) int { return strings.Compare(v.terms[a], v.terms[b]) })
}

// lowerBound returns the position in sorted of the first word >= s.
func (v *vocabulary) lowerBound(s string) int {
	return sort.Search(len(v.sorted), func(i int) bool { return v.terms[v.sorted[i]] >= s })
}

// prefixRange returns the words that begin with p, as a part of sorted.
func (v *vocabulary) prefixRange(p string) []uint32 {
	lo := v.lowerBound(p)
	n := sort.Search(len(v.sorted)-lo, func(i int) bool { return !strings.HasPrefix(v.terms[v.sorted[lo+i]], p) })
	return v.sorted[lo : lo+n]
}

// wordMatcher is how one query word matches vocabulary words; it expands
// the word into termHits and later finds the matched letters of a token of
// a hit's text.
type wordMatcher struct {
	word      string
	runes     int
	prefix    bool             // prefix matches allowed
	typos     map[string]bool  // words matched with typos
	subseq    map[string][]int // words matched as subsequences: matched rune indexes
	exactOnly bool
}

// expand returns the vocabulary words that w matches, and a matcher for
// highlighting. exactOnly (phrase words) allows only the word itself.
func (v *vocabulary) expand(w string, exactOnly bool) ([]termHit, *wordMatcher) {
	m := &wordMatcher{word: w, runes: utf8.RuneCountInString(w), exactOnly: exactOnly}
	var out []termHit
	if t, ok := v.ids[w]; ok {
		out = append(out, termHit{term: t, quality: qualityExact, kind: kindExact})
	}
	if exactOnly {
		return out, m
	}
	n := m.runes
	if n >= minPrefix {
		m.prefix = true
		for _, t := range v.prefixRange(w) {
			if v.terms[t] != w {
				out = append(out, termHit{term: t, quality: qualityPrefix, kind: kindPrefix})
			}
		}
	}
	if !hasLetter(w) {
		return out, m
	}
	wr := []rune(w)
	wmask := letterMask(w)
	if d := maxTypos(n); d > 0 {
		for l := max(1, n-d); l <= min(maxRunes, n+d); l++ {
			for _, t := range v.byLen[l] {
				tm := v.masks[t]
				if bits.OnesCount64(wmask&^tm) > d || bits.OnesCount64(tm&^wmask) > d {
					continue
				}
				s := v.terms[t]
				if m.prefix && strings.HasPrefix(s, w) || s == w {
					continue
				}
				if k := distance(wr, s, d); k <= d {
					q := float32(qualityTypo1)
					if k == 2 {
						q = qualityTypo2
					}
					out = append(out, termHit{term: t, quality: q, kind: kindTypo})
					if m.typos == nil {
						m.typos = map[string]bool{}
					}
					m.typos[s] = true
				}
			}
		}
	}
	if n >= minSubseq {
		out = v.subsequences(w, wr, wmask, m, out)
	}
	return out, m
}

// subsequences adds the words of which w is a subsequence (same first
// letter, at most about twice as long), the best maxSubseqHit by
// sahilm/fuzzy's score.
func (v *vocabulary) subsequences(w string, wr []rune, wmask uint64, m *wordMatcher, out []termHit) []termHit {
	n := len(wr)
	var cands []string
	var candTerms []uint32
	for _, t := range v.prefixRange(string(wr[0])) {
		l := int(v.runes[t])
		if l <= n || l > 2*n+2 || wmask&^v.masks[t] != 0 {
			continue
		}
		s := v.terms[t]
		if m.prefix && strings.HasPrefix(s, w) || m.typos[s] || !isSubsequence(w, s) {
			continue
		}
		cands = append(cands, s)
		candTerms = append(candTerms, t)
	}
	if len(cands) == 0 {
		return out
	}
	matches := fuzzy.FindNoSort(w, cands)
	slices.SortStableFunc(matches, func(a, b fuzzy.Match) int { return b.Score - a.Score })
	if len(matches) > maxSubseqHit {
		matches = matches[:maxSubseqHit]
	}
	for _, fm := range matches {
		t := candTerms[fm.Index]
		q := qualitySubseq + 0.1*float32(n)/float32(v.runes[t])
		out = append(out, termHit{term: t, quality: q, kind: kindSubseq})
		if m.subseq == nil {
			m.subseq = map[string][]int{}
		}
		m.subseq[fm.Str] = byteToRuneIndexes(fm.Str, fm.MatchedIndexes)
	}
	return out
}

// byteToRuneIndexes converts sahilm/fuzzy's byte offsets into s to rune
// indexes.
func byteToRuneIndexes(s string, idx []int) []int {
	out := make([]int, 0, len(idx))
	r, j := 0, 0
	for i := range s {
		for j < len(idx) && idx[j] == i {
			out = append(out, r)
			j++
		}
		r++
	}
	return out
}

// isSubsequence reports whether the runes of w occur in s in order.
func isSubsequence(w, s string) bool {
	j := 0
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			k := strings.IndexByte(s[j:], c)
			if k < 0 {
				return false
			}
			j += k + 1
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		k := strings.IndexRune(s[j:], r)
		if k < 0 {
			return false
		}
		j += k + utf8.RuneLen(r)
		i += size
	}
	return true
}

func hasLetter(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return true
		}
	}
	return false
}

// maxTypos is the number of typos a query word of n runes may have.
func maxTypos(n int) int {
	switch {
	case n >= minTypo2:
		return 2
	case n >= minTypo1:
		return 1
	}
	return 0
}

// distance returns the optimal string alignment distance between a and s
// (insertions, deletions, substitutions and transpositions of adjacent
// runes, Damerau 1964), or a number > d as soon as it must exceed d.
func distance(a []rune, s string, d int) int {
	var bbuf [64]rune
	b := bbuf[:0]
	for _, r := range s {
		b = append(b, r)
	}
	la, lb := len(a), len(b)
	if la-lb > d || lb-la > d {
		return d + 1
	}
	// Three rows of the dynamic programme: two back, one back, this one.
	var buf [3 * 66]int
	if 3*(lb+1) > len(buf) {
		return d + 1
	}
	prev2, prev, cur := buf[0:lb+1], buf[lb+1:2*(lb+1)], buf[2*(lb+1):3*(lb+1)]
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > d {
			return d + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

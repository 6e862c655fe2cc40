package search

import (
	"encoding/binary"
	"math"
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
	maxTypo      = 64 // and none past 64 runes
	minSubseq    = 3  // abbreviations from 3 runes
	maxSubseqHit = 10 // the best this many subsequence words, by sahilm's score
)

// termHit is one vocabulary word that a query word matched.
type termHit struct {
	term    uint32
	quality float32
}

// maxRunes caps the stored rune length of a word (for the length filters).
const maxRunes = 255

// maxWordBytes is the longest folded word indexed, in bytes: longer ones
// (a pasted blob without spaces) are left out, so that every word can be a
// key of the persisted index (bbolt takes keys up to 32 KB) and no word
// outgrows maxRunes. A query for such a word finds nothing.
const maxWordBytes = 255

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
// In an Index, term numbers are stable until the index compacts, and ids
// finds them. In a persisted index's cache the vocabulary is packed, to
// keep little memory (a process that searches once pays for every page it
// touches): the words in string order in one string (packed, each ending
// at ends[t]), numbered by their positions (sorted is nil: the identity),
// without ids, masks (computed when needed) or postings (read from the
// store).
type vocabulary struct {
	ids      map[string]uint32
	terms    []string
	packed   string
	ends     []uint32
	runes    []uint8  // rune length, capped at maxRunes
	masks    []uint64 // letterMask
	postings [][]uint32
	sorted   []uint32 // term numbers in string order (prefix ranges)
	lcp      []uint8  // runes sorted[i] shares with sorted[i-1], capped
}

// size returns the number of words in string order (an Index's words
// added but not yet sorted are not counted).
func (v *vocabulary) size() int {
	if v.ends != nil {
		return len(v.ends)
	}
	return len(v.sorted)
}

// word returns word t.
func (v *vocabulary) word(t uint32) string {
	if v.ends != nil {
		start := uint32(0)
		if t > 0 {
			start = v.ends[t-1]
		}
		return v.packed[start:v.ends[t]]
	}
	return v.terms[t]
}

// at returns the number of the word at position i in string order.
func (v *vocabulary) at(i int) uint32 {
	if v.sorted == nil {
		return uint32(i)
	}
	return v.sorted[i]
}

// mask returns the letterMask of word t.
func (v *vocabulary) mask(t uint32) uint64 {
	if v.masks == nil {
		return letterMask(v.word(t))
	}
	return v.masks[t]
}

func newVocabulary() vocabulary {
	return vocabulary{ids: map[string]uint32{}}
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
	return t
}

// find returns the number of word s.
func (v *vocabulary) find(s string) (uint32, bool) {
	if v.ids != nil {
		t, ok := v.ids[s]
		return t, ok
	}
	i := v.lowerBound(s)
	if i < v.size() && v.word(v.at(i)) == s {
		return v.at(i), true
	}
	return 0, false
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
	v.lcp = slices.Insert(v.lcp, i, 0)
	v.setLCP(i)
	v.setLCP(i + 1)
	return t
}

// setLCP sets lcp[i] from the words at i-1 and i.
func (v *vocabulary) setLCP(i int) {
	if i <= 0 || i >= v.size() {
		if i == 0 && len(v.lcp) > 0 {
			v.lcp[0] = 0
		}
		return
	}
	a, b := v.word(v.at(i-1)), v.word(v.at(i))
	n := 0
	for n < maxRunes {
		ra, sa := utf8.DecodeRuneInString(a)
		rb, sb := utf8.DecodeRuneInString(b)
		if sa == 0 || sb == 0 || ra != rb {
			break
		}
		a, b = a[sa:], b[sb:]
		n++
	}
	v.lcp[i] = uint8(n)
}

// sortTerms rebuilds the string order of the words.
func (v *vocabulary) sortTerms() {
	v.sorted = make([]uint32, len(v.terms))
	for i := range v.sorted {
		v.sorted[i] = uint32(i)
	}
	slices.SortFunc(v.sorted, func(a, b uint32) int { return strings.Compare(v.terms[a], v.terms[b]) })
	// The words, in sorted order, in one block of memory: the typo walk
	// reads them in that order.
	size := 0
	for _, t := range v.sorted {
		size += len(v.terms[t])
	}
	var b strings.Builder
	b.Grow(size)
	for _, t := range v.sorted {
		b.WriteString(v.terms[t])
	}
	block, off := b.String(), 0
	ids := make(map[string]uint32, len(v.terms))
	for _, t := range v.sorted {
		n := len(v.terms[t])
		v.terms[t] = block[off : off+n]
		ids[v.terms[t]] = t
		off += n
	}
	v.ids = ids
	v.lcp = make([]uint8, len(v.sorted))
	for i := range v.sorted {
		v.setLCP(i)
	}
}

// lowerBound returns the position in string order of the first word >= s.
func (v *vocabulary) lowerBound(s string) int {
	return sort.Search(v.size(), func(i int) bool { return v.word(v.at(i)) >= s })
}

// prefixRange returns the positions in string order [lo, hi) of the words
// that begin with p.
func (v *vocabulary) prefixRange(p string) (lo, hi int) {
	lo = v.lowerBound(p)
	n := sort.Search(v.size()-lo, func(i int) bool { return !strings.HasPrefix(v.word(v.at(lo+i)), p) })
	return lo, lo + n
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
	if t, ok := v.find(w); ok {
		out = append(out, termHit{term: t, quality: qualityExact})
	}
	if exactOnly {
		return out, m
	}
	n := m.runes
	if n >= minPrefix {
		m.prefix = true
		lo, hi := v.prefixRange(w)
		for i := lo; i < hi; i++ {
			if t := v.at(i); v.word(t) != w {
				out = append(out, termHit{term: t, quality: qualityPrefix})
			}
		}
	}
	if !hasLetter(w) {
		return out, m
	}
	wr := []rune(w)
	wmask := letterMask(w)
	if d := maxTypos(n); d > 0 {
		v.typos(wr, d, func(t uint32, k int) {
			s := v.word(t)
			if m.prefix && strings.HasPrefix(s, w) || s == w {
				return
			}
			q := float32(qualityTypo1)
			if k == 2 {
				q = qualityTypo2
			}
			out = append(out, termHit{term: t, quality: q})
			if m.typos == nil {
				m.typos = map[string]bool{}
			}
			m.typos[s] = true
		})
	}
	if n >= minSubseq {
		out = v.subsequences(w, wr, wmask, m, out)
	}
	return out, m
}

// subsequences adds the words of which w is a subsequence (same first
// letter, at most twice as long), the best maxSubseqHit by
// sahilm/fuzzy's score.
func (v *vocabulary) subsequences(w string, wr []rune, wmask uint64, m *wordMatcher, out []termHit) []termHit {
	n := len(wr)
	var cands []string
	var candTerms []uint32
	lo, hi := v.prefixRange(string(wr[0]))
	for i := lo; i < hi; i++ {
		t := v.at(i)
		l := int(v.runes[t])
		if l <= n || l > 2*n || wmask&^v.mask(t) != 0 {
			continue
		}
		s := v.word(t)
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
		out = append(out, termHit{term: t, quality: q})
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
	case n > maxTypo:
		return 0
	case n >= minTypo2:
		return 2
	case n >= minTypo1:
		return 1
	}
	return 0
}

// typos calls fn with every word within optimal string alignment distance
// d of w (insertions, deletions, substitutions, and transpositions of
// adjacent runes: Damerau 1964) and its distance.
//
// The words are walked in sorted order, which is a depth-first walk of the
// trie of the vocabulary (the trie search of Shang and Merrett 1996, over a
// sorted array with the common prefix of neighbours instead of a trie): the
// rows of the dynamic programme for the prefix a word shares with the
// previous one are kept, and once every cell of a row exceeds d, the words
// that share that prefix are passed over by their lcp alone. So only the
// prefixes near w cost any arithmetic.
func (v *vocabulary) typos(w []rune, d int, fn func(t uint32, dist int)) {
	n := len(w)
	maxLen := n + d
	// rows[k][j]: the distance between the first k runes of the word and
	// w[:j], computed only in the band |k-j| <= d (cells just outside it
	// hold d+1, which is all the band needs of them).
	rows := make([][]int, maxLen+1)
	for k := range rows {
		rows[k] = make([]int, n+2)
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	cur := make([]rune, 0, maxLen) // the runes of the path the rows hold
	valid := 0                     // rows[0:valid+1] are the path's
	skip := math.MaxInt            // words with an lcp this long are in a pruned subtree
	size := v.size()
	for i := 0; i < size; i++ {
		if skip <= maxRunes {
			if i = v.skipFrom(i, skip); i >= size {
				break
			}
		}
		t := v.at(i)
		l := int(v.lcp[i])
		skip = math.MaxInt
		s := v.word(t)
		length := int(v.runes[t])
		start := min(l, valid)
		// The byte offset of rune start in s.
		off := start
		if length != len(s) {
			off = 0
			for range start {
				_, size := utf8.DecodeRuneInString(s[off:])
				off += size
			}
		}
		cur = cur[:start]
		end := min(length, maxLen)
		valid = start
		pruned := false
		for k := start + 1; k <= end; k++ {
			c := rune(s[off])
			if c < utf8.RuneSelf {
				off++
			} else {
				var size int
				c, size = utf8.DecodeRuneInString(s[off:])
				off += size
			}
			cur = append(cur, c)
			row, up := rows[k], rows[k-1]
			lo, hi := max(1, k-d), min(n, k+d)
			if lo == 1 {
				row[0] = k
			} else {
				row[lo-1] = d + 1
			}
			best := d + 1
			for j := lo; j <= hi; j++ {
				cost := 1
				if c == w[j-1] {
					cost = 0
				}
				x := min(up[j]+1, row[j-1]+1, up[j-1]+cost)
				if k > 1 && j > 1 && c == w[j-2] && cur[k-2] == w[j-1] {
					x = min(x, rows[k-2][j-2]+1)
				}
				row[j] = x
				best = min(best, x)
			}
			row[hi+1] = d + 1
			if lo == 1 {
				best = min(best, k)
			}
			valid = k
			if best > d {
				skip, pruned = k, true
				break
			}
		}
		if pruned {
			continue
		}
		if length > maxLen {
			skip = maxLen + 1
			continue
		}
		if length >= n-d {
			if x := rows[length][n]; x <= d {
				fn(t, x)
			}
		}
	}
}

// skipFrom returns the first position from i whose lcp is below k (k <=
// maxRunes), or len(sorted): the end of a subtree of the trie. It reads the
// lcp bytes eight at a time (the "haszero/hasless" test of Anderson's Bit
// Twiddling Hacks).
func (v *vocabulary) skipFrom(i, k int) int {
	lcp := v.lcp
	if k <= 128 {
		const ones, highs = 0x0101010101010101, 0x8080808080808080
		sub := uint64(k) * ones
		for i+8 <= len(lcp) {
			x := binary.LittleEndian.Uint64(lcp[i:])
			if (x-sub)&^x&highs != 0 {
				break // some byte is below k
			}
			i += 8
		}
	}
	for i < len(lcp) && int(lcp[i]) >= k {
		i++
	}
	return i
}

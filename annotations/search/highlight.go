package search

import (
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// hit makes the Hit of a ranked document, with the rune ranges of what
// matched in each field.
func (r *run) hit(rk ranked) (Hit, error) {
	ix := r.ix
	d := rk.doc
	art := &ix.articles[ix.articleOf(d)]
	h := Hit{
		ID:        r.src.readID(d),
		ArticleID: art.id,
		Score:     math.Round(float64(rk.score)*1e4) / 1e4,
		Matches:   map[string][][2]int{},
	}
	t, err := r.src.readText(d)
	if err != nil {
		return Hit{}, err
	}
	r.addField(h.Matches, "quote", t.quote, nil)
	r.addField(h.Matches, "note", t.note, nil)
	var tagRanges [][2]int
	eachTag(t.tags, func(tag string, offset int) bool {
		tagRanges = append(tagRanges, r.ranges(tag, offset, nil)...)
		if r.q.tagMatches(foldTag(tag)) {
			tagRanges = append(tagRanges, [2]int{offset, offset + runeCount(tag)})
		}
		return true
	})
	if len(tagRanges) > 0 {
		h.Matches["tags"] = merge(tagRanges)
	}
	r.addField(h.Matches, "title", art.title, r.q.articles)
	return h, nil
}

func (r *run) addField(m map[string][][2]int, field, text string, prefixes [][]string) {
	if rs := r.ranges(text, 0, prefixes); len(rs) > 0 {
		m[field] = merge(rs)
	}
}

// ranges returns the rune ranges (offset by base) of text that the query's
// words and phrases match, and the words that begin with one of prefixes
// (the words of article: qualifiers, for titles).
func (r *run) ranges(text string, base int, prefixes [][]string) [][2]int {
	if text == "" {
		return nil
	}
	var out [][2]int
	var runes []rune // text as runes, made when a partial match needs it
	s := r.s
	if r.partial == nil {
		r.indexPartial()
	}
	s.buf = eachToken(text, s.buf, func(f []byte, start, end int) {
		for i := range r.units {
			m := r.units[i].match
			if r.units[i].weight == 0 || m == nil || len(m.word) > len(f) || m.word[0] != f[0] {
				continue
			}
			switch {
			case string(f) == m.word:
				out = append(out, [2]int{base + start, base + end})
			case m.prefix && !m.exactOnly && strings.HasPrefix(string(f), m.word):
				if runes == nil {
					runes = []rune(text)
				}
				out = append(out, [2]int{base + start, base + foldedPrefixEnd(runes, start, end, m.runes)})
			}
		}
		if len(f) >= r.partialMin && len(f) <= r.partialMax {
			for _, idx := range r.partial[string(f)] {
				if idx == nil {
					out = append(out, [2]int{base + start, base + end})
					continue
				}
				if runes == nil {
					runes = []rune(text)
				}
				out = appendSubseq(out, runes, base, start, end, idx)
			}
		}
		for _, words := range prefixes {
			for _, w := range words {
				if strings.HasPrefix(string(f), w) {
					if runes == nil {
						runes = []rune(text)
					}
					out = append(out, [2]int{base + start, base + foldedPrefixEnd(runes, start, end, utf8.RuneCountInString(w))})
				}
			}
		}
	})
	for _, p := range r.phrases {
		s.buf = p.each(text, base, s.buf, func(start, end int) bool {
			out = append(out, [2]int{start, end})
			return true
		})
	}
	return out
}

// appendSubseq appends the runes of the token runes[start:end] whose folded
// forms hold the folded rune indexes idx (ascending).
func appendSubseq(out [][2]int, runes []rune, base, start, end int, idx []int) [][2]int {
	folded, j := 0, 0
	for i := start; i < end && j < len(idx); i++ {
		n := utf8.RuneCountInString(foldRune(runes[i]))
		hit := false
		for j < len(idx) && idx[j] < folded+n {
			hit = true
			j++
		}
		if hit {
			out = append(out, [2]int{base + i, base + i + 1})
		}
		folded += n
	}
	return out
}

// merge sorts ranges and joins those that overlap or touch.
func merge(rs [][2]int) [][2]int {
	slices.SortFunc(rs, func(a, b [2]int) int {
		if a[0] != b[0] {
			return a[0] - b[0]
		}
		return a[1] - b[1]
	})
	out := rs[:0]
	for _, x := range rs {
		if n := len(out); n > 0 && x[0] <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], x[1])
			continue
		}
		out = append(out, x)
	}
	return out
}

// indexPartial gathers the words that the query's words matched with typos
// or as subsequences: for each, nil (the whole word) or the matched folded
// rune indexes.
func (r *run) indexPartial() {
	r.partial = map[string][][]int{}
	r.partialMin, r.partialMax = math.MaxInt, 0
	add := func(w string, idx []int) {
		r.partial[w] = append(r.partial[w], idx)
		r.partialMin, r.partialMax = min(r.partialMin, len(w)), max(r.partialMax, len(w))
	}
	for _, u := range r.units {
		if u.weight == 0 || u.match == nil {
			continue
		}
		for w := range u.match.typos {
			add(w, nil)
		}
		for w, idx := range u.match.subseq {
			add(w, idx)
		}
	}
}

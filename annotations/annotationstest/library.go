package annotationstest

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
)

// Library generates a whole library: articles whose texts are Zipf words
// (as Corpus writes them), and annotations on them whose quotes are
// passages of those texts, with the offsets, prefix and suffix a highlight
// captures, and notes, tags, colours, statuses and times as Corpus makes
// them. Annotations come one at a time (Next), so that a million need not
// be held at once; the same seed gives the same library.
type Library struct {
	c *Corpus
	// Articles are the library's articles, with their texts.
	Articles []annotations.Article
	texts    []*anchor.Text
	words    [][]int32 // per article, the rune offsets of each word's start and end
	index    map[uuid.UUID]int
}

// NewLibrary makes the articles of a library: the given number, each of
// words words.
func NewLibrary(seed uint64, articles, words int) *Library {
	c := NewCorpus(seed, articles)
	l := &Library{c: c, index: make(map[uuid.UUID]int, articles)}
	added := c.Start.Add(-24 * time.Hour)
	for i, id := range c.ArticleIDs {
		var b strings.Builder
		var bytes []int32
		c.writeText(&b, words, func(start, end int) { bytes = append(bytes, int32(start), int32(end)) })
		text := b.String()
		// Byte offsets to rune offsets, in one pass.
		runes := make([]int32, len(bytes))
		r, k := 0, 0
		for off := range text {
			for k < len(bytes) && int(bytes[k]) == off {
				runes[k] = int32(r)
				k++
			}
			r++
		}
		for ; k < len(bytes); k++ {
			runes[k] = int32(utf8.RuneCountInString(text))
		}
		at := added.Add(time.Duration(i) * time.Minute)
		l.Articles = append(l.Articles, annotations.Article{
			ID: id, Title: c.Titles[id], Format: annotations.FormatText,
			Hash: annotations.HashText(text), AddedAt: at, UpdatedAt: at, Text: text,
		})
		l.texts = append(l.texts, anchor.NewText(text))
		l.words = append(l.words, runes)
		l.index[id] = i
	}
	return l
}

// Next makes the next annotation: Corpus's, on a passage of 5 to 60 words
// of its article's text.
func (l *Library) Next() annotations.Annotation {
	a := l.c.Annotation()
	i := l.index[a.ArticleID]
	words := l.words[i]
	n := len(words) / 2
	length := min(n, 5+l.c.r.IntN(56))
	first := l.c.r.IntN(n - length + 1)
	t, err := l.texts[i].Capture(int(words[2*first]), int(words[2*(first+length-1)+1]))
	if err != nil {
		panic(err) // offsets come from the text itself
	}
	a.Target = t
	return a
}

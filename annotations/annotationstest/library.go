package annotationstest

import (
	"slices"
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
// captures, and notes, tags, colours and statuses as Corpus makes them.
//
// Annotations come as a reader makes them: article by article, in reading
// sessions (one to three per article, spread over two years), a highlight
// every half minute or so, in time order, with UUIDv7 IDs of their creation
// times. So an article's annotations lie together in the library's key
// order, as they do in a real one, and the library grows by appending.
// They come one at a time (Next), so that a million need not be held at
// once; the same seed and sizes give the same library.
type Library struct {
	c *Corpus
	// Articles are the library's articles, with their texts.
	Articles []annotations.Article
	texts    []*anchor.Text
	words    [][]int32 // per article, the rune offsets of each word's start and end
	sessions []session // in time order
	next     int       // the session Next is in
	at       time.Time // the time of the last annotation made
}

// session is a reading session: an article and how many highlights.
type session struct {
	article int
	start   time.Time
	left    int
}

// NewLibrary makes the articles of a library of n annotations: the given
// number of articles, each of words words.
func NewLibrary(seed uint64, n, articles, words int) *Library {
	c := NewCorpus(seed, articles)
	l := &Library{c: c}
	span := int64(2 * 365 * 24 * time.Hour)
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
		// Its reading sessions, and its share of the annotations.
		first := c.Start.Add(time.Duration(c.r.Int64N(span)))
		share := n/articles + boolInt(i < n%articles)
		k = 1 + c.r.IntN(3)
		for j := range k {
			start := first.Add(time.Duration(j) * time.Duration(c.r.Int64N(int64(60*24*time.Hour))))
			l.sessions = append(l.sessions, session{article: i, start: start, left: share/k + boolInt(j < share%k)})
		}
		added := first.Add(-time.Hour)
		l.Articles = append(l.Articles, annotations.Article{
			ID: id, Title: c.Titles[id], Format: annotations.FormatText,
			Hash: annotations.HashText(text), AddedAt: added, UpdatedAt: added, Text: text,
		})
		l.texts = append(l.texts, anchor.NewText(text))
		l.words = append(l.words, runes)
	}
	slices.SortStableFunc(l.sessions, func(a, b session) int { return a.start.Compare(b.start) })
	return l
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Next makes the next annotation: Corpus's, on a passage of 5 to 60 words
// of its article's text, in the current session. It returns false when
// the library's n annotations are made.
func (l *Library) Next() (annotations.Annotation, bool) {
	for l.next < len(l.sessions) && l.sessions[l.next].left == 0 {
		l.next++
	}
	if l.next == len(l.sessions) {
		return annotations.Annotation{}, false
	}
	s := &l.sessions[l.next]
	s.left--
	a := l.c.Annotation()
	r := l.c.r
	// Sessions may overlap: time never goes back.
	l.at = maxTime(l.at, s.start).Add(time.Duration(5+r.IntN(60)) * time.Second)
	edited := a.UpdatedAt.Sub(a.CreatedAt)
	a.CreatedAt, a.UpdatedAt = l.at, l.at.Add(edited)
	a.ID = l.uuid7(l.at)
	a.ArticleID = l.Articles[s.article].ID
	words := l.words[s.article]
	n := len(words) / 2
	length := min(n, 5+r.IntN(56))
	first := r.IntN(n - length + 1)
	t, err := l.texts[s.article].Capture(int(words[2*first]), int(words[2*(first+length-1)+1]))
	if err != nil {
		panic(err) // offsets come from the text itself
	}
	a.Target = t
	return a, true
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// uuid7 returns a UUIDv7 of time t (RFC 9562: 48 bits of Unix
// milliseconds, then random bits).
func (l *Library) uuid7(t time.Time) uuid.UUID {
	id := l.c.UUID()
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		id[i] = byte(ms >> (40 - 8*i))
	}
	return id
}

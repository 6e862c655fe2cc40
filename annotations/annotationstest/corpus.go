// Package annotationstest generates annotations, articles and whole
// libraries of a realistic shape, deterministically, for tests and
// benchmarks: the search benchmarks' corpus (Corpus) and the libraries the
// storage and command-line benchmarks write (Library).
package annotationstest

import (
	"math/rand/v2"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// Corpus is a deterministic generator of annotations of a realistic shape,
// for the benchmarks and the property tests: quotes of 5–60 words, notes of 0–80
// words, 0–4 tags, a few hundred articles. Words follow a Zipf law over an
// English-like vocabulary (function words first, then real and made-up
// content words, a few accented) with a long tail of rare made-up words, so
// that the vocabulary grows with the corpus as real text does (20k distinct
// words at 10k annotations, 75k at 100k, 270k at 1M). An annotation has 73
// words on average.

var functionWords = strings.Fields(`the of and to a in is that for it as was with be by on not
this are or from at which but have an they we their its has were been also
more one can would these there other than between such into only may most
our both however about when through over after each because while those
under should could within where what new some many first two well then even
much very how both often however whether against without since during among`)

// contentWords are real words placed at middling ranks, so that the
// benchmark queries find them in a realistic share of the annotations.
var contentWords = strings.Fields(`consensus transaction transactions negotiations negotiators
negotiation agreement treaty ceasefire sanctions tariff tariffs economy economic
crisis policy policies climate security council resolution sovereignty evidence
method methods sample sampling survey hypothesis regression bias interview
interviews archive archives café résumé naïve façade élite Zürich São Paulo
Gödel Müller coöperation rôle protégé fiancée jalapeño Ångström Malmö Kraków
Dvořák Bogotá Québec Español Reykjavík peace talks trade market markets
inflation growth labour wages workers union strike parliament election vote
voters campaign reform reforms state states government governments minister
court law rights freedom press media report reports data analysis model
models theory theories argument claim claims author authors study studies
experiment result results effect effects cause causes history historical
century war wars military border borders refugees migration population
health disease vaccine hospital doctors patients education school schools
university students teachers research science scientists energy oil gas
carbon emissions water river land farming food prices housing rent city
cities rural village culture language religion church identity nation
national international global local regional community public private
company companies bank banks finance debt budget tax taxes spending
investment capital industry technology internet digital network platform
surveillance privacy algorithm justice police prison crime violence protest
protests movement leaders leader president diplomacy alliance conflict
territory occupation independence colonial empire revolution memory
narrative interpretation framework concept evidence testimony witnesses
document documents letter letters diary newspaper editorial translation`)

// Queries is the benchmarks' fixed mix of queries on a Corpus or a
// Library: 1-, 2- and 3-word queries with typos, prefixes, an
// abbreviation, accents, a phrase and qualifiers.
var Queries = []string{
	"consensus",
	"consesus", // typo
	"negot",    // prefix
	"trnsctn",  // abbreviation
	"café",     // accent
	"sovereignty",
	"hypothsis",      // typo
	"survei",         // prefix
	"peace negot",    // prefix
	"trade agrement", // typo
	"climate polcy",  // typo
	"evidence interviews",
	"economic crisi",         // prefix
	"security council resol", // prefix
	"the economic crisis",    // a very common word
	"migration border refugees",
	"carbon emisions tax", // typo
	"tag:method sampling",
	"color:red evidence",
	"is:fuzzy negot",
	"has:note treaty",
	"-tag:todo consensus",
	`"peace talks"`,
	"tag:todo is:orphan",
}

var syllables = strings.Fields(`ba be bi bo ca ce co da de di do fa fe fi ga ge go la le li lo
ma me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to va ve
vi con pre pro tion ment ver sal ter ous ing al an en in is or ur est ist ism
ive ure ent ant ble ly ary ory ful ness less`)

// corpusWords is the ranked vocabulary: rank 0 is the most frequent word.
var corpusWords = func() []string {
	r := rand.New(rand.NewPCG(7, 7))
	const core = 5000
	words := append([]string{}, functionWords...)
	content := append([]string{}, contentWords...)
	for len(words) < core {
		// A real content word every eighth rank up to rank 2500 or so.
		if len(content) > 0 && len(words)%8 == 0 {
			words = append(words, content[0])
			content = content[1:]
			continue
		}
		words = append(words, madeUpWord(r, 2+r.IntN(3)))
	}
	return words
}()

func madeUpWord(r *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		b.WriteString(syllables[r.IntN(len(syllables))])
	}
	return b.String()
}

// rareWord is the made-up word at a rank past the listed vocabulary.
func rareWord(rank uint64) string {
	r := rand.New(rand.NewPCG(rank, 99))
	return madeUpWord(r, 2+r.IntN(4))
}

var tagNames = strings.Fields(`method evidence todo diplomacy economics history theory
key-claim follow-up definition question background timeline sources quote
archive interview data methodology critique argument counterpoint context
summary open-question to-read important disagree agree example statistic
peace_talks follow_up policy climate health education security migration trade finance culture`)

// Corpus makes annotations over a number of articles, and the articles'
// titles: the same sequence for the same seed.
type Corpus struct {
	r    *rand.Rand
	zipf *rand.Zipf
	tags *rand.Zipf
	// Start is the earliest creation time of an annotation.
	Start time.Time
	// Titles maps each article's ID to its title.
	Titles map[uuid.UUID]string
	// ArticleIDs lists the articles, in the order they were made.
	ArticleIDs []uuid.UUID
}

// NewCorpus returns a generator of annotations on the given number of
// articles.
func NewCorpus(seed uint64, articles int) *Corpus {
	r := rand.New(rand.NewPCG(seed, 42))
	c := &Corpus{
		r:      r,
		zipf:   rand.NewZipf(r, 1.55, 10, 2_000_000),
		tags:   rand.NewZipf(r, 1.3, 2, uint64(len(tagNames)+40-1)),
		Start:  time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
		Titles: map[uuid.UUID]string{},
	}
	for range articles {
		id := c.UUID()
		c.ArticleIDs = append(c.ArticleIDs, id)
		c.Titles[id] = c.title()
	}
	return c
}

// Rand returns the corpus's source of randomness, for callers that want
// their own draws in the same deterministic sequence.
func (c *Corpus) Rand() *rand.Rand { return c.r }

// UUID returns a new random UUID with the version 7 bits set.
func (c *Corpus) UUID() uuid.UUID {
	var id uuid.UUID
	hi, lo := c.r.Uint64(), c.r.Uint64()
	for i := range 8 {
		id[i], id[8+i] = byte(hi>>(8*i)), byte(lo>>(8*i))
	}
	id[6] = id[6]&0x0f | 0x70
	id[8] = id[8]&0x3f | 0x80
	return id
}

// Word returns a word drawn from the Zipf law.
func (c *Corpus) Word() string {
	k := c.zipf.Uint64()
	if k < uint64(len(corpusWords)) {
		return corpusWords[k]
	}
	return rareWord(k)
}

// Text writes n words as sentences: capitals, commas, full stops.
func (c *Corpus) Text(n int) string {
	var b strings.Builder
	c.writeText(&b, n, nil)
	return b.String()
}

// writeText writes n words as sentences to b; at, when not nil, is called
// with the byte offset in b at which each word starts and ends.
func (c *Corpus) writeText(b *strings.Builder, n int, at func(start, end int)) {
	sentence := 0
	for i := range n {
		w := c.Word()
		if sentence == 0 {
			w = capitalize(w)
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		start := b.Len()
		b.WriteString(w)
		if at != nil {
			at(start, b.Len())
		}
		sentence++
		switch {
		case i == n-1 || sentence > 6 && c.r.IntN(8) == 0:
			b.WriteByte('.')
			sentence = 0
		case c.r.IntN(12) == 0:
			b.WriteByte(',')
		}
	}
}

func capitalize(w string) string {
	r, n := utf8.DecodeRuneInString(w)
	return string(unicode.ToUpper(r)) + w[n:]
}

func (c *Corpus) title() string {
	n := 3 + c.r.IntN(6)
	words := make([]string, n)
	for i := range words {
		words[i] = capitalize(corpusWords[100+c.r.IntN(1500)])
	}
	return strings.Join(words, " ")
}

// Annotation makes the next annotation: a quote of 5 to 60 words (its
// offsets are made up: the corpus has no article texts), a note of 0 to 80,
// 0 to 4 tags, and a colour, status and times.
func (c *Corpus) Annotation() annotations.Annotation {
	r := c.r
	var tags []string
	for range r.IntN(5) {
		k := int(c.tags.Uint64())
		t := "tag" + string(rune('a'+k%26)) + string(rune('a'+k/26))
		if k < len(tagNames) {
			t = strings.ReplaceAll(tagNames[k], "_", " ")
		}
		if !annotations.HasTag(tags, t) {
			tags = append(tags, t)
		}
	}
	status := annotations.StatusAnchored
	switch x := r.IntN(100); {
	case x < 3:
		status = annotations.StatusOrphaned
	case x < 10:
		status = annotations.StatusFuzzy
	}
	created := c.Start.Add(time.Duration(r.Int64N(int64(2 * 365 * 24 * time.Hour))))
	updated := created.Add(time.Duration(r.Int64N(int64(30 * 24 * time.Hour))))
	quote := c.Text(5 + r.IntN(56))
	start := r.IntN(20000)
	return annotations.Annotation{
		ID:        c.UUID(),
		ArticleID: c.ArticleIDs[r.IntN(len(c.ArticleIDs))],
		Color:     annotations.Colors[r.IntN(len(annotations.Colors))],
		Note:      c.Text(r.IntN(81)),
		Tags:      tags,
		Status:    status,
		Target:    annotations.Target{Start: start, End: start + len([]rune(quote)), Exact: quote},
		CreatedAt: created,
		UpdatedAt: updated,
	}
}

// Annotations makes the next n annotations.
func (c *Corpus) Annotations(n int) []annotations.Annotation {
	out := make([]annotations.Annotation, n)
	for i := range out {
		out[i] = c.Annotation()
	}
	return out
}

package textview

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode/utf8"
)

// doc builds a styled text piece by piece, keeping the rune offsets of its
// blocks and spans.
type doc struct {
	b  strings.Builder
	n  int // runes written
	st Style
}

// add writes plain text.
func (d *doc) add(s string) *doc {
	d.b.WriteString(s)
	d.n += utf8.RuneCountInString(s)
	return d
}

// span writes s as a span of kind k.
func (d *doc) span(k SpanKind, s string) *doc {
	return d.link(k, s, "")
}

// link writes s as a span of kind k with an Href.
func (d *doc) link(k SpanKind, s, href string) *doc {
	start := d.n
	d.add(s)
	d.st.Spans = append(d.st.Spans, Span{Kind: k, Start: start, End: d.n, Href: href})
	return d
}

// block writes what fill writes as a block of kind k.
func (d *doc) block(k BlockKind, level int, fill func()) *doc {
	start := d.n
	fill()
	d.st.Blocks = append(d.st.Blocks, Block{Kind: k, Level: level, Start: start, End: d.n})
	return d
}

// line writes s as a block of kind k.
func (d *doc) line(k BlockKind, level int, s string) *doc {
	return d.block(k, level, func() { d.add(s) })
}

// done returns the text and its style, sorted as SetStyledText wants it:
// by Start, the longer first.
func (d *doc) done() (string, Style) {
	order := func(as, ae, bs, be int) int { return cmp.Or(cmp.Compare(as, bs), cmp.Compare(be, ae)) }
	slices.SortStableFunc(d.st.Blocks, func(a, b Block) int { return order(a.Start, a.End, b.Start, b.End) })
	slices.SortStableFunc(d.st.Spans, func(a, b Span) int { return order(a.Start, a.End, b.Start, b.End) })
	return d.b.String(), d.st
}

// styledSample is a short article with every kind of block and span.
func styledSample() (string, Style) {
	d := &doc{}
	d.line(BlockHeading, 1, "Reading the fine print").add("\n\n")
	d.block(BlockParagraph, 0, func() {
		d.add("Negotiators met in ").span(SpanEmphasis, "Geneva").add(" on Tuesday, and the ")
		d.span(SpanStrong, "draft agreement").add(" was published as ").span(SpanCode, "annex-2.pdf")
		d.add(" on the ").link(SpanLink, "ministry’s site", "https://example.org/annex").add(".")
	}).add("\n\n")
	d.line(BlockHeading, 2, "What changed").add("\n\n")
	d.line(BlockItem, 1, "• Territorial control moves to a joint commission.").add("\n")
	d.line(BlockItem, 1, "• Security guarantees are reviewed every five years, and either side may ask for an earlier review.").add("\n")
	d.line(BlockItem, 1, "• Sanctions are lifted in stages.").add("\n\n")
	d.block(BlockQuote, 1, func() {
		d.line(BlockParagraph, 0, "The text is a framework, not a settlement: ").span(SpanEmphasis, "every clause").add(" still needs a vote.")
	}).add("\n\n")
	d.line(BlockCode, 0, "status = review(draft)\nif status.ok:\n    publish(draft)").add("\n\n")
	d.line(BlockCaption, 0, "Table 1: the clauses by chapter.")
	return d.done()
}

// styledArticle generates about n bytes of a styled article: article's
// paragraphs, with a heading every few paragraphs, words set in italic,
// bold, code or as links, lists, quotes and code blocks.
func styledArticle(n int) (string, Style) {
	plain := article(n)
	rng := rand.New(rand.NewPCG(5, 6))
	d := &doc{}
	words := func(p string) {
		for i, w := range strings.Split(p, " ") {
			if i > 0 {
				d.add(" ")
			}
			switch rng.IntN(40) {
			case 0:
				d.span(SpanEmphasis, w)
			case 1:
				d.span(SpanStrong, w)
			case 2:
				d.span(SpanCode, w)
			case 3:
				d.link(SpanLink, w, "https://example.org/"+w)
			default:
				d.add(w)
			}
		}
	}
	paras := strings.Split(strings.TrimSuffix(plain, "\n\n"), "\n\n")
	for i, p := range paras {
		if i > 0 {
			d.add("\n\n")
		}
		switch {
		case i%12 == 0:
			d.line(BlockHeading, 1+i/12%3, strings.Join(strings.Fields(p)[:min(6, len(strings.Fields(p)))], " ")).add("\n\n")
		case i%7 == 3:
			d.block(BlockQuote, 1, func() { d.block(BlockParagraph, 0, func() { words(p) }) })
			continue
		case i%9 == 5:
			d.line(BlockCode, 0, strings.ReplaceAll(p, ". ", ".\n    "))
			continue
		case i%5 == 2:
			for j, s := range strings.Split(p, ". ") {
				if j > 0 {
					d.add("\n")
				}
				d.block(BlockItem, 1, func() { d.add("• "); words(s) })
			}
			continue
		}
		d.block(BlockParagraph, 0, func() { words(p) })
	}
	return d.done()
}

package textview

import (
	"cmp"
	"slices"
	"sort"
	"unicode/utf8"

	"fyne.io/fyne/v2"
)

// BlockKind is the role of a block of whole lines.
type BlockKind uint8

// The block kinds. A kind the view does not know is ignored.
const (
	BlockParagraph BlockKind = iota // body text, set as it is without a block
	BlockHeading                    // Level 1–6 (clamped): larger (1–3) and bold
	BlockItem                       // a list item; wrapped lines hang under its text, after the marker
	BlockQuote                      // indented, with a bar per level of quotes nested in quotes
	BlockCode                       // preformatted text in a monospace font on a faint ground
	BlockCaption                    // a figure's or table's caption: italic, a little smaller
	BlockRow                        // a table row: its tab-separated cells in columns of equal width
)

// Block gives the runes [Start, End) a role. Blocks may nest (a paragraph
// in a quote in a quote); a block should cover whole lines: a line is laid
// out (height, indentation) by the blocks around its first rune. Level
// matters to headings only; a quote's level is how many quote blocks hold
// it.
type Block struct {
	Kind  BlockKind
	Level int
	Start int
	End   int
}

// SpanKind is how a run of text within a line is set.
type SpanKind uint8

// The span kinds. A kind the view does not know is ignored.
const (
	SpanEmphasis SpanKind = iota // italic
	SpanStrong                   // bold
	SpanCode                     // monospace, on a faint ground
	SpanLink                     // the hyperlink colour, underlined; Href is where it points
)

// Span sets the runes [Start, End) in a way. Spans may nest and overlap.
type Span struct {
	Kind  SpanKind
	Start int
	End   int
	Href  string
}

// Style is how a text is set: blocks of lines and spans within them (a
// document gives each sorted by Start; the view does not rely on it), and
// pictures shown between the lines (see Picture). Offsets are rune offsets
// into the text, as everywhere in the view; styling never changes them.
type Style struct {
	Blocks []Block
	Spans  []Span
	// Pictures are sorted by At (the view sorts a copy if they are not).
	Pictures []Picture
}

// classKey is what the blocks around a line make of it: the things that
// decide its height, its indentation and what is drawn beside it.
type classKey struct {
	heading uint8 // level 1–6, 0 when not in a heading
	quote   uint8 // quote nesting depth
	code    bool
	item    bool
	caption bool
	row     bool
}

// Font sizes of a look, relative to the body text.
const (
	sizeBody uint8 = iota
	sizeH1
	sizeH2
	sizeH3
	sizeCode    // monospace reads larger than the body font at its size
	sizeCaption // a little smaller than the body
)

// sizeScale is the text size of each size class, relative to the body's.
var sizeScale = [...]float32{sizeBody: 1, sizeH1: 1.6, sizeH2: 1.35, sizeH3: 1.15, sizeCode: 0.9, sizeCaption: 0.92}

// lookKey is how a run of text is set: its font (a size class and a
// TextStyle) and what is drawn with it.
type lookKey struct {
	size     uint8
	style    fyne.TextStyle
	link     bool // the hyperlink colour, underlined
	codeSpan bool // a code span in running text: a faint ground behind it
}

// styleRun is where the look or the line class changes: from rune start
// (byte bstart) on, text is set in look and lines that start there are of
// class cls (indexes into styled.looks and styled.classes).
type styleRun struct {
	start, bstart int32
	look          uint16
	cls           uint16
}

// styled is a Style resolved against its text: the nested, overlapping
// blocks and spans flattened into one sorted list of runs, each with one
// look and one line class. Look 0 and class 0 are plain body text, so an
// unstyled stretch of a styled text lays out and draws as an unstyled text.
type styled struct {
	runs    []styleRun
	looks   []lookKey
	classes []classKey
	links   []Span // the links, by Start
	linkEnd []int  // the largest End of links[:i+1], to search nested links
}

// maxStyleIDs bounds the looks and classes (uint16 indexes); no real text
// comes near it, and a hostile style falls back to plain text past it.
const maxStyleIDs = 1 << 16

// maxQuoteDepth bounds the quote indentation.
const maxQuoteDepth = 6

// styleEvent is a block or span starting (delta +1) or ending (-1) at a
// rune offset.
type styleEvent struct {
	at    int32
	kind  uint8 // a BlockKind, or spanBase + a SpanKind
	level uint8
	delta int8
}

const spanBase = 16

// styleState counts the blocks and spans open at a point of the sweep.
type styleState struct {
	headings [7]int32 // by level
	blocks   [spanBase]int32
	spans    [SpanLink + 1]int32
}

func (s *styleState) apply(ev styleEvent) {
	if ev.kind >= spanBase {
		s.spans[ev.kind-spanBase] += int32(ev.delta)
		return
	}
	s.blocks[ev.kind] += int32(ev.delta)
	if BlockKind(ev.kind) == BlockHeading {
		s.headings[ev.level] += int32(ev.delta)
	}
}

// heading returns the level of the heading open, 0 when none.
func (s *styleState) heading() uint8 {
	for l := 1; l < len(s.headings); l++ {
		if s.headings[l] > 0 {
			return uint8(l)
		}
	}
	return 0
}

func (s *styleState) class() classKey {
	return classKey{
		heading: s.heading(),
		quote:   uint8(min(s.blocks[BlockQuote], maxQuoteDepth)),
		code:    s.blocks[BlockCode] > 0,
		item:    s.blocks[BlockItem] > 0,
		caption: s.blocks[BlockCaption] > 0,
		row:     s.blocks[BlockRow] > 0,
	}
}

func (s *styleState) look() lookKey {
	var k lookKey
	codeBlock := s.blocks[BlockCode] > 0
	mono := codeBlock || s.spans[SpanCode] > 0
	switch h := s.heading(); {
	case h > 0:
		k.style.Bold = true
		if h <= 3 {
			k.size = sizeH1 + h - 1
		}
	case mono:
		k.size = sizeCode
	case s.blocks[BlockCaption] > 0:
		k.size = sizeCaption
	}
	k.style.Monospace = mono
	k.style.Bold = k.style.Bold || s.spans[SpanStrong] > 0
	k.style.Italic = s.spans[SpanEmphasis] > 0 || s.blocks[BlockCaption] > 0
	k.link = s.spans[SpanLink] > 0
	k.codeSpan = s.spans[SpanCode] > 0 && !codeBlock
	return k
}

// resolveStyle flattens st over text; nil when st says nothing. Ranges are
// clamped to the text; empty ones and unknown kinds are dropped. st need
// not be sorted.
//
// It is a sweep over the starts and ends of all blocks and spans, sorted
// together: between two consecutive ones the set of open blocks and spans,
// and so the look and the line class, is constant.
func resolveStyle(text string, st Style) *styled {
	if len(st.Blocks) == 0 && len(st.Spans) == 0 {
		return nil
	}
	n := utf8.RuneCountInString(text)
	evs := make([]styleEvent, 0, 2*(len(st.Blocks)+len(st.Spans)))
	add := func(s, e int, kind uint8, level int) {
		s, e = max(s, 0), min(e, n)
		if s >= e {
			return
		}
		l := uint8(min(max(level, 1), 6))
		evs = append(evs, styleEvent{at: int32(s), kind: kind, level: l, delta: 1}, styleEvent{at: int32(e), kind: kind, level: l, delta: -1})
	}
	for _, b := range st.Blocks {
		if b.Kind <= BlockRow {
			add(b.Start, b.End, uint8(b.Kind), b.Level)
		}
	}
	res := &styled{looks: []lookKey{{}}, classes: []classKey{{}}}
	for _, sp := range st.Spans {
		if sp.Kind > SpanLink {
			continue
		}
		add(sp.Start, sp.End, spanBase+uint8(sp.Kind), 0)
		if sp.Kind == SpanLink && max(sp.Start, 0) < min(sp.End, n) {
			res.links = append(res.links, Span{Kind: SpanLink, Start: max(sp.Start, 0), End: min(sp.End, n), Href: sp.Href})
		}
	}
	slices.SortFunc(evs, func(a, b styleEvent) int { return cmp.Compare(a.at, b.at) })
	slices.SortStableFunc(res.links, func(a, b Span) int { return cmp.Compare(a.Start, b.Start) })
	res.linkEnd = make([]int, len(res.links))
	for i, l := range res.links {
		res.linkEnd[i] = l.End
		if i > 0 {
			res.linkEnd[i] = max(l.End, res.linkEnd[i-1])
		}
	}

	lookIDs := map[lookKey]uint16{{}: 0}
	classIDs := map[classKey]uint16{{}: 0}
	res.runs = make([]styleRun, 1, len(evs)/2+2)
	var state styleState
	for i := 0; i < len(evs); {
		at := evs[i].at
		for ; i < len(evs) && evs[i].at == at; i++ {
			state.apply(evs[i])
		}
		lk, ck := state.look(), state.class()
		look, ok := lookIDs[lk]
		if !ok && len(res.looks) < maxStyleIDs {
			look = uint16(len(res.looks))
			lookIDs[lk] = look
			res.looks = append(res.looks, lk)
		}
		cls, ok := classIDs[ck]
		if !ok && len(res.classes) < maxStyleIDs {
			cls = uint16(len(res.classes))
			classIDs[ck] = cls
			res.classes = append(res.classes, ck)
		}
		last := &res.runs[len(res.runs)-1]
		switch {
		case last.look == look && last.cls == cls:
		case last.start == at: // only at 0: the first run is replaced
			last.look, last.cls = look, cls
		default:
			res.runs = append(res.runs, styleRun{start: at, look: look, cls: cls})
		}
	}
	res.setByteOffsets(text)
	return res
}

// setByteOffsets sets the byte offset of each run, in one pass over text.
func (s *styled) setByteOffsets(text string) {
	k, ri := 0, 0
	for i := range text {
		for k < len(s.runs) && int(s.runs[k].start) == ri {
			s.runs[k].bstart = int32(i)
			k++
		}
		ri++
	}
	for ; k < len(s.runs); k++ {
		s.runs[k].bstart = int32(len(text))
	}
}

// runAt returns the index of the run holding rune offset off.
func (s *styled) runAt(off int) int {
	return max(sort.Search(len(s.runs), func(k int) bool { return int(s.runs[k].start) > off })-1, 0)
}

// linkAt returns the innermost link holding rune offset off.
func (s *styled) linkAt(off int) (Span, bool) {
	i := sort.Search(len(s.links), func(i int) bool { return s.links[i].Start > off }) - 1
	for ; i >= 0 && s.linkEnd[i] > off; i-- {
		if s.links[i].End > off {
			return s.links[i], true
		}
	}
	return Span{}, false
}

// itemPrefix returns the length, in bytes and in runes, of the indentation
// and marker that begin a list item's line ("• ", "  12. ", "(a) "): its
// wrapped lines hang after them. A first word longer than a marker is text,
// not a marker: then only the indentation counts.
func itemPrefix(s string) (bytes, runes int) {
	const maxMarker = 5
	i, n := 0, 0
	for i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		i++
		n++
	}
	indentB, indentR := i, n
	markerR := 0
	for j, r := range s[i:] {
		if isBreakSpace(r) {
			if markerR == 0 {
				return indentB, indentR
			}
			k := i + j
			m := n + markerR
			for k < len(s) && (s[k] == ' ' || s[k] == '\t') {
				k++
				m++
			}
			return k, m
		}
		markerR++
		if markerR > maxMarker {
			break
		}
	}
	return indentB, indentR
}

package formats

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"github.com/gloss-notes/gloss/annotations"
)

// An article's structure (annotations.Structure) is found while textOf
// writes its text: the walker notes where each heading, list item, quote,
// emphasis, link… starts and ends in what the textWriter wrote, and those
// byte offsets are then carried through the cleaning that turns the
// written text into the article's text (cleanWritten) and counted in
// runes. The text itself is made exactly as before; when the offsets
// cannot be carried exactly, there is no structure rather than a wrong one.

// maxStructureLevel is the deepest level a block is given: the bound of
// annotations.Structure.Check.
const maxStructureLevel = 16

// structureRecorder notes, during textOf's walk, the blocks and spans of
// the text as byte offsets into what the textWriter has written.
//
// An element's range starts where its first text is written, after the
// separator held back before it (see textWriter), so that it covers its
// visible text and not the blank line above it; a list item's starts before
// its marker, what is inside it after. It ends where its last text ends.
// An element that writes no text is dropped.
type structureRecorder struct {
	blocks []annotations.Block
	spans  []annotations.StyleSpan
	// waiting are the entries whose first text has not been written yet;
	// their Start is -1 until it is.
	waiting []waitingEntry
	// open are the recorded elements the walk is inside, innermost last.
	open []openEntry
	// events are the offsets taken, in the order they were: as the
	// text only grows, that is the order of the offsets too (see
	// structure).
	events []offsetEvent
	quotes int  // blockquotes open
	full   bool // more entries than a structure may hold: none is kept
}

// entryRef is a recorded block, or span, by its index.
type entryRef struct {
	index int
	span  bool
}

type waitingEntry struct {
	entryRef
	// afterPrefix is whether the entry starts after a list marker that is
	// waiting to be written too: it was opened inside the list item.
	afterPrefix bool
}

type openEntry struct {
	node *html.Node
	entryRef
	quote bool
}

// offsetEvent is the taking of an entry's start or end.
type offsetEvent struct {
	index     int32
	span, end bool
}

// reserve makes room for the entries of the elements under root, so
// that the lists of entries are allocated once rather than grown by
// doubling: on a long page they are most of the memory the structure
// costs. It counts the elements whose kinds a structure keeps (some of
// them, empty or hidden, will not be), and returns the bytes of text
// under root, as treeShape does, in the same walk.
func (r *structureRecorder) reserve(root *html.Node) (text int) {
	blocks, spans := 0, 0
	walk(root, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			text += len(n.Data)
			return true
		case html.ElementNode:
		default:
			return true
		}
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.P, atom.Li, atom.Blockquote,
			atom.Pre, atom.Listing, atom.Xmp, atom.Plaintext, atom.Figcaption, atom.Caption, atom.Tr:
			blocks++
		case atom.Em, atom.I, atom.Cite, atom.Dfn, atom.Strong, atom.B, atom.Code, atom.Kbd, atom.Samp,
			atom.Tt, atom.A, atom.Img:
			spans++
		}
		return true
	}, func(*html.Node) {})
	limit := annotations.MaxStructureEntries
	r.blocks = make([]annotations.Block, 0, min(blocks, limit))
	r.spans = make([]annotations.StyleSpan, 0, min(spans, limit))
	r.events = make([]offsetEvent, 0, 2*min(blocks+spans, limit))
	return text
}

// enter records n if it is an element the structure keeps. prefixed is
// whether a list marker is waiting to be written, lists how many lists
// are open and pre whether the walk is inside preformatted text.
func (r *structureRecorder) enter(n *html.Node, prefixed bool, lists int, pre bool) {
	if n.Namespace != "" || r.full {
		return
	}
	var (
		block annotations.BlockKind
		span  annotations.SpanKind
		level int
		href  string
	)
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		block, level = annotations.BlockHeading, headingLevel(n.DataAtom)
	case atom.P:
		block = annotations.BlockParagraph
	case atom.Li:
		// The marker waiting to be written is this item's own: it
		// belongs to the item.
		block, level, prefixed = annotations.BlockItem, max(1, lists), false
	case atom.Blockquote:
		block, level = annotations.BlockQuote, r.quotes+1
	case atom.Pre, atom.Listing, atom.Xmp, atom.Plaintext:
		block = annotations.BlockCode
	case atom.Figcaption, atom.Caption:
		block = annotations.BlockCaption
	case atom.Tr:
		block = annotations.BlockRow
	case atom.Em, atom.I, atom.Cite, atom.Dfn:
		span = annotations.SpanEmphasis
	case atom.Strong, atom.B:
		span = annotations.SpanStrong
	case atom.Code, atom.Kbd, atom.Samp, atom.Tt:
		if pre {
			return // the code block says it already
		}
		span = annotations.SpanCode
	case atom.A:
		var ok bool
		if href, ok = linkAddress(n); !ok {
			return
		}
		span = annotations.SpanLink
	default:
		return
	}
	if !r.room() {
		return
	}
	ref := entryRef{span: span != ""}
	if ref.span {
		ref.index = len(r.spans)
		r.spans = append(r.spans, annotations.StyleSpan{Kind: span, Start: -1, End: -1, Href: href})
	} else {
		ref.index = len(r.blocks)
		r.blocks = append(r.blocks, annotations.Block{Kind: block, Level: min(level, maxStructureLevel), Start: -1, End: -1})
	}
	quote := n.DataAtom == atom.Blockquote
	if quote {
		r.quotes++
	}
	r.waiting = append(r.waiting, waitingEntry{ref, prefixed})
	r.open = append(r.open, openEntry{n, ref, quote})
}

// room reports whether one more entry fits in a structure; once one does
// not, nothing more is recorded and there is no structure.
func (r *structureRecorder) room() bool {
	if len(r.blocks)+len(r.spans) >= annotations.MaxStructureEntries {
		r.full = true
	}
	return !r.full
}

// leave ends the entry of n, if n was recorded, at written bytes.
func (r *structureRecorder) leave(n *html.Node, written int) {
	k := len(r.open) - 1
	if k < 0 || r.open[k].node != n {
		return
	}
	e := r.open[k]
	r.open = r.open[:k]
	if e.quote {
		r.quotes--
	}
	// An entry still waiting wrote nothing. It is the last waiting but for
	// the images inside it.
	for i := len(r.waiting) - 1; i >= 0; i-- {
		if r.waiting[i].entryRef == e.entryRef {
			r.waiting = slices.Delete(r.waiting, i, i+1)
			return
		}
	}
	r.set(e.entryRef, true, written)
}

// set takes an entry's start (or, with end, its end) at written bytes.
func (r *structureRecorder) set(e entryRef, end bool, written int) {
	switch {
	case e.span && end:
		r.spans[e.index].End = written
	case e.span:
		r.spans[e.index].Start = written
	case end:
		r.blocks[e.index].End = written
	default:
		r.blocks[e.index].Start = written
	}
	r.events = append(r.events, offsetEvent{int32(e.index), e.span, end})
}

// image records where an image (an img, or a picture's img) is in the
// text. It takes no room in the text: it is put where the text it follows
// ends when nothing separates them, else where the next text starts.
func (r *structureRecorder) image(n *html.Node, w *textWriter) {
	if n.DataAtom == atom.Picture {
		if n = findElement(n, atom.Img); n == nil {
			return
		}
	}
	if n.Namespace != "" || r.full {
		return
	}
	src := strings.TrimSpace(attr(n, "src"))
	if len(src) > annotations.MaxHrefBytes || !utf8.ValidString(src) {
		src = "" // an inline image's data, most likely; a cut address is no address
	}
	alt := imageDescription(attr(n, "alt"))
	if (src == "" && alt == "") || !r.room() {
		return
	}
	i := len(r.spans)
	r.spans = append(r.spans, annotations.StyleSpan{Kind: annotations.SpanImage, Start: -1, End: -1, Href: src, Alt: alt})
	if w.sep == sepNone && w.b.Len() > 0 {
		r.set(entryRef{i, true}, false, w.b.Len())
		return
	}
	r.waiting = append(r.waiting, waitingEntry{entryRef{i, true}, true})
}

// place starts the waiting entries at written bytes: those that start
// before a list marker when afterPrefix is false, else the rest.
func (r *structureRecorder) place(written int, afterPrefix bool) {
	kept := r.waiting[:0]
	for _, e := range r.waiting {
		if e.afterPrefix && !afterPrefix {
			kept = append(kept, e)
			continue
		}
		r.set(e.entryRef, false, written)
	}
	r.waiting = kept
}

// structure turns what was recorded into the structure of text, the
// cleaned form of the written text (see cleanWritten, which gave m).
// written is how many bytes were written: images after the last text are
// put there. It returns nil when there is nothing to keep or it does not
// fit.
func (r *structureRecorder) structure(written int, text string, m *textMap) *annotations.Structure {
	if r.full || m == nil {
		return nil
	}
	r.place(written, true)
	// Each offset is mapped into the text and counted in runes from the
	// one before it. The offsets were taken as the text grew, so they
	// come in order, and the mapping keeps the order of starts, and of
	// ends: counting from the last start for a start and from the last end
	// for an end goes through the text twice in all. (A start can map
	// after an end taken later, where the cleaning removed white space.)
	// When the cleaning changed nothing, once is enough. An image's end
	// is its start.
	type cursor struct{ at, runes int }
	var cursors [2]cursor // the last start's and the last end's
	ends := 0
	if len(m.steps) > 0 {
		ends = 1
	}
	for _, e := range r.events {
		var ptr *int
		switch {
		case e.span && e.end:
			ptr = &r.spans[e.index].End
		case e.span:
			ptr = &r.spans[e.index].Start
		case e.end:
			ptr = &r.blocks[e.index].End
		default:
			ptr = &r.blocks[e.index].Start
		}
		c := &cursors[0]
		if e.end {
			c = &cursors[ends]
		}
		next := min(max(m.offset(*ptr, e.end), 0), len(text))
		if next >= c.at {
			c.runes += utf8.RuneCountInString(text[c.at:next])
		} else {
			c.runes -= utf8.RuneCountInString(text[next:c.at]) // not expected; still right
		}
		c.at, *ptr = next, c.runes
		if e.span && r.spans[e.index].Kind == annotations.SpanImage {
			r.spans[e.index].End = c.runes
		}
	}
	c := cursors[0]
	n := c.runes + utf8.RuneCountInString(text[c.at:])
	r.events = nil

	// Filtered in place: the entries are most of the structure's memory.
	// Those never started (they wrote nothing) are still at -1.
	out := &annotations.Structure{
		Blocks: slices.DeleteFunc(r.blocks, func(b annotations.Block) bool { return b.Start < 0 || b.End <= b.Start }),
		Spans: slices.DeleteFunc(r.spans, func(s annotations.StyleSpan) bool {
			return s.Start < 0 || s.End < s.Start || s.End == s.Start && s.Kind != annotations.SpanImage
		}),
	}
	r.blocks, r.spans = nil, nil
	return finishStructure(out, n)
}

// finishStructure sorts s and checks it against a text of n runes: nil
// when it says nothing or does not fit.
func finishStructure(s *annotations.Structure, n int) *annotations.Structure {
	if s.Empty() {
		return nil
	}
	s.Sort()
	if s.Check(n) != nil {
		return nil
	}
	return s
}

func headingLevel(a atom.Atom) int {
	switch a {
	case atom.H1:
		return 1
	case atom.H2:
		return 2
	case atom.H3:
		return 3
	case atom.H4:
		return 4
	case atom.H5:
		return 5
	}
	return 6
}

// linkAddress is where a link points, as written (relative addresses stay
// relative: a file has no address to resolve them against). A link
// without an address, to a script or to inline data is no link the reader
// can follow, and neither is one too long to keep.
func linkAddress(n *html.Node) (string, bool) {
	href := ""
	found := false
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == "href" {
			href, found = a.Val, true
			break
		}
	}
	href = strings.TrimSpace(href)
	if !found || href == "" || len(href) > annotations.MaxHrefBytes || !utf8.ValidString(href) {
		return "", false
	}
	// Browsers ignore tabs and line breaks in an address, so
	// "java\tscript:" is a script too.
	scheme := strings.ToLower(strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, href[:min(len(href), 16)]))
	for _, s := range []string{"javascript:", "vbscript:", "data:"} {
		if strings.HasPrefix(scheme, s) {
			return "", false
		}
	}
	return href, true
}

// imageDescription is an image's alt text on one line, normalised, and cut
// (on a rune boundary) to what a structure may hold.
func imageDescription(alt string) string {
	if alt == "" {
		return ""
	}
	alt = cutRunes(alt, 4*annotations.MaxHrefBytes) // spare the work on megabytes
	alt = strings.Join(strings.Fields(annotations.NormalizeText(stripControls(alt))), " ")
	return cutRunes(alt, annotations.MaxHrefBytes)
}

// cutRunes cuts s to at most n bytes, on a rune boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// textMap carries byte offsets in what a textWriter wrote to byte offsets
// in the article's text made of it: the steps of the cleaning, each a list
// of the changes it made.
type textMap struct {
	steps []textStep
}

// textStep is what one step of the cleaning changed, in order.
type textStep struct {
	edits []textEdit
	// widen is how a range meeting a change is placed. Where a letter
	// and its marks were composed into one (NFC), a range that starts or
	// ends among them is widened to cover the composed letter. Where
	// white space or controls went (or became a line break), a start
	// anywhere in what went, its edges included, moves past it and an
	// end stays before it, so that a range neither gains the line break
	// that replaced them nor starts or ends with one.
	widen bool
}

// textEdit is one change: src[at:at+from] became dst[out:out+to].
type textEdit struct{ at, from, out, to int }

// offset maps p, a byte offset in the written text, to the cleaned text;
// end says whether it ends a range (else it starts one).
func (m *textMap) offset(p int, end bool) int {
	for _, s := range m.steps {
		p = s.offset(p, end)
	}
	return p
}

func (s textStep) offset(p int, end bool) int {
	i := sort.Search(len(s.edits), func(i int) bool { return s.edits[i].at > p }) - 1
	if i < 0 {
		return p
	}
	e := s.edits[i]
	switch {
	case p > e.at+e.from || e.from == 0:
		return e.out + e.to + p - (e.at + e.from) // past it, or past an insertion
	case !s.widen && end, s.widen && p == e.at:
		return e.out
	case !s.widen, p == e.at+e.from, end:
		return e.out + e.to
	}
	return e.out // a start inside a composed letter
}

// add appends a step of the cleaning, unless it changed nothing.
func (m *textMap) add(edits []textEdit, widen bool) {
	if len(edits) > 0 {
		m.steps = append(m.steps, textStep{edits, widen})
	}
}

// cleanWritten cleans what a textWriter wrote into the article's text,
// exactly as tidyLines(cleanText(raw)) does (it runs the same functions,
// in the same order), and returns with it the map of offsets from raw to
// the text, or nil when the changes could not be followed exactly.
//
// Each step is aligned with what it gave: the steps only delete
// characters (controls, a leading byte order mark, CR before LF, white
// space at the ends of lines, blank lines beyond one, blank lines at
// either end), turn a few line-breaking controls into "\n", and compose
// characters (NFC). A step that changed nothing costs a comparison.
func cleanWritten(raw string) (string, *textMap) {
	s1 := stripControls(raw)
	s2 := annotations.NormalizeText(s1)
	s3 := trimBlankLines(s2)
	text := tidyLines(s3)
	m := &textMap{}
	if s1 != raw {
		// (Invalid UTF-8 fails here: stripControls replaces it.)
		got, edits := replaceRunes(raw, controlReplacement)
		if got != s1 {
			return text, nil
		}
		m.add(edits, false)
	}
	if s2 != s1 {
		if !utf8.ValidString(s1) {
			return text, nil // NormalizeText replaced bytes: not followed
		}
		// NormalizeText's byte order mark, CR and NUL, then NFC.
		pre, edits := replaceRunes(s1, lineEndReplacement)
		m.add(edits, false)
		if pre != s2 {
			edits, ok := composedEdits(pre, s2)
			if !ok {
				return text, nil
			}
			m.add(edits, true)
		}
	}
	if s3 != s2 {
		edits, ok := trimmedEdits(s2, s3)
		if !ok {
			return text, nil
		}
		m.add(edits, false)
	}
	if text != s3 {
		edits, ok := tidiedEdits(s3, text)
		if !ok {
			return text, nil
		}
		m.add(edits, false)
	}
	return text, m
}

// controlReplacement is what stripControls makes of the rune r at s[i:].
func controlReplacement(s string, i int, r rune) (string, bool) {
	switch {
	case r == '\f' || r == '\v' || r == 0x85:
		return "\n", true
	case r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7F && r <= 0x9F:
		return "", true
	}
	return "", false
}

// lineEndReplacement is what NormalizeText, before composing, makes of the
// rune r at s[i:]: a byte order mark at the start goes, CR LF becomes LF,
// a lone CR becomes LF, NUL goes.
func lineEndReplacement(s string, i int, r rune) (string, bool) {
	switch {
	case r == '\uFEFF' && i == 0, r == 0:
		return "", true
	case r == '\r' && i+1 < len(s) && s[i+1] == '\n':
		return "", true
	case r == '\r':
		return "\n", true
	}
	return "", false
}

// replaceRunes replaces the runes of s that change says are replaced, and
// lists the edits. s is returned as it is when nothing changes.
func replaceRunes(s string, change func(s string, i int, r rune) (string, bool)) (string, []textEdit) {
	var b strings.Builder
	var edits []textEdit
	copied := 0
	for i, r := range s {
		repl, ok := change(s, i, r)
		if !ok {
			continue
		}
		if edits == nil {
			b.Grow(len(s))
		}
		b.WriteString(s[copied:i])
		_, size := utf8.DecodeRuneInString(s[i:])
		edits = append(edits, textEdit{at: i, from: size, out: b.Len(), to: len(repl)})
		b.WriteString(repl)
		copied = i + size
	}
	if edits == nil {
		return s, nil
	}
	b.WriteString(s[copied:])
	return b.String(), edits
}

// cgj is U+034F COMBINING GRAPHEME JOINER.
const cgj = "\u034F"

// composedEdits aligns src with dst, its NFC form, segment by segment
// (the segments between the normalisation boundaries that
// golang.org/x/text/unicode/norm finds, which it composes independently):
// runs that are already NFC are compared, the others composed. ok is false
// when dst is not made so.
func composedEdits(src, dst string) ([]textEdit, bool) {
	var edits []textEdit
	i, j := 0, 0
	for i < len(src) {
		if n := norm.NFC.QuickSpanString(src[i:]); n > 0 {
			if len(dst)-j < n || src[i:i+n] != dst[j:j+n] {
				return nil, false
			}
			i, j = i+n, j+n
			continue
		}
		k := norm.NFC.NextBoundaryInString(src[i:], true)
		if k <= 0 {
			k = len(src) - i
		}
		seg := norm.NFC.String(src[i : i+k])
		if !strings.HasPrefix(dst[j:], seg) {
			// A run of more than 30 combining marks is broken up by
			// a combining grapheme joiner (the Stream-Safe Text
			// Format of UAX #15), the one thing NFC inserts.
			if !strings.HasPrefix(dst[j:], cgj) || strings.HasPrefix(src[i:], cgj) {
				return nil, false
			}
			edits = append(edits, textEdit{at: i, out: j, to: len(cgj)})
			j += len(cgj)
			continue
		}
		if seg != src[i:i+k] {
			edits = append(edits, textEdit{at: i, from: k, out: j, to: len(seg)})
		}
		i, j = i+k, j+len(seg)
	}
	return edits, j == len(dst)
}

// trimmedEdits aligns src with dst = trimBlankLines(src): the blank lines
// at the start and the white space at the end gone.
func trimmedEdits(src, dst string) ([]textEdit, bool) {
	start := len(src)
	if first := strings.IndexFunc(src, func(r rune) bool { return !unicode.IsSpace(r) }); first >= 0 {
		start = strings.LastIndexByte(src[:first], '\n') + 1
	}
	end := start + len(dst)
	if end > len(src) || src[start:end] != dst {
		return nil, false
	}
	var edits []textEdit
	if start > 0 {
		edits = append(edits, textEdit{at: 0, from: start})
	}
	if end < len(src) {
		edits = append(edits, textEdit{at: end, from: len(src) - end, out: len(dst)})
	}
	return edits, true
}

// tidiedEdits aligns src with dst = tidyLines(src): between two lines
// of text, the white space ending the first, the line break and the blank
// lines become "\n", or "\n\n" when there was a blank line; before the
// first line of text and after the last everything goes.
func tidiedEdits(src, dst string) ([]textEdit, bool) {
	var edits []textEdit
	j := 0
	textEnd := -1 // where the last line of text so far ends in src (its white space not counted)
	blank := false
	for start := 0; start <= len(src); {
		end := strings.IndexByte(src[start:], '\n')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		n := len(strings.TrimRightFunc(src[start:end], unicode.IsSpace))
		if n == 0 {
			blank = true
		} else {
			gap, sep := 0, ""
			if textEnd >= 0 {
				gap, sep = textEnd, "\n"
				if blank {
					sep = "\n\n"
				}
			}
			if !strings.HasPrefix(dst[j:], sep) || len(dst)-j-len(sep) < n || dst[j+len(sep):j+len(sep)+n] != src[start:start+n] {
				return nil, false
			}
			if src[gap:start] != sep {
				edits = append(edits, textEdit{at: gap, from: start - gap, out: j, to: len(sep)})
			}
			j += len(sep) + n
			textEnd, blank = start+n, false
		}
		if end == len(src) {
			break
		}
		start = end + 1
	}
	textEnd = max(textEnd, 0)
	if textEnd < len(src) {
		edits = append(edits, textEdit{at: textEnd, from: len(src) - textEnd, out: j})
	}
	return edits, j == len(dst)
}

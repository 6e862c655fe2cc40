package formats

import (
	"bytes"
	"errors"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/gloss-notes/gloss/annotations"
)

// minArticleRunes is how much text readability must find for its result to
// be taken as the article. It is readability's own threshold
// (Parser.CharThresholds): below it readability returns its best guess
// without confidence, and on a short page that guess often drops headings
// and lists, so the whole body is read instead.
const minArticleRunes = 500

// maxParseWork bounds the work of parsing a page, estimated as the sum,
// over its tags, of how deeply nested each is (see scanPage). The
// HTML parser looks through the stack of open elements for most tags, so
// deep nesting makes it quadratic: half a megabyte of "<div>" would take
// minutes. Real pages, even of 50 MB, stay well below the bound; at the
// bound parsing takes a second or two.
const maxParseWork = 100_000_000

// maxReadabilityDepth is the deepest tree readability is given. It walks the
// tree recursively, so a deep enough tree would overflow the stack (which
// no recover can catch); deeper pages are read whole with the iterative
// walk. Real pages nest a few dozen levels; browsers cap the tree at 512.
const maxReadabilityDepth = 1000

// maxReadabilityElements is the most elements a page may have for
// readability to look for its article; larger pages are read whole.
// Readability's time grows faster than the page (a 1 MB article of some
// 40,000 elements takes a tenth of a second), and a page this large is a
// book or a dump rather than an article with clutter around it.
const maxReadabilityElements = 200_000

// maxReadabilityText is the most text (in bytes, scripts and styles
// included) a page may hold for readability to look for its article; larger
// pages are read whole. Readability builds the text of every element it
// scores, so its memory grows with the text times the nesting: on 50 MB of
// text it takes half a gigabyte. A page with this much text is a book.
const maxReadabilityText = 8 << 20

// readHTML reduces an HTML page to its readable article. shown names the
// file in errors; page is the page, decoded.
//
// Nothing is fetched and no script runs: the page is parsed with
// golang.org/x/net/html, which only builds a tree, and readability is given
// that tree and no URL (its FromURL, the only code in it that does network
// I/O, is not used; with a nil URL it leaves links as they are). Scripts,
// styles and other non-text elements are skipped when the text is built.
//
// When readability finds less than minArticleRunes (it drops headings and
// lists on short pages), the whole body is read instead, without the
// page's navigation, sidebars and footer (dropChrome).
//
// The text's structure (headings, lists, emphasis, links…) is read with
// it, by the same walk (see structureRecorder).
//
// Markup that would make the parser take minutes (see scanPage and
// parseTimeout) is refused with ErrUnsupported.
func readHTML(shown, page string) (Document, error) {
	elements, costly := scanPage(page, maxParseWork)
	if elements > maxHTMLElements {
		return Document{}, tooManyElements(shown, elements)
	}
	if costly {
		return Document{}, tooConvoluted(shown)
	}
	doc, err := parseHTML(page)
	if err != nil {
		return Document{}, tooConvoluted(shown)
	}
	// Readability rearranges the tree it is given (cloning a large page
	// first costs a tenth of the time), so what might be needed without it
	// is read first, and the page parsed again if its body is wanted.
	pageTitle := textOf(findElement(doc, atom.Title))
	firstH1 := textOf(findElement(doc, atom.H1))
	citation := htmlCitation(doc)

	var text, title string
	var structure *annotations.Structure
	// Readability refuses a page of more than maxReadabilityElements
	// elements itself, but only after it has changed the tree, which would
	// cost a second parse; the count is cheap.
	depth, elements, textBytes := treeShape(doc)
	mutated := false
	if depth <= maxReadabilityDepth && elements <= maxReadabilityElements && textBytes <= maxReadabilityText {
		var byline string
		text, structure, title, byline = readable(doc)
		mutated = true
		if len(citation.Authors) == 0 && byline != "" {
			citation.Authors = splitAuthors("byline", byline)
		}
	} else {
		page = "" // not parsed again: let it go
	}
	if utf8.RuneCountInString(text) < minArticleRunes {
		if mutated {
			if doc, err = parseHTML(page); err != nil {
				return Document{}, tooConvoluted(shown)
			}
			page = ""
		}
		body := findElement(doc, atom.Body)
		dropChrome(body)
		if all, s := textAndStructure(body); strings.TrimSpace(all) != "" {
			text, structure = all, s
		}
	}
	for _, t := range []string{pageTitle, firstH1} {
		if title == "" {
			title = t
		}
	}
	return Document{Title: cleanTitle(title), Format: annotations.FormatHTML, Text: text, Citation: citation, Structure: structure}, nil
}

// dropChrome removes the page's own furniture from the tree under root —
// navigation, sidebars, footers and the site banner, by element or ARIA
// role — before a short page is read whole: what readability would have
// left out too.
func dropChrome(root *html.Node) {
	var chrome []*html.Node
	walk(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		switch n.DataAtom {
		case atom.Nav, atom.Aside, atom.Footer:
			chrome = append(chrome, n)
			return false
		case atom.Header:
			// A header inside an article or section is the article's own.
			if p := n.Parent; p != nil && (p.DataAtom == atom.Body || p.DataAtom == atom.Div) {
				chrome = append(chrome, n)
				return false
			}
		}
		switch strings.ToLower(attr(n, "role")) {
		case "navigation", "banner", "contentinfo", "complementary", "search":
			chrome = append(chrome, n)
			return false
		}
		return true
	}, func(*html.Node) {})
	for _, n := range chrome {
		n.Parent.RemoveChild(n)
	}
}

// maxHTMLElements is the most elements (and comments) a page may have.
// Each becomes a node of the parsed tree, which with the text node beside
// it costs about 400 bytes at the peak while the page is read, however
// small it is in the file: without a bound, 50 MB of "<b>x</b>" (6.5
// million elements) took 2.2 GB. At the bound, the largest page Gloss
// accepts (50 MB) is read in about 330 MB, and added to the library in
// 450 (measured with gloss add under /usr/bin/time). A long article has a
// few thousand elements, a book in one page some tens of thousands.
const maxHTMLElements = 500_000

// tooManyElements is the refusal of a page of more than maxHTMLElements
// elements.
func tooManyElements(shown string, n int) error {
	return refuse(ErrTooLarge, "%s has %s HTML elements; Gloss reads pages of up to %s: open it in a browser and save it as text first",
		shown, countWords(n), countWords(maxHTMLElements))
}

// countWords writes a count for people: "1 million", "6.5 million",
// "250,000".
func countWords(n int) string {
	if n >= 1_000_000 {
		m := strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64)
		return strings.TrimSuffix(m, ".0") + " million"
	}
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// tooConvoluted is the refusal of a page that would take the parser too
// long.
func tooConvoluted(shown string) error {
	return refuse(ErrUnsupported, "%s is HTML whose markup is too deeply nested or broken to read safely; open it in a browser and save it as text first", shown)
}

// parseTimeout bounds the time the HTML parser may take on a page. It is a
// backstop for markup that scanPage misjudges: a 50 MB page of
// ordinary markup parses in a few seconds.
const parseTimeout = 20 * time.Second

// errParseTimeout is what deadlineReader returns once time is up.
var errParseTimeout = errors.New("HTML parsing took too long")

// parseHTML parses page, giving up after parseTimeout. The parser cannot be
// stopped from outside, but it stops soon after its reader fails, so the
// reader hands the page over in small pieces and fails once time is up.
func parseHTML(page string) (*html.Node, error) {
	return html.Parse(&deadlineReader{r: strings.NewReader(page), deadline: time.Now().Add(parseTimeout)})
}

type deadlineReader struct {
	r        io.Reader
	deadline time.Time
}

func (d *deadlineReader) Read(p []byte) (int, error) {
	if time.Now().After(d.deadline) {
		return 0, errParseTimeout
	}
	return d.r.Read(p[:min(len(p), 1024)])
}

// readable runs readability on doc, which it changes, and returns the
// article's text and its structure, title and byline. A panic in
// readability (third-party code given any input) is taken as "no article
// found", so that the body is read.
func readable(doc *html.Node) (text string, structure *annotations.Structure, title, byline string) {
	defer func() {
		if recover() != nil {
			text, structure, title, byline = "", nil, "", ""
		}
	}()
	parser := readability.NewParser()
	parser.MaxElemsToParse = maxReadabilityElements
	article, err := parser.ParseAndMutate(doc, nil)
	if err != nil {
		return "", nil, "", ""
	}
	if article.Node != nil {
		text, structure = textAndStructure(article.Node)
	}
	return text, structure, article.Title(), article.Byline()
}

// findElement returns the first element of kind a in document order.
func findElement(root *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	walk(root, func(n *html.Node) bool {
		if found != nil {
			return false
		}
		if n.Type == html.ElementNode && n.DataAtom == a {
			found = n
			return false
		}
		return true
	}, func(*html.Node) {})
	return found
}

// treeShape returns the deepest nesting of nodes under root, the number
// of elements under it (which readability compares with its
// MaxElemsToParse) and the bytes of text in its text nodes.
func treeShape(root *html.Node) (depth, elements, text int) {
	d := 0
	walk(root, func(n *html.Node) bool {
		d++
		depth = max(depth, d)
		switch n.Type {
		case html.ElementNode:
			elements++
		case html.TextNode:
			text += len(n.Data)
		}
		return true
	}, func(*html.Node) { d-- })
	return depth, elements, text
}

// walk visits the tree under root (not root itself) in document order
// without recursion, so that no tree is too deep for it. enter is called on
// each node; when it returns false the node's children are skipped and
// leave is not called for it, else leave is called after its children.
func walk(root *html.Node, enter func(*html.Node) bool, leave func(*html.Node)) {
	if root == nil {
		return
	}
	n := root.FirstChild
	for n != nil {
		if enter(n) {
			if n.FirstChild != nil {
				n = n.FirstChild
				continue
			}
			leave(n)
		}
		for n.NextSibling == nil {
			n = n.Parent
			if n == root || n == nil {
				return
			}
			leave(n)
		}
		n = n.NextSibling
	}
}

// textOf turns the tree under root into plain text the way a reader sees
// it: blocks (paragraphs, headings, list items, table rows, quotes…) become
// paragraphs separated by one blank line, <br> a line break, list items
// start with "• " or their number, table cells are separated by tabs (as in
// a browser's innerText), white space is collapsed as a browser does except
// inside <pre>, and scripts, styles, forms' widgets and hidden elements are
// left out. The result is cleaned like every article text.
//
// This walk is written here rather than taken from readability's
// render.InnerText or dom.InnerText: those run all text into one line or
// keep the raw layout white space, and Gloss needs stable, readable
// paragraphs whose offsets annotations can point into.
func textOf(root *html.Node) string {
	text, _ := readText(root, false)
	return text
}

// textAndStructure is textOf with the structure of the text (see
// structureRecorder); nil when there is none or it could not be kept.
func textAndStructure(root *html.Node) (string, *annotations.Structure) {
	return readText(root, true)
}

// readText is textOf, and textAndStructure when structured.
func readText(root *html.Node, structured bool) (string, *annotations.Structure) {
	if root == nil {
		return "", nil
	}
	var w textWriter
	// Room for all the text at once: growing by doubling would allocate
	// about twice the text of a large page over again. (The structure's
	// room is made in the same walk.)
	var size int
	if structured {
		w.rec = &structureRecorder{}
		size = w.rec.reserve(root)
	} else {
		_, _, size = treeShape(root)
	}
	w.b.Grow(size + size/8)
	type list struct {
		ordered bool
		next    int
	}
	var lists []list
	var rows []int // cells seen so far in each open table row
	pre := 0
	walk(root, func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			w.text(n.Data, pre > 0)
			return false
		case html.ElementNode:
		default:
			return n.Type == html.DocumentNode
		}
		if skipped[n.DataAtom] || hidden(n) {
			if w.rec != nil && (n.DataAtom == atom.Img || n.DataAtom == atom.Picture) && !hidden(n) {
				w.rec.image(n, &w)
			}
			return false
		}
		switch n.DataAtom {
		case atom.Br:
			w.lineBreak()
		case atom.Pre, atom.Listing, atom.Plaintext, atom.Textarea, atom.Xmp:
			pre++
			w.paragraph()
		case atom.Ul, atom.Ol, atom.Menu, atom.Dir:
			l := list{ordered: n.DataAtom == atom.Ol, next: 1}
			if start, err := strconv.Atoi(attr(n, "start")); err == nil && l.ordered {
				l.next = start
			}
			lists = append(lists, l)
			w.paragraph()
		case atom.Li:
			w.paragraph()
			marker := "• "
			if len(lists) > 0 {
				l := &lists[len(lists)-1]
				if v, err := strconv.Atoi(attr(n, "value")); err == nil {
					l.next = v
				}
				if l.ordered {
					marker = strconv.Itoa(l.next) + ". "
					l.next++
				}
			}
			// Nested lists are indented, up to a point.
			w.prefix = strings.Repeat("  ", min(max(0, len(lists)-1), 8)) + marker
		case atom.Tr:
			rows = append(rows, 0)
			w.paragraph()
		case atom.Td, atom.Th:
			if len(rows) > 0 {
				if rows[len(rows)-1] > 0 {
					w.cell()
				}
				rows[len(rows)-1]++
			}
		default:
			if blocks[n.DataAtom] {
				w.paragraph()
			}
		}
		if w.rec != nil {
			w.rec.enter(n, w.prefix != "", len(lists), pre > 0)
		}
		return true
	}, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		if w.rec != nil {
			w.rec.leave(n, w.b.Len())
		}
		switch n.DataAtom {
		case atom.Pre, atom.Listing, atom.Plaintext, atom.Textarea, atom.Xmp:
			pre--
			w.paragraph()
		case atom.Ul, atom.Ol, atom.Menu, atom.Dir:
			lists = lists[:len(lists)-1]
			w.paragraph()
		case atom.Li:
			w.prefix = ""
			w.paragraph()
		case atom.Tr:
			rows = rows[:len(rows)-1]
			w.paragraph()
		default:
			if blocks[n.DataAtom] {
				w.paragraph()
			}
		}
	})
	if w.rec == nil {
		return tidyLines(cleanText(w.b.String())), nil
	}
	text, m := cleanWritten(w.b.String())
	return text, w.rec.structure(w.b.Len(), text, m)
}

// blocks are the elements that start and end a paragraph of their own.
var blocks = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Body: true, atom.Caption: true, atom.Center: true, atom.Dd: true,
	atom.Details: true, atom.Dialog: true, atom.Div: true, atom.Dl: true,
	atom.Dt: true, atom.Fieldset: true, atom.Figcaption: true, atom.Figure: true,
	atom.Footer: true, atom.Form: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Header: true, atom.Hgroup: true, atom.Hr: true, atom.Html: true,
	atom.Legend: true, atom.Main: true, atom.Nav: true, atom.P: true,
	atom.Search: true, atom.Section: true, atom.Summary: true, atom.Table: true,
	atom.Tr: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	atom.Frameset: true, atom.Noframes: true,
}

// skipped are the elements whose content is not part of the text a reader
// sees.
var skipped = map[atom.Atom]bool{
	atom.Head: true, atom.Script: true, atom.Style: true, atom.Noscript: true,
	atom.Template: true, atom.Title: true, atom.Iframe: true, atom.Object: true,
	atom.Embed: true, atom.Svg: true, atom.Canvas: true, atom.Audio: true,
	atom.Video: true, atom.Select: true, atom.Button: true, atom.Input: true,
	atom.Img: true, atom.Map: true, atom.Datalist: true, atom.Meter: true,
	atom.Progress: true, atom.Frame: true, atom.Param: true, atom.Source: true,
	atom.Track: true, atom.Picture: true,
}

// hidden reports whether an element is hidden by its own markup (the hidden
// attribute, aria-hidden, or an inline display:none). Style sheets are not
// read.
func hidden(n *html.Node) bool {
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "aria-hidden":
			if strings.EqualFold(strings.TrimSpace(a.Val), "true") {
				return true
			}
		case "style":
			s := strings.ToLower(strings.Join(strings.Fields(a.Val), ""))
			if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
				return true
			}
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// separator is what goes between the text written so far and the next
// text; a stronger one wins.
type separator int

const (
	sepNone separator = iota
	sepSpace
	sepTab
	sepLine
	sepParagraph
)

var separators = [...]string{sepNone: "", sepSpace: " ", sepTab: "\t", sepLine: "\n", sepParagraph: "\n\n"}

// textWriter collects text with browser-like white space: separators are
// held back until the next text arrives, so that none appears at the start,
// at the end, or twice.
type textWriter struct {
	b      strings.Builder
	sep    separator
	prefix string             // list marker for the next text, if any
	rec    *structureRecorder // nil unless the text's structure is kept
}

func (w *textWriter) want(s separator) { w.sep = max(w.sep, s) }

func (w *textWriter) paragraph() { w.want(sepParagraph) }
func (w *textWriter) cell()      { w.want(sepTab) }

// lineBreak is a <br>; two in a row leave an empty line.
func (w *textWriter) lineBreak() {
	if w.sep == sepLine {
		w.sep = sepParagraph
	}
	w.want(sepLine)
}

// start writes the pending separator and list marker before new text.
func (w *textWriter) start() {
	if w.b.Len() > 0 {
		w.b.WriteString(separators[w.sep])
	}
	w.sep = sepNone
	// The entries waiting for this text start here, after the
	// separator; those inside a list item after its marker.
	waiting := w.rec != nil && len(w.rec.waiting) > 0
	if waiting {
		w.rec.place(w.b.Len(), false)
	}
	if w.prefix != "" {
		w.b.WriteString(w.prefix)
		w.prefix = ""
	}
	if waiting {
		w.rec.place(w.b.Len(), true)
	}
}

// text writes a text node's content: white space collapsed (HTML white
// space only, so a no-break space stays) unless pre, soft hyphens dropped.
func (w *textWriter) text(s string, pre bool) {
	s = strings.ReplaceAll(s, "\u00AD", "")
	if pre {
		if s != "" {
			w.start()
			w.b.WriteString(s)
		}
		return
	}
	for s != "" {
		i := strings.IndexAny(s, " \t\n\f\r")
		if i < 0 {
			i = len(s)
		}
		if i > 0 {
			w.start()
			w.b.WriteString(s[:i])
		}
		s = s[i:]
		if s != "" {
			w.want(sepSpace)
			s = strings.TrimLeft(s, " \t\n\f\r")
		}
	}
}

// tidyLines removes white space at the end of lines and leaves at most one
// blank line between paragraphs (<pre> text, <br> runs and spacer
// paragraphs can make more).
func tidyLines(s string) string {
	if s == "" || linesTidy(s) {
		return s // no copy of a large text that needs nothing
	}
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for line := range strings.SplitSeq(s, "\n") {
		// Unicode white space too: a paragraph of one no-break space is a
		// common spacer.
		line = strings.TrimRightFunc(line, unicode.IsSpace)
		if line == "" {
			blank = true
			continue
		}
		if b.Len() > 0 {
			b.WriteString("\n")
			if blank {
				b.WriteString("\n")
			}
		}
		blank = false
		b.WriteString(line)
	}
	return b.String()
}

// linesTidy reports whether tidyLines would leave s as it is: no line ends
// in white space, no blank line starts or ends it, and no two blank lines
// are adjacent.
func linesTidy(s string) bool {
	blanks := 0
	first := true
	for line := range strings.SplitSeq(s, "\n") {
		if strings.TrimRightFunc(line, unicode.IsSpace) != line {
			return false
		}
		if line == "" {
			if blanks++; first || blanks > 1 {
				return false
			}
			continue
		}
		blanks, first = 0, false
	}
	return blanks == 0
}

// looksLikeHTML sniffs an HTML document as browsers do: after white space,
// an XML declaration and comments, it starts with one of the usual tags.
// (Written here because net/http.DetectContentType stops at an XML
// declaration and reports XHTML as text/xml.)
func looksLikeHTML(data []byte) bool {
	s := data[:min(len(data), 4096)]
	for {
		s = bytes.TrimLeft(s, " \t\n\f\r")
		switch {
		case bytes.HasPrefix(s, []byte("<?")):
			end := bytes.Index(s, []byte("?>"))
			if end < 0 {
				return false
			}
			s = s[end+2:]
		case bytes.HasPrefix(s, []byte("<!--")):
			end := bytes.Index(s[4:], []byte("-->"))
			if end < 0 {
				return false
			}
			s = s[4+end+3:]
		default:
			for _, tag := range htmlStarts {
				if len(s) > len(tag) && bytes.EqualFold(s[:len(tag)], []byte(tag)) && strings.IndexByte(" \t\n\f\r>/", s[len(tag)]) >= 0 {
					return true
				}
			}
			return false
		}
	}
}

// htmlStarts are the tags the WHATWG sniffing algorithm takes as HTML, and a
// few more that start HTML fragments saved by tools.
var htmlStarts = []string{
	"<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div",
	"<font", "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p",
	"<meta", "<link", "<article", "<section", "<main", "<header", "<nav",
}

// scanPage estimates, in one linear pass of the tokenizer, whether
// parsing s would cost more than budget: the sum, over start and end tags,
// of the depth of the parser's stack of open elements when each comes.
//
// It replays the HTML parser's tree construction loosely, so that ordinary
// sloppy markup (unclosed p, li, td, option, a…) is not taken for nesting,
// while it errs towards deeper where the rules are involved: void elements
// are not pushed; a start tag first closes what the parser closes
// implicitly (an open p before a block, another li, dd or dt, cells and rows
// in a table, a link around a link); an end tag pops to its element when
// that is in scope, a formatting element's end tag pops the formatting
// elements above it only to reopen them (the adoption agency and the
// reconstruction of active formatting elements), and an end tag that is no
// block's stops at a block; a second html, head, body or form, and most
// tags inside a select, are ignored; self-closing syntax only closes in SVG
// and MathML. Searches look a bounded way down the stack (finding nothing
// there errs deeper), so the pass stays linear.
//
// It also counts the page's elements (start tags) and comments: about the
// nodes parsing will make, besides text. The count is of the whole page
// unless the work runs over the budget first.
func scanPage(s string, budget int) (elements int, costly bool) {
	type entry struct {
		name string
		a    atom.Atom
	}
	const reach = 64 // how far down the stack a search looks
	z := html.NewTokenizer(strings.NewReader(s))
	var stack []entry
	open := map[string]int{}
	work := 0
	// textRun is the length of the text the parser is appending to: text
	// tokens with only ignored tags between them are merged into one text
	// node by string concatenation, which is quadratic too.
	textRun := 0
	changes := 0 // pushes and pops, to tell ignored tags
	push := func(name string, a atom.Atom) {
		stack = append(stack, entry{name, a})
		open[name]++
		changes++
	}
	popFrom := func(i int) {
		for _, e := range stack[i:] {
			open[e.name]--
			changes++
		}
		stack = stack[:i]
	}
	top := func() atom.Atom {
		if len(stack) == 0 {
			return 0
		}
		return stack[len(stack)-1].a
	}
	// find returns the index of the nearest open element that is wanted,
	// or -1 when an element that stops the search comes first.
	find := func(wanted func(entry) bool, stops func(atom.Atom) bool) int {
		for i := len(stack) - 1; i >= 0 && i >= len(stack)-reach; i-- {
			switch {
			case wanted(stack[i]):
				return i
			case stops(stack[i].a):
				return -1
			}
		}
		return -1
	}
	named := func(name string) func(entry) bool {
		return func(e entry) bool { return e.name == name }
	}
	oneOf := func(as ...atom.Atom) func(entry) bool {
		return func(e entry) bool { return slices.Contains(as, e.a) }
	}
	in := func(set map[atom.Atom]bool) func(atom.Atom) bool {
		return func(a atom.Atom) bool { return set[a] }
	}
	// closeTo pops from the nearest wanted element, if found.
	closeTo := func(wanted func(entry) bool, stops func(atom.Atom) bool) {
		if i := find(wanted, stops); i >= 0 {
			popFrom(i)
		}
	}
	// closeFormatting closes the nearest open formatting element name in
	// scope. With a block inside it the adoption agency keeps the depth (a
	// copy of the element goes below the block), so nothing changes here;
	// without one, everything from it up is popped, but the formatting
	// elements among them are reopened at the next content.
	closeFormatting := func(name string) {
		blockAbove := false
		for i := len(stack) - 1; i >= 0 && i >= len(stack)-reach; i-- {
			switch {
			case stack[i].name == name:
				if blockAbove {
					return
				}
				above := slices.Clone(stack[i+1:])
				popFrom(i)
				for _, e := range above {
					if formatting[e.a] {
						push(e.name, e.a)
					}
				}
				return
			case defaultScope[stack[i].a]:
				return
			case special[stack[i].a]:
				blockAbove = true
			}
		}
	}
	// inSelect reports whether the current node is a select, or an option
	// or optgroup in one.
	inSelect := func() bool {
		for i := len(stack) - 1; i >= 0; i-- {
			switch stack[i].a {
			case atom.Option, atom.Optgroup:
				continue
			case atom.Select:
				return true
			}
			return false
		}
		return false
	}
	notSelectScope := func(a atom.Atom) bool { return a != atom.Option && a != atom.Optgroup }
	listStop := func(a atom.Atom) bool {
		return special[a] && a != atom.Address && a != atom.Div && a != atom.P
	}
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return elements, false
		case html.TextToken:
			// Copying runs about fifty times faster than the parser's
			// walks down the stack.
			textRun += len(z.Raw())
			if work += textRun / 64; work > budget {
				return elements, true
			}
		case html.CommentToken, html.DoctypeToken:
			if tt == html.CommentToken {
				elements++
			}
			textRun = 0
		case html.StartTagToken, html.SelfClosingTagToken:
			elements++
			if work += len(stack); work > budget {
				return elements, true
			}
			before := changes
			b, _ := z.TagName()
			name := string(b)
			a := atom.Lookup(b)
			if foreign := open["svg"] > 0 || open["math"] > 0; foreign && breakout[a] {
				// An HTML block in SVG or MathML ends the foreign content.
				closeTo(oneOf(atom.Svg, atom.Math), func(atom.Atom) bool { return false })
			} else if foreign || a == atom.Svg || a == atom.Math {
				// In foreign content <style>, <title>… are elements, not
				// raw text, and self-closing syntax closes.
				z.NextIsNotRawText()
				if tt == html.SelfClosingTagToken {
					textRun = 0
					continue
				}
			}
			if tableParts[a] && a != atom.Table && open["table"] == 0 {
				continue // ignored outside a table
			}
			if inSelect() {
				switch a {
				case atom.Option, atom.Optgroup:
					if top() == atom.Option {
						popFrom(len(stack) - 1)
					}
					if a == atom.Optgroup && top() == atom.Optgroup {
						popFrom(len(stack) - 1)
					}
					push(name, a)
				case atom.Select, atom.Input, atom.Keygen, atom.Textarea:
					// These close the select (a select is not nested).
					closeTo(oneOf(atom.Select), notSelectScope)
					if a == atom.Textarea {
						push(name, a)
					}
				case atom.Script, atom.Template:
					push(name, a)
				default:
					// Anything else in a select is ignored, and so is any
					// raw text it would start.
					z.NextIsNotRawText()
				}
				if changes != before {
					textRun = 0
				}
				continue
			}
			switch a {
			case atom.Html, atom.Head, atom.Body, atom.Form:
				if open[name] > 0 {
					continue
				}
			case atom.A, atom.Nobr:
				closeFormatting(name)
			case atom.Li:
				closeTo(oneOf(atom.Li), listStop)
			case atom.Dd, atom.Dt:
				closeTo(oneOf(atom.Dd, atom.Dt), listStop)
			case atom.Button:
				closeTo(oneOf(atom.Button), in(defaultScope))
			case atom.Rb, atom.Rtc, atom.Rp, atom.Rt:
				if find(oneOf(atom.Ruby), in(defaultScope)) >= 0 {
					for impliedEnd[top()] && !(top() == atom.Rtc && (a == atom.Rp || a == atom.Rt)) {
						popFrom(len(stack) - 1)
					}
				}
			case atom.Table:
				// A table directly in a table ends it.
				closeTo(oneOf(atom.Table), func(a atom.Atom) bool {
					return a == atom.Td || a == atom.Th || a == atom.Caption || defaultScope[a] && a != atom.Table
				})
			case atom.Caption, atom.Colgroup, atom.Tbody, atom.Thead, atom.Tfoot:
				closeTo(oneOf(atom.Caption, atom.Colgroup, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr, atom.Td, atom.Th), in(tableScope))
			case atom.Tr:
				closeTo(oneOf(atom.Tr), in(tableScope))
				if top() == atom.Table {
					push("tbody", atom.Tbody)
				}
			case atom.Td, atom.Th:
				closeTo(oneOf(atom.Td, atom.Th), func(a atom.Atom) bool { return a == atom.Tr || tableScope[a] })
				if top() == atom.Table {
					push("tbody", atom.Tbody)
				}
				if top() == atom.Tbody || top() == atom.Thead || top() == atom.Tfoot {
					push("tr", atom.Tr)
				}
			}
			if closesP[a] {
				closeTo(oneOf(atom.P), in(buttonScope))
			}
			if headings[a] && headings[top()] {
				popFrom(len(stack) - 1)
			}
			if voids[a] {
				changes++ // inserted and closed at once
			} else {
				push(name, a)
			}
			if changes != before {
				textRun = 0
			}
		case html.EndTagToken:
			if work += len(stack); work > budget {
				return elements, true
			}
			b, _ := z.TagName()
			name := string(b)
			a := atom.Lookup(b)
			if a == atom.P || a == atom.Br {
				textRun = 0 // a stray </p> or </br> makes an element
			}
			if open[name] == 0 {
				continue
			}
			before := changes
			switch {
			case formatting[a]:
				closeFormatting(name)
			case a == atom.Li:
				closeTo(named(name), func(a atom.Atom) bool { return defaultScope[a] || a == atom.Ul || a == atom.Ol })
			case a == atom.P:
				closeTo(named(name), in(buttonScope))
			case a == atom.Select:
				closeTo(named(name), notSelectScope)
			case tableParts[a]:
				closeTo(named(name), in(tableScope))
			case special[a]:
				closeTo(named(name), in(defaultScope))
			default:
				// An end tag that is no block's does not close one.
				closeTo(named(name), in(special))
			}
			if changes != before {
				textRun = 0
			}
		}
	}
}

// defaultScope are the elements that bound the parser's search for an
// element "in scope" (the HTML ones, and the MathML and SVG integration
// points, whose names are taken whatever their namespace).
var defaultScope = map[atom.Atom]bool{
	atom.Applet: true, atom.Caption: true, atom.Html: true, atom.Table: true,
	atom.Td: true, atom.Th: true, atom.Marquee: true, atom.Object: true,
	atom.Template: true, atom.Mi: true, atom.Mo: true, atom.Mn: true,
	atom.Ms: true, atom.Mtext: true, atom.AnnotationXml: true,
	atom.ForeignObject: true, atom.Desc: true, atom.Title: true,
}

// buttonScope is defaultScope and button: the bounds for an open p.
var buttonScope = func() map[atom.Atom]bool {
	m := maps.Clone(defaultScope)
	m[atom.Button] = true
	return m
}()

// tableScope bounds the search for table parts.
var tableScope = map[atom.Atom]bool{atom.Html: true, atom.Table: true, atom.Template: true}

// tableParts are the elements that only exist in a table, and whose end
// tags are looked for in tableScope.
var tableParts = map[atom.Atom]bool{
	atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tfoot: true,
	atom.Tr: true, atom.Td: true, atom.Th: true, atom.Caption: true,
	atom.Colgroup: true, atom.Col: true,
}

// breakout are the HTML start tags that end SVG or MathML content.
var breakout = map[atom.Atom]bool{
	atom.B: true, atom.Big: true, atom.Blockquote: true, atom.Body: true,
	atom.Br: true, atom.Center: true, atom.Code: true, atom.Dd: true,
	atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Em: true,
	atom.Embed: true, atom.H1: true, atom.H2: true, atom.H3: true,
	atom.H4: true, atom.H5: true, atom.H6: true, atom.Head: true,
	atom.Hr: true, atom.I: true, atom.Img: true, atom.Li: true,
	atom.Listing: true, atom.Menu: true, atom.Meta: true, atom.Nobr: true,
	atom.Ol: true, atom.P: true, atom.Pre: true, atom.Ruby: true,
	atom.S: true, atom.Small: true, atom.Span: true, atom.Strong: true,
	atom.Strike: true, atom.Sub: true, atom.Sup: true, atom.Table: true,
	atom.Tt: true, atom.U: true, atom.Ul: true, atom.Var: true,
}

// impliedEnd are the elements the parser closes when it "generates implied
// end tags".
var impliedEnd = map[atom.Atom]bool{
	atom.Dd: true, atom.Dt: true, atom.Li: true, atom.Optgroup: true,
	atom.Option: true, atom.P: true, atom.Rb: true, atom.Rp: true,
	atom.Rt: true, atom.Rtc: true,
}

// formatting are the elements the parser's adoption agency closes.
var formatting = map[atom.Atom]bool{
	atom.A: true, atom.B: true, atom.Big: true, atom.Code: true, atom.Em: true,
	atom.Font: true, atom.I: true, atom.Nobr: true, atom.S: true, atom.Small: true,
	atom.Strike: true, atom.Strong: true, atom.Tt: true, atom.U: true,
}

// special are the elements of the parser's "special" category (blocks,
// mostly), which stop the search for the element an end tag closes.
var special = map[atom.Atom]bool{
	atom.Address: true, atom.Applet: true, atom.Area: true, atom.Article: true,
	atom.Aside: true, atom.Base: true, atom.Basefont: true, atom.Bgsound: true,
	atom.Blockquote: true, atom.Body: true, atom.Br: true, atom.Button: true,
	atom.Caption: true, atom.Center: true, atom.Col: true, atom.Colgroup: true,
	atom.Dd: true, atom.Details: true, atom.Dir: true, atom.Div: true,
	atom.Dl: true, atom.Dt: true, atom.Embed: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.Footer: true, atom.Form: true,
	atom.Frame: true, atom.Frameset: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Head: true, atom.Header: true, atom.Hgroup: true, atom.Hr: true,
	atom.Html: true, atom.Iframe: true, atom.Img: true, atom.Input: true,
	atom.Keygen: true, atom.Li: true, atom.Link: true, atom.Listing: true,
	atom.Main: true, atom.Marquee: true, atom.Menu: true, atom.Meta: true,
	atom.Nav: true, atom.Noembed: true, atom.Noframes: true, atom.Noscript: true,
	atom.Object: true, atom.Ol: true, atom.P: true, atom.Param: true,
	atom.Plaintext: true, atom.Pre: true, atom.Script: true, atom.Search: true,
	atom.Section: true, atom.Select: true, atom.Source: true, atom.Style: true,
	atom.Summary: true, atom.Table: true, atom.Tbody: true, atom.Td: true,
	atom.Template: true, atom.Textarea: true, atom.Tfoot: true, atom.Th: true,
	atom.Thead: true, atom.Title: true, atom.Tr: true, atom.Track: true,
	atom.Ul: true, atom.Wbr: true, atom.Xmp: true,
	atom.Mi: true, atom.Mo: true, atom.Mn: true, atom.Ms: true, atom.Mtext: true,
	atom.AnnotationXml: true, atom.ForeignObject: true, atom.Desc: true,
}

// closesP are the start tags that close an open p.
var closesP = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Aside: true, atom.Blockquote: true,
	atom.Center: true, atom.Details: true, atom.Dialog: true, atom.Dir: true,
	atom.Div: true, atom.Dl: true, atom.Fieldset: true, atom.Figcaption: true,
	atom.Figure: true, atom.Footer: true, atom.Header: true, atom.Hgroup: true,
	atom.Main: true, atom.Menu: true, atom.Nav: true, atom.Ol: true,
	atom.Search: true, atom.Section: true, atom.Summary: true, atom.Ul: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true,
	atom.H6: true, atom.Pre: true, atom.Listing: true, atom.Form: true,
	atom.Li: true, atom.Dd: true, atom.Dt: true, atom.Plaintext: true,
	atom.Table: true, atom.Hr: true, atom.Xmp: true, atom.P: true,
}

var headings = map[atom.Atom]bool{
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
}

var voids = map[atom.Atom]bool{
	atom.Area: true, atom.Base: true, atom.Br: true, atom.Col: true,
	atom.Embed: true, atom.Hr: true, atom.Img: true, atom.Input: true,
	atom.Keygen: true, atom.Link: true, atom.Meta: true, atom.Param: true,
	atom.Source: true, atom.Track: true, atom.Wbr: true, atom.Basefont: true,
	atom.Bgsound: true, atom.Frame: true, atom.Image: true,
}

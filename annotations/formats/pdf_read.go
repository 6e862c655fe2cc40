package formats

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats/pdf"
)

// A PDF article is its text layer: PDFium's characters of each page in
// reading order, made into paragraphs (lines joined by a space, a blank
// line between paragraphs and between pages), line-end hyphens joined,
// ligatures as letters, NFC. Beside the text the article keeps the PDF
// and a page layout with one box per rune, so that a highlight on the
// text has its place on the page. No OCR: a PDF of scanned pages with no
// text layer is added with a text that says so (see ScannedPDFText).

// readPDF reads a PDF's text layer into a Document.
func readPDF(shown string, data []byte) (Document, error) {
	engine, err := pdf.Shared()
	if err != nil {
		return Document{}, refuse(ErrUnsupported, "%s could not be read: %v", shown, err)
	}
	doc, err := engine.Open(data)
	switch {
	case errors.Is(err, pdf.ErrEncrypted):
		return Document{}, refuse(ErrPDF, "%s is protected by a password; save an unprotected copy (most PDF readers can) and add that", shown)
	case errors.Is(err, pdf.ErrTimeout):
		return Document{}, refuse(ErrPDF, "%s took too long to read; it may be damaged", shown)
	case err != nil:
		return Document{}, refuse(ErrPDF, "%s is a damaged or unreadable PDF", shown)
	}
	defer doc.Close()
	sizes := doc.Pages()
	pages := make([][]pdf.Char, len(sizes))
	for i := range sizes {
		if pages[i], err = doc.Chars(i); err != nil {
			if errors.Is(err, pdf.ErrTimeout) {
				return Document{}, refuse(ErrPDF, "%s took too long to read (page %d); it may be damaged", shown, i+1)
			}
			return Document{}, refuse(ErrPDF, "%s: page %d could not be read", shown, i+1)
		}
	}
	text, layout, title := pdfText(pages, sizes)
	if strings.TrimSpace(text) == "" {
		if len(sizes) == 0 {
			return Document{}, refuse(ErrPDF, "%s has no pages", shown)
		}
		// Scanned pages: the PDF is added and its pages shown; its text
		// says why nothing can be selected, and names the file by its
		// hash so that two scans are never taken for one article.
		text = ScannedPDFText(data)
		layout = annotations.PageLayout{Boxes: make([]annotations.Box, utf8.RuneCountInString(text)), Pages: layout.Pages}
		for i := range layout.Pages {
			layout.Pages[i].Start, layout.Pages[i].End = 0, 0
		}
		title = ""
	}
	if err := checkTextSize(shown, text); err != nil {
		return Document{}, err
	}
	if meta := pdfMetaTitle(doc.Meta("Title")); meta != "" {
		title = meta
	}
	out := Document{Format: annotations.FormatPDF, Text: text, Title: cleanTitle(title), File: data, Layout: &layout}
	if ms, err := doc.Markups(); err == nil {
		out.Highlights = markupsOnText(ms, &layout, []rune(text))
	}
	if author := doc.Meta("Author"); author != "" {
		var authors []string
		for _, a := range strings.FieldsFunc(author, func(r rune) bool { return r == ';' || r == ',' && strings.Contains(author, ";") }) {
			if a = cleanTitle(a); a != "" {
				authors = append(authors, a)
			}
		}
		out.Citation.Authors = authors
	}
	return out, nil
}

// ScannedPDFText is the text of a PDF with no text layer (scanned
// pages): what to do about it, and the file's hash.
func ScannedPDFText(data []byte) string {
	sum := sha256.Sum256(data)
	return "This PDF has no text layer: its pages are images, perhaps scanned. Gloss shows the pages, but highlights and notes need text: run OCR on the file (for example ocrmypdf) and add it again.\n\nsha256:" + hex.EncodeToString(sum[:])
}

// HasTextLayer reports whether a PDF article's layout places any text.
func HasTextLayer(l *annotations.PageLayout) bool {
	for _, b := range l.Boxes {
		if !b.Empty() {
			return true
		}
	}
	return false
}

// pdfMetaTitle is the document's Title field when it names the paper: not
// empty, not a file name or the word processor's "Microsoft Word - x.doc".
func pdfMetaTitle(t string) string {
	t = cleanTitle(t)
	lower := strings.ToLower(t)
	for _, ext := range []string{".pdf", ".doc", ".docx", ".dvi", ".tex", ".odt", ".ps", ".indd"} {
		if strings.HasSuffix(lower, ext) {
			return ""
		}
	}
	if strings.HasPrefix(lower, "microsoft word") || lower == "untitled" || utf8.RuneCountInString(t) < 3 {
		return ""
	}
	return t
}

// pdfLine is one line of a page as PDFium reads it.
type pdfLine struct {
	runes []rune
	boxes []annotations.Box
	size  float32 // the commonest type size on it (box height)
	// hyphen: the line ended in a line-end hyphen (at hyphenBox).
	hyphen    bool
	hyphenBox annotations.Box
	box       annotations.Box // all its printed characters
}

func (l *pdfLine) add(r rune, b annotations.Box) {
	l.runes = append(l.runes, r)
	l.boxes = append(l.boxes, b)
	if !b.Empty() {
		if l.box.Empty() {
			l.box = b
		} else {
			l.box = union(l.box, b)
		}
	}
}

func union(a, b annotations.Box) annotations.Box {
	if a.Empty() {
		return b
	}
	if b.Empty() {
		return a
	}
	return annotations.Box{X0: min(a.X0, b.X0), Y0: min(a.Y0, b.Y0), X1: max(a.X1, b.X1), Y1: max(a.Y1, b.Y1)}
}

// ligatures are the Latin ligature characters PDFium passes on when a
// font maps a glyph to them: written as their letters.
var ligatures = map[rune]string{'ﬀ': "ff", 'ﬁ': "fi", 'ﬂ': "fl", 'ﬃ': "ffi", 'ﬄ': "ffl", 'ﬅ': "st", 'ﬆ': "st"}

// pdfLines splits a page's characters into lines.
func pdfLines(chars []pdf.Char) []pdfLine {
	var lines []pdfLine
	var cur pdfLine
	var sizes []float32
	end := func() {
		trimLine(&cur)
		if len(cur.runes) > 0 || cur.hyphen {
			cur.size = commonest(sizes)
			lines = append(lines, cur)
		}
		cur, sizes = pdfLine{}, sizes[:0]
	}
	for _, c := range chars {
		b := annotations.Box{X0: c.X0, Y0: c.Y0, X1: c.X1, Y1: c.Y1}
		if !finiteBox(b) {
			b = annotations.Box{} // a damaged file's glyph: placed nowhere
		}
		switch r := c.R; {
		case r == '\r':
		case r == '\n':
			end()
		case r == 0x02 || r == 0xFFFE:
			cur.hyphen, cur.hyphenBox = true, b
			end()
		case unicode.IsSpace(r):
			cur.add(' ', annotations.Box{})
		case r == 0 || r < 0x20 || r == 0x7f || r >= 0xFFF0 && r <= 0xFFFF || !utf8.ValidRune(r):
			// No known character: left out, as PDF readers copy it.
		case ligatures[r] != "":
			letters := []rune(ligatures[r])
			w := (b.X1 - b.X0) / float32(len(letters))
			for i, l := range letters {
				x := b.X0 + w*float32(i)
				cur.add(l, annotations.Box{X0: x, Y0: b.Y0, X1: x + w, Y1: b.Y1})
			}
		default:
			cur.add(r, b)
			if !b.Empty() {
				// A loose box is as tall as the type is large.
				sizes = append(sizes, b.Y1-b.Y0)
			}
		}
	}
	end()
	return lines
}

// finiteBox reports whether a box is on a page at all: finite, and
// within a million points.
func finiteBox(b annotations.Box) bool {
	for _, f := range [4]float32{b.X0, b.Y0, b.X1, b.Y1} {
		if !(math.Abs(float64(f)) <= 1e6) {
			return false
		}
	}
	return true
}

// trimLine drops spaces at the ends of a line and runs of spaces in it.
func trimLine(l *pdfLine) {
	var rs []rune
	var bs []annotations.Box
	for i, r := range l.runes {
		if r == ' ' && (len(rs) == 0 || rs[len(rs)-1] == ' ') {
			continue
		}
		rs, bs = append(rs, r), append(bs, l.boxes[i])
	}
	for len(rs) > 0 && rs[len(rs)-1] == ' ' {
		rs, bs = rs[:len(rs)-1], bs[:len(bs)-1]
	}
	l.runes, l.boxes = rs, bs
}

// commonest returns the most frequent of sizes (rounded to a tenth of a
// point), 0 for none.
func commonest(sizes []float32) float32 {
	count := map[float32]int{}
	var best float32
	for _, s := range sizes {
		s = float32(math.Round(float64(s)*10) / 10)
		count[s]++
		if count[s] > count[best] || count[s] == count[best] && s > best {
			best = s
		}
	}
	return best
}

// pdfText makes the article text and its page layout from the pages'
// characters, and a title from the largest type near the top of the
// first page.
func pdfText(pages [][]pdf.Char, sizes []pdf.Size) (string, annotations.PageLayout, string) {
	all := make([][]pdfLine, len(pages))
	for i, chars := range pages {
		all[i] = pdfLines(chars)
	}
	words := hyphenatedWords(all)
	var runes []rune
	var boxes []annotations.Box
	var pageOf []int // per rune, its page, or -1 between pages
	put := func(r rune, b annotations.Box, page int) {
		runes, boxes, pageOf = append(runes, r), append(boxes, b), append(pageOf, page)
	}
	for p, lines := range all {
		if p > 0 && len(runes) > 0 && len(lines) > 0 {
			put('\n', annotations.Box{}, -1)
			put('\n', annotations.Box{}, -1)
		}
		pitch := linePitch(lines)
		for i, l := range lines {
			if i > 0 {
				prev := lines[i-1]
				switch {
				case prev.hyphen:
					if keepHyphen(prev, l, words) {
						put('-', prev.hyphenBox, p)
					}
				case paragraphBreak(lines, i, pitch):
					put('\n', annotations.Box{}, p)
					put('\n', annotations.Box{}, p)
				default:
					put(' ', annotations.Box{}, p)
				}
			}
			for j, r := range l.runes {
				put(r, l.boxes[j], p)
			}
			if l.hyphen && i == len(lines)-1 {
				put('-', l.hyphenBox, p) // the page ends mid-word: kept as printed
			}
		}
	}
	runes, boxes, pageOf = nfcRunes(runes, boxes, pageOf)
	layout := annotations.PageLayout{Boxes: boxes, Pages: make([]annotations.Page, len(sizes))}
	first, last := make([]int, len(sizes)), make([]int, len(sizes))
	for p := range first {
		first[p] = -1
	}
	for i, p := range pageOf {
		if p >= 0 {
			if first[p] < 0 {
				first[p] = i
			}
			last[p] = i
		}
	}
	end := 0
	for p := range sizes {
		start := end // a page without text sits where the one before ended
		if first[p] >= 0 {
			start, end = first[p], last[p]+1
		}
		layout.Pages[p] = annotations.Page{Start: start, End: end, Width: float32(sizes[p].Width), Height: float32(sizes[p].Height)}
	}
	return string(runes), layout, firstPageTitle(all)
}

// nfcRunes puts the runes in NFC, each composed rune taking the union of
// the boxes of the runes it was made from.
func nfcRunes(runes []rune, boxes []annotations.Box, pageOf []int) ([]rune, []annotations.Box, []int) {
	text := string(runes)
	if norm.NFC.IsNormalString(text) {
		return runes, boxes, pageOf
	}
	// Byte offset → rune index of the input.
	at := make([]int, 0, len(text)+1)
	for i, r := range runes {
		for range utf8.RuneLen(r) {
			at = append(at, i)
		}
	}
	at = append(at, len(runes))
	var outR []rune
	var outB []annotations.Box
	var outP []int
	var it norm.Iter
	it.InitString(norm.NFC, text)
	for !it.Done() {
		from := at[it.Pos()]
		seg := it.Next()
		to := at[it.Pos()]
		var b annotations.Box
		for i := from; i < to; i++ {
			b = union(b, boxes[i])
		}
		for _, r := range string(seg) {
			outR, outB, outP = append(outR, r), append(outB, b), append(outP, pageOf[from])
		}
	}
	return outR, outB, outP
}

// linePitch is the usual distance between the baselines of lines that
// follow each other down a page.
func linePitch(lines []pdfLine) float32 {
	var gaps []float32
	for i := 1; i < len(lines); i++ {
		if g := lines[i-1].box.Y0 - lines[i].box.Y0; g > 0 && !lines[i].box.Empty() && !lines[i-1].box.Empty() {
			gaps = append(gaps, g)
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[len(gaps)/2]
}

// paragraphBreak reports whether line i starts a new paragraph: after a
// wider gap than the page's usual one, in another type size, or after a
// line that stops well short of its column's right edge. A line higher up
// the page than the one before starts a column and goes on its
// paragraph.
func paragraphBreak(lines []pdfLine, i int, pitch float32) bool {
	prev, l := lines[i-1], lines[i]
	if prev.box.Empty() || l.box.Empty() {
		return true
	}
	if prev.size > 0 && l.size > 0 && math.Abs(float64(prev.size-l.size)) > 0.12*float64(max(prev.size, l.size)) {
		return true
	}
	if gap := prev.box.Y0 - l.box.Y0; pitch > 0 && gap > 1.6*pitch {
		return true
	}
	// The right edge of prev's column: the furthest any line starting
	// where it starts reaches.
	right := prev.box.X1
	for _, o := range lines {
		if !o.box.Empty() && math.Abs(float64(o.box.X0-prev.box.X0)) < 20 {
			right = max(right, o.box.X1)
		}
	}
	width := right - prev.box.X0
	return width > 0 && prev.box.X1 < right-0.15*width
}

// hyphenatedWords collects the document's words that are written with a
// hyphen inside a line ("inter-annotator"), lower-cased.
func hyphenatedWords(pages [][]pdfLine) map[string]bool {
	words := map[string]bool{}
	for _, lines := range pages {
		for _, l := range lines {
			for _, w := range strings.Fields(string(l.runes)) {
				w = strings.ToLower(strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }))
				if strings.Contains(w, "-") {
					words[w] = true
				}
			}
		}
	}
	return words
}

// keepHyphen decides a line-end hyphen between two lines: a hyphen the
// word has where it is written whole elsewhere in the document stays
// ("fine-grained"); otherwise it was put there to break the word and
// goes ("inter-" "esting").
func keepHyphen(prev, next pdfLine, hyphenated map[string]bool) bool {
	last := lastWord(prev.runes)
	first := firstWord(next.runes)
	if last == "" || first == "" {
		return true
	}
	return hyphenated[strings.ToLower(last+"-"+first)]
}

func lastWord(rs []rune) string {
	i := len(rs)
	for i > 0 && (unicode.IsLetter(rs[i-1]) || unicode.IsDigit(rs[i-1]) || rs[i-1] == '-') {
		i--
	}
	return string(rs[i:])
}

func firstWord(rs []rune) string {
	i := 0
	for i < len(rs) && (unicode.IsLetter(rs[i]) || unicode.IsDigit(rs[i]) || rs[i] == '-') {
		i++
	}
	return string(rs[:i])
}

// firstPageTitle is the text in the largest type in the top half of the
// first page with text, its lines joined.
func firstPageTitle(pages [][]pdfLine) string {
	for _, lines := range pages {
		if len(lines) == 0 {
			continue
		}
		top := lines[0].box.Y1
		for _, l := range lines {
			top = max(top, l.box.Y1)
		}
		var best float32
		for _, l := range lines {
			if l.box.Y1 > top/2 && l.size > best && len(strings.TrimSpace(string(l.runes))) > 2 {
				best = l.size
			}
		}
		var parts []string
		for i, l := range lines {
			if l.size == best && l.box.Y1 > top/2 {
				parts = append(parts, string(l.runes))
				if i+1 < len(lines) && lines[i+1].size != best {
					break
				}
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

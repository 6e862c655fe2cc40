package formats

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/atom"

	"github.com/gloss-notes/gloss/annotations"
)

// EPUB books are read with archive/zip and encoding/xml, and each chapter
// with the HTML reader: container.xml names the package document (OPF),
// whose spine lists the chapters in reading order. A chapter is read whole
// (it is all text: readability would drop parts of it), and the book
// becomes one article, its chapters separated by blank lines. The
// pictures the chapters show (PNG, JPEG or GIF) are kept with it, within
// the limits of images.go. Nothing is fetched and nothing outside the
// archive is read.
//
// Limits, against damaged and hostile files: at most epubMaxEntries
// entries; no entry is read past epubMaxEntry bytes, whatever its header
// claims (a zip bomb stops there), the chapters together past
// epubMaxUnpacked bytes, nor their text past MaxArticleSize; each chapter
// is read once however often the spine names it; a path that leaves the archive ("../", an
// absolute path) is refused. A book with DRM (META-INF/encryption.xml
// naming content other than obfuscated fonts, or an Adobe rights.xml) is
// refused: its chapters cannot be read.
const (
	epubMaxEntries  = 10_000
	epubMaxEntry    = 64 << 20
	epubMaxUnpacked = 2 * MaxArticleSize
	epubMaxXML      = 4 << 20
)

// fontObfuscation are the EncryptedData algorithms that only hide fonts
// (IDPF and Adobe font mangling): a book using them is readable.
var fontObfuscation = map[string]bool{
	"http://www.idpf.org/2008/embedding": true,
	"http://ns.adobe.com/pdf/enc#RC":     true,
}

// isEPUB reports whether data is an EPUB: a ZIP whose first entry is the
// stored "mimetype" file saying application/epub+zip.
func isEPUB(data []byte) bool {
	return bytes.HasPrefix(data, []byte("PK\x03\x04")) && len(data) > 58 &&
		string(data[30:38]) == "mimetype" && bytes.HasPrefix(data[38:], []byte("application/epub+zip"))
}

// epubBook is an open EPUB archive.
type epubBook struct {
	shown string
	files map[string]*zip.File
}

func readEPUB(shown string, data []byte) (Document, error) {
	damaged := func(why string, args ...any) error {
		return refuse(ErrUnsupported, "%s is an EPUB that cannot be read (%s)", shown, fmt.Sprintf(why, args...))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return Document{}, damaged("%v", err)
	}
	if len(zr.File) > epubMaxEntries {
		return Document{}, damaged("it holds %d files, more than %d", len(zr.File), epubMaxEntries)
	}
	b := &epubBook{shown: shown, files: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		b.files[f.Name] = f
	}
	if err := b.checkDRM(); err != nil {
		return Document{}, err
	}
	var container struct {
		Rootfiles []struct {
			Path string `xml:"full-path,attr"`
			Type string `xml:"media-type,attr"`
		} `xml:"rootfiles>rootfile"`
	}
	if err := b.readXML("META-INF/container.xml", &container); err != nil {
		return Document{}, damaged("%v", err)
	}
	opfPath := ""
	for _, r := range container.Rootfiles {
		if opfPath == "" || r.Type == "application/oebps-package+xml" {
			opfPath = r.Path
		}
	}
	if opfPath == "" {
		return Document{}, damaged("META-INF/container.xml names no package document")
	}
	if opfPath, err = archivePath("", opfPath); err != nil {
		return Document{}, damaged("%v", err)
	}
	var opf struct {
		Title    []string `xml:"metadata>title"`
		Creators []string `xml:"metadata>creator"`
		Dates    []string `xml:"metadata>date"`
		IDs      []string `xml:"metadata>identifier"`
		Items    []struct {
			ID         string `xml:"id,attr"`
			Href       string `xml:"href,attr"`
			Type       string `xml:"media-type,attr"`
			Properties string `xml:"properties,attr"`
		} `xml:"manifest>item"`
		Spine []struct {
			IDRef  string `xml:"idref,attr"`
			Linear string `xml:"linear,attr"`
		} `xml:"spine>itemref"`
	}
	if err := b.readXML(opfPath, &opf); err != nil {
		return Document{}, damaged("%v", err)
	}
	type item struct{ href, typ, props string }
	manifest := map[string]item{}
	for _, it := range opf.Items {
		manifest[it.ID] = item{it.Href, it.Type, it.Properties}
	}
	// The chapters, in reading order, each once; what their headers say
	// they unpack to is checked before any is read (a header may lie: the
	// reading is bounded too).
	var chapters []string
	read := map[string]bool{}
	claimed := uint64(0)
	for _, ref := range opf.Spine {
		it, ok := manifest[ref.IDRef]
		if !ok || read[ref.IDRef] || ref.Linear == "no" || strings.Contains(" "+it.props+" ", " nav ") {
			continue
		}
		read[ref.IDRef] = true
		if it.typ != "application/xhtml+xml" && it.typ != "text/html" {
			continue
		}
		name, err := archivePath(path.Dir(opfPath), it.href)
		if err != nil {
			return Document{}, damaged("%v", err)
		}
		if f, ok := b.files[name]; ok {
			claimed += f.UncompressedSize64
		}
		chapters = append(chapters, name)
	}
	if claimed > epubMaxUnpacked {
		return Document{}, damaged("its chapters unpack to more than %d MB", epubMaxUnpacked>>20)
	}
	var text strings.Builder
	// The book's structure: each chapter's, moved to where the chapter
	// is in the book (runes counts the runes written so far), and a
	// chapter block over each. nil once it would hold more than a
	// structure may.
	structure := &annotations.Structure{}
	// The pictures the chapters show, read from the archive as each
	// chapter is (see keepImages).
	pictures := newImageKeeper(nil, maxImageBytesPerArticle)
	runes := 0
	firstHeading := ""
	unpacked := int64(0) // bytes unpacked so far
	for _, name := range chapters {
		page, err := b.read(name, min(epubMaxEntry, epubMaxUnpacked-unpacked))
		if err != nil {
			if unpacked+epubMaxEntry > epubMaxUnpacked {
				return Document{}, damaged("its chapters unpack to more than %d MB", epubMaxUnpacked>>20)
			}
			return Document{}, damaged("%v", err)
		}
		unpacked += int64(len(page))
		chapter, chapterStructure, heading, err := readChapter(shown, name, string(page))
		if err != nil {
			return Document{}, err
		}
		if firstHeading == "" {
			firstHeading = heading
		}
		if strings.TrimSpace(chapter) == "" {
			continue
		}
		if structure != nil {
			b.keepImages(pictures, chapterStructure, name)
		}
		if text.Len() > 0 {
			text.WriteString("\n\n")
			runes += 2
		}
		text.WriteString(chapter)
		n := utf8.RuneCountInString(chapter)
		structure = addChapter(structure, chapterStructure, runes, n)
		runes += n
		if text.Len() > MaxArticleSize {
			return Document{}, tooLarge(shown+"'s text", int64(text.Len()))
		}
	}
	doc := Document{Format: annotations.FormatEPUB, Text: cleanText(text.String())}
	// The chapters are clean already, and so is the book made of them but
	// for oddities (a chapter starting with a byte order mark): then the
	// offsets would not fit, and there is no structure.
	if structure != nil && doc.Text == text.String() {
		doc.Structure = finishStructure(structure, runes)
	}
	doc.Images = keptImages(doc.Structure, pictures.images)
	doc.Title = cleanTitle(firstOf(opf.Title))
	if doc.Title == "" {
		doc.Title = cleanTitle(firstHeading)
	}
	for _, c := range opf.Creators {
		if c = strings.Join(strings.Fields(c), " "); c != "" && len(doc.Citation.Authors) < 50 {
			doc.Citation.Authors = append(doc.Citation.Authors, c)
		}
	}
	if d := firstOf(opf.Dates); len(d) >= 4 {
		if y, err := strconv.Atoi(d[:4]); err == nil && y > 0 {
			doc.Citation.Year = y
		}
	}
	for _, id := range opf.IDs {
		if doi := annotations.NormalizeDOI(id); doi != "" {
			doc.Citation.DOI = doi
			break
		}
	}
	return doc, nil
}

// readChapter reads one chapter's XHTML whole: its text, the text's
// structure and its first heading.
func readChapter(shown, name, page string) (text string, structure *annotations.Structure, heading string, err error) {
	where := shown + " (" + name + ")"
	elements, costly := scanPage(page, maxParseWork)
	if elements > maxHTMLElements {
		return "", nil, "", tooManyElements(where, elements)
	}
	if costly {
		return "", nil, "", tooConvoluted(where)
	}
	root, err := parseHTML(page)
	if err != nil {
		return "", nil, "", tooConvoluted(where)
	}
	heading = textOf(findElement(root, atom.H1))
	if heading == "" {
		heading = textOf(findElement(root, atom.H2))
	}
	body := findElement(root, atom.Body)
	if body == nil {
		body = root
	}
	text, structure = textAndStructure(body)
	return text, structure, heading, nil
}

// addChapter adds to the book's structure a chapter of n runes starting
// at rune start: a chapter block over it and the chapter's own structure
// (nil for none) moved there. The book's structure becomes nil once it
// would hold more entries than a structure may, and stays so.
func addChapter(book, chapter *annotations.Structure, start, n int) *annotations.Structure {
	if book == nil {
		return nil
	}
	entries := len(book.Blocks) + len(book.Spans) + 1
	if chapter != nil {
		entries += len(chapter.Blocks) + len(chapter.Spans)
	}
	if entries > annotations.MaxStructureEntries {
		return nil
	}
	book.Blocks = append(book.Blocks, annotations.Block{Kind: annotations.BlockChapter, Level: 1, Start: start, End: start + n})
	if chapter == nil {
		return book
	}
	for _, b := range chapter.Blocks {
		b.Start, b.End = b.Start+start, b.End+start
		book.Blocks = append(book.Blocks, b)
	}
	for _, s := range chapter.Spans {
		s.Start, s.End = s.Start+start, s.End+start
		book.Spans = append(book.Spans, s)
	}
	return book
}

// keepImages gives the image spans of a chapter (the entry name) the
// pictures they show, read from the archive: an image's address is
// relative to its chapter, and one that leaves the archive, or is not
// there, is skipped, as is an SVG picture (not kept: a picture may not
// be a program or a document).
func (b *epubBook) keepImages(k *imageKeeper, s *annotations.Structure, chapter string) {
	dir := path.Dir(chapter)
	k.keepImages(s, func(href string) string {
		name, err := archivePath(dir, href)
		if err != nil || strings.Contains(name, "?") {
			return ""
		}
		if ext := strings.ToLower(path.Ext(name)); ext == ".svg" || ext == ".svgz" {
			return ""
		}
		if _, ok := b.files[name]; !ok {
			return ""
		}
		return name
	}, func(name string, limit int64) ([]byte, error) {
		data, err := b.read(name, limit)
		if err != nil && b.files[name].UncompressedSize64 <= uint64(limit) {
			// It was unpacked, up to the limit, before it failed: that
			// counts against the book's budget as a picture would.
			k.read += limit
		}
		return data, err
	})
}

// checkDRM refuses a book whose content is encrypted.
func (b *epubBook) checkDRM() error {
	drm := refuse(ErrUnsupported, "%s is an EPUB with DRM (its chapters are encrypted); Gloss can read only books without DRM", b.shown)
	if _, ok := b.files["META-INF/rights.xml"]; ok {
		return drm
	}
	if _, ok := b.files["META-INF/encryption.xml"]; !ok {
		return nil
	}
	var enc struct {
		Data []struct {
			Method struct {
				Algorithm string `xml:"Algorithm,attr"`
			} `xml:"EncryptionMethod"`
		} `xml:"EncryptedData"`
	}
	if err := b.readXML("META-INF/encryption.xml", &enc); err != nil {
		return drm
	}
	for _, d := range enc.Data {
		if !fontObfuscation[d.Method.Algorithm] {
			return drm
		}
	}
	return nil
}

// read reads one entry, at most limit bytes of it.
func (b *epubBook) read(name string, limit int64) ([]byte, error) {
	f, ok := b.files[name]
	if !ok {
		return nil, fmt.Errorf("%s is missing", annotations.QuoteInput(name))
	}
	if f.UncompressedSize64 > uint64(limit) {
		return nil, fmt.Errorf("%s is larger than %d MB", annotations.QuoteInput(name), limit>>20)
	}
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %v", annotations.QuoteInput(name), err)
	}
	defer r.Close()
	// The header's size may lie: the reading stops at the limit anyway.
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %v", annotations.QuoteInput(name), err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d MB", annotations.QuoteInput(name), limit>>20)
	}
	return data, nil
}

// readXML reads and decodes one XML entry.
func (b *epubBook) readXML(name string, v any) error {
	data, err := b.read(name, epubMaxXML)
	if err != nil {
		return err
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = false
	dec.CharsetReader = func(charset string, r io.Reader) (io.Reader, error) {
		if strings.EqualFold(charset, "utf-8") || strings.EqualFold(charset, "us-ascii") {
			return r, nil
		}
		return nil, fmt.Errorf("encoding %s", annotations.QuoteInput(charset))
	}
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %v", annotations.QuoteInput(name), err)
	}
	return nil
}

// archivePath resolves href (URL-encoded, relative to the folder dir of
// the archive) to an entry name, refusing one that leaves the archive.
func archivePath(dir, href string) (string, error) {
	href, _, _ = strings.Cut(href, "#")
	p, err := url.PathUnescape(href)
	if err != nil || p == "" || !utf8.ValidString(p) {
		return "", fmt.Errorf("a bad path %s", annotations.QuoteInput(href))
	}
	if strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.Contains(p, ":") {
		return "", fmt.Errorf("a path outside the book: %s", annotations.QuoteInput(p))
	}
	full := path.Join(dir, p)
	if full == ".." || strings.HasPrefix(full, "../") || full == "." {
		return "", fmt.Errorf("a path outside the book: %s", annotations.QuoteInput(p))
	}
	return full, nil
}

func firstOf(s []string) string {
	for _, v := range s {
		if v = strings.TrimSpace(v); v != "" {
			return v
		}
	}
	return ""
}

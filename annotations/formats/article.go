package formats

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// MaxArticleSize is the largest article file accepted (50 MiB; messages
// call it 50 MB, as file managers do): the library's limit on an article's
// text, annotations.MaxTextSize.
const MaxArticleSize = annotations.MaxTextSize

// maxTitleRunes is how long a title may be before it is cut on a word
// boundary and ends with "…".
const maxTitleRunes = 120

// Document is an article read from a file, ready for the library.
type Document struct {
	Title  string             // one line, never empty (the file name at worst)
	Format annotations.Format // FormatText, FormatMarkdown, FormatHTML or FormatEPUB
	Text   string             // normalised (see the package comment), never empty
	// Citation is what the file says of its authors, year, DOI and
	// address (see citation.go); often nothing.
	Citation annotations.Citation
	// File and Layout, for a PDF, are its bytes and where the text is on
	// its pages.
	File   []byte
	Layout *annotations.PageLayout
	// Highlights are those another reader saved in a PDF, placed on
	// the text (see PDFAnnotations).
	Highlights []PDFHighlight
	// Structure is how the text was set out (headings, lists, emphasis,
	// links…) for HTML, Markdown and EPUB articles; nil for text files,
	// PDFs, or when it could not be kept exactly over the text.
	Structure *annotations.Structure
	// Images are the pictures that came with the article (an e-book's,
	// a local HTML or Markdown file's, a web page's when asked), by
	// annotations.ImageKey; the structure's image spans name them, and
	// each passed annotations.CheckImage. nil for none.
	Images map[string][]byte
}

// NewArticle is what the library is given to add the document, source
// being the file path or URL it came from.
func (d Document) NewArticle(source string) annotations.NewArticle {
	return annotations.NewArticle{Title: d.Title, Source: source, Format: d.Format, Text: d.Text, Citation: d.Citation, File: d.File, Layout: d.Layout, Structure: d.Structure, Images: d.Images}
}

// ErrEmpty is returned when an article file is empty, holds only white
// space, or (for HTML) has no readable text.
var ErrEmpty = errors.New("article has no text")

// ErrTooLarge is returned when an article file is larger than
// MaxArticleSize, an HTML page has more than 500,000 elements, or a
// template file is larger than MaxTemplateSize.
var ErrTooLarge = errors.New("article file too large")

// ErrBinary is returned when a file is not text (it holds NUL bytes or many
// control characters) and is of no kind Gloss recognises.
var ErrBinary = errors.New("not a text file")

// ErrPDF is returned when an article file is a PDF (whatever its name)
// that cannot be read: damaged, protected by a password, too slow to read,
// or without a text layer (scanned pages).
var ErrPDF = errors.New("article file is a PDF")

// ErrUnsupported is returned when a file is of a kind Gloss recognises but
// does not read as an article (an image, an archive, a Word document or an
// e-book, found by its magic bytes), when it is a folder, a named pipe, a
// device or a socket, or when its HTML is so deeply nested or broken that
// parsing it would take minutes.
var ErrUnsupported = errors.New("unsupported article file")

// ErrEncoding is returned when a file is not valid UTF-8 and no encoding it
// could be in decodes it cleanly, or when it is UTF-8 with invalid bytes
// in it (see brokenUTF8).
var ErrEncoding = errors.New("unrecognised text encoding")

// articleError is a refusal: a one-line message for the user that wraps one
// of the sentinel errors. The sentinel is not repeated in the message, which
// would only make the line longer.
type articleError struct {
	msg  string
	kind error
}

func (e *articleError) Error() string { return e.msg }
func (e *articleError) Unwrap() error { return e.kind }

func refuse(kind error, format string, args ...any) error {
	return &articleError{msg: fmt.Sprintf(format, args...), kind: kind}
}

// ReadArticle reads an article file's bytes. name is the file name or path:
// its extension picks the format (.txt and .text are text, .md and
// .markdown Markdown, .html, .htm and .xhtml HTML) and it names the file in
// error messages; other or no extensions are sniffed (HTML, else text).
func ReadArticle(name string, data []byte) (Document, error) {
	shown := displayName(name)
	if len(data) > MaxArticleSize {
		return Document{}, tooLarge(shown, int64(len(data)))
	}
	if len(data) == 0 {
		return Document{}, refuse(ErrEmpty, "%s is empty; choose a file that holds the article's text", shown)
	}
	if isPDF(data) {
		doc, err := readPDF(shown, data)
		if err != nil {
			return Document{}, err
		}
		if doc.Title == "" {
			doc.Title = cmp.Or(cleanTitle(nameTitle(name)), "Untitled")
		}
		return doc, nil
	}
	if isEPUB(data) {
		doc, err := readEPUB(shown, data)
		if err != nil {
			return Document{}, err
		}
		if doc.Text == "" {
			return Document{}, refuse(ErrEmpty, "%s has no readable text in its chapters", shown)
		}
		if err := checkTextSize(shown, doc.Text); err != nil {
			return Document{}, err
		}
		if doc.Title == "" {
			doc.Title = cmp.Or(cleanTitle(nameTitle(name)), "Untitled")
		}
		return doc, nil
	}
	if kind, ok := knownBinary(data); ok {
		return Document{}, refuse(ErrUnsupported, "%s is not a text file (it is %s); %s", shown, kind.what, kind.advice)
	}

	format, byName := formatFromName(name)
	text, hadBOM, err := decodeBOM(data)
	if err != nil {
		return Document{}, refuse(ErrEncoding, "%s is marked as Unicode text (it starts with a byte order mark) but is not valid in that encoding; save it as UTF-8 and try again", shown)
	}
	raw := data
	if hadBOM {
		raw = []byte(text)
	}
	if why := binaryReason(raw); why != "" {
		return Document{}, refuse(ErrBinary, "%s is not a text file (it %s); Gloss reads text, Markdown, HTML, EPUB and PDF articles", shown, why)
	}
	if !byName {
		format = annotations.FormatText
		if looksLikeHTML(raw) {
			format = annotations.FormatHTML
		}
	}
	if !hadBOM {
		if at, broken := brokenUTF8(data); broken {
			line, col := lineColumn(data, int64(at))
			return Document{}, refuse(ErrEncoding, "%s is UTF-8 with invalid bytes in it (the first on line %d, column %d); it may be damaged, or mix two encodings: save it as UTF-8 again", shown, line, col)
		}
		var ok bool
		if format == annotations.FormatHTML {
			text, ok = decodeHTML(data)
		} else {
			text, ok = decodeText(data)
		}
		if !ok {
			return Document{}, refuse(ErrEncoding, "%s is not UTF-8 and its encoding could not be recognised; save it as UTF-8 and try again", shown)
		}
	}

	var doc Document
	switch format {
	case annotations.FormatHTML:
		doc, err = readHTML(shown, text)
		if err != nil {
			return Document{}, err
		}
	default:
		doc = Document{Format: format, Text: cleanText(text)}
		if format == annotations.FormatMarkdown {
			doc.Title = markdownTitle(doc.Text)
			doc.Citation = markdownCitation(doc.Text)
			// The front matter is read into the title and the
			// citation; it is not part of the article to read.
			if _, rest, ok := frontMatter(doc.Text); ok {
				doc.Text = strings.TrimLeft(rest, "\r\n")
			}
			if text, structure, ok := markdownText(doc.Text); ok && strings.TrimSpace(text) != "" {
				doc.Text, doc.Structure = text, structure
			}
		} else {
			doc.Title = firstLineTitle(doc.Text)
		}
	}
	if doc.Text == "" {
		what := "has no text, only white space"
		if format == annotations.FormatHTML {
			what = "has no readable text"
		}
		return Document{}, refuse(ErrEmpty, "%s %s; choose a file that holds the article's text", shown, what)
	}
	if err := checkTextSize(shown, doc.Text); err != nil {
		return Document{}, err
	}
	if doc.Title == "" {
		doc.Title = cleanTitle(nameTitle(name))
	}
	if doc.Title == "" {
		doc.Title = "Untitled"
	}
	return doc, nil
}

// ReadArticleFile reads the article file at path with ReadArticle, and
// keeps the pictures of an HTML or Markdown file that are in its folder
// or below it (see keepLocalImages). It refuses a file over
// MaxArticleSize before reading it, and refuses
// folders, named pipes, devices and sockets before opening them: a pipe
// with no writer would block the read, and a device such as /dev/zero
// never ends. A regular file is read into a buffer of its size, so reading
// costs no more memory than the file.
func ReadArticleFile(path string) (Document, error) {
	shown := displayName(path)
	info, err := os.Stat(path)
	if err != nil {
		return Document{}, err
	}
	if err := checkRegular(shown, info); err != nil {
		return Document{}, err
	}
	if info.Size() > MaxArticleSize {
		return Document{}, tooLarge(shown, info.Size())
	}
	// Opened without blocking: should the path have become a pipe since
	// Stat, opening it does not wait for a writer, and the check below
	// refuses it.
	f, err := os.OpenFile(path, os.O_RDONLY|openNonblock, 0)
	if err != nil {
		return Document{}, err
	}
	defer f.Close()
	if info, err = f.Stat(); err != nil {
		return Document{}, err
	}
	if err := checkRegular(shown, info); err != nil {
		return Document{}, err
	}
	// The limit applies to what is read too: the file may grow after Stat.
	var buf bytes.Buffer
	buf.Grow(int(min(info.Size(), MaxArticleSize)) + bytes.MinRead)
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxArticleSize+1)); err != nil {
		return Document{}, fmt.Errorf("read %s: %w", shown, err)
	}
	if buf.Len() > MaxArticleSize {
		return Document{}, tooLarge(shown, -1)
	}
	doc, err := ReadArticle(path, buf.Bytes())
	if err != nil {
		return Document{}, err
	}
	// Pictures beside the file are its own, as an e-book's are: they
	// are kept (see keepLocalImages), which ReadArticle, given bytes
	// only, cannot do.
	keepLocalImages(&doc, filepath.Dir(path))
	return doc, nil
}

// checkRegular refuses anything but a regular file, saying what it is.
func checkRegular(shown string, info os.FileInfo) error {
	switch kind := notRegular(info); kind {
	case "":
		return nil
	case "a named pipe":
		return refuse(ErrUnsupported, "%s is a named pipe, not an article file; save what it carries to a file and add that", shown)
	default:
		return refuse(ErrUnsupported, "%s is %s, not an article file; choose a .txt, .md or .html file", shown, kind)
	}
}

// notRegular says what a file is that is not a regular file ("a folder",
// "a named pipe"…), or returns "" for a regular file.
func notRegular(info os.FileInfo) string {
	mode := info.Mode()
	switch {
	case mode.IsRegular():
		return ""
	case mode.IsDir():
		return "a folder"
	case mode&os.ModeNamedPipe != 0:
		return "a named pipe"
	case mode&os.ModeDevice != 0:
		return "a device"
	case mode&os.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}

// tooLarge is the refusal for a file of size bytes (-1 when unknown).
func tooLarge(shown string, size int64) error {
	const limitMB = MaxArticleSize >> 20
	mb := strconv.FormatFloat(float64(size)/(1<<20), 'f', 1, 64)
	if size < 0 || mb == strconv.Itoa(limitMB)+".0" {
		// "50.0 MB; the limit is 50 MB" would read as a contradiction.
		mb = "over " + strconv.Itoa(limitMB)
	}
	return refuse(ErrTooLarge, "%s is %s MB; the limit is %d MB", shown, mb, limitMB)
}

// checkTextSize refuses a text over MaxArticleSize. A file within the limit
// can still give one: list numbers and NFC composition (which decomposes a
// few characters) can make the text longer than the file.
func checkTextSize(shown, text string) error {
	if len(text) > MaxArticleSize {
		return refuse(ErrTooLarge, "%s holds over %d MB of text; the limit is %d MB", shown, MaxArticleSize>>20, MaxArticleSize>>20)
	}
	return nil
}

// displayName is how error messages name the file.
func displayName(name string) string {
	if name == "" {
		return "the article"
	}
	return name
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters, so the command in an error message can be pasted as is.
func shellQuote(s string) string {
	safe := s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./+,:@%=", r)))
	}) < 0
	if safe {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// formatFromName picks the format by the name's extension; ok is false when
// the extension says nothing and the content must be sniffed.
func formatFromName(name string) (annotations.Format, bool) {
	f, ok := extensions[strings.ToLower(filepath.Ext(name))]
	return f, ok
}

// extensions are the file name extensions of the article files Gloss
// reads, with the format each is read as.
var extensions = map[string]annotations.Format{
	".txt": annotations.FormatText, ".text": annotations.FormatText,
	".md": annotations.FormatMarkdown, ".markdown": annotations.FormatMarkdown, ".mdown": annotations.FormatMarkdown,
	".mkd": annotations.FormatMarkdown, ".mkdn": annotations.FormatMarkdown,
	".html": annotations.FormatHTML, ".htm": annotations.FormatHTML, ".xhtml": annotations.FormatHTML, ".xht": annotations.FormatHTML,
}

// ArticleExtensions returns the extensions of the article files Gloss
// reads (".txt", ".md", ".html"…), sorted: what a file dialog offers.
func ArticleExtensions() []string {
	out := make([]string, 0, len(extensions)+1)
	for e := range extensions {
		out = append(out, e)
	}
	out = append(out, ".epub", ".pdf") // found by their content (see isEPUB, isPDF)
	slices.Sort(out)
	return out
}

// nameTitle is the file name without folder and extension.
func nameTitle(name string) string {
	base := filepath.Base(name)
	if base == "." || base == string(filepath.Separator) {
		return ""
	}
	return strings.TrimSuffix(base, filepath.Ext(base))
}

// isPDF reports whether data is a PDF: it starts with the "%PDF-" header
// (after white space). Readers also accept junk before the header, so a
// header in the first KiB counts too when the file ends like a PDF and is
// not text (an article about the PDF format may quote both markers).
func isPDF(data []byte) bool {
	trimmed := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")), " \t\r\n")
	if bytes.HasPrefix(trimmed, []byte("%PDF-")) {
		return true
	}
	head := data[:min(len(data), 1024)]
	tail := data[max(0, len(data)-1024):]
	return bytes.Contains(head, []byte("%PDF-")) && bytes.Contains(tail, []byte("%%EOF")) &&
		(!utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0)
}

// binaryKind describes a file format recognised by its magic bytes.
type binaryKind struct {
	what   string // "a PNG image"
	advice string // what to do instead
}

const (
	adviceText     = "Gloss reads text, Markdown, HTML, EPUB and PDF articles"
	adviceDocument = "Gloss reads text, Markdown, HTML, EPUB and PDF articles: save or export it as text or HTML first"
	adviceArchive  = "Gloss reads text, Markdown, HTML, EPUB and PDF articles: extract the article from it first"
)

// magic is a signature: prefix at offset.
type magic struct {
	offset int
	prefix string
	kind   binaryKind
}

// magics are the signatures of the files people are most likely to pick by
// mistake. It is a hand-written table rather than net/http's
// DetectContentType because the message should say which kind of file it
// is (a Word document and an EPUB are both ZIP archives to a sniffer) and
// what to do with it. Files not listed still fail the NUL/control check.
var magics = []magic{
	{0, "\x89PNG\r\n\x1a\n", binaryKind{"a PNG image", adviceText}},
	{0, "\xFF\xD8\xFF", binaryKind{"a JPEG image", adviceText}},
	{0, "GIF87a", binaryKind{"a GIF image", adviceText}},
	{0, "GIF89a", binaryKind{"a GIF image", adviceText}},
	{0, "II*\x00", binaryKind{"a TIFF image", adviceText}},
	{0, "MM\x00*", binaryKind{"a TIFF image", adviceText}},
	{0, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", binaryKind{"an old-style Microsoft Office document (.doc, .xls or .ppt)", adviceDocument}},
	{0, "{\\rtf", binaryKind{"an RTF document", adviceDocument}},
	{0, "%!PS", binaryKind{"a PostScript document", adviceDocument}},
	{0, "AT&TFORM", binaryKind{"a DjVu document", adviceDocument}},
	{60, "BOOKMOBI", binaryKind{"a Kindle e-book", adviceDocument}},
	{0, "\x1F\x8B", binaryKind{"a gzip-compressed file", adviceArchive}},
	{0, "\xFD7zXZ\x00", binaryKind{"an xz-compressed file", adviceArchive}},
	{0, "\x28\xB5\x2F\xFD", binaryKind{"a zstd-compressed file", adviceArchive}},
	{0, "7z\xBC\xAF\x27\x1C", binaryKind{"a 7-Zip archive", adviceArchive}},
	{0, "Rar!\x1A\x07", binaryKind{"a RAR archive", adviceArchive}},
	{0, "OggS", binaryKind{"an Ogg audio or video file", adviceText}},
	{0, "fLaC", binaryKind{"a FLAC audio file", adviceText}},
	{0, "SQLite format 3\x00", binaryKind{"an SQLite database", adviceText}},
	{0, "\x7FELF", binaryKind{"a program", adviceText}},
}

var (
	zipKind    = binaryKind{"a ZIP archive", adviceArchive}
	bzip2Magic = regexp.MustCompile(`^BZh[1-9]1AY&SY`)
)

// knownBinary recognises data by its magic bytes.
func knownBinary(data []byte) (binaryKind, bool) {
	for _, m := range magics {
		if len(data) >= m.offset+len(m.prefix) && string(data[m.offset:m.offset+len(m.prefix)]) == m.prefix {
			return m.kind, true
		}
	}
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")), bytes.HasPrefix(data, []byte("PK\x05\x06")):
		return zipContents(data), true
	case len(data) >= 12 && string(data[:4]) == "RIFF":
		switch string(data[8:12]) {
		case "WEBP":
			return binaryKind{"a WebP image", adviceText}, true
		case "WAVE":
			return binaryKind{"a WAV audio file", adviceText}, true
		case "AVI ":
			return binaryKind{"an AVI video", adviceText}, true
		}
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "heic", "heix", "mif1", "msf1":
			return binaryKind{"a HEIF image", adviceText}, true
		case "avif", "avis":
			return binaryKind{"an AVIF image", adviceText}, true
		}
		return binaryKind{"an MP4 or QuickTime video or audio file", adviceText}, true
	case len(data) >= 5 && string(data[:3]) == "ID3" && data[3] >= 2 && data[3] <= 4 && data[4] == 0:
		return binaryKind{"an MP3 audio file", adviceText}, true
	case bzip2Magic.Match(data[:min(len(data), 10)]):
		return binaryKind{"a bzip2-compressed file", adviceArchive}, true
	}
	return binaryKind{}, false
}

// zipContents tells the ZIP-based document formats apart. EPUB and
// OpenDocument store an uncompressed "mimetype" entry first (its content
// starts at byte 38); Office Open XML files keep their parts in "word/",
// "xl/" or "ppt/" folders, whose names appear in the local file headers.
func zipContents(data []byte) binaryKind {
	if len(data) > 38 && string(data[30:38]) == "mimetype" {
		mt := data[38:min(len(data), 38+80)]
		switch {
		case bytes.HasPrefix(mt, []byte("application/epub+zip")):
			return binaryKind{"an EPUB e-book", adviceDocument}
		case bytes.HasPrefix(mt, []byte("application/vnd.oasis.opendocument")):
			return binaryKind{"an OpenDocument file", adviceDocument}
		}
	}
	head := data[:min(len(data), 64<<10)]
	switch {
	case bytes.Contains(head, []byte("word/")):
		return binaryKind{"a Word document", adviceDocument}
	case bytes.Contains(head, []byte("xl/")):
		return binaryKind{"an Excel workbook", adviceDocument}
	case bytes.Contains(head, []byte("ppt/")):
		return binaryKind{"a PowerPoint presentation", adviceDocument}
	}
	return zipKind
}

// binaryReason says why data (UTF-8 or an ASCII-compatible 8-bit encoding)
// is not text, or returns "". A NUL byte anywhere is enough. Other C0
// control characters (not tab, line feed, vertical tab, form feed, carriage
// return or escape) and DEL are tolerated when rare, as stray bytes in old
// files (a DOS end-of-file ^Z), and are later removed.
func binaryReason(data []byte) string {
	if bytes.IndexByte(data, 0) >= 0 {
		return "contains NUL bytes"
	}
	sample := data[:min(len(data), 64<<10)]
	controls := 0
	for _, b := range sample {
		if b < 0x20 && !(b >= '\t' && b <= '\r' || b == 0x1B) || b == 0x7F {
			controls++
		}
	}
	if controls > 4+len(sample)/100 {
		return "contains many control characters"
	}
	return ""
}

// cleanText is the last step for every format: control characters that
// cannot be shown are removed (form feed, vertical tab and next-line become
// line breaks), the text is normalised, and blank lines at either end and
// trailing white space are trimmed.
//
// Controls are removed before NormalizeText because removing one between a
// letter and a combining mark could otherwise leave text that is not NFC.
func cleanText(s string) string {
	s = stripControls(s)
	s = annotations.NormalizeText(s)
	return trimBlankLines(s)
}

// stripControls removes the control characters that are neither tab nor a
// line break.
func stripControls(s string) string {
	isControl := func(r rune) bool {
		return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r >= 0x7F && r <= 0x9F
	}
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\f' || r == '\v' || r == 0x85:
			b.WriteByte('\n')
		case isControl(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// trimBlankLines removes the lines at the start that hold only white space
// (keeping the indentation of the first real line) and all white space at
// the end.
func trimBlankLines(s string) string {
	first := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsSpace(r) })
	if first < 0 {
		return ""
	}
	start := strings.LastIndexByte(s[:first], '\n') + 1
	return strings.TrimRightFunc(s[start:], unicode.IsSpace)
}

// cleanTitle makes s fit for a title: white space (line breaks included)
// collapsed to single spaces, controls removed, trimmed, normalised, and cut
// on a word boundary with "…" when longer than maxTitleRunes.
func cleanTitle(s string) string {
	// Only the start can be kept; spare the work on a line of megabytes.
	if len(s) > 4096 {
		s = strings.ToValidUTF8(s[:4096], "")
	}
	s = annotations.NormalizeText(stripControls(s))
	s = strings.Join(strings.FieldsFunc(s, unicode.IsSpace), " ")
	if utf8.RuneCountInString(s) <= maxTitleRunes {
		return s
	}
	cut := s
	n := 0
	for i := range s {
		if n == maxTitleRunes {
			cut = s[:i]
			break
		}
		n++
	}
	// Prefer to end on a word boundary, unless the last word is so long
	// that most of the title would go.
	if i := strings.LastIndexByte(cut, ' '); i > len(cut)/2 {
		cut = cut[:i]
	}
	cut = strings.TrimRightFunc(cut, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r) && r != ')' && r != ']' && r != '"'
	})
	return cut + "…"
}

// firstLineTitle is the title of a plain-text article: its first non-empty
// line.
func firstLineTitle(text string) string {
	for line := range strings.Lines(text) {
		if t := cleanTitle(line); t != "" {
			return t
		}
	}
	return ""
}

// markdownTitle is the title of a Markdown article: the title of its YAML
// front matter, else its first heading (ATX "# Title" or setext "Title" over
// "====="), else its first line of text (outside code blocks), with inline
// markup removed.
//
// It is a few lines of hand-written scanning rather than a Markdown library:
// only the first heading is needed, the text itself is kept as written, and
// no Markdown parser is among Gloss's dependencies.
func markdownTitle(text string) string {
	if title, rest, ok := frontMatter(text); ok {
		if title != "" {
			return cleanTitle(title)
		}
		text = rest
	}
	var fence string  // the opening fence while inside a fenced code block
	var para string   // the current paragraph's text so far (at most ~1 KiB)
	paraOpen := false // whether a paragraph is open
	firstLine := ""   // the first line of text, cleaned, for want of a heading
	for line := range strings.Lines(text) {
		body, indent := trimIndent(strings.TrimRight(line, " \t\r\n"))
		if fence != "" {
			if strings.HasPrefix(body, fence) && strings.Trim(body, fence[:1]) == "" {
				fence = ""
			}
			continue
		}
		if indent < 4 && (strings.HasPrefix(body, "```") || strings.HasPrefix(body, "~~~")) {
			fence = body[:3]
			paraOpen = false
			continue
		}
		if body == "" {
			paraOpen = false
			continue
		}
		if indent < 4 {
			if title, ok := atxHeading(body); ok {
				if title = cleanMarkdownInline(title); title != "" {
					return title
				}
				paraOpen = false
				continue
			}
			if paraOpen && isSetextUnderline(body) {
				if title := cleanMarkdownInline(para); title != "" {
					return title
				}
				paraOpen = false
				continue
			}
		}
		switch {
		case !paraOpen && indent < 4 && !startsBlock(body):
			para, paraOpen = body, true
		case paraOpen && len(para) < 1024:
			para += " " + body
		}
		// Rules and the like are no title: it needs a letter or digit.
		if firstLine == "" && indent < 4 {
			if t := cleanMarkdownInline(body); strings.IndexFunc(t, isAlnum) >= 0 {
				firstLine = t
			}
		}
	}
	return firstLine
}

// yamlLine reports whether line can be a line of a simple YAML block: empty,
// indented or a list item (a value going on), or "key: value".
func yamlLine(line string) bool {
	if line == "" || line[0] == ' ' || line[0] == '\t' || strings.HasPrefix(line, "- ") || line[0] == '#' {
		return true
	}
	key, _, ok := strings.Cut(line, ":")
	return ok && key != "" && !strings.ContainsAny(key, " \t")
}

// frontMatter finds a YAML front matter block ("---" lines around
// "key: value" lines) at the start of text, as Jekyll, Hugo and Obsidian
// write it, and returns its title and the text after it.
func frontMatter(text string) (title, rest string, ok bool) {
	first, rest, _ := strings.Cut(text, "\n")
	if strings.TrimRight(first, " \t\r") != "---" {
		return "", "", false
	}
	for range 200 {
		var line string
		var more bool
		line, rest, more = strings.Cut(rest, "\n")
		line = strings.TrimRight(line, " \t\r")
		if line == "---" || line == "..." {
			return title, rest, true
		}
		if !yamlLine(line) {
			return "", "", false // a rule over text, not front matter
		}
		if v, found := strings.CutPrefix(line, "title:"); found && title == "" {
			v = strings.TrimSpace(v)
			if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
				v = v[1 : len(v)-1]
			}
			title = v
		}
		if !more {
			break
		}
	}
	return "", "", false
}

// trimIndent removes leading spaces and tabs (a tab counting as four
// columns) and returns the rest and its indentation in columns.
func trimIndent(line string) (string, int) {
	cols := 0
	for i := 0; i < len(line); i++ {
		switch line[i] {
		case ' ':
			cols++
		case '\t':
			cols += 4 - cols%4
		default:
			return line[i:], cols
		}
	}
	return "", cols
}

// atxHeading returns the text of an ATX heading line (indentation already
// removed): 1 to 6 '#', then a space or the end, then the text, then
// optionally a closing run of '#' after a space.
func atxHeading(body string) (string, bool) {
	n := 0
	for n < len(body) && body[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || n < len(body) && body[n] != ' ' && body[n] != '\t' {
		return "", false
	}
	text := strings.TrimSpace(body[n:])
	if closed := strings.TrimRight(text, "#"); closed == "" || strings.HasSuffix(closed, " ") || strings.HasSuffix(closed, "\t") {
		text = strings.TrimSpace(closed)
	}
	return text, true
}

// isSetextUnderline reports whether a line (indentation removed) is a run
// of '=' or of '-' only.
func isSetextUnderline(body string) bool {
	return body != "" && (strings.Trim(body, "=") == "" || strings.Trim(body, "-") == "")
}

// startsBlock reports whether a line opens something other than a
// paragraph (a list item, a quote, a table or HTML block, a rule), which a
// setext underline below it does not turn into a heading.
func startsBlock(body string) bool {
	switch body[0] {
	case '>', '<', '|':
		return true
	case '-', '*', '+':
		return len(body) == 1 || body[1] == ' ' || body[1] == '\t' || strings.Trim(body, string(body[0])+" ") == ""
	case '_':
		return strings.Trim(body, "_ ") == ""
	}
	digits := len(body) - len(strings.TrimLeft(body, "0123456789"))
	return digits > 0 && digits < 10 && digits+1 < len(body) && (body[digits] == '.' || body[digits] == ')') && body[digits+1] == ' '
}

var (
	mdImage     = regexp.MustCompile(`!\[([^\]]*)\]\([^)]*\)`)
	mdLink      = regexp.MustCompile(`\[([^\]]*)\](?:\([^)]*\)|\[[^\]]*\])`)
	mdAutolink  = regexp.MustCompile(`<((?:https?|mailto):[^>\s]*)>`)
	mdInlineTag = regexp.MustCompile(`</?[A-Za-z][^>]*>`)
)

// asciiPunct are the characters a backslash escapes in Markdown.
const asciiPunct = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"

// cleanMarkdownInline removes inline Markdown from a heading: links and
// images keep their text, HTML tags go, and emphasis and code markers ('*',
// '_' at a word's edge, "~~", '`') go, while backslash-escaped punctuation
// stays as the character itself.
func cleanMarkdownInline(s string) string {
	if len(s) > 4096 {
		s = strings.ToValidUTF8(s[:4096], "")
	}
	s = mdImage.ReplaceAllString(s, "$1")
	s = mdLink.ReplaceAllString(s, "$1")
	s = mdAutolink.ReplaceAllString(s, "$1")
	s = mdInlineTag.ReplaceAllString(s, "")
	rs := []rune(s)
	isWord := func(i int) bool { return i >= 0 && i < len(rs) && isAlnum(rs[i]) }
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '\\' && i+1 < len(rs) && strings.ContainsRune(asciiPunct, rs[i+1]):
			b.WriteRune(rs[i+1])
			i++
		case r == '*' || r == '`':
		case r == '~' && (i+1 < len(rs) && rs[i+1] == '~' || i > 0 && rs[i-1] == '~'):
		case r == '_' && !(isWord(i-1) && isWord(i+1)):
		default:
			b.WriteRune(r)
		}
	}
	return cleanTitle(b.String())
}

func isAlnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

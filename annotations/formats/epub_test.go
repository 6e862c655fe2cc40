package formats

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// epubFile builds an EPUB: the stored mimetype first, then files (name →
// content), in the order given by names.
func epubFile(t testing.TB, files map[string]string, names ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "mimetype", Method: zip.Store})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte("application/epub+zip"))
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(files[n]))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

const (
	epubContainer = `<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>`
	epubOPF = `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:title>Reading the Reef</dc:title><dc:creator>Mara Okafor</dc:creator><dc:creator>Tomás Lindqvist</dc:creator>
<dc:date>2024-05-01</dc:date><dc:identifier>doi:10.5555/reef.2024.7</dc:identifier></metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="c2" href="text/ch%202.xhtml" media-type="application/xhtml+xml"/>
<item id="c1" href="text/ch1.xhtml" media-type="application/xhtml+xml"/>
<item id="notes" href="text/notes.xhtml" media-type="application/xhtml+xml"/>
<item id="css" href="style.css" media-type="text/css"/>
</manifest>
<spine><itemref idref="nav"/><itemref idref="c1"/><itemref idref="c2"/><itemref idref="notes" linear="no"/><itemref idref="css"/></spine></package>`
	epubCh1 = `<html xmlns="http://www.w3.org/1999/xhtml"><head><title>x</title><script>bad()</script></head>
<body><h1>One</h1><p>Corals bleach when the sea is <em>warm</em>.</p></body></html>`
	epubCh2 = `<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>Two</h1><p>They recover when it cools.</p></body></html>`
)

func goodEPUB(t testing.TB, extra map[string]string, extraNames ...string) []byte {
	files := map[string]string{
		"META-INF/container.xml": epubContainer, "OEBPS/content.opf": epubOPF,
		"OEBPS/nav.xhtml":      `<html><body><nav><ol><li>One</li><li>Two</li></ol></nav></body></html>`,
		"OEBPS/text/ch1.xhtml": epubCh1, "OEBPS/text/ch 2.xhtml": epubCh2,
		"OEBPS/text/notes.xhtml": `<html><body><p>Endnotes out of the reading order.</p></body></html>`,
		"OEBPS/style.css":        "p { color: red }",
	}
	names := []string{"META-INF/container.xml", "OEBPS/content.opf", "OEBPS/nav.xhtml", "OEBPS/text/ch1.xhtml",
		"OEBPS/text/ch 2.xhtml", "OEBPS/text/notes.xhtml", "OEBPS/style.css"}
	for k, v := range extra {
		files[k] = v
	}
	return epubFile(t, files, append(names, extraNames...)...)
}

func TestReadArticle_EPUB(t *testing.T) {
	doc, err := ReadArticle("reef.epub", goodEPUB(t, nil))
	if err != nil {
		t.Fatal(err)
	}
	want := "One\n\nCorals bleach when the sea is warm.\n\nTwo\n\nThey recover when it cools."
	if doc.Text != want {
		t.Errorf("text %q, want %q (the spine's chapters in order; no navigation, no non-linear notes)", doc.Text, want)
	}
	if doc.Format != annotations.FormatEPUB || doc.Title != "Reading the Reef" {
		t.Errorf("format %q, title %q", doc.Format, doc.Title)
	}
	c := doc.Citation
	if strings.Join(c.Authors, "; ") != "Mara Okafor; Tomás Lindqvist" || c.Year != 2024 || c.DOI != "10.5555/reef.2024.7" {
		t.Errorf("citation %+v", c)
	}
	// A chapter the spine names twice is read once.
	twice := strings.Replace(epubOPF, `<itemref idref="c2"/>`, `<itemref idref="c2"/><itemref idref="c1"/><itemref idref="c2"/>`, 1)
	if doc, err := ReadArticle("b.epub", goodEPUB(t, map[string]string{"OEBPS/content.opf": twice})); err != nil || doc.Text != want {
		t.Errorf("chapters named twice: %q, %v", doc.Text, err)
	}
	// Any name: it is found by its content.
	if again, err := ReadArticle("book", goodEPUB(t, nil)); err != nil || again.Text != want {
		t.Errorf("without the extension: %v", err)
	}
}

func TestReadArticle_EPUBSample(t *testing.T) {
	doc := readFile(t, "paper.epub")
	if doc.Format != annotations.FormatEPUB || doc.Title != "Fine-Grained Annotation of Scientific PDFs" || len(doc.Citation.Authors) != 2 {
		t.Fatalf("format %q, title %q, citation %+v", doc.Format, doc.Title, doc.Citation)
	}
	for _, heading := range []string{"Introduction", "Related Work", "Method", "Evaluation", "Discussion"} {
		if !strings.Contains(doc.Text, "\n\n"+heading+"\n\n") {
			t.Errorf("the chapter heading %q is not a paragraph of the text", heading)
		}
	}
}

func TestReadArticle_EPUBRefused(t *testing.T) {
	fontsOnly := `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.idpf.org/2008/embedding"/></enc:EncryptedData></encryption>`
	drm := `<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/></enc:EncryptedData></encryption>`
	if _, err := ReadArticle("b.epub", goodEPUB(t, map[string]string{"META-INF/encryption.xml": fontsOnly}, "META-INF/encryption.xml")); err != nil {
		t.Errorf("obfuscated fonts only: %v", err)
	}
	escape := strings.Replace(epubOPF, "text/ch1.xhtml", "../../etc/passwd", 1)
	absolute := strings.Replace(epubOPF, "text/ch1.xhtml", "/etc/passwd", 1)
	noChapter := strings.Replace(epubOPF, "text/ch1.xhtml", "text/gone.xhtml", 1)
	tests := []struct {
		name string
		data []byte
		want string
	}{
		{"DRM", goodEPUB(t, map[string]string{"META-INF/encryption.xml": drm}, "META-INF/encryption.xml"), "is an EPUB with DRM"},
		{"Adobe rights", goodEPUB(t, map[string]string{"META-INF/rights.xml": "<rights/>"}, "META-INF/rights.xml"), "is an EPUB with DRM"},
		{"a path out of the book", epubFile(t, map[string]string{"META-INF/container.xml": epubContainer, "OEBPS/content.opf": escape}, "META-INF/container.xml", "OEBPS/content.opf"), "a path outside the book"},
		{"an absolute path", epubFile(t, map[string]string{"META-INF/container.xml": epubContainer, "OEBPS/content.opf": absolute}, "META-INF/container.xml", "OEBPS/content.opf"), "a path outside the book"},
		{"a missing chapter", epubFile(t, map[string]string{"META-INF/container.xml": epubContainer, "OEBPS/content.opf": noChapter}, "META-INF/container.xml", "OEBPS/content.opf"), `"OEBPS/text/gone.xhtml" is missing`},
		{"no container", epubFile(t, nil), `"META-INF/container.xml" is missing`},
		{"a damaged package", epubFile(t, map[string]string{"META-INF/container.xml": epubContainer, "OEBPS/content.opf": "<package><metadata"}, "META-INF/container.xml", "OEBPS/content.opf"), "cannot be read"},
		{"no chapters", epubFile(t, map[string]string{"META-INF/container.xml": epubContainer, "OEBPS/content.opf": "<package/>"}, "META-INF/container.xml", "OEBPS/content.opf"), "no readable text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadArticle("b.epub", tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error %v, want one line with %q", err, tt.want)
			}
			if !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrEmpty) {
				t.Errorf("error %v is neither ErrUnsupported nor ErrEmpty", err)
			}
		})
	}
}

// TestReadArticle_EPUBBomb: a chapter that unpacks past the limit is
// refused without being read whole.
func TestReadArticle_EPUBBomb(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 64 MB chapter")
	}
	big := "<html><body><p>" + strings.Repeat("a", epubMaxEntry) + "</p></body></html>"
	data := goodEPUB(t, map[string]string{"OEBPS/text/ch1.xhtml": big})
	if len(data) > 1<<20 {
		t.Fatalf("the bomb is %d bytes packed", len(data))
	}
	_, err := ReadArticle("bomb.epub", data)
	if err == nil || !strings.Contains(err.Error(), "larger than 64 MB") {
		t.Fatalf("error %v", err)
	}
	// Three chapters of 40 MB of spaces each (no text, all unpacking):
	// the whole book is bounded too.
	spaces := "<html><body><p>" + strings.Repeat(" ", 40<<20) + "</p></body></html>"
	three := strings.Replace(epubOPF, `<item id="css"`, `<item id="c3" href="text/ch3.xhtml" media-type="application/xhtml+xml"/><item id="css"`, 1)
	three = strings.Replace(three, `<itemref idref="c2"/>`, `<itemref idref="c2"/><itemref idref="c3"/>`, 1)
	data = goodEPUB(t, map[string]string{"OEBPS/content.opf": three, "OEBPS/text/ch1.xhtml": spaces,
		"OEBPS/text/ch 2.xhtml": spaces, "OEBPS/text/ch3.xhtml": spaces}, "OEBPS/text/ch3.xhtml")
	_, err = ReadArticle("bomb.epub", data)
	if err == nil || !strings.Contains(err.Error(), "unpack to more than 100 MB") {
		t.Fatalf("a book of 120 MB of chapters: %v", err)
	}
}

// FuzzReadEPUB feeds damaged books to the reader: every outcome is a
// document or a one-line refusal, and a document's pictures are what
// checkKept says (each named by its hash and a picture, every span's
// picture among them).
func FuzzReadEPUB(f *testing.F) {
	f.Add(goodEPUB(f, nil))
	f.Add(goodEPUB(f, map[string]string{
		"OEBPS/text/ch1.xhtml": `<html><body><p>A figure: <img src="../f.png" alt="f"/><img src="f.gif" alt="g"/></p></body></html>`,
		"OEBPS/f.png":          string(pngPicture(f, 1)), "OEBPS/text/f.gif": "GIF89a\x01\x00\x01\x00\x00\x00\x00;",
	}, "OEBPS/f.png", "OEBPS/text/f.gif"))
	f.Add(epubFile(f, map[string]string{"META-INF/container.xml": epubContainer}, "META-INF/container.xml"))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := ReadArticle("b.epub", data)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("a refusal of more than one line: %q", err)
			}
			return
		}
		if doc.Text == "" || doc.Title == "" {
			t.Fatalf("a document without text or title: %+v", doc)
		}
		if err := doc.Structure.Check(utf8.RuneCountInString(doc.Text)); err != nil {
			t.Fatalf("the structure does not fit the text: %v", err)
		}
		checkKept(t, doc)
	})
}

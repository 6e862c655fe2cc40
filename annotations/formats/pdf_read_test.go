package formats

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats/pdf"
)

// pdfSample reads a PDF of testdata/articles.
func pdfSample(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "articles", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// minimalPDF builds a one-page PDF (612 × 792 points) whose page draws
// content, with a correct cross-reference table.
func minimalPDF(content string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
	return b.Bytes()
}

func TestReadArticle_PDFLines(t *testing.T) {
	// Two lines of one paragraph, the first ending in a hyphen that breaks
	// "annotation", then a heading in larger type after a wide gap.
	page := minimalPDF("BT /F1 12 Tf 72 700 Td (Careful annota-) Tj 0 -14 Td (tion of papers.) Tj ET " +
		"BT /F1 20 Tf 72 600 Td (Results) Tj ET")
	doc, err := ReadArticle("lines.pdf", page)
	if err != nil {
		t.Fatal(err)
	}
	if want := "Careful annotation of papers.\n\nResults"; doc.Text != want {
		t.Errorf("text %q, want %q", doc.Text, want)
	}
	if doc.Format != annotations.FormatPDF || doc.Title != "Results" || !bytes.Equal(doc.File, page) {
		t.Errorf("format %s, title %q, file of %d bytes", doc.Format, doc.Title, len(doc.File))
	}
	if err := doc.Layout.Check(utf8.RuneCountInString(doc.Text)); err != nil {
		t.Fatal(err)
	}
	// "papers" is on the second line, on page 1, in the left margin's
	// column, below the first line.
	start := utf8.RuneCountInString("Careful annotation of ")
	p, rects := doc.Layout.Place(start, start+len("papers"))
	if p != 1 || len(rects) != 1 || rects[0].Y1 > 700 || rects[0].X0 < 72 {
		t.Errorf("papers on page %d at %+v", p, rects)
	}
}

func TestReadArticle_PDFRefused(t *testing.T) {
	tests := []struct {
		name, message string
		data          []byte
	}{
		{"damaged", "scan.pdf is a damaged or unreadable PDF", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R")},
		{"cut short", "scan.pdf is a damaged or unreadable PDF", minimalPDF("BT /F1 12 Tf 72 700 Td (Hello) Tj ET")[:40]},
		// Made with qpdf --encrypt secret owner 256.
		{"needs a password", "scan.pdf is protected by a password; save an unprotected copy (most PDF readers can) and add that", pdfSample(t, "password.pdf")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadArticle("scan.pdf", tt.data)
			if !errors.Is(err, ErrPDF) {
				t.Fatalf("err = %v, want ErrPDF", err)
			}
			checkMessage(t, err, tt.message)
		})
	}
}

// TestReadArticle_OwnerPasswordPDF reads a PDF encrypted with an owner
// password only (qpdf --encrypt "" owner 256): any reader opens it.
func TestReadArticle_OwnerPasswordPDF(t *testing.T) {
	doc, err := ReadArticle("owneronly.pdf", pdfSample(t, "owneronly.pdf"))
	if err != nil || doc.Text != "A secret paper" {
		t.Fatalf("%q, %v", doc.Text, err)
	}
}

// TestReadArticle_ScannedPDF reads a PDF whose page has no text (a
// picture, as a scan is): it is added, its text saying why nothing can be
// highlighted, and two such PDFs are never one article.
func TestReadArticle_ScannedPDF(t *testing.T) {
	scan := minimalPDF("0 0 1 rg 72 72 200 200 re f")
	doc, err := ReadArticle("scan.pdf", scan)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.Text, "This PDF has no text layer") || doc.Format != annotations.FormatPDF || doc.Title != "scan" {
		t.Errorf("text %q, format %s, title %q", doc.Text, doc.Format, doc.Title)
	}
	if err := doc.Layout.Check(utf8.RuneCountInString(doc.Text)); err != nil || len(doc.Layout.Pages) != 1 || HasTextLayer(doc.Layout) {
		t.Errorf("layout %+v: %v", doc.Layout.Pages, err)
	}
	other, err := ReadArticle("other.pdf", minimalPDF("1 0 0 rg 72 72 100 100 re f"))
	if err != nil || other.Text == doc.Text {
		t.Errorf("two scans read as the same text: %v", err)
	}
}

// words splits a text into lower-case words of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// lcs is the length of the longest common subsequence of a and b.
func lcs(a, b []string) int {
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			if a[i] == b[j] {
				cur[j+1] = prev[j] + 1
			} else {
				cur[j+1] = max(cur[j], prev[j+1])
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// TestReadArticle_PDFPaper reads a two-column paper (made with LaTeX; its
// true text in reading order is beside it) and measures the text layer:
// the share of the true words found, and of the true words in order.
func TestReadArticle_PDFPaper(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "articles", "two-column-paper.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	truth, err := os.ReadFile(filepath.Join("testdata", "articles", "two-column-paper.truth.txt"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := ReadArticle("two-column-paper.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Title != "Fine-Grained Annotation of Scientific PDFs" {
		t.Errorf("title %q", doc.Title)
	}
	got, want := words(doc.Text), words(string(truth))
	have := map[string]int{}
	for _, w := range got {
		have[w]++
	}
	found := 0
	for _, w := range want {
		if have[w] > 0 {
			have[w]--
			found++
		}
	}
	recall := float64(found) / float64(len(want))
	order := float64(lcs(want, got)) / float64(len(want))
	t.Logf("word recall %.4f, words in order %.4f (%d true words, %d read)", recall, order, len(want), len(got))
	if recall < 0.98 || order < 0.98 {
		t.Errorf("word recall %.4f, in order %.4f; want both ≥ 0.98", recall, order)
	}
	for _, w := range []string{"inter-annotator", "fine-grained", "boundaries"} {
		if !strings.Contains(doc.Text, w) {
			t.Errorf("the text has no %q", w)
		}
	}
	if strings.Contains(doc.Text, "bound aries") || strings.Contains(doc.Text, "boundaries-") {
		t.Errorf("a line-end hyphen was not joined")
	}
	n := utf8.RuneCountInString(doc.Text)
	if err := doc.Layout.Check(n); err != nil {
		t.Fatal(err)
	}
	if len(doc.Layout.Pages) != 3 {
		t.Fatalf("%d pages", len(doc.Layout.Pages))
	}
	// A caption at the top of the second page is placed there, inside
	// the page, in its upper half.
	const caption = "Figure 1: The first affine workflow"
	at := strings.Index(doc.Text, caption)
	if at < 0 {
		t.Fatal("no caption")
	}
	start := utf8.RuneCountInString(doc.Text[:at])
	page, rects := doc.Layout.Place(start, start+len(caption))
	if page != 2 || len(rects) != 1 || rects[0].Page != 2 {
		t.Fatalf("caption on page %d at %+v", page, rects)
	}
	size := doc.Layout.Pages[1]
	if r := rects[0]; r.X0 < 0 || r.Y0 < float64(size.Height)/2 || r.X1 > float64(size.Width) || r.Y1 > float64(size.Height) || r.X1-r.X0 < 100 {
		t.Errorf("caption at %+v on a page of %g × %g", r, size.Width, size.Height)
	}
}

func FuzzReadPDF(f *testing.F) {
	f.Add(minimalPDF("BT /F1 12 Tf 72 700 Td (Hello world) Tj ET"))
	f.Add(minimalPDF("0 0 1 rg 72 72 200 200 re f"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !isPDF(data) {
			data = append([]byte("%PDF-1.4\n"), data...)
		}
		doc, err := ReadArticle("fuzz.pdf", data)
		if err != nil {
			if !errors.Is(err, ErrPDF) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("unexpected error kind: %v", err)
			}
			return
		}
		if err := doc.Layout.Check(utf8.RuneCountInString(doc.Text)); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(doc.Text) || doc.Text != annotations.NormalizeText(doc.Text) {
			t.Fatal("text not normalised")
		}
	})
}

// TestReadArticle_PDFNotes reads a paper that another reader annotated:
// a highlight over two words and a note (a "sticky note") beside the
// second page's caption. Both come in on the text: the highlight on its
// words, the note on the word nearest to its icon.
func TestReadArticle_PDFNotes(t *testing.T) {
	e, err := pdf.Shared()
	if err != nil {
		t.Fatal(err)
	}
	plain := pdfSample(t, "two-column-paper.pdf")
	doc, err := ReadArticle("paper.pdf", plain)
	if err != nil {
		t.Fatal(err)
	}
	text := []rune(doc.Text)
	at := utf8.RuneCountInString(doc.Text[:strings.Index(doc.Text, "Figure 1: The first affine")])
	_, rects := doc.Layout.Place(at, at+len("Figure 1"))
	var pr []pdf.Rect
	for _, r := range rects {
		pr = append(pr, pdf.Rect{X0: r.X0, Y0: r.Y0, X1: r.X1, Y1: r.Y1})
	}
	cap := rects[0]
	opened, err := e.Open(plain)
	if err != nil {
		t.Fatal(err)
	}
	annotated, err := opened.WithMarkups([]pdf.Markup{
		{Page: 1, Kind: "Highlight", Rects: pr, R: 240, G: 80, B: 70, Contents: "red, nearly"},
		{Page: 1, Kind: "Text", Rects: []pdf.Rect{{X0: cap.X0 - 1, Y0: cap.Y1 - 20, X1: cap.X0 + 19, Y1: cap.Y1 + 1}}, R: 60, G: 130, B: 240, Contents: "A note here"},
	})
	opened.Close()
	if err != nil {
		t.Fatal(err)
	}
	got, err := ReadArticle("annotated.pdf", annotated)
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != doc.Text || len(got.Highlights) != 2 {
		t.Fatalf("text changed %v; highlights %+v", got.Text != doc.Text, got.Highlights)
	}
	h, n := got.Highlights[0], got.Highlights[1]
	if string(text[h.Start:h.End]) != "Figure 1" || h.Color != annotations.Red || h.Note != "red, nearly" {
		t.Errorf("highlight on %q: %+v", string(text[h.Start:h.End]), h)
	}
	if string(text[n.Start:n.End]) != "Figure" || n.Color != annotations.Blue || n.Note != "A note here" {
		t.Errorf("note on %q: %+v", string(text[n.Start:n.End]), n)
	}
}

func TestNearestColor(t *testing.T) {
	tests := []struct {
		r, g, b uint8
		want    annotations.Color
	}{
		{255, 255, 0, annotations.Yellow}, // Acrobat's yellow
		{255, 0, 0, annotations.Red},
		{0, 255, 0, annotations.Green},
		{0, 0, 255, annotations.Blue},
		{255, 0, 255, annotations.Magenta},
		{255, 165, 0, annotations.Orange},
		{128, 128, 128, annotations.Gray},
		{20, 20, 60, annotations.Gray}, // too dark to tell
		// Zotero's eight highlight colours.
		{0xff, 0xd4, 0x00, annotations.Yellow},
		{0xff, 0x66, 0x66, annotations.Red},
		{0x5f, 0xb2, 0x36, annotations.Green},
		{0x2e, 0xa8, 0xe5, annotations.Blue},
		{0xa2, 0x8a, 0xe5, annotations.Purple},
		{0xe5, 0x6e, 0xee, annotations.Magenta},
		{0xf1, 0x98, 0x37, annotations.Orange},
		{0xaa, 0xaa, 0xaa, annotations.Gray},
	}
	for _, tt := range tests {
		if got := nearestColor(tt.r, tt.g, tt.b); got != tt.want {
			t.Errorf("nearestColor(%d, %d, %d) = %s, want %s", tt.r, tt.g, tt.b, got, tt.want)
		}
	}
}

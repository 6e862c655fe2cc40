package app

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

// TestUI_PDF opens a two-column paper: its pages are shown, a selection
// on them highlights with a key (the highlight knows its page), and the
// same highlight is painted in the text view after the switch.
func TestUI_PDF(t *testing.T) {
	u, svc := newTestUI(t)
	paper := filepath.Join("..", "annotations", "formats", "testdata", "articles", "two-column-paper.pdf")
	u.addArticles(readArticleFiles([]string{paper}, nil))
	if u.article == nil || u.article.Format != annotations.FormatPDF {
		t.Fatalf("open article %+v", u.article)
	}
	r := u.reader
	if !r.paged || !r.pages.Visible() || r.view.Visible() || r.toggle.Text != "Show text" {
		t.Fatalf("paged %v, pages shown %v, text shown %v, toggle %q", r.paged, r.pages.Visible(), r.view.Visible(), r.toggle.Text)
	}
	if cur, total := r.pages.Page(); cur != 1 || total != 3 || r.position.Text != "Page 1 of 3" {
		t.Errorf("page %d of %d, position %q", cur, total, r.position.Text)
	}
	const caption = "Figure 1: The first affine workflow"
	text := r.view.Text()
	at := strings.Index(text, caption)
	if at < 0 {
		t.Fatal("no caption")
	}
	at = utf8.RuneCountInString(text[:at])
	r.pages.SetSelection(at, at+utf8.RuneCountInString(caption))
	r.pages.TypedRune('3')
	notes, err := svc.Notes(annotations.NotesQuery{ArticleID: &u.article.ID})
	if err != nil || len(notes) != 1 {
		t.Fatalf("notes %v %v", notes, err)
	}
	n := notes[0]
	if n.Target.Exact != caption || n.Target.Page != 2 || n.Color != annotations.Colors[2] || len(n.Target.Rects) != 1 {
		t.Errorf("highlight %+v", n)
	}
	if hs := r.pages.Highlights(); len(hs) != 1 || hs[0].ID != n.ID.String() {
		t.Errorf("page view paints %+v", hs)
	}
	// To the text: the same highlight is painted there.
	r.togglePages()
	if r.paged || !r.view.Visible() || r.pages.Visible() || r.toggle.Text != "Show pages" {
		t.Fatalf("after the switch: paged %v", r.paged)
	}
	if hs := r.view.Highlights(); len(hs) != 1 || hs[0].Start != n.Target.Start || hs[0].End != n.Target.End {
		t.Errorf("text view paints %+v", hs)
	}
	// Chosen once, the text stays the way PDFs open.
	u.openArticle(u.article.ID)
	if r.paged {
		t.Error("the PDF opened as pages again")
	}
	r.togglePages()
	// Undo takes the highlight off the pages too.
	u.onUndo()
	if hs := r.pages.Highlights(); len(hs) != 0 {
		t.Errorf("after undo the page view paints %+v", hs)
	}
}

// TestUI_PDFHighlightsOffered adds a PDF that another reader annotated:
// the window offers its highlights, and brings them in when asked.
func TestUI_PDFHighlightsOffered(t *testing.T) {
	src, svc := newTestUI(t)
	paper := filepath.Join("..", "annotations", "formats", "testdata", "articles", "two-column-paper.pdf")
	src.addArticles(readArticleFiles([]string{paper}, nil))
	text := src.reader.view.Text()
	at := utf8.RuneCountInString(text[:strings.Index(text, "Figure 1: The first")])
	if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: src.article.ID, Start: at, End: at + 8, Color: annotations.Blue, Note: "from elsewhere"}); err != nil {
		t.Fatal(err)
	}
	file, _, err := svc.ArticleFile(src.article.ID)
	if err != nil {
		t.Fatal(err)
	}
	notes, _ := svc.Notes(annotations.NotesQuery{ArticleID: &src.article.ID})
	annotated, err := formats.WritePDF(file, notes, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path := writeTestFile(t, dir, "annotated.pdf", string(annotated))

	u, other := newTestUI(t)
	u.addArticles(readArticleFiles([]string{path}, nil))
	d, ok := u.dialogs.open[len(u.dialogs.open)-1].(*dialog.ConfirmDialog)
	if !ok {
		t.Fatalf("no dialog offers the highlights: %v", u.dialogs.open)
	}
	d.Confirm()
	got, _ := other.Notes(annotations.NotesQuery{ArticleID: &u.article.ID})
	if len(got) != 1 || got[0].Target.Exact != "Figure 1" || got[0].Color != annotations.Blue || got[0].Note != "from elsewhere" || got[0].Target.Page != 2 {
		t.Errorf("brought in %+v", got)
	}
	if len(u.reader.pages.Highlights()) != 1 {
		t.Errorf("the page view paints %d highlights", len(u.reader.pages.Highlights()))
	}
}

// TestUI_GoToPage types a page number and Enter in Go to page.
func TestUI_GoToPage(t *testing.T) {
	u, _ := newTestUI(t)
	paper := filepath.Join("..", "annotations", "formats", "testdata", "articles", "two-column-paper.pdf")
	u.addArticles(readArticleFiles([]string{paper}, nil))
	u.onGoToPage()
	entry, ok := u.win.Canvas().Focused().(*widget.Entry)
	if !ok {
		t.Fatalf("focus on %T", u.win.Canvas().Focused())
	}
	entry.SetText("3")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if cur, _ := u.reader.pages.Page(); cur != 3 || u.reader.position.Text != "Page 3 of 3" {
		t.Errorf("on page %d, position %q", cur, u.reader.position.Text)
	}
	// Out of range: Enter does nothing, the dialog stays.
	u.onGoToPage()
	entry = u.win.Canvas().Focused().(*widget.Entry)
	entry.SetText("9")
	entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !u.dialogOpen() {
		t.Error("page 9 of 3 closed the dialog")
	}
}

// TestUI_ScannedPDF opens a PDF with no text layer: its pages are shown
// and the status line says why nothing can be highlighted.
func TestUI_ScannedPDF(t *testing.T) {
	u, _ := newTestUI(t)
	scan := "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n" +
		"3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
	path := writeTestFile(t, t.TempDir(), "scan.pdf", scan)
	u.addArticles(readArticleFiles([]string{path}, nil))
	if u.article == nil || !u.reader.paged || !u.reader.scanned {
		t.Fatalf("article %v, pages shown %v", u.article, u.reader.paged)
	}
	if !strings.Contains(u.status.Text, "no text layer") {
		t.Errorf("status %q", u.status.Text)
	}
}

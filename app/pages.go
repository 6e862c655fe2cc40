package app

import (
	"errors"
	"fmt"
	"image"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/annotations/formats/pdf"
	"github.com/gloss-notes/gloss/app/pageview"
	"github.com/gloss-notes/gloss/app/textview"
)

// A PDF article is shown as its pages, rendered by the PDF engine, with
// the highlights painted over the glyphs; "Show text" switches to its
// text layer in the text view, where the same highlights are. The
// selection, the highlight keys, Enter and the cards work alike in both.

// pagedDoc is the PDF behind the page view, opened by the first page
// rendered (off the UI goroutine: the engine may still be starting).
type pagedDoc struct {
	file []byte
	once sync.Once
	doc  *pdf.Document
	err  error
}

func (d *pagedDoc) open() {
	d.once.Do(func() {
		engine, err := pdf.Shared()
		if err != nil {
			d.err = err
			return
		}
		d.doc, d.err = engine.Open(d.file)
		d.file = nil // the engine has its own copy
		// Reading the article left its layout's decoded copies (tens of
		// MB for a long PDF) as garbage: hand the memory back now, not
		// at the next collection, which may be far off.
		debug.FreeOSMemory()
	})
}

// render is the page view's Renderer.
func (d *pagedDoc) render(page, width int) (image.Image, error) {
	d.open()
	if d.err != nil {
		return nil, d.err
	}
	return d.doc.Render(page, width)
}

// close closes the PDF once no page is being opened or rendered.
func (d *pagedDoc) close() {
	go func() {
		d.once.Do(func() { d.err = errors.New("closed") })
		if d.doc != nil {
			d.doc.Close()
		}
	}()
}

// showPages gives the page view article a's pages when it is a PDF whose
// file the library holds, and shows them.
func (p *readerPanel) showPages(a annotations.Article) {
	p.closePages()
	if a.Format != annotations.FormatPDF {
		return
	}
	file, layout, err := p.u.svc.ArticleFile(a.ID)
	if err != nil {
		// A PDF article imported without its file: its text only.
		return
	}
	p.pdf = &pagedDoc{file: file}
	p.shownAt = time.Now()
	p.scanned = !formats.HasTextLayer(layout)
	pages, boxes := viewLayout(layout)
	p.pages.SetDocument(a.Text, pages, boxes, p.pdf.render)
	p.toggle.Show()
	p.setPaged(!p.u.app.Preferences().Bool(prefPDFAsText))
}

// closePages puts the page view away (another article, or none).
func (p *readerPanel) closePages() {
	if p.pdf != nil {
		p.pdf.close()
		p.pdf = nil
	}
	p.pages.SetDocument("", nil, nil, nil)
	p.pages.Hide()
	p.toggle.Hide()
	p.paged, p.scanned = false, false
	if p.u.article != nil {
		p.view.Show()
	}
}

// prefPDFAsText remembers that the reader switched PDFs to their text.
const prefPDFAsText = "pdfAsText"

// togglePages switches between a PDF's pages and its text, keeping the
// selection and the place.
func (p *readerPanel) togglePages() {
	if p.pdf == nil {
		return
	}
	p.u.app.Preferences().SetBool(prefPDFAsText, p.paged)
	p.setPaged(!p.paged)
}

func (p *readerPanel) setPaged(paged bool) {
	start, end := p.selection()
	p.paged = paged
	if paged {
		p.view.Hide()
		p.pages.Show()
		p.toggle.SetText("Show text")
		p.pages.SetSelection(start, end)
		p.pages.ScrollToOffset(start)
	} else {
		p.pages.Hide()
		p.view.Show()
		p.toggle.SetText("Show pages")
		p.view.SetSelection(start, end)
		p.view.ScrollToOffset(start)
	}
	p.colorBar.Hide()
	p.showPosition()
	p.focus()
}

// selection is the shown view's selection.
func (p *readerPanel) selection() (start, end int) {
	if p.paged {
		return p.pages.Selection()
	}
	return p.view.Selection()
}

// setSelection selects in the shown view.
func (p *readerPanel) setSelection(start, end int) {
	if p.paged {
		p.pages.SetSelection(start, end)
		return
	}
	p.view.SetSelection(start, end)
}

// focus gives the keyboard to the shown view.
func (p *readerPanel) focus() {
	if p.paged {
		p.u.win.Canvas().Focus(p.pages)
		return
	}
	p.u.win.Canvas().Focus(p.view)
}

// viewLayout is the library's page layout in the page view's terms.
func viewLayout(l *annotations.PageLayout) ([]pageview.Page, []pageview.Box) {
	pages := make([]pageview.Page, len(l.Pages))
	for i, pg := range l.Pages {
		pages[i] = pageview.Page{Start: pg.Start, End: pg.End, Width: pg.Width, Height: pg.Height}
	}
	boxes := make([]pageview.Box, len(l.Boxes))
	for i, b := range l.Boxes {
		boxes[i] = pageview.Box(b)
	}
	return pages, boxes
}

// pageHighlights are the text view's highlights for the page view.
func pageHighlights(hs []textview.Highlight) []pageview.Highlight {
	out := make([]pageview.Highlight, len(hs))
	for i, h := range hs {
		out[i] = pageview.Highlight(h)
	}
	return out
}

// onPagesAction runs a page view action when pages are shown.
func (u *ui) onPagesAction(action func(v *pageview.View)) func() {
	return func() {
		if u.reader.paged {
			action(u.reader.pages)
			u.reader.showPosition()
		}
	}
}

// onGoToPage asks for a page number and goes there.
func (u *ui) onGoToPage() {
	if !u.reader.paged {
		return
	}
	cur, total := u.reader.pages.Page()
	entry := widget.NewEntry()
	entry.SetText(strconv.Itoa(cur))
	entry.Validator = func(s string) error {
		if n, err := strconv.Atoi(strings.TrimSpace(s)); err != nil || n < 1 || n > total {
			return fmt.Errorf("a page from 1 to %d", total)
		}
		return nil
	}
	d := dialog.NewForm("Go to page", "Go", "Cancel",
		[]*widget.FormItem{widget.NewFormItem(fmt.Sprintf("Page (1–%d)", total), entry)},
		func(ok bool) {
			if n, err := strconv.Atoi(strings.TrimSpace(entry.Text)); ok && err == nil {
				u.reader.pages.GoToPage(n)
				u.reader.showPosition()
			}
			u.reader.focus()
		}, u.win)
	// Enter goes there (a valid number only: Submit checks).
	entry.OnSubmitted = func(string) { d.Submit() }
	u.show(d, true)
	u.win.Canvas().Focus(entry)
	entry.TypedShortcut(&fyne.ShortcutSelectAll{})
}

// offerPDFHighlights asks whether to bring in the highlights another
// reader saved in the PDFs just added, and does so in one transaction.
func (u *ui) offerPDFHighlights(added []annotations.Added, found []formats.Document) {
	var all []annotations.ExternalAnnotation
	var names []string
	for i, a := range added {
		if a.Created && len(found[i].Highlights) > 0 {
			all = append(all, found[i].PDFAnnotations(a.Article.ID, u.svc.NewID, time.Now().UTC())...)
			names = append(names, a.Article.Title)
		}
	}
	if len(all) == 0 {
		return
	}
	msg := fmt.Sprintf("%s holds %d highlight%s saved by another PDF reader. Bring them into Gloss, with their comments as notes?",
		strings.Join(names, ", "), len(all), plural(len(all)))
	d := dialog.NewConfirm("Highlights in the PDF", msg, func(ok bool) {
		if !ok {
			return
		}
		if _, err := u.svc.ImportExternal(all); err != nil {
			u.showError(err)
			return
		}
		u.setStatus(fmt.Sprintf("Brought in %d highlight%s from the PDF.", len(all), plural(len(all))))
	}, u.win)
	d.SetConfirmText("Bring them in")
	d.SetDismissText("Leave them out")
	u.show(d, true)
}

package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

// prefWebImages remembers whether the "Add a web page" dialog keeps the
// page's pictures: someone who wants them wants them every time.
const prefWebImages = "web.images"

// onAddWebPage asks for a web page's address and adds the page (File →
// Add web page…).
func (u *ui) onAddWebPage() {
	var d *dialog.ConfirmDialog
	addr := newEscEntry(func() { d.Dismiss() })
	addr.SetPlaceHolder("https://…")
	if text := u.app.Clipboard().Content(); formats.IsWebAddress(strings.TrimSpace(text)) {
		addr.SetText(strings.TrimSpace(text))
	}
	note := widget.NewLabel("")
	note.Importance = widget.LowImportance
	note.Wrapping = fyne.TextWrapWord
	images := widget.NewCheck("Also keep the page's pictures", func(on bool) {
		u.app.Preferences().SetBool(prefWebImages, on)
		note.SetText(webPageNote(on))
	})
	images.SetChecked(u.app.Preferences().Bool(prefWebImages))
	note.SetText(webPageNote(images.Checked))
	form := widget.NewForm(widget.NewFormItem("Address", addr))
	d = dialog.NewCustomConfirm("Add a web page", "Add", "Cancel", container.NewVBox(form, images, note), func(ok bool) {
		if ok {
			u.fetchWebPage(strings.TrimSpace(addr.Text), images.Checked)
		}
	}, u.win)
	addr.OnSubmitted = func(string) { d.Confirm() }
	d.Resize(fyne.NewSize(520, 0))
	u.show(d, true)
	u.win.Canvas().Focus(addr)
}

// webPageNote says what adding a web page fetches.
func webPageNote(images bool) string {
	if images {
		return "Gloss fetches this page once, then its pictures (at most 50), and nothing else of it (no scripts)."
	}
	return "Gloss fetches this page once, and nothing else of it (no images or scripts)."
}

// addWebPage adds the page at address, with its pictures if the dialog
// was last left asking for them.
func (u *ui) addWebPage(address string) {
	u.fetchWebPage(address, u.app.Preferences().Bool(prefWebImages))
}

// fetchWebPage fetches the page at address (and its pictures when
// images is set) off the UI thread, with a dialog while it does, adds it
// to the library and opens it.
func (u *ui) fetchWebPage(address string, images bool) {
	if !formats.IsWebAddress(address) {
		u.showError(errors.New("give a web address that starts with http:// or https://"))
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	label := widget.NewLabel("Fetching " + clip(address, 60) + "…")
	progress := dialog.NewCustom("Adding a web page", "Cancel", label, u.win)
	progress.SetOnClosed(cancel)
	u.show(progress, false)
	u.background(func() {
		f, err := formats.FetchArticleWith(ctx, address, formats.FetchOptions{Images: images})
		fyne.Do(func() {
			cancelled := ctx.Err() != nil
			progress.SetOnClosed(func() {})
			progress.Hide()
			cancel()
			switch {
			case cancelled:
				u.setStatus("Not added: cancelled.")
			case err != nil:
				u.showError(err)
			default:
				u.addArticles([]annotations.NewArticle{f.Document.NewArticle(f.Final)}, nil, nil, nil)
				if images {
					n := len(f.Document.Images)
					u.setStatus(fmt.Sprintf("%s · %d picture%s kept", u.status.Text, n, plural(n)))
					if f.ImagesSkipped > 0 {
						u.setStatus(fmt.Sprintf("%s (%d could not be)", u.status.Text, f.ImagesSkipped))
					}
				}
			}
		})
	})
}

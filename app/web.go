package app

import (
	"context"
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
)

// onAddWebPage asks for a web page's address and adds the page (File →
// Add web page…).
func (u *ui) onAddWebPage() {
	var d *dialog.ConfirmDialog
	addr := newEscEntry(func() { d.Dismiss() })
	addr.SetPlaceHolder("https://…")
	if text := u.app.Clipboard().Content(); formats.IsWebAddress(strings.TrimSpace(text)) {
		addr.SetText(strings.TrimSpace(text))
	}
	note := widget.NewLabel("Gloss fetches this page once, and nothing else of it (no images or scripts).")
	note.Importance = widget.LowImportance
	note.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem("Address", addr))
	d = dialog.NewCustomConfirm("Add a web page", "Add", "Cancel", container.NewVBox(form, note), func(ok bool) {
		if ok {
			u.addWebPage(strings.TrimSpace(addr.Text))
		}
	}, u.win)
	addr.OnSubmitted = func(string) { d.Confirm() }
	d.Resize(fyne.NewSize(520, 0))
	u.show(d, true)
	u.win.Canvas().Focus(addr)
}

// addWebPage fetches the page at address off the UI thread, with a
// dialog while it does, adds it to the library and opens it.
func (u *ui) addWebPage(address string) {
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
		doc, final, err := formats.FetchArticle(ctx, nil, address)
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
				u.addArticles([]annotations.NewArticle{doc.NewArticle(final)}, nil, nil, nil)
			}
		})
	})
}

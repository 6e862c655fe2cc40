package app

import (
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// Managing articles from the window: their details (title, source, what
// they are cited by), the trash.

// onArticleDetails edits the open article's details.
func (u *ui) onArticleDetails() {
	if u.article == nil {
		u.setStatus("Open an article first.")
		return
	}
	u.showArticleDetails(u.article.ID)
}

// showArticleDetails asks for an article's title, authors, year, DOI, web
// address and source, and saves them.
func (u *ui) showArticleDetails(id uuid.UUID) {
	a, err := u.svc.ArticleMeta(id)
	if err != nil {
		u.showError(err)
		return
	}
	var d *dialog.ConfirmDialog
	esc := func() { d.Dismiss() }
	title := newEscEntry(esc)
	title.SetText(a.Title)
	authors := newEscEntry(esc)
	authors.MultiLine = true
	authors.Wrapping = fyne.TextWrapOff
	authors.SetText(strings.Join(a.Authors, "\n"))
	authors.SetPlaceHolder("One author a line")
	authors.SetMinRowsVisible(3)
	year := newEscEntry(esc)
	if a.Year != 0 {
		year.SetText(strconv.Itoa(a.Year))
	}
	year.SetPlaceHolder("e.g. 2025")
	doi := newEscEntry(esc)
	doi.SetText(a.DOI)
	doi.SetPlaceHolder("10.1000/xyz123")
	addr := newEscEntry(esc)
	addr.SetText(a.URL)
	addr.SetPlaceHolder("https://…")
	source := newEscEntry(esc)
	source.SetText(a.Source)
	form := widget.NewForm(
		widget.NewFormItem("Title", title),
		widget.NewFormItem("Authors", authors),
		widget.NewFormItem("Year", year),
		widget.NewFormItem("DOI", doi),
		widget.NewFormItem("Web address", addr),
		widget.NewFormItem("Source", source),
	)
	d = dialog.NewCustomConfirm("Article details", "Save", "Cancel", form, func(ok bool) {
		if !ok {
			return
		}
		c := annotations.Citation{DOI: doi.Text, URL: addr.Text}
		c.Authors = append(c.Authors, strings.Split(authors.Text, "\n")...)
		if y := strings.TrimSpace(year.Text); y != "" {
			n, err := strconv.Atoi(y)
			if err != nil {
				u.showError(fmt.Errorf("the year %q is not a number", y))
				return
			}
			c.Year = n
		}
		t, s := title.Text, source.Text
		if _, err := u.svc.EditArticle(id, annotations.ArticleEdit{Title: &t, Source: &s, Citation: &c}); err != nil {
			u.showError(err)
			return
		}
		u.setStatus("Saved the article's details. Ctrl+Z undoes.")
	}, u.win)
	d.Resize(fyne.NewSize(560, 0))
	u.show(d, true)
	u.win.Canvas().Focus(title)
}

// onTrashArticle moves the open article to the trash.
func (u *ui) onTrashArticle() {
	if u.article == nil {
		u.setStatus("Open an article first.")
		return
	}
	u.trashArticle(u.article.ID)
}

// trashArticle moves an article to the trash with its highlights.
func (u *ui) trashArticle(id uuid.UUID) {
	a, err := u.svc.TrashArticle(id)
	if err != nil {
		u.showError(err)
		return
	}
	u.setStatus(fmt.Sprintf("Moved “%s” to the trash with its highlights. Ctrl+Z brings it back.", preview(a.Title, 60)))
}

// showTrash lists what is in the trash — articles, and highlights trashed
// on their own — each with a button that brings it back.
func (u *ui) showTrash() {
	arts, err := u.svc.TrashedArticles()
	if err != nil {
		u.showError(err)
		return
	}
	notes, err := u.svc.Notes(annotations.NotesQuery{Trash: true})
	if err != nil {
		u.showError(err)
		return
	}
	var d *dialog.CustomDialog
	rows := container.NewVBox()
	inTrash := map[uuid.UUID]bool{}
	if len(arts) > 0 {
		head := widget.NewLabel("Articles")
		head.TextStyle.Bold = true
		rows.Add(head)
	}
	for _, a := range arts {
		inTrash[a.ID] = true
		a := a
		label := widget.NewLabel(fmt.Sprintf("%s\nin the trash since %s", a.Title, a.DeletedAt.Local().Format("2 Jan 2006 15:04")))
		label.Truncation = fyne.TextTruncateEllipsis
		restore := widget.NewButtonWithIcon("Restore", theme.ContentUndoIcon(), func() {
			if _, err := u.svc.RestoreArticle(a.ID); err != nil {
				u.showError(err)
				return
			}
			d.Hide()
			u.openArticle(a.ID)
			u.setStatus(fmt.Sprintf("Restored “%s” with its highlights.", preview(a.Title, 60)))
		})
		rows.Add(container.NewBorder(nil, nil, nil, restore, label))
	}
	titles := map[uuid.UUID]string{}
	var alone []annotations.Annotation
	for _, n := range notes {
		if !inTrash[n.ArticleID] {
			alone = append(alone, n)
		}
	}
	if len(alone) > 0 {
		head := widget.NewLabel("Highlights")
		head.TextStyle.Bold = true
		rows.Add(head)
	}
	for _, n := range alone {
		n := n
		t, ok := titles[n.ArticleID]
		if !ok {
			if a, err := u.svc.ArticleMeta(n.ArticleID); err == nil {
				t = a.Title
			}
			titles[n.ArticleID] = t
		}
		label := widget.NewLabel(fmt.Sprintf("“%s”\n%s · %s", preview(n.Target.Exact, 80), colorName(n.Color, u.labels), preview(t, 50)))
		label.Truncation = fyne.TextTruncateEllipsis
		restore := widget.NewButtonWithIcon("Restore", theme.ContentUndoIcon(), func() {
			if _, err := u.svc.Restore(n.ID); err != nil {
				u.showError(err)
				return
			}
			d.Hide()
			if u.article == nil || u.article.ID != n.ArticleID {
				u.openArticle(n.ArticleID)
			}
			u.selectNote(n.ID, true)
			u.setStatus("Restored the highlight.")
		})
		rows.Add(container.NewBorder(nil, nil, nil, restore, label))
	}
	var empty fyne.CanvasObject = container.NewHBox()
	if len(arts) == 0 && len(alone) == 0 {
		rows.Add(widget.NewLabel("The trash is empty."))
	} else {
		n := len(notes)
		b := widget.NewButtonWithIcon("Empty the trash…", theme.DeleteIcon(), func() {
			msg := fmt.Sprintf("Delete %d article%s and %d highlight%s for good? This cannot be undone.", len(arts), plural(len(arts)), n, plural(n))
			confirm := dialog.NewConfirm("Empty the trash", msg, func(yes bool) {
				if !yes {
					return
				}
				got, err := u.svc.EmptyTrash()
				if err != nil {
					u.showError(err)
					return
				}
				d.Hide()
				u.setStatus(fmt.Sprintf("Deleted %d article%s and %d highlight%s for good.", got.Articles, plural(got.Articles), got.Annotations, plural(got.Annotations)))
			}, u.win)
			confirm.SetConfirmImportance(widget.DangerImportance)
			confirm.SetConfirmText("Delete for good")
			u.show(confirm, true)
		})
		b.Importance = widget.DangerImportance
		empty = container.NewHBox(b)
	}
	d = dialog.NewCustom("Trash", "Close", container.NewBorder(nil, empty, nil, nil, container.NewVScroll(rows)), u.win)
	d.Resize(fyne.NewSize(620, 460))
	u.show(d, true)
}

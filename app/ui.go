package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/assets"
)

// ui is the main window: it holds the parts and the state they share, and
// carries out what the reader asks for through the service.
type ui struct {
	app fyne.App
	win fyne.Window
	svc *annotations.Service

	library *libraryPanel
	reader  *readerPanel
	cards   *cardsPanel
	editor  *noteEditor
	search  *searchPanel
	status  *widget.Label
	menu    *menus

	labels annotations.ColorLabels
	// article is the open article (with text); notes its annotations not
	// in the trash, in text order.
	article  *annotations.Article
	notes    []annotations.Annotation
	selected uuid.UUID
	filter   noteFilter
}

// noteFilter narrows the library list and the cards to annotations with a
// tag and/or of a colour.
type noteFilter struct {
	tag   string
	color annotations.Color
}

func (f noteFilter) active() bool { return f.tag != "" || f.color != "" }

func (f noteFilter) match(a annotations.Annotation) bool {
	return (f.tag == "" || annotations.HasTag(a.Tags, f.tag)) && (f.color == "" || a.Color == f.color)
}

func newUI(a fyne.App, w fyne.Window, svc *annotations.Service) *ui {
	u := &ui{app: a, win: w, svc: svc, status: widget.NewLabel("")}
	u.status.Truncation = fyne.TextTruncateEllipsis
	u.labels, _ = svc.ColorLabels()
	u.library = newLibraryPanel(u)
	u.reader = newReaderPanel(u)
	u.cards = newCardsPanel(u)
	u.editor = newNoteEditor(u)
	u.search = newSearchPanel(u)
	u.menu = newMenus(u)
	w.SetMainMenu(u.menu.main)
	// A theme change (light/dark) repaints the highlights in fills made
	// for the new background.
	a.Settings().AddListener(func(fyne.Settings) { u.reader.paint(u.visibleNotes(), u.selected) })
	w.SetOnDropped(u.onDropped)
	// "/" finds, when no text field has the keyboard.
	w.Canvas().SetOnTypedRune(func(r rune) {
		if r == '/' {
			u.onFind()
		}
	})
	w.SetCloseIntercept(u.onQuit)

	right := container.NewVSplit(u.cards.object(), u.editor.object())
	right.Offset = 0.55
	centre := container.NewHSplit(u.reader.object(), right)
	centre.Offset = 0.68
	main := container.NewHSplit(container.NewStack(u.library.object(), u.search.body), centre)
	main.Offset = 0.22
	toolbar := widget.NewToolbar(
		widget.NewToolbarAction(theme.FolderOpenIcon(), u.onOpenDialog),
		widget.NewToolbarSeparator(),
		toolbarObject{u.search.box()},
		widget.NewToolbarAction(theme.DocumentSaveIcon(), u.onExport),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ContentUndoIcon(), u.onUndo),
		widget.NewToolbarAction(theme.ContentRedoIcon(), u.onRedo),
		widget.NewToolbarSeparator(),
		widget.NewToolbarAction(theme.ColorPaletteIcon(), u.onColorMeanings),
	)
	w.SetContent(container.NewBorder(toolbar, container.NewPadded(u.status), nil, nil, main))
	return u
}

// toolbarObject puts any widget in a toolbar.
type toolbarObject struct{ o fyne.CanvasObject }

func (t toolbarObject) ToolbarObject() fyne.CanvasObject { return t.o }

// onFind puts the keyboard in the search box (Ctrl+K, or / in the article).
func (u *ui) onFind() {
	u.win.Canvas().Focus(u.search.entry)
}

// start fills the window: the welcome article on the first run, else the
// article asked for or the one read last. The search index builds in the
// background meanwhile.
func (u *ui) start(article string) {
	defer u.search.build()
	u.library.refresh()
	if article != "" {
		id, err := u.svc.ResolveArticle(article)
		if err != nil {
			u.showError(err)
		} else {
			u.openArticle(id)
			return
		}
	}
	if len(u.library.all) == 0 && !u.app.Preferences().Bool(prefWelcomed) {
		u.addWelcome()
		return
	}
	if last, err := uuid.Parse(u.app.Preferences().String(prefLastArticle)); err == nil {
		if _, err := u.svc.ArticleMeta(last); err == nil {
			u.openArticle(last)
			return
		}
	}
	if len(u.library.shown) > 0 {
		u.openArticle(u.library.shown[0].ID)
	}
}

// addWelcome adds the embedded welcome article and opens it.
func (u *ui) addWelcome() {
	a, _, err := u.svc.AddArticle(annotations.NewArticle{
		Title: "Welcome to Gloss", Source: "gloss:" + assets.WelcomeName,
		Format: annotations.FormatMarkdown, Text: assets.Welcome(),
	})
	if err != nil {
		u.showError(err)
		return
	}
	u.app.Preferences().SetBool(prefWelcomed, true)
	u.library.refresh()
	u.openArticle(a.ID)
}

// openArticle shows an article with its highlights.
func (u *ui) openArticle(id uuid.UUID) {
	a, err := u.svc.Article(id)
	if err != nil {
		u.showError(err)
		return
	}
	u.article = &a
	u.selected = uuid.Nil
	u.app.Preferences().SetString(prefLastArticle, id.String())
	u.win.SetTitle(a.Title + " — Gloss")
	u.reader.show(a)
	u.reloadNotes()
	u.library.markOpen(id)
	u.setStatus(fmt.Sprintf("%s · %d highlights", a.Title, len(u.notes)))
}

// reloadNotes re-reads the open article's annotations and repaints the
// highlights, the cards and the editor.
func (u *ui) reloadNotes() {
	if u.article == nil {
		u.notes = nil
	} else {
		id := u.article.ID
		notes, err := u.svc.Notes(annotations.NotesQuery{ArticleID: &id})
		if err != nil {
			u.showError(err)
			return
		}
		u.notes = notes
	}
	if u.selected != uuid.Nil && u.note(u.selected) == nil {
		u.selected = uuid.Nil
	}
	u.reader.paint(u.visibleNotes(), u.selected)
	u.cards.show(u.visibleNotes(), u.selected)
	u.editor.show(u.note(u.selected))
}

// visibleNotes are the open article's annotations that pass the filter.
func (u *ui) visibleNotes() []annotations.Annotation {
	if !u.filter.active() {
		return u.notes
	}
	var out []annotations.Annotation
	for _, a := range u.notes {
		// The selected highlight shows even when it does not pass the
		// filter (a new one, say), so the reader sees what they edit.
		if u.filter.match(a) || a.ID == u.selected {
			out = append(out, a)
		}
	}
	return out
}

// note returns the open article's annotation with that ID, or nil.
func (u *ui) note(id uuid.UUID) *annotations.Annotation {
	if id == uuid.Nil {
		return nil
	}
	for i := range u.notes {
		if u.notes[i].ID == id {
			return &u.notes[i]
		}
	}
	return nil
}

// selectNote makes an annotation the selected one: its card is marked,
// the editor shows it and, when reveal is set, the article scrolls to its
// passage and selects it.
func (u *ui) selectNote(id uuid.UUID, reveal bool) {
	u.selected = id
	n := u.note(id)
	u.cards.setSelected(id)
	u.editor.show(n)
	u.reader.paint(u.visibleNotes(), id)
	if n != nil && reveal && n.Status != annotations.StatusOrphaned {
		u.reader.reveal(n.Target.Start, n.Target.End)
	}
}

// highlightSelection highlights the article's selected text in colour c.
func (u *ui) highlightSelection(c annotations.Color) {
	if u.article == nil {
		return
	}
	start, end := u.reader.view.Selection()
	if start == end {
		if u.selected != uuid.Nil {
			u.changeColor(u.selected, c) // a highlight is selected: recolour it
			return
		}
		u.setStatus("Select some text first, then press 1–8 to highlight it.")
		return
	}
	// The same passage highlighted again changes the colour instead of
	// stacking a second highlight on it.
	for _, n := range u.notes {
		if n.Target.Start == start && n.Target.End == end && n.Status != annotations.StatusOrphaned {
			u.changeColor(n.ID, c)
			return
		}
	}
	a, err := u.svc.Highlight(annotations.HighlightRequest{ArticleID: u.article.ID, Start: start, End: end, Color: c})
	if err != nil {
		u.showError(err)
		return
	}
	u.search.changed(a.ID)
	u.selected = a.ID
	// Collapse the selection so the new colour shows; the highlight stays
	// selected (its card), so Enter opens its note.
	u.reader.view.SetSelection(end, end)
	u.reloadNotes()
	u.cards.setSelected(a.ID)
	u.library.refresh()
	u.setStatus(fmt.Sprintf("Highlighted %s. Enter writes a note; Ctrl+Z undoes.", colorPhrase(c, u.labels)))
}

// changeColor recolours an annotation.
func (u *ui) changeColor(id uuid.UUID, c annotations.Color) {
	if _, err := u.svc.Edit(id, annotations.Change{Color: &c}); err != nil {
		u.showError(err)
		return
	}
	u.search.changed(id)
	u.selected = id
	u.reloadNotes()
	u.setStatus("Now " + colorPhrase(c, u.labels) + ".")
}

// onEnter opens the note editor: on the selected highlight, or on a new
// yellow highlight of the selected text.
func (u *ui) onEnter() {
	start, end := u.reader.view.Selection()
	if start != end {
		found := false
		for _, n := range u.notes {
			if n.Target.Start == start && n.Target.End == end {
				u.selectNote(n.ID, false)
				found = true
				break
			}
		}
		if !found {
			u.highlightSelection(annotations.DefaultColor)
		}
	}
	if u.selected != uuid.Nil {
		u.editor.focusNote()
	}
}

// onDelete moves the selected annotation to the trash.
func (u *ui) onDelete() {
	if u.selected == uuid.Nil {
		return
	}
	u.editor.flush() // a note typed just before is kept (and comes back with Undo)
	if _, err := u.svc.Trash(u.selected); err != nil {
		u.showError(err)
		return
	}
	u.search.changed(u.selected)
	u.selected = uuid.Nil
	u.reloadNotes()
	u.library.refresh()
	u.setStatus("Moved to the trash. Ctrl+Z brings it back.")
}

func (u *ui) onUndo() { u.history(u.svc.Undo, "Undone.") }

func (u *ui) onRedo() { u.history(u.svc.Redo, "Redone.") }

func (u *ui) history(step func() ([]uuid.UUID, error), done string) {
	u.editor.flush()
	ids, err := step()
	switch {
	case errors.Is(err, annotations.ErrNothingToUndo):
		u.setStatus("Nothing to undo.")
		return
	case errors.Is(err, annotations.ErrNothingToRedo):
		u.setStatus("Nothing to redo.")
		return
	case err != nil:
		u.showError(err)
		return
	}
	u.search.changed(ids...)
	// The step may have replaced the open article's text (a revision
	// undone or redone): show the text the library now holds.
	if u.article != nil {
		if a, err := u.svc.ArticleMeta(u.article.ID); err == nil && a.Hash != u.article.Hash {
			u.openArticle(a.ID)
		}
	}
	// Show the article the change was in.
	if len(ids) > 0 {
		if a, err := u.svc.Annotation(ids[0]); err == nil {
			if u.article == nil || u.article.ID != a.ArticleID {
				u.openArticle(a.ArticleID)
			}
			if !a.Trashed() {
				u.selected = a.ID
			}
		}
	}
	u.reloadNotes()
	u.library.refresh()
	u.library.refreshFilters()
	if n := u.note(u.selected); n != nil && n.Status != annotations.StatusOrphaned {
		u.reader.reveal(n.Target.Start, n.Target.End)
	}
	u.setStatus(done)
}

func (u *ui) onColorMeanings() {
	showColorMeanings(u.labels, u.win, func(labels annotations.ColorLabels) {
		if err := u.svc.SetColorLabels(labels); err != nil {
			u.showError(err)
			return
		}
		u.labels, _ = u.svc.ColorLabels()
		u.library.refreshFilters()
		u.reader.refreshColorBar()
		u.reloadNotes()
	})
}

// onQuit saves what the next start needs, then quits.
func (u *ui) onQuit() {
	u.editor.flush()
	size := u.win.Canvas().Size()
	prefs := u.app.Preferences()
	if size.Width > 100 && size.Height > 100 {
		prefs.SetFloat(prefWidth, float64(size.Width))
		prefs.SetFloat(prefHeight, float64(size.Height))
	}
	u.app.Quit()
}

func (u *ui) setStatus(s string) { u.status.SetText(s) }

// showError shows err in a dialog, as one line of at most maxErrorRunes
// characters, however much input the message echoes.
func (u *ui) showError(err error) {
	const maxErrorRunes = 300
	dialog.ShowError(errors.New(clip(oneLine(err.Error()), maxErrorRunes)), u.win)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// debounce runs fn on the UI thread after d has passed without another
// call.
type debounce struct {
	d     time.Duration
	timer *time.Timer
}

func (db *debounce) call(fn func()) {
	if db.timer != nil {
		db.timer.Stop()
	}
	db.timer = time.AfterFunc(db.d, func() { fyne.Do(fn) })
}

func (db *debounce) stop() {
	if db.timer != nil {
		db.timer.Stop()
		db.timer = nil
	}
}

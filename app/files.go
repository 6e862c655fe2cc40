package app

import (
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/app/pageview"
)

// maxRecent is how many recent files the File menu remembers.
const maxRecent = 10

// articleExtensions are the files the open dialog offers: every kind Gloss
// reads.
var articleExtensions = formats.ArticleExtensions()

func (u *ui) onOpenDialog() {
	u.chooseFile("Open an article", false, articleExtensions, "", "", func(path string) {
		u.openFiles([]string{path})
	})
}

// onDropped opens the files dropped on the window.
func (u *ui) onDropped(_ fyne.Position, uris []fyne.URI) {
	var paths []string
	for _, uri := range uris {
		if uri.Scheme() == "file" {
			paths = append(paths, uri.Path())
		}
	}
	if len(paths) > 0 {
		u.openFiles(paths)
	}
}

// openFiles reads article files off the UI thread (HTML takes a while),
// with a progress dialog when there are several, adds the readable ones to
// the library in one transaction, and opens the last. Files that cannot
// be read are listed in one dialog; the others are still added.
func (u *ui) openFiles(paths []string) {
	var progress *dialog.CustomDialog
	bar := widget.NewProgressBar()
	if len(paths) > 1 {
		bar.Max = float64(len(paths))
		label := widget.NewLabel(fmt.Sprintf("Reading %d files…", len(paths)))
		progress = dialog.NewCustomWithoutButtons("Opening articles", container.NewVBox(label, bar), u.win)
		progress.Resize(fyne.NewSize(380, 0))
		u.show(progress, false)
	}
	u.background(func() {
		docs, read, problems, found := readArticleFiles(paths, func(done int) {
			fyne.Do(func() { bar.SetValue(float64(done)) })
		})
		fyne.Do(func() {
			if progress != nil {
				progress.Hide()
			}
			u.addArticles(docs, read, problems, found)
		})
	})
}

// readArticleFiles reads article files, calling progress (when not nil)
// after each. It returns the articles read with their absolute paths, a
// one-line message per file that could not be read, and the documents
// read (whose PDFs may hold highlights made in another reader).
func readArticleFiles(paths []string, progress func(done int)) (docs []annotations.NewArticle, read, problems []string, found []formats.Document) {
	for i, p := range paths {
		doc, err := formats.ReadArticleFile(p)
		if err != nil {
			problems = append(problems, oneLine(err.Error()))
		} else {
			abs, _ := filepath.Abs(p)
			docs = append(docs, doc.NewArticle(abs))
			read = append(read, abs)
			found = append(found, doc)
		}
		if progress != nil {
			progress(i + 1)
		}
	}
	return docs, read, problems, found
}

// addArticles adds the articles read and opens the last; found, when not
// nil, are the documents they were read from: a new PDF's highlights made
// in another reader are offered for import.
func (u *ui) addArticles(docs []annotations.NewArticle, paths, problems []string, found []formats.Document) {
	var added []annotations.Added
	if len(docs) > 0 {
		var err error
		if added, err = u.svc.AddArticles(docs); err != nil {
			problems = append(problems, oneLine(err.Error()))
		} else {
			for _, p := range paths {
				u.remember(p)
			}
		}
	}
	if len(added) > 0 {
		u.openArticle(added[len(added)-1].Article.ID)
		fresh := 0
		for _, a := range added {
			if a.Created {
				fresh++
			}
		}
		u.setStatus(fmt.Sprintf("Opened %d article%s (%d new).", len(added), plural(len(added)), fresh))
		u.noteScanned()
		if len(found) == len(added) {
			u.offerPDFHighlights(added, found)
		}
	}
	switch len(problems) {
	case 0:
	case 1:
		u.showError(errors.New(problems[0]))
	default:
		msg := widget.NewLabel(strings.Join(problems, "\n"))
		msg.Wrapping = fyne.TextWrapWord
		d := dialog.NewCustom(fmt.Sprintf("%d files could not be opened", len(problems)), "OK", container.NewVScroll(msg), u.win)
		d.Resize(fyne.NewSize(560, 320))
		u.show(d, true)
	}
}

// remember puts a file at the top of the recent files.
func (u *ui) remember(path string) {
	prefs := u.app.Preferences()
	recent := slices.DeleteFunc(prefs.StringList(prefRecent), func(p string) bool { return p == path })
	recent = append([]string{path}, recent...)
	prefs.SetStringList(prefRecent, recent[:min(maxRecent, len(recent))])
	u.menu.refreshRecent()
}

// menus is the window's main menu. App-wide shortcuts live on its items:
// Fyne checks them before a focused widget handles a key.
type menus struct {
	u      *ui
	main   *fyne.MainMenu
	recent *fyne.MenuItem
}

func newMenus(u *ui) *menus {
	m := &menus{u: u}
	// Every action is guarded: while a dialog is open it does nothing
	// (its shortcut goes to the dialog).
	item := func(label string, key fyne.KeyName, mod fyne.KeyModifier, action func()) *fyne.MenuItem {
		var sc fyne.Shortcut
		if key != "" {
			sc = &desktop.CustomShortcut{KeyName: key, Modifier: mod}
		}
		it := fyne.NewMenuItem(label, u.guard(sc, action))
		it.Shortcut = sc
		return it
	}
	ctrl := fyne.KeyModifierShortcutDefault
	m.recent = fyne.NewMenuItem("Open Recent", nil)
	m.refreshRecent()
	file := fyne.NewMenu("File",
		item("Open…", fyne.KeyO, ctrl, u.onOpenDialog),
		item("Add web page…", fyne.KeyL, ctrl, u.onAddWebPage),
		item("Find in notes…", fyne.KeyK, ctrl, u.onFind),
		m.recent,
		fyne.NewMenuItemSeparator(),
		item("Replace text with a newer version…", "", 0, u.onReplaceText),
		item("Article details…", "", 0, u.onArticleDetails),
		item("Move article to the trash", "", 0, u.onTrashArticle),
		item("Trash…", "", 0, u.showTrash),
		item("Export…", fyne.KeyE, ctrl, u.onExport),
		fyne.NewMenuItemSeparator(),
		item("Quit", fyne.KeyQ, ctrl, u.onQuit),
	)
	// The driver turns Ctrl+Z and Ctrl+Y into fyne.ShortcutUndo and
	// ShortcutRedo before it looks at the menu, so those are the shortcuts
	// that match; Ctrl+Shift+Z arrives as a custom shortcut.
	undo := fyne.NewMenuItem("Undo", u.guard(&fyne.ShortcutUndo{}, u.onUndo))
	undo.Shortcut = &fyne.ShortcutUndo{}
	edit := fyne.NewMenu("Edit",
		undo,
		item("Redo", fyne.KeyZ, ctrl|fyne.KeyModifierShift, u.onRedo),
		fyne.NewMenuItemSeparator(),
		item("Find in the article…", fyne.KeyF, ctrl, u.reader.find.open),
		fyne.NewMenuItemSeparator(),
		item("Colour meanings…", "", 0, u.onColorMeanings),
	)
	pages := func(label string, key fyne.KeyName, mod fyne.KeyModifier, action func(*pageview.View)) *fyne.MenuItem {
		return item(label, key, mod, u.onPagesAction(action))
	}
	view := fyne.NewMenu("View",
		item("Pages or text of a PDF", fyne.KeyP, ctrl|fyne.KeyModifierShift, u.reader.togglePages),
		item("Go to page…", fyne.KeyG, ctrl, u.onGoToPage),
		item("Contents…", fyne.KeyT, ctrl, u.onContents),
		fyne.NewMenuItemSeparator(),
		pages("Zoom in", fyne.KeyEqual, ctrl, (*pageview.View).ZoomIn),
		pages("Zoom out", fyne.KeyMinus, ctrl, (*pageview.View).ZoomOut),
		pages("Fit width", fyne.Key0, ctrl, (*pageview.View).FitWidth),
		pages("Actual size", fyne.Key1, ctrl, (*pageview.View).ActualSize),
	)
	help := fyne.NewMenu("Help",
		item("Welcome article", "", 0, u.openWelcome),
		item("Keyboard shortcuts", "", 0, u.showShortcuts),
	)
	m.main = fyne.NewMainMenu(file, edit, view, help)
	// Ctrl+Y redoes too, as in many editors.
	u.win.Canvas().AddShortcut(&fyne.ShortcutRedo{}, func(fyne.Shortcut) { u.guard(nil, u.onRedo)() })
	return m
}

// addSync puts the sync items in the File menu, above Quit.
func (m *menus) addSync(items ...*fyne.MenuItem) {
	file := m.main.Items[0]
	at := len(file.Items)
	for i := len(file.Items) - 1; i >= 0; i-- {
		if file.Items[i].IsSeparator {
			at = i
			break
		}
	}
	add := append([]*fyne.MenuItem{fyne.NewMenuItemSeparator()}, items...)
	file.Items = slices.Insert(file.Items, at, add...)
	m.main.Refresh()
}

// refreshRecent rebuilds the Open Recent submenu.
func (m *menus) refreshRecent() {
	recent := m.u.app.Preferences().StringList(prefRecent)
	var items []*fyne.MenuItem
	for _, p := range recent {
		p := p
		items = append(items, fyne.NewMenuItem(p, func() { m.u.openFiles([]string{p}) }))
	}
	if len(items) == 0 {
		none := fyne.NewMenuItem("No recent files", nil)
		none.Disabled = true
		items = append(items, none)
	}
	m.recent.ChildMenu = fyne.NewMenu("", items...)
	if m.main != nil {
		m.main.Refresh()
	}
}

// openWelcome opens the welcome article, adding it again if it was
// removed.
func (u *ui) openWelcome() {
	for _, a := range u.library.all {
		if a.Source == "gloss:welcome.md" {
			u.openArticle(a.ID)
			return
		}
	}
	u.addWelcome()
}

func (u *ui) showShortcuts() {
	rows := [][2]string{
		{"1 – 8", "highlight the selection in that colour"},
		{"Enter", "write a note on the selection or highlight"},
		{"Delete", "move the selected highlight to the trash"},
		{"Ctrl+Z / Ctrl+Shift+Z", "undo / redo"},
		{"Double / triple click", "select a word / a paragraph"},
		{"Shift+click, Shift+arrows", "extend the selection"},
		{"Ctrl+A, Ctrl+C", "select the whole article, copy"},
		{"Ctrl+K, /", "search every note as you type; ↑↓ and Enter open a result"},
		{"Ctrl+F", "find in the article; Enter / Shift+Enter next / previous, Escape selects the match"},
		{"Ctrl+Home / Ctrl+End", "the start / the end of the article"},
		{"Ctrl+Shift+P", "a PDF's pages, or its text"},
		{"Ctrl+G, Ctrl+= / Ctrl+- / Ctrl+0 / Ctrl+1", "go to a page; zoom in / out / fit the width / actual size (pages)"},
		{"Ctrl+O", "open articles (text, Markdown, HTML, EPUB, PDF)"},
		{"Ctrl+L", "add a web page by its address"},
		{"Ctrl+E", "export highlights (Markdown, CSV, W3C, JSON)"},
		{"Ctrl+Q", "quit"},
	}
	if u.sync.syncer != nil {
		rows = slices.Insert(rows, len(rows)-1, [2]string{"Ctrl+Shift+S", "sync the library now (File ▸ Sync… sets it up)"})
	}
	grid := container.NewGridWithColumns(2)
	for _, r := range rows {
		k := widget.NewLabel(r[0])
		k.TextStyle.Bold = true
		grid.Add(k)
		grid.Add(widget.NewLabel(r[1]))
	}
	u.show(dialog.NewCustom("Keyboard shortcuts", "Close", grid, u.win), true)
}

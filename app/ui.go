package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/assets"
)

// ui is the main window's presenter: it holds what the parts share — the
// open article and its annotations, the selected annotation, the filter —
// and carries out what the reader asks for through the service. It never
// refreshes a part after a change: every change comes back through the
// service's feed, to which the open article's notes and each part
// subscribe.
type ui struct {
	app    fyne.App
	win    fyne.Window
	svc    *annotations.Service
	finder Searcher

	library *libraryPanel
	reader  *readerPanel
	cards   *cardsPanel
	editor  *noteEditor
	search  *searchPanel
	sync    *syncPanel
	status  *widget.Label
	menu    *menus

	labels annotations.ColorLabels
	// article is the open article (with its text); notes its annotations
	// not in the trash, in text order.
	article *annotations.Article
	// structure is how the open article's text was set out (nil: plain).
	structure *annotations.Structure
	notes     noteSet
	selected  uuid.UUID
	filter    noteFilter

	// background runs work off the UI thread; schedule runs fn on the UI
	// thread after d (and returns a function that cancels it). Tests
	// replace both, so that the test goroutine is the only one.
	background func(func())
	schedule   func(d time.Duration, fn func()) (stop func())
	// do runs fn on the UI thread, from background work (fyne.Do; tests
	// whose background work runs in goroutines queue it to the test's).
	do func(fn func())
	// writeFile writes a file the reader asked for (an export).
	writeFile func(path string, write func(io.Writer) error) error

	cancels []func()
	// uiGoroutine is the goroutine that runs the window's callbacks (the
	// one newUI runs on); delivering counts the feed's handlers running on
	// it (see subscribe).
	uiGoroutine uint64
	delivering  int
	trace       tracer
	dialogs     dialogs
	tips        *tips
	// historyVerb is "Undid" or "Redid" while an undo or redo is on its
	// way through the feed: the status bar then names what it changed.
	historyVerb string
}

// noteFilter narrows the library list and the cards to annotations with a
// tag, of a colour and/or by an author (compared by AuthorKey).
type noteFilter struct {
	tag    string
	color  annotations.Color
	author string
}

func (f noteFilter) active() bool { return f.tag != "" || f.color != "" || f.author != "" }

// String names the filter: "#place and green", "#place by Ana Lima", "by
// Ana Lima".
func (f noteFilter) String() string {
	var parts []string
	if f.tag != "" {
		parts = append(parts, "#"+f.tag)
	}
	if f.color != "" {
		parts = append(parts, string(f.color))
	}
	s := strings.Join(parts, " and ")
	if f.author != "" {
		s = strings.TrimSpace(s + " by " + f.author)
	}
	return s
}

// matching names the highlights that pass the filter, after a noun for
// them: "matching #place and green", "matching red by Ana Lima", "by Ana
// Lima".
func (f noteFilter) matching() string {
	if f.tag == "" && f.color == "" {
		return f.String()
	}
	return "matching " + f.String()
}

func (f noteFilter) match(a annotations.Annotation) bool {
	return (f.tag == "" || annotations.HasTag(a.Tags, f.tag)) && (f.color == "" || a.Color == f.color) &&
		(f.author == "" || annotations.SameAuthor(a.Author, f.author))
}

func newUI(a fyne.App, w fyne.Window, svc *annotations.Service, finder Searcher) *ui {
	u := &ui{app: a, win: w, svc: svc, finder: finder, status: widget.NewLabel(""), trace: newTracer(), uiGoroutine: goroutineID()}
	u.background = func(fn func()) { go fn() }
	u.do = fyne.Do
	u.schedule = func(d time.Duration, fn func()) func() {
		t := time.AfterFunc(d, func() { fyne.Do(fn) })
		return func() { t.Stop() }
	}
	u.writeFile = writeFile
	u.status.Truncation = fyne.TextTruncateEllipsis
	u.labels, _ = svc.ColorLabels()
	u.library = newLibraryPanel(u)
	u.reader = newReaderPanel(u)
	u.cards = newCardsPanel(u)
	u.editor = newNoteEditor(u)
	u.search = newSearchPanel(u)
	u.menu = newMenus(u)
	// The open article's notes first, so that the parts reading them see
	// them changed; then the parts that follow the whole library.
	u.subscribe(u.onLibraryChanged)
	u.subscribe(u.library.onLibraryChanged)
	u.subscribe(u.search.onLibraryChanged)

	w.SetMainMenu(u.menu.main)
	// A theme change (light/dark) repaints the highlights in fills made
	// for the new background.
	a.Settings().AddListener(func(fyne.Settings) { u.reader.paintAll() })
	w.SetOnDropped(u.onDropped)
	// "/" finds, when no text field has the keyboard.
	w.Canvas().SetOnTypedRune(func(r rune) {
		if r == '/' {
			u.guard(nil, u.onFind)()
		}
	})
	w.Canvas().SetOnTypedKey(u.onTypedKey)
	w.SetCloseIntercept(u.onQuit)

	// The side panes have a fixed minimum width, so that what they show
	// (the note editor appearing, a long heading) never moves the splits
	// and reflows the article.
	right := container.NewVSplit(u.cards.object(), u.editor.object())
	right.Offset = 0.55
	centre := container.NewHSplit(u.reader.object(), container.New(fixedWidth{sideMinWidth}, right))
	centre.Offset = 0.68
	left := container.New(fixedWidth{sideMinWidth}, container.NewStack(u.library.object(), u.search.body))
	main := container.NewHSplit(left, centre)
	main.Offset = 0.22
	u.tips = newTips(u)
	u.sync = newSyncPanel(u)
	toolbar := container.NewPadded(newToolbar(u, u.tips))
	content := container.NewBorder(toolbar, container.NewPadded(u.status), nil, nil, main)
	w.SetContent(container.NewStack(content, u.tips.layer))
	return u
}

// subscribe has fn called on the UI thread with every change of the
// library, in the order the changes were made. A change the UI thread made
// itself (the reader's action) is shown at once, before the next frame is
// painted, unless changes from other goroutines wait in the queue before
// it: queued, it would wait for the frame being painted, and the reader
// would see it a frame later (20-30 ms with a software painter).
//
// A change made while a handler runs (a handler that saves the note being
// edited) is queued too: handlers never run inside one another.
func (u *ui) subscribe(fn func(annotations.Event)) {
	var queued atomic.Int64
	run := func(ev annotations.Event) {
		u.delivering++
		defer func() { u.delivering-- }()
		fn(ev)
	}
	u.cancels = append(u.cancels, u.svc.Subscribe(func(ev annotations.Event) {
		if queued.Load() == 0 && goroutineID() == u.uiGoroutine && u.delivering == 0 {
			run(ev)
			return
		}
		queued.Add(1)
		fyne.Do(func() {
			queued.Add(-1)
			run(ev)
		})
	}))
}

// goroutineID is the number of the calling goroutine, read from the head
// of its stack trace ("goroutine 1 [running]:"). Go gives no other way to
// tell which goroutine runs; subscribe needs to know whether it is the UI
// thread, which Fyne does not say either.
func goroutineID() uint64 {
	var buf [32]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b, _ = bytes.CutPrefix(b, []byte("goroutine "))
	if i := bytes.IndexByte(b, ' '); i > 0 {
		b = b[:i]
	}
	id, _ := strconv.ParseUint(string(b), 10, 64)
	return id
}

// close ends the subscriptions (the window is going).
func (u *ui) close() {
	for _, c := range u.cancels {
		c()
	}
	u.cancels = nil
	u.reader.closePages() // the PDF engine's instance goes back
}

// onLibraryChanged brings the open article's notes up to date and shows
// what changed in the article view, the cards and the note editor.
func (u *ui) onLibraryChanged(ev annotations.Event) {
	defer u.trace.done(string(ev.Op))
	if u.historyVerb != "" {
		u.setStatus(u.historyVerb + ": " + describeChange(ev, u.historyVerb == "Undid", u.labels, u.article) + ".")
		u.historyVerb = ""
		defer u.showChange(ev)
	}
	if ev.Labels {
		u.labels, _ = u.svc.ColorLabels()
		u.reader.refreshColorBar()
		u.cards.list.Refresh()
		if n := u.note(u.selected); n != nil {
			u.editor.show(n)
		}
	}
	if u.article == nil {
		return
	}
	reopen := ev.Bulk
	for _, a := range ev.Articles {
		if a.ID != u.article.ID {
			continue
		}
		reopen = reopen || a.TextChanged
		if meta, err := u.svc.ArticleMeta(a.ID); err == nil {
			if meta.Trashed() {
				u.closeArticle()
				return
			}
			meta.Text = u.article.Text
			u.article = &meta
			u.reader.showDetails(meta)
			u.win.SetTitle(meta.Title + " — Gloss")
		}
	}
	if reopen {
		// A new text (a revision, or one undone), or an import: show the
		// article as the library now holds it.
		u.reopenArticle()
		return
	}
	d := u.notes.apply(ev.Annotations)
	if d.empty() {
		return
	}
	editor := false
	for _, id := range d.removed {
		if id == u.selected {
			u.selected, editor = uuid.Nil, true
		}
	}
	for _, n := range d.put {
		editor = editor || n.ID == u.selected
	}
	u.reader.changed(d)
	u.cards.changed(d.put, d.removed)
	if editor {
		u.editor.show(u.note(u.selected))
	}
}

// onFind puts the keyboard in the search box (Ctrl+K, or / in the article).
func (u *ui) onFind() {
	u.win.Canvas().Focus(u.search.entry)
}

// start fills the window: the welcome article on the first run, else the
// article asked for or the one read last.
func (u *ui) start(article string) {
	u.library.refresh()
	u.search.updateCount()
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
	// Read as a Markdown file is: the text without its markup.
	doc, err := formats.ReadArticle(assets.WelcomeName, []byte(assets.Welcome()))
	if err != nil {
		u.showError(err)
		return
	}
	a, _, err := u.svc.AddArticle(annotations.NewArticle{
		Title: "Welcome to Gloss", Source: "gloss:" + assets.WelcomeName,
		Format: doc.Format, Text: doc.Text,
	})
	if err != nil {
		u.showError(err)
		return
	}
	u.app.Preferences().SetBool(prefWelcomed, true)
	u.openArticle(a.ID)
}

// openArticle shows an article with its highlights.
func (u *ui) openArticle(id uuid.UUID) {
	u.trace.start()
	defer u.trace.done("open")
	a, notes, err := u.readArticle(id)
	if err != nil {
		u.showError(err)
		return
	}
	u.editor.flush()
	u.article = &a
	var plain string
	u.structure, plain = u.readStructure(id)
	u.notes.reset(id, notes)
	u.selected = uuid.Nil
	u.app.Preferences().SetString(prefLastArticle, id.String())
	u.win.SetTitle(a.Title + " — Gloss")
	u.reader.show(a, u.structure)
	u.reader.paintAll()
	u.cards.reset()
	u.editor.show(nil)
	u.library.markOpen(id)
	n := len(u.notes.list)
	u.setStatus(fmt.Sprintf("%s · %d highlight%s%s", a.Title, n, plural(n), plain))
	u.noteScanned()
}

// noteScanned says, when the PDF shown has no text layer, why nothing in
// it can be selected.
func (u *ui) noteScanned() {
	if u.reader.scanned {
		u.setStatus("This PDF has no text layer (scanned pages?): run OCR on it, then add it again, to highlight it.")
	}
}

// closeArticle leaves the open article (it went to the trash).
func (u *ui) closeArticle() {
	u.editor.flush()
	u.article, u.structure = nil, nil
	u.notes.reset(uuid.Nil, nil)
	u.selected = uuid.Nil
	u.reader.clear()
	u.cards.reset()
	u.editor.show(nil)
	u.library.markOpen(uuid.Nil)
	u.win.SetTitle("Gloss")
}

// reopenArticle shows the open article again as the library holds it (its
// text was replaced), keeping the selected highlight when it is still
// there.
func (u *ui) reopenArticle() {
	a, notes, err := u.readArticle(u.article.ID)
	if errors.Is(err, annotations.ErrNotFound) {
		// Deleted for good meanwhile: by a sync (emptied from the trash
		// on another device, or made one with the same text there).
		u.closeArticle()
		u.setStatus("The article you had open is no longer in the library (a sync deleted it, or made it one with the same text from another device).")
		return
	}
	if err != nil {
		u.showError(err)
		return
	}
	selected := u.selected
	u.article = &a
	u.structure, _ = u.readStructure(a.ID)
	u.notes.reset(a.ID, notes)
	if u.notes.get(selected) == nil {
		selected = uuid.Nil
	}
	u.selected = selected
	u.reader.show(a, u.structure)
	u.reader.paintAll()
	u.cards.reset()
	u.editor.show(u.note(selected))
}

// readArticle reads an article with its text and its annotations.
func (u *ui) readArticle(id uuid.UUID) (annotations.Article, []annotations.Annotation, error) {
	a, err := u.svc.Article(id)
	if err != nil {
		return a, nil, err
	}
	notes, err := u.svc.Notes(annotations.NotesQuery{ArticleID: &id})
	return a, notes, err
}

// readStructure reads how an article's text was set out. A structure
// that cannot be read is left out (the text shows plain, the article
// itself is sound); why is returned, to be added to the status line.
func (u *ui) readStructure(id uuid.UUID) (*annotations.Structure, string) {
	st, err := u.svc.ArticleStructure(id)
	if err != nil {
		return nil, " · shown as plain text: its headings and emphasis could not be read (" + oneLine(err.Error()) + ")"
	}
	return st, ""
}

// visibleNotes are the open article's annotations that pass the filter.
func (u *ui) visibleNotes() []annotations.Annotation {
	if !u.filter.active() {
		return u.notes.list
	}
	var out []annotations.Annotation
	for _, a := range u.notes.list {
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
	return u.notes.get(id)
}

// setFilter narrows the cards, the highlights and the library list.
func (u *ui) setFilter(f noteFilter) {
	if f == u.filter {
		return
	}
	u.filter = f
	u.reader.paintAll()
	u.cards.reset()
	u.library.filterChanged()
}

// selectNote makes an annotation the selected one: its card is marked,
// the editor shows it and, when reveal is set, the article scrolls to its
// passage and selects it. The annotation may not be in the model yet (its
// change is on its way through the feed): it is marked when it comes.
func (u *ui) selectNote(id uuid.UUID, reveal bool) {
	old := u.selected
	if old == id {
		u.editor.show(u.note(id))
	} else {
		u.selected = id
		u.editor.show(u.note(id))
		u.reader.repaint(old, id)
		if u.filter.active() {
			u.cards.rebuild() // the selected one shows through the filter
		}
	}
	u.cards.setSelected(id)
	if n := u.note(id); n != nil && reveal && n.Status != annotations.StatusOrphaned {
		u.reader.reveal(n.Target.Start, n.Target.End)
	}
}

// highlightSelection highlights the article's selected text in colour c
// (the service recolours a passage highlighted already).
func (u *ui) highlightSelection(c annotations.Color) {
	if u.article == nil {
		return
	}
	u.trace.start()
	start, end := u.reader.selection()
	if start == end {
		if u.selected != uuid.Nil {
			u.changeColor(u.selected, c) // a highlight is selected: recolour it
			return
		}
		u.setStatus("Select some text first, then press 1–8 to highlight it.")
		return
	}
	a, err := u.svc.Highlight(annotations.HighlightRequest{ArticleID: u.article.ID, Start: start, End: end, Color: c})
	if err != nil {
		u.showError(err)
		return
	}
	// Collapse the selection so the new colour shows; the highlight stays
	// selected (its card), so Enter opens its note.
	u.selectNote(a.ID, false)
	u.reader.setSelection(end, end)
	u.setStatus(fmt.Sprintf("Highlighted %s. Enter writes a note; Ctrl+Z undoes.", colorPhrase(c, u.labels)))
}

// changeColor recolours an annotation.
func (u *ui) changeColor(id uuid.UUID, c annotations.Color) {
	if _, err := u.svc.Edit(id, annotations.Change{Color: &c}); err != nil {
		u.showError(err)
		return
	}
	u.selectNote(id, false)
	u.setStatus("Now " + colorPhrase(c, u.labels) + ".")
}

// onEnter opens the note editor: on the selected highlight, or on a new
// yellow highlight of the selected text.
func (u *ui) onEnter() {
	start, end := u.reader.selection()
	if start != end {
		found := false
		for _, n := range u.notes.list {
			if n.Target.Start == start && n.Target.End == end && n.Status != annotations.StatusOrphaned {
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
	u.trace.start()
	id := u.selected
	u.selectNote(uuid.Nil, false)
	if _, err := u.svc.Trash(id); err != nil {
		u.showError(err)
		return
	}
	u.setStatus("Moved to the trash. Ctrl+Z brings it back.")
}

func (u *ui) onUndo() { u.history(u.svc.Undo, "Undid") }

func (u *ui) onRedo() { u.history(u.svc.Redo, "Redid") }

// history undoes or redoes a step; the status bar names what it changed
// when the change comes through the feed.
func (u *ui) history(step func() ([]uuid.UUID, error), verb string) {
	u.editor.flush()
	u.trace.start()
	u.historyVerb = verb
	_, err := step()
	if err != nil {
		u.historyVerb = ""
	}
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
	// Where the change was is shown when it comes through the feed.
}

// showChange shows where an undone or redone change was: its article, with
// the highlight selected (from the event: nothing is read again).
func (u *ui) showChange(ev annotations.Event) {
	if len(ev.Annotations) == 0 {
		return
	}
	a := ev.Annotations[0].After
	if u.article == nil || u.article.ID != a.ArticleID {
		if art, err := u.svc.ArticleMeta(a.ArticleID); err != nil || art.Trashed() {
			return
		}
		u.openArticle(a.ArticleID)
	}
	if !a.Trashed() {
		u.selectNote(a.ID, false)
		if a.Status != annotations.StatusOrphaned {
			u.reader.reveal(a.Target.Start, a.Target.End)
		}
	}
}

func (u *ui) onColorMeanings() {
	u.showColorMeanings(func(labels annotations.ColorLabels) {
		if err := u.svc.SetColorLabels(labels); err != nil {
			u.showError(err)
		}
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
	u.close()
	u.app.Quit()
}

func (u *ui) setStatus(s string) { u.status.SetText(s) }

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// debounce runs fn on the UI thread after a pause of d without another
// call, through the ui's schedule.
type debounce struct {
	u    *ui
	d    time.Duration
	stop func()
}

func (db *debounce) call(fn func()) {
	db.cancel()
	db.stop = db.u.schedule(db.d, fn)
}

func (db *debounce) cancel() {
	if db.stop != nil {
		db.stop()
		db.stop = nil
	}
}

// describeChange names what an undo (or a redo) changed, for the status
// bar: "green highlight on “He attempted…”".
func describeChange(ev annotations.Event, undo bool, labels annotations.ColorLabels, open *annotations.Article) string {
	if ev.Op == annotations.OpReplaceText {
		if open != nil && len(ev.Articles) == 1 && ev.Articles[0].ID == open.ID {
			return fmt.Sprintf("the new text of “%s”", preview(open.Title, 40))
		}
		return "the new text of an article"
	}
	if len(ev.Annotations) != 1 {
		return fmt.Sprintf("%d changes", len(ev.Annotations))
	}
	c := ev.Annotations[0]
	now := c.After
	quote := "“" + preview(now.Target.Exact, 40) + "”"
	if c.Before == nil {
		return colorPhrase(now.Color, labels) + " highlight on " + quote
	}
	was := *c.Before
	switch {
	case was.Trashed() != now.Trashed():
		// Undoing a new highlight puts it in the trash; undoing a move to
		// the trash takes it out. Redo the other way round.
		if now.Trashed() == undo {
			return string(now.Color) + " highlight on " + quote
		}
		return "moving " + quote + " to the trash"
	case was.Color != now.Color:
		return fmt.Sprintf("colour of %s (%s again)", quote, now.Color)
	case was.Note != now.Note:
		return "note on " + quote
	case !slices.Equal(was.Tags, now.Tags):
		return "tags of " + quote
	case !was.Target.Same(now.Target):
		return "the place of " + quote
	}
	return "a change to " + quote
}

package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/app/textfind"
	"github.com/gloss-notes/gloss/app/textview"
)

// maxFound bounds the matches a find marks ("10000+ matches").
const maxFound = 10_000

// findBar is "Find in the article" (Ctrl+F): a box above the text whose
// matches are marked in the view, case and accents aside. Enter and ↓ go
// to the next match, Shift+Enter and ↑ to the previous; Escape closes it
// and selects the match it was on, ready to be highlighted.
type findBar struct {
	p     *readerPanel
	entry *findEntry
	count *widget.Label
	box   *fyne.Container

	// index is the open text, folded off the UI thread when the bar
	// first opens on it (a 10 MB text takes a third of a second); gen
	// tells a folding for a text shown since from the current one.
	index    *textfind.Index
	indexing bool
	gen      int
	matches  []textfind.Match
	more     bool
	current  int
}

func newFindBar(p *readerPanel) *findBar {
	f := &findBar{p: p, count: widget.NewLabel("")}
	f.entry = newFindEntry(f)
	f.entry.SetPlaceHolder("Find in the article")
	prev := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { f.step(-1) })
	next := widget.NewButtonWithIcon("", theme.MoveDownIcon(), func() { f.step(1) })
	closeB := widget.NewButtonWithIcon("", theme.CancelIcon(), func() { f.close(true) })
	for _, b := range []*widget.Button{prev, next, closeB} {
		b.Importance = widget.LowImportance
	}
	f.box = container.NewBorder(nil, nil, nil, container.NewHBox(f.count, prev, next, closeB), f.entry)
	f.box.Hide()
	return f
}

// open shows the bar, with the focus in it and its text selected.
func (f *findBar) open() {
	if f.p.u.article == nil {
		return
	}
	f.box.Show()
	c := f.p.u.win.Canvas()
	c.Focus(f.entry)
	f.entry.TypedShortcut(&fyne.ShortcutSelectAll{})
	if f.index == nil && !f.indexing {
		f.indexing = true
		text, gen := f.p.view.Text(), f.gen
		f.p.u.background(func() {
			x := textfind.New(text)
			fyne.Do(func() {
				if gen != f.gen {
					return // another text is shown now
				}
				f.index, f.indexing = x, false
				if f.box.Visible() && f.entry.Text != "" {
					f.find(f.entry.Text)
				}
			})
		})
	}
	if f.entry.Text != "" {
		f.find(f.entry.Text)
	}
}

// reset forgets the text (another article is shown) and closes the bar.
func (f *findBar) reset() {
	f.index, f.indexing = nil, false
	f.gen++
	f.close(false)
}

// close hides the bar and its marks; with selectCurrent the match it was
// on becomes the selection, in view.
func (f *findBar) close(selectCurrent bool) {
	if !f.box.Visible() {
		return
	}
	f.box.Hide()
	f.p.view.SetMarks(nil)
	if selectCurrent && f.current < len(f.matches) {
		m := f.matches[f.current]
		f.p.setSelection(m.Start, m.End)
	}
	f.matches = nil
	f.p.focus()
}

// find marks the matches of query and goes to the first one at or after
// the selection.
func (f *findBar) find(query string) {
	if f.index == nil {
		f.count.SetText("…") // the text is being folded: found when it is
		return
	}
	f.matches, f.more = f.index.All(query, maxFound)
	start, _ := f.p.selection()
	f.current = 0
	for i, m := range f.matches {
		if m.Start >= start {
			f.current = i
			break
		}
	}
	f.show()
}

// step goes to the next (d = 1) or previous (d = -1) match, round the end.
func (f *findBar) step(d int) {
	if n := len(f.matches); n > 0 {
		f.current = (f.current + d + n) % n
		f.show()
	}
}

// show marks the matches, the current one in view, and counts them.
func (f *findBar) show() {
	view := f.p.view
	marks := make([]textview.Mark, len(f.matches))
	for i, m := range f.matches {
		marks[i] = textview.Mark{Start: m.Start, End: m.End, Current: i == f.current}
	}
	view.SetMarks(marks)
	switch n := len(f.matches); {
	case f.entry.Text == "":
		f.count.SetText("")
	case n == 0:
		f.count.SetText("No matches")
	default:
		plus := ""
		if f.more {
			plus = "+"
		}
		f.count.SetText(fmt.Sprintf("%d of %d%s", f.current+1, n, plus))
		m := f.matches[f.current]
		f.p.view.ScrollToOffset(m.Start)
		if f.p.paged {
			// The page view marks no matches: the current one is
			// selected.
			f.p.pages.SetSelection(m.Start, m.End)
			f.p.pages.ScrollToOffset(m.Start)
		}
	}
}

// findEntry is the bar's text box: it finds as the reader types and
// takes Enter, Shift+Enter, ↑, ↓ and Escape.
type findEntry struct {
	widget.Entry
	f     *findBar
	shift bool
}

var _ desktop.Keyable = (*findEntry)(nil)

func newFindEntry(f *findBar) *findEntry {
	e := &findEntry{f: f}
	e.ExtendBaseWidget(e)
	e.OnChanged = f.find
	return e
}

func (e *findEntry) KeyDown(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		e.shift = true
	}
	e.Entry.KeyDown(ev)
}

func (e *findEntry) KeyUp(ev *fyne.KeyEvent) {
	if ev.Name == desktop.KeyShiftLeft || ev.Name == desktop.KeyShiftRight {
		e.shift = false
	}
	e.Entry.KeyUp(ev)
}

func (e *findEntry) FocusLost() {
	e.shift = false
	e.Entry.FocusLost()
}

func (e *findEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		if e.shift {
			e.f.step(-1)
		} else {
			e.f.step(1)
		}
	case fyne.KeyDown:
		e.f.step(1)
	case fyne.KeyUp:
		e.f.step(-1)
	case fyne.KeyEscape:
		e.f.close(true)
	default:
		e.Entry.TypedKey(ev)
	}
}

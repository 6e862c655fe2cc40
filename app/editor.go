package app

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// saveDelay is how long the note editor waits after the last keystroke
// before it saves.
const saveDelay = 400 * time.Millisecond

// noteEditor edits the selected annotation: its note (Markdown, saved as
// you type), its tags (with completion from the library's tags) and its
// colour.
type noteEditor struct {
	u      *ui
	id     uuid.UUID
	header *widget.Label
	note   *widget.Entry
	tagIn  *tagEntry
	// hints shows the suggested tags under tagIn while a tag is typed, in
	// hintsRow (hidden when there are none).
	hints    *fyne.Container
	hintsRow *container.Scroll
	tags     *fyne.Container
	colors   *fyne.Container
	trash    *widget.Button
	body     *fyne.Container
	hint     *widget.Label
	// state explains a fuzzy or orphaned highlight; attach re-attaches an
	// orphan to the selected text.
	state  *widget.Label
	attach *widget.Button

	saved string // the note as last saved
	save  debounce
	// suggestions are the tags offered for what is typed in tagIn; chosen
	// is the one the arrow keys put in tagIn (-1: none).
	suggestions []string
	chosen      int
	typed       string // what was typed before the arrows chose
}

func newNoteEditor(u *ui) *noteEditor {
	e := &noteEditor{u: u, save: debounce{u: u, d: saveDelay}}
	e.header = widget.NewLabel("")
	e.header.TextStyle.Bold = true
	e.header.Truncation = fyne.TextTruncateEllipsis
	e.note = widget.NewMultiLineEntry()
	e.note.Wrapping = fyne.TextWrapWord
	e.note.SetPlaceHolder("Write a note (Markdown)…")
	e.note.OnChanged = e.onNoteChanged
	e.tagIn = newTagEntry(e)
	e.tagIn.SetPlaceHolder("Add a tag, Enter")
	e.tagIn.OnChanged = e.onTagTyped
	e.tagIn.OnSubmitted = e.onTagSubmitted
	e.hints = container.NewHBox()
	e.hintsRow = container.NewHScroll(e.hints)
	e.hintsRow.Hide()
	e.tags = container.NewHBox()
	e.colors = container.NewHBox()
	for _, c := range annotations.Colors {
		c := c
		e.colors.Add(newColorButton(c, func() {
			if e.id != uuid.Nil {
				e.u.changeColor(e.id, c)
			}
		}))
	}
	e.trash = widget.NewButtonWithIcon("To trash", theme.DeleteIcon(), func() { e.u.onDelete() })
	e.state = widget.NewLabel("")
	e.state.Wrapping = fyne.TextWrapWord
	e.state.Importance = widget.WarningImportance
	e.attach = widget.NewButtonWithIcon("Attach here", theme.ContentPasteIcon(), func() {
		if e.id != uuid.Nil {
			e.u.attachOrphan(e.id)
		}
	})
	e.attach.Importance = widget.HighImportance
	e.hint = widget.NewLabel("Select a highlight to write its note.")
	e.hint.Importance = widget.LowImportance
	e.hint.Wrapping = fyne.TextWrapWord
	top := container.NewVBox(e.header, e.state, e.colors)
	bottom := container.NewVBox(container.NewHScroll(e.tags), e.tagIn, e.hintsRow, container.NewHBox(e.attach, e.trash))
	e.body = container.NewBorder(top, bottom, nil, nil, e.note)
	e.body.Hide()
	return e
}

func (e *noteEditor) object() fyne.CanvasObject {
	return container.NewStack(container.NewPadded(e.hint), e.body)
}

// show edits n, or shows the hint when n is nil.
func (e *noteEditor) show(n *annotations.Annotation) {
	if n == nil || n.ID != e.id {
		e.flush()
	}
	if n == nil {
		e.id = uuid.Nil
		e.body.Hide()
		e.hint.Show()
		return
	}
	sameNote := n.ID == e.id
	e.id = n.ID
	e.header.SetText(fmt.Sprintf("“%s”", preview(n.Target.Exact, 80)))
	switch {
	case sameNote && e.note.Text != n.Note && strings.TrimRight(e.note.Text, " \t\n") == n.Note:
		// The note as saved, less the white space being typed at its end:
		// keep what is in the editor.
		e.saved = e.note.Text
	case !sameNote || e.note.Text == e.saved:
		e.saved = n.Note
		e.note.OnChanged = nil
		e.note.SetText(n.Note)
		e.note.OnChanged = e.onNoteChanged
	}
	e.showTags(n.Tags)
	switch n.Status {
	case annotations.StatusFuzzy:
		e.state.SetText(fmt.Sprintf("The text changed. It said: “%s”", preview(n.Previous, 200)))
		e.state.Show()
		e.attach.Hide()
	case annotations.StatusOrphaned:
		e.state.SetText("Orphan: this passage is no longer in the text. Select where it belongs now and press Attach here, or move it to the trash.")
		e.state.Show()
		e.attach.Show()
	default:
		e.state.Hide()
		e.attach.Hide()
	}
	e.hint.Hide()
	e.body.Show()
}

func (e *noteEditor) showTags(tags []string) {
	e.tags.Objects = nil
	for _, t := range tags {
		t := t
		b := widget.NewButtonWithIcon("#"+t, theme.CancelIcon(), func() { e.removeTag(t) })
		b.IconPlacement = widget.ButtonIconTrailingText
		b.Importance = widget.LowImportance
		e.tags.Add(b)
	}
	e.tags.Refresh()
}

// focusNote puts the keyboard in the note.
func (e *noteEditor) focusNote() {
	if e.id != uuid.Nil {
		e.u.win.Canvas().Focus(e.note)
	}
}

func (e *noteEditor) onNoteChanged(string) {
	e.save.call(e.flush)
}

// flush saves the note now if it changed since the last save.
func (e *noteEditor) flush() {
	e.save.cancel()
	if e.id == uuid.Nil || e.note.Text == e.saved {
		return
	}
	text, prev := e.note.Text, e.saved
	e.saved = text // before the change comes back through the feed
	if _, err := e.u.svc.Edit(e.id, annotations.Change{Note: &text}); err != nil {
		e.saved = prev
		e.u.showError(err)
		return
	}
	e.u.setStatus("Note saved.")
}

// onTagTyped suggests tags for what is typed, as it is typed: tags of the
// library that start with it, have a word that does, or hold its letters
// in order; the highlight's own tags are left out.
func (e *noteEditor) onTagTyped(s string) {
	e.typed, e.chosen = s, -1
	e.suggestions = nil
	if strings.TrimSpace(s) != "" {
		var own []string
		if n := e.u.note(e.id); n != nil {
			own = n.Tags
		}
		for _, t := range completeTags(e.u.library.tagsInUse(), s, 16) {
			if !annotations.HasTag(own, t) && len(e.suggestions) < 6 {
				e.suggestions = append(e.suggestions, t)
			}
		}
	}
	e.showHints()
}

// showHints fills the row of suggestions, the chosen one marked.
func (e *noteEditor) showHints() {
	e.hints.Objects = nil
	for i, t := range e.suggestions {
		b := widget.NewButton("#"+t, func() { e.onTagSubmitted(t) })
		b.Importance = widget.LowImportance
		if i == e.chosen {
			b.Importance = widget.HighImportance
		}
		e.hints.Add(b)
	}
	if len(e.suggestions) == 0 {
		e.hintsRow.Hide()
	} else {
		e.hintsRow.Show()
	}
	e.hints.Refresh()
}

// choose moves the chosen suggestion by d (the arrow keys) and puts it in
// the entry; past either end, what was typed comes back.
func (e *noteEditor) choose(d int) {
	if len(e.suggestions) == 0 {
		return
	}
	e.chosen += d
	switch {
	case e.chosen >= len(e.suggestions):
		e.chosen = len(e.suggestions) - 1
	case e.chosen < -1:
		e.chosen = -1
	}
	text := e.typed
	if e.chosen >= 0 {
		text = e.suggestions[e.chosen]
	}
	e.tagIn.OnChanged = nil
	e.tagIn.SetText(text)
	e.tagIn.CursorColumn = len([]rune(text))
	e.tagIn.Refresh()
	e.tagIn.OnChanged = e.onTagTyped
	e.showHints()
}

// tagEntry is the tag field: ↓ and ↑ walk the suggestions, Escape drops
// them.
type tagEntry struct {
	widget.Entry
	e *noteEditor
}

func newTagEntry(e *noteEditor) *tagEntry {
	t := &tagEntry{e: e}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tagEntry) TypedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyDown:
		t.e.choose(+1)
	case fyne.KeyUp:
		t.e.choose(-1)
	case fyne.KeyEscape:
		t.e.suggestions = nil
		t.e.showHints()
	default:
		t.Entry.TypedKey(ev)
	}
}

func (e *noteEditor) onTagSubmitted(s string) {
	s = strings.TrimSpace(s)
	if s == "" || e.id == uuid.Nil {
		return
	}
	if _, err := e.u.svc.Edit(e.id, annotations.Change{AddTags: []string{s}}); err != nil {
		e.u.showError(err)
		return
	}
	e.tagIn.SetText("")
	e.u.setStatus("Tagged #" + s + ".")
	e.u.win.Canvas().Focus(e.tagIn)
}

func (e *noteEditor) removeTag(t string) {
	if e.id == uuid.Nil {
		return
	}
	if _, err := e.u.svc.Edit(e.id, annotations.Change{RemoveTags: []string{t}}); err != nil {
		e.u.showError(err)
	}
}

// completeTags suggests up to limit of the library's tags for what was
// typed: tags that start with it first, then tags with a word that starts
// with it, then tags that hold its letters in order (so "pt" finds "peace
// talks"); each group by use. Written here rather than with the search
// index: a library has a few hundred tags at most.
func completeTags(tags []annotations.TagCount, typed string, limit int) []string {
	q := annotations.TagKey(strings.TrimSpace(typed))
	if q == "" {
		var out []string
		for _, t := range tags[:min(limit, len(tags))] {
			out = append(out, t.Tag)
		}
		return out
	}
	var prefix, word, subseq []string
	for _, t := range tags {
		f := annotations.TagKey(t.Tag)
		switch {
		case f == q:
			continue // already typed in full
		case strings.HasPrefix(f, q):
			prefix = append(prefix, t.Tag)
		case wordPrefix(f, q):
			word = append(word, t.Tag)
		case subsequence(f, q):
			subseq = append(subseq, t.Tag)
		}
	}
	out := append(append(prefix, word...), subseq...)
	return out[:min(limit, len(out))]
}

func wordPrefix(s, q string) bool {
	for i, r := range s {
		if i > 0 && !unicode.IsLetter(r) && !unicode.IsDigit(r) && strings.HasPrefix(s[i+len(string(r)):], q) {
			return true
		}
	}
	return false
}

func subsequence(s, q string) bool {
	qr := []rune(q)
	i := 0
	for _, r := range s {
		if i < len(qr) && r == qr[i] {
			i++
		}
	}
	return i == len(qr)
}

package app

import (
	"strings"
	"unicode/utf8"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
)

// maxContentsLevel is the deepest heading listed in the table of contents.
const maxContentsLevel = 3

// maxContentsRunes is how much of a heading an entry shows.
const maxContentsRunes = 90

// contentsEntry is one line of an article's table of contents: a chapter
// or a heading, where it starts in the text, and how deep it is (0 for a
// chapter or a top heading).
type contentsEntry struct {
	title string
	depth int
	start int
}

// tableOfContents lists an article's chapters and its headings down to
// maxContentsLevel, in text order. A chapter is named by its first line (in
// an e-book that is usually its heading, which is then not listed twice;
// nor is a chapter named as the one before it); headings under chapters
// are one step deeper.
func tableOfContents(text string, st *annotations.Structure) []contentsEntry {
	if st.Empty() {
		return nil
	}
	runeAt := runeIndex(text)
	// lineFrom is the first line of [start, end), cut at maxContentsRunes.
	// Only start is mapped to a byte offset (starts come in order, so the
	// mapping walks the text once); the line is read from there.
	lineFrom := func(start, end int) string {
		b := runeAt(start)
		n, cut := 0, false
		e := b
		for e < len(text) && n < end-start {
			r, size := utf8.DecodeRuneInString(text[e:])
			if r == '\n' {
				break
			}
			if n == maxContentsRunes {
				cut = true
				break
			}
			e += size
			n++
		}
		s := strings.TrimSpace(text[b:e])
		if cut {
			s += "…"
		}
		return s
	}
	chapters := false
	for _, b := range st.Blocks {
		if b.Kind == annotations.BlockChapter {
			chapters = true
			break
		}
	}
	var out []contentsEntry
	lastChapter := -1
	for _, b := range st.Blocks {
		switch {
		case b.Kind == annotations.BlockChapter:
			lastChapter = b.Start
			// A book's title page and its first chapter often open with
			// the same line: listed once.
			if t := lineFrom(b.Start, b.End); t != "" && (len(out) == 0 || out[len(out)-1].title != t) {
				out = append(out, contentsEntry{title: t, start: b.Start})
			}
		case b.Kind == annotations.BlockHeading && b.Level >= 1 && b.Level <= maxContentsLevel:
			if b.Start == lastChapter {
				continue // the chapter's own heading, listed as the chapter
			}
			depth := b.Level - 1
			if chapters {
				depth++
			}
			if t := lineFrom(b.Start, b.End); t != "" {
				out = append(out, contentsEntry{title: t, depth: depth, start: b.Start})
			}
		}
	}
	return out
}

// runeIndex returns a function from rune offsets to byte offsets of text;
// asked in increasing order, it walks the text once (it walks on from the
// last offset; a smaller one starts again from the beginning).
func runeIndex(text string) func(off int) int {
	r, b := 0, 0
	return func(off int) int {
		if off < r {
			r, b = 0, 0
		}
		for r < off && b < len(text) {
			_, n := utf8.DecodeRuneInString(text[b:])
			b += n
			r++
		}
		return b
	}
}

// onContents shows the open article's table of contents; choosing an entry
// goes there in the text.
func (u *ui) onContents() {
	if u.article == nil {
		return
	}
	entries := tableOfContents(u.article.Text, u.structure)
	if len(entries) == 0 {
		u.setStatus("This article has no headings or chapters to list.")
		return
	}
	var d dialog.Dialog
	list := widget.NewList(
		func() int { return len(entries) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := entries[i]
			o.(*widget.Label).SetText(strings.Repeat("    ", e.depth) + e.title)
		})
	list.OnSelected = func(i widget.ListItemID) {
		d.Hide()
		start := entries[i].start
		u.reader.view.SetSelection(start, start)
		u.reader.view.ScrollToTop(start) // the heading at the top, its section below
		u.reader.focus()
	}
	d = dialog.NewCustom("Contents", "Close", container.NewGridWrap(fyne.NewSize(520, 420), list), u.win)
	u.show(d, true)
	u.win.Canvas().Focus(list)
}

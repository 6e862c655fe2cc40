package app

import (
	"fmt"
	"path/filepath"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// onReplaceText asks for a newer version of the open article's file and
// replaces the text with it, re-anchoring every highlight (Ctrl+Z puts the
// old text back).
func (u *ui) onReplaceText() {
	if u.article == nil {
		u.setStatus("Open an article first.")
		return
	}
	start := ""
	if filepath.IsAbs(u.article.Source) {
		start = filepath.Dir(u.article.Source) // the revision is usually beside it
	}
	u.chooseFile("Replace the text with a newer version", false, articleExtensions, start, "", u.replaceText)
}

// replaceText reads path and makes it the open article's text.
func (u *ui) replaceText(path string) {
	id := u.article.ID
	docs, read, problems, _ := readArticleFiles([]string{path}, nil)
	if len(problems) > 0 {
		u.showError(fmt.Errorf("%s", problems[0]))
		return
	}
	d := docs[0]
	d.Source = read[0]
	u.editor.flush()
	rep, err := u.svc.UpdateArticle(id, d)
	if err != nil {
		u.showError(err)
		return
	}
	if rep.Unchanged {
		u.setStatus("That file holds the same text; nothing changed.")
		return
	}
	msg := fmt.Sprintf("The text was replaced. Highlights: %s.", rep)
	if rep.Fuzzy > 0 {
		msg += " Fuzzy ones are marked and show what they said before."
	}
	if rep.Orphaned > 0 {
		msg += " Orphans are listed at the end of the cards: select one, select its new passage in the text and press Attach."
	}
	u.setStatus(fmt.Sprintf("Replaced the text: %s. Ctrl+Z puts the old text back.", rep))
	u.showInformation("Text replaced", msg)
}

// attachOrphan puts the selected orphan on the selected text.
func (u *ui) attachOrphan(id uuid.UUID) {
	start, end := u.reader.selection()
	if start == end {
		u.setStatus("Select the passage in the text first, then press Attach.")
		return
	}
	if _, err := u.svc.Edit(id, annotations.Change{Target: &[2]int{start, end}}); err != nil {
		u.showError(err)
		return
	}
	u.selectNote(id, false)
	u.reader.setSelection(end, end)
	u.setStatus("Attached to the selected text.")
}

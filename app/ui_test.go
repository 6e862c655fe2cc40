package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
	"github.com/gloss-notes/gloss/assets"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

// The tests run the real window headless (Fyne's test driver, with the ci
// tag) on a real library under a temp folder; the window code itself never
// imports storage, main hands it the service.

const talks = `Peace talks resume

Negotiators met in Geneva on Tuesday. The talks stalled over territory.

The talks resumed on Friday, and the café near the lake was full.`

func newTestUI(t *testing.T) (*ui, *annotations.Service) {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1200, 800))
	db := storagetest.Open(t)
	svc := annotations.NewService(db)
	u := newUI(a, w, svc, db)
	// One goroutine: background work runs at once, and timers wait for
	// the test to fire them.
	u.background = func(fn func()) { fn() }
	u.schedule = func(time.Duration, func()) func() { return func() {} }
	t.Cleanup(u.close)
	return u, svc
}

// cardIDs returns the annotations the cards show, in order.
func cardIDs(u *ui) []uuid.UUID {
	var out []uuid.UUID
	for _, id := range u.cards.rows {
		if id != uuid.Nil {
			out = append(out, id)
		}
	}
	return out
}

// shownCard returns the card widget the list shows for id, scrolling to
// it first.
func shownCard(t *testing.T, u *ui, id uuid.UUID) *card {
	t.Helper()
	i, ok := u.cards.row[id]
	if !ok {
		t.Fatalf("no card for %s", id)
	}
	u.cards.list.ScrollTo(i)
	var found *card
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if found != nil || !o.Visible() {
			return
		}
		if c, ok := o.(*card); ok && c.note.ID == id {
			found = c
			return
		}
		switch x := o.(type) {
		case *fyne.Container:
			for _, k := range x.Objects {
				walk(k)
			}
		case fyne.Widget:
			for _, k := range test.WidgetRenderer(x).Objects() {
				walk(k)
			}
		}
	}
	walk(u.cards.list)
	if found == nil {
		t.Fatalf("the list shows no card for %s", id)
	}
	return found
}

func addArticle(t *testing.T, u *ui, text string) annotations.Article {
	t.Helper()
	art, _, err := u.svc.AddArticle(annotations.NewArticle{Title: "Talks", Format: annotations.FormatText, Text: text})
	if err != nil {
		t.Fatal(err)
	}
	u.openArticle(art.ID)
	return art
}

func notes(t *testing.T, svc *annotations.Service) []annotations.Annotation {
	t.Helper()
	got, err := svc.Notes(annotations.NotesQuery{})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// menuAction finds the main-menu item bound to shortcut and returns its
// action, so tests press the same binding the window does.
func menuAction(t *testing.T, u *ui, shortcut fyne.Shortcut) func() {
	t.Helper()
	for _, m := range u.menu.main.Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == shortcut.ShortcutName() {
				return it.Action
			}
		}
	}
	t.Fatalf("no menu item has the shortcut %s", shortcut.ShortcutName())
	return nil
}

func TestUI_FirstRunOpensTheWelcomeArticle(t *testing.T) {
	u, svc := newTestUI(t)
	u.start("")
	list, _ := svc.Articles()
	if len(list) != 1 || list[0].Title != "Welcome to Gloss" {
		t.Fatalf("articles = %+v", list)
	}
	if u.article == nil || u.article.ID != list[0].ID || !strings.Contains(u.reader.view.Text(), "press 1") {
		t.Errorf("the welcome article is not open")
	}
	// A second start (the same preferences) does not add it again.
	u.start("")
	if list, _ := svc.Articles(); len(list) != 1 {
		t.Errorf("%d articles after a second start", len(list))
	}
}

func TestUI_SelectAndPressAColourKey(t *testing.T) {
	u, svc := newTestUI(t)
	addArticle(t, u, talks)
	tests := []struct {
		name       string
		start, end int
		key        rune
		color      annotations.Color
	}{
		{"1 is yellow", 20, 30, '1', annotations.Yellow},
		{"3 is green", 40, 49, '3', annotations.Green},
		{"8 is gray", 0, 18, '8', annotations.Gray},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u.reader.view.SetSelection(tt.start, tt.end)
			u.reader.view.TypedRune(tt.key)
			got := u.note(u.selected)
			if got == nil {
				t.Fatal("no highlight selected after the key")
			}
			want := string([]rune(talks)[tt.start:tt.end])
			if got.Color != tt.color || got.Target.Exact != want || got.Target.Start != tt.start {
				t.Errorf("highlight = %s %+v, want %s %q", got.Color, got.Target, tt.color, want)
			}
		})
	}
	if n := len(notes(t, svc)); n != 3 {
		t.Errorf("%d annotations stored, want 3", n)
	}
	if n := len(cardIDs(u)); n != 3 {
		t.Errorf("%d cards shown, want 3", n)
	}
	// The last highlight stays selected: a colour key recolours it.
	gray := u.selected
	u.reader.view.TypedRune('5')
	if got := u.note(gray); got == nil || got.Color != annotations.Purple {
		t.Errorf("a key with a highlight selected did not recolour it: %+v", got)
	}
	// A click away from it leaves it: a colour key then changes nothing.
	u.reader.view.SetSelection(60, 60)
	if u.selected != uuid.Nil {
		t.Errorf("a click elsewhere kept the highlight selected")
	}
	before := notes(t, svc)
	u.reader.view.TypedRune('2')
	if after := notes(t, svc); !reflect.DeepEqual(before, after) {
		t.Errorf("a key with nothing selected changed the library")
	}
}

func TestUI_DragThenKey(t *testing.T) {
	u, svc := newTestUI(t)
	addArticle(t, u, talks)
	c := u.win.Canvas()
	// Drag across the first words of the second paragraph.
	origin := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.reader.view)
	test.Drag(c, origin.AddXY(300, 110), 200, 0)
	s, e := u.reader.view.Selection()
	if s == e {
		t.Fatal("the drag selected nothing")
	}
	u.reader.view.TypedRune('4')
	got := notes(t, svc)
	if len(got) != 1 || got[0].Color != annotations.Blue || got[0].Target.Start != s || got[0].Target.End != e {
		t.Fatalf("after drag [%d,%d) and 4: %+v", s, e, got)
	}
	if got[0].Target.Exact != string([]rune(talks)[s:e]) {
		t.Errorf("stored quote %q does not match the selection", got[0].Target.Exact)
	}
}

func TestUI_SameSelectionAgainChangesTheColour(t *testing.T) {
	u, svc := newTestUI(t)
	addArticle(t, u, talks)
	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('1')
	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('2')
	got := notes(t, svc)
	if len(got) != 1 || got[0].Color != annotations.Red {
		t.Errorf("got %+v, want one red highlight", got)
	}
}

func TestUI_UndoRedoAndDelete(t *testing.T) {
	u, svc := newTestUI(t)
	addArticle(t, u, talks)
	undo := menuAction(t, u, &fyne.ShortcutUndo{})
	redo := menuAction(t, u, &desktop.CustomShortcut{KeyName: fyne.KeyZ, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift})

	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('1')
	id := u.selected
	u.reader.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDelete})
	if n := len(notes(t, svc)); n != 0 {
		t.Fatalf("Delete left %d annotations", n)
	}
	if trash, _ := svc.Notes(annotations.NotesQuery{Trash: true}); len(trash) != 1 {
		t.Fatalf("Delete did not move it to the trash")
	}
	quote := "“" + string([]rune(talks)[20:30]) + "”"
	steps := []struct {
		name   string
		do     func()
		live   int
		status string
	}{
		{"undo the delete", undo, 1, "Undid: moving " + quote + " to the trash."},
		{"undo the highlight", undo, 0, "Undid: yellow highlight on " + quote + "."},
		{"redo the highlight", redo, 1, "Redid: yellow highlight on " + quote + "."},
		{"redo the delete", redo, 0, "Redid: moving " + quote + " to the trash."},
		{"undo the delete again", undo, 1, "Undid: moving " + quote + " to the trash."},
	}
	for _, s := range steps {
		s.do()
		if n := len(notes(t, svc)); n != s.live {
			t.Fatalf("%s: %d live annotations, want %d", s.name, n, s.live)
		}
		if got := u.status.Text; got != s.status {
			t.Errorf("%s: status %q, want %q", s.name, got, s.status)
		}
		if n := len(cardIDs(u)); n != s.live {
			t.Errorf("%s: %d cards, want %d", s.name, n, s.live)
		}
	}
	if u.selected != id {
		t.Errorf("after undo the restored highlight is not selected")
	}
}

func TestUI_NoteAndTags(t *testing.T) {
	u, svc := newTestUI(t)
	addArticle(t, u, talks)
	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('3')
	u.reader.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !u.editor.body.Visible() || u.win.Canvas().Focused() != u.editor.note {
		t.Fatal("Enter did not open the note editor with the keyboard in the note")
	}
	test.Type(u.editor.note, "Where it *began*.")
	u.editor.flush() // what the debounce timer does after a pause
	u.editor.tagIn.SetText("Geneva")
	u.editor.tagIn.OnSubmitted("Geneva")
	u.editor.tagIn.SetText("talks")
	u.editor.tagIn.OnSubmitted("talks")
	got := notes(t, svc)[0]
	if got.Note != "Where it *began*." || !slices.Equal(got.Tags, []string{"Geneva", "talks"}) {
		t.Errorf("stored note %q tags %q", got.Note, got.Tags)
	}
	u.editor.removeTag("geneva")
	if got := notes(t, svc)[0]; !slices.Equal(got.Tags, []string{"talks"}) {
		t.Errorf("after removing a tag: %q", got.Tags)
	}
	// Suggestions come as the tag is typed, from the library's tags, but
	// not those the highlight has.
	u.reader.view.SetSelection(40, 49)
	u.reader.view.TypedRune('2')
	u.editor.focusNote()
	u.win.Canvas().Focus(u.editor.tagIn)
	test.Type(u.editor.tagIn, "ta")
	if !slices.Equal(u.editor.suggestions, []string{"talks"}) || !u.editor.hintsRow.Visible() {
		t.Fatalf("suggestions for %q = %q (shown %v)", "ta", u.editor.suggestions, u.editor.hintsRow.Visible())
	}
	// ↓ puts the suggestion in the field, Enter adds it.
	u.editor.tagIn.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if u.editor.tagIn.Text != "talks" {
		t.Errorf("↓ put %q in the field", u.editor.tagIn.Text)
	}
	u.editor.tagIn.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if n := u.note(u.selected); n == nil || !slices.Equal(n.Tags, []string{"talks"}) {
		t.Errorf("Enter on a suggestion: %+v", n)
	}
	if u.editor.hintsRow.Visible() {
		t.Errorf("suggestions stay after the tag was added")
	}
	// The highlight's own tags are not suggested.
	test.Type(u.editor.tagIn, "t")
	if slices.Contains(u.editor.suggestions, "talks") {
		t.Errorf("suggested a tag the highlight has: %q", u.editor.suggestions)
	}
}

func TestUI_ClickingAHighlightSelectsItsCard(t *testing.T) {
	u, _ := newTestUI(t)
	addArticle(t, u, talks)
	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('1')
	first := u.selected
	u.reader.view.SetSelection(40, 49)
	u.reader.view.TypedRune('2')
	u.reader.view.OnHighlightTapped(first.String())
	second := u.notes.list[1].ID
	if u.selected != first || !shownCard(t, u, first).selected || shownCard(t, u, second).selected {
		t.Errorf("tapping the first highlight did not select (only) its card")
	}
	// And the other way round: a tap on a card selects its passage.
	test.Tap(shownCard(t, u, second))
	if s, e := u.reader.view.Selection(); u.selected != second || s != 40 || e != 40 {
		t.Errorf("tapping the card: selected %s, caret [%d,%d), want the caret at 40", u.selected, s, e)
	}
}

func TestUI_Filters(t *testing.T) {
	u, svc := newTestUI(t)
	a := addArticle(t, u, talks)
	b, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "Another article about grain."})
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "Geneva", Tags: []string{"place"}, Color: annotations.Green})
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "lake", Color: annotations.Blue})
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: b.ID, Quote: "grain", Color: annotations.Green})
	u.openArticle(a.ID)

	titles := func() []string {
		var out []string
		for _, s := range u.library.shown {
			out = append(out, s.Title)
		}
		slices.Sort(out)
		return out
	}
	u.library.tags.SetSelected("place (1)")
	if got := titles(); !reflect.DeepEqual(got, []string{"Talks"}) {
		t.Errorf("tag filter shows %q", got)
	}
	if n := len(cardIDs(u)); n != 1 {
		t.Errorf("tag filter shows %d cards, want 1", n)
	}
	u.library.tags.SetSelectedIndex(0)
	u.library.colors.SetSelectedIndex(annotations.Green.Key())
	if got := titles(); !reflect.DeepEqual(got, []string{"Other", "Talks"}) {
		t.Errorf("colour filter shows %q", got)
	}
	u.library.colors.SetSelectedIndex(annotations.Blue.Key())
	if got := titles(); !reflect.DeepEqual(got, []string{"Talks"}) {
		t.Errorf("blue filter shows %q", got)
	}
	// A new highlight shows even when it does not pass the filter.
	u.reader.view.SetSelection(0, 5)
	u.reader.view.TypedRune('8')
	if _, ok := u.cards.row[u.selected]; !ok {
		t.Errorf("a new gray highlight is hidden by the blue filter")
	}
	u.library.colors.SetSelectedIndex(0)
	u.library.search.SetText("oth")
	if got := titles(); !reflect.DeepEqual(got, []string{"Other"}) {
		t.Errorf("title filter shows %q", got)
	}
}

func TestUI_ColourMeanings(t *testing.T) {
	u, svc := newTestUI(t)
	if err := svc.SetColorLabels(annotations.ColorLabels{annotations.Yellow: "main claim"}); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(u.library.colors.Options, "1 yellow — main claim") {
		t.Errorf("colour filter options = %q", u.library.colors.Options)
	}
}

func TestUI_OpenFiles(t *testing.T) {
	u, svc := newTestUI(t)
	dir := t.TempDir()
	good := writeTestFile(t, dir, "talks.txt", talks)
	bad := writeTestFile(t, dir, "paper.pdf", "%PDF-1.7\n")
	u.addArticles(readArticleFiles([]string{good, bad}, nil))
	list, _ := svc.Articles()
	if len(list) != 1 || u.article == nil || u.article.ID != list[0].ID {
		t.Fatalf("articles %+v; open %v", list, u.article)
	}
	if recent := u.app.Preferences().StringList(prefRecent); len(recent) != 1 || recent[0] != good {
		t.Errorf("recent files = %q", recent)
	}
}

func TestCompleteTags(t *testing.T) {
	tags := []annotations.TagCount{
		{Tag: "peace talks", Count: 5}, {Tag: "Geneva", Count: 3}, {Tag: "territory", Count: 2},
		{Tag: "talks", Count: 1}, {Tag: "PT boats", Count: 1},
	}
	tests := []struct {
		typed string
		want  []string
	}{
		{"", []string{"peace talks", "Geneva", "territory"}},
		{"ta", []string{"talks", "peace talks", "PT boats"}},
		{"pt", []string{"PT boats", "peace talks"}},
		{"gen", []string{"Geneva"}},
		{"talks", []string{"peace talks"}},
		{"xyz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.typed, func(t *testing.T) {
			got := completeTags(tags, tt.typed, 3)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("completeTags(%q) = %q, want %q", tt.typed, got, tt.want)
			}
		})
	}
}

func writeTestFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCard_Golden(t *testing.T) {
	test.NewTempApp(t)
	test.ApplyTheme(t, test.Theme())
	n := annotations.Annotation{
		ID: uuid.MustParse("0193a000-0000-7000-8000-000000000002"), Color: annotations.Green,
		Note: "Where the *talks* began.", Tags: []string{"place", "timeline"}, Status: annotations.StatusFuzzy,
		Target: annotations.Target{Start: 20, End: 40, Exact: "Negotiators met in Geneva on Tuesday."},
	}
	c := newCard(n, annotations.DefaultColorLabels, func() {})
	w := test.NewTempWindow(t, c)
	// Word-wrapped labels know their height only once they have a width:
	// a second layout pass settles them, as it does in the window.
	w.Resize(fyne.NewSize(320, 159))
	c.Refresh()
	w.Resize(fyne.NewSize(320, 160))
	test.AssertImageMatches(t, "card.png", w.Canvas().Capture())
	c.setSelected(true)
	test.AssertImageMatches(t, "card_selected.png", w.Canvas().Capture())
}

func TestUI_Search(t *testing.T) {
	u, svc := newTestUI(t)
	a := addArticle(t, u, talks)
	b, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "A consensus emerged on grain."})
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "Geneva", Note: "where they met", Tags: []string{"place"}})
	want, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: b.ID, Quote: "consensus", Note: "the key word"})
	u.start(a.ID.String())
	if got := u.search.entry.PlaceHolder; got != "Search 2 notes (Ctrl+K)" {
		t.Errorf("placeholder %q", got)
	}

	test.Type(u.search.entry, "consesus") // a typo
	if len(u.search.hits) == 0 {
		t.Fatal("no results")
	}
	if u.library.box.Visible() || !u.search.body.Visible() {
		t.Errorf("the results do not replace the library list")
	}
	if u.search.hits[0].ID != want.ID {
		t.Fatalf("first hit %s, want %s", u.search.hits[0].ID, want.ID)
	}
	u.search.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if u.article == nil || u.article.ID != b.ID || u.selected != want.ID {
		t.Errorf("Enter did not open the hit's article with the highlight selected")
	}
	// Escape in the article then goes back to the library list.
	if u.win.Canvas().Focused() != u.reader.view {
		t.Errorf("after Enter the keyboard is not in the article")
	}
	u.reader.view.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !u.library.box.Visible() || u.search.body.Visible() || u.search.entry.Text != "" {
		t.Errorf("Escape after opening a result did not bring the library list back")
	}
	test.Type(u.search.entry, "consesus")

	// A change reaches the index: a new note is found at once.
	u.reader.view.SetSelection(12, 19) // "emerged"
	u.reader.view.TypedRune('2')
	u.editor.note.SetText("unmistakable")
	u.editor.flush()
	u.search.entry.SetText("")
	test.Type(u.search.entry, "unmistak")
	if len(u.search.hits) != 1 || u.search.hits[0].ID != u.selected {
		t.Errorf("the new note is not found: %+v", u.search.hits)
	}
	if got := u.search.entry.PlaceHolder; got != "Search 3 notes (Ctrl+K)" {
		t.Errorf("placeholder after a highlight %q", got)
	}

	// Escape clears the query and brings the library list back.
	u.search.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if !u.library.box.Visible() || u.search.body.Visible() {
		t.Errorf("Escape did not bring the library list back")
	}
}

func TestUI_ReplaceTextAndAttachOrphan(t *testing.T) {
	u, svc := newTestUI(t)
	addArticle(t, u, talks)
	u.reader.view.SetSelection(strings.Index(talks, "Geneva"), strings.Index(talks, "Geneva")+6)
	u.reader.view.TypedRune('1')
	geneva := u.selected
	dir := t.TempDir()
	revised := strings.Replace(talks, "Negotiators met in Geneva on Tuesday.", "Negotiators met on Tuesday.", 1)
	u.replaceText(writeTestFile(t, dir, "v2.txt", revised))
	n := u.note(geneva)
	if n == nil || n.Status != annotations.StatusOrphaned {
		t.Fatalf("after the revision: %+v", n)
	}
	if n := len(cardIDs(u)); n != 1 {
		t.Errorf("%d cards", n)
	}
	// Select the orphan, select its new passage, attach.
	u.selectNote(geneva, false)
	if !u.editor.attach.Visible() {
		t.Errorf("the orphan's editor offers no Attach")
	}
	start := strings.Index(revised, "Tuesday")
	u.reader.view.SetSelection(start, start+7)
	if u.selected != geneva {
		t.Fatalf("selecting text dropped the orphan")
	}
	u.attachOrphan(geneva)
	got, _ := svc.Annotation(geneva)
	if got.Status != annotations.StatusAnchored || got.Target.Exact != "Tuesday" {
		t.Errorf("attached: %s %+v", got.Status, got.Target)
	}
	// Undo twice: the attach, then the revision (the old text is back).
	u.onUndo()
	u.onUndo()
	if a, _ := svc.Article(u.article.ID); a.Text != talks || u.reader.view.Text() != talks {
		t.Errorf("undo did not bring the old text back (in the library and in the view)")
	}
	u.onRedo()
	u.onRedo()
	if u.reader.view.Text() != annotations.NormalizeText(revised) {
		t.Errorf("redo did not show the revised text")
	}
	u.onUndo()
	u.onUndo()
	if got, _ := svc.Annotation(geneva); got.Status != annotations.StatusAnchored || got.Target.Exact != "Geneva" {
		t.Errorf("after undo: %s %+v", got.Status, got.Target)
	}
}

func TestUI_Export(t *testing.T) {
	u, svc := newTestUI(t)
	a := addArticle(t, u, talks)
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "Geneva", Note: "=1+1", Color: annotations.Green})
	var csvFormat, jsonFormat exportFormat
	for _, f := range exportFormats {
		switch f.ext {
		case ".csv":
			csvFormat = f
		case ".json":
			jsonFormat = f
		}
	}
	data, n, err := renderExport(svc, csvFormat, u.exportFilter(scopeArticle, csvFormat))
	if err != nil || n != 1 {
		t.Fatalf("export: %d %v", n, err)
	}
	if !strings.Contains(string(data), "'=1+1") || !strings.Contains(string(data), "Geneva") {
		t.Errorf("csv:\n%s", data)
	}
	// Gloss JSON is a complete copy: the trash comes too.
	trashed, _ := svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "lake"})
	_, _ = svc.Trash(trashed.ID)
	if _, n, _ := renderExport(svc, jsonFormat, u.exportFilter(scopeAll, jsonFormat)); n != 2 {
		t.Errorf("json export holds %d highlights, want 2 (with the trash)", n)
	}
	if _, n, _ := renderExport(svc, csvFormat, u.exportFilter(scopeAll, csvFormat)); n != 1 {
		t.Errorf("csv export holds %d highlights, want 1", n)
	}
}

func TestCompact(t *testing.T) {
	tests := []struct {
		text   string
		ranges [][2]int
		limit  int
		want   string
		wantR  [][2]int
	}{
		{"plain text", [][2]int{{6, 10}}, 50, "plain text", [][2]int{{6, 10}}},
		{"two\n\n  lines here", [][2]int{{7, 12}}, 50, "two lines here", [][2]int{{4, 9}}},
		{"café  👍 ok", [][2]int{{0, 4}, {8, 10}}, 50, "café 👍 ok", [][2]int{{0, 4}, {7, 9}}},
		{"a long line of words", [][2]int{{7, 11}, {15, 20}}, 10, "a long li…", [][2]int{{7, 9}}},
	}
	for _, tt := range tests {
		got, gotR := compact(tt.text, tt.ranges, tt.limit)
		if got != tt.want || !reflect.DeepEqual(gotR, tt.wantR) {
			t.Errorf("compact(%q) = %q %v, want %q %v", tt.text, got, gotR, tt.want, tt.wantR)
		}
	}
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("word ", 20) + "target here"
	got, r := snippet(long, [][2]int{{100, 106}}, 40)
	if !strings.HasPrefix(got, "…") || string([]rune(got)[r[0][0]:r[0][1]]) != "target" {
		t.Errorf("snippet = %q %v", got, r)
	}
	if got, r := snippet("short target", [][2]int{{6, 12}}, 40); got != "short target" || r[0] != [2]int{6, 12} {
		t.Errorf("snippet = %q %v", got, r)
	}
}

func TestUI_CardsAreVirtualised(t *testing.T) {
	u, svc := newTestUI(t)
	var b strings.Builder
	for i := range 1500 {
		fmt.Fprintf(&b, "Sentence number %d of a long article.\n", i)
	}
	text := b.String()
	art := addArticle(t, u, text)
	// 1,500 highlights, one per line, in one import.
	bundle, err := svc.Export(annotations.ExportFilter{ArticleIDs: []uuid.UUID{art.ID}})
	if err != nil {
		t.Fatal(err)
	}
	bundle.Articles = nil
	runes := []rune(text)
	now := time.Now().UTC()
	for line, start := 0, 0; line < 1500; line++ {
		end := start
		for runes[end] != '\n' {
			end++
		}
		target, _ := anchor.Capture(text, start, end)
		bundle.Annotations = append(bundle.Annotations, annotations.Annotation{
			ID: uuid.Must(uuid.NewV7()), ArticleID: art.ID, Color: annotations.Green, Target: target,
			Status: annotations.StatusAnchored, CreatedAt: now, UpdatedAt: now,
		})
		start = end + 1
	}
	if _, err := svc.Import(bundle); err != nil {
		t.Fatal(err)
	}
	u.win.Canvas().Capture()
	if n := len(cardIDs(u)); n != 1500 {
		t.Fatalf("%d cards, want 1500", n)
	}
	if u.cards.made > 40 {
		t.Errorf("%d card widgets made for 1,500 highlights", u.cards.made)
	}
	// Recolouring one highlight fills its row only.
	id := cardIDs(u)[2]
	u.selectNote(id, true)
	updated := u.cards.updated
	u.reader.view.TypedRune('4')
	if got, _ := svc.Annotation(id); got.Color != annotations.Blue {
		t.Fatalf("not recoloured: %s", got.Color)
	}
	if n := u.cards.updated - updated; n < 1 || n > 2 {
		t.Errorf("a recolour filled %d rows, want 1", n)
	}
	if !shownCard(t, u, id).selected || shownCard(t, u, id).note.Color != annotations.Blue {
		t.Errorf("the card does not show the new colour")
	}
	// A new highlight adds a row in text order, without a widget per card.
	made := u.cards.made
	u.reader.view.SetSelection(0, 8)
	u.reader.view.TypedRune('1')
	if ids := cardIDs(u); len(ids) != 1501 || ids[0] != u.selected {
		t.Errorf("the new highlight is not the first of %d cards", len(ids))
	}
	if u.cards.made > made+5 {
		t.Errorf("a new highlight made %d card widgets", u.cards.made-made)
	}
}

func TestPreview(t *testing.T) {
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"  two\n\n lines  ", 20, "two lines"},
		{"exactly ten", 11, "exactly ten"},
		{"one two three four", 9, "one two …"},
		{"café crème brûlée", 10, "café crèm…"},
		{strings.Repeat("word ", 1_000_000), 12, "word word w…"},
	}
	for _, tt := range tests {
		if got := preview(tt.s, tt.n); got != tt.want {
			t.Errorf("preview(%.20q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

func TestUI_DialogsTakeTheKeys(t *testing.T) {
	u, svc := newTestUI(t)
	addArticle(t, u, talks)
	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('1')
	undo := menuAction(t, u, &fyne.ShortcutUndo{})
	open := menuAction(t, u, &desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault})
	escape := func() { u.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyEscape}) }

	u.onColorMeanings()
	if len(u.dialogs.open) != 1 {
		t.Fatalf("%d dialogs open", len(u.dialogs.open))
	}
	undo() // Ctrl+Z behind "Colour meanings"
	if n := len(notes(t, svc)); n != 1 {
		t.Errorf("Ctrl+Z with a dialog open undid the highlight behind it")
	}
	open() // Ctrl+O
	if n := len(u.dialogs.open); n != 1 {
		t.Errorf("Ctrl+O with a dialog open opened another: %d dialogs", n)
	}
	u.win.Canvas().OnTypedRune()('/')
	if u.win.Canvas().Focused() == u.search.entry {
		t.Errorf("/ with a dialog open went to the search box behind it")
	}
	escape()
	if n := len(u.dialogs.open); n != 0 || u.win.Canvas().Overlays().Top() != nil {
		t.Fatalf("Escape left %d dialogs open", n)
	}
	// With the dialog gone, the keys act on the window again.
	undo()
	if n := len(notes(t, svc)); n != 0 {
		t.Errorf("Ctrl+Z after the dialog closed did nothing")
	}

	// Escape in a field of the dialog closes it too, without saving.
	u.onColorMeanings()
	var field *escEntry
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if e, ok := o.(*escEntry); ok && field == nil {
			field = e
		}
	})
	if field == nil {
		t.Fatal("no field in the colour meanings dialog")
	}
	test.Type(field, "changed")
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if len(u.dialogs.open) != 0 {
		t.Errorf("Escape in a field did not close the dialog")
	}
	if labels, _ := svc.ColorLabels(); labels[annotations.Yellow] != annotations.DefaultColorLabels[annotations.Yellow] {
		t.Errorf("Escape saved the meanings: %q", labels[annotations.Yellow])
	}
	// A progress dialog stays: Escape cannot hide work going on.
	u.show(dialog.NewCustomWithoutButtons("Working", widget.NewLabel("…"), u.win), false)
	escape()
	if len(u.dialogs.open) != 1 {
		t.Errorf("Escape closed a progress dialog")
	}
}

// walkObjects calls fn for o and everything inside it.
func walkObjects(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	fn(o)
	switch x := o.(type) {
	case *fyne.Container:
		for _, k := range x.Objects {
			walkObjects(k, fn)
		}
	case fyne.Widget:
		for _, k := range test.WidgetRenderer(x).Objects() {
			walkObjects(k, fn)
		}
	}
}

func TestUI_ToolbarTooltips(t *testing.T) {
	u, _ := newTestUI(t)
	var fire func()
	u.schedule = func(_ time.Duration, fn func()) func() { fire = fn; return func() { fire = nil } }
	var export *toolButton
	walkObjects(u.win.Content(), func(o fyne.CanvasObject) {
		if b, ok := o.(*toolButton); ok && strings.HasPrefix(b.tip, "Export") {
			export = b
		}
	})
	if export == nil {
		t.Fatal("no Export button")
	}
	if export.Icon != assets.ExportIcon {
		t.Errorf("the Export button has icon %s, want the export icon", export.Icon.Name())
	}
	export.MouseIn(&desktop.MouseEvent{})
	if u.tips.box.Visible() || fire == nil {
		t.Fatal("the tooltip shows at once, or is not scheduled")
	}
	fire()
	if !u.tips.box.Visible() || u.tips.text.Text != "Export highlights… (Ctrl+E)" {
		t.Errorf("tooltip %q visible %v", u.tips.text.Text, u.tips.box.Visible())
	}
	// The tooltip is under the button, and takes no keys: no overlay.
	bp := fyne.CurrentApp().Driver().AbsolutePositionForObject(export)
	if tp := u.tips.box.Position(); tp.Y < bp.Y+export.Size().Height {
		t.Errorf("tooltip at %v covers the button at %v", tp, bp)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Errorf("the tooltip is an overlay")
	}
	export.MouseOut()
	if u.tips.box.Visible() {
		t.Errorf("the tooltip stays after the pointer left")
	}
}

func TestUI_SplitStaysPut(t *testing.T) {
	u, _ := newTestUI(t)
	u.win.Resize(fyne.NewSize(900, 700)) // side panes narrower than what they hold
	addArticle(t, u, talks)
	u.win.Canvas().Capture()
	width := u.reader.view.Size().Width
	// The note editor appears (with its row of colours), a long tag
	// filter heading shows: the article keeps its width.
	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('1')
	u.editor.tagIn.SetText(strings.Repeat("a very long tag name ", 4))
	u.editor.onTagSubmitted(u.editor.tagIn.Text)
	u.library.tags.SetSelectedIndex(1)
	// The test driver lays out again on a resize (the real one whenever a
	// minimum size changes).
	u.win.Resize(fyne.NewSize(900, 701))
	u.win.Canvas().Capture()
	if got := u.reader.view.Size().Width; got != width {
		t.Errorf("the article view went from %v to %v wide", width, got)
	}
}

func TestUI_FiltersThatHideEverything(t *testing.T) {
	u, svc := newTestUI(t)
	a := addArticle(t, u, talks)
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "Geneva", Color: annotations.Green})
	u.library.colors.SetSelectedIndex(annotations.Red.Key())
	if !u.cards.hint.Visible() || !u.cards.clear.Visible() || !strings.Contains(u.cards.hint.Text, "matches red") {
		t.Errorf("cards with nothing left say %q (shown %v), clear shown %v", u.cards.hint.Text, u.cards.hint.Visible(), u.cards.clear.Visible())
	}
	if !u.library.none.Visible() || !strings.Contains(u.library.none.Text, "highlights matching red") {
		t.Errorf("library with nothing left says %q (shown %v)", u.library.none.Text, u.library.none.Visible())
	}
	test.Tap(u.library.clear)
	if u.filter.active() || len(cardIDs(u)) != 1 || len(u.library.shown) != 1 || u.library.none.Visible() || u.cards.clear.Visible() {
		t.Errorf("Clear the filters left filter %v, %d cards, %d articles", u.filter, len(cardIDs(u)), len(u.library.shown))
	}
	if u.library.colors.SelectedIndex() != 0 {
		t.Errorf("the colour filter still shows %q", u.library.colors.Selected)
	}
}

func TestUI_ColourBarLeavesTheNextLineFree(t *testing.T) {
	u, _ := newTestUI(t)
	addArticle(t, u, strings.Repeat(talks+"\n\n", 6))
	u.win.Canvas().Capture()
	for _, sel := range [][2]int{{0, 5}, {150, 170}, {300, 340}} {
		u.reader.view.SetSelection(sel[0], sel[1])
		top, bottom, _, _, ok := u.reader.view.SelectionBounds()
		if !ok || !u.reader.colorBar.Visible() {
			t.Fatalf("%v: no colour bar", sel)
		}
		bar := u.reader.colorBar.Position()
		h := u.reader.colorBar.Size().Height
		above := bar.Y+h <= top
		if !above && top-h-2 >= 0 {
			t.Errorf("%v: the bar (y %v–%v) is not above the selection (top %v) though there is room", sel, bar.Y, bar.Y+h, top)
		}
		if !above && bar.Y < bottom {
			t.Errorf("%v: the bar (y %v) covers the selection (y %v–%v)", sel, bar.Y, top, bottom)
		}
	}
}

func TestFitScreen(t *testing.T) {
	tests := []struct {
		name          string
		size          fyne.Size
		scale, sw, sh float32
		want          fyne.Size
	}{
		{"fits", fyne.NewSize(1280, 800), 1, 1920, 1080, fyne.NewSize(1280, 800)},
		{"FYNE_SCALE=2 on a small screen", fyne.NewSize(1400, 950), 2, 1400, 950, fyne.NewSize(665, 451.25)},
		{"remembered from a bigger monitor", fyne.NewSize(2500, 1400), 1, 1366, 768, fyne.NewSize(1297.7, 729.6)},
		{"never below a usable size", fyne.NewSize(1280, 800), 4, 800, 600, fyne.NewSize(640, 400)},
	}
	for _, tt := range tests {
		got := fitScreen(tt.size, tt.scale, tt.sw, tt.sh)
		if d := got.Subtract(tt.want); d.Width*d.Width+d.Height*d.Height > 0.01 {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestUI_ManageArticles(t *testing.T) {
	u, svc := newTestUI(t)
	a := addArticle(t, u, talks)
	other, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "Another article."})
	u.reader.view.SetSelection(20, 30)
	u.reader.view.TypedRune('1')

	// Details: the header shows the citation.
	c := annotations.Citation{Authors: []string{"Ann Reporter"}, Year: 2025, DOI: "10.1000/talks"}
	title := "Talks resume"
	if _, err := svc.EditArticle(a.ID, annotations.ArticleEdit{Title: &title, Citation: &c}); err != nil {
		t.Fatal(err)
	}
	if u.reader.title.Text != "Talks resume" || !strings.Contains(u.reader.source.Text, "Ann Reporter · 2025 · doi:10.1000/talks") {
		t.Errorf("header %q / %q", u.reader.title.Text, u.reader.source.Text)
	}
	if i := slices.IndexFunc(u.library.all, func(s annotations.ArticleSummary) bool { return s.ID == a.ID }); i < 0 || u.library.all[i].Title != "Talks resume" {
		t.Errorf("the library list keeps the old title")
	}
	// The details dialog saves what is typed.
	u.showArticleDetails(a.ID)
	var fields []*escEntry
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if e, ok := o.(*escEntry); ok {
			fields = append(fields, e)
		}
	})
	if len(fields) != 6 || fields[0].Text != "Talks resume" || fields[1].Text != "Ann Reporter" || fields[2].Text != "2025" {
		t.Fatalf("details dialog fields: %d", len(fields))
	}
	fields[1].SetText("Ann Reporter\nBo Writer")
	fields[2].SetText("2024")
	u.dialogs.open[0].(*dialog.ConfirmDialog).Confirm()
	if got, _ := svc.ArticleMeta(a.ID); !slices.Equal(got.Authors, []string{"Ann Reporter", "Bo Writer"}) || got.Year != 2024 {
		t.Errorf("saved %+v", got.Citation)
	}

	// The library list's menu moves it to the trash: it leaves the list
	// and the window; Undo brings it back, with its highlight.
	menu := u.library.articleMenu(a.ID)
	menu.Items[len(menu.Items)-1].Action()
	if u.article != nil || slices.ContainsFunc(u.library.all, func(s annotations.ArticleSummary) bool { return s.ID == a.ID }) {
		t.Fatalf("the trashed article is still open or listed")
	}
	if !u.reader.empty.Visible() || len(cardIDs(u)) != 0 {
		t.Errorf("the view still shows the trashed article")
	}
	u.onUndo()
	if i := slices.IndexFunc(u.library.all, func(s annotations.ArticleSummary) bool { return s.ID == a.ID }); i < 0 || u.library.all[i].Highlights != 1 {
		t.Fatalf("undo did not bring the article back with its highlight: %+v", u.library.all)
	}
	// The trash dialog lists and restores.
	u.trashArticle(other.ID)
	u.showTrash()
	var restore *widget.Button
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Restore" {
			restore = b
		}
	})
	if restore == nil {
		t.Fatal("the trash lists nothing to restore")
	}
	test.Tap(restore)
	if u.article == nil || u.article.ID != other.ID {
		t.Errorf("restoring from the trash did not open the article")
	}
	// Empty the trash: asked first, then gone for good.
	u.trashArticle(other.ID)
	u.showTrash()
	var emptyB *widget.Button
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == "Empty the trash…" {
			emptyB = b
		}
	})
	if emptyB == nil {
		t.Fatal("no Empty the trash button")
	}
	test.Tap(emptyB)
	if _, err := svc.ArticleMeta(other.ID); err != nil {
		t.Fatal("emptied without asking")
	}
	u.dialogs.open[len(u.dialogs.open)-1].(*dialog.ConfirmDialog).Confirm()
	if _, err := svc.ArticleMeta(other.ID); err == nil {
		t.Errorf("the trashed article is still there after emptying")
	}
	if !strings.HasPrefix(u.status.Text, "Deleted 1 article") {
		t.Errorf("status %q", u.status.Text)
	}
}

func TestUI_SearchSuggestsTags(t *testing.T) {
	u, svc := newTestUI(t)
	a := addArticle(t, u, talks)
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "Geneva", Tags: []string{"evidence"}})
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "Friday", Tags: []string{"event log"}})
	_, _ = svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "lake", Tags: []string{"place"}})
	test.Type(u.search.entry, "talks tag:ev")
	var hints []string
	for _, o := range u.search.tagHints.Objects {
		hints = append(hints, o.(*widget.Button).Text)
	}
	if !slices.Equal(hints, []string{"#event log", "#evidence"}) && !slices.Equal(hints, []string{"#evidence", "#event log"}) {
		t.Fatalf("suggestions for tag:ev = %q", hints)
	}
	// tag:ev already finds both, by prefix.
	if len(u.search.hits) != 2 {
		t.Errorf("tag:ev finds %d notes, want 2", len(u.search.hits))
	}
	// A click completes the tag (quoted when it has a space).
	for _, o := range u.search.tagHints.Objects {
		if b := o.(*widget.Button); b.Text == "#event log" {
			test.Tap(b)
		}
	}
	if got := u.search.entry.Text; got != `talks tag:"event log" ` {
		t.Errorf("query after the click: %q", got)
	}
	if len(u.search.hits) != 1 || len(u.search.tagHints.Objects) != 0 {
		t.Errorf("after the click: %d hits, %d suggestions", len(u.search.hits), len(u.search.tagHints.Objects))
	}
}

func TestUI_FindInTheArticle(t *testing.T) {
	u, _ := newTestUI(t)
	text := "Talks in Geneva. The talks resumed; TALKS, said the envoy, and talks again.\n\nNo more."
	addArticle(t, u, text)
	f := u.reader.find
	menuAction(t, u, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})()
	if !f.box.Visible() || u.win.Canvas().Focused() != f.entry {
		t.Fatal("Ctrl+F did not open the find bar with the focus in it")
	}
	test.Type(f.entry, "talks")
	if len(f.matches) != 4 || f.count.Text != "1 of 4" {
		t.Fatalf("matches %v, count %q", f.matches, f.count.Text)
	}
	if len(u.reader.view.Highlights()) != 0 {
		t.Errorf("the find painted highlights")
	}
	enter := &fyne.KeyEvent{Name: fyne.KeyReturn}
	f.entry.TypedKey(enter)
	f.entry.TypedKey(enter)
	if f.count.Text != "3 of 4" {
		t.Errorf("after Enter twice: %q", f.count.Text)
	}
	f.entry.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	f.entry.TypedKey(enter)
	f.entry.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
	if f.count.Text != "2 of 4" {
		t.Errorf("after Shift+Enter: %q", f.count.Text)
	}
	f.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	f.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyUp})
	if f.count.Text != "4 of 4" {
		t.Errorf("↑ past the first goes round to the last: %q", f.count.Text)
	}
	// Escape: the bar goes, and the match it was on is selected, so that
	// a colour key highlights it.
	f.entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if f.box.Visible() || u.win.Canvas().Focused() != u.reader.view {
		t.Fatal("Escape did not close the bar and give the text the focus")
	}
	s, e := u.reader.view.Selection()
	if got := string([]rune(text)[s:e]); got != "talks" || s != strings.LastIndex(text, "talks") {
		t.Fatalf("selected %q at %d", got, s)
	}
	u.reader.view.TypedRune('3')
	if n := u.note(u.selected); n == nil || n.Target.Exact != "talks" || n.Color != annotations.Green {
		t.Fatalf("the found match was not highlighted: %+v", n)
	}

	// Nothing found says so; another article closes the bar.
	menuAction(t, u, &desktop.CustomShortcut{KeyName: fyne.KeyF, Modifier: fyne.KeyModifierShortcutDefault})()
	f.entry.SetText("ceasefire")
	if f.count.Text != "No matches" || len(f.matches) != 0 {
		t.Errorf("no match: %q", f.count.Text)
	}
	addArticle(t, u, "Another text about talks.")
	if f.box.Visible() || f.index != nil {
		t.Errorf("another article kept the find bar or the old text")
	}
}

func TestUI_AddWebPage(t *testing.T) {
	u, svc := newTestUI(t)
	var requests int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests++
		if r.URL.Path != "/talks" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprintf(w, "<html><head><title>Talks</title></head><body><article><p>%s</p><img src=\"/x.png\"></article></body></html>", talks)
	}))
	defer srv.Close()
	u.addWebPage(srv.URL + "/talks")
	list, _ := svc.Articles()
	if len(list) != 1 || u.article == nil || u.article.ID != list[0].ID {
		t.Fatalf("articles %+v; open %v", list, u.article)
	}
	if list[0].Source != srv.URL+"/talks" || requests != 1 {
		t.Errorf("source %q after %d requests", list[0].Source, requests)
	}
	u.addWebPage(srv.URL + "/gone")
	if !u.dialogOpen() {
		t.Errorf("a page not found showed no error")
	}
	if list, _ := svc.Articles(); len(list) != 1 {
		t.Errorf("a page not found was added: %d articles", len(list))
	}
}

// TestUI_ClickArticleRow clicks an article's row, as the real window
// delivers it: to the row's own widget (see articleItem), which opens it.
func TestUI_ClickArticleRow(t *testing.T) {
	u, svc := newTestUI(t)
	one, _, _ := svc.AddArticle(annotations.NewArticle{Title: "One", Format: annotations.FormatText, Text: "first text"})
	two, _, _ := svc.AddArticle(annotations.NewArticle{Title: "Two", Format: annotations.FormatText, Text: "second text"})
	u.library.refresh()
	u.openArticle(one.ID)
	u.win.Canvas().Capture()
	var item *articleItem
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if it, ok := o.(*articleItem); ok && it.id == two.ID && it.Visible() {
			item = it
		}
		if c, ok := o.(*fyne.Container); ok {
			for _, k := range c.Objects {
				walk(k)
			}
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, k := range test.WidgetRenderer(w).Objects() {
				walk(k)
			}
		}
	}
	walk(u.win.Content())
	if item == nil {
		t.Fatal("no row for the article Two")
	}
	test.Tap(item)
	if u.article == nil || u.article.ID != two.ID {
		t.Errorf("a click on Two's row opened %v", u.article)
	}
}

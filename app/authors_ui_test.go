package app

import (
	"reflect"
	"slices"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage/storagetest"
)

// highlightAs highlights quote in an article as author (set on the
// device first).
func highlightAs(t *testing.T, svc *annotations.Service, author string, art annotations.Article, quote string) annotations.Annotation {
	t.Helper()
	if err := svc.SetAuthor(author); err != nil {
		t.Fatal(err)
	}
	a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Quote: quote})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func shownTitles(u *ui) []string {
	var out []string
	for _, s := range u.library.shown {
		out = append(out, s.Title)
	}
	slices.Sort(out)
	return out
}

func TestUI_AuthorFilter(t *testing.T) {
	u, svc := newTestUI(t)
	talksArt := addArticle(t, u, talks)
	if u.library.authors.Visible() {
		t.Errorf("the author filter shows in a library without authors")
	}
	// One reader without a name: still no author filter.
	highlightAs(t, svc, "", talksArt, "Tuesday")
	if u.library.authors.Visible() {
		t.Errorf("the author filter shows for a highlight without an author")
	}
	other, _, err := svc.AddArticle(annotations.NewArticle{Title: "Other", Format: annotations.FormatText, Text: "Another article about grain and rice."})
	if err != nil {
		t.Fatal(err)
	}
	highlightAs(t, svc, "Ben Ode", talksArt, "Friday")
	highlightAs(t, svc, "Ana Lima", talksArt, "Geneva")
	highlightAs(t, svc, "ana  lima", talksArt, "lake") // one author, spelt as first seen
	highlightAs(t, svc, "Ben Ode", other, "grain")
	u.openArticle(talksArt.ID)

	sel := u.library.authors
	want := []string{allAuthors, "Ana Lima (2)", "Ben Ode (2)"}
	if !sel.Visible() || !reflect.DeepEqual(sel.Options, want) {
		t.Fatalf("author filter: shown %v, options %q; want %q", sel.Visible(), sel.Options, want)
	}

	steps := []struct {
		choose string
		titles []string
		cards  int
		header string
	}{
		{"Ana Lima (2)", []string{"Talks"}, 2, "2 highlights by Ana Lima"},
		{"Ben Ode (2)", []string{"Other", "Talks"}, 1, "1 highlight by Ben Ode"},
		{allAuthors, []string{"Other", "Talks"}, 4, "4 highlights"},
	}
	for _, st := range steps {
		t.Run(st.choose, func(t *testing.T) {
			sel.SetSelected(st.choose)
			if got := shownTitles(u); !reflect.DeepEqual(got, st.titles) {
				t.Errorf("library shows %q, want %q", got, st.titles)
			}
			if n := len(cardIDs(u)); n != st.cards {
				t.Errorf("%d cards, want %d", n, st.cards)
			}
			for _, id := range cardIDs(u) {
				if n := u.note(id); st.choose != allAuthors && !annotations.SameAuthor(n.Author, u.filter.author) {
					t.Errorf("card of %q by %q under the filter %q", n.Target.Exact, n.Author, u.filter.author)
				}
			}
			if got := u.cards.header.Text; got != st.header {
				t.Errorf("cards header %q, want %q", got, st.header)
			}
		})
	}

	// With a colour too: both narrow.
	sel.SetSelected("Ben Ode (2)")
	u.library.colors.SetSelectedIndex(annotations.Red.Key())
	if u.filter.author != "Ben Ode" || u.filter.color != annotations.Red {
		t.Fatalf("filter %+v, want Ben Ode and red", u.filter)
	}
	if !u.library.none.Visible() || u.library.none.Text != "No article has highlights matching red by Ben Ode." {
		t.Errorf("library with nothing left says %q (shown %v)", u.library.none.Text, u.library.none.Visible())
	}
	if got := u.cards.hint.Text; got != "None of this article's 4 highlights matches red by Ben Ode." {
		t.Errorf("cards with nothing left say %q", got)
	}
	// Exporting the current filter exports Ben's red highlights.
	if f := u.exportFilter(scopeFilter, exportFormats[0]); f.Author != "Ben Ode" || !reflect.DeepEqual(f.Colors, []annotations.Color{annotations.Red}) {
		t.Errorf("export of the current filter: %+v", f)
	}
	u.library.colors.SetSelectedIndex(0)
	if got := u.cards.hint.Text; u.cards.hint.Visible() {
		t.Errorf("cards hint %q still shown", got)
	}
	// Clear the filters clears the author too.
	u.setFilter(noteFilter{})
	if sel.SelectedIndex() != 0 || len(u.library.shown) != 2 {
		t.Errorf("after clearing: author filter %q, %d articles", sel.Selected, len(u.library.shown))
	}
}

func TestUI_AuthorFilter_FollowsTheFeed(t *testing.T) {
	u, svc := newTestUI(t)
	art := addArticle(t, u, talks)
	ana := highlightAs(t, svc, "Ana Lima", art, "Geneva")
	sel := u.library.authors
	if got := sel.Options; !reflect.DeepEqual(got, []string{allAuthors, "Ana Lima (1)"}) {
		t.Fatalf("after Ana's highlight: %q", got)
	}

	// A teammate's highlights arrive in a Bulk event (an import, a sync).
	src := annotations.NewService(storagetest.Open(t))
	srcArt, _, err := src.AddArticle(annotations.NewArticle{Title: "Shared", Format: annotations.FormatText, Text: "A shared article about grain."})
	if err != nil {
		t.Fatal(err)
	}
	highlightAs(t, src, "Zoë Brandt", srcArt, "grain")
	b, err := src.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Import(b); err != nil {
		t.Fatal(err)
	}
	if got, want := sel.Options, []string{allAuthors, "Ana Lima (1)", "Zoë Brandt (1)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the import: %q, want %q", got, want)
	}
	sel.SetSelected("Zoë Brandt (1)")
	if got := shownTitles(u); !reflect.DeepEqual(got, []string{"Shared"}) {
		t.Errorf("Zoë's articles: %q", got)
	}

	// Ana's only highlight to the trash: she leaves the list; back, she
	// comes back.
	if _, err := svc.Trash(ana.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := sel.Options, []string{allAuthors, "Zoë Brandt (1)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the trash: %q, want %q", got, want)
	}
	if _, err := svc.Undo(); err != nil {
		t.Fatal(err)
	}
	if got, want := sel.Options, []string{allAuthors, "Ana Lima (1)", "Zoë Brandt (1)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after undo: %q, want %q", got, want)
	}
	if sel.Selected != "Zoë Brandt (1)" {
		t.Errorf("the filter's author shows %q", sel.Selected)
	}

	// A filter on an author whose last highlight goes is dropped.
	sel.SetSelected("Ana Lima (1)")
	if _, err := svc.Trash(ana.ID); err != nil {
		t.Fatal(err)
	}
	if u.filter.author != "" || sel.SelectedIndex() != 0 {
		t.Errorf("the filter on Ana stayed: %+v, shows %q", u.filter, sel.Selected)
	}
}

// TestUI_AuthorFilter_ReadMeanwhile: the authors are read off the UI
// thread; after a change that comes through the feed before the read is
// back (which the read may or may not have seen), they are read again:
// the change is neither lost nor counted twice.
func TestUI_AuthorFilter_ReadMeanwhile(t *testing.T) {
	u, svc := newTestUI(t)
	art := addArticle(t, u, talks)
	highlightAs(t, svc, "Ana Lima", art, "Geneva")
	var pending []func()
	reads := 0
	u.background = func(fn func()) { pending = append(pending, fn); reads++ }
	u.library.readAuthors()
	highlightAs(t, svc, "Ana Lima", art, "lake") // after the read began
	highlightAs(t, svc, "Ben Ode", art, "Friday")
	for len(pending) > 0 {
		fn := pending[0]
		pending = pending[1:]
		fn()
	}
	if got, want := u.library.authors.Options, []string{allAuthors, "Ana Lima (2)", "Ben Ode (1)"}; !reflect.DeepEqual(got, want) {
		t.Errorf("after the read: %q, want %q", got, want)
	}
	if u.library.readingAuthors || reads != 2 {
		t.Errorf("reading the authors: %v after %d reads; want done after 2 (the first may have missed the changes)", u.library.readingAuthors, reads)
	}
}

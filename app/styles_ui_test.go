package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
)

// An article with a structure opens set out, lists its headings under
// View → Contents…, goes to one when it is chosen, and opens its links in
// the browser (never fetching them itself).
func TestUI_StructuredArticle(t *testing.T) {
	u, svc := newTestUI(t)
	const text = "Reef survey\n\nDivers counted corals; see the report.\n\nMethods\n\nTransects along the crest."
	st := &annotations.Structure{
		Blocks: []annotations.Block{
			{Kind: annotations.BlockHeading, Level: 1, Start: 0, End: 11},
			{Kind: annotations.BlockHeading, Level: 2, Start: 53, End: 60},
		},
		Spans: []annotations.StyleSpan{{Kind: annotations.SpanLink, Start: 40, End: 50, Href: "/report"}},
	}
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "Reef", Source: "https://example.org/reef/notes", Format: annotations.FormatHTML, Text: text, Structure: st})
	if err != nil {
		t.Fatal(err)
	}
	u.openArticle(a.ID)
	if u.structure == nil || len(u.structure.Blocks) != 2 {
		t.Fatalf("open article's structure: %+v", u.structure)
	}

	u.onContents()
	list := findList(t, u.win.Canvas().Overlays().Top())
	if n := list.Length(); n != 2 {
		t.Fatalf("contents list %d entries, want 2", n)
	}
	list.Select(1)
	if s, e := u.reader.view.Selection(); s != 53 || e != 53 {
		t.Errorf("choosing Methods put the caret at %d–%d, want 53", s, e)
	}
	if u.win.Canvas().Overlays().Top() != nil {
		t.Errorf("the contents stay open after a choice")
	}

	u.reader.onLinkTapped("/report")
	if got := u.status.Text; got != "Opened https://example.org/report in the browser." {
		t.Errorf("status after a link: %q", got)
	}
	u.reader.onLinkTapped("javascript:alert(1)")
	if got := u.status.Text; !strings.HasPrefix(got, "This link does not lead to a web page") {
		t.Errorf("status after a script link: %q", got)
	}

	// A plain text article has no contents to list.
	plain, _, err := svc.AddArticle(annotations.NewArticle{Title: "Plain", Format: annotations.FormatText, Text: "Only words."})
	if err != nil {
		t.Fatal(err)
	}
	u.openArticle(plain.ID)
	u.onContents()
	if u.win.Canvas().Overlays().Top() != nil || !strings.Contains(u.status.Text, "no headings") {
		t.Errorf("contents of a plain article: overlay %v, status %q", u.win.Canvas().Overlays().Top(), u.status.Text)
	}
}

// findList returns the first list under o.
func findList(t *testing.T, o fyne.CanvasObject) *widget.List {
	t.Helper()
	var found *widget.List
	walkObjects(o, func(o fyne.CanvasObject) {
		if l, ok := o.(*widget.List); ok && found == nil {
			found = l
		}
	})
	if found == nil {
		t.Fatal("no list shown")
	}
	return found
}

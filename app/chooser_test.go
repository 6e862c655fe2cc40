package app

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
)

// rows returns the chooser's rows shown, by the name they show.
func rows(c *chooser) map[string]*chooserRow {
	out := map[string]*chooserRow{}
	walkObjects(c.list, func(o fyne.CanvasObject) {
		if r, ok := o.(*chooserRow); ok && r.Visible() {
			out[r.label.Text] = r
		}
	})
	return out
}

func names(c *chooser) []string {
	var out []string
	for _, it := range c.items {
		out = append(out, it.name)
	}
	return out
}

func TestChooser_Open(t *testing.T) {
	u, _ := newTestUI(t)
	dir := t.TempDir()
	for _, f := range []string{"b.txt", "A.md", "photo.png", ".hidden.txt", "sub/inner.txt", "sub/other.html"} {
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f)), 0o755); err != nil {
			t.Fatal(err)
		}
		writeTestFile(t, dir, f, "text")
	}
	var got []string
	c := u.chooseFile("Open", false, articleExtensions, dir, "", func(p string) { got = append(got, p) })
	u.win.Canvas().Capture()
	if want := []string{"sub", "A.md", "b.txt"}; !slices.Equal(names(c), want) {
		t.Fatalf("shows %q, want %q (folders first, only articles, no hidden files)", names(c), want)
	}
	// A double-click on the folder opens it. The row under the pointer
	// now shows a file: a double-click arriving on it at once (the second
	// click of the same double-click) must not open that file.
	doubleClick := func(r *chooserRow, between func()) {
		r.MouseDown(&desktop.MouseEvent{})
		between()
		r.MouseDown(&desktop.MouseEvent{})
		r.DoubleTapped(&fyne.PointEvent{})
	}
	row := rows(c)["sub"]
	doubleClick(row, func() {})
	if c.dir != filepath.Join(dir, "sub") {
		t.Fatalf("in %s, want the sub-folder", c.dir)
	}
	u.win.Canvas().Capture()
	if row.label.Text == "sub" {
		t.Fatal("the row was not reused for the folder's files")
	}
	// As Fyne's dialog does: the first press opens the folder, the second
	// lands on the reused row, now a file. The file is not opened.
	row = rows(c)["inner.txt"]
	row.label.Text = "sub"
	doubleClick(row, func() { c.list.Refresh() })
	if len(got) != 0 {
		t.Fatalf("the double-click on the folder opened %q", got)
	}
	// A double-click on a file opens it.
	doubleClick(rows(c)["inner.txt"], func() {})
	if !slices.Equal(got, []string{filepath.Join(dir, "sub", "inner.txt")}) {
		t.Errorf("opened %q", got)
	}
	if p := u.app.Preferences().String(prefLastFolder); p != filepath.Join(dir, "sub") {
		t.Errorf("last folder %q", p)
	}
	if len(u.dialogs.open) != 0 {
		t.Errorf("the dialog stays open")
	}
}

func TestChooser_Save(t *testing.T) {
	u, _ := newTestUI(t)
	dir := t.TempDir()
	existing := writeTestFile(t, dir, "notes.md", "mine")
	var got string
	c := u.chooseFile("Save", true, []string{".md"}, dir, "export.md", func(p string) { got = p })
	test.Tap(c.ok)
	if got != filepath.Join(dir, "export.md") {
		t.Fatalf("saved to %q", got)
	}
	// Over a file that exists: asked first, nothing chosen until yes.
	got = ""
	c = u.chooseFile("Save", true, []string{".md"}, dir, "notes.md", func(p string) { got = p })
	test.Tap(c.ok)
	if got != "" || len(u.dialogs.open) != 2 {
		t.Fatalf("replaced %q without asking (%d dialogs)", got, len(u.dialogs.open))
	}
	u.dismissTop() // No
	if got != "" {
		t.Errorf("saved after No")
	}
	if data, _ := os.ReadFile(existing); string(data) != "mine" {
		t.Errorf("the file was changed")
	}
}

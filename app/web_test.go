package app

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
)

// webDialog opens the "Add a web page" dialog and returns its address
// field and its check box.
func webDialog(t *testing.T, u *ui) (*escEntry, *widget.Check) {
	t.Helper()
	u.onAddWebPage()
	var field *escEntry
	var check *widget.Check
	walkObjects(u.win.Canvas().Overlays().Top(), func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *escEntry:
			field = o
		case *widget.Check:
			check = o
		}
	})
	if field == nil || check == nil {
		t.Fatal("no address field or check box in the dialog")
	}
	if check.Text != "Also keep the page's pictures" {
		t.Errorf("the check box says %q", check.Text)
	}
	return field, check
}

// TestUI_AddWebPageImages: the dialog's check box is off at first and
// remembered; on, the page's pictures are fetched and kept; Enter adds
// and Escape cancels, as before.
func TestUI_AddWebPageImages(t *testing.T) {
	u, svc := newTestUI(t)
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 3))); err != nil {
		t.Fatal(err)
	}
	fig := buf.Bytes()
	var pictures atomic.Int64
	// The picture comes after many paragraphs, out of the text view's
	// sight: this test is of what is fetched and kept, not of how the
	// view draws it (TestUI_ArticleWithPicture and textview's tests).
	filler := strings.Repeat("<p>The talks went on into the night, and nobody left the room.</p>", 300)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/talks", "/more":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><head><title>Talks</title></head><body><article><p>%s</p>%s<img src=\"fig.png\" alt=\"map\"><p>%s</p></article></body></html>", talks, filler, r.URL.Path)
		case "/fig.png":
			pictures.Add(1)
			w.Header().Set("Content-Type", "image/png")
			w.Write(fig)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	// Escape cancels: nothing fetched, nothing added.
	field, check := webDialog(t, u)
	if check.Checked {
		t.Errorf("the check box is on at first")
	}
	test.Type(field, srv.URL+"/talks")
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	if u.dialogOpen() {
		t.Fatalf("Escape left the dialog open")
	}
	if list, _ := svc.Articles(); len(list) != 0 {
		t.Fatalf("Escape added %d articles", len(list))
	}

	// Off, Enter adds the page alone.
	field, _ = webDialog(t, u)
	test.Type(field, srv.URL+"/talks")
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	list, _ := svc.Articles()
	if len(list) != 1 || pictures.Load() != 0 {
		t.Fatalf("Enter: %d articles, the picture asked %d times", len(list), pictures.Load())
	}

	// On, the picture comes with the page, and the box stays on.
	field, check = webDialog(t, u)
	test.Tap(check)
	if !u.app.Preferences().Bool(prefWebImages) {
		t.Errorf("the check box was not remembered")
	}
	test.Type(field, srv.URL+"/more")
	field.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if pictures.Load() != 1 || u.article == nil {
		t.Fatalf("the picture asked %d times; open %v", pictures.Load(), u.article)
	}
	data, err := svc.ArticleImage(u.article.ID, annotations.ImageKey(fig))
	if err != nil || !bytes.Equal(data, fig) {
		t.Errorf("the picture kept: %d bytes, %v", len(data), err)
	}
	if !strings.HasSuffix(u.status.Text, " · 1 picture kept") {
		t.Errorf("status after adding with pictures: %q", u.status.Text)
	}
	if _, check = webDialog(t, u); !check.Checked {
		t.Errorf("the check box was not on again")
	}
	u.dismissTop()
}

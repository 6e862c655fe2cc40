package cli

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
)

// tinyPNG is a picture of w × 1 pixels.
func tinyPNG(t *testing.T, w int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, 1))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// storedImage returns the picture the library keeps for the article id
// under key.
func (l *lib) storedImage(id, key string) []byte {
	l.t.Helper()
	db, err := storage.Open(l.path, storage.Options{NoAutoBackup: true})
	if err != nil {
		l.t.Fatal(err)
	}
	defer db.Close()
	data, err := annotations.NewService(db).ArticleImage(uuid.MustParse(id), key)
	if err != nil {
		l.t.Fatalf("the picture %s: %v", key, err)
	}
	return data
}

// TestCLI_AddImages: "add --images" keeps a web page's pictures (and
// says so), plain "add" fetches the page only, and a Markdown file's
// pictures beside it are kept without asking.
func TestCLI_AddImages(t *testing.T) {
	l := newLib(t)
	fig := tinyPNG(t, 3)
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/talks", "/again":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprintf(w, "<html><head><title>Peace talks</title></head><body><article><p>%s</p><img src=fig.png alt=map><img src=/gone.png alt=gone><p>%s</p></article></body></html>", article, r.URL.Path)
		case "/fig.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(fig)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()

	_, stderr, code := l.run("", "add", srv.URL+"/talks")
	if code != 0 || strings.Contains(stderr, "picture") || requests.Load() != 1 {
		t.Fatalf("add without --images: exit %d, %q, %d requests", code, stderr, requests.Load())
	}
	out, stderr, code := l.run("", "add", "--images", srv.URL+"/again")
	if code != 0 || stderr != "gloss: 1 picture kept with Peace talks (1 could not be)\n" {
		t.Fatalf("add --images: exit %d, %q", code, stderr)
	}
	if n := requests.Load(); n != 4 {
		t.Errorf("%d requests, want 4 (two pages, a picture and a missing one)", n)
	}
	id, _, _ := strings.Cut(out, "\t")
	if got := l.storedImage(id, annotations.ImageKey(fig)); !bytes.Equal(got, fig) {
		t.Errorf("the picture kept differs")
	}

	// A file's pictures are kept without --images (which says nothing
	// of files); a web one it shows is not fetched.
	requests.Store(0)
	if err := os.WriteFile(filepath.Join(l.dir, "map.png"), fig, 0o644); err != nil {
		t.Fatal(err)
	}
	md := l.file("notes.md", "# Field notes\n\nThe water was warm.\n\n![map](map.png) ![web]("+srv.URL+"/fig.png)\n")
	out, stderr, code = l.run("", "add", md)
	if code != 0 || stderr != "gloss: 1 picture kept with Field notes\n" || requests.Load() != 0 {
		t.Fatalf("add a Markdown file: exit %d, %q, %d requests", code, stderr, requests.Load())
	}
	id, _, _ = strings.Cut(out, "\t")
	if got := l.storedImage(id, annotations.ImageKey(fig)); !bytes.Equal(got, fig) {
		t.Errorf("the file's picture kept differs")
	}
	if help := l.ok("add", "--help"); !strings.Contains(help, "--images") || !strings.Contains(help, "only for web pages") {
		t.Errorf("add --help says nothing of --images: %q", help)
	}
}

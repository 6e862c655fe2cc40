package formats

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
)

// pngPicture is a small PNG picture, different for each n.
func pngPicture(t testing.TB, n int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	img.Set(0, 0, color.NRGBA{uint8(n), uint8(n >> 8), uint8(n >> 16), 255})
	img.Set(1, 0, color.NRGBA{255, 255, 255, 255})
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// imageSpans returns the document's image spans by their description.
func imageSpans(t *testing.T, doc Document) map[string]annotations.StyleSpan {
	t.Helper()
	if doc.Structure == nil {
		t.Fatalf("no structure")
	}
	out := map[string]annotations.StyleSpan{}
	for _, sp := range doc.Structure.Spans {
		if sp.Kind == annotations.SpanImage {
			out[sp.Alt] = sp
		}
	}
	return out
}

// checkKept checks what a document's pictures must be, whatever they
// are: each named by its key and a picture, each named by a span, every
// span's picture among them, and the structure fitting the text.
func checkKept(t testing.TB, doc Document) {
	t.Helper()
	if err := doc.Structure.Check(utf8.RuneCountInString(doc.Text)); err != nil {
		t.Fatalf("the structure does not fit the text: %v", err)
	}
	if doc.Images != nil && len(doc.Images) == 0 {
		t.Errorf("an empty map of pictures rather than nil")
	}
	if len(doc.Images) > annotations.MaxImagesPerArticle {
		t.Errorf("%d pictures kept", len(doc.Images))
	}
	named := map[string]bool{}
	if doc.Structure != nil {
		for _, sp := range doc.Structure.Spans {
			if sp.Image == "" {
				continue
			}
			named[sp.Image] = true
			if _, ok := doc.Images[sp.Image]; !ok {
				t.Errorf("a span names the picture %s, not kept", sp.Image)
			}
		}
	}
	for k, data := range doc.Images {
		if annotations.ImageKey(data) != k {
			t.Errorf("the picture kept as %s is not named by its hash", k)
		}
		if _, _, err := annotations.CheckImage(data); err != nil {
			t.Errorf("the picture %s: %v", k, err)
		}
		if !named[k] {
			t.Errorf("the picture %s is named by no span", k)
		}
	}
}

func TestReadArticle_EPUBImages(t *testing.T) {
	fig, other := pngPicture(t, 1), pngPicture(t, 2)
	chapter := `<html xmlns="http://www.w3.org/1999/xhtml"><body><h1>One</h1>
<p>Corals bleach when the sea is warm.</p>
<figure><img src="../images/fig%201.png" alt="first"/><figcaption>Figure 1</figcaption></figure>
<p>Again: <img src="../images/fig%201.png" alt="again"/> and <img src="other.png" alt="other"/>.</p>
<p><img src="../images/gone.png" alt="missing"/><img src="../../../../etc/passwd" alt="outside"/>
<img src="/OEBPS/images/fig%201.png" alt="absolute"/><img src="../images/drawing.svg" alt="svg"/>
<img src="../images/text.png" alt="not a picture"/><img src="http://example.org/x.png" alt="remote"/></p></body></html>`
	data := goodEPUB(t, map[string]string{
		"OEBPS/text/ch1.xhtml":     chapter,
		"OEBPS/images/fig 1.png":   string(fig),
		"OEBPS/text/other.png":     string(other),
		"OEBPS/images/drawing.svg": `<svg xmlns="http://www.w3.org/2000/svg"/>`,
		"OEBPS/images/text.png":    "not a picture at all",
	}, "OEBPS/images/fig 1.png", "OEBPS/text/other.png", "OEBPS/images/drawing.svg", "OEBPS/images/text.png")
	doc, err := ReadArticle("reef.epub", data)
	if err != nil {
		t.Fatal(err)
	}
	checkKept(t, doc)
	if len(doc.Images) != 2 {
		t.Fatalf("%d pictures kept, want 2", len(doc.Images))
	}
	spans := imageSpans(t, doc)
	for alt, want := range map[string][]byte{"first": fig, "again": fig, "other": other} {
		sp := spans[alt]
		if sp.Image != annotations.ImageKey(want) || !bytes.Equal(doc.Images[sp.Image], want) {
			t.Errorf("%s: span %+v does not name its picture", alt, sp)
		}
	}
	for _, alt := range []string{"missing", "outside", "absolute", "svg", "not a picture", "remote"} {
		if sp, ok := spans[alt]; !ok || sp.Image != "" {
			t.Errorf("%s: span %+v (want one without a picture)", alt, sp)
		}
	}
	// The first picture is where its figure is: before its caption.
	if at := spans["first"].Start; !strings.HasPrefix(string([]rune(doc.Text)[at:]), "Figure 1") {
		t.Errorf("the figure is at %d: %q", at, string([]rune(doc.Text)[at:]))
	}
}

// TestReadArticle_EPUBImagesLimit: a book keeps at most
// MaxImagesPerArticle pictures; those past it are spans without one.
func TestReadArticle_EPUBImagesLimit(t *testing.T) {
	n := annotations.MaxImagesPerArticle + 3
	var page strings.Builder
	page.WriteString(`<html><body><p>Many pictures.</p><p>`)
	files := map[string]string{}
	var names []string
	for i := range n {
		name := fmt.Sprintf("OEBPS/text/p%d.png", i)
		files[name] = string(pngPicture(t, i+1))
		names = append(names, name)
		fmt.Fprintf(&page, `<img src="p%d.png" alt="%d"/>`, i, i)
	}
	page.WriteString(`</p></body></html>`)
	files["OEBPS/text/ch1.xhtml"] = page.String()
	doc, err := ReadArticle("many.epub", goodEPUB(t, files, names...))
	if err != nil {
		t.Fatal(err)
	}
	checkKept(t, doc)
	if len(doc.Images) != annotations.MaxImagesPerArticle {
		t.Errorf("%d pictures kept, want %d", len(doc.Images), annotations.MaxImagesPerArticle)
	}
	if sp := imageSpans(t, doc)[fmt.Sprint(n-1)]; sp.Image != "" {
		t.Errorf("the last picture was kept past the limit: %+v", sp)
	}
}

func TestImageKeeper_Budget(t *testing.T) {
	pics := [][]byte{pngPicture(t, 1), pngPicture(t, 2), pngPicture(t, 3)}
	budget := int64(len(pics[0]) + len(pics[1]))
	k := newImageKeeper(nil, budget)
	s := &annotations.Structure{}
	for i := range pics {
		s.Spans = append(s.Spans, annotations.StyleSpan{Kind: annotations.SpanImage, Href: fmt.Sprint(i)})
	}
	s.Spans = append(s.Spans, annotations.StyleSpan{Kind: annotations.SpanImage, Href: "0"})
	fetched := 0
	k.keepImages(s, func(href string) string { return href }, func(a string, limit int64) ([]byte, error) {
		fetched++
		var i int
		fmt.Sscan(a, &i)
		if int64(len(pics[i])) > limit {
			t.Errorf("picture %s read past the limit %d", a, limit)
		}
		return pics[i], nil
	})
	if fetched != 2 || len(k.images) != 2 || k.skipped != 1 {
		t.Errorf("%d read, %d kept, %d skipped; want 2, 2, 1", fetched, len(k.images), k.skipped)
	}
	if s.Spans[3].Image != s.Spans[0].Image || s.Spans[0].Image == "" || s.Spans[2].Image != "" {
		t.Errorf("spans %+v", s.Spans)
	}
}

// TestReadArticleFile_LocalImages: the pictures of an HTML or Markdown
// file that are in its folder, or below, are kept; nothing above it,
// outside it by a link, absolute, or on the web is read.
func TestReadArticleFile_LocalImages(t *testing.T) {
	var requests atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngPicture(t, 9))
	}))
	defer srv.Close()

	top := t.TempDir()
	dir := filepath.Join(top, "article")
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fig, below, above := pngPicture(t, 1), pngPicture(t, 2), pngPicture(t, 3)
	write("fig 1.png", fig)
	write("figures/below.png", below)
	write("fake.png", []byte("<html>not a picture</html>"))
	if err := os.WriteFile(filepath.Join(top, "above.png"), above, 0o644); err != nil {
		t.Fatal(err)
	}
	links := true
	if err := os.Symlink(filepath.Join(top, "above.png"), filepath.Join(dir, "out.png")); err != nil {
		links = false
	}
	if links {
		if err := os.Symlink("fig 1.png", filepath.Join(dir, "in.png")); err != nil {
			t.Fatal(err)
		}
	}
	abs := filepath.ToSlash(filepath.Join(dir, "fig 1.png"))
	md := fmt.Sprintf(`# Field notes

The water was warm.

![kept](fig%%201.png) ![below](figures/below.png) ![above](../above.png)
![link out](out.png) ![link in](in.png) ![fake](fake.png) ![missing](gone.png)
![absolute](<%s>) ![file](<file://%s>) ![remote](%s/remote.png) ![folder](figures)
`, abs, abs, srv.URL)
	mdPath := write("notes.md", []byte(md))
	page := fmt.Sprintf(`<html><head><title>Field notes</title></head><body><h1>Field notes</h1><p>The water was warm.</p>
<p><img src="fig%%201.png" alt="kept"><img src="./figures/below.png?v=2#x" alt="below"><img src="../above.png" alt="above">
<img src="figures/../../above.png" alt="above again"><img src="%s" alt="absolute"><img src="%s/remote.png" alt="remote"></p></body></html>`, abs, srv.URL)
	htmlPath := write("page.html", []byte(page))

	doc, err := ReadArticleFile(mdPath)
	if err != nil {
		t.Fatal(err)
	}
	checkKept(t, doc)
	spans := imageSpans(t, doc)
	want := map[string][]byte{"kept": fig, "below": below}
	if links {
		want["link in"] = fig
	}
	for alt, sp := range spans {
		if pic, ok := want[alt]; ok {
			if sp.Image != annotations.ImageKey(pic) || !bytes.Equal(doc.Images[sp.Image], pic) {
				t.Errorf("%s: span %+v does not name its picture", alt, sp)
			}
		} else if sp.Image != "" {
			t.Errorf("%s: span %+v was given a picture", alt, sp)
		}
	}
	if len(spans) != 11 {
		t.Errorf("%d image spans: %+v", len(spans), spans)
	}
	if len(doc.Images) != 2 {
		t.Errorf("%d pictures kept, want 2", len(doc.Images))
	}
	for _, data := range doc.Images {
		if bytes.Equal(data, above) {
			t.Errorf("the picture above the folder was kept")
		}
	}

	doc, err = ReadArticleFile(htmlPath)
	if err != nil {
		t.Fatal(err)
	}
	checkKept(t, doc)
	spans = imageSpans(t, doc)
	if sp := spans["kept"]; sp.Image != annotations.ImageKey(fig) {
		t.Errorf("HTML: the picture beside it: %+v", sp)
	}
	if sp := spans["below"]; sp.Image != annotations.ImageKey(below) {
		t.Errorf("HTML: the picture below it: %+v", sp)
	}
	for _, alt := range []string{"above", "above again", "absolute", "remote"} {
		if sp := spans[alt]; sp.Image != "" {
			t.Errorf("HTML: %s was kept: %+v", alt, sp)
		}
	}

	// Given its bytes only, the article has no folder: nothing is kept.
	if doc, err := ReadArticle(mdPath, []byte(md)); err != nil || doc.Images != nil {
		t.Errorf("ReadArticle kept %d pictures, %v", len(doc.Images), err)
	}
	if n := requests.Load(); n != 0 {
		t.Errorf("%d requests: a picture on the web was fetched", n)
	}
}

func TestLocalImagePath(t *testing.T) {
	for href, want := range map[string]string{
		"a.png": "a.png", "./x/a.png": filepath.FromSlash("x/a.png"), "x/../a.png": "a.png", "my%20pic.png": "my pic.png",
		"a.png?v=1#top": "a.png",
		"../a.png":      "", "x/../../a.png": "", "/etc/a.png": "", "file:///etc/a.png": "", "http://x.org/a.png": "",
		"//x.org/a.png": "", `x\a.png`: "", "C:/a.png": "", "data:image/png;base64,AAAA": "", ".": "", "": "", "%zz": "",
	} {
		if got := localImagePath(href); got != want {
			t.Errorf("localImagePath(%q) = %q, want %q", href, got, want)
		}
	}
}

// TestFetchArticleWith_Images: with Images, the page's pictures are
// fetched after it and kept when they are pictures; without, nothing but
// the page is fetched.
func TestFetchArticleWith_Images(t *testing.T) {
	fig := pngPicture(t, 1)
	var requests atomic.Int64
	var asked sync.Map
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		n, _ := asked.LoadOrStore(r.URL.Path, new(atomic.Int64))
		n.(*atomic.Int64).Add(1)
		if r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			t.Errorf("%s was asked with credentials", r.URL.Path)
		}
		switch r.URL.Path {
		case "/report":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, `<html><head><title>Reef report</title></head><body><article><h1>Reef report</h1>
<p>Corals bleached on the outer reef for the fourth time in eight years, the survey found.</p>
<img src="/fig.png" alt="kept"><img src="gone.png" alt="missing"><img src="/page.png" alt="html">
<img src="/lying.png" alt="lying"><img src="fig.png#again" alt="again"><img src="http://me:secret@`+r.Host+`/fig.png" alt="password">
<img src="ftp://example.org/x.png" alt="ftp">
<p>Recovery between the events was slower than expected, the authors said.</p></article></body></html>`)
		case "/fig.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write(fig)
		case "/page.png":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, "<html>a picture, it says</html>")
		case "/lying.png":
			w.Header().Set("Content-Type", "image/png")
			fmt.Fprint(w, "<html>a picture, it says</html>")
		default:
			http.NotFound(w, r)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	plain, err := FetchArticleWith(t.Context(), srv.URL+"/report", FetchOptions{Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != 1 || plain.Document.Images != nil {
		t.Fatalf("without Images: %d requests, %d pictures", n, len(plain.Document.Images))
	}

	requests.Store(0)
	asked.Clear()
	f, err := FetchArticleWith(t.Context(), srv.URL+"/report", FetchOptions{Client: srv.Client(), Images: true})
	if err != nil {
		t.Fatal(err)
	}
	doc := f.Document
	checkKept(t, doc)
	spans := imageSpans(t, doc)
	key := annotations.ImageKey(fig)
	if len(doc.Images) != 1 || !bytes.Equal(doc.Images[key], fig) {
		t.Fatalf("%d pictures kept: %v", len(doc.Images), spans)
	}
	for alt, sp := range spans {
		want := ""
		if alt == "kept" || alt == "again" || alt == "password" {
			want = key
		}
		if sp.Image != want {
			t.Errorf("%s: span %+v, want the picture %q", alt, sp, want)
		}
	}
	// /fig.png once (however often shown), /gone.png, /page.png and
	// /lying.png: the page and four.
	if n := requests.Load(); n != 5 {
		t.Errorf("%d requests, want 5", n)
	}
	if n, _ := asked.Load("/fig.png"); n == nil || n.(*atomic.Int64).Load() != 1 {
		t.Errorf("the picture shown three times was not fetched once")
	}
	if f.ImagesSkipped != 3 { // missing, html, lying; not ftp, never asked
		t.Errorf("%d skipped, want 3", f.ImagesSkipped)
	}
	if f.Final != srv.URL+"/report" || plain.Document.Text != doc.Text {
		t.Errorf("final %q; the text changed with its pictures", f.Final)
	}
}

// TestFetchArticleWith_ImageLimits: how many pictures are asked, how
// large each is, how many bytes in all and how long they take are
// bounded; the page is added all the same.
func TestFetchArticleWith_ImageLimits(t *testing.T) {
	// A picture to the header's reading, padded to its size: what
	// CheckImage reads is its header.
	padded := func(n, size int) []byte {
		return append(pngPicture(t, n), make([]byte, size)...)
	}
	var requests atomic.Int64
	var served atomic.Int64
	page := func(w http.ResponseWriter, prefix string, n int) {
		w.Header().Set("Content-Type", "text/html")
		fmt.Fprint(w, `<html><body><article><h1>Pictures</h1><p>Corals bleached on the outer reef for the fourth time in eight years.</p>`)
		for i := range n {
			fmt.Fprintf(w, `<img src="%s/%d.png" alt="%d">`, prefix, i, i)
		}
		fmt.Fprint(w, `<p>Recovery between the events was slower than expected, the authors said.</p></article></body></html>`)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/many", func(w http.ResponseWriter, r *http.Request) { page(w, "/small", 60) })
	mux.HandleFunc("/large", func(w http.ResponseWriter, r *http.Request) { page(w, "/big", 10) })
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) { page(w, "/sleepy", 10) })
	mux.HandleFunc("/huge", func(w http.ResponseWriter, r *http.Request) { page(w, "/endless", 1) })
	mux.HandleFunc("/small/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngPicture(t, int(requests.Load())))
	})
	mux.HandleFunc("/big/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "image/png")
		n, _ := w.Write(padded(int(requests.Load()), 7<<20))
		served.Add(int64(n))
	})
	mux.HandleFunc("/endless/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		// No length said: the reading must stop by itself.
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngPicture(t, 1))
		chunk := make([]byte, 1<<20)
		for i := 0; i < 64; i++ {
			n, err := w.Write(chunk)
			served.Add(int64(n))
			if err != nil {
				return
			}
			w.(http.Flusher).Flush()
		}
	})
	mux.HandleFunc("/sleepy/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	fetch := func(path string, timeout time.Duration) Fetched {
		t.Helper()
		requests.Store(0)
		served.Store(0)
		f, err := FetchArticleWith(t.Context(), srv.URL+path, FetchOptions{Client: srv.Client(), Images: true, ImagesTimeout: timeout})
		if err != nil {
			t.Fatal(err)
		}
		checkKept(t, f.Document)
		return f
	}

	t.Run("at most 50 asked", func(t *testing.T) {
		f := fetch("/many", 0)
		if n := requests.Load(); n != MaxFetchedImages || len(f.Document.Images) != MaxFetchedImages || f.ImagesSkipped != 10 {
			t.Errorf("%d asked, %d kept, %d skipped", n, len(f.Document.Images), f.ImagesSkipped)
		}
	})
	t.Run("50 MB in all", func(t *testing.T) {
		f := fetch("/large", 0)
		// Seven pictures of 7 MB: the eighth would pass 50 MB.
		if n := requests.Load(); n != 8 || len(f.Document.Images) != 7 || f.ImagesSkipped != 3 {
			t.Errorf("%d asked, %d kept, %d skipped", n, len(f.Document.Images), f.ImagesSkipped)
		}
	})
	t.Run("8 MB each", func(t *testing.T) {
		f := fetch("/huge", 0)
		if len(f.Document.Images) != 0 || f.ImagesSkipped != 1 {
			t.Errorf("%d kept, %d skipped", len(f.Document.Images), f.ImagesSkipped)
		}
		if n := served.Load(); n > 16<<20 {
			t.Errorf("%d MB read of a picture without end", n>>20)
		}
	})
	t.Run("one deadline", func(t *testing.T) {
		start := time.Now()
		f := fetch("/slow", 300*time.Millisecond)
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("ten slow pictures took %v", d)
		}
		if requests.Load() > 2 || len(f.Document.Images) != 0 || f.ImagesSkipped != 10 {
			t.Errorf("%d asked, %d kept, %d skipped", requests.Load(), len(f.Document.Images), f.ImagesSkipped)
		}
	})
}

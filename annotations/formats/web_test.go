package formats

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const webPage = `<!doctype html><html><head><title>Reef report | News</title>
<meta name="citation_author" content="Mara Okafor"><link rel="stylesheet" href="/style.css">
<script src="/app.js"></script></head><body><nav>Home | World</nav><article><h1>Reef report</h1>
<p>Corals bleached on the outer reef for the fourth time in eight years, the survey found.</p>
<img src="/photo.jpg" alt="a reef"><p>Recovery between the events was slower than expected, the authors said.</p>
<p>Branching species died first; massive corals mostly recovered their colour within months.</p>
<iframe src="/ad.html"></iframe></article></body></html>`

func TestFetchArticle(t *testing.T) {
	var requests atomic.Int64
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		switch r.URL.Path {
		case "/report":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, webPage)
		case "/notes.md":
			w.Header().Set("Content-Type", "text/markdown")
			fmt.Fprint(w, "# Field notes\n\nWater was warm.\n")
		case "/photo.png":
			w.Header().Set("Content-Type", "image/png")
			w.Write([]byte("\x89PNG\r\n\x1a\n"))
		case "/gone":
			http.NotFound(w, r)
		case "/slow":
			time.Sleep(time.Second)
		case "/to-file":
			http.Redirect(w, r, "file:///etc/passwd", http.StatusFound)
		default:
			var n int
			if _, err := fmt.Sscanf(r.URL.Path, "/hop/%d", &n); err == nil {
				if n == 0 {
					http.Redirect(w, r, "/report", http.StatusFound)
				} else {
					http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
				}
				return
			}
			http.Error(w, "unexpected "+r.URL.Path, http.StatusTeapot)
		}
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	client := srv.Client()

	doc, final, err := FetchArticle(context.Background(), client, srv.URL+"/report")
	if err != nil {
		t.Fatal(err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests for one page: its image, script, style sheet or frame was fetched", n)
	}
	if !strings.HasPrefix(doc.Title, "Reef report") || !strings.Contains(doc.Text, "fourth time in eight years") || strings.Contains(doc.Text, "Home | World") {
		t.Errorf("title %q, text %q", doc.Title, doc.Text)
	}
	if final != srv.URL+"/report" || doc.Citation.URL != final || len(doc.Citation.Authors) != 1 {
		t.Errorf("final %q, citation %+v", final, doc.Citation)
	}
	if doc, _, err := FetchArticle(context.Background(), client, srv.URL+"/notes.md"); err != nil || doc.Title != "Field notes" {
		t.Errorf("markdown: %+v, %v", doc, err)
	}
	withPassword := strings.Replace(srv.URL, "http://", "http://me:secret@", 1) + "/report"
	if doc, final, err := FetchArticle(context.Background(), client, withPassword); err != nil || strings.Contains(final+doc.Citation.URL, "secret") {
		t.Errorf("an address with a password: kept as %q / %q, %v", final, doc.Citation.URL, err)
	}
	if _, final, err := FetchArticle(context.Background(), client, srv.URL+"/hop/4"); err != nil || !strings.HasSuffix(final, "/report") {
		t.Errorf("five redirects: %q, %v", final, err)
	}

	quick := *client
	quick.Timeout = 300 * time.Millisecond
	for _, tt := range []struct {
		name, address string
		client        *http.Client
		want          string
	}{
		{"not a web address", "ftp://example.org/x", client, "is not a web address"},
		{"no host", "https://", client, "is not a web address"},
		{"not found", srv.URL + "/gone", client, "answered 404 Not Found"},
		{"an image", srv.URL + "/photo.png", client, `is "image/png"`},
		{"too many redirects", srv.URL + "/hop/9", client, "more than 5 redirects"},
		{"a redirect out of the web", srv.URL + "/to-file", client, `a redirect to "file:"`},
		{"no answer", srv.URL + "/slow", &quick, "no answer within"},
		{"nobody there", "http://127.0.0.1:1/x", client, "could not be fetched"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := FetchArticle(context.Background(), tt.client, tt.address)
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.ContainsAny(err.Error(), "\r\n") {
				t.Fatalf("error %v, want one line with %q", err, tt.want)
			}
			if !errors.Is(err, ErrFetch) {
				t.Errorf("error %v is not ErrFetch", err)
			}
		})
	}
}

func TestIsWebAddress(t *testing.T) {
	for s, want := range map[string]bool{
		"https://example.org/a": true, "http://x.org": true, "paper.html": false,
		"/home/me/paper.html": false, "file:///tmp/a.html": false, "https://": false, "C:\\paper.html": false,
	} {
		if got := IsWebAddress(s); got != want {
			t.Errorf("IsWebAddress(%q) = %v", s, got)
		}
	}
}

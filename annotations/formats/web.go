package formats

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/gloss-notes/gloss/annotations"
)

// ErrFetch is returned when a web page cannot be fetched: a bad address,
// no answer, an error status, a page of a kind Gloss does not read.
var ErrFetch = errors.New("web page not fetched")

// Limits of FetchArticle.
const (
	// FetchTimeout bounds the whole fetch, redirects and body included.
	FetchTimeout = 30 * time.Second
	// maxRedirects is how many redirects a fetch follows.
	maxRedirects = 5
)

// IsWebAddress reports whether s is an http or https address (what
// FetchArticle fetches) rather than a file name.
func IsWebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// FetchArticle fetches the page at address once and reads it as an
// article (HTML through readability, as a file is read). It fetches that
// page and nothing else — no image, style sheet or script of it — follows
// at most five redirects (http and https only), gives up after
// FetchTimeout, and reads at most MaxArticleSize bytes. client is nil for
// a default client; tests give one for their server.
func FetchArticle(ctx context.Context, client *http.Client, address string) (Document, string, error) {
	shown := annotations.QuoteInput(address)
	u, err := url.Parse(address)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Document{}, "", refuse(ErrFetch, "%s is not a web address (http:// or https://)", shown)
	}
	c := http.Client{Timeout: FetchTimeout}
	if client != nil {
		c = *client
		if c.Timeout == 0 {
			c.Timeout = FetchTimeout
		}
	}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) > maxRedirects {
			return fmt.Errorf("more than %d redirects", maxRedirects)
		}
		if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return fmt.Errorf("a redirect to %s", annotations.QuoteInput(req.URL.Scheme+":"))
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Document{}, "", refuse(ErrFetch, "%s: %v", shown, err)
	}
	req.Header.Set("User-Agent", "Gloss (article annotator)")
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.8,text/markdown;q=0.8")
	resp, err := c.Do(req)
	if err != nil {
		return Document{}, "", refuse(ErrFetch, "%s could not be fetched: %s", shown, fetchReason(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Document{}, "", refuse(ErrFetch, "%s answered %s", shown, resp.Status)
	}
	// The address kept (the article's source) never holds a password.
	kept := *resp.Request.URL
	kept.User = nil
	final := kept.String()
	name, err := pageName(resp)
	if err != nil {
		return Document{}, "", refuse(ErrFetch, "%s is %v; Gloss reads web pages (HTML), text and Markdown", shown, err)
	}
	if resp.ContentLength > MaxArticleSize {
		return Document{}, "", tooLarge(shown, resp.ContentLength)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxArticleSize+1))
	if err != nil {
		return Document{}, "", refuse(ErrFetch, "%s could not be fetched: %s", shown, fetchReason(err))
	}
	if len(data) > MaxArticleSize {
		return Document{}, "", tooLarge(shown, -1)
	}
	doc, err := ReadArticle(name, data)
	if err != nil {
		return Document{}, "", err
	}
	if doc.Citation.URL == "" {
		doc.Citation.URL = final
	}
	if doc.Format == annotations.FormatHTML || doc.Format == annotations.FormatMarkdown {
		resolveAddresses(doc.Structure, &kept)
	}
	return doc, final, nil
}

// resolveAddresses makes the relative addresses of a fetched page's links
// and images absolute, against the page's address: read from a file they
// stay as written, but a page's "/about" means something only on its
// site. (The page's <base> element, if any, is not read.) An address
// that does not parse, or would grow past what a structure may hold,
// stays as it is. Nothing is fetched.
func resolveAddresses(s *annotations.Structure, page *url.URL) {
	if s == nil {
		return
	}
	for i := range s.Spans {
		sp := &s.Spans[i]
		if sp.Href == "" {
			continue
		}
		ref, err := url.Parse(sp.Href)
		if err != nil || ref.IsAbs() {
			continue
		}
		if abs := page.ResolveReference(ref).String(); len(abs) <= annotations.MaxHrefBytes {
			sp.Href = abs
		}
	}
}

// pageName names a fetched page for ReadArticle by its content type, which
// picks the reader; a PDF or an EPUB is left to ReadArticle's own checks.
func pageName(resp *http.Response) (string, error) {
	base := path.Base(resp.Request.URL.Path)
	if base == "/" || base == "." {
		base = "page"
	}
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return base, nil // sniffed by ReadArticle
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return base, nil
	}
	switch mt {
	case "text/html", "application/xhtml+xml":
		return base + ".html", nil
	case "text/markdown", "text/x-markdown":
		return base + ".md", nil
	case "text/plain":
		return base + ".txt", nil
	case "application/pdf", "application/epub+zip", "application/octet-stream":
		return base, nil
	}
	return "", fmt.Errorf("%s", annotations.QuoteInput(mt))
}

// fetchReason is a network error in a few words.
func fetchReason(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Client.Timeout"):
		return fmt.Sprintf("no answer within %d s", int(FetchTimeout/time.Second))
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return oneLineMessage(err.Error())
}

// oneLineMessage is s on one line, at most 160 characters.
func oneLineMessage(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:160]) + "…"
	}
	return s
}

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

// Limits of fetching a page's pictures (FetchOptions.Images): how many
// addresses are asked at most, the bytes read for them all, and how long
// they may take together. Each picture is at most
// annotations.MaxImageBytes, and the reading stops past it.
const (
	MaxFetchedImages     = 50
	maxFetchedImageBytes = 50 << 20
	// FetchImagesTimeout is the one deadline of all the pictures of a
	// page: a slow site costs a minute at most, however many it shows.
	FetchImagesTimeout = 60 * time.Second
)

// IsWebAddress reports whether s is an http or https address (what
// FetchArticle fetches) rather than a file name.
func IsWebAddress(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// FetchOptions say how FetchArticleWith fetches a page.
type FetchOptions struct {
	// Client is nil for a default client; tests give one for their
	// server. Its timeout (FetchTimeout if none) bounds each request,
	// and its redirects are bounded as FetchArticle says.
	Client *http.Client
	// Images also fetches the pictures the page shows (its image
	// spans' http and https addresses), one after the other, after the
	// page: at most MaxFetchedImages addresses, each picture at most
	// annotations.MaxImageBytes and all at most 50 MB, all within
	// FetchImagesTimeout. Those that are PNG, JPEG or GIF and pass
	// annotations.CheckImage are kept in the Document's Images; the
	// others are skipped. Off, nothing but the page is fetched.
	Images bool
	// ImagesTimeout replaces FetchImagesTimeout when not zero.
	ImagesTimeout time.Duration
}

// Fetched is a web page read by FetchArticleWith.
type Fetched struct {
	Document Document
	// Final is the page's address after redirects, without any password:
	// the article's source.
	Final string
	// ImagesSkipped counts the page's picture addresses (http and https
	// ones, each once) that gave no picture kept: not found, not a
	// picture, too large, or past the limits.
	ImagesSkipped int
}

// FetchArticle fetches the page at address once and reads it as an
// article (HTML through readability, as a file is read). It fetches that
// page and nothing else — no image, style sheet or script of it — follows
// at most five redirects (http and https only), gives up after
// FetchTimeout, and reads at most MaxArticleSize bytes. client is nil for
// a default client; tests give one for their server. It returns the
// document and the page's final address (see Fetched.Final).
func FetchArticle(ctx context.Context, client *http.Client, address string) (Document, string, error) {
	f, err := FetchArticleWith(ctx, address, FetchOptions{Client: client})
	return f.Document, f.Final, err
}

// FetchArticleWith is FetchArticle with options: with opts.Images, the
// page's pictures are fetched too and kept with it (see FetchOptions).
// Pictures that cannot be kept never make the page fail; they are
// counted in ImagesSkipped. A fetch cancelled through ctx fails, even
// while it fetches pictures.
func FetchArticleWith(ctx context.Context, address string, opts FetchOptions) (Fetched, error) {
	shown := annotations.QuoteInput(address)
	u, err := url.Parse(address)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return Fetched{}, refuse(ErrFetch, "%s is not a web address (http:// or https://)", shown)
	}
	c := fetchClient(opts.Client)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Fetched{}, refuse(ErrFetch, "%s: %v", shown, err)
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,text/plain;q=0.8,text/markdown;q=0.8")
	resp, err := c.Do(req)
	if err != nil {
		return Fetched{}, refuse(ErrFetch, "%s could not be fetched: %s", shown, fetchReason(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Fetched{}, refuse(ErrFetch, "%s answered %s", shown, resp.Status)
	}
	// The address kept (the article's source) never holds a password.
	kept := *resp.Request.URL
	kept.User = nil
	final := kept.String()
	name, err := pageName(resp)
	if err != nil {
		return Fetched{}, refuse(ErrFetch, "%s is %v; Gloss reads web pages (HTML), text and Markdown", shown, err)
	}
	if resp.ContentLength > MaxArticleSize {
		return Fetched{}, tooLarge(shown, resp.ContentLength)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, MaxArticleSize+1))
	if err != nil {
		return Fetched{}, refuse(ErrFetch, "%s could not be fetched: %s", shown, fetchReason(err))
	}
	if len(data) > MaxArticleSize {
		return Fetched{}, tooLarge(shown, -1)
	}
	resp.Body.Close() // the connection may serve the pictures
	doc, err := ReadArticle(name, data)
	if err != nil {
		return Fetched{}, err
	}
	if doc.Citation.URL == "" {
		doc.Citation.URL = final
	}
	out := Fetched{Final: final}
	if doc.Format == annotations.FormatHTML || doc.Format == annotations.FormatMarkdown {
		resolveAddresses(doc.Structure, &kept)
		if opts.Images {
			out.ImagesSkipped = fetchImages(ctx, &c, &doc, opts.ImagesTimeout)
			if ctx.Err() != nil {
				return Fetched{}, refuse(ErrFetch, "%s could not be fetched: %s", shown, fetchReason(ctx.Err()))
			}
		}
	}
	out.Document = doc
	return out, nil
}

// userAgent is how Gloss names itself to web sites.
const userAgent = "Gloss (article annotator)"

// fetchClient is client (nil for a default one) with Gloss's rules: a
// timeout, and at most maxRedirects redirects, to http and https only.
func fetchClient(client *http.Client) http.Client {
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
	return c
}

// fetchImages fetches the pictures of a page read into doc, one after
// the other within one deadline (timeout, FetchImagesTimeout if 0), and
// keeps those that are pictures (see FetchOptions.Images). It returns how
// many addresses gave none.
func fetchImages(ctx context.Context, c *http.Client, doc *Document, timeout time.Duration) int {
	if doc.Structure == nil {
		return 0
	}
	if timeout <= 0 {
		timeout = FetchImagesTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	k := newImageKeeper(doc.Images, maxFetchedImageBytes)
	asked := 0
	k.keepImages(doc.Structure, func(href string) string {
		u, err := url.Parse(href)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return ""
		}
		// No password written in the page is sent anywhere.
		u.User = nil
		u.Fragment, u.RawFragment = "", ""
		return u.String()
	}, func(address string, limit int64) ([]byte, error) {
		if asked >= MaxFetchedImages || ctx.Err() != nil {
			return nil, errSkipped
		}
		asked++
		data, spent, err := fetchImage(ctx, c, address, limit)
		if err != nil {
			k.read += spent
		}
		return data, err
	})
	doc.Images = keptImages(doc.Structure, k.images)
	return k.skipped
}

// errSkipped is why a picture is not fetched: the limits were reached.
var errSkipped = errors.New("past the limits on a page's pictures")

// fetchImage fetches one picture, at most limit bytes of it, and returns
// its bytes and how many were read. A response that says it is text (an
// error page) is not read.
func fetchImage(ctx context.Context, c *http.Client, address string, limit int64) (data []byte, spent int64, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, address, nil)
	if err != nil {
		return nil, 0, err
	}
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("Accept", "image/png,image/jpeg,image/gif;q=0.9")
	resp, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, 0, fmt.Errorf("answered %s", resp.Status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err == nil && (strings.HasPrefix(mt, "text/") || strings.Contains(mt, "html") || strings.Contains(mt, "xml")) {
			return nil, 0, fmt.Errorf("%s is not a picture", annotations.QuoteInput(mt))
		}
	}
	if resp.ContentLength > limit {
		return nil, 0, fmt.Errorf("%d bytes", resp.ContentLength)
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, limit+1))
	spent = int64(len(data))
	if err != nil {
		return nil, spent, err
	}
	if spent > limit {
		return nil, spent, fmt.Errorf("over %d bytes", limit)
	}
	return data, spent, nil
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

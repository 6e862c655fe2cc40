package remote

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/studio-b12/gowebdav"
)

var _ Remote = (*dav)(nil)

// dav is a Remote on a WebDAV collection, spoken to with gowebdav.
//
// What this file adds to gowebdav, and why:
//   - Only Basic and Digest authentication: gowebdav's automatic choice
//     also offers Passport, which sends the password to a URL the server
//     names.
//   - A guard around the HTTP transport (guard, below) that keeps every
//     request on the server the URL names and ends gowebdav's MOVE retries.
//   - Errors mapped to this package's sentinels, naming the URL (which never
//     holds a password: Normalize refuses one, and the client's root URL
//     carries no user information at all).
//
// The HTTP transport is Go's default one: it honours HTTPS_PROXY, HTTP_PROXY
// and NO_PROXY (http.ProxyFromEnvironment; loopback addresses never go
// through a proxy) and verifies TLS certificates against the system's roots.
type dav struct {
	url    string // canonical, for people and errors
	user   string // for the error that says which user was refused
	noCred bool   // no credentials were found (for that same error)
	c      *gowebdav.Client
}

func openWebDAV(canon string) (*dav, error) {
	u, err := url.Parse(canon)
	if err != nil {
		return nil, fmt.Errorf("remote %s: %v", canon, unwrapURLError(err))
	}
	cred, err := Lookup(canon)
	if err != nil {
		return nil, err
	}
	// gowebdav escapes every element of the URL it makes from the root,
	// the "[" and "]" of an IPv6 address included, which breaks it; so it
	// gets the path alone (unescaped, as it wants it), and guard puts the
	// scheme and host in. That also keeps the user name out of the URL, which
	// Go's HTTP client would otherwise send as credentials of its own.
	root := u.Path + "/"

	auth := gowebdav.NewEmptyAuth()
	auth.AddAuthenticator("basic", func(*http.Client, *http.Response, string) (gowebdav.Authenticator, error) {
		return &basicAuth{user: cred.User, password: cred.Password}, nil
	})
	auth.AddAuthenticator("digest", func(_ *http.Client, rs *http.Response, _ string) (gowebdav.Authenticator, error) {
		return gowebdav.NewDigestAuth(cred.User, cred.Password, rs)
	})
	c := gowebdav.NewAuthClient(root, auth)
	c.SetTimeout(requestTimeout)
	c.SetTransport(&guard{
		base:   newTransport(),
		scheme: u.Scheme,
		host:   u.Host,
	})
	return &dav{
		url:    canon,
		user:   cred.User,
		noCred: cred == Credentials{},
		c:      c,
	}, nil
}

// newTransport is a fresh copy of Go's default transport (proxy from the
// environment, TLS verified), not shared with the rest of the program.
func newTransport() http.RoundTripper {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return &http.Transport{Proxy: http.ProxyFromEnvironment}
}

func (w *dav) String() string { return w.url }

// List returns the entries of the collection dir, sorted by name, without
// the names starting with ".". A missing collection is empty.
func (w *dav) List(dir string) ([]Entry, error) {
	if err := checkPath(dir, true); err != nil {
		return nil, fmt.Errorf("%s: %w", w.url, err)
	}
	infos, err := w.c.ReadDir(dir)
	if err != nil {
		if statusOf(err) == http.StatusNotFound {
			return []Entry{}, nil
		}
		if statusOf(err) == http.StatusMethodNotAllowed {
			// gowebdav's answer when dir is a file.
			return nil, fmt.Errorf("%s: %s is not a folder", w.url, dir)
		}
		return nil, w.fail("list", dir, err)
	}
	entries := make([]Entry, 0, len(infos))
	for _, fi := range infos {
		name := fi.Name()
		if name == "" || strings.HasPrefix(name, ".") || strings.Contains(name, "/") {
			continue
		}
		e := Entry{Name: name, Dir: fi.IsDir()}
		if !e.Dir {
			e.Size = fi.Size()
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b Entry) int { return strings.Compare(a.Name, b.Name) })
	return entries, nil
}

// Read GETs the file, reading at most limit+1 bytes of the answer.
func (w *dav) Read(p string, limit int64) ([]byte, error) {
	if err := checkPath(p, false); err != nil {
		return nil, fmt.Errorf("%s: %w", w.url, err)
	}
	if err := checkLimit(limit); err != nil {
		return nil, fmt.Errorf("%s: %w", w.url, err)
	}
	body, err := w.c.ReadStream(p)
	if err != nil {
		return nil, w.fail("read", p, err)
	}
	defer body.Close()
	data, err := io.ReadAll(io.LimitReader(body, limitPlusOne(limit)))
	if err != nil {
		return nil, w.fail("read", p, err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge(w.url, p, limit)
	}
	return data, nil
}

// Create PUTs data under a temporary name in the target collection (making
// missing collections), checks the name is free, then MOVEs the temporary
// file to it with "Overwrite: F" (412 Precondition Failed when taken).
// Both checks are best effort: some servers ignore "Overwrite: F", and
// another writer may slip in between the check and the MOVE. Gloss never
// writes the same name twice, so neither matters in practice.
func (w *dav) Create(p string, data []byte) error {
	if err := checkPath(p, false); err != nil {
		return fmt.Errorf("%s: %w", w.url, err)
	}
	tmp := path.Join(path.Dir(p), tempName())
	// Write PUTs once, and on 404 or 409 makes the parent collections and
	// PUTs again: one request when the folder exists, as it mostly does.
	err := w.c.Write(tmp, data, 0o600)
	if racedMkcol(err) {
		// Another writer made the same collection at the same moment
		// (Apache answers 403 "File exists", x/net/webdav 423 Locked):
		// the collection is there now.
		err = w.c.Write(tmp, data, 0o600)
	}
	if err != nil {
		_ = w.c.Remove(tmp)
		return w.fail("write", p, err)
	}
	err = w.moveNew(tmp, p)
	if err != nil {
		// Remove answers nil for a file already gone, and its own failure
		// would only hide err: the file it leaves is hidden from List.
		_ = w.c.Remove(tmp)
	}
	return err
}

// racedMkcol tells whether a failed Write may have lost a race to make a
// parent collection, so that writing again is worth a try.
func racedMkcol(err error) bool {
	switch statusOf(err) {
	case http.StatusForbidden, http.StatusMethodNotAllowed, http.StatusConflict, http.StatusLocked:
		return true
	}
	return false
}

func (w *dav) moveNew(tmp, p string) error {
	_, err := w.c.Stat(p)
	switch {
	case err == nil:
		return fmt.Errorf("%w: %s/%s", ErrExists, w.url, p)
	case statusOf(err) != http.StatusNotFound:
		return w.fail("check", p, err)
	}
	if err := w.c.Rename(tmp, p, false); err != nil {
		return w.fail("move into", p, err)
	}
	return nil
}

// fail maps an error from gowebdav to this package's sentinels: 404 to
// ErrNotFound, 412 to ErrExists, 401 and 403 to ErrAuth, 5xx and network
// failures to ErrUnreachable. The message names the URL and the path, never
// the password.
func (w *dav) fail(op, p string, err error) error {
	if p == "" {
		p = "/"
	}
	var refused *refusedError
	if errors.As(err, &refused) {
		return fmt.Errorf("%s: %s %s: %v", w.url, op, p, refused)
	}
	switch status := statusOf(err); {
	case status == http.StatusNotFound:
		return fmt.Errorf("%w: %s/%s", ErrNotFound, w.url, p)
	case status == http.StatusPreconditionFailed:
		return fmt.Errorf("%w: %s/%s", ErrExists, w.url, p)
	case status == http.StatusUnauthorized || status == http.StatusForbidden:
		who := fmt.Sprintf("user %q", w.user)
		if w.noCred {
			who = "no user name or password was found (environment, system keyring or " + CredentialsFile() + ")"
		}
		return fmt.Errorf("%w: %s (%s; %s %s: %d %s)", ErrAuth, w.url, who, op, p, status, http.StatusText(status))
	case status == http.StatusConflict && op == "write":
		// Making the parent collections failed: the remote's own folder
		// is not on the server (WebDAV makes folders one level at a time).
		return fmt.Errorf("%s: the folder does not exist on the server (make it first, in its web interface or with MKCOL): write %s: %d %s", w.url, p, status, http.StatusText(status))
	case status >= 500:
		return fmt.Errorf("%w: %s: %s %s: server answered %d %s", ErrUnreachable, w.url, op, p, status, http.StatusText(status))
	case status != 0:
		return fmt.Errorf("%s: %s %s: server answered %d %s", w.url, op, p, status, http.StatusText(status))
	}
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s: %s %s: %v", ErrUnreachable, w.url, op, p, networkCause(err))
	}
	return fmt.Errorf("%s: %s %s: %v", w.url, op, p, unwrapPathError(err))
}

// statusOf digs the HTTP status out of gowebdav's errors, which nest
// *os.PathError values around a StatusError; 0 when there is none.
func statusOf(err error) int {
	var se gowebdav.StatusError
	if errors.As(err, &se) {
		return se.Status
	}
	return 0
}

// networkCause is the innermost useful part of a network error: url.Error
// repeats the method and the whole URL, which the message has already.
func networkCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return unwrapPathError(err)
}

// basicAuth sends the user name and password with every request once the
// server asked for Basic authentication (gowebdav's own type has no
// exported constructor).
type basicAuth struct{ user, password string }

func (b *basicAuth) Authorize(_ *http.Client, rq *http.Request, _ string) error {
	rq.SetBasicAuth(b.user, b.password)
	return nil
}

func (b *basicAuth) Verify(_ *http.Client, rs *http.Response, p string) (bool, error) {
	if rs.StatusCode == http.StatusUnauthorized {
		return false, gowebdav.NewPathError("Authorize", p, rs.StatusCode)
	}
	return false, nil
}

func (b *basicAuth) Clone() gowebdav.Authenticator { return b }
func (b *basicAuth) Close() error                  { return nil }
func (b *basicAuth) String() string                { return "basic auth for " + b.user }

// guard wraps the HTTP transport gowebdav uses.
//
// gowebdav's requests come with a URL path alone (see openWebDAV); guard
// adds the remote's scheme and host, to the URL and to a MOVE's Destination
// (Apache wants it absolute). It refuses a request to any other scheme or
// host, so a redirect cannot carry the credentials elsewhere (Go's client
// keeps the Authorization header on a redirect from https to http on the
// same host).
//
// It also turns a 409 Conflict or a 207 Multi-Status answer to MOVE into an
// error: gowebdav answers 409 by making the parent collections and moving
// again, without end, and logs a 207's body to the standard logger; Create
// has made the parents already, so either answer is final.
type guard struct {
	base   http.RoundTripper
	scheme string
	host   string
}

// refusedError is what guard returns instead of a request or an answer.
type refusedError struct{ msg string }

func (e *refusedError) Error() string { return e.msg }

func (g *guard) RoundTrip(rq *http.Request) (*http.Response, error) {
	switch {
	case rq.URL.Host == "" && rq.URL.Scheme == "":
		rq = rq.Clone(rq.Context()) // a RoundTripper must not change its request
		rq.URL.Scheme, rq.URL.Host = g.scheme, g.host
		if d := rq.Header.Get("Destination"); strings.HasPrefix(d, "/") {
			rq.Header.Set("Destination", g.scheme+"://"+g.host+d)
		}
	case rq.URL.Scheme != g.scheme || rq.URL.Host != g.host:
		if rq.Body != nil {
			rq.Body.Close()
		}
		return nil, &refusedError{fmt.Sprintf("refused to follow the server to %s://%s", rq.URL.Scheme, rq.URL.Host)}
	}
	rs, err := g.base.RoundTrip(rq)
	if err != nil || rq.Method != "MOVE" {
		return rs, err
	}
	if rs.StatusCode == http.StatusConflict || rs.StatusCode == http.StatusMultiStatus {
		_, _ = io.Copy(io.Discard, io.LimitReader(rs.Body, 64<<10))
		rs.Body.Close()
		return nil, &refusedError{fmt.Sprintf("server answered MOVE with %d %s", rs.StatusCode, http.StatusText(rs.StatusCode))}
	}
	return rs, nil
}

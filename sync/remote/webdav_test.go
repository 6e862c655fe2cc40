package remote

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/zalando/go-keyring"
	"golang.org/x/net/webdav"
)

const (
	davUser     = "alice"
	davPassword = "s3cret pw" // a space, to be sure it is carried whole
)

// davServer is an in-process WebDAV server keeping its files in dir,
// served under /dav/ with Basic authentication as davUser/davPassword.
type davServer struct {
	*httptest.Server
	dir string
	url string
}

// newDAVServer starts a server; wrap, when not nil, wraps the WebDAV
// handler inside the authentication check, to make it misbehave.
func newDAVServer(t *testing.T, wrap func(http.Handler) http.Handler) *davServer {
	t.Helper()
	dir := t.TempDir()
	var h http.Handler = &webdav.Handler{
		Prefix:     "/dav",
		FileSystem: webdav.Dir(dir),
		LockSystem: webdav.NewMemLS(),
	}
	if wrap != nil {
		h = wrap(h)
	}
	srv := httptest.NewServer(requireBasic(h))
	t.Cleanup(srv.Close)
	return &davServer{Server: srv, dir: dir, url: srv.URL + "/dav/"}
}

func requireBasic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		user, pass, ok := r.BasicAuth()
		if !ok || user != davUser || pass != davPassword {
			w.Header().Set("WWW-Authenticate", `Basic realm="gloss test"`)
			http.Error(w, "who are you?", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// open opens the server as a remote, with the right credentials in the
// environment.
func (s *davServer) open(t *testing.T) Remote {
	t.Helper()
	t.Setenv(envUser, davUser)
	t.Setenv(envPassword, davPassword)
	r, err := Open(s.url)
	if err != nil {
		t.Fatalf("Open(%s): %v", s.url, err)
	}
	return r
}

// eachOp runs List, Read and Create and returns their errors.
func eachOp(r Remote) map[string]error {
	_, listErr := r.List("d")
	_, readErr := r.Read("d/x", 100)
	return map[string]error{
		"List":   listErr,
		"Read":   readErr,
		"Create": r.Create("d/y", []byte("y")),
	}
}

func TestWebDAV_WrongPassword(t *testing.T) {
	isolateCredentials(t)
	srv := newDAVServer(t, nil)
	t.Setenv(envUser, davUser)
	t.Setenv(envPassword, "wrong-hunter2")
	r, err := Open(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	for op, err := range eachOp(r) {
		if !errors.Is(err, ErrAuth) {
			t.Errorf("%s = %v, want ErrAuth", op, err)
			continue
		}
		msg := err.Error()
		if strings.Contains(msg, "hunter2") || strings.Contains(msg, "\n") {
			t.Errorf("%s error shows the password or is not one line: %q", op, msg)
		}
		if !strings.Contains(msg, r.String()) || !strings.Contains(msg, davUser) {
			t.Errorf("%s error %q does not name the remote and the user", op, msg)
		}
	}
}

func TestWebDAV_Forbidden(t *testing.T) {
	isolateCredentials(t)
	srv := newDAVServer(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "not yours", http.StatusForbidden)
		})
	})
	for op, err := range eachOp(srv.open(t)) {
		if !errors.Is(err, ErrAuth) {
			t.Errorf("%s = %v, want ErrAuth", op, err)
		}
	}
}

func TestWebDAV_NoCredentials(t *testing.T) {
	isolateCredentials(t)
	t.Setenv(envUser, "")
	t.Setenv(envPassword, "")
	srv := newDAVServer(t, nil)
	r, err := Open(srv.url)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.List("")
	if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "no user name or password") {
		t.Errorf("List = %v, want ErrAuth saying no credentials were found", err)
	}
}

func TestWebDAV_KeyringCredentials(t *testing.T) {
	isolateCredentials(t)
	t.Setenv(envUser, "")
	t.Setenv(envPassword, "")
	srv := newDAVServer(t, nil)
	host := strings.TrimPrefix(srv.URL, "http://")
	if err := keyring.Set(keyringService, davUser+"@"+host, davPassword); err != nil {
		t.Fatal(err)
	}
	r, err := Open("http://" + davUser + "@" + host + "/dav")
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, r, "x", []byte("via the keyring"))
	if got := mustRead(t, r, "x"); string(got) != "via the keyring" {
		t.Errorf("Read = %q", got)
	}
}

func TestWebDAV_Unreachable(t *testing.T) {
	isolateCredentials(t)
	srv := newDAVServer(t, nil)
	r := srv.open(t)
	srv.Close()
	for op, err := range eachOp(r) {
		if !errors.Is(err, ErrUnreachable) {
			t.Errorf("%s = %v, want ErrUnreachable", op, err)
		} else if !strings.Contains(err.Error(), r.String()) {
			t.Errorf("%s error %q does not name the remote", op, err)
		}
	}
}

func TestWebDAV_ServerError(t *testing.T) {
	isolateCredentials(t)
	srv := newDAVServer(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
		})
	})
	for op, err := range eachOp(srv.open(t)) {
		if !errors.Is(err, ErrUnreachable) {
			t.Errorf("%s = %v, want ErrUnreachable", op, err)
		}
	}
}

// A server that ignores "Overwrite: F" is caught by the check before the
// MOVE.
func TestWebDAV_Create_OverwriteIgnored(t *testing.T) {
	isolateCredentials(t)
	srv := newDAVServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Del("Overwrite") // x/net/webdav then overwrites
			h.ServeHTTP(w, r)
		})
	})
	r := srv.open(t)
	mustCreate(t, r, "d/x", []byte("old"))
	if err := r.Create("d/x", []byte("new")); !errors.Is(err, ErrExists) {
		t.Fatalf("Create = %v, want ErrExists", err)
	}
	if got := mustRead(t, r, "d/x"); string(got) != "old" {
		t.Errorf("existing file now holds %q", got)
	}
	if left := tempFiles(t, srv.dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// When the check misses the file (another writer slipped in), the MOVE's
// "Overwrite: F" answers 412.
func TestWebDAV_Create_PreconditionFailed(t *testing.T) {
	isolateCredentials(t)
	srv := newDAVServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "PROPFIND" && r.Header.Get("Depth") == "0" {
				http.NotFound(w, r)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	r := srv.open(t)
	mustCreate(t, r, "x", []byte("old"))
	if err := r.Create("x", []byte("new")); !errors.Is(err, ErrExists) {
		t.Fatalf("Create = %v, want ErrExists", err)
	}
	if got := mustRead(t, r, "x"); string(got) != "old" {
		t.Errorf("existing file now holds %q", got)
	}
	if left := tempFiles(t, srv.dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// gowebdav alone would answer a 409 to MOVE by moving again without end.
func TestWebDAV_Create_MoveConflict(t *testing.T) {
	isolateCredentials(t)
	var moves atomic.Int32
	srv := newDAVServer(t, func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "MOVE" {
				moves.Add(1)
				http.Error(w, "conflict", http.StatusConflict)
				return
			}
			h.ServeHTTP(w, r)
		})
	})
	r := srv.open(t)
	err := r.Create("d/x", []byte("x"))
	if err == nil || errors.Is(err, ErrExists) || !strings.Contains(err.Error(), "409") {
		t.Errorf("Create = %v, want an error telling of the 409", err)
	}
	if n := moves.Load(); n != 1 {
		t.Errorf("%d MOVE requests, want 1", n)
	}
	if left := tempFiles(t, srv.dir); len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

// A redirect to another server is not followed, so the credentials stay
// with the server the user named.
func TestWebDAV_RedirectElsewhere(t *testing.T) {
	isolateCredentials(t)
	var elsewhere atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		elsewhere.Add(1)
	}))
	defer other.Close()
	srv := newDAVServer(t, func(http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+r.URL.Path, http.StatusTemporaryRedirect)
		})
	})
	r := srv.open(t)
	if _, err := r.List(""); err == nil {
		t.Error("List followed a redirect to another server")
	}
	if n := elsewhere.Load(); n != 0 {
		t.Errorf("the other server got %d requests", n)
	}
}

func TestWebDAV_IPv6Loopback(t *testing.T) {
	isolateCredentials(t)
	ln, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback: %v", err)
	}
	dir := t.TempDir()
	srv := httptest.NewUnstartedServer(requireBasic(&webdav.Handler{
		Prefix:     "/dav",
		FileSystem: webdav.Dir(dir),
		LockSystem: webdav.NewMemLS(),
	}))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	defer srv.Close()
	s := &davServer{Server: srv, dir: dir, url: srv.URL + "/dav"}
	r := s.open(t)
	mustCreate(t, r, "a/b", []byte("six"))
	if got := mustRead(t, r, "a/b"); string(got) != "six" {
		t.Errorf("Read = %q", got)
	}
}

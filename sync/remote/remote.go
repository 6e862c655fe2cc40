// Package remote is where Gloss's sync keeps its segment files: a plain
// folder (a Syncthing, Nextcloud or Dropbox folder, a network drive) or a
// folder on a WebDAV server (Nextcloud, Apache mod_dav, nginx), plus the
// credentials a WebDAV server asks for.
//
// The contract every Remote keeps:
//
//   - Paths are slash-separated and relative to the remote's root. An
//     absolute path, an empty, "." or ".." element, or a backslash is refused
//     with an error before anything is touched.
//   - Files are written whole and never overwritten: Create writes a
//     temporary file whose name starts with "." next to the target, then
//     moves it into place only if the name is still free (ErrExists
//     otherwise). Readers therefore see a file whole or not at all, and List
//     leaves out every name starting with ".".
//   - Reads are bounded: Read never holds more than limit+1 bytes.
//   - No error and no String ever contains a password.
//
// Sentinel errors are wrapped with the remote's name and the detail, so test
// them with errors.Is.
package remote

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Entry is one name in a remote folder.
type Entry struct {
	Name string // base name, no slash
	Dir  bool
	Size int64
}

// Remote is a folder of files, local or on a WebDAV server. Paths are
// slash-separated, relative to the remote's root, never absolute, never with
// "." or ".." elements or empty elements or backslashes (refused with an
// error otherwise). A Remote is safe for use by several goroutines.
type Remote interface {
	// List returns the entries directly in dir ("" is the root), sorted by
	// name. A dir that does not exist gives an empty list and no error.
	// Names starting with "." are left out (temporary files of a write
	// under way).
	List(dir string) ([]Entry, error)
	// Read returns a file's bytes; ErrNotFound when it is missing;
	// ErrTooLarge when it holds more than limit bytes (never more than
	// limit+1 bytes are read into memory).
	Read(path string, limit int64) ([]byte, error)
	// Create writes a new file whole: first under a temporary name starting
	// with "." in the same folder, then renamed into place without
	// overwriting: ErrExists when path exists already (the existing file is
	// untouched and the temporary file removed). Missing parent folders are
	// made.
	Create(path string, data []byte) error
	// String describes the remote for people (a folder path or the URL)
	// with no password in it.
	String() string
}

var (
	// ErrNotFound is returned by Read when the file does not exist.
	ErrNotFound = errors.New("not found")
	// ErrExists is returned by Create when the name is taken already.
	ErrExists = errors.New("already exists")
	// ErrTooLarge is returned by Read when the file holds more bytes than
	// the limit it was given.
	ErrTooLarge = errors.New("too large")
	// ErrUnreachable is returned when a WebDAV server cannot be reached or
	// answers with a server error (network errors, timeouts, 5xx): trying
	// again later may work.
	ErrUnreachable = errors.New("remote unreachable")
	// ErrAuth is returned when a WebDAV server answers 401 or 403.
	ErrAuth = errors.New("remote refused the user name or password")
)

// requestTimeout bounds each WebDAV request, body included.
const requestTimeout = 60 * time.Second

// tempPrefix starts the name of every temporary file Create writes; List
// hides it (with every other name starting with ".").
const tempPrefix = ".tmp-"

// Open opens the remote a spec names: an absolute folder path or
// file:///path (the folder must exist and be a folder), or
// http(s)://[user@]host[:port]/path for WebDAV. The spec is first put in its
// canonical form by Normalize, which refuses plain http:// to anything but a
// loopback address and any password written in the URL.
//
// For WebDAV the credentials come from Lookup; the server is not contacted
// until the first List, Read or Create, so opening works offline.
func Open(spec string) (Remote, error) {
	canon, err := Normalize(spec)
	if err != nil {
		return nil, err
	}
	if isWebURL(canon) {
		return openWebDAV(canon)
	}
	return openFolder(canon)
}

// Normalize returns the canonical spelling of a spec: an absolute clean
// folder path (file:// URLs become paths), or an http(s) URL with the scheme
// and host in lower case, the default port dropped, no trailing slash and
// no password. It returns an error saying what is wrong with the spec
// otherwise.
func Normalize(spec string) (string, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return "", errors.New("empty remote: give an absolute folder path or an https:// URL")
	}
	scheme, _, isURL := strings.Cut(spec, "://")
	if !isURL || !isScheme(scheme) {
		if !filepath.IsAbs(spec) {
			return "", fmt.Errorf("remote %q: not an absolute folder path nor an https:// URL", spec)
		}
		return filepath.Clean(spec), nil
	}
	switch strings.ToLower(scheme) {
	case "file":
		return normalizeFileURL(spec)
	case "http", "https":
		return normalizeWebURL(spec)
	}
	return "", fmt.Errorf("remote %q: unknown scheme %q (use a folder path, file://, https:// or http:// to this machine)", redactSpec(spec), scheme)
}

func normalizeFileURL(spec string) (string, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return "", fmt.Errorf("remote %q: %v", spec, unwrapURLError(err))
	}
	if u.Host != "" && !strings.EqualFold(u.Host, "localhost") {
		return "", fmt.Errorf("remote %q: a file:// URL must name a folder on this machine (file:///path)", spec)
	}
	p := u.Path
	// file:///C:/x holds the Windows path C:/x.
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:]
	}
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		return "", fmt.Errorf("remote %q: a file:// URL must name an absolute folder path", spec)
	}
	return filepath.Clean(p), nil
}

func normalizeWebURL(spec string) (string, error) {
	u, err := url.Parse(spec)
	if err != nil {
		return "", fmt.Errorf("remote %q: %v", redactSpec(spec), unwrapURLError(err))
	}
	if _, has := u.User.Password(); has {
		u.User = url.User(u.User.Username())
		return "", fmt.Errorf("remote %s: the URL holds a password: remove it from the URL and store it in the system keyring instead", u)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Hostname() == "" {
		return "", fmt.Errorf("remote %s: the URL names no server", u)
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return "", fmt.Errorf("remote %s: a WebDAV URL takes no ?query or #fragment", u)
	}
	host, port := strings.ToLower(u.Hostname()), u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	u.Host = host
	if strings.Contains(host, ":") {
		u.Host = "[" + host + "]"
	}
	if port != "" {
		u.Host = net.JoinHostPort(host, port)
	}
	if u.Scheme == "http" && !isLoopback(host) {
		return "", fmt.Errorf("remote %s: plain http:// would send the password across the network in clear: use https://", u)
	}
	for _, elem := range strings.Split(u.Path, "/") {
		if elem == "." || elem == ".." {
			return "", fmt.Errorf("remote %s: the URL's path has a %q element", u, elem)
		}
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if strings.Contains(u.Path, "//") {
		return "", fmt.Errorf("remote %s: the URL's path has an empty element", u)
	}
	return u.String(), nil
}

// redactSpec hides a password in a spec that did not parse as a URL, so the
// error about it can still quote the rest: everything between "://" and the
// last "@" before the path is the user information.
func redactSpec(spec string) string {
	scheme, rest, _ := strings.Cut(spec, "://")
	authority, path, slash := strings.Cut(rest, "/")
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		authority = "…@" + authority[i+1:]
	}
	if slash {
		path = "/" + path
	}
	return scheme + "://" + authority + path
}

// unwrapURLError drops url.Parse's quoting of the whole input, which may
// hold a password.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// isScheme tells a URL's scheme from the start of a folder path that
// happens to hold "://" (RFC 3986: a letter, then letters, digits, + - .).
func isScheme(s string) bool {
	for i, c := range s {
		letter := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
		if !letter && (i == 0 || !('0' <= c && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false
		}
	}
	return s != ""
}

func isWebURL(canon string) bool {
	return strings.HasPrefix(canon, "https://") || strings.HasPrefix(canon, "http://")
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkPath refuses a path that is not a clean relative slash path; root
// allows "" (the remote's root, for List).
func checkPath(p string, root bool) error {
	if p == "" {
		if root {
			return nil
		}
		return errors.New("empty path")
	}
	if strings.HasPrefix(p, "/") {
		return fmt.Errorf("path %q is absolute", p)
	}
	if strings.Contains(p, `\`) {
		return fmt.Errorf("path %q has a backslash", p)
	}
	if strings.ContainsRune(p, 0) {
		return fmt.Errorf("path %q has a NUL byte", p)
	}
	for _, elem := range strings.Split(p, "/") {
		switch elem {
		case "":
			return fmt.Errorf("path %q has an empty element", p)
		case ".", "..":
			return fmt.Errorf("path %q has a %q element", p, elem)
		}
	}
	return nil
}

// tempName returns a fresh temporary file name for Create.
func tempName() string {
	var b [12]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return tempPrefix + hex.EncodeToString(b[:])
}

// checkLimit refuses a negative limit, which would read nothing and call
// every file too large.
func checkLimit(limit int64) error {
	if limit < 0 {
		return fmt.Errorf("negative read limit %d", limit)
	}
	return nil
}

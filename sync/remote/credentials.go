package remote

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/adrg/xdg"
	"github.com/zalando/go-keyring"
)

// Credentials are what a WebDAV server is sent for HTTP Basic or Digest
// authentication.
type Credentials struct{ User, Password string }

// keyringService is the service name of Gloss's entries in the OS keyring.
const keyringService = "gloss-sync"

// The environment variables Lookup reads first.
const (
	envUser     = "GLOSS_SYNC_USER"
	envPassword = "GLOSS_SYNC_PASSWORD"
)

// maxCredentialsFile bounds what Lookup and Save read of the credentials
// file: a few lines are expected; more is a mistake, not a reason to fill
// the memory.
const maxCredentialsFile = 1 << 20

// CredentialsFile is the file Save falls back to when no OS keyring
// answers: $XDG_CONFIG_HOME/gloss/sync-credentials.
func CredentialsFile() string {
	return filepath.Join(xdg.ConfigHome, "gloss", "sync-credentials")
}

// Lookup finds the credentials for a WebDAV URL. The user name is the URL's
// user@ part, else $GLOSS_SYNC_USER; the first of these that answers gives
// the password:
//
//  1. $GLOSS_SYNC_PASSWORD, when set and not empty.
//  2. The OS keyring, service "gloss-sync": the entry "USER@HOST" holds the
//     password of USER (when a user name is known), else the entry "HOST"
//     holds "USER:PASSWORD" (what Save writes for a URL without a user
//     name; the colon splits them as in HTTP Basic authentication). HOST is
//     the URL's host in lower case, with its port unless it is the
//     scheme's default. A keyring that does not answer is passed over.
//  3. The file CredentialsFile(), netrc style, one
//     "machine HOST login USER password PASS" a line (values with spaces,
//     quotes or backslashes in double quotes, with \" and \\); the first
//     line for HOST (or for the host name without its port) whose login is
//     the user name, or any login when none is known. The file must be a
//     regular file owned by the current user that nobody else may read
//     (mode 0600); Lookup refuses to read it otherwise.
//
// Finding nothing is not an error: the zero Credentials are returned, as
// the server may need none.
func Lookup(rawURL string) (Credentials, error) {
	u, err := credentialURL(rawURL)
	if err != nil {
		return Credentials{}, err
	}
	user := u.User.Username()
	if user == "" {
		user = os.Getenv(envUser)
	}
	if pw := os.Getenv(envPassword); pw != "" {
		return Credentials{User: user, Password: pw}, nil
	}
	if c, ok := lookupKeyring(u.Host, user); ok {
		return c, nil
	}
	return lookupFile(u, user)
}

// Save stores the credentials for a WebDAV URL where Lookup finds them: in
// the OS keyring when one answers, else in CredentialsFile() (created with
// mode 0600 in a folder of mode 0700, written whole to a temporary file then
// renamed over the old one; the lines for other servers and users are
// kept). The user name is c.User, else the URL's; the two must agree when
// both are given. It returns where the password went, for a message: "the
// system keyring" or the file's path.
func Save(rawURL string, c Credentials) (where string, err error) {
	u, err := credentialURL(rawURL)
	if err != nil {
		return "", err
	}
	urlUser := u.User.Username()
	switch {
	case c.User == "":
		c.User = urlUser
	case urlUser != "" && c.User != urlUser:
		return "", fmt.Errorf("credentials for %s: the URL names user %q, not %q", u, urlUser, c.User)
	}
	if c.Password == "" {
		return "", fmt.Errorf("credentials for %s: empty password", u)
	}
	if strings.Contains(c.User, ":") {
		return "", fmt.Errorf("credentials for %s: user name %q has a colon, which HTTP Basic authentication cannot carry", u, c.User)
	}
	if strings.ContainsAny(c.User, "\r\n\x00") || strings.ContainsAny(c.Password, "\r\n\x00") {
		return "", fmt.Errorf("credentials for %s: the user name or password holds a line break or NUL", u)
	}
	account, secret := u.Host, c.User+":"+c.Password
	if urlUser != "" {
		account, secret = c.User+"@"+u.Host, c.Password
	}
	if keyring.Set(keyringService, account, secret) == nil {
		return "the system keyring", nil
	}
	name := CredentialsFile()
	if err := saveFile(name, credEntry{machine: u.Host, login: c.User, password: c.Password}); err != nil {
		return "", fmt.Errorf("credentials for %s: %w", u, err)
	}
	return name, nil
}

// credentialURL is the canonical form of a WebDAV URL, parsed.
func credentialURL(rawURL string) (*url.URL, error) {
	canon, err := Normalize(rawURL)
	if err != nil {
		return nil, err
	}
	if !isWebURL(canon) {
		return nil, fmt.Errorf("credentials for %s: only a WebDAV (https://) remote takes credentials", canon)
	}
	return url.Parse(canon)
}

func lookupKeyring(host, user string) (Credentials, bool) {
	if user != "" {
		if pw, err := keyring.Get(keyringService, user+"@"+host); err == nil {
			return Credentials{User: user, Password: pw}, true
		}
	}
	s, err := keyring.Get(keyringService, host)
	if err != nil {
		return Credentials{}, false
	}
	u, pw, ok := strings.Cut(s, ":")
	if !ok || (user != "" && u != user) {
		return Credentials{}, false
	}
	return Credentials{User: u, Password: pw}, true
}

func lookupFile(u *url.URL, user string) (Credentials, error) {
	name := CredentialsFile()
	data, err := readCredentialsFile(name)
	if err != nil || data == nil {
		return Credentials{}, err
	}
	lines := parseCredentials(data)
	// The exact host:port first, then a line for the bare host name.
	machines := []string{u.Host}
	if u.Port() != "" {
		machines = append(machines, strings.ToLower(u.Hostname()))
	}
	for _, m := range machines {
		for _, l := range lines {
			e := l.entry
			if e == nil || !strings.EqualFold(e.machine, m) {
				continue
			}
			switch {
			case e.login == "":
				return Credentials{User: user, Password: e.password}, nil
			case user == "" || e.login == user:
				return Credentials{User: e.login, Password: e.password}, nil
			}
		}
	}
	return Credentials{}, nil
}

// readCredentialsFile returns the file's bytes, nil when it does not exist,
// or an error when it is not a regular file private to the current user.
func readCredentialsFile(name string) ([]byte, error) {
	fi, err := os.Lstat(name)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", name, unwrapPathError(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("credentials file %s is not a regular file: make it one, owned by you with mode 0600", name)
	}
	if err := checkPrivate(name, fi); err != nil {
		return nil, err
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", name, unwrapPathError(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxCredentialsFile+1))
	if err != nil {
		return nil, fmt.Errorf("credentials file %s: %w", name, unwrapPathError(err))
	}
	if len(data) > maxCredentialsFile {
		return nil, fmt.Errorf("credentials file %s is larger than %d bytes", name, maxCredentialsFile)
	}
	if data == nil {
		data = []byte{}
	}
	return data, nil
}

// saveFile puts e in the credentials file in place of the first line for
// its machine (so that a URL without a user name finds it first), drops the
// other lines for the same machine and login, and keeps every other line as
// it was.
func saveFile(name string, e credEntry) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	old, err := os.ReadFile(name)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	var lines []credLine
	placed := false
	fresh := credLine{text: formatEntry(e), entry: &e}
	for _, l := range parseCredentials(old) {
		if l.entry != nil && strings.EqualFold(l.entry.machine, e.machine) {
			if !placed {
				lines = append(lines, fresh)
				placed = true
			}
			if l.entry.login == e.login {
				continue
			}
		}
		lines = append(lines, l)
	}
	if !placed {
		lines = append(lines, fresh)
	}
	return writeFileAtomic(name, formatCredentials(lines))
}

// writeFileAtomic replaces name by a file holding data, mode 0600: a reader
// sees the old file or the new one, never a part.
func writeFileAtomic(name string, data []byte) error {
	dir := filepath.Dir(name)
	tmp, err := os.CreateTemp(dir, ".sync-credentials-*") // mode 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return err
	}
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync() // best effort: Windows cannot sync a folder
		_ = d.Close()
	}
	return nil
}

// credLine is one line of the credentials file: its text as read (or as
// written for a new entry), and the entry when it is one.
type credLine struct {
	text  string
	entry *credEntry
}

type credEntry struct{ machine, login, password string }

// parseCredentials splits a credentials file into lines. A line is an entry
// when its tokens are "machine", "login" and "password" pairs (login
// optional, none twice) with a machine and a password; any other line (a
// comment, a blank line, netrc's "default" or "macdef") is kept as it is
// and means nothing here.
func parseCredentials(data []byte) []credLine {
	texts := strings.Split(string(data), "\n")
	if texts[len(texts)-1] == "" {
		texts = texts[:len(texts)-1]
	}
	lines := make([]credLine, 0, len(texts))
	for _, text := range texts {
		lines = append(lines, credLine{text: text, entry: parseEntry(strings.TrimSuffix(text, "\r"))})
	}
	return lines
}

func parseEntry(line string) *credEntry {
	tokens, ok := tokenize(line)
	if !ok || len(tokens) == 0 || len(tokens)%2 != 0 {
		return nil
	}
	var e credEntry
	seen := map[string]bool{}
	for i := 0; i < len(tokens); i += 2 {
		key, value := tokens[i], tokens[i+1]
		if seen[key] {
			return nil
		}
		seen[key] = true
		switch key {
		case "machine":
			e.machine = value
		case "login":
			e.login = value
		case "password":
			e.password = value
		default:
			return nil
		}
	}
	if e.machine == "" || !seen["password"] {
		return nil
	}
	return &e
}

// tokenize splits a line at spaces and tabs; a token in double quotes may
// hold them, and \" and \\ inside. ok is false for an unfinished quote or a
// quote followed by more than a space.
func tokenize(line string) (tokens []string, ok bool) {
	for i := 0; i < len(line); {
		if isSpace(line[i]) {
			i++
			continue
		}
		if line[i] != '"' {
			start := i
			for i < len(line) && !isSpace(line[i]) {
				i++
			}
			tokens = append(tokens, line[start:i])
			continue
		}
		var b strings.Builder
		for i++; ; i++ {
			if i >= len(line) {
				return nil, false
			}
			c := line[i]
			if c == '\\' {
				if i+1 >= len(line) {
					return nil, false
				}
				i++
				b.WriteByte(line[i])
				continue
			}
			if c == '"' {
				i++
				break
			}
			b.WriteByte(c)
		}
		if i < len(line) && !isSpace(line[i]) {
			return nil, false
		}
		tokens = append(tokens, b.String())
	}
	return tokens, true
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// formatEntry writes e as one line that parseEntry reads back as e.
func formatEntry(e credEntry) string {
	s := "machine " + quoteToken(e.machine)
	if e.login != "" {
		s += " login " + quoteToken(e.login)
	}
	return s + " password " + quoteToken(e.password)
}

func quoteToken(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\r\v\f\"\\") {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

func formatCredentials(lines []credLine) []byte {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(l.text)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

package remote

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"
)

// noKeyring makes every keyring call fail, as on a machine without one.
func noKeyring(t *testing.T) {
	t.Helper()
	keyring.MockInitWithError(errors.New("no keyring on this machine"))
	t.Cleanup(keyring.MockInit)
}

// writeCredentials writes the credentials file with the given mode.
func writeCredentials(t *testing.T, text string, mode os.FileMode) string {
	t.Helper()
	name := CredentialsFile()
	if err := os.MkdirAll(filepath.Dir(name), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(text), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(name, mode); err != nil { // past the umask
		t.Fatal(err)
	}
	return name
}

func clearEnv(t *testing.T) {
	t.Setenv(envUser, "")
	t.Setenv(envPassword, "")
}

func TestCredentialsFile_UnderXDGConfigHome(t *testing.T) {
	isolateCredentials(t)
	home := os.Getenv("XDG_CONFIG_HOME")
	if got, want := CredentialsFile(), filepath.Join(home, "gloss", "sync-credentials"); got != want {
		t.Errorf("CredentialsFile = %q, want %q", got, want)
	}
}

func TestLookup_Environment(t *testing.T) {
	isolateCredentials(t)
	t.Setenv(envUser, "env-user")
	t.Setenv(envPassword, "env-pw")
	cases := []struct {
		url  string
		want Credentials
	}{
		{"https://dav.example.com/dav", Credentials{"env-user", "env-pw"}},
		{"https://url-user@dav.example.com/dav", Credentials{"url-user", "env-pw"}},
	}
	for _, c := range cases {
		got, err := Lookup(c.url)
		if err != nil || got != c.want {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v", c.url, got, err, c.want)
		}
	}
}

func TestLookup_Nothing(t *testing.T) {
	isolateCredentials(t)
	clearEnv(t)
	got, err := Lookup("https://dav.example.com/dav")
	if err != nil || got != (Credentials{}) {
		t.Errorf("Lookup = %+v, %v; want nothing and no error", got, err)
	}
}

func TestLookup_Refusals(t *testing.T) {
	isolateCredentials(t)
	for _, spec := range []string{"/srv/sync", "https://a:hunter2@dav.example.com", "http://dav.example.com"} {
		if _, err := Lookup(spec); err == nil {
			t.Errorf("Lookup(%q): no error", spec)
		}
	}
}

func TestSave_Keyring(t *testing.T) {
	cases := []struct {
		name      string
		saveURL   string
		save      Credentials
		account   string // the keyring entry Save makes
		lookupURL string
		envUser   string
		want      Credentials
	}{
		{"user in URL", "https://alice@dav.example.com/dav", Credentials{Password: "pw1"},
			"alice@dav.example.com", "https://alice@dav.example.com/other", "", Credentials{"alice", "pw1"}},
		{"user given", "https://dav.example.com:8443/dav", Credentials{"bob", "pw 2"},
			"dav.example.com:8443", "https://dav.example.com:8443/dav", "", Credentials{"bob", "pw 2"}},
		{"user from environment", "https://dav.example.com/dav", Credentials{"bob", "pw3"},
			"dav.example.com", "https://dav.example.com/dav", "bob", Credentials{"bob", "pw3"}},
		{"someone else's", "https://dav.example.com/dav", Credentials{"bob", "pw4"},
			"dav.example.com", "https://dav.example.com/dav", "carol", Credentials{}},
		{"other port", "https://dav.example.com/dav", Credentials{"bob", "pw5"},
			"dav.example.com", "https://dav.example.com:8443/dav", "", Credentials{}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			isolateCredentials(t)
			clearEnv(t)
			where, err := Save(c.saveURL, c.save)
			if err != nil || where != "the system keyring" {
				t.Fatalf("Save = %q, %v", where, err)
			}
			if _, err := keyring.Get(keyringService, c.account); err != nil {
				t.Errorf("no keyring entry %q: %v", c.account, err)
			}
			t.Setenv(envUser, c.envUser)
			got, err := Lookup(c.lookupURL)
			if err != nil || got != c.want {
				t.Errorf("Lookup(%q) = %+v, %v; want %+v", c.lookupURL, got, err, c.want)
			}
			if _, err := os.Stat(CredentialsFile()); err == nil {
				t.Error("Save wrote the credentials file although the keyring answered")
			}
		})
	}
}

func TestSave_Refusals(t *testing.T) {
	isolateCredentials(t)
	cases := []struct {
		url string
		c   Credentials
	}{
		{"https://alice@dav.example.com", Credentials{"bob", "pw"}},
		{"https://dav.example.com", Credentials{"bob", ""}},
		{"https://dav.example.com", Credentials{"bo:b", "pw"}},
		{"https://dav.example.com", Credentials{"bob", "p\nw"}},
		{"/srv/sync", Credentials{"bob", "pw"}},
		{"http://dav.example.com", Credentials{"bob", "pw"}},
	}
	for _, c := range cases {
		if where, err := Save(c.url, c.c); err == nil {
			t.Errorf("Save(%q, %+v) = %q, want an error", c.url, c.c, where)
		} else if c.c.Password != "" && strings.Contains(err.Error(), c.c.Password) {
			t.Errorf("Save(%q) error shows the password: %v", c.url, err)
		}
	}
}

func TestSave_FileFallback(t *testing.T) {
	isolateCredentials(t)
	clearEnv(t)
	noKeyring(t)
	where, err := Save("https://alice@dav.example.com/dav", Credentials{Password: `pa ss "quoted" \ back`})
	if err != nil {
		t.Fatal(err)
	}
	if where != CredentialsFile() {
		t.Errorf("Save went to %q, want %q", where, CredentialsFile())
	}
	if runtime.GOOS != "windows" {
		for name, want := range map[string]os.FileMode{where: 0o600, filepath.Dir(where): 0o700} {
			if fi, err := os.Stat(name); err != nil || fi.Mode().Perm() != want {
				t.Errorf("%s: mode %v, %v; want %v", name, fi.Mode().Perm(), err, want)
			}
		}
	}
	got, err := Lookup("https://alice@dav.example.com/dav")
	if want := (Credentials{"alice", `pa ss "quoted" \ back`}); err != nil || got != want {
		t.Errorf("Lookup = %+v, %v; want %+v", got, err, want)
	}
	entries, _ := os.ReadDir(filepath.Dir(where))
	if len(entries) != 1 {
		t.Errorf("the credentials folder holds %d files, want 1 (no temporary file left)", len(entries))
	}
}

func TestSave_FileKeepsOtherLines(t *testing.T) {
	isolateCredentials(t)
	clearEnv(t)
	noKeyring(t)
	old := "# my servers\n" +
		"machine other.org login x password y\n" +
		"machine dav.example.com login alice password old-pw\n" +
		"default login anon password anon\n" +
		"machine dav.example.com login bob password bob-pw\n"
	name := writeCredentials(t, old, 0o600)
	if _, err := Save("https://dav.example.com/dav", Credentials{"bob", "new-pw"}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	want := "# my servers\n" +
		"machine other.org login x password y\n" +
		"machine dav.example.com login bob password new-pw\n" +
		"machine dav.example.com login alice password old-pw\n" +
		"default login anon password anon\n"
	if string(data) != want {
		t.Errorf("file after Save:\n%s\nwant:\n%s", data, want)
	}
	for url, want := range map[string]Credentials{
		"https://dav.example.com/dav":       {"bob", "new-pw"}, // the first line for the host
		"https://alice@dav.example.com/dav": {"alice", "old-pw"},
		"https://other.org":                 {"x", "y"},
	} {
		if got, err := Lookup(url); err != nil || got != want {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v", url, got, err, want)
		}
	}
}

func TestLookup_FileMachines(t *testing.T) {
	isolateCredentials(t)
	clearEnv(t)
	writeCredentials(t, ""+
		"machine dav.example.com:8443 login port password with-port\n"+
		"machine DAV.example.com login bare password no-port\n"+
		"machine [::1]:8080 password six\n", 0o600)
	cases := []struct {
		url  string
		user string
		want Credentials
	}{
		{"https://dav.example.com:8443/dav", "", Credentials{"port", "with-port"}},
		{"https://dav.example.com:9443/dav", "", Credentials{"bare", "no-port"}},
		{"https://bare@dav.example.com:8443/dav", "", Credentials{"bare", "no-port"}},
		{"https://dav.example.com/dav", "", Credentials{"bare", "no-port"}},
		{"https://nobody@dav.example.com/dav", "", Credentials{}},
		{"http://[::1]:8080/dav", "me", Credentials{"me", "six"}},
		{"https://elsewhere.example.com/dav", "", Credentials{}},
	}
	for _, c := range cases {
		t.Setenv(envUser, c.user)
		got, err := Lookup(c.url)
		if err != nil || got != c.want {
			t.Errorf("Lookup(%q) = %+v, %v; want %+v", c.url, got, err, c.want)
		}
	}
}

func TestLookup_FileNotPrivate(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no permission bits on Windows")
	}
	isolateCredentials(t)
	clearEnv(t)
	name := writeCredentials(t, "machine dav.example.com login a password hunter2\n", 0o644)
	_, err := Lookup("https://dav.example.com/dav")
	if err == nil {
		t.Fatal("Lookup read a credentials file of mode 0644")
	}
	msg := err.Error()
	if !strings.Contains(msg, name) || !strings.Contains(msg, "chmod 600") || strings.Contains(msg, "\n") || strings.Contains(msg, "hunter2") {
		t.Errorf("error %q: want one line naming the file and the fix, without the password", msg)
	}
	// A symbolic link is not a regular file.
	if err := os.Chmod(name, 0o600); err != nil {
		t.Fatal(err)
	}
	link := name + ".link"
	if err := os.Rename(name, link); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(link, name); err != nil {
		t.Fatal(err)
	}
	if _, err := Lookup("https://dav.example.com/dav"); err == nil {
		t.Error("Lookup read a credentials file that is a symbolic link")
	}
}

func TestLookup_KeyringBeforeFile(t *testing.T) {
	isolateCredentials(t)
	clearEnv(t)
	writeCredentials(t, "machine dav.example.com login alice password from-file\n", 0o600)
	if err := keyring.Set(keyringService, "alice@dav.example.com", "from-keyring"); err != nil {
		t.Fatal(err)
	}
	got, err := Lookup("https://alice@dav.example.com/dav")
	if err != nil || got.Password != "from-keyring" {
		t.Errorf("Lookup = %+v, %v; want the keyring's password", got, err)
	}
	noKeyring(t)
	got, err = Lookup("https://alice@dav.example.com/dav")
	if err != nil || got.Password != "from-file" {
		t.Errorf("Lookup without a keyring = %+v, %v; want the file's password", got, err)
	}
}

func TestParseCredentials(t *testing.T) {
	text := "# comment\n" +
		"\n" +
		"machine a login u password p\r\n" +
		"  machine\tb   password \"two words\" login \"\"\n" +
		"machine c login u\n" + // no password
		"machine d password p account x\n" + // an unknown keyword
		"machine e password \"unfinished\n" +
		"machine f password p password q\n" + // twice
		"machine g password \"a\\\"b\\\\c\"\n" +
		"machine h password \"x\"y\n"
	var got []*credEntry
	for _, l := range parseCredentials([]byte(text)) {
		got = append(got, l.entry)
	}
	want := []*credEntry{
		nil, nil,
		{machine: "a", login: "u", password: "p"},
		{machine: "b", password: "two words"},
		nil, nil, nil, nil,
		{machine: "g", password: `a"b\c`},
		nil,
	}
	if !reflect.DeepEqual(got, want) {
		for i := range max(len(got), len(want)) {
			var g, w *credEntry
			if i < len(got) {
				g = got[i]
			}
			if i < len(want) {
				w = want[i]
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("line %d: got %+v, want %+v", i+1, g, w)
			}
		}
	}
	if out := string(formatCredentials(parseCredentials([]byte(text)))); out != text {
		t.Errorf("lines not kept as they were:\n%q\nwant\n%q", out, text)
	}
}

func FuzzParseCredentials(f *testing.F) {
	for _, seed := range []string{
		"",
		"\n",
		"machine a login u password p\n",
		"machine \"a b\" password \"\\\"\\\\\"\r\n# c\n",
		"machine a password p\nmachine b\tpassword q",
		"machine \"unfinished password p",
		"default login x password y\nmacdef init\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := parseCredentials(data)
		again := parseCredentials(formatCredentials(lines))
		if !reflect.DeepEqual(lines, again) {
			t.Fatalf("lines do not survive writing:\n%#v\n%#v", lines, again)
		}
		for _, l := range lines {
			if l.entry == nil {
				continue
			}
			written := formatEntry(*l.entry)
			back := parseEntry(written)
			if back == nil || *back != *l.entry {
				t.Fatalf("entry %+v written as %q reads back as %+v", *l.entry, written, back)
			}
		}
	})
}

package remote

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/adrg/xdg"
	"github.com/zalando/go-keyring"
)

// TestMain keeps every test off the real OS keyring: tests that need one
// reset the mock with keyring.MockInit or keyring.MockInitWithError.
func TestMain(m *testing.M) {
	keyring.MockInit()
	os.Exit(m.Run())
}

// backend opens an empty remote and returns it with the local folder that
// holds its files, so a test can look behind its back.
type backend struct {
	name string
	open func(t *testing.T) (Remote, string)
}

var backends = []backend{
	{"folder", openTestFolder},
	{"webdav", func(t *testing.T) (Remote, string) {
		srv := newDAVServer(t, nil)
		return srv.open(t), srv.dir
	}},
}

func openTestFolder(t *testing.T) (Remote, string) {
	t.Helper()
	dir := t.TempDir()
	r, err := Open(dir)
	if err != nil {
		t.Fatalf("Open(%q): %v", dir, err)
	}
	return r, dir
}

// forEachBackend runs the same contract test against every backend.
func forEachBackend(t *testing.T, test func(t *testing.T, r Remote, dir string)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			isolateCredentials(t)
			r, dir := b.open(t)
			test(t, r, dir)
		})
	}
}

// isolateCredentials points CredentialsFile at an empty folder and resets
// the mock keyring.
func isolateCredentials(t *testing.T) {
	t.Helper()
	t.Cleanup(xdg.Reload) // runs after t.Setenv's restore
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	xdg.Reload()
	keyring.MockInit()
}

func mustCreate(t *testing.T, r Remote, p string, data []byte) {
	t.Helper()
	if err := r.Create(p, data); err != nil {
		t.Fatalf("Create(%q): %v", p, err)
	}
}

func mustRead(t *testing.T, r Remote, p string) []byte {
	t.Helper()
	data, err := r.Read(p, 1<<20)
	if err != nil {
		t.Fatalf("Read(%q): %v", p, err)
	}
	return data
}

// tempFiles lists the temporary files Create left anywhere under dir.
func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), tempPrefix) {
			found = append(found, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

func TestRemote_CreateRead_RoundTrip(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, dir string) {
		cases := []struct {
			path string
			data []byte
		}{
			{"a.seg", []byte("hello")},
			{"empty.seg", nil},
			{"binary.seg", []byte{0, 1, 2, 0xff, '\n', '\r'}},
			{"name with spaces é ?#%20.seg", []byte("odd name")},
		}
		for _, c := range cases {
			mustCreate(t, r, c.path, c.data)
			if got := mustRead(t, r, c.path); !bytes.Equal(got, c.data) {
				t.Errorf("Read(%q) = %q, want %q", c.path, got, c.data)
			}
		}
		if left := tempFiles(t, dir); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}

func TestRemote_Create_MakesFolders(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, dir string) {
		mustCreate(t, r, "dev1/2026/seg-1", []byte("one"))
		mustCreate(t, r, "dev1/2026/seg-2", []byte("two"))
		if got := mustRead(t, r, "dev1/2026/seg-2"); string(got) != "two" {
			t.Errorf("Read = %q, want two", got)
		}
		for _, c := range []struct {
			dir  string
			want []Entry
		}{
			{"", []Entry{{Name: "dev1", Dir: true}}},
			{"dev1", []Entry{{Name: "2026", Dir: true}}},
			{"dev1/2026", []Entry{{Name: "seg-1", Size: 3}, {Name: "seg-2", Size: 3}}},
		} {
			got, err := r.List(c.dir)
			if err != nil {
				t.Fatalf("List(%q): %v", c.dir, err)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("List(%q) = %+v, want %+v", c.dir, got, c.want)
			}
		}
		fi, err := os.Stat(filepath.Join(dir, "dev1", "2026", "seg-1"))
		if err != nil || fi.Size() != 3 {
			t.Errorf("the file is not where the remote keeps it: %v", err)
		}
	})
}

func TestRemote_List_SortedWithoutDotNames(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, dir string) {
		for _, name := range []string{"b", "c", "a", "sub/x"} {
			mustCreate(t, r, name, []byte(name))
		}
		// What a Create under way, or another program, leaves behind.
		for _, name := range []string{".tmp-0123abcd", ".hidden", filepath.Join("sub", ".tmp-x")} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("partial"), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Mkdir(filepath.Join(dir, ".git"), 0o700); err != nil {
			t.Fatal(err)
		}
		got, err := r.List("")
		if err != nil {
			t.Fatal(err)
		}
		want := []Entry{{Name: "a", Size: 1}, {Name: "b", Size: 1}, {Name: "c", Size: 1}, {Name: "sub", Dir: true}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("List = %+v, want %+v", got, want)
		}
		got, err = r.List("sub")
		if err != nil {
			t.Fatal(err)
		}
		if want := []Entry{{Name: "x", Size: 5}}; !reflect.DeepEqual(got, want) {
			t.Errorf("List(sub) = %+v, want %+v", got, want)
		}
	})
}

func TestRemote_List_Missing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, _ string) {
		for _, dir := range []string{"", "nope", "nope/deeper"} {
			got, err := r.List(dir)
			if err != nil || got == nil || len(got) != 0 {
				t.Errorf("List(%q) = %v, %v; want an empty list and no error", dir, got, err)
			}
		}
	})
}

func TestRemote_List_File(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, _ string) {
		mustCreate(t, r, "f", []byte("x"))
		if got, err := r.List("f"); err == nil {
			t.Errorf("List of a file = %v, nil; want an error", got)
		}
	})
}

func TestRemote_Create_Existing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, dir string) {
		mustCreate(t, r, "d/x", []byte("old"))
		err := r.Create("d/x", []byte("new"))
		if !errors.Is(err, ErrExists) {
			t.Fatalf("Create over an existing file = %v, want ErrExists", err)
		}
		if !strings.Contains(err.Error(), r.String()) {
			t.Errorf("error %q does not name the remote %s", err, r)
		}
		if got := mustRead(t, r, "d/x"); string(got) != "old" {
			t.Errorf("existing file now holds %q, want old", got)
		}
		mustCreate(t, r, "d/sub/y", []byte("y"))
		if err := r.Create("d/sub", []byte("file over a folder")); !errors.Is(err, ErrExists) {
			t.Errorf("Create over a folder = %v, want ErrExists", err)
		}
		if left := tempFiles(t, dir); len(left) > 0 {
			t.Errorf("temporary files left: %v", left)
		}
	})
}

func TestRemote_Create_Concurrent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, _ string) {
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				errs[i] = r.Create(fmt.Sprintf("dev/seg-%d", i), []byte{byte(i)})
			})
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("Create seg-%d: %v", i, err)
			}
		}
		got, err := r.List("dev")
		if err != nil || len(got) != n {
			t.Errorf("List = %d entries, %v; want %d", len(got), err, n)
		}
	})
}

func TestRemote_Read_Limit(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, _ string) {
		mustCreate(t, r, "ten", []byte("0123456789"))
		mustCreate(t, r, "empty", nil)
		cases := []struct {
			path  string
			limit int64
			err   error
		}{
			{"ten", 10, nil},
			{"ten", 1 << 62, nil},
			{"ten", 1<<63 - 1, nil},
			{"ten", 9, ErrTooLarge},
			{"ten", 0, ErrTooLarge},
			{"empty", 0, nil},
		}
		for _, c := range cases {
			data, err := r.Read(c.path, c.limit)
			if !errors.Is(err, c.err) || (c.err == nil && err != nil) {
				t.Errorf("Read(%q, %d) error = %v, want %v", c.path, c.limit, err, c.err)
			}
			if c.err != nil && data != nil {
				t.Errorf("Read(%q, %d) returned data with its error", c.path, c.limit)
			}
		}
		if _, err := r.Read("ten", -1); err == nil {
			t.Error("Read with a negative limit: no error")
		}
	})
}

func TestRemote_Read_Missing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, _ string) {
		for _, p := range []string{"nope", "no/such/dir/file"} {
			if _, err := r.Read(p, 100); !errors.Is(err, ErrNotFound) {
				t.Errorf("Read(%q) = %v, want ErrNotFound", p, err)
			}
		}
	})
}

func TestRemote_Read_Folder(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, _ string) {
		mustCreate(t, r, "d/x", []byte("x"))
		// Servers differ: x/net/webdav answers 405, Apache without an index
		// module 404 (ErrNotFound, which fits: there is no file there).
		if data, err := r.Read("d", 100); err == nil {
			t.Errorf("Read of a folder = %q, nil; want an error", data)
		}
	})
}

var badPaths = []string{"../x", "/x", "a//b", "a/./b", `a\b`, ".", "..", "a/", "a/..", "./a", "a/\x00b"}

func TestRemote_BadPaths(t *testing.T) {
	forEachBackend(t, func(t *testing.T, r Remote, dir string) {
		for _, p := range badPaths {
			if _, err := r.List(p); err == nil {
				t.Errorf("List(%q): no error", p)
			}
			if _, err := r.Read(p, 100); err == nil || errors.Is(err, ErrNotFound) {
				t.Errorf("Read(%q) = %v, want a refusal", p, err)
			}
			if err := r.Create(p, []byte("x")); err == nil {
				t.Errorf("Create(%q): no error", p)
			}
		}
		for _, op := range []func() error{
			func() error { _, err := r.Read("", 100); return err },
			func() error { return r.Create("", nil) },
		} {
			if op() == nil {
				t.Error("an empty path was taken for a file")
			}
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) > 0 {
			t.Errorf("refused paths left %d entries in the remote", len(entries))
		}
	})
}

func TestCheckPath(t *testing.T) {
	for _, p := range []string{"a", "a/b", "a.b/c..d", ".hidden", "a/.tmp-x", "...", "é/ü"} {
		if err := checkPath(p, false); err != nil {
			t.Errorf("checkPath(%q) = %v, want nil", p, err)
		}
	}
	for _, p := range append(badPaths, "") {
		if err := checkPath(p, false); err == nil {
			t.Errorf("checkPath(%q) = nil, want an error", p)
		}
	}
	if err := checkPath("", true); err != nil {
		t.Errorf("checkPath(\"\", root) = %v", err)
	}
}

func TestNormalize(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the folder paths below are Unix ones")
	}
	cases := []struct {
		spec, want string // want "" means an error
	}{
		{"/srv/sync/", "/srv/sync"},
		{"  /srv/sync  ", "/srv/sync"},
		{"/srv/../srv/./sync", "/srv/sync"},
		{"file:///srv/sync/", "/srv/sync"},
		{"FILE://localhost/srv/sync", "/srv/sync"},
		{"file://server/share", ""},
		{"file://relative", ""},
		{"relative/folder", ""},
		{"~/Sync", ""},
		{"/srv/odd://name", "/srv/odd:/name"},
		{"", ""},
		{"   ", ""},
		{"HTTPS://Dav.Example.COM:443/dav/", "https://dav.example.com/dav"},
		{"https://dav.example.com", "https://dav.example.com"},
		{"https://dav.example.com/", "https://dav.example.com"},
		{"https://dav.example.com:8443/remote.php/dav/files/alice/", "https://dav.example.com:8443/remote.php/dav/files/alice"},
		{"https://alice@dav.example.com/dav", "https://alice@dav.example.com/dav"},
		{"https://dav.example.com/my%20notes/", "https://dav.example.com/my%20notes"},
		{"https://dav.example.com/my notes", "https://dav.example.com/my%20notes"},
		{"http://127.0.0.1:8080/dav/", "http://127.0.0.1:8080/dav"},
		{"http://127.1.2.3/dav", "http://127.1.2.3/dav"},
		{"http://LOCALHOST:80/dav", "http://localhost/dav"},
		{"http://[::1]:8080/dav", "http://[::1]:8080/dav"},
		{"https://[2001:db8::1]:8443/dav", "https://[2001:db8::1]:8443/dav"},
		{"http://dav.example.com/dav", ""},
		{"http://192.168.1.2/dav", ""},
		{"http://localhost.example.com/dav", ""},
		{"https://alice:hunter2@dav.example.com/dav", ""},
		{"https://:hunter2@dav.example.com/dav", ""},
		{"https://dav.example.com/dav?x=1", ""},
		{"https://dav.example.com/dav#top", ""},
		{"https://dav.example.com/a/../b", ""},
		{"https://dav.example.com/a//b", ""},
		{"https:///dav", ""},
		{"ftp://dav.example.com/x", ""},
		{"webdav://dav.example.com/x", ""},
	}
	for _, c := range cases {
		got, err := Normalize(c.spec)
		switch {
		case c.want == "" && err == nil:
			t.Errorf("Normalize(%q) = %q, want an error", c.spec, got)
		case c.want != "" && err != nil:
			t.Errorf("Normalize(%q): %v", c.spec, err)
		case got != c.want:
			t.Errorf("Normalize(%q) = %q, want %q", c.spec, got, c.want)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Normalize(%q) error shows the password: %v", c.spec, err)
		}
		if err != nil && strings.Contains(err.Error(), "\n") {
			t.Errorf("Normalize(%q) error is not one line: %q", c.spec, err)
		}
		if c.want != "" {
			again, err := Normalize(got)
			if err != nil || again != got {
				t.Errorf("Normalize(%q) = %q, %v: the canonical form is not stable", got, again, err)
			}
		}
	}
}

func TestNormalize_Messages(t *testing.T) {
	cases := []struct{ spec, says string }{
		{"https://alice:hunter2@dav.example.com/dav", "keyring"},
		{"https://alice:hunter2@dav example.com/dav", "…@"},
		{"http://dav.example.com/dav", "https://"},
		{"relative", "absolute"},
	}
	for _, c := range cases {
		_, err := Normalize(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("Normalize(%q) = %v, want an error saying %q", c.spec, err, c.says)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Normalize(%q) error shows the password: %v", c.spec, err)
		}
	}
}

func TestOpen_Refusals(t *testing.T) {
	isolateCredentials(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, spec := range []string{
		filepath.Join(t.TempDir(), "missing"),
		file,
		"relative",
		"http://dav.example.com/dav",
		"https://alice:hunter2@dav.example.com/dav",
	} {
		r, err := Open(spec)
		if err == nil {
			t.Errorf("Open(%q) = %v, want an error", spec, r)
		} else if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("Open(%q) error shows the password: %v", spec, err)
		}
	}
}

func TestOpen_Strings(t *testing.T) {
	isolateCredentials(t)
	dir := t.TempDir()
	fileURL := "file://" + filepath.ToSlash(dir) + "/"
	if runtime.GOOS == "windows" {
		fileURL = "file:///" + filepath.ToSlash(dir) + "/"
	}
	r, err := Open(fileURL)
	if err != nil {
		t.Fatal(err)
	}
	if r.String() != dir {
		t.Errorf("String = %q, want %q", r.String(), dir)
	}
	// Opening a WebDAV remote does not contact the server.
	t.Setenv(envPassword, "hunter2")
	r, err = Open("https://alice@dav.example.com/dav/")
	if err != nil {
		t.Fatal(err)
	}
	if r.String() != "https://alice@dav.example.com/dav" {
		t.Errorf("String = %q", r.String())
	}
}

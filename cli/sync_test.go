package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCLI_Sync: two libraries join one folder, each sends its changes and
// merges the other's; status says where they are; misuse gets one line.
func TestCLI_Sync(t *testing.T) {
	remote := t.TempDir()
	a, b := newLib(t), newLib(t)
	id, _, _ := strings.Cut(a.ok("add", a.file("talks.txt", article)), "\t")
	a.ok("author", "Ana Lima")
	h := strings.TrimSpace(a.ok("highlight", id, "--quote", "Geneva", "--note", "from a"))

	for _, tt := range []struct {
		name string
		l    *lib
		args []string
		code int
		err  string
	}{
		{"not set up", a, []string{"sync"}, 1, "does not sync yet"},
		{"a relative folder", a, []string{"sync", "init", "some/folder"}, 2, ""},
		{"http across a network", a, []string{"sync", "init", "http://example.org/dav"}, 2, ""},
		{"a password in the address", a, []string{"sync", "init", "https://ana:pw@example.org/dav"}, 2, ""},
		{"a folder that is not there", a, []string{"sync", "init", filepath.Join(remote, "missing")}, 1, "missing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs, code := tt.l.run("", tt.args...)
			if code != tt.code || !strings.Contains(errs, tt.err) || strings.Count(errs, "\n") != 1 || !strings.HasPrefix(errs, "gloss: ") {
				t.Errorf("gloss %q: exit %d, stderr %q; want exit %d and one line with %q", tt.args, code, errs, tt.code, tt.err)
			}
			if strings.Contains(errs, ":pw@") {
				t.Errorf("the password is in the error: %q", errs)
			}
		})
	}
	if _, err := os.Stat(b.path); err == nil {
		t.Fatal("a failed sync init made a library")
	}

	if out := a.ok("sync", "init", remote); !strings.Contains(out, "this library syncs with "+remote) {
		t.Fatalf("init: %q", out)
	}
	if out := a.ok("sync"); out != "sent 3 changes, merged 0 changes from 0 segments\n" {
		t.Fatalf("a's first sync: %q", out)
	}
	b.ok("sync", "init", remote) // joins the library a made there
	if out := b.ok("sync"); !strings.Contains(out, "from 1 segment") || strings.Count(out, "\n") != 1 {
		t.Fatalf("b's first sync: %q", out)
	}
	b.ok("edit", h, "--note", "from b")
	b.ok("sync")
	a.ok("sync")
	var note struct {
		Note   string `json:"note"`
		Author string `json:"author"`
	}
	if err := json.Unmarshal([]byte(a.ok("notes", id, "--json")), &[]any{&note}); err != nil {
		t.Fatal(err)
	}
	if note.Note != "from b" || note.Author != "Ana Lima" {
		t.Fatalf("a's highlight after b's edit: %+v", note)
	}

	var st struct {
		Remote  string `json:"remote"`
		Device  string `json:"device"`
		Author  string `json:"author"`
		Pending int    `json:"pending"`
		Devices []struct {
			ID, Author string
		} `json:"devices"`
		LastSync string `json:"last_sync"`
	}
	if err := json.Unmarshal([]byte(a.ok("sync", "status", "--json")), &st); err != nil {
		t.Fatal(err)
	}
	if st.Remote != remote || st.Author != "Ana Lima" || st.Pending != 0 || len(st.Devices) != 1 || st.LastSync == "" || st.Device == "" || st.Devices[0].ID == st.Device {
		t.Fatalf("status: %+v", st)
	}
	if out := a.ok("sync", "status"); !strings.Contains(out, "remote:   "+remote) || !strings.Contains(out, "pending:  0 changes to send") {
		t.Fatalf("status: %q", out)
	}
	// The remote holds only the library's folder, its marker and the
	// devices' segments.
	var files []string
	filepath.WalkDir(remote, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(remote, p)
			files = append(files, rel)
		}
		return err
	})
	for _, f := range files {
		if !strings.HasPrefix(f, "gloss/") || !(strings.HasSuffix(f, ".json.gz") || strings.HasSuffix(f, "/library.json")) {
			t.Errorf("unexpected file on the remote: %s", f)
		}
	}
	if len(files) != 4 {
		t.Errorf("remote files %q, want the marker and 3 segments", files)
	}
}

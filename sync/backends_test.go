package sync

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	gosync "sync"
	"testing"

	"golang.org/x/net/webdav"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/sync/remote"
)

// The merge's scenarios run on an in-memory remote; these run a whole
// story over the real backends: a folder, and a WebDAV server (x/net/webdav
// with Basic auth, in the test process).
func TestSync_OverRealBackends(t *testing.T) {
	for _, tc := range []struct {
		name string
		open func(t *testing.T) remote.Remote
	}{
		{"folder", func(t *testing.T) remote.Remote {
			rem, err := remote.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return rem
		}},
		{"webdav", func(t *testing.T) remote.Remote {
			dir := t.TempDir()
			if err := os.Mkdir(filepath.Join(dir, "dav"), 0o700); err != nil {
				t.Fatal(err)
			}
			dav := &webdav.Handler{FileSystem: webdav.Dir(dir), LockSystem: webdav.NewMemLS()}
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if u, p, ok := r.BasicAuth(); !ok || u != "ana" || p != "s3cret pass" {
					w.Header().Set("WWW-Authenticate", `Basic realm="dav"`)
					http.Error(w, "who are you", http.StatusUnauthorized)
					return
				}
				dav.ServeHTTP(w, r)
			}))
			t.Cleanup(srv.Close)
			t.Setenv("GLOSS_SYNC_USER", "ana")
			t.Setenv("GLOSS_SYNC_PASSWORD", "s3cret pass")
			rem, err := remote.Open(srv.URL + "/dav")
			if err != nil {
				t.Fatal(err)
			}
			return rem
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rem := tc.open(t)
			a, b := newDevice(t, rem, "a"), newDevice(t, rem, "b")
			art := a.addArticle("Reefs", article1)
			h := a.highlight(art, "the water warms", "a's")
			gone := a.highlight(art, "the coral starves", "")
			converged(t, a, b)
			// Both sync at the same moment, each with changes of its own,
			// several times over.
			for i := range 3 {
				if _, err := a.svc.Edit(h, annotations.Change{Tags: &[]string{"round", string(rune('a' + i))}}); err != nil {
					t.Fatal(err)
				}
				b.highlight(art, []string{"Coral reefs", "bleach", "algae leave"}[i], "b's")
				var wg gosync.WaitGroup
				for _, d := range []*device{a, b} {
					wg.Go(func() {
						if _, err := d.sync.Sync(nil); err != nil {
							t.Errorf("%s: %v", d.name, err)
						}
					})
				}
				wg.Wait()
			}
			if _, err := b.svc.Trash(gone); err != nil {
				t.Fatal(err)
			}
			if _, err := b.svc.EmptyTrash(); err != nil {
				t.Fatal(err)
			}
			c := newDevice(t, rem, "c")
			converged(t, a, b, c)
			notes, err := c.svc.Notes(annotations.NotesQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 4 {
				t.Fatalf("the new device has %d highlights, want 4", len(notes))
			}
		})
	}
}

package sync

import (
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"golang.org/x/net/webdav"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/sync/remote"
)

// The sync's targets, against a WebDAV server on this machine (x/net/webdav
// over loopback HTTP, in the test process):
//
//	go test -run '^$' -bench . -benchtime 3x ./sync/
//
// BenchmarkSync_Idle: a sync with nothing to do (≤ 200 ms), with three
// devices' segments on the server. BenchmarkSync_Push1000: sending 1,000
// changed annotations (≤ 1 s). BenchmarkSync_NewDevice100k: a new device
// pulling a library of 100,000 annotations (≤ 30 s).

func webdavRemote(b *testing.B) remote.Remote {
	b.Helper()
	dir := b.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "dav"), 0o700); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(&webdav.Handler{FileSystem: webdav.Dir(dir), LockSystem: webdav.NewMemLS()})
	b.Cleanup(srv.Close)
	b.Setenv("GLOSS_SYNC_USER", "")
	b.Setenv("GLOSS_SYNC_PASSWORD", "")
	rem, err := remote.Open(srv.URL + "/dav")
	if err != nil {
		b.Fatal(err)
	}
	return rem
}

// benchDevice opens a library for a benchmark, with n annotations on one
// article (imported in one go, before the library syncs).
func benchDevice(b *testing.B, rem remote.Remote, name string, n int) (*annotations.Service, *Syncer) {
	b.Helper()
	db, err := storage.Open(filepath.Join(b.TempDir(), name+".db"), storage.Options{NoAutoBackup: true, NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	svc := annotations.NewService(db)
	if n > 0 {
		text := strings.Repeat("Coral reefs bleach when the water warms and the algae leave. ", 2000)
		art, _, err := svc.AddArticle(annotations.NewArticle{Title: name + " article", Format: annotations.FormatText, Text: text})
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now().UTC()
		bundle := annotations.Bundle{}
		for i := range n {
			start := (i * 7) % (len(text) - 40)
			bundle.Annotations = append(bundle.Annotations, annotations.Annotation{
				ID: uuid.Must(uuid.NewV7()), ArticleID: art.ID, Color: annotations.DefaultColor,
				Note: fmt.Sprintf("note %d on the reef", i), Tags: []string{"reef"}, Status: annotations.StatusAnchored,
				Target:    annotations.Target{Start: start, End: start + 12, Exact: text[start : start+12]},
				CreatedAt: now, UpdatedAt: now,
			})
		}
		if _, err := svc.Import(bundle); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := Setup(svc, rem, "bench", ""); err != nil {
		b.Fatal(err)
	}
	s, err := New(svc, rem)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.Sync(nil); err != nil {
		b.Fatal(err)
	}
	return svc, s
}

func BenchmarkSync_Idle(b *testing.B) {
	rem := webdavRemote(b)
	_, a := benchDevice(b, rem, "a", 300)
	_, c := benchDevice(b, rem, "c", 300)
	_, d := benchDevice(b, rem, "d", 300)
	for _, s := range []*Syncer{a, c, d, a} {
		if _, err := s.Sync(nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		rep, err := a.Sync(nil)
		if err != nil || rep.Sent+rep.Merged != 0 {
			b.Fatalf("an idle sync: %+v, %v", rep, err)
		}
	}
}

func BenchmarkSync_Push1000(b *testing.B) {
	rem := webdavRemote(b)
	svc, s := benchDevice(b, rem, "a", 1000)
	notes, err := svc.Notes(annotations.NotesQuery{})
	if err != nil {
		b.Fatal(err)
	}
	round := 0
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		round++
		ids := make([]uuid.UUID, len(notes))
		for i, a := range notes {
			ids[i] = a.ID
		}
		// 1,000 annotations changed (to the trash and back is one write
		// each way; the second leaves them changed).
		if _, err := svc.SetTrashed(ids, round%2 == 1); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := s.Sync(nil)
		if err != nil || rep.Sent != 1000 {
			b.Fatalf("sent %d: %v", rep.Sent, err)
		}
	}
}

func BenchmarkSync_NewDevice100k(b *testing.B) {
	rem := webdavRemote(b)
	benchDevice(b, rem, "a", 100_000)
	b.ResetTimer()
	for b.Loop() {
		b.StopTimer()
		db, err := storage.Open(filepath.Join(b.TempDir(), "new.db"), storage.Options{NoAutoBackup: true, NoSync: true})
		if err != nil {
			b.Fatal(err)
		}
		svc := annotations.NewService(db)
		if _, err := Setup(svc, rem, "bench", ""); err != nil {
			b.Fatal(err)
		}
		s, err := New(svc, rem)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		rep, err := s.Sync(nil)
		if err != nil || rep.Applied < 100_000 {
			b.Fatalf("merged %d: %v", rep.Applied, err)
		}
		b.StopTimer()
		db.Close()
		b.StartTimer()
	}
}

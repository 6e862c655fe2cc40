package storage_test

import (
	"bufio"
	"bytes"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats"
	"github.com/gloss-notes/gloss/storage"
)

// TestUpdateLarge_ImportInBatches imports an export in batches of 7
// annotations through a working copy: the library ends as the one-
// transaction import leaves it, stays open and writable, and passes the
// check; an import that fails after some batches leaves the file byte
// for byte as it was.
func TestUpdateLarge_ImportInBatches(t *testing.T) {
	var export bytes.Buffer
	if err := formats.WriteNative(&export, bundle(200, 4), time.Now()); err != nil {
		t.Fatal(err)
	}
	base := bundle(30, 2)
	open := func(path string) (*storage.DB, *annotations.Service) {
		db, err := storage.Open(path, storage.Options{NoAutoBackup: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		svc := annotations.NewService(db)
		if _, err := svc.Import(base); err != nil {
			t.Fatal(err)
		}
		return db, svc
	}
	dir := t.TempDir()

	// The reference: the same file in one transaction.
	_, one := open(dir + "/one.db")
	if _, err := one.ImportStream(formats.NewNativeReader(bytes.NewReader(export.Bytes())), false); err != nil {
		t.Fatal(err)
	}
	want, err := one.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}

	// A file cut short fails after a few batches were committed to the
	// working copy: nothing changes.
	path := dir + "/library.db"
	db, svc := open(path)
	svc.ImportBatch = 7
	before := readAll(t, path)
	cut := export.Bytes()[:export.Len()*4/5]
	if _, err := svc.ImportStream(formats.NewNativeReader(bytes.NewReader(cut)), true); err == nil {
		t.Fatal("a file cut short was imported")
	}
	if !bytes.Equal(before, readAll(t, path)) {
		t.Fatal("the failed import changed the library")
	}
	if left := leftovers(t, dir); len(left) != 1 || left[0] != "one.db" {
		t.Fatalf("left beside the library: %v", left)
	}

	rep, err := svc.ImportStream(formats.NewNativeReader(bufio.NewReader(bytes.NewReader(export.Bytes()))), true)
	if err != nil {
		t.Fatal(err)
	}
	if rep.AnnotationsAdded != 200 {
		t.Errorf("report: %v", rep)
	}
	got, err := svc.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("in batches: %d articles, %d annotations; in one transaction: %d, %d",
			len(got.Articles), len(got.Annotations), len(want.Articles), len(want.Annotations))
	}
	if left := leftovers(t, dir); len(left) != 1 {
		t.Fatalf("left beside the library: %v", left)
	}
	// The open library is the new file: it searches, writes and checks.
	if hits, err := db.Search(want.Annotations[0].Target.Exact, 5); err != nil || len(hits) == 0 {
		t.Errorf("search after the import: %v, %v", hits, err)
	}
	if _, err := svc.Edit(want.Annotations[0].ID, annotations.Change{Note: ptr("after")}); err != nil {
		t.Fatal(err)
	}
	if p := db.Check(); len(p) > 0 {
		t.Fatalf("check: %v", p)
	}
	db.Close()
	db2, err := storage.Open(path, storage.Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db2.Close()
	a, err := annotations.NewService(db2).Annotation(want.Annotations[0].ID)
	if err != nil || a.Note != "after" {
		t.Fatalf("the edit after the import: %q, %v", a.Note, err)
	}
}

func ptr[T any](v T) *T { return &v }

func readAll(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUpdateLarge_KeepsASymbolicLink: a library reached through a link is
// replaced where the link points, and the link stays.
func TestUpdateLarge_KeepsASymbolicLink(t *testing.T) {
	dir := t.TempDir()
	real := dir + "/real/library.db"
	if err := os.MkdirAll(dir+"/real", 0o700); err != nil {
		t.Fatal(err)
	}
	db, err := storage.Open(real, storage.Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	link := dir + "/library.db"
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	db, err = storage.Open(link, storage.Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var export bytes.Buffer
	if err := formats.WriteNative(&export, bundle(40, 2), time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := annotations.NewService(db)
	svc.ImportBatch = 9
	if _, err := svc.ImportStream(formats.NewNativeReader(&export), true); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link is no longer a link: %v, %v", fi.Mode(), err)
	}
	db.Close()
	direct, err := storage.Open(real, storage.Options{NoAutoBackup: true, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer direct.Close()
	if got, _ := annotations.NewService(direct).Notes(annotations.NotesQuery{WithTrash: true}); len(got) != 40 {
		t.Errorf("the file the link points to holds %d annotations, want 40", len(got))
	}
}

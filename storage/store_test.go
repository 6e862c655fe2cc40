package storage

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	bolt "go.etcd.io/bbolt"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/search"
)

// openTest opens a library under t.TempDir() and checks it at cleanup.
func openTest(t *testing.T, opts Options) (*DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := Open(path, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if db.bolt.Path() != "" { // still open
			for _, p := range db.Check() {
				t.Errorf("check: %v", p)
			}
			db.Close()
		}
	})
	return db, path
}

// fill adds an article with n annotations and returns the service.
func fill(t testing.TB, db *DB, n int) (*annotations.Service, annotations.Article) {
	t.Helper()
	svc := annotations.NewService(db)
	art, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatText, Text: strings.Repeat("word and more words. ", 200)})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < n; i++ {
		if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: i, End: i + 10, Tags: []string{"t" + strconv.Itoa(i%3)}}); err != nil {
			t.Fatal(err)
		}
	}
	return svc, art
}

// closedCopy closes db and returns the bytes of its file.
func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpen_NewLibrary(t *testing.T) {
	path := filepath.Join(t.TempDir(), "deep", "folder", "library.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode = %v, want 0600", fi.Mode().Perm())
	}
	if p := db.Check(); len(p) > 0 {
		t.Errorf("a new library has problems: %v", p)
	}
	labels, _ := annotations.NewService(db).ColorLabels()
	if labels.Label(annotations.Yellow) == "" {
		t.Errorf("no default colour meanings")
	}
}

func TestOpen_Locked(t *testing.T) {
	db, path := openTest(t, Options{})
	_ = db
	for _, ro := range []bool{false, true} {
		start := time.Now()
		_, err := Open(path, Options{ReadOnly: ro})
		if !errors.Is(err, ErrLocked) {
			t.Fatalf("read-only %v: error = %v, want ErrLocked", ro, err)
		}
		if !strings.Contains(err.Error(), "open in another Gloss process") {
			t.Errorf("message: %v", err)
		}
		t.Logf("read-only %v: refused after %v", ro, time.Since(start))
	}
}

func TestOpen_RefusesDamagedFilesUntouched(t *testing.T) {
	tests := []struct {
		name   string
		damage func(t *testing.T, path string)
		want   error
	}{
		{"not a bbolt file", func(t *testing.T, path string) {
			os.WriteFile(path, bytes.Repeat([]byte("not a library "), 2000), 0o600)
		}, ErrDamaged},
		{"random bytes over the meta pages", func(t *testing.T, path string) {
			overwrite(t, path, 0, 8192)
		}, ErrDamaged},
		{"truncated", func(t *testing.T, path string) {
			fi, _ := os.Stat(path)
			os.Truncate(path, fi.Size()/2)
		}, ErrDamaged},
		{"emptied, with a backup beside it", func(t *testing.T, path string) {
			os.Truncate(path, 0)
		}, ErrDamaged},
		{"newer schema", func(t *testing.T, path string) {
			b, _ := bolt.Open(path, 0o600, nil)
			b.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keyVersion, []byte("99")) })
			b.Close()
		}, ErrNewerVersion},
		{"a bbolt file of another program", func(t *testing.T, path string) {
			os.Remove(path)
			b, _ := bolt.Open(path, 0o600, nil)
			b.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("other")); return err })
			b.Close()
		}, ErrDamaged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "library.db")
			now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
			db, err := Open(path, Options{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			fill(t, db, 200)
			db.Close()
			// Reopen a day later: the daily backup is made.
			now = now.Add(25 * time.Hour)
			db, err = Open(path, Options{Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			db.Close()
			backup, _ := NewestBackup(path)
			if backup == "" {
				t.Fatal("no backup was made")
			}
			tt.damage(t, path)
			before := fileBytes(t, path)
			_, err = Open(path, Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("error = %v, want %v", err, tt.want)
			}
			if tt.want == ErrDamaged && !strings.Contains(err.Error(), backup) {
				t.Errorf("the message does not name the newest backup %s: %v", backup, err)
			}
			if !bytes.Equal(before, fileBytes(t, path)) {
				t.Errorf("the damaged file was changed")
			}
		})
	}
}

func overwrite(t *testing.T, path string, off, n int64) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	junk := make([]byte, n)
	rand.Read(junk)
	if _, err := f.WriteAt(junk, off); err != nil {
		t.Fatal(err)
	}
}

func TestOpen_DamagedPageIsReportedNotACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := Open(path, Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, 300)
	var size int64
	db.bolt.View(func(tx *bolt.Tx) error { size = tx.Size(); return nil })
	db.Close()
	// Scribble over every data page after the meta pages, one at a time
	// would be slow; scribble over the second half of the file.
	overwrite(t, path, size/2, size/2)
	db, err = Open(path, Options{NoAutoBackup: true})
	if err != nil {
		if !errors.Is(err, ErrDamaged) {
			t.Fatalf("open: %v, want ErrDamaged", err)
		}
		return
	}
	defer db.Close()
	problems := db.Check()
	if len(problems) == 0 {
		t.Fatalf("check found no problem in a scribbled file")
	}
	_, err = annotations.NewService(db).Notes(annotations.NotesQuery{})
	t.Logf("check: %v; reading: %v", problems[0], err)
}

func TestOpen_Migration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, 10)
	db.Close()

	defer func(v int, m map[int]func(*bolt.Tx) error) { schemaVersion, migrations = v, m }(schemaVersion, migrations)
	cur := schemaVersion
	schemaVersion = cur + 1 // a future version, with a test migration

	t.Run("a failing migration leaves the file as it was", func(t *testing.T) {
		migrations = map[int]func(*bolt.Tx) error{cur: func(tx *bolt.Tx) error {
			tx.Bucket(bucketMeta).Put([]byte("half"), []byte("done"))
			return errors.New("boom")
		}}
		before := fileBytes(t, path)
		if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "boom") {
			t.Fatalf("error = %v", err)
		}
		if !bytes.Equal(before, fileBytes(t, path)) {
			t.Errorf("the library changed")
		}
	})
	t.Run("a migration runs after a backup", func(t *testing.T) {
		migrations = map[int]func(*bolt.Tx) error{cur: func(tx *bolt.Tx) error {
			return tx.Bucket(bucketMeta).Put([]byte("migrated"), []byte("yes"))
		}}
		db, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		db.bolt.View(func(tx *bolt.Tx) error {
			if v, _ := readVersion(tx); v != cur+1 || string(tx.Bucket(bucketMeta).Get([]byte("migrated"))) != "yes" {
				t.Errorf("version %d, migrated %q", v, tx.Bucket(bucketMeta).Get([]byte("migrated")))
			}
			return nil
		})
		all, _ := Backups(path)
		var pre string
		for _, b := range all {
			if strings.Contains(b, fmt.Sprintf(".before-v%d-", cur+1)) {
				pre = b
			}
		}
		if pre == "" {
			t.Fatalf("no backup before the migration: %v", all)
		}
		old, err := bolt.Open(pre, 0o600, &bolt.Options{ReadOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		defer old.Close()
		old.View(func(tx *bolt.Tx) error {
			if v, _ := readVersion(tx); v != cur {
				t.Errorf("the backup has schema %d, want %d", v, cur)
			}
			return nil
		})
	})
}

func TestAutoBackup_DailyRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db, err := Open(path, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, 3)
	db.Close()
	opens := []time.Duration{0, time.Hour, 24 * time.Hour, 30 * time.Hour, 49 * time.Hour, 73 * time.Hour, 100 * time.Hour}
	for _, d := range opens {
		now = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC).Add(d)
		db, err := Open(path, Options{Now: clock})
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	all, _ := Backups(path)
	// Backups at +0, +24h, +49h, +73h, +100h; the newest 3 are kept.
	want := []string{"20261105T120000Z", "20261104T090000Z", "20261103T090000Z"}
	if len(all) != len(want) {
		t.Fatalf("backups = %v", all)
	}
	for i, w := range want {
		if !strings.HasSuffix(all[i], w) {
			t.Errorf("backup %d = %s, want …%s", i, all[i], w)
		}
		if fi, _ := os.Stat(all[i]); fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v", all[i], fi.Mode().Perm())
		}
	}
}

func TestBackup_IsACompleteLibrary(t *testing.T) {
	db, _ := openTest(t, Options{})
	svc, _ := fill(t, db, 25)
	dst := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(dst); err != nil {
		t.Fatal(err)
	}
	cp, err := Open(dst, Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	want, _ := svc.Export(annotations.ExportFilter{})
	got, _ := annotations.NewService(cp).Export(annotations.ExportFilter{})
	if len(got.Annotations) != 25 || len(want.Annotations) != 25 {
		t.Errorf("backup holds %d annotations, library %d", len(got.Annotations), len(want.Annotations))
	}
	if p := cp.Check(); len(p) > 0 {
		t.Errorf("backup check: %v", p)
	}
	if err := db.Backup(db.Path()); err == nil {
		t.Errorf("backing up onto the library itself was allowed")
	}
}

func TestResolve(t *testing.T) {
	db, _ := openTest(t, Options{})
	svc := annotations.NewService(db)
	ids := []string{
		"0193a000-0000-7000-8000-000000000001",
		"0193a000-0000-7000-8000-000000000002",
		"0193b000-0000-7000-8000-000000000003",
	}
	n := 0
	svc.NewID = func() uuid.UUID { n++; return uuid.MustParse(ids[n-1]) }
	for i := range ids {
		if _, _, err := svc.AddArticle(annotations.NewArticle{Format: annotations.FormatText, Text: "text " + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		prefix string
		want   string
		err    error
	}{
		{"0193b", ids[2], nil},
		{"0193B", ids[2], nil},
		{"0193a000-0000-7000-8000-000000000002", ids[1], nil},
		{"0193a000000070008000000000000001", ids[0], nil},
		{"0193a", "", annotations.ErrAmbiguous},
		{"0193", "", annotations.ErrAmbiguous},
		{"0194", "", annotations.ErrNotFound},
		{"xyz", "", annotations.ErrNotFound},
		{"", "", annotations.ErrNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			got, err := svc.ResolveArticle(tt.prefix)
			if !errors.Is(err, tt.err) {
				t.Fatalf("error = %v, want %v", err, tt.err)
			}
			if tt.err == nil && got.String() != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestCheck_FindsBrokenIndexes(t *testing.T) {
	tests := []struct {
		name   string
		break_ func(tx *bolt.Tx) error
		want   string
	}{
		{"stale tag entry", func(tx *bolt.Tx) error {
			return tx.Bucket(bucketByTag).Put(append([]byte("ghost\x00"), make([]byte, 16)...), nil)
		}, "stale"},
		{"missing article index entry", func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketByArticle).Cursor()
			k, _ := c.First()
			return tx.Bucket(bucketByArticle).Delete(k)
		}, "missing from the article index"},
		{"an index entry that says trashed for a live annotation", func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketByArticle).Cursor()
			k, _ := c.First()
			return tx.Bucket(bucketByArticle).Put(k, []byte{1})
		}, "wrong article index entry"},
		{"text changed behind the hash", func(tx *bolt.Tx) error {
			c := tx.Bucket(bucketTexts).Cursor()
			k, _ := c.First()
			return tx.Bucket(bucketTexts).Put(k, []byte("other"))
		}, "does not match its hash"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "library.db")
			db, err := Open(path, Options{NoAutoBackup: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fill(t, db, 5)
			if p := db.Check(); len(p) != 0 {
				t.Fatalf("sound library: %v", p)
			}
			if err := db.bolt.Update(tt.break_); err != nil {
				t.Fatal(err)
			}
			p := db.Check()
			if len(p) == 0 || !strings.Contains(p[0].Error(), tt.want) {
				t.Errorf("problems = %v, want one about %q", p, tt.want)
			}
		})
	}
}

func TestPutAnnotation_KeepsIndexesInStep(t *testing.T) {
	db, _ := openTest(t, Options{})
	svc, art := fill(t, db, 0)
	a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: 0, End: 4, Tags: []string{"One", "two"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Edit(a.ID, annotations.Change{AddTags: []string{"three"}, RemoveTags: []string{"one"}}); err != nil {
		t.Fatal(err)
	}
	for tag, want := range map[string]int{"one": 0, "TWO": 1, "three": 1} {
		got, _ := svc.Notes(annotations.NotesQuery{Tags: []string{tag}})
		if len(got) != want {
			t.Errorf("tag %q finds %d, want %d", tag, len(got), want)
		}
	}
	// openTest's cleanup runs Check, which fails on any stale entry.
}

func TestRestoreBackup(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "library.db")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	db, err := Open(path, Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	svc, _ := fill(t, db, 30)
	want, _ := svc.Export(annotations.ExportFilter{})
	db.Close()
	now = now.Add(25 * time.Hour)
	db, _ = Open(path, Options{Now: func() time.Time { return now }})
	db.Close()
	backup, _ := NewestBackup(path)

	// A damaged library is refused; the backup brings it back, and the
	// damaged file is kept aside, not deleted.
	overwrite(t, path, 0, 8192)
	damagedBytes := fileBytes(t, path)
	if _, err := Open(path, Options{}); !errors.Is(err, ErrDamaged) {
		t.Fatalf("open: %v", err)
	}
	kept, err := RestoreBackup(path, backup, now)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fileBytes(t, kept), damagedBytes) {
		t.Errorf("the replaced file was not kept as it was")
	}
	db, err = Open(path, Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := annotations.NewService(db).Export(annotations.ExportFilter{})
	if len(got.Annotations) != len(want.Annotations) || len(got.Articles) != 1 {
		t.Errorf("restored library holds %d annotations, want %d", len(got.Annotations), len(want.Annotations))
	}

	// While the library is open, restoring is refused.
	if _, err := RestoreBackup(path, backup, now); !errors.Is(err, ErrLocked) {
		t.Errorf("restoring over an open library: %v", err)
	}
	db.Close()

	// A file that is no library is not a backup.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, []byte("junk"), 0o600)
	before := fileBytes(t, path)
	if _, err := RestoreBackup(path, junk, now); !errors.Is(err, ErrBadBackup) {
		t.Errorf("restoring junk: %v", err)
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Errorf("a refused restore changed the library")
	}
}

// TestMigration_1to2 opens a library written in schema 1 (index values
// empty) and checks that it is upgraded: the counts read from the indexes
// are right and the library passes its check.
func TestMigration_1to2(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	db, err := Open(path, Options{NoAutoBackup: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, art := fill(t, db, 12) // tags t0, t1, t2, four each
	notes, _ := svc.Notes(annotations.NotesQuery{})
	if _, err := svc.Trash(notes[0].ID); err != nil {
		t.Fatal(err)
	}
	// Turn it into a schema 1 file: empty index values, no search index,
	// version 1.
	err = db.bolt.Update(func(tx *bolt.Tx) error {
		for _, name := range search.Buckets {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		for _, name := range [][]byte{bucketByArticle, bucketByTag} {
			b := tx.Bucket(name)
			var keys [][]byte
			b.ForEach(func(k, _ []byte) error { keys = append(keys, append([]byte{}, k...)); return nil })
			for _, k := range keys {
				if err := b.Put(k, nil); err != nil {
					return err
				}
			}
		}
		return tx.Bucket(bucketMeta).Put(keyVersion, []byte("1"))
	})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if p := db.Check(); len(p) > 0 {
		t.Fatalf("check after the upgrade: %v", p)
	}
	svc = annotations.NewService(db)
	list, _ := svc.Articles()
	if len(list) != 1 || list[0].ID != art.ID || list[0].Highlights != 11 {
		t.Errorf("articles after the upgrade: %+v", list)
	}
	tags, _ := svc.Tags()
	want := []annotations.TagCount{{Tag: "t1", Count: 4}, {Tag: "t2", Count: 4}, {Tag: "t0", Count: 3}}
	if fmt.Sprint(tags) != fmt.Sprint(want) {
		t.Errorf("tags after the upgrade: %v, want %v", tags, want)
	}
	// Among the backups (newest first: the daily one may be a second
	// newer when the opening crossed a second), the one before the
	// upgrade.
	if all, _ := Backups(path); !slices.ContainsFunc(all, func(p string) bool { return strings.Contains(p, ".before-v2-") }) {
		t.Errorf("no backup before the upgrade: %v", all)
	}
}

func TestRevisions_PopInPushOrder(t *testing.T) {
	db, _ := openTest(t, Options{})
	svc, art := fill(t, db, 0)
	// A clock that steps back between updates must not change the order.
	times := []time.Time{time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
	n := 0
	svc.Now = func() time.Time { n++; return times[min(n-1, len(times)-1)] }
	for _, text := range []string{"two", "three"} {
		if _, err := svc.UpdateArticle(art.ID, annotations.NewArticle{Format: annotations.FormatText, Text: text}); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"two", strings.Repeat("word and more words. ", 200)} {
		if _, err := svc.UndoUpdate(art.ID); err != nil {
			t.Fatal(err)
		}
		if a, _ := svc.Article(art.ID); strings.TrimSpace(a.Text) != strings.TrimSpace(want) {
			t.Fatalf("undo gave %q, want %q", clipText(a.Text), clipText(want))
		}
	}
}

func clipText(s string) string { return s[:min(len(s), 30)] }

// TestStore_Update_PanicIsInternalNotDamage: a bug in Gloss that panics
// inside a transaction (an index out of range, a nil map) is reported as an
// internal error, not as a damaged library — nobody must be told to replace
// a sound file — and the file is left exactly as it was.
func TestStore_Update_PanicIsInternalNotDamage(t *testing.T) {
	tests := []struct {
		name string
		run  func(db *DB) error
	}{
		{"index out of range in Update", func(db *DB) error {
			return db.Update(func(w annotations.Writer) error {
				if err := w.SetColorLabels(annotations.ColorLabels{annotations.Yellow: "changed"}); err != nil {
					return err
				}
				var s []int
				i := 3
				_ = s[i]
				return nil
			})
		}},
		{"nil map in View", func(db *DB) error {
			return db.View(func(annotations.Reader) error {
				var m map[string]int
				//lint:ignore SA5000 the bug this test plants
				m["x"] = 1
				return nil
			})
		}},
		{"nil pointer in Update", func(db *DB) error {
			return db.Update(func(annotations.Writer) error {
				var a *annotations.Article
				_ = a.Title
				return nil
			})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db, path := openTest(t, Options{NoAutoBackup: true})
			fill(t, db, 3)
			before := fileBytes(t, path)
			err := tt.run(db)
			if err == nil || errors.Is(err, ErrDamaged) || !errors.Is(err, ErrInternal) {
				t.Fatalf("error = %v, want ErrInternal and not ErrDamaged", err)
			}
			if msg := err.Error(); !strings.Contains(msg, "internal error") || !strings.Contains(msg, "was not changed") || strings.Contains(msg, "\n") {
				t.Errorf("message: %q", msg)
			}
			if !bytes.Equal(before, fileBytes(t, path)) {
				t.Errorf("the library file changed")
			}
		})
	}
}

// TestStore_Panic_FromBboltIsDamage: the panics that do mean damage are
// still reported as ErrDamaged: one raised by bbolt's own code, and a
// memory fault on the mapping of a file cut short under the open library.
func TestStore_Panic_FromBboltIsDamage(t *testing.T) {
	tests := []struct {
		name string
		run  func(t *testing.T, db *DB, path string) error
	}{
		{"a panic raised inside bbolt", func(t *testing.T, db *DB, path string) error {
			// bbolt asserts that a managed transaction is not committed
			// by hand: a panic whose first frame is bbolt's.
			return db.updateTx(func(tx *bolt.Tx) error { return tx.Commit() })
		}},
		{"a fault on the mapping of a truncated file", func(t *testing.T, db *DB, path string) error {
			// The meta pages stay (a fault while bbolt begins a
			// transaction leaves its locks held); the data pages go.
			if err := os.Truncate(path, 2*int64(os.Getpagesize())); err != nil {
				t.Fatal(err)
			}
			_, err := annotations.NewService(db).Export(annotations.ExportFilter{})
			return err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "library.db")
			db, err := Open(path, Options{NoAutoBackup: true})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			fill(t, db, 300)
			if err := tt.run(t, db, path); !errors.Is(err, ErrDamaged) {
				t.Fatalf("error = %v, want ErrDamaged", err)
			}
		})
	}
}

// TestAutoBackup_FutureStamp: a backup whose name carries a time in the
// future (written while the clock was wrong, or copied in) neither stops
// the daily backups nor comes first: backups are ordered by when they were
// really made, and the future one is flagged.
func TestAutoBackup_FutureStamp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db, err := Open(path, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, 3)
	db.Close()
	now = now.Add(25 * time.Hour)
	db, err = Open(path, Options{Now: clock}) // the first daily backup
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	first, _ := NewestBackup(path)
	future := filepath.Join(BackupDir(path), "library.db.daily-20991231T000000Z")
	data, _ := os.ReadFile(first)
	os.WriteFile(future, data, 0o600)
	made := now.Add(-72 * time.Hour) // really made three days ago
	os.Chtimes(future, made, made)

	now = now.Add(25 * time.Hour) // a day later: a backup is due
	db, err = Open(path, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	all, err := ListBackups(path, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 3 {
		t.Fatalf("backups: %v", all)
	}
	if want := now.Format(backupStamp); !strings.HasSuffix(all[0].Path, want) || all[0].Future {
		t.Errorf("newest backup %+v, want today's …%s: the future-named one stopped the daily backup", all[0], want)
	}
	if all[1].Path != first || all[2].Path != future || !all[2].Future || all[1].Future {
		t.Errorf("order: %+v", all)
	}
	if newest, _ := NewestBackup(path); newest == future {
		t.Errorf("NewestBackup chose the future-named backup")
	}
}

// TestAutoBackup_RemovesWhatAKilledBackupLeft: the temporary files of
// automatic backups that a kill interrupted are removed at the next
// automatic backup; other files in the folder are left alone.
func TestAutoBackup_RemovesWhatAKilledBackupLeft(t *testing.T) {
	path := filepath.Join(t.TempDir(), "library.db")
	now := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	db, err := Open(path, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, db, 3)
	db.Close()
	dir := BackupDir(path)
	os.MkdirAll(dir, 0o700)
	old := time.Now().Add(-time.Hour)
	files := map[string]bool{ // name → removed
		"library.db.daily-20261031T080000Z.2596996162.tmp":         true, // an earlier version's
		".library.db.daily-20261031T090000Z.gloss-999999999-1.tmp": true, // ours, its process gone
		"library.db.notes.tmp":                                     false,
		"mine.tmp":                                                 false,
		"library.db.daily-20261031T080000Z.bak":                    false,
	}
	for name := range files {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("half"), 0o600)
		os.Chtimes(p, old, old)
	}
	now = now.Add(25 * time.Hour)
	db, err = Open(path, Options{Now: clock})
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	for name, removed := range files {
		_, err := os.Stat(filepath.Join(dir, name))
		if gone := errors.Is(err, os.ErrNotExist); gone != removed {
			t.Errorf("%s: removed %v, want %v", name, gone, removed)
		}
	}
}

// An annotation deleted for good can be made again (an import of an older
// export, another device's sync): it takes back its search document, and
// the indexes stay in step — for one, and for a batch large enough to be
// staged.
func TestPutAnnotations_AfterDeleteForGood(t *testing.T) {
	for _, n := range []int{1, 1500} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			db, _ := openTest(t, Options{NoSync: true})
			svc, art := fill(t, db, 0)
			var made []annotations.Annotation
			for i := range n {
				a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: 2 * i, End: 2*i + 4, Note: "zebra " + strconv.Itoa(i)})
				if err != nil {
					t.Fatal(err)
				}
				made = append(made, a)
			}
			ids := make([]uuid.UUID, len(made))
			for i, a := range made {
				ids[i] = a.ID
			}
			if _, err := svc.SetTrashed(ids, true); err != nil {
				t.Fatal(err)
			}
			if _, err := svc.EmptyTrash(); err != nil {
				t.Fatal(err)
			}
			if err := db.Update(func(w annotations.Writer) error { return w.PutAnnotations(made) }); err != nil {
				t.Fatal(err)
			}
			hits, err := db.Search("zebra", n+10)
			if err != nil {
				t.Fatal(err)
			}
			if len(hits) != n {
				t.Fatalf("search finds %d of the %d made again", len(hits), n)
			}
			// openTest's cleanup runs Check.
		})
	}
}

// Every annotation to the trash and back in one transaction (what a sync
// merging another device's restore, or an import, can do) empties every
// posting list and fills it again: bbolt's Cursor.Last looped for ever on a
// bucket whose leaves were all emptied in the transaction.
func TestPutAnnotations_TrashAndBackInOneTransaction(t *testing.T) {
	db, _ := openTest(t, Options{NoSync: true})
	svc, art := fill(t, db, 0)
	var made []annotations.Annotation
	for i := range 300 {
		a, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: 2 * i, End: 2*i + 4, Note: "zebra " + strconv.Itoa(i), Tags: []string{"reef"}})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, a)
	}
	// Before the fix this never returned (go test's -timeout ends it).
	if err := db.Update(func(w annotations.Writer) error {
		now := time.Now()
		trashed := make([]annotations.Annotation, len(made))
		for i, a := range made {
			a.DeletedAt = &now
			trashed[i] = a
		}
		if err := w.PutAnnotations(trashed); err != nil {
			return err
		}
		return w.PutAnnotations(made)
	}); err != nil {
		t.Fatal(err)
	}
	hits, err := db.Search("zebra", 1000)
	if err != nil || len(hits) != len(made) {
		t.Fatalf("search finds %d of %d: %v", len(hits), len(made), err)
	}
}

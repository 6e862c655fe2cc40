package sync

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"path/filepath"
	"slices"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/storage"
	"github.com/gloss-notes/gloss/sync/remote"
)

// memRemote is a remote in memory, with faults on demand: the tests of
// merging need many devices and many syncs, and faults at exact points.
type memRemote struct {
	mu    gosync.Mutex
	files map[string][]byte
	// failCreate and failRead, when set, fail the call they return an
	// error for (ErrUnreachable, as a dropped connection would).
	failCreate func(path string) error
	failRead   func(path string) error
	creates    int
}

func newMemRemote() *memRemote { return &memRemote{files: map[string][]byte{}} }

func (m *memRemote) String() string { return "memory" }

func (m *memRemote) List(dir string) ([]remote.Entry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	prefix := dir + "/"
	seen := map[string]remote.Entry{}
	for p, data := range m.files {
		rest, ok := strings.CutPrefix(p, prefix)
		if !ok || strings.HasPrefix(rest, ".") {
			continue
		}
		if name, _, deeper := strings.Cut(rest, "/"); deeper {
			seen[name] = remote.Entry{Name: name, Dir: true}
		} else {
			seen[name] = remote.Entry{Name: name, Size: int64(len(data))}
		}
	}
	var out []remote.Entry
	for _, e := range seen {
		out = append(out, e)
	}
	slices.SortFunc(out, func(a, b remote.Entry) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

func (m *memRemote) Read(path string, limit int64) ([]byte, error) {
	m.mu.Lock()
	fail := m.failRead
	m.mu.Unlock()
	if fail != nil {
		if err := fail(path); err != nil {
			return nil, err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	data, ok := m.files[path]
	if !ok {
		return nil, remote.ErrNotFound
	}
	if int64(len(data)) > limit {
		return nil, remote.ErrTooLarge
	}
	return bytes.Clone(data), nil
}

func (m *memRemote) Create(path string, data []byte) error {
	m.mu.Lock()
	fail := m.failCreate
	m.mu.Unlock()
	if fail != nil {
		if err := fail(path); err != nil {
			return err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.files[path]; ok {
		return remote.ErrExists
	}
	m.files[path] = bytes.Clone(data)
	m.creates++
	return nil
}

// put writes a file as another program might (a half-copied segment).
func (m *memRemote) put(path string, data []byte) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[path] = bytes.Clone(data)
}

func (m *memRemote) segments() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for p := range m.files {
		if _, _, ok := ParseSegmentName(path.Base(p)); ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

var errDropped = fmt.Errorf("%w: connection reset (test)", remote.ErrUnreachable)

// device is one library that syncs.
type device struct {
	t    *testing.T
	name string
	db   *storage.DB
	svc  *annotations.Service
	sync *Syncer
	// skew moves this device's wall clock.
	skew time.Duration
}

func newDevice(t *testing.T, rem remote.Remote, name string) *device {
	t.Helper()
	d := &device{t: t, name: name}
	now := func() time.Time { return time.Now().Add(d.skew) }
	db, err := storage.Open(filepath.Join(t.TempDir(), name+".db"), storage.Options{NoAutoBackup: true, NoSync: true, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	d.db, d.svc = db, annotations.NewService(db)
	d.svc.Now = now
	if _, err := Setup(d.svc, rem, "memory", ""); err != nil {
		t.Fatal(err)
	}
	if d.sync, err = New(d.svc, rem); err != nil {
		t.Fatal(err)
	}
	d.sync.Now = now
	return d
}

func (d *device) mustSync() Report {
	d.t.Helper()
	rep, err := d.sync.Sync(nil)
	if err != nil {
		d.t.Fatalf("%s: sync: %v", d.name, err)
	}
	return rep
}

func (d *device) addArticle(title, text string) uuid.UUID {
	d.t.Helper()
	a, _, err := d.svc.AddArticle(annotations.NewArticle{Title: title, Format: annotations.FormatText, Text: text})
	if err != nil {
		d.t.Fatal(err)
	}
	return a.ID
}

func (d *device) highlight(article uuid.UUID, quote, note string) uuid.UUID {
	d.t.Helper()
	a, err := d.svc.Highlight(annotations.HighlightRequest{ArticleID: article, Quote: quote, Note: note, Color: annotations.DefaultColor})
	if err != nil {
		d.t.Fatalf("%s: highlight %q: %v", d.name, quote, err)
	}
	return a.ID
}

func (d *device) note(id uuid.UUID) string {
	d.t.Helper()
	a, err := d.svc.Annotation(id)
	if err != nil {
		d.t.Fatalf("%s: %v", d.name, err)
	}
	return a.Note
}

// export is the library as JSON, for comparing devices.
func (d *device) export() string {
	d.t.Helper()
	b, err := d.svc.Export(annotations.ExportFilter{})
	if err != nil {
		d.t.Fatal(err)
	}
	raw, err := json.MarshalIndent(b, "", " ")
	if err != nil {
		d.t.Fatal(err)
	}
	labels, err := d.svc.ColorLabels()
	if err != nil {
		d.t.Fatal(err)
	}
	rawLabels, _ := json.Marshal(labels)
	return string(raw) + "\n" + string(rawLabels)
}

func (d *device) check() {
	d.t.Helper()
	if problems := d.db.Check(); len(problems) > 0 {
		d.t.Fatalf("%s: gloss check: %v", d.name, errors.Join(problems...))
	}
}

// converged syncs every device until a round changes nothing, then checks
// that all hold the same library and pass the library check.
func converged(t *testing.T, devices ...*device) {
	t.Helper()
	for round := 0; ; round++ {
		if round > 2*len(devices)+2 {
			t.Fatalf("no convergence after %d rounds", round)
		}
		moved := 0
		for _, d := range devices {
			rep := d.mustSync()
			if len(rep.Problems) > 0 {
				t.Fatalf("%s: problems: %v", d.name, rep.Problems)
			}
			moved += rep.Sent + rep.Applied
		}
		if moved == 0 {
			break
		}
	}
	want := devices[0].export()
	for _, d := range devices {
		d.check()
		if got := d.export(); got != want {
			t.Fatalf("%s differs from %s:\n%s", d.name, devices[0].name, firstDifference(want, got))
		}
	}
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			lo := max(i-3, 0)
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+1, strings.Join(al[lo:min(i+2, len(al))], "\n- "), strings.Join(bl[lo:min(i+2, len(bl))], "\n+ "))
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

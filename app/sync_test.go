package app

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
)

// fakeSyncer stands for package sync's Controller: it records what the
// window asks of it. Sync waits for a value on gate when gate is not nil.
type fakeSyncer struct {
	mu         sync.Mutex
	remote     string
	setups     [][3]string
	syncs      int
	running    int
	maxRunning int
	goroutines []uint64
	summary    string
	offline    bool
	err        error
	gate       chan struct{}
}

func (f *fakeSyncer) Remote() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.remote, nil
}

func (f *fakeSyncer) Setup(remote, user, password string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.setups = append(f.setups, [3]string{remote, user, password})
	f.remote = remote
	return "This library syncs with " + remote + ".", nil
}

func (f *fakeSyncer) Sync(progress func(string)) (string, bool, error) {
	f.mu.Lock()
	f.syncs++
	f.running++
	f.maxRunning = max(f.maxRunning, f.running)
	f.goroutines = append(f.goroutines, goroutineID())
	gate, summary, offline, err := f.gate, f.summary, f.offline, f.err
	f.mu.Unlock()
	progress("sending changes")
	if gate != nil {
		<-gate
	}
	f.mu.Lock()
	f.running--
	f.mu.Unlock()
	return summary, offline, err
}

func (f *fakeSyncer) Status() (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.remote == "" {
		return "This library does not sync.", nil
	}
	return "Syncs with " + f.remote + ".\nNever synced; 0 changes to send.", nil
}

// count returns how many syncs ran and the most that ran at once.
func (f *fakeSyncer) count() (syncs, maxRunning int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.syncs, f.maxRunning
}

// uiLoop stands for the window's event loop in the sync tests: fyne.Do
// and the timers post to it, and only the test goroutine runs what it
// holds, as only the UI goroutine would.
type uiLoop chan func()

// until runs what the loop gets until cond holds, failing after a
// generous deadline.
func (l uiLoop) until(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case fn := <-l:
			fn()
		case <-deadline:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// runFor runs what the loop gets for d.
func (l uiLoop) runFor(d time.Duration) {
	end := time.After(d)
	for {
		select {
		case fn := <-l:
			fn()
		case <-end:
			return
		}
	}
}

// newSyncTestUI returns a window with sync, whose background work runs in
// goroutines and whose timers are real, all reporting to the loop.
func newSyncTestUI(t *testing.T, f *fakeSyncer) (*ui, *annotations.Service, uiLoop) {
	t.Helper()
	u, svc := newTestUI(t)
	loop := make(uiLoop, 1024)
	u.background = func(fn func()) { go fn() }
	u.schedule = func(d time.Duration, fn func()) func() {
		tm := time.AfterFunc(d, func() { loop <- fn })
		return func() { tm.Stop() }
	}
	u.do = func(fn func()) { loop <- fn }
	u.sync.attach(f)
	return u, svc, loop
}

// syncDialogParts finds the Sync dialog's fields (by placeholder) and
// buttons (by text).
func syncDialogParts(t *testing.T, u *ui) (map[string]*escEntry, map[string]*widget.Button, string) {
	t.Helper()
	top := u.win.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog open")
	}
	entries := map[string]*escEntry{}
	buttons := map[string]*widget.Button{}
	var text []string
	walkObjects(top, func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *escEntry:
			entries[x.PlaceHolder] = x
		case *widget.Button:
			buttons[x.Text] = x
		case *widget.Label:
			text = append(text, x.Text)
		}
	})
	return entries, buttons, strings.Join(text, "\n")
}

// menuItem finds a main-menu item by its label.
func menuItem(t *testing.T, u *ui, label string) *fyne.MenuItem {
	t.Helper()
	for _, m := range u.menu.main.Items {
		for _, it := range m.Items {
			if it.Label == label {
				return it
			}
		}
	}
	t.Fatalf("no menu item %q", label)
	return nil
}

func TestSync_NoSyncerNoSyncInTheWindow(t *testing.T) {
	u, _ := newTestUI(t)
	if u.sync.button.Visible() {
		t.Errorf("the sync button shows in a window without sync")
	}
	for _, m := range u.menu.main.Items {
		for _, it := range m.Items {
			if strings.HasPrefix(it.Label, "Sync") {
				t.Errorf("menu item %q in a window without sync", it.Label)
			}
		}
	}
}

func TestSync_Dialog_SavesTheAuthorAndSetsUp(t *testing.T) {
	f := &fakeSyncer{}
	u, svc, loop := newSyncTestUI(t, f)
	if !u.sync.button.Visible() || u.sync.button.tip != "Set up sync… (Ctrl+Shift+S)" {
		t.Errorf("button visible %v, tip %q", u.sync.button.Visible(), u.sync.button.tip)
	}
	// Not set up: the button opens the dialog instead of syncing.
	test.Tap(u.sync.button)
	_, buttons, text := syncDialogParts(t, u)
	if !strings.Contains(text, "This library does not sync.") {
		t.Errorf("the dialog does not show the sync's status:\n%s", text)
	}
	// Sync now with no remote: an error over the dialog, no sync.
	test.Tap(buttons["Sync now"])
	if n, _ := f.count(); len(u.dialogs.open) != 2 || n != 0 {
		t.Errorf("Sync now with no remote: %d dialogs open, %d syncs", len(u.dialogs.open), n)
	}
	u.dismissTop()
	u.dismissTop()
	if err := svc.SetAuthor("Ada"); err != nil {
		t.Fatal(err)
	}

	menuItem(t, u, "Sync…").Action()
	entries, buttons, _ := syncDialogParts(t, u)
	author, remote := entries["stamped on the highlights you make"], entries["a folder, or https://host/path (WebDAV)"]
	user, password := entries["for a WebDAV server"], entries["empty keeps the stored one"]
	if author == nil || remote == nil || user == nil || password == nil || buttons["Save"] == nil || buttons["Sync now"] == nil {
		t.Fatalf("the dialog lacks a field or a button: %v %v", entries, buttons)
	}
	if author.Text != "Ada" || !password.Password {
		t.Errorf("author %q (want the stored name), password hidden %v", author.Text, password.Password)
	}
	author.SetText("Ada Lovelace")
	test.Type(remote, "/srv/shared/gloss")
	test.Type(user, "ada")
	test.Tap(buttons["Save"])
	loop.until(t, "the setup to finish", func() bool { return len(u.dialogs.open) == 0 })

	if name, _ := svc.Author(); name != "Ada Lovelace" {
		t.Errorf("author = %q", name)
	}
	if want := [][3]string{{"/srv/shared/gloss", "ada", ""}}; len(f.setups) != 1 || f.setups[0] != want[0] {
		t.Errorf("Setup calls = %q, want %q", f.setups, want)
	}
	if s := u.status.Text; !strings.Contains(s, "Ada Lovelace") || !strings.Contains(s, "This library syncs with /srv/shared/gloss.") {
		t.Errorf("status = %q", s)
	}
	if u.sync.button.tip != "Sync (Ctrl+Shift+S)" {
		t.Errorf("tip after setup = %q", u.sync.button.tip)
	}
	// The first sync follows a moment later.
	u.sync.delay = time.Millisecond
	u.sync.soon()
	loop.until(t, "the first sync", func() bool { n, _ := f.count(); return n == 1 })

	// Saved again unchanged: no second Setup. A password typed: Setup
	// again, with it.
	menuItem(t, u, "Sync…").Action()
	_, buttons, _ = syncDialogParts(t, u)
	test.Tap(buttons["Save"])
	if len(u.dialogs.open) != 0 || len(f.setups) != 1 {
		t.Errorf("an unchanged Save: %d dialogs open, %d Setup calls", len(u.dialogs.open), len(f.setups))
	}
	menuItem(t, u, "Sync…").Action()
	entries, buttons, _ = syncDialogParts(t, u)
	test.Type(entries["empty keeps the stored one"], "secret")
	test.Tap(buttons["Save"])
	loop.until(t, "the second setup", func() bool { return len(u.dialogs.open) == 0 })
	if len(f.setups) != 2 || f.setups[1][2] != "secret" {
		t.Errorf("Setup calls = %q", f.setups)
	}
}

func TestSync_Dialog_BadAuthorKeepsTheDialog(t *testing.T) {
	f := &fakeSyncer{remote: "/srv/g"}
	u, svc, _ := newSyncTestUI(t, f)
	u.sync.onDialog()
	entries, buttons, _ := syncDialogParts(t, u)
	entries["stamped on the highlights you make"].SetText(strings.Repeat("x", annotations.MaxAuthorName+1))
	test.Tap(buttons["Save"])
	if len(u.dialogs.open) != 2 {
		t.Errorf("%d dialogs open after a name too long, want the Sync dialog and an error", len(u.dialogs.open))
	}
	if name, _ := svc.Author(); name != "" {
		t.Errorf("author = %q", name)
	}
}

func TestSync_ButtonSyncsOffTheUIGoroutine(t *testing.T) {
	f := &fakeSyncer{remote: "/srv/g", summary: "sent 2 changes, merged 0 changes from 0 segments", gate: make(chan struct{}, 2)}
	u, _, loop := newSyncTestUI(t, f)
	test.Tap(u.sync.button)
	loop.until(t, "the progress", func() bool { return u.status.Text == "Syncing: sending changes…" })
	if !u.sync.button.Disabled() {
		t.Errorf("the button is enabled while a sync runs")
	}
	// Asked again meanwhile (the shortcut): run after, not beside.
	menuItem(t, u, "Sync now").Action()
	f.gate <- struct{}{}
	f.gate <- struct{}{}
	loop.until(t, "two syncs", func() bool { n, _ := f.count(); return n == 2 && !u.sync.running })
	if _, most := f.count(); most != 1 {
		t.Errorf("%d syncs ran at once", most)
	}
	for _, g := range f.goroutines {
		if g == u.uiGoroutine {
			t.Errorf("Sync ran on the UI goroutine")
		}
	}
	if want := "Synced: sent 2 changes, merged 0 changes from 0 segments."; u.status.Text != want {
		t.Errorf("status = %q, want %q", u.status.Text, want)
	}
	if u.sync.button.Disabled() {
		t.Errorf("the button stays disabled")
	}
}

func TestSync_Results(t *testing.T) {
	tests := []struct {
		name       string
		offline    bool
		err        error
		user       bool
		wantStatus string
		wantDialog bool
	}{
		{"offline, asked", true, errors.New("sync with /srv/g: unreachable"), true, offlineMessage + " (sync with /srv/g: unreachable)", false},
		{"offline, automatic", true, errors.New("unreachable"), false, offlineMessage + " (unreachable)", false},
		{"error, asked", false, errors.New("a segment\nis bad"), true, "Sync failed: a segment is bad", true},
		{"error, automatic", false, errors.New("a segment is bad"), false, "Sync failed: a segment is bad", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeSyncer{remote: "/srv/g", offline: tt.offline, err: tt.err}
			u, _, loop := newSyncTestUI(t, f)
			u.sync.request(tt.user)
			loop.until(t, "the sync", func() bool { n, _ := f.count(); return n == 1 && !u.sync.running })
			if u.status.Text != tt.wantStatus {
				t.Errorf("status = %q, want %q", u.status.Text, tt.wantStatus)
			}
			if got := len(u.dialogs.open) > 0; got != tt.wantDialog {
				t.Errorf("error dialog shown %v, want %v", got, tt.wantDialog)
			}
		})
	}
}

func TestSync_ChangesSyncOnceAfterAPause(t *testing.T) {
	f := &fakeSyncer{remote: "/srv/g", summary: "sent 6 changes"}
	u, svc, loop := newSyncTestUI(t, f)
	u.sync.delay = 20 * time.Millisecond
	art := addArticle(t, u, talks)
	for i := range 5 {
		if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: art.ID, Start: i * 10, End: i*10 + 5, Color: annotations.Yellow}); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := f.count(); n != 0 {
		t.Fatalf("%d syncs before the pause", n)
	}
	loop.until(t, "the sync after the changes", func() bool { n, _ := f.count(); return n == 1 && !u.sync.running })
	loop.runFor(5 * u.sync.delay) // time for a second one, which must not come
	if n, _ := f.count(); n != 1 {
		t.Errorf("%d syncs after a burst of changes, want 1", n)
	}
	if u.status.Text != "Synced: sent 6 changes." {
		t.Errorf("status = %q", u.status.Text)
	}
}

func TestSync_MergedChangesAreNotSyncedBack(t *testing.T) {
	f := &fakeSyncer{remote: "/srv/g"}
	u, svc, loop := newSyncTestUI(t, f)
	u.sync.delay = time.Millisecond
	var ops []annotations.Op
	u.subscribe(func(ev annotations.Event) { ops = append(ops, ev.Op) })
	// What a sync's merge publishes: a Bulk OpSync event.
	if err := svc.Replicate(func(annotations.ReplicaWriter) (bool, error) { return true, nil }); err != nil {
		t.Fatal(err)
	}
	if len(ops) != 1 || ops[0] != annotations.OpSync {
		t.Fatalf("events = %v, want one %s", ops, annotations.OpSync)
	}
	if u.sync.stopSoon != nil {
		t.Errorf("a merge scheduled a sync")
	}
	loop.runFor(20 * u.sync.delay)
	if n, _ := f.count(); n != 0 {
		t.Errorf("%d syncs after a merge, want none", n)
	}
}

func TestSync_NotSetUpNoAutomaticSync(t *testing.T) {
	f := &fakeSyncer{}
	u, svc, loop := newSyncTestUI(t, f)
	u.sync.delay = time.Millisecond
	u.sync.start()
	if _, _, err := svc.AddArticle(annotations.NewArticle{Title: "T", Format: annotations.FormatText, Text: talks}); err != nil {
		t.Fatal(err)
	}
	loop.runFor(20 * u.sync.delay)
	if n, _ := f.count(); n != 0 {
		t.Errorf("%d syncs of a library that does not sync", n)
	}
}

func TestSync_StartAndEveryFewMinutes(t *testing.T) {
	f := &fakeSyncer{remote: "/srv/g"}
	u, _, loop := newSyncTestUI(t, f)
	u.sync.every = 5 * time.Millisecond
	u.sync.start()
	loop.until(t, "three syncs", func() bool { n, _ := f.count(); return n >= 3 })
	u.close() // the window goes: no more syncs
	loop.until(t, "the last sync to end", func() bool { return !u.sync.running })
	n, _ := f.count()
	loop.runFor(10 * u.sync.every)
	if m, _ := f.count(); m != n {
		t.Errorf("%d syncs after the window closed", m-n)
	}
}

// An article open in the window that a sync deletes for good (emptied from
// the trash on another device) is closed, with a word in the status line,
// not an error.
func TestSync_OpenArticleDeletedByASync(t *testing.T) {
	u, svc := newTestUI(t)
	art, _, err := svc.AddArticle(annotations.NewArticle{Title: "Talks", Format: annotations.FormatText, Text: "Talks resumed in Geneva."})
	if err != nil {
		t.Fatal(err)
	}
	u.openArticle(art.ID)
	if u.article == nil || u.article.ID != art.ID {
		t.Fatal("the article did not open")
	}
	if err := svc.Replicate(func(w annotations.ReplicaWriter) (bool, error) {
		remote := w.Remote()
		a, err := w.Article(art.ID)
		if err != nil {
			return false, err
		}
		now := time.Now()
		a.DeletedAt = &now
		if err := remote.PutArticle(a); err != nil {
			return false, err
		}
		return true, remote.DeleteArticle(art.ID)
	}); err != nil {
		t.Fatal(err)
	}
	if u.article != nil {
		t.Fatalf("the deleted article is still open: %s", u.article.Title)
	}
	if !strings.Contains(u.status.Text, "no longer in the library") {
		t.Fatalf("status %q", u.status.Text)
	}
}

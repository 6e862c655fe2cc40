package app

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
)

// Syncer is what the window needs of sync; main hands over package sync's Controller.
type Syncer interface {
	// Remote returns where the library syncs, "" when it does not.
	Remote() (string, error)
	// Setup joins the library to a remote (a folder path or https://host/path); a password, when given, goes to the system keyring (never the library). It returns a sentence for the status line.
	Setup(remote, user, password string) (string, error)
	// Sync syncs once and returns a one-line summary; offline is set when the remote could not be reached (changes wait, nothing is lost).
	Sync(progress func(string)) (summary string, offline bool, err error)
	// Status returns what the library knows of its sync, in a few lines.
	Status() (string, error)
}

// How often the window syncs by itself, when the library syncs.
const (
	// syncAfterChange is the pause after the last change before a sync
	// sends it.
	syncAfterChange = 5 * time.Second
	// syncEvery is the interval of the syncs that fetch other devices'
	// changes while nothing changes here.
	syncEvery = 5 * time.Minute
	// syncWaitAtQuit is how long quitting waits for a sync under way
	// before the library is closed under it.
	syncWaitAtQuit = 10 * time.Second
)

// offlineMessage is the status line after a sync that found the remote
// out of reach.
const offlineMessage = "Offline: changes are kept and sent at the next sync"

// syncPanel is sync in the window: the toolbar button, the File menu's
// items, the Sync dialog, and the syncs it runs by itself (at start, a
// while after a change, and every few minutes). Without a Syncer (tests,
// a build without sync) it shows nothing and does nothing.
//
// Its state belongs to the UI goroutine; a sync runs in the background,
// one at a time: a sync asked for while one runs is run after it.
type syncPanel struct {
	u      *ui
	syncer Syncer
	button *toolButton
	items  []*fyne.MenuItem

	// remote is where the library syncs ("" when it does not), as the
	// syncer last said.
	remote string
	// running is set while a sync runs; again when another was asked for
	// meanwhile, againUser when the reader asked for it.
	running, again, againUser bool
	// finished is closed when the running sync's Sync call returned.
	finished chan struct{}
	closed   bool

	// delay is the pause after a change before the sync (a field, so
	// tests shorten it); every the interval of the periodic sync.
	delay, every time.Duration
	// pending counts the changes asked to be synced: a scheduled sync
	// runs only if no change came after it was scheduled (a timer that
	// fired as it was stopped is harmless).
	pending  int
	stopSoon func()
	stopTick func()
}

func newSyncPanel(u *ui) *syncPanel {
	p := &syncPanel{u: u, delay: syncAfterChange, every: syncEvery}
	p.button = newToolButton(theme.ViewRefreshIcon(), "Sync (Ctrl+Shift+S)", u.tips, p.onSyncButton)
	p.button.Hide()
	return p
}

// attach gives the window its sync: the button shows, the File menu gets
// its items, and changes to the library are synced a moment after.
// Automatic syncs begin with start.
func (p *syncPanel) attach(s Syncer) {
	if s == nil {
		return
	}
	p.syncer = s
	p.remote, _ = s.Remote()
	p.showTip()
	p.button.Show()
	now := fyne.NewMenuItem("Sync now", p.u.guard(syncShortcut, p.onSyncButton))
	now.Shortcut = syncShortcut
	p.items = []*fyne.MenuItem{now, fyne.NewMenuItem("Sync…", p.u.guard(nil, p.onDialog))}
	p.u.menu.addSync(p.items...)
	p.u.subscribe(p.onLibraryChanged)
	p.u.cancels = append(p.u.cancels, p.close)
}

// syncShortcut syncs now (File ▸ Sync now, the toolbar's button).
var syncShortcut = &desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift}

// start begins the automatic syncs, once the window shows: one now, then
// one every few minutes.
func (p *syncPanel) start() {
	if p.syncer == nil || p.remote == "" {
		return
	}
	p.request(false)
	p.tick()
}

// close stops the automatic syncs (the window is going).
func (p *syncPanel) close() {
	p.closed = true
	p.cancelSoon()
	if p.stopTick != nil {
		p.stopTick()
		p.stopTick = nil
	}
}

// wait waits, at most d, for a sync under way to end, so that the
// library is not closed under it.
func (p *syncPanel) wait(d time.Duration) {
	if p.finished == nil {
		return
	}
	select {
	case <-p.finished:
	case <-time.After(d):
	}
}

// showTip names what the button does now.
func (p *syncPanel) showTip() {
	if p.remote == "" {
		p.button.tip = "Set up sync… (Ctrl+Shift+S)"
	} else {
		p.button.tip = "Sync (Ctrl+Shift+S)"
	}
}

// onSyncButton syncs now, or opens the Sync dialog when the library does
// not sync yet.
func (p *syncPanel) onSyncButton() {
	if p.remote == "" {
		p.onDialog()
		return
	}
	p.request(true)
}

// onLibraryChanged syncs a moment after the last change. The changes a
// sync merges (OpSync) are not synced back.
func (p *syncPanel) onLibraryChanged(ev annotations.Event) {
	if ev.Op == annotations.OpSync || p.remote == "" || p.closed {
		return
	}
	p.soon()
}

// soon syncs after delay, unless another change comes first.
func (p *syncPanel) soon() {
	p.cancelSoon()
	p.pending++
	n := p.pending
	p.stopSoon = p.u.schedule(p.delay, func() {
		if n == p.pending && !p.closed {
			p.stopSoon = nil
			p.request(false)
		}
	})
}

func (p *syncPanel) cancelSoon() {
	p.pending++ // a timer already fired does nothing
	if p.stopSoon != nil {
		p.stopSoon()
		p.stopSoon = nil
	}
}

// tick syncs every few minutes.
func (p *syncPanel) tick() {
	if p.stopTick != nil {
		p.stopTick()
	}
	p.stopTick = p.u.schedule(p.every, func() {
		if p.closed {
			return
		}
		p.request(false)
		p.tick()
	})
}

// request runs a sync in the background, or after the one running. user
// is set when the reader asked for it: its error is then shown in a
// dialog, not only in the status line.
func (p *syncPanel) request(user bool) {
	if p.syncer == nil || p.closed || p.remote == "" {
		return
	}
	if p.running {
		p.again = true
		p.againUser = p.againUser || user
		return
	}
	p.cancelSoon() // this sync sends the changes made until now
	p.running = true
	p.button.Disable()
	p.u.setStatus("Syncing…")
	finished := make(chan struct{})
	p.finished = finished
	s := p.syncer
	p.u.background(func() {
		summary, offline, err := s.Sync(func(step string) {
			p.u.do(func() { p.onProgress(step) })
		})
		close(finished)
		p.u.do(func() { p.onSynced(user, summary, offline, err) })
	})
}

// onProgress shows what the running sync does.
func (p *syncPanel) onProgress(step string) {
	if p.running && step != "" {
		p.u.setStatus("Syncing: " + oneLine(step) + "…")
	}
}

// onSynced shows how a sync ended, and runs the one asked for meanwhile.
func (p *syncPanel) onSynced(user bool, summary string, offline bool, err error) {
	p.running = false
	p.button.Enable()
	switch {
	case offline:
		msg := offlineMessage
		if err != nil {
			msg += " (" + oneLine(err.Error()) + ")"
		}
		p.u.setStatus(msg)
	case err != nil:
		p.u.setStatus("Sync failed: " + oneLine(err.Error()))
		if user {
			p.u.showError(err)
		}
	default:
		p.u.setStatus("Synced: " + oneLine(summary) + ".")
	}
	if p.again {
		again := p.againUser
		p.again, p.againUser = false, false
		p.request(again)
	}
}

// syncDialog is the Sync dialog: the reader's name on their highlights,
// where the library syncs, and what it knows of its sync.
type syncDialog struct {
	p        *syncPanel
	d        *dialog.CustomDialog
	author   *escEntry
	remote   *escEntry
	user     *escEntry
	password *escEntry
	status   *widget.Label
	note     *widget.Label
	save     *widget.Button
	syncNow  *widget.Button
	// authorWas is the name the dialog opened with.
	authorWas string
}

// onDialog opens the Sync dialog (File ▸ Sync…).
func (p *syncPanel) onDialog() {
	if p.syncer == nil {
		return
	}
	p.remote, _ = p.syncer.Remote()
	sd := &syncDialog{p: p}
	dismiss := func() { sd.d.Hide() }
	sd.author = newEscEntry(dismiss)
	sd.author.SetPlaceHolder("stamped on the highlights you make")
	if name, err := p.u.svc.Author(); err == nil {
		sd.author.SetText(name)
		sd.authorWas = name
	}
	sd.remote = newEscEntry(dismiss)
	sd.remote.SetPlaceHolder("a folder, or https://host/path (WebDAV)")
	sd.remote.SetText(p.remote)
	sd.user = newEscEntry(dismiss)
	sd.user.SetPlaceHolder("for a WebDAV server")
	sd.password = newEscEntry(dismiss)
	sd.password.Password = true
	sd.password.SetPlaceHolder("empty keeps the stored one")
	for _, e := range []*escEntry{sd.author, sd.remote, sd.user, sd.password} {
		e.OnSubmitted = func(string) { sd.onSave() }
	}
	status, err := p.syncer.Status()
	if err != nil {
		status = "The sync's state cannot be read: " + oneLine(err.Error())
	}
	sd.status = widget.NewLabel(status)
	sd.status.Wrapping = fyne.TextWrapWord
	sd.status.Importance = widget.LowImportance
	sd.note = widget.NewLabel("")
	sd.note.Wrapping = fyne.TextWrapWord
	sd.note.Hide()
	form := widget.NewForm(
		widget.NewFormItem("Your name (on your highlights)", sd.author),
		widget.NewFormItem("Remote", sd.remote),
		widget.NewFormItem("User", sd.user),
		widget.NewFormItem("Password", sd.password),
	)
	sd.save = widget.NewButton("Save", sd.onSave)
	sd.save.Importance = widget.HighImportance
	sd.syncNow = widget.NewButton("Sync now", sd.onSyncNow)
	sd.d = dialog.NewCustomWithoutButtons("Sync", container.NewVBox(form, widget.NewSeparator(), sd.status, sd.note), p.u.win)
	sd.d.SetButtons([]fyne.CanvasObject{widget.NewButton("Close", dismiss), sd.syncNow, sd.save})
	sd.d.Resize(fyne.NewSize(600, 0))
	p.u.show(sd.d, true)
	if p.remote == "" {
		p.u.win.Canvas().Focus(sd.remote)
	} else {
		p.u.win.Canvas().Focus(sd.author)
	}
}

// onSave keeps the name and, when the remote changed or a password was
// typed, joins the library to the remote; the dialog then closes.
func (sd *syncDialog) onSave() { sd.apply(nil) }

// onSyncNow saves what was changed, then syncs.
func (sd *syncDialog) onSyncNow() {
	sd.apply(func() { sd.p.request(true) })
}

// apply saves the dialog's fields and closes it, then runs then (when
// not nil). Errors show in a dialog over it and leave it open.
func (sd *syncDialog) apply(then func()) {
	p, u := sd.p, sd.p.u
	var said []string
	if name := strings.TrimSpace(sd.author.Text); name != strings.TrimSpace(sd.authorWas) {
		if err := u.svc.SetAuthor(name); err != nil {
			u.showError(err)
			return
		}
		sd.authorWas = name
		if name == "" {
			said = append(said, "Your new highlights carry no name.")
		} else {
			said = append(said, fmt.Sprintf("Your new highlights carry the name %s.", name))
		}
	}
	remote := strings.TrimSpace(sd.remote.Text)
	user, password := strings.TrimSpace(sd.user.Text), sd.password.Text
	switch {
	case remote == "" && p.remote != "":
		u.showError(errors.New("a library that syncs keeps its remote: give a folder, or an https:// address"))
		return
	case remote == "" && (then != nil || password != ""):
		u.showError(errors.New("give a folder, or an https:// address, to sync with"))
		return
	}
	if remote == p.remote && password == "" {
		if len(said) > 0 {
			u.setStatus(strings.Join(said, " "))
		}
		sd.d.Hide()
		if then != nil {
			then()
		}
		return
	}
	// Joining a remote reads it (a server may be slow): off the UI
	// goroutine, with the dialog waiting.
	sd.busy(true, "Connecting to "+clip(remote, 60)+"…")
	s := p.syncer
	u.background(func() {
		msg, err := s.Setup(remote, user, password)
		p.u.do(func() {
			sd.busy(false, "")
			if err != nil {
				u.showError(err)
				return
			}
			p.remote, _ = s.Remote()
			if p.remote == "" {
				p.remote = remote
			}
			p.showTip()
			u.setStatus(strings.Join(append(said, msg), " "))
			sd.d.Hide()
			if p.closed {
				return
			}
			p.tick()
			if then != nil {
				then()
			} else {
				p.soon() // the library's first sync, a moment later
			}
		})
	})
}

// busy disables the dialog's buttons while the remote is joined.
func (sd *syncDialog) busy(on bool, note string) {
	for _, b := range []*widget.Button{sd.save, sd.syncNow} {
		if on {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	sd.note.SetText(note)
	if note == "" {
		sd.note.Hide()
	} else {
		sd.note.Show()
	}
}

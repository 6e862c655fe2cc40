// Package app is Gloss's window: the library list, the article view with its
// highlights, the annotation cards and the note editor, built with Fyne on
// the annotations service. It never touches storage: main hands it a
// function that opens the library.
//
// Every screen part is a struct holding its widgets, with onXxx methods as
// callbacks; UI updates from other goroutines go through fyne.Do.
package app

import (
	"errors"
	"io"
	"os"
	"runtime/debug"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/annotations"
	_ "github.com/gloss-notes/gloss/app/localeenv" // before Fyne reads the locale
	"github.com/gloss-notes/gloss/assets"
)

// ID is the app's identifier (also in FyneApp.toml); Fyne keys the
// preferences by it.
const ID = "io.github.gloss_notes.gloss"

// Preference keys.
const (
	prefWidth       = "window.width"
	prefHeight      = "window.height"
	prefLastArticle = "article.last"
	prefRecent      = "files.recent"
	prefWelcomed    = "welcome.shown"
)

// Config is what the window needs from main.
type Config struct {
	// Open opens the library and returns the service on it, what searches
	// it, and what closes it. Its error (the library is locked by another
	// process, damaged, …) is shown in a dialog.
	Open func() (*annotations.Service, Searcher, io.Closer, error)
	// Library is the library file's path, for messages.
	Library string
	// Article is the ID (or a unique prefix) of the article to open; ""
	// opens the one read last.
	Article string
	// WriteFile writes an export to path whole or not at all, refusing the
	// library and its backups (main gives storage/outfile's Write); nil
	// writes plainly, for tests.
	WriteFile func(path string, write func(io.Writer) error) error
	// Backup, when not nil, is asked after Open failed with err whether a
	// backup can help (the library is damaged and a backup exists). It
	// returns the backup's name and a function that puts it in the
	// library's place, or "" and nil.
	Backup func(err error) (name string, restore func() error)
	// Sync, when not nil, returns the sync of the library svc works on
	// (main gives package sync's Controller): the window then offers it
	// (File ▸ Sync…, a toolbar button) and syncs by itself. nil: no sync
	// in the window (tests).
	Sync func(svc *annotations.Service) Syncer
}

// Run opens the window and returns when it is closed. With no display to
// open it on, it returns ErrNoDisplay at once, before Fyne starts (GLFW
// would panic) and before the library is opened.
func Run(cfg Config) error {
	if err := hasDisplay(); err != nil {
		return err
	}
	// The window holds large things for a long time (a PDF's pages and
	// layout, rendered images): the collector runs when the heap has
	// grown by half, not doubled, so a 300-page PDF stays within 400 MB
	// (measured: 480 MB with Go's default). GOGC, when set, decides.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(50)
	}
	a := fyneapp.NewWithID(ID)
	a.Settings().SetTheme(appTheme)
	a.SetIcon(assets.Icon)
	w := a.NewWindow("Gloss")
	w.SetIcon(assets.Icon)
	prefs := a.Preferences()
	size := fyne.NewSize(
		float32(prefs.FloatWithFallback(prefWidth, 1280)),
		float32(prefs.FloatWithFallback(prefHeight, 800)))
	w.Resize(size)
	// The sync's automatic syncs begin once the window shows.
	var shown bool
	var syncs *syncPanel
	// The remembered size may not fit this screen (another monitor, another
	// FYNE_SCALE): once the driver runs, the window is fitted to it.
	a.Lifecycle().SetOnStarted(func() {
		shown = true
		if syncs != nil {
			syncs.start()
		}
		sw, sh, ok := screenPixels()
		if !ok {
			return
		}
		if fit := fitScreen(size, w.Canvas().Scale(), sw, sh); fit != size {
			w.Resize(fit)
		}
	})

	var closer io.Closer
	var open func()
	open = func() {
		svc, finder, c, err := cfg.Open()
		if err != nil {
			showFatal(a, w, err, cfg.Backup, open)
			return
		}
		closer = c
		u := newUI(a, w, svc, finder)
		if cfg.WriteFile != nil {
			u.writeFile = cfg.WriteFile
		}
		u.start(cfg.Article)
		if cfg.Sync != nil {
			syncs = u.sync
			syncs.attach(cfg.Sync(svc))
			if shown { // opened again after a backup was restored
				syncs.start()
			}
		}
	}
	open()
	w.ShowAndRun()
	if syncs != nil {
		syncs.wait(syncWaitAtQuit)
	}
	if closer != nil {
		return closer.Close()
	}
	return nil
}

// showFatal fills the window with a message that the library cannot be
// used and a dialog saying why. When a backup can help, the dialog offers
// to put it back, and then retry opens the library again.
func showFatal(a fyne.App, w fyne.Window, err error, backup func(error) (string, func() error), retry func()) {
	msg := widget.NewLabel("Gloss cannot open its library.\n\n" + err.Error())
	msg.Wrapping = fyne.TextWrapWord
	quit := widget.NewButton("Quit", a.Quit)
	w.SetContent(container.NewPadded(container.NewBorder(nil, container.NewHBox(quit), nil, nil, msg)))
	name, restore := "", func() error { return nil }
	if backup != nil {
		name, restore = backup(err)
	}
	if name == "" {
		dialog.ShowError(errors.New(oneLine(err.Error())), w)
		return
	}
	text := widget.NewLabel(oneLine(err.Error()) + "\n\nPut the newest backup back in its place?\n" + name +
		"\n\nThe damaged file is kept beside it, not deleted.")
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm("The library is damaged", "Restore the backup", "Not now", text, func(ok bool) {
		if !ok {
			return
		}
		if err := restore(); err != nil {
			dialog.ShowError(errors.New(oneLine(err.Error())), w)
			return
		}
		retry()
	}, w)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// fitScreen returns size (in Fyne units, at scale pixels a unit) shrunk to
// fit 95% of a screen of sw×sh pixels, and never below 640×400.
func fitScreen(size fyne.Size, scale, sw, sh float32) fyne.Size {
	if scale <= 0 {
		scale = 1
	}
	maxW, maxH := 0.95*sw/scale, 0.95*sh/scale
	return fyne.NewSize(max(min(size.Width, maxW), 640), max(min(size.Height, maxH), 400))
}

package app

import (
	"errors"
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// dialogs keeps the window's open dialogs, newest last. While one is open,
// the window's own shortcuts (those of the main menu, which Fyne runs
// before anything else) act on the dialog instead of the window behind it,
// and Escape dismisses the newest.
type dialogs struct {
	open []dialog.Dialog
	// stuck are dialogs Escape leaves alone (progress of work going on).
	stuck map[dialog.Dialog]bool
}

// show shows d and keeps it until it closes. A dialog that escape may not
// dismiss (a progress dialog) is passed with escapable false.
func (u *ui) show(d dialog.Dialog, escapable bool) {
	ds := &u.dialogs
	ds.open = append(ds.open, d)
	if !escapable {
		if ds.stuck == nil {
			ds.stuck = map[dialog.Dialog]bool{}
		}
		ds.stuck[d] = true
	}
	d.SetOnClosed(func() { u.closed(d) })
	d.Show()
}

// closed forgets a dialog that closed.
func (u *ui) closed(d dialog.Dialog) {
	ds := &u.dialogs
	ds.open = slices.DeleteFunc(ds.open, func(x dialog.Dialog) bool { return x == d })
	delete(ds.stuck, d)
}

// dialogOpen reports whether a dialog (or another modal pop-up) is over
// the window.
func (u *ui) dialogOpen() bool {
	return len(u.dialogs.open) > 0 || u.win.Canvas().Overlays().Top() != nil
}

// dismissTop closes the newest dialog that Escape may close, as its
// Cancel button would; it reports whether there was one.
func (u *ui) dismissTop() bool {
	ds := &u.dialogs
	for i := len(ds.open) - 1; i >= 0; i-- {
		if d := ds.open[i]; !ds.stuck[d] {
			d.Dismiss()
			u.closed(d) // Dismiss of some dialogs does not call OnClosed
			return true
		}
	}
	return false
}

// guard wraps a window action so that it does nothing while a dialog is
// open; its shortcut (if any) then goes to the dialog's focused widget (a
// field's own undo, say).
func (u *ui) guard(sc fyne.Shortcut, action func()) func() {
	return func() {
		if !u.dialogOpen() {
			action()
			return
		}
		if f, ok := u.win.Canvas().Focused().(fyne.Shortcutable); ok && sc != nil {
			f.TypedShortcut(sc)
		}
	}
}

// onTypedKey gets the keys that no widget has taken: Escape dismisses a
// dialog (with nothing focused in it).
func (u *ui) onTypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape {
		u.dismissTop()
	}
}

// showError shows err in a dialog, as one line of at most maxErrorRunes
// characters, however much input the message echoes.
func (u *ui) showError(err error) {
	const maxErrorRunes = 300
	u.show(dialog.NewError(errors.New(clip(oneLine(err.Error()), maxErrorRunes)), u.win), true)
}

// showInformation shows a message in a dialog.
func (u *ui) showInformation(title, msg string) {
	u.show(dialog.NewInformation(title, msg, u.win), true)
}

// escEntry is an entry of a dialog's form: Escape dismisses the dialog
// (a focused entry would otherwise keep the key).
type escEntry struct {
	widget.Entry
	onEscape func()
}

func newEscEntry(onEscape func()) *escEntry {
	e := &escEntry{onEscape: onEscape}
	e.ExtendBaseWidget(e)
	return e
}

func (e *escEntry) TypedKey(ev *fyne.KeyEvent) {
	if ev.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(ev)
}

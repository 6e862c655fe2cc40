package app

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/gloss-notes/gloss/assets"
)

// tipDelay is how long the pointer rests on a toolbar button before its
// tooltip shows.
const tipDelay = 500 * time.Millisecond

// tips shows tooltips in a layer over the window's content. Fyne 2.7 has
// no tooltips, and a pop-up would take the keyboard from the window while
// it shows; a layer of plain canvas objects takes neither keys nor clicks.
type tips struct {
	u     *ui
	layer *fyne.Container
	box   *fyne.Container
	text  *canvas.Text
	stop  func()
}

func newTips(u *ui) *tips {
	t := &tips{u: u}
	t.text = canvas.NewText("", theme.Color(theme.ColorNameForeground))
	t.text.TextSize = theme.Size(theme.SizeNameCaptionText)
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameOverlayBackground))
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	bg.CornerRadius = 4
	t.box = container.NewStack(bg, container.New(padLayout{6, 3}, t.text))
	t.box.Hide()
	t.layer = container.NewWithoutLayout(t.box)
	return t
}

// hoverOn schedules the tooltip of o.
func (t *tips) hoverOn(o fyne.CanvasObject, tip string) {
	t.hide()
	t.stop = t.u.schedule(tipDelay, func() { t.showFor(o, tip) })
}

// showFor shows tip under o, inside the window.
func (t *tips) showFor(o fyne.CanvasObject, tip string) {
	t.text.Text = tip
	t.text.Color = theme.Color(theme.ColorNameForeground)
	t.text.Refresh()
	size := t.box.MinSize()
	t.box.Resize(size)
	d := fyne.CurrentApp().Driver()
	pos := d.AbsolutePositionForObject(o).Subtract(d.AbsolutePositionForObject(t.layer))
	win := t.u.win.Canvas().Size()
	x := min(max(0, pos.X+(o.Size().Width-size.Width)/2), win.Width-size.Width)
	t.box.Move(fyne.NewPos(x, pos.Y+o.Size().Height+2))
	t.box.Show()
	t.layer.Refresh()
}

func (t *tips) hide() {
	if t.stop != nil {
		t.stop()
		t.stop = nil
	}
	if t.box.Visible() {
		t.box.Hide()
		t.layer.Refresh()
	}
}

// padLayout puts its one object inside a margin.
type padLayout struct{ x, y float32 }

func (l padLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(l.x, l.y))
		o.Resize(size.SubtractWidthHeight(2*l.x, 2*l.y))
	}
}

func (l padLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objs {
		s = s.Max(o.MinSize())
	}
	return s.AddWidthHeight(2*l.x, 2*l.y)
}

// toolButton is a toolbar button: an icon, and a tooltip naming what it
// does and its key.
type toolButton struct {
	widget.Button
	tips *tips
	tip  string
}

var _ desktop.Hoverable = (*toolButton)(nil)

func newToolButton(icon fyne.Resource, tip string, t *tips, action func()) *toolButton {
	b := &toolButton{tips: t, tip: tip}
	b.Icon = icon
	b.Importance = widget.LowImportance
	b.OnTapped = func() {
		t.hide()
		action()
	}
	b.ExtendBaseWidget(b)
	return b
}

func (b *toolButton) MouseIn(ev *desktop.MouseEvent) {
	b.Button.MouseIn(ev)
	b.tips.hoverOn(b, b.tip)
}

func (b *toolButton) MouseMoved(ev *desktop.MouseEvent) { b.Button.MouseMoved(ev) }

func (b *toolButton) MouseOut() {
	b.Button.MouseOut()
	b.tips.hide()
}

// newToolbar is the row of tool buttons and the search box.
func newToolbar(u *ui, t *tips) fyne.CanvasObject {
	sep := func() fyne.CanvasObject { return widget.NewSeparator() }
	return container.NewHBox(
		newToolButton(theme.FolderOpenIcon(), "Open articles… (Ctrl+O)", t, u.onOpenDialog),
		sep(),
		u.search.box(),
		newToolButton(assets.ExportIcon, "Export highlights… (Ctrl+E)", t, u.onExport),
		u.sync.button, // hidden when the window has no sync
		sep(),
		newToolButton(theme.ContentUndoIcon(), "Undo (Ctrl+Z)", t, u.onUndo),
		newToolButton(theme.ContentRedoIcon(), "Redo (Ctrl+Shift+Z)", t, u.onRedo),
		sep(),
		newToolButton(theme.ColorPaletteIcon(), "Colour meanings…", t, u.onColorMeanings),
	)
}

// sideMinWidth is the minimum width of the side panes.
const sideMinWidth = 170

// fixedWidth lays its objects over its whole size but asks for a fixed
// minimum width, whatever theirs: a split beside it then never moves
// because something inside grew (a label is cut rather than the article
// reflowed).
type fixedWidth struct{ width float32 }

func (l fixedWidth) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objs {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l fixedWidth) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(l.width, h)
}

package app

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// prefLastFolder remembers where the file chooser was last used.
const prefLastFolder = "files.folder"

// chooser is the window's file dialog, for opening articles and saving
// exports. It replaces Fyne's: there, a double-click on a folder opens the
// folder on the first click, and the second lands on whatever the reused
// row shows next — a file, which is then opened, or in a save dialog
// overwritten. Here a single click only selects, and a row that showed
// something else at the first press of a double-click ignores it.
type chooser struct {
	u      *ui
	save   bool
	exts   []string // shown files' extensions (lower case, with the dot)
	dir    string
	items  []chooserItem
	chosen int // the selected row, -1 for none

	where *widget.Label
	list  *widget.List
	name  *escEntry // the file name, when saving
	ok    *widget.Button
	d     *dialog.CustomDialog
	done  func(path string)
}

// chooserItem is a row: a folder or a file of the current folder.
type chooserItem struct {
	name string
	dir  bool
	size int64
	mod  time.Time
}

// chooseFile asks for an article file to open (save false) or for where to
// save (save true, name the proposed file name) and calls done with the
// path; nothing when cancelled. start is the folder to begin in ("" for
// the last one used).
func (u *ui) chooseFile(title string, save bool, exts []string, start, name string, done func(path string)) *chooser {
	c := &chooser{u: u, save: save, exts: exts, chosen: -1, done: done}
	c.where = widget.NewLabel("")
	c.where.Truncation = fyne.TextTruncateEllipsis
	c.list = widget.NewList(func() int { return len(c.items) }, c.newRow, c.updateRow)
	c.list.OnSelected = c.onSelected
	up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), func() { c.cd(filepath.Dir(c.dir)) })
	home := widget.NewButtonWithIcon("", theme.HomeIcon(), func() {
		if h, err := os.UserHomeDir(); err == nil {
			c.cd(h)
		}
	})
	top := container.NewBorder(nil, nil, container.NewHBox(up, home), nil, c.where)
	label := "Open"
	if save {
		label = "Save"
	}
	c.ok = widget.NewButtonWithIcon(label, theme.ConfirmIcon(), c.confirm)
	c.ok.Importance = widget.HighImportance
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { c.d.Hide() })
	var bottom fyne.CanvasObject = container.NewHBox(layout.NewSpacer(), cancel, c.ok)
	if save {
		c.name = newEscEntry(func() { c.d.Hide() })
		c.name.SetText(name)
		c.name.OnSubmitted = func(string) { c.confirm() }
		c.name.OnChanged = func(string) { c.refreshOK() }
		bottom = container.NewBorder(nil, nil, widget.NewLabel("Name"), container.NewHBox(cancel, c.ok), c.name)
	}
	body := container.NewBorder(top, bottom, nil, nil, c.list)
	c.d = dialog.NewCustomWithoutButtons(title, body, u.win)
	c.d.Resize(fyne.NewSize(720, 500))
	if start == "" {
		start = u.app.Preferences().String(prefLastFolder)
	}
	if start == "" {
		start, _ = os.UserHomeDir()
	}
	c.cd(start)
	u.show(c.d, true)
	if save {
		u.win.Canvas().Focus(c.name)
	}
	return c
}

// cd shows folder dir (or the nearest one above it that can be read).
func (c *chooser) cd(dir string) {
	dir = filepath.Clean(dir)
	for {
		entries, err := os.ReadDir(dir)
		if err == nil {
			c.dir = dir
			c.items = c.items[:0]
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".") {
					continue
				}
				info, err := e.Info()
				if err != nil {
					continue
				}
				isDir := info.IsDir()
				if info.Mode()&os.ModeSymlink != 0 {
					if st, err := os.Stat(filepath.Join(dir, e.Name())); err == nil {
						isDir, info = st.IsDir(), st
					}
				}
				if !isDir && !c.shows(e.Name()) {
					continue
				}
				c.items = append(c.items, chooserItem{name: e.Name(), dir: isDir, size: info.Size(), mod: info.ModTime()})
			}
			slices.SortFunc(c.items, func(a, b chooserItem) int {
				if a.dir != b.dir {
					if a.dir {
						return -1
					}
					return 1
				}
				return cmp.Compare(strings.ToLower(a.name), strings.ToLower(b.name))
			})
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			c.showProblem(err)
			return
		}
		dir = parent
	}
	c.where.SetText(c.dir)
	c.chosen = -1
	c.list.UnselectAll()
	c.list.ScrollToTop()
	c.list.Refresh()
	c.refreshOK()
}

func (c *chooser) showProblem(err error) {
	c.where.SetText(oneLine(err.Error()))
	c.items = nil
	c.list.Refresh()
}

// shows reports whether a file of that name is offered.
func (c *chooser) shows(name string) bool {
	return len(c.exts) == 0 || slices.Contains(c.exts, strings.ToLower(filepath.Ext(name)))
}

// chooserRow is a row of the list. A double-click opens it only when it
// showed the same item at both clicks (see chooser).
type chooserRow struct {
	widget.BaseWidget
	c     *chooser
	id    int
	icon  *widget.Icon
	label *widget.Label
	info  *widget.Label
	// pressed and before are what the row showed at its last two mouse
	// presses: a double-click counts only when both were what it shows.
	pressed, before string
}

var (
	_ fyne.DoubleTappable = (*chooserRow)(nil)
	_ desktop.Mouseable   = (*chooserRow)(nil)
)

func (c *chooser) newRow() fyne.CanvasObject {
	r := &chooserRow{c: c, icon: widget.NewIcon(theme.FileIcon()), label: widget.NewLabel(""), info: widget.NewLabel("")}
	r.label.Truncation = fyne.TextTruncateEllipsis
	r.info.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

func (r *chooserRow) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, r.icon, r.info, r.label))
}

func (c *chooser) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*chooserRow)
	if id >= len(c.items) {
		return
	}
	it := c.items[id]
	r.id = id
	r.label.SetText(it.name)
	if it.dir {
		r.icon.SetResource(theme.FolderIcon())
		r.info.SetText("")
	} else {
		r.icon.SetResource(theme.FileIcon())
		r.info.SetText(fmt.Sprintf("%s · %s", byteSize(it.size), it.mod.Local().Format("2 Jan 2006")))
	}
}

// MouseDown remembers what the row showed at each press.
func (r *chooserRow) MouseDown(*desktop.MouseEvent) {
	r.before, r.pressed = r.pressed, r.label.Text
}

func (r *chooserRow) MouseUp(*desktop.MouseEvent) {}

// DoubleTapped opens a folder, or chooses a file — unless the row showed
// something else at either press of the double-click (a folder that was
// opened in between).
func (r *chooserRow) DoubleTapped(*fyne.PointEvent) {
	if r.pressed != r.label.Text || r.before != r.label.Text {
		return
	}
	r.c.activate(r.id)
}

func (c *chooser) onSelected(id widget.ListItemID) {
	c.chosen = id
	if id < len(c.items) && !c.items[id].dir && c.save {
		c.name.SetText(c.items[id].name)
	}
	c.refreshOK()
}

// activate opens row id: a folder is entered, a file chosen.
func (c *chooser) activate(id int) {
	if id < 0 || id >= len(c.items) {
		return
	}
	it := c.items[id]
	if it.dir {
		c.cd(filepath.Join(c.dir, it.name))
		return
	}
	c.chosen = id
	c.confirm()
}

func (c *chooser) refreshOK() {
	ok := c.chosen >= 0 && c.chosen < len(c.items)
	if c.save {
		ok = strings.TrimSpace(c.name.Text) != ""
	}
	if ok {
		c.ok.Enable()
	} else {
		c.ok.Disable()
	}
}

// confirm takes the chosen file (or, saving, the name typed): a folder is
// entered; saving over a file asks first.
func (c *chooser) confirm() {
	var path string
	switch {
	case c.save:
		name := strings.TrimSpace(c.name.Text)
		if name == "" {
			return
		}
		path = name
		if !filepath.IsAbs(name) {
			path = filepath.Join(c.dir, name)
		}
		if st, err := os.Stat(path); err == nil && st.IsDir() {
			c.cd(path)
			c.name.SetText("")
			return
		} else if err == nil {
			c.u.show(dialog.NewConfirm("Replace the file?", fmt.Sprintf("%s exists. Replace it with this export?", filepath.Base(path)), func(yes bool) {
				if yes {
					c.finish(path)
				}
			}, c.u.win), true)
			return
		}
	case c.chosen >= 0 && c.chosen < len(c.items):
		it := c.items[c.chosen]
		if it.dir {
			c.cd(filepath.Join(c.dir, it.name))
			return
		}
		path = filepath.Join(c.dir, it.name)
	default:
		return
	}
	c.finish(path)
}

func (c *chooser) finish(path string) {
	c.u.app.Preferences().SetString(prefLastFolder, filepath.Dir(path))
	c.d.Hide()
	c.done(path)
}

// byteSize says a file size the way file managers do.
func byteSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d B", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.0f kB", float64(n)/1000)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/1000/1000)
	}
}

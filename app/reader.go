package app

import (
	"cmp"
	"fmt"
	"image/color"
	"os"
	"strconv"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/app/pageview"
	"github.com/gloss-notes/gloss/app/textview"
)

// readerPanel is the article in the middle: its title, the text with the
// highlights painted on it, and the colour bar that appears at a selection.
type readerPanel struct {
	u        *ui
	title    *widget.Label
	source   *widget.Label
	view     *textview.View
	colorBar *fyne.Container
	overlay  *fyne.Container
	empty    *widget.Label
	find     *findBar
	// position says how far through a long text the view is ("37%"), or
	// on which page.
	position *widget.Label
	// linkBase is the open article's address (or file), against which
	// its relative links are resolved.
	linkBase string

	// A PDF article is shown as its pages (pages) or as its text (view):
	// one anchor, two views. paged says the pages are shown; pdf is the
	// open PDF they are rendered from; toggle switches.
	pages   *pageview.View
	shownAt time.Time // when a PDF was opened, until its first page shows
	paged   bool
	scanned bool // the PDF shown has no text layer
	pdf     *pagedDoc
	toggle  *widget.Button
}

func newReaderPanel(u *ui) *readerPanel {
	p := &readerPanel{u: u, view: textview.New()}
	p.title = widget.NewLabel("")
	p.title.TextStyle.Bold = true
	p.title.SizeName = theme.SizeNameSubHeadingText
	p.title.Truncation = fyne.TextTruncateEllipsis
	p.source = widget.NewLabel("")
	p.source.Importance = widget.LowImportance
	p.source.Truncation = fyne.TextTruncateEllipsis
	p.empty = widget.NewLabel("Open an article with Ctrl+O, or drop files here.")
	p.empty.Alignment = fyne.TextAlignCenter
	p.view.OnSelectionChanged = p.onSelectionChanged
	p.view.OnHighlightTapped = p.onHighlightTapped
	p.view.OnRune = p.onRune
	p.view.OnKey = p.onKey
	p.view.OnScrolled = p.onScrolled
	p.view.OnLinkTapped = p.onLinkTapped
	p.pages = pageview.New()
	p.pages.OnSelectionChanged = p.onSelectionChanged
	p.pages.OnHighlightTapped = p.onHighlightTapped
	p.pages.OnRune = p.onRune
	p.pages.OnKey = p.onKey
	p.pages.OnScrolled = p.onScrolled
	p.pages.OnRendered = func(int) {
		// With GLOSS_TRACE, the time from opening a PDF to its first
		// page painted.
		if !p.shownAt.IsZero() && p.u.trace.on {
			fmt.Fprintf(os.Stderr, "gloss trace: first page %.1f ms\n", float64(time.Since(p.shownAt).Microseconds())/1000)
		}
		p.shownAt = time.Time{}
	}
	p.pages.Hide()
	p.toggle = widget.NewButton("Show text", p.togglePages)
	p.toggle.Importance = widget.LowImportance
	p.toggle.Hide()
	p.colorBar = container.NewHBox()
	p.refreshColorBar()
	p.colorBar.Hide()
	p.overlay = container.NewWithoutLayout(p.colorBar)
	p.find = newFindBar(p)
	p.position = widget.NewLabel("")
	p.position.Importance = widget.LowImportance
	return p
}

func (p *readerPanel) object() fyne.CanvasObject {
	head := container.NewVBox(p.title, container.NewBorder(nil, nil, nil, container.NewHBox(p.position, p.toggle), p.source), p.find.box)
	return container.NewBorder(head, nil, nil, nil, container.NewStack(p.empty, p.view, p.pages, p.overlay))
}

// onLinkTapped opens a link of the article (Ctrl+click) in the system
// browser: Gloss itself never fetches it.
func (p *readerPanel) onLinkTapped(href string) {
	u, ok := openableLink(href, p.linkBase)
	if !ok {
		p.u.setStatus("This link does not lead to a web page: " + clip(href, 80))
		return
	}
	if err := p.u.app.OpenURL(u); err != nil {
		p.u.showError(fmt.Errorf("the browser could not be started for %s: %w", clip(u.String(), 80), err))
		return
	}
	p.u.setStatus("Opened " + clip(u.String(), 80) + " in the browser.")
}

// show puts an article in the view, set out as st says (nil: plain).
func (p *readerPanel) show(a annotations.Article, st *annotations.Structure) {
	p.empty.Hide()
	p.view.Show()
	p.showDetails(a)
	p.find.reset()
	p.linkBase = cmp.Or(a.URL, a.Source)
	id := a.ID
	svc := p.u.svc
	p.view.Background = p.u.background
	p.view.SetStyledText(a.Text, textStyle(st, func(key string) ([]byte, error) { return svc.ArticleImage(id, key) }))
	p.showPages(a)
	p.colorBar.Hide()
	p.showPosition()
	p.focus()
}

// showDetails shows an article's title, and under it what it is cited by
// and where it came from.
func (p *readerPanel) showDetails(a annotations.Article) {
	p.title.SetText(a.Title)
	line := a.Cite()
	where := a.URL
	if where == "" {
		where = a.Source
	}
	if where != "" {
		if line != "" {
			line += " · "
		}
		line += where
	}
	p.source.SetText(line)
}

// clear empties the view (no article open).
func (p *readerPanel) clear() {
	p.title.SetText("")
	p.source.SetText("")
	p.find.reset()
	p.view.SetText("")
	p.view.SetHighlights(nil)
	p.closePages()
	p.position.SetText("")
	p.view.Hide()
	p.colorBar.Hide()
	p.empty.Show()
}

// paintAll paints the highlights of the open article's annotations that
// pass the filter (orphans have no place); the selected one is painted
// stronger, and last, so it shows on top.
func (p *readerPanel) paintAll() {
	notes := p.u.visibleNotes()
	hs := make([]textview.Highlight, 0, len(notes))
	var top *textview.Highlight
	for _, n := range notes {
		h, ok := p.highlight(n)
		if !ok {
			continue
		}
		if n.ID == p.u.selected {
			top = &h
			continue
		}
		hs = append(hs, h)
	}
	if top != nil {
		hs = append(hs, *top)
	}
	p.view.SetHighlights(hs)
	if p.pdf != nil {
		p.pages.SetHighlights(pageHighlights(hs))
	}
}

// highlight is how annotation n is painted, and false when it is not (an
// orphan, or filtered out).
func (p *readerPanel) highlight(n annotations.Annotation) (textview.Highlight, bool) {
	u := p.u
	if n.Status == annotations.StatusOrphaned || u.filter.active() && !u.filter.match(n) && n.ID != u.selected {
		return textview.Highlight{}, false
	}
	dark := isDark()
	c := fill(n.Color, dark)
	if n.ID == u.selected {
		c = strongFill(n.Color, dark)
	}
	return textview.Highlight{Start: n.Target.Start, End: n.Target.End, Color: c, ID: n.ID.String()}, true
}

// repaint paints these annotations again (the selection moved between
// them); the view redraws only if one of them is in sight.
func (p *readerPanel) repaint(ids ...uuid.UUID) {
	var puts []annotations.Annotation
	for _, id := range ids {
		if n := p.u.note(id); n != nil {
			puts = append(puts, *n)
		}
	}
	p.changed(noteDelta{put: puts})
}

// changed paints what changed: put highlights again (on top), take the
// removed ones away.
func (p *readerPanel) changed(d noteDelta) {
	var put []textview.Highlight
	var gone []string
	for _, id := range d.removed {
		gone = append(gone, id.String())
	}
	for _, n := range d.put {
		if h, ok := p.highlight(n); ok {
			put = append(put, h)
		} else {
			gone = append(gone, n.ID.String())
		}
	}
	p.view.RemoveHighlights(gone...)
	// The selected highlight last, so that it stays on top.
	for i, h := range put {
		if h.ID == p.u.selected.String() {
			put = append(append(put[:i:i], put[i+1:]...), h)
			break
		}
	}
	p.view.PutHighlights(put...)
	if p.pdf != nil {
		p.pages.RemoveHighlights(gone...)
		p.pages.PutHighlights(pageHighlights(put)...)
	}
}

// reveal scrolls to a passage and puts the caret at its start; the passage
// itself shows as the selected highlight.
func (p *readerPanel) reveal(start, end int) {
	p.view.SetSelection(start, start)
	p.view.ScrollToOffset(start)
	if p.paged {
		p.pages.SetSelection(start, start)
		p.pages.ScrollToOffset(start)
	}
}

func (p *readerPanel) onSelectionChanged(start, end int) {
	if start == end {
		p.colorBar.Hide()
		// A click away from the selected highlight leaves it, so that a
		// colour key does not recolour something out of sight.
		if n := p.u.note(p.u.selected); n != nil && n.Status != annotations.StatusOrphaned && (start < n.Target.Start || start > n.Target.End) {
			p.u.selectNote(uuid.Nil, false)
		}
		return
	}
	// A new selection of other text leaves the selected highlight, so
	// that Enter and Delete act on the new text, not on an old card — but
	// an orphan stays selected: the reader is choosing its new passage.
	if n := p.u.note(p.u.selected); n != nil && n.Status != annotations.StatusOrphaned && (n.Target.Start != start || n.Target.End != end) {
		p.u.selectNote(uuid.Nil, false)
	}
	p.placeColorBar()
}

// onScrolled moves the colour bar with its selection.
func (p *readerPanel) onScrolled() {
	if p.colorBar.Visible() {
		p.placeColorBar()
	}
	p.showPosition()
}

// showPosition says how far through the text the view is, when the text
// is longer than the view.
func (p *readerPanel) showPosition() {
	f, scrolls := p.view.ScrollFraction()
	text := ""
	if scrolls {
		text = fmt.Sprintf("%d%%", int(f*100+0.5))
	}
	if p.paged {
		cur, total := p.pages.Page()
		text = fmt.Sprintf("Page %d of %d", cur, total)
	}
	if p.position.Text != text {
		p.position.SetText(text)
	}
}

// placeColorBar puts the colour bar just above the selection's first line,
// at its start: over text already read, never over the next line. When
// there is no room above (the selection at the top of the view), it goes
// just below the last line.
func (p *readerPanel) placeColorBar() {
	top, bottom, startX, endX, ok := p.view.SelectionBounds()
	area := p.view.Size()
	if p.paged {
		top, bottom, startX, endX, ok = p.pages.SelectionBounds()
		area = p.pages.Size()
	}
	if !ok {
		p.colorBar.Hide()
		return
	}
	size := p.colorBar.MinSize()
	p.colorBar.Resize(size)
	x, y := startX, top-size.Height-2
	if y < 0 {
		x, y = endX-size.Width/2, bottom+2
	}
	x = min(max(0, x), area.Width-size.Width)
	p.colorBar.Move(fyne.NewPos(x, min(y, area.Height-size.Height)))
	p.colorBar.Show()
	p.overlay.Refresh()
}

func (p *readerPanel) onHighlightTapped(id string) {
	if uid, err := uuid.Parse(id); err == nil {
		p.u.selectNote(uid, false)
	}
}

func (p *readerPanel) onRune(r rune) bool {
	switch {
	case r >= '1' && r <= '8':
		p.u.highlightSelection(annotations.Colors[r-'1'])
		return true
	case r == '/':
		p.u.onFind()
		return true
	}
	return false
}

func (p *readerPanel) onKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyReturn, fyne.KeyEnter:
		p.u.onEnter()
		return true
	case fyne.KeyDelete, fyne.KeyBackspace:
		p.u.onDelete()
		return true
	case fyne.KeyEscape:
		// With nothing selected, Escape leaves the search results (after
		// Enter opened one) for the library list.
		if s, e := p.selection(); s == e && p.u.search.body.Visible() {
			p.u.search.entry.SetText("")
			return true
		}
	}
	return false
}

// refreshColorBar rebuilds the colour bar's buttons.
func (p *readerPanel) refreshColorBar() {
	p.colorBar.Objects = nil
	for _, c := range annotations.Colors {
		c := c
		p.colorBar.Add(newColorButton(c, func() { p.u.highlightSelection(c) }))
	}
	p.colorBar.Refresh()
}

// colorButton is one swatch of the colour bar: a coloured square with the
// key that picks it.
type colorButton struct {
	widget.BaseWidget
	color annotations.Color
	onTap func()
}

var (
	_ fyne.Tappable      = (*colorButton)(nil)
	_ desktop.Cursorable = (*colorButton)(nil)
)

func newColorButton(c annotations.Color, onTap func()) *colorButton {
	b := &colorButton{color: c, onTap: onTap}
	b.ExtendBaseWidget(b)
	return b
}

func (b *colorButton) Tapped(*fyne.PointEvent) { b.onTap() }

func (b *colorButton) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (b *colorButton) CreateRenderer() fyne.WidgetRenderer {
	bg := newSwatch(b.color, 26)
	bg.StrokeColor = theme.Color(theme.ColorNameShadow)
	bg.StrokeWidth = 1
	key := canvas.NewText(strconv.Itoa(b.color.Key()), theme.Color(theme.ColorNameForeground))
	key.TextStyle.Bold = true
	key.Color = colorOnSwatch()
	key.Alignment = fyne.TextAlignCenter
	return widget.NewSimpleRenderer(container.NewStack(bg, container.NewCenter(key)))
}

// colorOnSwatch is the colour of a key number drawn on a swatch: dark on
// every one of our (light, saturated) swatches.
func colorOnSwatch() color.NRGBA { return color.NRGBA{R: 0x20, G: 0x20, B: 0x20, A: 0xff} }

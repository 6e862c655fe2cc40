package app

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// cardsPanel lists the open article's annotations as cards, in text order,
// with the orphans (whose passage is gone) in a section of their own. The
// list is virtualised: only the cards in sight exist as widgets, and a
// change of one annotation updates its one row.
type cardsPanel struct {
	u      *ui
	header *widget.Label
	list   *widget.List
	hint   *widget.Label
	clear  *widget.Button // clears the filter that hides every card
	// rows are what the list shows: uuid.Nil is the Orphans heading. row
	// maps an annotation to its row.
	rows    []uuid.UUID
	row     map[uuid.UUID]int
	orphans int
	// heights remembers each card's height at width, so that a row that
	// moves keeps its height.
	heights map[uuid.UUID]float32
	width   float32
	current uuid.UUID // the selected card's annotation
	// itemOf is the list item that last showed each annotation's card, so
	// that a change updates that one card without a refresh of the list
	// (Fyne's List.RefreshItem redraws every row in sight).
	itemOf map[uuid.UUID]*cardItem
	// made and updated count the card widgets made and the cards filled
	// (for tests of the virtualisation).
	made, updated int
}

func newCardsPanel(u *ui) *cardsPanel {
	p := &cardsPanel{u: u, header: widget.NewLabel("Highlights"), row: map[uuid.UUID]int{},
		heights: map[uuid.UUID]float32{}, itemOf: map[uuid.UUID]*cardItem{}}
	p.header.TextStyle.Bold = true
	p.header.Truncation = fyne.TextTruncateEllipsis
	p.hint = widget.NewLabel("Select text in the article and press 1–8 to highlight it.")
	p.hint.Wrapping = fyne.TextWrapWord
	p.hint.Importance = widget.LowImportance
	p.clear = widget.NewButton("Clear the filters", func() { u.setFilter(noteFilter{}) })
	p.clear.Hide()
	p.list = widget.NewList(func() int { return len(p.rows) }, p.newItem, p.updateItem)
	p.list.HideSeparators = true
	return p
}

func (p *cardsPanel) object() fyne.CanvasObject {
	hint := container.NewVBox(p.hint, container.NewHBox(p.clear))
	return container.NewBorder(p.header, nil, nil, nil, container.NewStack(container.NewPadded(hint), p.list))
}

// reset rebuilds the rows from the open article's annotations (a new
// article, a filter).
func (p *cardsPanel) reset() {
	p.heights = map[uuid.UUID]float32{}
	p.rebuild()
	p.list.ScrollToTop()
	p.setSelected(p.u.selected)
}

// rebuild recomputes which rows show, in order, and refreshes the list
// (which updates only the rows in sight).
func (p *cardsPanel) rebuild() {
	p.computeRows()
	p.list.Refresh()
}

// computeRows works out the rows from the model: the cards in text order,
// then the Orphans heading and the orphans.
func (p *cardsPanel) computeRows() {
	notes := p.u.visibleNotes()
	p.rows = p.rows[:0]
	clear(p.row)
	p.orphans = 0
	for _, n := range notes {
		if n.Status == annotations.StatusOrphaned {
			p.orphans++
			continue
		}
		p.row[n.ID] = len(p.rows)
		p.rows = append(p.rows, n.ID)
	}
	if p.orphans > 0 {
		p.rows = append(p.rows, uuid.Nil)
		for _, n := range notes {
			if n.Status == annotations.StatusOrphaned {
				p.row[n.ID] = len(p.rows)
				p.rows = append(p.rows, n.ID)
			}
		}
	}
	p.header.SetText(p.title(len(notes)))
	switch {
	case len(p.rows) > 0:
		p.hint.Hide()
		p.clear.Hide()
	case p.u.filter.active() && len(p.u.notes.list) > 0:
		n := len(p.u.notes.list)
		verb := "matches"
		if f := p.u.filter; f.tag == "" && f.color == "" {
			verb = "is" // "is by Ana Lima"
		}
		p.hint.SetText(fmt.Sprintf("None of this article's %d highlight%s %s %s.", n, plural(n), verb, p.u.filter))
		p.hint.Show()
		p.clear.Show()
	default:
		p.hint.SetText("Select text in the article and press 1–8 to highlight it.")
		p.hint.Show()
		p.clear.Hide()
	}
}

// changed updates the cards of these annotations: when every row stays
// where it was, only their rows are redrawn; otherwise the list is, which
// redraws the rows in sight.
func (p *cardsPanel) changed(put []annotations.Annotation, removed []uuid.UUID) {
	if len(put) == 0 && len(removed) == 0 {
		return
	}
	for _, n := range put {
		delete(p.heights, n.ID)
	}
	old := slices.Clone(p.rows)
	p.computeRows()
	if !slices.Equal(old, p.rows) {
		p.list.Refresh()
		return
	}
	for _, n := range put {
		if it := p.itemOf[n.ID]; it != nil && it.id == n.ID {
			p.fill(it, p.row[n.ID])
		}
	}
}

func (p *cardsPanel) title(n int) string {
	s := fmt.Sprintf("%d highlight%s", n, plural(n))
	if f := p.u.filter; f.active() {
		s += " " + f.matching()
	}
	return s
}

// cardItem is one row of the list: the Orphans heading or a card.
type cardItem struct {
	widget.BaseWidget
	heading *widget.Label
	card    *card
	id      uuid.UUID // whose card it shows (uuid.Nil: the heading)
}

func (p *cardsPanel) newItem() fyne.CanvasObject {
	p.made++
	it := &cardItem{heading: widget.NewLabel("")}
	it.heading.TextStyle.Bold = true
	it.heading.Wrapping = fyne.TextWrapWord
	it.card = newCard(annotations.Annotation{}, nil, nil)
	it.ExtendBaseWidget(it)
	return it
}

func (it *cardItem) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewStack(it.heading, it.card))
}

func (p *cardsPanel) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(p.rows) {
		return
	}
	it := o.(*cardItem)
	if w := p.list.Size().Width; w != p.width {
		p.width = w
		clear(p.heights)
	}
	if it.id != uuid.Nil && p.itemOf[it.id] == it {
		delete(p.itemOf, it.id)
	}
	it.id = p.rows[i]
	if it.id == uuid.Nil {
		it.card.Hide()
		it.heading.SetText(fmt.Sprintf("Orphans (%d): their passage is no longer in the text", p.orphans))
		it.heading.Show()
		p.list.SetItemHeight(i, heightAt(it.heading, p.width))
		return
	}
	p.itemOf[it.id] = it
	it.heading.Hide()
	it.card.Show()
	p.fill(it, i)
}

// fill shows row i's annotation in item it, and gives the row the card's
// height.
func (p *cardsPanel) fill(it *cardItem, i int) {
	n := p.u.notes.get(it.id)
	if n == nil {
		return
	}
	p.updated++
	id := it.id
	it.card.set(*n, p.u.labels, func() { p.u.selectNote(id, true) })
	it.card.setSelected(id == p.current)
	h, ok := p.heights[id]
	if !ok {
		h = it.card.heightAt(p.width)
		p.heights[id] = h
	}
	p.list.SetItemHeight(i, h)
}

// heightAt returns the height a wrapped label needs at width.
func heightAt(l fyne.CanvasObject, width float32) float32 {
	l.Resize(fyne.NewSize(width, l.Size().Height))
	return l.MinSize().Height
}

// setSelected marks one card (uuid.Nil: none) and scrolls it into view.
func (p *cardsPanel) setSelected(id uuid.UUID) {
	old := p.current
	if old == id {
		return
	}
	p.current = id
	if it := p.itemOf[old]; it != nil && it.id == old {
		it.card.setSelected(false)
	}
	i, ok := p.row[id]
	if !ok {
		return
	}
	if it := p.itemOf[id]; it != nil && it.id == id {
		it.card.setSelected(true)
	}
	p.list.ScrollTo(i)
}

// card is one annotation: a colour edge, the quote, a preview of the note,
// the tags and the status. The list reuses cards: set shows another
// annotation.
type card struct {
	widget.BaseWidget
	note     annotations.Annotation
	onTap    func()
	selected bool

	bg               *canvas.Rectangle
	edge             *canvas.Rectangle
	quote, was, info *widget.Label
	noteT            *widget.RichText
	body             *fyne.Container
}

var _ fyne.Tappable = (*card)(nil)

func newCard(n annotations.Annotation, labels annotations.ColorLabels, onTap func()) *card {
	c := &card{}
	c.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	c.bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	c.edge = canvas.NewRectangle(swatch(n.Color))
	c.edge.SetMinSize(fyne.NewSize(6, 6))
	c.quote = widget.NewLabel("")
	c.quote.Wrapping = fyne.TextWrapWord
	c.quote.TextStyle.Italic = true
	c.was = widget.NewLabel("")
	c.was.Wrapping = fyne.TextWrapWord
	c.was.SizeName = theme.SizeNameCaptionText
	c.was.Importance = widget.WarningImportance
	c.noteT = newNoteText()
	c.info = widget.NewLabel("")
	c.info.Wrapping = fyne.TextWrapWord
	c.info.SizeName = theme.SizeNameCaptionText
	c.body = container.NewBorder(nil, nil, c.edge, nil, container.NewVBox(c.quote, c.was, c.noteT, c.info))
	c.ExtendBaseWidget(c)
	c.set(n, labels, onTap)
	return c
}

// set shows annotation n.
func (c *card) set(n annotations.Annotation, labels annotations.ColorLabels, onTap func()) {
	c.note, c.onTap = n, onTap
	c.edge.FillColor = swatch(n.Color)
	c.edge.Refresh()
	c.quote.SetText("“" + preview(n.Target.Exact, 240) + "”")
	if n.Status == annotations.StatusFuzzy && n.Previous != "" {
		c.was.SetText("was: “" + preview(n.Previous, 160) + "”")
		c.was.Show()
	} else {
		c.was.Hide()
	}
	if n.Note != "" {
		c.noteT.Segments = noteSegments(n.Note, 160)
		c.noteT.Refresh()
		c.noteT.Show()
	} else {
		c.noteT.Hide()
	}
	c.info.SetText(cardMeta(n, labels))
}

// cardMeta is a card's line of metadata, in small type: the colour's name
// (or meaning), the tags, who made it when known, and the status when it
// is not plainly anchored: "3 green — evidence · #place · by Ana Lima ·
// fuzzy".
func cardMeta(n annotations.Annotation, labels annotations.ColorLabels) string {
	meta := colorName(n.Color, labels)
	if len(n.Tags) > 0 {
		meta += " · #" + strings.Join(n.Tags, " #")
	}
	if n.Author != "" {
		meta += " · by " + n.Author
	}
	if n.Status != annotations.StatusAnchored && n.Status != "" {
		meta += " · " + string(n.Status)
	}
	return meta
}

// heightAt returns the card's height at width: word-wrapped labels know
// their height only once they have a width, so they are given it first.
func (c *card) heightAt(width float32) float32 {
	pad := theme.Padding()
	inner := width - 2*pad - c.edge.MinSize().Width - theme.Padding()
	h := float32(0)
	shown := 0
	for _, l := range []fyne.CanvasObject{c.quote, c.was, c.noteT, c.info} {
		if l.Visible() {
			h += heightAt(l, inner)
			shown++
		}
	}
	return h + float32(max(shown-1, 0))*theme.Padding() + 2*pad
}

func (c *card) Tapped(*fyne.PointEvent) {
	if c.onTap != nil {
		c.onTap()
	}
}

func (c *card) setSelected(on bool) {
	if c.selected == on {
		return
	}
	c.selected = on
	c.Refresh()
}

func (c *card) CreateRenderer() fyne.WidgetRenderer {
	r := &cardRenderer{c: c, objects: []fyne.CanvasObject{c.bg, c.body}}
	r.Refresh()
	return r
}

type cardRenderer struct {
	c       *card
	objects []fyne.CanvasObject
}

func (r *cardRenderer) Layout(size fyne.Size) {
	r.c.bg.Resize(size)
	pad := theme.Padding()
	r.c.body.Move(fyne.NewPos(pad, pad))
	r.c.body.Resize(size.SubtractWidthHeight(2*pad, 2*pad))
}

func (r *cardRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	return r.c.body.MinSize().AddWidthHeight(2*pad, 2*pad)
}

func (r *cardRenderer) Refresh() {
	if r.c.selected {
		r.c.bg.FillColor = theme.Color(theme.ColorNameSelection)
		r.c.bg.StrokeColor = theme.Color(theme.ColorNamePrimary)
		r.c.bg.StrokeWidth = 2
	} else {
		r.c.bg.FillColor = theme.Color(theme.ColorNameInputBackground)
		r.c.bg.StrokeWidth = 0
	}
	r.c.bg.Refresh()
}

func (r *cardRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *cardRenderer) Destroy() {}

// preview is s on one line (runs of white space as one space), cut to at
// most n runes with "…". It reads only the start of s, however long s is
// (a highlight may cover a whole article).
func preview(s string, n int) string {
	var b strings.Builder
	count, space := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = count > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
			if count++; count > n {
				break
			}
		}
		b.WriteRune(r)
		if count++; count > n {
			break
		}
	}
	if count <= n {
		return b.String()
	}
	return clip(b.String(), n)
}

// clip shortens s to at most n runes, ending with "…" when cut.
func clip(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

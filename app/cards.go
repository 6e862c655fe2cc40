package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
)

// cardsPanel lists the open article's annotations as cards, in text order,
// with the orphans (whose passage is gone) in a section of their own.
type cardsPanel struct {
	u       *ui
	box     *fyne.Container
	scroll  *container.Scroll
	header  *widget.Label
	cards   map[uuid.UUID]*card
	current uuid.UUID
}

func newCardsPanel(u *ui) *cardsPanel {
	p := &cardsPanel{u: u, box: container.NewVBox(), header: widget.NewLabel("Highlights")}
	p.header.TextStyle.Bold = true
	p.scroll = container.NewVScroll(p.box)
	return p
}

func (p *cardsPanel) object() fyne.CanvasObject {
	return container.NewBorder(p.header, nil, nil, nil, p.scroll)
}

// show rebuilds the cards for notes and marks the selected one.
func (p *cardsPanel) show(notes []annotations.Annotation, selected uuid.UUID) {
	p.box.Objects = nil
	p.cards = map[uuid.UUID]*card{}
	var orphans []annotations.Annotation
	for _, n := range notes {
		if n.Status == annotations.StatusOrphaned {
			orphans = append(orphans, n)
			continue
		}
		p.add(n)
	}
	if len(orphans) > 0 {
		head := widget.NewLabel(fmt.Sprintf("Orphans (%d): their passage is no longer in the text", len(orphans)))
		head.TextStyle.Bold = true
		head.Wrapping = fyne.TextWrapWord
		p.box.Add(widget.NewSeparator())
		p.box.Add(head)
		for _, n := range orphans {
			p.add(n)
		}
	}
	p.header.SetText(p.title(len(notes)))
	if len(notes) == 0 {
		hint := widget.NewLabel("Select text in the article and press 1–8 to highlight it.")
		hint.Wrapping = fyne.TextWrapWord
		hint.Importance = widget.LowImportance
		p.box.Add(hint)
	}
	p.box.Refresh()
	p.setSelected(selected)
}

func (p *cardsPanel) title(n int) string {
	s := fmt.Sprintf("%d highlight%s", n, plural(n))
	if f := p.u.filter; f.active() {
		var parts []string
		if f.tag != "" {
			parts = append(parts, "#"+f.tag)
		}
		if f.color != "" {
			parts = append(parts, string(f.color))
		}
		s += " matching " + strings.Join(parts, " and ")
	}
	return s
}

func (p *cardsPanel) add(n annotations.Annotation) {
	c := newCard(n, p.u.labels, func() { p.u.selectNote(n.ID, true) })
	p.cards[n.ID] = c
	p.box.Add(c)
}

// setSelected marks one card (uuid.Nil: none) and scrolls it into view.
func (p *cardsPanel) setSelected(id uuid.UUID) {
	if old, ok := p.cards[p.current]; ok {
		old.setSelected(false)
	}
	p.current = id
	c, ok := p.cards[id]
	if !ok {
		return
	}
	c.setSelected(true)
	// Scroll the card into view.
	pos := c.Position()
	view := p.scroll.Size()
	off := p.scroll.Offset
	if pos.Y < off.Y || pos.Y+c.Size().Height > off.Y+view.Height {
		p.scroll.Offset = fyne.NewPos(0, max(0, pos.Y-view.Height/3))
		p.scroll.Refresh()
	}
}

// card is one annotation: a colour edge, the quote, a preview of the note,
// the tags and the status.
type card struct {
	widget.BaseWidget
	note     annotations.Annotation
	labels   annotations.ColorLabels
	onTap    func()
	selected bool
	bg       *canvas.Rectangle
}

var _ fyne.Tappable = (*card)(nil)

func newCard(n annotations.Annotation, labels annotations.ColorLabels, onTap func()) *card {
	c := &card{note: n, labels: labels, onTap: onTap}
	c.ExtendBaseWidget(c)
	return c
}

func (c *card) Tapped(*fyne.PointEvent) { c.onTap() }

func (c *card) setSelected(on bool) {
	if c.selected == on {
		return
	}
	c.selected = on
	c.Refresh()
}

func (c *card) CreateRenderer() fyne.WidgetRenderer {
	n := c.note
	c.bg = canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	c.bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
	edge := canvas.NewRectangle(swatch(n.Color))
	edge.SetMinSize(fyne.NewSize(6, 6))

	quote := widget.NewLabel("“" + clip(oneLine(n.Target.Exact), 240) + "”")
	quote.Wrapping = fyne.TextWrapWord
	quote.TextStyle.Italic = true
	lines := []fyne.CanvasObject{quote}
	if n.Status == annotations.StatusFuzzy && n.Previous != "" {
		was := widget.NewLabel("was: “" + clip(oneLine(n.Previous), 160) + "”")
		was.Wrapping = fyne.TextWrapWord
		was.SizeName = theme.SizeNameCaptionText
		was.Importance = widget.WarningImportance
		lines = append(lines, was)
	}
	if n.Note != "" {
		note := widget.NewLabel(clip(oneLine(n.Note), 160))
		note.Wrapping = fyne.TextWrapWord
		lines = append(lines, note)
	}
	meta := colorName(n.Color, c.labels)
	if len(n.Tags) > 0 {
		meta += " · #" + strings.Join(n.Tags, " #")
	}
	if n.Status != annotations.StatusAnchored {
		meta += " · " + string(n.Status)
	}
	info := widget.NewLabel(meta)
	info.Wrapping = fyne.TextWrapWord
	info.SizeName = theme.SizeNameCaptionText
	lines = append(lines, info)

	body := container.NewBorder(nil, nil, edge, nil, container.NewVBox(lines...))
	r := &cardRenderer{c: c, objects: []fyne.CanvasObject{c.bg, body}, body: body}
	r.Refresh()
	return r
}

type cardRenderer struct {
	c       *card
	objects []fyne.CanvasObject
	body    *fyne.Container
}

func (r *cardRenderer) Layout(size fyne.Size) {
	r.c.bg.Resize(size)
	pad := theme.Padding()
	r.body.Move(fyne.NewPos(pad, pad))
	r.body.Resize(size.SubtractWidthHeight(2*pad, 2*pad))
}

func (r *cardRenderer) MinSize() fyne.Size {
	pad := theme.Padding()
	return r.body.MinSize().AddWidthHeight(2*pad, 2*pad)
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

// clip shortens s to at most n runes, ending with "…" when cut.
func clip(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

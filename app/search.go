package app

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/search"
)

// searchResultLimit is how many hits the search panel shows.
const searchResultLimit = 100

// rerunDelay is how long the results wait after a change of the library
// before the query runs again (a burst of changes runs it once).
const rerunDelay = 150 * time.Millisecond

// Searcher answers search queries over the whole library (main gives the
// library's persisted search index).
type Searcher interface {
	// Search runs a query (the syntax of package search) and returns up to
	// limit hits, best first.
	Search(query string, limit int) ([]search.Hit, error)
}

// searchPanel is the search box in the toolbar and, while it holds a
// query, the list of results in place of the library list. Every search
// runs off the UI thread; a result that arrives after a newer query was
// typed is dropped. While results show, a change of the library runs the
// query again.
type searchPanel struct {
	u      *ui
	entry  *searchEntry
	list   *widget.List
	status *widget.Label
	body   *fyne.Container
	rerun  debounce
	// tagHints suggests tags while a tag: qualifier is typed.
	tagHints *fyne.Container

	seq   atomic.Int64 // the newest query's number
	hits  []search.Hit // shown results
	notes map[uuid.UUID]resultNote
}

// resultNote is what a result row shows of its annotation.
type resultNote struct {
	note  annotations.Annotation
	title string
}

func newSearchPanel(u *ui) *searchPanel {
	p := &searchPanel{u: u, status: widget.NewLabel(""), rerun: debounce{u: u, d: rerunDelay}}
	p.status.Importance = widget.LowImportance
	p.status.Wrapping = fyne.TextWrapWord
	p.entry = newSearchEntry(p)
	p.list = widget.NewList(
		func() int { return len(p.hits) },
		func() fyne.CanvasObject {
			// One line each, cut with an ellipsis: Fyne's rich text
			// wraps badly inside a word made of several segments (a bold
			// prefix), so the lines are snippets around the first match.
			quote := widget.NewRichText()
			quote.Truncation = fyne.TextTruncateEllipsis
			note := widget.NewRichText()
			note.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			info.SizeName = theme.SizeNameCaptionText
			info.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(quote, note, info)
		},
		p.updateItem,
	)
	p.list.OnSelected = func(i widget.ListItemID) { p.open(i) }
	p.tagHints = container.NewGridWrap(fyne.NewSize(150, 32))
	p.body = container.NewBorder(container.NewVBox(p.tagHints, p.status), nil, nil, nil, p.list)
	p.body.Hide()
	return p
}

// box is the search entry, for the toolbar.
func (p *searchPanel) box() fyne.CanvasObject {
	return container.NewGridWrap(fyne.NewSize(300, p.entry.MinSize().Height), p.entry)
}

// updateCount says in the empty box how many notes there are to search.
func (p *searchPanel) updateCount() {
	n := 0
	for _, a := range p.u.library.all {
		n += a.Highlights
	}
	p.entry.SetPlaceHolder(fmt.Sprintf("Search %d note%s (Ctrl+K)", n, plural(n)))
}

// onLibraryChanged keeps the count in the box and, while results show,
// runs the query again.
func (p *searchPanel) onLibraryChanged(ev annotations.Event) {
	if len(ev.Annotations) > 0 || ev.Bulk {
		p.updateCount()
	}
	if p.entry.Text != "" {
		p.rerun.call(func() {
			if p.entry.Text != "" {
				p.run(p.entry.Text)
			}
		})
	}
}

// onChanged runs the query as it is typed.
func (p *searchPanel) onChanged(q string) {
	p.suggestTags(q)
	if q == "" {
		p.seq.Add(1)
		p.rerun.cancel()
		p.hits = nil
		p.body.Hide()
		p.u.library.show(true)
		return
	}
	p.u.library.show(false)
	p.body.Show()
	p.run(q)
}

// run searches off the UI thread; a result older than the newest query is
// dropped.
func (p *searchPanel) run(q string) {
	n := p.seq.Add(1)
	finder, svc := p.u.finder, p.u.svc
	p.u.background(func() {
		hits, err := finder.Search(q, searchResultLimit)
		notes := map[uuid.UUID]resultNote{}
		titles := map[uuid.UUID]string{}
		for _, h := range hits {
			a, err := svc.Annotation(h.ID)
			if err != nil {
				continue
			}
			t, ok := titles[a.ArticleID]
			if !ok {
				if art, err := svc.ArticleMeta(a.ArticleID); err == nil {
					t = art.Title
				}
				titles[a.ArticleID] = t
			}
			notes[h.ID] = resultNote{note: a, title: t}
		}
		fyne.Do(func() {
			if n != p.seq.Load() {
				return // a newer query is on its way
			}
			if err != nil {
				// Half-typed queries (an open quote, "tag:") are not
				// wrong yet: say so quietly and keep the last results.
				p.status.SetText(oneLine(err.Error()))
				return
			}
			p.hits, p.notes = hits, notes
			switch len(hits) {
			case 0:
				p.status.SetText("No notes match.")
			case 1:
				p.status.SetText("1 note. Enter opens it.")
			default:
				p.status.SetText(fmt.Sprintf("%d notes. ↑↓ choose, Enter opens.", len(hits)))
			}
			p.list.UnselectAll()
			p.list.ScrollToTop()
			p.list.Refresh()
		})
	})
}

func (p *searchPanel) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(p.hits) {
		return
	}
	h := p.hits[i]
	rn := p.notes[h.ID]
	box := o.(*fyne.Container)
	quote, note := box.Objects[0].(*widget.RichText), box.Objects[1].(*widget.RichText)
	q, qr := snippet(rn.note.Target.Exact, h.Matches["quote"], 120)
	quote.Segments = emphasised("“"+q+"”", shift(qr, 1), true)
	quote.Refresh()
	if rn.note.Note != "" {
		n, nr := snippet(rn.note.Note, h.Matches["note"], 120)
		note.Segments = emphasised(n, nr, false)
		note.Refresh()
		note.Show()
	} else {
		note.Hide()
	}
	info := rn.title
	if len(rn.note.Tags) > 0 {
		info += " · #" + strings.Join(rn.note.Tags, " #")
	}
	box.Objects[2].(*widget.Label).SetText(info)
	p.list.SetItemHeight(i, box.MinSize().Height)
}

// mark selects the i-th result in the list without opening it (the
// keyboard stays in the search box).
func (p *searchPanel) mark(i int) {
	p.list.OnSelected = nil
	p.list.Select(i)
	p.list.OnSelected = func(i widget.ListItemID) { p.open(i) }
}

// open shows the i-th result: its article, scrolled to the highlight, with
// the highlight selected.
func (p *searchPanel) open(i int) {
	if i < 0 || i >= len(p.hits) {
		return
	}
	h := p.hits[i]
	if p.u.article == nil || p.u.article.ID != h.ArticleID {
		p.u.openArticle(h.ArticleID)
	}
	p.u.selectNote(h.ID, true)
	p.u.reader.focus()
}

// emphasised splits text into rich-text segments with the rune ranges in
// bold (the matched letters).
func emphasised(text string, ranges [][2]int, italic bool) []widget.RichTextSegment {
	runes := []rune(text)
	sort.Slice(ranges, func(a, b int) bool { return ranges[a][0] < ranges[b][0] })
	var segs []widget.RichTextSegment
	add := func(s string, bold bool) {
		if s == "" {
			return
		}
		st := widget.RichTextStyleInline
		st.TextStyle = fyne.TextStyle{Bold: bold, Italic: italic}
		segs = append(segs, &widget.TextSegment{Style: st, Text: s})
	}
	at := 0
	for _, r := range ranges {
		s, e := max(r[0], at), min(r[1], len(runes))
		if s >= e {
			continue
		}
		add(string(runes[at:s]), false)
		add(string(runes[s:e]), true)
		at = e
	}
	add(string(runes[at:]), false)
	return segs
}

// compact shows text on one line (runs of white space as one space) cut
// to limit runes, and moves the matched rune ranges with it.
func compact(text string, ranges [][2]int, limit int) (string, [][2]int) {
	runes := []rune(text)
	at := make([]int, len(runes)+1) // where each rune lands
	out := make([]rune, 0, len(runes))
	space := false
	for i, r := range runes {
		at[i] = len(out)
		if unicode.IsSpace(r) {
			if !space && len(out) > 0 {
				out = append(out, ' ')
			}
			space = true
			continue
		}
		space = false
		out = append(out, r)
	}
	at[len(runes)] = len(out)
	cut := len(out)
	if cut > limit {
		cut = limit - 1
	}
	moved := make([][2]int, 0, len(ranges))
	for _, r := range ranges {
		if r[0] < 0 || r[1] > len(runes) || r[0] >= r[1] {
			continue
		}
		s, e := at[r[0]], min(at[r[1]], cut)
		if s < e {
			moved = append(moved, [2]int{s, e})
		}
	}
	shown := strings.TrimRight(string(out[:cut]), " ")
	if cut < len(out) {
		shown += "…"
	}
	return shown, moved
}

// snippet is compact's one-line text starting a little before the first
// match (at a word), so that the match shows even in a long quote.
func snippet(text string, ranges [][2]int, limit int) (string, [][2]int) {
	line, moved := compact(text, ranges, len([]rune(text))+1)
	runes := []rune(line)
	from := 0
	if len(moved) > 0 {
		first := moved[0][0]
		for _, r := range moved {
			first = min(first, r[0])
		}
		from = max(0, first-30)
		for from > 0 && runes[from-1] != ' ' {
			from--
		}
	}
	cut, rs := compact(string(runes[from:]), shift(moved, -from), limit)
	if from > 0 {
		return "…" + cut, shift(rs, 1)
	}
	return cut, rs
}

// shift moves rune ranges by d (the quote is shown after an opening mark).
func shift(ranges [][2]int, d int) [][2]int {
	out := make([][2]int, len(ranges))
	for i, r := range ranges {
		out[i] = [2]int{r[0] + d, r[1] + d}
	}
	return out
}

// searchEntry is the search box: arrow keys move through the results,
// Enter opens the chosen one, Escape clears the query.
type searchEntry struct {
	widget.Entry
	p      *searchPanel
	chosen int
}

func newSearchEntry(p *searchPanel) *searchEntry {
	e := &searchEntry{p: p, chosen: -1}
	e.ExtendBaseWidget(e)
	e.OnChanged = func(q string) { e.chosen = -1; p.onChanged(q) }
	return e
}

func (e *searchEntry) TypedKey(ev *fyne.KeyEvent) {
	n := len(e.p.hits)
	switch ev.Name {
	case fyne.KeyDown:
		if n > 0 {
			e.chosen = min(e.chosen+1, n-1)
			e.p.mark(e.chosen)
		}
	case fyne.KeyUp:
		if n > 0 {
			e.chosen = max(e.chosen-1, 0)
			e.p.mark(e.chosen)
		}
	case fyne.KeyReturn, fyne.KeyEnter:
		if n > 0 {
			e.p.open(max(e.chosen, 0))
		}
	case fyne.KeyEscape:
		e.SetText("")
		e.p.u.reader.focus()
	default:
		e.Entry.TypedKey(ev)
	}
}

// suggestTags offers the library's tags while the last word of the query
// is a tag: qualifier ("tag:evi" → #evidence, #evil); a click puts the tag
// in the query.
func (p *searchPanel) suggestTags(q string) {
	p.tagHints.Objects = nil
	start := strings.LastIndexAny(q, " \t") + 1
	last := q[start:]
	name, ok := strings.CutPrefix(strings.TrimPrefix(last, "-"), "tag:")
	if ok && !strings.HasPrefix(name, `"`) {
		for _, t := range completeTags(p.u.library.tagsInUse(), name, 6) {
			t := t
			b := widget.NewButton("#"+t, func() {
				value := t
				if strings.ContainsAny(t, " \t") {
					value = `"` + t + `"`
				}
				prefix := last[:len(last)-len(name)]
				p.entry.SetText(q[:start] + prefix + value + " ")
				p.entry.CursorColumn = len([]rune(p.entry.Text))
				p.entry.Refresh()
				p.u.win.Canvas().Focus(p.entry)
			})
			b.Importance = widget.LowImportance
			p.tagHints.Add(b)
		}
	}
	p.tagHints.Refresh()
}

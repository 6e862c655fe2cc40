package app

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats/pdf"
)

// libraryPanel is the list of articles on the left, with a filter box and
// tag, colour and author filters.
type libraryPanel struct {
	u      *ui
	search *widget.Entry
	tags   *widget.Select
	colors *widget.Select
	// authors shows only when some annotation has an author (a library
	// shared by a team): one reader's library looks as it always did.
	authors *widget.Select
	list    *widget.List
	count   *widget.Label
	box     *fyne.Container
	// none says that the filters hide every article, and clear clears
	// them.
	none  *widget.Label
	clear *widget.Button

	all   []annotations.ArticleSummary
	shown []annotations.ArticleSummary
	// matching counts, per article, the annotations that pass the tag and
	// colour filters (when one is set).
	matching map[uuid.UUID]int
	open     uuid.UUID
	// tagCounts are the tags in use with their counts, by TagKey.
	tagCounts map[string]*annotations.TagCount
	// authorCounts are the authors of the annotations not in the trash,
	// with their counts, by AuthorKey; authorNames the author of each
	// option of the author filter after the first.
	authorCounts map[string]*annotations.AuthorCount
	authorNames  []string
	// authorsRead numbers the reads of the authors; readingAuthors is set
	// while one is under way, and authorsStale when the feed changed the
	// counts meanwhile (see readAuthors).
	authorsRead                  int
	readingAuthors, authorsStale bool
}

const (
	allTags    = "All tags"
	allColors  = "All colours"
	allAuthors = "All authors"
)

func newLibraryPanel(u *ui) *libraryPanel {
	p := &libraryPanel{u: u, count: widget.NewLabel("")}
	p.search = widget.NewEntry()
	p.search.SetPlaceHolder("Filter articles")
	p.search.OnChanged = func(string) { p.apply() }
	p.tags = widget.NewSelect(nil, p.onTagFilter)
	p.colors = widget.NewSelect(nil, p.onColorFilter)
	p.authors = widget.NewSelect([]string{allAuthors}, p.onAuthorFilter)
	p.authors.SetSelectedIndex(0)
	p.authors.Hide()
	p.authorCounts = map[string]*annotations.AuthorCount{}
	p.list = widget.NewList(
		func() int { return len(p.shown) },
		func() fyne.CanvasObject { return newArticleItem(p) },
		p.updateItem,
	)
	p.list.OnSelected = p.onSelected
	p.none = widget.NewLabel("")
	p.none.Wrapping = fyne.TextWrapWord
	p.none.Importance = widget.LowImportance
	p.clear = widget.NewButton("Clear the filters", func() {
		p.search.SetText("")
		u.setFilter(noteFilter{})
	})
	p.none.Hide()
	p.clear.Hide()
	p.refreshFilters()
	return p
}

func (p *libraryPanel) object() fyne.CanvasObject {
	filters := container.NewVBox(p.search, p.tags, p.colors, p.authors)
	empty := container.NewVBox(p.none, container.NewHBox(p.clear))
	p.box = container.NewBorder(filters, p.count, nil, nil, container.NewStack(p.list, container.NewPadded(empty)))
	return p.box
}

// show shows the library list, or hides it for the search results.
func (p *libraryPanel) show(on bool) {
	if on {
		p.box.Show()
	} else {
		p.box.Hide()
	}
}

func (p *libraryPanel) updateItem(i widget.ListItemID, o fyne.CanvasObject) {
	if i >= len(p.shown) {
		return
	}
	a := p.shown[i]
	it := o.(*articleItem)
	it.id = a.ID
	it.title.SetText(a.Title)
	info := fmt.Sprintf("%d highlight%s · %s", a.Highlights, plural(a.Highlights), a.UpdatedAt.Local().Format("2 Jan 2006"))
	if p.u.filter.active() {
		info = fmt.Sprintf("%d of %d highlights match · %s", p.matching[a.ID], a.Highlights, a.UpdatedAt.Local().Format("2 Jan 2006"))
	}
	if c := a.Cite(); c != "" {
		info += " · " + c
	}
	it.info.SetText(info)
}

// articleItem is a row of the library list: the title and a line of
// counts. A right-click (or a long press) opens its menu.
type articleItem struct {
	widget.BaseWidget
	p           *libraryPanel
	id          uuid.UUID
	title, info *widget.Label
}

// An item that takes right-clicks must take left-clicks too: Fyne's
// window driver gives a click to the deepest object that is Tappable or
// SecondaryTappable under the pointer, and an item that were only
// SecondaryTappable would swallow the list's own left-clicks (a click on
// an article did nothing; Fyne's test driver looks for Tappable only, so
// tests did not see it).
var (
	_ fyne.SecondaryTappable = (*articleItem)(nil)
	_ fyne.Tappable          = (*articleItem)(nil)
)

func newArticleItem(p *libraryPanel) *articleItem {
	it := &articleItem{p: p, title: widget.NewLabel("title"), info: widget.NewLabel("info")}
	it.title.Truncation = fyne.TextTruncateEllipsis
	it.title.TextStyle.Bold = true
	it.info.SizeName = theme.SizeNameCaptionText
	it.info.Truncation = fyne.TextTruncateEllipsis
	it.ExtendBaseWidget(it)
	return it
}

func (it *articleItem) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.NewVBox(it.title, it.info))
}

// Tapped opens the article, as a click on a list row does.
func (it *articleItem) Tapped(*fyne.PointEvent) {
	for i, a := range it.p.shown {
		if a.ID == it.id {
			it.p.list.Select(i)
			if a.ID != it.p.open {
				it.p.onSelected(i)
			}
			return
		}
	}
}

// TappedSecondary opens the article's menu where it was clicked.
func (it *articleItem) TappedSecondary(ev *fyne.PointEvent) {
	m := it.p.articleMenu(it.id)
	widget.ShowPopUpMenuAtPosition(m, it.p.u.win.Canvas(), ev.AbsolutePosition)
}

// articleMenu is what can be done with an article from the list.
func (p *libraryPanel) articleMenu(id uuid.UUID) *fyne.Menu {
	u := p.u
	return fyne.NewMenu("",
		fyne.NewMenuItem("Open", func() { u.openArticle(id) }),
		fyne.NewMenuItem("Rename and details…", func() { u.showArticleDetails(id) }),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Move to the trash", func() { u.trashArticle(id) }),
	)
}

// refresh re-reads the articles and counts, and the authors.
func (p *libraryPanel) refresh() {
	all, err := p.u.svc.Articles()
	if err != nil {
		p.u.showError(err)
		return
	}
	p.all = all
	for _, a := range all {
		if a.Format == annotations.FormatPDF {
			// The PDF engine compiles in the background, so that the
			// first PDF opened shows its pages at once.
			pdf.Warm()
			break
		}
	}
	p.refreshMatching()
	p.apply()
	p.readAuthors()
}

// refreshMatching counts, per article, the annotations that pass the
// filter.
func (p *libraryPanel) refreshMatching() {
	p.matching = nil
	f := p.u.filter
	if !f.active() {
		return
	}
	q := annotations.NotesQuery{}
	if f.tag != "" {
		q.Tags = []string{f.tag}
	}
	if f.color != "" {
		q.Colors = []annotations.Color{f.color}
	}
	q.Author = f.author
	notes, err := p.u.svc.Notes(q)
	if err != nil {
		p.u.showError(err)
		return
	}
	p.matching = map[uuid.UUID]int{}
	for _, n := range notes {
		p.matching[n.ArticleID]++
	}
}

// apply filters the articles by the filter box and the tag and colour
// filters, most recently changed first.
func (p *libraryPanel) apply() {
	words := strings.Fields(strings.ToLower(p.search.Text))
	p.shown = p.shown[:0]
	for _, a := range p.all {
		if p.matching != nil && p.matching[a.ID] == 0 {
			continue
		}
		title := strings.ToLower(a.Title + " " + a.Source)
		ok := true
		for _, w := range words {
			if !strings.Contains(title, w) {
				ok = false
				break
			}
		}
		if ok {
			p.shown = append(p.shown, a)
		}
	}
	p.count.SetText(fmt.Sprintf("%d of %d article%s", len(p.shown), len(p.all), plural(len(p.all))))
	if len(p.shown) == 0 && len(p.all) > 0 {
		what := []string{}
		if f := p.u.filter; f.active() {
			what = append(what, "highlights "+f.matching())
		}
		if t := strings.TrimSpace(p.search.Text); t != "" {
			what = append(what, fmt.Sprintf("“%s” in the title", t))
		}
		p.none.SetText("No article has " + strings.Join(what, " and ") + ".")
		p.none.Show()
		p.clear.Show()
	} else {
		p.none.Hide()
		p.clear.Hide()
	}
	p.list.Refresh()
	p.markOpen(p.open)
}

// markOpen selects the open article's row without reopening it.
func (p *libraryPanel) markOpen(id uuid.UUID) {
	p.open = id
	for i, a := range p.shown {
		if a.ID == id {
			p.list.OnSelected = nil
			p.list.Select(i)
			p.list.OnSelected = p.onSelected
			return
		}
	}
	p.list.UnselectAll()
}

func (p *libraryPanel) onSelected(i widget.ListItemID) {
	if i < len(p.shown) && p.shown[i].ID != p.open {
		p.u.openArticle(p.shown[i].ID)
	}
}

// refreshFilters reads the library's tags and fills the tag and colour
// filters (the colours with their current meanings).
func (p *libraryPanel) refreshFilters() {
	tags, err := p.u.svc.Tags()
	if err != nil {
		p.u.showError(err)
	}
	p.tagCounts = map[string]*annotations.TagCount{}
	for _, t := range tags {
		p.tagCounts[annotations.TagKey(t.Tag)] = &annotations.TagCount{Tag: t.Tag, Count: t.Count}
	}
	p.refreshTagOptions()
	copts := []string{allColors}
	for _, c := range annotations.Colors {
		copts = append(copts, colorName(c, p.u.labels))
	}
	p.colors.Options = copts
	onChange := p.colors.OnChanged
	p.colors.OnChanged = nil
	if p.u.filter.color == "" {
		p.colors.SetSelectedIndex(0)
	} else {
		p.colors.SetSelectedIndex(p.u.filter.color.Key())
	}
	p.colors.OnChanged = onChange
	p.colors.Refresh()
}

// countTags adds d to the counts of tags; it reports whether the set of
// tags in use changed.
func (p *libraryPanel) countTags(tags []string, d int) bool {
	changed := false
	for _, t := range tags {
		k := annotations.TagKey(t)
		tc := p.tagCounts[k]
		if tc == nil {
			tc = &annotations.TagCount{Tag: t}
			p.tagCounts[k] = tc
		}
		tc.Count += d
		if tc.Count <= 0 {
			delete(p.tagCounts, k)
		}
		changed = true
	}
	return changed
}

// tags returns the tags in use, most used first, then alphabetically.
func (p *libraryPanel) tagsInUse() []annotations.TagCount {
	out := make([]annotations.TagCount, 0, len(p.tagCounts))
	for _, tc := range p.tagCounts {
		out = append(out, *tc)
	}
	slices.SortFunc(out, func(a, b annotations.TagCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(annotations.TagKey(a.Tag), annotations.TagKey(b.Tag)))
	})
	return out
}

// refreshTagOptions fills the tag filter from the tag counts; a filter on
// a tag no longer in use is dropped.
func (p *libraryPanel) refreshTagOptions() {
	opts := []string{allTags}
	selected := 0
	for _, t := range p.tagsInUse() {
		opts = append(opts, fmt.Sprintf("%s (%d)", t.Tag, t.Count))
		if p.u.filter.tag != "" && annotations.TagKey(t.Tag) == annotations.TagKey(p.u.filter.tag) {
			selected = len(opts) - 1
		}
	}
	p.tags.Options = opts
	// Select without running onTagFilter: the filter has not changed.
	onChange := p.tags.OnChanged
	p.tags.OnChanged = nil
	p.tags.SetSelectedIndex(selected)
	p.tags.OnChanged = onChange
	p.tags.Refresh()
	if selected == 0 && p.u.filter.tag != "" {
		// The filter's tag is no longer in use: drop the filter.
		f := p.u.filter
		f.tag = ""
		p.u.setFilter(f)
	}
}

func (p *libraryPanel) onTagFilter(choice string) {
	tag := ""
	if i := p.tags.SelectedIndex(); i > 0 {
		tag = strings.TrimSpace(choice[:strings.LastIndex(choice, " (")])
	}
	f := p.u.filter
	f.tag = tag
	p.u.setFilter(f)
}

func (p *libraryPanel) onColorFilter(string) {
	var c annotations.Color
	if i := p.colors.SelectedIndex(); i > 0 {
		c = annotations.Colors[i-1]
	}
	f := p.u.filter
	f.color = c
	p.u.setFilter(f)
}

// filterChanged counts again, per article, the annotations that pass the
// filter, and shows the articles that have some.
func (p *libraryPanel) filterChanged() {
	p.refreshTagOptions()
	p.syncColorFilter()
	p.refreshAuthorOptions()
	p.refreshMatching()
	p.apply()
}

// syncColorFilter shows the filter's colour in the colour filter.
func (p *libraryPanel) syncColorFilter() {
	i := 0
	if p.u.filter.color != "" {
		i = p.u.filter.color.Key()
	}
	if p.colors.SelectedIndex() == i {
		return
	}
	onChange := p.colors.OnChanged
	p.colors.OnChanged = nil
	p.colors.SetSelectedIndex(i)
	p.colors.OnChanged = onChange
}

// onLibraryChanged follows the library's changes: new articles join the
// list, articles whose text changed move up, and the highlight counts, the
// filter's counts and the tag filter's tags change by what changed, without
// reading the library again (an import does).
func (p *libraryPanel) onLibraryChanged(ev annotations.Event) {
	if ev.Bulk {
		p.refresh() // the authors too
		p.refreshFilters()
		return
	}
	if ev.Labels {
		p.refreshFilters()
	}
	for _, a := range ev.Articles {
		meta, err := p.u.svc.ArticleMeta(a.ID)
		if err != nil {
			continue
		}
		i := p.index(a.ID)
		switch {
		case meta.Trashed() && i >= 0:
			p.all = append(p.all[:i], p.all[i+1:]...)
		case meta.Trashed():
		case i >= 0:
			p.all[i].Article = meta
		default:
			// New, or back from the trash: its highlights come back
			// below, counted by the changes.
			p.all = append(p.all, annotations.ArticleSummary{Article: meta})
		}
	}
	tagsChanged, authorsChanged := false, false
	for _, c := range ev.Annotations {
		authorsChanged = p.countAuthors(c) || authorsChanged
		before, after := c.Before != nil && !c.Before.Trashed(), !c.After.Trashed()
		if i := p.index(c.After.ArticleID); i >= 0 {
			p.all[i].Highlights += count(after) - count(before)
		}
		if p.matching != nil {
			f := p.u.filter
			p.matching[c.After.ArticleID] += count(after && f.match(c.After)) - count(before && f.match(*c.Before))
		}
		if before {
			tagsChanged = p.countTags(c.Before.Tags, -1) || tagsChanged
		}
		if after {
			tagsChanged = p.countTags(c.After.Tags, +1) || tagsChanged
		}
	}
	if len(ev.Articles) > 0 {
		sortArticles(p.all)
	}
	if len(ev.Articles) > 0 || len(ev.Annotations) > 0 {
		p.apply()
	}
	if tagsChanged {
		p.refreshTagOptions()
	}
	if authorsChanged {
		p.refreshAuthorOptions()
	}
}

func count(b bool) int {
	if b {
		return 1
	}
	return 0
}

// index returns the position of an article in all, or -1.
func (p *libraryPanel) index(id uuid.UUID) int {
	for i := range p.all {
		if p.all[i].ID == id {
			return i
		}
	}
	return -1
}

// sortArticles orders articles most recently changed first, as the
// service lists them.
func sortArticles(list []annotations.ArticleSummary) {
	slices.SortStableFunc(list, func(a, b annotations.ArticleSummary) int {
		return b.UpdatedAt.Compare(a.UpdatedAt)
	})
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// readAuthors reads the authors of the library's annotations, with their
// counts, off the UI thread: the library keeps no index of authors, so
// the service reads every annotation (20 s for a million). The feed's
// changes are counted as they come meanwhile; when one changed the counts
// before the read was back, the read may or may not have seen it, and the
// authors are read again.
func (p *libraryPanel) readAuthors() {
	p.authorsRead++
	n := p.authorsRead
	p.readingAuthors, p.authorsStale = true, false
	svc := p.u.svc
	p.u.background(func() {
		list, err := svc.Authors()
		p.u.do(func() {
			if n != p.authorsRead {
				return // a newer read is on its way
			}
			if err != nil {
				p.readingAuthors = false
				p.u.showError(err)
				return
			}
			if p.authorsStale {
				p.readAuthors()
				return
			}
			p.readingAuthors = false
			p.authorCounts = make(map[string]*annotations.AuthorCount, len(list))
			for _, a := range list {
				p.authorCounts[annotations.AuthorKey(a.Author)] = &annotations.AuthorCount{Author: a.Author, Count: a.Count}
			}
			p.refreshAuthorOptions()
		})
	})
}

// countAuthors counts an annotation's change in the author counts; it
// reports whether they changed.
func (p *libraryPanel) countAuthors(c annotations.AnnotationChange) bool {
	before := c.Before != nil && !c.Before.Trashed() && c.Before.Author != ""
	after := !c.After.Trashed() && c.After.Author != ""
	if before && after && annotations.SameAuthor(c.Before.Author, c.After.Author) || !before && !after {
		return false
	}
	if before {
		p.countAuthor(c.Before.Author, -1)
	}
	if after {
		p.countAuthor(c.After.Author, +1)
	}
	if p.readingAuthors {
		p.authorsStale = true
	}
	return true
}

func (p *libraryPanel) countAuthor(name string, d int) {
	k := annotations.AuthorKey(name)
	ac := p.authorCounts[k]
	if ac == nil {
		ac = &annotations.AuthorCount{Author: name}
		p.authorCounts[k] = ac
	}
	ac.Count += d
	if ac.Count <= 0 {
		delete(p.authorCounts, k)
	}
}

// refreshAuthorOptions fills the author filter from the author counts,
// and shows it when there is an author; a filter on an author who has no
// annotation left is dropped.
func (p *libraryPanel) refreshAuthorOptions() {
	list := make([]annotations.AuthorCount, 0, len(p.authorCounts))
	for _, ac := range p.authorCounts {
		list = append(list, *ac)
	}
	annotations.SortAuthors(list)
	opts := []string{allAuthors}
	p.authorNames = p.authorNames[:0]
	selected := 0
	for _, a := range list {
		opts = append(opts, fmt.Sprintf("%s (%d)", a.Author, a.Count))
		p.authorNames = append(p.authorNames, a.Author)
		if p.u.filter.author != "" && annotations.SameAuthor(a.Author, p.u.filter.author) {
			selected = len(opts) - 1
		}
	}
	p.authors.Options = opts
	// Select without running onAuthorFilter: the filter has not changed.
	onChange := p.authors.OnChanged
	p.authors.OnChanged = nil
	p.authors.SetSelectedIndex(selected)
	p.authors.OnChanged = onChange
	if shown := len(list) > 0; shown != p.authors.Visible() {
		if shown {
			p.authors.Show()
		} else {
			p.authors.Hide()
		}
		// The filters above the list change height: lay the panel out
		// again (a sync's authors came in, and nothing else moved).
		p.box.Refresh()
	}
	p.authors.Refresh()
	if selected == 0 && p.u.filter.author != "" && !p.readingAuthors {
		// The filter's author has no annotation left: drop the filter.
		f := p.u.filter
		f.author = ""
		p.u.setFilter(f)
	}
}

func (p *libraryPanel) onAuthorFilter(string) {
	author := ""
	if i := p.authors.SelectedIndex(); i > 0 && i <= len(p.authorNames) {
		author = p.authorNames[i-1]
	}
	f := p.u.filter
	f.author = author
	p.u.setFilter(f)
}

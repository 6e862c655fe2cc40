package annotations

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations/anchor"
)

// PageLayout is where an article's text sits on the pages it was read
// from (a PDF): the pages, each a run of the text, and one box per rune
// of the text. It lets a highlight made on the text be drawn on the page,
// and a selection made on the page become offsets into the text: one
// anchor, two views.
type PageLayout struct {
	Pages []Page
	// Boxes[i] is the box of the text's rune i on its page; a rune that
	// was not printed (a space or line break put between words and
	// paragraphs) has an empty box.
	Boxes []Box
}

// Page is one page of a PageLayout: its runes [Start, End) of the text and
// its size in PDF points.
type Page struct {
	Start, End    int
	Width, Height float32
}

// Box is a rectangle on a page in PDF points, origin at the bottom left.
type Box struct{ X0, Y0, X1, Y1 float32 }

// Empty reports whether the box covers nothing (a box with a NaN in it
// covers nothing).
func (b Box) Empty() bool { return !(b.X1 > b.X0 && b.Y1 > b.Y0) }

// ErrLayout is returned when a page layout does not fit its text or its
// stored form is damaged.
var ErrLayout = errors.New("page layout does not fit the text")

// Check reports whether the layout fits a text of n runes: one box per
// rune, pages in order, each inside the text, none of them empty or
// overlapping, sizes positive.
func (l PageLayout) Check(n int) error {
	if len(l.Boxes) != n {
		return fmt.Errorf("%w: %d boxes for %d runes", ErrLayout, len(l.Boxes), n)
	}
	at := 0
	for i, p := range l.Pages {
		if p.Start < at || p.End < p.Start || p.End > n {
			return fmt.Errorf("%w: page %d holds runes %d–%d", ErrLayout, i+1, p.Start, p.End)
		}
		if !(p.Width > 0 && p.Height > 0 && p.Width < 1e5 && p.Height < 1e5) {
			return fmt.Errorf("%w: page %d is %g × %g points", ErrLayout, i+1, p.Width, p.Height)
		}
		at = p.End
	}
	for i, b := range l.Boxes {
		for _, f := range [4]float32{b.X0, b.Y0, b.X1, b.Y1} {
			if math.IsNaN(float64(f)) || math.IsInf(float64(f), 0) || math.Abs(float64(f)) > 1e6 {
				return fmt.Errorf("%w: the box of rune %d is at %g, %g, %g, %g", ErrLayout, i, b.X0, b.Y0, b.X1, b.Y1)
			}
		}
	}
	return nil
}

// PageOf returns the 1-based page the rune at offset is on, or the page
// before it when the rune lies between pages; 0 when there are no pages.
func (l PageLayout) PageOf(offset int) int {
	page := 0
	for i, p := range l.Pages {
		if p.Start > offset {
			break
		}
		page = i + 1
	}
	if page == 0 && len(l.Pages) > 0 {
		page = 1
	}
	return page
}

// Place returns where the runes [start, end) are on the pages: the
// 1-based page they start on and their rectangles, one per run of boxes on
// one line (boxes that overlap vertically and follow each other from left
// to right), in PDF points rounded to 0.01. Runes with empty boxes add no
// rectangle but do not break a line's run.
func (l PageLayout) Place(start, end int) (page int, rects []anchor.Rect) {
	return place(l.Pages, len(l.Boxes), func(i int) Box { return l.Boxes[i] }, start, end)
}

// place is Place over boxes read by box(i), n of them.
func place(pages []Page, n int, box func(int) Box, start, end int) (page int, rects []anchor.Rect) {
	start, end = max(start, 0), min(end, n)
	if start >= end || len(pages) == 0 {
		return 0, nil
	}
	page = (PageLayout{Pages: pages}).PageOf(start)
	pi := page - 1
	var cur *anchor.Rect
	for i := start; i < end; i++ {
		for pi+1 < len(pages) && i >= pages[pi+1].Start {
			pi++
			cur = nil
		}
		b := box(i)
		if b.Empty() {
			continue
		}
		if cur != nil && sameLine(*cur, b) {
			cur.X0, cur.Y0 = math.Min(cur.X0, float64(b.X0)), math.Min(cur.Y0, float64(b.Y0))
			cur.X1, cur.Y1 = math.Max(cur.X1, float64(b.X1)), math.Max(cur.Y1, float64(b.Y1))
			continue
		}
		rects = append(rects, anchor.Rect{Page: pi + 1, X0: float64(b.X0), Y0: float64(b.Y0), X1: float64(b.X1), Y1: float64(b.Y1)})
		cur = &rects[len(rects)-1]
	}
	for i := range rects {
		r := &rects[i]
		r.X0, r.Y0, r.X1, r.Y1 = round2(r.X0), round2(r.Y0), round2(r.X1), round2(r.Y1)
	}
	return page, rects
}

// PlaceStored is Place on a layout in its stored form (MarshalBinary's),
// reading only the pages and the boxes of [start, end): a highlight on a
// 300-page PDF does not decode its million boxes.
func PlaceStored(raw []byte, start, end int) (page int, rects []anchor.Rect, err error) {
	pages, boxes, err := splitStored(raw)
	if err != nil {
		return 0, nil, err
	}
	n := len(boxes) / 16
	page, rects = place(pages, n, func(i int) Box { return boxAt(boxes, i) }, start, end)
	return page, rects, nil
}

// sameLine reports whether box b continues the line run r: it overlaps r
// vertically by at least half the smaller height, and starts after r's
// left edge, no further to the right of r than one and a half times its
// height (a word space is a third of one; a gap that wide is another
// column).
func sameLine(r anchor.Rect, b Box) bool {
	y0, y1 := math.Max(r.Y0, float64(b.Y0)), math.Min(r.Y1, float64(b.Y1))
	h := math.Min(r.Y1-r.Y0, float64(b.Y1-b.Y0))
	if y1-y0 < h/2 {
		return false
	}
	x0 := float64(b.X0)
	return x0 >= r.X0 && x0-r.X1 <= 1.5*(r.Y1-r.Y0)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// placeOnPages sets the page and rectangles of a target on its article's
// pages, and clears them on an article without: a target's place on the
// pages always follows its offsets.
func placeOnPages(r Reader, articleID uuid.UUID, t *Target) error {
	page, rects, err := r.PlaceOnPages(articleID, t.Start, t.End)
	if errors.Is(err, ErrNotFound) {
		t.Page, t.Rects = 0, nil
		return nil
	}
	if err != nil {
		return err
	}
	t.Page, t.Rects = page, rects
	return nil
}

// layoutOf returns an article's page layout, or nil when it has none.
func layoutOf(r Reader, articleID uuid.UUID) (*PageLayout, error) {
	l, err := r.ArticleLayout(articleID)
	if errors.Is(err, ErrNotFound) {
		return nil, nil
	}
	return l, err
}

// ArticleFile returns the file a paged article (a PDF) was read from and
// where its text is on the pages; ErrNotFound for an article without.
func (s *Service) ArticleFile(id uuid.UUID) ([]byte, *PageLayout, error) {
	var file []byte
	var layout *PageLayout
	err := s.store.View(func(r Reader) error {
		var err error
		if file, err = r.ArticleFile(id); err != nil {
			return err
		}
		layout, err = r.ArticleLayout(id)
		return err
	})
	return file, layout, err
}

// ArticleLayout returns where an article's text is on its pages, or nil
// for an article without pages.
func (s *Service) ArticleLayout(id uuid.UUID) (*PageLayout, error) {
	var layout *PageLayout
	err := s.store.View(func(r Reader) error {
		var err error
		layout, err = layoutOf(r, id)
		return err
	})
	return layout, err
}

// layoutMagic starts a stored page layout; the byte after it is the
// version.
const layoutMagic = "GLPL"

// MarshalBinary encodes the layout compactly (a paper's 100,000 boxes
// are 1.6 MB; as JSON they would be three times that): the magic, a
// version byte, the page count, each page's start, end, width and height,
// the box count and each box, little-endian.
func (l PageLayout) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, len(layoutMagic)+1+4+len(l.Pages)*16+4+len(l.Boxes)*16)
	out = append(out, layoutMagic...)
	out = append(out, 1)
	out = binary.LittleEndian.AppendUint32(out, uint32(len(l.Pages)))
	for _, p := range l.Pages {
		out = binary.LittleEndian.AppendUint32(out, uint32(p.Start))
		out = binary.LittleEndian.AppendUint32(out, uint32(p.End))
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(p.Width))
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(p.Height))
	}
	out = binary.LittleEndian.AppendUint32(out, uint32(len(l.Boxes)))
	for _, b := range l.Boxes {
		for _, f := range [4]float32{b.X0, b.Y0, b.X1, b.Y1} {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(f))
		}
	}
	return out, nil
}

// UnmarshalBinary decodes what MarshalBinary wrote; damaged input is an
// ErrLayout, never a panic or an allocation larger than the input.
func (l *PageLayout) UnmarshalBinary(data []byte) error {
	pages, raw, err := splitStored(data)
	if err != nil {
		return err
	}
	boxes := make([]Box, len(raw)/16)
	for i := range boxes {
		boxes[i] = boxAt(raw, i)
	}
	l.Pages, l.Boxes = pages, boxes
	return nil
}

// splitStored reads a stored layout's pages and finds its boxes (16 bytes
// each), checking the lengths.
func splitStored(data []byte) ([]Page, []byte, error) {
	bad := func(what string) error { return fmt.Errorf("%w: stored layout %s", ErrLayout, what) }
	if len(data) < len(layoutMagic)+1+8 || string(data[:len(layoutMagic)]) != layoutMagic {
		return nil, nil, bad("has no header")
	}
	if v := data[len(layoutMagic)]; v != 1 {
		return nil, nil, bad(fmt.Sprintf("is of version %d", v))
	}
	data = data[len(layoutMagic)+1:]
	u32 := func() uint32 {
		v := binary.LittleEndian.Uint32(data)
		data = data[4:]
		return v
	}
	f32 := func() float32 { return math.Float32frombits(u32()) }
	np := int(u32())
	if np > (len(data)-4)/16 {
		return nil, nil, bad("is cut short")
	}
	pages := make([]Page, np)
	for i := range pages {
		pages[i] = Page{Start: int(u32()), End: int(u32()), Width: f32(), Height: f32()}
	}
	nb := int(u32())
	if nb != len(data)/16 || len(data)%16 != 0 {
		return nil, nil, bad("has the wrong length")
	}
	return pages, data, nil
}

// boxAt decodes box i of a stored layout's boxes.
func boxAt(raw []byte, i int) Box {
	b := raw[i*16 : i*16+16]
	f := func(k int) float32 { return math.Float32frombits(binary.LittleEndian.Uint32(b[4*k:])) }
	return Box{f(0), f(1), f(2), f(3)}
}

// checkLayout checks an article's layout against its text.
func checkLayout(layout *PageLayout, text string) error {
	if layout == nil {
		return nil
	}
	return layout.Check(utf8.RuneCountInString(text))
}

package pageview

import "math"

// The pure maths of the view: where pages go, where a point on the
// screen falls in the text, which rectangles a range covers. Coordinates
// on a page are PDF points with the origin at the bottom left (as the
// boxes come); in the view they are Fyne units from the top left.

// pointsToUnits is the scale of 100 %: a PDF point is 1/72 inch, a Fyne
// unit about 1/96.
const pointsToUnits = 96.0 / 72.0

// placed is where a page is drawn in the content: its top left and size
// in units, and units per point.
type placed struct {
	x, y, w, h float32
	scale      float32
}

// placePages stacks the pages down the content, centred in viewW, gap
// units apart with pad around them. zoom 0 fits the widest page to the
// width; otherwise it is the scale against 100 %. It returns the pages'
// places and the content's size.
func placePages(pages []Page, viewW, zoom, pad, gap float32) ([]placed, float32, float32) {
	var widest float32
	for _, p := range pages {
		widest = max(widest, p.Width)
	}
	scale := zoom * pointsToUnits
	if zoom <= 0 || widest == 0 {
		scale = 1
		if widest > 0 {
			scale = max(viewW-2*pad, 100) / widest
		}
	}
	contentW := max(viewW, widest*scale+2*pad)
	out := make([]placed, len(pages))
	y := pad
	for i, p := range pages {
		w, h := p.Width*scale, p.Height*scale
		out[i] = placed{x: (contentW - w) / 2, y: y, w: w, h: h, scale: scale}
		y += h + gap
	}
	return out, contentW, y - gap + pad
}

// pageAt returns the page whose band (the page and the gap below it)
// holds the content y, or -1 above the first.
func pageAt(places []placed, y float32) int {
	lo, hi := 0, len(places)-1
	if hi < 0 || y < places[0].y {
		return -1
	}
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if places[mid].y <= y {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// toView turns a box on page p (points) into view units.
func toView(pl placed, p Page, b Box) (x0, y0, x1, y1 float32) {
	return pl.x + b.X0*pl.scale, pl.y + (p.Height-b.Y1)*pl.scale, pl.x + b.X1*pl.scale, pl.y + (p.Height-b.Y0)*pl.scale
}

// toPage turns a view point into a point on the page (points).
func toPage(pl placed, p Page, x, y float32) (float32, float32) {
	return (x - pl.x) / pl.scale, p.Height - (y-pl.y)/pl.scale
}

// hit finds the text under a point on a page: the rune whose box holds
// it, else the nearest rune on the same line, else the nearest rune
// below or above. under is that rune's offset (-1 when the page has no
// printed rune); caret is where a selection boundary goes: before the
// rune when the point is on its left half, after it on its right half.
func hit(boxes []Box, p Page, px, py float32) (caret, under int) {
	best, bestD := -1, float32(math.MaxFloat32)
	sameLine := false
	for i := p.Start; i < p.End && i < len(boxes); i++ {
		b := boxes[i]
		if b.empty() {
			continue
		}
		onLine := py >= b.Y0 && py <= b.Y1
		if onLine && px >= b.X0 && px <= b.X1 {
			best = i
			break
		}
		var dx float32
		if px < b.X0 || px > b.X1 {
			dx = min(abs(px-b.X0), abs(px-b.X1))
		}
		d := dx
		if !onLine {
			// Off the line: vertical distance counts most, so that a
			// point in the margin beside a line picks that line.
			d = 1000 + min(abs(py-b.Y0), abs(py-b.Y1))*4 + dx
		}
		if onLine && !sameLine || onLine == sameLine && d < bestD {
			best, bestD, sameLine = i, d, onLine
		}
	}
	if best < 0 {
		return p.Start, -1
	}
	b := boxes[best]
	if px > (b.X0+b.X1)/2 {
		return best + 1, best
	}
	return best, best
}

func abs(f float32) float32 { return float32(math.Abs(float64(f))) }

// pageRect is a rectangle on one page.
type pageRect struct {
	page int
	Box
}

// rangeRects returns the rectangles of the runes [start, end): one per
// run of boxes on one line (boxes overlapping vertically by half the
// smaller height, following left to right, no further apart than one
// and a half heights: a word space is a third of one, a column gutter
// more). Runes with empty boxes break no run. It is the rule the
// library's annotations.PageLayout.Place uses for the rectangles it
// stores, so the page shows what an export says.
func rangeRects(pages []Page, boxes []Box, start, end int) []pageRect {
	start, end = max(start, 0), min(end, len(boxes))
	var out []pageRect
	pi := pageOf(pages, start)
	var cur *pageRect
	for i := start; i < end; i++ {
		for pi+1 < len(pages) && i >= pages[pi+1].Start {
			pi++
			cur = nil
		}
		b := boxes[i]
		if b.empty() {
			continue
		}
		if cur != nil && continues(cur.Box, b) {
			cur.X0, cur.Y0, cur.X1, cur.Y1 = min(cur.X0, b.X0), min(cur.Y0, b.Y0), max(cur.X1, b.X1), max(cur.Y1, b.Y1)
			continue
		}
		out = append(out, pageRect{page: pi, Box: b})
		cur = &out[len(out)-1]
	}
	return out
}

func continues(r, b Box) bool {
	y0, y1 := max(r.Y0, b.Y0), min(r.Y1, b.Y1)
	if y1-y0 < min(r.Y1-r.Y0, b.Y1-b.Y0)/2 {
		return false
	}
	return b.X0 >= r.X0 && b.X0-r.X1 <= 1.5*(r.Y1-r.Y0)
}

// pageOf returns the page that holds offset, or the last page starting
// at or before it.
func pageOf(pages []Page, offset int) int {
	p := 0
	for i, pg := range pages {
		if pg.Start > offset {
			break
		}
		p = i
	}
	return p
}

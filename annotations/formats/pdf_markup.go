package formats

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/formats/pdf"
)

// A PDF's highlights go both ways: those another reader saved in the file
// (text markup annotations) come in as Gloss highlights when it is added,
// and Gloss's highlights go out as standard /Highlight annotations in a
// copy of the PDF (gloss export --format pdf).

// pdfRGB are the colours of the eight highlight colours in a PDF: the
// export's CSS colours (w3c.go), opaque; readers draw /Highlight
// annotations blended with the page (multiply).
var pdfRGB = map[annotations.Color][3]uint8{
	annotations.Yellow:  {255, 210, 31},
	annotations.Red:     {240, 74, 74},
	annotations.Green:   {60, 192, 90},
	annotations.Blue:    {61, 139, 242},
	annotations.Purple:  {155, 92, 240},
	annotations.Magenta: {232, 76, 200},
	annotations.Orange:  {255, 140, 26},
	annotations.Gray:    {154, 154, 154},
}

// nearestColor is the highlight colour nearest to an RGB colour. Readers'
// highlighter colours differ in shade, not in hue (Zotero's red is
// #ff6666, Acrobat's yellow #ffff00), so the hue decides: the nearest hue
// on the colour wheel among the seven coloured highlights, gray for a
// colour with little saturation or light.
func nearestColor(r, g, b uint8) annotations.Color {
	h, sat, val := hsv(r, g, b)
	if sat < 0.2 || val < 0.3 {
		return annotations.Gray
	}
	best, bestD := annotations.Yellow, math.MaxFloat64
	for _, c := range annotations.Colors { // in key order: ties go the same way
		ph, ok := hues[c]
		if !ok {
			continue
		}
		d := math.Abs(h - ph)
		d = math.Min(d, 360-d)
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// hues are where the coloured highlights sit on the colour wheel, in
// degrees: the named colours' own hues, so that pure blue is blue.
var hues = map[annotations.Color]float64{
	annotations.Red: 0, annotations.Orange: 30, annotations.Yellow: 55, annotations.Green: 120,
	annotations.Blue: 222, annotations.Purple: 268, annotations.Magenta: 305,
}

// hsv returns a colour's hue in degrees, saturation and value in [0, 1].
func hsv(r, g, b uint8) (h, s, v float64) {
	rf, gf, bf := float64(r)/255, float64(g)/255, float64(b)/255
	hi, lo := math.Max(rf, math.Max(gf, bf)), math.Min(rf, math.Min(gf, bf))
	v = hi
	if hi == 0 {
		return 0, 0, 0
	}
	s = (hi - lo) / hi
	if hi == lo {
		return 0, s, v
	}
	switch hi {
	case rf:
		h = 60 * math.Mod((gf-bf)/(hi-lo), 6)
	case gf:
		h = 60 * ((bf-rf)/(hi-lo) + 2)
	default:
		h = 60 * ((rf-gf)/(hi-lo) + 4)
	}
	if h < 0 {
		h += 360
	}
	return h, s, v
}

// PDFHighlight is a highlight found in a PDF, placed on its text: the
// rune range its rectangles cover, its colour and its comment.
type PDFHighlight struct {
	Start, End int
	Color      annotations.Color
	Note       string
}

// markupsOnText places a PDF's markups on its text: a markup covers the
// runes of its page whose boxes' centres fall inside one of its
// rectangles. One that covers no rune (drawn over a picture, say) is left
// out.
func markupsOnText(ms []pdf.Markup, layout *annotations.PageLayout, text []rune) []PDFHighlight {
	var out []PDFHighlight
	for _, m := range ms {
		if m.Page < 0 || m.Page >= len(layout.Pages) {
			continue
		}
		p := layout.Pages[m.Page]
		if m.Kind == "Text" {
			// A note points at a place, not at text: it goes on the word
			// nearest to its icon's top left corner.
			if s, e, ok := wordNear(layout, p, m.Rects[0].X0, m.Rects[0].Y1, text); ok {
				out = append(out, PDFHighlight{Start: s, End: e, Color: nearestColor(m.R, m.G, m.B), Note: strings.TrimSpace(m.Contents)})
			}
			continue
		}
		start, end := -1, -1
		for i := p.Start; i < p.End; i++ {
			b := layout.Boxes[i]
			if b.Empty() {
				continue
			}
			cx, cy := float64(b.X0+b.X1)/2, float64(b.Y0+b.Y1)/2
			for _, r := range m.Rects {
				if cx >= r.X0 && cx <= r.X1 && cy >= r.Y0 && cy <= r.Y1 {
					if start < 0 {
						start = i
					}
					end = i + 1
					break
				}
			}
		}
		if start < 0 {
			continue
		}
		note := strings.TrimSpace(m.Contents)
		out = append(out, PDFHighlight{Start: start, End: end, Color: nearestColor(m.R, m.G, m.B), Note: note})
	}
	return out
}

// PDFAnnotations are the highlights found in a PDF document (see
// Document.Highlights), made annotations of its article, ready for
// Service.ImportExternal: the whole lot lands in one transaction.
func (d Document) PDFAnnotations(articleID uuid.UUID, newID func() uuid.UUID, now time.Time) []annotations.ExternalAnnotation {
	out := make([]annotations.ExternalAnnotation, 0, len(d.Highlights))
	for _, h := range d.Highlights {
		out = append(out, annotations.ExternalAnnotation{Annotation: annotations.Annotation{
			ID: newID(), ArticleID: articleID, Color: h.Color, Note: h.Note, Tags: []string{},
			Status: annotations.StatusAnchored, Target: annotations.Target{Start: h.Start, End: h.End},
			CreatedAt: now, UpdatedAt: now,
		}})
	}
	return out
}

// wordNear finds the word of page p whose first printed rune's box is
// nearest to the point (x, y), and returns its runes [start, end).
func wordNear(layout *annotations.PageLayout, p annotations.Page, x, y float64, text []rune) (int, int, bool) {
	best, bestD := -1, math.MaxFloat64
	for i := p.Start; i < p.End && i < len(text); i++ {
		b := layout.Boxes[i]
		if b.Empty() || !isWordRune(text[i]) {
			continue
		}
		dx, dy := float64(b.X0)-x, float64(b.Y1)-y
		if d := dx*dx + dy*dy; d < bestD {
			best, bestD = i, d
		}
	}
	if best < 0 {
		return 0, 0, false
	}
	s, e := best, best+1
	for s > p.Start && isWordRune(text[s-1]) {
		s--
	}
	for e < p.End && isWordRune(text[e]) {
		e++
	}
	return s, e, true
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// ErrNoPages is returned by WritePDF for an article that is no PDF, or a
// PDF whose file the library does not hold.
var ErrNoPages = errors.New("not a PDF article")

// WritePDF returns a copy of a PDF article's file with its highlights
// (those attached to the text, not in the trash) as /Highlight
// annotations: their rectangles, colour, the note as the comment
// (/Contents), the tags and the colour's meaning as the subject (/Subj).
// A highlight across two pages becomes one annotation on each.
func WritePDF(file []byte, anns []annotations.Annotation, labels annotations.ColorLabels) ([]byte, error) {
	engine, err := pdf.Shared()
	if err != nil {
		return nil, err
	}
	doc, err := engine.Open(file)
	if err != nil {
		return nil, fmt.Errorf("the article's PDF: %w", err)
	}
	defer doc.Close()
	var ms []pdf.Markup
	for _, a := range anns {
		if a.Trashed() || a.Status == annotations.StatusOrphaned || len(a.Target.Rects) == 0 {
			continue
		}
		rgb := pdfRGB[a.Color]
		subject := labels.Label(a.Color)
		if len(a.Tags) > 0 {
			if subject != "" {
				subject += "; "
			}
			subject += strings.Join(a.Tags, "; ")
		}
		byPage := map[int][]pdf.Rect{}
		var order []int
		for _, r := range a.Target.Rects {
			if _, ok := byPage[r.Page]; !ok {
				order = append(order, r.Page)
			}
			byPage[r.Page] = append(byPage[r.Page], pdf.Rect{X0: r.X0, Y0: r.Y0, X1: r.X1, Y1: r.Y1})
		}
		for _, page := range order {
			ms = append(ms, pdf.Markup{Page: page - 1, Kind: "Highlight", Rects: byPage[page],
				R: rgb[0], G: rgb[1], B: rgb[2], Contents: a.Note, Subject: subject, Author: "Gloss"})
		}
	}
	return doc.WithMarkups(ms)
}

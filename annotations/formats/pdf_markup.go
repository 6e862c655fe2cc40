package formats

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

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

// nearestColor is the highlight colour nearest to an RGB colour, by the
// "redmean" weighted distance (a cheap approximation of how far apart
// people see two colours; Riemersma, "Colour metric", compuphase.com).
func nearestColor(r, g, b uint8) annotations.Color {
	best, bestD := annotations.Yellow, math.MaxFloat64
	for _, c := range annotations.Colors {
		p := pdfRGB[c]
		rm := (float64(r) + float64(p[0])) / 2
		dr, dg, db := float64(r)-float64(p[0]), float64(g)-float64(p[1]), float64(b)-float64(p[2])
		d := (2+rm/256)*dr*dr + 4*dg*dg + (2+(255-rm)/256)*db*db
		if d < bestD {
			best, bestD = c, d
		}
	}
	return best
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
func markupsOnText(ms []pdf.Markup, layout *annotations.PageLayout) []PDFHighlight {
	var out []PDFHighlight
	for _, m := range ms {
		if m.Page < 0 || m.Page >= len(layout.Pages) {
			continue
		}
		p := layout.Pages[m.Page]
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

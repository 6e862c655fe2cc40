package pdf

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/klippa-app/go-pdfium/enums"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/structs"
)

// Markup is a text markup annotation of a page (ISO 32000-1 §12.5.6.10):
// a highlight, underline, squiggly underline or strike-out over the
// rectangles of some text, with its colour and its comment; or a note
// (a "sticky note", §12.5.6.4) with its comment, Rects holding where its
// icon is.
type Markup struct {
	Page     int    // 0-based
	Kind     string // "Highlight", "Underline", "Squiggly", "StrikeOut", "Text" (a note)
	Rects    []Rect // in points, origin at the bottom left
	R, G, B  uint8
	Contents string // the comment
	Subject  string
	Author   string
}

// Rect is a rectangle on a page in points.
type Rect struct{ X0, Y0, X1, Y1 float64 }

// maxMarkups bounds the annotations read from one PDF.
const maxMarkups = 10_000

var markupKinds = map[enums.FPDF_ANNOTATION_SUBTYPE]string{
	enums.FPDF_ANNOT_SUBTYPE_HIGHLIGHT: "Highlight",
	enums.FPDF_ANNOT_SUBTYPE_UNDERLINE: "Underline",
	enums.FPDF_ANNOT_SUBTYPE_SQUIGGLY:  "Squiggly",
	enums.FPDF_ANNOT_SUBTYPE_STRIKEOUT: "StrikeOut",
}

// Markups returns the text markup annotations and the notes saved in the
// PDF, page by page. Other annotations (links, form fields, drawings,
// the pop-ups that show another annotation's comment) are left out.
func (d *Document) Markups() ([]Markup, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, errors.New("the PDF is closed")
	}
	var out []Markup
	for p := range d.pages {
		err := d.guard(pageLimit, func() error {
			n, err := d.inst.FPDFPage_GetAnnotCount(&requests.FPDFPage_GetAnnotCount{Page: d.page(p)})
			if err != nil {
				return err
			}
			for i := 0; i < n.Count && len(out) < maxMarkups; i++ {
				got, err := d.inst.FPDFPage_GetAnnot(&requests.FPDFPage_GetAnnot{Page: d.page(p), Index: i})
				if err != nil {
					continue
				}
				if m, ok := d.markup(got.Annotation); ok {
					m.Page = p
					out = append(out, m)
				}
				_, _ = d.inst.FPDFPage_CloseAnnot(&requests.FPDFPage_CloseAnnot{Annotation: got.Annotation})
			}
			return nil
		})
		if err != nil {
			return out, err
		}
	}
	return out, nil
}

// markup reads one annotation, false when it is no text markup.
func (d *Document) markup(a references.FPDF_ANNOTATION) (Markup, bool) {
	sub, err := d.inst.FPDFAnnot_GetSubtype(&requests.FPDFAnnot_GetSubtype{Annotation: a})
	if err != nil {
		return Markup{}, false
	}
	kind, ok := markupKinds[sub.Subtype]
	if !ok && sub.Subtype != enums.FPDF_ANNOT_SUBTYPE_TEXT {
		return Markup{}, false
	}
	m := Markup{Kind: kind, R: 255, G: 210, B: 31} // no colour: yellow
	if c, err := d.inst.FPDFAnnot_GetColor(&requests.FPDFAnnot_GetColor{Annotation: a, ColorType: enums.FPDFANNOT_COLORTYPE_Color}); err == nil {
		m.R, m.G, m.B = uint8(c.R), uint8(c.G), uint8(c.B)
	}
	for key, to := range map[string]*string{"Contents": &m.Contents, "Subj": &m.Subject, "T": &m.Author} {
		if v, err := d.inst.FPDFAnnot_GetStringValue(&requests.FPDFAnnot_GetStringValue{Annotation: a, Key: key}); err == nil {
			*to = v.Value
		}
	}
	if !ok { // a note: where its icon is
		r, err := d.inst.FPDFAnnot_GetRect(&requests.FPDFAnnot_GetRect{Annotation: a})
		if err != nil || m.Contents == "" {
			return Markup{}, false
		}
		m.Kind = "Text"
		m.Rects = []Rect{{X0: float64(min(r.Rect.Left, r.Rect.Right)), Y0: float64(min(r.Rect.Bottom, r.Rect.Top)),
			X1: float64(max(r.Rect.Left, r.Rect.Right)), Y1: float64(max(r.Rect.Bottom, r.Rect.Top))}}
		return m, true
	}
	n, err := d.inst.FPDFAnnot_CountAttachmentPoints(&requests.FPDFAnnot_CountAttachmentPoints{Annotation: a})
	if err != nil {
		return Markup{}, false
	}
	for i := uint64(0); i < min(n.Count, 1000); i++ {
		q, err := d.inst.FPDFAnnot_GetAttachmentPoints(&requests.FPDFAnnot_GetAttachmentPoints{Annotation: a, Index: i})
		if err != nil {
			continue
		}
		qp := q.QuadPoints
		m.Rects = append(m.Rects, Rect{
			X0: float64(min(qp.X1, qp.X2, qp.X3, qp.X4)), Y0: float64(min(qp.Y1, qp.Y2, qp.Y3, qp.Y4)),
			X1: float64(max(qp.X1, qp.X2, qp.X3, qp.X4)), Y1: float64(max(qp.Y1, qp.Y2, qp.Y3, qp.Y4)),
		})
	}
	if len(m.Rects) == 0 {
		return Markup{}, false
	}
	return m, true
}

// WithMarkups returns a copy of the PDF with the markups added as
// annotations, each with its QuadPoints (one quadrilateral per rectangle),
// its rectangle, colour, comment (/Contents), subject (/Subj) and author
// (/T): what every PDF reader shows and lists.
func (d *Document) WithMarkups(ms []Markup) ([]byte, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, errors.New("the PDF is closed")
	}
	var out []byte
	err := d.guard(openLimit+pageLimit, func() error {
		for _, m := range ms {
			if m.Page < 0 || m.Page >= len(d.pages) || len(m.Rects) == 0 {
				return fmt.Errorf("a markup on page %d of %d", m.Page+1, len(d.pages))
			}
			if err := d.addMarkup(m); err != nil {
				return err
			}
		}
		var buf bytes.Buffer
		if _, err := d.inst.FPDF_SaveAsCopy(&requests.FPDF_SaveAsCopy{Document: d.doc, Flags: requests.SaveFlagNoIncremental, FileWriter: &buf}); err != nil {
			return err
		}
		out = buf.Bytes()
		return nil
	})
	return out, err
}

func (d *Document) addMarkup(m Markup) error {
	subtype := enums.FPDF_ANNOT_SUBTYPE_HIGHLIGHT
	for st, name := range markupKinds {
		if name == m.Kind {
			subtype = st
		}
	}
	if m.Kind == "Text" {
		subtype = enums.FPDF_ANNOT_SUBTYPE_TEXT
	}
	created, err := d.inst.FPDFPage_CreateAnnot(&requests.FPDFPage_CreateAnnot{Page: d.page(m.Page), Subtype: subtype})
	if err != nil {
		return fmt.Errorf("page %d: %w", m.Page+1, err)
	}
	a := created.Annotation
	defer d.inst.FPDFPage_CloseAnnot(&requests.FPDFPage_CloseAnnot{Annotation: a})
	if _, err := d.inst.FPDFAnnot_SetColor(&requests.FPDFAnnot_SetColor{Annotation: a, ColorType: enums.FPDFANNOT_COLORTYPE_Color,
		R: uint(m.R), G: uint(m.G), B: uint(m.B), A: 255}); err != nil {
		return err
	}
	bbox := m.Rects[0]
	for _, r := range m.Rects {
		if subtype == enums.FPDF_ANNOT_SUBTYPE_TEXT {
			break // a note has no QuadPoints
		}
		// The quadrilateral's corners in the order readers expect:
		// top left, top right, bottom left, bottom right.
		q := structs.FPDF_FS_QUADPOINTSF{
			X1: float32(r.X0), Y1: float32(r.Y1), X2: float32(r.X1), Y2: float32(r.Y1),
			X3: float32(r.X0), Y3: float32(r.Y0), X4: float32(r.X1), Y4: float32(r.Y0),
		}
		if _, err := d.inst.FPDFAnnot_AppendAttachmentPoints(&requests.FPDFAnnot_AppendAttachmentPoints{Annotation: a, AttachmentPoints: q}); err != nil {
			return err
		}
		bbox = Rect{min(bbox.X0, r.X0), min(bbox.Y0, r.Y0), max(bbox.X1, r.X1), max(bbox.Y1, r.Y1)}
	}
	if _, err := d.inst.FPDFAnnot_SetRect(&requests.FPDFAnnot_SetRect{Annotation: a, Rect: structs.FPDF_FS_RECTF{
		Left: float32(bbox.X0), Bottom: float32(bbox.Y0), Right: float32(bbox.X1), Top: float32(bbox.Y1)}}); err != nil {
		return err
	}
	for key, v := range map[string]string{"Contents": m.Contents, "Subj": m.Subject, "T": m.Author} {
		if v == "" {
			continue
		}
		if _, err := d.inst.FPDFAnnot_SetStringValue(&requests.FPDFAnnot_SetStringValue{Annotation: a, Key: key, Value: v}); err != nil {
			return err
		}
	}
	return nil
}

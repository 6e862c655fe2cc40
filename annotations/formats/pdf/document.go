package pdf

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdferrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
)

// Errors of Open. Each comes wrapped in a one-line message.
var (
	// ErrNotPDF: the bytes are not a PDF, or one too damaged to read.
	ErrNotPDF = errors.New("not a readable PDF")
	// ErrEncrypted: the PDF needs a password.
	ErrEncrypted = errors.New("PDF is protected by a password")
	// ErrTimeout: the engine took longer than its limit on the file.
	ErrTimeout = errors.New("the PDF took too long to read")
)

// Limits of one call into the engine: a page's text or an image of it
// takes tens of milliseconds; a file that keeps the engine busy for
// seconds is refused rather than waited on.
const (
	openLimit   = 10 * time.Second
	pageLimit   = 10 * time.Second
	borrowLimit = 30 * time.Second
)

// MaxPages is the most pages a PDF may have.
const MaxPages = 5000

// Document is an open PDF. Its methods may be called from several
// goroutines; they take turns.
type Document struct {
	mu     sync.Mutex
	inst   pdfium.Pdfium
	doc    references.FPDF_DOCUMENT
	pages  []Size
	closed bool
}

// Size is a page's size in PDF points (1/72 inch).
type Size struct{ Width, Height float64 }

// Open opens a PDF from its bytes.
func (e *Engine) Open(data []byte) (*Document, error) {
	inst, err := e.instance(borrowLimit)
	if err != nil {
		return nil, err
	}
	d := &Document{inst: inst}
	err = d.guard(openLimit, func() error {
		// The bytes are copied into the module's memory: data is not
		// kept.
		opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
		if err != nil {
			return err
		}
		d.doc = opened.Document
		count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: d.doc})
		if err != nil {
			return err
		}
		if count.PageCount > MaxPages {
			return fmt.Errorf("%w: it has %d pages; Gloss reads at most %d", ErrNotPDF, count.PageCount, MaxPages)
		}
		d.pages = make([]Size, count.PageCount)
		for i := range d.pages {
			// By index: the page is not loaded (parsing every page of a
			// long PDF took seconds).
			size, err := inst.FPDF_GetPageSizeByIndexF(&requests.FPDF_GetPageSizeByIndexF{Document: d.doc, Index: i})
			if err != nil {
				return err
			}
			d.pages[i] = Size{float64(size.Size.Width), float64(size.Size.Height)}
		}
		return nil
	})
	if err != nil {
		d.Close()
		switch {
		case errors.Is(err, ErrTimeout), errors.Is(err, ErrNotPDF):
			return nil, err
		case errors.Is(err, pdferrors.ErrPassword), errors.Is(err, pdferrors.ErrSecurity):
			return nil, ErrEncrypted
		}
		return nil, fmt.Errorf("%w (%v)", ErrNotPDF, err)
	}
	return d, nil
}

// guard runs fn, killing the engine's instance if it takes longer than
// limit; a trap or panic inside comes back as an error.
func (d *Document) guard(limit time.Duration, fn func() error) (err error) {
	var killed atomic.Bool
	timer := time.AfterFunc(limit, func() {
		killed.Store(true)
		_ = d.inst.Kill()
	})
	defer func() {
		timer.Stop()
		if p := recover(); p != nil {
			err = fmt.Errorf("the PDF engine failed: %v", p)
		}
		if killed.Load() {
			d.closed = true
			err = ErrTimeout
		}
	}()
	return fn()
}

func (d *Document) page(i int) requests.Page {
	return requests.Page{ByIndex: &requests.PageByIndex{Document: d.doc, Index: i}}
}

// Pages returns the size of every page.
func (d *Document) Pages() []Size { return d.pages }

// Meta returns a field of the document information dictionary ("Title",
// "Author", "Subject", "Keywords", "CreationDate"), or "".
func (d *Document) Meta(tag string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ""
	}
	var v string
	_ = d.guard(pageLimit, func() error {
		res, err := d.inst.FPDF_GetMetaText(&requests.FPDF_GetMetaText{Document: d.doc, Tag: tag})
		if err == nil {
			v = strings.TrimSpace(res.Value)
		}
		return err
	})
	return v
}

// Char is one character of a page's text as PDFium reads it, in reading
// order: the character (PDFium's own spaces and line breaks included, a
// line-end hyphen as U+0002 or U+FFFE) and its box in points (origin
// bottom left). The box is the "loose" one, the font's full height at
// the glyph's width, so the boxes of a line line up and their height is
// the type size; characters PDFium made up (spaces, line breaks) have an
// empty box.
type Char struct {
	R              rune
	X0, Y0, X1, Y1 float32
}

// Chars returns the characters of page i (0-based).
func (d *Document) Chars(i int) ([]Char, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, errors.New("the PDF is closed")
	}
	var out []Char
	err := d.guard(pageLimit, func() error {
		tp, err := d.inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: d.page(i)})
		if err != nil {
			return err
		}
		defer d.inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
		n, err := d.inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
		if err != nil {
			return err
		}
		// The page's text in one call; character by character only when
		// it does not line up with the characters (one beyond the Basic
		// Multilingual Plane takes two places in PDFium's count).
		var runes []rune
		if text, err := d.inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count}); err == nil {
			runes = []rune(text.Text)
		}
		if len(runes) != n.Count {
			runes = make([]rune, n.Count)
			for c := range runes {
				u, err := d.inst.FPDFText_GetUnicode(&requests.FPDFText_GetUnicode{TextPage: tp.TextPage, Index: c})
				if err != nil {
					return err
				}
				runes[c] = rune(u.Unicode)
			}
		}
		out = make([]Char, n.Count)
		for c, r := range runes {
			out[c].R = r
			box, err := d.inst.FPDFText_GetLooseCharBox(&requests.FPDFText_GetLooseCharBox{TextPage: tp.TextPage, Index: c})
			if err != nil {
				continue
			}
			out[c].X0, out[c].Y0, out[c].X1, out[c].Y1 = box.Rect.Left, box.Rect.Bottom, box.Rect.Right, box.Rect.Top
		}
		return nil
	})
	return out, err
}

// Render draws page i (0-based) width pixels wide, on white.
func (d *Document) Render(i, width int) (*image.RGBA, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return nil, errors.New("the PDF is closed")
	}
	if i < 0 || i >= len(d.pages) {
		return nil, fmt.Errorf("no page %d", i+1)
	}
	width = min(max(width, 16), 8000)
	var out *image.RGBA
	err := d.guard(pageLimit, func() error {
		dpi := max(1, int(float64(width)*72/max(d.pages[i].Width, 1)+0.5))
		res, err := d.inst.RenderPageInDPI(&requests.RenderPageInDPI{Page: d.page(i), DPI: dpi})
		if err != nil {
			return err
		}
		defer res.Cleanup()
		src := res.Result.RenderedImage
		// The pixels live in the module's memory until Cleanup: copy them
		// out, over white (a page's background may be transparent).
		out = image.NewRGBA(src.Bounds())
		draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
		draw.Draw(out, out.Bounds(), src, src.Bounds().Min, draw.Over)
		return nil
	})
	return out, err
}

// Close closes the document and gives its instance back to the engine.
func (d *Document) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.inst == nil {
		return
	}
	if !d.closed && d.doc != "" {
		_, _ = d.inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: d.doc})
	}
	if d.closed {
		_ = d.inst.Kill()
	} else {
		_ = d.inst.Close()
	}
	d.closed, d.inst = true, nil
}

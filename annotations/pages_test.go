package annotations_test

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/annotations/anchor"
)

// twoPages is a text laid out on two pages of 600 × 800 points: "ab cd"
// on one line of page 1 (the space between the words printed nowhere),
// "ef" in the left column of page 2 and "gh" in the right one.
func twoPages() (string, annotations.PageLayout) {
	text := "ab cd\n\nef gh"
	box := func(x, y float32) annotations.Box { return annotations.Box{X0: x, Y0: y, X1: x + 6, Y1: y + 10} }
	l := annotations.PageLayout{
		Pages: []annotations.Page{{Start: 0, End: 5, Width: 600, Height: 800}, {Start: 7, End: 12, Width: 600, Height: 800}},
		Boxes: []annotations.Box{
			box(10, 700), box(16, 700), {}, box(28, 700), box(34, 700), // ab cd
			{}, {}, // the paragraph break between the pages
			box(10, 500), box(16, 500), {}, box(310, 780), box(316, 780), // ef | gh
		},
	}
	return text, l
}

func TestPageLayout_Place(t *testing.T) {
	text, l := twoPages()
	if err := l.Check(utf8.RuneCountInString(text)); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		start, end int
		page       int
		rects      []anchor.Rect
	}{
		{"one word", 0, 2, 1, []anchor.Rect{{Page: 1, X0: 10, Y0: 700, X1: 22, Y1: 710}}},
		{"a line across an unprinted space", 0, 5, 1, []anchor.Rect{{Page: 1, X0: 10, Y0: 700, X1: 40, Y1: 710}}},
		{"across the page break", 3, 9, 1, []anchor.Rect{{Page: 1, X0: 28, Y0: 700, X1: 40, Y1: 710}, {Page: 2, X0: 10, Y0: 500, X1: 22, Y1: 510}}},
		{"across two columns", 7, 12, 2, []anchor.Rect{{Page: 2, X0: 10, Y0: 500, X1: 22, Y1: 510}, {Page: 2, X0: 310, Y0: 780, X1: 322, Y1: 790}}},
		{"only unprinted runes", 5, 7, 1, nil},
		{"empty", 3, 3, 0, nil},
		{"clipped to the text", 10, 99, 2, []anchor.Rect{{Page: 2, X0: 310, Y0: 780, X1: 322, Y1: 790}}},
	}
	raw, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, rects := l.Place(tt.start, tt.end)
			if page != tt.page || !reflect.DeepEqual(rects, tt.rects) {
				t.Errorf("Place(%d, %d) = %d, %+v; want %d, %+v", tt.start, tt.end, page, rects, tt.page, tt.rects)
			}
			page, rects, err := annotations.PlaceStored(raw, tt.start, tt.end)
			if err != nil || page != tt.page || !reflect.DeepEqual(rects, tt.rects) {
				t.Errorf("PlaceStored(%d, %d) = %d, %+v, %v", tt.start, tt.end, page, rects, err)
			}
		})
	}
}

func TestPageLayout_Check(t *testing.T) {
	_, good := twoPages()
	tests := map[string]func(l *annotations.PageLayout){
		"a box short":        func(l *annotations.PageLayout) { l.Boxes = l.Boxes[1:] },
		"pages out of order": func(l *annotations.PageLayout) { l.Pages[0], l.Pages[1] = l.Pages[1], l.Pages[0] },
		"page past the text": func(l *annotations.PageLayout) { l.Pages[1].End = 99 },
		"page of no size":    func(l *annotations.PageLayout) { l.Pages[0].Width = 0 },
		"box at infinity":    func(l *annotations.PageLayout) { l.Boxes[0].X1 = float32(math.Inf(1)) },
	}
	for name, spoil := range tests {
		t.Run(name, func(t *testing.T) {
			l := annotations.PageLayout{Pages: append([]annotations.Page{}, good.Pages...), Boxes: append([]annotations.Box{}, good.Boxes...)}
			spoil(&l)
			if err := l.Check(len(good.Boxes)); !errors.Is(err, annotations.ErrLayout) {
				t.Errorf("Check = %v, want ErrLayout", err)
			}
		})
	}
}

func TestPageLayout_Binary(t *testing.T) {
	_, l := twoPages()
	raw, err := l.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	var back annotations.PageLayout
	if err := back.UnmarshalBinary(raw); err != nil || !reflect.DeepEqual(back, l) {
		t.Fatalf("round trip: %v, %+v", err, back)
	}
	for _, cut := range []int{0, 4, 5, 9, len(raw) - 1} {
		if err := back.UnmarshalBinary(raw[:cut]); !errors.Is(err, annotations.ErrLayout) {
			t.Errorf("cut at %d: %v, want ErrLayout", cut, err)
		}
	}
}

func FuzzPageLayout_UnmarshalBinary(f *testing.F) {
	_, l := twoPages()
	raw, _ := l.MarshalBinary()
	f.Add(raw)
	f.Add([]byte("GLPL\x01\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l annotations.PageLayout
		if err := l.UnmarshalBinary(data); err != nil {
			return
		}
		again, _ := l.MarshalBinary()
		if string(again) != string(data) {
			t.Fatalf("decoded layout encodes differently")
		}
		_ = l.Check(len(l.Boxes))
		for i := range l.Pages {
			s, e := l.Pages[i].Start, l.Pages[i].End
			p1, r1 := l.Place(s, e)
			p2, r2, err := annotations.PlaceStored(data, s, e)
			if err != nil || p1 != p2 || !reflect.DeepEqual(r1, r2) {
				t.Fatalf("PlaceStored(%d, %d) = %d, %v, %v; Place %d, %v", s, e, p2, r2, err, p1, r1)
			}
		}
	})
}

// addPaged adds the two-page article to svc.
func addPaged(t *testing.T, svc *annotations.Service) annotations.Article {
	t.Helper()
	text, l := twoPages()
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "Paged", Source: "/tmp/paged.pdf", Format: annotations.FormatPDF,
		Text: text, File: []byte("%PDF-1.7 pretend"), Layout: &l})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestService_PagedArticle(t *testing.T) {
	svc := newService(t)
	a := addPaged(t, svc)
	file, layout, err := svc.ArticleFile(a.ID)
	if _, l := twoPages(); err != nil || string(file) != "%PDF-1.7 pretend" || !reflect.DeepEqual(*layout, l) {
		t.Fatalf("ArticleFile: %q, %+v, %v", file, layout, err)
	}
	h, err := svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "cd\n\nef"})
	if err != nil {
		t.Fatal(err)
	}
	want := []anchor.Rect{{Page: 1, X0: 28, Y0: 700, X1: 40, Y1: 710}, {Page: 2, X0: 10, Y0: 500, X1: 22, Y1: 510}}
	if h.Target.Page != 1 || !reflect.DeepEqual(h.Target.Rects, want) {
		t.Errorf("highlight on pages %d, %+v; want 1, %+v", h.Target.Page, h.Target.Rects, want)
	}
	// Moved to another passage, its place on the pages follows.
	target := [2]int{10, 12}
	moved, err := svc.Edit(h.ID, annotations.Change{Target: &target})
	if err != nil {
		t.Fatal(err)
	}
	if moved.Target.Page != 2 || len(moved.Target.Rects) != 1 || moved.Target.Rects[0].X0 != 310 {
		t.Errorf("moved highlight on pages %d, %+v", moved.Target.Page, moved.Target.Rects)
	}
	// Its text is what its pages say: it is not replaced.
	if _, err := svc.UpdateArticle(a.ID, annotations.NewArticle{Text: "other words"}); !errors.Is(err, annotations.ErrInvalidArticle) {
		t.Errorf("UpdateArticle = %v, want ErrInvalidArticle", err)
	}
	// Emptying the trash removes its file too.
	if _, err := svc.TrashArticle(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EmptyTrash(); err != nil {
		t.Fatal(err)
	}
	if _, _, err := svc.ArticleFile(a.ID); !errors.Is(err, annotations.ErrNotFound) {
		t.Errorf("ArticleFile after the trash was emptied: %v", err)
	}
}

func TestService_PagedArticle_Refused(t *testing.T) {
	text, l := twoPages()
	short := annotations.PageLayout{Pages: l.Pages, Boxes: l.Boxes[1:]}
	tests := map[string]annotations.NewArticle{
		"layout of another text": {Format: annotations.FormatPDF, Text: text + "!", Layout: &l},
		"boxes missing":          {Format: annotations.FormatPDF, Text: text, Layout: &short},
		"text not normalised":    {Format: annotations.FormatPDF, Text: "ab cd\r\n\ref gh", Layout: &l},
		"pages on a text":        {Format: annotations.FormatText, Text: text, Layout: &l},
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			svc := newService(t)
			if _, _, err := svc.AddArticle(in); err == nil {
				t.Fatal("added")
			}
			if arts, _ := svc.Articles(); len(arts) != 0 {
				t.Errorf("the library holds %d articles", len(arts))
			}
		})
	}
}

func TestService_PagedArticle_ExportImport(t *testing.T) {
	svc := newService(t)
	a := addPaged(t, svc)
	h, err := svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "gh", Note: "right column"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := svc.Export(annotations.ExportFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// Into a library without the PDF: the file's pages come with it.
	other := newService(t)
	if _, err := other.Import(b); err != nil {
		t.Fatal(err)
	}
	got, err := other.Annotation(h.ID)
	if err != nil || !got.Target.Same(h.Target) || got.Target.Page != 2 {
		t.Errorf("imported target %+v (%v), want %+v", got.Target, err, h.Target)
	}
}

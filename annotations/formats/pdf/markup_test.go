package pdf

import (
	"image/color"
	"reflect"
	"testing"
)

// TestMarkups_RoundTrip writes highlights into a copy of the paper and
// reads them back; PDFium draws them on the page.
func TestMarkups_RoundTrip(t *testing.T) {
	e, err := Shared()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := e.Open(paper(t))
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	if ms, err := doc.Markups(); err != nil || len(ms) != 0 {
		t.Fatalf("the paper has markups: %+v %v", ms, err)
	}
	want := []Markup{
		{Page: 0, Kind: "Highlight", Rects: []Rect{{X0: 57, Y0: 500, X1: 290, Y1: 510}, {X0: 57, Y0: 488, X1: 200, Y1: 498}},
			R: 60, G: 192, B: 90, Contents: "Two lines, *green*", Subject: "method; tides", Author: "Gloss"},
		{Page: 2, Kind: "Highlight", Rects: []Rect{{X0: 300, Y0: 600, X1: 400, Y1: 610}}, R: 255, G: 210, B: 31, Contents: "Ünïcode ✓"},
	}
	out, err := doc.WithMarkups(want)
	if err != nil {
		t.Fatal(err)
	}
	back, err := e.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	got, err := back.Markups()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("read back %+v\nwant %+v", got, want)
	}
	// The highlight is drawn: green over the middle of its first
	// rectangle on the rendered page (612 points at 612 pixels).
	img, err := back.Render(0, 612)
	if err != nil {
		t.Fatal(err)
	}
	h := img.Bounds().Dy()
	px := color.NRGBAModel.Convert(img.At(150, h-505)).(color.NRGBA)
	if !(px.G > px.R+30 && px.G > px.B+30) {
		t.Errorf("pixel under the highlight is %v, want green", px)
	}
	// Refused: a page that is not there.
	if _, err := back.WithMarkups([]Markup{{Page: 9, Rects: []Rect{{0, 0, 1, 1}}}}); err == nil {
		t.Error("a markup on page 10 of 3 was written")
	}
}

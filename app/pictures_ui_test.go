package app

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
)

// An article with a kept picture near its top opens with the picture
// read from the library and drawn; the text and its offsets are as
// without it.
func TestUI_ArticleWithPicture(t *testing.T) {
	u, svc := newTestUI(t)
	img := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for x := range 40 {
		for y := range 20 {
			img.Set(x, y, color.NRGBA{R: 0x20, G: 0x80, B: 0x40, A: 0xff})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	key := annotations.ImageKey(b.Bytes())
	const text = "Figure 1: a reef at dawn.\n\nThe text goes on after the figure."
	st := &annotations.Structure{
		Blocks: []annotations.Block{{Kind: annotations.BlockCaption, Start: 0, End: 25}},
		Spans:  []annotations.StyleSpan{{Kind: annotations.SpanImage, Start: 0, End: 0, Href: "fig1.png", Alt: "A reef", Image: key}},
	}
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "Fig", Format: annotations.FormatEPUB, Text: text, Structure: st, Images: map[string][]byte{key: b.Bytes()}})
	if err != nil {
		t.Fatal(err)
	}
	u.openArticle(a.ID)
	// The test runs background work in place: the picture is read and
	// drawn as the view is.
	shot := u.win.Canvas().Capture()
	found := false
	for x := shot.Bounds().Min.X; x < shot.Bounds().Max.X && !found; x++ {
		for y := shot.Bounds().Min.Y; y < shot.Bounds().Max.Y; y++ {
			if r, g, b, _ := shot.At(x, y).RGBA(); r>>8 == 0x20 && g>>8 == 0x80 && b>>8 == 0x40 {
				found = true
				break
			}
		}
	}
	if !found {
		t.Error("the kept picture is not drawn in the window")
	}
	if _, err := svc.Highlight(annotations.HighlightRequest{ArticleID: a.ID, Quote: "goes on"}); err != nil {
		t.Fatal(err)
	}
}

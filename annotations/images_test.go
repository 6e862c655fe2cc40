package annotations_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
)

// pngOf returns a w × h PNG.
func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	img.Set(0, 0, color.NRGBA{R: 200, A: 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// pngHeader returns the start of a PNG that claims w × h pixels: enough
// for its size to be read, a "bomb" when large.
func pngHeader(w, h uint32) []byte {
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr[0:], w)
	binary.BigEndian.PutUint32(ihdr[4:], h)
	ihdr[8], ihdr[9] = 8, 6 // 8-bit RGBA
	var b bytes.Buffer
	b.WriteString("\x89PNG\r\n\x1a\n")
	binary.Write(&b, binary.BigEndian, uint32(len(ihdr)))
	chunk := append([]byte("IHDR"), ihdr...)
	b.Write(chunk)
	binary.Write(&b, binary.BigEndian, crc32.ChecksumIEEE(chunk))
	return b.Bytes()
}

func TestCheckImage(t *testing.T) {
	tests := map[string]struct {
		data         []byte
		ok           bool
		wantW, wantH int
	}{
		"a PNG":                {pngOf(t, 30, 20), true, 30, 20},
		"not a picture":        {[]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), false, 0, 0},
		"empty":                {nil, false, 0, 0},
		"decodes to too much":  {pngHeader(100_000, 100_000), false, 0, 0},
		"within the pixels":    {pngHeader(4000, 3000), true, 4000, 3000},
		"a file over the size": {append(pngOf(t, 2, 2), make([]byte, annotations.MaxImageBytes)...), false, 0, 0},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			w, h, err := annotations.CheckImage(tt.data)
			if (err == nil) != tt.ok || w != tt.wantW || h != tt.wantH {
				t.Fatalf("CheckImage = %d × %d, %v; want ok %v, %d × %d", w, h, err, tt.ok, tt.wantW, tt.wantH)
			}
			if err != nil && !errors.Is(err, annotations.ErrImage) {
				t.Errorf("error %v is not ErrImage", err)
			}
		})
	}
}

func TestService_ArticleImages(t *testing.T) {
	svc := newService(t)
	pic := pngOf(t, 8, 4)
	key := annotations.ImageKey(pic)
	st := &annotations.Structure{Spans: []annotations.StyleSpan{{Kind: annotations.SpanImage, Start: 6, End: 6, Href: "images/fig1.png", Alt: "Figure 1", Image: key}}}
	a, _, err := svc.AddArticle(annotations.NewArticle{Title: "Fig", Format: annotations.FormatEPUB, Text: "Before\n\nAfter",
		Structure: st, Images: map[string][]byte{key: pic}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := svc.ArticleImage(a.ID, key)
	if err != nil || !bytes.Equal(got, pic) {
		t.Fatalf("ArticleImage = %d bytes, %v", len(got), err)
	}
	// The kept structure knows the picture's size, for the view to make
	// room before decoding it; the structure given is left as it was.
	kept, err := svc.ArticleStructure(a.ID)
	if err != nil || len(kept.Spans) != 1 || kept.Spans[0].Width != 8 || kept.Spans[0].Height != 4 {
		t.Fatalf("kept structure %+v, %v; want the picture's 8 × 4", kept, err)
	}
	if st.Spans[0].Width != 0 {
		t.Errorf("the structure given was changed: %+v", st.Spans[0])
	}
	if _, err := svc.ArticleImage(a.ID, annotations.ImageKey([]byte("other"))); !errors.Is(err, annotations.ErrNotFound) {
		t.Errorf("ArticleImage of a picture not kept = %v, want ErrNotFound", err)
	}

	other := annotations.ImageKey([]byte("x"))
	naming := func(key string) *annotations.Structure {
		return &annotations.Structure{Spans: []annotations.StyleSpan{{Kind: annotations.SpanImage, Start: 0, End: 0, Image: key}}}
	}
	refused := map[string]annotations.NewArticle{
		"picture under another name": {Text: "one", Structure: naming(other), Images: map[string][]byte{other: pic}},
		"not a picture":              {Text: "two", Structure: naming(other), Images: map[string][]byte{other: []byte("x")}},
		"span names a missing one":   {Text: "three words", Structure: st, Images: nil},
		"span names a bad key":       {Text: "four", Structure: naming("sha256:../../etc")},
	}
	for name, na := range refused {
		na.Title, na.Format = name, annotations.FormatEPUB
		_, _, err := svc.AddArticle(na)
		if !errors.Is(err, annotations.ErrInvalidArticle) || !strings.Contains(err.Error(), "picture") {
			t.Errorf("%s: AddArticle = %v, want ErrInvalidArticle for the picture", name, err)
		}
	}
	list, err := svc.Articles()
	if err != nil || len(list) != 1 {
		t.Errorf("articles after the refusals: %d, %v; want 1", len(list), err)
	}
}

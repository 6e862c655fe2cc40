package app

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"testing"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/app/textview"
)

func TestTextStyle(t *testing.T) {
	st := &annotations.Structure{
		Blocks: []annotations.Block{
			{Kind: annotations.BlockChapter, Level: 1, Start: 0, End: 40},
			{Kind: annotations.BlockHeading, Level: 2, Start: 0, End: 7},
			{Kind: annotations.BlockItem, Level: 1, Start: 9, End: 20},
		},
		Spans: []annotations.StyleSpan{
			{Kind: annotations.SpanLink, Start: 11, End: 15, Href: "https://example.org"},
			{Kind: annotations.SpanStrong, Start: 16, End: 20, Href: "ignored"},
			{Kind: annotations.SpanImage, Start: 22, End: 22, Href: "fig.png", Alt: "a figure"},
		},
	}
	got := textStyle(st, nil)
	wantBlocks := []textview.Block{{Kind: textview.BlockHeading, Level: 2, Start: 0, End: 7}, {Kind: textview.BlockItem, Level: 1, Start: 9, End: 20}}
	wantSpans := []textview.Span{{Kind: textview.SpanLink, Start: 11, End: 15, Href: "https://example.org"}, {Kind: textview.SpanStrong, Start: 16, End: 20}}
	if len(got.Blocks) != len(wantBlocks) || len(got.Spans) != len(wantSpans) {
		t.Fatalf("textStyle = %+v", got)
	}
	for i := range wantBlocks {
		if got.Blocks[i] != wantBlocks[i] {
			t.Errorf("block %d = %+v, want %+v", i, got.Blocks[i], wantBlocks[i])
		}
	}
	for i := range wantSpans {
		if got.Spans[i] != wantSpans[i] {
			t.Errorf("span %d = %+v, want %+v", i, got.Spans[i], wantSpans[i])
		}
	}
	if s := textStyle(nil, nil); len(s.Blocks)+len(s.Spans)+len(s.Pictures) != 0 {
		t.Errorf("textStyle(nil) = %+v", s)
	}
}

func TestOpenableLink(t *testing.T) {
	tests := []struct {
		href, base, want string
	}{
		{"https://example.org/a?b=c", "", "https://example.org/a?b=c"},
		{"http://example.org", "/home/me/article.html", "http://example.org"},
		{"/wiki/Reef", "https://en.wikipedia.org/wiki/Coral", "https://en.wikipedia.org/wiki/Reef"},
		{"../b.html", "https://example.org/x/y/a.html", "https://example.org/x/b.html"},
		{"mailto:editor@example.org", "", "mailto:editor@example.org"},
		{"#notes", "https://example.org/a", ""},
		{"/wiki/Reef", "/home/me/article.html", ""},
		{"javascript:alert(1)", "https://example.org", ""},
		{"file:///etc/passwd", "", ""},
		{"https://", "", ""},
		{"%zz", "", ""},
	}
	for _, tt := range tests {
		u, ok := openableLink(tt.href, tt.base)
		got := ""
		if ok {
			got = u.String()
		}
		if got != tt.want {
			t.Errorf("openableLink(%q, %q) = %q, want %q", tt.href, tt.base, got, tt.want)
		}
	}
}

func TestTextStyle_Pictures(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewNRGBA(image.Rect(0, 0, 6, 3))); err != nil {
		t.Fatal(err)
	}
	kept := annotations.ImageKey(b.Bytes())
	st := &annotations.Structure{Spans: []annotations.StyleSpan{
		{Kind: annotations.SpanImage, Start: 4, End: 4, Href: "fig.png", Alt: "A figure", Image: kept, Width: 6, Height: 3},
		{Kind: annotations.SpanImage, Start: 9, End: 9, Href: "https://example.org/img/photo.jpg?w=200"},
		{Kind: annotations.SpanImage, Start: 12, End: 12, Image: annotations.ImageKey([]byte("gone")), Alt: "Lost"},
	}}
	var asked []string
	load := func(key string) ([]byte, error) {
		asked = append(asked, key)
		if key == kept {
			return b.Bytes(), nil
		}
		return nil, errors.New("not kept")
	}
	pics := textStyle(st, load).Pictures
	if len(pics) != 3 {
		t.Fatalf("pictures: %+v", pics)
	}
	if p := pics[0]; p.At != 4 || p.Alt != "A figure" || p.Width != 6 || p.Height != 3 || p.Load == nil {
		t.Errorf("kept picture: %+v", p)
	}
	if len(asked) != 0 {
		t.Errorf("pictures read before the view asked: %q", asked)
	}
	img, err := pics[0].Load()
	if err != nil || img.Bounds().Dx() != 6 {
		t.Errorf("kept picture loads %v, %v", img, err)
	}
	if p := pics[1]; p.At != 9 || p.Alt != "photo.jpg" || p.Load != nil {
		t.Errorf("a web page's picture (never fetched) should be a placeholder named by its file: %+v", p)
	}
	if _, err := pics[2].Load(); err == nil {
		t.Errorf("a picture the library lost loads without an error")
	}
}

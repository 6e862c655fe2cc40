package app

import (
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
	got := textStyle(st)
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
	if s := textStyle(nil); len(s.Blocks)+len(s.Spans) != 0 {
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

package app

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2/widget"
)

// flatten describes segments as "kind:text" items, depth first.
func flatten(segs []widget.RichTextSegment) []string {
	var out []string
	for _, s := range segs {
		switch s := s.(type) {
		case *widget.TextSegment:
			if s.Text == "" {
				continue // the end of a paragraph
			}
			kind := "text"
			switch {
			case s.Style.TextStyle.Bold:
				kind = "bold"
			case s.Style.TextStyle.Italic:
				kind = "italic"
			case s.Style.TextStyle.Monospace:
				kind = "code"
			}
			out = append(out, kind+":"+s.Text)
		case *widget.HyperlinkSegment:
			out = append(out, "link:"+s.Text+"→"+s.URL.String())
		case *widget.ParagraphSegment:
			out = append(out, flatten(s.Texts)...)
		case *widget.ListSegment:
			out = append(out, "list")
			out = append(out, flatten(s.Items)...)
		case *widget.ImageSegment:
			out = append(out, "IMAGE")
		default:
			out = append(out, "other")
		}
	}
	return out
}

func TestNoteSegments(t *testing.T) {
	tests := []struct {
		name, md string
		limit    int
		want     string
	}{
		{"emphasis", "Where the *talks* began, **twice**.", 100, "text:Where the |italic:talks|text: began, |bold:twice|text:."},
		{"code", "see `grep -r`", 100, "text:see |code:grep -r"},
		{"web link", "[the report](https://example.org/r)", 100, "link:the report→https://example.org/r"},
		{"mail link", "[write](mailto:a@b.org)", 100, "link:write→mailto:a@b.org"},
		{"file link is text", "[run](file:///bin/sh)", 100, "text:run"},
		{"javascript link is text", "[x](javascript:alert(1))", 100, "text:x"},
		{"image never fetched", "![a map](https://example.org/map.png)", 100, "text:[image: https://example.org/map.png]"},
		{"heading is bold text", "# Big\n\nsmall", 100, "bold:Big|text:small"},
		{"list", "- one\n- two", 100, "list|text:one|text:two"},
		{"cut", "A long *note* that goes on", 8, "text:A long |italic:n…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.Join(flatten(noteSegments(tt.md, tt.limit)), "|")
			if got != tt.want {
				t.Errorf("noteSegments(%q) = %s, want %s", tt.md, got, tt.want)
			}
		})
	}
}

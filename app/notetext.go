package app

import (
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// noteSegments renders a note's Markdown for a card (emphasis, strong,
// code, lists, quotes, links), cut after about limit characters of text.
// Fyne parses the Markdown (with goldmark); what a card must not do is
// changed here: images are never fetched (a remote one would be) and show
// as their title or address in brackets; links open in the browser only
// for http, https and mailto (a file: or javascript: link is text);
// headings are bold text, not large type.
func noteSegments(md string, limit int) []widget.RichTextSegment {
	segs := widget.NewRichTextFromMarkdown(md).Segments
	c := noteCutter{left: limit}
	return c.cut(segs)
}

// noteCutter walks segments, rewriting them and counting their text.
type noteCutter struct {
	left int // characters of text still to show
	done bool
}

func (c *noteCutter) cut(segs []widget.RichTextSegment) []widget.RichTextSegment {
	out := segs[:0]
	for _, s := range segs {
		if c.done {
			break
		}
		switch s := s.(type) {
		case *widget.TextSegment:
			if s.Style == widget.RichTextStyleHeading || s.Style == widget.RichTextStyleSubHeading {
				s.Style = widget.RichTextStyleParagraph
				s.Style.TextStyle.Bold = true
			}
			s.Text = c.text(s.Text)
			out = append(out, s)
		case *widget.HyperlinkSegment:
			text := c.text(s.Text)
			if s.URL == nil || !safeLink(s.URL.Scheme) {
				out = append(out, &widget.TextSegment{Style: widget.RichTextStyleInline, Text: text})
				continue
			}
			s.Text = text
			out = append(out, s)
		case *widget.ImageSegment:
			what := s.Title
			if what == "" && s.Source != nil {
				what = s.Source.String()
			}
			out = append(out, &widget.TextSegment{Style: widget.RichTextStyleParagraph, Text: c.text("[image: " + what + "]")})
		case *widget.ParagraphSegment:
			s.Texts = c.cut(s.Texts)
			out = append(out, s)
		case *widget.ListSegment:
			s.Items = c.cut(s.Items)
			out = append(out, s)
		case *widget.SeparatorSegment:
			out = append(out, s)
		}
		// Any other kind of segment is left out.
	}
	return out
}

// text is s, cut to what is left of the limit ("…" where it was cut).
func (c *noteCutter) text(s string) string {
	r := []rune(s)
	if len(r) <= c.left {
		c.left -= len(r)
		return s
	}
	c.done = true
	cut := strings.TrimRight(string(r[:max(c.left, 0)]), " ")
	c.left = 0
	return cut + "…"
}

// safeLink reports whether a note's link may be opened in the browser.
func safeLink(scheme string) bool {
	switch strings.ToLower(scheme) {
	case "http", "https", "mailto":
		return true
	}
	return false
}

// newNoteText is the rich text a card shows a note in.
func newNoteText() *widget.RichText {
	t := widget.NewRichText()
	t.Wrapping = fyne.TextWrapWord
	return t
}

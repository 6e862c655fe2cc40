package app

import (
	"net/url"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/app/textview"
)

// textStyle turns an article's structure into the text view's style: the
// view knows nothing of articles, only of blocks and spans of its own.
// Chapters are for the table of contents, pictures not drawn by the text
// view: neither is passed on.
func textStyle(st *annotations.Structure) textview.Style {
	if st.Empty() {
		return textview.Style{}
	}
	var out textview.Style
	for _, b := range st.Blocks {
		kind, ok := blockKinds[b.Kind]
		if !ok {
			continue
		}
		out.Blocks = append(out.Blocks, textview.Block{Kind: kind, Level: b.Level, Start: b.Start, End: b.End})
	}
	for _, s := range st.Spans {
		kind, ok := spanKinds[s.Kind]
		if !ok || s.Start == s.End {
			continue
		}
		href := ""
		if kind == textview.SpanLink {
			href = s.Href
		}
		out.Spans = append(out.Spans, textview.Span{Kind: kind, Start: s.Start, End: s.End, Href: href})
	}
	return out
}

var blockKinds = map[annotations.BlockKind]textview.BlockKind{
	annotations.BlockParagraph: textview.BlockParagraph,
	annotations.BlockHeading:   textview.BlockHeading,
	annotations.BlockItem:      textview.BlockItem,
	annotations.BlockQuote:     textview.BlockQuote,
	annotations.BlockCode:      textview.BlockCode,
	annotations.BlockCaption:   textview.BlockCaption,
	annotations.BlockRow:       textview.BlockRow,
}

var spanKinds = map[annotations.SpanKind]textview.SpanKind{
	annotations.SpanEmphasis: textview.SpanEmphasis,
	annotations.SpanStrong:   textview.SpanStrong,
	annotations.SpanCode:     textview.SpanCode,
	annotations.SpanLink:     textview.SpanLink,
}

// openableLink returns the address a link opens in the system browser:
// only web and mail addresses, made absolute against the article's own
// address when it has one. Links within the page ("#notes") and other
// schemes (file:, javascript:) are not opened.
func openableLink(href, base string) (*url.URL, bool) {
	u, err := url.Parse(href)
	if err != nil {
		return nil, false
	}
	if !u.IsAbs() {
		b, err := url.Parse(base)
		if err != nil || (b.Scheme != "http" && b.Scheme != "https") || u.Path == "" && u.Host == "" {
			return nil, false
		}
		u = b.ResolveReference(u)
	}
	switch u.Scheme {
	case "http", "https":
		return u, u.Host != ""
	case "mailto":
		return u, u.Opaque != ""
	}
	return nil, false
}

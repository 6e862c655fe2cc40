package app

import (
	"bytes"
	"image"
	"net/url"
	"path"

	"github.com/gloss-notes/gloss/annotations"
	"github.com/gloss-notes/gloss/app/textview"
)

// textStyle turns an article's structure into the text view's style: the
// view knows nothing of articles, only of blocks, spans and pictures of
// its own. Chapters are for the table of contents and are not passed on.
// load reads a kept picture by its key (see pictureLoader); a picture not
// kept (a web page's, never fetched) is drawn as a placeholder with its
// description.
func textStyle(st *annotations.Structure, load func(key string) ([]byte, error)) textview.Style {
	if st.Empty() {
		return textview.Style{}
	}
	var out textview.Style
	for _, s := range st.Spans {
		if s.Kind != annotations.SpanImage {
			continue
		}
		pic := textview.Picture{At: s.Start, Alt: pictureAlt(s), Width: s.Width, Height: s.Height}
		if s.Image != "" && load != nil {
			key := s.Image
			pic.Load = func() (image.Image, error) { return decodePicture(load(key)) }
		}
		out.Pictures = append(out.Pictures, pic)
	}
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

// pictureAlt is what a picture's placeholder says: its description, else
// the name of its file.
func pictureAlt(s annotations.StyleSpan) string {
	if s.Alt != "" {
		return s.Alt
	}
	if u, err := url.Parse(s.Href); err == nil && u.Path != "" {
		return path.Base(u.Path)
	}
	return "picture"
}

// decodePicture decodes a kept picture, checking its size first: the
// bytes come from the library, which checked them when it kept them, but
// a damaged file must not make the view decode gigabytes.
func decodePicture(data []byte, err error) (image.Image, error) {
	if err != nil {
		return nil, err
	}
	if _, _, err := annotations.CheckImage(data); err != nil {
		return nil, err
	}
	img, _, err := image.Decode(bytes.NewReader(data))
	return img, err
}

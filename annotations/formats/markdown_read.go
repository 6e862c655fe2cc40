package formats

import (
	"bytes"

	"github.com/yuin/goldmark"
	"golang.org/x/net/html/atom"

	"github.com/gloss-notes/gloss/annotations"
)

// maxRenderedMarkdown is the largest Markdown text read as rendered; a
// larger one (a book, not an article) is kept as written, its markup
// shown, which bounds the rendering's time and memory: `gloss add` of a
// 3.9 MB Markdown file takes 0.4 s and 70 MB (a text file of that size,
// 35 MB).
const maxRenderedMarkdown = 4 << 20

// markdownText is a Markdown article's text as a reader sees it rendered:
// headings, paragraphs, list items (• or their number), quotes and code
// blocks each a paragraph, emphasis and links as their words — without the
// markup (#, **, [](), “). goldmark (CommonMark; already among Fyne's
// dependencies) renders it to HTML, and the HTML reader's text walker reads
// that whole (no readability: all of the file is the article). Raw HTML in
// the file is left out, as goldmark does by default. The structure
// (headings, lists, emphasis, links, code…) comes from the same walk. ok
// is false when the text is too large or its HTML too costly to read: the
// caller keeps the text as written, without structure.
func markdownText(source string) (text string, structure *annotations.Structure, ok bool) {
	if len(source) > maxRenderedMarkdown {
		return "", nil, false
	}
	var out bytes.Buffer
	if err := goldmark.Convert([]byte(source), &out); err != nil {
		return "", nil, false
	}
	page := out.String()
	if elements, costly := scanPage(page, maxParseWork); costly || elements > maxHTMLElements {
		return "", nil, false
	}
	root, err := parseHTML(page)
	if err != nil {
		return "", nil, false
	}
	body := findElement(root, atom.Body)
	if body == nil {
		return "", nil, false
	}
	text, structure = textAndStructure(body)
	return text, structure, true
}
